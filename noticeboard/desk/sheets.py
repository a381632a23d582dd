"""Every sheet of one notice as PNG, as the final build will print it, cached in .workbench/previews/."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from .. import pipeline
from ..layout.letter import LetterOverflow
from ..load import signoffs as load_signoffs
from ..load.workspace import (
    NOTICES_DIR,
    SETTINGS_FILE,
    Loaded,
    load_workspace,
)
from ..models import Notice
from ..problems import Problem, Where, has_errors, sorted_problems, warning
from ..publish import atomic
from ..templates.letter import LettersLaidOut
from .common import WORKBENCH_DIR, _lock, _notice_path, _own_problems, _stat_of


@dataclass
class Previews:
    images: list[Path]  # one PNG per sheet, in order, as the final build will print them (no watermark)
    problems: list[Problem]  # why there are none (errors), or layout warnings
    fingerprint: str
    reused: bool  # True: served from the cache (nothing changed)


def previews(root: Path, notice_id: str, width_px: int = 1200) -> Previews:
    """Every sheet of one notice as PNG, in .workbench/previews/<id>/. Only this notice is loaded and
    laid out (plus noticeboard.yaml); cached by fingerprint (and settings and layouts), so an unchanged
    notice costs a stat. Letters: the first few letters and the receipt register's first page are
    enough (say so in Previews.problems as a warning: 预览只显示前N封)."""
    path = _notice_path(root, notice_id)
    folder = root / WORKBENCH_DIR / PREVIEWS_DIR / notice_id
    with _lock(root, notice_id):
        manifest = _read_manifest(folder, width_px)
        if manifest is not None:
            quick = _stat_key(root, manifest.get("watch", []), width_px)
            images = [folder / name for name in manifest.get("images", [])]
            if manifest.get("quick") == quick and all(image.is_file() for image in images):
                return Previews(images, _problems_from(manifest), manifest.get("fingerprint", ""), True)
        return _make_previews(root, path, folder, width_px, manifest)


PREVIEWS_DIR = "previews"
PREVIEW_LETTERS = 3  # letters shown in a preview; the run itself may be thousands
CACHE_VERSION = "1"  # bumped when the pictures would change for the same input


def _watch(root: Path, loaded: Loaded, notice: Notice | None, path: Path) -> list[str]:
    """Every file the pictures depend on, relative to the root: their stats decide a cache hit."""
    watched = [f"{NOTICES_DIR}/{path.name}", SETTINGS_FILE]
    if notice is not None:
        watched += notice.sources[1:] + [load_signoffs.display_path(notice.id)]
    layouts = root / "layouts"
    if layouts.is_dir():
        watched += sorted(str(p.relative_to(root)) for p in layouts.rglob("*") if p.is_file())
    for font in loaded.workspace.settings.fonts:
        font_path = Path(font[0])
        watched.append(str(font_path.relative_to(root)) if font_path.is_relative_to(root) else str(font_path))
    return list(dict.fromkeys(watched))


def _stat_key(root: Path, watched: list[str], width_px: int, taken: dict[str, str] | None = None) -> str:
    """``taken``: stats read earlier (before the load), so a file saved during the load is not
    cached as if its new stat went with the old content."""
    digest = hashlib.sha256(f"{CACHE_VERSION}\0{width_px}".encode())
    for name in watched:
        stat = taken[name] if taken is not None and name in taken else _stat_of(root / name)
        digest.update(f"\0{name}\0{stat}".encode())
    return digest.hexdigest()


def _stats_now(root: Path, notice_id: str) -> dict[str, str]:
    """The stats of every file a notice's pictures may depend on, but fonts: one listing of notices/ and layouts/."""
    names = [SETTINGS_FILE, load_signoffs.display_path(notice_id)]
    for folder in (root / NOTICES_DIR, root / "layouts"):
        if folder.is_dir():
            names += [str(p.relative_to(root)) for p in folder.rglob("*") if p.is_file()]
    return {name: _stat_of(root / name) for name in names}


def _content_key(root: Path, watched: list[str], notice: Notice | None, width_px: int) -> str:
    """The pictures' input by content, for when only the stats changed (a file saved unchanged)."""
    digest = hashlib.sha256(f"{CACHE_VERSION}\0{width_px}\0{notice.fingerprint if notice else ''}".encode())
    if notice is not None:
        digest.update(_signoffs_text(notice).encode())
    for name in watched:
        if name.startswith(NOTICES_DIR + "/"):
            continue  # in the fingerprint already
        try:
            digest.update(b"\0" + name.encode() + b"\0" + (root / name).read_bytes())
        except OSError:
            digest.update(b"\0" + name.encode() + b"\0-")
    return digest.hexdigest()


def _signoffs_text(notice: Notice) -> str:
    return "\0".join(f"{r.role}:{r.by.value}:{r.date}" for r in notice.reviews)


def _manifest(folder: Path, width_px: int) -> Path:
    return folder / f"manifest-{width_px}.json"  # one per width: a list page's thumbnails never evict the sheets


