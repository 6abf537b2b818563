"""What a what-if answers: up to three repairs, each with what it changes and what it does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from modeadvisor.knowledge import KnowledgeBase, Lang, TraitKind
from modeadvisor.reports.labels import decimal, label

Plain = bool | int | float | str | list[str] | None


class Change(BaseModel):
    """One change of a repair.

    `action`: `replace` (the model `subject` in use by the model `after`), `drop` or `add` a
    model in use, `exempt` the unit from the imposed model `subject`, `trait` (the trait
    `subject` from `before` to `after`; `trait_kind` says whether it is a lever or a trait the
    caller allowed), `view` (the stated view `subject` would have to lead with `after`, what
    the traits show, instead of `before`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    action: Literal["replace", "exempt", "drop", "add", "trait", "view"]
    subject: str
    before: Plain = None
    after: Plain = None
    trait_kind: TraitKind | None = None


class FindingRef(BaseModel):
    """What a finding a repair clears or creates is: its kind and what its id names after the
    topic (models, archetypes or units, as the rule's `about` says)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    about: list[str]


class Repair(BaseModel):
    """A set of changes that reaches the goal, and what else it does."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    changes: list[Change]
    dominant_before: str | None
    dominant_after: str | None
    weights_after: dict[str, float]
    rules_start: list[str]
    rules_stop: list[str]
    #: findings the unit takes part in before and not after
    cleared: list[str]
    #: findings that start with the repair, or that start to name the unit
    created: list[str]


class WhatIf(BaseModel):
    """The repairs of one unit towards a goal, best first: model changes before practices,
    then fewer changes, then smaller moves; no two repairs share a change."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: str
    goal: str  # "dominant: MODE", "recommended: MODEL" or "clear: KIND | FINDING | RULE"
    found: bool
    already: bool  # the goal holds as the unit is: nothing to change
    repairs: list[Repair]
    dominant_before: str | None
    #: traits that are not levers, changed only because the caller allowed them
    allowed: list[str]
    #: traits the goal's rules read that were held as they are (circumstances and signals)
    held: list[str]
    candidates_tried: int
    language: Lang = "en"
    names: dict[str, str] = {}  # ids of models, traits and archetypes as a reader knows them
    unit_name: str = ""  # the unit's name in the organisation file, when it has one
    #: the kinds of finding the pack names, by id
    kinds: dict[str, str] = {}
    #: the findings the repairs clear or create, by id: what a reader is told they are
    findings: dict[str, FindingRef] = {}
    #: the units of the organisation by id, with the names the file gives them
    unit_names: dict[str, str] = {}
    #: category and set values of the changed traits as a reader knows them, by trait
    value_names: dict[str, dict[str, str]] = {}

    @property
    def changes(self) -> list[Change]:
        """The changes of the best repair (none when there is none)."""
        return self.repairs[0].changes if self.repairs else []

    def to_text(self) -> str:
        """The answer as a manager reads it, in the language of the advisor."""
        lang, name = self.language, self._name
        kind, _, what = self.goal.partition(": ")
        what = self.kinds.get(what, what) if kind == "clear" else name(what)
        unit = self.unit_name or self.unit
        if self.already:
            return label(f"whatif.already.{kind}", lang, unit=unit, what=what) + "\n"
        if not self.found:
            lines = [
                label(f"whatif.none.{kind}", lang, unit=unit, what=what, n=self.candidates_tried)
            ]
            if self.held:
                # the id in brackets too: it is what --allow takes
                held = ", ".join(f"{name(t)} [{t}]" for t in self.held)
                lines.append("  " + label("whatif.held", lang, traits=held))
            return "\n".join(lines) + "\n"
        lines = [label(f"whatif.head.{kind}", lang, unit=unit, what=what)]
        for number, repair in enumerate(self.repairs, 1):
            first, *rest = [self._change_text(c) for c in repair.changes]
            lines.append(f"  {number}. {first}")
            lines += [f"     {text}" for text in rest]
            lines += [f"     {text}" for text in self._effects(repair)]
        if self.allowed:
            allowed = ", ".join(name(t) for t in self.allowed)
            lines.append("  " + label("whatif.allowed", lang, traits=allowed))
        return "\n".join(lines) + "\n"

    def _name(self, key: str) -> str:
        return self.names.get(key, key)

    def _finding(self, finding_id: str) -> str:
        """A finding as a reader reads it: its kind, then the models or units it is about."""
        ref = self.findings.get(finding_id)
        if ref is None:
            return finding_id
        kind = self.kinds.get(ref.kind, ref.kind)
        about = [self.unit_names.get(part) or self._name(part) for part in ref.about]
        return f"{kind} ({', '.join(about)})" if about else kind

    def _effects(self, repair: Repair) -> list[str]:
        lang, name = self.language, self._name
        before, after = repair.dominant_before, repair.dominant_after
        lines = [label("whatif.mode_same", lang, mode=name(after or "-"))]
        if before != after:
            lines = [
                label(
                    "whatif.mode_moves", lang, before=name(before or "-"), after=name(after or "-")
                )
            ]
        for key, items in (
            ("whatif.start", repair.rules_start),
            ("whatif.stop", repair.rules_stop),
        ):
            if items:
                lines.append(label(key, lang, items=", ".join(items)))
        for key, findings in (
            ("whatif.cleared", repair.cleared),
            ("whatif.created", repair.created),
        ):
            if findings:
                lines.append(label(key, lang, items="; ".join(map(self._finding, findings))))
        return lines

    def _change_text(self, change: Change) -> str:
        lang, name = self.language, self._name
        subject = name(change.subject)
        match change.action:
            case "trait":
                key = "whatif.trait" if change.trait_kind == "lever" else "whatif.trait_allowed"
                shown = self.value_names.get(change.subject, {})
                return label(
                    key,
                    lang,
                    trait=subject,
                    before=_value(change.before, lang, shown),
                    after=_value(change.after, lang, shown),
                    kind=label(f"trait_kind.{change.trait_kind or 'none'}", lang),
                )
            case "replace":
                return label("whatif.replace", lang, model=subject, other=name(str(change.after)))
            case "view":
                return label(
                    "whatif.view",
                    lang,
                    view=label(f"view.{change.subject}", lang),
                    before=name(str(change.before)),
                    after=name(str(change.after)),
                )
        return label(f"whatif.{change.action}", lang, model=subject)


def _value(value: Plain, lang: Lang, shown: Mapping[str, str]) -> str:
    """A trait's value as a reader reads it: a category or set value by its label."""
    if value is None:
        return label("whatif.not_observed", lang)
    if isinstance(value, bool):
        return label("yes" if value else "whatif.no", lang)
    if isinstance(value, list):
        return "{" + ", ".join(shown.get(v, v) for v in value) + "}"
    if isinstance(value, float):
        return decimal(value, lang)
    return shown.get(value, value) if isinstance(value, str) else str(value)


def names(kb: KnowledgeBase, lang: Lang) -> dict[str, str]:
    """Archetypes, models and traits by id as a reader knows them, in `lang`."""
    found = {a.id: a.name.get(lang) for a in kb.archetypes.values()}
    found |= {m.id: m.name.get(lang) for m in kb.models.values()}
    found |= {t.id: t.label.get(lang) for t in kb.traits.values()}
    return found


def value_names(
    kb: KnowledgeBase, repairs: Sequence[Repair], lang: Lang
) -> dict[str, dict[str, str]]:
    """The labels of the category and set values of the traits the repairs change, in `lang`."""
    changed = {c.subject for r in repairs for c in r.changes if c.action == "trait"}
    return {
        trait: {value: kb.traits[trait].value_label(value, lang) for value in values}
        for trait in sorted(changed)
        if trait in kb.traits
        and kb.traits[trait].type in ("category", "set")
        and (values := kb.traits[trait].values)
    }
