"""Key figures of a case, computed once from the event table: Home, Compare, the gap summary, the static
site and the images all read them, and all word them with :func:`timelines.analysis.wording.span`.

Every figure that rests on imprecise dates is a range in whole days, never a false precise number: a
referral in "April 2021" and an attack on 29 July 2024 are "3.2 to 3.3 years" apart. An open side (an
outcome dated only "before" a day) stays open: the range then starts at nothing ("up to 5.1 years").
Pure functions, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import schema
from ..dates import PartialDate
from ..vocab import KIND_BY_ID
from .table import case_rows, day_diff
from .table import midpoint as _middle
from .wording import DAYS_PER_YEAR, missing, short_name, span

YEAR = pd.Timedelta(days=365.25)
MONTH = YEAR / 12
ALIGNMENTS = {
    "outcome": "the attack",
    "first_referral": "the first referral to Prevent",
}

__all__ = ["ALIGNMENTS", "MEASURES", "MONTH", "YEAR", "Interval", "KeyFigures", "anchor", "case_rows",
           "comparison_table", "display", "first_of_kind", "key_figures", "last_prevent_contact", "midpoint",
           "outcome_row", "short_name", "time_in_channel"]


@dataclass(frozen=True)
class Interval:
    """A length of time known to lie between ``min_days`` and ``max_days`` whole days (None: open)."""

    min_days: float | None
    max_days: float | None

    def __str__(self) -> str:
        return span(self.min_days, self.max_days)

    @property
    def low(self) -> float:
        """The shorter bound in years (0 where it is open: nothing shorter is ruled out)."""
        return 0.0 if missing(self.min_days) else float(self.min_days) / DAYS_PER_YEAR

    @property
    def high(self) -> float | None:
        """The longer bound in years, or None where it is open."""
        return None if missing(self.max_days) else float(self.max_days) / DAYS_PER_YEAR


@dataclass(frozen=True)
class KeyFigures:
    """The figures a reader needs first, for one case."""

    case_id: str
    name: str
    referrals: int
    adopted: bool
    time_in_channel: Interval | None  # None when never adopted into Channel
    last_contact_to_outcome: Interval | None
    last_contact_label: str
    first_referral_to_outcome: Interval | None
    first_referral_age: int | None
    missed_opportunities: int
    n_events: int
    n_sources: int

    @property
    def channel_text(self) -> str:
        if not self.adopted:
            return "Never adopted"
        return str(self.time_in_channel) if self.time_in_channel else "Not recorded"


def _bounds(row: pd.Series, *, end: bool = False) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The earliest and latest instant of an event's date (or of its end, for a span); NaT where open."""
    if end and isinstance(row["end_text"], str):
        part = PartialDate.parse(row["end_text"])
        return part.start, part.end
    return pd.Timestamp(row["earliest"]), pd.Timestamp(row["latest"])


def midpoint(row: pd.Series) -> pd.Timestamp:
    """The middle of an event's date window (its known side where the other is open)."""
    return _middle(*_bounds(row))


def _gap(first: tuple[pd.Timestamp, pd.Timestamp], second: tuple[pd.Timestamp, pd.Timestamp]) -> Interval:
    """From the first window to the second, in whole days; an open side stays open (None)."""
    low = day_diff(second[0], first[1])
    high = day_diff(second[1], first[0])
    low = None if missing(low) else max(low, 0.0)
    high = None if missing(high) else max(high, low or 0.0)
    return Interval(low, high)


def outcome_row(events: pd.DataFrame, case: schema.Case) -> pd.Series | None:
    rows = case_rows(events, case.id)
    hit = rows[rows["event_id"] == case.outcome_event]
    return hit.iloc[0] if len(hit) else None


def first_of_kind(events: pd.DataFrame, case_id: str, kind: str) -> pd.Series | None:
    rows = case_rows(events, case_id)
    rows = rows[rows["kind"] == kind]
    if not len(rows):
        return None
    order = rows["earliest"].fillna(rows["latest"])
    return rows.loc[order.idxmin()]


def anchor(events: pd.DataFrame, case: schema.Case, align_on: str) -> pd.Timestamp | None:
    """The instant a case is aligned on: the middle of the outcome's (or first referral's) date window."""
    if align_on not in ALIGNMENTS:
        raise ValueError(f"align_on must be one of {', '.join(ALIGNMENTS)}, not {align_on!r}")
    row = outcome_row(events, case) if align_on == "outcome" else first_of_kind(events, case.id, "referral")
    return None if row is None else midpoint(row)


