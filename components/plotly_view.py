"""A Plotly chart drawn in the page by plotly.js's basic bundle, the file the static site already ships.

Why not ``st.plotly_chart``: its front end loads Streamlit's own full plotly.js (4.7 MB, every trace type)
before it draws anything, and that load is most of a page's time to its first chart. Our figures use only
scatter and bar traces, which the basic bundle (1.2 MB) holds. Measured here, a bare page with one chart
drawn this way reached it in 0.66-0.68x the time of the same page with ``st.plotly_chart`` (headless
Chromium, medians of 5, alternating). A phone reader downloads 3.5 MB less.

How: an ``st.components.v2`` component, mounted in the page's own DOM (not an iframe), loads the bundle
once per page from Streamlit's static file route (``server.enableStaticServing``; ``static/`` beside
``app.py`` is the static site's asset folder) and draws with ``Plotly.react``. A click on a point sends
the point's ``customdata`` back as the ``selection`` trigger, in the shape ``st.plotly_chart`` gives
(``state["selection"]["points"]``), so the pages read a click the same way whichever element drew the
chart. A figure with a trace type the bundle lacks (``scattergl`` in a very large comparison) still goes
to ``st.plotly_chart``, which draws everything.

The chart's host element carries the chart's text alternative as ``role="figure"`` with ``aria-label``
(as ``st.plotly_chart(alt=...)`` does), reserves the figure's height before plotly.js arrives (nothing
under it moves when it draws), and follows its column's width (a ``ResizeObserver``). Charts are drawn one
at a time in the order they mount, with a frame between them.

Two more things keep a page's first chart early:
- :func:`preload_script`, run by the page's first script (the width probe's), asks for the bundle before
  any chart has mounted;
- :func:`after_first_chart`: Streamlit renders a run's elements together (it waits for every element's
  code to load), so the elements under a chart delay it. A page's first run in a session can end at its
  first chart; the browser asks for the rest once that chart has drawn.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from components import a11y

BUNDLE_DIR = Path(__file__).resolve().parent.parent / "static"  # served at /app/static/ (a link to the site's)
BUNDLE = json.loads((BUNDLE_DIR / "plotly-basic.json").read_text())
TRACE_TYPES = frozenset(BUNDLE["trace_types"])
HOST_CLASS = "tl-chart"  # the element plotly.js draws into; tests and the print CSS find charts by it

# Loads the bundle once per page (a visit keeps it: Streamlit changes page without reloading the document).
_LOAD = """(src) => {
  window.__tlPlotly ??= new Promise((ok, fail) => {
    if (window.Plotly) { ok(window.Plotly); return; }
    const script = document.createElement('script');
    script.src = src; script.async = true;
    script.onload = () => ok(window.Plotly);
    script.onerror = () => { window.__tlPlotly = undefined; fail(new Error('plotly.js did not load from ' + src)); };
    document.head.appendChild(script);
  });
  return window.__tlPlotly;
}"""

_JS = """
const bundle = __LOAD__;

