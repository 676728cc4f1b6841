"""What the pages do to stay fast, checked as behaviour (speed itself is measured by benchmarks/):
a figure's JSON is made once per figure object and says what the figure says; a kept view sends the
same chart on every run; a view too large to list down a phone gets one chart and a note."""

from __future__ import annotations

import gc
import json
import random
import re

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from streamlit.testing.v1 import AppTest

from benchmarks.generate import SOURCES, case_text
from components import widgets
from components.case_view import PHONE_MAX_EVENTS
from tests.charts import sent_charts
from tests.conftest import REPO
from tests.test_app import _fresh_streamlit_caches, sample, sample_dir  # noqa: F401  (autouse: no Streamlit cache between tests)
from timelines import figures

APP = str(REPO / "app.py")




def _sent_json(fig: go.Figure) -> dict:
    """What st.plotly_chart sends for ``fig`` (its own path: to_dict, then JSON without validation)."""
    import plotly.tools

    return json.loads(pio.to_json(plotly.tools.return_figure_from_figure_or_data(fig, True), validate=False))


def test_the_sent_figure_says_what_the_figure_says_in_fewer_bytes():
    fig = go.Figure([
        go.Scatter(x=["2020-01-01T00:00:00", "2020-02-03T12:30:00", "2021-05"], y=[0.123456789, 2, -1.00004],
                   uid="trace-uid", mode="markers", customdata=["a", "b", "c"], name="events"),
        go.Bar(x=np.array([1.5, 2.25]), y=["lane", "lane"], orientation="h"),
        go.Scatter(x=[1, 2], y=[float("nan"), 1.0]),
    ])
    fig.update_layout(title="A chart", meta={"role": "test"})
    plain, sent = _sent_json(fig), _sent_json(widgets.sent_figure(fig))
    assert len(json.dumps(sent)) < len(json.dumps(plain))
    first = sent["data"][0]
    assert first["x"] == ["2020-01-01", "2020-02-03T12:30:00", "2021-05"]  # midnight written as the date
    assert first["y"] == [0.1235, 2, -1.0]
    assert "uid" not in first and first["customdata"] == ["a", "b", "c"] and first["name"] == "events"
    assert sent["data"][1]["x"] == plain["data"][1]["x"]  # typed arrays pass through
    assert sent["data"][2]["y"] == plain["data"][2]["y"] == [None, 1.0]  # NaN is null either way
    assert sent["layout"] == _rounded(plain["layout"])


def _rounded(value):
    if isinstance(value, float):
        return round(value, widgets.DECIMALS)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def test_a_figure_is_made_into_json_once_and_forgotten_with_the_figure():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    sent = widgets.sent_figure(fig)
    assert widgets.sent_figure(fig) is sent and widgets.sent_figure(sent) is sent
    other = go.Figure(go.Scatter(x=[1, 2], y=[5, 6]))
    assert _sent_json(widgets.sent_figure(other))["data"][0]["y"] == [5, 6]
    ident = id(fig)
    assert ident in widgets._SENT
    del fig, sent
    gc.collect()
    assert ident not in widgets._SENT and id(other) in widgets._SENT


def test_a_rerun_of_the_case_page_sends_the_same_chart_as_a_fresh_build(monkeypatch, tmp_path):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("components/case_page.py")
    at.run()
    first = sent_charts(at)
    at.run()
    assert [c.raw for c in sent_charts(at)] == [c.raw for c in first]  # the browser has nothing to redraw
    assert first[0].element == "basic" and figures.event_keys(first[0].spec), "the chart holds the case's events"


def test_a_view_too_long_for_a_phone_gets_the_wide_chart_and_a_note(tmp_path, monkeypatch):
    root = tmp_path / "lib"
    (root / "cases").mkdir(parents=True)
    (root / "sources.yaml").write_text(SOURCES)
    (root / "cases" / "case-0000.yaml").write_text(case_text(0, PHONE_MAX_EVENTS + 1, random.Random(3)))
    monkeypatch.setenv("TIMELINES_DATA_DIR", str(root))
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    at.switch_page("components/case_page.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    charts = [c.spec["layout"]["meta"] for c in sent_charts(at)]
    assert len(charts) == 1 and not charts[0].get("vertical")
    # no list of every event to choose from, but a search that lists the matches (the keyboard's way to an
    # event's detail); no printed table of them, and the page says so
    chooser = next(s for s in at.selectbox if s.key == "event")
    assert chooser.options == []
    at.text_input(key="_find_event").set_value("generated event 1").run()
    chooser = next(s for s in at.selectbox if s.key == "event")
    assert 0 < len(chooser.options) <= 500
    assert all("Generated event 1" in label for label in chooser.options)
    chooser.select_index(0).run()
    assert not at.exception and at.session_state["event"]
    printed = " ".join(h.proto.body for h in at.get("html") if "print-only" in h.proto.body)
    assert "<tbody>" not in printed and f"This view holds {PHONE_MAX_EVENTS + 1:,} events" in printed
    at.query_params["layout"] = "narrow"  # a phone gets the same chart, with the note
    at.run()
    assert [c.spec["layout"]["meta"].get("vertical") for c in sent_charts(at)] == [None]
    assert any("too many to list down a narrow screen" in i.value for i in at.info)


def test_a_short_view_prints_every_event_and_offers_each_in_the_chooser(sample):  # noqa: F811
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("components/case_page.py")
    at.run()
    shown = [int(n) for n in re.findall(r"(\d+) of \d+", at.markdown[0].value)]  # case, then context events
    printed = next(h.proto.body for h in at.get("html") if "print-only" in h.proto.body)
    assert printed.count("<tr>") - 1 == sum(shown)  # a header row, then every event in view
    assert len(at.selectbox(key="event").options) == sum(shown)
