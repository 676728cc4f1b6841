"""A small library that uses every way of drawing a date, for the figure, app and browser tests.

Two cases (``demo``, ``other``) and a context layer. ``demo`` holds a day, a month, a year, an "about", a
"between", a "before", an "after", a span, a missed opportunity and a dispute; its numbers are known, so
tests can assert exact counts whatever the real data in ``data/`` holds at the time.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.conftest import SOURCES, write_library

DEMO = textwrap.dedent("""\
    id: demo
    title: "Demo: two referrals, one missed chance"
    summary: A case for tests, with every kind of date.
    subject: A. Person
    outcome_event: attack
    totals:
      - measure: contact points with public services
        value: 6
        qualifier: at least
        counts_kinds: [referral, agency_contact]
        sources:
          - source: src-a
            quote: "at least 6"
    events:
      - id: first-contact
        date: "2018-06"
        date_qualifier: before
        kind: agency_contact
        agency: police
        title: First contact with the police
        sources:
          - source: src-b
            locator: "paragraph 1"
      - id: referral
        date: "2019-12"
        kind: referral
        agency: school
        title: "Referred to Prevent by the <b>school</b>"
        age: 13
        detail: "The school referred the pupil. A *starred* [link](https://example.org) and $maths$."
        sources:
          - source: src-a
            quote: "referred"
        disputed:
          - about: month of the referral
            claims:
              - value: December 2019
                sources:
                  - source: src-a
                    quote: "December"
              - value: January 2020
                sources:
                  - source: src-b
                    quote: "January"
            note: Two accounts.
      - id: assessed
        date: "2019-12"
        date_qualifier: between
        date_until: "2020-03"
        kind: police_assessment
        agency: ctp_prevent
        title: Referral assessed
        sources:
          - source: src-a
            locator: "paragraph 3"
      - id: closed
        date: "2020-02"
        date_qualifier: about
        kind: decision
        agency: ctp_prevent
        title: Referral closed
        sources:
          - source: src-a
            locator: "paragraph 4"
        findings:
          - text: The referral should not have been closed.
            by: A learning review
            date: "2025-02-05"
            missed_opportunity: true
            sources:
              - source: src-a
                quote: "should not have been closed"
      - id: second-referral
        date: "2021-02-10"
        kind: referral
        agency: school
        title: Referred again
        age: 14
        sources:
          - source: src-a
            locator: "paragraph 5"
      - id: adoption
        date: "2021-03-01"
        end: "2021-09"
        kind: adoption
        agency: channel
        title: Adopted into Channel
        sources:
          - source: src-a
            locator: "paragraph 6"
        question: What should the support plan have held?
      - id: exit
        date: "2021-10"
        kind: exit
        agency: channel
        title: Exit from Channel
        sources:
          - source: src-a
            locator: "paragraph 7"
      - id: review-year
        date: "2022"
        kind: post_exit_review
        agency: ctp_prevent
        title: Post-exit review
        sources:
          - source: src-a
            locator: "paragraph 8"
      - id: later-contact
        date: "2022-06"
        date_qualifier: after
        kind: agency_contact
        agency: health
        title: Seen by health services
        sources:
          - source: src-b
            locator: "paragraph 9"
      - id: attack
        date: "2024-07-29"
        kind: attack
        agency: subject
        title: The attack
        age: 17
        sources:
          - source: src-a
            locator: "paragraph 10"
    """)

OTHER = textwrap.dedent("""\
    id: other
    title: "Other: adopted, exited quickly"
    summary: A second case, for comparison.
    subject: B. Person
    outcome_event: attack
    events:
      - id: referral
        date: "2014-10"
        kind: referral
        agency: school
        title: Referred by the college
        age: 18
        sources:
          - source: src-a
            locator: "paragraph 1"
      - id: attack
        date: "2021-10-15"
        kind: attack
        agency: subject
        title: The murder
        sources:
          - source: src-a
            locator: "paragraph 2"
    """)

CONTEXT = textwrap.dedent("""\
    events:
      - id: duty
        date: "2015"
        kind: policy_change
        agency: parliament
        title: Prevent duty made statutory
        sources:
          - source: src-a
            locator: "section 26"
      - id: reforms
        date: "2024-12-05"
        kind: policy_change
        agency: government
        title: Reforms announced
        sources:
          - source: src-a
            locator: "paragraph 11"
    """)

GLOSSARY = textwrap.dedent("""\
    terms:
      - term: Channel
        definition: A voluntary programme of support.
      - term: CTP
        stands_for: Counter Terrorism Policing
        definition: The police who assess referrals.
    """)

PROCESS = textwrap.dedent("""\
    steps:
      - id: referral
        title: Referral
        description: Someone refers a person to Prevent.
        kinds: [referral]
        sources:
          - source: src-a
            locator: "paragraph 12"
      - id: assessment
        title: Assessment
        description: The police assess the referral.
        kinds: [police_assessment]
        sources:
          - source: src-a
            locator: "paragraph 13"
    """)

# What tests can rely on.
DEMO_EVENTS = 10
CONTEXT_EVENTS = 2
DEMO_SPANS = {"adoption"}
DEMO_MISSED = {"closed"}
DEMO_POINTS = {"second-referral", "adoption", "attack"}  # known to the day
DEMO_OPEN = {"first-contact", "later-contact"}  # before / after


def write_sample(root: Path) -> Path:
    """Write the sample library under ``root`` and return it."""
    write_library(root, DEMO, name="demo", sources=SOURCES, context=CONTEXT, glossary=GLOSSARY, process=PROCESS)
    (root / "cases" / "other.yaml").write_text(OTHER)
    return root


# --- odd shapes: valid cases unlike the bundled ones --------------------------------------------------

def _case(case_id: str, title: str, outcome: str, events: str) -> str:
    return (f"id: {case_id}\ntitle: \"{title}\"\nsummary: A valid case of an unusual shape.\n"
            f"subject: Someone\noutcome_event: {outcome}\nevents:\n" + textwrap.dedent(events))


def _event(event_id: str, date: str, kind: str, agency: str, *extra: str) -> str:
    lines = [f"- id: {event_id}", f"  date: \"{date}\"", f"  kind: {kind}", f"  agency: {agency}",
             f"  title: {event_id.replace('-', ' ').capitalize()}", *(f"  {x}" for x in extra),
             "  sources:", "    - source: src-a", f"      locator: \"{event_id}\""]
    return "\n".join(lines) + "\n"


ODD_CASES = {
    # a single event: the outcome itself
    "one-event": _case("one-event", "One event", "attack", _event("attack", "2020-03-04", "attack", "subject")),
    # contacts and an attack, but no referral: no pathway episode
    "no-referral": _case("no-referral", "No referral: contacts only", "attack",
                         _event("contact", "2018-05", "agency_contact", "police")
                         + _event("attack", "2020-03-04", "attack", "subject")),
    # everything on one day, ordered by sequence
    "one-day": _case("one-day", "All on one day", "attack",
                     _event("referral", "2021-06-01", "referral", "school", "sequence: 1")
                     + _event("closed", "2021-06-01", "decision", "ctp_prevent", "sequence: 2")
                     + _event("attack", "2021-06-01", "attack", "subject", "sequence: 3")),
    # an outcome known only to be before a month: its earliest day is open
    "open-outcome": _case("open-outcome", "Open-dated outcome", "attack",
                          _event("referral", "2019-06", "referral", "school")
                          + _event("attack", "2024-07", "attack", "subject", "date_qualifier: before")),
}


def write_odd(root: Path) -> Path:
    """The sample library plus every odd case: six cases, so nothing can assume there are two."""
    write_sample(root)
    for name, text in ODD_CASES.items():
        (root / "cases" / f"{name}.yaml").write_text(text)
    return root
