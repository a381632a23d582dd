"""contacts (机构设置、部门职能、领导成员及联系电话): the sample poster, its checks, and 4 to 80 people."""

from __future__ import annotations

import csv
import io
import itertools
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import decode_qr, findable, make_workspace, pdf_pages, pdf_text, render_page, run

from noticeboard.layout.blocks import PT_PER_MM, Ctx, Paragraph, Spacer
from noticeboard.layout.design import load_design
from noticeboard.layout.fonts import build_stack
from noticeboard.layout.groups import BalancedColumns
from noticeboard.layout.sheet import TextItem
from noticeboard.load.workspace import load_workspace
from noticeboard.pipeline import lay_out
from noticeboard.resources import samples_dir

STACK, _ = build_stack([])
A_SERIES = {"A1": (594, 841), "A3": (297, 420), "A4": (210, 297)}
HEADER = ["部门", "姓名", "职务", "分管工作", "办公电话", "办公地点"]
DUTIES = {
    "党政办公室": "负责镇党委、政府日常事务的综合协调，承担文秘、会务、机要、档案、信息和政务公开工作。",
    "经济发展办公室": "负责全镇经济发展规划和招商引资，承担工业、商贸、统计和项目建设的服务工作。",
    "社会事务办公室": "负责民政、社会救助、养老服务、残疾人、教育和卫生健康等社会事务管理。",
    "财政所": "负责镇级预算编制与执行、村级财务监管、惠农补贴资金发放和国有资产管理。",
    "农业综合服务中心": "负责农业技术推广、动植物疫病防控、农田水利和农村土地承包管理的具体工作。",
    "便民服务中心": "集中办理社保、医保、民政、户籍代办等群众事项，实行一窗受理、限时办结。",
    "综合行政执法队": "负责市容环境、违法建设、生态环境等领域的综合行政执法，受理群众投诉举报。",
    "自然资源所": "负责土地利用规划、耕地保护、农村宅基地审核和矿产资源的日常监管。",
    "退役军人服务站": "负责退役军人和其他优抚对象的接待、政策咨询、帮扶援助和权益维护。",
    "综治中心": "负责社会治安综合治理、矛盾纠纷排查化解、网格化服务管理和平安建设。",
    "文化站": "负责公共文化服务、群众文体活动组织、文物保护和农家书屋的管理指导。",
    "应急管理办公室": "负责安全生产综合监管、防汛抗旱、森林防火和突发事件应急处置的协调工作。",
}
LEADER_DUTIES = "负责{0}工作，分管{1}，联系全镇重点项目建设、信访稳定和安全生产，牵头推进乡村振兴示范片区建设。"


def _names(count: int) -> list[str]:
    """Distinct three-character fictional names, none a part of another."""
    surnames = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
    given = ["立新", "文华", "晓东", "春燕", "海波", "玉兰", "建军", "雪梅", "志强", "秀英", "国庆", "丽娟"]
    pairs = itertools.product(given, surnames)
    return [surname + first for first, surname in itertools.islice(pairs, count)]


def org_rows(leaders: int, staff: list[int]) -> list[list[str]]:
    """Table rows: ``leaders`` leaders, then ``staff[i]`` people in the i-th department of DUTIES."""
    departments = list(DUTIES)
    names = iter(_names(leaders + sum(staff)))
    rows = []
    phone = itertools.count(1)
    for index in range(leaders):
        title = "党委书记" if index == 0 else ("党委副书记、镇长" if index == 1 else "副镇长")
        duties = LEADER_DUTIES.format(
            departments[index % len(departments)], departments[(index + 1) % len(departments)]
        )
        rows.append(
            ["领导班子", next(names), title, duties, f"0537-76{next(phone):05d}", f"镇政府办公楼{300 + index}室"]
        )
    for department, count in zip(departments, staff):
        for index in range(count):
            title = "主任" if index == 0 else "科员"
            rows.append(
                [department, next(names), title, "", f"0537-76{next(phone):05d}", f"{department}{101 + index}室"]
            )
    return rows


def csv_text(rows: list[list[str]], header: list[str] = HEADER) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header] + rows)
    return out.getvalue()


def org_yaml(
    departments: list[str] | None = None, data: str = "t-org.csv", paper: str = "A3", orientation: str = "portrait"
) -> str:
    text = (
        f"id: t-org\nkind: contacts\ntitle: 测试镇机构设置、部门职能、领导成员及联系电话\ndate: 2026-04-01\n"
        f"paper: {paper}\norientation: {orientation}\ndata: {data}\n"
    )
    if departments is not None:
        text += "departments:\n" + "".join(f"  - name: {d}\n    duties: {DUTIES[d]}\n" for d in departments)
    return text


