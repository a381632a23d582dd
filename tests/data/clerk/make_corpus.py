"""Regenerate the clerk-shaped corpus: tables laid out the way township and village staff keep them.

    pip install openpyxl && apt-get install libreoffice-calc && python tests/data/clerk/make_corpus.py

Each file is written with openpyxl, the way a form exported from a platform looks. Some
are then re-saved through LibreOffice headless (``*.lo.xlsx``), which stores the cached
value of every formula as Excel and WPS do, and some are converted to the legacy ``.xls``
format, so both kinds of real office file are covered. The files are committed; this
script is how they were made. tests/test_clerk_corpus.py says what each must do.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment

HERE = Path(__file__).resolve().parent

# (code, name, level, budget, period, ytd, last_year) in 万元, a first quarter: 累计 = 本期.
REVENUE = [
    ("101", "税收收入", 0, "3069.00", "680.99", "680.99", "612.40"),
    ("10101", "增值税", 1, "1860.00", "377.29", "377.29", "340.10"),
    ("10104", "企业所得税", 1, "640.00", "169.58", "169.58", "150.00"),
    ("10106", "个人所得税", 1, "569.00", "134.12", "134.12", "122.30"),
    ("103", "非税收入", 0, "352.00", "80.50", "80.50", "70.00"),
    ("10304", "行政事业性收费收入", 1, "42.00", "10.50", "10.50", "9.00"),
    ("10306", "国有资源（资产）有偿使用收入", 1, "310.00", "70.00", "70.00", "61.00"),
]
REVENUE_TOTAL = ("收入合计", "3421.00", "761.49", "761.49", "682.40")
EXPENDITURE = [
    ("201", "一般公共服务支出", 0, "795.00", "190.20", "190.20", "180.00"),
    ("20101", "人大事务", 1, "38.00", "9.20", "9.20", "9.00"),
    ("20103", "政府办公厅（室）及相关机构事务", 1, "757.00", "181.00", "181.00", "171.00"),
    ("208", "社会保障和就业支出", 0, "756.00", "200.30", "200.30", "190.10"),
    ("20805", "行政事业单位养老支出", 1, "268.00", "70.30", "70.30", "66.10"),
    ("20819", "最低生活保障", 1, "488.00", "130.00", "130.00", "124.00"),
    ("213", "农林水支出", 0, "1622.00", "410.00", "410.00", "380.00"),
    ("21301", "农业农村", 1, "608.00", "150.00", "150.00", "140.00"),
    ("21305", "巩固拓展脱贫攻坚成果衔接乡村振兴", 1, "1014.00", "260.00", "260.00", "240.00"),
]
EXPENDITURE_TOTAL = ("支出合计", "3173.00", "800.50", "800.50", "750.10")
NUMERALS = "一二三四五六七八九十"
TITLE = "两城镇2026年第一季度一般公共预算收支情况表"
NOTE = "注：本表数据来源于镇财政所账务系统，转移性收入按县财政局下达数填列。"
SIGNATURE = ["制表人：王小红", "", "审核人：李建国", "", "填报日期：2026年4月10日"]


def number(text: str) -> float:
    return float(text)


def coded_rows(side: list[tuple], total: tuple) -> list[list]:
    rows = [[code, name, number(b), number(p), number(y), number(last)] for code, name, _, b, p, y, last in side]
    rows.append(["", total[0], *map(number, total[1:])])
    return rows


def numbered_rows(side: list[tuple], total: tuple, start: int = 0, indent: str = "") -> list[list]:
    """No codes: 一、 for a 类 and （一） for a 款, or indentation alone when ``indent`` is given."""
    rows, top, sub = [], start, 0
    for _, name, level, b, p, y, last in side:
        if level == 0:
            label = name if indent else f"{NUMERALS[top]}、{name}"
            top, sub = top + 1, 0
        else:
            label = indent + name if indent else f"（{NUMERALS[sub]}）{name}"
            sub += 1
        rows.append([label, number(b), number(p), number(y), number(last)])
    rows.append([total[0], *map(number, total[1:])])
    return rows


def book(title: str = "Sheet1") -> tuple[openpyxl.Workbook, object]:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    return workbook, sheet


def tail(sheet, width: int, signature: bool = True) -> None:
    sheet.append([])
    sheet.append([NOTE])
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
    if signature:
        sheet.append(SIGNATURE + [""] * (width - len(SIGNATURE)))


def two_row_header() -> None:
    """执行数 merged over 本期 and 累计, the label columns merged down over both header rows."""
    workbook, sheet = book("收支表")
    sheet.append([TITLE])
    sheet.merge_cells("A1:F1")
    sheet.append(["", "", "", "", "", "单位：万元"])
    sheet.append(["科目编码", "科目名称", "预算数", "执行数", "", "上年同期数"])
    sheet.append(["", "", "", "本期", "累计", ""])
    for cols in ("A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:F4"):
        sheet.merge_cells(cols)
    sheet["D3"].alignment = Alignment(horizontal="center")
    for row in coded_rows(REVENUE, REVENUE_TOTAL) + coded_rows(EXPENDITURE, EXPENDITURE_TOTAL):
        sheet.append(row)
    tail(sheet, 6)
    workbook.save(HERE / "two-row-header.xlsx")


def unit_in_header() -> None:
    """「预算数\\n（万元）」: a unit and an Alt+Enter line break inside the header cells."""
    workbook, sheet = book()
    sheet.append(
        ["科目编码", "科目名称", "预算数\n（万元）", "本期数\n（万元）", "累计数\n（万元）", "上年同期数\n（万元）"]
    )
    for row in coded_rows(REVENUE, REVENUE_TOTAL) + coded_rows(EXPENDITURE, EXPENDITURE_TOTAL):
        sheet.append(row)
    workbook.save(HERE / "unit-in-header.xlsx")


def other_names() -> None:
    """科目代码, 项目, 年初预算数 beside 调整预算数, 本月数, 本年累计, 上年同期, under a title row."""
    workbook, sheet = book()
    sheet.append([TITLE + "（单位：万元）"])
    sheet.append(["科目代码", "项目", "年初预算数", "调整预算数", "本月数", "本年累计", "上年同期"])
    for row in coded_rows(REVENUE, REVENUE_TOTAL) + coded_rows(EXPENDITURE, EXPENDITURE_TOTAL):
        sheet.append([row[0], row[1], row[2] - 1 if row[2] else row[2], *row[2:]])
    workbook.save(HERE / "other-names.xlsx")


def codeless_numbered() -> None:
    workbook, sheet = book()
    sheet.append([TITLE])
    sheet.append(["单位：万元"])
    sheet.append(["项目", "预算数", "本期数", "累计数", "上年同期数"])
    for row in numbered_rows(REVENUE, REVENUE_TOTAL) + numbered_rows(EXPENDITURE, EXPENDITURE_TOTAL):
        sheet.append(row)
    tail(sheet, 5, signature=False)
    workbook.save(HERE / "codeless-numbered.xlsx")


def codeless_indented() -> None:
    """No codes and no numbering: 款 indented with full-width spaces under their 类, as a CSV (GBK)."""
    lines = ["项目,预算数,本期数,累计数,上年同期数"]
    for row in numbered_rows(REVENUE, REVENUE_TOTAL, indent="\u3000\u3000") + numbered_rows(
        EXPENDITURE, EXPENDITURE_TOTAL, indent="\u3000\u3000"
    ):
        lines.append(",".join(str(v) if not isinstance(v, float) else f"{v:.2f}" for v in row))
    (HERE / "codeless-indented.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


def subtotals() -> None:
    """一般公共预算收入 and 本年支出合计 as subtotals, a 类 after each, 收入总计 and 支出总计 over all."""
    workbook, sheet = book()
    sheet.append(["项目", "预算数", "本期数", "累计数"])
    for row in numbered_rows(REVENUE, REVENUE_TOTAL)[:-1]:
        sheet.append(row[:4])
    sheet.append(["一般公共预算收入", 3421.0, 761.49, 761.49])
    sheet.append(["三、转移性收入", 2900.0, 725.0, 725.0])
    sheet.append(["收入总计", 6321.0, 1486.49, 1486.49])
    for row in numbered_rows(EXPENDITURE, EXPENDITURE_TOTAL)[:-1]:
        sheet.append(row[:4])
    sheet.append(["本年支出合计", 3173.0, 800.5, 800.5])
    sheet.append(["四、上解支出", 600.0, 150.0, 150.0])
    sheet.append(["支出总计", 3773.0, 950.5, 950.5])
    workbook.save(HERE / "subtotals.xlsx")


def notes_and_signature_csv() -> None:
    lines = [TITLE, "单位：万元", "科目编码,科目名称,预算数,本期数,累计数,上年同期数"]
    for row in coded_rows(REVENUE, REVENUE_TOTAL) + coded_rows(EXPENDITURE, EXPENDITURE_TOTAL):
        lines.append(",".join(f"{v:.2f}" if isinstance(v, float) else v for v in row))
    lines += ["", NOTE, "2. 本表金额四舍五入到0.01万元。", ",".join(SIGNATURE)]
    (HERE / "notes-and-signature.csv").write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


def formulas() -> None:
    """Totals as formulas: openpyxl saves no values for them (an error), LibreOffice does (reads)."""
    workbook, sheet = book()
    sheet.append(["科目编码", "科目名称", "预算数", "本期数", "累计数", "上年同期数"])
    first = 2
    for row in coded_rows(REVENUE, REVENUE_TOTAL)[:-1]:
        sheet.append(row)
    last = sheet.max_row
    sheet.append(["", "收入合计"] + [f'=SUMIFS({c}{first}:{c}{last},$A{first}:$A{last},"???")' for c in "CDEF"])
    start = sheet.max_row + 1
    for row in coded_rows(EXPENDITURE, EXPENDITURE_TOTAL)[:-1]:
        sheet.append(row)
    end = sheet.max_row
    sheet.append(["", "支出合计"] + [f'=SUMIFS({c}{start}:{c}{end},$A{start}:$A{end},"???")' for c in "CDEF"])
    workbook.save(HERE / "formulas.xlsx")


def two_sheets() -> None:
    workbook, sheet = book("收入")
    sheet.append(["科目编码", "科目名称", "预算数", "本期数", "累计数", "上年同期数"])
    for row in coded_rows(REVENUE, REVENUE_TOTAL):
        sheet.append(row)
    other = workbook.create_sheet("支出")
    other.append([TITLE.replace("收支", "支出")])
    other.append(["科目编码", "科目名称", "预算数", "本期数", "累计数", "上年同期数"])
    for row in coded_rows(EXPENDITURE, EXPENDITURE_TOTAL):
        other.append(row)
    workbook.save(HERE / "two-sheets.xlsx")


def side_by_side() -> None:
    """左收右支: revenue on the left, expenditure on the right, one header row over both."""
    workbook, sheet = book()
    sheet.append([TITLE])
    sheet.append(["单位：万元"])
    sheet.append(["收入项目", "预算数", "本期数", "累计数", "", "支出项目", "预算数", "本期数", "累计数"])
    left = [r[:4] for r in numbered_rows(REVENUE, REVENUE_TOTAL)]
    right = [r[:4] for r in numbered_rows(EXPENDITURE, EXPENDITURE_TOTAL)]
    for index in range(max(len(left), len(right))):
        a = left[index] if index < len(left) else ["", "", "", ""]
        b = right[index] if index < len(right) else ["", "", "", ""]
        sheet.append(a + [""] + b)
    workbook.save(HERE / "side-by-side.xlsx")


def unit_conflict() -> None:
    workbook, sheet = book()
    sheet.append([TITLE])
    sheet.append(["单位：元"])
    sheet.append(["科目编码", "科目名称", "预算数", "本期数", "累计数"])
    for row in coded_rows(REVENUE, REVENUE_TOTAL) + coded_rows(EXPENDITURE, EXPENDITURE_TOTAL):
        sheet.append(row[:5])
    workbook.save(HERE / "unit-conflict.xlsx")


def boms() -> None:
    lines = ["科目编码,科目名称,预算数,本期数,累计数"]
    for row in coded_rows(REVENUE, REVENUE_TOTAL) + coded_rows(EXPENDITURE, EXPENDITURE_TOTAL):
        lines.append(",".join(f"{v:.2f}" if isinstance(v, float) else v for v in row[:5]))
    text = "\n".join(lines) + "\n"
    (HERE / "gb18030-bom.csv").write_bytes(b"\x84\x31\x95\x33" + text.encode("gb18030"))
    (HERE / "double-bom.csv").write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + text.encode("utf-8"))


def percent_columns() -> None:
    """The clerk's own 完成预算% (one wrong) and 同比增减%, as Excel percentages (0.222 shown as 22.2%)."""
    workbook, sheet = book()
    sheet.append(["科目编码", "科目名称", "预算数", "本期数", "累计数", "上年同期数", "完成预算%", "同比增减%"])
    for row in coded_rows(REVENUE, REVENUE_TOTAL) + coded_rows(EXPENDITURE, EXPENDITURE_TOTAL):
        budget, ytd, last = row[2], row[4], row[5]
        done = round(ytd / budget, 4)
        change = round((ytd - last) / last, 4)
        sheet.append(row + [done, change])
        sheet.cell(sheet.max_row, 7).number_format = "0.0%"
        sheet.cell(sheet.max_row, 8).number_format = "0.0%"
    sheet["G3"] = 0.3  # 增值税: 377.29/1860 is 20.3%, not 30%
    workbook.save(HERE / "percent-columns.xlsx")


