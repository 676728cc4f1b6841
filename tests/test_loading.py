"""Loading: one bad file never hides the others, the cache never serves stale data, both parsers agree."""

from __future__ import annotations

import dataclasses
import os
import pickle

import pytest
import yaml

from tests.conftest import CASE, DATA, write_library
from timelines import DataError, load_library, loading, yamlio


def test_a_broken_case_does_not_stop_the_others(tmp_path):
    root = write_library(tmp_path / "lib")
    (root / "cases" / "broken.yaml").write_text("id: broken\nevents: [\n")
    (root / "cases" / "second.yaml").write_text(CASE.replace("id: demo", "id: second"))
    library = load_library(root)
    assert set(library.cases) == {"demo", "second"}
    assert library.broken_files == [str(root / "cases" / "broken.yaml")]
    assert any("broken.yaml" in p.path for p in library.problems)
    assert len(library.events) == 4
    with pytest.raises(DataError, match=r"broken\.yaml"):
        library.raise_for_problems()


def test_an_invalid_event_is_reported_and_its_case_withheld_never_dropped_silently(tmp_path):
    root = write_library(tmp_path / "lib", CASE.replace("kind: attack", "kind: atack"))
    library = load_library(root)
    assert "demo" not in library.cases
    assert [p.field for p in library.problems] == ["events[1].kind"]


def test_data_dir_from_the_environment(tmp_path, monkeypatch):
    root = write_library(tmp_path / "elsewhere")
    monkeypatch.setenv("TIMELINES_DATA_DIR", str(root))
    assert set(load_library().cases) == {"demo"}


def test_the_default_is_the_bundled_data(monkeypatch):
    monkeypatch.delenv("TIMELINES_DATA_DIR", raising=False)
    assert loading.data_dir() == DATA


def test_the_cache_serves_an_unchanged_library(library_dir):
    first = load_library(library_dir)
    assert load_library(library_dir) is first  # from memory
    loading._MEMORY.clear()
    from_disk = load_library(library_dir)
    assert from_disk is not first
    assert from_disk.events.equals(first.events)
    assert from_disk.cases["demo"] == first.cases["demo"]


def test_a_library_from_the_disk_cache_equals_a_fresh_load(tmp_path, monkeypatch):
    """Every part of the bundled library survives the cache: a part the cache forgot (as the statistics
    once were) would vanish from every load after the first."""
    monkeypatch.setenv("TIMELINES_CACHE_DIR", str(tmp_path / "cache"))
    fresh = load_library(DATA, use_cache=False)
    load_library(DATA)  # writes the cache
    loading._MEMORY.clear()
    cached = load_library(DATA)
    assert cached is not fresh
    parts = [f.name for f in dataclasses.fields(loading.Library) if f.name not in ("root", "events", "cases")]
    for name in parts:
        assert getattr(cached, name) == getattr(fresh, name), name
    assert {k: cached.cases[k] for k in cached.cases} == {k: fresh.cases[k] for k in fresh.cases}
    assert cached.events.equals(fresh.events)
    assert all(getattr(fresh, name) is not None for name in loading._SINGLE_FILES), "the bundled data has every file"


@pytest.mark.parametrize("where", ["memory", "disk"])
def test_a_changed_byte_means_a_fresh_load(library_dir, where):
    first = load_library(library_dir)
    assert first.cases["demo"].title == "Demo case"
    target = library_dir / "cases" / "demo.yaml"
    stat = target.stat()
    target.write_text(CASE.replace("Demo case", "Demo casf"))
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and time: only content differs
    if where == "disk":
        loading._MEMORY.clear()
    assert load_library(library_dir).cases["demo"].title == "Demo casf"


def test_a_new_file_means_a_fresh_load(library_dir):
    load_library(library_dir)
    (library_dir / "cases" / "second.yaml").write_text(CASE.replace("id: demo", "id: second"))
    assert set(load_library(library_dir).cases) == {"demo", "second"}


