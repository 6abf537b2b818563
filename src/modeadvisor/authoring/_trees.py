"""Organisations shaped like real ones, generated from a knowledge base: for benchmarks and tests.

A tree of units, 10 to 100 children per parent; each department leans to one mode and most of its
units work in that mode, some in another (traits drawn from the scoring rules of the archetype, so
the profile is `ok` and points where it should); units use models, one model is imposed on all,
and a few units state a desired or strategy view or have respondents who rate the modes. Every
shipped conflict kind can fire. The same knowledge base, size and seed give the same data.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from modeadvisor import conditions as cond
from modeadvisor.knowledge import KnowledgeBase, Trait

#: Children per parent, as in organisations of a few thousand people (teams of ten, departments
#: of a hundred).
CHILDREN = (10, 100)
#: Share of a department's units that work in its own mode; the others are mixed in.
OWN_MODE = 0.6
#: Share of units that state a view, and that have respondents.
VIEWS_SHARE = 0.08
RESPONDENTS_SHARE = 0.05
#: Observed traits a unit needs at least (the coverage a profile needs, with a margin).
MIN_TRAITS = 10

Snippet = dict[str, Any]  # trait id -> raw value, as an organisation file writes it


def sample_tree(
    kb: KnowledgeBase,
    size: int,
    seed: int,
    *,
    children: tuple[int, int] = CHILDREN,
    imposed: Sequence[str] = ("balanced_scorecard",),
) -> dict[str, Any]:
    """An organisation of `size` units as plain data (what `Advisor.assess` and the files take).

    `imposed` models unknown to `kb` are left out, so the generator works on any pack.
    """
    if size < 1:
        raise ValueError("an organisation has at least one unit")
    low, high = children
    if not 1 <= low <= high:
        raise ValueError(f"children per parent must be 1 <= low <= high, not {children}")
    rng = random.Random(seed)
    archetypes = sorted(kb.archetypes)
    pointing = _rules_by_archetype(kb)
    models = sorted(kb.models)
    parents = _tree(size, rng, low, high)
    modes: dict[int, str] = {}
    units: list[dict[str, Any]] = []
    respondents: list[dict[str, Any]] = []
    for index, parent in enumerate(parents):
        # the top unit and each department choose a mode; teams mostly follow their department's
        lean = modes.get(parent) if parent is not None and parents[parent] is not None else None
        if lean is None or rng.random() >= OWN_MODE:
            lean = rng.choice(archetypes)
        modes[index] = lean
        unit: dict[str, Any] = {"id": f"u{index}"}
        if parent is not None:
            unit["parent"] = f"u{parent}"
        mixed_in = rng.choice(archetypes) if rng.random() < 0.3 else None
        unit["traits"] = _traits(kb, rng, pointing, lean, mixed_in)
        unit["models_in_use"] = rng.sample(models, min(len(models), rng.randint(1, 3)))
        if rng.random() < VIEWS_SHARE:
            unit["perspectives"] = _views(rng, archetypes, lean)
        if rng.random() < RESPONDENTS_SHARE:
            respondents.extend(_respondents(rng, archetypes, unit["id"], lean))
        units.append(unit)
    data: dict[str, Any] = {
        "organisation": f"generated-{size}-{seed}",
        "units": units,
        "imposed_models": [model for model in imposed if model in kb.models],
    }
    if respondents:
        data["respondents"] = respondents
    return data


def flat_parent(
    kb: KnowledgeBase,
    children: int,
    seed: int,
    *,
    modes: tuple[str, str] = ("production", "development"),
    imposed: Sequence[str] = ("balanced_scorecard",),
) -> dict[str, Any]:
    """One parent in the first mode with `children` units directly under it, alternately in the
    first and the second mode (traits drawn per unit as in `sample_tree`), each using the models
    that suit its mode best, one model imposed on all: the shape where pairs of units explode.

    Modes the pack does not know are refused; imposed models it does not know are left out.
    """
    unknown = [mode for mode in modes if mode not in kb.archetypes]
    if unknown:
        raise ValueError(f"unknown mode {unknown[0]!r}; the pack has {', '.join(kb.archetypes)}")
    rng = random.Random(seed)
    pointing = _rules_by_archetype(kb)
    suits = {mode: _best_suited(kb, mode) for mode in modes}
    units: list[dict[str, Any]] = []
    for index in range(children + 1):
        mode = modes[0] if index == 0 else modes[(index - 1) % 2]
        unit: dict[str, Any] = {"id": f"u{index}", "traits": _traits(kb, rng, pointing, mode, None)}
        if index:
            unit["parent"] = "u0"
        unit["models_in_use"] = suits[mode]
        units.append(unit)
    return {
        "organisation": f"flat-{children}-{seed}",
        "units": units,
        "imposed_models": [model for model in imposed if model in kb.models],
    }


def _best_suited(kb: KnowledgeBase, mode: str) -> list[str]:
    """The measurement and the management model that suit a mode most strongly (by id on a tie)."""
    best: list[str] = []
    for kind in ("measurement", "management"):
        links = [
            link
            for link in kb.links
            if link.source_node == mode
            and link.relation == "suits"
            and link.target in kb.models
            and kb.models[link.target].kind == kind
        ]
        if links:
            best.append(min(links, key=lambda link: (-link.strength, link.target)).target)
    return best


def _tree(size: int, rng: random.Random, low: int, high: int) -> list[int | None]:
    """Each unit's parent (an index), breadth first: every parent gets low..high children."""
    parents: list[int | None] = [None]
    next_parent = 0
    while len(parents) < size:
        count = min(rng.randint(low, high), size - len(parents))
        parents.extend([next_parent] * count)
        next_parent += 1
    return parents


