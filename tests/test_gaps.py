"""Gap analysis: interval arithmetic on imprecise dates, and the real cases worked out by hand.

Intervals are counted in calendar days: the shortest is the first day the later event can have minus
the last day the earlier one can have, the longest the last day of the later minus the first day of
the earlier. Every expected number below is worked out in the comment beside it, from the dates, not
from the function.
"""

from __future__ import annotations

import math
import re
import textwrap
from datetime import date

import pandas as pd
import pytest

from tests.conftest import CASE, write_library
from timelines import gaps, load_library, schema
from timelines.dates import describe, window
from timelines.loading import events_frame
from timelines.vocab import FAMILY_BY_ID, KIND_BY_ID

# --- helpers -------------------------------------------------------------------------------------------


def ev(event_id: str, when: str, kind: str = "agency_contact", *, qualifier: str = "on",
       until: str | None = None, sequence: int | None = None, case: str = "demo",
       title: str | None = None) -> dict:
    """One row of the event table, as the loader makes it."""
    earliest, latest = window(when, qualifier, until)
    k = KIND_BY_ID[kind]
    return {"case_id": case, "layer": "case", "event_id": event_id, "sequence": sequence, "kind": kind,
            "kind_label": k.label, "family": FAMILY_BY_ID[k.family].id, "agency": "school",
            "title": title or event_id, "detail": None, "date_text": when, "date_qualifier": qualifier,
            "date_until": until, "date_label": describe(when, qualifier, until), "earliest": earliest,
            "latest": latest, "source_ids": ("src-a",)}


def frame(*rows: dict) -> pd.DataFrame:
    return events_frame(list(rows))


def one_gap(a: dict, b: dict) -> pd.Series:
    result = gaps.intervals(frame(a, b))
    assert len(result) == 1
    return result.iloc[0]


def step(step_id: str, title: str, kinds: list[str], **extra) -> schema.Step:
    return schema.Step(id=step_id, title=title, description=title, kinds=kinds,
                       sources=[schema.Citation(source="src-a", locator="here")], **extra)


def finding_rows(*rows: tuple) -> pd.DataFrame:
    """(event id, text, missed opportunity[, step id[, date]]) -> the findings table."""
    return pd.DataFrame([
        {"case_id": "demo", "event_id": e, "event_title": e, "text": t, "by": "A review",
         "date": (rest[1:] or ["2025"])[0], "date_label": (rest[1:] or ["2025"])[0], "missed_opportunity": m,
         "step": (rest or [""])[0], "source_ids": ("src-a",), "citation": "src-a: “x”"}
        for e, t, m, *rest in rows
    ], columns=gaps.FINDING_COLUMNS)


# --- wording -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("low", "high", "words"), [
    (0, 0, "the same day"),
    (1, 1, "1 day"),
    (2, 2, "2 days"),
    (48, 77, "48 to 77 days"),
    (0, 58, "up to 58 days"),
    # 61 days is 2.004 months (rounded down: 2); 426 days is 13.996 months (rounded up: 14)
    (61, 426, "2 to 14 months"),
    # 398 / 30.4375 = 13.08 -> 13; 455 / 30.4375 = 14.95 -> 15
    (398, 455, "13 to 15 months"),
    # 1690 / 365.25 = 4.627 -> 4.6; 1750 / 365.25 = 4.791 -> 4.8
    (1690, 1750, "4.6 to 4.8 years"),
    # the shorter bound is under a month: it keeps its own unit rather than read '0 months'
    (20, 100, "20 days to 4 months"),
    (154, 154, "5 months"),
    (2463, 2463, "6.7 years"),
    (90, math.nan, "at least 90 days"),
    (math.nan, 1035, "up to 2.9 years"),
    (math.nan, math.nan, "of unknown length"),
    (0, math.nan, "of unknown length"),
])
def test_describe_span(low, high, words):
    assert gaps.describe_span(low, high) == words


# --- intervals with imprecise dates ------------------------------------------------------------------------

def test_year_only_to_year_only():
    # 2014 -> 2016: shortest 31 Dec 2014 -> 1 Jan 2016 = 366 days; longest 1 Jan 2014 -> 31 Dec 2016 =
    # 365 + 365 + 365 (2014, 2015, 2016 less one day; 2016 is a leap year) = 1095 days.
    gap = one_gap(ev("a", "2014"), ev("b", "2016"))
    assert (gap.min_days, gap.max_days) == (366, 1095)
    assert gap.label == "1.0 to 3.0 years"  # 366/365.25 = 1.002 -> 1.0; 1095/365.25 = 2.998 -> 3.0
    assert not gap.overlaps


def test_same_year_only_dates_can_be_the_same_day():
    # Two events 'in 2016': anything from the same day to 365 days apart (1 Jan to 31 Dec, leap year).
    gap = one_gap(ev("a", "2016", sequence=1), ev("b", "2016", sequence=2))
    assert (gap.min_days, gap.max_days) == (0, 365)
    assert gap.label == "up to 12 months"
    assert gap.overlaps


