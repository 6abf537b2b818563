"""Survey tables: reading (encodings, delimiters, located mistakes) and aggregation."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from modeadvisor import KnowledgeBase, ModeAdvisorError
from modeadvisor.agreement import consensus, rwg
from modeadvisor.conflicts import mode_ratings
from modeadvisor.limits import Limits
from modeadvisor.survey import SurveyError, SurveyResult, read_survey, to_text

from .conftest import ROOT

SYNTHETIC = ROOT / "examples" / "survey-synthetic.csv"
SCRIPT = ROOT / "scripts" / "make_survey.py"
MODES = ("production", "development", "customer_service", "public_administration")


def _survey(tmp_path: Path, text: str | bytes, name: str = "survey.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def _read(kb: KnowledgeBase, tmp_path: Path, text: str | bytes) -> SurveyResult:
    """The survey aggregated with every group's figures (the anonymity floor has its own
    tests in test_anonymity.py): these tests check the arithmetic on groups of any size."""
    return read_survey(_survey(tmp_path, text), kb, show_respondents=True)


def _problems(kb: KnowledgeBase, tmp_path: Path, text: str | bytes) -> SurveyError:
    with pytest.raises(SurveyError) as caught:
        _read(kb, tmp_path, text)
    return caught.value


# --- the synthetic example -------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic(shipped_kb: KnowledgeBase) -> SurveyResult:
    return read_survey(SYNTHETIC, shipped_kb, show_respondents=True)


def test_synthetic_file_says_it_is_synthetic() -> None:
    first = SYNTHETIC.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# SYNTHETIC")


def test_synthetic_survey_has_the_shape_of_the_study(synthetic: SurveyResult) -> None:
    # S-C1: 360 respondents from 269 organisations, about 84 % top management.
    assert synthetic.respondents == 360
    assert synthetic.organisation_count == len(synthetic.organisations) == 269
    assert synthetic.roles["top_management"] / synthetic.respondents == pytest.approx(
        0.84, abs=0.01
    )
    assert sum(synthetic.roles.values()) == 360
    sizes = [o.respondents for o in synthetic.organisations]
    assert sum(sizes) == 360
    assert sizes.count(1) > 150
    assert max(sizes) >= 3
    # S-C3: customer service is clearly the most prevalent mode.
    prevalence = synthetic.prevalence
    assert prevalence.most_prevalent == ["customer_service"]
    by_mode = {m.archetype: m for m in prevalence.modes}
    service = by_mode["customer_service"]
    assert all(service.dominant > 1.5 * m.dominant for m in prevalence.modes if m is not service)
    assert service.central == max(m.central for m in prevalence.modes)
    # S-C2: many name two modes as central; some organisations tie for the top.
    assert sum(len(o.central) >= 2 for o in synthetic.organisations) > 50
    assert prevalence.tied == sum(bool(o.tied) for o in synthetic.organisations) > 0
    assert any(o.disputed for o in synthetic.organisations)
    assert synthetic.unit_count > 0


def test_synthetic_generator_is_deterministic(tmp_path: Path) -> None:
    outputs = []
    for run in range(2):
        target = tmp_path / f"run{run}.csv"
        subprocess.run([sys.executable, str(SCRIPT), str(target)], check=True, capture_output=True)
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] == SYNTHETIC.read_bytes()


def test_json_is_deterministic_whatever_the_row_order(
    shipped_kb: KnowledgeBase, synthetic: SurveyResult, tmp_path: Path
) -> None:
    lines = SYNTHETIC.read_text(encoding="utf-8").splitlines(keepends=True)
    rows = lines[2:]
    random.Random(7).shuffle(rows)
    shuffled = read_survey(
        _survey(tmp_path, "".join(lines[1:2] + rows)), shipped_kb, show_respondents=True
    )
    assert shuffled.to_json() == synthetic.to_json()
    data = json.loads(synthetic.to_json())
    assert {"organisations", "prevalence", "respondents", "organisation_count"} <= set(data)
    assert [o["organisation"] for o in data["organisations"]] == sorted(
        (o["organisation"] for o in data["organisations"]), key=lambda n: (n.casefold(), n)
    )


def test_text_in_english_and_finnish(synthetic: SurveyResult) -> None:
    english = to_text(synthetic)
    assert english.startswith("Survey: 360 respondents from 269 organisations")
    assert "top management 302 (83.9%)" in english
    assert "Most prevalent: Customer-service-oriented" in english
    finnish = to_text(synthetic, "fi")
    assert finnish.startswith("Kysely: 360 vastaajaa 269 organisaatiosta")
    assert "ylin johto 302 (83,9 %)" in finnish
    assert "Yleisin: Asiakaspalvelulähtöinen" in finnish
    assert "vastaajat ovat eri mieltä" in finnish


# --- aggregation -----------------------------------------------------------------------------

AGREEMENT = """\
organisation,unit,role,respondent,production,development,customer_service,public_administration
Camps Oy,sales,top_management,a,5,,4,
Camps Oy,sales,top_management,b,5,,4,
Camps Oy,plant,middle_management,c,1,3,5,
Camps Oy,,expert,d,1,,5,
Alone Oy,,,e,2,5,5,1
"""


def test_agreement_and_dominance(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    result = _read(shipped_kb, tmp_path, AGREEMENT)
    camps = result.organisation("Camps Oy")
    assert camps.respondents == 4
    assert camps.roles == {"expert": 1, "middle_management": 1, "top_management": 2}
    ratings = {r.archetype: r for r in camps.ratings}
    assert list(ratings) == sorted(ratings)
    production, service = ratings["production"], ratings["customer_service"]
    # production 5, 5, 1, 1: two camps at the ends, no agreement at all.
    assert (production.mean, production.respondents) == (3.0, 4)
    assert production.rwg == 0.0
    assert production.consensus == 0.0
    # customer service 4, 4, 5, 5: variance 1/3 against a uniform null of 2.
    assert service.mean == 4.5
    assert service.rwg == pytest.approx(1 - (1 / 3) / 2, abs=1e-6)
    assert service.consensus == pytest.approx(1 + math.log2(1 - 0.5 / 4), abs=1e-6)
    assert service.consensus == round(consensus([4, 4, 5, 5]), 6)
    assert service.rwg == round(rwg([4, 4, 5, 5]), 6)
    # a single rating: a mean, but no agreement
    assert (ratings["development"].respondents, ratings["development"].rwg) == (1, None)
    assert camps.dominant == "customer_service"
    assert camps.tied == []
    assert camps.central == ["customer_service"]
    assert camps.disputed
    assert camps.disputed_modes == ["production"]
    # the same figures as an organisation file's self-assessment (situation.mode_ratings)
    answers = [
        {"production": 5, "customer_service": 4},
        {"production": 5, "customer_service": 4},
        {"production": 1, "development": 3, "customer_service": 5},
        {"production": 1, "customer_service": 5},
    ]
    assert camps.ratings == mode_ratings(answers)
    # units: each apart; the organisation pools every respondent, with or without a unit
    assert [u.unit for u in camps.units] == ["plant", "sales"]
    sales = camps.units[1]
    assert sales.respondents == 2
    assert not sales.disputed
    assert {r.archetype: r.rwg for r in sales.ratings} == {
        "customer_service": 1.0,
        "production": 1.0,
    }
    assert sales.dominant == "production"


def test_statistics_match_the_self_assessment_of_organisation_files(
    shipped_kb: KnowledgeBase, tmp_path: Path
) -> None:
    rng = random.Random(11)
    answers = [{mode: rng.randint(1, 5) for mode in MODES if rng.random() < 0.8} for _ in range(40)]
    rows = ["organisation," + ",".join(MODES)]
    rows += ["A," + ",".join(str(answer.get(mode, "")) for mode in MODES) for answer in answers]
    (organisation,) = _read(shipped_kb, tmp_path, "\n".join(rows) + "\n").organisations
    assert organisation.ratings == mode_ratings([a for a in answers if a])


def test_ties_are_reported_not_picked(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    result = _read(shipped_kb, tmp_path, AGREEMENT)
    alone = result.organisation("Alone Oy")
    assert alone.dominant is None
    assert alone.tied == ["customer_service", "development"]
    assert alone.roles == {"unspecified": 1}
    prevalence = result.prevalence
    by_mode = {m.archetype: m for m in prevalence.modes}
    assert (prevalence.organisations, prevalence.tied) == (2, 1)
    assert by_mode["customer_service"].dominant == 1  # Camps Oy only; the tie is apart
    assert by_mode["customer_service"].tied == 1
    assert by_mode["development"].tied == 1
    assert by_mode["customer_service"].dominant_share == 0.5
    assert by_mode["customer_service"].central == 2
    assert by_mode["customer_service"].respondents_central == 5
    assert prevalence.most_prevalent == ["customer_service"]
    assert (
        "tied for the top: Product/service-development-oriented, Customer-service-oriented"
        in to_text(result)
    )


def test_lookup_suggests_a_close_name(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    result = _read(shipped_kb, tmp_path, AGREEMENT)
    with pytest.raises(SurveyError, match="did you mean 'Camps Oy'"):
        result.organisation("Camp Oy")


def test_traits_are_typed_by_the_catalogue(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    text = (
        "organisation;customer_service;sector;goal_clarity;risk_taking_accepted;"
        "project_work_share;customer_value_basis\n"
        'Kärkkäinen Oy;5;private;4;yes;12,5;"low_price; tailored_service"\n'
        "Kärkkäinen Oy;4;private;5;ei;30;tailored_service\n"
        "Kärkkäinen Oy;4;private;3,0;K;1.5e1;low_price|tailored_service\n"
    )
    (organisation,) = _read(shipped_kb, tmp_path, text).organisations
    traits = {t.trait: t for t in organisation.traits}
    assert traits["sector"].counts == {"private": 3}
    assert traits["goal_clarity"].mean == 4.0
    assert traits["risk_taking_accepted"].counts == {"false": 1, "true": 2}
    assert traits["project_work_share"].mean == 19.166667
    assert traits["customer_value_basis"].counts == {"low_price": 2, "tailored_service": 3}


# --- encodings and delimiters ----------------------------------------------------------------


def test_semicolon_delimiter_bom_and_crlf(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    text = (
        "\ufeff# exported from Excel\r\n"
        "Organisation;Unit;Role;Production;Customer_Service\r\n"
        "Kärkkäinen Oy;Myynti;top_management;2;5\r\n"
        ";;;;\r\n"
        "\r\n"
        "Kärkkäinen Oy;Myynti;expert;3;4\r\n"
    )
    result = _read(shipped_kb, tmp_path, text)
    (organisation,) = result.organisations
    assert organisation.organisation == "Kärkkäinen Oy"
    assert organisation.respondents == result.respondents == 2
    assert [u.unit for u in organisation.units] == ["Myynti"]
    assert organisation.dominant == "customer_service"


def test_a_bom_before_the_header(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    text = "organisation,production\nÅbo Ab,4\n".encode("utf-8-sig")
    assert _read(shipped_kb, tmp_path, text).organisations[0].organisation == "Åbo Ab"


def test_mixed_encodings_name_row_and_column(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    lines = ["organisation,role,production,customer_service"]
    lines += [f"Kärkkäinen Oy,expert,{i},4" for i in range(1, 5)]
    head = "\n".join(lines).encode("utf-8") + b"\n"
    tail = "Mäkelä Oy,top_management,3,5\n".encode("cp1252")  # line 6 (row 5 of data)
    error = _problems(shipped_kb, tmp_path, head + b"Ok Oy,expert,2,2\n" + tail)
    (problem,) = error.problems
    assert (problem.location.line, problem.location.column) == (7, 1)
    assert "byte 0xe4 in column 'organisation'" in problem.message
    assert "character 2" in problem.message
    assert problem.hint is not None
    assert "'ä' in Windows-1252" in problem.hint
    assert "mixes encodings" in problem.hint


def test_a_whole_file_in_windows_1252(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    text = "organisation,production,customer_service\nÖljy Oy,2,5\nSähkö Oy,5,3\n"
    error = _problems(shipped_kb, tmp_path, text.encode("cp1252"))
    (problem,) = error.problems
    assert (problem.location.line, problem.location.column) == (2, 1)
    assert problem.hint is not None
    assert "2 lines are not UTF-8" in problem.hint
    assert "CSV UTF-8" in problem.hint


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"organisation,production\nA,4\nB\x00,4\n", 3, "a NUL byte in column 'organisation'"),
        ("organisation,production\nA,4\n".encode("utf-16-le"), 1, "a NUL byte in column 1"),
        (b"organisation,production\rA,4\rB,5\r", 1, "carriage return only"),
        (
            b"organisation,production\nA," + b"9" * 200_000 + b"\n",
            2,
            "field larger than field limit",
        ),
        ("organisation,tuotantö\nA,4\n".encode("cp1252"), 1, "byte 0xf6 in column 2"),
    ],
)
def test_unreadable_text_is_one_clear_problem(
    shipped_kb: KnowledgeBase, tmp_path: Path, data: bytes, line: int, message: str
) -> None:
    (problem,) = _problems(shipped_kb, tmp_path, data).problems
    assert problem.location.line == line
    assert message in problem.message


def test_tab_delimiter_and_quoted_header(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    text = '"organisation"\t"production"\t"role"\n"A"\t4\tTop management\n'
    result = _read(shipped_kb, tmp_path, text)
    assert result.roles == {"top_management": 1}
    assert result.organisations[0].dominant == "production"


def test_utf16_and_workbooks_are_refused(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    utf16 = "organisation,production\nA,4\n".encode("utf-16")
    assert "UTF-16" in str(_problems(shipped_kb, tmp_path, utf16))
    assert ".xlsx" in str(_problems(shipped_kb, tmp_path, b"PK\x03\x04\x14\x00rest"))


# --- located mistakes ------------------------------------------------------------------------

HEADER = "organisation,unit,role,respondent,production,customer_service,sector\n"


@pytest.mark.parametrize(
    ("text", "line", "column", "message", "hint"),
    [
        ("", None, None, "the file is empty", "organisation, role"),
        ("# only a comment\n\n", None, None, "the file is empty", None),
        (HEADER, 1, None, "no respondents: the file has a header but no rows", None),
        (
            "organization,production\nA,4\n",
            1,
            1,
            "unknown column 'organization'",
            "did you mean 'organisation'?",
        ),
        (
            "organization,production\nA,4\n",
            1,
            None,
            "no 'organisation' column",
            "did you mean 'organization'?",
        ),
        ("organisation,role\nA,expert\n", 1, None, "no rating columns", None),
        (
            "organisation,prodution\nA,4\n",
            1,
            2,
            "unknown column 'prodution'",
            "did you mean 'production'?",
        ),
        (
            "organisation,production,production\nA,4,4\n",
            1,
            3,
            "column 'production' appears twice (first as column 2)",
            None,
        ),
        (
            HEADER + "A,,expert,,7,4,private\n",
            2,
            5,
            "column 'production': rating '7' is not a whole number from 1",
            "leave it empty",
        ),
        (HEADER + "A,,expert,,4.5,4,private\n", 2, 5, "rating '4.5' is not a whole number", None),
        (HEADER + "A,,expert,,-4,4,private\n", 2, 5, "rating '-4' is not a whole number", None),
        (
            HEADER + "A,,expert,,4,high,private\n",
            2,
            6,
            "column 'customer_service': rating 'high'",
            None,
        ),
        (
            HEADER + "A,,expert,,4,4,private\n ,,expert,,4,4,private\n",
            3,
            1,
            "column 'organisation': empty",
            None,
        ),
        (
            HEADER + "A,,top_managment,,4,4,private\n",
            2,
            3,
            "unknown role 'top_managment'",
            "did you mean 'top_management'?",
        ),
        (
            HEADER + "A,,expert,,4,4,privat\n",
            2,
            7,
            "column 'sector': 'privat' is not a value of 'sector'",
            None,
        ),
        (
            "organisation,production,goal_clarity\nA,4,9\n",
            2,
            3,
            "column 'goal_clarity': 9 is out of range",
            None,
        ),
        (
            "organisation,production,goal_clarity\nA,4,often\n",
            2,
            3,
            "'goal_clarity' is a scale (1-5), found 'often'",
            None,
        ),
        (
            "organisation,production,risk_taking_accepted\nA,4,maybe\n",
            2,
            3,
            "'risk_taking_accepted' is true/false, found 'maybe'",
            None,
        ),
        (
            "organisation,production,customer_value_basis\nA,4,low_price;cheap\n",
            2,
            3,
            "'cheap' is not a value of 'customer_value_basis'",
            None,
        ),
        (
            HEADER + "A,,expert,r1,4,4,private\nA,,expert,r1,3,3,private\n",
            3,
            None,
            "respondent 'r1' of 'A' answers twice (first on line 2)",
            None,
        ),
        (HEADER + "A,,expert,,4,4\n", 2, None, "the row has 6 columns; the header has 7", None),
        (
            HEADER + 'A,"sales,expert,,4,4,private\nB,,expert,,4,4,private\n',
            2,
            None,
            "the row has",
            'is a quote (") left open?',
        ),
        (
            "organisation,production,\nA,4,\nB,4,x\n",
            3,
            3,
            "a value in column 3, which has no name",
            None,
        ),
    ],
)
def test_located_mistakes(
    shipped_kb: KnowledgeBase,
    tmp_path: Path,
    text: str,
    line: int | None,
    column: int | None,
    message: str,
    hint: str | None,
) -> None:
    error = _problems(shipped_kb, tmp_path, text)
    assert isinstance(error, ModeAdvisorError)
    assert isinstance(error, ValueError)
    found = [p for p in error.problems if message in p.message]
    assert found, str(error)
    problem = found[0]
    assert problem.location.file.endswith("survey.csv")
    assert (problem.location.line, problem.location.column) == (line, column), str(error)
    if hint is not None:
        assert hint in (problem.hint or ""), str(error)


def test_ratings_are_whole_numbers_however_written(
    shipped_kb: KnowledgeBase, tmp_path: Path
) -> None:
    text = "organisation;production;customer_service\nA;4,0;+2\nA; 4.00 ;2\n"
    (organisation,) = _read(shipped_kb, tmp_path, text).organisations
    means = {r.archetype: r.mean for r in organisation.ratings}
    assert means == {"production": 4.0, "customer_service": 2.0}


def test_a_file_over_the_limit_keeps_the_problems_found_before(
    shipped_kb: KnowledgeBase, tmp_path: Path
) -> None:
    path = _survey(tmp_path, "organisation,production\nA,9\n" + "A,4\n" * 1000)
    with pytest.raises(SurveyError) as raised:
        read_survey(path, shipped_kb, limits=Limits(max_file_bytes=1000))
    messages = [p.message for p in raised.value.problems]
    assert "file is over the limit of 1,000 bytes" in messages
    assert any("rating '9'" in m for m in messages)


def test_every_mistake_is_reported_at_once(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    text = "organisation,rol,production,customer_service\nA,expert,9,4\n,expert,4,0\nC,expert,4,4\n"
    error = _problems(shipped_kb, tmp_path, text)
    where = [(p.location.line, p.location.column) for p in error.problems]
    assert where == [(1, 2), (2, 3), (3, 1), (3, 4)]
    assert "did you mean 'role'?" in str(error)
    first, second = str(error).splitlines()[:2]
    assert first == "4 problems:"
    assert second.endswith("survey.csv:1:2: unknown column 'rol' (did you mean 'role'?)")


def test_problems_are_capped(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    text = "organisation,production\n" + "A,9\n" * 500
    error = _problems(shipped_kb, tmp_path, text)
    assert len(error.problems) == 101
    assert "400 more problems are not listed" in str(error)


def test_file_size_is_bounded(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = _survey(tmp_path, "organisation,production\n" + "A,4\n" * 1000)
    with pytest.raises(SurveyError, match="over the limit of 1,000 bytes"):
        read_survey(path, shipped_kb, limits=Limits(max_file_bytes=1000))
    assert read_survey(path, shipped_kb, limits=Limits(max_file_bytes=5000)).respondents == 1000


def test_not_a_file(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(SurveyError, match="not a regular file"):
        read_survey(tmp_path, shipped_kb)
    with pytest.raises(SurveyError, match="cannot read file"):
        read_survey(tmp_path / "missing.csv", shipped_kb)


# --- scale -----------------------------------------------------------------------------------


@pytest.mark.slow  # writes and reads 100,000 rows
def test_a_survey_of_100000_rows(shipped_kb: KnowledgeBase, tmp_path: Path) -> None:
    rng = random.Random(3)
    pool = [",".join(str(rng.randint(1, 5)) for _ in MODES) for _ in range(997)]
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(
            "organisation,unit,role,respondent,production,development,customer_service,"
            "public_administration,sector\n"
        )
        out.writelines(
            f"Org {i % 2_000:04d},unit {i % 3},expert,r{i},{pool[i % 997]},private\n"
            for i in range(100_000)
        )
    seen: list[int] = []
    start = time.process_time()  # CPU time: the bound holds on a busy machine too
    result = read_survey(path, shipped_kb, progress=seen.append)
    elapsed = time.process_time() - start
    assert result.respondents == 100_000
    assert result.organisation_count == 2_000
    assert result.unit_count == 6_000
    assert result.organisations[0].respondents == 50
    assert seen == list(range(1000, 100_001, 1000))
    assert elapsed < 10, f"{elapsed:.1f} s"
    json.loads(result.to_json())