@pytest.mark.parametrize("suffix", [".json", ".parquet"])
def test_a_corrupt_cache_file_is_ignored(library_dir, suffix):
    load_library(library_dir)
    loading._MEMORY.clear()
    written = list(loading.cache_dir().glob(f"library-*{suffix}"))
    assert written
    for path in written:
        path.write_bytes(b"not what the cache wrote")
    assert set(load_library(library_dir).cases) == {"demo"}


def test_the_cache_holds_no_pickle_and_ignores_one_planted_beside_it(library_dir):
    load_library(library_dir)
    folder = loading.cache_dir()
    names = sorted(p.name for p in folder.iterdir())
    assert [n.rsplit(".", 1)[1] for n in names] == ["json", "parquet"]
    for path in folder.iterdir():
        assert not path.read_bytes().startswith(b"\x80"), f"{path.name} is a pickle"

    class Planted:
        def __reduce__(self):
            return (os.system, ("touch planted-ran",))

    key = names[0].removeprefix("library-").removesuffix(".json")
    (folder / f"{key}.pickle").write_bytes(pickle.dumps(Planted()))
    loading._MEMORY.clear()
    assert set(load_library(library_dir).cases) == {"demo"}
    assert not os.path.exists("planted-ran")


def test_the_cache_never_deletes_files_it_did_not_write(library_dir, tmp_path):
    folder = loading.cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    theirs = [folder / "notes.txt", folder / "old.pickle", folder / "library-mine.json"]
    for path in theirs:
        path.write_text("someone else's")
    load_library(library_dir)
    (library_dir / "cases" / "second.yaml").write_text(CASE.replace("id: demo", "id: second"))
    load_library(library_dir)  # a new key: the cache replaces its own earlier files, and only those
    assert all(p.read_text() == "someone else's" for p in theirs)
    assert len(list(folder.glob("library-*.parquet"))) == 1


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="no file owners here")
def test_a_folder_others_can_write_to_is_not_used(library_dir):
    folder = loading.cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o777)
    load_library(library_dir)
    assert not list(folder.iterdir())


def test_the_default_cache_folder_is_per_user(monkeypatch, tmp_path):
    monkeypatch.delenv("TIMELINES_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert loading.cache_dir() == tmp_path / f"prevent-timelines-{os.getuid()}"


def test_cases_survive_pickling_as_json(library_dir):
    library = load_library(library_dir, use_cache=False)
    again = pickle.loads(pickle.dumps(library))
    assert isinstance(again.cases._items["demo"], bytes)  # rebuilt only when first used
    assert again.cases["demo"] == library.cases["demo"]


def test_pyyaml_c_loader_is_used_where_present():
    if yaml.__with_libyaml__:
        assert issubclass(yamlio._Loader, yaml.CSafeLoader)


@pytest.mark.parametrize("path", sorted(DATA.rglob("*.yaml")), ids=lambda p: p.name)
def test_both_parsers_read_the_bundled_files_alike(path):
    text = path.read_bytes()
    assert yamlio.parse_yaml(text, fast=True).data == yamlio.parse_yaml(text, fast=False).data


@pytest.mark.parametrize("text", ["a: on\nb: yes\nc: 2014-10-15\nd: 2014\ne: true\nf: null\n"])
def test_both_parsers_follow_yaml_1_2_booleans_and_keep_dates_as_text(text):
    expected = {"a": "on", "b": "yes", "c": "2014-10-15", "d": 2014, "e": True, "f": None}
    assert yamlio.parse_yaml(text, fast=True).data == expected
    assert yamlio.parse_yaml(text, fast=False).data == expected


def test_duplicate_keys_are_refused_by_both_parsers():
    for fast in (True, False):
        with pytest.raises(yamlio.YamlRefusal, match="duplicate key 'a'") as err:
            yamlio.parse_yaml("a: 1\nb: 2\na: 3\n", fast=fast)
        assert err.value.line == 3


def test_line_numbers_point_at_keys():
    doc = yamlio.parse_yaml(CASE)
    assert doc.line_of(("events", 1, "kind")) == 17
    assert doc.line_of(("events", 1, "nonexistent")) == 15
    assert doc.line_of(("outcome_event",)) == 5
