"""Figures of the gap analysis: the interval strip, the pathway steps, repeat referrals, commitments.

Each takes the frames :mod:`timelines.gaps` makes and returns a framed ``go.Figure`` (title, subtitle
and source line inside it) that stands alone in a screenshot. Colour never carries meaning alone:
event kinds differ by shape, pathway statuses by symbol and a text label, commitments by a text label.

Traces and layout are plain dicts, checked by the tests (tests/test_gap_figures.py validates every
figure), and the figure is made without Plotly's validation, which cost most of a 1,000-case build.

``compact=True`` gives each figure's phone layout (a plot of 300 px or more at a 390 px screen, nothing
cut at 320 px, no text under 12 px): text wraps to the width, axis labels move into the chart or the
subtitle, and the pathway and the commitments run down the page, one row per step or commitment, with
their names above their rows. A legend, where a phone needs one, comes after the chart.
"""

from __future__ import annotations

import html
import itertools

import pandas as pd
import plotly.graph_objects as go

from . import gaps, theme
from .analysis.table import day_diff, midpoint
from .analysis.wording import short_title
from .theme import GRID, INK, MUTED, wrap
from .vocab import FAMILY_BY_ID, FAMILY_SYMBOLS, KIND_BY_ID

# Exported images stand alone: the source line names the kind of documents (or, given ``source=``,
# the documents themselves), never a file of the repository or a table beside the chart.
SOURCE = "official statements, learning reviews, court reports and news reports, cited event by event"
COMMITMENT_SOURCE = "government statements and official reports, cited commitment by commitment"
PATHWAY_SOURCE = ("the pathway as official guidance and statements describe it (Counter-Terrorism and Security "
                  "Act 2015, written answers); the events as the case's sources report them")
TEXT_PX = 14  # no chart text under 14 px: it still reads at a third of a 1280 x 720 slide
COMPACT_PX = 13  # a phone's chart text (12 px at the least, over the 11 px floor)
SMALL_PX = 12
GAP_COLOUR = "#3D3D3D"  # afcharts dark grey
WINDOW_COLOUR = "#B1B4B6"  # GOV.UK mid grey: the span a month, year or range allows (a light fill)
WINDOW_EDGE = "#6F777B"  # its outline: 4.5:1 on white, so the window is seen (WCAG 1.4.11)
WINDOW_OPACITY = 0.4
STATUS_COLOURS = {
    "found": "#12436D", "late": "#C2510F", "missing": "#801650", "skipped": "#801650",
    "not_reached": "#6F777B", "not_taken": "#6F777B",
}
# A phone's pathway writes each status as a short tag beside its marker.
STATUS_TAGS = {"found": "Happened", "late": "Late", "missing": "Missing", "skipped": "Skipped",
               "not_reached": "Not reached", "not_taken": "Not taken"}
COMMITMENT_COLOURS = {
    "delivered": "#12436D", "delivered_late": "#12436D", "overdue": "#801650", "open": "#1F8A80",
    "no_deadline": "#6F777B",
}
NAME_WIDTH, NAME_LINES = 40, 2  # a commitment's name on the axis: at most two lines, shortened with '…'
COMPACT_TITLE_WRAP = 25  # characters of a phone's bold 20 px title line
COMPACT_WIDTH = 34  # characters of 13 px text across a 320 px screen's chart
LINE_PX = 17  # a line of 13 px text in a phone's rows
LEGEND_ROW_PX = 21  # a row of a phone's legend, under the chart

COMMITMENT_SYMBOLS = {
    "delivered": "star", "delivered_late": "star-open", "overdue": "x", "open": "circle-open",
    "no_deadline": "line-ew-open",
}
CASE_STYLES = (("#12436D", "circle", "solid"), ("#C2510F", "square", "dash"), ("#1F8A80", "diamond", "dot"),
               ("#801650", "triangle-up", "dashdot"))


def _esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _br(text: str, width: int) -> str:
    return "<br>".join(_esc(line) for line in wrap(text, width))


def _values(series) -> list:
    """A column as a plain list for a figure dict (missing values as None)."""
    return [None if pd.isna(v) else v for v in series]


def _ms(delta: pd.Series) -> list:
    return _values(delta.dt.total_seconds() * 1000)


def _mids(earliest: pd.Series, latest: pd.Series) -> list:
    """The middle of each date window (an open side falls back to the other)."""
    return [midpoint(a, b) for a, b in zip(earliest, latest, strict=True)]


