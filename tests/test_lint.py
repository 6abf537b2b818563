"""Lint: static verification of a rule pack, each finding located in its file."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modeadvisor import KnowledgeBase, KnowledgeBaseError, load_knowledge_base
from modeadvisor import conditions as cond
from modeadvisor.authoring.lint import Finding, has_errors, lint, summary, to_json, to_text
from modeadvisor.errors import Location, display_path
from modeadvisor.knowledge import Rule, ScoringRule, Text, shipped_rules_dir

from .conftest import write_pack

# The mini pack without anything to lint: every text in Finnish too, and a management model
# that suits `dev`. Each test adds one defect in `z_lint.yaml` (read after the other files).
CLEAN = {
    "pack.yaml": """\
pack:
  id: mini
  name: {en: "Mini test pack", fi: "Pieni testipaketti"}
  version: "0.1"
  settings: {mixed_margin: 0.1, min_evidence: 1, min_observed: 1, recommend_min: 0.15}
sources:
  - {id: S-P1, text: {en: "Production.", fi: "Tuotanto."}}
  - {id: S-D1, text: {en: "Development.", fi: "Kehitys."}}
archetypes:
  - id: prod
    name: {en: "Production", fi: "Tuotanto"}
    tagline: {en: "Cost", fi: "Kustannus"}
    source: [S-P1]
  - id: dev
    name: {en: "Development", fi: "Kehitys"}
    tagline: {en: "New", fi: "Uusi"}
    source: [S-D1]
""",
    "catalogue.yaml": """\
traits:
  - id: cost
    type: scale
    kind: lever
    label: {en: "Cost focus", fi: "Kustannuspainotus"}
    description: {en: "1 none, 5 total", fi: "1 ei lainkaan, 5 täysin"}
  - id: risky
    type: bool
    kind: lever
    label: {en: "Takes risks", fi: "Ottaa riskejä"}
    description: {en: "Accepts risk", fi: "Hyväksyy riskin"}
  - id: sector
    type: category
    kind: circumstance
    values: [public, private]
    label: {en: "Sector", fi: "Sektori"}
    description: {en: "Sector", fi: "Sektori"}
  - id: focus
    type: set
    kind: circumstance
    values: [loyalty, cost, novelty]
    label: {en: "Focus", fi: "Painopiste"}
    description: {en: "Focus areas", fi: "Painopisteet"}
  - id: project_share
    type: number
    kind: signal
    min: 0
    max: 100
    label: {en: "Project share", fi: "Projektiosuus"}
    description: {en: "Share of project work", fi: "Projektityön osuus"}
""",
    "rules.yaml": """\
rules:
  - id: cost_first
    when: cost >= 4
    weights: {prod: 2}
    rationale: {en: "Cost focus is production.", fi: "Kustannuspainotus on tuotantoa."}
    source: [S-P1]
  - id: risk_taking
    when: risky and not "cost" in focus
    weights: {dev: 2}
    rationale: {en: "Risk is development.", fi: "Riski on kehitystä."}
    source: [S-D1]
  - id: projects
    when: project_share > 50.5 or sector in ["private"]
    weights: {dev: 1, prod: 0.5}
    rationale: {en: "Projects.", fi: "Projektit."}
    source: [S-D1]
models:
  - {id: scorecard, kind: measurement, name: {en: Scorecard, fi: Mittaristo},
     description: {en: BSC, fi: BSC}}
  - {id: milestones, kind: measurement, name: {en: Milestones, fi: Välitavoitteet},
     description: {en: Milestones, fi: Välitavoitteet}}
  - {id: steering, kind: management, name: {en: Steering, fi: Ohjaus},
     description: {en: Steering, fi: Ohjaus}}
  - {id: go_kill, kind: management, name: {en: Go/kill, fi: Jatka/lopeta},
     description: {en: Go/kill, fi: Jatka/lopeta}}
links:
  - {from: prod, to: scorecard, relation: suits, strength: 0.9, reason: {en: a, fi: a},
     source: [S-P1]}
  - {from: dev, to: scorecard, relation: poor_fit, strength: 0.8, reason: {en: b, fi: b},
     source: [S-D1]}
  - {from: dev, to: milestones, relation: suits, strength: 0.9, reason: {en: c, fi: c},
     source: [S-D1]}
  - {from: prod, to: steering, relation: suits, strength: 0.7, reason: {en: d, fi: d},
     source: [S-P1]}
  - {from: dev, to: go_kill, relation: suits, strength: 0.7, reason: {en: e, fi: e},
     source: [S-D1]}
