"""Tables of units in (CSV, rows, frames), typed and checked; results out as columns."""

from __future__ import annotations

import csv
import io
import itertools
import os
from collections.abc import Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import numpy.typing as npt

from modeadvisor import conditions as cond
from modeadvisor._cells import (
    SAVE_AS_UTF8,
    ProblemCollector,
    cell_value,
    column_name,
    malformed,
    sniff_delimiter,
    split_set,
)
from modeadvisor.backends._vectorised import (
    ConflictChecks,
    Scorer,
    UnitTable,
)
from modeadvisor.errors import LimitError, Location, OrganisationError, Problem, did_you_mean
from modeadvisor.graph import model_scores, recommended
from modeadvisor.knowledge import KnowledgeBase
from modeadvisor.limits import DEFAULT_LIMITS, Limits, how_to_raise
from modeadvisor.profile import profiles

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
#: Columns with a fixed meaning; every other column is a trait id.
UNIT_COLUMN = "unit"
MODELS_COLUMN = "models_in_use"


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
    kb: KnowledgeBase, rows: Sequence[Mapping[Any, Any]], source: str = "<table>"
) -> Table:
    """Rows as mappings (`DataFrame.to_dict("records")`, pyarrow's `to_pylist()`): `unit`,
    traits by id, optional `models_in_use`; an empty cell is not observed. Row 1 would be the
    header, so the first row is row 2; a problem's column is its key's place in the row."""
    reader = _TableReader(kb, source)
    for number, row in enumerate(rows, start=2):
        reader.row(number, row, reader.keys(number, row))
    return reader.finish()


def read_table(kb: KnowledgeBase, source: Any, limits: Limits = DEFAULT_LIMITS) -> Table:
    """A table from a CSV file, rows as mappings, or a pandas or pyarrow frame.

    A CSV file is refused beyond `limits.max_file_bytes` before it is read whole, and any table
    beyond `limits.max_table_rows` rows as soon as the bound is passed (LimitError).
    """
    if isinstance(source, str | Path):
        return _read_csv(kb, Path(source), limits)
    # a list or a frame is refused before it is turned into rows
    if isinstance(source, Sized) and len(source) > limits.max_table_rows:
        _too_many_rows("<table>", None, f"{len(source):,} rows", limits)
    rows: list[Any]
    if hasattr(source, "to_pylist"):  # pyarrow.Table
        rows = source.to_pylist()
    elif hasattr(source, "to_dict"):  # pandas.DataFrame
        rows = source.to_dict("records")
    else:  # rows as mappings; of a generator, one row past the bound is taken and no more
        rows = list(itertools.islice(source, limits.max_table_rows + 1))
    if len(rows) > limits.max_table_rows:  # a generator's, or a frame's that has no length
        _too_many_rows("<table>", None, f"more than {limits.max_table_rows:,} rows", limits)
    return table_from_rows(kb, rows)


def _too_many_rows(source: str, line: int | None, found: str, limits: Limits) -> NoReturn:
    raise LimitError(
        [
            Problem(
                Location(source, line),
                f"{found}; the limit is {limits.max_table_rows:,}",
                "split the table, or " + how_to_raise("max_table_rows"),
            )
        ]
    )


def _read_csv(kb: KnowledgeBase, path: Path, limits: Limits) -> Table:
    """A CSV file: UTF-8 (a byte order mark allowed), `,` `;` or tab found from the header as
    the survey reader finds it, `#` comment lines and blank lines allowed before the header."""
    reader = _TableReader(kb, str(path))
    lines = io.StringIO(_csv_text(path, reader.problems, limits), newline="")
    found = _header(lines)
    if found is None:
        reader.problems.fail(None, None, "the file is empty: no header row")
    header_line, text = found
    delimiter, cells = sniff_delimiter(text.rstrip("\r\n"), reader.known)
    names = reader.header([column_name(cell) for cell in cells], header_line)
    rows = csv.reader(lines, delimiter=delimiter)
    count = 0
    while True:
        start = header_line + rows.line_num + 1
        try:
            fields = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            reader.problems.add(start, None, *malformed(error))
            continue
        if any(field.strip() for field in fields):  # not a blank row a spreadsheet left (;;;;)
            count += 1
            if count > limits.max_table_rows:  # stop here: the rest is not read into units
                _too_many_rows(
                    str(path), start, f"more than {limits.max_table_rows:,} rows", limits
                )
            reader.csv_row(start, fields, names)
    return reader.finish()


def _header(lines: Iterable[str]) -> tuple[int, str] | None:
    """The header line and its number: the first line neither blank nor a `#` comment."""
    for number, text in enumerate(lines, start=1):
        if text.strip() and not text.lstrip().startswith("#"):
            return number, text
    return None


