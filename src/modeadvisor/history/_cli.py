"""The history on the command line: `assess --save`, `history ORG`, `history delete ORG` and
`report --db`. SQLAlchemy is imported only when a database is used, so without the `history`
extra every other command runs and these say which extra to install (exit 2).

One `history` command takes `[delete] ORG`: `history ORG` shows an organisation's saved
assessments and what changed between them; `history delete ORG [--before DATE]` erases them.
(An organisation whose key is `delete` is shown by `history delete` alone, as that has no ORG.)
`report` reads history only when asked (`--db URL`, or `--history` for the default database),
so that a report depends on nothing but its command line.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any, TextIO

from modeadvisor._i18n import Message, tr
from modeadvisor.authoring.features import MissingExtraError
from modeadvisor.errors import HistoryError, Location, Problem
from modeadvisor.knowledge import KnowledgeBase
from modeadvisor.limits import Limits
from modeadvisor.reports.labels import label

if TYPE_CHECKING:  # the command line registers these options without loading what they run
    from modeadvisor.advice import Advice
    from modeadvisor.history._store import HistoryStore
    from modeadvisor.reports.html import Timeline

_DB_HELP = (
    "the history database: sqlite:///PATH, postgresql://USER:PASSWORD@HOST:PORT/DATABASE or a "
    "path to an SQLite file (default: MODEADVISOR_HISTORY_DB, else history.sqlite3 in the "
    "user's data directory)"
)
_FORMATS = "YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM] (without a zone: UTC)"


def add_history(
    commands: Any, with_rules: Callable[[argparse.ArgumentParser], argparse.ArgumentParser]
) -> None:
    """The `history` command, on the command line's sub-parsers."""
    history = with_rules(
        commands.add_parser(
            "history",
            help="an organisation's saved assessments and how its units changed; "
            "`history delete ORG` erases them (needs modeadvisor[history])",
            description="`history ORG` shows the saved assessments of an organisation (its "
            "name, or its key as `assess --save` prints it) and, between each two, how every "
            "unit's weights, dominant mode, recommendations and findings changed. `history "
            "delete ORG [--before DATE]` erases them.",
        )
    )
    history.add_argument(
        "words", nargs="+", metavar="[delete] ORG", help="the organisation; `delete` first erases"
    )
    history.add_argument("--unit", metavar="ID", help="show one unit only")
    history.add_argument(
        "--before", metavar="DATE", help=f"delete: only assessments made before DATE: {_FORMATS}"
    )
    history.add_argument("--format", choices=("text", "json"), default="text")
    history.add_argument("--db", metavar="URL", help=_DB_HELP)


def add_save(assess: argparse.ArgumentParser) -> None:
    """`assess --save [--db URL]`."""
    assess.add_argument(
        "--save",
        action="store_true",
        help="save the assessment in the history database (needs modeadvisor[history])",
    )
    assess.add_argument("--db", metavar="URL", help=_DB_HELP)


def add_report(report: argparse.ArgumentParser) -> None:
    """`report --db URL` / `report --history`: draw each unit's weights over time."""
    report.add_argument(
        "--db",
        metavar="URL",
        help="HTML: draw each unit's weights over its saved assessments in this database",
    )
    report.add_argument(
        "--history",
        action="store_true",
        help="HTML: as --db, from the default history database",
    )


def _store() -> ModuleType:
    """The store's module, whose SQLAlchemy the history extra brings."""
    try:
        return importlib.import_module("modeadvisor.history._store")
    except ImportError as error:
        raise MissingExtraError("history", error.name or "sqlalchemy") from None


def _open(url: str | None, *, create: bool = False) -> HistoryStore:
    """The history database; only saving (`create`) may make a new SQLite file."""
    store: HistoryStore = _store().HistoryStore.open(url, create=create)
    return store


