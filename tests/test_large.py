"""Large cases: a 10,000-event chronology loads whole; its chart draws the key events and counts the rest
(each event drawn or counted exactly once, the count in words); WebGL above a threshold when all are drawn."""

from __future__ import annotations

import random

import pandas as pd
import plotly.graph_objects as go
import pytest

from benchmarks.generate import SOURCES, case_text
from tests.conftest import write_library
from timelines import figures, large, load_library, yamlio
from timelines.large import GL_THRESHOLD, webgl_above_threshold

N = 10_000


@pytest.fixture(scope="module")
def large_case(tmp_path_factory):
    root = tmp_path_factory.mktemp("large")
    (root / "cases").mkdir()
    (root / "sources.yaml").write_text(SOURCES)
    text = case_text(0, N, random.Random(1))
    (root / "cases" / "case-0000.yaml").write_text(text)
    return len(text.encode()), load_library(root, use_cache=False)


def test_a_ten_thousand_event_case_loads_whole(large_case):
    size, library = large_case
    assert size > 2_000_000, "the old 2 MB limit would have refused it"
    assert size < yamlio.MAX_BYTES
    assert not library.problems, library.problems[:3]
    assert int((library.events["layer"] == "case").sum()) == N


def _all_keys(library, case_id="case-0000"):
    rows = library.events[(library.events["case_id"] == case_id) & (library.events["layer"] == "case")]
    return sorted(figures.event_key(e) for e in rows["event_id"])


def test_a_ten_thousand_event_case_is_drawn_or_counted_each_event_once(large_case):
    _, library = large_case
    case = library.cases["case-0000"]
    fig = figures.case_timeline(library.events, case=case, sources=library.sources)
    drawn, counted = figures.event_keys(fig), large.counted_keys(fig)
    assert case.outcome_event in drawn
    assert sorted(drawn + counted) == _all_keys(library)
    assert len(drawn) <= large.KEY_LIMIT and len(counted) >= N - large.KEY_LIMIT
    (bars,) = [t for t in fig.data if t.meta["role"] == "aggregate"]
    (peaks,) = [t for t in fig.data if t.meta["role"] == "aggregate-peaks"]
    (hovers,) = [t for t in fig.data if t.meta["role"] == "aggregate-hover"]
    # every bar hovers its own count; the tallest of each row prints it
    assert [h.split("</b>")[0] for h in hovers.hovertext] == [
        f"<b>{len(k):,} event{'s' if len(k) != 1 else ''}" for k in bars.meta["keys"]]
    assert max(bars.meta["counts"]) == max(int(t.replace(",", "")) for t in peaks.text)
    assert {int(t.replace(",", "")) for t in peaks.text} <= set(bars.meta["counts"])
    # drawn as one outline and one text trace, not a path, number and marker per bar: zooming stays cheap
    assert bars.type == "scatter" and bars.mode == "lines" and len(fig.data) <= 8
    assert hovers.mode == "lines" and hovers.line.width == 0 and list(hovers.x) == list(bars.meta["x"])
    assert len(peaks.text) == 1 + list(bars.y).count(None)  # one number a row (a row: one segment)
    corners = [y for y in bars.y if y is not None]  # each bar: base, top, top, base
    heights = [corners[4 * i + 1] - corners[4 * i] for i in range(len(bars.meta["counts"]))]
    most = max(bars.meta["counts"])
    assert heights == pytest.approx([0.8 * n / most for n in bars.meta["counts"]])  # height: the count
    said = fig.layout.meta["subtitle"]
    assert f"{N:,} events" in said and f"{len(counted):,} counted" in said and "fewer years" in said
    heading = next(a.text for a in fig.layout.annotations if a.name == "counted-heading")
    assert f"{len(counted):,} more events" in heading and "table lists every event" in heading
    go.Figure(fig.to_dict())  # Plotly's own validation accepts the figure as built
    assert len(fig.to_json()) < 2_000_000  # far lighter than one marker and hover per event


def test_narrowing_the_years_draws_every_event_in_view(large_case):
    _, library = large_case
    case = library.cases["case-0000"]
    rows = figures.filter_events(library.events, case_id=case.id, years=(2016, 2016))
    n = int((rows["layer"] == "case").sum())
    assert 0 < n <= large.AGGREGATE_THRESHOLD
    fig = figures.case_timeline(rows, case=case)
    assert not large.counted_keys(fig)
    assert len(figures.event_keys(fig)) == len(rows)


def test_every_event_drawn_switches_to_webgl(large_case, monkeypatch):
    _, library = large_case
    monkeypatch.setattr(large, "AGGREGATE_THRESHOLD", 10**9)
    fig = figures.case_timeline(library.events, case=library.cases["case-0000"])
    keys = figures.event_keys(fig)
    assert len(keys) == len(set(keys)) == N
    events = [t for t in fig.data if (t.meta or {}).get("role") == "event"]
    assert events and all(t.type == "scattergl" for t in events)
    go.Figure(fig.to_dict())


def test_small_figures_stay_svg():
    traces = [dict(type="scatter", mode="markers", x=list(range(10)), meta={"role": "event"}),
              dict(type="scatter", mode="lines+markers", x=[1, 2], meta={"role": "open"})]
    assert webgl_above_threshold(traces) == traces
    big = webgl_above_threshold(traces, threshold=5)
    assert [t["type"] for t in big] == ["scattergl", "scatter"]  # arrows and lines stay SVG
    assert GL_THRESHOLD >= 1000  # the bundled cases and ordinary ones stay crisp SVG


# --- a small case with a low threshold: the switch, the key events, the hover ----------------------

