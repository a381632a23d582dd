"""The form of a kind and the notice YAML it writes: the same file `noticeboard new` writes, edited
line by line so the clerk's comments and the keys the form does not show stay as they are."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..dates import chinese_date
from ..kinds.registry import registry
from ..load import options
from ..load.workspace import (
    COMMON,
    ID_PATTERN,
    NOTICES_DIR,
    load_settings,
)
from ..load.yamlsrc import load_yaml, parse_date
from ..models import Settings
from ..problems import Problem, Where, error, os_reason
from ..publish import atomic
from ..starter import new_notice, reserved_id_message
from .common import WORKBENCH_DIR, Written, _check_notice, _lock, _notice_path, _scalar, _today


@dataclass
class FieldSpec:
    name: str  # YAML key
    label: str  # Chinese label
    help: str  # Chinese help
    type: str  # "text" | "textarea" | "integer" | "number" | "date" | "choice" | "boolean" | "yaml" (a list's lines)
    required: bool
    choices: list[tuple[str, str]] = field(default_factory=list)  # (value, label) for "choice"
    default: str = ""


def kinds() -> list[tuple[str, str]]:
    """(kind, Chinese label) of every kind, for the choose-a-kind page."""
    return [(name, spec.label) for name, spec in registry().items()]


def form_fields(root: Path, kind: str) -> list[FieldSpec]:
    """The form for a notice of ``kind``, generated from the common and the kind's option schema: id,
    title, date, display_days, paper, orientation, catalogue as a choice of the workspace's entries,
    period, issuer, hotline, the kind's own scalars, ``body`` as a textarea, and each list key (a
    guide's steps, a roster's columns) as "yaml": the lines the file holds under it. Never ``reviews``
    (sign-offs are made by signing) nor ``data`` (the upload)."""
    spec = registry().get(kind)
    if spec is None:
        raise LookupError(kind)
    problems: list[Problem] = []
    settings = load_settings(root, problems)
    fields: list[FieldSpec] = []
    for option in (COMMON + spec.options).options:
        if option.name in NOT_IN_FORM:
            continue
        made = _field(option, settings)
        if made is not None:
            fields.append(made)
    return fields


def notice_values(root: Path, notice_id: str) -> dict[str, str]:
    """The current values of the notice file's scalar keys, as the form shows them."""
    path = _notice_path(root, notice_id)
    node, _ = load_yaml(path, f"{NOTICES_DIR}/{path.name}")
    values: dict[str, str] = {}
    if node is None or not node.is_map:
        return values
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    for key, value in node.entries.items():
        if key in NOT_IN_FORM and key != "kind":
            continue  # kind is not in the form, but says which form edits a notice that does not load
        if value.is_scalar:
            values[key] = "" if value.value is None else str(value.value)
        else:
            values[key] = _block_text(lines, node.key_lines[key])
    return values


def _block_text(lines: list[str], line: int) -> str:
    """What the file holds under the key on ``line`` (1-based), as the form's text: a flow value as it
    is written (``[姓名, 金额]``), a block dedented, its comments kept."""
    start = line - 1
    rest = _TOP_KEY.match(lines[start])
    inline = rest[2] if rest else ""
    inline = inline[: len(inline) - len(_comment_of(inline))] if _comment_of(inline) else inline
    if inline.strip():
        return inline.strip()
    end = _block_end(lines, start)
    return textwrap.dedent("".join(lines[start + 1 : end])).rstrip("\n")


def template(kind: str) -> tuple[str, bytes]:
    """The kind's table template, as `noticeboard new` writes it: (file name, xlsx bytes)."""
    spec = registry().get(kind)
    if spec is None or spec.columns is None:
        raise LookupError(kind)
    with tempfile.TemporaryDirectory(prefix="noticeboard-template-") as folder:
        started = new_notice(folder, kind, "template")
        table = next(p for p in started.files if p.suffix == ".xlsx")
        return f"{kind}-模板.xlsx", table.read_bytes()


NOT_IN_FORM = {"kind", "reviews", "data", "sheet"}
CHOICE_LABELS = {"portrait": "竖版", "landscape": "横版"}


