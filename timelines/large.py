"""Large cases: above a threshold of points, marker traces are drawn with WebGL (``scattergl``).

SVG draws a thousand markers quickly but zooms ten thousand slowly (every marker is a DOM node); WebGL
costs about a second to start on a machine without a GPU but zooms and pans tens of thousands of points
smoothly. So a figure keeps SVG up to :data:`GL_THRESHOLD` points and switches its marker-only traces
(the events, the missed-opportunity rings, the selection) to WebGL above it. Bars, lines and arrows stay
SVG: they are few, and WebGL lacks their patterns and arrowheads. Nothing else about a trace changes, so
``figures.event_keys`` and the hover text read the same either way.

Measured here (``python -m benchmarks.large_case``; headless Chromium with software GL, a heavily shared
2-core machine): WebGL did not yet zoom 10,000 events faster than SVG and was slower to draw first, so
the threshold is a setting (``TIMELINES_GL_THRESHOLD``) to be judged on a machine with a GPU.
"""

from __future__ import annotations

import os

GL_THRESHOLD = int(os.environ.get("TIMELINES_GL_THRESHOLD", 2000))
_MARKER_ROLES = ("event", "missed", "selected")


def webgl_above_threshold(traces: list[dict], threshold: int | None = None) -> list[dict]:
    """The traces, with marker-only scatter traces as ``scattergl`` when the figure has more than
    ``threshold`` event markers (default :data:`GL_THRESHOLD`)."""
    limit = GL_THRESHOLD if threshold is None else threshold
    points = sum(len(t.get("x") or ()) for t in traces if (t.get("meta") or {}).get("role") == "event")
    if points <= limit:
        return traces
    return [dict(t, type="scattergl") if t.get("type") == "scatter" and t.get("mode") == "markers"
            and (t.get("meta") or {}).get("role") in _MARKER_ROLES else t for t in traces]
