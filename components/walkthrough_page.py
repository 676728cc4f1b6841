"""The trainer's walkthrough: a case one event at a time, without hindsight.

The chart shows what had happened so far and dims what was still to come; the panel shows the current
event (what was known, what was decided) and a question for the room; what the reviews later found
stays hidden until the trainer reveals it. The step lives in the URL, so links can be prepared in
advance: ``?case=amess&step=6&reveal=true&present=true``. Keyboard: the right and left arrow keys
step forward and back, F reveals the findings.
"""

from __future__ import annotations

import streamlit as st

from components import packs, state, widgets
from components.data import library, show_problems
from timelines import Library, walkthrough
from timelines.measures import short_name

CASE, STEP, REVEAL, PRESENT = "case", "step", "reveal", "present"
# Session keys apart from the other pages' (which also use 'case').
K_CASE, K_STEP, K_REVEAL, K_PRESENT = "wt_case", "wt_step", "wt_reveal", "wt_present"
CHART_KEY = "wt_chart"

PRESENTER_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1rem; max-width: 100%; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.45rem; line-height: 1.45; }
[data-testid="stMarkdownContainer"] h1 { font-size: 2.6rem; }
[data-testid="stMarkdownContainer"] h3, [data-testid="stMarkdownContainer"] h4 { font-size: 1.8rem; }
button p { font-size: 1.3rem !important; }
</style>
"""


def _check_step(total: int) -> int | None:
    values = state.raw(STEP)
    if not values:
        return None
    try:
        number = int(values[0])
    except ValueError:
        st.warning(f"The link's step {state.shown(values[0])} is not a number; starting at step 1.",
                   icon=":material/link_off:")
        return None
    if not 1 <= number <= total:
        kept = walkthrough.clamp(number, total)
        st.info(f"This case has {total} steps; the link's step {number} is shown as step {kept}.",
                icon=":material/info:")
        return kept
    return number


def _move(by: int, steps: range) -> None:
    st.session_state[K_STEP] = min(max(st.session_state[K_STEP] + by, steps.start), steps[-1])
    st.session_state[K_REVEAL] = False


def _new_case() -> None:
    st.session_state[K_STEP] = 1
    st.session_state[K_REVEAL] = False


def _toggle_reveal() -> None:
    st.session_state[K_REVEAL] = not st.session_state.get(K_REVEAL, False)


def render(lib: Library) -> None:
    show_problems(lib)
    ids = list(lib.cases)
    if not ids:
        st.title("Walkthrough for trainers")
        st.info("No case has loaded yet, so there is nothing to walk through.")
        return
    case_id = state.choose_case(K_CASE, CASE, lib.cases)
    total = len(walkthrough.order(lib, case_id))
    state.seed(K_STEP, _check_step(total) or 1)
    state.seed(K_REVEAL, bool(state.check_flag(REVEAL, what="showing the findings")))
    state.seed(K_PRESENT, bool(state.check_flag(PRESENT, what="the presenter view")))
    steps = packs.steps_from_url(lib, case_id)  # ?steps=1-8: a session that covers only some steps
    st.session_state[K_STEP] = min(max(walkthrough.clamp(st.session_state[K_STEP], total), steps.start), steps[-1])
    present = bool(st.session_state[K_PRESENT])
    if present:
        st.html(PRESENTER_CSS)

    case = lib.cases[case_id]
    at = walkthrough.step(lib, case_id, st.session_state[K_STEP])
    reveal = bool(st.session_state[K_REVEAL])

    st.title(f"{widgets.md(short_name(case))}: step {at.number} of {at.total}" if present
             else "Walkthrough for trainers")
    if not present:
        st.markdown("Step through a case one event at a time, as it happened: the chart shows what had "
                    "happened so far and dims what was still to come. What the reviews later found stays "
                    "hidden until you reveal it. Keyboard: **→** next, **←** previous, **F** findings.")
        top = st.columns([3, 2], vertical_alignment="bottom")
        top[0].selectbox("Case", ids, format_func=lambda c: lib.cases[c].title, key=K_CASE, on_change=_new_case)
        top[1].toggle("Presenter view (large type, no menus)", key=K_PRESENT)
    st.progress(at.progress, text=f"Step {at.number} of {at.total}: {at.row['date_label']}")
    nav = st.columns(3)
    nav[0].button("Previous event", icon=":material/arrow_back:", disabled=at.number <= steps.start, shortcut="Left",
                  on_click=_move, args=(-1, steps), width="stretch", key="wt_prev")
    nav[1].button("Next event", icon=":material/arrow_forward:", disabled=at.number >= steps[-1], shortcut="Right",
                  on_click=_move, args=(1, steps), width="stretch", type="primary", key="wt_next")
    nav[2].button("Hide what the reviews found" if reveal else "Reveal what the reviews found",
                  icon=":material/visibility_off:" if reveal else ":material/visibility:", shortcut="F",
                  on_click=_toggle_reveal, width="stretch", key="wt_reveal_button")

    fig = walkthrough.figure(lib, at, reveal=reveal, compact=state.is_phone())
    if present:  # readable from the back of a room
        fig.update_layout(font=dict(size=18), legend=dict(font=dict(size=16)), height=fig.layout.height + 120)
    widgets.chart(fig, key=CHART_KEY,
                  filename=f"{short_name(case)} walkthrough step {at.number}",
                  alt=f"Timeline of {case.title} at step {at.number} of {at.total}: {at.number} events so far, "
                      f"{len(at.future)} still to come (dimmed). The panel below describes the current event.")

    left, right = st.columns([3, 2])
    with left:
        shown = at.event if reveal else at.event.model_copy(update={"findings": []})
        widgets.event_detail(shown, lib)
    with right:
        st.markdown("#### What the record shows had happened by then")
        earlier = [e for e in case.events if e.id in set(at.earlier)]
        if earlier:
            rows = lib.events[(lib.events["case_id"] == case_id) & (lib.events["layer"] == "case")]
            dates = dict(zip(rows["event_id"], rows["date_label"], strict=True))
            order = {eid: n for n, eid in enumerate(at.earlier)}
            st.markdown("\n".join(f"{order[e.id] + 1}. {widgets.md(dates[e.id])}: {widgets.md(e.title)}"
                                  for e in sorted(earlier, key=lambda e: order[e.id])))
        else:
            st.markdown("Nothing yet: this is the first recorded event.")
        st.markdown("#### What the reviews later found")
        if not at.event.findings:
            st.markdown("No review finding is recorded about this event.")
        elif not reveal:
            st.markdown("Hidden. Discuss the question first, then select **Reveal what the reviews found**.")
        else:
            st.markdown("Shown in the panel on the left, with who found it, when, and the source.")

    if present:
        st.toggle("Presenter view (large type, no menus)", key=K_PRESENT)
    else:
        packs.trainer_buttons(lib, case_id, steps)
    state.sync({CASE: case_id, STEP: at.number, REVEAL: reveal, PRESENT: present},
               {CASE: ids[0], STEP: 1, REVEAL: False, PRESENT: False})


if __name__ == "__main__":
    render(library())
