"""tasks (重点工作目标完成情况): the sample poster, status rules, bars to scale, bad input, 40 tasks."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest
from conftest import (
    decode_qr,
    findable,
    make_workspace,
    pdf_pages,
    pdf_text,
    render_page,
    run,
)
from python_calamine import CalamineWorkbook

from noticeboard.dates import chinese_date
from noticeboard.kinds.tasks import (
    DONE,
    GOING,
    LATE,
    Deadline,
    parse_deadline,
    parse_progress,
    status_of,
)
from noticeboard.layout.sheet import LineItem, RectItem, TextItem
from noticeboard.load.workspace import load_workspace
from noticeboard.pipeline import lay_out
from noticeboard.resources import samples_dir

MM = 72 / 25.4
SAMPLE = "2026q2-tasks"
SAMPLE_URL = f"https://gk.example.gov.cn/lcz/{SAMPLE}/"
HEADER = "序号,任务,责任单位,责任人,目标,进度,完成时限,备注\n"
CSV = "notices/t-tasks.csv"


# --------------------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """The sample town with only the tasks notice built."""
    root = tmp_path_factory.mktemp("tasks") / "town"
    shutil.copytree(samples_dir() / "town", root, ignore=shutil.ignore_patterns("out"))
    result = run("build", "-w", root, SAMPLE)
    assert result.exit_code == 0, result.output
    return root


def tasks_yaml(paper: str = "A4", date: str = "2026-07-10", data: str = "t-tasks.csv", **extra: str) -> str:
    fields = {
        "id": "t-tasks",
        "kind": "tasks",
        "title": "测试镇2026年第二季度重点工作目标完成情况",
        "period": "2026-Q2",
        "date": date,
        "paper": paper,
        "data": data,
    }
    fields.update(extra)
    return "".join(f"{key}: {value}\n" for key, value in fields.items())


def workspace(root: Path, rows: str, header: str = HEADER, **yaml_fields: str) -> Path:
    return make_workspace(root, {"notices/t-tasks.yaml": tasks_yaml(**yaml_fields), CSV: header + rows})


def desk_a4(root: Path) -> Path:
    """The A4 scale before issue 19 raised it for the board (body 11 pt, floor 8 pt), as a workspace may
    set it for desk copies: the column rules below were measured at those sizes."""
    (root / "layouts").mkdir(exist_ok=True)
    (root / "layouts" / "base.yaml").write_text("papers:\n  A4: {body: 11, floor: 8}\n", encoding="utf-8")
    return root


def laid_out(root: Path, notice_id: str = "t-tasks"):
    loaded = load_workspace(root)
    notice = next(n for n in loaded.workspace.notices if n.id == notice_id)
    return notice, lay_out(notice, loaded)


def outcome(result, code: int) -> str:
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, f"exit {result.exit_code}, expected {code}:\n{result.output}"
    return result.output


def line_at(out: str, prefix: str, *phrases: str) -> str:
    for line in out.splitlines():
        if line.startswith(prefix) and all(p in line for p in phrases):
            return line
    raise AssertionError(f"no line starting with {prefix!r} containing {phrases!r} in:\n{out}")


def table_bars(items: list) -> list[tuple[RectItem, float]]:
    """(track, filled fraction) for every progress bar of the task table, top to bottom.

    A track is an outline-only rectangle; the table's tracks share one x and width, which
    tells them from the legend swatches in the summary strip.
    """
    tracks = [i for i in items if isinstance(i, RectItem) and i.fill is None and i.stroke and i.w > 0]
    columns: dict[tuple[float, float], list[RectItem]] = {}
    for track in tracks:
        columns.setdefault((round(track.x, 3), round(track.w, 3)), []).append(track)
    if not columns:
        return []
    column = max(columns.values(), key=len)
    out = []
    for track in sorted(column, key=lambda t: -t.y):
        fills = [
            i
            for i in items
            if isinstance(i, RectItem)
            and i.fill
            and i.fill.upper() != "#FFFFFF"
            and abs(i.x - track.x) < 1e-6
            and abs(i.y - track.y) < 1e-6
            and abs(i.h - track.h) < 1e-6
        ]
        out.append((track, max((f.w for f in fills), default=0.0) / track.w))
    return out


def column_rules(items: list) -> list[float]:
    """x of the task table's full-height vertical rules, left to right."""
    rules = [i for i in items if isinstance(i, LineItem) and abs(i.x1 - i.x2) < 1e-6]
    tallest = max(abs(i.y1 - i.y2) for i in rules)
    return sorted({round(i.x1, 3) for i in rules if abs(i.y1 - i.y2) > tallest - 1e-3})


