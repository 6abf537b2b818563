"""Organisation files: structure, content checked against the catalogue, every mistake located."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modeadvisor import Advisor, Organisation, OrganisationError
from modeadvisor.knowledge._documents import load_document
from modeadvisor.limits import Limits
from modeadvisor.organisation import _read_json, check_organisation, read_organisation

from .conftest import DATA


def _check(advisor: Advisor, tmp_path: Path, text: str | bytes) -> OrganisationError:
    path = tmp_path / "org.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(OrganisationError) as caught:
        advisor.assess(path)
    return caught.value


def test_example_file_loads(mini_advisor: Advisor) -> None:
    organisation, document = read_organisation(DATA / "org-mini.yaml")
    values = check_organisation(mini_advisor.knowledge_base, organisation, document).values
    assert values["lab"] == {"risky": True, "focus": frozenset({"novelty"}), "project_share": 80}


def test_json_organisation_file(mini_advisor: Advisor, tmp_path: Path) -> None:
    path = tmp_path / "org.json"
    path.write_text(
        json.dumps(
            {
                "organisation": "J",
                "units": [{"id": "a", "traits": {"cost": 5, "sector": "private"}}],
            }
        ),
        encoding="utf-8",
    )
    assert mini_advisor.assess(path).units[0].profile.dominant == "prod"


@pytest.mark.parametrize(
    ("text", "line", "message", "hint"),
    [
        (
            "organisation: X\nunits:\n  - id: a\n    traits: {cots: 3}\n",
            4,
            "unknown trait 'cots'",
            "did you mean 'cost'?",
        ),
        (
            "organisation: X\nunits:\n  - id: a\n    traits:\n      cost: 7\n",
            5,
            "7 is out of range: 'cost' is a scale (1-5)",
            None,
        ),
        (
            "organisation: X\nunits:\n  - id: a\n    traits:\n      risky: 3\n",
            5,
            "'risky' is true/false, found a number 3",
            None,
        ),
        (
            "organisation: X\nunits:\n  - id: a\n    traits:\n      cost: '4'\n",
            5,
            "'cost' is a scale (1-5), found text '4'",
            None,
        ),
        (
            "organisation: X\nunits:\n  - id: a\n    traits:\n      sector: pubic\n",
            5,
            "'pubic' is not a value of 'sector'",
            None,
        ),
        (
            "organisation: X\nunits:\n  - id: a\n    traits:\n      focus: [novelty, lolyalty]\n",
            5,
            "'lolyalty' is not a value of 'focus'",
            None,
        ),
        (
            "organisation: X\nunits:\n  - id: a\n    traits:\n      project_share: 101\n",
            5,
            "101 is out of range: 'project_share' is between 0 and 100",
            None,
        ),
        (
            "organisation: X\nunits:\n  - id: a\n    traits:\n      project_share: .nan\n",
            5,
            "not a usable number",
            None,
        ),
        (
            "organisation: X\nunits:\n  - id: a\n    models_in_use: [scorecrad]\n",
            4,
            "unknown model 'scorecrad'",
            "did you mean 'scorecard'?",
        ),
        (
            "organisation: X\nunits:\n  - id: a\n  - id: b\n    parent: c\n",
            5,
            "unit 'b' names parent 'c', which is not a unit",
            None,
        ),
        ("organisation: X\nunits:\n  - id: a\n  - id: a\n", 4, "duplicate unit id 'a'", None),
        (
            "organisation: X\nunits:\n  - id: a\n    parent: b\n  - id: b\n    parent: a\n",
            4,
            "units a -> b -> a form a cycle of parents",
            "a unit cannot be its own ancestor",
        ),
        (
            "organisation: X\nunits:\n  - id: a\n    parent: a\n",
            4,
            "units a -> a form a cycle",
            None,
        ),
        ("organisation: X\nunits: []\n", 2, "at least 1 item", None),
        (
            "organisation: X\nunits:\n  - id: a\n    trait: {cost: 3}\n",
            4,
            "unknown key 'trait'",
            "did you mean 'traits'?",
        ),
        ("units:\n  - id: a\n", 1, "missing required key 'organisation'", None),
        (
            "organisation: X\nunits:\n  - id: 'bad id'\n",
            3,
            "'bad id' is not a valid id; use letters",
            None,
        ),
        ("- a\n- b\n", 1, "expected a mapping with `organisation` and `units`", None),
        ("organisation: X\nunits: [\n", 3, "malformed YAML", None),
        ("", 1, "file is empty", None),
    ],
)
def test_located_mistakes(
    mini_advisor: Advisor, tmp_path: Path, text: str, line: int, message: str, hint: str | None
) -> None:
    error = _check(mini_advisor, tmp_path, text)
    problem = error.problems[0]
    assert problem.location.file.endswith("org.yaml")
    assert problem.location.line == line
    assert message.lower() in problem.message.lower()
    if hint:
        assert problem.hint == hint


VIEWS = "organisation: X\nunits:\n  - id: a\n    perspectives:\n"


@pytest.mark.parametrize(
    ("text", "line", "message", "hint"),
    [
        (
            VIEWS + "      desired: {prdo: 1}\n",
            5,
            "unknown archetype 'prdo'",
            "did you mean 'prod'?",
        ),
        (
            VIEWS + "      desired: {prod: 0.5, dev: 0.2}\n",
            5,
            "the weights add up to 0.7; they must add up to 1 (or to 100 points)",
            None,
        ),
        (
            VIEWS + "      desired: {prod: -0.5, dev: 1.5}\n",
            5,
            "the weight of 'prod' must be a number of 0 or more",
            None,
        ),
        (VIEWS + "      strategy: [dev, dev]\n", 5, "'dev' is ranked twice", None),
        (
            VIEWS + "      strategy: [dve]\n",
            5,
            "unknown archetype 'dve' in the ranking",
            "did you mean 'dev'?",
        ),
        (VIEWS + "      strategy: []\n", 5, "an empty ranking", None),
        (VIEWS + "      desird: {prod: 1}\n", 5, "unknown key 'desird'", "did you mean 'desired'?"),
        (
            "organisation: X\nrespondents:\n  - {unit: b, ratings: {prod: 3}}\nunits:\n  - id: a\n",
            3,
            "respondent 1 answered for unit 'b', which is not a unit",
            None,
        ),
        (
            "organisation: X\nrespondents:\n  - {unit: a, ratings: {prod: 6}}\nunits:\n  - id: a\n",
            3,
            "rating 6 of 'prod' is not a whole number from 1",
            None,
        ),
        (
            "organisation: X\nrespondents:\n  - {unit: a, ratings: {prod: 2.5}}\nunits:\n  - id: a\n",
            3,
            "rating 2.5 of 'prod' is not a whole number",
            None,
        ),
        (
            "organisation: X\nrespondents:\n  - {unit: a, ratings: {prdo: 3}}\nunits:\n  - id: a\n",
            3,
            "unknown archetype 'prdo'",
            "did you mean 'prod'?",
        ),
        (
            "organisation: X\nrespondents:\n  - {ratings: {prod: 3}}\nunits:\n  - id: a\n  - id: b\n",
            3,
            "this belongs to the top unit, but the organisation has 2 top units (a, b)",
            "name the unit it belongs to",
        ),
        (
            "organisation: X\nimposed_models: [scorecrad]\nunits:\n  - id: a\n",
            2,
            "unknown model 'scorecrad'",
            "did you mean 'scorecard'?",
        ),
    ],
)
def test_located_mistakes_in_views_and_ratings(
    mini_advisor: Advisor, tmp_path: Path, text: str, line: int, message: str, hint: str | None
) -> None:
    test_located_mistakes(mini_advisor, tmp_path, text, line, message, hint)


def test_stated_weights_are_normalised(mini_advisor: Advisor) -> None:
    organisation = {
        "organisation": "X",
        "perspectives": {"desired": {"prod": 30, "dev": 70}, "strategy": ["dev", "prod"]},
        "units": [{"id": "a", "traits": {"cost": 5, "sector": "private"}}],
    }
    views = mini_advisor.assess(organisation).unit("a").perspectives
    assert views["desired"] == {"prod": pytest.approx(0.3), "dev": pytest.approx(0.7)}
    assert views["strategy"] == {"dev": pytest.approx(0.75), "prod": pytest.approx(0.25)}


def test_not_utf8(mini_advisor: Advisor, tmp_path: Path) -> None:
    error = _check(mini_advisor, tmp_path, "organisation: J\u00e4rvel\u00e4\n".encode("cp1252"))
    assert "not valid UTF-8" in str(error)
    assert error.line == 1


def test_every_problem_of_a_file_is_reported(mini_advisor: Advisor, tmp_path: Path) -> None:
    error = _check(
        mini_advisor,
        tmp_path,
        (
            "organisation: X\nunits:\n  - id: a\n    traits: {cost: 9, risky: 1, nope: 2}\n"
            "  - id: b\n    parent: z\n"
        ),
    )
    assert len(error.problems) == 4


def test_python_data_is_checked_too(mini_advisor: Advisor) -> None:
    with pytest.raises(OrganisationError, match=r"<organisation>:units\[0\]\.traits\.cost"):
        mini_advisor.assess({"organisation": "X", "units": [{"id": "a", "traits": {"cost": 0}}]})
    with pytest.raises(OrganisationError, match="units"):
        mini_advisor.assess({"organisation": "X"})


def test_model_objects_are_accepted(mini_advisor: Advisor) -> None:
    organisation = Organisation.model_validate(
        {"organisation": "X", "units": [{"id": "a", "traits": {"cost": 5, "sector": "private"}}]}
    )
    assert mini_advisor.assess(organisation).units[0].profile.dominant == "prod"


# --- JSON files: read by the json module, located by the positions-keeping reader -----------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(data=JSON_VALUES, indent=st.sampled_from([None, 1, 2]))
def test_the_quick_json_reader_reads_what_the_positions_keeping_reader_reads(
    data: Any, indent: int | None
) -> None:
    """Whatever valid JSON it accepts, it reads as the YAML reader does (numbers and texts of
    every kind, nesting, unicode), so the advice cannot depend on which reader read a file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.json"
        path.write_text(json.dumps(data, indent=indent), encoding="utf-8")
        quick = _read_json(path, Limits())
        if quick is None:  # declined (a character YAML refuses): nothing to compare
            return
        slow = load_document(path, Limits()).data
        assert json.dumps(quick.data) == json.dumps(slow)
        assert _types(quick.data) == _types(slow)


