"""Bad input and bad luck (issue 13, item 8): found at check, said in plain Chinese, never an internal error."""

from __future__ import annotations

import errno
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from conftest import run
from PIL import Image

from noticeboard.publish import atomic

REPO = Path(__file__).resolve().parent.parent
INTERNAL = "程序内部出错"


def _clean(output: str) -> None:
    assert INTERNAL not in output and "Traceback" not in output, output


def _layout(town: Path, text: str) -> None:
    (town / "layouts").mkdir(exist_ok=True)
    (town / "layouts" / "base.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    "override, message",
    [
        (
            "colours:\n  band: notacolour\n",
            'layouts/base.yaml:2: 错误: 版式中的「colours.band」应当是颜色，写成 "#B3141B" '
            "这样的 # 加六位十六进制数（要加引号），不能是「notacolour」。",
        ),
        (
            "body:\n  line_height: 0\n",
            "layouts/base.yaml:2: 错误: 版式中的「body.line_height」是 0，应当大于 0、不超过 14（原版式为 1.4）。",
        ),
        (
            "papers:\n  A4: {margin: -3}\n",
            "layouts/base.yaml:2: 错误: 版式中的「papers.A4.margin」是 -3，应当大于 0、不超过 110（原版式为 11）。",
        ),
        (
            "header:\n  band_padding: lots\n",
            "layouts/base.yaml:2: 错误: 版式中的「header.band_padding」应当是一个数，不能是「lots」。",
        ),
    ],
)
def test_a_layout_override_that_cannot_be_drawn_is_found_at_check(town: Path, override: str, message: str):
    _layout(town, override)
    checked = run("check", "-w", town, "2026q1-finance")
    assert checked.exit_code == 1 and checked.output.splitlines()[0] == message
    built = run("build", "-w", town, "2026q1-finance")
    assert built.exit_code == 1 and message in built.output
    _clean(built.output)
    assert not (town / "out" / "print" / "2026q1-finance.pdf").exists()


