"""The output of an assessment: immutable, JSON-serialisable, and explaining itself.

Every figure can be traced: a unit's profile weights come from `evidence` (the rules that fired,
the trait values they matched, their weights and sources); every recommended or avoided model
lists `because` — the path unit → archetype → model through the graph, with each link's strength,
reason and source.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict

from modeadvisor._i18n import Message
from modeadvisor.errors import Location, Problem, UnknownUnitError, did_you_mean

ProfileStatus = Literal["ok", "insufficient_evidence"]
JsonValue = bool | int | float | str | list[str]


class _Out(BaseModel):
    """An output model. The stages build them from values they typed themselves with
    `model_construct(Model.every_field, ...)`, every field given: no second validation, and one
    fields-set shared by every instance of a model instead of a set per instance (728 bytes
    each, more than the rest of a small model: half the memory of a large assessment's advice,
    measured)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    #: Every field of the model: the `_fields_set` of a model built with all its fields.
    every_field: ClassVar[set[str]] = set()
    #: Whether `model_construct` may build an instance directly (see there).
    _direct: ClassVar[bool] = False

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.every_field = set(cls.model_fields)
        # what an instance holds beyond its fields: nothing, without private attributes or a
        # post-init hook (pydantic's own model_construct fills the same four slots then)
        cls._direct = not cls.__private_attributes__ and cls.__pydantic_post_init__ is None

    @classmethod
    def model_construct(  # type: ignore[override]  # the pydantic plugin types it per model
        cls, _fields_set: set[str] | None = None, **values: Any
    ) -> Self:
        """`BaseModel.model_construct`, with a direct path for the stages' calls: given every
        field and `every_field`, the instance holds exactly what pydantic's would, built without
        its per-field loop over aliases and defaults (4x faster, measured: an assessment of
        20,000 units builds 600,000 of them). tests/test_advice.py holds every output model
        built this way to the validated one."""
        if not (cls._direct and _fields_set is cls.every_field and len(values) == len(_fields_set)):
            return super().model_construct(_fields_set, **values)
        model = cls.__new__(cls)
        _set = object.__setattr__  # frozen models refuse setattr; pydantic sets them this way
        _set(model, "__dict__", values)
        _set(model, "__pydantic_fields_set__", _fields_set)
        _set(model, "__pydantic_extra__", None)
        _set(model, "__pydantic_private__", None)
        return model


class Evidence(_Out):
    """One fired rule for one unit."""

    rule: str
    condition: str
    matched: dict[str, JsonValue]
    weights: dict[str, float]
    contribution: dict[str, float]
    rationale: str
    source: list[str]
    pack: str
    origin: str


class Coverage(_Out):
    """How much was observed: traits of the catalogue seen, and rules that fired."""

    observed_traits: int
    catalogue_traits: int
    share: float
    fired_rules: int


class Profile(_Out):
    """A unit's mix of modes. `weights` sum to 1 whenever any rule fired."""

    weights: dict[str, float]
    raw: dict[str, float]
    dominant: str | None
    secondary: str | None
    mixed: bool
    status: ProfileStatus
    coverage: Coverage


class Reason(_Out):
    """One step of the path unit → archetype → model behind a model's score."""

    path: list[str]
    archetype: str
    relation: Literal["suits", "poor_fit"]
    archetype_weight: float
    strength: float
    contribution: float
    reason: str
    source: list[str]


class ModelAdvice(_Out):
    """A management or measurement model, scored for the unit's profile."""

    model: str
    name: str
    kind: Literal["management", "measurement"]
    score: float
    in_use: bool
    because: list[Reason]


class Direction(_Out):
    """Where the source says a unit's dominant mode tends to develop (S-G3)."""

    to: str
    towards: str  # the direction as a phrase of the advice's language: "kohti ... toimintatapaa"
    reason: str
    source: list[str]


class ModeRating(_Out):
    """Respondents' self-assessed centrality of one mode (1-5), and how far they agree. The
    mean and agreement are None (withheld) when fewer respondents than the anonymity floor
    rated the mode; how many rated it is a count, not an answer, and is kept."""

    archetype: str
    mean: float | None
    respondents: int
    rwg: float | None  # also None with a single respondent: agreement needs two
    consensus: float | None

    @property
    def withheld(self) -> bool:
        return self.mean is None


