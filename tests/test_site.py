"""The online copy (out/site/) and the publication register (out/register.sqlite)."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import re
import shutil
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SMALL_FINANCE_CSV, finance_yaml, make_workspace, run

from noticeboard import pipeline
from noticeboard.publish.register import SCHEMA_VERSION

SAMPLE_IDS = [
    "2026q1-finance",
    "2026q2-finance",
    "2026-org",
    "2026q2-tasks",
    "2026-election-notice",
    "2026-voter-list",
    "2026q2-dibao",
    "2026-01-village-finance",
    "2026-02-village-finance",
    "2026-03-village-finance",
    "2026-road-project",
    "2026-assets",
    "guide-dibao",
    "guide-insurance",
]  # posters: the online PDF is the print PDF
VILLAGE_IDS = SAMPLE_IDS[-7:-2]
LETTER_ID = "2026-election-letter"  # online: one specimen letter (tests/test_kind_letter.py)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.chunks: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_data(self, data):
        self.chunks.append(data)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _parse(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("notice_id", SAMPLE_IDS)
def test_every_sample_has_an_online_copy_with_the_sheet_content(built_town: Path, notice_id: str):
    site = built_town / "out" / "site" / notice_id
    page = _parse(site / "index.html")
    text = _flat("".join(page.chunks))
    pdf = (site / f"{notice_id}.pdf").read_bytes()
    assert pdf == (built_town / "out" / "print" / f"{notice_id}.pdf").read_bytes()
    assert hashlib.sha256(pdf).hexdigest() in text
    assert ("a", {"href": f"{notice_id}.pdf"}) in page.tags
    hotline = "tel:05374261234" if notice_id in VILLAGE_IDS else "tel:05371234567"  # 村务监督委员会's own line
    assert any(tag == "a" and attrs.get("href") == hotline for tag, attrs in page.tags)
    assert ("html", {"lang": "zh-CN"}) in page.tags
    assert not [attrs for tag, attrs in page.tags if tag in ("script", "link") or "http" in attrs.get("src", "")]
    if any(tag == "table" for tag, _ in page.tags):
        assert any(tag == "th" and attrs.get("scope") == "col" for tag, attrs in page.tags)


def test_finance_page_carries_every_name_and_amount(built_town: Path):
    from noticeboard.load.workspace import load_workspace

    text = _flat("".join(_parse(built_town / "out" / "site" / "2026q1-finance" / "index.html").chunks))
    loaded = load_workspace(built_town)
    notice = next(n for n in loaded.workspace.notices if n.id == "2026q1-finance")
    for needle in [
        "两城镇2026年第一季度财政收支情况公示",
        "两城镇人民政府",
        "2026年4月12日",
        "公示期：2026年4月12日至2026年4月21日",
        "0537-1234567",
    ]:
        assert _flat(needle) in text
    for row in notice.content.rows:
        assert row.name in text
        assert f"{row.amounts['ytd']:,.2f}" in text


def test_roster_page_shows_only_masked_numbers(built_town: Path):
    html = (built_town / "out" / "site" / "2026q2-dibao" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\d)\d{17}[\dXx](?!\d)", html)
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", html)
    assert re.search(r"370\*+\d{2}", html) and re.search(r"1[3-9]\d\*{4}\d{4}", html)


def test_user_text_is_escaped(tmp_path: Path):
    title = '<script>alert(1)</script> & "x"'
    make_workspace(
        tmp_path,
        {"notices/t-finance.yaml": finance_yaml(title=f"'{title}'"), "notices/t-finance.csv": SMALL_FINANCE_CSV},
    )
    assert run("build", "-w", tmp_path, "--draft").exit_code == 0
    html = (tmp_path / "out" / "site" / "t-finance" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;x&#34;" in html


def test_site_index_lists_publications_newest_first_by_category_with_status(built_town: Path):
    html = (built_town / "out" / "site" / "index.html").read_text(encoding="utf-8")
    finance = html.index("财政收支情况")
    assert html.index("2026q2-finance/") < html.index("2026q1-finance/")  # newest first
    assert finance < html.index("2026q2-finance/")
    assert "已结束" in html  # every sample's 公示期 is over by the build date
    for notice_id in SAMPLE_IDS:
        assert f'href="{notice_id}/"' in html


def test_status_reads_the_display_period():
    status = pipeline.site_pages.display_status
    start, end = dt.date(2026, 4, 12), dt.date(2026, 4, 21)
    assert [status(start, end, dt.date(2026, 4, d)) for d in (11, 12, 21, 22)] == [
        "未开始",
        "公示中",
        "公示中",
        "已结束",
    ]
    assert status(start, None, dt.date(2026, 4, 30)) == ""


def _rows(town: Path) -> list[tuple]:
    with sqlite3.connect(town / "out" / "register.sqlite") as connection:
        return connection.execute("SELECT id, revision, sha256 FROM publications ORDER BY id, revision").fetchall()


def test_register_has_one_row_per_publication_with_the_spec_fields(built_town: Path):
    with sqlite3.connect(built_town / "out" / "register.sqlite") as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(publications)")]
        version = connection.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
        row = connection.execute("SELECT * FROM publications WHERE id='2026q1-finance'").fetchone()
    assert int(version) == SCHEMA_VERSION
    assert columns == [
        "id",
        "revision",
        "title",
        "kind",
        "catalogue",
        "period",
        "date",
        "display_end",
        "reviewers",
        "sha256",
        "built_at",
        "content_sha256",
        "code",
    ]
    assert row[:8] == (
        "2026q1-finance",
        1,
        "两城镇2026年第一季度财政收支情况公示",
        "finance",
        "finance",
        "2026-Q1",
        "2026-04-12",
        "2026-04-21",
    )
    assert "保密审查：赵敏 2026-04-11" in row[8]
    assert row[9] == hashlib.sha256((built_town / "out" / "print" / "2026q1-finance.pdf").read_bytes()).hexdigest()
    assert [r[0] for r in _rows(built_town)] == sorted(SAMPLE_IDS + [LETTER_ID])


def test_unchanged_rebuild_adds_nothing_and_a_change_adds_a_revision(town: Path):
    assert run("build", "-w", town, "2026q2-finance").exit_code == 0
    first = _rows(town)
    assert run("build", "-w", town, "2026q2-finance").exit_code == 0
    assert _rows(town) == first
    yaml_path = town / "notices" / "2026q2-finance.yaml"
    changed = yaml_path.read_text(encoding="utf-8").replace("display_days: 10", "display_days: 15")
    yaml_path.write_text(changed, encoding="utf-8")
    refused = run("build", "-w", town, "2026q2-finance")  # changed, but the same sign-offs
    assert refused.exit_code == 1 and "内容在签批之后改动过（与已登记的第1版不同）" in refused.output
    assert _rows(town) == first
    # signed again after the change
    yaml_path.write_text(
        changed.replace("保密审查: {by: 赵敏, date: 2026-07-09}", "保密审查: {by: 赵敏, date: 2026-07-10}"),
        encoding="utf-8",
    )
    result = run("build", "-w", town, "2026q2-finance")
    assert "已登记 2026q2-finance 第2版" in result.output
    rows = _rows(town)
    assert [(r[0], r[1]) for r in rows] == [("2026q2-finance", 1), ("2026q2-finance", 2)]
    site = town / "out" / "site" / "2026q2-finance"
    assert hashlib.sha256((site / "r1.pdf").read_bytes()).hexdigest() == rows[0][2]
    assert hashlib.sha256((site / "r2.pdf").read_bytes()).hexdigest() == rows[1][2]
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "第1版" in page and "第2版" in page and 'href="r1.pdf"' in page


def test_drafts_are_never_registered_and_say_so_online(town: Path):
    result = run("build", "-w", town, "--draft", "2026q2-finance")
    assert result.exit_code == 0
    assert not (town / "out" / "register.sqlite").exists()
    page = (town / "out" / "site" / "2026q2-finance" / "index.html").read_text(encoding="utf-8")
    assert "草稿" in page
    assert "2026q2-finance/" not in (town / "out" / "site" / "index.html").read_text(encoding="utf-8")


def test_register_command_lists_and_counts_a_year(built_town: Path):
    listing = run("register", "-w", built_town)
    assert listing.exit_code == 0
    lines = listing.output.splitlines()
    assert lines[0].split() == ["发布日期", "公示期至", "编号", "版次", "类型", "标题", "生成时间", "核验码", "SHA-256"]
    row = next(line for line in lines if "2026q1-finance" in line).split()
    assert row[:5] == ["2026年4月12日", "2026年4月21日", "2026q1-finance", "第1版", "财政收支"]
    assert "T" not in row[-4] and "年" in row[-4]  # a local date and time, not an ISO stamp
    figures = run("register", "-w", built_town, "--year", "2026")
    assert figures.exit_code == 0
    assert "2026年主动公开：15 条（另有修订 0 次）" in figures.output
    assert "  财政收支情况\t2" in figures.output and "  名单\t3" in figures.output
    assert "  村级财务收支公开\t3" in figures.output and "  村级财务收支\t4" in figures.output
    assert "2025年主动公开：0 条" in run("register", "-w", built_town, "--year", "2025").output


def test_register_command_before_any_final_build(town: Path):
    result = run("register", "-w", town)
    assert result.exit_code == 0
    assert "还没有发布登记" in result.output


def test_a_damaged_register_is_a_clear_error(town: Path):
    (town / "out").mkdir()
    (town / "out" / "register.sqlite").write_bytes(b"not a database" * 100)
    result = run("register", "-w", town)
    assert result.exit_code == 2
    assert "已损坏" in result.output and "Traceback" not in result.output


def test_a_build_that_fails_halfway_leaves_print_site_and_register_as_they_were(town: Path, monkeypatch):
    assert run("build", "-w", town).exit_code == 0
    out = town / "out"
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    yaml_path = town / "notices" / "2026q2-finance.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace("第二季度", "第2季度"), encoding="utf-8")
    calls = {"n": 0}
    real = pipeline.render_png

    def fail_on_the_third(pdf):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(pdf)

    monkeypatch.setattr(pipeline, "render_png", fail_on_the_third)
    result = run("build", "-w", town)
    assert (
        result.exit_code == 2
        and "无法写入（磁盘已满：请腾出磁盘空间后再试）。之前生成的文件保持不变。" in result.output
    )
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not list(out.glob(".staging-*")) and len(list((out / ".generations").iterdir())) == 1


def test_a_layout_change_alone_is_a_new_revision_without_new_signoffs(town: Path):
    assert run("build", "-w", town, "2026q2-finance").exit_code == 0
    (town / "layouts").mkdir()
    (town / "layouts" / "base.yaml").write_text("colours: {band: '#1F4E9A'}\n", encoding="utf-8")
    result = run("build", "-w", town, "2026q2-finance")
    assert result.exit_code == 0, result.output
    assert [(r[0], r[1]) for r in _rows(town)] == [("2026q2-finance", 1), ("2026q2-finance", 2)]


def test_a_register_from_schema_1_is_migrated(town: Path):
    out = town / "out"
    out.mkdir()
    with sqlite3.connect(out / "register.sqlite") as connection:
        connection.executescript("""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT INTO meta VALUES ('schema_version', '1');
            CREATE TABLE publications (id TEXT NOT NULL, revision INTEGER NOT NULL, title TEXT NOT NULL,
                kind TEXT NOT NULL, catalogue TEXT, period TEXT, date TEXT NOT NULL, display_end TEXT,
                reviewers TEXT NOT NULL, sha256 TEXT NOT NULL, built_at TEXT NOT NULL, PRIMARY KEY (id, revision));
            INSERT INTO publications
                VALUES ('old', 1, '旧公示', 'finance', NULL, NULL, '2025-01-02', NULL, '', 'ab', 'x');
        """)
    assert run("build", "-w", town, "2026q2-finance").exit_code == 0
    assert [(r[0], r[1]) for r in _rows(town)] == [("2026q2-finance", 1), ("old", 1)]
    with sqlite3.connect(out / "register.sqlite") as connection:
        assert connection.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(
            SCHEMA_VERSION
        )


def test_published_files_are_readable_by_a_web_server(built_town: Path):
    import stat

    for path in [
        built_town / "out" / "site" / "index.html",
        built_town / "out" / "site" / "2026-org" / "index.html",
        built_town / "out" / "print" / "2026-org.pdf",
    ]:
        assert path.stat().st_mode & stat.S_IROTH, f"{path} is not world-readable"


def test_a_draft_page_carries_a_watermark(town: Path):
    assert run("build", "-w", town, "--draft", "2026-org").exit_code == 0
    html = (town / "out" / "site" / "2026-org" / "index.html").read_text(encoding="utf-8")
    assert '<body class="draft">' in html and 'body.draft::before{content:"草稿"' in html
    assert "<title>【草稿】" in html


def test_a_draft_never_replaces_a_published_copy(town: Path):
    assert run("build", "-w", town, "2026q2-finance").exit_code == 0
    out = town / "out"
    published = (out / "print" / "2026q2-finance.pdf").read_bytes()
    page = (out / "site" / "2026q2-finance" / "index.html").read_bytes()
    result = run("build", "-w", town, "--draft", "2026q2-finance")
    assert result.exit_code == 0
    assert (out / "print" / "2026q2-finance.pdf").read_bytes() == published
    assert (out / "site" / "2026q2-finance" / "index.html").read_bytes() == page
    assert "草稿" in (out / "draft" / "site" / "2026q2-finance" / "index.html").read_text(encoding="utf-8")
    assert (out / "draft" / "print" / "2026q2-finance.pdf").exists()


def test_an_output_folder_of_an_earlier_version_killed_while_swapping_is_put_back(town: Path):
    """Earlier versions swapped print/, site/ … one by one through .replaced-*: what a kill left there returns."""
    assert run("build", "-w", town, "2026q2-finance").exit_code == 0
    out = town / "out"
    page = (out / "site" / "2026q2-finance" / "index.html").read_bytes()
    legacy = town / "legacy-out"
    generation = out / ".current"
    shutil.copytree(generation, legacy, symlinks=False)  # the old layout: real folders under out/
    shutil.rmtree(out)
    legacy.rename(out)
    replaced = out / ".replaced-killed"
    replaced.mkdir()
    (out / "site").rename(replaced / "site")  # as if killed between the two renames of the old swap
    assert run("build", "-w", town, "--draft", "2026q1-finance").exit_code == 0
    assert (out / "site").is_symlink() and (out / "print").is_symlink()
    assert (out / "site" / "2026q2-finance" / "index.html").read_bytes() == page
    assert not replaced.exists()


def test_reordering_the_signoffs_does_not_hide_a_change(town: Path):
    assert run("build", "-w", town, "2026q2-finance").exit_code == 0
    yaml_path = town / "notices" / "2026q2-finance.yaml"
    text = yaml_path.read_text(encoding="utf-8").replace("display_days: 10", "display_days: 12")
    lines = text.splitlines()
    first, second = (
        lines.index("  初审: {by: 王小红, date: 2026-07-08}"),
        lines.index("  审核: {by: 李建国, date: 2026-07-09}"),
    )
    lines[first], lines[second] = lines[second], lines[first]
    yaml_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("build", "-w", town, "2026q2-finance")
    assert result.exit_code == 1 and "内容在签批之后改动过" in result.output


def test_a_change_in_noticeboard_yaml_needs_new_signoffs(town: Path):
    assert run("build", "-w", town, "2026q2-finance").exit_code == 0
    settings = town / "noticeboard.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("0537-1234567", "0537-7654321"), encoding="utf-8")
    result = run("build", "-w", town, "2026q2-finance")
    assert result.exit_code == 1 and "内容在签批之后改动过" in result.output


def test_a_line_break_inside_a_cell_hides_no_number(town: Path):
    csv = town / "notices" / "2026-voter-list.csv"
    text = csv.read_text(encoding="utf-8-sig")
    first_name = text.splitlines()[1].split(",")[1]
    csv.write_text(text.replace(first_name, f'"{first_name}6222020200\n112345679"', 1), encoding="utf-8")
    result = run("check", "-w", town)
    assert result.exit_code == 1
    assert "6222020200112345679" not in result.output
    assert "银行卡号" in result.output


def test_a_damaged_register_stops_a_build_plainly(town: Path):
    (town / "out").mkdir()
    (town / "out" / "register.sqlite").write_bytes(b"garbage" * 100)
    result = run("build", "-w", town, "2026q2-finance")
    assert result.exit_code == 2
    assert "已损坏" in result.output and "程序内部出错" not in result.output


def _revision_links(page: Path) -> list[tuple[str, str]]:
    """(file, SHA-256 prefix) of every revision the page links."""
    html = page.read_text(encoding="utf-8")
    return re.findall(r'<td[^>]*><a href="(r\d+\.pdf)">r\d+\.pdf</a></td><td[^>]*><code>([0-9a-f]{16})…</code>', html)


def test_after_the_register_is_lost_no_revision_links_a_file_of_another_sha(town: Path):
    """Issue 13, item 5: build, change, build, delete the register, build."""
    notice = "2026q2-finance"
    assert run("build", "-w", town, notice).exit_code == 0
    (town / "layouts").mkdir()
    (town / "layouts" / "base.yaml").write_text("colours: {band: '#1F4E9A'}\n", encoding="utf-8")
    assert run("build", "-w", town, notice).exit_code == 0
    out = town / "out"
    folder = out / "site" / notice
    first = hashlib.sha256((folder / "r1.pdf").read_bytes()).hexdigest()
    assert len(_revision_links(folder / "index.html")) == 2
    (out / "register.sqlite").unlink()  # lost, or moved away as the damaged-register message advises
    result = run("build", "-w", town, notice)
    assert result.exit_code == 0, result.output
    assert f"已登记 {notice} 第1版" in result.output
    links = _revision_links(folder / "index.html")
    assert [name for name, _ in links] == ["r1.pdf"]
    for name, sha in links:
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest().startswith(sha), name
    assert sha == hashlib.sha256((folder / f"{notice}.pdf").read_bytes()).hexdigest()[:16]
    assert (folder / f"r1-{first[:12]}.pdf").is_file()  # the first publication is kept, under its own hash
    assert [(r[0], r[1]) for r in _rows(town)] == [(notice, 1)]


def test_a_register_restored_by_hand_is_the_one_used(town: Path):
    assert run("build", "-w", town, "2026q2-finance").exit_code == 0
    out = town / "out"
    backup = town / "backup.sqlite"
    shutil.copy(out / "register.sqlite", backup)
    (out / "register.sqlite").unlink()
    assert run("build", "-w", town, "2026q1-finance").exit_code == 0
    assert [r[0] for r in _rows(town)] == ["2026q1-finance"]
    os.replace(backup, out / "register.sqlite")  # over the link: a real file where the register was
    assert run("build", "-w", town, "2026-org").exit_code == 0
    assert sorted(r[0] for r in _rows(town)) == ["2026-org", "2026q2-finance"]
    assert (out / "register.sqlite").is_symlink()