def _field(option, settings: Settings) -> FieldSpec | None:
    kind = option.type
    label, help_text = option.label, option.help or option.label
    if option.name == "catalogue":
        choices = [(e.id, e.title) for e in settings.catalogue]
        return FieldSpec(option.name, label, help_text, "choice", False, choices)
    if option.name == "body":
        return FieldSpec(option.name, label, help_text, "textarea", option.required)
    if isinstance(kind, options.TextValue):
        return FieldSpec(option.name, label, help_text, "text", option.required, default=kind.default or "")
    if isinstance(kind, (options.IntegerValue, options.CountValue)):
        default = "" if kind.default is None else str(kind.default)
        return FieldSpec(option.name, label, help_text, "integer", option.required, default=default)
    if isinstance(kind, options.NumberValue):
        return FieldSpec(option.name, label, help_text, "number", option.required)
    if isinstance(kind, options.DateValue):
        default = _today().isoformat() if option.name == "date" else ""
        return FieldSpec(option.name, label, help_text, "date", option.required, default=default)
    if isinstance(kind, options.BooleanValue):
        return FieldSpec(option.name, label, help_text, "boolean", False, default="true" if kind.default else "")
    if isinstance(kind, options.ChoiceValue):
        choices = [(c, CHOICE_LABELS.get(c, c)) for c in kind.choices]
        return FieldSpec(option.name, label, help_text, "choice", option.required, choices, kind.default or "")
    if isinstance(kind, (options.ListValue, options.MappingValue, options.RawValue, options.TextListValue)):
        # a guide's steps, a roster's columns: edited as the lines the file holds under the key, so that
        # the whole notice can be written in the browser and the file stays the one the command line reads
        help_text += "（照通知文件里的写法：每项一行，以「- 」开头；层次用空格缩进）"
        return FieldSpec(option.name, label, help_text, "yaml", option.required)
    return None


_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`\x7f-\x9f\u2028\u2029\ufeff][^\n\r\t\x7f-\x9f\u2028\u2029\ufeff]*")
_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*):(.*)$")
_COMMENTED_KEY = re.compile(r"^#\s?([A-Za-z_][A-Za-z0-9_-]*):(.*)$")
_PRINTED_AS = re.compile(r"印作「[^」\n]*」")
_NULL_WORDS = {"~", "null", "Null", "NULL"}


# what YAML reads as a line break (NEL, LS, PS) or refuses in a file, beyond what JSON escapes
_YAML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def yaml_scalar(value: str) -> str:
    """A form value as YAML that reads back as exactly that text: plain where safe, else double-quoted."""
    if (
        _PLAIN.fullmatch(value)
        and value == value.strip()
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
        and value not in _NULL_WORDS
        and not _YAML_UNSAFE.search(value)
    ):
        return value
    quoted = json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar,
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)  # once YAML's own line breaks are escaped too


def _comment_of(rest: str) -> str:
    """The trailing `  # …` of a key line's value part, outside quotes; '' when none."""
    quote = None
    for index, char in enumerate(rest):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"" and not rest[:index].strip():
            quote = char
        elif char == "#" and (index == 0 or rest[index - 1] in " \t"):
            start = index
            while start > 0 and rest[start - 1] in " \t":
                start -= 1
            return rest[start:]
    return ""


def _block_end(lines: list[str], start: int) -> int:
    """The line after key ``start``'s value: the next line at column 0 that is not blank."""
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t"):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def _value_lines(key: str, value: str, comment: str, block: bool = False) -> list[str]:
    if block:  # YAML the form checked: written under the key as it was typed, two spaces in
        if "\n" not in value and value.lstrip().startswith(("[", "{")):
            return [f"{key}: {value.strip()}{comment}\n"]
        return [f"{key}:{comment}\n", *(f"  {line}".rstrip() + "\n" for line in value.split("\n"))]
    if "\n" in value and not _YAML_UNSAFE.search(value) and not set("\t\r") & set(value.replace("\r\n", "\n")):
        texts = value.replace("\r\n", "\n").rstrip("\n").split("\n")
        body = [f"  {line}".rstrip() + "\n" for line in texts]
        indicator = "|2" if texts[0].startswith(" ") else "|"  # a first line that starts with a space sets no indent
        return [f"{key}: {indicator}{comment}\n", *body]
    return [f"{key}: {yaml_scalar(value)}{comment}\n"]


def _comment_for(value: str, comment: str) -> str:
    """A key's comment that shows how its date prints (`# 发布日期：印作「2026年4月12日」`) follows the date
    now written, so the file never says one day beside another; a value that is no date loses the example."""
    if not _PRINTED_AS.search(comment):
        return comment
    day = parse_date(value)
    if day is None:
        return _PRINTED_AS.sub("", comment).rstrip("：:，, ")
    return _PRINTED_AS.sub(f"印作「{chinese_date(day)}」", comment)


