"""Review findings on case events, and the pathway steps events and findings name."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .. import schema
from ..dates import PartialDate
from .wording import citation

FINDING_COLUMNS = ("case_id", "event_id", "event_title", "text", "by", "date", "date_label",
                   "missed_opportunity", "step", "source_ids", "citation")


def findings(cases: Mapping[str, schema.Case], names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Every review finding on every case event: what was found, by whom, when, on what source (its
    ``citation`` names each source as ``names`` does, else by id), and the pathway step it names ('' where
    it names none)."""
    rows = [
        {"case_id": case_id, "event_id": event.id, "event_title": event.title, "text": f.text,
         "by": f.by, "date": f.date, "date_label": PartialDate.parse(f.date).human(),
         "missed_opportunity": f.missed_opportunity, "step": f.step or "",
         "source_ids": tuple(dict.fromkeys(c.source for c in f.sources)), "citation": citation(f.sources, names)}
        for case_id, case in cases.items() for event in case.events for f in event.findings
    ]
    return pd.DataFrame(rows, columns=FINDING_COLUMNS).astype({"missed_opportunity": bool})


def event_steps(cases: Mapping[str, schema.Case]) -> dict[tuple[str, str], str]:
    """(case id, event id) -> the pathway step the event says it is (its ``step``), where it says one."""
    return {(case_id, event.id): event.step for case_id, case in cases.items() for event in case.events
            if event.step}
