"""One wording for every measure: a length of time, a count of days, a citation, a case's short name.

Every surface (the Streamlit pages, the static site, the images and the decks) words a measure through
these functions, so the same figure reads the same everywhere.

A length of time is a pair of bounds in whole calendar days, either of which may be open (None or NaN:
a "before" or "after" date leaves one side unknown). Below three months it is said in days, below two
years in months, beyond that in years to one decimal. The shorter bound is always rounded down and the
longer up, so the words never claim more precision than the dates allow: 1,749 to 2,118 days is
"4.7 to 5.8 years", never "4.8 to ...".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

import pandas as pd

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
DAYS_UNTIL = 92  # below this many days a span is said in days
MONTHS_UNTIL = 2 * DAYS_PER_YEAR  # below this, in months; beyond, in years


def missing(value: object) -> bool:
    """None, NaN, NaT or pandas' NA: a bound the dates leave open."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value)) or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def plural(n: float, unit: str) -> str:
    text = f"{n:g}" if isinstance(n, float) else str(n)
    return f"{text} {unit}" if n == 1 else f"{text} {unit}s"


def days(value: object) -> int | None:
    """A count of days as a whole number (None where the bound is open): 1749.0 -> 1749."""
    return None if missing(value) else round(float(value))  # type: ignore[arg-type]


def months(count_days: float) -> str:
    """A number of days as whole months: 182.6 -> '6 months'."""
    return plural(round(count_days / DAYS_PER_MONTH), "month")


def _unit_for(count: float) -> str:
    if count < DAYS_UNTIL:
        return "day"
    return "month" if count < MONTHS_UNTIL else "year"


def _in_unit(count: float, unit: str, rounding: Callable[[float], float]) -> float:
    if unit == "day":
        return float(rounding(round(count, 6)))
    if unit == "month":
        return float(rounding(round(count / DAYS_PER_MONTH, 6)))
    return rounding(round(count / DAYS_PER_YEAR * 10, 6)) / 10


def _number(value: float, unit: str) -> str:
    return f"{value:.1f}" if unit == "year" else str(int(value))


def _bound(count: float, rounding: Callable[[float], float]) -> str:
    """One bound on its own, in its natural unit: '48 days', '14 months', '4.7 years'."""
    unit = _unit_for(count)
    value = _in_unit(count, unit, rounding)
    if unit == "year":
        return f"{value:.1f} years"
    return plural(int(value), unit)


def span(min_days: object, max_days: object) -> str:
    """A length of time between two bounds in days, said honestly and plainly.

    (398, 455) -> '13 to 15 months'; (1749, 2118) -> '4.7 to 5.8 years'; (0, 0) -> 'the same day';
    (90, None) -> 'at least 90 days'; (None, 400) or (0, 400) -> 'up to 14 months'.
    """
    lo = None if missing(min_days) else max(float(min_days), 0.0)  # type: ignore[arg-type]
    hi = None if missing(max_days) else float(max_days)  # type: ignore[arg-type]
    if hi is not None and lo is not None and hi < lo:
        hi = lo
    if hi is None:
        return "of unknown length" if not lo else f"at least {_bound(lo, math.floor)}"
    if not lo:
        return "the same day" if hi == 0 else f"up to {_bound(hi, math.ceil)}"
    unit = _unit_for(hi)
    if lo == hi:  # known exactly: to the nearest unit, which claims nothing the dates do not give
        value = _in_unit(hi, unit, round)
        return f"{value:.1f} years" if unit == "year" else plural(int(value), unit)
    low = _in_unit(lo, unit, math.floor)
    high = _in_unit(hi, unit, math.ceil)
    if low == 0:  # the shorter bound is below one unit: say it in its own unit
        return f"{_bound(lo, math.floor)} to {_bound(hi, math.ceil)}"
    if low == high:
        return f"{_number(low, unit)} {unit}s" if (unit == "year" or low != 1) else f"1 {unit}"
    return f"{_number(low, unit)} to {_number(high, unit)} {unit}s"


# --- citations and names ----------------------------------------------------------------------------

def citation(cites: Iterable, names: Mapping[str, str] | None = None) -> str:
    """Citations as plain text: 'Source: “quote” (locator); ...', each source as ``names`` names it for
    readers (its publisher and date), else by its id."""
    names = names or {}
    return "; ".join(
        names.get(c.source, c.source) + (f": “{c.quote}”" if c.quote else "")
        + (f" ({c.locator})" if c.locator else "")
        for c in cites
    )


def short_title(title: str, fallback: str = "") -> str:
    """'Southport: three Prevent referrals, ...' -> 'Southport'; a title without a colon stays whole."""
    return title.split(":", 1)[0].strip() or fallback


def short_name(case) -> str:
    """A case's short name: its title before the colon (:func:`short_title`), or its id."""
    return short_title(case.title, case.id)


def tight_names(names: Iterable[str]) -> dict[str, tuple[str, str]]:
    """For a chart with little room: each short name -> (its last word, a mark of one or more letters).

    'Sir David Amess' -> ('Amess', 'A'). Names that would share a last word keep their whole short name,
    and marks are lengthened until no two are alike, so the key of a crowded chart never confuses cases."""
    names = list(dict.fromkeys(names))
    last = {n: (n.split() or [n])[-1] for n in names}
    clash = {w for w in last.values() if list(last.values()).count(w) > 1}
    words = {n: n if last[n] in clash else last[n] for n in names}
    out = {}
    for n in names:
        size = 1
        while size < len(words[n]) and any(words[o][:size] == words[n][:size] for o in names if o != n):
            size += 1
        out[n] = (words[n], words[n][:size])
    return out
