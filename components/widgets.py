"""Widgets shared by the pages: a chart with its download choice, the table beside every chart (with
CSV), an event's detail (sources, findings, disputes), and a case's key-figure card."""

from __future__ import annotations

import html
import json
import math
import re
import threading
import weakref
from collections.abc import Callable, Collection
from urllib.parse import quote

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.utils import PlotlyJSONEncoder

from components.plotly_view import drawable, plotly_view
from timelines import Library, export, schema
from timelines.charts import blank
from timelines.dates import PartialDate
from timelines.figures import event_key
from timelines.measures import KeyFigures
from timelines.theme import modebar_config, slug
from timelines.vocab import AGENCY_BY_ID, KIND_BY_ID

_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>#|$~"})
_MD_BLOCK = re.compile(r"^(\d*)([-+=.)])(?=\s|$)")  # a list marker or underline at the very start
FORMATS = {"png": "PNG (twice the screen size)", "svg": "SVG (for print)"}
TABLE_OPEN = False  # the events table under each chart starts closed; see table_section


def md(text: object) -> str:
    """Data text made literal in Streamlit Markdown: no markup, links, maths or HTML from the data, and no
    list, quote or heading from its first characters ('- x', '1. x', '+ x')."""
    out = " ".join(str(text).split()).translate(_MD_SPECIAL)
    return _MD_BLOCK.sub(lambda m: m[1] + "\\" + m[2], out, count=1)


def human_date(text: str) -> str:
    return PartialDate.parse(text).human()


# --- charts ---------------------------------------------------------------------------------------

HOVER_NOTE = ("Tap or hover on a marker for its summary. The summary stays until you tap or move elsewhere "
              "(Esc does not close it); the table under the chart holds the same information.")


# --- the figure as sent: its dict made once per figure object, smaller, never copied again ------------

_DATE_AT_MIDNIGHT = re.compile(r"^(\d{4}-\d\d-\d\d)[T ]00:00:00(?:\.0+)?$")
DECIMALS = 4  # floats sent with at most this many decimals (a ten-thousandth of a year, of the plot's width)


def _compact(value):
    """A figure's dict made smaller for the wire, meaning unchanged: floats rounded to :data:`DECIMALS`,
    a date-time at midnight written as its date, trace ``uid`` dropped (plotly.js makes its own), NaN as
    null up front (so that Plotly's encoder never takes its slower second pass over the whole figure)."""
    if isinstance(value, float):  # NaN and infinities as null, as Plotly's encoder writes them
        return round(value, DECIMALS) if math.isfinite(value) else None
    if isinstance(value, str):
        match = _DATE_AT_MIDNIGHT.match(value) if len(value) >= 19 else None
        return match[1] if match else value
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items() if k != "uid"}
    if isinstance(value, (list, tuple)):
        return [_compact(v) for v in value]
    return value  # ints, bools, None, and plotly's typed arrays ({"dtype", "bdata"} as str)


class SentFigure(go.Figure):
    """A finished figure as ``st.plotly_chart`` takes it: an empty ``go.Figure`` whose ``to_dict()`` is the
    finished figure's dict, compacted once (see :func:`_compact`).

    ``st.plotly_chart`` turns a figure into a dict (a deep copy, with every array re-encoded) and then into
    JSON on every run; for a figure kept between runs (a cached view) that work is done once here, and
    each run only dumps a plain dict (the C encoder). Read-only: never change a figure after charting it.
    """

    def __init__(self, spec: dict):
        super().__init__(layout={"template": None})
        self._sent_spec = spec
        self._sent_json: str | None = None

    def to_dict(self) -> dict:
        return self._sent_spec

    def to_json_text(self) -> str:
        """The spec as compact JSON, made on first use and kept (what the basic-bundle chart sends). Plotly's
        encoder, as ``st.plotly_chart`` uses: a figure's dict may still hold numpy arrays and dates."""
        if self._sent_json is None:
            self._sent_json = json.dumps(self._sent_spec, cls=PlotlyJSONEncoder, separators=(",", ":"))
        return self._sent_json


