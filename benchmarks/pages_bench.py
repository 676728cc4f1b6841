"""Every Streamlit page's time to its first chart in Chromium, against the floor, measured alternating.

The floor is ``benchmarks/minimal_page.py`` (a minimal Streamlit page holding one Plotly chart). For each
page of ``app.py`` (and a case page of a generated 10,000-event case), a fresh browser context opens the
page and the clock stops when the first *visible* chart has drawn a marker or bar (a chart hidden by the
width switch does not count). The Home page has no chart: its clock stops when its case cards (the key
figures) are on screen and the script has finished. Each round opens the floor, then every page, so a
busy moment on the machine (two cores, shared) hits them alike; the ratio is each page's median over the
floor's median. ``python -m benchmarks.pages_bench [ROUNDS]``; ``run()`` returns the lines to print.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from tests.browser.server import serve, stop
from tests.conftest import CHROMIUM_ARGS

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app.py"
MINIMAL = REPO / "benchmarks" / "minimal_page.py"
CHROMIUM = "/usr/bin/chromium"
ROUNDS = 5
LARGE = 10_000
PAGES = (  # (label, path on the app's server, has a chart)
    ("Home", "/", False),
    ("Case timeline", "/case?case=southport", True),
    ("Compare", "/compare", True),
    ("Gap analysis", "/gaps", True),
    ("Walkthrough", "/walkthrough", True),
    ("Sources", "/sources", True),
)
TARGETS = {"large": 1.5}
TARGET = 1.1

# The first chart on screen: a drawn point (scatter marker or bar) in a chart that is not hidden.
# The app's charts are drawn by plotly.js's basic bundle (components/plotly_view.py), the floor's by
# st.plotly_chart; either host counts.
CHART_DRAWN = """() => [...document.querySelectorAll('.tl-chart, [data-testid="stPlotlyChart"]')].some(
  (host) => host.offsetParent !== null && host.querySelector('.main-svg .point'))"""
HOME_DRAWN = """() => document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')
  && document.querySelector('[data-testid="stMetric"]')"""
SETTLED = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _time_to_chart(browser, url: str, chart: bool, timeout: float = 120_000) -> float:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function(CHART_DRAWN if chart else HOME_DRAWN, timeout=timeout, polling="raf")
        return time.perf_counter() - start
    finally:
        try:
            page.wait_for_selector(SETTLED, timeout=timeout)
        finally:
            context.close()


def _large_library(root: Path, n: int = LARGE) -> Path:
    from benchmarks.generate import SOURCES, case_text

    (root / "cases").mkdir(parents=True, exist_ok=True)
    (root / "sources.yaml").write_text(SOURCES)
    (root / "cases" / "case-0000.yaml").write_text(case_text(0, n, random.Random(n)))
    return root


def measure(rounds: int = ROUNDS, *, large: bool = True) -> dict[str, list[float]] | None:
    """Seconds to the first chart per round, for the floor, every page and (``large``) the large case."""
    executable = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not executable:
        return None
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        servers = {"floor": serve(MINIMAL), "app": serve(APP)}
        targets = [("floor", servers["floor"][1], True)]
        targets += [(label, servers["app"][1] + path, chart) for label, path, chart in PAGES]
        if large:
            servers["large"] = serve(APP, data=_large_library(Path(tmp) / "large"))
            targets.append(("large", servers["large"][1] + "/case", True))
        times: dict[str, list[float]] = {name: [] for name, _, _ in targets}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
                for name, url, chart in targets:  # warm-up: imports, the servers' caches, the OS's file cache
                    try:
                        _time_to_chart(browser, url, chart, timeout=900_000)  # a large case's first build
                    except Exception as err:
                        raise RuntimeError(f"{name} ({url}) did not draw: {err}") from err
                for _ in range(rounds):
                    for name, url, chart in targets:
                        times[name].append(_time_to_chart(browser, url, chart))
                browser.close()
        finally:
            for proc, _ in servers.values():
                stop(proc)
    return times


def run(rounds: int = ROUNDS) -> list[str]:
    times = measure(rounds)
    if times is None:
        return ["Streamlit pages, time to first chart: skipped (no chromium; apt-get install chromium)"]
    floor = statistics.median(times["floor"])
    lines = [f"Streamlit pages, time to first chart in Chromium (median of {rounds}, alternating with the floor "
             f"page, {floor:.2f} s):"]
    for name, values in times.items():
        if name == "floor":
            continue
        median = statistics.median(values)
        ratio = median / floor
        target = TARGETS.get(name, TARGET)
        label = f"{LARGE:,}-event case" if name == "large" else name
        what = "its key figures (no chart)" if name == "Home" else "first chart"
        lines.append(f"  {label:<22} {median:6.2f} s to {what}: ratio {ratio:4.2f} (target <= {target}: "
                     f"{'ok' if ratio <= target else 'over'}); range {min(values):.2f}-{max(values):.2f} s")
    return lines


if __name__ == "__main__":
    import sys

    print("\n".join(run(int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS)), flush=True)
