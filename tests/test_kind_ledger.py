"""ledger (村级财务收支公开): the checks at the cell, the sheet, the village's own review chain."""

from __future__ import annotations

import csv
import io
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import decode_qr, findable, make_workspace, pdf_pages, pdf_text, render_page, run

from noticeboard.kinds import ledger
from noticeboard.layout.sheet import TextItem
from noticeboard.load.workspace import load_workspace
from noticeboard.models import Period
from noticeboard.pipeline import lay_out

SETTINGS = """\
issuer: 测试镇人民政府
base_url: https://gk.example.gov.cn/test/
hotline: 0537-7654321
reviews: [初审, 审核, 保密审查]
catalogue:
  - id: village-finance
    title: 村级财务收支公开
    frequency: monthly
    reviews: [报账员初审, 村务监督委员会审核]
"""
SIGNED = """\
reviews:
  报账员初审: {by: 张静, date: 2026-04-03}
  村务监督委员会审核: {by: 颜廷玉, date: 2026-04-06}
"""
HEADER = "日期,凭证号,收支类别,摘要,收入金额,支出金额,经手人,证明人"
ENTRIES = [
    "2026-03-02,记-001,上级补助收入,上级拨付村级组织运转经费,18000.00,,孔令华,颜廷玉",
    "2026-03-06,记-002,管理费用,购买办公用品,,180.00,孔令华,颜廷玉",
    "2026-03-08,记-003,管理费用,购买办公用品,,180.00,孟凡星,颜廷玉",
    "2026-03-20,记-004,管理费用,支付3月村干部基本报酬,,9600.00,孟凡星,曾宪民",
    "2026-03-27,记-005,管理费用,冲销3月8日重复记账的办公用品费,,(180.00),孟凡星,颜廷玉",
]
# opening 1,000.00 + 18,000.00 − (180 + 180 + 9,600 − 180 = 9,780.00) = 9,220.00
GOOD = (
    "\n".join(
        [HEADER, ",,,期初余额,1000.00,,,"]
        + ENTRIES
        + [",,,本月收入合计,18000.00,,,", ",,,本月支出合计,,9780.00,,", ",,,期末余额,9220.00,,,"]
    )
    + "\n"
)


def ledger_yaml(notice_id: str = "t-ledger", data: str = "t-ledger.csv", signed: bool = True, **extra: str) -> str:
    fields = {
        "id": notice_id,
        "kind": "ledger",
        "title": "小庄村2026年3月村级财务收支公开",
        "catalogue": "village-finance",
        "period": "2026-03",
        "issuer": "小庄村村民委员会",
        "date": "2026-04-07",
        "display_days": "7",
        "paper": "A4",
        "data": data,
    }
    fields.update(extra)
    text = "".join(f"{key}: {value}\n" for key, value in fields.items() if value is not None)
    return text + (SIGNED if signed else "")


def workspace(
    tmp_path: Path,
    csv_text: str = GOOD,
    yaml_text: str | None = None,
    encoding: str = "utf-8",
    extra: dict | None = None,
) -> Path:
    files = {"notices/t-ledger.yaml": yaml_text or ledger_yaml(), "notices/t-ledger.csv": csv_text.encode(encoding)}
    files.update(extra or {})
    return make_workspace(tmp_path, files, settings=SETTINGS)


def check(tmp_path: Path, csv_text: str = GOOD, **kwargs) -> tuple[int, list[str]]:
    result = run("check", "-w", workspace(tmp_path, csv_text, **kwargs))
    return result.exit_code, result.output.splitlines()


def with_row(line: int, new: str, text: str = GOOD) -> str:
    """GOOD with its ``line`` (1-based, the header is 1) replaced."""
    lines = text.splitlines()
    lines[line - 1] = new
    return "\n".join(lines) + "\n"


# -- the rules, each with its message at the cell -----------------------------------------------


def test_a_good_ledger_has_no_problem(tmp_path: Path):
    code, lines = check(tmp_path)
    assert code == 0 and lines == ["检查完成：0 个错误，0 个警告。"]


def test_closing_balance_that_does_not_add_up(tmp_path: Path):
    code, lines = check(tmp_path, with_row(10, ",,,期末余额,9320.00,,,"))
    assert code == 1
    assert (
        "notices/t-ledger.csv:10:E: 错误: 「期末余额」是 9,320.00 元，但期初余额 1,000.00 元 + 本期收入 18,000.00 元"
        " − 本期支出 9,780.00 元 = 9,220.00 元，相差 100.00 元。请核对各笔金额和余额。"
    ) in lines