def column_widths(items: list) -> list[float]:
    xs = column_rules(items)
    return [right - left for left, right in pairwise(xs)]


def table_texts(sheet) -> list[TextItem]:
    """The text items of the table's header and body: below its caption, above its bottom rule."""
    items = [i for i in sheet.items if isinstance(i, TextItem)]
    caption = next(i.y for i in items if i.text.startswith("各项重点工作"))
    bottom = min(
        min(i.y1, i.y2)
        for i in sheet.items
        if isinstance(i, LineItem) and abs(i.x1 - i.x2) < 1e-6 and round(i.x1, 3) in column_rules(sheet.items)
    )
    return [i for i in items if bottom < i.y < caption]


def sample_on_a4(root: Path, owners: list[str]) -> Path:
    """The sample town with the tasks notice on A4 and its 责任人 replaced, in turn, by ``owners``."""
    shutil.copytree(samples_dir() / "town", root, ignore=shutil.ignore_patterns("out"))
    notice = root / "notices" / f"{SAMPLE}.yaml"
    notice.write_text(re.sub(r"(?m)^paper: .*$", "paper: A4", notice.read_text(encoding="utf-8")), encoding="utf-8")
    book = openpyxl.load_workbook(root / "notices" / f"{SAMPLE}.xlsx")
    sheet = book["重点工作"]
    header = next(row for row in sheet.iter_rows() if row[0].value == "序号")
    column = next(cell.column for cell in header if cell.value == "责任人")
    for number, row in enumerate(range(header[0].row + 1, sheet.max_row + 1)):
        if sheet.cell(row, 1).value is not None:
            sheet.cell(row, column).value = owners[number % len(owners)]
    book.save(root / "notices" / f"{SAMPLE}.xlsx")
    return root


def sample_rows(root: Path) -> list[list]:
    grid = (
        CalamineWorkbook.from_path(str(root / "notices" / f"{SAMPLE}.xlsx")).get_sheet_by_name("重点工作").to_python()
    )
    start = next(i for i, row in enumerate(grid) if row and row[0] == "序号")
    return [row for row in grid[start + 1 :] if any(str(v) for v in row)]


