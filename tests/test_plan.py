"""`noticeboard plan`: the calendar, the statuses of the sample town, the boards and out/plan/."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import run
from PIL import Image

from noticeboard.load.workspace import load_workspace
from noticeboard.models import Board, CatalogueEntry, Event, Period, Settings
from noticeboard.problems import Where
from noticeboard.schedule import plan

D = dt.date.fromisoformat
HERE = Where("noticeboard.yaml", 1)


def entry(id: str, frequency: str, **extra) -> CatalogueEntry:
    return CatalogueEntry(id=id, title=f"{id}标题", frequency=frequency, where=HERE, owner="办", board="b", **extra)


def item(catalogue: str, date: str, period: Period | None = None, id: str | None = None, end: str | None = None):
    return plan.Item(id or f"{catalogue}-{date}", catalogue, period, D(date), D(end) if end else None)


def statuses(settings: Settings, items, on: str, **kw) -> list[tuple]:
    return [
        (r.entry, r.period, r.status, r.due.isoformat() if r.due else None, r.days_late, r.days_left)
        for r in plan.compute(settings, items, D(on), **kw).rows
    ]


# ---------------------------------------------------------------- calendar table


@pytest.mark.parametrize(
    "frequency, period, due_days, due",
    [
        ("quarterly", Period(2026, quarter=1), 20, "2026-04-20"),  # quarter boundary: Q1 ends 31 March
        ("quarterly", Period(2026, quarter=4), 20, "2027-01-20"),  # year boundary
        ("quarterly", Period(2024, quarter=1), 0, "2024-03-31"),
        ("monthly", Period(2024, month=2), 10, "2024-03-10"),  # leap year: February has 29 days
        ("monthly", Period(2024, month=2), 0, "2024-02-29"),
        ("monthly", Period(2026, month=2), 0, "2026-02-28"),
        ("monthly", Period(2026, month=12), None, "2027-01-20"),  # default 20 days
        ("quarterly", Period(2026, quarter=2), None, "2026-07-20"),
        ("annual", Period(2025), None, "2026-01-30"),  # default 30 days
        ("annual", Period(2024), 0, "2024-12-31"),
    ],
)
def test_calendar_due_dates(frequency, period, due_days, due):
    assert plan.due_date(entry("x", frequency, due_days=due_days), period) == D(due)


def test_period_lists_per_frequency():
    assert [str(p) for p in plan.periods("annual", 2025, 2026)] == ["2025", "2026"]
    assert [str(p) for p in plan.periods("quarterly", 2026, 2026)] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert len(plan.periods("monthly", 2026, 2026)) == 12
    assert plan.periods("standing", 2026, 2026) == []


def test_due_on_a_weekend_is_still_due_that_day_and_same_day_is_on_time():
    # 2026-Q3 + 20 days = 2026-10-20 (Tue); 2026-Q1 + 18 days = 2026-04-18, a Saturday
    settings = Settings("noticeboard.yaml", catalogue=[entry("q", "quarterly", due_days=18)])
    assert D("2026-04-18").weekday() == 5
    on_time = [item("q", "2026-04-18", Period(2026, quarter=1))]
    assert statuses(settings, on_time, "2026-04-30") == [("q", "2026-Q1", "已公开", "2026-04-18", 0, None)]
    late = [item("q", "2026-04-20", Period(2026, quarter=1))]  # the Monday after: late, not moved
    assert statuses(settings, late, "2026-04-30") == [("q", "2026-Q1", "逾期公开", "2026-04-18", 2, None)]
    assert statuses(settings, [], "2026-04-19", first_year=2026) == [
        ("q", "2026-Q1", "逾期未公开", "2026-04-18", 1, None)
    ]
    assert statuses(settings, [], "2026-04-18", first_year=2026) == [("q", "2026-Q1", "待公开", "2026-04-18", 0, 0)]
    assert statuses(settings, [], "2026-04-04", first_year=2026) == [("q", "2026-Q1", "待公开", "2026-04-18", 0, 14)]
    assert statuses(settings, [], "2026-04-03", first_year=2026) == []  # due in 15 days: not yet on the list


def test_monthly_leap_february():
    settings = Settings("noticeboard.yaml", catalogue=[entry("m", "monthly", due_days=0)])
    rows = statuses(settings, [item("m", "2028-02-29", Period(2028, month=2))], "2028-03-01")
    assert rows == [
        ("m", "2028-01", "逾期未公开", "2028-01-31", 30, None),
        ("m", "2028-02", "已公开", "2028-02-29", 0, None),
    ]


def test_nothing_published_yet_looks_back_to_last_year():
    settings = Settings("noticeboard.yaml", catalogue=[entry("q", "quarterly")])
    assert [r[1] for r in statuses(settings, [], "2026-02-01")] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]


def test_annual_and_periods_start_at_the_earliest_year_but_not_before_last_year():
    settings = Settings("noticeboard.yaml", catalogue=[entry("a", "annual", due_days=30)])
    assert statuses(settings, [], "2027-03-01") == [("a", "2026", "逾期未公开", "2027-01-30", 30, None)]
    old = [item("a", "2020-01-10", Period(2019))]
    rows = statuses(settings, old, "2027-03-01")
    assert [r[1] for r in rows] == ["2026"]  # 2020–2025 are out of the window (one year back)


def test_event_lead_time():
    settings = Settings(
        "noticeboard.yaml",
        events=[Event("election-2026", "换届选举", D("2026-03-18"), HERE)],
        catalogue=[entry("e", "on-event", event="election-2026", lead_days=20)],
    )
    assert statuses(settings, [], "2026-02-11") == []
    assert statuses(settings, [], "2026-02-12") == [("e", "election-2026", "待公开", "2026-02-26", 0, 14)]
    assert statuses(settings, [], "2026-03-01") == [("e", "election-2026", "逾期未公开", "2026-02-26", 3, None)]
    assert statuses(settings, [item("e", "2026-02-26")], "2026-03-01") == [
        ("e", "election-2026", "已公开", "2026-02-26", 0, None)
    ]
    assert statuses(settings, [item("e", "2026-03-02")], "2026-03-05") == [
        ("e", "election-2026", "逾期公开", "2026-02-26", 4, None)
    ]


def test_standing_review():
    settings = Settings("noticeboard.yaml", catalogue=[entry("s", "standing", review_days=180), entry("d", "standing")])
    items = [item("s", "2026-01-01"), item("d", "2026-01-01")]
    # s: review due 2026-06-30; d: default 365 days -> 2027-01-01
    assert statuses(settings, items, "2026-07-10") == [
        ("s", "常设", "需复核", "2026-06-30", 10, None),
        ("d", "常设", "已公开", "2027-01-01", 0, None),
    ]
    assert statuses(settings, [], "2026-07-10")[0][2] == "逾期未公开"  # never put up at all


def test_result_of_chain():
    settings = Settings(
        "noticeboard.yaml",
        catalogue=[
            entry("apply", "quarterly", due_days=20),
            entry("result", "quarterly", result_of="apply", result_days=15),
        ],
    )
    items = [
        item("apply", "2026-04-05", Period(2026, quarter=1), "a1"),
        item("apply", "2026-07-05", Period(2026, quarter=2), "a2"),
        item("result", "2026-04-15", Period(2026, quarter=1), "r1"),
    ]
    rows = plan.compute(settings, items, D("2026-07-25")).rows
    results = [(r.period, r.status, r.due.isoformat(), r.days_late, r.notice) for r in rows if r.entry == "result"]
    assert results == [("2026-Q2", "缺结果公开", "2026-07-20", 5, None), ("2026-Q1", "已公开", "2026-04-20", 0, "r1")]
    assert plan.compute(settings, items, D("2026-07-10")).alerts == []  # Q2's result not yet due (待公开)


def test_display_period():
    settings = Settings("noticeboard.yaml", catalogue=[entry("q", "quarterly")])
    items = [item("q", "2026-04-10", Period(2026, quarter=1), end="2026-04-19")]
    assert plan.compute(settings, items, D("2026-04-19")).rows[0].display == "公示中"
    assert plan.compute(settings, items, D("2026-04-20")).rows[0].display == "已结束"


def test_notice_dated_after_on_is_not_yet_published():
    settings = Settings("noticeboard.yaml", catalogue=[entry("q", "quarterly")])
    items = [item("q", "2026-04-10", Period(2026, quarter=1))]
    assert statuses(settings, items, "2026-04-09", first_year=2026) == [("q", "2026-Q1", "待公开", "2026-04-20", 0, 11)]


# ---------------------------------------------------------------- the sample town


def rows_of(workspace: Path, on: str, *extra: str):
    result = run("plan", "-w", workspace, "--on", on, "--format", "json", *extra)
    data = json.loads(result.output)
    return (
        result,
        data,
        [
            (r["entry"], r["period"], r["status"], r["due"], r["published"], r["days_late"], r["display"])
            for r in data["rows"]
        ],
    )


def test_town_on_2026_07_31(town):
    result, data, rows = rows_of(town, "2026-07-31")
    assert result.exit_code == 1
    assert data["source"] == "notices" and data["on"] == "2026-07-31" and data["exit_code"] == 1
    assert rows == [
        ("tasks", "2026-Q1", "逾期未公开", "2026-04-20", None, 102, None),
        ("dibao", "2026-Q1", "逾期未公开", "2026-04-20", None, 102, None),
        ("village-finance", "2026-04", "逾期未公开", "2026-05-15", None, 77, None),
        ("village-finance", "2026-05", "逾期未公开", "2026-06-15", None, 46, None),
        ("village-finance", "2026-06", "逾期未公开", "2026-07-15", None, 16, None),
        ("finance", "2026-Q1", "已公开", "2026-04-20", "2026-04-12", 0, "已结束"),
        ("finance", "2026-Q2", "已公开", "2026-07-20", "2026-07-10", 0, "已结束"),
        ("org", "常设", "已公开", "2026-09-28", "2026-04-01", 0, None),
        ("guides", "常设", "已公开", "2027-03-02", "2026-03-02", 0, None),
        ("tasks", "2026-Q2", "已公开", "2026-07-20", "2026-07-10", 0, "已结束"),
        ("announcements", "election-2026", "已公开", "2026-02-26", "2026-02-20", 0, "已结束"),
        ("letters", "election-2026", "已公开", "2026-02-26", "2026-02-20", 0, None),
        ("voter-list", "election-2026", "已公开", "2026-02-26", "2026-02-20", 0, "已结束"),
        ("dibao", "2026-Q2", "已公开", "2026-07-20", "2026-04-08", 0, "已结束"),
        ("village-finance", "2026-01", "已公开", "2026-02-15", "2026-02-05", 0, "已结束"),
        ("village-finance", "2026-02", "已公开", "2026-03-15", "2026-03-05", 0, "已结束"),
        ("village-finance", "2026-03", "已公开", "2026-04-15", "2026-04-07", 0, "已结束"),
        ("village-projects", "2026", "已公开", "2027-01-30", "2026-04-07", 0, "已结束"),
        ("village-assets", "2026", "已公开", "2027-01-30", "2026-04-07", 0, "已结束"),
    ]


def test_town_on_2026_03_01(town):
    result, _data, rows = rows_of(town, "2026-03-01")
    assert result.exit_code == 1  # 机构设置 (standing) is not up at all
    assert rows == [
        ("org", "常设", "逾期未公开", None, None, 0, None),
        ("guides", "常设", "逾期未公开", None, None, 0, None),
        ("village-finance", "2026-02", "待公开", "2026-03-15", None, 0, None),
        ("announcements", "election-2026", "已公开", "2026-02-26", "2026-02-20", 0, "公示中"),
        ("letters", "election-2026", "已公开", "2026-02-26", "2026-02-20", 0, None),
        ("voter-list", "election-2026", "已公开", "2026-02-26", "2026-02-20", 0, "公示中"),
        ("village-finance", "2026-01", "已公开", "2026-02-15", "2026-02-05", 0, "已结束"),
    ]


def test_town_on_2026_04_10_nothing_overdue_exits_0(town):
    result, _, rows = rows_of(town, "2026-04-10")
    assert result.exit_code == 0
    assert [(r[0], r[2]) for r in rows] == [
        ("finance", "待公开"),
        ("tasks", "待公开"),
        ("dibao", "待公开"),
        ("org", "已公开"),
        ("guides", "已公开"),
        ("announcements", "已公开"),
        ("letters", "已公开"),
        ("voter-list", "已公开"),
        ("dibao", "已公开"),
        ("village-finance", "已公开"),
        ("village-finance", "已公开"),
        ("village-finance", "已公开"),
        ("village-projects", "已公开"),
        ("village-assets", "已公开"),
    ]


def test_json_shape(town):
    _, data, _ = rows_of(town, "2026-07-31")
    assert set(data) == {"on", "source", "exit_code", "rows", "boards", "problems", "year", "timelines"}
    assert set(data["rows"][0]) == {
        "entry",
        "title",
        "period",
        "period_label",
        "status",
        "due",
        "owner",
        "board",
        "published",
        "notice",
        "days_late",
        "days_left",
        "display",
    }
    assert data["rows"][0]["owner"] == "党政办" and data["rows"][0]["board"] == "courtyard"
    assert [b["id"] for b in data["boards"]] == ["courtyard", "village"]
    assert data["problems"] == [] and data["year"] is None
    assert data["timelines"] == []  # the election (18 March) is long past on 31 July


def test_text_table_grouped_worst_first_and_aligned(town):
    result = run("plan", "-w", town, "--on", "2026-07-31")
    assert result.exit_code == 1
    out = result.output
    assert "\x1b[" not in out  # no colour when not a terminal
    assert out.index("逾期未公开（5）") < out.index("已公开（14）")
    lines = [line for line in out.splitlines() if line.startswith("  ")]
    positions = {plan_line_column(line) for line in lines}
    assert len(positions) == 1, lines  # the 应公开日 column starts at the same terminal column on every line
    assert "重点工作目标完成情况" in out and "超期102天" in out and "党政办" in out and "镇政府大院政务公开栏" in out
    assert "有 5 项逾期或需复核" in out


def plan_line_column(line: str) -> int:
    """Terminal column where the 应公开日 column (header or the row's first ISO date) starts."""
    import re
    import unicodedata

    match = re.search(r"应公开日|\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}", line)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[: match.start()])


