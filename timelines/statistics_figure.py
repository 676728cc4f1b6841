"""The national Prevent statistics as a chart, with the years of each case's referrals marked on it.

``statistics_table`` gives the text alternative (one row a year, the figures as the source gives them
and the cases' referrals in that year); ``statistics_chart`` draws it as a framed ``go.Figure`` that
stands alone in a screenshot. Years the evidence base gives no figure for are shown as gaps and say so,
never filled in. Colour never carries meaning alone: the two measures differ by pattern and label.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import schema
from .analysis.table import case_rows
from .analysis.wording import short_title, tight_names
from .theme import INK, MUTED, frame

SOURCE = ("Home Office, 'Individuals referred to and supported through the Prevent programme', years ending"
          " March, as quoted in the project's evidence base; case referrals from the sources cited for each case")
REFERRAL_COLOUR = "#12436D"
ADOPTION_COLOUR = "#801650"  # afcharts dark pink: 3:1 or more on white and on a marked year
MARK_COLOUR = "#F46A25"
TABLE_COLUMNS = {"year": "Year (April to March)", "referrals": "Referrals to Prevent",
                 "channel_adoptions": "Adopted into Channel",
                 "no_or_unclear_ideology_pct": "No or unclear ideology (%)",
                 "case_referrals": "Referrals in the cases this year"}


def statistical_year(day: pd.Timestamp) -> int:
    """The statistical year a day falls in, named by the year it ends (April 2019 to March 2020 -> 2020)."""
    return day.year + 1 if day.month >= 4 else day.year


def referral_years(events: pd.DataFrame, case_titles: dict[str, str] | None = None) -> pd.DataFrame:
    """Each case referral with the statistical year(s) its date window falls in.

    A referral dated only to a year that straddles two statistical years is listed under both, with
    ``certain`` False, so the chart never places it more precisely than its source.
    """
    titles = case_titles or {}
    rows = case_rows(events)
    rows = rows[rows["kind"] == "referral"]
    out = []
    for row in rows.itertuples():
        if pd.isna(row.earliest) or pd.isna(row.latest):
            continue
        first, last = statistical_year(row.earliest), statistical_year(row.latest)
        for year in range(first, last + 1):
            out.append({"case_id": row.case_id, "case": short_title(titles.get(row.case_id, row.case_id), row.case_id),
                        "event_id": row.event_id, "title": row.title, "date_label": row.date_label,
                        "year": year, "certain": first == last})
    return pd.DataFrame(out, columns=["case_id", "case", "event_id", "title", "date_label", "year", "certain"])


def statistics_table(stats: schema.Statistics, marks: pd.DataFrame) -> pd.DataFrame:
    """One row a year: the figures the source gives (blank where it gives none) and the cases' referrals.

    Years with a case referral but no figures are included, so the table shows every marked year.
    """
    by_year = {int(y.year_ending[:4]): y for y in stats.years}
    years = sorted(set(by_year) | set(marks["year"].astype(int)))
    rows = []
    for year in years:
        entry = by_year.get(year)
        here = marks[marks["year"] == year]
        rows.append({
            "year": f"{year - 1}/{str(year)[2:]}",
            "year_ending": year,
            "referrals": entry.referrals if entry else None,
            "channel_adoptions": entry.channel_adoptions if entry else None,
            "no_or_unclear_ideology_pct": entry.no_or_unclear_ideology_pct if entry else None,
            "case_referrals": "; ".join(
                f"{r.case}: {r.title} ({r.date_label}{'' if r.certain else ', year not certain'})"
                for r in here.itertuples()),
        })
    frame_ = pd.DataFrame(rows, columns=["year", "year_ending", *list(TABLE_COLUMNS)[1:]])
    for col in ("referrals", "channel_adoptions", "no_or_unclear_ideology_pct"):
        frame_[col] = frame_[col].astype("Int64")
    return frame_


def readable_table(table: pd.DataFrame) -> pd.DataFrame:
    """The table beside the chart, with headings a reader understands (blank where no figure is given)."""
    shown = table[list(TABLE_COLUMNS)].rename(columns=TABLE_COLUMNS)
    return shown.astype(object).where(shown.notna(), "").reset_index(drop=True)


def _label(year: int) -> str:
    return f"{year - 1}/{str(year)[2:]}"


def _spans(years: list[int]) -> str:
    """'2014/15 and 2016/17 to 2018/19': runs of years written as ranges."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    parts = [_label(r[0]) if len(r) == 1 else f"{_label(r[0])} to {_label(r[-1])}" for r in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _title(stats: schema.Statistics, *, short: bool = False) -> str:
    referrals = {int(y.year_ending[:4]): y.referrals for y in stats.years if y.referrals is not None}
    if not referrals:
        return stats.title
    latest = max(referrals)
    if referrals[latest] == max(referrals.values()) and len(referrals) > 1:
        reached = f"Prevent referrals reached {referrals[latest]:,} in {_label(latest)}"
        return reached if short else f"{reached}, the most of the years quoted"
    return f"Between {min(referrals.values()):,} and {max(referrals.values()):,} Prevent referrals a year"


