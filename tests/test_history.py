"""The assessment history: saved in SQLite and in a real PostgreSQL, read back, compared, erased;
every way a database or a request can be wrong answered with a located error."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    text,
)

from modeadvisor import (
    Advice,
    Advisor,
    HistoryError,
    KnowledgeBase,
    Organisation,
    UnknownOrganisationError,
    UnknownUnitError,
    load_knowledge_base,
)
from modeadvisor.history import HistoryStore, organisation_key
from modeadvisor.history._cli import parse_before
from modeadvisor.history._models import compare, finding_snapshots, unit_snapshots
from modeadvisor.history._schema import VERSION
from modeadvisor.history._store import database_url, default_database
from modeadvisor.knowledge import shipped_rules_dir

from .conftest import ROOT
from .histories import KEY, NAME, START, manufacturer, reorganised, save_every_kind
from .strategies import units as unit_strategy

# --- saving and reading back ---------------------------------------------------------------


def _save(store: HistoryStore, kb: KnowledgeBase, data: dict[str, Any], at: datetime) -> Advice:
    advice = Advisor(kb, backend="vectorised").assess(data)
    store.save(advice, Organisation.model_validate(data), kb, at=at)
    return advice


def test_an_assessment_comes_back_as_it_was_saved(database: str, shipped_kb: KnowledgeBase) -> None:
    data = manufacturer()
    with HistoryStore.open(database) as store:
        advice = _save(store, shipped_kb, data, START)
        (found,) = store.assessments(NAME)
        whole = store.stored(found.id)
    assert found.organisation == KEY
    assert found.name == NAME
    assert found.assessed_at == START
    assert found.assessed_at.tzinfo is not None
    assert [(p.id, p.hash) for p in found.packs] == [("core", shipped_kb.hashes["core"])]
    assert found.packs[0].hash.startswith("sha256:")
    assert [u.id for u in found.units] == ["group", "plant", "rnd"]
    assert whole.advice.to_json() == advice.to_json()  # the same bytes
    assert whole.input == Organisation.model_validate(data).model_dump(
        mode="json", exclude_defaults=True
    )
    assert whole.assessment == found


def test_a_moment_in_another_zone_is_kept_in_utc(database: str, shipped_kb: KnowledgeBase) -> None:
    helsinki = START.astimezone(datetime.fromisoformat("2025-01-01T00:00+02:00").tzinfo)
    with HistoryStore.open(database) as store:
        _save(store, shipped_kb, manufacturer(), helsinki)
        (found,) = store.assessments(KEY)
    assert found.assessed_at == START
    assert found.assessed_at.utcoffset() == timedelta(0)


def test_changes_name_every_kind_of_change(
    database: str, shipped_kb: KnowledgeBase, tmp_path: Path
) -> None:
    with HistoryStore.open(database) as store:
        ids = save_every_kind(store, shipped_kb, tmp_path)
        history = store.history(NAME)
    assert [a.id for a in history.assessments] == ids
    first, second, third, fourth = history.changes
    units = {u.unit: u for u in first.units}
    assert units["plant"].presence == "removed"
    assert units["sales"].presence == "added"
    rnd = units["rnd"]
    assert (rnd.dominant_before, rnd.dominant_after) == ("development", "production")
    moved = {w.archetype: w for w in rnd.weights}
    assert moved["production"].after > moved["production"].before
    assert "balanced_scorecard" in rnd.recommended_added
    assert "milestone_project_followup" in rnd.recommended_removed
    assert {f.id: (f.before, f.after) for f in rnd.findings}[
        "measurement_misfit:balanced_scorecard"
    ] == ("high", None)
    assert first.packs_changed == []
    assert second.packs_changed == ["core"]
    assert not any(u.changed for u in second.units)
    assert history.units["sales"] == "Myynti"
    severity = {f.id: (f.before, f.after) for f in fourth.findings}
    assert severity["measurement_misfit:balanced_scorecard"] == ("high", "medium")
    assert third.packs_changed == ["core"]


def test_one_unit_alone(database: str, shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    with HistoryStore.open(database) as store:
        save_every_kind(store, shipped_kb, tmp_path)
        found = store.assessments(NAME, unit="rnd")
        changes = store.changes(NAME, unit="rnd")
        plant = store.assessments(NAME, unit="plant")
    assert all([u.id for u in a.units] == ["rnd"] for a in found)
    assert all([u.unit for u in c.units] == ["rnd"] for c in changes)
    assert all(
        f.id in {g.id for u in c.units for g in u.findings} for c in changes for f in c.findings
    )
    assert [len(a.units) for a in plant] == [1, 0, 0, 1, 1]  # gone while reorganised


def test_erasure_removes_all_or_what_came_before(
    database: str, shipped_kb: KnowledgeBase, tmp_path: Path
) -> None:
    with HistoryStore.open(database) as store:
        save_every_kind(store, shipped_kb, tmp_path)
        _save(store, shipped_kb, {**manufacturer(), "organisation": "Other Oy"}, START)
        assert store.delete(NAME, before=START + timedelta(days=2)) == 2
        assert [a.assessed_at for a in store.assessments(NAME)] == [
            START + timedelta(days=d) for d in (2, 3, 4)
        ]
        assert store.delete(KEY) == 3
        with pytest.raises(HistoryError, match="no saved assessments of 'Pohjolan Konepaja Oy'"):
            store.assessments(NAME)
        assert len(store.assessments("Other Oy")) == 1  # another organisation is untouched
        assert store.organisations() == {"other-oy": "Other Oy"}


# --- what changes says, for all inputs -----------------------------------------------------


def _reference(before: Advice, after: Advice, unit: str) -> dict[str, Any]:
    """What changed for one unit, read straight from the two advices."""
    old = {u.id: u for u in before.units}.get(unit)
    new = {u.id: u for u in after.units}.get(unit)
    old_recs = [m.model for m in old.recommendations] if old else []
    new_recs = [m.model for m in new.recommendations] if new else []

    def findings(advice: Advice) -> dict[str, str]:
        return {c.id: c.severity for c in advice.conflicts if unit in c.units}

    was, now = findings(before), findings(after)
    return {
        "dominant": (
            old.profile.dominant if old else None,
            new.profile.dominant if new else None,
        ),
        "weights": {
            a: (
                old.profile.weights.get(a, 0.0) if old else 0.0,
                new.profile.weights.get(a, 0.0) if new else 0.0,
            )
            for a in after.archetypes
        },
        "added": [m for m in new_recs if m not in old_recs],
        "removed": [m for m in old_recs if m not in new_recs],
        "findings": {f: (was.get(f), now.get(f)) for f in {*was, *now} if was.get(f) != now.get(f)},
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_changes_are_the_difference_of_the_two_advices(
    data: st.DataObject, shipped_kb: KnowledgeBase, advisor: Advisor, tmp_path_factory: Any
) -> None:
    """Two generated organisations of the same name, saved and compared: for every unit, what
    `changes` says is what the two advices differ in."""
    kb_units = unit_strategy(shipped_kb, max_units=3)
    first = {"organisation": "Generated Oy", "units": data.draw(kb_units)}
    second = {"organisation": "Generated Oy", "units": data.draw(kb_units)}
    database = tmp_path_factory.mktemp("property") / "history.sqlite3"
    with HistoryStore.open(database) as store:
        advices = [
            _save(store, shipped_kb, o, START + timedelta(days=i))
            for i, o in enumerate((first, second))
        ]
        (change,) = store.changes("Generated Oy")
    before, after = advices
    every = [u.id for u in after.units] + [
        u.id for u in before.units if u.id not in {v.id for v in after.units}
    ]
    assert [u.unit for u in change.units] == every
    for unit in change.units:
        expected = _reference(before, after, unit.unit)
        assert (unit.dominant_before, unit.dominant_after) == expected["dominant"]
        for weight in unit.weights:
            assert (weight.before, weight.after) == expected["weights"][weight.archetype]
            assert abs(weight.before + weight.change - weight.after) < 1e-9
        assert unit.recommended_added == expected["added"]
        assert unit.recommended_removed == expected["removed"]
        assert {f.id: (f.before, f.after) for f in unit.findings} == expected["findings"]


def test_comparing_an_assessment_with_itself_finds_nothing(shipped_kb: KnowledgeBase) -> None:
    from modeadvisor.history import Assessment

    advice = Advisor(shipped_kb, backend="vectorised").assess(
        ROOT / "examples" / "municipality.yaml"
    )
    made = Assessment(
        id=1,
        organisation="x",
        name="x",
        assessed_at=START,
        language="en",
        packs=[],
        archetypes=dict(advice.archetypes),
        units=unit_snapshots(advice),
        findings=finding_snapshots(advice),
    )
    change = compare(made, made.model_copy(update={"id": 2}))
    assert change.findings == []
    assert not any(u.changed for u in change.units)


@given(st.text(max_size=60))
def test_an_organisation_key_is_url_safe_and_stable(name: str) -> None:
    key = organisation_key(name)
    assert key
    assert len(key) <= 100
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in key)
    assert organisation_key(key) == key


def test_organisation_keys_read_as_the_name() -> None:
    assert organisation_key("Pohjolan Konepaja Oy") == "pohjolan-konepaja-oy"
    assert organisation_key("Ääneseudun Äly-kaupunki") == "aaneseudun-aly-kaupunki"
    assert organisation_key("—").startswith("org-")
    assert organisation_key("../../etc/passwd") == "etc-passwd"


# --- the schema version ----------------------------------------------------------------------


def _execute(url: str, *statements: str) -> list[Any]:
    """Run SQL on the database straight, as another program would; the last one's rows."""
    engine = create_engine(database_url(url))
    try:
        with engine.begin() as connection:
            rows: list[Any] = []
            for statement in statements:
                result = connection.execute(text(statement))
                rows = list(result.all()) if result.returns_rows else []
            return rows
    finally:
        engine.dispose()


