"""Loading the library: every YAML file validated, cross-checked and flattened into one DataFrame.

``load_library(path)`` never stops at the first problem and never lets one bad case file hide the
others: it returns a :class:`Library` with the cases that loaded and a list of every problem found.
Call :meth:`Library.raise_for_problems` where problems must stop the work.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ValidationError

from . import dates, schema
from ._errors import field_name, problems_from_validation, unwrap
from .problems import DataError, Problem
from .vocab import AGENCY_BY_ID, KIND_BY_ID
from .yamlio import Loc, YamlDoc, YamlRefusal, parse_yaml

CONTEXT_ID = "context"
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data"
COLUMNS = (
    "case_id", "layer", "event_id", "sequence", "kind", "kind_label", "family", "agency",
    "agency_label", "title", "detail", "date_text", "date_qualifier", "date_until", "date_label",
    "precision", "earliest", "latest", "end_text", "end_latest", "age", "missed_opportunity",
    "n_findings", "disputed", "source_ids", "question", "file",
)
# Files at the root of a library: name -> file kind (only sources.yaml is required)
ROOT_FILES = {"sources.yaml": "sources", "context.yaml": "context",
              "glossary.yaml": "glossary", "process.yaml": "process", "statistics.yaml": "statistics"}


class Cases(Mapping[str, schema.Case]):
    """The cases by id. Cached (and pickled, by Streamlit) as JSON text and rebuilt one case at a time on
    first use, so a library of a thousand cases comes back from the cache in a fraction of a second."""

    def __init__(self) -> None:
        self._items: dict[str, schema.Case | bytes] = {}

    def __setitem__(self, case_id: str, case: schema.Case) -> None:
        self._items[case_id] = case

    def __getitem__(self, case_id: str) -> schema.Case:
        item = self._items[case_id]
        if isinstance(item, bytes):
            item = self._items[case_id] = schema.Case.model_validate_json(item)
        return item

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Cases({list(self._items)})"

    def __getstate__(self) -> dict[str, bytes]:
        return {k: v if isinstance(v, bytes) else v.model_dump_json().encode() for k, v in self._items.items()}

    def __setstate__(self, state: dict[str, bytes]) -> None:
        self._items = dict(state)


@dataclass
class Library:
    """Everything the site shows: validated models, the event table and the problems found."""

    root: Path
    cases: Cases = field(default_factory=Cases)
    sources: dict[str, schema.Source] = field(default_factory=dict)
    context: schema.Context | None = None
    glossary: schema.Glossary | None = None
    process: schema.Process | None = None
    statistics: schema.Statistics | None = None
    events: pd.DataFrame = field(default_factory=lambda: events_frame({c: [] for c in COLUMNS}))
    problems: list[Problem] = field(default_factory=list)
    case_files: dict[str, str] = field(default_factory=dict)  # case id -> file path
    broken_files: list[str] = field(default_factory=list)  # files that could not be loaded at all

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_for_problems(self) -> None:
        if self.problems:
            raise DataError(self.problems)

    @property
    def horizon(self) -> pd.Timestamp | None:
        """The record's horizon: the latest date any source is known to carry (the start of a partial
        date, the later end of a range), so nothing is judged against a day the sources never reach."""
        days = [dates.PartialDate.parse(s.date_until or s.date).start for s in self.sources.values()]
        return max(days) if days else None

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

def _nested_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model that can hold other models (and so citations)."""
    if cls not in _NESTED:
        _NESTED[cls] = tuple(
            name for name, info in cls.model_fields.items()
            if any(isinstance(t, type) and issubclass(t, BaseModel) for t in unwrap(info.annotation))
        )
    return _NESTED[cls]


_NESTED: dict[type, tuple[str, ...]] = {}


def _citations(obj: object, loc: Loc = ()) -> Iterator[tuple[Loc, schema.Citation]]:
    """Every citation inside a model, with its location."""
    if isinstance(obj, schema.Event):  # the hot path: tens of thousands of events in a large library
        for i, cite in enumerate(obj.sources):
            yield loc + ("sources", i), cite
        if obj.findings or obj.disputed:
            yield from _citations(obj.findings, loc + ("findings",))
            yield from _citations(obj.disputed, loc + ("disputed",))
    elif isinstance(obj, schema.Citation):
        yield loc, obj
    elif isinstance(obj, BaseModel):
        for name in _nested_fields(type(obj)):
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


def _step_links(model: BaseModel) -> Iterator[tuple[Loc, str]]:
    """Every reference to a pathway step: events' and findings' ``step``, steps' ``expected_from``."""
    for i, event in enumerate(getattr(model, "events", None) or []):
        if event.step:
            yield ("events", i, "step"), event.step
        for j, finding in enumerate(event.findings):
            if finding.step:
                yield ("events", i, "findings", j, "step"), finding.step
    for i, step in enumerate(getattr(model, "steps", None) or []):
        if step.expected_from:
            yield ("steps", i, "expected_from"), step.expected_from