_SENT: dict[int, tuple[weakref.ref, SentFigure]] = {}
_SENT_LOCK = threading.Lock()


def sent_figure(fig: go.Figure) -> SentFigure:
    """The figure as sent, made once per figure object (kept while the figure lives).

    Figures built on every run gain nothing but lose nothing; figures kept between runs (the cached view
    of a case, a step of a walkthrough) are turned into JSON-ready dicts once, not on every run of every
    session. A figure must not change once charted (figures kept between runs are read-only anyway).
    """
    if isinstance(fig, SentFigure):
        return fig
    ident = id(fig)
    hit = _SENT.get(ident)
    if hit is not None and hit[0]() is fig:
        return hit[1]
    sent = SentFigure(_compact(fig.to_dict()))
    with _SENT_LOCK:
        _SENT[ident] = (weakref.ref(fig, lambda _ref, ident=ident: _SENT.pop(ident, None)), sent)
    return sent


def chart(fig: go.Figure, *, key: str, filename: str, alt: str,
          on_select: Callable[[], None] | None = None, slides: bool = True) -> None:
    """A chart with the modebar's download (PNG at 2x, or SVG) under a file name that says what it is.

    ``slides`` adds the server-rendered slide images (the wide chart's; a phone's vertical chart has none).
    The figure's JSON is made once per figure object (:func:`sent_figure`): keep a view's figures between
    runs (``components.data.derived``) and a rerun sends them without rebuilding or re-encoding them.
    """
    fmt = st.session_state.get(f"{key}_fmt") or "png"
    config = modebar_config(filename, fmt=fmt)
    sent = sent_figure(fig)
    if drawable(sent.to_dict()):  # plotly.js's basic bundle, a quarter of Streamlit's plotly.js to load
        plotly_view(sent.to_json_text(), key=key, config=config, alt=alt, on_select=on_select)
    else:  # a trace type the basic bundle lacks (WebGL in a very large figure)
        options = dict(key=key, config=config, theme=None, width="stretch", alt=alt)
        if on_select is not None:
            st.plotly_chart(sent, on_select=on_select, selection_mode=("points",), **options)
        else:
            st.plotly_chart(sent, **options)
    st.caption(HOVER_NOTE)
    st.radio("The camera button above the chart downloads it as", list(FORMATS), format_func=FORMATS.get,
             horizontal=True, key=f"{key}_fmt")
    if slides:
        slide_downloads(fig, key=key, filename=filename)


def slide_downloads(fig: go.Figure, *, key: str, filename: str) -> None:
    """Server-rendered images for slides and papers: PNG at 16:9 slide size (2x) and SVG, by kaleido."""
    if not export.available():
        st.caption("Slide images are made on the server with chromium, which this server does not have.")
        return
    name = slug(filename)
    cols = st.columns(2)
    for column, fmt, label, mime in (
        (cols[0], "png", f"Slide image, PNG {export.SLIDE_WIDTH * export.SCALE} x {export.SLIDE_HEIGHT * export.SCALE}",
         "image/png"),
        (cols[1], "svg", "Slide image, SVG (16:9)", "image/svg+xml"),
    ):
        column.download_button(label, data=lambda fmt=fmt: export.render_on_demand(fig, fmt),
                               file_name=f"{name}.{fmt}", mime=mime, on_click="ignore", key=f"{key}_{fmt}_file",
                               icon=":material/download:", width="stretch")


def selected_key(chart_key: str) -> str | None:
    """The event key of the point last clicked on a chart (its ``customdata``), if any."""
    state = st.session_state.get(chart_key)
    try:
        points = state["selection"]["points"]
    except (KeyError, TypeError):
        return None
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list):
            data = data[0] if data else None
        if isinstance(data, str):
            return data
    return None


# --- tables ---------------------------------------------------------------------------------------

