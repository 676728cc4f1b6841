"""Gap analysis: the intervals between events, the expected pathway, missed opportunities, commitments.

Pure functions: DataFrames and models in, DataFrames out; no I/O, no clock, no Streamlit.

Every interval is a pair of bounds because dates are known to a year, a month or a day. Intervals are
counted in whole calendar days between the dates: the shortest is the first day the later event can
have minus the last day the earlier one can have (never below zero), the longest is the last day the
later event can have minus the first day the earlier one can have. Two events known to the day are
exactly their difference apart; two on the same day are 0 days apart, ordered by ``sequence``. A side
left open by a ``before`` or ``after`` date is NaN, and the wording says so ("at least 3 months").

The pathway is read from explicit links only: an event's or a finding's ``step`` and a step's
``expected_from``; nothing is guessed from the wording of titles or findings.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from . import schema
from ._spans import DAYS_PER_MONTH, DAYS_PER_YEAR, DAYS_UNTIL, describe_span, missing, months, plural
from .dates import PartialDate
from .vocab import KIND_BY_ID

# Contacts with public services: every kind in these families, plus the outcome itself so that the
# silence between the last contact and the attack is one of the intervals.
CONTACT_FAMILIES = ("prevent", "services")
CLOSING_KINDS = ("decision", "case_closure")


# --- the event table ------------------------------------------------------------------------------

def _first_day(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series).dt.normalize()


def _days(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (_first_day(later) - _first_day(earlier)).dt.days.astype("float64")


def ordered(events: pd.DataFrame) -> pd.DataFrame:
    """Case events in time order: by the earliest instant, then ``sequence`` for same-day events."""
    # one resolution for both bounds: a column with an open (None) bound can come as microseconds
    events = events.assign(earliest=pd.to_datetime(events["earliest"]).astype("datetime64[ns]"),
                           latest=pd.to_datetime(events["latest"]).astype("datetime64[ns]"))
    key = events["earliest"].fillna(events["latest"])
    seq = events["sequence"].astype("Float64").fillna(0) if "sequence" in events else 0
    out = events.assign(_key=key, _seq=seq, _pos=range(len(events)))
    out = out.sort_values(["case_id", "_key", "_seq", "_pos"], kind="stable", na_position="last")
    return out.drop(columns=["_key", "_seq", "_pos"]).reset_index(drop=True)


def case_events(events: pd.DataFrame, case_id: str | None = None) -> pd.DataFrame:
    """The rows of the case layer (one case, or all), in time order."""
    rows = events[events["layer"] == "case"] if "layer" in events else events
    if case_id is not None:
        rows = rows[rows["case_id"] == case_id]
    return ordered(rows)


def contacts(events: pd.DataFrame) -> pd.DataFrame:
    """Contacts with public services (Prevent and other services), and each case's attack."""
    keep = events["family"].isin(CONTACT_FAMILIES) | (events["kind"] == "attack")
    return events[keep]


# --- 1. intervals -----------------------------------------------------------------------------------

INTERVAL_COLUMNS = (
    "case_id", "from_event", "from_title", "from_kind", "from_date", "to_event", "to_title", "to_kind",
    "to_date", "min_days", "max_days", "label", "overlaps", "from_earliest", "from_latest",
    "to_earliest", "to_latest",
)


