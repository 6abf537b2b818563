"""The scoring kernel's faster forms give the very numbers of the plain ones they replaced.

Each is checked against the plain arithmetic written out here (a product of integers, the
link-by-link loop, repeated argmins, networkx), on any input hypothesis makes; the
differential tests (`test_backends`, `test_tables`) check the advice as a whole.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from modeadvisor import KnowledgeBase
from modeadvisor.graph import model_scores
from modeadvisor.knowledge._loading import layer_cycles, parents_first
from modeadvisor.profile import Profiles, evidence
from modeadvisor.scoring import MICRO
from modeadvisor.tables._results import Scoring

IntArray = npt.NDArray[np.int64]


@settings(max_examples=200, deadline=None)
@given(
    shape=st.tuples(st.integers(0, 40), st.integers(0, 70), st.integers(1, 6)),
    data=st.data(),
)
def test_weight_sums_by_bytes_are_the_integer_product(
    shape: tuple[int, int, int], data: st.DataObject
) -> None:
    units, rules, archetypes = shape
    weights = data.draw(
        hnp.arrays(np.int64, (rules, archetypes), elements=st.integers(-(10**9), 10**9))
    )
    fired = data.draw(hnp.arrays(np.bool_, (units, rules)))
    raw, count = evidence(weights, fired)
    assert raw.dtype == np.int64
    assert count.dtype == np.int64
    assert raw.shape == (units, archetypes)
    assert raw.flags.c_contiguous
    assert (raw == fired.astype(np.int64) @ weights).all()
    assert (count == fired.sum(axis=1)).all()


def _profiles(weights: npt.NDArray[np.float64], ok: npt.NDArray[np.bool_]) -> Profiles:
    size = weights.shape[0]
    nothing = np.zeros(size, dtype=np.int64)
    return Profiles(
        raw=np.zeros(weights.shape, np.int64),
        weights=weights,
        ok=ok,
        dominant=nothing,
        secondary=nothing,
        mixed=np.zeros(size, np.bool_),
        fired_count=nothing,
        observed=nothing,
    )


def _link_by_link(kb: KnowledgeBase, found: Profiles) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Model scores as they were first written: one link at a time, over every unit."""
    archetypes, models = list(kb.archetypes), list(kb.models)
    size = found.weights.shape[0]
    score = np.zeros((size, len(models)), dtype=np.int64)
    reached = np.zeros((size, len(models)), dtype=np.bool_)
    for link in kb.links:
        if link.relation == "evolves_to":
            continue
        sign = 1.0 if link.relation == "suits" else -1.0
        weight = found.weights[:, archetypes.index(link.source_node)]
        active = found.ok & (weight > 0)
        pushed = np.rint(sign * weight * link.strength * MICRO).astype(np.int64)
        column = models.index(link.target)
        score[:, column] += np.where(active, pushed, 0)
        reached[:, column] |= active
    return score, reached


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_model_scores_row_by_link_are_the_link_by_link_loop(
    shipped_kb: KnowledgeBase, data: st.DataObject
) -> None:
    size = data.draw(st.integers(0, 30))
    count = len(shipped_kb.archetypes)
    # shares as the profile makes them (an integer over a total), and any other float
    numerators = data.draw(hnp.arrays(np.int64, (size, count), elements=st.integers(0, 10**7)))
    totals = np.maximum(numerators.sum(axis=1, keepdims=True), 1)
    shares = numerators / totals
    others = data.draw(
        hnp.arrays(np.float64, (size, count), elements=st.floats(-2, 2, allow_nan=False))
    )
    weights = np.where(data.draw(hnp.arrays(np.bool_, (size, count))), shares, others)
    ok = data.draw(hnp.arrays(np.bool_, size))
    found = _profiles(weights, ok)
    scores = model_scores(shipped_kb, found)
    score, reached = _link_by_link(shipped_kb, found)
    assert (scores.micro == score).all()
    assert (scores.reached == reached).all()
    for link, pushed, active in scores.pushes:
        column = list(shipped_kb.models).index(link.target)
        assert ((pushed != 0) <= active).all()
        assert (active <= reached[:, column]).all()


def _argmins(scoring: Scoring, micro: IntArray, recommended: npt.NDArray[np.bool_]) -> IntArray:
    """The best recommended models as first written: the smallest key, three times over."""
    last = np.iinfo(np.int64).max
    key = np.where(recommended, -micro * (len(scoring.models) + 1) + scoring.rank[None, :], last)
    top = np.full((key.shape[0], scoring.top), -1, dtype=np.int64)
    rows = np.arange(key.shape[0])
    for rank in range(min(scoring.top, len(scoring.models))):
        best = np.argmin(key, axis=1)
        top[:, rank] = np.where(key[rows, best] != last, best, -1)
        key[rows, best] = last
    return top


