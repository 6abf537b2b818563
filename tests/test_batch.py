"""The python backend and the vectorised batch: the same advice as durable-rules, to the bit."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeadvisor import Advisor, KnowledgeBase, OrganisationError, backends
from modeadvisor.backends import durable_available
from modeadvisor.backends._vectorised import ConflictChecks
from modeadvisor.errors import BackendUnavailableError
from modeadvisor.tables import read_table

from .conftest import ROOT
from .strategies import MINI_CONDITIONS as _MINI_CONDITIONS
from .strategies import pack_with as _pack_with
from .strategies import units as _units

needs_durable = pytest.mark.skipif(not durable_available(), reason="durable-rules not importable")


@pytest.fixture(scope="module")
def python_advisor(shipped_kb: KnowledgeBase) -> Advisor:
    return Advisor(shipped_kb, backend="vectorised")


def _organisation(units: list[dict[str, Any]]) -> dict[str, Any]:
    shaped = []
    for i, unit in enumerate(units):
        shaped.append({**unit, "parent": "u0"} if i else unit)
    return {"organisation": "generated", "units": shaped}


@needs_durable
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_python_backend_gives_byte_identical_advice(
    advisor: Advisor, python_advisor: Advisor, data: st.DataObject
) -> None:
    units = data.draw(_units(advisor.knowledge_base, max_units=5))
    organisation = _organisation(units)
    assert python_advisor.assess(organisation).to_json() == advisor.assess(organisation).to_json()


@needs_durable
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_MINI_CONDITIONS, min_size=1, max_size=8), data=st.data())
def test_python_backend_on_generated_packs(
    mini_kb: KnowledgeBase, texts: list[str], data: st.DataObject
) -> None:
    kb = _pack_with(mini_kb, texts)
    units = data.draw(_units(kb))
    durable, python = Advisor(kb, backend="durable"), Advisor(kb, backend="vectorised")
    organisation = _organisation(units)
    assert python.assess(organisation).to_json() == durable.assess(organisation).to_json()


@pytest.mark.slow  # 40 tables, every unit also assessed in full: about 3 s
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_batch_columns_match_each_units_full_advice(advisor: Advisor, data: st.DataObject) -> None:
    kb = advisor.knowledge_base
    units = data.draw(_units(kb, max_units=12))
    models = list(kb.models)
    rows: list[dict[str, Any]] = []
    for unit in units:
        row: dict[str, Any] = {"unit": unit["id"], **unit["traits"]}
        used = data.draw(st.lists(st.sampled_from(models), max_size=3, unique=True))
        row["models_in_use"] = ";".join(used)
        rows.append(row)
    result = advisor.assess_many(rows)
    checkable = {rule.id for rule in ConflictChecks(kb).rules}
    kinds = {rule.id: rule.spec.kind for rule in ConflictChecks(kb).rules}
    for i, unit_id in enumerate(result.ids):
        full = advisor.advice_for(result, i)
        advised = full.unit(unit_id)
        assert result.dominant[i] == advised.profile.dominant
        assert result.status[i] == advised.profile.status
        assert bool(result.mixed[i]) == advised.profile.mixed
        assert [round(float(w), 4) for w in result.weights[i]] == list(
            advised.profile.weights.values()
        )
        assert result.top_recommendations[i] == [m.model for m in advised.recommendations][:3]
        flagged = {rule for rule, flags in result.conflict_flags.items() if flags[i]}
        # findings of one kind fold into one conflict, named by one of their rules
        assert {c.rule for c in full.conflicts if c.rule in checkable} <= flagged
        assert {kinds[rule] for rule in flagged} <= {c.kind for c in full.conflicts}


def test_conflict_checks_cover_the_single_unit_rules(shipped_kb: KnowledgeBase) -> None:
    assert {r.id for r in ConflictChecks(shipped_kb).rules} == {"measurement_in_use_misfits_mode"}


def test_a_csv_table_is_read_with_located_errors(advisor: Advisor, tmp_path: Path) -> None:
    good = tmp_path / "units.csv"
    good.write_text(
        "unit,cost_focus,risk_taking_accepted,customer_value_basis,models_in_use\n"
        "a,5,false,low_price;reliable_standard_delivery,balanced_scorecard\n"
        "b,,true,,\n",
        encoding="utf-8",
    )
    table = read_table(advisor.knowledge_base, good)
    assert table.values[0]["customer_value_basis"] == frozenset(
        {"low_price", "reliable_standard_delivery"}
    )
    assert table.values[1] == {"risk_taking_accepted": True}
    assert table.in_use[0] == frozenset({"balanced_scorecard"})
    bad = tmp_path / "bad.csv"
    bad.write_text("unit,cost_fokus,cost_focus,models_in_use\na,1,9,bsc\n", encoding="utf-8")
    with pytest.raises(OrganisationError) as raised:
        read_table(advisor.knowledge_base, bad)
    text = str(raised.value)
    assert "bad.csv:1:2: unknown column 'cost_fokus' (did you mean 'cost_focus'?)" in text
    assert "bad.csv:2:3: column 'cost_focus': 9 is out of range" in text
    assert "bad.csv:2:4: unknown model 'bsc'" in text


def test_the_fallback_warns_once_and_gives_the_same_advice(
    shipped_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backends, "durable_unavailable", lambda: "no durable-rules in this test")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")  # Python's own: once per place it is raised from
        advisors = [Advisor(shipped_kb) for _ in range(3)]
    assert [str(w.message) for w in caught] == [
        "durable-rules cannot be imported here; modeadvisor uses its vectorised backend, "
        "which gives the same advice"
    ]
    assert {advisor.backend.name for advisor in advisors} == {"vectorised"}
    with pytest.raises(BackendUnavailableError, match="no durable-rules in this test"):
        Advisor(shipped_kb, backend="durable")
    example = ROOT / "examples" / "municipality.yaml"
    assert advisors[0].assess(example).conflicts


def test_backends_have_one_name_each_and_python_is_an_alias(shipped_kb: KnowledgeBase) -> None:
    assert Advisor(shipped_kb, backend="python").backend.name == "vectorised"
    assert Advisor(shipped_kb, backend="vectorised").backend.name == "vectorised"
    with pytest.raises(BackendUnavailableError, match="unknown backend 'vectorized'") as raised:
        Advisor(shipped_kb, backend="vectorized")  # type: ignore[arg-type]
    assert raised.value.problems[0].hint == "did you mean 'vectorised'?"


def test_a_pandas_like_frame_is_accepted(advisor: Advisor) -> None:
    class Frame:  # what pandas.DataFrame offers
        def to_dict(self, orient: str) -> list[dict[str, Any]]:
            assert orient == "records"
            return [{"unit": "a", "cost_focus": 5.0, "models_in_use": float("nan")}]

    result = advisor.assess_many(Frame())
    assert result.ids == ["a"]


def test_a_table_with_the_wrong_columns_says_so_once(advisor: Advisor, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("organisation,role\nA,expert\nB,expert,extra\n", encoding="utf-8")
    with pytest.raises(OrganisationError) as raised:
        read_table(advisor.knowledge_base, wrong)
    where = {p.message: (p.location.line, p.location.column) for p in raised.value.problems}
    assert [p.message for p in raised.value.problems].count("unknown column 'organisation'") == 1
    assert where["unknown column 'organisation'"] == (1, 1)
    assert where["no 'unit' column: each row needs the id of the unit it describes"] == (1, None)
    assert where["the row has more cells than the header has columns"] == (3, 3)


# --- reading a table: one cell parser, the delimiter found from the header ----------------------


def test_a_finnish_excel_table_reads_as_the_same_units(advisor: Advisor, tmp_path: Path) -> None:
    kb = advisor.knowledge_base
    comma = tmp_path / "comma.csv"
    comma.write_text(
        "unit,cost_focus,risk_taking_accepted,project_work_share,customer_value_basis,"
        "models_in_use\n"
        "a,4,true,12.5,low_price;tailored_service,balanced_scorecard\n"
        "b,,false,,,\n",
        encoding="utf-8",
    )
    semicolon = tmp_path / "semicolon.csv"
    semicolon.write_bytes(
        (
            "# exported from Excel\r\n"
            "Unit;Cost Focus;Risk-Taking Accepted;project_work_share;customer_value_basis;"
            "models_in_use\r\n"
            "a;4,0;Kyllä;12,5;low_price|tailored_service;balanced_scorecard\r\n"
            ";;;;;\r\n"
            'b; ;ei;;"";\r\n'
        ).encode("utf-8-sig")
    )
    first, second = read_table(kb, comma), read_table(kb, semicolon)
    assert first == second
    assert first.values[0] == {
        "cost_focus": 4,
        "risk_taking_accepted": True,
        "project_work_share": 12.5,
        "customer_value_basis": frozenset({"low_price", "tailored_service"}),
    }
    assert first.values[1] == {"risk_taking_accepted": False}
    quoted = tmp_path / "quoted.csv"
    quoted.write_text(
        'unit;customer_value_basis;models_in_use\na;"low_price;tailored_service";'
        '"balanced_scorecard;financial_time_series"\n',
        encoding="utf-8",
    )
    table = read_table(kb, quoted)
    assert table.values[0]["customer_value_basis"] == first.values[0]["customer_value_basis"]
    assert table.in_use[0] == frozenset({"balanced_scorecard", "financial_time_series"})


def test_frame_values_are_read_by_their_type(advisor: Advisor) -> None:
    np = pytest.importorskip("numpy")
    rows = [
        {
            "unit": "a",
            "cost_focus": np.float64(4.0),  # an integer column with gaps
            "risk_taking_accepted": np.bool_(True),
            "project_work_share": np.int64(30),
            "customer_value_basis": ["low_price"],
            "models_in_use": ["balanced_scorecard"],
        },
        {"unit": "b", "cost_focus": np.float64("nan"), "risk_taking_accepted": None},
    ]
    table = read_table(advisor.knowledge_base, rows)
    assert table.values == [
        {
            "cost_focus": 4,
            "risk_taking_accepted": True,
            "project_work_share": 30,
            "customer_value_basis": frozenset({"low_price"}),
        },
        {},
    ]
    assert table.in_use == [frozenset({"balanced_scorecard"}), frozenset()]
    with pytest.raises(OrganisationError) as raised:
        read_table(advisor.knowledge_base, [{"unit": "a", "cost_focus": 4.5, "cost_fokus": 1}])
    assert [str(p) for p in raised.value.problems] == [
        "<table>:2:2: column 'cost_focus': 'cost_focus' is a scale (1-5), found a number 4.5",
        "<table>:2:3: unknown column 'cost_fokus' (did you mean 'cost_focus'?)",
    ]


BATCH_HEADER = "unit,cost_focus,risk_taking_accepted,sector,models_in_use\n"


@pytest.mark.parametrize(
    ("text", "line", "column", "message", "hint"),
    [
        ("", None, None, "the file is empty: no header row", None),
        ("# only a comment\n\n", None, None, "the file is empty: no header row", None),
        (
            "unit,cost_focus,cost_focus\na,4,4\n",
            1,
            3,
            "column 'cost_focus' appears twice (first as column 2)",
            None,
        ),
        (BATCH_HEADER + " ,4,true,private,\n", 2, 1, "column 'unit' is empty", None),
        (
            BATCH_HEADER + "a,four,true,private,\n",
            2,
            2,
            "column 'cost_focus': 'cost_focus' is a scale (1-5), found 'four'",
            None,
        ),
        (
            BATCH_HEADER + "a,4,maybe,private,\n",
            2,
            3,
            "column 'risk_taking_accepted': 'risk_taking_accepted' is true/false, found 'maybe'",
            None,
        ),
        (
            BATCH_HEADER + "a,4,true,privat,\n",
            2,
            4,
            "'privat' is not a value of 'sector'",
            None,
        ),
        (
            BATCH_HEADER + "a,4,true,private,balanced_scorecard;scorecrad\n",
            2,
            5,
            "unknown model 'scorecrad'",
            None,
        ),
        (
            "unit,cost_focus,\na,4,\nb,4,x\nc,4,y\n",
            3,
            3,
            "a value in column 3, which has no name in the header",
            None,
        ),
        (
            "unit,cost_focus\na," + "9" * 200_000 + "\nb,4\n",
            2,
            None,
            "malformed CSV: field larger than field limit",
            None,
        ),
    ],
)
def test_located_mistakes_in_a_table(
    advisor: Advisor,
    tmp_path: Path,
    text: str,
    line: int | None,
    column: int | None,
    message: str,
    hint: str | None,
) -> None:
    path = tmp_path / "units.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OrganisationError) as raised:
        read_table(advisor.knowledge_base, path)
    found = [p for p in raised.value.problems if message in p.message]
    assert len(found) == 1, str(raised.value)
    (problem,) = found
    assert problem.location.file == str(path)
    assert (problem.location.line, problem.location.column) == (line, column), str(problem)
    if hint is not None:
        assert hint in (problem.hint or "")


def test_a_table_not_in_utf8_names_its_line(advisor: Advisor, tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes("unit,sector\na,private\nkärki,public\n".encode("cp1252"))
    with pytest.raises(OrganisationError) as raised:
        read_table(advisor.knowledge_base, path)
    (problem,) = raised.value.problems
    assert problem.location.line == 3
    assert problem.message == "not UTF-8 text: byte 0xe4 (character 2 of the line)"
    assert problem.hint == (
        "it reads as 'ä' in Windows-1252: give --encoding cp1252; "
        "save it from the spreadsheet as 'CSV UTF-8'"
    )
    with pytest.raises(OrganisationError, match="cannot read the table"):
        read_table(advisor.knowledge_base, tmp_path / "missing.csv")


def test_table_problems_are_capped_as_the_surveys_are(advisor: Advisor, tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("unit,cost_focus\n" + "".join(f"u{i},9\n" for i in range(500)), "utf-8")
    with pytest.raises(OrganisationError) as raised:
        read_table(advisor.knowledge_base, path)
    assert len(raised.value.problems) == 101
    assert "400 more problems are not listed; the first 100 are" in str(raised.value)
