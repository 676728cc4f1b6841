"""Pathway conformance: each case's path against the expected pathway, one row per episode and step.

The pathway is read from explicit links only: an event's or a finding's ``step`` and a step's
``expected_from``; nothing is guessed from the wording of titles or findings. A case with no event of
the first step (no referral) has no episode, so no rows: the pages say so in words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from .. import schema
from .findings import FINDING_COLUMNS
from .table import CLOSING_KINDS, case_events, day_diff, ordered
from .wording import DAYS_PER_MONTH, months
from .wording import span as describe_span


@dataclass(frozen=True)
class Status:
    id: str
    label: str
    symbol: str
    meaning: str


# The vocabulary of conformance, defined once: the table, the diagram's legend and the page loop over it.
STATUSES: tuple[Status, ...] = (
    Status("found", "Happened", "circle", "an event of the step is recorded, in order"),
    Status("late", "Happened late", "triangle-right",
           "recorded, but later after the step it counts from than the pathway expects, whatever the exact dates"),
    Status("missing", "Missing", "x",
           "not recorded although the case went on past it, or a review finding names it"),
    Status("skipped", "Skipped: case closed", "x-open",
           "the case was closed before this step; the pathway ended here"),
    Status("not_reached", "Not reached", "circle-open", "a step after the case had left the pathway"),
    Status("not_taken", "Branch not taken", "diamond-open", "an optional branch the case did not take"),
)
STATUS_BY_ID = {s.id: s for s in STATUSES}
DEPARTURES = ("late", "missing", "skipped")
REACHED = ("found", *DEPARTURES)  # a step the episode got to: it happened there or departed
NO_FINDING = "no review finding names this step"

CONFORMANCE_COLUMNS = (
    "case_id", "episode", "episode_label", "step", "step_id", "step_title", "optional", "status",
    "status_label", "event_id", "event_title", "date_label", "expected", "after_previous",
    "min_days", "max_days", "note", "finding", "finding_by", "finding_date", "finding_sources", "n_findings",
)


def _is_step(event: Mapping, step: schema.Step) -> bool:
    """An event is a step when its ``step`` names it or, with no ``step``, its kind is one of the step's."""
    return event["step"] == step.id if event.get("step") else event["kind"] in step.kinds


def episodes(events: pd.DataFrame, first: schema.Step) -> list[pd.DataFrame]:
    """A case's events split at each event of the pathway's first step (each referral opens one);
    events before the first are left out. A ``step`` column, if present, holds each event's link."""
    rows = ordered(events)
    if "step" not in rows:
        rows = rows.assign(step="")
    starts = [i for i, event in enumerate(rows.to_dict("records")) if _is_step(event, first)]
    if not starts:  # no referral: no episode to compare with the pathway
        return []
    return [rows.iloc[a:b].reset_index(drop=True)
            for a, b in zip(starts, [*starts[1:], len(rows)], strict=True)]


def conformance(events: pd.DataFrame, steps: Sequence[schema.Step], found: pd.DataFrame | None = None,
                links: Mapping[tuple[str, str], str] | None = None) -> pd.DataFrame:
    """Each case's path against the expected pathway: one row per episode and step.

    ``found`` is the :func:`findings` frame and ``links`` is :func:`event_steps`: the event table has
    no ``step`` column, so an event's link to a step comes in here. An episode opens at each event of
    the first step (each referral) and runs to the next, up to the attack. Steps are matched to its
    events in order: an event is a step when it links to it, or when unlinked its kind is one of the
    step's. An unmatched step is ``missing`` where the case went on past it or a finding names it,
    ``skipped`` where the episode was closed before it (the first such step), ``not_reached`` after
    that, and ``not_taken`` for an optional branch. Each step carries the first-published finding that
    names it (on the episode's events, or anywhere in the case when no other episode reached the step).
    """
    found = found if found is not None else pd.DataFrame(columns=FINDING_COLUMNS)
    links = links or {}
    rows: list[dict] = []
    for case_id, group in case_events(events).groupby("case_id", sort=False):
        group = group.assign(step=[links.get((case_id, e), "") for e in group["event_id"]])
        # up to the attack, in the case's order: an event the same day with a lower sequence came before it
        attack_at = [i for i, kind in enumerate(group["kind"]) if kind == "attack"]
        if attack_at:
            group = group.iloc[:attack_at[0]]
        paths = [_episode_rows(case_id, n, ep, steps) for n, ep in enumerate(episodes(group, steps[0]), 1)]
        rows += _with_findings(paths, found[found["case_id"] == case_id])
    return pd.DataFrame(rows, columns=CONFORMANCE_COLUMNS)


def _match(events: list[dict], steps: Sequence[schema.Step]) -> list[int | None]:
    """For each step, the position of its event in the episode (or None), matched in order.

    A link or a step's first kind makes the event the step's own; its other kinds are evidence of it
    (an adoption shows a panel sat), so an event matched by one of those may count for the next step too.
    """
    matched: list[int | None] = []
    cursor = 0
    for step in steps:
        hit = next((j for j in range(cursor, len(events)) if _is_step(events[j], step)), None)
        matched.append(hit)
        if hit is not None and (events[hit]["step"] or events[hit]["kind"] == step.kinds[0]):
            cursor = hit + 1
    return matched


