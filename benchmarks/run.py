"""Benchmark: whole-process wall time of `noticeboard build` against a bare reportlab baseline.

    python benchmarks/run.py            # 5 repetitions per measurement
    python benchmarks/run.py --quick    # 2 repetitions
    python benchmarks/run.py --repeat 9

Cases (each in its own temporary workspace made by `noticeboard init`):

* town       - the shipped sample workspace as is: two finance posters
               (2026-Q1 from CSV on A2 landscape, 2026-Q2 from xlsx on A4).
* large-300  - the sample workspace with its notices replaced by one generated
               2026-Q1 finance table of 300 rows on A4 (valid, reconciling codes).

Every timing is one fresh Python process (subprocess, wall clock), so imports,
font registration and file output are all included. For each case the baseline
is benchmarks/baseline_drawstring.py drawing the very same lines (extracted once
from noticeboard's own PDFs with pypdfium2) with bare canvas.drawString, on the
same paper size and page count. The two commands are run alternately so that
machine noise hits both sides alike; the median of each is reported.

Results are printed as a table and written to benchmarks/results/latest.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2 as pdfium

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
BASELINE = BENCH_DIR / "baseline_drawstring.py"
RESULTS = BENCH_DIR / "results" / "latest.json"
DEFAULT_REPEAT = 5
QUICK_REPEAT = 2
BUSY_LOAD = 0.5  # warn when the machine is already this busy before we start
PINNED_CPU = 0  # both sides run on this one core


# --------------------------------------------------------------------------- processes


def noticeboard_cmd(*args: str) -> list[str]:
    """`noticeboard ARGS` in a fresh interpreter.

    `python -m noticeboard` runs the same `cli.main` as the console script, but with
    this very interpreter and without any launcher or shim (e.g. pyenv) in between,
    so both sides of the comparison start the same way.
    """
    return [sys.executable, "-m", "noticeboard", *args]


def run_checked(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run a command, raising with its output if it fails."""
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout}{proc.stderr}")
    return proc


