"""The analyses the static build runs for every case, worked out on arrays at once, give exactly the frames
of their pandas versions (kept as the reference, and as the path for unusual input): the same rows, in the
same order, with the same types, on drawn libraries (open, ranged and same-day dates, spans, several
cases), the generated benchmark library and the bundled data."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from benchmarks.generate import case_text
from tests import strategies
from timelines import gaps, load_library
from timelines.analysis import intervals as interval_module
from timelines.analysis import table
from timelines.analysis.table import case_events

ROOT = Path(__file__).resolve().parent.parent


def _same(fast: pd.DataFrame, reference: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(fast, reference, check_exact=True)
    assert list(fast.dtypes) == list(reference.dtypes)


def _check(events: pd.DataFrame) -> None:
    assert len(events)
    _same(table.ordered(events), table._ordered_by_pandas(events))
    for case_id in events["case_id"].unique():
        _same(case_events(events, case_id), table._ordered_by_pandas(table.case_rows(events, case_id)))
    for contacts_only in (False, True):
        rows = case_events(events)
        rows = gaps.contacts(rows) if contacts_only else rows
        fast = gaps.intervals(events, contacts_only=contacts_only)
        _same(fast, interval_module._intervals_by_pandas(rows))
        for n in (1, 3):
            _same(gaps.longest(fast, n), interval_module._longest_by_pandas(fast, n))


@given(strategies.libraries(max_cases=3, max_events=10))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_drawn_libraries(tmp_path_factory, library):
    _check(load_library(strategies.write(tmp_path_factory.mktemp("lib"), library)).events)


def test_the_generated_benchmark_library(tmp_path):
    (tmp_path / "cases").mkdir()
    (tmp_path / "sources.yaml").write_text((ROOT / "benchmarks" / "generate.py").read_text().split('SOURCES = """')[1]
                                           .split('"""')[0])
    rng = random.Random(3)
    for i in range(3):
        (tmp_path / "cases" / f"case-{i:04d}.yaml").write_text(case_text(i, 40, rng))
    _check(load_library(tmp_path).events)


def test_the_bundled_data():
    _check(load_library(ROOT / "data").events)


def test_the_shortcuts_keep_the_pandas_path_for_other_input():
    """Bounds at another resolution, and a frame with too few rows to pair, go the pandas way, same result."""
    events = load_library(ROOT / "data").events
    coarse = events.assign(earliest=events["earliest"].astype("datetime64[us]"),
                           latest=events["latest"].astype("datetime64[us]"))
    assert table.ordered(coarse)["earliest"].dtype == "datetime64[ns]"
    assert list(table.ordered(coarse)["event_id"]) == list(table.ordered(events)["event_id"])
    one = events.iloc[:1]
    assert gaps.intervals(one).empty and list(gaps.intervals(one).columns) == list(gaps.INTERVAL_COLUMNS)


def test_case_rows_is_a_copy_even_when_nothing_is_left_out():
    events = load_library(ROOT / "data").events
    mine = table.case_rows(events[events["layer"] == "case"])
    mine.loc[mine.index[0], "title"] = "changed"
    assert events["title"].iloc[0] != "changed"


if __name__ == "__main__":
    pytest.main([__file__])


# --- the same charts and JSON, with less work ------------------------------------------------------------

def _old_figure_json(chart) -> str:
    from plotly.io.json import to_json_plotly

    from timelines.theme import modebar_config
    fig = chart.figure.to_plotly_json()
    layout = {k: v for k, v in fig["layout"].items() if k != "meta"}
    return to_json_plotly({"data": fig["data"], "layout": layout, "config": modebar_config(chart.name)})


def test_figure_json_reads_the_figure_without_copying_it_and_writes_the_same_json():
    import numpy as np
    import plotly.graph_objects as go

    from timelines.charts import Chart, all_charts
    from timelines.site.render import figure_json

    library = load_library(ROOT / "data")
    charts = [*all_charts(library, today=date(2026, 11, 22)),
              *all_charts(library, today=date(2026, 11, 22), compact=True)]
    for chart in charts:
        before = chart.figure.to_json()
        assert figure_json(chart) == _old_figure_json(chart)
        assert chart.figure.to_json() == before  # not changed by being read
    # a figure holding numpy arrays is written as to_plotly_json writes it (typed arrays), and left as it was
    arrays = go.Figure(go.Scatter(x=np.arange(3.0), y=np.arange(3.0)))
    chart = Chart("timeline", "x", arrays, pd.DataFrame())
    text = figure_json(chart)
    assert text == _old_figure_json(chart) and '"bdata"' in text
    assert isinstance(arrays.data[0].x, np.ndarray)


def test_a_case_timeline_given_its_contacts_intervals_is_the_same_figure():
    from timelines import figures
    from timelines.analysis.table import contacts

    library = load_library(ROOT / "data")
    for case_id, case in library.cases.items():
        rows = figures.filter_events(library.events, case_id=case_id)
        given = gaps.intervals(contacts(case_events(library.events, case_id)))
        kwargs = dict(case=case, context=library.context, sources=library.sources)
        assert figures.case_timeline(rows, intervals=given, **kwargs).to_json() == \
            figures.case_timeline(rows, **kwargs).to_json()


def test_a_cases_rows_are_found_once_per_table_and_are_the_rows_case_rows_finds():
    from timelines import charts
    from timelines.analysis.table import case_rows

    for library in (load_library(ROOT / "data"),):
        events = library.events
        context = events[events["layer"] == "context"]
        for case_id in library.cases:
            data = charts._CaseData.of(library, case_id, None, True)
            _same(data.mine, case_rows(events, case_id))
            _same(data.with_context, pd.concat([case_rows(events, case_id), context]))
        assert charts._POSITIONS[0] is events


@given(strategies.libraries(max_cases=3, max_events=6))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_a_cases_rows_on_drawn_libraries(tmp_path_factory, library):
    from timelines import charts
    from timelines.analysis.table import case_rows

    loaded = load_library(strategies.write(tmp_path_factory.mktemp("lib"), library))
    events = loaded.events
    for case_id in loaded.cases:
        data = charts._CaseData.of(loaded, case_id, None, True)
        _same(data.mine, case_rows(events, case_id))
        _same(data.with_context, pd.concat([case_rows(events, case_id), events[events["layer"] == "context"]]))


def _same_records(fast: list[dict], reference: list[dict]) -> None:
    assert len(fast) == len(reference)
    for a, b in zip(fast, reference, strict=True):
        assert list(a) == list(b)
        for key in a:
            x, y = a[key], b[key]
            assert type(x) is type(y), (key, x, y)
            assert x is y or x == y or (pd.isna(x) and pd.isna(y)), (key, x, y)


def test_records_are_to_dict_records_on_the_bundled_data():
    from timelines.analysis.table import records
    from timelines.figures import PLAN_COLUMNS

    events = load_library(ROOT / "data").events
    _same_records(records(events), events.to_dict("records"))
    _same_records(records(events, list(PLAN_COLUMNS)), events[list(PLAN_COLUMNS)].to_dict("records"))
    assert records(events.iloc[:0]) == []


@given(strategies.libraries(max_cases=2, max_events=8))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_records_are_to_dict_records_on_drawn_libraries(tmp_path_factory, library):
    from timelines.analysis.table import records

    events = load_library(strategies.write(tmp_path_factory.mktemp("lib"), library)).events
    _same_records(records(events), events.to_dict("records"))
