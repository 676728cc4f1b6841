"""Shared fixtures: a small valid library written to a temporary folder, and the cache kept apart."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

# Property tests (tests/test_properties.py): "ci" (the default) keeps `make test` within two minutes here;
# "deep" (`make test-deep`) runs thousands of examples (each property capped by its cost: 3,290 in all).
# HYPOTHESIS_PROFILE chooses.
# "ci" does not shrink a failure (that can take minutes): it prints the whole failing library instead.
settings.register_profile("ci", max_examples=10, deadline=None, derandomize=True, print_blob=True,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate],
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("deep", max_examples=2000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"

SOURCES = textwrap.dedent("""\
    sources:
      - id: src-a
        title: A statement
        publisher: Home Office
        date: "2025-02-12"
        kind: oral statement
        primary: true
      - id: src-b
        title: A news report
        publisher: A newspaper
        date: "2025"
        kind: news report
        primary: false
    """)

# Line numbers matter: the broken-input table in test_validate.py points at them.
CASE = textwrap.dedent("""\
    id: demo
    title: Demo case
    summary: A case for tests.
    subject: A. Person
    outcome_event: attack
    events:
      - id: referral
        date: "2019-12"
        kind: referral
        agency: school
        title: Referred to Prevent
        sources:
          - source: src-a
            quote: "referred"
      - id: attack
        date: "2024-07-29"
        kind: attack
        agency: subject
        title: The attack
        sources:
          - source: src-a
            locator: "paragraph 2"
    """)


def write_library(root: Path, case: str | bytes = CASE, name: str = "demo", **extra: str) -> Path:
    """Write sources.yaml and one case file (plus any extra root files) under ``root``."""
    (root / "cases").mkdir(parents=True, exist_ok=True)
    (root / "sources.yaml").write_text(extra.pop("sources", SOURCES))
    target = root / "cases" / f"{name}.yaml"
    if isinstance(case, bytes):
        target.write_bytes(case)
    else:
        target.write_text(case)
    for file_name, text in extra.items():
        (root / f"{file_name}.yaml").write_text(text)
    return root


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own on-disk cache and an empty in-memory one."""
    from timelines import loading

    monkeypatch.setenv("TIMELINES_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    loading._MEMORY.clear()
    yield
    loading._MEMORY.clear()


@pytest.fixture
def library_dir(tmp_path) -> Path:
    return write_library(tmp_path / "lib")


def need_chromium() -> str:
    """Debian's chromium, or: a failure in CI (where the browser tests must run), a skip elsewhere."""
    import os
    import shutil

    found = shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("chromium is missing: in CI the browser tests must run (apt-get install -y chromium)")
    pytest.skip("no chromium here (apt-get install chromium); CI runs these tests")


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    """A headless Debian chromium driven by Playwright, shared by the tests of a session."""
    path = need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def real():
    """The bundled library (both cases and the pathway), loaded once for the tests that read it."""
    from timelines import load_library

    library = load_library(DATA, use_cache=False)
    assert {"amess", "southport"} <= set(library.cases) and library.process is not None
    return library
