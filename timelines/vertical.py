"""A case timeline for a phone: time runs down the page, every event labelled beside one spine.

News sites draw long timelines this way on a narrow screen (WNYC, the Washington Post): a swimlane
chart squeezed to 390 px leaves a plot too narrow to read, while a page is as long as it needs to be.
Here:

- the spine is time, earliest at the top, with the years at its left: the space between two rows grows
  with the time between their events (up to :data:`MAX_STEP_PX`);
- a silence of more than :data:`SILENCE_YEARS` between two events is shortened, so that the page does
  not scroll through empty years, and the shortening is shown, never hidden: the spine is *broken* there
  (a gap in the spine between two slanted strokes, the usual mark of a broken axis), the words beside the
  break give the silence's length ("4.7 to 5.8 years with no event on this chart") and say that the
  break is not to scale, no year mark is drawn inside it, and its length still grows with the silence
  (:func:`silence_px`, up to a cap), so that a five-year silence looks longer than a two-year one. A
  break rather than a true scale: at :data:`PX_PER_YEAR` a six-year silence would fill a phone's screen
  with an empty spine; a break rather than a plain shorter line: a shortened line reads as less time;
- each event is one marker on the spine (shape by kind, colour by family, filled for a date known to
  the day, hollow for a window), carrying its key in ``customdata`` like the swimlane chart's markers
  (see :func:`timelines.figures.event_keys`), so a tap selects the event;
- each event has a label beside the spine: its short title, then its date and a short tag for who acted
  (the swimlane chart's lane). Labels keep time order, never overlap (each is pushed down, or up at the
  foot, just enough, with a leader line to its marker), and a missed opportunity says so in its label;
- a window (month, year, range) is a light band along the spine, a span (time in Channel) a solid one.

The chart needs no legend: what a marker is, is written beside it.
"""

from __future__ import annotations

import itertools
import math
import re

import pandas as pd
import plotly.graph_objects as go

from . import schema, theme
from .analysis.wording import span
from .figures import DAY_MS, SOURCE, _esc, findings_by_event, hover_text, plan
from .vocab import AGENCY_BY_ID, FAMILY_BY_ID, FAMILY_SYMBOLS

MISSED_TEXT = "Missed opportunity (review)"
LABEL_SIZE = 12
TAG_SIZE = 11
LINE_PX = 15  # one line of a 12 px label
GAP_PX = 6  # between two labels
TITLE_CHARS = 28  # a label's title wraps here: it fits beside the spine on a 320 px screen
WHEN_CHARS = 36  # and its date-and-tag line here
FRAME_WRAP = (24, 40, 40)  # title, subtitle and source line wrap to fit a 320 px screen
TITLE_LINES = 2
OFFSET_PX = 20  # from the spine to the label's left edge
PX_PER_YEAR = 40  # extra space between two rows for each year between their events...
MAX_STEP_PX = 40  # ...up to this much
SILENCE_YEARS = 1.5  # a longer silence between two of the case's events is written on the spine
SILENCE_PX = 64  # a silence's room on the spine: this much for the shortest...
SILENCE_PX_PER_YEAR = 12  # ...and this much more for each year it lasts...
SILENCE_MAX_PX = 150  # ...up to this cap
BREAK_PX = 10  # the gap in the spine at a break, between its two strokes
BREAK_NOTE = "time not to scale across the break"
MIN_TICK_PX = 20  # year marks closer than this on the page are left out
TOP_GAP_PX = 14  # between the subtitle and the first row (no legend in between)
MARKER = 13
YEAR_MS = 365.25 * DAY_MS
# Who acted, in a word or two (the lane of the swimlane chart). Unlisted agencies use their label.
TAGS = {
    "school": "School", "ctp_prevent": "CT Policing", "police": "Police", "channel": "Channel panel",
    "intervention_provider": "Intervention provider", "health": "Health", "social_care": "Social care",
    "subject": "The subject", "courts": "Courts", "government": "Government", "reviewers": "Reviewers",
    "commissioner": "Commissioner", "inquiry": "Inquiry", "parliament": "Parliament",
}
MONTHS = {m: m[:3] for m in ("January", "February", "March", "April", "August", "September", "October",
                             "November", "December")}


def tag(agency: str, *, context: bool = False) -> str:
    """The short name of who acted; 'Context' first for the national policy layer."""
    name = TAGS.get(agency) or AGENCY_BY_ID[agency].label
    return f"Context · {name}" if context else name


def short_date(text: str) -> str:
    """A date label with short month names: 'between December 2019 and March 2020' -> 'between Dec 2019
    and Mar 2020'."""
    return re.sub("|".join(MONTHS), lambda m: MONTHS[m.group(0)], text)


