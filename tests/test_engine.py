"""The durable-rules adapter: every matching rule fires, exactly as the reference evaluation says.

The differential tests compare what fired in the engine with `conditions.evaluate`, the plain
Python reading of the same normalised conditions, over generated units and generated rules.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeadvisor import Advisor, EngineError, KnowledgeBase
from modeadvisor import conditions as cond
from modeadvisor.backends._rulesets import MAX_FACT_PROPERTIES, compile_pack
from modeadvisor.errors import PackTooLargeError

from .conftest import ROOT
from .strategies import MINI_CONDITIONS as _MINI_CONDITIONS
from .strategies import pack_with as _pack_with
from .strategies import units as _units

pytest.importorskip("durable.engine", reason="durable-rules does not import here (Python 3.13)")
from modeadvisor.backends._durable import DurableEngine
from modeadvisor.knowledge import Text, Trait
from modeadvisor.organisation import coerce_value


def _expected(kb: KnowledgeBase, traits: dict[str, Any]) -> list[str]:
    typed = {name: coerce_value(kb.traits[name], raw)[0] for name, raw in traits.items()}
    values = {k: v for k, v in typed.items() if v is not None}
    return sorted(rule.id for rule in kb.rules if cond.evaluate(rule.condition, values))


def _fired(advisor: Advisor, units: list[dict[str, Any]]) -> dict[str, list[str]]:
    advice = advisor.assess({"organisation": "generated", "units": units})
    return {unit.id: sorted(e.rule for e in unit.evidence) for unit in advice.units}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_shipped_rules_fire_exactly_as_the_reference(advisor: Advisor, data: st.DataObject) -> None:
    kb = advisor.knowledge_base
    units = data.draw(_units(kb))
    assert _fired(advisor, units) == {u["id"]: _expected(kb, u["traits"]) for u in units}


# --- generated rule packs over the mini catalogue --------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_MINI_CONDITIONS, min_size=1, max_size=6), data=st.data())
def test_generated_rules_fire_exactly_as_the_reference(
    mini_kb: KnowledgeBase, texts: list[str], data: st.DataObject
) -> None:
    kb = _pack_with(mini_kb, texts)
    units = data.draw(_units(kb))
    assert _fired(Advisor(kb), units) == {u["id"]: _expected(kb, u["traits"]) for u in units}


def test_rules_split_over_several_rulesets_fire_the_same(shipped_kb: KnowledgeBase) -> None:
    one = DurableEngine(compile_pack(shipped_kb))
    many = DurableEngine(compile_pack(shipped_kb, max_distinct=7))
    assert one.ruleset_count == 1
    assert many.ruleset_count > 5
    pack = compile_pack(shipped_kb)
    facts = [
        pack.fact("a", {"profitability_before_growth": 5}),
        pack.fact("b", {t: 5 for t, s in shipped_kb.traits.items() if s.type == "scale"}),
    ]

    def fired(engine: DurableEngine) -> set[tuple[str, int]]:
        return {(rule, bound["m"]) for rule, bound in engine.fire(facts)}

    assert fired(one) == fired(many)
    assert len(fired(one)) > 5


# --- isolation, cleanup, determinism ---------------------------------------------------------


def test_two_advisors_with_different_packs_do_not_interfere(
    advisor: Advisor, mini_advisor: Advisor
) -> None:
    mini_org = {"organisation": "m", "units": [{"id": "a", "traits": {"cost": 5}}]}
    shipped_org = {
        "organisation": "s",
        "units": [{"id": "a", "traits": {"profitability_before_growth": 5}}],
    }
    before = (mini_advisor.assess(mini_org).to_json(), advisor.assess(shipped_org).to_json())
    other = Advisor(mini_advisor.knowledge_base)
    for _ in range(3):
        assert other.assess(mini_org).to_json() == before[0]
        assert advisor.assess(shipped_org).to_json() == before[1]
        assert mini_advisor.assess(mini_org).to_json() == before[0]
    assert [e.rule for e in advisor.assess(shipped_org).units[0].evidence] != [
        e.rule for e in mini_advisor.assess(mini_org).units[0].evidence
    ]


def test_sessions_are_cleaned_up(mini_advisor: Advisor) -> None:
    """The engine takes 1,024 live sessions per ruleset; 1,500 assessments prove cleanup."""
    org = {"organisation": "m", "units": [{"id": "a", "traits": {"cost": 5}}]}
    first = mini_advisor.assess(org)
    for _ in range(1500):
        assert mini_advisor.assess(org) == first


def test_same_organisation_twice_gives_identical_json(advisor: Advisor) -> None:
    path = "examples/manufacturer.yaml"
    assert advisor.assess(path).to_json() == advisor.assess(path).to_json()


def test_catalogue_too_large_for_a_fact_is_refused(mini_kb: KnowledgeBase) -> None:
    values = tuple(f"v{i}" for i in range(MAX_FACT_PROPERTIES))
    huge = Trait(id="huge", type="set", values=values, label=Text(en="h"), description=Text(en="h"))
    kb = dataclasses.replace(mini_kb, traits={**mini_kb.traits, "huge": huge})
    # a pack the engine cannot take is the user's to change (exit 2), not a bug (exit 3)
    with pytest.raises(PackTooLargeError, match="fact properties") as raised:
        compile_pack(kb)
    assert not isinstance(raised.value, EngineError)


def test_empty_organisation_fires_nothing(mini_advisor: Advisor) -> None:
    engine = DurableEngine(compile_pack(mini_advisor.knowledge_base))
    assert engine.fire([]) == []


def test_packs_beyond_the_engine_limits_are_split_and_fire_fully(mini_kb: KnowledgeBase) -> None:
    """Shapes that crash, hang or are refused in one ruleset: run in a subprocess to survive."""
    import subprocess
    import sys

    script = ROOT / "tests" / "scripts" / "engine_shapes.py"
    result = subprocess.run(
        [sys.executable, str(script), str(mini_kb.root)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == [
        "identical",
        "900",
        "distinct",
        "633",
        "mixed",
        "900",
        "alternatives",
        "300",
        "wide",
        "9",
    ]


def test_a_rule_with_too_many_alternatives_is_refused(mini_kb: KnowledgeBase) -> None:
    from modeadvisor import KnowledgeBaseError

    text = " and ".join(f"(cost == {i % 5 + 1} or risky)" for i in range(7))  # 2**7 = 128
    kb = _pack_with(mini_kb, [text])
    with pytest.raises(KnowledgeBaseError, match=r"expands to \d+ alternatives"):
        compile_pack(kb)


def test_disjunctive_form_removes_duplicates() -> None:
    from modeadvisor.conditions import disjunctive_form

    condition = cond.normalise(cond.parse("(a == 1 or a == 1) and (b == 2 or c == 3)"))
    assert [[cond.render(leaf) for leaf in conj] for conj in disjunctive_form(condition)] == [
        ["a == 1", "b == 2"],
        ["a == 1", "c == 3"],
    ]


def test_fact_ids_never_share_the_engines_hash() -> None:
    # the engine refuses a fact whose id's FNV-1a hash is already in the session: 350,000 facts
    # (a 20,000-unit organisation) would hit about 14 such pairs with ids taken as they come
    from modeadvisor.backends._durable import _FactIds, _fnv1a

    ids = _FactIds().first(350_000)
    assert len(set(ids)) == len(ids) == 350_000
    assert len({_fnv1a(i) for i in ids}) == 350_000
    assert _fnv1a("a") == 0xE40C292C  # the published FNV-1a test vector
