"""data/statistics.yaml: loaded into the Library, validated like every other file (file:line: field: message,
with a hint), and drawn as a chart that marks the years of each case's referrals, with its table."""

from __future__ import annotations

import re
import textwrap

import pandas as pd
import pytest

from tests.charts import sent_charts
from tests.conftest import DATA, write_library
from timelines import load_library, statistics_figure
from timelines.charts import overview_charts

GOOD = textwrap.dedent("""\
    title: Prevent referrals
    source: src-a
    years:
      - year_ending: "2020-03"
        referrals: 6287
        channel_adoptions: 697
        sources:
          - source: src-a
            locator: "year ending March 2020"
      - year_ending: "2021-03"
        referrals: 4915
        sources:
          - source: src-a
            locator: "year ending March 2021"
""")

# name, (old, new) in GOOD, line, field, message pattern, hint pattern
BROKEN = [
    ("negative", ("referrals: 6287", "referrals: -5"), 5, "years[0].referrals", r"greater than or equal to 0",
     r"correct the value"),
    ("text-number", ("referrals: 4915", 'referrals: "4,915"'), 11, "years[1].referrals",
     r"expected a whole number, got str", r"remove the quotes"),
    ("year-not-month", ('year_ending: "2021-03"', 'year_ending: "2021"'), 10, "years[1]",
     r"year_ending '2021' must be a month", r"README"),
    ("bad-date", ('year_ending: "2021-03"', 'year_ending: "2021-13"'), 10, "years[1].year_ending",
     r"month 13", r"README"),
    ("adoptions-over-referrals", ("channel_adoptions: 697", "channel_adoptions: 9999"), 4, "years[0]",
     r"channel_adoptions 9999 is more than referrals 6287.*check the figures", r"README"),
    ("percent-over-100", ("referrals: 4915", "referrals: 4915\n    no_or_unclear_ideology_pct: 156"), 12,
     "years[1].no_or_unclear_ideology_pct", r"less than or equal to 100", r"correct the value"),
    ("no-figures", ("    referrals: 4915\n", ""), 10, "years[1]", r"needs at least one figure", r"README"),
    ("duplicate-year", ('year_ending: "2021-03"', 'year_ending: "2020-03"'), 10, "years[1].year_ending",
     r"duplicate year_ending '2020-03'", r"must be unique; years\[0\]"),
    ("unknown-source", ("source: src-a\nyears", "source: src-zz\nyears"), 2, "source",
     r"source 'src-zz' is not in sources.yaml", r"add the statistics' entry"),
    ("unknown-key", ("    referrals: 4915", "    referals: 4915"), 11, "years[1].referals", r"unknown key 'referals'",
     r"did you mean 'referrals'"),
    ("no-citation", ('    sources:\n      - source: src-a\n        locator: "year ending March 2021"\n',
                     "    sources: []\n"), 12, "years[1].sources", r"no source cited", r"at least one source"),
]


@pytest.mark.parametrize(("name", "change", "line", "field", "message", "hint"), BROKEN, ids=[b[0] for b in BROKEN])
def test_bad_statistics_are_reported_with_file_line_field_and_hint(tmp_path, name, change, line, field, message,
                                                                    hint):
    text = GOOD.replace(*change)
    assert text != GOOD, name
    lib = load_library(write_library(tmp_path, statistics=text), use_cache=False)
    problems = [p for p in lib.problems if p.path.endswith("statistics.yaml")]
    assert len(problems) == 1, [str(p) for p in lib.problems]
    problem = problems[0]
    assert (problem.line, problem.field) == (line, field), str(problem)
    assert re.search(message, problem.message), str(problem)
    assert problem.hint and re.search(hint, problem.hint), str(problem)
    assert str(problem).startswith(f"{problem.path}:{line}: {field}: ")
    assert lib.cases, "a bad statistics file never hides the cases"


def test_good_statistics_load_into_the_library(tmp_path):
    lib = load_library(write_library(tmp_path, statistics=GOOD), use_cache=False)
    assert not lib.problems, [str(p) for p in lib.problems]
    assert [y.referrals for y in lib.statistics.years] == [6287, 4915]
    assert lib.statistics.years[1].channel_adoptions is None  # not given, never filled in


