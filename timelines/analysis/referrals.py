"""Repeat referrals: each case's referrals in order, with the gap since the one before."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .intervals import bounds, whole_days
from .table import case_events
from .wording import span as describe_span


def referrals(events: pd.DataFrame, kinds: Sequence[str] = ("referral",)) -> pd.DataFrame:
    """Each case's referrals in order: the running count, the date window and the gap since the last."""
    rows = case_events(events)
    rows = rows[rows["kind"].isin(kinds)]
    parts = []
    for case_id, group in rows.groupby("case_id", sort=False):
        group = group.reset_index(drop=True)
        low, high = bounds(group["earliest"], group["latest"], group["earliest"].shift(), group["latest"].shift())
        parts.append(pd.DataFrame({
            "case_id": case_id, "count": range(1, len(group) + 1), "event_id": group["event_id"],
            "title": group["title"], "date_label": group["date_label"], "age": group["age"],
            "earliest": group["earliest"], "latest": group["latest"],
            "min_days_since_previous": whole_days(low), "max_days_since_previous": whole_days(high),
            "since_previous": ["" if i == 0 else describe_span(lo, hi)
                               for i, (lo, hi) in enumerate(zip(low, high, strict=True))],
        }))
    if not parts:
        return pd.DataFrame(columns=["case_id", "count", "event_id", "title", "date_label", "age", "earliest",
                                     "latest", "min_days_since_previous", "max_days_since_previous",
                                     "since_previous"])
    return pd.concat(parts, ignore_index=True)
