"""The static site in Chromium: each chart's image first, then every chart drawn by plotly.js's basic
bundle; no request to another host; axe finds nothing of moderate impact or above; a case page prints to
A4 without navigation or buttons; link previews point at images that exist in the build. On a phone
(under 640 px) each chart's phone layout, as image and as drawn chart, with no sideways scrolling at 320
and 390 px; WCAG 2.2 focus (a 3 px outline at 3:1 against page and control, never hidden) and heading
order at 1400, 640 and 320 px."""

from __future__ import annotations

import functools
import http.server
import itertools
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


@pytest.mark.parametrize("width", [1400, 640, 390, 320])
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


# --- phones and reflow (issues 8 and 13) -----------------------------------------------------------------

LAYOUT_JS = """
() => {
  const main = document.querySelector('main').getBoundingClientRect();
  const outside = [];
  for (const el of document.querySelectorAll('body *')) {
    // The tables scroll inside their own box; the skip link waits off screen until focused; plotly.js
    // measures text in a hidden SVG far off screen (#js-plotly-tester); the drawn charts are checked below.
    if (el.closest('.table-wrap, .skip, .js-plotly-plot, #js-plotly-tester')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.left < -0.5 || r.right > innerWidth + 0.5)
      outside.push(el.tagName + '.' + el.getAttribute('class') + ' ' + r.left + '-' + r.right);
  }
  const charts = [...document.querySelectorAll('.chart[data-figure]')].map((box) => {
    const img = box.querySelector('img.still'); const svg = box.querySelector('.main-svg');
    const b = box.getBoundingClientRect(); const i = img ? img.getBoundingClientRect() : null;
    return {box: [b.left, b.right], phone: box.dataset.figurePhone || null, drawn: box.dataset.drawn || null,
            figure: box.dataset.figure, src: img ? img.currentSrc : null,
            img: img && img.offsetParent !== null ? [i.left, i.right] : null,
            svg: svg ? [svg.getBoundingClientRect().left, svg.getBoundingClientRect().right] : null};
  });
  return {sideways: document.scrollingElement.scrollWidth - innerWidth, main: [main.left, main.right], outside, charts};
}
"""


