"""The law's calendar: working days with 调休, legal minimum 公示期, the election timeline, 督查 exports."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from conftest import pdf_text, run
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from noticeboard.models import CatalogueEntry, Period, Settings
from noticeboard.problems import Where
from noticeboard.schedule import plan, workdays

D = dt.date.fromisoformat


@pytest.fixture(autouse=True)
def calendar_ends_with_2026(monkeypatch):
    """The tests treat 2027 as not yet announced, whatever chinese-calendar a later install knows."""
    assert workdays.LAST_YEAR >= 2026  # chinese-calendar >= 1.11
    monkeypatch.setattr(workdays, "LAST_YEAR", 2026)


# ---------------------------------------------------------------- the official calendar


@pytest.mark.parametrize(
    "start, count, end",
    [
        ("2026-09-28", 7, "2026-10-12"),  # 国庆: 1–7 October off, Saturday 10 October worked (调休)
        ("2026-02-12", 7, "2026-02-27"),  # 春节: Saturday 14 February worked, 15–23 February off
        ("2026-02-20", 1, "2026-02-24"),  # put up on a holiday: the period starts with the next working day
        ("2026-04-08", 7, "2026-04-16"),
        ("2025-12-29", 5, "2026-01-05"),  # year end: 1–3 January off, Sunday 4 January worked
    ],
)
def test_display_end_counts_working_days_with_tiaoxiu(start, count, end):
    reckoned = workdays.display_end(D(start), count)
    assert reckoned == workdays.Reckoning(D(end), ())


@pytest.mark.parametrize(
    "day, count, due",
    [
        ("2026-09-30", 20, "2026-11-03"),  # Q3 + 20 working days, across 国庆
        ("2026-01-31", 20, "2026-03-05"),  # January + 20 working days, across 春节 and both 调休 Saturdays
        ("2026-03-31", 20, "2026-04-29"),  # Q1: 清明 (4–6 April) off
        ("2025-12-31", 3, "2026-01-06"),  # year end
        ("2026-06-30", 0, "2026-06-30"),
    ],
)
def test_after_working_days(day, count, due):
    assert workdays.after(D(day), count) == workdays.Reckoning(D(due), ())


def test_a_year_the_calendar_does_not_know_is_said_not_guessed_silently():
    reckoned = workdays.after(D("2026-12-25"), 10)
    assert reckoned == workdays.Reckoning(D("2027-01-11"), (2027,))  # Monday to Friday less 元旦, and said so
    message = workdays.unknown_message(reckoned.guessed)
    assert message == (
        "系统里的官方日历（chinese-calendar）只有 2004–2026 年的节假日和调休安排，2027年的工作日暂按"
        "周一至周五（除元旦、劳动节、国庆节的固定假日）推算，可能不准。"
        "国务院公布新一年的安排后，请更新：pip install -U chinese-calendar"
    )
    assert not workdays.known(D("2027-01-01")) and not workdays.is_adjusted_workday(D("2027-01-02"))


def test_day_notes():
    assert workdays.long_date(D("2026-04-20")) == "2026年4月20日（星期一）"
    assert workdays.long_date(D("2026-02-28")) == "2026年2月28日（星期六，调休上班）"
    assert workdays.long_date(D("2026-09-20")) == "2026年9月20日（星期日，调休上班）"
    assert workdays.long_date(D("2026-10-02")) == "2026年10月2日（星期五，国庆节假期）"
    assert workdays.long_date(D("2026-02-18")) == "2026年2月18日（星期三，春节假期）"
    assert workdays.long_date(D("2026-03-07")) == "2026年3月7日（星期六）"


@pytest.mark.parametrize(
    "text, parsed",
    [
        ("信息形成或变更之日起20个工作日内", ("workdays", 20)),
        ("信息形成或变更之日起20日内", ("days", 20)),
        ("自批准之日起二十个工作日内", ("workdays", 20)),
        ("每季度结束后１５天内", ("days", 15)),
        ("实时公开", None),
    ],
)
def test_time_limit_strings(text, parsed):
    assert workdays.parse_time_limit(text) == parsed


def test_due_workdays_in_the_plan():
    here = Where("noticeboard.yaml", 3)
    entry = CatalogueEntry(
        "m", "村级财务", "monthly", here, due_workdays=10, key_wheres={"due_workdays": Where("noticeboard.yaml", 7)}
    )
    settings = Settings("noticeboard.yaml", catalogue=[entry])
    assert plan.due_date(entry, Period(2026, month=9)) == D("2026-10-20")  # 国庆 week not counted
    result = plan.compute(settings, [], D("2027-01-20"), first_year=2026)
    december = next(r for r in result.rows if r.period == "2026-12")
    assert december.due == D(
        "2027-01-15"
    )  # 1 January counted as the holiday it always is and december.status == "逾期未公开"
    assert [str(p) for p in result.calendar_problems(settings)] == [
        "noticeboard.yaml:7: 警告: 目录项「m」的应公开日按工作日计算：" + workdays.unknown_message([2027])
    ]


# ---------------------------------------------------------------- the workspace keys


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def lines(output: str, marker: str) -> list[str]:
    return [line for line in output.splitlines() if marker in line]


def test_display_workdays_is_the_same_end_date_everywhere(town):
    dibao = town / "notices" / "2026q2-dibao.yaml"
    edit(dibao, "display_days: 7", "display_workdays: 7")
    result = run("build", "-w", town, "2026q2-dibao")
    assert result.exit_code == 0, result.output
    period = "公示期：2026年4月8日至2026年4月16日（7个工作日）"
    assert period in pdf_text(town / "out" / "print" / "2026q2-dibao.pdf").replace("\n", "")
    assert period in (town / "out" / "site" / "2026q2-dibao" / "index.html").read_text(encoding="utf-8")
    with sqlite3.connect(town / "out" / "register.sqlite") as db:
        assert db.execute("SELECT display_end FROM publications WHERE id = '2026q2-dibao'").fetchone() == (
            "2026-04-16",
        )
    shown = run("plan", "-w", town, "--on", "2026-04-16", "--format", "json")
    rows = [r for r in json.loads(shown.output)["rows"] if r["notice"] == "2026q2-dibao"]
    assert [r["display"] for r in rows] == ["公示中"]
    later = run("plan", "-w", town, "--on", "2026-04-17", "--format", "json")
    assert [r["display"] for r in json.loads(later.output)["rows"] if r["notice"] == "2026q2-dibao"] == ["已结束"]


def test_display_days_and_workdays_together_is_an_error_at_the_key(town):
    edit(town / "notices" / "2026q2-dibao.yaml", "display_days: 7\n", "display_days: 7\ndisplay_workdays: 7\n")
    result = run("check", "-w", town)
    assert result.exit_code == 1
    assert lines(result.output, "display_workdays") == [
        "notices/2026q2-dibao.yaml:9: 错误: display_days（公示天数）"
        "和 display_workdays（公示工作日数）只能写一个，请删去一个。"
    ]


def test_a_shorter_display_than_the_legal_minimum_is_an_error_at_its_line(town):
    dibao = town / "notices" / "2026q2-dibao.yaml"
    edit(dibao, "display_days: 7", "display_days: 5")
    result = run("check", "-w", town)
    assert result.exit_code == 1
    assert lines(result.output, "2026q2-dibao.yaml:8") == [
        "notices/2026q2-dibao.yaml:8: 错误: 公示期5天（到2026年4月12日），短于目录项「dibao」（农村低保对象公示）规定的"
        "至少7天（应至少到2026年4月14日）：请改为 display_days: 7 或更长。"
    ]
    # 7 calendar days are not 7 working days
    edit(dibao, "display_days: 5", "display_days: 7")
    edit(town / "noticeboard.yaml", "min_display_days: 7 ", "min_display_workdays: 7 ")
    result = run("check", "-w", town)
    assert lines(result.output, "2026q2-dibao.yaml:8") == [
        "notices/2026q2-dibao.yaml:8: 错误: 公示期7天（到2026年4月14日），短于目录项「dibao」（农村低保对象公示）规定的"
        "至少7个工作日（应至少到2026年4月16日）：请改为 display_workdays: 7 或更长。"
    ]
    edit(dibao, "display_days: 7", "display_workdays: 7")
    assert run("check", "-w", town).exit_code == 0
    # no 公示期 at all, for an entry that requires one
    edit(dibao, "display_workdays: 7\n", "")
    result = run("check", "-w", town)
    assert lines(result.output, "2026q2-dibao.yaml:4") == [
        "notices/2026q2-dibao.yaml:4: 错误: 目录项「dibao」（农村低保对象公示）的公示期至少7个工作日，"
        "这份通知没有写公示期：请写 display_workdays: 7（至少到2026年4月16日）。"
    ]


def test_a_workday_period_past_the_calendar_is_a_warning_to_update(town):
    dibao = town / "notices" / "2026q2-dibao.yaml"
    edit(dibao, "date: 2026-04-08", "date: 2026-12-28")
    edit(dibao, "display_days: 7", "display_workdays: 7")
    result = run("check", "-w", town)
    assert result.exit_code == 0
    assert lines(result.output, "chinese-calendar") == [
        "notices/2026q2-dibao.yaml:8: 警告: " + workdays.unknown_message([2027])
    ]


def test_catalogue_keys_are_checked_with_their_lines(town):
    settings = town / "noticeboard.yaml"
    edit(
        settings,
        "    due_days: 20                        # 期满后20天内",
        "    due_workdays: 20\n    due_days: 20                        # 期满后20天内",
    )
    edit(settings, "    lead_days: 20\n    step: voter-list", "    lead_days: 15\n    step: voter-list")
    edit(settings, "    min_display_days: 7 ", "    min_display_days: 7\n    min_display_workdays: 7 ")
    text = settings.read_text(encoding="utf-8")
    number = {
        key: text[: text.index(key)].count("\n") + 1
        for key in ("due_workdays", "lead_days: 15", "min_display_workdays")
    }
    result = run("check", "-w", town)
    assert result.exit_code == 1
    assert lines(result.output, "noticeboard.yaml") == [
        f"noticeboard.yaml:{number['due_workdays']}: 错误: due_days（天）和 due_workdays（工作日）只能写一个。",
        f"noticeboard.yaml:{number['lead_days: 15']}: 错误: 选民名单至少要在选举日前 20 天公布（《村民委员会组织法》"
        "第十四条），lead_days 现在是 15：请改为 20 或更多。",
        f"noticeboard.yaml:{number['min_display_workdays']}: 错误: min_display_days（天）"
        "和 min_display_workdays（工作日）只能写一个。",
    ]


def test_standard_catalogue_columns(town):
    settings = town / "noticeboard.yaml"
    edit(settings, "  # - id: subsidy\n  #   事项", "  - id: subsidy\n    事项")
    text = settings.read_text(encoding="utf-8")
    start = text.index("    事项")
    block = text[start:].replace("\n  #   ", "\n    ")
    settings.write_text(text[:start] + block, encoding="utf-8")
    from noticeboard.load.workspace import load_workspace

    loaded = load_workspace(town)
    assert [p for p in loaded.problems if p.is_error] == []
    entry = loaded.workspace.settings.catalogue[-1]
    assert (entry.id, entry.title, entry.owner, entry.due_workdays, entry.due_days) == (
        "subsidy",
        "惠农补贴发放",
        "财政所",
        20,
        None,
    )
    assert (entry.basis, entry.channels, entry.audience, entry.mode) == (
        "《中华人民共和国政府信息公开条例》第二十条",
        "政府网站、村务公开栏",
        "全社会",
        "主动",
    )
    assert plan.due_date(entry, Period(2026, quarter=1)) == D("2026-04-29")
    # 事项 and title both: one error, at the later key
    edit(settings, "    事项: 惠农补贴发放", "    title: 惠农补贴\n    事项: 惠农补贴发放")
    line = settings.read_text(encoding="utf-8").splitlines().index("    事项: 惠农补贴发放") + 1
    result = run("check", "-w", town)
    assert lines(result.output, "同一件事") == [
        f"noticeboard.yaml:{line}: 错误: 「事项」和「title」说的是同一件事，请只写一个。"
    ]


# ---------------------------------------------------------------- the election timeline


def timeline_block(output: str) -> list[str]:
    block = output[output.index("」时间表：") :].split("\n\n")[0]
    return [line.rstrip() for line in block.splitlines()]


def cells(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def test_town_election_timeline_before(town):
    result = run("plan", "-w", town, "--on", "2026-02-10")
    block = timeline_block(result.output)
    assert block[0] == "」时间表：选举日 2026年3月18日（星期三），这一天是选举日前36天。"
    assert [cells(line) for line in block[1:]] == [
        ["日期", "倒数", "事项", "情况", "说明", "依据"],
        ["2026年2月26日（星期四）", "选举日前20天", "换届选举公告", "待办", "还有16天", "公开目录（lead_days: 20）"],
        [
            "2026年2月26日（星期四）",
            "选举日前20天",
            "致村民的一封信（逐户发放）",
            "待办",
            "还有16天",
            "公开目录（lead_days: 20）",
        ],
        ["2026年2月26日（星期四）", "选举日前20天", "选民名单公告", "待办", "还有16天", "《村民委员会组织法》第十四条"],
        [
            "2026年3月3日（星期二）",
            "选举日前15天",
            "对选民名单提出异议（申诉）截止",
            "待办",
            "从选民名单最迟公布日算",
            "《村民委员会组织法》第十四条（公布之日起5日内）",
        ],
        [
            "2026年3月6日（星期五）",
            "选举日前12天",
            "选举委员会作出处理决定并公布截止",
            "待办",
            "从选民名单最迟公布日算",
            "《村民委员会组织法》第十四条（收到申诉之日起3日内）",
        ],
        [
            "2026年3月13日（星期五）",
            "选举日前5天",
            "公布正式候选人名单",
            "待办",
            "公开目录中没有这一项（step: candidates），无法核对是否公布",
            "本省村民委员会选举办法（candidate_lead_days: 5）",
        ],
        ["2026年3月18日（星期三）", "选举日当天", "选举日", "待办", "还有36天", "-"],
    ]


def test_town_election_timeline_during(town):
    result = run("plan", "-w", town, "--on", "2026-02-24")
    block = timeline_block(result.output)
    assert block[0] == "」时间表：选举日 2026年3月18日（星期三），这一天是选举日前22天。"
    assert [cells(line)[:5] for line in block[2:]] == [
        [
            "2026年2月25日（星期三）",
            "选举日前21天",
            "对选民名单提出异议（申诉）截止",
            "进行中",
            "选民名单2026年2月20日公布，还有1天",
        ],
        ["2026年2月26日（星期四）", "选举日前20天", "换届选举公告", "已公开", "2026年2月20日公开（选举日前26天）"],
        [
            "2026年2月26日（星期四）",
            "选举日前20天",
            "致村民的一封信（逐户发放）",
            "已公开",
            "2026年2月20日公开（选举日前26天）",
        ],
        ["2026年2月26日（星期四）", "选举日前20天", "选民名单公告", "已公开", "2026年2月20日公开（选举日前26天）"],
        [
            "2026年2月28日（星期六，调休上班）",
            "选举日前18天",
            "选举委员会作出处理决定并公布截止",
            "进行中",
            "选民名单2026年2月20日公布，还有4天",
        ],
        [
            "2026年3月13日（星期五）",
            "选举日前5天",
            "公布正式候选人名单",
            "待办",
            "公开目录中没有这一项（step: candidates），无法核对是否公布",
        ],
        ["2026年3月18日（星期三）", "选举日当天", "选举日", "待办", "还有22天"],
    ]
    assert "不合法定时限" not in result.output


def test_town_election_timeline_after(town):
    result = run("plan", "-w", town, "--on", "2026-03-25", "--format", "json")
    steps = json.loads(result.output)["timelines"][0]["steps"]
    assert [(s["due"], s["status"], s["alert"]) for s in steps] == [
        ("2026-02-25", "已过", False),
        ("2026-02-26", "已公开", False),
        ("2026-02-26", "已公开", False),
        ("2026-02-26", "已公开", False),
        ("2026-02-28", "已过", False),
        ("2026-03-13", "已过", False),
        ("2026-03-18", "已过", False),
    ]
    assert steps[-1]["note"] == "已举行"
    text = run("plan", "-w", town, "--on", "2026-03-25").output
    assert "时间表：选举日 2026年3月18日（星期三），这一天是选举日后7天。" in text
    assert "时间表" not in run("plan", "-w", town, "--on", "2026-04-18").output  # a month after: no longer shown


def test_a_voter_list_too_late_and_a_display_past_election_day_are_flagged(town):
    voters = town / "notices" / "2026-voter-list.yaml"
    edit(voters, "date: 2026-02-20", "date: 2026-03-01")
    checked = run("check", "-w", town)
    assert lines(checked.output, "2026-voter-list.yaml") == [
        "notices/2026-voter-list.yaml:6: 警告: 选民名单应在选举日（2026年3月18日）的20日前公布（《村民委员会组织法》"
        "第十四条），最迟2026年2月26日（星期四）；这份2026年3月1日才发布，只提前了17天。"
        "请与乡镇换届选举指导小组商定推迟选举日，不能照常选举。",
        "notices/2026-voter-list.yaml:7: 错误: 公示期到2026年3月20日，晚于它要事前公开的「第十二届村民委员会换届选举」"
        "（2026年3月18日（星期三））：请缩短公示期，在2026年3月18日或之前结束。",
    ]
    edit(voters, "display_days: 20", "display_days: 15")
    assert lines(run("check", "-w", town).output, ": 错误:") == []
    result = run("plan", "-w", town, "--on", "2026-03-05")
    assert result.exit_code == 1
    assert lines(result.output, "2026-voter-list.yaml") == [
        "notices/2026-voter-list.yaml:6: 错误: 选民名单应在选举日（2026年3月18日）的20日前公布（《村民委员会组织法》"
        "第十四条），最迟2026年2月26日（星期四）；这份2026年3月1日才发布，只提前了17天。"
        "请与乡镇换届选举指导小组商定推迟选举日，不能照常选举。"
    ]
    block = timeline_block(result.output)
    voter_row = next(cells(line) for line in block if "选民名单公告" in line)
    assert voter_row[3:5] == ["公开晚了（!）", "2026年3月1日公开（选举日前17天），不足法定的20天"]
    objection = next(cells(line) for line in block if "异议" in line)
    assert objection[:5] == [
        "2026年3月6日（星期五）",
        "选举日前12天",
        "对选民名单提出异议（申诉）截止",
        "进行中",
        "选民名单2026年3月1日公布，还有1天",
    ]
    assert block[-1] == "  有 1 步不合法定时限，请看上面标（!）的行。"


def test_candidate_lead_presets_and_step(town):
    settings = town / "noticeboard.yaml"
    edit(settings, "    candidate_lead_days: 5\n", "    candidate_lead_days: 7\n")
    block = timeline_block(run("plan", "-w", town, "--on", "2026-03-01").output)
    assert any(cells(line)[:3] == ["2026年3月11日（星期三）", "选举日前7天", "公布正式候选人名单"] for line in block)
    edit(settings, "    type: election ", "    # type: election ")
    result = run("check", "-w", town)
    assert lines(result.output, "noticeboard.yaml") == [
        f"noticeboard.yaml:{_line(settings, '    candidate_lead_days: 7')}: 错误: candidate_lead_days "
        "只用于村民委员会选举，请同时写 type: election。",
        f"noticeboard.yaml:{_line(settings, '    step: voter-list')}: 错误: 目录项「voter-list」"
        "写了 step（选举中的一步），它的 event 应当是 type: election 的选举事件。",
    ]


def _line(path: Path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


# ---------------------------------------------------------------- 督查 exports


def test_plan_and_register_as_xlsx(town):
    assert run("build", "-w", town).exit_code == 0
    result = run("plan", "-w", town, "--on", "2026-07-31", "--format", "xlsx")
    assert result.exit_code == 1  # two items overdue, as the text plan says
    path = town / "out" / "plan" / "catalogue-2026.xlsx"
    assert f"已生成 {path}" in result.output
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["2026年公开目录", "完成情况"]
    rows = list(book["2026年公开目录"].iter_rows(values_only=True))
    assert rows[0] == (
        "序号",
        "事项",
        "内容",
        "依据",
        "时限",
        "主体",
        "渠道",
        "对象",
        "方式",
        "频次",
        "期间",
        "应公开日",
        "发布日",
        "情况",
        "说明",
        "通知编号",
    )
    assert rows[1] == (
        1,
        "财政收支情况",
        None,
        None,
        "期满后20日内",
        "财政所",
        "镇政府大院政务公开栏",
        None,
        None,
        "每季度",
        "2026年第一季度",
        "2026年4月20日（星期一）",
        "2026年4月12日",
        "已公开",
        "已结束",
        "2026q1-finance",
    )
    dibao = [r for r in rows if r[1] == "农村低保对象公示"]
    assert [(r[10], r[13], r[14]) for r in dibao] == [
        ("2026年第一季度", "逾期未公开", "超期102天"),
        ("2026年第二季度", "已公开", "已结束"),
    ]
    voters = next(r for r in rows if r[1] == "选民名单公告")
    assert voters[4] == "选举日前20日" and voters[11] == "2026年2月26日（星期四）"
    figures = list(book["完成情况"].iter_rows(values_only=True))
    assert figures[-1] == ("合计", 14, 19, "74%", 0)

    result = run("register", "-w", town, "--year", "2026", "--format", "xlsx")
    assert result.exit_code == 0
    book = openpyxl.load_workbook(town / "out" / "register-2026.xlsx")
    counts = list(book["2026年主动公开情况"].iter_rows(values_only=True))
    assert counts[:3] == [("项目", "数量"), ("主动公开条数", 15), ("修订次数", 0)]
    assert ("按公开目录：财政收支情况", 2) in counts
    listed = list(book["发布登记"].iter_rows(values_only=True))
    assert len(listed) == 16
    by_id = {row[1]: row for row in listed[1:]}
    assert by_id["2026-election-letter"][:7] == (
        "2026年2月20日",
        "2026-election-letter",
        1,
        "致全体村民的一封信",
        "一封信",
        "致村民的一封信（逐户发放）",
        None,
    )
    assert by_id["2026-election-notice"][6] == "2026年3月11日"  # the register's end of the 公示期
    # the same counts as the text report
    text = run("register", "-w", town, "--year", "2026").output
    assert "2026年主动公开：15 条（另有修订 0 次）" in text


# ---------------------------------------------------------------- properties


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.dates(dt.date(2004, 1, 1), dt.date(2026, 10, 15)), st.integers(1, 40))  # ends inside the known years
def test_working_day_counts_agree_with_the_calendar(start, count):
    import chinese_calendar

    end = workdays.display_end(start, count)
    assert chinese_calendar.is_workday(end.date)
    span = [start + dt.timedelta(days=n) for n in range((end.date - start).days + 1)]
    assert sum(chinese_calendar.is_workday(day) for day in span) == count
    due = workdays.after(start, count)
    assert chinese_calendar.is_workday(due.date) and due.date > start
    assert (
        sum(chinese_calendar.is_workday(start + dt.timedelta(days=n)) for n in range(1, (due.date - start).days + 1))
        == count
    )
    assert end.guessed == () and due.guessed == ()


def test_a_time_limit_that_disagrees_or_names_no_days_is_said(town):
    settings = town / "noticeboard.yaml"
    edit(
        settings,
        "    due_days: 20                        # 期满后20天内；按工作日算写 due_workdays: 20（调休按官方日历）",
        "    due_days: 15\n    时限: 每季度结束后20个工作日内",
    )
    edit(
        settings,
        "    title: 重点工作目标完成情况\n    frequency: quarterly\n    due_days: 20\n",
        "    title: 重点工作目标完成情况\n    frequency: quarterly\n",
    )
    edit(
        settings,
        "    title: 重点工作目标完成情况\n",
        "    title: 重点工作目标完成情况\n    时限: 每季度结束后及时公开\n",
    )
    result = run("check", "-w", town)
    assert result.exit_code == 0
    assert lines(result.output, "时限") == [
        f"noticeboard.yaml:{_line(settings, '    时限: 每季度结束后20')}: 警告: 时限「每季度结束后20个工作日内」"
        "是20个工作日，但 due_days 写的是15天：按 due_days 计算；两处请改成一致。",
        f"noticeboard.yaml:{_line(settings, '    时限: 每季度结束后及时')}: 警告: 时限「每季度结束后及时公开」"
        "里没有天数，应公开日按默认计算：请写 due_days 或 due_workdays。",
    ]


def test_a_candidate_list_entry_is_matched_and_checked_against_the_province_lead(town):
    settings = town / "noticeboard.yaml"
    edit(
        settings,
        "  - id: dibao\n",
        "  - id: candidates\n    title: 正式候选人名单公告\n    frequency: on-event\n"
        "    event: election-2026\n    step: candidates\n    board: village\n  - id: dibao\n",
    )
    voters = (town / "notices" / "2026-voter-list.yaml").read_text(encoding="utf-8")
    candidates = (
        voters.replace("id: 2026-voter-list", "id: 2026-candidates")
        .replace("catalogue: voter-list", "catalogue: candidates")
        .replace("date: 2026-02-20", "date: 2026-03-14")
        .replace("display_days: 20", "display_days: 3")
    )
    (town / "notices" / "2026-candidates.yaml").write_text(candidates, encoding="utf-8")
    result = run("check", "-w", town)
    assert lines(result.output, "2026-candidates.yaml") == [
        "notices/2026-candidates.yaml:6: 警告: 正式候选人名单应在选举日（2026年3月18日）"
        "的5日前公布（本省村民委员会选举办法），最迟2026年3月13日（星期五）；这份2026年3月14日才发布，只提前了4天。"
        "请与乡镇换届选举指导小组商定推迟选举日，不能照常选举。"
    ]
    block = timeline_block(run("plan", "-w", town, "--on", "2026-03-15").output)
    row = next(cells(line) for line in block if "正式候选人名单" in line)
    assert row == [
        "2026年3月13日（星期五）",
        "选举日前5天",
        "正式候选人名单公告",
        "公开晚了（!）",
        "2026年3月14日公开（选举日前4天），不足法定的5天",
        "本省村民委员会选举办法",
    ]
    assert not any("公布正式候选人名单" in line for line in block)  # the entry stands for the legal step
