"""Tables end to end: every input format gives each unit the advice `assess` gives it, the
CSV readers (pyarrow's and Python's) read the same file the same way, mistakes are located and
capped, and `modeadvisor batch` writes every output format, without pyarrow where it can."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeadvisor import Advisor, KnowledgeBase, LimitError, OrganisationError
from modeadvisor.cli import main
from modeadvisor.errors import ModeAdvisorError
from modeadvisor.limits import Limits
from modeadvisor.tables import BatchResult, Table, assess_table, read_table, write_advice
from modeadvisor.tables import _csv as csv_module
from modeadvisor.tables._encoding import Encoder

from .conftest import DATA
from .strategies import units as unit_values

HEALTH = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
MINI = ["--rules", str(DATA / "mini")]


@pytest.fixture(scope="module")
def vectorised(shipped_kb: KnowledgeBase) -> Advisor:
    return Advisor(shipped_kb, backend="vectorised")


@pytest.fixture
def no_pyarrow(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without the arrow extra: importing pyarrow fails."""
    for name in [m for m in sys.modules if m == "pyarrow" or m.startswith("pyarrow.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyarrow", None)


# --- one table in every format ------------------------------------------------------------


def _rows(kb: KnowledgeBase, data: st.DataObject) -> list[dict[str, Any]]:
    """Units as rows of typed values: sets as lists, models in use as `a;b`."""
    rows = []
    for unit in data.draw(unit_values(kb, max_units=8)):
        row: dict[str, Any] = {"unit": unit["id"]}
        for trait, value in unit["traits"].items():
            if value != []:  # an empty set has no spelling in a CSV cell
                row[trait] = sorted(value) if isinstance(value, list) else value
        used = data.draw(st.lists(st.sampled_from(sorted(kb.models)), max_size=3, unique=True))
        row["models_in_use"] = ";".join(used)
        rows.append(row)
    return rows


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return "" if value is None else str(value)


def _columns(kb: KnowledgeBase, rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    names = ["unit", *kb.traits, "models_in_use"]
    return {name: [row.get(name) for row in rows] for name in names}


def _sources(kb: KnowledgeBase, rows: list[dict[str, Any]], folder: Path) -> Iterator[Any]:
    """The same table as rows, CSV (comma and Excel's semicolon), and, where pyarrow is
    installed, a pyarrow Table, Parquet, an Arrow file, a RecordBatch, a RecordBatchReader,
    an Arrow stream, Feather, JSON Lines, pandas and polars frames."""
    columns = _columns(kb, rows)
    yield rows
    for name, delimiter in (("units.csv", ","), ("excel.csv", ";")):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows([_text(v) for v in row] for row in zip(*columns.values(), strict=True))
        (folder / name).write_bytes(out.getvalue().encode("utf-8-sig"))
        yield folder / name
    pa = pytest.importorskip("pyarrow")
    table = pa.table({name: pa.array(values) for name, values in columns.items()})
    yield table
    pa.parquet = pytest.importorskip("pyarrow.parquet")
    pa.parquet.write_table(table, folder / "units.parquet")
    yield folder / "units.parquet"
    with (
        pa.OSFile(str(folder / "units.arrow"), "wb") as sink,
        pa.ipc.new_file(sink, table.schema) as writer,
    ):
        writer.write_table(table)
    yield folder / "units.arrow"
    yield table.combine_chunks().to_batches()[0] if rows else table  # a RecordBatch
    yield pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=3))
    with (
        pa.OSFile(str(folder / "units.arrows"), "wb") as sink,
        pa.ipc.new_stream(sink, table.schema) as writer,
    ):
        writer.write_table(table, max_chunksize=3)
    yield folder / "units.arrows"  # the IPC stream format
    pytest.importorskip("pyarrow.feather").write_feather(table, folder / "units.feather")
    yield folder / "units.feather"
    lines = [json.dumps({k: v for k, v in row.items() if v is not None}) for row in rows]
    (folder / "units.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    yield folder / "units.jsonl"
    pandas = pytest.importorskip("pandas")
    yield pandas.DataFrame(rows)
    polars = pytest.importorskip("polars")
    yield polars.from_arrow(table)


def _same_conflicts(kb: KnowledgeBase, result: BatchResult, row: int, full: Any) -> None:
    """The rules about a single unit that flag the row are the conflicts its full Advice has:
    each such conflict is flagged, and each flag is a conflict of its kind (findings of one
    kind fold into one, named by one of their rules)."""
    kinds = {rule.id: rule.spec.kind for rule in kb.conflicts if rule.id in result.rules}
    flagged = {rule for rule, flags in result.conflict_flags.items() if flags[row]}
    assert {c.rule for c in full.conflicts if c.rule in kinds} <= flagged
    assert {kinds[rule] for rule in flagged} <= {c.kind for c in full.conflicts}


def _columns_of(result: BatchResult) -> list[Any]:
    return [
        result.ids,
        result.status,
        result.dominant,
        result.mixed.tolist(),
        result.weights.tolist(),
        result.top_recommendations,
        {rule: flags.tolist() for rule, flags in result.conflict_flags.items()},
    ]


@settings(max_examples=15, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_every_format_gives_each_unit_the_advice_assess_gives(
    vectorised: Advisor, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    kb = vectorised.knowledge_base
    rows = _rows(kb, data)
    folder = tmp_path_factory.mktemp("formats")
    # the reference: each unit assessed on its own, from its typed values
    typed = [
        {"id": row["unit"], "traits": {k: v for k, v in row.items() if k in kb.traits},
         "models_in_use": [m for m in row["models_in_use"].split(";") if m]}
        for row in rows
    ]  # fmt: skip
    advice = [vectorised.assess({"organisation": u["id"], "units": [u]}) for u in typed]
    for source in _sources(kb, rows, folder):
        result = vectorised.assess_many(source)
        assert len(result) == len(rows), type(source)
        for i, full in enumerate(advice):
            unit = full.units[0]
            assert result.ids[i] == unit.id
            assert result.status[i] == unit.profile.status
            assert result.dominant[i] == unit.profile.dominant
            assert bool(result.mixed[i]) == unit.profile.mixed
            assert [round(float(w), 4) for w in result.weights[i]] == list(
                unit.profile.weights.values()
            )
            assert result.top_recommendations[i] == [m.model for m in unit.recommendations][:3]
            _same_conflicts(kb, result, i, full)
        # and each unit's full Advice on demand is the one `assess` gives
        last = len(rows) - 1
        assert vectorised.advice_for(result, last).to_json() == advice[last].to_json()


def test_the_formats_agree_column_for_column(vectorised: Advisor, tmp_path: Path) -> None:
    kb = vectorised.knowledge_base
    rows = _sample_rows()
    results = [_columns_of(vectorised.assess_many(s)) for s in _sources(kb, rows, tmp_path)]
    assert all(found == results[0] for found in results[1:])
    assert kb  # the shipped pack


def _sample_rows() -> list[dict[str, Any]]:
    return [
        {"unit": f"u{i}", "cost_focus": 1 + i % 5, "risk_taking_accepted": i % 2 == 0,
         "project_work_share": i * 1.25, "sector": ["public", "private"][i % 2],
         "customer_value_basis": ["low_price", "tailored_service"][: i % 3],
         "models_in_use": "balanced_scorecard" if i % 4 else ""}
        for i in range(40)
    ]  # fmt: skip


def test_the_advice_written_from_every_format_is_the_result(
    vectorised: Advisor, tmp_path: Path
) -> None:
    """What `modeadvisor batch` writes (write_advice) from each input is the BatchResult of
    the same input, column for column (Parquet) and byte for byte (CSV, JSON Lines)."""
    pq = pytest.importorskip("pyarrow.parquet")
    kb = vectorised.knowledge_base
    kinds = ("csv", "jsonl", "parquet")
    fresh = [list(_sources(kb, _sample_rows(), tmp_path)) for _ in range(len(kinds) + 1)]
    for source, *again in zip(*fresh, strict=True):  # a RecordBatchReader is read once
        result = vectorised.assess_many(source)
        written = {}
        for kind, same in zip(kinds, again, strict=True):
            out = io.BytesIO()
            assert write_advice(kb, same, out, kind) == len(result)
            written[kind] = out.getvalue()
        assert written["csv"].decode("utf-8") == result.to_csv(), type(source)
        assert pq.read_table(io.BytesIO(written["parquet"])).equals(result.to_arrow())
        lines = [json.loads(line) for line in written["jsonl"].decode("utf-8").splitlines()]
        assert [line["unit"] for line in lines] == result.ids
        assert [line["top_recommendations"] for line in lines] == result.top_recommendations


@pytest.mark.usefixtures("no_pyarrow")
def test_without_pyarrow_rows_csv_and_frames_give_the_same_advice(
    vectorised: Advisor, tmp_path: Path
) -> None:
    """The Python paths (the csv module, frames as lists) give what the columnar ones give."""
    pandas = pytest.importorskip("pandas")
    rows = _sample_rows()
    path = tmp_path / "units.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, list(rows[0]))
        writer.writeheader()
        writer.writerows({k: _text(v) for k, v in row.items()} for row in rows)
    found = [_columns_of(vectorised.assess_many(s)) for s in (rows, path, pandas.DataFrame(rows))]
    assert found[1] == found[0]
    assert found[2] == found[0]
    assert found[0][0] == [row["unit"] for row in rows]


# --- the two CSV readers read the same ------------------------------------------------------

_CELLS = st.one_of(
    st.sampled_from(["", " ", "4", "4,0", "9", "x", "kyllä", "ei", "12,5", "1e3", "low_price"]),
    st.text(alphabet=' ,;"\n\r\t4xé', max_size=4),
)


def _messy_csv(data: st.DataObject) -> bytes:
    header = data.draw(
        st.lists(
            st.sampled_from(["unit", "cost_focus", "risk_taking_accepted", "sector", "", "x"]),
            min_size=1,
            max_size=5,
        )
    )
    lines = [",".join(header)]
    for _ in range(data.draw(st.integers(0, 8))):
        cells = data.draw(st.lists(_CELLS, min_size=0, max_size=len(header) + 1))
        if data.draw(st.booleans()):  # written properly, quoted where needed
            out = io.StringIO()
            csv.writer(out, lineterminator="").writerow(cells)
            lines.append(out.getvalue())
        else:  # as a person might type it
            lines.append(",".join(cells))
    end = data.draw(st.sampled_from(["\n", "\r\n"]))
    return (end.join(lines) + end).encode("utf-8")


def _outcome(kb: KnowledgeBase, path: Path) -> Any:
    try:
        table = read_table(kb, path)
    except ModeAdvisorError as error:
        return [(p.location.line, p.location.column, p.message, p.hint) for p in error.problems]
    return table.ids, table.values, table.in_use


@settings(max_examples=300, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_pyarrow_and_the_csv_module_read_any_file_alike(
    shipped_kb: KnowledgeBase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    data: st.DataObject,
) -> None:
    pytest.importorskip("pyarrow")
    path = tmp_path / "units.csv"
    path.write_bytes(_messy_csv(data))
    monkeypatch.setattr(csv_module, "BLOCK_BYTES", data.draw(st.sampled_from([64, 1 << 20])))
    monkeypatch.setattr(csv_module, "BATCH_ROWS", data.draw(st.sampled_from([1, 3, 1 << 16])))
    with_arrow = _outcome(shipped_kb, path)
    with monkeypatch.context() as without:
        without.setitem(sys.modules, "pyarrow", None)
        assert _outcome(shipped_kb, path) == with_arrow


def test_rows_pyarrow_cannot_take_are_read_by_the_csv_module(
    shipped_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A short row, a blank line of spaces, a quote left open: located as the csv module
    locates them, in a file read in many small batches."""
    pytest.importorskip("pyarrow")
    monkeypatch.setattr(csv_module, "BLOCK_BYTES", 32)
    path = tmp_path / "units.csv"
    lines = ["# exported", "unit,cost_focus,sector"]
    lines += [f"u{i},{1 + i % 5},public" for i in range(30)]
    lines += ["short,4", "   ", "bad,9,public", 'open,"4,public', "more,1,public"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(OrganisationError) as raised:
        read_table(shipped_kb, path)
    found = [(p.location.line, p.location.column, p.message) for p in raised.value.problems]
    assert found == [
        (35, 2, "column 'cost_focus': 9 is out of range: 'cost_focus' is a scale (1-5)"),
        (
            36,
            2,
            "column 'cost_focus': 'cost_focus' is a scale (1-5), found '4,public\nmore,1,public'",
        ),
    ]


@pytest.mark.parametrize("batch_rows", [700, 1 << 16])  # the short row's block joined or not
def test_the_csv_module_takes_over_where_pyarrow_stopped(
    shipped_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_rows: int
) -> None:
    """Thousands of rows read by pyarrow, then a short row: the csv module reads on from the
    first row not yet delivered, none twice, none left out."""
    pytest.importorskip("pyarrow")
    monkeypatch.setattr(csv_module, "BLOCK_BYTES", 1024)
    monkeypatch.setattr(csv_module, "BATCH_ROWS", batch_rows)
    path = tmp_path / "units.csv"
    rows = [f"u{i},{1 + i % 5}" for i in range(5000)] + ["short"]
    rows += [f"v{i},{1 + i % 5}" for i in range(10)]
    path.write_text("unit,cost_focus\n" + "\n".join(rows) + "\n", encoding="utf-8")
    table = read_table(shipped_kb, path)
    assert table.ids == [row.split(",")[0] for row in rows]
    assert table.values[5000] == {}
    path.write_text(path.read_text("utf-8") + "bad,9\n", encoding="utf-8")
    with pytest.raises(OrganisationError) as raised:
        read_table(shipped_kb, path)
    assert [(p.location.line, p.location.column) for p in raised.value.problems] == [(5013, 2)]


def test_bad_cells_past_the_first_batches_are_located_and_capped(
    shipped_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyarrow")
    monkeypatch.setattr(csv_module, "BLOCK_BYTES", 4096)
    monkeypatch.setattr(csv_module, "BATCH_ROWS", 1000)
    path = tmp_path / "units.csv"
    lines = ["unit,cost_focus,sector", ",,"]  # a blank row first: lines are not rows
    lines += [f"u{i},{9 if i % 7 == 3 else 4},{'privat' if i == 5000 else 'public'}"
              for i in range(6000)]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(OrganisationError) as raised:
        read_table(shipped_kb, path)
    located = [p for p in raised.value.problems if p.location.line is not None]
    (more,) = [p for p in raised.value.problems if p.location.line is None]
    assert len(located) == 100
    assert located[0].location.line == 6  # u3, after the header and the blank row
    assert located[99].location.line == 7 * 99 + 6
    bad = 6000 // 7 + 1  # every 7th from u3 on, and one sector
    assert more.message == f"{bad - 100:,} more problems are not listed; the first 100 are"


# --- limits ---------------------------------------------------------------------------------


def test_a_large_file_is_read_in_batches_up_to_the_row_bound(
    shipped_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyarrow")
    monkeypatch.setattr(csv_module, "BLOCK_BYTES", 1024)
    monkeypatch.setattr(csv_module, "BATCH_ROWS", 500)
    path = tmp_path / "units.csv"
    path.write_text(
        "unit,cost_focus\n" + "".join(f"u{i},{1 + i % 5}\n" for i in range(3000)), "utf-8"
    )
    with pytest.raises(LimitError) as raised:
        assess_table(shipped_kb, path, limits=Limits(max_table_rows=2500))
    (problem,) = raised.value.problems
    assert (problem.location.line, problem.message) == (
        2502,
        "more than 2,500 rows; the limit is 2,500",
    )
    assert len(assess_table(shipped_kb, path, limits=Limits(max_table_rows=3000))) == 3000


def test_pyarrows_small_blocks_are_joined_into_batches(
    shipped_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyarrow parses a CSV in small blocks (it reads a fixed number of blocks ahead, so small
    ones keep memory small); they reach the encoding joined, BATCH_ROWS rows or more a batch,
    every row once and in order, as text that the encoding makes one dictionary a column."""
    pa = pytest.importorskip("pyarrow")
    monkeypatch.setattr(csv_module, "BLOCK_BYTES", 256)
    monkeypatch.setattr(csv_module, "BATCH_ROWS", 400)
    path = tmp_path / "units.csv"
    rows = [f"u{i},{1 + i % 5},{['public', 'private'][i % 3 // 2]}" for i in range(2000)]
    path.write_text("unit,cost_focus,sector\n" + "\n,,\n".join(rows) + "\n", "utf-8")
    source = csv_module.CsvSource(shipped_kb, path, Limits())
    batches = list(source.batches())
    sizes = [batch.size for batch in batches]
    assert len(batches) > 1
    assert all(size >= 400 for size in sizes[:-1])
    assert [batch.start for batch in batches] == [sum(sizes[:i]) for i in range(len(sizes))]
    ids = [cell for batch in batches for cell in batch.cells[1].to_pylist()]
    assert ids == [row.split(",")[0] for row in rows]  # blank rows left out, none twice
    assert pa.types.is_string(batches[0].cells[3].type)
    Encoder(shipped_kb, source.layout.names).encode(batches[0].size, batches[0].cells)
    sector = batches[0].cells[3]
    distinct = sector.dictionary.to_pylist()  # one dictionary: each cell in it once
    assert len(distinct) == len(set(distinct))
    assert {"private", "public"} <= set(distinct)
    assert sector.to_pylist() == [row.split(",")[2] for row in rows[: batches[0].size]]
    assert batches[1].lines_of(np.array([0])).tolist() == [2 + 2 * sizes[0]]


@pytest.mark.parametrize("batch_rows", [300, 1 << 16])
def test_json_lines_read_by_pyarrow_in_blocks_and_the_json_module_read_alike(
    shipped_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_rows: int
) -> None:
    """Blocks joined into batches, then a line pyarrow refuses: the json module reads on from
    the first row not delivered and locates the mistakes; the same without pyarrow."""
    pytest.importorskip("pyarrow")
    monkeypatch.setattr(csv_module, "BLOCK_BYTES", 512)
    monkeypatch.setattr("modeadvisor.tables._sources.BLOCK_BYTES", 512)
    monkeypatch.setattr("modeadvisor.tables._sources.BATCH_ROWS", batch_rows)
    path = tmp_path / "units.jsonl"
    lines = [json.dumps({"unit": f"u{i}", "cost_focus": 1 + i % 5}) for i in range(1000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = read_table(shipped_kb, path)
    assert table.ids == [f"u{i}" for i in range(1000)]
    assert table.values[999] == {"cost_focus": 5}
    lines[700:700] = ["{not json", "", json.dumps({"unit": "v", "cost_focus": 9})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with_arrow = _outcome(shipped_kb, path)
    assert [line for line, *_ in with_arrow] == [701, 703]
    with monkeypatch.context() as without:
        without.setitem(sys.modules, "pyarrow", None)
        assert _outcome(shipped_kb, path) == with_arrow


@pytest.mark.parametrize("arrow", [True, False])
def test_json_lines_that_are_not_json_objects_of_text_are_located_in_either_language(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    arrow: bool,
) -> None:
    """A line that is not JSON, one that is not an object, and one whose string holds an
    escaped surrogate without its pair (which the json module reads as a string no file can
    hold: it had been an internal error on writing the unit's id) are each located by line."""
    if not arrow:
        monkeypatch.setitem(sys.modules, "pyarrow", None)
    path = tmp_path / "units.jsonl"
    path.write_text(
        '{"unit": "a", "cost_focus": 4}\n{not json\n[1, 2]\n{"unit": "b\\ud800", "cost_focus": 2}\n'
        '{"unit": "c\\ud83d\\ude00", "cost_focus": 3}\n',
        encoding="utf-8",
    )
    assert main(["batch", str(path)]) == 2
    err = capsys.readouterr().err
    assert "units.jsonl:2: not a JSON line: " in err
    assert "units.jsonl:3: not a JSON object" in err
    assert "units.jsonl:4: not a JSON line: an escaped surrogate without its pair" in err
    assert ":5:" not in err  # a pair of escapes is one character, as JSON means it
    assert main(["batch", str(path), "--lang", "fi"]) == 2
    err = capsys.readouterr().err
    assert "units.jsonl:3: rivi ei ole JSON-olio" in err
    assert "units.jsonl:4: rivi ei ole JSONia: koodinvaihtomerkitty sijaismerkki" in err


def test_a_small_csv_is_read_under_a_file_bound_raised_past_memory(
    shipped_kb: KnowledgeBase, tmp_path: Path
) -> None:
    """A small file is read whole, up to one byte past the bound: a bound of a petabyte must
    not ask for a petabyte of memory (it did: MemoryError, an internal error)."""
    path = tmp_path / "units.csv"
    path.write_text("unit,cost_focus\na,4\n", encoding="utf-8")
    table = read_table(shipped_kb, path, Limits(max_file_bytes=10**15))
    assert (table.ids, table.values) == (["a"], [{"cost_focus": 4}])
    with pytest.raises(LimitError, match="file is 20 bytes; the limit is 19"):
        read_table(shipped_kb, path, Limits(max_file_bytes=19))


@pytest.mark.parametrize("suffix", [".parquet", ".arrow", ".jsonl"])
def test_columnar_files_keep_to_both_bounds(
    shipped_kb: KnowledgeBase, tmp_path: Path, suffix: str
) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({"unit": [f"u{i}" for i in range(5)], "cost_focus": [1, 2, 3, 4, 5]})
    path = tmp_path / f"units{suffix}"
    if suffix == ".parquet":
        pq.write_table(table, path)
    elif suffix == ".arrow":
        with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as out:
            out.write_table(table)
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in table.to_pylist()), "utf-8")
    size = path.stat().st_size
    with pytest.raises(LimitError, match=f"file is {size:,} bytes; the limit is {size - 1:,}"):
        assess_table(shipped_kb, path, limits=Limits(max_file_bytes=size - 1))
    with pytest.raises(LimitError, match="rows; the limit is 4"):
        assess_table(shipped_kb, path, limits=Limits(max_table_rows=4))
    assert assess_table(shipped_kb, path, limits=Limits(max_table_rows=5)).ids == [
        f"u{i}" for i in range(5)
    ]


# --- the command ----------------------------------------------------------------------------


def _units_csv(folder: Path) -> Path:
    path = folder / "units.csv"
    path.write_text(
        "unit,cost,risky,sector,focus,project_share,models_in_use\n"
        'a,5,true,public,loyalty;cost,12.5,scorecard\n"b, with a comma",1,false,,,,\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".json", ".parquet", ".arrow"])
def test_batch_writes_the_format_its_output_file_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    pa = pytest.importorskip("pyarrow")
    source = _units_csv(tmp_path)
    out = tmp_path / f"advice{suffix}"
    assert main(["batch", str(source), *MINI, "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert main(["batch", str(source), *MINI, "--format", "csv"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[2].startswith('"b, with a comma",insufficient_evidence,,false')
    if suffix == ".csv":
        assert out.read_text("utf-8") == text
    elif suffix == ".jsonl":
        lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
        assert [line["unit"] for line in lines] == ["a", "b, with a comma"]
    elif suffix == ".json":
        assert json.loads(out.read_text("utf-8"))["units"] == ["a", "b, with a comma"]
    else:
        read = (
            pytest.importorskip("pyarrow.parquet").read_table(out)
            if suffix == ".parquet"
            else pa.ipc.open_file(pa.memory_map(str(out))).read_all()
        )
        assert read.column("unit").to_pylist() == ["a", "b, with a comma"]
        assert read.column("status").to_pylist() == ["ok", "insufficient_evidence"]


def _run_batch(args: list[str], terminal: bool, folder: Path) -> tuple[int, bytes, str]:
    """`modeadvisor batch ARGS` in a child process, its stderr a pseudo-terminal or a pipe:
    the exit code, what reached stderr, and stdout (a file: the child never waits on it)."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import termios

    command = [sys.executable, "-c", "import sys; from modeadvisor.cli import main; "
               "sys.exit(main(sys.argv[1:]))", "batch", *args]  # fmt: skip
    printed = folder / "stdout.txt"
    if not terminal:
        with printed.open("wb") as stdout:
            child = subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, check=False)
        return child.returncode, child.stderr, printed.read_text("utf-8")
    leader, follower = pty.openpty()
    size = struct.pack("HHHH", 24, 100, 0, 0)  # a new terminal has no width: tqdm draws nothing
    fcntl.ioctl(follower, termios.TIOCSWINSZ, size)
    shown = bytearray()
    try:
        with (
            printed.open("wb") as stdout,
            subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=stdout, stderr=follower
            ) as running,
        ):
            os.close(follower)
            while True:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the child closed the terminal (EIO on Linux)
                    break
                if not chunk:
                    break
                shown += chunk
        code = running.returncode
    finally:
        os.close(leader)
    return code, bytes(shown), printed.read_text("utf-8")


def test_batch_shows_a_progress_bar_on_a_terminal_and_nothing_otherwise(tmp_path: Path) -> None:
    source = tmp_path / "units.csv"
    source.write_text(
        "unit,cost\n" + "".join(f"u{i},{1 + i % 5}\n" for i in range(200)), encoding="utf-8"
    )
    out = tmp_path / "advice.csv"
    code, shown, printed = _run_batch([str(source), *MINI, "-o", str(out)], True, tmp_path)
    assert (code, printed) == (0, "")
    assert re.search(rb"batch: .*units", shown), shown  # tqdm's bar, then cleared
    assert len(out.read_text("utf-8").splitlines()) == 201
    code, shown, printed = _run_batch([str(source), *MINI], False, tmp_path)
    assert (code, shown) == (0, b"")  # a pipe gets no bar: a log stays clean
    assert printed == out.read_text("utf-8")
    code, shown, printed = _run_batch([str(source), *MINI], True, tmp_path)
    assert code == 0
    assert b"batch: " in shown
    assert b"u0," not in shown  # the advice goes to stdout, the bar alone to the terminal
    assert printed == out.read_text("utf-8")


def test_batch_names_what_it_cannot_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _units_csv(tmp_path)
    assert main(["batch", str(source), *MINI, "-o", str(tmp_path / "advice.txt")]) == 2
    assert "cannot tell the format from the extension" in capsys.readouterr().err
    assert main(["batch", str(source), *MINI, "--format", "parquet"]) == 2
    assert "give -o OUT.parquet" in capsys.readouterr().err


def test_a_table_with_mistakes_leaves_no_output_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "units.csv"
    source.write_text("unit,cost\na,4\nb,9\n", encoding="utf-8")
    out = tmp_path / "advice.csv"
    out.write_text("the advice of yesterday\n", encoding="utf-8")
    assert main(["batch", str(source), *MINI, "-o", str(out)]) == 2
    assert "units.csv:3:2: column 'cost': 9 is out of range" in capsys.readouterr().err
    assert out.read_text("utf-8") == "the advice of yesterday\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["advice.csv", "units.csv"]


@pytest.mark.usefixtures("no_pyarrow")
def test_without_pyarrow_csv_still_works_and_the_rest_names_the_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _units_csv(tmp_path)
    for kind in ("csv", "jsonl", "json"):
        assert main(["batch", str(source), *MINI, "--format", kind]) == 0
    assert main(["batch", str(source), *MINI, "-o", str(tmp_path / "advice.parquet")]) == 2
    err = capsys.readouterr().err
    assert "writing Parquet needs pyarrow, which is not installed" in err
    assert "pip install 'modeadvisor[arrow]'" in err
    (tmp_path / "units.parquet").write_bytes(b"PAR1")
    assert main(["batch", str(tmp_path / "units.parquet"), *MINI]) == 2
    assert "reading Parquet needs pyarrow" in capsys.readouterr().err


def test_the_output_is_the_same_with_and_without_pyarrow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyarrow")
    source = _units_csv(tmp_path)
    kb = Advisor.from_path(DATA / "mini").knowledge_base
    written: dict[str, list[bytes]] = {}
    for kind in ("csv", "jsonl", "json"):
        for blocked in (False, True):
            with monkeypatch.context() as patched:
                if blocked:
                    patched.setitem(sys.modules, "pyarrow", None)
                out = io.BytesIO()
                write_advice(kb, source, out, kind)
                written.setdefault(kind, []).append(out.getvalue())
    assert all(len(set(both)) == 1 for both in written.values())


# --- results as columns ---------------------------------------------------------------------


def test_a_result_converts_to_arrow_pandas_and_polars(vectorised: Advisor) -> None:
    pytest.importorskip("pyarrow")
    rows = [{"unit": "a", "cost_focus": 5, "established_way_of_working": 5,
             "output_standardisation": 5, "models_in_use": "balanced_scorecard"},
            {"unit": "b"}]  # fmt: skip
    result = vectorised.assess_many(rows)
    table = result.to_arrow()
    assert table.column_names == [
        "unit", "status", "dominant", "mixed", *result.archetypes, "top_recommendations",
        "conflicts",
    ]  # fmt: skip
    assert table.column("unit").to_pylist() == result.ids
    assert table.column("dominant").to_pylist() == result.dominant
    assert table.column("top_recommendations").to_pylist() == result.top_recommendations
    assert np.allclose(table.column(result.archetypes[0]).to_numpy(), result.weights[:, 0])
    frame = result.to_pandas()
    assert list(frame["status"]) == result.status
    assert str(frame["status"].dtype) == "category"
    pytest.importorskip("polars")
    assert result.to_polars()["unit"].to_list() == result.ids


def test_read_table_still_gives_typed_rows(shipped_kb: KnowledgeBase) -> None:
    table = read_table(shipped_kb, [{"unit": " a ", "cost_focus": "4,0"}])
    assert isinstance(table, Table)
    assert (table.ids, table.values, table.in_use) == (["a"], [{"cost_focus": 4}], [frozenset()])
    assert table == Table(["a"], [{"cost_focus": 4}], [frozenset()])
    assert len(table) == 1


def test_a_cell_longer_than_the_csv_module_allows_is_located_as_it_locates_it(
    shipped_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyarrow")
    path = tmp_path / "units.csv"
    long = "x" * (csv.field_size_limit() + 1)
    path.write_text(f"unit,cost_focus\na,4\nb,{long}\nc,5\n", encoding="utf-8")
    with_arrow = _outcome(shipped_kb, path)
    assert with_arrow[0][:2] == (3, None)
    assert "field larger than field limit" in with_arrow[0][2]
    with monkeypatch.context() as without:
        without.setitem(sys.modules, "pyarrow", None)
        assert _outcome(shipped_kb, path) == with_arrow


def test_a_mistake_in_a_parquet_row_group_larger_than_a_batch_is_located_and_leaves_no_noise(
    tmp_path: Path,
) -> None:
    """A row group of 70,000 rows is read as two batches sharing its dictionary: the first
    batch holds the bad cell in its dictionary but in none of its rows (an internal error, an
    IndexError, before), and the second reports it once the first is written to Parquet, whose
    writer is then let go of at once (pyarrow's printed "Exception ignored ... write to closed
    file" when it was collected after the stream was closed)."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    size = 70_000
    focus = ["3"] * size
    focus[69_000] = "9"
    table = pa.table({"unit": [f"u{i}" for i in range(size)], "cost_focus": focus})
    source = tmp_path / "units.parquet"
    pq.write_table(table, source, row_group_size=size)
    out = tmp_path / "advice.parquet"
    code = "import sys\nfrom modeadvisor.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    done = subprocess.run(
        [sys.executable, "-c", code, "batch", str(source), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        f"modeadvisor: {source}:69002:2: column 'cost_focus': 9 is out of range: 'cost_focus' "
        "is a scale (1-5)"
    )
    assert list(tmp_path.iterdir()) == [source]  # no advice, no partial file


@pytest.mark.parametrize(("lang", "said"), [("en", "interrupted"), ("fi", "keskeytetty")])
def test_ctrl_c_stops_a_command_with_a_word_not_a_trace(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str, said: str
) -> None:
    def interrupted(*_: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("modeadvisor.cli._run", interrupted)
    assert main(["batch", "units.csv", "--lang", lang]) == 130
    assert capsys.readouterr().err == f"modeadvisor: {said}\n"


def test_a_table_with_a_mistake_in_its_first_batch_writes_nothing_to_standard_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shipped_kb: KnowledgeBase
) -> None:
    """No header alone (which a pipeline would read as a table of no units) before the error;
    a table of no units still gets its header."""
    path = tmp_path / "units.csv"
    path.write_text("unit,cost_focus\na,9\n", encoding="utf-8")
    assert main(["batch", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "9 is out of range" in captured.err
    out = io.BytesIO()
    write_advice(shipped_kb, [], out, "csv")
    assert out.getvalue().decode().startswith("unit,status,dominant,")
