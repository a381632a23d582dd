"""`noticeboard user` and `noticeboard serve` as a 管理员 uses them (issue 21). Each runs in a process
of its own: Django's settings belong to one workspace per process."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples" / "town"
GOOD = "gongkai-Lan-2026"


def run(*args: str, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    environment.pop("NOTICEBOARD_DATABASE", None)  # these accounts live in the workspace's own SQLite
    return subprocess.run(
        [sys.executable, "-m", "noticeboard", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.fixture
def town(tmp_path: Path) -> Path:
    root = tmp_path / "town"
    shutil.copytree(SAMPLES, root)
    return root


def test_user_add_reads_the_password_twice_from_standard_input_and_lists_it(town):
    added = run(
        "user", "add", "王小红", "--role", "初审,审核", "--role", "保密审查", "-w", str(town), stdin=f"{GOOD}\n{GOOD}\n"
    )
    assert added.returncode == 0, added.stdout + added.stderr
    assert "已添加账号「王小红」" in added.stdout
    listed = run("user", "list", "-w", str(town))
    assert listed.returncode == 0
    line = next(line for line in listed.stdout.splitlines() if line.startswith("王小红"))
    assert "初审" in line and "审核" in line and "保密审查" in line
    assert GOOD not in listed.stdout
    key = town / ".workbench" / "secret_key"
    assert key.is_file() and (sys.platform == "win32" or key.stat().st_mode & 0o077 == 0)
    database = town / ".workbench" / "workbench.sqlite3"
    assert GOOD not in database.read_bytes().decode("latin-1")  # hashed
    # the hashes and sessions are as private as the key: nobody else on the machine reads them
    assert sys.platform == "win32" or database.stat().st_mode & 0o077 == 0
    other = run("user", "add", "李建国", "--role", "审核、信息员", "-w", str(town), stdin=f"{GOOD}x\n{GOOD}x\n")
    assert other.returncode == 0, other.stdout
    removed = run("user", "remove", "王小红", "-w", str(town))
    assert removed.returncode == 0 and "已删除账号「王小红」" in removed.stdout
    assert "王小红" not in run("user", "list", "-w", str(town)).stdout


def test_two_different_passwords_are_refused(town):
    done = run("user", "add", "王小红", "--role", "信息员", "-w", str(town), stdin=f"{GOOD}\n{GOOD}-typo\n")
    assert done.returncode == 1
    assert "两次输入的密码不一样" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert "还没有账号" in run("user", "list", "-w", str(town)).stdout


def test_a_short_or_common_password_is_refused_in_chinese(town):
    short = run("user", "add", "王小红", "--role", "信息员", "-w", str(town), stdin="abc12\nabc12\n")
    assert short.returncode == 1
    assert "密码不能用" in short.stdout and "8" in short.stdout
    common = run("user", "add", "王小红", "--role", "信息员", "-w", str(town), stdin="password123\npassword123\n")
    assert common.returncode == 1 and "常见" in common.stdout


def test_an_unknown_role_is_refused_listing_the_known_ones(town):
    done = run("user", "add", "王小红", "--role", "局长", "-w", str(town), stdin=f"{GOOD}\n{GOOD}\n")
    assert done.returncode == 1
    assert "没有「局长」这个角色" in done.stdout
    for role in ("信息员", "管理员", "初审", "审核", "保密审查"):
        assert role in done.stdout


def test_removing_an_unknown_account_says_so(town):
    done = run("user", "remove", "nobody", "-w", str(town))
    assert done.returncode == 1 and "没有叫「nobody」的账号" in done.stdout


def test_serve_on_every_address_with_no_account_refuses_and_says_how_to_make_one(town):
    done = run("serve", "--host", "0.0.0.0", "-w", str(town))
    assert done.returncode == 1
    assert "noticeboard user add 名字 --role 管理员 -w" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_on_loopback_with_no_account_starts_and_the_sign_in_page_says_how(town):
    port = _free_port()
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    environment.pop("NOTICEBOARD_DATABASE", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "noticeboard", "serve", "-w", str(town), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        env=environment,
    )
    try:
        page = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/signin/", timeout=5) as response:
                    page = response.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.2)
        assert page is not None, "the workbench did not answer"
        assert "noticeboard user add 名字 --role 管理员" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.url.endswith("/signin/?next=/")  # the list needs a signed-in user
        busy = run("serve", "-w", str(town), "--port", str(port))
        assert busy.returncode == 1
        assert f"{port} 端口" in busy.stdout and "--port" in busy.stdout
        assert "Traceback" not in busy.stdout + busy.stderr
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in output
    assert "还没有账号" in output


@pytest.mark.skipif(sys.platform == "win32", reason="Windows has no SIGTERM to send to a process")
def test_serve_stopped_by_a_service_manager_says_so_and_exits_0(town):
    import signal

    port = _free_port()
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    environment.pop("NOTICEBOARD_DATABASE", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "noticeboard", "serve", "-w", str(town), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=environment,
    )
    try:
        assert server.stdout is not None
        started = server.stdout.readline()  # said once a stop would be caught
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.communicate()
                time.sleep(0.2)
        server.send_signal(signal.SIGTERM)
        output, errors = server.communicate(timeout=30)
        output = started + output
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert f"工作台已启动：http://127.0.0.1:{port}/" in output
    assert output.rstrip().endswith("工作台已停止。"), output
    assert server.returncode == 0
    assert "Traceback" not in errors and not errors.strip(), errors


def test_the_command_line_never_loads_django_for_check(town):
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from noticeboard.cli import main\n"
        f"CliRunner().invoke(main, ['check', '-w', {str(town)!r}])\n"
        "print('django' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
        check=False,
    )
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_user_and_serve_help_is_chinese():
    done = run("user", "add", "--help")
    assert "添加账号" in done.stdout and "--role" in done.stdout
    for command in (["user"], ["user", "add"], ["user", "list"], ["user", "remove"], ["serve"]):
        shown = run(*command, "--help").stdout
        for english in ("Usage:", "Options:", "Show this message and exit.", "[default:", "[required]"):
            assert english not in shown, (command, english)
    assert "工作台" in run("serve", "--help").stdout
    assert "serve" in run().stdout and "user" in run().stdout


def test_serve_says_where_to_open_it_here_and_from_other_computers():
    from noticeboard.web.server import addresses

    assert addresses("127.0.0.1", 8000) == ("http://127.0.0.1:8000/", None)
    assert addresses("::1", 8001) == ("http://[::1]:8001/", None)
    here, others = addresses("0.0.0.0", 8002)
    assert here == "http://127.0.0.1:8002/"  # 0.0.0.0 is not an address a browser can open
    assert others is not None and "8002" in others and "0.0.0.0" not in others
