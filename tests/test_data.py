"""The bundled data: valid, fully sourced, quotations true to their documents, nothing lost on loading."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests.conftest import DATA, REPO
from timelines import load_library
from timelines.cli import main
from timelines.dates import window
from timelines.loading import _citations

SHARED_SOURCES = REPO.parent / "shared" / "sources"
EVENT_FILES = [DATA / "context.yaml", *sorted((DATA / "cases").glob("*.yaml"))]


@pytest.fixture(scope="module")
def library():
    lib = load_library(DATA, use_cache=False)
    assert not lib.problems, "\n".join(map(str, lib.problems))
    return lib


def _raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def test_bundled_data_validates(capsys):
    assert main(["validate", str(DATA), "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(r"2 cases, \d+ events, \d+ sources \(\d+ context events\): OK\n", out), out


def test_both_cases_are_present(library):
    assert set(library.cases) == {"southport", "amess"}
    for case in library.cases.values():
        assert case.outcome_event in {e.id for e in case.events}


@pytest.mark.parametrize("path", EVENT_FILES, ids=[p.name for p in EVENT_FILES])
def test_no_event_is_lost(library, path):
    """Every event in the YAML file appears exactly once in the DataFrame, with its window."""
    raw = _raw(path)
    events = raw["events"]
    assert events
    case_id = raw["id"] if path.parent.name == "cases" else "context"
    frame = library.events[library.events["case_id"] == case_id]
    assert sorted(frame["event_id"]) == sorted(str(e["id"]) for e in events)
    assert frame["event_id"].is_unique
    for event in events:
        row = frame[frame["event_id"] == event["id"]].iloc[0]
        earliest, latest = window(str(event["date"]), event.get("date_qualifier", "on"), event.get("date_until"))
        assert (row["earliest"] if pd.notna(row["earliest"]) else None) == earliest
        assert (row["latest"] if pd.notna(row["latest"]) else None) == latest
        assert row["date_text"] == str(event["date"])


def test_a_year_only_date_spans_the_whole_year(library):
    row = library.events.query("case_id == 'amess' and event_id == 'amess-post-exit-review'").iloc[0]
    assert row["precision"] == "year"
    assert row["earliest"] == pd.Timestamp("2016-01-01")
    assert row["latest"].date() == pd.Timestamp("2016-12-31").date()


def test_every_event_of_both_cases_cites_a_source(library):
    for case in library.cases.values():
        for event in case.events:
            assert event.sources, f"{case.id}/{event.id} cites nothing"
            assert all(c.source in library.sources for c in event.sources)
            assert all(c.quote or c.locator for c in event.sources)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for curly, straight in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-")):
        text = text.replace(curly, straight)
    return re.sub(r"\s+", " ", text).strip()


def _all_citations(library):
    models = list(library.cases.values()) + [library.context, library.glossary, library.process]
    for model in models:
        for _loc, cite in _citations(model):
            yield cite


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="../shared/sources is not beside this checkout")
def test_quotations_from_core_documents_are_verbatim(library):
    """A quotation attributed to a core document must be in it, word for word."""
    texts = {sid: _fold((SHARED_SOURCES / s.file).read_text())
             for sid, s in library.sources.items() if s.file}
    assert len(texts) == 5
    checked = 0
    for cite in _all_citations(library):
        if cite.quote and cite.source in texts:
            assert _fold(cite.quote) in texts[cite.source], f"{cite.source}: {cite.quote!r} is not in the document"
            checked += 1
    assert checked > 50


def test_quotations_are_short(library):
    for cite in _all_citations(library):
        if cite.quote:
            assert len(cite.quote.split()) <= 30, cite.quote


def test_core_documents_are_primary_and_the_rest_secondary(library):
    for source in library.sources.values():
        assert source.primary == bool(source.file), source.id


@pytest.mark.parametrize(("case_id", "about", "values"), [
    ("amess", "how many mentoring sessions were planned", {"Seven", "Two"}),
    ("amess", "who referred him: his school or his college", {"His school", "His college"}),
    ("southport", "month of his first contact with the police", {"April 2019", "October 2019"}),
])
def test_known_disagreements_are_kept(library, case_id, about, values):
    disputes = {d.about: d for e in library.cases[case_id].events for d in e.disputed}
    assert about in disputes
    assert {c.value for c in disputes[about].claims} == values


def test_publication_date_of_the_amess_review_is_disputed(library):
    disputes = [d for e in library.cases["amess"].events for d in e.disputed if "publ" in d.about]
    assert disputes
    text = " ".join(c.value for d in disputes for c in d.claims)
    assert "12 February 2025" in text and "14 February 2025" in text


def test_findings_are_attributed_and_dated(library):
    findings = [f for c in library.cases.values() for e in c.events for f in e.findings]
    assert len(findings) > 10
    assert any(f.missed_opportunity for f in findings)
    for finding in findings:
        assert finding.by and finding.date and finding.sources


def test_southport_referrals_at_the_precision_of_the_sources(library):
    referrals = library.events.query("case_id == 'southport' and kind == 'referral'")
    assert list(referrals["date_text"]) == ["2019-12", "2021-02", "2021-04"]
    assert set(referrals["precision"]) == {"month"}


def test_every_case_event_has_a_discussion_question_without_hindsight(library):
    for case in library.cases.values():
        rows = library.events.query("case_id == @case.id").set_index("event_id")
        attack_starts = rows.loc[case.outcome_event, "earliest"]
        for event in case.events:
            assert event.question, f"{case.id}/{event.id} has no question for the walkthrough"
            if rows.loc[event.id, "latest"] < attack_starts:
                assert not re.search(r"attack|murder|kill", event.question, re.I), event.question
