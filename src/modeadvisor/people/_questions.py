"""The trait catalogue as questions: one meaning of a theme, a choice and an answer for the
interview, the questionnaire and collect alike. Every word comes from the catalogue (label,
description, value labels, archetype names) or from the one label table."""

from __future__ import annotations

from collections.abc import Sequence

from modeadvisor._cells import cell_value, document_value
from modeadvisor.conditions import TraitValue
from modeadvisor.knowledge import SCALE_MAX, SCALE_MIN, KnowledgeBase, Lang, Trait
from modeadvisor.reports.labels import label

#: Questions are grouped by what a trait is to the organisation, in this order (no kind: last).
THEMES = ("circumstance", "lever", "signal", "other")


def theme(trait: Trait) -> str:
    return trait.kind or "other"


def themed(kb: KnowledgeBase) -> list[tuple[str, list[Trait]]]:
    """The catalogue's traits by theme, in catalogue order within a theme."""
    groups = [(name, [t for t in kb.traits.values() if theme(t) == name]) for name in THEMES]
    return [(name, traits) for name, traits in groups if traits]


def choices(trait: Trait, lang: Lang) -> list[tuple[str, str]]:
    """(value as written in an answer, what a person reads) for a trait with a fixed set of
    values; none for a number."""
    match trait.type:
        case "scale":
            return [(str(v), str(v)) for v in range(SCALE_MIN, SCALE_MAX + 1)]
        case "bool":
            return [("true", label("people.yes", lang)), ("false", label("people.no", lang))]
        case "category" | "set":
            return [(v, trait.value_label(v, lang)) for v in trait.values or ()]
    return []


def read_answer(trait: Trait, text: str) -> tuple[TraitValue | None, str | None]:
    """A typed answer: a choice's number (`2`, or `1,3` for a set) or the value itself, read by
    the one cell parser; (None, None) for an empty answer."""
    text = text.strip()
    if trait.type in ("category", "set") and text:
        parts = [p.strip() for p in text.replace(";", ",").replace("|", ",").split(",")]
        values = trait.values or ()
        if all(p.isdigit() for p in parts if p):
            picked = [int(p) for p in parts if p]
            if not all(1 <= n <= len(values) for n in picked):
                return None, f"a number from 1 to {len(values)}"
            if trait.type == "category" and len(picked) != 1:
                return None, "one choice"
            text = "|".join(values[n - 1] for n in picked)
    return cell_value(trait, text)


def typed(trait: Trait, raw: object) -> tuple[TraitValue | None, str | None]:
    """A value of an answer file (JSON), which already has its type."""
    return document_value(trait, raw)


def plain(value: TraitValue) -> bool | int | float | str | list[str]:
    """A typed value as an organisation file holds it (a set as a sorted list)."""
    if isinstance(value, frozenset):
        return sorted(value)
    return value


def shown(trait: Trait, value: TraitValue, lang: Lang) -> str:
    """A value as a person reads it."""
    if isinstance(value, bool):
        return label("people.yes" if value else "people.no", lang)
    if isinstance(value, frozenset):
        return ", ".join(trait.value_label(v, lang) for v in sorted(value)) or "-"
    if isinstance(value, str):
        return trait.value_label(value, lang)
    return f"{value:g}" if isinstance(value, float) else str(value)


def question(trait: Trait, lang: Lang) -> str:
    """The question: its label and description."""
    return f"{trait.label.get(lang)}: {trait.description.get(lang)}"


def ordered(kb: KnowledgeBase, ids: Sequence[str]) -> list[str]:
    """Trait ids in catalogue order."""
    order = {t: i for i, t in enumerate(kb.traits)}
    return sorted(ids, key=lambda t: (order.get(t, len(order)), t))
