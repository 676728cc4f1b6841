"""The phone's vertical timeline: time down the page, one labelled row per event, nothing overlapping."""

from __future__ import annotations

import itertools

import plotly.graph_objects as go
import pytest

from tests.conftest import DATA
from timelines import load_library
from timelines.figures import event_key, event_keys, filter_events, plan
from timelines.vertical import (
    BREAK_NOTE,
    LINE_PX,
    MISSED_TEXT,
    SILENCE_MAX_PX,
    SILENCE_YEARS,
    YEAR_MS,
    label_lines,
    position,
    rows_px,
    short_date,
    silence_px,
    tag,
    vertical_timeline,
)


@pytest.fixture(scope="module")
def library():
    return load_library(DATA)


def _figures(library):
    for case_id, case in library.cases.items():
        for show_context in (True, False):
            rows = filter_events(library.events, case_id=case_id, show_context=show_context)
            yield case_id, show_context, rows, vertical_timeline(rows, case=case, context=library.context,
                                                                 show_context=show_context)


def _labels(fig) -> list[dict]:
    return [a for a in fig.layout.annotations if (a.name or "").startswith("label:")]


def _marker_rows(fig) -> dict[str, float]:
    """Event key -> the y (page px) of its marker."""
    return {k: y for t in fig.data if t.meta.get("role") == "event" for k, y in zip(t.customdata, t.y, strict=True)}


def _boxes(fig) -> list[tuple[float, float, str]]:
    """(top, bottom, key) in page pixels of every label: its centre and its number of lines."""
    out = []
    for note in _labels(fig):
        lines = note.text.count("<br>") + 1
        out.append((note.y - lines * LINE_PX / 2, note.y + lines * LINE_PX / 2, note.name.removeprefix("label:")))
    return sorted(out)


def test_each_visible_event_is_one_marker_and_one_label(library):
    for case_id, show_context, rows, fig in _figures(library):
        go.Figure(fig.to_dict())  # a valid Plotly figure (built without validation)
        keys = event_keys(fig)
        assert len(keys) == len(set(keys)) == len(rows), (case_id, show_context)
        assert {a.name.removeprefix("label:") for a in _labels(fig)} == set(keys)


def test_time_runs_down_the_page(library):
    for case_id, _, rows, fig in _figures(library):
        axis = fig.layout.yaxis
        assert axis.range[0] > axis.range[1], "the y axis is reversed: the top of the page is the earliest"
        where = _marker_rows(fig)
        order = sorted(where, key=where.get)
        mids = {i["key"]: i["x"] for i in plan(rows)}  # the middle of each event's date window
        times = [mids[k] for k in order]
        assert times == sorted(times), case_id
        years = [int(t) for t in axis.ticktext]
        assert years == sorted(years) and list(axis.tickvals) == sorted(axis.tickvals)


def test_labels_never_overlap_and_sit_level_with_their_marker(library):
    for case_id, _, _, fig in _figures(library):
        boxes = _boxes(fig)
        for (_, bottom, a), (top, _, b) in itertools.pairwise(boxes):
            assert bottom <= top, f"{case_id}: the labels of {a} and {b} overlap"
        marker = _marker_rows(fig)
        for note in _labels(fig):
            assert note.y == marker[note.name.removeprefix("label:")]


def test_each_label_names_its_event_and_says_when_and_who(library):
    for _, _, rows, fig in _figures(library):
        by_key = {("context:" if layer == "context" else "") + eid: (title, date) for layer, eid, title, date
                  in zip(rows["layer"], rows["event_id"], rows["title"], rows["date_label"], strict=True)}
        for note in _labels(fig):
            title, date = by_key[note.name.removeprefix("label:")]
            assert title.split()[0] in note.text
            assert short_date(date).split()[-1] in note.text  # the year, at least


