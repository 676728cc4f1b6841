"""What the record holds: events recorded here against totals the sources state, and planned
against delivered under each source's account."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import pandas as pd

from .. import schema
from ..vocab import KIND_BY_ID
from .table import case_events, contacts
from .wording import citation


def coverage(events: pd.DataFrame, cases: Mapping[str, schema.Case], names: Mapping[str, str] | None = None
             ) -> pd.DataFrame:
    """Events recorded here against each total a source states ('at least 15 contact points'), the
    sources named as ``names`` names them (else by id).

    A total counts the event kinds it names (``counts_kinds``); with none named it counts contacts
    with public services before the outcome.
    """
    rows = []
    for case_id, case in cases.items():
        mine = case_events(events, case_id)
        outcome = mine[mine["event_id"] == case.outcome_event]
        for total in case.totals:
            if total.counts_kinds:
                counted = mine[mine["kind"].isin(total.counts_kinds)]
            else:
                counted = contacts(mine)
                counted = counted[counted["kind"] != "attack"]
                if not outcome.empty:
                    when = counted["earliest"].fillna(counted["latest"])
                    counted = counted[when < outcome.iloc[0]["earliest"]]
            recorded = len(counted)
            stated = f"{total.qualifier} {total.value}" if total.qualifier != "exactly" else str(total.value)
            gap = total.value - recorded
            if total.qualifier in ("exactly", "at least") and gap > 0:
                note = f"{recorded} recorded here; sources state {stated}: at least {gap} not yet recorded"
            else:
                note = f"{recorded} recorded here; sources state {stated}"
            bounded = total.qualifier in ("exactly", "at least")
            rows.append({"case_id": case_id, "measure": total.measure, "stated": stated,
                         "value": total.value, "qualifier": total.qualifier, "recorded": recorded,
                         "not_recorded": max(gap, 0) if bounded else math.nan,
                         "share": round(recorded / total.value, 2) if total.value else math.nan,
                         "kinds": ", ".join(KIND_BY_ID[k].label for k in total.counts_kinds) or "contacts",
                         "note": note, "sources": citation(total.sources, names)})
    return pd.DataFrame(rows, columns=["case_id", "measure", "stated", "value", "qualifier", "recorded",
                                       "not_recorded", "share", "kinds", "note", "sources"])


# --- 7. planned against delivered -------------------------------------------------------------------

_WORD_NUMBERS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve"))}
PLANNED_WORDS = ("planned", "scheduled", "intended", "supposed")


def _number(text: str) -> int | None:
    """The first count in a text: '7', 'seven', 'one session' -> 7, 7, 1."""
    for word in re.findall(r"[a-z]+|\d+", text.lower()):
        if word.isdigit():
            return int(word)
        if word in _WORD_NUMBERS:
            return _WORD_NUMBERS[word]
    return None


def planned_delivered(cases: Mapping[str, schema.Case], source_titles: Mapping[str, str] | None = None
                      ) -> pd.DataFrame:
    """Planned against delivered, under each source's account, where the sources state both.

    The planned side is a dispute on an event about how many were planned ('how many mentoring
    sessions were planned': seven / two, one count per claim's source). The delivered side is the
    case's total that counts exactly that event's kind ('mentoring sessions held': 1, counting support
    sessions), as each of its sources states it. A source that states only the planned number is
    given the delivered one where every source that counts it agrees, and says so.
    """
    titles = source_titles or {}
    rows = []
    for case_id, case in cases.items():
        for event in case.events:
            totals = [t for t in case.totals if t.counts_kinds == [event.kind]]
            for dispute in event.disputed:
                if not totals or not any(word in dispute.about.lower() for word in PLANNED_WORDS):
                    continue
                planned = {cite.source: n for claim in dispute.claims if (n := _number(claim.value)) is not None
                           for cite in claim.sources}
                delivered = {cite.source: t.value for t in totals for cite in t.sources}
                agreed = set(delivered.values())
                for source in dict.fromkeys([*planned, *delivered]):
                    p, d, note = planned.get(source), delivered.get(source), ""
                    if d is None and len(agreed) == 1:
                        d = next(iter(agreed))
                        note = "held: this source gives no count; every source that does says the same"
                    if p is None:
                        note = "this source states no planned number"
                    rows.append({"case_id": case_id, "subject": totals[0].measure, "source": source,
                                 "source_title": titles.get(source, source), "planned": p, "delivered": d,
                                 "shortfall": (p - d) if p is not None and d is not None else None,
                                 "label": (f"{d} of {p} delivered" if p is not None and d is not None else ""),
                                 "note": note})
    out = pd.DataFrame(rows, columns=["case_id", "subject", "source", "source_title", "planned", "delivered",
                                      "shortfall", "label", "note"])
    return out.astype({"planned": "Int64", "delivered": "Int64", "shortfall": "Int64"})
