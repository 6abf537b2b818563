"""Cells to columns: a record batch's cells checked and encoded for the scorer, column by column.

A cell means what `_cells.cell_value` says and nothing else. Each column is dictionary-encoded
(pyarrow does it in C; a Python column is factorised once), every distinct cell is read by
`cell_value` once and remembered across batches, and each row takes its distinct cell's code,
observed flag and set members by one gather. So a scale column of a million rows costs five
calls of the cell parser and a few array operations.

One exception keeps numbers fast: a number column with many distinct cells (a measured figure)
converts its plain cells as arrays - text of at most nine digits before the point and six after,
whole numbers up to 1e9, and floats that are already a six-decimal number - with exactly the
value `cell_value` gives them (the tests compare both on every kind of cell); every other cell,
and every bad one, still goes through `cell_value`, so each error is its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from modeadvisor._cells import cell_value, split_set
from modeadvisor._i18n import Message
from modeadvisor.backends._vectorised import Column, UnitTable, encode_values
from modeadvisor.errors import did_you_mean
from modeadvisor.knowledge import KnowledgeBase, Trait
from modeadvisor.scoring import MICRO, to_millionths_array
from modeadvisor.tables._arrow import as_numpy, number, numbers, pyarrow
from modeadvisor.tables._arrow import text as arrow_text
from modeadvisor.tables._arrow import texts as arrow_texts

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
#: One column's cells in a batch: a pyarrow Array, or a Python sequence.
Cells = Any

#: Columns with a fixed meaning; every other column is a trait id.
UNIT_COLUMN = "unit"
MODELS_COLUMN = "models_in_use"

#: The characters Python's str.strip() removes, as a class of the regular expressions pyarrow
#: runs (RE2): a cell with one at either end is trimmed by Python, exactly.
PYTHON_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPACE_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in PYTHON_SPACE) + "]"
EDGE_SPACE = f"^{_SPACE_CLASS}|{_SPACE_CLASS}$"
ALL_SPACE = f"^{_SPACE_CLASS}*$"
#: A number cell converted as an array: `cell_value` reads it as this very float (or whole
#: number) and keeps it unrounded, since it has at most six decimals and is below 1e9.
_PLAIN_NUMBER = r"^[+-]?[0-9]{1,9}(?:[.,][0-9]{1,6})?$"
_PLAIN_LIMIT = 1e9
#: Distinct cells of a number column from which the array conversion pays.
_FAST_FROM = 32
#: Distinct cells remembered per column across batches (an id-like column would grow forever).
_MEMO_SIZE = 100_000


@dataclass
class CellProblems:
    """The bad cells of one batch: row in the batch, column (1-based), message and hint."""

    rows: list[IntArray] = field(default_factory=list)
    columns: list[IntArray] = field(default_factory=list)
    which: list[IntArray] = field(default_factory=list)  # index into `messages`
    messages: list[tuple[str, str | None]] = field(default_factory=list)

    def add(
        self, rows: IntArray, column: int, which: IntArray, messages: list[tuple[str, str | None]]
    ) -> None:
        if rows.size:
            self.rows.append(rows)
            self.columns.append(np.full(rows.size, column, dtype=np.int64))
            self.which.append(which + len(self.messages))
        self.messages.extend(messages)

    def add_each(self, rows: IntArray, column: int, message: str) -> None:
        self.add(rows, column, np.zeros(rows.size, dtype=np.int64), [(message, None)])

    @property
    def count(self) -> int:
        return sum(r.size for r in self.rows)

    def ordered(self) -> Iterator[tuple[int, int, str, str | None]]:
        """Every bad cell by row, then column: (row in the batch, column, message, hint)."""
        if not self.rows:
            return
        rows, columns = np.concatenate(self.rows), np.concatenate(self.columns)
        which = np.concatenate(self.which)
        for i in np.lexsort((columns, rows)).tolist():
            message, hint = self.messages[int(which[i])]
            yield int(rows[i]), int(columns[i]), message, hint


@dataclass(frozen=True)
class Encoded:
    """A batch as the scorer reads it, with its ids and its bad cells."""

    units: UnitTable
    ids: Cells  # a pyarrow string array, or a list of str
    problems: CellProblems


# --- distinct cells ------------------------------------------------------------------------


def _key(cell: object) -> object:
    """A cell as a dictionary key that tells 1, 1.0 and True apart, 0.0 and -0.0 too (their
    messages differ), and lists by content."""
    if isinstance(cell, list | tuple):
        return (list, tuple(_key(c) for c in cell))
    if isinstance(cell, float):
        return (type(cell), cell.hex())
    return (type(cell), cell)


def _factorise_list(cells: Sequence[object]) -> tuple[IntArray, list[object]]:
    index: dict[object, int] = {}
    distinct: list[object] = []
    codes = np.empty(len(cells), dtype=np.int64)
    for row, cell in enumerate(cells):
        try:
            key = _key(cell)
            code = index.get(key)
        except TypeError:  # unhashable (a dict in a cell): its own entry
            key, code = object(), None
        if code is None:
            code = index[key] = len(distinct)
            distinct.append(cell)
        codes[row] = code
    return codes, distinct


def _string_like(pa: Any, kind: Any) -> bool:
    types = pa.types
    return bool(types.is_string(kind) or types.is_large_string(kind) or types.is_string_view(kind))


def _arrow_factorise(cells: Any) -> tuple[IntArray, Any] | None:
    """Codes per row (-1 for null) and the distinct cells of an Arrow column, if it can be
    dictionary-encoded (text, numbers, booleans); None for other types (lists)."""
    pa = pyarrow()
    pc = pyarrow("compute")

    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    kind = cells.type
    if pa.types.is_null(kind):
        return np.full(len(cells), -1, dtype=np.int64), arrow_texts([])
    if not pa.types.is_dictionary(kind):
        if _string_like(pa, kind):
            cells = cells.cast(pa.string())
        elif not (
            pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind)
        ):
            return None
        cells = pc.dictionary_encode(cells)
    indices = cells.indices
    if indices.null_count:
        indices = pc.fill_null(indices, number(np.int64(-1)).cast(indices.type))
    codes = as_numpy(indices)  # int32 or so: numpy indexes with any
    distinct = cells.dictionary
    if _string_like(pa, distinct.type):
        distinct = distinct.cast(pa.string())
    return codes, distinct


def factorise(cells: Cells) -> tuple[IntArray, Cells]:
    """Each row's distinct cell (-1 for a null) and the distinct cells, Arrow or Python."""
    if not isinstance(cells, list | tuple):
        found = _arrow_factorise(cells)
        if found is not None:
            return found
        cells = cells.to_pylist()
    return _factorise_list(cells)


