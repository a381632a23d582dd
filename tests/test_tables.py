"""Reading tables: encodings, spreadsheets, header aliases, cell addresses, amounts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import DATA, SMALL_FINANCE_CSV
from hypothesis import given
from hypothesis import strategies as st

from noticeboard.kinds.finance import COLUMNS
from noticeboard.load.tables import column_letter, parse_amount, read_table
from noticeboard.problems import Where

HERE = Where("notices/t.yaml", 9)


def _read(path: Path, sheet: str | None = None):
    return read_table(path, f"notices/{path.name}", sheet=sheet, sheet_where=HERE, data_where=HERE, specs=COLUMNS)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_in_every_office_encoding(tmp_path: Path, encoding: str):
    path = tmp_path / "t.csv"
    path.write_bytes(SMALL_FINANCE_CSV.encode(encoding))
    table, problems = _read(path)
    assert problems == []
    assert [row.text("name") for row in table.rows][:3] == ["税收收入", "增值税", "企业所得税"]


def test_csv_cells_are_addressed_by_line_and_column_letter(tmp_path: Path):
    path = tmp_path / "t.csv"
    path.write_text("\n\n" + SMALL_FINANCE_CSV, encoding="utf-8")  # two blank lines first
    table, _ = _read(path)
    first = table.rows[0]
    assert str(first.cells["ytd"].where) == "notices/t.csv:4:E"
    assert str(table.header_where) == "notices/t.csv:3:A"


def test_english_aliases_and_spaces_in_headers(tmp_path: Path):
    path = tmp_path / "t.csv"
    path.write_text(" code , name ,budget,period,ytd,last_year\n 101 , 税收收入 ,1,1,1,1\n", encoding="utf-8")
    table, problems = _read(path)
    assert problems == []
    assert table.rows[0].text("code") == "101"
    assert table.rows[0].text("name") == "税收收入"


def test_xlsx_keeps_sheet_and_cell_addresses_below_a_title_row(tmp_path: Path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "说明"
    data = workbook.create_sheet("收支表")
    data.append(["某镇收支表"])
    data.append([])
    for line in SMALL_FINANCE_CSV.splitlines():
        data.append(line.split(","))
    workbook.save(tmp_path / "t.xlsx")
    table, problems = _read(tmp_path / "t.xlsx", sheet="收支表")
    assert problems == []
    assert str(table.rows[0].cells["ytd"].where) == "notices/t.xlsx[收支表]!E4"


def test_xlsx_unknown_sheet_lists_the_sheets(tmp_path: Path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "收支表"
    workbook.save(tmp_path / "t.xlsx")
    table, problems = _read(tmp_path / "t.xlsx", sheet="第二季度")
    assert table is None
    assert "没有名为「第二季度」的工作表" in problems[0].message and "收支表" in problems[0].message
    assert problems[0].where == HERE


def test_legacy_xls_is_read_with_addresses():
    table, problems = _read(DATA / "finance.xls")
    assert problems == []
    assert [row.text("code") for row in table.rows][:3] == ["101", "10101", "10104"]
    assert table.rows[0].text("budget") == "300"
    assert str(table.rows[0].cells["budget"].where) == "notices/finance.xls[收支表]!D3"


def test_missing_column_names_the_column_and_what_is_there(tmp_path: Path):
    path = tmp_path / "t.csv"
    path.write_text("科目编码,科目名称,预算数,本期数\n101,税收收入,1,1\n", encoding="utf-8")
    _, problems = _read(path)
    assert [str(p) for p in problems] == [
        "notices/t.csv:1:A: 错误: 缺少「累计数」列（也可写作 累计、本年累计、本年累计数、累计执行数、ytd）。"
        "表头现有：科目编码、科目名称、预算数、本期数。"
    ]


def test_blank_rows_are_skipped(tmp_path: Path):
    path = tmp_path / "t.csv"
    path.write_text("科目编码,科目名称,预算数,本期数,累计数\n,,,,\n101,税收收入,1,1,1\n , , , , \n", encoding="utf-8")
    table, problems = _read(path)
    assert problems == []
    assert len(table.rows) == 1 and table.rows[0].number == 3


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


@pytest.mark.parametrize(
    "text, value",
    [
        ("1,234,567.89", Decimal("1234567.89")),
        ("1234567.89", Decimal("1234567.89")),
        ("-12.5", Decimal("-12.5")),
        ("（1,200.00）", Decimal("-1200.00")),
        ("¥ 3,000", Decimal("3000")),
        ("1，234.5", Decimal("1234.5")),
        ("0", Decimal(0)),
        ("1.5E+3", Decimal("1500")),
    ],
)
def test_amounts_as_ledgers_write_them(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["abc", "12,34", "1.2.3", "十万", "1,2345.00", "--1", "NaN", "Infinity"])
def test_non_numbers_are_refused(text):
    assert parse_amount(text) is None


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_any_formatted_amount_parses_back(value):
    assert parse_amount(f"{value:,.2f}") == value
    assert parse_amount(f"{value:.2f}") == value


def test_any_column_table_skips_a_title_line(tmp_path: Path):
    path = tmp_path / "list.csv"
    path.write_text("小庄村选民名单\n\n序号,姓名,村民小组\n1,梁平,第一村民小组\n", encoding="utf-8")
    table, problems = read_table(path, "notices/list.csv", sheet=None, sheet_where=HERE, data_where=HERE, specs=[])
    assert problems == []
    assert [c.header for c in table.columns] == ["序号", "姓名", "村民小组"]
    assert table.rows[0].text("姓名") == "梁平"


def test_data_under_no_header_is_an_error_not_a_silent_loss(tmp_path: Path):
    path = tmp_path / "list.csv"
    path.write_text("序号,姓名,\n1,梁平,备注在此\n", encoding="utf-8")
    _, problems = read_table(path, "notices/list.csv", sheet=None, sheet_where=HERE, data_where=HERE, specs=[])
    assert [str(p) for p in problems] == [
        "notices/list.csv:2:C: 错误: 这一格有内容「备注在此」，但 C 列没有表头，这一列不会印出。"
        "请在第 1 行给这一列写上表头，或删去这一列。"
    ]
