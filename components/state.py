"""URL parameters: the shareable part of a view, checked against what the library holds.

A page reads each parameter with a ``check_*`` function (which warns about anything it cannot use and
returns what it can), :func:`seed` its widget with that value the first time the widget is drawn,
and after drawing its widgets :func:`sync` the URL with their values, leaving out defaults. The URL
holds ids (``?case=southport&kind=referral``), never display labels, which is why the widgets are not
bound with ``bind="query-params"`` (a bound widget with a ``format_func`` keeps the label in the URL).
Whatever a link held is echoed only after :func:`shown`, which keeps a short run of plain characters.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

import streamlit as st

from components.widgets import md
from timelines.analysis.wording import short_name

MAX_SHOWN = 40


def shown(value: str) -> str:
    """A URL value made safe to quote in Markdown: letters, digits and a few marks, at most 40 characters."""
    cleaned = re.sub(r"[^A-Za-z0-9 _.:\-/]", "", value)[:MAX_SHOWN]
    return f"`{cleaned}`" if cleaned else "(an unreadable value)"


def raw(name: str) -> list[str]:
    """Every value of a URL parameter, as given."""
    return list(st.query_params.get_all(name))


def check_choice(name: str, allowed: Collection[str], *, what: str, fallback: str | None = None) -> str | None:
    """The URL's ``name`` if it is one of ``allowed``; warn (and return None) when it is not."""
    values = raw(name)
    if not values:
        return None
    bad = [v for v in values if v not in allowed]
    if not bad and len(values) == 1:
        return values[0]
    instead = f" Showing {fallback} instead." if fallback else ""
    st.warning(f"The link asks for {what} {shown(bad[0] if bad else values[-1])}, which is not one this site "
               f"has, so it was ignored.{instead}", icon=":material/link_off:")
    return None


def check_many(name: str, allowed: Collection[str], *, what: str) -> list[str]:
    """Warn about URL values of ``name`` that are not in ``allowed``; return the usable ones."""
    values = raw(name)
    bad = [v for v in values if v not in allowed]
    if bad:
        listed = ", ".join(shown(v) for v in bad[:3]) + (" and more" if len(bad) > 3 else "")
        st.warning(f"The link names {what} this site does not have ({listed}); "
                   f"{'they were' if len(bad) > 1 else 'it was'} ignored.", icon=":material/link_off:")
    return [v for v in values if v in allowed]


def check_year_range(name: str, lowest: int, highest: int) -> tuple[int, int] | None:
    """The (from, to) years of the URL, if they are two years in range; warn otherwise."""
    values = raw(name)
    if not values:
        return None
    try:
        first, last = (int(v) for v in values)
    except ValueError:
        first = last = None
    if first is None or not (lowest <= first <= highest and lowest <= last <= highest):
        st.warning(f"The link's date range could not be used (it should be two years from {lowest} to "
                   f"{highest}); showing every year.", icon=":material/link_off:")
        return None
    if first > last:
        st.info(f"The link's date range runs backwards; showing {last} to {first}.", icon=":material/swap_horiz:")
        first, last = last, first
    return first, last


def check_flag(name: str, *, what: str) -> bool | None:
    """The URL's true/false setting ``name``; warn (and return None) when it is neither."""
    values = raw(name)
    if not values:
        return None
    if len(values) == 1 and values[0].lower() in ("true", "false"):
        return values[0].lower() == "true"
    st.warning(f"The link's setting for {what} ({shown(values[0])}) should be true or false; it was "
               "ignored.", icon=":material/link_off:")
    return None


def choose_case(key: str, param: str, cases: Mapping) -> str:
    """The case a page shows, kept in session state under ``key``: the session's own while it is still
    loaded, else the URL's ``param`` (checked), else the first case.

    An open session whose case has gone (its file removed, renamed or broken by an edit) falls back to a
    loaded case and says why, instead of failing on the missing id.
    """
    ids = list(cases)
    first = ids[0]
    current = st.session_state.get(key)
    if current is not None and current not in cases:
        del st.session_state[key]
        st.warning(f"The case you had open ({shown(str(current))}) is no longer in the library: its file was "
                   f"removed, renamed or has a problem. Showing {md(short_name(cases[first]))} instead.",
                   icon=":material/sync_problem:")
        if raw(param) == [str(current)]:  # the URL still names the case that went: do not warn twice
            seed(key, first)
            return st.session_state[key]
    seed(key, check_choice(param, ids, what="the case", fallback=md(short_name(cases[first]))) or first)
    return st.session_state[key]


def seed(key: str, value: object) -> None:
    """Start the widget ``key`` at ``value`` (from the URL) unless it already has a value this session."""
    if key not in st.session_state and value is not None:
        st.session_state[key] = value


def _encode(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def sync(values: dict[str, object], defaults: dict[str, object]) -> None:
    """Write the view into the URL: each value that differs from its default; defaults are left out."""
    for name, value in values.items():
        wanted = [] if value == defaults.get(name) else _encode(value)
        if raw(name) == wanted:
            continue
        if wanted:
            st.query_params[name] = wanted if len(wanted) > 1 else wanted[0]
        elif name in st.query_params:
            del st.query_params[name]


def is_phone() -> bool:
    """Does the browser say it is a phone? (Its User-Agent names 'Mobi', as phones' browsers do.)"""
    try:
        agent = st.context.headers.get("User-Agent") or ""
    except Exception:  # no browser behind this run (AppTest, bare mode)
        return False
    return "Mobi" in agent