def _int_text(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


# --------------------------------------------------------------------------- the sample poster


def test_sample_is_one_exact_a1_sheet(sample: Path):
    pages = pdf_pages(sample / "out" / "print" / f"{SAMPLE}.pdf")
    assert len(pages) == 1
    assert pages[0] == pytest.approx((594 * MM, 841 * MM), abs=0.01)


def test_qr_decodes_at_150_dpi(sample: Path):
    pdf = sample / "out" / "print" / f"{SAMPLE}.pdf"
    for index in range(len(pdf_pages(pdf))):
        assert decode_qr(render_page(pdf, index, dpi=150)) == [SAMPLE_URL]


def test_fonts_are_embedded_and_subset(sample: Path):
    raw = (sample / "out" / "print" / f"{SAMPLE}.pdf").read_bytes()
    fonts = re.findall(rb"/BaseFont\s*/([^\s/>\[]+)", raw)
    assert fonts
    assert all(re.match(rb"[A-Z]{6}\+", name) for name in fonts), fonts
    assert raw.count(b"/FontFile2") == len(re.findall(rb"/Type /FontDescriptor", raw)) > 0


def test_every_input_string_is_in_the_pdf_text(sample: Path):
    text = pdf_text(sample / "out" / "print" / f"{SAMPLE}.pdf")
    rows = sample_rows(sample)
    assert len(rows) >= 12
    missing = []
    for no, task, target, unit, owner, progress, deadline, note in rows:
        printed_deadline = (
            chinese_date(deadline.date() if isinstance(deadline, dt.datetime) else deadline)
            if isinstance(deadline, (dt.date, dt.datetime))
            else str(deadline)
        )
        for needle in (_int_text(no), task, target, unit, owner, f"{_int_text(progress)}%", printed_deadline, note):
            if needle and not findable(str(needle), text):
                missing.append(needle)
    assert missing == []
    for needle in (
        "两城镇2026年第二季度重点工作目标完成情况",
        "两城镇人民政府",
        "发布日期：2026年7月10日",
        "进度截至：2026年7月10日",
        "监督电话：0537-1234567",
        "扫码查看网上公开版本",
        SAMPLE_URL,
        "初审：陈晓燕",
        "审核：李建国",
        "保密审查：赵敏",
    ):
        assert findable(needle, text), needle


def test_sample_has_every_status_and_the_summary_strip(sample: Path):
    notice, sheets = laid_out(sample, SAMPLE)
    content = notice.content
    statuses = [content.status(t) for t in content.tasks]
    assert {DONE, GOING, LATE} <= set(statuses)
    counts = content.counts()
    texts = sheets[0].texts()
    # the strip: one tile per status with its count, the total and the mean
    expected_mean = sum(t.progress for t in content.tasks) / len(content.tasks)
    assert f"{len(content.tasks)}项" in texts
    for status in (DONE, GOING, LATE):
        label = texts.index(status)  # the first occurrence is the strip's tile label
        assert texts[label + 1] == f"{counts[status]}项"
    mean = texts[texts.index("平均进度") + 1]
    assert Decimal(mean.rstrip("%")) == expected_mean.quantize(Decimal("0.1"))
    # the strip sits above the table
    strip_y = next(i.y for i in sheets[0].items if isinstance(i, TextItem) and i.text == "平均进度")
    caption_y = next(i.y for i in sheets[0].items if isinstance(i, TextItem) and i.text.startswith("各项重点工作"))
    assert strip_y > caption_y


def test_late_status_is_bold_and_every_row_prints_its_status(sample: Path):
    notice, sheets = laid_out(sample, SAMPLE)
    items = [i for i in sheets[0].items if isinstance(i, TextItem)]
    strip_bottom = next(i.y for i in items if i.text.startswith("各项重点工作"))
    table_statuses = [i for i in items if i.text in (DONE, GOING, LATE) and i.y < strip_bottom]
    assert [i.text for i in sorted(table_statuses, key=lambda i: -i.y)] == [
        notice.content.status(t) for t in notice.content.tasks
    ]
    assert all(i.bold == (i.text == LATE) for i in table_statuses)
    # only the status and the percentage: the task's own text stays regular
    late = next(t for t in notice.content.tasks if notice.content.status(t) == LATE)
    assert next(i for i in items if i.text == late.progress_label and i.y < strip_bottom).bold
    assert not any(i.bold for i in items if i.text == late.text("owner"))


def test_bars_are_drawn_to_scale(sample: Path):
    notice, sheets = laid_out(sample, SAMPLE)
    bars = table_bars(sheets[0].items)
    expected = [float(t.progress) / 100 for t in notice.content.tasks]
    assert [round(fraction, 6) for _, fraction in bars] == pytest.approx(expected, abs=1e-6)
    # every percentage prints right of its bar, never over it
    texts = [i for i in sheets[0].items if isinstance(i, TextItem)]
    for (track, _), task in zip(bars, notice.content.tasks):
        label = next(i for i in texts if i.text == task.progress_label and abs(i.y - track.y) < track.h * 1.5)
        assert label.x >= track.x + track.w


# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    "progress, deadline, status",
    [
        (Decimal(100), dt.date(2026, 6, 30), DONE),  # done beats late
        (Decimal(100), dt.date(2026, 12, 31), DONE),
        (Decimal("99.9"), dt.date(2026, 7, 9), LATE),  # the day before the notice date
        (Decimal("99.9"), dt.date(2026, 7, 10), GOING),  # boundary: due on the notice date is not late
        (Decimal(0), dt.date(2026, 7, 11), GOING),
        (Decimal(0), None, GOING),  # 长期: never late
    ],
)
def test_status_is_derived(progress, deadline, status):
    assert status_of(progress, deadline, dt.date(2026, 7, 10)) == status