def test_a_total_that_is_not_the_sum_of_its_entries(tmp_path: Path):
    code, lines = check(tmp_path, with_row(9, ",,,本月支出合计,,9960.00,,"))
    assert code == 1
    # the clerk forgot the 红字冲销: the message says by how much
    assert (
        "notices/t-ledger.csv:9:F: 错误: 「本月支出合计」的支出是 9,960.00 元，但本期各笔支出之和是 9,780.00 元，"
        "相差 180.00 元。请核对这一行和上面各笔的金额。"
    ) in lines


def test_a_total_of_both_sides_is_checked_on_each(tmp_path: Path):
    text = "\n".join([HEADER, ",,,期初余额,1000.00,,,"] + ENTRIES + [",,,本月（本期）合计,18000.00,9600.00,,"]) + "\n"
    code, lines = check(tmp_path, text)
    assert code == 1
    assert [line for line in lines if "错误:" in line] == [
        "notices/t-ledger.csv:8:F: 错误: 「本月（本期）合计」的支出是 9,600.00 元，但本期各笔支出之和是 9,780.00 元，"
        "相差 -180.00 元。请核对这一行和上面各笔的金额。"
    ]


def test_a_total_written_in_the_date_column_is_recognised(tmp_path: Path):
    text = (
        "\n".join(
            [HEADER, "期初余额,,,,1000.00,,,"] + ENTRIES + ["本月收入合计,,,,18000.00,,,", "本月支出合计,,,,,9780.00,,"]
        )
        + "\n"
    )
    assert check(tmp_path, text) == (0, ["检查完成：0 个错误，0 个警告。"])


def test_an_entry_with_both_amounts(tmp_path: Path):
    code, lines = check(tmp_path, with_row(4, "2026-03-06,记-002,管理费用,购买办公用品,50.00,180.00,孔令华,颜廷玉"))
    assert code == 1
    assert (
        "notices/t-ledger.csv:4:E: 错误: 「购买办公用品」同时填了收入 50.00 元和支出 180.00 元。"
        "一笔账只能是收入或支出：请拆成两行，或删去其中一个金额。"
    ) in lines


def test_an_entry_with_neither_amount(tmp_path: Path):
    code, lines = check(tmp_path, with_row(4, "2026-03-06,记-002,管理费用,购买办公用品,0.00,,孔令华,颜廷玉"))
    assert code == 1
    assert (
        "notices/t-ledger.csv:4:E: 错误: 「购买办公用品」既没有收入金额也没有支出金额，请填上金额。"
        "如果这一行是说明文字，请写成「注：……」。"
    ) in lines
    # the sums are not checked over a ledger with an entry missing: one cause, one message
    assert sum("错误:" in line for line in lines) == 1


def test_a_date_outside_the_period(tmp_path: Path):
    code, lines = check(tmp_path, with_row(4, "2026-04-02,记-002,管理费用,购买办公用品,,180.00,孔令华,颜廷玉"))
    assert code == 1
    assert (
        "notices/t-ledger.csv:4:A: 错误: 「购买办公用品」的日期 2026-04-02 不在所属期间2026年3月"
        "（2026-03-01 至 2026-03-31）内。请核对日期；别的期间的账请放到那一期的公示里。"
    ) in lines


@pytest.mark.parametrize(
    "period, date, inside",
    [
        ("2026-Q1", "2026-03-31", True),
        ("2026-Q1", "2026-04-01", False),
        ("2026", "2026-12-31", True),
        ("2026", "2025-12-31", False),
        ("2026-02", "2026-02-28", True),
        ("2026-02", "2026-03-01", False),
    ],
)
def test_periods_bound_the_dates(period: str, date: str, inside: bool):
    start, end = ledger.period_bounds(_period(period))
    assert (start <= ledger.parse_day(date, None) <= end) == inside


def _period(text: str) -> Period:
    if "Q" in text:
        return Period(int(text[:4]), quarter=int(text[-1]))
    if "-" in text:
        return Period(int(text[:4]), month=int(text[5:]))
    return Period(int(text))