def label_lines(item: dict, missed: bool) -> tuple[list[str], list[str]]:
    """The label's title lines (at most two, the last shortened with an ellipsis) and its date-and-tag lines."""
    short = item.get("label")
    text = short if isinstance(short, str) and short.strip() else item["title"]
    lines = theme.wrap(text, TITLE_CHARS)
    if len(lines) > TITLE_LINES:
        lines = lines[:TITLE_LINES]
        lines[-1] = lines[-1][: TITLE_CHARS - 1].rstrip(" ,;:") + "…"
    if missed:
        lines.append(MISSED_TEXT)
    when = f"{short_date(item['date_label'])} · {tag(item['agency'], context=item['layer'] == 'context')}"
    return lines, theme.wrap(when, WHEN_CHARS)


def rows_px(times: list[float], heights: list[float]) -> list[float]:
    """The centre (px from the top) of each event's row: each row as tall as its label, the space between
    two rows growing with the time between them, and a long silence (words on the spine) given room."""
    centres: list[float] = []
    for n, (t, height) in enumerate(zip(times, heights, strict=True)):
        if n == 0:
            centres.append(height / 2)
            continue
        years = (t - times[n - 1]) / YEAR_MS
        extra = silence_px(years) if years >= SILENCE_YEARS else min(years * PX_PER_YEAR, MAX_STEP_PX)
        centres.append(centres[-1] + heights[n - 1] / 2 + GAP_PX + extra + height / 2)
    return centres


def silence_px(years: float) -> float:
    """The room a silence of ``years`` takes on the spine: growing with its length, up to a cap."""
    return min(SILENCE_PX + years * SILENCE_PX_PER_YEAR, SILENCE_MAX_PX)


def break_shapes(y: float, key: str) -> list[dict]:
    """A break in the spine at ``y`` (page px): a white gap over the spine between two slanted strokes."""
    half = BREAK_PX / 2
    stroke = dict(type="line", xref="x", yref="y", line=dict(color=theme.INK, width=2), name=f"silence-break:{key}")
    return [
        dict(type="rect", xref="x", yref="y", x0=-0.2, x1=0.2, y0=y - half, y1=y + half, layer="below",
             fillcolor="white", line=dict(width=0), name=f"silence-break:{key}"),
        {**stroke, "x0": -0.22, "x1": 0.22, "y0": y - half + 3, "y1": y - half - 3},
        {**stroke, "x0": -0.22, "x1": 0.22, "y0": y + half + 3, "y1": y + half - 3},
    ]


def position(t: float, times: list[float], centres: list[float]) -> float:
    """Where time ``t`` falls on the page, between the rows of the events before and after it."""
    if not times:
        return 0.0
    if t <= times[0]:
        return centres[0] - (times[0] - t) / YEAR_MS * PX_PER_YEAR
    if t >= times[-1]:
        return centres[-1] + (t - times[-1]) / YEAR_MS * PX_PER_YEAR
    for n in range(1, len(times)):
        if t <= times[n]:
            if times[n] == times[n - 1]:
                return centres[n - 1]
            share = (t - times[n - 1]) / (times[n] - times[n - 1])
            return centres[n - 1] + share * (centres[n] - centres[n - 1])
    return centres[-1]


def _silences(items: list[dict]) -> list[tuple[float, float, float, float]]:
    """(from, to, shortest, longest) for each long silence between consecutive events on the chart."""
    case = sorted(items, key=lambda i: i["x"])
    found = []
    for a, b in itertools.pairwise(case):
        a_lo, a_hi = a["lo"] if a["lo"] is not None else a["x"], a["hi"] if a["hi"] is not None else a["x"]
        b_lo, b_hi = b["lo"] if b["lo"] is not None else b["x"], b["hi"] if b["hi"] is not None else b["x"]
        end_a = a["end"] if a["end"] is not None else a_hi
        shortest, longest = (b_lo - end_a) / YEAR_MS, (b_hi - a_lo) / YEAR_MS
        if shortest >= SILENCE_YEARS:
            found.append((end_a, b_lo, shortest, longest))
    return found


def _silence_y(items: list[dict], centres: list[float], heights: list[float], start: float, end: float) -> float:
    """The middle of the free space between the rows that bound a silence."""
    before = [(c, h) for i, c, h in zip(items, centres, heights, strict=True) if i["x"] <= start]
    after = [(c, h) for i, c, h in zip(items, centres, heights, strict=True) if i["x"] >= end]
    top = before[-1][0] + before[-1][1] / 2 if before else 0.0
    bottom = after[0][0] - after[0][1] / 2 if after else top + SILENCE_PX
    return (top + bottom) / 2


def _silence_text(shortest: float, longest: float) -> str:
    """In the gap analysis's one wording (shorter bound rounded down, longer up), from years to whole days."""
    day = 86_400_000 / YEAR_MS  # a day, in years
    return f"{span(math.floor(shortest / day), math.ceil(longest / day))} with no event on this chart"


