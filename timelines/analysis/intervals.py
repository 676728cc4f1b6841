"""The intervals between consecutive events of a case, with the shortest and longest gap possible.

Every interval is a pair of bounds because dates are known to a year, a month or a day. Intervals are
counted in whole calendar days between the dates: the shortest is the first day the later event can
have minus the last day the earlier one can have (never below zero), the longest is the last day the
later event can have minus the first day the earlier one can have. Two events known to the day are
exactly their difference apart; two on the same day are 0 days apart, ordered by ``sequence``. A side
left open by a ``before`` or ``after`` date is missing (NA), and the wording says so ("at least 3 months").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .table import NAT, case_events, contacts, day_counts
from .wording import span

INTERVAL_COLUMNS = (
    "case_id", "from_event", "from_title", "from_kind", "from_date", "to_event", "to_title", "to_kind",
    "to_date", "min_days", "max_days", "label", "overlaps", "from_earliest", "from_latest",
    "to_earliest", "to_latest",
)


def whole_days(series: pd.Series) -> pd.Series:
    """Day counts as whole numbers, open bounds as NA: tables print 1749, never 1749.0."""
    return pd.Series(series, dtype="float64").round().astype("Int64")


def bounds(later_first: pd.Series, later_last: pd.Series, earlier_first: pd.Series, earlier_last: pd.Series
           ) -> tuple[pd.Series, pd.Series]:
    """The shortest and longest number of days from the earlier windows to the later ones (NaN: open).

    The shortest is never below zero and the longest never below the shortest."""
    low = day_counts(later_first, earlier_last).clip(lower=0)
    high = day_counts(later_last, earlier_first)
    high = high.where(high.isna() | (high >= low.fillna(0)), low.fillna(0))
    return low, high


DAY_NS = 86_400 * 10**9
# the columns each interval copies from its earlier ("from_") and its later ("to_") event
CARRIED = (("event", "event_id"), ("title", "title"), ("kind", "kind"), ("date", "date_label"))


def _days(later: np.ndarray, earlier: np.ndarray) -> np.ndarray:
    """:func:`day_counts` on int64 views of datetime64[ns] arrays: whole calendar days, NaN where open."""
    days = ((later - later % DAY_NS) - (earlier - earlier % DAY_NS)) // DAY_NS
    return np.where((later == NAT) | (earlier == NAT), np.nan, days.astype("float64"))


def intervals(events: pd.DataFrame, *, contacts_only: bool = False) -> pd.DataFrame:
    """One row per pair of consecutive events of a case, with the shortest and longest gap possible.

    ``contacts_only`` keeps contacts with public services (and the attack) before pairing, so the
    gaps are the silences between contacts. ``overlaps`` marks pairs whose date windows overlap, where
    the order itself is not certain.
    """
    rows = case_events(events)
    if contacts_only:
        rows = contacts(rows)
    if len(rows) < 2 or rows["earliest"].dtype != "datetime64[ns]" or rows["latest"].dtype != "datetime64[ns]":
        return _intervals_by_pandas(rows)
    # The rows are in time order with each case's events together: a pair is two neighbours of one case.
    # Worked out on arrays at once, not a frame per case (the same values as bounds() and day_counts()).
    case = rows["case_id"].to_numpy(dtype=object)
    pair = np.flatnonzero(case[1:] == case[:-1])
    if not len(pair):
        return _intervals_by_pandas(rows)
    after = pair + 1
    early, late = rows["earliest"].to_numpy().view("i8"), rows["latest"].to_numpy().view("i8")
    first_from, last_from, first_to, last_to = early[pair], late[pair], early[after], late[after]
    low = _days(first_to, last_from)
    low = np.where(np.isnan(low), low, np.maximum(low, 0))
    high = _days(last_to, first_from)
    floor = np.nan_to_num(low, nan=0.0)
    high = np.where(np.isnan(high) | (high >= floor), high, floor)
    overlaps = ((first_to == NAT) | (last_from == NAT) | (first_to <= last_from)) & ~(low > 0)
    columns = {"case_id": rows["case_id"].array.take(pair)}
    for side, at in (("from", pair), ("to", after)):
        for name, column in CARRIED:
            columns[f"{side}_{name}"] = rows[column].array.take(at)
    bounds_ = [whole_days(bound).array for bound in (low, high)]
    earliest, latest = rows["earliest"].array, rows["latest"].array
    columns.update(
        min_days=bounds_[0], max_days=bounds_[1],
        label=[span(lo, hi) for lo, hi in zip(low, high, strict=True)],
        overlaps=overlaps, from_earliest=earliest.take(pair), from_latest=latest.take(pair),
        to_earliest=earliest.take(after), to_latest=latest.take(after),
    )
    return pd.DataFrame(columns)[list(INTERVAL_COLUMNS)]


def _intervals_by_pandas(rows: pd.DataFrame) -> pd.DataFrame:
    """:func:`intervals` of rows already in order, a frame per case: for bounds in another resolution."""
    parts = []
    for case_id, group in rows.groupby("case_id", sort=False):
        if len(group) < 2:
            continue
        earlier = group.iloc[:-1].reset_index(drop=True)
        later = group.iloc[1:].reset_index(drop=True)
        low, high = bounds(later["earliest"], later["latest"], earlier["earliest"], earlier["latest"])
        overlaps = (
            later["earliest"].isna() | earlier["latest"].isna()
            | (later["earliest"] <= earlier["latest"])
        ) & ~(day_counts(later["earliest"], earlier["latest"]) > 0)
        parts.append(pd.DataFrame({
            "case_id": case_id,
            "from_event": earlier["event_id"], "from_title": earlier["title"],
            "from_kind": earlier["kind"], "from_date": earlier["date_label"],
            "to_event": later["event_id"], "to_title": later["title"], "to_kind": later["kind"],
            "to_date": later["date_label"],
            "min_days": whole_days(low), "max_days": whole_days(high),
            "label": [span(lo, hi) for lo, hi in zip(low, high, strict=True)],
            "overlaps": overlaps.astype(bool),
            "from_earliest": earlier["earliest"], "from_latest": earlier["latest"],
            "to_earliest": later["earliest"], "to_latest": later["latest"],
        }))
    if not parts:
        return pd.DataFrame(columns=INTERVAL_COLUMNS).astype({"min_days": "Int64", "max_days": "Int64"})
    return pd.concat(parts, ignore_index=True)[list(INTERVAL_COLUMNS)]


def longest(gaps: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The ``n`` longest silences of each case: ranked by the gap that is certain (the shorter bound),
    then by the longer bound; a gap with an open end ranks after those with both bounds."""
    if gaps.empty:
        return gaps.assign(rank=pd.Series(dtype="int64"))
    if not gaps["case_id"].isna().any():
        # sorted on arrays at once (np.lexsort is stable; its last key leads): the same rows as below
        lo = gaps["min_days"].to_numpy(dtype="float64", na_value=np.nan)
        hi = gaps["max_days"].to_numpy(dtype="float64", na_value=np.nan)
        cases = gaps["case_id"].to_numpy(dtype=object)
        codes = np.unique(cases, return_inverse=True)[1]
        order = np.lexsort((np.arange(len(gaps)), -np.nan_to_num(hi), np.isnan(hi), -np.nan_to_num(lo),
                            np.isnan(lo), codes))
        keep, rank, seen = [], [], {}
        for at in order:
            count = seen[codes[at]] = seen.get(codes[at], 0) + 1
            if count <= n:
                keep.append(at)
                rank.append(count)
        return gaps.take(keep).assign(rank=np.array(rank, dtype="int64")).reset_index(drop=True)
    return _longest_by_pandas(gaps, n)


def _longest_by_pandas(gaps: pd.DataFrame, n: int) -> pd.DataFrame:
    """:func:`longest` by sorting the frame (for a frame with a missing case id)."""
    out = gaps.sort_values(["case_id", "min_days", "max_days"], ascending=[True, False, False],
                           na_position="last", kind="stable")
    out = out.groupby("case_id", sort=False).head(n)
    return out.assign(rank=out.groupby("case_id").cumcount() + 1).reset_index(drop=True)
