"""Conflict rules: loading them with located errors, running them as engine joins, the output."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeadvisor import Advisor, KnowledgeBase, KnowledgeBaseError, load_knowledge_base
from modeadvisor.agreement import consensus, rwg
from modeadvisor.authoring._trees import flat_parent
from modeadvisor.backends import durable_available
from modeadvisor.knowledge import shipped_rules_dir
from modeadvisor.reports.html import to_html
from modeadvisor.reports.markdown import to_markdown
from modeadvisor.reports.text import to_text

from .conftest import ROOT, write_pack

MANUFACTURER = ROOT / "examples" / "manufacturer.yaml"

RULE = """conflicts:
  - id: c1
    kind: unit_mode_conflict
    severity: medium
    match:
      a: {a}
      b: {b}
    explanation: {{en: "{text}"}}
    resolution: {{en: "r"}}
"""


def _load(tmp_path: Path, a: str, b: str = "fit", text: str = "x") -> KnowledgeBase:
    return load_knowledge_base(
        write_pack(tmp_path, {"conflicts.yaml": RULE.format(a=f"'{a}'", b=f"'{b}'", text=text)})
    )


def _error(tmp_path: Path, a: str, b: str = "fit", text: str = "x") -> str:
    with pytest.raises(KnowledgeBaseError) as raised:
        _load(tmp_path, a, b, text)
    return str(raised.value)


# --- loading conflict rules: every mistake located -------------------------------------------


def test_a_valid_join_loads(tmp_path: Path) -> None:
    kb = _load(
        tmp_path,
        "fit where recommended",
        "fit where avoid and model == a.model",
        "{a.uid} and {b.uid}",
    )
    (rule,) = kb.conflicts
    assert [(p.alias, p.kind) for p in rule.patterns] == [("a", "fit"), ("b", "fit")]
    assert rule.origin.file == "conflicts.yaml"
    assert rule.origin.line == 2


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ("fits where avoid", "fit", "'fits' is not a kind of fact"),
        ("fit where scor > 0.1", "fit", "unknown field 'scor' of fit facts"),
        ('fit where score == "high"', "fit", "'score' is a number"),
        ('fit where model == "bsc"', "fit", "'bsc' is not a value of 'model'"),
        ("fit", "fit where model != a.model", "only == may join two facts"),
        ("fit", "fit where score > a.score", "only == may join two facts"),
        ("fit", "fit where not (model == a.model)", "only == may join two facts"),
        ("fit where model == b.model", "fit", "'b' is not bound above 'a'"),
        ("fit", "fit where model == c.model", "unknown alias 'c'"),
        ("fit", "fit where model == a.dominant", "cannot be joined"),
        ("fit", "fit where model == a.modle", "unknown field 'modle' of fit facts"),
        ("fit where score > $avoid_mni", "fit", "unknown setting '$avoid_mni'"),
        ("fit where model == $avoid_min", "fit", "a $setting is a number"),
        ("unit where cost >= 9", "fit", "outside the scale"),
        ('unit where uid > "a"', "fit", "is a unit id"),
        ("fit where (score > 0.1", "fit", "condition does not parse"),
        ("fit where", "fit", "expected `KIND` or `KIND where CONDITION`"),
        ("fit when avoid", "fit", "expected `KIND` or `KIND where CONDITION`"),
    ],
)
def test_conflict_rule_mistakes_are_located(tmp_path: Path, a: str, b: str, message: str) -> None:
    error = _error(tmp_path, a, b)
    assert message in error
    assert "conflicts.yaml:" in error


def test_did_you_mean_for_kinds_fields_and_settings(tmp_path: Path) -> None:
    assert "did you mean 'fit'" in _error(tmp_path, "fitt")
    assert "did you mean 'score'" in _error(tmp_path, "fit where scor > 0")
    assert "did you mean 'avoid_min'" in _error(tmp_path, "fit where score > $avoid_mni")


def test_the_error_column_points_into_the_condition(tmp_path: Path) -> None:
    error = _error(tmp_path, 'fit where score > 0.1 and modle == "x"')
    line = next(part for part in error.split() if part.startswith(str(tmp_path)))
    assert line.endswith(":6:37:")  # the `m` of modle in `      a: 'fit where ... and modle`


def test_placeholders_must_name_aliases_and_fields(tmp_path: Path) -> None:
    assert "'{c.uid}' names no alias" in _error(tmp_path, "fit", text="{c.uid}")
    assert "fit facts have no field 'uidd'" in _error(tmp_path, "fit", text="{a.uidd}")


FINDING_RULE = """conflicts:
  - id: c1
    kind: measurement_misfit
    severity: {severity}
    match:
      i: 'imposed where model_kind == "measurement"'
      f: 'fit where avoid and model == i.model'
    finding: {finding}
    explanation: {{en: "x"}}
    resolution: {{en: "r"}}
