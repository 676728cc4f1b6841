"""What a run of the app charted, read from an AppTest: every chart's figure and text alternative, in page
order, whichever element drew it (plotly.js's basic bundle through ``components.plotly_view``, or
``st.plotly_chart`` for a figure that bundle cannot draw)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from streamlit.testing.v1 import AppTest

from components.plotly_view import BUNDLE


@dataclass(frozen=True)
class SentChart:
    spec: dict  # the figure as sent: {"data": [...], "layout": {...}}
    alt: str  # the chart's text alternative (its aria-label)
    config: dict  # plotly.js's config (the modebar's download)
    element: str  # "basic" (components.plotly_view) or "plotly_chart"
    raw: str  # what went to the browser for the figure, as sent (the same text means no redraw)


def _read(element) -> SentChart | None:
    if element.type == "plotly_chart":
        return SentChart(json.loads(element.proto.spec), element.proto.alt, json.loads(element.proto.config or "{}"),
                         "plotly_chart", element.proto.spec)
    if element.type == "bidi_component" and element.proto.component_name == "timelines_plotly":
        sent = json.loads(json.loads(element.proto.json))  # the component's data: one JSON string
        assert sent["src"].endswith(f"/app/static/{BUNDLE['file']}?v={BUNDLE['version']}"), sent["src"]
        return SentChart(sent["figure"], sent["alt"], sent["config"], "basic", element.proto.json)
    return None


def sent_charts(at: AppTest) -> list[SentChart]:
    """Every chart of the run, in page order."""
    return [chart for element in at._tree if (chart := _read(element)) is not None]
