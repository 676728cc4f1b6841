"""Home: what the site is and is not, a content note, the cases with their key figures, how to read
the charts, and when the data was last updated."""

from __future__ import annotations

import streamlit as st

from components import packs, widgets
from components.data import last_changed, latest_source, library, show_problems
from timelines import Library
from timelines.measures import key_figures, short_name

CASE_PAGE = "components/case_page.py"
PER_ROW = 2  # two cards a row: three truncate the key figures ("6 to 7 m…") at 1400 px

HOW_TO_READ = """
- **One lane per agency.** Each row of a timeline is one organisation: the school, Counter Terrorism
  Policing, the Channel panel, the courts, and so on.
- **Shape and colour say what kind of event it is.** The shape names the kind (a circle is a referral, a
  square a police assessment); the colour its family: dark blue for Prevent and Channel, turquoise for
  other public services, dark pink for the attack and the courts, orange for reviews and policy.
- **A filled marker is a date known to the day.** A **hollow marker on a hatched band** is a date the
  sources give only to the month or year, or as a range: the band covers every day it could have been.
  The chart never pins such a date to the 1st of the month.
- **A solid bar is a span**, such as the months a case spent in Channel. A **dotted arrow** marks a date
  known only as "before" or "after" another.
- **A thick red ring marks a missed opportunity**: a point where a learning review or the Prevent
  Commissioner later found that more should have been done. Tap or hover over it to read the finding.
- **The grey layer** at the foot of a timeline is the national policy and oversight context, shared by
  every case. It can be switched off.
- **On a phone**, or in a narrow window, a case timeline runs down the page instead: the earliest event
  at the top, each event named beside the line with its date and who acted, and long silences written
  on the line.
- **Tap or click any marker** to read the event in plain language, with its sources, what reviews found,
  and where sources disagree. Every chart has a table of the same events beneath it, with a CSV download.
"""


NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'two cases', 'one case', '12 cases'."""
    word = NUMBERS[n] if n < len(NUMBERS) else f"{n:,}"
    return f"{word} {noun if n == 1 else plural or noun + 's'}"


def names(lib: Library) -> str:
    """The loaded cases' short names, as a list a reader can say: 'A', 'A and B', 'A, B and C'."""
    short = [widgets.md(short_name(c)) for c in lib.cases.values()]
    if len(short) > 6:
        return ", ".join(short[:5]) + f" and {len(short) - 5:,} more"
    return " and ".join([", ".join(short[:-1]), short[-1]]) if len(short) > 1 else "".join(short)


def intro(lib: Library) -> str:
    """What the site holds, from whatever cases are loaded: no case is named in the code."""
    n = len(lib.cases)
    if not n:
        return ("How the UK's Prevent programme handled people referred to it, set out event by event from "
                "official statements, reviews and reports. No case has loaded yet.")
    return (f"How the UK's Prevent programme handled {count(n, 'case')} ({names(lib)}), set out event by event "
            "from official statements, reviews and reports, and where those reviews found that chances were "
            "missed.")


def content_note(lib: Library) -> str:
    outcomes = [c for c in lib.cases.values()
                if any(e.id == c.outcome_event and e.kind == "attack" for e in c.events)]
    what = (f"{'This case ends' if len(lib.cases) == 1 else 'These cases end'} in "
            f"{'an attack' if len(outcomes) == 1 else 'attacks'} in which people were killed or hurt"
            if outcomes else "These cases involve serious harm")
    return (f"**Content note.** {what}. The site describes what public bodies did, without graphic detail, "
            "but some readers may find it distressing. If you are affected, the Samaritans can be reached free "
            "at any time on 116 123.")


def render(lib: Library) -> None:
    st.title("Prevent case timelines")
    st.markdown(intro(lib))
    with st.container(border=True):
        st.markdown(content_note(lib))
    show_problems(lib)

    st.header("The cases")
    if not lib.cases:
        st.info("No case has loaded yet.")
    cases = list(lib.cases.values())
    for first in range(0, len(cases), PER_ROW):  # at most two cards a row, however many cases load
        row = cases[first:first + PER_ROW]
        for column, case in zip(st.columns(PER_ROW if len(cases) > PER_ROW else len(row)), row, strict=False):
            _card(lib, case, column)

    left, right = st.columns(2)
    with left:
        st.header("What this site is")
        st.markdown(
            "- A record of what public sources say happened, each event with its source and a short quotation.\n"
            "- A way to see the whole sequence at once: referrals, assessments, decisions, the attack, the "
            "courts and the reviews that followed.\n"
            "- For members of the public, for briefing teams who need a chart that stands on its own, and for "
            "trainers who want to discuss the decisions."
        )
    with right:
        st.header("What it is not")
        st.markdown(
            "- Not an investigation: it adds no new information and draws only on published sources.\n"
            "- Not a complete record: the reviews refer to contacts that are not public and are not shown here.\n"
            "- Not a judgement of any individual. Where sources disagree, both accounts are shown."
        )

    st.header("How to read the charts")
    st.markdown(HOW_TO_READ)

    st.header("About the data")
    changed = last_changed(lib)
    newest = latest_source(lib)
    n_events = int((lib.events["layer"] == "case").sum()) if len(lib.events) else 0
    facts = [f"{count(len(lib.cases), 'case').capitalize()}, {n_events:,} events and {len(lib.sources):,} sources."]
    if changed:
        facts.append(f"Data last updated on **{changed}**.")
    if newest:
        facts.append(f"The newest source is dated {newest}.")
    st.markdown(" ".join(facts))
    st.page_link("components/sources_page.py", label="Every source, the glossary, and how the charts are drawn",
                 icon=":material/menu_book:")
    packs.briefing_pack_button(lib)


def _card(lib: Library, case, column) -> None:
    with column, st.container(border=True):
        st.subheader(md_title(case), anchor=False)
        st.caption(widgets.md(case.title))
        # The link first: on a phone it reaches the first screen (issue 8's reading order).
        st.page_link(CASE_PAGE, label=f"Open the {widgets.md(short_name(case))} timeline",
                     icon=":material/timeline:", query_params={"case": case.id})
        st.markdown(widgets.md(case.summary))
        widgets.key_figure_metrics(key_figures(lib.events, case))


def md_title(case) -> str:
    return widgets.md(short_name(case))


if __name__ == "__main__":
    render(library())