def org_workspace(root: Path, leaders: int, staff: list[int], **yaml_args) -> tuple[Path, list[list[str]]]:
    rows = org_rows(leaders, staff)
    departments = list(DUTIES)[: len(staff)]
    make_workspace(
        root, {"notices/t-org.yaml": org_yaml(departments, **yaml_args), "notices/t-org.csv": csv_text(rows)}
    )
    return root, rows


def laid_out(root: Path, notice_id: str = "t-org"):
    loaded = load_workspace(root)
    notice = next(n for n in loaded.workspace.notices if n.id == notice_id)
    return lay_out(notice, loaded), loaded.designs["contacts"].paper(notice.paper)


def outcome(result, code: int) -> str:
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, result.output
    return result.output


def line_starting(out: str, prefix: str, *phrases: str) -> str:
    lines = [line for line in out.splitlines() if line.startswith(prefix) and all(p in line for p in phrases)]
    assert lines, f"no line starting with {prefix!r} containing {phrases!r} in:\n{out}"
    return lines[0]


def text_boxes(sheet):
    for item in sheet.items:
        if isinstance(item, TextItem) and item.text.strip():
            width = STACK.width(item.text, item.size, item.bold)
            yield item.x, item.y - item.size * 0.2, item.x + width, item.y + item.size * 0.85, item.text


def assert_no_overlap_inside_margins(sheet, margin_mm: float) -> None:
    margin = margin_mm * PT_PER_MM
    boxes = sorted(text_boxes(sheet))
    for x1, y1, x2, y2, text in boxes:
        assert margin - 0.5 <= x1 and x2 <= sheet.width - margin + 0.5, text
        assert margin - 0.5 <= y1 and y2 <= sheet.height - margin + 0.5, text
    for i, (ax1, ay1, ax2, ay2, at) in enumerate(boxes):
        for bx1, by1, bx2, by2, bt in boxes[i + 1 :]:
            if bx1 >= ax2 - 0.01:
                break
            assert not (min(ax2, bx2) - max(ax1, bx1) > 0.01 and min(ay2, by2) - max(ay1, by1) > 0.01), (at, bt)


# --------------------------------------------------------------------------- the sample poster


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """The sample town with only its contacts notice built."""
    target = tmp_path_factory.mktemp("org") / "town"
    shutil.copytree(samples_dir() / "town", target, ignore=shutil.ignore_patterns("out"))
    result = run("build", "-w", target, "2026-org")
    assert result.exit_code == 0, result.output
    return target


def _sample_pdf(sample: Path) -> Path:
    return sample / "out" / "print" / "2026-org.pdf"


def test_sample_checks_clean(sample: Path):
    out = outcome(run("check", "-w", sample, "2026-org"), 0)
    assert "0 个错误，0 个警告" in out, out


def test_sample_is_one_exact_a1_sheet(sample: Path):
    notice = yaml.safe_load((sample / "notices" / "2026-org.yaml").read_text(encoding="utf-8"))
    assert notice["paper"] == "A1"
    short, long = A_SERIES["A1"]
    expected = (long, short) if notice["orientation"] == "landscape" else (short, long)
    pages = pdf_pages(_sample_pdf(sample))
    assert len(pages) == 1
    assert pages[0] == pytest.approx((expected[0] * PT_PER_MM, expected[1] * PT_PER_MM), abs=0.01)


def test_sample_qr_decodes_at_150_dpi(sample: Path):
    assert decode_qr(render_page(_sample_pdf(sample), 0, dpi=150)) == ["https://gk.example.gov.cn/lcz/2026-org/"]


def test_sample_fonts_are_embedded_and_subset(sample: Path):
    raw = _sample_pdf(sample).read_bytes()
    fonts = re.findall(rb"/BaseFont\s*/([^\s/>\[]+)", raw)
    assert fonts
    assert all(re.match(rb"[A-Z]{6}\+", name) for name in fonts), fonts
    assert raw.count(b"/FontFile2") == len(re.findall(rb"/Type /FontDescriptor", raw)) > 0


