"""The charts: a swimlane timeline per case, and both cases aligned on one event.

How a date is drawn depends on what the sources allow, never on what would look neat:

- a date known to the day is a filled marker (colour and shape by family of kinds);
- a window (a month, a year, "about", "between") is a translucent hatched band, outlined, over the whole
  window, with a hollow marker at its middle so that it can be hovered, clicked and told apart by shape;
- an open window ("before", "after") is a hollow marker at the known bound with a dotted arrow
  pointing into the open side;
- a span (``end``, such as time in Channel) is a solid bar from its start to the end of its end date.

Every visible event is drawn by exactly one marker carrying its key in ``customdata`` (see
:func:`event_keys`); bands, spans, arrows and rings are decorations without ``customdata``, each
naming the events it belongs to in ``ids`` or ``meta["keys"]``. Every trace says what it is in
``meta["role"]`` (one of :data:`ROLES`). A figure is a few traces (one per kind, not one per event),
built as plain dicts in one go, without Plotly's per-property validation (the tests validate every
figure instead); shapes are set once, never added in a loop.

The legend holds at most eight entries (the four families, then band, span, open date and missed
opportunity): the kind of each event is read from its direct label (:mod:`timelines.labels`) and its
hover, not from a shape per kind. Long silences between contacts are written on the chart in words.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go

from . import gaps, labels, schema, theme
from ._spans import DAYS_PER_YEAR, describe_span
from .analysis.table import records
from .large import aggregated_timeline, needs_aggregation, webgl_above_threshold
from .measures import ALIGNMENTS, YEAR, anchor, case_rows, last_prevent_contact, short_name
from .vocab import AGENCIES, AGENCY_BY_ID, FAMILIES, FAMILY_BY_ID, FAMILY_SYMBOLS

LANE_PX = 50
COMPACT_LANE_PX = 44
LEGEND_ROW_PX = 22
LEGEND_COLUMNS = 4  # what a desktop's chart width holds; a phone's (compact) holds one
MARKER_SIZE = 15
LABEL_PX = {False: 14, True: 12}  # direct labels: 14 px reads at a third of a slide
# The plot width the label layout is planned for: about the narrowest the chart is drawn at (a
# 1000 px browser window gives an 800 px plot, a 1280 px slide about 1,050; labels only move apart on
# a wider or zoomed chart). A phone's plot is about 240 px.
DESIGN_PLOT_PX = {False: 780, True: 230}
HEADROOM = 0.5  # lanes of room above the first lane, for labels
SILENCE_DAYS = 365  # silences of at least a year between contacts are written on the chart
SILENCES_SHOWN = 2
EPOCH = pd.Timestamp(0)
MS = pd.Timedelta(milliseconds=1)
DAY_MS = 86_400_000
YEAR_MS = 365.25 * DAY_MS
ROW_OFFSETS = (0.0, -0.28, 0.28, -0.14, 0.14)
ROLES = ("event", "band", "span", "open", "missed", "selected", "legend")
DECORATION_NAMES = {
    "band": "Date known only to a period",
    "span": "Span (e.g. time in Channel)",
    "open": "Open date (before or after)",
    "missed": "Missed opportunity",
    "selected": "Selected event",
}
# The families lead the legend, then the reading aids.
LEGEND_RANK = {"missed": 20, "band": 21, "span": 22, "open": 23, "selected": 24}
FUTURE_COLOUR = "#6F777B"  # GOV.UK dark grey: 4.5:1 on white, for walkthrough events still to come
STILL_TO_COME = "Still to come in the walkthrough"
# Short lane labels for a phone (compact) chart; the vocabulary's label everywhere else.
SHORT_AGENCY = {
    "ctp_prevent": "CT Policing (Prevent)", "police": "Local police", "channel": "Channel panel",
    "government": "Home Office", "intervention_provider": "Intervention provider",
}
SHORT_FAMILY = {False: {"prevent": "Prevent and Channel", "services": "Other services",
                        "outcome": "Attack and courts", "oversight": "Reviews and policy"},
                True: {"prevent": "Prevent", "services": "Services", "outcome": "Courts", "oversight": "Reviews"}}
SOURCE = "official statements, learning reviews, court reports and news reports, cited event by event"
CONTEXT_LANE = "all"  # the context layer is one lane: national policy and oversight
PLAN_COLUMNS = ("case_id", "layer", "event_id", "kind", "family", "agency", "agency_label", "kind_label", "title",
                "date_label", "earliest", "latest", "end_text", "end_latest", "age", "missed_opportunity", "disputed")


# --- keys and filters ------------------------------------------------------------------------------

def event_key(event_id: str, *, layer: str = "case") -> str:
    """The key of an event in a case timeline: its id, or 'context:<id>' for a context event."""
    return f"context:{event_id}" if layer == "context" else event_id


def filter_events(
    events: pd.DataFrame,
    *,
    case_id: str,
    kinds: Iterable[str] = (),
    agencies: Iterable[str] = (),
    years: tuple[int, int] | None = None,
    show_context: bool = True,
) -> pd.DataFrame:
    """The events a case timeline shows: the case's, plus the context layer if shown, filtered.

    Empty ``kinds`` or ``agencies`` mean "all". ``years`` keeps the events whose date window overlaps
    1 January of the first year to 31 December of the last.
    """
    keep = (events["case_id"] == case_id) & (events["layer"] == "case")
    if show_context:
        keep |= events["layer"] == "context"
    kinds, agencies = list(kinds), list(agencies)
    if kinds:
        keep &= events["kind"].isin(kinds)
    if agencies:
        keep &= events["agency"].isin(agencies)
    if years is not None:
        start, stop = pd.Timestamp(years[0], 1, 1), pd.Timestamp(years[1] + 1, 1, 1)
        lo = events["earliest"].fillna(events["latest"]).astype("datetime64[ns]")
        hi = events["end_latest"].astype("datetime64[ns]").fillna(
            events["latest"].fillna(events["earliest"]).astype("datetime64[ns]"))
        keep &= (hi >= start) & (lo < stop)
    return events[keep]


# --- the drawing plan ------------------------------------------------------------------------------

def _ms(value: object) -> float | None:
    """A timestamp as milliseconds since 1970 (a Plotly date axis takes these), None for NaT."""
    if value is None or pd.isna(value):
        return None
    return (pd.Timestamp(value) - EPOCH) / MS


def plan(rows: pd.DataFrame, *, key: Callable[[dict], str] | None = None) -> list[dict]:
    """How each event is drawn, one dict per row, positions in milliseconds since 1970.

    ``shape`` is 'point' (a window of at most a day), 'band' (a bounded window), 'open-before' or
    'open-after'; ``x`` is the marker's position (the window's middle, or the known bound of an open
    window); ``lo``/``hi`` bound the band (None otherwise); ``end`` ends a span (None otherwise).
    """
    items = []
    for rec in records(rows, list(PLAN_COLUMNS)):
        lo, hi = _ms(rec["earliest"]), _ms(rec["latest"])
        if lo is None:
            shape, x = "open-before", hi
        elif hi is None:
            shape, x = "open-after", lo
        else:
            shape, x = ("point" if hi - lo <= DAY_MS else "band"), (lo + hi) / 2
        is_span = isinstance(rec["end_text"], str)
        rec.update(
            shape=shape, x=x, lo=lo if shape == "band" else None, hi=hi if shape == "band" else None,
            start=lo if lo is not None else x, end=_ms(rec["end_latest"]) if is_span else None,
            key=key(rec) if key else event_key(rec["event_id"], layer=rec["layer"]),
            age=None if pd.isna(rec["age"]) else int(rec["age"]),
        )
        items.append(rec)
    return items


def _dodge(items: list[dict], pad: float) -> None:
    """Give close or overlapping events on one lane their own row (``y`` = lane + offset)."""
    by_lane: dict[int, list[dict]] = {}
    for item in items:
        by_lane.setdefault(item["lane"], []).append(item)
    for lane, members in by_lane.items():
        extent = []
        for item in members:
            lows = [v for v in (item["lo"], item["x"]) if v is not None]
            highs = [v for v in (item["hi"], item["x"], item["end"]) if v is not None]
            extent.append((min(lows) - pad, max(highs) + pad, item))
        row_ends: list[float] = []
        for start, end, item in sorted(extent, key=lambda e: e[0]):
            for r, last in enumerate(row_ends):
                if last < start:
                    row_ends[r] = end
                    break
            else:
                r = len(row_ends)
                row_ends.append(end)
            item["row"] = r
            item["y"] = lane + ROW_OFFSETS[r % len(ROW_OFFSETS)]
        for item in members:
            item["crowded"] = len(row_ends) > 1


# --- hover text ------------------------------------------------------------------------------------

def _esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def _wrapped(text: str, width: int = 58) -> str:
    return "<br>".join(_esc(line) for line in theme.wrap(text, width))


def findings_by_event(*models: schema.Case | schema.Context | None) -> dict[str, list[schema.Finding]]:
    """Event key -> its review findings, for the cases and context given."""
    found: dict[str, list[schema.Finding]] = {}
    for model in models:
        if model is None:
            continue
        layer = "context" if isinstance(model, schema.Context) else "case"
        for event in model.events:
            if event.findings:
                found[event_key(event.id, layer=layer)] = list(event.findings)
    return found


def hover_text(item: dict, findings: Sequence[schema.Finding] = (), *, extra: str = "") -> str:
    """The hover label: title, the date as written, agency, kind and age; a missed opportunity's finding."""
    where = _esc(item["agency_label"])
    if item["layer"] == "context":
        where = f"National context · {where}"
    lines = [f"<b>{_wrapped(item['title'], 48)}</b>", f"{_esc(item['date_label'])} · {where}"]
    kind = _esc(item["kind_label"])
    if item["age"] is not None:
        kind += f" · aged {item['age']}"
    lines.append(kind)
    if isinstance(item["end_text"], str):
        lines.append(f"Until {_esc(item['end_text'])}")
    if extra:
        lines.append(_esc(extra))
    missed = [f for f in findings if f.missed_opportunity]
    if missed:
        lines.append(f"<b>Missed opportunity</b> ({_esc(missed[0].by)}):")
        lines.append(_wrapped(missed[0].text))
        if len(missed) > 1:
            lines.append(f"…and {len(missed) - 1} more finding{'s' if len(missed) > 2 else ''}")
    elif findings:
        lines.append(f"{len(findings)} review finding{'s' if len(findings) > 1 else ''}")
    if item["disputed"]:
        lines.append("<i>Sources disagree on part of this event</i>")
    lines.append("<i>Click or tap for its sources and detail</i>")
    return "<br>".join(lines)


