"""Home: what the site is and is not, a content note, the cases with their key figures, how to read
the charts, and when the data was last updated."""

from __future__ import annotations

import streamlit as st

from components import widgets
from components.data import last_changed, latest_source, library, show_problems
from timelines import Library
from timelines.measures import key_figures, short_name

CASE_PAGE = "components/case_page.py"

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
  both cases. It can be switched off.
- **On a phone**, or in a narrow window, a case timeline runs down the page instead: the earliest event
  at the top, each event named beside the line with its date and who acted, and long silences written
  on the line.
- **Tap or click any marker** to read the event in plain language, with its sources, what reviews found,
  and where sources disagree. Every chart has a table of the same events beneath it, with a CSV download.
"""


def render(lib: Library) -> None:
    st.title("Prevent case timelines")
    st.markdown(
        "How the UK's Prevent programme handled two people who later killed, set out event by event from "
        "official statements, reviews and reports, and where those reviews found that chances were missed."
    )
    with st.container(border=True):
        st.markdown(
            "**Content note.** These cases involve the killing of three children at a dance class in "
            "Southport in July 2024 and the murder of Sir David Amess MP in October 2021. The site describes "
            "what public bodies did, without graphic detail, but some readers may find it distressing. "
            "If you are affected, the Samaritans can be reached free at any time on 116 123."
        )
    show_problems(lib)

    st.header("The cases")
    if not lib.cases:
        st.info("No case has loaded yet.")
    columns = st.columns(max(len(lib.cases), 1))
    for column, case in zip(columns, lib.cases.values(), strict=False):
        with column, st.container(border=True):
            st.subheader(md_title(case), anchor=False)
            st.caption(widgets.md(case.title))
            st.page_link(CASE_PAGE, label=f"Open the {short_name(case)} timeline", icon=":material/timeline:",
                         query_params={"case": case.id})
            st.markdown(widgets.md(case.summary))
            widgets.key_figure_metrics(key_figures(lib.events, case))

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
    facts = [f"{len(lib.cases)} cases, {n_events} events and {len(lib.sources)} sources."]
    if changed:
        facts.append(f"Data last updated on **{changed}**.")
    if newest:
        facts.append(f"The newest source is dated {newest}.")
    st.markdown(" ".join(facts))
    st.page_link("components/sources_page.py", label="Every source, the glossary, and how the charts are drawn",
                 icon=":material/menu_book:")


def md_title(case) -> str:
    return widgets.md(short_name(case))


if __name__ == "__main__":
    render(library())
