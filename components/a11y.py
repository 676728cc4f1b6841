"""What every page shares for keyboard, zoom and screen-reader users (WCAG 2.2 AA), and the width switch.

- :func:`page_title` gives each page its own ``document.title`` ("Case timeline: Southport - Prevent
  case timelines").
- :data:`SITE_CSS` (sent once per run by :func:`site_chrome`): a strong ``:focus-visible`` outline (3 px
  near-black, with a white ring inside it, so it stands at 3:1 or more against the page and against a
  dark button alike), ``scroll-padding-top`` so that a focused control never hides under the fixed
  header, the collapsed sidebar out of the tab order, and the *width switch*: an element in a container
  keyed ``wide-...`` shows only when the page is wider than :data:`NARROW_PX`, one keyed ``narrow-...``
  only when it is not. The switch is a CSS media query on the width the page actually has, so a desktop
  at 200% zoom (a 1280 px window is 640 CSS px wide) gets the compact layout, whatever the User-Agent.
- :func:`layout`: which of the two variants the server sends. Only one is sent (a hidden Plotly chart
  still costs the browser its drawing): the one the browser's width probe (:data:`PROBE`, sent first on
  every page) last reported for this session, else a guess from the User-Agent (the site sets no
  cookie). The probe measures the same media query as the CSS; when the server sent
  the other variant (a desktop at 200% zoom, a window resized across the line) it presses one of two
  hidden buttons (:func:`site_chrome`), an ordinary widget event: the rerun keeps every other widget's
  value, and the right variant replaces the hidden one. (A rerun asked for through the browser's history
  is a page change to Streamlit: it drops the page's widget states, and about one load in three then
  showed the first case in the case chooser above another case's chart.) A link may also say
  ``?layout=narrow``; the server moves that value into session state and out of the URL. Until the
  right variant comes, the CSS hides the one that does not fit, so the wrong layout is never shown.
- :func:`announce` puts a message in one polite live region (``role="status"``) that lives for the whole
  visit, so a screen reader reads "Step 3 of 20" when the step changes.
- :func:`mark_disabled` sets ``aria-disabled`` on a button instead of disabling it, so keyboard focus
  stays on it at the first or last step.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import contextmanager

import streamlit as st

SITE = "Prevent case timelines"
NARROW_PX = 640  # at and below this width (CSS px) the compact layout shows
HEADER_PX = 64  # Streamlit's fixed header (3.75rem) and a little air
SWITCH = "layout-switch"  # the hidden container of the probe's two buttons, one per layout
SWITCH_KEY = "_layout_to_"  # + layout: the key of the button the probe presses for that layout

SITE_CSS = f"""
<style>
/* Width switch: the compact variant at {NARROW_PX} px and below, the wide one above. */
@media (max-width: {NARROW_PX}px) {{ [class*="st-key-wide-"] {{ display: none !important; }} }}
@media (min-width: {NARROW_PX + 1}px) {{ [class*="st-key-narrow-"] {{ display: none !important; }} }}
/* A phone's first screen: less empty space above the page's heading, and a heading that fits a line or two. */
@media (max-width: {NARROW_PX}px) {{
  [data-testid="stMainBlockContainer"] {{ padding-top: 4.5rem; }}
  [data-testid="stMain"] h1 {{ font-size: 2rem; }}
}}
/* A focused control is never hidden under the fixed header (WCAG 2.4.11). */
html, [data-testid="stMain"], [data-testid="stAppViewContainer"] {{ scroll-padding-top: {HEADER_PX + 16}px; }}
/* Focus visible (WCAG 2.4.7, 1.4.11): 3 px near-black outline, a white ring between it and the control. */
:focus-visible, label:has(input[type="checkbox"]:focus-visible), label:has(input[type="radio"]:focus-visible) {{
  outline: 3px solid #0B0C0C !important; outline-offset: 2px !important;
  box-shadow: 0 0 0 2px #FFFFFF !important;
}}
[data-baseweb="select"]:has(input:focus-visible) {{ outline: 3px solid #0B0C0C; outline-offset: 2px; }}
/* The width probe's buttons: pressed by the probe only, never seen, never in the tab order. */
.st-key-{SWITCH} {{ display: none !important; }}
/* The collapsed sidebar's links are hidden: keep them out of the tab order too. */
[data-testid="stSidebar"][data-collapsed="true"] {{ visibility: hidden; }}
/* A button that cannot act at the moment (first or last step) keeps focus but looks unavailable. */
button[aria-disabled="true"] {{ opacity: 0.55; cursor: not-allowed; }}
/* A table on a phone, a row at a time (widgets.grid_or_records): a record a row, its columns as lines.
   Flush left: Streamlit indents lists and their items. */
.tl-records, .tl-records li, .tl-records dl, .tl-records dd, .tl-records p {{
  margin: 0 !important; padding: 0 !important; }}
.tl-records {{ list-style: none; }}
.tl-records li {{ border-top: 1px solid #B1B4B6; padding: .5rem 0 !important; }}
.tl-records li:first-child {{ border-top: 0; }}
.tl-records .tl-record-title {{ font-weight: 700; margin-bottom: .25rem !important; }}
.tl-records dt {{ display: inline; color: #505A5F; }}
.tl-records dt::after {{ content: ":"; }}
.tl-records dd {{ display: inline; overflow-wrap: anywhere; }}
.sr-only {{ position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }}
</style>
"""


LAYOUTS = ("wide", "narrow")
LAYOUT_PARAM = "layout"  # a link may ask for a layout (?layout=narrow); moved into session state
LAYOUT_KEY = "_layout"  # the session's layout, as the probe last reported it

# The width probe: the same media query as SITE_CSS; ``SERVED`` is replaced by the layout this run sends.
# When the width wants the other layout, it presses that layout's hidden button, which reruns the page
# with every widget's value kept. It waits until the run under way has finished and the page has stopped
# changing (its controls mounted): a rerun asked for while a control is not yet on the page leaves the
# browser without the value the page set for it (the case a link chose), so that the chooser would show
# its first option above the chart of the case actually shown.
PROBE = """(() => {
  window.__tlServed = SERVED;
  const query = window.matchMedia('(max-width: NARROW_PXpx)');
  let last = -1, still = 0;
  const check = (tries = 0) => {
    const want = query.matches ? 'narrow' : 'wide';
    if (want === window.__tlServed) return;
    const button = document.querySelector('.st-key-SWITCH_KEY' + want + ' button');
    const running = document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState !== 'notRunning';
    const size = document.querySelector('[data-testid="stMain"]')?.getElementsByTagName('*').length ?? 0;
    still = size === last ? still + 1 : 0; last = size;
    if (!button || running || still < 3) { if (tries < 600) setTimeout(() => check(tries + 1), 100); return; }
    window.__tlServed = want;
    button.click();
  };
  if (!window.__tlProbe) { window.__tlProbe = true; query.addEventListener('change', () => check()); }
  check();
})();""".replace("NARROW_PX", str(NARROW_PX)).replace("SWITCH_KEY", SWITCH_KEY)


def user_agent() -> str:
    """The browser's User-Agent; empty when no browser is behind this run (AppTest, bare mode)."""
    try:
        return st.context.headers.get("User-Agent") or ""
    except Exception:
        return ""


def _guess() -> str:
    """A new session's layout before the probe has spoken: a guess from the User-Agent (the site keeps no
    cookie to remember the last visit's)."""
    return "narrow" if "Mobi" in user_agent() else "wide"


def layout() -> str:
    """The variant this run sends: ``"wide"`` or ``"narrow"`` (see the module's docstring)."""
    asked = st.query_params.get_all(LAYOUT_PARAM)
    if asked:
        if asked[-1] in LAYOUTS:
            st.session_state[LAYOUT_KEY] = asked[-1]
        del st.query_params[LAYOUT_PARAM]  # the URL stays the view's, shareable at any width
    if st.session_state.get(LAYOUT_KEY) not in LAYOUTS:
        st.session_state[LAYOUT_KEY] = _guess()
    return st.session_state[LAYOUT_KEY]


def _switch() -> None:
    """The probe's two hidden buttons: the one it pressed sets the session's layout for this run on."""
    with st.container(key=SWITCH):
        for name in LAYOUTS:
            if st.button(f"Use the {name} layout", key=SWITCH_KEY + name):
                st.session_state[LAYOUT_KEY] = name


def narrow() -> bool:
    """Does this run send the compact variant?"""
    return layout() == "narrow"


def page_title(*parts: str) -> str:
    """The document title: the page's own words first, then the site ('Compare - Prevent case timelines')."""
    return " - ".join([*(p for p in parts if p), SITE])


def site_chrome(title: str, script: str = "") -> None:
    """The page's document title and the shared CSS; call once, before the page draws anything. ``script``
    runs with the width probe, first on the page (one element: each element on a page adds its spacing)."""
    st.set_page_config(page_title=page_title(title), layout="wide")
    st.html(SITE_CSS)
    _switch()
    _script(PROBE.replace("SERVED", json.dumps(layout())) + script)  # first on the page: a wrong guess costs least


def set_title(*parts: str) -> None:
    """Change the document title once the page knows more (the case shown, for example)."""
    st.set_page_config(page_title=page_title(*parts))


def _script(js: str) -> None:
    st.html(f"<script>{js}</script>", unsafe_allow_javascript=True)


def announce(message: str) -> None:
    """Say ``message`` politely to screen readers, through one live region kept for the whole visit."""
    _script(
        "(() => { let r = document.getElementById('site-status');"
        " if (!r) { r = document.createElement('div'); r.id = 'site-status'; r.className = 'sr-only';"
        " r.setAttribute('role', 'status'); r.setAttribute('aria-live', 'polite'); document.body.appendChild(r); }"
        f" const text = {json.dumps(message)}; if (r.textContent !== text) r.textContent = text; }})();"
    )


def mark_disabled(states: dict[str, bool]) -> None:
    """Set ``aria-disabled`` on the buttons in containers keyed by ``states``' keys (True: unavailable)."""
    _script(
        f"(() => {{ const want = {json.dumps(states)}; let tries = 0;"
        " const apply = () => { let done = true;"
        "  for (const [key, off] of Object.entries(want)) {"
        "   const b = document.querySelector('.st-key-' + key + ' button');"
        "   if (!b) { done = false; continue; }"
        "   if (off) b.setAttribute('aria-disabled', 'true'); else b.removeAttribute('aria-disabled'); }"
        "  if (!done && tries++ < 20) setTimeout(apply, 100); };"
        " apply(); })();"
    )


@contextmanager
def width_variant(name: str, key: str):
    """A container shown only on wide (``name='wide'``) or narrow (``'narrow'``) pages; see SITE_CSS."""
    with st.container(key=f"{name}-{key}") as box:
        yield box


def both_widths(draw: Callable[[bool], None], *, key: str) -> None:
    """Draw a part in the variant this session's width needs (``draw(compact)``), in its width container.

    One variant is sent, not both: a hidden Plotly chart is still drawn by the browser. The width probe
    (:data:`PROBE`) corrects the choice when the page's width says otherwise, and the CSS hides a variant
    that does not fit until then, so the layout still follows the width the page has (200% zoom too).
    """
    compact = narrow()
    with width_variant("narrow" if compact else "wide", key):
        draw(compact)
