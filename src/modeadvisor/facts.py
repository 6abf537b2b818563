"""The facts conflict rules see: their kinds and fields, as a vocabulary the loader checks against.

After every unit has its profile and model scores, an assessment asserts these facts into the
conflict rulesets (one fact per unit, per unit and model, per stated view and archetype, ...).
Conflict rules match them by kind and field and join them with `alias.field`; this table is what
the loader uses to say "unknown field" or "compare it with a number" before anything runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from modeadvisor._i18n import Message
from modeadvisor.conditions import TraitValue

FieldType = Literal["unit", "archetype", "model", "number", "bool", "choice"]
VIEWS = ("current", "desired", "strategy")
STATED_VIEWS = ("desired", "strategy")
STATUSES = ("ok", "insufficient_evidence")
MODEL_KINDS = ("management", "measurement")


@dataclass(frozen=True, slots=True)
class FactField:
    type: FieldType
    description: str
    values: tuple[str, ...] = ()  # for `choice` fields


_UID = FactField("unit", Message("the unit's id"))
_PARENT = FactField("unit", Message("the parent unit's id (absent for a top unit)"))
_ARCHETYPE = FactField("archetype", Message("an archetype id"))
_MODEL = FactField("model", Message("a model id"))
_MODEL_KIND = FactField("choice", Message("management or measurement"), MODEL_KINDS)

FACT_KINDS: Mapping[str, Mapping[str, FactField]] = {
    "unit": {
        "uid": _UID,
        "parent": _PARENT,
        "status": FactField(
            "choice", Message("ok, or insufficient_evidence when no mode is named"), STATUSES
        ),
        "dominant": FactField("archetype", Message("the dominant mode (absent without evidence)")),
        "secondary": FactField("archetype", Message("the second mode (absent when none fired)")),
        "mixed": FactField(
            "bool", Message("true when the top two modes are within the mixed margin")
        ),
        # ... and every trait of the catalogue by its id, as observed
    },
    "fit": {
        "uid": _UID,
        "parent": _PARENT,
        "dominant": FactField("archetype", Message("the unit's dominant mode")),
        "model": _MODEL,
        "model_kind": _MODEL_KIND,
        "score": FactField(
            "number", Message("how well the model fits the unit's profile (-1 to 1)")
        ),
        "in_use": FactField("bool", Message("the unit says it uses the model")),
        "recommended": FactField("bool", Message("the score reaches the pack's recommend_min")),
        "avoid": FactField("bool", Message("the score is at or below minus the pack's avoid_min")),
        "cause": FactField(
            "archetype",
            Message("the mode whose link pushes the score down most (absent when none does)"),
        ),
        "cause_share": FactField(
            "number", Message("that mode's weight in the unit's profile (0 to 1)")
        ),
    },
    "split": {
        "parent": FactField("unit", Message("a unit with units under it")),
        "model": _MODEL,
        "model_kind": _MODEL_KIND,
        "units": FactField("number", Message("the parent and the units directly under it")),
        "recommended": FactField(
            "number", Message("how many of them the model is recommended for")
        ),
        "avoid": FactField("number", Message("how many of them should avoid the model")),
        "in_use": FactField("number", Message("how many of them say they use the model")),
        "imposed": FactField("bool", Message("the organisation imposes the model on every unit")),
        "parent_side": FactField(
            "choice",
            Message("recommended or avoid when the parent itself is on one side, else neutral"),
            ("recommended", "avoid", "neutral"),
        ),
    },
    "imposed": {
        "model": _MODEL,
        "model_kind": _MODEL_KIND,
    },
    "view": {
        "uid": _UID,
        "view": FactField("choice", Message("current (from traits), desired or strategy"), VIEWS),
        "archetype": _ARCHETYPE,
        "weight": FactField("number", Message("the archetype's weight in this view (0 to 1)")),
        "top": FactField("bool", Message("the archetype leads this view")),
    },
    "gap": {
        "uid": _UID,
        "first": FactField("choice", Message("the first view compared"), VIEWS),
        "second": FactField("choice", Message("the second view compared"), VIEWS),
        "archetype": _ARCHETYPE,
        "first_weight": FactField("number", Message("the archetype's weight in the first view")),
        "second_weight": FactField("number", Message("the archetype's weight in the second view")),
        "gap": FactField("number", Message("the absolute difference of the two weights")),
        "first_lead": FactField("archetype", Message("the mode that leads the first view")),
        "second_lead": FactField("archetype", Message("the mode that leads the second view")),
        "crossing": FactField("bool", Message("the two views are led by different modes")),
    },
    "rating": {
        "uid": _UID,
        "archetype": _ARCHETYPE,
        "rating": FactField("number", Message("mean self-assessed centrality of the mode (1-5)")),
        "respondents": FactField("number", Message("how many respondents rated it")),
    },
    "agreement": {
        "uid": _UID,
        "archetype": _ARCHETYPE,
        "respondents": FactField(
            "number", Message("how many respondents rated the mode (2 or more)")
        ),
        "rwg": FactField(
            "number", Message("within-group agreement against a uniform null (0 to 1)")
        ),
        "consensus": FactField(
            "number", Message("Tastle-Wierman consensus (0 camps, 1 all agree)")
        ),
    },
}

#: Fields that are respondents' figures: shown only for a group of at least the anonymity floor
#: (`min_respondents`) of respondents (how many answered is a count, not an answer: shown). Rules still match on them; a text that quotes one has
#: words without it (`withheld:`) for a smaller group.
RESPONDENT_FIGURES: Mapping[str, frozenset[str]] = {
    "rating": frozenset({"rating"}),
    "agreement": frozenset({"rwg", "consensus"}),
}

#: Fields of `unit` facts: a trait must not take one of these ids.
UNIT_FIELDS = frozenset(FACT_KINDS["unit"])

#: One conflict-stage fact: its kind and fields (for units, their trait values too).
Fact = dict[str, TraitValue]
#: One firing of a conflict or scoring rule: (rule id, alias -> index of the fact it bound).
Firing = tuple[str, dict[str, int]]
