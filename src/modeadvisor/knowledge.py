"""The knowledge base: what a rule pack holds, and loading it with every mistake located.

A pack is a folder of YAML files. Each file may hold any of the sections `pack`, `sources`,
`archetypes`, `traits`, `rules`, `models`, `links`, `conflicts`; the loader merges the files (in
name order), validates each item with pydantic, then checks every cross-reference (trait,
archetype, model and source ids, condition types, fact fields and joins of conflict rules) and
reports all problems of the pack at once.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import networkx as nx
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from . import conditions as cond
from .documents import Document, DocumentError, PathKey, expect_mapping, load_document, type_name
from .errors import KnowledgeBaseError, Location, Problem, did_you_mean, display_path
from .facts import FACT_KINDS, UNIT_FIELDS, FactField
from .limits import DEFAULT_LIMITS, Limits

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
ValueId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=30)]
SourceId = Annotated[str, StringConstraints(pattern=r"^S-[A-Z]+[0-9]+$")]
Lang = Literal["en", "fi"]
TraitType = Literal["scale", "bool", "category", "number", "set"]
ModelKind = Literal["management", "measurement"]
Relation = Literal["suits", "poor_fit", "evolves_to"]
Severity = Literal["low", "medium", "high"]
SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high")
#: Aliases one conflict rule may join: more would multiply the engine's join work.
MAX_ALIASES = 4

SCALE_MIN, SCALE_MAX = 1, 5
#: Numbers are compared at this many decimals (the engine needs exact, exponent-free numbers).
NUMBER_DECIMALS = 6
NUMBER_LIMIT = 1e12


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Frozen):
    """A user-facing text in English and (ideally) Finnish."""

    en: Annotated[str, StringConstraints(min_length=1)]
    fi: Annotated[str, StringConstraints(min_length=1)] | None = None

    def get(self, lang: Lang = "en") -> str:
        return (self.fi or self.en) if lang == "fi" else self.en


class Settings(_Frozen):
    """Thresholds a pack can tune; conflict rules read them as `$name`."""

    mixed_margin: float = Field(0.10, ge=0, le=1)
    min_evidence: int = Field(2, ge=1)
    min_coverage: float = Field(0.2, ge=0, le=1)
    recommend_min: float = Field(0.15, ge=0, le=1)
    avoid_min: float = Field(0.10, ge=0, le=1)
    #: A gap between two views of a unit's modes counts from this much weight (OCAI: ~10 of 100).
    perspective_threshold: float = Field(0.10, gt=0, le=1)


class PackInfo(_Frozen):
    id: Id
    name: Text
    version: str = "0"
    #: The id of the pack this one layers on (the shipped pack is `core`); never a path.
    extends: Id | None = None
    settings: Settings = Settings()


class _Item(_Frozen):
    #: In a layered pack: this item replaces the one of the same id in a pack below.
    override: bool = False


class Source(_Item):
    id: SourceId
    text: Text


class Archetype(_Item):
    id: Id
    name: Text
    tagline: Text
    source: tuple[SourceId, ...] = ()


class Trait(_Item):
    id: Id
    type: TraitType
    label: Text
    description: Text
    observes: tuple[SourceId, ...] = ()
    values: tuple[ValueId, ...] | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = None

    @model_validator(mode="after")
    def _shape_fits_type(self) -> Trait:
        has_values = self.type in ("category", "set")
        if has_values and not self.values:
            raise ValueError(f"a {self.type} trait needs `values`: the ids it can take")
        if not has_values and self.values is not None:
            raise ValueError(f"`values` is only for category and set traits, not {self.type}")
        if self.values and len(set(self.values)) != len(self.values):
            raise ValueError("`values` lists a value twice")
        if self.type != "number" and (self.min is not None or self.max is not None):
            raise ValueError("`min` and `max` are only for number traits")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("`min` is greater than `max`")
        return self

    def kind_text(self) -> str:
        """The type as a user reads it in messages."""
        match self.type:
            case "scale":
                return f"a scale ({SCALE_MIN}-{SCALE_MAX})"
            case "bool":
                return "true/false"
            case "number":
                return "a number"
        return f"a {self.type} of {', '.join(self.values or ())}"


class ScoringRule(_Item):
    id: Id
    when: Annotated[str, StringConstraints(min_length=1)]
    weights: dict[Id, Annotated[float, Field(gt=0, le=100)]] = Field(min_length=1)
    rationale: Text
    source: tuple[SourceId, ...] = ()


class Model(_Item):
    id: Id
    kind: ModelKind
    name: Text
    description: Text


class Link(_Item):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    source_node: Id = Field(alias="from")
    target: Id = Field(alias="to")
    relation: Relation
    strength: float = Field(gt=0, le=1)
    reason: Text
    source: tuple[SourceId, ...] = ()


class ConflictRuleSpec(_Item):
    """A conflict rule as written: fact patterns joined by alias, and what to say when they match.

    `match` maps aliases to patterns `KIND` or `KIND where CONDITION`; a condition may compare a
    field with `other_alias.field` (an earlier alias) to join facts. Texts may quote matched
    fields as `{alias.field}`.
    """

    id: Id
    kind: Id
    severity: Severity
    match: dict[Id, Annotated[str, StringConstraints(min_length=1)]] = Field(
        min_length=1, max_length=MAX_ALIASES
    )
    explanation: Text
    resolution: Text
    detail: Text | None = None
    source: tuple[SourceId, ...] = ()


class LinkRef(_Frozen):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    source_node: Id = Field(alias="from")
    target: Id = Field(alias="to")


class Disable(_Frozen):
    """In a layered pack: items of the packs below to leave out, by id."""

    sources: tuple[SourceId, ...] = ()
    archetypes: tuple[Id, ...] = ()
    traits: tuple[Id, ...] = ()
    rules: tuple[Id, ...] = ()
    models: tuple[Id, ...] = ()
    links: tuple[LinkRef, ...] = ()
    conflicts: tuple[Id, ...] = ()


#: `translations: {fi: {rules: {cost_first: {rationale: "..."}}}}`: texts for items of any pack.
Translations = dict[
    Lang, dict[str, dict[str, dict[str, Annotated[str, StringConstraints(min_length=1)]]]]
]


class PackFile(_Frozen):
    """The shape of one file of a pack: any subset of the sections."""

    pack: PackInfo | None = None
    disable: Disable | None = None
    translations: Translations | None = None
    sources: tuple[Source, ...] = ()
    archetypes: tuple[Archetype, ...] = ()
    traits: tuple[Trait, ...] = ()
    rules: tuple[ScoringRule, ...] = ()
    models: tuple[Model, ...] = ()
    links: tuple[Link, ...] = ()
    conflicts: tuple[ConflictRuleSpec, ...] = ()


SECTIONS = tuple(PackFile.model_fields)
_MAPPING_SECTIONS: dict[str, type[BaseModel]] = {"pack": PackInfo, "disable": Disable}
_ITEM_MODELS: dict[str, type[BaseModel]] = {
    "sources": Source,
    "archetypes": Archetype,
    "traits": Trait,
    "rules": ScoringRule,
    "models": Model,
    "links": Link,
    "conflicts": ConflictRuleSpec,
}


@dataclass(frozen=True, slots=True)
class Rule:
    """A validated scoring rule with its parsed, normalised condition and where it was written."""

    spec: ScoringRule
    condition: cond.Condition
    origin: Location  # file relative to the folder of the pack that wrote it
    pack: str = ""  # the id of that pack

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True, slots=True)
class Pattern:
    """One alias of a conflict rule: the kind of fact it binds and its normalised condition."""

    alias: str
    kind: str
    condition: cond.Condition | None  # None: every fact of the kind


@dataclass(frozen=True, slots=True)
class ConflictRule:
    """A validated conflict rule; its conditions may still hold `$settings` (see `resolve`)."""

    spec: ConflictRuleSpec
    patterns: tuple[Pattern, ...]
    origin: Location  # file relative to the folder of the pack that wrote it
    pack: str = ""  # the id of that pack

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Everything a pack says, validated and cross-checked. Immutable."""

    info: PackInfo
    root: Path
    sources: Mapping[str, Source]
    archetypes: Mapping[str, Archetype]
    traits: Mapping[str, Trait]
    rules: tuple[Rule, ...]
    models: Mapping[str, Model]
    links: tuple[Link, ...]
    conflicts: tuple[ConflictRule, ...] = ()
    #: pack id -> its folder, for every layer (the last is the top pack, `info`)
    roots: Mapping[str, Path] = dataclasses.field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        return self.info.settings

    @property
    def layers(self) -> tuple[str, ...]:
        """The pack ids this knowledge base is made of, bottom first."""
        return tuple(self.roots) or (self.info.id,)

    def where(self, pack: str, origin: Location) -> Location:
        """Where a rule of a layer is written, as a path the user can open."""
        root = self.roots.get(pack, self.root)
        return Location(display_path(root / origin.file), origin.line, origin.column)

    def with_settings(self, **overrides: float) -> KnowledgeBase:
        """The same knowledge with some settings changed (validated like the pack's own)."""
        unknown = sorted(set(overrides) - set(Settings.model_fields))
        if unknown:
            raise KnowledgeBaseError(
                [
                    Problem(
                        Location("<settings>"),
                        f"unknown setting '{unknown[0]}'",
                        did_you_mean(unknown[0], Settings.model_fields),
                    )
                ]
            )
        try:
            settings = Settings.model_validate({**self.settings.model_dump(), **overrides})
        except ValidationError as error:
            raise KnowledgeBaseError(
                [
                    Problem(Location("<settings>"), f"setting '{d['loc'][0]}': {d['msg']}")
                    for d in error.errors(include_url=False)
                ]
            ) from None
        return dataclasses.replace(self, info=self.info.model_copy(update={"settings": settings}))

    def archetype_ids(self) -> tuple[str, ...]:
        return tuple(self.archetypes)