def test_a_missed_opportunity_says_so_in_its_label(library):
    missed = 0
    for _, _, rows, fig in _figures(library):
        flagged = {("context:" if layer == "context" else "") + eid for layer, eid, m
                   in zip(rows["layer"], rows["event_id"], rows["missed_opportunity"], strict=True) if m}
        for note in _labels(fig):
            assert (MISSED_TEXT in note.text) == (note.name.removeprefix("label:") in flagged)
            missed += note.name.removeprefix("label:") in flagged
    assert missed, "the bundled cases have missed opportunities"


def test_no_text_under_11_px_and_no_legend(library):
    for _, _, _, fig in _figures(library):
        assert fig.layout.showlegend is False
        for note in fig.layout.annotations:
            assert note.font.size >= 11
            for size in __import__("re").findall(r"font-size:(\d+)px", note.text):
                assert int(size) >= 11
        assert fig.layout.yaxis.tickfont.size >= 11


def test_long_silences_are_written_on_the_spine(library):
    fig = vertical_timeline(filter_events(library.events, case_id="amess", show_context=False),
                            case=library.cases["amess"], show_context=False)
    silences = [a.text for a in fig.layout.annotations if a.name == "silence"]
    assert any("years with no event" in s for s in silences)
    # In the gap analysis's one wording, as Home and Compare give it: the shorter bound rounded down
    # (1,749 days is 4.79 years: "4.7", never "4.8").
    from timelines.measures import key_figures
    assert any(f"{key_figures(library.events, library.cases['amess']).last_contact_to_outcome} with no event" in s
               for s in silences), silences


@pytest.mark.parametrize(("text", "short"), [
    ("between December 2019 and March 2020", "between Dec 2019 and Mar 2020"),
    ("May 2021", "May 2021"),
    ("2016", "2016"),
])
def test_short_dates(text, short):
    assert short_date(text) == short


def test_label_lines_are_short_and_tagged():
    item = {"title": "A very long title that goes on and on about what happened at the meeting that day",
            "date_label": "about February 2020", "agency": "ctp_prevent", "layer": "case"}
    lines, when = label_lines(item, missed=True)
    assert len(lines) == 3 and lines[-1] == MISSED_TEXT and lines[1].endswith("…")
    assert when == ["about Feb 2020 · CT Policing"]
    assert tag("government", context=True) == "Context · Government"


def test_rows_are_spaced_by_time_and_positions_interpolate():
    year = 365.25 * 86_400_000
    centres = rows_px([0, 0, year * 0.5, year * 5], [30, 30, 30, 30])
    gaps = [b - a for a, b in itertools.pairwise(centres)]
    assert gaps[0] < gaps[1] < gaps[2], "more time between events, more space between rows"
    assert position(year * 0.25, [0, year * 0.5], [10, 50]) == pytest.approx(30)


def test_an_events_own_label_from_the_data_is_used(library):
    case = library.cases["southport"]
    first = case.events[0]
    relabelled = case.model_copy(update={"events": [first.model_copy(update={"label": "Police first meet him"}),
                                                    *case.events[1:]]})
    rows = filter_events(library.events, case_id="southport", show_context=False)
    fig = vertical_timeline(rows, case=relabelled, show_context=False)
    note = next(a for a in _labels(fig) if a.name == f"label:{first.id}")
    assert "Police first meet him" in note.text and first.title not in note.text


