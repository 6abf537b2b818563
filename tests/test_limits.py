"""Every bound of `Limits`, once exceeded, says how to raise it in Python and on the command line.

Each refusal's hint ends with `how_to_raise(NAME)`, so it names `--limit NAME=...`; the end-to-end
tests run the CLI and check the exit code (2) and that the same command with the limit raised
goes through. The table reader's own bounds (`max_file_bytes`, `max_table_rows`) are checked
while reading: an oversized file is not read whole, and rows past the bound are not read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from modeadvisor import Advisor, KnowledgeBase, load_knowledge_base
from modeadvisor.cli import main
from modeadvisor.errors import LimitError, ModeAdvisorError
from modeadvisor.knowledge._documents import DocumentError, load_document, parse_document
from modeadvisor.limits import Limits, how_to_raise, limit_names, parse_limit
from modeadvisor.organisation import check_organisation, from_data
from modeadvisor.survey import read_survey
from modeadvisor.tables import read_table

from .conftest import DATA, ROOT, write_pack

EXAMPLE = ROOT / "examples" / "manufacturer.yaml"
MINI = ["--rules", str(DATA / "mini")]


Refusal = ModeAdvisorError | DocumentError


def _refusal(attempt: Callable[[], object]) -> Refusal:
    with pytest.raises((ModeAdvisorError, DocumentError)) as caught:
        attempt()
    assert isinstance(caught.value, ModeAdvisorError | DocumentError)
    return caught.value


def _names_the_flag(error: Refusal, name: str) -> None:
    """The error's first problem (the bound) says how to raise `name`, the flag included."""
    hint = error.problems[0].hint
    assert hint is not None, error.problems[0]
    assert hint.endswith(how_to_raise(name)), hint
    assert f"--limit {name}=" in str(error)


@pytest.mark.parametrize("name", list(limit_names()))
def test_the_setting_a_hint_suggests_is_one_the_command_line_takes(name: str) -> None:
    """`--limit NAME=N` (N a number) or `NAME=true` from the hint parses back to that limit."""
    setting = how_to_raise(name).rsplit("--limit ", 1)[1].rstrip(")")
    number = str(2 * int(limit_names()[name]) + 1)
    assert parse_limit(setting.replace("=N", "=" + number)) == (
        (name, True) if setting.endswith("=true") else (name, int(number))
    )


# --- through the API: one refusal per bound ----------------------------------------------------


def _document(text: str, limits: Limits) -> Callable[[], object]:
    return lambda: parse_document(text, Path("f.yaml"), "f.yaml", limits=limits)