# --- traces (plain dicts) --------------------------------------------------------------------------

def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _event_traces(items: list[dict], size: int = MARKER_SIZE, future: frozenset[str] = frozenset()) -> list[dict]:
    """One marker trace per family: filled for a known day, hollow for a window; colour and shape by family.

    Events still to come in a walkthrough (``future``) are one more trace of plain grey rings, out of
    the legend, so that the legend keeps its full strength and names only what is drawn.
    """
    traces = []
    for family in FAMILIES:
        part = [i for i in items if i["family"] == family.id and i["key"] not in future]
        if not part:
            continue
        part.sort(key=lambda i: i["shape"] != "point")  # a filled marker first: the legend shows it
        exact = [i["shape"] == "point" for i in part]
        symbol = FAMILY_SYMBOLS[family.id]
        traces.append(dict(
            type="scatter", mode="markers", name=SHORT_FAMILY[False][family.id], showlegend=False,
            x=[i["x"] for i in part], y=[i["y"] for i in part],
            customdata=[i["key"] for i in part], hovertext=[i["hover"] for i in part],
            hovertemplate="%{hovertext}<extra></extra>",
            # a window is the same shape hollow: white inside, outlined in the family's colour (an
            # '-open' symbol would be stroked in marker.color, which is white here)
            marker=dict(symbol=symbol, size=size,
                        color=[family.colour if e else "white" for e in exact],
                        line=dict(color=["white" if e else family.colour for e in exact],
                                  width=[1.2 if e else 2.4 for e in exact])),
            meta={"role": "event", "family": family.id},
        ))
    later = [i for i in items if i["key"] in future]
    if later:
        traces.append(dict(
            type="scatter", mode="markers", name=STILL_TO_COME, showlegend=False,
            x=[i["x"] for i in later], y=[i["y"] for i in later], customdata=[i["key"] for i in later],
            hovertext=[STILL_TO_COME] * len(later), hovertemplate="%{hovertext}<extra></extra>",
            marker=dict(symbol="circle-open", size=size - 4, color=FUTURE_COLOUR, line=dict(width=1.5)),
            meta={"role": "event", "future": True},
        ))
    return traces