def test_sample_every_input_string_is_printed(sample: Path):
    text = pdf_text(_sample_pdf(sample))
    notice = yaml.safe_load((sample / "notices" / "2026-org.yaml").read_text(encoding="utf-8"))
    with open(sample / "notices" / "2026-org.csv", encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))[1:]
    assert len(rows) >= 25
    needles = [cell for row in rows for cell in row if cell]
    needles += [d["name"] for d in notice["departments"]] + [d["duties"] for d in notice["departments"]]
    needles += [
        notice["title"],
        "发布日期：2026年4月1日",
        "监督电话：0537-1234567",
        "两城镇人民政府",
        "扫码查看网上公开版本",
    ]
    assert [n for n in needles if not findable(n, text)] == []


def test_sample_leadership_first_then_departments_in_listed_order(sample: Path):
    text = "".join(pdf_text(_sample_pdf(sample)).split())
    notice = yaml.safe_load((sample / "notices" / "2026-org.yaml").read_text(encoding="utf-8"))
    positions = [text.index("领导班子成员及分工"), text.index("高志远")]
    positions += [text.index(f"（{n}）{d['name']}") for n, d in zip("一二三四五六", notice["departments"])]
    assert positions == sorted(positions)
    assert "领导班子）" not in text  # the leadership is not also printed as a department


def test_sample_text_never_overlaps(sample: Path):
    sheets, scale = laid_out(sample, "2026-org")
    for sheet in sheets:
        assert_no_overlap_inside_margins(sheet, scale.margin)
    assert sheets[0].body_size >= scale.floor


# --------------------------------------------------------------------------- checks

SMALL_ROWS = [
    ["领导班子", "甲一鸣", "党委书记", "主持镇党委全面工作。", "0537-7654301", "镇政府办公楼301室"],
    ["领导班子", "乙二鸣", "镇长", "主持镇政府全面工作，分管财政所。", "0537-7654302", "镇政府办公楼302室"],
    ["党政办公室", "丙三鸣", "主任", "", "0537-7654311", "镇政府办公楼201室"],
    ["财政所", "丁四鸣", "所长", "", "0537-7654321", "镇政府办公楼105室"],
]


def small(tmp_path: Path, rows=None, departments=("党政办公室", "财政所"), header=HEADER, **yaml_args) -> Path:
    rows = SMALL_ROWS if rows is None else rows
    return make_workspace(
        tmp_path,
        {"notices/t-org.yaml": org_yaml(list(departments), **yaml_args), "notices/t-org.csv": csv_text(rows, header)},
    )


def edited(rows, row: int, column: int, value: str):
    rows = [list(r) for r in rows]
    rows[row][column] = value
    return rows


def test_small_table_checks_clean(tmp_path: Path):
    out = outcome(run("check", "-w", small(tmp_path)), 0)
    assert "0 个错误，0 个警告" in out


def test_department_missing_from_departments_is_a_warning_at_its_cell(tmp_path: Path):
    root = small(tmp_path, rows=edited(SMALL_ROWS, 2, 0, "党政办"))
    out = outcome(run("check", "-w", root), 0)
    line = line_starting(
        out, "notices/t-org.csv:4:A: 警告: 部门「党政办」没有写在 departments 中", "是不是「党政办公室」"
    )
    assert "{name: 党政办, duties: 部门职能}" in line
    # and the listed 党政办公室 now has nobody
    line_starting(out, "notices/t-org.yaml:9: 警告: departments 中的「党政办公室」在表中没有人员")
    # a warning does not stop the build, and the person is still printed under the name as written
    outcome(run("build", "-w", root), 0)
    text = pdf_text(root / "out" / "print" / "t-org.pdf")
    assert findable("（三）党政办", text) and findable("丙三鸣", text)


def test_department_without_people_is_a_warning_at_its_entry(tmp_path: Path):
    root = small(tmp_path, departments=("党政办公室", "财政所", "文化站"))
    out = outcome(run("check", "-w", root), 0)
    line_starting(out, "notices/t-org.yaml:13: 警告: departments 中的「文化站」在表中没有人员")
    outcome(run("build", "-w", root), 0)
    assert findable(DUTIES["文化站"], pdf_text(root / "out" / "print" / "t-org.pdf"))


def test_empty_phone_is_a_warning_at_the_cell(tmp_path: Path):
    root = small(tmp_path, rows=edited(SMALL_ROWS, 3, 4, ""))
    out = outcome(run("check", "-w", root), 0)
    line_starting(out, "notices/t-org.csv:5:E: 警告: 「丁四鸣」的办公电话是空的", "0537-1234568")