def _python(distinct: Cells, chosen: IntArray) -> list[object]:
    if isinstance(distinct, list):
        return [distinct[i] for i in chosen.tolist()]
    return list(distinct.take(numbers(np.asarray(chosen))).to_pylist())


@dataclass
class _Entries:
    """What each distinct cell means, plus one last entry for a null (index -1)."""

    codes: IntArray
    observed: BoolArray
    members: BoolArray  # (distinct + 1, options) for a set
    counts: IntArray  # problems of each distinct cell
    offsets: IntArray  # where its problems start in `messages`
    messages: list[tuple[str, str | None]]


def _bad_rows(codes: IntArray, counts: IntArray, offsets: IntArray) -> tuple[IntArray, IntArray]:
    """The rows whose distinct cell has problems (a row once per problem), and which message
    each is: the distinct cell's `counts[d]` messages start at `offsets[d]`."""
    nothing = np.zeros(0, dtype=np.int64)
    if not counts.any():
        return nothing, nothing
    bad = np.flatnonzero(counts[codes] > 0)
    if not bad.size:  # a bad cell in the dictionary, in no row of this batch (Parquet's
        return nothing, nothing  # dictionary is a row group's, and a batch is part of one)
    distinct = codes[bad]
    each = counts[distinct]
    rows = np.repeat(bad, each)
    ends = np.cumsum(each)
    within = np.arange(int(ends[-1])) - np.repeat(ends - each, each)
    return rows, np.repeat(offsets[distinct], each) + within


#: What one distinct cell of a trait column means: code, observed, set members, problems.
_Meaning = tuple[int, bool, tuple[bool, ...], tuple[tuple[str, str | None], ...]]


