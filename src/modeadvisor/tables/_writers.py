"""Results written as they come: CSV, JSON Lines, Parquet or Arrow, a batch at a time.

With pyarrow every line of CSV and JSON Lines is built by Arrow's string kernels and written
as one buffer per batch; without it, Python's csv and json modules write the same bytes. The
CSV is what `modeadvisor batch` has always written (weights to four decimals, `csv.writer`'s
quoting), the JSON Lines carry the same fields as `--format json` per unit. A weight is
rounded to four decimals from its exact fraction of millionths (the row's evidence over its
total), which is what Python's `f"{w:.4f}"` does to the float unless the fraction lies exactly
half-way; those rare rows, and totals too large for the shortcut, are formatted by Python.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any, Protocol

import numpy as np

from modeadvisor._i18n import Message
from modeadvisor.errors import Location, ModeAdvisorError, Problem
from modeadvisor.tables._arrow import arrow, as_numpy, numbers, pyarrow, require_arrow
from modeadvisor.tables._arrow import text as arrow_text
from modeadvisor.tables._arrow import texts as arrow_texts
from modeadvisor.tables._results import BoolArray, FloatArray, IntArray, Scored

#: Output formats, and the file extensions that choose them.
FORMATS = ("csv", "json", "jsonl", "parquet", "arrow")
EXTENSIONS = {
    ".csv": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".arrow": "arrow",
    ".feather": "arrow",
    ".ipc": "arrow",
}
#: Beyond this total (in millionths) the rounding shortcut could be fooled by the float.
_EXACT_TOTAL = 4 * 10**11
_TEN_THOUSAND = 10_000


def format_of(path: Path) -> str | None:
    """The output format a file's extension names, if any."""
    return EXTENSIONS.get(path.suffix.lower())


@dataclass(frozen=True)
class Names:
    """The names a result's columns use: archetypes, models, conflict rules."""

    archetypes: list[str]
    models: list[str]
    rules: list[str]

    @classmethod
    def of(cls, holder: Any) -> Names:
        return cls(list(holder.archetypes), list(holder.models), list(holder.rules))

    @property
    def header(self) -> list[str]:
        return [
            "unit",
            "status",
            "dominant",
            "mixed",
            *self.archetypes,
            "top_recommendations",
            "conflicts",
        ]


class Writer(Protocol):
    def write(self, part: Scored) -> None: ...

    def close(self) -> None: ...

    def abandon(self) -> None:
        """Stop without finishing (the table had a mistake, or the user interrupted): what is
        open is let go of now, while the stream still is."""


# --- the exact four-decimal weights ----------------------------------------------------------


def tenthousandths(raw: IntArray) -> tuple[IntArray, BoolArray]:
    """Each weight (its row's share of the row's total) in ten-thousandths, rounded as Python
    rounds the float; and where Python must do it (a tie, or a total too large)."""
    total = raw.sum(axis=1, keepdims=True)
    safe = np.maximum(total, 1)
    whole, rest = np.divmod(raw * _TEN_THOUSAND, safe)
    rounded = whole + (2 * rest > safe)
    python = ((2 * rest == safe) & (total > 0)) | (total > _EXACT_TOTAL)
    return np.where(total > 0, rounded, 0).astype(np.int64), python


@cache
def _fixed_texts(as_json: bool) -> Any:
    """Every weight in ten-thousandths, 0 to 10,000, as text: `0.1250` (as `f"{w:.4f}"`
    writes it) or `0.125` (as JSON writes `round(w, 4)`: the shortest form of the float)."""
    texts = [f"{n // _TEN_THOUSAND}.{n % _TEN_THOUSAND:04d}" for n in range(_TEN_THOUSAND + 1)]
    if as_json:
        texts = [text.rstrip("0").replace(".", ".", 1) for text in texts]
        texts = [text + "0" if text.endswith(".") else text for text in texts]
    return arrow_texts(texts)


