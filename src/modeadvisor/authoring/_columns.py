"""Pack items as flat rows of cells, and back: the column layout a spreadsheet (or any table)
uses for each section, read off the pydantic shapes so a new field needs no code here.

A field becomes one column named by its key (`from`, `when`, `override`), except:

- a text becomes two, `name.en` and `name.fi`;
- a list of ids is one cell, `S-P1, S-P6`;
- a scalar (a string, number, bool or one of a set of words) is the cell's own value;
- anything nested (a mapping, a severity ladder, a finding) is YAML in flow style, read back
  with `yaml.safe_load`;
- a scoring rule's weights are one column per archetype, `weight.production` (a decision table).

An empty cell is the field's default, so a value equal to its default is written as an empty
cell and read back the same.
"""

from __future__ import annotations

import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel

from modeadvisor.knowledge import Text

Kind = Literal["text", "list", "scalar", "yaml", "weights"]
Cell = str | int | float | bool | None
WEIGHT = "weight."


def _strip(annotation: Any) -> Any:
    """The type under `Annotated[...]` and `X | None`; a real union is kept."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [a for a in get_args(annotation) if a is not type(None)]
        return _strip(rest[0]) if len(rest) == 1 else annotation
    return annotation


def _kind(name: str, annotation: Any) -> Kind:
    if name == "weights":
        return "weights"
    bare = _strip(annotation)
    if bare is Text:
        return "text"
    if get_origin(bare) is tuple and all(a is Ellipsis or _strip(a) is str for a in get_args(bare)):
        return "list"
    if bare in (str, int, float, bool) or get_origin(bare) is Literal:
        return "scalar"
    return "yaml"


@dataclass(frozen=True)
class Field:
    name: str  # the attribute
    key: str  # the key in a pack file (its alias)
    kind: Kind
    default: Any
    is_str: bool  # a scalar held as a string (a number typed in a cell is read as its text)


def fields(model: type[BaseModel], skip: Sequence[str] = ()) -> list[Field]:
    found = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key in skip:
            continue
        kind = _kind(name, info.annotation)
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        found.append(Field(name, key, kind, default, _strip(info.annotation) is str))
    # `override` (a layer's flag, inherited by every item) last: the id reads first
    return sorted(found, key=lambda f: f.key == "override")


def headers(layout: Sequence[Field], archetypes: Sequence[str]) -> list[str]:
    names: list[str] = []
    for field in layout:
        if field.kind == "text":
            names += [f"{field.key}.en", f"{field.key}.fi"]
        elif field.kind == "weights":
            names += [f"{WEIGHT}{a}" for a in archetypes]
        else:
            names.append(field.key)
    return names


def to_cells(item: BaseModel, layout: Sequence[Field]) -> dict[str, Cell]:
    """One item's cells by column name (empty cells left out)."""
    cells: dict[str, Cell] = {}
    for field in layout:
        value = getattr(item, field.name)
        if field.kind == "text":
            if value is not None:
                cells[f"{field.key}.en"] = value.en
                cells[f"{field.key}.fi"] = value.fi
        elif field.kind == "weights":
            cells.update({f"{WEIGHT}{a}": w for a, w in value.items()})
        elif value == field.default:
            continue
        elif field.kind == "list":
            cells[field.key] = ", ".join(value)
        elif field.kind == "scalar":
            cells[field.key] = value
        else:
            cells[field.key] = flow_yaml(_plain(value))
    return {k: v for k, v in cells.items() if v is not None and v != ""}


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def flow_yaml(value: Any) -> str:
    text = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, width=1_000_000, sort_keys=False
    )
    return text.removesuffix("\n...\n").strip()


class CellError(ValueError):
    """A cell that does not read as its column's kind; `column` names the column."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def from_cells(cells: Mapping[str, Cell], layout: Sequence[Field]) -> dict[str, Any]:
    """The item's data (as a pack file writes it) from its cells; raises CellError."""
    data: dict[str, Any] = {}
    for field in layout:
        for key, value in _read_field(field, cells):
            data[key] = value
    return data


def _read_field(field: Field, cells: Mapping[str, Cell]) -> Iterator[tuple[str, Any]]:
    match field.kind:
        case "text":
            en, fi = cells.get(f"{field.key}.en"), cells.get(f"{field.key}.fi")
            if en is not None or fi is not None:
                text = {"en": _text(en)} if en is not None else {}
                yield field.key, {**text, **({"fi": _text(fi)} if fi is not None else {})}
        case "weights":
            weights = {}
            for column, value in cells.items():
                if column.startswith(WEIGHT) and value is not None:
                    if isinstance(value, bool) or not isinstance(value, int | float):
                        raise CellError(column, f"a weight is a number, found '{value}'")
                    weights[column.removeprefix(WEIGHT)] = value
            yield field.key, weights
        case _:
            value = cells.get(field.key)
            if value is not None:
                yield field.key, _read_value(field, value)


def _read_value(field: Field, value: Cell) -> Any:
    if field.kind == "list":
        return [part.strip() for part in _text(value).split(",") if part.strip()]
    if field.kind == "scalar":
        return _text(value) if field.is_str and not isinstance(value, bool) else value
    if not isinstance(value, str):
        return value
    try:
        return yaml.safe_load(value)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at character {mark.column + 1}" if mark is not None else ""
        raise CellError(field.key, f"does not read as YAML{where}: {error}") from None


def _text(value: Cell) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
