"""The walkthrough's steps: order, clamping, and the split between past and future."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.conftest import DATA
from timelines import load_library, walkthrough
from timelines.vocab import KIND_BY_ID


@pytest.fixture(scope="module")
def library():
    return load_library(DATA)


def test_steps_follow_the_timeline(library):
    ids = walkthrough.order(library, "southport")
    assert ids[0] == "southport-first-police-contact"
    assert ids.index("southport-first-referral") < ids.index("southport-second-referral") \
        < ids.index("southport-third-referral") < ids.index("attack")
    assert len(ids) == len(library.cases["southport"].events)


@pytest.mark.parametrize("k", [1, 2, 7, 19])
def test_step_k_has_k_past_events_and_the_rest_to_come(library, k):
    step = walkthrough.step(library, "southport", k)
    ids = walkthrough.order(library, "southport")
    assert step.number == k and step.total == len(ids)
    assert step.past == tuple(ids[:k]) and step.future == tuple(ids[k:])
    assert step.event.id == ids[k - 1] == step.row["event_id"]
    assert set(step.past).isdisjoint(step.future)


@pytest.mark.parametrize(("asked", "got"), [(0, 1), (-5, 1), (999, 20)])
def test_out_of_range_steps_are_clamped(library, asked, got):
    assert walkthrough.step(library, "amess", asked).number == got


def test_same_day_events_follow_their_sequence(library):
    ids = walkthrough.order(library, "amess")
    assert ids.index("amess-home-visit") < ids.index("amess-channel-adoption") \
        < ids.index("amess-intervention-provider-assigned")
    assert ids.index("amess-post-exit-review") < ids.index("amess-case-closed")


def _points(fig):
    """(key, hovertext) for every event marker."""
    out = []
    for trace in fig.data:
        if trace.meta.get("role") == "event":
            out += list(zip(trace.customdata, trace.hovertext, strict=True))
    return out


@pytest.mark.parametrize("k", [1, 5, 12, 20])
def test_at_step_k_the_chart_holds_the_past_and_nothing_of_the_future(library, k):
    step = walkthrough.step(library, "amess", k)
    fig = walkthrough.figure(library, step)
    assert {key for key, _ in _points(fig)} == set(step.past)
    drawn = json.dumps(fig.to_plotly_json(), default=str)
    titles = {e.id: e.title for e in step.case.events}
    for key in step.future:
        assert f'"{key}"' not in drawn, f"{key} is still to come but the chart names it"
        assert titles[key] not in drawn or any(titles[key] == titles[p] for p in step.past)


@pytest.mark.parametrize("k", [1, 3, 9, 20])
def test_the_legend_names_only_what_is_drawn(library, k):
    step = walkthrough.step(library, "amess", k)
    fig = walkthrough.figure(library, step)
    drawn = {t.meta.get("family") for t in fig.data if t.meta.get("role") == "event"}
    named = {t.meta["family"] for t in fig.data if t.meta.get("role") == "legend" and "family" in t.meta}
    assert named and named <= drawn
    families = {KIND_BY_ID[e.kind].family for e in step.case.events if e.id in step.past}
    assert drawn <= families
    assert set(fig.layout.meta["labels"]) <= set(step.past), "only past events are labelled"


def test_a_span_still_open_is_drawn_only_up_to_the_current_step(library):
    ids = walkthrough.order(library, "amess")
    step = walkthrough.step(library, "amess", ids.index("amess-channel-adoption") + 1)
    fig = walkthrough.figure(library, step)
    spans = [t for t in fig.data if t.meta.get("role") == "span"]
    assert spans, "the time in Channel has begun at this step"
    now = (pd.Timestamp(step.row["latest"]) - pd.Timestamp(0)) / pd.Timedelta(milliseconds=1)
    for trace in spans:
        for base, length in zip(trace.base, trace.x, strict=True):
            assert base + length <= now + 1
    last = walkthrough.step(library, "amess", len(ids))
    assert pd.Timestamp(walkthrough.figure(library, last).layout.xaxis.range[1]) > pd.Timestamp(last.row["latest"])


def test_the_chart_is_framed_on_the_years_so_far(library):
    step = walkthrough.step(library, "amess", 3)
    start, end = (pd.Timestamp(v) for v in walkthrough.figure(library, step).layout.xaxis.range)
    assert end - start < pd.Timedelta(days=3 * 366), "three steps in, the frame is not stretched to 2025"
    assert start <= pd.Timestamp(step.row["earliest"]) <= end


def test_findings_are_hidden_until_revealed(library):
    step = walkthrough.step(library, "amess", walkthrough.order(library, "amess").index("amess-channel-exit") + 1)
    hidden = walkthrough.figure(library, step)
    assert not [t for t in hidden.data if t.meta.get("role") == "missed"]
    assert not any("Missed opportunity" in h for _, h in _points(hidden))
    assert not any("Missed" in (a.text or "") for a in hidden.layout.annotations)
    shown = walkthrough.figure(library, step, reveal=True)
    rings = [t for t in shown.data if t.meta.get("role") == "missed"]
    assert rings and set(rings[0].meta["keys"]) <= set(step.past)
    assert "amess-channel-exit" in rings[0].meta["keys"]
    hover = dict(_points(shown))
    assert "Missed opportunity" in hover["amess-channel-exit"]


def test_revealing_never_shows_findings_on_events_still_to_come(library):
    step = walkthrough.step(library, "southport", 2)
    shown = walkthrough.figure(library, step, reveal=True)
    for trace in shown.data:
        if trace.meta.get("role") == "missed":
            assert set(trace.meta["keys"]) <= set(step.past)


@pytest.mark.parametrize("k", [1, 6, 20])
def test_the_phone_chart_also_shows_only_the_past(library, k):
    step = walkthrough.step(library, "amess", k)
    fig = walkthrough.vertical_figure(library, step)
    assert {key for key, _ in _points(fig)} == set(step.past)
    drawn = json.dumps(fig.to_plotly_json(), default=str)
    assert not [key for key in step.future if f'"{key}"' in drawn or f"label:{key}" in drawn]


def test_the_alt_text_names_the_past_and_nothing_still_to_come(library):
    for case_id, case in library.cases.items():
        titles = {e.id: e.title for e in case.events}
        for number in range(1, len(walkthrough.order(library, case_id)) + 1):
            at = walkthrough.step(library, case_id, number)
            alt = walkthrough.alt_text(at)
            assert f"'{at.event.title}'" in alt and f"step {number} of {at.total}" in alt
            assert "dimmed" not in alt and "No review finding" in alt
            assert not [titles[e] for e in at.future if titles[e] != at.event.title and f"'{titles[e]}'" in alt]
