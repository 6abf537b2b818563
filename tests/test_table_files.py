"""One set of rules for every CSV a user hands in (`batch`, `survey`): the encoding given or
named in the error, the same empty-table rule, and a unit id given once."""

from __future__ import annotations

import importlib.util
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modeadvisor import Advisor, KnowledgeBase, OrganisationError
from modeadvisor import _encodings as encodings
from modeadvisor.cli import main
from modeadvisor.survey import SurveyError, read_survey
from modeadvisor.tables import read_table
from modeadvisor.tables._unique import LONG_ID, SeenIds, id_hashes, utf8_columns

from .conftest import ROOT

MODES = "production,development,customer_service,public_administration"
# a unit name and a category in Finnish, as a Finnish Excel writes them
UNITS = (
    "unit;sector;cost_focus;models_in_use\nTuotanto Jyväskylä;private;4,0;\nHallinto;public;2;\n"
)
SURVEY = f"organisation;unit;{MODES.replace(',', ';')}\nOy Äänekoski;Tehdas;5;2;3;1\n"


# --- encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_name", "codec"),
    [
        ("utf-8", "utf-8"),
        ("UTF8", "utf-8"),
        ("utf-8-sig", "utf-8"),
        ("windows-1252", "cp1252"),
        ("cp1252", "cp1252"),
        ("latin-1", "iso8859-1"),
        ("mac_roman", "mac-roman"),
    ],
)
def test_an_encoding_is_known_by_any_of_its_names(given_name: str, codec: str) -> None:
    assert encodings.checked(given_name) == codec


def test_an_unknown_or_unsplittable_encoding_is_refused_with_what_is_meant() -> None:
    with pytest.raises(ValueError, match=r"unknown encoding 'cp1525' \(did you mean 'cp1252'\?\)"):
        encodings.checked("cp1525")
    with pytest.raises(ValueError, match="unknown encoding 'hex'"):
        encodings.checked("hex")  # a codec, but of bytes, not text
    with pytest.raises(ValueError, match="save the file as CSV UTF-8"):
        encodings.checked("utf-16")


@pytest.mark.parametrize("codec", ["cp1252", "mac-roman", "iso8859-15"])
def test_a_table_in_another_encoding_reads_as_its_utf8_twin(
    shipped_kb: KnowledgeBase, tmp_path: Path, codec: str
) -> None:
    utf8, other = tmp_path / "utf8.csv", tmp_path / "other.csv"
    utf8.write_text(UNITS, encoding="utf-8")
    other.write_bytes(UNITS.encode(codec))
    assert read_table(shipped_kb, other, encoding=codec) == read_table(shipped_kb, utf8)
    survey_utf8, survey_other = tmp_path / "s8.csv", tmp_path / "so.csv"
    survey_utf8.write_text(SURVEY, encoding="utf-8")
    survey_other.write_bytes(SURVEY.encode(codec))
    read = read_survey(survey_other, shipped_kb, encoding=codec)
    assert read.to_json() == read_survey(survey_utf8, shipped_kb).to_json()


@pytest.mark.parametrize(
    ("codec", "named"), [("cp1252", "Windows-1252"), ("mac-roman", "Mac Roman")]
)
def test_both_readers_name_the_encoding_a_file_reads_as(
    shipped_kb: KnowledgeBase, tmp_path: Path, codec: str, named: str
) -> None:
    table, survey = tmp_path / "units.csv", tmp_path / "survey.csv"
    table.write_bytes(UNITS.encode(codec))
    survey.write_bytes(SURVEY.encode(codec))
    with pytest.raises(OrganisationError) as raised:
        read_table(shipped_kb, table)
    (problem,) = raised.value.problems
    assert problem.location.line == 2
    assert f"it reads as 'ä' in {named}: give --encoding {codec}" in (problem.hint or "")
    with pytest.raises(SurveyError) as raised_survey:
        read_survey(survey, shipped_kb)
    (problem,) = raised_survey.value.problems
    assert problem.location.line == 2
    assert f"it reads as 'Ä' in {named}: give --encoding {codec}" in (problem.hint or "")


