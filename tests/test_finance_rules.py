"""Every finance reconciliation rule, each reported at the cell to change."""

from __future__ import annotations

from pathlib import Path

from conftest import SMALL_FINANCE_CSV, finance_yaml, make_workspace, run


def _check(tmp_path: Path, csv: str, **yaml_fields: str):
    make_workspace(tmp_path, {"notices/t-finance.yaml": finance_yaml(**yaml_fields), "notices/t-finance.csv": csv})
    return run("check", "-w", tmp_path)


def _edit(row_prefix: str, column: int, value: str) -> str:
    lines = SMALL_FINANCE_CSV.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(row_prefix):
            cells = line.split(",")
            cells[column] = value
            lines[index] = ",".join(cells)
    return "\n".join(lines) + "\n"


def test_the_small_table_reconciles(tmp_path: Path):
    result = _check(tmp_path, SMALL_FINANCE_CSV)
    assert result.exit_code == 0, result.output
    assert "0 个错误" in result.output


def test_parent_that_does_not_add_up_is_reported_at_the_parent_cell(tmp_path: Path):
    result = _check(tmp_path, _edit("10101", 2, "210.00"))  # 增值税 budget up by 10
    assert result.exit_code == 1
    assert (
        "notices/t-finance.csv:2:C: 错误: 「101 税收收入」的预算数是 300.00万元，但其下各款之和是 310.00万元，"
        "相差 -10.00万元。请核对这一行和它下面的明细。"
    ) in result.output


def test_wrong_total_is_reported_at_the_total_cell(tmp_path: Path):
    result = _check(tmp_path, _edit(",支出合计", 3, "61.00"))
    assert result.exit_code == 1
    assert (
        "notices/t-finance.csv:8:D: 错误: 「支出合计」的本期数是 61.00万元，但各支出类之和是 60.00万元，相差 1.00万元。"
        in result.output
    )


def test_differences_within_a_cent_are_accepted(tmp_path: Path):
    csv = _edit(",支出合计", 2, "250.01")
    assert _check(tmp_path, csv).exit_code == 0


def test_ytd_below_period_is_an_error(tmp_path: Path):
    csv = SMALL_FINANCE_CSV.replace(
        "20103,政府办公厅（室）及相关机构事务,250.00,60.00,60.00",
        "20103,政府办公厅（室）及相关机构事务,250.00,60.00,50.00",
    )
    result = _check(tmp_path, csv)
    assert result.exit_code == 1
    assert (
        "notices/t-finance.csv:7:E: 错误: 「20103 政府办公厅（室）及相关机构事务」的累计数 50.00 小于本期数 60.00"
        in result.output
    )


def test_first_quarter_ytd_must_equal_period(tmp_path: Path):
    csv = SMALL_FINANCE_CSV.replace("10104,企业所得税,100.00,30.00,30.00", "10104,企业所得税,100.00,30.00,35.00")
    result = _check(tmp_path, csv)
    assert (
        "notices/t-finance.csv:4:E: 错误: 2026年第一季度是本年第一期，「10104 企业所得税」"
        "的累计数应等于本期数 30.00，现在是 35.00。" in result.output
    )
    # the same figures are fine in a second quarter (the chain check has no Q1 to compare with here)
    assert "10104 企业所得税」的累计数应等于本期数" not in _check(tmp_path, csv, period="2026-Q2").output


def test_january_is_a_first_period_too(tmp_path: Path):
    csv = SMALL_FINANCE_CSV.replace("10104,企业所得税,100.00,30.00,30.00", "10104,企业所得税,100.00,30.00,35.00")
    assert "2026年1月是本年第一期" in _check(tmp_path, csv, period="2026-01").output


def _q2(ytd_factor: str = "") -> str:
    """A second quarter whose 累计数 is Q1 + this quarter, in 元 instead of 万元."""
    return (
        "科目编码,科目名称,预算数,本期数,累计数\n"
        "101,税收收入,3000000,500000,1300000\n"
        "10101,增值税,2000000,300000,800000\n"
        f"10104,企业所得税,1000000,200000,{ytd_factor or '500000'}\n"
    )


def test_ytd_chain_holds_across_units(tmp_path: Path):
    make_workspace(
        tmp_path,
        {
            "notices/q1.yaml": finance_yaml("q1", "q1.csv"),
            "notices/q1.csv": SMALL_FINANCE_CSV,
            "notices/q2.yaml": finance_yaml("q2", "q2.csv", period="2026-Q2", unit="元", date="2026-07-10"),
            "notices/q2.csv": _q2(),
        },
    )
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 0, result.output


