"""Benchmark: 5,000 household letters (《致村民的一封信》) on one core, against typst and the drawString floor.

    python benchmarks/letters.py                 # 5,000 letters each side, then 10,000 for the peak RSS
    python benchmarks/letters.py --count 1000 --repeat 3 --memory-count 0
    python benchmarks/letters.py --profile /tmp/letters.prof   # then a cProfile of one build

One temporary workspace: a minimal noticeboard.yaml (no sign-offs needed) and one letter
notice (A4, a QR per household, sorted by 村民小组 then 户号) over a households CSV in GBK
made by samples/make_households.py. Its body is about 600 characters, with a salutation, two
headings and placeholders inside a paragraph.

Every side is a whole fresh process pinned to the same single core (sched_setaffinity):

* build - ``python -m noticeboard build -w WS``: checks, every letter, the receipt register,
          the preview PNG and the online copy;
* typst - benchmarks/peer_typst.py: the same letters from a typst template and the households
          as data, the same font files, a per-household QR from noticeboard's own letter coder
          (left out when typst is not installed, or with --no-typst);
* floor - benchmarks/baseline_letters_floor.py: the same fonts, every letter's text lines with
          bare canvas.drawString, one A4 page per household, no QR.

For each we take wall time (perf_counter around the process), CPU time and peak RSS (from wait4,
which also covers any worker processes it waited for) and the page count of its PDF, which must
equal the number of households. Targets: issue 6, at least 360 pages/s with a peak RSS under
200 MiB (checked again at --memory-count letters); issue 14, build / typst <= 0.25 and
build / floor <= 2 in wall time.

Results are printed and written to benchmarks/results/letters.json.
"""

from __future__ import annotations

import argparse
import json
import os
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
from run import BUSY_LOAD, REPO, environment, noticeboard_cmd

sys.path.insert(0, str(REPO / "samples"))
from make_households import write_households  # samples/ is not a package

BENCH_DIR = Path(__file__).resolve().parent
FLOOR = BENCH_DIR / "baseline_letters_floor.py"
PEER_TYPST = BENCH_DIR / "peer_typst.py"
RESULTS = BENCH_DIR / "results" / "letters.json"
DEFAULT_COUNT = 5_000  # issue 14 compares at 5,000 letters
MEMORY_COUNT = 10_000  # and the peak RSS at 10,000
TARGET_PAGES_PER_S = 360.0  # issue 6
TARGET_RSS_MIB = 200.0
TARGET_TYPST_RATIO = 0.25  # issue 14: build time / typst time, i.e. 4x typst's rate
TARGET_FLOOR_RATIO = 2.0  # issue 14: build time / floor time
NOTICE_ID = "bench-letter"
A4 = (595.2756, 841.8898)

BASE_URL = "https://gk.example.gov.cn/lcz/"
HOTLINE = "0537-1234567"
SETTINGS = f"""\
# benchmark workspace (fictional): no sign-offs, so the letters are final prints
issuer: 两城镇人民政府
base_url: {BASE_URL}
hotline: {HOTLINE}
reviews: []
"""

