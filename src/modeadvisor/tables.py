"""Tables of units in (CSV, rows, frames), typed and checked; results out as columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from modeadvisor import conditions as cond
from modeadvisor.backends._vectorised import (
    ConflictChecks,
    Scorer,
    UnitTable,
    model_scores,
    profiles,
)
from modeadvisor.knowledge import KnowledgeBase, Trait
from modeadvisor.scoring import micro

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
#: Beyond this magnitude a float cannot hold every millionth: such numbers go through Decimal.

_TRUE = {"true", "yes", "1", "kyllä", "k"}
_FALSE = {"false", "no", "0", "ei", "e"}


@dataclass(frozen=True)
class Table:
    """Units from a table: ids, typed trait values, models in use (one row per unit)."""

    ids: list[str]
    values: list[dict[str, cond.TraitValue]]
    in_use: list[frozenset[str]]

    def raw_unit(self, row: int) -> dict[str, Any]:
        """Row `row` as an organisation file's unit."""
        traits = {
            k: sorted(v) if isinstance(v, frozenset) else v for k, v in self.values[row].items()
        }
        return {"id": self.ids[row], "traits": traits, "models_in_use": sorted(self.in_use[row])}


def table_from_rows(
    kb: KnowledgeBase, rows: Sequence[Mapping[str, Any]], source: str = "<table>"
) -> Table:
    """Rows as mappings (CSV rows, `DataFrame.to_dict("records")`): `unit`, traits by id,
    optional `models_in_use` (`;`-separated); an empty cell is not observed."""
    from modeadvisor.errors import Location, OrganisationError, Problem, did_you_mean
    from modeadvisor.organisation import coerce_value

    problems: list[Problem] = []
    ids: list[str] = []
    values: list[dict[str, cond.TraitValue]] = []
    in_use: list[frozenset[str]] = []
    known = {"unit", "models_in_use", *kb.traits}
    reported: set[str] = set()  # a wrong column is one mistake, not one per row
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        for key in row:
            if key in known or str(key) in reported:
                continue
            reported.add(str(key))
            if key is None:  # csv.DictReader's key for cells beyond the header
                problems.append(
                    Problem(
                        Location(source, number),
                        "the row has more cells than the header has columns",
                    )
                )
            else:
                problems.append(
                    Problem(
                        Location(source, number),
                        f"unknown column '{key}'",
                        did_you_mean(str(key), known),
                    )
                )
        if "unit" not in row:
            if "unit" not in reported:
                reported.add("unit")
                problems.append(
                    Problem(
                        Location(source, 1),
                        "no 'unit' column: each row needs the id of the unit it describes",
                    )
                )
        elif not str(row.get("unit") or "").strip():
            problems.append(Problem(Location(source, number), "column 'unit' is empty"))
        unit = str(row.get("unit") or "").strip()
        typed: dict[str, cond.TraitValue] = {}
        for name, cell in row.items():
            trait = kb.traits.get(str(name))
            if (
                trait is None
                or cell is None
                or (isinstance(cell, float) and cell != cell)
                or str(cell).strip() == ""
            ):
                continue
            value, problem = coerce_value(trait, _cell(trait, cell))
            if problem is not None:
                problems.append(Problem(Location(source, number), f"column '{name}': {problem}"))
            elif value is not None:
                typed[str(name)] = value
        listed = row.get("models_in_use")
        listed = (
            ""
            if listed is None or (isinstance(listed, float) and listed != listed)
            else str(listed)
        )
        models = frozenset(m.strip() for m in listed.split(";") if m.strip())
        for model in sorted(models - set(kb.models)):
            problems.append(
                Problem(
                    Location(source, number),
                    f"unknown model '{model}'",
                    did_you_mean(model, kb.models),
                )
            )
        ids.append(unit)
        values.append(typed)
        in_use.append(models & frozenset(kb.models))
    if problems:
        raise OrganisationError(problems[:200])
    return Table(ids, values, in_use)


