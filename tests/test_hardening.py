"""Hardening: bounded input, engine guards, determinism whatever the order, concurrency."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeadvisor import (
    Advisor,
    KnowledgeBase,
    KnowledgeBaseError,
    OrganisationError,
    load_knowledge_base,
)
from modeadvisor.backends import durable_available
from modeadvisor.backends._rulesets import compile_conflicts, compile_pack
from modeadvisor.cli import main
from modeadvisor.errors import EngineError, LimitError
from modeadvisor.limits import DEFAULT_LIMITS, Limits, how_to_raise, limit_names, parse_limit

from .conftest import DATA, ROOT, write_pack

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
needs_durable = pytest.mark.skipif(
    not durable_available(), reason="durable-rules does not import here (Python 3.13)"
)


def _example(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


# --- determinism -------------------------------------------------------------------------------


def _shuffled(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The same organisation with units, keys, lists of models and respondents reordered."""

    def mix(mapping: dict[str, Any]) -> dict[str, Any]:
        items = list(mapping.items())
        rng.shuffle(items)
        return dict(items)

    units = []
    for unit in data["units"]:
        unit = mix(dict(unit))
        if "traits" in unit:
            unit["traits"] = mix(unit["traits"])
        if "models_in_use" in unit:
            unit["models_in_use"] = rng.sample(unit["models_in_use"], len(unit["models_in_use"]))
        units.append(unit)
    rng.shuffle(units)
    result = mix({**data, "units": units})
    if "respondents" in result:
        result["respondents"] = rng.sample(result["respondents"], len(result["respondents"]))
    return result


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), which=st.sampled_from(EXAMPLES))
def test_json_is_byte_identical_whatever_the_order(
    advisor: Advisor, seed: int, which: Path
) -> None:
    data = _example(which)
    expected = advisor.assess(data).to_json()
    assert advisor.assess(_shuffled(data, random.Random(seed))).to_json() == expected


@pytest.mark.slow
def test_json_is_byte_identical_across_hash_seeds_and_orders(tmp_path: Path) -> None:
    outputs = set()
    for index, seed in enumerate(("0", "1", "4242")):
        for path in EXAMPLES:
            shuffled = tmp_path / f"{index}-{path.name}"
            shuffled.write_text(
                yaml.safe_dump(_shuffled(_example(path), random.Random(index)), allow_unicode=True),
                encoding="utf-8",
            )
        env = {**os.environ, "PYTHONHASHSEED": seed}
        runs = [
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "modeadvisor.cli",
                    "assess",
                    str(tmp_path / f"{index}-{path.name}"),
                    "--format",
                    "json",
                ],
                capture_output=True,
                check=True,
                env=env,
            ).stdout
            for path in EXAMPLES
        ]
        outputs.add(tuple(runs))
    assert len(outputs) == 1


# --- concurrency -------------------------------------------------------------------------------


def _assess_in_worker(path: str) -> str:
    return Advisor.default().assess(path).to_json()


def test_a_process_pool_gives_the_sequential_results(advisor: Advisor) -> None:
    paths = [str(p) for p in EXAMPLES] * 2
    sequential = [advisor.assess(p).to_json() for p in paths]
    with ProcessPoolExecutor(max_workers=2) as pool:
        assert list(pool.map(_assess_in_worker, paths)) == sequential


def test_threads_sharing_one_advisor_give_the_sequential_results(advisor: Advisor) -> None:
    paths = [str(p) for p in EXAMPLES] * 8
    sequential = [advisor.assess(p).to_json() for p in paths]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(lambda p: advisor.assess(p).to_json(), paths)) == sequential


# --- engine guards -----------------------------------------------------------------------------


def test_every_engine_condition_is_guarded_by_its_fact_kind(shipped_kb: KnowledgeBase) -> None:
    """A condition that could match the session's own state fact fires in an endless loop."""
    for pack in (compile_pack(shipped_kb), compile_conflicts(shipped_kb)):
        for chunk in pack.chunks:
            for rule in chunk:
                for _, condition in rule.patterns:
                    assert condition["$and"][0]["kind"] in pack.kinds, rule.name


