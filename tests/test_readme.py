"""The README's two set-up lines stay true: CI runs the test line verbatim."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD_LINE = "python3 -m pip install . && noticeboard init 两城镇 && noticeboard build -w 两城镇"
TEST_LINE = 'python -m pip install ".[test]" && python -m pytest'


def test_readme_has_the_two_setup_lines_and_ci_runs_the_test_line():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"```bash\n{BUILD_LINE}\n```" in readme
    assert f"```bash\n{TEST_LINE}\n```" in readme
    assert TEST_LINE in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_readme_lists_every_column_name_each_kind_knows():
    from noticeboard.kinds import registry

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = []
    for kind in registry().values():
        for spec in kind.columns or []:
            rows = [line for line in readme.splitlines() if line.startswith(f"| {spec.zh} | {spec.key} |")]
            names = [a for a in spec.aliases if not a.startswith("re:")]
            if not any(all(a in row for a in names) for row in rows):
                missing.append(f"{kind.name}: {spec.zh}")
    assert missing == []
