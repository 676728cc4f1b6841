"""The chart catalogue shared by the image export and the static site."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import DATA
from timelines import load_library
from timelines.charts import all_charts, case_charts, overview_charts


@pytest.fixture(scope="module")
def library():
    return load_library(DATA)


def test_each_case_has_its_timeline_intervals_and_pathway(library):
    for case_id in library.cases:
        charts = case_charts(library, case_id, today=date(2026, 11, 22))
        assert [c.id for c in charts] == ["timeline", "intervals", "pathway"]
        assert all(c.case_id == case_id and len(c.table) for c in charts)


def test_the_catalogue_uses_the_explicit_step_links(library):
    """The Amess 2016 review is linked to the twelve-month step; the six-month review is missing."""
    pathway = next(c for c in case_charts(library, "amess", today=date(2026, 11, 22)) if c.id == "pathway")
    status = dict(zip(pathway.table["Expected step"], pathway.table["What happened"], strict=True))
    assert status["Six-month post-exit review"] == "Missing"
    assert status["Twelve-month post-exit review"] == "Happened"


def test_every_chart_stands_alone(library):
    for chart in all_charts(library, today=date(2026, 11, 22)):
        meta = chart.figure.layout.meta
        assert meta["title"] and meta["subtitle"] and meta["source"], chart.name
        assert chart.title == meta["title"]


def test_overview_charts_cover_both_cases(library):
    names = [c.name for c in overview_charts(library, today=date(2026, 11, 22))]
    assert names == ["all-cases-comparison", "all-cases-referrals", "all-cases-commitments", "all-cases-statistics"]
