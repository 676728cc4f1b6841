"""The pages' charts are drawn by plotly.js's basic bundle (components/plotly_view.py): the file they load is
the static site's, served by Streamlit; a figure the bundle cannot draw goes to st.plotly_chart."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from streamlit.testing.v1 import AppTest

from components import plotly_view
from tests.charts import sent_charts
from tests.conftest import DATA, REPO
from timelines import load_library
from timelines.charts import all_charts
from timelines.theme import slug


def test_the_app_serves_the_static_sites_bundle_from_its_static_folder():
    served = REPO / "static" / plotly_view.BUNDLE["file"]
    assert served.resolve() == (REPO / "timelines" / "site" / "static" / plotly_view.BUNDLE["file"]).resolve()
    assert hashlib.sha256(served.read_bytes()).hexdigest() == plotly_view.BUNDLE["sha256"]
    assert (REPO / "static" / "plotly-basic.LICENSE.txt").is_file(), "the licence is served beside it"


def test_the_bundle_draws_every_chart_the_bundled_library_makes():
    lib = load_library(DATA)
    today = date(2026, 11, 23)
    charts = [*all_charts(lib, today=today), *all_charts(lib, today=today, compact=True)]
    assert charts
    for chart in charts:
        spec = chart.figure.to_dict()
        assert plotly_view.drawable(spec), (chart.name, {t.get("type") for t in spec["data"]})


def _two_charts():
    import plotly.graph_objects as go

    from components import widgets

    gl = go.Figure(go.Scattergl(x=[1, 2], y=[3, 4], mode="markers"))
    gl.update_layout(meta={"title": "gl"})
    plain = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], mode="markers", customdata=["a", "b"]))
    plain.update_layout(meta={"title": "plain"}, height=321)
    widgets.chart(gl, key="gl", filename="gl chart", alt="A WebGL chart", slides=False)
    widgets.chart(plain, key="plain", filename="plain chart", alt="A plain chart", slides=False,
                  on_select=lambda: None)


def test_a_figure_the_bundle_cannot_draw_goes_to_st_plotly_chart():
    at = AppTest.from_function(_two_charts).run()
    assert not at.exception, [e.message for e in at.exception]
    charts = sent_charts(at)
    assert [(c.element, c.spec["layout"]["meta"]["title"], c.alt) for c in charts] == [
        ("plotly_chart", "gl", "A WebGL chart"), ("basic", "plain", "A plain chart")]
    basic = charts[1]
    assert basic.spec["data"][0]["customdata"] == ["a", "b"] and basic.spec["layout"]["height"] == 321
    assert basic.config["toImageButtonOptions"]["filename"] == slug("plain chart")  # the modebar's download
    assert json.loads(json.loads(at.get("bidi_component")[0].proto.json))["select"] is True


def test_the_bundle_is_found_under_the_servers_base_path(monkeypatch):
    import streamlit as st

    monkeypatch.setattr(st, "get_option", lambda name: "/timelines/" if name == "server.baseUrlPath" else None)
    assert plotly_view.bundle_url() == f"/timelines/app/static/plotly-basic.min.js?v={plotly_view.BUNDLE['version']}"
    monkeypatch.setattr(st, "get_option", lambda name: "")
    assert plotly_view.bundle_url().startswith("/app/static/")


def test_every_page_starts_loading_the_bundle_with_its_first_script():
    """The bundle is asked for by the page's first script (the width probe's), not once the first chart has
    mounted; Home, with no chart, asks when the browser is idle, for the next page."""
    from tests.test_app import open_page

    for page in ("home", "case", "gaps"):
        at = open_page(page)
        first = next(h.proto.body for h in at.get("html") if "<script>" in h.proto.body)
        assert "__tlServed" in first and plotly_view.bundle_url() in first, page
        assert ("requestIdleCallback" in first) == (page == "home"), page
