"""Every bound of `Limits`, once exceeded, says how to raise it in Python and on the command line.

Each refusal's hint ends with `how_to_raise(NAME)`, so it names `--limit NAME=...`; the end-to-end
tests run the CLI and check the exit code (2) and that the same command with the limit raised
goes through.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from modeadvisor import Advisor, KnowledgeBase, load_knowledge_base
from modeadvisor.cli import main
from modeadvisor.errors import ModeAdvisorError
from modeadvisor.knowledge._documents import DocumentError, load_document, parse_document
from modeadvisor.limits import Limits, how_to_raise, limit_names, parse_limit
from modeadvisor.organisation import check_organisation, from_data
from modeadvisor.survey import read_survey

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
