"""The check stage: every rule, run over loaded models, collecting problems."""

from __future__ import annotations

from ..models import Notice
from ..problems import Problem
from .glyphs import check_glyphs, printable_texts
from .ids import check_duplicate_ids
from .privacy import check_privacy, check_settings_privacy
from .qrcodes import check_qr_density
from .signoffs import check_signoffs


def run_checks(loaded, notices: list[Notice]) -> list[Problem]:
    """Workspace-wide rules, then each notice's own kind rules."""
    problems = check_duplicate_ids(loaded.workspace.notices) + check_settings_privacy(loaded.workspace.settings)
    problems += check_qr_density(notices, loaded.workspace.settings, loaded.workspace.notices)
    for notice in notices:
        kind = loaded.kinds[notice.kind]
        texts = list(printable_texts(notice, kind))  # composed once for both scans
        problems += check_glyphs(texts, loaded.fonts)
        problems += check_privacy(notice, kind, loaded.workspace.settings, texts)
        problems += kind.check(notice, loaded.workspace)
    return list(dict.fromkeys(problems))  # a kind's own privacy backstop words its hits as the scanner does


__all__ = ["check_signoffs", "run_checks"]
