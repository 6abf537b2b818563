"""Shared fixtures: the shipped advisor (built once) and the tiny test pack."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from modeadvisor import Advisor, KnowledgeBase, load_knowledge_base
from modeadvisor.knowledge import shipped_rules_dir

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


def pytest_configure(config: pytest.Config) -> None:
    """MODEADVISOR_EXPECT_DURABLE=1 (or 0) makes sure durable-rules imports here (or does not).

    CI sets it for each interpreter, so the run meant for the durable backend on Python 3.13
    cannot pass by skipping every engine test, nor the fallback run by having the engine after all.
    """
    _expect_postgres()
    expected = os.environ.get("MODEADVISOR_EXPECT_DURABLE")
    if expected not in ("0", "1"):
        return
    try:
        import durable.engine  # noqa: F401
    except ImportError as error:
        found, why = False, f" ({error})"
    else:
        found, why = True, ""
    if found != (expected == "1"):
        raise pytest.UsageError(
            f"MODEADVISOR_EXPECT_DURABLE={expected}, but durable-rules "
            f"{'imports' if found else 'does not import'} here{why}"
        )


def _expect_postgres() -> None:
    """MODEADVISOR_EXPECT_POSTGRES=1 makes sure the PostgreSQL of MODEADVISOR_TEST_POSTGRES
    answers, so that CI cannot pass the history tests by skipping every PostgreSQL one."""
    if os.environ.get("MODEADVISOR_EXPECT_POSTGRES") != "1":
        return
    url = os.environ.get("MODEADVISOR_TEST_POSTGRES")
    if not url:
        raise pytest.UsageError(
            "MODEADVISOR_EXPECT_POSTGRES=1, but MODEADVISOR_TEST_POSTGRES names no server"
        )
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=10).close()
    except Exception as error:  # any failure: the server CI expects is not there
        raise pytest.UsageError(
            f"MODEADVISOR_EXPECT_POSTGRES=1, but PostgreSQL does not answer ({error})"
        ) from None


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose tables live in a schema of this test's own, dropped after it.
    Skips where MODEADVISOR_TEST_POSTGRES is not set (CI sets it, and expects it to work)."""
    url = os.environ.get("MODEADVISOR_TEST_POSTGRES")
    if not url:
        pytest.skip("no PostgreSQL: set MODEADVISOR_TEST_POSTGRES (.ci/run does)")
    import psycopg
    from psycopg import sql

    schema = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        separator = "&" if "?" in url else "?"
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty history database: an SQLite file, and a PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture(scope="session")
def shipped_kb() -> KnowledgeBase:
    return load_knowledge_base(shipped_rules_dir())


@pytest.fixture(scope="session")
def advisor(shipped_kb: KnowledgeBase) -> Advisor:
    return Advisor(shipped_kb)


@pytest.fixture(scope="session")
def mini_kb() -> KnowledgeBase:
    return load_knowledge_base(DATA / "mini")


@pytest.fixture(scope="session")
def mini_advisor(mini_kb: KnowledgeBase) -> Advisor:
    return Advisor(mini_kb)


def write_pack(folder: Path, files: dict[str, str], base: Path = DATA / "mini") -> Path:
    """A copy of the mini pack in `folder`, with `files` (name -> text) added or replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in base.glob("*.yaml"):
        (folder / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
