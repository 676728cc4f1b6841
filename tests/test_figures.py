"""The charts' structure: one marker per visible event, bands over date windows, spans, rings, lanes,
the frame (title, subtitle, source) inside the figure, and the key figures the pages share."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from tests.conftest import DATA
from tests.sample_library import (
    CONTEXT_EVENTS,
    DEMO_EVENTS,
    DEMO_MISSED,
    DEMO_OPEN,
    DEMO_POINTS,
    DEMO_SPANS,
    write_sample,
)
from timelines import load_library, theme
from timelines.figures import (
    DECORATION_NAMES,
    ROLES,
    case_timeline,
    comparison,
    comparison_title,
    event_key,
    event_keys,
    filter_events,
    lanes,
    plan,
)
from timelines.measures import Interval, comparison_table, key_figures
from timelines.vocab import AGENCIES, AGENCY_BY_ID, FAMILY_SYMBOLS

EPOCH = pd.Timestamp(0)
MS = pd.Timedelta(milliseconds=1)


def ms(value) -> float:
    return (pd.Timestamp(value) - EPOCH) / MS


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return load_library(write_sample(tmp_path_factory.mktemp("sample")), use_cache=False)


@pytest.fixture(scope="module")
def demo(sample):
    return case_timeline(filter_events(sample.events, case_id="demo"), case=sample.cases["demo"],
                         context=sample.context)


def traces(fig, role):
    return [t for t in fig.data if (t.meta or {}).get("role") == role]


def rows_by_key(lib, case_id):
    rows = filter_events(lib.events, case_id=case_id)
    return {event_key(e, layer=layer): r for (e, layer), (_, r) in
            zip(zip(rows["event_id"], rows["layer"], strict=True), rows.iterrows(), strict=True)}


# --- one marker per visible event ------------------------------------------------------------------

FILTERS = [
    pytest.param({}, id="everything"),
    pytest.param({"show_context": False}, id="no-context"),
    pytest.param({"kinds": ["referral", "decision"]}, id="two-kinds"),
    pytest.param({"agencies": ["ctp_prevent"]}, id="one-agency"),
    pytest.param({"years": (2019, 2020)}, id="2019-2020"),
    pytest.param({"kinds": ["sentence"]}, id="nothing-left"),
]


@pytest.mark.parametrize("filters", FILTERS)
def test_each_visible_event_is_drawn_exactly_once(sample, filters):
    rows = filter_events(sample.events, case_id="demo", **filters)
    fig = case_timeline(rows, case=sample.cases["demo"], context=sample.context,
                        show_context=filters.get("show_context", True))
    drawn = Counter(event_keys(fig))
    expected = Counter(event_key(e, layer=layer) for e, layer in zip(rows["event_id"], rows["layer"], strict=True))
    assert drawn == expected
    assert all(n == 1 for n in drawn.values())
    # Decorations never carry customdata, so a click always lands on the event's one marker.
    for trace in fig.data:
        if trace.meta["role"] != "event":
            assert trace.customdata is None


def real_cases():
    lib = load_library(DATA)
    return sorted(lib.cases) or ["(no real case loaded)"]


@pytest.mark.parametrize("case_id", real_cases())
def test_real_data_each_event_drawn_once(case_id):
    lib = load_library(DATA)
    if case_id not in lib.cases:
        pytest.skip("data/ holds no case yet")
    for show_context in (True, False):
        rows = filter_events(lib.events, case_id=case_id, show_context=show_context)
        fig = case_timeline(rows, case=lib.cases[case_id], context=lib.context, show_context=show_context)
        keys = event_keys(fig)
        assert len(keys) == len(set(keys)) == len(rows)


def test_the_default_filter_shows_the_case_and_the_context(sample):
    rows = filter_events(sample.events, case_id="demo")
    assert (rows["layer"] == "case").sum() == DEMO_EVENTS
    assert (rows["layer"] == "context").sum() == CONTEXT_EVENTS
    assert set(rows["case_id"]) == {"demo", "context"}


def test_the_year_filter_keeps_windows_that_overlap(sample):
    rows = filter_events(sample.events, case_id="demo", years=(2020, 2020), show_context=False)
    # 'assessed' runs December 2019 to March 2020; 'closed' is about February 2020 (January to March).
    assert set(rows["event_id"]) == {"assessed", "closed"}


# --- how each date is drawn ------------------------------------------------------------------------

def test_windows_are_bands_over_the_whole_window(sample, demo):
    rows = rows_by_key(sample, "demo")
    (bands,) = traces(demo, "band")
    assert bands.type == "bar" and bands.orientation == "h"
    assert bands.marker.pattern.shape == "/"
    for key, base, width in zip(bands.ids, bands.base, bands.x, strict=True):
        row = rows[key]
        assert base == pytest.approx(ms(row["earliest"]))
        assert width == pytest.approx(ms(row["latest"]) - ms(row["earliest"]))
    banded = set(bands.ids)
    assert "referral" in banded  # December 2019: the whole month, never the 1st
    assert "review-year" in banded  # 2022: the whole year
    assert not banded & (DEMO_POINTS | DEMO_OPEN)


def test_a_month_is_never_a_point_on_the_first(sample, demo):
    marker = {k: (x, t) for t in traces(demo, "event") for k, x in zip(t.customdata, t.x, strict=True)}
    x, trace = marker["referral"]
    assert x == pytest.approx((ms("2019-12-01") + ms("2019-12-31 23:59:59.999999999")) / 2)
    index = list(trace.customdata).index("referral")
    assert trace.marker.color[index] == "white"  # hollow: a window, not a known day


def test_a_day_is_a_filled_marker_on_that_day(demo):
    for trace in traces(demo, "event"):
        for key, x, fill in zip(trace.customdata, trace.x, trace.marker.color, strict=True):
            if key == "second-referral":
                assert x == pytest.approx(ms("2021-02-10 12:00"))
                assert fill == theme.FAMILY_COLOURS["prevent"]
                return
    pytest.fail("second-referral not drawn")


def test_spans_are_solid_bars_to_the_end_of_their_end_date(sample, demo):
    (spans,) = traces(demo, "span")
    assert set(spans.ids) == DEMO_SPANS
    assert spans.marker.pattern is None or spans.marker.pattern.shape in (None, "")
    base, width = spans.base[0], spans.x[0]
    assert base == pytest.approx(ms("2021-03-01"))
    assert base + width == pytest.approx(ms("2021-09-30 23:59:59"), abs=1000)


def test_open_dates_get_an_arrow_not_a_band(demo):
    (arrows,) = traces(demo, "open")
    assert set(arrows.meta["keys"]) == DEMO_OPEN
    xs = [x for x in arrows.x if x is not None]
    before = (xs[0], xs[1])  # first-contact: 'before June 2018' points left of its bound
    assert before[1] < before[0] == pytest.approx(ms("2018-05-31 23:59:59.999999999"))


def test_missed_opportunities_are_ringed_with_the_finding_on_hover(demo):
    (rings,) = traces(demo, "missed")
    assert set(rings.meta["keys"]) == DEMO_MISSED
    assert rings.marker.color == theme.MISSED and rings.marker.line.width >= 3
    assert rings.name == DECORATION_NAMES["missed"]
    (key,) = [t for t in traces(demo, "legend") if t.meta.get("aid") == "missed"]
    assert key.name == DECORATION_NAMES["missed"] and key.marker.symbol == "circle-open"
    hover = {k: h for t in traces(demo, "event") for k, h in zip(t.customdata, t.hovertext, strict=True)}
    assert "should not have been closed" in hover["closed"]
    assert "Missed opportunity" in hover["closed"]


def test_hover_gives_the_date_as_written_title_agency_and_age(demo):
    hover = {k: h for t in traces(demo, "event") for k, h in zip(t.customdata, t.hovertext, strict=True)}
    text = hover["referral"]
    assert "December 2019" in text
    assert AGENCY_BY_ID["school"].label in text
    assert "aged 13" in text
    assert "&lt;b&gt;school&lt;/b&gt;" in text  # markup in the data is shown, never interpreted
    assert "about February 2020" in hover["closed"]
    assert "National context" in hover["context:reforms"]


def test_the_selected_event_is_ringed(sample):
    fig = case_timeline(filter_events(sample.events, case_id="demo"), case=sample.cases["demo"],
                        selected="attack")
    (ring,) = traces(fig, "selected")
    assert ring.meta["keys"] == ["attack"]


# --- shapes, colours, lanes --------------------------------------------------------------------------

def test_families_differ_by_colour_and_shape_never_colour_alone(sample, demo):
    events = traces(demo, "event")
    assert len({t.meta["family"] for t in events}) == len(events)  # one trace per family
    assert len(set(FAMILY_SYMBOLS.values())) == len(FAMILY_SYMBOLS)
    for trace in events:
        colour, symbol = theme.FAMILY_COLOURS[trace.meta["family"]], FAMILY_SYMBOLS[trace.meta["family"]]
        assert trace.marker.symbol == symbol
        shapes = {k: i["shape"] for i in plan(filter_events(sample.events, case_id="demo")) for k in [i["key"]]}
        for key, fill, line in zip(trace.customdata, trace.marker.color, trace.marker.line.color, strict=True):
            # a known day filled; a window the same shape, white inside, outlined in the colour
            assert (fill, line) == ((colour, "white") if shapes[key] == "point" else ("white", colour))


@pytest.mark.parametrize("case_id", real_cases())
def test_a_legend_of_at_most_eight_keys_naming_only_what_is_drawn(case_id):
    lib = load_library(DATA)
    if case_id not in lib.cases:
        pytest.skip("data/ holds no case yet")
    rows = filter_events(lib.events, case_id=case_id)
    figs = [case_timeline(rows, case=lib.cases[case_id], context=lib.context, compact=c) for c in (False, True)]
    figs.append(comparison(lib.events, cases=list(lib.cases.values())))
    for fig in figs:
        shown = [t for t in fig.data if t.showlegend is not False]
        assert 0 < len(shown) <= 8
        assert all(t.meta["role"] == "legend" for t in shown)
        roles = {t.meta["role"] for t in fig.data}
        families = {t.meta.get("family") for t in fig.data if t.meta["role"] == "event"}
        for key in shown:
            assert key.meta.get("aid") in roles or key.meta.get("family") in families


def test_one_lane_per_agency_in_the_vocabulary_order(sample, demo):
    items = plan(filter_events(sample.events, case_id="demo"))
    order = lanes(items)
    case_lanes = [a for layer, a in order if layer == "case"]
    assert case_lanes == [a.id for a in AGENCIES if a.id in {"school", "ctp_prevent", "police", "channel",
                                                              "health", "subject"}]
    assert [a for layer, a in order if layer == "context"] == ["all"]  # the context is one lane
    assert demo.layout.yaxis.tickvals == tuple(range(len(order)))
    assert len(demo.layout.yaxis.ticktext) == len(order)
    top, bottom = demo.layout.yaxis.range[1], demo.layout.yaxis.range[0]
    assert bottom == len(order) - 0.5 and top < -0.5  # first lane at the top, room above it for labels


def test_the_context_layer_is_shaded_and_can_be_switched_off(sample):
    rows = filter_events(sample.events, case_id="demo")
    on = case_timeline(rows, case=sample.cases["demo"], context=sample.context, show_context=True)
    off = case_timeline(rows, case=sample.cases["demo"], context=sample.context, show_context=False)
    assert any(k.startswith("context:") for k in event_keys(on))
    assert not any(k.startswith("context:") for k in event_keys(off))
    assert [s.type for s in on.layout.shapes].count("rect") == 1
    assert not [s for s in off.layout.shapes if s.type == "rect"]


# --- the frame: a chart that stands alone ------------------------------------------------------------

def test_title_subtitle_and_source_are_in_the_figure(sample, demo):
    assert "Demo: two referrals, one missed chance" in demo.layout.title.text
    assert "10 events by agency" in demo.layout.title.text
    (source,) = [a for a in demo.layout.annotations if a.name == "source-line"]
    assert source.text.startswith("Source: ")
    assert demo.layout.meta["title"] == sample.cases["demo"].title
    assert demo.layout.template.layout.font.family == theme.FONT


def test_compact_charts_fit_a_phone(sample):
    rows = filter_events(sample.events, case_id="demo")
    wide = case_timeline(rows, case=sample.cases["demo"])
    phone = case_timeline(rows, case=sample.cases["demo"], compact=True)
    longest = max(len(line) for line in phone.layout.title.text.split("<br>"))
    assert longest < 120  # each line holds at most about 34 characters of text plus its markup
    assert phone.layout.height > wide.layout.height  # the legend takes one column on a phone
    assert phone.layout.margin.t > wide.layout.margin.t  # room for the modebar above the title


def test_the_modebar_downloads_png_at_twice_the_size_or_svg():
    png = theme.modebar_config("Southport: prevent timeline")
    assert png["toImageButtonOptions"] == {"format": "png", "scale": 2, "filename": "southport-prevent-timeline"}
    assert png["displaylogo"] is False
    assert theme.modebar_config("x", fmt="svg")["toImageButtonOptions"]["format"] == "svg"


@pytest.mark.parametrize("compact", [False, True], ids=["desktop", "phone"])
def test_figures_are_valid_plotly(sample, compact):
    """Figures skip Plotly's validation when built; here every property is checked."""
    import plotly.graph_objects as go

    rows = filter_events(sample.events, case_id="demo")
    figures = [
        case_timeline(rows, case=sample.cases["demo"], context=sample.context, selected="closed", compact=compact),
        comparison(sample.events, cases=list(sample.cases.values()), selected="demo:attack", compact=compact),
    ]
    for fig in figures:
        go.Figure(fig.to_dict())  # raises ValueError on any unknown or invalid property
        assert {t.meta["role"] for t in fig.data} <= set(ROLES)
        assert fig.to_dict()["layout"]["template"]["layout"]["font"]["family"] == theme.FONT


