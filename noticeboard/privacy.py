"""Personal numbers in printable text: find them, and mask them by the workspace policy.

Pure functions, no I/O. Kinds mask at load time so that a full number never reaches
layout; a privacy scanner can use ``find`` to refuse text that still holds one.

What is recognised (PIPL art. 28: ID numbers, bank accounts and private phones):

- ``id_number``: an 18-character resident ID (GB 11643: 6-digit region, YYYYMMDD birth
  date, 3-digit sequence, check digit 0-9 or X) or a 15-digit first-generation one
  (YYMMDD). The birth date must be a real month and day, which keeps order numbers and
  amounts out. The check digit is *not* required: an ID with a typo is still an ID,
  ``Finding.valid`` tells the two apart. A 6-8-4 grouping with spaces or hyphens is accepted.
- ``mobile``: an 11-digit mainland mobile, 1[3-9]…, also written 138 1234 5678 or
  138-1234-5678, optionally after +86. Landlines with an area code (0537-1234567) start
  with 0 and are never matched.
- ``bank_card``: 16 to 19 digits (optionally in groups of four) that pass the Luhn check.

A number is only matched on its own: not inside a longer run of digits, and not as
the integer or fraction part of a decimal, so amounts, dates and 户号 are left alone.
Full-width digits (１３８…) are recognised like ASCII ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from .models import PrivacyRule

ID_NUMBER = "id_number"
MOBILE = "mobile"
BANK_CARD = "bank_card"
LABELS = {ID_NUMBER: "身份证号", MOBILE: "手机号", BANK_CARD: "银行卡号"}

DEFAULT_RULES: dict[str, PrivacyRule] = {
    ID_NUMBER: PrivacyRule(keep_first=3, keep_last=2),  # 370***********1X
    MOBILE: PrivacyRule(keep_first=3, keep_last=4),  # 138****5678
    BANK_CARD: PrivacyRule(keep_first=4, keep_last=4),  # 6222***********1234
}
MIN_HIDDEN = 4  # a policy may never keep so much that fewer digits than this are hidden
MASK_CHAR = "*"

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Full-width digits, X and separators map one-to-one onto ASCII, so match positions stay valid.
_NARROW = str.maketrans("０１２３４５６７８９Ｘｘ－\u3000＋", "0123456789Xx- +")

_SEP = r"[ \-]?"
_MONTH = r"(?:0[1-9]|1[0-2])"
_DAY = r"(?:0[1-9]|[12]\d|3[01])"
_ALONE_BEFORE = r"(?<!\d)(?<!\d\.)"  # not inside a longer number, not a decimal's fraction part
_ALONE_AFTER = r"(?![\dXx])(?!\.\d)"  # not followed by more digits or a decimal fraction
_PATTERNS = (
    (ID_NUMBER, re.compile(
        _ALONE_BEFORE + rf"[1-9]\d{{5}}{_SEP}(?:18|19|20)\d\d{_MONTH}{_DAY}{_SEP}\d{{3}}[\dXx]" + _ALONE_AFTER)),
    (ID_NUMBER, re.compile(_ALONE_BEFORE + rf"[1-9]\d{{5}}{_SEP}\d\d{_MONTH}{_DAY}{_SEP}\d{{3}}" + _ALONE_AFTER)),
    (BANK_CARD, re.compile(_ALONE_BEFORE + r"(?:\d{4}(?:[ \-]\d{4}){3}(?:[ \-]\d{1,3})?|\d{16,19})" + _ALONE_AFTER)),
    (MOBILE, re.compile(_ALONE_BEFORE + r"(?<!\+)(?:\+?86[ \-]?)?" + rf"1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}" + _ALONE_AFTER)),
)
# Excel turns a long number typed into a number cell into 3.70828E+17: the last digits are gone.
_MANGLED = re.compile(r"^\s*\d(?:\.\d+)?[Ee]\+?(1[4-9])\s*$")


@dataclass(frozen=True)
class Finding:
    kind: str  # ID_NUMBER, MOBILE or BANK_CARD
    start: int  # span in the text as given
    end: int
    digits: str  # the number alone: ASCII digits (and a final X), no separators or +86
    valid: bool  # ID: check digit right (15-digit: always); bank card: always (Luhn is required)

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def is_valid_id(digits: str) -> bool:
    digits = digits.upper()
    if len(digits) == 15:
        return digits.isdigit()
    return len(digits) == 18 and digits[:17].isdigit() and id_check_digit(digits[:17]) == digits[17]


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _digits_of(kind: str, text: str) -> str:
    plain = re.sub(r"[ \-]", "", text.translate(_NARROW)).upper()
    if kind == MOBILE and len(plain) > 11:
        plain = plain[-11:]  # drop +86
    return plain


def find(text: str) -> list[Finding]:
    """Every personal number in ``text``, in order. Earlier patterns win an overlap: ID, card, mobile."""
    narrow = text.translate(_NARROW)
    taken: list[tuple[int, int]] = []
    findings = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(narrow):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            digits = _digits_of(kind, match.group())
            if kind == BANK_CARD and not luhn_ok(digits):
                continue
            valid = is_valid_id(digits) if kind == ID_NUMBER else True
            taken.append((start, end))
            findings.append(Finding(kind, start, end, digits, valid))
    return sorted(findings, key=lambda f: f.start)


def looks_mangled(text: str) -> bool:
    """A cell like 3.70828E+17: a long number (an ID or card) that Excel stored as a number."""
    return bool(_MANGLED.match(text.translate(_NARROW)))


def policy(configured: Mapping[str, PrivacyRule] | None = None) -> dict[str, PrivacyRule]:
    """The workspace's rules over the defaults: a kind it does not name keeps its default."""
    rules = dict(DEFAULT_RULES)
    rules.update({k: v for k, v in (configured or {}).items() if k in DEFAULT_RULES})
    return rules


def mask_digits(digits: str, rule: PrivacyRule) -> str:
    """370***********1X: keep the rule's first and last characters, a star for each other one.

    However the policy is written, at least ``MIN_HIDDEN`` characters (or half of a short
    number) are hidden: a policy that kept everything would print the full number.
    """
    length = len(digits)
    hidden_at_least = min(MIN_HIDDEN, length // 2)
    first, last = max(rule.keep_first, 0), max(rule.keep_last, 0)
    excess = first + last - (length - hidden_at_least)
    if excess > 0:  # give back from the end first, then the start
        cut = min(excess, last)
        last -= cut
        first -= excess - cut
    return digits[:first] + MASK_CHAR * (length - first - last) + (digits[length - last:] if last else "")


def mask(text: str, rules: Mapping[str, PrivacyRule] | None = None) -> tuple[str, list[Finding]]:
    """``text`` with every personal number replaced by its masked form, and what was found.

    ``rules`` is the workspace policy (``policy()`` fills in the defaults). The masked
    form is written without separators: 138 1234 5678 becomes 138****5678.
    """
    found = find(text)
    if not found:
        return text, []
    rules = policy(rules)
    pieces, position = [], 0
    for finding in found:
        pieces.append(text[position:finding.start])
        pieces.append(mask_digits(finding.digits, rules[finding.kind]))
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces), found
