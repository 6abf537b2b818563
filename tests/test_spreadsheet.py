"""Packs in spreadsheets: export, import, the same pack and the same advice; mistakes located."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeadvisor import Advisor, KnowledgeBase, KnowledgeBaseError, load_knowledge_base
from modeadvisor.authoring.spreadsheet import export_workbook, import_workbook
from modeadvisor.cli import main
from modeadvisor.knowledge import shipped_rules_dir

from .conftest import DATA, ROOT
from .strategies import MINI_CONDITIONS, units

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _same_pack(first: KnowledgeBase, second: KnowledgeBase) -> None:
    assert first.info == second.info
    assert first.info.settings.model_fields_set == second.info.settings.model_fields_set
    assert first.layers == second.layers
    for section in ("sources", "archetypes", "traits", "models", "kinds"):
        assert getattr(first, section) == getattr(second, section), section
    assert [r.spec for r in first.rules] == [r.spec for r in second.rules]
    assert [(r.pack, r.condition) for r in first.rules] == [
        (r.pack, r.condition) for r in second.rules
    ]
    assert first.links == second.links
    assert [c.spec for c in first.conflicts] == [c.spec for c in second.conflicts]


def _advice(advisor: Advisor, organisation: Any) -> Any:
    """The advice as JSON, without where rules are written (the files differ, not the rules)."""
    data = json.loads(advisor.assess(organisation).to_json())
    for unit in data["units"]:
        for evidence in unit["evidence"]:
            evidence.pop("origin")
    for conflict in data["conflicts"]:
        conflict.pop("origin")
    return data


def _round_trip(folder: Path, work: Path, below: tuple[Path, ...] = ()) -> KnowledgeBase:
    book = work / "pack.xlsx"
    export_workbook(folder, book, below=below)
    return import_workbook(book, work / "imported", below=below)


def test_the_shipped_pack_round_trips(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    imported = _round_trip(shipped_rules_dir(), tmp_path)
    _same_pack(shipped_kb, imported)
    before = Advisor(shipped_kb, backend="vectorised")
    after = Advisor(imported, backend="vectorised")
    for example in EXAMPLES:
        assert _advice(before, example) == _advice(after, example)
    book = openpyxl.load_workbook(tmp_path / "pack.xlsx")
    assert book.sheetnames[:4] == ["Pack", "Sources", "Archetypes", "Traits"]
    rules = book["Rules"]
    header = [c.value for c in rules[1]]
    assert header[:2] == ["id", "when"]
    assert [h for h in header if str(h).startswith("weight.")] == [
        f"weight.{a}" for a in shipped_kb.archetypes
    ]
    assert rules.max_row == len(shipped_kb.rules) + 1  # one row per rule
    links = book["Links"]
    assert [c.value for c in links["A"]][1:5] == list(shipped_kb.archetypes)
    cells = {str(c.value) for row in links.iter_rows(min_row=2, min_col=2) for c in row if c.value}
    assert "suits 0.9" in cells or any(c.startswith("suits ") for c in cells)


LAYER = """pack:
  id: acme
  name: {en: ACME, fi: ACME Oy}
  version: "2.1"
  extends: core
  settings: {perspective_threshold: 0.15, min_observed: 6}
disable:
  rules: [profitability_first]
  links: [{from: production, to: financial_time_series}]
translations:
  fi:
    models:
      balanced_scorecard: {name: "Tasapainotettu mittaristo (ACME)"}
rules:
  - id: cost_leadership
    override: true
    when: cost_focus >= 5 and (profitability_before_growth >= 4 or "low_price" in customer_value_basis)
    weights: {public_administration: 0.25, production: 2.5}
    rationale: {en: "At ACME only the strictest cost focus counts.", fi: "Vain tiukin: ÄÖ."}
    source: [S-P1]
models:
  - id: acme_dashboard
    kind: measurement
    name: {en: "ACME dashboard"}
    description: {en: "Weekly figures, one page.", fi: "0E0"}
