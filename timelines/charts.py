"""Every chart the project publishes, with its table: one catalogue for the site's downloads, the
image export, the static site and the decks, so all of them show the same charts the same way.

A chart is declared once, in :data:`CATALOGUE` (what it is, where the Streamlit site shows it) and in
:func:`case_charts` / :func:`overview_charts` (its figure and table); each :class:`Chart` carries its
active title, source line, alt text and speaker notes, so every surface describes it the same way."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import figures, gap_figures, gaps, statistics_figure, vertical
from .loading import Library
from .measures import case_rows

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
    subject: str = ""  # what the chart is about: the case's title, or the cases compared

    @property
    def name(self) -> str:
        """The file name stem: 'southport-timeline', 'all-cases-referrals'."""
        return f"{self.case_id or 'all-cases'}-{self.id}"

    @property
    def title(self) -> str:
        return (self.figure.layout.meta or {}).get("title", self.name)

    @property
    def subtitle(self) -> str:
        return (self.figure.layout.meta or {}).get("subtitle", "")

    @property
    def source(self) -> str:
        return (self.figure.layout.meta or {}).get("source", "")

    @property
    def entry(self) -> Entry:
        return CATALOGUE[self.id]

    @property
    def alt(self) -> str:
        """Alt text: what kind of chart it is, what it shows, and its message, in a few sentences."""
        return alt_text(self)

    @property
    def notes(self) -> str:
        """Speaker notes: the chart's message, then its data in words (a line per row of its table)."""
        return speaker_notes(self)


@dataclass(frozen=True)
class Entry:
    """One kind of chart in the catalogue: what it is, and where the Streamlit site shows it."""

    id: str
    scope: str  # "case" (one per case) or "across" (one for the cases together)
    what: str  # the kind of chart, as alt text begins: "A timeline with one lane per agency"
    page: str  # the Streamlit page that shows it (app.py's script path)
    lead: tuple[str, ...]  # table headings that open each line of the speaker notes
    opening: str = ""  # how the lead values read, e.g. "{0} ({1}) to {2} ({3})"; default: joined by commas
    phone_what: str = ""  # the kind of chart in its phone layout, where that differs from ``what``


CATALOGUE: dict[str, Entry] = {e.id: e for e in (
    Entry("timeline", "case", "A timeline chart with one horizontal lane per agency, time running left to right",
          "components/case_page.py", ("Date", "Event"),
          phone_what="A timeline running down the page, each event a labelled marker beside a central line, with "
                     "a short tag naming its agency"),
    Entry("intervals", "case", "A strip chart of the contacts with public services in time order, with the "
          "gaps between them drawn as bars", "components/gap_analysis_page.py", ("From", "Date", "To", "Date ", "Gap"),
          "From {0} ({1}) to {2} ({3}): {4}"),
    Entry("pathway", "case", "A chart of each referral against the expected Prevent and Channel pathway, one "
          "row per expected step", "components/gap_analysis_page.py", ("Referral", "Expected step", "What happened")),
    Entry("comparison", "across", "A chart of the cases on one time axis, each case's events placed in years "
          "before and after its attack", "components/compare_page.py", ("Case", "Date", "Event")),
    Entry("referrals", "across", "A step chart of the running count of referrals to Prevent in each case",
          "components/gap_analysis_page.py", ("Case", "Referral", "Date")),
    Entry("commitments", "across", "A chart of the government's commitments on Prevent, each drawn from the "
          "date it was made to its deadline", "components/gap_analysis_page.py", ("Commitment", "Status")),
    Entry("statistics", "across", "A bar chart of the national Prevent statistics by year ending March: referrals "
          "in one panel, adoptions to Channel in the other, with the years of each case's referrals marked",
          "components/sources_page.py", ("Year (April to March)",)),
)}