def test_month_only_to_month_only():
    # December 2019 -> February 2021 (the first two Southport referrals): shortest 31 Dec 2019 ->
    # 1 Feb 2021 = 366 (2020) + 32 = 398 days; longest 1 Dec 2019 -> 28 Feb 2021 = 31 + 366 + 31 + 27 = 455.
    gap = one_gap(ev("first", "2019-12", "referral"), ev("second", "2021-02", "referral"))
    assert (gap.min_days, gap.max_days) == (398, 455)
    assert gap.label == "13 to 15 months"


def test_between_range_to_day():
    # Closed 'between April and June 2021', attack on 29 July 2024: shortest 30 Jun 2021 -> 29 Jul 2024 =
    # 3 * 365 + 1 (29 Feb 2024) + 29 = 1125 days; longest 1 Apr 2021 -> 29 Jul 2024 = 1125 + 90 = 1215.
    gap = one_gap(ev("closed", "2021-04", "decision", qualifier="between", until="2021-06"),
                  ev("attack", "2024-07-29", "attack"))
    assert (gap.min_days, gap.max_days) == (1125, 1215)
    assert gap.label == "3.0 to 3.4 years"  # 1125/365.25 = 3.08 -> 3.0; 1215/365.25 = 3.33 -> 3.4


def test_month_only_to_day():
    # November 2014 -> 17 January 2015: shortest 30 Nov -> 17 Jan = 1 + 31 + 16 = 48 days;
    # longest 1 Nov -> 17 Jan = 29 + 31 + 17 = 77 days.
    gap = one_gap(ev("adopted", "2014-11", "adoption"), ev("session", "2015-01-17", "support_session"))
    assert (gap.min_days, gap.max_days) == (48, 77)
    assert gap.label == "48 to 77 days"


def test_day_to_day_is_exact():
    # Conviction 11 April 2022, sentence 13 April 2022: exactly 2 days, no range.
    gap = one_gap(ev("conviction", "2022-04-11", "conviction"), ev("sentence", "2022-04-13", "sentence"))
    assert (gap.min_days, gap.max_days) == (2, 2)
    assert gap.label == "2 days"


def test_same_day_events_are_ordered_by_sequence():
    # Given in the wrong order; sequence puts 'first' before 'second', and they are 0 days apart.
    rows = frame(ev("second", "2025-02-12", sequence=2), ev("first", "2025-02-12", sequence=1))
    result = gaps.intervals(rows)
    assert list(result[["from_event", "to_event"]].iloc[0]) == ["first", "second"]
    assert (result.iloc[0].min_days, result.iloc[0].max_days, result.iloc[0].label) == (0, 0, "the same day")


def test_about_widens_by_one_unit():
    # 'about February 2020' covers January to March 2020; attack 29 July 2024.
    # Shortest 31 Mar 2020 -> 29 Jul 2024 = 1581 days; longest 1 Jan 2020 -> 29 Jul 2024 = 1671 days.
    gap = one_gap(ev("closed", "2020-02", "decision", qualifier="about"),
                  ev("attack", "2024-07-29", "attack"))
    assert (gap.min_days, gap.max_days) == (1581, 1671)


def test_open_windows_are_said_honestly():
    # 'before 12 February 2025' has no earliest day: the gap from a day-dated event before it has no
    # lower bound beyond zero ('up to'), and the gap after it to a later event has no upper bound.
    rows = frame(ev("sentence", "2022-04-13", "sentence"),
                 ev("complaint", "2025-02-12", "complaint", qualifier="before"),
                 ev("published", "2025-02-12", "review_published", sequence=1))
    result = gaps.intervals(rows).set_index("to_event")
    # sentence -> complaint: at most 13 Apr 2022 -> 11 Feb 2025 = 1035 days
    assert pd.isna(result.loc["complaint", "min_days"]) and result.loc["complaint", "max_days"] == 1035
    assert result.loc["complaint", "label"] == "up to 2.9 years"
    # complaint -> publication: at least 11 Feb -> 12 Feb = 1 day, no upper bound
    assert result.loc["published", "min_days"] == 1 and pd.isna(result.loc["published", "max_days"])
    assert result.loc["published", "label"] == "at least 1 day"


def test_contacts_only_keeps_services_and_the_attack():
    rows = frame(ev("contact", "2019-04", "agency_contact"), ev("referral", "2019-12", "referral"),
                 ev("attack", "2024-07-29", "attack"), ev("sentence", "2025-01-23", "sentence"),
                 ev("review", "2025-02-05", "review_published"))
    result = gaps.intervals(rows, contacts_only=True)
    assert list(result["to_event"]) == ["referral", "attack"]


def test_longest_ranks_by_the_certain_gap():
    rows = frame(ev("a", "2014"), ev("b", "2016"), ev("c", "2016-06-01"), ev("d", "2021-10-15", "attack"))
    top = gaps.longest(gaps.intervals(rows), n=2)
    # b -> d: 31 Dec 2016 -> 15 Oct 2021 = 1749 days for sure; a -> b: 366 for sure; b -> c: 0 for sure
    assert list(top["to_event"]) == ["d", "b"]
    assert list(top["rank"]) == [1, 2]