@pytest.mark.parametrize(
    "written, expected",
    [
        ("2026-03-05", "2026-03-05"),
        ("2026/3/5", "2026-03-05"),
        ("2026.3.5", "2026-03-05"),
        ("2026年3月5日", "2026-03-05"),
        ("20260305", "2026-03-05"),
        ("3月5日", "2026-03-05"),
        ("3-5", "2026-03-05"),
        ("2026-03-05 00:00:00", "2026-03-05"),
        ("46086", "2026-03-05"),  # Excel's day number, in a 常规 cell
    ],
)
def test_dates_as_clerks_write_them(written: str, expected: str):
    assert ledger.parse_day(written, Period(2026, month=3)).isoformat() == expected


def test_an_unreadable_date(tmp_path: Path):
    code, lines = check(tmp_path, with_row(4, "三月六日,记-002,管理费用,购买办公用品,,180.00,孔令华,颜廷玉"))
    assert code == 1
    assert "notices/t-ledger.csv:4:A: 错误: 日期「三月六日」看不懂，请写成 2026-03-05 或 2026年3月5日。" in lines


def test_a_non_number_amount(tmp_path: Path):
    code, lines = check(tmp_path, with_row(4, "2026-03-06,记-002,管理费用,购买办公用品,,一百八,孔令华,颜廷玉"))
    assert code == 1
    assert (
        "notices/t-ledger.csv:4:F: 错误: 「支出金额」应当是金额，现在是「一百八」。请只填数字，如 1,280.00；"
        "红字冲销写成 -180.00 或 (180.00)。"
    ) in lines


def test_no_opening_balance_says_where_to_give_it(tmp_path: Path):
    text = "\n".join([HEADER] + ENTRIES) + "\n"
    code, lines = check(tmp_path, text)
    assert code == 1
    assert (
        "notices/t-ledger.csv:1:A: 错误: 没有期初余额，算不出本期结余：请在第一笔之前加一行「期初余额」"
        "（或「上期结余」）并填上金额，或在通知文件中写 opening_balance: 金额（新设的账写 0）。"
    ) in lines


def test_balances_from_the_notice_file(tmp_path: Path):
    text = "\n".join([HEADER] + ENTRIES) + "\n"
    yaml_text = ledger_yaml(opening_balance="1,000.00", closing_balance="9220")
    assert check(tmp_path, text, yaml_text=yaml_text) == (0, ["检查完成：0 个错误，0 个警告。"])
    wrong = ledger_yaml(opening_balance="1000", closing_balance="9000")
    code, lines = check(tmp_path, text, yaml_text=wrong)
    assert code == 1
    assert any(
        line.startswith("notices/t-ledger.yaml:12: 错误: 「期末余额」是 9,000.00 元，但期初余额 1,000.00 元")
        for line in lines
    )


def test_a_key_that_contradicts_the_table(tmp_path: Path):
    code, lines = check(tmp_path, yaml_text=ledger_yaml(opening_balance="1200"))
    assert code == 1
    assert (
        "notices/t-ledger.yaml:11: 错误: 「opening_balance」写的是 1,200.00 元，但表中（notices/t-ledger.csv:2:E）"
        "是 1,000.00 元。两处只留一处，或改成一致。"
    ) in lines


def test_a_ledger_needs_a_period(tmp_path: Path):
    code, lines = check(tmp_path, yaml_text=ledger_yaml(period=None))
    assert code == 1
    assert (
        "notices/t-ledger.yaml:1: 错误: 村级财务公开要写 period（所属期间），如 2026-03（月）、2026-Q1（季度）"
        "或 2026（全年），才能核对每一笔的日期。"
    ) in lines


def test_negative_corrections_both_ways_are_accepted(tmp_path: Path):
    text = GOOD.replace("(180.00)", "-180").replace(",9600.00,", ",9600元,")
    assert check(tmp_path, text) == (0, ["检查完成：0 个错误，0 个警告。"])