def statistics_chart(stats: schema.Statistics, marks: pd.DataFrame, *, compact: bool = False) -> go.Figure:
    """Referrals (top) and Channel adoptions (bottom, on its own scale) by year ending March, with the
    years of the cases' referrals shaded and labelled; years without a figure are marked as such."""
    table = statistics_table(stats, marks)
    first, last = int(table["year_ending"].min()), int(table["year_ending"].max())
    every = list(range(first, last + 1))
    by_year = table.set_index("year_ending")
    small = 12 if compact else 14  # no chart text under 14 px on a slide (11 px at least on a phone)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1, row_heights=[0.62, 0.38])
    for row, col, colour, what in ((1, "referrals", REFERRAL_COLOUR, "referrals"),
                                   (2, "channel_adoptions", ADOPTION_COLOUR, "adopted into Channel")):
        values = table[col]
        fig.add_trace(go.Bar(
            x=table["year_ending"], y=values.astype("float"), name=what.capitalize(), marker_color=colour,
            text=[f"{v:,}" if pd.notna(v) else "" for v in values], textposition="outside", cliponaxis=False,
            customdata=table["year"], hovertemplate=f"%{{customdata}}: %{{y:,}} {what}<extra></extra>",
            showlegend=False,
        ), row=row, col=1)
        top = float(values.max()) if values.notna().any() else 1.0
        # On a phone the subtitle names the panels (top, bottom) and ticks are short, so the plot keeps 300 px.
        fig.update_yaxes(range=[0, top * 1.3], tickformat="~s" if compact else ",", row=row, col=1,
                         title=dict(text="" if compact else ("Referrals" if row == 1 else "Adopted into<br>Channel"),
                                    font=dict(size=small)))
        gaps_ = [y for y in every if y not in by_year.index or pd.isna(by_year.loc[y, col])]
        fig.add_trace(go.Scatter(
            x=gaps_, y=[top * 0.06] * len(gaps_), mode="text", text=["–" if compact else "no figure"] * len(gaps_),
            textfont=dict(size=small, color=MUTED), hoverinfo="skip", showlegend=False,
        ), row=row, col=1)
    shapes, notes = [], list(fig.layout.annotations)
    tight = tight_names(marks["case"])  # a short name -> (a word, a mark) that fit a year's column
    for year, group in marks.groupby("year", sort=True):
        shapes.append(dict(type="rect", xref="x", yref="paper", x0=year - 0.5, x1=year + 0.5, y0=0, y1=1,
                           fillcolor=MARK_COLOUR, opacity=0.14, line=dict(width=0), layer="below"))
        names = [tight[r.case][1] for r in group.itertuples()]
        text = ("<br>".join(f"<b>{html.escape(n, quote=False)}</b>" for n in dict.fromkeys(names)) if compact
                else "<br>".join(f"<b>{html.escape(tight[r.case][0], quote=False)}</b><br>"
                                 + html.escape(r.date_label + ("" if r.certain else "?"), quote=False)
                                 for r in group.itertuples()))
        notes.append(dict(x=year, y=1.0, xref="x", yref="paper", yanchor="bottom", showarrow=False, text=text,
                          font=dict(size=small, color=INK), align="center"))
    missing = [y for y in every if y not in by_year.index or pd.isna(by_year.loc[y, "referrals"])]
    latest = stats.years[-1]
    key = ", ".join(f"{mark}: {word}" for word, mark in tight.values())
    subtitle = ("Referrals (top) and Channel adoptions (bottom, on its own scale), years ending March. Shaded:"
                " years in which the cases' referrals to Prevent were made"
                + (f" ({key}; ’15 is the year ending March 2015)." if compact else ".")
                + (f" The evidence base gives no referral figures for {_spans(missing)}." if missing else "")
                + (f" In {_label(int(latest.year_ending[:4]))}, {latest.no_or_unclear_ideology_pct}% of referrals"
                   " recorded no ideology or an unclear one." if latest.no_or_unclear_ideology_pct is not None else ""))
    fig.update_layout(barmode="group", shapes=shapes, annotations=notes, height=680 if compact else 560,
                      showlegend=False)
    fig.update_xaxes(tickmode="array", tickvals=every,
                     ticktext=[f"’{str(y)[2:]}" if compact else _label(y) for y in every], tickangle=0,
                     tickfont=dict(color=MUTED, size=small), range=[first - 0.6, last + 0.6])
    frame(fig, title=_title(stats, short=compact), subtitle=subtitle, source=SOURCE, compact=compact)
    fig.update_layout(margin=dict(t=fig.layout.margin.t + 12, **(dict(l=34, r=6) if compact else {})),
                      # a value that only fits shrunk below 11 px is left off (the table holds every figure)
                      uniformtext=dict(minsize=11, mode="hide") if compact else None)
    if compact:  # see theme.held_still
        fig.update_xaxes(fixedrange=True)
        fig.update_yaxes(fixedrange=True)
        fig.update_layout(dragmode=False)
    return fig