# --- locating the shipped pack ---------------------------------------------------------------


def shipped_rules_dir() -> Path:
    """The pack shipped with modeadvisor: inside the installed package, else the source tree."""
    packaged = resources.files("modeadvisor").joinpath("rules")
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    source_tree = Path(__file__).resolve().parents[2] / "rules"
    if source_tree.is_dir():
        return source_tree
    raise KnowledgeBaseError(
        [Problem(Location(str(packaged)), "the shipped rules folder is missing from the install")]
    )


# --- loading ---------------------------------------------------------------------------------


def load_knowledge_base(*folders: Path | str, limits: Limits = DEFAULT_LIMITS) -> KnowledgeBase:
    """Load and validate packs; raises KnowledgeBaseError listing every problem.

    With several folders, each pack layers on the ones before it; a pack whose `extends` names
    a pack id not given (the shipped pack is `core`) gets the shipped pack below it. A layer
    adds items, replaces one of a lower pack marked `override: true`, leaves items out with
    `disable`, and may bring `translations`. Files are read in the order of their path inside
    their pack; a file a symbolic link leads outside its pack folder is refused unless
    `limits.allow_outside_pack`.
    """
    if not folders:
        raise KnowledgeBaseError([Problem(Location("<packs>"), "no pack folder given")])
    loaders = [_read_pack(Path(folder), limits) for folder in folders]
    chain = _layer_order(loaders, limits)
    merged = chain[0]
    for overlay in chain[1:]:
        merged = merged.layered(overlay)
    return merged.finish()