def test_empty_phone_in_xlsx_is_located_by_sheet_and_cell(tmp_path: Path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "人员"
    sheet.append(["两城镇机构及联系电话"])  # a title line above the header
    for row in [HEADER] + edited(SMALL_ROWS, 1, 4, ""):
        sheet.append(row)
    make_workspace(tmp_path, {"notices/t-org.yaml": org_yaml(["党政办公室", "财政所"], data="t-org.xlsx")})
    workbook.save(tmp_path / "notices" / "t-org.xlsx")
    out = outcome(run("check", "-w", tmp_path), 0)
    line_starting(out, "notices/t-org.xlsx[人员]!E4: 警告: 「乙二鸣」的办公电话是空的")


def test_missing_phone_column_is_one_warning_at_the_header(tmp_path: Path):
    rows = [r[:4] + r[5:] for r in SMALL_ROWS]
    root = small(tmp_path, rows=rows, header=HEADER[:4] + HEADER[5:])
    out = outcome(run("check", "-w", root), 0)
    line_starting(out, "notices/t-org.csv:1:A: 警告: 表中没有「办公电话」列")
    assert out.count("办公电话") == 1


def test_leader_without_duties_is_a_warning_at_the_cell(tmp_path: Path):
    root = small(tmp_path, rows=edited(SMALL_ROWS, 0, 3, ""))
    out = outcome(run("check", "-w", root), 0)
    line_starting(out, "notices/t-org.csv:2:D: 警告: 领导班子成员「甲一鸣」的分管工作是空的")


@pytest.mark.parametrize("missing", ["部门", "姓名", "职务"])
def test_missing_required_column_is_an_error(tmp_path: Path, missing: str):
    keep = [i for i, h in enumerate(HEADER) if h != missing]
    root = small(tmp_path, rows=[[r[i] for i in keep] for r in SMALL_ROWS], header=[HEADER[i] for i in keep])
    out = outcome(run("check", "-w", root), 1)
    line_starting(out, f"notices/t-org.csv:1:A: 错误: 缺少「{missing}」列")
    outcome(run("build", "-w", root), 1)
    assert not (root / "out" / "print" / "t-org.pdf").exists()


def test_english_headers_are_accepted(tmp_path: Path):
    root = small(tmp_path, header=["department", "name", "title", "duties", "phone", "office"])
    assert "0 个错误，0 个警告" in outcome(run("check", "-w", root), 0)


@pytest.mark.parametrize("column, letter, label", [(1, "B", "姓名"), (2, "C", "职务")])
def test_empty_name_or_title_is_an_error_at_the_cell(tmp_path: Path, column: int, letter: str, label: str):
    root = small(tmp_path, rows=edited(SMALL_ROWS, 2, column, ""))
    out = outcome(run("check", "-w", root), 1)
    line_starting(out, f"notices/t-org.csv:4:{letter}: 错误: {label}是空的")


def test_empty_department_takes_the_one_above_like_a_merged_cell(tmp_path: Path):
    rows = SMALL_ROWS + [["", "戊五鸣", "会计", "", "0537-7654322", "镇政府办公楼106室"]]
    root = small(tmp_path, rows=rows)
    assert "0 个错误，0 个警告" in outcome(run("check", "-w", root), 0)
    sheets, _ = laid_out(root)
    texts = [t for s in sheets for t in s.texts()]
    assert texts.index("戊五鸣") > texts.index("（二）财政所")


def test_empty_department_on_the_first_row_is_an_error(tmp_path: Path):
    root = small(tmp_path, rows=edited(SMALL_ROWS, 0, 0, ""))
    out = outcome(run("check", "-w", root), 1)
    line_starting(out, "notices/t-org.csv:2:A: 错误: 部门是空的")


def test_department_listed_twice_is_an_error(tmp_path: Path):
    root = small(tmp_path, departments=("党政办公室", "财政所", "党政办公室"))
    out = outcome(run("check", "-w", root), 1)
    line_starting(
        out, "notices/t-org.yaml:13: 错误: 部门「党政办公室」在 departments 中写了两次", "notices/t-org.yaml:9"
    )


def test_department_entry_without_name_or_with_unknown_key(tmp_path: Path):
    root = small(tmp_path)
    path = root / "notices" / "t-org.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "  - duties: 无名部门的职能\n  - name: 文化站\n    dutys: 文化\n",
        encoding="utf-8",
    )
    out = outcome(run("check", "-w", root), 1)
    line_starting(out, "notices/t-org.yaml:13: 错误: departments 中的部门缺少「name」")
    line_starting(out, "notices/t-org.yaml:15: 错误: departments 中的部门中没有「dutys」这个键", "duties")


