"""`assess --save`, `history ORG`, `history delete ORG` and `report --db` on the command line:
the history in words (English and Finnish), as JSON, erased; every mistake exits 2 with a
located message and no traceback."""

from __future__ import annotations

import json
import re
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from modeadvisor import KnowledgeBase
from modeadvisor.cli import main
from modeadvisor.history import History, HistoryStore

from .conftest import ROOT
from .histories import KEY, NAME, START, reorganised, save_every_kind

MANUFACTURER = str(ROOT / "examples" / "manufacturer.yaml")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def saved(database: str, shipped_kb: KnowledgeBase, tmp_path: Path) -> str:
    """A database holding the five assessments of `histories.save_every_kind`."""
    with HistoryStore.open(database) as store:
        save_every_kind(store, shipped_kb, tmp_path)
    return database


def test_assess_save_writes_the_same_advice_and_keeps_it(
    capsys: pytest.CaptureFixture[str], database: str, tmp_path: Path
) -> None:
    plain = _run(capsys, "assess", MANUFACTURER, "--format", "json")[1]
    code, out, err = _run(
        capsys, "assess", MANUFACTURER, "--format", "json", "--save", "--db", database
    )
    assert code == 0
    assert out == plain  # standard output is the advice alone
    assert re.search(
        r"saved as assessment \d+ of Pohjolan Konepaja Oy \(pohjolan-konepaja-oy\)", err
    )
    assert ":modeadvisor_test@" not in err  # a password is never printed
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(reorganised()), encoding="utf-8")
    assert _run(capsys, "assess", str(changed), "--save", "--db", database)[0] == 0
    code, out, _ = _run(capsys, "history", NAME, "--db", database, "--format", "json")
    assert code == 0
    history = History.model_validate_json(out)
    assert len(history.assessments) == 2
    rnd = {u.unit: u for u in history.changes[0].units}["rnd"]
    assert (rnd.dominant_before, rnd.dominant_after) == ("development", "production")


def test_the_history_in_english_names_units_and_modes(
    capsys: pytest.CaptureFixture[str], saved: str
) -> None:
    code, out, _ = _run(capsys, "history", NAME, "--db", saved, "--lang", "en")
    assert code == 0
    assert out.startswith("Pohjolan Konepaja Oy: 5 saved assessments\n")
    assert "Changes from 2025-01-15 09:30 UTC to 2025-01-16 09:30 UTC:" in out
    assert "Dominant mode: Product/service-development-oriented → Production-oriented" in out
    assert "  Myynti\n    Assessed for the first time: Production-oriented\n" in out
    assert "  Tampereen tehdas\n    No longer assessed\n" in out
    assert "The rule pack changed in between: core" in out
    assert "Newly recommended: Resource steering, Balanced scorecard (BSC)," in out
    assert "Finding cleared: measurement misfits the mode (Balanced scorecard (BSC))" in out
    assert "Finding now medium (was high): measurement misfits the mode" in out
    assert "  Konsernin johto: no change" in out
    assert "Weights: Production-oriented 0.00 → 1.00 (+1.00); Product/service-development-" in out
    for unit_id in ("rnd", "plant", "sales"):  # names, not ids, in the prose
        assert f" {unit_id}\n" not in out
        assert f" {unit_id}:" not in out


def test_the_history_in_finnish_with_a_decimal_comma(
    capsys: pytest.CaptureFixture[str], saved: str
) -> None:
    code, out, _ = _run(capsys, "history", KEY, "--db", saved, "--lang", "fi", "--unit", "rnd")
    assert code == 0
    assert out.startswith("Pohjolan Konepaja Oy: 5 tallennettua arviointia\n")
    assert "Muutokset 15.1.2025 klo 9.30 UTC \u2013 16.1.2025 klo 9.30 UTC:" in out
    assert "Vallitseva toimintatapa: Tuote-/palvelukehityslähtöinen → Tuotantolähtöinen" in out
    assert (
        "Painot: Tuotantolähtöinen 0,00 → 1,00 (+1,00); Tuote-/palvelukehityslähtöinen 0,93" in out
    )
    assert "Havainto nyt kohtalainen (aiemmin vakava)" in out
    assert "Tampereen tehdas" not in out  # one unit only


def test_a_single_assessment_has_nothing_to_compare(
    capsys: pytest.CaptureFixture[str], database: str
) -> None:
    assert _run(capsys, "assess", MANUFACTURER, "--save", "--db", database)[0] == 0
    code, out, _ = _run(capsys, "history", NAME, "--db", database)
    assert code == 0
    assert "One saved assessment: nothing to compare yet" in out


