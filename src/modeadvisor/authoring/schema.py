"""JSON Schemas for rule files and organisation files, so an editor completes and checks them.

Both are generated from the pydantic models, then given the catalogue: an organisation's traits
become one property per trait id with its type, range or values (and its label as the
description an editor shows), model and archetype ids become enumerations. In the rule-file
schema the known ids are offered for completion but new ones stay allowed, since a pack may
define its own archetypes, traits and models.
"""

from __future__ import annotations

from typing import Any

from modeadvisor.knowledge import SCALE_MAX, SCALE_MIN, KnowledgeBase, PackFile, Trait
from modeadvisor.organisation import RATING_MAX, RATING_MIN, Organisation

Schema = dict[str, Any]
_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def trait_schema(trait: Trait) -> Schema:
    """The JSON Schema of one trait's value."""
    kind = f" Kind: {trait.kind}." if trait.kind else ""
    described = {"title": trait.label.en, "description": trait.description.en + kind}
    match trait.type:
        case "scale":
            return {"type": "integer", "minimum": SCALE_MIN, "maximum": SCALE_MAX, **described}
        case "bool":
            return {"type": "boolean", **described}
        case "number":
            bounds = {
                k: v for k, v in (("minimum", trait.min), ("maximum", trait.max)) if v is not None
            }
            return {"type": "number", **bounds, **described}
        case "category":
            return {"enum": list(trait.values or ()), **described}
    return {
        "type": "array",
        "items": {"enum": list(trait.values or ())},
        "uniqueItems": True,
        **described,
    }


def organisation_schema(kb: KnowledgeBase) -> Schema:
    """The schema of an organisation file for this knowledge base."""
    schema = Organisation.model_json_schema()
    defs = schema["$defs"]
    archetypes = list(kb.archetypes)
    models = {"enum": list(kb.models)}
    defs["Unit"]["properties"]["traits"] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {t.id: trait_schema(t) for t in kb.traits.values()},
        "description": "Observed traits: ids from `modeadvisor traits`.",
    }
    defs["Unit"]["properties"]["models_in_use"] = {"type": "array", "items": models}
    schema["properties"]["imposed_models"] = {"type": "array", "items": models}
    view = {
        "oneOf": [
            {
                "type": "object",
                "propertyNames": {"enum": archetypes},
                "additionalProperties": {"type": "number", "minimum": 0},
                "description": "Weights per archetype, adding up to 1 (or to 100 points).",
            },
            {
                "type": "array",
                "items": {"enum": archetypes},
                "uniqueItems": True,
                "minItems": 1,
                "description": "A ranking, most central first.",
            },
        ]
    }
    for name in ("desired", "strategy"):
        defs["Perspectives"]["properties"][name] = {"anyOf": [view, {"type": "null"}]}
    defs["Respondent"]["properties"]["ratings"] = {
        "type": "object",
        "minProperties": 1,
        "propertyNames": {"enum": archetypes},
        "additionalProperties": {"type": "integer", "minimum": RATING_MIN, "maximum": RATING_MAX},
    }
    return {"$schema": _DRAFT, "title": f"modeadvisor organisation ({kb.info.id} pack)", **schema}


def rules_schema(kb: KnowledgeBase) -> Schema:
    """The schema of one rule-pack file, offering this knowledge base's ids for completion."""
    schema = PackFile.model_json_schema(by_alias=True)
    defs = schema["$defs"]

    def offer(ids: list[str], pattern: str = "^[a-z][a-z0-9_]*$") -> Schema:
        return {"anyOf": [{"enum": ids}, {"type": "string", "pattern": pattern}]}

    archetypes, sources = list(kb.archetypes), list(kb.sources)
    source_list = {"type": "array", "items": offer(sources, "^S-[A-Z]+[0-9]+$")}
    for name in ("Archetype", "ScoringRule", "Link", "ConflictRuleSpec"):
        defs[name]["properties"]["source"] = source_list
    defs["Trait"]["properties"]["observes"] = source_list
    defs["Trait"]["properties"]["kind"]["description"] = (
        "lever: a management or measurement practice the organisation can change; "
        "circumstance: what it works in (sector, law, market, customers, the nature of the "
        "work); signal: what shows how things are going. What-if changes only levers."
    )
    defs["ScoringRule"]["properties"]["weights"]["propertyNames"] = offer(archetypes)
    defs["Link"]["properties"]["from"] = offer(archetypes)
    defs["Link"]["properties"]["to"] = offer([*archetypes, *kb.models])
    conflict = defs["ConflictRuleSpec"]["properties"]
    ladder = next(o for o in conflict["severity"]["anyOf"] if o.get("type") == "array")
    ladder["minItems"] = 1  # the loader refuses an empty ladder, so the editor does too
    conflict["severity"]["description"] = (
        "low, medium or high; or a ladder of {level, when: {alias: condition}} steps over the "
        "matched facts, the first that holds wins, the last has only a level"
    )
    conflict["finding"]["description"] = (
        "what one finding is about: `about` lists alias.field of the matched facts; rules with "
        "the same `topic` and the same values are one finding"
    )
    defs["PackInfo"]["properties"]["extends"] = {
        "anyOf": [offer(list(kb.layers)), {"type": "null"}]
    }
    return {"$schema": _DRAFT, "title": f"modeadvisor rule file ({kb.info.id} pack)", **schema}
