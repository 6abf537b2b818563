"""From fired rules to units' mode profiles, with the evidence that explains every figure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from modeadvisor import conditions as cond
from modeadvisor.advice import Coverage, Evidence, JsonValue, Profile
from modeadvisor.knowledge import KnowledgeBase, Lang, Rule, Settings
from modeadvisor.reports.labels import note
from modeadvisor.scoring import MICRO

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

DECIMALS = 4


@dataclass(frozen=True, slots=True)
class _RuleEvidence:
    """What a scoring rule's evidence says whatever the unit."""

    rule: Rule
    traits: tuple[str, ...]  # what its condition reads: the values it quotes
    weights: tuple[tuple[str, float], ...]  # as written
    rounded: tuple[tuple[str, float], ...]  # as shown
    total: float  # the sum of its weights as written
    origin: str


class EvidenceWriter:
    """Writes units' evidence: each rule's part that is the same for every unit is kept once."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._rules = [
            _RuleEvidence(
                rule,
                compiled.traits,
                tuple(rule.spec.weights.items()),
                tuple((a, round(w, DECIMALS)) for a, w in rule.spec.weights.items()),
                sum(rule.spec.weights.values()),
                str(rule.origin),
            )
            for rule, compiled in zip(kb.rules, kb.compiled.rules, strict=True)
        ]

    def evidence(
        self, fired: Sequence[int], values: Mapping[str, cond.TraitValue], lang: Lang
    ) -> list[Evidence]:
        """The fired rules of one unit (indexes in pack order), each with the values it
        matched, weightiest first."""
        rules = [self._rules[i] for i in fired]
        total = sum(rule.total for rule in rules)
        evidence = []
        for found in rules:
            rule = found.rule
            matched: dict[str, JsonValue] = {
                trait: sorted(value) if isinstance(value, frozenset) else value
                for trait in found.traits
                if (value := values.get(trait)) is not None
            }
            evidence.append(
                Evidence.model_construct(
                    Evidence.every_field,
                    rule=rule.id,
                    condition=rule.spec.when,
                    matched=matched,
                    weights=dict(found.rounded),
                    contribution={a: round(w / total, DECIMALS) for a, w in found.weights},
                    rationale=rule.spec.rationale.get(lang),
                    source=list(rule.spec.source),
                    pack=rule.pack,
                    origin=found.origin,
                )
            )
        # a canonical order (not the pack's file order), so the same input gives the same bytes
        return sorted(evidence, key=lambda e: (-sum(e.contribution.values()), e.rule))


@dataclass(frozen=True)
class Profiles:
    """Per unit: exact weights, status, dominant and secondary (indexes, -1 for none), mixed."""

    raw: IntArray  # (units, archetypes) in millionths
    weights: FloatArray
    ok: BoolArray
    dominant: IntArray
    secondary: IntArray
    mixed: BoolArray
    fired_count: IntArray
    observed: IntArray  # traits observed per unit


def profiles(kb: KnowledgeBase, fired: BoolArray, observed: IntArray) -> Profiles:
    """Every unit's profile at once from the scoring rules that fired for it (units, rules).

    Weights are summed in exact millionths (the compiled weights), a share is one division,
    ties go to the archetype first in pack order: the one profile arithmetic of every backend.
    """
    settings = kb.settings
    size, archetypes = fired.shape[0], len(kb.archetypes)
    weights_matrix = np.array([rule.weights for rule in kb.compiled.rules], dtype=np.int64)
    weights_matrix = weights_matrix.reshape(len(kb.compiled.rules), archetypes)
    raw, fired_count = evidence(weights_matrix, fired)
    total = raw.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        weights = np.where(total[:, None] > 0, raw / np.maximum(total, 1)[:, None], 0.0)
    ok = sufficient(settings, fired_count, observed)
    rows = np.arange(size)
    dominant = np.argmax(weights, axis=1) if archetypes else np.zeros(size, np.int64)
    lead = weights[rows, dominant] if archetypes else np.zeros(size)
    if archetypes > 1:
        rest = weights.copy()
        rest[rows, dominant] = -np.inf
        secondary = np.argmax(rest, axis=1)
        second_weight = rest[rows, secondary]
        has_second = second_weight > 0
        secondary = np.where(has_second, secondary, -1)
        lead = lead - np.where(has_second, second_weight, 0.0)
    else:
        secondary = np.full(size, -1)
    mixed = ok & (lead < settings.mixed_margin)
    return Profiles(
        raw=raw,
        weights=weights,
        ok=ok,
        dominant=np.where(ok, dominant, -1).astype(np.int64),
        secondary=np.where(ok, secondary, -1).astype(np.int64),
        mixed=mixed,
        fired_count=fired_count,
        observed=observed,
    )


def evidence(weights: IntArray, fired: BoolArray) -> tuple[IntArray, IntArray]:
    """Each unit's summed weights of the rules that fired for it (units, archetypes), exact
    millionths, and how many fired.

    The same integers as `fired @ weights`, summed eight rules at a time: each unit's fired
    rules are packed into bytes, and each byte looks up the sum of its subset of the eight
    rules' weights (256 sums per eight rules and archetype): a few gathers where numpy would
    multiply 64-bit integers without BLAS, four times slower.
    """
    size, rules = fired.shape
    archetypes = weights.shape[1]
    if not rules or not size:
        return np.zeros((size, archetypes), dtype=np.int64), np.zeros(size, dtype=np.int64)
    # (bytes, units): rule 8g+b is bit b of byte g, each byte's row contiguous for the gathers
    packed = np.ascontiguousarray(np.packbits(fired, axis=1, bitorder="little").T)
    bits = (np.arange(256)[:, None] >> np.arange(8)[None, :]) & 1  # a byte's 8 bits
    padded = np.zeros((packed.shape[0] * 8, archetypes), dtype=np.int64)
    padded[:rules] = weights
    sums = np.empty((archetypes, size), dtype=np.int64)
    for archetype in range(archetypes):
        # (bytes, 256): the sum of each subset of each eight rules' weights for this archetype
        tables = np.ascontiguousarray((bits @ padded[:, archetype].reshape(-1, 8).T).T)
        total = sums[archetype]
        total[:] = tables[0].take(packed[0])
        for group in range(1, packed.shape[0]):
            total += tables[group].take(packed[group])
    counts = bits.sum(axis=1)
    fired_count = counts.take(packed[0]).astype(np.int64)
    for group in range(1, packed.shape[0]):
        fired_count += counts.take(packed[group])
    return np.ascontiguousarray(sums.T), fired_count


def sufficient(settings: Settings, fired: IntArray, observed: IntArray) -> BoolArray:
    """Enough evidence to name a mode: at least `min_evidence` rules fired on at least
    `min_observed` observed traits.

    Both are counts of what was seen for the unit, never shares of the catalogue: a layer that
    adds traits (or rules on traits) a unit did not observe leaves its status as it was.
    """
    return (fired >= settings.min_evidence) & (observed >= settings.min_observed)


def unit_profile(
    kb: KnowledgeBase, found: Profiles, row: int, lang: Lang = "en"
) -> tuple[Profile, list[str]]:
    """One unit's Profile (rounded for reading) and plain-language notes on how it was decided."""
    settings = kb.settings
    order = list(kb.archetypes)
    fired = int(found.fired_count[row])
    observed = int(found.observed[row])
    weights = {a: float(found.weights[row, i]) for i, a in enumerate(order)}
    share = observed / len(kb.traits) if kb.traits else 0.0
    coverage = Coverage.model_construct(
        Coverage.every_field,
        observed_traits=observed,
        catalogue_traits=len(kb.traits),
        share=round(share, DECIMALS),
        fired_rules=fired,
    )
    notes: list[str] = []
    enough = bool(found.ok[row])
    dominant = order[found.dominant[row]] if enough else None
    secondary = order[found.secondary[row]] if enough and found.secondary[row] >= 0 else None
    mixed = bool(found.mixed[row])
    if not enough:
        notes.append(
            note(
                "insufficient",
                lang,
                fired=fired,
                min_fired=settings.min_evidence,
                observed=observed,
                min_observed=settings.min_observed,
            )
        )
    elif mixed and dominant and secondary:
        names = kb.archetypes
        notes.append(
            note(
                "mixed",
                lang,
                dominant=names[dominant].name.get(lang),
                secondary=names[secondary].name.get(lang),
                first=weights[dominant],
                second=weights[secondary],
                margin=settings.mixed_margin,
            )
        )
    profile = Profile.model_construct(
        Profile.every_field,
        weights={a: round(w, DECIMALS) for a, w in weights.items()},
        raw={a: round(int(found.raw[row, i]) / MICRO, DECIMALS) for i, a in enumerate(order)},
        dominant=dominant,
        secondary=secondary,
        mixed=mixed,
        status="ok" if enough else "insufficient_evidence",
        coverage=coverage,
    )
    return profile, notes
