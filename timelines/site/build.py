"""Writing the site: a safe output folder, a parallel build, and a rebuild that redoes only what changed.

- ``OUT`` must be empty, absent, or an earlier build (it holds :data:`MARKER`); anything else is refused,
  so pointing the command at ``data/`` or a home folder never deletes a file.
- The site is written into a temporary folder beside ``OUT``, which replaces ``OUT`` only when complete.
- Each case page is keyed by a hash of what it is made from (the case, the sources and context it draws on,
  the date, the code and templates); a page whose key is unchanged is carried over from the previous build
  (hard-linked, not rewritten), so an incremental rebuild renders only the cases whose data changed.
- Case pages are rendered by one process per core for a large library; images are drawn afterwards by one
  kaleido browser, only those not already drawn (see :mod:`.images`).
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

from ..charts import case_chart_layouts, case_charts, overview_charts
from ..loading import Library
from . import images as imaging
from .pages import case_page, index_page, sources_page
from .render import code_fingerprint, render, write_assets, write_figure

MARKER = ".timelines-site.json"
PARALLEL_FROM = 40  # cases; fewer are written faster in one process
CHUNK = 25
CONTENT_NAMED = ("img", "figures")  # folders of files named by their content's hash


class SiteError(RuntimeError):
    """The site cannot be written where asked."""


def _check_out(out: Path) -> dict | None:
    """The previous build's manifest; None if ``out`` is absent or empty. Raises for any other folder."""
    if not out.exists():
        return None
    if not out.is_dir():
        raise SiteError(f"{out} is a file, not a folder: choose a folder for the site")
    marker = out / MARKER
    if marker.is_file():
        try:
            return json.loads(marker.read_text())
        except (OSError, ValueError):
            return {"pages": {}}
    if any(out.iterdir()):
        raise SiteError(f"{out} is not empty and is not an earlier build of the site (it has no {MARKER}); "
                        "refusing to replace it. Choose an empty or new folder, e.g. site/")
    return None


def _digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _shared_key(library: Library, today: date, settings: str) -> str:
    context = library.context.model_dump_json() if library.context else ""
    process = library.process.model_dump_json() if library.process else ""
    return _digest(code_fingerprint(), str(today), settings, context, process)


def case_key(library: Library, case_id: str, shared: str) -> str:
    case = library.cases[case_id]
    cited = sorted({c.source for e in case.events for c in e.sources}
                   | {c.source for e in case.events for f in e.findings for c in f.sources}
                   | {c.source for e in case.events for d in e.disputed for cl in d.claims for c in cl.sources})
    sources = "".join(library.sources[s].model_dump_json() for s in cited if s in library.sources)
    return _digest(shared, case.model_dump_json(), sources)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _charts(library: Library, case_id: str, today: date) -> tuple[list, list, str | None]:
    """A case's charts, in the desktop and the phone layouts; none, and why, if they cannot be drawn."""
    try:
        return (*case_chart_layouts(library, case_id, today=today), None)
    except Exception as err:  # one case's bad data never stops the others' pages
        return [], [], f"{type(err).__name__}: {err}"


def _case_pages(library: Library, case_ids: list[str], tmp: Path, today: date, images: bool,
                base_url: str, previous: Path | None) -> list[tuple[str, list[imaging.Image], str | None]]:
    """Render the pages of ``case_ids`` into ``tmp``; return each page's path, the images it still needs,
    and the problem that kept its charts (or, failing that, its page) from being drawn."""
    done = []
    for case_id in case_ids:
        desktop, phone, problem = _charts(library, case_id, today)
        try:
            page, context = case_page(library, case_id, desktop, images=images, compact=phone, problem=problem)
            for section in context["sections"]:
                write_figure(section["chart"], tmp)
                if section["chart"].phone:
                    write_figure(section["chart"].phone, tmp)
            _write(tmp / page.path, render("case.html", page=page, up="../", base_url=base_url, **context))
        except Exception as err:
            done.append((f"cases/{case_id}.html", [], f"{type(err).__name__}: {err} (no page written)"))
            continue
        missing = [i for i in page.images if not imaging.reuse(i, tmp, previous)]
        done.append((page.path, missing, problem))
    return done


_FORKED: dict[str, object] = {}  # the library and settings, handed to forked workers without pickling


def _worker(case_ids: list[str]):
    return _case_pages(_FORKED["library"], case_ids, *_FORKED["args"])


