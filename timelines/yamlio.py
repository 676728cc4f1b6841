"""Safe YAML reading with line numbers, size limits and alias-bomb protection.

``read_yaml`` returns the plain data and a map from each path inside it (a tuple of keys and indices)
to the line it starts on, so that errors can name the line. Hostile input gets a :class:`YamlRefusal`
with a clear message, never a hang or a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

try:  # the C loader is several times faster; fall back to pure Python where libyaml is missing
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Base = yaml.SafeLoader

MAX_BYTES = 2_000_000
MAX_NODES = 200_000

Loc = tuple[object, ...]


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader that keeps dates as text: the schema parses YYYY, YYYY-MM and YYYY-MM-DD itself."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


class YamlRefusal(ValueError):
    """A file that cannot be read as YAML data: carries the line and a hint."""

    def __init__(self, message: str, line: int = 0, hint: str = ""):
        super().__init__(message)
        self.line = line
        self.hint = hint


@dataclass
class YamlDoc:
    data: object
    lines: dict[Loc, int]

    def line_of(self, loc: Loc) -> int:
        """The line of the deepest part of ``loc`` that exists in the file."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


def _line_map(root: yaml.Node) -> dict[Loc, int]:
    lines: dict[Loc, int] = {}
    stack: list[tuple[Loc, yaml.Node]] = [((), root)]
    seen = 0
    while stack:
        loc, node = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            raise YamlRefusal(
                f"the file expands to more than {MAX_NODES:,} values (anchors and aliases?)",
                hint="write the data out plainly; anchors (&) and aliases (*) are not needed here",
            )
        lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
                lines.setdefault(loc + (key,), key_node.start_mark.line + 1)
                stack.append((loc + (key,), value_node))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((loc + (i,), item) for i, item in enumerate(node.value))
    return lines


def parse_yaml(text: str | bytes) -> YamlDoc:
    """Parse one YAML document into data and a line map, refusing hostile input."""
    if len(text) > MAX_BYTES:
        raise YamlRefusal(
            f"the file is {len(text):,} bytes, over the limit of {MAX_BYTES:,}",
            hint="split it: one case per file under data/cases/",
        )
    if isinstance(text, bytes):
        if b"\x00" in text:
            raise YamlRefusal("the file holds binary data (NUL bytes), not YAML text",
                              hint="save it as UTF-8 text")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as err:
            raise YamlRefusal(f"the file is not UTF-8 text ({err.reason} at byte {err.start})",
                              hint="save it as UTF-8 text") from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlRefusal("the file is empty", hint="see the README for a minimal example")
        lines = _line_map(node)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 0
        what = err.problem or str(err)
        raise YamlRefusal(
            f"YAML syntax error: {what}", line,
            hint="check indentation, colons and quotes; a value holding ': ' or '#' needs quotes",
        ) from None
    except yaml.YAMLError as err:
        raise YamlRefusal(f"YAML error: {err}", hint="save the file as plain UTF-8 YAML") from None
    except RecursionError:
        raise YamlRefusal("the file is nested too deeply", hint="flatten the structure") from None
    finally:
        loader.dispose()
    return YamlDoc(data, lines)


def read_yaml(path: Path) -> YamlDoc:
    """Read a YAML file from disk with the same protections as :func:`parse_yaml`."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise YamlRefusal(f"the file is {size:,} bytes, over the limit of {MAX_BYTES:,}",
                          hint="split it: one case per file under data/cases/")
    return parse_yaml(path.read_bytes())