def _legend_keys(data: list[dict], size: int) -> list[dict]:
    """The legend: one key for each family drawn (its colour and shape, filled), then one for each
    reading aid drawn (band, span, open date, missed opportunity), in neutral grey. At most eight."""
    keys = []
    families = {t["meta"].get("family") for t in data if t["meta"]["role"] == "event"}
    for rank, family in enumerate(FAMILIES):
        if family.id in families:
            keys.append(dict(type="scatter", mode="markers", x=[None], y=[None], name=SHORT_FAMILY[False][family.id],
                             legendrank=10 + rank, hoverinfo="skip",
                             marker=dict(symbol=FAMILY_SYMBOLS[family.id], size=size, color=family.colour),
                             meta={"role": "legend", "family": family.id}))
    roles = {t["meta"]["role"] for t in data}
    for role in ("missed", "band", "span", "open"):
        if role not in roles:
            continue
        common = dict(name=DECORATION_NAMES[role], legendrank=LEGEND_RANK[role], hoverinfo="skip",
                      meta={"role": "legend", "aid": role})
        if role in ("band", "span"):
            keys.append(dict(type="bar", orientation="h", x=[None], y=[None], **common, marker=dict(
                color=_rgba(theme.MUTED, 0.12 if role == "band" else 0.35), line=dict(color=theme.MUTED, width=1.5),
                pattern=dict(shape="/", fgcolor=theme.MUTED, solidity=0.2) if role == "band" else None)))
        elif role == "open":
            keys.append(dict(type="scatter", mode="lines", x=[None], y=[None], **common,
                             line=dict(color=theme.MUTED, width=1.5, dash="dot")))
        else:
            keys.append(dict(type="scatter", mode="markers", x=[None], y=[None], **common,
                             marker=dict(symbol="circle-open", size=size + 2, color=theme.MISSED, line=dict(width=3))))
    return keys


def _bar(part: list[dict], base: list[float], length: list[float], role: str) -> dict:
    """Bands and spans: a translucent fill with an outline at full strength (3:1 or more)."""
    colours = [FAMILY_BY_ID[i["family"]].colour for i in part]
    hatched = role == "band"
    return dict(
        type="bar", orientation="h", base=base, x=length, y=[i["y"] for i in part],
        width=[0.24 if i["crowded"] else (0.42 if hatched else 0.3) for i in part],
        name=DECORATION_NAMES[role], hoverinfo="skip", ids=[i["key"] for i in part], showlegend=False,
        marker=dict(color=[_rgba(c, 0.12 if hatched else 0.35) for c in colours],
                    line=dict(color=colours, width=1.5 if hatched else 2),
                    pattern=dict(shape="/", fgcolor=colours, fgopacity=0.45, solidity=0.2) if hatched else None),
        meta={"role": role},
    )


def _decorations(items: list[dict], reach: float, selected: str | None, size: int = MARKER_SIZE) -> list[dict]:
    """Bands, spans, arrows and rings: everything drawn besides the one marker per event."""
    traces: list[dict] = []
    bands = [i for i in items if i["shape"] == "band" and i["end"] is None]
    if bands:
        traces.append(_bar(bands, [i["lo"] for i in bands], [i["hi"] - i["lo"] for i in bands], "band"))
    spans = [i for i in items if i["end"] is not None]
    if spans:
        traces.append(_bar(spans, [i["start"] for i in spans], [i["end"] - i["start"] for i in spans], "span"))
    opens = [i for i in items if i["shape"].startswith("open")]
    if opens:
        xs: list = []
        ys: list = []
        sizes: list = []
        for i in opens:
            xs += [i["x"], i["x"] + (-reach if i["shape"] == "open-before" else reach), None]
            ys += [i["y"], i["y"], None]
            sizes += [0, 9, 0]
        traces.append(dict(
            type="scatter", mode="lines+markers", name=DECORATION_NAMES["open"], x=xs, y=ys,
            hoverinfo="skip", showlegend=False, line=dict(color=theme.MUTED, width=1.5, dash="dot"),
            marker=dict(symbol="arrow", angleref="previous", size=sizes, color=theme.MUTED),
            meta={"role": "open", "keys": [i["key"] for i in opens]},
        ))
    # A finding reported by a review or report about something the source does not date is not drawn
    # as if it happened on the report's date: only events of the case itself are ringed.
    for role, part in (("missed", [i for i in items if labels.missed_on_its_own_date(i)]),
                       ("selected", [i for i in items if i["key"] == selected])):
        if not part:
            continue
        missed = role == "missed"
        traces.append(dict(
            type="scatter", mode="markers", name=DECORATION_NAMES[role], showlegend=False,
            x=[i["x"] for i in part], y=[i["y"] for i in part], hoverinfo="skip",
            marker=dict(symbol="circle-open" if missed else "square-open",
                        size=size * 2 - 1 if missed else size * 2 + 5,
                        color=theme.MISSED if missed else theme.SELECTED, line=dict(width=3.5 if missed else 2)),
            meta={"role": role, "keys": [i["key"] for i in part]},
        ))
    return traces


def _extent(items: list[dict], default: tuple[float, float]) -> tuple[float, float]:
    values = [v for i in items for v in (i["lo"], i["hi"], i["x"], i["end"]) if v is not None]
    return (min(values), max(values)) if values else default


def _legend_entries(data: list[dict]) -> int:
    keys = _legend_keys(data, MARKER_SIZE) if not any(t["meta"]["role"] == "legend" for t in data) else data
    return sum(1 for t in keys if t.get("showlegend", True))


def _figure(items: list[dict], layout: dict, *, reach: float, selected: str | None, title: str,
            subtitle: str, source: str, n_lanes: int, compact: bool, axis_title: bool = False,
            future: frozenset[str] = frozenset()) -> go.Figure:
    size = MARKER_SIZE - 3 if compact else MARKER_SIZE
    drawn = [i for i in items if i["key"] not in future]
    data = webgl_above_threshold(_decorations(drawn, reach, selected, size) + _event_traces(items, size, future))
    data += _legend_keys(data, size)
    height = height_for(n_lanes, _legend_entries(data), title=title, subtitle=subtitle, source=source,
                        compact=compact, axis_title=axis_title)
    framed = theme.frame_layout(title=title, subtitle=subtitle, source=source, height=height,
                                annotations=layout.pop("annotations", []), axis_title=axis_title, compact=compact)
    layout = {**framed, **layout, "barmode": "overlay", "dragmode": False, "hovermode": "closest",
              "template": theme.template_dict()}
    layout["meta"] = {**framed["meta"], **layout.pop("meta", {}), "compact": compact}
    if compact:
        layout = theme.held_still(layout)
    # The traces and layout are plain dicts written here and checked by the tests (test_figures.py
    # validates every figure); skipping Plotly's validation on each build saves most of its cost.
    return go.Figure(data=data, layout=layout, _validate=False)