def _read_pack(root: Path, limits: Limits) -> _PackLoader:
    name = display_path(root)
    if not root.is_dir():
        raise KnowledgeBaseError([Problem(Location(name), "not a folder of rule files")])
    files = sorted(
        (p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()),
        key=lambda p: p.relative_to(root).as_posix(),
    )
    if not files:
        raise KnowledgeBaseError([Problem(Location(name), "no .yaml rule files in this folder")])
    inside = root.resolve()
    outside = [p for p in files if not p.resolve().is_relative_to(inside)]
    if outside and not limits.allow_outside_pack:
        raise KnowledgeBaseError(
            [
                Problem(
                    Location(display_path(p)),
                    f"this file leads outside the pack folder (to {p.resolve()})",
                    "copy it into the pack, or allow it with Limits(allow_outside_pack=True)",
                )
                for p in outside
            ]
        )
    loader = _PackLoader(root, limits)
    for path in files:
        loader.read(path)
    return loader


def _layer_order(loaders: list[_PackLoader], limits: Limits) -> list[_PackLoader]:
    """The packs bottom first: parents before the packs that extend them, else as given."""
    by_id: dict[str, _PackLoader] = {}
    problems: list[Problem] = []
    for loader in loaders:
        if loader.pack_id is not None:
            if loader.pack_id in by_id:
                problems.append(
                    Problem(
                        Location(display_path(loader.root)),
                        (
                            f"pack id '{loader.pack_id}' is given twice (also "
                            f"{display_path(by_id[loader.pack_id].root)})"
                        ),
                    )
                )
            by_id.setdefault(loader.pack_id, loader)
    wanted = {loader.extends for loader in loaders if loader.extends is not None}
    if wanted - set(by_id):
        shipped = _read_pack(shipped_rules_dir(), limits)
        if shipped.pack_id is not None and shipped.pack_id not in by_id:
            by_id[shipped.pack_id] = shipped
            loaders = [shipped, *loaders]
    graph: nx.DiGraph[str] = nx.DiGraph()
    order = {id(loader): i for i, loader in enumerate(loaders)}
    for loader in loaders:
        if loader.pack_id is None:
            continue
        graph.add_node(loader.pack_id)
        parent = loader.extends
        if parent is None:
            continue
        if parent not in by_id:
            problems.append(
                loader.pack_problem(
                    f"extends unknown pack '{parent}'; known: {', '.join(sorted(by_id))}",
                    did_you_mean(parent, by_id),
                    "extends",
                )
            )
        else:
            graph.add_edge(parent, loader.pack_id)
    for cycle in sorted(sorted(c) for c in nx.simple_cycles(graph)):
        problems.append(
            by_id[cycle[0]].pack_problem(
                f"packs {' -> '.join(cycle)} extend each other in a cycle", None, "extends"
            )
        )
    if problems:
        raise KnowledgeBaseError(problems)
    ids = list(
        nx.lexicographical_topological_sort(
            graph, key=lambda pack: str(order[id(by_id[pack])]).zfill(6)
        )
    )
    return [by_id[pack] for pack in ids] + [loader for loader in loaders if loader.pack_id is None]


@dataclass(frozen=True, slots=True)
class _Placed:
    """An item and where it stands: its document and its path inside it."""

    document: Document
    path: PathKey
    root: Path  # the folder of the pack it belongs to

    def problem(self, message: str, hint: str | None = None, *sub: str | int) -> Problem:
        return self.document.problem((*self.path, *sub), message, hint)

    @property
    def location(self) -> Location:
        return self.document.location(self.path)

    @property
    def origin(self) -> Location:
        """Where its `id` stands, with the file relative to its pack folder."""
        where = self.document.location((*self.path, "id"))
        relative = self.document.path.relative_to(self.root).as_posix()
        return Location(relative, where.line, where.column)


def _key(section: str, item: Any) -> str:
    if section == "links":
        return f"{item.source_node} -> {item.target}"
    return str(item.id)


_WHAT = {
    "sources": "source",
    "archetypes": "archetype",
    "traits": "trait",
    "rules": "rule",
    "models": "model",
    "links": "link",
    "conflicts": "conflict rule",
}
_TEXT_FIELDS = {
    "sources": ("text",),
    "archetypes": ("name", "tagline"),
    "traits": ("label", "description"),
    "rules": ("rationale",),
    "models": ("name", "description"),
    "links": ("reason",),
    "conflicts": ("explanation", "resolution", "detail"),
}


