"""pydantic's validation errors mapped back to file, line and column."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import (
    BaseModel,
    ValidationError,
)

from modeadvisor.errors import Problem, did_you_mean
from modeadvisor.knowledge._documents import (
    Document,
    PathKey,
)

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
                f"unknown key '{key}'; expected one of {', '.join(allowed)}",
                did_you_mean(key, allowed),
                key=True,
            )
        elif kind == "missing":
            yield document.problem(path[:-1], f"missing required key '{loc[-1]}'")
        else:
            message = detail["msg"]
            if message.startswith("Value error, "):
                message = message.removeprefix("Value error, ")
            if kind == "string_pattern_mismatch":
                pattern = str((detail.get("ctx") or {}).get("pattern", ""))
                message = _pattern_message(detail.get("input"), loc, pattern)
            shown = f"'{where}': " if where else ""
            yield document.problem(path, f"{shown}{message}")


def _is_union_tag(part: str | int) -> bool:
    return isinstance(part, str) and ("[" in part or part in {"float", "int", "str", "bool"})


_PATTERN_WORDS = {
    "^[a-z][a-z0-9_]*$": "lower-case letters, digits and _, starting with a letter",
    "^[a-z0-9][a-z0-9_]*$": "lower-case letters, digits and _",
    "^[A-Za-z0-9][A-Za-z0-9_.-]*$": "letters, digits, _ . and -, no spaces",
}


def _pattern_message(value: object, loc: tuple[str | int, ...], pattern: str) -> str:
    if "source" in loc or "observes" in loc:
        return f"'{value}' is not a source id; expected the form S-P3"
    return f"'{value}' is not a valid id; use {_PATTERN_WORDS.get(pattern, pattern)}"


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
