"""The case timeline: one case as a swimlane chart, filters, the clicked event's detail, and the table.

Everything a reader chooses lives in the URL, so a link restores the view exactly:
``?case=southport&kind=referral&agency=ctp_prevent&years=2019&years=2021&context=false&event=attack``.
"""

from __future__ import annotations

import streamlit as st

from components import a11y, print_css, state, widgets
from components.case_view import build_view, page_index
from components.data import derived, library, show_problems
from timelines import Library
from timelines.measures import short_name
from timelines.vocab import AGENCY_BY_ID, KIND_BY_ID

CHART_KEY = "timeline"
PHONE_CHART_KEY = "timeline_narrow"  # the vertical timeline shown on narrow screens (see a11y.both_widths)
FILTERS = "filters"  # the filter box, open or closed
TAPPED = "_case_tapped"  # an event just tapped on the vertical timeline: its detail opens where the reader is
MAX_CHOICES = 500  # events offered in the event chooser at once; above this, a search narrows them first
CASE, KIND, AGENCY, YEARS, CONTEXT, EVENT, TABLE = "case", "kind", "agency", "years", "context", "event", "table"
FIND = "_find_event"  # the words that narrow a long case's event chooser
KEPT = {KIND: "_kind", AGENCY: "_agency", YEARS: "_years"}  # the filters' values, kept while their box is closed


def _keep(key: str) -> None:
    """A filter changed: keep its value where it outlives the widget (the box may close)."""
    st.session_state[KEPT[key]] = st.session_state[key]


def _clear_event() -> None:
    st.session_state[EVENT] = None


def _pick_clicked_event() -> None:
    """A click on the chart selects that event (its key is the point's customdata)."""
    key = widgets.selected_key(CHART_KEY)
    if key:
        st.session_state[EVENT] = key


def _pick_tapped_event() -> None:
    """A tap on the vertical timeline selects the event and opens its detail over the chart."""
    key = widgets.selected_key(PHONE_CHART_KEY)
    if key:
        st.session_state[EVENT] = key
        st.session_state[TAPPED] = key


@st.dialog("Event detail", width="large")
def _detail_dialog(lib: Library, case_id: str, key: str) -> None:
    event = widgets.find_event(lib, case_id, key)
    if event is not None:
        widgets.event_detail(event, lib, context=key.startswith("context:"))
    st.caption("Close this box (the cross, or Esc) to return to the timeline where you were.")


