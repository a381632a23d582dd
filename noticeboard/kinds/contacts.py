"""contacts: 机构设置、部门职能、领导成员及职责、联系电话 (SPEC §2).

One row per person: 部门, 姓名, 职务, and optionally 分管工作, 办公电话, 办公地点. Rows
whose 部门 is 领导班子 are the leadership and come first with their 分管工作. The
notice's ``departments:`` list gives each department's 部门职能 and the order of the
departments. An empty 部门 cell takes the department of the row above, because a
department is usually a merged cell spanning its people in Excel and WPS.

Personal numbers (issue 5). The board carries office landlines; a full mobile, ID or card
in any cell is refused by the privacy scanner (checks/privacy.py). Two keys change that:

``mask`` (遮盖列, e.g. ``mask: [办公电话]``)
    Columns masked at load with the workspace ``privacy`` policy (noticeboard.masking): a
    mobile there prints as 138****5678, so the full number never reaches the PDF or the
    online copy. Landlines with an area code stay whole. A name the table does not have is
    an error naming the columns it has.
``public_mobiles`` (公开的工作手机)
    Officials' work mobiles that may print in full, each listed: ``public_mobiles:
    [13905370001, 139-0537-0002]``. A listed number is neither masked nor reported; every
    other mobile still is. ``public_mobiles: true`` alone is an error: the numbers must be
    listed. A listed number the table does not hold is a warning.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .. import privacy
from ..layout.blocks import HEADING, Paragraph, Spacer, TableColumn, TableRow
from ..layout.blocks import Table as TableBlock
from ..layout.groups import BalancedColumns, Continued
from ..load import masking, options
from ..load.options import Schema, Values
from ..load.tables import ColumnSpec
from ..models import Notice, Row, Settings, Table, Text, Workspace
from ..numerals import chinese_numeral
from ..problems import Problem, Where, error, warning
from . import Composition, KindSpec, dates_meta, table_notes

LEADERSHIP = "领导班子"
COLUMNS = [
    ColumnSpec("department", "部门", aliases=("部门名称", "所在部门", "单位", "科室", "站所", "内设机构", "机构")),
    ColumnSpec("name", "姓名", aliases=("名字", "人员姓名")),
    ColumnSpec("title", "职务", aliases=("职位", "职务职级", "现任职务", "职务（职级）")),
    ColumnSpec(
        "duties",
        "分管工作",
        required=False,
        aliases=("分管", "分工", "工作分工", "职责", "工作职责", "岗位职责", "分管领域", "负责工作"),
    ),
    ColumnSpec("phone", "办公电话", required=False, aliases=("电话", "联系电话", "座机", "办公室电话", "固定电话")),
    ColumnSpec(
        "office", "办公地点", required=False, aliases=("办公室", "地点", "办公室号", "房间号", "办公地址", "办公房间")
    ),
]
LABEL = {c.key: c.zh for c in COLUMNS}
NUMERALS = "一二三四五六七八九十"
DEPARTMENTS = options.items("departments", "部门职能")
PUBLIC_MOBILES = options.raw("public_mobiles", "公开的工作手机")  # a list of mobiles, or a mistaken true/false
OPTIONS = Schema("通知文件", (DEPARTMENTS, options.raw(masking.KEY, masking.LABEL), PUBLIC_MOBILES))
DEPARTMENT = Schema(
    "departments 中的部门",
    (
        options.text("name", "部门名称", required=True),
        options.text("duties", "部门职能"),
    ),
)


@dataclass
class Person:
    row: Row
    department: Text  # the 部门 cell it was written in (the row's own, or the one above it)

    def text(self, key: str) -> str:
        return self.row.text(key)

    def where(self, key: str) -> Where:
        cell = self.row.cells.get(key)
        return cell.where if cell else self.row.cells["name"].where


@dataclass
class Department:
    name: Text
    duties: Text | None  # 部门职能; None when the notice does not describe it
    listed: bool  # named in ``departments:``; otherwise only found in the table
    people: list[Person] = field(default_factory=list)


@dataclass
class ContactsContent:
    table: Table
    leaders: list[Person]
    leadership: Department | None  # a ``departments:`` entry for 领导班子 itself, if any
    departments: list[Department]  # in print order: as listed, then any found only in the table
    public_mobiles: frozenset[str] = frozenset()  # work mobiles that may print in full (the scanner reads it)

    def has(self, people: list[Person], key: str) -> bool:
        return any(p.text(key) for p in people)


def _one_line(text: str) -> str:
    """YAML block text as one paragraph: line breaks inside Chinese text are not spaces."""
    return re.sub(r"\s*\n\s*", "", text.strip())


def _load_departments(reader: Values) -> tuple[list[Department], list[Problem]]:
    problems: list[Problem] = []
    departments: list[Department] = []
    seen: dict[str, Where] = {}
    for item in reader[DEPARTMENTS]:
        entry = DEPARTMENT.values(item, reader.file, problems)
        name = entry["name"]
        if not name:
            continue
        where = entry.where("name")
        if name in seen:
            problems.append(
                error(where, f"部门「{name}」在 departments 中写了两次（另见 {seen[name]}），请合并为一项。")
            )
            continue
        seen[name] = where
        duties = entry["duties"]
        if duties is None:
            problems.append(
                warning(entry.where(), f"部门「{name}」没有写 duties（部门职能）。公开栏要列出各部门职能，请补上。")
            )
        departments.append(
            Department(
                Text(name, where), Text(_one_line(duties), entry.where("duties")) if duties else None, listed=True
            )
        )
    return departments, problems


def _public_mobiles(reader: Values, table: Table) -> tuple[frozenset[str], list[Problem]]:
    """The ``public_mobiles:`` list as bare 11-digit numbers; each entry must be one mobile."""
    key, label = PUBLIC_MOBILES.name, PUBLIC_MOBILES.label
    node = reader[PUBLIC_MOBILES]
    if node is None or node.value is None:
        return frozenset(), []
    if node.is_scalar and str(node.value).strip().lower() in ("true", "yes", "是", "false", "no", "否"):
        if str(node.value).strip().lower() in ("false", "no", "否"):
            return frozenset(), []
        return frozenset(), [
            error(
                reader.where(key),
                (
                    f"「{key}」（{label}）不能只写 true：请逐个列出允许公开的工作手机号，"
                    "例如 public_mobiles: [13905370001, 13905370002]。没有列出的手机号仍会被当作个人信息报错。"
                ),
            )
        ]
    problems: list[Problem] = []
    numbers: dict[str, Where] = {}
    for text, where in reader.text_list(key, label):
        found = privacy.find(text)
        digits = re.sub(r"\D", "", privacy.normalise(text))
        if (
            len(found) != 1
            or found[0].kind != privacy.MOBILE
            or digits not in (found[0].digits, "86" + found[0].digits)
        ):
            problems.append(
                error(
                    where,
                    (
                        f"「{key}」（{label}）中的「{privacy.masked_text(text)}」不是一个手机号。"
                        "每一项写一个 11 位手机号，例如 13905370001；办公座机不用列出。"
                    ),
                )
            )
            continue
        numbers.setdefault(found[0].digits, where)
    held = {f.digits for row in table.rows for cell in row.cells.values() for f in privacy.find(cell.text)}
    for number, where in numbers.items():
        if number not in held:
            problems.append(warning(where, f"「{key}」（{label}）中的 {number} 在表中没有出现，请核对或删去。"))
    return frozenset(numbers), problems


def load(
    notice: Notice, reader: Values, table: Table | None, settings: Settings
) -> tuple[ContactsContent | None, list[Problem]]:
    assert table is not None
    public, problems = _public_mobiles(reader, table)
    declared, found = masking.declared_columns(reader, table, LABEL)
    problems += found
    # before anything reads a cell: a masked column's full numbers never leave the load stage
    masking.mask_columns(table, declared, settings, keep=lambda _, f: f.kind == privacy.MOBILE and f.digits in public)
    departments, found = _load_departments(reader)
    problems += found
    by_name = {d.name.value: d for d in departments}
    leadership = by_name.pop(LEADERSHIP, None)
    departments = [d for d in departments if d is not leadership]
    leaders: list[Person] = []
    above: Text | None = None
    for row in table.rows:
        cell = row.cells["department"]
        if cell.text:
            above = Text(cell.text, cell.where)
        elif above is None:
            problems.append(error(cell.where, "部门是空的，请填写这个人所在的部门（领导成员填「领导班子」）。"))
        bad = above is None
        for key in ("name", "title"):
            if not row.text(key):
                problems.append(error(row.cells[key].where, f"{LABEL[key]}是空的，请填写。"))
                bad = True
        if bad or above is None:
            continue
        person = Person(row, above)
        if above.value == LEADERSHIP:
            leaders.append(person)
            continue
        department = by_name.get(above.value)
        if department is None:
            department = by_name[above.value] = Department(above, None, listed=False)
            departments.append(department)
        department.people.append(person)
    return ContactsContent(table, leaders, leadership, departments, public), problems


def check(notice: Notice, content: ContactsContent | None, workspace: Workspace) -> list[Problem]:
    if content is None:
        return []
    problems: list[Problem] = []
    listed = [d.name.value for d in content.departments if d.listed]
    for department in content.departments:
        name = department.name.value
        if not department.listed:
            close = difflib.get_close_matches(name, listed, n=1, cutoff=0.5)
            hint = f"是不是「{close[0]}」？名称要与 departments 中完全一致。" if close else ""
            problems.append(
                warning(
                    department.name.where,
                    (
                        f"部门「{name}」没有写在 departments 中，海报上不会有它的部门职能。{hint}"
                        f"请在 departments 中加上一项：{{name: {name}, duties: 部门职能}}。"
                    ),
                )
            )
        elif not department.people:
            problems.append(
                warning(
                    department.name.where,
                    (
                        f"departments 中的「{name}」在表中没有人员，海报上只有部门职能。请在表中补上该部门人员，"
                        "或删去这一项。"
                    ),
                )
            )
    people = content.leaders + [p for d in content.departments for p in d.people]
    if content.table.column("phone") is None:
        problems.append(
            warning(
                content.table.header_where,
                "表中没有「办公电话」列（也可写作 phone），海报上不会有联系电话。请加上这一列。",
            )
        )
    else:
        for person in people:
            if not person.text("phone"):
                problems.append(
                    warning(
                        person.where("phone"),
                        (
                            f"「{person.text('name')}」的办公电话是空的。请填写办公座机，如 0537-1234568；"
                            "若几个人合用一部电话（合并单元格），请在每一行都填上。"
                        ),
                    )
                )
    if content.leaders and content.table.column("duties") is None:
        problems.append(
            warning(
                content.table.header_where,
                "表中没有「分管工作」列（也可写作 duties），领导班子成员的分工无法公开。请加上这一列。",
            )
        )
    elif content.table.column("duties") is not None:
        for person in content.leaders:
            if not person.text("duties"):
                problems.append(
                    warning(person.where("duties"), f"领导班子成员「{person.text('name')}」的分管工作是空的，请填写。")
                )
    return problems


# -- composition ----------------------------------------------------------------------
def _people_table(people: list[Person], columns: list[tuple[str, str, bool]], basis: list[Person]) -> TableBlock:
    """A table of ``people``; every table built on the same ``basis`` gets the same column widths."""

    def row(person: Person) -> TableRow:
        return TableRow(
            [person.text(key) for key, _, _ in columns],
            sources={index: person.where(key) for index, (key, _, _) in enumerate(columns)},
        )

    return TableBlock(
        [TableColumn(label, wrap=wrap) for _, label, wrap in columns],
        [row(p) for p in people],
        all_rows=[row(p) for p in basis],
    )


def _heading(text: str, size: str, colour: str = "colours.text", source: Text | None = None) -> Paragraph:
    return Paragraph(
        text, size, bold=True, colour=colour, keep_with_next=True, role=HEADING, sources=(source,) if source else ()
    )


def _duties(department: Department) -> Paragraph:
    assert department.duties is not None
    return Paragraph(
        f"部门职能：{department.duties.value}",
        "contacts.duties_size",
        keep_with_next=True,
        sources=(department.duties,),
    )


def _continued_head(text: str, source: Text | None = None) -> Paragraph:
    return Paragraph(
        f"{text}（续）",
        "contacts.continued_size",
        bold=True,
        colour="colours.muted",
        sources=(source,) if source else (),
    )


def compose(notice: Notice, content: ContactsContent) -> Composition:
    meta = dates_meta(notice)
    blocks: list = []
    numerals = iter(NUMERALS)
    if content.leaders:
        # 分管工作 takes the squeeze: a title, a phone number or an office stays on one line
        columns = [("name", "姓名", False), ("title", "职务", False), ("duties", "分管工作", True)]
        columns += [(k, LABEL[k], False) for k in ("phone", "office") if content.has(content.leaders, k)]
        blocks.append(_heading(f"{next(numerals)}、领导班子成员及分工", "contacts.section_size"))
        if content.leadership and content.leadership.duties:
            blocks.append(_duties(content.leadership))
        table = _people_table(content.leaders, columns, content.leaders)
        blocks.append(Continued(table, _continued_head("领导班子成员及分工")))
    if content.departments:
        staff = [p for d in content.departments for p in d.people]
        # cells stay whole: the number of department columns follows from the tables' natural width
        columns = [("name", "姓名", False), ("title", "职务", False)]
        if content.has(staff, "duties"):
            columns.append(("duties", "工作职责", True))
        columns += [(k, LABEL[k], False) for k in ("phone", "office") if content.has(staff, k)]
        blocks.append(_heading(f"{next(numerals)}、内设机构、部门职能及联系电话", "contacts.section_size"))
        inner: list = []
        for number, department in enumerate(content.departments, start=1):
            if inner:
                inner.append(Spacer(0.8))
            name = department.name.value
            inner.append(
                _heading(
                    f"（{chinese_numeral(number)}）{name}", "contacts.heading_size", "colours.accent", department.name
                )
            )
            if department.duties:
                inner.append(_duties(department))
            if department.people:
                inner.append(
                    Continued(_people_table(department.people, columns, staff), _continued_head(name, department.name))
                )
        blocks.append(BalancedColumns(inner))
    blocks += table_notes(content.table)
    return Composition(blocks=blocks, meta=meta)


KIND = KindSpec(
    name="contacts",
    label="机构及联系电话",
    design="contacts",
    options=OPTIONS,
    content=ContactsContent,
    columns=COLUMNS,
    load=load,
    check=check,
    compose=compose,
    masks=privacy.MASK_COLUMNS,
)
