"""Sheet designs are data: YAML in layouts/, overridable per workspace."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..problems import Problem, Where, error, warning
from ..resources import layouts_dir
from .paper import A_SIZES_MM


@dataclass
class PaperScale:
    margin: float  # mm
    title: float  # pt
    body: float  # pt
    floor: float  # pt
    qr: float  # mm


@dataclass
class Design:
    name: str
    values: dict
    base_dir: Path | None  # where a workspace's override images are

    def get(self, dotted: str, default=None):
        node = self.values
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def number(self, dotted: str) -> float:
        return float(self.get(dotted))

    def paper(self, paper: str) -> PaperScale:
        values = self.get(f"papers.{paper}")
        return PaperScale(**{k: float(values[k]) for k in ("margin", "title", "body", "floor", "qr")})

    def image(self, dotted: str) -> Path | None:
        name = self.get(dotted)
        if not name:
            return None
        return (self.base_dir / name) if self.base_dir else None


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read(path: Path, display: str) -> tuple[dict, list[Problem]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        return {}, [error(Where(display, mark.line + 1 if mark else None), f"版式文件格式有误：{exc.problem}")]
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return {}, [error(Where(display), f"无法读取版式文件：{exc}")]
    if not isinstance(data, dict):
        return {}, [error(Where(display), "版式文件应当是「键: 值」的映射。")]
    return data, []


def _load_chain(
    name: str, workspace_layouts: Path | None, seen: set[str], overrides: list[tuple[str, Path, dict]] | None = None
) -> tuple[dict, list[Problem]]:
    """``overrides`` collects each workspace file of the chain, (display, path, values), for checking."""
    if name in seen:
        return {}, [error(Where(f"layouts/{name}.yaml"), "版式文件的 extends 形成了循环。")]
    seen.add(name)
    problems: list[Problem] = []
    shipped = layouts_dir() / f"{name}.yaml"
    values: dict = {}
    if shipped.is_file():
        values, found = _read(shipped, f"layouts/{name}.yaml")
        problems += found
    override_path = workspace_layouts / f"{name}.yaml" if workspace_layouts else None
    if override_path and override_path.is_file():
        override, found = _read(override_path, f"layouts/{name}.yaml")
        problems += found
        if overrides is not None:
            overrides.append((f"layouts/{name}.yaml", override_path, override))
        values = _merge(values, override)
    elif not shipped.is_file():
        return {}, [error(Where(f"layouts/{name}.yaml"), f"找不到版式「{name}」。")]
    parent = values.pop("extends", None)
    if parent:
        base, found = _load_chain(str(parent), workspace_layouts, seen, overrides)
        problems += found
        values = _merge(base, values)
    return values, problems


def load_design(name: str, workspace_layouts: Path | None = None) -> tuple[Design, list[Problem]]:
    overrides: list[tuple[str, Path, dict]] = []
    values, problems = _load_chain(name, workspace_layouts, set(), overrides)
    if overrides:  # everything a workspace changes is checked now, so that build never meets it first
        shipped, _ = _load_chain(name, None, set())
        for display, path, override in overrides:
            lines = _key_lines(path)
            problems += _check_values(override, shipped, (), display, lines)
        if problems:  # a value that cannot be drawn must not reach the layout: the shipped one stands in
            values = shipped if any(p.is_error for p in problems) else values
    design = Design(name=name, values=values, base_dir=workspace_layouts)
    for paper in A_SIZES_MM:
        try:
            design.paper(paper)
        except (KeyError, TypeError, ValueError):
            problems.append(
                error(Where(f"layouts/{name}.yaml"), f"版式缺少 {paper} 纸张的字号设置（papers.{paper}）。")
            )
    emblem = design.image("header.emblem")
    # the file that names the emblem (one message, however many designs extend it)
    where = next(
        (
            Where(display, _key_lines(path).get(("header", "emblem")))
            for display, path, override in overrides
            if isinstance(override.get("header"), dict) and "emblem" in override["header"]
        ),
        Where(f"layouts/{name}.yaml"),
    )
    if design.get("header.emblem") and (emblem is None or not emblem.is_file()):
        problems.append(
            error(where, f"找不到徽标图片 {design.get('header.emblem')}，请把它放在工作区的 layouts/ 目录下。")
        )
    elif emblem is not None and (found := emblem_problem(emblem, str(design.get("header.emblem")), where)):
        problems.append(found)
        design.values = _merge(design.values, {"header": {"emblem": None}})
    return design, problems


# -- what a workspace may write in a layout file ------------------------------------------

_HEX_COLOUR = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")
MAX_FACTOR = 10  # a size may grow to ten times the shipped one; more cannot fit any paper
EMBLEM_FORMATS = ("PNG", "JPEG")
EMBLEM_MAX_SIDE = 4000  # pixels: far more than a 10 cm emblem on A0 needs at 600 dpi
EMBLEM_MAX_PIXELS = 16_000_000


def _key_lines(path: Path) -> dict[tuple, int]:
    """The line of every key in a layout file, by its path of keys."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return {}
    lines: dict[tuple, int] = {}

    def walk(node, prefix: tuple, depth: int) -> None:
        if isinstance(node, yaml.MappingNode) and depth < 20:
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    lines[prefix + (key.value,)] = key.start_mark.line + 1
                    walk(value, prefix + (key.value,), depth + 1)

    walk(root, (), 0)
    return lines


