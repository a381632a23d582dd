"""Sheet designs are YAML in layouts/, and a workspace overrides them without code."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import SMALL_FINANCE_CSV, finance_yaml, make_workspace, render_page, run
from PIL import Image

from noticeboard.layout.design import load_design
from noticeboard.layout.sheet import ImageItem, RectItem
from noticeboard.load.workspace import load_workspace
from noticeboard.pipeline import lay_out
from noticeboard.resources import layouts_dir


def test_shipped_designs_cover_every_paper_and_are_read_from_yaml():
    design, problems = load_design("finance")
    assert problems == []
    raw = yaml.safe_load((layouts_dir() / "base.yaml").read_text(encoding="utf-8"))
    for paper in ("A0", "A1", "A2", "A3", "A4", "A5"):
        scale = design.paper(paper)
        assert scale.floor < scale.body < scale.title
        assert scale.body == raw["papers"][paper]["body"]
    assert design.get("colours.band") == raw["colours"]["band"]


def _band(sheet):
    return next(item for item in sheet.items if isinstance(item, RectItem) and item.fill and item.w > sheet.width / 2)


def test_a_workspace_changes_the_header_colour_and_adds_an_emblem(tmp_path: Path):
    Image.new("RGB", (64, 64), (250, 200, 0)).save(tmp_path / "emblem.png")
    make_workspace(
        tmp_path,
        {
            "notices/t-finance.yaml": finance_yaml(),
            "notices/t-finance.csv": SMALL_FINANCE_CSV,
            "layouts/base.yaml": "colours:\n  band: '#1F4E9A'\nheader:\n  emblem: emblem.png\n",
        },
    )
    (tmp_path / "emblem.png").rename(tmp_path / "layouts" / "emblem.png")
    loaded = load_workspace(tmp_path)
    assert loaded.problems == []
    sheet = lay_out(loaded.workspace.notices[0], loaded)[0]
    assert _band(sheet).fill == "#1F4E9A"
    assert any(isinstance(item, ImageItem) and item.path.endswith("emblem.png") for item in sheet.items)
    # other values still come from the shipped design
    assert loaded.designs["finance"].get("colours.band_text") == "#FFFFFF"
    result = run("build", "-w", tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    image = render_page(tmp_path / "out" / "print" / "t-finance.pdf", dpi=50).convert("RGB")
    colours = {colour for _, colour in image.getcolors(1_000_000)}
    assert (0x1F, 0x4E, 0x9A) in colours and (250, 200, 0) in colours


def test_a_missing_emblem_is_an_error(tmp_path: Path):
    make_workspace(
        tmp_path,
        {
            "notices/t-finance.yaml": finance_yaml(),
            "notices/t-finance.csv": SMALL_FINANCE_CSV,
            "layouts/base.yaml": "header:\n  emblem: emblem.png\n",
        },
    )
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert "layouts/base.yaml:2: 错误: 找不到徽标图片 emblem.png" in result.output  # where it is named


def test_a_malformed_layout_override_is_located(tmp_path: Path):
    make_workspace(
        tmp_path,
        {
            "notices/t-finance.yaml": finance_yaml(),
            "notices/t-finance.csv": SMALL_FINANCE_CSV,
            "layouts/finance.yaml": "table:\n  header_fill: [\n",
        },
    )
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert "layouts/finance.yaml:3: 错误: 版式文件格式有误" in result.output
