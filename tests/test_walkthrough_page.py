"""The walkthrough page under AppTest: the step lives in the URL, buttons move it, findings stay hidden
until revealed, the presenter view, and hostile parameters."""

from __future__ import annotations

import pytest
import streamlit as st

from tests.charts import sent_charts
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
    return sent_charts(at)[0].spec["layout"]["meta"]


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


def _scripts(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def test_the_ends_mark_their_buttons_aria_disabled_and_keep_them_focusable():
    at = open_page("walkthrough", case="amess")
    assert not _button(at, "Previous event").disabled and not _button(at, "Next event").disabled
    assert '"wt_prev": true, "wt_next": false' in _scripts(at)
    _button(at, "Previous event").click().run()  # at the first step it does nothing
    assert _meta(at)["step"] == 1
    last = len(walkthrough.order(load_library(DATA), "amess"))
    at = open_page("walkthrough", case="amess", step=str(last))
    assert '"wt_prev": false, "wt_next": true' in _scripts(at)
    _button(at, "Next event").click().run()
    assert _meta(at)["step"] == last


def test_each_step_is_announced_in_a_polite_live_region():
    at = open_page("walkthrough", case="southport", step="3")
    assert "aria-live', 'polite'" in _scripts(at) and "Step 3 of " in _scripts(at)
    _button(at, "Next event").click().run()
    assert "Step 4 of " in _scripts(at)


def test_the_placeholder_before_the_reveal_is_the_same_at_every_step():
    """Nothing before the reveal tells the room whether a finding is coming."""
    lib = load_library(DATA)
    ids = walkthrough.order(lib, "amess")
    with_finding = next(n for n, e in enumerate(ids, 1) if walkthrough.step(lib, "amess", n).event.findings)
    without = next(n for n, e in enumerate(ids, 1) if not walkthrough.step(lib, "amess", n).event.findings)
    notes = []
    for number in (with_finding, without):
        at = open_page("walkthrough", case="amess", step=str(number))
        text = _text(at)
        assert "No review finding is recorded" not in text
        notes.append([m.value for m in at.markdown if m.value.startswith("Hidden until you reveal")])
    assert notes[0] == notes[1] and notes[0]


def test_the_case_selector_names_no_outcome():
    lib = load_library(DATA)
    at = open_page("walkthrough")
    box = next(s for s in at.selectbox if s.label == "Case")
    for option in box.options:
        assert ":" not in option and all(option != c.title for c in lib.cases.values())


def test_the_reveal_shortcut_needs_a_modifier_and_can_be_switched_off():
    at = open_page("walkthrough")
    assert "e.altKey && e.shiftKey" in _scripts(at) and "window.__wtKeysOn = true" in _scripts(at)
    assert at.button and all(not b.proto.shortcut for b in at.button)
    next(t for t in at.toggle if t.label.startswith("Keyboard shortcuts")).set_value(False).run()
    assert "window.__wtKeysOn = false" in _scripts(at)


def test_findings_are_hidden_until_revealed():
    lib = load_library(DATA)
    number = walkthrough.order(lib, "amess").index("amess-channel-exit") + 1
    finding = "the case was exited from Prevent too quickly"
    at = open_page("walkthrough", case="amess", step=str(number))
    assert finding not in _text(at)
    assert "Hidden until you reveal them" in _text(at)
    assert not [t for t in sent_charts(at)[0].spec["data"]
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
    lib = load_library(DATA)
    at = open_page("walkthrough", case="amess", step="2", present="true")
    event = walkthrough.step(lib, "amess", 2).event
    assert at.title[0].value == event.title
    assert any(event.question.split(",")[0] in m.value for m in at.markdown)
    assert "step 2 of" in at.caption[0].value
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
