"""Dates as a Chinese notice prints them."""

from __future__ import annotations

import datetime as dt


def chinese_date(day: dt.date) -> str:
    """2026年4月12日, without leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def display_period(start: dt.date, days: int) -> str:
    end = start + dt.timedelta(days=days - 1)
    return f"{chinese_date(start)}至{chinese_date(end)}"
