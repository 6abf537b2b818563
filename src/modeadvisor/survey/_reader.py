"""Survey tables: respondents' 1-5 ratings of each mode, aggregated per organisation and unit.

The 2015 survey (S-C1..S-C3) asked 360 respondents from 269 organisations how central each mode of
operation is to their organisation; several modes could be central. A survey table has one row
per respondent and these columns (names are matched after trimming and lower-casing):

- `organisation` (required, never empty): the organisation the respondent answered for;
- `unit` (optional): a unit of it, when respondents answered for units (S-C7);
- `role` (optional): top_management, middle_management, expert or other (empty: not given);
- `respondent` (optional): an id; one id may answer only once per organisation;
- one rating column per archetype id of the knowledge base: a whole number 1 (not central) to 5
  (central), empty when the respondent did not rate the mode;
- optional trait columns named by trait id, typed by the catalogue: scale 1-5, true/false
  (also yes/no, 1/0, kyllä/ei), numbers (a decimal comma is allowed), a category value, or the
  values of a set separated by `;` (quote the field when `;` is the delimiter).

The file is UTF-8, with or without a byte order mark; the delimiter (`,`, `;` as Finnish Excel
writes, or a tab) is found from the header. Lines starting with `#` before the header are
comments (the synthetic example labels itself so). The file is read as a stream of lines, at most
`Limits.max_file_bytes` bytes, and only running counts are kept, so memory grows with the number
of organisations and units (and of respondent ids, kept to refuse duplicates), not of rows.
Organisation and unit names are trimmed and their inner white space collapsed.

Mistakes are collected and raised together as a `SurveyError`; each problem's location is the
file, the line where the row starts, and the CSV column number (1 = the first column), and its
message names the column. Lines that are not UTF-8 (a file saved as Windows-1252, or mixed
encodings) are reported at the first undecodable byte, with its column.

Aggregation, per organisation and per unit (when given): respondents, roles, per mode the mean
rating, how many rated it and - with two or more - rwg and Tastle-Wierman consensus
(`agreement.py`), `dominant` (the single highest mean; when several modes share it, `dominant`
is None and `tied` lists them), `central` (mean >= 4, as the shipped say-do rule reads
"central") and `disputed` (rwg < 0.5 or consensus < 0.5 for some mode, the thresholds of the
shipped `respondents_disagree_on_mode` rule). Prevalence across organisations counts, per mode,
the organisations where it is the single dominant mode, those where it ties for the top (ties are
not split fractionally: a tied organisation counts for no mode's `dominant`) and those where it
is central; shares are of the organisations with at least one rating.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel, ConfigDict

from modeadvisor.advice import ModeRating
from modeadvisor.agreement import SCALE_HIGH, SCALE_LOW, consensus, rwg
from modeadvisor.conditions import TraitValue
from modeadvisor.errors import (
    Location,
    ModeAdvisorError,
    Problem,
    did_you_mean,
    display_path,
)
from modeadvisor.knowledge import NUMBER_DECIMALS, KnowledgeBase, Trait, TraitType
from modeadvisor.limits import DEFAULT_LIMITS, Limits
from modeadvisor.organisation import RawValue, coerce_value

# the text rendering lives with the other outputs; re-exported here for `modeadvisor.survey`
from modeadvisor.reports.text import survey_text as to_text

__all__ = [
    "AGREEMENT_MIN",
    "CENTRAL_MIN",
    "ROLES",
    "ArchetypeName",
    "GroupSummary",
    "ModePrevalence",
    "OrganisationSummary",
    "Prevalence",
    "SurveyError",
    "SurveyResult",
    "Thresholds",
    "TraitSummary",
    "UnitSummary",
    "read_survey",
    "to_text",
]

#: A mode is central to a group when its mean rating is at least this (the say-do rule's "≥ 4").
CENTRAL_MIN = 4.0
#: Respondents disagree on a mode below this rwg or consensus (the shipped conflict rule's 0.5).
AGREEMENT_MIN = 0.5
#: Roles a respondent may give; an empty role counts as "unspecified".
ROLES = ("top_management", "middle_management", "expert", "other")
UNSPECIFIED_ROLE = "unspecified"
#: Columns with a fixed meaning; every other column is a mode (archetype id) or a trait id.
FIXED_COLUMNS = ("organisation", "unit", "role", "respondent")
#: `progress` is called after every this many data rows, and once at the end.
PROGRESS_EVERY = 1000
#: Problems kept for the error; further ones are only counted (a wrong file could have 100,000).
MAX_PROBLEMS = 100

_SCALE = SCALE_HIGH - SCALE_LOW + 1
_MILLION = 10**NUMBER_DECIMALS
_WHOLE = re.compile(r"\s*([0-9]+)(?:[.,]0+)?\s*")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?(?:[eE][+-]?[0-9]+)?")
_TRUE = frozenset({"true", "yes", "1", "kyllä", "kylla", "tosi"})
_FALSE = frozenset({"false", "no", "0", "ei", "epätosi"})
_DELIMITERS = (",", ";", "\t")
_RATINGS = {str(value): value for value in range(SCALE_LOW, SCALE_HIGH + 1)}
#: Distinct cells of trait and role columns remembered (their values repeat from row to row).
_CACHE_SIZE = 10_000


class SurveyError(ModeAdvisorError, ValueError):
    """A survey table is unreadable, malformed, or does not fit the knowledge base."""


# --- the result ------------------------------------------------------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ArchetypeName(_Out):
    """A mode of the knowledge base, with its names for the text output."""

    id: str
    en: str
    fi: str


class TraitSummary(_Out):
    """What the respondents of a group said of one trait."""

    trait: str
    type: TraitType
    respondents: int  # who gave a value
    mean: float | None  # scale and number traits
    counts: dict[str, int]  # bool ("true"/"false"), category and set traits: respondents per value


class GroupSummary(_Out):
    """The respondents of one organisation or unit, and how they rated the modes."""

    respondents: int
    roles: dict[str, int]  # role -> respondents; "unspecified" when the role was left empty
    ratings: list[ModeRating]  # per mode rated, sorted by archetype id
    dominant: str | None  # the single mode with the highest mean; None when tied or unrated
    tied: list[str]  # the modes sharing the highest mean, when there are several
    central: list[str]  # modes with mean >= CENTRAL_MIN
    disputed: bool  # some mode has rwg or consensus < AGREEMENT_MIN: the mean is no consensus
    disputed_modes: list[str]
    traits: list[TraitSummary]  # sorted by trait id


class UnitSummary(GroupSummary):
    unit: str


class OrganisationSummary(GroupSummary):
    """All respondents of an organisation (with or without a unit), and each unit apart."""

    organisation: str
    units: list[UnitSummary]  # sorted by name


class ModePrevalence(_Out):
    """How widespread one mode is across the organisations (and respondents) of the survey."""

    archetype: str
    dominant: int  # organisations where it alone has the highest mean
    dominant_share: float  # of the organisations with ratings
    tied: int  # organisations where it shares the highest mean with other modes
    central: int  # organisations where its mean is >= CENTRAL_MIN
    central_share: float
    respondents_central: int  # respondents who rated it 4 or 5
    respondents_central_share: float  # of all respondents


class Prevalence(_Out):
    organisations: int  # with at least one rating: the denominator of the shares
    tied: int  # organisations with no single dominant mode (a tie for the top)
    modes: list[ModePrevalence]  # sorted by archetype id
    most_prevalent: list[str]  # the mode(s) most often dominant; several when they tie


class Thresholds(_Out):
    central_mean: float
    agreement_min: float


class SurveyResult(_Out):
    """A survey aggregated. `to_json` is deterministic: the same rows in any order, same bytes."""

    respondents: int
    organisation_count: int
    unit_count: int
    roles: dict[str, int]
    archetypes: list[ArchetypeName]  # the pack's modes, in pack order (for display)
    thresholds: Thresholds
    prevalence: Prevalence
    organisations: list[OrganisationSummary]  # sorted by name

    def organisation(self, name: str) -> OrganisationSummary:
        """One organisation's summary; raises SurveyError with a did-you-mean."""
        for summary in self.organisations:
            if summary.organisation == name:
                return summary
        names = [o.organisation for o in self.organisations]
        raise SurveyError(
            [
                Problem(
                    Location("<survey>"),
                    f"no organisation '{name}' in the survey",
                    did_you_mean(name, names),
                )
            ]
        )

    def to_json(self) -> str:
        """Deterministic JSON with sorted keys; non-ASCII kept as UTF-8."""
        return (
            json.dumps(self.model_dump(mode="json"), indent=2, sort_keys=True, ensure_ascii=False)
            + "\n"
        )