def _fixed(tenths: IntArray, weights: FloatArray, python: BoolArray, as_json: bool) -> Any:
    """One archetype's weights as text, looked up; the rows Python must round, by Python."""
    pc = pyarrow("compute")

    text = _fixed_texts(as_json).take(numbers(tenths))
    if python.any():
        chosen = weights[python].tolist()
        made = [json.dumps(round(w, 4)) if as_json else f"{w:.4f}" for w in chosen]
        text = pc.replace_with_mask(text, numbers(python), arrow_texts(made))
    return text


def _by_code(codes: IntArray, text: Callable[[int], str]) -> Any:
    """A text per row, made once per distinct code (codes are small: no sort needed)."""
    if codes.size and int(codes.max()) < 1 << 22:
        present = np.zeros(int(codes.max()) + 1, dtype=np.bool_)
        present[codes] = True
        distinct = np.flatnonzero(present)
        index = np.zeros(present.size, dtype=np.int64)
        index[distinct] = np.arange(distinct.size)
        inverse = index[codes]
    else:
        distinct, inverse = np.unique(codes, return_inverse=True)
    texts = arrow_texts([text(int(code)) for code in distinct.tolist()])
    return texts.take(numbers(inverse.reshape(-1)))


def _packed(columns: IntArray, base: int) -> IntArray | None:
    """Rows of small numbers (0 <= n < base) as one number each, if it fits in 62 bits."""
    if base ** columns.shape[1] >= 2**62:
        return None
    powers = base ** np.arange(columns.shape[1] - 1, -1, -1, dtype=np.int64)
    packed: IntArray = columns.astype(np.int64) @ powers
    return packed


def _joined_names(names: list[str], chosen: BoolArray, codes: IntArray, as_json: bool) -> Any:
    """Per row the names `codes[i, j]` where `chosen[i, j]`, in order: `a;b` or `["a", "b"]`."""
    pc = pyarrow("compute")

    base = len(names) + 1
    packed = _packed(np.where(chosen, codes + 1, 0), base)
    if packed is None:  # too many to pack into one number: Arrow lists
        lists = _lists(names, chosen, codes)
        if not as_json:
            return pc.binary_join(lists, arrow_text(";"))
        return arrow_texts([json.dumps(found) for found in lists.to_pylist()])
    width = chosen.shape[1]

    def spelled(code: int) -> str:
        digits = []
        for _ in range(width):
            code, digit = divmod(code, base)
            digits.append(digit)
        chosen_names = [names[d - 1] for d in reversed(digits) if d]
        return json.dumps(chosen_names) if as_json else ";".join(chosen_names)

    return _by_code(packed, spelled)


# --- columns as Arrow ------------------------------------------------------------------------


