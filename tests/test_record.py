"""The record against its sources: every recommendation, commitment and statistic the five core documents
and the supplementary record give is in the data, and nothing before an outcome gives away what came later.

The lists below are written from the sources (shared/sources/*.txt and the README's supplementary record),
not from the data: each entry names the document and the words that carry the fact, and the test looks
for that fact in the data. Adding data never breaks them; losing a fact does.
"""

from __future__ import annotations

import itertools
import re

import pytest

from tests.conftest import DATA
from timelines import load_library
from timelines.vocab import KIND_BY_ID


@pytest.fixture(scope="module")
def library():
    lib = load_library(DATA, use_cache=False)
    assert not lib.problems, "\n".join(map(str, lib.problems))
    return lib


# --- every recommendation ------------------------------------------------------------------------------

# (who made it, words its text or sources must carry, where the sources give it)
RECOMMENDATIONS = [
    ("Amess Prevent learning review", "improve the referral process", "003"),
    ("Amess Prevent learning review", "strengthen the initial intelligence assessment process", "003"),
    ("Amess Prevent learning review", "update the tool used to identify vulnerability", "003"),
    ("Amess Prevent learning review", "not reduce data retention periods", "003"),
    ("Southport Prevent learning review", "14 recommendations", "README: The Independent, 5 February 2025"),
    ("Lord Anderson", "fascination with extreme violence or mass casualty attacks", "000, 004"),
    ("Lord Anderson", "task force", "000, 004"),
    ("Lord Anderson", "share information", "000"),
    ("Lord Anderson", "transparency", "000"),
    ("Lord Anderson", "online activity", "000"),
    ("Lord Anderson", "ten recommendations", "README: 'Lessons for Prevent'"),
    ("Home Office end-to-end review of Prevent thresholds", "recommendations", "000"),
    ("Review of security measures for MPs", "recommendations", "003"),
    ("Parliamentary Security Department", "recommendations", "003"),
]


def _recommendation_text(rec) -> str:
    parts = [rec.text, rec.by, rec.response or ""]
    parts += [c.quote or "" for c in rec.sources] + [c.locator or "" for c in rec.sources]
    return " ".join(parts).lower()


@pytest.mark.parametrize(("by", "words", "where"), RECOMMENDATIONS, ids=[f"{b}: {w}" for b, w, _ in RECOMMENDATIONS])
def test_every_recommendation_of_the_sources_is_recorded(library, by, words, where):
    recs = library.context.recommendations if library.context else []
    found = [r for r in recs if r.by.startswith(by) and words.lower() in _recommendation_text(r)]
    assert found, f"missing: {by}'s recommendation '{words}' ({where})"


def test_implemented_recommendations_cite_the_source_that_says_so(library):
    recs = library.context.recommendations
    amess = [r for r in recs if r.by == "Amess Prevent learning review"]
    assert len(amess) == 4  # 003: "The reviewer made 4 recommendations"
    assert all(r.implemented and r.response_sources for r in amess)  # 003: "fully implemented all 4"


# --- every commitment ----------------------------------------------------------------------------------

# (words the promise carries, when made as recorded, deadline as recorded or None, where)
COMMITMENTS = [
    ("publish the detailed findings", "2025-01-21", None, "001"),
    ("public inquiry into the southport attack", "2025-01-21", None, "001"),
    ("end-to-end review of prevent thresholds", "2025-01-21", None, "001"),
    ("arrangements with other agencies", "2025-01-21", None, "001"),
    ("permanent independent oversight", "2024", None, "000, 001 ('before Christmas')"),
    ("work with the public inquiry and the prevent commissioner", "2025-02-05", None, "002"),
    ("review prevent's interactions", "2025-02-12", None, "003"),
    ("support the amess family", "2025-02-12", None, "003"),
    ("speaker's conference", "2025-02-12", None, "003"),
    ("clarify prevent thresholds", "2025-07-16", "2025-09", "000: 'by the end of September'"),
    ("transparency and information sharing", "2025-07-16", "2025-12", "000: 'before the end of the year'"),
    ("online radicalisation", "2025-07-16", None, "000"),
    ("wider safeguarding and violence prevention", "2025-07-16", None, "000"),
    ("mentoring interventions", "2025-07-16", "2025-08-01", "000: 'From 1 August'"),
    ("first phase of the southport public inquiry", "2025-07-16", "2025", "000: 'later this year'"),
    ("further review", "2025", None, "004"),
]


