"""Browser fixtures: the site served by `streamlit run` on a free port, and pages in Debian's Chromium.

No pytest-playwright plugin: the session's one browser (``chromium`` in tests/conftest.py), a fresh
context per test. Without chromium the browser tests are skipped, except in CI (CI set), where they fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.server import serve, stop
from tests.conftest import DATA, REPO, need_chromium
from tests.sample_library import write_sample

ARTIFACTS = REPO / "test-artifacts"
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/126.0.0.0 Mobile Safari/537.36"}
SETTLED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# A chart's host: the pages draw with plotly.js's basic bundle (components/plotly_view.py), a figure the
# bundle cannot draw with st.plotly_chart.
CHART_HOST = ':is(.tl-chart, [data-testid="stPlotlyChart"])'
CHART = f"{CHART_HOST} .main-svg"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium: skipped without it, except in CI (CI set), where it fails."""
    return need_chromium()


@pytest.fixture(scope="session")
def site_data(tmp_path_factory) -> Path:
    """The bundled data/ when it loads with at least one case, else the sample library."""
    from timelines import load_library

    lib = load_library(DATA)
    if lib.cases and not lib.broken_files:
        return DATA
    return write_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="session")
def site(chromium_path, site_data) -> str:
    """The running site's base URL."""
    ARTIFACTS.mkdir(exist_ok=True)
    proc, base = serve(REPO / "app.py", site_data, ARTIFACTS / "streamlit.log")
    yield base
    stop(proc)


@pytest.fixture(scope="session")
def browser(chromium):
    """The session's one headless chromium (tests/conftest.py): Playwright's sync API runs once a process."""
    return chromium


@pytest.fixture
def desktop(browser):
    yield from _page(browser, DESKTOP)


@pytest.fixture
def phone(browser):
    yield from _page(browser, PHONE)


def _page(browser, options: dict):
    """A page in a fresh browser context (no cookies or storage shared between tests)."""
    context = browser.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()
