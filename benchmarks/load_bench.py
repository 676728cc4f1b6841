"""The case page under load, against the floor: many sessions rerunning at once, as browsers would.

Each session opens Streamlit's own websocket (``/_stcore/stream``, subprotocol ``streamlit``) and asks
for a run of the page the way a browser does (a ``BackMsg`` with ``rerun_script``), waits for the
``script_finished`` message, and asks again. No browser is involved, so this measures the server alone:
the script's work, the figure's JSON and the protocol. Like a browser, each session keeps the large
messages it has received (those the server marks ``cacheable``, 10 kB and more) and lists their hashes in
every rerun it asks for, so that the server sends a reference instead of a message the session already
holds (Streamlit's forward-message cache; the browser's ``cachedMessageHashes``). Both servers run the
same way, one after the other, alternating for several rounds: the case page of ``app.py`` and the
one-chart floor page (``benchmarks/minimal_page.py``). ``run()`` prints throughput and p50/p95 side by
side with ratios (the median of the rounds' ratios, and each round's).
``python -m benchmarks.load_bench [SESSIONS [ROUNDS]]``.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from tests.browser.server import serve, stop

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app.py"
MINIMAL = REPO / "benchmarks" / "minimal_page.py"
SESSIONS = 50
RERUNS = 4
ROUNDS = 3  # floor, case, floor, case, ...: the ratio is each round's, and their median
TIMEOUT = 180.0  # seconds for one run of the page; a run that takes longer counts as an error


def _rerun_message(page_name: str, query: str, cached: set[str] | None = None) -> bytes:
    """A rerun as the browser asks for it, listing the hashes of the cached messages it holds."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.rerun_script.page_name = page_name
    msg.rerun_script.query_string = query
    msg.rerun_script.cached_message_hashes.extend(sorted(cached or ()))
    return msg.SerializeToString()


