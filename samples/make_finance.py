"""Regenerate the sample town's finance tables (fictional figures that reconcile).

    pip install openpyxl && python samples/make_finance.py

Q1 is written as a UTF-8 CSV (as Excel's "CSV UTF-8" saves it) and Q2 as an xlsx
the way a township finance office keeps it: a title row, a 单位 row, a two-row header
and a note with signature lines under the table. Q2's 累计数 equals
Q1's 累计数 plus Q2's 本期数, so the year-to-date chain check is exercised.
"""

from __future__ import annotations

import csv
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent / "town" / "notices"
CENT = Decimal("0.01")

# (code, name, annual budget in 万元 for leaves; None for rows that sum their children)
SUBJECTS = [
    ("101", "税收收入", None),
    ("10101", "增值税", 1860),
    ("10104", "企业所得税", 640),
    ("10106", "个人所得税", 185),
    ("10109", "城市维护建设税", 236),
    ("10112", "城镇土地使用税", 148),
    ("103", "非税收入", None),
    ("10304", "行政事业性收费收入", 42),
    ("10305", "罚没收入", 26),
    ("10306", "国有资源（资产）有偿使用收入", 310),
    ("110", "转移性收入", None),
    ("11001", "返还性收入", 520),
    ("11002", "一般性转移支付收入", 2380),
    ("201", "一般公共服务支出", None),
    ("20101", "人大事务", None),
    ("2010101", "行政运行", 38),
    ("20103", "政府办公厅（室）及相关机构事务", None),
    ("2010301", "行政运行", 612),
    ("2010302", "一般行政管理事务", 145),
    ("20106", "财政事务", None),
    ("2010601", "行政运行", 96),
    ("204", "公共安全支出", None),
    ("20402", "公安", 64),
    ("207", "文化旅游体育与传媒支出", None),
    ("20701", "文化和旅游", 85),
    ("208", "社会保障和就业支出", None),
    ("20805", "行政事业单位养老支出", None),
    ("2080505", "机关事业单位基本养老保险缴费支出", 268),
    ("20811", "残疾人事业", 52),
    ("20819", "最低生活保障", None),
    ("2081902", "农村最低生活保障金支出", 436),
    ("210", "卫生健康支出", None),
    ("21004", "公共卫生", 118),
    ("211", "节能环保支出", None),
    ("21103", "污染防治", 204),
    ("212", "城乡社区支出", None),
    ("21201", "城乡社区管理事务", 326),
    ("21203", "城乡社区公共设施", 540),
    ("213", "农林水支出", None),
    ("21301", "农业农村", None),
    ("2130101", "行政运行", 188),
    ("2130122", "农业生产发展", 420),
    ("21305", "巩固拓展脱贫攻坚成果衔接乡村振兴", 690),
    ("21307", "农村综合改革", None),
    ("2130705", "对村民委员会和村党支部的补助", 512),
    ("221", "住房保障支出", None),
    ("22101", "保障性安居工程支出", 230),
]


def cents(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def figures() -> dict[str, dict[str, Decimal]]:
    rng = random.Random(20260412)
    leaves = {}
    for code, _, budget in SUBJECTS:
        if budget is None:
            continue
        q1 = cents(budget * rng.uniform(0.19, 0.27))
        q2 = cents(budget * rng.uniform(0.21, 0.29))
        leaves[code] = {
            "budget": cents(budget),
            "q1": q1,
            "q2": q2,
            "ly_q1": cents(float(q1) * rng.uniform(0.86, 1.12)),
            "ly_q2": cents(float(q1 + q2) * rng.uniform(0.86, 1.12)),
        }
    totals = {}
    for code, _, budget in SUBJECTS:
        if budget is not None:
            totals[code] = leaves[code]
        else:
            kids = [v for c, v in leaves.items() if c.startswith(code) and c != code]
            totals[code] = {k: sum((v[k] for v in kids), Decimal(0)) for k in ("budget", "q1", "q2", "ly_q1", "ly_q2")}
    return totals


def rows_for(quarter: int, values: dict[str, dict[str, Decimal]]) -> list[list[str]]:
    header = ["科目编码", "科目名称", "预算数", "本期数", "累计数", "上年同期数"]
    rows = [header]

    def line(code, name, v):
        period = v["q1"] if quarter == 1 else v["q2"]
        ytd = v["q1"] if quarter == 1 else v["q1"] + v["q2"]
        last = v["ly_q1"] if quarter == 1 else v["ly_q2"]
        return [code, name, f"{v['budget']:,.2f}", f"{period:,.2f}", f"{ytd:,.2f}", f"{last:,.2f}"]

    for section, total_name in (("1", "收入合计"), ("2", "支出合计")):
        for code, name, _ in SUBJECTS:
            if code.startswith(section):
                rows.append(line(code, name, values[code]))
        tops = [values[c] for c, _, _ in SUBJECTS if c.startswith(section) and len(c) == 3]
        total = {k: sum((v[k] for v in tops), Decimal(0)) for k in ("budget", "q1", "q2", "ly_q1", "ly_q2")}
        rows.append(line("", total_name, total))
    return rows


def main() -> None:
    values = figures()
    with open(HERE / "2026q1-finance.csv", "w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows(rows_for(1, values))
    # Q2 as the township finance office keeps it: a merged title row, a 单位 row, a two-row
    # header (执行数 merged over 本期 and 累计), and a note and signature lines under the table.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "收支表"
    sheet.append(["两城镇2026年第二季度一般公共预算收支表"])
    sheet.merge_cells("A1:F1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(["编制单位：两城镇财政所", "", "", "", "", "单位：万元"])
    sheet.append(["科目编码", "科目名称", "预算数", "执行数", "", "上年同期数"])
    sheet.append(["", "", "", "本期", "累计", ""])
    for cells in ("A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:F4"):
        sheet.merge_cells(cells)
    for row in rows_for(2, values)[1:]:
        # amounts as real numbers, as a clerk's workbook holds them
        sheet.append([c if i < 2 else float(c.replace(",", "")) for i, c in enumerate(row)])
    sheet.append([])
    sheet.append(["注：本表为一般公共预算收支，转移性收入按县财政局下达数填列；上年同期数为上年1—6月累计。"])
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=6)
    sheet.append(["制表人：王小红", "", "审核人：李建国", "", "填报日期：2026年7月6日", ""])
    for column, width in zip("ABCDEF", (12, 34, 14, 14, 14, 14)):
        sheet.column_dimensions[column].width = width
    workbook.save(HERE / "2026q2-finance.xlsx")


if __name__ == "__main__":
    main()
