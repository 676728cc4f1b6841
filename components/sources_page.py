"""Sources and method: every source with the events that cite it, the glossary, how dates and
uncertainty are drawn, and the known gaps in the record."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import statistics_section, widgets
from components.data import derived, last_changed, library, show_problems
from timelines import Library, gaps
from timelines.measures import short_name

METHOD = """
Every event comes from a published source: a ministerial statement, a learning review as reported, a
court record, a press release or a news report. Each event cites at least one source with a short
quotation or a precise locator; **primary** sources are the core official documents, **secondary**
sources the supplementary public record (news reports and summaries), named as such.

**Dates are drawn at the precision the sources give, never more.**

- A date known to the day is a **filled marker** on that day.
- A month ("December 2019") or a year ("2016") is a **hatched band** over the whole month or year, with a
  **hollow marker** at its middle. Nothing is placed on the 1st of the month.
- "About February 2020" widens the band by one unit either side (January to March 2020); "between April
  and June 2021" covers the whole range.
- "Before 12 February 2025" and "after ..." are open: a hollow marker at the known bound with a
  **dotted arrow** into the open side.
- A **span** (such as time in Channel) is a solid bar from its start to the end of its end date.
- Lengths of time (such as "3.1 to 3.3 years") are ranges: the shortest and the longest the dates allow.

**What happened is kept apart from what reviews found.** Findings carry who made them and when.
Where sources disagree, both accounts are shown side by side with their sources; none is chosen silently.
"""


def sources_table(lib: Library) -> pd.DataFrame:
    """Every source with the events (case and context) that cite it."""
    citing: dict[str, list[str]] = {}
    names = {c.id: short_name(c) for c in lib.cases.values()}
    for case_id, title, ids in zip(lib.events["case_id"], lib.events["title"], lib.events["source_ids"], strict=True):
        for source_id in ids:
            citing.setdefault(source_id, []).append(f"{names.get(case_id, 'Context')}: {title}")
    rows = []
    for source in lib.sources.values():
        cited = citing.get(source.id, [])
        rows.append({
            "Publisher": source.publisher, "Title": source.title, "Date": widgets.human_date(source.date),
            "Kind": source.kind, "Primary or secondary": "Primary" if source.primary else "Secondary",
            "Link": source.url or "", "Events citing it": len(cited), "Events": "; ".join(cited),
        })
    return pd.DataFrame(rows)


def coverage_table(lib: Library) -> pd.DataFrame | None:
    """The totals the sources state against the events recorded here; None when no case states one."""
    coverage = gaps.coverage(lib.events, lib.cases)
    if coverage.empty:
        return None
    names = {c.id: short_name(c) for c in lib.cases.values()}
    # coverage() lists each case's totals in order; name their sources as readers know them.
    cited = [", ".join(dict.fromkeys(lib.sources[c.source].publisher if c.source in lib.sources else c.source
                                     for c in total.sources))
             for case in lib.cases.values() for total in case.totals]
    return pd.DataFrame({
        "Case": coverage["case_id"].map(names), "What is counted": coverage["measure"],
        "Sources state": coverage["stated"], "Recorded here": coverage["recorded"],
        "Event kinds counted": coverage["kinds"],
        "Stated by": cited if len(cited) == len(coverage) else coverage["sources"],
    })


def render(lib: Library) -> None:
    st.title("Sources and method")
    show_problems(lib)
    st.markdown(statistics_section.horizon_note(lib))

    st.header("Sources")
    table = derived(sources_table, lib)
    if table.empty:
        st.info("No sources have loaded.")
    else:
        widgets.grid_or_records(table, key="sources_table", links={"Link"}, column_config={
            "Link": st.column_config.LinkColumn("Link", display_text="Open"),
            "Events": st.column_config.TextColumn("Events", width="large"),
        })
        st.download_button("Download the sources (CSV)", data=lambda: table.to_csv(index=False).encode("utf-8"),
                           file_name="prevent-timelines-sources.csv", mime="text/csv", key="sources_csv",
                           on_click="ignore", icon=":material/download:")

    st.header("How dates and uncertainty are drawn")
    st.markdown(METHOD)

    st.header("Known gaps in the record")
    st.markdown("Sources state totals that this record cannot yet match: contacts the reviews counted but "
                "did not date or describe in public.")
    shown = derived(coverage_table, lib)
    if shown is None:
        st.caption("No totals are stated in the case files.")
    else:
        widgets.grid_or_records(shown, key="coverage_table")

    st.header("Glossary")
    if lib.glossary is None:
        st.info("The glossary has not loaded.")
    else:
        entries = []
        for term in lib.glossary.terms:
            name = f"**{widgets.md(term.term)}**"
            if term.stands_for:
                name += f" ({widgets.md(term.stands_for)})"
            entries.append(f"{name}: {widgets.md(term.definition)}"
                           + (" *(the project's own explanatory wording)*" if term.own_wording else ""))
        st.markdown("\n\n".join(entries))  # one element, a paragraph a term: each element costs every run

    statistics_section.render(lib)

    st.header("About the data")
    changed = last_changed(lib)
    st.markdown(f"{lib.summary()}." + (f" Last updated on {changed}." if changed else ""))


if __name__ == "__main__":
    render(library())