TITLE = "致全体村民的一封信"
ISSUER = "小庄村村民选举委员会"
DATE_TEXT = "2026年2月20日"
# About 600 characters with the placeholders filled in, one paragraph per line (as a letter's
# body is written). Headings start with 一、 二、; the salutation has no indent.
PARAGRAPHS = (
    "尊敬的{户主}户：",
    (
        "您好！根据《中华人民共和国村民委员会组织法》和省、市、县有关规定，"
        "小庄村第十二届村民委员会换届选举将于2026年3月18日举行。"
        "村民委员会是村民自我管理、自我教育、自我服务的基层群众性自治组织，"
        "选好一届班子，关系到今后五年全村的发展和家家户户的切身利益。"
        "为了让每一户都知道选举的时间、登记的办法和有关纪律，现将有关事项告知如下。"
    ),
    "一、选民登记和投票",
    (
        "年满十八周岁、户籍在本村的村民，除依法被剥夺政治权利的以外，都有选举权和被选举权。"
        "选民登记时间为2026年2月25日至27日，由各村民小组长逐户上门核实。"
        "您家（户号{户号}，{村民小组}）的登记名单将在村务公开栏张榜公布，请全家人认真核对，"
        "发现遗漏或者差错，请在公布之日起五日内向村民选举委员会提出。"
        "外出务工、上学的家庭成员可以书面委托本村有选举权的近亲属代为投票，每人接受委托不得超过三人。"
    ),
    "二、严肃换届纪律",
    (
        "换届选举必须公开、公平、公正。严禁以金钱、财物或者其他利益收买选民，"
        "严禁以暴力、威胁、欺骗等不正当手段妨害选举，严禁宗族势力和黑恶势力干扰选举。"
        "对违反纪律的行为，一经查实，依法依纪严肃处理，当选无效。"
        "发现贿选等违法违纪行为，请拨打监督电话举报，我们为举报人保密。"
    ),
    (
        "投票当天，中心会场设在村委会大院，各村民小组另设投票站。请您按时参加，珍惜手中的民主权利，"
        "选出群众信得过、能干事、肯干事的带头人。感谢您对换届选举工作的理解和支持！"
    ),
)
BODY = "\n".join(PARAGRAPHS)

NOTICE = f"""\
id: {NOTICE_ID}
kind: letter
title: {TITLE}
issuer: {ISSUER}
date: 2026-02-20
paper: A4
data: households.csv
sort_by: [村民小组, 户号]
qr_per_household: true
body: |
""" + "".join(f"  {line}\n" for line in BODY.splitlines())


# --------------------------------------------------------------------------- the workspace


def wrap(text: str, width: int) -> list[str]:
    """Fixed-count lines that never split a {placeholder} (the floor does no real layout)."""
    tokens: list[str] = []
    i = 0
    while i < len(text):
        end = text.index("}", i) + 1 if text[i] == "{" else i + 1
        tokens.append(text[i:end])
        i = end
    lines, line = [], ""
    for token in tokens:
        if len(line) + len(token) > width and line:
            lines.append(line)
            line = ""
        line += token
    return [*lines, line] if line else lines


def role(text: str) -> str:
    """How the letter sets a body line: the salutation flush, 一、 二、 headings bold, the rest indented."""
    if text.startswith("尊敬的"):
        return "salutation"
    return "heading" if text[:2] in ("一、", "二、") else "paragraph"


def floor_lines(base_url: str, hotline: str) -> list[list]:
    """The letter's text lines for the floor: delivery line, title, body, issuer, date, QR caption."""
    lines: list[list] = [
        ["regular", 9.0, "送：{村民小组}\u3000户号 {户号}\u3000户主 {户主}\u3000{地址}"],
        ["bold", 22.0, TITLE],
    ]
    for text in PARAGRAPHS:
        kind = role(text)
        indent = "" if kind != "paragraph" else "\u3000\u3000"
        lines += [["bold" if kind == "heading" else "regular", 12.0, line] for line in wrap(indent + text, 36)]
    lines += [
        ["regular", 12.0, ISSUER],
        ["regular", 12.0, DATE_TEXT],
        ["regular", 10.0, "扫码查看网上公开版本"],
        ["regular", 10.0, f"{base_url}{NOTICE_ID}/?h={{户号}}"],
        ["regular", 10.0, f"监督电话：{hotline}"],
    ]
    return lines


@dataclass
class Side:
    name: str
    cmd: list[str]
    pdf: Path
    seconds: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    pages: int = 0


