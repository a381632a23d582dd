"""Personal numbers in printable text: find them, and mask them by the workspace policy.

Pure functions, no I/O. Kinds mask at load time so that a full number never reaches
layout; ``scan`` is the last look over printed text for anything that still holds one.

What is recognised (PIPL art. 28: ID numbers, bank accounts and private phones):

- ``id_number``: a run of 18 digits, 17 digits and X, or 15 digits (GB 11643: 6-digit
  region, birth date, sequence, check character). Neither the check digit nor the birth
  date is required: a typo'd ID is still an ID and is masked; ``Finding.valid`` and
  ``Finding.date_ok`` say what is wrong with it.
- ``mobile``: 11 digits 1[3-9]…, optionally after +86/86. Landlines start with 0 and are
  never mobiles.
- ``bank_card``: 16 to 19 digits that pass the Luhn check.

How a number may be written: digits in any width (１３８…), in groups split by spaces (also
NBSP, thin and ideographic spaces), hyphens, en/em dashes or dots (138.1234.5678), in any
grouping (370 831 1990 0101 1231, 370831199 001011231). A maximal run of such groups is
read as a whole first; when it holds several numbers (an ID and a mobile side by side, a
list number "1." before an ID, a date before a mobile) it is split at group boundaries, and
an unbroken run of 22+ digits is split when it is exactly IDs and mobiles run together.

What keeps false positives near zero for what rosters carry: amounts are decimals (450.00,
1,234.56, 0.25) and are never part of a run; dates and 户号 are too short or the wrong
length; a split of a run may only use weak shapes (an ID with an impossible birth date,
a card in an odd grouping) when its groups are regular (three or more digits each), so
space-separated small numbers never add up to an "ID". Landlines with an area code
(0537-1234567, (0537)1234567) are never masked.

A column whose header names an ID, phone or card (``column_kind``) is stricter: any run of
7 or more digits in it is masked whatever its shape, except a landline with an area code.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass
class PrivacyRule:
    """How many leading and trailing characters of a number stay visible (``privacy:`` in noticeboard.yaml)."""

    keep_first: int
    keep_last: int


ID_NUMBER = "id_number"
MOBILE = "mobile"
BANK_CARD = "bank_card"
LABELS = {ID_NUMBER: "身份证号", MOBILE: "手机号", BANK_CARD: "银行卡号"}

DEFAULT_RULES: dict[str, PrivacyRule] = {
    ID_NUMBER: PrivacyRule(keep_first=3, keep_last=2),  # 370***********1X
    MOBILE: PrivacyRule(keep_first=3, keep_last=4),  # 138****5678
    BANK_CARD: PrivacyRule(keep_first=4, keep_last=4),  # 6222***********1234
}
# What a notice's ``mask:`` key masks, as each kind declares it once (``KindSpec.masks``): the
# load masks by it and the scanner's advice follows from it.
MASK_COLUMNS = "columns"  # mask: [身份证号, 联系电话]: every number in the columns it lists
MASK_ALL = "all"  # mask: true: every number in all the notice prints
MIN_HIDDEN = 4  # a policy may never keep so much that fewer digits than this are hidden
MASK_CHAR = "*"
COLUMN_MIN_DIGITS = 7  # in an ID/phone/card column, a run this long is masked whatever its shape

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Every separator a clerk's keyboard or a copied web page produces, folded one-to-one onto
# " ", "-" and ".", so positions in the folded text are positions in the original.
_SPACES = (
    " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
    "\u200b\u200c\u200d\u2060\ufeff"
    "\n\r\v\f\x85\u2028\u2029"
)  # a line break inside a cell (Alt+Enter) hides nothing either
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DOTS = ".\u00b7\u2027\u2219\u30fb\uff0e"
_FOLD = str.maketrans(
    {
        **{c: " " for c in _SPACES},
        **{c: "-" for c in _DASHES},
        **{c: "." for c in _DOTS},
        "Ｘ": "X",
        "ｘ": "x",
        "＋": "+",
        "（": "(",
        "）": ")",
    }
)
_NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")  # full-width and other Unicode decimal digits

# What people also put between the groups of a number (138/1234/5678, 370831_19900101_1231,
# 138、1234、5678, (138)1234-5678) and the Chinese numerals a mobile is sometimes written in
# (一三九〇五三七一二三四). ``find`` reads these in a second, looser pass that keeps only strong
# shapes, so that a list of codes (1001、1002、1003) or a big amount (13,800,138,000) is no number.
_LOOSE_SEPARATORS = "/／\\_＿,，:：~～、()（）[]【】|｜;；"
_CHINESE_DIGITS = "〇零一二三四五六七八九幺"
_LOOSE = str.maketrans(
    {
        **{c: " " for c in _LOOSE_SEPARATORS},
        **{c: str(i) for i, c in enumerate(_CHINESE_DIGITS[:1] + _CHINESE_DIGITS[2:11])},
        "零": "0",
        "幺": "1",
    }
)
_THOUSANDS = re.compile(r"(?<![0-9])[0-9]{1,3}(?:[,，][0-9]{3})+(?![0-9])")
_CARD_PREFIXES = ("62", "4", "5", "3", "9")  # UnionPay, Visa, Mastercard, JCB/Amex, old bank books

_GROUP = re.compile(r"[0-9]+(?:[Xx](?![A-Za-z0-9]))?", re.ASCII)
_SEPARATOR = r"(?: {0,2}[.\-] {0,2}| {1,3})"
_RUN = re.compile(rf"{_GROUP.pattern}(?:{_SEPARATOR}{_GROUP.pattern})*", re.ASCII)
# An amount: 450.00, 1,350.5, 0.25. Its digits never join a run (138.1234.5678 is no amount:
# a fraction has one or two digits and ends the number).
_DECIMAL = re.compile(r"(?<![0-9.])(?:0\.[0-9]+|[0-9]+\.[0-9]{1,2})(?![0-9])(?!\.[0-9])", re.ASCII)
# A landline with its area code: 0537-1234567, 010 12345678, (0537)1234567, 05371234567.
_LANDLINE = re.compile(r"(?<![0-9])\(?0[1-9][0-9]{1,2}\)?(?: {0,2}-? {0,2})[0-9]{7,8}(?![0-9])", re.ASCII)
# Excel turns a long number typed into a number cell into 3.70828E+17: the last digits are gone.
_MANGLED = re.compile(r"^\s*[0-9](?:\.[0-9]+)?[Ee]\+?(1[4-9])\s*$", re.ASCII)

_MAX_SEGMENT_GROUPS = 8
_STRONG, _WEAK = 3, 1

# Header words that make a column sensitive; checked in this order (身份证号码 is an ID, not a phone).
_COLUMN_WORDS = (
    (ID_NUMBER, ("身份证", "证件号", "公民身份号码", "身份号码", "证号")),
    (BANK_CARD, ("银行卡", "卡号", "账号", "帐号", "账户", "帐户", "存折", "折号")),
    (MOBILE, ("手机", "电话", "联系方式", "联系号码", "移动号码")),
)


@dataclass(frozen=True)
class Finding:
    kind: str  # ID_NUMBER, MOBILE or BANK_CARD
    start: int  # span in the text as given
    end: int
    digits: str  # the number alone: ASCII digits (and a final X), no separators or +86
    valid: bool  # ID: right length, real birth date and right check digit; others: True, unless by_column
    date_ok: bool = True  # ID: the birth date is a real date
    by_column: bool = False  # masked only because the column header names such numbers

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=False))
    return _ID_CHECK[total % 11]


def id_birth_date_ok(digits: str) -> bool:
    """Whether an 18- or 15-character ID carries a real birth date (YYYYMMDD or YYMMDD)."""
    if len(digits) == 18:
        text, century = digits[6:14], ""
    elif len(digits) == 15:
        text, century = digits[6:12], "19"
    else:
        return False
    if not text.isdigit() or (not century and text[:2] not in ("18", "19", "20")):
        return False
    try:
        dt.date(int(century + text[:-4]), int(text[-4:-2]), int(text[-2:]))
    except ValueError:
        return False
    return True


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


def normalise(text: str) -> str:
    """``text`` with digits made ASCII and separators folded, character for character."""
    folded = text.translate(_FOLD)
    return _NON_ASCII_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), folded)


def column_kind(header: str) -> str | None:
    """The kind of number a column holds by its header (身份证号, 联系电话, 银行卡号…), or None."""
    plain = re.sub(r"\s+", "", header)
    for kind, words in _COLUMN_WORDS:
        if any(word in plain for word in words):
            return kind
    return None


# -- reading runs of digits ------------------------------------------------------------


@dataclass(frozen=True)
class _Group:
    start: int
    end: int  # after the last digit
    digits: str
    x_end: int | None  # after a final X, when the group has one


@dataclass(frozen=True)
class _Match:
    kind: str
    strength: int
    start: int
    end: int
    digits: str
    valid: bool
    date_ok: bool


def _runs(work: str) -> list[list[_Group]]:
    runs = []
    for run in _RUN.finditer(work):
        groups = []
        for g in _GROUP.finditer(run.group()):
            text, start = g.group(), run.start() + g.start()
            if text[-1] in "Xx":
                groups.append(_Group(start, start + len(text) - 1, text[:-1], start + len(text)))
            else:
                groups.append(_Group(start, start + len(text), text, None))
        runs.append(groups)
    return runs


def _regular(groups: list[_Group]) -> bool:
    """One group, or groups of three or more digits (not just threes): how people write numbers."""
    if len(groups) == 1:
        return True
    sizes = [len(g.digits) for g in groups]
    return min(sizes) >= 3 and max(sizes) >= 4


def _card_grouping(groups: list[_Group]) -> bool:
    """As cards are written: unbroken, or in fours with a shorter last group."""
    sizes = [len(g.digits) for g in groups]
    return len(sizes) == 1 or (all(s == 4 for s in sizes[:-1]) and 1 <= sizes[-1] <= 4)


def _two_dates(digits: str) -> bool:
    """20260408-20260414: a date range, not a card."""
    return (
        len(digits) == 16
        and id_birth_date_ok("0" * 6 + digits[:8] + "0000")
        and id_birth_date_ok("0" * 6 + digits[8:] + "0000")
    )


def _classify(groups: list[_Group], hint: str | None) -> _Match | None:
    """What a sequence of groups is as one number, if anything."""
    if any(g.x_end is not None for g in groups[:-1]):
        return None  # an X only ends an ID
    last = groups[-1]
    digits = "".join(g.digits for g in groups)
    start, end = groups[0].start, last.end
    regular = _regular(groups)
    n = len(digits)
    if last.x_end is not None and n == 17:  # 17 digits and X: only an ID is written so
        full = digits + "X"
        date_ok = id_birth_date_ok(full)
        strong = date_ok and full[0] != "0"
        if strong or regular:
            return _Match(
                ID_NUMBER, _STRONG if strong else _WEAK, start, last.x_end, full, date_ok and is_valid_id(full), date_ok
            )
    if n in (15, 18) and not (hint == BANK_CARD and n == 18 and luhn_ok(digits)):
        date_ok = id_birth_date_ok(digits)
        strong = date_ok and digits[0] != "0"
        if strong or regular:
            return _Match(
                ID_NUMBER, _STRONG if strong else _WEAK, start, end, digits, date_ok and is_valid_id(digits), date_ok
            )
    if n == 11 and regular and re.match(r"1[3-9]", digits):
        return _Match(MOBILE, _STRONG, start, end, digits, True, True)
    if (
        n == 13
        and re.match(r"861[3-9]", digits)
        and (regular or _regular(groups[1:]))
        and (len(groups) == 1 or groups[0].digits.startswith("86"))
    ):
        return _Match(MOBILE, _STRONG, start, end, digits[2:], True, True)
    if 16 <= n <= 19 and luhn_ok(digits) and not _two_dates(digits) and not (hint == ID_NUMBER and n == 17):
        if _card_grouping(groups):
            return _Match(BANK_CARD, _STRONG, start, end, digits, True, True)
        if regular:
            return _Match(BANK_CARD, _WEAK, start, end, digits, True, True)
    return None


def _tile(group: _Group) -> list[_Match] | None:
    """An unbroken run of 22+ digits that is exactly IDs and mobiles written together."""
    text = group.digits + ("X" if group.x_end is not None else "")
    if len(text) < 22:
        return None
    best: dict[int, list[_Match]] = {0: []}
    for position in range(len(text)):
        if position not in best:
            continue
        for length in (18, 11):
            piece = text[position : position + length]
            if len(piece) < length or ("X" in piece[:-1]) or (piece.endswith("X") and length == 11):
                continue
            start = group.start + position
            end = group.x_end if piece.endswith("X") and group.x_end is not None else min(start + length, group.end)
            if length == 18 and piece[0] != "0" and id_birth_date_ok(piece):
                match = _Match(ID_NUMBER, _STRONG, start, end, piece, is_valid_id(piece), True)
            elif length == 11 and re.match(r"1[3-9]", piece):
                match = _Match(MOBILE, _STRONG, start, end, piece, True, True)
            else:
                continue
            best.setdefault(position + length, best[position] + [match])
    tiles = best.get(len(text))
    return tiles if tiles and len(tiles) >= 2 else None


def _score(matches: list[_Match]) -> tuple[int, int, int]:
    return (sum(m.strength for m in matches), sum(len(m.digits) for m in matches), -len(matches))


def _resolve(groups: list[_Group], hint: str | None) -> list[_Match]:
    """The best reading of a run: strong shapes first, then the most digits explained, then fewest numbers."""
    best: list[list[_Match] | None] = [[]] + [None] * len(groups)
    for k in range(len(groups)):
        here = best[k]
        assert here is not None
        options: list[tuple[int, list[_Match]]] = [(k + 1, here)]
        if tiles := _tile(groups[k]):
            options.append((k + 1, here + tiles))
        for j in range(k + 1, min(len(groups), k + _MAX_SEGMENT_GROUPS) + 1):
            if match := _classify(groups[k:j], hint):
                options.append((j, [*here, match]))
        for j, candidate in options:
            if best[j] is None or _score(candidate) > _score(best[j]):  # type: ignore[arg-type]
                best[j] = candidate
    return best[-1] or []


def _blank(text: str, spans) -> str:
    """``text`` with the spans replaced by a character that breaks every run."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "#" * (end - start)
    return "".join(chars)