class _PackLoader:
    def __init__(self, root: Path, limits: Limits) -> None:
        self.root = root
        self.limits = limits
        self.problems: list[Problem] = []
        self.items: dict[str, list[tuple[Any, _Placed]]] = {s: [] for s in SECTIONS}
        self.roots: dict[str, Path] = {}  # pack id -> folder, bottom layer first

    @property
    def pack_id(self) -> str | None:
        return str(self.items["pack"][0][0].id) if self.items["pack"] else None

    @property
    def extends(self) -> str | None:
        return self.items["pack"][0][0].extends if self.items["pack"] else None

    def pack_problem(self, message: str, hint: str | None, *sub: str) -> Problem:
        if self.items["pack"]:
            return self.items["pack"][0][1].problem(message, hint, *sub)
        return Problem(Location(display_path(self.root)), message, hint)

    def read(self, path: Path) -> None:
        try:
            document = load_document(path, self.limits)
            data = expect_mapping(document, "a mapping of sections (" + ", ".join(SECTIONS) + ")")
        except DocumentError as error:
            self.problems.extend(error.problems)
            return
        for key in data:
            if key not in SECTIONS:
                self.problems.append(
                    document.problem(
                        (key,),
                        f"unknown section '{key}'; expected one of {', '.join(SECTIONS)}",
                        did_you_mean(key, SECTIONS),
                        key=True,
                    )
                )
        for section in SECTIONS:
            if section not in data:
                continue
            value = data[section]
            if section in _MAPPING_SECTIONS:
                self._validate(_MAPPING_SECTIONS[section], value, document, (section,), section)
                continue
            if section == "translations":
                self._translations(value, document)
                continue
            if not isinstance(value, list):
                self.problems.append(
                    document.problem(
                        (section,), f"'{section}' must be a list of items, found {type_name(value)}"
                    )
                )
                continue
            item_type = _ITEM_MODELS[section]
            for index, item in enumerate(value):
                self._validate(item_type, item, document, (section, index), section)

    def _validate(
        self, model: type[BaseModel], value: Any, document: Document, path: PathKey, section: str
    ) -> None:
        try:
            item = model.model_validate(value)
        except ValidationError as error:
            self.problems.extend(pydantic_problems(error, document, path, model))
            return
        self.items[section].append((item, _Placed(document, path, self.root)))

    def _translations(self, value: Any, document: Document) -> None:
        """Shape: {lang: {section: {id: {field: text}}}}; ids are checked when layering."""
        if not isinstance(value, dict):
            self.problems.append(
                document.problem(
                    ("translations",), ("expected {fi: {rules: {RULE_ID: {rationale: ...}}}}")
                )
            )
            return
        for lang, sections in value.items():
            at: PathKey = ("translations", lang)
            if lang not in ("en", "fi"):
                self.problems.append(
                    document.problem(at, f"unknown language '{lang}'; expected en or fi", key=True)
                )
                continue
            if not isinstance(sections, dict):
                self.problems.append(document.problem(at, "expected a mapping of sections"))
                continue
            for section, items in sections.items():
                if section not in _TEXT_FIELDS:
                    self.problems.append(
                        document.problem(
                            (*at, section),
                            f"unknown section '{section}' to translate",
                            did_you_mean(section, _TEXT_FIELDS),
                            key=True,
                        )
                    )
                    continue
                if not isinstance(items, dict):
                    self.problems.append(document.problem((*at, section), "expected ids"))
                    continue
                for item_id, fields in items.items():
                    where: PathKey = (*at, section, item_id)
                    if not isinstance(fields, dict) or not all(
                        isinstance(text, str) and text for text in fields.values()
                    ):
                        self.problems.append(
                            document.problem(where, "expected {field: text} with non-empty texts")
                        )
                        continue
                    for name in fields:
                        if name not in _TEXT_FIELDS[section]:
                            self.problems.append(
                                document.problem(
                                    (*where, name),
                                    f"'{name}' is not a text of {section}; "
                                    f"expected {', '.join(_TEXT_FIELDS[section])}",
                                    did_you_mean(name, _TEXT_FIELDS[section]),
                                    key=True,
                                )
                            )
                    self.items["translations"].append(
                        ((lang, section, str(item_id), fields), _Placed(document, where, self.root))
                    )

    # -- layering -------------------------------------------------------------------------

    def layered(self, overlay: _PackLoader) -> _PackLoader:
        """This pack with `overlay` on top: its disables, overrides, additions, translations."""
        merged = _PackLoader(overlay.root, overlay.limits)
        merged.problems = [*self.problems, *overlay.problems]
        merged.roots = {**self.roots_or_own(), **overlay.roots_or_own()}
        below = self.pack_id or display_path(self.root)
        disabled = self._disabled(overlay, merged.problems)
        for section in _ITEM_MODELS:
            items: dict[str, tuple[Any, _Placed]] = {}
            for item, placed in self.items[section]:
                items.setdefault(_key(section, item), (item, placed))
            for key in disabled.get(section, ()):
                items.pop(key, None)
            for item, placed in overlay.items[section]:
                key = _key(section, item)
                if key in items and items[key][1].root == overlay.root:
                    merged.problems.append(
                        placed.problem(
                            f"duplicate {_WHAT[section]} '{key}'; first defined at "
                            f"{items[key][1].location}"
                        )
                    )
                elif key in items and not item.override:
                    merged.problems.append(
                        placed.problem(
                            f"{_WHAT[section]} '{key}' is already defined by pack '{below}' at "
                            f"{items[key][1].location}",
                            "add `override: true` to replace it",
                        )
                    )
                elif key not in items and item.override:
                    merged.problems.append(
                        placed.problem(
                            f"`override: true`, but no pack below defines {_WHAT[section]} '{key}'",
                            did_you_mean(key, items),
                        )
                    )
                else:
                    items[key] = (item, placed)
            merged.items[section] = list(items.values())
        merged.items["pack"] = (
            [self._merged_info(overlay)] if overlay.items["pack"] else self.items["pack"]
        )
        merged.items["translations"] = [*self.items["translations"], *overlay.items["translations"]]
        return merged

    def roots_or_own(self) -> dict[str, Path]:
        return self.roots or ({self.pack_id: self.root} if self.pack_id else {})

    def _disabled(self, overlay: _PackLoader, problems: list[Problem]) -> dict[str, set[str]]:
        disabled: dict[str, set[str]] = {}
        for disable, placed in overlay.items["disable"]:
            for section in _ITEM_MODELS:
                known = {_key(section, item) for item, _ in self.items[section]}
                for index, ref in enumerate(getattr(disable, section)):
                    key = _key(section, ref) if section == "links" else str(ref)
                    if key not in known:
                        problems.append(
                            placed.problem(
                                f"cannot disable {_WHAT[section]} '{key}': no pack below defines it",
                                did_you_mean(key, known),
                                section,
                                index,
                            )
                        )
                    disabled.setdefault(section, set()).add(key)
        return disabled

    def _merged_info(self, overlay: _PackLoader) -> tuple[PackInfo, _Placed]:
        info, placed = overlay.items["pack"][0]
        if self.items["pack"] and "settings" not in info.model_fields_set:
            info = info.model_copy(update={"settings": self.items["pack"][0][0].settings})
        elif self.items["pack"]:
            inherited = self.items["pack"][0][0].settings.model_dump()
            own = {k: getattr(info.settings, k) for k in info.settings.model_fields_set}
            info = info.model_copy(update={"settings": Settings(**{**inherited, **own})})
        return info, placed

    def _translate(self) -> None:
        """Apply every translation to the merged items; an unknown id or field is a problem."""
        for (lang, section, item_id, fields), placed in self.items["translations"]:
            index = {_key(section, item): i for i, (item, _) in enumerate(self.items[section])}
            if item_id not in index:
                self.problems.append(
                    placed.problem(
                        f"no {_WHAT[section]} '{item_id}' to translate",
                        did_you_mean(item_id, index),
                    )
                )
                continue
            item, where = self.items[section][index[item_id]]
            update = {}
            for name, text in fields.items():
                current = getattr(item, name, None)
                if name not in _TEXT_FIELDS[section]:
                    continue
                base = current.model_dump() if isinstance(current, Text) else {"en": text}
                update[name] = Text(**{**base, lang: text})
            self.items[section][index[item_id]] = (item.model_copy(update=update), where)

    # -- cross-checks ---------------------------------------------------------------------

    def finish(self) -> KnowledgeBase:
        self._translate()
        if len(self.roots_or_own()) <= 1:  # a single pack: nothing below to override or disable
            for section in _ITEM_MODELS:
                for item, placed in self.items[section]:
                    if item.override:
                        self.problems.append(
                            placed.problem(
                                "`override: true` needs a pack below: add `extends` to the pack",
                                None,
                                "override",
                            )
                        )
            for _, placed in self.items["disable"]:
                self.problems.append(
                    placed.problem("`disable` needs a pack below: add `extends` to the pack")
                )
        packs = self.items["pack"]
        if not packs and not self.problems:
            self.problems.append(
                Problem(
                    Location(display_path(self.root)),
                    "no `pack:` section found",
                    "add a pack.yaml with `pack: {id: ..., name: {en: ...}}`",
                )
            )
        for _, placed in packs[1:]:
            self.problems.append(
                placed.problem(f"a second `pack:` section; the first is at {packs[0][1].location}")
            )
        sources = self._unique("sources", "source")
        archetypes = self._unique("archetypes", "archetype")
        traits = self._unique("traits", "trait")
        models = self._unique("models", "model")
        rules = self._unique("rules", "rule")
        if not archetypes and not self.problems:
            self.problems.append(
                Problem(Location(display_path(self.root)), "the pack defines no archetypes")
            )
        self._overlap(archetypes, models, "archetype", "model")

        def check_sources(ids: Sequence[str], placed: _Placed, field: str) -> None:
            for i, sid in enumerate(ids):
                if sid not in sources:
                    self.problems.append(
                        placed.problem(
                            f"unknown source id '{sid}'", did_you_mean(sid, sources), field, i
                        )
                    )

        for archetype, placed in archetypes.values():
            check_sources(archetype.source, placed, "source")
        for trait, placed in traits.values():
            check_sources(trait.observes, placed, "observes")
        compiled: list[Rule] = []
        for rule, placed in rules.values():
            check_sources(rule.source, placed, "source")
            for archetype_id, weight in rule.weights.items():
                if _decimals(weight) > NUMBER_DECIMALS:
                    self.problems.append(
                        placed.problem(
                            f"weight {weight} has more than {NUMBER_DECIMALS} decimals",
                            None,
                            "weights",
                            archetype_id,
                        )
                    )
                if archetype_id not in archetypes:
                    self.problems.append(
                        placed.problem(
                            f"unknown archetype '{archetype_id}' in weights",
                            did_you_mean(archetype_id, archetypes),
                            "weights",
                            archetype_id,
                        )
                    )
            checked = self._condition(rule, placed, {k: v[0] for k, v in traits.items()})
            if checked is not None:
                # origin relative to its pack, so explanations do not depend on where it lives
                compiled.append(Rule(rule, checked, placed.origin, self._pack_of(placed)))
        links: list[Link] = []
        for link, placed in self.items["links"]:
            check_sources(link.source, placed, "source")
            if _decimals(link.strength) > NUMBER_DECIMALS:
                self.problems.append(
                    placed.problem(
                        f"strength {link.strength} has more than {NUMBER_DECIMALS} decimals",
                        None,
                        "strength",
                    )
                )
            self._check_link(link, placed, archetypes, models)
            links.append(link)
        self._duplicate_links(self.items["links"])
        trait_map = {k: v[0] for k, v in traits.items()}
        for trait, placed in traits.values():
            if trait.id in UNIT_FIELDS:
                self.problems.append(
                    placed.problem(
                        f"trait id '{trait.id}' is reserved: conflict rules read it as a field of "
                        f"unit facts ({', '.join(sorted(UNIT_FIELDS))})",
                        None,
                        "id",
                    )
                )
        conflicts: list[ConflictRule] = []
        for spec, placed in self._unique("conflicts", "conflict rule").values():
            check_sources(spec.source, placed, "source")
            checker = _ConflictChecker(
                spec, placed, trait_map, tuple(archetypes), tuple(models), self._pack_of(placed)
            )
            checked_rule = checker.check()
            self.problems.extend(checker.problems)
            if checked_rule is not None:
                conflicts.append(checked_rule)
        if self.problems:
            raise KnowledgeBaseError(self.problems)
        return KnowledgeBase(
            info=packs[0][0],
            root=self.root,
            sources={k: v[0] for k, v in sources.items()},
            archetypes={k: v[0] for k, v in archetypes.items()},
            traits={k: v[0] for k, v in traits.items()},
            rules=tuple(compiled),
            models={k: v[0] for k, v in models.items()},
            links=tuple(links),
            conflicts=tuple(conflicts),
            roots=self.roots_or_own(),
        )

    def _pack_of(self, placed: _Placed) -> str:
        for pack, root in self.roots_or_own().items():
            if root == placed.root:
                return pack
        return self.pack_id or ""

    def _unique(self, section: str, what: str) -> dict[str, tuple[Any, _Placed]]:
        seen: dict[str, tuple[Any, _Placed]] = {}
        for item, placed in self.items[section]:
            if item.id in seen:
                first = seen[item.id][1].document.location((*seen[item.id][1].path, "id"))
                self.problems.append(
                    placed.problem(
                        f"duplicate {what} id '{item.id}'; first defined at {first}", None, "id"
                    )
                )
                continue
            seen[item.id] = (item, placed)
        return seen

    def _overlap(
        self, archetypes: Mapping[str, Any], models: Mapping[str, Any], a: str, b: str
    ) -> None:
        for shared in sorted(set(archetypes) & set(models)):
            placed = models[shared][1]
            self.problems.append(
                placed.problem(
                    f"'{shared}' is both an {a} and a {b} id; graph node ids must be unique",
                    None,
                    "id",
                )
            )

    def _check_link(
        self, link: Link, placed: _Placed, archetypes: Mapping[str, Any], models: Mapping[str, Any]
    ) -> None:
        if link.source_node not in archetypes:
            self.problems.append(
                placed.problem(
                    f"unknown archetype '{link.source_node}' (links start at an archetype)",
                    did_you_mean(link.source_node, archetypes),
                    "from",
                )
            )
        if link.relation == "evolves_to":
            if link.target not in archetypes:
                self.problems.append(
                    placed.problem(
                        f"unknown archetype '{link.target}' (evolves_to links two archetypes)",
                        did_you_mean(link.target, archetypes),
                        "to",
                    )
                )
        elif link.target not in models:
            self.problems.append(
                placed.problem(
                    f"unknown model '{link.target}'", did_you_mean(link.target, models), "to"
                )
            )

    def _duplicate_links(self, links: Iterable[tuple[Link, _Placed]]) -> None:
        seen: dict[tuple[str, str], _Placed] = {}
        for link, placed in links:
            key = (link.source_node, link.target)
            if key in seen:
                self.problems.append(
                    placed.problem(
                        f"a second link from '{key[0]}' to '{key[1]}'; the first is at "
                        f"{seen[key].location}",
                        "one archetype has one relation to a model",
                    )
                )
            else:
                seen[key] = placed

    def _condition(
        self, rule: ScoringRule, placed: _Placed, traits: Mapping[str, Trait]
    ) -> cond.Condition | None:
        when = (*placed.path, "when")
        try:
            parsed = cond.parse(rule.when)
        except cond.ConditionSyntaxError as error:
            self.problems.append(
                _in_condition(
                    placed.document, when, error.column, f"condition does not parse: {error}"
                )
            )
            return None
        found = check_condition(parsed, traits)
        for column, message, hint in found:
            self.problems.append(_in_condition(placed.document, when, column, message, hint))
        return None if found else cond.normalise(parsed)


