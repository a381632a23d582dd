"""The commands and the Python API around the pipeline: render, draft, atomic writes."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from conftest import (
    SETTINGS,
    SMALL_FINANCE_CSV,
    decode_qr,
    finance_yaml,
    make_workspace,
    pdf_text,
    render_page,
    run,
    write,
)

import noticeboard
from noticeboard import pipeline


def test_render_one_file_inside_a_workspace(town: Path, tmp_path: Path):
    out = tmp_path / "one.pdf"
    result = run("render", town / "notices" / "2026q1-finance.yaml", "-o", out)
    assert result.exit_code == 0, result.output
    assert decode_qr(render_page(out, dpi=150)) == ["https://gk.example.gov.cn/lcz/2026q1-finance/"]
    assert not (town / "out").exists()  # render writes only the file asked for


def test_render_a_lone_file_with_its_own_base_url(tmp_path: Path):
    write(tmp_path / "t-finance.csv", SMALL_FINANCE_CSV)
    write(
        tmp_path / "t-finance.yaml",
        finance_yaml(issuer="单独镇人民政府", base_url="https://example.org/gk/", hotline="0537-1112223"),
    )
    out = tmp_path / "t.pdf"
    result = run("render", tmp_path / "t-finance.yaml", "-o", out)
    assert result.exit_code == 0, result.output
    assert "单独镇人民政府" in pdf_text(out)
    assert decode_qr(render_page(out, dpi=150)) == ["https://example.org/gk/t-finance/"]


def test_render_a_lone_file_without_base_url_says_what_to_add(tmp_path: Path):
    write(tmp_path / "t-finance.csv", SMALL_FINANCE_CSV)
    write(tmp_path / "t-finance.yaml", finance_yaml(issuer="单独镇人民政府"))
    result = run("render", tmp_path / "t-finance.yaml", "-o", tmp_path / "t.pdf")
    assert result.exit_code == 1
    assert "无法生成二维码" in result.output and "base_url" in result.output
    assert "没有监督电话，每张公示都要印" in result.output
    assert not (tmp_path / "t.pdf").exists()


def test_draft_has_a_watermark_and_needs_no_signoffs(tmp_path: Path):
    settings = SETTINGS + "reviews: [初审, 保密审查]\n"
    make_workspace(
        tmp_path,
        {"notices/t-finance.yaml": finance_yaml(), "notices/t-finance.csv": SMALL_FINANCE_CSV},
        settings=settings,
    )
    refused = run("build", "-w", tmp_path)
    assert refused.exit_code == 1
    assert "notices/t-finance.yaml:1: 错误: 缺少「初审」、「保密审查」签批，不能正式印发。" in refused.output
    draft = run("build", "-w", tmp_path, "--draft")
    assert draft.exit_code == 0, draft.output
    assert "草稿" in pdf_text(tmp_path / "out" / "print" / "t-finance.pdf")


def test_final_build_has_no_watermark_and_prints_the_signoffs(built_town: Path):
    text = pdf_text(built_town / "out" / "print" / "2026q1-finance.pdf")
    assert "草稿" not in text
    assert "保密审查：赵敏 2026-04-11" in text


def test_a_failed_build_leaves_the_previous_outputs_intact(town: Path, monkeypatch: pytest.MonkeyPatch):
    assert run("build", "-w", town).exit_code == 0
    pdf = town / "out" / "print" / "2026q2-finance.pdf"
    before = pdf.read_bytes()

    def broken_png(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pipeline, "render_png", broken_png)
    (town / "notices" / "2026q2-finance.yaml").write_text(
        (town / "notices" / "2026q2-finance.yaml").read_text(encoding="utf-8").replace("第二季度", "第2季度"),
        encoding="utf-8",
    )
    result = run("build", "-w", town)
    assert result.exit_code == 2
    assert "磁盘已满" in result.output and "程序内部出错" not in result.output and "Traceback" not in result.output
    assert pdf.read_bytes() == before
    assert not list((town / "out" / "print").glob(".*.tmp"))


def test_the_python_api_does_what_the_cli_does(town: Path, tmp_path: Path):
    result = noticeboard.check(town)
    # the one problem: the sample's A4 finance takes five A4 sheets, and A3 is suggested (issue 19)
    assert result.ok and [(p.where.file, p.is_error) for p in result.problems] == [
        ("notices/2026q2-finance.yaml", False)
    ]
    assert "建议改用 A3" in result.problems[0].message
    built = noticeboard.build(town, out=tmp_path / "out", ids=["2026q1-finance"])
    names = {p.relative_to(tmp_path / "out").as_posix() for p in built.written}
    assert {
        "print/2026q1-finance.pdf",
        "preview/2026q1-finance.png",
        "site/2026q1-finance/index.html",
        "site/index.html",
        "register.sqlite",
    } <= names
    assert built.registered == [("2026q1-finance", 1)]
    loaded = noticeboard.load_workspace(town)
    finance = next(n for n in loaded.workspace.notices if n.id == "2026q1-finance")
    sheets = noticeboard.lay_out(finance, loaded)
    assert sheets[0].total == len(sheets)


def test_problems_are_values_with_places(town: Path):
    csv = town / "notices" / "2026q1-finance.csv"
    csv.write_text(csv.read_text(encoding="utf-8-sig").replace("680.99,680.99", "680.99,681.99", 1), encoding="utf-8")
    result = noticeboard.check(town)
    assert not result.ok
    first = result.problems[0]
    assert isinstance(first, noticeboard.Problem)
    assert (first.where.file, first.where.line, first.where.cell) == ("notices/2026q1-finance.csv", 2, "E")


def test_an_unwritable_output_folder_is_a_plain_exit_2(town: Path, tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("build", "-w", town, "-o", blocker / "out")
    assert result.exit_code == 2
    assert "无法写入输出目录" in result.output and "Traceback" not in result.output


def test_an_absurd_display_period_is_located(tmp_path: Path):
    make_workspace(
        tmp_path,
        {"notices/t-finance.yaml": finance_yaml(display_days="99999999"), "notices/t-finance.csv": SMALL_FINANCE_CSV},
    )
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert "notices/t-finance.yaml:6: 错误: 公示期 99999999 天太长了" in result.output


def test_an_invisible_character_is_named_as_such(tmp_path: Path):
    csv = SMALL_FINANCE_CSV.replace("增值税", "增值\u200b税")
    make_workspace(tmp_path, {"notices/t-finance.yaml": finance_yaml(), "notices/t-finance.csv": csv})
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert (
        "notices/t-finance.csv:3:B: 错误: 这里有一个看不见的字符（U+200B），多半是从网页或微信复制时带进来的"
        in result.output
    )


def _signed(tmp_path: Path, reviews: str):
    settings = SETTINGS + "reviews: [初审, 审核, 保密审查]\n"
    yaml = finance_yaml() + "reviews:\n" + reviews
    make_workspace(
        tmp_path, {"notices/t-finance.yaml": yaml, "notices/t-finance.csv": SMALL_FINANCE_CSV}, settings=settings
    )
    return run("build", "-w", tmp_path)


def test_signoffs_out_of_order_are_refused(tmp_path: Path):
    result = _signed(
        tmp_path,
        "  初审: {by: 王小红, date: 2026-04-10}\n  审核: {by: 李建国, date: 2026-04-09}\n"
        "  保密审查: {by: 赵敏, date: 2026-04-11}\n",
    )
    assert result.exit_code == 1
    assert (
        "notices/t-finance.yaml:12: 错误: 「审核」的签批日期 2026-04-09 早于「初审」的 2026-04-10："
        "签批应当按 初审→审核→保密审查 的顺序进行。"
    ) in result.output


def test_a_signoff_after_the_publication_date_is_refused(tmp_path: Path):
    result = _signed(
        tmp_path,
        "  初审: {by: 王小红, date: 2026-04-10}\n  审核: {by: 李建国, date: 2026-04-11}\n"
        "  保密审查: {by: 赵敏, date: 2026-04-13}\n",
    )
    assert result.exit_code == 1
    assert "notices/t-finance.yaml:13: 错误: 「保密审查」的签批日期 2026-04-13 晚于发布日期 2026-04-12" in result.output


def test_signoffs_in_order_on_or_before_the_date_pass(tmp_path: Path):
    result = _signed(
        tmp_path,
        "  初审: {by: 王小红, date: 2026-04-10}\n  审核: {by: 李建国, date: 2026-04-10}\n"
        "  保密审查: {by: 赵敏, date: 2026-04-12}\n",
    )
    assert result.exit_code == 0, result.output
    assert "已登记 t-finance 第1版" in result.output


def test_bare_noticeboard_prints_the_help_in_chinese():
    result = run()
    assert result.exit_code == 0
    assert result.output.startswith("用法：noticeboard [选项] [命令] [参数]...")
    for english in ("Usage:", "Options:", "Commands:", "Show this message and exit.", "Show the version and exit."):
        assert english not in result.output
    assert "选项：" in result.output and "命令：" in result.output and "显示这份说明，然后退出。" in result.output


@pytest.mark.parametrize("command", ["build", "check", "render", "tile", "plan", "register", "new", "init"])
def test_every_help_screen_is_chinese(command: str):
    result = run(command, "--help")
    assert result.exit_code == 0
    for english in ("Usage:", "Options:", "Show this message and exit.", "[default:", "[required]"):
        assert english not in result.output, (command, english)


def test_a_notice_date_that_does_not_exist(tmp_path: Path):
    make_workspace(
        tmp_path,
        {"notices/t-finance.yaml": finance_yaml(date="2026-02-30"), "notices/t-finance.csv": SMALL_FINANCE_CSV},
    )
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert (
        "notices/t-finance.yaml:5: 错误: 「date」（发布日期）写的是「2026-02-30」，"
        "但 2026年2月没有30日。请写一个存在的日期。" in result.output
    )


def test_a_full_width_colon_is_named_at_its_own_line(tmp_path: Path):
    yaml = finance_yaml().replace("title: ", "title：")
    make_workspace(tmp_path, {"notices/t-finance.yaml": yaml, "notices/t-finance.csv": SMALL_FINANCE_CSV})
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert (
        "notices/t-finance.yaml:3: 错误: 「title」后面的冒号是中文的「：」。键后面要用英文冒号加一个空格，"
        "写成「title: 」（输入时先切换到英文标点）。"
    ) in result.output


def test_render_a_copied_notice_with_draft(tmp_path: Path):
    make_workspace(
        tmp_path,
        {"notices/t-finance.yaml": finance_yaml(catalogue="finance"), "notices/t-finance.csv": SMALL_FINANCE_CSV},
    )
    alone = tmp_path / "elsewhere" / "alone"  # no noticeboard.yaml beside it or one level up
    alone.mkdir(parents=True)
    for name in ("t-finance.yaml", "t-finance.csv"):
        (alone / name).write_bytes((tmp_path / "notices" / name).read_bytes())
    result = run("render", alone / "t-finance.yaml", "-o", alone / "t.pdf", "--draft")
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if ": 错误:" in line]
    assert len(problems) == 1 and "不知道落款单位、网上公开地址和监督电话" in problems[0]
    assert "「catalogue: finance」不起作用" in result.output
    with (alone / "t-finance.yaml").open("a", encoding="utf-8") as stream:
        stream.write("issuer: 测试镇人民政府\nbase_url: https://gk.example.gov.cn/test/\nhotline: 0537-7654321\n")
    result = run("render", alone / "t-finance.yaml", "-o", alone / "t.pdf", "--draft")
    assert result.exit_code == 0, result.output
    assert "草稿" in pdf_text(alone / "t.pdf")


def test_register_outside_a_workspace_is_a_usage_error(tmp_path: Path):
    result = run("register", "-w", tmp_path)
    assert result.exit_code == 2
    assert result.output.startswith(f"{tmp_path}: 错误: 这里不是工作区（没有 noticeboard.yaml）。")


def test_the_api_takes_str_paths(tmp_path: Path):
    make_workspace(tmp_path, {"notices/t-finance.yaml": finance_yaml(), "notices/t-finance.csv": SMALL_FINANCE_CSV})
    assert noticeboard.check(str(tmp_path)).problems == noticeboard.check(tmp_path).problems
    result = noticeboard.build(str(tmp_path), draft=True)
    assert result.ok and (tmp_path / "out" / "print" / "t-finance.pdf").is_file()
    assert noticeboard.publications(str(tmp_path)) == []
    with pytest.raises(noticeboard.UnreadableInput):
        noticeboard.check(str(tmp_path / "nowhere"))


def test_build_ends_by_saying_where_to_look(tmp_path: Path):
    make_workspace(tmp_path, {"notices/t-finance.yaml": finance_yaml(), "notices/t-finance.csv": SMALL_FINANCE_CSV})
    result = run("build", "--draft", "-w", tmp_path)
    assert result.output.splitlines()[-1] == f"先打开预览图看一看：{tmp_path / 'out' / 'preview' / 't-finance.png'}"
    broken = SMALL_FINANCE_CSV.replace("80.00,80.00,70.00", "80.00,8.00,70.00", 1).replace(
        "250.00,60.00", "25.00,60.00", 1
    )
    (tmp_path / "notices" / "t-finance.csv").write_text(broken, encoding="utf-8")
    result = run("build", "--draft", "-w", tmp_path)
    assert result.output.splitlines()[0].startswith("notices/t-finance.csv:2:")  # the first place to change
    assert result.output.splitlines()[-1].startswith("生成完成：")


def test_register_as_csv_for_the_annual_report(tmp_path: Path):
    import csv

    make_workspace(
        tmp_path, {"notices/t-finance.yaml": finance_yaml(reviews="{}"), "notices/t-finance.csv": SMALL_FINANCE_CSV}
    )
    assert run("build", "-w", tmp_path).exit_code == 0
    result = run("register", "-w", tmp_path, "--year", "2026", "--format", "csv")
    assert result.exit_code == 0
    raw = (tmp_path / "out" / "register-2026.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:4] == ["发布日期", "公示期至", "编号", "版次"]
    assert rows[1][:5] == ["2026-04-12", "2026-04-21", "t-finance", "1", "财政收支"]