def _loose_findings(text: str, narrow: str, taken: list[tuple[int, int]], column: str | None) -> list[Finding]:
    """Numbers split by slashes, commas, colons, 顿号 or brackets, or written in Chinese numerals.

    Only what the strict pass could not read, and only strong shapes: a real ID, an ID-shaped
    typo, a mobile, or a card in groups of four with a card's first digits. A mobile is the
    only number read from Chinese numerals.
    """
    loose = narrow.translate(_LOOSE)
    if loose == narrow:
        return []
    taken = (
        taken
        + [m.span() for m in _DECIMAL.finditer(narrow)]
        + [m.span() for m in _THOUSANDS.finditer(narrow)]
        + [m.span() for m in _LANDLINE.finditer(narrow)]
    )
    found = []
    for groups in _runs(_blank(loose, taken)):
        for match in _resolve(groups, column):
            span = text[match.start : match.end]
            if not any(c in _LOOSE_SEPARATORS or c in _CHINESE_DIGITS for c in span):
                continue  # the strict pass has already read this one as it is
            if any(c in _CHINESE_DIGITS for c in span) and (match.kind != MOBILE or any(c.isdigit() for c in span)):
                continue  # a mobile in Chinese numerals is written in them alone (一3000… is a word and a number)
            if match.kind == ID_NUMBER and not (match.valid or id_shaped(match.digits)):
                continue
            if match.kind == BANK_CARD and (match.strength != _STRONG or not match.digits.startswith(_CARD_PREFIXES)):
                continue
            found.append(Finding(match.kind, match.start, match.end, match.digits, match.valid, match.date_ok))
    return found


