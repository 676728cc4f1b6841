"""A self-contained static site: ``python -m timelines build-site OUT/``.

An index, one page per case (interactive timeline, gap charts, tables, event details), and a sources
and glossary page. Plotly's JavaScript is shipped once, in ``assets/``, beside the pages; nothing is
fetched from any other host, so any static host or CDN can serve the folder.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from . import dates, measures
from .charts import MAX_ACROSS, Chart, case_charts, overview_charts
from .loading import Library
from .theme import modebar_config

CSS = """
:root { --ink: #0b0c0c; --muted: #505a5f; --line: #b1b4b6; --link: #1d70b8; --focus: #ffdd00; }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.5 Arial, Helvetica, sans-serif; color: var(--ink); background: #fff; }
a { color: var(--link); }
a:focus { outline: 3px solid var(--focus); background: var(--focus); color: var(--ink); }
.skip { position: absolute; left: -9999px; } .skip:focus { left: 1rem; top: 1rem; z-index: 10; }
header, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 1rem; }
header { border-bottom: 8px solid #12436d; padding-top: 1rem; padding-bottom: .5rem; }
header nav a { margin-right: 1.25rem; font-weight: bold; }
.site-name { font-size: 1.3rem; font-weight: bold; color: var(--ink); text-decoration: none; display: block; }
.note { border-left: 6px solid #f46a25; padding: .5rem 1rem; background: #fef4ee; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 1rem; }
.card { border: 1px solid var(--line); border-top: 6px solid #12436d; padding: 1rem; }
.card dl { display: grid; grid-template-columns: auto auto; gap: .25rem 1rem; margin: 0; }
.card dt { color: var(--muted); } .card dd { margin: 0; font-weight: bold; }
figure { margin: 2rem 0; } figcaption { color: var(--muted); }
.chart { width: 100%; min-height: 420px; }
.table-wrap { overflow-x: auto; max-height: 32rem; border: 1px solid var(--line); }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
caption { text-align: left; font-weight: bold; padding: .5rem; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f2f1; position: sticky; top: 0; }
details { border-bottom: 1px solid var(--line); padding: .5rem 0; } summary { cursor: pointer; font-weight: bold; }
.missed { color: #b10e1e; font-weight: bold; }
.claims { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: .5rem; }
.claim { border: 1px solid var(--line); padding: .5rem; }
footer { margin-top: 3rem; padding: 1rem; color: var(--muted); border-top: 1px solid var(--line); }
"""

_e = html.escape


def _page(title: str, body: str, *, depth: int, built: str) -> str:
    up = "../" * depth
    return f"""<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} · Prevent case timelines</title>
<link rel="stylesheet" href="{up}assets/site.css">
<script src="{up}assets/plotly.min.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header>
<a class="site-name" href="{up}index.html">Prevent case timelines</a>
<nav aria-label="Site"><a href="{up}index.html">Home</a>
<a href="{up}sources.html">Sources, glossary and method</a></nav>
</header>
<main id="main">
{body}
</main>
<footer>Compiled from official statements, reviews and reports; every event cites its source.
Built {_e(built)}. The project cites the documents; it does not copy them.</footer>
</body>
</html>
"""


def _table(frame: pd.DataFrame, caption: str) -> str:
    head = "".join(f'<th scope="col">{_e(str(c))}</th>' for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = "".join(f"<td>{'' if _blank(v) else _e(str(v))}</td>" for v in values)
        rows.append(f"<tr>{cells}</tr>")
    return (f'<div class="table-wrap" tabindex="0" role="region" aria-label="{_e(caption)}"><table>'
            f"<caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA or value is pd.NaT


def _chart(chart: Chart) -> str:
    fig = go.Figure(chart.figure)
    meta = fig.layout.meta or {}
    div = fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{chart.name}",
                      config=modebar_config(chart.name), default_width="100%")
    label = f"{meta.get('title', chart.name)}. {meta.get('subtitle', '')}"
    # The figure is labelled; the chart inside it stays interactive (no role="img" over its controls).
    return (f'<figure id="{_e(chart.name)}" aria-label="{_e(label)} The table below holds the same '
            f'information."><div class="chart">{div}</div>'
            f"<figcaption>The same information as a table:</figcaption>"
            f"{_table(chart.table, meta.get('title', chart.name))}</figure>")


def _cards(library: Library) -> str:
    cards = []
    by_case = dict(tuple(library.events.groupby("case_id", sort=False)))
    for case in library.cases.values():
        fig = measures.key_figures(by_case.get(case.id, library.events.iloc[:0]), case)
        rows = "".join(f"<dt>{_e(label)}</dt><dd>{_e(measures._display(getattr(fig, attr)))}</dd>"
                       for label, attr in measures.MEASURES[:8])
        cards.append(f'<section class="card"><h3><a href="cases/{_e(case.id)}.html">{_e(case.title)}</a></h3>'
                     f"<p>{_e(case.summary)}</p><dl>{rows}</dl></section>")
    return f'<div class="cards">{"".join(cards)}</div>'


def _event_details(library: Library, case_id: str) -> str:
    case = library.cases[case_id]
    out = []
    for event in case.events:
        when = dates.describe(event.date, event.date_qualifier, event.date_until)
        if event.end:
            when += f" to {dates.PartialDate.parse(event.end).human()}"
        parts = [f"<p>{_e(event.detail)}</p>" if event.detail else ""]
        cites = "".join(f"<li>{_cite(library, c)}</li>" for c in event.sources)
        parts.append(f"<h4>Sources</h4><ul>{cites}</ul>")
        if event.findings:
            items = "".join(
                f"<li>{'<span class=missed>Missed opportunity: </span>' if f.missed_opportunity else ''}"
                f"{_e(f.text)} <em>Found by {_e(f.by)}, made public {_e(dates.PartialDate.parse(f.date).human())}"
                f"{f', as reported by {_e(f.reported_by)}' if f.reported_by else ''}"
                f"</em> ({'; '.join(_cite(library, c) for c in f.sources)})</li>" for f in event.findings)
            parts.append(f"<h4>What reviews later found</h4><ul>{items}</ul>")
        for dispute in event.disputed:
            claims = "".join(f'<div class="claim"><strong>{_e(c.value)}</strong><br>'
                             f"{'; '.join(_cite(library, s) for s in c.sources)}</div>" for c in dispute.claims)
            note = f"<p>{_e(dispute.note)}</p>" if dispute.note else ""
            parts.append(f"<h4>Sources disagree: {_e(dispute.about)}</h4><div class=claims>{claims}</div>{note}")
        out.append(f'<details id="event-{_e(event.id)}"><summary>{_e(when)}: {_e(event.title)}</summary>'
                   f"{''.join(parts)}</details>")
    return "".join(out)


def _cite(library: Library, cite) -> str:
    source = library.sources.get(cite.source)
    name = f"{source.publisher}, {source.title} ({source.date})" if source else cite.source
    link = f'<a href="../sources.html#source-{_e(cite.source)}">{_e(name)}</a>'
    said = f": “{_e(cite.quote)}”" if cite.quote else ""
    where = f" ({_e(cite.locator)})" if cite.locator else ""
    return f"{link}{said}{where}"


def _index(library: Library, overview: list[Chart]) -> str:
    return (
        "<h1>How Prevent handled two people who later killed</h1>"
        "<p>Event by event, how the UK's Prevent programme handled the perpetrator of the Southport attack "
        "and the murderer of Sir David Amess MP, and where the official reviews found chances were missed. "
        "Every event cites its source; every date is shown at the precision the source gives. This site "
        "does not make findings of its own.</p>"
        '<p class="note"><strong>Content note:</strong> these cases involve the killing of children and of '
        "a Member of Parliament. No graphic detail is given.</p>"
        f"<h2>The cases</h2>{_cards(library)}"
        "<h2>How to read the charts</h2><p>Each lane is an agency. A solid marker is an event known to the "
        "day; a hollow marker on a hatched band is an event known only to a month, a year or a range, and "
        "the band covers the whole period. A red ring marks an event a review later found to be a missed "
        "opportunity. Every chart has a table with the same information beneath it.</p>"
        f"<h2>Across the cases</h2>{''.join(_chart(c) for c in overview)}"
        + (f"<p>With more than {MAX_ACROSS} cases, the charts comparing cases are left out: compare them a "
           "few at a time on the site.</p>" if len(library.cases) > MAX_ACROSS else "")
    )


def _case_page(library: Library, case_id: str, charts: list[Chart]) -> str:
    case = library.cases[case_id]
    return (f"<h1>{_e(case.title)}</h1><p>{_e(case.summary)}</p>"
            f"{''.join(_chart(c) for c in charts)}"
            f"<h2>Every event, with its sources, findings and disagreements</h2>{_event_details(library, case_id)}")


def _sources_page(library: Library) -> str:
    citing: dict[str, list[str]] = {}
    for row in library.events.itertuples():
        for sid in row.source_ids:
            citing.setdefault(sid, []).append(
                f'<a href="cases/{_e(row.case_id)}.html#event-{_e(row.event_id)}">{_e(row.title)}</a>'
                if row.layer == "case" else _e(row.title))
    items = []
    for source in library.sources.values():
        kind = "primary (core document)" if source.primary else "secondary (supplementary record)"
        link = f' <a href="{_e(source.url)}">{_e(source.url)}</a>' if source.url else ""
        events = "".join(f"<li>{e}</li>" for e in citing.get(source.id, []))
        items.append(f'<section id="source-{_e(source.id)}"><h3>{_e(source.title)}</h3><p>{_e(source.publisher)}, '
                     f"{_e(source.date)}; {_e(source.kind)}; {kind}.{link}</p>"
                     f"{f'<p>{_e(source.note)}</p>' if source.note else ''}"
                     f"<details><summary>Cited by {len(citing.get(source.id, []))} events</summary>"
                     f"<ul>{events}</ul></details></section>")
    terms = "".join(
        f"<dt>{_e(t.term)}{f' ({_e(t.stands_for)})' if t.stands_for else ''}</dt><dd>{_e(t.definition)}</dd>"
        for t in (library.glossary.terms if library.glossary else []))
    return ("<h1>Sources, glossary and method</h1>"
            "<h2>How dates are drawn</h2><p>Dates are recorded at the precision the source gives: a year, a "
            "month or a day. A date known only to a month or a year is drawn as a band over the whole "
            "period, never as a point on the 1st. 'About' widens a date by one unit either side; 'between' "
            "runs from the first date to the second. Where sources disagree, every side is shown.</p>"
            f"<h2>Sources</h2>{''.join(items)}<h2>Glossary</h2><dl>{terms}</dl>")


def _write_case_pages(library: Library, case_ids: list[str], out: Path, today: date, built: str) -> list[Path]:
    pages = []
    for case_id in case_ids:
        page = out / "cases" / f"{case_id}.html"
        title = library.cases[case_id].title
        page.write_text(_page(title, _case_page(library, case_id, case_charts(library, case_id, today=today)),
                              depth=1, built=built))
        pages.append(page)
    return pages


_FORKED: dict[str, Library] = {}  # the library, handed to forked workers without pickling it
PARALLEL_FROM = 40  # cases; fewer are written faster in one process


def _worker(args: tuple[list[str], Path, date, str]) -> list[Path]:
    return _write_case_pages(_FORKED["library"], *args)


def build_site(library: Library, out: Path, *, today: date | None = None, jobs: int | None = None,
               progress: Callable[[int, int, str], None] | None = None) -> list[Path]:
    """Write the static site for ``library`` into ``out``; return the pages written.

    A large library's case pages are written by ``jobs`` processes (default: one per core).
    """
    today = today or date.today()
    built = time.strftime("%-d %B %Y")
    out = Path(out)
    if out.exists():
        shutil.rmtree(out / "cases", ignore_errors=True)
    (out / "cases").mkdir(parents=True, exist_ok=True)
    (out / "assets").mkdir(exist_ok=True)
    (out / "assets" / "plotly.min.js").write_text(get_plotlyjs())
    (out / "assets" / "site.css").write_text(CSS)
    pages: list[Path] = []
    ids = list(library.cases)
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(ids) >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods():
        _FORKED["library"] = library
        chunks = [ids[i:i + 10] for i in range(0, len(ids), 10)]
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for written in pool.imap(_worker, [(chunk, out, today, built) for chunk in chunks]):
                    pages += written
                    if progress:
                        progress(len(pages), len(ids), written[-1].stem)
        finally:
            _FORKED.clear()
    else:
        for n, case_id in enumerate(ids, start=1):
            if progress:
                progress(n, len(ids), case_id)
            pages += _write_case_pages(library, [case_id], out, today, built)
    index = out / "index.html"
    index.write_text(_page("Home", _index(library, overview_charts(library, today=today)), depth=0, built=built))
    sources = out / "sources.html"
    sources.write_text(_page("Sources, glossary and method", _sources_page(library), depth=0, built=built))
    return [index, sources, *pages]


def site_size(out: Path) -> int:
    return sum(p.stat().st_size for p in Path(out).rglob("*") if p.is_file())


__all__ = ["build_site", "site_size"]
