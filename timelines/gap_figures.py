"""Figures of the gap analysis: the interval strip, the pathway steps, repeat referrals, commitments.

Each takes the frames :mod:`timelines.gaps` makes and returns a framed ``go.Figure`` (title, subtitle
and source line inside it) that stands alone in a screenshot. Colour never carries meaning alone:
event kinds differ by shape, pathway statuses by symbol and a text label, commitments by a text label.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from . import gaps
from .analysis.table import day_diff
from .theme import GRID, INK, MUTED, frame, wrap
from .vocab import FAMILY_BY_ID, FAMILY_SYMBOLS, KIND_BY_ID

# Exported images stand alone: the source line names the kind of documents (or, given ``source=``,
# the documents themselves), never a file of the repository or a table beside the chart.
SOURCE = "official statements, learning reviews, court reports and news reports, cited event by event"
COMMITMENT_SOURCE = "government statements and official reports, cited commitment by commitment"
PATHWAY_SOURCE = ("the pathway as official guidance and statements describe it (Counter-Terrorism and Security "
                  "Act 2015, written answers); the events as the case's sources report them")
TEXT_PX = 14  # no chart text under 14 px: it still reads at a third of a 1280 x 720 slide
GAP_COLOUR = "#3D3D3D"  # afcharts dark grey
WINDOW_COLOUR = "#B1B4B6"  # GOV.UK mid grey: the span a month, year or range allows (a light fill)
WINDOW_EDGE = "#6F777B"  # its outline: 4.5:1 on white, so the window is seen (WCAG 1.4.11)
WINDOW_OPACITY = 0.4
STATUS_COLOURS = {
    "found": "#12436D", "late": "#C2510F", "missing": "#801650", "skipped": "#801650",
    "not_reached": "#6F777B", "not_taken": "#6F777B",
}
COMMITMENT_COLOURS = {
    "delivered": "#12436D", "delivered_late": "#12436D", "overdue": "#801650", "open": "#1F8A80",
    "no_deadline": "#6F777B",
}
NAME_WIDTH, NAME_LINES = 40, 2  # a commitment's name on the axis: at most two lines, shortened with '…'

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


def _mid(earliest: pd.Series, latest: pd.Series) -> pd.Series:
    """The middle of each date window (an open side falls back to the other)."""
    start = earliest.fillna(latest)
    end = latest.fillna(earliest)
    return start + (end - start) / 2


# --- the interval strip ------------------------------------------------------------------------------

def short_lines(text: str, width: int = NAME_WIDTH, lines: int = NAME_LINES) -> str:
    """Text wrapped to at most ``lines`` lines of ``width`` characters, shortened with '…' (rich text)."""
    parts = wrap(text, width)
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip(" ,;:") + "…"
    return "<br>".join(_esc(p) for p in parts)


def interval_strip(events: pd.DataFrame, intervals: pd.DataFrame, *, case_title: str, n_labels: int = 3,
                   contacts_only: bool = True, source: str | None = None) -> go.Figure:
    """A case's events on a strip, with the gaps between them drawn under it and the longest labelled.

    ``events`` are the case's rows of the event table (already filtered to contacts if wanted);
    ``intervals`` is :func:`gaps.intervals` of the same rows. Each event is a marker (shape by kind,
    colour by family) over a translucent bar spanning the window its date allows; each gap is a bar
    over the time that is certainly empty, with the range the dates allow written over the longest.
    """
    rows = gaps.ordered(events)
    fig = go.Figure()
    starts, ends = rows["earliest"].fillna(rows["latest"]), rows["latest"].fillna(rows["earliest"])
    wide = rows[(ends - starts) > pd.Timedelta(days=1)]
    if len(wide):
        fig.add_trace(go.Bar(
            orientation="h", y=["Events"] * len(wide), base=wide["earliest"].fillna(wide["latest"]),
            x=((wide["latest"].fillna(wide["earliest"]) - wide["earliest"].fillna(wide["latest"]))
               .dt.total_seconds() * 1000),
            width=0.5, marker=dict(color="rgba(177,180,182,0.45)", line=dict(color=WINDOW_EDGE, width=1.5)),
            name="Date window (month, year or range)", hoverinfo="skip", showlegend=True,
        ))
    xs = _mid(rows["earliest"], rows["latest"])
    for family_id, group in rows.groupby("family", sort=False):
        fam = FAMILY_BY_ID[family_id]
        fig.add_trace(go.Scatter(
            x=xs[group.index], y=["Events"] * len(group), mode="markers", name=fam.label,
            marker=dict(color=fam.colour, size=14, symbol=FAMILY_SYMBOLS[family_id], line=dict(color="white", width=1)),
            customdata=group["event_id"],
            hovertext=[f"<b>{_esc(t)}</b><br>{_esc(d)}<br>{_esc(KIND_BY_ID[k].label)}"
                       for t, d, k in zip(group["title"], group["date_label"], group["kind"], strict=True)],
            hoverinfo="text",
        ))
    certain = intervals[intervals["min_days"].fillna(0) > 0]
    if len(certain):
        start = certain["from_latest"]
        end = certain["to_earliest"]
        fig.add_trace(go.Bar(
            orientation="h", y=["Gaps"] * len(certain), base=start,
            x=(end - start).dt.total_seconds() * 1000, width=0.35,
            marker=dict(color=GAP_COLOUR, line=dict(width=0)), name="Time certainly without an event",
            hovertext=[f"{_esc(a)} → {_esc(b)}<br><b>{_esc(label)}</b>"
                       for a, b, label in zip(certain["from_title"], certain["to_title"], certain["label"],
                                              strict=True)],
            hoverinfo="text",
        ))
    top = gaps.longest(intervals, n=n_labels)
    top = top[top["min_days"].fillna(0) > 0]
    annotations = []
    span = (ends.max() - starts.min()) if len(rows) else pd.Timedelta(days=1)
    placed: list[tuple[pd.Timestamp, int]] = []
    for rank, row in enumerate(top.itertuples(), start=1):
        middle = row.from_latest + (row.to_earliest - row.from_latest) / 2
        # labels closer than a sixth of the axis drop a row, so they never print over each other
        level = 0
        while any(abs(middle - x) < span / 6 and lv == level for x, lv in placed):
            level += 1
        placed.append((middle, level))
        annotations.append(dict(
            x=middle, y=-0.22, text=f"{rank}. {_esc(row.label)}", showarrow=level > 0, ax=0, ay=0,
            yshift=-4 - 20 * level, font=dict(size=TEXT_PX, color=INK), xanchor="center", yanchor="top",
            arrowcolor=MUTED, arrowwidth=1,
        ))
    fig.update_layout(
        annotations=annotations, barmode="overlay", bargap=0,
        yaxis=dict(type="category", categoryorder="array", categoryarray=["Gaps", "Events"],
                   range=[-1.6, 1.5], tickfont=dict(size=TEXT_PX)),
        xaxis=dict(type="date", showgrid=True, gridcolor=GRID),
        hovermode="closest",
    )
    if len(top):
        first = top.iloc[0]
        title = f"Longest silence: {first['label']}"
        lead = f"from “{first['from_title']}” to “{first['to_title']}”. "
    else:
        title, lead = "No gap between events is certain from the dates", ""
    scope = "contacts with public services and the attack" if contacts_only else "every recorded event"
    subtitle = (f"{case_title}: {scope}. Longest gap {lead}Dark bars: time certainly without an event; "
                f"labels: the range the dates allow.")
    return frame(fig, title=title, subtitle=subtitle, source=source or SOURCE, height=460)


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


def pathway_steps(conformance: pd.DataFrame, *, case_title: str, source: str | None = None) -> go.Figure:
    """Expected steps (across) against what happened in each referral (down), one symbol per status.

    ``conformance`` is :func:`gaps.conformance` for one case. A line joins the steps that happened;
    each marker carries its status in words under it as well as by symbol.
    """
    steps = list(dict.fromkeys(conformance["step_title"]))
    x_labels = {t: _br(t, 14) for t in steps}
    episodes = list(dict.fromkeys(conformance["episode_label"]))
    fig = go.Figure()
    for label in episodes:
        # the line joins steps that happened; it breaks at a missing or skipped step (a branch not
        # taken is stepped over: it was never on this path)
        xs: list[str | None] = []
        for row in conformance[conformance["episode_label"] == label].itertuples():
            if row.status in ("found", "late"):
                xs.append(x_labels[row.step_title])
            elif row.status != "not_taken" and xs and xs[-1] is not None:
                xs.append(None)
        fig.add_trace(go.Scatter(
            x=xs, y=[label] * len(xs), mode="lines", connectgaps=False,
            line=dict(color=STATUS_COLOURS["found"], width=2), hoverinfo="skip", showlegend=False,
        ))
    for status in gaps.STATUSES:
        rows = conformance[conformance["status"] == status.id]
        if rows.empty:
            continue
        hover = []
        for row in rows.itertuples():
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
            hover.append(text)
        fig.add_trace(go.Scatter(
            x=[x_labels[t] for t in rows["step_title"]], y=list(rows["episode_label"]), mode="markers+text",
            name=status.label, text=[status.label.split(":")[0] for _ in range(len(rows))],
            textposition="bottom center", textfont=dict(size=TEXT_PX, color=MUTED),
            marker=dict(symbol=status.symbol, size=16, color=STATUS_COLOURS[status.id],
                        line=dict(width=2, color=STATUS_COLOURS[status.id])),
            customdata=list(rows["step_id"]), hovertext=hover, hoverinfo="text",
        ))
    # The step names head their columns inside the plot, above the first referral: as tick labels
    # they would need room that depends on how many lines each wraps to.
    headers = [dict(x=x_labels[t], y=len(episodes) - 0.55, xref="x", yref="y", text=_br(t, 13),
                    showarrow=False, yanchor="bottom", font=dict(size=TEXT_PX, color=INK)) for t in steps]
    fig.update_layout(
        annotations=headers,
        xaxis=dict(type="category", categoryorder="array", categoryarray=[x_labels[t] for t in steps],
                   showgrid=False, showticklabels=False, ticks="", showline=False),
        yaxis=dict(type="category", categoryorder="array", categoryarray=list(reversed(episodes)),
                   range=[-0.6, len(episodes) + 0.45], showline=False),
        hovermode="closest",
    )
    subtitle = (f"{case_title}: each referral against the expected Prevent and Channel pathway, "
                "step by step: what happened, what was skipped and what was never reached.")
    height = 330 + 70 * len(episodes)
    return frame(fig, title=_pathway_title(conformance), subtitle=subtitle, source=source or PATHWAY_SOURCE,
                 height=height)


# --- cumulative referrals -------------------------------------------------------------------------------

def cumulative_referrals(referrals: pd.DataFrame, *, case_titles: dict[str, str] | None = None,
                         source: str | None = None) -> go.Figure:
    """The running count of referrals to Prevent for each case, as a step line over time.

    Each referral's marker sits in the middle of its date window, with the window drawn as a bar;
    the count is also written beside the last marker, so cases differ by label, shape and dash.
    """
    titles = case_titles or {}
    fig = go.Figure()
    for i, (case_id, group) in enumerate(referrals.groupby("case_id", sort=True)):
        colour, symbol, dash = CASE_STYLES[i % len(CASE_STYLES)]
        name = titles.get(case_id, case_id)
        short = name.split(":")[0]
        xs = _mid(group["earliest"], group["latest"])
        fig.add_trace(go.Bar(
            orientation="h", y=group["count"], base=group["earliest"],
            x=(group["latest"] - group["earliest"]).dt.total_seconds() * 1000, width=0.25,
            marker=dict(color=_rgba(colour, WINDOW_OPACITY), line=dict(color=colour, width=1.5)), hoverinfo="skip",
            showlegend=False, name=f"{short}: date windows",
        ))
        fig.add_trace(go.Scatter(
            x=xs, y=group["count"], mode="lines+markers+text", cliponaxis=False,
            line=dict(shape="hv", color=colour, dash=dash),
            marker=dict(symbol=symbol, size=12, color=colour), name=short,
            text=["" if j < len(group) - 1 else f"{short}: {n}" for j, n in enumerate(group["count"])],
            textposition="middle right", textfont=dict(color=INK, size=TEXT_PX),
            customdata=group["event_id"],
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
        title = f"{titles.get(case_id, case_id).split(':')[0]}: {most.max()} referrals, first to last {span}"
    else:
        title = "One referral to Prevent in each case"
    top = int(most.max()) if len(most) else 1
    first, last = referrals["earliest"].min(), referrals["latest"].max()
    pad = (last - first) * 0.04 if len(referrals) else pd.Timedelta(days=30)
    fig.update_layout(
        barmode="overlay", xaxis=dict(type="date", range=[first - pad, last + pad * 5]),
        yaxis=dict(title=dict(text="Referrals so far"), dtick=1, range=[0.5, top + 0.6], showgrid=True,
                   gridcolor=GRID),
        hovermode="closest",
    )
    subtitle = ("Running count of referrals to Prevent; shaded bars show the month each referral's "
                "date allows.")
    return frame(fig, title=title, subtitle=subtitle, source=source or SOURCE, height=420)


# --- the commitments tracker -----------------------------------------------------------------------------

def commitments_tracker(commitments: pd.DataFrame, *, today: pd.Timestamp | str,
                        source: str | None = None) -> go.Figure:
    """Each government commitment from when it was made to its deadline, with its status in words.

    ``commitments`` is :func:`gaps.commitments`. A line runs from the promise to the deadline (or to
    ``today`` where none was set, dotted); the marker shows the state; the status is written beside it.
    """
    now = pd.Timestamp(today)
    rows = commitments.reset_index(drop=True)
    # Two lines a name while a slide has room for them (about 12 rows at 720 px); one line beyond that, so
    # wrapped names never run into each other. The full wording is in the hover and the table.
    lines = NAME_LINES if len(rows) <= 12 else 1
    labels = [short_lines(p, NAME_WIDTH if lines > 1 else NAME_WIDTH + 12, lines) for p in rows["promise"]]
    fig = go.Figure()
    for row, label in zip(rows.itertuples(), labels, strict=True):
        end = row.due_end if not pd.isna(row.due_end) else now
        if not pd.isna(row.delivered_start):
            end = max(end, row.delivered_start) if not pd.isna(row.due_end) else row.delivered_start
        fig.add_trace(go.Scatter(
            x=[row.made_start, end], y=[label, label], mode="lines", hoverinfo="skip", showlegend=False,
            line=dict(color=COMMITMENT_COLOURS[row.state], width=3,
                      dash="dot" if pd.isna(row.due_end) else "solid"),
        ))
    for state, text in gaps.COMMITMENT_STATES.items():
        chosen = rows[rows["state"] == state]
        if chosen.empty:
            continue
        xs = [r.delivered_start if not pd.isna(r.delivered_start)
              else (r.due_end if not pd.isna(r.due_end) else now) for r in chosen.itertuples()]
        fig.add_trace(go.Scatter(
            x=xs, y=[labels[i] for i in chosen.index], mode="markers+text", name=text,
            marker=dict(symbol=COMMITMENT_SYMBOLS[state], size=13, color=COMMITMENT_COLOURS[state],
                        line=dict(width=2, color=COMMITMENT_COLOURS[state])),
            text=[short_lines(s, 36 if lines > 1 else 30, lines) for s in chosen["status"]],
            textposition="middle right",
            textfont=dict(size=TEXT_PX, color=INK), customdata=list(chosen["id"]),
            hovertext=[f"<b>{_br(p, 60)}</b><br>Made {_esc(m)}" + (f"; due {_esc(d)}" if d else "")
                       + f"<br>{_esc(s)}"
                       for p, m, d, s in zip(chosen["promise"], chosen["made"], chosen["due"],
                                             chosen["status"], strict=True)],
            hoverinfo="text", cliponaxis=False,
        ))
    start = rows["made_start"].min() if len(rows) else now
    ends = [v for v in (*rows["due_end"], *rows["delivered_start"]) if not pd.isna(v)]
    right = max([now, *ends]) + pd.Timedelta(days=260)  # room for the status written beside the last marker
    fig.update_layout(
        shapes=[dict(type="line", xref="x", yref="paper", x0=now, x1=now, y0=0, y1=1,
                     line=dict(color=INK, width=1, dash="dash"))],
        annotations=[dict(x=now, y=1, xref="x", yref="paper", text=f"Horizon: {now:%-d %B %Y}", showarrow=False,
                          xanchor="right", yanchor="bottom", font=dict(size=TEXT_PX, color=MUTED))],
        xaxis=dict(type="date", range=[start - pd.Timedelta(days=20), right]),
        yaxis=dict(type="category", categoryorder="array", categoryarray=list(reversed(labels)),
                   tickfont=dict(size=TEXT_PX)),
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
    return frame(fig, title=title, subtitle=subtitle, source=SOURCE.replace("each event", "each commitment"),
                 height=260 + 62 * max(len(rows), 1))