def test_register_is_used_when_present(town):
    assert run("build", "-w", town).exit_code == 0
    _result, data, rows = rows_of(town, "2026-07-31")
    assert data["source"] == "register"
    assert [r[:3] for r in rows][:2] == [("tasks", "2026-Q1", "逾期未公开"), ("dibao", "2026-Q1", "逾期未公开")]
    (town / "notices" / "2026-org.yaml").unlink()  # the register still says it went up
    _, _, again = rows_of(town, "2026-07-31")
    assert ("org", "常设", "已公开") in [r[:3] for r in again]


def test_year_figures(town):
    result = run("plan", "-w", town, "--on", "2026-07-31", "--year", "2026")
    assert result.exit_code == 1
    lines = {line.split()[0]: line.split()[1:] for line in result.output.splitlines() if line.startswith("  ")}
    assert lines["财政收支情况"] == ["2", "2", "100%", "0"]
    assert lines["重点工作目标完成情况"] == ["1", "2", "50%", "0"]
    assert lines["村级财务收支公开"] == ["3", "6", "50%", "0"]
    assert lines["便民服务中心办事指南"] == ["1", "1", "100%", "0"]  # standing: one due, however many guides
    assert lines["合计"] == ["14", "19", "74%", "0"]
    _, data, _ = rows_of(town, "2026-07-31", "--year", "2026")
    overall = data["year"][-1]
    assert overall == {
        "entry": "",
        "title": "合计",
        "published": 14,
        "due": 19,
        "late": 0,
        "on_time_rate": pytest.approx(14 / 19),
    }