def intervals(events: pd.DataFrame, *, contacts_only: bool = False) -> pd.DataFrame:
    """One row per pair of consecutive events of a case, with the shortest and longest gap possible.

    ``contacts_only`` keeps contacts with public services (and the attack) before pairing, so the
    gaps are the silences between contacts. ``overlaps`` marks pairs whose date windows overlap, where
    the order itself is not certain.
    """
    rows = case_events(events)
    if contacts_only:
        rows = contacts(rows)
    parts = []
    for case_id, group in rows.groupby("case_id", sort=False):
        if len(group) < 2:
            continue
        earlier = group.iloc[:-1].reset_index(drop=True)
        later = group.iloc[1:].reset_index(drop=True)
        low = _days(later["earliest"], earlier["latest"])
        high = _days(later["latest"], earlier["earliest"])
        low = low.clip(lower=0)
        high = high.where(high.isna() | (high >= low.fillna(0)), low)
        overlaps = (
            later["earliest"].isna() | earlier["latest"].isna()
            | (later["earliest"] <= earlier["latest"])
        ) & ~(_days(later["earliest"], earlier["latest"]) > 0)
        parts.append(pd.DataFrame({
            "case_id": case_id,
            "from_event": earlier["event_id"], "from_title": earlier["title"],
            "from_kind": earlier["kind"], "from_date": earlier["date_label"],
            "to_event": later["event_id"], "to_title": later["title"], "to_kind": later["kind"],
            "to_date": later["date_label"],
            "min_days": low, "max_days": high,
            "label": [describe_span(lo, hi) for lo, hi in zip(low, high, strict=True)],
            "overlaps": overlaps.astype(bool),
            "from_earliest": earlier["earliest"], "from_latest": earlier["latest"],
            "to_earliest": later["earliest"], "to_latest": later["latest"],
        }))
    if not parts:
        return pd.DataFrame(columns=INTERVAL_COLUMNS)
    return pd.concat(parts, ignore_index=True)[list(INTERVAL_COLUMNS)]