def _csv_text(path: Path, problems: ProblemCollector, limits: Limits) -> str:
    limit = limits.max_file_bytes
    try:
        with path.open("rb") as stream:  # read at most the limit: sizes can lie (/proc)
            raw = stream.read(limit + 1)
            size = max(os.fstat(stream.fileno()).st_size, len(raw))
    except OSError as error:
        problems.fail(None, None, f"cannot read the table: {error.strerror or error}")
    if len(raw) > limit:
        raise LimitError(
            [
                Problem(
                    Location(str(path)),
                    f"file is {size:,} bytes; the limit is {limit:,}",
                    "split it, or " + how_to_raise("max_file_bytes"),
                )
            ]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        character = len(raw[line_start : error.start].decode("utf-8", errors="replace")) + 1
        problems.fail(
            raw.count(b"\n", 0, error.start) + 1,
            None,
            f"not UTF-8 text: byte 0x{raw[error.start : error.start + 1].hex()} "
            f"(character {character} of the line)",
            SAVE_AS_UTF8,
        )


class _TableReader:
    """Checks a table's columns and rows; every problem located and collected."""

    def __init__(self, kb: KnowledgeBase, source: str) -> None:
        self.kb = kb
        self.problems = ProblemCollector(source, OrganisationError)
        self.known = {UNIT_COLUMN, MODELS_COLUMN, *kb.traits}
        self.reported: set[object] = set()  # a wrong column is one mistake, not one per row
        self.ids: list[str] = []
        self.values: list[dict[str, cond.TraitValue]] = []
        self.in_use: list[frozenset[str]] = []

    def header(self, names: list[str], line: int) -> list[str | None]:
        """A CSV header's column names as the rows read them: "" for an unnamed column (which
        may hold no values), None for one already reported (unknown, or named twice)."""
        first: dict[str, int] = {}
        usable: list[str | None] = []
        for column, name in enumerate(names, start=1):
            if name in first:
                self.problems.add(
                    line, column, f"column '{name}' appears twice (first as column {first[name]})"
                )
            elif name and name not in self.known:
                self._unknown_column(line, column, name)
            elif name:
                first[name] = column
            usable.append(name if not name or first.get(name) == column else None)
        if UNIT_COLUMN not in first:
            self._no_unit_column()
        return usable

    def keys(self, number: int, row: Mapping[Any, Any]) -> dict[str, int]:
        """The columns of a row given as a mapping: key -> its place in the row (from 1)."""
        for column, key in enumerate(row, start=1):
            if key not in self.known and key not in self.reported:
                self.reported.add(key)
                if key is None:  # csv.DictReader's key for cells beyond the header
                    self._beyond_header(number, column)
                else:
                    self._unknown_column(number, column, str(key))
        if UNIT_COLUMN not in row:
            self._no_unit_column()
        return {str(key): column for column, key in enumerate(row, start=1)}

    def csv_row(self, line: int, fields: list[str], names: list[str | None]) -> None:
        cells: dict[str, str] = {}
        columns: dict[str, int] = {}
        for column, name in enumerate(names, start=1):
            field = fields[column - 1] if column <= len(fields) else ""
            if name:
                cells[name], columns[name] = field, column
            elif name == "" and field.strip() and column not in self.reported:
                self.reported.add(column)  # reported once, as a wrong column is
                self.problems.add(
                    line, column, f"a value in column {column}, which has no name in the header"
                )
        if len(fields) > len(names) and None not in self.reported:
            self.reported.add(None)
            self._beyond_header(line, len(names) + 1)
        self.row(line, cells, columns)

    def row(self, number: int, cells: Mapping[Any, Any], columns: Mapping[str, int]) -> None:
        """One unit: its id, its traits typed by the one cell parser, its models in use."""
        unit = _text(cells.get(UNIT_COLUMN))
        if UNIT_COLUMN in cells and not unit:
            self.problems.add(number, columns.get(UNIT_COLUMN), "column 'unit' is empty")
        typed: dict[str, cond.TraitValue] = {}
        for name, cell in cells.items():
            trait = self.kb.traits.get(str(name))
            if trait is None:
                continue
            value, problem = cell_value(trait, cell)
            if problem is not None:
                self.problems.add(number, columns.get(trait.id), f"column '{name}': {problem}")
            elif value is not None:
                typed[trait.id] = value
        models = _models(cells.get(MODELS_COLUMN))
        for model in sorted(models - set(self.kb.models)):
            self.problems.add(
                number,
                columns.get(MODELS_COLUMN),
                f"unknown model '{model}'",
                did_you_mean(model, self.kb.models),
            )
        self.ids.append(unit)
        self.values.append(typed)
        self.in_use.append(models & frozenset(self.kb.models))

    def finish(self) -> Table:
        self.problems.raise_if_any()
        return Table(self.ids, self.values, self.in_use)

    def _unknown_column(self, line: int, column: int, name: str) -> None:
        self.problems.add(line, column, f"unknown column '{name}'", did_you_mean(name, self.known))

    def _no_unit_column(self) -> None:
        if UNIT_COLUMN not in self.reported:
            self.reported.add(UNIT_COLUMN)
            self.problems.add(
                1, None, "no 'unit' column: each row needs the id of the unit it describes"
            )

    def _beyond_header(self, line: int, column: int) -> None:
        self.problems.add(line, column, "the row has more cells than the header has columns")


def _text(cell: object) -> str:
    """A cell as trimmed text; an empty cell (None, a frame's NaN) as ""."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return ""
    return str(cell).strip()


def _models(cell: object) -> frozenset[str]:
    """The models in use: a set cell (`a;b` or `a|b`), or a list from a frame."""
    if isinstance(cell, list | tuple | set | frozenset):
        return frozenset(str(model).strip() for model in cell if str(model).strip())
    return frozenset(split_set(_text(cell)))


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
    found = profiles(kb, fired, units.observed_count)
    scores = model_scores(kb, found)
    flags = ConflictChecks(kb).flags(units, found, scores)
    archetypes, models = list(kb.archetypes), list(kb.models)
    order = sorted(range(len(models)), key=lambda m: (kb.models[models[m]].kind, models[m]))
    rank = np.empty(len(models), dtype=np.int64)
    rank[order] = np.arange(len(models))
    key = -scores.micro * (len(models) + 1) + rank[None, :]
    advised = found.ok[:, None] & scores.reached & recommended(scores.micro, kb.settings)
    key = np.where(advised, key, np.iinfo(np.int64).max)
    best = np.argsort(key, axis=1, kind="stable")[:, :top]
    top_lists = [[models[m] for m in row if advised[i, m]] for i, row in enumerate(best)]
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
