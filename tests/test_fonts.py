"""The font stack: the office's fonts first, shipped Noto Sans SC after; no tofu, ever."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from noticeboard.layout.fonts import build_stack
from noticeboard.pipeline import lay_out
from noticeboard.problems import Where
from noticeboard.resources import fonts_dir
from noticeboard.workspace import load_workspace

from conftest import DATA, SETTINGS, SMALL_FINANCE_CSV, finance_yaml, make_workspace, pdf_text, run


def test_shipped_fonts_are_static_regular_and_bold_instances():
    from fontTools.ttLib import TTFont

    for name, weight in (("NotoSansSC-Regular.ttf", 400), ("NotoSansSC-Bold.ttf", 700)):
        font = TTFont(fonts_dir() / name, lazy=True)
        assert "fvar" not in font, f"{name} is still a variable font"
        assert font["OS/2"].usWeightClass == weight
        assert "glyf" in font  # TrueType outlines, which reportlab can embed
    assert (fonts_dir() / "OFL.txt").read_text().startswith("Copyright")


def test_each_character_is_drawn_by_the_first_font_that_has_it():
    stack, problems = build_stack([(DATA / "office.ttf", "all", Where("noticeboard.yaml", 4))])
    assert problems == []
    runs = stack.runs("两城镇人民政府\ue000")
    assert [(face.path.name, text) for face, text in runs] == [
        ("office.ttf", "两城镇"), ("NotoSansSC-Regular.ttf", "人民政府"), ("office.ttf", "\ue000")]
    assert stack.runs("两城镇", bold=True)[0][0].path.name == "office.ttf"


def test_a_character_no_font_has_is_a_check_error_with_code_point_and_place(tmp_path: Path):
    csv = SMALL_FINANCE_CSV.replace("增值税", "增值税\ue000")
    make_workspace(tmp_path, {"notices/t-finance.yaml": finance_yaml(title="测试镇\ue000财政公示"),
                              "notices/t-finance.csv": csv})
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert "notices/t-finance.yaml:3: 错误: 字符「\ue000」（U+E000）没有任何字体能显示" in result.output
    assert "notices/t-finance.csv:3:B: 错误: 字符「\ue000」（U+E000）没有任何字体能显示" in result.output
    assert run("build", "-w", tmp_path, "--draft").exit_code == 1
    assert not (tmp_path / "out" / "print" / "t-finance.pdf").exists()


def test_an_office_font_supplies_the_missing_character(tmp_path: Path):
    shutil.copy(DATA / "office.ttf", tmp_path / "office.ttf")
    csv = SMALL_FINANCE_CSV.replace("增值税", "增值税\ue000")
    make_workspace(tmp_path, {"notices/t-finance.yaml": finance_yaml(title="测试镇\ue000财政公示"),
                              "notices/t-finance.csv": csv}, settings=SETTINGS + "fonts: [office.ttf]\n")
    result = run("build", "-w", tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / "print" / "t-finance.pdf"
    assert "增值税\ue000" in pdf_text(pdf)
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^\s/>\[]+)", pdf.read_bytes()))
    assert any(name.startswith(b"nb-office") or b"Office" in name for name in fonts), fonts


def test_a_font_used_only_for_bold(tmp_path: Path):
    shutil.copy(DATA / "office.ttf", tmp_path / "office.ttf")
    make_workspace(tmp_path, {"notices/t-finance.yaml": finance_yaml(), "notices/t-finance.csv": SMALL_FINANCE_CSV},
                   settings=SETTINGS + "fonts:\n  - {file: office.ttf, weight: bold}\n")
    loaded = load_workspace(tmp_path)
    assert loaded.problems == []
    assert loaded.fonts.runs("两城镇", bold=True)[0][0].path.name == "office.ttf"
    assert loaded.fonts.runs("两城镇", bold=False)[0][0].path.name == "NotoSansSC-Regular.ttf"


def test_a_missing_or_unusable_font_file_is_located(tmp_path: Path):
    (tmp_path / "broken.ttf").write_text("not a font")
    settings = SETTINGS + "fonts:\n  - nothere.ttf\n  - broken.ttf\n"
    make_workspace(tmp_path, {"notices/t-finance.yaml": finance_yaml(), "notices/t-finance.csv": SMALL_FINANCE_CSV},
                   settings=settings)
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert "noticeboard.yaml:5: 错误: 找不到字体文件 nothere.ttf。" in result.output
    assert "noticeboard.yaml:6: 错误: 无法使用字体文件 broken.ttf：只支持 TrueType（.ttf）字体" in result.output


def test_sheets_only_use_the_stack(built_town: Path):
    loaded = load_workspace(built_town)
    for notice in loaded.workspace.notices:
        for sheet in lay_out(notice, loaded):
            for text in sheet.texts():
                assert loaded.fonts.missing(text) == [], text
