"""From fired rules to a unit's mode profile, with the evidence that explains every figure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from modeadvisor import conditions as cond
from modeadvisor.advice import Coverage, Evidence, JsonValue, Profile
from modeadvisor.knowledge import KnowledgeBase, Lang, Rule
from modeadvisor.reports.labels import note
from modeadvisor.scoring import MICRO, micro, ranking, shares

DECIMALS = 4


def evidence_for(
    rules: Sequence[Rule], values: Mapping[str, cond.TraitValue], lang: Lang
) -> list[Evidence]:
    """The fired rules of one unit, each with the values it matched, weightiest first."""
    total = sum(sum(rule.spec.weights.values()) for rule in rules)
    evidence = []
    for rule in rules:
        matched: dict[str, JsonValue] = {
            trait: sorted(value) if isinstance(value, frozenset) else value
            for trait in cond.traits_of(rule.condition)
            if (value := values.get(trait)) is not None
        }
        weights = dict(rule.spec.weights)
        evidence.append(
            Evidence(
                rule=rule.id,
                condition=rule.spec.when,
                matched=matched,
                weights={a: round(w, DECIMALS) for a, w in weights.items()},
                contribution={a: round(w / total, DECIMALS) for a, w in weights.items()},
                rationale=rule.spec.rationale.get(lang),
                source=list(rule.spec.source),
                pack=rule.pack,
                origin=str(rule.origin),
            )
        )
    # a canonical order (not the pack's file order), so the same input gives the same bytes
    return sorted(evidence, key=lambda e: (-sum(e.contribution.values()), e.rule))


def build_profile(
    kb: KnowledgeBase,
    rules: Sequence[Rule],
    values: Mapping[str, cond.TraitValue],
    lang: Lang = "en",
) -> tuple[Profile, list[str], dict[str, float]]:
    """Sum fired rule weights per archetype; decide dominant, secondary, mixed or too little.

    Returns the profile, plain-language notes on how it was decided, and the exact (unrounded)
    weights that model scores are computed from.
    """
    settings = kb.settings
    order = list(kb.archetypes)
    raw = {a: sum(micro(rule.spec.weights.get(a, 0.0)) for rule in rules) for a in order}
    weights = shares(raw)
    share = len(values) / len(kb.traits) if kb.traits else 0.0
    coverage = Coverage(
        observed_traits=len(values),
        catalogue_traits=len(kb.traits),
        share=round(share, DECIMALS),
        fired_rules=len(rules),
    )
    notes: list[str] = []
    enough = len(rules) >= settings.min_evidence and share >= settings.min_coverage
    dominant = secondary = None
    mixed = False
    if not enough:
        notes.append(
            note(
                "insufficient",
                lang,
                fired=len(rules),
                min_fired=settings.min_evidence,
                observed=len(values),
                catalogue=len(kb.traits),
                share=share,
                min_share=settings.min_coverage,
            )
        )
    else:
        dominant, secondary, lead = ranking(weights, order)
        mixed = lead < settings.mixed_margin
        if mixed and secondary:
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
    profile = Profile(
        weights={a: round(w, DECIMALS) for a, w in weights.items()},
        raw={a: round(w / MICRO, DECIMALS) for a, w in raw.items()},
        dominant=dominant,
        secondary=secondary,
        mixed=mixed,
        status="ok" if enough else "insufficient_evidence",
        coverage=coverage,
    )
    return profile, notes, weights