class TraitColumn:
    """One trait's column across the batches of a table: its distinct cells remembered."""

    def __init__(self, trait: Trait) -> None:
        self.trait = trait
        self.options = list(trait.values or ()) if trait.type == "set" else []
        self.memo: dict[object, _Meaning] = {}
        self.empty = int(encode_values(trait, [None])[0])  # the code of an unobserved cell

    def encode(
        self, cells: Cells
    ) -> tuple[Column, dict[tuple[str, str], BoolArray], IntArray, IntArray, _Entries]:
        """The column, its set members, and its bad cells (rows, which message)."""
        codes, distinct = factorise(cells)
        entries = self.entries(distinct)
        column = Column(entries.codes[codes], entries.observed[codes])
        members = {
            (self.trait.id, option): entries.members[codes, j]
            for j, option in enumerate(self.options)
        }
        rows, which = _bad_rows(codes, entries.counts, entries.offsets)
        return column, members, rows, which, entries

    def entries(self, distinct: Cells) -> _Entries:
        size = len(distinct)
        codes = np.full(size + 1, self.empty, dtype=np.int64)
        observed = np.zeros(size + 1, dtype=np.bool_)
        members = np.zeros((size + 1, len(self.options)), dtype=np.bool_)
        counts = np.zeros(size + 1, dtype=np.int64)
        offsets = np.zeros(size + 1, dtype=np.int64)
        messages: list[tuple[str, str | None]] = []
        rest = np.arange(size, dtype=np.int64)
        if self.trait.type == "number" and size >= _FAST_FROM and not isinstance(distinct, list):
            plain = fast_numbers(self.trait, distinct)
            if plain is not None:
                ok, millionths = plain
                codes[:size][ok], observed[:size][ok] = millionths[ok], True
                rest = np.flatnonzero(~ok)
        for index, meaning in zip(
            rest.tolist(), self._meanings(_python(distinct, rest)), strict=True
        ):
            code, seen, flags, problems = meaning
            codes[index], observed[index] = code, seen
            if flags:
                members[index] = flags
            if problems:
                counts[index], offsets[index] = len(problems), len(messages)
                messages.extend(problems)
        return _Entries(codes, observed, members, counts, offsets, messages)

    def _meanings(self, cells: list[object]) -> list[_Meaning]:
        """Each cell's meaning, from the memo or from `cell_value` (new ones coded at once)."""
        keys: list[object] = []
        fresh: dict[object, tuple[object, str | None]] = {}
        for cell in cells:
            try:
                key = _key(cell)
                known = key in self.memo or key in fresh
            except TypeError:
                key, known = object(), False
            keys.append(key)
            if not known:
                fresh[key] = (cell, None)
        if fresh:
            self._learn(fresh)
        return [self.memo[key] for key in keys]

    def _learn(self, fresh: dict[object, tuple[object, str | None]]) -> None:
        if len(self.memo) + len(fresh) > _MEMO_SIZE:
            self.memo.clear()
        parsed = {key: cell_value(self.trait, cell) for key, (cell, _) in fresh.items()}
        typed = [value for value, _ in parsed.values()]
        encoded = encode_values(self.trait, typed).tolist()
        for (key, (value, problem)), code in zip(parsed.items(), encoded, strict=True):
            flags: tuple[bool, ...] = ()
            if isinstance(value, frozenset):
                flags = tuple(option in value for option in self.options)
            problems = (
                ()
                if problem is None
                else (
                    (Message("column '{id}': {message}", id=self.trait.id, message=problem), None),
                )
            )
            self.memo[key] = (int(code), value is not None, flags, problems)


def fast_numbers(trait: Trait, distinct: Any) -> tuple[BoolArray, IntArray] | None:
    """The distinct cells of a number column that convert as arrays, and their millionths.

    A cell is taken here only where `cell_value` would read it as this same float below 1e9
    with at most six decimals, within the trait's range: then `cell_value` keeps it unrounded
    and the encoding is `to_millionths_array` of that float. The rest is left to `cell_value`.
    """
    pa = pyarrow()
    pc = pyarrow("compute")

    kind = distinct.type
    if pa.types.is_string(kind):
        plain = pc.fill_null(pc.match_substring_regex(distinct, _PLAIN_NUMBER), number(False))
        text = pc.if_else(plain, pc.replace_substring(distinct, ",", "."), arrow_text("0"))
        numbers = as_numpy(pc.cast(text, pa.float64()))
        ok = as_numpy(plain)
    elif pa.types.is_integer(kind) or pa.types.is_floating(kind):
        numbers = as_numpy(pc.cast(distinct, pa.float64()))
        ok = np.isfinite(numbers)
        if pa.types.is_floating(kind):  # already a number of at most six decimals
            with np.errstate(invalid="ignore", over="ignore"):
                ok &= np.rint(numbers * MICRO) / MICRO == numbers
    else:
        return None
    ok = _within(trait, ok, numbers)
    return ok, to_millionths_array(np.where(ok, numbers, 0.0))


def _within(trait: Trait, ok: BoolArray, numbers: FloatArray) -> BoolArray:
    with np.errstate(invalid="ignore"):
        ok = ok & (np.abs(numbers) < _PLAIN_LIMIT)
        if trait.min is not None:
            ok &= numbers >= trait.min
        if trait.max is not None:
            ok &= numbers <= trait.max
    return ok


# --- ids and models in use -------------------------------------------------------------------


