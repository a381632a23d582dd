"""Sign-offs made in the workbench (signoffs/<id>.yaml) count for `build` exactly as the notice's
``reviews:`` do (SPEC §4): read in the load stage, on the content's fingerprint."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
import yaml

from noticeboard import desk, pipeline
from noticeboard.load.signoffs import CHINA
from noticeboard.load.workspace import load_workspace
from noticeboard.resources import samples_dir

NOTICE = "2026q1-finance"
CHAIN = ("初审", "审核", "保密审查")
SIGNERS = {"初审": "王小红", "审核": "李建国", "保密审查": "赵敏"}


def _at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 4, day, hour, 0, tzinfo=CHINA)


@pytest.fixture
def town(tmp_path: Path) -> Path:
    root = tmp_path / "town"
    shutil.copytree(samples_dir() / "town", root, ignore=shutil.ignore_patterns("out"))
    return root


def _unsigned(root: Path, notice_id: str = NOTICE) -> Path:
    """The notice with its reviews block removed: only the workbench can sign it now."""
    path = root / "notices" / f"{notice_id}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("reviews:")], encoding="utf-8")
    return path


def _fingerprint(root: Path, notice_id: str = NOTICE) -> str:
    return next(n for n in load_workspace(root).workspace.notices if n.id == notice_id).fingerprint


def _sign_all(root: Path, notice_id: str = NOTICE) -> None:
    fingerprint = _fingerprint(root, notice_id)
    for day, role in enumerate(CHAIN, start=9):
        assert desk.sign(root, notice_id, role, SIGNERS[role], {role}, desk.AGREE, "", fingerprint, _at(day)) == []


def _messages(result: pipeline.Result) -> list[str]:
    return [str(p) for p in result.problems if p.is_error]


def test_build_refuses_without_and_accepts_with_workbench_signoffs(town: Path) -> None:
    _unsigned(town)
    refused = pipeline.build(town, ids=[NOTICE])
    assert refused.refused == [NOTICE]
    assert any("缺少「初审」、「审核」、「保密审查」签批" in m for m in _messages(refused))
    _sign_all(town)
    built = pipeline.build(town, ids=[NOTICE])
    assert built.refused == [], _messages(built)
    assert (town / "out" / "print" / f"{NOTICE}.pdf").is_file()
    publication = pipeline.publications(town)[-1]
    assert publication.reviewers == "初审：王小红 2026-04-09　审核：李建国 2026-04-10　保密审查：赵敏 2026-04-11"


def test_signoffs_file_is_a_commented_yaml_list_with_the_fingerprint(town: Path) -> None:
    _unsigned(town)
    _sign_all(town)
    text = (town / "signoffs" / f"{NOTICE}.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 工作台") and "请不要手工修改" in text.splitlines()[0]
    records = yaml.safe_load(text)
    assert [r["role"] for r in records] == list(CHAIN)
    assert records[1] == {
        "role": "审核",
        "by": "李建国",
        "decision": "同意",
        "reason": "",
        "at": "2026-04-10T09:00:00+08:00",
        "fingerprint": _fingerprint(town),
        "seal": records[1]["seal"],
    }
    assert len(records[1]["seal"]) == 64 and len({r["seal"] for r in records}) == 3


def _records_file(root: Path, notice_id: str = NOTICE) -> Path:
    return root / "signoffs" / f"{notice_id}.yaml"


def test_a_record_typed_into_the_file_by_hand_counts_for_nothing(town: Path) -> None:
    """The workbench exists because anyone who can edit a file could type 保密审查: {by: 赵敏}."""
    _unsigned(town)
    _sign_all(town)
    path = _records_file(town)
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    forged = dict(records[2], by="张三")  # the name changed, the seal copied along
    typed = {k: v for k, v in records[2].items() if k != "seal"}  # no seal at all
    for record, expected in ((forged, "对不上工作台的印记"), (typed, "缺少 seal")):
        path.write_text(yaml.safe_dump(records[:2] + [record], allow_unicode=True), encoding="utf-8")
        built = pipeline.build(town, ids=[NOTICE])
        assert built.refused == [NOTICE]
        messages = _messages(built)
        assert any(m.startswith(f"signoffs/{NOTICE}.yaml:") and expected in m for m in messages), messages
        assert any("缺少" in m and "「保密审查」签批" in m for m in messages), messages


def test_a_record_copied_to_another_notice_counts_for_nothing_there(town: Path) -> None:
    _unsigned(town)
    _sign_all(town)
    other = "2026q2-finance"
    _unsigned(town, other)
    text = _records_file(town).read_text(encoding="utf-8")
    records = yaml.safe_load(text)
    fingerprint = _fingerprint(town, other)
    moved = [dict(r, fingerprint=fingerprint) for r in records]  # even with the other notice's fingerprint
    _records_file(town, other).write_text(yaml.safe_dump(moved, allow_unicode=True), encoding="utf-8")
    checked = pipeline.check(town, [other])
    assert sum("对不上工作台的印记" in p.message for p in checked.problems) == 3
    notice = next(n for n in load_workspace(town).workspace.notices if n.id == other)
    assert not [r for r in notice.reviews if r.source == "workbench"]


def test_without_the_workbench_key_no_record_counts_and_one_message_says_why(town: Path) -> None:
    _unsigned(town)
    _sign_all(town)
    (town / ".workbench" / "signoff_key").unlink()
    built = pipeline.build(town, ids=[NOTICE])
    assert built.refused == [NOTICE]
    said = [m for m in _messages(built) if "签批密钥" in m]
    assert len(said) == 1 and said[0].startswith(f"signoffs/{NOTICE}.yaml: 错误: 找不到工作台的签批密钥"), said


def test_the_key_is_made_once_and_only_its_owner_reads_it(town: Path) -> None:
    _unsigned(town)
    _sign_all(town)
    key = town / ".workbench" / "signoff_key"
    first = key.read_bytes()
    assert len(first.strip()) == 64
    assert os.name == "nt" or key.stat().st_mode & 0o077 == 0
    _unsigned(town, "2026q2-finance")
    _sign_all(town, "2026q2-finance")  # a second notice signs with the same key
    assert key.read_bytes() == first


def test_workbench_review_is_located_at_its_record_line(town: Path) -> None:
    _unsigned(town)
    _sign_all(town)
    notice = next(n for n in load_workspace(town).workspace.notices if n.id == NOTICE)
    review = next(r for r in notice.reviews if r.role == "审核")
    assert (review.source, review.by.value, review.date) == ("workbench", "李建国", dt.date(2026, 4, 10))
    lines = (town / "signoffs" / f"{NOTICE}.yaml").read_text(encoding="utf-8").splitlines()
    assert str(review.where).startswith(f"signoffs/{NOTICE}.yaml:")
    assert lines[review.where.line - 1] == "- role: 审核"


def test_a_changed_table_makes_the_records_stale(town: Path) -> None:
    _unsigned(town)
    _sign_all(town)
    table = town / "notices" / f"{NOTICE}.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("680.99", "681.99", 1), encoding="utf-8")
    refused = pipeline.build(town, ids=[NOTICE])
    assert refused.refused == [NOTICE]
    messages = _messages(refused)
    assert any("内容在李建国于 2026-04-10 签批「审核」之后改动过" in m and "重新签批" in m for m in messages)
    assert any(m.startswith(f"signoffs/{NOTICE}.yaml:") for m in messages)


def test_a_changed_yaml_value_makes_the_records_stale(town: Path) -> None:
    path = _unsigned(town)
    _sign_all(town)
    path.write_text(path.read_text(encoding="utf-8").replace("display_days: 10", "display_days: 12"), encoding="utf-8")
    refused = pipeline.build(town, ids=[NOTICE])
    assert refused.refused == [NOTICE]
    assert any("内容在王小红于 2026-04-09 签批「初审」之后改动过" in m for m in _messages(refused))


def test_a_return_on_the_current_content_wins_over_the_file(town: Path) -> None:
    fingerprint = _fingerprint(town)  # the sample notice has all three in its reviews block
    assert desk.sign(town, NOTICE, "审核", "李建国", {"审核"}, desk.RETURN, "支出合计有误", fingerprint, _at(11)) == []
    refused = pipeline.build(town, ids=[NOTICE])
    assert refused.refused == [NOTICE]
    assert any("「审核」被李建国于 2026-04-11 退回，理由：支出合计有误" in m for m in _messages(refused))
    # a later 同意 on the same content takes the return back
    assert desk.sign(town, NOTICE, "审核", "李建国", {"审核"}, desk.AGREE, "", fingerprint, _at(11, 15)) == []
    assert pipeline.build(town, ids=[NOTICE]).refused == []


def test_check_names_the_return_as_a_reminder(town: Path) -> None:
    fingerprint = _fingerprint(town)
    desk.sign(town, NOTICE, "初审", "王小红", {"初审"}, desk.RETURN, "标题写错了", fingerprint, _at(10))
    checked = pipeline.check(town, [NOTICE])
    reminders = [str(p) for p in checked.problems if not p.is_error]
    assert any("「初审」被王小红于 2026-04-10 退回，理由：标题写错了" in m for m in reminders)


def test_a_malformed_signoffs_file_is_a_located_error(town: Path) -> None:
    folder = town / "signoffs"
    folder.mkdir()
    (folder / f"{NOTICE}.yaml").write_text("- role: 审核\n  by: 李建国\n  decision: 也许\n- [\n", encoding="utf-8")
    checked = pipeline.check(town, [NOTICE])
    located = [str(p) for p in checked.problems if p.where.file == f"signoffs/{NOTICE}.yaml"]
    assert located and all(m.startswith(f"signoffs/{NOTICE}.yaml:") for m in located)
    (folder / f"{NOTICE}.yaml").write_text("- role: 审核\n  by: 李建国\n  decision: 也许\n", encoding="utf-8")
    checked = pipeline.check(town, [NOTICE])
    assert any(
        str(p).startswith(f"signoffs/{NOTICE}.yaml:1: 错误:") and "缺少 at、fingerprint" in p.message
        for p in checked.problems
    )
    assert pipeline.build(town, ids=[NOTICE]).refused == [NOTICE]  # its own file: only this notice stops
    (folder / f"{NOTICE}.yaml").write_bytes(b"\xff\xfe\x00")  # not even text: still this notice's error only
    checked = pipeline.check(town)
    damaged = [p for p in checked.problems if p.where.file == f"signoffs/{NOTICE}.yaml"]
    assert damaged and damaged[0].is_error and not damaged[0].unreadable


def test_the_date_rule_holds_for_workbench_signoffs(town: Path) -> None:
    _unsigned(town)
    fingerprint = _fingerprint(town)
    late = dt.datetime(2026, 4, 20, 9, 0, tzinfo=CHINA)  # after the 发布日期 2026-04-12
    for role in CHAIN:
        assert desk.sign(town, NOTICE, role, SIGNERS[role], {role}, desk.AGREE, "", fingerprint, late) == []
    refused = pipeline.build(town, ids=[NOTICE])
    assert any("签批日期 2026-04-20 晚于发布日期 2026-04-12" in m for m in _messages(refused))


def test_render_of_a_single_file_ignores_the_workspace_records(town: Path, tmp_path: Path) -> None:
    _unsigned(town)
    _sign_all(town)
    loaded = load_workspace(town, only=town / "notices" / f"{NOTICE}.yaml")
    assert loaded.workspace.notices[0].reviews == []


def test_sign_refusals_write_nothing(town: Path) -> None:
    _unsigned(town)
    fingerprint = _fingerprint(town)

    def refused(*args) -> str:
        problems = desk.sign(town, NOTICE, *args)
        assert problems and all(p.is_error for p in problems)
        return problems[0].message

    assert "你没有「审核」" in refused("审核", "王小红", {"初审"}, desk.AGREE, "", fingerprint, _at(9))
    assert "没有「村务监督委员会审核」" in refused(
        "村务监督委员会审核", "王小红", {"村务监督委员会审核"}, desk.AGREE, "", fingerprint, _at(9)
    )
    assert refused("初审", "王小红", {"初审"}, desk.AGREE, "", "0" * 64, _at(9)) == "内容已改动，请重新查看后再签。"
    assert "退回要写明理由" in refused("初审", "王小红", {"初审"}, desk.RETURN, "  ", fingerprint, _at(9))
    assert "「初审」还没有同意现在的内容" in refused("审核", "李建国", {"审核"}, desk.AGREE, "", fingerprint, _at(9))
    assert not (town / "signoffs").exists()
    # returning needs no order: a later reviewer may send it back at any time
    assert desk.sign(town, NOTICE, "审核", "李建国", {"审核"}, desk.RETURN, "数字不对", fingerprint, _at(9)) == []


def test_signed_again_on_the_same_day_after_a_change_builds_a_new_revision(town: Path) -> None:
    _unsigned(town)
    _sign_all(town)
    assert pipeline.build(town, ids=[NOTICE]).registered == [(NOTICE, 1)]
    table = town / "notices" / f"{NOTICE}.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("增值税", "国内增值税", 1), encoding="utf-8")
    assert pipeline.build(town, ids=[NOTICE]).refused == [NOTICE]
    _sign_all(town)  # the same people on the same days, on the new content
    again = pipeline.build(town, ids=[NOTICE])
    assert again.refused == [] and again.registered == [(NOTICE, 2)], _messages(again)


def _notice(root: Path, notice_id: str = NOTICE):
    return next(n for n in load_workspace(root).workspace.notices if n.id == notice_id)


def test_a_workspace_setting_that_changes_the_sheets_makes_the_signoffs_stale(town: Path) -> None:
    """The 低保 list signed by 保密审查 under one masking policy must not print under a looser one."""
    dibao = "2026q2-dibao"
    before = _notice(town, dibao)
    settings = town / "noticeboard.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "id_number: {keep_first: 3, keep_last: 2}" in text
    settings.write_text(text.replace("{keep_first: 3, keep_last: 2}", "{keep_first: 12, keep_last: 2}"), "utf-8")
    looser = _notice(town, dibao)
    assert looser.fingerprint != before.fingerprint
    assert looser.content_fingerprint == before.content_fingerprint  # the register's value: its own files
    settings.write_text(text, encoding="utf-8")
    (town / "layouts").mkdir(exist_ok=True)
    design = load_workspace(town).kinds["roster"].design
    (town / "layouts" / f"{design}.yaml").write_text("colours: {accent: '#004488'}\n", encoding="utf-8")
    assert _notice(town, dibao).fingerprint != before.fingerprint
    (town / "layouts" / f"{design}.yaml").unlink()
    assert _notice(town, dibao).fingerprint == before.fingerprint


def test_the_register_keeps_storing_the_files_fingerprint(town: Path) -> None:
    built = pipeline.build(town, ids=[NOTICE])
    assert built.refused == [], _messages(built)
    publication = pipeline.publications(town)[-1]
    assert publication.content_sha256 == _notice(town).content_fingerprint != _notice(town).fingerprint


def test_a_seal_edited_to_any_character_is_a_located_error_not_a_crash(town: Path) -> None:
    _unsigned(town)
    _sign_all(town)
    path = _records_file(town)
    text = path.read_text(encoding="utf-8")
    first = yaml.safe_load(text)[0]["seal"]
    path.write_text(text.replace(first, "印" + first[1:]), encoding="utf-8")
    checked = pipeline.check(town, [NOTICE])
    located = [str(p) for p in checked.problems if p.where.file == f"signoffs/{NOTICE}.yaml" and p.is_error]
    assert any("对不上工作台的印记" in m for m in located), located
    assert not any("程序内部出错" in str(p) for p in checked.problems)


def test_taking_the_last_return_out_of_the_file_does_not_bring_the_agreement_back(town: Path) -> None:
    _unsigned(town)
    _sign_all(town)
    path = _records_file(town)
    signed = path.read_text(encoding="utf-8")
    fingerprint = _fingerprint(town)
    said = desk.sign(
        town, NOTICE, "保密审查", "赵敏", {"保密审查"}, desk.RETURN, "第3行有身份证号", fingerprint, _at(11, 10)
    )
    assert said == []
    assert pipeline.build(town, ids=[NOTICE]).refused == [NOTICE]
    path.write_text(signed, encoding="utf-8")  # the 退回 cut out again: an older copy put back
    built = pipeline.build(town, ids=[NOTICE])
    assert built.refused == [NOTICE]
    assert any("有记录被删掉" in m for m in _messages(built)), _messages(built)
    # and signing on top of it is refused too, so the index cannot be moved past the cut
    again = desk.sign(town, NOTICE, "保密审查", "赵敏", {"保密审查"}, desk.AGREE, "", fingerprint, _at(11, 11))
    assert again and "现在不能再签" in again[0].message


def test_a_reason_with_control_characters_is_refused(town: Path) -> None:
    _unsigned(town)
    fingerprint = _fingerprint(town)
    said = desk.sign(town, NOTICE, "初审", "王小红", {"初审"}, desk.RETURN, "同意\0", fingerprint, _at(9))
    assert said and "控制字符" in said[0].message
    assert not _records_file(town).exists()


def test_one_person_cannot_agree_for_two_roles_nor_sign_the_same_twice(town: Path) -> None:
    _unsigned(town)
    fingerprint = _fingerprint(town)
    held = set(CHAIN)
    assert desk.sign(town, NOTICE, "初审", "王小红", held, desk.AGREE, "", fingerprint, _at(9)) == []
    twice = desk.sign(town, NOTICE, "初审", "王小红", held, desk.AGREE, "", fingerprint, _at(9, 10))
    assert twice and "不用再签" in twice[0].message
    second = desk.sign(town, NOTICE, "审核", "王小红", held, desk.AGREE, "", fingerprint, _at(10))
    assert second and "同一个人不能再以「审核」签批" in second[0].message
    assert len(yaml.safe_load(_records_file(town).read_text(encoding="utf-8"))) == 1


def test_the_library_refuses_to_agree_to_a_notice_that_will_not_print(town: Path) -> None:
    _unsigned(town)
    table = town / "notices" / "2026q1-finance.csv"
    if table.is_file():
        table.write_text(table.read_text(encoding="utf-8").replace("680.99", "六百", 1), encoding="utf-8")
    else:
        path = town / "notices" / f"{NOTICE}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("paper: A2", "paper: A9"), encoding="utf-8")
    fingerprint = desk.notice_state(town, NOTICE).fingerprint
    said = desk.sign(town, NOTICE, "初审", "王小红", {"初审"}, desk.AGREE, "", fingerprint, _at(9))
    assert said and "不能同意" in said[0].message
    assert desk.sign(town, NOTICE, "初审", "王小红", {"初审"}, desk.RETURN, "金额写成了汉字", fingerprint, _at(9)) == []
