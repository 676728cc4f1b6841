"""One catalogue for every surface: each chart of timelines.charts reaches the image export, the briefing pack,
the static site and the Streamlit page the catalogue names for it (under AppTest), with the same title.

Runs on the bundled data, the library that exercises every entry of the catalogue (the test checks that
first, so a new entry that no library produces cannot pass unseen).
"""

from __future__ import annotations

import io
from datetime import date

import pytest
import streamlit as st
from pptx import Presentation

from tests.charts import sent_charts
from tests.conftest import DATA
from tests.test_app import PAGES, open_page
from tests.test_decks import fake_render
from timelines import load_library
from timelines.charts import CATALOGUE, all_charts
from timelines.cli import main
from timelines.decks import alt_of, briefing_pack, pictures

TODAY = date.today()  # the Streamlit pages judge commitments on today's date; so must the catalogue here


@pytest.fixture(scope="module")
def library():
    return load_library(DATA, use_cache=False)


@pytest.fixture(scope="module")
def charts(library):
    return list(all_charts(library, today=TODAY))


def test_the_bundled_data_draws_every_entry_of_the_catalogue(charts, library):
    assert {c.id for c in charts} == set(CATALOGUE)
    per_case = [e.id for e in CATALOGUE.values() if e.scope == "case"]
    assert all(any(c.id == i and c.case_id == case for c in charts) for case in library.cases for i in per_case
               if i != "pathway" or library.process)


def test_every_chart_has_alt_text_and_notes_of_its_own(charts):
    assert len({c.alt for c in charts}) == len(charts)
    for chart in charts:
        assert chart.entry.what in chart.alt and chart.title.rstrip(".") in chart.alt
        assert chart.notes.startswith(chart.title) and chart.source in chart.notes


def test_export_images_writes_every_chart(monkeypatch, tmp_path, charts):
    written: list[str] = []

    def capture(named, out, **kwargs):
        written.extend(name for name, _fig in named)
        return []

    monkeypatch.setattr("timelines.export.write_images", capture)
    assert main(["export-images", str(tmp_path), "--today", TODAY.isoformat(), "--quiet"]) == 0
    assert written == [c.name for c in charts]


def test_the_briefing_pack_shows_every_chart_with_the_catalogue_alt_text(library, charts):
    deck = Presentation(io.BytesIO(briefing_pack(library, today=TODAY, render=fake_render)))
    shown = {p.name: alt_of(p) for s in deck.slides for p in pictures(s)}
    assert shown == {f"Chart: {c.name}": c.alt for c in charts}


def test_the_static_site_shows_every_chart(tmp_path, library, charts):
    from timelines.site import build_site

    build_site(library, tmp_path, today=TODAY)
    pages = "\n".join(p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.html"))
    missing = [c.name for c in charts if f'id="{c.name}"' not in pages]
    assert not missing


@pytest.fixture
def _bundled_app(monkeypatch):
    monkeypatch.setenv("TIMELINES_DATA_DIR", str(DATA))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def test_the_streamlit_pages_show_every_chart(_bundled_app, charts):
    by_script = {script: name for name, script in PAGES.items()}
    shown: dict[tuple[str, str | None], set[str]] = {}
    missing = []
    for chart in charts:
        page = by_script[chart.entry.page]
        key = (page, chart.case_id)
        if key not in shown:
            at = open_page(page, **({"case": chart.case_id} if chart.case_id else {}))
            shown[key] = {c.spec["layout"]["meta"].get("title") for c in sent_charts(at)}
        if chart.title not in shown[key]:
            missing.append((chart.name, page))
    assert not missing


def test_the_phone_layout_of_each_case_timeline_is_described_as_drawn(library):
    from timelines.charts import case_chart_layouts
    for case_id in library.cases:
        wide, phone = case_chart_layouts(library, case_id, today=TODAY)
        assert [c.id for c in wide] == [c.id for c in phone], "every chart has both layouts"
        assert "horizontal lane" in wide[0].alt and "horizontal lane" not in phone[0].alt
        assert phone[0].alt.startswith(CATALOGUE["timeline"].phone_what)
        assert [c.table.equals(p.table) for c, p in zip(wide, phone, strict=True)] == [True] * len(wide)


def test_on_a_phone_every_chart_holds_still_under_a_finger_and_a_wide_one_still_zooms(library):
    """Every phone layout has every axis fixed and no drag mode: a finger dragging across a chart scrolls
    the page instead of drawing a zoom box it cannot undo easily (and the modebar keeps only the download,
    clear of the title). The wide layouts keep their zoom on the time axis."""
    def axes(chart):
        layout = chart.figure.layout
        return {k: layout[k].fixedrange for k in layout if k.startswith(("xaxis", "yaxis")) and layout[k]}

    phone = list(all_charts(library, today=TODAY, compact=True))
    assert {c.id for c in phone} >= {"timeline", "intervals", "pathway", "comparison", "commitments"}
    for chart in phone:
        assert chart.figure.layout.dragmode is False, chart.name
        assert set(axes(chart)) >= {"xaxis", "yaxis"} and all(axes(chart).values()), (chart.name, axes(chart))
    wide = {c.name: c for c in all_charts(library, today=TODAY)}
    assert not wide["all-cases-comparison"].figure.layout.xaxis.fixedrange
    assert any(not all(axes(c).values()) for c in wide.values())


def test_the_case_and_sources_pages_describe_their_charts_with_the_catalogue_alt_text(library, charts):
    at = open_page("case", case="southport")
    shown = [c.alt for c in sent_charts(at)]
    timeline = next(c for c in charts if c.name == "southport-timeline")
    assert shown[0] == timeline.alt, "the whole case in view: the catalogue's own chart and words"
    phone = [c.alt for c in sent_charts(open_page("case", case="southport", layout="narrow"))]
    assert phone[0].startswith(CATALOGUE["timeline"].phone_what) and timeline.title.rstrip(".") in phone[0]
    at = open_page("sources")
    statistics = next(c for c in charts if c.id == "statistics")
    assert next(c.alt for c in sent_charts(at)) == statistics.alt
