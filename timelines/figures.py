"""The charts: a swimlane timeline per case, and both cases aligned on one event.

How a date is drawn depends on what the sources allow, never on what would look neat:

- a date known to the day is a filled marker (shape by kind, colour by family of kinds);
- a window (a month, a year, "about", "between") is a translucent hatched band over the whole window,
  with a hollow marker at its middle so that it can be hovered, clicked and told apart by shape;
- an open window ("before", "after") is a hollow marker at the known bound with a dotted arrow
  pointing into the open side;
- a span (``end``, such as time in Channel) is a solid bar from its start to the end of its end date.

Every visible event is drawn by exactly one marker carrying its key in ``customdata`` (see
:func:`event_keys`); bands, spans, arrows and rings are decorations without ``customdata``, each
naming the events it belongs to in ``ids`` or ``meta["keys"]``. Every trace says what it is in
``meta["role"]`` (one of :data:`ROLES`). A figure is a few traces (one per kind, not one per event),
built as plain dicts in one go, without Plotly's per-property validation (the tests validate every
figure instead); shapes are set once, never added in a loop.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from . import schema, theme
from .large import webgl_above_threshold
from .measures import ALIGNMENTS, YEAR, anchor, case_rows, key_figures, short_name
from .vocab import AGENCIES, AGENCY_BY_ID, FAMILIES, FAMILY_BY_ID, KINDS

LANE_PX = 46
COMPACT_LANE_PX = 42
LEGEND_ROW_PX = 20
LEGEND_COLUMNS = 3  # what a desktop's chart width holds; a phone's (compact) holds one
MARKER_SIZE = 15
EPOCH = pd.Timestamp(0)
MS = pd.Timedelta(milliseconds=1)
DAY_MS = 86_400_000
ROW_OFFSETS = (0.0, -0.28, 0.28, -0.14, 0.14)
OPEN_SYMBOLS = {k.symbol for k in KINDS if k.symbol.endswith("-open")}
ROLES = ("event", "band", "span", "open", "missed", "selected")
DECORATION_NAMES = {
    "band": "Date known only within the band",
    "span": "Span, e.g. time in Channel",
    "open": "Open date (before or after)",
    "missed": "Missed opportunity (review finding)",
    "selected": "Selected event",
}
# Reading aids lead the legend, then the kinds in the vocabulary's order.
LEGEND_RANK = {"missed": 1, "band": 2, "span": 3, "open": 4, "selected": 5}
# Short lane labels for a phone (compact) chart; the vocabulary's label everywhere else.
SHORT_AGENCY = {
    "ctp_prevent": "CT Policing (Prevent)", "police": "Local police", "channel": "Channel panel",
    "government": "Home Office", "intervention_provider": "Intervention provider",
}
SHORT_FAMILY = {False: {"prevent": "Prevent and Channel", "services": "Other services",
                        "outcome": "Attack and courts", "oversight": "Reviews and policy"},
                True: {"prevent": "Prevent", "services": "Services", "outcome": "Courts", "oversight": "Reviews"}}
SOURCE = "Prevent case timelines, compiled from official statements, reviews and reports"
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
    for rec in rows[list(PLAN_COLUMNS)].to_dict("records"):
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

def _event_traces(items: list[dict], size: int = MARKER_SIZE) -> list[dict]:
    """One marker trace per kind: filled for a known day, hollow for a window; shape by kind."""
    traces = []
    for rank, kind in enumerate(KINDS):
        part = [i for i in items if i["kind"] == kind.id]
        if not part:
            continue
        part.sort(key=lambda i: i["shape"] != "point")  # a filled marker first: the legend shows it
        colour = FAMILY_BY_ID[kind.family].colour
        exact = [i["shape"] == "point" for i in part]
        if kind.symbol in OPEN_SYMBOLS:
            fill, line, width = [colour] * len(part), [colour] * len(part), [2.5] * len(part)
        else:
            fill = [colour if e else "white" for e in exact]
            line = ["white" if e else colour for e in exact]
            width = [1.2 if e else 2.2 for e in exact]
        traces.append(dict(
            type="scatter", mode="markers", name=kind.label, legendrank=100 + rank,
            x=[i["x"] for i in part], y=[i["y"] for i in part],
            customdata=[i["key"] for i in part], hovertext=[i["hover"] for i in part],
            hovertemplate="%{hovertext}<extra></extra>",
            marker=dict(symbol=kind.symbol, size=size, color=fill, line=dict(color=line, width=width)),
            meta={"role": "event", "kind": kind.id},
        ))
    return traces


def _bar(part: list[dict], base: list[float], length: list[float], role: str) -> dict:
    colours = [FAMILY_BY_ID[i["family"]].colour for i in part]
    hatched = role == "band"
    return dict(
        type="bar", orientation="h", base=base, x=length, y=[i["y"] for i in part],
        width=[0.24 if i["crowded"] else 0.5 for i in part], name=DECORATION_NAMES[role], hoverinfo="skip",
        ids=[i["key"] for i in part], legendrank=LEGEND_RANK[role],
        marker=dict(color=colours, opacity=0.3 if hatched else 0.45, line=dict(color=colours, width=1),
                    pattern=dict(shape="/", fgcolor=colours, solidity=0.3) if hatched else None),
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
            hoverinfo="skip", legendrank=LEGEND_RANK["open"], line=dict(color=theme.MUTED, width=1.5, dash="dot"),
            marker=dict(symbol="arrow", angleref="previous", size=sizes, color=theme.MUTED),
            meta={"role": "open", "keys": [i["key"] for i in opens]},
        ))
    for role, part in (("missed", [i for i in items if i["missed_opportunity"]]),
                       ("selected", [i for i in items if i["key"] == selected])):
        if not part:
            continue
        missed = role == "missed"
        traces.append(dict(
            type="scatter", mode="markers", name=DECORATION_NAMES[role], showlegend=missed,
            x=[i["x"] for i in part], y=[i["y"] for i in part], hoverinfo="skip",
            legendrank=LEGEND_RANK[role],
            marker=dict(symbol="circle-open" if missed else "square-open",
                        size=size * 2 - 1 if missed else size * 2 + 5,
                        color=theme.MISSED if missed else theme.SELECTED, line=dict(width=3.5 if missed else 2)),
            meta={"role": role, "keys": [i["key"] for i in part]},
        ))
    return traces


def _extent(items: list[dict], default: tuple[float, float]) -> tuple[float, float]:
    values = [v for i in items for v in (i["lo"], i["hi"], i["x"], i["end"]) if v is not None]
    return (min(values), max(values)) if values else default


def _figure(items: list[dict], layout: dict, *, reach: float, selected: str | None, title: str,
            subtitle: str, source: str, n_lanes: int, compact: bool, axis_title: bool = False) -> go.Figure:
    size = MARKER_SIZE - 3 if compact else MARKER_SIZE
    data = webgl_above_threshold(_decorations(items, reach, selected, size) + _event_traces(items, size))
    entries = sum(1 for t in data if t.get("showlegend", True))
    height = height_for(n_lanes, entries, title=title, subtitle=subtitle, source=source,
                        compact=compact, axis_title=axis_title)
    framed = theme.frame_layout(title=title, subtitle=subtitle, source=source, height=height,
                                annotations=layout.pop("annotations", []), axis_title=axis_title, compact=compact)
    layout = {**framed, **layout, "barmode": "overlay", "dragmode": False, "hovermode": "closest",
              "template": theme.template_dict()}
    layout["meta"] = {**framed["meta"], "compact": compact}
    # The traces and layout are plain dicts written here and checked by the tests (test_figures.py
    # validates every figure); skipping Plotly's validation on each build saves most of its cost.
    return go.Figure(data=data, layout=layout, _validate=False)


def height_for(n_lanes: int, legend_entries: int, *, title: str, subtitle: str, source: str,
               compact: bool = False, axis_title: bool = False) -> int:
    """Room for the title block, the legend's rows, the lanes and the source line."""
    columns = 1 if compact else LEGEND_COLUMNS
    legend = -(-legend_entries // columns) * LEGEND_ROW_PX + 16
    lanes_px = max(n_lanes, 2) * (COMPACT_LANE_PX if compact else LANE_PX)
    return (theme.title_block_px(title, subtitle, compact=compact) + 26 + legend + lanes_px
            + theme.bottom_px(source, axis_title=axis_title, compact=compact))


def event_keys(fig: go.Figure | dict) -> list[str]:
    """Every event key drawn as a marker: each visible event appears exactly once."""
    data = fig["data"] if isinstance(fig, dict) else fig.data
    return [k for t in data if (t["meta"] or {}).get("role") == "event" for k in (t["customdata"] or ())]


# --- the case timeline -----------------------------------------------------------------------------

def _lane_label(agency: str, context: bool, compact: bool = False) -> str:
    text = SHORT_AGENCY.get(agency, AGENCY_BY_ID[agency].label) if compact else AGENCY_BY_ID[agency].label
    label = "<br>".join(_esc(line) for line in theme.wrap(text, 13 if compact else 20))
    return f"<span style='color:{theme.MUTED}'><i>{label}</i></span>" if context else label


def lanes(items: Iterable[dict]) -> list[tuple[str, str]]:
    """The (layer, agency) lanes in use, in the vocabulary's order: case lanes, then context lanes."""
    used = {(i["layer"], i["agency"]) for i in items}
    return [(layer, a.id) for layer in ("case", "context") for a in AGENCIES if (layer, a.id) in used]


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
) -> go.Figure:
    """One case as a swimlane chart: a lane per agency, the policy context below as a shaded layer.

    ``events`` are the rows to draw (see :func:`filter_events`); rows of other cases are ignored, and
    context rows are drawn only when ``show_context``. ``selected`` is the key of an event to ring.
    ``compact`` lays the chart out for a phone: short lane labels, the legend in one column.
    """
    keep = (events["case_id"] == case.id) & (events["layer"] == "case")
    if show_context:
        keep |= events["layer"] == "context"
    items = plan(events[keep])
    order = lanes(items)
    index = {lane: n for n, lane in enumerate(order)}
    for i in items:
        i["lane"] = index[(i["layer"], i["agency"])]
    first, last = _extent(items, (_ms(pd.Timestamp("2014-01-01")), _ms(pd.Timestamp("2025-12-31"))))
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
        annotations = [dict(text="<i>National policy and oversight (all cases)</i>", xref="paper", x=0,
                            xanchor="left", yref="y", y=ctx[0] - 0.5, yanchor="top", showarrow=False,
                            font=dict(size=11, color=theme.MUTED), name="context-label")]
    pad = span * 0.04
    layout = dict(
        shapes=shapes, annotations=annotations,
        xaxis=dict(type="date", range=[first - pad, last + pad]),
        yaxis=dict(tickmode="array", tickvals=list(range(n)),
                   ticktext=[_lane_label(a, layer == "context", compact) for layer, a in order],
                   range=[n - 0.5, -0.5], fixedrange=True, showgrid=True, gridcolor=theme.GRID,
                   ticklabelstandoff=6),
    )
    n_case = sum(1 for i in items if i["layer"] == "case")
    years = f"{pd.Timestamp(first * 1e6).year}–{pd.Timestamp(last * 1e6).year}" if items else "no events"
    default_subtitle = (f"{n_case} event{'s' if n_case != 1 else ''} by agency, {years}. Hollow markers on "
                        "hatched bands: dates known only to the month, year or a range.")
    return _figure(items, layout, reach=span * 0.05, selected=selected, title=title or case.title,
                   subtitle=subtitle or default_subtitle, source=source or SOURCE, n_lanes=n, compact=compact)


