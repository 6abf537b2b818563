"""What a what-if answers: up to three repairs, each with what it changes and what it does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from modeadvisor.knowledge import KnowledgeBase, Lang, TraitKind
from modeadvisor.reports.labels import LABELS, label

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

    @property
    def changes(self) -> list[Change]:
        """The changes of the best repair (none when there is none)."""
        return self.repairs[0].changes if self.repairs else []

    def to_text(self) -> str:
        """The answer as a manager reads it, in the language of the advisor."""
        lang, name = self.language, self._name
        kind, _, what = self.goal.partition(": ")
        what = _finding_kind(what, lang) if kind == "clear" else name(what)
        unit = self.unit_name or self.unit
        if self.already:
            return label(f"whatif.already.{kind}", lang, unit=unit, what=what) + "\n"
        if not self.found:
            lines = [
                label(f"whatif.none.{kind}", lang, unit=unit, what=what, n=self.candidates_tried)
            ]
            if self.held:
                lines.append("  " + label("whatif.held", lang, traits=", ".join(self.held)))
            return "\n".join(lines) + "\n"
        lines = [label(f"whatif.head.{kind}", lang, unit=unit, what=what)]
        for number, repair in enumerate(self.repairs, 1):
            first, *rest = [_change_text(c, lang, name) for c in repair.changes]
            lines.append(f"  {number}. {first}")
            lines += [f"     {text}" for text in rest]
            lines += [f"     {text}" for text in _effects(repair, lang, name)]
        if self.allowed:
            lines.append("  " + label("whatif.allowed", lang, traits=", ".join(self.allowed)))
        return "\n".join(lines) + "\n"

    def _name(self, key: str) -> str:
        return self.names.get(key, key)


def _finding_kind(what: str, lang: Lang) -> str:
    """A kind to clear as a reader reads it (a finding or rule id stays as it is)."""
    key = f"finding.{what}"
    return label(key, lang) if key in LABELS else what


def _effects(repair: Repair, lang: Lang, name: Callable[[str], str]) -> list[str]:
    before, after = repair.dominant_before, repair.dominant_after
    lines = [label("whatif.mode_same", lang, mode=name(after or "-"))]
    if before != after:
        lines = [
            label("whatif.mode_moves", lang, before=name(before or "-"), after=name(after or "-"))
        ]
    for key, items in (
        ("whatif.start", repair.rules_start),
        ("whatif.stop", repair.rules_stop),
        ("whatif.cleared", repair.cleared),
        ("whatif.created", repair.created),
    ):
        if items:
            lines.append(label(key, lang, items=", ".join(items)))
    return lines


def _change_text(change: Change, lang: Lang, name: Callable[[str], str]) -> str:
    subject = name(change.subject)
    match change.action:
        case "trait":
            key = "whatif.trait" if change.trait_kind == "lever" else "whatif.trait_allowed"
            return label(
                key,
                lang,
                trait=subject,
                before=_value(change.before, lang),
                after=_value(change.after, lang),
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


def _value(value: Plain, lang: Lang) -> str:
    if value is None:
        return label("whatif.not_observed", lang)
    if isinstance(value, bool):
        return label("yes" if value else "whatif.no", lang)
    if isinstance(value, list):
        return "{" + ", ".join(value) + "}"
    return str(value)


def names(kb: KnowledgeBase, lang: Lang) -> dict[str, str]:
    """Archetypes, models and traits by id as a reader knows them, in `lang`."""
    found = {a.id: a.name.get(lang) for a in kb.archetypes.values()}
    found |= {m.id: m.name.get(lang) for m in kb.models.values()}
    found |= {t.id: t.label.get(lang) for t in kb.traits.values()}
    return found
