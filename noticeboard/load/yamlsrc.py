"""YAML with line numbers, and without YAML 1.1's surprises.

We compose the node tree ourselves instead of letting PyYAML construct Python
objects, because construction throws away the marks we need for messages, and
its 1.1 resolver turns keys like ``on``/``no`` into booleans and ``2026-04-12``
into a date only sometimes. Every scalar stays the text the user typed; the
field readers below decide what it means.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from ..problems import Problem, UnreadableInput, Where, error, os_reason, unreadable


@dataclass
class YNode:
    """A YAML node: ``value`` is a dict, a list, a str, or None (null)."""

    value: object
    line: int
    quoted: bool = False
    key_lines: dict[str, int] = field(default_factory=dict)

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_seq(self) -> bool:
        return isinstance(self.value, list)

    @property
    def is_scalar(self) -> bool:
        return self.value is None or isinstance(self.value, str)

    @property
    def entries(self) -> dict[str, YNode]:
        """A mapping's keys and values; none for any other node."""
        return self.value if isinstance(self.value, dict) else {}

    @property
    def items(self) -> list[YNode]:
        """A list's items; none for any other node."""
        return self.value if isinstance(self.value, list) else []


_NULLS = {"", "~", "null", "Null", "NULL"}
FIRST_YEAR, LAST_YEAR = 1949, 2199  # every date a disclosure carries lies between these
MAX_INTEGER = 100_000


MAX_DEPTH = 50  # no notice nests deeper than a handful of levels
_SURROGATE = re.compile("[\ud800-\udfff]")


class _TooDeep(Exception):
    def __init__(self, line: int):
        self.line = line


def _clean(text: str, file: str, line: int, problems: list[Problem]) -> str:
    """A lone surrogate (written as \\ud800 in quotes) is no character: it cannot be printed or saved."""
    found = _SURROGATE.search(text)
    if not found:
        return text
    code = ord(found[0])
    problems.append(
        error(
            Where(file, line),
            (
                f"这里有一个无效的字符（U+{code:04X}，单独的代理码位，多半是写错的 \\u 转义）。请删去它，"
                "或直接写出要的字。"
            ),
        )
    )
    return _SURROGATE.sub("\ufffd", text)


def _convert(
    node: yaml.Node, file: str, problems: list[Problem], seen: set[int] | None = None, depth: int = 0
) -> YNode:
    line = node.start_mark.line + 1
    seen = set() if seen is None else seen
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if depth > MAX_DEPTH:
            raise _TooDeep(line)
        if id(node) in seen:  # an alias (*name) of a list or mapping: copies can multiply without end
            if -1 not in seen:  # one message for the file, however many aliases
                seen.add(-1)
                problems.append(
                    error(
                        Where(file, line),
                        (
                            "这里用 YAML 的锚点和别名（& 和 *）重复引用了一个列表或映射。通知文件中请直接写出内容，"
                            "不要用别名。"
                        ),
                    )
                )
            return YNode(None, line)
        seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        values: dict[str, YNode] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(error(Where(file, key_line), "键名必须是一段文字，不能是列表或映射。"))
                continue
            key = _clean(key_node.value, file, key_line, problems)
            if key in values:
                problems.append(
                    error(
                        Where(file, key_line),
                        f"键「{key}」重复出现（第一次在第 {key_lines[key]} 行），请删去其中一个。",
                    )
                )
                continue
            values[key] = _convert(value_node, file, problems, seen, depth + 1)
            key_lines[key] = key_line
        return YNode(values, line, key_lines=key_lines)
    if isinstance(node, yaml.SequenceNode):
        return YNode([_convert(item, file, problems, seen, depth + 1) for item in node.value], line)
    quoted = node.style in ("'", '"', "|", ">")
    text = _clean(node.value, file, line, problems)
    if not quoted and text in _NULLS:
        return YNode(None, line)
    return YNode(text, line, quoted=quoted)


