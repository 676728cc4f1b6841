"""Partial dates: a year, a month or a day, and the window of time each allows.

A date is written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``. Its window runs from the first instant of
the period to the last: ``2014`` covers the whole of 2014, ``2014-10`` the whole of October 2014.
Nothing is ever rounded to the 1st of a month or of January.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import pandas as pd

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


# The years a date may name. pandas holds instants from 21 September 1677 to 11 April 2262; an "about"
# date reaches one year either side, so the range is kept well inside that.
MIN_YEAR = 1700
MAX_YEAR = 2200


class DateFormatError(ValueError):
    """A date string that is not YYYY, YYYY-MM or YYYY-MM-DD, or names an impossible day."""


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        return _parse(text)

    @classmethod
    def _parse_uncached(cls, text: str) -> PartialDate:
        match = _PATTERN.match(text.strip())
        if not match:
            raise DateFormatError(
                f"'{text}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2014, 2014-10, 2014-10-15)"
            )
        year, month, day = (int(g) if g else None for g in match.groups())
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise DateFormatError(
                f"'{text}' names the year {year}; dates from {MIN_YEAR} to {MAX_YEAR} can be shown"
                " (check for a typing slip, e.g. 2300 for 2030)"
            )
        if month is not None and not 1 <= month <= 12:
            raise DateFormatError(f"'{text}' has month {month:02d}; months run from 01 to 12")
        if day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise DateFormatError(
                    f"'{text}' names day {day:02d}, but {_MONTHS[month - 1]} {year} has {last} days"
                )
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def start(self) -> pd.Timestamp:
        """The first instant the date allows."""
        return pd.Timestamp(self.year, self.month or 1, self.day or 1)

    @property
    def end(self) -> pd.Timestamp:
        """The last instant the date allows (one nanosecond before the next period starts)."""
        return self.next_start - pd.Timedelta(1, "ns")

    @property
    def next_start(self) -> pd.Timestamp:
        """The first instant after the period."""
        if self.day is not None:
            return self.start + pd.Timedelta(days=1)
        if self.month is not None:
            return pd.Timestamp(self.year + self.month // 12, self.month % 12 + 1, 1)
        return pd.Timestamp(self.year + 1, 1, 1)

    def widened(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The window for 'about': one unit of the precision either side."""
        unit = {"day": pd.DateOffset(days=1), "month": pd.DateOffset(months=1),
                "year": pd.DateOffset(years=1)}[self.precision]
        return self.start - unit, self.next_start + unit - pd.Timedelta(1, "ns")

    def as_date(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def __str__(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def human(self) -> str:
        """The date as a reader would write it: '15 October 2021', 'October 2014', '2016'."""
        if self.day is not None:
            return f"{self.day} {_MONTHS[self.month - 1]} {self.year}"
        if self.month is not None:
            return f"{_MONTHS[self.month - 1]} {self.year}"
        return str(self.year)


@lru_cache(maxsize=65536)
def _parse(text: str) -> PartialDate:
    return PartialDate._parse_uncached(text)


@lru_cache(maxsize=65536)
def window(
    text: str, qualifier: str = "on", until: str | None = None
) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The earliest and latest instants a qualified date allows; None where the window is open.

    ``on`` (the default): the period itself. ``about``: one unit of its precision either side.
    ``before``: open start, ending before the period starts. ``after``: starting after the period ends,
    open end. ``between``: from the start of ``text`` to the end of ``until``.
    """
    first = PartialDate.parse(text)
    if qualifier == "on":
        return first.start, first.end
    if qualifier == "about":
        return first.widened()
    if qualifier == "before":
        return None, first.start - pd.Timedelta(1, "ns")
    if qualifier == "after":
        return first.next_start, None
    if qualifier == "between":
        if until is None:
            raise DateFormatError("'between' needs date_until, the latest date the event can have")
        return first.start, PartialDate.parse(until).end
    raise DateFormatError(f"unknown date qualifier '{qualifier}'")


@lru_cache(maxsize=65536)
def describe(text: str, qualifier: str = "on", until: str | None = None) -> str:
    """The qualified date in words: 'October 2014', 'about February 2020', 'between ... and ...'."""
    first = PartialDate.parse(text).human()
    if qualifier == "between" and until:
        return f"between {first} and {PartialDate.parse(until).human()}"
    return first if qualifier == "on" else f"{qualifier} {first}"
