"""Loading the library: every YAML file validated, cross-checked and flattened into one DataFrame.

``load_library(path)`` never stops at the first problem and never lets one bad case file hide the
others: it returns a :class:`Library` with the cases that loaded and a list of every problem found.
Call :meth:`Library.raise_for_problems` where problems must stop the work.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ValidationError

from . import dates, schema
from ._errors import field_name, problems_from_validation
from .problems import DataError, Problem
from .vocab import AGENCY_BY_ID, FAMILY_BY_ID, KIND_BY_ID
from .yamlio import Loc, YamlDoc, YamlRefusal, read_yaml

CONTEXT_ID = "context"
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data"
COLUMNS = (
    "case_id", "layer", "event_id", "sequence", "kind", "kind_label", "family", "agency",
    "agency_label", "title", "detail", "date_text", "date_qualifier", "date_until", "date_label",
    "precision", "earliest", "latest", "end_text", "end_latest", "age", "missed_opportunity",
    "n_findings", "disputed", "source_ids", "question", "file", "line",
)
# Files at the root of a library: name -> (file kind, required?)
ROOT_FILES = {"sources.yaml": "sources", "context.yaml": "context",
              "glossary.yaml": "glossary", "process.yaml": "process"}


@dataclass
class Library:
    """Everything the site shows: validated models, the event table and the problems found."""

    root: Path
    cases: dict[str, schema.Case] = field(default_factory=dict)
    sources: dict[str, schema.Source] = field(default_factory=dict)
    context: schema.Context | None = None
    glossary: schema.Glossary | None = None
    process: schema.Process | None = None
    events: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMNS))
    problems: list[Problem] = field(default_factory=list)
    case_files: dict[str, str] = field(default_factory=dict)  # case id -> file path
    broken_files: list[str] = field(default_factory=list)  # files that could not be loaded at all

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_for_problems(self) -> None:
        if self.problems:
            raise DataError(self.problems)

    def summary(self) -> str:
        n_events = int((self.events["layer"] == "case").sum()) if len(self.events) else 0
        return (f"{len(self.cases)} cases, {n_events} events, {len(self.sources)} sources"
                f" ({len(self.events) - n_events} context events)")


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The library folder: ``path``, else ``$TIMELINES_DATA_DIR``, else the bundled ``data/``."""
    chosen = path or os.environ.get("TIMELINES_DATA_DIR") or DEFAULT_DIR
    return Path(chosen)


def library_files(root: Path) -> list[tuple[Path, str]]:
    """The YAML files of a library with their kinds, in a stable order."""
    files = [(root / name, kind) for name, kind in ROOT_FILES.items() if (root / name).exists()]
    cases = root / "cases"
    if cases.is_dir():
        files += [(p, "case") for p in sorted(cases.iterdir()) if p.suffix in (".yaml", ".yml")]
    return files


# --- parsing one file -------------------------------------------------------------------------------

@dataclass
class _Parsed:
    """One file's result, cached on its contents."""

    model: BaseModel | None
    problems: list[Problem]


def _parse_file(path: Path, kind: str, display: str, content: bytes) -> tuple[_Parsed, YamlDoc | None]:
    from .yamlio import parse_yaml

    try:
        doc = parse_yaml(content)
    except YamlRefusal as err:
        return _Parsed(None, [Problem(display, err.line, "", str(err), err.hint)]), None
    model_cls = schema.FILE_MODELS[kind]
    if not isinstance(doc.data, dict):
        got = type(doc.data).__name__
        hint = ("a case file starts with 'id:', 'title:', ... and 'events:'" if kind == "case"
                else f"this file starts with '{next(iter(model_cls.model_fields))}:'")
        return _Parsed(None, [Problem(display, 1, "", f"the file's top level is a {got}, not a mapping",
                                      hint)]), doc
    try:
        model = model_cls.model_validate(doc.data)
    except ValidationError as err:
        return _Parsed(None, problems_from_validation(err, model_cls, doc, display)), doc
    return _Parsed(model, []), doc


# --- cross-checks --------------------------------------------------------------------------------

def _citations(obj: object, loc: Loc = ()) -> Iterator[tuple[Loc, schema.Citation]]:
    """Every citation inside a model, with its location."""
    if isinstance(obj, schema.Citation):
        yield loc, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _citations(getattr(obj, name), loc + (name,))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _citations(item, loc + (i,))