# --- time to the outcome --------------------------------------------------------------------------------

def test_time_to_outcome_before_and_after():
    rows = frame(ev("referral", "2014-10", "referral"), ev("attack", "2021-10-15", "attack"),
                 ev("commissioned", "2021-10-15", "review_commissioned", qualifier="between",
                    until="2021-11"),
                 ev("sentence", "2022-04-13", "sentence"))
    result = gaps.time_to_outcome(rows, {"demo": "attack"}).set_index("event_id")
    # October 2014 -> 15 Oct 2021: shortest from 31 Oct 2014 = 2541 days (6.957 y -> 6.9),
    # longest from 1 Oct 2014 = 2571 days (7.039 y -> 7.1)
    assert tuple(result.loc["referral", ["relation", "min_days", "max_days"]]) == ("before", 2541, 2571)
    assert result.loc["referral", "label"] == "6.9 to 7.1 years before the attack"
    assert result.loc["attack", "label"] == "the day of the attack"
    # 15 Oct 2021 -> 30 Nov 2021: the window starts on the day of the attack, so the order is open
    assert result.loc["commissioned", "relation"] == "overlaps"
    assert result.loc["commissioned", "label"] == \
        "around the time of the attack (within 46 days; order not certain)"
    # 15 Oct 2021 -> 13 Apr 2022 = 16 + 30 + 31 + 31 + 28 + 31 + 13 = 180 days
    assert tuple(result.loc["sentence", ["relation", "min_days", "max_days"]]) == ("after", 180, 180)


# --- repeat referrals --------------------------------------------------------------------------------------

def test_referrals_count_up_with_the_gaps_between():
    rows = frame(ev("r1", "2019-12", "referral"), ev("closed", "2020-02", "decision"),
                 ev("r2", "2021-02", "referral"), ev("r3", "2021-04", "referral"))
    result = gaps.referrals(rows)
    assert list(result["count"]) == [1, 2, 3]
    assert list(result["event_id"]) == ["r1", "r2", "r3"]
    # r1 -> r2: 398 to 455 days (see test_month_only_to_month_only); r2 -> r3: 28 Feb -> 1 Apr 2021 =
    # 32 days at least, 1 Feb -> 30 Apr = 88 days at most
    assert list(result["min_days_since_previous"].iloc[1:]) == [398, 32]
    assert list(result["max_days_since_previous"].iloc[1:]) == [455, 88]
    assert list(result["since_previous"]) == ["", "13 to 15 months", "32 to 88 days"]


# --- the pathway ------------------------------------------------------------------------------------------

STEPS = [
    step("referral", "Referral", ["referral"]),
    step("assessment", "Police gateway assessment", ["police_assessment"]),
    step("closed", "Closed with no Prevent role (branch)", ["decision"], optional=True),
    step("panel", "Channel panel", ["channel_panel", "adoption"]),
    step("adoption", "Adoption with consent", ["adoption"]),
    step("exit", "Exit from Channel", ["exit"]),
    step("six", "Six-month post-exit review", ["post_exit_review"], expected_after="6 months after exit",
         expected_months=6, expected_from="exit"),
    step("twelve", "Twelve-month post-exit review", ["post_exit_review"],
         expected_after="12 months after exit", expected_months=12, expected_from="exit"),
    step("closure", "Case closed to Prevent", ["case_closure"]),
]


def statuses(result: pd.DataFrame, episode: int = 1) -> dict[str, str]:
    rows = result[result["episode"] == episode]
    return dict(zip(rows["step_id"], rows["status"], strict=True))


def test_conformance_missing_step_between_found_ones_with_its_finding():
    rows = frame(ev("ref", "2014-10", "referral"), ev("visit", "2014-11", "police_assessment"),
                 ev("adopted", "2014-11", "adoption", sequence=2), ev("exit", "2015-04", "exit"),
                 ev("review", "2016", "post_exit_review", title="Twelve-month review"),
                 ev("closed", "2016", "case_closure", sequence=2))
    found = finding_rows(("exit", "There was no six-month review.", True, "six"),
                         ("exit", "The case was exited too quickly.", True))
    result = gaps.conformance(rows, STEPS, found, {("demo", "review"): "twelve"})
    assert statuses(result) == {
        "referral": "found", "assessment": "found", "closed": "not_taken",
        # the adoption is evidence of a panel and is the adoption itself: one event, two steps
        "panel": "found", "adoption": "found", "exit": "found",
        # the only review links to the twelve-month step, so it is not taken for the six-month one
        "six": "missing", "twelve": "found", "closure": "found"}
    six = result.set_index("step_id").loc["six"]
    # the finding linked to the six-month step; the other finding on the exit names no step
    assert (six.finding, six.n_findings) == ("There was no six-month review.", 1)
    twelve = result.set_index("step_id").loc["twelve"]
    # April 2015 -> 2016: 30 Apr 2015 -> 1 Jan 2016 = 246 days up to 1 Apr 2015 -> 31 Dec 2016 = 640:
    # it may or may not have been later than 12 months after exit
    assert (twelve.min_days, twelve.max_days) == (246, 640)
    assert twelve.note.startswith("possibly late: expected 12 months after “Exit from Channel”")
    adoption = result.set_index("step_id").loc["adoption"]
    assert adoption.after_previous == "the same event as “Channel panel”"


