"""The shape of the house (issue 14): one direction of flow, no import cycles, thin orchestration."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "noticeboard"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's own modules that ``name`` imports, at any depth of the file."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            subs = {f"{module}.{alias.name}" for alias in node.names} & known
            targets |= subs
            if module in known and len(subs) < len(node.names):
                targets.add(module)
        elif isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names} & known
    return targets - {name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    graph = _graph()
    assert len(graph) > 50  # the walk found the package
    assert _cycles(graph) == []


def test_a_cycle_would_be_found():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_privacy_is_pure():
    """The finder and masker imports nothing of the package: every stage can use it."""
    graph = _graph()
    assert graph["noticeboard.privacy"] == set()


def test_pipeline_names_no_kind_and_no_template():
    """pipeline.py orchestrates: it asks the laid-out value what to write."""
    graph = _graph()
    named = {
        m
        for m in graph["noticeboard.pipeline"]
        if m.startswith(("noticeboard.kinds.", "noticeboard.templates.")) and m != "noticeboard.kinds.registry"
    }
    assert named == set()
    source = (PACKAGE / "pipeline.py").read_text(encoding="utf-8")
    assert not re.search(r"""layout\s*==|==\s*["'](letter|poster|document)["']""", source)


def test_only_the_cli_imports_click():
    graph = _graph()
    importers = {
        name
        for name, path in _modules().items()
        if re.search(r"^\s*(import click|from click)", path.read_text(encoding="utf-8"), re.M)
    }
    assert importers == {"noticeboard.cli"}
    assert not any("noticeboard.cli" in targets for name, targets in graph.items() if name != "noticeboard.__main__")


def test_stages_flow_one_way():
    """Loading never reaches into layout's drawing or the writers; drawing never reaches back into loading."""
    graph = _graph()
    for name, targets in graph.items():
        if name.startswith("noticeboard.load"):
            assert not {
                t
                for t in targets
                if t.startswith(
                    ("noticeboard.render", "noticeboard.publish", "noticeboard.templates", "noticeboard.pipeline")
                )
            }, name
        if name.startswith("noticeboard.render"):
            assert not {
                t for t in targets if t.startswith(("noticeboard.load", "noticeboard.pipeline", "noticeboard.checks"))
            }, name