# --- the comparison ----------------------------------------------------------------------------------

@pytest.mark.parametrize("align_on, anchored", [("outcome", "attack"), ("first_referral", "referral")])
def test_comparison_aligns_both_cases_on_the_chosen_event(sample, align_on, anchored):
    fig = comparison(sample.events, cases=list(sample.cases.values()), align_on=align_on)
    xs = {k: x for t in traces(fig, "event") for k, x in zip(t.customdata, t.x, strict=True)}
    assert xs[f"demo:{anchored}"] == pytest.approx(0, abs=1e-9)
    assert xs[f"other:{anchored}"] == pytest.approx(0, abs=1e-9)
    assert xs["demo:second-referral"] < 0 if align_on == "outcome" else xs["demo:second-referral"] > 0
    keys = event_keys(fig)
    assert len(keys) == len(set(keys)) == int((sample.events["layer"] == "case").sum())
    assert "Years before" in fig.layout.xaxis.title.text


def test_the_comparison_title_states_the_finding(sample):
    cases = list(sample.cases.values())
    # In the words of describe_span: the shorter bound rounded down, never up (1.58 years is 'about 1.5')
    assert comparison_title(sample.events, cases, "outcome") == (
        "Each attack came years after the last Prevent contact: Demo 1.5 to 2.6 years; Other 6.9 to 7.1 years")
    assert comparison_title(sample.events, cases, "first_referral") == (
        "From first referral to attack: Demo 4.5 to 4.7 years; Other 6.9 to 7.1 years")


