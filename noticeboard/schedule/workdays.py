"""The official calendar: working days with the State Council's 调休, from `chinese-calendar`.

Every period the law counts in working days (公示期 of 7 个工作日, 信息形成之日起20个工作日内) is
counted here and nowhere else, so the sheet, the online copy, the register and `plan` agree.

The package only knows the years whose holiday schedule has been announced. A date past them is
counted Monday to Friday (less the fixed-date holidays), and the caller is told which years were
guessed (``Reckoning.guessed``) so it can say so in a warning that tells the clerk to update the
package: never a silent guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import chinese_calendar
from chinese_calendar import constants as _data

from ..numerals import chinese_number

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
UPDATE_HINT = "pip install -U chinese-calendar"
_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
# days off on fixed dates by 《全国年节及纪念日放假办法》: the best guess for a year not yet announced
_FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}
# the years the installed package has the State Council's schedule for
FIRST_YEAR = min(_data.holidays).year
LAST_YEAR = max(_data.holidays).year


def known(day: dt.date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def is_workday(day: dt.date) -> bool:
    """A working day on the official calendar; in a year the package does not know, Monday to Friday
    except the fixed-date holidays."""
    if known(day):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5 and (day.month, day.day) not in _FIXED_HOLIDAYS


def is_adjusted_workday(day: dt.date) -> bool:
    """A Saturday or Sunday that is a working day (调休上班)."""
    return known(day) and day.weekday() >= 5 and chinese_calendar.is_workday(day)


def holiday_name(day: dt.date) -> str | None:
    """春节, 国庆节 …: the holiday a day off belongs to (None on a plain weekend or a working day)."""
    if not known(day):
        return None
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    return _HOLIDAY_NAMES.get(name, name) if on_holiday and name else None


@dataclass(frozen=True)
class Reckoning:
    """A date counted on the calendar, and the years that had to be counted Monday to Friday."""

    date: dt.date
    guessed: tuple[int, ...] = ()


def _count(start: dt.date, count: int, include_start: bool) -> Reckoning:
    day = start if include_start else start + dt.timedelta(days=1)
    guessed: set[int] = set()
    found = 0
    while True:
        if not known(day):
            guessed.add(day.year)
        if is_workday(day):
            found += 1
            if found >= count:
                return Reckoning(day, tuple(sorted(guessed)))
        day += dt.timedelta(days=1)


def display_end(start: dt.date, workdays: int) -> Reckoning:
    """The last day of a 公示期 of ``workdays`` working days put up on ``start``.

    The day it goes up counts when it is a working day, as a 公示期 in calendar days counts its
    first day; put up on a holiday, the period starts with the next working day.
    """
    return _count(start, max(1, workdays), include_start=True)


def after(day: dt.date, workdays: int) -> Reckoning:
    """The ``workdays``-th working day after ``day`` (which does not count): 「之日起20个工作日内」."""
    if workdays <= 0:
        return Reckoning(day, () if known(day) else (day.year,))
    return _count(day, workdays, include_start=False)


def weekday(day: dt.date) -> str:
    return WEEKDAYS[day.weekday()]


def day_note(day: dt.date) -> str:
    """星期一; 星期六，调休上班; 星期五，国庆节假期: what a clerk needs to know about a due day."""
    note = weekday(day)
    if is_adjusted_workday(day):
        return f"{note}，调休上班"
    if (name := holiday_name(day)) is not None:
        return f"{note}，{name}假期"
    return note


def long_date(day: dt.date) -> str:
    """2026年4月20日（星期一）, 2026年2月28日（星期六，调休上班）."""
    return f"{day.year}年{day.month}月{day.day}日（{day_note(day)}）"


def unknown_message(years) -> str:
    """The warning for dates past the package's data: which years, and how to update."""
    listed = "、".join(f"{y}年" for y in sorted(set(years)))
    return (
        f"系统里的官方日历（chinese-calendar）只有 {FIRST_YEAR}–{LAST_YEAR} 年的节假日和调休安排，"
        f"{listed}的工作日暂按周一至周五（除元旦、劳动节、国庆节的固定假日）推算，可能不准。国务院公布新一年的安排后，"
        f"请更新：{UPDATE_HINT}"
    )


_NUMBER = r"[0-9０-９]+|[零〇一二两三四五六七八九十百]+"


def parse_time_limit(text: str) -> tuple[str, int] | None:
    """A catalogue's 时限 as ("workdays", 20) or ("days", 20); None when it names no count of days.

    「信息形成或变更之日起20个工作日内」 → ("workdays", 20); 「…之日起20日内」 and 「二十天内」 → ("days", 20).
    """
    if match := re.search(rf"({_NUMBER})\s*个?\s*工作日", text):
        number = chinese_number(match[1])
        return ("workdays", number) if number is not None else None
    if match := re.search(rf"({_NUMBER})\s*个?\s*(?:自然日|日|天)", text):
        number = chinese_number(match[1])
        return ("days", number) if number is not None else None
    return None
