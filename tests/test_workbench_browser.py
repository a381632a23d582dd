"""The workbench end to end, in Debian's Chromium through playwright, against the real `noticeboard serve`:
a clerk (信息员) makes a finance notice from the template, uploads its table with one bad cell, sees that
cell red in the table view and fixes it there; the three reviewers sign in turn, each after the previews
have loaded; someone holding no due role sees no sign form; the clerk runs the final build and downloads
the print PDF; and `noticeboard build` on the command line then agrees: the workbench's sign-offs count."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import pdf_text
from test_browser import ARGS, CHROMIUM

from noticeboard.resources import fonts_dir, samples_dir

# The first quarter of next year: a first quarter's 累计数 is its 本期数, so the table needs no earlier notice
NOTICE = "2027q1-finance"
TITLE = "两城镇2027年第一季度财政收支情况公示"
CLERK = ("刘会计", "信息员")
REVIEWERS = [("王小红", "初审"), ("李建国", "审核"), ("赵敏", "保密审查")]
PASSWORD = "Lcz-2026-workbench"  # one for all: what is tested is who signs, not the passwords
PHONE_WIDTH = 360
# The rows the clerk types into the template, by header. They reconcile (类 = sum of its 款, 合计 = sum of
# 类), so the one bad cell is the only thing wrong with the table.
ROWS = [
    {"科目编码": "101", "科目名称": "税收收入", "预算数": 300, "本期数": 80, "累计数": 80, "上年同期数": 70},
    {"科目编码": "10101", "科目名称": "增值税", "预算数": 200, "本期数": 50, "累计数": 50, "上年同期数": 40},
    {"科目编码": "10104", "科目名称": "企业所得税", "预算数": 100, "本期数": 30, "累计数": 30, "上年同期数": 30},
    {"科目编码": "", "科目名称": "收入合计", "预算数": 300, "本期数": 80, "累计数": 80, "上年同期数": 70},
    {"科目编码": "201", "科目名称": "一般公共服务支出", "预算数": 250, "本期数": 60, "累计数": 60, "上年同期数": 55},
    {
        "科目编码": "20103",
        "科目名称": "政府办公厅（室）及相关机构事务",
        "预算数": 250,
        "本期数": 60,
        "累计数": 60,
        "上年同期数": 55,
    },
    {"科目编码": "", "科目名称": "支出合计", "预算数": 250, "本期数": 60, "累计数": 60, "上年同期数": 55},
]
# The form as the clerk fills it in, by YAML key (the labels are Chinese: 编号, 标题, 所属期间 …)
FORM = {
    "id": NOTICE,
    "title": TITLE,
    "period": "2027-Q1",
    "date": "2027-04-12",
    "catalogue": "finance",
    "paper": "A4",
    "unit": "万元",
}
BAD = (2, "预算数", "一百")  # row index in ROWS, column, what the clerk mistyped: 企业所得税's budget in words
FIXED = "100.00"
NATURAL_WIDTHS = "() => Array.from(document.querySelectorAll('img[src*=\"/preview/\"]'), i => i.naturalWidth)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def noticeboard(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "noticeboard", *args], input=stdin, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("workbench") / "town"
    shutil.copytree(samples_dir() / "town", root, ignore=shutil.ignore_patterns("out"))
    for name, role in [CLERK, *REVIEWERS]:
        made = noticeboard("user", "add", name, "--role", role, "-w", str(root), stdin=f"{PASSWORD}\n{PASSWORD}\n")
        assert made.returncode == 0 and name in made.stdout, made.stdout + made.stderr
    return root


@pytest.fixture(scope="module")
def server(workspace: Path, tmp_path_factory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "noticeboard", "serve", "-w", str(workspace), "--port", str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, log.read_text(encoding="utf-8", errors="replace")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "noticeboard serve did not listen within 60 s"
                    time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed here (.ci/run installs it with apt-get)")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install '.[test]' brings playwright")
    config = tmp_path_factory.mktemp("fontconfig") / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{fonts_dir()}</dir>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include></fontconfig>',
        encoding="utf-8",
    )
    with playwright_api.sync_playwright() as driver:
        # the whole environment, not only the fonts: without a locale Chromium cannot take a file named 填好的.xlsx
        environment = {**os.environ, "FONTCONFIG_FILE": str(config)}
        instance = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=environment)
        yield instance
        instance.close()


def signed_in(browser, server: str, name: str, width: int = 1280):
    """A fresh browser context (its own cookies) signed in as ``name``, on the notice list."""
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=server, accept_downloads=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/signin/")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{server}/")
    assert page.get_by_role("heading", name="公示列表").is_visible()
    return context, page


def previews_load(page) -> list[int]:
    """Every preview scrolled into view (they load lazily) and its natural width once it has loaded."""
    images = page.locator('img[src*="/preview/"]')
    assert images.count() >= 1, page.content()
    for i in range(images.count()):
        images.nth(i).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('img[src*=\"/preview/\"]')).every(i => i.complete)"
    )
    return page.evaluate(NATURAL_WIDTHS)


def set_field(page, name: str, value: str) -> None:
    """Type into the form's field for ``name``, or choose from it where the form offers a list."""
    field = page.locator(f'[name="{name}"]')
    if field.evaluate("e => e.tagName") == "SELECT":
        field.select_option(value)
    else:
        field.fill(value)