def test_comparison_rejects_an_unknown_alignment(sample):
    with pytest.raises(ValueError, match="align_on must be one of outcome, first_referral"):
        comparison(sample.events, cases=list(sample.cases.values()), align_on="sideways")


# --- key figures -------------------------------------------------------------------------------------

def test_key_figures_of_the_demo_case(sample):
    figures = key_figures(sample.events, sample.cases["demo"])
    assert figures.referrals == 2
    assert figures.adopted and str(figures.time_in_channel) == "6 to 7 months"
    assert figures.last_contact_label == "Post-exit review, 2022"
    assert str(figures.last_contact_to_outcome) == "1.5 to 2.6 years"  # 576 days: 1.58 rounded down
    assert figures.missed_opportunities == 1
    assert figures.first_referral_age == 13
    other = key_figures(sample.events, sample.cases["other"])
    assert not other.adopted and other.channel_text == "Never adopted"


@pytest.mark.parametrize("interval, text", [
    (Interval(1749, 2118), "4.7 to 5.8 years"),  # 4.79 years is never rounded up to 4.8
    (Interval(2557, 2557), "7.0 years"),
    (Interval(31, 31), "31 days"),
    (Interval(122, 182), "4 to 6 months"),
    (Interval(None, 400), "up to 14 months"),  # an open shorter bound stays open
    (Interval(400, None), "at least 13 months"),
])
def test_intervals_read_as_ranges(interval, text):
    assert str(interval) == text