# --- reading ---------------------------------------------------------------------------------


def read_survey(
    path: Path | str,
    kb: KnowledgeBase,
    *,
    limits: Limits = DEFAULT_LIMITS,
    progress: Callable[[int], None] | None = None,
) -> SurveyResult:
    """Read a survey table (CSV) and aggregate it per organisation and unit.

    `progress`, when given, is called with the number of data rows read so far, every
    `PROGRESS_EVERY` rows and once at the end; nothing is printed. Raises SurveyError listing
    every problem found (up to MAX_PROBLEMS, the rest counted).
    """
    path = Path(path)
    name = display_path(path)
    try:
        if path.exists() and not path.is_file():
            raise SurveyError([Problem(Location(name), "not a regular file")])
        with path.open("rb") as stream:
            reader = _SurveyReader(kb, stream, name, limits, progress)
            reader.read()
    except OSError as error:
        reason = error.strerror or str(error)
        raise SurveyError([Problem(Location(name), f"cannot read file: {reason}")]) from error
    return reader.result()


class _Problems:
    def __init__(self, name: str) -> None:
        self.name = name
        self.kept: list[Problem] = []
        self.dropped = 0

    def add(
        self, line: int | None, column: int | None, message: str, hint: str | None = None
    ) -> None:
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(Problem(Location(self.name, line, column), message, hint))
        else:
            self.dropped += 1

    @property
    def total(self) -> int:
        return len(self.kept) + self.dropped

    def __bool__(self) -> bool:
        return bool(self.kept)

    def raise_all(self) -> None:
        if not self.kept:
            return
        problems = list(self.kept)
        if self.dropped:
            problems.append(
                Problem(
                    Location(self.name),
                    (
                        f"{self.dropped:,} more problems are not listed; the first {MAX_PROBLEMS} are"
                    ),
                )
            )
        raise SurveyError(problems)


