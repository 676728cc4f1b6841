"""Hypothesis strategies for valid libraries of any shape.

``libraries()`` draws a whole library as plain data (the dicts the YAML files hold): any number of cases
and events, every kind, agency, precision and qualifier, same-day sequences, open and spanning dates,
outcomes of any kind and date, findings naming pathway steps, disputes, totals, commitments, and text
that is non-ASCII, full of markup or very long. ``write(root, library)`` writes it as YAML files.
Every library drawn is valid: the loader must accept it whole.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from hypothesis import strategies as st

from tests.sample_library import GLOSSARY, PROCESS
from timelines.schema import MAX_QUOTE, MAX_TITLE
from timelines.vocab import AGENCY_IDS, KIND_IDS

SOURCE_IDS = ("src-a", "src-b", "src-c")
STEP_IDS = ("referral", "assessment")  # the steps of tests/sample_library.PROCESS

# Text as people write it, and as an attacker might: any letter, mark, symbol or space, including
# markup characters. Control characters and lone surrogates are left out (YAML cannot hold them).
_ALPHABET = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"),
                          blacklist_characters="\ufeff\x85")
_HOSTILE = st.sampled_from(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)",
                            '" onmouseover="x', "**bold** _it_ [link](https://example.org) $x$", "# heading",
                            "- item", "1. item", "> quote", ":red[red]", "`code`", "Ünïcödé — “quotes” 東京 👍"])


# The text strategies are built once per size: Hypothesis validates a strategy the first time it draws
# from it, and building them afresh for every field cost a quarter of the property tests' time.
@cache
def text(max_size: int = 60) -> st.SearchStrategy[str]:
    plain = st.text(_ALPHABET, min_size=1, max_size=max_size)
    return st.one_of(plain, _HOSTILE, st.tuples(_HOSTILE, plain).map(" ".join)).map(
        lambda s: s[:max_size]).filter(lambda s: s.strip())


@cache
def long_text(max_size: int) -> st.SearchStrategy[str]:
    """Text that is sometimes very long: a repeated phrase up to ``max_size`` characters."""
    return st.one_of(text(80), st.tuples(text(40), st.integers(1, 400)).map(
        lambda t: (t[0] + " ") * t[1]).map(lambda s: s[:max_size].strip() or "x"))


@st.composite
def partial_dates(draw, low: int = 1990, high: int = 2030, precisions: tuple[str, ...] = ("year", "month", "day")
                  ) -> tuple[int, int | None, int | None]:
    year = draw(st.integers(low, high))
    precision = draw(st.sampled_from(precisions))
    if precision == "year":
        return year, None, None
    month = draw(st.integers(1, 12))
    if precision == "month":
        return year, month, None
    return year, month, draw(st.integers(1, 28))


def as_text(parts: tuple[int, int | None, int | None]) -> str:
    year, month, day = parts
    return str(year) + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")


def _later(parts, years: int) -> tuple[int, int | None, int | None]:
    year, month, day = parts
    return (year + years, month, day)


@st.composite
def citations(draw, min_size: int = 1, max_size: int = 2) -> list[dict]:
    out = []
    for _ in range(draw(st.integers(min_size, max_size))):
        cite = {"source": draw(st.sampled_from(SOURCE_IDS))}
        which = draw(st.sampled_from(["quote", "locator", "both"]))
        if which in ("quote", "both"):
            cite["quote"] = draw(text(MAX_QUOTE))
        if which in ("locator", "both"):
            cite["locator"] = draw(text(40))
        out.append(cite)
    return out


@st.composite
def events(draw, index: int, same_day: tuple | None = None) -> dict:
    start = same_day or draw(partial_dates())
    event = {"id": f"e-{index}", "date": as_text(start),
             "kind": draw(st.sampled_from(KIND_IDS)), "agency": draw(st.sampled_from(AGENCY_IDS)),
             "title": draw(st.one_of(text(60), long_text(MAX_TITLE))), "sources": draw(citations())}
    qualifier = "on" if same_day else draw(st.sampled_from(["on", "on", "about", "before", "after", "between"]))
    if qualifier != "on":
        event["date_qualifier"] = qualifier
    if qualifier == "between":
        event["date_until"] = as_text(_later(start, draw(st.integers(0, 3))))
    if draw(st.booleans()) and qualifier != "after":
        event["end"] = as_text(_later(start, draw(st.integers(0, 4))))
    if same_day or draw(st.integers(0, 4)) == 0:
        event["sequence"] = index
    if draw(st.integers(0, 3)) == 0:
        event["age"] = draw(st.integers(0, 120))
    if draw(st.integers(0, 2)) == 0:
        event["detail"] = draw(long_text(5000))
    if draw(st.integers(0, 3)) == 0:
        event["question"] = draw(text(120))
    if draw(st.integers(0, 5)) == 0:
        event["step"] = draw(st.sampled_from(STEP_IDS))
    findings = []
    for _ in range(draw(st.integers(0, 2))):
        finding = {"text": draw(long_text(600)), "by": draw(text(40)), "date": as_text(draw(partial_dates(2000, 2030))),
                   "missed_opportunity": draw(st.booleans()), "sources": draw(citations())}
        if draw(st.booleans()):
            finding["step"] = draw(st.sampled_from(STEP_IDS))
        findings.append(finding)
    if findings:
        event["findings"] = findings
    if draw(st.integers(0, 5)) == 0:
        event["disputed"] = [{"about": draw(st.sampled_from(["how many sessions were planned", "the month"])),
                              "claims": [{"value": draw(st.sampled_from(["seven", "2", "one session", "unknown"])),
                                          "sources": draw(citations(1, 1))} for _ in range(draw(st.integers(2, 3)))]}]
    return event


@st.composite
def cases(draw, case_id: str, max_events: int) -> dict:
    n = draw(st.integers(1, max_events))
    # a day drawn as a day: a filter on any date threw away two draws in three, and often the whole library
    day = draw(partial_dates(precisions=("day",))) if draw(st.integers(0, 4)) == 0 else None
    items = [draw(events(i, same_day=day)) for i in range(n)]
    case = {"id": case_id, "title": draw(st.one_of(text(60), long_text(MAX_TITLE))), "summary": draw(long_text(2000)),
            "subject": draw(text(40)), "outcome_event": items[draw(st.integers(0, n - 1))]["id"], "events": items}
    if draw(st.integers(0, 3)) == 0:
        case["totals"] = [{"measure": draw(text(60)), "value": draw(st.integers(0, 50)),
                           "qualifier": draw(st.sampled_from(["exactly", "at least", "at most", "about"])),
                           "counts_kinds": draw(st.lists(st.sampled_from(KIND_IDS), max_size=3, unique=True)),
                           "sources": draw(citations())}]
    return case


@st.composite
def libraries(draw, max_cases: int = 4, max_events: int = 12) -> dict:
    """A valid library: {'sources': ..., 'cases': {...}, 'context': ... or None}."""
    n_cases = draw(st.integers(1, max_cases))
    sources = [{"id": sid, "title": draw(text(80)), "publisher": draw(text(40)),
                "date": as_text(draw(partial_dates(2000, 2030))), "kind": "review", "primary": draw(st.booleans())}
               for sid in SOURCE_IDS]
    library = {"sources": {"sources": sources},
               "cases": {f"case-{i}": draw(cases(f"case-{i}", max_events)) for i in range(n_cases)},
               "context": None}
    if draw(st.booleans()):
        context = {"events": [draw(events(i)) for i in range(draw(st.integers(0, 3)))]}
        commitments = []
        for i in range(draw(st.integers(0, 2))):
            made = draw(partial_dates(2015, 2025))
            item = {"id": f"c-{i}", "promise": draw(text(80)), "made": as_text(made), "sources": draw(citations())}
            if draw(st.booleans()):
                item["due"] = as_text(_later(made, draw(st.integers(0, 3))))
            if draw(st.booleans()):
                item["delivered"] = as_text(_later(made, draw(st.integers(0, 3))))
                item["delivery_sources"] = draw(citations())
            commitments.append(item)
        if commitments:
            context["commitments"] = commitments
        library["context"] = context
    return library


class _Quoting(yaml.SafeDumper):
    """Every string double-quoted: PyYAML writes YAML 1.1, which leaves '1e100' or 'null' plain, and a YAML 1.2
    reader (as a person's editor or yaml-rs) would read those as a number or nothing."""


_Quoting.add_representer(str, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"'))


def write(root: Path, library: dict) -> Path:
    """Write a drawn library as YAML files under ``root`` (with the sample glossary and pathway)."""
    (root / "cases").mkdir(parents=True, exist_ok=True)

    def dump(path: Path, data: object) -> None:
        path.write_text(yaml.dump(data, Dumper=_Quoting, allow_unicode=True, sort_keys=False, width=100),
                        encoding="utf-8")

    dump(root / "sources.yaml", library["sources"])
    for case_id, case in library["cases"].items():
        dump(root / "cases" / f"{case_id}.yaml", case)
    if library["context"] is not None:
        dump(root / "context.yaml", library["context"])
    (root / "glossary.yaml").write_text(GLOSSARY)
    (root / "process.yaml").write_text(PROCESS)
    return root


def n_events(library: dict) -> int:
    return sum(len(case["events"]) for case in library["cases"].values())
