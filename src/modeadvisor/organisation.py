"""Organisations: the input of an assessment — units in a tree, their traits and models in use.

Beside what is observed, an organisation may state how it sees itself: `perspectives` (desired and
strategy-chosen modes, as weights or a ranking), `respondents` (self-assessed 1-5 ratings of how
central each mode is, as in the 2015 survey) and `imposed_models` (measurement systems imposed on
every unit). Organisation-level perspectives and respondents without a `unit` belong to the top
unit. The structure is checked by pydantic; the content (trait ids and value types, model and
archetype ids, weights, ratings, the unit tree) is checked against a knowledge base by
`check_organisation`, which reports every problem with its line in the organisation file.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from modeadvisor._cells import document_value
from modeadvisor._i18n import Message
from modeadvisor.conditions import TraitValue
from modeadvisor.errors import Location, OrganisationError, Problem, did_you_mean, display_path
from modeadvisor.knowledge import (
    NUMBER_DECIMALS,
    KnowledgeBase,
    Trait,
    pydantic_problems,
)
from modeadvisor.knowledge._documents import (
    Document,
    DocumentError,
    PathKey,
    decode,
    expect_mapping,
    load_document,
    parse_document,
)
from modeadvisor.limits import DEFAULT_LIMITS, Limits, how_to_raise

UnitId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100)]
RawValue = bool | int | float | str | list[str]
#: A stated view: weights per archetype (summing to 1, or to 100 points), or a ranking.
RawView = dict[str, Any] | list[Any]
RATING_MIN, RATING_MAX = 1, 5
#: Stated weights may be off their total by this much (rounding in a spreadsheet).
WEIGHT_TOLERANCE = 0.01


class Perspectives(BaseModel):
    """How a unit (or the organisation) says it wants to work, beside what its traits show."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    desired: RawView | None = None
    strategy: RawView | None = None


class Respondent(BaseModel):
    """One person's self-assessment: how central each mode is to the unit, 1-5."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str | None = None
    unit: UnitId | None = None
    role: str | None = None
    ratings: dict[str, Any] = Field(min_length=1)


class Unit(BaseModel):
    """One organisational unit as observed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: UnitId
    name: str | None = None
    parent: UnitId | None = None
    traits: dict[str, RawValue] = Field(default_factory=dict)
    models_in_use: tuple[str, ...] = ()
    perspectives: Perspectives | None = None

    @property
    def title(self) -> str:
        return self.name or self.id


class Organisation(BaseModel):
    """An organisation file: a name and a tree of units (by `parent` ids)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    organisation: Annotated[str, StringConstraints(min_length=1)]
    units: tuple[Unit, ...] = Field(min_length=1)
    imposed_models: tuple[str, ...] = ()
    perspectives: Perspectives | None = None
    respondents: tuple[Respondent, ...] = ()
    #: The anonymity floor for this organisation's respondents: may raise the pack's, never
    #: lower it (a client that promised groups of 5 writes 5).
    min_respondents: int | None = Field(None, ge=1)


@dataclass(frozen=True, slots=True)
class CheckedOrganisation:
    """An organisation's content in the catalogue's terms, ready to assess."""

    values: Mapping[str, dict[str, TraitValue]]  # unit id -> typed trait values
    views: Mapping[str, dict[str, dict[str, float]]]  # unit id -> view -> archetype -> weight
    ratings: Mapping[str, list[dict[str, int]]]  # unit id -> one rating dict per respondent
    #: the anonymity floor in force: the pack's, or the organisation's where it is higher
    min_respondents: int = 3


def load_organisation(path: Path | str, limits: Limits = DEFAULT_LIMITS) -> Organisation:
    """Read and structurally validate an organisation file (YAML or JSON); every problem is
    located (file, line, column). `Advisor.assess` checks it against the knowledge base."""
    organisation, _ = read_organisation(path, limits)
    return organisation


def read_organisation(
    path: Path | str, limits: Limits = DEFAULT_LIMITS
) -> tuple[Organisation, Document]:
    """`load_organisation` with the document it was read from, which keeps every position so
    that the checks against the knowledge base can be located too.

    A `.json` file that is valid JSON within the limits and valid as an organisation is read by
    the json module, its positions left for `check_organisation` to find if a problem needs them
    (measured on 20,000 units: 0.3 s instead of 7.6 s); anything else, the positions-keeping
    reader reads and reports.
    """
    quick = _read_json(Path(path), limits)
    if quick is not None:
        try:
            return Organisation.model_validate(quick.data), quick
        except ValidationError:
            pass  # reported below, located
    return _located(lambda: load_document(Path(path), limits))


def _located(read: Callable[[], Document]) -> tuple[Organisation, Document]:
    """An organisation from the reader that keeps positions: every mistake located."""
    try:
        document = read()
        data = expect_mapping(document, "a mapping with `organisation` and `units`")
    except DocumentError as error:
        raise OrganisationError(error.problems) from None
    try:
        return Organisation.model_validate(data), document
    except ValidationError as error:
        raise OrganisationError(
            list(pydantic_problems(error, document, (), Organisation))
        ) from None


@dataclass(frozen=True, slots=True)
class OrganisationText:
    """An organisation given as YAML or JSON text rather than a file (a request body, a line of
    input), with the name its mistakes are located by; with `key`, the organisation is the value
    under that key of the text's top mapping (`{"op": "assess", "organisation": {...}}`)."""

    text: str | bytes
    name: str = "<text>"
    key: str | None = None