def _lists(names: list[str], chosen: BoolArray, codes: IntArray) -> Any:
    """A list of names per row: `codes[i, j]` where `chosen[i, j]`, in order."""
    pa = pyarrow()

    counts = chosen.sum(axis=1)
    offsets = np.zeros(len(counts) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    values = arrow_texts(names).take(numbers(codes[chosen]))
    return pa.ListArray.from_arrays(numbers(offsets), values)


def _flags(names: Names, part: Scored) -> tuple[BoolArray, IntArray]:
    """The conflict rules that flag each row: (flags, rule index) per row and rule."""
    flags = np.zeros((part.size, len(names.rules)), dtype=np.bool_)
    for j, rule in enumerate(names.rules):
        flags[:, j] = part.flags[rule]
    return flags, np.broadcast_to(np.arange(len(names.rules), dtype=np.int64), flags.shape)


def _top_texts(names: Names, part: Scored, as_json: bool) -> Any:
    return _joined_names(names.models, part.top >= 0, np.maximum(part.top, 0), as_json)


def _conflict_texts(names: Names, part: Scored, as_json: bool) -> Any:
    return _joined_names(names.rules, *_flags(names, part), as_json)


def arrow_batch(names: Names, part: Scored) -> Any:
    """A batch's advice as an Arrow record batch."""
    pa = pyarrow()

    ids = part.ids if not isinstance(part.ids, list) else arrow_texts(part.ids)
    status = pa.DictionaryArray.from_arrays(
        numbers(np.where(part.ok, 0, 1).astype(np.int8)),
        arrow_texts(["ok", "insufficient_evidence"]),
    )
    dominant = pa.DictionaryArray.from_arrays(
        numbers(part.dominant.astype(np.int8), missing=part.dominant < 0),
        arrow_texts(names.archetypes),
    )
    columns = [ids, status, dominant, numbers(part.mixed)]
    columns += [numbers(part.weights[:, i]) for i in range(len(names.archetypes))]
    columns += [
        _lists(names.models, part.top >= 0, np.maximum(part.top, 0)),
        _lists(names.rules, *_flags(names, part)),
    ]
    return pa.RecordBatch.from_arrays(columns, names=names.header)


# --- CSV and JSON Lines ---------------------------------------------------------------------


def _csv_field(text: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([text])
    return out.getvalue()[:-1]


def _json_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _escaped(ids: Any, special: str, escape: Callable[[str], str], quote: str) -> Any:
    """Ids as fields: as they are (within `quote`), or as Python's `escape` writes them where
    they hold one of the `special` characters (a class of a regular expression)."""
    pc = pyarrow("compute")

    needs = as_numpy(pc.match_substring_regex(ids, special))
    fields = ids
    if quote:
        fields = pc.binary_join_element_wise(
            arrow_text(quote), ids, arrow_text(quote), arrow_text("")
        )
    if needs.any():
        chosen = numbers(needs)
        made = [escape(text) for text in pc.filter(ids, chosen).to_pylist()]
        fields = pc.replace_with_mask(fields, chosen, arrow_texts(made))
    return fields


def _taken(texts: list[str], codes: IntArray) -> Any:
    """texts[code] per row; -1 takes the last."""
    return arrow_texts(texts).take(numbers(np.where(codes < 0, len(texts) - 1, codes)))


def _text_fields(names: Names, part: Scored, as_json: bool) -> list[Any]:
    """The pieces of each row's line, to be joined: Arrow string arrays and scalars."""
    tenths, python = tenthousandths(part.raw)
    weights = [
        _fixed(tenths[:, i], part.weights[:, i], python[:, i], as_json)
        for i in range(len(names.archetypes))
    ]
    ids = part.ids if not isinstance(part.ids, list) else arrow_texts(part.ids)
    ok, mixed = part.ok.astype(np.int64), part.mixed.astype(np.int64)
    top, conflicts = _top_texts(names, part, as_json), _conflict_texts(names, part, as_json)
    if not as_json:
        return [
            *_between(
                [
                    _escaped(ids, r'[,"\r\n]', _csv_field, ""),
                    _taken(["insufficient_evidence", "ok"], ok),
                    _taken([*names.archetypes, ""], part.dominant),
                    _taken(["false", "true"], mixed),
                    *weights,
                    top,
                    conflicts,
                ],
                ",",
            ),
            arrow_text("\n"),
        ]
    pairs = [
        [arrow_text(f"{_json_string(a)}: "), w]
        for a, w in zip(names.archetypes, weights, strict=True)
    ]
    return [
        arrow_text('{"unit": '),
        _escaped(ids, r'["\\\x00-\x1f]', _json_string, '"'),
        arrow_text(', "status": '),
        _taken(['"insufficient_evidence"', '"ok"'], ok),
        arrow_text(', "dominant": '),
        _taken([*(_json_string(a) for a in names.archetypes), "null"], part.dominant),
        arrow_text(', "mixed": '),
        _taken(["false", "true"], mixed),
        arrow_text(', "weights": {'),
        *_between([piece for pair in pairs for piece in pair], None),
        arrow_text('}, "top_recommendations": '),
        top,
        arrow_text(', "conflicts": '),
        conflicts,
        arrow_text("}\n"),
    ]


def _between(pieces: list[Any], separator: str | None) -> list[Any]:
    """`separator` between the pieces; None: `, ` between `name: value` pairs."""
    result: list[Any] = []
    step = 1 if separator is not None else 2
    for index in range(0, len(pieces), step):
        if index:
            result.append(arrow_text(separator if separator is not None else ", "))
        result += pieces[index : index + step]
    return result


def _write_lines(out: IO[bytes], pieces: list[Any]) -> None:
    """Each row's pieces joined into its line (newline included), all lines written at once."""
    pc = pyarrow("compute")

    lines = pc.binary_join_element_wise(*pieces, arrow_text(""))
    if len(lines) == 0:
        return
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)
    first, last = int(offsets[lines.offset]), int(offsets[lines.offset + len(lines)])
    out.write(memoryview(lines.buffers()[2])[first:last])


class CsvWriter:
    """The advice as CSV, a line per unit, written batch by batch; the header with the first
    batch, so a table whose first batch has a mistake writes nothing (to standard output, where
    no file is left out, a header alone would read as a table without units)."""

    def __init__(self, out: IO[bytes], names: Names) -> None:
        self.out = out
        self.names = names
        self._headed = False

    def _head(self) -> None:
        if not self._headed:
            text = io.StringIO()
            csv.writer(text, lineterminator="\n").writerow(self.names.header)
            self.out.write(text.getvalue().encode("utf-8"))
            self._headed = True

    def write(self, part: Scored) -> None:
        self._head()
        if arrow() is None:
            self.out.write(_python_csv(self.names, part).encode("utf-8"))
            return
        for piece in part.pieces():
            _write_lines(self.out, _text_fields(self.names, piece, as_json=False))

    def close(self) -> None:
        self._head()  # a table of no units still says its columns
        self.out.flush()

    def abandon(self) -> None:
        """Lines already written stay as they are: nothing is held."""


class JsonLinesWriter:
    """The advice as JSON Lines: an object per unit, the fields of `--format json`."""

    def __init__(self, out: IO[bytes], names: Names) -> None:
        self.out = out
        self.names = names

    def write(self, part: Scored) -> None:
        if arrow() is None:
            for row in _python_rows(self.names, part):
                self.out.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
            return
        for piece in part.pieces():
            _write_lines(self.out, _text_fields(self.names, piece, as_json=True))

    def close(self) -> None:
        self.out.flush()

    def abandon(self) -> None:
        """Lines already written stay as they are: nothing is held."""


def _python_csv(names: Names, part: Scored) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    for index, row in enumerate(_python_rows(names, part)):
        writer.writerow(
            [
                row["unit"],
                row["status"],
                row["dominant"] or "",
                "true" if row["mixed"] else "false",
                *(f"{w:.4f}" for w in part.weights[index].tolist()),
                ";".join(row["top_recommendations"]),
                ";".join(row["conflicts"]),
            ]
        )
    return text.getvalue()


def _python_rows(names: Names, part: Scored) -> list[dict[str, Any]]:
    """Each row's advice as JSON Lines write it."""
    ids = part.ids if isinstance(part.ids, list) else part.ids.to_pylist()
    rows = []
    for i, unit in enumerate(ids):
        dominant = int(part.dominant[i])
        rows.append(
            {
                "unit": unit,
                "status": "ok" if part.ok[i] else "insufficient_evidence",
                "dominant": names.archetypes[dominant] if dominant >= 0 else None,
                "mixed": bool(part.mixed[i]),
                "weights": {
                    a: round(w, 4)
                    for a, w in zip(names.archetypes, part.weights[i].tolist(), strict=True)
                },
                "top_recommendations": [names.models[m] for m in part.top[i] if m >= 0],
                "conflicts": [rule for rule in names.rules if part.flags[rule][i]],
            }
        )
    return rows


# --- Parquet and Arrow -----------------------------------------------------------------------


class ArrowWriter:
    """The advice as Parquet or as an Arrow IPC file, a record batch at a time."""

    def __init__(self, out: IO[bytes], names: Names, kind: str) -> None:
        require_arrow(f"writing {'Parquet' if kind == 'parquet' else 'Arrow'}", "<output>")
        self.out = out
        self.names = names
        self.kind = kind
        self._writer: Any = None

    def write(self, part: Scored) -> None:
        pa = pyarrow()

        batch = arrow_batch(self.names, part)
        if self._writer is None:
            if self.kind == "parquet":
                pq = pyarrow("parquet")

                self._writer = pq.ParquetWriter(self.out, batch.schema)
            else:
                self._writer = pa.ipc.new_file(self.out, batch.schema)
        if self.kind == "parquet":
            self._writer.write_batch(batch)
        else:
            self._writer.write_batch(batch)

    def close(self) -> None:
        if self._writer is None:  # no unit at all: the columns still say what they are
            empty = Scored(
                arrow_texts([]),
                np.zeros(0, np.bool_),
                np.zeros(0, np.int64),
                np.zeros(0, np.bool_),
                np.zeros((0, len(self.names.archetypes))),
                np.zeros((0, len(self.names.archetypes)), np.int64),
                np.zeros((0, 1), np.int64),
                {rule: np.zeros(0, np.bool_) for rule in self.names.rules},
            )
            self.write(empty)
        self._writer.close()

    def abandon(self) -> None:
        """pyarrow's writer closed now: left to the garbage collector it would close after the
        stream had been, and print "Exception ignored ... write to closed file"."""
        writer, self._writer = self._writer, None
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.close()


class JsonWriter:
    """The advice as one JSON document (`--format json`): gathered, written at the end."""

    def __init__(self, out: IO[bytes], names: Names, result: Callable[[list[Scored]], Any]) -> None:
        self.out = out
        self.parts: list[Scored] = []
        self.result = result

    def write(self, part: Scored) -> None:
        self.parts.append(part)

    def close(self) -> None:
        self.out.write(self.result(self.parts).to_json().encode("utf-8"))
        self.out.flush()

    def abandon(self) -> None:
        self.parts.clear()


def open_writer(
    kind: str, out: IO[bytes], names: Names, result: Callable[[list[Scored]], Any]
) -> Writer:
    """A writer of format `kind` to a binary stream."""
    if kind == "csv":
        return CsvWriter(out, names)
    if kind == "jsonl":
        return JsonLinesWriter(out, names)
    if kind == "json":
        return JsonWriter(out, names, result)
    return ArrowWriter(out, names, kind)


# --- where the advice goes -------------------------------------------------------------------


def output_format(output: Path | None, chosen: str | None) -> str:
    """The format asked for, else the one `output`'s extension names, else CSV."""
    if chosen is not None:
        return chosen
    if output is None:
        return "csv"
    found = format_of(output)
    if found is None:
        raise ModeAdvisorError(
            [
                Problem(
                    Location(str(output)),
                    Message("cannot tell the format from the extension"),
                    Message(
                        "name it {names} or give --format", names=", ".join(sorted(EXTENSIONS))
                    ),
                )
            ]
        )
    return found


class _TextOut(io.RawIOBase):
    """Bytes of UTF-8 written on to a text stream that has no binary buffer."""

    def __init__(self, text: IO[str]) -> None:
        self.text = text

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.text.write(bytes(data).decode("utf-8"))
        return len(data)


@contextmanager
def output_stream(output: Path | None, out: IO[str], kind: str) -> Iterator[IO[bytes]]:
    """Where the advice is written: `output` (whole or not at all: written beside it and
    renamed at the end) or, for the text formats, `out`."""
    if output is None:
        if kind in ("parquet", "arrow"):
            raise ModeAdvisorError(
                [
                    Problem(
                        Location("<stdout>"),
                        Message("{kind} is not text: it is written to a file", kind=kind),
                        Message("give -o OUT.{kind}", kind=kind),
                    )
                ]
            )
        out.flush()
        buffer = getattr(out, "buffer", None)
        stream: IO[bytes] = buffer if buffer is not None else _TextOut(out)  # type: ignore[assignment]
        yield stream
        stream.flush()
        return
    partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
    try:
        with partial.open("wb") as stream:
            yield stream
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
