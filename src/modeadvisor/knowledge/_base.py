"""The knowledge base: validated rules with where they were written, and the shipped pack."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import (
    ValidationError,
)

from modeadvisor import conditions as cond
from modeadvisor._i18n import Message
from modeadvisor.errors import KnowledgeBaseError, Location, Problem, did_you_mean, display_path
from modeadvisor.knowledge._compiled import CompiledForm, compile_knowledge
from modeadvisor.knowledge._documents import Document, PathKey
from modeadvisor.knowledge._located import ItemLocation, pydantic_message
from modeadvisor.knowledge._shapes import (
    Archetype,
    ConflictRuleSpec,
    FindingKind,
    Link,
    Model,
    PackInfo,
    ScoringRule,
    Settings,
    Severity,
    Source,
    Trait,
)


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
    #: The severity ladder: (level, alias -> normalised condition); the first that holds wins,
    #: a step without conditions always holds. A plain severity is one unconditional step.
    severity: tuple[tuple[Severity, tuple[tuple[str, cond.Condition], ...]], ...] = ()
    #: What a finding of this rule is about, as (alias, field); empty: the units it binds.
    about: tuple[tuple[str, str], ...] = ()

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def topic(self) -> str:
        """Rules with one topic fold into one finding per value of `about`."""
        finding = self.spec.finding
        return finding.topic if finding is not None and finding.topic else self.spec.id


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
    #: the kinds of finding by id, with the names outputs title findings with
    kinds: Mapping[str, FindingKind] = dataclasses.field(default_factory=dict)
    #: pack id -> its folder, for every layer (the last is the top pack, `info`)
    roots: Mapping[str, Path] = dataclasses.field(default_factory=dict)
    #: pack id -> "sha256:<hex>", the content hash of that layer's files (each file's path in
    #: its pack and its text), for every layer as `roots`: what an assessment was made with.
    #: Settings changed by `with_settings` are not in it.
    hashes: Mapping[str, str] = dataclasses.field(default_factory=dict)
    #: (section, key) -> where the item in effect is written: ("rules", id) and so on for every
    #: section's items (a link's key is "from -> to"), ("pack", "") for the pack header and
    #: ("settings", name) for each setting a pack file sets. Kept so no file is read twice.
    locations: Mapping[tuple[str, str], ItemLocation] = dataclasses.field(
        default_factory=dict, repr=False, compare=False
    )
    #: Every rule compiled once (DNF, settings resolved, literals exact): what backends, lint
    #: and what-if read. Built with the knowledge base, so a change of settings recompiles.
    compiled: CompiledForm = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        compiled = compile_knowledge(self)
        object.__setattr__(self, "compiled", compiled)  # frozen: set once, here

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

    def located(self, section: str, key: str) -> ItemLocation | None:
        """Where an item is written (see `locations`), or None for one no pack file holds."""
        return self.locations.get((section, key))

    def with_settings(self, **overrides: float | str) -> KnowledgeBase:
        """The same knowledge with some settings changed (validated like the pack's own)."""
        unknown = sorted(set(overrides) - set(Settings.model_fields))
        if unknown:
            raise KnowledgeBaseError(
                [
                    Problem(
                        Location("<settings>"),
                        Message("unknown setting '{value}'", value=unknown[0]),
                        did_you_mean(unknown[0], Settings.model_fields),
                    )
                ]
            )
        try:
            settings = Settings.model_validate({**self.settings.model_dump(), **overrides})
        except ValidationError as error:
            raise KnowledgeBaseError(
                [
                    Problem(
                        Location("<settings>"),
                        Message(
                            "setting '{value}': {value2}",
                            value=d["loc"][0],
                            value2=pydantic_message(d),
                        ),
                    )
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
    source_tree = Path(__file__).resolve().parents[3] / "rules"
    if source_tree.is_dir():
        return source_tree
    raise KnowledgeBaseError(
        [
            Problem(
                Location(str(packaged)),
                Message("the shipped rules folder is missing from the install"),
            )
        ]
    )


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