def short_lines(text: str, width: int = NAME_WIDTH, lines: int = NAME_LINES) -> str:
    """Text wrapped to at most ``lines`` lines of ``width`` characters, shortened with '…' (rich text)."""
    parts = wrap(text, width)
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip(" ,;:") + "…"
    return "<br>".join(_esc(p) for p in parts)


def _legend_below(entries: int) -> tuple[dict, int]:
    """A phone's legend: one entry a row, after the chart (under the source line), and the room it takes."""
    # horizontal, a whole row an entry: a vertical legend would push the plot aside to make room for itself
    return dict(theme.LEGEND_BELOW, font=dict(size=COMPACT_PX)), entries * LEGEND_ROW_PX + 8


def _figure(data: list[dict], layout: dict, *, title: str, subtitle: str, source: str, height: int,
            compact: bool, axis_title: bool = False, legend_px: int = 0) -> go.Figure:
    """The framed figure: title block, source line and template around ``data`` and ``layout``."""
    framed = theme.frame_layout(title=title, subtitle=subtitle, source=source, height=height,
                                annotations=layout.pop("annotations", []), axis_title=axis_title, compact=compact)
    if compact:  # bold 20 px titles need a narrower wrap than the theme's to fit a 320 px screen (WCAG 1.4.10)
        extra = (len(wrap(title, COMPACT_TITLE_WRAP)) - len(wrap(title, theme.WRAP[True][0]))) * theme.LINE_PX
        kept = framed["title"]["text"].split("<br>")[len(wrap(title, theme.WRAP[True][0])):]
        lines = [f"<span style='font-size:{theme.TITLE_SIZE}px'><b>{_esc(line)}</b></span>"
                 for line in wrap(title, COMPACT_TITLE_WRAP)]
        framed["title"] = {**framed["title"], "text": "<br>".join(lines + kept)}
        framed["margin"]["t"] += extra
        framed["height"] += extra
    margin = {**framed["margin"], **layout.pop("margin", {})}
    margin["b"] += legend_px
    legend = {**framed["legend"], **layout.pop("legend", {})}
    layout = {**framed, **layout, "margin": margin, "legend": legend, "template": theme.template_dict()}
    layout["meta"] = {**framed["meta"], "compact": compact}
    return go.Figure(data=data, layout=theme.held_still(layout) if compact else layout, _validate=False)


def _plot_height(plot_px: int, title: str, subtitle: str, source: str, *, compact: bool,
                 axis_title: bool = False, legend_px: int = 0) -> int:
    """The figure height that leaves exactly ``plot_px`` for the plot."""
    return (theme.title_block_px(title, subtitle, compact=compact) + 26 + plot_px
            + theme.bottom_px(source, axis_title=axis_title, compact=compact) + legend_px)


# --- the interval strip ------------------------------------------------------------------------------

def _gap_labels(top: pd.DataFrame, span: pd.Timedelta, x_range: tuple, *, compact: bool) -> list[dict]:
    """The longest gaps' ranges written under the strip, numbered by rank.

    On a desktop, labels closer than a sixth of the axis drop a row so they never print over each other;
    on a phone each has its own row, on a leader line up to its gap, anchored so it stays in the chart.
    """
    notes = []
    placed: list[tuple[pd.Timestamp, int]] = []
    left, right = x_range
    for rank, row in enumerate(top.itertuples(), start=1):
        middle = row.from_latest + (row.to_earliest - row.from_latest) / 2
        text = f"{rank}. {_esc(row.label)}"
        if compact:
            where = (middle - left) / (right - left) if right > left else 0.5
            notes.append(dict(
                x=middle, y="Gaps", text=text, showarrow=True, arrowhead=0, ax=0, ay=30,
                yanchor="top", font=dict(size=COMPACT_PX, color=INK), arrowcolor=MUTED, arrowwidth=1,
                _where=where,
            ))
            continue
        level = 0
        while any(abs(middle - x) < span / 6 and lv == level for x, lv in placed):
            level += 1
        placed.append((middle, level))
        notes.append(dict(
            x=middle, y=-0.22, text=text, showarrow=level > 0, ax=0, ay=0,
            yshift=-4 - 20 * level, font=dict(size=TEXT_PX, color=INK), xanchor="center", yanchor="top",
            arrowcolor=MUTED, arrowwidth=1,
        ))
    return _stack(notes) if compact else notes


PHONE_PLOT_PX = 270  # the narrowest phone plot (a 320 px screen): labels are fitted to it


