"""The national statistics section: Prevent referrals and Channel adoptions by year, with the years of
each case's referrals marked, and the table and CSV beside the chart; and the record's horizon in one
sentence (``horizon_note``), which the Sources page shows at its top.

``render(lib)`` draws it from a loaded library (one line from a page); it reads no files.
"""

from __future__ import annotations

import streamlit as st

from components import a11y, widgets
from components.data import derived
from timelines import Library, charts, statistics_figure


def horizon_note(lib: Library) -> str:
    """One plain sentence on how far the record's sources run."""
    if lib.horizon is None:
        return "No sources have loaded, so the record has no horizon."
    return (f"**How far the record runs:** the latest date any source carries is {lib.horizon:%-d %B %Y}. "
            "Nothing after it is known here: deadlines are judged at that horizon, not at today's date.")


def _parts(lib: Library):
    """The wide chart, the compact chart, the table and the catalogue's alt text, made once per loaded library
    (read-only)."""
    titles = {c.id: c.title for c in lib.cases.values()}
    marks = statistics_figure.referral_years(lib.events, titles)
    table = statistics_figure.readable_table(statistics_figure.statistics_table(lib.statistics, marks))
    wide = statistics_figure.statistics_chart(lib.statistics, marks, compact=False)
    alt = charts.Chart("statistics", None, wide, table, "Prevent referrals and Channel adoptions").alt
    # Figures as text with thousands separators, blank where the source gives none (one type a column).
    table = table.map(lambda v: f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else v)
    return wide, statistics_figure.statistics_chart(lib.statistics, marks, compact=True), table, alt


def render(lib: Library) -> None:
    st.header("Prevent referrals nationally")
    if lib.statistics is None:
        st.info("The national statistics (data/statistics.yaml) have not loaded.")
        return
    wide, compact, table, alt = derived(_parts, lib)
    # Wide or compact, as the width needs (a phone, or a desktop at 200%): see a11y.layout.
    a11y.both_widths(lambda narrow: widgets.chart(
        compact if narrow else wide,
        key="statistics" + ("_narrow" if narrow else ""), filename="prevent referrals by year", alt=alt,
        slides=not narrow), key="statistics")
    widgets.table_with_download(table, key="statistics", filename="prevent referrals by year",
                                caption=lib.statistics.note)
