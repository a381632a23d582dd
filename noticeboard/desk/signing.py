"""A reviewer's 同意 or 退回, appended to signoffs/<id>.yaml where `noticeboard build` counts it."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import yaml

from ..load import signoffs as load_signoffs
from ..load.signoffs import CHINA
from ..load.workspace import (
    NOTICES_DIR,
    load_workspace,
)
from ..models import SignoffRecord as ModelRecord
from ..problems import Problem, Where, error, os_reason
from ..publish import atomic
from .common import AGREE, RETURN, _lock, _notice_path
from .sheets import previews


def sign(
    root: Path,
    notice_id: str,
    role: str,
    by: str,
    held: set[str],
    decision: str,
    reason: str,
    fingerprint: str,
    at: dt.datetime | None = None,
) -> list[Problem]:
    """Record ``by``'s 同意/退回 for ``role`` on the content with ``fingerprint``. Refused (errors, nothing
    written) when: ``role`` is not in ``held``; ``role`` is not in the notice's chain; the notice's
    content has changed since the page was shown (fingerprint differs: 「内容已改动，请重新查看后再签」);
    退回 without a reason; a role before it in the chain has not agreed to the current content (同意 only).
    Appends to signoffs/<id>.yaml atomically. Empty list: recorded."""
    shown = Where(load_signoffs.display_path(notice_id))
    if role not in held:
        return [error(shown, f"你没有「{role}」这个签批角色，不能替别人签。")]
    if decision not in (AGREE, RETURN):
        return [error(shown, "只能选「同意」或「退回」。")]
    reason = (reason or "").strip()
    if _invisible(reason) or _invisible(by or ""):
        # a NUL or an escape in a reason is never meant; in a record it could pass for another field
        return [error(shown, "理由里有看不见的控制字符，请删掉后再签。")]
    if decision == RETURN and not reason:
        return [error(shown, "退回要写明理由，让信息员知道改什么。")]
    if not (by or "").strip():
        return [error(shown, "签批人的名字是空的。请管理员给这个账号填上姓名。")]
    try:
        path = _notice_path(root, notice_id)
    except LookupError:
        return [error(shown, "没有这份通知。")]
    # checked here, not only by the page: whoever calls the library cannot agree to sheets that will
    # not print, which are the sheets the reviewer looks at (taken before the lock, which the previews'
    # own load would wait on)
    if decision == AGREE and not previews(root, notice_id).images:
        return [error(shown, "这份公示还有错误，印不出来，不能同意：可以退回并写明要改什么。")]
    with _lock(root, notice_id):
        loaded = load_workspace(root, notice_file=path)
        notice = loaded.workspace.notices[0] if loaded.workspace.notices else None
        if notice is None:
            return [error(Where(f"{NOTICES_DIR}/{path.name}"), "这份通知读不出来，先请信息员改好，再签批。")]
        chain, _ = loaded.workspace.settings.review_chain(notice.catalogue)
        if role not in chain:
            return [error(shown, f"这份通知的审核环节是 {'→'.join(chain) or '（无）'}，没有「{role}」。")]
        if fingerprint != notice.fingerprint:
            return [error(shown, "内容已改动，请重新查看后再签。")]
        records_file = load_signoffs.display_path(notice.id)
        if any(p.is_error and p.where.file == records_file for p in loaded.problems):
            # appending (and moving the index on) would bless a file that was cut short or edited
            return [
                error(
                    shown,
                    (
                        f"这份通知的签批记录 {records_file} 有问题（见公示页），现在不能再签。请管理员核对审计日志后，"
                        f"删掉它和 {load_signoffs.HEADS_DIR}/{notice.id}，再请各环节在工作台重新签批。"
                    ),
                )
            ]
        last = load_signoffs.latest(notice.signoff_records, role, notice.fingerprint)
        if last is not None and last.by == by.strip() and last.decision == decision:
            return [error(shown, f"你已经以「{role}」{decision}过现在的内容了，不用再签。")]
        if decision == AGREE:
            twice = [r.role for r in notice.reviews if r.role != role and r.by.value == by.strip()]
            if twice:
                return [
                    error(
                        shown,
                        (
                            f"{by.strip()}已经以「{twice[0]}」同意了这份内容，同一个人不能再以「{role}」签批："
                            "几道审核要由不同的人把关。"
                        ),
                    )
                ]
            signed = {review.role for review in notice.reviews}
            before = [r for r in chain[: chain.index(role)] if r not in signed]
            if before:
                waiting = "、".join(f"「{r}」" for r in before)
                return [error(shown, f"要按 {'→'.join(chain)} 的顺序签批：{waiting}还没有同意现在的内容。")]
        moment = (at or dt.datetime.now(CHINA)).astimezone(CHINA)
        record = ModelRecord(role, by.strip(), decision, reason, moment, fingerprint, shown)
        target = root / records_file
        try:
            existing = target.read_text(encoding="utf-8") if target.is_file() else load_signoffs.HEADER
        except (OSError, UnicodeDecodeError) as exc:
            reason_text = os_reason(exc) if isinstance(exc, OSError) else "不是 UTF-8"
            return [error(shown, f"无法读取签批记录（{reason_text}）。")]
        written = yaml.safe_load(existing) or []  # it loaded above without an error, so it is a list
        previous = str(written[-1].get("seal", "")) if written else ""
        if not existing.endswith("\n"):
            existing += "\n"
        try:
            key = load_signoffs.signing_key(root, create=True)
        except OSError as exc:
            return [error(shown, f"无法读取或建立工作台的签批密钥（{os_reason(exc)}）。")]
        if key is None:  # an empty key file: a seal of nothing would prove nothing
            return [error(shown, f"工作台的签批密钥 {load_signoffs.KEY_FILE} 是空的，请管理员删掉它再签。")]
        sealed, text = load_signoffs.record_text(record, notice.id, key, previous)
        try:
            atomic.write_bytes(target, (existing + text).encode("utf-8"))
            # after the records: a stop between the two leaves one record past the index, which reads
            # as it should (the index only says how many there were at least)
            atomic.write_bytes(
                load_signoffs.head_path(root, notice.id), load_signoffs.head_text(len(written) + 1, sealed).encode()
            )
        except OSError as exc:
            return [error(shown, f"无法保存签批（{os_reason(exc)}）。")]
    return []


def _invisible(text: str) -> bool:
    return any(unicodedata.category(char) == "Cc" and char not in "\n\t" for char in text)