def test_the_comparison_table_has_a_column_per_case(sample):
    table = comparison_table(sample.events, list(sample.cases.values()))
    assert list(table.columns) == ["Measure", "Demo", "Other"]
    row = table.set_index("Measure").loc["Referrals to Prevent"]
    assert (row["Demo"], row["Other"]) == ("2", "1")


def test_the_phone_comparison_puts_its_legend_after_the_chart():
    from timelines.figures import LEGEND_ROW_PX, comparison
    bundled = load_library(DATA)
    cases = list(bundled.cases.values())
    wide = comparison(bundled.events, cases=cases, sources=bundled.sources)
    phone = comparison(bundled.events, cases=cases, sources=bundled.sources, compact=True)
    entries = sum(1 for t in phone.data if t.showlegend is not False and t.name)
    assert entries >= 2
    assert (phone.layout.legend.yref, phone.layout.legend.y, phone.layout.legend.yanchor) == ("container", 0, "bottom")
    assert phone.layout.margin.b >= entries * LEGEND_ROW_PX, "the bottom margin holds one legend entry a row"
    assert wide.layout.legend.y > 0.5, "on a desktop the legend stays under the subtitle"


def test_the_modebar_never_offers_to_upload_the_chart_to_another_host():
    config = theme.modebar_config("x")
    assert config["showSendToCloud"] is False and "sendChartToCloud" in config["modeBarButtonsToRemove"]