def events_table(rows: pd.DataFrame, lib: Library, *, case_names: dict[str, str] | None = None) -> pd.DataFrame:
    """The events of a chart as a table a reader can sort: the chart's text alternative."""
    publishers = {sid: s.publisher for sid, s in lib.sources.items()}
    table = pd.DataFrame({
        "Date": rows["date_label"],
        "Event": rows["title"],
        "Kind": rows["kind_label"],
        "Agency": rows["agency_label"],
        "Age": rows["age"].map(lambda a: "" if pd.isna(a) else str(int(a))),
        "Missed opportunity": rows["missed_opportunity"].map({True: "Yes", False: ""}),
        "Sources disagree": rows["disputed"].map({True: "Yes", False: ""}),
        "Sources": rows["source_ids"].map(lambda ids: "; ".join(dict.fromkeys(publishers.get(i, i) for i in ids))),
        "Earliest": pd.to_datetime(rows["earliest"]).dt.date,
        "Latest": pd.to_datetime(rows["latest"]).dt.date,
        "Layer": rows["layer"].map({"case": "This case", "context": "National context"}),
    })
    if case_names:
        table.insert(0, "Case", rows["case_id"].map(case_names))
    return table.reset_index(drop=True)


def table_with_download(table: pd.DataFrame, *, key: str, filename: str, caption: str | None = None) -> None:
    if caption:
        st.caption(caption)
    if table.empty:
        st.info("No events match these filters.")
        return
    from components import a11y  # the width switch

    if not {"Date", "Event"} <= set(table.columns):  # not a table of events: a grid, or records on a phone
        grid_or_records(table, key=f"{key}_table")
        _csv_button(table, key=key, filename=filename)
        return
    if not a11y.narrow():  # one variant sent, the one this width needs (see a11y.layout)
        with a11y.width_variant("wide", f"{key}_table"):
            st.dataframe(table, hide_index=True, width="stretch", key=f"{key}_table", column_config={
                "Earliest": st.column_config.DateColumn("Earliest", help="The first day the date allows",
                                                        format="D MMM YYYY"),
                "Latest": st.column_config.DateColumn("Latest", help="The last day the date allows",
                                                      format="D MMM YYYY"),
            })
    else:
        with a11y.width_variant("narrow", f"{key}_table"):  # a phone: the columns that fit, dates short
            st.dataframe(narrow_table(table), hide_index=True, width="stretch", key=f"{key}_table_narrow",
                         column_config={"Date": st.column_config.TextColumn("Date", width="small"),
                                        "Event": st.column_config.TextColumn("Event", width="large")})
            st.caption("On a narrow screen the table shows the date and the event; the CSV holds every column.")
    _csv_button(table, key=key, filename=filename)


PHONE_CHARACTERS = 40  # the characters of a table's row that a phone's width shows without scrolling sideways
OPEN_RECORDS = 6  # a phone's list of records starts open when it holds at most this many
MAX_RECORDS = 200  # a longer table stays a grid on a phone


def fits_a_phone(table: pd.DataFrame) -> bool:
    """Does every column of the table fit a phone's width, each as wide as its longest cell or heading?"""
    widest = sum(max([len(str(column).strip()), *(len(cell_text(v)) for v in table[column])]) + 2
                 for column in table.columns)
    return widest <= PHONE_CHARACTERS