def render(lib: Library) -> None:
    st.title("Case timeline")
    show_problems(lib)
    if not lib.cases:
        st.info("No case has loaded yet, so there is no timeline to show.")
        return
    index = derived(page_index, lib)
    ids, kinds_used, agencies_used = index.ids, index.kinds, index.agencies
    lowest, highest = index.years

    # What the link asked for: checked (with a warning for anything unusable), then given to the widgets.
    state.choose_case(CASE, CASE, lib.cases)
    state.seed(KEPT[KIND], state.check_many(KIND, kinds_used, what="event kinds"))
    state.seed(KEPT[AGENCY], state.check_many(AGENCY, agencies_used, what="agencies"))
    state.seed(KEPT[YEARS], state.check_year_range(YEARS, lowest, highest) or (lowest, highest))
    context_flag = state.check_flag(CONTEXT, what="the policy context")
    state.seed(CONTEXT, True if context_flag is None else context_flag)

    # Every choice is in session state before any widget is drawn, so the chart is sent first (it is the
    # slowest element to draw in the browser) and the controls, though shown above it, are sent after it.
    case_id = st.session_state[CASE]
    case_keys, context_keys = index.case_keys[case_id], index.context_keys
    state.seed(EVENT, state.check_choice(EVENT, case_keys + context_keys, what="the event"))
    if st.session_state.get(EVENT) not in (*case_keys, *context_keys):
        st.session_state[EVENT] = None  # nothing chosen, or an event of another case left from before
    controls = st.container()
    kinds, agencies = list(st.session_state[KEPT[KIND]]), list(st.session_state[KEPT[AGENCY]])
    years = tuple(sorted(st.session_state[KEPT[YEARS]]))
    show_context, selected = bool(st.session_state[CONTEXT]), st.session_state[EVENT]
    case = lib.cases[case_id]
    a11y.set_title("Case timeline: " + short_name(case))
    view = derived(build_view, lib, case_id, tuple(kinds), tuple(agencies), years, show_context, selected)
    st.markdown(f"{widgets.md(case.summary)}\n\n**{view.count}.**")  # one element: each costs every run
    alt = view.alt  # the chart catalogue's alt text (timelines.charts), for the events in view
    # Wide screens get the swimlane chart; narrow ones (a phone, or a desktop zoomed to 200%) the same
    # events down the page. Only the one this width needs is sent (see a11y.layout; CSS hides a variant
    # that does not fit until the browser's width probe has the right one sent).
    name = f"{short_name(case)} prevent timeline"
    if view.vertical is None:  # too many events to list down a phone: the swimlane chart at every width
        if a11y.narrow():
            with a11y.width_variant("narrow", f"{CHART_KEY}_many"):
                st.info(f"This view holds {len(view.table):,} events, too many to list down a narrow screen. "
                        "Choose fewer kinds, agencies or years under 'Filter by kind, agency and date' (below "
                        "the chart) to read them as a list; the chart below shows them all.")
        widgets.chart(view.figure, key=CHART_KEY, filename=name, alt=alt, on_select=_pick_clicked_event)
    elif a11y.narrow():
        with a11y.width_variant("narrow", CHART_KEY):
            widgets.chart(view.vertical, key=PHONE_CHART_KEY, filename=name, alt=view.phone_alt,
                          on_select=_pick_tapped_event, slides=False)
    else:
        with a11y.width_variant("wide", CHART_KEY):
            widgets.chart(view.figure, key=CHART_KEY, filename=name, alt=alt, on_select=_pick_clicked_event)
    filters = st.container()  # the filters sit under the chart, so that a phone reaches the chart first
    tapped = st.session_state.pop(TAPPED, None)
    if tapped and tapped == selected:
        _detail_dialog(lib, case_id, tapped)

    with controls:
        top = st.columns([3, 2], vertical_alignment="bottom")
        top[0].selectbox("Case", ids, format_func=lambda c: lib.cases[c].title, key=CASE, on_change=_clear_event)
        top[1].toggle("Show the national policy and oversight context", key=CONTEXT)
    with filters:
        filtered = bool(kinds or agencies) or years != (lowest, highest)
        # The filters are built only when open (a closed box sends no widget, so the first screen loads no
        # multiselect or slider code); the URL keeps their values meanwhile, and seeds them when it reopens.
        with st.expander("Filter by kind, agency and date", expanded=filtered, key=FILTERS,
                         on_change="rerun") as box:
            if box.open:
                for key, kept in KEPT.items():  # each widget starts from the kept value
                    st.session_state[key] = st.session_state[kept]
                cols = st.columns(2)
                cols[0].multiselect("Kinds of event (none chosen: all)", kinds_used, key=KIND, on_change=_keep,
                                    args=(KIND,), format_func=lambda k: KIND_BY_ID[k].label, placeholder="All kinds")
                cols[1].multiselect("Agencies (none chosen: all)", agencies_used, key=AGENCY, on_change=_keep,
                                    args=(AGENCY,), format_func=lambda a: AGENCY_BY_ID[a].label,
                                    placeholder="All agencies")
                if lowest < highest:  # every event in one year: nothing to narrow, and a slider needs a range
                    st.slider("Years", lowest, highest, key=YEARS, on_change=_keep, args=(YEARS,))

    st.header("Event detail")
    options = [k for k in case_keys + (context_keys if show_context else [])]
    if selected and selected not in options:
        options.append(selected)
    labels = index.labels[case_id]
    if len(options) <= MAX_CHOICES:
        chosen = st.selectbox("Choose an event, or click one on the chart", options, key=EVENT,
                              format_func=lambda k: labels.get(k, k), placeholder="No event chosen")
    else:  # a list of thousands is megabytes sent on every run, and no one scrolls it: a search narrows it
        words = st.text_input(f"Find an event among {len(options):,}: words from its title, or its date "
                              "(for example March 2016)", key=FIND).strip().casefold()
        matches = [k for k in options if words and words in labels.get(k, k).casefold()]
        shown = matches[:MAX_CHOICES]
        if selected and selected not in shown:
            shown.insert(0, selected)  # the event chosen on the chart or by the link stays chosen
        found = (f"{len(matches):,} found" + (f", the first {MAX_CHOICES} listed" if len(matches) > MAX_CHOICES
                                              else "")) if words else "type above to list events"
        chosen = st.selectbox(f"Choose an event ({found}), or click one on the chart", shown, key=EVENT,
                              format_func=lambda k: labels.get(k, k), placeholder="No event chosen")
    if chosen:
        event = widgets.find_event(lib, case_id, chosen)
        if event is not None:
            widgets.event_detail(event, lib, context=chosen.startswith("context:"))
    else:
        st.caption("Tap or click a marker on the chart (or choose above) to read what happened, what the "
                   "reviews found, and every source.")

    widgets.table_section(lambda: view.table, key=TABLE, filename=f"{short_name(case)} events",
                          n_rows=len(view.table),
                          caption="The same events as the chart, under the same filters. Select a column "
                                  "heading to sort.")
    # A4 print: no controls, the chart fitted, the table in full
    print_css.inject(view.table, lib=lib, block=view.printed)
    state.sync({CASE: case_id, KIND: kinds, AGENCY: agencies, YEARS: years, CONTEXT: show_context, EVENT: chosen,
                TABLE: "open" if st.session_state.get(TABLE) else None},
               {CASE: ids[0], KIND: [], AGENCY: [], YEARS: (lowest, highest), CONTEXT: True, EVENT: None,
                TABLE: None})


if __name__ == "__main__":
    render(library())
