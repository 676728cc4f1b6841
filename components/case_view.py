"""The case page's view of a library, computed once per library and choice and kept between runs (see
``components.data.derived``): what the page needs to know before drawing (:func:`page_index`), and one
view of a case (:func:`build_view`): its charts, its table, its printed table and the count shown.

Kept apart from ``case_page.py`` because Streamlit runs a page's file from the top on every rerun: code
here is defined once per process, not once per run.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from components import print_css, widgets
from components.data import derived
from timelines import Library, charts
from timelines.figures import case_timeline, event_key, filter_events
from timelines.vertical import vertical_timeline
from timelines.vocab import AGENCIES, KINDS

PHONE_MAX_EVENTS = 500  # above this many events in view, no vertical timeline (a phone gets the wide chart)


@dataclass(frozen=True)
class PageIndex:
    """What the page needs to know about a library before drawing anything (computed once per library)."""

    ids: list[str]
    kinds: list[str]  # kinds in use, in the vocabulary's order
    agencies: list[str]
    years: tuple[int, int]  # every year any event touches
    case_keys: dict[str, list[str]]
    context_keys: list[str]
    labels: dict[str, dict[str, str]]  # case id -> event key -> 'date: title' (context events included)
    totals: dict[str, int]  # case id (or 'context') -> number of events


def page_index(lib: Library) -> PageIndex:
    events = lib.events
    dates = events[["earliest", "latest"]].stack()
    years = (int(dates.min().year), int(dates.max().year)) if len(dates) else (2010, 2025)
    labels: dict[str, dict[str, str]] = {cid: {} for cid in lib.cases}
    context_labels: dict[str, str] = {}
    columns = (events["case_id"], events["layer"], events["event_id"], events["date_label"], events["title"])
    for case_id, layer, event_id, date, title in zip(*columns, strict=True):
        if layer == "context":
            context_labels[event_key(event_id, layer=layer)] = f"Context: {date}: {title}"
        elif case_id in labels:
            labels[case_id][event_key(event_id)] = f"{date}: {title}"
    for case_labels in labels.values():
        case_labels.update(context_labels)
    return PageIndex(
        ids=list(lib.cases),
        kinds=[k.id for k in KINDS if k.id in set(events["kind"])],
        agencies=[a.id for a in AGENCIES if a.id in set(events["agency"])],
        years=years,
        case_keys={cid: [event_key(e.id) for e in case.events] for cid, case in lib.cases.items()},
        context_keys=[event_key(e.id, layer="context") for e in (lib.context.events if lib.context else [])],
        labels=labels,
        totals=events["case_id"].value_counts().to_dict(),
    )


@dataclass(frozen=True)
class View:
    """One view of a case: its chart, its table and the count of what is shown."""

    figure: go.Figure
    vertical: go.Figure | None  # the same events down the page, for a narrow screen (None: too many events)
    table: pd.DataFrame
    count: str
    printed: str  # the table's HTML for print (print_css)
    alt: str = ""  # the catalogue's alt text for the chart (timelines.charts), of the events in view
    phone_alt: str = ""  # the same for the chart down the page


def build_view(lib: Library, case_id: str, kinds: tuple[str, ...], agencies: tuple[str, ...],
               years: tuple[int, int], show_context: bool, selected: str | None) -> View:
    index = derived(page_index, lib)
    everything = years == index.years
    rows = filter_events(lib.events, case_id=case_id, kinds=kinds, agencies=agencies,
                         years=None if everything else years, show_context=show_context)
    n_case = int((rows["layer"] == "case").sum())
    count = f"Showing {n_case} of {index.totals.get(case_id, 0)} events"
    if show_context:
        n_context = len(rows) - n_case
        count += f", and {n_context} of {index.totals.get('context', 0)} national policy and oversight events"
    figure = case_timeline(rows, case=lib.cases[case_id], context=lib.context, show_context=show_context,
                           selected=selected)
    vertical = None
    if len(rows) <= PHONE_MAX_EVENTS:  # thousands of events down a phone's screen: megabytes no one scrolls
        vertical = vertical_timeline(rows, case=lib.cases[case_id], context=lib.context,
                                     show_context=show_context, selected=selected)
    table = widgets.events_table(rows, lib)
    case = lib.cases[case_id]
    described = charts.event_table(rows[rows["layer"] == "case"], lib)  # what the catalogue's alt text counts
    alt, phone_alt = (charts.Chart("timeline", case_id, fig, described, case.title).alt if fig is not None else ""
                      for fig in (figure, vertical))
    return View(figure=figure, vertical=vertical, table=table, count=count,
                printed=print_css.printed_table(table, lib=lib), alt=alt, phone_alt=phone_alt)