def text_of(cell: object) -> str:
    """A cell as trimmed text; an empty cell (None, a frame's NaN) as ""."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return ""
    return str(cell).strip()


def models_of(cell: object) -> frozenset[str]:
    """The models in use: a set cell (`a;b` or `a|b`), or a list from a frame."""
    if isinstance(cell, list | tuple | set | frozenset):
        return frozenset(str(model).strip() for model in cell if str(model).strip())
    return frozenset(split_set(text_of(cell)))


def unit_ids(cells: Cells) -> tuple[Cells, BoolArray]:
    """The units' ids (trimmed text) and which are empty: Arrow text stays an Arrow array."""
    if not isinstance(cells, list | tuple):
        pa = pyarrow()
        pc = pyarrow("compute")

        kind = cells.type
        if pa.types.is_dictionary(kind) and _string_like(pa, kind.value_type):
            cells = cells.cast(kind.value_type)
        if _string_like(pa, cells.type):
            ids = pc.fill_null(cells.cast(pa.string()), arrow_text(""))
            if isinstance(ids, pa.ChunkedArray):
                ids = ids.combine_chunks()
            if pc.any(pc.match_substring_regex(ids, EDGE_SPACE)).as_py():
                ids = arrow_texts([text_of(cell) for cell in ids.to_pylist()])
            return ids, as_numpy(pc.utf8_length(ids)) == 0
        cells = cells.to_pylist()
    texts = [text_of(cell) for cell in cells]
    return texts, np.array([not t for t in texts], dtype=np.bool_)


def models_in_use(
    kb: KnowledgeBase, cells: Cells
) -> tuple[BoolArray, IntArray, IntArray, list[tuple[str, str | None]]]:
    """Which known models each row uses, and its unknown ones as problems (rows, which)."""
    codes, distinct = factorise(cells)
    models = list(kb.models)
    size = len(distinct)
    used = np.zeros((size + 1, len(models)), dtype=np.bool_)
    counts = np.zeros(size + 1, dtype=np.int64)
    offsets = np.zeros(size + 1, dtype=np.int64)
    messages: list[tuple[str, str | None]] = []
    values = _python(distinct, np.arange(size, dtype=np.int64))
    for index, cell in enumerate(values):
        named = models_of(cell)
        used[index] = [model in named for model in models]
        unknown = sorted(named - set(models))
        counts[index], offsets[index] = len(unknown), len(messages)
        messages.extend((f"unknown model '{m}'", did_you_mean(m, models)) for m in unknown)
    rows, which = _bad_rows(codes, counts, offsets)
    return used[codes], rows, which, messages


# --- a batch -------------------------------------------------------------------------------


def dictionaries(cells: MutableMapping[int, Cells], names: Mapping[int, str]) -> None:
    """Arrow text columns but the unit's dictionary-encoded in place (a CSV's are read as text:
    pyarrow's reader is slower at building dictionaries than `dictionary_encode`)."""
    for column, values in cells.items():
        if names[column] == UNIT_COLUMN or isinstance(values, list | tuple):
            continue
        pa = pyarrow()
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            cells[column] = pyarrow("compute").dictionary_encode(values)


class Encoder:
    """Encodes the record batches of one table; `names` (column -> name, 1-based) is the
    layout's, which a reader of mappings extends as it meets new keys."""

    def __init__(self, kb: KnowledgeBase, names: Mapping[int, str]) -> None:
        self.kb = kb
        self.names = names
        self.traits: dict[int, TraitColumn] = {}

    def encode(
        self, size: int, cells: MutableMapping[int, Cells], unit_absent: BoolArray | None = None
    ) -> Encoded:
        """A batch of `size` rows: its cells by column; `unit_absent` marks rows (mappings)
        that have no unit key at all, which is said once for the table, not per row. An Arrow
        text column of traits or models is replaced in `cells` by its dictionary-encoded form
        (the same cells; what `RawCells` keeps of a table costs the less)."""
        dictionaries(cells, self.names)
        problems = CellProblems()
        columns: dict[str, Column] = {}
        members: dict[tuple[str, str], BoolArray] = {}
        in_use = np.zeros((size, len(self.kb.models)), dtype=np.bool_)
        ids: Cells = [""] * size
        for column in cells:  # the reader names a column before its first batch
            name = self.names[column]
            if name == UNIT_COLUMN:
                ids, empty = unit_ids(cells[column])
                if unit_absent is not None:
                    empty &= ~unit_absent
                problems.add_each(np.flatnonzero(empty), column, Message("column 'unit' is empty"))
            elif name == MODELS_COLUMN:
                in_use, rows, which, messages = models_in_use(self.kb, cells[column])
                problems.add(rows, column, which, messages)
            else:
                encoder = self.traits.get(column) or self.traits.setdefault(
                    column, TraitColumn(self.kb.traits[name])
                )
                found, flags, rows, which, entries = encoder.encode(cells[column])
                columns[name] = found
                members.update(flags)
                problems.add(rows, column, which, entries.messages)
        units = UnitTable.from_columns(self.kb, size, columns, members, in_use)
        return Encoded(units, ids, problems)
