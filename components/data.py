"""The library, loaded once per data folder and shared by every session; data problems shown plainly."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import streamlit as st

from components.widgets import md
from timelines import Library, data_dir, load_library
from timelines.analysis.wording import short_name
from timelines.dates import PartialDate

# load_library keys its own cache on the files' contents, so re-checking after a minute is cheap and
# an edited file shows without restarting the server.
RECHECK_SECONDS = 60


@st.cache_resource(ttl=RECHECK_SECONDS, show_spinner=False)
def _load(root: str) -> Library:
    return load_library(root)


def library() -> Library:
    """The loaded library ($TIMELINES_DATA_DIR or data/). Never raises for bad data."""
    return _load(str(data_dir()))


@st.cache_data(ttl=3600, show_spinner=False)
def _last_changed(root: str) -> str | None:
    """When the data files last changed: the last commit touching them, else their newest file time."""
    folder = Path(root)
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs", "--", "."], cwd=folder, capture_output=True,
                             text=True, timeout=5, check=False)
        if out.returncode == 0 and out.stdout.strip():
            when = dt.date.fromisoformat(out.stdout.strip())
            dirty = subprocess.run(["git", "status", "--porcelain", "--", "."], cwd=folder, capture_output=True,
                                   text=True, timeout=5, check=False).stdout.strip()
            if not dirty:
                return f"{when.day} {when:%B %Y}"
    except (OSError, ValueError, subprocess.SubprocessError):
        pass
    times = [p.stat().st_mtime for p in folder.rglob("*.yaml") if p.is_file()]
    if not times:
        return None
    when = dt.date.fromtimestamp(max(times))
    return f"{when.day} {when:%B %Y}"


def last_changed(lib: Library) -> str | None:
    return _last_changed(str(lib.root))


def latest_source(lib: Library) -> str | None:
    """The date of the newest source, as a reader would write it."""
    if not lib.sources:
        return None
    newest = max((PartialDate.parse(s.date) for s in lib.sources.values()), key=lambda d: (d.start, d.end))
    return newest.human()


def show_problems(lib: Library) -> None:
    """Name every data problem (file, line, field, hint) without hiding the cases that loaded."""
    if not lib.problems:
        return
    n = len(lib.problems)
    broken = ", ".join(md(f) for f in lib.broken_files)
    loaded = ", ".join(md(short_name(c)) for c in lib.cases.values()) or "none"
    text = f"**The data has {n} problem{'s' if n != 1 else ''}.** Cases shown: {loaded}."
    if broken:
        text += f" Files that could not be loaded: {broken}."
    st.error(text)
    with st.expander("What is wrong, and how to fix it"):
        st.code("\n".join(str(p) for p in lib.problems), language=None, wrap_lines=True)


# --- results derived from a library, kept while that library is the loaded one ---------------------

_DERIVED: dict[tuple, tuple[Library, object]] = {}
_MAX_DERIVED = 256


def derived(fn, lib: Library, *args):
    """``fn(lib, *args)``, computed once per loaded library and arguments; treat the result as read-only.

    Keyed on the library object itself (checked by identity, so a reloaded library never sees results
    computed from the one before). Most visitors open the same few views, so the figure, table and
    counts of a view are built once, not on every rerun of every session.
    """
    key = (fn.__module__, fn.__qualname__, id(lib), args)
    hit = _DERIVED.get(key)
    if hit is not None and hit[0] is lib:
        return hit[1]
    value = fn(lib, *args)
    if len(_DERIVED) >= _MAX_DERIVED:
        _DERIVED.clear()
    _DERIVED[key] = (lib, value)
    return value
