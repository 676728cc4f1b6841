"""Every chart the project publishes, with its table: one catalogue for the site's downloads, the
image export and the static site, so all three show the same charts the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from . import figures, gap_figures, gaps
from .loading import Library

# Reader-facing column names for each table (the text alternative beside each chart).
EVENT_COLUMNS = {"date_label": "Date", "title": "Event", "kind_label": "Kind", "agency_label": "Agency",
                 "age": "Age", "missed_opportunity": "Missed opportunity found", "sources": "Sources"}
INTERVAL_COLUMNS = {"from_title": "From", "from_date": "Date", "to_title": "To", "to_date": "Date ",
                    "label": "Gap", "min_days": "Shortest (days)", "max_days": "Longest (days)"}
PATHWAY_COLUMNS = {"episode_label": "Referral", "step": "Step", "step_title": "Expected step",
                   "status_label": "What happened", "event_title": "Event", "date_label": "Date",
                   "after_previous": "Timing", "note": "Note", "finding": "Review finding",
                   "finding_by": "Found by", "finding_date": "Made public", "finding_sources": "Source"}
REFERRAL_COLUMNS = {"case": "Case", "count": "Referral", "title": "Event", "date_label": "Date", "age": "Age",
                    "since_previous": "Since the previous referral"}
COMMITMENT_COLUMNS = {"promise": "Commitment", "made": "Made", "due": "Deadline", "status": "Status",
                      "sources": "Source", "delivery_sources": "Source on delivery"}
COMPARISON_COLUMNS = {"case": "Case", "date_label": "Date", "title": "Event", "kind_label": "Kind",
                      "agency_label": "Agency"}


@dataclass(frozen=True)
class Chart:
    """A chart, its table, and the names it goes by."""

    id: str  # timeline, intervals, pathway, referrals, commitments, comparison
    case_id: str | None  # None for charts across cases
    figure: go.Figure
    table: pd.DataFrame

    @property
    def name(self) -> str:
        """The file name stem: 'southport-timeline', 'all-cases-referrals'."""
        return f"{self.case_id or 'all-cases'}-{self.id}"

    @property
    def title(self) -> str:
        return (self.figure.layout.meta or {}).get("title", self.name)


def readable(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The named columns of ``frame``, renamed to headings a reader understands."""
    return frame[[c for c in columns if c in frame]].rename(columns=columns).reset_index(drop=True)


def event_table(events: pd.DataFrame, library: Library) -> pd.DataFrame:
    """The events as the table beside a timeline: date as written, title, kind, agency, sources."""
    publishers = {sid: f"{s.publisher} ({s.date})" for sid, s in library.sources.items()}
    rows = events.assign(sources=events["source_ids"].map(lambda ids: "; ".join(publishers.get(i, i) for i in ids)))
    return readable(rows, EVENT_COLUMNS)


def case_charts(library: Library, case_id: str, *, today: date) -> list[Chart]:
    """Every chart of one case: its timeline, the silences between contacts and the pathway."""
    case = library.cases[case_id]
    events = library.events
    mine = events[(events["case_id"] == case_id) & (events["layer"] == "case")]
    with_context = pd.concat([mine, events[events["layer"] == "context"]])
    charts = [Chart("timeline", case_id, figures.case_timeline(with_context, case=case, context=library.context,
                                                                sources=library.sources),
                    event_table(mine, library))]
    contacts = gaps.contacts(gaps.case_events(mine, case_id))
    if len(contacts) >= 2:
        intervals = gaps.intervals(contacts)
        charts.append(Chart("intervals", case_id, gap_figures.interval_strip(
            contacts, intervals, case_title=case.title, contacts_only=True,
            source=figures.source_line((s for ids in contacts["source_ids"] for s in ids), library.sources)),
            readable(intervals, INTERVAL_COLUMNS)))
    if library.process:
        only = {case_id: case}
        conformance = gaps.conformance(mine, library.process.steps, gaps.findings(only), gaps.event_steps(only))
        if len(conformance):
            charts.append(Chart("pathway", case_id, gap_figures.pathway_steps(conformance, case_title=case.title),
                                readable(conformance, PATHWAY_COLUMNS)))
    return charts


# Charts across cases stay readable up to this many cases; a larger library is compared a few at a time.
MAX_ACROSS = 8


def overview_charts(library: Library, *, today: date) -> list[Chart]:
    """The charts across cases: the comparison, repeat referrals and the government's commitments.

    The first two are drawn only for a library of at most :data:`MAX_ACROSS` cases.
    """
    events = library.events
    cases = list(library.cases.values()) if len(library.cases) <= MAX_ACROSS else []
    titles = {c.id: c.title for c in cases}
    charts = []
    if cases:
        rows = events[events["case_id"].isin(titles) & (events["layer"] == "case")]
        charts.append(Chart("comparison", None, figures.comparison(events, cases=cases, sources=library.sources),
                            readable(rows.assign(case=rows["case_id"].map(titles)), COMPARISON_COLUMNS)))
        refs = gaps.referrals(events)
        if len(refs):
            charts.append(Chart("referrals", None, gap_figures.cumulative_referrals(refs, case_titles=titles),
                                readable(refs.assign(case=refs["case_id"].map(titles)), REFERRAL_COLUMNS)))
    if library.context and library.context.commitments:
        tracker = gaps.commitments(library.context.commitments, today)
        charts.append(Chart("commitments", None, gap_figures.commitments_tracker(tracker, today=pd.Timestamp(today)),
                            readable(tracker, COMMITMENT_COLUMNS)))
    return charts


def all_charts(library: Library, *, today: date, case_ids: list[str] | None = None,
               on_case: Callable[[str], None] | None = None) -> Iterator[Chart]:
    """Every chart of every case, then the charts across cases."""
    for case_id in case_ids if case_ids is not None else list(library.cases):
        if on_case:
            on_case(case_id)
        yield from case_charts(library, case_id, today=today)
    yield from overview_charts(library, today=today)