def test_late_publication_counts_in_year_figures():
    settings = Settings("noticeboard.yaml", catalogue=[entry("q", "quarterly", due_days=20)])
    items = [item("q", "2026-04-25", Period(2026, quarter=1))]
    lines = plan.year_figures(settings, items, 2026, D("2026-07-31"))
    assert (lines[0].published, lines[0].due, lines[0].late, lines[0].on_time_rate) == (1, 2, 1, 0.0)


def test_bad_date_is_a_usage_error(town):
    result = run("plan", "-w", town, "--on", "31/07/2026")
    assert (
        result.exit_code == 2 and "「on」不是有效日期：「31/07/2026」。请写成 2026-04-12 这样的格式。" in result.output
    )


def test_a_date_that_does_not_exist_says_so(town):
    result = run("plan", "-w", town, "--on", "2026-02-30")
    assert (
        result.exit_code == 2
        and "「on」写的是「2026-02-30」，但 2026年2月没有30日。请写一个存在的日期。" in result.output
    )


def test_result_of_unknown_entry_is_located(town):
    settings = town / "noticeboard.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text + "  - id: dibao-result\n    title: 低保审批结果\n    frequency: quarterly\n"
        "    result_of: dibaoo\n    result_days: 30\n",
        encoding="utf-8",
    )
    line = len(text.splitlines()) + 4
    result = run("plan", "-w", town, "--on", "2026-07-31")
    assert result.exit_code == 1
    assert (
        f"noticeboard.yaml:{line}: 错误: 目录项「dibao-result」的 result_of「dibaoo」不在 catalogue 中。"
        in result.output
    )
    assert "noticeboard.yaml" in run("check", "-w", town).output


