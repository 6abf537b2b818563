"""Every kind of table as a `Source`: a layout, then record batches of raw cells.

Files are told apart by their extension: `.parquet`/`.pq`, `.arrow`/`.feather`/`.ipc`,
`.jsonl`/`.ndjson`, anything else CSV (`_csv.py`). In memory: a pyarrow Table, RecordBatch or
RecordBatchReader, a pandas or polars DataFrame (each column to Arrow where pyarrow is
installed, else a Python list), or rows as mappings. Column names are taken as written, except a
CSV header's, which people type (`Cost Focus` is `cost_focus`).
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from modeadvisor import _encodings
from modeadvisor._i18n import Message
from modeadvisor.errors import LimitError, Location, OrganisationError, Problem, os_reason
from modeadvisor.knowledge import KnowledgeBase
from modeadvisor.limits import Limits, how_to_raise
from modeadvisor.tables._arrow import arrow, as_numpy, pyarrow, require_arrow
from modeadvisor.tables._csv import BLOCK_BYTES, CsvSource, joined
from modeadvisor.tables._encoding import UNIT_COLUMN, Cells
from modeadvisor.tables._layout import (
    BATCH_ROWS,
    Batch,
    IntArray,
    Layout,
    Source,
    UnreadableTableError,
    in_batches,
    too_many_rows,
)

PARQUET = (".parquet", ".pq")
ARROW = (".arrow", ".feather", ".ipc", ".arrows")
JSON_LINES = (".jsonl", ".ndjson")


def open_source(
    kb: KnowledgeBase, source: Any, limits: Limits, encoding: str | None = None
) -> Source:
    """The table `source` is, ready to be read in batches; a table given whole is refused
    beyond `limits.max_table_rows` before it is turned into anything. `encoding` is a CSV
    file's (default UTF-8); other files and tables in memory have theirs."""
    if isinstance(source, str | os.PathLike):
        return _file(kb, Path(source), limits, encoding)
    if encoding is not None:
        _not_for_this("a table in memory", "<table>")
    sized = isinstance(source, Sized) and not isinstance(source, Mapping)
    if sized and len(source) > limits.max_table_rows:
        too_many_rows("<table>", None, f"{len(source):,} rows", limits)
    pa = arrow()
    if pa is not None and isinstance(source, pa.Table | pa.RecordBatch | pa.RecordBatchReader):
        return ArrowSource(kb, source)
    module = type(source).__module__.split(".")[0]
    if module in ("pandas", "polars") and hasattr(source, "columns"):
        return ArrowSource(kb, _frame_columns(source, module))
    rows: list[Mapping[Any, Any]]
    if hasattr(source, "to_pylist"):  # another Arrow-like table
        rows = list(source.to_pylist())
    elif hasattr(source, "to_dict"):  # a frame-like object
        rows = list(source.to_dict("records"))
    else:  # rows as mappings; of a generator, one row past the bound is taken and no more
        rows = list(itertools.islice(source, limits.max_table_rows + 1))
    if len(rows) > limits.max_table_rows:  # a generator's, or a frame's that has no length
        too_many_rows("<table>", None, f"more than {limits.max_table_rows:,} rows", limits)
    return RowsSource(kb, rows)


def _file(kb: KnowledgeBase, path: Path, limits: Limits, encoding: str | None) -> Source:
    suffix = path.suffix.lower()
    if encoding is not None and suffix in (*PARQUET, *ARROW, *JSON_LINES):
        _not_for_this(f"a {suffix} file", str(path))
    source: Source
    if suffix in PARQUET:
        source = ParquetSource(kb, path, limits)
    elif suffix in ARROW:
        source = ArrowFileSource(kb, path, limits)
    elif suffix in JSON_LINES:
        source = JsonLinesSource(kb, path, limits)
    else:
        try:
            codec = _encodings.checked(encoding)
        except ValueError as error:
            raise OrganisationError([Problem(Location(str(path)), str(error))]) from None
        source = CsvSource(kb, path, limits, codec)
    source.layout.file = True
    return source


def _not_for_this(what: str, source: str) -> NoReturn:
    raise OrganisationError(
        [
            Problem(
                Location(source),
                Message("an encoding is given for {what}, which is not a CSV file", what=what),
                Message(
                    "Parquet, Arrow and JSON Lines hold their text as UTF-8: leave --encoding out"
                ),
            )
        ]
    )


