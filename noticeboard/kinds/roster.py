"""roster: 公示名单 (SPEC §2): 低保对象, 补贴发放, 选民名单, 候选人.

Any columns. ``columns:`` picks and orders the printed ones (all of them, in file
order, by default); ``group_by:`` makes a section per group (e.g. 村民小组) with its
count, groups in order of first appearance and rows in file order. The group column
itself is not repeated in every row: the section heading carries it.

Every cell is masked at load time by the workspace privacy policy (noticeboard.privacy):
ID numbers and mobiles leave this module as 370***********1X, so the full value never
reaches the checks' messages, the layout or the PDF. A column whose header names them
(身份证号, 联系电话…) is masked by digit count whatever the cell's shape, except an office
landline with its area code. Bank cards are masked only in the columns named in
``mask:`` (遮盖列, e.g. ``mask: [银行卡号]``; noticeboard.masking), where everything is
masked; a card anywhere else is refused by the privacy scanner (checks/privacy.py). A
header that is itself such a number means the file has no header row: an error, never a
column. ``check`` then scans every printed string once more (cells, headers, group names,
the title and issuer) and refuses any number that is still whole, worded as the scanner
words it.

A list is drawn as narrow tables flowed into as many side-by-side columns as fit
(layouts/roster.yaml: body.columns auto), so 1,500 names take a few sheets, not 40.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .. import privacy
from ..layout.blocks import GROUP_LEAD_ROWS, NOTE, ORPHAN_ROWS, Block, Paragraph, TableColumn, TableRow
from ..layout.blocks import Table as TableBlock
from ..load import masking, options
from ..load.options import Schema, Values
from ..load.tables import ColumnSpec, parse_amount
from ..models import Notice, Settings, Table, Text, Workspace
from ..problems import Problem, Where, error, warning
from . import Composition, KindSpec, dates_meta, table_notes

# Headers a roster usually has. None is required; they let the reader find the header row
# under a title line, and let `columns:` name a column by its English alias too.
COLUMNS = [
    ColumnSpec("no", "序号", required=False),
    ColumnSpec("name", "姓名", required=False, aliases=("名字",)),
    ColumnSpec("sex", "性别", required=False),
    ColumnSpec("birth", "出生年月", required=False, aliases=("出生日期",)),
    ColumnSpec("group", "村民小组", required=False, aliases=("组别", "所在小组", "村组")),
    ColumnSpec("household", "户号", required=False, aliases=("户编号",)),
    ColumnSpec("head", "户主姓名", required=False, aliases=("户主",)),
    ColumnSpec("members", "家庭人口", required=False, aliases=("家庭人数", "人口数", "家庭成员数")),
    ColumnSpec("id_number", "身份证号", required=False, aliases=("身份证号码", "公民身份号码", "身份证")),
    ColumnSpec("phone", "联系电话", required=False, aliases=("电话", "手机号码", "手机号")),
    ColumnSpec("address", "地址", required=False, aliases=("住址", "家庭住址")),
    ColumnSpec("note", "备注", required=False),
]
ALIASES = {spec.key: spec.zh for spec in COLUMNS}  # a column may be named by its Chinese name too
GROUP_BY = options.text("group_by", "分组列")
COUNT_UNIT = options.text("count_unit", "计数单位", default="人")
OPTIONS = Schema(
    "通知文件",
    (
        options.text_list("columns", "列"),
        GROUP_BY,
        COUNT_UNIT,
        options.raw(masking.KEY, masking.LABEL),
        options.text_list("sum", "合计列"),
    ),
)
WRAP_AFTER = 8  # a column holding longer Chinese text (地址, 备注) may wrap; names and numbers never do
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class RosterColumn:
    key: str
    label: str  # the header as written in the file
    where: Where


@dataclass
class RosterRow:
    cells: list[str]  # masked, in print order
    group: str
    where: Where
    number: int = 0  # the row in the file, for ``sum:``
    wheres: list[Where] = field(default_factory=list)  # each printed cell's place, in print order
    group_where: Where | None = None  # the group_by cell, when it names the group


@dataclass
class RosterContent:
    columns: list[RosterColumn]
    groups: list[tuple[str, list[RosterRow]]]  # in order of first appearance; one ("", rows) without group_by
    group_label: str | None  # the group_by column's header
    unit: str  # 人 or 户: what one row counts
    unit_where: Where | None = None  # where count_unit is written (or the notice, which defaults it)
    masked: dict[str, int] = field(default_factory=dict)  # finding kind -> cells masked
    printed: list[Text] = field(default_factory=list)  # every printed string, masked, for ``check``'s last scan
    notes: list[Text] = field(default_factory=list)  # the 注：… lines under the table, masked
    signatures: list[Text] = field(default_factory=list)  # 制表人：… lines, masked
    sums: dict[int, tuple[int, bool]] = field(default_factory=dict)  # ``sum:`` column index -> (decimals, commas)
    values: dict[int, dict[int, Decimal]] = field(default_factory=dict)  # ``sum:`` column index -> row number -> amount

    @property
    def count(self) -> int:
        return sum(len(rows) for _, rows in self.groups)


def _names(reader: Values, key: str) -> list[tuple[str, Where]]:
    """A YAML list of column names; a single line "序号, 姓名" is split on commas and 顿号 too."""
    names = []
    for text, where in reader[key]:
        names += [(part.strip(), where) for part in re.split(r"[,，、]", text) if part.strip()]
    return names


def load(
    notice: Notice, reader: Values, table: Table | None, settings: Settings
) -> tuple[RosterContent | None, list[Problem]]:
    problems: list[Problem] = []
    assert table is not None
    rules = privacy.policy(settings.privacy)  # one masking policy for the whole workspace
    # A header is printed and quoted in messages: it must never carry a full number.
    headers = {c.key: privacy.masked_text(c.header, rules) for c in table.columns}
    for column in table.columns:
        if hits := privacy.scan(column.header):
            problems.append(
                error(
                    column.where,
                    (
                        f"表格第一行应当是表头，如 姓名、身份证号。这一格「{headers[column.key]}」是{hits[0].label}，"
                        "像是第一个人的数据：请在名单最上面插入一行表头。"
                    ),
                )
            )
    if problems:
        return None, problems  # without a header row every column and the count would be wrong
    present = "、".join(headers[c.key] for c in table.columns)
    chosen = []
    names = _names(reader, "columns")
    if reader.has("columns") and not names:
        problems.append(
            error(
                reader.where("columns"),
                f"「columns」（列）是空的：请列出要印的列，例如 [序号, 姓名]。表中现有的列：{present}。",
            )
        )
    for name, where in names:
        listed = masking.find_column(table, name, ALIASES)
        if listed is None:
            problems.append(
                error(
                    where,
                    f"「columns」中的「{name}」在数据表 {table.display} 中没有这一列。请改成表头里的列名。"
                    "表中现有的列："
                    f"{present}。",
                )
            )
        elif listed in chosen:
            problems.append(error(where, f"「columns」中的「{name}」写了两次，请删去一个。"))
        else:
            chosen.append(listed)
    group_column = None
    if (group_name := reader[GROUP_BY]) is not None:
        group_column = masking.find_column(table, group_name, ALIASES)
        if group_column is None:
            problems.append(
                error(
                    reader.where("group_by"),
                    f"「group_by」（分组列）「{group_name}」在数据表 {table.display} 中没有这一列。表中现有的列："
                    f"{present}。",
                )
            )
    unit = reader[COUNT_UNIT] or "人"
    declared, found = masking.declared_columns(reader, table, ALIASES)
    problems += found
    if any(p.is_error for p in problems):
        return None, problems
    if not reader.has("columns"):
        chosen = list(table.columns)
    printed = [c for c in chosen if c is not group_column]  # the section heading carries the group
    if not printed:
        group_header = group_column.header if group_column else ""
        problems.append(error(reader.where("columns"), f"除了分组列「{group_header}」，至少还要印一列，例如姓名。"))
        return None, problems
    content = RosterContent(
        [RosterColumn(c.key, c.header, c.where) for c in printed],
        [],
        group_column.header if group_column else None,
        unit,
        reader.where("count_unit"),
        notes=[Text(privacy.masked_text(t.value, rules), t.where) for t in table.notes],
        signatures=[Text(privacy.masked_text(t.value, rules), t.where) for t in table.signatures],
    )
    problems += _sum_columns(reader, table, printed, content, present)
    content.printed += [Text(c.header, c.where) for c in printed] + [Text(unit, reader.where("count_unit"))]
    groups: dict[str, list[RosterRow]] = {}
    seen_ids: dict[str, Where] = {}
    holds = {c.key: privacy.column_kind(c.header) for c in table.columns}  # 身份证号 -> id_number …
    for column in printed:
        if holds[column.key] == privacy.BANK_CARD and column not in declared:
            problems.append(
                warning(
                    column.where,
                    (
                        f"「{headers[column.key]}」列会原样印出，银行账号不能公开。"
                        f"请在通知文件中写 mask: [{headers[column.key]}] "
                        "遮盖这一列，或在 columns 中去掉它。"
                    ),
                )
            )
    on_sheet = printed + ([group_column] if group_column else [])
    mangled = {
        (index, column.key): row.cells[column.key].text
        for index, row in enumerate(table.rows)
        for column in on_sheet
        if privacy.looks_mangled(row.cells[column.key].text)
    }
    # every number in every printed cell is masked, but a card only where declared: elsewhere the
    # scanner refuses it whole
    masked = masking.mask_columns(
        table, on_sheet, settings, keep=lambda column, f: column not in declared and f.kind == privacy.BANK_CARD
    )
    for index, row in enumerate(table.rows):
        masked_cells = {}
        for column in on_sheet:
            cell = row.cells[column.key]
            if (index, column.key) in mangled:
                problems.append(
                    error(
                        cell.where,
                        (
                            f"「{column.header}」这一格是「{mangled[index, column.key]}」："
                            "长号码被 Excel 存成了数字，后几位已经丢失。请把这一列设为「文本」格式，重新录入后再保存。"
                        ),
                    )
                )
            text = cell.text
            for finding in masked.get((index, column.key), ()):
                content.masked[finding.kind] = content.masked.get(finding.kind, 0) + 1
                problems += _number_warnings(finding, column.header, cell.where, rules)
                if finding.kind == privacy.ID_NUMBER and len(finding.digits) in (15, 18):
                    shown = privacy.mask_digits(finding.digits, rules[finding.kind])
                    if finding.digits in seen_ids:
                        problems.append(
                            warning(
                                cell.where,
                                (f"身份证号 {shown} 与 {seen_ids[finding.digits]} 的相同：同一个人是否列了两次？"),
                            )
                        )
                    seen_ids.setdefault(finding.digits, cell.where)
            masked_cells[column.key] = Text(text, cell.where)
        group = ""
        if group_column:
            group = masked_cells[group_column.key].value
            if not group:
                group = f"未填{group_column.header}"
                problems.append(
                    warning(
                        row.cells[group_column.key].where,
                        (f"「{group_column.header}」是空的，这一行会列在「{group}」一组里。请补上。"),
                    )
                )
            else:
                content.printed.append(masked_cells[group_column.key])
        first = row.cells[printed[0].key].where
        named = masked_cells[group_column.key] if group_column else None
        group_where = named.where if named and named.value else None
        groups.setdefault(group, []).append(
            RosterRow(
                [masked_cells[c.key].value for c in printed],
                group,
                first,
                row.number,
                [masked_cells[c.key].where for c in printed],
                group_where,
            )
        )
        content.printed += [masked_cells[c.key] for c in printed if masked_cells[c.key].value]
    content.groups = list(groups.items())
    return content, problems


def _sum_columns(reader: Values, table: Table, printed: list, content: RosterContent, present: str) -> list[Problem]:
    """``sum: [原值（元）]``: amount columns totalled under each group and over the list (资产、债权债务清单)."""
    problems: list[Problem] = []
    for name, where in _names(reader, "sum"):
        column = masking.find_column(table, name, ALIASES)
        if column is None or column not in printed:
            problems.append(
                error(
                    where, f"「sum」中的「{name}」不是要印的列，无法合计。请改成要印的列名。表中现有的列：{present}。"
                )
            )
            continue
        index = printed.index(column)
        values, decimals, commas = {}, 0, False
        for row in table.rows:
            cell = row.cells[column.key]
            text = cell.text.strip()
            value = parse_amount(text) if text else Decimal(0)
            if value is None:
                problems.append(error(cell.where, f"「{column.header}」列要合计，这一格应当是数字，现在是「{text}」。"))
                value = Decimal(0)
            if "." in text:
                decimals = max(decimals, len(text.rsplit(".", 1)[1].rstrip(")）")))
            commas |= "," in text
            values[row.number] = value
        content.sums[index] = (decimals, commas)
        content.values[index] = values
    return problems


def _total_cells(content: RosterContent, rows: list[RosterRow], label: str) -> list[str]:
    """A 小计/合计 row: the label in the first column that is not summed, each summed column's total."""
    cells = [""] * len(content.columns)
    for index, (decimals, commas) in content.sums.items():
        total = sum((content.values[index][row.number] for row in rows), Decimal(0))
        cells[index] = f"{total:{',' if commas else ''}.{decimals}f}"
    first = next((i for i in range(len(cells)) if i not in content.sums), None)
    if first is not None:
        cells[first] = label
    return cells