""",
}
EXTRA = "z_lint.yaml"
#: Column where the text of a condition written as `    when: '...'` starts.
WHEN = 12


def _lint(tmp_path: Path, files: dict[str, str] | None = None) -> list[Finding]:
    folder = write_pack(tmp_path / "pack", {**CLEAN, **(files or {})})
    return lint(load_knowledge_base(folder))


def _rules(*rules: tuple[str, str, str], extra: str = "") -> str:
    """Rules as `(id, when, weights)`: rule n's id is on line 5n-3, its condition on 5n-2."""
    text = "rules:\n"
    for rule_id, when, weights in rules:
        text += (
            f"  - id: {rule_id}\n    when: '{when}'\n    weights: {weights}\n"
            "    rationale: {en: r, fi: r}\n    source: [S-P1]\n"
        )
    return text + extra


def _one(findings: list[Finding], code: str) -> Finding:
    assert [f.code for f in findings] == [code], to_text(findings)
    return findings[0]


def _at(finding: Finding, folder: Path, name: str, line: int, column: int | None = None) -> None:
    assert Path(finding.location.file).resolve() == (folder / "pack" / name).resolve()
    assert finding.location.line == line, finding
    if column is not None:
        assert finding.location.column == column, finding


# --- no false positives ----------------------------------------------------------------------


def test_the_clean_pack_has_no_findings(tmp_path: Path) -> None:
    assert _lint(tmp_path) == []


def test_the_mini_pack_lacks_only_translations_a_management_link_and_trait_kinds(
    mini_kb: KnowledgeBase,
) -> None:
    # written before traits had kinds: it still loads, and lint says what to add
    findings = lint(mini_kb)
    assert {f.code for f in findings} == {
        "missing-translation",
        "missing-suits-link",
        "trait-without-kind",
    }
    kindless = sorted(f.message.split("'")[1] for f in findings if f.code == "trait-without-kind")
    assert kindless == sorted(mini_kb.traits)
    assert all(f.severity == "warning" for f in findings if f.code == "trait-without-kind")
    (link,) = [f for f in findings if f.code == "missing-suits-link"]
    assert (Path(link.location.file).name, link.location.line) == ("pack.yaml", 15)
    assert "'dev'" in link.message
    assert "management" in link.message
    assert not has_errors(findings)


@pytest.mark.parametrize(
    ("when", "weights"),
    [
        ("cost <= 2", "{dev: 1}"),
        ('"loyalty" in focus and risky', "{dev: 1}"),
        ('"novelty" in focus', "{dev: 1}"),
        ("project_share >= 0 and project_share <= 0", "{prod: 1}"),
        ('sector == "public" and cost <= 3', "{dev: 1}"),
        ("project_share > 50 and project_share < 50.000002", "{prod: 1}"),
        ("cost >= 5 and cost <= 5", "{prod: 1}"),
        ('sector != "private" and not risky', "{dev: 1}"),
    ],
)
def test_harmless_variants_of_the_mini_pack_lint_clean(
    tmp_path: Path, when: str, weights: str
) -> None:
    assert _lint(tmp_path, {EXTRA: _rules(("extra", when, weights))}) == []


def test_the_shipped_pack_has_no_errors(shipped_kb: KnowledgeBase) -> None:
    findings = lint(shipped_kb)
    assert not has_errors(findings), to_text(findings)
    assert summary(findings)["info"] == 0  # every text is translated


# --- 1. unsatisfiable conditions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "offset"),
    [
        ("cost > 4 and cost < 2", 0),
        ("cost == 3 and cost != 3", 0),
        ('sector == "public" and sector == "private"', 0),
        ('sector != "public" and sector != "private"', 0),
        ('sector in ["public"] and sector != "public"', 0),
        ("cost > 5", 0),
        ("risky and cost >= 3 and not cost > 2", 10),
        ("project_share > 100", 0),
        ("project_share > 50 and project_share < 50.000001", 0),
        ("risky and not risky", 0),
        ('"cost" in focus and not "cost" in focus', 10),
        ("(cost > 4 or project_share > 100) and cost < 3", 1),
    ],
)
def test_a_condition_no_unit_can_meet_is_an_error(tmp_path: Path, when: str, offset: int) -> None:
    finding = _one(
        _lint(tmp_path, {EXTRA: _rules(("never", when, "{prod: 1}"))}), "unsatisfiable-condition"
    )
    assert finding.severity == "error"
    _at(finding, tmp_path, EXTRA, 3, WHEN + offset)
    assert "'never' can never fire" in finding.message


def test_an_alternative_no_unit_can_meet_is_a_warning(tmp_path: Path) -> None:
    when = "(cost >= 4 and risky) or cost > 5"
    finding = _one(
        _lint(tmp_path, {EXTRA: _rules(("half", when, "{prod: 1}"))}), "unsatisfiable-branch"
    )
    assert finding.severity == "warning"
    _at(finding, tmp_path, EXTRA, 3, WHEN + when.index("cost > 5"))
    assert "`cost > 5`" in finding.message