def prepare(tmp: Path, count: int) -> tuple[Path, Path]:
    """The workspace (settings, notice, GBK households) and the floor's spec; returns both paths."""
    workspace = tmp / "workspace"
    notices = workspace / "notices"
    notices.mkdir(parents=True)
    (workspace / "noticeboard.yaml").write_text(SETTINGS, encoding="utf-8")
    (notices / f"{NOTICE_ID}.yaml").write_text(NOTICE, encoding="utf-8")
    households = write_households(notices / "households.csv", count, "gbk")
    spec = tmp / "floor.json"
    letter = {
        "title": TITLE,
        "issuer": ISSUER,
        "date": DATE_TEXT,
        "base_url": BASE_URL,
        "notice_id": NOTICE_ID,
        "hotline": HOTLINE,
        "paragraphs": [{"text": text, "role": role(text)} for text in PARAGRAPHS],
    }
    spec.write_text(
        json.dumps(
            {"csv": str(households), "page_size": list(A4), "lines": floor_lines(BASE_URL, HOTLINE), "letter": letter},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return workspace, spec


# --------------------------------------------------------------------------- processes


def pinned(cpu: int):
    """preexec_fn: the child (and anything it starts) runs on this one core only."""
    return lambda: os.sched_setaffinity(0, {cpu})


def run_pinned(cmd: list[str], cwd: Path, cpu: int, log: Path) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KiB) and CPU seconds (user + system) of one fresh process.

    Raises with its output if it fails. On a shared machine the CPU time is the steadier figure:
    waiting for the core while other processes run counts in the wall time only.
    """
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, preexec_fn=pinned(cpu)
        )  # no threads here, so preexec_fn is safe
        _, status, usage = os.wait4(proc.pid, 0)  # wait4, not proc.wait(): we want its rusage
        elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keep Popen from waiting again
    if proc.returncode != 0:
        output = log.read_text(encoding="utf-8", errors="replace")
        raise RuntimeError(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{output[-4000:]}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime  # ru_maxrss is in KiB on Linux


def page_count(path: Path) -> int:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def measure(side: Side, cwd: Path, cpu: int, clean: Path | None) -> None:
    if clean is not None:
        shutil.rmtree(clean, ignore_errors=True)  # untimed: every build starts from nothing
    elif side.pdf.exists():
        side.pdf.unlink()
    seconds, rss, cpu_seconds = run_pinned(side.cmd, cwd, cpu, cwd / f"{side.name}.log")
    side.seconds.append(seconds)
    side.rss_kib.append(rss)
    side.cpu_seconds.append(cpu_seconds)
    side.pages = page_count(side.pdf)


def profile(workspace: Path, out: Path, cpu: int) -> None:
    """One more build under cProfile (not timed), then the top 25 by cumulative and by own time."""
    import pstats

    cmd = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "noticeboard", "build", "-w", str(workspace)]
    shutil.rmtree(workspace / "out", ignore_errors=True)
    run_pinned(cmd, workspace.parent, cpu, workspace.parent / "profile.log")
    stats = pstats.Stats(str(out))
    for key in ("cumulative", "tottime"):
        print(f"\n--- cProfile of the build: top 25 by {key} ({out}) ---")
        stats.sort_stats(key).print_stats(25)


# --------------------------------------------------------------------------- reporting


def summary(side: Side, count: int) -> dict:
    seconds = statistics.median(side.seconds)
    return {
        "side": side.name,
        "command": " ".join(side.cmd),
        "households": count,
        "pages": side.pages,
        "pages_ok": side.pages == count,
        "median_s": round(seconds, 3),
        "pages_per_s": round(count / seconds, 1),
        "peak_rss_mib": round(max(side.rss_kib) / 1024, 1),
        "median_cpu_s": round(statistics.median(side.cpu_seconds), 3),
        "runs_s": [round(v, 3) for v in side.seconds],
        "runs_cpu_s": [round(v, 3) for v in side.cpu_seconds],
        "runs_rss_kib": side.rss_kib,
    }


def ratios(results: dict[str, dict], key: str = "median_s") -> dict[str, float]:
    """build / peer time (wall, or with ``median_cpu_s`` CPU): below 1 means noticeboard is the faster."""
    build = results["build"][key]
    return {name: round(build / r[key], 3) for name, r in results.items() if name != "build"}


def print_report(results: dict[str, dict], memory: dict | None, count: int, cpu: int, repeat: int) -> bool:
    print(
        f"\n{count:,} letters, A4, one QR per household; each side a fresh process pinned to CPU {cpu}"
        + (f", median of {repeat}" if repeat > 1 else "")
    )
    header = ("", "pages", "seconds", "pages/s", "build / this", "CPU s", "build / this (CPU)", "peak RSS (MiB)")
    against = ratios(results)
    against_cpu = ratios(results, "median_cpu_s")
    rows = [
        (
            r["side"],
            f"{r['pages']:,}" + ("" if r["pages_ok"] else " (!)"),
            f"{r['median_s']:.2f}",
            f"{r['pages_per_s']:.0f}",
            f"{against[name]:.2f}" if name in against else "",
            f"{r['median_cpu_s']:.2f}",
            f"{against_cpu[name]:.2f}" if name in against_cpu else "",
            f"{r['peak_rss_mib']:.0f}",
        )
        for name, r in results.items()
    ]
    if memory is not None:
        pages = f"{memory['pages']:,}" + ("" if memory["pages_ok"] else " (!)")
        rows.append(
            (
                f"build ({memory['households']:,})",
                pages,
                f"{memory['median_s']:.2f}",
                f"{memory['pages_per_s']:.0f}",
                "",
                f"{memory['median_cpu_s']:.2f}",
                "",
                f"{memory['peak_rss_mib']:.0f}",
            )
        )
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{widths[0]}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    print(fmt.format(*header))
    print(fmt.format(*("-" * w for w in widths)))
    for line in rows:
        print(fmt.format(*line))
    build = results["build"]
    checks = [(f"pages: {r['side']} {r['pages']:,} = {count:,} households", r["pages_ok"]) for r in results.values()]
    checks.append(
        (
            f"speed: {build['pages_per_s']:.0f} pages/s >= {TARGET_PAGES_PER_S:.0f} (issue 6)",
            build["pages_per_s"] >= TARGET_PAGES_PER_S,
        )
    )
    if "typst" in against:
        checks.append(
            (
                f"peer: build / typst {against['typst']:.2f} <= {TARGET_TYPST_RATIO} (issue 14; "
                f"CPU time {against_cpu['typst']:.2f})",
                against["typst"] <= TARGET_TYPST_RATIO,
            )
        )
    checks.append(
        (
            f"floor: build / floor {against['floor']:.2f} <= {TARGET_FLOOR_RATIO} (issue 14; "
            f"CPU time {against_cpu['floor']:.2f})",
            against["floor"] <= TARGET_FLOOR_RATIO,
        )
    )
    for r in [build] + ([memory] if memory is not None else []):
        checks.append(
            (
                f"memory: peak RSS {r['peak_rss_mib']:.0f} MiB < {TARGET_RSS_MIB:.0f} at {r['households']:,}",
                r["peak_rss_mib"] < TARGET_RSS_MIB,
            )
        )
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    return all(ok for _, ok in checks)


# --------------------------------------------------------------------------- main


def typst_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("typst") is not None


def main() -> None:
    parser = argparse.ArgumentParser(description="Time household letters against typst and the bare drawString floor.")
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help=f"households (default {DEFAULT_COUNT:,})")
    parser.add_argument(
        "--memory-count",
        type=int,
        default=MEMORY_COUNT,
        metavar="N",
        help=f"then one more build of N letters for the peak RSS (default {MEMORY_COUNT:,}; 0: none)",
    )
    parser.add_argument("--repeat", type=int, default=1, metavar="N", help="runs per side, alternating (default 1)")
    parser.add_argument("--cpu", type=int, default=0, help="the one core every side runs on (default 0)")
    parser.add_argument("--no-typst", action="store_true", help="leave the typst peer out")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="PATH",
        help="afterwards, cProfile one more build into PATH and print its top 25",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspace and print where it is")
    args = parser.parse_args()
    if args.count < 1 or args.repeat < 1 or args.memory_count < 0:
        parser.error("--count and --repeat must be at least 1, --memory-count at least 0")
    if args.cpu not in os.sched_getaffinity(0):
        parser.error(f"CPU {args.cpu} is not available here: {sorted(os.sched_getaffinity(0))}")
    with_typst = not args.no_typst
    if with_typst and not typst_available():
        print(
            "typst is not installed (pip install -e '.[bench]' or pip install typst): the typst peer is left out",
            file=sys.stderr,
        )
        with_typst = False

    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    if load_before > BUSY_LOAD:
        print(
            f"warning: 1-minute load average is {load_before:.2f}; other processes will inflate the timings",
            file=sys.stderr,
        )
    tmp = Path(tempfile.mkdtemp(prefix="noticeboard-letters-"))
    memory = None
    try:
        workspace, spec = prepare(tmp, args.count)
        from noticeboard.resources import fonts_dir  # the very fonts noticeboard registers

        fonts = ["--fonts", str(fonts_dir())]
        sides = [
            Side(
                "build",
                noticeboard_cmd("build", "-w", str(workspace)),
                workspace / "out" / "print" / f"{NOTICE_ID}.pdf",
            )
        ]
        if with_typst:
            sides.append(
                Side(
                    "typst",
                    [sys.executable, str(PEER_TYPST), str(spec), str(tmp / "typst.pdf"), *fonts],
                    tmp / "typst.pdf",
                )
            )
        sides.append(
            Side("floor", [sys.executable, str(FLOOR), str(spec), str(tmp / "floor.pdf"), *fonts], tmp / "floor.pdf")
        )
        for i in range(args.repeat):
            for side in sides:
                print(f"run {i + 1}/{args.repeat}: {side.name}, {args.count:,} letters ...", file=sys.stderr)
                measure(side, tmp, args.cpu, clean=workspace / "out" if side.name == "build" else None)
        results = {side.name: summary(side, args.count) for side in sides}
        if args.memory_count:
            big = tmp / "memory"
            big.mkdir()
            big_workspace, _ = prepare(big, args.memory_count)
            side = Side(
                "build",
                noticeboard_cmd("build", "-w", str(big_workspace)),
                big_workspace / "out" / "print" / f"{NOTICE_ID}.pdf",
            )
            print(f"memory: build, {args.memory_count:,} letters ...", file=sys.stderr)
            measure(side, big, args.cpu, clean=big_workspace / "out")
            memory = summary(side, args.memory_count)
        passed = print_report(results, memory, args.count, args.cpu, args.repeat)
        if args.profile:
            profile(workspace, args.profile, args.cpu)
    finally:
        if args.keep:
            print(f"\nworkspace kept: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python benchmarks/letters.py " + " ".join(sys.argv[1:]),
        "count": args.count,
        "cpu": args.cpu,
        "repeat": args.repeat,
        "targets": {
            "pages_per_s": TARGET_PAGES_PER_S,
            "peak_rss_mib": TARGET_RSS_MIB,
            "build_over_typst": TARGET_TYPST_RATIO,
            "build_over_floor": TARGET_FLOOR_RATIO,
        },
        "passed": passed,
        "environment": environment(),
        **results,
        "memory": memory,
        "ratios": ratios(results),
        "cpu_ratios": ratios(results, "median_cpu_s"),
        "total_wall_s": round(time.perf_counter() - started, 1),
        "load_average": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
    }
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten {RESULTS.relative_to(REPO)} (whole run {report['total_wall_s']} s)")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