_PATTERN = re.compile(r"\s*(?P<kind>\S+)\s*(?:\s(?:where|WHERE)\s+(?P<when>.*\S))?\s*", re.DOTALL)
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\}")
#: How a field may be joined with another: only fields of one family compare meaningfully.
Family = tuple[str, tuple[str, ...]]


class _ConflictChecker:
    """Checks one conflict rule: its fact kinds, fields, literal types, joins and placeholders."""

    def __init__(
        self,
        spec: ConflictRuleSpec,
        placed: _Placed,
        traits: Mapping[str, Trait],
        archetypes: tuple[str, ...],
        models: tuple[str, ...],
        pack: str,
    ) -> None:
        self.spec, self.placed, self.traits, self.pack = spec, placed, traits, pack
        self.archetypes, self.models = archetypes, models
        self.problems: list[Problem] = []
        self.kinds: dict[str, str] = {}  # alias -> fact kind, for aliases that parsed

    def check(self) -> ConflictRule | None:
        patterns = [self._pattern(alias, text) for alias, text in self.spec.match.items()]
        for name in ("explanation", "resolution", "detail"):
            text = getattr(self.spec, name)
            for lang in ("en", "fi"):
                if text is not None and getattr(text, lang) is not None:
                    self._placeholders(getattr(text, lang), (name, lang))
        if self.problems or any(p is None for p in patterns):
            return None
        return ConflictRule(
            self.spec, tuple(p for p in patterns if p is not None), self.placed.origin, self.pack
        )

    def fields(self, kind: str) -> dict[str, FactField | Trait]:
        found: dict[str, FactField | Trait] = dict(FACT_KINDS[kind])
        if kind == "unit":
            found.update({k: t for k, t in self.traits.items() if k not in UNIT_FIELDS})
        return found

    def _pattern(self, alias: str, text: str) -> Pattern | None:
        at: PathKey = (*self.placed.path, "match", alias)
        document = self.placed.document
        matched = _PATTERN.fullmatch(text)
        if matched is None:
            self.problems.append(
                document.problem(
                    at, f"'{text}' is not a pattern; expected `KIND` or `KIND where CONDITION`"
                )
            )
            return None
        if matched["kind"] not in FACT_KINDS:
            kind = matched["kind"]
            self.problems.append(
                document.problem(
                    at,
                    f"'{kind}' is not a kind of fact; expected one of {', '.join(FACT_KINDS)}",
                    did_you_mean(kind, FACT_KINDS),
                )
            )
            return None
        kind = matched["kind"]
        when = matched["when"]
        bound = dict(self.kinds)  # only aliases above this one can be referred to
        self.kinds[alias] = kind
        if when is None:
            return Pattern(alias, kind, None)
        offset = matched.start("when")
        try:
            parsed = cond.parse(when)
        except cond.ConditionSyntaxError as error:
            self.problems.append(
                _in_condition(
                    document, at, offset + error.column, f"condition does not parse: {error}"
                )
            )
            return None
        found: list[tuple[int, str, str | None]] = []
        fields = self.fields(kind)
        for leaf in cond.comparisons(parsed):
            field = fields.get(leaf.trait)
            if field is None:
                found.append(
                    (
                        leaf.column,
                        f"unknown field '{leaf.trait}' of {kind} facts; "
                        f"fields: {', '.join(sorted(fields))}",
                        did_you_mean(leaf.trait, fields),
                    )
                )
                continue
            problem = self._leaf(leaf, alias, field, bound)
            if problem is not None:
                found.append((leaf.column, *problem))
        normal = cond.normalise(parsed)
        if not found:
            for leaf in cond.comparisons(normal):
                if (
                    isinstance(leaf, cond.Comparison)
                    and isinstance(leaf.value, cond.Ref)
                    and leaf.op != "=="
                ):
                    found.append(
                        (
                            leaf.column,
                            f"`{cond.render(leaf)}`: only == may join two "
                            "facts (the engine crashes on other comparisons "
                            "between facts)",
                            "compare each fact with a value, or join on another field",
                        )
                    )
        for column, message, hint in found:
            self.problems.append(_in_condition(document, at, offset + column, message, hint))
        return None if found else Pattern(alias, kind, normal)

    def _leaf(
        self,
        leaf: cond.Comparison | cond.Member | cond.Truthy,
        alias: str,
        field: FactField | Trait,
        bound: Mapping[str, str],
    ) -> tuple[str, str | None] | None:
        name = leaf.trait
        if isinstance(leaf, cond.Comparison) and isinstance(leaf.value, cond.Ref):
            ref = leaf.value
            if ref.alias not in bound:
                if ref.alias == alias or ref.alias in self.spec.match:
                    return (
                        f"'{ref.alias}' is not bound above '{alias}'; a join refers to an "
                        "alias listed earlier in `match`",
                        None,
                    )
                return f"unknown alias '{ref.alias}'", did_you_mean(ref.alias, bound)
            other_fields = self.fields(bound[ref.alias])
            other = other_fields.get(ref.field)
            if other is None:
                return (
                    f"unknown field '{ref.field}' of {bound[ref.alias]} facts",
                    did_you_mean(ref.field, other_fields),
                )
            mine, theirs = _family(field), _family(other)
            if mine is None or mine != theirs:
                return (
                    f"'{name}' ({_describe(field)}) cannot be joined with "
                    f"'{ref.alias}.{ref.field}' ({_describe(other)})",
                    None,
                )
            return None
        if isinstance(leaf, cond.Comparison) and isinstance(leaf.value, cond.Param):
            setting = leaf.value.name
            if setting not in Settings.model_fields:
                return (
                    f"unknown setting '${setting}'",
                    did_you_mean(setting, Settings.model_fields),
                )
            if _family(field) not in (("number", ()), ("scale", ())):
                return f"'{name}' is {_describe(field)}; a $setting is a number", None
            return None
        if isinstance(field, Trait):
            return _leaf_problem(leaf, field)
        if field.type == "unit":
            if (
                not isinstance(leaf, cond.Comparison)
                or not isinstance(leaf.value, str)
                or leaf.op not in ("==", "!=")
            ):
                return (
                    f"'{name}' is a unit id; compare it with == or != and a \"quoted id\", "
                    "or join it with another fact's unit id",
                    None,
                )
            return None
        return _leaf_problem(leaf, _as_trait(name, field, self.archetypes, self.models))

    def _placeholders(self, text: str, sub: tuple[str, str]) -> None:
        for match in _PLACEHOLDER.finditer(text):
            alias, name = match.groups()
            if alias not in self.spec.match:
                self.problems.append(
                    self.placed.problem(
                        f"'{{{alias}.{name}}}' names no alias of `match`",
                        did_you_mean(alias, self.spec.match),
                        *sub,
                    )
                )
            elif alias in self.kinds and name not in self.fields(self.kinds[alias]):
                self.problems.append(
                    self.placed.problem(
                        f"'{{{alias}.{name}}}': {self.kinds[alias]} facts have no field '{name}'",
                        did_you_mean(name, self.fields(self.kinds[alias])),
                        *sub,
                    )
                )


