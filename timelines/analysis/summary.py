"""The cross-case summary: one row per case, its key measures worded once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from .. import schema
from .findings import event_steps, findings
from .intervals import intervals, longest
from .measures import display, key_figures
from .pathway import CONFORMANCE_COLUMNS, conformance
from .referrals import referrals
from .table import case_rows


def summary(events: pd.DataFrame, cases: Mapping[str, schema.Case], steps: Sequence[schema.Step] = ()
            ) -> pd.DataFrame:
    """One row per case: referrals, the longest silence between contacts, the last Prevent contact's
    distance from the outcome (the key figure Home and Compare give, in the same words), missed
    opportunities, and the pathway's departures."""
    found = findings(cases)
    gaps = longest(intervals(events, contacts_only=True), n=1)
    refs = referrals(events)
    steps_frame = (conformance(events, steps, found, event_steps(cases)) if steps
                   else pd.DataFrame(columns=CONFORMANCE_COLUMNS))
    rows = []
    for case_id, case in cases.items():
        figures = key_figures(events, case)
        silence = gaps[gaps["case_id"] == case_id]
        marks = steps_frame[steps_frame["case_id"] == case_id]
        rows.append({
            "case_id": case_id, "case": case.title,
            "events": len(case_rows(events, case_id)),
            "referrals": int((refs["case_id"] == case_id).sum()),
            "longest_silence": silence.iloc[0]["label"] if len(silence) else "",
            "longest_silence_between": (f"{silence.iloc[0]['from_title']} → {silence.iloc[0]['to_title']}"
                                        if len(silence) else ""),
            "last_contact": figures.last_contact_label,
            "last_contact_to_outcome": display(figures.last_contact_to_outcome),
            "missed_opportunities": int(found[(found["case_id"] == case_id)]["missed_opportunity"].sum()),
            "steps_missing": int(marks["status"].eq("missing").sum()),
            "steps_skipped": int(marks["status"].eq("skipped").sum()),
            "steps_late": int(marks["status"].eq("late").sum()),
        })
    return pd.DataFrame(rows, columns=["case_id", "case", "events", "referrals", "longest_silence",
                                       "longest_silence_between", "last_contact", "last_contact_to_outcome",
                                       "missed_opportunities", "steps_missing", "steps_skipped", "steps_late"])
