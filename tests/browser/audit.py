"""Measurements taken inside the browser: every visible chart's text boxes, fonts, plot area and legend,
the page's sideways overflow, and the colours of a focused control. Shared by test_layout and test_wcag."""

from __future__ import annotations

import re

from tests.browser.conftest import CHART, CHART_HOST, SETTLED

# Every page of the site once: (name, path, draws a chart). The tests that visit them all share it.
PAGES = [
    ("home", "/", False),
    ("case", "/case?case=southport", True),
    ("compare", "/compare", True),
    ("gaps", "/gaps", True),
    ("walkthrough", "/walkthrough", True),
    ("sources", "/sources", True),
]

# One entry per visible Plotly chart: its box, plot area, legend entries, direct labels and every text box.
CHARTS_JS = """
() => {
  const visible = (el) => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'
      && getComputedStyle(el).display !== 'none' && el.closest('[class*="st-key-"]')?.offsetParent !== null; };
  const out = [];
  for (const host of document.querySelectorAll('CHART_HOST')) {
    if (host.offsetParent === null) continue;  // inside the width variant CSS hides
    const svg = host.querySelector('.main-svg');
    if (!svg) continue;
    const box = host.querySelector('.plot-container').getBoundingClientRect();
    const drag = host.querySelector('rect.nsewdrag');
    const texts = [];
    for (const t of host.querySelectorAll('svg text')) {
      const content = (t.textContent || '').trim();
      if (!content || !visible(t)) continue;
      const r = t.getBoundingClientRect();
      const sizes = [t, ...t.querySelectorAll('tspan')].map((e) => parseFloat(getComputedStyle(e).fontSize))
        .filter((s) => !isNaN(s));
      texts.push({text: content.slice(0, 60), left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                  size: Math.min(...sizes), cls: t.getAttribute('class') || '',
                  group: t.closest('.legend') ? 'legend' : t.closest('.annotation') ? 'annotation' : 'other'});
    }
    const labels = [...host.querySelectorAll('.annotation')].filter((a) => {
      const name = a.getAttribute('data-index'); const txt = a.textContent || '';
      return txt && !txt.startsWith('Source:') && !/National policy and oversight/.test(txt)
        && !/years with no event/.test(txt);
    }).length;
    out.push({chart: box.left + ',' + box.top, left: box.left, right: box.right, top: box.top, bottom: box.bottom,
              width: box.width, plot: drag ? drag.getBoundingClientRect().width : null,
              legend: host.querySelectorAll('.legend .traces').length, labels, texts,
              title: (host.querySelector('.gtitle')?.textContent || '').slice(0, 80)});
  }
  return out;
}
""".replace("CHART_HOST", CHART_HOST)


# The whole page is there: no part still waiting for its first chart (components/plotly_view.py,
# after_first_chart), no run under way, and every chart drawn (they are drawn one a frame).
WHOLE = f"""() => !document.querySelector('[class*="st-key-_after_first_chart_"]')
  && !!document.querySelector('{SETTLED}')
  && [...document.querySelectorAll('.tl-chart')].every((host) => host.querySelector('.main-svg'))"""


def load(page, url: str, *, chart: bool = True) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stMain"] h1')
    page.wait_for_selector(SETTLED)
    if chart:
        page.locator(f"{CHART} >> visible=true").first.wait_for()  # the variant that fits the width
    page.wait_for_function(WHOLE)  # a page's first run ends at its first chart; the rest follows it
    page.wait_for_timeout(700)  # Plotly lays its text out after the first paint


def charts(page) -> list[dict]:
    return page.evaluate(CHARTS_JS)


def overlaps(texts: list[dict], tolerance: float = 2.0) -> list[str]:
    """Pairs of text boxes that overlap by more than ``tolerance`` px both ways."""
    found = []
    for n, a in enumerate(texts):
        for b in texts[n + 1:]:
            dx = min(a["right"], b["right"]) - max(a["left"], b["left"])
            dy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if dx > tolerance and dy > tolerance:
                found.append(f"{a['text']!r} / {b['text']!r} ({dx:.0f} x {dy:.0f} px)")
    return found


def clipped(chart: dict, tolerance: float = 1.0) -> list[str]:
    """Text that runs past the chart's own edges."""
    return [f"{t['text']!r} ({t['left']:.0f}-{t['right']:.0f} in {chart['left']:.0f}-{chart['right']:.0f})"
            for t in chart["texts"]
            if t["left"] < chart["left"] - tolerance or t["right"] > chart["right"] + tolerance
            or t["top"] < chart["top"] - tolerance or t["bottom"] > chart["bottom"] + tolerance]


def sideways(page) -> int:
    """How far the page scrolls sideways (0 when it fits the width)."""
    return page.evaluate("""() => { const m = document.querySelector('[data-testid="stMain"]');
        return Math.max(document.scrollingElement.scrollWidth, m ? m.scrollWidth : 0) - window.innerWidth; }""")


# --- colour ---------------------------------------------------------------------------------------------

def _channel(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: tuple[float, float, float]) -> float:
    r, g, b = (_channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def parse_rgb(text: str) -> tuple[float, float, float] | None:
    """'rgb(1, 2, 3)' or 'rgba(1, 2, 3, 0.5)' (None when fully transparent)."""
    match = re.match(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)", text or "")
    if not match:
        return None
    if match.group(4) is not None and float(match.group(4)) == 0:
        return None
    return float(match.group(1)), float(match.group(2)), float(match.group(3))
