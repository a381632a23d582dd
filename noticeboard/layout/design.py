"""Sheet designs are data: YAML in layouts/, overridable per workspace."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..problems import Problem, Where, error
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


def _load_chain(name: str, workspace_layouts: Path | None, seen: set[str]) -> tuple[dict, list[Problem]]:
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
        values = _merge(values, override)
    elif not shipped.is_file():
        return {}, [error(Where(f"layouts/{name}.yaml"), f"找不到版式「{name}」。")]
    parent = values.pop("extends", None)
    if parent:
        base, found = _load_chain(str(parent), workspace_layouts, seen)
        problems += found
        values = _merge(base, values)
    return values, problems


def load_design(name: str, workspace_layouts: Path | None = None) -> tuple[Design, list[Problem]]:
    values, problems = _load_chain(name, workspace_layouts, set())
    design = Design(name=name, values=values, base_dir=workspace_layouts)
    for paper in A_SIZES_MM:
        try:
            design.paper(paper)
        except (KeyError, TypeError, ValueError):
            problems.append(error(Where(f"layouts/{name}.yaml"), f"版式缺少 {paper} 纸张的字号设置（papers.{paper}）。"))
    emblem = design.image("header.emblem")
    if design.get("header.emblem") and (emblem is None or not emblem.is_file()):
        problems.append(error(Where(f"layouts/{name}.yaml"), f"找不到徽标图片 {design.get('header.emblem')}，请把它放在工作区的 layouts/ 目录下。"))
    return design, problems
