"""The history store: saved assessments in SQLite or PostgreSQL, through SQLAlchemy.

`HistoryStore.open(url)` opens (and makes, or upgrades) a database: `None` for the default
SQLite file under the user's data directory (or `MODEADVISOR_HISTORY_DB`), a path for another
SQLite file, `sqlite:///PATH`, or `postgresql://USER:PASSWORD@HOST:PORT/DB` (psycopg 3). Every
failure is a `HistoryError` naming the database (its password hidden) and what was expected.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from types import TracebackType
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Engine, create_engine, delete, event, false, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from modeadvisor._i18n import Message
from modeadvisor.advice import Advice
from modeadvisor.errors import (
    HistoryError,
    Location,
    Problem,
    UnknownOrganisationError,
    UnknownUnitError,
    did_you_mean,
    os_reason,
)
from modeadvisor.history import _schema
from modeadvisor.history._models import (
    Assessment,
    AssessmentChange,
    FindingSnapshot,
    History,
    PackHash,
    StoredAssessment,
    UnitSnapshot,
    compare,
    finding_snapshots,
    organisation_key,
    pack_hashes,
    unit_snapshots,
)
from modeadvisor.knowledge import KnowledgeBase
from modeadvisor.organisation import Organisation

#: The environment variable naming the default database (a URL or a path to an SQLite file).
ENVIRONMENT = "MODEADVISOR_HISTORY_DB"
#: The database URL schemes understood, and the SQLAlchemy driver each maps to.
_DRIVERS = {
    "sqlite": "sqlite",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}
#: Seconds to wait for a PostgreSQL server before saying it cannot be reached.
CONNECT_TIMEOUT = 10


def default_database(environ: Mapping[str, str] = os.environ) -> str:
    """`MODEADVISOR_HISTORY_DB`, else `history.sqlite3` in the user's data directory."""
    chosen = environ.get(ENVIRONMENT, "").strip()
    if chosen:
        return chosen
    import platformdirs  # the history extra

    return str(platformdirs.user_data_path("modeadvisor", appauthor=False) / "history.sqlite3")


def database_url(given: str | Path | None, environ: Mapping[str, str] = os.environ) -> URL:
    """The SQLAlchemy URL of a database as the user names it (see the module's docstring)."""
    chosen = str(given) if given is not None else default_database(environ)
    if "://" not in chosen:  # a path: an SQLite file
        path = Path(chosen).expanduser()
        return URL.create("sqlite", database=str(path.resolve()))
    scheme = chosen.split("://", 1)[0].lower()
    if scheme not in _DRIVERS:
        raise HistoryError(
            [
                Problem(
                    Location(_shown(chosen)),
                    Message("unsupported database '{scheme}'", scheme=scheme),
                    Message(
                        "{meant} sqlite:///PATH, postgresql://USER:PASSWORD@HOST:PORT/DATABASE "
                        "or a path to an SQLite file",
                        meant=did_you_mean(scheme, _DRIVERS) or Message("expected"),
                    ),
                )
            ]
        )
    try:
        url = make_url(chosen)
    except (ArgumentError, ValueError) as error:
        raise HistoryError(
            [
                Problem(
                    Location(_shown(chosen)), Message("not a database URL ({error})", error=error)
                )
            ]
        ) from None
    return url.set(drivername=_DRIVERS[scheme])


def _shown(text: str) -> str:
    """A URL as messages show it: the password hidden."""
    try:
        return make_url(text).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        head, _, tail = text.rpartition("@")
        return f"{head.rsplit(':', 1)[0]}:***@{tail}" if head.count(":") >= 2 else text


