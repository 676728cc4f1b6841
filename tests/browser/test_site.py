"""The running site in Chromium: every page loads (desktop and phone, screenshots in test-artifacts/),
axe finds no serious or critical problem, a click opens an event, a filter reaches the URL and a
reload restores it."""

from __future__ import annotations

import re

import pytest

from tests.browser.audit import PAGES, WHOLE, load
from tests.browser.conftest import ARTIFACTS, CHART_HOST, SETTLED

pytestmark = pytest.mark.browser

CONTEXT_TOGGLE = "Show the national policy and oversight context"
# axe rules left out, each for a reason that lies outside this project's code. Keep this empty if possible.
AXE_EXCLUDE: list[list[str]] = []


def settle(page) -> None:
    """Wait for the rerun a widget started to finish."""
    page.wait_for_timeout(300)
    page.wait_for_selector(SETTLED)


def screenshot(page, name: str) -> None:
    """The whole page (Streamlit scrolls inside its main block, so grow the viewport to fit it)."""
    viewport = page.viewport_size
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": min(max(height, viewport["height"]), 8000)})
    page.wait_for_timeout(400)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size(viewport)


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    context = {"include": [["body"]], "exclude": AXE_EXCLUDE} if AXE_EXCLUDE else None
    results = Axe().run(page, context=context)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("name, path, chart", PAGES, ids=[p[0] for p in PAGES])
def test_each_page_loads_and_passes_axe(site, desktop, name, path, chart):
    load(desktop, site + path, chart=chart)
    assert desktop.locator('[data-testid="stException"]').count() == 0
    screenshot(desktop, f"desktop-{name}")
    assert serious_violations(desktop) == []


def test_each_page_fits_a_phone(site, phone):
    for name, path, chart in PAGES:
        load(phone, site + path, chart=chart)
        assert phone.locator('[data-testid="stException"]').count() == 0
        screenshot(phone, f"phone-{name}")
        if name == "case":
            assert serious_violations(phone) == []
            overflow = phone.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
            assert overflow <= 390, "nothing makes the page scroll sideways on a phone"


