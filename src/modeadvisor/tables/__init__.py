"""Tables of units in, advice for each as columns out, read and scored in record batches.

The pipeline, one module per step::

    _sources   a CSV, Parquet, Arrow or JSON Lines file, a pyarrow Table, a pandas or polars
    _csv       frame, or rows as mappings -> a Layout (which column means what) and Batches of
    _layout    raw cells; pyarrow reads where it is installed (the `arrow` extra, `_arrow`)
    _encoding  a batch's cells -> the scorer's columns (`UnitTable`), every distinct cell read
               once by the one cell parser (`_cells.cell_value`); bad cells located and capped
    _results   a batch's columns -> its advice as arrays (`Scored`); `BatchResult` gathers them
    _writers   advice -> CSV, JSON Lines, Parquet or Arrow, written batch by batch

Memory stays bounded by a batch whatever the size of the file when the advice is written as it
comes (`write_advice`, `modeadvisor batch`); `assess_table` keeps every batch's advice (a few
arrays per unit) and the cells read, so that any unit's full Advice can be asked for later.
A table is refused beyond `Limits.max_table_rows` rows as soon as the first row past the bound
is reached, and a file beyond `Limits.max_file_bytes` before it is read.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, Any

import numpy as np

from modeadvisor._cells import ProblemCollector
from modeadvisor._i18n import Message
from modeadvisor.backends._vectorised import Scorer
from modeadvisor.knowledge import KnowledgeBase
from modeadvisor.limits import DEFAULT_LIMITS, Limits
from modeadvisor.tables._ahead import ahead
from modeadvisor.tables._arrow import INSTALL, ArrowMissingError
from modeadvisor.tables._encoding import (
    MODELS_COLUMN,
    UNIT_COLUMN,
    CellProblems,
    Encoded,
    Encoder,
)
from modeadvisor.tables._layout import Batch, Source, UnreadableTableError, noted, too_many_rows
from modeadvisor.tables._results import (
    BatchResult,
    RawCells,
    Scored,
    Scoring,
    Table,
    evaluate_table,
)
from modeadvisor.tables._sources import RowsSource, open_source
from modeadvisor.tables._unique import SeenIds
from modeadvisor.tables._writers import (
    EXTENSIONS,
    FORMATS,
    Names,
    format_of,
    open_writer,
    output_format,
    output_stream,
)

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "INSTALL",
    "MODELS_COLUMN",
    "UNIT_COLUMN",
    "ArrowMissingError",
    "BatchResult",
    "Source",
    "Table",
    "assess_table",
    "evaluate_table",
    "format_of",
    "open_table",
    "output_format",
    "output_stream",
    "read_table",
    "table_from_rows",
    "write_advice",
]


def open_table(
    kb: KnowledgeBase,
    source: Any,
    limits: Limits = DEFAULT_LIMITS,
    *,
    encoding: str | None = None,
) -> Source:
    """A table opened for reading in batches: its header read and checked, nothing more.

    `source` is a path (`.parquet`/`.pq`, `.arrow`/`.feather`/`.ipc`, `.jsonl`/`.ndjson`,
    anything else CSV), a pyarrow Table, RecordBatch or RecordBatchReader, a pandas or polars
    DataFrame, rows as mappings, or a `Source` already opened. `encoding` is a CSV file's
    (default UTF-8, a byte order mark allowed; for example cp1252, as Excel saves "CSV (comma
    delimited)" on Windows).
    """
    if hasattr(source, "layout") and hasattr(source, "batches"):
        return source  # type: ignore[no-any-return]
    return open_source(kb, source, limits, encoding)


def _report(problems: ProblemCollector, found: CellProblems, batch: Batch) -> None:
    """A batch's bad cells, in order of row and column, each located; past the cap counted."""
    count = found.count
    if not count:
        return
    kept = list(itertools.islice(found.ordered(), problems.room))
    if kept:
        lines = batch.lines_of(np.array([row for row, *_ in kept], dtype=np.int64))
        for (row, column, message, hint), line in zip(kept, lines.tolist(), strict=True):
            problems.add(line, batch.place_of(column, row), message, hint)
    problems.skip(count - len(kept))


def _encoded(
    kb: KnowledgeBase, source: Source, limits: Limits, batches: Iterable[Batch]
) -> Iterator[tuple[Batch, Encoded, bool]]:
    """Each batch with its encoding, and whether the table has had no problem so far (only
    then is it worth scoring); the table's problems raised together after the last batch."""
    layout = source.layout
    problems = layout.problems
    encoder = Encoder(kb, layout.names)
    ids = SeenIds(limits.max_table_rows)
    seen = 0
    try:
        for batch in batches:
            if seen + batch.size > limits.max_table_rows:  # stop here: the rest is not read
                past = np.array([limits.max_table_rows - seen], dtype=np.int64)
                line = int(batch.lines_of(past)[0])
                found = f"more than {limits.max_table_rows:,} rows"
                too_many_rows(layout.source, line, found, limits)
            seen += batch.size
            problems.extend(batch.notes)
            encoded = encoder.encode(batch.size, batch.cells, batch.unit_absent)
            _report(problems, encoded.problems, batch)
            _repeated_ids(problems, ids, encoded, batch)
            yield batch, encoded, not problems
    except UnreadableTableError as error:  # the reader stopped: its problems after those before
        problems.extend(error.problems)
        problems.raise_if_any()
    problems.extend(layout.take())  # the reader's last notes (after its last batch)
    if seen == 0 and layout.file:
        problems.add(None, None, Message("no units: the file has a header but no rows"))
    problems.raise_if_any()