def test_conformance_late_when_even_the_shortest_gap_exceeds_the_expected_time():
    rows = frame(ev("ref", "2014-10", "referral"), ev("visit", "2014-11", "police_assessment"),
                 ev("adopted", "2014-11", "adoption", sequence=2), ev("exit", "2015-04", "exit"),
                 ev("six", "2016-03", "post_exit_review", title="Six-month review"))
    result = gaps.conformance(rows, STEPS, finding_rows())
    # 30 Apr 2015 -> 1 Mar 2016 = 306 days at least: over six months (182.6 days) whatever the days
    assert statuses(result)["six"] == "late"
    # nothing after the six-month review and no closure recorded: the rest is simply not recorded
    assert statuses(result)["twelve"] == "missing"
    assert result.set_index("step_id").loc["twelve", "note"] == \
        "no source in this library records it; no review finding names this step"


def test_conformance_closed_at_the_gateway_skips_the_panel():
    rows = frame(ev("r1", "2019-12", "referral"), ev("a1", "2020-01", "police_assessment"),
                 ev("c1", "2020-02", "decision"), ev("r2", "2021-02", "referral"),
                 ev("a2", "2021-02", "police_assessment", sequence=2), ev("c2", "2021-03", "decision"),
                 ev("attack", "2024-07-29", "attack"))
    found = finding_rows(("c1", "It should have been passed to the Channel co-ordinator.", True, "panel",
                          "2025-02-05"),
                         ("c1", "The referral should not have been closed.", True, "panel", "2025-01-21"),
                         ("c2", "Repeat referrals were not considered together.", True),
                         # on the report after the attack: both referrals reached the panel step, so
                         # it cannot be told which one it is about, and neither is given it
                         ("report", "The case should have gone to a Channel panel.", True, "panel"))
    result = gaps.conformance(rows, STEPS, found)
    assert sorted(result["episode"].unique()) == [1, 2]
    expected = {"referral": "found", "assessment": "found", "closed": "found", "panel": "skipped",
                "adoption": "not_reached", "exit": "not_reached", "six": "not_reached",
                "twelve": "not_reached", "closure": "not_reached"}
    assert statuses(result, 1) == expected and statuses(result, 2) == expected
    panel = result[result["step_id"] == "panel"].set_index("episode")
    # two findings on the first closure link to the panel step: the first made public is shown and
    # the other counted
    assert panel.loc[1, "finding"] == "The referral should not have been closed."
    assert (panel.loc[1, "n_findings"], panel.loc[1, "note"]) == (2, "1 more review finding names this step")
    # the second closure's finding links to no step: no finding is guessed from its words
    assert (panel.loc[2, "finding"], panel.loc[2, "note"]) == ("", "no review finding names this step")
    assert result["episode_label"].iloc[0] == "Referral 1: December 2019"


PATH = [ev("ref", "2014-10", "referral"), ev("visit", "2014-11", "police_assessment"),
        ev("adopted", "2014-11", "adoption", sequence=2), ev("exit", "2015-04", "exit"),
        ev("review", "2015-10", "post_exit_review"), ev("closed", "2016", "case_closure"),
        ev("attack", "2021-10-15", "attack"), ev("report", "2025-07-16", "commissioners_report")]


@pytest.mark.parametrize(("finding", "carried"), [
    # linked to the step, on an event of the episode
    (("exit", "There was no six-month review.", True, "six"), True),
    # linked to the step, on a report after the attack: the only referral is the one that reached it
    (("report", "A review was missed.", False, "six"), True),
    # the same words with no link: nothing is read into them
    (("exit", "There was no six-month review.", True), False),
    # linked to another step
    (("exit", "There was no six-month review.", True, "twelve"), False),
])
def test_a_finding_linked_to_a_step_goes_with_its_departure(finding, carried):
    # the one review links to the twelve-month step, so the six-month step is missing
    result = gaps.conformance(frame(*PATH), STEPS, finding_rows(finding), {("demo", "review"): "twelve"})
    six = result.set_index("step_id").loc["six"]
    assert six.status == "missing"
    assert (six.finding == finding[1]) is carried
    assert six.finding_by == ("A review" if carried else "")
    assert six.finding_sources == ("src-a: “x”" if carried else "")
    assert six.note.endswith("no review finding names this step") is not carried