class _Lines:
    """The file's lines as text, decoded one by one; bounded by `max_file_bytes`."""

    def __init__(self, stream: BinaryIO, name: str, limits: Limits) -> None:
        self.stream = stream
        self.name = name
        self.limit = limits.max_file_bytes
        self.number = 0  # of the last line read (1-based)
        self.size = 0
        self.bad_lines = 0
        self.first_bad: tuple[int, bytes, int] | None = None  # line, raw bytes, offset
        self.non_ascii_utf8 = 0  # lines with non-ASCII text that did decode as UTF-8
        self.bad_in_row = False  # set when a line that was not UTF-8 is read

    def __iter__(self) -> Iterator[str]:
        while True:
            raw = self.stream.readline(self.limit - self.size + 1)
            if not raw:
                return
            self.size += len(raw)
            if self.size > self.limit:
                raise SurveyError(
                    [
                        Problem(
                            Location(self.name),
                            (f"file is over the limit of {self.limit:,} bytes"),
                            "split it, or raise Limits.max_file_bytes",
                        )
                    ]
                )
            self.number += 1
            if self.number == 1:
                raw = self._first(raw)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                self.bad_lines += 1
                self.bad_in_row = True
                if self.first_bad is None:
                    self.first_bad = (self.number, raw, error.start)
                text = raw.decode("utf-8", errors="replace")
            else:
                if not raw.isascii():
                    self.non_ascii_utf8 += 1
                if "\x00" in text:  # UTF-16 without a byte order mark, or binary data
                    self.bad_lines += 1
                    self.bad_in_row = True
                    if self.first_bad is None:
                        self.first_bad = (self.number, raw, raw.index(b"\x00"))
            yield text

    def _first(self, raw: bytes) -> bytes:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise SurveyError(
                [
                    Problem(
                        Location(self.name, 1), "the file is UTF-16 text, not UTF-8", _SAVE_AS_UTF8
                    )
                ]
            )
        if raw.startswith(b"PK\x03\x04"):
            raise SurveyError(
                [
                    Problem(
                        Location(self.name, 1),
                        "this is a spreadsheet workbook (.xlsx), not a CSV table",
                        _SAVE_AS_UTF8,
                    )
                ]
            )
        return raw.removeprefix(b"\xef\xbb\xbf")


