"""The case page under load, against the floor: many sessions rerunning at once, as browsers would.

Each session opens Streamlit's own websocket (``/_stcore/stream``, subprotocol ``streamlit``) and asks
for a run of the page the way a browser does (a ``BackMsg`` with ``rerun_script``), waits for the
``script_finished`` message, and asks again. No browser is involved, so this measures the server alone:
the script's work, the figure's JSON and the protocol. Both servers run the same way, one after the
other, in the same process: the case page of ``app.py`` and the one-chart floor page
(``benchmarks/minimal_page.py``). ``run()`` prints throughput and p50/p95 side by side with ratios.
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
TIMEOUT = 180.0  # seconds for one run of the page; a run that takes longer counts as an error


def _rerun_message(page_name: str, query: str) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.rerun_script.page_name = page_name
    msg.rerun_script.query_string = query
    return msg.SerializeToString()


async def _one_run(ws, message: bytes, seen: list[str] | None = None) -> float:
    """Seconds from asking for a run to the server's ``script_finished``; raises on a failed run.

    The type of every element the run sends is appended to ``seen``, if given."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start = time.perf_counter()
    await ws.send(message)
    while True:
        raw = await asyncio.wait_for(ws.recv(), TIMEOUT)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
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


async def _session(url: str, message: bytes, reruns: int, times: list[float], errors: list[str]) -> None:
    import websockets

    try:
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
            for _ in range(reruns):
                times.append(await _one_run(ws, message))
    except Exception as err:  # every failure is counted and printed, never hidden
        errors.append(f"{type(err).__name__}: {err}")


async def _check(url: str, message: bytes) -> list[str]:
    import websockets

    seen: list[str] = []
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
        await _one_run(ws, message, seen)
        await _one_run(ws, message)
    return seen


async def _load(url: str, message: bytes, sessions: int, reruns: int) -> dict:
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
    url = base.replace("http://", "ws://") + "/_stcore/stream"
    message = _rerun_message(page_name, query)
    try:
        seen = asyncio.run(_check(url, message))  # warm-up (imports, caches), and proof the page ran
        if "plotly_chart" not in seen:
            raise RuntimeError(f"{script.name} {page_name!r} drew no chart: {sorted(set(seen))}")
        return asyncio.run(_load(url, message, sessions, reruns))
    finally:
        stop(proc)


def run(sessions: int = SESSIONS, reruns: int = RERUNS) -> list[str]:
    floor = measure(MINIMAL, "", sessions=sessions, reruns=reruns)
    case = measure(APP, "case", sessions=sessions, reruns=reruns)
    head = f"under load, {sessions} sessions x {reruns} reruns (Streamlit's websocket protocol)"
    lines = [
        f"{head}: case page {case['per_s']:.1f} runs/s, floor {floor['per_s']:.1f} runs/s, "
        f"ratio {case['per_s'] / floor['per_s']:.2f} (target >= 0.9)",
        f"{head}: p50 case {case['p50']:.2f} s, floor {floor['p50']:.2f} s, ratio {case['p50'] / floor['p50']:.2f}",
        f"{head}: p95 case {case['p95']:.2f} s, floor {floor['p95']:.2f} s, ratio {case['p95'] / floor['p95']:.2f} "
        "(target <= 1.1)",
        f"{head}: errors case {len(case['errors'])}, floor {len(floor['errors'])} (target 0)",
    ]
    for name, result in (("case", case), ("floor", floor)):
        lines += [f"  {name} error: {e}" for e in sorted(set(result["errors"]))[:3]]
    return lines


if __name__ == "__main__":
    import sys

    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else SESSIONS
    print("\n".join(run(sessions)))
