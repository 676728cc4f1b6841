"""The missed-opportunities register: each finding marked a missed opportunity, and when."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .table import case_events
from .timing import time_to_outcome

REGISTER_COLUMNS = ("case_id", "event_id", "event_date", "event_title", "finding", "by", "found",
                    "sources", "before_outcome", "min_years", "max_years")


def missed_opportunities(events: pd.DataFrame, found: pd.DataFrame, outcome_ids: Mapping[str, str]
                         ) -> pd.DataFrame:
    """The register: each finding marked a missed opportunity, its event, who found it and when,
    and how long before the outcome the chance was missed."""
    missed = found[found["missed_opportunity"]]
    timing = time_to_outcome(events, outcome_ids)
    order = case_events(events).reset_index()[["case_id", "event_id", "index"]]
    merged = (missed.merge(timing, on=["case_id", "event_id"], how="left", suffixes=("", "_event"))
              .merge(order, on=["case_id", "event_id"], how="left")
              .sort_values(["case_id", "index"], kind="stable"))
    # A finding recorded on an event after the outcome (a report) gives no date for the chance itself.
    undated = merged["relation"].eq("after")
    before = merged["label"].where(~undated, "not dated: the finding is recorded on “" + merged["event_title"]
                                   + "”, after the outcome")
    out = pd.DataFrame({
        "case_id": merged["case_id"], "event_id": merged["event_id"],
        "event_date": merged["date_label_event"], "event_title": merged["event_title"],
        "finding": merged["text"], "by": merged["by"], "found": merged["date_label"],
        "sources": merged["citation"], "before_outcome": before,
        "min_years": merged["min_years"].where(~undated), "max_years": merged["max_years"].where(~undated),
    })
    return out.reset_index(drop=True)[list(REGISTER_COLUMNS)]
