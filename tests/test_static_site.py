"""The static site: pages from autoescaped templates, plotly.js's basic bundle shipped once, no script but
the site's own, no request to another host, link previews, a safe output folder and incremental rebuilds.

Browser checks (charts drawn, print, axe) are in tests/browser/test_static_site_browser.py.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import plotly.offline
import pytest
import yaml

from tests.conftest import DATA
from tests.sample_library import write_sample
from timelines import load_library
from timelines.charts import all_charts
from timelines.cli import main
from timelines.site import MARKER, SiteError, build_site
from timelines.site.render import BUNDLE, STATIC, assets

TODAY = "2026-11-22"
BASE = "https://example.org/prevent/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    assert main(["build-site", str(out), "--data", str(DATA), "--today", TODAY, "--quiet", "--no-images",
                 "--base-url", BASE]) == 0
    return out


class Parsed(HTMLParser):
    """Every tag with its attributes, the ids, and the text of every <script>."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "script":
            self._script = attrs
            self.scripts.append((attrs, ""))

    def handle_data(self, data):
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def meta(self, name: str) -> str | None:
        for tag, attrs in self.tags:
            if tag == "meta" and name in (attrs.get("property"), attrs.get("name")):
                return attrs.get("content")
        return None

    def loads(self) -> list[str]:
        """What the page makes the browser fetch: src of any tag, href of <link>."""
        found = [a["src"] for _, a in self.tags if a.get("src")]
        links = [a for t, a in self.tags if t == "link" and a.get("rel") != "canonical"]
        return found + [a["href"] for a in links if a.get("href")]


def parse(path: Path) -> Parsed:
    parser = Parsed()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_a_page_for_the_index_the_sources_and_every_loaded_case(site):
    library = load_library(DATA)
    pages = {str(p.relative_to(site)) for p in html_pages(site)}
    assert pages == {"index.html", "sources.html", *(f"cases/{c}.html" for c in library.cases)}
    index = (site / "index.html").read_text()
    for case in library.cases.values():
        assert f'href="cases/{case.id}.html"' in index
    assert f"{len(library.cases)} cases" in index or len(library.cases) <= 10


def test_the_basic_bundle_matches_the_python_packages_plotly_js():
    assert BUNDLE["version"] == plotly.offline.get_plotlyjs_version()
    shipped = (STATIC / BUNDLE["file"]).read_text()
    assert f"plotly.js (basic - minified) v{BUNDLE['version']}" in shipped[:300]
    assert (STATIC / "plotly-basic.LICENSE.txt").read_text().startswith("MIT License")


def test_every_chart_of_the_catalogue_uses_only_trace_types_the_basic_bundle_has(tmp_path):
    used = set()
    for root in (DATA, write_sample(tmp_path / "sample")):
        for chart in all_charts(load_library(root), today=__import__("datetime").date(2026, 11, 22)):
            used |= {trace.type for trace in chart.figure.data}
    assert used and used <= set(BUNDLE["trace_types"]), used - set(BUNDLE["trace_types"])


def test_pages_load_no_script_but_the_sites_own_and_nothing_from_another_host(site):
    for page in html_pages(site):
        parsed = parse(page)
        for attrs, _text in parsed.scripts:
            assert attrs.get("src", "").removeprefix("../") == assets()["js"], (page.name, attrs)
            assert "defer" in attrs, f"{page.name}: {attrs['src']} blocks rendering"
            assert attrs["data-plotly"].removeprefix("../") == assets()["plotly"]
        for url in parsed.loads():
            assert not urlparse(url).scheme and not urlparse(url).netloc, f"{page.name} loads {url}"
        csp = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert csp and "script-src 'self'" in csp[0]["content"]


def test_assets_are_shipped_once_with_cacheable_names_and_the_bundles_licence(site):
    for name in assets().values():
        assert (site / name).is_file(), name
    assert (site / "assets" / "plotly-basic.LICENSE.txt").is_file()
    assert json.loads((site / "assets" / "plotly-basic.json").read_text())["version"] == BUNDLE["version"]
    for page in html_pages(site):
        assert page.stat().st_size < 1_000_000, f"{page.name} inlines too much"
    rules = (site / "_headers").read_text()
    assert "/assets/*\n  Cache-Control: public, max-age=31536000, immutable" in rules