@pytest.mark.parametrize("width", [320, 390, 1400])
def test_phones_get_the_phone_layout_and_nothing_runs_off_the_screen(browser, built, served, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    phones = 0
    try:
        for path in _pages(built):
            page.goto(served + path)
            before = page.evaluate(LAYOUT_JS)
            for chart in before["charts"]:
                if chart["phone"] and chart["src"]:  # the lazy images further down have not been chosen yet
                    assert chart["src"].endswith(".webp")
            _draw_all(page)
            after = page.evaluate(LAYOUT_JS)
            for state in (before, after):
                assert state["sideways"] <= 0, f"{path} at {width} px scrolls sideways by {state['sideways']} px"
                assert state["outside"] == [], f"{path} at {width} px: {state['outside'][:5]}"
            for n, chart in enumerate(after["charts"]):
                narrow = width <= 640
                want = chart["phone"] if narrow and chart["phone"] else chart["figure"]
                assert chart["drawn"] == want, (path, n, width)
                phones += bool(narrow and chart["phone"])
                for part in ("box", "svg"):
                    left, right = chart[part]
                    assert after["main"][0] - 0.5 <= left and right <= after["main"][1] + 0.5, (path, n, part, chart)
            # Images: the phone image under 640 px where the chart has one, the desktop image otherwise.
            page.evaluate("document.querySelectorAll('.chart').forEach(b => b.classList.remove('drawn'))")
            for n, chart in enumerate(page.evaluate(LAYOUT_JS)["charts"]):
                # the first source whose media matches: the phone image drawn for this band of widths
                phone_src = page.locator(".chart").nth(n).locator("source").evaluate_all(
                    "els => els.filter(e => matchMedia(e.media).matches).map(e => e.getAttribute('srcset'))")
                chosen = chart["src"].split("/")[-1]
                if width <= 640 and phone_src:
                    assert chosen == phone_src[0].split("/")[-1].split(" ")[0], (path, n)
                else:
                    assert chosen == page.locator(".chart img.still").nth(n).get_attribute("src").split("/")[-1]
                left, right = chart["img"]
                assert after["main"][0] - 0.5 <= left and right <= after["main"][1] + 0.5, (path, n, chart)
    finally:
        context.close()
    if width <= 640:
        assert phones >= 1, "no chart was drawn in its phone layout"


TABLES_JS = """
() => [...document.querySelectorAll('.table-wrap')].map((wrap) => {
  wrap.scrollIntoView();
  const cells = [...wrap.querySelectorAll('td')].filter((td) => td.textContent.trim());
  return {sideways: wrap.scrollWidth - wrap.clientWidth,
          display: getComputedStyle(cells[0]).display,
          unnamed: cells.filter((td) => getComputedStyle(td, '::before').content
                                          !== JSON.stringify(td.dataset.label + ': ')).length};
})
"""


@pytest.mark.parametrize("width", [320, 390, 1400])
def test_on_a_phone_a_table_is_read_a_row_at_a_time_with_nothing_off_to_the_side(browser, built, served, width):
    """Under 640 px each row of a chart's table is a block and each cell a line led by its column's name, so
    the table never scrolls sideways; on a wide screen it is the grid."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        for path in _pages(built):
            page.goto(served + path)
            for n, table in enumerate(page.evaluate(TABLES_JS)):
                if width <= 640:
                    assert table["display"] == "block" and table["unnamed"] == 0, (path, n, table)
                    assert table["sideways"] <= 0, (path, n, table)
                else:
                    assert table["display"] == "table-cell", (path, n, table)
    finally:
        context.close()


SIZES_JS = """
() => { window.__sizes = []; const seen = window.__sizes;
  document.querySelectorAll('.chart').forEach((box, n) => {
    seen[n] = [];
    new ResizeObserver(() => seen[n].push(Math.round(box.getBoundingClientRect().height))).observe(box); });
  return document.querySelectorAll('.chart').length; }
"""


@pytest.mark.parametrize("width", [320, 390, 600, 1400])
def test_drawing_a_chart_over_its_image_moves_nothing_on_the_page(browser, built, served, width):
    """The box of each chart has the drawn chart's height from the first paint, at every width, and keeps it
    through every frame of the drawing (a ResizeObserver sees each change), so the page never jumps under a
    reader who has just tapped or tabbed into it."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        for path in _pages(built):
            page.goto(served + path)
            if not page.evaluate(SIZES_JS):
                continue
            page.wait_for_timeout(100)  # the observers' first reports: the heights before any drawing
            _draw_all(page)
            page.wait_for_timeout(100)
            sizes = page.evaluate("window.__sizes")
            for n, heights in enumerate(sizes):
                assert heights and len(set(heights)) == 1, f"{path} at {width} px: chart {n} was {heights} px high"
    finally:
        context.close()


GAP_JS = """
async () => {
  const out = [];
  for (const box of document.querySelectorAll('.chart[data-figure-phone]')) {
    const img = box.querySelector('img.still');
    box.scrollIntoView(); await img.decode().catch(() => null);
    const b = box.getBoundingClientRect(), i = img.getBoundingClientRect();
    out.push({src: img.currentSrc, box: [b.width, b.height], img: [i.width, i.height], top: i.top - b.top});
  }
  return out;
}
"""


@pytest.mark.parametrize("width", [320, 360, 390])
def test_on_a_phone_the_image_fills_the_height_the_drawn_chart_will_take(browser, built, served, width):
    """Each phone image is the one drawn for the reader's band of widths, shown at its own size: as high as
    the box (the drawn chart's height), so no blank space waits under it, and as wide as the box at the
    band's narrowest screen (320, 360, 390 px), and only a little narrower above it."""
    context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=2)
    page = context.new_page()
    seen = 0
    try:
        for path in _pages(built):
            page.goto(served + path)
            for chart in page.evaluate(GAP_JS):
                (box_w, box_h), (img_w, img_h) = chart["box"], chart["img"]
                assert chart["top"] == 0 and box_h - img_h <= 2, f"{path} at {width} px: {chart}"
                assert 0 <= box_w - img_w <= 2, f"{path} at {width} px: {chart}"
                seen += 1
            if seen:
                _draw_all(page)
                heights = page.evaluate("[...document.querySelectorAll('.chart[data-figure-phone]')].map("
                                        "b => [b.getBoundingClientRect().height, "
                                        "b.querySelector('.main-svg').getBoundingClientRect().height])")
                for box_h, drawn_h in heights:
                    assert abs(box_h - drawn_h) <= 1, f"{path} at {width} px: box {box_h}, drawn {drawn_h}"
    finally:
        context.close()
    assert seen, "no chart has a phone image"