def test_a_running_balance_column_is_checked_once(tmp_path: Path):
    text = """\
日期,凭证号,摘要,收入金额,支出金额,余额
,,上月结余,,,1000.00
2026-03-02,记-001,运转经费,18000.00,,19000.00
2026-03-06,记-002,办公用品,,180.00,18720.00
2026-03-08,记-003,电费,,100.00,18620.00
,,本月结余,,,18620.00
"""
    code, lines = check(tmp_path, text)
    assert code == 1
    errors = [line for line in lines if "错误:" in line]
    assert errors == [
        "notices/t-ledger.csv:4:F: 错误: 「办公用品」这一行的余额是 18,720.00 元，按上一行余额加收入减支出"
        "应为 18,820.00 元，相差 -100.00 元。请核对这一行（后面各行的余额可能也要改）。",
        "notices/t-ledger.csv:6:F: 错误: 「本月结余」是 18,620.00 元，但期初余额 1,000.00 元 + 本期收入 "
        "18,000.00 元 − 本期支出 280.00 元 = 18,720.00 元，相差 -100.00 元。请核对各笔金额和余额。",
    ]


def test_the_opening_is_the_previous_months_closing(tmp_path: Path):
    february = (
        "\n".join([HEADER, ",,,上月结余,500.00,,,", "2026-02-10,记-001,经营收入,门面房租金,400.00,,孔令华,颜廷玉"])
        + "\n"
    )
    extra = {
        "notices/t-feb.yaml": ledger_yaml(
            "t-feb", "t-feb.csv", period="2026-02", date="2026-03-05", title="小庄村2026年2月村级财务收支公开"
        ).replace("2026-04-0", "2026-03-0"),
        "notices/t-feb.csv": february,
    }
    code, lines = check(tmp_path, extra=extra)
    assert code == 1
    assert (
        "notices/t-ledger.csv:2:E: 错误: 期初余额 1,000.00 元与上期（2026-02，notices/t-feb.yaml）的本期结余 "
        "900.00 元不一致：本期的期初就是上期的期末，请核对。"
    ) in lines


def test_a_column_it_does_not_print_is_named(tmp_path: Path):
    text = GOOD.replace(HEADER, HEADER + ",附件张数").replace(
        "\n2026-03-02,记-001,上级补助收入,上级拨付村级组织运转经费,18000.00,,孔令华,颜廷玉",
        "\n2026-03-02,记-001,上级补助收入,上级拨付村级组织运转经费,18000.00,,孔令华,颜廷玉,2",
    )
    code, lines = check(tmp_path, text)
    assert code == 0
    assert lines[0].startswith(
        "notices/t-ledger.csv:1:I: 警告: 「附件张数」（I 列）不会印出：这类公示只印 日期、凭证号、"
    )


# -- privacy: what 摘要 may not carry ------------------------------------------------------------


def test_a_bank_card_or_mobile_in_the_summary_is_refused(tmp_path: Path):
    text = with_row(3, "2026-03-02,记-001,上级补助收入,转入6222021234567890128 联系13812345678,18000.00,,孔令华,颜廷玉")
    code, lines = check(tmp_path, text)
    assert code == 1
    errors = [line for line in lines if "错误:" in line and "csv:3:D" in line]
    assert len(errors) == 2
    assert "完整的银行卡号（" in errors[0] + errors[1] and "完整的手机号（138****5678）" in errors[0] + errors[1]
    assert "6222021234567890128" not in "\n".join(lines) and "13812345678" not in "\n".join(lines)


# -- the sheet -----------------------------------------------------------------------------------


def test_every_summary_and_amount_is_in_the_pdf(tmp_path: Path):
    root = workspace(tmp_path, GOOD)
    result = run("build", "-w", root)
    assert result.exit_code == 0, result.output
    text = pdf_text(root / "out" / "print" / "t-ledger.pdf")
    for line in list(csv.reader(io.StringIO(GOOD)))[1:]:
        for cell in line:
            if not cell:
                continue
            value = cell.replace("(180.00)", "-180.00")
            if value[:1].isdigit() and "." in value:
                value = f"{Decimal(value):,.2f}"
            if value.startswith("2026-"):
                value = f"{int(value[5:7])}月{int(value[8:])}日"
            assert findable(value, text), value
    assert "-180.00" in text and "红字冲销" in text
    assert findable(
        "公示期：2026年4月7日至2026年4月13日。对公开内容有异议的，请在公示期内向村务监督委员会反映"
        "（监督电话：0537-7654321）。",
        text,
    )


