"""One look for every chart: a Plotly template, and the frame that makes a chart stand alone.

Every figure gets its title (an active title that states the message), a subtitle (measure and
period), a legend and a source line *inside* the figure, so a screenshot or an exported PNG/SVG
needs no surrounding page. Colours follow the Government Analysis Function's accessible palette;
shapes carry meaning too, so nothing depends on colour alone.

Layout, top to bottom: title, subtitle, legend (anchored just under the subtitle, so Plotly pushes the
plot down by however many rows the legend needs at the width it is drawn), the plot, the axis, and the
source line. Text is wrapped by character count so that it also fits a 390 px wide phone.
"""

from __future__ import annotations

import copy
import functools
import html
import re
import textwrap

import plotly.graph_objects as go
import plotly.io as pio

from .vocab import FAMILIES

FONT = "Arial, Helvetica, sans-serif"
INK = "#0B0C0C"  # GOV.UK text colour: 19:1 on white
MUTED = "#505A5F"  # GOV.UK secondary text: 7:1 on white
GRID = "#D9DCDE"
CONTEXT_FILL = "#F3F2F1"  # GOV.UK light grey: the background of the policy-context lanes
MISSED = "#D4351C"  # ring around a missed opportunity (with a thicker outline, not colour alone)
SELECTED = INK
FAMILY_COLOURS = {f.id: f.colour for f in FAMILIES}
TEMPLATE_NAME = "prevent_timelines"

BASE_SIZE = 16  # the title's base font: Plotly spaces its lines by 1.3 times this
LINE_PX = round(BASE_SIZE * 1.3)
TITLE_SIZE = 20
SUBTITLE_SIZE = 14
SOURCE_SIZE = 14  # no chart text under 14 px, so that a chart still reads at a third of a slide
COMPACT_SOURCE_SIZE = 12  # a phone's source line sits beside no lane labels' worth of room
TITLE_PAD = {False: 18, True: 40}  # a phone's modebar sits above the title, not over it
# Characters per line (Arial averages about 0.55 em a glyph): (title, subtitle, source) for a desktop
# chart, and for a compact one that must fit a 390 px phone.
WRAP = {False: (62, 100, 120), True: (27, 40, 36)}  # compact: fits a 320 px screen (WCAG 1.4.10)
DEFAULT_HEIGHT = 480
TICK_ROOM = 30  # px under the plot for the x axis tick labels, above the source line
AXIS_TITLE_PX = 24

pio.templates[TEMPLATE_NAME] = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT, size=14, color=INK),
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=[f.colour for f in FAMILIES] + ["#3D3D3D", "#A285D1"],
        title=dict(x=0, xanchor="left", xref="paper", font=dict(size=TITLE_SIZE, color=INK)),
        legend=dict(orientation="h", yref="container", yanchor="top", xanchor="left", x=0,
                    font=dict(size=14), title=dict(text=""), itemclick=False, itemdoubleclick=False),
        xaxis=dict(showgrid=True, gridcolor=GRID, zeroline=False, linecolor=MUTED, ticks="outside",
                   tickcolor=MUTED, title=dict(font=dict(size=14, color=MUTED))),
        yaxis=dict(showgrid=False, zeroline=False, linecolor=MUTED, automargin=True,
                   title=dict(font=dict(size=14, color=MUTED))),
        hoverlabel=dict(bgcolor="white", bordercolor=INK, font=dict(family=FONT, size=13, color=INK),
                        align="left"),
        margin=dict(l=12, r=24, t=100, b=70),
    )
)


# A phone's legend: horizontal, a whole row an entry, pinned to the bottom of the figure (after the source
# line), so that the plot keeps the phone's width and the first screen is the chart.
LEGEND_BELOW = dict(orientation="h", entrywidth=1, entrywidthmode="fraction", yref="container", y=0,
                    yanchor="bottom", xref="container", x=0, xanchor="left")


@functools.cache
def _template_json() -> dict:
    return pio.templates[TEMPLATE_NAME].to_plotly_json()


def template_dict() -> dict:
    """The template as a plain dict, for figures built without Plotly's validation (which resolves names)."""
    return copy.deepcopy(_template_json())


def slug(text: str) -> str:
    """A safe file name stem: 'Southport: timeline' -> 'southport-timeline'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "chart"


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters (a long word stays whole)."""
    return textwrap.wrap(" ".join(text.split()), width=width, break_long_words=False) or [""]


def text_block(text: str, width: int) -> str:
    """Plain text as Plotly rich text: escaped, wrapped with <br>."""
    return "<br>".join(html.escape(line, quote=False) for line in wrap(text, width))


