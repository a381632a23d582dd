"""Fuzzing the notice input (issue 13): mangled YAML and CSV never give an internal error.

For every generated workspace, ``check`` (and, in the long profile, ``build``) must:
- never print the internal-error text or a traceback;
- exit 0, 1 or 2, and when it does not exit 0, say why in at least one located message;
- locate every 错误/警告 line at a file of the workspace (``FILE:LINE``, ``FILE:ROW:COL``,
  ``FILE[SHEET]!B7``) or at the workspace itself.

The fast profile runs in CI (well under 30 s). The long one is ``python benchmarks/fuzz.py``
(NOTICEBOARD_FUZZ=long: thousands of cases, building as well as checking).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from click.testing import CliRunner
from conftest import SETTINGS, SMALL_FINANCE_CSV, finance_yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noticeboard.cli import main

LONG = os.environ.get("NOTICEBOARD_FUZZ") == "long"
EXAMPLES = int(os.environ.get("NOTICEBOARD_FUZZ_EXAMPLES", 2000 if LONG else 40))
PROFILE = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG, suppress_health_check=list(HealthCheck))

NOTICE_YAML = """\
id: t-notice
kind: notice
title: 测试村关于开展人居环境整治的通知
issuer: 测试村民委员会
date: 2026-04-12
paper: A4
display_days: 10
body: |
  一、整治内容

  清理房前屋后杂物，联系电话 0537-1234567。
"""

ROSTER_YAML = """\
id: t-roster
kind: roster
title: 测试村低保对象公示
issuer: 测试村村民委员会
date: 2026-04-08
display_days: 7
data: t-roster.csv
mask: [身份证号]
"""

ROSTER_CSV = """\
序号,姓名,身份证号,村民小组,保障金额
1,张三,370831196503120011,一组,450.00
2,李四,37083119700101002X,二组,380.50
"""

# what YAML and CSV are made of, and what breaks them
SYNTAX = list(":-[]{}#&*!|>'\"%@`,?\t\n ") + ["\\ud800", "\\x00", "\ufeff", "　", "：", "\u202e", "\r\n", "---", "..."]
WORDS = [
    "2026-04-12",
    "9999-12-31",
    "0",
    "-1",
    "1e309",
    "null",
    "~",
    "yes",
    "no",
    "true",
    "A0",
    "A9",
    "notice",
    "roster",
    "finance",
    "letter",
    "13905371234",
    "370831199001011232",
    "𬌗",
    "😀",
    "&a",
    "*a",
    "<<",
    "!!python/object",
    "长" * 600,
    "x" * 300,
    "[",
    "{",
    '"',
    "'",
    ",",
    "\n",
    "1,234.56",
    "=SUM(A1:A3)",
]
pieces = st.one_of(st.sampled_from(SYNTAX), st.sampled_from(WORDS), st.text(max_size=8))
LOCATED = re.compile(r"^(?P<where>.+?)(?::\d+(?::[A-Z]+)?|\[[^\]]*\]![A-Z]+\d+)?: (错误|警告): \S")


@st.composite
def mutated(draw, text: str) -> str:
    """``text`` with a few lines replaced, removed, repeated, re-indented or cut short, or pieces spliced in."""
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            lines = [""]
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["replace", "splice", "delete", "repeat", "indent", "cut"]))
        if action == "replace":
            lines[index] = "".join(draw(st.lists(pieces, max_size=6))) + "\n"
        elif action == "splice":
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(pieces) + line[at:]
        elif action == "delete":
            del lines[index]
        elif action == "repeat":
            lines.insert(index, lines[index])
        elif action == "indent":
            lines[index] = draw(st.sampled_from([" ", "  ", "\t", "    "])) + lines[index]
        else:
            lines = lines[:index]
    return "".join(lines)


encodings = st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16", "latin-1"])


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace") if encoding != "utf-8" else text.encode("utf-8", "surrogatepass")


def _judge(root: Path, commands: list[list[str]]) -> None:
    for command in commands:
        result = CliRunner().invoke(main, [*command, "-w", str(root)])
        output = result.output
        assert "程序内部出错" not in output and "Traceback" not in output, output
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        assert result.exit_code in (0, 1, 2), (result.exit_code, output)
        problems = [line for line in output.splitlines() if ": 错误: " in line or ": 警告: " in line]
        if result.exit_code:
            assert problems, output
        for line in problems:
            match = LOCATED.match(line)
            assert match, line
            where = match["where"]
            assert where.startswith(("notices/", "noticeboard.yaml", "layouts/", str(root))), line


def _fuzz(files: dict[str, bytes]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        (folder / "notices").mkdir()
        (folder / "noticeboard.yaml").write_text(SETTINGS, encoding="utf-8")
        for name, data in files.items():
            (folder / name).write_bytes(data)
        commands = [["check"]] + ([["build", "--draft"], ["build"]] if LONG else [])
        _judge(folder, commands)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@PROFILE
@given(text=mutated(NOTICE_YAML), encoding=encodings)
def test_mangled_notice_yaml(text: str, encoding: str):
    _fuzz({"notices/t-notice.yaml": _encode(text, encoding)})


@PROFILE
@given(text=mutated(ROSTER_CSV), encoding=encodings, yaml=st.one_of(st.just(ROSTER_YAML), mutated(ROSTER_YAML)))
def test_mangled_roster_csv(text: str, encoding: str, yaml: str):
    _fuzz(
        {
            "notices/t-roster.yaml": yaml.encode("utf-8", "surrogatepass"),
            "notices/t-roster.csv": _encode(text, encoding),
        }
    )


@PROFILE
@given(text=mutated(SMALL_FINANCE_CSV), encoding=encodings)
def test_mangled_finance_csv(text: str, encoding: str):
    _fuzz({"notices/t-finance.yaml": finance_yaml().encode("utf-8"), "notices/t-finance.csv": _encode(text, encoding)})


@PROFILE
@given(text=mutated(SETTINGS))
def test_mangled_settings(text: str):
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        (folder / "notices").mkdir()
        (folder / "noticeboard.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
        (folder / "notices" / "t-notice.yaml").write_text(NOTICE_YAML, encoding="utf-8")
        _judge(folder, [["check"]] + ([["build", "--draft"]] if LONG else []))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
