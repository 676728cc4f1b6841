"""Briefing images: every chart as a PNG of slide size (2x) and a well-formed SVG, with one browser."""

from __future__ import annotations

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