def test_a_dead_pattern_of_a_conflict_rule_is_an_error(tmp_path: Path) -> None:
    conflict = """\
conflicts:
  - id: impossible
    kind: measurement_misfit
    severity: high
    match:
      f: fit where score > 1 and score < 0
    explanation: {en: "{f.uid}", fi: "{f.uid}"}
    resolution: {en: r, fi: r}
    source: [S-P1]
kinds:
  - {id: measurement_misfit, name: {en: misfit, fi: huono sopivuus}}
"""
    finding = _one(_lint(tmp_path, {EXTRA: conflict}), "unsatisfiable-condition")
    _at(finding, tmp_path, EXTRA, 6, 20)  # the column of `score` in the pattern
    assert "'impossible' can never match" in finding.message


# --- 2. duplicate and subsumed rules ---------------------------------------------------------


@pytest.mark.parametrize(
    "when", ["cost >= 4", "cost > 3", "not cost <= 3", "cost in [4, 5]", "cost == 4 or cost >= 5"]
)
def test_a_rule_equivalent_to_another_with_the_same_weights_is_a_duplicate(
    tmp_path: Path, when: str
) -> None:
    finding = _one(_lint(tmp_path, {EXTRA: _rules(("again", when, "{prod: 2}"))}), "duplicate-rule")
    assert finding.severity == "error"
    _at(finding, tmp_path, EXTRA, 2, 9)
    assert "'again' duplicates rule 'cost_first'" in finding.message
    assert "rules.yaml:2:9" in finding.message


@pytest.mark.parametrize("when", ["cost >= 5", "cost >= 4 and risky", "cost == 4"])
def test_a_rule_whose_condition_implies_another_with_the_same_weights_is_subsumed(
    tmp_path: Path, when: str
) -> None:
    finding = _one(_lint(tmp_path, {EXTRA: _rules(("narrow", when, "{prod: 2}"))}), "subsumed-rule")
    assert finding.severity == "warning"
    _at(finding, tmp_path, EXTRA, 2, 9)
    assert "'narrow' is subsumed by rule 'cost_first'" in finding.message


def test_the_wider_rule_is_not_the_one_reported(tmp_path: Path) -> None:
    rules = _rules(
        ("narrow", "cost == 5 and risky", "{prod: 1}"), ("wide", "cost >= 5", "{prod: 1}")
    )
    finding = _one(_lint(tmp_path, {EXTRA: rules}), "subsumed-rule")
    _at(finding, tmp_path, EXTRA, 2, 9)
    assert "'narrow' is subsumed by rule 'wide'" in finding.message


def test_rules_with_equivalent_conditions_and_other_weights_are_a_warning(tmp_path: Path) -> None:
    finding = _one(
        _lint(tmp_path, {EXTRA: _rules(("twin", "cost > 3", "{prod: 1}"))}), "equivalent-conditions"
    )
    _at(finding, tmp_path, EXTRA, 2, 9)


# --- 3. overlapping rules towards different archetypes ---------------------------------------


@pytest.mark.parametrize(
    ("when", "example"),
    [
        ("cost >= 5", "cost=5"),  # implies cost_first
        ("cost <= 4", "cost=4"),  # the same trait, ranges that meet
        ("cost >= 4 and risky", "cost=4, risky=true"),
    ],
)
def test_overlapping_rules_pushing_to_other_archetypes_are_a_warning(
    tmp_path: Path, when: str, example: str
) -> None:
    finding = _one(
        _lint(tmp_path, {EXTRA: _rules(("other", when, "{dev: 2}"))}), "contradictory-overlap"
    )
    assert finding.severity == "warning"
    _at(finding, tmp_path, EXTRA, 2, 9)
    assert f"e.g. for {example}:" in finding.message
    assert "'cost_first'" in finding.message


def test_exclusive_or_unrelated_rules_do_not_overlap(tmp_path: Path) -> None:
    rules = _rules(
        ("low_cost", "cost <= 3", "{dev: 2}"), ("novel", '"novelty" in focus', "{dev: 1}")
    )
    assert _lint(tmp_path, {EXTRA: rules}) == []


# --- 4. archetypes that can never be dominant ------------------------------------------------

PUB = """\
archetypes:
  - id: pub
    name: {en: Public, fi: Julkinen}
    tagline: {en: Task, fi: Tehtävä}
links:
  - {from: pub, to: scorecard, relation: suits, strength: 0.4, reason: {en: f, fi: f},
     source: [S-P1]}
  - {from: pub, to: steering, relation: suits, strength: 0.4, reason: {en: g, fi: g},
     source: [S-P1]}
"""


