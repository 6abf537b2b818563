"""The Advisor: a knowledge base, its compiled rules on the engine, and the graph — one object.

An Advisor holds no global state: two advisors with different packs live side by side in one
process. It is safe to share between threads (the engine adapter serialises its sessions).

The rules run on a backend (`modeadvisor.backends`): `durable` (durable-rules) or `vectorised`
(numpy and hash joins); both give the same advice. `auto` (the default) takes durable-rules where
it can be imported and otherwise the vectorised backend, with a warning.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from modeadvisor.advice import Advice, Conflict, ModelAdvice, PackRef, SelfAssessment, UnitAdvice
from modeadvisor.backends import Backend, BackendChoice, choose
from modeadvisor.backends._matching import BindingLimitError
from modeadvisor.backends._vectorised import Scorer, VectorisedBackend
from modeadvisor.conflicts import UnitState, mode_ratings, situation, summarise
from modeadvisor.errors import LimitError, Location, Problem
from modeadvisor.graph import ModeGraph, model_scores
from modeadvisor.knowledge import KnowledgeBase, Lang, load_knowledge_base, shipped_rules_dir
from modeadvisor.knowledge._documents import Document
from modeadvisor.limits import DEFAULT_LIMITS, Limits
from modeadvisor.organisation import (
    CheckedOrganisation,
    Organisation,
    Unit,
    check_organisation,
    from_data,
    read_organisation,
)
from modeadvisor.profile import EvidenceWriter, profiles, unit_profile
from modeadvisor.reports.labels import note
from modeadvisor.tables import BatchResult, Table, assess_table, evaluate_table
from modeadvisor.whatif import WhatIf, what_if


class Advisor:
    """Assesses organisations against one knowledge base."""

    def __init__(
        self,
        knowledge_base: KnowledgeBase,
        *,
        lang: Lang = "en",
        limits: Limits = DEFAULT_LIMITS,
        backend: BackendChoice = "auto",
    ) -> None:
        self.knowledge_base = knowledge_base
        self.lang: Lang = lang
        self.limits = limits
        self.graph = ModeGraph(knowledge_base)
        self._evidence = EvidenceWriter(knowledge_base)
        #: Runs the rules of `assess`; tables and what-if are always vectorised.
        self.backend: Backend = choose(knowledge_base, backend)

    @cached_property
    def _scorer(self) -> Scorer:
        # the vectorised scorer, for tables and what-if whatever runs `assess`
        if isinstance(self.backend, VectorisedBackend):
            return self.backend.scorer
        return Scorer(self.knowledge_base)

    @classmethod
    def default(
        cls,
        *,
        lang: Lang = "en",
        limits: Limits = DEFAULT_LIMITS,
        backend: BackendChoice = "auto",
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
        backend: BackendChoice = "auto",
    ) -> Advisor:
        """An advisor on the packs in these folders, each layered on the ones before it."""
        return cls(
            load_knowledge_base(*paths, limits=limits), lang=lang, limits=limits, backend=backend
        )

    def assess_many(
        self, table: Table | Sequence[Mapping[str, Any]] | str | Path | Any, top: int = 3
    ) -> BatchResult:
        """Score a table of units at once (vectorised), one unit per row, read as columns in
        record batches.

        `table` is a file (CSV, or Parquet, Arrow, JSON Lines by its extension: columns `unit`,
        trait ids, optional `models_in_use` separated by `;`), a pyarrow Table, a pandas or
        polars DataFrame, rows as mappings, or a `Table`. Each unit is its own organisation;
        `advice_for(result, i)` gives its full Advice.
        """
        if not isinstance(table, Table):
            return assess_table(
                self.knowledge_base, table, limits=self.limits, top=top, scorer=self._scorer
            )
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
        with _no_cycle_collection():
            return self._assess(organisation)

    def _assess(self, organisation: Organisation | Mapping[str, Any] | str | Path) -> Advice:
        document: Document | None = None
        if isinstance(organisation, str | Path):
            organisation, document = read_organisation(organisation, self.limits)
        elif not isinstance(organisation, Organisation):
            organisation = from_data(organisation)
        checked = check_organisation(self.knowledge_base, organisation, document, self.limits)
        kb = self.knowledge_base
        states = self._unit_states(organisation, checked.values)
        conflicts = self._conflicts(organisation, checked, [state for state, _ in states])
        disputed = {u for c in conflicts if c.kind == "respondent_disagreement" for u in c.units}
        advice = {
            unit.id: self._unit_advice(state, notes, unit.title, checked, disputed)
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

    def _unit_states(
        self, organisation: Organisation, values: Mapping[str, Mapping[str, Any]]
    ) -> list[tuple[UnitState, list[str]]]:
        """Every unit scored at once on the chosen backend: its profile, models and notes."""
        kb = self.knowledge_base
        unit_values = [values[unit.id] for unit in organisation.units]
        fired = self.backend.fired(unit_values)
        found = profiles(kb, fired, np.array([len(v) for v in unit_values], dtype=np.int64))
        in_use = [frozenset(unit.models_in_use) for unit in organisation.units]
        scored = self.graph.score_models(found, model_scores(kb, found), in_use)
        rows, columns = np.nonzero(fired)  # row by row, rules in pack order
        bounds = np.searchsorted(rows, np.arange(len(unit_values) + 1)).tolist()
        rules = columns.tolist()
        states = []
        for row, unit in enumerate(organisation.units):
            profile, notes = unit_profile(kb, found, row, self.lang)
            state = UnitState(
                unit.id,
                unit.parent,
                unit_values[row],
                profile,
                scored[row],
                in_use[row],
                tuple(rules[bounds[row] : bounds[row + 1]]),
            )
            states.append((state, notes))
        return states

    def _conflicts(
        self, organisation: Organisation, checked: CheckedOrganisation, states: list[UnitState]
    ) -> list[Conflict]:
        kb = self.knowledge_base
        if not kb.conflicts:
            return []
        facts = situation(kb, states, organisation.imposed_models, checked.views, checked.ratings)
        limit = self.limits.max_conflict_bindings
        try:
            firings = self.backend.match(facts, limit=limit)
        except BindingLimitError as error:
            rule = next(rule for rule in kb.conflicts if rule.id == error.rule.id)
            raise LimitError(
                [
                    Problem(
                        kb.where(rule.pack, rule.origin),
                        f"conflict rule '{rule.id}' binds more than {limit:,} combinations of "
                        f"facts in '{organisation.organisation}' ({len(organisation.units):,} "
                        f"units); the limit is {limit:,}",
                        "assess the organisation in parts, join the rule on a narrower field, or "
                        "raise Limits.max_conflict_bindings (on the command line: "
                        "--limit max_conflict_bindings=N)",
                    )
                ]
            ) from None
        names = {unit.id: unit.title for unit in organisation.units}
        order = {unit_id: i for i, unit_id in enumerate(tree_order(organisation))}
        return summarise(kb, firings, facts, names, self.lang, unit_order=order)

    def _unit_advice(
        self,
        state: UnitState,
        notes: list[str],
        name: str,
        checked: CheckedOrganisation,
        disputed: set[str],  # units whose respondents disagree (one pass over the conflicts)
    ) -> UnitAdvice:
        profile = state.profile
        recommendations: list[ModelAdvice] = []
        avoid: list[ModelAdvice] = []
        direction = []
        if profile.status == "ok":
            recommendations = [
                self.graph.advice(state.id, m, self.lang) for m in state.scored if m.recommended
            ]
            avoid = [
                self.graph.advice(state.id, m, self.lang)
                for m in sorted(
                    (m for m in state.scored if m.avoided),
                    key=lambda m: (not m.in_use, m.micro, m.model),
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
            self_assessment = SelfAssessment(
                respondents=len(answers),
                ratings=mode_ratings(answers),
                disputed=state.id in disputed,
            )
        return UnitAdvice.model_construct(
            UnitAdvice.every_field,
            id=state.id,
            name=name,
            parent=state.parent,
            profile=profile,
            recommendations=recommendations,
            avoid=avoid,
            evidence=self._evidence.evidence(state.rules, state.values, self.lang),
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


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while an assessment builds its objects.

    An assessment allocates hundreds of thousands of objects that live until it returns and form
    no cycles; the collector would walk them again and again (measured: half the time of a
    5,000-unit organisation). It is switched back on by the call that switched it off, so
    concurrent assessments and a caller who keeps it off are left as they were.

    Switched back on, its first pass would walk every object the assessment made, all young
    (measured: 1 s of 9 for 20,000 units). Where nothing is frozen (`gc.freeze`, which servers
    use before forking), they are moved to the oldest generation instead, as a pass would move
    them once they survive it: freezing and unfreezing everything leaves nothing frozen, and
    garbage cycles among the young objects are found by the next full pass.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
