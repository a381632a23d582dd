"""The 核验码: printed beside the QR code, shown online and in the site index, kept in the register,
and found again by `noticeboard verify`."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import pdf_text, run

from noticeboard.publish import register, verification
from noticeboard.resources import samples_dir

CODE = re.compile(r"核验码：([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})")
POSTERS = ["2026q1-finance", "2026-org", "2026q2-tasks", "2026-election-notice", "2026-voter-list", "2026q2-dibao"]


def _registered(built_town: Path) -> dict[str, str]:
    return {p.id: p.code for p in register.latest(register.read(built_town / "out" / register.REGISTER_FILE))}


@pytest.mark.parametrize("notice_id", POSTERS)
def test_the_same_code_is_on_every_sheet_online_and_in_the_register(built_town: Path, notice_id: str):
    out = built_town / "out"
    text = pdf_text(out / "print" / f"{notice_id}.pdf")
    pages = text.split("\f") if "\f" in text else [text]
    codes = set(CODE.findall(text))
    assert len(codes) == 1, codes
    code = codes.pop()
    assert text.count(f"核验码：{code}") >= len(pages)
    assert _registered(built_town)[notice_id] == code
    page = (out / "site" / notice_id / "index.html").read_text(encoding="utf-8")
    assert f'<span class="code">{code}</span>' in page
    index = (out / "site" / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'href="{notice_id}/".*?<span class="code">{code}</span>', index, re.S)
    assert verification.PLACEHOLDER not in text


def test_every_sheet_of_a_multi_sheet_notice_carries_the_code(built_town: Path):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(built_town / "out" / "print" / "2026q1-finance.pdf"))
    try:
        texts = [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()
    assert len(texts) >= 2
    assert len({m for t in texts for m in CODE.findall(t)}) == 1
    assert all(CODE.search(t) for t in texts)


def test_codes_differ_between_notices_and_follow_the_content(built_town: Path, tmp_path: Path):
    codes = _registered(built_town)
    posted = [c for c in codes.values() if c]
    assert len(set(posted)) == len(posted) == len(codes) - 1  # the letter run has none: its letters differ by household
    town = tmp_path / "town"
    shutil.copytree(samples_dir() / "town", town, ignore=shutil.ignore_patterns("out"))
    assert run("build", "-w", town, "2026q2-finance").exit_code == 0
    first = _registered(town)["2026q2-finance"]
    assert (
        first == codes["2026q2-finance"]
    )  # the same content lays out the same: the same code, whatever the build time
    source = town / "notices" / "2026q2-finance.yaml"
    source.write_text(
        source.read_text(encoding="utf-8")
        .replace("display_days: 10", "display_days: 15")
        .replace("保密审查: {by: 赵敏, date: 2026-07-09}", "保密审查: {by: 赵敏, date: 2026-07-10}"),
        encoding="utf-8",
    )
    assert run("build", "-w", town, "2026q2-finance").exit_code == 0
    revisions = [p for p in register.read(town / "out" / register.REGISTER_FILE) if p.id == "2026q2-finance"]
    assert [p.revision for p in revisions] == [1, 2] and revisions[1].code != first
    old = run("verify", first.lower().replace("-", " "), "-w", town)
    assert old.exit_code == 0, old.output
    assert "（编号 2026q2-finance）第1版" in old.output and "已被第2版取代" in old.output
    new = run("verify", revisions[1].code, "-w", town)
    assert new.exit_code == 0 and "第2版" in new.output and "这是现行版本。" in new.output


def test_verify_names_the_notice_or_says_no_published_version_has_the_code(built_town: Path):
    code = _registered(built_town)["2026q2-dibao"]
    found = run("verify", code, "-w", built_town)
    assert found.exit_code == 0
    assert found.output.splitlines() == [
        f"核验码 {code}：「小庄村2026年第二季度农村最低生活保障对象公示」"
        "（编号 2026q2-dibao）第1版，发布日期 2026年4月8日。",
        "这是现行版本。",
    ]
    other = "".join(reversed(code.replace("-", "")))
    other = verification.formatted(other if other != code.replace("-", "") else "ABCDEFGH")
    missing = run("verify", other, "-w", built_town)
    assert missing.exit_code == 1
    assert missing.output.splitlines()[0] == f"核验码 {other} 不属于任何正式公开的版本。"
    wrong = run("verify", "O1234", "-w", built_town)
    assert wrong.exit_code == 2 and "不是核验码" in wrong.output


def test_a_draft_is_not_verified(tmp_path: Path):
    town = tmp_path / "town"
    shutil.copytree(samples_dir() / "town", town, ignore=shutil.ignore_patterns("out"))
    assert run("build", "--draft", "-w", town, "2026-org").exit_code == 0
    code = CODE.search(pdf_text(town / "out" / "print" / "2026-org.pdf")).group(1)
    result = run("verify", code, "-w", town)
    assert result.exit_code == 1 and "不属于任何正式公开的版本" in result.output


def test_a_schema_2_register_is_migrated_and_keeps_its_rows(tmp_path: Path):
    path = tmp_path / register.REGISTER_FILE
    connection = sqlite3.connect(path)
    connection.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema_version', '2');
        CREATE TABLE publications (id TEXT NOT NULL, revision INTEGER NOT NULL, title TEXT NOT NULL,
            kind TEXT NOT NULL, catalogue TEXT, period TEXT, date TEXT NOT NULL, display_end TEXT,
            reviewers TEXT NOT NULL, sha256 TEXT NOT NULL, built_at TEXT NOT NULL, content_sha256 TEXT,
            PRIMARY KEY (id, revision));
        INSERT INTO publications VALUES ('old', 1, '旧通知', 'notice', NULL, NULL, '2025-03-01', NULL, '',
            'ab', '2025-03-01T09:00:00+08:00', 'cd');
    """)
    connection.commit()
    connection.close()
    rows = register.read(path)
    assert [(p.id, p.code, p.content_sha256) for p in rows] == [("old", "", "cd")]
    stored = register.record(
        path,
        register.Publication(
            id="new",
            revision=0,
            title="新通知",
            kind="notice",
            catalogue=None,
            period=None,
            date=rows[0].date,
            display_end=None,
            reviewers="",
            sha256="ef",
            built_at="2026-01-01T00:00:00+08:00",
            code="ABCD-EFGH",
        ),
    )
    assert stored.revision == 1
    assert {p.id: p.code for p in register.read(path)} == {"old": "", "new": "ABCD-EFGH"}
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT value FROM meta").fetchone() == (str(register.SCHEMA_VERSION),)


def test_codes_use_an_unambiguous_alphabet():
    assert not set("01IO") & set(verification.ALPHABET) and len(verification.ALPHABET) == 32
    assert verification.normalised(" abcd－efgh ") == "ABCD-EFGH"
    assert verification.normalised("ABCD-EFG0") is None