def test_an_archetype_no_rule_weighs_is_an_error(tmp_path: Path) -> None:
    finding = _one(_lint(tmp_path, {EXTRA: PUB}), "unreachable-archetype")
    assert finding.severity == "error"
    _at(finding, tmp_path, EXTRA, 2, 9)


def test_an_archetype_only_dead_rules_weigh_is_unreachable_too(tmp_path: Path) -> None:
    rules = _rules(("dead", "cost > 5", "{pub: 2}"))
    findings = _lint(tmp_path, {EXTRA: PUB + rules.replace("rules:", "\nrules:")})
    assert sorted(f.code for f in findings) == ["unreachable-archetype", "unsatisfiable-condition"]
    (unreachable,) = [f for f in findings if f.code == "unreachable-archetype"]
    assert "(only rules that can never fire weigh it: dead)" in unreachable.message


@pytest.mark.parametrize("weights", ["{pub: 1, prod: 1}", "{pub: 1, dev: 1.5}"])
def test_an_archetype_always_outweighed_in_its_rules_is_dominated(
    tmp_path: Path, weights: str
) -> None:
    rules = _rules(("public", 'sector == "public"', weights)).replace("rules:", "\nrules:")
    finding = _one(_lint(tmp_path, {EXTRA: PUB + rules}), "dominated-archetype")
    assert finding.severity == "warning"
    _at(finding, tmp_path, EXTRA, 2, 9)


def test_an_archetype_a_rule_weighs_most_is_not_dominated(tmp_path: Path) -> None:
    rules = _rules(("public", 'sector == "public"', "{pub: 2, prod: 1}"))
    assert _lint(tmp_path, {EXTRA: PUB + rules.replace("rules:", "\nrules:")}) == []


# --- 5. unread traits ------------------------------------------------------------------------

#: A rule reading `size`, so that only the finding under test is left.
READ = """\
rules:
  - id: big
    when: size >= 4
    weights: {prod: 1}
    rationale: {en: "Big.", fi: "Iso."}
    source: [S-P1]
"""
SIZE = """\
traits:
  - id: size
    type: scale
    kind: lever
    label: {en: Size, fi: Koko}
    description: {en: Size, fi: Koko}
"""


def test_a_trait_without_a_kind_is_a_warning_at_its_id(tmp_path: Path) -> None:
    finding = _one(
        _lint(tmp_path, {EXTRA: SIZE.replace("    kind: lever\n", "") + READ}), "trait-without-kind"
    )
    assert finding.severity == "warning"
    _at(finding, tmp_path, EXTRA, 2, 9)
    assert "'size'" in finding.message
    assert "kind: lever" in finding.hint


def test_a_trait_kind_outside_the_three_is_refused_where_it_is_written(tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "pack", {**CLEAN, EXTRA: SIZE.replace("kind: lever", "kind: leverr") + READ}
    )
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(folder)
    problem = caught.value.problems[0]
    assert (problem.location.line, problem.location.column) == (4, 11)
    assert "'lever', 'circumstance' or 'signal'" in str(problem)


def test_a_trait_no_rule_reads_is_a_warning(tmp_path: Path) -> None:
    finding = _one(_lint(tmp_path, {EXTRA: SIZE}), "unused-trait")
    assert finding.severity == "warning"
    _at(finding, tmp_path, EXTRA, 2, 9)


def test_a_trait_only_a_conflict_rule_reads_is_used(tmp_path: Path) -> None:
    conflict = """
conflicts:
  - id: big_units
    kind: size_conflict
    severity: low
    match:
      u: unit where size >= 4
    explanation: {en: "{u.uid}", fi: "{u.uid}"}
    resolution: {en: r, fi: r}
    source: [S-P1]
kinds:
  - {id: size_conflict, name: {en: size, fi: koko}}
"""
    assert _lint(tmp_path, {EXTRA: SIZE + conflict}) == []


# --- 6. rationale and sources ----------------------------------------------------------------


def test_a_rule_without_source_is_a_warning(tmp_path: Path) -> None:
    rules = _rules(("unsourced", 'sector == "public"', "{prod: 1}")).replace(
        "    source: [S-P1]\n", ""
    )
    finding = _one(_lint(tmp_path, {EXTRA: rules}), "missing-source")
    assert finding.severity == "warning"
    _at(finding, tmp_path, EXTRA, 2, 9)


