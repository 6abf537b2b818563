"""Assessment history: each assessment saved in SQLite or PostgreSQL, and how units changed.

Needs the `history` extra (SQLAlchemy, psycopg, platformdirs): `HistoryStore` and the command
line import SQLAlchemy only when used, so `import modeadvisor` (and this package) never does.

    from modeadvisor.history import HistoryStore
    with HistoryStore.open("sqlite:///history.sqlite3") as store:  # None: the default file
        store.save(advice, organisation, advisor.knowledge_base)
        for change in store.changes("Pohjolan Konepaja Oy"):
            ...

- `_models`: what the store gives back (pydantic, JSON out) and the comparison of two
  assessments — pure, no database;
- `_schema`: the tables, the schema version and the upgrades;
- `_store`: `HistoryStore`;
- `_text`: the history as text, in English or Finnish;
- `_cli`: `assess --save`, `history ORG`, `history delete ORG` and `report --db`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from modeadvisor.history._models import (
    Assessment,
    AssessmentChange,
    FindingChange,
    FindingSnapshot,
    History,
    PackHash,
    StoredAssessment,
    UnitChange,
    UnitSnapshot,
    WeightChange,
    organisation_key,
)

if TYPE_CHECKING:
    from modeadvisor.history._store import HistoryStore

__all__ = [
    "Assessment",
    "AssessmentChange",
    "FindingChange",
    "FindingSnapshot",
    "History",
    "HistoryStore",
    "PackHash",
    "StoredAssessment",
    "UnitChange",
    "UnitSnapshot",
    "WeightChange",
    "organisation_key",
]


def __getattr__(name: str) -> Any:
    """`HistoryStore`, imported (with SQLAlchemy) when first asked for."""
    if name == "HistoryStore":
        from modeadvisor.history._store import HistoryStore

        return HistoryStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