_SAVE_AS_UTF8 = "save it from the spreadsheet as 'CSV UTF-8'"


class _Column:
    __slots__ = ("index", "kind", "name", "trait")

    def __init__(self, index: int, name: str, kind: str, trait: Trait | None = None) -> None:
        self.index = index  # 0-based
        self.name = name
        self.kind = kind  # a fixed column's name, "rating", "trait", "ignored" or "unnamed"
        self.trait = trait


class _TraitTally:
    __slots__ = ("counts", "respondents", "total")

    def __init__(self) -> None:
        self.respondents = 0
        #: Sum of numbers in millionths (they have at most 6 decimals): exact in any row order.
        self.total = 0
        self.counts: dict[str, int] = {}


class _Tally:
    """Running counts of one group: bounded by the catalogue, whatever the number of rows."""

    __slots__ = ("ratings", "respondents", "roles", "traits")

    def __init__(self, modes: int) -> None:
        self.respondents = 0
        self.roles: dict[str, int] = {}
        self.ratings = [0] * (modes * _SCALE)  # respondents per mode and rating
        self.traits: dict[str, _TraitTally] = {}

    def add(
        self, role: str, cells: Sequence[int], traits: Sequence[tuple[Trait, TraitValue]]
    ) -> None:
        """Count one respondent; `cells` index `ratings` (mode i, rating r: i * 5 + r - 1)."""
        self.respondents += 1
        self.roles[role] = self.roles.get(role, 0) + 1
        ratings = self.ratings
        for cell in cells:
            ratings[cell] += 1
        for trait, value in traits:
            tally = self.traits.get(trait.id)
            if tally is None:
                tally = self.traits[trait.id] = _TraitTally()
            tally.respondents += 1
            counts = tally.counts
            if isinstance(value, str):
                counts[value] = counts.get(value, 0) + 1
            elif isinstance(value, bool):
                key = "true" if value else "false"
                counts[key] = counts.get(key, 0) + 1
            elif isinstance(value, int | float):
                tally.total += round(value * _MILLION)
            else:
                for item in value:
                    counts[item] = counts.get(item, 0) + 1


