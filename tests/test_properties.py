"""Property tests: for any valid library (tests/strategies.py), nothing raises and nothing is lost.

- loading never raises, finds no problem and drops no event;
- every figure of the chart catalogue builds and draws each event exactly once; the figure for many
  events draws or counts (in exactly one bar, its count printed) each event once;
- every interval's lower bound is at most its upper bound, and no sentence claims more precision than
  the dates allow;
- every Streamlit page runs under AppTest without an exception;
- ``build-site`` succeeds.

The profile (tests/conftest.py) sets how many libraries are tried: "ci" by default, "deep" with
``make test-deep``. The slow properties (pages, site) try a twentieth as many (at least two). Each
property also has a cap (:func:`budget`), set from its cost, so that under "deep" every property gets
its share of the run: measured here one at a time (``nice -n 19``, a shared two-core machine) the
properties ran about 110 (loading), 44 (intervals), 20 (figures), 12 (pages) and 2.4 (site) examples a
minute, so 2,000 of each would take from 18 minutes (loading) to 14 hours (site), and whichever
property came last in a worker's queue got none.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from hypothesis import given, settings
from streamlit.testing.v1 import AppTest

from tests import strategies
from tests.conftest import REPO
from tests.test_wording import said_in_days
from timelines import figures, gaps, large, load_library, measures
from timelines.analysis import wording
from timelines.charts import MAX_ACROSS, all_charts
from timelines.cli import main

TODAY = date(2025, 6, 1)


def budget(cap: int, share: int = 1) -> settings:
    """At most ``cap`` examples (deep), or the profile's count divided by ``share`` (at least two)."""
    return settings(max_examples=min(cap, max(2, settings.default.max_examples // share)))


SLOW = budget(60, share=20)
PAGES = ("components/case_page.py", "components/compare_page.py", "components/gap_analysis_page.py",
         "components/walkthrough_page.py", "components/sources_page.py")


def _load(drawn: dict, folder: str):
    root = strategies.write(Path(folder) / "lib", drawn)
    return root, load_library(root, use_cache=False)


def _case_keys(library, case_id: str) -> list[str]:
    return [figures.event_key(e) for e in measures.case_rows(library.events, case_id)["event_id"]]


@budget(2000)
@given(strategies.libraries())
def test_loading_never_raises_and_drops_nothing(drawn):
    with tempfile.TemporaryDirectory() as folder:
        _, library = _load(drawn, folder)
    assert not library.problems, [str(p) for p in library.problems]
    assert set(library.cases) == set(drawn["cases"])
    rows = library.events[library.events["layer"] == "case"]
    assert len(rows) == strategies.n_events(drawn)
    for case_id, case in drawn["cases"].items():
        assert sorted(rows.loc[rows["case_id"] == case_id, "event_id"]) == sorted(e["id"] for e in case["events"])
    context = drawn["context"]["events"] if drawn["context"] else []
    assert int((library.events["layer"] == "context").sum()) == len(context)


@budget(400)
@given(strategies.libraries())
def test_every_figure_builds_and_draws_each_event_once(drawn):
    with tempfile.TemporaryDirectory() as folder:
        _, library = _load(drawn, folder)
    charts = list(all_charts(library, today=TODAY))
    ids = {c.id for c in charts}
    assert "timeline" in ids
    for case_id in library.cases:
        timeline = next(c for c in charts if c.case_id == case_id and c.id == "timeline")
        wanted = _case_keys(library, case_id)
        drawn_keys = [k for k in figures.event_keys(timeline.figure) if not k.startswith("context")]
        assert sorted(drawn_keys) == sorted(wanted), case_id
        assert len(timeline.table) == len(wanted)
        assert_counted_once(library, case_id, wanted)
    comparison = next((c for c in charts if c.id == "comparison"), None)
    if len(library.cases) <= MAX_ACROSS:
        keys = figures.event_keys(comparison.figure)
        expected = [f"{c}:{e}" for c in library.cases for e in
                    library.events.query("case_id == @c and layer == 'case'")["event_id"]]
        assert sorted(keys) == sorted(expected)
    for chart in charts:
        chart.figure.to_dict()  # every figure serialises (what the page, site and images all do)


def assert_counted_once(library, case_id: str, wanted: list[str]) -> None:
    """The figure for many events (forced here with a small key limit): each event of the case is either
    drawn as a marker or counted in exactly one bar, and each bar prints how many it holds."""
    rows = figures.filter_events(library.events, case_id=case_id)
    case = library.cases[case_id]
    key_limit = 1 + len(wanted) % 3  # 1: only the outcome drawn; 2, 3: key groups too (one build a case)
    fig = large.aggregated_timeline(rows, case=case, key_limit=key_limit, sources=library.sources)
    drawn_keys = [k for k in figures.event_keys(fig) if not k.startswith("context")]
    counted = large.counted_keys(fig)
    assert sorted(drawn_keys + counted) == sorted(wanted), case_id
    assert case.outcome_event in drawn_keys or case.outcome_event not in wanted
    bars = [t for t in fig.data if t.meta["role"] == "aggregate"]
    hovers = [t for t in fig.data if t.meta["role"] == "aggregate-hover"]
    peaks = [t for t in fig.data if t.meta["role"] == "aggregate-peaks"]
    assert len(bars) == len(hovers) == len(peaks)
    for trace, hover, peak in zip(bars, hovers, peaks, strict=True):
        # each bar hovers its own count; the tallest bar of each row (a segment of the outline) prints it
        assert list(hover.x) == list(trace.meta["x"])
        assert all(said.startswith(f"<b>{len(keys):,} event") for said, keys in
                   zip(hover.hovertext, trace.meta["keys"], strict=True))
        assert len(peak.text) == 1 + list(trace.y).count(None)
        assert {int(t.replace(",", "")) for t in peak.text} <= set(trace.meta["counts"])
        assert max(trace.meta["counts"]) == max(int(t.replace(",", "")) for t in peak.text)
    if counted:
        assert f"{len(counted):,} counted" in fig.layout.meta["subtitle"]
    fig.to_dict()


def _check_bounds(frame: pd.DataFrame, low: str, high: str, label: str | None = None) -> None:
    for row in frame.itertuples():
        lo, hi = getattr(row, low), getattr(row, high)
        if not pd.isna(lo) and not pd.isna(hi):
            assert lo <= hi, row
        if label:
            text = getattr(row, label)
            assert_honest(text, None if pd.isna(lo) else float(lo), None if pd.isna(hi) else float(hi))


def assert_honest(text: str, low: float | None, high: float | None) -> None:
    """No sentence claims more than the bounds: its first number is at most the shorter bound, its last at
    least the longer one; an open bound is never given a number."""
    said = said_in_days(text)
    if "the same day" in text or "the day of" in text or "not known" in text or "order not certain" in text:
        return
    if high is None:
        assert "up to" not in text and ("at least" in text or "of unknown length" in text), text
    if low in (None, 0) and high is not None:
        assert "at least" not in text, text
    if text.startswith("up to"):
        assert said[-1][0] >= high - 1e-9, text
    elif text.startswith("at least"):
        assert said[0][0] <= low + 1e-9, text
    elif "to" in text.split():
        assert said[0][0] <= (low or 0) + 1e-9 and (high is None or said[-1][0] >= high - 1e-9), text
    elif said and low is not None and low == high:  # known exactly: to the nearest unit said
        value, unit = said[0]
        assert abs(value - low) <= (unit / 20 if unit > 300 else unit / 2), text


@budget(800)
@given(strategies.libraries())
def test_every_interval_is_ordered_and_worded_honestly(drawn):
    with tempfile.TemporaryDirectory() as folder:
        _, library = _load(drawn, folder)
    events = library.events
    for contacts_only in (False, True):
        _check_bounds(gaps.intervals(events, contacts_only=contacts_only), "min_days", "max_days", "label")
    timing = gaps.time_to_outcome(events, gaps.outcomes(library.cases))
    _check_bounds(timing, "min_days", "max_days")
    for row in timing.itertuples():
        if row.relation in ("before", "after"):
            assert_honest(row.label.rsplit(f" {row.relation} ", 1)[0], None if pd.isna(row.min_days) else row.min_days,
                          None if pd.isna(row.max_days) else row.max_days)
    _check_bounds(gaps.referrals(events), "min_days_since_previous", "max_days_since_previous")
    steps = library.process.steps
    conformance = gaps.conformance(events, steps, gaps.findings(library.cases), gaps.event_steps(library.cases))
    _check_bounds(conformance, "min_days", "max_days")
    summary = gaps.summary(events, library.cases, steps)
    assert list(summary["case_id"]) == list(library.cases)
    for case in library.cases.values():
        fig = measures.key_figures(events, case)
        for interval in (fig.time_in_channel, fig.last_contact_to_outcome, fig.first_referral_to_outcome):
            if interval is None:
                continue
            if interval.min_days is not None and interval.max_days is not None:
                assert interval.min_days <= interval.max_days
            assert_honest(str(interval), interval.min_days, interval.max_days)
        row = summary.set_index("case_id").loc[case.id]
        assert row["last_contact_to_outcome"] == measures.display(fig.last_contact_to_outcome)
    gaps.coverage(events, library.cases)
    gaps.planned_delivered(library.cases)
    gaps.missed_opportunities(events, gaps.findings(library.cases), gaps.outcomes(library.cases))
    if library.context and library.context.commitments:
        gaps.commitments(library.context.commitments, TODAY)


@pytest.fixture
def _streamlit_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.usefixtures("_streamlit_caches")
@SLOW
@given(strategies.libraries(max_cases=3, max_events=8))
def test_every_page_runs_without_an_exception(drawn):
    with tempfile.TemporaryDirectory() as folder:
        root, library = _load(drawn, folder)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("TIMELINES_DATA_DIR", str(root))
            st.cache_resource.clear()
            case_id = list(library.cases)[-1]
            at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
            at.run()
            assert not at.exception, [e.message for e in at.exception]
            for page in PAGES:
                at.query_params["case"] = case_id
                at.switch_page(page)
                at.run()
                assert not at.exception, (page, [e.message for e in at.exception])


@pytest.fixture(scope="module")
def _one_image_browser():
    """One kaleido browser for every generated site (each build would otherwise start its own: about a
    third of a small site's build here); none where there is no chromium (the build then skips images)."""
    from timelines import export

    if not export.available():
        yield
        return
    with export.image_server():
        yield


@pytest.mark.usefixtures("_one_image_browser")
@budget(30, share=20)
@given(strategies.libraries(max_cases=3, max_events=8))
def test_build_site_succeeds(drawn):
    with tempfile.TemporaryDirectory() as folder:
        root, library = _load(drawn, folder)
        out = Path(folder) / "site"
        assert main(["build-site", str(out), "--data", str(root), "--today", TODAY.isoformat(), "--quiet"]) == 0
        for case_id in library.cases:
            assert (out / "cases" / f"{case_id}.html").is_file()


def test_the_wording_of_spans_is_honest_for_every_pair_of_bounds():
    """Exhaustive over small and typical bounds (cheap, so not left to chance)."""
    for low in list(range(0, 800, 7)) + [1749, 2541]:
        for high in (low, low + 1, low + 30, low + 200, low + 1000):
            assert_honest(wording.span(low, high), low, high)
        assert_honest(wording.span(low, None), low, None)
        assert_honest(wording.span(None, low + 5), None, low + 5)
