"""Masking loaded tables and notice files: the table-level side of ``privacy`` (issues 5 and 13).

A kind declares what its ``mask:`` key masks (``KindSpec.masks``: ``privacy.MASK_COLUMNS`` for
``mask: [身份证号, 联系电话]``, ``MASK_ALL`` for ``mask: true``). A kind with a data table
(contacts, roster, letter) reads the columns with ``declared_columns`` and masks them with
``mask_columns`` in its ``load``, before anything else sees the cells: the full value never
reaches the checks' messages, the layout, the PDF or the online copy. ``mask_columns`` is the
one loop that masks cells; the roster, which masks every printed cell (``KindSpec.masks_cells``),
uses it too. Every column is masked with the workspace ``privacy`` policy, one policy for the
whole workspace, because the same number masked differently on two sheets could be joined back
together.

In a declared column every ID number, mobile and bank card is masked, and when its header
names such numbers (身份证号, 联系电话, 银行卡号…, ``privacy.column_kind``) any run of 7 or
more digits is masked too, except an office landline with its area code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import cast

from .. import privacy
from ..models import Column, Settings, Table
from ..problems import Problem, Where, error, warning
from .tables.header import normalise
from .yamlsrc import MapReader, YNode

KEY = "mask"
LABEL = "遮盖列"


def find_column(table: Table, name: str, aliases: dict[str, str] | None = None) -> Column | None:
    """The column called ``name``: by its header as written, its canonical key, or an alias of that key,
    each compared as the table reader compares headers (``tables.header.normalise``)."""
    wanted = normalise(name)
    for column in table.columns:
        names = [column.header, column.key, (aliases or {}).get(column.key, "")]
        if wanted in (normalise(n) for n in names if n):
            return column
    return None


def declared_columns(
    reader: MapReader, table: Table, aliases: dict[str, str] | None = None
) -> tuple[list[Column], list[Problem]]:
    """The columns named in ``mask:``; a name the table does not have is an error naming those it has."""
    node = reader.raw(KEY)
    if node is None or node.value is None:
        return [], []
    present = "、".join(privacy.masked_text(c.header) for c in table.columns)
    if node.is_scalar and str(node.value).strip().lower() in ("true", "false", "yes", "no", "是", "否"):
        return [], [
            error(
                reader.where(KEY),
                (
                    f"「{KEY}」（{LABEL}）要列出需要遮盖的列名，例如 mask: [身份证号, 联系电话]，不能写 {node.value}。"
                    f"表中现有的列：{present}。"
                ),
            )
        ]
    return named_columns(reader, KEY, LABEL, table, aliases)


def named_columns(
    reader: MapReader, key: str, label: str, table: Table, aliases: dict[str, str] | None = None
) -> tuple[list[Column], list[Problem]]:
    """The columns a notice key lists (``[户号, 姓名]`` or "户号, 姓名"), each once; an unknown name
    is an error at its line, naming the columns the table has."""
    present = "、".join(privacy.masked_text(c.header) for c in table.columns)
    problems: list[Problem] = []
    names: list[tuple[str, Where]] = []
    for text, where in reader.text_list(key, label):
        names += [(part.strip(), where) for part in re.split(r"[,，、]", text) if part.strip()]
    columns: list[Column] = []
    for name, where in names:
        column = find_column(table, name, aliases)
        if column is None:
            problems.append(
                error(
                    where,
                    (
                        f"「{key}」（{label}）"
                        f"中的「{privacy.masked_text(name)}」在数据表 {table.display} 中没有这一列。"
                        f"请改成表头里的列名。表中现有的列：{present}。"
                    ),
                )
            )
        elif column not in columns:
            columns.append(column)
    return columns, problems


def mask_columns(
    table: Table,
    columns: list[Column],
    settings: Settings,
    keep: Callable[[Column, privacy.Finding], bool] | None = None,
) -> dict[tuple[int, str], list[privacy.Finding]]:
    """Mask the cells of ``columns`` in place by the workspace policy: the one place a table's cells are masked.

    Returns what was masked in each cell, by (index in ``table.rows``, column key), for the kinds
    that count or warn of it. ``keep`` as for ``privacy.mask``, asked with the cell's column: a
    finding it accepts stays whole (a contacts notice's public work mobiles, a roster's bank
    cards outside the columns it masks).
    """
    rules = privacy.policy(settings.privacy)
    masked: dict[tuple[int, str], list[privacy.Finding]] = {}
    for column in columns:
        holds = privacy.column_kind(column.header)
        kept = (lambda f, column=column: keep(column, f)) if keep is not None else None
        for index, row in enumerate(table.rows):
            cell = row.cells.get(column.key)
            if cell is None or not cell.text:
                continue
            cell.text, found = privacy.mask(cell.text, rules, column=holds, keep=kept)
            if found:
                masked[(index, column.key)] = found
    return masked


# -- ID-shaped numbers (issue 13) --------------------------------------------------------
# An ID number with a wrong check digit or a birth date that cannot be is still 17 digits of
# someone's ID. Every kind masks such a number where it is read (the notice file's values and
# the data table's cells), with the warning the roster gives, before a check, the layout, the
# PDF's metadata or the online copy sees it. Valid IDs are left to the scanner, which refuses
# them outside a declared column.


def typo_id_warning(finding: privacy.Finding, where: Where, rules) -> Problem | None:
    """What is wrong with a masked ID number as written, in its masked form; None when it is valid."""
    if finding.kind != privacy.ID_NUMBER:
        return None
    shown = privacy.mask_digits(finding.digits, rules[finding.kind])
    if not finding.date_ok:
        return warning(where, f"身份证号 {shown} 中的出生日期不是真实的日期，请核对是否录错。")
    if not finding.valid:
        return warning(where, f"身份证号 {shown} 的校验位不对，请核对是否录错。")
    return None


def mask_id_shaped(text: str, where: Where | Callable[[str], Where], rules, problems: list[Problem]) -> str:
    """``text`` with every ID-shaped number that is not a valid ID masked, and a warning for each.

    ``where`` may be a function of the number as written, for a value spanning several lines."""
    found = [
        f for f in privacy.find(text) if f.kind == privacy.ID_NUMBER and not f.valid and privacy.id_shaped(f.digits)
    ]
    if not found:
        return text
    masked, _ = privacy.mask(text, rules, keep=lambda f: f not in found)
    for finding in found:
        place = where(text[finding.start : finding.end]) if callable(where) else where
        if typo := typo_id_warning(finding, place, rules):
            problems.append(typo)
    return masked


UNMASKED_KEYS = ("id", "kind", "data", "sheet", "date", "paper", "orientation", "base_url")  # names, not printed text


def mask_yaml_ids(
    node: YNode, file: str, rules, problems: list[Problem], lines: list[str] | None = None, top: bool = True
) -> None:
    """Mask ID-shaped numbers in every value of a notice file, in place, each warned at its line.

    ``lines`` (the file's text) lets a number inside a block of text (``body: |``) be located at
    its own line rather than the block's first."""
    if node.is_map:
        for key, value in cast(dict, node.value).items():
            if not (top and key in UNMASKED_KEYS):
                mask_yaml_ids(value, file, rules, problems, lines, top=False)
    elif node.is_seq:
        for item in cast(list, node.value):
            mask_yaml_ids(item, file, rules, problems, lines, top=False)
    elif isinstance(node.value, str):

        def where(written: str, start: int = node.line) -> Where:
            known = lines or []
            for number in range(start, len(known) + 1):
                if written in known[number - 1]:
                    return Where(file, number)
            return Where(file, start)

        node.value = mask_id_shaped(node.value, where, rules, problems)


def mask_table_ids(table: Table, rules, problems: list[Problem]) -> None:
    """Mask ID-shaped numbers in every header and cell of a data table, in place."""
    for column in table.columns:
        column.header = mask_id_shaped(column.header, column.where, rules, problems)
    for row in table.rows:
        for cell in row.cells.values():
            if cell.text:
                cell.text = mask_id_shaped(cell.text, cell.where, rules, problems)