def _episode_rows(case_id: str, number: int, episode: pd.DataFrame, steps: Sequence[schema.Step]
                  ) -> tuple[list[dict], set[str]]:
    """One episode's rows, before findings, and the ids of its events."""
    events = episode.to_dict("records")
    matched = _match(events, steps)
    last = max((i for i, m in enumerate(matched) if m is not None), default=-1)
    closed = any(e["kind"] in CLOSING_KINDS for e in events)
    label = f"Referral {number}: {events[0]['date_label']}"
    rows, skipped = [], False
    for i, step in enumerate(steps):
        row = {"case_id": case_id, "episode": number, "episode_label": label, "step": i + 1,
               "step_id": step.id, "step_title": step.title, "optional": step.optional,
               "expected": step.expected_after or "", "event_id": "", "event_title": "", "date_label": "",
               "after_previous": "", "min_days": math.nan, "max_days": math.nan, "note": "",
               "finding": "", "finding_by": "", "finding_date": "", "finding_sources": "", "n_findings": 0}
        if matched[i] is not None:
            event = events[matched[i]]
            row.update(event_id=event["event_id"], event_title=event["title"], date_label=event["date_label"])
            row.update(_timing(steps, i, matched, events))
        elif step.optional:
            row["status"] = "not_taken"
        elif i < last:
            row.update(status="missing", note="not recorded, though the case went on past it")
        elif not closed:
            row.update(status="missing", note="no source in this library records it")
        elif not skipped:
            row["status"], skipped = "skipped", True
        else:
            row["status"] = "not_reached"
        rows.append(row)
    return rows, set(episode["event_id"])


def _timing(steps: Sequence[schema.Step], i: int, matched: list[int | None], events: list[dict]) -> dict:
    """A matched step's status and its time after the step its timing counts from: ``expected_from``
    when set, else the step before. Where that step did not happen, the time is given from the
    nearest earlier step that did, and the expected timing is not checked."""
    step, ids = steps[i], [s.id for s in steps]
    ref = ids.index(step.expected_from) if step.expected_from in ids[:i] else i - 1
    done = [k for k in range(i) if matched[k] is not None]
    source = ref if ref in done else (done[-1] if done else None)
    out = {"status": "found"}
    if source is None:
        return out
    title = steps[source].title
    if matched[source] == matched[i]:
        return out | {"min_days": 0.0, "max_days": 0.0, "after_previous": f"the same event as “{title}”"}
    before, event = events[matched[source]], events[matched[i]]
    lo, hi = day_diff(event["earliest"], before["latest"]), day_diff(event["latest"], before["earliest"])
    lo = lo if math.isnan(lo) else max(lo, 0.0)
    span = describe_span(lo, hi)
    out |= {"min_days": lo, "max_days": hi, "after_previous": f"{span} after “{title}”"}
    if step.expected_months is None or ref < 0:
        return out
    if source != ref:
        return out | {"note": f"timing not checked: “{steps[ref].title}” is not recorded"}
    expected = step.expected_months * DAYS_PER_MONTH
    due = f"expected {months(expected)} after “{title}”"
    if lo > expected:  # even the shortest gap the dates allow is too long
        return out | {"status": "late", "note": f"{due}; it came {span} after"}
    if not hi <= expected:  # the longest is too long, or open
        return out | {"note": f"possibly late: {due}; the dates allow {span}"}
    return out


def _with_findings(paths: list[tuple[list[dict], set[str]]], found: pd.DataFrame) -> list[dict]:
    """Give each step of each episode the findings that name it: the first made public is shown, and
    the count kept. A finding counts for an episode when it is on one of the episode's events, or on
    any of the case's events when no other episode reached the step. A branch not taken that a
    finding names is missing; a departure no finding names says so. An episode reached a step when
    the step happened in it or departed there."""
    named = found[found["step"].fillna("") != ""].sort_values("date", kind="stable")
    reached = Counter(row["step_id"] for rows, _ in paths for row in rows if row["status"] in REACHED)
    out = []
    for rows, event_ids in paths:
        for row in rows:
            mine = named[named["step"] == row["step_id"]]
            if not (row["status"] in REACHED and reached[row["step_id"]] == 1):
                mine = mine[mine["event_id"].isin(event_ids)]
            if row["status"] == "not_taken" and len(mine):
                row["status"] = "missing"
            notes = [row["note"]] if row["note"] else []
            if row["status"] in REACHED and len(mine):
                first = mine.iloc[0]
                row.update(finding=first["text"], finding_by=first["by"], finding_date=first["date_label"],
                           finding_sources=first["citation"], n_findings=len(mine))
                if len(mine) > 2:
                    notes.append(f"{len(mine) - 1} more review findings name this step")
                elif len(mine) == 2:
                    notes.append("1 more review finding names this step")
            elif row["status"] in DEPARTURES:
                notes.append(NO_FINDING)
            row.update(note="; ".join(notes), status_label=STATUS_BY_ID[row["status"]].label)
            out.append(row)
    return out