def blank(value: object) -> bool:
    """Is this table cell empty: missing (None, NA, NaT, NaN) or only spaces?"""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def table_lines(chart: Chart) -> list[str]:
    """Each row of the chart's table as one sentence: its lead columns, then 'heading: value' pairs."""
    lead = [c for c in chart.entry.lead if c in chart.table.columns]
    lines = []
    for _, row in chart.table.iterrows():
        values = [_value(row[c]).rstrip(".") for c in lead]
        if chart.entry.opening and len(lead) == len(chart.entry.lead) and not any(blank(row[c]) for c in lead):
            opening = chart.entry.opening.format(*values)
        else:
            opening = ", ".join(v for c, v in zip(lead, values, strict=True) if not blank(row[c]))
        rest = "; ".join(f"{c.strip()}: {_value(row[c]).rstrip('.')}" for c in chart.table.columns
                         if c not in lead and not blank(row[c]) and row[c] is not False)
        lines.append(f"{opening}." + (f" {rest}." if rest else ""))
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _summary(chart: Chart) -> str:
    """One sentence on the data itself, per kind of chart."""
    table, rows = chart.table, len(chart.table)
    if chart.id == "timeline":
        missed = int(table["Missed opportunity found"].fillna(False).astype(bool).sum()) \
            if "Missed opportunity found" in table else 0
        span = f", from {table['Date'].iloc[0]} to {table['Date'].iloc[-1]}" if rows else ""
        return (f"It shows {_count(rows, 'event')} of {chart.subject}{span}; {missed} of them carry a red ring "
                "marking a missed opportunity that a later review found. Colour gives the family of events (Prevent "
                "and Channel, other services, attack and courts, reviews and policy) and labels name the key "
                "events; hollow markers on hatched bands are dates known only to the month, year or a range.")
    if chart.id == "intervals":
        return (f"It shows {_count(rows, 'interval')} between the contacts of {chart.subject}; each bar is the "
                "time between two contacts, labelled with the range of days the dates allow.")
    if chart.id == "pathway":
        happened = int((table["What happened"] == "Happened").sum()) if "What happened" in table else 0
        return (f"It shows {_count(rows, 'expected step')} for {chart.subject}, {happened} of which happened; "
                "the others were skipped, cut short, late or a branch not taken, as marked on each row.")
    if chart.id == "comparison":
        align = (chart.figure.layout.meta or {}).get("align", "the attack")
        return f"It shows {_count(rows, 'event')} of {chart.subject}, aligned on {align} of each."
    if chart.id == "referrals":
        cases = table["Case"].nunique() if "Case" in table else 0
        return f"It shows {_count(rows, 'referral')} to Prevent across {_count(cases, 'case')}, counted in date order."
    if chart.id == "commitments":
        return f"It shows {_count(rows, 'commitment')}, each with its status as the sources report it."
    if chart.id == "statistics":
        return f"It shows {_count(rows, 'year')} of the Home Office's Prevent statistics."
    return f"It shows {_count(rows, 'row')} of data."


def alt_text(chart: Chart) -> str:
    """What the chart shows, for a reader who cannot see it: the kind of chart, its data and its message."""
    title = chart.title.rstrip(".")
    phone = (chart.figure.layout.meta or {}).get("compact") and chart.entry.phone_what
    return (f"{phone or chart.entry.what}. {_summary(chart)} Its message: {title}. "
            f"The same data is set out in words in the table with the chart (in a deck, in the speaker notes).")


def speaker_notes(chart: Chart) -> str:
    """The chart's message and explanation, then every row of its table in words, then its source."""
    parts = [chart.title + ".", chart.subtitle, _summary(chart), "", "The data in words:"]
    parts += [f"- {line}" for line in table_lines(chart)] or ["- (no rows)"]
    parts += ["", f"Source: {chart.source}"]
    return "\n".join(p for p in parts if p is not None)