def build_site(library: Library, out: Path, *, today: date | None = None, jobs: int | None = None,
               images: bool = False, base_url: str = "",
               progress: Callable[[int, int, str], None] | None = None,
               problems: dict[str, str] | None = None) -> list[Path]:
    """Write the static site for ``library`` into ``out``; return the pages written or carried over.

    ``images`` pre-renders each chart as an image (shown until plotly.js has drawn it, and in print) and
    each case's slide PNG for link previews: it needs chromium. ``base_url`` (e.g. https://example.org/)
    makes the Open Graph URLs absolute. Raises :class:`SiteError` for an output folder it must not replace.
    A case whose charts cannot be drawn gets a page that says so, with its events; the others are built as
    usual. ``problems`` (a dict) receives, by case id, what went wrong.
    """
    out = Path(out).absolute()
    manifest = _check_out(out)
    previous = out if manifest is not None else None
    old_pages: dict[str, str] = (manifest or {}).get("pages", {})
    today = today or date.today()
    built = time.strftime("%-d %B %Y")
    if base_url and not base_url.startswith(("https://", "http://")):
        raise SiteError(f"--base-url must be an absolute http(s) address (https://example.org/), not {base_url!r}")
    base_url = base_url.rstrip("/") + "/" if base_url else ""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        write_assets(tmp)
        shared = _shared_key(library, today, f"images={images}|base={base_url}")
        keys = {f"cases/{cid}.html": case_key(library, cid, shared) for cid in library.cases}
        todo, carried = [], []
        for case_id in library.cases:
            path = f"cases/{case_id}.html"
            if previous and old_pages.get(path) == keys[path] and (previous / path).is_file():
                _link(previous / path, tmp / path)
                carried.append(case_id)
            else:
                todo.append(case_id)
        missing: dict[str, imaging.Image] = {}
        problems = problems if problems is not None else {}
        for folder in CONTENT_NAMED if previous else ():  # a carried-over page keeps its images and figures
            for name in (previous / folder).glob("*") if (previous / folder).is_dir() else ():
                _link(name, tmp / folder / name.name)
        rendered = _render_cases(library, todo, tmp, today, images, base_url, previous, jobs)
        for written, (path, needed, problem) in enumerate(rendered, start=1):
            missing.update({i.key: i for i in needed})
            if problem:
                problems[Path(path).stem] = problem
                keys[path] = "failed"  # never carried over: the next build tries it again
            if progress:
                progress(written, len(todo), Path(path).stem)
        overview = overview_charts(library, today=today)
        page, context = index_page(library, overview, images=images, built=built,
                                   compact=overview_charts(library, today=today, compact=True))
        for section in context["sections"]:
            write_figure(section["chart"], tmp)
            if section["chart"].phone:
                write_figure(section["chart"].phone, tmp)
        _write(tmp / page.path, render("index.html", page=page, up="", base_url=base_url, **context))
        og = page.og_image
        if og is None and images and library.cases:  # no chart across cases: the first case's preview
            first = next(iter(library.cases))
            og = _first_og(library, first, today)
        missing.update({i.key: i for i in page.images if not imaging.reuse(i, tmp, previous)})
        page, context = sources_page(library, built=built, og_image=og)
        _write(tmp / page.path, render("sources.html", page=page, up="", base_url=base_url, **context))
        if images:
            imaging.draw(missing.values(), tmp)
        _prune(tmp)
        (tmp / MARKER).write_text(json.dumps({"generator": "prevent-timelines build-site", "pages": keys,
                                              "carried_over": len(carried), "rendered": len(todo),
                                              "problems": problems}, indent=1))
        _replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [out / "index.html", out / "sources.html", *(out / p for p in keys)]


def _first_og(library: Library, case_id: str, today: date) -> dict | None:
    page, _ = case_page(library, case_id, case_charts(library, case_id, today=today, only={"timeline"}), images=True)
    return page.og_image


def _render_cases(library, todo, tmp, today, images, base_url, previous, jobs):
    """Each case's pages: one process per core for a large library (forked, so each worker has the loaded
    library without loading or pickling it), in chunks handed out as workers finish; else in this process."""
    args = (tmp, today, images, base_url, previous)
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(todo) >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods():
        _FORKED.update(library=library, args=args)
        chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
        # the loaded library is never garbage: the workers' collector need not walk it (nor copy its pages)
        gc.freeze()
        try:
            with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                for done in pool.map(_worker, chunks):
                    yield from done
        finally:
            _FORKED.clear()
            gc.unfreeze()
    else:
        for case_id in todo:
            yield from _case_pages(library, [case_id], *args)


def _prune(tmp: Path) -> None:
    """Drop images and figures carried over from the previous build that no page refers to any more."""
    used: set[str] = set()
    for page in tmp.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for folder in CONTENT_NAMED:
            start = 0
            while (at := text.find(f"{folder}/", start)) != -1:
                end = min(i for i in (text.find('"', at), text.find(" ", at)) if i != -1)  # srcset: "x 2x"
                used.add(text[at:end])
                start = end
    for folder in CONTENT_NAMED:
        for file in (tmp / folder).glob("*") if (tmp / folder).is_dir() else ():
            if f"{folder}/{file.name}" not in used:
                file.unlink()


def _replace(tmp: Path, out: Path) -> None:
    """Put the finished build in place of ``out`` (an earlier build, or nothing)."""
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out)
    out.chmod(0o755)


def site_size(out: Path) -> int:
    return sum(p.stat().st_size for p in Path(out).rglob("*") if p.is_file())
