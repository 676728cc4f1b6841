"""A self-contained static site: ``python -m timelines build-site OUT/``.

An index, one page per case (charts with their tables, every event with its sources, findings and
disagreements, the sources as footnotes) and a sources and glossary page, written from Jinja2 templates
(``timelines/templates/``) with autoescaping. Each chart shows first as an image pre-rendered by kaleido
(cached by the figure's content) and becomes interactive when plotly.js's basic bundle, shipped in
``assets/`` beside the pages and loaded deferred, has drawn it. Nothing is fetched from any other host.

Modules: :mod:`.render` (templates, assets, a chart's view), :mod:`.pages` (what each page says),
:mod:`.images` (the pre-rendered images), :mod:`.build` (the output folder, incremental and parallel builds).
"""

from __future__ import annotations

from .build import MARKER, SiteError, build_site, site_size

__all__ = ["MARKER", "SiteError", "build_site", "site_size"]
