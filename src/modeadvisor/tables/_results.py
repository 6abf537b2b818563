"""Advice for a table, as columns: each batch scored at once, the result kept as arrays.

`score` is the vectorised advice of one batch: the scoring rules, the one profile arithmetic
(`profile.profiles`), the one model arithmetic (`graph.model_scores`), the conflict rules about
a single unit, and each unit's top recommendations. `BatchResult` gathers the batches; it turns
into Arrow, pandas or polars columns without a loop over rows, and any unit's full `Advice` is
one `assess` away (`Advisor.advice_for`), from the cells the unit was read from.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from modeadvisor import conditions as cond
from modeadvisor._cells import cell_value
from modeadvisor.backends._vectorised import ConflictChecks, Scorer, UnitTable
from modeadvisor.graph import model_scores
from modeadvisor.knowledge import KnowledgeBase
from modeadvisor.profile import profiles
from modeadvisor.scoring import micro
from modeadvisor.tables._arrow import arrow, pyarrow, require_arrow, texts
from modeadvisor.tables._encoding import MODELS_COLUMN, UNIT_COLUMN, Cells, models_of, text_of

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


# --- scoring a batch -------------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """One batch's advice as arrays, a row per unit."""

    ids: Cells
    ok: BoolArray
    dominant: IntArray  # archetype index, -1 for none
    mixed: BoolArray
    weights: FloatArray  # (units, archetypes), exact
    raw: IntArray  # (units, archetypes), millionths: the weights' exact numerators
    top: IntArray  # (units, top) model indexes, best first, -1 past the last
    flags: dict[str, BoolArray]  # conflict rule id -> units it finds a conflict for

    @property
    def size(self) -> int:
        return int(self.ok.shape[0])

    def pieces(self, rows: int = 1 << 16) -> Iterator[Scored]:
        """The rows in pieces of at most `rows` (a piece's text stays within Arrow's 2 GB)."""
        if self.size <= rows:
            yield self
            return
        for start in range(0, self.size, rows):
            stop = start + rows
            yield Scored(
                self.ids[start:stop] if isinstance(self.ids, list) else self.ids.slice(start, rows),
                self.ok[start:stop],
                self.dominant[start:stop],
                self.mixed[start:stop],
                self.weights[start:stop],
                self.raw[start:stop],
                self.top[start:stop],
                {rule: flags[start:stop] for rule, flags in self.flags.items()},
            )


class Scoring:
    """What scoring a batch needs from a pack, built once for a table."""

    def __init__(self, kb: KnowledgeBase, scorer: Scorer | None = None, top: int = 3) -> None:
        self.kb = kb
        self.scorer = scorer or Scorer(kb)
        self.checks = ConflictChecks(kb)
        self.top = top
        self.archetypes, self.models = list(kb.archetypes), list(kb.models)
        self.rules = sorted(rule.id for rule in self.checks.rules)
        order = sorted(
            range(len(self.models)), key=lambda m: (kb.models[self.models[m]].kind, self.models[m])
        )
        self.rank = np.empty(len(self.models), dtype=np.int64)
        self.rank[order] = np.arange(len(self.models))
        self.by_rank = np.array(order, dtype=np.int64)  # the model of each rank
        self.recommend_min = micro(kb.settings.recommend_min)

    def score(self, units: UnitTable, ids: Cells) -> Scored:
        kb = self.kb
        fired = self.scorer.fired(units)
        found = profiles(kb, fired, units.observed_count)
        scores = model_scores(kb, found)
        flags = self.checks.flags(units, found, scores)
        recommended = found.ok[:, None] & scores.reached & (scores.micro >= self.recommend_min)
        top = self._best(scores.micro, recommended)
        pa = arrow()
        if pa is not None and isinstance(ids, list):
            ids = texts(ids)
        return Scored(
            ids=ids,
            ok=found.ok,
            dominant=found.dominant,
            mixed=found.mixed,
            weights=found.weights,
            raw=found.raw,
            top=top,
            flags=flags,
        )

    def _best(self, micro: IntArray, recommended: BoolArray) -> IntArray:
        """Each unit's recommended models, best first (the highest score, a tie to the
        model first by kind and id), -1 past the last: each row's keys sorted, the smallest
        first. A key is unique in its row and says its model: -score x (models + 1) + rank."""
        last = np.iinfo(np.int64).max
        count = len(self.models)
        key = np.where(recommended, -micro * (count + 1) + self.rank[None, :], last)
        width = min(self.top, count)
        smallest = np.sort(key, axis=1)[:, :width]
        top = np.full((key.shape[0], self.top), -1, dtype=np.int64)
        ranks = np.minimum(smallest % (count + 1), count - 1)  # `last` is no model's key
        top[:, :width] = np.where(smallest != last, self.by_rank[ranks], -1)
        return top