def test_the_balance_is_computed_and_comes_first(tmp_path: Path):
    text = "\n".join([HEADER, ",,,期初余额,1000.00,,,"] + ENTRIES) + "\n"  # no closing row, no totals
    root = workspace(tmp_path, text)
    loaded = load_workspace(root)
    notice = loaded.workspace.notices[0]
    assert notice.content.closing == Decimal("9220.00")
    sheets = lay_out(notice, loaded)
    items = [i for i in sheets[0].items if isinstance(i, TextItem)]
    body = [i for i in items if i.text == "9,220.00" or i.text.startswith("上级拨付")]  # 12 pt and more: it may wrap
    figure = next(i for i in body if i.text == "9,220.00")
    entry = next(i for i in body if i.text.startswith("上级拨付"))
    assert figure.y > entry.y and figure.size > 2 * entry.size  # large, and above every entry
    texts = [t for sheet in sheets for t in sheet.texts()]  # at the 12 pt A4 floor five entries take two sheets
    # the clerk's own names for the balances; the figure is computed: the table has no closing row
    formula = "期初余额 1,000.00 元 + 本月收入 18,000.00 元 − 本月支出 9,780.00 元 = 本月结余 9,220.00 元"
    assert formula in texts or formula.replace(" ", "") in "".join(texts).replace(" ", "")  # or wrapped
    assert "本月合计" in texts  # the clerk gave no totals: the sheet adds them


def test_a_clerks_wrong_closing_is_never_printed(tmp_path: Path):
    root = workspace(tmp_path, with_row(10, ",,,期末余额,9320.00,,,"))
    assert run("build", "-w", root, "--draft").exit_code == 1
    assert not (root / "out" / "print" / "t-ledger.pdf").exists()


def test_entries_print_in_date_order(tmp_path: Path):
    shuffled = "\n".join([HEADER, ",,,期初余额,1000.00,,,"] + ENTRIES[::-1]) + "\n"
    root = workspace(tmp_path, shuffled)
    loaded = load_workspace(root)
    notice = loaded.workspace.notices[0]
    assert [e.date.day for e in notice.content.entries] == [2, 6, 8, 20, 27]
    texts = [t for sheet in lay_out(notice, loaded) for t in sheet.texts()]
    assert texts.index("3月2日") < texts.index("3月6日") < texts.index("3月27日")


def test_the_online_copy_shows_the_same(tmp_path: Path):
    root = workspace(tmp_path)
    assert run("build", "-w", root).exit_code == 0
    html = (root / "out" / "site" / "t-ledger" / "index.html").read_text(encoding="utf-8")
    for needle in (
        "9,220.00",
        "1,000.00",
        "18,000.00",
        "9,780.00",
        "冲销3月8日重复记账的办公用品费",
        "-180.00",
        "记-005",
        "颜廷玉",
        "对公开内容有异议的",
        "报账员初审：张静 2026年4月3日",
    ):  # online, dates read in Chinese
        assert needle in html, needle


def test_a_long_ledger_continues_over_sheets(tmp_path: Path):
    rows = [HEADER, ",,,期初余额,5000.00,,,"]
    for number in range(600):
        day = f"2026-{number % 12 + 1:02d}-{number % 28 + 1:02d}"
        rows.append(f"{day},记-{number + 1:04d},管理费用,第{number + 1}笔零星支出,,{number % 90 + 1}.50,孔令华,颜廷玉")
    root = workspace(tmp_path, "\n".join(rows) + "\n", yaml_text=ledger_yaml(period="2026"))
    result = run("build", "-w", root)
    assert result.exit_code == 0, result.output
    pdf = root / "out" / "print" / "t-ledger.pdf"
    pages = len(pdf_pages(pdf))
    assert pages >= 3
    text = pdf_text(pdf)
    assert f"第1张/共{pages}张" in text and f"第{pages}张/共{pages}张" in text and "收支明细（续）" in text
    for number in range(600):
        assert f"第{number + 1}笔零星支出" in text
    assert decode_qr(render_page(pdf, pages - 1)) == ["https://gk.example.gov.cn/test/t-ledger/"]