@pytest.mark.parametrize(("links", "six", "twelve"), [
    # unlinked, a post-exit review is the first step of its kind still open: the six-month one
    ({}, "found", "missing"),
    # linked to the twelve-month step, the six-month step cannot take it
    ({("demo", "review"): "twelve"}, "missing", "found"),
])
def test_an_event_step_overrides_its_kind(links, six, twelve):
    result = statuses(gaps.conformance(frame(*PATH), STEPS, finding_rows(), links))
    assert (result["six"], result["twelve"]) == (six, twelve)


def test_an_event_step_matches_a_step_of_another_kind():
    # an agency contact linked to the panel step is the panel, though the panel's kinds do not list it
    rows = frame(ev("ref", "2019-12", "referral"), ev("a", "2020-01", "police_assessment"),
                 ev("meeting", "2020-02", "agency_contact"))
    result = gaps.conformance(rows, STEPS, finding_rows(), {("demo", "meeting"): "panel"})
    assert result.set_index("step_id").loc["panel", ["status", "event_id"]].tolist() == ["found", "meeting"]


TIMED = [step("a", "A", ["referral"]), step("b", "B", ["police_assessment"]),
         step("c", "C", ["decision"], expected_months=1)]


@pytest.mark.parametrize(("expected_from", "status", "days", "after"), [
    # from the step before (B, 20 February): 20 Feb -> 1 Mar 2021 = 9 days, within the month expected
    (None, "found", 9, "9 days after “B”"),
    # from A (1 January): 1 Jan -> 1 Mar 2021 = 31 + 28 = 59 days, over a month (30.4 days): late
    ("a", "late", 59, "59 days after “A”"),
])
def test_expected_from_sets_what_a_timing_counts_from(expected_from, status, days, after):
    steps = [*TIMED[:2], TIMED[2].model_copy(update={"expected_from": expected_from})]
    rows = frame(ev("a", "2021-01-01", "referral"), ev("b", "2021-02-20", "police_assessment"),
                 ev("c", "2021-03-01", "decision"))
    c = gaps.conformance(rows, steps, finding_rows()).set_index("step_id").loc["c"]
    assert (c.status, c.min_days, c.max_days, c.after_previous) == (status, days, days, after)


def test_a_timing_is_not_checked_when_the_step_it_counts_from_did_not_happen():
    steps = [*TIMED[:2], TIMED[2].model_copy(update={"expected_from": "b"})]
    rows = frame(ev("a", "2021-01-01", "referral"), ev("c", "2021-03-01", "decision"))
    c = gaps.conformance(rows, steps, finding_rows()).set_index("step_id").loc["c"]
    # the time is given from the step before that did happen; the month expected after B is not judged
    assert (c.status, c.after_previous) == ("found", "59 days after “A”")
    assert c.note == "timing not checked: “B” is not recorded"


# --- commitments ----------------------------------------------------------------------------------------

def commitment(cid: str, *, due: str | None = None, delivered: str | None = None) -> schema.Commitment:
    cite = [schema.Citation(source="src-a", quote="we will")]
    return schema.Commitment(id=cid, promise=f"Promise {cid}", made="2025-07-16", due=due,
                             delivered=delivered, delivery_sources=cite if delivered else [], sources=cite)


@pytest.mark.parametrize(("today", "due", "delivered", "state", "status"), [
    # a deadline of 'September 2025' passes at the end of the month, not on the 1st
    (date(2025, 9, 30), "2025-09", None, "open",
     "Due by the end of September 2025; no source reports delivery yet"),
    (date(2025, 10, 1), "2025-09", None, "overdue",
     "Deadline (end of September 2025) passed; no source reports delivery"),
    (date(2025, 8, 2), "2025-08-01", None, "overdue",
     "Deadline (1 August 2025) passed; no source reports delivery"),
    (date(2026, 1, 1), None, None, "no_deadline", "No deadline stated; no source reports delivery"),
    (date(2026, 1, 1), "2025-12", "2025-11", "delivered", "Delivered November 2025"),
    (date(2026, 3, 1), "2025-12", "2026-02", "delivered_late",
     "Delivered February 2026, after the deadline of December 2025"),
])
def test_commitment_status(today, due, delivered, state, status):
    result = gaps.commitments([commitment("c", due=due, delivered=delivered)], today).iloc[0]
    assert (result.state, result.status) == (state, status)


def test_commitments_days_past_deadline():
    # due September 2025 (ends 30 September); on 22 November 2025 that is 31 + 22 = 53 days past
    result = gaps.commitments([commitment("c", due="2025-09")], date(2025, 11, 22)).iloc[0]
    assert result.days_past_deadline == 53


# --- coverage and planned against delivered, on fixture libraries ----------------------------------------