def test_result_of_in_the_town(town):
    settings = town / "noticeboard.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "  - id: dibao-result\n    title: 低保审批结果\n"
        "    frequency: quarterly\n    result_of: dibao\n    result_days: 30\n    owner: 民政办\n",
        encoding="utf-8",
    )
    _, _, rows = rows_of(town, "2026-07-31")
    assert ("dibao-result", "2026-Q2", "缺结果公开", "2026-05-08", None, 84, None) in rows


# ---------------------------------------------------------------- boards


def sheet(notice_id: str, paper: str, orientation: str = "portrait", catalogue: str = "x"):
    from noticeboard.models import Notice, Text

    return Notice(
        id=notice_id,
        kind="notice",
        title=Text(notice_id, HERE),
        file="f",
        path=Path("f"),
        where=HERE,
        issuer=Text("镇", HERE),
        date=D("2026-01-01"),
        paper=paper,
        orientation=orientation,
        catalogue=catalogue,
    )


def overlaps(a, b) -> bool:
    return not (
        a.x_mm + a.width_mm <= b.x_mm
        or b.x_mm + b.width_mm <= a.x_mm
        or a.y_mm + a.height_mm <= b.y_mm
        or b.y_mm + b.height_mm <= a.y_mm
    )


def test_placement_geometry():
    board = Board("b", "栏", 1500, 1400, HERE)
    entries = {"x": entry("x", "standing")}
    sheets = [sheet("a1", "A1"), sheet("a2l", "A2", "landscape"), sheet("a4", "A4"), sheet("a3", "A3")]
    placed = plan.place(board, sheets, entries)
    geometry = [(p.notice, p.x_mm, p.y_mm, p.width_mm, p.height_mm) for p in placed.placed]
    assert geometry == [
        ("a1", 20, 20, 594, 841),
        ("a2l", 634, 20, 594, 420),
        ("a4", 1248, 20, 210, 297),
        ("a3", 20, 881, 297, 420),
    ]  # a new row 20 mm below the tallest sheet of the first
    assert placed.fits and placed.needed_height_mm == 1321
    for a in placed.placed:
        assert a.x_mm >= 20 and a.y_mm >= 20 and a.x_mm + a.width_mm <= 1480 and a.y_mm + a.height_mm <= 1380
        for b in placed.placed:
            if a is not b:
                assert not overlaps(a, b)
    assert placed.placed[1].x_mm - (placed.placed[0].x_mm + placed.placed[0].width_mm) == 20