def _stack(notes: list[dict]) -> list[dict]:
    """A phone's gap labels, one row each, ordered and anchored so that no leader line runs through a
    label above it and no label leaves the plot (its width estimated from its characters)."""
    def span(note: dict, anchor: str) -> tuple[float, float]:
        width = len(html.unescape(note["text"])) * 7.2 / PHONE_PLOT_PX
        start = {"left": 0.0, "center": -width / 2, "right": -width}[anchor] + note["_where"]
        return start, start + width

    anchors = [[a for a in ("center", "left", "right") if span(n, a)[0] >= -0.02 and span(n, a)[1] <= 1.02]
               or ["left" if n["_where"] < 0.5 else "right"] for n in notes]
    best = None
    for order in itertools.permutations(range(len(notes))):
        for choice in itertools.product(*(anchors[i] for i in order)):
            spans = [span(notes[i], a) for i, a in zip(order, choice, strict=True)]
            if all(not (spans[r][0] - 0.02 <= notes[order[q]]["_where"] <= spans[r][1] + 0.02)
                   for r in range(len(order)) for q in range(r + 1, len(order))):
                best = (order, choice)
                break
        if best:
            break
    order, choice = best or (tuple(range(len(notes))), tuple(anchors[i][0] for i in range(len(notes))))
    out = []
    for row, (i, anchor) in enumerate(zip(order, choice, strict=True)):
        note = {k: v for k, v in notes[i].items() if k != "_where"}
        out.append({**note, "xanchor": anchor, "ay": 30 + 22 * row})
    return sorted(out, key=lambda n: n["text"])  # by rank, as the desktop lists them


def interval_strip(events: pd.DataFrame, intervals: pd.DataFrame, *, case_title: str, n_labels: int = 3,
                   contacts_only: bool = True, source: str | None = None, compact: bool = False) -> go.Figure:
    """A case's events on a strip, with the gaps between them drawn under it and the longest labelled.

    ``events`` are the case's rows of the event table (already filtered to contacts if wanted);
    ``intervals`` is :func:`gaps.intervals` of the same rows. Each event is a marker (shape by kind,
    colour by family) over a translucent bar spanning the window its date allows; each gap is a bar
    over the time that is certainly empty, with the range the dates allow written over the longest.
    """
    rows = gaps.ordered(events)
    data: list[dict] = []
    starts, ends = rows["earliest"].fillna(rows["latest"]), rows["latest"].fillna(rows["earliest"])
    wide = (ends - starts) > pd.Timedelta(days=1)
    if wide.any():
        data.append(dict(
            type="bar", orientation="h", y=["Events"] * int(wide.sum()), base=_values(starts[wide]),
            x=_ms(ends[wide] - starts[wide]), width=0.5,
            marker=dict(color="rgba(177,180,182,0.45)", line=dict(color=WINDOW_EDGE, width=1.5)),
            name="Date window (month, year or range)", hoverinfo="skip", showlegend=True,
        ))
    xs = _mids(rows["earliest"], rows["latest"])
    for family_id, group in rows.groupby("family", sort=False):
        fam = FAMILY_BY_ID[family_id]
        where = [rows.index.get_loc(i) for i in group.index]
        data.append(dict(
            type="scatter", x=[xs[i] for i in where], y=["Events"] * len(group), mode="markers", name=fam.label,
            marker=dict(color=fam.colour, size=12 if compact else 14, symbol=FAMILY_SYMBOLS[family_id],
                        line=dict(color="white", width=1)),
            customdata=list(group["event_id"]),
            hovertext=[f"<b>{_esc(t)}</b><br>{_esc(d)}<br>{_esc(KIND_BY_ID[k].label)}"
                       for t, d, k in zip(group["title"], group["date_label"], group["kind"], strict=True)],
            hoverinfo="text",
        ))
    certain = intervals[intervals["min_days"].fillna(0) > 0]
    if len(certain):
        data.append(dict(
            type="bar", orientation="h", y=["Gaps"] * len(certain), base=_values(certain["from_latest"]),
            x=_ms(certain["to_earliest"] - certain["from_latest"]), width=0.35,
            marker=dict(color=GAP_COLOUR, line=dict(width=0)), name="Time certainly without an event",
            hovertext=[f"{_esc(a)} → {_esc(b)}<br><b>{_esc(label)}</b>"
                       for a, b, label in zip(certain["from_title"], certain["to_title"], certain["label"],
                                              strict=True)],
            hoverinfo="text",
        ))
    top = gaps.longest(intervals, n=n_labels)
    top = top[top["min_days"].fillna(0) > 0]
    span = (ends.max() - starts.min()) if len(rows) else pd.Timedelta(days=1)
    x_range = (starts.min(), ends.max()) if len(rows) else (pd.Timestamp(0), pd.Timestamp(1))
    layout = dict(
        annotations=_gap_labels(top, span, x_range, compact=compact), barmode="overlay", bargap=0,
        yaxis=dict(type="category", categoryorder="array", categoryarray=["Gaps", "Events"],
                   range=[-1.6 - 0.35 * max(len(top) - 1, 0), 1.5] if compact else [-1.6, 1.5],
                   tickfont=dict(size=TEXT_PX), showticklabels=not compact),
        xaxis=dict(type="date", showgrid=True, gridcolor=GRID,
                   **(dict(tickfont=dict(size=SMALL_PX), nticks=5) if compact else {})),
        hovermode="closest",
    )
    if len(top):
        first = top.iloc[0]
        title = f"Longest silence: {first['label']}"
        lead = f"from “{first['from_title']}” to “{first['to_title']}”. "
    else:
        title, lead = "No gap between events is certain from the dates", ""
    scope = "contacts with public services and the attack" if contacts_only else "every recorded event"
    if compact:  # the rows are named here, not beside the strip, so the plot keeps the phone's width
        subtitle = (f"{short_title(case_title)}: {scope}. Top row: the events. Under it, dark bars: time "
                    "certainly without an event; labels: the range the dates allow.")
        legend, legend_px = _legend_below(sum(1 for t in data if t.get("showlegend", True)))
        layout.update(legend=legend, margin=dict(l=8, r=8))
        height = _plot_height(220 + 22 * max(len(top) - 1, 0), title, subtitle, source or SOURCE,
                              compact=True, legend_px=legend_px)
    else:
        subtitle = (f"{case_title}: {scope}. Longest gap {lead}Dark bars: time certainly without an event; "
                    f"labels: the range the dates allow.")
        legend_px, height = 0, 460
    return _figure(data, layout, title=title, subtitle=subtitle, source=source or SOURCE, height=height,
                   compact=compact, legend_px=legend_px)


