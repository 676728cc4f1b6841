"""Direct labels: the words come from the data (an event's ``label``, else the rule by kind), each names
a visible event, none overlaps another label or a marker by the layout's own estimate, and a label
that cannot be placed is dropped, least important first."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CASE, DATA, write_library
from timelines import labels, load_library, schema
from timelines.analysis.wording import short_name
from timelines.figures import case_timeline, comparison, event_keys, filter_events


@pytest.fixture(scope="module")
def real():
    return load_library(DATA)


def real_cases():
    return sorted(load_library(DATA).cases) or ["(no real case loaded)"]


def label_notes(fig):
    return [a for a in fig.layout.annotations if (a.name or "").startswith("label:")]


# --- what a label says ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, qualifier, until, expected", [
    ("2019-12", "on", None, "Dec 2019"),
    ("2024-07-29", "on", None, "29 Jul 2024"),
    ("2016", "on", None, "2016"),
    ("2020-02", "about", None, "c. Feb 2020"),
    ("2025-02-12", "before", None, "before 12 Feb 2025"),
    ("2021-02", "between", "2021-03", "Feb–Mar 2021"),
    ("2021", "between", "2023", "2021–2023"),
    ("2014-11", "between", "2015-01-17", "Nov 2014 – 17 Jan 2015"),
])
def test_dates_are_short_and_at_the_precision_known(text, qualifier, until, expected):
    assert labels.short_date(text, qualifier, until) == expected


@pytest.mark.parametrize("n, text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                                     (13, "13th"), (21, "21st"), (22, "22nd"), (101, "101st")])
def test_ordinals(n, text):
    assert labels.ordinal(n) == text


def _library(tmp_path, case_text):
    lib = load_library(write_library(tmp_path / "lib", case_text), use_cache=False)
    assert lib.ok, lib.problems
    return lib


def test_a_label_in_the_data_is_used_and_the_rule_labels_the_rest(tmp_path):
    text = CASE.replace("    title: Referred to Prevent\n",
                        "    title: Referred to Prevent\n    label: School raises concern\n")
    lib = _library(tmp_path, text)
    rows = lib.events[lib.events["case_id"] == "demo"]
    got = {lb.event_id: lb for lb in labels.case_labels(rows, lib.cases["demo"])}
    assert got["referral"].from_data and got["referral"].lines[0] == "School raises concern, Dec 2019"
    assert not got["attack"].from_data and got["attack"].lines == ["Attack, 29 Jul 2024"]  # the outcome, by rule
    assert got["attack"].priority > got["referral"].priority


def test_the_rule_numbers_referrals_and_names_decisions_by_them(real):
    if "southport" not in real.cases:
        pytest.skip("the Southport case is not in data/")
    rows = real.events[(real.events["case_id"] == "southport") & (real.events["layer"] == "case")]
    got = labels.case_labels(rows, real.cases["southport"])
    refs = rows[rows["kind"] == "referral"]
    texts = [lb.lines[0] for lb in got if lb.event_id in set(refs["event_id"])]
    for n, (_, row) in enumerate(refs.sort_values("earliest").iterrows(), start=1):
        expected = f"{labels.ordinal(n)} referral, {labels.short_date(row['date_text'], row['date_qualifier'])}"
        assert any(t.startswith(expected) for t in texts), (expected, texts)
    decisions = [lb for lb in got if rows.set_index("event_id").loc[lb.event_id, "kind"] == "decision"]
    assert decisions and all(lb.words.startswith("Decision on ") for lb in decisions)


@pytest.mark.parametrize("case_id", real_cases())
def test_every_label_comes_from_the_data_or_the_rule(real, case_id):
    if case_id not in real.cases:
        pytest.skip("data/ holds no case yet")
    case = real.cases[case_id]
    rows = real.events[(real.events["case_id"] == case_id) & (real.events["layer"] == "case")]
    by_id = {e.id: e for e in case.events}
    kinds = dict(zip(rows["event_id"], rows["kind"], strict=True))
    for lb in labels.case_labels(rows, case):
        event = by_id[lb.event_id]
        if event.label:
            assert lb.from_data and lb.words == event.label
        else:
            assert not lb.from_data
            assert (kinds[lb.event_id] in labels.RULES or lb.event_id == case.outcome_event
                    or lb.note is not None)
        missed = bool(rows.set_index("event_id").loc[lb.event_id, "missed_opportunity"])
        assert (lb.note is not None) == missed  # a missed opportunity always says so


def test_a_report_finding_is_not_drawn_on_the_report_date(real):
    """The Commissioner's report carries an undated finding of a missed opportunity: it is labelled as
    such and not ringed as if the missed opportunity happened on the report's date."""
    rows = real.events[(real.events["layer"] == "case") & real.events["missed_opportunity"]
                       & (real.events["family"] == labels.REPORT_FAMILY)]
    if rows.empty:
        pytest.skip("no report with a missed-opportunity finding in data/")
    for case_id, group in rows.groupby("case_id"):
        fig = case_timeline(filter_events(real.events, case_id=case_id), case=real.cases[case_id],
                            context=real.context)
        ringed = {k for t in fig.data if t.meta["role"] == "missed" for k in t.meta["keys"]}
        assert not ringed & set(group["event_id"])
        got = {lb.event_id: lb for lb in labels.case_labels(group, real.cases[case_id])}
        assert all(got[e].note == labels.UNDATED_NOTE for e in group["event_id"])