def _rules_by_archetype(kb: KnowledgeBase) -> dict[str, list[tuple[cond.Leaf, ...]]]:
    """For each archetype, the first alternative of every rule that weighs it most."""
    pointing: dict[str, list[tuple[cond.Leaf, ...]]] = {a: [] for a in kb.archetypes}
    for rule in kb.rules:
        weights = rule.spec.weights
        if not weights:
            continue
        top = max(sorted(weights), key=lambda a: weights[a])
        if weights[top] > 0 and top in pointing:
            pointing[top].append(cond.disjunctive_form(rule.condition)[0])
    return pointing


def _traits(
    kb: KnowledgeBase,
    rng: random.Random,
    pointing: Mapping[str, Sequence[tuple[cond.Leaf, ...]]],
    lean: str,
    mixed_in: str | None,
) -> Snippet:
    """Values that satisfy several rules of `lean` (and one or two of `mixed_in`)."""
    values: dict[str, cond.TraitValue] = {}
    own = list(pointing[lean])
    rng.shuffle(own)
    chosen = own[: rng.randint(3, max(3, len(own)))]
    if mixed_in is not None:
        chosen += rng.sample(list(pointing[mixed_in]), min(2, len(pointing[mixed_in])))
    for conjunction in chosen + own:
        if len(values) >= MIN_TRAITS and conjunction not in chosen:
            break
        _satisfy(kb.traits, rng, conjunction, values)
    # a category no rule of the unit's mode asked about, as an observer also notes what is there
    unset = sorted(
        t for t, trait in kb.traits.items() if trait.type == "category" and t not in values
    )
    for trait_id in rng.sample(unset, min(len(unset), rng.randint(0, 2))):
        values[trait_id] = rng.choice(kb.traits[trait_id].values or ("",))
    return {
        trait: sorted(value) if isinstance(value, frozenset) else value
        for trait, value in values.items()
    }


def _satisfy(
    traits: Mapping[str, Trait],
    rng: random.Random,
    conjunction: tuple[cond.Leaf, ...],
    values: dict[str, cond.TraitValue],
) -> None:
    """Add values that make `conjunction` true, unless it contradicts the values already set."""
    found: dict[str, cond.TraitValue] = {}
    for trait_id in dict.fromkeys(leaf.trait for leaf in conjunction):
        leaves = [leaf for leaf in conjunction if leaf.trait == trait_id]
        trait = traits.get(trait_id)
        if trait is None:
            return
        current = values.get(trait_id)
        if current is not None:
            if not all(cond.evaluate(leaf, {trait_id: current}) for leaf in leaves):
                return
            continue
        fitting = [
            value
            for value in _candidates(trait, leaves)
            if all(cond.evaluate(leaf, {trait_id: value}) for leaf in leaves)
        ]
        if not fitting:
            return
        found[trait_id] = rng.choice(fitting)
    values.update(found)


def _candidates(trait: Trait, leaves: Sequence[cond.Leaf]) -> list[cond.TraitValue]:
    """Values of the trait worth trying: its whole range when small, else around the literals."""
    options = tuple(trait.values or ())
    match trait.type:
        case "scale":
            return list(range(1, 6))
        case "bool":
            return [True, False]
        case "category":
            return list(options)
        case "set":
            wanted = frozenset(leaf.value for leaf in leaves if isinstance(leaf, cond.Member))
            return [wanted, *(wanted | {option} for option in options if option not in wanted)]
    low = trait.min if trait.min is not None else 0.0
    high = trait.max if trait.max is not None else 100.0
    points = {low, high, (low + high) / 2}
    for leaf in leaves:
        if isinstance(leaf, cond.Comparison) and isinstance(leaf.value, int | float):
            points.update({leaf.value, leaf.value + 1, leaf.value - 1})
    return [round(p, 2) for p in sorted(points) if low <= p <= high]


def _views(rng: random.Random, archetypes: Sequence[str], lean: str) -> dict[str, Any]:
    """A desired and/or a strategy ranking; often with another mode first than the unit's own."""
    views: dict[str, Any] = {}
    for view in ("desired", "strategy"):
        if rng.random() < 0.7:
            ranking = list(archetypes)
            rng.shuffle(ranking)
            if rng.random() < 0.4:  # keep its own mode first: not every view is a conflict
                ranking.remove(lean)
                ranking.insert(0, lean)
            views[view] = ranking
    return views or {"desired": [lean, *(a for a in archetypes if a != lean)]}


def _respondents(
    rng: random.Random, archetypes: Sequence[str], unit: str, lean: str
) -> list[dict[str, Any]]:
    """One to four people rating a few modes 1-5: some disagree, some see another mode."""
    others = [a for a in archetypes if a != lean]
    rated = [lean, *rng.sample(others, min(2, len(others)))]
    return [
        {
            "id": f"{unit}-r{i}",
            "unit": unit,
            "ratings": {archetype: rng.randint(1, 5) for archetype in rated},
        }
        for i in range(rng.randint(1, 4))
    ]