def cell_text(page, ref: str) -> str:
    """The text of a cell of the table view by its name (C4), found by its row and column headers."""
    found = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    assert found, ref
    column, row = found.groups()
    return page.evaluate(
        """([column, row]) => {
          const columns = Array.from(document.querySelectorAll('table.sheet thead th'), th => th.textContent.trim());
          for (const tr of document.querySelectorAll('table.sheet tbody tr')) {
            const number = tr.querySelector('th').textContent.trim();
            if (number === row) return tr.children[columns.indexOf(column)].textContent.trim();
          }
          return null;
        }""",
        [column, row],
    )


def no_sideways_scroll(page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url}: {overflow} px wider than a {PHONE_WIDTH} px phone"


def fill_template(template: Path, target: Path) -> str:
    """The downloaded template with ROWS typed in under its headers; returns the bad cell's name (C4)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    book = load_workbook(template)
    sheet = book.active
    header_row = next(r for r in range(1, sheet.max_row + 1) if "科目名称" in [c.value for c in sheet[r]])
    columns = {c.value: c.column for c in sheet[header_row] if c.value}
    assert set(ROWS[0]) <= set(columns), f"the template's headers: {sorted(columns)}"
    if sheet.max_row > header_row:  # examples or notes below the headers make way for the clerk's rows
        sheet.delete_rows(header_row + 1, sheet.max_row - header_row)
    for offset, row in enumerate(ROWS, start=1):
        for header, value in row.items():
            sheet.cell(row=header_row + offset, column=columns[header], value=value if value != "" else None)
    index, header, wrong = BAD
    sheet.cell(row=header_row + 1 + index, column=columns[header], value=wrong)
    book.save(target)
    return f"{get_column_letter(columns[header])}{header_row + 1 + index}"


def test_a_clerk_and_three_reviewers_take_a_finance_notice_from_template_to_print(
    browser, server: str, workspace: Path, tmp_path: Path
):
    clerk, page = signed_in(browser, server, CLERK[0])

    # a new finance notice from the form
    page.get_by_role("main").get_by_role("link", name="新建公示").click()
    page.locator('a[href="/new/finance/"]').click()
    for name, value in FORM.items():
        set_field(page, name, value)
    with page.expect_download() as template_download:
        page.get_by_role("link", name="下载数据表模板").click()
    template = tmp_path / "template.xlsx"
    assert template_download.value.url == f"{server}/template/finance.xlsx"
    template_download.value.save_as(template)
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert page.url == f"{server}/n/{NOTICE}/", page.locator("main").inner_text()
    assert (workspace / "notices" / f"{NOTICE}.yaml").exists()

    # the clerk's table, with one mistyped amount, uploaded
    table = tmp_path / f"{NOTICE}-填好的.xlsx"
    bad_cell = fill_template(template, table)
    page.set_input_files('input[name="table"]', str(table))
    with page.expect_navigation():
        page.get_by_role("button", name="上传", exact=True).click()
    # a table with errors: the upload lands on the table view, where the red cells are
    assert page.url == f"{server}/n/{NOTICE}/table/", page.locator("main").inner_text()
    marked = page.locator('td[aria-invalid="true"]')
    assert marked.count() >= 1
    ids = [marked.nth(i).get_attribute("id") for i in range(marked.count())]
    assert bad_cell in ids, f"red cells {ids}, the mistyped one is {bad_cell}"
    red = page.locator(f'td#{bad_cell}[aria-invalid="true"]')
    assert "一百" in red.inner_text()
    message = red.get_attribute("title") or ""
    assert message, "the red cell carries its problem as its title"
    listed = page.locator("ul.problems li").filter(has=page.locator(f'a[href="#{bad_cell}"]'))
    assert listed.count() >= 1 and message.split("；")[0] in listed.first.inner_text()
    # the same problem on the notice page, as `check` prints it: FILE[SHEET]!CELL
    named = rf"notices/{NOTICE}\.xlsx\[[^\]]+\]!{bad_cell}: 错误"
    clerk_phone = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 800}, base_url=server)
    clerk_phone.add_cookies(clerk.cookies())
    phone = clerk_phone.new_page()
    phone.goto(f"/n/{NOTICE}/table/")
    phone.screenshot(path=str(tmp_path / "table-360.png"), full_page=True)
    no_sideways_scroll(phone)
    # the fix form is reachable without swiping: its input and button lie inside the phone's width
    phone_card = phone.locator(f"li#fix-{bad_cell}")
    for part in (phone_card.locator('input[name="value"]'), phone_card.get_by_role("button", name="改正")):
        box = part.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH, box
    phone.goto(f"/n/{NOTICE}/")
    assert re.search(named, phone.locator("main").inner_text()), phone.locator("main").inner_text()

    # fixed through the cell's own card, which the red cell links to
    card = page.locator(f"li#fix-{bad_cell}")
    assert red.locator("a").get_attribute("href") == f"#fix-{bad_cell}"
    card.locator('input[name="value"]').fill(FIXED)
    with page.expect_navigation():
        card.get_by_role("button", name="改正").click()
    assert page.locator('td[aria-invalid="true"]').count() == 0, page.locator("ul.problems").all_inner_texts()
    assert cell_text(page, bad_cell) in {FIXED, "100", "100.0"}
    page.goto(f"/n/{NOTICE}/")
    assert page.locator("form.sign").count() == 0, "the clerk holds no review role, so has nothing to sign"
    phone.goto(f"/n/{NOTICE}/")
    previews_load(phone)
    phone.screenshot(path=str(tmp_path / "notice-360.png"), full_page=True)
    no_sideways_scroll(phone)
    clerk_phone.close()

    # 审核 is not due before 初审 has agreed: its holder sees the chain but no sign form
    context, early = signed_in(browser, server, REVIEWERS[1][0])
    early.goto(f"/n/{NOTICE}/")
    assert early.locator("form.sign").count() == 0
    context.close()

    # the three reviewers in turn, each after looking at every sheet
    for done, (name, role) in enumerate(REVIEWERS):
        context, reviewer = signed_in(browser, server, name)
        reviewer.goto(f"/n/{NOTICE}/")
        widths = previews_load(reviewer)
        assert widths and all(w > 0 for w in widths), widths
        form = reviewer.locator("form.sign")
        assert form.count() == 1 and role in form.inner_text()
        with reviewer.expect_navigation():
            form.get_by_role("button", name="同意").click()
        assert "已记录" in reviewer.locator("body").inner_text()
        chain = reviewer.locator("ol.chain li")
        for position, (other, other_role) in enumerate(REVIEWERS):
            entry = chain.filter(has_text=other_role).inner_text()
            if position <= done:
                assert "已同意" in entry and other in entry, entry
            else:
                assert "还没有签" in entry, entry
        assert reviewer.locator("form.sign").count() == 0, "signed: nothing left for this reviewer to sign"
        context.close()

    # the clerk sees who signed, runs the final build and takes the print PDF
    page.goto(f"/n/{NOTICE}/")
    chain = page.locator("ol.chain").inner_text()
    assert all(name in chain for name, _ in REVIEWERS) and "还没有签" not in chain
    page.goto(f"/build/?id={NOTICE}")
    with page.expect_navigation():
        page.get_by_role("button", name="正式生成").click()
    assert page.locator("text=未生成").count() == 0, page.locator("section.card").inner_text()
    with page.expect_download() as print_download:
        page.locator(f'a[href^="/files/{NOTICE}/"]').filter(has_text="印刷").first.click()
    downloaded = tmp_path / "downloaded.pdf"
    print_download.value.save_as(downloaded)
    text = pdf_text(downloaded)
    assert TITLE in text and all(name in text for name, _ in REVIEWERS)
    clerk.close()

    # and the command line agrees: the workbench's sign-offs count for a final build
    shutil.rmtree(workspace / "out")
    built = noticeboard("build", "-w", str(workspace), NOTICE)
    assert built.returncode == 0, built.stdout + built.stderr
    printed = workspace / "out" / "print" / f"{NOTICE}.pdf"
    text = pdf_text(printed)
    assert TITLE in text
    for name, role in REVIEWERS:
        assert f"{role}：{name}" in text