def load_yaml(path: Path, display: str) -> tuple[YNode | None, list[Problem]]:
    """Read a YAML file into YNodes. Unreadable files raise; malformed ones are problems."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableInput(error(Where(display), "找不到这个文件，请检查路径。")) from None
    except OSError as exc:
        raise UnreadableInput(error(Where(display), f"无法读取这个文件（{os_reason(exc)}）。")) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [unreadable(Where(display), "文件不是 UTF-8 编码。请在编辑器中另存为「UTF-8」后再试。")]
    problems: list[Problem] = []
    if wide := _full_width_colons(text, display):
        return None, wide  # PyYAML would report the line after, and only as a generic indentation error
    deep = error(
        Where(display), f"文件里的列表或映射嵌套太深（超过 {MAX_DEPTH} 层），多半是括号写错了。请检查 [ ] 和 {{ }}。"
    )
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        return None, [deep]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if (_is_unclosed_bracket(exc) or _is_unclosed_quote(exc)) and exc.context_mark is not None:
            mark = exc.context_mark  # where the bracket or quote opens, not where the parser gave up
        line = mark.line + 1 if mark else None
        return None, [error(Where(display, line), _explain_yaml_error(exc))]
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML always marks its errors
        return None, [error(Where(display), f"YAML 格式有误：{exc}")]
    if node is None:
        return YNode({}, 1), []
    try:
        converted = _convert(node, display, problems)
    except (_TooDeep, RecursionError) as exc:
        return None, [Problem(deep.level, Where(display, getattr(exc, "line", None)), deep.message)]
    if any(p.is_error for p in problems):
        return None, problems  # a surrogate or an alias: the rest would only repeat the same cause
    return converted, problems


_WIDE_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_-]*)\s*：")


def _full_width_colons(text: str, display: str) -> list[Problem]:
    """A key typed with the Chinese input method's 「：」 (title：…): named at its own line."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _WIDE_COLON.match(line):
            found.append(
                error(
                    Where(display, number),
                    (
                        f"「{match[2]}」后面的冒号是中文的「：」。键后面要用英文冒号加一个空格，写成「{match[2]}: 」"
                        "（输入时先切换到英文标点）。"
                    ),
                )
            )
    return found


def _is_unclosed_bracket(exc: yaml.MarkedYAMLError) -> bool:
    return "flow" in (exc.context or "") or "expected ',' or" in (exc.problem or "")


def _is_unclosed_quote(exc: yaml.MarkedYAMLError) -> bool:
    return "quoted scalar" in (exc.context or "")


def _explain_yaml_error(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    if "\t" in problem or "'\\t'" in problem:
        return "这一行用了 Tab 键缩进，YAML 只能用空格缩进。请把 Tab 换成空格。"
    if _is_unclosed_bracket(exc):
        return "括号没有配对：这一行的 [ 或 { 没有对应的 ] 或 }。请补上，或给含有括号的值加上引号。"
    if "mapping values are not allowed" in problem:
        return "这一行的缩进或冒号不对：同一层的键要左对齐；若值里本身有冒号，请给整段值加上引号。"
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        return "这一行的缩进或冒号不对：同一层的键要左对齐，键和值之间用「冒号+空格」隔开。"
    if _is_unclosed_quote(exc):
        return "引号没有配对：这一行的引号没有结束。请补上另一半引号。"
    return "YAML 格式有误，请检查这一行的缩进、冒号和引号。"


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


def date_problem(value: str) -> str:
    """What is wrong with a date as written: its form, or that the day does not exist."""
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value.strip())
        if match:
            year, month, day = (int(g) for g in match.groups())
            if not 1 <= month <= 12:
                return f"写的是「{value}」，但一年只有 12 个月。请写一个存在的日期，如 2026-04-12。"
            return f"写的是「{value}」，但 {year}年{month}月没有{day}日。请写一个存在的日期。"
    return f"不是有效日期：「{value}」。请写成 2026-04-12 这样的格式。"


