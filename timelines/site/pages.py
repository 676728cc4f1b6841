"""What each page of the static site says: the data its template is rendered from.

Nothing here writes HTML: the templates do, with autoescaping. Copy describes whatever cases are loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import dates, measures
from ..charts import MAX_ACROSS, Chart
from ..loading import Library
from .images import SLIDE, Image
from .render import ChartView, phone_bands

# A heading for each chart of the catalogue, by its id; a chart without one is headed by its own title.
HEADINGS = {"timeline": "Timeline", "intervals": "Time between contacts with public services",
            "pathway": "The expected pathway, step by step", "comparison": "The cases side by side",
            "referrals": "Repeat referrals", "commitments": "The government's commitments"}
CARDS_UP_TO = 24  # cases: a larger library is listed by title, without key figures on the index
CITING_SHOWN = 50  # events listed under a source on the sources page
DESCRIPTION_CHARS = 200


@dataclass
class Page:
    """What the base template needs for any page."""

    title: str
    description: str
    path: str  # relative to the site's root: "index.html", "cases/x.html"
    og_type: str = "article"
    og_image: dict | None = None
    preload: str | None = None
    preload_phone: list[dict] = field(default_factory=list)  # the first chart's phone images (one per band)
    built: str | None = None
    charts: bool = False
    images: list[Image] = field(default_factory=list)  # what the build must draw for this page


def describe(text: str) -> str:
    """A meta description: the first sentences of ``text`` within about 200 characters."""
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_CHARS:
        return text
    cut = text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0]
    return f"{cut}…"


def _sections(charts: list[Chart], page: Page, *, stills: bool, first_eager: bool,
              compact: list[Chart] | None = None) -> list[dict]:
    """A section per chart; ``compact``, the same charts in their phone layouts (matched by their id)."""
    phone = {c.id: c for c in compact or ()}
    sections = []
    for n, chart in enumerate(charts):
        view = ChartView.of(chart, lazy=not (first_eager and n == 0), compact=phone.get(chart.id))
        if stills:
            image = Image("webp", view.figure, view.width, view.height)
            view.still = image.path
            page.images.append(image)
            if view.phone:
                for width, media, band in phone_bands():
                    image = Image("webp", view.phone.figure, width, view.phone.height)
                    view.phone.stills.append({"width": width, "media": media, "band": band, "src": image.path})
                    page.images.append(image)
                view.phone.still = view.phone.stills[-1]["src"]
            if n == 0 and first_eager:
                page.preload = view.still
                page.preload_phone = view.phone.stills if view.phone else []
        sections.append({"anchor": f"chart-{chart.id}", "heading": HEADINGS.get(chart.id, view.title),
                         "chart": view})
    return sections


def _og_image(chart: Chart, view_json: str, page: Page) -> None:
    image = Image("png", view_json, SLIDE[0], SLIDE[1])
    page.images.append(image)
    meta = chart.figure.layout.meta or {}
    page.og_image = {"src": image.path, "width": SLIDE[0] * SLIDE[2], "height": SLIDE[1] * SLIDE[2],
                     "alt": " ".join(t for t in (meta.get("title"), meta.get("subtitle")) if t) or chart.name}


class Footnotes:
    """The sources cited on a page, numbered in order of first citation."""

    def __init__(self, library: Library):
        self.library = library
        self.numbers: dict[str, int] = {}

    def cite(self, citation) -> tuple[int, object]:
        n = self.numbers.setdefault(citation.source, len(self.numbers) + 1)
        return n, citation

    def all(self) -> list[dict]:
        notes = []
        for source_id, n in self.numbers.items():
            source = self.library.sources.get(source_id)
            text = f"{source.publisher}, {source.title} ({source.date})." if source else source_id
            notes.append({"n": n, "id": source_id, "text": text, "url": source.url if source else None})
        return notes


def case_page(library: Library, case_id: str, charts: list[Chart], *, images: bool,
              compact: list[Chart] | None = None, problem: str | None = None) -> tuple[Page, dict]:
    """The page of one case and its template context (``compact``: its charts' phone layouts; ``problem``:
    why its charts could not be drawn, said on the page instead)."""
    case = library.cases[case_id]
    page = Page(title=case.title, description=describe(case.summary), path=f"cases/{case_id}.html", charts=bool(charts))
    sections = _sections(charts, page, stills=images, first_eager=True, compact=compact)
    if images and charts:
        _og_image(charts[0], sections[0]["chart"].figure, page)
    notes = Footnotes(library)
    events = []
    for event in case.events:
        when = dates.describe(event.date, event.date_qualifier, event.date_until)
        if event.end:
            when += f" to {dates.PartialDate.parse(event.end).human()}"
        events.append({
            "id": event.id, "when": when, "title": event.title, "detail": event.detail,
            "cites": [notes.cite(c) for c in event.sources],
            "findings": [{"missed": f.missed_opportunity, "text": f.text, "by": f.by,
                          "date": dates.PartialDate.parse(f.date).human(),
                          "reported_by": f.reported_by, "cites": [notes.cite(c) for c in f.sources]}
                         for f in event.findings],
            "disputes": [{"about": d.about, "note": d.note,
                          "claims": [{"value": c.value, "cites": [notes.cite(s) for s in c.sources]} for c in d.claims]}
                         for d in event.disputed],
        })
    return page, {"case": case, "sections": sections, "events": events, "footnotes": notes.all(), "problem": problem}


def _count(n: int, noun: str) -> str:
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return f"{words[n] if n < len(words) else f'{n:,}'} {noun}{'' if n == 1 else 's'}"


def index_page(library: Library, overview: list[Chart], *, images: bool, built: str,
               compact: list[Chart] | None = None) -> tuple[Page, dict]:
    n = len(library.cases)
    heading = f"Prevent case timelines: {_count(n, 'case')}, event by event"
    intro = (f"Event by event, how the UK's Prevent programme and other public services handled the people "
             f"at the centre of {_count(n, 'case')}, and where official reviews later found chances were "
             "missed. Every event cites its source; every date is shown at the precision the source gives. "
             "This site does not make findings of its own.")
    page = Page(title="Home", description=describe(intro), path="index.html", og_type="website", built=built,
                charts=bool(overview))
    sections = _sections(overview, page, stills=images, first_eager=False, compact=compact)
    if images and overview:
        _og_image(overview[0], sections[0]["chart"].figure, page)
    cards = []
    if n <= CARDS_UP_TO:
        by_case = dict(tuple(library.events.groupby("case_id", sort=False))) if len(library.events) else {}
        for case in library.cases.values():
            fig = measures.key_figures(by_case.get(case.id, library.events.iloc[:0]), case)
            figures = [(label, measures._display(getattr(fig, attr))) for label, attr in measures.MEASURES[:8]]
            cards.append({"id": case.id, "title": case.title, "summary": case.summary, "figures": figures})
    return page, {"heading": heading, "intro": intro, "cards": cards, "cases": list(library.cases.values()),
                  "sections": sections, "too_many": n > MAX_ACROSS, "max_across": MAX_ACROSS}


def sources_page(library: Library, *, built: str, og_image: dict | None) -> tuple[Page, dict]:
    citing: dict[str, list[dict]] = {}
    events = library.events
    if len(events):
        for case_id, event_id, title, layer, ids in zip(events["case_id"], events["event_id"], events["title"],
                                                         events["layer"], events["source_ids"], strict=True):
            entry = {"title": title, "href": f"cases/{case_id}.html#event-{event_id}" if layer == "case" else None}
            for sid in ids:
                citing.setdefault(sid, []).append(entry)
    sources = []
    for s in library.sources.values():
        found = citing.get(s.id, [])
        sources.append({"id": s.id, "title": s.title, "publisher": s.publisher, "date": s.date, "kind": s.kind,
                        "standing": "primary (core document)" if s.primary else "secondary (supplementary record)",
                        "url": s.url, "note": s.note, "citing": found[:CITING_SHOWN], "n_citing": len(found),
                        "more": max(0, len(found) - CITING_SHOWN)})
    terms = library.glossary.terms if library.glossary else []
    page = Page(title="Sources, glossary and method", path="sources.html", og_type="website", built=built,
                description=describe(f"The {_count(len(sources), 'source')} behind every event on this site, "
                                     "a glossary of terms, and how uncertain dates are drawn."),
                og_image=og_image)
    return page, {"sources": sources, "terms": terms}


