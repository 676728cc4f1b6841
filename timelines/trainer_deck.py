"""The trainer deck (``python -m timelines trainer-deck CASE OUT.pptx [--steps 1-8]``) and its facilitator
handout: the walkthrough of :mod:`timelines.walkthrough` as slides, one per step, without hindsight.

Each step's slide holds the chart as it stood then (the past drawn, nothing of the future, no review finding
shown), what the record shows had happened by then and the discussion question. What the reviews later
found about that event comes only on a "What the reviews found" slide that follows it, on the slide and
in its notes, never on or before the step's own slide. The deck opens with the content note and how to
use it, and closes with the register of missed opportunities the reviews found within the steps covered.
"""

from __future__ import annotations

import html
import io
import re

from pptx.util import Inches

from . import walkthrough
from .dates import PartialDate
from .decks import (
    INK,
    MARGIN,
    MUTED,
    WIDTH,
    DeckError,
    Renderer,
    add_picture,
    add_slide,
    add_source_slides,
    add_text,
    horizon,
    new_presentation,
    renderer,
    set_notes,
    source_lines,
)
from .loading import Library
from .measures import case_rows, short_name

CONTENT_NOTE = ("Content note: this case ends in a killing. The slides describe what public bodies did, without "
                "graphic detail, but some people in the room may find it distressing. Say so before you start, "
                "and say how to step out. The Samaritans can be reached free at any time on 116 123.")
DEFAULT_QUESTION = "What would you want to know at this point, and who would you ask?"
EARLIER_SHOWN = 6  # the latest few earlier events listed beside the chart (the chart shows them all)


def step_range(text: str | None, library: Library, case_id: str) -> range:
    """The steps a session covers, from '1-8', '5', '3-' or None (all), checked against the case."""
    total = len(walkthrough.order(library, case_id))
    if not text:
        return range(1, total + 1)
    match = re.fullmatch(r"\s*(\d+)\s*(?:(-)\s*(\d*)\s*)?", text)
    if not match:
        raise DeckError(f"steps {text!r} is not a range: write it as 1-8, 5 or 3- (this case has {total} steps)")
    first = int(match.group(1))
    last = int(match.group(3)) if match.group(3) else (total if match.group(2) else first)
    if not 1 <= first <= last <= total:
        raise DeckError(f"steps {text!r} is outside 1-{total}: case {case_id!r} has {total} steps")
    return range(first, last + 1)


def _question(step: walkthrough.Step) -> str:
    return step.event.question or DEFAULT_QUESTION


def _citations(cites, library: Library) -> list[str]:
    out = []
    for c in cites:
        src = library.sources.get(c.source)
        name = f"{src.publisher}, {src.title} ({src.date})" if src else c.source
        detail = "; ".join(x for x in (f"“{c.quote}”" if c.quote else "", c.locator or "") if x)
        out.append(f"{name}{': ' + detail if detail else ''}")
    return out


def _finding_lines(step: walkthrough.Step, library: Library) -> list[str]:
    lines = []
    for f in step.event.findings:
        flag = " Marked as a missed opportunity." if f.missed_opportunity else ""
        lines.append(f"{f.text} ({f.by}, made public {PartialDate.parse(f.date).human()}).{flag}")
    return lines


def _known(step: walkthrough.Step, dates: dict[str, str], titles: dict[str, str]) -> list[str]:
    earlier = list(step.earlier)
    shown = earlier[-EARLIER_SHOWN:]
    lines = [f"Now: {dates[step.event.id]}: {step.event.title}"]
    lines += [f"{dates[e]}: {titles[e]}" for e in reversed(shown)]
    if len(earlier) > len(shown):
        lines.append(f"... and {len(earlier) - len(shown)} earlier events (on the chart)")
    if not earlier:
        lines.append("Nothing earlier is recorded: this is the first event.")
    return lines


