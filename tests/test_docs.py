"""The docs match the code: the README's schema tables and the JSON Schema files are generated from the
models, and a test fails when they drift."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import DATA, REPO
from timelines import schema, schema_docs
from timelines.vocab import AGENCIES, KINDS

README = (REPO / "README.md").read_text()


def test_readme_schema_section_matches_the_models():
    start = README.index(schema_docs.START)
    end = README.index(schema_docs.END) + len(schema_docs.END)
    assert README[start:end] == schema_docs.schema_markdown(), "run `make schema` to regenerate it"


@pytest.mark.parametrize(("model", "what"), schema_docs.DOCUMENTED, ids=lambda m: getattr(m, "__name__", ""))
def test_every_field_is_in_the_readme_with_whether_it_is_required(model, what):
    section = README.split(f"#### {model.__name__}: ", 1)[1].split("####", 1)[0]
    rows = dict(re.findall(r"^\| `(\w+)` \| (yes|no) \|", section, re.M))
    expected = {name: "yes" if info.is_required() else "no" for name, info in model.model_fields.items()}
    assert rows == expected


def test_every_kind_and_agency_is_documented():
    for item in (*KINDS, *AGENCIES):
        assert f"| `{item.id}` | {item.label} |" in README


def test_every_file_model_is_documented():
    documented = {m for m, _ in schema_docs.DOCUMENTED}
    assert set(schema.FILE_MODELS.values()) - {schema.SourceList} <= documented


@pytest.mark.parametrize("name", sorted(schema_docs.json_schemas()))
def test_json_schema_files_are_up_to_date(name):
    on_disk = (DATA / "schema" / name).read_text()
    assert on_disk == schema_docs.json_schemas()[name], "run `make schema` to regenerate it"
    assert json.loads(on_disk)["additionalProperties"] is False


def test_quick_start_is_two_commands():
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]
