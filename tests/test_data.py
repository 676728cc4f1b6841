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

# The evidence base sits in shared/sources beside the checkout or a folder above it (worktrees nest deeper).
SHARED_SOURCES = next((p / "shared" / "sources" for p in REPO.parents if (p / "shared" / "sources").is_dir()),
                      REPO.parent / "shared" / "sources")
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


def _spaces(text: str) -> str:
    """Runs of whitespace (a line break in the document, a folded YAML line) as one space: nothing else."""
    return re.sub(r"\s+", " ", text).strip()


def _fold(text: str) -> str:
    """Curly quotation marks and dashes made straight: used only to say what a near miss differs in."""
    text = unicodedata.normalize("NFKC", text)
    for curly, straight in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-")):
        text = text.replace(curly, straight)
    return _spaces(text)


def _all_citations(library):
    models = list(library.cases.values()) + [library.context, library.glossary, library.process]
    for model in models:
        for _loc, cite in _citations(model):
            yield cite


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="../shared/sources is not beside this checkout")
def test_quotations_from_core_documents_are_character_for_character(library):
    """A quotation attributed to a core document must be in it character for character: the same words,
    letters, punctuation, and curly or straight quotation marks, apostrophes and dashes exactly as the
    document has them. Only runs of whitespace (line breaks) count as one space."""
    raw = {sid: (SHARED_SOURCES / s.file).read_text() for sid, s in library.sources.items() if s.file}
    texts = {sid: _spaces(text) for sid, text in raw.items()}
    assert len(texts) == 5
    checked = 0
    for cite in _all_citations(library):
        if cite.quote and cite.source in texts:
            quote = _spaces(cite.quote)
            near = _fold(quote) in _fold(raw[cite.source])
            assert quote in texts[cite.source], (
                f"{cite.source}: {cite.quote!r} is not in the document"
                + (" (it is there with different quotation marks, apostrophes or dashes: copy them exactly)"
                   if near else ""))
            checked += 1
    assert checked > 50


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="../shared/sources is not beside this checkout")
def test_the_exact_comparison_catches_a_straightened_apostrophe(library):
    """The test above compares exactly: a quotation with the document's curly apostrophe made straight
    is not found, while the same words with the curly apostrophe are."""
    text = _spaces((SHARED_SOURCES / library.sources["amess-plr-statement"].file).read_text())
    assert "the perpetrator’s vulnerabilities" in text
    assert "the perpetrator's vulnerabilities" not in text


def test_quotations_are_short(library):
    for cite in _all_citations(library):
        if cite.quote:
            assert len(cite.quote.split()) <= 30, cite.quote


def test_primary_sources_are_official_core_documents(library):
    """Primary means a core document that is itself the record: never a supplementary source, and never a
    news report, which is a secondary account even when it is a core document (the Guardian, 004)."""
    for source in library.sources.values():
        if source.primary:
            assert source.file and source.kind != "news report", source.id
        if not source.file:
            assert not source.primary, source.id
    assert any(s.file and not s.primary for s in library.sources.values())


@pytest.mark.parametrize(("case_id", "about", "values"), [
    ("amess", "how many mentoring sessions were planned", {"Seven", "Two"}),
    ("amess", "who referred him: his school or his college", {"His school", "His college"}),
    ("southport", "month of his first contact with the police", {"April 2019", "October 2019"}),
    ("southport", "date Lord Anderson's report was published", {"16 July 2025", "17 July 2025"}),
    ("amess", "date Lord Anderson's report was published", {"16 July 2025", "17 July 2025"}),
    ("context", "when the end-to-end review of Prevent thresholds was set up",
     {"Tasked on 21 January 2025", "Among the reforms announced in December 2024"}),
    ("context", "what Lord Anderson's role is called",
     {"Interim Prevent Commissioner", "Interim independent reviewer of Prevent"}),
    ("amess", "when and after what his case was closed",
     {"Exited from Channel in April 2015; closed to Prevent in 2016, at the twelve-month post-exit review",
      "Closed after one meeting to assess his danger"}),
])
def test_known_disagreements_are_kept(library, case_id, about, values):
    events = library.context.events if case_id == "context" else library.cases[case_id].events
    disputes = {d.about: d for e in events for d in e.disputed}
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
        if finding.made:  # made before it was made public, never after
            assert window(finding.made)[0] <= window(finding.date)[1], finding.text


def test_a_finding_reaching_us_through_another_document_says_so(library):
    """A finding by one body cited only to another body's document carries 'reported_by'."""
    own = {"Southport Prevent learning review": set(), "Amess Prevent learning review": set(),
           "Lord Anderson, interim Prevent Commissioner": {"anderson-lessons-for-prevent"}}
    for case in library.cases.values():
        for event in case.events:
            for finding in event.findings:
                if finding.by in own and not {c.source for c in finding.sources} & own[finding.by]:
                    assert finding.reported_by, f"{case.id}/{event.id}: {finding.text[:60]}"


def test_the_amess_review_findings_were_made_in_2022_and_made_public_in_2025(library):
    amess = [f for e in library.cases["amess"].events for f in e.findings if f.by == "Amess Prevent learning review"]
    assert amess
    assert {f.made for f in amess} == {"2022-02"} and {f.date for f in amess} == {"2025-02-12"}


def test_the_co_ordinator_finding_is_lord_andersons(library):
    """000 gives it under 'Lord Anderson's findings' (16 July 2025), as Lord Anderson agreeing with the review."""
    event = next(e for e in library.cases["southport"].events if e.id == "southport-first-referral-closed")
    finding = next(f for f in event.findings if "co-ordinator" in f.text)
    assert finding.by.startswith("Lord Anderson") and finding.date == "2025-07-16"


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