# --- the pathway step diagram ---------------------------------------------------------------------------

def _pathway_title(conformance: pd.DataFrame) -> str:
    episodes = conformance["episode"].nunique()
    skipped = conformance[conformance["status"] == "skipped"]
    missing = conformance[conformance["status"] == "missing"]
    late = conformance[conformance["status"] == "late"]
    if len(skipped) == episodes and skipped["step_title"].nunique() == 1:
        step = skipped["step_title"].iloc[0]
        if episodes == 1:
            return f"The case was closed before “{step}”"
        return f"All {episodes} referrals closed before “{step}”"
    if len(missing):
        names = ", ".join(f"“{t}”" for t in dict.fromkeys(missing["step_title"]))
        return f"Missing from the expected pathway: {names}"
    if len(skipped):
        return f"{len(skipped)} of {episodes} referrals closed before the Channel pathway"
    if len(late):
        return f"{len(late)} step{'s' if len(late) > 1 else ''} later than the pathway expects"
    return "Every expected step is recorded"


def _pathway_hover(row, status) -> str:
    text = f"<b>{_esc(row.step_title)}</b>: {_esc(status.label)}"
    if row.event_title:
        text += f"<br>{_esc(row.event_title)} ({_esc(row.date_label)})"
    if row.after_previous:
        text += f"<br>{_esc(row.after_previous)}"
    if row.note:
        text += f"<br>{_br(row.note, 60)}"
    if row.finding:
        text += (f"<br><i>{_br(row.finding, 60)}</i>"
                 f"<br>{_esc(row.finding_by)}, {_esc(row.finding_date)}")
    return text


def _path_line(rows: pd.DataFrame, place) -> list:
    """The places of the steps that happened, broken (None) at a missing or skipped step; a branch not
    taken is stepped over: it was never on this path."""
    xs: list = []
    for row in rows.itertuples():
        if row.status in ("found", "late"):
            xs.append(place(row.step_title))
        elif row.status != "not_taken" and xs and xs[-1] is not None:
            xs.append(None)
    return xs


