"""An organisation's history as text, in English or Finnish: names, never ids, for people.

Every fixed word comes from the one label table (`reports/labels.py`, keys `history.`); numbers
and dates in the reader's convention (a decimal comma and `d.m.yyyy klo h.mm` in Finnish).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from modeadvisor.history._models import Assessment, AssessmentChange, FindingChange, History
from modeadvisor.knowledge import KnowledgeBase, Lang
from modeadvisor.reports._common import cap, count, moment, number, signed
from modeadvisor.reports.labels import label


@dataclass(frozen=True, slots=True)
class Names:
    """Names of modes, models and units in the reader's language: from the pack where it knows
    the id, else as the saved assessment named it, else the id itself."""

    lang: Lang
    modes: Mapping[str, str] = field(default_factory=dict)
    models: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)
    kinds: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, history: History, knowledge_base: KnowledgeBase | None, lang: Lang) -> Names:
        modes: dict[str, str] = {}
        kinds: dict[str, str] = {}
        units = dict(history.units)
        for assessment in history.assessments:  # the latest name wins
            modes.update(assessment.archetypes)
            kinds.update(assessment.kinds)
        models: dict[str, str] = {}
        if knowledge_base is not None:
            modes.update({a: m.name.get(lang) for a, m in knowledge_base.archetypes.items()})
            models.update({m: model.name.get(lang) for m, model in knowledge_base.models.items()})
            kinds.update({k: kind.name.get(lang) for k, kind in knowledge_base.kinds.items()})
        return cls(lang, modes, models, units, kinds)

    def mode(self, archetype: str | None) -> str:
        if archetype is None:
            return label("no_mode", self.lang)
        return self.modes.get(archetype, archetype)

    def any(self, name: str) -> str:
        """A part of a finding's id: a unit, a model or a mode by its name, if one is known."""
        return self.units.get(name) or self.models.get(name) or self.modes.get(name) or name


def history_text(history: History, names: Names) -> str:
    lang = names.lang
    lines = [f"{history.name}: {count('history.assessments', len(history.assessments), lang)}"]
    lines.extend(_assessment_line(a, lang) for a in history.assessments)
    if len(history.assessments) == 1:
        lines.append(cap(label("history.only_one", lang)))
    for change in history.changes:
        lines.append("")
        lines.extend(_change_lines(change, names))
    return "\n".join(lines) + "\n"


def _assessment_line(assessment: Assessment, lang: Lang) -> str:
    packs = ", ".join(f"{p.id} {p.hash.removeprefix('sha256:')[:12]}" for p in assessment.packs)
    return f"  {assessment.id:>4}  {moment(assessment.assessed_at, lang)}  {packs}"


def _change_lines(change: AssessmentChange, names: Names) -> list[str]:
    lang = names.lang
    head = label(
        "history.changes",
        lang,
        before=moment(change.before_at, lang),
        after=moment(change.after_at, lang),
    )
    lines = [head + ":"]
    if change.packs_changed:
        packs = ", ".join(change.packs_changed)
        lines.append("  " + cap(label("history.pack_changed", lang, packs=packs)))
    for unit in change.units:
        if not unit.changed:
            lines.append(f"  {unit.name}: {label('history.no_change', lang)}")
            continue
        lines.append(f"  {unit.name}")
        if unit.presence == "removed":
            lines.append("    " + cap(label("history.unit_removed", lang)))
            continue
        if unit.presence == "added":  # its mode and recommendations, no change of weights
            added = cap(label("history.unit_added", lang))
            lines.append(f"    {added}: {names.mode(unit.dominant_after)}")
        elif unit.dominant_before != unit.dominant_after:
            lines.append(
                f"    {cap(label('history.dominant', lang))}: "
                f"{names.mode(unit.dominant_before)} → {names.mode(unit.dominant_after)}"
            )
        moved = [w for w in unit.weights if w.change != 0]
        if moved and unit.presence == "both":
            lines.append(
                f"    {cap(label('weights', lang))}: "
                + "; ".join(
                    f"{names.mode(w.archetype)} {number(w.before, lang)} → "
                    f"{number(w.after, lang)} ({signed(w.change, lang)})"
                    for w in moved
                )
            )
        for key, models in (
            ("history.recommended_added", unit.recommended_added),
            ("history.recommended_removed", unit.recommended_removed),
        ):
            if models:
                shown = ", ".join(names.models.get(m, m) for m in models)
                lines.append(f"    {cap(label(key, lang))}: {shown}")
        lines.extend(f"    {_finding(f, names)}" for f in unit.findings)
    return lines


def _finding(change: FindingChange, names: Names) -> str:
    lang = names.lang
    about = [names.any(part) for part in change.id.split(":")[1:]]
    what = names.kinds.get(change.kind, change.kind) + (f" ({', '.join(about)})" if about else "")
    if change.before is None:
        head = label("history.finding_new", lang)
        return f"{cap(head)}: {what}, {label(f'severity.{change.after}', lang)}"
    if change.after is None:
        return f"{cap(label('history.finding_cleared', lang))}: {what}"
    severity = label(
        "history.finding_severity",
        lang,
        after=label(f"severity.{change.after}", lang),
        before=label(f"severity.{change.before}", lang),
    )
    return f"{cap(severity)}: {what}"
