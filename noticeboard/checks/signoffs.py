"""The sign-off gate: a final build needs every review role named in noticeboard.yaml."""

from __future__ import annotations

from ..models import Notice, Settings
from ..problems import Problem, error


def check_signoffs(notice: Notice, settings: Settings) -> list[Problem]:
    signed = {review.role for review in notice.reviews}
    missing = [role for role in settings.reviews if role not in signed]
    if not missing:
        return []
    return [error(notice.at("reviews"), (
        f"缺少{'、'.join(f'「{role}」' for role in missing)}签批，不能正式印发。"
        "请在 reviews 中补上签批人和日期；只想看效果可以用 build --draft 出草稿。"))]
