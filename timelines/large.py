"""Large cases: counted when zoomed out, drawn one by one in detail; WebGL above a second threshold.

A case of ten thousand events cannot be drawn one marker each and still zoom smoothly in a browser
without a GPU (measured here, ``python -m benchmarks.large_case``, in one run on a heavily shared machine:
4.6 s a zoom in SVG, 6.1 s in WebGL, drawn in 9.4 s; aggregated with a bar trace of 840 bars, each with
its number and a hover marker, 0.47 s a zoom, drawn in 1.5 s; with those bars as one outline, 34 ms a
zoom, drawn in 0.2 s, in the same run). So when
a case timeline holds more than :data:`AGGREGATE_THRESHOLD` of the case's events, its figure
(:func:`aggregated_timeline`) draws:

- the key events one by one, labelled as usual: the outcome, then adoption and exit, referrals,
  decisions and closures, reviews and reports, each group whole while the key events stay within
  :data:`KEY_LIMIT` (a group that would pass it is counted instead, so that a label such as "3rd
  referral" is never computed from a part of the referrals);
- every other event counted, not drawn: a panel under the lanes with one row per agency and a bar per
  month, quarter or year (whichever keeps the bars readable) whose height gives how many events it
  holds (the tallest of each row prints its number); its hover gives the count, the period, the agency
  and the kinds in it. The bars are one filled outline, their hovers one unseen line and the numbers
  one text trace, so a zoom redraws a few SVG paths, not several nodes per bar.

Nothing is dropped: each event of the case is either drawn (``figures.event_keys``) or counted in
exactly one bar (:func:`counted_keys`), the chart says so in words and the table beside it lists every
event. Narrowing the years (the case page's slider) brings the rows in view under the threshold, and
then every event is drawn as usual.

Above :data:`GL_THRESHOLD` event markers, marker-only traces are drawn with WebGL (``scattergl``).
Measured here (headless Chromium with software GL, a shared 2-core machine) WebGL did not zoom 10,000
events faster than SVG and was slower to draw first; the setting is kept for a machine with a GPU and
for figures that do not aggregate (such as the comparison).

Settings (environment): ``TIMELINES_AGGREGATE_THRESHOLD``, ``TIMELINES_KEY_LIMIT``, ``TIMELINES_GL_THRESHOLD``.
"""

from __future__ import annotations

import html
import math
import os
from collections import Counter
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

    from . import schema

GL_THRESHOLD = int(os.environ.get("TIMELINES_GL_THRESHOLD", 2000))
AGGREGATE_THRESHOLD = int(os.environ.get("TIMELINES_AGGREGATE_THRESHOLD", 1500))
KEY_LIMIT = int(os.environ.get("TIMELINES_KEY_LIMIT", 250))
_MARKER_ROLES = ("event", "missed", "selected")
# Key events, drawn one by one when the rest are counted: groups of kinds, most important first.
KEY_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("adoption and exit", ("adoption", "exit")),
    ("referrals", ("referral",)),
    ("decisions", ("decision", "case_closure")),
    ("reviews and reports", ("review_commissioned", "review_completed", "review_published",
                             "commissioners_report", "inquiry")),
)
ROW_PX = {False: 42, True: 36}  # a row of the counted panel
BAR_FILL = "rgba(80,90,95,0.40)"  # theme.MUTED, translucent; outlined at full strength
UNITS = {"M": "month", "Q": "quarter", "Y": "year"}
EPOCH = pd.Timestamp(0)
MS = pd.Timedelta(milliseconds=1)


def webgl_above_threshold(traces: list[dict], threshold: int | None = None) -> list[dict]:
    """The traces, with marker-only scatter traces as ``scattergl`` when the figure has more than
    ``threshold`` event markers (default :data:`GL_THRESHOLD`)."""
    limit = GL_THRESHOLD if threshold is None else threshold
    points = sum(len(t.get("x") or ()) for t in traces if (t.get("meta") or {}).get("role") == "event")
    if points <= limit:
        return traces
    return [dict(t, type="scattergl") if t.get("type") == "scatter" and t.get("mode") == "markers"
            and (t.get("meta") or {}).get("role") in _MARKER_ROLES else t for t in traces]


# --- which events are counted ----------------------------------------------------------------------

def needs_aggregation(rows: pd.DataFrame, threshold: int | None = None) -> bool:
    """Whether a case timeline of these rows counts events instead of drawing each: more than
    ``threshold`` (default :data:`AGGREGATE_THRESHOLD`) rows of the case layer."""
    limit = AGGREGATE_THRESHOLD if threshold is None else threshold
    return len(rows) > limit and int((rows["layer"] == "case").sum()) > limit