class MapReader:
    """Reads typed fields out of a mapping node, collecting located problems.

    ``allowed`` is every key the mapping may hold; anything else is reported with
    the nearest allowed key as a suggestion.
    """

    def __init__(self, node: YNode, file: str, problems: list[Problem], what: str, allowed: Iterable[str]):
        self.node = node
        self.file = file
        self.problems = problems
        self.what = what
        self.allowed = list(allowed)
        self.values: dict[str, YNode] = node.entries
        if not node.is_map:
            problems.append(error(Where(file, node.line), f"{what}应当是「键: 值」的映射。"))

    def where(self, key: str | None = None) -> Where:
        if key is not None and key in self.node.key_lines:
            return Where(self.file, self.node.key_lines[key])
        return Where(self.file, self.node.line)

    def has(self, key: str) -> bool:
        return key in self.values

    def raw(self, key: str) -> YNode | None:
        return self.values.get(key)

    def report_unknown(self) -> None:
        for key in self.values:
            if key not in self.allowed:
                close = difflib.get_close_matches(key, self.allowed, n=1, cutoff=0.6)
                hint = f"是不是「{close[0]}」？" if close else f"可用的键有：{'、'.join(self.allowed)}。"
                self.problems.append(error(self.where(key), f"{self.what}中没有「{key}」这个键。{hint}"))

    def _missing(self, key: str, label: str) -> None:
        self.problems.append(error(self.where(), f"{self.what}缺少「{key}」（{label}），请补上。"))

    def _scalar(self, key: str, label: str, required: bool) -> str | None:
        node = self.values.get(key)
        if node is None or node.value is None:
            if required:
                self._missing(key, label)
            return None
        if not node.is_scalar:
            self.problems.append(error(self.where(key), f"「{key}」（{label}）应当是一个值，不能是列表或映射。"))
            return None
        return str(node.value).strip()

    def text(self, key: str, label: str, required: bool = False, default: str | None = None) -> str | None:
        value = self._scalar(key, label, required)
        if value is None:
            return default
        if not value:
            if required:
                self._missing(key, label)
            return default
        return value

    def integer(
        self,
        key: str,
        label: str,
        *,
        minimum: int | None = None,
        default: int | None = None,
        required: bool = False,
        maximum: int | None = MAX_INTEGER,
    ) -> int | None:
        value = self._scalar(key, label, required)
        if value is None:
            return default
        if not re.fullmatch(r"[+-]?\d+", value):
            self.problems.append(error(self.where(key), f"「{key}」（{label}）应当是整数，现在是「{value}」。"))
            return default
        if len(value) > 12:
            self.problems.append(error(self.where(key), f"「{key}」（{label}）这个数太大了：「{value[:20]}…」。"))
            return default
        number = int(value)
        if minimum is not None and number < minimum:
            self.problems.append(error(self.where(key), f"「{key}」（{label}）不能小于 {minimum}，现在是 {number}。"))
            return default
        if maximum is not None and number > maximum:  # days, digits, counts: past this a date sum leaves the calendar
            self.problems.append(error(self.where(key), f"「{key}」（{label}）是 {number}，太大了，最多 {maximum}。"))
            return default
        return number

    def number(self, key: str, label: str, *, required: bool = False) -> Decimal | None:
        value = self._scalar(key, label, required)
        if value is None:
            return None
        try:
            return Decimal(value)
        except InvalidOperation:
            self.problems.append(error(self.where(key), f"「{key}」（{label}）应当是数字，现在是「{value}」。"))
            return None

    def boolean(self, key: str, label: str, default: bool = False) -> bool:
        value = self._scalar(key, label, False)
        if value is None:
            return default
        if value in ("true", "True", "TRUE", "是"):
            return True
        if value in ("false", "False", "FALSE", "否"):
            return False
        self.problems.append(error(self.where(key), f"「{key}」（{label}）应当写 true 或 false，现在是「{value}」。"))
        return default

    def date(self, key: str, label: str, required: bool = False) -> dt.date | None:
        value = self._scalar(key, label, required)
        if value is None:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.problems.append(error(self.where(key), f"「{key}」（{label}）{date_problem(value)}"))
        elif not FIRST_YEAR <= parsed.year <= LAST_YEAR:  # 9999-12-31 is a slip, and 公示期 past it cannot be counted
            self.problems.append(
                error(
                    self.where(key),
                    (
                        f"「{key}」（{label}）是 {parsed.isoformat()}，年份不对："
                        f"只能是 {FIRST_YEAR} 到 {LAST_YEAR} 年之间的真实日期。"
                    ),
                )
            )
            return None
        return parsed

    def choice(
        self,
        key: str,
        label: str,
        choices: Iterable[str],
        default: str | None = None,
        required: bool = False,
        normalise=None,
    ) -> str | None:
        value = self.text(key, label, required=required)
        if value is None:
            return default
        options = list(choices)
        candidate = normalise(value) if normalise else value
        if candidate not in options:
            self.problems.append(
                error(self.where(key), f"「{key}」（{label}）不能是「{value}」，只能是：{'、'.join(options)}。")
            )
            return default
        return candidate

    def text_list(self, key: str, label: str) -> list[tuple[str, Where]]:
        node = self.values.get(key)
        if node is None or node.value is None:
            return []
        items = node.items if node.is_seq else [node]
        out = []
        for item in items:
            if not item.is_scalar or item.value is None or not str(item.value).strip():
                self.problems.append(
                    error(Where(self.file, item.line), f"「{key}」（{label}）的每一项都应当是一段文字。")
                )
                continue
            out.append((str(item.value).strip(), Where(self.file, item.line)))
        return out

    def node_list(self, key: str, label: str) -> list[YNode]:
        node = self.values.get(key)
        if node is None or node.value is None:
            return []
        if not node.is_seq:
            self.problems.append(error(self.where(key), f"「{key}」（{label}）应当是一个列表（每项以「- 」开头）。"))
            return []
        return list(node.items)

    def mapping(self, key: str, label: str) -> YNode | None:
        node = self.values.get(key)
        if node is None or node.value is None:
            return None
        if not node.is_map:
            self.problems.append(error(self.where(key), f"「{key}」（{label}）应当是「键: 值」的映射。"))
            return None
        return node
