"""Choosing a backend: one name each, the same advice, and errors that say what they are."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout

import pytest

from modeadvisor import KnowledgeBase, OrganisationError, backends
from modeadvisor.backends import Backend, durable_available
from modeadvisor.cli import main

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("choice", ["vectorised", "python"])
def test_the_vectorised_backend_is_a_backend(shipped_kb: KnowledgeBase, choice: str) -> None:
    chosen: Backend = backends.choose(shipped_kb, choice)
    assert chosen.name == "vectorised"
    fired = chosen.fired([{"cost_focus": 5}, {}])
    assert fired.shape == (2, len(shipped_kb.compiled.rules))
    assert fired[0].any()
    assert not fired[1].any()


@pytest.mark.skipif(not durable_available(), reason="durable-rules does not import here")
def test_both_backends_fire_the_same_rules(shipped_kb: KnowledgeBase) -> None:
    units = [{"cost_focus": 5, "daily_flex_to_customer": 4}, {"cost_focus": 1}, {}]
    durable = backends.choose(shipped_kb, "durable")
    vectorised = backends.choose(shipped_kb, "vectorised")
    assert durable.name == "durable"
    assert (durable.fired(units) == vectorised.fired(units)).all()


@pytest.mark.skipif(not durable_available(), reason="durable-rules does not import here")
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_cli_gives_the_same_json_on_both_backends(example: object) -> None:
    durable = _run("assess", str(example), "--format", "json", "--backend", "durable")
    vectorised = _run("assess", str(example), "--format", "json", "--backend", "vectorised")
    assert durable[0] == vectorised[0] == 0
    assert durable[1] == vectorised[1]
    assert '"units"' in durable[1]


def test_an_unavailable_durable_backend_is_exit_2_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(backends, "durable_unavailable", lambda: "no compiler on this machine")
    code, out, err = _run("assess", str(EXAMPLES[0]), "--backend", "durable")
    assert code == 2
    assert out == ""
    assert "no compiler on this machine" in err
    assert "internal error" not in err


def test_an_unknown_backend_is_a_usage_error() -> None:
    code, _, err = _run("assess", str(EXAMPLES[0]), "--backend", "numpy")
    assert code == 2
    assert "invalid choice: 'numpy'" in err


def test_an_assessment_leaves_the_cycle_collector_as_it_found_it(shipped_kb: KnowledgeBase) -> None:
    import gc

    from modeadvisor import Advisor

    advisor = Advisor(shipped_kb, backend="vectorised")
    assert gc.isenabled()
    advisor.assess(EXAMPLES[0])
    assert gc.isenabled()
    gc.disable()
    try:
        advisor.assess(EXAMPLES[0])
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(OrganisationError, match="cannot read file"):
        advisor.assess(ROOT / "no-such-file.yaml")
    assert gc.isenabled()  # switched back on when the assessment fails too


def test_an_assessment_leaves_frozen_objects_frozen(shipped_kb: KnowledgeBase) -> None:
    """Its objects skip the young generations only where nothing is frozen: what a caller froze
    (a server before forking) stays frozen, and nothing is frozen after it."""
    import gc

    from modeadvisor import Advisor

    advisor = Advisor(shipped_kb, backend="vectorised")
    assert gc.get_freeze_count() == 0
    first = advisor.assess(EXAMPLES[0]).to_json()
    assert gc.get_freeze_count() == 0
    mine = [[index] for index in range(10)]  # tracked objects a caller made and froze
    gc.freeze()
    try:
        assert advisor.assess(EXAMPLES[0]).to_json() == first
        assert gc.get_freeze_count() > 0
        tracked = gc.get_objects()  # every generation but the frozen one
        assert not any(item is mine for item in tracked)
        assert not any(item is mine[0] for item in tracked)
    finally:
        gc.unfreeze()
    assert any(item is mine for item in gc.get_objects())
