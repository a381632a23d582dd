"""The pipeline: load, check, lay out, render, write. Used by the CLI and by Python callers."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import memory, templates
from .checks import check_signoffs, run_checks
from .checks.signoffs import check_changed_since_signoff
from .dates import chinese_date
from .kinds import Composition
from .kinds.registry import registry
from .layout.paper import page_size
from .load.workspace import SETTINGS_FILE, Loaded, load_workspace
from .models import Notice, Settings
from .problems import (
    Problem,
    UnreadableInput,
    Where,
    error,
    has_errors,
    os_reason,
    sorted_problems,
    warning,
)
from .publish import atomic, register
from .render import site as site_pages
from .render import tile
from .render.png import render_png
from .render.share import share_png
from .templates import DRAFT_MARK, LaidOut, Progress, Unprintable
from .templates import signoffs as _signoffs

__all__ = [
    "BUILD_RUNNING",
    "DRAFT_MARK",
    "Progress",
    "Result",
    "Unprintable",
    "build",
    "check",
    "lay_out",
    "publications",
    "render",
    "render_file",
    "year_figures",
]


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    registered: list[tuple[str, int]] = field(default_factory=list)  # (id, revision) newly registered

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems) and not self.refused


def _select(loaded: Loaded, ids: list[str] | None) -> tuple[list[Notice], set[str]]:
    """The notices named on the command line, and the files whose problems concern them.

    A name that matches a notice file that failed to load is not a usage error: its
    load problems are what the user needs to see.
    """
    if not ids:
        return list(loaded.workspace.notices), loaded.all_notice_files | set(loaded.yaml_files.values())
    known = {n.id for n in loaded.workspace.notices}
    unknown = [i for i in ids if i not in known and i not in loaded.yaml_files]
    if unknown:
        existing = "、".join(sorted(known)) or "（无）"
        raise UnreadableInput(error(Where("notices/"), f"没有编号为「{'、'.join(unknown)}」的通知。现有：{existing}。"))
    notices = [n for n in loaded.workspace.notices if n.id in ids]
    files = set().union(*(loaded.notice_files[n.id] for n in notices))
    files |= {loaded.yaml_files[i] for i in ids if i in loaded.yaml_files}
    return notices, files


def _in_notice_files(problem: Problem, loaded: Loaded) -> bool:
    return problem.where.file in loaded.all_notice_files or problem.where.file in loaded.yaml_files.values()


def _unloaded(loaded: Loaded, ids: list[str] | None) -> list[str]:
    """The notices asked for whose file did not load: every one when none was named."""
    known = {n.id for n in loaded.workspace.notices}
    if not ids:
        return [i for i in loaded.failed if i not in known]
    failed_files = {display: i for i, display in loaded.failed.items()}
    return [failed_files.get(loaded.yaml_files.get(i, ""), i) for i in ids if i not in known]


def _withdraw(staged: Path, notice_ids: list[str]) -> None:
    """A notice that did not load this time has no current print copy: an officer must not print last
    build's file as if it were today's. Its online page and archived revisions stay (the QR codes
    already on the boards point there), and the register keeps its history."""
    for notice_id in notice_ids:
        for base in (staged, staged / "draft"):
            for suffix in templates.print_suffixes():
                (base / "print" / f"{notice_id}{suffix}.pdf").unlink(missing_ok=True)
            (base / "preview" / f"{notice_id}.png").unlink(missing_ok=True)


def _shared_errors(problems: list[Problem], loaded: Loaded) -> bool:
    """Errors outside any notice's files (noticeboard.yaml, layouts) stop the whole build."""
    return any(p.is_error and not _in_notice_files(p, loaded) for p in problems)