def pathway_steps(conformance: pd.DataFrame, *, case_title: str, source: str | None = None,
                  compact: bool = False) -> go.Figure:
    """Expected steps (across) against what happened in each referral (down), one symbol per status.

    ``conformance`` is :func:`gaps.conformance` for one case. A line joins the steps that happened;
    each marker carries its status in words under it as well as by symbol. ``compact`` turns it for a
    phone: the steps run down the page, each named above its row, one column per referral, and each
    status is a short tag beside its marker.
    """
    if compact:
        return _pathway_compact(conformance, case_title=case_title, source=source)
    steps = list(dict.fromkeys(conformance["step_title"]))
    x_labels = {t: _br(t, 14) for t in steps}
    episodes = list(dict.fromkeys(conformance["episode_label"]))
    data: list[dict] = []
    for label in episodes:
        xs = _path_line(conformance[conformance["episode_label"] == label], x_labels.get)
        data.append(dict(
            type="scatter", x=xs, y=[label] * len(xs), mode="lines", connectgaps=False,
            line=dict(color=STATUS_COLOURS["found"], width=2), hoverinfo="skip", showlegend=False,
        ))
    for status in gaps.STATUSES:
        rows = conformance[conformance["status"] == status.id]
        if rows.empty:
            continue
        data.append(dict(
            type="scatter", x=[x_labels[t] for t in rows["step_title"]], y=list(rows["episode_label"]),
            mode="markers+text", name=status.label, text=[status.label.split(":")[0]] * len(rows),
            textposition="bottom center", textfont=dict(size=TEXT_PX, color=MUTED),
            marker=dict(symbol=status.symbol, size=16, color=STATUS_COLOURS[status.id],
                        line=dict(width=2, color=STATUS_COLOURS[status.id])),
            customdata=list(rows["step_id"]), hovertext=[_pathway_hover(r, status) for r in rows.itertuples()],
            hoverinfo="text",
        ))
    # The step names head their columns inside the plot, above the first referral: as tick labels
    # they would need room that depends on how many lines each wraps to.
    headers = [dict(x=x_labels[t], y=len(episodes) - 0.55, xref="x", yref="y", text=_br(t, 13),
                    showarrow=False, yanchor="bottom", font=dict(size=TEXT_PX, color=INK)) for t in steps]
    layout = dict(
        annotations=headers,
        xaxis=dict(type="category", categoryorder="array", categoryarray=[x_labels[t] for t in steps],
                   showgrid=False, showticklabels=False, ticks="", showline=False),
        yaxis=dict(type="category", categoryorder="array", categoryarray=list(reversed(episodes)),
                   range=[-0.6, len(episodes) + 0.45], showline=False),
        hovermode="closest",
    )
    subtitle = (f"{case_title}: each referral against the expected Prevent and Channel pathway, "
                "step by step: what happened, what was skipped and what was never reached.")
    return _figure(data, layout, title=_pathway_title(conformance), subtitle=subtitle,
                   source=source or PATHWAY_SOURCE, height=330 + 70 * len(episodes), compact=False)


def _status_tag(statuses: list[str]) -> str:
    """A step's statuses across the referrals in words: 'Happened', 'All 3: Skipped', '1, 2: Happened · 3: Late'."""
    if len(statuses) == 1:
        return STATUS_TAGS[statuses[0]]
    if len(set(statuses)) == 1:
        return f"All {len(statuses)}: {STATUS_TAGS[statuses[0]]}"
    groups: dict[str, list[str]] = {}
    for i, status in enumerate(statuses, start=1):
        groups.setdefault(status, []).append(str(i))
    return " · ".join(f"{', '.join(nums)}: {STATUS_TAGS[status]}" for status, nums in groups.items())