def read_organisation_text(
    source: OrganisationText, limits: Limits = DEFAULT_LIMITS
) -> tuple[Organisation, Document]:
    """`read_organisation` for an organisation given as text: every mistake located by line
    and column in it, the text named as `source.name` says."""
    raw = source.text if isinstance(source.text, bytes) else source.text.encode("utf-8")
    name = source.name
    if len(raw) > limits.max_file_bytes:
        raise OrganisationError(
            [
                Problem(
                    Location(name),
                    Message(
                        "{count:,} bytes; the limit is {max_file_bytes:,}",
                        count=len(raw),
                        max_file_bytes=limits.max_file_bytes,
                    ),
                    Message("split it, or {how}", how=how_to_raise("max_file_bytes")),
                )
            ]
        )
    quick = _quick_json(raw, limits)
    if quick is not None and source.key is not None:
        quick = quick.get(source.key) if isinstance(quick, dict) else None
    if isinstance(quick, dict):
        try:
            organisation = Organisation.model_validate(quick)
        except ValidationError:
            pass  # reported below, located
        else:
            return organisation, _JsonDocument(
                path=Path(name), name=name, data=quick, lines=[], source=source
            )
    return _located(lambda: _positioned(source, raw, limits))


def _positioned(source: OrganisationText, raw: bytes, limits: Limits) -> Document:
    """The text read by the positions-keeping reader; under `source.key` where it names one (a
    request without it is refused)."""
    document = parse_document(
        decode(raw, source.name), Path(source.name), source.name, limits=limits
    )
    if source.key is None:
        return document
    if not isinstance(document.data, dict) or source.key not in document.data:
        raise DocumentError(
            [
                document.problem(
                    (), Message("expected `{key}`: the organisation, as a mapping", key=source.key)
                )
            ]
        )
    return document.within(source.key)


@dataclass(slots=True)
class _JsonDocument(Document):
    """JSON read without its positions: a problem in it is located by reading it again (the
    file, or the text it was given as)."""

    source: OrganisationText | None = None

    def located(self, limits: Limits) -> Document | None:
        """The document read again with its positions (None if it no longer reads)."""
        try:
            if self.source is None:
                return load_document(self.path, limits)
            text = self.source.text
            raw = text if isinstance(text, bytes) else text.encode("utf-8")
            return _positioned(self.source, raw, limits)
        except DocumentError:  # changed since it was read: said as read, unlocated
            return None


#: Characters the YAML reader refuses (PyYAML's `Reader.NON_PRINTABLE`), and escaped surrogates
#: (`\\ud83d\\ude00`, which it refuses as "invalid Unicode character escape code"): a file
#: holding one is left to that reader, so that it is refused as before.
_NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class _DeclinedError(Exception):
    """The quick JSON reader declines: the positions-keeping reader reads the file."""


def _read_json(path: Path, limits: Limits) -> _JsonDocument | None:
    """A `.json` file read by the json module, when it is well-formed and within every limit of
    the positions-keeping reader (which gives the same data there); None otherwise."""
    if path.suffix.lower() != ".json":
        return None
    try:
        with path.open("rb") as stream:
            raw = stream.read(limits.max_file_bytes + 1)
    except OSError:
        return None
    if len(raw) > limits.max_file_bytes:
        return None
    data = _quick_json(raw, limits)
    if data is None:
        return None
    return _JsonDocument(path=path, name=display_path(path), data=data, lines=[])


