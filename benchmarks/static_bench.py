"""The static site against the floor: a minimal Streamlit page holding one Plotly chart, measured in the
same run (``benchmarks/minimal_page.py``).

- First chart on screen: from navigation until the case page's first chart image has loaded (the floor:
  until its Plotly chart has markers). Target 0.2x the floor.
- Interactive: from navigation until plotly.js has drawn that chart, the reader pointing at it as soon as
  its image is there (plotly.js loads when a reader reaches for a chart). Target 0.4x the floor.
- Build: ``build-site`` (a fresh process, as a user runs it) for the generated 1,000-case library, without
  pre-rendered images, then an incremental rebuild after one case file is edited (target 60 s), each as
  wall time, CPU time and CPU per case with the load average. Images (desktop and phone layouts) for the
  bundled data: cold (empty image cache) and warm.
- Lighthouse (mobile) on a static case page when ``lighthouse`` is installed: set LIGHTHOUSE to its path, or
  have ``npx --no-install lighthouse`` work (``npm install --prefix /tmp/lh lighthouse``, then
  LIGHTHOUSE=/tmp/lh/node_modules/.bin/lighthouse). Targets: performance >= 0.95, the others 1.0.

Medians of alternating loads, a fresh browser context for each. ``run()`` returns the lines to print.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from benchmarks.generate import generate

REPO = Path(__file__).resolve().parent.parent
MINIMAL = REPO / "benchmarks" / "minimal_page.py"
CHROMIUM = "/usr/bin/chromium"
LOADS = 5
TODAY = "2026-11-22"
FLOOR_CHART = '[data-testid="stPlotlyChart"] .scatterlayer .point'


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def static_server(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def _cli(*args: str, env: dict | None = None) -> float:
    return _timed_cli(*args, env=env)[0]


def _timed_cli(*args: str, env: dict | None = None) -> tuple[float, float]:
    """Wall-clock seconds of a command, and the CPU seconds it and its workers used (on a busy machine the
    CPU time divided by the cores is what the wall time would be on idle ones)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "timelines", *args, "--quiet"], cwd=REPO, check=True,
                   env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _floor_load(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(FLOOR_CHART, state="attached", timeout=60_000)
        return time.perf_counter() - start
    finally:
        context.close()


def _static_load(browser, url: str) -> tuple[float, float]:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        still = page.locator(".chart img.still").first
        still.wait_for(state="attached", timeout=60_000)
        while not still.evaluate("img => img.complete && img.naturalWidth > 0"):
            time.sleep(0.005)
        shown = time.perf_counter() - start
        chart = page.locator(".chart[data-figure]").first
        chart.hover()
        chart.and_(page.locator(".drawn")).wait_for(timeout=60_000)
        return shown, time.perf_counter() - start
    finally:
        context.close()


def browser_ratios(site: Path, case: str) -> list[str]:
    from playwright.sync_api import sync_playwright

    from tests.browser.server import serve, stop
    from tests.conftest import CHROMIUM_ARGS

    proc, floor_url = serve(MINIMAL)
    floor, shown, drawn = [], [], []
    try:
        with static_server(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            _floor_load(browser, floor_url)  # warm-up: the server's caches, the OS's file cache
            _static_load(browser, base + case)
            for _ in range(LOADS):  # alternate, so that a busy moment hits both alike
                floor.append(_floor_load(browser, floor_url))
                first, ready = _static_load(browser, base + case)
                shown.append(first)
                drawn.append(ready)
            browser.close()
    finally:
        stop(proc)
    f, s, d = (statistics.median(v) for v in (floor, shown, drawn))
    return [f"static case page, {label:<24} {x:6.3f} s   floor {f:6.3f} s   ratio {x / f:4.2f} (target <= {target})"
            for label, x, target in (("first chart on screen", s, 0.2), ("chart interactive", d, 0.4))]


def build_times(n_cases: int = 1000, n_events: int = 50) -> list[str]:
    """The 1,000-case build and an incremental rebuild after one case changed, as wall time, CPU time (the
    command and its workers) and CPU per case, with the load average: on a machine shared with other work
    the wall time says little, the CPU time divided by the cores is what the wall time would be on idle ones."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = {"TIMELINES_CACHE_DIR": str(tmp / "cache")}
        library = generate(tmp / "library", n_cases, n_events)
        out = tmp / "site"
        load = os.getloadavg()[0]
        full, full_cpu = _timed_cli("build-site", str(out), "--data", str(library), "--today", TODAY, "--no-images",
                                    env=env)
        case = library / "cases" / "case-0007.yaml"
        case.write_text(case.read_text().replace("summary: Generated for benchmarks.", "summary: Edited.", 1))
        again, again_cpu = _timed_cli("build-site", str(out), "--data", str(library), "--today", TODAY,
                                      "--no-images", env=env)
        manifest = json.loads((out / ".timelines-site.json").read_text())
        bundled = tmp / "bundled"
        cold = _cli("build-site", str(bundled), "--today", TODAY, env={"TIMELINES_CACHE_DIR": str(tmp / "images")})
        shutil.rmtree(bundled)
        warm = _cli("build-site", str(bundled), "--today", TODAY, env={"TIMELINES_CACHE_DIR": str(tmp / "images")})
        after = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    return [
        f"build-site, {n_cases:,} cases x {n_events} events, no images: {full:6.1f} s   (target <= 60 s; "
        f"CPU {full_cpu:.0f} s over {cores} cores = {full_cpu / cores:.0f} s on idle cores, "
        f"{full_cpu / n_cases * 1000:.0f} ms CPU per case; load average {load:.1f} before, {after:.1f} after)",
        f"build-site, incremental after one case edited:  {again:6.1f} s   (CPU {again_cpu:.1f} s; "
        f"{manifest['rendered']} page rendered, {manifest['carried_over']} carried over)",
        f"build-site, bundled data with chart images (desktop and phone): cold {cold:5.1f} s, "
        f"images cached {warm:5.1f} s",
    ]


def _lighthouse() -> list[str] | None:
    found = os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse")
    if found:
        return [found]
    if shutil.which("npx") and subprocess.run(["npx", "--no-install", "lighthouse", "--version"],
                                              capture_output=True).returncode == 0:
        return ["npx", "--no-install", "lighthouse"]
    return None


def lighthouse(site: Path, case: str) -> list[str]:
    command = _lighthouse()
    if command is None:
        return ["lighthouse: skipped (npm install --prefix /tmp/lh lighthouse; "
                "LIGHTHOUSE=/tmp/lh/node_modules/.bin/lighthouse)"]
    flags = "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run " \
            "--disable-background-networking --disable-component-update --disable-sync"
    with tempfile.TemporaryDirectory() as tmp, static_server(site) as base:
        report = Path(tmp) / "report.json"
        subprocess.run([*command, base + case, "--quiet", "--output=json", f"--output-path={report}",
                        f"--chrome-flags={flags}", "--only-categories=performance,accessibility,best-practices,seo"],
                       env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True, capture_output=True, timeout=600)
        categories = json.loads(report.read_text())["categories"]
    scores = ", ".join(f"{name} {c['score']:.2f}" for name, c in categories.items())
    return [f"lighthouse (mobile), static {case}: {scores} (targets 0.95, 1, 1, 1)"]


def run() -> list[str]:
    if not os.path.exists(CHROMIUM):
        return ["static site: skipped (no chromium; apt-get install chromium)"]
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        _cli("build-site", str(site), "--today", TODAY)
        case = sorted(p.relative_to(site).as_posix() for p in (site / "cases").glob("*.html"))[0]
        lines += browser_ratios(site, case)
        lines += lighthouse(site, case)
    lines += build_times()
    return lines


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    for line in run():
        print(line, flush=True)
