"""The indexed matcher of conflict rules against the reference, binding limits, the tree generator.

`match_indexed` must find exactly the bindings `match_reference` finds, in the same order, for
every rule and fact set (generated here beyond what the loader accepts: joins through `>`, on sets,
to later aliases); the backends must give byte-identical advice on organisation trees; the
binding limit counts real bindings, per rule, before the engine runs.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeadvisor import Advisor, KnowledgeBase, LimitError
from modeadvisor import conditions as cond
from modeadvisor.advice import Advice
from modeadvisor.authoring._trees import sample_tree
from modeadvisor.backends import BackendChoice, durable_available
from modeadvisor.backends._matching import BindingLimitError, count_bindings, match_indexed
from modeadvisor.backends._reference import match_reference
from modeadvisor.conflicts import situation
from modeadvisor.errors import Location
from modeadvisor.facts import Fact
from modeadvisor.knowledge import (
    ConflictRule,
    ConflictRuleSpec,
    Lang,
    Pattern,
    Settings,
    shipped_rules_dir,
)
from modeadvisor.knowledge import _compiled as compiled_form
from modeadvisor.limits import Limits

from .conftest import ROOT, write_pack

BACKENDS: list[BackendChoice] = ["vectorised", "durable"] if durable_available() else ["vectorised"]
needs_durable = pytest.mark.skipif(not durable_available(), reason="durable-rules not importable")

# --- generated rules and facts, wider than the loader allows --------------------------------

FAMILIES: dict[str, list[Any]] = {
    "id": ["u1", "u2", "u3"],
    "number": [0, 1, 1.0, 2.5, -1],  # 1 and 1.0 are equal in the rule language
    "bool": [True, False],
    "choice": ["x", "y"],
    "model": ["m1", "m2"],
    "set": [frozenset(), frozenset({"a"}), frozenset({"a", "b"})],
}
FIELDS = {
    "unit": {"uid": "id", "parent": "id", "n": "number", "flag": "bool", "level": "choice"},
    "fit": {"uid": "id", "parent": "id", "model": "model", "n": "number", "flag": "bool"},
    "tagged": {"uid": "id", "tags": "set", "n": "number"},
}
OPTIONAL = {"parent", "n", "flag", "level", "tags"}


@st.composite
def facts_of(draw: st.DrawFn, max_facts: int = 10) -> list[Fact]:
    facts = []
    for _ in range(draw(st.integers(0, max_facts))):
        kind = draw(st.sampled_from(sorted(FIELDS)))
        fact: Fact = {"kind": kind}
        for name, family in FIELDS[kind].items():
            if name in OPTIONAL and draw(st.booleans()) and draw(st.booleans()):
                continue  # missing in about a quarter of the facts
            fact[name] = draw(st.sampled_from(FAMILIES[family]))
        facts.append(fact)
    return facts


@st.composite
def leaf_of(draw: st.DrawFn, kind: str, aliases: list[tuple[str, str]]) -> cond.Condition:
    name, family = draw(st.sampled_from(sorted(FIELDS[kind].items())))
    choice = draw(st.integers(0, 9))
    if choice < 3 and aliases:  # a join, mostly on an earlier alias with `==`
        alias, other_kind = draw(st.sampled_from(aliases))
        same = sorted(f for f, fam in FIELDS[other_kind].items() if fam == family)
        other = draw(st.sampled_from(same or sorted(FIELDS[other_kind])))
        op: cond.Op = draw(st.sampled_from(["==", "==", "==", ">", "!="]))
        if draw(st.integers(0, 9)) == 0:
            alias = draw(st.sampled_from(["zz", kind]))  # an alias not bound above
        return cond.Comparison(name, op, cond.Ref(alias, other))
    if family == "set":
        return cond.Member(name, draw(st.sampled_from(["a", "b"])), draw(st.booleans()))
    if family == "number" and choice == 3:
        return cond.Comparison(name, ">=", cond.Param("perspective_threshold"))
    ops = ["==", "!=", ">=", "<=", ">", "<"] if family == "number" else ["==", "!="]
    return cond.Comparison(
        name, draw(st.sampled_from(ops)), draw(st.sampled_from(FAMILIES[family]))
    )


@st.composite
def condition_of(
    draw: st.DrawFn, kind: str, aliases: list[tuple[str, str]]
) -> cond.Condition | None:
    leaves = draw(st.lists(leaf_of(kind, aliases), min_size=0, max_size=3))
    if not leaves:
        return None
    shape = draw(st.integers(0, 3))
    tree: cond.Condition = cond.All(tuple(leaves)) if shape < 2 else cond.AnyOf(tuple(leaves))
    if shape == 3 and len(leaves) > 1:
        tree = cond.All((leaves[0], cond.AnyOf(tuple(leaves[1:]))))
    if draw(st.integers(0, 4)) == 0:
        tree = cond.Not(tree)
    return cond.normalise(tree)


def _rule(rule_id: str, patterns: list[Pattern]) -> ConflictRule:
    spec = ConflictRuleSpec.model_validate(
        {
            "id": rule_id,
            "kind": "k",
            "severity": "low",
            "match": {p.alias: p.kind for p in patterns},
            "explanation": {"en": "x"},
            "resolution": {"en": "y"},
        }
    )
    return ConflictRule(spec, tuple(patterns), Location("conflicts.yaml", 1), "test")


def _compiled(
    rules: list[ConflictRule], settings: Settings | None = None
) -> list[compiled_form.CompiledConflict]:
    """Generated rules in the compiled form the matcher reads: each alias's condition as
    alternatives of tests, settings resolved. The knowledge base also types each literal by the
    fact vocabulary, which these rules go beyond; the matcher reads only the tests' leaves."""
    settings = settings or Settings()
    return [
        compiled_form.CompiledConflict(
            rule.id,
            tuple(
                compiled_form.CompiledPattern(
                    p.alias,
                    p.kind,
                    ((),)
                    if p.condition is None
                    else tuple(
                        tuple(compiled_form.Test(leaf, None) for leaf in conjunction)
                        for conjunction in cond.disjunctive_form(
                            cond.resolve(p.condition, settings)
                        )
                    ),
                )
                for p in rule.patterns
            ),
        )
        for rule in rules
    ]


