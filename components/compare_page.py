"""Compare: both cases on one chart, aligned on the attack or on the first referral, with the key
measures side by side. The alignment and the chosen event live in the URL (``?align=first_referral``)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from components import a11y, plotly_view, state, widgets
from components.data import derived, library, show_problems
from timelines import Library
from timelines.analysis.wording import short_name
from timelines.charts import MAX_ACROSS, overview_charts
from timelines.measures import ALIGNMENTS, YEAR, anchor, comparison_table

CHART_KEY = "comparison"
NARROW_KEY = "comparison_narrow"
ALIGN, SELECTED, TABLE = "align", "selected", "table"
ALIGN_LABELS = {"outcome": "The attack", "first_referral": "The first referral to Prevent"}


def _pick_clicked_event(chart_key: str = CHART_KEY) -> None:
    key = widgets.selected_key(chart_key)
    if key:
        st.session_state[SELECTED] = key


def _comparison(lib: Library, compact: bool, align: str, selected: str | None, today: date):
    """The catalogue's comparison chart for this view (None above MAX_ACROSS cases), kept between runs."""
    found = [c for c in overview_charts(lib, today=today, compact=compact, align_on=align, selected=selected,
                                        only={"comparison"}) if c.id == "comparison"]
    return found[0] if found else None


def _measures(lib: Library) -> pd.DataFrame:
    return comparison_table(lib.events, list(lib.cases.values())).set_index("Measure")


def render(lib: Library) -> None:
    st.title("Compare the cases")
    show_problems(lib)
    cases = list(lib.cases.values())
    if not cases:
        st.info("No case has loaded yet, so there is nothing to compare.")
        return
    st.markdown("Both cases on one time scale: years before and after the event they are lined up on.")
    state.seed(ALIGN, state.check_choice(ALIGN, list(ALIGNMENTS), what="an alignment", fallback="the attack")
               or "outcome")
    align = st.radio("Line the cases up on", list(ALIGNMENTS), format_func=ALIGN_LABELS.get, horizontal=True,
                     key=ALIGN)
    keys = {f"{c.id}:{e.id}": (c, e) for c in cases for e in c.events}
    state.seed(SELECTED, state.check_choice(SELECTED, list(keys), what="the event"))
    if st.session_state.get(SELECTED) not in keys:
        st.session_state[SELECTED] = None
    selected = st.session_state[SELECTED]

    def draw(compact: bool) -> None:
        # the catalogue's chart (timelines/charts.py): the same figure and alt text as the exports and decks
        chart = derived(_comparison, lib, compact, align, selected, date.today())
        if chart is None:
            st.info(f"Compare draws at most {MAX_ACROSS} cases on one chart; this library has {len(cases)}.")
            return
        chart_key = NARROW_KEY if compact else CHART_KEY
        widgets.chart(chart.figure, key=chart_key,
                      filename=f"prevent cases aligned on {ALIGNMENTS[align]}", alt=chart.alt,
                      on_select=lambda: _pick_clicked_event(chart_key), slides=not compact)

    a11y.both_widths(draw, key=CHART_KEY)
    if not plotly_view.after_first_chart("compare"):
        return
    st.header("Event detail")

    names = {c.id: short_name(c) for c in cases}
    chosen = st.selectbox("Choose an event, or click one on the chart", list(keys), key=SELECTED,
                          placeholder="No event chosen",
                          format_func=lambda k: f"{names[keys[k][0].id]}: {keys[k][1].title}")
    if chosen:
        _, event = keys[chosen]
        widgets.event_detail(event, lib)

    st.header("The key measures side by side")
    st.table(derived(_measures, lib))
    st.caption("Ranges come from dates known only to the month or year: the shortest and the longest "
               "time the dates allow.")

    rows = lib.events[lib.events["layer"] == "case"]

    def table() -> pd.DataFrame:
        events = widgets.events_table(rows, lib, case_names=names)
        zero = rows["case_id"].map({c.id: anchor(lib.events, c, align) for c in cases}).astype("datetime64[ns]")
        lo = rows["earliest"].fillna(rows["latest"]).astype("datetime64[ns]")
        hi = rows["latest"].fillna(rows["earliest"]).astype("datetime64[ns]")
        events.insert(2, f"Years from {ALIGNMENTS[align]}", ((lo + (hi - lo) / 2 - zero) / YEAR).round(1).to_numpy())
        return events

    widgets.table_section(table, key=TABLE, filename=f"prevent cases aligned on {align}", n_rows=len(rows),
                          caption="Negative years are before the alignment event, positive after.")
    state.sync({ALIGN: align, SELECTED: chosen, TABLE: "open" if st.session_state.get(TABLE) else None},
               {ALIGN: "outcome", SELECTED: None, TABLE: None})


if __name__ == "__main__":
    render(library())
