"""The static site's build: each chart's phone layout beside its desktop one, text alternatives from the
chart catalogue, a parallel build byte for byte the same as a serial one, and one bad case never hiding
the others. (Output folder and incremental rebuilds: tests/test_static_site.py.)"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.sample_library import write_sample
from tests.test_static_site import parse
from timelines import load_library
from timelines.charts import case_charts, overview_charts
from timelines.cli import main
from timelines.site import MARKER, build_site
from timelines.site import build as building
from timelines.site.pages import case_page, index_page
from timelines.site.render import PHONE_MEDIA, PHONE_WIDTHS, figure_json, phone_bands, render

TODAY = date(2026, 11, 22)


def _chart_boxes(page: Path) -> list[dict]:
    return [a for t, a in parse(page).tags if t == "div" and "chart" in a.get("class", "").split()]


@pytest.fixture(scope="module")
def library():
    return load_library(DATA)


@pytest.fixture(scope="module")
def site(tmp_path_factory, library) -> Path:
    out = tmp_path_factory.mktemp("built") / "site"
    build_site(library, out, today=TODAY, images=False)
    return out


def test_every_chart_with_a_phone_layout_points_at_that_figure(site, library):
    pages = {f"cases/{c}.html": case_charts(library, c, today=TODAY, compact=True) for c in library.cases}
    pages["index.html"] = overview_charts(library, today=TODAY, compact=True)
    desktop = {f"cases/{c}.html": case_charts(library, c, today=TODAY) for c in library.cases}
    desktop["index.html"] = overview_charts(library, today=TODAY)
    phones = 0
    for path, compact in pages.items():
        boxes = _chart_boxes(site / path)
        assert len(boxes) == len(compact) == len(desktop[path])
        for box, small, large in zip(boxes, compact, desktop[path], strict=True):
            drawn = (site / path).parent / box["data-figure"]
            assert drawn.read_text() == figure_json(large)
            if figure_json(small) == figure_json(large):  # no phone layout (yet): one figure for both
                assert "data-figure-phone" not in box, (path, small.id)
                continue
            phone = (site / path).parent / box["data-figure-phone"]
            assert phone.read_text() == figure_json(small), (path, small.id)
            assert json.loads(phone.read_text())["layout"] != json.loads(drawn.read_text())["layout"]
            phones += 1
    # Every case timeline runs down the page on a phone, whatever other charts have a phone layout yet.
    assert phones >= len(library.cases)


def test_images_come_in_both_layouts_with_the_catalogues_alt_text(library, tmp_path):
    case_id = next(iter(library.cases))
    charts = case_charts(library, case_id, today=TODAY)
    compact = case_charts(library, case_id, today=TODAY, compact=True)
    page, context = case_page(library, case_id, charts, images=True, compact=compact)
    html = render("case.html", page=page, up="../", base_url="", **context)
    (tmp_path / "case.html").write_text(html)
    parsed = parse(tmp_path / "case.html")
    images = [a for t, a in parsed.tags if t == "img" and "still" in a.get("class", "")]
    sources = [a for t, a in parsed.tags if t == "source"]
    assert [i["alt"] for i in images] == [c.alt for c in charts]
    assert len(images) == len(charts) and sources
    # Each phone layout comes as one image per band of widths, drawn at the band's narrowest width at 2x,
    # the widest band running up to the phone layout's limit.
    bands = phone_bands()
    assert len(sources) % len(bands) == 0
    for n, source in enumerate(sources):
        width, media, _ = bands[n % len(bands)]
        assert source["media"] == media and source["srcset"].endswith(".webp 2x")
        assert int(source["width"]) == width
    assert bands[-1][1] == PHONE_MEDIA and [b[0] for b in bands] == sorted(PHONE_WIDTHS)
    # The phone images are drawn at each band's width from the phone layout's own figure, each once.
    phone_images = [i for i in page.images if i.width in PHONE_WIDTHS]
    assert len(phone_images) == len(sources) == len({i.key for i in phone_images})
    assert {i.figure for i in phone_images} <= {figure_json(c) for c in compact}
    # The first chart's image is preloaded in the layout the screen will show: one band each, none overlapping.
    preloads = [a for t, a in parsed.tags if t == "link" and a.get("rel") == "preload"]
    assert [p.get("media") for p in preloads] == [f"not all and {PHONE_MEDIA}", *(b[2] for b in bands)]
    # The table beside each chart is the catalogue's table.
    tables = [a for t, a in parsed.tags if t == "table"]
    assert len(tables) == len(charts)
    for chart in charts:
        for column in chart.table.columns:
            assert f"<th scope=\"col\" role=\"columnheader\">{column}</th>" in html.replace("&#39;", "'")


def test_the_index_serves_the_phone_layout_of_the_charts_across_cases(library):
    overview = overview_charts(library, today=TODAY)
    compact = overview_charts(library, today=TODAY, compact=True)
    page, context = index_page(library, overview, images=True, built="1 January 2026", compact=compact)
    differs = sum(figure_json(a) != figure_json(b) for a, b in zip(overview, compact, strict=True))
    assert sum(s["chart"].phone is not None for s in context["sections"]) == differs
    assert len(page.images) == len(overview) + differs * len(PHONE_WIDTHS) + 1  # + the link preview


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_parallel_build_writes_the_same_bytes_as_a_serial_one(tmp_path, monkeypatch):
    library = load_library(write_sample(tmp_path / "lib"))
    assert len(library.cases) >= 2
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build_site(library, serial, today=TODAY, jobs=1)
    monkeypatch.setattr(building, "PARALLEL_FROM", 1)
    monkeypatch.setattr(building, "CHUNK", 1)
    pools = []

    class Pool(building.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(building, "ProcessPoolExecutor", Pool)
    build_site(library, parallel, today=TODAY, jobs=2)
    assert pools == [(2,)], "the parallel build ran in two worker processes"
    assert _files(parallel) == _files(serial)
    assert json.loads((parallel / MARKER).read_text())["rendered"] == len(library.cases)


def _one_case_breaks(monkeypatch, bad: str):
    real = building.case_chart_layouts

    def charts(library, case_id, **kwargs):
        if case_id == bad:
            raise ValueError("a bad date in this case")
        return real(library, case_id, **kwargs)

    monkeypatch.setattr(building, "case_chart_layouts", charts)


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "parallel"])
def test_one_bad_case_never_hides_the_others(tmp_path, monkeypatch, capsys, parallel):
    root = write_sample(tmp_path / "lib")
    library = load_library(root)
    bad, *good = list(library.cases)
    _one_case_breaks(monkeypatch, bad)
    if parallel:
        monkeypatch.setattr(building, "PARALLEL_FROM", 1)
        monkeypatch.setattr(building, "CHUNK", 1)
    out = tmp_path / "out"
    argv = ["build-site", str(out), "--data", str(root), "--today", TODAY.isoformat(), "--quiet", "--no-images"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"case {bad}" in err and "a bad date in this case" in err
    for case_id in good:
        assert _chart_boxes(out / "cases" / f"{case_id}.html"), case_id
    broken = (out / "cases" / f"{bad}.html").read_text()
    assert "could not be drawn" in broken and "a bad date in this case" in broken
    assert not _chart_boxes(out / "cases" / f"{bad}.html")
    assert all(f"event-{e.id}" in parse(out / "cases" / f"{bad}.html").ids for e in library.cases[bad].events)
    manifest = json.loads((out / MARKER).read_text())
    assert bad in manifest["problems"] and manifest["pages"][f"cases/{bad}.html"] == "failed"
    # Fixed, the next build draws it again (a failed page is never carried over).
    monkeypatch.undo()
    assert main(argv) == 0
    assert _chart_boxes(out / "cases" / f"{bad}.html")