def test_a_new_database_records_its_version(database: str) -> None:
    HistoryStore.open(database).close()
    assert _execute(database, "SELECT version FROM modeadvisor_schema") == [(VERSION,)]
    HistoryStore.open(database).close()  # opening again changes nothing
    assert _execute(database, "SELECT version FROM modeadvisor_schema") == [(VERSION,)]


def test_a_newer_database_is_refused(database: str) -> None:
    HistoryStore.open(database).close()
    _execute(database, "UPDATE modeadvisor_schema SET version = 99")
    with pytest.raises(HistoryError, match=r"schema version is 99, newer than .* knows \(2\)"):
        HistoryStore.open(database)


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO modeadvisor_schema (version) VALUES (2)",  # two rows
        "DELETE FROM modeadvisor_schema",  # none
        "UPDATE modeadvisor_schema SET version = 0",
    ],
)
def test_an_unreadable_version_is_refused(database: str, statement: str) -> None:
    HistoryStore.open(database).close()
    _execute(database, statement)
    with pytest.raises(HistoryError, match="schema version is unreadable"):
        HistoryStore.open(database)


def test_tables_without_a_version_are_refused(database: str) -> None:
    HistoryStore.open(database).close()
    _execute(database, "DROP TABLE modeadvisor_schema")
    with pytest.raises(HistoryError, match="no modeadvisor_schema table"):
        HistoryStore.open(database)