def plausible_birth_date(digits: str) -> bool:
    """YYYYMMDD that looks like a birth date, real or not (19900230 is a typo of one; 00004234 is not)."""
    return (
        len(digits) == 8
        and digits.isdigit()
        and digits[:2] in ("18", "19", "20")
        and 1 <= int(digits[4:6]) <= 12
        and 1 <= int(digits[6:8]) <= 31
    )


def id_shaped(digits: str) -> bool:
    """18 characters that can only be an ID number, valid or not: 17 digits and X, or 18 digits
    whose birth-date digits look like a date. Such a number is masked wherever text prints."""
    digits = digits.upper()
    if len(digits) != 18 or not digits[:17].isdigit():
        return False
    return digits[17] == "X" or (digits[17].isdigit() and plausible_birth_date(digits[6:14]))


def find(text: str, column: str | None = None) -> list[Finding]:
    """Every personal number in ``text``, in order.

    ``column`` is the kind of number the cell's column holds (``column_kind``): then any
    other run of ``COLUMN_MIN_DIGITS`` or more digits, except a landline, is one too.
    """
    narrow = normalise(text)
    work = _blank(narrow, (m.span() for m in _DECIMAL.finditer(narrow)))
    findings = []
    for groups in _runs(work):
        for match in _resolve(groups, column):
            start = match.start
            if match.kind == MOBILE and narrow[start : start + 2] == "86" and start > 0 and narrow[start - 1] == "+":
                start -= 1
            findings.append(Finding(match.kind, start, match.end, match.digits, match.valid, match.date_ok))
    findings += _loose_findings(text, narrow, [(f.start, f.end) for f in findings], column)
    if column in LABELS:
        taken = [(f.start, f.end) for f in findings] + [m.span() for m in _LANDLINE.finditer(narrow)]
        for groups in _runs(_blank(narrow, taken)):
            digits = "".join(g.digits for g in groups) + ("X" if groups[-1].x_end is not None else "")
            if len(digits.rstrip("X")) >= COLUMN_MIN_DIGITS:
                end = groups[-1].x_end or groups[-1].end
                valid = is_valid_id(digits) and id_birth_date_ok(digits) if column == ID_NUMBER else False
                findings.append(
                    Finding(
                        column,
                        groups[0].start,
                        end,
                        digits,
                        valid,
                        id_birth_date_ok(digits) if column == ID_NUMBER else True,
                        by_column=True,
                    )
                )
    return sorted(findings, key=lambda f: f.start)


