"""Templates, assets and the view of one chart: everything that turns page data into HTML.

HTML comes only from the Jinja2 templates in ``timelines/templates/``, with autoescaping on and nothing
marked safe. A figure's JSON is not in the page at all: it is a file of its own (``figures/<hash>.json``),
fetched by the site's script when the reader reaches for the chart.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import pandas as pd
from _plotly_utils.utils import is_homogeneous_array
from plotly.io.json import to_json_plotly

from ..charts import Chart
from ..theme import modebar_config

PACKAGE = Path(__file__).resolve().parent
STATIC = PACKAGE / "static"
TEMPLATES = PACKAGE.parent / "templates"
SITE_NAME = "Prevent case timelines"
STILL_WIDTH = 1168  # px: the width of main's content on a desktop, so the image and the drawn chart match
PHONE_MEDIA = "(max-width: 640px)"  # below this width a page shows each chart's phone layout
# A phone layout's image is drawn at the width plotly.js will draw the chart on the narrowest screen of each
# band (the screen less main's 1rem padding each side: 320 -> 288 px, 360 -> 328, 390 -> 358), and at the
# layout's own height, which does not change with the width. The page picks the band's image (a <picture>
# source per band), shown at its own width: it is exactly as high as the drawn chart, so there is no blank
# space under it and drawing the chart over it moves nothing. Wider phones show the 358 px image.
PHONE_WIDTHS = (288, 328, 358)
PHONE_WIDTH = PHONE_WIDTHS[-1]
PAGE_PADDING = 32  # px: main's padding on both sides together


def phone_bands() -> list[tuple[int, str, str]]:
    """Each phone image's width, the media query of its <source> (the first that matches is used) and the
    band's own range (for the preload links, which must not overlap)."""
    bands = []
    for n, width in enumerate(PHONE_WIDTHS):
        last = n == len(PHONE_WIDTHS) - 1
        below = PHONE_MEDIA if last else f"(max-width: {PHONE_WIDTHS[n + 1] + PAGE_PADDING - 1}px)"
        above = f"(min-width: {width + PAGE_PADDING}px) and " if n else ""
        bands.append((width, below, above + below))
    return bands


DEFAULT_HEIGHT = 480
# Cache rules for hosts that read a _headers file (Netlify, Cloudflare Pages): files named by their content
# never change, so browsers may keep them for a year; pages are checked again each time.
HEADERS = """/assets/*
  Cache-Control: public, max-age=31536000, immutable
/img/*
  Cache-Control: public, max-age=31536000, immutable
/figures/*
  Cache-Control: public, max-age=31536000, immutable
/*.html
  Cache-Control: public, max-age=300
"""
BUNDLE = json.loads((STATIC / "plotly-basic.json").read_text())


@functools.cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render(template: str, **context) -> str:
    return environment().get_template(template).render(site_name=SITE_NAME, assets=assets(), phone_media=PHONE_MEDIA,
                                                        **context)


@functools.cache
def assets() -> dict[str, str]:
    """The site's files under ``assets/``, each name carrying its content's hash (or the bundle's version),
    so that a host can let browsers keep them for a year."""
    names = {}
    for key, file in (("css", "site.css"), ("js", "site.js"), ("favicon", "favicon.svg")):
        digest = hashlib.sha256((STATIC / file).read_bytes()).hexdigest()[:10]
        stem, _, ext = file.partition(".")
        names[key] = f"assets/{stem}.{digest}.{ext}"
    names["plotly"] = f"assets/plotly-basic-{BUNDLE['version']}.min.js"
    return names


def write_assets(out: Path) -> None:
    (out / "assets").mkdir(parents=True, exist_ok=True)
    sources = {"css": "site.css", "js": "site.js", "favicon": "favicon.svg", "plotly": BUNDLE["file"]}
    for key, target in assets().items():
        (out / target).write_bytes((STATIC / sources[key]).read_bytes())
    for extra in ("plotly-basic.LICENSE.txt", "plotly-basic.json"):
        (out / "assets" / extra).write_bytes((STATIC / extra).read_bytes())
    (out / "_headers").write_text(HEADERS)


