"""The PostgreSQL the workbench tests run against (tests/pg.py) is real: it answers, and its role may make
and drop the databases the tests need."""

from __future__ import annotations

import pytest
from pg import postgres_url, scratch_database, with_database

__all__ = ["postgres_url"]  # the fixture, imported so pytest finds it here


def test_the_server_answers_with_its_version(postgres_url: str):
    import psycopg

    with psycopg.connect(postgres_url) as connection:
        version = connection.execute("SELECT version()").fetchone()
    assert version is not None and version[0].startswith("PostgreSQL ")


def test_a_database_can_be_made_used_and_dropped(postgres_url: str):
    import psycopg

    with scratch_database(postgres_url) as url:
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url) as connection:
            connection.execute("CREATE TABLE notice (id text PRIMARY KEY, title text NOT NULL)")
            title = "两城镇2026年第一季度财政收支公开"
            connection.execute("INSERT INTO notice VALUES (%s, %s)", ("2026q1-finance", title))
            assert connection.execute("SELECT title FROM notice").fetchone() == (title,)
    with psycopg.connect(postgres_url) as connection:
        left = connection.execute("SELECT count(*) FROM pg_database WHERE datname = %s", (name,)).fetchone()
    assert left == (0,)


def test_another_database_keeps_server_user_and_options():
    assert with_database("postgresql://nb@127.0.0.1:5433/noticeboard?sslmode=disable", "x") == (
        "postgresql://nb@127.0.0.1:5433/x?sslmode=disable"
    )


@pytest.mark.parametrize("value", ["true", "1", "TRUE"])
def test_under_ci_a_missing_postgres_fails_instead_of_skipping(monkeypatch, value):
    import pg

    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="under CI"):
        pg.unavailable("no PostgreSQL")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL"):
        pg.unavailable("no PostgreSQL")
