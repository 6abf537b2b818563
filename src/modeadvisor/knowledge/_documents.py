"""Reading YAML and JSON files into plain data that remembers where each value stood.

PyYAML's composer gives nodes with positions; we build plain dicts, lists and scalars from those
nodes ourselves, so that (a) no YAML tag can construct a Python object — only the safe scalar
types are resolved — and (b) every value's line and column is kept for error messages, keyed by
its path (`("rules", 3, "when")`) in the document. JSON is read by the same path (JSON is YAML
1.2 for our purposes), so both formats get identical error locations.

The composer is libyaml's (C) where PyYAML has it: the pure-Python one recurses once per nesting
level and scans nested flow collections in quadratic time, so a few kilobytes of `[[[[...` would
cost seconds or a RecursionError. File size, values, depth and text length are bounded by
`Limits`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from modeadvisor._i18n import Message
from modeadvisor.errors import Location, Problem, display_path, os_reason
from modeadvisor.limits import DEFAULT_LIMITS, Limits, how_to_raise, read_at_most

PathKey = tuple[str | int, ...]

_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_EXPONENT_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?[eE][-+]?[0-9]+")


class DocumentError(Exception):
    """Raised inside this module; callers turn its problems into their own error type."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(slots=True)
class Document:
    """A parsed file: its data, and where each value and mapping key stood in the text."""

    path: Path
    name: str
    data: Any
    lines: list[str]
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def location(self, path: PathKey, *, key: bool = False) -> Location:
        """The location of the value at `path`, or of the nearest enclosing value known."""
        if not key:
            return _nearest(self.values, self.name, path)
        probe = tuple(path)
        while probe:
            if probe in self.keys:
                line, column = self.keys[probe]
                return Location(self.name, line, column)
            if probe in self.values:  # no key position: fall back to the value
                line, column = self.values[probe]
                return Location(self.name, line, column)
            probe = probe[:-1]
        return _nearest(self.values, self.name, ())

    def problem(
        self, path: PathKey, message: str, hint: str | None = None, *, key: bool = False
    ) -> Problem:
        location = self.location(path, key=key)
        return Problem(location, message, hint, self.source_line(location.line))

    def source_line(self, line: int | None) -> str | None:
        if line is None or not 1 <= line <= len(self.lines):
            return None
        return self.lines[line - 1]

    def within(self, key: str) -> Document:
        """The value under `key` of this document's top mapping as a document of its own: its
        positions are still those of the text it stands in."""
        data = self.data.get(key) if isinstance(self.data, dict) else None
        size = 1
        return Document(
            path=self.path,
            name=self.name,
            data=data,
            lines=self.lines,
            values={p[size:]: at for p, at in self.values.items() if p[:size] == (key,)},
            keys={p[size:]: at for p, at in self.keys.items() if p[:size] == (key,)},
        )

    def written(self, root: Path) -> WrittenFile:
        """What the knowledge base keeps of this file once read: no need to read it again."""
        return WrittenFile(
            root, self.path.relative_to(root).as_posix(), tuple(self.lines), self.values
        )


@dataclass(frozen=True, slots=True)
class WrittenFile:
    """A file of a pack as kept after reading: its lines and where each value stood in them.

    The file is named as `KnowledgeBase.where` names a rule's: its pack folder joined with its
    path inside, shown relative to the working directory when it is read.
    """

    root: Path  # the folder of the pack it belongs to
    relative: str  # its path inside that folder
    lines: tuple[str, ...]
    values: Mapping[PathKey, tuple[int, int]]  # never changed once the file is read

    @property
    def name(self) -> str:
        return display_path(self.root / self.relative)

    def location(self, path: PathKey) -> Location:
        """The location of the value at `path`, or of the nearest enclosing value known."""
        return _nearest(self.values, self.name, path)

    def source_line(self, line: int | None) -> str | None:
        if line is None or not 1 <= line <= len(self.lines):
            return None
        return self.lines[line - 1]


