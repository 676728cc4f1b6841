"""Kept so that ``timelines._spans`` stays importable: the wording lives in
:mod:`timelines.analysis.wording`."""

from .analysis.wording import (  # noqa: F401
    DAYS_PER_MONTH,
    DAYS_PER_YEAR,
    DAYS_UNTIL,
    MONTHS_UNTIL,
    missing,
    months,
    plural,
)
from .analysis.wording import span as describe_span  # noqa: F401