def _legend_rows(entries: int, compact: bool) -> int:
    return -(-entries // (1 if compact else LEGEND_COLUMNS))


def height_for(n_lanes: int, legend_entries: int, *, title: str, subtitle: str, source: str,
               compact: bool = False, axis_title: bool = False) -> int:
    """Room for the title block, the legend's rows, the lanes and the source line."""
    legend = _legend_rows(legend_entries, compact) * LEGEND_ROW_PX + 16
    lanes_px = (max(n_lanes, 2) + HEADROOM) * (COMPACT_LANE_PX if compact else LANE_PX)
    return (theme.title_block_px(title, subtitle, compact=compact) + 26 + legend + lanes_px
            + theme.bottom_px(source, axis_title=axis_title, compact=compact))


def event_keys(fig: go.Figure | dict) -> list[str]:
    """Every event key drawn as a marker: each visible event appears exactly once."""
    data = fig["data"] if isinstance(fig, dict) else fig.data
    return [k for t in data if (t["meta"] or {}).get("role") == "event" for k in (t["customdata"] or ())]


# --- words on the chart: direct labels, silences, the source line -----------------------------------

def source_line(source_ids: Iterable[str], sources: Mapping[str, schema.Source] | None, *, limit: int = 2) -> str:
    """The documents a chart rests on, primary sources first, then the most cited:
    'Title (Publisher, 5 Feb 2025); ...; and N more documents, cited event by event'."""
    counts: dict[str, int] = {}
    for sid in source_ids:
        counts[sid] = counts.get(sid, 0) + 1
    known = [sid for sid in sorted(counts, key=lambda s: (not sources[s].primary, -counts[s]))
             if sources and sid in sources] if sources else []
    if not known:
        return SOURCE
    parts = []
    for sid in known[:limit]:
        doc = sources[sid]
        title = doc.title if len(doc.title) <= 60 else doc.title[:57].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        parts.append(f"{title} ({doc.publisher}, {labels.short_date(doc.date)})")
    rest = len(known) - limit
    more = f"; and {rest} more document{'s' if rest > 1 else ''}, cited event by event" if rest > 0 else ""
    return "; ".join(parts) + more


def _geometry(x0: float, x1: float, n_lanes: int, legend_entries: int, *, title: str, subtitle: str,
              source: str, compact: bool, axis_title: bool) -> labels.Geometry:
    """The plot area the labels are laid out for: the design width, and the lane height of the shorter
    of the chart on screen and the chart on a 1280 x 720 slide."""
    lane = COMPACT_LANE_PX if compact else LANE_PX
    if not compact:
        over = (theme.title_block_px(title, subtitle) + 26 + _legend_rows(legend_entries, False) * LEGEND_ROW_PX
                + 16 + theme.bottom_px(source, axis_title=axis_title))
        lane = min(lane, (720 - over) / (max(n_lanes, 2) + HEADROOM))
    n = max(n_lanes, 2)
    return labels.Geometry(x0, x1, DESIGN_PLOT_PX[compact], -0.5 - HEADROOM, n - 0.5, (n + HEADROOM) * lane)


def _marker_obstacles(items: list[dict], size: int) -> list[tuple[float, float, float]]:
    out = []
    for i in items:
        ring = labels.missed_on_its_own_date(i)
        out.append((i["x"], i["y"], (size - 1 if ring else size / 2 + 1.5)))
    return out


def _span_boxes(items: list[dict], geo: labels.Geometry, lane_px: float) -> list[labels.Box]:
    boxes = []
    for i in items:
        if i["end"] is not None:
            (left, y), (right, _) = geo.px(i["start"], i["y"]), geo.px(i["end"], i["y"])
            boxes.append((left, y - lane_px * 0.15, right, y + lane_px * 0.15))
    return boxes


def _label_annotations(placed: list[labels.Placed], compact: bool) -> list[dict]:
    out = []
    for p in placed:
        lines = [_esc(line) for line in p.lines]
        if p.label.note:
            lines[-1] = f"<span style='color:{theme.MISSED}'><b>{lines[-1]}</b></span>"
        out.append(dict(
            name=p.label.key if p.label.key.startswith("last-contact:") else f"label:{p.label.key}",
            text="<br>".join(lines), x=p.x, y=p.y, xref="x", yref="y",
            ax=p.tx, ay=p.ty, axref="x", ayref="y", showarrow=True, arrowhead=0, arrowwidth=1,
            arrowcolor=theme.MUTED if p.leader else "rgba(0,0,0,0)", standoff=4, startstandoff=0,
            xanchor=p.xanchor, yanchor="middle", align="left", borderpad=1, bgcolor="rgba(255,255,255,0.88)",
            font=dict(size=LABEL_PX[compact], color=theme.INK), captureevents=False,
        ))
    return out


def _silences(rows: pd.DataFrame, geo: labels.Geometry, lane_rows: int, markers: list, *,
              compact: bool, to_x: Callable[[pd.Timestamp], float],
              intervals: pd.DataFrame | None = None) -> tuple[list[dict], list[dict], list[labels.Box]]:
    """The longest silences between contacts (a year or more), written on the chart in words.

    The length comes from :func:`gaps.intervals` and its wording (shorter bound rounded down, longer
    up); the bar spans the time that is certainly empty. Returns shapes, annotations and the boxes
    (in px) they take, for the labels to keep clear of. ``intervals``: those of the rows' contacts, when
    already worked out.
    """
    case_rows_ = rows[rows["layer"] == "case"] if "layer" in rows else rows
    if len(case_rows_) < 2:
        return [], [], []
    if intervals is None:
        intervals = gaps.intervals(case_rows_, contacts_only=True)
    found = gaps.longest(intervals, n=SILENCES_SHOWN)
    found = found[found["min_days"].fillna(0) >= SILENCE_DAYS]
    font = LABEL_PX[compact]
    marks = [(*geo.px(x, y), r) for x, y, r in markers]
    shapes, notes, boxes = [], [], []
    for row in found.itertuples():
        x0, x1 = to_x(row.from_latest), to_x(row.to_earliest)
        (p0, _), (p1, _) = geo.px(x0, 0), geo.px(x1, 0)
        words = f"{row.label} without a recorded contact"
        lines = [words] if labels.text_size([words], font)[0] < p1 - p0 - 8 else theme.wrap(words, max(
            int((p1 - p0 - 8) / (font * labels.CHAR_EM)), 14))
        w, h = labels.text_size(lines, font)
        centre = (p0 + p1) / 2
        # between lanes, nearest the middle of the case's lanes, where no marker, label or silence sits
        # (the lower half first: labels of the events before a silence mostly go above it)
        slots = sorted((k + 0.5 for k in range(lane_rows - 1)), key=lambda y: abs(y - (lane_rows - 1) * 0.65))
        for slot in slots:
            _, py = geo.px(0, slot)
            box = (centre - w / 2, py - h, centre + w / 2, py - 1)
            bar = (p0, py - 1, p1, py + 4)
            clear = not any(labels.overlaps(b, (mx - r, my - r, mx + r, my + r), 1)
                            for b in (box, bar) for mx, my, r in marks)
            if clear and not any(labels.overlaps(box, other, 2) for other in boxes):
                break
        else:
            continue
        y = slot
        shapes.append(dict(type="line", xref="x", yref="y", x0=x0, x1=x1, y0=y, y1=y,
                           line=dict(color=theme.MUTED, width=2, dash="dot"), name="silence"))
        for x in (x0, x1):
            shapes.append(dict(type="line", xref="x", yref="y", x0=x, x1=x, y0=y - 0.12, y1=y + 0.12,
                               line=dict(color=theme.MUTED, width=2), name="silence"))
        _, ty = geo.data(0, box[1] + h / 2)
        notes.append(dict(name="silence", text="<br>".join(f"<i>{_esc(line)}</i>" for line in lines),
                          x=(x0 + x1) / 2, y=ty, xref="x", yref="y", showarrow=False, xanchor="center",
                          yanchor="middle", font=dict(size=font, color=theme.INK), bgcolor="rgba(255,255,255,0.88)"))
        boxes += [box, bar]
    return shapes, notes, boxes


def direct_labels(items: list[dict], wanted: list[labels.Label], geo: labels.Geometry, *, size: int,
                  compact: bool, obstacles: Iterable[labels.Box] = (),
                  extra: Iterable[tuple[labels.Label, float, float]] = ()) -> tuple[list[dict], list[labels.Placed]]:
    """The annotations naming the key events, laid out so that none overlaps another or a marker.

    ``extra`` are other texts (label, x, y) to place with them, such as a bracket's figure."""
    by_key = {i["key"]: i for i in items}
    lane_px = geo.height_px / (geo.y_bottom - geo.y_top)
    todo = [(lb, by_key[lb.key]["x"], by_key[lb.key]["y"]) for lb in wanted if lb.key in by_key] + list(extra)
    placed, _ = labels.place(todo, geo, markers=_marker_obstacles(items, size),
                             obstacles=[*obstacles, *_span_boxes(items, geo, lane_px)], font_px=LABEL_PX[compact],
                             max_leader_px=120 if compact else labels.MAX_LEADER_PX)
    return _label_annotations(placed, compact), placed


# --- the case timeline -----------------------------------------------------------------------------

def _lane_label(agency: str, context: bool, compact: bool = False) -> str:
    if context:
        text = "National policy (all cases)" if not compact else "National policy"
    else:
        text = SHORT_AGENCY.get(agency, AGENCY_BY_ID[agency].label) if compact else AGENCY_BY_ID[agency].label
    label = "<br>".join(_esc(line) for line in theme.wrap(text, 13 if compact else 20))
    return f"<span style='color:{theme.MUTED}'><i>{label}</i></span>" if context else label


def lanes(items: Iterable[dict]) -> list[tuple[str, str]]:
    """The lanes in use: the case's (layer 'case', agency) in the vocabulary's order, then one lane
    ('context', 'all') for the national policy layer if it is shown."""
    items = list(items)
    used = {i["agency"] for i in items if i["layer"] == "case"}
    order = [("case", a.id) for a in AGENCIES if a.id in used]
    if any(i["layer"] == "context" for i in items):
        order.append(("context", CONTEXT_LANE))
    return order


def _lane_of(item: dict) -> tuple[str, str]:
    return ("context", CONTEXT_LANE) if item["layer"] == "context" else ("case", item["agency"])


def case_timeline(
    events: pd.DataFrame,
    *,
    case: schema.Case,
    context: schema.Context | None = None,
    show_context: bool = True,
    selected: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    compact: bool = False,
    sources: Mapping[str, schema.Source] | None = None,
    future: Iterable[str] = (),
    show_labels: bool = True,
    intervals: pd.DataFrame | None = None,
) -> go.Figure:
    """One case as a swimlane chart: a lane per agency, the policy context below as one shaded lane.

    ``events`` are the rows to draw (see :func:`filter_events`); rows of other cases are ignored, and
    context rows are drawn only when ``show_context``. ``selected`` is the key of an event to ring.
    ``compact`` lays the chart out for a phone: short lane labels, the legend in one column.
    Key events are labelled on the chart (:mod:`timelines.labels`); the longest silences between
    contacts are written in words. ``sources`` (the library's) lets the source line name the documents.
    ``future`` (walkthrough) holds keys of events still to come: drawn as plain grey rings, without
    label, band, ring or hover text, and left out of the silences and of the legend. ``intervals``, when
    already worked out, are ``gaps.intervals`` of the case's contacts (its silences are the longest of them).
    """
    future = frozenset(future)
    keep = (events["case_id"] == case.id) & (events["layer"] == "case")
    if show_context:
        keep |= events["layer"] == "context"
    rows = events[keep]
    if needs_aggregation(rows):  # too many to draw one by one: counted when zoomed out (timelines/large.py)
        return aggregated_timeline(rows, case=case, context=context, show_context=show_context, selected=selected,
                                   title=title, subtitle=subtitle, source=source, compact=compact, sources=sources,
                                   future=future, show_labels=show_labels)
    items = plan(rows)
    order = lanes(items)
    index = {lane: n for n, lane in enumerate(order)}
    for i in items:
        i["lane"] = index[_lane_of(i)]
    own = [i for i in items if i["layer"] == "case"] or items
    first, last = _extent(own, (_ms(pd.Timestamp("2014-01-01")), _ms(pd.Timestamp("2025-12-31"))))
    span = max(last - first, 180 * DAY_MS)
    _dodge(items, span * 0.012)
    found = findings_by_event(case, context if show_context else None)
    for i in items:
        i["hover"] = hover_text(i, found.get(i["key"], ()))

    n = len(order)
    ctx = [n_ for n_, (layer, _) in enumerate(order) if layer == "context"]
    shapes, annotations = [], []
    if ctx:
        shapes = [
            dict(type="rect", xref="paper", x0=0, x1=1, yref="y", y0=ctx[0] - 0.5, y1=ctx[-1] + 0.5,
                 fillcolor=theme.CONTEXT_FILL, line=dict(width=0), layer="below"),
            dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=ctx[0] - 0.5, y1=ctx[0] - 0.5,
                 line=dict(color=theme.MUTED, width=1, dash="dot")),
        ]
    pad = span * 0.04
    x0, x1 = first - pad, last + pad
    n_case = sum(1 for i in items if i["layer"] == "case")
    years = f"{pd.Timestamp(first * 1e6).year}–{pd.Timestamp(last * 1e6).year}" if items else "no events"
    default_subtitle = (f"{n_case} event{'s' if n_case != 1 else ''} by agency, {years}. Hollow markers on "
                        "hatched bands: dates known only to the month, year or a range.")
    subtitle = subtitle or default_subtitle
    if source is None:
        source = source_line((s for ids in rows.loc[rows["layer"] == "case", "source_ids"] for s in ids), sources,
                             limit=1 if compact else 2)
    title = title or case.title
    size = MARKER_SIZE - 3 if compact else MARKER_SIZE
    drawn = [i for i in items if i["key"] not in future]
    legend = _legend_entries(_decorations(drawn, 1, None, size) + _event_traces(items, size, future))
    geo = _geometry(x0, x1, n, legend, title=title, subtitle=subtitle, source=source, compact=compact,
                    axis_title=False)
    markers = _marker_obstacles(items, size)
    past_rows = rows[~rows.apply(lambda r: event_key(r["event_id"], layer=r["layer"]) in future, axis=1)] \
        if future and len(rows) else rows
    n_case_lanes = n - len(ctx)
    silence_shapes, silence_notes, taken = _silences(
        past_rows, geo, n_case_lanes, markers, compact=compact, to_x=_ms, intervals=None if future else intervals)
    label_notes: list[dict] = []
    if show_labels:
        wanted = [lb for lb in labels.case_labels(past_rows, case, context if show_context else None)
                  if lb.key not in future]
        label_notes, _ = direct_labels(items, wanted, geo, size=size, compact=compact, obstacles=taken)
    layout = dict(
        shapes=shapes + silence_shapes, annotations=annotations + silence_notes + label_notes,
        xaxis=dict(type="date", range=[x0, x1], dtick="M24" if compact or span > 14 * YEAR_MS else "M12",
                   tickformat="%Y"),
        yaxis=dict(tickmode="array", tickvals=list(range(n)),
                   ticktext=[_lane_label(a, layer == "context", compact) for layer, a in order],
                   range=[n - 0.5, -0.5 - (HEADROOM if show_labels else 0)], fixedrange=True, showgrid=True,
                   gridcolor=theme.GRID, ticklabelstandoff=6),
        meta={"labels": [a["name"][6:] for a in label_notes]},
    )
    return _figure(items, layout, reach=span * 0.05, selected=selected, title=title, subtitle=subtitle,
                   source=source, n_lanes=n, compact=compact, future=future)