@pytest.mark.parametrize(("words", "made", "due", "where"), COMMITMENTS, ids=[c[0] for c in COMMITMENTS])
def test_every_commitment_of_the_sources_is_recorded_with_its_deadline(library, words, made, due, where):
    found = [c for c in library.context.commitments if words in c.promise.lower()]
    assert found, f"missing commitment: '{words}' ({where})"
    assert any(c.made == made and c.due == due for c in found), (
        f"'{words}': made {[c.made for c in found]}, due {[c.due for c in found]}; the source ({where}) gives"
        f" made {made}, due {due}")


def test_no_commitment_is_dated_more_precisely_than_its_source(library):
    """'before Christmas' and 'following the attack' give no month: the Commissioner promise is a span."""
    promise = next(c for c in library.context.commitments if c.id == "permanent-prevent-commissioner")
    assert promise.made == "2024" and promise.made_until == "2024-12-24"


# --- every statistic -----------------------------------------------------------------------------------

# The README's "National context", figure by figure: (year ending March, measure, value)
STATISTICS = [
    (2016, "referrals", 7631), (2020, "referrals", 6287), (2021, "referrals", 4915), (2022, "referrals", 6406),
    (2023, "referrals", 6817), (2024, "referrals", 6922), (2025, "referrals", 8778),
    (2016, "channel_adoptions", 381), (2020, "channel_adoptions", 697), (2021, "channel_adoptions", 688),
    (2024, "channel_adoptions", 512),
    (2025, "no_or_unclear_ideology_pct", 56),
]


@pytest.mark.parametrize(("year", "measure", "value"), STATISTICS, ids=[f"{y} {m}" for y, m, _ in STATISTICS])
def test_every_statistic_of_the_sources_is_recorded(library, year, measure, value):
    assert library.statistics is not None, "data/statistics.yaml has not loaded"
    years = {y.year_ending: y for y in library.statistics.years}
    assert f"{year}-03" in years, f"year ending March {year} is missing"
    assert getattr(years[f"{year}-03"], measure) == value


def test_no_statistic_is_invented(library):
    """Every figure in the data is one the sources give: nothing filled in between the quoted years."""
    given = {(y, m) for y, m, _ in STATISTICS}
    for entry in library.statistics.years:
        for measure in ("referrals", "channel_adoptions", "no_or_unclear_ideology_pct"):
            if getattr(entry, measure) is not None:
                assert (int(entry.year_ending[:4]), measure) in given, (entry.year_ending, measure)


# --- no hindsight before the outcome -------------------------------------------------------------------

# Words that judge, or give away, what happened next. A question may ask what the room would do; it may not
# say what was missed, what failed or what should have happened.
HINDSIGHT_MARKERS = [
    r"\bonly\b", r"\bmissed\b", r"should have", r"could have", r"would have", r"failed to", r"\bfail",
    r"too quickly", r"too much", r"not properly", r"\bpeter", r"misspel", r"outdated", r"problematic",
    r"\blast\b", r"\bfinal\b", r"\bnever\b", r"\bwrong", r"\bmistake", r"\berror\b", r"\battack", r"\bmurder",
    r"\bkill", r"learning review", r"commissioner", r"\binquiry\b", r"\banderson\b", r"\bsentenc", r"\bconvict",
    r"\bdespite\b", r"\bwarning sign", r"red flag", r"\blater\b",
]
STOP = {
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or", "but", "if", "is",
    "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "what", "which",
    "who", "whom", "whose", "when", "where", "how", "why", "would", "you", "your", "their", "there", "any", "each",
    "all", "some", "no", "not", "do", "does", "did", "has", "have", "had", "can", "could", "should", "may",
    "might", "must", "will", "shall", "as", "into", "about", "after", "before", "than", "then", "so", "such",
    "he", "his", "him", "she", "her", "they", "them", "we", "our", "us", "one", "two", "three", "first",
    "second", "third",
}