def _as_trait(
    name: str, field: FactField, archetypes: tuple[str, ...], models: tuple[str, ...]
) -> Trait:
    """A fact field as a trait, so literal checks and messages are shared with scoring rules."""
    kind: TraitType = (
        "number" if field.type == "number" else ("bool" if field.type == "bool" else "category")
    )
    values = {"archetype": archetypes, "model": models, "choice": field.values}.get(field.type)
    # model_construct: ids of archetypes and models may be longer than trait value ids
    return Trait.model_construct(
        id=name,
        type=kind,
        label=Text(en=name),
        description=Text(en=field.description),
        observes=(),
        values=values,
        min=None,
        max=None,
        unit=None,
    )


def _family(field: FactField | Trait) -> Family | None:
    if isinstance(field, Trait):
        if field.type == "set":
            return None
        return (field.type, tuple(field.values or ()) if field.type == "category" else ())
    if field.type == "choice":
        return ("category", field.values)
    return (field.type, ())


def _describe(field: FactField | Trait) -> str:
    if isinstance(field, Trait):
        return field.kind_text()
    return {
        "unit": "a unit id",
        "archetype": "an archetype id",
        "model": "a model id",
        "number": "a number",
        "bool": "true/false",
    }.get(field.type, f"one of {', '.join(field.values)}")


