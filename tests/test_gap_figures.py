"""The gap analysis figures (structure, not pixels) and the gap analysis page under AppTest."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import timelines
from tests.charts import sent_charts
from timelines import charts as catalogue
from timelines import gap_figures, gaps

TODAY = date(2025, 11, 22)


def standalone(fig) -> None:
    """Title, subtitle and source line are inside the figure, so a screenshot stands alone."""
    meta = fig.layout.meta
    assert meta["title"] and meta["subtitle"] and meta["source"]
    assert any(a.name == "source-line" for a in fig.layout.annotations)


def traces(fig, kind: str) -> list:
    return [t for t in fig.data if t.type == kind]


@pytest.mark.parametrize("case_id", ["amess", "southport"])
def test_interval_strip(real, case_id):
    rows = gaps.contacts(gaps.case_events(real.events, case_id))
    intervals = gaps.intervals(rows)
    fig = gap_figures.interval_strip(rows, intervals, case_title=real.cases[case_id].title)
    standalone(fig)
    assert fig.layout.xaxis.type == "date"
    assert list(fig.layout.yaxis.categoryarray) == ["Gaps", "Events"]
    markers = [t for t in traces(fig, "scatter") if t.mode == "markers"]
    # one marker trace per family of kinds present, every event drawn once
    assert sum(len(t.x) for t in markers) == len(rows)
    assert len({t.name for t in markers}) == len(markers)
    gap_bars = [t for t in traces(fig, "bar") if t.name == "Time certainly without an event"]
    assert len(gap_bars) == 1 and len(gap_bars[0].x) == int((intervals["min_days"].fillna(0) > 0).sum())
    # the longest gap is labelled with its range and named in the title
    longest = gaps.longest(intervals, n=1).iloc[0]
    labels = [a.text for a in fig.layout.annotations if a.name != "source-line"]
    assert labels[0] == f"1. {longest['label']}"
    assert longest["label"] in fig.layout.meta["title"]


def test_pathway_steps(real):
    conformance = gaps.conformance(real.events, real.process.steps, gaps.findings(real.cases),
                                   gaps.event_steps(real.cases))
    southport = conformance[conformance["case_id"] == "southport"]
    fig = gap_figures.pathway_steps(southport, case_title=real.cases["southport"].title)
    standalone(fig)
    assert fig.layout.meta["title"] == "All 3 referrals closed before “Channel panel”"
    statuses = {t.name: t for t in traces(fig, "scatter") if t.mode == "markers+text"}
    assert set(statuses) == {"Happened", "Skipped: case closed", "Not reached"}
    # 3 referrals x 10 steps = 30 markers; the skipped ones are the Channel panel of each referral
    assert sum(len(t.x) for t in statuses.values()) == len(southport) == 30
    assert list(statuses["Skipped: case closed"].customdata) == ["channel-panel"] * 3
    # status is written, not only coloured or shaped
    assert set(statuses["Not reached"].text) == {"Not reached"}
    # every expected step heads a column
    headers = [a for a in fig.layout.annotations if a.name != "source-line"]
    assert len(headers) == len(real.process.steps)

    amess = conformance[conformance["case_id"] == "amess"]
    fig = gap_figures.pathway_steps(amess, case_title=real.cases["amess"].title)
    assert fig.layout.meta["title"] == "Missing from the expected pathway: “Six-month post-exit review”"
    # the line breaks at the missing step
    line = next(t for t in traces(fig, "scatter") if t.mode == "lines")
    assert None in line.x


def test_cumulative_referrals(real):
    refs = gaps.referrals(real.events)
    fig = gap_figures.cumulative_referrals(refs, case_titles={k: c.title for k, c in real.cases.items()})
    standalone(fig)
    lines = [t for t in traces(fig, "scatter")]
    assert [t.name for t in lines] == ["Sir David Amess", "Southport"]
    assert list(lines[1].y) == [1, 2, 3] and lines[1].line.shape == "hv"
    assert lines[0].marker.symbol != lines[1].marker.symbol  # cases differ by shape, not colour alone
    assert lines[1].text[-1] == "Southport: 3"
    assert len(traces(fig, "bar")) == 2  # the month windows
    # Dec 2019 to Apr 2021: 31 Dec 2019 -> 1 Apr 2021 = 457 days, 1 Dec 2019 -> 30 Apr 2021 = 516
    assert fig.layout.meta["title"] == "Southport: 3 referrals, first to last 15 to 17 months"


def test_commitments_tracker(real):
    table = gaps.commitments(real.context.commitments, TODAY)
    fig = gap_figures.commitments_tracker(table, today=pd.Timestamp(TODAY))
    standalone(fig)
    markers = {t.name: t for t in traces(fig, "scatter") if t.mode == "markers+text"}
    assert sum(len(t.x) for t in markers.values()) == len(table)
    assert set(markers) == {gaps.COMMITMENT_STATES[s] for s in table["state"]}
    # today is a dashed line across the chart
    assert fig.layout.shapes[0].x0 == pd.Timestamp(TODAY)
    overdue = int((table["state"] == "overdue").sum())
    dated = int(table["due"].astype(bool).sum())
    assert fig.layout.meta["title"].startswith(f"{overdue} of {dated} dated promises past deadline")


def test_figures_with_no_certain_gap():
    rows = pd.DataFrame({
        "case_id": ["demo"] * 2, "layer": ["case"] * 2, "event_id": ["a", "b"], "sequence": [1, 2],
        "kind": ["referral", "police_assessment"], "family": ["prevent"] * 2, "title": ["A", "B"],
        "date_label": ["2016", "2016"], "earliest": [pd.Timestamp("2016-01-01")] * 2,
        "latest": [pd.Timestamp("2016-12-31 23:59:59")] * 2,
    })
    fig = gap_figures.interval_strip(rows, gaps.intervals(rows), case_title="Demo")
    assert fig.layout.meta["title"] == "No gap between events is certain from the dates"


# --- built without Plotly's validation, so checked here; and the phone layout -----------------------------

def _gap_charts(library, *, compact: bool) -> list:
    found = [c for case_id in library.cases
             for c in catalogue.case_charts(library, case_id, today=TODAY, compact=compact,
                                            only={"intervals", "pathway"})]
    return found + catalogue.overview_charts(library, today=TODAY, compact=compact, only={"referrals", "commitments"})


@pytest.mark.parametrize("compact", [False, True], ids=["wide", "compact"])
def test_every_gap_figure_is_valid_plotly(real, compact):
    """The figures are plain dicts made into go.Figure without validation: Plotly's own check must pass."""
    import plotly.graph_objects as go

    charts = _gap_charts(real, compact=compact)
    assert {c.id for c in charts} == {"intervals", "pathway", "referrals", "commitments"}
    for chart in charts:
        go.Figure(chart.figure.to_dict())  # raises on any invalid property or value
        assert chart.figure.layout.meta["compact"] is compact