def key_mask(rows: pd.DataFrame, case: schema.Case, limit: int | None = None) -> tuple[pd.Series, list[str]]:
    """The rows drawn one by one (context rows, the outcome and the key groups that fit within ``limit``),
    and the names of the groups drawn."""
    limit = KEY_LIMIT if limit is None else limit
    is_case = rows["layer"] == "case"
    keep = ~is_case | (rows["event_id"] == case.outcome_event)
    names = []
    for name, kinds in KEY_GROUPS:
        group = is_case & rows["kind"].isin(kinds) & ~keep
        if group.any() and int((keep & is_case).sum() + group.sum()) <= limit:
            keep |= group
            names.append(name)
    return keep, names


def _positions(rows: pd.DataFrame) -> pd.Series:
    """Where each event's marker would be: the middle of its window, or the known bound of an open one."""
    lo = rows["earliest"].astype("datetime64[ns]")
    hi = rows["latest"].astype("datetime64[ns]")
    return (lo + (hi - lo) / 2).fillna(lo).fillna(hi)


def bin_unit(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """'M', 'Q' or 'Y': the period of a bar, so that a case has at most about sixty bars a row."""
    years = (last - first).days / 365.25
    return "M" if years <= 5 else ("Q" if years <= 15 else "Y")


def _period_words(period: pd.Period, unit: str) -> str:
    if unit == "M":
        return period.strftime("%B %Y")
    if unit == "Q":
        start, end = period.start_time, period.end_time
        return f"{start:%b}–{end:%b} {start.year} (Q{period.quarter})"
    return str(period.year)


def _counts_of_kinds(kinds: list[str], labels: dict[str, str], shown: int = 6) -> str:
    counts = Counter(kinds).most_common()
    lines = [f"{n:,} × {html.escape(labels.get(k, k), quote=False)}" for k, n in counts[:shown]]
    if len(counts) > shown:
        rest, others = sum(n for _, n in counts[shown:]), len(counts) - shown
        lines.append(f"…and {rest:,} of {others} other kind{'s' if others > 1 else ''}")
    return "<br>".join(lines)


def counted_bars(rows: pd.DataFrame, agencies: list[str], unit: str, *, future: frozenset[str] = frozenset()
                 ) -> list[dict]:
    """The counted panel's traces: one bar per (agency row, period), each holding its events' keys.

    All the bars of the panel are one outline (a scatter line filled to itself, one segment a row), their
    hovers the points of one unseen line through their middles, and the tallest bar of each row prints
    its count (which gives the scale of the others): a zoom redraws a few SVG paths instead of a path,
    a number and a hover marker per bar (measured in ``benchmarks/large_case.py``). A bar's hover gives
    its count, period, agency and kinds.

    ``rows`` are case rows. Events still to come in a walkthrough (``future``) are counted in their own
    grey bars, without their kinds."""
    from .figures import FUTURE_COLOUR, STILL_TO_COME, event_key
    from .vocab import AGENCY_BY_ID, KIND_BY_ID

    if rows.empty:
        return []
    kind_labels = {k: v.label for k, v in KIND_BY_ID.items()}
    periods = _positions(rows).dt.to_period(unit)
    bins: dict[tuple[bool, str, pd.Period], tuple[list[str], list[str]]] = {}
    for event_id, agency, kind, period in zip(rows["event_id"], rows["agency"], rows["kind"], periods, strict=True):
        key = event_key(event_id)
        held = bins.setdefault((key in future, agency, period), ([], []))
        held[0].append(key)
        held[1].append(kind)
    row_of = {a: n for n, a in enumerate(agencies)}  # row 0 at the top: at y = len(agencies) - 1
    most = max(len(keys) for keys, _ in bins.values())
    traces = []
    for later in (False, True):
        xs, ys, hovers, keys, centres, middles = [], [], [], [], [], []
        peak_x, peak_y, peak_text = [], [], []
        row = None
        peak: tuple[int, float, float] | None = None
        for (is_later, agency, period), (held, kinds) in sorted(bins.items(), key=lambda b: (row_of[b[0][1]], b[0][2])):
            if is_later != later:
                continue
            if agency != row:  # a new row: end the outline of the one before
                if row is not None:
                    xs.append(None), ys.append(None)
                    peak_x.append(peak[1]), peak_y.append(peak[2]), peak_text.append(f"{peak[0]:,}")
                row, peak = agency, None
            n = len(held)
            start, end = period.start_time, period.end_time
            middle = ((start + (end - start) / 2) - EPOCH) / MS
            half = (end - start) / MS * 0.43
            # bars grow upwards from their row's foot
            base = len(agencies) - 1 - row_of[agency] - 0.42
            top = base + 0.8 * n / most
            where = html.escape(AGENCY_BY_ID[agency].label, quote=False)
            head = f"<b>{n:,} event{'s' if n != 1 else ''}</b> · {where}<br>{_period_words(period, unit)}"
            detail = STILL_TO_COME if later else _counts_of_kinds(kinds, kind_labels)
            hover = f"{head}<br>{detail}<br><i>Choose fewer years to see each one; the table lists them all</i>"
            xs += [middle - half, middle - half, middle + half, middle + half]
            ys += [base, top, top, base]
            hovers.append(hover)
            keys.append(held)
            centres.append(middle)
            middles.append((base + top) / 2)
            if peak is None or n > peak[0]:
                peak = (n, middle, top)
        if not keys:
            continue
        peak_x.append(peak[1]), peak_y.append(peak[2]), peak_text.append(f"{peak[0]:,}")
        colour = FUTURE_COLOUR if later else "#505A5F"
        name = "Events still to come, counted" if later else "Events counted per period"
        traces.append(dict(
            type="scatter", mode="lines", x=xs, y=ys, yaxis="y2", xaxis="x", fill="toself",
            fillcolor="rgba(111,119,123,0.25)" if later else BAR_FILL, line=dict(color=colour, width=1),
            hoverinfo="skip", showlegend=False, name=name,
            meta={"role": "aggregate", "unit": unit, "keys": keys, "counts": [len(k) for k in keys],
                  "x": centres, "future": later},
        ))
        # The hover of each bar: a point of an unseen line at its middle (no SVG node a point).
        traces.append(dict(
            type="scatter", mode="lines", x=centres, y=middles, yaxis="y2", xaxis="x", hoveron="points",
            line=dict(width=0, color="rgba(0,0,0,0)"), hovertext=hovers,
            hovertemplate="%{hovertext}<extra></extra>", showlegend=False, name=name,
            meta={"role": "aggregate-hover"},
        ))
        traces.append(dict(
            type="scatter", mode="text", x=peak_x, y=peak_y, yaxis="y2", xaxis="x", text=peak_text,
            textposition="top center", textfont=dict(size=10, color=colour), cliponaxis=False,
            hoverinfo="skip", showlegend=False, name=name, meta={"role": "aggregate-peaks"},
        ))
    return traces


def counted_keys(fig: go.Figure | dict) -> list[str]:
    """Every event key counted in a bar of an aggregated figure (each event in exactly one bar)."""
    data = fig["data"] if isinstance(fig, dict) else fig.data
    return [k for t in data if (t["meta"] or {}).get("role") == "aggregate" for keys in t["meta"]["keys"] for k in keys]


# --- the figure ------------------------------------------------------------------------------------

def aggregated_timeline(rows: pd.DataFrame, *, case: schema.Case, key_limit: int | None = None,
                        **options) -> go.Figure:
    """A case timeline of many events: the key events drawn and labelled as usual
    (``figures.case_timeline`` of those rows), and under the lanes every other event of the case
    counted per agency and period. ``options`` are those of ``figures.case_timeline``; ``rows`` are
    the rows it would draw (the case's, and the context's if shown)."""
    from . import figures, theme
    from .vocab import AGENCIES

    compact = bool(options.get("compact"))
    future = frozenset(options.get("future") or ())
    is_case = rows["layer"] == "case"
    # at most the threshold drawn, so that the figure of the drawn rows is never aggregated again
    limit = min(KEY_LIMIT if key_limit is None else key_limit, max(AGGREGATE_THRESHOLD - 1, 1))
    keep, groups = key_mask(rows, case, limit)
    if options.get("selected"):  # the event chosen (or a walkthrough's current step) is always drawn
        keep |= is_case & (rows["event_id"] == options["selected"])
    counted = rows[is_case & ~keep]
    drawn = rows[keep]
    n_case, n_drawn = int(is_case.sum()), int((keep & is_case).sum())
    where = _positions(rows[is_case])
    first, last = where.min(), where.max()
    unit = bin_unit(first, last) if pd.notna(first) else "Y"
    drawn_words = "the outcome" + "".join(f", {g}" for g in groups)
    drawn_words = (f"{n_drawn:,} key events ({drawn_words}) are" if n_drawn != 1
                   else f"one key event ({drawn_words}) is")
    subtitle = options.pop("subtitle", None) or (
        f"{n_case:,} events by agency, {first.year}–{last.year}: too many to draw one by one, so "
        f"{drawn_words} drawn and the other {len(counted):,} counted "
        f"per {UNITS[unit]} below. Choose fewer years to see every event.")
    if options.get("source") is None:
        options["source"] = figures.source_line(
            (s for ids in rows.loc[is_case, "source_ids"] for s in ids), options.get("sources"),
            limit=1 if compact else 2)
    fig = figures.case_timeline(drawn, case=case, subtitle=subtitle, **options)

    # The silences were measured between the drawn events only: the counted ones may fill them.
    layout = fig.layout
    layout.shapes = [s for s in layout.shapes if s.name != "silence"]
    layout.annotations = [a for a in layout.annotations if a.name != "silence"]
    agencies = [a.id for a in AGENCIES if a.id in set(counted["agency"])]
    bars = counted_bars(counted, agencies, unit, future=future)
    if not bars:
        return fig
    total = len(counted)
    m = len(agencies)
    heading = (f"Counted, not drawn: {total:,} more events, a bar for each {UNITS[unit]} and agency, its height "
               "the events it holds (the tallest of each row numbered; point at a bar for its count and kinds). "
               "The table lists every event.")
    heading_lines = theme.wrap(heading, 46 if compact else 120)
    gap = 22 + 16 * len(heading_lines)
    panel = ROW_PX[compact] * max(m, 1) + gap
    height = int(layout.height)
    plot = height - layout.margin.t - layout.margin.b
    new_height = height + panel
    new_plot = plot + panel
    counted_by_agency = counted["agency"].value_counts()
    x_range = _range(rows, is_case, layout.xaxis.range)
    fig.add_traces(bars)
    fig.update_layout(
        height=new_height,
        legend_y=1 - (layout.margin.t - 26 + 10) / new_height,
        yaxis_domain=[panel / new_plot, 1],
        xaxis_anchor="y2",
        xaxis_range=x_range,
        xaxis_tickangle=0,
        xaxis_dtick=f"M{12 * max(1, math.ceil((x_range[1] - x_range[0]) / 86_400_000 / 365.25 / 5))}" if compact
        else layout.xaxis.dtick,
        yaxis2=dict(domain=[0, (panel - gap) / new_plot], anchor="x", range=[-0.5, m - 0.5], fixedrange=True,
                    tickmode="array", tickvals=[m - 1 - k for k in range(m)], showgrid=True, gridcolor=theme.GRID,
                    ticktext=["<br>".join(html.escape(line, quote=False) for line in theme.wrap(
                        # a phone's row holds two short lines: the count is in the heading and the hover
                        _short_lane(a, True) if compact else f"{_short_lane(a, False)} ({counted_by_agency[a]:,})",
                        14 if compact else 24))
                        for a in agencies],
                    ticklabelstandoff=6, zeroline=False, linecolor=theme.MUTED),
    )
    fig.add_annotation(name="counted-heading", text="<br>".join(f"<i>{html.escape(line, quote=False)}</i>"
                                                               for line in heading_lines),
                       xref="paper", yref="paper", x=0, y=(panel - gap) / new_plot, yshift=8, xanchor="left",
                       yanchor="bottom", align="left", showarrow=False, font=dict(size=12, color=theme.INK))
    meta = dict(layout.meta or {})
    meta.update(aggregated={"unit": unit, "counted": total, "drawn": n_drawn, "groups": groups})
    fig.update_layout(meta=meta)
    return fig


def _short_lane(agency: str, compact: bool) -> str:
    from .figures import SHORT_AGENCY
    from .vocab import AGENCY_BY_ID

    return SHORT_AGENCY.get(agency, AGENCY_BY_ID[agency].label) if compact else AGENCY_BY_ID[agency].label


def _range(rows: pd.DataFrame, is_case: pd.Series, fallback) -> list[float]:
    """The x range of all the case's events (drawn and counted), padded as the case timeline pads."""
    lo = rows["earliest"].astype("datetime64[ns]").fillna(rows["latest"].astype("datetime64[ns]"))
    hi = rows["end_latest"].astype("datetime64[ns]").fillna(
        rows["latest"].astype("datetime64[ns]").fillna(rows["earliest"].astype("datetime64[ns]")))
    first, last = lo[is_case].min(), hi[is_case].max()
    if pd.isna(first) or pd.isna(last):
        return list(fallback)
    ms = pd.Timedelta(milliseconds=1)
    x0, x1 = (first - pd.Timestamp(0)) / ms, (last - pd.Timestamp(0)) / ms
    pad = max(x1 - x0, 180 * 86_400_000) * 0.04
    old0, old1 = fallback
    return [min(x0 - pad, old0), max(x1 + pad, old1)]