def test_other_tables_in_the_database_are_left_alone(database: str) -> None:
    _execute(database, "CREATE TABLE someone_elses (x INTEGER)")
    HistoryStore.open(database).close()
    assert _execute(database, "SELECT count(*) FROM someone_elses") == [(0,)]


def _version_1(url: str, advices: list[tuple[str, Advice, datetime]]) -> None:
    """A database as version 1 of the store wrote it: the assessments alone."""
    metadata = MetaData()
    Table("modeadvisor_schema", metadata, Column("version", Integer, nullable=False))
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
    )
    engine = create_engine(database_url(url))
    with engine.begin() as connection:
        metadata.create_all(connection)
        connection.execute(text("INSERT INTO modeadvisor_schema (version) VALUES (1)"))
        for name, advice, at in advices:
            connection.execute(
                assessments.insert().values(
                    organisation=organisation_key(name),
                    name=name,
                    assessed_at=at,
                    language=advice.language,
                    packs=json.dumps([{"id": "core", "hash": "sha256:0"}]),
                    input="{}",
                    advice=advice.to_json(),
                )
            )
    engine.dispose()


def test_a_version_1_database_is_upgraded(database: str, shipped_kb: KnowledgeBase) -> None:
    advisor = Advisor(shipped_kb, backend="vectorised")
    before = advisor.assess(manufacturer())
    after = advisor.assess(reorganised())
    _version_1(database, [(NAME, before, START), (NAME, after, START + timedelta(days=1))])
    with HistoryStore.open(database) as store:
        history = store.history(NAME)
    assert _execute(database, "SELECT version FROM modeadvisor_schema") == [(2,)]
    assert [len(a.units) for a in history.assessments] == [3, 3]
    (change,) = history.changes
    rnd = {u.unit: u for u in change.units}["rnd"]
    assert (rnd.dominant_before, rnd.dominant_after) == ("development", "production")


