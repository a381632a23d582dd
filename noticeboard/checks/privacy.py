"""The privacy scanner: no full ID number, bank card or private mobile in anything a notice prints.

PIPL art. 25 and 28 (SPEC §1, §6; issue 5). It runs in ``check`` for every notice over every
printable string (``printable_texts``: title, issuer, hotline, signers, and each cell,
header and paragraph the kind prints). What it refuses:

- an 18-digit resident ID with a real birth date and a valid GB 11643 check character
  (ISO 7064 MOD 11-2), or a 15-digit old ID with a real birth date;
- a mainland mobile, 1[3-9] and nine more digits, however it is written (spaces, hyphens,
  full-width digits, +86);
- a bank card: 16 to 19 digits passing the Luhn check. An 18-digit run is read as an ID
  first; when it is not a valid one and passes Luhn it is a card.

Recognition is ``privacy.scan``, the same reader that masks, so amounts (1,234,567.89), dates,
科目编码, 户号 and landlines with an area code (0537-1234567) never trigger. An ID-shaped typo
(17 digits and X, or 18 digits with a date-like birth date, the check digit wrong or the date
impossible: ``privacy.id_shaped``) is masked with a warning when the notice is read
(``masking.mask_yaml_ids``, ``mask_table_ids``); one that still reaches printable text
(noticeboard.yaml) is reported like a valid one.

Each hit is an error at the text's place naming the kind of number, with the number masked
by the workspace policy (never the full number, not even in the message) and what to change.
Rosters mask IDs and mobiles at load, so their cells pass. This is the only scan: no kind
scans its own text again.

A kind's content may carry ``public_mobiles`` (a set of 11-digit numbers): work mobiles the
notice declares may print in full (contacts ``public_mobiles:``). Those are not reported.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace

from .. import privacy
from ..kinds import KindSpec
from ..models import Notice, PrivacyRule, Settings, Text
from ..problems import Problem, error

# How a notice can mask what the scanner found (the kind's declaration); see ``leaks``.
MASK_NONE, MASK_COLUMNS, MASK_ALL = None, privacy.MASK_COLUMNS, privacy.MASK_ALL


def hits(text: str) -> list[privacy.Finding]:
    """The personal numbers in ``text`` that must not print in full."""
    found = []
    for finding in privacy.scan(text):
        if finding.kind == privacy.ID_NUMBER and not finding.valid:
            digits = finding.digits
            if privacy.id_shaped(digits):
                found.append(finding)  # a typo'd ID is still one; the load masks these, so this is a last net
            elif len(digits) == 18 and digits.isdigit() and privacy.luhn_ok(digits):
                found.append(replace(finding, kind=privacy.BANK_CARD, valid=True))
            continue
        found.append(finding)
    return found


def _place(notice: Notice, text: Text) -> str:
    if text == notice.title:
        return "标题中"
    if text == notice.issuer:
        return "落款单位中"
    if notice.hotline is not None and text == notice.hotline:
        return "监督电话中"
    if any(text == review.by for review in notice.reviews):
        return "签批人中"
    return "这一格" if text.where.cell else "这段文字中"


def _advice(place: str, text: Text, finding: privacy.Finding, shown: str, masking: str | None, public: bool) -> str:
    plain = f"请删去这个号码，或改写成隐去中间几位的 {shown}"
    if text.where.cell and masking == MASK_COLUMNS:
        advice = (
            f"请删去这个号码，或在通知文件中写 mask: [这一列的列名]，"
            f"整列按 noticeboard.yaml 的 privacy 规则遮盖，印成 {shown}"
        )
    elif masking == MASK_ALL and place not in ("落款单位中", "监督电话中", "签批人中"):
        advice = plain + "；也可以在通知文件中写 mask: true，标题和正文中的号码在排版时一律遮盖"
    else:
        advice = plain
    if public and finding.kind == privacy.MOBILE:
        advice += "。若这是领导或工作人员的工作手机、确需公开，请在 public_mobiles 中逐个列出"
    return advice + "。"


def leaks(
    notice: Notice,
    texts: Iterable[Text],
    rules: Mapping[str, PrivacyRule],
    *,
    masking: str | None = MASK_NONE,
    public_mobiles: Collection[str] = (),
    can_list_public: bool = False,
) -> list[Problem]:
    """An error for each full personal number in ``texts``.

    ``masking`` says what the kind lets a notice declare: ``MASK_COLUMNS`` (``mask: [列名]``),
    ``MASK_ALL`` (``mask: true``) or nothing; the advice follows from it.
    """
    problems = []
    for text in texts:
        for finding in hits(text.value):
            if finding.kind == privacy.MOBILE and finding.digits in public_mobiles:
                continue
            shown = privacy.mask_digits(finding.digits, rules[finding.kind])
            place = _place(notice, text)
            problems.append(
                error(
                    text.where,
                    (
                        f"{place}有完整的{finding.label}（{shown}），印出来会泄露个人信息。"
                        + _advice(place, text, finding, shown, masking, can_list_public)
                    ),
                )
            )
    return problems


def check_privacy(notice: Notice, kind: KindSpec, settings: Settings, texts: Iterable[Text]) -> list[Problem]:
    """``texts``: what the notice prints (``glyphs.printable_texts``)."""
    public = getattr(notice.content, "public_mobiles", None) or ()
    return leaks(
        notice,
        texts,
        privacy.policy(settings.privacy),
        masking=kind.masks,
        public_mobiles=public,
        can_list_public="public_mobiles" in kind.keys,
    )


def check_settings_privacy(settings: Settings) -> list[Problem]:
    """noticeboard.yaml text that reaches sheets or the site (catalogue titles head the site index)."""
    texts = [t for t in (settings.issuer, settings.hotline) if t is not None]
    texts += [Text(e.title, e.where) for e in settings.catalogue]
    texts += [Text(e.owner, e.where) for e in settings.catalogue if e.owner]
    texts += [Text(b.name, b.where) for b in settings.boards] + [Text(e.title, e.where) for e in settings.events]
    rules = privacy.policy(settings.privacy)
    problems = []
    for text in texts:
        for finding in hits(text.value):
            shown = privacy.mask_digits(finding.digits, rules[finding.kind])
            problems.append(
                error(
                    text.where,
                    (
                        f"noticeboard.yaml 这里有完整的{privacy.LABELS[finding.kind]}（{shown}），"
                        "会印到公示上或登上网站。请删去。"
                    ),
                )
            )
    return problems