def _cross_check(model: BaseModel, kind: str, sources: dict[str, schema.Source],
                 steps: list[str] | None = None) -> list[tuple[Loc, str, str]]:
    """Rules that need more than one field: ids unique, cited sources and steps exist, the outcome exists."""
    found: list[tuple[Loc, str, str]] = []
    if steps is not None:
        for loc, step in _step_links(model):
            if step not in steps:
                close = difflib.get_close_matches(step, steps, n=1, cutoff=0.5)
                found.append((loc, f"step '{step}' is not a step of data/process.yaml",
                              (f"did you mean '{close[0]}'? " if close else "") + f"steps: {', '.join(steps)}"))
    if sources:
        for loc, cite in _citations(model):
            if cite.source not in sources:
                close = difflib.get_close_matches(cite.source, list(sources), n=3, cutoff=0.5)
                found.append((loc + ("source",), f"source '{cite.source}' is not in sources.yaml",
                              "add it to data/sources.yaml or correct the id"
                              + (f"; similar: {', '.join(close)}" if close else "")))
    for list_name, attr in (("events", "id"), ("commitments", "id"), ("sources", "id"), ("steps", "id"),
                            ("recommendations", "id"), ("years", "year_ending")):
        items = getattr(model, list_name, None)
        if not items:
            continue
        for i, j in _duplicates([getattr(x, attr) for x in items]).items():
            what = "id" if attr == "id" else attr
            found.append(((list_name, i, attr), f"duplicate {what} '{getattr(items[i], attr)}'",
                          f"{'ids' if attr == 'id' else 'these'} must be unique; {list_name}[{j}] already uses it"))
    if kind == "statistics" and sources and model.source not in sources:  # type: ignore[attr-defined]
        found.append((("source",), f"source '{model.source}' is not in sources.yaml",  # type: ignore[attr-defined]
                      "add the statistics' entry to data/sources.yaml or correct the id"))
    if kind == "case":
        case: schema.Case = model  # type: ignore[assignment]
        if case.outcome_event not in {e.id for e in case.events}:
            found.append((("outcome_event",), f"outcome event '{case.outcome_event}' is not an event of this case",
                          "name the id of the event cases are aligned on, usually the attack"))
    return found


# --- the event table ------------------------------------------------------------------------------

def _rows(case_id: str, layer: str, events: list[schema.Event], display: str, out: dict[str, list]) -> None:
    """Append one row per event to the column lists in ``out``."""
    for event in events:
        earliest, latest = dates.window(event.date, event.date_qualifier, event.date_until)
        kind = KIND_BY_ID[event.kind]
        end = dates.PartialDate.parse(event.end).end if event.end else None
        for name, value in (
            ("case_id", case_id), ("layer", layer), ("event_id", event.id), ("sequence", event.sequence),
            ("kind", event.kind), ("kind_label", kind.label), ("family", kind.family),
            ("agency", event.agency), ("agency_label", AGENCY_BY_ID[event.agency].label),
            ("title", event.title), ("detail", event.detail), ("date_text", event.date),
            ("date_qualifier", event.date_qualifier), ("date_until", event.date_until),
            ("date_label", dates.describe(event.date, event.date_qualifier, event.date_until)),
            ("precision", dates.PartialDate.parse(event.date).precision),
            ("earliest", _NAT if earliest is None else earliest.value),
            ("latest", _NAT if latest is None else latest.value),
            ("end_text", event.end), ("end_latest", _NAT if end is None else end.value),
            ("age", event.age),
            ("missed_opportunity", any(f.missed_opportunity for f in event.findings)),
            ("n_findings", len(event.findings)), ("disputed", bool(event.disputed)),
            ("source_ids", tuple(dict.fromkeys(c.source for c in event.sources))),
            ("question", event.question), ("file", display),
        ):
            out[name].append(value)


_NAT = np.datetime64("NaT").astype("int64")


def events_frame(columns: dict[str, list] | list[dict]) -> pd.DataFrame:
    """The tidy event table, typed and sorted by case, date window and sequence.

    ``columns`` holds one list per column (as the loader builds it) or one dict per row.
    """
    if isinstance(columns, list):
        columns = {name: [row.get(name) for row in columns] for name in COLUMNS}
    data = dict(columns)
    for col in ("earliest", "latest", "end_latest"):
        values = [_NAT if v is None or v is pd.NaT else v for v in data[col]]
        values = [pd.Timestamp(v).value if not isinstance(v, (int, np.integer)) else v for v in values]
        data[col] = np.array(values, dtype="int64").view("datetime64[ns]")
    frame = pd.DataFrame(data, columns=COLUMNS)
    frame["sequence"] = frame["sequence"].astype("Int64")
    frame["age"] = frame["age"].astype("Int64")
    for col, empty in (("missed_opportunity", False), ("disputed", False), ("n_findings", 0)):
        frame[col] = frame[col].where(frame[col].notna(), empty).astype(type(empty))
    order = frame["earliest"].where(frame["earliest"].notna(), frame["latest"])
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
    """Where loaded libraries are kept between runs: a folder of this user's own (TIMELINES_CACHE_DIR, else
    $XDG_CACHE_HOME or ~/.cache, under prevent-timelines-<uid>); TIMELINES_CACHE_DIR=off turns it off."""
    chosen = os.environ.get("TIMELINES_CACHE_DIR")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return Path(base) / f"prevent-timelines-{uid}"