# --- focus and headings (issue 13) -------------------------------------------------------------------------

# Measured once the page has drawn two frames after the key press, as a reader sees it: a page whose
# off-screen parts are laid out only as they near the screen (content-visibility) settles in the frame
# after focus moves, and a measure taken before that frame is of a page nobody saw.
FOCUS_JS = """
async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const behind = (node) => { for (let n = node.parentElement; n; n = n.parentElement) {
      const bg = getComputedStyle(n).backgroundColor;
      if (bg && !/rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) return bg; }
    return 'rgb(255, 255, 255)'; };
  const r = el.getBoundingClientRect();
  const cx = Math.min(Math.max(r.left + Math.min(r.width / 2, 20), 0), innerWidth - 1);
  const cy = Math.min(Math.max(r.top + Math.min(r.height / 2, 10), 0), innerHeight - 1);
  const hit = document.elementFromPoint(cx, cy);
  return {name: (el.getAttribute('aria-label') || el.textContent || el.tagName).trim().slice(0, 50),
          visible: el.matches(':focus-visible'), outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
          colour: s.outlineColor, own: s.backgroundColor, page: behind(el),
          top: Math.round(r.top), bottom: Math.round(r.bottom), scrolled: Math.round(scrollY),
          onScreen: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
          covered: !(hit && (el.contains(hit) || hit.contains(el)))};
}
"""


def _focus_problems(info: dict) -> list[str]:
    from tests.browser.audit import contrast, parse_rgb

    name = info["name"]
    if not info["visible"]:
        return [f"{name!r}: not :focus-visible when reached by keyboard"]
    if info["outline"] in ("none", "") or info["width"] < 3:
        return [f"{name!r}: no 3 px outline ({info['outline']} {info['width']} px)"]
    problems = []
    colour = parse_rgb(info["colour"])
    if contrast(colour, parse_rgb(info["page"]) or (255, 255, 255)) < 3:
        problems.append(f"{name!r}: outline under 3:1 against the page")
    own = parse_rgb(info["own"]) or parse_rgb(info["page"]) or (255, 255, 255)
    if contrast(colour, own) < 3:
        problems.append(f"{name!r}: outline under 3:1 against the control")
    if not info["onScreen"] or info["covered"]:
        problems.append(f"{name!r}: focused but hidden (on screen {info['onScreen']}, covered {info['covered']};"
                        f" top {info['top']}, bottom {info['bottom']} px, page scrolled {info['scrolled']} px)")
    return problems


@pytest.mark.parametrize("width", [1400, 640, 320])
def test_every_focused_control_shows_a_strong_outline_and_is_never_hidden(browser, built, served, width):
    context = browser.new_context(viewport={"width": width, "height": 450 if width == 640 else 800})
    page = context.new_page()
    try:
        for path in _pages(built):
            page.goto(served + path)
            stops = page.evaluate("document.querySelectorAll('a[href], [tabindex=\"0\"], summary').length")
            seen, problems = 0, []
            for key in ("Tab", "Shift+Tab"):
                page.evaluate("document.activeElement && document.activeElement.blur()")
                for step in range(min(stops, 60)):
                    page.keyboard.press(key)
                    info = page.evaluate(FOCUS_JS)
                    if info:
                        seen += 1
                        problems += [f"{key} {step + 1}: {p}" for p in _focus_problems(info)]
            assert seen >= min(stops, 60), path
            assert problems == [], f"{path} at {width} px"
    finally:
        context.close()


def test_heading_levels_never_skip_on_any_page(browser, built, served):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        for path in _pages(built):
            page.goto(served + path)
            levels = page.eval_on_selector_all("h1, h2, h3, h4, h5, h6", "els => els.map(e => +e.tagName[1])")
            assert levels and levels[0] == 1 and levels.count(1) == 1, (path, levels)
            jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
            assert jumps == [], f"{path}: heading levels skip {jumps}"
    finally:
        context.close()