# --- the comparison --------------------------------------------------------------------------------

# On a phone the comparison stacks the cases, one tall lane each (COMPACT_CASE_ROWS lanes' height), its
# events spread further apart within it, with the bracket under them; the plot spans the chart's width.
CASE_LANE = "case"
COMPACT_CASE_ROWS = 7
COMPACT_CENTRE = 2.9  # the events' line: this many lanes below the case's first lane (its top edge 0.5 above)
COMPACT_SPREAD = 1.6
COMPACT_BRACKET = 1.65
COMPACT_MARGIN_PX = 10
COMPACT_COMPARISON_PX = 260  # the plot's width on a 320 px screen: the narrowest it is laid out for
HEADING_PX = 13
COMPACT_LABEL_CHARS = 20  # a phone's labels wrap to lines of this many characters

LAST_CONTACT = ("Last Prevent contact: the last event of the Prevent and Channel process recorded "
                "before the attack (the end of a span, such as time in Channel, counts).")


def _bounds(row: pd.Series, *, end: bool = False) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last calendar day an event's date (or the end of its span) allows."""
    if end and isinstance(row["end_text"], str):
        from .dates import PartialDate
        part = PartialDate.parse(row["end_text"])
        return part.start.normalize(), part.end.normalize()
    lo, hi = row["earliest"], row["latest"]
    lo, hi = (hi if pd.isna(lo) else lo), (lo if pd.isna(hi) else hi)
    return pd.Timestamp(lo).normalize(), pd.Timestamp(hi).normalize()


