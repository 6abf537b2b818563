"""What every table reader shares: one meaning for a cell, a header's delimiter, a problem list.

A cell is read by its trait's type, the same way by the survey reader, the batch table reader
(CSV, rows, frames) and - for values already typed - the organisation file:

- text from a table is trimmed; an empty cell (or None, or a frame's NaN) is not observed;
- true/false: one of `TRUE_WORDS` or `FALSE_WORDS`, in any case (English and Finnish);
- a scale: a whole number 1-5, also written `4.0` or `4,0`;
- a number: a decimal point or a decimal comma (`1.5`, `1,5`), an exponent allowed (`2e3`);
- a category: one of its values, exactly;
- a set: its values separated by `;` or `|` (a value id holds neither, so neither is ambiguous);
  in a `;`-delimited file write `a|b`, or quote the cell (`"a;b"`).

A value that already has a type (a YAML or JSON scalar, a number or list from a frame) is taken
by that type: true/false must be a boolean, a category text, a set a list; a whole-number float
counts as the whole number (frames hold integer columns with gaps as floats).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Collection, Iterable
from typing import NoReturn

import numpy as np

from modeadvisor._i18n import Message, joined
from modeadvisor.conditions import TraitValue
from modeadvisor.errors import Location, ModeAdvisorError, Problem, did_you_mean
from modeadvisor.knowledge import NUMBER_DECIMALS, NUMBER_LIMIT, SCALE_MAX, SCALE_MIN, Trait
from modeadvisor.knowledge._documents import type_name

__all__ = [
    "DELIMITERS",
    "FALSE_WORDS",
    "MAX_PROBLEMS",
    "SAVE_AS_UTF8",
    "SET_SEPARATORS",
    "TRUE_WORDS",
    "Parsed",
    "ProblemCollector",
    "cell_value",
    "column_name",
    "document_value",
    "malformed",
    "sniff_delimiter",
    "split_set",
    "whole_number",
]

#: Cells read as true or as false, compared lower-cased: English and Finnish words, and 1/0.
TRUE_WORDS = frozenset({"true", "yes", "1", "kyllä", "kylla", "k", "tosi"})
FALSE_WORDS = frozenset({"false", "no", "0", "ei", "e", "epätosi"})
#: What separates the values of a set (and the models in use) within one cell.
SET_SEPARATORS = (";", "|")
#: Delimiters a table may use: `,`, `;` (as Finnish Excel writes) or a tab; found from the header.
DELIMITERS = (",", ";", "\t")
#: The hint for a file that is not UTF-8 text.
SAVE_AS_UTF8 = Message("save it from the spreadsheet as 'CSV UTF-8'")
#: Problems kept for one error; further ones are only counted (a wrong file could have 100,000).
MAX_PROBLEMS = 100

#: A typed value, or the message saying what was expected (never both).
Parsed = tuple[TraitValue | None, str | None]

#: Digits of a number written out that are read as one; longer is not a number a person means
#: (and Python refuses to convert text of more than 4,300 digits to an integer).
_DIGITS = 1000
_WHOLE = re.compile(rf"[+-]?[0-9]{{1,{_DIGITS}}}(?:[.,]0+)?")
_NUMBER = re.compile(
    rf"[+-]?(?:[0-9]{{1,{_DIGITS}}}(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]{{1,{_DIGITS}}})?"
)
_SET_SPLIT = re.compile("|".join(re.escape(s) for s in SET_SEPARATORS))


# --- one cell --------------------------------------------------------------------------------


def cell_value(trait: Trait, raw: object) -> Parsed:
    """A table cell (CSV text, or a value from rows or a frame) as the trait's type.

    Returns (None, None) for an empty cell: the trait is not observed.
    """
    if isinstance(raw, np.generic | np.ndarray):
        raw = raw.tolist()  # numpy scalars (and arrays, for sets) from frames
    if isinstance(raw, str):
        text = raw.strip()
        return _READERS[trait.type](trait, text, True) if text else (None, None)
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None, None
    return _READERS[trait.type](trait, raw, False)


def document_value(trait: Trait, raw: object) -> Parsed:
    """A value of an organisation file (YAML or JSON), which already has its type."""
    return _READERS[trait.type](trait, raw, False)


def whole_number(text: str) -> int | None:
    """`4`, `+4`, `4.0` or `4,00` as 4; None for anything else (`4.5`, `four`, ``)."""
    if _WHOLE.fullmatch(text) is None:
        return None
    return int(re.split("[.,]", text, maxsplit=1)[0])


def split_set(text: str) -> list[str]:
    """The values of a set cell, trimmed, without empty ones or repeats, in order."""
    return list(dict.fromkeys(v.strip() for v in _SET_SPLIT.split(text) if v.strip()))


def _bool(trait: Trait, raw: object, text: bool) -> Parsed:
    if text:
        assert isinstance(raw, str)
        word = raw.lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS, None
        return None, _found_text(trait, raw)
    if isinstance(raw, bool):
        return raw, None
    return None, _found(trait, raw)


def _scale(trait: Trait, raw: object, text: bool) -> Parsed:
    if text:
        assert isinstance(raw, str)
        number = whole_number(raw)
        if number is None:
            return None, _found_text(trait, raw)
    elif isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, float) and raw.is_integer():
        number = int(raw)
    else:
        return None, _found(trait, raw)
    if SCALE_MIN <= number <= SCALE_MAX:
        return number, None
    return None, Message(
        "{number} is out of range: {expected}", number=number, expected=_expected(trait)
    )


def _number(trait: Trait, raw: object, text: bool) -> Parsed:
    if text:
        assert isinstance(raw, str)
        if _NUMBER.fullmatch(raw) is None:
            return None, _found_text(trait, raw)
        integral = not any(c in raw for c in ".,eE")
        raw = int(raw) if integral else float(raw.replace(",", "."))
    if not isinstance(raw, int | float) or isinstance(raw, bool):
        return None, _found(trait, raw)
    if abs(raw) > NUMBER_LIMIT or not math.isfinite(raw):  # (an int too large for a float)
        shown = raw if isinstance(raw, float) or abs(raw) < 10**_DIGITS else "a huge number"
        return None, Message(
            "{shown} is not a usable number: {expected} within ±1e12",
            shown=shown,
            expected=_expected(trait),
        )
    low, high = trait.min, trait.max
    if (low is not None and raw < low) or (high is not None and raw > high):
        return None, (
            Message(
                "{raw} is out of range: '{id}' is between {bound} and {bound2}",
                raw=raw,
                id=trait.id,
                bound=_bound(low),
                bound2=_bound(high),
            )
        )
    rounded = round(float(raw), NUMBER_DECIMALS)
    return (int(rounded) if rounded.is_integer() else rounded), None


def _category(trait: Trait, raw: object, text: bool) -> Parsed:
    if not isinstance(raw, str):
        return None, _found(trait, raw)
    if raw in (trait.values or ()):
        return raw, None
    return None, _not_a_value(trait, raw)


def _set(trait: Trait, raw: object, text: bool) -> Parsed:
    if text:
        assert isinstance(raw, str)
        raw = split_set(raw)
    if not isinstance(raw, list | tuple | set | frozenset):
        return None, _found(trait, raw)
    unknown = [v for v in raw if v not in (trait.values or ())]
    if unknown:
        return None, _not_a_value(trait, unknown[0])
    return frozenset(raw), None


_READERS: dict[str, Callable[[Trait, object, bool], Parsed]] = {
    "bool": _bool,
    "scale": _scale,
    "number": _number,
    "category": _category,
    "set": _set,
}


def _expected(trait: Trait) -> str:
    return Message("'{id}' is {kind_text}", id=trait.id, kind_text=trait.kind_text())


def _found_text(trait: Trait, text: str) -> str:
    return Message("{expected}, found '{text}'", expected=_expected(trait), text=text)


def _found(trait: Trait, raw: object) -> str:
    return Message(
        "{expected}, found {type_name} {raw!r}",
        expected=_expected(trait),
        type_name=type_name(raw),
        raw=raw,
    )


def _not_a_value(trait: Trait, value: object) -> str:
    hint = did_you_mean(str(value), trait.values or ())
    said = Message(
        "'{value}' is not a value of {expected}", value=str(value), expected=_expected(trait)
    )
    return joined([said, hint]) if hint else said


def _bound(value: float | None) -> str:
    return "…" if value is None else f"{value:g}"


# --- the header ------------------------------------------------------------------------------


def column_name(text: str) -> str:
    """A header cell as a column name: trimmed, lower-cased, spaces and `-` as `_`."""
    return "_".join(text.strip().lower().replace("-", " ").split())


def sniff_delimiter(header: str, known: Collection[str]) -> tuple[str, list[str]]:
    """The delimiter of a header line and its cells.

    The delimiter that names the most known columns wins, then the one giving the most cells;
    a tie keeps the earlier of `DELIMITERS` ("," before ";" before a tab).
    """
    best: tuple[int, int] = (-1, -1)
    chosen: tuple[str, list[str]] = (DELIMITERS[0], [header])
    for delimiter in DELIMITERS:
        try:
            cells = next(csv.reader([header], delimiter=delimiter), [])
        except csv.Error:  # e.g. a quote left open in the header
            cells = [header]
        score = (sum(column_name(c) in known for c in cells), len(cells))
        if score > best:
            best, chosen = score, (delimiter, cells)
    return chosen


def malformed(error: csv.Error) -> tuple[str, str | None]:
    """The message and hint for a row the csv module cannot read."""
    hint = 'is a quote (") left open?' if "field limit" in str(error) else None
    return Message("malformed CSV: {error}", error=error), hint


# --- problems --------------------------------------------------------------------------------


class ProblemCollector:
    """The problems of one file, collected to be raised together, as one error.

    The first `limit` are kept; the rest are only counted and named in one last problem, so a
    wrong file of 100,000 rows gives a readable error.
    """

    def __init__(self, file: str, error: type[ModeAdvisorError], limit: int = MAX_PROBLEMS) -> None:
        self.file = file
        self.error = error
        self.limit = limit
        self.kept: list[Problem] = []
        self.dropped = 0

    def add(
        self, line: int | None, column: int | None, message: str, hint: str | None = None
    ) -> None:
        """A problem at a line and column of the file (1-based; None when not known)."""
        self.extend([Problem(Location(self.file, line, column), message, hint)])

    def extend(self, problems: Iterable[Problem]) -> None:
        """Problems found elsewhere (each located already), kept or counted in order."""
        for problem in problems:
            if len(self.kept) < self.limit:
                self.kept.append(problem)
            else:
                self.dropped += 1

    def skip(self, count: int) -> None:
        """`count` more problems, counted but not kept (the limit is reached)."""
        self.dropped += count

    @property
    def room(self) -> int:
        """How many more problems would be kept."""
        return max(0, self.limit - len(self.kept))

    @property
    def total(self) -> int:
        return len(self.kept) + self.dropped

    def __bool__(self) -> bool:
        return bool(self.kept)

    def raise_if_any(self) -> None:
        """Raise every problem collected so far as one error, if there is any."""
        if self.kept:
            raise self._error()

    def fail(
        self, line: int | None, column: int | None, message: str, hint: str | None = None
    ) -> NoReturn:
        """A problem that stops the reading: raised at once with those collected before."""
        self.add(line, column, message, hint)
        raise self._error()

    def _error(self) -> ModeAdvisorError:
        problems = list(self.kept)
        if self.dropped:
            problems.append(
                Problem(
                    Location(self.file),
                    Message(
                        "{dropped:,} more problems are not listed; the first {limit} are",
                        dropped=self.dropped,
                        limit=self.limit,
                    ),
                )
            )
        return self.error(problems)