def vertical_timeline(
    events: pd.DataFrame,
    *,
    case: schema.Case,
    context: schema.Context | None = None,
    show_context: bool = True,
    selected: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
) -> go.Figure:
    """One case down the page, for a narrow screen; ``events`` as for :func:`timelines.figures.case_timeline`."""
    keep = (events["case_id"] == case.id) & (events["layer"] == "case")
    if show_context:
        keep |= events["layer"] == "context"
    rows = events[keep]
    items = plan(rows)
    given = {}  # an event's own short label, where the data give one (schema.Event.label)
    for model, layer in ((case, "case"), (context if show_context else None, "context")):
        for event in (model.events if model else []):
            if getattr(event, "label", None):
                given[event.id if layer == "case" else f"context:{event.id}"] = event.label
    for item in items:
        item["label"] = given.get(item["key"])
    items.sort(key=lambda i: (i["x"], i["layer"] != "case"))
    found = findings_by_event(case, context if show_context else None)
    n_case = sum(1 for i in items if i["layer"] == "case")

    # Each event its own row, in time order; the rows spaced by the time between them (see rows_px).
    labels = []
    for i in items:
        missed = bool(i["missed_opportunity"])
        lines, when = label_lines(i, missed)
        labels.append((i, lines, when, missed))
    heights = [(len(lines) + len(when)) * LINE_PX for _, lines, when, _ in labels]
    times = [i["x"] for i in items]
    centres = rows_px(times, heights)
    for i, centre in zip(items, centres, strict=True):
        i["row_px"] = centre
    plot_px = int(centres[-1] + heights[-1] / 2 + GAP_PX) if items else 200

    def at(t: float) -> float:
        return position(t, times, centres)

    annotations, shapes = [], [
        dict(type="line", xref="x", x0=0, x1=0, yref="y", y0=0, y1=plot_px, layer="below",
             line=dict(color=theme.GRID, width=3)),
    ]
    for (i, lines, when, missed), centre in zip(labels, centres, strict=True):
        colour = theme.MISSED if missed else theme.INK
        text = "<br>".join(f"<b>{_esc(line)}</b>" for line in lines)
        text += "".join(f"<br><span style='font-size:{TAG_SIZE}px;color:{theme.MUTED}'>{_esc(line)}</span>"
                        for line in when)
        annotations.append(dict(
            name=f"label:{i['key']}", text=text, x=0, y=centre, xref="x", yref="y", xshift=OFFSET_PX,
            xanchor="left", yanchor="middle", align="left", showarrow=False,
            font=dict(size=LABEL_SIZE, color=colour if i["layer"] == "case" else theme.MUTED),
        ))
        family = FAMILY_BY_ID[i["family"]].colour
        if i["end"] is not None:  # a span (time in Channel): a solid bar down the spine to its end
            y0, y1 = centre, max(at(i["end"]), centre + 6)
            shapes.append(dict(type="rect", xref="x", yref="y", x0=-0.07, x1=0.07, y0=y0, y1=y1, layer="below",
                               fillcolor=family, opacity=0.6, line=dict(color=family, width=1),
                               name=f"span:{i['key']}"))
    broken: list[tuple[float, float]] = []  # (top, bottom) in page px of each shortened stretch
    for n, (start, end, shortest, longest) in enumerate(_silences(items)):
        gap_top = max((i["row_px"] for i in items if i["x"] <= start), default=0.0)
        gap_bottom = min((i["row_px"] for i in items if i["x"] >= end), default=plot_px)
        middle = _silence_y(items, centres, heights, start, end)
        broken.append((gap_top, gap_bottom))
        shapes.append(dict(type="line", xref="x", x0=0, x1=0, yref="y", y0=gap_top, y1=gap_bottom, layer="below",
                           line=dict(color=theme.MUTED, width=2, dash="dot")))
        shapes += break_shapes(middle, str(n))
        annotations.append(dict(
            name="silence", text=f"<i>{_silence_text(shortest, longest)}</i><br>{BREAK_NOTE}", x=0,
            xshift=OFFSET_PX, y=middle, xref="x", yref="y", xanchor="left", yanchor="middle", align="left",
            showarrow=False, font=dict(size=TAG_SIZE, color=theme.MUTED),
        ))
    ticks: list[tuple[float, str]] = []
    if items:
        for year in range(pd.Timestamp(times[0] * 1e6).year + 1, pd.Timestamp(times[-1] * 1e6).year + 1):
            y = at((pd.Timestamp(year, 1, 1) - pd.Timestamp(0)) / pd.Timedelta(milliseconds=1))
            if any(top < y < bottom for top, bottom in broken):
                continue  # no year mark inside a break: the spine is not to scale there
            if not ticks or y - ticks[-1][0] >= MIN_TICK_PX:
                ticks.append((y, str(year)))

    for i in items:
        i["hover"] = hover_text(i, found.get(i["key"], ()))
    data = []
    for exact in (True, False):
        part = [i for i in items if (i["shape"] == "point") == exact]
        if not part:
            continue
        colours = [FAMILY_BY_ID[i["family"]].colour for i in part]
        data.append(dict(
            type="scatter", mode="markers", name="Date known to the day" if exact else "Date known within a period",
            x=[0] * len(part), y=[i["row_px"] for i in part], customdata=[i["key"] for i in part],
            hovertext=[i["hover"] for i in part], hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
            cliponaxis=False,  # the spine runs near the plot's left edge: a marker is never cut in half
            marker=dict(symbol=[FAMILY_SYMBOLS[i["family"]] for i in part], size=MARKER,
                        color=colours if exact else ["white"] * len(part),
                        line=dict(color=["white" if exact else c for c in colours], width=1.2 if exact else 2.2)),
            meta={"role": "event"},
        ))
    for role, part in (("missed", [i for i in items if i["missed_opportunity"]]),
                       ("selected", [i for i in items if i["key"] == selected])):
        if part:
            data.append(dict(
                type="scatter", mode="markers", x=[0] * len(part), y=[i["row_px"] for i in part], hoverinfo="skip",
                showlegend=False, name=role, cliponaxis=False,
                marker=dict(symbol="circle-open" if role == "missed" else "square-open",
                            size=MARKER * 2 - 1 if role == "missed" else MARKER * 2 + 5,
                            color=theme.MISSED if role == "missed" else theme.SELECTED,
                            line=dict(width=3 if role == "missed" else 2)),
                meta={"role": role, "keys": [i["key"] for i in part]},
            ))

    years = (f"{pd.Timestamp(min(times) * 1e6).year}–{pd.Timestamp(max(times) * 1e6).year}" if items
             else "no events")
    title = title or case.title
    subtitle = subtitle or (f"{n_case} event{'s' if n_case != 1 else ''}, {years}, earliest at the top. Hollow "
                            "markers: dates known only to the month, year or a range.")
    source = source or SOURCE
    framed = _frame(title, subtitle, source, plot_px, annotations)
    layout = {
        **framed, "showlegend": False, "dragmode": False, "hovermode": "closest", "template": theme.template_dict(),
        "shapes": shapes,
        "margin": {**framed["margin"], "l": 40, "r": 6},
        "xaxis": dict(range=[-0.25, 10], visible=False, fixedrange=True),
        "yaxis": dict(range=[plot_px, 0], fixedrange=True, showgrid=True, gridcolor=theme.GRID, griddash="dot",
                      tickmode="array", tickvals=[y for y, _ in ticks], ticktext=[t for _, t in ticks], ticks="",
                      showline=False, zeroline=False, tickfont=dict(size=12, color=theme.MUTED)),
        "meta": {**framed["meta"], "compact": True, "vertical": True, "plot_px": plot_px},
    }
    return go.Figure(data=data, layout=layout, _validate=False)


