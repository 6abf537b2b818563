"""The situation conflict rules look at: facts derived from each unit's assessment (pure data).

After scoring, every unit has a profile and model scores; the organisation file adds stated views
and self-assessments. This module turns all of it into the facts described in `facts.py`, with
numbers rounded to the engine's six decimals, so the engine and the reference matcher read the
same values. It decides nothing: which combinations are conflicts is for the conflict rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from modeadvisor.advice import ModeRating, Profile
from modeadvisor.agreement import consensus, rwg
from modeadvisor.conditions import TraitValue
from modeadvisor.facts import VIEWS
from modeadvisor.graph import ScoredModel
from modeadvisor.knowledge import NUMBER_DECIMALS, KnowledgeBase, Rule
from modeadvisor.scoring import MICRO, micro

Fact = dict[str, TraitValue]


@dataclass(frozen=True, slots=True)
class UnitState:
    """What the conflict stage needs to know of one assessed unit."""

    id: str
    parent: str | None
    values: Mapping[str, TraitValue]
    profile: Profile
    scored: Sequence[ScoredModel]  # every model the profile reaches, with its score
    in_use: frozenset[str]
    rules: tuple[Rule, ...]  # the scoring rules that fired, in pack order


def _round(value: float) -> float:
    return round(value, NUMBER_DECIMALS)


def situation(
    kb: KnowledgeBase,
    units: Sequence[UnitState],
    imposed: Iterable[str],
    views: Mapping[str, Mapping[str, Mapping[str, float]]],
    ratings: Mapping[str, Sequence[Mapping[str, int]]],
) -> list[Fact]:
    """Every conflict-stage fact of one assessment, in a deterministic order."""
    facts: list[Fact] = []
    settings = kb.settings
    imposed = tuple(dict.fromkeys(imposed))
    for model in imposed:
        facts.append({"kind": "imposed", "model": model, "model_kind": kb.models[model].kind})
    for unit in units:
        profile = unit.profile
        fact: Fact = {
            "kind": "unit",
            "uid": unit.id,
            "status": profile.status,
            "mixed": profile.mixed,
        }
        if unit.parent is not None:
            fact["parent"] = unit.parent
        if profile.dominant is not None:
            fact["dominant"] = profile.dominant
        if profile.secondary is not None:
            fact["secondary"] = profile.secondary
        facts.append({**fact, **unit.values})
        unit_views: dict[str, Mapping[str, float]] = dict(views.get(unit.id, {}))
        if profile.status == "ok" and profile.dominant is not None:
            unit_views["current"] = profile.weights
            scores = {m.advice.model: m.micro for m in unit.scored}
            for model in sorted(set(scores) | unit.in_use | set(imposed)):
                score = scores.get(model, 0)
                fit: Fact = {
                    "kind": "fit",
                    "uid": unit.id,
                    "dominant": profile.dominant,
                    "model": model,
                    "model_kind": kb.models[model].kind,
                    "score": score / MICRO,
                    "in_use": model in unit.in_use,
                    "recommended": score >= micro(settings.recommend_min),
                    "avoid": score <= -micro(settings.avoid_min),
                }
                if unit.parent is not None:
                    fit["parent"] = unit.parent
                facts.append(fit)
        facts.extend(_views(unit.id, unit_views, tuple(kb.archetypes)))
        facts.extend(_ratings(unit.id, ratings.get(unit.id, ())))
    return facts


def _views(
    uid: str, views: Mapping[str, Mapping[str, float]], archetypes: Sequence[str]
) -> Iterable[Fact]:
    present = [view for view in VIEWS if view in views]
    for view in present:
        weights = views[view]
        top = max(weights.values(), default=0.0)
        for archetype in archetypes:
            weight = _round(weights.get(archetype, 0.0))
            yield {
                "kind": "view",
                "uid": uid,
                "view": view,
                "archetype": archetype,
                "weight": weight,
                "top": top > 0 and weight == _round(top),
            }
    for first, second in combinations(present, 2):
        for archetype in archetypes:
            a = _round(views[first].get(archetype, 0.0))
            b = _round(views[second].get(archetype, 0.0))
            yield {
                "kind": "gap",
                "uid": uid,
                "first": first,
                "second": second,
                "archetype": archetype,
                "first_weight": a,
                "second_weight": b,
                "gap": _round(abs(a - b)),
            }


def _ratings(uid: str, answers: Sequence[Mapping[str, int]]) -> Iterable[Fact]:
    for rating in mode_ratings(answers):
        yield {
            "kind": "rating",
            "uid": uid,
            "archetype": rating.archetype,
            "rating": rating.mean,
            "respondents": rating.respondents,
        }
        if rating.rwg is not None and rating.consensus is not None:
            yield {
                "kind": "agreement",
                "uid": uid,
                "archetype": rating.archetype,
                "respondents": rating.respondents,
                "rwg": rating.rwg,
                "consensus": rating.consensus,
            }


def mode_ratings(answers: Sequence[Mapping[str, int]]) -> list[ModeRating]:
    """Per archetype rated: the mean, the count, and agreement when two or more answered."""
    by_mode: dict[str, list[int]] = {}
    for answer in answers:
        for archetype, value in answer.items():
            by_mode.setdefault(archetype, []).append(value)
    result = []
    for archetype in sorted(by_mode):
        values = by_mode[archetype]
        several = len(values) >= 2
        result.append(
            ModeRating(
                archetype=archetype,
                mean=_round(sum(values) / len(values)),
                respondents=len(values),
                rwg=_round(rwg(values)) if several else None,
                consensus=_round(consensus(values)) if several else None,
            )
        )
    return result