@settings(max_examples=100, deadline=None)
@given(top=st.integers(1, 20), data=st.data())
def test_the_best_models_by_one_sort_are_those_of_repeated_argmins(
    shipped_kb: KnowledgeBase, top: int, data: st.DataObject
) -> None:
    scoring = Scoring(shipped_kb, top=top)
    shape = (data.draw(st.integers(0, 30)), len(scoring.models))
    micro = data.draw(hnp.arrays(np.int64, shape, elements=st.integers(-3, 3))) * 250_000
    recommended = data.draw(hnp.arrays(np.bool_, shape))
    assert (scoring._best(micro, recommended) == _argmins(scoring, micro, recommended)).all()


@settings(max_examples=300, deadline=None)
@given(
    packs=st.lists(st.sampled_from("abcdefg"), min_size=1, max_size=7, unique=True),
    data=st.data(),
)
def test_packs_are_layered_as_networkx_orders_them(packs: list[str], data: st.DataObject) -> None:
    """Each pack extends at most one: cycles and the order are those networkx finds."""
    parents = {
        pack: parent
        for pack in packs
        if (parent := data.draw(st.one_of(st.none(), st.sampled_from(packs)))) is not None
    }
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(packs)
    graph.add_edges_from((parent, pack) for pack, parent in parents.items())
    cycles = sorted(sorted(cycle) for cycle in nx.simple_cycles(graph))
    assert layer_cycles(parents) == cycles
    if not cycles:
        place = {pack: str(index).zfill(6) for index, pack in enumerate(packs)}
        expected = list(nx.lexicographical_topological_sort(graph, key=place.__getitem__))
        assert parents_first(packs, parents) == expected


def test_a_batch_loads_neither_the_assessment_nor_networkx_nor_pandas(tmp_path: Path) -> None:
    """`modeadvisor batch` starts without what other commands need (a third of its start-up),
    and without pandas, which pyarrow imports (0.2-0.3 s) wherever an array or a scalar is made
    from a Python value: from a CSV and (with pyarrow) from Parquet, to every format."""
    table, bad = tmp_path / "units.csv", tmp_path / "bad.csv"
    table.write_text("unit,sector,cost_focus\nplant,private,4\n a ,public,2\n", encoding="utf-8")
    bad.write_text("unit,sector,cost_focus\nplant,private,x\n", encoding="utf-8")
    tables, outputs = [table, bad], ["csv", "jsonl", "json"]
    if importlib.util.find_spec("pyarrow") is not None:
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        for csv in (table, bad):
            pq.write_table(pacsv.read_csv(csv), csv.with_suffix(".parquet"))
            tables.append(csv.with_suffix(".parquet"))
        outputs += ["parquet", "arrow"]
    runs = [
        ["batch", str(source), "-o", str(tmp_path / f"out.{kind}")]
        for source in tables
        for kind in outputs
    ]
    code = (
        "import sys\n"
        "from modeadvisor.cli import main\n"
        f"for args in {runs!r}:\n"
        "    assert main(args) == (2 if 'bad' in args[1] else 0), args\n"
        "print(sorted(sys.modules), file=sys.stderr)\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stderr
    for module in (
        "networkx",
        "pydot",
        "modeadvisor.advisor",
        "modeadvisor.organisation",
        "modeadvisor.reports.html",
        "modeadvisor.authoring.lint",
        "modeadvisor.whatif",
        "pandas",
    ):
        assert f"'{module}'" not in loaded, module
    assert "'modeadvisor.tables'" in loaded


@pytest.mark.parametrize("chosen", [None, "system"])
def test_a_batch_uses_pyarrows_jemalloc_pool_unless_the_user_chose_one(
    tmp_path: Path, chosen: str | None
) -> None:
    """The command line's process takes jemalloc (less memory, fewer page faults than the
    default); a pool the user named in ARROW_DEFAULT_MEMORY_POOL is kept."""
    pa = pytest.importorskip("pyarrow")
    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        pytest.skip("this pyarrow has no jemalloc")
    table = tmp_path / "units.csv"
    table.write_text("unit,sector,cost_focus\nplant,private,4\n", encoding="utf-8")
    code = (
        "import sys, pyarrow\n"
        "from modeadvisor.cli import main\n"
        f"assert main(['batch', {str(table)!r}, '-o', {str(tmp_path / 'out.csv')!r}]) == 0\n"
        "print(pyarrow.default_memory_pool().backend_name, file=sys.stderr)\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if chosen is not None:
        environment["ARROW_DEFAULT_MEMORY_POOL"] = chosen
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment
    ).stderr.split()[-1]
    assert found == (chosen or "jemalloc")