def days_between(earlier: pd.Series, later: pd.Series, *, from_end: bool = False) -> tuple[float, float]:
    """The fewest and most whole calendar days from ``earlier`` (its end, for a span, if ``from_end``)
    to ``later``, counted as :mod:`timelines.gaps` counts them."""
    first, last = _bounds(earlier, end=from_end), _bounds(later)
    return float(max((last[0] - first[1]).days, 0)), float(max((last[1] - first[0]).days, 0))


def last_contact_span(events: pd.DataFrame, case: schema.Case) -> tuple[pd.Series, str] | None:
    """The last Prevent contact before the attack and the time from it to the attack, in words
    (:func:`describe_span`: the shorter bound rounded down, the longer up)."""
    from .measures import outcome_row

    last, outcome = last_prevent_contact(events, case), outcome_row(events, case)
    if last is None or outcome is None:
        return None
    return last, describe_span(*days_between(last, outcome, from_end=True))


def comparison_title(events: pd.DataFrame, cases: Sequence[schema.Case], align_on: str) -> str:
    """An active title: what the aligned chart shows, in the words of :func:`describe_span` (a lower
    bound is never rounded up)."""
    from .measures import first_of_kind, outcome_row

    if not cases:
        return "No case to compare"
    if align_on == "first_referral":
        parts = []
        for case in cases:
            first, outcome = first_of_kind(events, case.id, "referral"), outcome_row(events, case)
            if first is not None and outcome is not None:
                parts.append(f"{short_name(case)} {describe_span(*days_between(first, outcome))}")
        return "From first referral to attack: " + "; ".join(parts) if parts else "Aligned on the first referral"
    spans = []
    for case in cases:
        last, outcome = last_prevent_contact(events, case), outcome_row(events, case)
        spans.append(None if last is None or outcome is None else days_between(last, outcome, from_end=True))
    if all(span is not None and span[0] >= DAYS_PER_YEAR for span in spans):
        many = len(cases) > 1
        return (f"{'Each' if many else 'The'} attack came years after the last Prevent contact: "
                + "; ".join(f"{short_name(case)} {describe_span(*span)}"
                            for case, span in zip(cases, spans, strict=True)))
    return " and ".join(short_name(c) for c in cases) + ": events aligned on the attack"


