"""`noticeboard serve`: the workbench under waitress, a pure-Python server that runs the same on
Windows as on Linux."""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable
from pathlib import Path

from ..desk import MAX_UPLOAD_BYTES
from .accounts import any_account
from .settings import WorkbenchError, configure, is_loopback, migrate

THREADS = 8  # a township office is a handful of people; previews are cached, so threads rarely wait
# waitress spools a body to disk before any view runs, up to 1 GB by default. Well past the upload limit
# it refuses the body itself (an English 413); up to five times the limit the clerk still gets the
# workbench's own message that the file is too large
MAX_BODY = 5 * MAX_UPLOAD_BYTES


def prepare(root: Path, host: str) -> str:
    """Everything before listening; returns the hint to print about accounts (may be empty)."""
    configure(root, host)
    migrate()
    if any_account(root):
        return ""
    command = f"noticeboard user add 名字 --role 管理员 -w {root}"
    if not is_loopback(host):
        raise WorkbenchError(
            f"noticeboard: 错误: 工作台要对其他电脑开放（--host {host}），但还没有任何账号，不能启动。"
            f"请先建一个账号：{command}"
        )
    return f"还没有账号：请先运行 {command}，再在浏览器里登录。"


def addresses(host: str, port: int) -> tuple[str, str | None]:
    """Where to open it on this computer, and (bound to every address) where others in the office do."""
    if host not in ("0.0.0.0", "::"):
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/", None
    here = f"http://127.0.0.1:{port}/"
    try:
        # a UDP "connection" sends nothing; it only asks the system which address its route would leave by
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
    except OSError:
        return here, f"「这台电脑的 IP 地址:{port}」"
    return here, f"http://{address}:{port}/"


def open_browser(url: str) -> None:
    """The office's default browser, a moment after the server listens; a machine without one just
    has the address printed."""
    import threading
    import webbrowser

    threading.Timer(0.5, lambda: webbrowser.open(url)).start()


def listen(host: str, port: int):
    """The server, bound: a port in use is an OSError here, before anything says it has started."""
    from django.core.wsgi import get_wsgi_application
    from waitress.server import create_server

    return create_server(
        get_wsgi_application(),
        host=host,
        port=port,
        threads=THREADS,
        ident="noticeboard",
        max_request_body_size=MAX_BODY,
    )


class _Stop(KeyboardInterrupt):
    """A service manager's stop (SIGTERM), raised in the main thread where waitress's loop runs. A
    KeyboardInterrupt, because waitress's loop passes only those (and SystemExit) on: any other
    exception raised while it accepts a connection is caught, logged and the listening socket closed."""


def run(running, announce: Callable[[], None]) -> None:
    """Serves until Ctrl+C, or until a service manager (systemd, a Windows service wrapper) stops it
    with SIGTERM: either way it returns, so `serve` can say it has stopped and exit 0. ``announce``
    says it has started, once a stop would already be caught."""

    def stop(signum, frame):
        raise _Stop

    stops = [signal.SIGTERM] + ([signal.SIGBREAK] if hasattr(signal, "SIGBREAK") else [])  # Ctrl+Break on Windows
    previous = {number: signal.signal(number, stop) for number in stops}
    try:
        announce()
        running.run()
    except KeyboardInterrupt:  # Ctrl+C, or _Stop
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        running.close()