"""
LADDER = "[{{level: high, when: {{{alias}: '{condition}'}}}}, {{level: low}}]"


@pytest.mark.parametrize(
    ("severity", "finding", "where", "message", "hint"),
    [
        ("medium", "{about: [g.model]}", ":8:23:", "'g.model': 'g' names no alias", None),
        ("medium", "{about: [f.modle]}", ":8:23:", "fit facts have no field 'modle'", "'model'"),
        ("medium", "{about: [i.uid]}", ":8:23:", "imposed facts have no field 'uid'", None),
        ("medium", "{about: [model]}", ":8:23:", "'model' is not alias.field", None),
        (
            "[{level: high, when: {f: 'score <= -0.5'}}]",
            "{about: [f.model]}",
            ":4:16:",
            "the last step of a severity ladder needs no `when`",
            None,
        ),
        ("[]", "{about: [f.model]}", ":4:15:", "a severity ladder needs at least one step", None),
        (
            LADDER.format(alias="g", condition="score <= -0.5"),
            "{about: [f.model]}",
            ":4:37:",
            "'g' names no alias of `match`",
            None,
        ),
        (
            LADDER.format(alias="i", condition="score <= -0.5"),
            "{about: [f.model]}",
            ":4:41:",
            "unknown field 'score' of imposed facts",
            None,
        ),
        (
            LADDER.format(alias="f", condition="scor <= -0.5"),
            "{about: [f.model]}",
            ":4:41:",
            "unknown field 'scor' of fit facts",
            "'score'",
        ),
        (
            LADDER.format(alias="f", condition="score <= -$misfit_hihg"),
            "{about: [f.model]}",
            ":4:41:",
            "unknown setting '$misfit_hihg'",
            "'misfit_high'",
        ),
        (
            LADDER.format(alias="f", condition="model == i.model"),
            "{about: [f.model]}",
            ":4:41:",
            "a severity step weighs the fact bound to 'f' alone and cannot join 'i.model'",
            None,
        ),
    ],
)
def test_finding_and_severity_mistakes_are_located(
    tmp_path: Path, severity: str, finding: str, where: str, message: str, hint: str | None
) -> None:
    text = FINDING_RULE.format(severity=severity, finding=finding)
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge_base(write_pack(tmp_path, {"conflicts.yaml": text}))
    (problem,) = raised.value.problems
    assert f"conflicts.yaml{where}" in str(raised.value)
    assert message in problem.message
    if hint is not None:
        assert f"did you mean {hint}" in str(raised.value)


def test_a_ladder_step_may_read_a_negated_setting_and_a_finding_a_trait(tmp_path: Path) -> None:
    text = (
        FINDING_RULE.format(
            severity=LADDER.format(alias="f", condition="score <= -$misfit_high"),
            finding="{about: [f.model], topic: misfits}",
        )
        .replace(
            "      f: 'fit where avoid and model == i.model'",
            "      f: 'fit where avoid and model == i.model'\n      u: 'unit where uid == f.uid'",
        )
        .replace("about: [f.model]", "about: [f.model, u.sector]")
    )
    kb = load_knowledge_base(write_pack(tmp_path, {"conflicts.yaml": text}))
    (rule,) = kb.conflicts
    assert rule.about == (("f", "model"), ("u", "sector"))
    assert rule.topic == "misfits"
    assert [level for level, _ in rule.severity] == ["high", "low"]


def test_scoring_rules_cannot_join(tmp_path: Path) -> None:
    rules = "rules:\n  - {id: j, when: 'cost == a.cost', weights: {prod: 1}, rationale: {en: r}}\n"
    with pytest.raises(KnowledgeBaseError, match="references to other facts"):
        load_knowledge_base(write_pack(tmp_path, {"more.yaml": rules}))


def test_a_trait_may_not_take_a_unit_field_name(tmp_path: Path) -> None:
    traits = "traits:\n  - {id: status, type: bool, label: {en: s}, description: {en: s}}\n"
    with pytest.raises(KnowledgeBaseError, match="trait id 'status' is reserved"):
        load_knowledge_base(write_pack(tmp_path, {"more.yaml": traits}))


def test_too_many_aliases_are_refused(tmp_path: Path) -> None:
    match = "\n".join(f"      a{i}: fit" for i in range(5))
    text = RULE.replace("      a: {a}\n      b: {b}", match).format(text="x")
    with pytest.raises(KnowledgeBaseError, match="at most 4"):
        load_knowledge_base(write_pack(tmp_path, {"conflicts.yaml": text}))


def test_unknown_settings_override_is_refused(shipped_kb: KnowledgeBase) -> None:
    with pytest.raises(KnowledgeBaseError, match="did you mean 'perspective_threshold'"):
        shipped_kb.with_settings(perspective_treshold=0.2)
    with pytest.raises(KnowledgeBaseError, match="perspective_threshold"):
        shipped_kb.with_settings(perspective_threshold=2)


def test_every_shipped_conflict_rule_cites_a_source_and_speaks_finnish(
    shipped_kb: KnowledgeBase,
) -> None:
    kinds = {rule.spec.kind for rule in shipped_kb.conflicts}
    assert kinds == {
        "unit_mode_conflict",
        "measurement_misfit",
        "perspective_conflict",
        "say_do_mismatch",
        "customer_expectation_mismatch",
        "respondent_disagreement",
    }
    for rule in shipped_kb.conflicts:
        assert rule.spec.source, rule.id
        assert rule.spec.explanation.fi, rule.id
        assert rule.spec.resolution.fi, rule.id


# --- the engine runs the joins exactly as the reference ----------------------------------------


@pytest.mark.skipif(not durable_available(), reason="durable-rules does not import here")
def test_engine_joins_match_the_reference_in_a_subprocess() -> None:
    """Generated rules and facts through the real loader, compiler and engine (see the script)."""
    script = ROOT / "fuzz" / "joins_differential.py"
    result = subprocess.run(
        [sys.executable, str(script), "150", "7"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("cases 450 ")
    assert "mismatches 0" in result.stdout


# --- output, symmetry and order ----------------------------------------------------------------


def test_manufacturer_conflicts(advisor: Advisor) -> None:
    advice = advisor.assess(MANUFACTURER)
    found = {c.id: (c.kind, c.severity, c.units) for c in advice.conflicts}
    assert found == {
        "measurement_misfit:balanced_scorecard": ("measurement_misfit", "high", ["rnd"]),
        # one finding per parent and model some unit of the group uses, the parent first, then
        # its units in tree order; continuity leadership and resource steering split the group
        # too, but no unit uses them (their own advice says to avoid them where they misfit)
        **{
            f"units_split_on_model:group:{model}": ("unit_mode_conflict", "high", units)
            for model in ["balanced_scorecard", "financial_time_series"]
            for units in [["group", "plant", "rnd"]]
        },
    }
    split = next(
        c for c in advice.conflicts if c.id == "units_split_on_model:group:balanced_scorecard"
    )
    assert split.explanation.startswith(
        "In Konsernin johto and the units directly under it, the modes differ so much that "
        "Balanced scorecard (BSC) suits 2 of them and fits 1 poorly"
    )
    assert split.details == [
        "Konsernin johto (Production-oriented): fit 0.90",
        "Tampereen tehdas (Production-oriented): fit 0.90",
        "Tuotekehitys, Espoo (Product/service-development-oriented): fit -0.74",
    ]
    assert split.origin.startswith("conflicts.yaml:")
    assert [m.rule for m in split.matches] == ["units_split_on_model"] * 3
    assert {frozenset(m.facts) for m in split.matches} == {frozenset({"s", "f"})}
    assert advice.worst_severity() == "high"


def test_the_misfit_names_the_mode_that_causes_it(advisor: Advisor) -> None:
    """The -0.74 of the scorecard in R&D comes from its development share, and the detail says so
    (not the dominant mode by default: the two are the same here, but the fact is `cause`)."""
    (misfit,) = [
        c for c in advisor.assess(MANUFACTURER).conflicts if c.kind == "measurement_misfit"
    ]
    match, own_signal = misfit.matches
    assert (match.facts["f"]["cause"], match.facts["f"]["cause_share"]) == ("development", 0.9286)
    assert "because of its Product/service-development-oriented share (0.93)" in misfit.details[0]
    # R&D rates its period figures 2 of 5: its own signal folds into the same finding
    assert own_signal.rule == "period_figures_miss_the_work"
    assert misfit.details[1] == "Tuotekehitys, Espoo: period figures show the real situation 2 of 5"


def test_a_units_own_signal_alone_is_a_medium_finding(advisor: Advisor) -> None:
    """A production plant that says its period figures miss its situation, yet follows itself by
    them: no misfit of its mode, but its own account is a finding about the model (S-D11, S-S7)."""
    units = _manufacturer_units()
    plant = dict(units[1], traits={**units[1]["traits"], "periodic_figures_informative": 2})
    advice = advisor.assess(_org_with_units([units[0], plant]))
    found = [(c.id, c.severity, c.units, c.rules) for c in advice.conflicts]
    assert found == [
        (
            f"measurement_misfit:{model}",
            "medium",
            ["plant"],
            ["period_figures_miss_the_work"],
        )
        for model in ("balanced_scorecard", "financial_time_series")
    ]


def test_grammar_follows_the_count_of_units(shipped_kb: KnowledgeBase) -> None:
    """`[one|many]` in a text: one unit reads in the singular, two in the plural, in Finnish as
    in English; a view is named as the reports name it."""
    finnish = Advisor(shipped_kb, lang="fi")
    units = _manufacturer_units()
    one = next(c for c in finnish.assess(MANUFACTURER).conflicts if c.kind == "measurement_misfit")
    assert "on käytössä yksikössä Tuotekehitys, Espoo, jonka toimintatapaan" in one.explanation
    twin = dict(units[2], id="rnd-2", name="Toinen laboratorio")
    two = next(
        c
        for c in finnish.assess(_org_with_units([*units, twin])).conflicts
        if c.kind == "measurement_misfit"
    )
    assert (
        "on käytössä yksiköissä Tuotekehitys, Espoo ja Toinen laboratorio, joiden toimintatapaan"
        in two.explanation
    )
    service = finnish.assess(ROOT / "examples" / "service-company.yaml")
    (expectation,) = [c for c in service.conflicts if c.kind == "customer_expectation_mismatch"]
    assert "(näkymät: nykyinen (havaittu) ja strategian mukainen)" in expectation.explanation


def test_finnish_numbers_have_a_decimal_comma(shipped_kb: KnowledgeBase) -> None:
    advice = Advisor(shipped_kb, lang="fi").assess(MANUFACTURER)
    split = next(
        c for c in advice.conflicts if c.id == "units_split_on_model:group:balanced_scorecard"
    )
    assert split.details[0].endswith("sopivuus 0,90")
    assert split.details[2].endswith("sopivuus -0,74")


def test_conflicts_are_in_the_json(advisor: Advisor) -> None:
    data = json.loads(advisor.assess(MANUFACTURER).to_json())
    conflict = data["conflicts"][0]
    assert {"kind", "severity", "units", "explanation", "resolution", "rule", "source"} <= set(
        conflict
    )


def _org_with_units(units: list[dict[str, object]], **extra: object) -> dict[str, object]:
    return {"organisation": "o", "units": units, **extra}


def _manufacturer_units() -> list[dict[str, Any]]:
    import yaml

    data = yaml.safe_load(MANUFACTURER.read_text(encoding="utf-8"))
    return list(data["units"])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_conflicts_do_not_depend_on_the_order_of_units(advisor: Advisor, seed: int) -> None:
    units = _manufacturer_units()
    twin = dict(units[1], id="plant-2", name="Second plant")  # a second production sibling
    units.append(twin)
    expected = advisor.assess(_org_with_units(units)).conflicts
    shuffled = list(units)
    random.Random(seed).shuffle(shuffled)
    assert advisor.assess(_org_with_units(shuffled)).conflicts == expected


def test_a_parent_child_and_sibling_clash_on_one_model_is_one_finding(advisor: Advisor) -> None:
    """R&D against group management and against the plant, on the scorecard: one finding about
    the group and the model, not a pair each way."""
    advice = advisor.assess(_org_with_units(_manufacturer_units()))
    ids = [c.id for c in advice.conflicts]
    assert len(ids) == len(set(ids))
    on_bsc = [c for c in advice.conflicts if "balanced_scorecard" in c.id]
    assert [(c.kind, c.units) for c in on_bsc] == [
        ("measurement_misfit", ["rnd"]),
        ("unit_mode_conflict", ["group", "plant", "rnd"]),
    ]


def test_an_imposed_model_in_use_too_is_one_finding_with_both_rules(advisor: Advisor) -> None:
    units = _manufacturer_units()
    twin = dict(units[2], id="rnd-2", name="Second lab")  # another lab, on the scorecard too
    advice = advisor.assess(_org_with_units([*units, twin], imposed_models=["balanced_scorecard"]))
    (misfit,) = [c for c in advice.conflicts if c.kind == "measurement_misfit"]
    assert misfit.id == "measurement_misfit:balanced_scorecard"
    assert misfit.units == ["rnd", "rnd-2"]
    assert misfit.rules == [
        "imposed_measurement_misfits_mode",
        "measurement_in_use_misfits_mode",
        "period_figures_miss_the_work",  # medium: after the high ones
        "imposed_period_figures_miss_the_work",
    ]
    assert misfit.rule == "imposed_measurement_misfits_mode"  # the pack's first at one level
    assert "fits the modes of Tuotekehitys, Espoo and Second lab poorly" in misfit.explanation
    assert len(misfit.matches) == 8  # imposed, in use, own signal twice, per lab: none is lost
    # the own signal, imposed and in use, says the same of each lab: one line each
    signals = [d for d in misfit.details if "period figures" in d]
    assert signals == [
        "Tuotekehitys, Espoo: period figures show the real situation 2 of 5",
        "Second lab: period figures show the real situation 2 of 5",
    ]


def test_a_packs_own_rule_groups_its_pairs_by_what_it_declares(tmp_path: Path) -> None:
    """The grouping is data: a consultant's pairwise rule that says what its finding is about
    folds every pair into one finding per value, with every match kept."""
    rule = """conflicts:
  - id: same_sector
    kind: unit_mode_conflict
    severity: low
    match:
      a: unit
      b: unit where sector == a.sector
    finding: {about: [a.sector]}
    explanation: {en: "{a.uid} and {b.uid} share a sector"}
    resolution: {en: "r"}