@st.composite
def rules_of(draw: st.DrawFn) -> list[ConflictRule]:
    rules = []
    for index in range(draw(st.integers(1, 3))):
        aliases: list[tuple[str, str]] = []
        patterns = []
        for position in range(draw(st.integers(1, 3))):
            kind = draw(st.sampled_from(sorted(FIELDS)))
            alias = f"a{position}"
            patterns.append(Pattern(alias, kind, draw(condition_of(kind, aliases))))
            aliases.append((alias, kind))
        rules.append(_rule(f"r{index}", patterns))
    return rules


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=rules_of(), facts=facts_of())
def test_indexed_equals_the_reference_on_generated_rules_and_facts(
    rules: list[ConflictRule], facts: list[Fact]
) -> None:
    expected = match_reference(rules, facts, Settings())
    assert match_indexed(_compiled(rules), facts) == expected
    counted = count_bindings(_compiled(rules), facts, limit=10**6)
    assert counted == {rule.id: sum(1 for r, _ in expected if r == rule.id) for rule in rules}


def _one(alias_conditions: list[tuple[str, str, cond.Condition | None]]) -> list[ConflictRule]:
    return [_rule("r", [Pattern(a, k, c) for a, k, c in alias_conditions])]


def test_one_and_one_point_oh_join_but_true_does_not() -> None:
    facts: list[Fact] = [
        {"kind": "unit", "uid": "u1", "n": 1},
        {"kind": "unit", "uid": "u2", "n": 1.0},
        {"kind": "unit", "uid": "u3", "n": True},
        {"kind": "unit", "uid": "u4"},
        {"kind": "unit", "uid": "u5", "n": frozenset({"a"})},
    ]
    join = _one(
        [("a", "unit", None), ("b", "unit", cond.Comparison("n", "==", cond.Ref("a", "n")))]
    )
    found = match_indexed(_compiled(join), facts)
    assert [bound for _, bound in found] == [{"a": 0, "b": 1}, {"a": 1, "b": 0}]
    assert found == match_reference(join, facts, Settings())
    literal = _one([("a", "unit", cond.Comparison("n", "==", 1))])
    assert [bound["a"] for _, bound in match_indexed(_compiled(literal), facts)] == [0, 1]