def _number_warnings(finding: privacy.Finding, header: str, where: Where, rules) -> list[Problem]:
    """A masked number that cannot be right as written: say so, in its masked form."""
    shown = privacy.mask_digits(finding.digits, rules[finding.kind])
    digits = len(finding.digits)
    if finding.kind == privacy.ID_NUMBER and digits not in (15, 18):
        return [
            warning(where, f"「{header}」这一格的号码 {shown} 有 {digits} 位，身份证号应为 18 位，请核对是否录错。")
        ]
    if finding.kind == privacy.ID_NUMBER and (typo := masking.typo_id_warning(finding, where, rules)):
        return [typo]  # the same words every kind gives for a typo'd ID (noticeboard.masking)
    if finding.by_column and finding.kind == privacy.MOBILE and finding.digits.startswith("1"):
        return [warning(where, f"「{header}」这一格的号码 {shown} 有 {digits} 位，手机号应为 11 位，请核对是否录错。")]
    return []


def check(notice: Notice, content: RosterContent | None, workspace: Workspace) -> list[Problem]:
    """A roster has no rules of its own: cells were masked at load, and the privacy scanner
    (checks/privacy.py) looks over everything it prints, title and issuer included."""
    return []


def _align(values: list[str]) -> str:
    filled = [v for v in values if v]
    if filled and all(parse_amount(v) is not None for v in filled):
        return "right"  # amounts and counts line up on the right
    if filled and max(len(v) for v in filled) <= 2:
        return "center"  # 性别, 是/否
    return "left"