const point = (p) => ({curve_number: p.curveNumber, point_number: p.pointNumber, point_index: p.pointIndex,
                       x: p.x, y: p.y, customdata: p.customdata});

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const spec = JSON.parse(data);
  let host = parentElement.querySelector(':scope > .HOST_CLASS');
  if (!host) {
    host = document.createElement('div');
    host.className = 'HOST_CLASS';
    parentElement.appendChild(host);
  }
  host.setAttribute('role', 'figure');
  if (spec.alt) host.setAttribute('aria-label', spec.alt); else host.removeAttribute('aria-label');
  if (!host.querySelector('.main-svg')) host.style.minHeight = (spec.figure.layout?.height || 450) + 'px';
  host.__tlSelect = spec.select ? setTriggerValue : null;
  let live = true;
  // One chart at a time, in page order, with a frame between: the first chart shows when it is drawn,
  // not when every chart of the page is.
  const draw = (Plotly) => {
    if (!live) return;
    return Plotly.react(host, spec.figure.data, spec.figure.layout, spec.config).then(() => {
      host.style.minHeight = '';
      if (host.__tlWired) return;
      host.__tlWired = true;
      host.on('plotly_click', (event) => host.__tlSelect?.('selection', {points: event.points.map(point)}));
      let width = host.clientWidth;
      new ResizeObserver(() => {
        // In print the chart keeps its screen width and the print style zooms it to the page (redrawing
        // it there would widen it again under the zoom, and again).
        if (host.clientWidth === width || !host.isConnected || matchMedia('print').matches) return;
        width = host.clientWidth;
        Plotly.Plots.resize(host);
      }).observe(host);
    });
  };
  const failed = (error) => { host.textContent = 'The chart could not be drawn: ' + error.message; };
  const previous = window.__tlDrawing;
  const nextFrame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
  window.__tlDrawing = (previous ? previous.then(nextFrame) : Promise.resolve())
    .then(() => bundle(spec.src))
    .then(draw)
    .catch(failed);
  return () => { live = false; };
}
""".replace("HOST_CLASS", HOST_CLASS).replace("__LOAD__", _LOAD)

_mount = st.components.v2.component("timelines_plotly", js=_JS, isolate_styles=False)


# The rest of a page after its first chart: asks for it once the chart has drawn (or at once when the page
# has no chart, or after 4 s whatever happened), so that the elements under the chart do not delay it.
_AFTER_JS = """
export default function ({ setTriggerValue }) {
  let tries = 0, asked = false;
  const ask = () => { if (!asked) { asked = true; setTriggerValue('ready', true); } };
  const wait = () => {
    const host = document.querySelector('.HOST_CLASS');
    if (!host || host.querySelector('.main-svg') || tries++ > 80) {
      requestAnimationFrame(() => setTimeout(ask));  // the chart painted first
      return;
    }
    setTimeout(wait, 50);
  };
  wait();
}
""".replace("HOST_CLASS", HOST_CLASS)

_after = st.components.v2.component("timelines_after_first_chart", js=_AFTER_JS, isolate_styles=False)


def after_first_chart(page: str) -> bool:
    """Should this run draw the rest of ``page``, the part under its first chart?

    Not on the page's first run in a session: that run ends here, and the browser asks for the rest
    once the first chart has drawn (one more run, every element of the page). Every later run draws the
    whole page. Streamlit renders a run's elements together, and its grids, buttons and captions under
    the chart kept the chart waiting (measured: the gap analysis page reached its first chart in 0.92x
    the floor's time when cut after that chart, 1.17x whole).
    """
    key = f"_after_first_chart_{page}"
    if st.session_state.get(key) or not a11y.user_agent():  # no browser (AppTest): nothing would ever ask
        return True

    def ready() -> None:
        st.session_state[key] = True

    _after(key=f"{key}_ask", data=page, on_ready_change=ready, width="stretch", height="content")
    st.caption("The rest of the page follows the chart.")
    return False


def bundle_url() -> str:
    """Where the browser finds the bundle: Streamlit's static route, under the server's base path."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{'/' + base if base else ''}/app/static/{BUNDLE['file']}?v={BUNDLE['version']}"


def preload_script(*, idle: bool = False) -> str:
    """JavaScript that starts loading the bundle at once, before any chart is on the page (send it first on
    a page, as ``a11y.site_chrome`` does): the browser fetches and compiles it while the page's other
    elements arrive, not after the chart's element has mounted. ``idle``: once the page has nothing else
    to do (a page without charts, so that the next page's charts draw at once)."""
    start = f"({_LOAD})({json.dumps(bundle_url())})"
    if idle:
        start = f"(window.requestIdleCallback || setTimeout)(() => {start}, {{timeout: 5000}})"
    return start + ";"


def drawable(spec: dict) -> bool:
    """Can the basic bundle draw every trace of this figure?"""
    return all(trace.get("type", "scatter") in TRACE_TYPES for trace in spec.get("data") or ())


def plotly_view(spec_json: str, *, key: str, config: dict, alt: str,
                on_select: Callable[[], None] | None = None) -> None:
    """Draw a figure (its JSON text, made once per figure) with the basic bundle.

    The component's data is one JSON string, so a rerun with the same figure and options sends the same
    string and the browser does not draw again.
    """
    head = json.dumps({"src": bundle_url(), "alt": alt, "config": config, "select": on_select is not None},
                      separators=(",", ":"))
    data = f'{head[:-1]},"figure":{spec_json}}}'
    callbacks = {"on_selection_change": on_select} if on_select is not None else {}
    _mount(key=key, data=data, width="stretch", height="content", **callbacks)