def test_numbers_with_exponents_reach_the_engine_as_plain_integers(mini_advisor: Advisor) -> None:
    org = {
        "organisation": "o",
        "units": [{"id": "a", "traits": {"project_share": 5.1e1, "cost": 5, "sector": "private"}}],
    }
    fired = [e.rule for e in mini_advisor.assess(org).unit("a").evidence]
    assert "projects" in fired


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1e400"])
def test_infinite_and_nan_numbers_are_refused(
    mini_advisor: Advisor, tmp_path: Path, value: str
) -> None:
    path = tmp_path / "o.yaml"
    path.write_text(
        f"organisation: o\nunits:\n  - id: a\n    traits: {{project_share: {value}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(OrganisationError, match=r"not a usable number|out of range"):
        mini_advisor.assess(path)


@pytest.mark.parametrize(
    "when", ["project_share > 1e5", "project_share > inf", "project_share > nan", "cost > 0x10"]
)
def test_conditions_take_no_exponent_or_special_numbers(tmp_path: Path, when: str) -> None:
    rules = f"rules:\n  - {{id: x, when: '{when}', weights: {{prod: 1}}, rationale: {{en: r}}}}\n"
    folder = write_pack(tmp_path, {"more.yaml": rules})
    with pytest.raises(KnowledgeBaseError):
        load_knowledge_base(folder)


@needs_durable
def test_failed_sessions_make_the_engine_start_over(
    mini_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modeadvisor.backends._durable import DurableEngine

    engine = DurableEngine(compile_pack(mini_kb), max_failed_sessions=3)
    pack = compile_pack(mini_kb)
    facts = [pack.fact("a", {"cost": 5})]
    expected = engine.fire(facts)
    first_host = engine._host

    def refuse(*args: object) -> None:
        raise RuntimeError("simulated engine error 303")

    monkeypatch.setattr(first_host, "assert_facts", refuse)
    for _ in range(3):
        with pytest.raises(EngineError, match="simulated"):
            engine.fire(facts)
    assert engine._host is not first_host
    assert engine.fire(facts) == expected


# --- resource bounds ---------------------------------------------------------------------------


def test_too_many_units_are_refused(mini_advisor: Advisor) -> None:
    small = Advisor(mini_advisor.knowledge_base, limits=Limits(max_units=3))
    units = [{"id": f"u{i}"} for i in range(4)]
    with pytest.raises(OrganisationError, match="4 units; the limit is 3"):
        small.assess({"organisation": "o", "units": units})


def test_conflict_work_beyond_the_bound_is_refused_before_the_engine_runs(tmp_path: Path) -> None:
    pairs = """conflicts:
  - id: every_pair
    kind: unit_mode_conflict
    severity: low
    match:
      a: unit
      b: unit where status == a.status
    explanation: {en: "{a.uid} and {b.uid}"}
    resolution: {en: "r"}
"""
    pack = write_pack(tmp_path, {"conflicts.yaml": pairs})
    units = [{"id": f"u{i}", "traits": {"cost": 5}} for i in range(60)]  # 60 x 59 bindings
    small = Advisor.from_path(pack, limits=Limits(max_conflict_bindings=1_000))
    with pytest.raises(LimitError, match=r"binds more than 1,000 combinations") as caught:
        small.assess({"organisation": "big", "units": units})
    assert caught.value.problems[0].location.file.endswith("conflicts.yaml")
    assert Advisor.from_path(pack).assess({"organisation": "big", "units": units}).conflicts


def test_a_pack_file_outside_the_pack_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("sources: []\n", encoding="utf-8")
    pack = write_pack(tmp_path / "pack", {})
    (pack / "linked.yaml").symlink_to(outside)
    with pytest.raises(KnowledgeBaseError, match="leads outside the pack folder"):
        load_knowledge_base(pack)
    assert load_knowledge_base(pack, limits=Limits(allow_outside_pack=True)).info.id == "mini"


def test_a_limit_error_exits_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "o.yaml"
    path.write_text(
        "organisation: o\nunits:\n  - id: a\n    name: " + "x" * 30_000 + "\n", encoding="utf-8"
    )
    assert main(["assess", str(path), "--rules", str(DATA / "mini")]) == 2
    err = capsys.readouterr().err
    assert "the limit is 20,000" in err
    assert "Traceback" not in err


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from([f.name for f in dataclasses.fields(Limits)]),
    number=st.integers(0, 10**15),
    flag=st.booleans(),
    grouping=st.sampled_from(["", "_", ","]),
)
def test_every_limit_can_be_set_by_name(name: str, number: int, flag: bool, grouping: str) -> None:
    """`NAME=VALUE` sets exactly that field to that value, whatever the field and the value."""
    boolean = isinstance(getattr(DEFAULT_LIMITS, name), bool)
    expected: int | bool
    if boolean:
        text, expected = ("True" if flag else "false"), flag
    else:
        text, expected = (f"{number:{grouping}}" if grouping else str(number)), number
    assert parse_limit(f"{name}={text}") == (name, expected)
    changed = DEFAULT_LIMITS.with_settings(
        [f"{name}=0" if not boolean else f"{name}=true", f" {name} = {text} "]
    )
    assert getattr(changed, name) == expected
    assert dataclasses.replace(changed, **{name: getattr(DEFAULT_LIMITS, name)}) == DEFAULT_LIMITS


def _parsed(text: str) -> tuple[str, int | bool] | str:
    try:
        return parse_limit(text)
    except ValueError as error:
        return str(error)


@given(
    text=st.one_of(
        st.text(max_size=30),
        st.builds("{}={}".format, st.sampled_from(sorted(limit_names())), st.text(max_size=12)),
    )
)
def test_any_setting_parses_to_the_fields_type_or_says_why_not(text: str) -> None:
    """Whatever follows --limit: a known name with a value of its type, or a ValueError."""
    result = _parsed(text)
    if isinstance(result, str):
        assert result.startswith(("unknown limit", f"'{text}' is not NAME=VALUE")) or (
            " takes " in result
        )
    else:
        name, value = result
        assert type(value) is type(limit_names()[name])


def test_the_hint_for_raising_a_limit_names_the_command_line_flag() -> None:
    assert how_to_raise("max_units") == (
        "raise Limits.max_units (on the command line: --limit max_units=N)"
    )
    assert how_to_raise("allow_outside_pack").endswith("--limit allow_outside_pack=true)")


def test_a_table_beyond_the_row_bound_is_refused(mini_advisor: Advisor) -> None:
    small = Advisor(mini_advisor.knowledge_base, limits=Limits(max_table_rows=2))
    rows = [{"unit": f"u{i}", "cost": 3} for i in range(3)]
    with pytest.raises(LimitError, match="3 rows; the limit is 2") as caught:
        small.assess_many(rows)
    assert "--limit max_table_rows=" in str(caught.value)
    assert small.assess_many(rows[:2]).ids == ["u0", "u1"]


def test_limits_are_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in Limits.__dataclass_fields__:
        assert f"`{name}`" in readme, name


def test_the_shipped_pack_and_examples_assess_within_default_limits(advisor: Advisor) -> None:
    for path in EXAMPLES:
        assert json.loads(advisor.assess(path).to_json())["units"]