# --- the units behind a result ---------------------------------------------------------------


class Table:
    """Units from a table: ids, typed trait values, models in use (one row per unit).

    Made from typed rows, or (by the readers) over the cells a table was read from, each row
    typed by the one cell parser when it is asked for.
    """

    __hash__ = None  # type: ignore[assignment]

    def __init__(
        self,
        ids: list[str],
        values: list[dict[str, cond.TraitValue]],
        in_use: list[frozenset[str]],
    ) -> None:
        self._rows: _Rows | None = (ids, values, in_use)
        self._cells: RawCells | None = None
        self._size = len(ids)

    @classmethod
    def _over(cls, cells: RawCells, size: int) -> Table:
        table = cls.__new__(cls)
        table._rows, table._cells, table._size = None, cells, size
        return table

    def _typed(self) -> _Rows:
        if self._rows is None:
            assert self._cells is not None
            rows = [self._cells.typed(row) for row in range(self._size)]
            self._rows = ([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
        return self._rows

    @property
    def ids(self) -> list[str]:
        return self._typed()[0]

    @property
    def values(self) -> list[dict[str, cond.TraitValue]]:
        return self._typed()[1]

    @property
    def in_use(self) -> list[frozenset[str]]:
        return self._typed()[2]

    def __len__(self) -> int:
        return self._size

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Table) and self._typed() == other._typed()

    def __repr__(self) -> str:
        return f"Table({self._size} units)"

    def raw_unit(self, row: int) -> dict[str, Any]:
        """Row `row` as an organisation file's unit."""
        if self._cells is not None and self._rows is None:
            return _raw_unit(*self._cells.typed(row))
        ids, values, in_use = self._typed()
        return _raw_unit(ids[row], values[row], in_use[row])


_Rows = tuple[list[str], list[dict[str, cond.TraitValue]], list[frozenset[str]]]


def _raw_unit(
    unit: str, values: Mapping[str, cond.TraitValue], in_use: frozenset[str]
) -> dict[str, Any]:
    traits = {k: sorted(v) if isinstance(v, frozenset) else v for k, v in values.items()}
    return {"id": unit, "traits": traits, "models_in_use": sorted(in_use)}


def _cell(values: Cells, row: int) -> object:
    return values[row] if isinstance(values, list | tuple) else values[row].as_py()


class RawCells:
    """The cells a table was read from, kept by batch, for any unit's full Advice later.

    Arrow columns are kept as read (dictionary-encoded text costs little); each unit asked for
    is read again by the one cell parser, so it is the unit `assess` would get from the file.
    """

    def __init__(self, kb: KnowledgeBase, names: Mapping[int, str]) -> None:
        self.kb = kb
        self.names = names  # the layout's, which a reader of mappings extends as it goes
        self.starts: list[int] = []
        self.batches: list[dict[int, Cells]] = []

    def add(self, start: int, cells: dict[int, Cells]) -> None:
        self.starts.append(start)
        self.batches.append(cells)

    def typed(self, row: int) -> tuple[str, dict[str, cond.TraitValue], frozenset[str]]:
        """Row `row`'s id, typed trait values and known models in use."""
        index = bisect.bisect_right(self.starts, row) - 1
        cells, at = self.batches[index], row - self.starts[index]
        unit, values, in_use = "", {}, frozenset[str]()
        for column, name in self.names.items():
            if column not in cells:
                continue
            cell = _cell(cells[column], at)
            if name == UNIT_COLUMN:
                unit = text_of(cell)
            elif name == MODELS_COLUMN:
                in_use = models_of(cell) & frozenset(self.kb.models)
            elif (value := cell_value(self.kb.traits[name], cell)[0]) is not None:
                values[name] = value
        return unit, values, in_use

    def table(self, size: int) -> Table:
        """The table of these cells' `size` rows, typed row by row when asked."""
        return Table._over(self, size)


# --- the result ------------------------------------------------------------------------------


def _concat_ids(parts: Sequence[Scored]) -> Cells:
    pa = arrow()
    if pa is not None and parts and not isinstance(parts[0].ids, list):
        return pa.concat_arrays([part.ids for part in parts])
    return [unit for part in parts for unit in part.ids]


@dataclass(frozen=True, eq=False)
class BatchResult:
    """Advice for a table of units as columns; any unit's full Advice on demand.

    `weights` are exact (units x archetypes); `ok`, `dominant_index` (-1 for none), `mixed`
    and `top_index` (model indexes, best first, -1 past the last) are arrays too; `ids`,
    `status`, `dominant` and `top_recommendations` give the same as Python lists.
    """

    archetypes: list[str]
    models: list[str]
    rules: list[str]  # the conflict rules about a single unit, checked for each
    unit_ids: Cells
    ok: BoolArray
    dominant_index: IntArray
    mixed: BoolArray
    weights: FloatArray
    raw: IntArray
    top_index: IntArray
    conflict_flags: dict[str, BoolArray]
    table: Table

    @classmethod
    def _joined(cls, scoring: Scoring, parts: Sequence[Scored], table: Table) -> BatchResult:
        """The batches' results as one."""
        archetypes = len(scoring.archetypes)

        def joined(field: str, shape: tuple[int, ...], dtype: Any) -> Any:
            arrays = [getattr(part, field) for part in parts]
            return np.concatenate(arrays) if arrays else np.zeros(shape, dtype=dtype)

        return cls(
            archetypes=scoring.archetypes,
            models=scoring.models,
            rules=scoring.rules,
            unit_ids=_concat_ids(parts),
            ok=joined("ok", (0,), np.bool_),
            dominant_index=joined("dominant", (0,), np.int64),
            mixed=joined("mixed", (0,), np.bool_),
            weights=joined("weights", (0, archetypes), np.float64),
            raw=joined("raw", (0, archetypes), np.int64),
            top_index=joined("top", (0, scoring.top), np.int64),
            conflict_flags={
                rule: np.concatenate([part.flags[rule] for part in parts])
                if parts
                else np.zeros(0, np.bool_)
                for rule in scoring.rules
            },
            table=table,
        )

    def __len__(self) -> int:
        return int(self.ok.shape[0])

    @property
    def _whole(self) -> Scored:
        """The whole result as one batch (for the writers)."""
        return Scored(
            self.unit_ids,
            self.ok,
            self.dominant_index,
            self.mixed,
            self.weights,
            self.raw,
            self.top_index,
            self.conflict_flags,
        )

    @cached_property
    def ids(self) -> list[str]:
        ids = self.unit_ids
        return list(ids) if isinstance(ids, list) else list(ids.to_pylist())

    @cached_property
    def status(self) -> list[str]:
        return ["ok" if ok else "insufficient_evidence" for ok in self.ok.tolist()]

    @cached_property
    def dominant(self) -> list[str | None]:
        return [self.archetypes[d] if d >= 0 else None for d in self.dominant_index.tolist()]

    @cached_property
    def top_recommendations(self) -> list[list[str]]:
        return [[self.models[m] for m in row if m >= 0] for row in self.top_index.tolist()]

    # --- columns out -------------------------------------------------------------------------

    def to_arrow(self) -> Any:
        """A pyarrow Table: unit, status, dominant, mixed, a weight column per archetype,
        top_recommendations and conflicts (lists of ids)."""
        from modeadvisor.tables._writers import Names, arrow_batch

        require_arrow("BatchResult.to_arrow")
        pa = pyarrow()

        return pa.Table.from_batches([arrow_batch(Names.of(self), self._whole)])

    def to_pandas(self) -> Any:
        """A pandas DataFrame of `to_arrow`'s columns (status and dominant categorical)."""
        return self.to_arrow().to_pandas()

    def to_polars(self) -> Any:
        """A polars DataFrame of `to_arrow`'s columns."""
        import polars

        return polars.from_arrow(self.to_arrow())

    def to_csv(self) -> str:
        """unit, status, dominant, mixed, weights to four decimals, top_recommendations and
        conflicts (`;`-separated), one unit per line."""
        import io

        from modeadvisor.tables._writers import CsvWriter, Names

        out = io.BytesIO()
        writer = CsvWriter(out, Names.of(self))
        writer.write(self._whole)
        writer.close()
        return out.getvalue().decode("utf-8")

    def to_json(self) -> str:
        return (
            json.dumps(
                {
                    "units": self.ids,
                    "archetypes": self.archetypes,
                    "weights": [[round(float(w), 4) for w in row] for row in self.weights],
                    "status": self.status,
                    "dominant": self.dominant,
                    "mixed": [bool(m) for m in self.mixed],
                    "top_recommendations": self.top_recommendations,
                    "conflicts": {
                        rule: [self.ids[i] for i in np.flatnonzero(flags)]
                        for rule, flags in sorted(self.conflict_flags.items())
                    },
                },
                indent=1,
                ensure_ascii=False,
            )
            + "\n"
        )


def evaluate_table(
    kb: KnowledgeBase, table: Table, top: int = 3, scorer: Scorer | None = None
) -> BatchResult:
    """Score every unit of a table of typed values at once."""
    scoring = Scoring(kb, scorer, top)
    units = UnitTable(kb, table.values, table.in_use)
    return BatchResult._joined(scoring, [scoring.score(units, list(table.ids))], table)
