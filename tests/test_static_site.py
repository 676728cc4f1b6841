"""The static site: self-contained pages, Plotly shipped once, every chart drawn, every link resolving,
no request beyond the local server."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from tests.conftest import DATA
from timelines.cli import main


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    assert main(["build-site", str(out), "--data", str(DATA), "--today", "2026-11-22", "--quiet"]) == 0
    return out


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text())
    return parser


def test_pages_for_the_index_each_case_and_the_sources(site):
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
    assert pages == ["cases/amess.html", "cases/southport.html", "index.html", "sources.html"]


def test_plotly_is_shipped_once_beside_the_pages_not_inlined(site):
    bundle = site / "assets" / "plotly.min.js"
    assert bundle.stat().st_size > 1_000_000
    for page in site.rglob("*.html"):
        text = page.read_text()
        assert page.stat().st_size < 1_000_000, f"{page.name} inlines too much"
        assert re.search(r'<script src="(\.\./)?assets/plotly\.min\.js"></script>', text)


def test_no_page_refers_to_another_host(site):
    for page in site.rglob("*.html"):
        for link in _parse(page).links:
            assert not urlparse(link).netloc, f"{page.name} refers to {link}"


def test_every_internal_link_resolves(site):
    pages = {p: _parse(p) for p in site.rglob("*.html")}
    checked = 0
    for page, parsed in pages.items():
        for link in parsed.links:
            target, _, anchor = urljoin(page.as_uri(), link).partition("#")
            path = Path(urlparse(target).path)
            assert path.exists(), f"{page.name}: {link} does not resolve"
            if anchor:
                assert anchor in pages[path].ids, f"{page.name}: #{anchor} is not in {path.name}"
            checked += 1
    assert checked > 100


def test_every_chart_has_its_table(site):
    for page in site.rglob("*.html"):
        text = page.read_text()
        assert text.count('class="plotly-graph-div"') == text.count("<figcaption>")


@pytest.mark.browser
def test_pages_load_in_chromium_with_every_chart_drawn_and_no_outside_request(site, chromium):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    try:
        page = chromium.new_page()
        requests: list[str] = []
        failures: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: failures.append(str(e)))
        from axe_playwright_python.sync_playwright import Axe

        for path in ("index.html", "cases/southport.html", "cases/amess.html", "sources.html"):
            page.goto(base + path)
            expected = (site / path).read_text().count('class="plotly-graph-div"')
            if expected:
                page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {expected}")
                drawn = page.locator(".js-plotly-plot").count()
                assert drawn == expected, path
            violations = [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:2]}"
                          for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
            assert violations == [], path
        page.close()
        assert not failures
        hosts = {urlparse(u).netloc for u in requests if not u.startswith("data:")}
        assert hosts == {f"127.0.0.1:{server.server_port}"}
    finally:
        server.shutdown()