def _repeated_ids(problems: ProblemCollector, ids: SeenIds, encoded: Encoded, batch: Batch) -> None:
    """A unit's id on a second row: each unit is one row, and advice is looked up by id."""
    rows, firsts = ids.add(encoded.ids, batch.start)
    if not len(rows):
        return
    kept = min(len(rows), problems.room)
    lines = batch.lines_of(rows[:kept]).tolist()
    named = encoded.ids if isinstance(encoded.ids, list) else encoded.ids.to_pylist()
    for row, first, line in zip(rows[:kept].tolist(), firsts[:kept].tolist(), lines, strict=True):
        where = _first_place(batch, first)
        problems.add(
            line,
            None,
            Message("unit '{value}' is given twice{where}", value=named[row], where=where),
            Message("each unit is one row: give each its own id, or merge the rows"),
        )
    problems.skip(len(rows) - kept)


def _first_place(batch: Batch, row: int) -> str:
    """Where a table row (of this batch or an earlier one) is, as the message says it."""
    if row >= batch.start:
        line = int(batch.lines_of(np.array([row - batch.start]))[0])
    elif batch.locate is not None:
        line = int(batch.locate(np.array([row]))[0])
    else:  # a table without lines (Parquet, Arrow): rows numbered as a spreadsheet numbers them
        line = row + 2
    return Message(" (first on line {line})", line=line)


def _pipeline(
    kb: KnowledgeBase, source: Source, limits: Limits
) -> Iterator[tuple[Batch, Encoded, bool]]:
    """The table encoded by a thread a few batches ahead of the caller (which scores and
    writes), and read by one more where reading parses text: the stages overlap on the
    processor's cores. A Parquet or Arrow batch is decoded in one call of pyarrow, which costs
    less than a fourth thread contending for Python's lock (10,000,000 Parquet rows: 11.5-12.0
    s with three threads, 12.5-13.4 s with four; 1,000,000 CSV rows: 3.0-3.1 s with three,
    2.6-2.8 s with four)."""
    batches = noted(source)
    if getattr(source, "read_ahead", True):
        batches = ahead(batches)
    return ahead(_encoded(kb, source, limits, batches))


def read_table(
    kb: KnowledgeBase,
    source: Any,
    limits: Limits = DEFAULT_LIMITS,
    *,
    encoding: str | None = None,
) -> Table:
    """A table's units with their typed values, checked (every problem located, raised
    together as an OrganisationError). For large tables `assess_table` or `write_advice`
    keep the values as columns instead. `encoding` is a CSV file's (`open_table`)."""
    opened = open_table(kb, source, limits, encoding=encoding)
    raw = RawCells(kb, opened.layout.names)
    size = 0
    for batch, _, _ in _encoded(kb, opened, limits, noted(opened)):
        raw.add(batch.start, batch.cells)
        size += batch.size
    return raw.table(size)


def table_from_rows(
    kb: KnowledgeBase, rows: Iterable[Mapping[Any, Any]], source: str = "<table>"
) -> Table:
    """Rows as mappings (`DataFrame.to_dict("records")`, pyarrow's `to_pylist()`): `unit`,
    traits by id, optional `models_in_use`; an empty cell is not observed. Row 1 would be the
    header, so the first row is row 2; a problem's column is its key's place in the row."""
    limits = Limits(max_table_rows=2**62)
    return read_table(kb, RowsSource(kb, list(rows), source), limits)


def assess_table(
    kb: KnowledgeBase,
    source: Any,
    *,
    limits: Limits = DEFAULT_LIMITS,
    top: int = 3,
    scorer: Scorer | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchResult:
    """Every unit of a table scored, batch by batch, gathered into one BatchResult (whose
    `table` gives any unit back for its full Advice)."""
    opened = open_table(kb, source, limits)
    scoring = Scoring(kb, scorer, top)
    raw = RawCells(kb, opened.layout.names)
    parts: list[Scored] = []
    done = 0
    for batch, encoded, clean in _pipeline(kb, opened, limits):
        raw.add(batch.start, batch.cells)
        if clean:  # a table with mistakes is only read on, to list them all
            parts.append(scoring.score(encoded.units, encoded.ids))
        done += batch.size
        if progress is not None:
            progress(done)
    return BatchResult._joined(scoring, parts, raw.table(done))


def write_advice(
    kb: KnowledgeBase,
    source: Any,
    out: IO[bytes],
    kind: str = "csv",
    *,
    limits: Limits = DEFAULT_LIMITS,
    top: int = 3,
    scorer: Scorer | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Every unit of a table scored and written to `out` as it is read, in format `kind`
    (one of FORMATS); memory stays that of a batch (but for `json`, one document). Returns
    the number of units. A table with mistakes raises them all, with the advice for the rows
    before the first mistake written."""
    opened = open_table(kb, source, limits)
    scoring = Scoring(kb, scorer, top)
    writer = open_writer(
        kind,
        out,
        Names.of(scoring),
        lambda parts: BatchResult._joined(scoring, parts, Table([], [], [])),
    )
    done = 0
    try:
        for size, scored in ahead(_scored(scoring, _pipeline(kb, opened, limits))):
            if scored is not None:
                writer.write(scored)
            done += size
            if progress is not None:
                progress(done)
    except BaseException:  # a mistake in the table, or an interruption
        writer.abandon()
        raise
    writer.close()
    return done


def _scored(
    scoring: Scoring, encoded: Iterator[tuple[Batch, Encoded, bool]]
) -> Iterator[tuple[int, Scored | None]]:
    """Each batch's size and advice (None once the table has had a problem: it is only read
    on, to list them all), scored by a thread of its own while the caller writes."""
    for batch, found, clean in encoded:
        yield batch.size, scoring.score(found.units, found.ids) if clean else None