def check(root: Path | str, ids: list[str] | None = None) -> Result:
    """Run every check on the workspace at ``root`` (or on the notices ``ids``); nothing is written.

    Returns a Result whose ``problems`` are located and in plain Chinese; ``ok`` is False when
    any is an error. Raises UnreadableInput when the workspace cannot be read at all."""
    root = Path(root)
    loaded = load_workspace(root)
    notices, files = _select(loaded, ids)
    problems = loaded.problems + run_checks(loaded, notices)
    # keep the shared problems (noticeboard.yaml, layouts) and those of the chosen notices
    for notice in notices:  # sign-off dates and order are wrong now, not only at the final build
        problems += check_signoffs(notice, loaded.workspace.settings, final=False)
        own = [p for p in problems if p.where.file in loaded.notice_files.get(notice.id, set())]
        # what build would refuse, check finds: lay it out
        if notice.content is not None and not has_errors(own) and not _shared_errors(problems, loaded):
            composition = loaded.kinds[notice.kind].compose(notice)
            problems += templates.lay_out(notice, loaded, composition).problems  # nothing is drawn
    problems = [p for p in problems if p.where.file in files or not _in_notice_files(p, loaded)]
    return Result(problems=sorted_problems(problems), refused=_unloaded(loaded, ids) if ids else [])


def laid_out(notice: Notice, loaded: Loaded, composition: Composition | None = None) -> LaidOut:
    """The notice laid out by its template, once: sheets, 核验码, QR boxes and problems, nothing drawn."""
    return templates.lay_out(notice, loaded, composition or loaded.kinds[notice.kind].compose(notice))


def _printable(notice: Notice, loaded: Loaded, composition: Composition | None) -> LaidOut:
    laid = laid_out(notice, loaded, composition)
    if has_errors(laid.problems):
        raise Unprintable([p for p in laid.problems if p.is_error])
    return laid


def lay_out(notice: Notice, loaded: Loaded, composition: Composition | None = None) -> list:
    """The notice's sheets (layout.sheet.Sheet). Raises Unprintable when it cannot be set at all."""
    return list(_printable(notice, loaded, composition).sheets)


def render(notice: Notice, loaded: Loaded, draft: bool = False, composition: Composition | None = None) -> bytes:
    """The print PDF of one checked notice. Raises Unprintable when it cannot be set at all."""
    return _printable(notice, loaded, composition).pdf(draft)


def _ready(notice: Notice, loaded: Loaded, draft: bool, problems: list[Problem]) -> bool:
    """Has the notice no error of its own, and (for a final print) every sign-off?"""
    own = [p for p in problems if p.where.file in loaded.notice_files.get(notice.id, set())]
    if not draft:
        gate = check_signoffs(notice, loaded.workspace.settings)
        problems += gate
        own += gate
    return not has_errors(own) and notice.content is not None


def _laid_out_checked(
    notice: Notice, loaded: Loaded, draft: bool, problems: list[Problem], composition: Composition | None
) -> LaidOut | None:
    """The layout of a notice whose own problems hold no error; otherwise None, with the reason in ``problems``."""
    if not _ready(notice, loaded, draft, problems):
        return None
    laid = laid_out(notice, loaded, composition)
    if not laid.printable:
        problems += laid.problems
        return None
    problems += laid.warnings
    return laid


def _file_sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _publication(notice: Notice, settings: Settings, sha: str, built_at: str, code: str = "") -> register.Publication:
    return register.Publication(
        id=notice.id,
        revision=0,
        title=notice.title.value,
        kind=notice.kind,
        catalogue=notice.catalogue,
        period=str(notice.period) if notice.period else None,
        date=notice.date,
        display_end=notice.display_end,
        reviewers=_signoffs(notice, settings),
        sha256=sha,
        built_at=built_at,
        content_sha256=notice.content_fingerprint,
        code=code,
    )