# --- where the database is, and when it cannot be used ---------------------------------------


def test_the_default_database_is_in_the_users_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("MODEADVISOR_HISTORY_DB", raising=False)
    assert default_database() == str(tmp_path / "data" / "modeadvisor" / "history.sqlite3")
    HistoryStore.open().close()
    assert (tmp_path / "data" / "modeadvisor" / "history.sqlite3").is_file()
    monkeypatch.setenv("MODEADVISOR_HISTORY_DB", str(tmp_path / "elsewhere.db"))
    HistoryStore.open().close()
    assert (tmp_path / "elsewhere.db").is_file()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u:p@localhost/db", r"unsupported database 'mysql'.*sqlite:///PATH"),
        (
            "postgresq://u:p@localhost/db",
            r"unsupported database 'postgresq' \(did you mean 'postgresql'",
        ),
        ("postgresql://u:p@localhost:port/db", "not a database URL"),
    ],
)
def test_a_bad_url_is_a_located_error(url: str, message: str) -> None:
    with pytest.raises(HistoryError, match=message) as caught:
        HistoryStore.open(url)
    assert ":p@" not in str(caught.value)  # the password is never shown


def test_an_unreachable_server_is_a_clear_error() -> None:
    url = "postgresql://someone:secret-word@127.0.0.1:9/nowhere"  # the discard port: refused
    with pytest.raises(HistoryError, match="cannot open the database") as caught:
        HistoryStore.open(url)
    assert "secret-word" not in str(caught.value)
    assert "127.0.0.1:9/nowhere" in str(caught.value)


def test_a_wrong_password_is_a_clear_error(postgres_url: str) -> None:
    wrong = postgres_url.replace(":modeadvisor_test@", ":not-the-password@", 1)
    if wrong == postgres_url:
        pytest.skip("the test server's URL has no password to change")
    with pytest.raises(HistoryError, match="password authentication failed"):
        HistoryStore.open(wrong)


def test_a_folder_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    with pytest.raises(HistoryError, match="cannot make its folder"):
        HistoryStore.open(tmp_path / "file" / "history.sqlite3")


def test_a_file_that_is_no_database_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a database " * 100, encoding="utf-8")
    with pytest.raises(HistoryError, match="file is not a database"):
        HistoryStore.open(tmp_path / "notes.txt")


def test_an_unknown_organisation_or_unit_says_what_is_there(
    database: str, shipped_kb: KnowledgeBase
) -> None:
    with HistoryStore.open(database) as store:
        with pytest.raises(UnknownOrganisationError, match="nothing is saved yet"):
            store.history(NAME)
        _save(store, shipped_kb, manufacturer(), START)
        with pytest.raises(HistoryError, match="did you mean 'pohjolan-konepaja-oy'"):
            store.history("Pohjolan Konepaja")
        with pytest.raises(HistoryError, match="did you mean 'pohjolan-konepaja-oy'"):
            store.delete("pohjolan-konepaja")
        with pytest.raises(UnknownUnitError, match="did you mean 'rnd'"):
            store.history(NAME, unit="rdn")
        with pytest.raises(UnknownOrganisationError, match="no saved assessment 999"):
            store.stored(999)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", datetime(2026, 3, 1, tzinfo=UTC)),
        ("2026-03-01T12:30", datetime(2026, 3, 1, 12, 30, tzinfo=UTC)),
        ("2026-03-01T12:30:00+02:00", datetime(2026, 3, 1, 10, 30, tzinfo=UTC)),
        ("2026-03-01T12:30:00Z", datetime(2026, 3, 1, 12, 30, tzinfo=UTC)),
    ],
)
def test_before_reads_a_day_or_a_moment(text: str, expected: datetime) -> None:
    assert parse_before(text) == expected


@pytest.mark.parametrize("text", ["2026-13-01", "yesterday", "1.3.2026", ""])
def test_a_bad_before_is_a_located_error(text: str) -> None:
    with pytest.raises(HistoryError, match=r"--before: .* is not a date \(expected YYYY-MM-DD"):
        parse_before(text)