def test_a_fact_matching_two_alternatives_binds_once() -> None:
    either = cond.AnyOf((cond.Comparison("flag", "==", True), cond.Comparison("n", ">", 0)))
    rules = _one([("a", "fit", either)])
    facts: list[Fact] = [{"kind": "fit", "uid": "u1", "flag": True, "n": 2}]
    assert match_indexed(_compiled(rules), facts) == [("r", {"a": 0})]


def test_a_join_through_another_comparison_is_scanned_and_still_right() -> None:
    greater = cond.Comparison("n", ">", cond.Ref("a", "n"))
    rules = _one([("a", "unit", None), ("b", "unit", greater)])
    facts: list[Fact] = [{"kind": "unit", "uid": f"u{i}", "n": i % 3} for i in range(6)]
    found = match_indexed(_compiled(rules), facts)
    assert len(found) == 12
    assert found == match_reference(rules, facts, Settings())


def test_a_condition_too_wide_to_expand_is_refused() -> None:
    wide = cond.All(
        tuple(
            cond.AnyOf((cond.Comparison("n", "==", i), cond.Comparison("uid", "==", f"u{i}")))
            for i in range(7)  # 2**7 alternatives
        )
    )
    with pytest.raises(ValueError, match="more than 64 alternatives"):
        match_indexed(_compiled(_one([("a", "unit", wide)])), [{"kind": "unit", "uid": "u1"}])


# --- the shipped rules, on organisations -------------------------------------------------------


def _facts(advisor: Advisor, organisation: Any, monkeypatch: pytest.MonkeyPatch) -> list[Fact]:
    """The conflict-stage facts of one assessment, as the advisor builds them."""
    seen: list[list[Fact]] = []

    def spy(*args: Any) -> list[Fact]:
        seen.append(situation(*args))
        return seen[-1]

    with monkeypatch.context() as patch:
        patch.setattr("modeadvisor.advisor.situation", spy)
        advisor.assess(organisation)
    return seen[0]


@pytest.fixture(scope="module")
def vectorised(shipped_kb: KnowledgeBase) -> Advisor:
    return Advisor(shipped_kb, backend="vectorised")


