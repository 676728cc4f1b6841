"""The briefing pack and the trainer deck, opened with python-pptx: 16:9; a slide per chart and per step;
alt text of at least a sentence on every picture; a title, a source line and notes on every chart slide;
each discussion question on its step's slide; no review finding before the slide that reveals it.

Most tests draw the charts with a stand-in renderer (a small PNG) so they run in a second; the tests
marked ``browser`` draw them with kaleido and chromium, through the command line, on the bundled data.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from datetime import date

import pytest
from pptx import Presentation

from tests.charts import sent_charts
from tests.conftest import DATA, need_chromium
from tests.sample_library import write_sample
from timelines import load_library, walkthrough
from timelines.charts import CATALOGUE, all_charts
from timelines.cli import main
from timelines.dates import PartialDate
from timelines.decks import HEIGHT, WIDTH, DeckError, alt_of, briefing_pack, notes_text, pictures, slide_text
from timelines.trainer_deck import (
    CHARS_PER_LINE,
    DEFAULT_QUESTION,
    REVEAL_LINES,
    handout_html,
    step_range,
    trainer_deck,
)

TODAY = date(2026, 11, 22)


def _png(width: int = 32, height: int = 18) -> bytes:
    """A small valid PNG (white), standing in for a chart drawn by kaleido."""
    raw = b"".join(b"\x00" + b"\xff" * (width * 3) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def fake_render(fig) -> bytes:
    return _png()


def _open(data: bytes):
    return Presentation(io.BytesIO(data))


def _is_sentence(text: str) -> bool:
    """At least a sentence: several words, ending with a full stop."""
    return len(text.split()) >= 8 and text.rstrip().endswith(".")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return load_library(write_sample(tmp_path_factory.mktemp("sample")), use_cache=False)


@pytest.fixture(scope="module")
def bundled():
    return load_library(DATA, use_cache=False)


def _chart_slides(deck, charts):
    titles = {c.title for c in charts}
    return [s for s in deck.slides if s.shapes.title is not None and s.shapes.title.text in titles]


# --- the briefing pack -----------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["sample", "bundled"])
def test_briefing_pack_has_a_slide_per_chart_with_title_picture_alt_source_and_notes(which, request):
    library = request.getfixturevalue(which)
    charts = list(all_charts(library, today=TODAY))
    deck = _open(briefing_pack(library, today=TODAY, render=fake_render))
    assert (deck.slide_width, deck.slide_height) == (WIDTH, HEIGHT) == (12192000, 6858000)
    with_pictures = [s for s in deck.slides if pictures(s)]
    assert len(with_pictures) == len(charts) > 0
    for slide, chart in zip(with_pictures, charts, strict=True):  # in catalogue order
        assert slide.shapes.title.text == chart.title
        (picture,) = pictures(slide)
        assert _is_sentence(alt_of(picture)) and alt_of(picture) != chart.title
        assert f"Source: {chart.source}" in slide_text(slide) and chart.source
        notes = notes_text(slide)
        assert chart.title in notes
        # the data in words: every row of the chart's table has its line in the notes
        assert notes.count("\n- ") == len(chart.table)
        assert picture.left >= 0 and picture.left + picture.width <= deck.slide_width
        assert picture.top + picture.height <= deck.slide_height


def test_briefing_pack_notes_give_each_event_with_its_date_and_sources(sample):
    deck = _open(briefing_pack(sample, today=TODAY, render=fake_render))
    chart = next(c for c in all_charts(sample, today=TODAY) if c.id == "timeline")
    notes = notes_text(_chart_slides(deck, [chart])[0])
    for row in chart.table.itertuples(index=False):
        line = next(line for line in notes.splitlines() if line.startswith(f"- {row.Date}, {row.Event.rstrip('.')}"))
        assert row.Sources.split(";")[0] in line


def test_briefing_pack_opens_with_what_it_covers_and_the_horizon_and_closes_with_sources(sample):
    deck = _open(briefing_pack(sample, today=TODAY, render=fake_render))
    slides = list(deck.slides)
    cover = slide_text(slides[0])
    newest = max(sample.sources.values(), key=lambda s: s.date)
    assert "briefing pack" in cover.lower()
    assert all(case.title in cover for case in sample.cases.values())
    assert "horizon" in cover and "12 February 2025" in cover and newest.date == "2025-02-12"
    assert "22 November 2026" in cover
    assert slides[-1].shapes.title.text.startswith("Sources")
    closing = slide_text(slides[-1])
    assert all(s.title in closing for s in sample.sources.values())


def test_briefing_pack_for_one_case_leaves_the_others_out(sample):
    deck = _open(briefing_pack(sample, today=TODAY, case_ids=["other"], render=fake_render))
    names = [p.name for s in deck.slides for p in pictures(s)]
    assert names and not any("demo" in n for n in names)
    assert any(n.startswith("Chart: other-") for n in names)
    with pytest.raises(DeckError, match=r"no case 'nope'.*demo"):
        briefing_pack(sample, today=TODAY, case_ids=["nope"], render=fake_render)


# --- the trainer deck ------------------------------------------------------------------------------

def _step_slides(deck):
    return [s for s in deck.slides if re.match(r"Step \d+ of \d+:", s.shapes.title.text if s.shapes.title else "")]


def _reveal_index(deck) -> dict[int, list[int]]:
    """Step number -> indexes of its 'What the reviews found' slides (more than one when the findings are long)."""
    out: dict[int, list[int]] = {}
    for n, slide in enumerate(deck.slides):
        match = re.match(r"What the reviews found: step (\d+)", slide.shapes.title.text if slide.shapes.title else "")
        if match:
            out.setdefault(int(match.group(1)), []).append(n)
    return out


def _all_text(slide) -> str:
    return slide_text(slide) + "\n" + notes_text(slide)


@pytest.mark.parametrize(("which", "case_id"), [("sample", "demo"), ("bundled", None)])
def test_trainer_deck_has_a_slide_per_step_with_its_question_and_no_early_findings(which, case_id, request):
    library = request.getfixturevalue(which)
    for cid in [case_id] if case_id else list(library.cases):
        total = len(walkthrough.order(library, cid))
        deck = _open(trainer_deck(library, cid, render=fake_render))
        assert (deck.slide_width, deck.slide_height) == (WIDTH, HEIGHT)
        slides = list(deck.slides)
        steps = _step_slides(deck)
        assert len(steps) == total
        first = _all_text(slides[0])
        assert "Content note" in first and "How to use this deck" in first
        assert "Missed opportunities" in slides[-1 - sum(1 for s in slides if s.shapes.title.text.startswith(
            "Sources for"))].shapes.title.text
        reveals = _reveal_index(deck)
        for number, slide in enumerate(steps, start=1):
            at = walkthrough.step(library, cid, number)
            assert slide.shapes.title.text == f"Step {number} of {total}: {at.event.title}"
            assert (at.event.question or DEFAULT_QUESTION) in slide_text(slide)
            (picture,) = pictures(slide)
            assert _is_sentence(alt_of(picture))
            assert notes_text(slide)
            if at.event.findings:  # the reveal follows straight after the step
                assert reveals[number][0] == slides.index(slide) + 1
                assert reveals[number] == list(range(reveals[number][0], reveals[number][0] + len(reveals[number])))
                for i in reveals[number]:  # long findings go on to further slides rather than off the page
                    findings = slide_text(slides[i]).split("\n")[2:]  # after the title and the "About" line
                    assert len(findings) == 1 or sum(-(-len(f) // CHARS_PER_LINE) + 1 for f in findings) <= REVEAL_LINES
            else:
                assert number not in reveals
        # every finding first appears on the reveal slide of a step whose event holds it
        for number in range(1, total + 1):
            for finding in walkthrough.step(library, cid, number).event.findings:
                first_seen = next(n for n, s in enumerate(slides) if finding.text in _all_text(s))
                holders = {k for k in range(1, total + 1)
                           if finding.text in {f.text for f in walkthrough.step(library, cid, k).event.findings}}
                assert first_seen in {i for k in holders for i in reveals[k]}, (cid, number, finding.text)
                assert any(finding.text in notes_text(slides[i]) and finding.text in slide_text(slides[i])
                           for i in reveals[number])
                made = f"made public {PartialDate.parse(finding.date).human()}"  # in words, as the site says it
                assert any(made in slide_text(slides[i]) for i in reveals[number]), made


def test_every_picture_in_both_decks_has_alt_text(sample):
    for data in (trainer_deck(sample, "demo", render=fake_render),
                 briefing_pack(sample, today=TODAY, render=fake_render)):
        found = [p for s in _open(data).slides for p in pictures(s)]
        assert found and all(_is_sentence(alt_of(p)) for p in found)


def test_steps_limit_the_deck_and_its_register(sample):
    total = len(walkthrough.order(sample, "demo"))
    closed = walkthrough.order(sample, "demo").index("closed") + 1  # the step with the missed opportunity
    before = range(1, closed)
    deck = _open(trainer_deck(sample, "demo", steps=before, render=fake_render))
    assert len(_step_slides(deck)) == closed - 1 and not _reveal_index(deck)
    everything = "\n".join(_all_text(s) for s in deck.slides)
    assert "should not have been closed" not in everything
    assert "no missed opportunity within these steps" in everything
    deck = _open(trainer_deck(sample, "demo", steps=range(closed, total + 1), render=fake_render))
    titles = [s.shapes.title.text for s in _step_slides(deck)]
    assert titles[0].startswith(f"Step {closed} of {total}:") and len(titles) == total - closed + 1
    assert "should not have been closed" in slide_text(list(deck.slides)[-2 if len(sample.sources) <= 10 else -3])


@pytest.mark.parametrize(("text", "expected"), [(None, (1, 11)), ("1-8", (1, 8)), ("5", (5, 5)), ("3-", (3, 11)),
                                                (" 2 - 4 ", (2, 4))])
def test_step_range_reads_a_range(sample, text, expected):
    total = len(walkthrough.order(sample, "demo"))
    got = step_range(text, sample, "demo")
    assert (got.start, got.stop - 1) == (expected[0], min(expected[1], total))


@pytest.mark.parametrize("text", ["0-3", "4-2", "1-999", "first", "1,2"])
def test_step_range_names_a_bad_range(sample, text):
    with pytest.raises(DeckError, match="steps"):
        step_range(text, sample, "demo")


def test_handout_holds_every_question_and_finding_in_step_order(sample):
    page = handout_html(sample, "demo")
    ids = walkthrough.order(sample, "demo")
    positions = [page.index(f"Step {n}:") for n in range(1, len(ids) + 1)]
    assert positions == sorted(positions)
    assert "What should the support plan have held?" in page
    assert page.count("The referral should not have been closed.") == 2  # under its step and in the register
    assert "Content note" in page


def test_cli_names_a_bad_case_and_a_bad_range(tmp_path, capsys):
    library = write_sample(tmp_path / "lib")
    assert main(["trainer-deck", "nope", str(tmp_path / "t.pptx"), "--data", str(library)]) == 1
    assert "no case 'nope'" in capsys.readouterr().err
    assert main(["trainer-deck", "demo", str(tmp_path / "t.pptx"), "--data", str(library), "--steps", "9-2"]) == 1
    assert "steps '9-2'" in capsys.readouterr().err
    assert not (tmp_path / "t.pptx").exists()


# --- with real charts (kaleido and chromium) ---------------------------------------------------------

@pytest.mark.browser
def test_both_decks_from_the_command_line_on_the_bundled_data(tmp_path):
    need_chromium()
    library = load_library(DATA)
    pack, deck_file, handout = tmp_path / "b.pptx", tmp_path / "t.pptx", tmp_path / "t.html"
    assert main(["briefing-pack", str(pack), "--today", TODAY.isoformat(), "--quiet"]) == 0
    charts = list(all_charts(library, today=TODAY))
    found = [p for s in Presentation(str(pack)).slides for p in pictures(s)]
    assert len(found) == len(charts) and {c.id for c in charts} == set(CATALOGUE)
    for picture in found:
        assert picture.image.content_type == "image/png" and picture.image.size[0] >= 2000
    case_id = next(iter(library.cases))
    assert main(["trainer-deck", case_id, str(deck_file), "--steps", "1-3", "--handout", str(handout)]) == 0
    deck = Presentation(str(deck_file))
    assert len(_step_slides(deck)) == 3
    assert handout.read_text().count("Question:") == 3


# --- on the Streamlit site (AppTest) -----------------------------------------------------------------

@pytest.fixture
def _sample_app(monkeypatch, tmp_path):
    import streamlit as st

    monkeypatch.setenv("TIMELINES_DATA_DIR", str(write_sample(tmp_path / "lib")))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def _buttons(at, kind: str) -> list[str]:
    return [b.proto.label for b in at.get(kind)]


def test_the_walkthrough_honours_the_url_range_of_steps(_sample_app):
    from tests.test_app import open_page

    at = open_page("walkthrough", case="demo", steps="2-4", step="9")
    meta = sent_charts(at)[0].spec["layout"]["meta"]
    assert meta["step"] == 4  # kept within the range
    scripts = lambda: "\n".join(h.proto.body for h in at.get("html"))  # noqa: E731
    # The ends of the range mark their buttons aria-disabled (they stay focusable, WCAG 2.4.3).
    assert '"wt_prev": false, "wt_next": true' in scripts()
    nav = {b.label: b for b in at.button}
    nav["Next event"].click().run()  # at the end of the range it does nothing
    assert sent_charts(at)[0].spec["layout"]["meta"]["step"] == 4
    nav = {b.label: b for b in at.button}
    nav["Previous event"].click().run()
    nav = {b.label: b for b in at.button}
    nav["Previous event"].click().run()
    assert sent_charts(at)[0].spec["layout"]["meta"]["step"] == 2
    assert '"wt_prev": true, "wt_next": false' in scripts()
    {b.label: b for b in at.button}["Previous event"].click().run()
    assert sent_charts(at)[0].spec["layout"]["meta"]["step"] == 2
    assert at.query_params["steps"] == "2-4"
    labels = _buttons(at, "download_button")
    assert "Download the facilitator handout (steps 2 to 4)" in labels
    assert not at.exception


def test_a_bad_range_of_steps_is_named_and_every_step_kept(_sample_app):
    from tests.test_app import open_page

    at = open_page("walkthrough", case="demo", steps="5-99")
    assert any("steps '5-99' is outside" in w.value for w in at.warning)
    assert "Download the facilitator handout" in _buttons(at, "download_button")


def test_the_home_page_offers_the_briefing_pack(_sample_app):
    from tests.test_app import open_page
    from timelines.export import available

    at = open_page("home")
    if available():
        assert "Download the briefing pack (PowerPoint)" in _buttons(at, "download_button")
    else:  # no chromium to draw the charts: the page says how to make the pack instead
        assert any("briefing-pack" in c.value for c in at.caption)