def test_does_not_fit():
    board = Board("b", "小栏", 1000, 900, HERE)
    entries = {"x": entry("x", "standing")}
    placed = plan.place(board, [sheet("a1", "A1"), sheet("a2", "A2"), sheet("a0", "A0")], entries)
    assert [p.notice for p in placed.placed] == ["a1"]
    assert [p.notice for p in placed.overflow] == ["a2", "a0"]
    message = plan.overflow_message(placed)
    assert message.startswith(
        "公开栏「小栏」（1000×900 毫米）放不下：a2（A2竖版 420×594 毫米）、a0（A0竖版 841×1189 毫米）。"
    )
    assert "全部贴上需要 1000×2704 毫米" in message


def test_town_board_overflow_is_an_error(town):
    settings = town / "noticeboard.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("width_mm: 3000, height_mm: 1200", "width_mm: 1400, height_mm: 900"), encoding="utf-8"
    )
    result = run("plan", "-w", town, "--on", "2026-04-10")
    assert result.exit_code == 1  # nothing overdue, but a board overflows
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "id: courtyard" in row)
    assert (
        # the Q1 finance prints two A2 sheets, side by side: the organisation chart no longer fits either
        f"noticeboard.yaml:{line}: 错误: 公开栏「镇政府大院政务公开栏」（1400×900 毫米）放不下："
        "2026-org（A1竖版 594×841 毫米）、2026q2-tasks" in result.output
    )
    html = (town / "out" / "plan" / "index.html").read_text(encoding="utf-8")
    assert "放不下" in html


