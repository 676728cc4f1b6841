"""The government's commitments: what was promised, by when, and its status as the sources show it."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd

from .. import schema
from ..dates import PartialDate
from .wording import citation

COMMITMENT_STATES = {
    "delivered": "Delivered, as a source reports",
    "delivered_late": "Delivered after its deadline",
    "overdue": "Deadline passed; no source reports delivery",
    "open": "Not yet due; no source reports delivery",
    "no_deadline": "No deadline stated; no source reports delivery",
}


def commitments(items: Sequence[schema.Commitment], today: date | pd.Timestamp,
                names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """What the government promised, by when, and its status as the sources show it on ``today`` (its
    sources named as ``names`` names them, else by id).

    A deadline passes at the end of the period it names ('2025-09' at the end of September 2025). A
    passed deadline with no source on delivery is said exactly so: it is not assumed to be missed.
    """
    now = pd.Timestamp(today).normalize()
    rows = []
    for item in items:
        due = PartialDate.parse(item.due) if item.due else None
        done = PartialDate.parse(item.delivered) if item.delivered else None
        made = PartialDate.parse(item.made)
        if done is not None:
            state = "delivered_late" if due is not None and done.start > due.end else "delivered"
        elif due is None:
            state = "no_deadline"
        else:
            state = "overdue" if due.end < now else "open"
        by = f"the end of {due.human()}" if due is not None and due.precision != "day" else (
            due.human() if due is not None else "")
        if state == "overdue":
            label = f"Deadline ({by.removeprefix('the ')}) passed; no source reports delivery"
        elif state == "open":
            label = f"Due by {by}; no source reports delivery yet"
        elif state == "no_deadline":
            label = "No deadline stated; no source reports delivery"
        else:
            label = f"Delivered {done.human()}" + (f", after the deadline of {due.human()}" if state ==
                                                   "delivered_late" else "")
        rows.append({
            "id": item.id, "promise": item.promise, "made": made.human(), "made_start": made.start,
            "due": due.human() if due else "", "due_end": due.end if due else pd.NaT,
            "delivered": done.human() if done else "", "delivered_start": done.start if done else pd.NaT,
            "state": state, "status": label,
            "days_past_deadline": float((now - due.end.normalize()).days) if state == "overdue" else math.nan,
            "sources": citation(item.sources, names), "delivery_sources": citation(item.delivery_sources, names),
        })
    return pd.DataFrame(rows, columns=["id", "promise", "made", "made_start", "due", "due_end", "delivered",
                                       "delivered_start", "state", "status", "days_past_deadline",
                                       "sources", "delivery_sources"])