def test_utf8_read_as_windows_1252_says_to_leave_the_encoding_out(
    shipped_kb: KnowledgeBase, tmp_path: Path
) -> None:
    path = tmp_path / "units.csv"
    path.write_text("unit,sector\nÁlava,private\n", encoding="utf-8")  # Á is c3 81 in UTF-8
    with pytest.raises(OrganisationError) as raised:
        read_table(shipped_kb, path, encoding="cp1252")
    (problem,) = raised.value.problems
    assert problem.message == "not Windows-1252 text: byte 0x81 (character 2 of the line)"
    assert "the line reads as UTF-8: leave --encoding out" in (problem.hint or "")


def test_encoding_is_for_csv_files_only(advisor: Advisor, tmp_path: Path) -> None:
    path = tmp_path / "units.jsonl"
    path.write_text(json.dumps({"unit": "a", "sector": "private"}) + "\n", encoding="utf-8")
    with pytest.raises(OrganisationError, match="not a CSV file"):
        advisor.assess_many(path, encoding="cp1252")
    with pytest.raises(OrganisationError, match="not a CSV file"):
        advisor.assess_many([{"unit": "a"}], encoding="cp1252")


def test_the_cli_takes_and_checks_encoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "units.csv"
    table.write_bytes(UNITS.encode("cp1252"))
    assert main(["batch", str(table), "--encoding", "cp1252", "--lang", "en"]) == 0
    assert "Tuotanto Jyväskylä" in capsys.readouterr().out
    assert main(["batch", str(table)]) == 2
    assert "give --encoding cp1252" in capsys.readouterr().err
    assert main(["batch", str(table), "--encoding", "cp-1252"]) == 2
    assert "did you mean 'cp1252'?" in capsys.readouterr().err
    survey = tmp_path / "survey.csv"
    survey.write_bytes(SURVEY.encode("cp1252"))
    assert main(["survey", str(survey), "--encoding", "cp1252", "--format", "json"]) == 0
    assert "Oy Äänekoski" in capsys.readouterr().out


# --- an empty table ------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_a_file_with_no_rows_is_refused_as_a_survey_is(
    shipped_kb: KnowledgeBase, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    path = tmp_path / f"units{suffix}"
    if suffix == ".csv":
        path.write_text("unit;cost_focus\n", encoding="utf-8")
    elif suffix == ".jsonl":
        path.write_text("\n", encoding="utf-8")
    else:
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        empty = pa.table(
            {"unit": pa.array([], pa.string()), "cost_focus": pa.array([], pa.int64())}
        )
        pq.write_table(empty, path)
    with pytest.raises(OrganisationError, match="no units: the file has a header but no rows"):
        read_table(shipped_kb, path)
    assert main(["batch", str(path)]) == 2
    assert "no units" in capsys.readouterr().err
    survey = tmp_path / "survey.csv"
    survey.write_text(f"organisation,{MODES}\n", encoding="utf-8")
    assert main(["survey", str(survey)]) == 2
    assert "no respondents: the file has a header but no rows" in capsys.readouterr().err


def test_rows_in_memory_may_be_none(advisor: Advisor) -> None:
    assert len(advisor.assess_many([])) == 0


# --- a unit id given twice -----------------------------------------------------------------


def test_a_unit_given_twice_is_refused_at_its_second_line(
    shipped_kb: KnowledgeBase, tmp_path: Path
) -> None:
    path = tmp_path / "units.csv"
    path.write_text(
        "unit,cost_focus\n# a comment\nu1,3\nu2,4\n\nu1,5\nu2,1\nu3,2\n", encoding="utf-8"
    )
    with pytest.raises(OrganisationError) as raised:
        read_table(shipped_kb, path)
    assert [(p.location.line, p.message) for p in raised.value.problems] == [
        (6, "unit 'u1' is given twice (first on line 3)"),
        (7, "unit 'u2' is given twice (first on line 4)"),
    ]


def test_a_unit_given_twice_in_rows_is_located_by_row(advisor: Advisor) -> None:
    with pytest.raises(OrganisationError) as raised:
        advisor.assess_many([{"unit": "a"}, {"unit": "b"}, {"unit": "a"}])
    (problem,) = raised.value.problems
    assert (problem.location.line, problem.message) == (
        4,
        "unit 'a' is given twice (first on line 2)",
    )


