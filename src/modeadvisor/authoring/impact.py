"""Rule impact analysis: what an edit to a pack does to the advice, before it ships.

A population — given organisation files, or organisations generated reproducibly from the
catalogue — is assessed with the old and the new pack; every unit whose dominant mode,
evidence status or recommendations change, and every conflict that appears or disappears, is
counted, with examples. A change of status says why: the rules fired and traits observed
against what each pack's `min_evidence` and `min_observed` ask for, and the rules that started
or stopped firing.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict

from modeadvisor.advice import Advice, UnitAdvice
from modeadvisor.advisor import Advisor
from modeadvisor.knowledge import KnowledgeBase, Settings, Trait

#: Units per generated organisation: a parent and children, so conflict rules have pairs.
UNITS_PER_ORGANISATION = 4
EXAMPLES = 5


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ModeChange(_Out):
    organisation: str
    unit: str
    old: str | None
    new: str | None


class StatusChange(_Out):
    """A unit whose evidence became sufficient to name a mode, or stopped being so, and why."""

    organisation: str
    unit: str
    old: str  # ok or insufficient_evidence
    new: str
    why: str


class RecommendationChange(_Out):
    organisation: str
    unit: str
    added: list[str]
    removed: list[str]


class ConflictChange(_Out):
    organisation: str
    kind: str
    units: list[str]
    rule: str
    change: str  # appeared or disappeared


class Impact(_Out):
    """How many units and conflicts an edit changes, with a few examples of each."""

    old_pack: str
    new_pack: str
    organisations: int
    units: int
    dominant_changed: int
    status_changed: int
    recommendations_changed: int
    conflicts_appeared: int
    conflicts_disappeared: int
    examples_dominant: list[ModeChange]
    examples_status: list[StatusChange]
    examples_recommendations: list[RecommendationChange]
    examples_conflicts: list[ConflictChange]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"


def sample_population(
    old: KnowledgeBase, new: KnowledgeBase, size: int, seed: int
) -> list[dict[str, Any]]:
    """`size` units in organisations, with values for traits both catalogues know alike."""
    rng = random.Random(seed)
    shared = sorted(t for t in old.traits if new.traits.get(t) == old.traits[t])
    models = sorted(set(old.models) & set(new.models))
    organisations = []
    for start in range(0, size, UNITS_PER_ORGANISATION):
        count = min(UNITS_PER_ORGANISATION, size - start)
        units = []
        for index in range(count):
            chosen = rng.sample(shared, min(len(shared), rng.randint(8, 20)))
            unit: dict[str, Any] = {
                "id": f"u{start + index}",
                "traits": {t: _value(old.traits[t], rng) for t in chosen},
                "models_in_use": rng.sample(models, min(len(models), 2)),
            }
            if index:
                unit["parent"] = f"u{start}"
            units.append(unit)
        organisations.append(
            {"organisation": f"sample-{start // UNITS_PER_ORGANISATION}", "units": units}
        )
    return organisations


def _value(trait: Trait, rng: random.Random) -> Any:
    match trait.type:
        case "scale":
            return rng.randint(1, 5)
        case "bool":
            return rng.random() < 0.5
        case "number":
            low = trait.min if trait.min is not None else 0.0
            high = trait.max if trait.max is not None else low + 100.0
            return round(rng.uniform(low, high), 2)
        case "category":
            return rng.choice(trait.values or ("",))
    values = list(trait.values or ())
    return rng.sample(values, rng.randint(0, len(values)))


def compare(
    old: Advisor,
    new: Advisor,
    population: Iterable[Any],
    progress: Callable[[int], None] | None = None,
) -> Impact:
    """Assess every organisation with both advisors and count what changed.

    `progress`, when given, is called with the number of units assessed so far.
    """
    mode: list[ModeChange] = []
    status: list[StatusChange] = []
    settings = (old.knowledge_base.settings, new.knowledge_base.settings)
    recs: list[RecommendationChange] = []
    conflicts: list[ConflictChange] = []
    organisations = units = 0
    for organisation in population:
        before, after = old.assess(organisation), new.assess(organisation)
        organisations += 1
        units += len(before.units)
        mode.extend(_mode_changes(before, after))
        status.extend(_status_changes(before, after, *settings))
        recs.extend(_recommendation_changes(before, after))
        conflicts.extend(_conflict_changes(before, after))
        if progress is not None:
            progress(units)
    appeared = [c for c in conflicts if c.change == "appeared"]
    return Impact(
        old_pack="+".join(old.knowledge_base.layers),
        new_pack="+".join(new.knowledge_base.layers),
        organisations=organisations,
        units=units,
        dominant_changed=len(mode),
        status_changed=len(status),
        recommendations_changed=len(recs),
        conflicts_appeared=len(appeared),
        conflicts_disappeared=len(conflicts) - len(appeared),
        examples_dominant=mode[:EXAMPLES],
        examples_status=status[:EXAMPLES],
        examples_recommendations=recs[:EXAMPLES],
        examples_conflicts=(
            appeared[:EXAMPLES] + [c for c in conflicts if c.change != "appeared"][:EXAMPLES]
        ),
    )


def _mode_changes(before: Advice, after: Advice) -> Iterable[ModeChange]:
    for unit in before.units:
        old, new = unit.profile.dominant, after.unit(unit.id).profile.dominant
        if old != new:
            yield ModeChange(organisation=before.organisation, unit=unit.id, old=old, new=new)


def _status_changes(
    before: Advice, after: Advice, old: Settings, new: Settings
) -> Iterable[StatusChange]:
    for unit in before.units:
        now = after.unit(unit.id)
        if unit.profile.status != now.profile.status:
            yield StatusChange(
                organisation=before.organisation,
                unit=unit.id,
                old=unit.profile.status,
                new=now.profile.status,
                why=_why(unit, now, old, new),
            )


def _why(before: UnitAdvice, after: UnitAdvice, old: Settings, new: Settings) -> str:
    """The evidence figures of both assessments against what each pack asks for."""

    def figure(name: str, was: int, now: int, needed_was: int, needed_now: int) -> str:
        counts = f"{was}" if was == now else f"{was} -> {now}"
        needed = f"{needed_was}" if needed_was == needed_now else f"{needed_was} -> {needed_now}"
        return f"{name} {counts} (at least {needed} needed)"

    was, now = before.profile.coverage, after.profile.coverage
    parts = [
        figure("rules fired", was.fired_rules, now.fired_rules, old.min_evidence, new.min_evidence),
        figure(
            "traits observed",
            was.observed_traits,
            now.observed_traits,
            old.min_observed,
            new.min_observed,
        ),
    ]
    fired_before = {e.rule for e in before.evidence}
    fired_after = {e.rule for e in after.evidence}
    if fired_after - fired_before:
        parts.append("now firing: " + ", ".join(sorted(fired_after - fired_before)))
    if fired_before - fired_after:
        parts.append("no longer firing: " + ", ".join(sorted(fired_before - fired_after)))
    return "; ".join(parts)


def _recommendation_changes(before: Advice, after: Advice) -> Iterable[RecommendationChange]:
    for unit in before.units:
        old = {m.model for m in unit.recommendations}
        new = {m.model for m in after.unit(unit.id).recommendations}
        if old != new:
            yield RecommendationChange(
                organisation=before.organisation,
                unit=unit.id,
                added=sorted(new - old),
                removed=sorted(old - new),
            )


def _conflict_changes(before: Advice, after: Advice) -> Iterable[ConflictChange]:
    def keys(advice: Advice) -> dict[tuple[str, tuple[str, ...], str], None]:
        return {(c.kind, tuple(c.units), c.rule): None for c in advice.conflicts}

    old, new = keys(before), keys(after)
    for change, found, other in (("appeared", new, old), ("disappeared", old, new)):
        for kind, units, rule in found:
            if (kind, units, rule) not in other:
                yield ConflictChange(
                    organisation=before.organisation,
                    kind=kind,
                    units=list(units),
                    rule=rule,
                    change=change,
                )


def to_text(impact: Impact) -> str:
    """A summary a consultant reads before shipping an edit."""
    lines = [
        f"Impact of {impact.new_pack} against {impact.old_pack} on "
        f"{impact.units} units in {impact.organisations} organisations:",
        f"  dominant mode changed:   {impact.dominant_changed}",
        f"  evidence status changed: {impact.status_changed}",
        f"  recommendations changed: {impact.recommendations_changed}",
        f"  conflicts appeared:      {impact.conflicts_appeared}",
        f"  conflicts disappeared:   {impact.conflicts_disappeared}",
    ]
    if impact.examples_dominant:
        lines.append("Examples, dominant mode:")
        lines += [
            f"  {e.organisation}/{e.unit}: {e.old or '-'} -> {e.new or '-'}"
            for e in impact.examples_dominant
        ]
    if impact.examples_status:
        lines.append("Examples, evidence status:")
        lines += [
            f"  {e.organisation}/{e.unit}: {e.old} -> {e.new}: {e.why}"
            for e in impact.examples_status
        ]
    if impact.examples_recommendations:
        lines.append("Examples, recommendations:")
        lines += [
            f"  {e.organisation}/{e.unit}: added {', '.join(e.added) or 'none'}; "
            f"removed {', '.join(e.removed) or 'none'}"
            for e in impact.examples_recommendations
        ]
    if impact.examples_conflicts:
        lines.append("Examples, conflicts:")
        lines += [
            f"  {e.organisation}: {e.change} {e.kind} ({', '.join(e.units)}; {e.rule})"
            for e in impact.examples_conflicts
        ]
    return "\n".join(lines) + "\n"