def save(args: argparse.Namespace, advice: Advice, knowledge_base: KnowledgeBase) -> None:
    """`assess --save`: store the assessment, and say where on standard error."""
    from modeadvisor.organisation import load_organisation

    organisation = load_organisation(args.file, _limits(args))  # read and checked already
    with _open(args.db, create=True) as store:
        saved = store.save(advice, organisation, knowledge_base)
        where = store.where
    shown = f"{saved.name} ({saved.organisation})"
    print(
        "modeadvisor: " + label("history.saved", args.lang, id=saved.id, name=shown, db=where),
        file=sys.stderr,
    )


def _limits(args: argparse.Namespace) -> Limits:
    from modeadvisor.cli import _limits  # the one reading of --limit

    return _limits(args)


def timelines(args: argparse.Namespace, advice: Advice) -> dict[str, Timeline] | None:
    """`report --db`: each unit's weights at each saved assessment of the organisation, or
    None when no database is asked for (or it has no assessment of this organisation)."""
    if args.db is None and not args.history:
        return None
    from modeadvisor.history._models import organisation_key

    store_module = _store()
    address = store_module.database_url(args.db)
    where = address.render_as_string(hide_password=True)
    if store_module.missing_file(
        address
    ):  # nothing saved yet: a report reads the history, never makes it
        _nothing_saved(args, where, advice)
        return None
    with _open(args.db) as store:
        key = organisation_key(advice.organisation)
        if key not in store.organisations():
            _nothing_saved(args, where, advice)
            return None
        found = store.assessments(key)
    drawn: dict[str, list[tuple[datetime, dict[str, float]]]] = {}
    for assessment in found:
        for unit in assessment.units:
            drawn.setdefault(unit.id, []).append((assessment.assessed_at, unit.weights))
    return dict(drawn)


def _nothing_saved(args: argparse.Namespace, where: str, advice: Advice) -> None:
    said = tr(
        args.lang,
        "modeadvisor: {db}: no saved assessments of '{organisation}'; the report draws "
        "no weights over time",
        db=where,
        organisation=advice.organisation,
    )
    print(said, file=sys.stderr)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """`history ORG` and `history delete ORG`."""
    from modeadvisor.reports._common import count

    words = list(args.words)
    delete = len(words) == 2 and words[0] == "delete"
    if len(words) > 2 or (len(words) == 2 and not delete):
        raise _usage(
            Message(
                "expected `history ORG` or `history delete ORG`, got {names!r}",
                names=" ".join(words),
            )
        )
    organisation = words[-1]
    if delete:
        if args.unit is not None:
            raise _usage(Message("--unit: `history delete` erases whole assessments, not one unit"))
        before = parse_before(args.before) if args.before is not None else None
        with _open(args.db) as store:
            name = store.organisations().get(_key(organisation), organisation)
            removed = store.delete(organisation, before)
        counted = count("history.assessments", removed, args.lang)
        out.write(label("history.erased", args.lang, count=counted, name=name) + "\n")
        return 0
    if args.before is not None:
        raise _usage(Message("--before belongs to `history delete ORG`"))
    with _open(args.db) as store:
        found = store.history(organisation, args.unit)
    if args.format == "json":
        out.write(found.model_dump_json(indent=2) + "\n")
        return 0
    from modeadvisor.cli import _knowledge_base
    from modeadvisor.history._text import Names, history_text

    names = Names.of(found, _knowledge_base(args), args.lang)
    out.write(history_text(found, names))
    return 0


def _key(organisation: str) -> str:
    from modeadvisor.history._models import organisation_key

    return organisation_key(organisation)


def parse_before(text: str) -> datetime:
    """`--before`: a day (midnight UTC) or a moment (UTC unless it names its zone)."""
    try:
        if len(text.strip()) == 10:
            day = date.fromisoformat(text.strip())
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise HistoryError(
            [
                Problem(
                    Location("--before"),
                    Message("'{text}' is not a date", text=text),
                    Message("expected {FORMATS}", FORMATS=_FORMATS),
                )
            ]
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _usage(message: str) -> HistoryError:
    return HistoryError([Problem(Location("modeadvisor history"), message)])
