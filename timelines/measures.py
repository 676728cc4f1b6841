"""Key figures of a case, computed once from the event table: the Home cards and the Compare table share them.

Every figure that rests on imprecise dates is a range, never a false precise number: a referral in
"April 2021" and an attack on 29 July 2024 are between 3.1 and 3.3 years apart. Pure functions, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import schema
from .dates import PartialDate
from .vocab import KIND_BY_ID

YEAR = pd.Timedelta(days=365.25)
MONTH = YEAR / 12
ALIGNMENTS = {
    "outcome": "the attack",
    "first_referral": "the first referral to Prevent",
}


@dataclass(frozen=True)
class Interval:
    """A length of time known to lie between ``low`` and ``high`` (in the unit named)."""

    low: float
    high: float
    unit: str  # "years" or "months"

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2

    def __str__(self) -> str:
        step = 1 if self.unit == "months" else 0.1
        lo, hi = (round(v / step) * step for v in (self.low, self.high))
        fmt = "{:.0f}" if self.unit == "months" else "{:.1f}"
        if abs(hi - lo) < step / 2:
            return f"{fmt.format(lo)} {self.unit if lo != 1 else self.unit[:-1]}"
        return f"{fmt.format(lo)} to {fmt.format(hi)} {self.unit}"


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


def short_name(case: schema.Case) -> str:
    """'Southport: three Prevent referrals, ...' -> 'Southport'."""
    return case.title.split(":", 1)[0].strip()


def case_rows(events: pd.DataFrame, case_id: str) -> pd.DataFrame:
    return events[(events["case_id"] == case_id) & (events["layer"] == "case")]


def _bounds(row: pd.Series, *, end: bool = False) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The earliest and latest instant of an event's date (or of its end, for a span)."""
    if end and isinstance(row["end_text"], str):
        part = PartialDate.parse(row["end_text"])
        return part.start, part.end
    lo, hi = row["earliest"], row["latest"]
    lo = hi if pd.isna(lo) else lo
    hi = lo if pd.isna(hi) else hi
    return pd.Timestamp(lo), pd.Timestamp(hi)


def midpoint(row: pd.Series) -> pd.Timestamp:
    lo, hi = _bounds(row)
    return lo + (hi - lo) / 2


def _gap(first: tuple[pd.Timestamp, pd.Timestamp], second: tuple[pd.Timestamp, pd.Timestamp],
         unit: pd.Timedelta, name: str) -> Interval:
    low = max((second[0] - first[1]) / unit, 0.0)
    high = max((second[1] - first[0]) / unit, 0.0)
    return Interval(low, high, name)


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
        return True, _gap(start, _bounds(adoption, end=True), MONTH, "months")
    exit_row = first_of_kind(events, case_id, "exit")
    if exit_row is None:
        return True, None
    return True, _gap(start, _bounds(exit_row), MONTH, "months")


def last_prevent_contact(events: pd.DataFrame, case: schema.Case) -> pd.Series | None:
    """The Prevent or Channel event that ends last before the outcome (the end of a span counts)."""
    rows = case_rows(events, case.id)
    rows = rows[rows["family"] == "prevent"]
    outcome = outcome_row(events, case)
    if outcome is not None:
        rows = rows[rows["latest"].fillna(rows["earliest"]) <= _bounds(outcome)[1]]
    if not len(rows):
        return None
    ends = rows["end_latest"].astype("datetime64[ns]").fillna(rows["latest"].astype("datetime64[ns]"))
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
            last_gap = _gap(_bounds(last, end=True), _bounds(outcome), YEAR, "years")
    if first is not None and outcome is not None:
        first_gap = _gap(_bounds(first), _bounds(outcome), YEAR, "years")
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


def _display(value: object) -> str:
    if value is None:
        return "Not known"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def comparison_table(events: pd.DataFrame, cases: list[schema.Case]) -> pd.DataFrame:
    """The key measures side by side: one row per measure, one column per case (text, as displayed)."""
    figures = [key_figures(events, case) for case in cases]
    data = {"Measure": [label for label, _ in MEASURES]}
    for fig in figures:
        data[fig.name] = [_display(getattr(fig, attr)) for _, attr in MEASURES]
    return pd.DataFrame(data)