def test_a_conflict_rule_and_a_link_without_source_are_warnings(tmp_path: Path) -> None:
    text = """\
conflicts:
  - id: unsourced
    kind: measurement_misfit
    severity: low
    match:
      f: fit where in_use and avoid
    explanation: {en: "{f.uid}", fi: "{f.uid}"}
    resolution: {en: r, fi: r}
links:
  - {from: prod, to: milestones, relation: poor_fit, strength: 0.5, reason: {en: h, fi: h}}
kinds:
  - {id: measurement_misfit, name: {en: misfit, fi: huono sopivuus}}
"""
    findings = _lint(tmp_path, {EXTRA: text})
    assert [(f.code, f.location.line) for f in findings] == [
        ("missing-source", 2),
        ("missing-source", 10),
    ]


def test_a_blank_rationale_is_a_warning(tmp_path: Path) -> None:
    rules = _rules(("blank", 'sector == "public"', "{prod: 1}")).replace(
        "{en: r, fi: r}", '{en: " ", fi: " "}'
    )
    finding = _one(_lint(tmp_path, {EXTRA: rules}), "missing-rationale")
    _at(finding, tmp_path, EXTRA, 5, 16)


# --- 7, 8. the graph -------------------------------------------------------------------------


def test_a_model_no_archetype_links_to_is_a_warning(tmp_path: Path) -> None:
    model = (
        "models:\n  - {id: audit, kind: measurement, name: {en: Audit, fi: Auditointi},\n"
        "     description: {en: Audit, fi: Auditointi}}\n"
    )
    finding = _one(_lint(tmp_path, {EXTRA: model}), "unreachable-model")
    _at(finding, tmp_path, EXTRA, 2, 10)


def test_an_archetype_without_a_suits_link_of_a_kind_is_a_warning(tmp_path: Path) -> None:
    pub = PUB.split("  - {from: pub, to: steering")[0]  # keep only the measurement link
    rules = _rules(("public", 'sector == "public"', "{pub: 2}")).replace("rules:", "\nrules:")
    finding = _one(_lint(tmp_path, {EXTRA: pub + rules}), "missing-suits-link")
    _at(finding, tmp_path, EXTRA, 2, 9)
    assert "no `suits` link to a management model" in finding.message


# --- 9. translations -------------------------------------------------------------------------


def test_a_text_without_finnish_is_an_info(tmp_path: Path) -> None:
    rules = _rules(("english", 'sector == "public"', "{prod: 1}")).replace(
        "{en: r, fi: r}", "{en: r}"
    )
    finding = _one(_lint(tmp_path, {EXTRA: rules}), "missing-translation")
    assert finding.severity == "info"
    _at(finding, tmp_path, EXTRA, 5, 16)
    assert finding.message == "rule 'english': no Finnish (fi) text for rationale"


# --- engine limits ---------------------------------------------------------------------------


def test_a_rule_the_engine_would_refuse_is_an_error(tmp_path: Path) -> None:
    when = (
        " and ".join(f"(cost >= {i} or project_share < {i})" for i in range(1, 6))
        + ' and (risky or sector == "public") and ("loyalty" in focus or cost <= 2)'
    )
    finding = _one(_lint(tmp_path, {EXTRA: _rules(("huge", when, "{prod: 1}"))}), "engine-limit")
    assert finding.severity == "error"
    _at(finding, tmp_path, EXTRA, 2, 9)


# --- layered packs ---------------------------------------------------------------------------


def test_findings_in_a_layer_are_located_in_its_own_files(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "pack.yaml").write_text(
        "pack:\n  id: mine\n  name: {en: Mine, fi: Oma}\n  extends: core\n", encoding="utf-8"
    )
    (mine / "more.yaml").write_text(
        "rules:\n  - id: cost_again\n    when: cost_focus > 3\n    weights: {production: 2}\n"
        "    rationale: {en: r, fi: r}\n    source: [S-P1]\n",
        encoding="utf-8",
    )
    kb = load_knowledge_base(mine)
    findings = lint(kb, packs={"mine"})
    finding = _one(findings, "duplicate-rule")
    assert finding.pack == "mine"
    assert Path(finding.location.file).resolve() == (mine / "more.yaml").resolve()
    assert finding.location.line == 2
    assert "'cost_leadership'" in finding.message
    assert {f.pack for f in lint(kb)} == {"mine"}  # the shipped pack itself lints clean
    assert lint(kb, packs={"core"}) == []