def _checked(path: Path, limits: Limits) -> None:
    """A file that exists, within max_file_bytes (by its size: these formats are read from
    a file that can seek, never from a pipe)."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise IsADirectoryError(21, "Is a directory" if path.is_dir() else "not a file")
    except OSError as error:
        _fail(path, Message("cannot read the table: {value}", value=os_reason(error)))
    if size > limits.max_file_bytes:
        raise LimitError(
            [
                Problem(
                    Location(str(path)),
                    Message(
                        "file is {size:,} bytes; the limit is {max_file_bytes:,}",
                        size=size,
                        max_file_bytes=limits.max_file_bytes,
                    ),
                    Message("split it, or {how}", how=how_to_raise("max_file_bytes")),
                )
            ]
        )


# --- columns: Arrow tables and files, frames --------------------------------------------------


class ArrowSource:
    """Columns in memory or from an Arrow-native file: names as written, batches sliced."""

    read_ahead = False  # slices of columns, or a Parquet row group decoded in one call

    def __init__(
        self, kb: KnowledgeBase, source: Any, name: str = "<table>", total: int | None = None
    ) -> None:
        """`source`: a pyarrow Table, RecordBatch or RecordBatchReader, or (names, columns)
        with each column an Arrow array or a Python list."""
        self.layout = Layout(kb, name)
        pa = arrow()
        if pa is not None and isinstance(source, pa.RecordBatch):
            source = pa.Table.from_batches([source])
        if pa is not None and isinstance(source, pa.Table | pa.RecordBatchReader):
            names = list(source.schema.names)
            if total is None and isinstance(source, pa.Table):
                total = source.num_rows
        else:
            names, source = source
            if total is None:
                total = len(source[0]) if source else 0
        self._source: Any = source
        self.total = total
        self.layout.header([str(name) for name in names], 1)

    def batches(self) -> Iterator[Batch]:
        pa = arrow()
        if pa is None or not isinstance(self._source, pa.Table | pa.RecordBatchReader):
            columns = dict(enumerate(self._source, start=1))
            yield from in_batches(
                {c: v for c, v in columns.items() if c in self.layout.names}, self.total or 0
            )
            return
        start = 0
        for found in _record_batches(self._source):
            cells = {c: found.column(c - 1) for c in self.layout.names}
            yield from in_batches(cells, found.num_rows, start)
            start += found.num_rows


def _record_batches(source: Any) -> Iterator[Any]:
    pa = pyarrow()

    if isinstance(source, pa.Table):
        yield from source.to_batches(max_chunksize=BATCH_ROWS)
        return
    while True:
        try:
            yield source.read_next_batch()
        except StopIteration:
            return


def _frame_columns(frame: Any, module: str) -> Any:
    """A pandas or polars frame as an Arrow table, or as (names, columns) where some column
    is beyond Arrow (mixed types) or pyarrow is not installed: each column as a Python list."""
    pa = arrow()
    if module == "polars":
        if pa is not None:
            return frame.to_arrow()
        return list(frame.columns), [frame.get_column(n).to_list() for n in frame.columns]
    names = [str(name) for name in frame.columns]
    series = [frame.iloc[:, i] for i in range(len(names))]
    if pa is None:
        return names, [s.tolist() for s in series]
    columns: list[Cells] = []
    for values in series:
        try:
            columns.append(pa.array(values, from_pandas=True))
        except (pa.ArrowException, TypeError, ValueError):  # e.g. numbers and text mixed
            columns.append(values.tolist())
    if all(isinstance(c, pa.Array) for c in columns):
        return pa.Table.from_arrays(columns, names=names)
    return names, columns


class ParquetSource(ArrowSource):
    """A Parquet file, read a batch at a time; text columns come as dictionaries."""

    def __init__(self, kb: KnowledgeBase, path: Path, limits: Limits) -> None:
        require_arrow("reading Parquet", str(path))
        pa = pyarrow()
        pq = pyarrow("parquet")

        _checked(path, limits)
        try:
            schema = pq.read_schema(path)
            text = [f.name for f in schema if pa.types.is_string(f.type) and f.name != UNIT_COLUMN]
            # no pre-buffering: reading batch by batch, pyarrow kept every row group's buffers
            # to the end (10,000,000 rows: 780 MB at the peak, 540 MB without, as fast)
            self._parquet = pq.ParquetFile(path, read_dictionary=text, pre_buffer=False)
        except (pa.ArrowException, OSError) as error:
            _fail(path, Message("not a Parquet file: {error}", error=error))
        rows = self._parquet.metadata.num_rows
        if rows > limits.max_table_rows:
            too_many_rows(str(path), None, f"{rows:,} rows", limits)
        # an empty table from no batches: Schema.empty_table would import pandas (0.2 s)
        empty = pa.Table.from_batches([], schema=self._parquet.schema_arrow)
        super().__init__(kb, empty, str(path), rows)

    def batches(self) -> Iterator[Batch]:
        start = 0
        for found in self._parquet.iter_batches(batch_size=BATCH_ROWS, use_threads=False):
            cells = {c: found.column(c - 1) for c in self.layout.names}
            yield Batch(start, found.num_rows, cells)
            start += found.num_rows


class ArrowFileSource(ArrowSource):
    """An Arrow IPC file (Feather 2) or stream, memory-mapped, read a record batch at a time."""

    def __init__(self, kb: KnowledgeBase, path: Path, limits: Limits) -> None:
        require_arrow("reading Arrow files", str(path))
        pa = pyarrow()

        _checked(path, limits)
        rows: int | None = None
        try:
            reader: Any = pa.ipc.open_file(pa.memory_map(str(path)))
        except pa.ArrowInvalid:  # not the file format: the stream format, or not Arrow
            try:
                stream = pa.ipc.open_stream(pa.memory_map(str(path)))
            except (pa.ArrowException, OSError) as error:
                _fail(path, Message("not an Arrow file: {error}", error=error))
        else:
            batches = [reader.get_batch(i) for i in range(reader.num_record_batches)]
            rows = sum(batch.num_rows for batch in batches)  # memory-mapped: nothing is read
            if rows > limits.max_table_rows:
                too_many_rows(str(path), None, f"{rows:,} rows", limits)
            stream = pa.RecordBatchReader.from_batches(reader.schema, iter(batches))
        super().__init__(kb, stream, str(path), rows)


def _fail(path: Path, message: str) -> NoReturn:
    raise UnreadableTableError([Problem(Location(str(path)), message)])


# --- rows as mappings, JSON Lines ----------------------------------------------------------


class RowsSource:
    """Rows as mappings (`DataFrame.to_dict("records")`, pyarrow's `to_pylist()`, JSON
    objects): keys are column names, a missing key is an empty cell, and a problem's column is
    its key's place in its row. Row 1 would be the header, so the first row is row 2."""

    total: int | None = None
    read_ahead = False  # read in Python, holding the lock a thread of its own would wait for

    def __init__(
        self,
        kb: KnowledgeBase,
        rows: Iterable[Mapping[Any, Any]],
        name: str = "<table>",
        numbers: Iterable[int] | None = None,
        start: int = 0,
    ) -> None:
        self.layout = Layout(kb, name)
        self._rows = rows
        self._numbers = numbers if numbers is not None else itertools.count(2)
        #: the line of any row of the table, when rows are numbered as a spreadsheet's
        self._locate: Callable[[IntArray], IntArray] | None = (
            (lambda rows: rows + 2) if numbers is None else None
        )
        #: each name's column: its place among the names met so far
        self.ids: dict[str, int] = {}
        self._start = start

    def batches(self) -> Iterator[Batch]:
        start = self._start
        pairs = zip(self._numbers, self._rows, strict=False)
        while chunk := list(itertools.islice(pairs, BATCH_ROWS)):
            yield self.batch(start, chunk)
            start += len(chunk)

    def batch(self, start: int, chunk: list[tuple[int, Mapping[Any, Any]]]) -> Batch:
        size = len(chunk)
        cells: dict[int, list[object]] = {}
        places: dict[int, IntArray] = {}
        absent = np.zeros(size, dtype=np.bool_)
        for index, (number, row) in enumerate(chunk):
            for place, key in enumerate(row, start=1):
                name = self.column(number, place, key)
                if name is None:
                    continue
                column = self.ids.setdefault(name, len(self.ids) + 1)
                if column not in cells:  # not setdefault: its default would be made per cell
                    self.layout.names[column] = name
                    cells[column] = [None] * size
                    places[column] = np.zeros(size, dtype=np.int64)
                cells[column][index] = row[key]
                places[column][index] = place
            if UNIT_COLUMN not in row:
                absent[index] = True
                self.layout.no_unit_column()
        lines = np.array([number for number, _ in chunk], dtype=np.int64)
        for column in self.layout.names:
            cells.setdefault(column, [None] * size)
        return Batch(
            start,
            size,
            dict(cells),
            lines=lines,
            locate=self._locate,
            unit_absent=absent,
            places=places,
        )

    def column(self, number: int | None, place: int, key: Any) -> str | None:
        """A key's column name if it is one the advisor reads; an unknown one said once."""
        layout = self.layout
        if key in layout.known:
            return str(key)
        if key not in layout.reported:
            layout.reported.add(key)
            if key is None:  # csv.DictReader's key for cells beyond the header
                layout.beyond_header(number, place)
            else:
                layout.unknown_column(number, place, str(key))
        return None