def longest(gaps: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The ``n`` longest silences of each case: ranked by the gap that is certain (the shorter bound),
    then by the longer bound; a gap with an open end ranks after those with both bounds."""
    if gaps.empty:
        return gaps.assign(rank=pd.Series(dtype="int64"))
    out = gaps.sort_values(["case_id", "min_days", "max_days"], ascending=[True, False, False],
                           na_position="last", kind="stable")
    out = out.groupby("case_id", sort=False).head(n)
    return out.assign(rank=out.groupby("case_id").cumcount() + 1).reset_index(drop=True)


# --- 2. time to the outcome ---------------------------------------------------------------------------

def outcomes(cases: Mapping[str, schema.Case]) -> dict[str, str]:
    """Case id -> the id of its outcome event (the event cases are aligned on)."""
    return {case_id: case.outcome_event for case_id, case in cases.items()}


def time_to_outcome(events: pd.DataFrame, outcome_ids: Mapping[str, str]) -> pd.DataFrame:
    """For every case event, how long before (or after) the outcome it happened, with bounds.

    ``relation`` is 'before', 'after' or 'overlaps' (the date windows overlap); ``min_days`` and
    ``max_days`` are distances (positive either way), ``min_years``/``max_years`` the same in years.
    """
    rows = case_events(events)
    parts = []
    for case_id, group in rows.groupby("case_id", sort=False):
        outcome = group[group["event_id"] == outcome_ids.get(case_id)]
        if outcome.empty:
            continue
        out = outcome.iloc[0]
        noun = "the attack" if out["kind"] == "attack" else f"the {out['title'].lower()}"
        ends = group["latest"].dt.normalize()
        starts = group["earliest"].dt.normalize()
        first, last = out["earliest"].normalize(), out["latest"].normalize()
        before_min = (first - ends).dt.days.astype("float64")
        before_max = (last - starts).dt.days.astype("float64")
        relation = pd.Series("overlaps", index=group.index)
        relation[before_min > 0] = "before"
        relation[before_max < 0] = "after"
        same = (before_min == 0) & (before_max == 0)
        relation[same] = "same day"
        lo = before_min.where(relation != "after", -before_max)
        hi = before_max.where(relation != "after", -before_min)
        lo = lo.where(relation.isin(["before", "after"]), 0.0)
        hi = hi.where(relation != "overlaps", pd.concat([before_max, -before_min], axis=1).max(axis=1))
        labels = []
        for rel, a, b in zip(relation, lo, hi, strict=True):
            if rel == "same day":
                labels.append(f"the day of {noun}")
            elif rel == "overlaps" and not missing(b) and b <= DAYS_UNTIL:
                within = plural(int(b), "day")
                labels.append(f"around the time of {noun} (within {within}; order not certain)")
            elif rel == "overlaps":
                labels.append(f"not known whether before or after {noun}")
            else:
                labels.append(f"{describe_span(a, b)} {rel} {noun}")
        parts.append(pd.DataFrame({
            "case_id": case_id, "event_id": group["event_id"], "title": group["title"],
            "kind": group["kind"], "family": group["family"], "date_label": group["date_label"],
            "relation": relation, "min_days": lo, "max_days": hi,
            "min_years": (lo / DAYS_PER_YEAR).round(2), "max_years": (hi / DAYS_PER_YEAR).round(2),
            "label": labels,
        }))
    if not parts:
        return pd.DataFrame(columns=["case_id", "event_id", "title", "kind", "family", "date_label",
                                     "relation", "min_days", "max_days", "min_years", "max_years",
                                     "label"])
    return pd.concat(parts, ignore_index=True)


# --- findings -------------------------------------------------------------------------------------

FINDING_COLUMNS = ("case_id", "event_id", "event_title", "text", "by", "date", "date_label",
                   "missed_opportunity", "step", "source_ids", "citation")


def _citation(cites: Iterable[schema.Citation]) -> str:
    return "; ".join(
        c.source + (f": “{c.quote}”" if c.quote else "") + (f" ({c.locator})" if c.locator else "")
        for c in cites
    )


def findings(cases: Mapping[str, schema.Case]) -> pd.DataFrame:
    """Every review finding on every case event: what was found, by whom, when, on what source, and
    the pathway step it names ('' where it names none)."""
    rows = [
        {"case_id": case_id, "event_id": event.id, "event_title": event.title, "text": f.text,
         "by": f.by, "date": f.date, "date_label": PartialDate.parse(f.date).human(),
         "missed_opportunity": f.missed_opportunity, "step": f.step or "",
         "source_ids": tuple(dict.fromkeys(c.source for c in f.sources)), "citation": _citation(f.sources)}
        for case_id, case in cases.items() for event in case.events for f in event.findings
    ]
    return pd.DataFrame(rows, columns=FINDING_COLUMNS).astype({"missed_opportunity": bool})


def event_steps(cases: Mapping[str, schema.Case]) -> dict[tuple[str, str], str]:
    """(case id, event id) -> the pathway step the event says it is (its ``step``), where it says one."""
    return {(case_id, event.id): event.step for case_id, case in cases.items() for event in case.events
            if event.step}


# --- 3. pathway conformance ------------------------------------------------------------------------

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
    attacks = events[events["kind"] == "attack"].groupby("case_id")["earliest"].min()
    rows: list[dict] = []
    for case_id, group in case_events(events).groupby("case_id", sort=False):
        group = group.assign(step=[links.get((case_id, e), "") for e in group["event_id"]])
        if not pd.isna(attack := attacks.get(case_id)):
            group = group[group["earliest"].fillna(group["latest"]) < attack]
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
    lo, hi = _day_diff(event["earliest"], before["latest"]), _day_diff(event["latest"], before["earliest"])
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


def _day_diff(later: pd.Timestamp, earlier: pd.Timestamp) -> float:
    """Whole calendar days from one instant to another; NaN where either is open."""
    if pd.isna(later) or pd.isna(earlier):
        return math.nan
    return float((later.normalize() - earlier.normalize()).days)


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


# --- 4. the missed-opportunities register ----------------------------------------------------------

REGISTER_COLUMNS = ("case_id", "event_id", "event_date", "event_title", "finding", "by", "found",
                    "sources", "before_outcome", "min_years", "max_years")


def missed_opportunities(events: pd.DataFrame, found: pd.DataFrame, outcome_ids: Mapping[str, str]
                         ) -> pd.DataFrame:
    """The register: each finding marked a missed opportunity, its event, who found it and when,
    and how long before the outcome the chance was missed."""
    missed = found[found["missed_opportunity"]]
    timing = time_to_outcome(events, outcome_ids)
    order = case_events(events).reset_index()[["case_id", "event_id", "index"]]
    merged = (missed.merge(timing, on=["case_id", "event_id"], how="left", suffixes=("", "_event"))
              .merge(order, on=["case_id", "event_id"], how="left")
              .sort_values(["case_id", "index"], kind="stable"))
    # A finding recorded on an event after the outcome (a report) gives no date for the chance itself.
    undated = merged["relation"].eq("after")
    before = merged["label"].where(~undated, "not dated: the finding is recorded on “" + merged["event_title"]
                                   + "”, after the outcome")
    out = pd.DataFrame({
        "case_id": merged["case_id"], "event_id": merged["event_id"],
        "event_date": merged["date_label_event"], "event_title": merged["event_title"],
        "finding": merged["text"], "by": merged["by"], "found": merged["date_label"],
        "sources": merged["citation"], "before_outcome": before,
        "min_years": merged["min_years"].where(~undated), "max_years": merged["max_years"].where(~undated),
    })
    return out.reset_index(drop=True)[list(REGISTER_COLUMNS)]


# --- 5. repeat referrals ---------------------------------------------------------------------------

def referrals(events: pd.DataFrame, kinds: Sequence[str] = ("referral",)) -> pd.DataFrame:
    """Each case's referrals in order: the running count, the date window and the gap since the last."""
    rows = case_events(events)
    rows = rows[rows["kind"].isin(kinds)]
    parts = []
    for case_id, group in rows.groupby("case_id", sort=False):
        group = group.reset_index(drop=True)
        low = _days(group["earliest"], group["latest"].shift()).clip(lower=0)
        high = _days(group["latest"], group["earliest"].shift())
        parts.append(pd.DataFrame({
            "case_id": case_id, "count": range(1, len(group) + 1), "event_id": group["event_id"],
            "title": group["title"], "date_label": group["date_label"], "age": group["age"],
            "earliest": group["earliest"], "latest": group["latest"],
            "min_days_since_previous": low, "max_days_since_previous": high,
            "since_previous": ["" if i == 0 else describe_span(lo, hi)
                               for i, (lo, hi) in enumerate(zip(low, high, strict=True))],
        }))
    if not parts:
        return pd.DataFrame(columns=["case_id", "count", "event_id", "title", "date_label", "age", "earliest",
                                     "latest", "min_days_since_previous", "max_days_since_previous",
                                     "since_previous"])
    return pd.concat(parts, ignore_index=True)


# --- 6. record coverage -----------------------------------------------------------------------------

def coverage(events: pd.DataFrame, cases: Mapping[str, schema.Case]) -> pd.DataFrame:
    """Events recorded here against each total a source states ('at least 15 contact points').

    A total counts the event kinds it names (``counts_kinds``); with none named it counts contacts
    with public services before the outcome.
    """
    rows = []
    for case_id, case in cases.items():
        mine = case_events(events, case_id)
        outcome = mine[mine["event_id"] == case.outcome_event]
        for total in case.totals:
            if total.counts_kinds:
                counted = mine[mine["kind"].isin(total.counts_kinds)]
            else:
                counted = contacts(mine)
                counted = counted[counted["kind"] != "attack"]
                if not outcome.empty:
                    when = counted["earliest"].fillna(counted["latest"])
                    counted = counted[when < outcome.iloc[0]["earliest"]]
            recorded = len(counted)
            stated = f"{total.qualifier} {total.value}" if total.qualifier != "exactly" else str(total.value)
            gap = total.value - recorded
            if total.qualifier in ("exactly", "at least") and gap > 0:
                note = f"{recorded} recorded here; sources state {stated}: at least {gap} not yet recorded"
            else:
                note = f"{recorded} recorded here; sources state {stated}"
            bounded = total.qualifier in ("exactly", "at least")
            rows.append({"case_id": case_id, "measure": total.measure, "stated": stated,
                         "value": total.value, "qualifier": total.qualifier, "recorded": recorded,
                         "not_recorded": max(gap, 0) if bounded else math.nan,
                         "share": round(recorded / total.value, 2) if total.value else math.nan,
                         "kinds": ", ".join(KIND_BY_ID[k].label for k in total.counts_kinds) or "contacts",
                         "note": note, "sources": _citation(total.sources)})
    return pd.DataFrame(rows, columns=["case_id", "measure", "stated", "value", "qualifier", "recorded",
                                       "not_recorded", "share", "kinds", "note", "sources"])


# --- 7. planned against delivered -------------------------------------------------------------------

_WORD_NUMBERS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve"))}
PLANNED_WORDS = ("planned", "scheduled", "intended", "supposed")


def _number(text: str) -> int | None:
    """The first count in a text: '7', 'seven', 'one session' -> 7, 7, 1."""
    for word in re.findall(r"[a-z]+|\d+", text.lower()):
        if word.isdigit():
            return int(word)
        if word in _WORD_NUMBERS:
            return _WORD_NUMBERS[word]
    return None


def planned_delivered(cases: Mapping[str, schema.Case], source_titles: Mapping[str, str] | None = None
                      ) -> pd.DataFrame:
    """Planned against delivered, under each source's account, where the sources state both.

    The planned side is a dispute on an event about how many were planned ('how many mentoring
    sessions were planned': seven / two, one count per claim's source). The delivered side is the
    case's total that counts exactly that event's kind ('mentoring sessions held': 1, counting support
    sessions), as each of its sources states it. A source that states only the planned number is
    given the delivered one where every source that counts it agrees, and says so.
    """
    titles = source_titles or {}
    rows = []
    for case_id, case in cases.items():
        for event in case.events:
            totals = [t for t in case.totals if t.counts_kinds == [event.kind]]
            for dispute in event.disputed:
                if not totals or not any(word in dispute.about.lower() for word in PLANNED_WORDS):
                    continue
                planned = {cite.source: n for claim in dispute.claims if (n := _number(claim.value)) is not None
                           for cite in claim.sources}
                delivered = {cite.source: t.value for t in totals for cite in t.sources}
                agreed = set(delivered.values())
                for source in dict.fromkeys([*planned, *delivered]):
                    p, d, note = planned.get(source), delivered.get(source), ""
                    if d is None and len(agreed) == 1:
                        d = next(iter(agreed))
                        note = "held: this source gives no count; every source that does says the same"
                    if p is None:
                        note = "this source states no planned number"
                    rows.append({"case_id": case_id, "subject": totals[0].measure, "source": source,
                                 "source_title": titles.get(source, source), "planned": p, "delivered": d,
                                 "shortfall": (p - d) if p is not None and d is not None else None,
                                 "label": (f"{d} of {p} delivered" if p is not None and d is not None else ""),
                                 "note": note})
    out = pd.DataFrame(rows, columns=["case_id", "subject", "source", "source_title", "planned", "delivered",
                                      "shortfall", "label", "note"])
    return out.astype({"planned": "Int64", "delivered": "Int64", "shortfall": "Int64"})


# --- 8. commitments ----------------------------------------------------------------------------------

COMMITMENT_STATES = {
    "delivered": "Delivered, as a source reports",
    "delivered_late": "Delivered after its deadline",
    "overdue": "Deadline passed; no source reports delivery",
    "open": "Not yet due; no source reports delivery",
    "no_deadline": "No deadline stated; no source reports delivery",
}


def commitments(items: Sequence[schema.Commitment], today: date | pd.Timestamp) -> pd.DataFrame:
    """What the government promised, by when, and its status as the sources show it on ``today``.

    A deadline passes at the end of the period it names ('2025-09' at the end of September 2025). A
    passed deadline with no source on delivery is said exactly so: it is not assumed to be missed.
    """
    now = pd.Timestamp(today).normalize()
    rows = []
    for item in items:
        due = PartialDate.parse(item.due) if item.due else None
        done = PartialDate.parse(item.delivered) if item.delivered else None
        made = PartialDate.parse(item.made)
        if done is not None:
            state = "delivered_late" if due is not None and done.start > due.end else "delivered"
        elif due is None:
            state = "no_deadline"
        else:
            state = "overdue" if due.end < now else "open"
        by = f"the end of {due.human()}" if due is not None and due.precision != "day" else (
            due.human() if due is not None else "")
        if state == "overdue":
            label = f"Deadline ({by.removeprefix('the ')}) passed; no source reports delivery"
        elif state == "open":
            label = f"Due by {by}; no source reports delivery yet"
        elif state == "no_deadline":
            label = "No deadline stated; no source reports delivery"
        else:
            label = f"Delivered {done.human()}" + (f", after the deadline of {due.human()}" if state ==
                                                   "delivered_late" else "")
        rows.append({
            "id": item.id, "promise": item.promise, "made": made.human(), "made_start": made.start,
            "due": due.human() if due else "", "due_end": due.end if due else pd.NaT,
            "delivered": done.human() if done else "", "delivered_start": done.start if done else pd.NaT,
            "state": state, "status": label,
            "days_past_deadline": float((now - due.end.normalize()).days) if state == "overdue" else math.nan,
            "sources": _citation(item.sources), "delivery_sources": _citation(item.delivery_sources),
        })
    return pd.DataFrame(rows, columns=["id", "promise", "made", "made_start", "due", "due_end", "delivered",
                                       "delivered_start", "state", "status", "days_past_deadline",
                                       "sources", "delivery_sources"])


# --- the cross-case summary --------------------------------------------------------------------------

def summary(events: pd.DataFrame, cases: Mapping[str, schema.Case], steps: Sequence[schema.Step] = ()
            ) -> pd.DataFrame:
    """One row per case: referrals, the longest silence between contacts, the last contact's distance
    from the outcome, missed opportunities, and the pathway's departures."""
    outcome_ids = outcomes(cases)
    found = findings(cases)
    gaps = longest(intervals(events, contacts_only=True), n=1)
    refs = referrals(events)
    timing = time_to_outcome(events, outcome_ids)
    steps_frame = (conformance(events, steps, found, event_steps(cases)) if steps
                   else pd.DataFrame(columns=CONFORMANCE_COLUMNS))
    rows = []
    for case_id, case in cases.items():
        mine = case_events(events, case_id)
        last = timing[(timing["case_id"] == case_id) & (timing["relation"] == "before")
                      & timing["family"].isin(CONTACT_FAMILIES)]
        silence = gaps[gaps["case_id"] == case_id]
        marks = steps_frame[steps_frame["case_id"] == case_id]
        rows.append({
            "case_id": case_id, "case": case.title,
            "events": len(mine),
            "referrals": int((refs["case_id"] == case_id).sum()),
            "longest_silence": silence.iloc[0]["label"] if len(silence) else "",
            "longest_silence_between": (f"{silence.iloc[0]['from_title']} → {silence.iloc[0]['to_title']}"
                                        if len(silence) else ""),
            "last_contact": last.iloc[-1]["title"] if len(last) else "",
            "last_contact_to_outcome": last.iloc[-1]["label"] if len(last) else "",
            "missed_opportunities": int(found[(found["case_id"] == case_id)]["missed_opportunity"].sum()),
            "steps_missing": int(marks["status"].eq("missing").sum()),
            "steps_skipped": int(marks["status"].eq("skipped").sum()),
            "steps_late": int(marks["status"].eq("late").sum()),
        })
    return pd.DataFrame(rows)
