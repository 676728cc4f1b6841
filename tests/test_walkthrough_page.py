"""The walkthrough page under AppTest: the step lives in the URL, buttons move it, findings stay hidden
until revealed, the presenter view, and hostile parameters."""

from __future__ import annotations

import json

import pytest
import streamlit as st

from tests.conftest import DATA
from tests.test_app import open_page
from timelines import load_library, walkthrough


@pytest.fixture(autouse=True)
def _real_data(monkeypatch):
    monkeypatch.setenv("TIMELINES_DATA_DIR", str(DATA))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def _meta(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["meta"]


def _text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def _button(at, label_start: str):
    return next(b for b in at.button if b.label.startswith(label_start))


def test_the_step_is_restored_from_the_url():
    at = open_page("walkthrough", case="southport", step="6")
    assert _meta(at)["step"] == 6
    assert at.get("progress")[0].proto.text.startswith("Step 6 of 19")
    assert at.query_params["step"] == "6" and at.query_params["case"] == "southport"


def test_next_and_previous_move_the_step_and_the_url():
    at = open_page("walkthrough", case="southport", step="3")
    _button(at, "Next event").click().run()
    assert _meta(at)["step"] == 4 and at.query_params["step"] == "4"
    _button(at, "Previous event").click().run()
    _button(at, "Previous event").click().run()
    assert _meta(at)["step"] == 2


def test_the_ends_disable_their_buttons():
    at = open_page("walkthrough", case="amess")
    assert _button(at, "Previous event").disabled and not _button(at, "Next event").disabled
    at = open_page("walkthrough", case="amess", step="20")
    assert _button(at, "Next event").disabled


def test_findings_are_hidden_until_revealed():
    lib = load_library(DATA)
    number = walkthrough.order(lib, "amess").index("amess-channel-exit") + 1
    finding = "the case was exited from Prevent too quickly"
    at = open_page("walkthrough", case="amess", step=str(number))
    assert finding not in _text(at)
    assert "Hidden. Discuss the question first" in _text(at)
    assert not [t for t in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
                if t.get("meta", {}).get("role") == "missed"]
    _button(at, "Reveal what the reviews found").click().run()
    assert finding in _text(at)
    assert at.query_params["reveal"] == "true"
    _button(at, "Next event").click().run()  # a new step starts hidden again
    assert "reveal" not in at.query_params


def test_a_discussion_question_is_shown_at_every_step():
    lib = load_library(DATA)
    at = open_page("walkthrough", case="southport", step="4")
    event = walkthrough.step(lib, "southport", 4).event
    assert event.question.split(",")[0] in _text(at)


def test_presenter_view_from_the_url():
    at = open_page("walkthrough", case="amess", step="2", present="true")
    assert at.title[0].value == "Sir David Amess: step 2 of 20"
    assert any("stSidebar" in h.proto.body for h in at.get("html"))
    assert not [s for s in at.selectbox if s.label == "Case"]


@pytest.mark.parametrize(("params", "message"), [
    ({"step": "abc"}, "is not a number"),
    ({"step": "999"}, "shown as step"),
    ({"step": "-3"}, "shown as step"),
    ({"case": "../../etc/passwd"}, "not one this site has"),
    ({"case": "<script>alert(1)</script>"}, "not one this site has"),
    ({"reveal": "maybe"}, "should be true or false"),
])
def test_hostile_parameters_get_a_message_not_a_traceback(params, message):
    at = open_page("walkthrough", **params)
    notes = " ".join(w.value for w in [*at.warning, *at.info])
    assert message in notes
    assert "<script>" not in notes
    assert 1 <= _meta(at)["step"] <= 20
