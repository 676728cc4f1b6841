"""The trainer's walkthrough: a case one event at a time, without hindsight.

The chart shows only what had happened by the current step; the panel shows the current event (what
was known, what was decided) and a question for the room; what the reviews later found stays hidden,
behind the same neutral placeholder at every step, until the trainer reveals it. The step lives in the
URL, so links can be prepared in advance: ``?case=amess&step=6&reveal=true&present=true``.

The presenter view fits one 1280 x 720 screen: the event's title and the discussion question in large
dark type beside the chart, the buttons under them, and the findings, once revealed, in place of the
placeholder. Keyboard (can be switched off): the right and left arrow keys step forward and back, and
Alt+Shift+F reveals the findings; none of them acts while focus is on another control, so they never
clash with a form field or a screen reader's own keys (WCAG 2.1.4). Each step is announced in a polite
live region, and the Previous and Next buttons are never disabled (they say ``aria-disabled`` at the
ends), so keyboard focus stays on them.
"""

from __future__ import annotations

import html
import json

import streamlit as st

from components import a11y, packs, state, widgets
from components.data import derived, library, show_problems
from timelines import Library, theme, walkthrough
from timelines.measures import short_name

CASE, STEP, REVEAL, PRESENT = "case", "step", "reveal", "present"
# Session keys apart from the other pages' (which also use 'case').
K_CASE, K_STEP, K_REVEAL, K_PRESENT, K_KEYS = "wt_case", "wt_step", "wt_reveal", "wt_present", "wt_keys"
CHART_KEY = "wt_chart"
PREV, NEXT, REVEAL_BUTTON = "wt_prev", "wt_next", "wt_reveal_button"
HIDDEN_NOTE = ("Hidden until you reveal them. Discuss the question first, then select **Reveal what the "
               "reviews found**.")  # the same words at every step, whether or not a finding exists
NO_FINDING = "No review finding is recorded about this event."
PRESENT_SOURCE_CHARS = 70  # the source line wraps here beside the lane labels in the presenter's chart
PRESENT_CHART_PX = 600  # the presenter view's chart, beside the text, inside a 720 px high screen