def _columns(content: RosterContent) -> list[TableColumn]:
    rows = [row for _, group in content.groups for row in group]
    columns = []
    for index, column in enumerate(content.columns):
        values = [row.cells[index] for row in rows]
        wrap = any(len(v) > WRAP_AFTER and _CJK.search(v) for v in values)
        columns.append(TableColumn(column.label, _align(values), wrap=wrap, source=column.where))
    return columns


def _meta(notice: Notice, content: RosterContent) -> list[str]:
    meta = dates_meta(notice)
    total = f"共{content.count}{content.unit}"
    if content.group_label:
        total += f"，分{len(content.groups)}个{content.group_label}"
    meta.append(total)
    return meta


def compose(notice: Notice, content: RosterContent) -> Composition:
    columns = _columns(content)

    def line(row: RosterRow) -> TableRow:
        return TableRow(row.cells, sources=dict(enumerate(row.wheres)))

    unit = (Text(content.unit, content.unit_where),) if content.unit_where else ()
    every_row = [line(row) for _, rows in content.groups for row in rows]
    totals: dict[int, TableRow] = {}  # group number -> its 小计 row
    for number, (_, rows) in enumerate(content.groups if content.sums else []):
        label = "小计" if len(content.groups) > 1 else "合计"
        totals[number] = TableRow(_total_cells(content, rows, label), bold=True, total=True)
    every_row += list(totals.values())
    blocks: list[Block] = []
    for number, (name, rows) in enumerate(content.groups):
        table_rows = [line(row) for row in rows] + ([totals[number]] if number in totals else [])
        named = tuple(Text(row.group, row.group_where) for row in rows if row.group_where)
        name = name or "名单"
        # all groups share the column widths, so the sections line up column under column
        blocks.append(
            TableBlock(
                columns,
                table_rows,
                caption=f"{name}（{len(rows)}{content.unit}）",
                continued_caption=f"{name}（续）",
                all_rows=every_row,
                caption_sources=named + unit,
                lead_rows=GROUP_LEAD_ROWS if content.group_label else ORPHAN_ROWS,
            )
        )
    if content.sums and len(content.groups) > 1:
        grand = _total_cells(content, [row for _, rows in content.groups for row in rows], "合计")
        parts = [f"{content.columns[i].label} {grand[i]}" for i in sorted(content.sums)]
        labels = tuple(Text(content.columns[i].label, content.columns[i].where) for i in sorted(content.sums))
        blocks.append(
            Paragraph(f"全部{content.count}{content.unit}合计：{'，'.join(parts)}", bold=True, sources=unit + labels)
        )
    if content.masked:
        kinds = "、".join(privacy.LABELS[k] for k in privacy.LABELS if k in content.masked)
        blocks.append(Paragraph(f"注：{kinds}已按规定隐去中间几位。", size=0.9, colour="colours.muted", role=NOTE))
    blocks += table_notes(content)
    return Composition(blocks=blocks, meta=_meta(notice, content))  # columns: layouts/roster.yaml says auto


KIND = KindSpec(
    name="roster",
    label="名单",
    design="roster",
    options=OPTIONS,
    content=RosterContent,
    columns=COLUMNS,
    load=load,
    check=check,
    compose=compose,
    masks_cells=True,
    open_columns=True,
    masks=privacy.MASK_COLUMNS,
)