def _frame(title: str, subtitle: str, source: str, plot_px: int, annotations: list[dict]) -> dict:
    """The shared frame (title block, source line), its text wrapped narrower to fit a 320 px screen."""
    title_wrap, subtitle_wrap, source_wrap = FRAME_WRAP
    title_lines, subtitle_lines = theme.wrap(title, title_wrap), theme.wrap(subtitle, subtitle_wrap)
    source_lines = theme.wrap(f"Source: {source}", source_wrap)
    block = theme.TITLE_PAD[True] + (len(title_lines) + len(subtitle_lines)) * theme.LINE_PX
    bottom = len(source_lines) * (theme.SOURCE_SIZE + 4) + 24
    framed = theme.frame_layout(title=title, subtitle=subtitle, source=source, compact=True,
                                height=block + TOP_GAP_PX + plot_px + bottom, annotations=annotations)
    text = [f"<span style='font-size:{theme.TITLE_SIZE}px'><b>{_esc(line)}</b></span>" for line in title_lines]
    text += [f"<span style='font-size:{theme.SUBTITLE_SIZE}px;color:{theme.MUTED}'>{_esc(line)}</span>"
             for line in subtitle_lines]
    framed["title"] = {**framed["title"], "text": "<br>".join(text)}
    framed["margin"] = {**framed["margin"], "t": block + TOP_GAP_PX, "b": bottom}
    for note in framed["annotations"]:
        if note.get("name") == "source-line":
            note.update(text="<br>".join(_esc(line) for line in source_lines), yshift=-10)
    return framed
