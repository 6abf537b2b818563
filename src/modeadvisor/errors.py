"""One error tree for everything a user can get wrong.

Every problem carries its location (file, line, column) so that a consultant can go straight to
it; a load collects all problems of a file set and raises them together, so one run shows every
mistake rather than one per run.

The tree, and the command line's exit code for each::

    ModeAdvisorError                  every error raised on purpose; carries located problems
    ├── KnowledgeBaseError            a rule pack is malformed or inconsistent         (exit 2)
    │   └── PackTooLargeError         a valid pack the chosen backend cannot take     (exit 2)
    ├── OrganisationError             an organisation file or table is malformed       (exit 2)
    ├── UnknownUnitError              a unit asked for is not in the organisation      (exit 2)
    ├── LimitError                    an input beyond a bound of `Limits`              (exit 2)
    ├── BackendUnavailableError       the backend asked for cannot run here            (exit 2)
    ├── HistoryError                  the history database cannot be used as asked     (exit 2)
    │   └── UnknownOrganisationError  no saved assessment of that organisation (or id) (exit 2)
    └── EngineError                   the engine failed on accepted rules: a bug       (exit 3)
"""

from __future__ import annotations

import difflib
import errno
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from modeadvisor._i18n import Message, render, tr


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: a file and, when known, a 1-based line and column."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True, slots=True)
class Problem:
    """One located mistake, with what was expected and, where a name is close, a suggestion."""

    location: Location
    message: str
    hint: str | None = None
    source_line: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str) -> str:
        """The problem in `lang` ("en" or "fi"): the location, the message and the hint
        translated, the names the user wrote and the caret line as they are."""
        text = f"{self.location}: {render(self.message, lang)}"
        if self.hint:
            text += f" ({render(self.hint, lang)})"
        if self.source_line is not None and self.location.column is not None:
            marker = " " * (self.location.column - 1) + "^"
            text += f"\n    {self.source_line}\n    {marker}"
        return text


class ModeAdvisorError(Exception):
    """Root of every error modeadvisor raises on purpose; carries one or more located problems."""

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(Location("<modeadvisor>"), problems)]
        self.problems: tuple[Problem, ...] = tuple(sorted(problems, key=_problem_order))
        super().__init__(self._summary())

    @property
    def file(self) -> str:
        return self.problems[0].location.file

    @property
    def line(self) -> int | None:
        return self.problems[0].location.line

    def _summary(self) -> str:
        return self.render("en")

    def render(self, lang: str) -> str:
        """Every problem, in `lang` ("en" or "fi"); `str()` is the English."""
        if len(self.problems) == 1:
            return self.problems[0].render(lang)
        lines = [tr(lang, "{count} problems:", count=len(self.problems))]
        lines.extend(problem.render(lang) for problem in self.problems)
        return "\n".join(lines)


class KnowledgeBaseError(ModeAdvisorError, ValueError):
    """A rule pack (archetypes, traits, rules, models, links) is malformed or inconsistent."""


class OrganisationError(ModeAdvisorError, ValueError):
    """An organisation file is malformed or does not fit the knowledge base."""


class UnknownUnitError(ModeAdvisorError, KeyError):
    """A unit id asked for (e.g. by `explain`) is not in the assessed organisation."""

    def __str__(self) -> str:  # KeyError would otherwise print the repr
        return self._summary()


class LimitError(ModeAdvisorError, ValueError):
    """An input is within the rules but beyond a configured bound of size or work (`Limits`)."""


class PackTooLargeError(KnowledgeBaseError):
    """A valid pack that the chosen backend cannot take (durable-rules' measured limits)."""


class BackendUnavailableError(ModeAdvisorError, RuntimeError):
    """The backend asked for cannot run here (durable-rules is not installed or not importable)."""


class HistoryError(ModeAdvisorError, RuntimeError):
    """The assessment history cannot be used as asked: a bad database URL, a database that
    cannot be reached or is of a schema version this modeadvisor does not know, or an
    organisation (or date) that is not in it."""


class UnknownOrganisationError(HistoryError, KeyError):
    """The history holds no assessment of the organisation (or with the id) asked for: a server
    answers 404 to it, where another HistoryError is the database's fault."""

    def __str__(self) -> str:  # KeyError would otherwise print the repr
        return self._summary()


class EngineError(ModeAdvisorError, RuntimeError):
    """The rule engine failed on rules it had accepted: a bug in modeadvisor, not the input."""


def _problem_order(problem: Problem) -> tuple[str, int, int, str]:
    loc = problem.location
    return (loc.file, loc.line or 0, loc.column or 0, problem.message)


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest known name, if any is close enough to be a likely typo."""
    matches = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return Message("did you mean '{name}'?", name=matches[0]) if matches else None


def os_reason(error: OSError) -> str:
    """Why the system refused a file, as the user reads it: the system's own words, said in
    Finnish too for the common refusals (no such file, no permission, a folder)."""
    text = error.strerror or str(error)
    said = {
        errno.ENOENT: Message("No such file or directory"),
        errno.EACCES: Message("Permission denied"),
        errno.EISDIR: Message("Is a directory"),
        errno.ENOTDIR: Message("Not a directory"),
    }.get(error.errno or 0)
    return said if said is not None and said == text else text


def display_path(path: Path) -> str:
    """A path as the user would want to read it: relative to the working directory if inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
