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
/* The collapsed sidebar's links are hidden: keep them out of the tab order too. */
[data-testid="stSidebar"][data-collapsed="true"] {{ visibility: hidden; }}
/* A button that cannot act at the moment (first or last step) keeps focus but looks unavailable. */
button[aria-disabled="true"] {{ opacity: 0.55; cursor: not-allowed; }}
.sr-only {{ position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }}
</style>
"""


def page_title(*parts: str) -> str:
    """The document title: the page's own words first, then the site ('Compare - Prevent case timelines')."""
    return " - ".join([*(p for p in parts if p), SITE])


def site_chrome(title: str) -> None:
    """The page's document title and the shared CSS; call once, before the page draws anything."""
    st.set_page_config(page_title=page_title(title), layout="wide")
    st.html(SITE_CSS)


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
    """Draw a part twice, wide and compact (``draw(compact)``); CSS shows the one that fits the width.

    The cost is a second chart on the page (about a tenth of a second to draw in the browser, against
    the 3.7 s floor of a Streamlit page with a chart); the gain is the right layout at any width or
    zoom, including a desktop at 200%, which no User-Agent reveals.
    """
    with width_variant("wide", key):
        draw(False)
    with width_variant("narrow", key):
        draw(True)