def _duplicates(ids: list[str]) -> dict[int, int]:
    """Index of each repeated id -> index of its first appearance."""
    first: dict[str, int] = {}
    repeats = {}
    for i, ident in enumerate(ids):
        if ident in first:
            repeats[i] = first[ident]
        else:
            first[ident] = i
    return repeats


def _cross_check(model: BaseModel, kind: str, sources: dict[str, schema.Source]) -> list[tuple[Loc, str, str]]:
    """Rules that need more than one field: ids unique, cited sources exist, the outcome exists."""
    found: list[tuple[Loc, str, str]] = []
    if sources:
        for loc, cite in _citations(model):
            if cite.source not in sources:
                close = difflib.get_close_matches(cite.source, list(sources), n=3, cutoff=0.5)
                found.append((loc + ("source",), f"source '{cite.source}' is not in sources.yaml",
                              f"add it to data/sources.yaml or correct the id{'; similar: ' + ', '.join(close) if close else ''}"))
    for list_name, attr in (("events", "id"), ("commitments", "id"), ("sources", "id"), ("steps", "id")):
        items = getattr(model, list_name, None)
        if not items:
            continue
        for i, j in _duplicates([getattr(x, attr) for x in items]).items():
            found.append(((list_name, i, attr), f"duplicate id '{getattr(items[i], attr)}'",
                          f"ids must be unique; {list_name}[{j}] already uses it"))
    if kind == "case":
        case: schema.Case = model  # type: ignore[assignment]
        if case.outcome_event not in {e.id for e in case.events}:
            found.append((("outcome_event",), f"outcome event '{case.outcome_event}' is not an event of this case",
                          "name the id of the event cases are aligned on, usually the attack"))
    return found


# --- the event table ------------------------------------------------------------------------------

def _rows(case_id: str, layer: str, events: list[schema.Event], display: str,
          doc: YamlDoc | None) -> list[dict]:
    rows = []
    for i, event in enumerate(events):
        earliest, latest = dates.window(event.date, event.date_qualifier, event.date_until)
        kind = KIND_BY_ID[event.kind]
        rows.append({
            "case_id": case_id, "layer": layer, "event_id": event.id, "sequence": event.sequence,
            "kind": event.kind, "kind_label": kind.label, "family": FAMILY_BY_ID[kind.family].id,
            "agency": event.agency, "agency_label": AGENCY_BY_ID[event.agency].label,
            "title": event.title, "detail": event.detail, "date_text": event.date,
            "date_qualifier": event.date_qualifier, "date_until": event.date_until,
            "date_label": dates.describe(event.date, event.date_qualifier, event.date_until),
            "precision": dates.PartialDate.parse(event.date).precision,
            "earliest": earliest, "latest": latest,
            "end_text": event.end,
            "end_latest": dates.PartialDate.parse(event.end).end if event.end else None,
            "age": event.age,
            "missed_opportunity": any(f.missed_opportunity for f in event.findings),
            "n_findings": len(event.findings), "disputed": bool(event.disputed),
            "source_ids": tuple(dict.fromkeys(c.source for c in event.sources)),
            "question": event.question, "file": display,
            "line": doc.line_of(("events", i)) if doc else 0,
        })
    return rows


def events_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("earliest", "latest", "end_latest"):
        frame[col] = pd.to_datetime(frame[col])
    frame["sequence"] = frame["sequence"].astype("Int64")
    frame["age"] = frame["age"].astype("Int64")
    frame["line"] = frame["line"].astype("Int64")
    frame["missed_opportunity"] = frame["missed_opportunity"].astype(bool)
    frame["disputed"] = frame["disputed"].astype(bool)
    order = frame["earliest"].fillna(frame["latest"])
    frame = frame.assign(_order=order).sort_values(
        ["case_id", "_order", "sequence"], kind="stable", na_position="last"
    ).drop(columns="_order")
    return frame.reset_index(drop=True)


# --- the cache ------------------------------------------------------------------------------------

def _code_salt() -> str:
    """Changes whenever the library's code changes, so a cache never outlives the code that wrote it."""
    digest = hashlib.blake2b(digest_size=16)
    for py in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(py.read_bytes())
    return digest.hexdigest()


_SALT = _code_salt()
_MEMORY: dict[str, Library] = {}


def cache_dir() -> Path | None:
    """Where loaded libraries are kept between runs; TIMELINES_CACHE_DIR=off turns it off."""
    chosen = os.environ.get("TIMELINES_CACHE_DIR")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "prevent-timelines"


