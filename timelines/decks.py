"""PowerPoint packs made from the chart catalogue: the briefing pack (``python -m timelines briefing-pack``)
and the slide helpers the trainer deck (:mod:`timelines.trainer_deck`) shares.

Slides are 16:9 and plain: a real title placeholder (so a department's template takes the title over when
the slides are pasted in), the chart as the same 2x PNG that ``export-images`` writes, a source line as
text, alt text on every picture and the chart's data in words in the speaker notes.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from . import export
from .charts import Chart, all_charts
from .dates import PartialDate
from .loading import Library

WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 16:9, 13.333 x 7.5 inches
MARGIN = Inches(0.5)
INK, MUTED, ACCENT = RGBColor(0x0B, 0x0C, 0x0C), RGBColor(0x50, 0x5A, 0x5F), RGBColor(0x12, 0x43, 0x6D)
TITLE_ONLY, TITLE_SLIDE = 5, 0  # layouts of python-pptx's default template
SOURCES_PER_SLIDE = 10

Renderer = Callable[[go.Figure], bytes]


class DeckError(RuntimeError):
    """A deck cannot be made: a case that does not exist, a bad range of steps, no chromium."""


# --- slide helpers (shared with the trainer deck) ---------------------------------------------------

def new_presentation() -> Presentation:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    return deck


def add_slide(deck, title: str, *, layout: int = TITLE_ONLY, size: int | None = None):
    """A slide with its title placeholder filled and placed across the top of a 16:9 slide."""
    slide = deck.slides.add_slide(deck.slide_layouts[layout])
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = MARGIN, Inches(0.2), WIDTH - 2 * MARGIN, Inches(0.85)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.text = title
    para = frame.paragraphs[0]
    para.alignment = 1  # left
    for run in para.runs:
        run.font.size = Pt(size or (22 if len(title) > 80 else 26))
        run.font.bold = True
        run.font.color.rgb = ACCENT
    return slide


def add_text(slide, left, top, width, height, paragraphs: Iterable[str | tuple[str, dict]], *, size: int = 16,
             color: RGBColor = INK, name: str | None = None):
    """A text box; each paragraph is a string or (string, {'bold': True, 'size': 20, 'color': ...})."""
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    first = True
    for item in paragraphs:
        text, style = (item, {}) if isinstance(item, str) else item
        para = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        run = para.add_run()
        run.text = text
        run.font.size = Pt(style.get("size", size))
        run.font.bold = style.get("bold", False)
        run.font.color.rgb = style.get("color", color)
        para.space_after = Pt(style.get("after", 4))
    return box


def add_picture(slide, png: bytes, left, top, *, width=None, height=None, alt: str, name: str = "Chart"):
    """A picture with its alt text (the ``descr`` PowerPoint reads out and shows under 'Alt Text')."""
    pic = slide.shapes.add_picture(io.BytesIO(png), left, top, width=width, height=height)
    pic.name = name
    pic._element.nvPicPr.cNvPr.set("descr", alt)
    return pic


def set_notes(slide, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = text


def slide_text(slide) -> str:
    """Every piece of text on a slide (not its notes), for tests and checks."""
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def notes_text(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def pictures(slide) -> list:
    return [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE


def alt_of(picture) -> str:
    return picture._element.nvPicPr.cNvPr.get("descr", "")


@contextmanager
def renderer(render: Renderer | None = None) -> Iterator[Renderer]:
    """The PNG renderer: the one given, else export.py's (one browser for the whole deck)."""
    if render is not None:
        yield render
        return
    if not export.available():
        raise DeckError("charts cannot be drawn here: no chromium (apt-get install chromium)")
    with export.image_server():
        yield lambda fig: export.render(fig, "png")


def horizon(library: Library) -> str:
    """The record's horizon: the date of the newest source, as a reader would write it."""
    if not library.sources:
        return "no source loaded"
    newest = max((PartialDate.parse(s.date) for s in library.sources.values()), key=lambda d: (d.start, d.end))
    return newest.human()


def source_lines(library: Library, ids: Iterable[str] | None = None) -> list[str]:
    """One line per source (all, or those in ``ids``), newest first: publisher, title, date, address."""
    chosen = [s for s in library.sources.values() if ids is None or s.id in set(ids)]
    chosen.sort(key=lambda s: PartialDate.parse(s.date).start, reverse=True)
    return [f"{s.publisher}: {s.title} ({PartialDate.parse(s.date).human()})" + (f". {s.url}" if s.url else "")
            for s in chosen]


