"""Saying a length of time honestly: a pair of bounds in days, in words that claim no more than the dates.

Below three months a span is said in days, below two years in months, beyond that in years. The shorter
bound is rounded down and the longer up.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
DAYS_UNTIL = 92  # below this many days a span is said in days
MONTHS_UNTIL = 2 * DAYS_PER_YEAR  # below this, in months; beyond, in years


def missing(value: object) -> bool:
    """None, NaN or pandas' NA: a bound the dates leave open."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def plural(n: float, unit: str) -> str:
    text = f"{n:g}" if isinstance(n, float) else str(n)
    return f"{text} {unit}" if n == 1 else f"{text} {unit}s"


def months(days: float) -> str:
    """A number of days as whole months: 182.6 -> '6 months'."""
    return plural(round(days / DAYS_PER_MONTH), "month")


def _unit_for(days: float) -> str:
    if days < DAYS_UNTIL:
        return "day"
    return "month" if days < MONTHS_UNTIL else "year"


def _in_unit(days: float, unit: str, rounding: Callable[[float], float]) -> float:
    if unit == "day":
        return float(rounding(days))
    if unit == "month":
        return float(rounding(round(days / DAYS_PER_MONTH, 6)))
    return rounding(round(days / DAYS_PER_YEAR * 10, 6)) / 10


def _bound(days: float, rounding: Callable[[float], float]) -> str:
    """One bound on its own, in its natural unit: '48 days', '14 months', '4.7 years'."""
    unit = _unit_for(days)
    value = _in_unit(days, unit, rounding)
    return plural(int(value) if unit != "year" else value, unit)


def describe_span(min_days: float | None, max_days: float | None) -> str:
    """A span between two bounds in days, said honestly and plainly.

    The shorter bound is rounded down and the longer up, so the words never claim more precision
    than the dates allow: (398, 455) -> 'between 13 and 15 months'; (1690, 1750) -> 'about 4.6 to
    4.8 years'; (0, 0) -> 'the same day'; (90, NaN) -> 'at least 90 days'.
    """
    lo = None if missing(min_days) else float(min_days)
    hi = None if missing(max_days) else float(max_days)
    if hi is None:
        return "of unknown length" if not lo else f"at least {_bound(lo, math.floor)}"
    if lo is None:
        return f"up to {_bound(hi, math.ceil)}"
    if lo == hi:
        if hi == 0:
            return "the same day"
        unit = _unit_for(hi)
        if unit == "day":
            return plural(int(hi), "day")
        value = _in_unit(hi, unit, round)
        return f"about {plural(int(value) if unit == 'month' else value, unit)}"
    if lo == 0:
        return f"up to {_bound(hi, math.ceil)}"
    unit = _unit_for(hi)
    low = _in_unit(lo, unit, math.floor)
    high = _in_unit(hi, unit, math.ceil)
    if low == 0:  # the shorter bound is below one unit: say it in its own unit
        return f"between {_bound(lo, math.floor)} and {_bound(hi, math.ceil)}"
    if unit == "year":
        return f"about {low:g} to {high:g} years" if low != high else f"about {low:g} years"
    return f"between {int(low)} and {int(high)} {unit}s"