def test_every_internal_link_resolves(site):
    pages = {p: parse(p) for p in html_pages(site)}
    checked = 0
    for page, parsed in pages.items():
        for tag, attrs in parsed.tags:
            link = attrs.get("href") or attrs.get("src")
            if not link or urlparse(link).scheme or tag == "meta":
                continue
            target, _, anchor = urljoin(page.as_uri(), link).partition("#")
            path = Path(urlparse(target).path)
            assert path.exists(), f"{page.name}: {link} does not resolve"
            if anchor:
                assert anchor in pages[path].ids, f"{page.name}: #{anchor} is not in {path.name}"
            checked += 1
    assert checked > 20


def figures(page: Path) -> list[dict]:
    """The figures a page's charts draw (JSON files beside the pages)."""
    charts = [a for t, a in parse(page).tags if t == "div" and "chart" in a.get("class", "").split()]
    return [json.loads((page.parent / c["data-figure"]).read_text()) for c in charts]


def test_every_chart_has_its_figure_and_its_table(site):
    library = load_library(DATA)
    for case_id in library.cases:
        page = site / "cases" / f"{case_id}.html"
        found = figures(page)
        tables = [a for t, a in parse(page).tags if t == "table"]
        assert found and len(found) == len(tables)
        assert all(f["data"] and f["layout"] and f["config"]["displaylogo"] is False for f in found)


def test_every_page_has_a_description_and_link_preview_tags(site):
    for page in html_pages(site):
        parsed = parse(page)
        rel = str(page.relative_to(site))
        title = parsed.meta("og:title")
        assert title and parsed.meta("twitter:title") == title
        assert parsed.meta("description") and parsed.meta("og:description") == parsed.meta("description")
        assert parsed.meta("og:url") == BASE + rel
        assert parsed.meta("twitter:card") in {"summary", "summary_large_image"}
        assert any(t == "link" and a.get("rel") == "icon" for t, a in parsed.tags)


def test_table_cells_print_whole_days_without_a_decimal_point(site):
    text = "".join(p.read_text() for p in (site / "cases").glob("*.html"))
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", text)
    assert any(re.fullmatch(r"\d+", c) for c in cells), "the tables hold day counts"
    assert not [c for c in cells if re.fullmatch(r"\d+\.0", c)]


def test_every_table_cell_carries_its_columns_name_for_the_phone_layout(site):
    """On a phone each cell is a line led by its column's name (data-label); the roles keep it a table."""
    checked = 0
    for page in html_pages(site):
        for block in re.findall(r"<table.*?</table>", page.read_text(), flags=re.S):
            assert block.startswith('<table role="table">')
            headings = re.findall(r'<th scope="col" role="columnheader">(.*?)</th>', block)
            rows = re.findall(r'<tr role="row">(.*?)</tr>', block.split("<tbody", 1)[1], flags=re.S)
            assert headings and rows, page
            for row in rows:
                assert re.findall(r'<td role="cell" data-label="([^"]*)">', row) == [h.strip() for h in headings], page
                checked += 1
    assert checked > 20


# --- the output folder ----------------------------------------------------------------------------------

def _library(tmp_path):
    return load_library(write_sample(tmp_path / "lib"))


def test_refuses_a_folder_that_is_neither_empty_nor_an_earlier_build(tmp_path, capsys):
    data = write_sample(tmp_path / "data")
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    assert main(["build-site", str(data), "--data", str(data), "--quiet", "--no-images"]) == 2
    assert "not an earlier build" in capsys.readouterr().err
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before
    assert not list(tmp_path.glob(".data.*")), "the temporary folder was left behind"