class HistoryStore:
    """Saved assessments of organisations: save, read back, compare, erase.

    Open with `HistoryStore.open(url)`; close (or use as a context manager) when done. One
    store may serve many threads: each call takes its own connection from SQLAlchemy's pool.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        #: The database as messages name it (its password hidden).
        self.where = engine.url.render_as_string(hide_password=True)

    @classmethod
    def open(
        cls,
        url: str | Path | None = None,
        *,
        environ: Mapping[str, str] = os.environ,
        create: bool = True,
    ) -> HistoryStore:
        """Open the database, making its tables or upgrading an older version of them.
        `create=False` (to read or erase): an SQLite file that is not there is an error rather
        than an empty database made where a mistyped path points."""
        address = database_url(url, environ)
        shown = address.render_as_string(hide_password=True)
        if not create and missing_file(address):
            raise _error(
                shown,
                Message("no history database here: nothing has been saved to it"),
                Message("`modeadvisor assess FILE --save --db URL` saves an assessment"),
            )
        options: dict[str, Any] = {}
        if address.drivername == "sqlite" and address.database not in (None, "", ":memory:"):
            try:
                Path(address.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise _error(
                    shown, Message("cannot make its folder: {value}", value=os_reason(error))
                ) from None
        if address.drivername.startswith("postgresql"):
            options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT}
        try:
            engine = create_engine(address, **options)
        except (NoSuchModuleError, ImportError) as error:
            raise _error(
                shown,
                Message("its driver cannot be loaded ({error})", error=error),
                Message("pip install 'modeadvisor[history]'"),
            ) from None
        if address.drivername == "sqlite":
            _transactional(engine)
        store = cls(engine)
        for attempt in (1, 2):
            try:
                with engine.begin() as connection:
                    _schema.prepare(connection, store._write_rows)
                break
            except _schema.SchemaError as problem:
                engine.dispose()
                raise _error(
                    shown, Message("cannot use this history database: {problem}", problem=problem)
                ) from None
            except SQLAlchemyError as error:
                # a second look: another process may have made the tables between this one's
                # look and its CREATE (SQLite; PostgreSQL is locked while they are made)
                if attempt == 2:
                    engine.dispose()
                    raise _error(
                        shown, Message("cannot open the database: {reason}", reason=_reason(error))
                    ) from None
        return store

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------------

    def save(
        self,
        advice: Advice,
        organisation: Organisation,
        knowledge_base: KnowledgeBase,
        *,
        at: datetime | None = None,
    ) -> Assessment:
        """Store one assessment: `advice` of `organisation` by `knowledge_base` (whose layers
        and their content hashes are kept), made at `at` (default now; UTC).

        Respondents stay anonymous: the organisation is kept without its `respondents` (each
        person's own answers), and advice made with the anonymity floor lifted
        (`--show-respondents`, a consultant's working copy) is refused."""
        if advice.anonymity.figures_shown:
            raise _error(
                self.where,
                Message(
                    "this advice shows respondents' figures below the anonymity floor (--show-respondents, a working copy): the history keeps only advice for the client"
                ),
                Message("assess without --show-respondents to save"),
            )
        when = _utc(at or datetime.now(UTC))
        packs = pack_hashes(knowledge_base)
        row = {
            "organisation": organisation_key(organisation.organisation),
            "name": organisation.organisation,
            "assessed_at": when,
            "language": advice.language,
            "packs": json.dumps([p.model_dump() for p in packs]),
            "input": json.dumps(
                organisation.model_dump(
                    mode="json", exclude_defaults=True, exclude={"respondents"}
                ),
                ensure_ascii=False,
            ),
            "advice": advice.to_json(),
        }
        with self._connect("save an assessment") as connection:
            inserted = connection.execute(_schema.assessments.insert().values(**row))
            key = inserted.inserted_primary_key
            assert key is not None  # an insert of one row always has it
            assessment_id = int(key[0])
            self._write_rows(connection, advice, assessment_id)
        return Assessment(
            id=assessment_id,
            organisation=row["organisation"],
            name=organisation.organisation,
            assessed_at=when,
            language=advice.language,
            packs=packs,
            archetypes=dict(advice.archetypes),
            kinds=dict(advice.kinds),
            units=unit_snapshots(advice),
            findings=finding_snapshots(advice),
        )

    @staticmethod
    def _write_rows(connection: Connection, advice: Advice, assessment_id: int) -> None:
        """The summary and the unit rows of one stored advice."""
        summary = {
            "archetypes": advice.archetypes,
            "kinds": advice.kinds,
            "findings": [f.model_dump(mode="json") for f in finding_snapshots(advice)],
        }
        connection.execute(
            _schema.assessments.update()
            .where(_schema.assessments.c.id == assessment_id)
            .values(summary=json.dumps(summary, ensure_ascii=False))
        )
        snapshots = unit_snapshots(advice)
        if snapshots:
            connection.execute(
                _schema.units.insert(),
                [
                    {
                        "assessment": assessment_id,
                        "position": position,
                        "unit": snapshot.id,
                        "name": snapshot.name,
                        "snapshot": snapshot.model_dump_json(),
                    }
                    for position, snapshot in enumerate(snapshots)
                ],
            )

    def delete(self, organisation: str, before: datetime | None = None) -> int:
        """Erase an organisation's saved assessments (those made before `before`, if given);
        returns how many were removed. An organisation with none saved is an
        UnknownOrganisationError."""
        key = self._known(organisation)
        table = _schema.assessments
        chosen = select(table.c.id).where(table.c.organisation == key)
        if before is not None:
            chosen = chosen.where(table.c.assessed_at < _utc(before))
        with self._connect("erase assessments") as connection:
            ids = [row[0] for row in connection.execute(chosen)]
            for start in range(0, len(ids), 500):  # bounded IN lists
                batch = ids[start : start + 500]
                connection.execute(
                    delete(_schema.units).where(_schema.units.c.assessment.in_(batch))
                )
                connection.execute(delete(table).where(table.c.id.in_(batch)))
        return len(ids)

    # --- reading ---------------------------------------------------------------------------

    def organisations(self) -> dict[str, str]:
        """Every organisation with saved assessments: its key and its latest name."""
        table = _schema.assessments
        query = select(table.c.organisation, table.c.name).order_by(table.c.assessed_at, table.c.id)
        with self._connect("read the organisations") as connection:
            return {row[0]: row[1] for row in connection.execute(query)}

    def assessments(self, organisation: str, unit: str | None = None) -> list[Assessment]:
        """An organisation's saved assessments, oldest first; with `unit`, each holds that
        unit only (an assessment without it holds none). `organisation` is its key or name."""
        key = self._known(organisation)
        table, rows = _schema.assessments, _schema.units
        query = (
            select(
                table.c.id,
                table.c.name,
                table.c.assessed_at,
                table.c.language,
                table.c.packs,
                table.c.summary,
            )
            .where(table.c.organisation == key)
            .order_by(table.c.assessed_at, table.c.id)
        )
        unit_query = (
            select(rows.c.assessment, rows.c.snapshot)
            .join(table, table.c.id == rows.c.assessment)
            .where(table.c.organisation == key)
            .order_by(rows.c.assessment, rows.c.position)
        )
        if unit is not None:  # a NUL is in no unit's id (and PostgreSQL refuses it in a query)
            unit_query = unit_query.where(rows.c.unit == unit if "\x00" not in unit else false())
        with self._connect("read the history") as connection:
            found = connection.execute(query).all()
            snapshots: dict[int, list[UnitSnapshot]] = {}
            for assessment_id, snapshot in connection.execute(unit_query):
                snapshots.setdefault(assessment_id, []).append(
                    UnitSnapshot.model_validate_json(snapshot)
                )
            if unit is not None and not snapshots:
                self._unknown_unit(connection, key, unit)
        return [_assessment(key, row, snapshots.get(row[0], [])) for row in found]

    def changes(self, organisation: str, unit: str | None = None) -> list[AssessmentChange]:
        """How each unit (or only `unit`) changed between consecutive assessments."""
        return self.history(organisation, unit).changes

    def history(self, organisation: str, unit: str | None = None) -> History:
        """The assessments and the changes between them, in one answer."""
        found = self.assessments(organisation, unit)
        table, rows = _schema.assessments, _schema.units
        names = (
            select(rows.c.unit, rows.c.name)
            .join(table, table.c.id == rows.c.assessment)
            .where(table.c.organisation == found[0].organisation)
            .order_by(table.c.assessed_at, table.c.id)
        )
        with self._connect("read the history") as connection:
            units = {row[0]: row[1] for row in connection.execute(names)}  # latest wins
        return History(
            organisation=found[0].organisation,
            name=found[-1].name,
            unit=unit,
            units=units,
            assessments=found,
            changes=[compare(before, after, unit) for before, after in pairwise(found)],
        )

    def stored(self, assessment_id: int) -> StoredAssessment:
        """One saved assessment in full: the organisation as given and the advice."""
        table = _schema.assessments
        query = select(
            table.c.id,
            table.c.name,
            table.c.assessed_at,
            table.c.language,
            table.c.packs,
            table.c.summary,
            table.c.organisation,
            table.c.input,
            table.c.advice,
        ).where(table.c.id == assessment_id)
        with self._connect("read an assessment") as connection:
            row = connection.execute(query).first()
        if row is None:
            raise UnknownOrganisationError(
                [
                    Problem(
                        Location(self.where),
                        Message("no saved assessment {assessment_id}", assessment_id=assessment_id),
                    )
                ]
            )
        advice = Advice.model_validate_json(row[8])
        return StoredAssessment(
            assessment=_assessment(row[6], tuple(row)[:6], unit_snapshots(advice)),
            input=json.loads(row[7]),
            advice=advice,
        )

    # --- helpers ---------------------------------------------------------------------------

    @contextmanager
    def _connect(self, what: str) -> Iterator[Connection]:
        """A connection in a transaction; a database error becomes a located HistoryError."""
        try:
            with self._engine.begin() as connection:
                yield connection
        except SQLAlchemyError as error:
            raise _error(
                self.where, Message("cannot {what}: {reason}", what=what, reason=_reason(error))
            ) from None

    def _known(self, organisation: str) -> str:
        """The key of an organisation with saved assessments, or a HistoryError naming the
        closest one."""
        key = organisation_key(organisation)
        table = _schema.assessments
        with self._connect("read the organisations") as connection:
            if connection.execute(
                select(table.c.id).where(table.c.organisation == key).limit(1)
            ).first():
                return key
            known = [row[0] for row in connection.execute(select(table.c.organisation).distinct())]
        hint = did_you_mean(key, known) or (
            Message("saved: {names}", names=", ".join(sorted(known)[:10]))
            if known
            else Message("nothing is saved yet")
        )
        raise UnknownOrganisationError(
            [
                Problem(
                    Location(self.where),
                    Message("no saved assessments of '{organisation}'", organisation=organisation),
                    hint,
                )
            ]
        )

    def _unknown_unit(self, connection: Connection, key: str, unit: str) -> None:
        table, rows = _schema.assessments, _schema.units
        known = connection.execute(
            select(rows.c.unit)
            .distinct()
            .join(table, table.c.id == rows.c.assessment)
            .where(table.c.organisation == key)
        )
        ids = sorted(row[0] for row in known)
        raise UnknownUnitError(
            [
                Problem(
                    Location(self.where),
                    Message(
                        "no unit '{unit}' in the saved assessments of '{key}'", unit=unit, key=key
                    ),
                    did_you_mean(unit, ids) or f"units: {', '.join(ids[:20])}",
                )
            ]
        )


def _transactional(engine: Engine) -> None:
    """SQLite: every transaction a real one, begun IMMEDIATE, tables made inside it too.

    Python's sqlite3 module begins a transaction only before a change of rows, so a CREATE
    TABLE commits at once: a second process opening a fresh file saw the version table made
    but still empty (measured: 3 of 6 concurrent first opens refused it). Taking the write lock
    first, as SQLAlchemy's documentation shows for pysqlite, makes one opener wait for the other.
    """

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(connection: Any, record: Any) -> None:
        connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _assessment(key: str, row: Any, snapshots: list[UnitSnapshot]) -> Assessment:
    assessment_id, name, at, language, packs, summary = row
    try:
        summed = json.loads(summary or "{}")
        return Assessment(
            id=assessment_id,
            organisation=key,
            name=name,
            assessed_at=_utc(at if isinstance(at, datetime) else datetime.fromisoformat(at)),
            language=language,
            packs=[PackHash.model_validate(p) for p in json.loads(packs)],
            archetypes=summed.get("archetypes", {}),
            kinds=summed.get("kinds", {}),
            units=snapshots,
            findings=[FindingSnapshot.model_validate(f) for f in summed.get("findings", [])],
        )
    except (ValueError, ValidationError) as error:  # a row written by something else
        raise HistoryError(f"saved assessment {assessment_id} cannot be read: {error}") from None


def _utc(moment: datetime) -> datetime:
    """A moment in UTC; a naive one (as SQLite gives back) is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _reason(error: SQLAlchemyError) -> str:
    """The driver's own words, without SQLAlchemy's statement dump and link."""
    original = getattr(error, "orig", None)
    text = str(original if original is not None else error).strip()
    return " ".join(text.split()) or type(error).__name__


def missing_file(address: URL) -> bool:
    """Whether `address` is an SQLite file that does not exist (yet)."""
    database = address.database
    return (
        address.drivername == "sqlite"
        and database not in (None, "", ":memory:")
        and not Path(str(database)).exists()
    )


def _error(where: str, message: str, hint: str | None = None) -> HistoryError:
    return HistoryError([Problem(Location(where), message, hint)])