def test_department_entry_without_duties_is_a_warning(tmp_path: Path):
    root = small(tmp_path)
    path = root / "notices" / "t-org.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(f"    duties: {DUTIES['财政所']}\n", ""), encoding="utf-8")
    out = outcome(run("check", "-w", root), 0)
    line_starting(out, "notices/t-org.yaml:11: 警告: 部门「财政所」没有写 duties")


def test_departments_not_a_list_is_an_error(tmp_path: Path):
    root = make_workspace(
        tmp_path,
        {"notices/t-org.yaml": org_yaml() + "departments: 党政办公室\n", "notices/t-org.csv": csv_text(SMALL_ROWS)},
    )
    out = outcome(run("check", "-w", root), 1)
    line_starting(out, "notices/t-org.yaml:8: 错误: 「departments」（部门职能）应当是一个列表")


def test_character_no_font_has_is_an_error_at_the_cell_and_at_the_entry(tmp_path: Path):
    root = small(tmp_path, rows=edited(SMALL_ROWS, 3, 5, "镇政府办公楼\ue000室"))
    path = root / "notices" / "t-org.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("负责镇级预算", "负责镇级\U0001f4b0预算"), encoding="utf-8"
    )
    out = outcome(run("check", "-w", root), 1)
    line_starting(out, "notices/t-org.csv:5:F: 错误:", "U+E000")
    line_starting(out, "notices/t-org.yaml:12: 错误:", "U+1F4B0")


def test_markup_and_multiline_cells_print_as_written(tmp_path: Path):
    rows = edited(SMALL_ROWS, 0, 3, '主持全面工作 <b>&amp;</b> "引号"\n兼管党建')
    root = small(tmp_path, rows=rows)
    outcome(run("build", "-w", root), 0)
    assert findable('主持全面工作 <b>&amp;</b> "引号" 兼管党建', pdf_text(root / "out" / "print" / "t-org.pdf"))


# --------------------------------------------------------------------------- 4 to 80 people


def test_80_people_on_a1_stay_on_few_sheets_with_nothing_lost(tmp_path: Path):
    staff = [5, 5, 5, 5, 16, 5, 5, 5, 5, 5, 5, 4]  # one department big enough to run over a column
    root, rows = org_workspace(tmp_path, 10, staff, paper="A1", orientation="landscape")
    assert len(rows) == 80
    outcome(run("build", "-w", root), 0)
    pdf = root / "out" / "print" / "t-org.pdf"
    pages = pdf_pages(pdf)
    assert 1 <= len(pages) <= 2
    assert all(p == pytest.approx((841 * PT_PER_MM, 594 * PT_PER_MM), abs=0.01) for p in pages)
    text = pdf_text(pdf)
    flat = "".join(text.split())
    for row in rows:
        for cell in row[1:]:
            assert cell == "" or findable(cell, text), cell
        assert flat.count(row[1]) == 1, row[1]  # every person once: nothing lost, nothing doubled
    for department in DUTIES:
        assert findable(DUTIES[department], text)
    if len(pages) > 1:
        assert f"第{len(pages)}张/共{len(pages)}张" in flat
    sheets, scale = laid_out(root)
    assert sheets[0].body_size >= scale.floor
    for sheet in sheets:
        assert_no_overlap_inside_margins(sheet, scale.margin)
    assert decode_qr(render_page(pdf, len(pages) - 1, dpi=150)) == ["https://gk.example.gov.cn/test/t-org/"]


def test_80_people_on_a1_portrait(tmp_path: Path):
    root, rows = org_workspace(tmp_path, 10, [7] * 10, paper="A1", orientation="portrait")
    sheets, scale = laid_out(root)
    assert 1 <= len(sheets) <= 2 and sheets[0].body_size >= scale.floor
    texts = "".join(t for s in sheets for t in s.texts())
    assert all(texts.count(row[1]) == 1 for row in rows)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_4_people_on_a3_fill_one_balanced_sheet(tmp_path: Path, orientation: str):
    root, rows = org_workspace(tmp_path, 2, [1, 1], paper="A3", orientation=orientation)
    outcome(run("build", "-w", root), 0)
    pdf = root / "out" / "print" / "t-org.pdf"
    assert len(pdf_pages(pdf)) == 1
    text = pdf_text(pdf)
    assert [c for row in rows for c in row[1:] if c and not findable(c, text)] == []
    sheets, scale = laid_out(root)
    # little content: never smaller than the preferred size, and grown towards the design's cap to fill the sheet
    assert scale.body < sheets[0].body_size <= scale.body * 1.4
    headings = [i for i in sheets[0].items if isinstance(i, TextItem) and i.text.startswith(("（一）", "（二）"))]
    assert len(headings) == 2
    if orientation == "landscape":
        # the two departments stand side by side, their headings level, rather than one under the other
        assert headings[0].y == pytest.approx(headings[1].y) and headings[0].x != headings[1].x
    # portrait: the type grown to fill the sheet leaves a column too narrow for two, so they stack (issue 19)
    assert decode_qr(render_page(pdf, 0, dpi=150)) == ["https://gk.example.gov.cn/test/t-org/"]