def _types(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value).__name__


def test_a_json_organisation_is_read_quickly_and_advised_as_from_yaml(
    mini_advisor: Advisor, tmp_path: Path
) -> None:
    organisation, document = read_organisation(DATA / "org-mini.yaml")
    data = organisation.model_dump(exclude_defaults=True)
    path = tmp_path / "org.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    quick, quick_document = read_organisation(path)
    assert quick == organisation
    assert quick_document.values == {}  # no positions kept: none was needed
    assert mini_advisor.assess(path).to_json() == mini_advisor.assess(document.path).to_json()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        # a problem found by the check against the catalogue: the file is read again for it
        (
            '{"organisation": "X",\n "units": [\n  {"id": "a",\n   "traits": {"cots": 3}}]}',
            4,
            "unknown trait 'cots'",
        ),
        # not an organisation: the structure is reported from the positions-keeping reader
        (
            '{"organisation": "X",\n "units": [\n  {"id": "a", "trait": {}}]}',
            3,
            "unknown key 'trait'",
        ),
        # what the quick reader declines, the other reads and reports as before
        (
            '{"organisation": "X",\n "units": [{"id": "a"}],\n "units": []}',
            3,
            "duplicate key 'units'",
        ),
        ('{"organisation": "X",\n "units": [{"id": "a", "traits": {"cost": NaN}}]}', 2, "'cost'"),
        ('{"organisation": "X",\n "units": [{"id": "a"}}', 2, "malformed YAML/JSON"),
    ],
)
def test_a_json_file_s_mistakes_are_located(
    mini_advisor: Advisor, tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = tmp_path / "org.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OrganisationError) as caught:
        mini_advisor.assess(path)
    problem = caught.value.problems[0]
    assert problem.location.file.endswith("org.json")
    assert (problem.location.line, message.lower() in problem.message.lower()) == (line, True)


@pytest.mark.parametrize(
    ("limits", "text"),
    [
        (
            Limits(max_depth=3),
            '{"organisation": "X", "units": [{"id": "a", "traits": {"x": [1]}}]}',
        ),
        (Limits(max_values=5), '{"organisation": "X", "units": [{"id": "a"}, {"id": "b"}]}'),
        (Limits(max_text=3), '{"organisation": "XXXX", "units": [{"id": "a"}]}'),
        (
            Limits(max_text=3),
            '{"organisation": "X", "units": [{"id": "a", "traits": {"long": 1}}]}',
        ),
        (Limits(max_file_bytes=10), '{"organisation": "X", "units": [{"id": "a"}]}'),
        (Limits(), '{"organisation": "X\\u0085\u0001", "units": [{"id": "a"}]}'),
    ],
)
def test_the_quick_json_reader_leaves_what_the_other_refuses_to_it(
    tmp_path: Path, limits: Limits, text: str
) -> None:
    path = tmp_path / "org.json"
    path.write_text(text, encoding="utf-8")
    assert _read_json(path, limits) is None
    with pytest.raises(OrganisationError):  # refused, located, as before
        read_organisation(path, limits)
