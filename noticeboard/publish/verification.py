"""The 核验码: a short code printed beside every sheet's QR code, shown online and kept in the register.

It is a hash of the laid-out content (every text with its place and size, the QR address and
the paper), not of the PDF: the code is itself part of the PDF. A sheet is laid out with a
placeholder as wide as any code, the code is worked out from everything but the placeholder,
and the placeholder is then written over with it, so the layout is done once.
"""

from __future__ import annotations

import hashlib
import re

from ..layout.sheet import QRItem, Sheet, TextItem
from . import register

# 32 symbols without 0/O, 1/I: nothing a villager could read two ways off a printed sheet
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 8  # 40 bits: a chance collision between two of a town's notices is out of reach
PLACEHOLDER = "WWWW-WWWW"  # W is the widest symbol: the real code never needs more room
LABEL = "核验码"


def formatted(raw: str) -> str:
    return f"{raw[:4]}-{raw[4:]}"


def content_code(sheets: list[Sheet]) -> str:
    """The code of these sheets, read from everything laid out on them except the code itself."""
    digest = hashlib.sha256()
    for sheet in sheets:
        digest.update(f"sheet {sheet.width:.1f} {sheet.height:.1f}\n".encode())
        for item in sheet.items:
            if isinstance(item, TextItem):
                if PLACEHOLDER in item.text:
                    continue
                digest.update(
                    f"t {item.x:.1f} {item.y:.1f} {item.size:.2f} {int(item.bold)} {item.role} {item.text}\n".encode()
                )
            elif isinstance(item, QRItem):
                digest.update(f"q {item.url}\n".encode())
    number = int.from_bytes(digest.digest()[:5], "big")
    symbols = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        symbols.append(ALPHABET[index])
    return formatted("".join(symbols))


def stamp(sheets: list[Sheet]) -> str | None:
    """Work out the code and write it over the placeholder; None when the sheets carry no placeholder."""
    holders = [
        item for sheet in sheets for item in sheet.items if isinstance(item, TextItem) and PLACEHOLDER in item.text
    ]
    if not holders:
        return None
    code = content_code(sheets)
    for item in holders:
        item.text = item.text.replace(PLACEHOLDER, code)
    return code


def normalised(text: str) -> str | None:
    """What a villager typed (abcd efgh, ABCD-EFGH, with a full-width dash) as ABCD-EFGH.

    None if it cannot be a code."""
    raw = re.sub(r"[\s\-－—_]", "", text).upper()
    if len(raw) != LENGTH or any(c not in ALPHABET for c in raw):
        return None
    return formatted(raw)


def describe(publications: list, text: str) -> tuple[int, list[str]]:
    """(exit status, lines) for ``noticeboard verify``: which notice and revision carries the code."""
    code = normalised(text)
    if code is None:
        return 2, [
            f"「{text}」不是核验码：核验码是 8 位字母和数字（不含 0、O、1、I），印在二维码旁边，"
            f"如 {PLACEHOLDER.replace('W', 'K')}。"
        ]
    found = register.carrying(publications, code)
    if not found:
        return 1, [
            f"核验码 {code} 不属于任何正式公开的版本。",
            "这张纸可能是草稿、已被修改，或者不是本单位发布的。请以网上公开版本为准，或拨打监督电话核实。",
        ]
    lines = []
    for publication in found:
        versions = register.history(publications, publication.id)
        current = max(p.revision for p in versions)
        lines.append(
            f"核验码 {code}：「{publication.title}」（编号 {publication.id}）第{publication.revision}版，"
            f"发布日期 {publication.date.year}年{publication.date.month}月{publication.date.day}日。"
        )
        lines.append(
            "这是现行版本。"
            if publication.revision == current
            else f"这一版已被第{current}版取代，请看网上公开的现行版本。"
        )
    return 0, lines