@functools.cache
def code_fingerprint() -> str:
    """A hash of the code, templates and assets that make the pages: a change to any rebuilds every page."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.parent.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".html", ".css", ".js", ".svg", ".json"}:
            digest.update(str(path.relative_to(PACKAGE.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _holds_arrays(obj: object) -> bool:
    """Does a figure's dict hold an array that ``to_plotly_json`` would write as a typed array (base64)?"""
    if isinstance(obj, dict):
        return any(is_homogeneous_array(v) or _holds_arrays(v) for v in obj.values())
    if isinstance(obj, list | tuple):
        return any(_holds_arrays(v) for v in obj)
    return False


def figure_json(chart: Chart) -> str:
    """The figure and its modebar settings as JSON, for plotly.js."""
    # The figure's own dicts, read without the deep copy ``to_plotly_json`` makes (the same JSON: a figure
    # holding arrays, which it would convert, takes that way)
    fig = {"data": chart.figure._data, "layout": chart.figure._layout}
    if _holds_arrays(fig):
        fig = chart.figure.to_plotly_json()
    # The layout's meta (title, subtitle and source as plain text) is for the catalogue, not for plotly.js:
    # the same text is drawn, escaped, in the title and source line.
    layout = {k: v for k, v in fig.get("layout", {}).items() if k != "meta"}
    return to_json_plotly({"data": fig.get("data", []), "layout": layout,
                           "config": modebar_config(chart.name)})


def write_figure(view: ChartView, out: Path) -> None:
    """The figure's JSON file (named by its content, so an unchanged figure is the same file)."""
    target = out / view.data
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_suffix(f".{os.getpid()}.part")
        part.write_text(view.figure, encoding="utf-8")
        part.replace(target)


def cell(value: object) -> str:
    """A table cell as text: blank for missing values, whole numbers without a trailing '.0'."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


@dataclass
class Rows:
    columns: list[str]
    rows: list[list[str]]

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Rows:
        return cls([str(c) for c in frame.columns], [[cell(v) for v in row] for row in frame.itertuples(index=False)])


@dataclass
class ChartView:
    """What a page needs to show one chart: its image first, its figure for plotly.js, its table."""

    anchor: str
    title: str
    alt: str
    data: str  # the figure's JSON file, relative to the site's root
    table: Rows
    height: int
    width: int = STILL_WIDTH
    still: str | None = None  # the pre-rendered image, relative to the site's root
    # a phone layout's images, one per band of screen widths: {"width", "media", "band", "src"}
    stills: list[dict] = field(default_factory=list)
    lazy: bool = True
    figure: str = field(default="", repr=False)  # the figure's JSON, unescaped, for the image renderer
    subtitle: str = ""
    phone: ChartView | None = None  # the chart's phone layout, when it differs from this one

    @classmethod
    def of(cls, chart: Chart, *, lazy: bool = True, compact: Chart | None = None) -> ChartView:
        """The view of ``chart``; ``compact``, the same chart in its phone layout (see :data:`PHONE_MEDIA`).

        The text alternatives come from the catalogue: the image's alt text is :attr:`Chart.alt` and the
        table beside the chart is :attr:`Chart.table`."""
        text = figure_json(chart)
        view = cls(anchor=chart.name, title=chart.title or chart.name, alt=chart.alt, data=_figure_path(text),
                   table=Rows.of(chart.table), height=int(chart.figure.layout.height or DEFAULT_HEIGHT), lazy=lazy,
                   figure=text, subtitle=" ".join(str(chart.subtitle or "").split()))
        if compact is not None:
            small = figure_json(compact)
            if small != text:  # a chart without a phone layout yet shows its one layout, scaled to the screen
                view.phone = cls(anchor=chart.name, title=view.title, alt=view.alt, data=_figure_path(small),
                                 table=view.table, height=int(compact.figure.layout.height or DEFAULT_HEIGHT),
                                 width=PHONE_WIDTH, lazy=lazy, figure=small, subtitle=view.subtitle)
        return view


def _figure_path(text: str) -> str:
    return f"figures/{hashlib.sha256(text.encode()).hexdigest()[:24]}.json"
