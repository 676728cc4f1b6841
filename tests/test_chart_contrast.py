"""WCAG 2.2, 1.4.11 (non-text contrast) and 1.4.3 (text) in the charts: every colour a chart draws is
sampled from the figures themselves and measured against the background it is drawn on.

Graphics (markers, outlines of bands and spans, bars, lines, rings, legend keys) need 3:1; text 4.5:1.
A translucent fill is allowed only where an outline at full strength carries the shape. Colours are
composited with their opacity over the background first, as the eye sees them.
"""

from __future__ import annotations

import datetime
import re

import pytest

from tests.conftest import DATA
from timelines import charts, load_library, theme, walkthrough

WHITE = (255, 255, 255)
GRAPHIC, TEXT = 3.0, 4.5


def rgba(colour: str) -> tuple[tuple[int, int, int], float]:
    colour = colour.strip().lower()
    if colour == "white":
        return WHITE, 1.0
    if colour.startswith("#"):
        h = colour[1:]
        return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4)), 1.0
    m = re.fullmatch(r"rgba?\(([^)]*)\)", colour)
    assert m, f"unparsed colour {colour!r}"
    parts = [float(v) for v in m.group(1).split(",")]
    return tuple(int(v) for v in parts[:3]), (parts[3] if len(parts) > 3 else 1.0)


def over(colour: str, background: tuple[int, int, int], opacity: float = 1.0) -> tuple[float, ...] | None:
    """The colour as seen over the background, or None when it is invisible."""
    rgb, alpha = rgba(colour)
    alpha *= opacity
    if alpha == 0:
        return None
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(rgb, background, strict=True))


def luminance(rgb) -> float:
    def f(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (f(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_contrast_sums_are_right():
    assert ratio((0, 0, 0), WHITE) == pytest.approx(21)
    assert ratio(rgba("#767676")[0], WHITE) == pytest.approx(4.54, abs=0.01)
    assert over("rgba(0,0,0,0)", WHITE) is None


def _list(value):
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def graphics(fig):
    """(what, colour, opacity, is it a shape carried by an outline?) for everything a figure draws."""
    out = []
    for t in fig.data:
        name = f"{t.type} '{t.name}'"
        opacity = t.opacity if t.opacity is not None else 1.0
        marker = t.marker
        mopacity = opacity * (marker.opacity if isinstance(marker.opacity, (int, float)) else 1.0)
        if t.type == "bar":
            line = _list(marker.line.color) if marker.line and (marker.line.width or 0) >= 1 else []
            fills = _list(marker.color)
            # the bar is seen by its outline if it has one, else by its fill
            for colour in (line or fills):
                out.append((f"{name} {'outline' if line else 'fill'}", colour, mopacity))
            continue
        mode = t.mode or ""
        if "markers" in mode and marker is not None:
            symbols = _list(marker.symbol) or ["circle"]
            fills = _list(marker.color) or [None]
            lines = _list(marker.line.color) if marker.line is not None else []
            sizes = _list(marker.size)
            for n in range(max(len(fills), len(symbols))):
                if sizes and isinstance(marker.size, (list, tuple)) and not sizes[n % len(sizes)]:
                    continue
                symbol = str(symbols[n % len(symbols)])
                fill = fills[n % len(fills)]
                line = lines[n % len(lines)] if lines else None
                # Plotly strokes an '-open' symbol in marker.color and fills nothing; any other symbol
                # is filled with marker.color and outlined with marker.line.color. A white fill is
                # seen by its outline.
                if symbol.endswith("-open") or symbol in ("x-thin", "cross-thin", "line-ew", "line-ns"):
                    colour = fill
                elif fill is not None and rgba(fill)[0] != WHITE:
                    colour = fill
                else:
                    colour = line
                if colour is not None:
                    out.append((f"{name} marker {symbol}", colour, mopacity))
        if "lines" in mode and t.line is not None and t.line.color is not None:
            out.append((f"{name} line", t.line.color, opacity))
    for s in fig.layout.shapes:
        if s.type == "line" and s.line is not None and s.line.color is not None:
            out.append((f"shape {s.name or ''}", s.line.color, s.opacity if s.opacity is not None else 1.0))
    return out


def texts(fig):
    out = [("title", theme.INK)]
    for a in fig.layout.annotations:
        colour = a.font.color if a.font is not None and a.font.color else theme.INK
        out.append((f"annotation {a.name or a.text[:30]}", colour))
        for span in re.findall(r"color:\s*(#[0-9A-Fa-f]{6})", a.text or ""):
            out.append((f"annotation {a.name} span", span))
    for span in re.findall(r"color:\s*(#[0-9A-Fa-f]{6})", fig.layout.title.text or ""):
        out.append(("title span", span))
    return out


def backgrounds(fig):
    """The grounds a figure draws on: white, and the grey of the context lane if it has one."""
    grounds = [WHITE]
    if any(s.type == "rect" and s.fillcolor for s in fig.layout.shapes):
        grounds += [rgba(s.fillcolor)[0] for s in fig.layout.shapes if s.type == "rect" and s.fillcolor]
    return grounds


def every_figure():
    lib = load_library(DATA)
    figs = [(c.name, c.figure) for c in charts.all_charts(lib, today=datetime.date(2026, 11, 23))]
    for case_id in lib.cases:
        from timelines.figures import case_timeline, filter_events
        figs.append((f"{case_id}-phone", case_timeline(filter_events(lib.events, case_id=case_id),
                                                      case=lib.cases[case_id], context=lib.context, compact=True)))
        total = len(walkthrough.order(lib, case_id))
        for k in sorted({1, max(total // 2, 1), total}):
            at = walkthrough.step(lib, case_id, k)
            figs.append((f"{case_id}-walkthrough-{k}", walkthrough.figure(lib, at)))
            figs.append((f"{case_id}-walkthrough-{k}-revealed", walkthrough.figure(lib, at, reveal=True)))
    return figs


FIGURES = every_figure()


@pytest.mark.parametrize("name, fig", FIGURES, ids=[n for n, _ in FIGURES])
def test_chart_graphics_are_at_least_3_to_1_against_their_background(name, fig):
    sampled = graphics(fig)
    assert sampled, "nothing sampled"
    low = []
    for ground in backgrounds(fig):
        for what, colour, opacity in sampled:
            seen = over(colour, ground, opacity)
            if seen is not None and ratio(seen, ground) < GRAPHIC:
                low.append(f"{what} {colour} at {opacity}: {ratio(seen, ground):.2f}:1 on {ground}")
    assert not low, "\n".join(low)


@pytest.mark.parametrize("name, fig", FIGURES, ids=[n for n, _ in FIGURES])
def test_chart_text_is_at_least_4_5_to_1(name, fig):
    low = [f"{what} {colour}: {ratio(rgba(colour)[0], WHITE):.2f}:1" for what, colour in texts(fig)
           if ratio(rgba(colour)[0], WHITE) < TEXT]
    assert not low, "\n".join(low)


def test_the_walkthrough_legend_keeps_full_strength():
    lib = load_library(DATA)
    case_id = next(iter(lib.cases))
    fig = walkthrough.figure(lib, walkthrough.step(lib, case_id, 2))
    for t in fig.data:
        if t.showlegend is not False:
            assert t.opacity in (None, 1.0)
            assert not isinstance(t.marker.opacity, (list, tuple)) and t.marker.opacity in (None, 1.0)
