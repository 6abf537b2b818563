"""The knowledge base: the shipped pack's content, and every pack mistake located."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from modeadvisor import KnowledgeBase, KnowledgeBaseError, load_knowledge_base
from modeadvisor.knowledge._documents import load_document

from .conftest import DATA, write_pack

SEED = Path(__file__).parent.parent.parent / "shared" / "seed" / "README.md"
POINTS = (
    [f"S-P{i}" for i in range(1, 8)]
    + [f"S-D{i}" for i in range(1, 14)]
    + [f"S-S{i}" for i in range(1, 11)]
    + ["S-G1", "S-G2"]
)
REQUIRED_MODELS = {
    "balanced_scorecard": "measurement",
    "financial_time_series": "measurement",
    "milestone_project_followup": "measurement",
    "customer_feedback_system": "measurement",
    "customer_loyalty_measurement": "measurement",
    "customer_satisfaction_survey": "measurement",
    "staff_wellbeing_followup": "measurement",
    "basic_task_goal_setting": "management",
    "resource_steering": "management",
    "continuity_leadership": "management",
    "vision_sharing_leadership": "management",
    "feedback_reactive_leadership": "management",
}


# --- the shipped pack ------------------------------------------------------------------------


def test_shipped_pack_has_the_four_archetypes(shipped_kb: KnowledgeBase) -> None:
    assert list(shipped_kb.archetypes) == [
        "production",
        "development",
        "customer_service",
        "public_administration",
    ]


def test_every_seed_point_is_observable_by_some_trait(shipped_kb: KnowledgeBase) -> None:
    observed = {s for trait in shipped_kb.traits.values() for s in trait.observes}
    assert [p for p in POINTS if p not in observed] == []


def test_every_seed_point_is_cited_by_a_rule_or_link(shipped_kb: KnowledgeBase) -> None:
    cited = {s for rule in shipped_kb.rules for s in rule.spec.source}
    cited |= {s for link in shipped_kb.links for s in link.source}
    assert [p for p in POINTS if p not in cited] == []


def test_every_rule_and_link_cites_a_source(shipped_kb: KnowledgeBase) -> None:
    assert [r.id for r in shipped_kb.rules if not r.spec.source] == []
    assert [(k.source_node, k.target) for k in shipped_kb.links if not k.source] == []


def test_trait_types_are_all_used(shipped_kb: KnowledgeBase) -> None:
    assert {t.type for t in shipped_kb.traits.values()} == {
        "scale",
        "bool",
        "category",
        "number",
        "set",
    }


def test_required_models_exist_with_their_kind(shipped_kb: KnowledgeBase) -> None:
    assert {m: shipped_kb.models[m].kind for m in REQUIRED_MODELS} == REQUIRED_MODELS


@pytest.mark.parametrize(
    ("source", "relation", "target", "cites"),
    [
        ("production", "suits", "balanced_scorecard", "S-P6"),
        ("development", "poor_fit", "balanced_scorecard", "S-D12"),
        ("customer_service", "poor_fit", "financial_time_series", "S-S7"),
        ("customer_service", "suits", "customer_loyalty_measurement", "S-S4"),
        ("development", "suits", "milestone_project_followup", "S-D13"),
        ("customer_service", "suits", "staff_wellbeing_followup", "S-S8"),
        ("public_administration", "suits", "basic_task_goal_setting", "S-G1"),
        ("public_administration", "evolves_to", "development", "S-G3"),
        ("public_administration", "evolves_to", "customer_service", "S-G3"),
    ],
)
def test_links_the_source_states(
    shipped_kb: KnowledgeBase, source: str, relation: str, target: str, cites: str
) -> None:
    found = [k for k in shipped_kb.links if (k.source_node, k.target) == (source, target)]
    assert len(found) == 1
    assert found[0].relation == relation
    assert cites in found[0].source


def test_satisfaction_survey_is_only_secondary_for_customer_service(
    shipped_kb: KnowledgeBase,
) -> None:
    def strength(target: str) -> float:
        link = next(
            k for k in shipped_kb.links if (k.source_node, k.target) == ("customer_service", target)
        )
        return link.strength if link.relation == "suits" else -link.strength

    assert strength("customer_satisfaction_survey") < strength("customer_loyalty_measurement")


def test_every_archetype_has_suits_links_of_both_kinds(shipped_kb: KnowledgeBase) -> None:
    for archetype in shipped_kb.archetypes:
        kinds = {
            shipped_kb.models[k.target].kind
            for k in shipped_kb.links
            if k.source_node == archetype and k.relation == "suits"
        }
        assert kinds == {"management", "measurement"}, archetype


def test_every_user_facing_text_is_in_finnish_too(shipped_kb: KnowledgeBase) -> None:
    texts = [a.name for a in shipped_kb.archetypes.values()]
    texts += [a.tagline for a in shipped_kb.archetypes.values()]
    texts += [t.label for t in shipped_kb.traits.values()]
    texts += [t.description for t in shipped_kb.traits.values()]
    texts += [r.spec.rationale for r in shipped_kb.rules]
    texts += [m.name for m in shipped_kb.models.values()]
    texts += [k.reason for k in shipped_kb.links]
    assert [t.en for t in texts if not t.fi] == []


def test_sources_match_the_seed_document(shipped_kb: KnowledgeBase) -> None:
    if not SEED.exists():
        pytest.skip("the shared seed document is not beside this checkout")
    ids = set(re.findall(r"^- (S-[A-Z]+\d+) ", SEED.read_text(encoding="utf-8"), re.MULTILINE))
    assert set(shipped_kb.sources) == ids


def test_rule_origins_name_file_and_line(shipped_kb: KnowledgeBase) -> None:
    origin = shipped_kb.rules[0].origin
    assert origin.file.startswith("scoring/")
    assert origin.file.endswith(".yaml")
    assert origin.line is not None


# --- mistakes, located -----------------------------------------------------------------------


def _errors(tmp_path: Path, files: dict[str, str]) -> KnowledgeBaseError:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(write_pack(tmp_path / "pack", files))
    return caught.value


def _rule(when: str, weights: str = "{prod: 1}", extra: str = "") -> str:
    return (
        f"rules:\n  - id: extra_rule\n    when: '{when}'\n    weights: {weights}\n"
        f"    rationale: {{en: r}}\n    source: [S-P1]\n{extra}"
    )


def test_unknown_trait_in_condition_has_location_and_suggestion(tmp_path: Path) -> None:
    error = _errors(tmp_path, {"extra.yaml": _rule("cost >= 2 and riksy")})
    (problem,) = error.problems
    assert problem.location.file.endswith("extra.yaml")
    assert (problem.location.line, problem.location.column) == (3, 26)
    assert "unknown trait 'riksy'" in problem.message
    assert problem.hint == "did you mean 'risky'?"
    assert "^" in str(error)


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("risky == 3", "'risky' is true/false"),
        ("cost >= 7", "7 is outside the scale of 'cost'"),
        ("cost", "'cost' is a scale"),
        ('sector == "pubic"', "'pubic' is not a value of 'sector'"),
        ('"x" in cost', "membership tests"),
        ("focus == 2", "'focus' is a set"),
        ("cost >= 2.5", "whole number"),
        ("project_share > true", "is a number"),
        ('sector > "public"', "only ==, != and `in [...]` apply"),
        ("project_share > 1.1234567", "more than 6 decimals"),
        ("project_share > 10000000000000", "too large"),
    ],
)
def test_type_mismatches_in_conditions(tmp_path: Path, when: str, message: str) -> None:
    error = _errors(tmp_path, {"extra.yaml": _rule(when)})
    assert message in str(error)
    assert error.problems[0].location.line == 3


def test_condition_that_does_not_parse(tmp_path: Path) -> None:
    error = _errors(tmp_path, {"extra.yaml": _rule("cost >= 4 and and risky")})
    (problem,) = error.problems
    assert "condition does not parse: unexpected 'and'" in problem.message
    assert (problem.location.line, problem.location.column) == (3, 26)


def test_all_problems_of_a_pack_are_reported_together(tmp_path: Path) -> None:
    text = _rule("cots >= 4", "{prdo: 1}") + (
        "  - id: cost_first\n    when: cost >= 1\n    weights: {prod: 1}\n"
        "    rationale: {en: r}\n    source: [S-X9]\n"
    )
    error = _errors(tmp_path, {"extra.yaml": text, "broken.yaml": "traits: [\n"})
    messages = [p.message for p in error.problems]
    assert any("unknown trait 'cots'" in m for m in messages)
    assert any("unknown archetype 'prdo'" in m for m in messages)
    assert any("duplicate rule id 'cost_first'" in m for m in messages)
    assert any("unknown source id 'S-X9'" in m for m in messages)
    assert any("malformed YAML" in m for m in messages)
    assert len(error.problems) == 5
    assert str(error).startswith("5 problems:")


def test_duplicate_id_names_the_first_definition(tmp_path: Path) -> None:
    text = "traits:\n  - id: cost\n    type: bool\n    label: {en: x}\n    description: {en: x}\n"
    error = _errors(tmp_path, {"more.yaml": text})
    (problem,) = error.problems
    assert "duplicate trait id 'cost'; first defined at" in problem.message
    assert "catalogue.yaml:2" in problem.message


def test_unknown_key_suggests_the_known_one(tmp_path: Path) -> None:
    error = _errors(tmp_path, {"extra.yaml": _rule("cost >= 2", extra="    rationle: {en: x}\n")})
    (problem,) = error.problems
    assert "unknown key 'rationle'" in problem.message
    assert problem.hint == "did you mean 'rationale'?"
    assert problem.location.line == 7


def test_unknown_section_suggests_the_known_one(tmp_path: Path) -> None:
    error = _errors(tmp_path, {"extra.yaml": "rulez: []\n"})
    assert error.problems[0].hint == "did you mean 'rules'?"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "links:\n  - {from: prod, to: scorecrd, relation: suits, strength: 0.5, reason: {en: x}}\n",
            "unknown model 'scorecrd'",
        ),
        (
            "links:\n  - {from: prdo, to: scorecard, relation: suits, strength: 0.5, reason: {en: x}}\n",
            "unknown archetype 'prdo'",
        ),
        (
            "links:\n  - {from: prod, to: scorecard, relation: suits, strength: 1.5, reason: {en: x}}\n",
            "less than or equal to 1",
        ),
        (
            "links:\n  - {from: prod, to: scorecard, relation: fits, strength: 0.5, reason: {en: x}}\n",
            "'suits', 'poor_fit' or 'evolves_to'",
        ),
        (
            "models:\n  - {id: Bad-Id, kind: measurement, name: {en: x}, description: {en: x}}\n",
            "'Bad-Id' is not a valid id",
        ),
        (
            "traits:\n  - {id: t2, type: category, label: {en: x}, description: {en: x}}\n",
            "a category trait needs `values`",
        ),
        (
            "archetypes:\n  - {id: scorecard, name: {en: x}, tagline: {en: x}}\n",
            "both an archetype and a model id",
        ),
        ("pack:\n  id: other\n  name: {en: x}\n", "a second `pack:` section"),
        ("rules: {a: 1}\n", "'rules' must be a list"),
        ("- just\n- a list\n", "expected a mapping of sections"),
        ("", "file is empty"),
    ],
)
def test_pack_mistakes(tmp_path: Path, text: str, message: str) -> None:
    assert message in str(_errors(tmp_path, {"extra.yaml": text}))


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="not a folder"):
        load_knowledge_base(tmp_path / "missing")


def test_folder_without_rule_files(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match=r"no \.yaml rule files"):
        load_knowledge_base(tmp_path)


def test_mini_pack_loads(mini_kb: KnowledgeBase) -> None:
    assert [r.id for r in mini_kb.rules] == ["cost_first", "risk_taking", "projects"]
    assert mini_kb.root == DATA / "mini"


# --- where every item is written ---------------------------------------------------------------


def _keys(kb: KnowledgeBase) -> set[tuple[str, str]]:
    """Every item a knowledge base holds, as (section, key)."""
    keys = {("pack", "")}
    keys |= {
        (section, key)
        for section in ("sources", "archetypes", "traits", "models", "kinds")
        for key in getattr(kb, section)
    }
    keys |= {("rules", r.id) for r in kb.rules} | {("conflicts", c.id) for c in kb.conflicts}
    keys |= {("links", f"{k.source_node} -> {k.target}") for k in kb.links}
    return keys


@pytest.mark.parametrize("pack", ["shipped", "mini"])
def test_every_item_is_located_where_its_file_says(
    pack: str, shipped_kb: KnowledgeBase, mini_kb: KnowledgeBase
) -> None:
    kb = shipped_kb if pack == "shipped" else mini_kb
    items = {key for key in kb.locations if key[0] != "settings"}
    assert items == _keys(kb)
    settings = {key[1] for key in kb.locations if key[0] == "settings"}
    for (section, key), where in kb.locations.items():
        assert kb.located(section, key) is where
        assert where.pack == kb.info.id
        document = load_document(where.file.root / where.file.relative)  # read again, to compare
        assert where.at() == document.location(where.path)
        assert where.at("id") == document.location((*where.path, "id"))
        data = document.data
        for step in where.path:
            data = data[step]
        if section == "settings":
            assert where.path == ("pack", "settings", key)
        elif section == "links":
            assert f"{data['from']} -> {data['to']}" == key
        elif section != "pack":
            assert data["id"] == key
    rules = {r.id: r for r in kb.rules}
    for rule_id, rule in rules.items():
        located = kb.located("rules", rule_id)
        assert located is not None
        assert kb.where(rule.pack, rule.origin) == located.at("id")
    header = kb.located("pack", "")
    assert header is not None
    written = load_document(header.file.root / header.file.relative).data["pack"]["settings"]
    assert settings == set(written)  # each setting the pack file sets, and no other
    assert kb.located("rules", "no_such_rule") is None


def test_every_shipped_trait_says_what_kind_of_thing_it_is(shipped_kb: KnowledgeBase) -> None:
    kinds = {trait.id: trait.kind for trait in shipped_kb.traits.values()}
    assert None not in kinds.values()
    # the issue's own examples: period figures are a signal, follow-up and stopping projects
    # are levers, the sector, a task set by law, customers' expectations and uncertainty are not
    assert kinds["periodic_figures_informative"] == "signal"
    assert {kinds[t] for t in ("own_business_followup", "project_kill_readiness")} == {"lever"}
    assert {
        kinds[t]
        for t in ("sector", "basic_task_set_by_law", "customers_expect", "uncertainty_level")
    } == {"circumstance"}
    # what the advice must never propose to a manager to fit a measure
    assert kinds["cost_focus"] != "lever"
    assert kinds["customer_value_basis"] != "lever"
    assert kinds["daily_flex_to_customer"] != "lever"


def test_a_traits_choices_are_every_value_it_can_take_or_none(shipped_kb: KnowledgeBase) -> None:
    kinds = {trait.type: trait for trait in shipped_kb.traits.values()}
    assert kinds["scale"].choices() == [1, 2, 3, 4, 5]
    assert kinds["bool"].choices() == [True, False]
    category = kinds["category"]
    assert category.choices() == list(category.values or ())
    assert kinds["set"].choices() is None
    assert kinds["number"].choices() is None