def trainer_deck(library: Library, case_id: str, *, steps: range | None = None,
                 render: Renderer | None = None) -> bytes:
    """The walkthrough of one case as .pptx bytes."""
    if case_id not in library.cases:
        raise DeckError(f"no case {case_id!r}; the cases are: {', '.join(library.cases) or 'none'}")
    total = len(walkthrough.order(library, case_id))
    steps = steps or range(1, total + 1)
    case = library.cases[case_id]
    name = short_name(case)
    rows = case_rows(library.events, case_id)
    dates = dict(zip(rows["event_id"], rows["date_label"], strict=True))
    titles = dict(zip(rows["event_id"], rows["title"], strict=True))
    at_steps = [walkthrough.step(library, case_id, n) for n in steps]

    deck = new_presentation()
    first = add_slide(deck, f"{name}: a walkthrough for trainers")
    how = [
        (CONTENT_NOTE, {"bold": True, "size": 16, "after": 12}),
        ("How to use this deck", {"bold": True, "size": 18}),
        f"One slide per event of the case, in the order they happened: steps {steps.start} to {steps[-1]} of {total}.",
        "Each slide shows the chart as it stood at that step: what had happened is drawn, and nothing still to "
        "come. Nothing on it comes from the reviews written afterwards.",
        "Discuss the question at the foot of the slide before moving on.",
        "Where the reviews later found something about an event, a 'What the reviews found' slide follows it. "
        "The speaker notes of each step give the event's detail and sources; the findings appear only on "
        "and after the slide that reveals them.",
        "The last slides list the missed opportunities the reviews found, then the sources. "
        f"The record runs to the newest source, dated {horizon(library)}.",
    ]
    add_text(first, MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, Inches(5.9), how, size=15)
    set_notes(first, "\n".join(t if isinstance(t, str) else t[0] for t in how))

    cited: set[str] = set()
    with renderer(render) as draw:
        for at in at_steps:
            cited |= {c.source for c in at.event.sources}
            _step_slide(deck, library, at, draw, dates, titles)
            if at.event.findings:
                cited |= {c.source for f in at.event.findings for c in f.sources}
                _reveal_slide(deck, library, at)
    _register(deck, library, at_steps, dates)
    add_source_slides(deck, source_lines(library, cited), title="Sources for these steps")
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


PIC_W, PIC_H = Inches(8.3), Inches(8.3 * 9 / 16)


def _step_slide(deck, library: Library, at: walkthrough.Step, draw: Renderer, dates, titles) -> None:
    event = at.event
    slide = add_slide(deck, f"Step {at.number} of {at.total}: {event.title}")
    fig = walkthrough.figure(library, at, reveal=False)
    alt = walkthrough.alt_text(at)
    add_picture(slide, draw(fig), MARGIN, Inches(1.2), width=PIC_W, height=PIC_H, alt=alt,
                name=f"Chart: step {at.number}")
    left = MARGIN + PIC_W + Inches(0.2)
    known = _known(at, dates, titles)
    add_text(slide, left, Inches(1.2), WIDTH - left - MARGIN, PIC_H,
             [("What the record shows had happened by then", {"bold": True, "size": 14})]
             + [(line, {"size": 12, "bold": n == 0}) for n, line in enumerate(known)], name="Known by then")
    add_text(slide, MARGIN, Inches(1.35) + PIC_H, WIDTH - 2 * MARGIN, Inches(1.2),
             [("Discussion question", {"bold": True, "size": 14, "color": MUTED}),
              (_question(at), {"bold": True, "size": 20})], name="Discussion question")
    notes = [f"Step {at.number} of {at.total}. {dates[event.id]}: {event.title}.",
             f"Agency: {at.row['agency_label']}. Kind: {at.row['kind_label']}."]
    if event.detail:
        notes.append(f"What happened: {event.detail}")
    notes.append(f"Question for the room: {_question(at)}")
    notes.append("Sources:")
    notes += [f"- {line}" for line in _citations(event.sources, library)]
    if event.findings:
        notes.append("When the room has discussed the question, the next slide shows what the reviews found.")
    set_notes(slide, "\n".join(notes))


REVEAL_LINES = 20  # text lines a reveal slide holds at 17 pt (105 characters a line); more go on to a second slide
CHARS_PER_LINE = 105


def _pages_of(items: list, cost, budget: int) -> list[list]:
    """``items`` split into pages whose summed ``cost`` stays within ``budget`` (at least one item a page)."""
    pages: list[list] = [[]]
    used = 0
    for item in items:
        c = cost(item)
        if pages[-1] and used + c > budget:
            pages.append([])
            used = 0
        pages[-1].append(item)
        used += c
    return pages


