"""Reading YAML/JSON safely, with positions, and every malformed file located."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modeadvisor.knowledge._documents import Document, DocumentError, load_document, parse_document
from modeadvisor.limits import Limits


def _parse(text: str, limits: Limits | None = None) -> Document:
    return parse_document(text, Path("f.yaml"), "f.yaml", limits=limits or Limits())


def test_positions_of_values_and_keys() -> None:
    document = _parse("rules:\n  - id: a\n    when: x >= 3\n")
    assert document.data == {"rules": [{"id": "a", "when": "x >= 3"}]}
    assert document.values[("rules", 0, "when")] == (3, 11)
    assert document.keys[("rules", 0, "when")] == (3, 5)
    assert str(document.location(("rules", 0, "when", "deeper"))) == "f.yaml:3:11"


def test_malformed_yaml_is_located() -> None:
    with pytest.raises(DocumentError) as caught:
        _parse("a: [1, 2\nb: 3\n")
    problem = caught.value.problems[0]
    assert problem.location.file == "f.yaml"
    assert problem.location.line == 2
    assert "malformed YAML" in problem.message


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(DocumentError, match="duplicate key 'a'") as caught:
        _parse("a: 1\na: 2\n")
    assert caught.value.problems[0].location.line == 2


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo hacked']\n",
        "a: !!python/name:os.system\n",
        "a: !custom 3\n",
    ],
)
def test_no_tag_constructs_python_objects(text: str) -> None:
    with pytest.raises(DocumentError, match="unsupported YAML tag"):
        _parse(text)


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    with pytest.raises(DocumentError, match="alias bomb"):
        parse_document("\n".join(lines) + "\n", Path("f.yaml"), limits=Limits(max_values=10_000))


def test_alias_bomb_is_refused_at_the_default_limits_in_milliseconds() -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    with pytest.raises(DocumentError, match="more than 10,000 values are repeated"):
        _parse("\n".join(lines) + "\n")


def test_plain_aliases_still_work() -> None:
    assert _parse("a: &x [1, 2]\nb: *x\n").data == {"a": [1, 2], "b": [1, 2]}


def test_too_many_values_are_refused() -> None:
    with pytest.raises(DocumentError, match="more than 1,000 values"):
        _parse("[" + ",".join(["1"] * 2000) + "]", Limits(max_values=1000))


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        "[" * 1_000_000,
        "a:\n" + "".join(" " * i + "- \n" for i in range(1, 300)),
    ],
)
def test_deep_nesting_is_refused_quickly(text: str) -> None:
    with pytest.raises(DocumentError, match=r"nest|malformed"):
        _parse(text)


def test_a_very_long_value_is_refused() -> None:
    with pytest.raises(DocumentError, match="a value of 30,000 characters; the limit is 20,000"):
        _parse("name: " + "x" * 30_000 + "\n")
    assert _parse("name: xxxx\n").data == {"name": "xxxx"}


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("- 1\n" * 1250, encoding="utf-8")
    with pytest.raises(DocumentError, match="file is 5,000 bytes; the limit is 4,000"):
        load_document(path, Limits(max_file_bytes=4_000))
    assert len(load_document(path, Limits(max_file_bytes=5_000)).data) == 1250


def test_not_utf8_names_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("organisation: ok\nname: J\u00e4rvel\u00e4\n".encode("latin-1"))
    with pytest.raises(DocumentError, match="not valid UTF-8") as caught:
        load_document(path)
    assert caught.value.problems[0].location.line == 2


def test_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="cannot read file"):
        load_document(tmp_path / "nope.yaml")


def test_json_reads_through_the_same_path() -> None:
    document = _parse('{"organisation": "X", "units": [{"id": "a"}]}')
    assert document.data == {"organisation": "X", "units": [{"id": "a"}]}
    assert document.values[("units", 0, "id")][0] == 1


def test_empty_document_has_no_data() -> None:
    assert _parse("# only a comment\n").data is None


def test_numbers_with_exponents_are_numbers_in_yaml_and_json() -> None:
    assert _parse("a: 1e5\nb: -2.5E-3\nc: '1e5'\nd: 1e\n").data == {
        "a": 100000.0,
        "b": -0.0025,
        "c": "1e5",
        "d": "1e",
    }
    assert _parse('{"a": 1e5}').data == {"a": 100000.0}


@pytest.mark.parametrize("path", ["/dev/zero", "/tmp"])
def test_devices_and_folders_are_not_read(path: str) -> None:
    with pytest.raises(DocumentError, match="not a regular file"):
        load_document(Path(path))


# --- what the knowledge base keeps of a file -------------------------------------------------

_KEPT = """\
pack:
  id: a
rules:
  - id: r
    when: 'x >= 3'
    weights: {a: 1}
  - {id: s, when: y}
"""
_STEPS = st.one_of(
    st.sampled_from(["pack", "rules", "id", "when", "weights", "a", "none"]), st.integers(0, 2)
)


@given(st.lists(_STEPS, max_size=5))
def test_a_written_file_places_every_path_as_its_document(path: list[str | int]) -> None:
    document = _parse(_KEPT)
    written = document.written(Path("."))
    assert written.relative == "f.yaml"
    assert written.lines == tuple(document.lines)
    assert written.location(tuple(path)) == document.location(tuple(path))
    line = document.location(tuple(path)).line
    assert written.source_line(line) == document.source_line(line)


def test_a_written_file_names_the_file_from_its_pack_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "rules.yaml"
    path.write_text("rules: []\n", encoding="utf-8")
    written = load_document(path).written(tmp_path)
    assert written.relative == "sub/rules.yaml"
    assert written.name == load_document(path).name
    assert written.location(("rules", 5)) == load_document(path).location(("rules",))
    path.unlink()  # kept: nothing is read again
    assert str(written.location(("rules",))) == f"{written.name}:1:8"
    assert written.source_line(1) == "rules: []"
    assert written.source_line(2) is None


def test_an_empty_file_places_everything_at_its_start() -> None:
    written = _parse("").written(Path("."))
    assert str(written.location(("rules", 0))) == "f.yaml:1:1"
