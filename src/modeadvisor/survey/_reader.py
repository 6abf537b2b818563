"""Survey tables read: lines, encodings, columns and cells, every mistake located.

The 2015 survey (S-C1..S-C3) asked 360 respondents from 269 organisations how central each mode of
operation is to their organisation; several modes could be central. A survey table has one row
per respondent and these columns (names are matched after trimming and lower-casing):

- `organisation` (required, never empty): the organisation the respondent answered for;
- `unit` (optional): a unit of it, when respondents answered for units (S-C7);
- `role` (optional): top_management, middle_management, expert or other (empty: not given);
- `respondent` (optional): an id; one id may answer only once per organisation;
- one rating column per archetype id of the knowledge base: a whole number 1 (not central) to 5
  (central), also written `4.0` or `4,0`, empty when the respondent did not rate the mode;
- optional trait columns named by trait id, each cell read by the one cell parser every table
  reader shares (`modeadvisor._cells`): true/false in English or Finnish, a decimal comma or
  point, the values of a set separated by `;` or `|` (in a `;`-delimited file write `a|b` or
  quote the cell).

The file is UTF-8, with or without a byte order mark, unless another encoding is given (as
`batch` reads one: `_encodings`); the delimiter (`,`, `;` as Finnish Excel
writes, or a tab) is found from the header, as the batch reader finds it. Lines starting with `#`
before the header are comments (the synthetic example labels itself so). The file is read as a
stream of lines, at most `Limits.max_file_bytes` bytes, and only running counts are kept
(`_aggregate.Tallies`), so memory grows with the number of organisations and units (and of
respondent ids, kept to refuse duplicates), not of rows. Organisation and unit names are trimmed
and their inner white space collapsed.

Mistakes are collected and raised together as a `SurveyError`; each problem's location is the
file, the line where the row starts, and the CSV column number (1 = the first column), and its
message names the column. Lines that are not in the file's encoding (a file saved as
Windows-1252 read as UTF-8, or mixed encodings) are reported at the first undecodable byte, with
its column and the encoding the line reads as.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from modeadvisor import _encodings
from modeadvisor._cells import (
    MAX_PROBLEMS,
    SAVE_AS_UTF8,
    Parsed,
    ProblemCollector,
    cell_value,
    column_name,
    malformed,
    sniff_delimiter,
    whole_number,
)
from modeadvisor._i18n import Message, joined
from modeadvisor.agreement import SCALE_HIGH, SCALE_LOW
from modeadvisor.conditions import TraitValue
from modeadvisor.errors import Location, Problem, did_you_mean, display_path, os_reason
from modeadvisor.knowledge import KnowledgeBase, Trait
from modeadvisor.limits import DEFAULT_LIMITS, Limits, how_to_raise
from modeadvisor.survey._aggregate import (
    ROLES,
    SLOTS,
    UNSPECIFIED_ROLE,
    SurveyError,
    SurveyResult,
    Tallies,
)

__all__ = ["FIXED_COLUMNS", "MAX_PROBLEMS", "PROGRESS_EVERY", "SurveyRow", "read_survey"]

#: Columns with a fixed meaning; every other column is a mode (archetype id) or a trait id.
FIXED_COLUMNS = ("organisation", "unit", "role", "respondent")
#: `progress` is called after every this many data rows, and once at the end.
PROGRESS_EVERY = 1000

_RATINGS = {str(value): value for value in range(SCALE_LOW, SCALE_HIGH + 1)}
#: Distinct cells of trait and role columns remembered (their values repeat from row to row).
_CACHE_SIZE = 10_000


@dataclass(frozen=True, slots=True)
class SurveyRow:
    """One respondent's row as read and checked: what `read_survey` hands to `rows`."""

    line: int
    organisation: str
    unit: str  # "" when not given
    role: str  # UNSPECIFIED_ROLE when not given
    respondent: str  # "" when not given
    ratings: Mapping[str, int]  # archetype id -> 1-5
    traits: Mapping[str, TraitValue]