#: A layer on the shipped pack with a finding of almost every kind, located in two files.
LAYER = {
    "pack.yaml": """\
pack:
  id: mine
  name: {en: "My pack"}
  extends: core
sources:
  - {id: S-X1, text: {en: "Mine."}}
archetypes:
  - id: hybrid
    name: {en: "Hybrid"}
    tagline: {en: "Both", fi: "Molemmat"}
disable:
  rules: [differentiation]
translations:
  fi:
    archetypes:
      hybrid: {name: "Hybridi"}
    rules:
      cost_ok: {rationale: "Kustannus."}
""",
    "sub/rules.yaml": """\
rules:
  - id: cost_ok
    when: "cost_focus >= 4 and cost_focus < 3"
    weights: {production: 1}
    rationale: {en: "Cost."}
  - id: folded
    when: >
      cost_focus >= 5 and cost_focus <= 4 or goal_clarity >= 5
    weights: {hybrid: 1}
    rationale: {en: " "}
    source: [S-X1]
  - id: mission_customer_benefit
    override: true
    when: 'goal_clarity >= 2 and (cost_focus > 4 and cost_focus < 5 or cost_focus <= 1)'
    weights: {development: 1, production: 3}
    rationale: {en: "Overridden."}
    source: [S-X1]
  - id: twin
    when: goal_clarity >= 2 and cost_focus <= 1
    weights: {development: 1, production: 3}
    rationale: {en: "Twin.", fi: "Kaksonen."}
    source: [S-X1]
traits:
  - id: spare
    type: number
    kind: signal
    label: {en: "Spare"}
    description: {en: "Unused", fi: "K\u00e4ytt\u00e4m\u00e4t\u00f6n"}
models:
  - id: lonely
    kind: management
    name: {en: "Lonely", fi: "Yksin\u00e4inen"}
    description: {en: "No link"}
links:
  - {from: hybrid, to: balanced_scorecard, relation: poor_fit, strength: 0.5, reason: {en: "x"}}
conflicts:
  - id: never
    kind: odd
    severity: low
    match:
      a: unit where cost_focus > 5
      b: fit where score > 2 and score < 1
    explanation: {en: "{a.uid}"}
    resolution: {en: "Fix.", fi: "Korjaa."}
""",
}


