"""`modeadvisor eval`: JSON Lines in, one answer or located error per line out, never stopping."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeadvisor import KnowledgeBase, Limits, OrganisationText
from modeadvisor.cli import main
from modeadvisor.evaluate import Outcome, run
from modeadvisor.operations import Advisors

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "manufacturer.yaml"
ORGANISATION: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text("utf-8"))


@pytest.fixture(scope="module")
def advisors(shipped_kb: KnowledgeBase) -> Advisors:
    return Advisors(shipped_kb)


def _eval(advisors: Advisors, *lines: str | bytes) -> tuple[list[dict[str, Any]], Outcome]:
    raw = b"".join((x if isinstance(x, bytes) else x.encode("utf-8")) + b"\n" for x in lines)
    out = io.StringIO()
    outcome = run(advisors, io.BytesIO(raw), out)
    return [json.loads(line) for line in out.getvalue().splitlines()], outcome


def _line(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    assert main([*args, "--format", "json", "--lang", "en"]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_op_answers_as_the_command_line(
    advisors: Advisors, capsys: pytest.CaptureFixture[str]
) -> None:
    requests = [
        (ORGANISATION, ["assess", str(EXAMPLE)]),
        ({"op": "assess", "organisation": ORGANISATION}, ["assess", str(EXAMPLE)]),
        (
            {"op": "explain", "organisation": ORGANISATION, "unit": "rnd"},
            ["explain", str(EXAMPLE), "--unit", "rnd"],
        ),
        (
            {"op": "what-if", "organisation": ORGANISATION, "unit": "rnd", "target": "production"},
            ["what-if", str(EXAMPLE), "--unit", "rnd", "--target", "production"],
        ),
        (
            {
                "op": "what-if",
                "organisation": ORGANISATION,
                "unit": "rnd",
                "clear": "measurement_misfit",
                "allow": ["innovation_type"],
            },
            [
                "what-if",
                str(EXAMPLE),
                "--unit",
                "rnd",
                "--clear",
                "measurement_misfit",
                "--allow",
                "innovation_type",
            ],
        ),
        (
            {
                "op": "why-not",
                "organisation": ORGANISATION,
                "unit": "rnd",
                "model": "balanced_scorecard",
            },
            ["explain", str(EXAMPLE), "--unit", "rnd", "--why-not", "balanced_scorecard"],
        ),
    ]
    answers, outcome = _eval(advisors, *(_line(request) for request, _ in requests))
    assert outcome == Outcome(answered=len(requests))
    for number, (answer, (request, args)) in enumerate(zip(answers, requests, strict=True), 1):
        assert answer["line"] == number
        assert answer["op"] == request.get("op", "assess")
        assert answer["result"] == _cli(capsys, *args), args


def _errors(advisors: Advisors, *lines: str | bytes) -> list[dict[str, Any]]:
    answers, outcome = _eval(advisors, *lines)
    assert outcome.refused == len(lines)
    assert [a["line"] for a in answers] == list(range(1, len(lines) + 1))
    problems: list[dict[str, Any]] = []
    for number, answer in enumerate(answers, 1):
        assert "result" not in answer
        assert answer["error"]["problems"]
        for problem in answer["error"]["problems"]:
            assert problem["file"] == "<stdin>"
            assert problem["line"] == number
            problems.append({"type": answer["error"]["type"], **problem})
    return problems


@pytest.mark.parametrize(
    ("line", "message", "column", "hint"),
    [
        ("", "blank line", None, None),
        ("   \t", "blank line", None, None),
        ("{bad", "not JSON", 2, None),
        ('{"a": 1} x', "not JSON: Extra data", 10, None),
        ("[1, 2]", "expected a JSON object", None, None),
        ('"text"', "expected a JSON object", None, None),
        (
            '{"op": "asses", "organisation": {}}',
            "unknown op 'asses'",
            None,
            "did you mean 'assess'?",
        ),
        ('{"op": 3}', "unknown op '3'", None, "ops: assess, explain, what-if, why-not"),
        (
            '{"op": "explain", "organisation": {}, "unt": "x"}',
            "unknown field 'unt'",
            None,
            "did you mean 'unit'?",
        ),
        ('{"op": "explain", "organisation": {}}', "`explain` needs `unit`", None, None),
        ('{"op": "explain", "organisation": {}, "unit": 3}', "`unit` is text", None, None),
        (
            '{"op": "why-not", "organisation": {}, "unit": "a"}',
            "`why-not` needs `model`",
            None,
            None,
        ),
        ('{"op": "what-if", "organisation": {}, "unit": "a"}', "needs one of `target`", None, None),
        (
            '{"op": "what-if", "organisation": {}, "unit": "a", "target": "x", "clear": "y"}',
            "needs one of `target`",
            None,
            None,
        ),
        (
            '{"op": "what-if", "organisation": {}, "unit": "a", "target": "x", "allow": "cost"}',
            "`allow` is a list",
            None,
            None,
        ),
        ('{"op": "assess"}', "expected `organisation`", 1, None),
        ('{"op": "assess", "organisation": [1]}', "expected a mapping", 34, None),
    ],
)
def test_a_bad_line_is_answered_with_its_located_error(
    advisors: Advisors, line: str, message: str, column: int | None, hint: str | None
) -> None:
    (problem,) = _errors(advisors, line)
    assert message in problem["message"]
    assert problem["column"] == column
    assert problem["hint"] == hint


def test_a_bad_organisation_is_located_at_its_line_and_column(advisors: Advisors) -> None:
    bad = json.loads(json.dumps(ORGANISATION))
    bad["units"][0]["traits"]["cost_fokus"] = 3
    bad["units"][1]["models_in_use"] = ["balanced_scorcard"]
    as_request = _line({"op": "explain", "organisation": bad, "unit": "rnd"})
    problems = _errors(advisors, _line(bad), as_request)
    assert len(problems) == 4
    for problem in problems:
        assert problem["type"] == "OrganisationError"
        assert problem["hint"] in (
            "did you mean 'cost_focus'?",
            "did you mean 'balanced_scorecard'?",
        )
    first, second = problems[:2], problems[2:]
    text = _line(bad)
    assert [p["column"] for p in first] == sorted(p["column"] for p in first)
    trait = next(p for p in first if "cost_fokus" in p["message"])
    assert text[trait["column"] - 1 :].startswith('"cost_fokus"') or text[
        trait["column"] - 1 :
    ].startswith("3")
    offset = as_request.index('"organisation": ') + len('"organisation": ')
    assert sorted(p["column"] for p in second) == [p["column"] + offset for p in first]


def test_an_unknown_unit_or_model_is_the_lines_error(advisors: Advisors) -> None:
    unit = _line({"op": "explain", "organisation": ORGANISATION, "unit": "rdn"})
    model = _line({"op": "why-not", "organisation": ORGANISATION, "unit": "rnd", "model": "bsc"})
    problems = _errors(advisors, unit, model)
    assert problems[0]["type"] == "UnknownUnitError"
    assert problems[0]["hint"] == "did you mean 'rnd'?"
    assert problems[1]["line"] == 2


def test_bytes_that_are_not_utf8_are_located(advisors: Advisors) -> None:
    (problem,) = _errors(advisors, b'{"organisation": "\xff"}')
    assert "not valid UTF-8" in problem["message"]
    assert problem["column"] == 19


def test_a_line_over_the_size_limit_is_refused_and_the_next_read(shipped_kb: KnowledgeBase) -> None:
    small = Advisors(shipped_kb, Limits(max_file_bytes=2000))
    long = _line({"organisation": "x" * 5000, "units": []})
    answers, outcome = _eval(small, long, _line({"op": "nothing"}), long[:1500])
    assert outcome == Outcome(refused=3)
    assert "line is over 2,000 bytes" in answers[0]["error"]["problems"][0]["message"]
    assert "max_file_bytes" in answers[0]["error"]["problems"][0]["hint"]
    assert answers[1]["line"] == 2
    assert "unknown op" in answers[1]["error"]["problems"][0]["message"]
    assert answers[2]["line"] == 3


def test_a_stream_goes_on_after_bad_lines(advisors: Advisors) -> None:
    lines = [
        "",
        "{",
        _line(ORGANISATION),
        "[]",
        _line({"op": "assess", "organisation": ORGANISATION}),
    ]
    answers, outcome = _eval(advisors, *lines)
    assert outcome == Outcome(answered=2, refused=3)
    assert ["result" in a for a in answers] == [False, False, True, False, True]


def test_a_last_line_without_a_newline_is_answered(advisors: Advisors) -> None:
    out = io.StringIO()
    run(advisors, io.BytesIO(_line(ORGANISATION).encode()), out)
    (answer,) = out.getvalue().splitlines()
    assert json.loads(answer)["op"] == "assess"


def test_a_bug_on_one_line_is_said_on_it_and_the_stream_goes_on(
    advisors: Advisors, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modeadvisor import evaluate

    def broken(*_: Any) -> str:
        raise ZeroDivisionError("on purpose")

    monkeypatch.setattr(evaluate, "explain", broken)
    lines = [
        _line({"op": "explain", "organisation": ORGANISATION, "unit": "rnd"}),
        _line(ORGANISATION),
    ]
    answers, outcome = _eval(advisors, *lines)
    assert outcome == Outcome(answered=1, internal=1)
    assert answers[0]["error"]["type"] == "InternalError"
    assert "ZeroDivisionError" in answers[0]["error"]["problems"][0]["message"]
    assert answers[1]["op"] == "assess"


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    lines=st.lists(
        st.one_of(
            st.text(max_size=60).map(lambda t: t.replace("\n", " ").replace("\r", " ")),
            st.binary(max_size=60).map(lambda b: b.replace(b"\n", b" ")),
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                lambda inner: (
                    st.lists(inner, max_size=3)
                    | st.dictionaries(
                        st.sampled_from(
                            ["op", "organisation", "unit", "units", "model", "target", "id"]
                        ),
                        inner,
                        max_size=4,
                    )
                ),
                max_leaves=8,
            ).map(json.dumps),
            st.sampled_from(["assess", "explain", "what-if", "why-not"]).map(
                lambda op: json.dumps(
                    {
                        "op": op,
                        "organisation": ORGANISATION,
                        "unit": "rnd",
                        "model": "x",
                        "target": "production",
                    }
                )
            ),
        ),
        max_size=5,
    )
)
def test_any_line_gets_exactly_one_json_line(advisors: Advisors, lines: list[str | bytes]) -> None:
    raw = b"".join((x if isinstance(x, bytes) else x.encode("utf-8")) + b"\n" for x in lines)
    out = io.StringIO()
    outcome = run(advisors, io.BytesIO(raw), out)
    written = out.getvalue().splitlines()
    expected = raw.count(b"\n")
    assert len(written) == expected
    assert outcome.answered + outcome.refused + outcome.internal == expected
    assert outcome.internal == 0
    for number, text in enumerate(written, 1):
        answer = json.loads(text)
        assert answer["line"] == number
        assert ("result" in answer) != ("error" in answer)


def test_the_command_reads_stdin_and_says_by_its_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def given_input(text: str) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))

    given_input(_line(ORGANISATION) + "\n")
    assert main(["eval", "--lang", "fi"]) == 0
    (answer,) = capsys.readouterr().out.splitlines()
    assert json.loads(answer)["result"]["language"] == "fi"
    given_input(_line(ORGANISATION) + "\n{\n")
    assert main(["eval"]) == 2
    assert len(capsys.readouterr().out.splitlines()) == 2
    given_input("")
    assert main(["eval"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.slow
def test_eval_runs_as_a_pipe() -> None:
    lines = f"{_line(ORGANISATION)}\nnot json\n"
    done = subprocess.run(
        [sys.executable, "-m", "modeadvisor.cli", "eval"],
        input=lines.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    first, second = done.stdout.decode("utf-8").splitlines()
    assert json.loads(first)["result"]["organisation"] == ORGANISATION["organisation"]
    assert json.loads(second)["error"]["problems"][0]["line"] == 2


def test_an_organisation_text_names_its_source_in_every_problem(advisors: Advisors) -> None:
    advisor = advisors.get()
    text = EXAMPLE.read_text("utf-8").replace("cost_focus:", "cost_fokus:", 1)
    with pytest.raises(Exception, match="request body:") as caught:
        advisor.assess(OrganisationText(text, "request body"))
    assert "did you mean 'cost_focus'" in str(caught.value)
    same = advisor.assess(OrganisationText(EXAMPLE.read_bytes(), "x"))
    assert same.to_json() == advisor.assess(EXAMPLE).to_json()


def test_eval_keeps_the_anonymity_floor_unless_told_as_assess_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    few = json.loads(json.dumps(ORGANISATION))
    few["respondents"] = [
        {"id": f"r{i}", "unit": "rnd", "role": "expert", "ratings": {"customer_service": 5 - i}}
        for i in range(2)  # below the shipped pack's floor of three
    ]
    path = tmp_path / "few.json"
    path.write_text(json.dumps(few), encoding="utf-8")
    for shown in ([], ["--show-respondents"]):
        expected = _cli(capsys, "assess", str(path), *shown)
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(_line(few).encode())))
        assert main(["eval", "--lang", "en", *shown]) == 0
        (answer,) = capsys.readouterr().out.splitlines()
        assert json.loads(answer)["result"] == expected
    assert _cli(capsys, "assess", str(path)) != _cli(
        capsys, "assess", str(path), "--show-respondents"
    )
