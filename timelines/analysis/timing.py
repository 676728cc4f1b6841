"""How long before (or after) a case's outcome each of its events happened, with bounds.

An outcome dated only "before" or "after" a day has an open side, and so do the distances to it: the
open side stays open (NA) through every calculation and every sentence.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .. import schema
from .intervals import whole_days
from .table import case_events, day_counts
from .wording import DAYS_PER_YEAR, DAYS_UNTIL, missing, plural, span

TIMING_COLUMNS = ("case_id", "event_id", "title", "kind", "family", "date_label", "relation", "min_days",
                  "max_days", "min_years", "max_years", "label")


def outcomes(cases: Mapping[str, schema.Case]) -> dict[str, str]:
    """Case id -> the id of its outcome event (the event cases are aligned on)."""
    return {case_id: case.outcome_event for case_id, case in cases.items()}


def outcome_noun(row: Mapping) -> str:
    return "the attack" if row["kind"] == "attack" else f"the {str(row['title']).lower()}"


def _label(relation: str, lo: float, hi: float, noun: str) -> str:
    if relation == "same day":
        return f"the day of {noun}"
    if relation == "overlaps" and not missing(hi) and hi <= DAYS_UNTIL:
        return f"around the time of {noun} (within {plural(int(hi), 'day')}; order not certain)"
    if relation == "overlaps":
        return f"not known whether before or after {noun}"
    return f"{span(lo, hi)} {relation} {noun}"


def time_to_outcome(events: pd.DataFrame, outcome_ids: Mapping[str, str]) -> pd.DataFrame:
    """For every case event, how long before (or after) the outcome it happened, with bounds.

    ``relation`` is 'before', 'after', 'same day' or 'overlaps' (the date windows overlap, or an open
    side leaves the order unknown); ``min_days`` and ``max_days`` are distances (positive either way,
    NA where a side is open), ``min_years``/``max_years`` the same in years.
    """
    rows = case_events(events)
    parts = []
    for case_id, group in rows.groupby("case_id", sort=False):
        outcome = group[group["event_id"] == outcome_ids.get(case_id)]
        if outcome.empty:
            continue
        out = outcome.iloc[0]
        first = pd.Series(out["earliest"], index=group.index, dtype="datetime64[ns]")
        last = pd.Series(out["latest"], index=group.index, dtype="datetime64[ns]")
        before_min = day_counts(first, group["latest"])  # NaN where either side is open
        before_max = day_counts(last, group["earliest"])
        relation = pd.Series("overlaps", index=group.index)
        relation[before_min > 0] = "before"
        relation[before_max < 0] = "after"
        relation[(before_min == 0) & (before_max == 0)] = "same day"
        is_before, is_after = relation.eq("before"), relation.eq("after")
        lo = before_min.where(is_before, -before_max.where(is_after, float("nan")))
        hi = before_max.where(is_before, -before_min.where(is_after, float("nan")))
        lo = lo.where(is_before | is_after, 0.0)
        # overlapping windows: the distance is at most the larger reach either way (open if either is)
        reach = pd.concat([before_max, -before_min], axis=1).max(axis=1, skipna=False)
        hi = hi.where(is_before | is_after, reach)
        hi = hi.where(~relation.eq("same day"), 0.0)
        noun = outcome_noun(out)
        parts.append(pd.DataFrame({
            "case_id": case_id, "event_id": group["event_id"], "title": group["title"],
            "kind": group["kind"], "family": group["family"], "date_label": group["date_label"],
            "relation": relation, "min_days": whole_days(lo), "max_days": whole_days(hi),
            "min_years": (lo / DAYS_PER_YEAR).apply(_floor2), "max_years": (hi / DAYS_PER_YEAR).apply(_ceil2),
            "label": [_label(r, a, b, noun) for r, a, b in zip(relation, lo, hi, strict=True)],
        }))
    if not parts:
        return pd.DataFrame(columns=TIMING_COLUMNS)
    return pd.concat(parts, ignore_index=True)[list(TIMING_COLUMNS)]


def _floor2(value: float) -> float:
    """A lower bound in years to two decimals, never rounded up."""
    import math
    return value if missing(value) else math.floor(round(value * 100, 6)) / 100


def _ceil2(value: float) -> float:
    """An upper bound in years to two decimals, never rounded down."""
    import math
    return value if missing(value) else math.ceil(round(value * 100, 6)) / 100
