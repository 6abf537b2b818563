"""Shared fixtures: the shipped advisor (built once) and the tiny test pack."""

from __future__ import annotations

import os
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
