"""The walkthrough's steps: order, clamping, and the split between past and future."""

from __future__ import annotations

import pytest

from tests.conftest import DATA
from timelines import load_library, walkthrough


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
    """(key, is it still to come, hovertext) for every event marker."""
    out = []
    for trace in fig.data:
        if trace.meta.get("role") == "event":
            out += [(k, bool(trace.meta.get("future")), h)
                    for k, h in zip(trace.customdata, trace.hovertext, strict=True)]
    return out


@pytest.mark.parametrize("k", [1, 5, 12, 20])
def test_at_step_k_the_chart_holds_the_past_and_the_future_styled_apart(library, k):
    step = walkthrough.step(library, "amess", k)
    fig = walkthrough.figure(library, step)
    points = _points(fig)
    past = {key for key, later, _ in points if not later}
    future = {key for key, later, _ in points if later}
    assert past == set(step.past) and future == set(step.future)
    assert len(points) == step.total
    for key, _, hover in points:
        assert (hover == walkthrough.STILL_TO_COME) == (key in future)
    # The future is its own trace, out of the legend: the legend keeps full strength and names only
    # what is drawn; nothing still to come is labelled, banded or ringed.
    for trace in fig.data:
        if trace.meta.get("future"):
            assert trace.showlegend is False
        elif trace.meta["role"] == "legend":
            assert trace.marker.opacity is None and trace.opacity is None
        elif trace.meta["role"] in ("band", "span"):
            assert not set(trace.ids) & future
        elif trace.meta["role"] in ("open", "missed", "selected"):
            assert not set(trace.meta["keys"]) & future
    families = {t.meta["family"] for t in fig.data if t.meta["role"] == "legend" and "family" in t.meta}
    drawn = {t.meta["family"] for t in fig.data if t.meta["role"] == "event" and not t.meta.get("future")}
    assert families == drawn
    labelled = set(fig.layout.meta["labels"])
    assert labelled <= set(step.past)


def test_findings_are_hidden_until_revealed(library):
    step = walkthrough.step(library, "amess", walkthrough.order(library, "amess").index("amess-channel-exit") + 1)
    hidden = walkthrough.figure(library, step)
    assert not [t for t in hidden.data if t.meta.get("role") == "missed"]
    assert not any("Missed opportunity" in h for _, _, h in _points(hidden))
    assert not any("Missed" in (a.text or "") for a in hidden.layout.annotations)
    shown = walkthrough.figure(library, step, reveal=True)
    rings = [t for t in shown.data if t.meta.get("role") == "missed"]
    assert rings and set(rings[0].meta["keys"]) <= set(step.past)
    assert "amess-channel-exit" in rings[0].meta["keys"]
    hover = dict((k, h) for k, _, h in _points(shown))
    assert "Missed opportunity" in hover["amess-channel-exit"]


def test_revealing_never_shows_findings_on_events_still_to_come(library):
    step = walkthrough.step(library, "southport", 2)
    shown = walkthrough.figure(library, step, reveal=True)
    for trace in shown.data:
        if trace.meta.get("role") == "missed":
            assert set(trace.meta["keys"]) <= set(step.past)