def test_town_boards_and_outputs(town):
    assert run("build", "-w", town).exit_code == 0
    _result, data, _ = rows_of(town, "2026-07-31")
    courtyard = data["boards"][0]
    assert [
        (p["notice"], p["sheet"], p["sheets"], p["paper"], p["x_mm"], p["y_mm"], p["width_mm"], p["height_mm"])
        for p in courtyard["placed"]
    ] == [  # the finance prints five A4 sheets (at the 12 pt board floor): five places, side by side
        ("2026q2-finance", 1, 5, "A4", 20, 20, 210, 297),
        ("2026q2-finance", 2, 5, "A4", 250, 20, 210, 297),
        ("2026q2-finance", 3, 5, "A4", 480, 20, 210, 297),
        ("2026q2-finance", 4, 5, "A4", 710, 20, 210, 297),
        ("2026q2-finance", 5, 5, "A4", 940, 20, 210, 297),
        ("2026-org", 1, 1, "A1", 1170, 20, 594, 841),
        ("2026q2-tasks", 1, 1, "A1", 1784, 20, 594, 841),
    ]
    village = data["boards"][1]
    assert [p["notice"] for p in village["placed"]] == [
        "2026-election-notice",
        "2026-election-notice",
        "2026-voter-list",
        "2026-voter-list",
        "2026q2-dibao",
        "2026-03-village-finance",
        "2026-road-project",
        "2026-assets",
    ]
    for board in (courtyard, village):
        with Image.open(town / "out" / "plan" / f"{board['id']}.png") as image:
            assert abs(image.width / image.height - board["width_mm"] / board["height_mm"]) < 0.01
    html = (town / "out" / "plan" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="viewport"' in html and "<script" not in html
    assert 'src="courtyard.png"' in html and 'src="village.png"' in html
    assert "镇政府大院政务公开栏" in html and "小庄村村务公开栏" in html
    assert "逾期未公开（5）" in html and "重点工作目标完成情况" in html and "超期102天" in html
    assert "依据发布登记" in html
    assert "2026q2-finance 第2张/共5张" in html
    assert "公开栏「镇政府大院政务公开栏」：贴 7 张" in run("plan", "-w", town, "--on", "2026-07-31").output


def test_html_escapes_user_text(town):
    settings = town / "noticeboard.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("owner: 财政所", "owner: <b>财政所</b>"), encoding="utf-8"
    )
    run("plan", "-w", town, "--on", "2026-07-31")
    html = (town / "out" / "plan" / "index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;财政所&lt;/b&gt;" in html and "<b>财政所" not in html


def test_current_sheets_are_the_latest_up_by_the_date(town):
    loaded = load_workspace(town)
    settings = loaded.workspace.settings
    ids = [n.id for n in plan.current_sheets(settings, loaded.workspace.notices, D("2026-05-01"))]
    assert ids[0] == "2026q1-finance"
    ids = [n.id for n in plan.current_sheets(settings, loaded.workspace.notices, D("2026-07-31"))]
    assert ids[0] == "2026q2-finance"


def test_broken_settings_are_reported_not_a_traceback(town):
    settings = town / "noticeboard.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        .replace("width_mm: 3600, ", "")
        .replace("board: courtyard\n  - id: org", "board: nowhere\n  - id: org"),
        encoding="utf-8",
    )
    result = run("plan", "-w", town, "--on", "2026-04-10")
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "程序内部出错" not in result.output
    assert "目录项「finance」的公开栏「nowhere」不在 boards 中。" in result.output
    assert "宽度（毫米）" in result.output


