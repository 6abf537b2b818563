"""An organisation file written as YAML a consultant can read: a comment above each trait names
its question (in the session's language), and may add a note (how far respondents agreed).

Values are written as JSON, which is YAML too, so no value can change its meaning on the way
(`no`, `on`, `1e3` stay what they were)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from modeadvisor.knowledge import KnowledgeBase, Lang
from modeadvisor.people._questions import question

#: unit id -> trait id -> a note written after the question
Notes = Mapping[str, Mapping[str, str]]


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _comment(text: str) -> str:
    return "# " + " ".join(text.split())


def dump(
    organisation: Mapping[str, Any],
    kb: KnowledgeBase,
    lang: Lang,
    *,
    header: Sequence[str] = (),
    notes: Notes | None = None,
) -> str:
    """The organisation as YAML, traits in catalogue order with their questions as comments."""
    lines = [_comment(line) for line in header]
    lines.append(f"organisation: {_value(organisation['organisation'])}")
    for key in ("imposed_models", "perspectives"):
        if organisation.get(key):
            lines.append(f"{key}: {_value(organisation[key])}")
    if organisation.get("respondents"):
        lines.append("respondents:")
        lines.extend(f"  - {_value(r)}" for r in organisation["respondents"])
    lines.append("units:")
    for unit in organisation["units"]:
        lines.append(f"  - id: {_value(unit['id'])}")
        for key in ("name", "parent"):
            if unit.get(key) is not None:
                lines.append(f"    {key}: {_value(unit[key])}")
        traits: Mapping[str, Any] = unit.get("traits") or {}
        if traits:
            lines.append("    traits:")
        order = list(kb.traits)
        unit_notes = (notes or {}).get(unit["id"], {})
        for trait_id in sorted(
            traits, key=lambda t: (t not in kb.traits, order.index(t) if t in kb.traits else 0, t)
        ):
            trait = kb.traits.get(trait_id)
            if trait is not None:
                note = unit_notes.get(trait_id)
                lines.append(
                    "      " + _comment(question(trait, lang) + (f" [{note}]" if note else ""))
                )
            lines.append(f"      {trait_id}: {_value(traits[trait_id])}")
        for key in ("models_in_use", "perspectives"):
            if unit.get(key):
                lines.append(f"    {key}: {_value(unit[key])}")
    return "\n".join(lines) + "\n"
