"""The event table as the analyses read it: a case's rows, in time order, and whole days between dates.

Written once here and used by every analysis and by the key figures.
"""

from __future__ import annotations

import math

import pandas as pd

# Contacts with public services: every kind in these families, plus the outcome itself so that the
# silence between the last contact and the attack is one of the intervals.
CONTACT_FAMILIES = ("prevent", "services")
CLOSING_KINDS = ("decision", "case_closure")


def case_rows(events: pd.DataFrame, case_id: str | None = None) -> pd.DataFrame:
    """The rows of the case layer (one case, or all), in the table's own order."""
    rows = events[events["layer"] == "case"] if "layer" in events else events
    if case_id is not None:
        rows = rows[rows["case_id"] == case_id]
    return rows


def _first_day(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series).astype("datetime64[ns]").dt.normalize()


def day_counts(later: pd.Series, earlier: pd.Series) -> pd.Series:
    """Whole calendar days from each ``earlier`` instant to each ``later`` one; NaN where either is open."""
    return (_first_day(later) - _first_day(earlier)).dt.days.astype("float64")


def day_diff(later: object, earlier: object) -> float:
    """Whole calendar days from one instant to another; NaN where either is open."""
    if pd.isna(later) or pd.isna(earlier):
        return math.nan
    return float((pd.Timestamp(later).normalize() - pd.Timestamp(earlier).normalize()).days)


def midpoint(low: object, high: object) -> object:
    """The middle of a window (Timestamps or numbers); the known side where the other is open."""
    if pd.isna(low):
        return high
    if pd.isna(high):
        return low
    return low + (high - low) / 2


def ordered(events: pd.DataFrame) -> pd.DataFrame:
    """Case events in time order: by the earliest instant, then ``sequence`` for same-day events."""
    # one resolution for both bounds: a column with an open (None) bound can come as microseconds
    events = events.assign(earliest=pd.to_datetime(events["earliest"]).astype("datetime64[ns]"),
                           latest=pd.to_datetime(events["latest"]).astype("datetime64[ns]"))
    key = events["earliest"].fillna(events["latest"])
    seq = events["sequence"].astype("Float64").fillna(0) if "sequence" in events else 0
    out = events.assign(_key=key, _seq=seq, _pos=range(len(events)))
    out = out.sort_values(["case_id", "_key", "_seq", "_pos"], kind="stable", na_position="last")
    return out.drop(columns=["_key", "_seq", "_pos"]).reset_index(drop=True)


def case_events(events: pd.DataFrame, case_id: str | None = None) -> pd.DataFrame:
    """The rows of the case layer (one case, or all), in time order."""
    return ordered(case_rows(events, case_id))


def contacts(events: pd.DataFrame) -> pd.DataFrame:
    """Contacts with public services (Prevent and other services), and each case's attack."""
    keep = events["family"].isin(CONTACT_FAMILIES) | (events["kind"] == "attack")
    return events[keep]