@pytest.mark.parametrize(
    "text, date, label",
    [
        ("2026-06-30", dt.date(2026, 6, 30), "2026年6月30日"),
        ("2026/6/30", dt.date(2026, 6, 30), "2026年6月30日"),
        ("2026年6月30日", dt.date(2026, 6, 30), "2026年6月30日"),
        ("2026.6.30", dt.date(2026, 6, 30), "2026年6月30日"),
        ("２０２６－０６－３０", dt.date(2026, 6, 30), "2026年6月30日"),
        ("2026-06-30 00:00:00", dt.date(2026, 6, 30), "2026年6月30日"),
        ("2026年6月", dt.date(2026, 6, 30), "2026年6月"),
        ("2026-06", dt.date(2026, 6, 30), "2026年6月"),
        ("2026年2月底", dt.date(2026, 2, 28), "2026年2月底"),
        ("2028-02", dt.date(2028, 2, 29), "2028年2月"),
        ("2026年底", dt.date(2026, 12, 31), "2026年底"),
        ("长期", None, "长期"),
    ],
)
def test_deadline_forms(text, date, label):
    assert parse_deadline(text) == Deadline(date, label)


def test_spreadsheet_day_number_is_a_date_only_in_spreadsheets():
    assert parse_deadline("46203", spreadsheet=True) == Deadline(dt.date(2026, 6, 30), "2026年6月30日")
    assert isinstance(parse_deadline("46203"), str)


@pytest.mark.parametrize("text", ["下个月", "2026-13", "2026-02-30", "6月底", "2026-6/30", "ASAP"])
def test_bad_deadlines_are_reasons(text):
    assert isinstance(parse_deadline(text), str)


@pytest.mark.parametrize(
    "text, value", [("85", 85), ("85%", 85), ("85.5％", Decimal("85.5")), (" 0 ", 0), ("100", 100)]
)
def test_progress_forms(text, value):
    assert parse_progress(text)[0] == Decimal(value)


@pytest.mark.parametrize("text", ["过半", "85%%", "8 5x", "", "百分之五十"])
def test_progress_non_numbers(text):
    assert parse_progress(text) is None


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "progress, phrase",
    [
        ("过半", "进度应当是0到100之间的数字"),
        ("120%", "进度应在0到100之间"),
        ("-5", "进度应在0到100之间"),
        ("", "进度是空的"),
    ],
)
def test_bad_progress_is_an_error_at_its_cell(tmp_path: Path, progress: str, phrase: str):
    workspace(
        tmp_path,
        f"1,修缮村道,交通城建办,赵永刚,3公里,50,2026-09-30,\n2,改造户厕,农业农村办,刘春梅,200户,{progress},2026-09-30,\n",
    )
    out = outcome(run("check", "-w", tmp_path), 1)
    line_at(out, f"{CSV}:3:F: 错误: ", phrase)
    outcome(run("build", "-w", tmp_path), 1)
    assert not (tmp_path / "out" / "print" / "t-tasks.pdf").exists()


