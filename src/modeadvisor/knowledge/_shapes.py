"""What a rule pack file may hold: the pydantic shapes of every section."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from modeadvisor._i18n import Message
from modeadvisor.scoring import NUMBER_DECIMALS as NUMBER_DECIMALS

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
ValueId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=30)]
SourceId = Annotated[str, StringConstraints(pattern=r"^S-[A-Z]+[0-9]+$")]
Lang = Literal["en", "fi"]
TraitType = Literal["scale", "bool", "category", "number", "set"]
#: What a trait is to the organisation: a `lever` it can change (a management or measurement
#: practice), a `circumstance` it works in (sector, task set by law, customers, market), or a
#: `signal` that shows how things are going. What-if changes only levers unless told otherwise.
TraitKind = Literal["lever", "circumstance", "signal"]
TRAIT_KINDS: tuple[TraitKind, ...] = ("lever", "circumstance", "signal")
ModelKind = Literal["management", "measurement"]
Relation = Literal["suits", "poor_fit", "evolves_to"]
Severity = Literal["low", "medium", "high"]
SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high")
#: Aliases one conflict rule may join: more would multiply the engine's join work.
MAX_ALIASES = 4

SCALE_MIN = 1
SCALE_MAX = 5
#: The largest magnitude of a number a trait or literal may hold.
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
    #: Observed traits a unit needs before a mode is named: a count, not a share of the
    #: catalogue, so a layer that adds traits a unit did not observe cannot change its status.
    min_observed: int = Field(8, ge=0)
    recommend_min: float = Field(0.15, ge=0, le=1)
    avoid_min: float = Field(0.10, ge=0, le=1)
    #: A gap between two views of a unit's modes counts from this much weight (OCAI: ~10 of 100).
    perspective_threshold: float = Field(0.10, gt=0, le=1)
    #: How a stated ranking (most central mode first) becomes weights: `centroid` gives rank-order
    #: centroid weights over the modes listed (two modes: 0.75 and 0.25; three: 0.61, 0.28,
    #: 0.11); `lead_only` gives the first mode all the weight.
    ranking_weights: Literal["centroid", "lead_only"] = "centroid"
    #: Severity of a model that fits a unit poorly, by its fit score: at or below minus
    #: `misfit_high` it is high, at or below minus `misfit_medium` medium, else low.
    misfit_high: float = Field(0.5, gt=0, le=1)
    misfit_medium: float = Field(0.3, gt=0, le=1)
    #: Findings that rest on respondents' answers are at most low with fewer respondents than this.
    respondents_medium: int = Field(3, ge=1)
    #: The anonymity floor: a group's ratings, means and agreement are shown only when at least
    #: this many respondents gave them (an organisation file may raise it, never lower it).
    min_respondents: int = Field(3, ge=1)


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


#: The forms a sentence may need of a name, quoted as `{alias.field|form}`: `nominative` is the
#: name as an attribute in running text ("asiakaspalvelulähtöinen toimintatapa"), the others are
#: Finnish cases ("kohti asiakaspalvelulähtöistä toimintatapaa" takes the partitive).
FormName = Literal[
    "nominative",
    "genitive",
    "partitive",
    "inessive",
    "elative",
    "illative",
    "adessive",
    "ablative",
    "allative",
    "essive",
    "translative",
]
FORM_NAMES: tuple[str, ...] = FormName.__args__  # type: ignore[attr-defined]
#: A placeholder of a conflict rule's text: `{alias.field}`, or `{alias.field|form}`.
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)(?:\|([a-z]+))?\}")
#: A name's forms by language: `forms: {fi: {partitive: "tuotantolähtöistä"}}`.
Forms = dict[Lang, dict[FormName, Annotated[str, StringConstraints(min_length=1)]]]


class Archetype(_Item):
    id: Id
    name: Text
    tagline: Text
    source: tuple[SourceId, ...] = ()
    #: the forms of `name` that the pack's texts quote (`{u.dominant|partitive}`)
    forms: Forms = {}

    def form(self, lang: Lang, form: str | None) -> str:
        """The name in the form a sentence needs; the name itself where the pack has none."""
        return (self.forms.get(lang, {}).get(form) if form else None) or self.name.get(lang)  # type: ignore[call-overload]


class Trait(_Item):
    id: Id
    type: TraitType
    #: None in packs written before kinds existed: loadable, and a lint finding.
    kind: TraitKind | None = None
    label: Text
    description: Text
    observes: tuple[SourceId, ...] = ()
    values: tuple[ValueId, ...] | None = None
    #: What each value of a category or set trait means, as a person reads it (an interview, a
    #: questionnaire); a value without one is shown by its id.
    value_labels: dict[ValueId, Text] | None = None
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
        unknown = sorted(set(self.value_labels or ()) - set(self.values or ()))
        if unknown:
            raise ValueError(f"`value_labels` names values the trait does not have: {unknown}")
        if self.type != "number" and (self.min is not None or self.max is not None):
            raise ValueError("`min` and `max` are only for number traits")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("`min` is greater than `max`")
        return self

    def choices(self) -> list[bool | int | str] | None:
        """Every value a scale, true/false or category trait can take, in order (None for a
        set or a number, whose values a caller enumerates its own way)."""
        match self.type:
            case "scale":
                return list(range(SCALE_MIN, SCALE_MAX + 1))
            case "bool":
                return [True, False]
            case "category":
                return list(self.values or ())
        return None

    def value_label(self, value: str, lang: Lang = "en") -> str:
        """A category or set value as a person reads it (its id when it has no label)."""
        text = (self.value_labels or {}).get(value)
        return text.get(lang) if text is not None else value

    def kind_text(self) -> str:
        """The type as a user reads it in messages."""
        match self.type:
            case "scale":
                return Message(
                    "a scale ({SCALE_MIN}-{SCALE_MAX})", SCALE_MIN=SCALE_MIN, SCALE_MAX=SCALE_MAX
                )
            case "bool":
                return Message("true/false")
            case "number":
                return Message("a number")
        names = ", ".join(self.values or ())
        if self.type == "set":
            return Message("a set of {names}", names=names)
        return Message("a category of {names}", names=names)


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
    #: the forms of `name` that the pack's texts quote (`{f.model|genitive}`)
    forms: Forms = {}

    def form(self, lang: Lang, form: str | None) -> str:
        """The name in the form a sentence needs; the name itself where the pack has none."""
        return (self.forms.get(lang, {}).get(form) if form else None) or self.name.get(lang)  # type: ignore[call-overload]


class Link(_Item):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    source_node: Id = Field(alias="from")
    target: Id = Field(alias="to")
    relation: Relation
    strength: float = Field(gt=0, le=1)
    reason: Text
    source: tuple[SourceId, ...] = ()


class SeverityStep(_Frozen):
    """One step of a severity ladder: `level` when every alias's condition holds (no `when`:
    always; the last step is the fallback)."""

    level: Severity
    when: dict[Id, Annotated[str, StringConstraints(min_length=1)]] | None = None


class FindingSpec(_Frozen):
    """What a finding is about: firings of rules with the same `topic` whose `about` fields have
    the same values are one finding (one root cause), however many units or pairs they bind."""

    #: `alias.field` of the matched facts that identify the root cause, in order.
    about: tuple[
        Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")], ...
    ] = Field(min_length=1, max_length=4)
    #: Rules sharing a topic fold into one finding (default: the rule's own id).
    topic: Id | None = None


class WithheldTexts(_Frozen):
    """A conflict rule's words for a group of fewer respondents than the anonymity floor: the
    same finding, without quoting their ratings, means or agreement."""

    explanation: Text
    detail: Text | None = None


class ConflictRuleSpec(_Item):
    """A conflict rule as written: fact patterns joined by alias, and what to say when they match.

    `match` maps aliases to patterns `KIND` or `KIND where CONDITION`; a condition may compare a
    field with `other_alias.field` (an earlier alias) to join facts. Texts may quote matched
    fields as `{alias.field}`.
    """

    id: Id
    kind: Id
    #: A level, or a ladder of levels by the evidence of each match (the first that holds wins).
    severity: Severity | tuple[SeverityStep, ...]
    match: dict[Id, Annotated[str, StringConstraints(min_length=1)]] = Field(
        min_length=1, max_length=MAX_ALIASES
    )
    #: What the finding is about; without it every set of units a rule binds is its own finding.
    finding: FindingSpec | None = None
    explanation: Text
    resolution: Text
    detail: Text | None = None
    #: Needed where `explanation` or `detail` quotes respondents' figures: the words used when
    #: a group is below the anonymity floor.
    withheld: WithheldTexts | None = None
    #: How the rule reads its source points: where they apply and why this is the finding.
    rationale: Text | None = None
    source: tuple[SourceId, ...] = ()


class FindingKind(_Item):
    """A kind of finding (a conflict rule's `kind`) as a reader reads it: the words every
    output titles its findings with ("measurement misfits the mode")."""

    id: Id
    name: Text


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
    kinds: tuple[Id, ...] = ()


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
    kinds: tuple[FindingKind, ...] = ()


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
    "kinds": FindingKind,
}