def _read_manifest(folder: Path, width_px: int) -> dict | None:
    try:
        data = json.loads(_manifest(folder, width_px).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("width") == width_px else None


def _problem_data(problem: Problem) -> dict:
    where = problem.where
    return {
        "level": problem.level,
        "file": where.file,
        "line": where.line,
        "sheet": where.sheet,
        "cell": where.cell,
        "message": problem.message,
    }


def _problems_from(manifest: dict) -> list[Problem]:
    found = []
    for item in manifest.get("problems", []):
        where = Where(item["file"], item.get("line"), item.get("sheet"), item.get("cell"))
        found.append(Problem(item["level"], where, item["message"]))
    return found


def _make_previews(root: Path, path: Path, folder: Path, width_px: int, manifest: dict | None) -> Previews:
    taken = _stats_now(root, folder.name)
    loaded = load_workspace(root, notice_file=path)
    notice = loaded.workspace.notices[0] if loaded.workspace.notices else None
    watched = _watch(root, loaded, notice, path)
    quick = _stat_key(root, watched, width_px, taken)
    key = _content_key(root, watched, notice, width_px)
    fingerprint = notice.fingerprint if notice else ""
    if manifest is not None and manifest.get("key") == key:
        images = [folder / name for name in manifest.get("images", [])]
        if all(image.is_file() for image in images):
            manifest["quick"] = quick
            manifest["watch"] = watched
            atomic.write_bytes(_manifest(folder, width_px), json.dumps(manifest, ensure_ascii=False).encode("utf-8"))
            return Previews(images, _problems_from(manifest), fingerprint, True)
    problems: list[Problem] = []
    pages: list[bytes] = []
    if notice is None:
        problems = sorted_problems(p for p in loaded.problems if p.is_error)
    else:
        # a damaged sign-off record stops the print, not the look at it: the reviewer still sees the sheets
        records = load_signoffs.display_path(notice.id)
        own = [p for p in _own_problems(loaded, notice) if p.where.file != records]
        if has_errors(own) or notice.content is None:
            problems = sorted_problems(p for p in own if p.is_error)
        else:
            pages, problems = _pages(notice, loaded, width_px)
    names = []
    for number, page in enumerate(pages, start=1):
        name = f"{key[:16]}-{number:03d}.png"
        atomic.write_bytes(folder / name, page)
        names.append(name)
    record = {
        "width": width_px,
        "quick": quick,
        "key": key,
        "fingerprint": fingerprint,
        "watch": watched,
        "images": names,
        "problems": [_problem_data(p) for p in problems],
    }
    atomic.write_bytes(_manifest(folder, width_px), json.dumps(record, ensure_ascii=False).encode("utf-8"))
    keep = set(names) | set((manifest or {}).get("images", []))
    for other in folder.glob("manifest-*.json"):  # every width's current set stays
        if other != _manifest(folder, width_px):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                keep |= set(json.loads(other.read_text(encoding="utf-8")).get("images", []))
    for old in folder.glob("*.png"):  # the previous set stays too, for a page that still shows it
        if old.name not in keep:
            old.unlink(missing_ok=True)
    return Previews([folder / name for name in names], problems, fingerprint, False)


def _pages(notice: Notice, loaded: Loaded, width_px: int) -> tuple[list[bytes], list[Problem]]:
    """The final (not draft) sheets as PNG, drawn in memory."""
    composition = loaded.kinds[notice.kind].compose(notice)
    laid = pipeline.laid_out(notice, loaded, composition)
    if isinstance(laid, LettersLaidOut):
        return _letter_pages(laid, width_px)
    if not laid.printable:
        return [], sorted_problems(p for p in laid.problems if p.is_error)
    return _rasterise(laid.pdf(False), width_px), list(laid.warnings)


def _letter_pages(laid: LettersLaidOut, width_px: int) -> tuple[list[bytes], list[Problem]]:
    from ..render.letters import render_letters

    notice = laid.notice
    if laid.plan is None:
        return [], sorted_problems(p for p in laid.problems if p.is_error)
    households = laid.run.households[:PREVIEW_LETTERS]
    try:
        letters = render_letters(
            laid.plan,
            households,
            laid.fonts,
            two_up=laid.run.imposition == "2up",
            title=notice.title.value,
            author=notice.issuer.value,
            subject=notice.url,
        )
    except LetterOverflow:
        return [], sorted_problems(p for p in laid.problems if p.is_error)
    pages = _rasterise(letters, width_px)
    pages += _rasterise(laid._receipts(False), width_px, first=1)
    problems = []
    if len(laid.run.households) > len(households):
        problems.append(
            warning(
                notice.where,
                f"预览只显示前{len(households)}封信和签收登记表的第一页；正式印发时每户一封，共{len(laid.run.households)}封。",
            )
        )
    return pages, problems


def _rasterise(pdf: bytes, width_px: int, first: int | None = None) -> list[bytes]:
    document = pdfium.PdfDocument(pdf)
    try:
        count = len(document) if first is None else min(first, len(document))
        pages = []
        for index in range(count):
            page = document[index]
            width, _ = page.get_size()
            image = page.render(scale=width_px / width).to_pil()
            out = io.BytesIO()
            image.save(out, format="PNG", compress_level=1)  # a preview is looked at once; speed over size
            pages.append(out.getvalue())
            page.close()
        return pages
    finally:
        document.close()
