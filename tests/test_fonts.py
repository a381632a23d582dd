"""The font stack by role: shipped fonts for each role, the office's role fonts before them, fonts
without a role only as a fallback after every shipped one; no tofu, ever."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import DATA, SETTINGS, SMALL_FINANCE_CSV, finance_yaml, make_workspace, pdf_text, run

from noticeboard.layout.fonts import ROLES, build_stack
from noticeboard.load.workspace import load_workspace
from noticeboard.pipeline import lay_out
from noticeboard.problems import Where
from noticeboard.resources import fonts_dir

SHIPPED = (
    "NotoSansSC-Regular.ttf",
    "NotoSansSC-Bold.ttf",
    "NotoSerifSC-Regular.ttf",
    "NotoSerifSC-Bold.ttf",
    "LXGWWenKai-Regular.ttf",
    "HanExt-BabelStone.ttf",
    "HanExt-HanaMin.ttf",
)


def test_every_shipped_font_is_truetype_and_licensed():
    from fontTools.ttLib import TTFont

    assert sorted(p.name for p in fonts_dir().glob("*.ttf")) == sorted(SHIPPED)
    for name in SHIPPED:
        font = TTFont(fonts_dir() / name, lazy=True)
        assert "glyf" in font and "CFF " not in font, name  # reportlab embeds TrueType outlines only
        assert font["OS/2"].fsType & 0x2 == 0, name  # embedding allowed
    for licence in ("OFL.txt", "licenses/LXGWWenKai.txt", "licenses/BabelStoneHan.txt", "licenses/Hanazono.txt"):
        assert (fonts_dir() / licence).stat().st_size > 1000, licence


def test_the_extension_fallback_covers_extensions_b_to_f_whole():
    from fontTools.ttLib import TTFont

    have: set[int] = set()
    for name in SHIPPED:
        have |= set(TTFont(fonts_dir() / name, lazy=True).getBestCmap())
    blocks = {
        "B": (0x20000, 0x2A6DF),
        "C": (0x2A700, 0x2B739),
        "D": (0x2B740, 0x2B81D),
        "E": (0x2B820, 0x2CEA1),
        "F": (0x2CEB0, 0x2EBE0),
        "G": (0x30000, 0x3134A),
        "H": (0x31350, 0x323AF),
    }
    covered = {block: sum(1 for c in range(low, high + 1) if c in have) for block, (low, high) in blocks.items()}
    # the figures the README reports; G and H are what BabelStone Han draws, no free font here has more
    assert covered == {"B": 42720, "C": 4154, "D": 222, "E": 5762, "F": 7473, "G": 3045, "H": 2271}
    assert all(c in have for c in range(0x4E00, 0xA000))  # every URO ideograph, Unicode 14's included


def test_shipped_fonts_are_static_regular_and_bold_instances():
    from fontTools.ttLib import TTFont

    for name, weight in (("NotoSansSC-Regular.ttf", 400), ("NotoSansSC-Bold.ttf", 700)):
        font = TTFont(fonts_dir() / name, lazy=True)
        assert "fvar" not in font, f"{name} is still a variable font"
        assert font["OS/2"].usWeightClass == weight
        assert "glyf" in font  # TrueType outlines, which reportlab can embed
    assert (fonts_dir() / "OFL.txt").read_text().startswith("Copyright")


def test_a_font_without_a_role_is_a_fallback_after_the_shipped_ones():
    stack, problems = build_stack([(DATA / "office.ttf", "all", Where("noticeboard.yaml", 4))])
    assert problems == []
    runs = stack.runs("两城镇人民政府\ue000")
    assert [(face.path.name, text) for face, text in runs] == [
        ("NotoSansSC-Regular.ttf", "两城镇人民政府"),
        ("office.ttf", "\ue000"),
    ]
    assert stack.runs("两城镇", bold=True)[0][0].path.name == "NotoSansSC-Bold.ttf"
    for role in ROLES:  # the fallback draws what it alone has in every role and weight
        assert stack.role(role).face_for("\ue000").path.name == "office.ttf"
        assert stack.role(role).face_for("\ue000", bold=True).path.name == "office.ttf"


def test_each_role_has_its_shipped_font_and_a_role_font_comes_first():
    stack, _ = build_stack([])
    shipped = {
        role: (stack.role(role).face_for("公").path.name, stack.role(role).face_for("公", True).path.name)
        for role in ROLES
    }
    assert shipped == {
        "title": ("NotoSerifSC-Bold.ttf", "NotoSerifSC-Bold.ttf"),
        "body": ("NotoSerifSC-Regular.ttf", "NotoSerifSC-Bold.ttf"),
        "heading": ("NotoSansSC-Regular.ttf", "NotoSansSC-Bold.ttf"),
        "subheading": ("LXGWWenKai-Regular.ttf", "LXGWWenKai-Regular.ttf"),
        "sans": ("NotoSansSC-Regular.ttf", "NotoSansSC-Bold.ttf"),
    }
    office, _ = build_stack([(DATA / "office.ttf", "all", Where("noticeboard.yaml", 4), "body")])
    assert office.role("body").face_for("两").path.name == "office.ttf"
    assert office.role("body").face_for("两", True).path.name == "office.ttf"
    assert office.role("title").face_for("两").path.name == "NotoSerifSC-Bold.ttf"  # other roles keep the design
    assert office.face_for("两").path.name == "NotoSansSC-Regular.ttf"
    assert office.role("body").face_for("人").path.name == "NotoSerifSC-Regular.ttf"  # what it lacks: the shipped body


def test_a_character_only_the_title_serif_lacks_falls_back_to_sans_then_the_extension_fonts():
    stack, _ = build_stack([])
    title = stack.role("title")
    assert title.face_for("堃", True).path.name == "NotoSansSC-Bold.ttf"  # not in GB 2312: the title subset lacks it
    assert title.face_for("𠮷").path.name == "HanExt-BabelStone.ttf"


def test_a_character_no_font_has_is_a_check_error_with_code_point_and_place(tmp_path: Path):
    csv = SMALL_FINANCE_CSV.replace("增值税", "增值税\ue000")
    make_workspace(
        tmp_path, {"notices/t-finance.yaml": finance_yaml(title="测试镇\ue000财政公示"), "notices/t-finance.csv": csv}
    )
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert "notices/t-finance.yaml:3: 错误: 字符「\ue000」（U+E000）没有任何字体能显示" in result.output
    assert "notices/t-finance.csv:3:B: 错误: 字符「\ue000」（U+E000）没有任何字体能显示" in result.output
    assert run("build", "-w", tmp_path, "--draft").exit_code == 1
    assert not (tmp_path / "out" / "print" / "t-finance.pdf").exists()


def test_an_office_font_without_a_role_supplies_the_missing_character(tmp_path: Path):
    shutil.copy(DATA / "office.ttf", tmp_path / "office.ttf")
    csv = SMALL_FINANCE_CSV.replace("增值税", "增值税\ue000")
    make_workspace(
        tmp_path,
        {"notices/t-finance.yaml": finance_yaml(title="测试镇\ue000财政公示"), "notices/t-finance.csv": csv},
        settings=SETTINGS + "fonts: [office.ttf]\n",
    )
    result = run("build", "-w", tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / "print" / "t-finance.pdf"
    assert "增值税\ue000" in pdf_text(pdf)
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^\s/>\[]+)", pdf.read_bytes()))
    assert any(name.startswith(b"nb-office") or b"Office" in name for name in fonts), fonts


def test_a_role_font_used_only_for_bold(tmp_path: Path):
    shutil.copy(DATA / "office.ttf", tmp_path / "office.ttf")
    make_workspace(
        tmp_path,
        {"notices/t-finance.yaml": finance_yaml(), "notices/t-finance.csv": SMALL_FINANCE_CSV},
        settings=SETTINGS + "fonts:\n  - {file: office.ttf, role: sans, weight: bold}\n",
    )
    loaded = load_workspace(tmp_path)
    assert loaded.problems == []
    assert loaded.fonts.runs("两城镇", bold=True)[0][0].path.name == "office.ttf"
    assert loaded.fonts.runs("两城镇", bold=False)[0][0].path.name == "NotoSansSC-Regular.ttf"


def test_an_unknown_role_is_located(tmp_path: Path):
    shutil.copy(DATA / "office.ttf", tmp_path / "office.ttf")
    make_workspace(
        tmp_path,
        {"notices/t-finance.yaml": finance_yaml(), "notices/t-finance.csv": SMALL_FINANCE_CSV},
        settings=SETTINGS + "fonts:\n  - {file: office.ttf, role: 正文}\n",
    )
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert (
        "noticeboard.yaml:5: 错误: 「role」（用途）不能是「正文」，只能是：title、body、heading、subheading、sans。"
        in result.output
    )


def test_a_missing_or_unusable_font_file_is_located(tmp_path: Path):
    (tmp_path / "broken.ttf").write_text("not a font")
    settings = SETTINGS + "fonts:\n  - nothere.ttf\n  - broken.ttf\n"
    make_workspace(
        tmp_path,
        {"notices/t-finance.yaml": finance_yaml(), "notices/t-finance.csv": SMALL_FINANCE_CSV},
        settings=settings,
    )
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