def test_history_delete_erases_and_says_how_many(
    capsys: pytest.CaptureFixture[str], saved: str
) -> None:
    day = (START + timedelta(days=2)).date().isoformat()
    code, out, _ = _run(capsys, "history", "delete", NAME, "--before", day, "--db", saved)
    assert (code, out) == (0, "erased 2 saved assessments of Pohjolan Konepaja Oy\n")
    code, out, _ = _run(capsys, "history", "delete", KEY, "--db", saved, "--lang", "fi")
    assert (code, out) == (0, "poistettu 3 tallennettua arviointia (Pohjolan Konepaja Oy)\n")
    code, _, err = _run(capsys, "history", NAME, "--db", saved)
    assert code == 2
    assert "no saved assessments of 'Pohjolan Konepaja Oy' (nothing is saved yet)" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["history", "delete", "x", "y"], "expected `history ORG` or `history delete ORG`"),
        (["history", "a", "b"], "expected `history ORG` or `history delete ORG`"),
        (["history", "delete", NAME, "--unit", "rnd"], "--unit: `history delete` erases whole"),
        (["history", NAME, "--before", "2026-01-01"], "--before belongs to `history delete ORG`"),
        (
            ["history", "delete", NAME, "--before", "2026-02-30"],
            "--before: '2026-02-30' is not a date",
        ),
        (["history", "Pohjolan Konepaja"], "did you mean 'pohjolan-konepaja-oy'?"),
        (["history", NAME, "--unit", "rdn"], "no unit 'rdn' in the saved assessments"),
    ],
)
def test_a_mistake_exits_2_with_a_located_message(
    capsys: pytest.CaptureFixture[str], saved: str, args: list[str], message: str
) -> None:
    code, out, err = _run(capsys, *args, "--db", saved)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_a_database_of_a_newer_version_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import sqlite3

    path = tmp_path / "newer.sqlite3"
    HistoryStore.open(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE modeadvisor_schema SET version = 3")
    connection.close()
    for args in (["history", NAME], ["assess", MANUFACTURER, "--save"]):
        code, out, err = _run(capsys, *args, "--db", str(path))
        assert code == 2
        assert "schema version is 3, newer than this modeadvisor knows (2)" in err
        assert out == ""  # nothing written when the assessment cannot be saved


def test_a_bad_url_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "history", NAME, "--db", "postgress://u:hidden@h/db")
    assert code == 2
    assert "unsupported database 'postgress' (did you mean 'postgres'?" in err
    assert "hidden" not in err


def test_without_the_extra_the_commands_name_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "modeadvisor.history._store", None)  # as if not installed
    db = str(tmp_path / "h.sqlite3")
    for args, command in (
        (["history", NAME, "--db", db], "history"),
        (["assess", MANUFACTURER, "--save", "--db", db], "assess --save"),
        (["report", MANUFACTURER, "--db", db], "report --db"),
    ):
        code, _, err = _run(capsys, *args)
        assert code == 2
        assert f"`modeadvisor {command}` needs the history extra" in err
        assert "pip install 'modeadvisor[history]'" in err


def test_the_report_draws_weights_over_time_when_asked(
    capsys: pytest.CaptureFixture[str],
    saved: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, html, _ = _run(capsys, "report", MANUFACTURER, "--db", saved)
    assert code == 0
    drawn = re.findall(r'<svg class="timeline" id="timeline-([^"]+)"', html)
    assert drawn == ["group", "plant", "rnd"]  # each unit of the report with two or more
    assert html.count('<g class="mode"') == 3 * 4  # a line per mode
    assert "5 saved assessments, oldest first" in html
    assert "2025-01-19" in html  # the last assessment's date under the axis
    assert "Weights over time" in html
    plain = _run(capsys, "report", MANUFACTURER)[1]
    assert '<svg class="timeline"' not in plain  # no database asked for: none read
    monkeypatch.setenv("MODEADVISOR_HISTORY_DB", saved)
    assert _run(capsys, "report", MANUFACTURER, "--history")[1] == html


def test_a_report_on_a_database_without_the_organisation_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, html, err = _run(capsys, "report", MANUFACTURER, "--db", str(tmp_path / "empty.db"))
    assert code == 0
    assert '<svg class="timeline"' not in html
    assert "no saved assessments of 'Pohjolan Konepaja Oy'" in err


def test_history_json_is_the_store_s_answer(capsys: pytest.CaptureFixture[str], saved: str) -> None:
    code, out, _ = _run(capsys, "history", NAME, "--db", saved, "--format", "json")
    assert code == 0
    with HistoryStore.open(saved) as store:
        expected = store.history(NAME)
    assert History.model_validate_json(out) == expected
    assert json.loads(out)["assessments"][0]["assessed_at"] == "2025-01-15T09:30:00Z"


def test_assess_save_with_show_respondents_exits_2_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], database: str
) -> None:
    args = ["assess", MANUFACTURER, "--save", "--db", database, "--show-respondents"]
    code, out, err = _run(capsys, *args)
    assert code == 2
    assert out == ""
    assert "assess without --show-respondents to save" in err


def test_reading_a_database_that_is_not_there_makes_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped --db of `history`, `history delete` or `report` is said, and no empty database
    (nor its folder) is left where it pointed; only saving makes one."""
    missing = tmp_path / "typo" / "history.sqlite3"
    assert main(["history", NAME, "--db", str(missing)]) == 2
    assert "no history database here: nothing has been saved to it" in capsys.readouterr().err
    assert main(["history", "delete", NAME, "--db", str(missing), "--lang", "fi"]) == 2
    assert "tässä ei ole historiatietokantaa" in capsys.readouterr().err
    example = str(ROOT / "examples" / "manufacturer.yaml")
    page = tmp_path / "report.html"
    assert main(["report", example, "--db", str(missing), "-o", str(page)]) == 0
    assert "no saved assessments of 'Pohjolan Konepaja Oy'" in capsys.readouterr().err
    assert page.exists()
    assert not missing.parent.exists()
    assert main(["assess", example, "--save", "--db", str(missing)]) == 0
    assert missing.exists()
    with pytest.raises(Exception, match="no history database here"):
        HistoryStore.open(tmp_path / "other.sqlite3", create=False)