def add_source_slides(deck, lines: list[str], *, title: str = "Sources") -> None:
    """The sources, a few to a slide, in small type: the closing slides of a deck."""
    if not lines:
        lines = ["No source is cited."]
    pages = [lines[i:i + SOURCES_PER_SLIDE] for i in range(0, len(lines), SOURCES_PER_SLIDE)]
    for n, page in enumerate(pages, start=1):
        heading = title if len(pages) == 1 else f"{title} ({n} of {len(pages)})"
        slide = add_slide(deck, heading)
        add_text(slide, MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, Inches(5.8), page, size=13)
        set_notes(slide, "\n".join(page))


# --- the briefing pack ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Made:
    """What a deck-making run produced."""

    path: Path
    slides: int
    charts: int


PICTURE_TOP, PICTURE_HEIGHT = Inches(1.1), Inches(5.8)


def slide_figure(fig: go.Figure) -> go.Figure:
    """The figure for a slide whose own title and source line say them: a copy without the bold title
    lines and the source-line annotation (the subtitle, legend and labels stay)."""
    out = go.Figure(fig)
    text = out.layout.title.text or ""
    kept = [line for line in text.split("<br>") if "<b>" not in line]
    if kept and len(kept) < len(text.split("<br>")):
        out.layout.title.text = "<br>".join(kept)
    out.layout.annotations = [a for a in out.layout.annotations if a.name != "source-line"]
    return out


def chart_slide(deck, chart: Chart, png: bytes):
    """One chart: its active title, the picture filling the body, its source line, alt text and notes."""
    slide = add_slide(deck, chart.title)
    width = int(PICTURE_HEIGHT * export.SLIDE_WIDTH / export.SLIDE_HEIGHT)
    add_picture(slide, png, int((WIDTH - width) / 2), PICTURE_TOP, width=width, height=PICTURE_HEIGHT,
                alt=chart.alt, name=f"Chart: {chart.name}")
    add_text(slide, MARGIN, PICTURE_TOP + PICTURE_HEIGHT + Inches(0.02), WIDTH - 2 * MARGIN, Inches(0.5),
             [f"Source: {chart.source}"], size=11, color=MUTED, name="Source line")
    set_notes(slide, chart.notes)
    return slide


def _cited(library: Library, case_ids: list[str]) -> set[str]:
    events = library.events
    rows = events[events["case_id"].isin(case_ids) | (events["layer"] == "context")]
    ids = {i for cited in rows["source_ids"] for i in cited}
    if library.context:
        for commitment in library.context.commitments or []:
            ids |= {c.source for c in getattr(commitment, "sources", []) or []}
            ids |= {c.source for c in getattr(commitment, "delivery_sources", []) or []}
    return ids


def check_cases(library: Library, case_ids: list[str] | None) -> list[str]:
    ids = list(case_ids) if case_ids else list(library.cases)
    unknown = [c for c in ids if c not in library.cases]
    if unknown:
        raise DeckError(f"no case {', '.join(repr(c) for c in unknown)}; the cases are: "
                        f"{', '.join(library.cases) or 'none'}")
    return ids


def briefing_pack(library: Library, *, today: date, case_ids: list[str] | None = None,
                  render: Renderer | None = None, progress: Callable[[int, int, str], None] | None = None) -> bytes:
    """The briefing pack as .pptx bytes: a title slide, a slide per chart of the catalogue, the sources."""
    ids = check_cases(library, case_ids)
    charts = list(all_charts(library, today=today, case_ids=ids))
    deck = new_presentation()
    cover = add_slide(deck, "Prevent case timelines: briefing pack", layout=TITLE_SLIDE, size=36)
    cover.shapes.title.top = Inches(1.6)
    cover.shapes.title.height = Inches(1.2)
    subtitle = cover.placeholders[1]
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = MARGIN, Inches(3.0), WIDTH - 2 * MARGIN, Inches(3.6)
    subtitle.text_frame.word_wrap = True
    covers = "; ".join(library.cases[c].title for c in ids)
    lines = [f"Covers: {covers}; and the charts across the cases.",
             f"{len(charts)} charts, each on its own slide with its source line, alt text on the picture and "
             "the chart's data in words in the speaker notes.",
             f"The record's horizon: the newest source is dated {horizon(library)}. Nothing later is included.",
             f"Made on {today.day} {today:%B %Y} from published sources only; the last slides list them."]
    frame = subtitle.text_frame
    frame.text = lines[0]
    for line in lines[1:]:
        frame.add_paragraph().text = line
    for para in frame.paragraphs:
        para.alignment = 1
        for run in para.runs:
            run.font.size, run.font.color.rgb = Pt(18), INK
    set_notes(cover, "\n".join(lines))
    with renderer(render) as draw:
        for n, chart in enumerate(charts, start=1):
            chart_slide(deck, chart, draw(slide_figure(chart.figure)))
            if progress:
                progress(n, len(charts), chart.name)
    add_source_slides(deck, source_lines(library, _cited(library, ids)))
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
