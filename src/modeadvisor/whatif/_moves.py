"""The single changes a repair is made of, and what each costs a manager.

Models are levers of the first rank: dropping or replacing a model in use, adding a recommended
one, and exempting the unit from a model the organisation imposes cost less than changing a
practice, so a repair that changes models is preferred to one that changes practices (Felfernig
et al.'s diagnoses ranked by preference). Trait changes are candidate values that can make some
scoring rule's test flip (every scale point, both truth values, every category value, one member
of a set added or dropped, the numbers just either side of each threshold a rule uses), and only
of traits the pack calls levers, unless the caller allows others by name. A stated view (desired,
strategy) moved to what the traits show is how a perspective conflict is cleared without
changing the work: it says which view would have to move.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from modeadvisor import conditions as cond
from modeadvisor.knowledge import SCALE_MAX, SCALE_MIN, KnowledgeBase, Trait

Action = Literal["replace", "exempt", "drop", "add", "trait", "view"]
STEP = 1e-6  # numbers are compared at six decimals: the next value over a threshold
#: Preference between repairs: models first, then practices (levers and traits the caller
#: allowed), then a view moved to what the traits show.
RANK_MODELS, RANK_PRACTICES, RANK_VIEWS = 0, 1, 2
#: Within the models, what a manager would try first (a replacement keeps the unit measured).
_MODEL_COST: Mapping[Action, float] = {"replace": 0.2, "exempt": 0.3, "drop": 0.4, "add": 0.5}


@dataclass(frozen=True, order=True)
class Move:
    """One change: `subject` is the trait, model or view it acts on; `value` the trait's new
    value or the replacing model."""

    rank: int
    cost: float
    action: Action
    subject: str
    value: cond.TraitValue | None = None

    @property
    def families(self) -> tuple[tuple[str, str], ...]:
        """What the move acts on: a repair holds at most one move on each thing (dropping a
        model and replacing it both act on its use; a replacement on the use of both)."""
        match self.action:
            case "replace":
                return (("use", self.subject), ("use", str(self.value)))
            case "drop" | "add":
                return (("use", self.subject),)
        return ((self.action, self.subject),)


def model_moves(
    kb: KnowledgeBase,
    in_use: frozenset[str],
    imposed: Iterable[str],
    scores: Mapping[str, float],
    recommended: Collection[str],
) -> list[Move]:
    """Drop each model in use, replace it with the best recommended model of its kind not in
    use, add each recommended model not in use, and exempt the unit from each imposed model."""
    moves = []
    spare = sorted(
        (m for m in recommended if m not in in_use), key=lambda m: (-scores.get(m, 0.0), m)
    )
    for model in sorted(in_use):
        moves.append(Move(RANK_MODELS, _MODEL_COST["drop"], "drop", model))
        kind = kb.models[model].kind
        best = next((m for m in spare if kb.models[m].kind == kind), None)
        if best is not None:
            moves.append(Move(RANK_MODELS, _MODEL_COST["replace"], "replace", model, best))
    for model in spare:
        moves.append(Move(RANK_MODELS, _MODEL_COST["add"], "add", model))
    for model in dict.fromkeys(imposed):
        moves.append(Move(RANK_MODELS, _MODEL_COST["exempt"], "exempt", model))
    return moves


def changeable(kb: KnowledgeBase, allow: Collection[str]) -> list[Trait]:
    """The traits what-if may change: the levers, and the traits the caller allowed."""
    return [t for t in kb.traits.values() if t.kind == "lever" or t.id in allow]


def trait_moves(
    kb: KnowledgeBase, values: Mapping[str, cond.TraitValue], traits: Iterable[Trait]
) -> list[Move]:
    """Every single change of these traits that can flip some scoring rule's test."""
    thresholds: dict[str, set[float]] = {}
    for rule in kb.rules:
        for leaf in cond.comparisons(rule.condition):
            if (
                isinstance(leaf, cond.Comparison)
                and isinstance(leaf.value, int | float)
                and not isinstance(leaf.value, bool)
            ):
                thresholds.setdefault(leaf.trait, set()).add(float(leaf.value))
    moves = []
    for trait in traits:
        current = values.get(trait.id)
        for value in _values(trait, current, thresholds.get(trait.id, set())):
            if value != current:
                cost = _cost(trait, current, value)
                moves.append(Move(RANK_PRACTICES, cost, "trait", trait.id, value))
    return moves


def view_moves(views: Mapping[str, Mapping[str, float]]) -> list[Move]:
    """Each stated view moved to what the traits show."""
    return [Move(RANK_VIEWS, 1.0, "view", view) for view in sorted(views)]


def _values(
    trait: Trait, current: cond.TraitValue | None, thresholds: set[float]
) -> list[cond.TraitValue]:
    choices = trait.choices()
    if choices is not None:
        return list(choices)
    match trait.type:
        case "set":
            have = current if isinstance(current, frozenset) else frozenset()
            return [have ^ {v} for v in trait.values or ()]
    low = trait.min if trait.min is not None else -float("inf")
    high = trait.max if trait.max is not None else float("inf")
    numbers = {round(t + d, 6) for t in thresholds for d in (-STEP, 0.0, STEP)}
    return sorted(n for n in numbers if low <= n <= high)


def _cost(trait: Trait, current: cond.TraitValue | None, value: cond.TraitValue) -> float:
    """How far a value moves, 0..1; taking up a practice not observed is a full move."""
    if current is None:
        return 1.0
    match trait.type:
        case "scale":
            assert isinstance(value, int)
            assert isinstance(current, int)
            return abs(value - current) / (SCALE_MAX - SCALE_MIN)
        case "number":
            assert isinstance(value, int | float)
            assert isinstance(current, int | float)
            span = (
                (trait.max - trait.min)
                if trait.max is not None and trait.min is not None
                else max(abs(float(current)), abs(float(value)), 1.0)
            )
            return min(1.0, abs(float(value) - float(current)) / span)
    return 1.0