def test_max_file_bytes_of_a_rule_or_organisation_file(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("- 1\n" * 100, encoding="utf-8")
    error = _refusal(lambda: load_document(path, Limits(max_file_bytes=399)))
    assert "file is 400 bytes; the limit is 399" in str(error)
    _names_the_flag(error, "max_file_bytes")
    assert len(load_document(path, Limits(max_file_bytes=400)).data) == 100
    # a bound raised past memory must not ask for that memory (read(bound) set it aside)
    assert len(load_document(path, Limits(max_file_bytes=10**15)).data) == 100


def test_max_values() -> None:
    error = _refusal(_document("[" + ",".join(["1"] * 20) + "]", Limits(max_values=10)))
    assert "more than 10 values" in str(error)
    _names_the_flag(error, "max_values")


def test_max_alias_values() -> None:
    text = "a: &x [1, 2]\nb: [*x, *x, *x]\n"  # each alias repeats a list and its 2 items
    error = _refusal(_document(text, Limits(max_alias_values=2)))
    assert "more than 2 values are repeated through YAML aliases" in str(error)
    _names_the_flag(error, "max_alias_values")
    assert parse_document(text, Path("f.yaml"), limits=Limits(max_alias_values=9)).data


def test_max_depth_which_had_no_hint() -> None:
    text = "a: {b: {c: {d: 1}}}\n"
    error = _refusal(_document(text, Limits(max_depth=3)))
    assert "document nests deeper than 3 levels" in str(error)
    _names_the_flag(error, "max_depth")
    assert parse_document(text, Path("f.yaml"), limits=Limits(max_depth=4)).data


def test_max_text_of_a_document() -> None:
    error = _refusal(_document("name: " + "x" * 30 + "\n", Limits(max_text=29)))
    assert "a value of 30 characters; the limit is 29" in str(error)
    _names_the_flag(error, "max_text")


def test_max_text_of_a_survey_name_which_had_no_hint(
    shipped_kb: KnowledgeBase, tmp_path: Path
) -> None:
    path = tmp_path / "survey.csv"
    path.write_text("organisation,production\n" + "A" * 30 + ",4\n", encoding="utf-8")
    error = _refusal(lambda: read_survey(path, shipped_kb, limits=Limits(max_text=29)))
    assert "survey.csv:2:1: column 'organisation': 30 characters; the limit is 29" in str(error)
    _names_the_flag(error, "max_text")
    assert read_survey(path, shipped_kb, limits=Limits(max_text=30)).respondents == 1


def test_max_file_bytes_of_a_survey(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text("organisation,production\n" + "A,4\n" * 100, encoding="utf-8")
    error = _refusal(lambda: read_survey(path, shipped_kb, limits=Limits(max_file_bytes=100)))
    assert "file is over the limit of 100 bytes" in str(error)
    _names_the_flag(error, "max_file_bytes")


def test_max_units(mini_kb: KnowledgeBase) -> None:
    organisation = from_data({"organisation": "o", "units": [{"id": f"u{i}"} for i in range(4)]})
    error = _refusal(lambda: check_organisation(mini_kb, organisation, None, Limits(max_units=3)))
    assert "4 units; the limit is 3" in str(error)
    _names_the_flag(error, "max_units")


def _linked_pack(tmp_path: Path) -> Path:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("sources: []\n", encoding="utf-8")
    pack = write_pack(tmp_path / "pack", {})
    (pack / "linked.yaml").symlink_to(outside)
    return pack


def test_allow_outside_pack_is_turned_on_not_raised(tmp_path: Path) -> None:
    pack = _linked_pack(tmp_path)
    error = _refusal(lambda: load_knowledge_base(pack))
    assert "leads outside the pack folder" in str(error)
    _names_the_flag(error, "allow_outside_pack")
    assert "Limits.allow_outside_pack=True" in str(error)
    assert "--limit allow_outside_pack=true" in str(error)


def test_max_conflict_bindings(advisor: Advisor) -> None:
    small = Advisor(advisor.knowledge_base, limits=Limits(max_conflict_bindings=1))
    error = _refusal(lambda: small.assess(EXAMPLE))
    assert "binds more than 1 combinations" in str(error)
    assert "--limit max_conflict_bindings=N" in str(error)


# --- tables: the file's size and its rows, bounded while reading --------------------------------


def _csv(tmp_path: Path, rows: int, blank_every: int = 0) -> Path:
    path = tmp_path / "units.csv"
    lines = ["unit,cost"]
    for i in range(rows):
        if blank_every and i % blank_every == 0:
            lines.append(",")  # a blank row a spreadsheet left: not a unit
        lines.append(f"u{i},{i % 5 + 1}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_csv_table_over_max_file_bytes_is_refused_unread(
    mini_kb: KnowledgeBase, tmp_path: Path
) -> None:
    path = _csv(tmp_path, 3)  # 25 bytes
    error = _refusal(lambda: read_table(mini_kb, path, Limits(max_file_bytes=24)))
    assert isinstance(error, LimitError)
    assert "file is 25 bytes; the limit is 24" in str(error)
    assert error.problems[0].location.file == str(path)
    _names_the_flag(error, "max_file_bytes")
    assert read_table(mini_kb, path, Limits(max_file_bytes=25)).ids == ["u0", "u1", "u2"]


def test_a_table_file_that_lies_about_its_size_is_read_only_to_the_limit(
    mini_kb: KnowledgeBase,
) -> None:
    """/dev/zero says it has 0 bytes and never ends: the reader stops one byte past the bound."""
    zero = Path("/dev/zero")
    if not zero.exists():
        pytest.skip("no /dev/zero here")
    error = _refusal(lambda: read_table(mini_kb, zero, Limits(max_file_bytes=1000)))
    assert "file is 1,001 bytes; the limit is 1,000" in str(error)


def test_a_csv_table_stops_at_the_first_row_past_max_table_rows(
    mini_kb: KnowledgeBase, tmp_path: Path
) -> None:
    # blank rows are not units: units 1-4 are on lines 3, 4, 6 and 7
    path = _csv(tmp_path, 6, blank_every=2)
    with path.open("a", encoding="utf-8") as tail:
        tail.write("u9,99\n")  # line 11, out of range: past the bound, never read
    error = _refusal(lambda: read_table(mini_kb, path, Limits(max_table_rows=3)))
    assert isinstance(error, LimitError)
    (problem,) = error.problems
    assert (problem.location.line, problem.message) == (7, "more than 3 rows; the limit is 3")
    _names_the_flag(error, "max_table_rows")
    within = _refusal(lambda: read_table(mini_kb, path, Limits(max_table_rows=7)))
    assert not isinstance(within, LimitError)
    assert [p.location.line for p in within.problems] == [11]


def test_rows_past_max_table_rows_are_refused_before_they_are_checked(
    mini_kb: KnowledgeBase,
) -> None:
    rows = [{"unit": f"u{i}", "cost": 9} for i in range(3)]  # 9 is out of range: unchecked
    error = _refusal(lambda: read_table(mini_kb, rows, Limits(max_table_rows=2)))
    assert isinstance(error, LimitError)
    assert "3 rows; the limit is 2" in str(error)
    _names_the_flag(error, "max_table_rows")


def test_a_generator_of_rows_is_read_one_row_past_the_bound_and_no_further(
    mini_kb: KnowledgeBase,
) -> None:
    taken: list[int] = []

    def rows() -> Iterator[dict[str, Any]]:
        for i in range(1_000_000):
            taken.append(i)
            yield {"unit": f"u{i}", "cost": 3}

    error = _refusal(lambda: read_table(mini_kb, rows(), Limits(max_table_rows=5)))
    assert "more than 5 rows; the limit is 5" in str(error)
    assert len(taken) == 6
    _names_the_flag(error, "max_table_rows")
    assert read_table(mini_kb, iter([{"unit": "a", "cost": 3}]), Limits(max_table_rows=1)).ids == [
        "a"
    ]


class _Frame:
    """A frame as read_table sees one (pandas is not a dependency): a length and to_dict."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.converted = False

    def __len__(self) -> int:
        return len(self.rows)

    def to_dict(self, orient: str) -> list[dict[str, Any]]:
        assert orient == "records"
        self.converted = True
        return self.rows


def test_a_frame_past_max_table_rows_is_refused_before_it_is_turned_into_rows(
    mini_kb: KnowledgeBase,
) -> None:
    frame = _Frame([{"unit": f"u{i}", "cost": 3} for i in range(3)])
    error = _refusal(lambda: read_table(mini_kb, frame, Limits(max_table_rows=2)))
    assert "3 rows; the limit is 2" in str(error)
    assert not frame.converted
    assert read_table(mini_kb, frame, Limits(max_table_rows=3)).ids == ["u0", "u1", "u2"]


def test_a_frame_without_a_length_is_counted_once_turned_into_rows(
    mini_kb: KnowledgeBase,
) -> None:
    class Lengthless:  # duck-typed: only to_dict, as the pandas-like frames of test_batch
        def to_dict(self, orient: str) -> list[dict[str, Any]]:
            return [{"unit": f"u{i}", "cost": 3} for i in range(3)]

    error = _refusal(lambda: read_table(mini_kb, Lengthless(), Limits(max_table_rows=2)))
    assert "more than 2 rows; the limit is 2" in str(error)
    assert len(read_table(mini_kb, Lengthless(), Limits(max_table_rows=3)).ids) == 3


def test_assess_many_reads_a_table_within_its_limits(
    mini_kb: KnowledgeBase, tmp_path: Path
) -> None:
    path = _csv(tmp_path, 3)
    small = Advisor(mini_kb, limits=Limits(max_table_rows=2), backend="vectorised")
    error = _refusal(lambda: small.assess_many(path))
    assert "units.csv:4: more than 2 rows; the limit is 2" in str(error)
    tiny = Advisor(mini_kb, limits=Limits(max_file_bytes=24), backend="vectorised")
    error = _refusal(lambda: tiny.assess_many(path))
    assert "file is 25 bytes; the limit is 24" in str(error)
    assert Advisor(mini_kb, backend="vectorised").assess_many(path).ids == ["u0", "u1", "u2"]


# --- end to end: the command line exits 2 naming the flag, and goes through once raised --------


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def test_cli_max_depth(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # units 1 > a unit 2 > traits 3 > focus 4 > its first value 5; the mini pack nests 4 deep
    organisation = DATA / "org-mini.yaml"
    code, _, err = _cli(["assess", str(organisation), *MINI, "--limit", "max_depth=4"], capsys)
    assert code == 2
    assert "org-mini.yaml:9:35: document nests deeper than 4 levels" in err
    assert "--limit max_depth=N" in err
    assert _cli(["assess", str(organisation), *MINI, "--limit", "max_depth=5"], capsys)[0] == 0


def test_cli_max_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "o.yaml"
    path.write_text(
        "organisation: o\nunits:\n  - id: a\n    name: " + "x" * 50 + "\n", encoding="utf-8"
    )
    code, _, err = _cli(["assess", str(path), *MINI, "--limit", "max_text=49"], capsys)
    assert code == 2
    assert "a value of 50 characters; the limit is 49" in err
    assert "--limit max_text=N" in err
    code, out, _ = _cli(
        ["assess", str(path), *MINI, "--limit", "max_text=50", "--format", "json"], capsys
    )
    assert code == 0
    assert json.loads(out)["units"][0]["name"] == "x" * 50


def test_cli_max_text_of_a_survey(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "survey.csv"
    path.write_text("organisation,production\n" + "A" * 30 + ",4\n", encoding="utf-8")
    code, _, err = _cli(["survey", str(path), "--limit", "max_text=29"], capsys)
    assert code == 2
    assert "--limit max_text=N" in err


def test_cli_max_units(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _cli(["assess", str(EXAMPLE), "--limit", "max_units=2"], capsys)
    assert code == 2
    assert "3 units; the limit is 2 (assess the organisation in parts, or raise " in err
    assert "--limit max_units=N" in err
    assert _cli(["assess", str(EXAMPLE), "--limit", "max_units=3"], capsys)[0] == 0


def test_cli_max_file_bytes(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _cli(
        ["assess", str(DATA / "org-mini.yaml"), *MINI, "--limit", "max_file_bytes=100"], capsys
    )
    assert code == 2
    assert "--limit max_file_bytes=N" in err


def test_cli_allow_outside_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = _linked_pack(tmp_path)
    code, _, err = _cli(["validate", str(pack)], capsys)
    assert code == 2
    assert "--limit allow_outside_pack=true" in err
    assert _cli(["validate", str(pack), "--limit", "allow_outside_pack=true"], capsys)[0] == 0


def test_cli_batch_max_table_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _csv(tmp_path, 3)
    code, _, err = _cli(["batch", str(path), *MINI, "--limit", "max_table_rows=2"], capsys)
    assert code == 2
    assert "units.csv:4: more than 2 rows; the limit is 2" in err
    assert "--limit max_table_rows=N" in err
    code, out, _ = _cli(["batch", str(path), *MINI, "--limit", "max_table_rows=3"], capsys)
    assert code == 0
    assert out.count("\n") == 4  # the header and three units


def test_cli_batch_max_file_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _csv(tmp_path, 300)  # larger than any file of the mini pack, read with the same bound
    size = path.stat().st_size
    assert size > max(p.stat().st_size for p in (DATA / "mini").iterdir())
    bound = ["--limit", f"max_file_bytes={size - 1}"]
    code, _, err = _cli(["batch", str(path), *MINI, *bound], capsys)
    assert code == 2
    assert f"units.csv: file is {size:,} bytes; the limit is {size - 1:,}" in err
    assert "--limit max_file_bytes=N" in err
    bound = ["--limit", f"max_file_bytes={size}"]
    assert _cli(["batch", str(path), *MINI, *bound], capsys)[0] == 0