def test_clicking_an_event_opens_its_detail(site, desktop):
    load(desktop, site + "/case", chart=True)
    points = desktop.locator(f"{CHART_HOST} .scatterlayer .trace .point")
    assert points.count() > 0
    points.nth(points.count() // 2).click(force=True)
    desktop.wait_for_url(re.compile(r"[?&]event="))
    settle(desktop)
    detail = desktop.locator('[data-testid="stMain"] h3')
    detail.first.wait_for()
    assert detail.first.inner_text().strip()
    assert desktop.get_by_text(re.compile(r"^Sources \(\d+\)$")).count() == 1
    screenshot(desktop, "desktop-case-event")


def test_a_filter_reaches_the_url_and_a_reload_restores_it(site, desktop):
    load(desktop, site + "/case", chart=True)
    count = desktop.get_by_text(re.compile(r"^Showing \d+ of \d+ events"))
    before = count.inner_text()
    desktop.get_by_text(CONTEXT_TOGGLE).click()
    desktop.wait_for_url(re.compile(r"[?&]context=false"))
    settle(desktop)
    after = count.inner_text()
    assert after != before and "national policy" not in after
    desktop.reload()
    load(desktop, desktop.url, chart=True)
    assert "context=false" in desktop.url
    assert count.inner_text() == after
    assert not desktop.get_by_label(CONTEXT_TOGGLE).is_checked()


def test_the_walkthrough_steps_by_keyboard_and_keeps_the_step_in_the_url(site, desktop):
    load(desktop, site + "/walkthrough?case=southport&step=3", chart=True)
    progress = desktop.get_by_test_id("stProgress").get_by_text(re.compile(r"^Step \d+ of \d+"))
    assert progress.inner_text().startswith("Step 3 of")
    desktop.locator("body").press("ArrowRight")
    desktop.wait_for_url(re.compile(r"[?&]step=4"))
    settle(desktop)
    assert progress.inner_text().startswith("Step 4 of")
    desktop.locator("body").press("Alt+Shift+KeyF")  # a plain f does nothing (WCAG 2.1.4)
    desktop.wait_for_url(re.compile(r"[?&]reveal=true"))
    settle(desktop)
    assert desktop.get_by_role("button", name=re.compile("Hide what the reviews found")).count() == 1
    desktop.reload()
    load(desktop, desktop.url, chart=True)
    assert progress.inner_text().startswith("Step 4 of")
    screenshot(desktop, "desktop-walkthrough-step")


def test_the_presenter_view_hides_the_menus(site, desktop):
    load(desktop, site + "/walkthrough?case=amess&step=6&present=true", chart=True)
    assert not desktop.locator('[data-testid="stHeader"]').is_visible()
    size = desktop.evaluate(
        "parseFloat(getComputedStyle([...document.querySelectorAll('[data-testid=\"stMarkdownContainer\"] p')]"
        ".find((p) => p.offsetParent !== null)).fontSize)")  # the first paragraph shown
    assert size >= 22
    screenshot(desktop, "desktop-walkthrough-presenter")
    assert serious_violations(desktop) == []


def test_a_chart_downloads_as_a_server_rendered_slide_image(site, desktop):
    import struct
    from pathlib import Path

    load(desktop, site + "/case", chart=True)
    with desktop.expect_download(timeout=90_000) as png:
        desktop.get_by_role("button", name=re.compile(r"Slide image, PNG")).first.click()
    data = Path(png.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (2560, 1440)
    assert png.value.suggested_filename.endswith(".png")
    with desktop.expect_download(timeout=60_000) as svg:
        desktop.get_by_role("button", name=re.compile(r"Slide image, SVG")).first.click()
    text = Path(svg.value.path()).read_text(encoding="utf-8")
    assert text.startswith("<svg") and "Source:" in text


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_every_chart_is_drawn_by_the_basic_bundle_not_streamlits_plotly(site, device, request):
    """Streamlit's own plotly.js (4.7 MB) never loads: every chart is drawn by the static site's basic bundle
    (1.2 MB, served from /app/static/), loaded once per page, and carries its text alternative."""
    page = request.getfixturevalue(device)
    for name, path, chart in PAGES:
        if not chart:
            continue
        urls: list[str] = []
        listen = lambda r, urls=urls: urls.append(r.url)  # noqa: E731
        page.on("request", listen)
        load(page, site + path, chart=True)
        page.wait_for_timeout(300)
        scripts = [u.split("?")[0].rsplit("/", 1)[-1] for u in urls if ".js" in u]
        assert scripts.count("plotly-basic.min.js") == 1, (name, scripts)
        assert not [s for s in scripts if s.startswith("PlotlyChart")], (name, "Streamlit's plotly.js loaded")
        hosts = page.evaluate("""() => [...document.querySelectorAll('.tl-chart')].filter((h) => h.offsetParent)
          .map((h) => ({role: h.getAttribute('role'), label: h.getAttribute('aria-label') || '',
                        drawn: !!h.querySelector('.main-svg'), width: h.getBoundingClientRect().width,
                        column: h.closest('[data-testid="stVerticalBlock"]').getBoundingClientRect().width}))""")
        assert hosts, name
        for host in hosts:
            assert host["role"] == "figure" and len(host["label"]) > 40 and host["drawn"], (name, host)
            assert abs(host["width"] - host["column"]) <= 2, (name, "the chart fills its column", host)
        page.remove_listener("request", listen)


# How many chart hosts the page holds when its first chart has drawn.
FIRST_DRAWN = """() => new Promise((done) => {
  const seen = () => {
    if (!document.querySelector('.tl-chart .main-svg')) return false;
    done(document.querySelectorAll('.tl-chart').length);
    return true;
  };
  if (!seen()) new MutationObserver((_, observer) => { if (seen()) observer.disconnect(); })
    .observe(document.body, {childList: true, subtree: true});
})"""

# Run in the page from its start: notes in window.__asked whenever the gap page's request for the rest
# (the first-chart gate) is on the page. It comes in the first run's last message, which may arrive after
# the chart has drawn, so it is watched for, not looked for at one moment.
WATCH_THE_ASK = """new MutationObserver(() => {
  if (document.querySelector('[class*="st-key-_after_first_chart_gaps"]')) window.__asked = true;
}).observe(document, {childList: true, subtree: true});"""


def test_the_gap_page_sends_its_first_chart_before_the_rest(site, desktop):
    """The page's first run ends at its first chart; the rest (three more charts, the tables) comes once
    that chart has drawn, so that it does not wait for them. A later visit in the session draws it whole."""
    desktop.add_init_script(WATCH_THE_ASK)
    desktop.goto(site + "/gaps")
    assert desktop.evaluate(FIRST_DRAWN) == 1  # drawn while it was the page's only chart
    desktop.wait_for_function("() => document.querySelectorAll('.tl-chart:has(.main-svg)').length === 4")
    desktop.wait_for_function(WHOLE)  # the rest followed: every chart, drawn
    assert desktop.evaluate("window.__asked") is True  # the browser asked for it
    # Back to the page later in the same session (the site's own links: no new session): whole at once.
    desktop.get_by_role("link", name="Compare").click()
    desktop.wait_for_url(re.compile(r"/compare"))
    desktop.wait_for_function(WHOLE)  # Compare's own first run also ends at its chart
    desktop.evaluate("window.__asked = false")
    desktop.get_by_role("link", name="Gap analysis").click()
    desktop.wait_for_function("() => document.querySelectorAll('.tl-chart:has(.main-svg)').length === 4")
    settle(desktop)
    assert desktop.evaluate("window.__asked") is False
    assert desktop.get_by_role("heading", name="What the government promised").count() == 1
