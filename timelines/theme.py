"""One look for every chart: a Plotly template, and the frame that makes a chart stand alone.

Every figure gets its title (an active title that states the message), a subtitle (measure and
period), a legend and a source line *inside* the figure, so a screenshot or an exported PNG/SVG
needs no surrounding page. Colours follow the Government Analysis Function's accessible palette;
shapes carry meaning too, so nothing depends on colour alone.
"""

from __future__ import annotations

import re

import plotly.graph_objects as go
import plotly.io as pio

from .vocab import FAMILIES

FONT = "Arial, Helvetica, sans-serif"
INK = "#0B0C0C"  # GOV.UK text colour: 19:1 on white
MUTED = "#505A5F"  # GOV.UK secondary text: 7:1 on white
GRID = "#D9DCDE"
MISSED = "#D4351C"  # ring around a missed opportunity (with a thicker outline, not colour alone)
FAMILY_COLOURS = {f.id: f.colour for f in FAMILIES}
TEMPLATE_NAME = "prevent_timelines"

# Room above the plot for title and subtitle, below it for the source line.
TOP_MARGIN = 110
BOTTOM_MARGIN = 90

pio.templates[TEMPLATE_NAME] = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT, size=14, color=INK),
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=[f.colour for f in FAMILIES] + ["#3D3D3D", "#A285D1"],
        title=dict(x=0, xanchor="left", xref="paper", font=dict(size=20, color=INK)),
        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0,
                    font=dict(size=13), title=dict(text="")),
        xaxis=dict(showgrid=True, gridcolor=GRID, zeroline=False, linecolor=MUTED, ticks="outside",
                   tickcolor=MUTED, title=dict(font=dict(size=13, color=MUTED))),
        yaxis=dict(showgrid=False, zeroline=False, linecolor=MUTED, automargin=True,
                   title=dict(font=dict(size=13, color=MUTED))),
        hoverlabel=dict(bgcolor="white", bordercolor=INK, font=dict(family=FONT, size=13, color=INK),
                        align="left"),
        margin=dict(l=20, r=30, t=TOP_MARGIN, b=BOTTOM_MARGIN),
    )
)


def slug(text: str) -> str:
    """A safe file name stem: 'Southport: timeline' -> 'southport-timeline'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "chart"


def frame(fig: go.Figure, *, title: str, subtitle: str, source: str, height: int | None = None) -> go.Figure:
    """Put the title, subtitle and source line into the figure itself and apply the template."""
    fig.update_layout(
        template=TEMPLATE_NAME,
        title=dict(
            text=f"<b>{title}</b><br><span style='font-size:14px;color:{MUTED}'>{subtitle}</span>",
            x=0, xanchor="left", y=0.98, yanchor="top", yref="container",
        ),
        meta={"title": title, "subtitle": subtitle, "source": source},
    )
    if height:
        fig.update_layout(height=height)
    annotations = [a for a in fig.layout.annotations if getattr(a, "name", None) != "source-line"]
    annotations.append(go.layout.Annotation(
        name="source-line", text=f"Source: {source}", showarrow=False, xref="paper", yref="paper",
        x=0, y=0, yshift=-BOTTOM_MARGIN + 10, xanchor="left", yanchor="bottom", align="left",
        font=dict(size=11, color=MUTED),
    ))
    fig.update_layout(annotations=annotations)
    return fig


def modebar_config(filename: str, *, fmt: str = "png") -> dict:
    """The chart's modebar: download a 2x PNG (or SVG) under a sensible name; no Plotly logo."""
    return {
        "displaylogo": False,
        "responsive": True,
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
        "toImageButtonOptions": {"format": fmt, "scale": 2, "filename": slug(filename)},
    }