def _font_sizes(fig) -> list[float]:
    sizes = [a.font.size for a in fig.layout.annotations if a.font and a.font.size]
    sizes += [t.textfont.size for t in fig.data if t.textfont and t.textfont.size and t.text is not None]
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        if axis.tickfont and axis.tickfont.size and axis.showticklabels is not False:
            sizes.append(axis.tickfont.size)
    if fig.layout.legend and fig.layout.legend.font and fig.layout.legend.font.size:
        sizes.append(fig.layout.legend.font.size)
    spans = [float(m) for a in fig.layout.annotations for m in re.findall(r"font-size:(\d+)px", a.text or "")]
    return sizes + spans


def test_the_phone_layout_keeps_its_text_readable_wrapped_and_its_legend_after_the_chart(real):
    for chart in _gap_charts(real, compact=True):
        fig = chart.figure
        assert min(_font_sizes(fig)) >= 12, chart.name  # 11 px is the floor on a phone
        # the title wraps to lines that fit a 320 px screen
        title_lines = [line for line in fig.layout.title.text.split("<br>") if "<b>" in line]
        assert all(len(re.sub("<[^>]+>", "", line)) <= gap_figures.COMPACT_TITLE_WRAP + 1 for line in title_lines)
        # nothing beside the plot eats the phone's width: no y tick labels, narrow side margins
        assert fig.layout.yaxis.showticklabels is False or chart.id == "referrals", chart.name
        assert fig.layout.margin.l <= 8 and fig.layout.margin.r <= 8
        entries = [t for t in fig.data if t.showlegend is not False and t.name]
        if fig.layout.showlegend is not False and entries:
            assert len(entries) <= 8
            assert fig.layout.legend.yref == "container" and fig.layout.legend.y == 0, "the legend comes last"
            assert fig.layout.margin.b >= len(entries) * gap_figures.LEGEND_ROW_PX


