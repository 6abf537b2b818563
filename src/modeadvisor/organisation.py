"""Organisations: the input of an assessment — units in a tree, their traits and models in use.

The structure is checked by pydantic; the content (trait ids and value types, model ids, the unit
tree) is checked against a knowledge base by `check_organisation`, which reports every problem
with its line in the organisation file.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from .conditions import TraitValue
from .documents import Document, DocumentError, PathKey, expect_mapping, load_document, type_name
from .errors import Location, OrganisationError, Problem, did_you_mean
from .knowledge import (
    NUMBER_DECIMALS,
    NUMBER_LIMIT,
    SCALE_MAX,
    SCALE_MIN,
    KnowledgeBase,
    Trait,
    pydantic_problems,
)

UnitId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
                                          max_length=100)]
RawValue = bool | int | float | str | list[str]


class Unit(BaseModel):
    """One organisational unit as observed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: UnitId
    name: str | None = None
    parent: UnitId | None = None
    traits: dict[str, RawValue] = Field(default_factory=dict)
    models_in_use: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return self.name or self.id


class Organisation(BaseModel):
    """An organisation file: a name and a tree of units (by `parent` ids)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    organisation: Annotated[str, StringConstraints(min_length=1)]
    units: tuple[Unit, ...] = Field(min_length=1)


def load_organisation(path: Path | str) -> tuple[Organisation, Document]:
    """Read and structurally validate an organisation file (YAML or JSON)."""
    try:
        document = load_document(Path(path))
        data = expect_mapping(document, "a mapping with `organisation` and `units`")
    except DocumentError as error:
        raise OrganisationError(error.problems) from None
    try:
        return Organisation.model_validate(data), document
    except ValidationError as error:
        raise OrganisationError(list(pydantic_problems(error, document, (), Organisation))) \
            from None


def from_data(data: Mapping[str, Any]) -> Organisation:
    """Validate an organisation given as Python data (e.g. parsed JSON from a web request)."""
    try:
        return Organisation.model_validate(data)
    except ValidationError as error:
        document = Document(path=Path("<organisation>"), name="<organisation>", data=data,
                            lines=[])
        raise OrganisationError(list(pydantic_problems(error, document, (), Organisation))) \
            from None


def check_organisation(kb: KnowledgeBase, organisation: Organisation,
                       document: Document | None = None) -> dict[str, dict[str, TraitValue]]:
    """Check an organisation against the catalogue; return each unit's typed trait values.

    Raises OrganisationError listing every problem: unknown traits, models and parents (with a
    did-you-mean), values of the wrong type or out of range, duplicate unit ids, parent cycles.
    """
    place = _Locator(document)
    problems: list[Problem] = []
    typed: dict[str, dict[str, TraitValue]] = {}
    seen: dict[str, int] = {}
    for index, unit in enumerate(organisation.units):
        at: PathKey = ("units", index)
        if unit.id in seen:
            problems.append(place(
                (*at, "id"), f"duplicate unit id '{unit.id}' (first used by unit "
                             f"{seen[unit.id] + 1})"))
            continue
        seen[unit.id] = index
        values: dict[str, TraitValue] = {}
        for name, raw in unit.traits.items():
            trait = kb.traits.get(name)
            if trait is None:
                problems.append(place((*at, "traits", name), f"unknown trait '{name}'",
                                      did_you_mean(name, kb.traits), key=True))
                continue
            value, problem = coerce_value(trait, raw)
            if problem is not None:
                problems.append(place((*at, "traits", name), problem))
            elif value is not None:
                values[name] = value
        for i, model in enumerate(unit.models_in_use):
            if model not in kb.models:
                problems.append(place((*at, "models_in_use", i), f"unknown model '{model}'",
                                      did_you_mean(model, kb.models)))
        typed[unit.id] = values
    for index, unit in enumerate(organisation.units):
        if unit.parent is not None and unit.parent not in seen:
            problems.append(place(("units", index, "parent"),
                                  f"unit '{unit.id}' names parent '{unit.parent}', which is not "
                                  "a unit of this organisation", did_you_mean(unit.parent, seen)))
    problems.extend(_cycles(organisation, place))
    if problems:
        raise OrganisationError(problems)
    return typed


def coerce_value(trait: Trait, raw: RawValue) -> tuple[TraitValue | None, str | None]:
    """A raw value from a file as the trait's type, or a message saying what was expected."""
    expected = f"'{trait.id}' is {trait.kind_text()}"
    match trait.type:
        case "bool":
            if isinstance(raw, bool):
                return raw, None
        case "scale":
            if isinstance(raw, int) and not isinstance(raw, bool):
                if SCALE_MIN <= raw <= SCALE_MAX:
                    return raw, None
                return None, f"{raw} is out of range: {expected}"
        case "number":
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                if not math.isfinite(raw) or abs(raw) > NUMBER_LIMIT:
                    return None, f"{raw} is not a usable number: {expected} within ±1e12"
                low, high = trait.min, trait.max
                if (low is not None and raw < low) or (high is not None and raw > high):
                    return None, (f"{raw} is out of range: '{trait.id}' is between "
                                  f"{_num(low)} and {_num(high)}")
                rounded = round(float(raw), NUMBER_DECIMALS)
                return (int(rounded) if rounded.is_integer() else rounded), None
        case "category":
            if isinstance(raw, str):
                if raw in (trait.values or ()):
                    return raw, None
                hint = did_you_mean(raw, trait.values or ())
                return None, f"'{raw}' is not a value of {expected}" + (
                    f"; {hint}" if hint else "")
        case "set":
            if isinstance(raw, list):
                unknown = [v for v in raw if v not in (trait.values or ())]
                if not unknown:
                    return frozenset(raw), None
                hint = did_you_mean(unknown[0], trait.values or ())
                return None, f"'{unknown[0]}' is not a value of {expected}" + (
                    f"; {hint}" if hint else "")
    return None, f"{expected}, found {type_name(raw)} {raw!r}"


def _num(value: float | None) -> str:
    return "…" if value is None else f"{value:g}"


def _cycles(organisation: Organisation, place: _Locator) -> list[Problem]:
    graph: nx.DiGraph[str] = nx.DiGraph()
    index = {unit.id: i for i, unit in enumerate(organisation.units)}
    graph.add_edges_from((u.id, u.parent) for u in organisation.units
                         if u.parent is not None and u.parent in index)
    problems = []
    for cycle in sorted(sorted(c) for c in nx.simple_cycles(graph)):
        first = cycle[0]
        problems.append(place(("units", index[first], "parent"),
                              f"units {' -> '.join(_cycle_order(graph, first))} form a cycle "
                              "of parents", "a unit cannot be its own ancestor"))
    return problems


def _cycle_order(graph: nx.DiGraph[str], start: str) -> list[str]:
    order, node = [start], start
    while True:
        node = next(iter(graph.successors(node)))
        order.append(node)
        if node == start:
            return order


class _Locator:
    """Builds problems located in the organisation file when there is one, else by data path."""

    def __init__(self, document: Document | None) -> None:
        self.document = document

    def __call__(self, path: PathKey, message: str, hint: str | None = None, *,
                 key: bool = False) -> Problem:
        if self.document is not None:
            return self.document.problem(path, message, hint, key=key)
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        return Problem(Location(f"<organisation>:{where}"), message, hint)
