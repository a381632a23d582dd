"""A real PostgreSQL for the workbench tests (issue 21: CI runs them against PostgreSQL as well as SQLite).

Use it from a test module with ``from pg import postgres_url`` and take ``postgres_url`` as a fixture;
``scratch_database(url)`` gives a database of a test's own that is dropped afterwards.

Where the server comes from, in order:

* ``NOTICEBOARD_TEST_POSTGRES=postgresql://user@host:port/dbname`` (the password, if any, from libpq's
  PGPASSWORD or .pgpass): .ci/run starts a throwaway cluster and sets it;
* else, when PostgreSQL's ``initdb`` is on this machine and we are not root (the server refuses to run
  as root), a throwaway cluster of the session's own in a temporary directory on a free port;
* else the tests skip with the reason, except under CI (``CI=true``), where a missing PostgreSQL is a
  failure: a CI run that silently skipped them would claim what it never tested.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ENV = "NOTICEBOARD_TEST_POSTGRES"
ROLE = "noticeboard"
DATABASE = "noticeboard"


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def unavailable(reason: str) -> None:
    if under_ci():
        pytest.fail(f"{reason}; under CI the workbench tests must run against PostgreSQL (.ci/run starts one)")
    pytest.skip(reason)


def initdb_program() -> Path | None:
    """PATH first, then Debian's versioned directories, newest first (Debian keeps initdb off PATH)."""
    found = shutil.which("initdb")
    if found:
        return Path(found)
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]), reverse=True)
    return versions[0] if versions else None


def with_database(url: str, name: str) -> str:
    """The same server and user, another database."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@contextlib.contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """A fresh, empty database on the server of ``url`` (its role needs CREATEDB), dropped afterwards."""
    import psycopg

    name = f"nb_test_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_quietly(command: list[str | Path], log: Path) -> None:
    done = subprocess.run([str(part) for part in command], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        server_log = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        raise RuntimeError(f"{Path(command[0]).name} failed:\n{done.stdout}{done.stderr}{server_log}")


@contextlib.contextmanager
def throwaway_cluster(initdb: Path, directory: Path) -> Iterator[str]:
    """A cluster for this session only: trust on 127.0.0.1 (nobody else can reach a private temporary
    port's data that lives for one test run), no fsync (nothing here needs to survive a crash)."""
    data, log, port = directory / "data", directory / "server.log", free_port()
    bin_dir = initdb.parent
    run_quietly([initdb, "-D", data, "-U", ROLE, "-E", "UTF8", "--no-locale", "--auth=trust"], log)
    options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={directory} -c fsync=off"
    run_quietly([bin_dir / "pg_ctl", "-D", data, "-l", log, "-w", "-o", options, "start"], log)
    try:
        url = f"postgresql://{ROLE}@127.0.0.1:{port}/postgres"
        import psycopg

        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{DATABASE}"')
        yield with_database(url, DATABASE)
    finally:
        subprocess.run(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            check=False,
        )


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """postgresql://user@host:port/dbname of a server the tests may create databases on."""
    try:
        import psycopg
    except ImportError:
        unavailable("psycopg is not installed (the workbench's PostgreSQL driver)")
    given = os.environ.get(ENV, "").strip()
    if given:
        try:
            psycopg.connect(given, connect_timeout=10).close()
        except psycopg.Error as error:
            pytest.fail(f"{ENV}={given} does not answer: {error}")
        yield given
        return
    if sys.platform != "win32" and os.geteuid() == 0:
        unavailable(f"{ENV} is not set, and as root this session cannot start a PostgreSQL of its own")
    initdb = initdb_program()
    if initdb is None:
        unavailable(f"{ENV} is not set and PostgreSQL's initdb is not installed here")
    assert initdb is not None
    with throwaway_cluster(initdb, tmp_path_factory.mktemp("pg")) as url:
        yield url