def scan(text: str) -> list[Finding]:
    """The last look before printing: ``find``, and also any run of 19+ digits that holds a whole,
    checksum-valid ID (a 残疾证号 is an ID and two more digits)."""
    found = find(text)
    narrow = normalise(text)
    taken = [(f.start, f.end) for f in found]
    for groups in _runs(_blank(narrow, taken)):
        digits = "".join(g.digits for g in groups) + ("X" if groups[-1].x_end is not None else "")
        if len(digits) < 19:
            continue
        for offset in range(len(digits) - 17):
            piece = digits[offset : offset + 18]
            if "X" not in piece[:-1] and piece[0] != "0" and id_birth_date_ok(piece) and is_valid_id(piece):
                end = groups[-1].x_end or groups[-1].end
                found.append(Finding(ID_NUMBER, groups[0].start, end, piece, True))
                break
    return sorted(found, key=lambda f: f.start)


def looks_mangled(text: str) -> bool:
    """A cell like 3.70828E+17: a long number (an ID or card) that Excel stored as a number."""
    return bool(_MANGLED.match(normalise(text)))


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
    return digits[:first] + MASK_CHAR * (length - first - last) + (digits[length - last :] if last else "")


def mask(
    text: str,
    rules: Mapping[str, PrivacyRule] | None = None,
    column: str | None = None,
    keep: Callable[[Finding], bool] | None = None,
) -> tuple[str, list[Finding]]:
    """``text`` with every personal number replaced by its masked form, and what was masked.

    ``rules`` is the workspace policy (``policy()`` fills in the defaults); ``column`` as for
    ``find``. A finding for which ``keep`` is true stays whole (a roster's bank cards unless
    declared masked, a contacts notice's public work mobiles). The masked form is written
    without separators: 138 1234 5678 becomes 138****5678.
    """
    found = [f for f in find(text, column) if keep is None or not keep(f)]
    return _replace(text, found, rules), found


def masked_text(text: str, rules: Mapping[str, PrivacyRule] | None = None) -> str:
    """``text`` as ``scan`` would let it print: for messages that quote user text."""
    return _replace(text, scan(text), rules)


def _replace(text: str, found: list[Finding], rules: Mapping[str, PrivacyRule] | None) -> str:
    if not found:
        return text
    rules = policy(rules)
    pieces, position = [], 0
    for finding in found:
        pieces.append(text[position : finding.start])
        if position and finding.start == position:
            pieces.append(" ")  # numbers that were run together print apart: 370***31 138****5678
        pieces.append(mask_digits(finding.digits, rules[finding.kind]))
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)
