"""Why-not: why a model is not recommended for a unit, or a mode not its dominant one.

The answer reads the same rules the assessment ran. For a mode: every scoring rule that gives
it weight, each condition split into the tests that held and those that failed (the value the
unit has beside the one the rule requires; a trait the unit did not observe is named as such),
and the modes that outweigh it. For a model: the links that would support it (`suits`) and those
that push it down (`poor_fit`), each with the unit's weight of its mode, the rules that give
weight to the modes that suit it, and what outweighs it. Both end with the smallest repair of the
unit's levers that would change the answer (what-if's search, `modeadvisor.whatif`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from modeadvisor import conditions as cond
from modeadvisor._i18n import Message
from modeadvisor.conflicts import UnitState
from modeadvisor.errors import Location, OrganisationError, Problem, did_you_mean
from modeadvisor.graph import recommended
from modeadvisor.knowledge import KnowledgeBase, Lang
from modeadvisor.reports.labels import decimal, label
from modeadvisor.scoring import MICRO
from modeadvisor.whatif import WhatIf
from modeadvisor.whatif._result import Plain

State = Literal["held", "failed", "not_observed"]


class RulePart(BaseModel):
    """One test of a rule's condition, and how it came out for the unit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    test: str  # as written in the rule language: `project_work_share >= 50`
    trait: str
    actual: Plain  # the unit's value; None when it did not observe the trait
    state: State


class RuleCheck(BaseModel):
    """A scoring rule that gives weight to a mode the subject needs, split into its parts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    fired: bool
    weights: dict[str, float]  # the weight it gives each mode asked about
    #: one list of parts per alternative (`or` branch) of its condition
    alternatives: list[list[RulePart]]
    source: list[str]


class LinkCheck(BaseModel):
    """A link from a mode to the model, weighed by the unit's share of that mode."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    archetype: str
    relation: Literal["suits", "poor_fit"]
    strength: float
    archetype_weight: float
    contribution: float
    source: list[str]


class ModeWeight(BaseModel):
    """A mode with more weight than the one asked about."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    archetype: str
    weight: float


class WhyNot(BaseModel):
    """Why a model is not recommended for a unit (or a mode is not its dominant one)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: str
    subject: str
    subject_kind: Literal["model", "mode"]
    #: it is recommended (dominant) after all: the answer says so and explains why
    holds: bool
    #: the unit has too little evidence for a mode: nothing is recommended or dominant
    insufficient: bool
    #: a model's score, or a mode's weight
    score: float
    #: what it needs: the pack's recommend_min, or the dominant mode's weight
    needed: float
    links: list[LinkCheck]
    rules: list[RuleCheck]
    rivals: list[ModeWeight]
    repair: WhatIf | None
    language: Lang = "en"
    names: dict[str, str] = {}
    unit_name: str = ""  # the unit's name in the organisation file, when it has one

    def to_text(self) -> str:
        """The answer as a manager reads it."""
        lang, name = self.language, self._name
        what = name(self.subject)
        head = f"whynot.{self.subject_kind}.{'holds' if self.holds else 'not'}"
        unit = self.unit_name or self.unit
        lines = [label(head, lang, unit=unit, what=what, score=self.score, needed=self.needed)]
        if self.insufficient:
            lines.append("  " + label("whynot.insufficient", lang))
        if self.links:
            lines.append("  " + label("whynot.links", lang))
            lines += [f"    {_link_text(link, lang, name)}" for link in self.links]
        if self.rivals:
            rivals = ", ".join(
                f"{name(r.archetype)} {decimal(r.weight, lang, '.2f')}" for r in self.rivals
            )
            lines.append("  " + label("whynot.rivals", lang, modes=rivals))
        if self.rules:
            lines.append("  " + label("whynot.rules", lang))
            for check in self.rules:
                lines += _rule_text(check, lang, name)
        if self.repair is not None and not self.holds:
            lines += ["  " + line for line in self.repair.to_text().splitlines()]
        return "\n".join(lines) + "\n"

    def _name(self, key: str) -> str:
        return self.names.get(key, key)


def _link_text(link: LinkCheck, lang: Lang, name: Callable[[str], str]) -> str:
    return label(
        "whynot.link",
        lang,
        mode=name(link.archetype),
        relation=label(f"relation.{link.relation}", lang),
        weight=link.archetype_weight,
        strength=link.strength,
        contribution=link.contribution,
    )


def _rule_text(check: RuleCheck, lang: Lang, name: Callable[[str], str]) -> list[str]:
    state = label("whynot.fired" if check.fired else "whynot.not_fired", lang)
    weights = ", ".join(f"{name(m)} +{decimal(w, lang)}" for m, w in check.weights.items())
    lines = [f"    {check.rule} ({state}; {weights}; {', '.join(check.source)})"]
    several = len(check.alternatives) > 1
    for number, parts in enumerate(check.alternatives, 1):
        prefix = f"      {label('whynot.branch', lang, n=number)}: " if several else "      "
        lines.append(prefix + "; ".join(_part_text(p, lang) for p in parts))
    return lines


def _part_text(part: RulePart, lang: Lang) -> str:
    if part.state == "not_observed":
        return label("whynot.part_unobserved", lang, test=part.test)
    actual = _value(part.actual, lang)
    return label(f"whynot.part_{part.state}", lang, test=part.test, actual=actual)


