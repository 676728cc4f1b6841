"""The command line: ``python -m timelines validate [DIR]`` and friends."""

from __future__ import annotations

import argparse
import sys
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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