def _stem(word: str) -> str:
    """A crude stem, so 'adopted', 'adopts' and 'adopt' meet: enough to compare phrasing, not grammar."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _words(text: str) -> list[str]:
    return [_stem(w) for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in STOP]


def _pairs(text: str) -> set[frozenset[str]]:
    """Neighbouring content words, in either order ('case adopted' meets 'adopts the case')."""
    words = _words(text)
    return {frozenset(p) for p in itertools.pairwise(words)}


def _known_vocabulary(library) -> set[tuple[str, str]]:
    """Word pairs anyone in the room knew at the time: the process's own names and descriptions (glossary,
    pathway steps, kinds, agencies), which describe Prevent in general and neither case. These are never
    hindsight, even when a finding also uses them ('case adopted')."""
    from timelines.vocab import AGENCIES, KINDS

    texts = [k.label for k in KINDS] + [a.label for a in AGENCIES]
    texts += [f"{s.title}. {s.description}" for s in library.process.steps] if library.process else []
    texts += ([f"{t.term} {t.stands_for or ''}. {t.definition}" for t in library.glossary.terms]
              if library.glossary else [])
    return set().union(*(_pairs(t) for t in texts))


def _before_outcome(library):
    for case in library.cases.values():
        rows = library.events.query("case_id == @case.id").set_index("event_id")
        outcome = rows.loc[case.outcome_event, "earliest"]
        before = [e for e in case.events if rows.loc[e.id, "latest"] < outcome]
        after = [e for e in case.events if e not in before]
        yield case, rows, before, after


def _early_texts(case, before):
    yield "case title", case.title
    for event in before:
        yield f"{event.id} title", event.title
        if event.question:
            yield f"{event.id} question", event.question


def test_titles_and_questions_before_the_outcome_carry_no_hindsight_marker(library):
    for case, _rows, before, _after in _before_outcome(library):
        assert before, case.id
        for where, text in _early_texts(case, before):
            for marker in HINDSIGHT_MARKERS:
                assert not re.search(marker, text, re.I), f"{case.id} {where}: {text!r} says {marker!r}"


def test_titles_and_questions_before_the_outcome_do_not_name_later_events_or_findings(library):
    """Each early title and question is checked against the words of what came later: the titles of later
    outcome and oversight events, and every finding. A pair of words they share, beyond the process's own
    vocabulary, presupposes what the room could not yet know (a question about 'an earlier review' that
    'was missed', a title about 'the only session')."""
    known = _known_vocabulary(library)
    for case, rows, before, _after in _before_outcome(library):
        for event in before:
            # later outcome and oversight events (attack, courts, reviews, statements): routine later steps of
            # the process itself ('Second referral assessed by ...') repeat its vocabulary, not its hindsight
            later_events = [e for e in case.events if rows.loc[e.id, "earliest"] > rows.loc[event.id, "latest"]
                            and KIND_BY_ID[e.kind].family in ("outcome", "oversight")]
            later = set().union(*(_pairs(e.title) for e in later_events), set())
            later |= set().union(*(_pairs(f.text) for e in case.events for f in e.findings), set())
            later -= known
            for where, text in ((f"{event.id} title", event.title), (f"{event.id} question", event.question or "")):
                shared = _pairs(text) & later
                assert not shared, f"{case.id} {where}: {text!r} shares {sorted(shared)} with later events or findings"
        title_pairs = _pairs(case.title) & (
            set().union(*(_pairs(f.text) for e in case.events for f in e.findings), set()) - known)
        assert not title_pairs, f"{case.id} case title {case.title!r} shares {sorted(title_pairs)} with findings"


def test_the_later_words_check_catches_a_question_that_gives_a_finding_away(library):
    """The check above is not vacuous: the questions this issue removed would fail it."""
    known = _known_vocabulary(library)
    findings = set().union(*(_pairs(f.text) for c in library.cases.values() for e in c.events for f in e.findings))
    for leaked in ("What should happen if the support given did not tackle all the vulnerabilities identified?",
                   "Why was the case exited from Prevent too quickly?"):
        assert _pairs(leaked) & (findings - known), leaked
    assert any(re.search(m, "The only session with the intervention provider", re.I) for m in HINDSIGHT_MARKERS)


# --- the line-by-line checklist (docs/source-checklist.md) -----------------------------------------------

CHECKLIST = DATA.parent / "docs" / "source-checklist.md"


def _checklist_rows() -> list[tuple[str, str]]:
    """(fact id, row text) of every fact row: rows whose first cell is an id like 000-12, S-3 or N-7."""
    rows = []
    for line in CHECKLIST.read_text().splitlines():
        match = re.match(r"\|\s*((?:00\d|[SAPRN])-\d+)\s*\|", line)
        if match:
            rows.append((match.group(1), line))
    return rows


def _targets(library) -> dict[str, set[str]]:
    events = {e.id for c in library.cases.values() for e in c.events} | {e.id for e in library.context.events}
    return {
        "event": events, "commitment": {c.id for c in library.context.commitments},
        "recommendation": {r.id for r in library.context.recommendations}, "source": set(library.sources),
        "term": {t.term for t in library.glossary.terms}, "step": {s.id for s in library.process.steps},
        "total": {c.id for c in library.cases.values() if c.totals},
        "statistic": {y.year_ending for y in library.statistics.years},
    }


def test_every_checklist_reference_names_something_in_the_data(library):
    targets = _targets(library)
    rows = _checklist_rows()
    assert rows
    ids = [fact for fact, _ in rows]
    assert len(ids) == len(set(ids)), "a fact id is used twice in the checklist"
    for fact, line in rows:
        refs = re.findall(r"`(\w+):([^`]+)`", line)
        if "**left out**" in line and not refs:
            continue
        assert refs, f"{fact}: names neither where the data holds it nor why it is left out"
        for kind, ident in refs:
            assert kind in targets, f"{fact}: unknown reference kind '{kind}'"
            assert ident in targets[kind], f"{fact}: {kind} '{ident}' is not in the data"


def test_checklist_counts_match_its_rows_and_the_data(library):
    rows = _checklist_rows()
    left_out = [fact for fact, line in rows if "**left out**" in line]
    block = CHECKLIST.read_text().split("<!-- counts:start -->")[1].split("<!-- counts:end -->")[0]
    numbers = [int(n) for n in re.findall(r"\*\*(\d+)\*\*", block)]
    in_sources, in_data, omitted, disputes, points = numbers
    assert in_sources == len(rows)
    assert omitted == len(left_out)
    assert in_data == len(rows) - len(left_out)
    entries = [d for e in [*library.context.events, *(e for c in library.cases.values() for e in c.events)]
               for d in e.disputed]
    assert disputes == len(entries)
    assert points == len({d.about for d in entries})
    # every event carrying a dispute is in the checklist's table of disputes
    table = CHECKLIST.read_text().split("## Disputes kept")[1].split("## Left out")[0]
    for event in [*library.context.events, *(e for c in library.cases.values() for e in c.events)]:
        if event.disputed:
            assert f"`event:{event.id}`" in table, f"{event.id}'s dispute is not in the checklist"
