"""YAML files that remember where each value came from.

Staff edit the catalog and config by hand, so every complaint must say *file:line field*; plain
`yaml.safe_load` forgets lines. Keeping a path → line map for every value of a 100k-paper file costs
more than the parse itself, so a file is read fast (plain data built straight from libyaml's events)
and the line map is made only when a problem has to name a line: the text is parsed again then, with
every node's line kept. The rare file the fast reading does not take as it is (anchors, explicit tags,
a duplicate or non-text key) is read by that slower parse too.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class SourceError(Exception):
    """One or more problems in hand-edited files; nothing was written because of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class Document:
    """A loaded YAML document, and the line of every value in it (found when first asked for)."""

    file: str
    data: Any
    text: str | None = field(default=None, repr=False)
    _lines: dict[Path_, int] | None = field(default=None, repr=False)

    @property
    def lines(self) -> dict[Path_, int]:
        if self._lines is None:
            self._lines = {} if self.text is None else parse_with_lines(self.text, self.file).lines
        return self._lines

    def line(self, path: Path_) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def problem(self, path: Path_, message: str) -> Problem:
        return Problem(self.file, self.line(path), dotted(path), message)


# libyaml's parser when present: a 100k-paper catalog must build in seconds, not a minute.
# Dates stay text here: PyYAML's own date parsing raises a bare ValueError on 2024-02-30, and the
# schema turns a bad date into a Problem with its line instead.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    yaml_implicit_resolvers: ClassVar[dict[str, Any]] = {
        first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    # libyaml calls these three back for each of the millions of nodes of a large file. Without path
    # resolvers (we register none) they reduce to: a plain scalar may be an int, bool, null or float;
    # anything else is text, a list or a mapping.
    def descend_resolver(self, current_node: yaml.Node | None, current_index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return str(tag)
            return str(self.DEFAULT_SCALAR_TAG)
        return str(self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG)


assert not _Loader.yaml_path_resolvers and None not in _Loader.yaml_implicit_resolvers


def _convert(loader: _Loader, node: yaml.Node, path: Path_, lines: dict[Path_, int], file: str) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise SourceError([Problem(file, key_node.start_mark.line + 1, dotted(path), f"key {key!r} must be text")])
            if key in out:
                raise SourceError([Problem(file, key_node.start_mark.line + 1, dotted((*path, key)), "duplicate key")])
            lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _convert(loader, value_node, (*path, key), lines, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(loader, item, (*path, i), lines, file) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


_STR = "tag:yaml.org,2002:str"
_PLAIN_KINDS = frozenset(f"tag:yaml.org,2002:{kind}" for kind in ("int", "float", "bool", "null"))
_NO_KEY = object()
"""A mapping's key not read yet (None is a value: a key `null:` is refused as not text anyway)."""


class _IrregularError(Exception):
    """Something the fast reading leaves to the line-tracking one: a key that is not text or is given
    twice (errors, reported with their line), an anchor, alias or explicit tag, a second document.
    """


def _from_events(loader: _Loader) -> Any:
    """The document's plain data made straight from libyaml's events (the fast path of `parse`).

    Composing PyYAML's node tree first and converting it after made and walked two million node
    objects at 100k papers; the events come anyway, so this builds the dicts and lists as they
    stream past. A plain scalar is resolved once per distinct text (keys repeat 100k times); a quoted
    or block scalar is text whatever it looks like, as YAML says. An anchor changes nothing until an
    alias repeats its value: aliases (and explicit tags) are left to the slow path.
    """
    resolve, constructors = loader.resolve, loader.yaml_constructors
    resolved: dict[str, Any] = {}
    known = resolved.get
    stack: list[tuple[Any, Any]] = []
    top: Any = None  # the mapping or list being filled, None at the top level
    key: Any = _NO_KEY
    root: Any = None
    documents = 0
    scalar, mapping, sequence = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    for event in iter(loader.get_event, None):
        kind = event.__class__
        if kind is scalar:
            if event.tag is not None:
                raise _IrregularError
            value = event.value
            if not event.style:  # plain: null, a bool, a number or text, by its look
                found = known(value, _NO_KEY)
                if found is _NO_KEY:
                    tag = resolve(yaml.ScalarNode, value, (True, False))
                    if tag == _STR:
                        found = value
                    elif tag in _PLAIN_KINDS:
                        found = constructors[tag](loader, yaml.ScalarNode(tag, value))
                    else:
                        raise _IrregularError  # '<<' or '=': PyYAML's own rules decide
                    resolved[value] = found
                value = found
        elif kind is mapping or kind is sequence:
            if event.tag is not None:
                raise _IrregularError
            stack.append((top, key))
            top, key = ({} if kind is mapping else []), _NO_KEY
            continue
        elif kind in ends:
            value = top
            top, key = stack.pop()
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _IrregularError  # PyYAML refuses a second document: the slow path says so
            continue
        elif kind is yaml.AliasEvent:
            raise _IrregularError
        else:  # stream start and end, document end
            continue
        if top is None:
            root = value
        elif top.__class__ is list:
            top.append(value)
        elif key is _NO_KEY:
            if value.__class__ is not str or value in top:
                raise _IrregularError
            key = value
        else:
            top[key] = value
            key = _NO_KEY
    return root


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cycle collector: parsing a large file makes millions of objects and none of them is
    garbage yet, so every collection would scan them all for nothing (it tripled a 100k-paper parse).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def parse(text: str, file: str) -> Document:
    """Parse YAML text fast; lines are found later, and only if a problem needs one."""
    with no_gc():
        loader = _Loader(text)
        try:
            data = _from_events(loader)
        except (yaml.YAMLError, _IrregularError):
            return parse_with_lines(text, file)  # raises the SourceError with its line, or reads it all
        finally:
            loader.dispose()
    return Document(file, data, text)


def parse_with_lines(text: str, file: str) -> Document:
    """Parse YAML text keeping the line of every value; syntax errors become a Problem with the line
    the parser stopped at.
    """
    lines: dict[Path_, int] = {}
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else _convert(loader, node, (), lines, file)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise SourceError([Problem(file, line, "", f"not valid YAML: {exc.problem or exc}")]) from None
    except yaml.YAMLError as exc:
        raise SourceError([Problem(file, None, "", f"not valid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    return Document(file, data, text, lines)


def load(path: Path) -> Document:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError([Problem(str(path), None, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError([Problem(str(path), None, "", f"cannot read: {exc}")]) from None
    return parse(text, str(path))
