from __future__ import annotations

from ..models import Notice
from ..problems import Problem, error


def check_duplicate_ids(notices: list[Notice]) -> list[Problem]:
    first: dict[str, Notice] = {}
    problems = []
    for notice in notices:
        if notice.id in first:
            problems.append(
                error(
                    notice.where,
                    f"编号「{notice.id}」已被 {first[notice.id].file} 使用。每条通知的编号必须唯一，请改一个。",
                )
            )
        else:
            first[notice.id] = notice
    return problems
