"""Kept so that ``timelines.measures`` stays importable: the key figures live in
:mod:`timelines.analysis.measures`."""

from .analysis.measures import *  # noqa: F403
from .analysis.measures import _display  # noqa: F401
