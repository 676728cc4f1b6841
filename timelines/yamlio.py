"""Safe YAML reading with line numbers, size limits and alias-bomb protection.

``parse_yaml`` returns the plain data and, on demand, a map from each path inside it (a tuple of keys
and indices) to the line it starts on, so that errors can name the line. Hostile input gets a
:class:`YamlRefusal` with a clear message, never a hang or a traceback.

Two parsers, one result. Where ``yaml-rs`` (a Rust YAML 1.2 parser) is installed it reads the data:
about seven times faster than PyYAML's C loader on a large library, which is what keeps a cold load
of 50,000 events within a few seconds. PyYAML's C loader (pure-Python loader where libyaml is
missing) is used for line numbers, which are only needed when a file has a problem, and for all
parsing where yaml-rs is absent. Both follow YAML 1.2 on booleans (only true/false: ``on`` stays
text) and keep dates as text: the schema parses YYYY, YYYY-MM and YYYY-MM-DD itself.
"""

from __future__ import annotations

import os
import re
import threading
from functools import cached_property

import yaml

try:  # optional accelerator; the library works the same without it
    import yaml_rs
except ImportError:  # pragma: no cover - depends on the environment
    yaml_rs = None

try:  # the C loader is several times faster than the pure-Python one
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Base = yaml.SafeLoader

