"""Large cases: one case of 1,000 and one of 10,000 events (``benchmarks/generate.py``).

For each size, printed side by side (never failing on a figure):

- load: validating and loading the library in a fresh interpreter, with no cache (cold) and from the
  disk cache (warm);
- time to chart, server: building the case's timeline figure and its JSON (what a page sends);
- time to chart, browser: from opening a page holding the figure (plotly.js from plotly.py, in headless
  Chromium) until plotly.js has drawn it;
- zoom: setting the x-axis to a tenth of the case's span and back (``Plotly.relayout``), until drawn;
  the median of several zooms.

Each size is drawn three ways: every event one by one in SVG and in WebGL (what the chart did before
aggregation: "before"), and the default (``timelines.large``: above ``AGGREGATE_THRESHOLD`` events the key
events drawn and the others counted per period: "after"). For the largest case, the detail a reader gets
by narrowing the years (two years of it, every event drawn) is timed too.

The generated cases draw kinds evenly, so their key groups are too large to draw (only the outcome is).
A second 10,000-event case, mostly routine contacts with about one key event in a hundred (as a long
multi-agency chronology is), times the default chart with its key events drawn and labelled.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import generate
from benchmarks.generate import SOURCES, case_text

REPO = Path(__file__).resolve().parent.parent
SIZES = (1_000, 10_000)
ZOOMS = 5
CHROMIUM = "/usr/bin/chromium"

_TIMED_LOAD = """
import json, sys, time
from timelines import load_library
start = time.perf_counter()
library = load_library(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - start, "events": len(library.events),
                  "problems": len(library.problems)}))
"""

_PAGE = """<!doctype html><html><head><meta charset="utf-8"><script src="plotly.min.js"></script></head>
<body><div id="chart" style="width:1400px;height:900px"></div><script>
const fig = %s;
const t0 = performance.now();
Plotly.newPlot("chart", fig.data, fig.layout, {responsive: false}).then(() =>
  requestAnimationFrame(() => requestAnimationFrame(() => { window.drawnAt = performance.now() - t0; })))
  .catch(err => { window.failed = String(err); });
async function zoom(a, b) {
  const start = performance.now();
  await Plotly.relayout("chart", {"xaxis.range": [a, b]});
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - start;
}
</script></body></html>"""


KEY_KINDS = ("referral", "decision", "case_closure", "adoption", "exit", "review_commissioned", "review_completed",
             "review_published", "commissioners_report", "inquiry")


def _write_case(root: Path, n: int, key_share: float | None = None) -> int:
    """A generated case of ``n`` events; with ``key_share``, about that share of them of key kinds."""
    (root / "cases").mkdir(parents=True, exist_ok=True)
    (root / "sources.yaml").write_text(SOURCES)
    if key_share is None:
        text = case_text(0, n, random.Random(n))
    else:
        routine = [k for k in generate.KIND_IDS if k not in KEY_KINDS]
        weight = round(len(KEY_KINDS) / key_share / len(routine))
        saved, generate.KIND_IDS = generate.KIND_IDS, tuple(routine * weight + list(KEY_KINDS))
        try:
            text = case_text(0, n, random.Random(n))
        finally:
            generate.KIND_IDS = saved
    (root / "cases" / "case-0000.yaml").write_text(text)
    return len(text.encode())


def _timed_load(root: Path, cache: str) -> dict:
    env = {**os.environ, "TIMELINES_CACHE_DIR": cache}
    done = subprocess.run([sys.executable, "-c", _TIMED_LOAD, str(root)], capture_output=True, text=True,
                          env=env, cwd=REPO, check=True)
    return json.loads(done.stdout)


def _figure(root: Path, mode: str, years: tuple[int, int] | None = None) -> tuple[dict, float, int]:
    """The case's timeline as a JSON-ready dict, the seconds to build it and its JSON, and the number of
    the case's events in it. ``mode``: 'svg' or 'webgl' (every event drawn), 'default' (as shipped)."""
    from timelines import figures, large, load_library

    library = load_library(root)
    case = library.cases["case-0000"]
    rows = figures.filter_events(library.events, case_id=case.id, years=years)
    saved = large.GL_THRESHOLD, large.AGGREGATE_THRESHOLD
    if mode != "default":
        large.AGGREGATE_THRESHOLD = 10**9
        large.GL_THRESHOLD = saved[0] if mode == "webgl" else 10**9
    start = time.perf_counter()
    try:
        fig = figures.case_timeline(rows, case=case, sources=library.sources)
        text = fig.to_json()
    finally:
        large.GL_THRESHOLD, large.AGGREGATE_THRESHOLD = saved
    return json.loads(text), time.perf_counter() - start, int((rows["layer"] == "case").sum())