def _cell(trait: Trait, cell: Any) -> Any:
    """A table cell as the raw value an organisation file would hold."""
    if not isinstance(cell, str):
        value = cell.item() if hasattr(cell, "item") else cell  # numpy scalars from frames
        if trait.type == "scale" and isinstance(value, float) and value.is_integer():
            return int(value)  # frames hold integer columns with gaps as floats
        return value
    text = cell.strip()
    match trait.type:
        case "scale":
            return int(text) if text.lstrip("-").isdigit() else text
        case "number":
            try:
                return float(text)
            except ValueError:
                return text
        case "bool":
            lowered = text.lower()
            return True if lowered in _TRUE else False if lowered in _FALSE else text
        case "set":
            return [v.strip() for v in text.split(";") if v.strip()]
    return text


@dataclass(frozen=True)
class BatchResult:
    """Advice for a table of units as columns; any unit's full Advice on demand."""

    ids: list[str]
    archetypes: list[str]
    models: list[str]
    weights: FloatArray  # exact weights, (units, archetypes)
    status: list[str]
    dominant: list[str | None]
    mixed: BoolArray
    top_recommendations: list[list[str]]
    conflict_flags: dict[str, BoolArray]  # rule id -> units it finds a conflict for
    table: Table

    def to_json(self) -> str:
        import json

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

    def to_csv(self) -> str:
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                "unit",
                "status",
                "dominant",
                "mixed",
                *self.archetypes,
                "top_recommendations",
                "conflicts",
            ]
        )
        for i, unit in enumerate(self.ids):
            flagged = [rule for rule, flags in sorted(self.conflict_flags.items()) if flags[i]]
            writer.writerow(
                [
                    unit,
                    self.status[i],
                    self.dominant[i] or "",
                    "true" if self.mixed[i] else "false",
                    *(f"{w:.4f}" for w in self.weights[i]),
                    ";".join(self.top_recommendations[i]),
                    ";".join(flagged),
                ]
            )
        return out.getvalue()


def evaluate_table(
    kb: KnowledgeBase, table: Table, top: int = 3, scorer: Scorer | None = None
) -> BatchResult:
    """Score every unit of a table at once."""
    units = UnitTable(kb, table.values, table.in_use)
    scorer = scorer or Scorer(kb)
    fired = scorer.fired(units)
    found = profiles(kb, fired, units, scorer)
    scores = model_scores(kb, found)
    flags = ConflictChecks(kb).flags(units, found, scores)
    archetypes, models = list(kb.archetypes), list(kb.models)
    order = sorted(range(len(models)), key=lambda m: (kb.models[models[m]].kind, models[m]))
    rank = np.empty(len(models), dtype=np.int64)
    rank[order] = np.arange(len(models))
    key = -scores.micro * (len(models) + 1) + rank[None, :]
    recommended = (
        found.ok[:, None] & scores.reached & (scores.micro >= micro(kb.settings.recommend_min))
    )
    key = np.where(recommended, key, np.iinfo(np.int64).max)
    best = np.argsort(key, axis=1, kind="stable")[:, :top]
    top_lists = [[models[m] for m in row if recommended[i, m]] for i, row in enumerate(best)]
    return BatchResult(
        ids=table.ids,
        archetypes=archetypes,
        models=models,
        weights=found.weights,
        status=["ok" if ok else "insufficient_evidence" for ok in found.ok],
        dominant=[archetypes[d] if d >= 0 else None for d in found.dominant],
        mixed=found.mixed,
        top_recommendations=top_lists,
        conflict_flags=flags,
        table=table,
    )


def read_table(kb: KnowledgeBase, source: Any) -> Table:
    """A table from a CSV file, rows as mappings, or a pandas or pyarrow frame."""
    from pathlib import Path

    if isinstance(source, str | Path):
        import csv

        path = Path(source)
        from modeadvisor.errors import Location, OrganisationError, Problem

        try:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                rows = list(csv.DictReader(stream))
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise OrganisationError(
                [Problem(Location(str(path)), f"cannot read the table: {error}")]
            ) from None
        return table_from_rows(kb, rows, str(path))
    if hasattr(source, "to_pylist"):  # pyarrow.Table
        return table_from_rows(kb, source.to_pylist())
    if hasattr(source, "to_dict"):  # pandas.DataFrame
        return table_from_rows(kb, source.to_dict("records"))
    return table_from_rows(kb, list(source))
