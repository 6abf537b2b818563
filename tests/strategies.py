"""Hypothesis strategies shared by the engine, backend and batch tests."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import strategies as st

from modeadvisor import KnowledgeBase
from modeadvisor import conditions as cond
from modeadvisor.errors import Location
from modeadvisor.knowledge import Rule, ScoringRule, Text, Trait


def trait_value(trait: Trait) -> st.SearchStrategy[Any]:
    match trait.type:
        case "scale":
            return st.integers(1, 5)
        case "bool":
            return st.booleans()
        case "category":
            return st.sampled_from(list(trait.values or ()))
        case "set":
            return st.lists(st.sampled_from(list(trait.values or ())), unique=True)
    low = trait.min if trait.min is not None else -1000
    high = trait.max if trait.max is not None else 1000
    return st.one_of(st.integers(int(low), int(high)), st.decimals(low, high, places=2).map(float))


def units(kb: KnowledgeBase, max_units: int = 4) -> st.SearchStrategy[list[dict[str, Any]]]:
    traits = st.fixed_dictionaries({}, optional={t.id: trait_value(t) for t in kb.traits.values()})
    return st.lists(traits, min_size=1, max_size=max_units).map(
        lambda units: [{"id": f"u{i}", "traits": t} for i, t in enumerate(units)]
    )


MINI_LEAVES = st.one_of(
    st.builds(
        lambda op, v: f"cost {op} {v}",
        st.sampled_from(["==", "!=", ">=", "<=", ">", "<"]),
        st.integers(1, 5),
    ),
    st.sampled_from(["risky", "not risky", "risky == false", "risky != true"]),
    st.sampled_from(['sector == "public"', 'sector != "private"', 'sector in ["public"]']),
    st.sampled_from(['"loyalty" in focus', 'not "cost" in focus', '"novelty" in focus']),
    st.builds(
        lambda op, v: f"project_share {op} {v}",
        st.sampled_from([">=", "<", "==", "!="]),
        st.sampled_from(["0", "50", "50.5", "99.99", "100", "12.345678"]),
    ),
)
MINI_CONDITIONS = st.recursive(
    MINI_LEAVES,
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a}) and ({b})", inner, inner),
        st.builds(lambda a, b: f"({a}) or ({b})", inner, inner),
        st.builds(lambda a: f"not ({a})", inner),
    ),
    max_leaves=6,
)


def pack_with(kb: KnowledgeBase, texts: list[str]) -> KnowledgeBase:
    rules = tuple(
        Rule(
            ScoringRule(
                id=f"g{i}", when=text, weights={"prod": 1.0}, rationale=Text(en="generated")
            ),
            cond.normalise(cond.parse(text)),
            Location("generated", i + 1),
        )
        for i, text in enumerate(texts)
    )
    return dataclasses.replace(kb, rules=rules)