def read_survey(
    path: Path | str,
    kb: KnowledgeBase,
    *,
    limits: Limits = DEFAULT_LIMITS,
    progress: Callable[[int], None] | None = None,
    encoding: str | None = None,
    show_respondents: bool = False,
    rows: Callable[[SurveyRow], None] | None = None,
) -> SurveyResult:
    """Read a survey table (CSV) and aggregate it per organisation and unit.

    Each group's figures keep to the pack's anonymity floor (`min_respondents`, and
    `anonymity.shown_groups`) unless `show_respondents` lifts it for a consultant's working
    copy. `encoding` is the file's (default UTF-8, a byte order mark allowed). `progress`, when
    given, is called with the number of data rows read so far, every `PROGRESS_EVERY` rows and
    once at the end; nothing is printed. `rows`, when given, is called with every row that has
    no mistake, as it is read (for a caller that keeps the answers themselves, as `collect`
    does). Raises SurveyError listing every problem found (up to MAX_PROBLEMS, the rest
    counted).
    """
    path = Path(path)
    name = display_path(path)
    try:
        codec = _encodings.checked(encoding)
    except ValueError as error:
        raise SurveyError([Problem(Location(name), str(error))]) from None
    try:
        if path.exists() and not path.is_file():
            raise SurveyError([Problem(Location(name), Message("not a regular file"))])
        with path.open("rb") as stream:
            reader = _SurveyReader(kb, stream, name, limits, progress, codec, rows)
            reader.read()
    except OSError as error:
        reason = os_reason(error)
        raise SurveyError(
            [Problem(Location(name), Message("cannot read file: {reason}", reason=reason))]
        ) from error
    return reader.tallies.result(show=show_respondents)


class _Lines:
    """The file's lines as text, decoded one by one; bounded by `max_file_bytes`."""

    def __init__(
        self, stream: BinaryIO, problems: ProblemCollector, limits: Limits, encoding: str
    ) -> None:
        self.stream = stream
        self.encoding = encoding
        self.problems = problems
        self.limit = limits.max_file_bytes
        self.number = 0  # of the last line read (1-based)
        self.size = 0
        self.bad_lines = 0
        self.first_bad: tuple[int, bytes, int] | None = None  # line, raw bytes, offset
        self.non_ascii_decoded = 0  # lines with non-ASCII text that did decode
        self.bad_in_row = False  # set when a line not in the encoding is read

    def __iter__(self) -> Iterator[str]:
        while True:
            raw = self.stream.readline(self.limit - self.size + 1)
            if not raw:
                return
            self.size += len(raw)
            if self.size > self.limit:
                self.problems.fail(
                    None,
                    None,
                    Message("file is over the limit of {limit:,} bytes", limit=self.limit),
                    Message("split it, or {how}", how=how_to_raise("max_file_bytes")),
                )
            self.number += 1
            if self.number == 1:
                raw = self._first(raw)
            try:
                text = raw.decode(self.encoding)
            except UnicodeDecodeError as error:
                self.bad_lines += 1
                self.bad_in_row = True
                if self.first_bad is None:
                    self.first_bad = (self.number, raw, error.start)
                text = raw.decode(self.encoding, errors="replace")
            else:
                if not raw.isascii():
                    self.non_ascii_decoded += 1
                if "\x00" in text:  # UTF-16 without a byte order mark, or binary data
                    self.bad_lines += 1
                    self.bad_in_row = True
                    if self.first_bad is None:
                        self.first_bad = (self.number, raw, raw.index(b"\x00"))
            yield text

    def _first(self, raw: bytes) -> bytes:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            self.problems.fail(1, None, Message("the file is UTF-16 text"), SAVE_AS_UTF8)
        if raw.startswith(b"PK\x03\x04"):
            self.problems.fail(
                1,
                None,
                Message("this is a spreadsheet workbook (.xlsx), not a CSV table"),
                SAVE_AS_UTF8,
            )
        return raw.removeprefix(b"\xef\xbb\xbf") if self.encoding == "utf-8" else raw


class _Column:
    __slots__ = ("index", "kind", "name", "trait")

    def __init__(self, index: int, name: str, kind: str, trait: Trait | None = None) -> None:
        self.index = index  # 0-based
        self.name = name
        self.kind = kind  # a fixed column's name, "rating", "trait", "ignored" or "unnamed"
        self.trait = trait


