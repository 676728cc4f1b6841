"""The event table as the analyses read it: a case's rows, in time order, and whole days between dates.

Written once here and used by every analysis and by the key figures.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

# Contacts with public services: every kind in these families, plus the outcome itself so that the
# silence between the last contact and the attack is one of the intervals.
CONTACT_FAMILIES = ("prevent", "services")
CLOSING_KINDS = ("decision", "case_closure")


def case_rows(events: pd.DataFrame, case_id: str | None = None) -> pd.DataFrame:
    """The rows of the case layer (one case, or all), in the table's own order."""
    keep = events["layer"] == "case" if "layer" in events else None
    if case_id is not None:
        mine = events["case_id"] == case_id
        keep = mine if keep is None else keep & mine
    if keep is None or keep.all():  # nothing to leave out: a new frame sharing the data until either changes
        return events.copy(deep=False)
    return events[keep]


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


NAT = np.iinfo("int64").min  # NaT as a datetime64[ns] value's int64 view


def ordered(events: pd.DataFrame) -> pd.DataFrame:
    """Case events in time order: by the earliest instant, then ``sequence`` for same-day events, then
    their order in the table (each case's events together, the cases in order of their ids)."""
    ns = "datetime64[ns]"
    if not len(events) or events["earliest"].dtype != ns or events["latest"].dtype != ns \
            or events["case_id"].isna().any():
        return _ordered_by_pandas(events)
    # the sort keys as arrays, sorted at once (np.lexsort is stable; its last key leads)
    early, late = events["earliest"].to_numpy().view("i8"), events["latest"].to_numpy().view("i8")
    key = np.where(early == NAT, late, early)
    seq = (events["sequence"].to_numpy(dtype="float64", na_value=0.0) if "sequence" in events
           else np.zeros(len(events)))
    cases = events["case_id"].to_numpy(dtype=object)
    codes = np.zeros(len(events), dtype="int64") if (cases == cases[0]).all() \
        else np.unique(cases, return_inverse=True)[1]
    order = np.lexsort((np.arange(len(events)), seq, key, key == NAT, codes))
    if (order[1:] > order[:-1]).all():  # already in order (as when ordered twice): no copy of the columns
        return events.reset_index(drop=True)
    return events.take(order).reset_index(drop=True)


def _ordered_by_pandas(events: pd.DataFrame) -> pd.DataFrame:
    """:func:`ordered` for any input: bounds in another resolution, or no rows."""
    # one resolution for both bounds: a column with an open (None) bound can come as microseconds
    events = events.assign(earliest=pd.to_datetime(events["earliest"]).astype("datetime64[ns]"),
                           latest=pd.to_datetime(events["latest"]).astype("datetime64[ns]"))
    key = events["earliest"].fillna(events["latest"])
    seq = events["sequence"].astype("Float64").fillna(0) if "sequence" in events else 0
    out = events.assign(_key=key, _seq=seq, _pos=range(len(events)))
    out = out.sort_values(["case_id", "_key", "_seq", "_pos"], kind="stable", na_position="last")
    return out.drop(columns=["_key", "_seq", "_pos"]).reset_index(drop=True)


def records(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict]:
    """``frame[columns].to_dict("records")`` (the same values, boxed the same way), a column at a time
    rather than a row at a time."""
    columns = list(frame.columns) if columns is None else columns
    values = [frame[c].tolist() for c in columns]
    values = [[None if v is pd.NA else v for v in column] if any(v is pd.NA for v in column) else column
              for column in values]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def case_events(events: pd.DataFrame, case_id: str | None = None) -> pd.DataFrame:
    """The rows of the case layer (one case, or all), in time order."""
    return ordered(case_rows(events, case_id))


def contacts(events: pd.DataFrame) -> pd.DataFrame:
    """Contacts with public services (Prevent and other services), and each case's attack."""
    keep = events["family"].isin(CONTACT_FAMILIES) | (events["kind"] == "attack")
    return events[keep]