"""
    pack = write_pack(tmp_path, {"conflicts.yaml": rule})
    units = [
        {"id": f"u{i}", "traits": {"cost": 5, "sector": "public" if i < 4 else "private"}}
        for i in range(13)
    ]
    advice = Advisor.from_path(pack).assess({"organisation": "o", "units": units})
    assert [(c.id, len(c.units), len(c.matches)) for c in advice.conflicts] == [
        ("same_sector:public", 4, 4 * 3),
        ("same_sector:private", 9, 9 * 8),
    ]
    assert advice.conflicts[0].explanation.startswith("u0, u1, u2 and u3 and ")
    # past six values, five are named (in tree order: siblings by id) and the rest counted
    assert advice.conflicts[1].explanation.startswith("u10, u11, u12, u4, u5 and 4 more and ")


def test_finding_ids_are_the_same_whatever_the_order_or_the_backend(advisor: Advisor) -> None:
    units = _manufacturer_units()
    forward = [c.id for c in advisor.assess(_org_with_units(units)).conflicts]
    backward = [c.id for c in advisor.assess(_org_with_units(units[::-1])).conflicts]
    vectorised = Advisor(advisor.knowledge_base, backend="vectorised")
    assert (
        forward == backward == [c.id for c in vectorised.assess(_org_with_units(units)).conflicts]
    )


def test_the_misfit_thresholds_are_settings(advisor: Advisor) -> None:
    """-0.74 is high by default (misfit_high 0.5); with misfit_high 0.8 it is medium, and with
    misfit_medium 0.8 as well, low (R&D's period figures rated 3 here: no signal of its own)."""
    units = _manufacturer_units()
    units[2] = dict(units[2], traits={**units[2]["traits"], "periodic_figures_informative": 3})

    def level(**settings: float) -> str:
        kb = advisor.knowledge_base.with_settings(**settings)
        advice = Advisor(kb).assess(_org_with_units(units))
        (misfit,) = [c for c in advice.conflicts if c.kind == "measurement_misfit"]
        return misfit.severity

    assert level() == "high"
    assert level(misfit_high=0.8) == "medium"
    assert level(misfit_high=0.9, misfit_medium=0.8) == "low"


def test_conflicts_do_not_depend_on_the_order_of_rule_files(
    tmp_path: Path, advisor: Advisor
) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(shipped_rules_dir(), folder)
    text = (folder / "conflicts.yaml").read_text(encoding="utf-8")
    head, *rules = text.split("\n  - id: ")
    (folder / "conflicts.yaml").unlink()
    (folder / "a-conflicts.yaml").write_text(
        head + "\n  - id: " + "\n  - id: ".join(reversed(rules)), encoding="utf-8"
    )
    other = Advisor(load_knowledge_base(folder))

    def comparable(a: Advisor) -> list[tuple[str, str, list[str], str]]:
        return [
            (c.rule, c.severity, c.units, c.explanation) for c in a.assess(MANUFACTURER).conflicts
        ]

    assert comparable(other) == comparable(advisor)


def test_units_in_one_mode_give_no_conflict(advisor: Advisor) -> None:
    units = _manufacturer_units()
    plant = units[1]
    org = _org_with_units([units[0], plant, dict(plant, id="plant-2")])
    assert advisor.assess(org).conflicts == []


# --- findings stay few however many units -----------------------------------------------------

FLAT_FINDINGS = [
    "measurement_misfit:balanced_scorecard",  # imposed on all, misfits every development child
    # the one model of the split in use (the children use the models that suit their modes
    # best); the imposed scorecard is the finding above, not a split
    "units_split_on_model:u0:resource_steering",
]


def test_findings_do_not_grow_with_the_children_and_the_json_grows_linearly(
    shipped_kb: KnowledgeBase,
) -> None:
    """A production parent with children alternately in production and development: 50 or 500
    children give the same findings (one per parent and model, one per model misfitting);
    the matches and the JSON grow with the units, never with their pairs."""
    advisor = Advisor(shipped_kb, backend="vectorised")
    small, large = (advisor.assess(flat_parent(shipped_kb, n, 3)) for n in (50, 500))
    assert [(c.id, c.severity) for c in small.conflicts] == [
        (c.id, c.severity) for c in large.conflicts
    ]
    assert [c.id for c in large.conflicts] == FLAT_FINDINGS
    split = large.conflicts[1]
    assert len(split.units) == len(split.matches) == 501  # the parent and every child, once
    assert "suits 251 of them and fits 250 poorly" in split.explanation
    per_unit = [len(a.to_json()) / len(a.units) for a in (small, large)]
    assert 0.9 < per_unit[1] / per_unit[0] < 1.1
    assert sum(len(c.matches) for c in large.conflicts) < 5 * len(large.units)


def test_a_finding_of_many_units_is_shown_capped_with_counts(shipped_kb: KnowledgeBase) -> None:
    """Text, Markdown and HTML name the first units and details of a finding and count the rest;
    the JSON keeps every match."""
    advice = Advisor(shipped_kb, backend="vectorised", lang="fi").assess(
        flat_parent(shipped_kb, 40, 1)
    )
    split = advice.conflicts[1]
    assert len(split.units) == len(split.details) == 41
    text = to_text(advice)
    assert (
        "yksiköiden toimintatavat eroavat: u0, u1, u10, u11, u12, u13, u14, u15 ja 33 muuta\n"
        in text
    )
    assert "      ... ja 29 muuta (kaikki ovat JSON-tulosteessa)" in text
    assert "ja 33 muuta" in to_markdown(advice)
    assert '<li class="more">... ja 29 muuta' in to_html(advice)
    assert len(json.loads(advice.to_json())["conflicts"][1]["matches"]) == 41


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(children=st.integers(20, 120), seed=st.integers(0, 10_000))
def test_one_finding_per_parent_and_model_whatever_the_number_of_children(
    shipped_kb: KnowledgeBase, children: int, seed: int
) -> None:
    advice = Advisor(shipped_kb, backend="vectorised").assess(
        flat_parent(shipped_kb, children, seed)
    )
    assert [c.id for c in advice.conflicts] == FLAT_FINDINGS


# --- perspectives and respondents --------------------------------------------------------------


def test_a_stated_strategy_is_compared_with_the_current_mode(advisor: Advisor) -> None:
    units = _manufacturer_units()
    units[2] = dict(units[2], perspectives={"strategy": ["customer_service", "development"]})
    advice = advisor.assess(_org_with_units(units))
    (conflict,) = [c for c in advice.conflicts if c.kind == "perspective_conflict"]
    assert conflict.units == ["rnd"]
    assert any("customer" in d.lower() for d in conflict.details)
    assert advice.unit("rnd").perspectives["strategy"]["customer_service"] == pytest.approx(0.75)


def test_a_ranking_that_agrees_with_the_current_lead_mode_is_a_low_shift(
    advisor: Advisor,
) -> None:
    """R&D leads with development (0.93); a strategy ranking development first gives it 0.75 by
    rank-order centroid: a shift of emphasis (gap 0.18), never a crossing. With `lead_only` the
    ranking is development 1.0, within the threshold of the current 0.93: nothing to say."""
    units = _manufacturer_units()
    units[2] = dict(units[2], perspectives={"strategy": ["development", "customer_service"]})
    org = _org_with_units(units)
    (shift,) = [c for c in advisor.assess(org).conflicts if c.kind == "perspective_conflict"]
    assert (shift.rule, shift.severity, shift.id) == (
        "strategy_mode_shifts_from_current",
        "low",
        "strategy_mode_shifts_from_current:rnd",
    )
    lead_only = Advisor(advisor.knowledge_base.with_settings(ranking_weights="lead_only"))
    advice = lead_only.assess(org)
    strategy = advice.unit("rnd").perspectives["strategy"]
    assert strategy["development"] == 1.0
    assert sum(strategy.values()) == 1.0
    assert not [c for c in advice.conflicts if c.kind == "perspective_conflict"]


def test_the_threshold_silences_small_gaps(advisor: Advisor) -> None:
    units = _manufacturer_units()
    units[2] = dict(
        units[2], perspectives={"desired": {"development": 0.7, "customer_service": 0.3}}
    )
    org = _org_with_units(units)
    assert any(c.kind == "perspective_conflict" for c in advisor.assess(org).conflicts)
    relaxed = Advisor(advisor.knowledge_base.with_settings(perspective_threshold=0.9))
    assert not any(c.kind == "perspective_conflict" for c in relaxed.assess(org).conflicts)


def test_respondents_who_disagree_are_flagged(shipped_kb: KnowledgeBase) -> None:
    units = _manufacturer_units()
    respondents = [
        {"unit": "rnd", "ratings": {"development": 5, "production": 1}},
        {"unit": "rnd", "ratings": {"development": 1, "production": 1}},
    ]
    working_copy = Advisor(shipped_kb, show_respondents=True)
    advice = working_copy.assess(_org_with_units(units, respondents=respondents))
    rnd = advice.unit("rnd")
    assert rnd.self_assessment is not None
    assert rnd.self_assessment.disputed
    (rating,) = [r for r in rnd.self_assessment.ratings if r.archetype == "development"]
    assert (rating.mean, rating.rwg, rating.consensus) == (3.0, 0.0, 0.0)
    assert [c.kind for c in advice.conflicts_of("rnd")].count("respondent_disagreement") == 1


def test_a_single_respondent_gives_no_disagreement(shipped_kb: KnowledgeBase) -> None:
    respondents = [{"unit": "rnd", "ratings": {"development": 5, "production": 1}}]
    working_copy = Advisor(shipped_kb, show_respondents=True)
    advice = working_copy.assess(_org_with_units(_manufacturer_units(), respondents=respondents))
    assert not any(c.kind == "respondent_disagreement" for c in advice.conflicts)
    assessment = advice.unit("rnd").self_assessment
    assert assessment is not None
    assert not assessment.disputed
    assert assessment.ratings[0].rwg is None


# --- agreement statistics ----------------------------------------------------------------------

RATINGS = st.lists(st.integers(1, 5), min_size=2, max_size=40)


@given(RATINGS)
def test_agreement_is_between_0_and_1_and_order_free(ratings: list[int]) -> None:
    for measure in (rwg, consensus):
        value = measure(ratings)
        assert 0 <= value <= 1
        assert measure(list(reversed(ratings))) == pytest.approx(value)


@given(st.integers(1, 5), st.integers(2, 30))
def test_full_agreement_is_1(value: int, count: int) -> None:
    assert rwg([value] * count) == 1
    assert consensus([value] * count) == 1


@given(st.integers(1, 20))
def test_two_camps_at_the_ends_are_0(size: int) -> None:
    ratings = [1] * size + [5] * size
    assert consensus(ratings) == pytest.approx(0)
    assert rwg(ratings) == 0


def test_known_values() -> None:
    assert rwg([4, 4, 5]) == pytest.approx(1 - (1 / 3) / 2)
    assert consensus([3, 5]) == pytest.approx(0.585, abs=1e-3)
    with pytest.raises(ValueError, match="two or more"):
        rwg([3])