links:
  - {from: production, to: acme_dashboard, relation: suits, strength: 0.75,
     reason: {en: "Weekly figures suit steady work.", fi: "no"}, source: [S-P6]}
"""


def test_a_layer_round_trips_with_its_settings_disables_and_translations(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "pack.yaml").write_text(LAYER, encoding="utf-8")
    original = load_knowledge_base(folder)
    imported = _round_trip(folder, tmp_path)
    _same_pack(original, imported)
    assert imported.settings.perspective_threshold == 0.15
    assert imported.settings.min_observed == 6
    assert "profitability_first" not in [r.id for r in imported.rules]
    assert imported.models["balanced_scorecard"].name.fi == "Tasapainotettu mittaristo (ACME)"
    for example in EXAMPLES:
        assert _advice(Advisor(original, backend="vectorised"), example) == _advice(
            Advisor(imported, backend="vectorised"), example
        )


# --- generated packs -------------------------------------------------------------------------

#: any text a cell can hold (a worksheet refuses control characters), `=` first included
TEXTS = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
)
WEIGHTS = st.decimals(min_value="0.000001", max_value=100, places=6).map(float)


@st.composite
def packs(draw: st.DrawFn) -> dict[str, Any]:
    """The mini pack with generated rules, texts, weights (in any order), links and settings."""
    base = {name: yaml.safe_load((DATA / "mini" / name).read_text("utf-8")) for name in _MINI}
    rules = []
    for index, when in enumerate(draw(st.lists(MINI_CONDITIONS, min_size=1, max_size=6))):
        shuffled = draw(st.permutations(["prod", "dev"]))
        archetypes = shuffled[: 1 + index % 2]  # one or both, in either order
        rule: dict[str, Any] = {
            "id": f"rule_{index}",
            "when": when,
            "weights": {a: draw(WEIGHTS) for a in archetypes},
            "rationale": {"en": draw(TEXTS)},
            "source": draw(st.sampled_from([[], ["S-P1"], ["S-D1", "S-P1"]])),
        }
        if draw(st.booleans()):
            rule["rationale"]["fi"] = draw(TEXTS)
        rules.append(rule)
    base["rules.yaml"]["rules"] = rules
    for link in base["rules.yaml"]["links"]:
        link["strength"] = draw(st.decimals("0.01", "1", places=2).map(float))
        link["reason"] = {"en": draw(TEXTS)}
    settings_drawn = draw(
        st.dictionaries(
            st.sampled_from(["mixed_margin", "recommend_min", "avoid_min"]),
            st.decimals("0", "0.5", places=2).map(float),
        )
    )
    base["pack.yaml"]["pack"]["settings"] = {"min_evidence": 1, "min_observed": 1, **settings_drawn}
    return base


_MINI = ("pack.yaml", "catalogue.yaml", "rules.yaml")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pack=packs(), data=st.data())
def test_generated_packs_round_trip_to_the_same_pack_and_advice(
    tmp_path_factory: pytest.TempPathFactory, pack: dict[str, Any], data: st.DataObject
) -> None:
    work = tmp_path_factory.mktemp("generated")
    folder = work / "pack"
    folder.mkdir()
    for name, content in pack.items():
        # JSON (which is YAML): no text is written in a form that reads back as a number
        (folder / name).write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    original = load_knowledge_base(folder)
    imported = _round_trip(folder, work)
    _same_pack(original, imported)
    organisation = {"organisation": "o", "units": data.draw(units(original, max_units=3))}
    before, after = Advisor(original, backend="vectorised"), Advisor(imported, backend="vectorised")
    assert _advice(before, organisation) == _advice(after, organisation)


# --- mistakes, located as Sheet!B7 -----------------------------------------------------------


@pytest.fixture
def mini_book(tmp_path: Path) -> Path:
    book = tmp_path / "mini.xlsx"
    export_workbook(DATA / "mini", book)
    return book


def _edit(book: Path, sheet: str, cell: str, value: str) -> None:
    workbook = openpyxl.load_workbook(book)
    workbook[sheet][cell] = value
    workbook.save(book)


def _problems(book: Path, out: Path) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as raised:
        import_workbook(book, out)
    assert not out.exists() or not list(out.iterdir())  # nothing written
    return [str(p) for p in raised.value.problems]


def test_every_mistake_is_located_at_its_cell(mini_book: Path, tmp_path: Path) -> None:
    _edit(mini_book, "Rules", "C2", "lots")  # weight.prod of cost_first
    _edit(mini_book, "Rules", "H1", "wieght.dev")
    _edit(mini_book, "Links", "C2", "fits 0.9")
    _edit(mini_book, "Traits", "B3", "boolean")
    problems = _problems(mini_book, tmp_path / "out")
    assert any("mini.xlsx: Rules!C2: a weight is a number, found 'lots'" in p for p in problems)
    assert any("Rules!H1: unknown column 'wieght.dev'" in p for p in problems)
    assert any("Links!C2: 'fits 0.9' is not a link" in p for p in problems)
    assert any("Traits!B3: 'type': Input should be" in p for p in problems)


def test_a_mistake_only_the_loader_sees_is_mapped_to_its_cell(
    mini_book: Path, tmp_path: Path
) -> None:
    _edit(mini_book, "Rules", "B3", 'risky and not "cost" in focuss')
    (problem,) = _problems(mini_book, tmp_path / "out")
    assert "mini.xlsx: Rules!B3: unknown trait 'focuss'" in problem
    assert "did you mean 'focus'?" in problem


def test_links_and_their_details_must_agree(mini_book: Path, tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(mini_book)
    details = workbook["Link details"]
    details.delete_rows(2)  # prod -> scorecard: its cell in the matrix has no reason now
    workbook.save(mini_book)
    (problem,) = _problems(mini_book, tmp_path / "out")
    assert "Links!" in problem
    assert "no row in 'Link details' for prod -> scorecard" in problem


def test_the_pack_sheet_is_checked_and_an_unknown_sheet_named(
    mini_book: Path, tmp_path: Path
) -> None:
    workbook = openpyxl.load_workbook(mini_book)
    workbook["Pack"]["A3"] = "nme.en"
    workbook.create_sheet("Rulez")
    workbook.save(mini_book)
    problems = _problems(mini_book, tmp_path / "out")
    assert any("Pack!A3: unknown key 'nme.en'" in p and "'name.en'" in p for p in problems)
    assert any("Rulez!A1: unknown sheet 'Rulez'" in p for p in problems)


def test_not_a_workbook_and_a_folder_with_rules_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "pack.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"not an \.xlsx workbook"):
        import_workbook(text, tmp_path / "out")
    book = tmp_path / "mini.xlsx"
    export_workbook(DATA / "mini", book)
    taken = tmp_path / "taken"
    shutil.copytree(DATA / "mini", taken)
    with pytest.raises(KnowledgeBaseError, match="holds rule files already"):
        import_workbook(book, taken)


def test_cli_export_import_and_lint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "mini.xlsx"
    assert main(["pack", "export", str(DATA / "mini"), "-o", str(book)]) == 0
    assert main(["pack", "import", str(book), "-o", str(tmp_path / "back")]) == 0
    out = capsys.readouterr().out
    assert "back: 3 rules, 5 links" in out
    assert "errors" in out  # lint ran on the result
    _edit(book, "Rules", "B2", "cost >= 9")
    assert main(["pack", "import", str(book), "-o", str(tmp_path / "again")]) == 2
    assert "Rules!B2:" in capsys.readouterr().err


def test_cli_import_lints_in_the_command_lines_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "mini.xlsx"
    assert main(["pack", "export", str(DATA / "mini"), "-o", str(book)]) == 0
    monkeypatch.setenv("MODEADVISOR_LANG", "fi")
    assert main(["pack", "import", str(book), "-o", str(tmp_path / "back")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"0 virhettä, \d+ varoitus(ta)?, \d+ huomio(ta)?", lines[-1]), lines
    assert any(": varoitus: " in line for line in lines)
    assert any(line.startswith("    vihje: ") for line in lines)
