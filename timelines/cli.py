"""The command line: ``python -m timelines validate [DIR]`` and friends."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .loading import load_library
from .schema import FILE_MODELS

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "schema"


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


def json_schemas() -> dict[str, dict]:
    """The JSON Schema of each file kind, as written to data/schema/."""
    return {f"{kind}.schema.json": model.model_json_schema() for kind, model in FILE_MODELS.items()}


def _schema(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, body in json_schemas().items():
        (out / name).write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
        print(out / name)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m timelines", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check every data file; exit 1 on any problem")
    validate.add_argument("dir", nargs="?", help="the data folder (default: $TIMELINES_DATA_DIR or data/)")
    validate.add_argument("--no-cache", action="store_true", help="ignore the load cache")
    validate.set_defaults(func=_validate)
    schema = sub.add_parser("schema", help="write the JSON Schema files editors validate YAML with")
    schema.add_argument("--out", default=str(SCHEMA_DIR))
    schema.set_defaults(func=_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