def _setting(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


# The largest file read, in bytes: a 10,000-event chronology (a long multi-agency case) is about 4 MB,
# so 32 MB leaves room for several times that while still refusing a runaway file. TIMELINES_MAX_FILE_BYTES
# changes it.
MAX_BYTES = _setting("TIMELINES_MAX_FILE_BYTES", 32_000_000)
# The most values a file may expand to through anchors and aliases (an alias bomb stops here).
MAX_NODES = _setting("TIMELINES_MAX_YAML_NODES", 4_000_000)
# Values replayed through aliases: the data needs none, so a small limit refuses a bomb at once.
MAX_ALIAS_VALUES = 200_000

Loc = tuple[object, ...]


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader with YAML 1.2 booleans (true/false only) and dates kept as text."""


_BOOL_12 = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, _BOOL_12 if tag == "tag:yaml.org,2002:bool" else rx)
            for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


class YamlRefusal(ValueError):
    """A file that cannot be read as YAML data: carries the line and a hint."""

    def __init__(self, message: str, line: int = 0, hint: str = ""):
        super().__init__(message)
        self.line = line
        self.hint = hint


_SYNTAX_HINT = "check indentation, colons and quotes; a value holding ': ' or '#' needs quotes"
_TOO_BIG = "the file expands to more than {:,} values (anchors and aliases?)"
_TOO_BIG_HINT = "write the data out plainly; anchors (&) and aliases (*) are not needed here"


class YamlDoc:
    """Parsed data, and the line of each path inside it (worked out only when asked for)."""

    def __init__(self, data: object, text: str, lines: dict[Loc, int] | None = None):
        self.data = data
        self._text = text
        if lines is not None:
            self.__dict__["lines"] = lines

    @cached_property
    def lines(self) -> dict[Loc, int]:
        try:
            return _compose(self._text)[1]
        except YamlRefusal:
            return {}

    def line_of(self, loc: Loc) -> int:
        """The line of the deepest part of ``loc`` that exists in the file."""
        loc = tuple(loc)
        lines = self.lines
        while loc:
            if loc in lines:
                return lines[loc]
            loc = loc[:-1]
        return lines.get((), 1)


def _line_map(root: yaml.Node) -> dict[Loc, int]:
    lines: dict[Loc, int] = {}
    stack: list[tuple[Loc, yaml.Node]] = [((), root)]
    seen = 0
    visited: set[int] = set()  # an alias is the same node again: count how often nodes come back
    replayed = 0
    while stack:
        loc, node = stack.pop()
        seen += 1
        if id(node) in visited:
            replayed += 1
            if replayed > MAX_ALIAS_VALUES:
                raise YamlRefusal(_TOO_BIG.format(MAX_ALIAS_VALUES), hint=_TOO_BIG_HINT)
        else:
            visited.add(id(node))
        if seen > MAX_NODES:
            raise YamlRefusal(_TOO_BIG.format(MAX_NODES), hint=_TOO_BIG_HINT)
        lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            keys: set[object] = set()
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
                if key in keys:
                    raise YamlRefusal(f"duplicate key '{key}'", key_node.start_mark.line + 1,
                                      hint="each key may appear once in a mapping; merge or remove one")
                keys.add(key)
                lines.setdefault(loc + (key,), key_node.start_mark.line + 1)
                stack.append((loc + (key,), value_node))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((loc + (i,), item) for i, item in enumerate(node.value))
    return lines


def _compose(text: str) -> tuple[object, dict[Loc, int]]:
    """PyYAML: the data and its line map, refusing alias bombs, duplicate keys and bad syntax."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlRefusal("the file is empty", hint="see the README for a minimal example")
        lines = _line_map(node)
        return loader.construct_document(node), lines
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise YamlRefusal(f"YAML syntax error: {err.problem or err}", mark.line + 1 if mark else 0,
                          hint=_SYNTAX_HINT) from None
    except yaml.YAMLError as err:
        raise YamlRefusal(f"YAML error: {err}", hint="save the file as plain UTF-8 YAML") from None
    except RecursionError:
        raise YamlRefusal("the file is nested too deeply", hint="flatten the structure") from None
    finally:
        loader.dispose()


# One yaml-rs parse at a time: Streamlit runs each session's script in its own thread, and a crash inside
# yaml_rs.loads was once seen (not reproduced since) when sessions loaded while a case file was removed.
# Serialising costs nothing measurable (a library is parsed once, then served from the cache).
# Not reproduced without the lock either (Nov 2026, yaml-rs 0.1.6): 32 threads parsing the bundled files,
# generated cases of up to 3,000 events and truncated or hostile texts for minutes (about 38,000 parses,
# and PyYAML composing alongside) in a subprocess never crashed; two threads took twice one's time, so
# yaml-rs seems to hold the GIL while parsing. The lock stays: it is cheap and the crash was real.
_FAST_LOCK = threading.Lock()


def _fast(text: str) -> object:
    """yaml-rs: the data only. Raises YamlRefusal where it cannot read the file."""
    limits = yaml_rs.AliasLimits(max_total_replayed_events=MAX_ALIAS_VALUES)
    try:
        with _FAST_LOCK:
            data = yaml_rs.loads(text, parse_datetime=False, alias_limits=limits)
    except yaml_rs.YAMLDecodeError as err:
        # PyYAML gives the line and wording (and refuses alias bombs and duplicates the same way).
        _compose(text)
        found = re.search(r"line (\d+)", str(err))
        raise YamlRefusal(f"YAML error: {str(err).splitlines()[-1]}", int(found[1]) if found else 0,
                          hint=_SYNTAX_HINT) from None
    except (ValueError, OverflowError, RecursionError) as err:
        raise YamlRefusal(f"YAML error: {err}", hint=_SYNTAX_HINT) from None
    if data is None:
        raise YamlRefusal("the file is empty", hint="see the README for a minimal example")
    return data


def parse_yaml(text: str | bytes, *, fast: bool = True) -> YamlDoc:
    """Parse one YAML document into data (and a line map on demand), refusing hostile input."""
    if len(text) > MAX_BYTES:
        raise YamlRefusal(f"the file is {len(text):,} bytes, over the limit of {MAX_BYTES:,}",
                          hint="split it: one case per file under data/cases/ (or raise TIMELINES_MAX_FILE_BYTES)")
    if isinstance(text, bytes):
        if b"\x00" in text:
            raise YamlRefusal("the file holds binary data (NUL bytes), not YAML text",
                              hint="save it as UTF-8 text")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as err:
            raise YamlRefusal(f"the file is not UTF-8 text ({err.reason} at byte {err.start})",
                              hint="save it as UTF-8 text") from None
    if fast and yaml_rs is not None:
        return YamlDoc(_fast(text), text)
    data, lines = _compose(text)
    return YamlDoc(data, text, lines)
