"""Prevent case timelines: the library behind the site (schema, loading, gaps, figures, export).

It never imports streamlit: the site (``app.py``, ``components/``) and the command line sit on top.
"""

from .loading import CONTEXT_ID, Library, data_dir, load_library
from .problems import DataError, Problem
from .vocab import AGENCIES, FAMILIES, KINDS

__all__ = [
    "AGENCIES",
    "CONTEXT_ID",
    "FAMILIES",
    "KINDS",
    "DataError",
    "Library",
    "Problem",
    "data_dir",
    "load_library",
]