def timed_run(cmd: list[str], cwd: Path, clean: Path) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one fresh process on CPU 0; `clean` is removed first (untimed).

    On a shared machine the CPU time is the steadier figure: waiting for the core counts in the wall time only.
    """
    shutil.rmtree(clean, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=lambda: os.sched_setaffinity(0, {PINNED_CPU}),
    )  # no threads here
    output = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)  # wait4, not proc.wait(): we want its rusage
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{output}")
    return elapsed, usage.ru_utime + usage.ru_stime


# --------------------------------------------------------------------------- the large generated table

# 类 rows (3-digit codes) and how many 款 rows (5-digit codes under them) each gets.
REVENUE_CLASSES = [("101", "税收收入", 60), ("103", "非税收入", 40), ("110", "转移性收入", 20)]
EXPENDITURE_CLASSES = [
    ("201", "一般公共服务支出", 50),
    ("208", "社会保障和就业支出", 40),
    ("212", "城乡社区支出", 30),
    ("213", "农林水支出", 51),
]
# 类 rows + 款 rows + one 合计 row per section.
LARGE_ROWS = sum(1 + n for _, _, n in REVENUE_CLASSES + EXPENDITURE_CLASSES) + 2
assert LARGE_ROWS == 300

# 款 names are made from these parts (head + tail, per section): plausible and of varied
# length, so some wrap in the table's name column.
NAME_PARTS = {
    "revenue": (
        [
            "国有资源",
            "国有资产",
            "行政事业性",
            "专项",
            "罚没",
            "土地出让",
            "城市基础设施配套",
            "污水处理",
            "一般性转移支付",
            "专项转移支付",
            "返还性",
            "债务转贷",
            "上年结转",
            "调入",
        ],
        ["收入", "收费收入", "有偿使用收入", "补助收入", "返还收入", "其他收入"],
    ),
    "expenditure": (
        [
            "乡村",
            "社区",
            "道路",
            "水利",
            "农田",
            "林业",
            "养老",
            "教育",
            "卫生",
            "文化",
            "环境",
            "住房",
            "就业",
            "救助",
            "治安",
            "交通",
            "集体经济",
            "基础设施",
            "公共服务",
            "人居环境整治",
            "防汛抗旱",
            "土地整理",
            "农村供水",
            "村级组织运转",
        ],
        [
            "管理事务",
            "建设",
            "补助",
            "专项资金",
            "运行维护",
            "服务",
            "奖补资金",
            "其他支出",
            "项目",
            "改造提升工程",
            "保障经费",
            "发展资金",
        ],
    ),
}


def amount(cents: int) -> str:
    """An amount (the table is in 万元) with two decimals and thousands separators, from integer hundredths."""
    return f"{cents // 100:,}.{cents % 100:02d}"


def finance_rows(seed: int = 2026) -> list[list[str]]:
    """A 300-row 2026-Q1 finance table whose parents and totals reconcile exactly.

    Amounts are integers of 0.01 万元 so sums are exact; 累计数 equals 本期数 because
    Q1 is the first period of the year.
    """
    rng = random.Random(seed)
    rows: list[list[str]] = []
    sections = (("revenue", REVENUE_CLASSES, "收入合计"), ("expenditure", EXPENDITURE_CLASSES, "支出合计"))
    for section, classes, total_name in sections:
        heads, tails = NAME_PARTS[section]
        grand = [0, 0, 0]  # budget, period, last year
        for code, name, count in classes:
            children = []
            for suffix in sorted(rng.sample(range(1, 100), count)):
                budget = rng.randint(500, 90_000)
                period = budget * rng.randint(15, 30) // 100
                last_year = period * rng.randint(85, 115) // 100
                label = rng.choice(heads) + rng.choice(tails)
                children.append((f"{code}{suffix:02d}", label, budget, period, last_year))
            sums = [sum(child[i] for child in children) for i in (2, 3, 4)]
            grand = [g + s for g, s in zip(grand, sums)]
            rows.append([code, name, amount(sums[0]), amount(sums[1]), amount(sums[1]), amount(sums[2])])
            for kcode, label, budget, period, last_year in children:
                rows.append([kcode, label, amount(budget), amount(period), amount(period), amount(last_year)])
        rows.append(["", total_name, amount(grand[0]), amount(grand[1]), amount(grand[1]), amount(grand[2])])
    return rows


LARGE_NOTICE = """\
id: bench-finance
kind: finance
title: 两城镇2026年第一季度财政收支情况公示
catalogue: finance
period: 2026-Q1
date: 2026-04-12
display_days: 10
paper: A4
unit: 万元
data: bench-finance.csv
reviews:
  初审: {by: 王小红, date: 2026-04-10}
  审核: {by: 李建国, date: 2026-04-11}
  保密审查: {by: 赵敏, date: 2026-04-11}