TOTALS_CASE = CASE.replace("events:\n", textwrap.dedent("""\
    totals:
      - measure: "contact points with public services"
        value: 15
        qualifier: "at least"
        counts_kinds: [referral, agency_contact]
        sources:
          - source: src-a
            quote: "at least 15 contact points"
      - measure: "mentoring sessions held"
        value: 1
        counts_kinds: [support_session]
        sources:
          - source: src-a
            quote: "one session"
          - source: src-b
            quote: "only one took place"
    events:
      - id: session
        date: "2015-01-17"
        kind: support_session
        agency: intervention_provider
        title: The only session
        sources:
          - source: src-a
            quote: "one session"
        disputed:
          - about: "how many mentoring sessions were planned"
            claims:
              - value: "Seven"
                sources:
                  - source: src-b
                    quote: "supposed to meet seven times"
              - value: "Two"
                sources:
                  - source: src-a
                    quote: "instead of two"
    """), 1)


@pytest.fixture
def totals_library(tmp_path):
    library = load_library(write_library(tmp_path / "lib", TOTALS_CASE))
    assert library.ok, library.problems
    return library


def test_coverage_against_stated_totals(totals_library):
    result = gaps.coverage(totals_library.events, totals_library.cases).set_index("measure")
    contacts = result.loc["contact points with public services"]
    # one referral recorded (the session and the attack are not of the counted kinds) against at least 15
    assert (contacts.recorded, contacts.stated, contacts.not_recorded) == (1, "at least 15", 14)
    assert result.loc["mentoring sessions held", "recorded"] == 1


def test_planned_against_delivered_under_each_account(totals_library):
    result = gaps.planned_delivered(totals_library.cases).set_index("source")
    # src-b (the news report): seven planned, one held; src-a (the statement): two planned, one held
    assert (result.loc["src-b", "planned"], result.loc["src-b", "delivered"]) == (7, 1)
    assert (result.loc["src-a", "planned"], result.loc["src-a", "delivered"]) == (2, 1)
    # paired by structure: the dispute sits on a support session; the total counts support sessions only
    assert set(result["subject"]) == {"mentoring sessions held"}
    assert result.loc["src-b", "label"] == "1 of 7 delivered"


# --- the real cases, worked out by hand from the core documents --------------------------------------------

@pytest.fixture(scope="module")
def real_conformance(real):
    return gaps.conformance(real.events, real.process.steps, gaps.findings(real.cases),
                            gaps.event_steps(real.cases))


def test_amess_pathway(real_conformance):
    # 003 (Security Minister): referred October 2014 by his school; adopted by Channel November 2014;
    # an intervention provider assigned; exited April 2015; a twelve-month post-exit review in 2016,
    # "closed to Prevent at that point". 000 (HCWS831): Lord Anderson names "the lack of a six-month
    # review". In the data the 2016 review is linked to the step (step: twelve-month-review), and the
    # finding "There was no six-month review." on the exit is linked to six-month-review. So every step
    # happened except the six-month review, which is missing (the case went on to the twelve-month
    # review) and carries that finding, and the gateway branch "closed with no Prevent role" was not taken.
    result = real_conformance[real_conformance["case_id"] == "amess"]
    assert result["episode"].nunique() == 1  # one referral (003: "no further Prevent referrals")
    assert statuses(result) == {
        "referral": "found", "police-gateway-assessment": "found", "closed-at-gateway": "not_taken",
        "channel-panel": "found", "adoption": "found", "support": "found", "exit": "found",
        "six-month-review": "missing", "twelve-month-review": "found", "case-closure": "found"}
    by_step = result.set_index("step_id")
    six = by_step.loc["six-month-review"]
    assert six.finding == "There was no six-month review." and six.n_findings == 1
    assert six.finding_by == "Lord Anderson, interim Prevent Commissioner"
    assert six.finding_date == "16 July 2025" and "hcws831-anderson-findings" in six.finding_sources
    # The twelve-month review counts from exit (expected_from: exit), not from the step before it.
    # Exit April 2015, review "in 2016": between 30 Apr 2015 -> 1 Jan 2016 (246 days) and
    # 1 Apr 2015 -> 31 Dec 2016 (640 days). Twelve months is 365 days: inside that range, so the
    # documents cannot say whether it was late; it is flagged "possibly late", not "late".
    twelve = by_step.loc["twelve-month-review"]
    assert (twelve.status, twelve.min_days, twelve.max_days) == ("found", 246, 640)
    assert twelve.note.startswith("possibly late: expected 12 months after “Exit from Channel”")
    # Support happened, though cut short: the two findings linked to it (003's "only one session ...
    # instead of two", 12 February 2025, and 004's "peter out", 16 July 2025) go with it, the first
    # made public shown.
    support = by_step.loc["support"]
    assert (support.status, support.event_id, support.n_findings) == ("found", "amess-mentoring-session", 2)
    assert "instead of two" in support.finding


