"""The pages. Each one asks noticeboard.desk for what to show or do and renders it: who may do what
is decided here, what a notice is and what is wrong with it is decided by the library."""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .. import desk
from ..privacy import masked_text
from . import audit, uploads
from .models import AuditEntry

PACKAGE = Path(__file__).resolve().parent
OFFICERS = {desk.OFFICER, desk.ADMIN}


def root() -> Path:
    return settings.NOTICEBOARD_ROOT


def held(request: HttpRequest) -> set[str]:
    """The roles the signed-in user holds: their Django groups, named by role. None for a request
    refused before the user is known (a forged Host header is refused before authentication runs,
    and its 400 page is drawn with this context too)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(request, "_roles", None)
    if cached is None:
        cached = set(request.user.groups.values_list("name", flat=True))
        request._roles = cached
    return cached


def roles_context(request: HttpRequest) -> dict:
    roles = held(request)
    return {
        "held": sorted(roles),
        "is_officer": bool(roles & OFFICERS),
        "is_admin": desk.ADMIN in roles,
    }


def officer_only(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not held(request) & OFFICERS:
            raise PermissionDenied(
                "只有信息员或管理员可以做这件事。请找信息员，或请管理员给您的账号加上「信息员」角色。"
            )
        return view(request, *args, **kwargs)

    return wrapped


def admin_only(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if desk.ADMIN not in held(request):
            raise PermissionDenied("审计日志只有管理员可以查看。")
        return view(request, *args, **kwargs)

    return wrapped


def _state(notice_id: str) -> desk.NoticeState:
    try:
        return desk.notice_state(root(), notice_id)
    except LookupError:
        raise Http404(f"没有编号为「{notice_id}」的公示。") from None


def _field(problem, notice_id: str) -> str | None:
    try:
        return desk.field_of(problem, root(), notice_id)
    except LookupError:  # a notice not yet written has no file whose lines could say
        return None


def _name(request: HttpRequest) -> str:
    return request.user.get_username()


# ---------------------------------------------------------------- signing in and out


class SignIn(auth_views.LoginView):
    template_name = "web/signin.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["no_accounts"] = not get_user_model().objects.exists()
        context["workspace"] = root()
        return context


class SignOut(auth_views.LogoutView):
    pass


@login_not_required
def stylesheet(request: HttpRequest) -> HttpResponse:
    response = HttpResponse((PACKAGE / "static" / "noticeboard.css").read_bytes(), content_type="text/css")
    response["Cache-Control"] = "max-age=3600"
    return response


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "web/403_csrf.html", status=403)


# ---------------------------------------------------------------- the list


def index(request: HttpRequest) -> HttpResponse:
    board = request.GET.get("board") or None
    catalogue = request.GET.get("catalogue") or None
    overview = desk.overview(root(), board=board, catalogue=catalogue)
    return render(request, "web/index.html", {"overview": overview, "board": board, "catalogue": catalogue})


# ---------------------------------------------------------------- new and edit


@officer_only
def new(request: HttpRequest) -> HttpResponse:
    return render(request, "web/new.html", {"kinds": desk.kinds()})


def _kind_label(kind: str) -> str:
    labels = dict(desk.kinds())
    if kind not in labels:
        raise Http404(f"没有「{kind}」这种公示。")
    return labels[kind]


def _form(
    request,
    kind: str,
    values: dict[str, str],
    problems,
    notice_id: str | None,
    editing: bool,
    refused=False,
    base: str = "",
):
    fields = desk.form_fields(root(), kind)
    beside: dict[str, list] = {}
    general = []
    for problem in problems:
        name = _field(problem, notice_id or values.get("id", ""))
        if name and any(f.name == name for f in fields):
            beside.setdefault(name, []).append(problem)
        else:
            general.append(problem)
    rows = [
        {
            "spec": f,
            "value": values.get(f.name, f.default),
            "problems": beside.get(f.name, []),
            "locked": editing and f.name == "id",  # the id names the file and its sign-offs
        }
        for f in fields
    ]
    return render(
        request,
        "web/form.html",
        {
            "kind": kind,
            "kind_label": _kind_label(kind),
            "rows": rows,
            "general": general,
            "notice_id": notice_id,
            "editing": editing,
            "has_errors": refused,  # the form was posted and nothing was written
            "base": base,  # the file as the form shows it: a save over a newer file is refused
        },
        status=200,
    )


def _posted(request: HttpRequest, kind: str) -> dict[str, str]:
    """The form's fields that the post carries. A field it lacks is left as the file has it: an empty
    or cut-off post must not remove keys. Every field of the form is an input, textarea or select
    (booleans too: 是/否/默认), so a post of the whole form carries each, empty ones included."""
    # a list's lines keep their indentation: it is what nests them
    return {
        f.name: request.POST[f.name] if f.type == "yaml" else request.POST[f.name].strip()
        for f in desk.form_fields(root(), kind)
        if f.name in request.POST
    }


@officer_only
def new_kind(request: HttpRequest, kind: str) -> HttpResponse:
    _kind_label(kind)
    if request.method != "POST":
        return _form(request, kind, {}, [], None, editing=False)
    values = _posted(request, kind)
    written = desk.write_notice(root(), kind, values)
    if written.path is None or written.notice_id is None:
        return _form(request, kind, values, written.problems, None, editing=False, refused=True)
    audit.record(_name(request), audit.NEW, written.notice_id, f"{_kind_label(kind)}：{written.path.name}")
    return _saved(request, written, kind)


def _saved(request: HttpRequest, written: desk.Written, kind: str) -> HttpResponse:
    """Saved: to the notice page, or, when a field of the form still has an error, back to the form,
    where it is shown beside that field."""
    assert written.path is not None and written.notice_id is not None
    names = {f.name for f in desk.form_fields(root(), kind)}
    in_form = [p for p in written.problems if p.is_error and _field(p, written.notice_id) in names]
    if in_form:
        messages.warning(request, f"已保存 {written.path.name}，但表单里还有 {len(in_form)} 处错误，请看标出的地方。")
        return redirect(reverse("edit", kwargs={"notice_id": written.notice_id}) + f"?kind={kind}")
    messages.success(request, f"已保存 {written.path.name}。")
    return redirect("notice", notice_id=written.notice_id)


@officer_only
def edit(request: HttpRequest, notice_id: str) -> HttpResponse:
    state = _state(notice_id)
    current = desk.notice_values(root(), notice_id)
    # a notice whose file does not load has no kind in its state; the form that saved it said which
    kind = state.kind or current.get("kind") or request.GET.get("kind") or request.POST.get("kind", "")
    if kind not in dict(desk.kinds()):
        return render(request, "web/unreadable.html", {"problem": "；".join(map(str, state.problems))}, status=200)
    if request.method != "POST":
        base = desk.file_version(root(), notice_id)
        return _form(request, kind, current, state.problems, notice_id, editing=True, base=base)
    values = _posted(request, kind)
    values["id"] = notice_id
    base = request.POST.get("base", "")
    before = desk.file_version(root(), notice_id)
    written = desk.write_notice(root(), kind, values, notice_id=notice_id, base=base or None)
    if written.path is None:
        return _form(request, kind, values, written.problems, notice_id, editing=True, refused=True, base=base)
    if desk.file_version(root(), notice_id) == before:
        messages.info(request, "没有改动，文件保持原样。")
        return redirect("notice", notice_id=notice_id)
    audit.record(_name(request), audit.EDIT, notice_id, written.path.name)
    if any(s.state in ("signed", "returned") for s in state.chain):
        messages.info(request, "内容改动后，改动前的签批要重新签。")
    return _saved(request, written, kind)


@officer_only
def template(request: HttpRequest, kind: str) -> HttpResponse:
    _kind_label(kind)
    name, data = desk.template(kind)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = _attachment(name)
    return response


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(name)}"


# ---------------------------------------------------------------- one notice


def notice(request: HttpRequest, notice_id: str) -> HttpResponse:
    state = _state(notice_id)
    previews = desk.previews(root(), notice_id)
    roles = held(request)
    can_sign = [s.role for s in state.chain if s.ready and s.role in roles and s.state != "signed"]
    return render(
        request,
        "web/notice.html",
        {
            "state": state,
            "previews": previews,
            "sheets": range(1, len(previews.images) + 1),
            "can_sign": can_sign,
            "can_agree": _seen(previews, state.fingerprint),
            "agree": desk.AGREE,
            "refuse": desk.RETURN,
            "suffixes": ",".join(desk.TABLE_SUFFIXES),
            "max_mb": desk.MAX_UPLOAD_BYTES // (1024 * 1024),
            "history": list(reversed(state.history)),
        },
    )


def preview(request: HttpRequest, notice_id: str, number: int) -> HttpResponse:
    # no notice_state here: a page of ten sheets asks ten times, and the cached previews cost a stat
    try:
        shown = desk.previews(root(), notice_id)
    except LookupError:
        raise Http404(f"没有编号为「{notice_id}」的公示。") from None
    if not 1 <= number <= len(shown.images):
        raise Http404(f"「{notice_id}」没有第 {number} 张。")
    response = FileResponse(
        open(shown.images[number - 1], "rb"),  # noqa: SIM115 - FileResponse closes it
        content_type="image/png",
    )
    # the notice page names the content's fingerprint in the address, so a changed notice is a new
    # address and the browser may keep this one; a bare address is checked again every time
    fresh = request.GET.get("v") == shown.fingerprint[:16] and shown.fingerprint
    response["Cache-Control"] = "private, max-age=3600" if fresh else "private, no-cache"
    return response


@csrf_exempt  # checked below, once the body is parsed: Django's parser would have lost the name as sent
@require_POST
@officer_only
def upload(request: HttpRequest, notice_id: str) -> HttpResponse:
    parsed = uploads.parse(request) if request.content_type == "multipart/form-data" else None
    refused = uploads.csrf_refusal(request)
    if refused is not None:
        return refused
    _state(notice_id)
    if isinstance(parsed, str):
        messages.error(request, parsed)
        return redirect("notice", notice_id=notice_id)
    sent = request.FILES.get("table")
    name = (parsed.raw.get("table") if parsed else None) or (sent.name if sent else "") or ""
    if sent is None and parsed is not None and parsed.dropped:
        name = parsed.dropped[0]  # a name Django's sanitising left empty, such as `..`: desk says why not
    elif sent is None:
        messages.error(request, "请先选择要上传的数据表文件（Excel、WPS 或 CSV）。")
        return redirect("notice", notice_id=notice_id)
    # never more than one byte past the limit in memory: that byte is what makes desk refuse it
    data = sent.read(desk.MAX_UPLOAD_BYTES + 1) if sent is not None else b""
    written = desk.save_table(root(), notice_id, name, data)
    if written.path is None:
        for problem in written.problems or []:
            messages.error(request, str(problem))
        if not written.problems:
            messages.error(request, "没有保存这个文件。")
        return redirect("notice", notice_id=notice_id)
    audit.record(_name(request), audit.UPLOAD, notice_id, f"{masked_text(name)} → {written.path.name}")
    errors = [p for p in written.problems if p.is_error]
    on_cells = [p for p in errors if p.where.cell]
    # red cells are where the clerk fixes a cell; an error of the notice file is read on its own page
    if on_cells:
        said = f"发现 {len(errors)} 个错误，请看数据表里标红的格子。"
    else:
        said = f"发现 {len(errors)} 个错误，请看下面列出的问题。" if errors else ""
    messages.success(request, f"已上传，保存为 {written.path.name}。" + said)
    return redirect("table" if on_cells else "notice", notice_id=notice_id)


def table(request: HttpRequest, notice_id: str) -> HttpResponse:
    state = _state(notice_id)
    grids = []
    for grid in desk.table_grids(root(), notice_id):
        rows = [
            (
                number,
                [
                    {"ref": f"{column}{number}", "text": text, "marks": grid.marks.get(f"{column}{number}", [])}
                    for column, text in zip(grid.columns, cells)
                ],
            )
            for number, cells in grid.rows
        ]
        shown = {c["ref"]: c["text"] for _, cells in rows for c in cells}
        # one card per marked cell, outside the table's scroll box: on a phone the table scrolls
        # sideways, and a fix form inside a far column would sit off the screen
        marked = [
            {
                "ref": ref,
                "marks": marks,
                "text": shown.get(ref, ""),
                "shown": ref in shown,
                "masked": ref in grid.masked,
            }
            for ref, marks in grid.marks.items()
            if marks
        ]
        grids.append({"grid": grid, "rows": rows, "marked": marked})
    # what is wrong beyond any one cell (a column the notice names that the table lacks, a missing
    # file): said here too, or a clerk sent to the table would look for red cells that are not there
    beyond = [p for p in state.problems if p.is_error and not p.where.cell]
    return render(request, "web/table.html", {"state": state, "grids": grids, "beyond": beyond})


@require_POST
@officer_only
def cell(request: HttpRequest, notice_id: str) -> HttpResponse:
    _state(notice_id)
    file = request.POST.get("file", "")
    sheet = request.POST.get("sheet") or None
    ref = request.POST.get("cell", "")
    value = request.POST.get("value", "")
    written = desk.set_cell(root(), notice_id, file, sheet, ref, value)
    place = f"{file}[{sheet}]!{ref}" if sheet else f"{file} {ref}"
    if written.path is None:
        for problem in written.problems:
            messages.error(request, str(problem))
    else:
        audit.record(_name(request), audit.CELL, notice_id, masked_text(f"{place} 改为「{value}」"))
        errors = sum(1 for p in written.problems if p.is_error)
        messages.success(request, f"已改正 {place}。" + (f"还有 {errors} 个错误。" if errors else "数据表没有错误了。"))
    # refused: back to the cell's card, where the value can be typed again; fixed: to the cell itself
    anchor = f"#fix-{ref}" if written.path is None else f"#{ref}"
    return redirect(reverse("table", kwargs={"notice_id": notice_id}) + anchor)


def _seen(previews: desk.Previews, fingerprint: str) -> bool:
    """Could the reviewer see every sheet that will print of the content they sign? Not when the
    notice has errors (it has no previews) or the previews are of other content."""
    return bool(previews.images) and bool(fingerprint) and previews.fingerprint == fingerprint


@require_POST
def sign(request: HttpRequest, notice_id: str) -> HttpResponse:
    _state(notice_id)
    role = request.POST.get("role", "")
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "").strip()
    fingerprint = request.POST.get("fingerprint", "")
    # 同意 is to what will print, so there must be sheets to see; 退回 needs only a reason. Content
    # changed since the page was shown is desk's to refuse (the previews are always of the current content)
    if decision == desk.AGREE and role in held(request) and not desk.previews(root(), notice_id).images:
        messages.error(request, "这份公示有错误，没有预览可看，不能同意。请信息员先改正；也可以选「退回」并写明理由。")
        return redirect("notice", notice_id=notice_id)
    problems = desk.sign(
        root(),
        notice_id,
        role=role,
        by=_name(request),
        held=held(request),
        decision=decision,
        reason=reason,
        fingerprint=fingerprint,
    )
    if problems:
        for problem in problems:
            messages.error(request, problem.message)
    else:
        said = f"{role}：{decision}" + (f"（{reason}）" if reason else "")
        # the audit log says which content was signed, as the record in signoffs/ does
        audit.record(_name(request), audit.SIGN, notice_id, f"{said}；内容指纹 {fingerprint}")
        messages.success(request, f"已记录：{role} {decision}。")
    return redirect("notice", notice_id=notice_id)


# ---------------------------------------------------------------- the final build and downloads


TILE_SHEETS = ("A4", "A3")


@officer_only
def build(request: HttpRequest) -> HttpResponse:
    only = request.POST.get("id") or request.GET.get("id") or None
    if only:
        _state(only)
    result = None
    if request.method == "POST":
        # posters larger than the office printer's sheet, cut into tiles for it (as `build --tile`)
        tile = request.POST.get("tile") if request.POST.get("tile") in TILE_SHEETS else None
        result = desk.final_build(root(), [only] if only else None, tile_sheet=tile)
        errors = sum(1 for p in result.problems if p.is_error)
        detail = f"生成 {len(result.written)} 个文件，{errors} 个错误" + (f"，拼贴到 {tile}" if tile else "")
        if result.refused:
            detail += f"；未生成：{'、'.join(result.refused)}"
        audit.record(_name(request), audit.BUILD, only or "", detail)
    rows = [r for r in desk.overview(root()).rows if not only or r.id == only]
    files = [(r, desk.downloads(root(), r.id) if r.loaded else []) for r in rows]
    return render(request, "web/build.html", {"result": result, "files": files, "only": only})


def download(request: HttpRequest, notice_id: str, name: str) -> HttpResponse:
    _state(notice_id)
    # only what desk lists is served: the name from the address is matched, never opened as a path
    for item in desk.downloads(root(), notice_id):
        if item.path.name == name:
            return FileResponse(open(item.path, "rb"), as_attachment=True, filename=item.path.name)
    raise Http404(f"「{notice_id}」没有叫「{name}」的文件，请先正式生成。")


@admin_only
def audit_log(request: HttpRequest) -> HttpResponse:
    page = Paginator(AuditEntry.objects.all(), 100).get_page(request.GET.get("page"))
    return render(request, "web/audit.html", {"page": page})
