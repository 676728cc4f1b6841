"""A generated library for benchmarks: N cases of M events each, valid, with varied dates."""

from __future__ import annotations

import random
from pathlib import Path

from timelines.vocab import AGENCY_IDS, KIND_IDS

SOURCES = """sources:
  - id: bench-a
    title: Generated source A
    publisher: Benchmark
    date: "2025-01-01"
    kind: review
    primary: true
  - id: bench-b
    title: Generated source B
    publisher: Benchmark
    date: "2025"
    kind: news report
    primary: false
"""


def _date(rng: random.Random) -> str:
    year = rng.randint(2010, 2024)
    shape = rng.random()
    if shape < 0.2:
        return f'"{year}"'
    if shape < 0.5:
        return f'"{year}-{rng.randint(1, 12):02d}"'
    return f'"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"'


def case_text(index: int, n_events: int, rng: random.Random) -> str:
    lines = [f"id: case-{index:04d}", f"title: Generated case {index}", "summary: Generated for benchmarks.",
             "subject: A. Person", "outcome_event: e-0", "events:"]
    for e in range(n_events):
        lines += [
            f"  - id: e-{e}",
            f"    date: {_date(rng)}",
            f"    kind: {rng.choice(KIND_IDS)}",
            f"    agency: {rng.choice(AGENCY_IDS)}",
            f"    title: Generated event {e} of case {index}",
            "    detail: A plain-language sentence about what happened, of ordinary length for the site.",
            "    sources:",
            f"      - source: {rng.choice(['bench-a', 'bench-b'])}",
            '        quote: "a short quotation"',
        ]
        if e % 10 == 3:
            lines += ["    findings:", "      - text: A finding.", "        by: A review",
                      '        date: "2025-02"', "        missed_opportunity: true", "        sources:",
                      "          - source: bench-a", '            locator: "paragraph 4"']
    return "\n".join(lines) + "\n"


def generate(root: Path, n_cases: int = 1000, n_events: int = 50, seed: int = 1) -> Path:
    rng = random.Random(seed)
    (root / "cases").mkdir(parents=True, exist_ok=True)
    (root / "sources.yaml").write_text(SOURCES)
    for i in range(n_cases):
        (root / "cases" / f"case-{i:04d}.yaml").write_text(case_text(i, n_events, rng))
    return root