def _browser(spec: dict, folder: Path) -> tuple[float, float]:
    """Milliseconds until drawn, and the median milliseconds of a zoom, in headless Chromium."""
    import plotly
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS

    js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    (folder / "plotly.min.js").write_bytes(js.read_bytes())
    page_file = folder / "chart.html"
    page_file.write_text(_PAGE % json.dumps(spec))
    low, high = spec["layout"]["xaxis"]["range"]
    tenth = (high - low) / 10
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=[*CHROMIUM_ARGS, "--use-gl=swiftshader", "--enable-webgl",
                                                   "--ignore-gpu-blocklist"])
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(page_file.as_uri(), wait_until="commit", timeout=180_000)
        page.wait_for_function("typeof window.drawnAt === 'number' || window.failed", timeout=600_000,
                               polling=200)
        if errors or page.evaluate("window.failed || null"):
            raise RuntimeError(f"the chart page failed: {errors or page.evaluate('window.failed')}")
        drawn = page.evaluate("window.drawnAt")
        zooms = []
        for i in range(ZOOMS):
            a = low + (i % 5) * tenth * 2
            zooms.append(page.evaluate(f"zoom({a}, {a + tenth})"))
            zooms.append(page.evaluate(f"zoom({low}, {high})"))
        browser.close()
    return drawn, statistics.median(zooms)


def _line(label: str, kind: str, spec: dict, build: float, tmp: Path, have_browser: bool) -> str:
    if not have_browser:
        return f"  {label}: {kind} built with its JSON in {build:5.2f} s (no Chromium: browser figures skipped)"
    drawn, zoom = _browser(spec, tmp)
    return (f"  {label}: {kind} built with its JSON in {build:5.2f} s; drawn in the browser {drawn / 1000:5.2f} s; "
            f"zoom (median of {2 * ZOOMS}) {zoom:6.0f} ms")


def run() -> list[str]:
    from timelines import large

    lines = [f"Large cases (one case; above {large.AGGREGATE_THRESHOLD:,} events the chart draws the key events and "
             f"counts the others; every event drawn, markers switch to WebGL above {large.GL_THRESHOLD:,}):"]
    have_browser = Path(CHROMIUM).exists()
    for n in SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "library"
            size = _write_case(root, n)
            cold = min((_timed_load(root, "off") for _ in range(2)), key=lambda r: r["seconds"])
            cache = str(Path(tmp) / "cache")
            _timed_load(root, cache)
            warm = min((_timed_load(root, cache) for _ in range(2)), key=lambda r: r["seconds"])
            assert cold["problems"] == 0, "the generated case should load cleanly"
            label = f"{n:>6,} events ({size / 1e6:.1f} MB)"
            lines.append(f"  {label}: load cold {cold['seconds']:6.2f} s, from the disk cache {warm['seconds']:5.2f} s")
            for mode, kind in (("svg", "before, all drawn, SVG  "), ("webgl", "before, all drawn, WebGL"),
                               ("default", "after, as shipped      ")):
                spec, build, _ = _figure(root, mode)
                if mode == "default":
                    counted = (spec["layout"].get("meta") or {}).get("aggregated")
                    kind += (f" (key events drawn, {counted['counted']:,} counted)" if counted else " (all drawn)")
                lines.append(_line(label, kind, spec, build, Path(tmp), have_browser))
            if n == max(SIZES):
                spec, build, shown = _figure(root, "default", years=(2016, 2017))
                lines.append(_line(label, f"after, years 2016-2017 ({shown:,} events, all drawn)", spec, build,
                                   Path(tmp), have_browser))
        if n == max(SIZES):
            with tempfile.TemporaryDirectory() as tmp:
                root = Path(tmp) / "library"
                _write_case(root, n, key_share=0.01)
                spec, build, _ = _figure(root, "default")
                counted = spec["layout"]["meta"]["aggregated"]
                labelled = len(spec["layout"]["meta"].get("labels", ()))
                lines.append(_line(f"{n:>6,} events, about 1% key", f"after ({counted['drawn']:,} key events drawn, "
                                   f"{labelled} labelled, {counted['counted']:,} counted)", spec, build, Path(tmp),
                                   have_browser))
    return lines


if __name__ == "__main__":
    for line in run():
        print(line, flush=True)
