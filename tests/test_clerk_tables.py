"""The table reader's rules for clerk-shaped tables, each with its exact message and location."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from conftest import SMALL_FINANCE_CSV, finance_yaml, make_workspace, pdf_text, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noticeboard.kinds.finance import COLUMNS
from noticeboard.load.tables import read_table
from noticeboard.problems import Where

HERE = Where("notices/t.yaml", 9)


def read(path: Path, sheet=None, closed: bool = True):
    return read_table(
        path, f"notices/{path.name}", sheet=sheet, sheet_where=HERE, data_where=HERE, specs=COLUMNS, closed=closed
    )


def csv_file(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def check(tmp_path: Path, csv: str, **yaml: str) -> tuple[int, list[str]]:
    make_workspace(tmp_path, {"notices/t-finance.yaml": finance_yaml(**yaml), "notices/t-finance.csv": csv})
    result = run("check", "-w", tmp_path)
    return result.exit_code, [line for line in result.output.splitlines() if ": 错误:" in line or ": 警告:" in line]


def test_header_with_a_unit_and_a_line_break_is_found_and_the_unit_kept(tmp_path: Path):
    path = csv_file(
        tmp_path, '科目编码,科目名称,"预算数\n（万元）","本期数\n（万元）",累计数（万元）\n101,税收收入,1,1,1\n'
    )
    table, problems = read(path)
    assert problems == []
    assert [c.key for c in table.columns] == ["code", "name", "budget", "period", "ytd"]
    assert [c.header for c in table.columns][2] == "预算数 （万元）"  # one line in every message
    assert {u.value for u in table.units} == {"万元"}


def test_headers_naming_two_units_are_one_error(tmp_path: Path):
    text = "科目编码,科目名称,预算数（万元）,本期数（元）,累计数,上年同期数\n" + SMALL_FINANCE_CSV.split("\n", 1)[1]
    code, problems = check(tmp_path, text)
    assert code == 1
    assert problems == [
        "notices/t-finance.csv:1:D: 错误: 表格里写了两种单位：notices/t-finance.csv:1:C 是「万元」，"
        "这里是「元」。请统一成一种单位。"
    ]


def test_missing_columns_are_named_in_one_message(tmp_path: Path):
    path = csv_file(tmp_path, "科目编码,科目名称,上年同期数\n101,税收收入,1\n")
    _, problems = read(path)
    assert [str(p) for p in problems] == [
        "notices/t.csv:1:A: 错误: 缺少「预算数」、「本期数」、「累计数」列（预算数也可写作 调整预算数、调整后预算数、"
        "调整预算、本年预算数、budget；本期数也可写作 本期、本月数、本月、本季数、period；"
        "累计数也可写作 累计、本年累计、本年累计数、累计执行数、ytd）。表头现有：科目编码、科目名称、上年同期数。"
    ]


def test_a_column_without_a_header_is_one_message_however_many_cells(tmp_path: Path):
    rows = "\n".join(f"10{n},科目{n},1,1,1,备注{n}" for n in range(10, 30))
    path = csv_file(tmp_path, "科目编码,科目名称,预算数,本期数,累计数,\n" + rows + "\n")
    _, problems = read(path, closed=False)
    assert [str(p) for p in problems] == [
        "notices/t.csv:2:F: 错误: 这一格有内容「备注10」等 20 格，但 F 列没有表头，这一列不会印出。"
        "请在第 1 行给这一列写上表头，或删去这一列。"
    ]


def test_a_two_row_header_in_a_csv_is_flattened(tmp_path: Path):
    # a CSV has no merge ranges: 执行数 spreads over the blank cell whose child is filled
    path = csv_file(tmp_path, "科目编码,科目名称,预算数,执行数,,上年同期数\n,,,本期,累计,\n101,税收收入,10,2,2,1\n")
    table, problems = read(path)
    assert problems == []
    assert [(c.key, c.header) for c in table.columns] == [
        ("code", "科目编码"),
        ("name", "科目名称"),
        ("budget", "预算数"),
        ("period", "执行数/本期"),
        ("ytd", "执行数/累计"),
        ("last_year", "上年同期数"),
    ]
    assert table.rows[0].cells["ytd"].where == Where("notices/t.csv", 3, cell="E")


def test_a_merged_title_row_is_not_joined_to_the_header(tmp_path: Path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["两城镇收支表"])
    sheet.merge_cells("A1:E1")
    for line in SMALL_FINANCE_CSV.splitlines():
        sheet.append(line.split(",")[:5])
    workbook.save(tmp_path / "t.xlsx")
    table, problems = read(tmp_path / "t.xlsx")
    assert problems == []
    assert [c.header for c in table.columns] == ["科目编码", "科目名称", "预算数", "本期数", "累计数"]
    assert str(table.header_where) == "notices/t.xlsx[Sheet]!A2"


def test_notes_and_signatures_end_the_table(tmp_path: Path):
    path = csv_file(tmp_path, SMALL_FINANCE_CSV + "注1：本表为测试。\n续：第二行说明\n制表人,王小红,审核人：李建国\n")
    table, problems = read(path)
    assert problems == []
    assert [n.value for n in table.notes] == ["注1：本表为测试。", "续：第二行说明"]
    assert [s.value for s in table.signatures] == ["制表人　王小红　审核人：李建国"]
    assert table.notes[0].where == Where("notices/t.csv", 9, cell="A")
    assert len(table.rows) == 7


def test_codeless_parent_that_does_not_add_up(tmp_path: Path):
    text = (
        "项目,预算数,本期数,累计数\n一、税收收入,300,80,80\n（一）增值税,200,50,50\n"
        "（二）企业所得税,90,30,30\n合计,300,80,80\n"
    )
    code, problems = check(tmp_path, text, period="2026-Q1")
    assert code == 1
    assert problems == [
        "notices/t-finance.csv:2:B: 错误: 「一、税收收入」的预算数是 300.00万元，但其下各款之和是 "
        "290.00万元，相差 10.00万元。请核对这一行和它下面的明细。",
        "notices/t-finance.yaml:9: 警告: 表格里只有收入，没有支出。如果支出在另一个工作表，请把 sheet 写成列表，"
        "例如 sheet: [收入, 支出]；如果本期只公开收入，可以不管这条提醒。",
    ]


def test_a_subtotal_adds_up_the_categories_since_the_previous_total(tmp_path: Path):
    text = (
        "项目,预算数,本期数,累计数\n一、税收收入,300,80,80\n二、非税收入,50,10,10\n一般公共预算收入,360,90,90\n"
        "三、转移性收入,100,20,20\n收入总计,450,110,110\n一、一般公共服务支出,400,100,100\n支出合计,400,100,100\n"
    )
    code, problems = check(tmp_path, text)
    assert code == 1
    assert problems == [
        "notices/t-finance.csv:4:B: 错误: 「一般公共预算收入」的预算数是 360.00万元，但上面各收入类"
        "（自上一个合计行以来）之和是 350.00万元，相差 10.00万元。"
    ]


def test_rows_under_qizhong_are_a_part_not_the_whole(tmp_path: Path):
    text = (
        "项目,预算数,本期数,累计数\n一、税收收入,300,80,80\n其中：增值税,200,50,50\n收入合计,300,80,80\n"
        "一、一般公共服务支出,400,100,100\n支出合计,400,100,100\n"
    )
    code, problems = check(tmp_path, text)
    assert (code, problems) == (0, [])


def test_a_bad_cell_does_not_hide_the_other_sums(tmp_path: Path):
    text = SMALL_FINANCE_CSV.replace("10104,企业所得税,100.00", "10104,企业所得税,一百").replace(
        ",支出合计,250.00", ",支出合计,260.00"
    )
    code, problems = check(tmp_path, text)
    assert code == 1
    assert problems == [
        "notices/t-finance.csv:4:C: 错误: 「预算数」应当是数字，现在是「一百」。请只填数字，可以带千分位逗号。",
        "notices/t-finance.csv:8:C: 错误: 「支出合计」的预算数是 260.00万元，"
        "但各支出类之和是 250.00万元，相差 10.00万元。",
    ]


def test_a_unit_row_other_than_yuan_or_wanyuan(tmp_path: Path):
    code, problems = check(tmp_path, "单位：千元\n" + SMALL_FINANCE_CSV)
    assert code == 1
    assert problems == [
        "notices/t-finance.csv:1:A: 错误: 表格写的单位是「千元」，公示只能用元或万元：请把表格换算成元或万元。"
    ]


def test_the_sheets_unit_is_used_when_the_notice_names_none(tmp_path: Path):
    yaml = finance_yaml().replace("unit: 万元\n", "")
    make_workspace(
        tmp_path, {"notices/t-finance.yaml": yaml, "notices/t-finance.csv": "单位：万元\n" + SMALL_FINANCE_CSV}
    )
    result = run("build", "--draft", "-w", tmp_path)
    assert "生成完成：0 个错误，0 个警告" in result.output
    assert "单位：万元" in pdf_text(tmp_path / "out" / "print" / "t-finance.pdf")


def test_an_empty_sheet_list_is_an_error(tmp_path: Path):
    code, problems = check(tmp_path, SMALL_FINANCE_CSV, sheet="[]")
    assert code == 1
    assert problems == [
        "notices/t-finance.yaml:10: 错误: 「sheet」（工作表）的列表是空的：请写工作表名，例如 [收入, 支出]。"
    ]


def test_an_unknown_sheet_in_a_list_names_the_sheets(tmp_path: Path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "收入"
    workbook.save(tmp_path / "t.xlsx")
    table, problems = read(tmp_path / "t.xlsx", sheet=["收入", "支出表"])
    assert table is None
    assert [str(p) for p in problems] == [
        "notices/t.yaml:9: 错误: 表格 notices/t.xlsx 里没有名为「支出表」的工作表。现有的工作表：收入。"
    ]


def test_a_bom_never_reaches_a_header(tmp_path: Path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + SMALL_FINANCE_CSV.encode("utf-8"))
    table, problems = read(path)
    assert problems == []
    assert table.columns[0].header == "科目编码"


TITLE = st.text(alphabet="两城镇年度收支情况表编制单位：财政所日期2026", min_size=1, max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(titles=st.lists(TITLE, max_size=4), blank_columns=st.integers(0, 3), blank_rows=st.integers(0, 2))
def test_title_rows_and_blank_columns_never_change_what_is_read(tmp_path_factory, titles, blank_columns, blank_rows):
    tmp_path = tmp_path_factory.mktemp("shape")
    lead = "," * blank_columns
    lines = [lead + t for t in titles] + [""] * blank_rows + [lead + line for line in SMALL_FINANCE_CSV.splitlines()]
    table, problems = read(csv_file(tmp_path, "\n".join(lines) + "\n"))
    assert problems == []
    assert [row.text("name") for row in table.rows] == [
        line.split(",")[1] for line in SMALL_FINANCE_CSV.splitlines()[1:]
    ]
    assert table.rows[0].text("ytd") == "80.00"


def test_a_wps_et_file_says_to_save_it_as_xlsx(tmp_path: Path):
    path = tmp_path / "t.et"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    table, problems = read(path)
    assert table is None
    assert [str(p) for p in problems] == [
        "notices/t.yaml:9: 错误: 数据文件 notices/t.et 的格式不支持，只能用 CSV、xlsx 或 xls。"
        "WPS 表格自己的 .et 格式请在 WPS 中「另存为」xlsx。"
    ]


def test_a_headerless_column_does_not_stop_the_sums(tmp_path: Path):
    text = SMALL_FINANCE_CSV.replace(
        "科目编码,科目名称,预算数,本期数,累计数,上年同期数", "科目编码,科目名称,预算数,本期数,累计数,上年同期数,"
    )
    text = text.replace("101,税收收入,300.00,80.00,80.00,70.00", "101,税收收入,300.00,80.00,80.00,70.00,核对过")
    text = text.replace(",支出合计,250.00", ",支出合计,260.00")
    code, problems = check(tmp_path, text)
    assert code == 1
    assert problems == [
        "notices/t-finance.csv:2:G: 错误: 这一格有内容「核对过」，但 G 列没有表头，这一列不会印出。"
        "请在第 1 行给这一列写上表头，或删去这一列。",
        "notices/t-finance.csv:8:C: 错误: 「支出合计」的预算数是 260.00万元，"
        "但各支出类之和是 250.00万元，相差 10.00万元。",
    ]


def test_a_data_row_after_the_notes_is_named_not_taken(tmp_path: Path):
    path = csv_file(tmp_path, SMALL_FINANCE_CSV + "注：本表为测试。\n202,公共安全支出,10,1,1,1\n")
    table, problems = read(path)
    assert [str(p) for p in problems] == [
        "notices/t.csv:10:A: 警告: 第 10 行在表格下方的「注」或签名行之后，却像一行数据，所以没有当作数据读入，"
        "而是照原样印在注的后面。如果它是数据，请把它移到「注」的上面。"
    ]
    assert table.notes[-1].value == "202　公共安全支出　10　1　1　1"


def test_a_job_title_like_kuaiji_is_data_not_a_signature(tmp_path: Path):
    from noticeboard.kinds.roster import COLUMNS as ROSTER

    path = csv_file(tmp_path, "职务,姓名\n主任,梁平\n会计,王淑英\n出纳,陈明\n")
    table, problems = read_table(path, "notices/t.csv", sheet=None, sheet_where=HERE, data_where=HERE, specs=ROSTER)
    assert problems == []
    assert [row.text("name") for row in table.rows] == ["梁平", "王淑英", "陈明"]
    assert table.signatures == []
