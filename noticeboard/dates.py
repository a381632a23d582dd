"""Dates as a Chinese notice prints them."""

from __future__ import annotations

import datetime as dt
import re

from .models import Period


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


def parse_period(text: str | None) -> Period | None:
    """A notice's ``period`` (2026, 2026-Q1, 2026Q1, 2026-03) as written in a notice file or kept in
    the register; None when it is none of these or its year is a slip (9999-Q4)."""
    if not text:
        return None
    text = text.strip().upper()
    if (year := re.match(r"\d{4}", text)) and not 1949 <= int(year[0]) <= 2199:
        return None  # its due dates would leave the calendar
    if match := re.fullmatch(r"(\d{4})", text):
        return Period(int(match[1]))
    if match := re.fullmatch(r"(\d{4})-?Q([1-4])", text):
        return Period(int(match[1]), quarter=int(match[2]))
    if (match := re.fullmatch(r"(\d{4})-(\d{1,2})", text)) and 1 <= int(match[2]) <= 12:
        return Period(int(match[1]), month=int(match[2]))
    return None


def local_time(stamp: str) -> str:
    """A register timestamp (UTC, ISO) as the clerk's clock shows it: 2026年4月12日 09:30."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{chinese_date(moment.date())} {moment:%H:%M}"
