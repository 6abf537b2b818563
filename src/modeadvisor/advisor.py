"""The Advisor: a knowledge base, its compiled rules on the engine, and the graph — one object.

An Advisor holds no global state: two advisors with different packs live side by side in one
process. It is safe to share between threads (the engine adapter serialises its sessions).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .advice import Advice, PackRef, UnitAdvice
from .compiler import compile_pack
from .documents import Document
from .engine import DurableEngine
from .graph import ModeGraph
from .knowledge import KnowledgeBase, Lang, load_knowledge_base, shipped_rules_dir
from .messages import note
from .organisation import Organisation, check_organisation, from_data, load_organisation
from .profile import build_profile, evidence_for


class Advisor:
    """Assesses organisations against one knowledge base."""

    def __init__(self, knowledge_base: KnowledgeBase, *, lang: Lang = "en") -> None:
        self.knowledge_base = knowledge_base
        self.lang: Lang = lang
        self.graph = ModeGraph(knowledge_base)
        self._pack = compile_pack(knowledge_base)
        self._engine = DurableEngine(self._pack)

    @classmethod
    def default(cls, *, lang: Lang = "en") -> Advisor:
        """An advisor on the knowledge base shipped with modeadvisor."""
        return cls(load_knowledge_base(shipped_rules_dir()), lang=lang)

    @classmethod
    def from_path(cls, path: str | Path, *, lang: Lang = "en") -> Advisor:
        """An advisor on the pack in a folder of rule files."""
        return cls(load_knowledge_base(path), lang=lang)

    def assess(self, organisation: Organisation | Mapping[str, Any] | str | Path) -> Advice:
        """Assess an organisation given as a model, as plain data, or as a YAML/JSON file."""
        document: Document | None = None
        if isinstance(organisation, str | Path):
            organisation, document = load_organisation(organisation)
        elif not isinstance(organisation, Organisation):
            organisation = from_data(organisation)
        values = check_organisation(self.knowledge_base, organisation, document)
        facts = [self._pack.fact(unit.id, values[unit.id]) for unit in organisation.units]
        fired: dict[str, set[str]] = {unit.id: set() for unit in organisation.units}
        for unit_id, rule_id in self._engine.fire(facts):
            fired[unit_id].add(rule_id)
        units = [self._unit_advice(unit.id, unit.title, unit.parent, values[unit.id],
                                   fired[unit.id], frozenset(unit.models_in_use))
                 for unit in organisation.units]
        kb = self.knowledge_base
        return Advice(organisation=organisation.organisation, language=self.lang,
                      pack=PackRef(id=kb.info.id, version=kb.info.version),
                      archetypes={a.id: a.name.get(self.lang) for a in kb.archetypes.values()},
                      units=units)

    def _unit_advice(self, unit_id: str, name: str, parent: str | None,
                     values: Mapping[str, Any], fired: set[str],
                     in_use: frozenset[str]) -> UnitAdvice:
        rules = [rule for rule in self.knowledge_base.rules if rule.id in fired]  # pack order
        profile, notes = build_profile(self.knowledge_base, rules, values, self.lang)
        settings = self.knowledge_base.settings
        recommendations, avoid, direction = [], [], []
        if profile.status == "ok":
            scored = self.graph.score_models(unit_id, profile.weights, in_use, self.lang)
            recommendations = [m for m in scored if m.score >= settings.recommend_min]
            avoid = sorted((m for m in scored if m.score <= -settings.avoid_min),
                           key=lambda m: (not m.in_use, m.score, m.model))
            assert profile.dominant is not None
            direction = self.graph.directions(profile.dominant, self.lang)
            for model in avoid:
                if model.in_use:
                    notes.append(note("in_use_poor_fit", self.lang, model=model.model,
                                      score=model.score))
        return UnitAdvice(id=unit_id, name=name, parent=parent, profile=profile,
                          recommendations=recommendations, avoid=avoid,
                          evidence=evidence_for(self.knowledge_base.info.id, rules, values,
                                                               self.lang),
                          direction=direction, notes=notes)
