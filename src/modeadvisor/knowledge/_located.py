"""Where things are written: every item of a knowledge base, and pydantic's errors, located.

- `ItemLocation`: the layer, file and path of one item, kept by the loader for every item of the
  knowledge base, so that lint and error messages never read a pack file twice;
- `pydantic_problems`: pydantic's validation errors mapped back to file, line and column.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import (
    BaseModel,
    ValidationError,
)

from modeadvisor._i18n import Message
from modeadvisor.errors import Location, Problem, did_you_mean
from modeadvisor.knowledge._documents import (
    Document,
    PathKey,
    WrittenFile,
)


@dataclass(frozen=True, slots=True)
class ItemLocation:
    """Where one item of a pack is written: the pack (layer) that wrote it, its file, its path.

    `at(*sub)` is the place of a value inside the item (`at("when")`, `at("match", "a")`), or
    of the nearest enclosing value written; a text that a `translations:` section gave
    (`at("rationale", "fi")`) is placed where the translation is written.
    """

    pack: str
    file: WrittenFile
    path: PathKey  # the item's path in its file, e.g. ("rules", 3)
    #: (text field, language) -> where a `translations:` section wrote that text
    translations: Mapping[tuple[str, str], ItemLocation] = dataclasses.field(default_factory=dict)

    def at(self, *sub: str | int) -> Location:
        where, rest = self._written(sub)
        return where.file.location((*where.path, *rest))

    def in_text(self, sub: PathKey, offset: int, column: int) -> Location:
        """The place of a 1-based `column` of a condition that starts at `offset` of a value."""
        where, rest = self._written(sub)
        location = where.file.location((*where.path, *rest))
        line = where.file.source_line(location.line) or ""
        start = location.column or 1
        mark = line[start - 1 : start]
        if mark in ("|", ">") or location.line is None:
            return location  # a block scalar: the line of the value is as close as it gets
        if mark in ("'", '"'):
            start += 1
        return Location(location.file, location.line, start + offset + max(column, 1) - 1)

    def _written(self, sub: PathKey) -> tuple[ItemLocation, PathKey]:
        if len(sub) >= 2:
            translated = self.translations.get((str(sub[0]), str(sub[1])))
            if translated is not None:
                return translated, sub[2:]
        return self, sub


# --- pydantic errors, located ----------------------------------------------------------------


def pydantic_problems(
    error: ValidationError, document: Document, base: PathKey, model: type[BaseModel]
) -> Iterator[Problem]:
    """Turn pydantic's errors into located problems, with a did-you-mean for unknown keys."""
    details = error.errors(include_url=False)
    item_locs = [d["loc"] for d in details if d["type"] != "too_short"]
    for detail in details:
        loc = tuple(part for part in detail["loc"] if not _is_union_tag(part))
        if detail["type"] == "too_short" and any(
            other[: len(detail["loc"])] == detail["loc"] for other in item_locs
        ):
            continue  # pydantic also counts the invalid items out; their own errors say more
        path = (*base, *loc)
        kind = detail["type"]
        where = ".".join(str(p) for p in loc)
        if kind == "extra_forbidden":
            key = str(loc[-1]) if loc else ""
            allowed = _fields_at(model, loc[:-1])
            yield document.problem(
                path,
                Message(
                    "unknown key '{key}'; expected one of {names}",
                    key=key,
                    names=", ".join(allowed),
                ),
                did_you_mean(key, allowed),
                key=True,
            )
        elif kind == "missing":
            yield document.problem(
                path[:-1], Message("missing required key '{value}'", value=loc[-1])
            )
        else:
            message = detail["msg"]
            if message.startswith("Value error, "):
                message = message.removeprefix("Value error, ")
            if kind == "string_pattern_mismatch":
                pattern = str((detail.get("ctx") or {}).get("pattern", ""))
                message = _pattern_message(detail.get("input"), loc, pattern)
            shown = f"'{where}': " if where else ""
            yield document.problem(path, Message("{shown}{message}", shown=shown, message=message))


def _is_union_tag(part: str | int) -> bool:
    return isinstance(part, str) and ("[" in part or part in {"float", "int", "str", "bool"})


_PATTERN_WORDS = {
    "^[a-z][a-z0-9_]*$": "lower-case letters, digits and _, starting with a letter",
    "^[a-z0-9][a-z0-9_]*$": "lower-case letters, digits and _",
    "^[A-Za-z0-9][A-Za-z0-9_.-]*$": "letters, digits, _ . and -, no spaces",
}


def _pattern_message(value: object, loc: tuple[str | int, ...], pattern: str) -> str:
    if "source" in loc or "observes" in loc:
        return Message("'{value}' is not a source id; expected the form S-P3", value=value)
    if "about" in loc:  # finding.about
        return Message(
            "'{value}' is not alias.field; expected an alias of `match` and a field, e.g. f.model",
            value=value,
        )
    return Message(
        "'{value}' is not a valid id; use {get}",
        value=value,
        get=_PATTERN_WORDS.get(pattern, pattern),
    )


def _fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The field names allowed at `loc` inside `model` (for unknown-key suggestions)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
    fields = getattr(current, "model_fields", {})
    return [info.alias or name for name, info in fields.items()]


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
