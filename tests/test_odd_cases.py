"""Valid cases shaped unlike the bundled ones: every example of issue 10's "Why", each a test that failed
before the fix.

The odd library (tests/sample_library.py ``write_odd``) holds six cases: the two-case sample plus one
event, no referral, all on one day and an outcome dated only "before" a month.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.charts import sent_charts
from tests.conftest import REPO, write_library
from tests.sample_library import ODD_CASES, write_odd
from timelines import figures, gaps, load_library, measures
from timelines.analysis import wording
from timelines.charts import all_charts
from timelines.cli import main

TODAY = date(2025, 6, 1)
APP = str(REPO / "app.py")


@pytest.fixture(scope="module")
def odd_dir(tmp_path_factory) -> Path:
    return write_odd(tmp_path_factory.mktemp("odd"))


@pytest.fixture(scope="module")
def odd(odd_dir):
    library = load_library(odd_dir, use_cache=False)
    assert not library.problems, library.problems
    assert set(ODD_CASES) <= set(library.cases) and len(library.cases) >= 3
    return library


def test_the_gap_analysis_handles_every_odd_case(odd):
    summary = gaps.summary(odd.events, odd.cases, odd.process.steps).set_index("case_id")
    assert set(summary.index) == set(odd.cases)
    assert summary.loc["no-referral", "referrals"] == 0
    conformance = gaps.conformance(odd.events, odd.process.steps, gaps.findings(odd.cases), gaps.event_steps(odd.cases))
    assert "no-referral" not in set(conformance["case_id"])  # no referral: no episode, and no exception
    assert "one-day" in set(conformance["case_id"])


def test_every_chart_of_every_odd_case_draws_each_of_its_events_once(odd):
    charts = list(all_charts(odd, today=TODAY))
    for case_id in odd.cases:
        timeline = next(c for c in charts if c.case_id == case_id and c.id == "timeline")
        rows = odd.events.query("case_id == @case_id and layer == 'case'")
        expected = {figures.event_key(e) for e in rows["event_id"]}
        keys = [k for k in figures.event_keys(timeline.figure) if k in expected]
        assert sorted(keys) == sorted(expected), case_id


def test_a_one_event_case_shows_a_chart_with_its_event(odd):
    case = odd.cases["one-event"]
    fig = figures.case_timeline(odd.events, case=case, show_context=False)
    assert figures.event_keys(fig) == [figures.event_key("attack")]
    low, high = fig.layout.xaxis.range
    assert low < high  # a real span of time around the single day, not a zero-width axis


def test_an_outcome_dated_before_keeps_its_open_bound_in_every_figure(odd):
    timing = gaps.time_to_outcome(odd.events, gaps.outcomes(odd.cases))
    referral = timing.query("case_id == 'open-outcome' and event_id == 'referral'").iloc[0]
    # the attack came before July 2024, perhaps long before: the order itself is not known
    assert referral["relation"] == "overlaps" and "not known" in referral["label"]
    figures_ = measures.key_figures(odd.events, odd.cases["open-outcome"])
    gap = figures_.last_contact_to_outcome
    assert gap.min_days is None and gap.max_days == 1856  # 1 June 2019 to 30 June 2024
    assert str(gap) == "up to 5.1 years"  # never "5.0 to 5.1 years": the range starts at nothing
    summary = gaps.summary(odd.events, odd.cases).set_index("case_id")
    assert summary.loc["open-outcome", "last_contact_to_outcome"] == "up to 5.1 years"


def test_all_on_one_day_is_the_same_day_everywhere(odd):
    intervals = gaps.intervals(odd.events).query("case_id == 'one-day'")
    assert list(intervals["label"]) == ["the same day", "the same day"]
    assert list(intervals["min_days"]) == [0, 0]
    assert str(measures.key_figures(odd.events, odd.cases["one-day"]).last_contact_to_outcome) == "the same day"


def test_build_site_and_the_image_catalogue_handle_the_odd_library(odd_dir, tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["build-site", str(out), "--data", str(odd_dir), "--today", "2025-06-01", "--quiet"]) == 0
    for case_id in ODD_CASES:
        page = (out / "cases" / f"{case_id}.html").read_text()
        assert not re.search(r"\d\.0 days|\b\d+\.0</td>", page), "days are whole numbers"
    # export-images draws exactly the charts of this catalogue (its rendering needs Chromium)
    assert len(list(all_charts(load_library(odd_dir), today=TODAY))) >= len(ODD_CASES)


def test_days_in_tables_are_whole_numbers(odd):
    intervals = gaps.intervals(odd.events)
    assert str(intervals["min_days"].dtype) == "Int64" and str(intervals["max_days"].dtype) == "Int64"
    assert str(gaps.referrals(odd.events)["min_days_since_previous"].dtype) == "Int64"


def test_a_lower_bound_is_never_rounded_up():
    # issue 10: 1,749 days is 4.79 years; "4.8" would claim more than the dates allow
    assert wording.span(1749, 2118) == "4.7 to 5.8 years"
    assert wording.span(1131, 1217) == "3.0 to 3.4 years"


# --- the pages ------------------------------------------------------------------------------------------

@pytest.fixture
def odd_app(odd_dir, monkeypatch):
    monkeypatch.setenv("TIMELINES_DATA_DIR", str(odd_dir))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield odd_dir
    st.cache_data.clear()
    st.cache_resource.clear()


def _page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    for name, value in params.items():
        at.query_params[name] = value
    if page:
        at.switch_page(page)
        at.run()
    return at


@pytest.mark.parametrize("case_id", list(ODD_CASES))
@pytest.mark.parametrize("page", ["components/case_page.py", "components/gap_analysis_page.py",
                                  "components/walkthrough_page.py"])
def test_every_page_opens_on_every_odd_case(odd_app, page, case_id):
    at = _page(page, case=case_id)
    assert not at.exception, [e.message for e in at.exception]
    if page.endswith("case_page.py"):
        assert sent_charts(at), "every case, even of one event, has its chart"
        spec = sent_charts(at)[0].spec
        assert spec["data"]


def test_a_library_of_one_one_event_case_shows_its_chart(tmp_path, monkeypatch):
    # every date in one year: the case page once failed on a years slider with no range, showing no chart
    root = write_library(tmp_path / "lib", ODD_CASES["one-event"], name="one-event")
    monkeypatch.setenv("TIMELINES_DATA_DIR", str(root))
    st.cache_resource.clear()
    for page in ("components/case_page.py", "components/compare_page.py", "components/gap_analysis_page.py",
                 "components/walkthrough_page.py", ""):
        at = _page(page)
        assert not at.exception, (page, [e.message for e in at.exception])
        if page == "components/case_page.py":
            spec = sent_charts(at)[0].spec
            assert figures.event_keys(spec) == [figures.event_key("attack")]
    st.cache_resource.clear()


def test_home_describes_whatever_cases_are_loaded(odd_app, odd):
    at = _page("")
    assert not at.exception
    intro = at.markdown[0].value
    assert "six cases" in intro
    for case in odd.cases.values():
        assert wording.short_name(case) in intro
    assert sum(m.label == "Referrals to Prevent" for m in at.metric) == len(odd.cases)
    code = (REPO / "components" / "home_page.py").read_text().lower()
    assert "southport" not in code and "amess" not in code  # no bundled case is named in the code


def test_the_gap_page_says_why_a_case_without_referral_has_no_pathway(odd_app):
    at = _page("components/gap_analysis_page.py", case="no-referral")
    assert not at.exception
    assert any("no pathway to compare" in i.value for i in at.info)
    one = _page("components/gap_analysis_page.py", case="one-event")
    assert not one.exception
    assert any("so there is no interval to show" in i.value for i in one.info)


def test_a_session_whose_case_disappears_falls_back_and_says_why(tmp_path, monkeypatch):
    root = write_odd(tmp_path / "lib")
    monkeypatch.setenv("TIMELINES_DATA_DIR", str(root))
    st.cache_resource.clear()
    at = _page("components/case_page.py", case="one-day")
    assert not at.exception and at.selectbox(key="case").value == "one-day"
    (root / "cases" / "one-day.yaml").unlink()
    st.cache_resource.clear()  # what the minute's recheck does on a server
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("no longer in the library" in w.value for w in at.warning)
    assert at.selectbox(key="case").value in {c for c in load_library(root).cases}
    st.cache_resource.clear()


def test_tight_names_never_give_two_cases_one_mark():
    tight = wording.tight_names(["Sir David Amess", "Southport", "Anna Amess", "Ames"])
    assert tight["Southport"] == ("Southport", "So")  # "Sir David Amess" starts with S too
    assert wording.tight_names(["Sir David Amess", "Southport"]) == {"Sir David Amess": ("Amess", "A"),
                                                                     "Southport": ("Southport", "S")}
    # two cases ending in the same word keep their whole short names; every mark is its own
    assert tight["Sir David Amess"][0] == "Sir David Amess" and tight["Anna Amess"][0] == "Anna Amess"
    marks = [mark for _, mark in tight.values()]
    assert len(set(marks)) == len(marks)
    assert wording.short_title("Southport: three referrals") == "Southport"
    assert wording.short_title(": untitled", "case-1") == "case-1"


def test_the_statistics_chart_names_cases_by_their_short_names(tmp_path):
    from timelines import statistics_figure

    bundled = load_library(REPO / "data", use_cache=False)
    if bundled.statistics is None:
        pytest.skip("no statistics in the bundled data")
    titles = {c.id: c.title for c in bundled.cases.values()}
    marks = statistics_figure.referral_years(bundled.events, titles)
    assert set(marks["case"]) <= {wording.short_name(c) for c in bundled.cases.values()}
    compact = statistics_figure.statistics_chart(bundled.statistics, marks, compact=True)
    tight = wording.tight_names(marks["case"])
    for word, mark in tight.values():
        assert f"{mark}: {word}" in compact.layout.meta["subtitle"]
