"""The sign-offs made in the workbench (``signoffs/<id>.yaml``), read in the load stage.

The workbench appends one record per decision; this module reads them and folds the ones made on
the notice's current content into its reviews, so that `build` on the command line counts a
workbench sign-off exactly as one written in the notice's ``reviews:`` (SPEC §4). For each role
the latest record on the current fingerprint decides: 同意 adds the review (unless the notice file
already has that role), 退回 takes the role away, whatever the file says. Records made on older
content count for nothing; they are kept so that the gate can say who signed before the change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
from pathlib import Path

import yaml

from ..models import Notice, Review, Settings, SignoffRecord, Text
from ..problems import Problem, Where, error, os_reason, warning
from .yamlsrc import YNode, load_yaml

SIGNOFFS_DIR = "signoffs"
AGREE = "同意"
RETURN = "退回"
DECISIONS = (AGREE, RETURN)
CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # fixed: no tz database needed on Windows
FIELDS = ("role", "by", "decision", "reason", "at", "fingerprint", "seal")
# The workbench's own key: each record carries an HMAC of what it says, so a line typed into the file
# by hand (the very thing the workbench exists to stop: `保密审查: {by: 赵敏}` typed by anyone) counts
# for nothing. Beside the workbench's database, readable only by the account that runs it.
KEY_FILE = ".workbench/signoff_key"
HEADS_DIR = ".workbench/signoff-heads"
SEAL_PATTERN = re.compile(r"[0-9a-f]{64}")
HEADER = (
    "# 工作台（noticeboard serve）写入的签批记录，请不要手工修改。\n"
    "# 每一条是一次签批：环节（role）、签批人（by）、同意或退回（decision）、理由（reason）、\n"
    "# 时间（at）和所签内容的指纹（fingerprint）；内容改动后，旧指纹上的签批不再算数。\n"
    "# 每条的印记（seal）由工作台的密钥算出：手工添加或改动的记录对不上印记，不算数。\n"
)


def display_path(notice_id: str) -> str:
    return f"{SIGNOFFS_DIR}/{notice_id}.yaml"


def signing_key(root: Path, create: bool = False) -> bytes | None:
    """The workbench's key for seals; made (owner-only) when ``create`` and there is none yet."""
    path = root / KEY_FILE
    try:
        return path.read_bytes().strip() or None
    except FileNotFoundError:
        if not create:
            return None
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another signer made it between our read and our create: theirs wins
        return path.read_bytes().strip() or None
    key = secrets.token_hex(32).encode("ascii")
    with os.fdopen(descriptor, "wb") as out:
        out.write(key + b"\n")
    return key


def seal(key: bytes, notice_id: str, values: dict[str, str], previous: str = "") -> str:
    """What binds a record to this workbench, this notice and the record before it: copied to another
    notice, with any word changed, or with a record before it taken out, it no longer matches. JSON, so
    that no field can borrow characters from its neighbour (a reason "同意\\0" is not a decision)."""
    said = json.dumps([previous, notice_id] + [values[name] for name in FIELDS if name != "seal"], ensure_ascii=False)
    return hmac.new(key, said.encode("utf-8"), hashlib.sha256).hexdigest()


def head_path(root: Path, notice_id: str) -> Path:
    """How many records the workbench wrote for the notice, and the last one's seal: a file cut short
    (the last 退回 taken out, an older copy put back) is told from one that was never longer."""
    return root / HEADS_DIR / notice_id


def head_text(count: int, last_seal: str) -> str:
    return f"{count} {last_seal}\n"


def _head(root: Path, notice_id: str) -> tuple[int, str] | None:
    try:
        count, last = head_path(root, notice_id).read_text(encoding="ascii").split()
        return int(count), last
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def read_records(root: Path, notice_id: str, problems: list[Problem]) -> list[SignoffRecord]:
    """Every well-formed record of signoffs/<id>.yaml that carries the workbench's seal, in file order;
    each malformed or unsealed one is a located error."""
    display = display_path(notice_id)
    path = root / display
    if not path.is_file():
        return []
    try:
        key = signing_key(root)
    except OSError as exc:
        problems.append(
            error(Where(KEY_FILE), f"无法读取工作台的签批密钥（{os_reason(exc)}），签批记录无法核对，都不算数。")
        )
        return []
    try:
        node, found = load_yaml(path, display)
    except Exception as exc:  # UnreadableInput: one notice's records must not stop the whole workspace
        problem = getattr(exc, "problem", None)
        reason = os_reason(exc) if isinstance(exc, OSError) else "无法读取"
        problems.append(problem or error(Where(display), f"无法读取签批记录（{reason}）。"))
        return []
    # a damaged record file stops its own notice's final print, not the whole command (exit 1, not 2)
    problems += [error(p.where, p.message) if p.unreadable else p for p in found]
    if node is None:
        return []
    if node.value is None or (node.is_map and not node.entries):
        return []
    if not node.is_seq:
        problems.append(
            error(
                Where(display, node.line),
                "签批记录应当是一个列表（每条以 - 开头）。这个文件由工作台写入，请不要手工修改；可以从备份恢复。",
            )
        )
        return []
    keyless: list[SignoffRecord] = []  # well-formed, but with no key there is no telling who wrote them
    records = []
    previous = ""  # each record is sealed on the seal written before it, good or bad
    for item in node.items:
        record = _record(item, display, notice_id, key, previous, problems, keyless)
        if record is not None:
            records.append(record)
        written = item.entries.get("seal") if item.is_map else None
        previous = written.value if written is not None and isinstance(written.value, str) else ""
    if keyless:
        problems.append(
            error(
                Where(display),
                (
                    f"找不到工作台的签批密钥 {KEY_FILE}，这些签批记录无法核对，都不算数。"
                    "从备份恢复工作区时要连 .workbench 目录一起恢复；否则请在工作台重新签批。"
                ),
            )
        )
        return []
    head = _head(root, notice_id)
    seals = [
        written.value if (written := item.entries.get("seal")) is not None else None
        for item in node.items
        if item.is_map
    ]
    if head is None or len(seals) < head[0] or head[0] < 1 or seals[head[0] - 1] != head[1]:
        told = f"工作台记下的是 {head[0]} 条" if head else "工作台没有这份通知的签批索引"
        problems.append(
            error(
                Where(display),
                (
                    f"签批记录和工作台记下的对不上（文件里 {len(seals)} 条，{told}）：有记录被删掉、"
                    "或换成了旧的副本。这份通知在工作台的签批都不算数，请在工作台重新签批。"
                ),
            )
        )
        return []
    return records


