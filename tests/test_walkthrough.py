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
