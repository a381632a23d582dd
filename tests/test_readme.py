"""The README's two set-up lines stay true: CI runs the test line verbatim."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV = "python3 -m venv .venv && . .venv/bin/activate && "
BUILD_LINE = VENV + "python -m pip install . && noticeboard init 两城镇 && noticeboard build -w 两城镇"
TEST_LINE = VENV + 'python -m pip install ".[test]" && python -m pytest'


def test_readme_has_the_two_setup_lines_and_ci_runs_the_test_line():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"```bash\n{BUILD_LINE}\n```" in readme
    assert f"```bash\n{TEST_LINE}\n```" in readme
    assert TEST_LINE in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_readme_lists_every_column_name_each_kind_knows():
    from noticeboard.kinds.registry import registry

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = []
    for kind in registry().values():
        for spec in kind.columns or []:
            rows = [line for line in readme.splitlines() if line.startswith(f"| {spec.zh} | {spec.key} |")]
            names = [a for a in spec.aliases if not a.startswith("re:")]
            if not any(all(a in row for a in names) for row in rows):
                missing.append(f"{kind.name}: {spec.zh}")
    assert missing == []


@pytest.mark.slow
def test_readme_build_line_works_in_a_clean_clone(tmp_path: Path):
    """The first line, verbatim, in a fresh clone with a fresh venv: what a new user does."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    done = subprocess.run(["bash", "-c", BUILD_LINE], cwd=clone, env=env, capture_output=True, text=True, timeout=1500)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    # the one warning: the sample's A4 finance takes five A4 sheets, and the build suggests A3
    assert "生成完成：0 个错误，1 个警告" in done.stdout
    assert "2026q2-finance.yaml:8: 警告: 在 A4 纸上要印" in done.stdout
    printed = sorted(p.name for p in (clone / "两城镇" / "out" / "print").glob("*.pdf"))
    assert "2026q2-finance.pdf" in printed and "guide-dibao.pdf" in printed


def test_reference_is_what_the_code_declares():
    """docs/reference.md is regenerated from the code; a key or column added without it fails here."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_reference", ROOT / "docs" / "make_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "reference.md").read_text(encoding="utf-8") == module.reference(), (
        "run python docs/make_reference.py"
    )
    from noticeboard.load.workspace import SETTINGS_KEYS

    assert [k for k in SETTINGS_KEYS if not module.SETTINGS.get(k)] == []  # every setting explained
