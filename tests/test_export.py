"""Briefing images: every chart as a PNG of slide size (2x) and a well-formed SVG, with one browser."""

from __future__ import annotations

import itertools
import re
import struct
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from tests.conftest import DATA, need_chromium
from timelines import load_library
from timelines.charts import all_charts
from timelines.cli import main
from timelines.export import SCALE, SLIDE_HEIGHT, SLIDE_WIDTH, slide

pytestmark = pytest.mark.browser


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    need_chromium()
    out = tmp_path_factory.mktemp("images")
    assert main(["export-images", str(out), "--data", str(DATA), "--today", "2026-11-22", "--quiet"]) == 0
    return out


def test_every_chart_of_every_case_is_exported_in_both_formats(exported):
    charts = list(all_charts(load_library(DATA), today=date(2026, 11, 22)))
    assert {c.case_id for c in charts} == {"southport", "amess", None}
    expected = {f"{c.name}.{fmt}" for c in charts for fmt in ("png", "svg")}
    assert {p.name for p in exported.iterdir()} == expected


def test_pngs_are_16_9_at_twice_slide_size(exported):
    for png in exported.glob("*.png"):
        assert _png_size(png.read_bytes()) == (SLIDE_WIDTH * SCALE, SLIDE_HEIGHT * SCALE), png.name
        assert SLIDE_WIDTH * 9 == SLIDE_HEIGHT * 16


def test_svgs_are_well_formed_and_carry_title_and_source(exported):
    charts = {c.name: c for c in all_charts(load_library(DATA), today=date(2026, 11, 22))}
    for svg in exported.glob("*.svg"):
        root = ET.fromstring(svg.read_bytes())
        assert root.tag.endswith("svg")
        assert (root.get("width"), root.get("height")) == (str(SLIDE_WIDTH), str(SLIDE_HEIGHT))
        text = " ".join(t for t in root.itertext())
        meta = charts[svg.stem].figure.layout.meta
        assert "Source:" in text, svg.name
        assert meta["title"].split()[0] in text, svg.name


def test_slide_layout_leaves_the_figure_untouched():
    chart = next(all_charts(load_library(DATA), today=date(2026, 11, 22)))
    before = chart.figure.to_dict()
    laid_out = slide(chart.figure)
    assert (laid_out.layout.width, laid_out.layout.height) == (SLIDE_WIDTH, SLIDE_HEIGHT)
    assert chart.figure.to_dict() == before


def test_export_refuses_broken_data(tmp_path, capsys):
    (tmp_path / "lib").mkdir()
    assert main(["export-images", str(tmp_path / "out"), "--data", str(tmp_path / "lib"), "--quiet"]) == 1
    assert "sources.yaml is missing" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# --- slides that stand alone and read at a third of a slide ---------------------------------------

MIN_SLIDE_PX = 14
SVG = "{http://www.w3.org/2000/svg}"


def _svgs(exported):
    charts = {c.name: c for c in all_charts(load_library(DATA), today=date(2026, 11, 22))}
    for svg in sorted(exported.glob("*.svg")):
        yield svg, ET.fromstring(svg.read_bytes()), charts[svg.stem]


def _translate(transform: str | None) -> tuple[float, float]:
    x = y = 0.0
    for a, b in re.findall(r"translate\(\s*([-\d.e]+)[ ,]+([-\d.e]+)\s*\)", transform or ""):
        x, y = x + float(a), y + float(b)
    return x, y


def annotation_boxes(root) -> dict[int, tuple[float, float, float, float]]:
    """Each annotation's text box as the browser drew it: data-index -> (left, top, right, bottom)."""
    boxes = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "annotation":
            continue
        for inner in g.iter(f"{SVG}g"):
            if inner.get("class") == "cursor-pointer":
                x, y = _translate(inner.get("transform"))
                rect = next(r for r in inner.iter(f"{SVG}rect") if r.get("class") == "bg")
                w, h = float(rect.get("width")), float(rect.get("height"))
                boxes[int(g.get("data-index"))] = (x, y, x + w, y + h)
    return boxes