def test_a_label_longer_than_the_limit_is_refused_with_a_clear_message(tmp_path):
    long = "x" * (schema.MAX_LABEL + 1)
    text = CASE.replace("    title: Referred to Prevent\n", f"    title: Referred to Prevent\n    label: {long}\n")
    lib = load_library(write_library(tmp_path / "lib", text), use_cache=False)
    (problem,) = lib.problems
    assert problem.field.endswith("label")
    assert problem.line == 12
    assert f"more than {schema.MAX_LABEL}" in problem.message and "a few words" in problem.message
    assert "YYYY" not in problem.hint  # not the date hint
    assert schema.Event.model_fields["label"].description  # documented (README and JSON Schema)


# --- where labels go -------------------------------------------------------------------------------

def _placed_boxes(fig):
    return fig.layout.meta["labels"]


@pytest.mark.parametrize("case_id", real_cases())
@pytest.mark.parametrize("compact", [False, True], ids=["desktop", "phone"])
def test_case_timelines_label_visible_events_without_overlap(real, case_id, compact, monkeypatch):
    if case_id not in real.cases:
        pytest.skip("data/ holds no case yet")
    seen = {}
    original = labels.place

    def spy(*args, **kwargs):
        placed, dropped = original(*args, **kwargs)
        seen["placed"], seen["dropped"], seen["geo"], seen["kw"] = placed, dropped, args[1], kwargs
        return placed, dropped

    monkeypatch.setattr(labels, "place", spy)
    rows = filter_events(real.events, case_id=case_id)
    fig = case_timeline(rows, case=real.cases[case_id], context=real.context, compact=compact)
    placed, geo = seen["placed"], seen["geo"]
    notes = label_notes(fig)
    # each label names an event drawn on the chart, at its marker, once
    drawn = set(event_keys(fig))
    keys = [a.name.removeprefix("label:") for a in notes]
    assert len(keys) == len(set(keys)) and set(keys) <= drawn
    assert keys == _placed_boxes(fig)
    markers = {k: (x, y) for t in fig.data if t.meta["role"] == "event"
               for k, x, y in zip(t.customdata, t.x, t.y, strict=True)}
    for a in notes:
        assert (a.x, a.y) == pytest.approx(markers[a.name.removeprefix("label:")])
        assert a.font.size >= (12 if compact else 14)
    if not compact:
        assert len(notes) >= 6  # the bundled cases name at least six key events
    # no two labels overlap, no label covers a marker or leaves the plot (the layout's estimate)
    for a, b in itertools.combinations(placed, 2):
        assert not labels.overlaps(a.box, b.box)
    marks = [(*geo.px(x, y), r) for x, y, r in seen["kw"]["markers"]]
    for p in placed:
        assert p.box[0] >= 0 and p.box[2] <= geo.width_px and p.box[1] >= 0 and p.box[3] <= geo.height_px
        for mx, my, r in marks:
            assert not labels.overlaps(p.box, (mx - r, my - r, mx + r, my + r))
        for box in seen["kw"]["obstacles"]:
            assert not labels.overlaps(p.box, box)
    # the outcome is the most important label: it is never the one dropped
    assert real.cases[case_id].outcome_event not in {d.event_id for d in seen["dropped"]}


