"""The Advisor: a knowledge base, its compiled rules on the engine, and the graph — one object.

An Advisor holds no global state: two advisors with different packs live side by side in one
process. It is safe to share between threads (the engine adapter serialises its sessions).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .advice import Advice, Conflict, ModelAdvice, PackRef, SelfAssessment, UnitAdvice
from .compiler import compile_conflicts, compile_pack, engine_fact
from .conflicts import binding_bound, summarise
from .documents import Document
from .engine import DurableEngine
from .errors import LimitError, Problem
from .graph import ModeGraph, ScoredModel
from .knowledge import KnowledgeBase, Lang, load_knowledge_base, shipped_rules_dir
from .limits import DEFAULT_LIMITS, Limits
from .messages import note
from .organisation import (
    CheckedOrganisation,
    Organisation,
    check_organisation,
    from_data,
    load_organisation,
)
from .profile import build_profile, evidence_for
from .scoring import micro
from .situation import UnitState, mode_ratings, situation


class Advisor:
    """Assesses organisations against one knowledge base."""

    def __init__(self, knowledge_base: KnowledgeBase, *, lang: Lang = "en",
                 limits: Limits = DEFAULT_LIMITS) -> None:
        self.knowledge_base = knowledge_base
        self.lang: Lang = lang
        self.limits = limits
        self.graph = ModeGraph(knowledge_base)
        self._pack = compile_pack(knowledge_base)
        self._engine = DurableEngine(self._pack)
        self._conflict_pack = compile_conflicts(knowledge_base)
        self._conflict_engine = DurableEngine(self._conflict_pack)

    @classmethod
    def default(cls, *, lang: Lang = "en", limits: Limits = DEFAULT_LIMITS) -> Advisor:
        """An advisor on the knowledge base shipped with modeadvisor."""
        return cls(load_knowledge_base(shipped_rules_dir(), limits=limits), lang=lang,
                   limits=limits)

    @classmethod
    def from_path(cls, *paths: str | Path, lang: Lang = "en",
                  limits: Limits = DEFAULT_LIMITS) -> Advisor:
        """An advisor on the packs in these folders, each layered on the ones before it."""
        return cls(load_knowledge_base(*paths, limits=limits), lang=lang, limits=limits)

    def assess(self, organisation: Organisation | Mapping[str, Any] | str | Path) -> Advice:
        """Assess an organisation given as a model, as plain data, or as a YAML/JSON file."""
        document: Document | None = None
        if isinstance(organisation, str | Path):
            organisation, document = load_organisation(organisation, self.limits)
        elif not isinstance(organisation, Organisation):
            organisation = from_data(organisation)
        checked = check_organisation(self.knowledge_base, organisation, document, self.limits)
        values = checked.values
        facts = [self._pack.fact(unit.id, values[unit.id]) for unit in organisation.units]
        fired: dict[str, set[str]] = {unit.id: set() for unit in organisation.units}
        for rule_id, bound in self._engine.fire(facts):
            fired[organisation.units[bound["m"]].id].add(rule_id)
        kb = self.knowledge_base
        states = [self._unit_state(unit.id, unit.parent, values[unit.id], fired[unit.id],
                                   frozenset(unit.models_in_use))
                  for unit in organisation.units]
        conflicts = self._conflicts(organisation, checked, [state for state, _ in states])
        advice = {unit.id: self._unit_advice(state, notes, unit.title, checked, conflicts)
                  for (state, notes), unit in zip(states, organisation.units, strict=True)}
        units = [advice[unit_id] for unit_id in tree_order(organisation)]
        return Advice(organisation=organisation.organisation, language=self.lang,
                      pack=PackRef(id=kb.info.id, version=kb.info.version),
                      archetypes={a.id: a.name.get(self.lang) for a in kb.archetypes.values()},
                      units=units, conflicts=conflicts)

    def _unit_state(self, unit_id: str, parent: str | None, values: Mapping[str, Any],
                    fired: set[str], in_use: frozenset[str]) -> tuple[UnitState, list[str]]:
        rules = [rule for rule in self.knowledge_base.rules if rule.id in fired]  # pack order
        profile, notes, weights = build_profile(self.knowledge_base, rules, values, self.lang)
        scored: list[ScoredModel] = []
        if profile.status == "ok":
            scored = self.graph.score_models(unit_id, weights, in_use, self.lang)
        return UnitState(unit_id, parent, values, profile, scored, in_use, tuple(rules)), notes

    def _conflicts(self, organisation: Organisation, checked: CheckedOrganisation,
                   states: list[UnitState]) -> list[Conflict]:
        kb = self.knowledge_base
        if not kb.conflicts:
            return []
        facts = situation(kb, states, organisation.imposed_models, checked.views,
                          checked.ratings)
        for rule in kb.conflicts:
            bound = binding_bound(rule, facts)
            if bound > self.limits.max_conflict_bindings:
                raise LimitError([Problem(
                    kb.where(rule.pack, rule.origin),
                    f"conflict rule '{rule.id}' could bind up to {bound:,} combinations of "
                    f"facts in '{organisation.organisation}' ({len(organisation.units):,} "
                    f"units); the limit is {self.limits.max_conflict_bindings:,}",
                    "assess the organisation in parts, join the rule on a narrower field, or "
                    "raise Limits.max_conflict_bindings")])
        firings = self._conflict_engine.fire([engine_fact(f, kb.traits) for f in facts])
        names = {unit.id: unit.title for unit in organisation.units}
        return summarise(kb, firings, facts, names, self.lang)

    def _unit_advice(self, state: UnitState, notes: list[str], name: str,
                     checked: CheckedOrganisation, conflicts: list[Conflict]) -> UnitAdvice:
        settings = self.knowledge_base.settings
        profile = state.profile
        recommendations: list[ModelAdvice] = []
        avoid: list[ModelAdvice] = []
        direction = []
        if profile.status == "ok":
            recommendations = [m.advice for m in state.scored
                               if m.micro >= micro(settings.recommend_min)]
            avoid = [m.advice for m in sorted(
                (m for m in state.scored if m.micro <= -micro(settings.avoid_min)),
                key=lambda m: (not m.advice.in_use, m.micro, m.advice.model))]
            assert profile.dominant is not None
            direction = self.graph.directions(profile.dominant, self.lang)
            for model in avoid:
                if model.in_use:
                    notes.append(note("in_use_poor_fit", self.lang, model=model.name,
                                      score=model.score))
        answers = checked.ratings.get(state.id, [])
        self_assessment = None
        if answers:
            disputed = any(c.kind == "respondent_disagreement" and state.id in c.units
                           for c in conflicts)
            self_assessment = SelfAssessment(respondents=len(answers),
                                             ratings=mode_ratings(answers), disputed=disputed)
        return UnitAdvice(id=state.id, name=name, parent=state.parent, profile=profile,
                          recommendations=recommendations, avoid=avoid,
                          evidence=evidence_for(list(state.rules), state.values, self.lang),
                          direction=direction, notes=notes,
                          perspectives={view: dict(weights) for view, weights
                                        in checked.views.get(state.id, {}).items()},
                          self_assessment=self_assessment)


def tree_order(organisation: Organisation) -> list[str]:
    """Unit ids top-down, siblings by id: one order whatever the order of the file."""
    children: dict[str | None, list[str]] = {}
    for unit in organisation.units:
        children.setdefault(unit.parent, []).append(unit.id)
    order: list[str] = []
    stack = sorted(children.get(None, []), reverse=True)
    while stack:  # iterative: a deep tree must not hit the recursion limit
        unit_id = stack.pop()
        order.append(unit_id)
        stack.extend(sorted(children.get(unit_id, []), reverse=True))
    return order