"""


def write_large_workspace(workspace: Path) -> None:
    """Replace the initialised sample's notices with the generated 300-row table."""
    notices = workspace / "notices"
    shutil.rmtree(notices)
    notices.mkdir()
    (notices / "bench-finance.yaml").write_text(LARGE_NOTICE, encoding="utf-8")
    with open(notices / "bench-finance.csv", "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["科目编码", "科目名称", "预算数", "本期数", "累计数", "上年同期数"])
        writer.writerows(finance_rows())


# --------------------------------------------------------------------------- cases


@dataclass
class Case:
    name: str
    description: str
    workspace: Path
    baseline_out: Path
    text_json: Path
    documents: list[dict] = field(default_factory=list)
    noticeboard_s: list[float] = field(default_factory=list)
    baseline_s: list[float] = field(default_factory=list)
    noticeboard_cpu_s: list[float] = field(default_factory=list)
    baseline_cpu_s: list[float] = field(default_factory=list)

    @property
    def out(self) -> Path:
        return self.workspace / "out"


def extract_documents(pdfs: list[Path]) -> list[dict]:
    """Text lines, page by page, and the page size of each PDF, read with pypdfium2."""
    documents = []
    for path in pdfs:
        pdf = pdfium.PdfDocument(str(path))
        try:
            pages = []
            for page in pdf:
                text = page.get_textpage().get_text_range()
                pages.append([line.strip() for line in text.splitlines() if line.strip()])
            width, height = pdf[0].get_size()
        finally:
            pdf.close()
        documents.append({"name": path.stem, "page_size": [width, height], "pages": pages})
    return documents


def baseline_cmd(case: Case) -> list[str]:
    """The baseline script, in a fresh interpreter, pointed at the fonts noticeboard itself uses."""
    from noticeboard.resources import fonts_dir  # the very fonts noticeboard registers

    return [sys.executable, str(BASELINE), str(case.text_json), str(case.baseline_out), "--fonts", str(fonts_dir())]


def prepare(name: str, description: str, tmp: Path, customise=None) -> Case:
    """`noticeboard init` a workspace, build it once (warm-up, untimed), extract its text."""
    root = tmp / name
    root.mkdir()
    workspace = root / "workspace"
    run_checked(noticeboard_cmd("init", str(workspace)), cwd=root)
    if customise:
        customise(workspace)
    case = Case(name, description, workspace, root / "baseline-out", root / "text.json")
    run_checked(noticeboard_cmd("build", "-w", str(workspace)), cwd=root)
    pdfs = sorted((case.out / "print").glob("*.pdf"))
    if not pdfs:
        raise RuntimeError(f"{name}: noticeboard build wrote no PDF")
    case.documents = extract_documents(pdfs)
    case.text_json.write_text(json.dumps({"documents": case.documents}, ensure_ascii=False), encoding="utf-8")
    # Warm-up for the baseline too, which also proves it works before timing starts
    # and lets us check it really matches noticeboard's page count and paper size.
    run_checked(baseline_cmd(case), cwd=root)
    for document in case.documents:
        pdf = pdfium.PdfDocument(str(case.baseline_out / f"{document['name']}.pdf"))
        try:
            same = len(pdf) == len(document["pages"]) and all(
                [round(v, 1) for v in page.get_size()] == [round(v, 1) for v in document["page_size"]] for page in pdf
            )
        finally:
            pdf.close()
        if not same:
            raise RuntimeError(f"{name}: baseline PDF {document['name']} differs in page count or size")
    return case


def measure(case: Case, repeat: int) -> None:
    """Alternate noticeboard and baseline runs so slow drift affects both equally."""
    build = noticeboard_cmd("build", "-w", str(case.workspace))
    base = baseline_cmd(case)
    for i in range(repeat):
        wall, cpu = timed_run(build, cwd=case.workspace.parent, clean=case.out)
        case.noticeboard_s.append(wall)
        case.noticeboard_cpu_s.append(cpu)
        wall, cpu = timed_run(base, cwd=case.workspace.parent, clean=case.baseline_out)
        case.baseline_s.append(wall)
        case.baseline_cpu_s.append(cpu)
        print(
            f"  {case.name} run {i + 1}/{repeat}: noticeboard {case.noticeboard_s[-1]:.3f} s, "
            f"baseline {case.baseline_s[-1]:.3f} s",
            file=sys.stderr,
        )


# --------------------------------------------------------------------------- reporting


def summary(case: Case) -> dict:
    nb = statistics.median(case.noticeboard_s)
    base = statistics.median(case.baseline_s)
    return {
        "case": case.name,
        "description": case.description,
        "posters": [
            {
                "name": d["name"],
                "pages": len(d["pages"]),
                "page_size_pt": [round(v, 2) for v in d["page_size"]],
                "lines": sum(len(p) for p in d["pages"]),
            }
            for d in case.documents
        ],
        "noticeboard_median_s": round(nb, 4),
        "baseline_median_s": round(base, 4),
        "ratio": round(nb / base, 3),
        "noticeboard_median_cpu_s": round(statistics.median(case.noticeboard_cpu_s), 4),
        "baseline_median_cpu_s": round(statistics.median(case.baseline_cpu_s), 4),
        "cpu_ratio": round(statistics.median(case.noticeboard_cpu_s) / statistics.median(case.baseline_cpu_s), 3),
        "noticeboard_runs_s": [round(v, 4) for v in case.noticeboard_s],
        "baseline_runs_s": [round(v, 4) for v in case.baseline_s],
    }


def print_table(rows: list[dict], repeat: int) -> None:
    header = ("case", "pages", "noticeboard (s)", "baseline (s)", "ratio", "CPU (s)", "baseline CPU (s)", "CPU ratio")
    body = [
        (
            r["case"],
            str(sum(p["pages"] for p in r["posters"])),
            f"{r['noticeboard_median_s']:.3f}",
            f"{r['baseline_median_s']:.3f}",
            f"{r['ratio']:.2f}x",
            f"{r['noticeboard_median_cpu_s']:.3f}",
            f"{r['baseline_median_cpu_s']:.3f}",
            f"{r['cpu_ratio']:.2f}x",
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{widths[0]}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    print(f"\nmedian of {repeat} fresh processes each, pinned to CPU {PINNED_CPU} (ratio = noticeboard / baseline)")
    print(fmt.format(*header))
    print(fmt.format(*("-" * w for w in widths)))
    for line in body:
        print(fmt.format(*line))


def git_state() -> dict:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = (
            subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            != ""
        )
        return {"commit": commit, "dirty": dirty}
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}


def environment() -> dict:
    from importlib.metadata import version

    return {
        "python": platform.python_version(),
        "executable": sys.executable,
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "noticeboard": version("noticeboard"),
        "reportlab": version("reportlab"),
        "pypdfium2": version("pypdfium2"),
        "git": git_state(),
    }


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Time `noticeboard build` against a bare reportlab drawString baseline."
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--repeat",
        type=int,
        default=DEFAULT_REPEAT,
        metavar="N",
        help=f"fresh processes per measurement (default {DEFAULT_REPEAT})",
    )
    group.add_argument("--quick", action="store_true", help=f"same as --repeat {QUICK_REPEAT}")
    args = parser.parse_args()
    repeat = QUICK_REPEAT if args.quick else args.repeat
    if repeat < 1:
        parser.error("--repeat must be at least 1")

    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    if load_before > BUSY_LOAD:
        print(
            f"warning: 1-minute load average is {load_before:.2f}; other processes will inflate the timings",
            file=sys.stderr,
        )
    with tempfile.TemporaryDirectory(prefix="noticeboard-bench-") as tmp_name:
        tmp = Path(tmp_name)
        print("preparing workspaces (noticeboard init + one untimed warm-up build each) ...", file=sys.stderr)
        cases = [
            prepare(
                "town", "sample workspace: 2 finance posters (2026-Q1 CSV on A2 landscape, 2026-Q2 xlsx on A4)", tmp
            ),
            prepare(
                f"large-{LARGE_ROWS}",
                f"generated {LARGE_ROWS}-row 2026-Q1 finance table on A4",
                tmp,
                customise=write_large_workspace,
            ),
        ]
        for case in cases:
            measure(case, repeat)
        rows = [summary(case) for case in cases]

    print_table(rows, repeat)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "repeat": repeat,
        "command": "python benchmarks/run.py"
        + (" --quick" if args.quick else f" --repeat {repeat}" if repeat != DEFAULT_REPEAT else ""),
        "environment": environment(),
        "cases": rows,
        "total_wall_s": round(time.perf_counter() - started, 1),
        # 1-minute load averages; well above 0 means something else was competing for the CPUs.
        "load_average": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
    }
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten {RESULTS.relative_to(REPO)} (whole run {report['total_wall_s']} s)")


if __name__ == "__main__":
    main()
