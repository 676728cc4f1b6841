"""Large cases: a 10,000-event chronology loads whole, draws every event once, and switches to WebGL."""

from __future__ import annotations

import random

import plotly.graph_objects as go
import pytest

from benchmarks.generate import SOURCES, case_text
from timelines import figures, load_library, yamlio
from timelines.large import GL_THRESHOLD, webgl_above_threshold

N = 10_000


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    root = tmp_path_factory.mktemp("large")
    (root / "cases").mkdir()
    (root / "sources.yaml").write_text(SOURCES)
    text = case_text(0, N, random.Random(1))
    (root / "cases" / "case-0000.yaml").write_text(text)
    return len(text.encode()), load_library(root, use_cache=False)


def test_a_ten_thousand_event_case_loads_whole(large):
    size, library = large
    assert size > 2_000_000, "the old 2 MB limit would have refused it"
    assert size < yamlio.MAX_BYTES
    assert not library.problems, library.problems[:3]
    assert int((library.events["layer"] == "case").sum()) == N


def test_a_ten_thousand_event_case_draws_each_event_once_with_webgl(large):
    _, library = large
    case = library.cases["case-0000"]
    fig = figures.case_timeline(library.events, case=case)
    keys = figures.event_keys(fig)
    assert len(keys) == len(set(keys)) == N
    events = [t for t in fig.data if (t.meta or {}).get("role") == "event"]
    assert events and all(t.type == "scattergl" for t in events)
    go.Figure(fig.to_dict())  # Plotly's own validation accepts every WebGL trace as built


def test_small_figures_stay_svg():
    traces = [dict(type="scatter", mode="markers", x=list(range(10)), meta={"role": "event"}),
              dict(type="scatter", mode="lines+markers", x=[1, 2], meta={"role": "open"})]
    assert webgl_above_threshold(traces) == traces
    big = webgl_above_threshold(traces, threshold=5)
    assert [t["type"] for t in big] == ["scattergl", "scatter"]  # arrows and lines stay SVG
    assert GL_THRESHOLD >= 1000  # the bundled cases and ordinary ones stay crisp SVG
