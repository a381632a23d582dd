"""Benchmark: a year's 村级财务 ledger of 10,000 entries, built as one notice.

    python benchmarks/ledger.py                  # 10,000 entries on A3, once
    python benchmarks/ledger.py --count 2000 --paper A4 --repeat 3

The workspace is made in a temporary folder: the 三资-style export (GBK CSV with CRLF, a
title row, the 期初余额 row, the entries with a 红字冲销 every 500th, the totals, a note and the
signature line) and a notice that the village's own review chain has signed. Each run is one
fresh `python -m noticeboard build` process; the wall time, the number of sheets and the
check that every 摘要 is in the PDF's text are printed.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium

REPO = Path(__file__).resolve().parent.parent

SETTINGS = """\
issuer: 小庄村村民委员会
base_url: https://gk.example.gov.cn/xzc/
hotline: 0537-4261234
reviews: [初审, 审核, 保密审查]
catalogue:
  - id: village-finance
    title: 村级财务收支公开
    frequency: annual
    reviews: [报账员初审, 村务监督委员会审核]
"""
NOTICE = """\
id: year-ledger
kind: ledger
title: 小庄村2026年村级财务收支明细公开
catalogue: village-finance
period: 2026
date: 2027-01-10
display_days: 7
paper: {paper}
data: year-ledger.csv
reviews:
  报账员初审: {{by: 张静, date: 2027-01-05}}
  村务监督委员会审核: {{by: 颜廷玉, date: 2027-01-08}}
"""
ACCOUNTS = [
    ("上级补助收入", True),
    ("发包及上交收入", True),
    ("经营收入", True),
    ("管理费用", False),
    ("公益支出", False),
    ("其他支出", False),
]


def ledger_rows(count: int) -> tuple[list[list[str]], list[str]]:
    rows = [
        ["小庄村2026年村级财务收支明细表", "", "", "", "", "", "", ""],
        ["记账日期", "凭证字号", "科目名称", "摘要", "收入金额", "支出金额", "经手人", "证明人（审核人）"],
        ["", "", "", "期初余额", "250000.00", "", "", ""],
    ]
    income = expense = Decimal(0)
    summaries = []
    for number in range(count):
        day = number * 365 // count
        month, date = 1, day
        for m, length in enumerate((31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31), start=1):
            if date < length:
                month = m
                break
            date -= length
        account, is_income = ACCOUNTS[number % len(ACCOUNTS)]
        value = Decimal(number % 997 + 1) + Decimal(number % 100) / 100
        text = f"第{number + 1}笔{account}（{'收款' if is_income else '付款'}）"
        cell = f"{value:.2f}"
        if number % 500 == 499:  # a 红字冲销 now and then
            text, cell, value = f"冲销第{number}笔多记的款项", f"({value:.2f})", -value
        if is_income:
            income += value
        else:
            expense += value
        summaries.append(text)
        rows.append(
            [
                f"2026-{month:02d}-{date + 1:02d}",
                f"记-{number + 1:05d}",
                account,
                text,
                cell if is_income else "",
                "" if is_income else cell,
                "孔令华",
                "颜廷玉",
            ]
        )
    rows += [
        ["", "", "", "本年收入合计", f"{income:.2f}", "", "", ""],
        ["", "", "", "本年支出合计", "", f"{expense:.2f}", "", ""],
        ["", "", "", "期末余额", f"{Decimal('250000.00') + income - expense:.2f}", "", "", ""],
        ["", "", "", "", "", "", "", ""],
        ["注：原始凭证存村会计服务中心备查。", "", "", "", "", "", "", ""],
        ["制表人：孔令华", "", "", "审核人：颜廷玉", "", "", "", "填报日期：2027-01-05"],
    ]
    return rows, summaries


def make_workspace(root: Path, count: int, paper: str) -> list[str]:
    (root / "notices").mkdir(parents=True)
    (root / "noticeboard.yaml").write_text(SETTINGS, encoding="utf-8")
    (root / "notices" / "year-ledger.yaml").write_text(NOTICE.format(paper=paper), encoding="utf-8")
    rows, summaries = ledger_rows(count)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    (root / "notices" / "year-ledger.csv").write_bytes(buffer.getvalue().encode("gbk"))
    return summaries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--paper", default="A3")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    times = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        summaries = make_workspace(root, args.count, args.paper)
        for _ in range(args.repeat):
            (root / "out").exists() and subprocess.run(["rm", "-rf", str(root / "out")], check=True)
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "noticeboard", "build", "-w", str(root)],
                cwd=REPO,
                capture_output=True,
                text=True,
            )
            times.append(time.perf_counter() - start)
            if done.returncode != 0:
                sys.exit(done.stdout + done.stderr)
        document = pdfium.PdfDocument(str(root / "out" / "print" / "year-ledger.pdf"))
        sheets = len(document)
        text = "".join("".join(page.get_textpage().get_text_range().split()) for page in document)
        document.close()
        missing = [s for s in summaries if s not in text]
    print(
        f"ledger {args.count} entries on {args.paper}: {sheets} sheets, "
        f"median {statistics.median(times):.1f} s over {len(times)} run(s); "
        f"摘要 missing from the PDF text: {len(missing)}"
    )
    if missing:
        sys.exit(1)


if __name__ == "__main__":
    main()
