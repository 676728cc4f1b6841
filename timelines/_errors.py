"""Turning pydantic's validation errors into problems a person can act on."""

from __future__ import annotations

import difflib
import types
import typing

from pydantic import BaseModel, ValidationError

from .problems import Problem
from .yamlio import Loc, YamlDoc


def field_name(loc: Loc) -> str:
    """('events', 3, 'date') -> 'events[3].date'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def unwrap(annotation: object) -> list[object]:
    """The types inside Optional[...], list[...] and Annotated[...]."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return unwrap(typing.get_args(annotation)[0])
    if origin in (list, typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in unwrap(arg)]
    return [annotation]


def model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc`` inside ``model``."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = current.model_fields.get(str(part))
        if field is None:
            return None
        inner = [t for t in unwrap(field.annotation) if isinstance(t, type) and issubclass(t, BaseModel)]
        current = inner[0] if inner else None
    return current


def _suggest(value: object, allowed: list[str]) -> str:
    close = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


def _describe(err: dict, model: type[BaseModel]) -> tuple[str, str]:
    """The message and hint for one pydantic error."""
    kind, loc, value = err["type"], err["loc"], err.get("input")
    name = str(loc[-1]) if loc else "value"
    if kind == "extra_forbidden":
        owner = model_at(model, loc[:-1])
        allowed = sorted(owner.model_fields) if owner else []
        return (f"unknown key '{name}'",
                f"{_suggest(name, allowed)}allowed keys here: {', '.join(allowed)}")
    if kind == "literal_error":
        allowed = [a.strip(" '") for a in err["ctx"]["expected"].replace(" or ", ", ").split(",")]
        return (f"unknown {name} '{value}'",
                f"{_suggest(value, allowed)}allowed values: {', '.join(allowed)}")
    if kind == "missing":
        return f"required key '{name}' is missing", f"add '{name}:' here (see the README's schema table)"
    if kind == "too_short" and name == "sources":
        return ("no source cited",
                "every entry needs at least one source: sources: [{source: <id>, quote: \"...\"}]")
    if kind == "too_short":
        return err["msg"].lower(), f"add entries to '{name}'"
    if kind == "string_pattern_mismatch" and "a-z0-9" in str(err.get("ctx", {}).get("pattern", "")):
        return f"'{value}' is not a valid id", "use lower-case letters, digits and hyphens, e.g. 'first-referral'"
    if kind == "string_pattern_mismatch":
        return f"'{value}' is not in the expected form", f"it must match {err['ctx']['pattern']}"
    if kind in ("string_type", "int_type", "bool_type", "list_type", "model_type", "dict_type"):
        expected = {"string_type": "text", "int_type": "a whole number", "bool_type": "true or false",
                    "list_type": "a list (lines starting '- ')", "model_type": "a mapping of keys",
                    "dict_type": "a mapping of keys"}[kind]
        got = type(value).__name__ if value is not None else "nothing"
        hint = "quote it" if kind == "string_type" else f"write {expected}"
        if kind == "int_type" and isinstance(value, str):
            hint = "remove the quotes"
        return f"expected {expected}, got {got} ({value!r:.40})", hint
    if kind == "value_error":
        message = err["msg"].removeprefix("Value error, ")
        hint = ("write YYYY, YYYY-MM or YYYY-MM-DD at the precision the source gives"
                if "date" in message or name in ("date", "end", "date_until", "made", "due") else
                "see the README's schema table")
        return message, hint
    if kind == "string_too_long":
        limit = err.get("ctx", {}).get("max_length")
        where = "'detail' (an event) or 'summary' (a case)" if name == "title" else "another field"
        return (f"the {name} is {len(str(value)):,} characters, over the limit of {limit}",
                f"shorten it to {limit} characters or fewer; put the rest in {where}")
    if kind in ("greater_than_equal", "less_than_equal"):
        return err["msg"].lower() + f" (got {value!r:.40})", "correct the value"
    return err["msg"], "see the README's schema table"


def problems_from_validation(
    error: ValidationError, model: type[BaseModel], doc: YamlDoc, path: str
) -> list[Problem]:
    problems = []
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        message, hint = _describe(err, model)
        problems.append(Problem(path, doc.line_of(loc), field_name(loc), message, hint))
    return problems
