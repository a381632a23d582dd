"""The sign-off gate (信息员初审 → 分管领导审核 → 保密审查) for a final build.

A final print needs every role named in noticeboard.yaml, signed in that order, on or
before the 发布日期, and signed again whenever the content changed after the sign-offs
that were last registered. A catalogue entry may name its own chain (a village's
报账员初审 → 村务监督委员会审核): its notices need those roles instead, and the messages
say which chain applied.
"""

from __future__ import annotations

from ..load.signoffs import CHINA
from ..models import Notice, Settings, SignoffRecord
from ..problems import Problem, error, warning


def _day(record: SignoffRecord) -> str:
    return record.at.astimezone(CHINA).date().isoformat()


def _workbench_words(notice: Notice, missing: list[str], final: bool) -> tuple[list[Problem], list[str]]:
    """The missing roles that the workbench's records explain (returned, or signed before a change),
    each in its own words; and the rest, which nobody has signed at all."""
    problems = []
    rest = []
    for role in missing:
        if (returned := notice.returned.get(role)) is not None:
            reason = f"，理由：{returned.reason}" if returned.reason else ""
            message = f"「{role}」被{returned.by}于 {_day(returned)} 退回{reason}。请按意见修改后重新送审。"
            if final:
                message += "不能正式印发。"
            problems.append((error if final else warning)(returned.where, message))
        elif (stale := notice.stale.get(role)) is not None:
            message = (
                f"内容在{stale.by}于 {_day(stale)} 签批「{role}」之后改动过，这个签批不再算数，需要在工作台重新签批。"
            )
            if final:
                message += "不能正式印发。"
            problems.append((error if final else warning)(stale.where, message))
        else:
            rest.append(role)
    return problems, rest


def check_signoffs(notice: Notice, settings: Settings, final: bool = True) -> list[Problem]:
    """``final``: for a final build a missing role refuses it; for `check` it is a reminder."""
    chain, entry = settings.review_chain(notice.catalogue)
    signed = {review.role: review for review in notice.reviews}
    missing = [role for role in chain if role not in signed]
    order = "→".join(chain)
    # the workspace's chain goes without saying; an entry's own one is named, so nobody hunts for 保密审查
    which = f"（目录项「{entry.id}」按它自己的审核环节：{order}）" if entry else ""
    problems, missing = _workbench_words(notice, missing, final)
    if missing:
        roles = "、".join(f"「{role}」" for role in missing)
        if final:
            problems.append(
                error(
                    notice.at("reviews"),
                    (
                        f"缺少{roles}签批，不能正式印发{which}。"
                        f"请担任{roles}的人在工作台（noticeboard serve）里签批，或在 reviews 中补上签批人和日期；"
                        "只想看效果可以用 build --draft 出草稿。"
                    ),
                )
            )
        else:
            problems.append(
                warning(notice.at("reviews"), f"还缺少{roles}签批{which}：正式印发（build 不加 --draft）前要补上。")
            )
    earlier = None
    for role in chain:
        review = signed.get(role)
        if review is None or review.date is None:
            continue
        if review.date > notice.date:
            problems.append(
                error(
                    review.where,
                    (
                        f"「{role}」的签批日期 {review.date.isoformat()} 晚于发布日期 {notice.date.isoformat()}："
                        "应当先签批、后发布。请核对日期。"
                    ),
                )
            )
        if earlier is not None and earlier.date is not None and review.date < earlier.date:
            problems.append(
                error(
                    review.where,
                    (
                        f"「{role}」的签批日期 {review.date.isoformat()} 早于「{earlier.role}」的 "
                        f"{earlier.date.isoformat()}："
                        f"签批应当按 {order} 的顺序进行。请核对日期。"
                    ),
                )
            )
        earlier = review
    return problems


def check_changed_since_signoff(notice: Notice, signoffs: str, registered) -> list[Problem]:
    """``registered``: the notice's latest registered revision, or None.

    The same sign-offs over different content mean the content changed after it was signed.
    """
    if registered is None or not registered.content_sha256 or registered.content_sha256 == notice.content_fingerprint:
        return []
    if registered.reviewers != signoffs:
        return []
    if notice.reviews and all(review.source == "workbench" for review in notice.reviews):
        return []  # each was made in the workbench on this very content: signed again, though on the same day
    return [
        error(
            notice.at("reviews"),
            (
                f"内容在签批之后改动过（与已登记的第{registered.revision}版不同），但 reviews 还是原来的签批。"
                "请把改动重新送审，并更新 reviews 中的签批日期。"
            ),
        )
    ]