def _write_site_page(
    site: Path,
    notice: Notice,
    settings: Settings,
    composition: Composition,
    pdf: bytes,
    sha: str,
    history: list[register.Publication],
    draft: bool,
    registered_sha: str | None = None,
    fonts=None,
    today: dt.date | None = None,
    code: str = "",
    pdf_label: str | None = None,
) -> list[Path]:
    """``registered_sha``: what the register records when it is not the online PDF (the print file of a
    template whose online PDF is a stand-in for it, such as a specimen)."""
    folder = site / notice.id
    written = [folder / f"{notice.id}.pdf", folder / "index.html"]
    atomic.write_bytes(written[0], pdf)
    revisions = []
    stand_in = registered_sha is not None and registered_sha != sha
    for publication in history:
        archived = folder / f"r{publication.revision}.pdf"
        if archived.exists() and not _archive_matches(archived, publication.sha256, stand_in):
            _set_aside(archived)  # from a register that was lost: never linked as this revision
        if publication.sha256 == (registered_sha or sha) and not archived.exists():
            atomic.write_bytes(archived, pdf)  # every registered revision keeps its own PDF
            if stand_in:  # the file is the stand-in (a specimen); what the register holds is the print file's SHA-256
                atomic.write_bytes(_sidecar(archived), publication.sha256.encode("ascii"))
            written.append(archived)
        revisions.append(
            site_pages.Revision(
                publication.revision,
                chinese_date(publication.date),
                publication.built_at,
                publication.sha256,
                archived.name if archived.exists() else None,
                publication.code,
            )
        )
    page = site_pages.NoticePage(
        id=notice.id,
        title=notice.title.value,
        issuer=notice.issuer.value,
        date_text=chinese_date(notice.date),
        meta=composition.meta,
        hotline=notice.hotline.value if notice.hotline else None,
        pdf_file=f"{notice.id}.pdf",
        sha256=sha,
        parts=site_pages.html_parts(composition.blocks),
        revisions=list(reversed(revisions)),
        draft=draft,
        signoffs=_signoffs(notice, settings) or None,
        status=site_pages.display_status(notice.date, notice.display_end, today) if today else "",
        code=code,
        share=fonts is not None,
    )
    if pdf_label:  # the template's own words for what its online PDF is (a specimen)
        page = replace(page, pdf_label=pdf_label)
    html, webfonts = site_pages.with_webfonts(
        lambda faces: site_pages.notice_html(replace(page, webfonts=faces)), fonts
    )
    atomic.write_bytes(written[1], html.encode("utf-8"))
    if fonts is not None:  # one tall picture of the notice for WeChat groups, from the same parts (SPEC §5)
        written.append(folder / "share.png")
        atomic.write_bytes(written[-1], share_png(page, fonts, notice.url))
    for font in webfonts:  # the page's rare characters, in a font it carries itself (SPEC §5)
        atomic.write_bytes(folder / font.file, font.data)
        written.append(folder / font.file)
    return written


def _sidecar(archived: Path) -> Path:
    return archived.with_name(archived.name + ".sha256")


def _archive_matches(archived: Path, registered: str, stand_in: bool) -> bool:
    """Is ``site/<id>/r<N>.pdf`` the file of the registered revision N?

    Not when the register was lost and rebuilt (issue 13): its revision 1 may be what the old
    register called revision 3. A stand-in archive (a specimen) is checked by the
    register's SHA-256 written beside it; an archive of an earlier version without that note is trusted."""
    sidecar = _sidecar(archived)
    if sidecar.is_file():
        return sidecar.read_text(encoding="ascii", errors="replace").strip() == registered
    if stand_in:
        return True
    return _file_sha256(archived) == registered


def _set_aside(archived: Path) -> None:
    """Keep a published file whose register row is gone under a name of its own hash, unlinked."""
    digest = _file_sha256(archived)[:12]
    os.replace(archived, archived.with_name(f"{archived.stem}-{digest}.pdf"))
    _sidecar(archived).unlink(missing_ok=True)