def title_block_px(title: str, subtitle: str, *, compact: bool = False) -> int:
    """The height the title and subtitle take at the top of a figure."""
    title_wrap, subtitle_wrap, _ = WRAP[compact]
    lines = len(wrap(title, title_wrap)) + (len(wrap(subtitle, subtitle_wrap)) if subtitle else 0)
    return TITLE_PAD[compact] + lines * LINE_PX


def bottom_px(source: str, *, axis_title: bool = False, compact: bool = False) -> int:
    """The height under the plot: tick labels, an axis title if any, and the source line."""
    lines = len(wrap(f"Source: {source}", WRAP[compact][2]))
    return TICK_ROOM + (AXIS_TITLE_PX if axis_title else 0) + lines * (source_size(compact) + 4) + 14


def source_size(compact: bool = False) -> int:
    return COMPACT_SOURCE_SIZE if compact else SOURCE_SIZE


def frame_layout(*, title: str, subtitle: str, source: str, height: int = DEFAULT_HEIGHT,
                 annotations: list | tuple = (), axis_title: bool = False, compact: bool = False) -> dict:
    """The layout that frames a chart: title block, legend position, margins and source line (a dict).

    Title and subtitle are one Plotly title (lines spaced by its base font), anchored to the container's
    top left so that they never depend on the width of the lane labels. ``compact`` wraps text to fit a
    390 px phone and leaves room above the title for the modebar.
    """
    title_wrap, subtitle_wrap, source_wrap = WRAP[compact]
    title_lines = wrap(title, title_wrap)
    subtitle_lines = wrap(subtitle, subtitle_wrap) if subtitle else []
    source_lines = wrap(f"Source: {source}", source_wrap)
    bottom = bottom_px(source, axis_title=axis_title, compact=compact)
    below = bottom - len(source_lines) * (source_size(compact) + 4) - 14
    block = title_block_px(title, subtitle, compact=compact)
    text = [f"<span style='font-size:{TITLE_SIZE}px'><b>{html.escape(line, quote=False)}</b></span>"
            for line in title_lines]
    text += [f"<span style='font-size:{SUBTITLE_SIZE}px;color:{MUTED}'>{html.escape(line, quote=False)}</span>"
             for line in subtitle_lines]
    kept = [a for a in annotations if (a.get("name") if isinstance(a, dict) else a.name) != "source-line"]
    source_line = dict(
        name="source-line", text="<br>".join(html.escape(s, quote=False) for s in source_lines),
        showarrow=False, xref="paper", yref="paper", x=0, y=0, yshift=-below, xanchor="left",
        yanchor="top", align="left", font=dict(size=source_size(compact), color=MUTED),
    )
    return dict(
        template=TEMPLATE_NAME,
        height=height,
        title=dict(text="<br>".join(text), x=0, xanchor="left", xref="container", y=1, yanchor="top",
                   yref="container", font=dict(size=BASE_SIZE), pad=dict(t=TITLE_PAD[compact], l=8)),
        legend=dict(y=1 - (block + 10) / height, xref="container", x=0, xanchor="left"),
        margin=dict(t=block + 26, b=bottom),
        meta={"title": title, "subtitle": subtitle, "source": source},
        annotations=[*kept, source_line],
    )


def held_still(layout: dict) -> dict:
    """A phone's layout: every axis fixed and no drag mode. A finger dragging across the chart scrolls the
    page instead of drawing a zoom box, and the modebar offers the download alone, clear of the title."""
    axes = {"xaxis", "yaxis"} | {k for k in layout if re.fullmatch(r"[xy]axis\d*", k)}
    return {**layout, **{k: {**(layout.get(k) or {}), "fixedrange": True} for k in axes}, "dragmode": False}


def frame(fig: go.Figure, *, title: str, subtitle: str, source: str, height: int | None = None,
          compact: bool = False) -> go.Figure:
    """Put the title, subtitle and source line into the figure itself and apply the template.

    The legend, if the figure shows one, sits under the subtitle: Plotly grows the top margin to fit it
    at whatever width the chart is drawn, so legend and plot never overlap, on a projector or a phone.
    """
    layout = frame_layout(title=title, subtitle=subtitle, source=source,
                          height=height or fig.layout.height or DEFAULT_HEIGHT,
                          annotations=list(fig.layout.annotations), compact=compact)
    fig.update_layout(**layout)
    return fig


def modebar_config(filename: str, *, fmt: str = "png") -> dict:
    """The chart's modebar: download a 2x PNG (or SVG) under a sensible name; no Plotly logo."""
    return {
        "displaylogo": False,
        "responsive": True,
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d", "sendChartToCloud"],
        "showSendToCloud": False,  # plotly.js 4 offers "Share chart..." (an upload to Plotly Cloud) by default
        "toImageButtonOptions": {"format": fmt, "scale": 2, "filename": slug(filename)},
    }