def set_keys(text: str, values: dict[str, str], blocks: frozenset[str] = frozenset()) -> str:
    """``text`` (a notice file) with each key set to its value, or removed where the value is empty;
    every other line (comments, reviews, data, keys the form does not show) kept as it is. A key in
    ``blocks`` has YAML text for its value (a list), written under it as it is."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for key, value in values.items():
        found = next((i for i, line in enumerate(lines) if (m := _TOP_KEY.match(line)) and m[1] == key), None)
        if found is not None:
            end = _block_end(lines, found)
            rest = _TOP_KEY.match(lines[found])[2]  # type: ignore[index]
            comment = _comment_of(rest) if end == found + 1 or rest.strip().startswith(("|", ">")) else ""
            if rest.strip().startswith(("|", ">")):
                comment = _comment_of(rest.strip()[1:].lstrip("-+0123456789"))
            comment = _comment_for(value, comment.rstrip("\n"))
            lines[found:end] = _value_lines(key, value, comment, key in blocks) if value != "" else []
            continue
        if value == "":
            continue
        commented = next((i for i, line in enumerate(lines) if (m := _COMMENTED_KEY.match(line)) and m[1] == key), None)
        if commented is not None:
            comment = _comment_of(_COMMENTED_KEY.match(lines[commented])[2]).rstrip("\n")  # type: ignore[index]
            lines[commented : commented + 1] = _value_lines(key, value, _comment_for(value, comment), key in blocks)
            continue
        reviews = next((i for i, line in enumerate(lines) if line.startswith(("reviews:", "# reviews:"))), None)
        at = reviews if reviews is not None else len(lines)
        while at > 0 and lines[at - 1].startswith("#") and reviews is not None:
            at -= 1  # before the reviews block's own explanation
        lines[at:at] = _value_lines(key, value, "", key in blocks)
    return "".join(lines)


def _form_values(root: Path, kind: str, values: dict[str, str]) -> dict[str, str]:
    fields = {f.name: f for f in form_fields(root, kind)}
    chosen = {}
    for name, value in values.items():
        spec = fields.get(name)
        if spec is None or name == "id":
            continue
        if spec.type == "yaml":
            value = textwrap.dedent((value or "").replace("\r\n", "\n")).strip("\n").rstrip()
        else:
            value = (value or "").strip() if spec.type != "textarea" else (value or "").rstrip()
        if spec.type == "boolean":
            value = "true" if value.lower() in ("true", "on", "1", "yes", "是") else ("" if not value else "false")
        chosen[name] = value
    return chosen


def _blocks(root: Path, kind: str, chosen: dict[str, str], display: str) -> tuple[frozenset[str], list[Problem]]:
    """The list fields among ``chosen``, and a located error for each whose text is not YAML: nothing
    is written then, so a typo in a guide's steps never breaks the file the command line reads."""
    names = frozenset(spec.name for spec in form_fields(root, kind) if spec.type == "yaml")
    problems = []
    for name in sorted(names & chosen.keys()):
        try:
            yaml.safe_load(chosen[name])
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f"第 {mark.line + 1} 行" if mark is not None else ""
            problems.append(
                error(
                    Where(display),
                    f"「{name}」{at}的写法不对，没有保存。"
                    "每项一行，以「- 」开头；冒号后面要有空格；层次用空格缩进，不用 Tab。",
                )
            )
    return names, problems


def _same_yaml(a: str, b: str) -> bool:
    try:
        return yaml.safe_load(a) == yaml.safe_load(b)
    except yaml.YAMLError:
        return False


def file_version(root: Path, notice_id: str) -> str:
    """The notice file as it is now, for the edit form to carry (``base`` of write_notice): "" when
    there is no such file."""
    try:
        return hashlib.sha256(_notice_path(root, notice_id).read_bytes()).hexdigest()
    except (LookupError, OSError):
        return ""