# The cache holds no pickle: the event table as Parquet and everything else as JSON, so a planted file
# can at worst fail to load (and is then ignored); it can never run code. Files are named
# library-<key>.{json,parquet}; only such files are ever replaced or deleted, and only in a folder that
# belongs to this user and that no one else can write to.
_PREFIX = "library-"
_PARTS = (".json", ".parquet")


def _private(folder: Path) -> bool:
    """Is ``folder`` this user's own, writable by no one else? (Always true where there are no owners.)"""
    try:
        info = folder.stat()
    except OSError:
        return False
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def _ours(path: Path) -> bool:
    """A file this cache writes: library-<40 hex digits>.json or .parquet."""
    stem, suffix = path.stem, path.suffix
    key = stem.removeprefix(_PREFIX)
    return (stem.startswith(_PREFIX) and suffix in _PARTS and len(key) == 40
            and all(c in "0123456789abcdef" for c in key))


# The library's one-file parts (each a model or None), kept in the cache's JSON by name; a part missing
# here would vanish from every cached load (tests/test_loading.py checks the list against Library).
_SINGLE_FILES: dict[str, type[BaseModel]] = {"context": schema.Context, "glossary": schema.Glossary,
                                             "process": schema.Process, "statistics": schema.Statistics}


def _to_json(key: str, library: Library) -> str:
    return json.dumps({
        "key": key, "root": str(library.root),
        "cases": {k: (v.decode() if isinstance(v, bytes) else v.model_dump_json())
                  for k, v in library.cases._items.items()},
        "sources": [s.model_dump_json() for s in library.sources.values()],
        **{name: (model.model_dump_json() if (model := getattr(library, name)) else None) for name in _SINGLE_FILES},
        "problems": [[p.path, p.line, p.field, p.message, p.hint] for p in library.problems],
        "case_files": library.case_files, "broken_files": library.broken_files,
    })


def _from_json(text: str, key: str, events: pd.DataFrame) -> Library:
    data = json.loads(text)
    if data.get("key") != key:
        raise ValueError("the cache file belongs to another library")
    cases = Cases()
    cases._items = {k: v.encode() for k, v in data["cases"].items()}
    sources = [schema.Source.model_validate_json(s) for s in data["sources"]]
    optional = {name: (model.model_validate_json(data[name]) if data[name] else None)
                for name, model in _SINGLE_FILES.items()}
    return Library(root=Path(data["root"]), cases=cases, sources={s.id: s for s in sources}, events=events,
                   problems=[Problem(*p) for p in data["problems"]], case_files=dict(data["case_files"]),
                   broken_files=list(data["broken_files"]), **optional)


def _events_from_parquet(path: Path) -> pd.DataFrame:
    frame = pd.read_parquet(path)
    if list(frame.columns) != list(COLUMNS):
        raise ValueError("the cached table has other columns")
    frame["source_ids"] = [tuple(ids) for ids in frame["source_ids"]]
    for col in ("earliest", "latest", "end_latest"):
        frame[col] = frame[col].astype("datetime64[ns]")
    return frame


def _cache_read(key: str) -> Library | None:
    if key in _MEMORY:
        return _MEMORY[key]
    folder = cache_dir()
    if folder is None or not _private(folder):
        return None
    try:
        events = _events_from_parquet(folder / f"{_PREFIX}{key}.parquet")
        library = _from_json((folder / f"{_PREFIX}{key}.json").read_text(encoding="utf-8"), key, events)
    except Exception:
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
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder):
            return  # someone else's folder, or one others can write to: no cache rather than a shared one
        for old in folder.iterdir():  # one library a folder is enough; only our own files are removed
            if _ours(old) and not old.stem.endswith(key):
                old.unlink(missing_ok=True)
        frame = library.events.assign(source_ids=[list(ids) for ids in library.events["source_ids"]])
        for suffix, write in ((".parquet", lambda h: frame.to_parquet(h, index=False)),
                              (".json", lambda h: h.write(_to_json(key, library).encode("utf-8")))):
            with tempfile.NamedTemporaryFile(dir=folder, delete=False, prefix=".writing-", suffix=".tmp") as handle:
                write(handle)
            os.replace(handle.name, folder / f"{_PREFIX}{key}{suffix}")
    except (OSError, ValueError, ImportError):
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
    for (file_path, kind), content in zip(files, contents, strict=True):
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
    library.statistics = by_kind.get("statistics")  # type: ignore[assignment]

    rows: dict[str, list] = {name: [] for name in COLUMNS}
    step_ids = [s.id for s in library.process.steps] if library.process else None
    for file_path, kind, display, result, doc in parsed:
        model = result.model
        if model is None:
            continue
        checks = _cross_check(model, kind, library.sources, step_ids)
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
            _rows(case.id, "case", case.events, display, rows)
        elif kind == "context":
            ctx: schema.Context = model  # type: ignore[assignment]
            _rows(CONTEXT_ID, "context", ctx.events, display, rows)
    library.events = events_frame(rows)
    library.problems.sort()
    return library
