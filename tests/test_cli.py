"""The command line: every sub-command, formats, exit codes, and errors without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from modeadvisor.cli import main

from .conftest import DATA, ROOT

EXAMPLE = ROOT / "examples" / "manufacturer.yaml"
MINI = ["--rules", str(DATA / "mini")]


def test_assess_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(EXAMPLE), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["organisation"]
    unit = data["units"][0]
    assert {"id", "profile", "recommendations", "avoid", "evidence"} <= set(unit)
    assert {"weights", "dominant", "mixed"} <= set(unit["profile"])
    assert {"model", "kind", "score", "because"} <= set(unit["recommendations"][0])
    assert {"rule", "weights", "matched", "source"} <= set(unit["evidence"][0])


@pytest.mark.slow
def test_assess_json_is_byte_identical_across_processes() -> None:
    def run(seed: str) -> bytes:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        return subprocess.run(
            [sys.executable, "-m", "modeadvisor.cli", "assess", str(EXAMPLE), "--format", "json"],
            capture_output=True,
            check=True,
            env=env,
        ).stdout

    assert run("1") == run("2") == run("12345")


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_assess_human_formats(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    assert main(["assess", str(EXAMPLE), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "Balanced scorecard" in out
    if fmt == "markdown":
        assert out.startswith("# ")
        assert "| Unit | Mode |" in out


def test_assess_in_finnish(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(EXAMPLE), "--lang", "fi"]) == 0
    assert "Tuotantolähtöinen" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("level", "code"), [("conflict", 1), ("low", 1), ("medium", 1), ("high", 1)]
)
def test_fail_on_conflicts(capsys: pytest.CaptureFixture[str], level: str, code: int) -> None:
    assert main(["assess", str(EXAMPLE), "--fail-on", level]) == code
    assert "Conflicts (" in capsys.readouterr().out


def test_fail_on_passes_without_conflicts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "o.yaml"
    path.write_text(
        "organisation: X\nunits:\n  - id: a\n    traits: {cost: 5, sector: private}\n",
        encoding="utf-8",
    )
    assert main(["assess", str(path), *MINI, "--fail-on", "conflict"]) == 0
    assert "Conflicts: none found" in capsys.readouterr().out


def test_fail_on_high_ignores_medium(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import yaml

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    group, _plant, rnd = data["units"]
    group["traits"] = {"sector": "private"}  # too little evidence: the parent takes no side
    rnd.pop("models_in_use")  # no scorecard on R&D: no measurement misfit
    path = tmp_path / "o.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["assess", str(path), "--fail-on", "high"]) == 0
    out = capsys.readouterr().out
    # the plant and R&D split under the group, which itself is on neither side: medium at most
    assert (
        "[medium] units in different modes: Konsernin johto; Tampereen tehdas; Tuotekehitys, Espoo"
        in out
    )
    assert "[high]" not in out
    assert main(["assess", str(path), "--fail-on", "medium"]) == 1


def test_perspective_threshold_is_checked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(EXAMPLE), "--perspective-threshold", "2"]) == 2
    assert "perspective_threshold" in capsys.readouterr().err


def test_explain_lists_the_units_conflicts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(EXAMPLE), "--unit", "rnd"]) == 0
    out = capsys.readouterr().out
    assert "units in different modes: Konsernin johto" in out  # the kind as a reader reads it
    assert "units_split_on_model is written at core:conflicts.yaml:" in out
    assert main(["explain", str(EXAMPLE), "--unit", "rnd", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {c["kind"] for c in data["conflicts"]} >= {"unit_mode_conflict", "measurement_misfit"}


def test_markdown_has_a_conflicts_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(EXAMPLE), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "## Conflicts" in out
    assert "HIGH: units in different modes — Konsernin johto" in out


def test_explain_shows_the_trail(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(EXAMPLE), "--unit", "rnd"]) == 0
    out = capsys.readouterr().out
    assert "Why this profile" in out
    assert "matched" in out
    assert "rnd -> development -> balanced_scorecard: fits poorly" in out


def test_explain_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(EXAMPLE), "--unit", "rnd", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "rnd"


def test_explain_unknown_unit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(EXAMPLE), "--unit", "plnt"]) == 2
    assert "did you mean 'plant'" in capsys.readouterr().err


def test_validate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert "ok" in capsys.readouterr().out
    assert main(["validate", str(DATA / "mini")]) == 0


def test_traits(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["traits"]) == 0
    text = capsys.readouterr().out
    assert "profitability_before_growth  (a scale (1-5); circumstance)" in text
    assert "project_kill_readiness  (a scale (1-5); lever)" in text
    assert main(["traits", "--lang", "fi"]) == 0
    assert "periodic_figures_informative  (a scale (1-5); signaali)" in capsys.readouterr().out
    assert main(["traits", *MINI]) == 0  # a pack written before kinds: said, not guessed
    assert "(a scale (1-5); kind not given)" in capsys.readouterr().out
    assert main(["traits", "--format", "json", "--lang", "fi"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"id", "type", "kind", "label", "description", "observes"} <= set(rows[0])


def test_graph_mermaid_and_dot(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", *MINI]) == 0
    mermaid = capsys.readouterr().out
    assert mermaid.startswith("flowchart LR")
    assert "prod -->|suits 0.9| scorecard" in mermaid
    assert main(["graph", "--format", "dot"]) == 0
    dot = capsys.readouterr().out
    assert dot.startswith("strict digraph")
    assert "development -> balanced_scorecard" in dot


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (
            "organisation: X\nunits:\n  - id: a\n    traits: {cots: 3}\n",
            "org.yaml:4:14: unknown trait 'cots' (did you mean 'cost'?)",
        ),
        ("organisation: X\nunits: [\n", "malformed YAML"),
        ("", "file is empty"),
        (b"organisation: \xe4\n", "not valid UTF-8"),
    ],
)
def test_bad_input_exits_2_with_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, fragment: str
) -> None:
    path = tmp_path / "org.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    assert main(["assess", str(path), *MINI]) == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert "Traceback" not in err


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", "no-such-file.yaml"]) == 2
    assert "cannot read file" in capsys.readouterr().err


def test_bad_rules_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r.yaml").write_text("rules:\n  - id: x\n    when: 'a >'\n", encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "r.yaml" in err
    assert "Traceback" not in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess"]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["assess", str(EXAMPLE), "--format", "xml"]) == 2
    assert "usage" in capsys.readouterr().err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "assess" in capsys.readouterr().out


def test_console_script_runs_from_another_directory(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "modeadvisor"
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    result = subprocess.run(
        [str(script), "assess", str(EXAMPLE)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Tampere" in result.stdout or "plant" in result.stdout


def test_steps_lists_every_step_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    from modeadvisor.bdd import step_catalogue

    assert main(["steps"]) == 0
    out = capsys.readouterr().out
    docs = step_catalogue()
    assert len(docs) >= 60
    for doc in docs:
        assert f"{doc.keyword} {doc.phrase}" in out
        assert "{" not in doc.example, doc
    assert "# language: fi" in out
    assert 'Niin hallitseva toimintatapa on "production"' in out


def test_lint_the_shipped_pack_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint"]) == 0
    assert "0 errors, 0 warnings, 0 infos" in capsys.readouterr().out


def test_lint_exits_1_on_errors_and_speaks_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "mine"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        "pack: {id: mine, name: {en: M, fi: M}, extends: core}\nrules:\n  - id: never\n"
        "    when: cost_focus > 4 and cost_focus < 2\n    weights: {production: 1}\n"
        "    rationale: {en: r, fi: r}\n    source: [S-P1]\n",
        encoding="utf-8",
    )
    assert main(["lint", str(pack), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in data["findings"]] == ["unsatisfiable-condition"]
    assert data["findings"][0]["file"].endswith("pack.yaml")


def test_report_html_and_markdown(tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    assert main(["report", str(EXAMPLE), "-o", str(html)]) == 0
    text = html.read_text(encoding="utf-8")
    assert 'id="overview"' in text
    assert "<svg" in text
    markdown = tmp_path / "report.md"
    assert main(["report", str(EXAMPLE), "--format", "markdown", "-o", str(markdown)]) == 0
    charts = sorted((tmp_path / "report-charts").glob("*.svg"))
    assert len(charts) == 3
    assert "report-charts/" in markdown.read_text(encoding="utf-8")


def test_survey_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    survey = ROOT / "examples" / "survey-synthetic.csv"
    assert main(["survey", str(survey), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["respondents"] == 360
    assert len(data["organisations"]) == 269
    assert "prevalence" in data
    assert main(["survey", str(survey), "--lang", "fi"]) == 0
    assert "Kysely: 360 vastaajaa 269 organisaatiosta" in capsys.readouterr().out


def test_batch_scores_a_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "units.csv"
    table.write_text(
        "unit,cost_focus,established_way_of_working,resource_based_steering,"
        "goal_clarity,output_standardisation,uncertainty_level,stabilising_leadership,"
        "customer_value_basis,models_in_use\n"
        "plant,5,5,5,5,4,1,4,low_price,balanced_scorecard\nempty,,,,,,,,,\n",
        encoding="utf-8",
    )
    assert main(["batch", str(table)]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("unit,status,dominant,mixed,production")
    assert rows[1].startswith("plant,ok,production,false")
    assert rows[2].startswith("empty,insufficient_evidence,,false")


def test_progress_shows_only_on_a_terminal() -> None:
    import io

    from modeadvisor._progress import progress_bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet, loud = io.StringIO(), Terminal()
    for stream in (quiet, loud):
        with progress_bar("work", "rows", 100, stream=stream) as progress:
            for done in range(0, 101, 10):
                progress(done)
    assert quiet.getvalue() == ""
    assert "work" in loud.getvalue()


# --- --limit and --version --------------------------------------------------------------------

#: Every command that reads input, with the arguments it needs besides --limit.
READING_COMMANDS = [
    ["assess", str(EXAMPLE)],
    ["explain", str(EXAMPLE), "--unit", "rnd"],
    ["validate"],
    ["traits"],
    ["schema", "rules"],
    ["report", str(EXAMPLE)],
    ["survey", str(ROOT / "examples" / "survey-synthetic.csv")],
    ["batch", str(DATA / "mini" / "pack.yaml")],
    ["what-if", str(EXAMPLE), "--unit", "rnd", "--target", "production"],
    ["lint"],
    ["impact", str(DATA / "mini"), str(DATA / "mini")],
    ["graph"],
]


@pytest.mark.parametrize("command", READING_COMMANDS, ids=lambda c: c[0])
def test_every_reading_command_takes_limits_and_lists_them_in_its_help(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from modeadvisor.limits import limit_names

    assert main([command[0], "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())  # argparse wraps lines anywhere
    assert "--limit NAME=VALUE" in help_text
    for name in limit_names():
        assert name in help_text, name
    # an unknown name is refused by every one of them before any input is read
    assert main([*command, "--limit", "max_unit=5"]) == 2
    assert "did you mean 'max_units'?" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("setting", "fragment"),
    [
        ("max_unit=5", "unknown limit 'max_unit' (did you mean 'max_units'?)"),
        ("speed=5", "unknown limit 'speed' (the limits are max_file_bytes, max_values"),
        ("max_units", "'max_units' is not NAME=VALUE, e.g. max_units=20000"),
        ("=5", "'=5' is not NAME=VALUE, e.g. max_units=50000"),
        ("max_units=lots", "max_units takes a whole number of 0 or more, not 'lots'"),
        ("max_units=-1", "max_units takes a whole number of 0 or more, not '-1'"),
        ("max_units=", "max_units takes a whole number of 0 or more, not ''"),
        ("max_units=1.5", "max_units takes a whole number of 0 or more, not '1.5'"),
        (
            "allow_outside_pack=ture",
            "allow_outside_pack takes true or false, not 'ture' (did you mean 'true'?)",
        ),
        ("allow_outside_pack=1", "allow_outside_pack takes true or false, not '1'"),
    ],
)
def test_a_bad_limit_exits_2_saying_what_is_wrong(
    capsys: pytest.CaptureFixture[str], setting: str, fragment: str
) -> None:
    assert main(["assess", str(EXAMPLE), "--limit", setting]) == 2
    err = capsys.readouterr().err
    assert f"argument --limit: {fragment}" in err
    assert "usage: modeadvisor assess" in err
    assert "Traceback" not in err


def test_a_lowered_max_units_refuses_then_a_raised_one_assesses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """End to end: three units over a limit of 2 exit 2; the same command with 3 assesses."""
    assert main(["assess", str(EXAMPLE), "--limit", "max_units=2"]) == 2
    assert "3 units; the limit is 2" in capsys.readouterr().err
    # a later setting of the same name wins
    args = ["--limit", "max_units=2", "--limit", "max_units=3", "--format", "json"]
    assert main(["assess", str(EXAMPLE), *args]) == 0
    assert [u["id"] for u in json.loads(capsys.readouterr().out)["units"]] == [
        "group",
        "plant",
        "rnd",
    ]


def test_a_limit_can_be_raised_beyond_its_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name of 30,000 characters is refused under the default max_text of 20,000."""
    path = tmp_path / "o.yaml"
    path.write_text(
        "organisation: o\nunits:\n  - id: a\n    name: " + "x" * 30_000 + "\n", encoding="utf-8"
    )
    assert main(["assess", str(path), *MINI]) == 2
    assert "the limit is 20,000" in capsys.readouterr().err
    assert main(["assess", str(path), *MINI, "--limit", "max_text=30,000", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["units"][0]["name"] == "x" * 30_000


def test_the_table_row_bound_is_its_own_limit_and_names_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "units.csv"
    table.write_text("unit,cost\na,1\nb,2\nc,3\n", encoding="utf-8")
    assert main(["batch", str(table), *MINI, "--limit", "max_table_rows=2"]) == 2
    err = capsys.readouterr().err
    assert "units.csv:4: more than 2 rows; the limit is 2" in err  # reading stops at line 4
    assert "Limits.max_table_rows (on the command line: --limit max_table_rows=N)" in err
    # max_units no longer bounds tables: a table is not an organisation
    assert main(["batch", str(table), *MINI, "--limit", "max_units=1"]) == 0
    assert capsys.readouterr().out.count("\n") == 4


def test_a_boolean_limit_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from .conftest import write_pack

    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("sources: []\n", encoding="utf-8")
    pack = write_pack(tmp_path / "pack", {})
    (pack / "linked.yaml").symlink_to(outside)
    assert main(["validate", str(pack)]) == 2
    assert "leads outside the pack folder" in capsys.readouterr().err
    assert main(["validate", str(pack), "--limit", "allow_outside_pack=TRUE"]) == 0
    assert main(["validate", str(pack), "--limit", "allow_outside_pack=false"]) == 2


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    import modeadvisor

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"modeadvisor {version('modeadvisor')}\n"
    assert modeadvisor.__version__ == version("modeadvisor")
    with pytest.raises(AttributeError, match="no attribute '__author__'"):
        _ = modeadvisor.__author__


def test_report_folds_in_answers_up_to_a_size_and_says_when_it_leaves_them_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from modeadvisor.authoring._trees import flat_parent
    from modeadvisor.knowledge import load_knowledge_base, shipped_rules_dir
    from modeadvisor.operations import EXAMINED_UNITS

    out = tmp_path / "r.html"
    small = ROOT / "examples" / "manufacturer.yaml"
    assert main(["report", str(small), "-o", str(out)]) == 0
    assert "How settled is this?" in out.read_text(encoding="utf-8")
    assert capsys.readouterr().err == ""
    large = tmp_path / "large.json"
    organisation = flat_parent(load_knowledge_base(shipped_rules_dir()), EXAMINED_UNITS, 1)
    large.write_text(json.dumps(organisation), encoding="utf-8")
    assert main(["report", str(large), "-o", str(out), "--lang", "en"]) == 0
    assert "How settled is this?" not in out.read_text(encoding="utf-8")
    assert f"left out of reports of more than {EXAMINED_UNITS} units" in capsys.readouterr().err