def _pathway_compact(conformance: pd.DataFrame, *, case_title: str, source: str | None) -> go.Figure:
    """The phone's pathway: the steps down the page (y in pixels from the plot's top), one spine per referral
    at the left, and each step's name with its status in words to the right of the spines."""
    steps = list(dict.fromkeys(conformance["step_title"]))
    episodes = list(dict.fromkeys(conformance["episode_label"]))
    spine = {e: 0.035 + 0.075 * i for i, e in enumerate(episodes)}  # x as a fraction of the plot's width
    text_x = 0.035 + 0.075 * (len(episodes) - 1) + 0.06
    width = COMPACT_WIDTH - 7 - 3 * (len(episodes) - 1)  # characters to the right of the spines
    notes: list[dict] = []
    y = 0.0
    if len(episodes) > 1:  # number the spines, and say which referral each number is
        notes += [dict(x=spine[e], y=0, xref="x", yref="y", xanchor="center", yanchor="top", showarrow=False,
                       text=f"<b>{i}</b>", font=dict(size=SMALL_PX, color=INK)) for i, e in enumerate(episodes, 1)]
        y = LINE_PX + 8
    centre: dict[str, float] = {}
    status_of = {(r.step_title, r.episode_label): r.status for r in conformance.itertuples()}
    for step in steps:
        lines = wrap(step, width)
        centre[step] = y + LINE_PX / 2
        tag = _status_tag([status_of[(step, e)] for e in episodes if (step, e) in status_of])
        notes.append(dict(x=text_x, y=y, xref="x", yref="y", xanchor="left", yanchor="top", align="left",
                          showarrow=False, font=dict(size=COMPACT_PX, color=INK),
                          text="<br>".join(_esc(s) for s in lines)
                               + f"<br><span style='font-size:{SMALL_PX}px;color:{MUTED}'>{_esc(tag)}</span>"))
        y += len(lines) * LINE_PX + LINE_PX + 14
    data: list[dict] = []
    for label in episodes:
        ys = _path_line(conformance[conformance["episode_label"] == label], centre.get)
        data.append(dict(
            type="scatter", x=[spine[label] if v is not None else None for v in ys], y=ys, mode="lines",
            connectgaps=False, line=dict(color=STATUS_COLOURS["found"], width=2), hoverinfo="skip",
            showlegend=False,
        ))
    for status in gaps.STATUSES:
        rows = conformance[conformance["status"] == status.id]
        if rows.empty:
            continue
        data.append(dict(
            type="scatter", x=[spine[e] for e in rows["episode_label"]], y=[centre[t] for t in rows["step_title"]],
            mode="markers", name=status.label, showlegend=False,
            marker=dict(symbol=status.symbol, size=13, color=STATUS_COLOURS[status.id],
                        line=dict(width=2, color=STATUS_COLOURS[status.id])),
            customdata=list(rows["step_id"]), hovertext=[_pathway_hover(r, status) for r in rows.itertuples()],
            hoverinfo="text", cliponaxis=False,
        ))
    layout = dict(
        annotations=notes, showlegend=False, margin=dict(l=8, r=8),
        xaxis=dict(range=[0, 1], showgrid=False, showticklabels=False, ticks="", showline=False, zeroline=False,
                   fixedrange=True),
        yaxis=dict(range=[y, 0], showgrid=False, showticklabels=False, ticks="", showline=False, zeroline=False,
                   fixedrange=True),
        hovermode="closest",
    )
    title = _pathway_title(conformance)
    if len(episodes) > 1:
        which = "; ".join(f"{i}: {e.split(': ', 1)[-1]}" for i, e in enumerate(episodes, 1))
        subtitle = (f"{short_title(case_title)}: each referral (numbered lines: {which}) against the expected "
                    "Prevent and Channel pathway, its steps down the page.")
    else:
        subtitle = (f"{short_title(case_title)}: the referral ({episodes[0].split(': ', 1)[-1]}) against the "
                    "expected Prevent and Channel pathway, its steps down the page.")
    height = _plot_height(int(y), title, subtitle, source or PATHWAY_SOURCE, compact=True)
    return _figure(data, layout, title=title, subtitle=subtitle, source=source or PATHWAY_SOURCE, height=height,
                   compact=True)


# --- cumulative referrals -------------------------------------------------------------------------------

