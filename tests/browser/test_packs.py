"""The packs' downloads on the running site: the walkthrough page, opened with a range of steps in its URL,
gives a trainer deck of just those steps and the facilitator handout."""

from __future__ import annotations

import re

import pytest
from pptx import Presentation

from tests.browser.conftest import CHART, SETTLED

pytestmark = pytest.mark.browser


def test_the_walkthrough_downloads_a_deck_of_the_steps_in_its_url(desktop, site, site_data, tmp_path):
    from timelines import load_library

    case_id = next(iter(load_library(site_data).cases))
    desktop.set_default_timeout(90_000)  # the first page of a session is slow on a loaded machine
    desktop.goto(f"{site}/walkthrough?case={case_id}&steps=2-3")
    desktop.wait_for_selector(SETTLED)
    desktop.wait_for_selector(CHART)
    with desktop.expect_download(timeout=120_000) as info:
        desktop.get_by_role("button", name="Download the trainer deck (steps 2 to 3)").click()
    path = tmp_path / "deck.pptx"
    info.value.save_as(path)
    titles = [s.shapes.title.text for s in Presentation(str(path)).slides if s.shapes.title is not None]
    assert [int(m[1]) for t in titles if (m := re.match(r"Step (\d+) of \d+:", t))] == [2, 3]

    with desktop.expect_download() as info:
        desktop.get_by_role("button", name="Download the facilitator handout (steps 2 to 3)").click()
    handout = tmp_path / "handout.html"
    info.value.save_as(handout)
    assert handout.read_text().count("Question:") == 2