@settings(max_examples=200, deadline=None)
@given(
    ids=st.lists(st.sampled_from(["", "a", "b", "c", "d", "e", "ä", "a "]), max_size=40),
    cuts=st.lists(st.integers(0, 40), max_size=6),
    full=st.booleans(),
)
def test_repeated_ids_are_found_across_any_batches(
    ids: list[str], cuts: list[int], full: bool
) -> None:
    """Whatever the batches; with the filter of hashes seen full, every id is looked up."""
    first: dict[str, int] = {}
    expected = []
    for row, unit in enumerate(ids):
        if unit in first:
            expected.append((row, first[unit]))
        elif unit:
            first[unit] = row
    assert _repeats(ids, cuts, full, arrow=False) == expected
    if importlib.util.find_spec("pyarrow") is not None:  # the same from Arrow's buffers
        assert _repeats(ids, cuts, full, arrow=True) == expected


def _repeats(ids: list[str], cuts: list[int], full: bool, arrow: bool) -> list[tuple[int, int]]:
    """(row, first row) of each repeated id, the ids handed over in batches cut at `cuts`."""
    seen, found = SeenIds(len(ids)), []
    if full:
        seen._filter[:] = 0xFF  # every id may have been seen: the runs say
    bounds = sorted({0, len(ids), *(min(c, len(ids)) for c in cuts)})
    column: Any = _arrow_texts(ids) if arrow else ids
    for start, stop in itertools.pairwise(bounds):
        part = column.slice(start, stop - start) if arrow else column[start:stop]
        rows, firsts = seen.add(part, start)
        found += [(row + start, first_row) for row, first_row in zip(rows, firsts, strict=True)]
    return found


def _arrow_texts(texts: list[str], large: bool = False) -> Any:
    pa = pytest.importorskip("pyarrow")
    return pa.array(texts, pa.large_string() if large else pa.string())


_TEXTS = st.lists(
    st.text(max_size=12) | st.text(min_size=LONG_ID - 2, max_size=LONG_ID + 12), max_size=30
)


@settings(deadline=None)
@given(texts=_TEXTS, salt=st.integers(0, 2**64 - 1), skip=st.integers(0, 3))
def test_an_id_hashes_alike_from_python_and_from_arrow(
    texts: list[str], salt: int, skip: int
) -> None:
    """The hash of an id is one, whether it came as Python text, an Arrow slice (buffers
    shared with the rows before it) or large Arrow text; different ids hash apart."""
    texts = [t.encode("utf-8", "surrogatepass").decode("utf-8", "replace") for t in texts]
    expected = id_hashes(*utf8_columns(texts), salt)
    for large in (False, True):
        whole = _arrow_texts(["x" * skip] * skip + texts, large)
        got = id_hashes(*utf8_columns(whole.slice(skip)), salt)
        assert got.tolist() == expected.tolist()
    by_text = dict(zip(texts, expected.tolist(), strict=True))
    assert len(set(by_text.values())) == len(by_text)


def test_an_id_hash_depends_on_every_byte_and_on_the_salt() -> None:
    """Ids one byte apart, in any of their words (and past the long-id bound), and ids that
    differ only by trailing zero bytes, hash apart; so does one id under two salts."""
    base = "unit-0123456789-abcdef"
    texts = [base, base + "\0", base + "\0\0", "x" * (LONG_ID + 5), "x" * (LONG_ID + 6)]
    texts += [base[:i] + "#" + base[i + 1 :] for i in range(len(base))]
    hashes = id_hashes(*utf8_columns(texts), 7).tolist()
    assert len(set(hashes)) == len(texts)
    assert id_hashes(*utf8_columns([base]), 8).tolist() != hashes[:1]


def test_the_readme_shows_the_message_a_windows_table_gets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ modeadvisor batch yksikot.csv\n", 1)[1].split("$ ", 1)[0]
    monkeypatch.chdir(tmp_path)
    Path("yksikot.csv").write_bytes("unit;sector\nTuotanto Jyväskylä;private\n".encode("cp1252"))
    assert main(["batch", "yksikot.csv"]) == 2
    assert " ".join(capsys.readouterr().err.split()) == " ".join(block.split())
    assert main(["batch", "yksikot.csv", "--encoding", "cp1252"]) == 0
    assert "Tuotanto Jyväskylä" in capsys.readouterr().out