def write_notice(
    root: Path, kind: str, values: dict[str, str], notice_id: str | None = None, base: str | None = None
) -> Written:
    """Create (notice_id None: values["id"]) or update the notice file from the form's values, as the
    same YAML `noticeboard new` writes (commented keys; an update keeps the file's comments, its
    ``reviews`` and ``data`` and any key the form does not show). A new id that exists is refused;
    for a kind with a table, a new notice gets the kind's template table (as `new`), named <id>.xlsx.
    Written atomically. The result's problems are `check`'s for this notice. ``base`` (file_version
    when the form was shown): an update is refused when the file has changed since, so that of two
    windows editing one notice the later save does not silently undo the earlier one."""
    if notice_id is not None:
        try:
            path = _notice_path(root, notice_id)
        except LookupError:
            return Written(None, None, [error(Where(f"{NOTICES_DIR}/{notice_id}.yaml"), "没有这份通知。")])
        display = f"{NOTICES_DIR}/{path.name}"
        given = (values.get("id") or notice_id).strip()
        if given != notice_id:
            return Written(
                notice_id, None, [error(Where(display, 1), "编号（id）不能在这里改：它是文件名，也是网址的一部分。")]
            )
        node, _ = load_yaml(path, display)
        file_kind = _scalar(node, "kind") if node is not None else None
        chosen = _form_values(root, file_kind or kind, values)
        # the form shows a key the file lacks at its default; posted back unchanged, it is no change
        present = set(node.entries) if node is not None and node.is_map else set()
        defaults = {spec.name: spec.default for spec in form_fields(root, file_kind or kind)}
        chosen = {k: v for k, v in chosen.items() if k in present or v not in ("", defaults.get(k, ""))}
        blocks, refused = _blocks(root, file_kind or kind, chosen, display)
        if refused:
            return Written(notice_id, None, refused)
        # a list shown and posted back as it was is no change, however the file indents it
        shown = notice_values(root, notice_id)
        chosen = {k: v for k, v in chosen.items() if k not in blocks or k not in shown or not _same_yaml(v, shown[k])}
        with _lock(root, notice_id):
            if base and file_version(root, notice_id) != base:
                return Written(
                    notice_id,
                    None,
                    [
                        error(
                            Where(display),
                            (
                                "这份公示在您打开表单之后被改过（别人保存过，或您在另一个窗口里保存过）。"
                                "您这次的改动没有保存：请刷新页面，在最新的内容上再改。"
                            ),
                        )
                    ],
                )
            text = path.read_text(encoding="utf-8-sig")
            changed = set_keys(text, chosen, blocks) if chosen else text
            if changed != text:  # else the file stays byte for byte as it is (its BOM, its last line)
                atomic.write_bytes(path, changed.encode("utf-8"))
        return Written(notice_id, path, _check_notice(root, notice_id))
    new_id = (values.get("id") or "").strip()
    where = Where(f"{NOTICES_DIR}/{new_id or '（新通知）'}.yaml")
    if kind not in registry():
        return Written(None, None, [error(where, f"没有「{kind}」这种类型，只能是：{'、'.join(registry())}。")])
    if not ID_PATTERN.fullmatch(new_id):  # fullmatch: "$" would let a trailing newline through
        return Written(
            None, None, [error(where, f"编号「{new_id}」只能由小写字母、数字和连字符组成，例如 2026q1-finance。")]
        )
    reserved = reserved_id_message(new_id)
    if reserved is not None:
        return Written(None, None, [error(where, reserved)])
    try:
        existing = _notice_path(root, new_id)
    except LookupError:
        existing = None
    if existing is not None:
        return Written(
            None, None, [error(where, f"编号「{new_id}」已经有了（{NOTICES_DIR}/{existing.name}），请换一个。")]
        )
    folder = root / NOTICES_DIR
    scratch = root / WORKBENCH_DIR / "tmp"
    try:
        scratch.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=scratch) as made:  # same disk: each file moves in by one rename
            started = new_notice(made, kind, new_id, today=_today())
            if started.problems:
                return Written(None, None, started.problems)
            yaml_made = Path(made) / NOTICES_DIR / f"{new_id}.yaml"
            chosen = _form_values(root, kind, values)
            blocks, refused = _blocks(root, kind, chosen, f"{NOTICES_DIR}/{new_id}.yaml")
            if refused:
                return Written(None, None, refused)
            text = set_keys(yaml_made.read_text(encoding="utf-8"), chosen, blocks)
            yaml_made.write_text(text, encoding="utf-8")
            folder.mkdir(parents=True, exist_ok=True)
            for made_file in started.files:
                if made_file.suffix != ".yaml" and (folder / made_file.name).exists():
                    continue  # a table of that name is the clerk's own: never replaced by the template
                atomic.publish(made_file, folder / made_file.name)
    except OSError as exc:
        return Written(None, None, [error(where, f"无法写入（{os_reason(exc)}）。")])
    return Written(new_id, folder / f"{new_id}.yaml", _check_notice(root, new_id))