def comparison(
    events: pd.DataFrame,
    *,
    cases: Sequence[schema.Case],
    align_on: str = "outcome",
    selected: str | None = None,
    source: str | None = None,
    compact: bool = False,
    sources: Mapping[str, schema.Source] | None = None,
    show_labels: bool = True,
) -> go.Figure:
    """Both cases on one chart, in years before and after the event they are aligned on.

    One lane per case and family of kinds. Keys in ``customdata`` are '<case id>:<event id>'. Each
    case's key events are labelled, and the time from its last Prevent contact to the attack is drawn
    as a bracket with the figure written on it.

    ``compact`` (a phone, at most about 400 px wide): the cases are stacked, one tall lane each, named by
    a heading inside the plot rather than by lane names at its side, so that the plot keeps the screen's
    width; labels wrap to short lines and are laid out for a 260 px plot (a 320 px screen); the bracket's
    figure sits under it. Labels with no room are left to the table, never drawn over each other.
    """
    if align_on not in ALIGNMENTS:
        raise ValueError(f"align_on must be one of {', '.join(ALIGNMENTS)}, not {align_on!r}")
    label = ALIGNMENTS[align_on]
    anchors = {c.id: a for c in cases if (a := anchor(events, c, align_on)) is not None}
    names = {c.id: short_name(c) for c in cases}
    found: dict[str, list[schema.Finding]] = {}
    items: list[dict] = []
    zeros: dict[str, float] = {}
    for case in cases:
        if case.id not in anchors:
            continue
        zero = zeros[case.id] = _ms(anchors[case.id])
        for key, value in findings_by_event(case).items():
            found[f"{case.id}:{key}"] = value
        for i in plan(case_rows(events, case.id), key=lambda r: f"{r['case_id']}:{r['event_id']}"):
            for col in ("x", "lo", "hi", "start", "end"):
                if i[col] is not None:
                    i[col] = (i[col] - zero) * 1e6 / YEAR.value  # milliseconds -> years
            items.append(i)
    if compact:  # a phone: the cases stacked, one tall lane each, named by a heading inside the plot
        order = [(c.id, CASE_LANE) for c in cases if any(i["case_id"] == c.id for i in items)]
        index = {lane: n * COMPACT_CASE_ROWS + COMPACT_CENTRE for n, lane in enumerate(order)}
        for i in items:
            i["lane"] = index[(i["case_id"], CASE_LANE)]
    else:
        order = [(c.id, f.id) for c in cases if c.id in anchors for f in FAMILIES
                 if any(i["case_id"] == c.id and i["family"] == f.id for i in items)]
        index = {lane: n for n, lane in enumerate(order)}
        for i in items:
            i["lane"] = index[(i["case_id"], i["family"])]
    first, last = _extent(items, (-5.0, 2.0))
    span = max(last - first, 1.0)
    _dodge(items, span * 0.012)
    if compact:
        for i in items:
            i["y"] = i["lane"] + (i["y"] - i["lane"]) * COMPACT_SPREAD

    def when(x: float) -> str:
        if abs(x) < 0.05:
            return f"At {label}"
        return f"{abs(x):.1f} years {'before' if x < 0 else 'after'} {label}"

    for i in items:
        i["hover"] = hover_text(i, found.get(i["key"], ()), extra=when(i["x"]))
    n = len(order) * COMPACT_CASE_ROWS if compact else len(order)
    ticktext = []
    for n_, (c, f) in enumerate(order if not compact else ()):
        family = _esc(SHORT_FAMILY[compact].get(f, FAMILY_BY_ID[f].label))
        new_case = n_ == 0 or order[n_ - 1][0] != c
        ticktext.append(f"<b>{_esc(names[c])}</b><br>{family}" if new_case else family)
    # the lines between cases (y of each), and on a phone the case's heading just under its line
    breaks = ([k * COMPACT_CASE_ROWS - 0.5 for k in range(1, len(order))] if compact
              else [k - 0.5 for k in range(1, n) if order[k][0] != order[k - 1][0]])
    shapes = [dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=y, y1=y,
                   line=dict(color=theme.MUTED, width=1)) for y in breaks]
    shapes.append(dict(type="line", xref="x", x0=0, x1=0, yref="paper", y0=0, y1=1,
                       line=dict(color=theme.INK, width=1.5, dash="dash")))
    pad = span * 0.04
    x0, x1 = first - pad, last + pad
    shown = [c for c in cases if c.id in anchors]
    title = comparison_title(events, shown, align_on)
    subtitle = (f"Events of each case in years before and after {label}. Hollow markers on hatched "
                f"bands: dates known only within a period. {LAST_CONTACT}")
    if source is None:
        ids = [s for c in shown for ids in case_rows(events, c.id)["source_ids"] for s in ids]
        source = source_line(ids, sources, limit=1 if compact else 2)
    size = MARKER_SIZE - 3 if compact else MARKER_SIZE
    legend = _legend_entries(_decorations(items, 1, None, size) + _event_traces(items, size))
    geo = _geometry(x0, x1, n, legend, title=title, subtitle=subtitle, source=source, compact=compact,
                    axis_title=True)
    if compact:  # the plot spans the phone's width, less the chart's margins: laid out for 320 px
        geo = labels.Geometry(geo.x0, geo.x1, COMPACT_COMPARISON_PX, geo.y_top, geo.y_bottom, geo.height_px)
    notes: list[dict] = [dict(text=f"<b>{_esc(label[0].upper() + label[1:])}</b>", x=0, xref="x", y=1,
                              yref="paper", yanchor="bottom", showarrow=False, font=dict(size=LABEL_PX[compact]),
                              name="anchor")]
    # the line between two cases is kept clear: a label across it would seem to belong to both
    taken: list[labels.Box] = [(0, geo.px(0, y)[1] - 2, geo.width_px, geo.px(0, y)[1] + 2) for y in breaks]
    if compact:
        heads, head_boxes = _case_headings(order, names, geo)
        notes += heads
        taken += head_boxes
    brackets: list[tuple[labels.Label, float, float]] = []
    font = LABEL_PX[compact]
    for case in shown:
        found_last = last_contact_span(events, case) if align_on in ("outcome", "first_referral") else None
        lane = index.get((case.id, CASE_LANE if compact else "prevent"))
        outcome = next((i for i in items if i["case_id"] == case.id and i["event_id"] == case.outcome_event), None)
        if found_last is None or lane is None or outcome is None:
            continue
        row, words = found_last
        key = f"{case.id}:{row['event_id']}"
        start = next(i for i in items if i["key"] == key)
        xa = start["end"] if start["end"] is not None else (start["hi"] if start["hi"] is not None else start["x"])
        xb = outcome["lo"] if outcome["lo"] is not None else outcome["x"]
        y = lane + (COMPACT_BRACKET if compact else 0.38)
        shapes.append(dict(type="line", xref="x", yref="y", x0=xa, x1=xb, y0=y, y1=y, name="last-contact",
                           line=dict(color=theme.INK, width=2)))
        for x in (xa, xb):
            shapes.append(dict(type="line", xref="x", yref="y", x0=x, x1=x, y0=y - 0.1, y1=y + 0.1,
                               name="last-contact", line=dict(color=theme.INK, width=2)))
        text = f"{words[0].upper() + words[1:]} from the last Prevent contact to the attack"
        (pa, py), (pb, _) = geo.px(xa, y), geo.px(xb, y)
        lines = [text] if labels.text_size([text], font)[0] < max(pb - pa, 0) else theme.wrap(text, 34)
        if compact:
            lines = [words[0].upper() + words[1:], "since the last", "Prevent contact"]
        taken.append((pa, py - 2, pb, py + 3))
        # placed with the labels, first of all, so that it covers no marker and no label covers it
        brackets.append((labels.Label(f"last-contact:{case.id}", row["event_id"], "\n".join(lines), "",
                                      labels.OUTCOME_PRIORITY + 10, False), (xa + xb) / 2,
                         y + (0.25 if compact else 0)))  # on a phone, under the bracket: the room above is for labels
    wanted = [lb for case in shown for lb in labels.case_labels(
        case_rows(events, case.id), case, key=lambda r: f"{r['case_id']}:{r['event_id']}")] if show_labels else []
    if compact:
        wanted = [_wrapped_label(lb, COMPACT_LABEL_CHARS) for lb in wanted]
    label_notes, _ = direct_labels(items, wanted, geo, size=size, compact=compact, obstacles=taken, extra=brackets)
    notes += label_notes
    layout = dict(
        shapes=shapes, annotations=notes,
        xaxis=dict(title=dict(text=f"Years before and after {label}" if compact
                              else f"Years before (−) and after (+) {label}"), range=[x0, x1],
                   zeroline=False, dtick=1 if span <= (7 if compact else 14) else 2),
        yaxis=dict(tickmode="array", tickvals=sorted(index.values()) if compact else list(range(n)),
                   ticktext=ticktext, showticklabels=not compact,
                   range=[n - 0.5, -0.5 - (HEADROOM if show_labels else 0)],
                   fixedrange=True, showgrid=True, gridcolor=theme.GRID, ticklabelstandoff=6),
        meta={"labels": [a["name"][6:] for a in notes if a["name"].startswith("label:")], "align": label},
    )
    fig = _figure(items, layout, reach=span * 0.05, selected=selected, title=title, subtitle=subtitle,
                  source=source, n_lanes=n, compact=compact, axis_title=True)
    if compact:  # no lane names at the side: the plot takes the phone's whole width
        # and the legend comes after the chart, one entry a row, so that a phone's first screen is the chart:
        # (the figure grows by the legend's room, so the plot keeps its height and the labels their places)
        room = _legend_rows(_legend_entries([t.to_plotly_json() for t in fig.data]), True) * LEGEND_ROW_PX + 16
        fig.update_layout(
            margin=dict(l=COMPACT_MARGIN_PX, r=COMPACT_MARGIN_PX, b=fig.layout.margin.b + room),
            height=fig.layout.height + room,
            legend=theme.LEGEND_BELOW)
    return fig