def readable(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The named columns of ``frame``, renamed to headings a reader understands."""
    return frame[[c for c in columns if c in frame]].rename(columns=columns).reset_index(drop=True)


def source_labels(library: Library) -> dict[str, str]:
    """Each source as tables name it for readers: its publisher and date ('Home Office / GOV.UK (2025-02-12)')."""
    return {sid: f"{s.publisher} ({s.date})" for sid, s in library.sources.items()}


def event_table(events: pd.DataFrame, library: Library) -> pd.DataFrame:
    """The events as the table beside a timeline: date as written, title, kind, agency, sources."""
    publishers = source_labels(library)
    rows = events.assign(sources=events["source_ids"].map(lambda ids: "; ".join(publishers.get(i, i) for i in ids)))
    return readable(rows, EVENT_COLUMNS)


def interval_table(intervals: pd.DataFrame, events: pd.DataFrame, library: Library) -> pd.DataFrame:
    """The intervals as the table beside the strip chart, with the sources of the two events each joins."""
    publishers = source_labels(library)
    cited = dict(zip(events["event_id"], events["source_ids"], strict=True))

    def sources(row) -> str:
        ids = [*cited.get(row["from_event"], ()), *cited.get(row["to_event"], ())]
        return "; ".join(dict.fromkeys(publishers.get(i, i) for i in ids))

    rows = intervals.assign(sources=intervals.apply(sources, axis=1) if len(intervals) else "")
    return readable(rows, {**INTERVAL_COLUMNS, "sources": "Sources"})


def case_charts(library: Library, case_id: str, *, today: date, compact: bool = False,
                only: Collection[str] | None = None, contacts_only: bool = True) -> list[Chart]:
    """Every chart of one case: its timeline, the silences between contacts and the pathway.

    ``compact`` gives each chart's phone layout (at most about 400 px wide): the timeline runs down the
    page, and the other charts shorten their text; the tables are the same. ``only`` names the charts wanted
    (default: all); ``contacts_only=False`` measures the silences between every event, not only contacts."""
    return _case_figures(_CaseData.of(library, case_id, only, contacts_only), compact)


def case_chart_layouts(library: Library, case_id: str, *, today: date) -> tuple[list[Chart], list[Chart]]:
    """A case's charts in the desktop and the phone layouts, the analyses behind them worked out once."""
    data = _CaseData.of(library, case_id, None, True)
    return _case_figures(data, False), _case_figures(data, True)


_POSITIONS: list = []  # [an event table, {case id: the positions of its case rows}, the context rows' positions]


def _positions(events: pd.DataFrame) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Where each case's rows and the context rows are in the event table, found once per table (a build
    draws every case of one table: comparing each row of a 50,000-row table for each case adds up)."""
    if not _POSITIONS or _POSITIONS[0] is not events:
        layer, cases = events["layer"].to_numpy(dtype=object), events["case_id"].to_numpy(dtype=object)
        by_case: dict[str, list[int]] = {}
        for at in np.flatnonzero(layer == "case").tolist():
            by_case.setdefault(cases[at], []).append(at)
        _POSITIONS[:] = [events, {c: np.array(a, dtype="int64") for c, a in by_case.items()},
                         np.flatnonzero(layer == "context")]
    return _POSITIONS[1], _POSITIONS[2]


# The columns of a case's rows that its intervals and their strip chart read.
CONTACT_COLUMNS = ("case_id", "layer", "event_id", "sequence", "kind", "family", "title", "date_label", "earliest",
                   "latest", "source_ids")


@dataclass(frozen=True)
class _CaseData:
    """What a case's charts are drawn from: its rows, the silences between its contacts and its pathway."""

    library: Library
    case_id: str
    mine: pd.DataFrame
    with_context: pd.DataFrame | None  # None: no timeline wanted
    contacts: pd.DataFrame | None  # None: no intervals wanted, or fewer than two contacts
    intervals: pd.DataFrame | None
    conformance: pd.DataFrame | None  # None: no pathway wanted, or none to show
    contacts_only: bool

    @classmethod
    def of(cls, library: Library, case_id: str, only: Collection[str] | None, contacts_only: bool) -> _CaseData:
        want = (lambda _: True) if only is None else only.__contains__
        case, events = library.cases[case_id], library.events
        by_case, context = _positions(events)
        at = by_case.get(case_id, np.empty(0, dtype="int64"))
        mine = events.take(at)  # case_rows(events, case_id), found without comparing every row of the table
        with_context = events.take(np.concatenate([at, context])) if want("timeline") else None
        contacts = intervals = conformance = None
        if want("intervals"):  # only the columns the strip and its intervals read: fewer to copy when sorting
            contacts = gaps.case_events(mine[[c for c in CONTACT_COLUMNS if c in mine]], case_id)
            contacts = gaps.contacts(contacts) if contacts_only else contacts
            if len(contacts) >= 2:
                intervals = gaps.intervals(contacts)
            else:
                contacts = None
        if library.process and want("pathway"):
            one = {case_id: case}
            conformance = gaps.conformance(mine, library.process.steps, gaps.findings(one, source_labels(library)),
                                           gaps.event_steps(one))
            conformance = conformance if len(conformance) else None
        return cls(library, case_id, mine, with_context, contacts, intervals, conformance, contacts_only)


