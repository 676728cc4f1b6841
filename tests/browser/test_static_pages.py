"""The static site in Chromium: each chart's image first, then every chart drawn by plotly.js's basic
bundle; no request to another host; axe finds nothing of moderate impact or above; a case page prints to
A4 without navigation or buttons; link previews point at images that exist in the build."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import struct
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from timelines import load_library
from timelines.site import build_site
from timelines.site.render import BUNDLE

pytestmark = pytest.mark.browser
BASE = "https://example.org/prevent/"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def built(chromium_path, site_data, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("static") / "site"
    from datetime import date

    build_site(load_library(site_data), out, today=date(2026, 11, 22), images=True, base_url=BASE)
    return out


@pytest.fixture(scope="module")
def served(built):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(built)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def _draw_all(page) -> int:
    """Scroll every chart into view and wait until plotly.js has drawn it; return how many."""
    charts = page.locator(".chart[data-figure]")
    for n in range(charts.count()):
        charts.nth(n).hover()  # the reader reaches for the chart: plotly.js loads and draws it
        charts.nth(n).and_(page.locator(".drawn")).wait_for(timeout=30_000)
    return charts.count()


def _pages(built: Path) -> list[str]:
    return sorted(str(p.relative_to(built)) for p in built.rglob("*.html"))


def test_every_page_shows_its_images_then_draws_every_chart_with_no_outside_request(browser, built, served):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        for path in _pages(built):
            page.goto(served + path)
            charts = page.locator(".chart[data-figure]")
            stills = page.locator(".chart img.still")
            assert stills.count() == charts.count(), f"{path}: a chart without its image"
            for n in range(charts.count()):
                assert stills.nth(n).evaluate("img => img.complete || img.loading === 'lazy'"), f"{path}: image {n}"
            assert page.evaluate("typeof window.Plotly") == "undefined", "plotly.js loaded before it was wanted"
            _draw_all(page)
            for n in range(charts.count()):
                assert stills.nth(n).evaluate("img => img.complete && img.naturalWidth > 0"), f"{path}: image {n}"
            assert page.locator(".chart.drawn .js-plotly-plot .main-svg").count() >= charts.count()
            scripts = page.eval_on_selector_all("script[src]", "els => els.map(e => e.getAttribute('src'))")
            assert all("assets/" in s for s in scripts), scripts
            if charts.count():
                assert page.evaluate("Plotly.version") == BUNDLE["version"]
    finally:
        context.close()
    assert errors == []
    assert {urlparse(u).netloc for u in requests if not u.startswith("data:")} == {urlparse(served).netloc}


@pytest.mark.parametrize("width", [1400, 390])
def test_axe_finds_nothing_of_moderate_impact_or_above(browser, built, served, width):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        for path in _pages(built):
            page.goto(served + path)
            _draw_all(page)
            found = [f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']][:2]}"
                     for v in Axe().run(page).response["violations"]
                     if v["impact"] in ("moderate", "serious", "critical")]
            assert found == [], f"{path} at {width} px"
    finally:
        context.close()


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_a_case_page_prints_to_a4_without_navigation_or_buttons(browser, built, served, tmp_path):
    case = next(p for p in _pages(built) if p.startswith("cases/"))
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        page.goto(served + case)
        _draw_all(page)
        page.emulate_media(media="print")
        hidden = page.eval_on_selector_all(
            "nav, button, .modebar, .skip, .plot",
            "els => els.filter(e => getComputedStyle(e).display !== 'none' && e.offsetParent !== null).length")
        assert hidden == 0, "navigation, a button or a live chart would be printed"
        stills = page.eval_on_selector_all(".chart img.still", "els => els.map(e => e.getBoundingClientRect().width)")
        main = page.locator("main").evaluate("e => e.getBoundingClientRect().width")
        assert stills and all(0 < w <= main + 0.5 for w in stills), (stills, main)
        sections = page.locator("main .section").count()
        notes = page.locator(".footnotes li").count()
        assert notes == len(set(page.eval_on_selector_all("sup a", "els => els.map(e => e.getAttribute('href'))")))
        pdf = page.pdf(format="A4", print_background=True)
    finally:
        context.close()
    pages = _pdf_pages(pdf)
    # Every section starts a page; a page holds at least a few rows, so the handout stays bounded.
    assert sections <= pages <= sections * 4, (pages, sections)
    if shutil.which("pdftotext"):
        (tmp_path / "case.pdf").write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(tmp_path / "case.pdf"), "-"], capture_output=True, text=True,
                              check=True).stdout
        for absent in ("Skip to main content", "Sources, glossary and method", "On this page", "About this source"):
            assert absent not in text, absent
        assert "Sources cited on this page" in text


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_link_previews_point_at_slide_images_in_the_build(built):
    from tests.test_static_site import parse

    for path in _pages(built):
        parsed = parse(built / path)
        image = parsed.meta("og:image")
        assert image and image.startswith(BASE), path
        assert parsed.meta("twitter:image") == image and parsed.meta("twitter:card") == "summary_large_image"
        assert parsed.meta("og:image:alt")
        file = built / image.removeprefix(BASE)
        assert file.is_file(), f"{path}: {image} is not in the build"
        assert _png_size(file.read_bytes()) == (2560, 1440)
        assert parsed.meta("og:url") == BASE + path