def test_gbk_csv_with_crlf_title_row_note_and_signature_line(tmp_path: Path):
    text = (
        "小庄村2026年3月村级财务收支明细表,,,,,,,\r\n编制单位：小庄村村民委员会,,,,,,,单位：元\r\n"
        "记账日期,凭证字号,科目名称,摘要,收入金额,支出金额,经手人,证明人（审核人）\r\n"
        + "\r\n".join(GOOD.splitlines()[1:])
        + "\r\n,,,,,,,\r\n"
        "注：原始凭证存村会计服务中心备查。,,,,,,,\r\n制表人：孔令华,,,审核人：颜廷玉,,,,填报日期：2026-04-03\r\n"
    )
    root = workspace(tmp_path, text, encoding="gbk")
    result = run("build", "-w", root)
    assert result.exit_code == 0, result.output
    assert "警告:" not in result.output
    pdf = pdf_text(root / "out" / "print" / "t-ledger.pdf")
    assert "注：原始凭证存村会计服务中心备查。" in pdf
    assert findable("制表人：孔令华 审核人：颜廷玉 填报日期：2026-04-03", pdf)


# -- the village's own review chain ------------------------------------------------------------


def test_the_entrys_chain_gates_the_final_build(tmp_path: Path):
    root = workspace(
        tmp_path, yaml_text=ledger_yaml(signed=False) + "reviews:\n  报账员初审: {by: 张静, date: 2026-04-03}\n"
    )
    refused = run("build", "-w", root)
    assert refused.exit_code == 1
    assert (
        "notices/t-ledger.yaml:11: 错误: 缺少「村务监督委员会审核」签批，不能正式印发（目录项「village-finance」"
        "按它自己的审核环节：报账员初审→村务监督委员会审核）。请担任「村务监督委员会审核」的人在工作台"
        "（noticeboard serve）里签批，或在 reviews 中补上签批人和日期；只想看效果可以用 build --draft 出草稿。"
    ) in refused.output
    assert "保密审查" not in refused.output  # the workspace's chain does not apply to the village's accounts
    checked = run("check", "-w", root)
    assert checked.exit_code == 0
    assert (
        "notices/t-ledger.yaml:11: 警告: 还缺少「村务监督委员会审核」签批（目录项「village-finance」"
        "按它自己的审核环节：报账员初审→村务监督委员会审核）：正式印发（build 不加 --draft）前要补上。"
    ) in checked.output


def test_the_workspace_roles_are_not_the_entrys(tmp_path: Path):
    yaml_text = ledger_yaml(signed=False) + "reviews:\n  初审: {by: 王小红, date: 2026-04-03}\n"
    code, lines = check(tmp_path, yaml_text=yaml_text)
    assert code == 1
    assert (
        "notices/t-ledger.yaml:12: 错误: 审核环节「初审」不在目录项「village-finance」的 reviews 中"
        "（报账员初审、村务监督委员会审核）。"
    ) in lines


def test_signed_by_the_village_it_prints_and_registers_those_signoffs(tmp_path: Path):
    root = workspace(tmp_path)
    result = run("build", "-w", root)
    assert result.exit_code == 0, result.output
    assert "已登记 t-ledger 第1版" in result.output
    text = pdf_text(root / "out" / "print" / "t-ledger.pdf")
    assert "报账员初审：张静 2026-04-03" in text and "村务监督委员会审核：颜廷玉 2026-04-06" in text
    reviewers = (
        sqlite3.connect(root / "out" / "register.sqlite")
        .execute("SELECT reviewers FROM publications WHERE id = 't-ledger'")
        .fetchone()[0]
    )
    assert reviewers == "报账员初审：张静 2026-04-03　村务监督委员会审核：颜廷玉 2026-04-06"


def test_the_chain_order_is_the_entrys(tmp_path: Path):
    yaml_text = ledger_yaml(signed=False) + (
        "reviews:\n  报账员初审: {by: 张静, date: 2026-04-05}\n  村务监督委员会审核: {by: 颜廷玉, date: 2026-04-04}\n"
    )
    code, lines = check(tmp_path, yaml_text=yaml_text)
    assert code == 1
    assert (
        "notices/t-ledger.yaml:13: 错误: 「村务监督委员会审核」的签批日期 2026-04-04 早于「报账员初审」的 2026-04-05："
        "签批应当按 报账员初审→村务监督委员会审核 的顺序进行。请核对日期。"
    ) in lines


# -- the sample village ----------------------------------------------------------------------