def test_no_exported_text_is_under_14_px(exported):
    for svg, root, _ in _svgs(exported):
        sizes = [float(m) for el in root.iter() for m in re.findall(r"font-size:\s*([\d.]+)px", el.get("style") or "")]
        texts = [el for el in root.iter(f"{SVG}text") if "".join(el.itertext()).strip()]
        assert texts and sizes, svg.name
        assert min(sizes) >= MIN_SLIDE_PX, (svg.name, min(sizes))


def test_exported_images_stand_alone(exported):
    """No image tells its reader to hover, names a file of the repository or points to a table."""
    for svg, root, _ in _svgs(exported):
        text = " ".join(root.itertext()).lower()
        for banned in ("hover", "click", "tap ", "beside the chart", ".yaml", ".py", "data/", "repository"):
            assert banned not in text, (svg.name, banned)


def test_exported_case_timelines_carry_the_direct_labels(exported):
    for svg, root, chart in _svgs(exported):
        if chart.id not in ("timeline", "comparison"):
            continue
        keys = chart.figure.layout.meta["labels"]
        assert len(keys) >= (6 if chart.id == "timeline" else 4), svg.name
        notes = {a.name: a for a in chart.figure.layout.annotations}
        text = " ".join(root.itertext())
        for key in keys:
            first = re.sub("<[^>]+>", "", notes[f"label:{key}"].text.split("<br>")[0]).replace("&amp;", "&")
            assert first in text, (svg.name, first)


def test_exported_annotations_never_overlap(exported):
    for svg, root, _ in _svgs(exported):
        boxes = list(annotation_boxes(root).items())
        for (i, a), (j, b) in itertools.combinations(boxes, 2):
            dx = min(a[2], b[2]) - max(a[0], b[0])
            dy = min(a[3], b[3]) - max(a[1], b[1])
            assert not (dx > 2 and dy > 2), (svg.name, i, j, a, b)
        width, height = SLIDE_WIDTH, SLIDE_HEIGHT
        for i, box in boxes:
            assert box[0] >= -1 and box[2] <= width + 1 and box[1] >= -1 and box[3] <= height + 1, (svg.name, i, box)


def test_wrapped_axis_names_never_run_into_each_other(exported):
    """The commitments slide's names wrap onto at most two lines each, with room between them."""
    for svg, root, _ in _svgs(exported):
        ticks = []
        for g in root.iter(f"{SVG}g"):
            if g.get("class") != "ytick":
                continue
            for t in g.iter(f"{SVG}text"):
                _, y = _translate(t.get("transform"))
                size = float(re.search(r"font-size:\s*([\d.]+)px", t.get("style")).group(1))
                lines = max(1, sum(1 for s in t.iter(f"{SVG}tspan") if s.get("class") == "line"))
                ticks.append((y, y + lines * size * 1.3))
        ticks.sort()
        for (_, end), (start, _) in itertools.pairwise(ticks):
            assert end <= start + 2, (svg.name, end, start)


def test_every_key_pathway_event_is_named_on_its_case_slide(exported):
    """The key events of each case (found in the data by kind: referrals, decisions, closures, adoption,
    exit, and the outcome) are labelled on the exported slide, in the SVG's own text."""
    from timelines.labels import KEY_KINDS

    library = load_library(DATA)
    for svg, root, chart in _svgs(exported):
        if chart.id != "timeline":
            continue
        case = library.cases[chart.case_id]
        rows = library.events[(library.events["case_id"] == case.id) & (library.events["layer"] == "case")]
        expected = set(rows.loc[rows["kind"].isin(KEY_KINDS), "event_id"]) | {case.outcome_event}
        notes = {a.name.removeprefix("label:"): a for a in chart.figure.layout.annotations
                 if (a.name or "").startswith("label:")}
        assert expected <= set(notes), (svg.name, expected - set(notes))
        text = " ".join(root.itertext())
        for key in expected:
            first = re.sub("<[^>]+>", "", notes[key].text.split("<br>")[0]).replace("&amp;", "&")
            assert first in text, (svg.name, first)