def test_every_shortened_silence_is_a_visible_break_with_its_words(library):
    """A silence longer than SILENCE_YEARS is shortened on the page: the spine shows a break there (a gap
    between two slanted strokes), the words beside it give its length and say the break is not to
    scale, and no year mark falls inside it."""
    seen = 0
    for _, _, _, fig in _figures(library):
        rows = sorted(_marker_rows(fig).items(), key=lambda kv: kv[1])
        times = {t["customdata"][n]: x for t in fig.data if t.meta.get("role") == "event"
                 for n, x in enumerate(t.customdata)}
        assert len(times) == len(rows)
        words = [a for a in fig.layout.annotations if a.name == "silence"]
        breaks: dict[str, list] = {}
        for shape in fig.layout.shapes:
            if (shape.name or "").startswith("silence-break:"):
                breaks.setdefault(shape.name, []).append(shape)
        assert len(breaks) == len(words)
        strokes = sorted((min(s.y0, s.y1) + max(s.y0, s.y1)) / 2 for b in breaks.values() for s in b
                          if s.type == "line")
        for note in words:
            seen += 1
            assert "years with no event" in note.text and BREAK_NOTE in note.text
            # the break sits level with its words, two slanted strokes across the spine (x = 0)
            near = [y for y in strokes if abs(y - note.y) < 20]
            assert len(near) == 2, (note.text, strokes)
            above = [y for _, y in rows if y < note.y]
            below = [y for _, y in rows if y > note.y]
            assert above and below, "a break lies between two events"
            top, bottom = max(above), min(below)
            assert top < min(near) and max(near) < bottom
            assert not any(top < y < bottom for y in fig.layout.yaxis.tickvals), "no year mark inside a break"
        for b in breaks.values():
            lines = [s for s in b if s.type == "line"]
            assert len(lines) == 2 and all(s.x0 < 0 < s.x1 and s.y0 != s.y1 for s in lines), "slanted strokes"
            assert any(s.type == "rect" and s.fillcolor == "white" and s.x0 < 0 < s.x1 for s in b), "a gap"
    assert seen, "the bundled cases have at least one long silence"


def test_a_longer_silence_takes_more_room_up_to_a_cap():
    lengths = [silence_px(y) for y in (SILENCE_YEARS, 2, 3, 5, 8, 40)]
    assert lengths == sorted(lengths) and lengths[0] < lengths[3]
    assert max(lengths) == SILENCE_MAX_PX
    centres = rows_px([0, 2 * YEAR_MS, 8 * YEAR_MS], [30, 30, 30])
    assert centres[2] - centres[1] > centres[1] - centres[0], "six silent years look longer than two"


def test_markers_take_the_four_family_shapes_of_the_wide_chart(library):
    """Shape by family, as on the wide chart and in its legend (four shapes, with colour): the kind of an
    event is read from its label, not from a shape of its own among two dozen."""
    from timelines.vocab import FAMILY_SYMBOLS, KIND_BY_ID

    for case_id, show_context, rows, fig in _figures(library):
        family = {event_key(e, layer=layer): KIND_BY_ID[kind].family
                  for e, layer, kind in zip(rows["event_id"], rows["layer"], rows["kind"], strict=True)}
        for trace in fig.data:
            if trace.meta.get("role") != "event":
                continue
            for key, symbol in zip(trace.customdata, trace.marker.symbol, strict=True):
                assert symbol == FAMILY_SYMBOLS[family[key]], (case_id, show_context, key, symbol)


def test_no_marker_on_the_spine_is_cut_by_the_plots_edge(library):
    """The spine runs close to the plot's left edge: on the narrowest phone (a 288 px chart) a marker or a
    missed opportunity's ring reaches past it, so it must be drawn unclipped or it shows as half a ring."""
    narrowest = 288
    for case_id, show_context, _, fig in _figures(library):
        x0, x1 = fig.layout.xaxis.range
        plot_px = narrowest - fig.layout.margin.l - fig.layout.margin.r
        room = (0 - x0) / (x1 - x0) * plot_px  # from the spine to the plot's left edge
        for trace in fig.data:
            if trace.mode != "markers" or not trace.x or any(x != 0 for x in trace.x):
                continue
            sizes = trace.marker.size if isinstance(trace.marker.size, (list, tuple)) else [trace.marker.size]
            reach = max(sizes) / 2 + (trace.marker.line.width or 0)
            assert reach <= room or trace.cliponaxis is False, (case_id, show_context, trace.name, reach, room)