def test_the_phone_pathway_runs_down_the_page_with_each_status_in_words(real):
    one = {"southport": real.cases["southport"]}
    conformance = gaps.conformance(real.events[real.events["case_id"] == "southport"], real.process.steps,
                                   gaps.findings(one), gaps.event_steps(one))
    fig = gap_figures.pathway_steps(conformance, case_title=real.cases["southport"].title, compact=True)
    steps = list(dict.fromkeys(conformance["step_title"]))
    named = [a for a in fig.layout.annotations if a.name != "source-line" and "<b>" not in a.text]
    # every step is named once, in order, each lower on the page than the one before
    assert len(named) == len(steps)
    assert [a.y for a in named] == sorted(a.y for a in named) and len({a.y for a in named}) == len(steps)
    assert fig.layout.yaxis.range[0] > fig.layout.yaxis.range[1], "y runs down the page"
    # one spine (x) per referral; every step of every referral has its marker there
    markers = [t for t in fig.data if t.mode == "markers"]
    assert sum(len(t.x) for t in markers) == len(conformance)
    assert len({x for t in markers for x in t.x}) == conformance["episode"].nunique()
    # the status is in words under each name: the three referrals all closed before the Channel panel
    panel = next(a for a in named if a.text.startswith("Channel panel"))
    assert "All 3: Skipped" in panel.text
    assert gap_figures._status_tag(["found", "found", "late"]) == "1, 2: Happened · 3: Late"
    assert gap_figures._status_tag(["missing"]) == "Missing"


def test_the_phone_gap_labels_are_never_crossed_by_a_lower_label_s_leader():
    notes = [dict(text=f"{i}. {t}", _where=w) for i, (t, w) in enumerate(
        [("3.0 to 3.4 years", 0.7), ("10 to 14 months", 0.2), ("1 to 88 days", 0.45)], start=1)]
    placed = gap_figures._stack(notes)
    assert [n["text"][0] for n in placed] == ["1", "2", "3"]
    rows = sorted(zip(placed, (0.7, 0.2, 0.45), strict=True), key=lambda p: p[0]["ay"])  # top row first
    for (upper, x_upper), (_lower, x_lower) in itertools.combinations(rows, 2):
        width = len(upper["text"]) * 7.2 / gap_figures.PHONE_PLOT_PX
        start = {"left": 0.0, "center": -width / 2, "right": -width}[upper["xanchor"]] + x_upper
        assert not start <= x_lower <= start + width, (upper, x_lower)  # the lower leader passes beside it
        assert start >= -0.05 and start + width <= 1.05  # and the label stays in the plot


# --- the page under AppTest -----------------------------------------------------------------------------

def _page():
    from datetime import date

    import timelines  # the function's source runs alone as a script: it imports what it uses
    from components import gaps_page

    gaps_page.render(timelines.load_library(), today=date(2025, 11, 22))


def run_page(**params: str) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.usefixtures("real")
@pytest.mark.parametrize("case_id", ["amess", "southport"])
def test_page_renders_each_case_from_the_url(case_id):
    at = run_page(case=case_id)
    assert not at.exception
    assert at.selectbox(key="gaps_case").value == case_id
    charts = sent_charts(at)
    metas = [c.spec["layout"]["meta"] for c in charts]
    # intervals, pathway, referrals, commitments: wide, or compact when the browser's width asks for it
    assert [m.get("compact") for m in metas] == [False] * 4, metas
    narrow = sent_charts(run_page(case=case_id, layout="narrow"))
    assert [c.spec["layout"]["meta"].get("compact") for c in narrow] == [True] * 4
    # the catalogue's charts, the same as every other surface shows
    library = timelines.load_library()
    wide = [c for c in catalogue.case_charts(library, case_id, today=TODAY) if c.id != "timeline"]
    wide += [c for c in catalogue.overview_charts(library, today=TODAY) if c.id in ("referrals", "commitments")]
    assert [m["title"] for m in metas] == [c.title for c in wide]
    assert [c.alt for c in charts] == [c.alt for c in wide]  # the catalogue's alt text
    downloads = at.get("download_button")
    assert len(downloads) >= len(charts)  # every chart has its table's CSV, and the other tables too
    assert [h.value for h in at.header][:2] == ["Every case at a glance", "One case in detail"]


@pytest.mark.usefixtures("real")
def test_page_writes_its_choices_to_the_url():
    at = run_page()
    assert at.query_params["case"] == at.selectbox(key="gaps_case").value
    at.selectbox(key="gaps_case").set_value("southport").run()
    at.radio(key="gaps_scope").set_value("all").run()
    assert not at.exception
    assert at.query_params["case"] == "southport" and at.query_params["scope"] == "all"
    at.radio(key="gaps_scope").set_value("contacts").run()
    assert "scope" not in at.query_params  # the default is left out of the URL


@pytest.mark.usefixtures("real")
def test_page_ignores_an_unknown_case_in_the_url():
    at = run_page(case="no-such-case")
    assert not at.exception
    assert at.selectbox(key="gaps_case").value in {"amess", "southport"}