def _write_site_index(site: Path, loaded: Loaded, publications: list[register.Publication], today: dt.date) -> Path:
    titles = {entry.id: entry.title for entry in loaded.workspace.settings.catalogue}
    groups: dict[str, list[site_pages.IndexEntry]] = {}
    for publication in register.latest(publications):
        title = titles.get(publication.catalogue or "", "其他公开信息")
        groups.setdefault(title, []).append(
            site_pages.IndexEntry(
                publication.id,
                publication.title,
                publication.date,
                chinese_date(publication.date),
                site_pages.display_status(publication.date, publication.display_end, today),
                publication.code,
            )
        )
    ordered = sorted(groups.items(), key=lambda item: max(e.date for e in item[1]), reverse=True)
    issuer = loaded.workspace.settings.issuer
    heading = f"{issuer.value}信息公开" if issuer else "信息公开"
    path = site / "index.html"
    html, webfonts = site_pages.with_webfonts(
        lambda faces: site_pages.index_html(heading, [site_pages.IndexGroup(t, e) for t, e in ordered], today, faces),
        loaded.fonts,
        prefix="rare-index",
    )
    atomic.write_bytes(path, html.encode("utf-8"))
    for font in webfonts:  # a rare character in a title: the index carries it too
        atomic.write_bytes(site / font.file, font.data)
    return path


def _write_screen(staged: Path, loaded: Loaded, publications: list[register.Publication], today: dt.date) -> list[Path]:
    """screen/: every current published notice (公示期 running, or none given), sheet by sheet (SPEC §5)."""
    from .render import screen

    folder = staged / "screen"
    for old in folder.glob("*"):  # a notice whose 公示期 ended leaves the board
        old.unlink()
    notices = []
    issuers = {n.id: n.issuer.value for n in loaded.workspace.notices}
    known = {n.id: n for n in loaded.workspace.notices}
    default_issuer = loaded.workspace.settings.issuer.value if loaded.workspace.settings.issuer else ""
    for publication in register.latest(publications):
        if site_pages.display_status(publication.date, publication.display_end, today) not in ("公示中", ""):
            continue
        pdf = staged / "site" / publication.id / f"{publication.id}.pdf"
        # an online PDF that is not the registered file stands in for what was printed (a letter goes to
        # each household; online it is only a specimen): the board shows published documents only
        if pdf.is_file() and _file_sha256(pdf) == publication.sha256:
            notice = known.get(publication.id)
            notices.append(
                screen.ScreenNotice(
                    publication.id,
                    publication.title,
                    issuers.get(publication.id, default_issuer),
                    chinese_date(publication.date),
                    f"公示期至{chinese_date(publication.display_end)}" if publication.display_end else "",
                    publication.code,
                    pdf,
                    notice.url if notice else "",
                    notice.hotline.value if notice and notice.hotline else "",
                )
            )
    board = loaded.workspace.settings.screen
    size = (board.width, board.height)
    return screen.write_screen(
        folder, screen.screens(notices, size, loaded.fonts), board.seconds, size, atomic.write_bytes
    )


def _write_tiles(folder: Path, laid: LaidOut, draft: bool, sheet: str, problems: list[Problem]) -> list[Path]:
    """print/<id>-tiles.pdf for a poster bigger than the office printer's sheet (none otherwise)."""
    notice = laid.notice
    if tile.fits_on_sheet(*page_size(notice.paper, notice.orientation), sheet):
        return []
    # the layout says exactly where the QR codes are: no need to look for them in the PDF
    result = tile.tile_pdf(laid.pdf(draft), sheet, title=notice.title.value, qr_codes=laid.qr_boxes)
    problems += [warning(notice.where, f"按 {sheet} 拼贴时，{message}") for message in result.warnings]
    path = folder / f"{notice.id}{templates.TILES_SUFFIX}.pdf"
    atomic.write_bytes(path, result.data)
    return [path]


def build(
    root: Path | str,
    out: Path | str | None = None,
    ids: list[str] | None = None,
    draft: bool = False,
    now: dt.datetime | None = None,
    tile_sheet: str | None = None,
    progress: Progress | None = None,
) -> Result:
    """Check, then write print/, preview/, site/ and the register, all or nothing.

    ``tile_sheet`` (A4 or A3) also writes print/<id>-tiles.pdf for every poster bigger than that sheet."""
    root = Path(root)
    out = Path(out) if out is not None else root / "out"
    if not (root / SETTINGS_FILE).is_file():
        load_workspace(root)  # says why this is no workspace; no lock, no output folder made
    try:
        lock = atomic.BuildLock(out)
        with lock:
            return _build(root, out, ids, draft, now, tile_sheet, progress)
    except atomic.OutputNotWritable as exc:
        raise UnreadableInput(
            error(Where(str(out)), f"无法写入输出目录（{os_reason(exc.cause)}）。请换一个可写的目录（-o）。")
        ) from exc
    except atomic.BuildRunning:
        return Result(problems=[error(Where(str(out)), BUILD_RUNNING)])


