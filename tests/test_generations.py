"""One swap: print/, preview/, site/ and the register are always of one generation (SPEC §5, §6; issue 13).

The commit is failed, and killed with SIGKILL in a child process, at every one of its steps; after
each, what the public paths show must be exactly the last good generation or exactly the new one.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import run

from noticeboard import pipeline
from noticeboard.publish import atomic

IDS = ["2026q1-finance", "2026-org"]
NOW = "2026-07-20T10:00:00+08:00"
REPO = Path(__file__).resolve().parent.parent

# A build in a child process; atomic.step records each commit step, or kills the process at one.
CHILD = textwrap.dedent(
    f"""
    import datetime as dt, os, signal, sys
    from pathlib import Path
    from noticeboard import pipeline
    from noticeboard.publish import atomic

    root, mode, target = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    seen = []

    def step(name):
        seen.append(name)
        if mode == "record":
            with open(target, "a", encoding="utf-8") as log:
                log.write(name + "\\n")
        elif mode == "kill" and len(seen) == int(target):
            os.kill(os.getpid(), signal.SIGKILL)

    atomic.step = step
    if os.environ.get("NB_FLAT"):  # as on a file system without symbolic links
        atomic.links_supported = lambda out: False
    if mode == "kill-render":  # killed while the new generation is being written
        real, calls = pipeline.render_png, []

        def render_png(pdf):
            calls.append(1)
            if len(calls) == int(target):
                os.kill(os.getpid(), signal.SIGKILL)
            return real(pdf)

        pipeline.render_png = render_png
    if mode == "hold":  # hold the lock until told to go on
        with atomic.BuildLock(root / "out"):
            Path(target).write_text("held")
            while Path(target).exists():
                pass
        sys.exit(0)
    result = pipeline.build(root, ids=sys.argv[4:] or None, now=dt.datetime.fromisoformat("{NOW}"))
    sys.exit(0 if result.ok else 1)
