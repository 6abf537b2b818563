"""Batches on Dask: the same advice as `assess_many` on one machine, partition by partition on a
real `distributed.LocalCluster` of worker processes (loopback only), a bad row an error in its
column instead of a failed job, and every row with its pack hash and explanation handle."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import dask.dataframe as dd
import pandas as pd
import pytest
import yaml

from modeadvisor import Advisor, KnowledgeBase
from modeadvisor.authoring.impact import sample_population
from modeadvisor.dask import advice_for, assess_organisations, pack_hash, score_units

from .conftest import ROOT

COMPARED = ["unit", "status", "dominant", "mixed", "top_recommendations", "conflicts"]


def _units(kb: KnowledgeBase, size: int) -> pd.DataFrame:
    """Generated units as table rows: traits in columns, models separated by `;`."""
    rows = []
    for organisation in sample_population(kb, kb, size, seed=7):
        for unit in organisation["units"]:
            row: dict[str, Any] = {
                "unit": unit["id"],
                "models_in_use": ";".join(unit["models_in_use"]),
            }
            for trait, value in unit["traits"].items():
                row[trait] = "|".join(value) if isinstance(value, list) else value
            rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.astype(dict.fromkeys(frame.columns, object))  # cells as a CSV reader gives them


def _same_as_assess_many(advisor: Advisor, frame: pd.DataFrame, scored: pd.DataFrame) -> None:
    local = advisor.assess_many(frame).to_pandas()
    assert len(scored) == len(local)
    for column in COMPARED:
        mine = [_plain(v) for v in scored[column]]
        theirs = [_plain(v) for v in local[column]]
        assert mine == theirs, column
    for archetype in advisor.knowledge_base.archetypes:
        assert scored[archetype].tolist() == local[archetype].tolist(), archetype


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "tolist"):
        return list(value.tolist())
    return list(value) if isinstance(value, list) else value


def test_partitions_score_as_assess_many(advisor: Advisor, shipped_kb: KnowledgeBase) -> None:
    vectorised = Advisor(shipped_kb, backend="vectorised")
    frame = _units(shipped_kb, 120)
    scored = score_units(vectorised, dd.from_pandas(frame, npartitions=5))
    found = scored.compute(scheduler="synchronous").reset_index(drop=True)
    _same_as_assess_many(vectorised, frame, found)
    assert set(found["pack_hash"]) == {f"core={shipped_kb.hashes['core']}"}
    assert found["error"].isna().all()
    assert sorted(set(found["partition"])) == [0, 1, 2, 3, 4]
    # the handle finds the unit: its full advice is the one assess_many gives that row
    middle = found.iloc[60]
    advice = advice_for(
        vectorised, dd.from_pandas(frame, npartitions=5), middle["partition"], middle["row"]
    )
    local = vectorised.assess_many(frame)
    assert advice.to_json() == vectorised.advice_for(local, 60).to_json()


def test_a_bad_row_is_an_error_in_its_column(shipped_kb: KnowledgeBase) -> None:
    vectorised = Advisor(shipped_kb, backend="vectorised")
    frame = _units(shipped_kb, 30)
    frame["cost_focus"] = frame["cost_focus"].astype(object)
    frame.loc[4, "cost_focus"] = "lots"
    scored = score_units(vectorised, dd.from_pandas(frame, npartitions=3))
    found = scored.compute(scheduler="synchronous").reset_index(drop=True)
    bad = found.iloc[4]
    assert bad["status"] == "error"
    assert "'cost_focus' is a scale (1-5), found 'lots'" in bad["error"]
    assert pd.isna(bad["production"])
    good = found.drop(index=4).reset_index(drop=True)
    _same_as_assess_many(vectorised, frame.drop(index=4).reset_index(drop=True), good)
    assert good["error"].isna().all()


def test_pack_hash_names_every_layer(tmp_path: Any) -> None:
    from modeadvisor import load_knowledge_base

    layer = tmp_path / "acme"
    layer.mkdir()
    (layer / "acme.yaml").write_text(
        "pack: {id: acme, name: {en: Acme}, extends: core}\n", encoding="utf-8"
    )
    kb = load_knowledge_base(layer)
    assert pack_hash(kb) == f"core={kb.hashes['core']};acme={kb.hashes['acme']}"


def _organisations() -> list[str]:
    good = [
        json.dumps(yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text("utf-8")))
        for name in ("manufacturer", "municipality", "service-company", "city-library")
    ]
    unknown_trait = json.dumps(
        {"organisation": "Typo Oy", "units": [{"id": "a", "traits": {"cost_fokus": 3}}]}
    )
    return [*good, unknown_trait, "{not json"]


def test_organisations_are_assessed_each_whole(shipped_kb: KnowledgeBase) -> None:
    vectorised = Advisor(shipped_kb, backend="vectorised")
    documents = _organisations()
    series = dd.from_pandas(pd.Series(documents), npartitions=3)
    found = assess_organisations(vectorised, series).compute(scheduler="synchronous")
    for document, (_, row) in zip(documents[:4], found.iterrows(), strict=False):
        assert row["advice"] == vectorised.assess(json.loads(document)).to_json()
        assert pd.isna(row["error"])
    typo, broken = found.iloc[4], found.iloc[5]
    assert typo["organisation"] == "Typo Oy"
    assert "did you mean 'cost_focus'" in typo["error"]
    assert pd.isna(typo["advice"])
    assert broken["error"].startswith("not JSON: ")


# --- on a real cluster of worker processes ---------------------------------------------------


@pytest.fixture
def client() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=50,
    )
    with cluster, distributed.Client(cluster) as connected:
        yield connected


@pytest.mark.slow
def test_on_a_local_cluster_the_advice_is_that_of_one_machine(
    client: Any, shipped_kb: KnowledgeBase
) -> None:
    vectorised = Advisor(shipped_kb, backend="vectorised")
    frame = _units(shipped_kb, 400)
    frame.loc[17, "models_in_use"] = "no_such_model"
    units = dd.from_pandas(frame, npartitions=8)
    found = score_units(vectorised, units).compute().reset_index(drop=True)
    assert found.iloc[17]["status"] == "error"
    assert "no_such_model" in found.iloc[17]["error"]
    good = found.drop(index=17).reset_index(drop=True)
    _same_as_assess_many(vectorised, frame.drop(index=17).reset_index(drop=True), good)
    assert len(client.scheduler_info()["workers"]) == 2
    documents = _organisations()
    assessed = assess_organisations(
        vectorised, dd.from_pandas(pd.Series(documents), npartitions=2)
    ).compute()
    assert assessed["advice"].iloc[0] == vectorised.assess(json.loads(documents[0])).to_json()
    assert assessed["error"].notna().tolist() == [False] * 4 + [True, True]


def test_the_advisor_is_one_task_every_partition_reads(shipped_kb: KnowledgeBase) -> None:
    """The compiled pack travels once to each worker: one node of the graph holds the advisor,
    and every partition's task depends on that node rather than carrying a copy."""
    vectorised = Advisor(shipped_kb, backend="vectorised")
    frame = _units(shipped_kb, 40)
    graph = dict(score_units(vectorised, dd.from_pandas(frame, npartitions=4)).__dask_graph__())
    # dask names the advisor by a hash of its content, so an equal advisor may stand in for it
    holding = [
        key for key, node in graph.items() if isinstance(getattr(node, "value", None), Advisor)
    ]
    assert len(holding) == 1
    scoring = [node for key, node in graph.items() if key[0].startswith("_score_partition")]
    assert len(scoring) == 4
    assert all(holding[0] in node.dependencies for node in scoring)