def cumulative_referrals(referrals: pd.DataFrame, *, case_titles: dict[str, str] | None = None,
                         source: str | None = None, compact: bool = False) -> go.Figure:
    """The running count of referrals to Prevent for each case, as a step line over time.

    Each referral's marker sits in the middle of its date window, with the window drawn as a bar;
    the count is also written beside the last marker, so cases differ by label, shape and dash.
    """
    titles = case_titles or {}
    first, last = referrals["earliest"].min(), referrals["latest"].max()
    pad = (last - first) * 0.04 if len(referrals) else pd.Timedelta(days=30)
    x_range = [first - pad, last + (pad * 2 if compact else pad * 5)]
    data: list[dict] = []
    for i, (case_id, group) in enumerate(referrals.groupby("case_id", sort=True)):
        colour, symbol, dash = CASE_STYLES[i % len(CASE_STYLES)]
        short = short_title(titles.get(case_id, case_id)) or case_id
        xs = _mids(group["earliest"], group["latest"])
        data.append(dict(
            type="bar", orientation="h", y=list(group["count"]), base=_values(group["earliest"]),
            x=_ms(group["latest"] - group["earliest"]), width=0.25,
            marker=dict(color=_rgba(colour, WINDOW_OPACITY), line=dict(color=colour, width=1.5)), hoverinfo="skip",
            showlegend=False, name=f"{short}: date windows",
        ))
        # On a phone the count is written above the last marker, towards the middle of the chart.
        side = "middle right"
        if compact:
            right = len(xs) and xs[-1] is not None and xs[-1] > x_range[0] + (x_range[1] - x_range[0]) / 2
            side = "top left" if right else "top right"
        data.append(dict(
            type="scatter", x=xs, y=list(group["count"]), mode="lines+markers+text", cliponaxis=False,
            line=dict(shape="hv", color=colour, dash=dash),
            marker=dict(symbol=symbol, size=12, color=colour), name=short, showlegend=not compact,
            text=["" if j < len(group) - 1 else f"{short}: {n}" for j, n in enumerate(group["count"])],
            textposition=side, textfont=dict(color=INK, size=COMPACT_PX if compact else TEXT_PX),
            customdata=list(group["event_id"]),
            hovertext=[f"<b>{_esc(t)}</b><br>{_esc(d)}"
                       + (f"<br>{_esc(s)} after the previous one" if s else "")
                       + (f"<br>aged {a}" if not pd.isna(a) else "")
                       for t, d, s, a in zip(group["title"], group["date_label"], group["since_previous"],
                                             group["age"], strict=True)],
            hoverinfo="text",
        ))
    most = referrals.groupby("case_id")["count"].max() if len(referrals) else pd.Series(dtype=int)
    if len(most) and most.max() > 1:
        case_id = most.idxmax()
        rows = referrals[referrals["case_id"] == case_id]
        span = gaps.describe_span(  # an open bound ("before", "after") stays open
            day_diff(rows["earliest"].iloc[-1], rows["latest"].iloc[0]),
            day_diff(rows["latest"].iloc[-1], rows["earliest"].iloc[0]))
        title = f"{short_title(titles.get(case_id, case_id)) or case_id}: {most.max()} referrals, first to last {span}"
    else:
        title = "One referral to Prevent in each case"
    top = int(most.max()) if len(most) else 1
    small = dict(tickfont=dict(size=SMALL_PX)) if compact else {}
    layout = dict(
        barmode="overlay", xaxis=dict(type="date", range=x_range, **small, **(dict(nticks=5) if compact else {})),
        yaxis=dict(title=dict(text="" if compact else "Referrals so far"), dtick=1, range=[0.5, top + 0.6],
                   showgrid=True, gridcolor=GRID, **small),
        hovermode="closest",
    )
    subtitle = ("Running count of referrals to Prevent; shaded bars show the month each referral's "
                "date allows.")
    if compact:
        subtitle = "Running count of referrals to Prevent (up the side); shaded bars: the month each date allows."
        layout.update(showlegend=False, margin=dict(l=8, r=8))
        height = _plot_height(260, title, subtitle, source or SOURCE, compact=True)
    else:
        height = 420
    return _figure(data, layout, title=title, subtitle=subtitle, source=source or SOURCE, height=height,
                   compact=compact)


# --- the commitments tracker -----------------------------------------------------------------------------

def _commitment_end(row, now: pd.Timestamp) -> pd.Timestamp:
    """Where a commitment's line ends: its deadline (or the horizon), stretched to a later delivery."""
    end = row.due_end if not pd.isna(row.due_end) else now
    if not pd.isna(row.delivered_start):
        end = max(end, row.delivered_start) if not pd.isna(row.due_end) else row.delivered_start
    return end


def _commitment_mark(row, now: pd.Timestamp) -> pd.Timestamp:
    """Where a commitment's marker sits: its delivery, else its deadline, else the horizon."""
    if not pd.isna(row.delivered_start):
        return row.delivered_start
    return row.due_end if not pd.isna(row.due_end) else now


def _commitment_hover(p: str, m: str, d: str, s: str) -> str:
    return f"<b>{_br(p, 60)}</b><br>Made {_esc(m)}" + (f"; due {_esc(d)}" if d else "") + f"<br>{_esc(s)}"