class SelfAssessment(_Out):
    """What respondents said about the unit. `disputed`: they disagree, the mean is no consensus.

    Below the anonymity floor (`Advice.anonymity`) no figure of the group is shown: fewer
    respondents than the floor in all leave `ratings` empty (not even which modes they rated);
    a mode rated by fewer has its figures None. `withheld` says that some figure is left out."""

    respondents: int
    ratings: list[ModeRating]
    disputed: bool
    withheld: bool = False


class UnitAdvice(_Out):
    id: str
    name: str
    parent: str | None
    profile: Profile
    recommendations: list[ModelAdvice]
    avoid: list[ModelAdvice]
    evidence: list[Evidence]
    direction: list[Direction]
    notes: list[str]
    perspectives: dict[str, dict[str, float]]  # stated views (desired, strategy): weights
    self_assessment: SelfAssessment | None


Severity = Literal["low", "medium", "high"]
FactValue = bool | int | float | str | list[str] | None


class Match(_Out):
    """One firing of a conflict rule: the facts it bound, by alias."""

    rule: str
    facts: dict[str, dict[str, FactValue]]


class Conflict(_Out):
    """A finding: one root cause the conflict rules found, with every match behind it.

    Rules that share a topic and agree on what a finding is about (a model, a parent and a
    model, a unit) fold into one finding, however many units or pairs they bind; `id` names it
    the same way in every run, so a pipeline can follow it.
    """

    id: str
    kind: str
    severity: Severity
    units: list[str]  # in the order the relation reads: what the finding is about first
    explanation: str
    resolution: str
    details: list[str]  # one line per match (rules with a `detail` text), leading rule first
    rule: str  # the leading rule: the most severe match, then the first in the pack
    rules: list[str]  # every rule with a match in the finding, leading first
    source: list[str]
    pack: str
    origin: str
    matches: list[Match]


class PackRef(_Out):
    id: str
    version: str


class Anonymity(_Out):
    """The anonymity floor the advice keeps: a group's ratings, means and agreement are shown
    only when at least `min_respondents` gave them. `figures_shown`: the floor was lifted for a
    consultant's own working copy (`--show-respondents`); such advice is not for the client."""

    min_respondents: int
    figures_shown: bool = False


class Advice(_Out):
    """The advice for one organisation: per unit, in the order of the organisation file."""

    organisation: str
    language: Literal["en", "fi"]
    pack: PackRef
    archetypes: dict[str, str]
    #: the kinds of finding the pack names, by id, in the advice's language
    kinds: dict[str, str] = {}
    units: list[UnitAdvice]
    conflicts: list[Conflict]
    anonymity: Anonymity

    def unit(self, unit_id: str) -> UnitAdvice:
        """The advice for one unit; raises UnknownUnitError with a did-you-mean."""
        for unit in self.units:
            if unit.id == unit_id:
                return unit
        ids = [u.id for u in self.units]
        raise UnknownUnitError(
            [
                Problem(
                    Location("<organisation>"),
                    Message(
                        "no unit '{unit_id}' in {organisation}",
                        unit_id=unit_id,
                        organisation=self.organisation,
                    ),
                    did_you_mean(unit_id, ids) or f"units: {', '.join(ids)}",
                )
            ]
        )

    def conflicts_of(self, unit_id: str) -> list[Conflict]:
        """The conflicts a unit is part of."""
        self.unit(unit_id)  # unknown ids raise
        return [c for c in self.conflicts if unit_id in c.units]

    def worst_severity(self) -> Severity | None:
        """The highest severity among the conflicts, or None without conflicts."""
        order: list[Severity] = ["low", "medium", "high"]
        found = [order.index(c.severity) for c in self.conflicts]
        return order[max(found)] if found else None

    def to_json(self) -> str:
        """Deterministic JSON: same input, same bytes."""
        return self.model_dump_json(indent=2) + "\n"