def test_southport_pathway(real_conformance):
    # 001 (Home Secretary): three referrals; "On each occasion, Rudakubana's case was assessed by
    # Counter Terrorism Policing, but in each instance, there was no onward referral to specialist
    # channel support", and the review concluded "the referrals should not have been closed". So each
    # of the three episodes is: referral found, assessment found, closed at the gateway (the branch),
    # Channel panel skipped (the case was closed before it), everything after it not reached. The
    # findings that the referral should have gone to Channel are linked to channel-panel on each
    # closure; each skipped panel carries the first made public of those on its own closure, and counts
    # the rest. Lord Anderson's undated expert finding (on his report, 004) names channel-panel too,
    # but all three referrals reached that step, so it goes with none of them.
    result = real_conformance[real_conformance["case_id"] == "southport"]
    assert sorted(result["episode"].unique()) == [1, 2, 3]
    after = ["adoption", "support", "exit", "six-month-review", "twelve-month-review", "case-closure"]
    expected = {"referral": "found", "police-gateway-assessment": "found", "closed-at-gateway": "found",
                "channel-panel": "skipped", **dict.fromkeys(after, "not_reached")}
    for episode in (1, 2, 3):
        assert statuses(result, episode) == expected, episode
    panel = result[result["step_id"] == "channel-panel"].set_index("episode")
    # First closure: 001 (21 January 2025) "the referrals should not have been closed"; then 000's
    # "should have been passed to the local authority Channel co-ordinator" (the review, 5 February)
    # and Lord Anderson's agreement (16 July 2025).
    assert panel.loc[1, "finding"] == "The referral should not have been closed."
    assert "southport-next-steps-statement" in panel.loc[1, "finding_sources"]
    assert panel.loc[1, "finding_date"] == "21 January 2025" and panel.loc[1, "n_findings"] == 3
    # Second closure: 001's "should not have been closed" only.
    assert panel.loc[2, "finding"] == "The referral should not have been closed."
    assert panel.loc[2, "n_findings"] == 1
    # Third closure: 001 "given his age and complex needs, should be referred to channel" (21 January),
    # then 000's "sufficient concerns to warrant progression to Channel" (5 February).
    assert "referred to Channel" in panel.loc[3, "finding"] and panel.loc[3, "n_findings"] == 2
    assert all(panel["finding_by"] == "Southport Prevent learning review")
    assert not panel["finding"].str.contains("One expert").any()


def test_missed_opportunities_register(real):
    register = gaps.missed_opportunities(real.events, gaps.findings(real.cases), gaps.outcomes(real.cases))
    amess = register[register["case_id"] == "amess"]
    # The documents name four missed chances in the Amess case: only one session instead of two (003),
    # mentoring planned that "peter[ed] out" (004), exited "too quickly" (003), and no six-month review
    # (000). Each is 6 to 7 years before the attack (003: "5 to 7 years before" counts from
    # 2016; these are 2014-2015).
    phrases = ["one session being provided instead of two", "peter out", "too quickly", "six-month review"]
    for phrase in phrases:
        assert amess["finding"].str.contains(phrase).any(), phrase
    assert len(amess) == len(phrases)
    exit_rows = amess[amess["event_id"] == "amess-channel-exit"]
    # April 2015 -> 15 Oct 2021: from 30 Apr 2015, 2360 days (6.46 y); from 1 Apr 2015, 2389 (6.54 y)
    assert set(exit_rows["before_outcome"]) == {"6.4 to 6.6 years before the attack"}
    assert set(exit_rows["by"]) == {"Amess Prevent learning review",
                                    "Lord Anderson, interim Prevent Commissioner"}

    southport = register[register["case_id"] == "southport"]
    # The first closure: "should not have been closed" (001), "should have been passed to the ...
    # Channel co-ordinator" (000) and Lord Anderson's "hard to see how the test ... could have been
    # satisfied" (000). Closed "about two months" after December 2019: about February 2020, i.e.
    # January-March 2020; to 29 July 2024 that is 1581 to 1671 days, 4.33 to 4.57 years.
    first = southport[southport["event_id"] == "southport-first-referral-closed"]
    assert len(first) == 3
    assert set(first["before_outcome"]) == {"4.3 to 4.6 years before the attack"}
    # The co-ordinator finding is Lord Anderson's (000, under "Lord Anderson's findings"), made public 16 July 2025.
    assert set(first["found"]) == {"21 January 2025", "16 July 2025"}
    # The third closure carries the cumulative significance of the repeat referrals (001) and the
    # "sufficient concerns to warrant progression to Channel" (000); April-June 2021 to 29 July 2024
    # is 1125 to 1215 days (see test_between_range_to_day).
    third = southport[southport["event_id"] == "southport-third-referral-closed"]
    assert third["finding"].str.contains("cumulative significance").any()
    assert third["finding"].str.contains("sufficient concerns").any()
    assert set(third["before_outcome"]) == {"3.0 to 3.4 years before the attack"}
    # The expert who said the case should go to Channel (004) is undated: the register does not
    # pretend the report's date is the date of the missed chance.
    expert = southport[southport["finding"].str.contains("One expert")]
    assert len(expert) == 1 and expert.iloc[0]["before_outcome"].startswith("not dated")