def test_lint_reads_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every location comes from the knowledge base: lint gives the same after the pack moved."""
    mine = tmp_path / "mine"
    for name, text in LAYER.items():
        (mine / name).parent.mkdir(parents=True, exist_ok=True)
        (mine / name).write_text(text, encoding="utf-8")
    kb = load_knowledge_base(mine)
    before = lint(kb)
    assert {f.code for f in before} == {
        "unsatisfiable-condition",
        "unsatisfiable-branch",
        "duplicate-rule",
        "unused-trait",
        "missing-source",
        "missing-rationale",
        "unreachable-model",
        "missing-suits-link",
        "missing-translation",
        "missing-form",  # a new mode without the forms the shipped Finnish texts quote
        "unnamed-kind",  # kind: odd
    }
    (form,) = [f for f in before if f.code == "missing-form"]  # one finding for the mode
    assert form.message.startswith(
        "archetype 'hybrid' has no fi adessive, genitive or nominative form, which the texts of "
        "rules 'desired_mode_crosses_current'"
    )
    assert form.severity == "error"
    assert str(form.location).endswith("mine/pack.yaml:9:11")  # the mode's name
    rules = str(mine / "sub" / "rules.yaml")
    places = {(f.code, f.message.split(":")[0]): str(f.location) for f in before}
    assert places["unsatisfiable-condition", "rule 'cost_ok' can never fire"].endswith(
        "rules.yaml:3:12"  # inside a double-quoted condition
    )
    assert places["unsatisfiable-branch", "rule 'folded'"].endswith("rules.yaml:7:11")  # folded
    assert places["missing-translation", "pack"].endswith("mine/pack.yaml:3:9")
    own = [f for f in before if f.pack == "mine"]
    assert {f.location.file for f in own} == {rules, str(mine / "pack.yaml")}
    below = _one([f for f in before if f.pack == "core"], "unused-trait")  # its rule disabled
    traits = shipped_rules_dir() / "traits.yaml"
    line = traits.read_text("utf-8").splitlines().index("  - id: differentiation_focus") + 1
    assert (below.location.file, below.location.line) == (display_path(traits), line)

    mine.rename(tmp_path / "moved")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"lint read {args[:1]}")

    monkeypatch.setattr(Path, "open", refuse)
    monkeypatch.setattr(Path, "rglob", refuse)
    monkeypatch.setattr(Path, "read_text", refuse)
    assert to_json(lint(kb)) == to_json(before)
    assert to_text(lint(kb, packs={"mine"})) == to_text(own)


# --- output ----------------------------------------------------------------------------------


def _several(tmp_path: Path) -> list[Finding]:
    rules = _rules(("never", "cost > 5", "{prod: 1}"), ("narrow", "cost == 5", "{prod: 2}"))
    rules += (
        "  - id: unsourced\n    when: 'sector == \"public\"'\n    weights: {prod: 1}\n"
        "    rationale: {en: r, fi: r}\n"
    )
    return _lint(tmp_path, {EXTRA: rules})


def test_json_output_has_one_object_per_finding_and_a_summary(tmp_path: Path) -> None:
    findings = _several(tmp_path)
    data = json.loads(to_json(findings))
    assert set(data) == {"findings", "summary"}
    assert data["summary"] == {"error": 1, "warning": 2, "info": 0}
    assert [f["code"] for f in data["findings"]] == [
        "unsatisfiable-condition",
        "subsumed-rule",
        "missing-source",
    ]
    first = data["findings"][0]
    assert set(first) == {"code", "severity", "file", "line", "column", "message", "hint", "pack"}
    assert (first["severity"], first["line"], first["column"], first["pack"]) == (
        "error",
        3,
        WHEN,
        "mini",
    )
    assert first["file"].endswith(EXTRA)
    assert isinstance(first["hint"], str)
    assert first["hint"]


def test_text_output_names_file_line_column_severity_and_code(tmp_path: Path) -> None:
    findings = _several(tmp_path)
    text = to_text(findings)
    lines = text.splitlines()
    assert lines[0].endswith(
        f"{EXTRA}:3:{WHEN}: error: rule 'never' can never fire: no value "
        "of 'cost' (a scale (1-5)) satisfies `cost > 5` "
        "[unsatisfiable-condition]"
    )
    assert lines[1].startswith("    hint: ")
    assert lines[-1] == "1 error, 2 warnings, 0 infos"
    assert to_text([]) == "0 errors, 0 warnings, 0 infos\n"


def test_lint_is_deterministic_and_sorted_by_place(tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "pack",
        {
            **CLEAN,
            EXTRA: _rules(
                ("never", "cost > 5", "{prod: 1}"),
                ("narrow", "cost == 5", "{prod: 2}"),
                ("other", "cost <= 4", "{dev: 2}"),
            ),
        },
    )
    first = lint(load_knowledge_base(folder))
    again = lint(load_knowledge_base(folder))
    assert first == again
    assert to_json(first) == to_json(again)
    places = [(f.location.file, f.location.line or 0, f.location.column or 0) for f in first]
    assert places == sorted(places)
    assert len(first) == 3


def test_has_errors_only_for_errors() -> None:
    warning = Finding("unused-trait", "warning", Location("a.yaml", 1, 1), "m", "h")
    error = Finding("duplicate-rule", "error", Location("a.yaml", 2, 1), "m", "h")
    assert not has_errors([warning])
    assert has_errors([warning, error])
    assert summary([warning, error]) == {"error": 1, "warning": 1, "info": 0}


# --- the reasoning, against brute force ------------------------------------------------------

#: Every comparison the generated conditions make, and units that meet every combination of them:
#: for numbers, each constant and its neighbours 0.000001 away stand for all numbers between.
_LEAVES = st.one_of(
    st.builds(
        lambda op, k: f"cost {op} {k}",
        st.sampled_from(["==", "!=", ">=", "<=", ">", "<"]),
        st.integers(1, 5),
    ),
    st.sampled_from(["risky", "not risky"]),
    st.builds(
        lambda op, v: f'sector {op} "{v}"',
        st.sampled_from(["==", "!="]),
        st.sampled_from(["public", "private"]),
    ),
    st.builds(lambda v: f'"{v}" in focus', st.sampled_from(["loyalty", "cost"])),
    st.builds(
        lambda op, c: f"project_share {op} {c}",
        st.sampled_from(["==", "!=", ">=", "<=", ">", "<"]),
        st.sampled_from(["0", "50", "50.5", "100"]),
    ),
)
_CONDITIONS = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a} and {b})", inner, inner),
        st.builds(lambda a, b: f"({a} or {b})", inner, inner),
        st.builds(lambda a: f"not ({a})", inner),
    ),
    max_leaves=5,
)
_SAMPLES: dict[str, list[cond.TraitValue]] = {
    "cost": [1, 2, 3, 4, 5],
    "risky": [True, False],
    "sector": ["public", "private"],
    "focus": [frozenset(s) for s in ([], ["loyalty"], ["cost"], ["loyalty", "cost"])],
    "project_share": [
        0,
        0.000001,
        49.999999,
        50,
        50.000001,
        50.499999,
        50.5,
        50.500001,
        99.999999,
        100,
    ],
}


def _units(traits: Iterable[str]) -> Iterator[dict[str, cond.TraitValue]]:
    names = sorted(set(traits))
    options = [[None, *_SAMPLES[name]] for name in names]
    for values in itertools.product(*options):
        yield {n: v for n, v in zip(names, values, strict=True) if v is not None}


def _rule(rule_id: str, when: str, weights: dict[str, float]) -> Rule:
    spec = ScoringRule(
        id=rule_id, when=when, weights=weights, rationale=Text(en="r", fi="r"), source=("S-P1",)
    )
    return Rule(spec, cond.normalise(cond.parse(when)), Location("z.yaml", 1, 1), "mini")


@pytest.fixture(scope="module")
def clean_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return load_knowledge_base(write_pack(tmp_path_factory.mktemp("clean") / "pack", CLEAN))


def _parse_example(message: str, kb: KnowledgeBase) -> dict[str, cond.TraitValue]:
    text = message.split("e.g. for ", 1)[1].split(": one trait pattern", 1)[0]
    unit: dict[str, cond.TraitValue] = {}
    for name, raw in re.findall(r"(\w+)=(\[[^\]]*\]|[^,]+)", text):
        kind = kb.traits[name].type
        if kind == "set":
            unit[name] = frozenset(v for v in raw.strip("[]").split(", ") if v)
        elif kind == "bool":
            unit[name] = raw == "true"
        elif kind in ("scale", "number"):
            unit[name] = float(raw) if "." in raw else int(raw)
        else:
            unit[name] = raw
    return unit


@pytest.mark.slow  # 200 pairs of rules, each linted and checked against generated units
@settings(max_examples=200, deadline=None)
@given(first=_CONDITIONS, second=_CONDITIONS, other_archetype=st.booleans())
def test_claims_about_conditions_hold_for_every_unit(
    clean_kb: KnowledgeBase, first: str, second: str, other_archetype: bool
) -> None:
    a = _rule("aaa", first, {"prod": 1})
    b = _rule("bbb", second, {"dev": 1} if other_archetype else {"prod": 1})
    findings = lint(dataclasses.replace(clean_kb, rules=(a, b)))
    units = list(_units([*cond.traits_of(a.condition), *cond.traits_of(b.condition)]))
    meets_a = [cond.evaluate(a.condition, unit) for unit in units]
    meets_b = [cond.evaluate(b.condition, unit) for unit in units]
    dead = {f.message.split("'")[1] for f in findings if f.code == "unsatisfiable-condition"}
    assert dead == {r.id for r, meets in ((a, meets_a), (b, meets_b)) if not any(meets)}
    for branch in (f for f in findings if f.code == "unsatisfiable-branch"):
        alternative = cond.normalise(cond.parse(branch.message.split("`")[1]))
        assert not any(cond.evaluate(alternative, unit) for unit in units), branch
    if dead:
        return
    a_in_b = all(y for x, y in zip(meets_a, meets_b, strict=True) if x)
    b_in_a = all(x for x, y in zip(meets_a, meets_b, strict=True) if y)
    codes = {f.code: f for f in findings}
    if other_archetype:
        overlap = codes.get("contradictory-overlap")
        if a_in_b or b_in_a:
            assert overlap is not None, to_text(findings)
        if overlap is not None:
            unit = _parse_example(overlap.message, clean_kb)
            assert cond.evaluate(a.condition, unit)
            assert cond.evaluate(b.condition, unit)
        return
    if a_in_b and b_in_a:
        assert "duplicate-rule" in codes, to_text(findings)
    elif a_in_b or b_in_a:
        narrow = "aaa" if a_in_b else "bbb"
        assert f"'{narrow}' is subsumed" in codes["subsumed-rule"].message, to_text(findings)
    else:
        assert not {"duplicate-rule", "subsumed-rule"} & set(codes), to_text(findings)


# --- kinds of finding ---------------------------------------------------------------------------

UNNAMED = """\
conflicts:
  - id: big_units
    kind: size_conflikt
    severity: low
    match:
      u: unit where size >= 4
    explanation: {en: "{u.uid}", fi: "{u.uid}"}
    resolution: {en: r, fi: r}
    source: [S-P1]
"""


def test_a_kind_the_pack_does_not_name_is_a_warning_with_a_did_you_mean(tmp_path: Path) -> None:
    named = "kinds:\n  - {id: size_conflict, name: {en: size, fi: koko}}\n"
    finding = _one(_lint(tmp_path, {EXTRA: SIZE + UNNAMED + named}), "unnamed-kind")
    assert finding.severity == "warning"
    _at(finding, tmp_path, EXTRA, SIZE.count("\n") + 3, 11)  # the value of `kind:`
    assert "kind 'size_conflikt' of conflict rule 'big_units' has no name" in finding.message
    assert finding.hint == "did you mean 'size_conflict'?"
    nothing_close = _one(_lint(tmp_path / "2", {EXTRA: SIZE + UNNAMED}), "unnamed-kind")
    assert nothing_close.hint is not None
    assert "kinds:" in nothing_close.hint
