"""The tables of the history database, its schema version, and the upgrades between versions.

Three tables, named with a `modeadvisor_` prefix so that they can share a database (or a
PostgreSQL schema) with others:

- `modeadvisor_schema`: one row, the schema version of the tables below;
- `modeadvisor_assessments`: one row per saved assessment — the organisation's key and name,
  when (UTC), the language, the packs with their content hashes (JSON), the organisation as
  given (JSON), the advice (its `to_json()`, byte for byte) and a summary (the modes' names and
  the findings, JSON) that `changes` reads without parsing the advice;
- `modeadvisor_units`: one row per unit of a saved assessment, its snapshot as JSON (mode,
  weights, recommendations, findings), so the history of a unit reads only its own rows.

Versions: 1 held the assessments alone (the first cut of this store, never released); 2 added
the summary and the unit rows, which the upgrade builds from each stored advice. A database of
a version above `VERSION` is refused: this modeadvisor cannot know what it holds.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
    text,
)

from modeadvisor.advice import Advice

#: The schema version this modeadvisor writes.
VERSION = 2

metadata = MetaData()

schema_table = Table(
    "modeadvisor_schema",
    metadata,
    Column("version", Integer, nullable=False),
)

assessments = Table(
    "modeadvisor_assessments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("organisation", String(100), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("assessed_at", DateTime(timezone=True), nullable=False),
    Column("language", String(8), nullable=False),
    Column("packs", Text, nullable=False),
    Column("input", Text, nullable=False),
    Column("advice", Text, nullable=False),
    Column("summary", Text, nullable=True),  # version 2
)

units = Table(
    "modeadvisor_units",
    metadata,
    Column("assessment", Integer, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("unit", String(100), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("snapshot", Text, nullable=False),
)

#: The advisory lock taken while a PostgreSQL database's tables are made or upgraded.
_LOCK = 0x6D6F646561647669  # "modeadvi"

#: Every table this module owns: a database holding some of them but no version is refused.
TABLES = frozenset(table.name for table in metadata.sorted_tables)


class SchemaError(Exception):
    """The database's tables cannot be used; the message says why (the store locates it)."""


def prepare(connection: Connection, rows: Callable[[Connection, Advice, int], None]) -> int:
    """Make the tables of an empty database, or upgrade an older one to `VERSION`; returns the
    version found. `rows` writes the summary and unit rows of one stored advice (the upgrade
    from 1 needs it). Raises SchemaError for a database this version cannot use."""
    if connection.dialect.name == "postgresql":
        # servers' workers open one database at once: one makes or upgrades it, the others
        # wait for that transaction and then find it made (measured: without the lock, 5 of 6
        # concurrent first opens failed on the catalogue's unique index)
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
    found = set(inspect(connection).get_table_names())
    if schema_table.name not in found:
        if found & TABLES:
            raise SchemaError(
                f"it holds modeadvisor's tables ({', '.join(sorted(found & TABLES))}) but no "
                f"{schema_table.name} table: not a history database this modeadvisor wrote"
            )
        metadata.create_all(connection)
        connection.execute(schema_table.insert().values(version=VERSION))
        return 0
    versions = [row[0] for row in connection.execute(select(schema_table.c.version))]
    if len(versions) != 1 or not isinstance(versions[0], int) or versions[0] < 1:
        raise SchemaError(
            f"its schema version is unreadable ({schema_table.name} holds {versions!r}; "
            "expected one whole number)"
        )
    version = versions[0]
    if version > VERSION:
        raise SchemaError(
            f"its schema version is {version}, newer than this modeadvisor knows ({VERSION}); "
            "use the modeadvisor that wrote it, or a newer one"
        )
    if version == 1:
        _upgrade_1_to_2(connection, rows)
    if version < VERSION:
        connection.execute(schema_table.update().values(version=VERSION))
    return version


def _upgrade_1_to_2(
    connection: Connection, rows: Callable[[Connection, Advice, int], None]
) -> None:
    connection.execute(text(f"ALTER TABLE {assessments.name} ADD COLUMN summary TEXT"))
    units.create(connection)
    stored = connection.execute(select(assessments.c.id, assessments.c.advice)).all()
    for assessment_id, advice in stored:
        rows(connection, Advice.model_validate_json(advice), assessment_id)