class _SurveyReader:
    def __init__(
        self,
        kb: KnowledgeBase,
        stream: BinaryIO,
        name: str,
        limits: Limits,
        progress: Callable[[int], None] | None,
        encoding: str,
        rows: Callable[[SurveyRow], None] | None = None,
    ) -> None:
        self.kb = kb
        self.on_row = rows
        self.modes = tuple(kb.archetypes)
        self.name = name
        self.limits = limits
        self.progress = progress
        self.problems = ProblemCollector(name, SurveyError)
        self.lines = _Lines(stream, self.problems, limits, encoding)
        self.tallies = Tallies(kb)
        self.delimiter = ","
        self.header_line = 0
        self.columns: list[_Column] = []
        self.fixed: dict[str, int] = {}  # fixed column name -> index
        self.rating_columns: list[tuple[int, int, str]] = []  # index, first cell, mode
        self.trait_columns: list[tuple[int, Trait]] = []
        self.unnamed: list[int] = []
        self.trait_cache: dict[tuple[str, str], Parsed] = {}
        self.role_cache: dict[str, str] = {}
        self.rows = 0
        self.seen: dict[tuple[str, str], int] = {}  # (organisation, respondent id) -> line

    # -- lines ----------------------------------------------------------------------------

    def read(self) -> None:
        lines = iter(self.lines)
        header = self._header_line(lines)
        self._header(header)
        reader = csv.reader(lines, delimiter=self.delimiter)
        while True:
            self.lines.bad_in_row = False
            start = self.lines.number + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                self.rows += 1
                self.problems.add(start, None, *malformed(error))
                continue
            if not fields or (not fields[0].strip() and not "".join(fields).strip()):
                continue  # a blank line, or an empty row a spreadsheet left (;;;;)
            self.rows += 1
            if self.progress is not None and self.rows % PROGRESS_EVERY == 0:
                self.progress(self.rows)
            if not self.lines.bad_in_row:  # undecodable: reported once, at the first such byte
                self._row(fields, start, self.lines.number)
        if self.progress is not None and self.rows % PROGRESS_EVERY != 0:
            self.progress(self.rows)
        self._encoding_problem()
        if self.rows == 0 and not self.lines.bad_lines:
            self.problems.add(
                self.header_line, None, Message("no respondents: the file has a header but no rows")
            )
        self.problems.raise_if_any()

    def _header_line(self, lines: Iterator[str]) -> str:
        """The first line neither blank nor a `#` comment; refused when it cannot be read."""
        for text in lines:
            stripped = text.strip()
            if stripped and not stripped.startswith("#"):
                self.header_line = self.lines.number
                break
        else:
            self._encoding_problem()
            self.problems.fail(
                None,
                None,
                Message("the file is empty: no header row"),
                ("the first line names the columns: organisation, role, " + ", ".join(self.modes)),
            )
        if self.lines.first_bad is not None and self.lines.first_bad[0] == self.header_line:
            self._encoding_problem()  # the column names themselves are unreadable
            self.problems.raise_if_any()
        header = text.rstrip("\r\n")
        if "\r" in header:
            self.problems.fail(
                self.header_line,
                None,
                Message("lines end in a carriage return only (the classic Mac format)"),
                SAVE_AS_UTF8,
            )
        return header

    # -- columns --------------------------------------------------------------------------

    def _header(self, text: str) -> None:
        known = {*FIXED_COLUMNS, *self.modes, *self.kb.traits}
        self.delimiter, cells = sniff_delimiter(text, known)
        names = [column_name(cell) for cell in cells]
        first: dict[str, int] = {}
        for index, name in enumerate(names):
            self.columns.append(self._column(index, name, first, known))
        for column in self.columns:
            self._index(column)
        if "organisation" not in first:
            self.problems.add(
                self.header_line,
                None,
                Message(
                    "no 'organisation' column: each row must name the organisation the respondent answered for"
                ),
                did_you_mean("organisation", [n for n in names if n]),
            )
        if not self.rating_columns:
            self.problems.add(
                self.header_line,
                None,
                Message(
                    "no rating columns: name one column per mode ({names}), rated 1-5",
                    names=", ".join(self.modes),
                ),
            )

    def _column(self, index: int, name: str, first: dict[str, int], known: set[str]) -> _Column:
        """What a header cell names; a name seen before or unknown is reported and ignored."""
        line, column = self.header_line, index + 1
        if not name:
            return _Column(index, "", "unnamed")
        if name in first:
            self.problems.add(
                line,
                column,
                _encodings.column_twice(name, first[name]),
            )
            return _Column(index, name, "ignored")
        first[name] = column
        if name in FIXED_COLUMNS:
            return _Column(index, name, name)
        if name in self.kb.archetypes:
            return _Column(index, name, "rating")
        if name in self.kb.traits:
            return _Column(index, name, "trait", self.kb.traits[name])
        self.problems.add(
            line,
            column,
            Message("unknown column '{name}'", name=name),
            did_you_mean(name, known)
            or (
                "columns are organisation, unit, role, respondent, a mode "
                f"({', '.join(self.modes)}) or a trait id"
            ),
        )
        return _Column(index, name, "ignored")

    def _index(self, column: _Column) -> None:
        """Remember where each kind of column is, for reading the rows."""
        if column.kind in FIXED_COLUMNS:
            self.fixed[column.kind] = column.index
        elif column.kind == "rating":
            first_cell = self.modes.index(column.name) * SLOTS - SCALE_LOW
            self.rating_columns.append((column.index, first_cell, column.name))
        elif column.kind == "trait":
            assert column.trait is not None
            self.trait_columns.append((column.index, column.trait))
        elif column.kind == "unnamed":
            self.unnamed.append(column.index)

    # -- rows -----------------------------------------------------------------------------

    def _row(self, fields: list[str], line: int, last: int) -> None:
        if len(fields) != len(self.columns):
            self._row_length(fields, line, last)
            return
        had = self.problems.total
        organisation, unit, respondent = self._identity(fields, line)
        role = UNSPECIFIED_ROLE
        if "role" in self.fixed:
            role = self._role(fields[self.fixed["role"]], line)
        cells = self._ratings(fields, line)
        traits = self._traits(fields, line)
        for index in self.unnamed:
            if fields[index].strip():
                self.problems.add(
                    line,
                    index + 1,
                    Message(
                        "a value in column {number}, which has no name in the header",
                        number=index + 1,
                    ),
                )
        self._once(organisation, respondent, line)
        if self.problems.total > had or self.problems or not organisation:
            return  # the survey fails anyway: only look for more problems
        self.tallies.add(organisation, unit, role, cells, traits)
        if self.on_row is not None:
            self.on_row(
                SurveyRow(
                    line=line,
                    organisation=organisation,
                    unit=unit,
                    role=role,
                    respondent=respondent,
                    ratings={self.modes[c // SLOTS]: c % SLOTS + SCALE_LOW for c in cells},
                    traits={trait.id: value for trait, value in traits},
                )
            )

    def _row_length(self, fields: list[str], line: int, last: int) -> None:
        hint = None
        if last > line:
            hint = f'the row runs over lines {line}-{last}: is a quote (") left open?'
        elif len(fields) == 1 and self.delimiter != ",":
            hint = f"the header is separated by '{self.delimiter}'"
        self.problems.add(
            line,
            None,
            Message(
                "the row has {count} columns; the header has {count2}",
                count=len(fields),
                count2=len(self.columns),
            ),
            hint,
        )

    def _identity(self, fields: list[str], line: int) -> tuple[str, str, str]:
        """The organisation, unit and respondent id of a row ("" when not given)."""
        fixed = self.fixed
        organisation = self._name(fields, "organisation", line) if "organisation" in fixed else ""
        unit = self._name(fields, "unit", line) if "unit" in fixed else ""
        respondent = self._name(fields, "respondent", line) if "respondent" in fixed else ""
        if organisation == "" and "organisation" in fixed:
            self.problems.add(
                line,
                fixed["organisation"] + 1,
                Message("column 'organisation': empty; every row must name its organisation"),
            )
        return organisation, unit, respondent

    def _ratings(self, fields: list[str], line: int) -> list[int]:
        """The counters of a row's ratings (see `Tallies`); a bad rating is reported."""
        cells = []
        for index, first_cell, mode in self.rating_columns:
            text = fields[index]
            rating = _RATINGS.get(text)
            if rating is None:
                text = text.strip()
                if not text:
                    continue
                rating = whole_number(text)
                if rating is None or not SCALE_LOW <= rating <= SCALE_HIGH:
                    self.problems.add(
                        line,
                        index + 1,
                        Message(
                            "column '{mode}': rating '{text}' is not a whole number from {SCALE_LOW} (not central) to {SCALE_HIGH} (central)",
                            mode=mode,
                            text=text,
                            SCALE_LOW=SCALE_LOW,
                            SCALE_HIGH=SCALE_HIGH,
                        ),
                        Message("leave it empty when the mode was not rated"),
                    )
                    continue
            cells.append(first_cell + rating)
        return cells

    def _traits(self, fields: list[str], line: int) -> list[tuple[Trait, TraitValue]]:
        """A row's trait values, read by the one cell parser; a bad value is reported."""
        traits: list[tuple[Trait, TraitValue]] = []
        for index, trait in self.trait_columns:
            text = fields[index].strip()
            if not text:
                continue
            key = (trait.id, text)
            found = self.trait_cache.get(key)
            if found is None:
                found = cell_value(trait, text)
                if len(self.trait_cache) < _CACHE_SIZE:
                    self.trait_cache[key] = found
            typed, message = found
            if message is not None:
                self.problems.add(
                    line,
                    index + 1,
                    Message("column '{id}': {message}", id=trait.id, message=message),
                )
            elif typed is not None:
                traits.append((trait, typed))
        return traits

    def _once(self, organisation: str, respondent: str, line: int) -> None:
        """A respondent id answers once per organisation."""
        if organisation and respondent:
            first = self.seen.setdefault((organisation, respondent), line)
            if first != line:
                self.problems.add(
                    line,
                    None,
                    Message(
                        "respondent '{respondent}' of '{organisation}' answers twice (first on line {first})",
                        respondent=respondent,
                        organisation=organisation,
                        first=first,
                    ),
                )

    def _name(self, fields: list[str], column: str, line: int) -> str:
        """An organisation, unit or respondent id: trimmed, inner spaces collapsed."""
        index = self.fixed[column]
        text = fields[index]
        if len(text) > self.limits.max_text:
            self.problems.add(
                line,
                index + 1,
                Message(
                    "column '{column}': {count:,} characters; the limit is {max_text:,}",
                    column=column,
                    count=len(text),
                    max_text=self.limits.max_text,
                ),
                Message("if it is meant, {how}", how=how_to_raise("max_text")),
            )
            return ""
        return " ".join(text.split())

    def _role(self, text: str, line: int) -> str:
        role = self.role_cache.get(text)
        if role is None:
            role = column_name(text) or UNSPECIFIED_ROLE
            if len(self.role_cache) < _CACHE_SIZE:
                self.role_cache[text] = role
        if role != UNSPECIFIED_ROLE and role not in ROLES:
            self.problems.add(
                line,
                self.fixed["role"] + 1,
                Message("column 'role': unknown role '{strip}'", strip=text.strip()),
                did_you_mean(role, ROLES)
                or Message("roles are {names}, or empty", names=", ".join(ROLES)),
            )
        return role

    def _encoding_problem(self) -> None:
        if self.lines.first_bad is None:
            return
        line, raw, offset = self.lines.first_bad
        encoding = self.lines.encoding
        prefix = raw[:offset].decode(encoding)
        bad = raw[offset : offset + 1]
        where = ""
        column = None
        if line >= self.header_line > 0:
            try:  # the column, reading the line as if it started a row
                column = len(next(csv.reader([prefix], delimiter=self.delimiter), [])) or 1
            except csv.Error:
                column = None
        if column is not None:
            named = self.columns[column - 1].name if column <= len(self.columns) else ""
            where = (
                Message(" in column '{name}'", name=named)
                if named and line > self.header_line
                else Message(" in column {column}", column=column)
            )
        named = _encodings.label(encoding)
        message = Message(
            "not {encoding} text: byte 0x{byte}{where} (character {character} of the line)",
            encoding=named,
            byte=bad.hex(),
            where=where,
            character=len(prefix) + 1,
        )
        notes: list[str] = []
        if bad == b"\x00":
            message = Message(
                "a NUL byte{where}: this is not {encoding} text", where=where, encoding=named
            )
            notes.append(
                Message("UTF-16 text without a byte order mark, or not a text table at all")
            )
        else:
            notes += _encodings.undecodable_notes(raw, offset, encoding)
        if self.lines.non_ascii_decoded:
            notes.append(
                Message("the file mixes encodings: other lines are {encoding}", encoding=named)
            )
        if self.lines.bad_lines > 1:
            notes.append(
                Message(
                    "{count:,} lines are not {encoding}; this is the first",
                    count=self.lines.bad_lines,
                    encoding=named,
                )
            )
        notes.append(SAVE_AS_UTF8)
        self.problems.add(line, column, message, joined(notes))