def test_broken_ytd_chain_names_the_previous_period(tmp_path: Path):
    make_workspace(
        tmp_path,
        {
            "notices/q1.yaml": finance_yaml("q1", "q1.csv"),
            "notices/q1.csv": SMALL_FINANCE_CSV,
            "notices/q2.yaml": finance_yaml("q2", "q2.csv", period="2026-Q2", unit="元", date="2026-07-10"),
            "notices/q2.csv": _q2("510000").replace("1300000", "1310000"),
        },
    )
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert (
        "notices/q2.csv:4:E: 错误: 「10104 企业所得税」的累计数应等于上期（2026-Q1，notices/q1.yaml）累计数 "
        "300,000.00 加本期数 200,000.00，即 500,000.00，现在是 510,000.00。"
    ) in result.output


def test_chain_is_only_checked_within_the_same_catalogue_and_issuer(tmp_path: Path):
    make_workspace(
        tmp_path,
        {
            "notices/q1.yaml": finance_yaml("q1", "q1.csv", issuer="小庄村村民委员会"),
            "notices/q1.csv": SMALL_FINANCE_CSV,
            "notices/q2.yaml": finance_yaml("q2", "q2.csv", period="2026-Q2", unit="元", date="2026-07-10"),
            "notices/q2.csv": _q2("510000").replace("1300000", "1310000"),
        },
    )
    assert "累计数应等于上期" not in run("check", "-w", tmp_path).output


def test_bad_codes_and_duplicates(tmp_path: Path):
    csv = SMALL_FINANCE_CSV.replace("10104,企业所得税", "1010,企业所得税").replace("20103,", "30103,")
    csv += "10101,增值税,1,1,1,1\n"
    output = _check(tmp_path, csv).output
    assert "notices/t-finance.csv:4:A: 错误: 科目编码「1010」不对" in output
    assert "notices/t-finance.csv:7:A: 错误: 科目编码「30103」不对" in output
    assert "notices/t-finance.csv:9:A: 错误: 科目编码「10101」重复出现（另见 notices/t-finance.csv:3:A）。" in output


def test_non_number_is_reported_at_its_cell(tmp_path: Path):
    result = _check(tmp_path, _edit("10101", 3, "五十"))
    assert result.exit_code == 1
    assert "notices/t-finance.csv:3:D: 错误: 「本期数」应当是数字，现在是「五十」。" in result.output


def test_percentages_show_a_dash_where_the_base_is_zero(tmp_path: Path):
    from conftest import pdf_text

    csv = SMALL_FINANCE_CSV.replace(
        "10104,企业所得税,100.00,30.00,30.00,30.00", "10104,企业所得税,100.00,30.00,30.00,0"
    )
    csv = csv.replace("101,税收收入,300.00,80.00,80.00,70.00", "101,税收收入,300.00,80.00,80.00,40.00")
    csv = csv.replace(",收入合计,300.00,80.00,80.00,70.00", ",收入合计,300.00,80.00,80.00,40.00")
    make_workspace(tmp_path, {"notices/t-finance.yaml": finance_yaml(), "notices/t-finance.csv": csv})
    result = run("build", "-w", tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    text = "".join(pdf_text(tmp_path / "out" / "print" / "t-finance.pdf").split())
    assert "10104企业所得税100.0030.0030.000.0030.0—" in text
    assert "101税收收入300.0080.0080.0040.0026.7100.0" in text


def test_a_coded_subject_whose_name_contains_heji_is_not_a_total(tmp_path: Path):
    csv = SMALL_FINANCE_CSV.replace("20103,政府办公厅（室）及相关机构事务", "20103,综合计划管理事务")
    result = _check(tmp_path, csv)
    assert result.exit_code == 0, result.output


def test_a_row_that_did_not_load_does_not_set_off_false_sum_errors(tmp_path: Path):
    result = _check(tmp_path, _edit("10101", 3, "五十"))
    assert result.exit_code == 1
    assert "「本期数」应当是数字" in result.output
    assert "其下各款之和" not in result.output and "各收入类之和" not in result.output


def test_a_broken_previous_period_does_not_blame_this_one(tmp_path: Path):
    make_workspace(
        tmp_path,
        {
            "notices/q1.yaml": finance_yaml("q1", "q1.csv"),
            "notices/q1.csv": _edit("10101", 3, "五十"),
            "notices/q2.yaml": finance_yaml("q2", "q2.csv", period="2026-Q2", unit="元", date="2026-07-10"),
            "notices/q2.csv": _q2(),
        },
    )
    output = run("check", "-w", tmp_path).output
    assert "notices/q1.csv:3:D: 错误" in output
    assert "notices/q2.csv" not in output


def test_growth_against_a_negative_or_zero_base_is_a_dash(tmp_path: Path):
    from decimal import Decimal

    from noticeboard.kinds.finance import _change

    assert _change(Decimal(5), Decimal(-2)) == "—"
    assert _change(Decimal(5), Decimal(0)) == "—"
    assert _change(Decimal(150), Decimal(100)) == "50.0"
