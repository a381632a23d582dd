"""Regenerate 小庄村's accounts in the sample town (fictional village; any likeness is chance).

    pip install openpyxl && python samples/make_ledger.py

- 2026-01-village-finance.csv … 2026-03-village-finance.csv: the monthly 收支明细 as a 三资
  platform exports it: GBK, CRLF, a title row and an 编制单位 row above the header, other
  names for the columns (记账日期, 凭证字号, 科目名称, 证明人（审核人）), the balance and total
  rows in the 摘要 column, a blank row, a 注： note and a 制表人/审核人 line. Each month opens
  with the previous month's closing balance. March has a 红字冲销 written (180.00).
- 2026-road-project.xlsx: the 一事一议 road project's own ledger, as a clerk keeps it in Excel.
- 2026-assets.csv: the 村集体资产 list (UTF-8 with BOM), for a roster with sums.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent / "town" / "notices"
OPENING = Decimal("86432.15")  # 2025年12月末结余
HANDLERS = ["孔令华", "孟凡星"]  # 报账员
WITNESSES = ["颜廷玉", "曾宪民", "孔祥云"]  # 村务监督委员会成员
# (day, 科目, 摘要, income?, lowest, highest): what a month of a village's books looks like
MONTHS = {
    1: [
        (5, "上级补助收入", "上级拨付村级组织运转经费（1月）", True, 18000, 18000),
        (8, "发包及上交收入", "孔庆林交村集体机动地承包费（8亩）", True, 4800, 4800),
        (10, "管理费用", "购买办公用品（账本、文件盒）", False, 260, 420),
        (12, "经营收入", "村集体门面房1月租金（颜景华）", True, 2500, 2500),
        (15, "公益支出", "支付1月村内环境卫生保洁费", False, 2400, 2400),
        (19, "管理费用", "村委会1月电费", False, 420, 680),
        (20, "管理费用", "支付1月村干部基本报酬", False, 9600, 9600),
        (22, "公益支出", "路灯维修更换灯头8个", False, 480, 720),
        (26, "其他支出", "党员冬训学习资料费", False, 300, 520),
        (28, "经营收入", "冷库2026年承包费（颜景华）", True, 12000, 12000),
    ],
    2: [
        (3, "上级补助收入", "上级拨付村级组织运转经费（2月）", True, 18000, 18000),
        (6, "其他支出", "春节走访慰问五保户、困难户12户", False, 3600, 3600),
        (9, "其他支出", "春节走访慰问老党员8人", False, 1600, 1600),
        (12, "经营收入", "村集体门面房2月租金（颜景华）", True, 2500, 2500),
        (15, "公益支出", "支付2月村内环境卫生保洁费", False, 2400, 2400),
        (20, "管理费用", "支付2月村干部基本报酬", False, 9600, 9600),
        (23, "管理费用", "村委会2月电费", False, 380, 620),
        (25, "公益支出", "村内道路坑洼修补（东西大街）", False, 3200, 4600),
        (26, "发包及上交收入", "孟祥军交村集体机动地承包费（6亩）", True, 3600, 3600),
    ],
    3: [
        (2, "上级补助收入", "上级拨付村级组织运转经费（3月）", True, 18000, 18000),
        (4, "经营收入", "村集体门面房3月租金（颜景华）", True, 2500, 2500),
        (6, "管理费用", "购买办公用品（打印纸、墨盒）", False, 180, 180),
        (8, "管理费用", "购买办公用品（打印纸、墨盒）", False, 180, 180),  # booked twice: see 3月27日
        (10, "公益支出", "春季植树购买树苗（白蜡300棵）", False, 4500, 4500),
        (12, "公益支出", "支付3月村内环境卫生保洁费", False, 2400, 2400),
        (16, "发包及上交收入", "曾凡荣交集体坑塘承包费（12亩）", True, 7200, 7200),
        (20, "管理费用", "支付3月村干部基本报酬", False, 9600, 9600),
        (21, "其他收入", "第一季度银行存款利息", True, 60, 140),
        (23, "管理费用", "村委会3月电费", False, 380, 620),
        (25, "公益支出", "文化广场健身器材维修", False, 650, 980),
        (27, "管理费用", "冲销3月8日重复记账的办公用品费", False, -180, -180),
        (30, "其他支出", "党员活动经费", False, 500, 900),
    ],
}


def _yuan(rng: random.Random, low: int, high: int) -> Decimal:
    if low == high:
        return Decimal(low).quantize(Decimal("0.01"))
    return Decimal(rng.randrange(low * 100, high * 100 + 1, 10)) / 100


def month_entries(rng: random.Random, month: int) -> list[list[object]]:
    """[date, voucher, account, summary, income, expense, handler, witness] in date order."""
    entries = []
    for number, (day, account, text, income, low, high) in enumerate(MONTHS[month], start=1):
        value = _yuan(rng, low, high)
        entries.append(
            [
                dt.date(2026, month, day),
                f"记-{number:03d}",
                account,
                text,
                value if income else None,
                None if income else value,
                rng.choice(HANDLERS),
                rng.choice(WITNESSES),
            ]
        )
    return entries


def money(value: Decimal | None, accounting: bool = False) -> str:
    if value is None:
        return ""
    if accounting and value < 0:
        return f"({-value:.2f})"  # how the platform prints a 红字: in brackets
    return f"{value:.2f}"


def export_month(month: int, opening: Decimal, rng: random.Random) -> Decimal:
    entries = month_entries(rng, month)
    income = sum((e[4] for e in entries if e[4] is not None), Decimal(0))
    expense = sum((e[5] for e in entries if e[5] is not None), Decimal(0))
    closing = opening + income - expense
    rows: list[list[str]] = [
        [f"小庄村2026年{month}月村级财务收支明细表", "", "", "", "", "", "", ""],
        ["编制单位：小庄村村民委员会", "", "", "", "", "", "", "单位：元"],
        ["记账日期", "凭证字号", "科目名称", "摘要", "收入金额", "支出金额", "经手人", "证明人（审核人）"],
        ["", "", "", "上月结余" if month < 3 else "期初余额", money(opening), "", "", ""],
    ]
    for day, voucher, account, text, inc, exp, handler, witness in entries:
        rows.append([day.isoformat(), voucher, account, text, money(inc, True), money(exp, True), handler, witness])
    if month < 3:
        rows += [
            ["", "", "", "本月收入合计", money(income), "", "", ""],
            ["", "", "", "本月支出合计", "", money(expense), "", ""],
            ["", "", "", "本月结余", money(closing), "", "", ""],
        ]
    else:
        rows += [
            ["", "", "", "本月（本期）收入合计", money(income), "", "", ""],
            ["", "", "", "本月（本期）支出合计", "", money(expense), "", ""],
            ["", "", "", "期末余额", money(closing), "", "", ""],
        ]
    rows += [
        ["", "", "", "", "", "", "", ""],
        ["注：本表收支已经村务监督委员会逐笔审核，原始凭证存村会计服务中心备查。", "", "", "", "", "", "", ""],
        ["制表人：孔令华", "", "", "审核人：颜廷玉", "", "", "", f"填报日期：2026-{month + 1:02d}-03"],
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    (HERE / f"2026-{month:02d}-village-finance.csv").write_bytes(buffer.getvalue().encode("gbk"))
    return closing


def road_project() -> None:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "收支明细"
    sheet.append(["小庄村2026年一事一议村内道路硬化项目收支明细"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["日期", "凭证号", "收支类别", "摘要", "收入金额", "支出金额", "经手人", "证明人"])
    groups = [("第一村民小组", 52), ("第二村民小组", 47), ("第三村民小组", 55), ("第四村民小组", 38)]
    rows = [
        [
            dt.date(2026, 1, 10 + i),
            f"记-{i + 1:03d}",
            "村民筹资",
            f"{g}筹资（{n}户×每户30元）",
            n * 30,
            None,
            "孔令华",
            "曾宪民",
        ]
        for i, (g, n) in enumerate(groups)
    ]
    rows += [
        [dt.date(2026, 2, 6), "记-005", "财政奖补", "县财政一事一议奖补资金到账", 80000, None, "孔令华", "曾宪民"],
        [
            dt.date(2026, 3, 2),
            "记-006",
            "材料费",
            "购买水泥120吨（济宁某建材公司，发票号00821733）",
            None,
            42600,
            "孟凡星",
            "颜廷玉",
        ],
        [dt.date(2026, 3, 9), "记-007", "材料费", "购买石子、沙子", None, 15380.5, "孟凡星", "颜廷玉"],
        [
            dt.date(2026, 3, 20),
            "记-008",
            "工程款",
            "支付施工队第一期工程款（按验收长度620米）",
            None,
            18600,
            "孟凡星",
            "孔祥云",
        ],
        [dt.date(2026, 3, 28), "记-009", "其他支出", "路面养护用塑料薄膜", None, 960, "孟凡星", "孔祥云"],
    ]
    for row in rows:
        sheet.append(row)
        sheet.cell(sheet.max_row, 1).number_format = "yyyy-mm-dd"
    book.save(HERE / "2026-road-project.xlsx")


ASSETS = [
    ("经营性资产", "村集体门面房（临街6间）", "1处", "286000.00", "东西大街北侧", "孔庆林等6户承租", "租期至2028年"),
    ("经营性资产", "冷库", "1座", "158000.00", "村北生产路东", "颜景华承包", "年承包费12000元"),
    ("经营性资产", "小型农用拖拉机", "2台", "46800.00", "村委会大院", "村集体", ""),
    ("非经营性资产", "村委会办公楼", "1栋", "420000.00", "村委会大院", "村委会", "2016年建"),
    ("非经营性资产", "文化广场及健身器材", "1处", "96500.00", "村中心", "全体村民", "含健身器材18件"),
    ("非经营性资产", "太阳能路灯", "64盏", "83200.00", "村内主要道路", "全体村民", ""),
    ("非经营性资产", "办公电脑及打印机", "4台", "18600.00", "村委会办公室", "村委会", ""),
    ("资源性资产", "集体机动地", "46亩", "0.00", "村西", "孟祥军等9户承包", "承包期至2027年，按面积计、不计原值"),
    ("资源性资产", "集体坑塘", "12亩", "0.00", "村南", "曾凡荣承包养鱼", "承包期至2029年"),
]


def assets() -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["序号", "类别", "资产名称", "数量", "原值（元）", "坐落位置", "使用（承包）人", "备注"])
    for number, row in enumerate(ASSETS, start=1):
        writer.writerow([number, *row])
    (HERE / "2026-assets.csv").write_bytes(buffer.getvalue().encode("utf-8-sig"))


def main() -> None:
    rng = random.Random(20260301)
    balance = OPENING
    for month in (1, 2, 3):
        balance = export_month(month, balance, rng)
    road_project()
    assets()


if __name__ == "__main__":
    main()