def _reveal_slide(deck, library: Library, at: walkthrough.Step) -> None:
    """What the reviews found about the step's event: on the slide and in its notes (more slides if long)."""
    pairs = list(zip(at.event.findings, _finding_lines(at, library), strict=True))
    pages = _pages_of(pairs, lambda pair: -(-len(pair[1]) // CHARS_PER_LINE) + 1, REVEAL_LINES)
    for n, page in enumerate(pages, start=1):
        more = f" ({n} of {len(pages)})" if len(pages) > 1 else ""
        slide = add_slide(deck, f"What the reviews found: step {at.number}{more}")
        body = [(f"About: {at.event.title} ({at.row['date_label']})", {"size": 15, "color": MUTED, "after": 12})]
        body += [(line, {"size": 17, "after": 10}) for _finding, line in page]
        add_text(slide, MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, Inches(5.8), body, name="Findings")
        notes = [f"What the reviews later found about step {at.number} ({at.event.title}){more}:"]
        for finding, line in page:
            notes.append(f"- {line}")
            notes += [f"    Source: {c}" for c in _citations(finding.sources, library)]
        if n == len(pages):
            notes.append("Ask: what would have had to be different, and for whom, for this to have gone otherwise?")
        set_notes(slide, "\n".join(notes))


def register_rows(at_steps: list[walkthrough.Step], dates: dict[str, str]) -> list[tuple[int, str, str, str]]:
    """(step, date, event, finding) for each missed opportunity the reviews found within the steps."""
    return [(at.number, dates[at.event.id], at.event.title, f"{f.text} ({f.by}, {PartialDate.parse(f.date).human()})")
            for at in at_steps for f in at.event.findings if f.missed_opportunity]


def _register(deck, library: Library, at_steps, dates) -> None:
    rows = register_rows(at_steps, dates)
    lines = [f"Step {n}, {d}: {t}. {f}" for n, d, t, f in rows] or [
        "The reviews mark no missed opportunity within these steps."]
    per = 5
    pages = [lines[i:i + per] for i in range(0, len(lines), per)]
    for n, page in enumerate(pages, start=1):
        title = "Missed opportunities the reviews found" + (f" ({n} of {len(pages)})" if len(pages) > 1 else "")
        slide = add_slide(deck, title)
        add_text(slide, MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, Inches(5.9),
                 [(line, {"size": 14, "after": 8}) for line in page], color=INK, name="Register")
        set_notes(slide, "\n".join(page))


# --- the facilitator handout --------------------------------------------------------------------------

HANDOUT_CSS = """
body { font: 11pt/1.45 Arial, Helvetica, sans-serif; color: #0b0c0c; max-width: 48rem; margin: 2rem auto;
       padding: 0 1rem; }
h1 { font-size: 20pt; margin-bottom: .25rem; } h2 { font-size: 13pt; margin: 1.25rem 0 .25rem; }
.note { border-left: 6px solid #f46a25; padding: .4rem .8rem; background: #fef4ee; }
.step { border-top: 1px solid #b1b4b6; padding-top: .25rem; break-inside: avoid; }
.q { font-weight: bold; } .findings { margin: .25rem 0 0 1rem; } .muted { color: #505a5f; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #b1b4b6; padding: .25rem .4rem;
text-align: left; vertical-align: top; }
@page { size: A4; margin: 16mm; }
"""


def handout_html(library: Library, case_id: str, *, steps: range | None = None) -> str:
    """The facilitator's handout: every step with its question and, for the trainer's eyes, the findings."""
    total = len(walkthrough.order(library, case_id))
    steps = steps or range(1, total + 1)
    case = library.cases[case_id]
    e = html.escape
    at_steps = [walkthrough.step(library, case_id, n) for n in steps]
    rows = case_rows(library.events, case_id)
    dates = dict(zip(rows["event_id"], rows["date_label"], strict=True))
    parts = [f"<h1>{e(short_name(case))}: facilitator handout</h1>",
             f"<p class='muted'>{e(case.title)}. Steps {steps.start} to {steps[-1]} of {total}. For the trainer's "
             "eyes: it holds what the reviews found, which the room should not see before each reveal.</p>",
             f"<p class='note'>{e(CONTENT_NOTE)}</p>"]
    for at in at_steps:
        parts.append(f"<section class='step'><h2>Step {at.number}: {e(dates[at.event.id])}: {e(at.event.title)}</h2>")
        if at.event.detail:
            parts.append(f"<p>{e(at.event.detail)}</p>")
        parts.append(f"<p class='q'>Question: {e(_question(at))}</p>")
        if at.event.findings:
            items = "".join(f"<li>{e(line)}</li>" for line in _finding_lines(at, library))
            parts.append("<p>What the reviews found (reveal after the discussion):</p>"
                         f"<ul class='findings'>{items}</ul>")
        else:
            parts.append("<p class='muted'>No review finding is recorded about this event.</p>")
        parts.append("</section>")
    register = register_rows(at_steps, dates)
    parts.append("<h2>Missed opportunities the reviews found</h2>")
    if register:
        body = "".join(f"<tr><td>{n}</td><td>{e(d)}</td><td>{e(t)}</td><td>{e(f)}</td></tr>" for n, d, t, f in register)
        parts.append("<table><thead><tr><th>Step</th><th>Date</th><th>Event</th><th>Finding</th></tr></thead>"
                     f"<tbody>{body}</tbody></table>")
    else:
        parts.append("<p>The reviews mark no missed opportunity within these steps.</p>")
    return (f"<!doctype html><html lang='en-GB'><head><meta charset='utf-8'><title>{e(short_name(case))}: "
            f"facilitator handout</title><style>{HANDOUT_CSS}</style></head><body>{''.join(parts)}</body></html>")
