"""Server-rendered images for briefings: PNG at 16:9 slide size (2x) and SVG, drawn by kaleido with
Debian's chromium, from the same figures (template, title, subtitle, legend, source line) as the site.

One browser serves every image: :func:`image_server` starts kaleido's server once and stops it after,
and :func:`render` reuses it when it is running.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import stat
import sys
import threading
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

import plotly.graph_objects as go

SLIDE_WIDTH, SLIDE_HEIGHT, SCALE = 1280, 720, 2  # a 16:9 slide; PNGs come out 2560 x 1440
FORMATS = ("png", "svg")
# Flags that keep chromium from calling out on a closed network (kaleido does not pass them itself).
CHROMIUM_FLAGS = ("--disable-background-networking", "--disable-quic", "--disable-component-update",
                  "--no-first-run", "--disable-sync")
_LOCK = threading.Lock()
_SERVER = {"running": False}


class ExportError(RuntimeError):
    """Images cannot be made here: no chromium, or it failed to start."""


def find_chromium() -> str:
    """The chromium to render with: $BROWSER_PATH's target, else chromium on PATH."""
    for name in (os.environ.get("TIMELINES_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and (found := shutil.which(name)):
            return found
    raise ExportError("no chromium found: install Debian's package (apt-get install chromium) "
                      "or set TIMELINES_CHROMIUM to the browser's path")


def browser_wrapper() -> Path:
    """A two-line script that starts chromium with the closed-network flags; kaleido runs it."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "prevent-timelines"
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "chromium-for-kaleido"
    body = f"#!/bin/sh\nexec {find_chromium()} {' '.join(CHROMIUM_FLAGS)} \"$@\"\n"
    if not script.exists() or script.read_text() != body:
        tmp = script.with_suffix(".tmp")
        tmp.write_text(body)
        tmp.chmod(tmp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        tmp.replace(script)
    return script


def _configure() -> None:
    os.environ["BROWSER_PATH"] = str(browser_wrapper())


@contextlib.contextmanager
def image_server() -> Iterator[None]:
    """Start one browser for a batch of images, and stop it after."""
    import kaleido

    with _LOCK:
        if _SERVER["running"]:
            yield
            return
        _configure()
        kaleido.start_sync_server(n=1, mathjax=False, silence_warnings=True)
        _SERVER["running"] = True
    try:
        yield
    finally:
        with _LOCK:
            kaleido.stop_sync_server(silence_warnings=True)
            _SERVER["running"] = False


_RENDER_LOCK = threading.Lock()


def _stop_server() -> None:
    import kaleido

    with _LOCK:
        if _SERVER["running"]:
            kaleido.stop_sync_server(silence_warnings=True)
            _SERVER["running"] = False


def render_on_demand(fig: go.Figure, fmt: str) -> bytes:
    """One image for a page's download button: the browser is started on first use and kept for the
    next ones (stopped when the process ends); renders run one at a time."""
    import kaleido

    with _LOCK:
        if not _SERVER["running"]:
            _configure()
            kaleido.start_sync_server(n=1, mathjax=False, silence_warnings=True)
            _SERVER["running"] = True
            atexit.register(_stop_server)
    with _RENDER_LOCK:
        return render(fig, fmt)


def available() -> bool:
    """Can images be rendered here (is there a chromium)?"""
    try:
        find_chromium()
    except ExportError:
        return False
    return True


def slide(fig: go.Figure) -> go.Figure:
    """The figure laid out for a 16:9 slide (a copy; the original is untouched)."""
    out = go.Figure(fig)
    legend_y, height = out.layout.legend.y, out.layout.height
    if legend_y is not None and height and out.layout.legend.yref in (None, "container"):
        # the legend sits a fixed distance under the subtitle: keep that distance at the slide's height
        out.update_layout(legend_y=1 - (1 - legend_y) * height / SLIDE_HEIGHT)
    out.update_layout(width=SLIDE_WIDTH, height=SLIDE_HEIGHT, autosize=False)
    return out


def render(fig: go.Figure, fmt: str) -> bytes:
    """One image as bytes: 'png' (2560 x 1440) or 'svg' (1280 x 720 units)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if not _SERVER["running"]:
        _configure()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "kopts ignored when using a server"
        return slide(fig).to_image(format=fmt, width=SLIDE_WIDTH, height=SLIDE_HEIGHT,
                                   scale=SCALE if fmt == "png" else 1)


def write_images(named: Iterable[tuple[str, go.Figure]], out: Path, *, total: int | None = None,
                 formats: tuple[str, ...] = FORMATS, progress: bool = True) -> list[Path]:
    """Write every figure in every format to ``out``, with one browser and a progress bar."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with image_server():
        for n, (name, fig) in enumerate(named, start=1):
            for fmt in formats:
                path = out / f"{name}.{fmt}"
                path.write_bytes(render(fig, fmt))
                written.append(path)
            if progress:
                _progress(n, total, name)
    if progress:
        print(file=sys.stderr)
    return written


def _progress(n: int, total: int | None, name: str, width: int = 30) -> None:
    if total:
        filled = round(width * n / total)
        bar = f"[{'#' * filled}{'.' * (width - filled)}] {n}/{total}"
    else:
        bar = f"{n} charts"
    print(f"\r{bar} {name[:40]:<40}", end="", file=sys.stderr, flush=True)
