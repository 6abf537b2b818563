"""The Advisor: a knowledge base, its compiled rules on the engine, and the graph — one object.

An Advisor holds no global state: two advisors with different packs live side by side in one
process. It is safe to share between threads (the engine adapter serialises its sessions).

Two backends give the same advice: `durable` runs the rules in durable-rules; `python` scores
with the vectorised evaluator (`batch`) and matches conflict rules in plain Python. `auto` (the
default) takes durable-rules where it can be imported and otherwise falls back to `python` with
one warning (durable-rules 2.0.28 does not import on Python 3.13).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from modeadvisor.advice import Advice, Conflict, ModelAdvice, PackRef, SelfAssessment, UnitAdvice
from modeadvisor.backends._reference import match_reference
from modeadvisor.backends._rulesets import compile_conflicts, compile_pack, engine_fact
from modeadvisor.backends._vectorised import Scorer, UnitTable
from modeadvisor.conflicts import UnitState, binding_bounds, mode_ratings, situation, summarise
from modeadvisor.errors import EngineError, LimitError, Location, Problem
from modeadvisor.graph import ModeGraph, ScoredModel
from modeadvisor.knowledge import KnowledgeBase, Lang, load_knowledge_base, shipped_rules_dir
from modeadvisor.knowledge._documents import Document
from modeadvisor.limits import DEFAULT_LIMITS, Limits
from modeadvisor.organisation import (
    CheckedOrganisation,
    Organisation,
    Unit,
    check_organisation,
    from_data,
    load_organisation,
)
from modeadvisor.profile import build_profile, evidence_for
from modeadvisor.reports.labels import note
from modeadvisor.scoring import micro
from modeadvisor.tables import BatchResult, Table, evaluate_table, read_table
from modeadvisor.whatif import WhatIf, what_if


class Advisor:
    """Assesses organisations against one knowledge base."""

    def __init__(
        self,
        knowledge_base: KnowledgeBase,
        *,
        lang: Lang = "en",
        limits: Limits = DEFAULT_LIMITS,
        backend: Backend = "auto",
    ) -> None:
        self.knowledge_base = knowledge_base
        self.lang: Lang = lang
        self.limits = limits
        self.graph = ModeGraph(knowledge_base)
        self._pack = compile_pack(knowledge_base)
        self._conflict_pack = compile_conflicts(knowledge_base)
        self.backend: Backend = _choose(backend)
        if self.backend == "durable":
            from modeadvisor.backends._durable import DurableEngine

            self._engine: Any = DurableEngine(self._pack)
            self._conflict_engine: Any = DurableEngine(self._conflict_pack)

    @cached_property
    def _scorer(self) -> Scorer:
        # built on first use: the durable backend needs it only for tables and what-if, and
        # with a large pack it repeats the compiler's expansion of every condition
        return Scorer(self.knowledge_base)

    @classmethod
    def default(
        cls, *, lang: Lang = "en", limits: Limits = DEFAULT_LIMITS, backend: Backend = "auto"
    ) -> Advisor:
        """An advisor on the knowledge base shipped with modeadvisor."""
        return cls(
            load_knowledge_base(shipped_rules_dir(), limits=limits),
            lang=lang,
            limits=limits,
            backend=backend,
        )

    @classmethod
    def from_path(
        cls,
        *paths: str | Path,
        lang: Lang = "en",
        limits: Limits = DEFAULT_LIMITS,
        backend: Backend = "auto",
    ) -> Advisor:
        """An advisor on the packs in these folders, each layered on the ones before it."""
        return cls(
            load_knowledge_base(*paths, limits=limits), lang=lang, limits=limits, backend=backend
        )

    def assess_many(
        self, table: Table | Sequence[Mapping[str, Any]] | str | Path | Any, top: int = 3
    ) -> BatchResult:
        """Score a table of units at once (vectorised), one unit per row.

        `table` is a CSV file (columns `unit`, trait ids, optional `models_in_use` separated by
        `;`), rows as mappings, or a pandas/pyarrow frame. Each unit is its own organisation;
        `result.table.raw_unit(i)` gives it for `assess` when its full Advice is wanted.
        """
        if not isinstance(table, Table):
            table = read_table(self.knowledge_base, table)
        if len(table.ids) > self.limits.max_table_rows:
            raise LimitError(
                [
                    Problem(
                        Location("<table>"),
                        f"{len(table.ids):,} rows; the limit is {self.limits.max_table_rows:,}",
                        "split the table, or raise Limits.max_table_rows "
                        "(on the command line: --limit max_table_rows=N)",
                    )
                ]
            )
        return evaluate_table(self.knowledge_base, table, top, self._scorer)

    def what_if(
        self, unit: Unit | Mapping[str, Any], *, target: str | None = None, clear: str | None = None
    ) -> WhatIf:
        """The fewest, smallest trait changes that make `target` the unit's dominant mode, or
        that clear a conflict the unit raises on its own (a rule id or kind)."""
        data = unit.model_dump() if isinstance(unit, Unit) else dict(unit)
        data.pop("parent", None)
        data.pop("perspectives", None)
        organisation = from_data({"organisation": "what-if", "units": [data]})
        checked = check_organisation(self.knowledge_base, organisation, None, self.limits)
        only = organisation.units[0]
        return what_if(
            self.knowledge_base,
            self._scorer,
            only.id,
            checked.values[only.id],
            frozenset(only.models_in_use),
            target=target,
            clear=clear,
        )

    def advice_for(self, result: BatchResult, row: int) -> Advice:
        """The full Advice (with its explanation) of one row of a batch result."""
        return self.assess({"organisation": result.ids[row], "units": [result.table.raw_unit(row)]})

    def assess(self, organisation: Organisation | Mapping[str, Any] | str | Path) -> Advice:
        """Assess an organisation given as a model, as plain data, or as a YAML/JSON file."""
        document: Document | None = None
        if isinstance(organisation, str | Path):
            organisation, document = load_organisation(organisation, self.limits)
        elif not isinstance(organisation, Organisation):
            organisation = from_data(organisation)
        checked = check_organisation(self.knowledge_base, organisation, document, self.limits)
        values = checked.values
        fired = self._fired(organisation, values)
        kb = self.knowledge_base
        states = [
            self._unit_state(
                unit.id, unit.parent, values[unit.id], fired[unit.id], frozenset(unit.models_in_use)
            )
            for unit in organisation.units
        ]
        conflicts = self._conflicts(organisation, checked, [state for state, _ in states])
        advice = {
            unit.id: self._unit_advice(state, notes, unit.title, checked, conflicts)
            for (state, notes), unit in zip(states, organisation.units, strict=True)
        }
        units = [advice[unit_id] for unit_id in tree_order(organisation)]
        return Advice(
            organisation=organisation.organisation,
            language=self.lang,
            pack=PackRef(id=kb.info.id, version=kb.info.version),
            archetypes={a.id: a.name.get(self.lang) for a in kb.archetypes.values()},
            units=units,
            conflicts=conflicts,
        )

    def _unit_state(
        self,
        unit_id: str,
        parent: str | None,
        values: Mapping[str, Any],
        fired: set[str],
        in_use: frozenset[str],
    ) -> tuple[UnitState, list[str]]:
        rules = [rule for rule in self.knowledge_base.rules if rule.id in fired]  # pack order
        profile, notes, weights = build_profile(self.knowledge_base, rules, values, self.lang)
        scored: list[ScoredModel] = []
        if profile.status == "ok":
            scored = self.graph.score_models(unit_id, weights, in_use, self.lang)
        return UnitState(unit_id, parent, values, profile, scored, in_use, tuple(rules)), notes

    def _fired(
        self, organisation: Organisation, values: Mapping[str, Mapping[str, Any]]
    ) -> dict[str, set[str]]:
        """The scoring rules that fire for each unit, on the chosen backend."""
        fired: dict[str, set[str]] = {unit.id: set() for unit in organisation.units}
        if self.backend == "durable":
            facts = [self._pack.fact(unit.id, values[unit.id]) for unit in organisation.units]
            for rule_id, bound in self._engine.fire(facts):
                fired[organisation.units[bound["m"]].id].add(rule_id)
            return fired
        table = UnitTable(self.knowledge_base, [values[unit.id] for unit in organisation.units])
        matrix = self._scorer.fired(table)
        for row, unit in enumerate(organisation.units):
            fired[unit.id] = {self._scorer.rule_ids[i] for i in matrix[row].nonzero()[0]}
        return fired

    def _conflicts(
        self, organisation: Organisation, checked: CheckedOrganisation, states: list[UnitState]
    ) -> list[Conflict]:
        kb = self.knowledge_base
        if not kb.conflicts:
            return []
        facts = situation(kb, states, organisation.imposed_models, checked.views, checked.ratings)
        bounds = binding_bounds(kb.conflicts, facts)
        for rule in kb.conflicts:
            bound = bounds[rule.id]
            if bound > self.limits.max_conflict_bindings:
                raise LimitError(
                    [
                        Problem(
                            kb.where(rule.pack, rule.origin),
                            f"conflict rule '{rule.id}' could bind up to {bound:,} combinations of "
                            f"facts in '{organisation.organisation}' ({len(organisation.units):,} "
                            f"units); the limit is {self.limits.max_conflict_bindings:,}",
                            "assess the organisation in parts, join the rule on a narrower field, or "
                            "raise Limits.max_conflict_bindings",
                        )
                    ]
                )
        if self.backend == "durable":
            firings = self._conflict_engine.fire([engine_fact(f, kb.traits) for f in facts])
        else:
            firings = match_reference(kb.conflicts, facts, kb.settings)
        names = {unit.id: unit.title for unit in organisation.units}
        return summarise(kb, firings, facts, names, self.lang)

    def _unit_advice(
        self,
        state: UnitState,
        notes: list[str],
        name: str,
        checked: CheckedOrganisation,
        conflicts: list[Conflict],
    ) -> UnitAdvice:
        settings = self.knowledge_base.settings
        profile = state.profile
        recommendations: list[ModelAdvice] = []
        avoid: list[ModelAdvice] = []
        direction = []
        if profile.status == "ok":
            recommendations = [
                m.advice for m in state.scored if m.micro >= micro(settings.recommend_min)
            ]
            avoid = [
                m.advice
                for m in sorted(
                    (m for m in state.scored if m.micro <= -micro(settings.avoid_min)),
                    key=lambda m: (not m.advice.in_use, m.micro, m.advice.model),
                )
            ]
            assert profile.dominant is not None
            direction = self.graph.directions(profile.dominant, self.lang)
            for model in avoid:
                if model.in_use:
                    notes.append(
                        note("in_use_poor_fit", self.lang, model=model.name, score=model.score)
                    )
        answers = checked.ratings.get(state.id, [])
        self_assessment = None
        if answers:
            disputed = any(
                c.kind == "respondent_disagreement" and state.id in c.units for c in conflicts
            )
            self_assessment = SelfAssessment(
                respondents=len(answers), ratings=mode_ratings(answers), disputed=disputed
            )
        return UnitAdvice(
            id=state.id,
            name=name,
            parent=state.parent,
            profile=profile,
            recommendations=recommendations,
            avoid=avoid,
            evidence=evidence_for(list(state.rules), state.values, self.lang),
            direction=direction,
            notes=notes,
            perspectives={
                view: dict(weights) for view, weights in checked.views.get(state.id, {}).items()
            },
            self_assessment=self_assessment,
        )


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


Backend = Literal["auto", "durable", "python"]
_warned = False


def durable_available() -> bool:
    """Whether durable-rules imports here (it does not on Python 3.13)."""
    try:
        import durable.engine  # noqa: F401
    except ImportError:
        return False
    return True


def _choose(backend: Backend) -> Backend:
    global _warned
    if backend == "python":
        return "python"
    if durable_available():
        return "durable"
    if backend == "durable":
        raise EngineError(
            "durable-rules cannot be imported here (it does not support Python "
            f"{sys.version_info.major}.{sys.version_info.minor}); use "
            "backend='python'"
        )
    if not _warned:  # one warning per process, not per advisor
        _warned = True
        warnings.warn(
            "durable-rules cannot be imported here; modeadvisor uses its python "
            "backend, which gives the same advice",
            RuntimeWarning,
            stacklevel=3,
        )
    return "python"
