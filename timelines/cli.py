"""The command line: ``python -m timelines validate [DIR]`` and friends."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from . import schema_docs
from .loading import load_library

REPO = Path(__file__).resolve().parent.parent


def _validate(args: argparse.Namespace) -> int:
    library = load_library(args.dir, use_cache=not args.no_cache)
    for problem in library.problems:
        print(problem)
    if library.problems:
        noun = "problem" if len(library.problems) == 1 else "problems"
        print(f"\n{len(library.problems)} {noun} in {library.root}; {library.summary()} loaded", file=sys.stderr)
        return 1
    print(f"{library.summary()}: OK")
    return 0


def _schema(args: argparse.Namespace) -> int:
    for path in schema_docs.write(Path(args.readme), Path(args.out)):
        print(path)
    return 0


def _loaded(args: argparse.Namespace):
    """The library, or None after printing its problems: images and sites are made from clean data only."""
    library = load_library(args.data)
    if library.problems:
        for problem in library.problems:
            print(problem, file=sys.stderr)
        print(f"\n{len(library.problems)} problems in {library.root}: fix them first "
              "(python -m timelines validate)", file=sys.stderr)
        return None
    return library


def _export_images(args: argparse.Namespace) -> int:
    from .charts import all_charts
    from .export import ExportError, write_images

    library = _loaded(args)
    if library is None:
        return 1
    today = date.fromisoformat(args.today) if args.today else date.today()
    charts = list(all_charts(library, today=today))
    try:
        written = write_images(((c.name, c.figure) for c in charts), Path(args.out), total=len(charts),
                               progress=not args.quiet)
    except ExportError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"{len(written)} images of {len(charts)} charts written to {args.out}")
    return 0


def _build_site(args: argparse.Namespace) -> int:
    from .export import available
    from .site import SiteError, build_site, site_size

    library = _loaded(args)
    if library is None:
        return 1
    today = date.fromisoformat(args.today) if args.today else date.today()
    images = not args.no_images and available()
    if not args.no_images and not images:
        print("note: no chromium, so charts show when plotly.js has drawn them and pages carry no preview "
              "image (apt-get install chromium)", file=sys.stderr)
    if not args.base_url and not args.quiet:
        print("note: no --base-url, so link previews (Open Graph) carry no absolute URL or image", file=sys.stderr)

    def progress(n: int, total: int, name: str) -> None:
        if not args.quiet:
            print(f"\r{n}/{total} case pages {name[:40]:<40}", end="", file=sys.stderr, flush=True)

    problems: dict[str, str] = {}
    try:
        pages = build_site(library, Path(args.out), today=today, progress=progress, images=images,
                           base_url=args.base_url or "", problems=problems)
    except SiteError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(file=sys.stderr)
    print(f"{len(pages)} pages written to {args.out} ({site_size(Path(args.out)) / 1e6:.1f} MB with assets); "
          f"serve it with: python -m http.server --directory {args.out}")
    for case_id, problem in problems.items():
        print(f"error: case {case_id}: its charts could not be drawn ({problem}); its page says so and lists "
              "its events. The other cases were built.", file=sys.stderr)
    return 1 if problems else 0


def _briefing_pack(args: argparse.Namespace) -> int:
    from .decks import DeckError, briefing_pack
    from .export import ExportError

    library = _loaded(args)
    if library is None:
        return 1
    today = date.fromisoformat(args.today) if args.today else date.today()

    def progress(n: int, total: int, name: str) -> None:
        if not args.quiet:
            print(f"\r{n}/{total} charts {name[:40]:<40}", end="", file=sys.stderr, flush=True)

    try:
        data = briefing_pack(library, today=today, case_ids=args.case, progress=progress)
    except (DeckError, ExportError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(file=sys.stderr)
    Path(args.out).write_bytes(data)
    print(f"briefing pack written to {args.out} ({len(data) / 1e6:.1f} MB)")
    return 0


def _trainer_deck(args: argparse.Namespace) -> int:
    from .decks import DeckError
    from .export import ExportError
    from .trainer_deck import handout_html, step_range, trainer_deck

    library = _loaded(args)
    if library is None:
        return 1
    try:
        if args.case not in library.cases:
            raise DeckError(f"no case {args.case!r}; the cases are: {', '.join(library.cases) or 'none'}")
        steps = step_range(args.steps, library, args.case)
        data = trainer_deck(library, args.case, steps=steps)
    except (DeckError, ExportError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    Path(args.out).write_bytes(data)
    print(f"trainer deck (steps {steps.start}-{steps.stop - 1}) written to {args.out} ({len(data) / 1e6:.1f} MB)")
    if args.handout:
        Path(args.handout).write_text(handout_html(library, args.case, steps=steps), encoding="utf-8")
        print(f"facilitator handout written to {args.handout}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m timelines", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check every data file; exit 1 on any problem")
    validate.add_argument("dir", nargs="?", help="the data folder (default: $TIMELINES_DATA_DIR or data/)")
    validate.add_argument("--no-cache", action="store_true", help="ignore the load cache")
    validate.set_defaults(func=_validate)
    schema = sub.add_parser("schema", help="regenerate data/schema/*.json and the README's schema tables")
    schema.add_argument("--out", default=str(REPO / "data" / "schema"))
    schema.add_argument("--readme", default=str(REPO / "README.md"))
    schema.set_defaults(func=_schema)
    for name, func, what in (
        ("export-images", _export_images, "write every chart of every case as PNG (16:9, 2x) and SVG"),
        ("build-site", _build_site, "write a self-contained static site (index, case pages, sources)"),
    ):
        command = sub.add_parser(name, help=what)
        command.add_argument("out", help="the folder to write into")
        command.add_argument("--data", help="the data folder (default: $TIMELINES_DATA_DIR or data/)")
        command.add_argument("--today", help="the date commitments are judged on when no source is dated"
                             " (YYYY-MM-DD; default today); otherwise the record's horizon, the latest source date")
        command.add_argument("--quiet", action="store_true", help="no progress bar")
        command.set_defaults(func=func)
    site = sub.choices["build-site"]
    site.add_argument("--base-url", help="where the site will be served (https://...), for link previews")
    site.add_argument("--no-images", action="store_true", help="no pre-rendered chart images (faster; no chromium)")
    pack = sub.add_parser("briefing-pack", help="write a 16:9 PowerPoint of every chart, with notes and alt text")
    pack.add_argument("out", help="the .pptx file to write")
    pack.add_argument("--case", action="append", help="only this case (repeat for more; default: every case)")
    pack.add_argument("--data", help="the data folder (default: $TIMELINES_DATA_DIR or data/)")
    pack.add_argument("--today", help="the date commitments are judged on when no source is dated"
                      " (YYYY-MM-DD; default today)")
    pack.add_argument("--quiet", action="store_true", help="no progress")
    pack.set_defaults(func=_briefing_pack)
    trainer = sub.add_parser("trainer-deck", help="write a PowerPoint of a case's walkthrough, a slide per step")
    trainer.add_argument("case", help="the case's id, e.g. southport")
    trainer.add_argument("out", help="the .pptx file to write")
    trainer.add_argument("--steps", help="only these steps, e.g. 1-8 (default: every step)")
    trainer.add_argument("--handout", help="also write the facilitator handout (HTML, prints to A4) here")
    trainer.add_argument("--data", help="the data folder (default: $TIMELINES_DATA_DIR or data/)")
    trainer.set_defaults(func=_trainer_deck)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