def _case_figures(data: _CaseData, compact: bool) -> list[Chart]:
    library, case_id, mine = data.library, data.case_id, data.mine
    case = library.cases[case_id]
    charts = []
    if data.with_context is not None:
        if compact:
            timeline = vertical.vertical_timeline(data.with_context, case=case, context=library.context)
        else:
            timeline = figures.case_timeline(data.with_context, case=case, context=library.context,
                                             sources=library.sources,
                                             intervals=data.intervals if data.contacts_only else None)
        charts.append(Chart("timeline", case_id, timeline, event_table(mine, library), case.title))
    if data.contacts is not None:
        contacts = data.contacts
        charts.append(Chart("intervals", case_id, gap_figures.interval_strip(
            contacts, data.intervals, case_title=case.title, contacts_only=data.contacts_only,
            source=figures.source_line((s for ids in contacts["source_ids"] for s in ids), library.sources),
            compact=compact),
            interval_table(data.intervals, mine, library), case.title))
    if data.conformance is not None:
        charts.append(Chart("pathway", case_id, gap_figures.pathway_steps(
            data.conformance, case_title=case.title, compact=compact),
                            readable(data.conformance, PATHWAY_COLUMNS), case.title))
    return charts


# Charts across cases stay readable up to this many cases; a larger library is compared a few at a time.
MAX_ACROSS = 8


def overview_charts(library: Library, *, today: date, compact: bool = False,
                    only: Collection[str] | None = None, align_on: str = "outcome",
                    selected: str | None = None) -> list[Chart]:
    """The charts across cases: the comparison, repeat referrals and the government's commitments.

    The first two are drawn only for a library of at most :data:`MAX_ACROSS` cases; ``only`` names the
    charts wanted (default: all). ``align_on`` and ``selected`` are the comparison's (the Compare page's
    choice of alignment and its chosen event).
    """
    events = library.events
    cases = list(library.cases.values()) if len(library.cases) <= MAX_ACROSS else []
    titles = {c.id: c.title for c in cases}
    charts = []
    together = " and ".join(c.title for c in cases)
    want = (lambda _: True) if only is None else only.__contains__
    if cases and want("comparison"):
        rows = case_rows(events)
        rows = rows[rows["case_id"].isin(titles)]
        charts.append(Chart("comparison", None, figures.comparison(events, cases=cases, sources=library.sources,
                                                                      compact=compact, align_on=align_on,
                                                                      selected=selected),
                            readable(rows.assign(case=rows["case_id"].map(titles)), COMPARISON_COLUMNS), together))
    if cases:
        refs = gaps.referrals(events)
        if len(refs) and want("referrals"):
            charts.append(Chart("referrals", None, gap_figures.cumulative_referrals(
                refs, case_titles=titles, compact=compact),
                                readable(refs.assign(case=refs["case_id"].map(titles)), REFERRAL_COLUMNS), together))
    if library.context and library.context.commitments and want("commitments"):
        judged = library.horizon or pd.Timestamp(today)  # deadlines are judged at the record's horizon
        tracker = gaps.commitments(library.context.commitments, judged, source_labels(library))
        charts.append(Chart("commitments", None, gap_figures.commitments_tracker(
            tracker, today=judged, compact=compact),
                            readable(tracker, COMMITMENT_COLUMNS), "the government's commitments"))
    if library.statistics and want("statistics"):
        marks = statistics_figure.referral_years(events, titles)
        charts.append(Chart("statistics", None, statistics_figure.statistics_chart(library.statistics, marks,
                                                                                      compact=compact),
                            statistics_figure.readable_table(
                                statistics_figure.statistics_table(library.statistics, marks)),
                            "Prevent referrals and Channel adoptions in England and Wales"))
    return charts


def all_charts(library: Library, *, today: date, case_ids: list[str] | None = None,
               on_case: Callable[[str], None] | None = None, compact: bool = False) -> Iterator[Chart]:
    """Every chart of every case, then the charts across cases (``compact``: their phone layouts)."""
    for case_id in case_ids if case_ids is not None else list(library.cases):
        if on_case:
            on_case(case_id)
        yield from case_charts(library, case_id, today=today, compact=compact)
    yield from overview_charts(library, today=today, compact=compact)