def time_in_channel(events: pd.DataFrame, case_id: str) -> tuple[bool, Interval | None]:
    """Was the case adopted into Channel, and for how long (adoption to exit, or the adoption's span)?"""
    adoption = first_of_kind(events, case_id, "adoption")
    if adoption is None:
        return False, None
    start = _bounds(adoption)
    if isinstance(adoption["end_text"], str):
        return True, _gap(start, _bounds(adoption, end=True))
    exit_row = first_of_kind(events, case_id, "exit")
    if exit_row is None:
        return True, None
    return True, _gap(start, _bounds(exit_row))


def last_prevent_contact(events: pd.DataFrame, case: schema.Case) -> pd.Series | None:
    """The Prevent or Channel event that ends last before the outcome (the end of a span counts)."""
    rows = case_rows(events, case.id)
    rows = rows[(rows["family"] == "prevent") & (rows["event_id"] != case.outcome_event)]
    outcome = outcome_row(events, case)
    if outcome is not None and not pd.isna(outcome["latest"]):
        rows = rows[rows["latest"].fillna(rows["earliest"]) <= outcome["latest"]]
    if not len(rows):
        return None
    ends = rows["end_latest"].astype("datetime64[ns]").fillna(rows["latest"].astype("datetime64[ns]"))
    ends = ends.fillna(rows["earliest"].astype("datetime64[ns]"))
    return rows.loc[ends.idxmax()]


def key_figures(events: pd.DataFrame, case: schema.Case) -> KeyFigures:
    rows = case_rows(events, case.id)
    outcome = outcome_row(events, case)
    adopted, channel = time_in_channel(events, case.id)
    last = last_prevent_contact(events, case)
    first = first_of_kind(events, case.id, "referral")
    last_gap = first_gap = None
    last_label = "No Prevent contact recorded"
    if last is not None:
        last_label = f"{KIND_BY_ID[last['kind']].label}, {last['date_label']}"
        if outcome is not None:
            last_gap = _gap(_bounds(last, end=True), _bounds(outcome))
    if first is not None and outcome is not None:
        first_gap = _gap(_bounds(first), _bounds(outcome))
    age = None
    if first is not None and not pd.isna(first["age"]):
        age = int(first["age"])
    sources = {s for ids in rows["source_ids"] for s in ids}
    return KeyFigures(
        case_id=case.id, name=short_name(case),
        referrals=int((rows["kind"] == "referral").sum()),
        adopted=adopted, time_in_channel=channel,
        last_contact_to_outcome=last_gap, last_contact_label=last_label,
        first_referral_to_outcome=first_gap, first_referral_age=age,
        missed_opportunities=int(rows["missed_opportunity"].sum()),
        n_events=len(rows), n_sources=len(sources),
    )


MEASURES: tuple[tuple[str, str], ...] = (
    ("Referrals to Prevent", "referrals"),
    ("Age at first referral", "first_referral_age"),
    ("Adopted into Channel", "adopted"),
    ("Time in Channel", "channel_text"),
    ("Last Prevent contact", "last_contact_label"),
    ("Time from the last Prevent contact to the attack", "last_contact_to_outcome"),
    ("Time from the first referral to the attack", "first_referral_to_outcome"),
    ("Missed opportunities found by reviews", "missed_opportunities"),
    ("Events recorded here", "n_events"),
    ("Sources cited", "n_sources"),
)


def display(value: object) -> str:
    """A key figure as every surface shows it."""
    if value is None:
        return "Not known"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


_display = display  # the name the static site used


def comparison_table(events: pd.DataFrame, cases: list[schema.Case]) -> pd.DataFrame:
    """The key measures side by side: one row per measure, one column per case (text, as displayed)."""
    figures = [key_figures(events, case) for case in cases]
    data = {"Measure": [label for label, _ in MEASURES]}
    for fig in figures:
        name = fig.name if fig.name not in data else f"{fig.name} ({fig.case_id})"
        data[name] = [display(getattr(fig, attr)) for _, attr in MEASURES]
    return pd.DataFrame(data)
