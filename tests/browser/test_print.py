"""The Streamlit case page printed to A4 PDF in Chromium: a few pages (the chart, the events table in full,
the sources as footnotes); no button, control or navigation printed; the chart fitted to the page width.
The PDF is kept in test-artifacts/ to look at."""

from __future__ import annotations

import math
import re

import pytest

from tests.browser.conftest import ARTIFACTS, CHART, SETTLED

pytestmark = pytest.mark.browser

A4_COLUMN_PX = 700  # 210 mm less two 12 mm margins, at 96 px to the inch (components/print_css.py)
HIDDEN_IN_PRINT = ('button, nav, header, [data-testid="stSidebar"], [data-testid="stSelectbox"], '
                   '[data-testid="stExpander"], [data-testid="stToolbar"], [data-testid="stDownloadButton"]')


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.fixture
def printed(desktop, site, site_data):
    from timelines import load_library

    library = load_library(site_data)
    case_id = next(iter(library.cases))
    desktop.set_default_timeout(90_000)  # the first page of a session is slow on a loaded machine
    desktop.goto(f"{site}/case?case={case_id}")
    desktop.wait_for_selector(SETTLED)
    desktop.wait_for_selector(CHART)
    desktop.wait_for_function(
        "getComputedStyle(document.documentElement).getPropertyValue('--print-chart-zoom') !== ''")
    events = library.events
    rows = int(((events["case_id"] == case_id) & (events["layer"] == "case")).sum()
               + (events["layer"] == "context").sum())
    return desktop, rows


def test_the_case_page_prints_to_a_few_a4_pages_without_controls(printed):
    page, rows = printed
    on_screen = page.eval_on_selector_all(HIDDEN_IN_PRINT, "els => els.filter(e => e.checkVisibility()).length")
    assert on_screen > 0  # the page does have buttons and navigation to hide
    pdf = page.pdf(format="A4", print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "case-page-print.pdf").write_bytes(pdf)
    # the chart's page, the table (about ten rows to a page, whatever the data holds) and the sources
    assert 3 <= _pages(pdf) <= 2 + math.ceil(rows / 8) + 1

    page.emulate_media(media="print")
    shown = page.eval_on_selector_all(HIDDEN_IN_PRINT, "els => els.filter(e => e.checkVisibility())"
                                                       ".map(e => e.tagName + ' ' + e.innerText.slice(0, 40))")
    assert shown == []
    text = page.evaluate("document.body.innerText")
    for label in ("Download", "Previous", "Filter by kind", "Sources and method", "Reveal"):
        assert label not in text
    # the events table printed in full, its sources as numbered footnotes
    assert page.locator(".print-only tbody tr").count() == rows
    assert page.locator(".print-only ol li").count() >= 1
    page.wait_for_timeout(1500)  # the chart redraws at the print layout's width; the zoom follows it
    widths = page.eval_on_selector_all(CHART, "els => els.map(e => e.getBoundingClientRect().width)")
    assert widths and all(w <= A4_COLUMN_PX + 1 for w in widths)


def test_on_screen_the_printed_table_stays_hidden(printed):
    page, _rows = printed
    assert page.locator(".print-only").count() == 1 and not page.locator(".print-only").is_visible()
