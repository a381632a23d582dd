"""Chinese numerals, read and written in one place (headings, group names, time limits)."""

from __future__ import annotations

import pytest

from noticeboard.dates import parse_period
from noticeboard.models import Period
from noticeboard.numerals import chinese_number, chinese_numeral


@pytest.mark.parametrize(
    "text, number",
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("九十九", 99),
        ("两", 2),
        ("一百", 100),
        ("一百零五", 105),
        ("一百二十", 120),
        ("二〇二六", 2026),
        ("１２", 12),
        ("20", 20),
    ],
)
def test_reads(text: str, number: int) -> None:
    assert chinese_number(text) == number


@pytest.mark.parametrize("text", ["", "百", "十十", "二二十", "一百零", "百二", "二十X"])
def test_refuses_what_is_no_number(text: str) -> None:
    assert chinese_number(text) is None


def test_writes_and_reads_back() -> None:
    assert [chinese_numeral(n) for n in (1, 10, 11, 20, 21, 100, 105, 110)] == [
        "一",
        "十",
        "十一",
        "二十",
        "二十一",
        "一百",
        "一百零五",
        "一百一十",
    ]
    assert all(chinese_number(chinese_numeral(n)) == n for n in range(1000))


def test_periods_as_notices_and_the_register_write_them() -> None:
    assert parse_period("2026") == Period(2026)
    assert parse_period("2026-Q1") == parse_period("2026q1") == Period(2026, quarter=1)
    assert parse_period("2026-03") == Period(2026, month=3)
    assert [parse_period(t) for t in ("", None, "9999-Q4", "2026-13", "2026-Q5")] == [None] * 5
    assert all(parse_period(str(p)) == p for p in (Period(2026), Period(2026, quarter=4), Period(2026, month=11)))