PRESENTER_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.75rem 1.5rem 1rem; max-width: 100%; }
[data-testid="stMain"] h1 { font-size: 2.3rem; line-height: 1.15; color: #0B0C0C; padding-top: 0.2rem; }
.st-key-wt_question p { font-size: 1.75rem !important; line-height: 1.3; color: #0B0C0C; font-weight: 600; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.3rem; line-height: 1.4; }
[data-testid="stMain"] h2 { font-size: 1.4rem; padding: 0.4rem 0 0.2rem; }
button p { font-size: 1.2rem !important; }
</style>
"""

# The walkthrough's own keys, installed once per visit; see the module's docstring.
KEYS_JS = """
(() => {
  window.__wtKeysOn = %(on)s;
  if (window.__wtKeys) return;
  window.__wtKeys = true;
  const CONTROL = 'input, select, textarea, [contenteditable=""], [contenteditable="true"], [role="slider"], '
    + '[role="radio"], [role="switch"], [role="combobox"], [role="listbox"], [role="option"], [role="tab"], '
    + '[role="checkbox"], [role="menuitem"], a[href], summary, button';
  const STEP_BUTTONS = '.st-key-wt_prev button, .st-key-wt_next button';
  document.addEventListener('keydown', (e) => {
    if (!window.__wtKeysOn || !document.querySelector('.st-key-wt_next')) return;
    const t = e.target instanceof Element ? e.target : null;
    const onControl = t && t.closest(CONTROL);
    let key = null;
    if (!e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey && (!onControl || t.closest(STEP_BUTTONS))) {
      if (e.key === 'ArrowRight') key = 'wt_next';
      if (e.key === 'ArrowLeft') key = 'wt_prev';
    }
    if (e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyF' && !onControl) key = 'wt_reveal_button';
    if (!key) return;
    const b = document.querySelector('.st-key-' + key + ' button');
    if (!b || b.getAttribute('aria-disabled') === 'true') return;
    e.preventDefault();
    b.click();
  });
})();
"""

# A new step starts at the top of the page (the buttons keep focus; they are near the top).
TOP_JS = """
(() => { const step = %(step)s;
  if (window.__wtStep !== undefined && window.__wtStep !== step) {
    for (const el of [document.querySelector('[data-testid="stMain"]'), document.scrollingElement]) {
      if (el) el.scrollTo({top: 0}); } }
  window.__wtStep = step; })();
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
    """A step forward or back within the steps shown; at either end nothing moves (the button says
    aria-disabled)."""
    new = min(max(st.session_state[K_STEP] + by, steps.start), steps[-1])
    if new != st.session_state[K_STEP]:
        st.session_state[K_STEP] = new
        st.session_state[K_REVEAL] = False


def _new_case() -> None:
    st.session_state[K_STEP] = 1
    st.session_state[K_REVEAL] = False


def _toggle_reveal() -> None:
    st.session_state[K_REVEAL] = not st.session_state.get(K_REVEAL, False)


def _buttons(at: walkthrough.Step, reveal: bool, steps: range, *, stacked: bool) -> None:
    """Previous, Next and Reveal: never disabled, so that focus stays on them (aria-disabled at the ends)."""
    nav = st.columns(2) if stacked else st.columns(3)
    nav[0].button("Previous event", icon=":material/arrow_back:", on_click=_move, args=(-1, steps),
                  width="stretch", key=PREV)
    nav[1].button("Next event", icon=":material/arrow_forward:", on_click=_move, args=(1, steps),
                  width="stretch", type="primary", key=NEXT)
    where = st if stacked else nav[2]
    where.button("Hide what the reviews found" if reveal else "Reveal what the reviews found",
                 icon=":material/visibility_off:" if reveal else ":material/visibility:",
                 on_click=_toggle_reveal, width="stretch", key=REVEAL_BUTTON)
    a11y.mark_disabled({PREV: at.number <= steps.start, NEXT: at.number >= steps[-1]})


def _findings(at: walkthrough.Step, reveal: bool, lib: Library) -> None:
    """What the reviews later found: the neutral placeholder until revealed, then the findings in place."""
    if not reveal:
        st.markdown(HIDDEN_NOTE)
    elif not at.event.findings:
        st.markdown(NO_FINDING)
    else:
        for finding in at.event.findings:
            flag = " :red[**(missed opportunity)**]" if finding.missed_opportunity else ""
            st.markdown(f"**{widgets.md(finding.by)}**, made public {widgets.md(widgets.human_date(finding.date))}"
                        f"{flag}: {widgets.md(finding.text)}")


def _known_by_then(lib: Library, at: walkthrough.Step) -> None:
    earlier = [e for e in at.case.events if e.id in set(at.earlier)]
    if not earlier:
        st.markdown("Nothing yet: this is the first recorded event.")
        return
    rows = lib.events[(lib.events["case_id"] == at.case.id) & (lib.events["layer"] == "case")]
    dates = dict(zip(rows["event_id"], rows["date_label"], strict=True))
    order = {eid: n for n, eid in enumerate(at.earlier)}
    st.markdown("\n".join(f"{order[e.id] + 1}. {widgets.md(dates[e.id])}: {widgets.md(e.title)}"
                          for e in sorted(earlier, key=lambda e: order[e.id])))


def _figures(lib: Library, case_id: str, number: int, reveal: bool):
    """A step's wide and vertical charts, made once per library, case, step and reveal (read-only)."""
    at = walkthrough.step(lib, case_id, number)
    return (walkthrough.figure(lib, at, reveal=reveal, compact=False),
            walkthrough.vertical_figure(lib, at, reveal=reveal))


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
    state.seed(K_KEYS, True)
    steps = packs.steps_from_url(lib, case_id)  # ?steps=1-8: a session that covers only some steps
    st.session_state[K_STEP] = min(max(walkthrough.clamp(st.session_state[K_STEP], total), steps.start), steps[-1])
    present = bool(st.session_state[K_PRESENT])
    if present:
        st.html(PRESENTER_CSS)

    case = lib.cases[case_id]
    at = walkthrough.step(lib, case_id, st.session_state[K_STEP])
    reveal = bool(st.session_state[K_REVEAL])
    a11y.set_title(f"Walkthrough: {short_name(case)}, step {at.number} of {at.total}")
    a11y.announce(f"Step {at.number} of {at.total}: {at.row['date_label']}. {at.event.title}")
    st.html(f"<script>{KEYS_JS % {'on': json.dumps(bool(st.session_state[K_KEYS]))}}"
            f"{TOP_JS % {'step': at.number}}</script>", unsafe_allow_javascript=True)

    alt = walkthrough.alt_text(at, reveal=reveal) + " The panel describes the current event."
    shown = at.event if reveal else at.event.model_copy(update={"findings": []})
    if present:  # the presenter's chart is resized for half a screen: its own figure, not the shared one
        _presenter(lib, at, walkthrough.figure(lib, at, reveal=reveal, compact=False), alt, reveal, steps)
        with st.expander("The event in full, with its sources, and what the record shows had happened by then"):
            widgets.event_detail(at.event.model_copy(update={"findings": []}), lib)
            st.markdown("**What the record shows had happened by then**")
            _known_by_then(lib, at)
        st.toggle("Presenter view (large type, no menus)", key=K_PRESENT)
    else:
        st.title("Walkthrough for trainers")
        st.markdown("Step through a case one event at a time, as it happened: the chart shows only what had "
                    "happened so far. What the reviews later found stays hidden until you reveal it. "
                    "Keyboard: **→** next, **←** previous, **Alt+Shift+F** findings (when focus is not in a "
                    "form field; they can be switched off below).")
        top = st.columns([3, 2], vertical_alignment="bottom")
        top[0].selectbox("Case", ids, format_func=lambda c: f"{short_name(lib.cases[c])} case", key=K_CASE,
                         on_change=_new_case)
        top[1].toggle("Presenter view (large type, no menus)", key=K_PRESENT)
        st.progress(at.progress, text=f"Step {at.number} of {at.total}: {at.row['date_label']}")
        _buttons(at, reveal, steps, stacked=False)
        figures = derived(_figures, lib, case_id, at.number, reveal)
        a11y.both_widths(lambda compact: widgets.chart(
            figures[compact],
            key=CHART_KEY + ("_narrow" if compact else ""), slides=not compact,
            filename=f"{short_name(case)} walkthrough step {at.number}", alt=alt), key=CHART_KEY)
        st.header(f"Step {at.number}: the event")
        left, right = st.columns([3, 2])
        with left:
            widgets.event_detail(shown, lib)
        with right:
            st.subheader("What the record shows had happened by then", anchor=False)
            _known_by_then(lib, at)
            st.subheader("What the reviews later found", anchor=False)
            if reveal and at.event.findings:
                st.markdown("Shown in the panel on the left, with who found it, when, and the source.")
            else:
                _findings(at, reveal, lib)
        st.toggle("Keyboard shortcuts (arrow keys, Alt+Shift+F)", key=K_KEYS)
        packs.trainer_buttons(lib, case_id, steps)
    state.sync({CASE: case_id, STEP: at.number, REVEAL: reveal, PRESENT: present},
               {CASE: ids[0], STEP: 1, REVEAL: False, PRESENT: False})


def _presenter(lib: Library, at: walkthrough.Step, fig, alt: str, reveal: bool, steps: range) -> None:
    """One 1280 x 720 screen: the event and question (large, dark) and the buttons beside the chart."""
    fig.update_layout(height=PRESENT_CHART_PX, font=dict(size=16), legend=dict(font=dict(size=15)))
    source = (fig.layout.meta or {}).get("source")
    for note in fig.layout.annotations:  # the chart is half the screen wide here: a narrower source line
        if note.name == "source-line" and source:
            lines = theme.wrap(f"Source: {source}", PRESENT_SOURCE_CHARS)
            extra = max(0, len(lines) - (note.text or "").count("<br>") - 1)
            note.text = "<br>".join(html.escape(line, quote=False) for line in lines)
            fig.layout.margin.b = (fig.layout.margin.b or 0) + extra * (theme.SOURCE_SIZE + 4)
    text, chart = st.columns([2, 3], gap="medium")
    with text:
        st.caption(f"{widgets.md(short_name(at.case))} · step {at.number} of {at.total} · "
                   f"{widgets.md(at.row['date_label'])}")
        st.title(widgets.md(at.event.title), anchor=False)
        if at.event.question:
            with st.container(key="wt_question"):
                st.markdown(widgets.md(at.event.question))
        _buttons(at, reveal, steps, stacked=True)
        st.header("What the reviews later found", anchor=False)
        _findings(at, reveal, lib)
    with chart:
        widgets.chart(fig, key=CHART_KEY, filename=f"{short_name(at.case)} walkthrough step {at.number}", alt=alt,
                      slides=False)


if __name__ == "__main__":
    render(library())