def test_a_library_without_statistics_still_loads(tmp_path):
    lib = load_library(write_library(tmp_path), use_cache=False)
    assert not lib.problems and lib.statistics is None
    assert "statistics" not in [c.id for c in overview_charts(lib, today=pd.Timestamp("2025-01-01").date())]


@pytest.fixture(scope="module")
def bundled():
    lib = load_library(DATA, use_cache=False)
    assert not lib.problems, "\n".join(map(str, lib.problems))
    return lib


def test_statistical_years_run_april_to_march():
    assert statistics_figure.statistical_year(pd.Timestamp("2019-12-01")) == 2020
    assert statistics_figure.statistical_year(pd.Timestamp("2021-03-31")) == 2021
    assert statistics_figure.statistical_year(pd.Timestamp("2021-04-01")) == 2022


def test_each_case_referral_is_marked_in_its_statistical_year(bundled):
    marks = statistics_figure.referral_years(bundled.events)
    referrals = bundled.events[(bundled.events["layer"] == "case") & (bundled.events["kind"] == "referral")]
    assert set(marks["event_id"]) == set(referrals["event_id"])  # no referral dropped
    for row in marks.itertuples():
        event = referrals[referrals["event_id"] == row.event_id].iloc[0]
        years = {statistics_figure.statistical_year(event["earliest"]),
                 statistics_figure.statistical_year(event["latest"])}
        assert row.year in range(min(years), max(years) + 1)


def test_chart_table_and_catalogue_agree(bundled):
    charts = {c.id: c for c in overview_charts(bundled, today=pd.Timestamp("2030-01-01").date())}
    chart = charts["statistics"]
    table = chart.table
    given = {int(y.year_ending[:4]): y for y in bundled.statistics.years}
    # every year the data gives is a row, with its figures as given and blanks where none is given
    for year, entry in given.items():
        row = table[table["Year (April to March)"] == f"{year - 1}/{str(year)[2:]}"].iloc[0]
        assert row["Referrals to Prevent"] == (entry.referrals if entry.referrals is not None else "")
        assert row["Adopted into Channel"] == (entry.channel_adoptions if entry.channel_adoptions is not None else "")
    # every marked year is shaded on the chart and named in the table
    marks = statistics_figure.referral_years(bundled.events)
    shaded = {round((s.x0 + s.x1) / 2) for s in chart.figure.layout.shapes}
    assert shaded == set(marks["year"])
    for year in marks["year"]:
        row = table[table["Year (April to March)"] == f"{year - 1}/{str(year)[2:]}"].iloc[0]
        assert row["Referrals in the cases this year"]
    # the bars carry exactly the given figures
    bars = [t for t in chart.figure.data if t.type == "bar"]
    drawn = {int(x): y for x, y in zip(bars[0].x, bars[0].y, strict=True) if y == y}
    assert drawn == {y: e.referrals for y, e in given.items() if e.referrals is not None}
    assert chart.figure.layout.meta["source"].startswith("Home Office")


def test_commitments_are_judged_at_the_horizon_not_today(bundled):
    """The record's horizon is the latest date a source carries; a far-off 'today' changes nothing."""
    assert bundled.horizon == max(
        pd.Timestamp(s.date_until or s.date) for s in bundled.sources.values() if len(s.date_until or s.date) == 10)
    early = {c.id: c for c in overview_charts(bundled, today=pd.Timestamp("2025-08-01").date())}
    late = {c.id: c for c in overview_charts(bundled, today=pd.Timestamp("2030-01-01").date())}
    assert early["commitments"].table.equals(late["commitments"].table)
    assert f"{bundled.horizon:%-d %B %Y}" in late["commitments"].figure.layout.meta["subtitle"]


def test_the_sources_page_shows_the_horizon_and_the_statistics_with_their_table(bundled, monkeypatch):

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO

    monkeypatch.setenv("TIMELINES_DATA_DIR", str(DATA))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("components/sources_page.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    text = " ".join(m.value for m in at.markdown)
    assert "How far the record runs" in text and f"{bundled.horizon:%-d %B %Y}" in text
    titles = [c.spec["layout"]["meta"]["title"] for c in sent_charts(at)]
    marks = statistics_figure.referral_years(bundled.events)
    assert statistics_figure.statistics_chart(bundled.statistics, marks).layout.meta["title"] in titles
    tables = [d.value for d in at.dataframe]
    assert any("Referrals to Prevent" in t.columns for t in tables)
    st.cache_data.clear()
    st.cache_resource.clear()