def test_real_referrals_and_silences(real):
    refs = gaps.referrals(real.events)
    # 003: one referral (October 2014); 001 / terms of reference: three (Dec 2019, Feb 2021, Apr 2021)
    assert refs.groupby("case_id")["count"].max().to_dict() == {"amess": 1, "southport": 3}
    southport = refs[refs["case_id"] == "southport"]
    assert list(southport["since_previous"]) == ["", "13 to 15 months", "32 to 88 days"]

    silences = gaps.longest(gaps.intervals(real.events, contacts_only=True), n=1).set_index("case_id")
    # Amess: closed "in 2016" to the murder on 15 Oct 2021: 31 Dec 2016 -> 15 Oct 2021 = 1749 days
    # (4.79 y), 1 Jan 2016 -> 15 Oct 2021 = 2114 (5.79 y). 003: "the 5 years between the case being
    # closed and the attack" lies inside that range.
    assert (silences.loc["amess", "min_days"], silences.loc["amess", "max_days"]) == (1749, 2114)
    assert silences.loc["amess", "label"] == "4.7 to 5.8 years"
    # Southport: third referral closed April-June 2021 to 29 July 2024: 1125 to 1215 days; 001's
    # "3 to 4 years before the Southport attack" agrees.
    assert (silences.loc["southport", "min_days"], silences.loc["southport", "max_days"]) == (1125, 1215)


def test_real_coverage_and_planned_delivered(real):
    cover = gaps.coverage(real.events, real.cases)
    contacts = cover[(cover["case_id"] == "southport")
                     & cover["measure"].str.contains("contact points")].iloc[0]
    # 002 (Matt Jukes): "at least 15 contact points with public services"; the record here holds fewer
    assert contacts.stated == "at least 15" and contacts.recorded < 15
    assert contacts.not_recorded == 15 - contacts.recorded

    plan = gaps.planned_delivered(real.cases).set_index("source")
    # 004 (Guardian on Lord Anderson): "supposed to meet Ali seven times but only one took place";
    # 003 (Security Minister): "only one session being provided instead of two".
    counts = plan[["planned", "delivered"]]
    assert tuple(counts.loc["guardian-anderson-report"]) == (7, 1)
    assert tuple(counts.loc["amess-plr-statement"]) == (2, 1)
    # the terms of reference say they met "on one occasion" and give no planned number
    tor = counts.loc["tor-amess-review"]
    assert pd.isna(tor.planned) and tor.delivered == 1


def test_real_commitments(real):
    # 000 (HCWS831, 16 July 2025): thresholds guidance "by the end of September"; training "before the
    # end of the year"; mentoring pilots "From 1 August". On 1 January 2026, with no source reporting
    # delivery, the September and August deadlines have passed and are said to have passed, not to
    # have been missed.
    result = gaps.commitments(real.context.commitments, date(2026, 1, 1)).set_index("id")
    assert result.loc["clarify-prevent-thresholds", "status"] == \
        "Deadline (end of September 2025) passed; no source reports delivery"
    assert result.loc["mentoring-pilot", "state"] == "overdue"
    # 002: the Southport review "has been published today (Wednesday 5 February 2025)", after the
    # Home Secretary's promise of 21 January 2025 (001) to publish after sentencing
    assert result.loc["publish-southport-plr-findings", "status"] == "Delivered 5 February 2025"


def test_summary(real):
    result = gaps.summary(real.events, real.cases, real.process.steps).set_index("case_id")
    assert result.loc["southport", "referrals"] == 3 and result.loc["southport", "steps_skipped"] == 3
    assert result.loc["amess", "steps_missing"] == 1
    # the key figure Home and Compare give, in the same words (1,749 days: 4.79 years, never "4.8")
    assert result.loc["amess", "last_contact_to_outcome"] == "4.7 to 5.8 years"


def test_the_reader_tables_name_each_source_by_its_publisher_and_date_not_its_id(real):
    """A table that cites (the register, the pathway, the commitments, the totals) names its sources as the
    sources page does; an id such as 'amess-plr-statement' means nothing to a reader."""
    from timelines.charts import all_charts, source_labels

    names = source_labels(real)
    ids = re.compile(r"(?:^|; )(" + "|".join(map(re.escape, real.sources)) + r")(?=:|;| \(|$)")
    cited = [
        gaps.missed_opportunities(real.events, gaps.findings(real.cases, names), gaps.outcomes(real.cases))["sources"],
        gaps.commitments(real.context.commitments, date(2026, 1, 1), names)["sources"],
        gaps.coverage(real.events, real.cases, names)["sources"],
    ]
    cited += [c.table[column] for c in all_charts(real, today=date(2026, 1, 1))
              for column in c.table.columns if column.startswith("Source")]
    texts = [t for column in cited for t in column if t]
    assert len(texts) > 20
    assert [t for t in texts if ids.search(t)] == []
    assert all(any(label in t for label in names.values()) for t in texts)
    # Without names (a caller that has no library), the id stands in, as before.
    bare = gaps.findings(real.cases)["citation"]
    assert bare.map(lambda t: bool(ids.search(t))).all()