# --------------------------------------------------------------------------- the toolkit pieces


def _ctx() -> Ctx:
    design, problems = load_design("contacts")
    assert problems == []
    return Ctx(STACK, design, 12.0)


def _column_of_every_heading_has_what_follows(sheets) -> None:
    """No department heading is the last thing in its column (keep-with-next)."""
    for sheet in sheets:
        items = [i for i in sheet.items if isinstance(i, TextItem)]
        for heading in (i for i in items if re.match(r"（[一二三四五六七八九十]+）|[一二三四]、", i.text)):
            below = [
                i
                for i in items
                if heading.x - 1 < i.x < heading.x + heading.size * 12
                and heading.y - heading.size * 3 < i.y < heading.y
            ]
            assert below, heading.text


def test_headings_are_never_left_at_a_column_foot(tmp_path: Path):
    for staff in ([3, 4, 5, 6, 3, 4, 5, 6, 3, 4, 5, 6], [2] * 12, [9, 1, 9, 1, 9, 1, 9, 1, 9, 1, 9, 1]):
        root = tmp_path / "-".join(map(str, staff))
        org_workspace(root, 6, staff, paper="A3", orientation="landscape")
        _column_of_every_heading_has_what_follows(laid_out(root)[0])


def test_balanced_columns_are_even_and_split_loses_nothing():
    ctx = _ctx()
    blocks = []
    for n in range(12):
        blocks += [
            Paragraph(f"标题{n}", 1.1, bold=True, keep_with_next=True),
            Paragraph("内容" * (5 + n * 3)),
            Spacer(0.8),
        ]
    group = BalancedColumns(blocks)
    width = ctx.em(80)
    count = group._count(ctx, width)
    assert count == 3
    columns, height = group._balanced(ctx, width)
    column_width = group._column_width(ctx, width, count)
    heights = [sum(b.height(ctx, column_width) for b in column) for column in columns]
    assert max(heights) - min(heights) < ctx.em(4)  # even within a paragraph or so
    first, rest = group.split(ctx, width, height / 2)
    assert first is not None and rest is not None and first.height(ctx, width) <= height / 2 + 1e-6
    placed = [i.text for part in (first, rest) for i in part.place(ctx, 0, 1000, width)]
    assert "".join(placed) == "".join(b.text for b in blocks if isinstance(b, Paragraph))
    assert not any(column[-1].keep_with_next for column in first.filled if column)


def test_flow_moves_a_heading_kept_with_next_to_the_next_sheet():
    from noticeboard.layout.fit import flow
    from noticeboard.layout.frame import SheetInfo, SheetTemplate
    from noticeboard.layout.paper import page_size

    design, _ = load_design("contacts")
    info = SheetInfo("标题", [], "测试镇人民政府", "2026年4月1日", None, "https://gk.example.gov.cn/test/t/")
    template = SheetTemplate(info, design, STACK, "A4", page_size("A4"), "portrait")
    ctx = Ctx(STACK, design, template.scale.body)
    _, _, width, height = template.frame().columns[0]
    gap = ctx.em(float(design.get("body.block_gap")))

    def sheets_of(keep: bool) -> list[list[str]]:
        heading = Paragraph("（一）党政办公室", 1.0, bold=True, keep_with_next=keep)
        # the filler leaves room for the heading and one point more, but not for a line under it
        filler = Spacer((height - gap - heading.height(ctx, width) - 1.0) / ctx.body)
        bodies = flow([filler, heading, Paragraph("部门职能：负责日常事务。")], template, ctx.body)
        return [[i.text for i in items if isinstance(i, TextItem)] for items in bodies]

    assert sheets_of(False)[0] == ["（一）党政办公室"]  # stranded at the foot without the option
    assert sheets_of(True) == [[], ["（一）党政办公室", "部门职能：负责日常事务。"]]
