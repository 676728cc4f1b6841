"""Benchmarks for issue 5: images per second for export-images, and build-site time for the bundled
data. The generated 1,000-case library's build and its incremental rebuild are timed once, in
:mod:`benchmarks.static_bench` (wall and CPU time, with the load average)."""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path

from timelines import load_library
from timelines.charts import all_charts
from timelines.export import ExportError, find_chromium, write_images
from timelines.site import build_site

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 22)


def _export() -> str:
    try:
        find_chromium()
    except ExportError as err:
        return f"export-images: skipped ({err})"
    library = load_library(REPO / "data")
    charts = list(all_charts(library, today=TODAY))
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        written = write_images(((c.name, c.figure) for c in charts), Path(tmp), progress=False)
        seconds = time.perf_counter() - start
    return (f"export-images, bundled data: {len(written)} images ({len(charts)} charts x PNG+SVG) in "
            f"{seconds:.1f} s = {len(written) / seconds:.2f} images/s (including one browser start)")


def _site(root: Path, label: str) -> str:
    library = load_library(root)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        pages = build_site(library, Path(tmp), today=TODAY)
        seconds = time.perf_counter() - start
    return f"build-site, {label}: {len(pages)} pages in {seconds:.1f} s"


def run() -> list[str]:
    return [_export(), _site(REPO / "data", "bundled data")]