def _quick_json(raw: bytes, limits: Limits) -> Any:
    """JSON bytes read by the json module when they are well-formed and within every limit of
    the positions-keeping reader (which gives the same data there); None otherwise."""
    try:
        text = raw.decode("utf-8-sig")
        if _NOT_YAML.search(text) or _SURROGATE_ESCAPE.search(text):
            return None
        data = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
        _bounded(data, limits)
    except (ValueError, RecursionError, _DeclinedError):  # JSONDecodeError is a ValueError
        return None
    return data


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _DeclinedError  # a duplicate key: the other reader says where
    return found


def _no_constant(name: str) -> Any:
    raise _DeclinedError  # NaN and Infinity are not JSON (nor numbers to the other reader)


def _bounded(data: Any, limits: Limits) -> None:
    """Raise _DeclinedError where the positions-keeping reader would refuse the data: too many
    values, too deep, or a text too long."""
    count = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > limits.max_values or depth > limits.max_depth:
            raise _DeclinedError
        if isinstance(value, dict):
            if any(len(key) > limits.max_text for key in value):
                raise _DeclinedError
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and len(value) > limits.max_text:
            raise _DeclinedError


def from_data(data: Mapping[str, Any]) -> Organisation:
    """Validate an organisation given as Python data (e.g. parsed JSON from a web request)."""
    try:
        return Organisation.model_validate(data)
    except ValidationError as error:
        document = Document(path=Path("<organisation>"), name="<organisation>", data=data, lines=[])
        raise OrganisationError(
            list(pydantic_problems(error, document, (), Organisation))
        ) from None


