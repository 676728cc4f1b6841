"""`make bench`: print the project's performance figures. A benchmark, not a test: it never fails on a
figure, it prints it next to its target."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.generate import generate

REPO = Path(__file__).resolve().parent.parent
N_CASES, N_EVENTS = 1000, 50

# Timed in a fresh interpreter each time, so no import, memory cache or date cache carries over.
_TIMED_LOAD = """
import json, sys, time
from timelines import load_library, loading
start = time.perf_counter()
library = load_library(sys.argv[1])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "events": len(library.events), "problems": len(library.problems)}))
"""


def _timed_load(root: Path, cache: str) -> dict:
    env = {**os.environ, "TIMELINES_CACHE_DIR": cache}
    done = subprocess.run([sys.executable, "-c", _TIMED_LOAD, str(root)], capture_output=True, text=True,
                          env=env, cwd=REPO, check=True)
    return json.loads(done.stdout)


def load_bench() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "library", N_CASES, N_EVENTS)
        cache = str(Path(tmp) / "cache")
        cold = min((_timed_load(root, "off") for _ in range(3)), key=lambda r: r["seconds"])
        first = _timed_load(root, cache)  # cold, and writes the cache
        warm = min((_timed_load(root, cache) for _ in range(3)), key=lambda r: r["seconds"])
        assert cold["problems"] == 0 and cold["events"] == N_CASES * N_EVENTS
        label = f"load and validate {N_CASES:,} cases x {N_EVENTS} events ({cold['events']:,} events)"
        return [
            f"{label}, cold (no cache):            {cold['seconds']:6.2f} s   (target < 6 s)",
            f"{label}, cold, writing the cache:    {first['seconds']:6.2f} s",
            f"{label}, unchanged (disk cache):     {warm['seconds']:6.2f} s   (target < 0.5 s)",
        ]


# Further benchmarks register here as modules with a run() -> list[str]; missing ones are skipped.
EXTRA = ("benchmarks.site_bench", "benchmarks.static_bench", "benchmarks.export_bench", "benchmarks.load_bench",
         "benchmarks.large_case", "benchmarks.pages_bench")


def main() -> int:
    print(f"Benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for line in load_bench():
        print(line, flush=True)
    for name in EXTRA:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:
                raise
            continue
        for line in module.run():
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
