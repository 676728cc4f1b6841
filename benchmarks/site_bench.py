"""The site's speed against a yardstick: a minimal Streamlit page holding one Plotly chart.

Two measures, each for the case page and for ``benchmarks/minimal_page.py``, with their ratio
(target 1.3 or less):

- AppTest run time: a new session opening the page (``AppTest.from_file(page).run()``), the median of
  several sessions after one warm-up, as on a running server; and a rerun of the same session.
- Time until the chart is drawn in Chromium: from ``page.goto`` until the Plotly SVG and its markers
  exist, in a fresh browser context each time, the median of several loads.

``run()`` returns the lines to print; it never fails on a figure.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from tests.browser.server import serve, stop
from tests.conftest import CHROMIUM_ARGS

REPO = Path(__file__).resolve().parent.parent
CASE_PAGE = REPO / "components" / "case_page.py"
APP = REPO / "app.py"
MINIMAL = REPO / "benchmarks" / "minimal_page.py"
TARGET = 1.3
SESSIONS = 7
LOADS = 5
CHROMIUM = "/usr/bin/chromium"
SETTLED = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _line(label: str, measured: float, yardstick: float, unit: str = "s") -> str:
    ratio = measured / yardstick if yardstick else float("nan")
    verdict = "ok" if ratio <= TARGET else "over"
    return (f"{label:<44} {measured:7.3f} {unit}   minimal page {yardstick:7.3f} {unit}   "
            f"ratio {ratio:4.2f} (target <= {TARGET}: {verdict})")


# --- AppTest -----------------------------------------------------------------------------------------

def _session(script: Path) -> tuple[float, float]:
    """Seconds for a new session's first run of ``script``, and for a rerun of it."""
    from streamlit import logger
    from streamlit.testing.v1 import AppTest

    logger.set_log_level("error")  # AppTest runs outside a server, and Streamlit warns of it every run
    at = AppTest.from_file(str(script), default_timeout=120)
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{script.name} raised: {at.exception[0].message}")
    start = time.perf_counter()
    at.run()
    return first, time.perf_counter() - start


def apptest_times(sessions: int = SESSIONS) -> dict[str, tuple[float, float]]:
    """Median (first run, rerun) seconds per page, after one warm-up session each."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    results = {}
    for name, script in (("case", CASE_PAGE), ("minimal", MINIMAL)):
        _session(script)
        runs = [_session(script) for _ in range(sessions)]
        results[name] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
    return results


# --- the browser ---------------------------------------------------------------------------------------

def _time_to_chart(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(':is(.tl-chart, [data-testid="stPlotlyChart"]) .scatterlayer .point', state="attached",
                                timeout=60_000)  # the app's chart (plotly_view) or st.plotly_chart's
        return time.perf_counter() - start
    finally:
        page.wait_for_selector(SETTLED, timeout=60_000)
        context.close()


def browser_times(loads: int = LOADS) -> dict[str, float] | None:
    """Median seconds from navigation to a drawn chart, per page; None without chromium."""
    executable = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not executable:
        return None
    from playwright.sync_api import sync_playwright

    servers = {"case": serve(APP), "minimal": serve(MINIMAL)}
    urls = {"case": f"{servers['case'][1]}/case", "minimal": servers["minimal"][1]}
    times: dict[str, list[float]] = {name: [] for name in servers}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
            for url in urls.values():
                _time_to_chart(browser, url)  # warm-up: the server's caches, the OS's file cache
            for _ in range(loads):  # alternate, so that a busy moment on the machine hits both pages alike
                for name, url in urls.items():
                    times[name].append(_time_to_chart(browser, url))
            browser.close()
    finally:
        for proc, _ in servers.values():
            stop(proc)
    results = {name: statistics.median(values) for name, values in times.items()}
    return results


def run() -> list[str]:
    apptest = apptest_times()
    lines = [
        _line("case page, AppTest, new session", apptest["case"][0], apptest["minimal"][0]),
        f"{'case page, AppTest, rerun (for information)':<44} {apptest['case'][1]:7.3f} s   "
        f"minimal page {apptest['minimal'][1]:7.3f} s",
    ]
    drawn = browser_times()
    if drawn is None:
        lines.append("case page, chart drawn in Chromium: skipped (no chromium; apt-get install chromium)")
    else:
        lines.append(_line("case page, chart drawn in Chromium", drawn["case"], drawn["minimal"]))
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
