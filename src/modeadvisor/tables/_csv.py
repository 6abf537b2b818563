"""CSV tables read in record batches: pyarrow's reader where it is installed, Python's csv module
where it is not, and wherever pyarrow stops at something only the Python reader explains.

The file is read the way the survey reader reads one: UTF-8 (a byte order mark allowed), `,`
`;` or tab found from the header, `#` comment lines and blank lines allowed before the header,
a row of empty cells (`;;;;`, as spreadsheets leave) skipped. pyarrow splits rows in C and
gives each column dictionary-encoded; it does not count lines, so the line of a row is found
only for the rows a problem is reported on, by reading the file again with the csv module. A
row pyarrow refuses (a cell too many or too few, a quote left open, a byte that is not UTF-8)
hands the rest of the file to the Python reader, which says what is wrong where, as before.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np

from modeadvisor import _encodings
from modeadvisor._cells import SAVE_AS_UTF8, column_name, malformed, sniff_delimiter
from modeadvisor._i18n import Message
from modeadvisor._i18n import joined as joined_messages
from modeadvisor.errors import LimitError, Location, Problem, os_reason
from modeadvisor.knowledge import KnowledgeBase
from modeadvisor.limits import Limits, how_to_raise, read_at_most
from modeadvisor.tables._arrow import arrow, as_numpy, number, numbers, pyarrow
from modeadvisor.tables._encoding import ALL_SPACE, Cells
from modeadvisor.tables._layout import BATCH_ROWS, Batch, IntArray, Layout

#: Bytes pyarrow parses into one record batch (some 7,000 rows of a wide table), which are
#: joined into batches of BATCH_ROWS rows. pyarrow's reader reads up to 32 blocks ahead of the
#: one parsed, whatever is asked of it: with blocks of 16 MB that was 512 MB of a large file
#: held in memory (bench/batch.py --memory), with 1 MB blocks it is 32 MB.
BLOCK_BYTES = 1 << 20
#: Files this small (or that say they are empty: /proc, devices) are read whole, once.
_READ_WHOLE = 1 << 20
_BOM = codecs.BOM_UTF8


class CsvSource:
    """A CSV table: its layout from the header, then its rows in batches."""

    total: int | None = None
    read_ahead = True  # parsing text

    def __init__(
        self, kb: KnowledgeBase, path: Path, limits: Limits, encoding: str = _encodings.DEFAULT
    ) -> None:
        self.path = path
        self.encoding = encoding  # a codec name, `_encodings.checked`
        self.layout = Layout(kb, str(path))
        self._data: bytes | None = None
        self._checked_size(limits)
        found = self._header()
        if found is None:
            self.layout.fail(None, None, Message("the file is empty: no header row"))
        self.header_line, header, self.offset = found
        self.delimiter, cells = sniff_delimiter(header.rstrip("\r\n"), self.layout.known)
        self.width = len(cells)
        self.layout.header([column_name(cell) for cell in cells], self.header_line)

    # --- the bytes ---------------------------------------------------------------------------

    def _checked_size(self, limits: Limits) -> None:
        """Refuse a file beyond max_file_bytes before reading it; a file that cannot say its
        size (a device, /proc) is read one byte past the bound and no further."""
        limit = limits.max_file_bytes
        try:
            with self.path.open("rb") as stream:
                info = os.fstat(stream.fileno())
                size = info.st_size
                if not stat.S_ISREG(info.st_mode) or size <= _READ_WHOLE:
                    self._data = read_at_most(stream, limit + 1)
                    size = max(size, len(self._data))
        except OSError as error:
            self.layout.fail(
                None, None, Message("cannot read the table: {value}", value=os_reason(error))
            )
        if size > limit:
            raise LimitError(
                [
                    Problem(
                        Location(str(self.path)),
                        Message(
                            "file is {size:,} bytes; the limit is {limit:,}", size=size, limit=limit
                        ),
                        Message("split it, or {how}", how=how_to_raise("max_file_bytes")),
                    )
                ]
            )

    def _binary(self) -> IO[bytes]:
        if self._data is not None:
            return io.BytesIO(self._data)
        return self.path.open("rb")

    def _text(self) -> io.TextIOWrapper:
        """The rows' text from just after the header, line ends kept as written."""
        stream = self._binary()
        stream.seek(self.offset)
        return io.TextIOWrapper(stream, encoding=self.encoding, newline="")

    def _header(self) -> tuple[int, str, int] | None:
        """The header line, its text and where the rows start: the first line neither blank
        nor a `#` comment."""
        with self._binary() as stream:
            bom = self.encoding == "utf-8" and stream.read(len(_BOM)) == _BOM
            stream.seek(len(_BOM) if bom else 0)
            text = io.TextIOWrapper(stream, encoding=self.encoding, newline="")
            offset = len(_BOM) if bom else 0
            try:
                for number, line in enumerate(iter(text.readline, ""), start=1):
                    offset += len(line.encode(self.encoding))
                    if line.strip() and not line.lstrip().startswith("#"):
                        return number, line, offset
            except UnicodeDecodeError:
                self._undecodable()
        return None

    def _undecodable(self) -> None:
        """Stop at the first byte not in the file's encoding, naming its line and character,
        and the encoding the line reads as."""
        named = _encodings.label(self.encoding)
        with self._binary() as stream:
            number = 0
            for number, raw in enumerate(stream, start=1):
                try:
                    raw.decode(self.encoding)
                except UnicodeDecodeError as error:
                    before = raw[: error.start].decode(self.encoding, errors="replace")
                    notes = _encodings.undecodable_notes(raw, error.start, self.encoding)
                    self.layout.fail(
                        number,
                        None,
                        Message(
                            "not {named} text: byte 0x{hex} (character {number} of the line)",
                            named=named,
                            hex=raw[error.start : error.start + 1].hex(),
                            number=len(before) + 1,
                        ),
                        joined_messages([*notes, SAVE_AS_UTF8]),
                    )
        self.layout.fail(
            None, None, Message("not {named} text", named=named)
        )  # pragma: no cover - found above

    # --- rows --------------------------------------------------------------------------------

    def batches(self) -> Iterator[Batch]:
        if arrow() is None:
            return self._python_batches(0)
        return self._arrow_batches()

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        """Each row that is not blank, with the line it starts on; a malformed row is a
        problem at its line and the reading goes on."""
        rows = csv.reader(self._text(), delimiter=self.delimiter)
        while True:
            start = self.header_line + rows.line_num + 1
            try:
                fields = next(rows)
            except StopIteration:
                return
            except csv.Error as error:
                self.layout.note(start, None, *malformed(error))
                continue
            except UnicodeDecodeError:
                self._undecodable()
            if any(field.strip() for field in fields):  # not a blank row a spreadsheet left
                yield start, fields

    def _python_batches(self, skip: int) -> Iterator[Batch]:
        """Batches from the csv module, after the first `skip` rows (read by pyarrow)."""
        records: list[list[str]] = []
        lines: list[int] = []
        start = skip
        for index, (line, fields) in enumerate(self._records()):
            if index < skip:
                continue
            records.append(fields)
            lines.append(line)
            if len(records) == BATCH_ROWS:
                yield self._python_batch(start, records, lines)
                start += len(records)
                records, lines = [], []
        if records:
            yield self._python_batch(start, records, lines)

    def _python_batch(self, start: int, records: list[list[str]], lines: list[int]) -> Batch:
        layout = self.layout
        cells: dict[int, Cells] = {}
        for column in layout.names:
            cells[column] = [f[column - 1] if column <= len(f) else "" for f in records]
        for column in layout.unnamed:
            found = next(
                (i for i, f in enumerate(records) if column <= len(f) and f[column - 1].strip()),
                None,
            )
            if found is not None:
                layout.value_without_name(lines[found], column)
        longer = next((i for i, f in enumerate(records) if len(f) > self.width), None)
        if longer is not None:
            layout.beyond_header(lines[longer], self.width + 1)
        located = np.array(lines, dtype=np.int64)  # any earlier row's is found when asked
        return Batch(start, len(records), cells, lines=located, locate=self.lines_of)

    def _arrow_reader(self) -> Any:
        pa = pyarrow()
        pacsv = pyarrow("csv")

        names = [f"c{column}" for column in range(1, self.width + 1)]
        # text, not dictionaries: pyarrow's reader builds a dictionary per block and column,
        # which took it 1.7 s of processor a million rows where the text alone takes 0.9; the
        # encoding dictionary-encodes each column once per batch, in a thread of its own
        types = dict.fromkeys(names, pa.string())
        stream = (
            pa.BufferReader(self._data) if self._data is not None else pa.OSFile(str(self.path))
        )
        stream.seek(self.offset)
        return pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(
                column_names=names,
                block_size=BLOCK_BYTES,
                use_threads=False,
                encoding="utf8" if self.encoding == "utf-8" else self.encoding,
            ),
            parse_options=pacsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=False),
        )

    def _arrow_batches(self) -> Iterator[Batch]:
        """pyarrow's record batches (a block each), joined into batches of BATCH_ROWS rows; a
        row pyarrow cannot take hands the rest, from the first row not delivered, to the csv
        module."""
        pa = pyarrow()

        delivered = 0
        waiting: list[Any] = []  # blocks read, not yet delivered
        try:
            reader = self._arrow_reader()
            while True:
                try:
                    found = self._kept(reader.read_next_batch())
                except StopIteration:
                    break
                waiting += [found] if found.num_rows else []
                if sum(block.num_rows for block in waiting) >= BATCH_ROWS:
                    batch = self._arrow_batch(delivered, joined(waiting))
                    delivered, waiting = delivered + batch.size, []
                    yield batch
        except (pa.ArrowException, _HandOverError):  # only the csv module can explain the rest
            if waiting:
                batch = self._arrow_batch(delivered, joined(waiting))
                delivered += batch.size
                yield batch
            yield from self._python_batches(delivered)
            return
        if waiting:
            yield self._arrow_batch(delivered, joined(waiting))

    def _kept(self, found: Any) -> Any:
        """A block's rows but for rows of empty cells; the csv module's to read if a cell is
        longer than it allows."""
        columns = found.columns
        if any(_too_long(values) for values in columns):
            raise _HandOverError  # the csv module refuses such a cell: it says where
        blank = _blank(columns[0])  # a row of empty cells (not a unit) starts with one
        for values in columns[1:]:
            if not blank.any():
                break
            blank &= _blank(values)
        if blank.any():
            found = found.filter(numbers(~blank))  # rows of empty cells are not units
        return found

    def _arrow_batch(self, start: int, found: Any) -> Batch:
        columns = found.columns
        batch = Batch(
            start,
            found.num_rows,
            {column: columns[column - 1] for column in self.layout.names},
            locate=self.lines_of,
        )
        for column in self.layout.unnamed:
            filled = np.flatnonzero(~_blank(columns[column - 1]))
            if filled.size:
                line = int(batch.lines_of(filled[:1])[0])
                self.layout.value_without_name(line, column)
        return batch

    def lines_of(self, rows: IntArray) -> IntArray:
        """The line each of these rows (counted over the table, blank rows left out) starts
        on, found by reading the file again up to the last of them."""
        wanted = set(rows.tolist())
        last = max(wanted, default=-1)
        found: dict[int, int] = {}
        rows_read = csv.reader(self._text(), delimiter=self.delimiter)
        index = 0
        while index <= last:
            start = self.header_line + rows_read.line_num + 1
            try:
                fields = next(rows_read)
            except StopIteration:
                break
            except csv.Error:
                continue
            if any(field.strip() for field in fields):
                if index in wanted:
                    found[index] = start
                index += 1
        return np.array([found.get(row, 0) for row in rows.tolist()], dtype=np.int64)