def commitments_tracker(commitments: pd.DataFrame, *, today: pd.Timestamp | str,
                        source: str | None = None, compact: bool = False) -> go.Figure:
    """Each government commitment from when it was made to its deadline, with its status in words.

    ``commitments`` is :func:`gaps.commitments`. A line runs from the promise to the deadline (or to
    ``today`` where none was set, dotted); the marker shows the state; the status is written beside it.
    ``compact`` gives each commitment a row down the page: its name, its status, then its line.
    """
    now = pd.Timestamp(today)
    rows = commitments.reset_index(drop=True)
    if compact:
        lines = 2
        labels = [short_lines(p, COMPACT_WIDTH, 2) for p in rows["promise"]]
        y, place, notes = 0.0, [], []
        for label, status in zip(labels, rows["status"], strict=True):
            n = label.count("<br>") + 1
            notes.append(dict(x=0, y=y, xref="paper", yref="y", xanchor="left", yanchor="top", align="left",
                              showarrow=False, font=dict(size=COMPACT_PX, color=INK), bgcolor="white",
                              text=f"{label}<br><span style='font-size:{SMALL_PX}px;color:{MUTED}'>"
                                   f"{_esc(status.split(';')[0])}</span>"))
            place.append(y + n * LINE_PX + LINE_PX + 12)
            y = place[-1] + 16
    else:
        # Two lines a name while a slide has room for them (about 12 rows at 720 px); one line beyond that,
        # so wrapped names never run into each other. The full wording is in the hover and the table.
        lines = NAME_LINES if len(rows) <= 12 else 1
        place = [short_lines(p, NAME_WIDTH if lines > 1 else NAME_WIDTH + 12, lines) for p in rows["promise"]]
        notes = []
    data: list[dict] = []
    for row, where in zip(rows.itertuples(), place, strict=True):
        data.append(dict(
            type="scatter", x=[row.made_start, _commitment_end(row, now)], y=[where, where], mode="lines",
            hoverinfo="skip", showlegend=False,
            line=dict(color=COMMITMENT_COLOURS[row.state], width=3, dash="dot" if pd.isna(row.due_end) else "solid"),
        ))
    for state, text in gaps.COMMITMENT_STATES.items():
        chosen = rows[rows["state"] == state]
        if chosen.empty:
            continue
        data.append(dict(
            type="scatter", x=[_commitment_mark(r, now) for r in chosen.itertuples()],
            y=[place[i] for i in chosen.index], mode="markers" if compact else "markers+text", name=text,
            marker=dict(symbol=COMMITMENT_SYMBOLS[state], size=12 if compact else 13, color=COMMITMENT_COLOURS[state],
                        line=dict(width=2, color=COMMITMENT_COLOURS[state])),
            text=[short_lines(s, 36 if lines > 1 else 30, lines) for s in chosen["status"]],
            textposition="middle right",
            textfont=dict(size=TEXT_PX, color=INK), customdata=list(chosen["id"]),
            hovertext=[_commitment_hover(p, m, d, s) for p, m, d, s in zip(
                chosen["promise"], chosen["made"], chosen["due"], chosen["status"], strict=True)],
            hoverinfo="text", cliponaxis=False,
        ))
    start = rows["made_start"].min() if len(rows) else now
    ends = [v for v in (*rows["due_end"], *rows["delivered_start"]) if not pd.isna(v)]
    # room for the status written beside the last marker (a phone writes it above the line instead)
    right = max([now, *ends]) + pd.Timedelta(days=40 if compact else 260)
    horizon = f"Horizon: {now:%-d %b %Y}" if compact else f"Horizon: {now:%-d %B %Y}"
    layout = dict(
        shapes=[dict(type="line", xref="x", yref="paper", x0=now, x1=now, y0=0, y1=1,
                     line=dict(color=INK, width=1, dash="dash"), layer="below")],  # under the names
        annotations=[*notes, dict(x=now, y=1, xref="x", yref="paper", text=horizon, showarrow=False,
                                  xanchor="right", yanchor="bottom",
                                  font=dict(size=SMALL_PX if compact else TEXT_PX, color=MUTED))],
        xaxis=dict(type="date", range=[start - pd.Timedelta(days=20), right], showgrid=not compact,
                   **(dict(tickfont=dict(size=SMALL_PX), nticks=4, side="bottom") if compact else {})),
        yaxis=(dict(range=[place[-1] + 14 if place else 1, 0], showticklabels=False, showgrid=False, ticks="",
                    zeroline=False, fixedrange=True) if compact else
               dict(type="category", categoryorder="array", categoryarray=list(reversed(place)),
                    tickfont=dict(size=TEXT_PX))),
        hovermode="closest",
    )
    overdue = int((rows["state"] == "overdue").sum())
    dated = int(rows["due"].astype(bool).sum())
    if overdue:
        title = f"{overdue} of {dated} dated promises past deadline, no delivery reported"
    elif len(rows):
        title = "No dated promise is past its deadline"
    else:
        title = "No government commitments recorded"
    subtitle = (f"Government commitments on Prevent, made to deadline (dotted: no deadline stated), "
                f"judged at the horizon, {now:%-d %B %Y} (the latest date of the sources).")
    src = source or SOURCE.replace("each event", "each commitment")
    if compact:
        subtitle = (f"Government commitments on Prevent, each from when it was made to its deadline (dotted: none "
                    f"stated), judged at {now:%-d %B %Y}, the latest date of the sources. No source reports "
                    "delivery unless it says delivered.")
        layout.update(showlegend=False, margin=dict(l=8, r=8))
        height = _plot_height(int(layout["yaxis"]["range"][0]), title, subtitle, src, compact=True)
    else:
        height = 260 + 62 * max(len(rows), 1)
    return _figure(data, layout, title=title, subtitle=subtitle, source=src, height=height, compact=compact)