def test_comparison_labels_both_cases_and_writes_the_time_since_the_last_prevent_contact(real):
    if len(real.cases) < 2:
        pytest.skip("fewer than two cases in data/")
    fig = comparison(real.events, cases=list(real.cases.values()))
    keys = [a.name.removeprefix("label:") for a in label_notes(fig)]
    assert {k.split(":")[0] for k in keys} == set(real.cases)
    assert set(keys) <= set(event_keys(fig))
    brackets = {a.name.removeprefix("last-contact:"): a.text for a in fig.layout.annotations
                if (a.name or "").startswith("last-contact:")}
    assert set(brackets) == set(real.cases)
    for text in brackets.values():
        assert "from the last Prevent contact to the attack" in text.replace("<br>", " ")
        assert "year" in text or "month" in text
    assert "Last Prevent contact:" in fig.layout.title.text.replace("<br>", " ")


@settings(deadline=None)
@given(st.lists(st.tuples(st.floats(0, 100), st.integers(0, 5), st.integers(1, 99)), min_size=1, max_size=14))
def test_the_layout_never_overlaps_on_any_input(points):
    geo = labels.Geometry(0, 100, 600, -0.5, 5.5, 300)
    todo = [(labels.Label(f"k{i}", f"k{i}", "Something happened", "Dec 2019", pri, False), x, y)
            for i, (x, y, pri) in enumerate(points)]
    placed, dropped = labels.place(todo, geo, markers=[(x, y, 8.0) for _, x, y in todo])
    assert len(placed) + len(dropped) == len(todo)
    for a, b in itertools.combinations(placed, 2):
        assert not labels.overlaps(a.box, b.box)
    for p in placed:
        for _, x, y in todo:
            mx, my = geo.px(x, y)
            assert not labels.overlaps(p.box, (mx - 8, my - 8, mx + 8, my + 8))


def key_events(real, case_id: str) -> set[str]:
    """The case's key pathway events, from the data by kind: referrals, decisions, closures, adoption,
    exit, and the outcome."""
    rows = real.events[(real.events["case_id"] == case_id) & (real.events["layer"] == "case")]
    return set(rows.loc[rows["kind"].isin(labels.KEY_KINDS), "event_id"]) | {real.cases[case_id].outcome_event}


@pytest.mark.parametrize("case_id", real_cases())
def test_every_key_pathway_event_is_labelled_on_the_slide_layout(real, case_id):
    """The desktop timeline is laid out for the shorter of the screen and a 1280 x 720 slide: there, no
    referral, decision, closure, adoption, exit or outcome is dropped for want of room."""
    if case_id not in real.cases:
        pytest.skip("data/ holds no case yet")
    from timelines.export import slide

    fig = slide(case_timeline(filter_events(real.events, case_id=case_id), case=real.cases[case_id],
                              context=real.context, sources=real.sources))
    expected = key_events(real, case_id)
    assert expected, "the bundled case has key events"
    named = {a.name.removeprefix("label:") for a in fig.layout.annotations if (a.name or "").startswith("label:")}
    assert expected <= named, expected - named