def test_replaces_an_earlier_build_and_an_empty_folder(tmp_path):
    library = _library(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    build_site(library, out, images=False)
    assert (out / MARKER).is_file()
    (out / "cases" / "stale.html").write_text("left from an old build")
    build_site(library, out, images=False)
    assert not (out / "cases" / "stale.html").exists()
    assert (out / "index.html").is_file()


def test_a_failed_build_leaves_the_previous_one_untouched(tmp_path, monkeypatch):
    library = _library(tmp_path)
    out = tmp_path / "out"
    build_site(library, out, images=False)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    from timelines.site import build

    monkeypatch.setattr(build, "index_page", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError, match="boom"):
        build_site(library, out, images=False, today=__import__("datetime").date(2030, 1, 1))
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_a_base_url_must_be_absolute(tmp_path):
    with pytest.raises(SiteError, match="absolute"):
        build_site(_library(tmp_path), tmp_path / "out", base_url="example.org")


def test_an_incremental_rebuild_rewrites_only_the_pages_whose_data_changed(tmp_path):
    root = write_sample(tmp_path / "lib")
    out = tmp_path / "out"
    build_site(load_library(root), out, images=False)
    stat = {p.name: p.stat() for p in (out / "cases").iterdir()}
    case = root / "cases" / "other.yaml"
    case.write_text(case.read_text().replace("summary: ", "summary: Edited. ", 1))
    build_site(load_library(root), out, images=False)
    after = {p.name: p.stat() for p in (out / "cases").iterdir()}
    assert after["other.html"].st_ino != stat["other.html"].st_ino
    assert "Edited." in (out / "cases" / "other.html").read_text()
    assert (after["demo.html"].st_ino, after["demo.html"].st_mtime_ns) == \
        (stat["demo.html"].st_ino, stat["demo.html"].st_mtime_ns)
    manifest = json.loads((out / MARKER).read_text())
    assert (manifest["rendered"], manifest["carried_over"]) == (1, 1)


# --- hostile text ---------------------------------------------------------------------------------------

HOSTILE = '"\'><script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>'
TEXT_KEYS = {"title", "summary", "subject", "detail", "text", "by", "about", "note", "value", "quote", "locator",
             "publisher", "measure", "term", "stands_for", "definition", "promise", "made_by", "question"}


def _poison(node):
    if isinstance(node, dict):
        return {k: (f"{v[:40]} {HOSTILE}" if k in TEXT_KEYS and isinstance(v, str) else _poison(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_poison(v) for v in node]
    return node


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = write_sample(tmp_path_factory.mktemp("hostile") / "lib")
    for path in root.rglob("*.yaml"):
        data = _poison(yaml.safe_load(path.read_text()))
        if path.name == "sources.yaml":
            data["sources"][0]["url"] = 'https://example.org/"onmouseover="alert(4)'
        path.write_text(yaml.safe_dump(data, allow_unicode=True))
    library = load_library(root)
    assert not library.problems, library.problems[:3]
    out = tmp_path_factory.mktemp("hostile-site") / "out"
    build_site(library, out, images=False, base_url=BASE)
    return out


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def test_hostile_text_never_reaches_the_pages_as_markup(hostile_site):
    for page in html_pages(hostile_site):
        text = page.read_text()
        assert "&lt;script&gt;alert(1)" in text, f"{page.name}: the hostile text is missing, not escaped"
        assert "<script>alert" not in text and "<img src=x" not in text
        parsed = parse(page)
        for tag, attrs in parsed.tags:
            assert not any(name.startswith("on") for name in attrs), (page.name, tag, attrs)
            for name in ("href", "src", "content"):
                assert not (attrs.get(name) or "").lower().startswith("javascript:"), (page.name, tag, attrs)
            if tag == "img":
                assert "still" in attrs.get("class", ""), (page.name, attrs)
            if tag == "script":
                assert attrs["src"].removeprefix("../") == assets()["js"]


def test_hostile_text_in_the_plotly_json_and_hover_text_is_escaped(hostile_site):
    seen = 0
    for page in html_pages(hostile_site):
        for figure in figures(page):
            for s in _strings(figure):
                low = s.lower()
                assert "<script" not in low and "<img" not in low and "<a " not in low, s[:200]
                assert not re.search(r"<[^>]*(javascript:|onerror)", low), s[:200]
                seen += "&lt;script&gt;" in s
    assert seen, "the hostile titles should appear, escaped, in the figures"
