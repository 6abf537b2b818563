"""A history that shows every kind of change, saved through the store: shared by the history
tests and the label test (every word of `modeadvisor history` is written by some output)."""

from __future__ import annotations

import copy
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from modeadvisor import Advisor, KnowledgeBase, Organisation, load_knowledge_base
from modeadvisor.history import HistoryStore
from modeadvisor.knowledge import shipped_rules_dir

from .conftest import ROOT

NAME = "Pohjolan Konepaja Oy"
KEY = "pohjolan-konepaja-oy"
START = datetime(2025, 1, 15, 9, 30, tzinfo=UTC)


def manufacturer() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (ROOT / "examples" / "manufacturer.yaml").read_text("utf-8")
    )
    return data


def reorganised() -> dict[str, Any]:
    """R&D turned into a production unit, the plant gone and a sales unit added."""
    data = manufacturer()
    units = {u["id"]: u for u in data["units"]}
    plant = units.pop("plant")
    units["rnd"]["traits"] = copy.deepcopy(plant["traits"])
    units["sales"] = {**copy.deepcopy(plant), "id": "sales", "name": "Myynti"}
    data["units"] = list(units.values())
    return data


def edited_pack(folder: Path) -> KnowledgeBase:
    """The shipped pack with a comment added: the same rules, another content hash."""
    shutil.copytree(shipped_rules_dir(), folder)
    with (folder / "pack.yaml").open("a", encoding="utf-8") as stream:
        stream.write("\n# edited\n")
    return load_knowledge_base(folder)


def save_every_kind(store: HistoryStore, kb: KnowledgeBase, folder: Path) -> list[int]:
    """Five assessments of the manufacturer, a day apart: as it is; reorganised (a unit added,
    one removed, R&D's mode, weights, recommendations and findings changed); the same on an
    edited pack (nothing but the pack changed); as it was; and with a laxer `misfit_high`
    (a finding's severity changed). Returns their ids."""
    edited = edited_pack(folder / "edited")
    lax = kb.with_settings(misfit_high=0.9)
    steps = [
        (manufacturer(), kb),
        (reorganised(), kb),
        (reorganised(), edited),
        (manufacturer(), kb),
        (manufacturer(), lax),
    ]
    ids = []
    for day, (data, pack) in enumerate(steps):
        advice = Advisor(pack, backend="vectorised").assess(data)
        saved = store.save(
            advice, Organisation.model_validate(data), pack, at=START + timedelta(days=day)
        )
        ids.append(saved.id)
    return ids