def joined(blocks: list[Any]) -> Any:
    """Record batches as one (dictionaries unified: pyarrow merges them as it concatenates)."""
    pa = pyarrow()

    if len(blocks) == 1:
        return blocks[0]
    columns = [
        pa.concat_arrays([block.column(i) for block in blocks])
        for i in range(blocks[0].num_columns)
    ]
    return pa.RecordBatch.from_arrays(columns, schema=blocks[0].schema)


class _HandOverError(Exception):
    """The rest of the file is for the csv module to read."""


def _too_long(values: Any) -> bool:
    """Whether a cell of an Arrow text column is longer than the csv module allows; a column
    whose text is shorter in bytes than that is not looked through."""
    pa = pyarrow()
    pc = pyarrow("compute")

    if pa.types.is_dictionary(values.type):
        values = values.dictionary
    data = values.buffers()[2] if len(values) else None
    if data is None or data.size <= csv.field_size_limit():
        return False
    return int(pc.max(pc.utf8_length(values)).as_py() or 0) > csv.field_size_limit()


def _blank(values: Any) -> Any:
    """Which cells of an Arrow text column (dictionary-encoded or not) are blank, as numpy."""
    pa = pyarrow()
    pc = pyarrow("compute")

    if pa.types.is_dictionary(values.type):
        distinct = pc.fill_null(
            pc.match_substring_regex(values.dictionary, ALL_SPACE), number(False)
        )
        return as_numpy(distinct)[as_numpy(values.indices)]
    return as_numpy(pc.fill_null(pc.match_substring_regex(values, ALL_SPACE), number(False)))