BUILD_RUNNING = "另一个生成（build）正在进行，请等它结束后再试。这一次什么也没有改动。"


def _written_where(path: str | None, out: Path) -> str:
    """A file named in an OS error, as the user knows it: under OUT, not inside a generation."""
    if not path:
        return str(out)
    parts = Path(path).parts
    if atomic.GENERATIONS in parts:
        index = parts.index(atomic.GENERATIONS)
        return str(out.joinpath(*parts[index + 2 :]))
    staging = [i for i, part in enumerate(parts) if part.startswith(".staging-")]
    if staging:  # a file system without links builds in OUT/.staging-*
        return str(out.joinpath(*parts[staging[0] + 1 :]))
    return str(path)


def _build(
    root: Path,
    out: Path,
    ids: list[str] | None,
    draft: bool,
    now: dt.datetime | None,
    tile_sheet: str | None,
    progress: Progress | None,
) -> Result:
    loaded = load_workspace(root)
    notices, files = _select(loaded, ids)
    problems = loaded.problems + run_checks(loaded, notices)
    problems = [p for p in problems if p.where.file in files or not _in_notice_files(p, loaded)]
    now = now or dt.datetime.now().astimezone()
    result = Result(refused=_unloaded(loaded, ids))
    if _shared_errors(problems, loaded):
        result.refused = [n.id for n in notices]
        result.problems = sorted_problems(problems)
        return result
    try:
        with atomic.StagedOutput(out) as stage:
            _build_into(stage, out, loaded, notices, problems, result, draft, now, tile_sheet, progress)
    except OSError as exc:  # a full disk, a file another program holds: nothing was made current
        raise UnreadableInput(
            error(Where(_written_where(exc.filename, out)), (f"无法写入（{os_reason(exc)}）。之前生成的文件保持不变。"))
        ) from exc
    result.problems = sorted_problems(problems)
    return result


def _build_into(
    stage: atomic.StagedOutput,
    out: Path,
    loaded: Loaded,
    notices: list[Notice],
    problems: list[Problem],
    result: Result,
    draft: bool,
    now: dt.datetime,
    tile_sheet: str | None,
    progress: Progress | None,
) -> None:
    settings = loaded.workspace.settings
    built_at = now.isoformat(timespec="seconds")
    staged = stage.path
    assert staged is not None  # set on entering the StagedOutput
    register_path = staged / register.REGISTER_FILE
    try:
        publications = register.read(register_path)
    except register.RegisterError as exc:
        raise UnreadableInput(error(Where(f"{out.name}/{register.REGISTER_FILE}"), str(exc))) from exc
    written: list[Path] = []
    for notice in notices:
        composition = loaded.kinds[notice.kind].compose(notice) if notice.content is not None else None
        if not draft and composition is not None:  # before laying out: a streamed template writes as it goes
            current = register.history(publications, notice.id)
            stale = check_changed_since_signoff(notice, _signoffs(notice, settings), current[-1] if current else None)
            if stale:
                problems += stale
                result.refused.append(notice.id)
                continue
        # a draft of something already published goes to draft/, never over the published copy
        base = staged / "draft" if draft and register.history(publications, notice.id) else staged
        laid = _laid_out_checked(notice, loaded, draft, problems, composition)
        printed = laid.write_prints(base / "print", draft, progress) if laid is not None else None
        if laid is None or printed is None:
            if laid is not None:  # a streamed template found what does not fit while writing
                problems += [p for p in laid.problems if p not in problems]
            result.refused.append(notice.id)
            continue
        assert composition is not None  # _ready refuses a notice whose content did not load
        written += printed
        preview = base / "preview" / f"{notice.id}.png"
        atomic.write_bytes(preview, render_png(printed[0]))
        memory.release()  # pdfium read the whole print file for its first page; the share image comes next
        written.append(preview)
        if tile_sheet and laid.tileable:
            written += _write_tiles(staged / "print", laid, draft, tile_sheet, problems)
        pdf = laid.online_pdf(draft)
        sha = hashlib.sha256(pdf).hexdigest()
        # the register records the print file: a letter run is registered by its letters, which are
        # content (a household's name changed after sign-off is a new revision though the specimen is the same)
        registered_sha = _file_sha256(printed[0])
        code = laid.code
        if not draft:
            stored = register.record(register_path, _publication(notice, settings, registered_sha, built_at, code))
            if stored:
                result.registered.append((notice.id, stored.revision))
            publications = register.read(register_path)
        written += _write_site_page(
            base / "site",
            notice,
            settings,
            composition,
            pdf,
            sha,
            register.history(publications, notice.id),
            draft,
            registered_sha,
            loaded.fonts,
            now.date(),
            code,
            laid.online_label,
        )
    withdrawn = [i for i in result.refused if i in loaded.failed]
    _withdraw(staged, withdrawn)
    listed = [p for p in publications if p.id not in withdrawn]
    written.append(_write_site_index(staged / "site", loaded, listed, now.date()))
    if not draft and listed:
        written += _write_screen(staged, loaded, listed, now.date())
    if not draft and register_path.exists():
        written.append(register_path)
    result.written = [out / path.relative_to(staged) for path in written]