@pytest.mark.parametrize(
    "organisation",
    [
        "manufacturer",
        "municipality",
        "service-company",
        "tree",
    ],
)
def test_indexed_equals_the_reference_on_the_shipped_rules(
    vectorised: Advisor, organisation: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = vectorised.knowledge_base
    data: Any = (
        sample_tree(kb, 60, 4, children=(10, 30))
        if organisation == "tree"
        else ROOT / "examples" / f"{organisation}.yaml"
    )
    facts = _facts(vectorised, data, monkeypatch)
    expected = match_reference(kb.conflicts, facts, kb.settings)
    assert expected
    assert match_indexed(kb.compiled.conflicts, facts) == expected


def test_the_matcher_reads_the_compiled_form_and_derives_nothing(
    vectorised: Advisor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One meaning in one place: the matcher takes each alias's alternatives from
    `kb.compiled.conflicts`, never expanding or resolving a condition itself."""
    kb = vectorised.knowledge_base
    facts = _facts(vectorised, ROOT / "examples" / "manufacturer.yaml", monkeypatch)
    expected = match_reference(kb.conflicts, facts, kb.settings)

    def refuse(*args: Any) -> Any:
        raise AssertionError("derived again")

    monkeypatch.setattr(cond, "disjunctive_form", refuse)
    monkeypatch.setattr(cond, "resolve", refuse)
    assert match_indexed(kb.compiled.conflicts, facts) == expected
    assert count_bindings(kb.compiled.conflicts, facts, limit=10**6) == {
        rule.id: sum(1 for r, _ in expected if r == rule.id) for rule in kb.conflicts
    }


def _differential(kb: KnowledgeBase, size: int, seed: int, lang: Lang) -> None:
    organisation = sample_tree(kb, size, seed)
    engine = Advisor(kb, backend="durable", lang=lang)
    numpy = Advisor(kb, backend="vectorised", lang=lang)
    advice = numpy.assess(organisation)
    assert advice.conflicts
    assert engine.assess(organisation).to_json() == advice.to_json()


@needs_durable
def test_the_backends_agree_byte_for_byte_on_a_tree(shipped_kb: KnowledgeBase) -> None:
    _differential(shipped_kb, 120, 7, "en")


@needs_durable
@pytest.mark.slow
@pytest.mark.parametrize(("size", "seed", "lang"), [(300, 1, "en"), (400, 2, "fi"), (500, 3, "en")])
def test_the_backends_agree_byte_for_byte_on_larger_trees(
    shipped_kb: KnowledgeBase, size: int, seed: int, lang: Lang
) -> None:
    _differential(shipped_kb, size, seed, lang)


def test_the_advice_of_a_tree_is_valid_json_for_its_model(vectorised: Advisor) -> None:
    # conflicts are built without validation (they are many): the model must accept them back
    advice = vectorised.assess(sample_tree(vectorised.knowledge_base, 80, 5, children=(10, 30)))
    assert advice.conflicts
    again = Advice.model_validate_json(advice.to_json())
    assert again.to_json() == advice.to_json()


# --- binding limits ------------------------------------------------------------------------

EXPLODING = """conflicts:
  - id: every_pair
    kind: unit_mode_conflict
    severity: low
    match:
      a: unit
      b: unit where status == a.status
    explanation: {en: "{a.uid} and {b.uid}"}
    resolution: {en: "r"}
"""


def test_the_limit_counts_bindings_and_stops_past_it() -> None:
    rules = _one([("a", "unit", None), ("b", "unit", cond.Comparison("uid", "!=", "u0"))])
    facts: list[Fact] = [{"kind": "unit", "uid": f"u{i}"} for i in range(20)]
    total = 19 + 19 * 18  # a = u0 pairs with the 19 others; any other a with 18
    assert count_bindings(_compiled(rules), facts, limit=total) == {"r": total}
    with pytest.raises(BindingLimitError) as caught:
        count_bindings(_compiled(rules), facts, limit=total - 1)
    assert (caught.value.rule.id, caught.value.limit, caught.value.found) == ("r", 360, 361)
    with pytest.raises(BindingLimitError, match="binds more than 100 combinations"):
        match_indexed(_compiled(rules), facts, limit=100)
    assert len(match_indexed(_compiled(rules), facts, limit=total)) == total


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_pack_whose_join_explodes_is_refused_with_the_rule_and_the_fix(
    tmp_path: Path, backend: BackendChoice
) -> None:
    pack = write_pack(tmp_path, {"conflicts.yaml": EXPLODING})
    units = [{"id": f"u{i}", "traits": {"cost": 5}} for i in range(150)]  # 150 x 149 pairs
    small = Advisor.from_path(pack, backend=backend, limits=Limits(max_conflict_bindings=20_000))
    with pytest.raises(LimitError) as caught:
        small.assess({"organisation": "flat", "units": units})
    (problem,) = caught.value.problems
    assert problem.location.file.endswith("conflicts.yaml")
    assert problem.location.line == 2
    assert "'every_pair' binds more than 20,000 combinations" in problem.message
    assert "'flat' (150 units); the limit is 20,000" in problem.message
    assert problem.hint is not None
    assert "--limit max_conflict_bindings=N" in problem.hint
    exact = Advisor.from_path(pack, backend=backend, limits=Limits(max_conflict_bindings=22_350))
    assert len(exact.assess({"organisation": "flat", "units": units}).conflicts) == 150 * 149 // 2


SIBLINGS = """conflicts:
  - id: sibling_pairs
    kind: unit_mode_conflict
    severity: low
    match:
      a: unit
      b: unit where parent == a.parent
    explanation: {en: "{a.uid} and {b.uid}"}
    resolution: {en: "r"}
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_limit_is_exact_and_counts_pairs_within_each_parent(
    tmp_path: Path, backend: BackendChoice
) -> None:
    pack = write_pack(tmp_path, {"conflicts.yaml": SIBLINGS})
    units: list[dict[str, Any]] = [{"id": "top", "traits": {"cost": 5}}]
    for parent, children in (("p1", 10), ("p2", 20), ("p3", 30)):
        units.append({"id": parent, "parent": "top", "traits": {"cost": 5}})
        units += [
            {"id": f"{parent}c{i}", "parent": parent, "traits": {"cost": 5}}
            for i in range(children)
        ]
    pairs = 3 * 2 + 10 * 9 + 20 * 19 + 30 * 29  # ordered pairs under each parent: 1,346
    organisation = {"organisation": "groups", "units": units}
    under = Advisor.from_path(pack, backend=backend, limits=Limits(max_conflict_bindings=pairs - 1))
    with pytest.raises(LimitError, match="'sibling_pairs' binds more than 1,345"):
        under.assess(organisation)
    at = Advisor.from_path(pack, backend=backend, limits=Limits(max_conflict_bindings=pairs))
    assert len(at.assess(organisation).conflicts) == pairs // 2  # one per pair of units


@needs_durable
def test_the_limit_is_checked_before_the_engine_runs(
    shipped_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modeadvisor.backends._durable import DurableEngine

    calls: list[int] = []
    fire = DurableEngine.fire

    def counted(self: DurableEngine, facts: Any) -> Any:
        calls.append(len(facts))
        return fire(self, facts)

    monkeypatch.setattr(DurableEngine, "fire", counted)
    pack = write_pack(tmp_path, {"conflicts.yaml": EXPLODING})
    units = [{"id": f"u{i}", "traits": {"cost": 5}} for i in range(50)]
    organisation = {"organisation": "flat", "units": units}
    small = Advisor.from_path(pack, backend="durable", limits=Limits(max_conflict_bindings=100))
    with pytest.raises(LimitError, match="binds more than 100"):
        small.assess(organisation)
    assert calls == [50]  # the scoring engine ran, the conflict engine did not
    large = Advisor.from_path(pack, backend="durable", limits=Limits(max_conflict_bindings=2_450))
    assert len(large.assess(organisation).conflicts) == 50 * 49 // 2
    assert len(calls) == 3


def _flat(children: int) -> dict[str, Any]:
    """The manufacturer's group with `children` units directly under it, alternately its plant
    (production) and its R&D unit (development, on the scorecard)."""
    import yaml

    data = yaml.safe_load((ROOT / "examples" / "manufacturer.yaml").read_text(encoding="utf-8"))
    group, plant, rnd = data["units"]
    units = [group] + [
        dict(rnd if i % 2 else plant, id=f"c{i:04d}", name=f"Unit {i}", parent="group")
        for i in range(children)
    ]
    return {"organisation": "flat", "units": units}


def _split_bindings(facts: list[Fact]) -> tuple[int, int]:
    """What the shipped split rule must bind: one fit per unit on either side of each model in
    use, not imposed, the group splits on (the parent's own fit too), and how many such models
    there are."""
    sides = [
        (f["recommended"], f["avoid"])
        for f in facts
        if f["kind"] == "split"
        and f["recommended"]
        and f["avoid"]
        and f["in_use"]
        and not f["imposed"]
    ]
    counts = [(r, a) for r, a in sides if isinstance(r, int) and isinstance(a, int)]
    assert len(counts) == len(sides)  # counts, not flags
    return sum(r + a for r, a in counts), len(counts)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_limit_is_exact_for_the_shipped_split_rule(
    shipped_kb: KnowledgeBase,
    vectorised: Advisor,
    backend: BackendChoice,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The rule on camps under one parent binds a split fact with each unit on a side, never a
    pair of units; the limit counts exactly those bindings on both backends."""
    organisation = _flat(200)
    facts = _facts(vectorised, organisation, monkeypatch)
    counts = count_bindings(shipped_kb.compiled.conflicts, facts, limit=10**9)
    expected, models = _split_bindings(facts)
    assert counts["units_split_on_model"] == expected == models * 201
    most = max(counts.values())
    assert most == expected  # the split rule binds most: the limit is tried on it
    under = Advisor(shipped_kb, backend=backend, limits=Limits(max_conflict_bindings=most - 1))
    with pytest.raises(LimitError, match=f"'units_split_on_model' binds more than {most - 1:,}"):
        under.assess(organisation)
    at = Advisor(shipped_kb, backend=backend, limits=Limits(max_conflict_bindings=most))
    findings = at.assess(organisation).conflicts
    assert len(findings) == models + 1  # one per model split on, one misfit of the scorecard


@pytest.mark.slow  # 2,001 units: about 4 s
def test_a_parent_of_two_thousand_children_binds_no_pairs(
    shipped_kb: KnowledgeBase, vectorised: Advisor, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = _facts(vectorised, _flat(2_000), monkeypatch)
    counts = count_bindings(
        shipped_kb.compiled.conflicts, facts, limit=Limits().max_conflict_bindings
    )
    expected, models = _split_bindings(facts)
    assert counts["units_split_on_model"] == expected == models * 2_001  # linear in the units
    assert sum(counts.values()) < 2_000 * 1_000 // 100  # pairs of camps would be 1,000,000


#: The sibling rule of the first shipped pack, whose global estimate refused 2,021 units (16
#: million "combinations"): fits pair only under one parent.
OLD_SIBLINGS = """conflicts:
  - id: siblings_need_opposite_models
    kind: unit_mode_conflict
    severity: medium
    match:
      a: fit where recommended
      b: fit where avoid and model == a.model and parent == a.parent
    explanation: {en: "{a.uid} and {b.uid} call for opposite models."}
    resolution: {en: "Steer each with its own models."}
    source: [S-C6]
"""


@pytest.mark.slow  # 2,021 units: about 4 s
def test_twenty_departments_of_a_hundred_teams_are_within_the_default_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layer = tmp_path / "siblings"
    layer.mkdir()
    (layer / "pack.yaml").write_text(
        "pack:\n  id: siblings\n  name: {en: Siblings}\n  extends: core\n", encoding="utf-8"
    )
    (layer / "conflicts.yaml").write_text(OLD_SIBLINGS, encoding="utf-8")
    advisor = Advisor.from_path(shipped_rules_dir(), layer, backend="vectorised")
    kb = advisor.knowledge_base
    organisation = sample_tree(kb, 2_021, 11, children=(20, 20))
    for index, unit in enumerate(organisation["units"][21:]):
        unit["parent"] = f"u{1 + index // 100}"  # 20 departments of 100 teams under u0
    shape = Counter(unit.get("parent") for unit in organisation["units"])
    assert shape["u0"] == 20
    assert set(shape.values()) == {1, 20, 100}
    facts = _facts(advisor, organisation, monkeypatch)  # no LimitError
    counts = count_bindings(kb.compiled.conflicts, facts, limit=Limits().max_conflict_bindings)
    assert 10_000 < counts["siblings_need_opposite_models"] < 2_000_000


# --- the generator -----------------------------------------------------------------------------


def test_the_generator_is_deterministic_and_shaped_like_a_tree(shipped_kb: KnowledgeBase) -> None:
    one = sample_tree(shipped_kb, 500, 3)
    assert json.dumps(one) == json.dumps(sample_tree(shipped_kb, 500, 3))
    assert json.dumps(one) != json.dumps(sample_tree(shipped_kb, 500, 4))
    units = one["units"]
    assert len(units) == 500
    assert sum("parent" not in unit for unit in units) == 1
    children = Counter(unit["parent"] for unit in units if "parent" in unit)
    assert all(10 <= count <= 100 for count in list(children.values())[:-1])  # the last is cut
    assert one["imposed_models"] == ["balanced_scorecard"]
    assert one["respondents"]
    assert any("perspectives" in unit for unit in units)


def test_every_shipped_conflict_fires_on_a_generated_tree(vectorised: Advisor) -> None:
    kb = vectorised.knowledge_base
    advice = vectorised.assess(sample_tree(kb, 1_000, 1))
    assert {unit.profile.status for unit in advice.units} == {"ok"}
    assert len({unit.profile.dominant for unit in advice.units}) == len(kb.archetypes)
    fired = {rule for c in advice.conflicts for rule in c.rules}  # leading or folded in
    assert fired == {rule.id for rule in kb.conflicts}


@pytest.mark.parametrize(
    ("size", "children", "message"),
    [(0, (10, 100), "at least one unit"), (5, (0, 3), "1 <= low <= high"), (5, (4, 3), "low")],
)
def test_the_generator_refuses_impossible_shapes(
    shipped_kb: KnowledgeBase, size: int, children: tuple[int, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        sample_tree(shipped_kb, size, 1, children=children)


def test_the_generator_leaves_out_models_the_pack_does_not_know(mini_kb: KnowledgeBase) -> None:
    data = sample_tree(mini_kb, 30, 2, imposed=("balanced_scorecard", "scorecard"))
    assert data["imposed_models"] == ["scorecard"]
    assert Advisor(mini_kb, backend="vectorised").assess(data).units