class _SurveyReader:
    def __init__(
        self,
        kb: KnowledgeBase,
        stream: BinaryIO,
        name: str,
        limits: Limits,
        progress: Callable[[int], None] | None,
    ) -> None:
        self.kb = kb
        self.modes = tuple(kb.archetypes)
        self.by_id = sorted(enumerate(self.modes), key=lambda mode: mode[1])  # output order
        self.name = name
        self.limits = limits
        self.progress = progress
        self.lines = _Lines(stream, name, limits)
        self.problems = _Problems(name)
        self.delimiter = ","
        self.header_line = 0
        self.columns: list[_Column] = []
        self.fixed: dict[str, int] = {}  # fixed column name -> index
        self.rating_columns: list[tuple[int, int, str]] = []  # index, first cell, mode
        self.trait_columns: list[tuple[int, Trait]] = []
        self.unnamed: list[int] = []
        self.trait_cache: dict[tuple[str, str], tuple[TraitValue | None, str | None]] = {}
        self.role_cache: dict[str, str] = {}
        self.rows = 0
        self.organisations: dict[str, _Tally] = {}
        self.units: dict[tuple[str, str], _Tally] = {}
        self.seen: dict[tuple[str, str], int] = {}  # (organisation, respondent id) -> line
        self.all_roles: dict[str, int] = {}
        self.all_ratings = [0] * (len(self.modes) * _SCALE)

    # -- reading --------------------------------------------------------------------------

    def read(self) -> None:
        lines = iter(self.lines)
        header = None
        for text in lines:
            stripped = text.strip()
            if stripped and not stripped.startswith("#"):
                header = text.rstrip("\r\n")
                self.header_line = self.lines.number
                break
        if header is None:
            self._encoding_problem()
            self.problems.add(
                None,
                None,
                "the file is empty: no header row",
                ("the first line names the columns: organisation, role, " + ", ".join(self.modes)),
            )
            self.problems.raise_all()
            return
        if self.lines.first_bad is not None and self.lines.first_bad[0] == self.header_line:
            self._encoding_problem()  # the column names themselves are unreadable
            self.problems.raise_all()
        if "\r" in header:
            self.problems.add(
                self.header_line,
                None,
                "lines end in a carriage return only (the classic Mac format)",
                _SAVE_AS_UTF8,
            )
            self.problems.raise_all()
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
                self.problems.add(
                    start,
                    None,
                    f"malformed CSV: {error}",
                    'is a quote (") left open?' if "field limit" in str(error) else None,
                )
                continue
            if not fields or (not fields[0].strip() and not "".join(fields).strip()):
                continue  # a blank line, or an empty row a spreadsheet left (;;;;)
            self.rows += 1
            if self.progress is not None and self.rows % PROGRESS_EVERY == 0:
                self.progress(self.rows)
            if not self.lines.bad_in_row:  # not UTF-8: reported once, at the first such byte
                self._row(fields, start, self.lines.number)
        if self.progress is not None and self.rows % PROGRESS_EVERY != 0:
            self.progress(self.rows)
        self._encoding_problem()
        if self.rows == 0 and not self.lines.bad_lines:
            self.problems.add(
                self.header_line, None, "no respondents: the file has a header but no rows"
            )
        self.problems.raise_all()

    def _header(self, text: str) -> None:
        known = {*FIXED_COLUMNS, *self.modes, *self.kb.traits}
        best: tuple[int, int] = (-1, -1)
        names: list[str] = []
        for delimiter in _DELIMITERS:
            try:
                fields = next(csv.reader([text], delimiter=delimiter), [])
            except csv.Error:  # e.g. a quote left open in the header
                fields = [text]
            normal = [_column_name(f) for f in fields]
            score = (sum(n in known for n in normal), len(fields))
            if score > best:  # ties keep the earlier delimiter: "," before ";" before tab
                best, names, self.delimiter = score, normal, delimiter
        line = self.header_line
        first: dict[str, int] = {}
        for index, name in enumerate(names):
            column = index + 1
            if not name:
                self.columns.append(_Column(index, "", "unnamed"))
                continue
            if name in first:
                self.problems.add(
                    line, column, f"column '{name}' appears twice (first as column {first[name]})"
                )
                self.columns.append(_Column(index, name, "ignored"))
                continue
            first[name] = column
            if name in FIXED_COLUMNS:
                self.columns.append(_Column(index, name, name))
            elif name in self.kb.archetypes:
                self.columns.append(_Column(index, name, "rating"))
            elif name in self.kb.traits:
                self.columns.append(_Column(index, name, "trait", self.kb.traits[name]))
            else:
                self.problems.add(
                    line,
                    column,
                    f"unknown column '{name}'",
                    did_you_mean(name, known)
                    or (
                        "columns are organisation, unit, role, respondent, a mode "
                        f"({', '.join(self.modes)}) or a trait id"
                    ),
                )
                self.columns.append(_Column(index, name, "ignored"))
        if "organisation" not in first:
            self.problems.add(
                line,
                None,
                "no 'organisation' column: each row must name the "
                "organisation the respondent answered for",
                did_you_mean("organisation", [n for n in names if n]),
            )
        for col in self.columns:
            if col.kind in FIXED_COLUMNS:
                self.fixed[col.kind] = col.index
            elif col.kind == "rating":
                first_cell = self.modes.index(col.name) * _SCALE - SCALE_LOW
                self.rating_columns.append((col.index, first_cell, col.name))
            elif col.kind == "trait":
                assert col.trait is not None
                self.trait_columns.append((col.index, col.trait))
            elif col.kind == "unnamed":
                self.unnamed.append(col.index)
        if not self.rating_columns:
            self.problems.add(
                line,
                None,
                f"no rating columns: name one column per mode ({', '.join(self.modes)}), rated 1-5",
            )

    def _row(self, fields: list[str], line: int, last: int) -> None:
        problem = self.problems.add
        if len(fields) != len(self.columns):
            hint = None
            if last > line:
                hint = f'the row runs over lines {line}-{last}: is a quote (") left open?'
            elif len(fields) == 1 and self.delimiter != ",":
                hint = f"the header is separated by '{self.delimiter}'"
            problem(
                line,
                None,
                f"the row has {len(fields)} columns; the header has {len(self.columns)}",
                hint,
            )
            return
        had = self.problems.total
        fixed = self.fixed
        organisation = self._name(fields, "organisation", line) if "organisation" in fixed else ""
        unit = self._name(fields, "unit", line) if "unit" in fixed else ""
        respondent = self._name(fields, "respondent", line) if "respondent" in fixed else ""
        if organisation == "" and "organisation" in fixed:
            problem(
                line,
                self.fixed["organisation"] + 1,
                "column 'organisation': empty; every row must name its organisation",
            )
        role = UNSPECIFIED_ROLE
        if "role" in self.fixed:
            role = self._role(fields[self.fixed["role"]], line)
        cells = []
        for index, first_cell, mode in self.rating_columns:
            text = fields[index]
            rating = _RATINGS.get(text)
            if rating is None:
                text = text.strip()
                if not text:
                    continue
                rating = _rating(text)
                if rating is None:
                    problem(
                        line,
                        index + 1,
                        f"column '{mode}': rating '{text}' is not a whole "
                        f"number from {SCALE_LOW} (not central) to "
                        f"{SCALE_HIGH} (central)",
                        "leave it empty when the mode was not rated",
                    )
                    continue
            cells.append(first_cell + rating)
        traits: list[tuple[Trait, TraitValue]] = []
        for index, trait in self.trait_columns:
            text = fields[index].strip()
            if not text:
                continue
            key = (trait.id, text)
            found = self.trait_cache.get(key)
            if found is None:
                found = _trait_value(trait, text)
                if len(self.trait_cache) < _CACHE_SIZE:
                    self.trait_cache[key] = found
            typed, message = found
            if message is not None:
                problem(line, index + 1, f"column '{trait.id}': {message}")
            elif typed is not None:
                traits.append((trait, typed))
        for index in self.unnamed:
            if fields[index].strip():
                problem(
                    line,
                    index + 1,
                    f"a value in column {index + 1}, which has no name in the header",
                )
        if organisation and respondent:
            first = self.seen.setdefault((organisation, respondent), line)
            if first != line:
                problem(
                    line,
                    None,
                    f"respondent '{respondent}' of '{organisation}' answers "
                    f"twice (first on line {first})",
                )
        if self.problems.total > had or self.problems or not organisation:
            return  # the survey fails anyway: only look for more problems
        modes = len(self.modes)
        tally = self.organisations.get(organisation)
        if tally is None:
            tally = self.organisations[organisation] = _Tally(modes)
        tally.add(role, cells, traits)
        if unit:
            unit_tally = self.units.get((organisation, unit))
            if unit_tally is None:
                unit_tally = self.units[(organisation, unit)] = _Tally(modes)
            unit_tally.add(role, cells, traits)
        self.all_roles[role] = self.all_roles.get(role, 0) + 1
        counts = self.all_ratings
        for cell in cells:
            counts[cell] += 1

    def _name(self, fields: list[str], column: str, line: int) -> str:
        """An organisation, unit or respondent id: trimmed, inner spaces collapsed."""
        index = self.fixed[column]
        text = fields[index]
        if len(text) > self.limits.max_text:
            self.problems.add(
                line,
                index + 1,
                f"column '{column}': {len(text):,} characters; "
                f"the limit is {self.limits.max_text:,}",
            )
            return ""
        return " ".join(text.split())

    def _role(self, text: str, line: int) -> str:
        role = self.role_cache.get(text)
        if role is None:
            role = _column_name(text) or UNSPECIFIED_ROLE
            if len(self.role_cache) < _CACHE_SIZE:
                self.role_cache[text] = role
        if role != UNSPECIFIED_ROLE and role not in ROLES:
            self.problems.add(
                line,
                self.fixed["role"] + 1,
                f"column 'role': unknown role '{text.strip()}'",
                did_you_mean(role, ROLES) or f"roles are {', '.join(ROLES)}, or empty",
            )
        return role

    def _encoding_problem(self) -> None:
        if self.lines.first_bad is None:
            return
        line, raw, offset = self.lines.first_bad
        prefix = raw[:offset].decode("utf-8")
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
                f" in column '{named}'"
                if named and line > self.header_line
                else f" in column {column}"
            )
        guess = raw[offset : offset + 1].decode("cp1252", errors="replace")
        message = (
            f"not UTF-8 text: byte 0x{bad.hex()}{where} (character {len(prefix) + 1} of the line)"
        )
        notes = []
        if bad == b"\x00":
            message = f"a NUL byte{where}: this is not UTF-8 text"
            notes.append("UTF-16 text without a byte order mark, or not a text table at all")
        elif guess.isprintable() and guess != "\ufffd":
            notes.append(f"it reads as '{guess}' in Windows-1252")
        if self.lines.non_ascii_utf8:
            notes.append("the file mixes encodings: other lines are UTF-8")
        if self.lines.bad_lines > 1:
            notes.append(f"{self.lines.bad_lines:,} lines are not UTF-8; this is the first")
        notes.append(_SAVE_AS_UTF8)
        self.problems.add(line, column, message, "; ".join(notes))

    # -- aggregating ----------------------------------------------------------------------

    def result(self) -> SurveyResult:
        units_of: dict[str, list[UnitSummary]] = {}
        for (organisation, unit), tally in self.units.items():
            units_of.setdefault(organisation, []).append(
                UnitSummary(unit=unit, **self._group(tally))
            )
        organisations = [
            OrganisationSummary(
                organisation=name,
                **self._group(tally),
                units=sorted(units_of.get(name, []), key=lambda u: _order(u.unit)),
            )
            for name, tally in self.organisations.items()
        ]
        organisations.sort(key=lambda o: _order(o.organisation))
        return SurveyResult(
            respondents=self.rows,
            organisation_count=len(organisations),
            unit_count=len(self.units),
            roles=_sorted(self.all_roles),
            archetypes=[
                ArchetypeName(id=a.id, en=a.name.get("en"), fi=a.name.get("fi"))
                for a in self.kb.archetypes.values()
            ],
            thresholds=Thresholds(central_mean=CENTRAL_MIN, agreement_min=AGREEMENT_MIN),
            prevalence=self._prevalence(organisations),
            organisations=organisations,
        )

    def _group(self, tally: _Tally) -> dict[str, Any]:
        """The fields of a GroupSummary."""
        counts = tally.ratings
        ratings = [
            rating
            for mode, name in self.by_id
            if (rating := _mode_rating(name, tuple(counts[mode * _SCALE : (mode + 1) * _SCALE])))
        ]
        top = max((r.mean for r in ratings), default=None)
        leaders = [r.archetype for r in ratings if r.mean == top]
        disputed = [
            r.archetype
            for r in ratings
            if r.rwg is not None
            and r.consensus is not None
            and (r.rwg < AGREEMENT_MIN or r.consensus < AGREEMENT_MIN)
        ]
        traits = []
        for trait_id in sorted(tally.traits):
            trait_tally = tally.traits[trait_id]
            kind = self.kb.traits[trait_id].type
            numeric = kind in ("scale", "number")
            traits.append(
                TraitSummary(
                    trait=trait_id,
                    type=kind,
                    respondents=trait_tally.respondents,
                    mean=_round(trait_tally.total / _MILLION / trait_tally.respondents)
                    if numeric
                    else None,
                    counts=_sorted(trait_tally.counts),
                )
            )
        return {
            "respondents": tally.respondents,
            "roles": _sorted(tally.roles),
            "ratings": ratings,
            "dominant": leaders[0] if len(leaders) == 1 else None,
            "tied": leaders if len(leaders) > 1 else [],
            "central": [r.archetype for r in ratings if r.mean >= CENTRAL_MIN],
            "disputed": bool(disputed),
            "disputed_modes": disputed,
            "traits": traits,
        }

    def _prevalence(self, organisations: Sequence[OrganisationSummary]) -> Prevalence:
        rated = [o for o in organisations if o.ratings]
        n = len(rated)
        modes = []
        for index, mode in self.by_id:
            dominant = sum(o.dominant == mode for o in rated)
            central = sum(mode in o.central for o in rated)
            counts = self.all_ratings[index * _SCALE : (index + 1) * _SCALE]
            high = sum(counts[int(CENTRAL_MIN) - SCALE_LOW :])
            modes.append(
                ModePrevalence(
                    archetype=mode,
                    dominant=dominant,
                    dominant_share=_share(dominant, n),
                    tied=sum(mode in o.tied for o in rated),
                    central=central,
                    central_share=_share(central, n),
                    respondents_central=high,
                    respondents_central_share=_share(high, self.rows),
                )
            )
        most = max((m.dominant for m in modes), default=0)
        return Prevalence(
            organisations=n,
            tied=sum(bool(o.tied) for o in rated),
            modes=modes,
            most_prevalent=[m.archetype for m in modes if most > 0 and m.dominant == most],
        )


