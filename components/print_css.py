"""Print for a page: a print style sheet (A4; no navigation, buttons or controls; the chart fitted to the
page; page breaks between sections) and, shown only in print, the events table in full with its sources
as numbered footnotes. Streamlit's own table is a scrolling canvas grid that prints only what is on
screen, so the printed table is plain HTML. One line on a page: ``print_css.inject(table, lib=lib)``.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from timelines import Library
from timelines.dates import PartialDate

# Chromium lays a printed page out at the paper's width, but a Plotly chart keeps the pixel width it had
# on screen; --print-chart-zoom shrinks it to the A4 column. FIT_SCRIPT keeps that variable up to date
# from the chart's drawn width (the svg's width attribute, which CSS zoom leaves alone).
PRINT_CSS = """
<style>
.print-only { display: none; }
@media print {
  @page { size: A4 portrait; margin: 12mm; }
  html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"],
  [data-testid="stAppScrollToBottomContainer"] {
    height: auto !important; overflow: visible !important; position: static !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: none !important; }
  header, nav, [data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stToolbar"],
  [data-testid="stDecoration"], [data-testid="stStatusWidget"], [data-testid="stSidebarNav"],
  [data-testid="stTopNavLinkContainer"], button, [role="button"], [data-testid="stButton"],
  [data-testid="stDownloadButton"], [data-testid="stBaseButton-secondary"], [data-testid="stPageLink"],
  [data-testid="stElementToolbar"], .modebar-container, [data-testid="stSelectbox"],
  [data-testid="stMultiSelect"], [data-testid="stSlider"], [data-testid="stCheckbox"],
  [data-testid="stExpander"], [data-testid="stCaptionContainer"], [data-testid="stAlert"],
  [data-testid="stRadio"], [data-testid="stPopover"], [data-testid="stHeading"]:has(#the-events-as-a-table),
  [data-testid="stHeading"]:has(#event-detail),
  .screen-only { display: none !important; }
  [data-testid="stElementContainer"]:has(.tl-chart, [data-testid="stPlotlyChart"]) {
    break-inside: avoid; zoom: var(--print-chart-zoom, 0.55); height: auto !important; }
  .print-only { display: block; }
  .print-only h2, .print-only h3 { break-before: page; font-size: 16pt; }
  .print-only table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
  .print-only th, .print-only td { border: 1px solid #b1b4b6; padding: 2px 4px; text-align: left; vertical-align: top; }
  .print-only thead { display: table-header-group; }
  .print-only tr { break-inside: avoid; }
  .print-only ol { font-size: 8.5pt; padding-left: 1.5em; }
  a[href]::after { content: none !important; }
}
</style>
"""
PAGE_PX = 700  # the A4 portrait column at 12 mm margins, in CSS pixels (186 mm at 96 px to the inch)
FIT_SCRIPT = """
<script>
(() => {
  if (window.__printFit) return;
  const fit = () => {
    let widest = 0;
    document.querySelectorAll(':is(.tl-chart, [data-testid="stPlotlyChart"]) svg.main-svg').forEach((svg) => {
      widest = Math.max(widest, parseFloat(svg.getAttribute("width")) || 0);
    });
    if (widest > 0) {
      document.documentElement.style.setProperty("--print-chart-zoom", Math.min(1, PAGE_PX / widest).toFixed(3));
    }
  };
  window.__printFit = setInterval(fit, 700);
  window.addEventListener("beforeprint", fit);
  fit();
})();
</script>
""".replace("PAGE_PX", str(PAGE_PX))


def _footnotes(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The table with its Sources column as footnote numbers, and the footnotes in order."""
    if "Sources" not in table:
        return table, []
    notes: dict[str, int] = {}
    numbered = []
    for cell in table["Sources"].fillna(""):
        marks = []
        for name in (p.strip() for p in str(cell).split(";") if p.strip()):
            marks.append(f"[{notes.setdefault(name, len(notes) + 1)}]")
        numbered.append(" ".join(marks))
    return table.assign(Sources=numbered), list(notes)


def _table(table: pd.DataFrame) -> str:
    e = html.escape
    head = "".join(f"<th>{e(str(c))}</th>" for c in table.columns)
    body = "".join("<tr>" + "".join(f"<td>{'' if pd.isna(v) else e(str(v))}</td>" for v in row) + "</tr>"
                   for row in table.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _source_detail(lib: Library | None, names: list[str]) -> list[str]:
    """Each footnote: the publisher as the table names it, with that publisher's documents in the record."""
    if lib is None:
        return names
    out = []
    for name in names:
        docs = [f"{s.title} ({PartialDate.parse(s.date).human()})" for s in lib.sources.values() if s.publisher == name]
        out.append(f"{name}: {'; '.join(docs)}" if docs else name)
    return out


def inject(table: pd.DataFrame | None = None, *, lib: Library | None = None,
           heading: str = "The events as a table", block: str | None = None) -> None:
    """The print style sheet, and (printed only) ``table`` in full with its sources as footnotes.

    ``block``: that table's HTML made before (:func:`printed_table`), for a page that keeps it between runs."""
    st.html(PRINT_CSS + (printed_table(table, lib=lib, heading=heading) if block is None else block))
    st.html(FIT_SCRIPT, unsafe_allow_javascript=True)  # a fixed script: no data goes into it


MAX_PRINTED = 500  # rows; a longer table is not sent for print (a page says so, and how to get the rows)


def printed_table(table: pd.DataFrame | None = None, *, lib: Library | None = None,
                  heading: str = "The events as a table") -> str:
    """The HTML of ``table`` as printed (shown only in print), with its sources as footnotes.

    Above :data:`MAX_PRINTED` rows (dozens of A4 pages, and megabytes sent to every screen that never
    prints) the printed page says how many events the view holds and how to print or download them."""
    block = ""
    if table is not None and len(table) > MAX_PRINTED:
        block = (f'<div class="print-only"><h2>{html.escape(heading)}</h2><p>This view holds {len(table):,} '
                 f"events, too many to print as a table (at most {MAX_PRINTED:,}). Filter the view to fewer "
                 "events to print them, or download the table as CSV from the page.</p></div>")
    elif table is not None and len(table):
        shown = table[[c for c in table.columns if c not in ("Earliest", "Latest")]]
        shown, notes = _footnotes(shown)
        items = "".join(f"<li>{html.escape(n)}</li>" for n in _source_detail(lib, notes))
        block = (f'<div class="print-only"><h2>{html.escape(heading)}</h2>{_table(shown)}'
                 + (f"<h3>Sources</h3><ol>{items}</ol>" if items else "") + "</div>")
    return block