def check_organisation(
    kb: KnowledgeBase,
    organisation: Organisation,
    document: Document | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> CheckedOrganisation:
    """Check an organisation against the catalogue; return its content typed.

    Raises OrganisationError listing every problem: unknown traits, models, archetypes, parents
    and units (with a did-you-mean), values of the wrong type or out of range, weights that are
    negative or do not add up, ratings outside 1-5, duplicate unit ids, parent cycles.
    """
    place = _Locator(document)
    if len(organisation.units) > limits.max_units:
        raise OrganisationError(
            [
                place(
                    ("units",),
                    (
                        Message(
                            "{count:,} units; the limit is {max_units:,}",
                            count=len(organisation.units),
                            max_units=limits.max_units,
                        )
                    ),
                    Message(
                        "assess the organisation in parts, or {how}", how=how_to_raise("max_units")
                    ),
                )
            ]
        )
    problems: list[Problem] = []
    typed: dict[str, dict[str, TraitValue]] = {}
    seen: dict[str, int] = {}
    for index, unit in enumerate(organisation.units):
        at: PathKey = ("units", index)
        if unit.id in seen:
            problems.append(
                place(
                    (*at, "id"),
                    Message(
                        "duplicate unit id '{id}' (first used by unit {number})",
                        id=unit.id,
                        number=seen[unit.id] + 1,
                    ),
                )
            )
            continue
        seen[unit.id] = index
        typed[unit.id] = _unit_values(kb, unit, at, place, problems)
        problems.extend(_unknown_models(kb, unit.models_in_use, (*at, "models_in_use"), place))
    for index, unit in enumerate(organisation.units):
        if unit.parent is not None and unit.parent not in seen:
            problems.append(
                place(
                    ("units", index, "parent"),
                    Message(
                        "unit '{id}' names parent '{parent}', which is not a unit of this organisation",
                        id=unit.id,
                        parent=unit.parent,
                    ),
                    did_you_mean(unit.parent, seen),
                )
            )
    problems.extend(_cycles(organisation, place))
    problems.extend(_unknown_models(kb, organisation.imposed_models, ("imposed_models",), place))
    tops = [unit.id for unit in organisation.units if unit.parent is None]
    views = _stated_views(kb, organisation, tops, place, problems)
    ratings = _respondent_ratings(kb, organisation, tops, set(seen), place, problems)
    floor = kb.info.settings.min_respondents
    if organisation.min_respondents is not None and organisation.min_respondents < floor:
        problems.append(
            place(
                ("min_respondents",),
                Message(
                    "min_respondents {min_respondents} is below the pack's anonymity floor of {floor}: an organisation file may raise it, never lower it",
                    min_respondents=organisation.min_respondents,
                    floor=floor,
                ),
                Message("write {floor} or more, or leave it out", floor=floor),
            )
        )
    if problems and isinstance(document, _JsonDocument):  # read without positions: find them
        return check_organisation(kb, organisation, document.located(limits), limits)
    if problems:
        raise OrganisationError(problems)
    return CheckedOrganisation(
        values=typed,
        views=views,
        ratings=ratings,
        min_respondents=max(floor, organisation.min_respondents or floor),
    )


def _unit_values(
    kb: KnowledgeBase, unit: Unit, at: PathKey, place: _Locator, problems: list[Problem]
) -> dict[str, TraitValue]:
    """A unit's trait values typed by the catalogue; unknown traits and bad values reported."""
    values: dict[str, TraitValue] = {}
    for name, raw in unit.traits.items():
        trait = kb.traits.get(name)
        if trait is None:
            problems.append(
                place(
                    (*at, "traits", name),
                    Message("unknown trait '{name}'", name=name),
                    did_you_mean(name, kb.traits),
                    key=True,
                )
            )
            continue
        value, problem = coerce_value(trait, raw)
        if problem is not None:
            problems.append(place((*at, "traits", name), problem))
        elif value is not None:
            values[name] = value
    return values


def _unknown_models(
    kb: KnowledgeBase, models: tuple[str, ...], at: PathKey, place: _Locator
) -> list[Problem]:
    return [
        place(
            (*at, i),
            Message("unknown model '{model}'", model=model),
            did_you_mean(model, kb.models),
        )
        for i, model in enumerate(models)
        if model not in kb.models
    ]


Views = dict[str, dict[str, dict[str, float]]]  # unit id -> view -> archetype -> weight


def _stated_views(
    kb: KnowledgeBase,
    organisation: Organisation,
    tops: list[str],
    place: _Locator,
    problems: list[Problem],
) -> Views:
    """Desired and strategy views per unit; the organisation's own belong to its top unit."""
    views: Views = {}
    stated: list[tuple[PathKey, Perspectives, str]] = [
        (("units", i, "perspectives"), unit.perspectives, unit.id)
        for i, unit in enumerate(organisation.units)
        if unit.perspectives is not None
    ]
    if organisation.perspectives is not None:
        top = _top_unit(tops, ("perspectives",), place, problems)
        if top is not None:
            stated.insert(0, (("perspectives",), organisation.perspectives, top))
    for at, perspectives, unit_id in stated:
        for view in ("desired", "strategy"):
            raw = getattr(perspectives, view)
            if raw is None:
                continue
            weights, found = stated_weights(kb, raw, (*at, view), place)
            problems.extend(found)
            if unit_id in views and view in views[unit_id]:
                problems.append(
                    place(
                        (*at, view),
                        Message(
                            "a second {view} view for unit '{unit_id}' (organisation-level views belong to the top unit)",
                            view=view,
                            unit_id=unit_id,
                        ),
                    )
                )
            elif weights is not None:
                views.setdefault(unit_id, {})[view] = weights
    return views


def _respondent_ratings(
    kb: KnowledgeBase,
    organisation: Organisation,
    tops: list[str],
    units: set[str],
    place: _Locator,
    problems: list[Problem],
) -> dict[str, list[dict[str, int]]]:
    """Each respondent's valid ratings, under the unit they answered for."""
    ratings: dict[str, list[dict[str, int]]] = {}
    for index, respondent in enumerate(organisation.respondents):
        at: PathKey = ("respondents", index)
        unit_id: str | None = respondent.unit
        if unit_id is None:
            unit_id = _top_unit(tops, (*at, "ratings"), place, problems)
        elif unit_id not in units:
            problems.append(
                place(
                    (*at, "unit"),
                    Message(
                        "respondent {number} answered for unit '{unit_id}', which is not a unit of this organisation",
                        number=index + 1,
                        unit_id=unit_id,
                    ),
                    did_you_mean(unit_id, units),
                )
            )
            unit_id = None
        rated: dict[str, int] = {}
        for archetype, value in respondent.ratings.items():
            if archetype not in kb.archetypes:
                problems.append(
                    place(
                        (*at, "ratings", archetype),
                        Message("unknown archetype '{archetype}'", archetype=archetype),
                        did_you_mean(archetype, kb.archetypes),
                        key=True,
                    )
                )
            elif (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not RATING_MIN <= value <= RATING_MAX
            ):
                problems.append(
                    place(
                        (*at, "ratings", archetype),
                        (
                            Message(
                                "rating {value!r} of '{archetype}' is not a whole number from {RATING_MIN} (not central) to {RATING_MAX} (central)",
                                value=value,
                                archetype=archetype,
                                RATING_MIN=RATING_MIN,
                                RATING_MAX=RATING_MAX,
                            )
                        ),
                    )
                )
            else:
                rated[archetype] = value
        if unit_id is not None and rated:
            ratings.setdefault(unit_id, []).append(rated)
    return ratings


def _top_unit(tops: list[str], at: PathKey, place: _Locator, problems: list[Problem]) -> str | None:
    if len(tops) == 1:
        return tops[0]
    problems.append(
        place(
            at,
            Message(
                "this belongs to the top unit, but the organisation has {count} top units ({value})",
                count=len(tops),
                value=", ".join(tops) or "none",
            ),
            Message("name the unit it belongs to"),
        )
    )
    return None


def stated_weights(
    kb: KnowledgeBase, raw: RawView, at: PathKey, place: _Locator
) -> tuple[dict[str, float] | None, list[Problem]]:
    """A stated view as weights over every archetype summing to 1, or the problems with it.

    Weights may sum to 1 or to 100 points (as in OCAI); a ranking (most central first) gets
    weights by the pack's `ranking_weights`: rank-order centroid weights over the archetypes it
    lists (`centroid`), or all to the first (`lead_only`); the others none.
    """
    problems: list[Problem] = []
    given: dict[str, float] = {}
    if isinstance(raw, list):
        if not raw:
            return None, [
                place(at, Message("an empty ranking; list archetype ids, most central first"))
            ]
        for i, item in enumerate(raw):
            if not isinstance(item, str) or item not in kb.archetypes:
                problems.append(
                    place(
                        (*at, i),
                        Message("unknown archetype {item!r} in the ranking", item=item),
                        did_you_mean(str(item), kb.archetypes),
                    )
                )
            elif item in given:
                problems.append(place((*at, i), Message("'{item}' is ranked twice", item=item)))
            else:
                given[item] = 0.0
        if problems:
            return None, problems
        given = _ranked(list(given), kb.settings.ranking_weights)
    else:
        for archetype, value in raw.items():
            if archetype not in kb.archetypes:
                problems.append(
                    place(
                        (*at, archetype),
                        Message("unknown archetype '{archetype}'", archetype=archetype),
                        did_you_mean(archetype, kb.archetypes),
                        key=True,
                    )
                )
            elif (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or value < 0
            ):
                problems.append(
                    place(
                        (*at, archetype),
                        Message(
                            "the weight of '{archetype}' must be a number of 0 or more, found {value!r}",
                            archetype=archetype,
                            value=value,
                        ),
                    )
                )
            else:
                given[archetype] = float(value)
        if problems:
            return None, problems
        total = sum(given.values())
        scale = next((s for s in (1.0, 100.0) if abs(total - s) <= WEIGHT_TOLERANCE * s), None)
        if scale is None:
            return None, [
                place(
                    at,
                    Message(
                        "the weights add up to {total:g}; they must add up to 1 (or to 100 points)",
                        total=total,
                    ),
                )
            ]
        given = {a: w / total for a, w in given.items()}
    return {a: round(given.get(a, 0.0), NUMBER_DECIMALS) for a in kb.archetypes}, []


def coerce_value(trait: Trait, raw: RawValue) -> tuple[TraitValue | None, str | None]:
    """A value from an organisation file as the trait's type, or a message saying what was
    expected; read by the one cell parser every table reader uses (`modeadvisor._cells`)."""
    return document_value(trait, raw)


def _cycles(organisation: Organisation, place: _Locator) -> list[Problem]:
    graph: nx.DiGraph[str] = nx.DiGraph()
    index = {unit.id: i for i, unit in enumerate(organisation.units)}
    graph.add_edges_from(
        (u.id, u.parent) for u in organisation.units if u.parent is not None and u.parent in index
    )
    problems = []
    for cycle in sorted(sorted(c) for c in nx.simple_cycles(graph)):
        first = cycle[0]
        problems.append(
            place(
                ("units", index[first], "parent"),
                Message(
                    "units {names} form a cycle of parents",
                    names=" -> ".join(_cycle_order(graph, first)),
                ),
                Message("a unit cannot be its own ancestor"),
            )
        )
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

    def __call__(
        self, path: PathKey, message: str, hint: str | None = None, *, key: bool = False
    ) -> Problem:
        if self.document is not None:
            return self.document.problem(path, message, hint, key=key)
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        return Problem(Location(f"<organisation>:{where}"), message, hint)


def _ranked(ranking: list[str], how: str) -> dict[str, float]:
    """A ranking as weights: rank-order centroid (the expected weights of a ranking, Barron and
    Barrett 1996: 2 modes 0.75/0.25, 3 modes 0.61/0.28/0.11), or the lead mode alone."""
    n = len(ranking)
    if how == "lead_only":
        return {a: 1.0 if rank == 1 else 0.0 for rank, a in enumerate(ranking, start=1)}
    return {
        a: sum(1 / k for k in range(rank, n + 1)) / n for rank, a in enumerate(ranking, start=1)
    }