def blank_columns() -> None:
    """A blank column before the table and one inside it, as a WPS form often has."""
    workbook, sheet = book()
    sheet.append(["", TITLE])
    sheet.append([])
    sheet.append(["", "科目编码", "科目名称", "", "预算数", "本期数", "累计数"])
    for row in coded_rows(REVENUE, REVENUE_TOTAL) + coded_rows(EXPENDITURE, EXPENDITURE_TOTAL):
        sheet.append(["", row[0], row[1], "", *row[2:5]])
    workbook.save(HERE / "blank-columns.xlsx")


def stray_cell() -> None:
    workbook, sheet = book()
    sheet.append(["科目编码", "科目名称", "预算数", "本期数", "累计数"])
    for row in coded_rows(REVENUE, REVENUE_TOTAL):
        sheet.append(row[:5])
    sheet["XFD1048576"] = "x"
    workbook.save(HERE / "stray-cell.xlsx")


def zip_bomb() -> None:
    """A workbook whose sheet decompresses to 80 MB of padding from a file of well under 1 MB."""
    workbook, sheet = book()
    sheet.append(["科目编码", "科目名称", "预算数", "本期数", "累计数"])
    with tempfile.TemporaryDirectory() as folder:
        plain = Path(folder) / "plain.xlsx"
        workbook.save(plain)
        with (
            zipfile.ZipFile(plain) as source,
            zipfile.ZipFile(HERE / "zip-bomb.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
        ):
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    data = data.replace(b"</worksheet>", b"<!--" + b" " * (80 * 1024 * 1024) + b"--></worksheet>")
                target.writestr(item.filename, data)


def unclosed_quote() -> None:
    lines = ["序号,姓名,村民小组", '1,梁平,"第一村民小组']
    lines += [f"{n},村民{n},第一村民小组" for n in range(2, 40)]
    (HERE / "unclosed-quote.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def no_header() -> None:
    lines = ["两城镇收支表", "甲,乙,丙,丁", "101,税收收入,3069,680.99"]
    (HERE / "no-header.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def roster_ansi() -> None:
    """A 低保 list saved as ANSI: 吉𠮷祥 lost its rare character and became 吉?祥."""
    lines = ["小庄村2026年第二季度农村低保对象公示", "序号,户主姓名,村民小组,家庭人口,保障金额（元）"]
    names = ["梁平", "吉?祥", "王淑英", "陈?明", "赵建国"]
    for n, name in enumerate(names, 1):
        lines.append(f"{n},{name},第{NUMERALS[n % 3]}村民小组,{n % 4 + 1},{600 + 10 * n}")
    lines += ["", "注：公示期内如有异议，请向村务监督委员会反映。"]
    (HERE / "roster-ansi.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


def contacts_extra() -> None:
    """Contacts with a 备注 column the poster does not print, and 部门 merged down over its people."""
    workbook, sheet = book("通讯录")
    sheet.append(["两城镇机构设置及联系方式"])
    sheet.append(["部门", "姓名", "职务", "分管工作", "办公电话", "办公地点", "备注"])
    people = [
        ("领导班子", "张明远", "党委书记", "主持镇党委全面工作", "0537-1234501", "办公楼301", "兼任一级主任科员"),
        ("", "李建国", "镇长", "主持镇政府全面工作", "0537-1234502", "办公楼302", ""),
        ("党政办公室", "王小红", "主任", "", "0537-1234511", "办公楼201", ""),
        ("", "赵敏", "科员", "", "0537-1234512", "办公楼201", "信息员"),
    ]
    for person in people:
        sheet.append(list(person))
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("A5:A6")
    workbook.save(HERE / "contacts-extra.xlsx")


def tasks_extra() -> None:
    workbook, sheet = book()
    sheet.append(["序号", "重点任务", "牵头单位", "责任人", "目标要求", "完成进度", "完成时限", "资金来源", "备注"])
    sheet.append([1, "农村人居环境整治", "农业农村办", "李建国", "完成12个村改厕", "80%", "2026年12月", "县级专项", ""])
    sheet.append([2, "便民服务中心改造", "党政办", "王小红", "6月底前投用", "100%", "2026年6月", "镇级自筹", ""])
    workbook.save(HERE / "tasks-extra.xlsx")


def soffice(source: Path, fmt: str, target: Path) -> None:
    """Re-save through LibreOffice, which writes cached formula values (and the .xls format)."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation=file://{folder}/profile",
                "--convert-to",
                fmt,
                "--outdir",
                folder,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        produced = Path(folder) / f"{source.stem}.{fmt.split(':')[0]}"
        shutil.move(str(produced), target)


def main() -> None:
    for make in (
        two_row_header,
        unit_in_header,
        other_names,
        codeless_numbered,
        codeless_indented,
        subtotals,
        notes_and_signature_csv,
        formulas,
        two_sheets,
        side_by_side,
        unit_conflict,
        boms,
        percent_columns,
        blank_columns,
        stray_cell,
        zip_bomb,
        unclosed_quote,
        no_header,
        roster_ansi,
        contacts_extra,
        tasks_extra,
    ):
        make()
    if shutil.which("soffice") is None:
        raise SystemExit("LibreOffice (soffice) is needed for the re-saved files: apt-get install libreoffice-calc")
    soffice(HERE / "formulas.xlsx", "xlsx", HERE / "formulas.lo.xlsx")
    soffice(HERE / "two-row-header.xlsx", "xlsx", HERE / "two-row-header.lo.xlsx")
    soffice(HERE / "two-row-header.xlsx", "xls", HERE / "two-row-header.xls")
    soffice(HERE / "codeless-numbered.xlsx", "xls", HERE / "codeless-numbered.xls")
    soffice(HERE / "contacts-extra.xlsx", "xls", HERE / "contacts-extra.xls")


if __name__ == "__main__":
    main()