def _record(
    item: YNode,
    display: str,
    notice_id: str,
    key: bytes | None,
    previous: str,
    problems: list[Problem],
    keyless: list[SignoffRecord],
) -> SignoffRecord | None:
    where = Where(display, item.line)
    if not item.is_map:
        problems.append(error(where, "这一条签批记录不是「键: 值」的形式，不算数。请从备份恢复这个文件。"))
        return None
    values: dict[str, str] = {}
    for name in FIELDS:
        value = item.entries.get(name)
        text = value.value if value is not None and isinstance(value.value, str) else None
        values[name] = (text or "").strip()
    missing = [name for name in FIELDS if name != "reason" and not values[name]]
    if missing:
        problems.append(error(where, f"这一条签批记录缺少 {'、'.join(missing)}，不算数。请从备份恢复这个文件。"))
        return None
    if values["decision"] not in DECISIONS:
        problems.append(error(where, f"签批结果「{values['decision']}」只能是「同意」或「退回」，这一条不算数。"))
        return None
    try:
        at = dt.datetime.fromisoformat(values["at"])
    except ValueError:
        problems.append(
            error(where, f"签批时间「{values['at']}」写法不对（应为 2026-04-10T09:30:00+08:00），这一条不算数。")
        )
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=CHINA)
    record = SignoffRecord(
        values["role"], values["by"], values["decision"], values["reason"], at, values["fingerprint"], where
    )
    if key is None:
        keyless.append(record)
        return None
    # the written seal is checked for its form first: compare_digest refuses non-ASCII text outright
    written = values["seal"]
    if not SEAL_PATTERN.fullmatch(written) or not hmac.compare_digest(written, seal(key, notice_id, values, previous)):
        problems.append(
            error(
                where,
                (
                    f"这一条签批记录（「{values['role']}」{values['by']}）对不上工作台的印记：不是工作台写的，"
                    "或写好后被改过，不算数。请在工作台重新签批。"
                ),
            )
        )
        return None
    return record


def latest(records: list[SignoffRecord], role: str, fingerprint: str | None) -> SignoffRecord | None:
    """The record that has the last word for ``role``: on this fingerprint, or on any when None."""
    mine = [
        (record.at, index, record)
        for index, record in enumerate(records)
        if record.role == role and (fingerprint is None or record.fingerprint == fingerprint)
    ]
    return max(mine, key=lambda entry: (entry[0], entry[1]))[2] if mine else None


def apply_records(notice: Notice, records: list[SignoffRecord], settings: Settings, problems: list[Problem]) -> None:
    """Fold the records into ``notice``: reviews added or taken away, 退回 and stale ones noted."""
    notice.signoff_records = records
    chain, _ = settings.review_chain(notice.catalogue)
    for record in records:
        if chain and record.role not in chain:
            problems.append(
                warning(
                    record.where,
                    f"环节「{record.role}」不在这份通知的审核环节中（{'、'.join(chain)}），这条签批不起作用。",
                )
            )
    in_file = {review.role for review in notice.reviews}
    for role in chain:
        word = latest(records, role, notice.fingerprint)
        if word is None:
            before = [r for r in records if r.role == role and r.decision == AGREE]
            if before and role not in in_file:
                notice.stale[role] = max(before, key=lambda r: r.at)
            continue
        if word.decision == RETURN:
            notice.returned[role] = word
            notice.reviews = [review for review in notice.reviews if review.role != role]
        elif role not in in_file:
            date = word.at.astimezone(CHINA).date()
            notice.reviews.append(Review(role, Text(word.by, word.where), date, word.where, source="workbench"))


def record_text(record: SignoffRecord, notice_id: str, key: bytes, previous: str = "") -> tuple[str, str]:
    """(its seal, the record as the YAML list item appended to the file): every value quoted safely by
    PyYAML, sealed on ``previous``, the seal of the record before it."""
    item = {
        "role": record.role.strip(),
        "by": record.by.strip(),
        "decision": record.decision.strip(),
        "reason": record.reason.strip(),
        "at": record.at.isoformat(timespec="seconds"),
        "fingerprint": record.fingerprint.strip(),
    }
    item["seal"] = seal(key, notice_id, item, previous)
    return item["seal"], yaml.safe_dump(
        [item], allow_unicode=True, sort_keys=False, default_flow_style=False, width=10_000
    )
