"""Download buttons for the packs (the briefing pack, the trainer deck and its handout), and the walkthrough's
range of steps read from the URL (``?steps=1-8``). The decks are made on click, not on every rerun."""

from __future__ import annotations

from datetime import date

import streamlit as st

from components import state
from timelines import Library, export
from timelines.decks import DeckError, briefing_pack
from timelines.measures import short_name
from timelines.trainer_deck import handout_html, step_range, trainer_deck

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
STEPS = "steps"


def _render(fig) -> bytes:
    return export.render_on_demand(fig, "png")


def briefing_pack_button(lib: Library) -> None:
    """'Download the briefing pack': every chart of the catalogue as a 16:9 PowerPoint with notes."""
    if not lib.cases:
        return
    if not export.available():
        st.caption("The briefing pack needs chromium on the server to draw its charts; "
                   "`python -m timelines briefing-pack OUT.pptx` makes it where chromium is installed.")
        return
    st.download_button(
        "Download the briefing pack (PowerPoint)", key="briefing_pack", on_click="ignore",
        data=lambda: briefing_pack(lib, today=date.today(), render=_render),
        file_name="prevent-case-timelines-briefing-pack.pptx", mime=PPTX, icon=":material/slideshow:",
        help="Every chart on its own 16:9 slide: the chart's message as the title, its source line, alt text, "
             "and its data in words in the speaker notes. Takes a few seconds to make.")


def steps_from_url(lib: Library, case_id: str) -> range:
    """The steps the link asks for (``?steps=1-8``), or every step; a bad range is named and ignored."""
    values = state.raw(STEPS)
    try:
        return step_range(values[0] if values else None, lib, case_id)
    except DeckError as err:
        st.warning(f"The link's {err}. Showing every step.", icon=":material/link_off:")
        return step_range(None, lib, case_id)


def trainer_buttons(lib: Library, case_id: str, steps: range) -> None:
    """The trainer deck for these steps, and the facilitator handout (HTML that prints to A4)."""
    name = short_name(lib.cases[case_id])
    part = "" if steps == step_range(None, lib, case_id) else f" (steps {steps.start} to {steps[-1]})"
    cols = st.columns(2)
    if export.available():
        cols[0].download_button(
            f"Download the trainer deck{part}", key="trainer_deck", on_click="ignore", width="stretch",
            data=lambda: trainer_deck(lib, case_id, steps=steps, render=_render),
            file_name=f"{name.lower().replace(' ', '-')}-trainer-deck.pptx", mime=PPTX, icon=":material/slideshow:",
            help="A slide per step, the findings on a slide after each step, notes for the trainer.")
    cols[1].download_button(
        f"Download the facilitator handout{part}", key="trainer_handout", on_click="ignore", width="stretch",
        data=lambda: handout_html(lib, case_id, steps=steps).encode("utf-8"),
        file_name=f"{name.lower().replace(' ', '-')}-facilitator-handout.html", mime="text/html",
        icon=":material/print:", help="For the trainer's eyes: every step, its question and what the reviews "
                                      "found. Open it in a browser and print it.")