def cell_text(value: object) -> str:
    """A table cell as text; empty for a missing value (as the charts' alt text reads it: ``charts.blank``)."""
    if blank(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return f"{value:%-d %b %Y}"
    return str(value).strip()


def records_html(table: pd.DataFrame, *, links: Collection[str] = ()) -> str:
    """The table as a list of records, a row a record: the first column's value as its heading and every
    other column with a value as a labelled line under it (the headings of ``links`` hold web addresses)."""
    def value(column: str, text: str) -> str:
        if column in links and text.startswith(("https://", "http://")):
            return f'<a href="{html.escape(text)}">{html.escape(text)}</a>'
        return html.escape(text)

    items = []
    for row in table.itertuples(index=False):
        cells = [(str(c).strip(), cell_text(v)) for c, v in zip(table.columns, row, strict=True)]
        (first, title), rest = cells[0], cells[1:]
        lines = "".join(f"<div><dt>{html.escape(c)}</dt> <dd>{value(c, v)}</dd></div>" for c, v in rest if v)
        items.append(f'<li><p class="tl-record-title"><span class="sr-only">{html.escape(first)}: </span>'
                     f"{html.escape(title) or '-'}</p><dl>{lines}</dl></li>")
    return f'<ul class="tl-records">{"".join(items)}</ul>'


def grid_or_records(table: pd.DataFrame, *, key: str, links: Collection[str] = (), **grid) -> None:
    """A table at the width the page has: Streamlit's sortable grid, or on a phone, when the grid's
    columns would not fit the screen (most of each row off to the side), a list of records to read down
    the page, in a panel that starts open when it is short. A table of more than :data:`MAX_RECORDS` rows
    stays a grid, which draws only the rows in view. ``grid``: more arguments for the grid."""
    from components import a11y  # the width switch

    if not a11y.narrow():
        with a11y.width_variant("wide", key):
            st.dataframe(table, hide_index=True, width="stretch", key=key, **grid)
    elif len(table) > MAX_RECORDS or fits_a_phone(table):
        st.dataframe(table, hide_index=True, width="stretch", key=key, **grid)
    else:
        with a11y.width_variant("narrow", key):
            label = f"The table, a row at a time ({len(table)} row{'s' if len(table) != 1 else ''})"
            with st.expander(label, expanded=len(table) <= OPEN_RECORDS):
                st.html(records_html(table, links=links))


def _csv_button(table: pd.DataFrame, *, key: str, filename: str) -> None:
    st.download_button("Download this table (CSV)", data=lambda: table.to_csv(index=False).encode("utf-8"),
                       file_name=f"{slug(filename)}.csv", mime="text/csv", key=f"{key}_csv", on_click="ignore",
                       icon=":material/download:")


NARROW_COLUMNS = ("Case", "Date", "Event", "Missed opportunity")


def narrow_table(table: pd.DataFrame) -> pd.DataFrame:
    """The events table for a phone: the case (if any), a short date, the event, and any missed opportunity."""
    from timelines.vertical import short_date

    narrow = table[[c for c in NARROW_COLUMNS if c in table.columns]].copy()
    narrow["Date"] = narrow["Date"].map(lambda d: short_date(str(d)))
    return narrow.rename(columns={"Missed opportunity": "Missed"})


def table_section(build: Callable[[], pd.DataFrame], *, key: str, filename: str, n_rows: int,
                  caption: str | None = None) -> bool:
    """The table beside a chart: behind a heading and an expander that opens on request (``?table=open``).

    The table is built and sent only when open: Streamlit's sortable grid is the heaviest thing on a
    page, and left open it delays the chart by about a second on a slow machine. Returns whether it is open.
    """
    st.header("The events as a table")
    if key not in st.session_state and st.query_params.get_all(key) == ["open"]:
        st.session_state[key] = True
    label = f"Show the {n_rows} event{'s' if n_rows != 1 else ''} as a sortable table, with a CSV download"
    with st.expander(label, key=key, on_change="rerun", expanded=TABLE_OPEN) as box:
        if box.open:
            table_with_download(build(), key=key, filename=filename, caption=caption)
    return bool(box.open)


# --- an event's detail ----------------------------------------------------------------------------

def find_event(lib: Library, case_id: str, key: str) -> schema.Event | None:
    """The event a key names in a case timeline (a context event's key starts 'context:')."""
    if key.startswith("context:"):
        events = lib.context.events if lib.context else []
        layer = "context"
    else:
        case = lib.cases.get(case_id)
        events = case.events if case else []
        layer = "case"
    return next((e for e in events if event_key(e.id, layer=layer) == key), None)


def _citation(cite: schema.Citation, lib: Library) -> str:
    src = lib.sources.get(cite.source)
    if src is None:
        head = md(cite.source)
    else:
        title = md(src.title)
        if src.url:
            title = f"[{title}]({quote(src.url, safe=':/?&=#%.-_~+')})"
        kind = "primary source" if src.primary else "secondary source"
        head = f"{md(src.publisher)}, {title}, {human_date(src.date)} ({kind})"
    parts = [head]
    if cite.quote:
        parts.append(f"“{md(cite.quote)}”")
    if cite.locator:
        parts.append(f"*{md(cite.locator)}*")
    return " — ".join(parts)


def event_detail(event: schema.Event, lib: Library, *, context: bool = False) -> None:
    """Everything known about one event, in plain language, each fact with its sources."""
    kind = KIND_BY_ID[event.kind]
    agency = AGENCY_BY_ID[event.agency]
    row = lib.events[(lib.events["event_id"] == event.id)
                     & (lib.events["layer"] == ("context" if context else "case"))]
    when = row.iloc[0]["date_label"] if len(row) else event.date
    with st.container(border=True):
        st.subheader(md(event.title), anchor=False)
        facts = [f"**{md(when)}**", md(agency.label), md(kind.label)]
        if event.end:
            facts.append(f"until {md(human_date(event.end))}")
        if event.age is not None:
            facts.append(f"aged {event.age}")
        if context:
            facts.append("national policy and oversight")
        st.markdown(" · ".join(facts))
        if any(f.missed_opportunity for f in event.findings):
            st.markdown(":red-background[**Missed opportunity**] a review found that a chance was missed here.")
        if event.detail:
            st.markdown(md(event.detail))
        if event.findings:
            st.markdown(f"#### What reviews later found ({len(event.findings)})")
            for finding in event.findings:
                flag = " :red[**(missed opportunity)**]" if finding.missed_opportunity else ""
                st.markdown(f"**{md(finding.by)}**, made public {md(human_date(finding.date))}"
                            + (f", as reported by {md(finding.reported_by)}" if finding.reported_by else "")
                            + f"{flag}: {md(finding.text)}")
                st.caption("  \n".join(_citation(c, lib) for c in finding.sources))
        if event.disputed:
            st.markdown("#### Where the sources disagree")
            for dispute in event.disputed:
                st.markdown(f"**{md(dispute.about)}**")
                for column, claim in zip(st.columns(len(dispute.claims)), dispute.claims, strict=True):
                    with column, st.container(border=True):
                        st.markdown(md(claim.value))
                        st.caption("  \n".join(_citation(c, lib) for c in claim.sources))
                if dispute.note:
                    st.caption(md(dispute.note))
        st.markdown(f"#### Sources ({len(event.sources)})")
        st.markdown("\n".join(f"- {_citation(c, lib)}" for c in event.sources))
        if event.question:
            st.markdown("#### A question for discussion")
            st.markdown(f"> {md(event.question)}")


# --- key figures ----------------------------------------------------------------------------------

def key_figure_metrics(figures: KeyFigures) -> None:
    """The four figures a reader needs first: referrals, time in Channel, the gap, missed chances."""
    top = st.columns(2)
    bottom = st.columns(2)
    top[0].metric("Referrals to Prevent", figures.referrals)
    top[1].metric("Time in Channel", figures.channel_text,
                  help="From adoption into Channel to exit, as the dates allow.")
    gap = str(figures.last_contact_to_outcome) if figures.last_contact_to_outcome else "Not known"
    bottom[0].metric("Last Prevent contact to the attack", gap,
                     help=f"From the last Prevent or Channel event ({figures.last_contact_label}) to the attack.")
    bottom[1].metric("Missed opportunities found by reviews", figures.missed_opportunities,
                     help="Events that a learning review or the Prevent Commissioner found were missed chances.")
