"""`python -m timelines validate`: every broken input gets exit 1 and a message naming file, line, field."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import CASE, REPO, write_library
from timelines.cli import main
from timelines.yamlio import MAX_BYTES

# name, (old, new) replacement in CASE (or whole text/bytes), expected line, field, message pattern
BROKEN = [
    ("month-13", ('"2019-12"', '"2019-13"'), 8, "events[0].date", r"month 13"),
    ("february-30", ('"2024-07-29"', '"2021-02-30"'), 16, "events[1].date", r"February 2021 has 28 days"),
    ("malformed-date", ('"2019-12"', '"12/2019"'), 8, "events[0].date", r"not a date; write YYYY"),
    ("unknown-key", ("    title: Referred", "    titel: Referred"), 11, "events[0].titel",
     r"unknown key 'titel'.*did you mean 'title'"),
    ("unknown-kind", ("kind: referral", "kind: referal"), 9, "events[0].kind",
     r"unknown kind 'referal'.*did you mean 'referral'.*allowed values: referral, police_assessment"),
    ("unknown-agency", ("agency: school", "agency: skool"), 10, "events[0].agency",
     r"unknown agency 'skool'.*did you mean 'school'"),
    ("empty-sources", ('    sources:\n      - source: src-a\n        quote: "referred"\n', "    sources: []\n"),
     12, "events[0].sources", r"no source cited"),
    ("no-sources-key", ('    sources:\n      - source: src-a\n        quote: "referred"\n', ""),
     7, "events[0].sources", r"required key 'sources' is missing"),
    ("unknown-source", ('source: src-a\n        quote', 'source: src-z\n        quote'), 13,
     "events[0].sources[0].source", r"source 'src-z' is not in sources.yaml.*similar: .*src-a"),
    ("no-quote-or-locator", ('        quote: "referred"\n', ""), 13, "events[0].sources[0]",
     r"needs a quote or a locator"),
    ("missing-outcome", ("outcome_event: attack", "outcome_event: attak"), 5, "outcome_event",
     r"outcome event 'attak' is not an event"),
    ("duplicate-id", ("  - id: attack", "  - id: referral"), 15, "events[1].id", r"duplicate id 'referral'"),
    ("end-before-start", ('    date: "2019-12"\n', '    date: "2019-12"\n    end: "2019-01"\n'), 7,
     "events[0]", r"end 2019-01 is before the start 2019-12"),
    ("between-without-until", ('    date: "2019-12"\n', '    date: "2019-12"\n    date_qualifier: between\n'),
     7, "events[0]", r"'between' needs date_until"),
    ("unknown-qualifier", ('    date: "2019-12"\n', '    date: "2019-12"\n    date_qualifier: abuot\n'),
     9, "events[0].date_qualifier", r"unknown date_qualifier 'abuot'.*did you mean 'about'"),
    ("age-as-text", ('    agency: school\n', '    agency: school\n    age: "13"\n'), 11, "events[0].age",
     r"expected a whole number, got str.*remove the quotes"),
    ("bad-id", ("  - id: referral", "  - id: First Referral"), 7, "events[0].id",
     r"'First Referral' is not a valid id"),
    ("long-quote", ('quote: "referred"', 'quote: "' + "x" * 301 + '"'), 14, "events[0].sources[0].quote",
     r"quote is 301 characters, over the limit of 300"),
    ("long-title", ("title: Referred to Prevent", "title: " + "Referred " * 30), 11, "events[0].title",
     r"title is 2\d\d characters, over the limit of 200.*put the rest in 'detail'"),
    ("year-1500", ('"2019-12"', '"1500-12"'), 8, "events[0].date", r"year 1500; dates from 1700 to 2200"),
    ("year-2300", ('"2024-07-29"', '"2300-07-29"'), 16, "events[1].date", r"year 2300; dates from 1700 to 2200"),
    ("year-0000", ('"2019-12"', '"0000"'), 8, "events[0].date", r"year 0; dates from 1700 to 2200"),
    ("yaml-syntax", ("title: Referred to Prevent", "title: [Referred to Prevent"), 12, "(file)",
     r"YAML syntax error"),
    ("root-is-a-list", "- just\n- a list\n", 1, "(file)", r"top level is a list, not a mapping"),
    ("empty-file", "", 0, "(file)", r"the file is empty"),
    ("binary-junk", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 0, "(file)", r"binary data"),
    ("not-utf8", b"id: caf\xe9\n", 0, "(file)", r"not UTF-8 text"),
    ("alias-bomb", "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdef", "bcdefg", strict=True)), 0, "(file)",
     r"expands to more than 200,000 values"),
    ("oversized", "# " + "x" * MAX_BYTES + "\n", 0, "(file)",
     rf"over the limit of {MAX_BYTES:,}.*TIMELINES_MAX_FILE_BYTES"),
    ("id-not-file-name", ("id: demo", "id: other"), 1, "id", r"case id 'other' differs from the file name"),
    ("wrong-type-list", ("events:\n", "events: yes\nx:\n"), 6, "events", r"expected a list"),
]


def _text(change):
    if isinstance(change, tuple):
        old, new = change
        assert old in CASE, f"test table out of date: {old!r} not in CASE"
        return CASE.replace(old, new, 1)
    return change


@pytest.mark.parametrize(("name", "change", "line", "field", "pattern"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_input_is_reported(tmp_path, capsys, name, change, line, field, pattern):
    root = write_library(tmp_path / "lib", _text(change))
    code = main(["validate", str(root)])
    out = capsys.readouterr().out
    assert code == 1, out
    where = f"cases/demo.yaml:{line}: " if line else "cases/demo.yaml: "
    matching = [block for block in out.split("\n") if where in block and f" {field}: " in block]
    assert matching, f"no problem at {where}{field} in:\n{out}"
    # the message and its hint (on the next line) together match
    full = out[out.index(matching[0]):]
    full = full[: full.find("\n", full.find("hint:")) if "hint:" in full else None]
    assert re.search(pattern, full, re.S), f"{pattern!r} not in {full!r}"
    assert "hint:" in full


def test_table_is_big_enough():
    assert len(BROKEN) >= 20


def test_clean_library_exits_zero_with_summary(library_dir, capsys):
    assert main(["validate", str(library_dir)]) == 0
    assert capsys.readouterr().out.strip() == "1 cases, 2 events, 2 sources (0 context events): OK"


def test_every_problem_is_reported_not_just_the_first(tmp_path, capsys):
    text = CASE.replace('"2019-12"', '"2019-13"').replace("agency: subject", "agency: nobody")
    text = text.replace("outcome_event: attack", "outcome_event: gone")
    main(["validate", str(write_library(tmp_path / "lib", text))])
    out = capsys.readouterr().out
    assert "events[0].date" in out and "events[1].agency" in out


def test_command_line_entry_point_runs_as_a_module(library_dir):
    done = subprocess.run([sys.executable, "-m", "timelines", "validate", str(library_dir)],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(": OK\n")
    done = subprocess.run([sys.executable, "-m", "timelines", "validate", str(library_dir / "nowhere")],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 1
    assert "does not exist" in done.stdout


PROCESS = """\
steps:
  - id: referral
    title: Referral
    description: A referral is made.
    kinds: [referral]
    sources:
      - source: src-a
        locator: "process section"
  - id: exit
    title: Exit
    description: Exit from Channel.
    kinds: [exit]
    expected_from: referal
    sources:
      - source: src-a
        locator: "process section"
"""


def test_unknown_pathway_steps_are_reported(tmp_path, capsys):
    case = CASE.replace("    title: Referred to Prevent\n", "    title: Referred to Prevent\n    step: referal\n")
    root = write_library(tmp_path / "lib", case, process=PROCESS)
    assert main(["validate", str(root)]) == 1
    out = capsys.readouterr().out
    assert "cases/demo.yaml:12: events[0].step: step 'referal' is not a step of data/process.yaml" in out
    assert "process.yaml:13: steps[1].expected_from: step 'referal'" in out
    assert "did you mean 'referral'?" in out
