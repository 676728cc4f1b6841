"""Controlled vocabularies: event kinds, agencies (lanes), families, source kinds.

Each vocabulary is defined once here; the schema, the validator's hints, the README's tables, the
figures' legends and the filters all loop over these tuples.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """A family of event kinds: one colour on every chart."""

    id: str
    label: str
    colour: str


@dataclass(frozen=True)
class Kind:
    """An event kind: its family gives the colour, its symbol the marker shape."""

    id: str
    label: str
    family: str
    symbol: str


@dataclass(frozen=True)
class Agency:
    """An agency: one lane on a timeline."""

    id: str
    label: str


# Colours after the Government Analysis Function's accessible categorical palette (afcharts): dark
# blue, turquoise, dark pink, orange; the turquoise and the orange darkened so that every marker is at
# least 3:1 against white and against the grey of the context lane (WCAG 2.2, 1.4.11). Colour is never
# the only carrier: each family has its own marker shape too (FAMILY_SYMBOLS), and labels name events.
FAMILIES: tuple[Family, ...] = (
    Family("prevent", "Prevent and Channel process", "#12436D"),
    Family("services", "Other public services", "#1F8A80"),
    Family("outcome", "Attack and courts", "#801650"),
    Family("oversight", "Reviews, oversight and policy", "#C2510F"),
)
FAMILY_SYMBOLS = {"prevent": "circle", "services": "square", "outcome": "diamond", "oversight": "triangle-up"}

KINDS: tuple[Kind, ...] = (
    Kind("referral", "Referral to Prevent", "prevent", "circle"),
    Kind("police_assessment", "Police assessment", "prevent", "square"),
    Kind("decision", "Decision or closure", "prevent", "x"),
    Kind("channel_panel", "Channel panel", "prevent", "diamond"),
    Kind("adoption", "Adopted into Channel", "prevent", "star"),
    Kind("support_session", "Support session", "prevent", "triangle-up"),
    Kind("exit", "Exit from Channel", "prevent", "triangle-down"),
    Kind("post_exit_review", "Post-exit review", "prevent", "hexagon"),
    Kind("case_closure", "Case closed", "prevent", "x-thin-open"),
    Kind("agency_contact", "Other agency contact", "services", "circle-open"),
    Kind("attack", "Attack", "outcome", "star-diamond"),
    Kind("charge", "Charge", "outcome", "square-open"),
    Kind("plea", "Plea", "outcome", "diamond-open"),
    Kind("conviction", "Conviction", "outcome", "cross"),
    Kind("sentence", "Sentence", "outcome", "hourglass"),
    Kind("review_commissioned", "Learning review commissioned", "oversight", "triangle-right"),
    Kind("review_completed", "Learning review completed", "oversight", "triangle-left"),
    Kind("review_published", "Learning review published", "oversight", "pentagon"),
    Kind("commissioners_report", "Commissioner's report", "oversight", "star-square"),
    Kind("ministerial_statement", "Ministerial statement", "oversight", "bowtie"),
    Kind("appointment", "Appointment", "oversight", "circle-cross"),
    Kind("inquiry", "Public inquiry", "oversight", "square-x"),
    Kind("complaint", "Complaint", "oversight", "diamond-x"),
    Kind("policy_change", "Policy change", "oversight", "hexagram"),
)

AGENCIES: tuple[Agency, ...] = (
    Agency("school", "School or college"),
    Agency("ctp_prevent", "Counter Terrorism Policing (Prevent)"),
    Agency("police", "Local police force"),
    Agency("channel", "Local authority / Channel panel"),
    Agency("intervention_provider", "Intervention provider"),
    Agency("health", "Health services"),
    Agency("social_care", "Social care"),
    Agency("subject", "The subject"),
    Agency("courts", "Courts"),
    Agency("government", "Home Office / government"),
    Agency("reviewers", "Reviewers"),
    Agency("commissioner", "Prevent Commissioner"),
    Agency("inquiry", "Public inquiry"),
    Agency("parliament", "Parliament"),
)

SOURCE_KINDS: tuple[str, ...] = (
    "ministerial statement",
    "oral statement",
    "written statement",
    "press release",
    "news report",
    "review",
    "terms of reference",
    "written answer",
    "statistics",
    "court record",
    "legislation",
)

DATE_QUALIFIERS: tuple[str, ...] = ("on", "about", "before", "after", "between")

PRECISIONS: tuple[str, ...] = ("year", "month", "day")

KIND_IDS = tuple(k.id for k in KINDS)
AGENCY_IDS = tuple(a.id for a in AGENCIES)
KIND_BY_ID = {k.id: k for k in KINDS}
AGENCY_BY_ID = {a.id: a for a in AGENCIES}
FAMILY_BY_ID = {f.id: f for f in FAMILIES}