def _wrapped_label(label: labels.Label, chars: int) -> labels.Label:
    """The label's first line (words and date) wrapped to lines of at most ``chars`` characters."""
    first = f"{label.words}, {label.date}" if label.date else label.words
    return replace(label, words="\n".join(theme.wrap(first, chars)), date="")


def _case_headings(order: list[tuple[str, str]], names: Mapping[str, str],
                   geo: labels.Geometry) -> tuple[list[dict], list[labels.Box]]:
    """On a phone, each case's name as a heading at the top left of its lane (no lane names at the
    side, so the plot keeps the width), and the boxes the headings take, for the labels to keep clear."""
    notes, boxes = [], []
    for k, (case_id, _) in enumerate(order):
        top = k * COMPACT_CASE_ROWS - 0.5
        text = names[case_id]
        notes.append(dict(name="case-heading", text=f"<b>{_esc(text)}</b>", x=0, xref="paper", y=top, yref="y",
                          xanchor="left", yanchor="top", yshift=-2, showarrow=False, align="left",
                          font=dict(size=HEADING_PX, color=theme.INK), bgcolor="rgba(255,255,255,0.88)"))
        w, h = labels.text_size([text], HEADING_PX)
        _, py = geo.px(0, top)
        boxes.append((0, py, w * 1.1 + 4, py + h + 4))  # bold runs wider
    return notes, boxes