def _nearest(values: Mapping[PathKey, tuple[int, int]], name: str, path: PathKey) -> Location:
    probe = tuple(path)
    while probe:
        if probe in values:
            line, column = values[probe]
            return Location(name, line, column)
        probe = probe[:-1]
    if () in values:
        line, column = values[()]
        return Location(name, line, column)
    return Location(name, 1, 1)


def load_document(path: Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read one YAML or JSON file. Raises DocumentError with located problems."""
    name = display_path(path)
    try:
        if path.exists() and not path.is_file():  # a folder, a device like /dev/zero, a pipe
            raise DocumentError([Problem(Location(name), Message("not a regular file"))])
        with path.open("rb") as stream:  # read at most the limit: sizes can lie (/proc)
            raw = read_at_most(stream, limits.max_file_bytes + 1)
        if len(raw) > limits.max_file_bytes:
            size = max(path.stat().st_size, len(raw))
            raise DocumentError(
                [
                    Problem(
                        Location(name),
                        (
                            Message(
                                "file is {size:,} bytes; the limit is {max_file_bytes:,}",
                                size=size,
                                max_file_bytes=limits.max_file_bytes,
                            )
                        ),
                        Message("split it, or {how}", how=how_to_raise("max_file_bytes")),
                    )
                ]
            )
    except OSError as error:
        reason = os_reason(error)
        raise DocumentError(
            [Problem(Location(name), Message("cannot read file: {reason}", reason=reason))]
        ) from error
    return parse_document(decode(raw, name), path, name, limits=limits)


def decode(raw: bytes, name: str) -> str:
    """A file's bytes as text (UTF-8, a byte-order mark dropped); a byte that is not UTF-8 is a
    located problem."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"file is not valid UTF-8 (byte 0x{raw[error.start]:02x})"
        raise DocumentError(
            [Problem(Location(name, line, column), message, Message("save the file as UTF-8"))]
        ) from error


def parse_document(
    text: str, path: Path, name: str | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> Document:
    """Parse YAML/JSON text already decoded; `name` is what error messages call the file."""
    name = name or display_path(path)
    lines = text.splitlines()
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
        what = error.problem or error.context or "malformed YAML"
        problem = Problem(
            location,
            Message("malformed YAML/JSON: {what}", what=what),
            None,
            lines[location.line - 1] if location.line and location.line <= len(lines) else None,
        )
        raise DocumentError([problem]) from error
    except yaml.YAMLError as error:  # e.g. a reader error on a control character
        raise DocumentError(
            [Problem(Location(name), Message("malformed YAML/JSON: {error}", error=error))]
        ) from error
    except RecursionError:  # the pure-Python composer, where libyaml is missing
        raise DocumentError(
            [Problem(Location(name), Message("document nests far too deeply"))]
        ) from None
    document = Document(path=path, name=name, data=None, lines=lines)
    if node is None:
        return document
    builder = _Builder(document, limits)
    document.data = builder.build(node, (), 0)
    if builder.problems:
        raise DocumentError(builder.problems)
    return document


class _Builder:
    """Turns composed nodes into plain data, recording positions and refusing unsafe tags."""

    def __init__(self, document: Document, limits: Limits) -> None:
        self.document = document
        self.limits = limits
        self.problems: list[Problem] = []
        self.count = 0
        self.seen: set[int] = set()  # composed nodes already built: seen again = via an alias
        self.via_alias = 0
        self._constructor = yaml.SafeLoader("")  # resolves safe scalar tags only

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        self.count += 1
        limits = self.limits
        if id(node) in self.seen:
            self.via_alias += 1
            if self.via_alias > limits.max_alias_values:
                raise DocumentError(
                    [
                        self._at(
                            node,
                            (
                                Message(
                                    "more than {max_alias_values:,} values are repeated through YAML aliases (an alias bomb?)",
                                    max_alias_values=limits.max_alias_values,
                                )
                            ),
                            Message(
                                "write the values out, or {how}",
                                how=how_to_raise("max_alias_values"),
                            ),
                        )
                    ]
                )
        else:
            self.seen.add(id(node))
        if self.count > limits.max_values:
            raise DocumentError(
                [
                    self._at(
                        node,
                        Message(
                            "document has more than {max_values:,} values (an alias bomb or a file far too large)",
                            max_values=limits.max_values,
                        ),
                        Message("if it is meant, {how}", how=how_to_raise("max_values")),
                    )
                ]
            )
        if depth > limits.max_depth:
            raise DocumentError(
                [
                    self._at(
                        node,
                        Message(
                            "document nests deeper than {max_depth} levels",
                            max_depth=limits.max_depth,
                        ),
                        Message("nest it less deeply, or {how}", how=how_to_raise("max_depth")),
                    )
                ]
            )
        self.document.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self.problems.append(
                    self._at(node, Message("unsupported YAML tag {tag}", tag=node.tag))
                )
                return None
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[str, Any] | None:
        if node.tag != "tag:yaml.org,2002:map":
            self.problems.append(
                self._at(node, Message("unsupported YAML tag {tag}", tag=node.tag))
            )
            return None
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    self._at(key_node, Message("YAML merge keys (<<) are not supported"))
                )
                continue
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str | int) or isinstance(key, bool):
                self.problems.append(
                    self._at(key_node, Message("mapping keys must be plain names"))
                )
                continue
            key = str(key)
            child = (*path, key)
            if key in result:
                self.problems.append(self._at(key_node, Message("duplicate key '{key}'", key=key)))
                continue
            self.document.keys[child] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.problems.append(self._at(node, Message("expected a plain value here")))
            return None
        if len(node.value) > self.limits.max_text:
            self.problems.append(
                self._at(
                    node,
                    Message(
                        "a value of {count:,} characters; the limit is {max_text:,}",
                        count=len(node.value),
                        max_text=self.limits.max_text,
                    ),
                    Message("if it is meant, {how}", how=how_to_raise("max_text")),
                )
            )
            return None
        if (
            node.tag == "tag:yaml.org,2002:str"
            and not node.style
            and _EXPONENT_NUMBER.fullmatch(node.value)
        ):
            return float(node.value)  # YAML 1.1 reads `1e5` as text; JSON and YAML 1.2 do not
        try:
            value = self._constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            self.problems.append(
                self._at(
                    node,
                    Message("unsupported YAML tag {tag}", tag=node.tag),
                    Message("only plain values, lists and mappings are allowed"),
                )
            )
            return None
        if not isinstance(value, str | int | float | bool) and value is not None:
            # timestamps and binary: keep the text as written, let the schema judge it
            return str(node.value)
        return value

    def _at(self, node: yaml.Node, message: str, hint: str | None = None) -> Problem:
        line = node.start_mark.line + 1
        return Problem(
            Location(self.document.name, line, node.start_mark.column + 1),
            message,
            hint,
            self.document.source_line(line),
        )


def expect_mapping(document: Document, what: str) -> Mapping[str, Any]:
    """The document's top level as a mapping, or a located problem saying what was expected."""
    if document.data is None:
        raise DocumentError(
            [
                Problem(
                    Location(document.name, 1, 1),
                    Message("file is empty; expected {what}", what=what),
                )
            ]
        )
    if not isinstance(document.data, dict):
        raise DocumentError(
            [
                document.problem(
                    (),
                    Message(
                        "expected {what} at the top of the file, found {type_name}",
                        what=what,
                        type_name=type_name(document.data),
                    ),
                )
            ]
        )
    return document.data


def type_name(value: object) -> str:
    """How a value's type reads to a non-programmer."""
    match value:
        case bool():
            return Message("true/false")
        case int() | float():
            return Message("a number")
        case str():
            return Message("text")
        case list():
            return Message("a list")
        case dict():
            return Message("a mapping")
        case None:
            return Message("nothing (null)")
    return type(value).__name__
