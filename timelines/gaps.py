"""Gap analysis: kept so that ``timelines.gaps`` stays importable. The analyses live in
:mod:`timelines.analysis`, one module each; this module re-exports their public names."""

from __future__ import annotations

from .analysis.commitments import COMMITMENT_STATES, commitments
from .analysis.coverage import PLANNED_WORDS, _number, coverage, planned_delivered
from .analysis.findings import FINDING_COLUMNS, event_steps, findings
from .analysis.intervals import INTERVAL_COLUMNS, intervals, longest
from .analysis.pathway import (
    CONFORMANCE_COLUMNS,
    DEPARTURES,
    NO_FINDING,
    REACHED,
    STATUS_BY_ID,
    STATUSES,
    Status,
    conformance,
    episodes,
)
from .analysis.referrals import referrals
from .analysis.register import REGISTER_COLUMNS, missed_opportunities
from .analysis.summary import summary
from .analysis.table import CLOSING_KINDS, CONTACT_FAMILIES, case_events, case_rows, contacts, ordered
from .analysis.timing import outcomes, time_to_outcome
from .analysis.wording import citation as _citation
from .analysis.wording import span as describe_span

__all__ = [
    "CLOSING_KINDS",
    "COMMITMENT_STATES",
    "CONFORMANCE_COLUMNS",
    "CONTACT_FAMILIES",
    "DEPARTURES",
    "FINDING_COLUMNS",
    "INTERVAL_COLUMNS",
    "NO_FINDING",
    "PLANNED_WORDS",
    "REACHED",
    "REGISTER_COLUMNS",
    "STATUSES",
    "STATUS_BY_ID",
    "Status",
    "_citation",
    "_number",
    "case_events",
    "case_rows",
    "commitments",
    "conformance",
    "contacts",
    "coverage",
    "describe_span",
    "episodes",
    "event_steps",
    "findings",
    "intervals",
    "longest",
    "missed_opportunities",
    "ordered",
    "outcomes",
    "planned_delivered",
    "referrals",
    "summary",
    "time_to_outcome",
]