def _bomb(path: Path) -> None:
    """A PNG of a few kilobytes that claims 30000×30000 pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    side = 30000
    rows = zlib.compress((b"\x00" * (side // 8 + 1)) * side, 9)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", rows)
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    "name, make, message",
    [
        (
            "emblem.gif",
            lambda p: Image.new("RGB", (40, 40)).save(p),
            "徽标图片 emblem.gif 是 GIF 格式，只能用 PNG 或 JPEG 图片。",
        ),
        (
            "emblem.png",
            lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really" * 20),
            "徽标图片 emblem.png 无法读取：不是图片，或文件已损坏。请换一张 PNG 或 JPEG 图片。",
        ),
        (
            "emblem.png",
            lambda p: Image.new("L", (6000, 20)).save(p),
            "徽标图片 emblem.png 有 6000×20 像素，太大了，印出来也看不出区别。请缩小到每边 4000 像素以内。",
        ),
        ("emblem.png", _bomb, "徽标图片 emblem.png 解压后大得不合常理，可能已损坏。请换一张正常的 PNG 或 JPEG 图片。"),
    ],
)
def test_an_emblem_that_cannot_be_drawn_is_found_at_check(town: Path, name: str, make, message: str):
    _layout(town, f"header:\n  emblem: {name}\n")
    make(town / "layouts" / name)
    checked = run("check", "-w", town)
    assert checked.exit_code == 1
    assert checked.output.splitlines() == [f"layouts/base.yaml:2: 错误: {message}", "检查完成：1 个错误，0 个警告。"]
    built = run("build", "-w", town, "2026-org")
    assert built.exit_code == 1 and message in built.output
    _clean(built.output)


def test_a_thousand_character_cell_is_found_at_check(town: Path):
    csv = town / "notices" / "2026-election-stations.csv"
    csv.write_text(csv.read_text(encoding="utf-8-sig").replace("张建民", "x" * 1000, 1), encoding="utf-8")
    message = (
        "notices/2026-election-stations.csv:2:D: 错误: 这一格有 1000 个字，其中一串不能断行的字母或数字有 1000 个，"
        "在最小字号下连一整栏都放不下。请缩短这一格（或把这段话写进正文），或改用更大的纸张（paper）。"
    )
    checked = run("check", "-w", town, "2026-election-notice")
    assert checked.exit_code == 1 and checked.output.splitlines()[0] == message
    built = run("build", "-w", town, "2026-election-notice")
    assert built.exit_code == 1 and message in built.output
    _clean(built.output)


def test_what_build_cannot_set_check_finds_first(town: Path):
    _layout(town, "body:\n  line_height: 14\n")  # allowed by itself, but no table row fits a column any more
    checked = run("check", "-w", town, "2026q2-tasks")
    built = run("build", "-w", town, "2026q2-tasks")
    errors = [line for line in checked.output.splitlines() if ": 错误: " in line]
    assert errors and errors == [line for line in built.output.splitlines() if ": 错误: " in line]
    assert "在最小字号下连一整栏都放不下" in errors[0]
    _clean(built.output)


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("date", "9999-12-31", "「date」（发布日期）是 9999-12-31，年份不对：只能是 1949 到 2199 年之间的真实日期。"),
        ("date", "0001-01-01", "「date」（发布日期）是 0001-01-01，年份不对：只能是 1949 到 2199 年之间的真实日期。"),
        (
            "display_days",
            "99999999999999999999",
            "「display_days」（公示天数）这个数太大了：「99999999999999999999…」。",
        ),
    ],
)
def test_an_impossible_date_or_number_is_located(town: Path, key: str, value: str, message: str):
    path = town / "notices" / "2026q1-finance.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith(f"{key}:"))
    lines[number - 1] = f"{key}: {value}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for command in ("check", "build", "plan"):
        result = run(command, "-w", town)
        _clean(result.output)
        if command != "plan":
            assert result.exit_code == 1 and f"notices/2026q1-finance.yaml:{number}: 错误: {message}" in result.output


@pytest.mark.parametrize(
    "text, line, message",
    [
        (
            "id: t\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
            "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n",
            2,
            "这里用 YAML 的锚点和别名（& 和 *）重复引用了一个列表或映射。通知文件中请直接写出内容，不要用别名。",
        ),
        (
            "id: t\na: &a [1, *a]\n",
            2,
            "这里用 YAML 的锚点和别名（& 和 *）重复引用了一个列表或映射。通知文件中请直接写出内容，不要用别名。",
        ),
        (
            "id: t\nx: " + "[" * 100000 + "]" * 100000 + "\n",
            None,
            "文件里的列表或映射嵌套太深（超过 50 层），多半是括号写错了。请检查 [ ] 和 { }。",
        ),
        (
            "id: t\nx: " + "[" * 60 + "]" * 60 + "\n",
            2,
            "文件里的列表或映射嵌套太深（超过 50 层），多半是括号写错了。请检查 [ ] 和 { }。",
        ),
        (
            'id: t\ntitle: "标题\\ud800"\n',
            2,
            "这里有一个无效的字符（U+D800，单独的代理码位，多半是写错的 \\u 转义）。请删去它，或直接写出要的字。",
        ),
    ],
)
def test_yaml_bombs_deep_nesting_and_lone_surrogates_are_plain_errors(
    town: Path, text: str, line: int | None, message: str
):
    (town / "notices" / "t.yaml").write_text(text, encoding="utf-8")
    result = run("check", "-w", town)
    assert result.exit_code == 1
    place = f"notices/t.yaml:{line}" if line else "notices/t.yaml"
    reported = [row for row in result.output.splitlines() if row.startswith("notices/t.yaml")]
    assert reported == [f"{place}: 错误: {message}"]
    _clean(result.output)
    built = run("build", "-w", town)
    assert "未生成：t（请先改正上面的错误）" in built.output
    _clean(built.output)


@pytest.mark.parametrize(
    "code, words",
    [
        (errno.ENOSPC, "磁盘已满：请腾出磁盘空间后再试"),
        (errno.EEXIST, "已有同名的文件或文件夹"),
        (errno.ENAMETOOLONG, "文件名太长：请把文件名或文件夹名改短"),
        (errno.EACCES, "文件被其他程序占用或没有权限"),
        (errno.EBUSY, "文件被其他程序占用或没有权限"),
        (errno.ETXTBSY, "文件被其他程序占用或没有权限"),
        (errno.EIO, "磁盘读写出错"),
    ],
)
def test_every_os_error_is_said_in_words(town: Path, monkeypatch, code: int, words: str):
    def failing(path: Path, data: bytes) -> None:
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(atomic, "write_bytes", failing)
    result = run("build", "-w", town, "2026-org")
    assert result.exit_code == 2
    line = result.output.strip()
    assert line.startswith(f"{town / 'out' / 'print' / '2026-org.pdf'}: 错误: 无法写入（") and words in line
    assert line.endswith("）。之前生成的文件保持不变。")
    _clean(result.output)
    assert not (town / "out" / "print").exists()


def test_a_real_name_too_long_is_said_in_words(town: Path, tmp_path: Path):
    result = run("render", town / "notices" / "2026-org.yaml", "-o", tmp_path / ("长" * 200 + ".pdf"))
    assert result.exit_code == 2
    assert "文件名太长：请把文件名或文件夹名改短" in result.output
    _clean(result.output)


@pytest.mark.parametrize("encoding", ["cp936", "latin-1"])
def test_messages_are_written_in_the_consoles_encoding(town: Path, encoding: str):
    notice = town / "notices" / "2026-org.yaml"
    notice.write_text(notice.read_text(encoding="utf-8").replace("title: ", "title: 😀", 1), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": encoding}
    done = subprocess.run(
        [sys.executable, "-m", "noticeboard", "check", "-w", str(town), "2026-org"],
        env=env,
        capture_output=True,
        timeout=120,
    )
    output = done.stdout.decode(encoding)
    assert done.returncode == 1, output
    assert "notices/2026-org.yaml:3:" in output and "U+1F600" in output and "?" in output
    _clean(output + done.stderr.decode(encoding, errors="replace"))


def test_a_data_file_outside_the_workspace_is_warned(town: Path, tmp_path: Path):
    outside = tmp_path / "elsewhere.csv"
    outside.write_bytes((town / "notices" / "2026-org.csv").read_bytes())
    notice = town / "notices" / "2026-org.yaml"
    text = notice.read_text(encoding="utf-8").replace("data: 2026-org.csv", "data: ../../elsewhere.csv")
    notice.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("data:"))
    result = run("check", "-w", town, "2026-org")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (
        f"notices/2026-org.yaml:{line}: 警告: 数据文件 ../../elsewhere.csv 不在工作区 {town} 里面。"
        "换一台电脑或备份工作区时会缺这个文件：请把它复制到 notices/ 目录下，再把 data 改成它的文件名。"
    )