"""
)


def _child(root: Path, mode: str, target: str, *ids: str, wait: bool = True, flat: bool = False):
    env = {**os.environ, "PYTHONPATH": str(REPO), **({"NB_FLAT": "1"} if flat else {})}
    command = [sys.executable, "-c", CHILD, str(root), mode, target, *ids]
    if not wait:
        return subprocess.Popen(command, env=env)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def snapshot(out: Path) -> dict[str, bytes]:
    """What a reader sees through the public paths (links followed), and nothing else."""
    seen: dict[str, bytes] = {}
    for name in atomic.ENTRIES:
        path = out / name
        if path.is_file():
            seen[name] = path.read_bytes()
        elif path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.is_file() and not file.name.endswith(".tmp"):
                    seen[file.relative_to(out).as_posix()] = file.read_bytes()
    return seen


def _change(town: Path) -> None:
    """A layout change: every notice is a new revision, without new sign-offs."""
    (town / "layouts").mkdir(exist_ok=True)
    (town / "layouts" / "base.yaml").write_text("colours: {band: '#1F4E9A'}\n", encoding="utf-8")


@pytest.fixture
def states(town: Path, tmp_path: Path):
    """The town built once (old), and the same build after the change, done cleanly (new)."""
    assert _child(town, "build", "-", *IDS).returncode == 0
    old = snapshot(town / "out")
    pristine = tmp_path / "pristine"
    shutil.copytree(town, pristine, symlinks=True)
    _change(town)
    reference = tmp_path / "reference"
    shutil.copytree(town, reference, symlinks=True)
    assert _child(reference, "build", "-", *IDS).returncode == 0
    new = snapshot(reference / "out")
    assert new != old and new["print/2026q1-finance.pdf"] != old["print/2026q1-finance.pdf"]
    return pristine, old, new


def _fresh(pristine: Path, tmp_path: Path, name: str) -> Path:
    copy = tmp_path / name
    shutil.copytree(pristine, copy, symlinks=True)
    _change(copy)
    return copy


def test_the_output_is_one_generation_behind_fixed_links(built_town: Path):
    out = built_town / "out"
    for name in ("print", "preview", "site", "register.sqlite"):
        assert (out / name).is_symlink() and os.readlink(out / name) == f".current/{name}"
    assert os.readlink(out / ".current").startswith(".generations/g-")
    assert [p.name for p in (out / ".generations").iterdir()] == [Path(os.readlink(out / ".current")).name]
    assert (out / "print" / "2026-org.pdf").is_file()  # the public paths of SPEC §5 still work


@pytest.mark.slow
def test_killed_at_every_step_of_the_commit_leaves_one_whole_generation(states, tmp_path: Path):
    pristine, old, new = states
    log = tmp_path / "steps.txt"
    recorded = _fresh(pristine, tmp_path, "recorded")
    assert _child(recorded, "record", str(log), *IDS).returncode == 0
    steps = log.read_text(encoding="utf-8").splitlines()
    assert "switch" in steps and len(steps) >= 3
    assert snapshot(recorded / "out") == new
    for number, name in enumerate(steps, start=1):
        town = _fresh(pristine, tmp_path, f"kill-{number}")
        killed = _child(town, "kill", str(number), *IDS)
        assert killed.returncode == -signal.SIGKILL, (name, killed.stderr)
        seen = snapshot(town / "out")
        expected = new if steps.index("switch") < number - 1 else old
        assert seen == expected, f"killed before step {number} ({name}): the output is not one whole generation"
        assert _child(town, "build", "-", *IDS).returncode == 0  # the next build tidies up and finishes the job
        assert snapshot(town / "out") == new
        assert len(list((town / "out" / ".generations").iterdir())) == 1


@pytest.mark.slow
@pytest.mark.parametrize("render", [1, 2])
def test_killed_while_writing_the_new_generation_leaves_the_old_one(states, tmp_path: Path, render: int):
    pristine, old, _new = states
    town = _fresh(pristine, tmp_path, f"render-{render}")
    assert _child(town, "kill-render", str(render), *IDS).returncode == -signal.SIGKILL
    assert snapshot(town / "out") == old


def test_failing_at_every_step_of_the_commit_leaves_one_whole_generation(town: Path, monkeypatch):
    assert pipeline.build(town, ids=IDS).ok
    old = snapshot(town / "out")
    _change(town)
    steps: list[str] = []
    monkeypatch.setattr(atomic, "step", steps.append)
    assert pipeline.build(town, ids=IDS).ok
    new = snapshot(town / "out")
    assert new != old and "switch" in steps
    for number in range(1, len(steps) + 1):
        (town / "layouts" / "base.yaml").write_text(f"colours: {{band: '#1F4E{number:02X}'}}\n", encoding="utf-8")
        before = snapshot(town / "out")
        calls: list[str] = []

        def fail(name: str, calls: list[str] = calls, number: int = number) -> None:
            calls.append(name)
            if len(calls) == number:
                raise OSError(errno.EBUSY, "Device or resource busy", str(town / "out" / "site"))

        monkeypatch.setattr(atomic, "step", fail)
        result = run("build", "-w", town, *IDS)
        after = snapshot(town / "out")
        if steps.index("switch") >= number - 1:
            assert result.exit_code == 2, result.output
            assert "文件被其他程序占用或没有权限" in result.output and "之前生成的文件保持不变" in result.output
            assert after == before
        else:  # only tidying after the switch failed: the new generation is current and whole
            assert result.exit_code == 0, result.output
            assert after != before
        assert "Traceback" not in result.output and "程序内部出错" not in result.output


def test_a_second_build_is_told_to_wait_and_nothing_is_damaged(town: Path, tmp_path: Path):
    assert run("build", "-w", town, *IDS).exit_code == 0
    before = snapshot(town / "out")
    signal_file = tmp_path / "held"
    holder = _child(town, "hold", str(signal_file), wait=False)
    try:
        for _ in range(600):
            if signal_file.exists():
                break
            holder.poll()
            assert holder.returncode is None
            import time

            time.sleep(0.05)
        result = run("build", "-w", town)
        assert result.exit_code == 1
        assert result.output.splitlines()[0] == f"{town / 'out'}: 错误: {pipeline.BUILD_RUNNING}"
        assert snapshot(town / "out") == before
        assert not list((town / "out" / ".generations").glob("*"))[1:]
    finally:
        signal_file.unlink(missing_ok=True)
        holder.wait(timeout=30)
    assert run("build", "-w", town, *IDS).exit_code == 0  # the lock went with the build that held it


def test_a_lock_left_by_a_killed_build_does_not_block(town: Path):
    out = town / "out"
    out.mkdir()
    (out / ".lock").write_text("")  # a lock file is only a file: the lock itself died with its process
    assert run("build", "-w", town, "2026-org").exit_code == 0


def test_two_builds_at_once_one_waits_the_other_finishes(town: Path):
    processes = [_child(town, "build", "-", *IDS, wait=False) for _ in range(2)]
    codes = sorted(p.wait(timeout=300) for p in processes)
    assert codes in ([0, 0], [0, 1])  # the second either ran after the first or was told to wait
    assert pipeline.build(town, ids=IDS).ok
    assert len(list((town / "out" / ".generations").iterdir())) == 1


def test_a_file_held_by_another_program_is_a_plain_message(town: Path, monkeypatch):
    assert run("build", "-w", town, *IDS).exit_code == 0
    before = snapshot(town / "out")
    _change(town)
    real = atomic.write_bytes

    def held(path: Path, data: bytes) -> None:
        if path.name == "2026-org.pdf":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        real(path, data)

    monkeypatch.setattr(atomic, "write_bytes", held)
    result = run("build", "-w", town, *IDS)
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"{town / 'out' / 'print' / '2026-org.pdf'}: 错误: 无法写入（文件被其他程序占用或没有权限："
        "请关掉打开着它的程序（例如 PDF 阅读器），或检查文件夹的权限）。之前生成的文件保持不变。"
    )
    assert snapshot(town / "out") == before


@pytest.mark.slow
def test_an_old_output_folder_is_migrated_and_a_kill_during_it_loses_nothing(town: Path, tmp_path: Path):
    """Real print/, site/ … folders of an earlier version become the first generation, one entry at a time."""
    assert _child(town, "build", "-", *IDS).returncode == 0
    old = snapshot(town / "out")
    generation = town / "out" / ".current"
    legacy = tmp_path / "legacy"
    shutil.copytree(generation, legacy)
    shutil.rmtree(town / "out")
    shutil.copytree(legacy, town / "out")
    pristine = tmp_path / "pristine-legacy"
    shutil.copytree(town, pristine)
    log = tmp_path / "migration.txt"
    assert _child(town, "record", str(log), *IDS).returncode == 0
    steps = [s for s in log.read_text(encoding="utf-8").splitlines() if s.startswith("migrate")]
    assert steps == [f"migrate {name}" for name in ("print", "preview", "site", "screen", "register.sqlite")] + [
        "migrate pointer"
    ]
    for number in range(1, len(steps) + 1):
        copy = tmp_path / f"legacy-{number}"
        shutil.copytree(pristine, copy)
        assert _child(copy, "kill", str(number), *IDS).returncode == -signal.SIGKILL
        assert _child(copy, "build", "-", *IDS).returncode == 0
        assert snapshot(copy / "out") == old  # nothing changed in the notices: the same files, now behind links
        assert (copy / "out" / "site").is_symlink()


def test_a_notice_that_fails_to_load_is_reported_and_its_old_copy_is_not_current(town: Path):
    """Issue 13, item 7: no silent vanishing, and no stale print copy for an officer to print."""
    assert run("build", "-w", town).exit_code == 0
    out = town / "out"
    assert (out / "print" / "2026-org.pdf").is_file() and 'href="2026-org/' in (out / "site" / "index.html").read_text(
        encoding="utf-8"
    )
    org = town / "notices" / "2026-org.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("title:", "title: [未闭合", 1), encoding="utf-8")
    (town / "notices" / "13905371234.yaml").write_text("id: 13905371234\nkind: [\n", encoding="utf-8")
    result = run("build", "-w", town)
    assert result.exit_code == 1
    assert "未生成：139****1234、2026-org（请先改正上面的错误）" in result.output
    assert "13905371234" not in result.output
    assert not (out / "print" / "2026-org.pdf").exists() and not (out / "preview" / "2026-org.png").exists()
    index = (out / "site" / "index.html").read_text(encoding="utf-8")
    assert "2026-org/" not in index and "2026q1-finance/" in index
    assert (out / "print" / "2026q1-finance.pdf").is_file()
    assert (out / "site" / "2026-org" / "index.html").is_file()  # the QR codes on the boards still lead somewhere


# -- a file system without symbolic links (Windows without Developer Mode) ---------------------


def test_without_links_the_swap_puts_everything_back_when_any_step_fails(town: Path, monkeypatch):
    monkeypatch.setattr(atomic, "links_supported", lambda out: False)
    assert pipeline.build(town, ids=IDS).ok
    out = town / "out"
    assert (out / "print").is_dir() and not (out / "print").is_symlink() and not (out / ".current").exists()
    steps: list[str] = []
    monkeypatch.setattr(atomic, "step", steps.append)
    _change(town)
    assert pipeline.build(town, ids=IDS).ok
    assert "install register.sqlite" in steps
    for number in range(1, len(steps) + 1):
        (town / "layouts" / "base.yaml").write_text(f"colours: {{band: '#2F4E{number:02X}'}}\n", encoding="utf-8")
        before = snapshot(out)
        calls: list[str] = []

        def fail(name: str, calls: list[str] = calls, number: int = number) -> None:
            calls.append(name)
            if len(calls) == number:
                raise PermissionError(errno.EACCES, "Permission denied", str(out / "site"))

        monkeypatch.setattr(atomic, "step", fail)
        result = run("build", "-w", town, *IDS)
        assert result.exit_code == 2 and "文件被其他程序占用或没有权限" in result.output, result.output
        assert snapshot(out) == before, f"failed at step {number} ({calls[-1]})"
        assert not list(out.glob(".staging-*")) and not list(out.glob(".replaced-*"))
    monkeypatch.setattr(atomic, "step", lambda name: None)
    assert run("build", "-w", town, *IDS).exit_code == 0
    assert snapshot(out) != before


@pytest.mark.slow
def test_without_links_a_kill_during_the_swap_is_put_right_by_the_next_build(town: Path, tmp_path: Path):
    """Without links only a kill between two renames can mix the outputs; nothing is lost, and the next
    build puts back what is missing and finishes."""
    assert _child(town, "build", "-", *IDS, flat=True).returncode == 0
    pristine = tmp_path / "pristine-flat"
    shutil.copytree(town, pristine)
    log = tmp_path / "flat-steps.txt"
    recorded = _fresh(pristine, tmp_path, "flat-recorded")
    assert _child(recorded, "record", str(log), *IDS, flat=True).returncode == 0
    new = snapshot(recorded / "out")
    steps = log.read_text(encoding="utf-8").splitlines()
    for number in range(1, len(steps) + 1):
        copy = _fresh(pristine, tmp_path, f"flat-kill-{number}")
        assert _child(copy, "kill", str(number), *IDS, flat=True).returncode == -signal.SIGKILL
        assert _child(copy, "build", "-", *IDS, flat=True).returncode == 0
        assert snapshot(copy / "out") == new, f"after a kill at step {number} ({steps[number - 1]})"
