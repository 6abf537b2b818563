"""The questions one can ask about an organisation, as plain data out: one place for
`modeadvisor eval` and the HTTP API (`modeadvisor.server`), so that both answer as the command
line's `--format json` does.

- `assess`: the advice (`Advice.to_json`).
- `explain`: one unit's advice with its conflicts and how settled its answer is (`explain
  --format json`).
- `what-if`: up to three repairs (`what-if --format json`).
- `why-not`: why a model is not recommended, or a mode not dominant (`explain --why-not`).
- `assess_and_save`: `assess` with the assessment saved in a history (`assess --save`).

`Advisors` holds one `Advisor` per language and backend on one knowledge base, each made the first
time it is asked for and kept: a server or a stream of requests builds each once.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from modeadvisor._i18n import Message
from modeadvisor.advice import Advice
from modeadvisor.advisor import Advisor
from modeadvisor.backends import BackendChoice
from modeadvisor.errors import HistoryError, Location, ModeAdvisorError, OrganisationError, Problem
from modeadvisor.knowledge import KnowledgeBase, Lang
from modeadvisor.limits import DEFAULT_LIMITS, Limits
from modeadvisor.organisation import Organisation, OrganisationText, read_organisation_text
from modeadvisor.reports.html import to_html

if TYPE_CHECKING:  # the history extra is needed only where a history is kept
    from modeadvisor.history import HistoryStore
    from modeadvisor.reports.html import Timeline

Op = Literal["assess", "explain", "what-if", "why-not"]
OPS: tuple[Op, ...] = ("assess", "explain", "what-if", "why-not")
LANGS: tuple[Lang, ...] = ("en", "fi")
BACKENDS: tuple[BackendChoice, ...] = ("auto", "durable", "vectorised")

Given = Organisation | OrganisationText | dict[str, Any]


class Advisors:
    """One `Advisor` per language and backend on one knowledge base, made when first asked for
    and then reused; safe to share between threads."""

    def __init__(
        self, kb: KnowledgeBase, limits: Limits = DEFAULT_LIMITS, *, show_respondents: bool = False
    ) -> None:
        """`show_respondents` lifts the anonymity floor in every advisor (`Advisor`'s own
        switch: for a consultant's working copy; the HTTP API never does)."""
        self.knowledge_base = kb
        self.limits = limits
        self.show_respondents = show_respondents
        self._made: dict[tuple[Lang, str], Advisor] = {}
        self._lock = threading.Lock()

    def get(self, lang: Lang = "en", backend: BackendChoice = "auto") -> Advisor:
        """The advisor for this language and backend (`BackendUnavailableError` where the
        backend cannot run here)."""
        key = (lang, "vectorised" if backend == "python" else backend)
        with self._lock:  # made once even when two requests ask at the same moment
            found = self._made.get(key)
            if found is None:
                found = Advisor(
                    self.knowledge_base,
                    lang=lang,
                    limits=self.limits,
                    backend=backend,
                    show_respondents=self.show_respondents,
                )
                self._made[key] = found
        return found

    def warm(self, langs: Sequence[Lang] = LANGS, backends: Sequence[BackendChoice] = ()) -> None:
        """Make the advisors a server will be asked for before its first request."""
        for lang in langs:
            for backend in ("auto", "vectorised", *backends):
                self.get(lang, backend)


def assess(advisor: Advisor, organisation: Given) -> str:
    """The advice as `modeadvisor assess --format json` writes it (the same bytes)."""
    return advisor.assess(organisation).to_json()


def assess_and_save(
    advisor: Advisor,
    organisation: OrganisationText,
    store: HistoryStore,
    may_save: Callable[[str], None] | None = None,
) -> tuple[str, str]:
    """`assess` with the assessment saved in `store` (as `assess --save` saves it): the advice
    and the organisation's key in the history. `may_save`, given the organisation's name once
    it is read, raises if it may not be saved (before anything is assessed)."""
    given, _ = read_organisation_text(organisation, advisor.limits)
    if may_save is not None:
        may_save(given.organisation)
    if any("\x00" in text for text in _texts(given.model_dump(mode="json"))):
        raise OrganisationError(
            [
                Problem(
                    Location(organisation.name),
                    "a text holds a NUL character (\\u0000), which the history cannot keep",
                    "remove it, or assess without saving",
                )
            ]
        )
    advice = advisor.assess(organisation)
    saved = store.save(advice, given, advisor.knowledge_base)
    return advice.to_json(), saved.organisation


def _texts(value: Any) -> Iterator[str]:
    """Every text in data read from JSON: its keys and its values."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def moment(text: str) -> datetime:
    """`before=`: a day or a moment, as `history delete --before` reads it; a bad one is an
    invalid request (not the history's fault)."""
    from modeadvisor.history._cli import parse_before

    try:
        return parse_before(text)
    except HistoryError as error:
        raise ModeAdvisorError(
            [
                Problem(Location("query"), Message("before: {message}", message=p.message), p.hint)
                for p in error.problems
            ]
        ) from None


#: The HTML report folds in how settled and why-not for organisations up to this size (about
#: 60 ms a unit); a larger one would wait minutes for answers a reader takes unit by unit.
EXAMINED_UNITS = 200


def report_html(
    advisor: Advisor,
    organisation: Given | str | Path,
    advice: Advice,
    history: Mapping[str, Timeline] | None = None,
) -> tuple[str, bool]:
    """The HTML report of `advice` (assessed from `organisation`), and whether each unit's how
    settled and why-not are folded in: they are for up to EXAMINED_UNITS units."""
    if len(advice.units) <= EXAMINED_UNITS:
        return to_html(advice, advisor.examine(organisation), history), True
    return to_html(advice, history=history), False


def explain(advisor: Advisor, organisation: Given, unit: str) -> dict[str, Any]:
    """One unit's advice, its conflicts and how settled its answer is, as `modeadvisor explain
    --format json` writes it."""
    advice = advisor.assess(organisation)
    found = advice.unit(unit).model_dump(mode="json")  # an unknown unit is refused here
    found["conflicts"] = [c.model_dump(mode="json") for c in advice.conflicts_of(unit)]
    how = advisor.settled(organisation, unit)
    found["settled"] = how.model_dump(mode="json", exclude={"language", "names"})
    return found


def what_if(
    advisor: Advisor,
    organisation: Given,
    unit: str,
    *,
    target: str | None = None,
    clear: str | None = None,
    allow: Collection[str] = (),
) -> dict[str, Any]:
    """Up to three repairs, as `modeadvisor what-if --format json` writes them; `advisor` is
    the vectorised one (what-if searches with it whatever the backend)."""
    found = advisor.what_if(
        unit, organisation=organisation, target=target, clear=clear, allow=allow
    )
    return found.model_dump(mode="json")


def why_not(advisor: Advisor, organisation: Given, unit: str, asked: str) -> dict[str, Any]:
    """Why a model is not recommended for the unit, or a mode not its dominant one, as
    `modeadvisor explain --why-not X --format json` writes it (the vectorised advisor)."""
    return advisor.why_not(organisation, unit, asked).model_dump(mode="json")


def problem_data(problem: Problem) -> dict[str, Any]:
    """One located problem as plain data: file, line, column, message and hint."""
    location = problem.location
    return {
        "file": location.file,
        "line": location.line,
        "column": location.column,
        "message": problem.message,
        "hint": problem.hint,
    }


def error_data(error: ModeAdvisorError) -> dict[str, Any]:
    """An error as plain data: its type and every located problem."""
    return {"type": type(error).__name__, "problems": [problem_data(p) for p in error.problems]}


def dumps(data: Any) -> str:
    """One line of JSON (JSON Lines): compact, non-ASCII kept, keys in the order given."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
