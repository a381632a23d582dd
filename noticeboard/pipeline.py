"""The pipeline: load, check, lay out, render, write. Used by the CLI and by Python callers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import atomic
from .checks import check_signoffs, run_checks
from .dates import chinese_date
from .layout.document import lay_out_document
from .layout.fit import LayoutOverflow, fit
from .layout.frame import SheetInfo, SheetTemplate
from .layout.paper import page_size
from .layout.sheet import Sheet
from .models import Notice
from .problems import Problem, UnreadableInput, Where, error, has_errors, sorted_problems
from .render.pdf import render_pdf
from .render.png import render_png
from .workspace import SETTINGS_FILE, Loaded, load_workspace

DRAFT_MARK = "草稿"


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

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
    """Names given on the command line whose notice file did not load."""
    known = {n.id for n in loaded.workspace.notices}
    return [i for i in ids or [] if i not in known]


def _shared_errors(problems: list[Problem], loaded: Loaded) -> bool:
    """Errors outside any notice's files (noticeboard.yaml, layouts) stop the whole build."""
    return any(p.is_error and not _in_notice_files(p, loaded) for p in problems)


def check(root: Path, ids: list[str] | None = None) -> Result:
    loaded = load_workspace(root)
    notices, files = _select(loaded, ids)
    problems = loaded.problems + run_checks(loaded, notices)
    # keep the shared problems (noticeboard.yaml, layouts) and those of the chosen notices
    problems = [p for p in problems if p.where.file in files or not _in_notice_files(p, loaded)]
    return Result(problems=sorted_problems(problems), refused=_unloaded(loaded, ids))


def lay_out(notice: Notice, loaded: Loaded) -> list[Sheet]:
    kind = loaded.kinds[notice.kind]
    composition = kind.compose(notice)
    design = loaded.designs[kind.design]
    signoffs = "　".join(f"{r.role}：{r.by.value}" + (f" {r.date.isoformat()}" if r.date else "") for r in notice.reviews)
    info = SheetInfo(
        title=notice.title.value, meta=composition.meta, issuer=notice.issuer.value,
        date_text=chinese_date(notice.date), hotline=notice.hotline.value if notice.hotline else None,
        url=notice.url, signoffs=signoffs or None,
    )
    if composition.layout == "document":  # GB/T 9704 pages (公告、通知) instead of the poster
        return lay_out_document(composition.blocks, info, design, loaded.fonts, notice.paper)
    template = SheetTemplate(info, design, loaded.fonts, notice.paper, page_size(notice.paper, notice.orientation),
                             notice.orientation)
    return fit(composition.blocks, template, composition.columns)


def render(notice: Notice, loaded: Loaded, draft: bool = False) -> bytes:
    """The print PDF of one checked notice. Raises LayoutOverflow when it cannot be set at all."""
    sheets = lay_out(notice, loaded)
    return render_pdf(sheets, loaded.fonts, title=notice.title.value, author=notice.issuer.value,
                      subject=notice.url, watermark=DRAFT_MARK if draft else None)


def _render_checked(notice: Notice, loaded: Loaded, draft: bool, problems: list[Problem]) -> bytes | None:
    """Render a notice whose own problems hold no error; otherwise None, with the reason in ``problems``."""
    own = [p for p in problems if p.where.file in loaded.notice_files.get(notice.id, set())]
    if not draft:
        gate = check_signoffs(notice, loaded.workspace.settings)
        problems += gate
        own += gate
    if has_errors(own) or notice.content is None:
        return None
    try:
        return render(notice, loaded, draft)
    except LayoutOverflow:
        problems.append(error(notice.where, "内容在最小字号下仍排不进，请改用更大的纸张（paper）或横向（orientation: landscape）。"))
        return None


def build(root: Path, out: Path | None = None, ids: list[str] | None = None, draft: bool = False) -> Result:
    loaded = load_workspace(root)
    notices, files = _select(loaded, ids)
    problems = loaded.problems + run_checks(loaded, notices)
    problems = [p for p in problems if p.where.file in files or not _in_notice_files(p, loaded)]
    out = out or root / "out"
    result = Result(refused=_unloaded(loaded, ids))
    if _shared_errors(problems, loaded):
        result.refused = [n.id for n in notices]
    else:
        for notice in notices:
            pdf = _render_checked(notice, loaded, draft, problems)
            if pdf is None:
                result.refused.append(notice.id)
                continue
            targets = {out / "print" / f"{notice.id}.pdf": pdf, out / "preview" / f"{notice.id}.png": render_png(pdf)}
            for path, data in targets.items():
                atomic.write_bytes(path, data)
                result.written.append(path)
    result.problems = sorted_problems(problems)
    return result


def render_file(path: Path, output: Path, draft: bool = False) -> Result:
    """One notice file without a workspace: settings come from a noticeboard.yaml beside it or one level up."""
    if not path.is_file():
        raise UnreadableInput(error(Where(str(path)), "找不到这个通知文件。"))
    root = next((p for p in (path.parent, path.parent.parent) if (p / SETTINGS_FILE).is_file()), path.parent)
    loaded = load_workspace(root, only=path)
    problems = loaded.problems + run_checks(loaded, loaded.workspace.notices)
    result = Result()
    notice = loaded.workspace.notices[0] if loaded.workspace.notices else None
    pdf = None
    if notice is not None and not _shared_errors(problems, loaded):
        pdf = _render_checked(notice, loaded, draft, problems)
    if pdf is None:
        result.refused = [notice.id if notice else str(path)]
    else:
        atomic.write_bytes(output, pdf)
        result.written.append(output)
    result.problems = sorted_problems(problems)
    return result
