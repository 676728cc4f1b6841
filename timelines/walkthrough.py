"""The trainer's walkthrough: a case one event at a time, without hindsight.

A step is an event of the case, in the order of the case's timeline. At step k (counted from 1) the
first k events are the past, drawn as usual, and the rest are the future, not drawn at all; what the
reviews later found about the current event is held back until the trainer reveals it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import schema
from .loading import Library
from .measures import case_rows


@dataclass(frozen=True)
class Step:
    """Where a walkthrough stands: the current event, what came before and what is still to come."""

    number: int  # 1-based
    total: int
    case: schema.Case
    event: schema.Event
    row: pd.Series  # the event's row of the event table
    past: tuple[str, ...]  # event ids up to and including the current one, in order
    future: tuple[str, ...]  # event ids still to come, in order

    @property
    def progress(self) -> float:
        return self.number / self.total

    @property
    def is_first(self) -> bool:
        return self.number == 1

    @property
    def is_last(self) -> bool:
        return self.number == self.total

    @property
    def earlier(self) -> tuple[str, ...]:
        """The events before the current one: what was known when it happened."""
        return self.past[:-1]


def order(library: Library, case_id: str) -> list[str]:
    """The case's event ids in timeline order (date window, then sequence)."""
    return list(case_rows(library.events, case_id)["event_id"])


def clamp(number: int, total: int) -> int:
    """A step number kept within 1..total."""
    return min(max(int(number), 1), max(total, 1))


def step(library: Library, case_id: str, number: int) -> Step:
    """Step ``number`` (1-based, clamped into range) of the case's walkthrough."""
    ids = order(library, case_id)
    if not ids:
        raise ValueError(f"case '{case_id}' has no events to walk through")
    number = clamp(number, len(ids))
    case = library.cases[case_id]
    by_id = {e.id: e for e in case.events}
    current = ids[number - 1]
    rows = case_rows(library.events, case_id)
    row = rows[rows["event_id"] == current].iloc[0]
    return Step(number=number, total=len(ids), case=case, event=by_id[current], row=row,
                past=tuple(ids[:number]), future=tuple(ids[number:]))


# --- the chart -------------------------------------------------------------------------------------

STILL_TO_COME = "Still to come in the walkthrough"
MIN_FRAME_YEARS = 1.0  # the chart shows at least a year, however close together the first events are


def _without_findings(case: schema.Case, keep: set[str]) -> schema.Case:
    """The case with review findings removed, except on the events in ``keep``."""
    events = [e if e.id in keep else e.model_copy(update={"findings": []}) for e in case.events]
    return case.model_copy(update={"events": events})


def past_rows(library: Library, at: Step) -> pd.DataFrame:
    """The rows of the events up to this step, each span cut at the current event's date."""
    rows = case_rows(library.events, at.case.id)
    rows = rows[rows["event_id"].isin(at.past)]
    now = at.row["latest"] if pd.notna(at.row["latest"]) else at.row["earliest"]
    if pd.isna(now):
        return rows
    open_span = rows["end_latest"].notna() & (rows["end_latest"] > now)
    if open_span.any():
        rows = rows.copy()
        rows.loc[open_span, "end_latest"] = now
        rows.loc[open_span, "end_text"] = "this step (still open)"
    return rows


def figure(library: Library, at: Step, *, reveal: bool = False, compact: bool = False):
    """The case's timeline at step ``at``: only what had happened by then, framed on those years.

    Nothing on the chart tells the room what is to come: events after this step are not drawn (no
    marker, lane, legend entry, label or hover of theirs), a span still open (time in Channel) is drawn
    only up to the current event, and the time axis ends soon after it. Review findings (rings, hover)
    are shown only once revealed, and then only for the past.
    """
    from . import figures
    from .measures import short_name

    rows = past_rows(library, at)
    shown = set(at.past) if reveal else set()
    rows = rows.assign(missed_opportunity=rows["missed_opportunity"] & rows["event_id"].isin(shown))
    fig = figures.case_timeline(
        rows, case=_without_findings(at.case, shown), show_context=False, selected=at.event.id,
        title=f"{short_name(at.case)}: step {at.number} of {at.total}",
        subtitle=(f"Now: {at.event.title} ({at.row['date_label']}). Only events up to this step are shown"
                  + ("; review findings shown." if reveal else "; review findings hidden until revealed.")),
        compact=compact, sources=library.sources,
    )
    lo = pd.to_datetime(rows["earliest"].fillna(rows["latest"])).min()
    hi = pd.concat([pd.to_datetime(rows[c]) for c in ("latest", "earliest", "end_latest")]).max()
    if pd.notna(lo) and pd.notna(hi):
        hi = max(hi, lo + pd.Timedelta(days=365.25 * MIN_FRAME_YEARS))
        pad = (hi - lo) * 0.06
        fig.layout.xaxis.range = [lo - pad, hi + pad]
        years = (hi - lo).days / 365.25
        if years <= 5:  # a short frame: ticks every three or six months, named, so the time still reads
            fig.layout.xaxis.update(dtick="M3" if years <= 2 else "M6", tickformat="%b %Y", tickangle=0)
    fig.layout.meta = {**fig.layout.meta, "step": at.number, "to_come": len(at.future)}
    return fig


def alt_text(at: Step, *, reveal: bool = False) -> str:
    """The step's chart for a reader who cannot see it: one wording for the walkthrough page and the deck."""
    return (f"Timeline of {at.case.title} at step {at.number} of {at.total}: the {at.number} events up to "
            f"'{at.event.title}' ({at.row['date_label']}) are drawn on their agencies' lanes; nothing after this "
            "step is drawn. " + ("The reviews' findings about these events are marked." if reveal
                                 else "No review finding is shown."))


def vertical_figure(library: Library, at: Step, *, reveal: bool = False):
    """The same step for a narrow screen: the events so far down the page (see :mod:`timelines.vertical`)."""
    from .measures import short_name
    from .vertical import vertical_timeline

    rows = past_rows(library, at)
    shown = set(at.past) if reveal else set()
    rows = rows.assign(missed_opportunity=rows["missed_opportunity"] & rows["event_id"].isin(shown))
    fig = vertical_timeline(
        rows, case=_without_findings(at.case, shown), show_context=False, selected=at.event.id,
        title=f"{short_name(at.case)}: step {at.number} of {at.total}",
        subtitle=f"Now: {at.event.title} ({at.row['date_label']}). Only events up to this step are shown.",
    )
    fig.layout.meta = {**fig.layout.meta, "step": at.number, "to_come": len(at.future)}
    return fig
