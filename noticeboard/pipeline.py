"""The pipeline: load, check, lay out, render, write. Used by the CLI and by Python callers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import atomic
from .checks import check_signoffs, run_checks
from .dates import chinese_date
from .layout.fit import LayoutOverflow, fit
from .layout.frame import SheetInfo, SheetTemplate
from .layout.paper import page_size
from .layout.sheet import Sheet
from .models import Notice
from .problems import Problem, UnreadableInput, Where, error, has_errors, sorted_problems
from .render.pdf import render_pdf
from .render.png import render_png
from .workspace import Loaded, load_notice, load_settings, load_workspace

DRAFT_MARK = "草稿"


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems) and not self.refused


def _select(loaded: Loaded, ids: list[str] | None) -> list[Notice]:
    if not ids:
        return list(loaded.workspace.notices)
    known = {n.id for n in loaded.workspace.notices}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise UnreadableInput(error(Where("notices/"), f"没有编号为「{'、'.join(unknown)}」的通知。现有：{'、'.join(sorted(known)) or '（无）'}。"))
    return [n for n in loaded.workspace.notices if n.id in ids]


def _notice_problems(problems: list[Problem], loaded: Loaded, notice: Notice) -> list[Problem]:
    files = loaded.notice_files.get(notice.id, set())
    return [p for p in problems if p.where.file in files]


def _shared_errors(problems: list[Problem], loaded: Loaded) -> bool:
    """Errors outside any notice's files (noticeboard.yaml, layouts) stop the whole build."""
    notice_files = set().union(*loaded.notice_files.values()) if loaded.notice_files else set()
    return any(p.is_error and p.where.file not in notice_files for p in problems)


def check(root: Path, ids: list[str] | None = None) -> Result:
    loaded = load_workspace(root)
    notices = _select(loaded, ids)
    problems = loaded.problems + run_checks(loaded, notices)
    if ids:
        wanted = set().union(*(loaded.notice_files.get(n.id, set()) for n in notices))
        problems = [p for p in problems if p.where.file in wanted or p.where.file not in
                    set().union(*loaded.notice_files.values())]
    return Result(problems=sorted_problems(problems))


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
    template = SheetTemplate(info, design, loaded.fonts, notice.paper, page_size(notice.paper, notice.orientation),
                             notice.orientation)
    return fit(composition.blocks, template)


def render(notice: Notice, loaded: Loaded, draft: bool = False) -> bytes:
    sheets = lay_out(notice, loaded)
    return render_pdf(sheets, loaded.fonts, title=notice.title.value, author=notice.issuer.value,
                      subject=notice.url, watermark=DRAFT_MARK if draft else None)


def build(root: Path, out: Path | None = None, ids: list[str] | None = None, draft: bool = False) -> Result:
    loaded = load_workspace(root)
    notices = _select(loaded, ids)
    problems = loaded.problems + run_checks(loaded, notices)
    out = out or root / "out"
    result = Result()
    if _shared_errors(problems, loaded):
        result.refused = [n.id for n in notices]
        result.problems = sorted_problems(problems)
        return result
    for notice in notices:
        own = _notice_problems(problems, loaded, notice)
        if not draft:
            gate = check_signoffs(notice, loaded.workspace.settings)
            problems += gate
            own += gate
        if has_errors(own) or notice.content is None:
            result.refused.append(notice.id)
            continue
        try:
            pdf = render(notice, loaded, draft)
        except LayoutOverflow:
            problems.append(error(notice.where, "内容在最小字号下仍排不进一张纸，请改用更大的纸张（paper）。"))
            result.refused.append(notice.id)
            continue
        targets = {out / "print" / f"{notice.id}.pdf": pdf, out / "preview" / f"{notice.id}.png": render_png(pdf)}
        for path, data in targets.items():
            atomic.write_bytes(path, data)
            result.written.append(path)
    result.problems = sorted_problems(problems)
    return result


def render_file(path: Path, output: Path) -> Result:
    """One notice file without a workspace: settings come from a noticeboard.yaml beside it, if any."""
    if not path.is_file():
        raise UnreadableInput(error(Where(str(path)), "找不到这个通知文件。"))
    from .kinds import registry
    from .layout.design import load_design
    from .layout.fonts import build_stack
    from .models import Settings, Workspace

    problems: list[Problem] = []
    root = next((p for p in (path.parent, path.parent.parent) if (p / "noticeboard.yaml").is_file()), None)
    settings = load_settings(root, problems) if root else Settings(file="noticeboard.yaml")
    fonts, found = build_stack(settings.fonts)
    problems += found
    kinds = registry()
    notice = load_notice(path, str(path), settings, kinds, problems)
    result = Result()
    if notice is None or notice.content is None or has_errors(problems):
        result.problems = sorted_problems(problems)
        result.refused = [notice.id] if notice else [str(path)]
        return result
    layouts = root / "layouts" if root and (root / "layouts").is_dir() else None
    kind = kinds[notice.kind]
    design, found = load_design(kind.design, layouts)
    problems += found
    workspace = Workspace(root=root or path.parent, settings=settings, notices=[notice], layouts_dir=layouts)
    loaded = Loaded(workspace, problems, fonts, {kind.design: design}, kinds, {notice.id: set(notice.sources)})
    problems += run_checks(loaded, [notice])
    if has_errors(problems):
        result.problems = sorted_problems(problems)
        result.refused = [notice.id]
        return result
    try:
        pdf = render(notice, loaded)
    except LayoutOverflow:
        problems.append(error(notice.where, "内容在最小字号下仍排不进一张纸，请改用更大的纸张（paper）。"))
        result.problems, result.refused = sorted_problems(problems), [notice.id]
        return result
    atomic.write_bytes(output, pdf)
    result.written.append(output)
    result.problems = sorted_problems(problems)
    return result