def _check_values(override: dict, shipped: dict, prefix: tuple, display: str, lines: dict) -> list[Problem]:
    problems = []
    for key, value in override.items():
        path = prefix + (str(key),)
        dotted = ".".join(path)
        where = Where(display, lines.get(path))
        if key == "extends" and not prefix:
            continue
        if not isinstance(shipped, dict) or key not in shipped:
            problems.append(warning(where, f"版式中没有「{dotted}」这一项，会被忽略。请检查拼写。"))
            continue
        reference = shipped[key]
        if isinstance(reference, dict):
            if not isinstance(value, dict):
                problems.append(error(where, f"版式中的「{dotted}」应当是「键: 值」的映射，不能是「{value}」。"))
            else:
                problems += _check_values(value, reference, path, display, lines)
            continue
        if message := _value_problem(dotted, value, reference):
            problems.append(error(where, message))
    return problems


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _value_problem(dotted: str, value, reference) -> str | None:
    """Why ``value`` cannot stand where the shipped design has ``reference``; None when it can."""
    if value is None and reference is None:
        return None
    if isinstance(reference, bool):
        return None if isinstance(value, bool) else f"版式中的「{dotted}」只能是 true 或 false，不能是「{value}」。"
    if _is_number(reference) or (reference == "auto" and dotted.split(".")[-1] in ("portrait", "landscape")):
        if value == "auto" and dotted.split(".")[-2:-1] == ["columns"]:
            return None
        if not _is_number(value) or not math.isfinite(value):
            return f"版式中的「{dotted}」应当是一个数，不能是「{value}」。"
        high = (
            1.0
            if dotted.endswith("opacity")
            else (reference * MAX_FACTOR if _is_number(reference) and reference > 0 else 100)
        )
        low_ok = value >= 0 if (_is_number(reference) and reference == 0) else value > 0
        if not low_ok or value > high:
            low = "不小于 0" if _is_number(reference) and reference == 0 else "大于 0"
            return f"版式中的「{dotted}」是 {value}，应当{low}、不超过 {high:g}（原版式为 {reference}）。"
        return None
    if isinstance(reference, str) and _HEX_COLOUR.match(reference):
        if isinstance(value, str) and _HEX_COLOUR.match(value):
            return None
        return (
            f'版式中的「{dotted}」应当是颜色，写成 "#B3141B" 这样的 # 加六位十六进制数（要加引号），不能是「{value}」。'
        )
    if isinstance(reference, str) and not isinstance(value, str):
        return f"版式中的「{dotted}」应当是一段文字，不能是「{value}」。"
    return None


def emblem_problem(path: Path, name: str, where: Where) -> Problem | None:
    """Can the emblem be drawn? Its format, its pixel size and what it expands to, read from its header first."""
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if image.format not in EMBLEM_FORMATS:
                    return error(where, f"徽标图片 {name} 是 {image.format or '未知'} 格式，只能用 PNG 或 JPEG 图片。")
                if max(width, height) > EMBLEM_MAX_SIDE or width * height > EMBLEM_MAX_PIXELS:
                    return error(
                        where,
                        (
                            f"徽标图片 {name} 有 {width}×{height} 像素，太大了，印出来也看不出区别。"
                            f"请缩小到每边 {EMBLEM_MAX_SIDE} 像素以内。"
                        ),
                    )
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return error(where, f"徽标图片 {name} 解压后大得不合常理，可能已损坏。请换一张正常的 PNG 或 JPEG 图片。")
    except (OSError, ValueError, SyntaxError, Image.UnidentifiedImageError):
        return error(where, f"徽标图片 {name} 无法读取：不是图片，或文件已损坏。请换一张 PNG 或 JPEG 图片。")
    return None
