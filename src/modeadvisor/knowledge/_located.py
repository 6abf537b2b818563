"""Where things are written: every item of a knowledge base, and pydantic's errors, located.

- `ItemLocation`: the layer, file and path of one item, kept by the loader for every item of the
  knowledge base, so that lint and error messages never read a pack file twice;
- `pydantic_problems`: pydantic's validation errors mapped back to file, line and column.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
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
            message = pydantic_message(detail)
            if message.startswith("Value error, "):
                message = message.removeprefix("Value error, ")
            if kind == "string_pattern_mismatch":
                pattern = str((detail.get("ctx") or {}).get("pattern", ""))
                message = _pattern_message(detail.get("input"), loc, pattern)
            shown = f"'{where}': " if where else ""
            yield document.problem(path, Message("{shown}{message}", shown=shown, message=message))


#: pydantic's own messages for the commonest mistakes, as templates over the error's context:
#: said in Finnish where the template gives pydantic's exact English text back.
_PYDANTIC: dict[str, Callable[..., str]] = {
    "dict_type": lambda **c: Message("Input should be a valid dictionary", **c),
    "list_type": lambda **c: Message("Input should be a valid list", **c),
    "string_type": lambda **c: Message("Input should be a valid string", **c),
    "int_type": lambda **c: Message("Input should be a valid integer", **c),
    "int_parsing": lambda **c: Message(
        "Input should be a valid integer, unable to parse string as an integer", **c
    ),
    "int_from_float": lambda **c: Message(
        "Input should be a valid integer, got a number with a fractional part", **c
    ),
    "float_type": lambda **c: Message("Input should be a valid number", **c),
    "float_parsing": lambda **c: Message(
        "Input should be a valid number, unable to parse string as a number", **c
    ),
    "bool_type": lambda **c: Message("Input should be a valid boolean", **c),
    "bool_parsing": lambda **c: Message(
        "Input should be a valid boolean, unable to interpret input", **c
    ),
    "model_type": lambda **c: Message(
        "Input should be a valid dictionary or instance of {class_name}", **c
    ),
    "literal_error": lambda **c: Message("Input should be {expected}", **c),
    "greater_than": lambda **c: Message("Input should be greater than {gt}", **c),
    "greater_than_equal": lambda **c: Message("Input should be greater than or equal to {ge}", **c),
    "less_than": lambda **c: Message("Input should be less than {lt}", **c),
    "less_than_equal": lambda **c: Message("Input should be less than or equal to {le}", **c),
}


def pydantic_message(detail: Any) -> str:
    """pydantic's message of one error: a `Message` (the same English) where it is one of the
    common kinds, so that it can be said in Finnish; else pydantic's text as it is."""
    text = str(detail["msg"])
    known = _PYDANTIC.get(str(detail["type"]))
    if known is None:
        return text
    context = {str(k): v for k, v in (detail.get("ctx") or {}).items()}
    try:
        said = known(**context)
    except (KeyError, IndexError, ValueError):
        return text
    return said if said == text else text


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
