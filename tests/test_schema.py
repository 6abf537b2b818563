"""JSON Schemas: valid themselves, accept the shipped files, reject what the loader rejects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from modeadvisor import KnowledgeBase
from modeadvisor.authoring.schema import organisation_schema, rules_schema
from modeadvisor.cli import main
from modeadvisor.knowledge import shipped_rules_dir

from .conftest import ROOT


def _errors(schema: dict[str, Any], data: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema)
    return [error.message for error in validator.iter_errors(data)]


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.name)
def test_examples_fit_the_organisation_schema(shipped_kb: KnowledgeBase, path: Path) -> None:
    schema = organisation_schema(shipped_kb)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert _errors(schema, yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_shipped_rule_files_fit_the_rules_schema(shipped_kb: KnowledgeBase) -> None:
    schema = rules_schema(shipped_kb)
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in sorted(shipped_rules_dir().rglob("*.yaml")):
        assert _errors(schema, yaml.safe_load(path.read_text(encoding="utf-8"))) == [], path


@pytest.mark.parametrize(
    ("unit", "fragment"),
    [
        ({"id": "a", "traits": {"cost_fokus": 3}}, "cost_fokus"),
        ({"id": "a", "traits": {"cost_focus": 7}}, "7 is greater than the maximum of 5"),
        ({"id": "a", "traits": {"sector": "pubic"}}, "'pubic' is not one of"),
        ({"id": "a", "traits": {"customer_value_basis": ["cheap"]}}, "'cheap' is not one of"),
        ({"id": "a", "models_in_use": ["bsc"]}, "'bsc' is not one of"),
        ({"id": "a", "perspectives": {"desired": {"prod": 1}}}, "is not valid under any"),
    ],
)
def test_the_organisation_schema_knows_the_catalogue(
    shipped_kb: KnowledgeBase, unit: dict[str, Any], fragment: str
) -> None:
    errors = _errors(organisation_schema(shipped_kb), {"organisation": "o", "units": [unit]})
    assert any(fragment in e for e in errors), errors


def test_trait_labels_are_offered_as_descriptions(shipped_kb: KnowledgeBase) -> None:
    traits = organisation_schema(shipped_kb)["$defs"]["Unit"]["properties"]["traits"]
    assert traits["properties"]["cost_focus"]["title"] == shipped_kb.traits["cost_focus"].label.en


def test_rules_schema_offers_ids_but_allows_new_ones(shipped_kb: KnowledgeBase) -> None:
    schema = rules_schema(shipped_kb)
    rule = {
        "rules": [
            {
                "id": "r",
                "when": "x",
                "weights": {"new_mode": 1},
                "rationale": {"en": "r"},
                "source": ["S-P1"],
            }
        ]
    }
    assert _errors(schema, rule) == []
    rule["rules"][0]["weights"] = {"Bad Mode": 1}
    assert _errors(schema, rule)
    offered = schema["$defs"]["ScoringRule"]["properties"]["weights"]["propertyNames"]
    assert "production" in offered["anyOf"][0]["enum"]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"severity": []}, "should be non-empty"),
        ({"severity": [{"level": "severe"}]}, "'severe' is not one of"),
        ({"severity": [{"level": "low", "if": {}}]}, "'if' was unexpected"),
        ({"finding": {"about": ["model"]}}, "does not match"),
        ({"finding": {"about": []}}, "should be non-empty"),
        ({"finding": {"topic": "misfits"}}, "'about' is a required property"),
    ],
)
def test_the_rules_schema_checks_ladders_and_findings(
    shipped_kb: KnowledgeBase, change: dict[str, Any], fragment: str
) -> None:
    rule = {
        "id": "c",
        "kind": "k",
        "severity": [{"level": "high", "when": {"f": "score <= -$misfit_high"}}, {"level": "low"}],
        "match": {"f": "fit where avoid"},
        "finding": {"about": ["f.model"], "topic": "misfits"},
        "explanation": {"en": "e"},
        "resolution": {"en": "r"},
    }
    schema = rules_schema(shipped_kb)
    assert _errors(schema, {"conflicts": [rule]}) == []
    validator = jsonschema.Draft202012Validator(schema)
    errors = [  # an anyOf's own message, and why each of its branches failed
        e.message
        for error in validator.iter_errors({"conflicts": [{**rule, **change}]})
        for e in [error, *error.context]
    ]
    assert any(fragment in e for e in errors), errors


@pytest.mark.parametrize("kind", ["rules", "organisation"])
def test_cli_prints_the_schema(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", kind]) == 0
    assert json.loads(capsys.readouterr().out)["$schema"].startswith("https://json-schema.org")


def test_the_schemas_say_what_kind_of_thing_each_trait_is(shipped_kb: KnowledgeBase) -> None:
    kind = rules_schema(shipped_kb)["$defs"]["Trait"]["properties"]["kind"]
    assert kind["anyOf"][0]["enum"] == ["lever", "circumstance", "signal"]
    assert "What-if changes only levers" in kind["description"]
    traits = organisation_schema(shipped_kb)["$defs"]["Unit"]["properties"]["traits"]
    assert traits["properties"]["project_kill_readiness"]["description"].endswith("Kind: lever.")
    assert traits["properties"]["sector"]["description"].endswith("Kind: circumstance.")