def _is_text(value: Any) -> bool:
    """Whether every string of a parsed JSON value is text: the json module reads an escaped
    surrogate without its pair (`"\\ud800"`) as a string that no file can hold (pyarrow's
    reader refuses the line)."""
    if isinstance(value, str):
        return value.isascii() or not any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return all(_is_text(key) and _is_text(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_is_text(item) for item in value)
    return True


class JsonLinesSource:
    """JSON Lines: one object per line, blank lines allowed. pyarrow reads it as columns where
    it can; a line it cannot take (a value whose type changes, a line that is not JSON) hands
    the rest to Python's json module, which says what is wrong on which line. A key is a column
    (its place among the keys met so far), a missing key an empty cell."""

    total: int | None = None
    read_ahead = True  # parsing JSON text

    def __init__(self, kb: KnowledgeBase, path: Path, limits: Limits) -> None:
        self.path = path
        _checked(path, limits)
        self._rows = RowsSource(kb, [], str(path))
        self.layout = self._rows.layout

    def batches(self) -> Iterator[Batch]:
        pa = arrow()
        delivered = 0
        if pa is not None:
            pajson = pyarrow("json")

            #: blocks read, not yet delivered, joined as CSV's are; parsing JSON is the slow
            #: stage, so pyarrow's threads parse blocks side by side (1 MB blocks keep its
            #: read-ahead small: 1,000,000 JSON lines, 1.2 GB, peak at 520 MB, not 930 MB)
            waiting: list[Any] = []
            finished = False
            try:
                reader = pajson.open_json(
                    self.path,
                    read_options=pajson.ReadOptions(block_size=BLOCK_BYTES, use_threads=True),
                )
                for found in _record_batches(reader):
                    waiting.append(found)
                    if sum(block.num_rows for block in waiting) >= BATCH_ROWS:
                        batch = self._arrow_batch(delivered, joined(waiting))
                        delivered, waiting = delivered + batch.size, []
                        yield batch
                finished = True
            except pa.ArrowException:
                pass  # the json module reads the rest and says what is wrong
            if waiting:
                batch = self._arrow_batch(delivered, joined(waiting))
                delivered += batch.size
                yield batch
            if finished:
                return
        yield from self._python_batches(delivered)

    def _arrow_batch(self, start: int, found: Any) -> Batch:
        pa = pyarrow()
        pc = pyarrow("compute")

        ids = self._rows.ids
        cells: dict[int, Cells] = {}
        batch = Batch(start, found.num_rows, cells, locate=self._lines_of)
        for name in found.schema.names:
            place = ids.setdefault(name, len(ids) + 1)
            values = found.column(name)
            if name not in self.layout.known and name not in self.layout.reported:
                first = np.flatnonzero(as_numpy(pc.is_valid(values)))[:1]
                line = int(batch.lines_of(first)[0]) if first.size else None
                self._rows.column(line, place, name)
            elif name in self.layout.known:
                self.layout.names[place] = name
                cells[place] = values
        if UNIT_COLUMN not in found.schema.names:
            self.layout.no_unit_column()
        for column in self.layout.names:
            cells.setdefault(column, pa.nulls(found.num_rows))
        return batch

    def _objects(self) -> Iterator[tuple[int, Mapping[Any, Any]]]:
        with self.path.open("rb") as stream:
            for number, raw in enumerate(stream, start=1):
                if not raw.strip():
                    continue
                try:
                    found = json.loads(raw)
                except ValueError as error:  # UnicodeDecodeError is one too
                    self.layout.note(number, None, Message("not a JSON line: {error}", error=error))
                    continue
                if not isinstance(found, dict):
                    self.layout.note(number, None, Message("not a JSON object"))
                    continue
                if b"\\u" in raw and not _is_text(found):
                    self.layout.note(
                        number,
                        None,
                        Message("not a JSON line: an escaped surrogate without its pair"),
                        Message("write the character itself, or both escapes of its pair"),
                    )
                    continue
                yield number, found

    def _python_batches(self, skip: int) -> Iterator[Batch]:
        pairs = itertools.islice(self._objects(), skip, None)
        start = skip
        while chunk := list(itertools.islice(pairs, BATCH_ROWS)):
            batch = self._rows.batch(start, chunk)
            batch.locate = self._lines_of  # an earlier batch's rows, when a message names one
            yield batch
            start += len(chunk)

    def _lines_of(self, rows: IntArray) -> IntArray:
        """The line of each of these rows (blank lines left out)."""
        wanted = set(rows.tolist())
        last = max(wanted, default=-1)
        found: dict[int, int] = {}
        with self.path.open("rb") as stream:
            index = 0
            for number, raw in enumerate(stream, start=1):
                if index > last:
                    break
                if raw.strip():
                    if index in wanted:
                        found[index] = number
                    index += 1
        return np.array([found.get(row, 0) for row in rows.tolist()], dtype=np.int64)