def test_the_sample_village_posts_its_march_accounts(built_town: Path):
    pdf = built_town / "out" / "print" / "2026-03-village-finance.pdf"
    text = pdf_text(pdf)
    raw = (built_town / "notices" / "2026-03-village-finance.csv").read_bytes()
    assert raw.count(b"\r\n") > 10
    rows = list(csv.reader(io.StringIO(raw.decode("gbk"))))
    entries = [r for r in rows if r[0].startswith("2026-")]
    assert len(entries) >= 10 and any(r[5] == "(180.00)" for r in entries)
    for row in entries:
        assert findable(row[3], text), row[3]
        for value in (row[4], row[5]):
            if value:
                shown = f"{-Decimal(value.strip('()')):,.2f}" if value.startswith("(") else f"{Decimal(value):,.2f}"
                assert findable(shown, text), shown
    assert "注：本表收支已经村务监督委员会逐笔审核" in text and "村务监督委员会审核：颜廷玉" in text
    assert decode_qr(render_page(pdf, 0)) == ["https://gk.example.gov.cn/lcz/2026-03-village-finance/"]


def test_the_sample_asset_list_sums_its_values(built_town: Path):
    text = pdf_text(built_town / "out" / "print" / "2026-assets.pdf")
    rows = list(csv.reader(io.StringIO((built_town / "notices" / "2026-assets.csv").read_text(encoding="utf-8-sig"))))
    values = [Decimal(r[4]) for r in rows[1:]]
    assert f"{sum(values, Decimal(0)):.2f}" in text
    by_group: dict[str, Decimal] = {}
    for row in rows[1:]:
        by_group[row[1]] = by_group.get(row[1], Decimal(0)) + Decimal(row[4])
    assert all(f"{total:.2f}" in text for total in by_group.values())
    assert text.count("小计") == len(by_group)