# --- the comparison --------------------------------------------------------------------------------

def comparison_title(events: pd.DataFrame, cases: Sequence[schema.Case], align_on: str) -> str:
    """An active title: what the aligned chart shows, in figures the key-figure cards also give."""
    figures = [key_figures(events, c) for c in cases]
    if not figures:
        return "No case to compare"
    if align_on == "first_referral":
        gaps = [f"{f.name} {f.first_referral_to_outcome}" for f in figures if f.first_referral_to_outcome]
        return "From first referral to attack: " + "; ".join(gaps) if gaps else "Aligned on the first referral"
    last = [f.last_contact_to_outcome for f in figures]
    if all(gap is not None and gap.low >= 1 for gap in last):
        many = len(figures) > 1
        return (f"{'Each' if many else 'The'} attack came years after the last Prevent contact: "
                + "; ".join(f"{f.name} {gap}" for f, gap in zip(figures, last, strict=True)))
    return " and ".join(f.name for f in figures) + ": events aligned on the attack"


def comparison(
    events: pd.DataFrame,
    *,
    cases: Sequence[schema.Case],
    align_on: str = "outcome",
    selected: str | None = None,
    source: str | None = None,
    compact: bool = False,
) -> go.Figure:
    """Both cases on one chart, in years before and after the event they are aligned on.

    One lane per case and family of kinds. Keys in ``customdata`` are '<case id>:<event id>'.
    """
    if align_on not in ALIGNMENTS:
        raise ValueError(f"align_on must be one of {', '.join(ALIGNMENTS)}, not {align_on!r}")
    label = ALIGNMENTS[align_on]
    anchors = {c.id: a for c in cases if (a := anchor(events, c, align_on)) is not None}
    names = {c.id: short_name(c) for c in cases}
    found: dict[str, list[schema.Finding]] = {}
    items: list[dict] = []
    for case in cases:
        if case.id not in anchors:
            continue
        zero = _ms(anchors[case.id])
        for key, value in findings_by_event(case).items():
            found[f"{case.id}:{key}"] = value
        for i in plan(case_rows(events, case.id), key=lambda r: f"{r['case_id']}:{r['event_id']}"):
            for col in ("x", "lo", "hi", "start", "end"):
                if i[col] is not None:
                    i[col] = (i[col] - zero) * 1e6 / YEAR.value  # milliseconds -> years
            items.append(i)
    order = [(c.id, f.id) for c in cases if c.id in anchors for f in FAMILIES
             if any(i["case_id"] == c.id and i["family"] == f.id for i in items)]
    index = {lane: n for n, lane in enumerate(order)}
    for i in items:
        i["lane"] = index[(i["case_id"], i["family"])]
    first, last = _extent(items, (-5.0, 2.0))
    span = max(last - first, 1.0)
    _dodge(items, span * 0.012)

    def when(x: float) -> str:
        if abs(x) < 0.05:
            return f"At {label}"
        return f"{abs(x):.1f} years {'before' if x < 0 else 'after'} {label}"

    for i in items:
        i["hover"] = hover_text(i, found.get(i["key"], ()), extra=when(i["x"]))
    n = len(order)
    ticktext = []
    for n_, (c, f) in enumerate(order):
        family = _esc(SHORT_FAMILY[compact].get(f, FAMILY_BY_ID[f].label))
        new_case = n_ == 0 or order[n_ - 1][0] != c
        ticktext.append(f"<b>{_esc(names[c])}</b><br>{family}" if new_case else family)
    shapes = [dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=k - 0.5, y1=k - 0.5,
                   line=dict(color=theme.MUTED, width=1)) for k in range(1, n) if order[k][0] != order[k - 1][0]]
    shapes.append(dict(type="line", xref="x", x0=0, x1=0, yref="paper", y0=0, y1=1,
                       line=dict(color=theme.INK, width=1.5, dash="dash")))
    pad = span * 0.04
    layout = dict(
        shapes=shapes,
        annotations=[dict(text=f"<b>{_esc(label[0].upper() + label[1:])}</b>", x=0, xref="x", y=1,
                          yref="paper", yanchor="bottom", showarrow=False, font=dict(size=12), name="anchor")],
        xaxis=dict(title=dict(text=f"Years before and after {label}" if compact
                              else f"Years before (−) and after (+) {label}"), range=[first - pad, last + pad],
                   zeroline=False, dtick=1 if span <= (7 if compact else 14) else 2),
        yaxis=dict(tickmode="array", tickvals=list(range(n)), ticktext=ticktext, range=[n - 0.5, -0.5],
                   fixedrange=True, showgrid=True, gridcolor=theme.GRID, ticklabelstandoff=6),
    )
    return _figure(
        items, layout, reach=span * 0.05, selected=selected,
        title=comparison_title(events, [c for c in cases if c.id in anchors], align_on),
        subtitle=(f"Events of each case in years before and after {label}. Hollow markers on hatched "
                  "bands: dates known only within a period."),
        source=source or SOURCE, n_lanes=n, compact=compact, axis_title=True,
    )