def test_a_long_label_splits_in_two_rather_than_being_dropped():
    """Where a label has no room as written, its first line splits near its middle before it is dropped."""
    geo = labels.Geometry(0, 10, 200, -0.5, 1.5, 120)
    label = labels.Label("k", "k", "Adopted into Channel", "Nov 2014", 76, False)
    wide = labels.text_size(label.lines, 14)[0]
    assert wide > 200  # as written, it cannot fit the plot's width at all
    placed, dropped = labels.place([(label, 5, 0.5)], geo, markers=[(5, 0.5, 8.0)])
    assert not dropped and placed[0].lines == ["Adopted into", "Channel, Nov 2014"]
    assert placed[0].box[2] - placed[0].box[0] <= 200


def test_a_leader_may_leave_the_bar_its_marker_sits_on_but_crosses_no_other_marker():
    geo = labels.Geometry(0, 100, 800, -0.5, 2.5, 300)  # 8 px a unit across, 100 px a unit down
    label = labels.Label("k", "k", "Something happened", "Dec 2019", 80, False)
    bar = (140.0, 140.0, 260.0, 160.0)  # the marker (px 200, 150) sits on a bar
    rows = [(x / 2, y, 8.0) for x in range(0, 201, 5) for y in (0.6, 1.4)]  # markers above and below it
    placed, _ = labels.place([(label, 25, 1.0)], geo, markers=[(25, 1.0, 8.0), *rows], obstacles=[bar])
    assert placed and placed[0].leader, "the label is placed beside the bar, its leader leaving the bar"
    for x, y, r in rows:
        mx, my = geo.px(x, y)
        assert not labels.overlaps(placed[0].box, (mx - r, my - r, mx + r, my + r))
        assert not labels._segment_hits((200, 150), ((placed[0].box[0] + placed[0].box[2]) / 2, 150),
                                        (mx - r, my - r, mx + r, my + r))


@pytest.mark.parametrize("align_on", ["outcome", "first_referral"])
def test_on_a_phone_the_comparison_stacks_the_cases_and_still_labels_both(real, align_on, monkeypatch):
    """The compact comparison: no lane names at the side (the plot keeps the phone's width), each case
    named by a heading, both cases' key events labelled and each bracket's figure written, nothing
    overlapping by the layout's estimate, on a plot laid out for a 320 px screen."""
    if len(real.cases) < 2:
        pytest.skip("fewer than two cases in data/")
    seen = {}
    original = labels.place

    def spy(*args, **kwargs):
        seen["placed"], seen["dropped"] = result = original(*args, **kwargs)
        seen["geo"], seen["kw"] = args[1], kwargs
        return result

    monkeypatch.setattr(labels, "place", spy)
    cases = list(real.cases.values())
    fig = comparison(real.events, cases=cases, align_on=align_on, compact=True, sources=real.sources)
    assert fig.layout.yaxis.showticklabels is False and fig.layout.margin.l <= 12 and fig.layout.margin.r <= 12
    headings = [a.text for a in fig.layout.annotations if a.name == "case-heading"]
    assert headings == [f"<b>{short_name(c)}</b>" for c in cases]
    keys = [a.name.removeprefix("label:") for a in label_notes(fig)]
    for case in cases:  # each case's outcome and at least one more of its key events
        mine = {k.split(":", 1)[1] for k in keys if k.startswith(f"{case.id}:")}
        assert case.outcome_event in mine and len(mine & key_events(real, case.id)) >= 2, (case.id, mine)
    brackets = [a.text.replace("<br>", " ") for a in fig.layout.annotations
                if (a.name or "").startswith("last-contact:")]
    assert len(brackets) == len(cases) and all("since the last Prevent contact" in b for b in brackets)
    placed, geo = seen["placed"], seen["geo"]
    assert geo.width_px <= 270
    for a, b in itertools.combinations(placed, 2):
        assert not labels.overlaps(a.box, b.box)
    for p in placed:
        assert p.box[0] >= 0 and p.box[2] <= geo.width_px and p.box[1] >= 0 and p.box[3] <= geo.height_px
        for box in seen["kw"]["obstacles"]:
            assert not labels.overlaps(p.box, box)
