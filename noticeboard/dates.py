"""Dates as a Chinese notice prints them."""

from __future__ import annotations

import datetime as dt


def chinese_date(day: dt.date) -> str:
    """2026年4月12日, without leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def display_period(start: dt.date, days: int) -> str:
    end = start + dt.timedelta(days=days - 1)
    return f"{chinese_date(start)}至{chinese_date(end)}"


def notice_display_period(notice) -> str | None:
    """The printed 公示期 of a notice, ending on ``notice.display_end`` (working days said so)."""
    end = notice.display_end
    if end is None:
        return None
    text = f"{chinese_date(notice.date)}至{chinese_date(end)}"
    if notice.display_workdays is not None:
        text += f"（{notice.display_workdays}个工作日）"
    return text
