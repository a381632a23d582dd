"""noticeboard new KIND [ID]: a notice of one's own, with every key explained and a table template."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import make_workspace, run

from noticeboard.kinds.registry import registry
from noticeboard.load.tables.reader import SAMPLE_MARK
from noticeboard.starter import new_notice

KINDS = sorted(registry())


def _problems(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": 错误:" in line]


@pytest.mark.parametrize("kind", KINDS)
def test_new_writes_every_key_of_the_kind_explained(tmp_path: Path, kind: str):
    make_workspace(tmp_path, {})
    result = run("new", kind, f"t-{kind}", "-w", tmp_path)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "notices" / f"t-{kind}.yaml").read_text(encoding="utf-8")
    spec = registry()[kind]
    for key in [
        "id",
        "kind",
        "title",
        "date",
        "display_days",
        "display_workdays",
        "paper",
        "orientation",
        "catalogue",
        "period",
        "issuer",
        "hotline",
        "reviews",
        *spec.keys,
    ]:
        line = next((line for line in text.splitlines() if line.lstrip("# ").startswith(f"{key}:")), None)
        assert (line is not None and "#" in line.split(":", 1)[1]) or key in ("reviews",), (key, line)
    assert any(line.startswith("data:") for line in text.splitlines()) == (spec.columns is not None)
    assert f"已生成 {tmp_path / 'notices' / f't-{kind}.yaml'}" in result.output


@pytest.mark.parametrize("kind", [k for k in KINDS if registry()[k].columns])
def test_the_table_template_has_the_headers_a_grey_sample_and_a_guide_sheet(tmp_path: Path, kind: str):
    make_workspace(tmp_path, {})
    assert run("new", kind, f"t-{kind}", "-w", tmp_path).exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "notices" / f"t-{kind}.xlsx")
    data = book["数据"]
    specs = registry()[kind].columns
    assert [c.value for c in data[1]] == [s.zh for s in specs]
    assert any(SAMPLE_MARK in str(c.value) for c in data[2] if c.value)
    assert all(c.font.color.rgb.endswith("808080") for c in data[2] if c.value is not None)
    guide = [row for row in book["说明"].iter_rows(values_only=True)]
    listed = {row[0]: row for row in guide[5:]}
    assert set(listed) == {s.zh for s in specs}
    for spec in specs:
        assert listed[spec.zh][1] == ("必填" if spec.required else "可以不要")


@pytest.mark.parametrize("kind", KINDS)
def test_check_right_after_new_names_only_the_sample_row(tmp_path: Path, kind: str):
    make_workspace(tmp_path, {})
    assert run("new", kind, f"t-{kind}", "-w", tmp_path).exit_code == 0
    result = run("check", "-w", tmp_path)
    errors = _problems(result.output)
    if registry()[kind].columns:
        assert result.exit_code == 1
        assert len(errors) == 1 and "模板里灰色的示例行" in errors[0] and f"t-{kind}.xlsx[数据]!" in errors[0]
    else:
        assert (result.exit_code, errors) == (0, [])


@pytest.mark.parametrize("kind", [k for k in KINDS if registry()[k].columns])
def test_once_the_sample_is_rewritten_the_notice_checks(tmp_path: Path, kind: str):
    make_workspace(tmp_path, {})
    assert run("new", kind, f"t-{kind}", "-w", tmp_path).exit_code == 0
    path = tmp_path / "notices" / f"t-{kind}.xlsx"
    book = openpyxl.load_workbook(path)
    for cell in book["数据"][2]:
        if isinstance(cell.value, str):
            cell.value = cell.value.replace(f"（{SAMPLE_MARK}）", "")
    book.save(path)
    result = run("check", "-w", tmp_path)
    assert (result.exit_code, _problems(result.output)) == (0, [])


def test_new_never_overwrites(tmp_path: Path):
    make_workspace(tmp_path, {"notices/t-finance.yaml": "id: t-finance\n"})
    result = run("new", "finance", "t-finance", "-w", tmp_path)
    assert result.exit_code == 1
    assert result.output.startswith("notices/t-finance.yaml: 错误: notices/t-finance.yaml 已经有了，不会覆盖。")
    assert (tmp_path / "notices" / "t-finance.yaml").read_text(encoding="utf-8") == "id: t-finance\n"


def test_new_with_an_unknown_kind_or_a_bad_id(tmp_path: Path):
    make_workspace(tmp_path, {})
    result = run("new", "budget", "-w", tmp_path)
    assert result.exit_code == 2
    assert "没有「budget」这种类型，只能是：" in result.output and "finance" in result.output
    result = run("new", "finance", "2026Q1财政", "-w", tmp_path)
    assert result.exit_code == 2 and "只能由小写字母、数字和连字符组成" in result.output


def test_new_from_python_takes_a_str_path(tmp_path: Path):
    started = new_notice(str(tmp_path), "guide")
    assert started.problems == []
    assert started.files[0].name.startswith("guide-") and started.files[0].suffix == ".yaml"


@pytest.mark.parametrize("notice_id", ["con", "prn", "aux", "nul", "com1", "com9", "lpt1", "lpt9"])
def test_new_refuses_an_id_windows_keeps_for_a_device(tmp_path: Path, notice_id: str):
    make_workspace(tmp_path, {})
    result = run("new", "finance", notice_id, "-w", tmp_path)
    assert result.exit_code == 2
    assert (
        f"编号「{notice_id}」是 Windows 的保留名字，那里建不了这个文件。请换一个，比如 {notice_id}-2026。"
        in result.output
    )
    assert not (tmp_path / "notices").exists() or not any((tmp_path / "notices").iterdir())
    assert new_notice(tmp_path, "finance", f"{notice_id}-2026").problems == []


def test_new_refuses_an_id_with_a_trailing_newline(tmp_path: Path):
    started = new_notice(tmp_path, "guide", "guide-1\n")
    assert started.files == [] and "只能由小写字母、数字和连字符组成" in started.problems[0].message
