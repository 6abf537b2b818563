"""How settled: the bounds over unobserved traits, checked against every completion of a unit."""

from __future__ import annotations

import copy
import dataclasses
import itertools
import json
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeadvisor import Advisor, KnowledgeBase, UnknownUnitError, load_knowledge_base
from modeadvisor import conditions as cond
from modeadvisor.backends._vectorised import Scorer, UnitTable
from modeadvisor.cli import main
from modeadvisor.errors import Location
from modeadvisor.knowledge import Rule, ScoringRule, Text, Trait
from modeadvisor.organisation import check_organisation, from_data
from modeadvisor.profile import profiles

from .conftest import DATA, ROOT
from .strategies import MINI_CONDITIONS, units

MANUFACTURER = ROOT / "examples" / "manufacturer.yaml"
#: Every number literal the generated conditions use.
LITERALS = (0, 50, 50.5, 99.99, 100, 12.345678)


def _pack(kb: KnowledgeBase, texts: list[str]) -> KnowledgeBase:
    """Generated rules pulling both ways: even ones towards prod, odd ones towards dev."""
    rules = tuple(
        Rule(
            ScoringRule(
                id=f"g{i}",
                when=text,
                weights={"prod": 1.0} if i % 2 == 0 else {"dev": 1.5},
                rationale=Text(en="generated"),
            ),
            cond.normalise(cond.parse(text)),
            Location("generated", i + 1),
        )
        for i, text in enumerate(texts)
    )
    return dataclasses.replace(kb, rules=rules)


def _values(trait: Trait) -> list[Any]:
    """Every value a brute force tries: None (still unobserved) and each distinct value."""
    match trait.type:
        case "scale":
            found: list[Any] = list(range(1, 6))
        case "bool":
            found = [True, False]
        case "category":
            found = list(trait.values or ())
        case "set":
            options = list(trait.values or ())
            found = [
                frozenset(c)
                for n in range(len(options) + 1)
                for c in itertools.combinations(options, n)
            ]
        case _:
            points = {round(x + d, 6) for x in LITERALS for d in (-1e-6, 0.0, 1e-6)}
            found = sorted(p for p in points if 0 <= p <= 100)
    return [None, *found]


def _reachable(kb: KnowledgeBase, values: dict[str, Any]) -> set[str]:
    """The dominant modes of every completion of the unit's unobserved traits."""
    missing = [t for t in kb.traits.values() if t.id not in values]
    rows = []
    for combo in itertools.product(*(_values(t) for t in missing)):
        row = dict(values)
        row.update({t.id: v for t, v in zip(missing, combo, strict=True) if v is not None})
        rows.append(row)
    table = UnitTable(kb, rows)
    found = profiles(kb, Scorer(kb).fired(table), table.observed_count)
    archetypes = list(kb.archetypes)
    return {archetypes[d] for d in found.dominant.tolist() if d >= 0}


#: The mini pack, for drawing units over its five traits (one of each type).
MINI = load_knowledge_base(DATA / "mini")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(MINI_CONDITIONS, min_size=1, max_size=6), drawn=units(MINI, max_units=1))
def test_the_modes_that_could_lead_are_exactly_those_some_completion_makes_dominant(
    texts: list[str], drawn: list[dict[str, Any]]
) -> None:
    kb = _pack(MINI, texts)
    unit = copy.deepcopy(drawn[0])
    organisation = from_data({"organisation": "o", "units": [copy.deepcopy(unit)]})
    values = check_organisation(kb, organisation, None).values[unit["id"]]
    answer = Advisor(kb, backend="vectorised").settled(
        {"organisation": "o", "units": [unit]}, unit["id"]
    )
    assert answer.exact
    reachable = _reachable(kb, dict(values))
    if answer.dominant is None:
        assert answer.mode == "open"
        return
    assert answer.dominant in reachable  # leaving every trait unobserved is a completion
    assert set(answer.could_lead) == reachable - {answer.dominant}, (texts, unit)
    assert (answer.mode == "settled") == (reachable == {answer.dominant})


def test_the_plant_and_rnd_are_settled_and_the_thinly_described_group_open(
    plain: Advisor,
) -> None:
    """R&D's development lead (13 rules) cannot be overtaken whatever its 25 unobserved traits
    say; a rule with branches on different traits adds its weight once, so counting each
    branch apart (as a first version did) called it open."""
    for unit in ("plant", "rnd"):
        answer = plain.settled(MANUFACTURER, unit)
        assert (answer.mode, answer.could_lead, answer.exact) == ("settled", [], True)
    group = plain.settled(MANUFACTURER, "group")
    assert group.mode == "open"
    assert group.could_lead == ["development", "customer_service"]
    assert group.deciding[0].trait == "daily_flex_to_customer"
    assert group.deciding[0].towards == "customer_service"


def test_the_top_recommendation_can_be_overtaken_only_by_models_some_completion_ranks_higher(
    plain: Advisor,
) -> None:
    rnd = plain.settled(MANUFACTURER, "rnd")
    assert rnd.top == "milestone_project_followup"
    assert rnd.could_top == ["customer_feedback_system"]
    assert not rnd.top_could_drop


def test_too_little_evidence_is_open(plain: Advisor) -> None:
    sparse = {"organisation": "o", "units": [{"id": "u", "traits": {"cost_focus": 5}}]}
    answer = plain.settled(sparse, "u")
    assert answer.mode == "open"
    assert answer.dominant is None
    assert answer.exact
    assert "no mode is named yet" in answer.to_text()


def test_an_unknown_unit_is_refused(plain: Advisor) -> None:
    with pytest.raises(UnknownUnitError, match="did you mean 'rnd'"):
        plain.settled(MANUFACTURER, "rdn")


def test_explain_says_how_settled(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(MANUFACTURER), "--unit", "plant"]) == 0
    text = capsys.readouterr().out
    assert "How settled" in text
    assert "settled: no values of the 25 unobserved traits can change the dominant mode" in text
    assert main(["explain", str(MANUFACTURER), "--unit", "group", "--lang", "fi"]) == 0
    out = capsys.readouterr().out
    assert (
        "voisi tulla hallitsevaksi: Tuote-/palvelukehityslähtöinen, Asiakaspalvelulähtöinen" in out
    )
    assert main(["explain", str(MANUFACTURER), "--unit", "group", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["settled"]["mode"] == "open"
    assert data["settled"]["could_lead"] == ["development", "customer_service"]


@pytest.fixture(scope="module")
def plain(shipped_kb: KnowledgeBase) -> Advisor:
    return Advisor(shipped_kb, backend="vectorised")


def test_numbers_are_tried_either_side_of_each_threshold(mini_kb: KnowledgeBase) -> None:
    from modeadvisor.settled import _classes

    share = mini_kb.traits["project_share"]
    classes = _classes(mini_kb, share)
    assert classes[0] is None
    numbers = [c for c in classes[1:] if isinstance(c, float)]
    assert any(n <= 50.5 for n in numbers)
    assert any(n > 50.5 for n in numbers)
    assert len(np.unique(numbers)) == len(numbers)