def _value(value: Plain, lang: Lang) -> str:
    if isinstance(value, bool):
        return label("yes" if value else "whatif.no", lang)
    if isinstance(value, list):
        return "{" + ", ".join(value) + "}"
    return str(value)


def why_not(
    kb: KnowledgeBase,
    state: UnitState,
    subject: str,
    repair: Callable[[str | None, str | None], WhatIf],
    lang: Lang,
    names: dict[str, str],
) -> WhyNot:
    """Why `subject` (a model or an archetype id) is not recommended (dominant) for the unit in
    `state`; `repair(target, model)` runs what-if towards the mode or the model."""
    if subject in kb.models:
        return _model(kb, state, subject, repair, lang, names)
    if subject in kb.archetypes:
        return _mode(kb, state, subject, repair, lang, names)
    raise OrganisationError(
        [
            Problem(
                Location("<why-not>"),
                Message("'{subject}' is neither a model nor a mode of the pack", subject=subject),
                did_you_mean(subject, [*kb.models, *kb.archetypes]),
            )
        ]
    )


def _mode(
    kb: KnowledgeBase,
    state: UnitState,
    mode: str,
    repair: Callable[[str | None, str | None], WhatIf],
    lang: Lang,
    names: dict[str, str],
) -> WhyNot:
    profile = state.profile
    weights = profile.weights
    holds = profile.dominant == mode
    rivals = sorted(
        (
            ModeWeight(archetype=a, weight=round(w, 4))
            for a, w in weights.items()
            if w > weights[mode]
        ),
        key=lambda r: (-r.weight, r.archetype),
    )
    return WhyNot(
        unit=state.id,
        subject=mode,
        subject_kind="mode",
        holds=holds,
        insufficient=profile.status != "ok",
        score=round(weights.get(mode, 0.0), 4),
        needed=round(max(weights.values(), default=0.0), 4),
        links=[],
        rules=_rules(kb, state, [mode]),
        rivals=rivals,
        repair=None if holds else repair(mode, None),
        language=lang,
        names=names,
    )


def _model(
    kb: KnowledgeBase,
    state: UnitState,
    model: str,
    repair: Callable[[str | None, str | None], WhatIf],
    lang: Lang,
    names: dict[str, str],
) -> WhyNot:
    weights = state.profile.weights
    scored = {m.model: m.micro for m in state.scored}
    score = scored.get(model, 0)
    holds = bool(recommended(score, kb.settings)) and state.profile.status == "ok"
    links = []
    for link in kb.links:
        if link.target != model or link.relation == "evolves_to":
            continue
        weight = weights.get(link.source_node, 0.0) if state.profile.status == "ok" else 0.0
        sign = 1.0 if link.relation == "suits" else -1.0
        links.append(
            LinkCheck(
                archetype=link.source_node,
                relation="suits" if link.relation == "suits" else "poor_fit",
                strength=link.strength,
                archetype_weight=round(weight, 4),
                contribution=round(sign * weight * link.strength, 4),
                source=list(link.source),
            )
        )
    links.sort(key=lambda c: (-abs(c.contribution), c.archetype))
    suits = [c.archetype for c in links if c.relation == "suits"]
    rivals = sorted(
        (
            ModeWeight(archetype=a, weight=round(w, 4))
            for a, w in weights.items()
            if a not in suits and suits and w > max(weights.get(s, 0.0) for s in suits)
        ),
        key=lambda r: (-r.weight, r.archetype),
    )
    return WhyNot(
        unit=state.id,
        subject=model,
        subject_kind="model",
        holds=holds,
        insufficient=state.profile.status != "ok",
        score=round(score / MICRO, 4),
        needed=kb.settings.recommend_min,
        links=links,
        rules=_rules(kb, state, suits),
        rivals=rivals,
        repair=None if holds else repair(None, model),
        language=lang,
        names=names,
    )


def _rules(kb: KnowledgeBase, state: UnitState, modes: list[str]) -> list[RuleCheck]:
    """The scoring rules that weigh these modes: those that did not fire first."""
    order = list(kb.archetypes)
    fired = {kb.rules[index].id for index in state.rules}
    checks = []
    for rule, compiled in zip(kb.rules, kb.compiled.rules, strict=True):
        weights = {m: compiled.weights[order.index(m)] / MICRO for m in modes}
        weights = {m: w for m, w in weights.items() if w > 0}
        if not weights:
            continue
        checks.append(
            RuleCheck(
                rule=rule.id,
                fired=rule.id in fired,
                weights=weights,
                alternatives=[
                    [_part(test.leaf, state) for test in conjunction]
                    for conjunction in compiled.alternatives
                ],
                source=list(rule.spec.source),
            )
        )
    return sorted(checks, key=lambda c: (c.fired, -max(c.weights.values()), c.rule))


def _part(leaf: cond.Leaf, state: UnitState) -> RulePart:
    values = state.values
    actual = values.get(leaf.trait)
    if actual is None:
        return RulePart(test=cond.render(leaf), trait=leaf.trait, actual=None, state="not_observed")
    held = cond.evaluate(leaf, values)
    shown = sorted(actual) if isinstance(actual, frozenset) else actual
    return RulePart(
        test=cond.render(leaf),
        trait=leaf.trait,
        actual=shown,
        state="held" if held else "failed",
    )