def _cache_read(key: str) -> Library | None:
    if key in _MEMORY:
        return _MEMORY[key]
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"{key}.pickle", "rb") as handle:
            library = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    _MEMORY.clear()
    _MEMORY[key] = library
    return library


def _cache_write(key: str, library: Library) -> None:
    _MEMORY.clear()
    _MEMORY[key] = library
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.pickle"):  # one library a folder is enough; keep the cache small
            old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as handle:
            pickle.dump(library, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, folder / f"{key}.pickle")
    except OSError:
        pass  # a cache that cannot be written only costs time


# --- the entry point ------------------------------------------------------------------------------

def load_library(path: str | os.PathLike | None = None, *, use_cache: bool = True) -> Library:
    """Load, validate and cross-check a library folder; never raises for bad data.

    The result is cached on the files' contents (and the library's code), so an unchanged library
    loads from the cache and a changed byte anywhere forces a fresh load.
    """
    root = data_dir(path)
    files = library_files(root)
    contents = []
    digest = hashlib.blake2b(_SALT.encode(), digest_size=20)
    for file_path, kind in files:
        try:
            content = file_path.read_bytes()
        except OSError as err:
            content = None
            digest.update(f"{file_path}\0unreadable:{err}".encode())
        else:
            digest.update(f"{file_path}\0{kind}\0{len(content)}\0".encode())
            digest.update(content)
        contents.append(content)
    key = digest.hexdigest()
    if use_cache and (cached := _cache_read(key)) is not None:
        return cached
    library = _load(root, files, contents)
    if use_cache:
        _cache_write(key, library)
    return library


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _load(root: Path, files: list[tuple[Path, str]], contents: list[bytes | None]) -> Library:
    library = Library(root=root)
    if not root.is_dir():
        library.problems.append(Problem(str(root), 0, "", "the data folder does not exist",
                                        "pass a folder holding sources.yaml and cases/, or unset TIMELINES_DATA_DIR"))
        return library
    parsed: list[tuple[Path, str, str, _Parsed, YamlDoc | None]] = []
    for (file_path, kind), content in zip(files, contents):
        display = _display(file_path, root)
        if content is None:
            result, doc = _Parsed(None, [Problem(display, 0, "", "the file cannot be read",
                                                 "check its permissions")]), None
        else:
            result, doc = _parse_file(file_path, kind, display, content)
        parsed.append((file_path, kind, display, result, doc))
        library.problems.extend(result.problems)
        if result.model is None:
            library.broken_files.append(display)
    for name, kind in ROOT_FILES.items():
        if kind in ("sources",) and not (root / name).exists():
            library.problems.append(Problem(_display(root / name, root), 0, "", f"{name} is missing",
                                            "every library needs a sources.yaml listing the sources cited"))

    by_kind = {kind: result.model for _, kind, _, result, _ in parsed if kind != "case"}
    if isinstance(by_kind.get("sources"), schema.SourceList):
        library.sources = {s.id: s for s in by_kind["sources"].sources}
    library.context = by_kind.get("context")  # type: ignore[assignment]
    library.glossary = by_kind.get("glossary")  # type: ignore[assignment]
    library.process = by_kind.get("process")  # type: ignore[assignment]

    rows: list[dict] = []
    for file_path, kind, display, result, doc in parsed:
        model = result.model
        if model is None:
            continue
        checks = _cross_check(model, kind, library.sources)
        if checks:
            library.problems.extend(Problem(display, doc.line_of(loc) if doc else 0, field_name(loc), msg, hint)
                                    for loc, msg, hint in checks)
        if kind == "case":
            case: schema.Case = model  # type: ignore[assignment]
            stem = file_path.stem
            if case.id in library.cases:
                library.problems.append(Problem(display, doc.line_of(("id",)) if doc else 0, "id",
                                                f"case id '{case.id}' is also used by {library.case_files[case.id]}",
                                                "give every case its own id"))
                continue
            if case.id != stem:
                library.problems.append(Problem(display, doc.line_of(("id",)) if doc else 0, "id",
                                                f"case id '{case.id}' differs from the file name '{stem}'",
                                                f"rename the file to {case.id}.yaml or set id: {stem}"))
            library.cases[case.id] = case
            library.case_files[case.id] = display
            rows += _rows(case.id, "case", case.events, display, doc)
        elif kind == "context":
            ctx: schema.Context = model  # type: ignore[assignment]
            rows += _rows(CONTEXT_ID, "context", ctx.events, display, doc)
    library.events = events_frame(rows)
    library.problems.sort()
    return library