# --- the pack's content hash -----------------------------------------------------------------


def test_a_pack_hash_follows_its_content(tmp_path: Path) -> None:
    import shutil

    shipped = load_knowledge_base(shipped_rules_dir())
    copied = tmp_path / "copy"
    shutil.copytree(shipped_rules_dir(), copied)
    assert load_knowledge_base(copied).hashes == shipped.hashes  # the folder does not count
    crlf = copied / "pack.yaml"
    crlf.write_bytes(crlf.read_bytes().replace(b"\n", b"\r\n"))
    assert load_knowledge_base(copied).hashes == shipped.hashes  # nor the line endings
    with (copied / "pack.yaml").open("a", encoding="utf-8") as stream:
        stream.write("# a comment\n")
    assert load_knowledge_base(copied).hashes["core"] != shipped.hashes["core"]
    (copied / "pack.yaml").rename(copied / "zz-pack.yaml")
    moved = load_knowledge_base(copied).hashes["core"]
    assert moved not in (shipped.hashes["core"],)


def test_every_layer_has_its_own_hash(tmp_path: Path) -> None:
    layer = tmp_path / "acme"
    layer.mkdir()
    (layer / "acme.yaml").write_text(
        "pack: {id: acme, name: {en: Acme}, extends: core}\n", encoding="utf-8"
    )
    kb = load_knowledge_base(layer)
    shipped = load_knowledge_base(shipped_rules_dir())
    assert list(kb.hashes) == ["core", "acme"]
    assert kb.hashes["core"] == shipped.hashes["core"]
    assert kb.with_settings(misfit_high=0.9).hashes == kb.hashes


# --- no database library at import time ------------------------------------------------------


def test_importing_modeadvisor_and_its_command_line_loads_no_optional_library() -> None:
    code = (
        "import sys, modeadvisor, modeadvisor.cli, modeadvisor.history; "
        "modeadvisor.cli._parser(); print(sorted(sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    for module in ("sqlalchemy", "psycopg", "platformdirs", "dask", "distributed"):
        assert f"'{module}'" not in loaded, module


def test_concurrent_first_opens_make_the_tables_once(
    database: str, shipped_kb: KnowledgeBase
) -> None:
    """Workers of a server open a fresh database at once: each gets a store, none an error."""
    import threading

    advice = Advisor(shipped_kb, backend="vectorised").assess(manufacturer())
    organisation = Organisation.model_validate(manufacturer())
    failures: list[BaseException] = []

    def open_and_save() -> None:
        try:
            with HistoryStore.open(database) as store:
                store.save(advice, organisation, shipped_kb, at=START)
        except BaseException as error:  # collected: a thread's exception is otherwise lost
            failures.append(error)

    threads = [threading.Thread(target=open_and_save) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert _execute(database, "SELECT version FROM modeadvisor_schema") == [(VERSION,)]
    with HistoryStore.open(database) as store:
        assert len(store.assessments(NAME)) == 6


# --- respondents stay anonymous ---------------------------------------------------------------


def _with_respondents() -> dict[str, Any]:
    data = manufacturer()
    data["respondents"] = [
        {"id": "ceo", "role": "top_management", "ratings": {"production": 5, "development": 2}},
        {"id": "cto", "unit": "rnd", "ratings": {"development": 5}},
    ]
    return data


def test_respondents_answers_are_not_kept(database: str, shipped_kb: KnowledgeBase) -> None:
    with HistoryStore.open(database) as store:
        _save(store, shipped_kb, _with_respondents(), START)
        (found,) = store.assessments(NAME)
        whole = store.stored(found.id)
    assert "respondents" not in whole.input
    assert "ceo" not in json.dumps(whole.input)
    assert whole.advice.anonymity.figures_shown is False


def test_a_working_copy_with_respondents_figures_is_not_saved(
    database: str, shipped_kb: KnowledgeBase
) -> None:
    data = _with_respondents()
    advice = Advisor(shipped_kb, backend="vectorised", show_respondents=True).assess(data)
    with HistoryStore.open(database) as store:
        with pytest.raises(HistoryError, match="below the anonymity floor"):
            store.save(advice, Organisation.model_validate(data), shipped_kb, at=START)
        assert store.organisations() == {}
