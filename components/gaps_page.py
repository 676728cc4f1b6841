"""The gap analysis page: silences between contacts, the expected pathway, missed opportunities,
repeat referrals, what the record holds, and the government's commitments.

``render(library)`` draws the whole page from a loaded library; it reads no files. The chosen case
lives in the URL (``?case=southport``, with ``&scope=all`` for every event rather than contacts only),
so a view can be shared. Every chart has its table and a CSV download under it.

The charts come from the chart catalogue (:mod:`timelines.charts`), as on every other surface: the same
figure, alt text and table as the exports, the static site and the decks; each is drawn wide and compact,
and CSS shows the one that fits the width the page has (see components/a11y.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from components import a11y, plotly_view, state, widgets
from components.data import derived
from timelines import charts, gaps
from timelines.analysis.wording import short_name
from timelines.charts import readable
from timelines.theme import slug

CASE_PARAM = "case"
SCOPE_PARAM = "scope"
SCOPES = {"contacts": "Contacts with public services", "all": "Every recorded event"}


# --- tables as readers see them -------------------------------------------------------------------------

TIMING_COLUMNS = {"title": "Event", "date_label": "Date", "label": "Time to the attack",
                  "min_years": "Shortest (years)", "max_years": "Longest (years)"}
REGISTER_COLUMNS = {
    "event_title": "Event", "event_date": "Date", "finding": "Missed opportunity", "by": "Found by",
    "found": "Made public", "before_outcome": "Time to the attack", "sources": "Source",
}
COVERAGE_COLUMNS = {"measure": "What is counted", "stated": "Sources state", "recorded": "Recorded here",
                    "not_recorded": "Not yet recorded", "kinds": "Event kinds counted", "sources": "Source"}
PLANNED_COLUMNS = {"subject": "What", "source_title": "Account", "planned": "Planned", "delivered": "Held",
                   "shortfall": "Not held", "note": "Note"}
SUMMARY_COLUMNS = {
    "case": "Case", "referrals": "Referrals", "longest_silence": "Longest silence between contacts",
    "longest_silence_between": "Between", "last_contact_to_outcome": "Last Prevent contact to the attack",
    "missed_opportunities": "Missed opportunities found", "steps_missing": "Steps missing",
    "steps_skipped": "Steps skipped (closed first)", "steps_late": "Steps late",
}


def _csv(frame: pd.DataFrame) -> Callable[[], bytes]:
    return lambda: frame.to_csv(index=False).encode("utf-8")


CSV_LABEL = "Download this table (CSV)"


def _table_block(table: pd.DataFrame, *, key: str, filename: str, label: str = CSV_LABEL
                 ) -> None:
    if table.empty:
        st.caption("Nothing to show for this case.")
        return
    widgets.grid_or_records(table, key=f"{key}_table")
    _download(table, key=key, filename=filename, label=label)


def _download(table: pd.DataFrame, *, key: str, filename: str, label: str = CSV_LABEL) -> None:
    st.download_button(label, data=_csv(table), file_name=f"{slug(filename)}.csv", mime="text/csv",
                       key=f"{key}_csv", on_click="ignore")


def _glance(summary: pd.DataFrame) -> None:
    """The cases at a glance. On a phone, with a few cases, a measure a row and a case a column (as
    Compare's key measures), so that every figure is on the screen; a row a case would show only the
    cases' names, the figures off to the side of a grid scrolled sideways."""
    if a11y.narrow() and 0 < len(summary) <= charts.MAX_ACROSS:
        with a11y.width_variant("narrow", "gaps_summary_table"):
            names = summary.columns[0]
            turned = summary.set_index(names).T.rename_axis("Measure").rename_axis(None, axis=1)
            st.table(turned.map(widgets.cell_text))  # text: a case's column mixes counts and lengths of time
        _download(summary, key="gaps_summary", filename="gap-analysis-summary")
    else:
        _table_block(summary, key="gaps_summary", filename="gap-analysis-summary")


def _chart(wide: charts.Chart, narrow: Callable[[], charts.Chart], *, key: str, filename: str) -> None:
    """A catalogue chart drawn wide and compact (``narrow()`` makes the phone's), each with the catalogue's
    alt text and its downloads (modebar PNG or SVG, and the wide chart's slide images)."""
    def draw(compact: bool) -> None:
        chart = narrow() if compact else wide
        widgets.chart(chart.figure, key=f"{key}_chart{'_narrow' if compact else ''}", filename=filename,
                      slides=not compact, alt=chart.alt)

    a11y.both_widths(draw, key=key)


def _one(found: list[charts.Chart], chart_id: str) -> charts.Chart | None:
    return next((c for c in found if c.id == chart_id), None)


# --- kept between runs: the catalogue's charts of a view (see components.data.derived) -----------------

def _case_chart(library, case_id: str, chart_id: str, compact: bool, today: date, contacts_only: bool | None
                ) -> charts.Chart | None:
    options = {} if contacts_only is None else {"contacts_only": contacts_only}
    return _one(charts.case_charts(library, case_id, today=today, compact=compact, only={chart_id}, **options),
                chart_id)


def _across(library, chart_id: str, compact: bool, today: date) -> charts.Chart | None:
    return _one(charts.overview_charts(library, today=today, compact=compact, only={chart_id}), chart_id)


def _tables(library, case_id: str) -> dict[str, pd.DataFrame]:
    """The page's tables as readers see them, for one case (the summary covers every case)."""
    events, cases = library.events, library.cases
    outcome_ids = gaps.outcomes(cases)
    steps = library.process.steps if library.process else []
    timing = gaps.time_to_outcome(events, outcome_ids)
    names = charts.source_labels(library)
    register = gaps.missed_opportunities(events, gaps.findings(cases, names), outcome_ids)
    case = {case_id: cases[case_id]}
    return {
        "summary": readable(gaps.summary(events, cases, steps), SUMMARY_COLUMNS),
        "timing": readable(timing[timing["case_id"] == case_id], TIMING_COLUMNS),
        "register": readable(register[register["case_id"] == case_id], REGISTER_COLUMNS),
        "coverage": readable(gaps.coverage(events, case, names), COVERAGE_COLUMNS),
        "planned": readable(gaps.planned_delivered(case, {s: src.title for s, src in library.sources.items()}),
                            PLANNED_COLUMNS),
    }


# --- the URL ------------------------------------------------------------------------------------------

def _choice(param: str, options: list[str], default: str) -> str:
    """The option named in the URL, if it is one, else the default (with a warning for a bad value)."""
    return state.check_choice(param, options, what=f"the {param}", fallback=default) or default


def _keep_in_url(param: str, value: str, default: str | None = None) -> None:
    if value == default:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != value:
        st.query_params[param] = value


# --- the page -----------------------------------------------------------------------------------------

def render(library, *, today: date | None = None) -> None:
    """Draw the gap analysis page for ``library`` (a :class:`timelines.Library`)."""
    today = today or date.today()
    st.title("Gap analysis")
    st.markdown(
        "Where the reviews found chances were missed: the silences between contacts, the steps of the "
        "expected pathway that did not happen, and what was promised since. Dates are known to a year, "
        "a month or a day, so every length of time is given as a range: the shortest and the longest "
        "the dates allow."
    )
    cases = library.cases
    if not cases:
        st.info("No case has loaded, so there is nothing to analyse yet.")
        return
    ids = list(cases)
    events = library.events
    steps = library.process.steps if library.process else []
    titles = {cid: case.title for cid, case in cases.items()}

    st.header("Every case at a glance" if len(cases) > 1 else "The case at a glance")
    glance = st.container()  # filled after the first chart: the chart is sent first, the table stays above it

    st.header("One case in detail")
    case_id = st.selectbox("Case", ids, index=ids.index(_choice(CASE_PARAM, ids, ids[0])),
                           format_func=titles.get, key="gaps_case")
    _keep_in_url(CASE_PARAM, case_id)
    case = cases[case_id]
    short = short_name(case)
    tables = derived(_tables, library, case_id)

    # 1. intervals
    st.subheader("Silences between contacts")
    scope_ids = list(SCOPES)
    scope = st.radio("Intervals between", scope_ids, index=scope_ids.index(_choice(SCOPE_PARAM, scope_ids,
                     "contacts")), format_func=SCOPES.get, horizontal=True, key="gaps_scope")
    _keep_in_url(SCOPE_PARAM, scope, "contacts")

    def case_chart(chart_id: str, compact: bool, contacts_only: bool | None = None) -> charts.Chart | None:
        return derived(_case_chart, library, case_id, chart_id, compact, today, contacts_only)

    contacts_only = scope == "contacts"
    chart = case_chart("intervals", False, contacts_only=contacts_only)
    if chart is not None:
        _chart(chart, lambda: case_chart("intervals", True, contacts_only=contacts_only),
               key="gaps_intervals", filename=f"{short} gaps")
    else:
        rows = gaps.case_events(events, case_id)
        rows = gaps.contacts(rows) if contacts_only else rows
        what = "contact with public services" if contacts_only else "event"
        st.info(f"{'Only one' if len(rows) else 'No'} {what} is recorded for this case, so there is no "
                "interval to show.")

    with glance:
        _glance(tables["summary"])
    if not plotly_view.after_first_chart("gaps"):
        return
    if chart is not None:
        _table_block(chart.table, key="gaps_intervals", filename=f"{short} intervals")

    st.markdown("**How long before the attack each event came**")
    _table_block(tables["timing"], key="gaps_timing", filename=f"{short} time to the attack")

    # 2. the pathway
    st.subheader("The expected pathway against what happened")
    if steps:
        chart = case_chart("pathway", False)
        if chart is not None:
            _chart(chart, lambda: case_chart("pathway", True), key="gaps_pathway", filename=f"{short} pathway")
            _table_block(chart.table, key="gaps_pathway", filename=f"{short} pathway")
        else:
            st.info(f"No {steps[0].title.lower()} is recorded for this case, so there is no pathway to compare.")
        st.caption(" · ".join(f"**{s.label}**: {s.meaning}" for s in gaps.STATUSES))
    else:
        st.info("data/process.yaml has not loaded, so the expected pathway cannot be shown.")

    # 3. the register
    st.subheader("Missed opportunities")
    _table_block(tables["register"], key="gaps_register", filename=f"{short} missed opportunities")

    # 4. what the record holds, and planned against delivered
    st.subheader("What the record holds")
    _table_block(tables["coverage"], key="gaps_coverage", filename=f"{short} record coverage")
    if len(tables["planned"]):
        st.markdown("**Planned against delivered, under each source's account**")
        _table_block(tables["planned"], key="gaps_planned", filename=f"{short} planned delivered")

    # 5. repeat referrals (both cases)
    st.header("Repeat referrals")

    def across(chart_id: str, compact: bool) -> charts.Chart | None:
        return derived(_across, library, chart_id, compact, today)

    chart = across("referrals", False)
    if chart is not None:
        _chart(chart, lambda: across("referrals", True), key="gaps_referrals", filename="referrals to prevent")
        _table_block(chart.table, key="gaps_referrals", filename="referrals to prevent")
    elif len(cases) > charts.MAX_ACROSS:
        st.info(f"The chart across cases is drawn for at most {charts.MAX_ACROSS} cases; the summary table at "
                "the top of the page gives each case's referrals.")

    # 6. commitments
    st.header("What the government promised")
    commitments = library.context.commitments if library.context else []
    if commitments:
        judged = library.horizon or pd.Timestamp(today)  # judged at the record's horizon, not today
        chart = across("commitments", False)
        _chart(chart, lambda: across("commitments", True), key="gaps_commitments", filename="prevent commitments")
        _table_block(chart.table, key="gaps_commitments", filename="prevent commitments")
        st.caption(f"Status judged at the horizon, {judged:%-d %B %Y}: the latest date of the sources. A passed"
                   " deadline with no source "
                   "reporting delivery is said to have passed, not to have been missed.")
    else:
        st.info("No government commitments are recorded in data/context.yaml.")