@pytest.mark.parametrize(
    "deadline, phrase",
    [
        ("下个月", "完成时限「下个月」无法识别"),
        ("2026-02-30", "不是有效日期"),
        ("", "完成时限是空的"),
    ],
)
def test_bad_deadline_is_an_error_at_its_cell(tmp_path: Path, deadline: str, phrase: str):
    workspace(tmp_path, f"1,修缮村道,交通城建办,赵永刚,3公里,50,{deadline},\n")
    out = outcome(run("check", "-w", tmp_path), 1)
    line_at(out, f"{CSV}:2:G: 错误: ", phrase)


def test_empty_task_name_is_an_error(tmp_path: Path):
    workspace(tmp_path, "1,,交通城建办,赵永刚,3公里,50,2026-09-30,\n")
    out = outcome(run("check", "-w", tmp_path), 1)
    line_at(out, f"{CSV}:2:B: 错误: ", "任务名称是空的")


def test_missing_progress_column(tmp_path: Path):
    workspace(tmp_path, "1,修缮村道,交通城建办,2026-09-30\n", header="序号,任务,责任单位,完成时限\n")
    out = outcome(run("check", "-w", tmp_path), 1)
    line_at(out, f"{CSV}:1:A: 错误: ", "缺少「进度」列")


def test_done_in_note_below_100_is_a_warning(tmp_path: Path):
    workspace(
        tmp_path,
        "1,修缮村道,交通城建办,赵永刚,3公里,80,2026-09-30,已完成\n"
        "2,改造户厕,农业农村办,刘春梅,200户,100,2026-06-30,已完成\n"
        "3,清理河道,水利站,周国栋,9公里,60,2026-09-30,完成\n",
    )
    out = outcome(run("check", "-w", tmp_path), 0)
    line_at(out, f"{CSV}:2:H: 警告: ", "备注写着已完成", "80%")
    line_at(out, f"{CSV}:4:H: 警告: ", "60%")
    assert f"{CSV}:3:H" not in out
    outcome(run("build", "-w", tmp_path, "--draft"), 0)


@pytest.mark.parametrize(
    "note", ["未完成", "尚未完成验收", "已完成3个村，剩余2个村", "预计8月底完成", "力争年底前全部完成", "已完成投资60%"]
)
def test_partial_or_pending_notes_are_not_warned(tmp_path: Path, note: str):
    workspace(tmp_path, f"1,修缮村道,交通城建办,赵永刚,3公里,80,2026-09-30,{note}\n")
    out = outcome(run("check", "-w", tmp_path), 0)
    assert "警告" not in out.replace("0 个警告", ""), out