async def _one_run(ws, message: tuple[str, str], seen: list[str] | None = None,
                   cached: set[str] | None = None) -> float:
    """Seconds from asking for a run to the server's ``script_finished``; raises on a failed run.

    ``message`` is the (page name, query string) to run. The type of every element the run sends is
    appended to ``seen``, if given; the hash of every cacheable message is added to ``cached`` (the
    session's message cache, sent with the next rerun)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    cached = set() if cached is None else cached
    start = time.perf_counter()
    await ws.send(_rerun_message(*message, cached))
    while True:
        raw = await asyncio.wait_for(ws.recv(), TIMEOUT)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if msg.metadata.cacheable and msg.hash:
            cached.add(msg.hash)
        if kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise RuntimeError("the page did not compile")
            return time.perf_counter() - start
        if kind == "delta":
            element = msg.delta.new_element.WhichOneof("type")
            if element == "exception":
                raise RuntimeError(msg.delta.new_element.exception.message)
            if seen is not None and element:
                seen.append(element)


async def _session(url: str, message: tuple[str, str], reruns: int, times: list[float], errors: list[str]) -> None:
    import websockets

    try:
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
            cached: set[str] = set()  # this session's message cache, as a browser tab keeps it
            for _ in range(reruns):
                times.append(await _one_run(ws, message, cached=cached))
    except Exception as err:  # every failure is counted and printed, never hidden
        errors.append(f"{type(err).__name__}: {err}")


async def _check(url: str, message: tuple[str, str]) -> list[str]:
    import websockets

    seen: list[str] = []
    cached: set[str] = set()
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
        await _one_run(ws, message, seen, cached)
        await _one_run(ws, message, cached=cached)
    return seen


async def _load(url: str, message: tuple[str, str], sessions: int, reruns: int) -> dict:
    times: list[float] = []
    errors: list[str] = []
    start = time.perf_counter()
    await asyncio.gather(*(_session(url, message, reruns, times, errors) for _ in range(sessions)))
    wall = time.perf_counter() - start
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else float("nan")
    return {"runs": len(times), "wall": wall, "per_s": len(times) / wall if wall else 0.0,
            "p50": statistics.median(ordered) if ordered else float("nan"), "p95": p95, "errors": errors}


def measure(script: Path, page_name: str, query: str = "", *, sessions: int = SESSIONS,
            reruns: int = RERUNS) -> dict:
    """Serve ``script``, warm it up with one session, then drive ``sessions`` x ``reruns`` runs."""
    proc, base = serve(script)
    try:
        url, message = _warm(base, script, page_name, query)
        return asyncio.run(_load(url, message, sessions, reruns))
    finally:
        stop(proc)


def _warm(base: str, script: Path, page_name: str, query: str) -> tuple[str, tuple[str, str]]:
    url = base.replace("http://", "ws://") + "/_stcore/stream"
    message = (page_name, query)
    seen = asyncio.run(_check(url, message))  # warm-up (imports, caches), and proof the page ran
    if not {"plotly_chart", "bidi_component"} & set(seen):  # st.plotly_chart (the floor) or the app's own chart
        raise RuntimeError(f"{script.name} {page_name!r} drew no chart: {sorted(set(seen))}")
    return url, message


def measure_alternating(rounds: int = ROUNDS, *, sessions: int = SESSIONS, reruns: int = RERUNS,
                        query: str = "") -> list[tuple[dict, dict]]:
    """(floor, case) results per round: both servers up and warm, the floor's load then the case page's,
    ``rounds`` times, so that a busy spell on the machine falls on both."""
    servers = {"floor": serve(MINIMAL), "case": serve(APP)}
    try:
        floor = _warm(servers["floor"][1], MINIMAL, "", "")
        case = _warm(servers["case"][1], APP, "case", query)
        return [(asyncio.run(_load(*floor, sessions, reruns)), asyncio.run(_load(*case, sessions, reruns)))
                for _ in range(rounds)]
    finally:
        for proc, _ in servers.values():
            stop(proc)


def run(sessions: int = SESSIONS, reruns: int = RERUNS, rounds: int = ROUNDS) -> list[str]:
    results = measure_alternating(rounds, sessions=sessions, reruns=reruns)
    head = f"under load, {sessions} sessions x {reruns} reruns (Streamlit's websocket protocol, {rounds} rounds)"
    throughput = [c["per_s"] / f["per_s"] for f, c in results]
    p50 = [c["p50"] / f["p50"] for f, c in results]
    p95 = [c["p95"] / f["p95"] for f, c in results]
    errors = {"case": [e for _, c in results for e in c["errors"]],
              "floor": [e for f, _ in results for e in f["errors"]]}

    def each(values: list[float]) -> str:
        return ", ".join(f"{v:.2f}" for v in values)

    lines = [
        f"{head}: case page {statistics.median(c['per_s'] for _, c in results):.1f} runs/s, floor "
        f"{statistics.median(f['per_s'] for f, _ in results):.1f} runs/s, ratio {statistics.median(throughput):.2f} "
        f"(each round {each(throughput)}; target >= 0.9)",
        f"{head}: p50 case {statistics.median(c['p50'] for _, c in results):.2f} s, floor "
        f"{statistics.median(f['p50'] for f, _ in results):.2f} s, ratio {statistics.median(p50):.2f} "
        f"(each round {each(p50)})",
        f"{head}: p95 case {statistics.median(c['p95'] for _, c in results):.2f} s, floor "
        f"{statistics.median(f['p95'] for f, _ in results):.2f} s, ratio {statistics.median(p95):.2f} "
        f"(each round {each(p95)}; target <= 1.1)",
        f"{head}: errors case {len(errors['case'])}, floor {len(errors['floor'])} (target 0)",
    ]
    for name, found in errors.items():
        lines += [f"  {name} error: {e}" for e in sorted(set(found))[:3]]
    return lines


if __name__ == "__main__":
    import sys

    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else SESSIONS
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else ROUNDS
    print("\n".join(run(sessions, rounds=rounds)))