def publications(root: Path | str, out: Path | str | None = None) -> list[register.Publication]:
    """The register of a workspace, oldest first; empty before the first final build."""
    root, out = Path(root), Path(out) if out is not None else None
    if not root.is_dir():
        raise UnreadableInput(error(Where(str(root)), "找不到这个工作区目录。"))
    try:
        return register.read((out or root / "out") / register.REGISTER_FILE)
    except register.RegisterError as exc:
        raise UnreadableInput(error(Where(f"out/{register.REGISTER_FILE}"), str(exc))) from exc


def year_figures(root: Path | str, year: int, out: Path | str | None = None) -> register.YearFigures:
    """The 主动公开 counts for an annual report, with catalogue ids given as their titles."""
    root = Path(root)
    figures = register.year_figures(publications(root, out), year)
    settings_path = root / SETTINGS_FILE
    if settings_path.is_file():
        titles = {entry.id: entry.title for entry in load_workspace(root).workspace.settings.catalogue}
        figures.by_catalogue = type(figures.by_catalogue)(
            {titles.get(name, name): count for name, count in figures.by_catalogue.items()}
        )
    labels = {name: kind.label for name, kind in registry().items()}
    figures.by_kind = type(figures.by_kind)({labels.get(name, name): count for name, count in figures.by_kind.items()})
    return figures


def render_file(path: Path | str, output: Path | str, draft: bool = False) -> Result:
    """One notice file without a workspace: settings come from a noticeboard.yaml beside it or one level up."""
    path, output = Path(path), Path(output)
    if not path.is_file():
        raise UnreadableInput(error(Where(str(path)), "找不到这个通知文件。"))
    root = next((p for p in (path.parent, path.parent.parent) if (p / SETTINGS_FILE).is_file()), path.parent)
    loaded = load_workspace(root, only=path)
    problems = loaded.problems + run_checks(loaded, loaded.workspace.notices)
    result = Result()
    notice = loaded.workspace.notices[0] if loaded.workspace.notices else None
    written = False
    if notice is not None and not _shared_errors(problems, loaded):
        composition = loaded.kinds[notice.kind].compose(notice) if notice.content is not None else None
        laid = _laid_out_checked(notice, loaded, draft, problems, composition)
        written = laid is not None and laid.write_pdf(output, draft)
        if laid is not None and not written:
            problems += [p for p in laid.problems if p not in problems]
    if not written:
        result.refused = [notice.id if notice else str(path)]
    else:
        result.written.append(output)
    result.problems = sorted_problems(problems)
    return result