@pytest.mark.slow
def test_a_ten_thousand_entry_year_builds_over_sheets(tmp_path: Path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import ledger as bench  # the benchmark's own generator: a 三资-style GBK export of a year

    summaries = bench.make_workspace(tmp_path / "ws", 10_000, "A3")
    result = run("build", "-w", tmp_path / "ws")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "ws" / "out" / "print" / "year-ledger.pdf"
    pages = len(pdf_pages(pdf))
    assert pages > 100
    text = "".join(pdf_text(pdf).split())
    assert [s for s in summaries if s not in text] == []
    assert f"第{pages}张/共{pages}张" in text and "收支明细（续）" in text


# -- rosters with sums (村集体资产、债权债务) ------------------------------------------------------

DEBTS = """\
序号,类别,债务人（债权人）,金额（元）,形成时间,备注
1,债权,孔庆林,"3,200.00",2024-05,土地承包费欠款
2,债权,颜景华,1800.50,2025-11,门面房租金
3,债务,某建材公司,"12,000.00",2025-09,道路材料款未结
"""


def roster_yaml(**extra: str) -> str:
    fields = {
        "id": "t-debts",
        "kind": "roster",
        "title": "小庄村债权债务公示",
        "issuer": "小庄村村民委员会",
        "date": "2026-04-07",
        "paper": "A4",
        "data": "t-debts.csv",
        "sum": "[金额（元）]",
    }
    fields.update(extra)
    return "".join(f"{key}: {value}\n" for key, value in fields.items() if value is not None)


def test_a_roster_sums_its_amount_columns_by_group_and_overall(tmp_path: Path):
    root = make_workspace(
        tmp_path,
        {"notices/t-debts.yaml": roster_yaml(group_by="类别"), "notices/t-debts.csv": DEBTS},
        settings=SETTINGS,
    )
    result = run("build", "-w", root, "--draft")
    assert result.exit_code == 0, result.output
    text = pdf_text(root / "out" / "print" / "t-debts.pdf")
    assert findable("小计 5,000.50", text) and findable("小计 12,000.00", text)
    assert "全部3人合计：金额（元） 17,000.50" in text
    html = (
        (root / "out" / "draft" / "site" / "t-debts" / "index.html")
        if (root / "out" / "draft").exists()
        else (root / "out" / "site" / "t-debts" / "index.html")
    )
    page = html.read_text(encoding="utf-8")
    assert "5,000.50" in page and "17,000.50" in page


def test_one_group_gets_one_total_row(tmp_path: Path):
    root = make_workspace(
        tmp_path, {"notices/t-debts.yaml": roster_yaml(), "notices/t-debts.csv": DEBTS}, settings=SETTINGS
    )
    assert run("build", "-w", root, "--draft").exit_code == 0
    text = pdf_text(root / "out" / "print" / "t-debts.pdf")
    assert findable("合计 17,000.50", text) and "小计" not in text


def test_a_sum_column_with_text_is_located(tmp_path: Path):
    root = make_workspace(
        tmp_path,
        {"notices/t-debts.yaml": roster_yaml(), "notices/t-debts.csv": DEBTS.replace("1800.50", "一千八")},
        settings=SETTINGS,
    )
    result = run("check", "-w", root)
    assert result.exit_code == 1
    assert (
        "notices/t-debts.csv:3:D: 错误: 「金额（元）」列要合计，这一格应当是数字，现在是「一千八」。" in result.output
    )


def test_a_sum_of_a_column_not_printed_is_refused(tmp_path: Path):
    root = make_workspace(
        tmp_path,
        {"notices/t-debts.yaml": roster_yaml(columns="[序号, 债务人（债权人）]"), "notices/t-debts.csv": DEBTS},
        settings=SETTINGS,
    )
    result = run("check", "-w", root)
    assert result.exit_code == 1
    assert "notices/t-debts.yaml:8: 错误: 「sum」中的「金额（元）」不是要印的列，无法合计。" in result.output


def test_a_quarters_month_totals_are_each_checked(tmp_path: Path):
    text = (
        "\n".join(
            [
                HEADER,
                ",,,上季度结余,1000.00,,,",
                "2026-01-05,记-001,经营收入,门面房1月租金,2500.00,,孔令华,颜廷玉",
                "2026-01-20,记-002,管理费用,1月电费,,300.00,孔令华,颜廷玉",
                ",,,1月合计,2500.00,300.00,,",
                "2026-02-05,记-003,经营收入,门面房2月租金,2500.00,,孔令华,颜廷玉",
                ",,,二月份合计,2500.00,,,",
                ",,,本季度合计,5000.00,300.00,,",
            ]
        )
        + "\n"
    )
    yaml_text = ledger_yaml(period="2026-Q1")
    assert check(tmp_path, text, yaml_text=yaml_text) == (0, ["检查完成：0 个错误，0 个警告。"])
    code, lines = check(
        tmp_path, text.replace(",,,1月合计,2500.00,300.00,,", ",,,1月合计,2500.00,400.00,,"), yaml_text=yaml_text
    )
    assert code == 1
    assert (
        "notices/t-ledger.csv:5:F: 错误: 「1月合计」的支出是 400.00 元，但各笔1月支出之和是 300.00 元，相差 100.00 元。"
        "请核对这一行和上面各笔的金额。"
    ) in lines
    root = workspace(tmp_path / "built", text, yaml_text=yaml_text)
    assert run("build", "-w", root).exit_code == 0
    pdf = pdf_text(root / "out" / "print" / "t-ledger.pdf")
    assert findable("1月合计 2,500.00 300.00", pdf) and findable("二月份合计 2,500.00", pdf)
    assert findable("本季度合计 5,000.00 300.00", pdf)


# -- whatever a clerk types, a located message or a sheet, never a traceback --------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "0.00",
            "(180.00)",
            "-1",
            "1,234.50",
            "¥99",
            "—",
            "2026-03-05",
            "3月5日",
            "2026-13-40",
            "本月合计",
            "期初余额",
            "期末余额",
            "收入合计",
            "注：说明",
            "制表人：某",
            "1月合计",
            "本年累计",
            "上月结余",
            "1e3",
            "12.345",
        ]
    ),
    st.text(alphabet="0123456789.,-()（）月日年合计余额注：", max_size=8),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, min_size=8, max_size=8), min_size=1, max_size=6))
def test_any_table_gives_problems_or_a_sheet(tmp_path_factory, rows):
    from noticeboard.checks import run_checks
    from noticeboard.problems import has_errors

    root = tmp_path_factory.mktemp("fuzz")
    body = "\n".join([HEADER] + [",".join(f'"{c}"' for c in row) for row in rows]) + "\n"
    workspace(root, body)
    loaded = load_workspace(root)
    problems = loaded.problems + run_checks(loaded, loaded.workspace.notices)
    for problem in problems:
        assert problem.where.file.startswith("notices/") and problem.message
    notice = next((n for n in loaded.workspace.notices if n.id == "t-ledger"), None)
    if notice is not None and notice.content is not None and not has_errors(problems):
        sheets = lay_out(notice, loaded)
        assert sheets and ledger.amount(notice.content.closing) in "".join(sheets[0].texts())
