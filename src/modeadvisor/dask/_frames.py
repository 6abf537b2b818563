"""Scoring Dask DataFrames partition by partition (see the package's docstring)."""

from __future__ import annotations

import json
from typing import Any

import dask
import dask.dataframe as dd
import pandas as pd

from modeadvisor.advice import Advice
from modeadvisor.advisor import Advisor
from modeadvisor.errors import ModeAdvisorError
from modeadvisor.knowledge import KnowledgeBase

#: The columns each scored unit gets beside `BatchResult.to_pandas()`'s.
EXTRA = ("error", "pack_hash", "partition", "row")
ERROR_STATUS = "error"


def pack_hash(knowledge_base: KnowledgeBase) -> str:
    """Every layer and its content hash, bottom first: `core=sha256:…;acme=sha256:…`."""
    return ";".join(
        f"{pack}={knowledge_base.hashes.get(pack, '')}" for pack in knowledge_base.layers
    )


def score_units(advisor: Advisor, units: dd.DataFrame, *, top: int = 3) -> dd.DataFrame:
    """Score a Dask DataFrame of units (columns as `assess_many` reads them: `unit`, trait
    ids, optional `models_in_use`), lazily, one partition per task. The advisor is sent once
    to each worker. Columns: those of `BatchResult.to_pandas()` (status and dominant as text),
    then `error` (None, or why the row could not be scored: status "error"), `pack_hash`,
    `partition` and `row` (the explanation handle, for `advice_for`)."""
    shipped = dask.delayed(advisor, pure=True)  # one key: fetched once per worker
    meta = _score(units._meta, advisor, top, 0, pack_hash(advisor.knowledge_base))
    return units.map_partitions(
        _score_partition,
        shipped,
        top,
        pack_hash(advisor.knowledge_base),
        meta=meta,
        align_dataframes=False,
    )


def _score_partition(
    frame: pd.DataFrame,
    advisor: Advisor,
    top: int,
    hashed: str,
    partition_info: dict[str, Any] | None = None,
) -> pd.DataFrame:
    number = int(partition_info["number"]) if partition_info else 0
    return _score(frame, advisor, top, number, hashed)


def _score(
    frame: pd.DataFrame, advisor: Advisor, top: int, number: int, hashed: str
) -> pd.DataFrame:
    plain = frame.reset_index(drop=True)
    try:
        scored = _columns(advisor.assess_many(plain, top=top).to_pandas())
        scored["error"] = pd.Series([None] * len(scored), dtype=object)
    except ModeAdvisorError:  # a bad cell somewhere: each row alone, the bad ones named
        scored = pd.concat(
            [_one_row(advisor, plain.iloc[[i]], top) for i in range(len(plain))],
            ignore_index=True,
        )
    scored["pack_hash"] = hashed
    scored["partition"] = number
    scored["row"] = range(len(scored))
    scored.index = frame.index  # each unit under its label in the frame given
    return scored


def _one_row(advisor: Advisor, row: pd.DataFrame, top: int) -> pd.DataFrame:
    try:
        scored = _columns(advisor.assess_many(row.reset_index(drop=True), top=top).to_pandas())
        scored["error"] = pd.Series([None], dtype=object)
        return scored
    except ModeAdvisorError as error:
        empty = _columns(advisor.assess_many(row.iloc[:0], top=top).to_pandas())
        failed: dict[str, Any] = dict.fromkeys(empty.columns)
        unit = row["unit"].iloc[0] if "unit" in row.columns else None
        failed.update(unit=None if unit is None else str(unit), status=ERROR_STATUS, mixed=False)
        failed.update(top_recommendations=[], conflicts=[], error=_why(error))
        return pd.DataFrame([failed]).astype(empty.dtypes.to_dict() | {"error": object})


def _why(error: ModeAdvisorError) -> str:
    """Every problem of a row, without the place in the one-row table it was scored as (the
    row's `partition` and `row` say where it is)."""
    return "; ".join(p.message + (f" ({p.hint})" if p.hint else "") for p in error.problems)


def _columns(scored: pd.DataFrame) -> pd.DataFrame:
    """Status and dominant as text: categories differ from partition to partition."""
    for name in ("unit", "status", "dominant"):
        scored[name] = scored[name].astype(object).where(scored[name].notna(), None)
    return scored


def advice_for(advisor: Advisor, units: dd.DataFrame, partition: int, row: int) -> Advice:
    """The full Advice (evidence, reasons) of the unit at this handle of `score_units`."""
    frame = units.get_partition(int(partition)).compute().reset_index(drop=True)
    result = advisor.assess_many(frame.iloc[[int(row)]].reset_index(drop=True))
    return advisor.advice_for(result, 0)


def assess_organisations(advisor: Advisor, organisations: dd.Series) -> dd.DataFrame:
    """Assess many organisations, one per element of a Dask Series (an organisation file's
    content as a mapping or as JSON text), each whole within its partition. Columns:
    `organisation` (its name, where it could be read), `advice` (`Advice.to_json()`),
    `error` (None, or every located problem), `pack_hash`."""
    shipped = dask.delayed(advisor, pure=True)
    meta = pd.DataFrame(
        {
            "organisation": pd.Series([], dtype=object),
            "advice": pd.Series([], dtype=object),
            "error": pd.Series([], dtype=object),
            "pack_hash": pd.Series([], dtype=object),
        }
    )
    return organisations.map_partitions(
        _assess_partition,
        shipped,
        pack_hash(advisor.knowledge_base),
        meta=meta,
        align_dataframes=False,
    )


def _assess_partition(series: pd.Series, advisor: Advisor, hashed: str) -> pd.DataFrame:
    rows: list[tuple[str | None, str | None, str | None]] = []
    for document in series:
        name: str | None = None
        try:
            data = json.loads(document) if isinstance(document, str | bytes) else document
            if isinstance(data, dict) and isinstance(data.get("organisation"), str):
                name = data["organisation"]
            advice = advisor.assess(data)
            rows.append((advice.organisation, advice.to_json(), None))
        except (ModeAdvisorError, ValueError) as error:  # bad JSON is a ValueError
            why = _why(error) if isinstance(error, ModeAdvisorError) else f"not JSON: {error}"
            rows.append((name, None, why))
    frame = pd.DataFrame(rows, columns=["organisation", "advice", "error"], dtype=object)
    frame["pack_hash"] = pd.Series([hashed] * len(frame), dtype=object)
    frame.index = series.index
    return frame
