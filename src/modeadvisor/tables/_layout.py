"""What every table reader shares: the columns' layout and its mistakes, and record batches.

A reader turns its input into a `Layout` (which column means what, mistakes in the header said
once) and a stream of `Batch`es (rows as columns of raw cells, each row locatable by line).

A reader works in a thread of its own, ahead of the encoding: the mistakes it finds are noted
(`Layout.note`) and handed on with the next batch (`Batch.notes`), so that the table's problems
are collected in one thread, in the order of the file, whatever the threads' timing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NoReturn, Protocol

import numpy as np
import numpy.typing as npt

from modeadvisor import _encodings
from modeadvisor._cells import ProblemCollector
from modeadvisor._i18n import Message
from modeadvisor.errors import LimitError, Location, OrganisationError, Problem, did_you_mean
from modeadvisor.knowledge import KnowledgeBase
from modeadvisor.limits import Limits, how_to_raise
from modeadvisor.tables._encoding import MODELS_COLUMN, UNIT_COLUMN, Cells

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
#: Rows of one record batch: large enough that per-batch costs vanish, small enough that a
#: batch's columns stay in the processor's cache and memory stays flat.
BATCH_ROWS = 65_536


class UnreadableTableError(OrganisationError):
    """A reader cannot go on (not UTF-8, not a Parquet file): the problems it noted, and this
    one last. The encoding adds them to those it collected, in order, and raises them all."""


class Layout:
    """Which column of a table means what; the table's problems, collected and capped."""

    def __init__(self, kb: KnowledgeBase, source: str) -> None:
        self.source = source
        #: collected by the encoding (one thread), in the order of the file
        self.problems = ProblemCollector(source, OrganisationError)
        #: noted by the reader since its last batch
        self.pending: list[Problem] = []
        self.known = {UNIT_COLUMN, MODELS_COLUMN, *kb.traits}
        #: usable columns (1-based) -> name: the unit, models in use, trait ids
        self.names: dict[int, str] = {}
        #: columns without a name in a CSV header, which may hold no values
        self.unnamed: list[int] = []
        self.reported: set[object] = set()  # a wrong column is one mistake, not one per row
        #: a file's table (an empty one is refused), not one in memory (an empty list is none)
        self.file = False

    def note(
        self, line: int | None, column: int | None, message: str, hint: str | None = None
    ) -> None:
        """A problem the reader found, handed on with its next batch."""
        self.pending.append(Problem(Location(self.source, line, column), message, hint))

    def take(self) -> list[Problem]:
        """The problems noted since the last call."""
        taken, self.pending = self.pending, []
        return taken

    def fail(
        self, line: int | None, column: int | None, message: str, hint: str | None = None
    ) -> NoReturn:
        """A problem that stops the reading, raised with the ones noted before it."""
        self.note(line, column, message, hint)
        raise UnreadableTableError(self.take())

    def header(self, names: list[str], line: int) -> None:
        """A header's column names: unknown ones and ones named twice are reported once."""
        first: dict[str, int] = {}
        for column, name in enumerate(names, start=1):
            if name in first:
                self.note(
                    line,
                    column,
                    _encodings.column_twice(name, first[name]),
                )
            elif name and name not in self.known:
                self.unknown_column(line, column, name)
            elif name:
                first[name] = column
                self.names[column] = name
            else:
                self.unnamed.append(column)
        if UNIT_COLUMN not in first:
            self.no_unit_column()

    def unknown_column(self, line: int | None, column: int, name: str) -> None:
        self.note(
            line,
            column,
            Message("unknown column '{name}'", name=name),
            did_you_mean(name, self.known),
        )

    def no_unit_column(self) -> None:
        if UNIT_COLUMN not in self.reported:
            self.reported.add(UNIT_COLUMN)
            self.note(
                1, None, Message("no 'unit' column: each row needs the id of the unit it describes")
            )

    def beyond_header(self, line: int | None, column: int) -> None:
        if None not in self.reported:
            self.reported.add(None)
            self.note(line, column, Message("the row has more cells than the header has columns"))

    def value_without_name(self, line: int, column: int) -> None:
        if column not in self.reported:
            self.reported.add(column)  # reported once, as a wrong column is
            self.note(
                line,
                column,
                Message(
                    "a value in column {column}, which has no name in the header", column=column
                ),
            )


@dataclass
class Batch:
    """Rows of a table as columns of raw cells, in order."""

    start: int  # rows of the table before this batch
    size: int
    cells: dict[int, Cells]  # usable column (1-based) -> its cells
    #: each row's line where the reader knows it; else `locate` finds them when asked
    lines: IntArray | None = None
    locate: Callable[[IntArray], IntArray] | None = None
    #: rows given as mappings without a unit key (said once for the table, not per row)
    unit_absent: BoolArray | None = None
    #: rows given as mappings whose keys are in another order: column -> each row's column
    places: dict[int, IntArray] | None = None
    #: the problems the reader noted before this batch was done (see Layout.note)
    notes: list[Problem] = field(default_factory=list)

    def lines_of(self, rows: IntArray) -> IntArray:
        """The line (or, for a table without lines, the row as a spreadsheet numbers it: the
        header is row 1) of each of these rows of the batch."""
        if self.lines is not None:
            return self.lines[rows]
        if self.locate is not None:
            return self.locate(rows + self.start)
        return rows + self.start + 2

    def place_of(self, column: int, row: int) -> int:
        if self.places is not None and column in self.places:
            return int(self.places[column][row])
        return column


class Source(Protocol):
    """A table being read: its layout, then its rows in batches."""

    layout: Layout
    #: rows, when known before reading (a progress bar's total)
    total: int | None
    #: whether reading a batch costs enough (parsing text) to be worth a thread of its own;
    #: a source without the attribute is read ahead
    read_ahead: bool

    def batches(self) -> Iterator[Batch]: ...


def noted(source: Source) -> Iterator[Batch]:
    """The source's batches, each with the problems noted while it was read."""
    for batch in source.batches():
        batch.notes = source.layout.take()
        yield batch


def too_many_rows(source: str, line: int | None, found: str, limits: Limits) -> NoReturn:
    raise LimitError(
        [
            Problem(
                Location(source, line),
                Message(
                    "{found}; the limit is {max_table_rows:,}",
                    found=found,
                    max_table_rows=limits.max_table_rows,
                ),
                Message("split the table, or {how}", how=how_to_raise("max_table_rows")),
            )
        ]
    )


def sliced(cells: Mapping[int, Cells], start: int, stop: int) -> dict[int, Cells]:
    """Rows `start` to `stop` of columns of cells (Arrow arrays slice without copying)."""
    result: dict[int, Cells] = {}
    for column, values in cells.items():
        result[column] = (
            values[start:stop] if isinstance(values, list) else values.slice(start, stop - start)
        )
    return result


def in_batches(cells: Mapping[int, Cells], size: int, offset: int = 0) -> Iterator[Batch]:
    """Columns of `size` rows, the table's rows from `offset` on, as batches of at most
    BATCH_ROWS rows each."""
    for start in range(0, size, BATCH_ROWS):
        stop = min(size, start + BATCH_ROWS)
        yield Batch(offset + start, stop - start, sliced(cells, start, stop))