KEYS = [("ref-1", "2019-03-04", "referral", "school"), ("dec-1", "2019-04-01", "decision", "ctp_prevent"),
        ("ref-2", "2020-02-10", "referral", "police"), ("adopt", "2020-05-06", "adoption", "channel"),
        ("exit", "2020-11-20", "exit", "channel"), ("attack", "2023-07-29", "attack", "subject"),
        ("review", "2024-06-01", "review_published", "reviewers")]
ROUTINE = 40


def _event(event_id, date, kind, agency):
    return (f"  - id: {event_id}\n    date: \"{date}\"\n    kind: {kind}\n    agency: {agency}\n"
            f"    title: Event {event_id}\n    sources:\n      - source: src-a\n        quote: \"q\"\n")


@pytest.fixture(scope="module")
def busy(tmp_path_factory):
    rng = random.Random(7)
    events = [_event(*k) for k in KEYS]
    for i in range(ROUTINE):
        kind, agency = rng.choice([("agency_contact", "health"), ("agency_contact", "social_care"),
                                   ("support_session", "intervention_provider")])
        events.append(_event(f"contact-{i}", f"{rng.randint(2019, 2023)}-{rng.randint(1, 12):02d}", kind, agency))
    text = ("id: busy\ntitle: A busy case\nsummary: Many contacts.\nsubject: A. Person\noutcome_event: attack\n"
            "events:\n" + "".join(events))
    library = load_library(write_library(tmp_path_factory.mktemp("busy"), text, name="busy"), use_cache=False)
    assert not library.problems, library.problems
    return library


def test_the_threshold_switches_between_drawn_and_counted(busy, monkeypatch):
    case, n = busy.cases["busy"], len(KEYS) + ROUTINE
    rows = figures.filter_events(busy.events, case_id="busy")
    monkeypatch.setattr(large, "AGGREGATE_THRESHOLD", n)
    assert not large.counted_keys(figures.case_timeline(rows, case=case))
    monkeypatch.setattr(large, "AGGREGATE_THRESHOLD", n - 1)
    fig = figures.case_timeline(rows, case=case)
    drawn, counted = figures.event_keys(fig), large.counted_keys(fig)
    assert sorted(drawn + counted) == _all_keys(busy, "busy")
    # the key events are drawn one by one and labelled; the routine contacts are counted
    assert sorted(drawn) == sorted(k[0] for k in KEYS)
    assert set(fig.layout.meta["labels"]) >= {"ref-1", "ref-2", "adopt", "attack"}
    assert not any(a.name == "silence" for a in fig.layout.annotations)  # measured without the counted ones
    assert fig.layout.meta["aggregated"]["unit"] == "Q"  # 2019 to 2024, over five years: a bar per quarter
    assert large.bin_unit(pd.Timestamp("2019-01-01"), pd.Timestamp("2023-12-31")) == "M"


def test_a_bar_hovers_its_count_period_and_kinds(busy, monkeypatch):
    monkeypatch.setattr(large, "AGGREGATE_THRESHOLD", 10)
    fig = figures.case_timeline(figures.filter_events(busy.events, case_id="busy"), case=busy.cases["busy"])
    (bars,) = [t for t in fig.data if t.meta["role"] == "aggregate"]
    (peaks,) = [t for t in fig.data if t.meta["role"] == "aggregate-peaks"]
    (hovers,) = [t for t in fig.data if t.meta["role"] == "aggregate-hover"]  # an unseen point in each bar
    assert list(hovers.x) == list(bars.meta["x"]) and len(hovers.hovertext) == len(bars.meta["keys"])
    ys = [y for y in bars.y if y is not None]  # each bar: its four corners, base, top, top, base
    for i, middle in enumerate(hovers.y):
        assert ys[4 * i] < middle < ys[4 * i + 1]
    kinds = busy.events.set_index("event_id")["kind_label"]
    for hover, keys in zip(hovers.hovertext, bars.meta["keys"], strict=True):
        assert hover.startswith(f"<b>{len(keys):,} event")
        for kind in set(kinds[keys]):
            assert f"× {kind}" in hover
    assert sum(bars.meta["counts"]) == ROUTINE
    # one printed count a row (its tallest bar), at the top of that bar
    counted = busy.events.set_index("event_id").loc[[k for keys in bars.meta["keys"] for k in keys], "agency"]
    assert len(peaks.text) == counted.nunique() == 1 + list(bars.y).count(None)
    assert all(y in bars.y for y in peaks.y)


def test_a_key_group_that_does_not_fit_is_counted_whole(busy):
    rows = figures.filter_events(busy.events, case_id="busy")
    keep, groups = large.key_mask(rows, busy.cases["busy"], limit=4)
    drawn = set(rows.loc[keep, "event_id"])
    # the two referrals would pass the limit: both counted (never "1st referral" of a part), the decision fits
    assert groups == ["adoption and exit", "decisions"] and drawn == {"attack", "adopt", "exit", "dec-1"}
    keep, groups = large.key_mask(rows, busy.cases["busy"], limit=5)
    assert groups == ["adoption and exit", "referrals"]


def test_the_selected_event_is_drawn_even_when_its_kind_is_counted(busy, monkeypatch):
    monkeypatch.setattr(large, "AGGREGATE_THRESHOLD", 10)
    rows = figures.filter_events(busy.events, case_id="busy")
    fig = figures.case_timeline(rows, case=busy.cases["busy"], selected="contact-5")
    assert "contact-5" in figures.event_keys(fig) and "contact-5" not in large.counted_keys(fig)
    assert sorted(figures.event_keys(fig) + large.counted_keys(fig)) == _all_keys(busy, "busy")