@functools.lru_cache(maxsize=4096)
def _mode_rating(archetype: str, counts: tuple[int, ...]) -> ModeRating | None:
    """What `situation.mode_ratings` gives for ratings counted per value 1-5; None if none.

    Cached: small groups repeat the same counts, and the frozen result can be shared.
    """
    values: list[int] = []
    for i, count in enumerate(counts):
        values.extend([SCALE_LOW + i] * count)
    if not values:
        return None
    several = len(values) >= 2
    return ModeRating(
        archetype=archetype,
        mean=_round(sum(values) / len(values)),
        respondents=len(values),
        rwg=_round(rwg(values)) if several else None,
        consensus=_round(consensus(values)) if several else None,
    )


def _column_name(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split())


def _rating(text: str) -> int | None:
    match = _WHOLE.fullmatch(text)
    if match is None:
        return None
    value = int(match.group(1))
    return value if SCALE_LOW <= value <= SCALE_HIGH else None


def _trait_value(trait: Trait, text: str) -> tuple[TraitValue | None, str | None]:
    """A cell as the trait's type (checked by `coerce_value`), or what was expected."""
    raw: RawValue = text
    match trait.type:
        case "bool":
            lowered = text.lower()
            if lowered in _TRUE or lowered in _FALSE:
                raw = lowered in _TRUE
        case "scale":
            if text.isdecimal() and text.isascii():
                raw = int(text)
        case "number":
            if _NUMBER.fullmatch(text):
                number = float(text.replace(",", "."))
                integral = not any(c in text for c in ".,eE")
                raw = int(text) if integral else number
        case "set":
            raw = list(dict.fromkeys(v.strip() for v in text.split(";") if v.strip()))
        case "category":
            pass
    if isinstance(raw, str) and trait.type != "category":
        return None, f"'{trait.id}' is {trait.kind_text()}, found '{text}'"
    return coerce_value(trait, raw)


def _round(value: float) -> float:
    return round(value, NUMBER_DECIMALS)


def _share(count: int, total: int) -> float:
    return _round(count / total) if total else 0.0


def _sorted(counts: dict[str, int]) -> dict[str, int]:
    return {key: counts[key] for key in sorted(counts)}


def _order(name: str) -> tuple[str, str]:
    return (name.casefold(), name)
