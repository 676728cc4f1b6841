"""The images a page shows before plotly.js has drawn its charts, and the link-preview image.

Each chart gets a WebP image drawn by kaleido (as the slide exports are) at the page's width and the
figure's height, at 2x (sharp on phones and in print), and a chart with a phone layout gets that layout
drawn at each phone width of :data:`.render.PHONE_WIDTHS`. Not SVG: an SVG image of a chart holds
a thousand elements that the browser must style and lay out on its main thread (measured with Lighthouse:
about 1 s of blocking time on its simulated phone), while a raster image is decoded off it. Each case's
timeline also gets its 16:9 slide PNG (2560 x 1440) for Open Graph previews. An image
is named by the hash of what it is drawn from (figure JSON, size, format, plotly version), so it is drawn
once: later builds take it from the previous build in the output folder or from the per-user cache
(``~/.cache/prevent-timelines/site-images``), and only new or changed figures reach the browser.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import threading
import warnings
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import plotly

from .. import export

SLIDE = (export.SLIDE_WIDTH, export.SLIDE_HEIGHT, export.SCALE)
# WebP images are drawn as PNG by kaleido and stored as lossless WebP (Pillow, effort 80, method 3): a
# chart's flat colours and hard-edged text compress better without loss than with it (the Southport phone
# timeline, 720 x 6,028 px: 294 KB from chromium's lossy WebP, 137 KB lossless), and nothing blurs. Part
# of each image's name, so a change of encoding draws the images again.
ENCODING = "lossless-q80-m3"


@dataclass(frozen=True)
class Image:
    """One image to have in the build: ``img/<key>.<fmt>``."""

    fmt: str  # "webp" (a chart's first look) or "png" (the slide, for link previews)
    figure: str  # the figure's JSON
    width: int
    height: int

    @property
    def key(self) -> str:
        digest = hashlib.sha256(f"{self.fmt}|{ENCODING}|{self.width}x{self.height}|{plotly.__version__}|".encode())
        digest.update(self.figure.encode())
        return digest.hexdigest()[:24]

    @property
    def path(self) -> str:
        return f"img/{self.key}.{self.fmt}"


def cache_dir() -> Path | None:
    """The per-user image cache, or None when caching is off (TIMELINES_CACHE_DIR=off)."""
    setting = os.environ.get("TIMELINES_CACHE_DIR")
    if setting == "off":
        return None
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "prevent-timelines"
    base = Path(setting) if setting else home
    return base / "site-images"


def reuse(image: Image, out: Path, previous: Path | None) -> bool:
    """Put an already drawn copy of ``image`` into ``out``; False if none exists."""
    target = out / image.path
    if target.exists():
        return True
    for folder in (previous, cache_dir()):
        if folder is None:
            continue
        found = folder / (image.path if folder == previous else f"{image.key}.{image.fmt}")
        if found.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(found, target)
            return True
    return False


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def draw(images: Iterable[Image], out: Path) -> int:
    """Draw the images (one kaleido browser for all), write them into ``out`` and the cache; return how many."""
    import plotly.io as pio

    todo = {image.key: image for image in images}
    if not todo:
        return 0
    cache = cache_dir()
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    (out / "img").mkdir(parents=True, exist_ok=True)
    def store(image: Image, png: bytes) -> None:  # encoded and written while chromium draws the next one
        data = _webp(png) if image.fmt == "webp" else png
        (out / image.path).write_bytes(data)
        if cache:
            tmp = cache / f".{image.key}.{os.getpid()}.{threading.get_ident()}.tmp"
            tmp.write_bytes(data)
            tmp.replace(cache / f"{image.key}.{image.fmt}")

    with export.image_server(), warnings.catch_warnings(), ThreadPoolExecutor(max_workers=1) as encoder:
        warnings.simplefilter("ignore", UserWarning)
        stored = []
        for image in todo.values():
            fig = json.loads(image.figure)
            fig = {"data": fig["data"], "layout": {**fig["layout"], "width": image.width, "height": image.height,
                                                    "autosize": False}}
            scale = SLIDE[2]  # 2x: sharp on a phone's screen and in print
            png = pio.to_image(fig, format="png", width=image.width, height=image.height, scale=scale,
                               validate=False)
            stored.append(encoder.submit(store, image, png))
        for done in stored:
            done.result()  # an error in encoding or writing is raised here
    return len(todo)


def _webp(png: bytes) -> bytes:
    """A PNG as lossless WebP (see :data:`ENCODING`)."""
    from PIL import Image as Picture

    out = io.BytesIO()
    with Picture.open(io.BytesIO(png)) as picture:
        picture.save(out, "WEBP", lossless=True, quality=80, method=3)
    return out.getvalue()


def available() -> bool:
    return export.available()