def test_xlsx_cells_are_located_with_sheet_and_address(tmp_path: Path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务表"
    sheet.append(["重点工作表"])
    sheet.append(["序号", "任务", "责任单位", "进度", "完成时限"])
    sheet.append([1, "修缮村道", "交通城建办", 50, dt.datetime(2026, 9, 30)])
    sheet.append([2, "改造户厕", "农业农村办", "大半", "不久"])
    make_workspace(tmp_path, {"notices/t-tasks.yaml": tasks_yaml(data="t-tasks.xlsx")})
    book.save(tmp_path / "notices" / "t-tasks.xlsx")
    out = outcome(run("check", "-w", tmp_path), 1)
    line_at(out, "notices/t-tasks.xlsx[任务表]!D4: 错误: ", "「大半」")
    line_at(out, "notices/t-tasks.xlsx[任务表]!E4: 错误: ", "「不久」")


def test_spreadsheet_dates_and_percent_cells(tmp_path: Path):
    """Real date cells, and cells formatted as 85% (which Excel stores as 0.85)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["task", "unit", "progress", "deadline"])  # the English aliases
    sheet.append(["修缮村道", "交通城建办", 0.85, dt.datetime(2026, 6, 30)])
    sheet.append(["改造户厕", "农业农村办", 1, dt.datetime(2026, 7, 9)])
    sheet.append(["清理河道", "水利站", 0.4, dt.datetime(2026, 7, 9)])
    for row in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].number_format = "0%"
    make_workspace(tmp_path, {"notices/t-tasks.yaml": tasks_yaml(data="t-tasks.xlsx")})
    book.save(tmp_path / "notices" / "t-tasks.xlsx")
    out = outcome(run("check", "-w", tmp_path), 0)
    line_at(out, "notices/t-tasks.xlsx[Sheet]!C1: 警告: 「progress」列的数都不大于1，按百分比格式读取")
    notice, sheets = laid_out(tmp_path)
    tasks = notice.content.tasks
    assert [t.progress_label for t in tasks] == ["85%", "100%", "40%"]
    assert [t.deadline.label for t in tasks] == ["2026年6月30日", "2026年7月9日", "2026年7月9日"]
    assert [notice.content.status(t) for t in tasks] == [LATE, DONE, LATE]
    assert [round(f, 6) for _, f in table_bars(sheets[0].items)] == [0.85, 1.0, 0.4]


PERCENT_NOTE = "「进度」列的数都不大于1，按百分比格式读取：1 即 100%，0.85 即 85%。如不是这样，请把进度写成 0–100 的数"


@pytest.mark.parametrize(
    "values, labels, warned",
    [
        ([1, 0, 1], ["100%", "0%", "100%"], True),  # cells formatted 100%, 0%, 100%: not 1%
        ([1, "60%", 0.5], ["100%", "60%", "50%"], True),  # a text cell with its % sign is as written
        ([1, 50], ["1%", "50%"], False),  # a number above 1: the column is in percent
        ([0, 0], ["0%", "0%"], False),  # nothing to reinterpret, nothing to say
    ],
)
def test_spreadsheet_progress_of_fractions(tmp_path: Path, values: list, labels: list[str], warned: bool):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务表"
    sheet.append(["序号", "任务", "责任单位", "进度", "完成时限"])
    for number, value in enumerate(values, start=1):
        sheet.append([number, f"第{number}项任务", "党政办", value, dt.datetime(2026, 6, 30)])
        if not isinstance(value, str):
            sheet.cell(number + 1, 4).number_format = "0%"
    make_workspace(tmp_path, {"notices/t-tasks.yaml": tasks_yaml(data="t-tasks.xlsx")})
    book.save(tmp_path / "notices" / "t-tasks.xlsx")
    out = outcome(run("check", "-w", tmp_path), 0)
    if warned:
        line_at(out, f"notices/t-tasks.xlsx[任务表]!D1: 警告: {PERCENT_NOTE}")
    else:
        assert "百分比格式" not in out, out
    notice, sheets = laid_out(tmp_path)
    assert [t.progress_label for t in notice.content.tasks] == labels
    bars = [round(f, 6) for _, f in table_bars(sheets[0].items)]
    assert bars == [float(label.rstrip("%")) / 100 for label in labels]
    if labels[0] == "100%":
        assert notice.content.status(notice.content.tasks[0]) == DONE  # not "1% 滞后"


def test_csv_progress_is_read_as_written(tmp_path: Path):
    """CSV is text: a 1 there means 1%, however small every number of the column is."""
    workspace(
        tmp_path,
        "1,修缮村道,交通城建办,赵永刚,3公里,1,2026-09-30,\n2,改造户厕,农业农村办,刘春梅,200户,0,2026-09-30,\n"
        "3,清理河道,水利站,周国栋,9公里,0.5,2026-09-30,\n",
    )
    out = outcome(run("check", "-w", tmp_path), 0)
    assert "百分比格式" not in out, out
    notice, _ = laid_out(tmp_path)
    assert [t.progress_label for t in notice.content.tasks] == ["1%", "0%", "0.5%"]


def test_month_deadline_on_the_notice_date_is_not_late(tmp_path: Path):
    workspace(
        tmp_path,
        "1,修缮村道,交通城建办,赵永刚,3公里,50,2026年6月,\n2,改造户厕,农业农村办,刘春梅,200户,50,2026-06,\n",
        date="2026-06-30",
    )
    notice, _ = laid_out(tmp_path)
    assert [notice.content.status(t) for t in notice.content.tasks] == [GOING, GOING]
    workspace(tmp_path, "1,修缮村道,交通城建办,赵永刚,3公里,50,2026年6月,\n", date="2026-07-01")
    notice, _ = laid_out(tmp_path)
    assert notice.content.status(notice.content.tasks[0]) == LATE


def test_markup_in_a_task_prints_as_written(tmp_path: Path):
    workspace(tmp_path, '1,"<b>修缮</b> & ""村道""",交通城建办,赵永刚,3公里,50,2026-09-30,\n')
    outcome(run("build", "-w", tmp_path, "--draft"), 0)
    assert findable('<b>修缮</b> & "村道"', pdf_text(tmp_path / "out" / "print" / "t-tasks.pdf"))


# --------------------------------------------------------------------------- column widths


def assert_names_whole(sheet, owner: str) -> None:
    """The list prints on several lines, each starting with a whole name (never 刘春/梅)."""
    names = re.findall(r"[^、]+、?", owner)
    lines = sorted(
        (i for i in table_texts(sheet) if i.text in owner and any(i.text.startswith(n) for n in names)),
        key=lambda i: -i.y,
    )
    assert "".join(i.text for i in lines) == owner
    assert len(lines) > 1


def assert_short_cells_whole(sheet, tasks: list, content) -> None:
    """Every status and percentage of ``tasks`` and the 序号 header print whole, on one line."""
    xs = column_rules(sheet.items)
    texts = table_texts(sheet)

    def column(label: str) -> list[str]:
        header = next(i for i in texts if i.text == label)
        index = max(n for n, x in enumerate(xs) if x <= header.x)
        return [
            i.text for i in sorted(texts, key=lambda i: -i.y) if xs[index] <= i.x < xs[index + 1] and i is not header
        ]

    assert column("状态") == [content.status(t) for t in tasks]
    assert column("完成进度") == [t.progress_label for t in tasks]
    assert column("序号") == [t.no for t in tasks]


def test_owner_lists_wrap_and_the_sample_stays_one_a4_sheet(tmp_path: Path):
    """责任人 lists wrap between names instead of taking the width from 目标 (the sample took two
    A4 sheets with them, twelve long tasks four)."""
    owners = ["欧阳建华、司马春梅、诸葛三丰"] + ["孙立强、赵永刚", "周国栋、吴敏、郑海涛", "冯磊"] * 4
    root = desk_a4(sample_on_a4(tmp_path / "town", owners))
    notice, sheets = laid_out(root, SAMPLE)
    assert len(sheets) == 1
    assert_short_cells_whole(sheets[0], notice.content.tasks, notice.content)
    assert_names_whole(sheets[0], owners[0])
    widths = column_widths(sheets[0].items)
    labels = ["序号", "重点任务", "目标", "责任单位", "责任人", "完成时限", "完成进度", "状态", "备注"]
    assert len(widths) == len(labels)
    width = dict(zip(labels, widths))
    assert width["目标"] > width["责任人"] and width["目标"] >= max(width[k] for k in ("重点任务", "责任单位", "备注"))


def test_long_targets_get_the_width(tmp_path: Path):
    target = (
        "完成28个村生活垃圾分类设施配置，改造户厕1200户，新建污水处理站3座，"
        "村庄绿化美化覆盖率达到90%以上，群众满意度不低于95%，"
    )
    rows = "".join(
        f"{n},农村人居环境整治提升行动第{n}项,农业农村办、生态环境分局、各村,王建华、刘春梅、"
        f"张三丰,{target * 2},60%,2026-06-30,{'受连续降雨影响，渠系施工延后，' * 2}\n"
        for n in range(1, 13)
    )
    desk_a4(workspace(tmp_path, rows))
    _, sheets = laid_out(tmp_path)
    assert len(sheets) <= 3  # it was four, with 目标 squeezed as narrow as 责任人
    shown = 0
    for sheet in sheets:
        texts = [i.text for i in table_texts(sheet)]
        assert all(t == LATE for t in texts if "滞" in t) and texts.count(LATE) == texts.count("60%")
        shown += texts.count(LATE)
        widths = column_widths(sheet.items)
        assert widths[2] == max(widths)  # 目标
    assert shown == 12


def test_a_short_table_is_set_smaller_rather_than_squeezed(tmp_path: Path):
    """Three tasks fit one A4 sheet at 11 pt only with columns of four characters, names broken
    and 已完/成: they are set at the largest size where every text column keeps six."""
    owner = "欧阳建华、司马春梅、诸葛三丰、上官四、东方五"
    workspace(
        tmp_path,
        f"1,乡村振兴示范片区建设,乡村振兴办、农业农村办,{owner},建成小庄、河东、前洼3个村示范片区，完成村庄绿化美化和产业路配套,100,2026-06-30,已通过县级验收\n"
        "2,农村道路硬化,交通城建办,赵永刚,硬化村内主干道路15.6公里，完善错车道和安全设施,72.5%,2026-11-30,受连续降雨影响，渠系施工延后，计划8月底前完成\n"
        "3,高标准农田建设,农业农村办,王建华,新建高标准农田8000亩，配套灌溉渠系12公里,45,2026-06-30,\n",
    )
    desk_a4(tmp_path)
    notice, sheets = laid_out(tmp_path)
    assert len(sheets) == 1 and 8 <= sheets[0].body_size < 11
    assert_short_cells_whole(sheets[0], notice.content.tasks, notice.content)
    assert_names_whole(sheets[0], owner)
    size = sheets[0].body_size
    widths = column_widths(sheets[0].items)
    assert all(w >= 6 * size for w in widths[1:5] + widths[-1:])  # the text columns: six characters and more


# --------------------------------------------------------------------------- long input


def test_forty_tasks_continue_over_sheets_and_lose_nothing(tmp_path: Path):
    units = ["党政办", "农业农村办", "交通城建办", "水利站", "经济发展办"]
    rows, expected = [], []
    for n in range(1, 41):
        progress = (n * 37) % 101
        deadline = f"2026-{(n % 12) + 1:02d}-{(n % 27) + 1:02d}"
        task = f"第{n}项重点工作任务名称示例"
        rows.append(
            f"{n},{task},{units[n % 5]},责任人{n},完成第{n}项年度目标任务并通过验收,{progress}%,{deadline},备注{n}\n"
        )
        expected.append((task, progress))
    workspace(tmp_path, "".join(rows), paper="A4")
    result = run("build", "-w", tmp_path)
    outcome(result, 0)
    pdf = tmp_path / "out" / "print" / "t-tasks.pdf"
    text = pdf_text(pdf)
    for task, _progress in expected:
        assert findable(task, text), task
    for n in range(1, 41):
        assert findable(f"完成第{n}项年度目标任务并通过验收", text) and findable(f"备注{n}", text)
    _, sheets = laid_out(tmp_path)
    total = len(sheets)
    assert total >= 2 and len(pdf_pages(pdf)) == total
    # every task has exactly one bar, to scale, in input order across the sheets
    bars = [fraction for sheet in sheets for _, fraction in table_bars(sheet.items)]
    assert [round(f, 6) for f in bars] == pytest.approx([p / 100 for _, p in expected], abs=1e-6)
    document = pdfium.PdfDocument(str(pdf))
    try:
        for index, page in enumerate(document, start=1):
            page_text = "".join(page.get_textpage().get_text_range().split())
            assert f"第{index}张/共{total}张" in page_text
            assert "重点任务" in page_text and "完成进度" in page_text  # header repeated
            assert ("（续表）" in page_text) == (index > 1)
            assert decode_qr(render_page(pdf, index - 1, dpi=150)) == ["https://gk.example.gov.cn/test/t-tasks/"]
    finally:
        document.close()
    # the summary counts all forty, once, on the first sheet
    assert "40项" in sheets[0].texts() and all("40项" not in s.texts() for s in sheets[1:])