def test_a_notice_of_several_sheets_takes_a_place_for_each():
    board = Board("b", "栏", 1500, 1400, HERE)
    entries = {"x": entry("x", "standing")}
    placed = plan.place(board, [sheet("f", "A4"), sheet("a3", "A3")], entries, sheet_counts={"f": 3})
    assert [(p.notice, p.sheet, p.sheets, p.x_mm, p.y_mm, p.width_mm, p.height_mm) for p in placed.placed] == [
        ("f", 1, 3, 20, 20, 210, 297),
        ("f", 2, 3, 250, 20, 210, 297),
        ("f", 3, 3, 480, 20, 210, 297),
        ("a3", 1, 1, 710, 20, 297, 420),
    ]
    assert [p.label for p in placed.placed] == ["f 第1张/共3张", "f 第2张/共3张", "f 第3张/共3张", "a3"]


def test_a_board_too_small_for_every_sheet_of_a_poster_does_not_fit():
    board = Board("b", "小栏", 700, 400, HERE)
    entries = {"x": entry("x", "standing")}
    one = plan.place(board, [sheet("f", "A4")], entries)
    assert one.fits  # counted as one sheet it would seem to fit
    three = plan.place(board, [sheet("f", "A4")], entries, sheet_counts={"f": 3})
    assert [p.label for p in three.placed] == ["f 第1张/共3张", "f 第2张/共3张"]
    assert [p.label for p in three.overflow] == ["f 第3张/共3张"]
    assert plan.overflow_message(three).startswith(
        "公开栏「小栏」（700×400 毫米）放不下：f 第3张/共3张（A4竖版 210×297 毫米）。"
    )
    assert "全部贴上需要 700×654 毫米" in plan.overflow_message(three)


def test_town_plan_counts_the_sheets_each_notice_prints(town):
    from noticeboard.commands import sheet_counts

    loaded = load_workspace(town)
    counts = sheet_counts(loaded, D("2026-07-31"))
    assert counts["2026q2-finance"] == 5 and counts["2026-election-notice"] == 2 and counts["2026-voter-list"] == 2
    assert counts["2026-org"] == 1 and "guide-insurance" not in counts  # the guides go on no board
    # 1500 mm held the finance as one A4 and both A1s; its five A4 sheets push both A1s off
    settings = town / "noticeboard.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("width_mm: 3000, height_mm: 1200", "width_mm: 1500, height_mm: 900"), encoding="utf-8"
    )
    result = run("plan", "-w", town, "--on", "2026-07-31")
    assert (
        "公开栏「镇政府大院政务公开栏」（1500×900 毫米）放不下："
        "2026-org（A1竖版 594×841 毫米）、2026q2-tasks（A1竖版 594×841 毫米）" in result.output
    )
    assert "公开栏「镇政府大院政务公开栏」：贴 5 张，放不下 2 张" in result.output
