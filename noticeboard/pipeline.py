"""The pipeline: load, check, lay out, render, write. Used by the CLI and by Python callers."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import atomic, register, tile, verification
from .checks import check_signoffs, run_checks
from .checks.limits import longest_cell
from .checks.signoffs import check_changed_since_signoff
from .dates import chinese_date
from .kinds import Composition
from .kinds.registry import registry
from .layout.document import lay_out_document
from .layout.fit import LayoutOverflow, fit
from .layout.frame import SheetInfo, SheetTemplate
from .layout.letter import (
    ADDRESSEE_MOST_LINES,
    NAMED_SLOT,
    LetterOverflow,
    LetterRun,
    NamedHousehold,
    TemplateTooLong,
    letter_page,
    letter_sheets,
    plan_letters,
)
from .layout.paper import page_size
from .layout.qr import QUIET_ZONE
from .layout.sheet import QRItem, Sheet
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
from .render import site as site_pages
from .render.letters import render_letters, write_letters
from .render.pdf import render_pdf
from .render.png import render_png
from .render.share import share_png
from .workspace import SETTINGS_FILE, Loaded, load_workspace

DRAFT_MARK = "草稿"


class Progress:
    """Told how far a long render has got; the CLI shows a bar, everything else ignores it."""

    def start(self, total: int, label: str) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass
class LetterOutputs:
    letters: Path  # every household's letter: written straight to the output, thousands of pages
    receipts: bytes  # the 签收登记表
    specimen: bytes  # one letter with its placeholders named: what goes online


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
        raise UnreadableInput(error(Where("notices/"), f"没有编号为「{'、'.join(unknown)}」的通知。现有：{'、'.join(sorted(known)) or '（无）'}。"))
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
            for name in (f"{notice_id}.pdf", f"{notice_id}-receipts.pdf", f"{notice_id}-tiles.pdf"):
                (base / "print" / name).unlink(missing_ok=True)
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
        if notice.content is not None and not has_errors([p for p in problems if p.where.file in loaded.notice_files.get(notice.id, set())]):
            composition = loaded.kinds[notice.kind].compose(notice)
            if composition.layout == "letter":
                problems += letter_problems(notice, loaded, composition)
            elif not _shared_errors(problems, loaded):  # what build would refuse, check finds: lay it out
                try:
                    lay_out(notice, loaded, composition)
                except LayoutOverflow:
                    problems.append(_does_not_fit(notice, loaded))
    problems = [p for p in problems if p.where.file in files or not _in_notice_files(p, loaded)]
    return Result(problems=sorted_problems(problems), refused=_unloaded(loaded, ids) if ids else [])


def _signoffs(notice: Notice, settings: Settings) -> str:
    """初审：王小红 2026-04-10　审核：…, in the order of its chain (the catalogue entry's own, else
    noticeboard.yaml's), whatever the notice file's order."""
    order = {role: index for index, role in enumerate(settings.review_chain(notice.catalogue)[0])}
    reviews = sorted(notice.reviews, key=lambda r: order.get(r.role, len(order)))
    return "　".join(f"{r.role}：{r.by.value}" + (f" {r.date.isoformat()}" if r.date else "") for r in reviews)


def _sheet_info(notice: Notice, loaded: Loaded, composition: Composition) -> SheetInfo:
    return SheetInfo(
        title=notice.title.value, meta=composition.meta, issuer=notice.issuer.value,
        date_text=chinese_date(notice.date), hotline=notice.hotline.value if notice.hotline else None,
        url=notice.url, signoffs=_signoffs(notice, loaded.workspace.settings) or None,
    )


def lay_out(notice: Notice, loaded: Loaded, composition: Composition | None = None) -> list[Sheet]:
    return lay_out_coded(notice, loaded, composition)[0]


def lay_out_coded(notice: Notice, loaded: Loaded, composition: Composition | None = None) -> tuple[list[Sheet], str]:
    """The sheets with their 核验码 printed beside the QR code, and that code ("" for letters)."""
    kind = loaded.kinds[notice.kind]
    composition = composition or kind.compose(notice)
    design = loaded.designs[kind.design]
    if composition.layout == "letter":  # every household's letter, as sheets (the renderer streams instead)
        return letter_sheets(_plan(notice, loaded, composition.letters), composition.letters.households), ""
    info = replace(_sheet_info(notice, loaded, composition), code=verification.PLACEHOLDER)
    if composition.layout == "document":  # GB/T 9704 pages (公告、通知) instead of the poster
        sheets = lay_out_document(composition.blocks, info, design, loaded.fonts, notice.paper)
    else:
        template = SheetTemplate(info, design, loaded.fonts, notice.paper,
                                 page_size(notice.paper, notice.orientation), notice.orientation)
        sheets = fit(composition.blocks, template, composition.columns)
    return sheets, verification.stamp(sheets) or ""


def render(notice: Notice, loaded: Loaded, draft: bool = False, composition: Composition | None = None) -> bytes:
    """The print PDF of one checked notice. Raises LayoutOverflow when it cannot be set at all."""
    return render_coded(notice, loaded, draft, composition)[0]


def render_coded(notice: Notice, loaded: Loaded, draft: bool = False,
                 composition: Composition | None = None) -> tuple[bytes, str]:
    """The print PDF and the 核验码 it carries."""
    sheets, code = lay_out_coded(notice, loaded, composition)
    return render_pdf(sheets, loaded.fonts, title=notice.title.value, author=notice.issuer.value,
                      subject=notice.url, watermark=DRAFT_MARK if draft else None), code


def _plan(notice: Notice, loaded: Loaded, run: LetterRun):
    return plan_letters(run, loaded.designs[loaded.kinds[notice.kind].design], loaded.fonts, notice.paper,
                        title=notice.title.value, issuer=notice.issuer.value, date_text=chinese_date(notice.date),
                        hotline=notice.hotline.value if notice.hotline else None, url=notice.url)


def _too_long(notice: Notice, over: int) -> Problem:
    return error(notice.at("body"), (
        f"信的正文太长：字号缩到最小也放不进一张 {notice.paper} 纸（还多出约 {over} 行）。"
        "一封信只印一张纸，请删减正文。"))


def _overflow(notice: Notice, exc: LetterOverflow) -> Problem:
    if exc.part == "addressee":
        return error(exc.household.where, (
            f"户号「{exc.household.number}」这一户信顶上的「送：」一行（村民小组、户号、户主、地址）超过了 "
            f"{ADDRESSEE_MOST_LINES} 行。请缩短这一户的地址或户主。"))
    return error(exc.household.where, (
        f"户号「{exc.household.number}」这一户的信放不进一张 {notice.paper} 纸（多出约 {exc.lines_over} 行）："
        "这一行填进正文的内容太长。请缩短这一格，或删减正文。"))


def letter_problems(notice: Notice, loaded: Loaded, composition: Composition) -> list[Problem]:
    """Does every household's letter fit its one sheet? Lays out each letter without drawing it."""
    run: LetterRun = composition.letters  # type: ignore[assignment]
    try:
        plan = _plan(notice, loaded, run)
    except TemplateTooLong as exc:
        return [_too_long(notice, exc.lines_over)]
    problems = []
    for household in run.households:
        try:
            letter_page(plan, household)
        except LetterOverflow as exc:
            problems.append(_overflow(notice, exc))
    return problems


def _specimen(run: LetterRun) -> LetterRun:
    """The run's one online letter: each placeholder named, not filled, and the shared QR code."""
    named = {key: NAMED_SLOT.format(label) for key, label in run.labels.items()}
    return LetterRun(run.paragraphs, [NamedHousehold(named)], run.labels)


def render_letter_run(notice: Notice, loaded: Loaded, composition: Composition, target: Path, draft: bool = False,
                      progress: Progress | None = None) -> LetterOutputs:
    """Letters (into ``target``), receipt register and online specimen. Raises TemplateTooLong or LetterOverflow."""
    from .layout.receipts import ReceiptGroup, ReceiptRow, lay_out_receipts

    run: LetterRun = composition.letters  # type: ignore[assignment]
    progress = progress or Progress()
    watermark = DRAFT_MARK if draft else None
    meta = {"title": notice.title.value, "author": notice.issuer.value, "watermark": watermark}
    groups: dict[str, list] = {}
    for household in run.households:
        values = household.values
        groups.setdefault(values.get("group", ""), []).append(
            ReceiptRow(values.get("household", ""), values.get("head", ""), values.get("address", "")))
    info = _sheet_info(notice, loaded, composition)
    sheets = lay_out_receipts(notice.title.value, [ReceiptGroup(name, rows) for name, rows in groups.items()], info,
                              loaded.designs[loaded.kinds[notice.kind].design], loaded.fonts)
    receipts = render_pdf(sheets, loaded.fonts, title=f"{notice.title.value}发放签收登记表", author=notice.issuer.value,
                          subject=notice.url, watermark=watermark)
    del sheets, groups  # the register first, so its layout is let go before the letters are drawn
    plan = _plan(notice, loaded, run)
    progress.start(len(run.households), notice.id)
    try:
        write_letters(target, plan, run.households, loaded.fonts, two_up=run.imposition == "2up",
                      subject=notice.url, progress=progress.advance, **meta)
    finally:
        progress.finish()
    specimen_run = _specimen(run)
    specimen = render_letters(_plan(notice, loaded, specimen_run), specimen_run.households, loaded.fonts,
                              two_up=False, subject=notice.url, **meta)
    return LetterOutputs(target, receipts, specimen)


def _ready(notice: Notice, loaded: Loaded, draft: bool, problems: list[Problem]) -> bool:
    """Has the notice no error of its own, and (for a final print) every sign-off?"""
    own = [p for p in problems if p.where.file in loaded.notice_files.get(notice.id, set())]
    if not draft:
        gate = check_signoffs(notice, loaded.workspace.settings)
        problems += gate
        own += gate
    return not has_errors(own) and notice.content is not None


def _render_checked(notice: Notice, loaded: Loaded, draft: bool, problems: list[Problem],
                    composition: Composition | None = None) -> tuple[bytes, str] | None:
    """(PDF, 核验码) of a notice whose own problems hold no error; otherwise None, with the reason in ``problems``."""
    if not _ready(notice, loaded, draft, problems):
        return None
    try:
        return render_coded(notice, loaded, draft, composition)
    except LayoutOverflow:
        problems.append(_does_not_fit(notice, loaded))
        return None


def _does_not_fit(notice: Notice, loaded: Loaded) -> Problem:
    """Said at the notice's longest cell when that is long: the likeliest thing to shorten."""
    found = longest_cell(notice, loaded.kinds[notice.kind])
    if found is not None:
        cell, unbroken = found
        run = f"，其中一串不能断行的字母或数字有 {unbroken} 个" if unbroken >= 20 else ""
        return error(cell.where, (f"这一格有 {len(cell.value)} 个字{run}，在最小字号下连一整栏都放不下。"
                                  "请缩短这一格（或把这段话写进正文），或改用更大的纸张（paper）。"))
    return error(notice.where, "有一块内容在最小字号下连一整栏都放不下，请改用更大的纸张（paper），"
                               "或缩短其中太长的一行（例如一长串没有空格的字母或数字）。")


def _write_letters_checked(notice: Notice, loaded: Loaded, draft: bool, problems: list[Problem],
                           composition: Composition, output: Path) -> bool:
    """``render`` of a letter file: every household's letter into ``output``, streamed as ``build`` does."""
    if not _ready(notice, loaded, draft, problems):
        return False
    run: LetterRun = composition.letters  # type: ignore[assignment]
    try:
        write_letters(output, _plan(notice, loaded, run), run.households, loaded.fonts, two_up=run.imposition == "2up",
                      title=notice.title.value, author=notice.issuer.value, subject=notice.url,
                      watermark=DRAFT_MARK if draft else None)
    except TemplateTooLong as exc:
        problems.append(_too_long(notice, exc.lines_over))
    except LetterOverflow as exc:
        problems.append(_overflow(notice, exc))
    else:
        return True
    return False


def _letters_checked(notice: Notice, loaded: Loaded, draft: bool, problems: list[Problem], composition: Composition,
                     target: Path, progress: Progress | None) -> LetterOutputs | None:
    if not _ready(notice, loaded, draft, problems):
        return None
    try:
        return render_letter_run(notice, loaded, composition, target, draft, progress)
    except TemplateTooLong as exc:
        problems.append(_too_long(notice, exc.lines_over))
    except LetterOverflow:
        problems += letter_problems(notice, loaded, composition)  # every household that does not fit, as check says
    target.unlink(missing_ok=True)
    return None


def _file_sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _publication(notice: Notice, settings: Settings, sha: str, built_at: str, code: str = "") -> register.Publication:
    return register.Publication(
        id=notice.id, revision=0, title=notice.title.value, kind=notice.kind, catalogue=notice.catalogue,
        period=str(notice.period) if notice.period else None, date=notice.date, display_end=notice.display_end,
        reviewers=_signoffs(notice, settings), sha256=sha, built_at=built_at, content_sha256=notice.fingerprint,
        code=code,
    )


def _write_site_page(site: Path, notice: Notice, settings: Settings, composition: Composition, pdf: bytes, sha: str,
                     history: list[register.Publication], draft: bool, registered_sha: str | None = None,
                     fonts=None, today: dt.date | None = None, code: str = "") -> list[Path]:
    """``registered_sha``: what the register records when it is not the online PDF (a letter run's letters)."""
    folder = site / notice.id
    written = [folder / f"{notice.id}.pdf", folder / "index.html"]
    atomic.write_bytes(written[0], pdf)
    revisions = []
    letter = registered_sha is not None and registered_sha != sha
    for publication in history:
        archived = folder / f"r{publication.revision}.pdf"
        if archived.exists() and not _archive_matches(archived, publication.sha256, letter):
            _set_aside(archived)  # from a register that was lost: never linked as this revision
        if publication.sha256 == (registered_sha or sha) and not archived.exists():
            atomic.write_bytes(archived, pdf)  # every registered revision keeps its own PDF
            if letter:  # the file is the specimen; what the register holds is the letters' SHA-256
                atomic.write_bytes(_sidecar(archived), publication.sha256.encode("ascii"))
            written.append(archived)
        revisions.append(site_pages.Revision(publication.revision, chinese_date(publication.date),
                                             publication.built_at, publication.sha256,
                                             archived.name if archived.exists() else None, publication.code))
    page = site_pages.NoticePage(
        id=notice.id, title=notice.title.value, issuer=notice.issuer.value, date_text=chinese_date(notice.date),
        meta=composition.meta, hotline=notice.hotline.value if notice.hotline else None,
        pdf_file=f"{notice.id}.pdf", sha256=sha, parts=site_pages.html_parts(composition.blocks),
        revisions=list(reversed(revisions)), draft=draft, signoffs=_signoffs(notice, settings) or None,
        status=site_pages.display_status(notice.date, notice.display_end, today) if today else "", code=code,
        share=fonts is not None,
        **({"pdf_label": "样信 PDF（占位处为〔列名〕，不含任何一户的信息）"} if composition.layout == "letter" else {}),
    )
    html, webfonts = site_pages.with_webfonts(lambda faces: site_pages.notice_html(replace(page, webfonts=faces)), fonts)
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


def _archive_matches(archived: Path, registered: str, letter: bool) -> bool:
    """Is ``site/<id>/r<N>.pdf`` the file of the registered revision N?

    Not when the register was lost and rebuilt (issue 13): its revision 1 may be what the old
    register called revision 3. A letter run's archive is its specimen, checked by the register's
    SHA-256 written beside it; an archive of an earlier version without that note is trusted."""
    sidecar = _sidecar(archived)
    if sidecar.is_file():
        return sidecar.read_text(encoding="ascii", errors="replace").strip() == registered
    if letter:
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
        groups.setdefault(title, []).append(site_pages.IndexEntry(
            publication.id, publication.title, publication.date, chinese_date(publication.date),
            site_pages.display_status(publication.date, publication.display_end, today), publication.code))
    ordered = sorted(groups.items(), key=lambda item: max(e.date for e in item[1]), reverse=True)
    issuer = loaded.workspace.settings.issuer
    heading = f"{issuer.value}信息公开" if issuer else "信息公开"
    path = site / "index.html"
    html, webfonts = site_pages.with_webfonts(
        lambda faces: site_pages.index_html(heading, [site_pages.IndexGroup(t, e) for t, e in ordered], today, faces),
        loaded.fonts, prefix="rare-index")
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
        if site_pages.display_status(publication.date, publication.display_end, today) not in ("公示中", "") \
                or publication.kind == "letter":  # a letter goes to each household; online it is only a specimen
            continue
        pdf = staged / "site" / publication.id / f"{publication.id}.pdf"
        if pdf.is_file():
            notices.append(screen.ScreenNotice(
                publication.id, publication.title, issuers.get(publication.id, default_issuer),
                chinese_date(publication.date),
                f"公示期至{chinese_date(publication.display_end)}" if publication.display_end else "",
                publication.code, pdf, known[publication.id].url if publication.id in known else "",
                known[publication.id].hotline.value if publication.id in known and known[publication.id].hotline else ""))
    board = loaded.workspace.settings.screen
    size = (board.width, board.height)
    return screen.write_screen(folder, screen.screens(notices, size, loaded.fonts), board.seconds, size,
                               atomic.write_bytes)


def _write_tiles(folder: Path, notice: Notice, loaded: Loaded, composition: Composition, pdf: bytes,
                 sheet: str, problems: list[Problem]) -> list[Path]:
    """print/<id>-tiles.pdf for a poster bigger than the office printer's sheet (none otherwise)."""
    if tile.fits_on_sheet(*page_size(notice.paper, notice.orientation), sheet):
        return []

    def square(item: QRItem) -> tile.Box:  # quiet zone excluded: a seam there does no harm
        inset = item.size * QUIET_ZONE / len(item.matrix)
        return tile.Box(item.x + inset, item.y + inset, item.x + item.size - inset, item.y + item.size - inset)

    # the layout says exactly where the QR codes are: no need to look for them in the PDF
    qr_codes = [[square(i) for i in page.items if isinstance(i, QRItem)] for page in lay_out(notice, loaded, composition)]
    result = tile.tile_pdf(pdf, sheet, title=notice.title.value, qr_codes=qr_codes)
    problems += [warning(notice.where, f"按 {sheet} 拼贴时，{message}") for message in result.warnings]
    path = folder / f"{notice.id}-tiles.pdf"
    atomic.write_bytes(path, result.data)
    return [path]


def build(root: Path | str, out: Path | str | None = None, ids: list[str] | None = None, draft: bool = False,
          now: dt.datetime | None = None, tile_sheet: str | None = None, progress: Progress | None = None) -> Result:
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
        raise UnreadableInput(error(Where(str(out)), f"无法写入输出目录（{os_reason(exc.cause)}）。请换一个可写的目录（-o）。")) from exc
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
        return str(out.joinpath(*parts[index + 2:]))
    staging = [i for i, part in enumerate(parts) if part.startswith(".staging-")]
    if staging:  # a file system without links builds in OUT/.staging-*
        return str(out.joinpath(*parts[staging[0] + 1:]))
    return str(path)


def _build(root: Path, out: Path, ids: list[str] | None, draft: bool, now: dt.datetime | None,
           tile_sheet: str | None, progress: Progress | None) -> Result:
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
        raise UnreadableInput(error(Where(_written_where(exc.filename, out)), (
            f"无法写入（{os_reason(exc)}）。之前生成的文件保持不变。"))) from exc
    result.problems = sorted_problems(problems)
    return result


def _build_into(stage: atomic.StagedOutput, out: Path, loaded: Loaded, notices: list[Notice], problems: list[Problem],
                result: Result, draft: bool, now: dt.datetime, tile_sheet: str | None,
                progress: Progress | None) -> None:
    settings = loaded.workspace.settings
    built_at = now.isoformat(timespec="seconds")
    staged = stage.path
    register_path = staged / register.REGISTER_FILE
    try:
        publications = register.read(register_path)
    except register.RegisterError as exc:
        raise UnreadableInput(error(Where(f"{out.name}/{register.REGISTER_FILE}"), str(exc))) from exc
    written: list[Path] = []
    for notice in notices:
        composition = loaded.kinds[notice.kind].compose(notice) if notice.content is not None else None
        if not draft and composition is not None:  # before rendering: a letter run writes as it goes
            current = register.history(publications, notice.id)
            stale = check_changed_since_signoff(notice, _signoffs(notice, settings), current[-1] if current else None)
            if stale:
                problems += stale
                result.refused.append(notice.id)
                continue
        # a draft of something already published goes to draft/, never over the published copy
        base = staged / "draft" if draft and register.history(publications, notice.id) else staged
        letters = None
        if composition is not None and composition.layout == "letter":
            letters = _letters_checked(notice, loaded, draft, problems, composition,
                                       base / "print" / f"{notice.id}.pdf", progress)
            pdf = letters.specimen if letters else None  # online: one letter, no household's details
            code = ""
        else:
            pdf, code = _render_checked(notice, loaded, draft, problems, composition) or (None, "")
        if pdf is None:
            result.refused.append(notice.id)
            continue
        sha = hashlib.sha256(pdf).hexdigest()
        # a letter run is registered by its letters, which are content: a household's name changed
        # after sign-off is a new revision even though the online specimen is the same
        registered_sha = _file_sha256(letters.letters) if letters else sha
        printed = [(base / "print" / f"{notice.id}-receipts.pdf", letters.receipts)] if letters else \
            [(base / "print" / f"{notice.id}.pdf", pdf)]
        printed.append((base / "preview" / f"{notice.id}.png", render_png(letters.letters if letters else pdf)))
        if letters:
            written.append(letters.letters)
        for path, data in printed:
            atomic.write_bytes(path, data)
            written.append(path)
        if tile_sheet and not letters:
            written += _write_tiles(staged / "print", notice, loaded, composition, pdf, tile_sheet, problems)
        if not draft:
            stored = register.record(register_path, _publication(notice, settings, registered_sha, built_at, code))
            if stored:
                result.registered.append((notice.id, stored.revision))
            publications = register.read(register_path)
        written += _write_site_page(base / "site", notice, settings, composition, pdf, sha,
                                    register.history(publications, notice.id), draft, registered_sha, loaded.fonts,
                                    now.date(), code)
    withdrawn = [i for i in result.refused if i in loaded.failed]
    _withdraw(staged, withdrawn)
    listed = [p for p in publications if p.id not in withdrawn]
    written.append(_write_site_index(staged / "site", loaded, listed, now.date()))
    if not draft and listed:
        written += _write_screen(staged, loaded, listed, now.date())
    if not draft and (stage.path / register.REGISTER_FILE).exists():
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
            {titles.get(name, name): count for name, count in figures.by_catalogue.items()})
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
        if composition is not None and composition.layout == "letter":
            written = _write_letters_checked(notice, loaded, draft, problems, composition, output)
        elif (rendered := _render_checked(notice, loaded, draft, problems, composition)) is not None:
            atomic.write_bytes(output, rendered[0])
            written = True
    if not written:
        result.refused = [notice.id if notice else str(path)]
    else:
        result.written.append(output)
    result.problems = sorted_problems(problems)
    return result