def _decimals(value: float) -> int:
    exponent = Decimal(str(value)).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _in_condition(
    document: Document, path: PathKey, column: int, message: str, hint: str | None = None
) -> Problem:
    """A problem at a column inside a condition string, mapped to its place in the file."""
    location = document.location(path)
    line_text = document.source_line(location.line) or ""
    start = location.column or 1
    if line_text[start - 1 : start] in ("'", '"'):
        start += 1  # a quoted scalar: the text starts after the quote
    place = Location(location.file, location.line, start + max(column, 1) - 1)
    return Problem(place, message, hint, line_text if location.line else None)


def check_condition(
    condition: cond.Condition, traits: Mapping[str, Trait]
) -> list[tuple[int, str, str | None]]:
    """Type-check a parsed condition against the catalogue: (column, message, hint) per problem."""
    found: list[tuple[int, str, str | None]] = []
    for leaf in cond.comparisons(condition):
        trait = traits.get(leaf.trait)
        if trait is None:
            found.append(
                (leaf.column, f"unknown trait '{leaf.trait}'", did_you_mean(leaf.trait, traits))
            )
            continue
        problem = _leaf_problem(leaf, trait)
        if problem is not None:
            found.append((leaf.column, *problem))
    return found


def _leaf_problem(
    leaf: cond.Comparison | cond.Member | cond.Truthy, trait: Trait
) -> tuple[str, str | None] | None:
    name = trait.id
    if isinstance(leaf, cond.Comparison) and isinstance(leaf.value, cond.Ref | cond.Param):
        return (
            f"`{cond.render(leaf)}`: references to other facts and $settings are for "
            "conflict rules; a scoring rule compares a trait with a value",
            _example(trait),
        )
    if isinstance(leaf, cond.Truthy):
        if trait.type == "bool":
            return None
        return (
            f"'{name}' is {trait.kind_text()}, not true/false; compare it with a value",
            _example(trait),
        )
    if isinstance(leaf, cond.Member):
        if trait.type != "set":
            return (
                f"'{name}' is {trait.kind_text()}; membership tests (\"value\" in trait) are "
                "for set traits",
                _example(trait),
            )
        if leaf.value not in (trait.values or ()):
            return (
                f"'{leaf.value}' is not a value of '{name}' ({', '.join(trait.values or ())})",
                did_you_mean(leaf.value, trait.values or ()),
            )
        return None
    value, op = leaf.value, leaf.op
    match trait.type:
        case "bool":
            if not isinstance(value, bool):
                return (
                    f"'{name}' is true/false, compared with {cond.render(leaf).split()[-1]}",
                    f"write `{name}` or `not {name}`",
                )
            if op not in ("==", "!="):
                return f"'{name}' is true/false: only == and != apply", f"write `{name}`"
        case "scale":
            if isinstance(value, bool) or not isinstance(value, int):
                return (
                    f"'{name}' is {trait.kind_text()}; compare it with a whole number",
                    _example(trait),
                )
            if not SCALE_MIN <= value <= SCALE_MAX:
                return (f"{value} is outside the scale of '{name}' ({SCALE_MIN}-{SCALE_MAX})", None)
        case "number":
            if isinstance(value, bool) or not isinstance(value, int | float):
                return f"'{name}' is a number; compare it with a number", _example(trait)
            digits = Decimal(str(value)).as_tuple().exponent
            if isinstance(digits, int) and -digits > NUMBER_DECIMALS:
                return f"{value} has more than {NUMBER_DECIMALS} decimals", None
            if abs(value) > NUMBER_LIMIT:
                return f"{value} is too large; numbers are compared up to ±1e12", None
        case "category":
            if not isinstance(value, str):
                return (
                    f"'{name}' is {trait.kind_text()}; compare it with a \"quoted value\"",
                    _example(trait),
                )
            if op not in ("==", "!="):
                return f"'{name}' is a category: only ==, != and `in [...]` apply", None
            if value not in (trait.values or ()):
                return (
                    f"'{value}' is not a value of '{name}' ({', '.join(trait.values or ())})",
                    did_you_mean(value, trait.values or ()),
                )
        case "set":
            return (f"'{name}' is {trait.kind_text()}; test membership instead", _example(trait))
    return None


def _example(trait: Trait) -> str:
    match trait.type:
        case "scale":
            return f"e.g. `{trait.id} >= 4`"
        case "bool":
            return f"e.g. `{trait.id}` or `not {trait.id}`"
        case "number":
            return f"e.g. `{trait.id} > 10`"
        case "category":
            return f'e.g. `{trait.id} == "{(trait.values or ("value",))[0]}"`'
    return f'e.g. `"{(trait.values or ("value",))[0]}" in {trait.id}`'


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
