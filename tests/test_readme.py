"""The README's examples run as tests, so the README never lies."""

from __future__ import annotations

import contextlib
import glob
import io
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from modeadvisor import Advisor, load_knowledge_base
from modeadvisor.cli import main
from modeadvisor.knowledge import shipped_rules_dir

from .conftest import ROOT

pytest_plugins = ["pytester"]

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def test_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    code = _blocks("python")[0]  # the API's; the Dask one runs below
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    first = out.getvalue().splitlines()[0]
    assert first.startswith("development ")


def test_organisation_example_is_valid_and_advises_as_it_says(advisor: Advisor) -> None:
    organisation = next(yaml.safe_load(b) for b in _blocks("yaml") if "organisation:" in b)
    advice = advisor.assess(organisation)
    rnd = advice.unit("rnd")
    assert rnd.profile.dominant == "development"
    assert [m.model for m in rnd.avoid if m.in_use] == ["balanced_scorecard"]
    assert advice.unit("group").profile.dominant == "production"


def test_rule_example_loads_into_the_shipped_pack(tmp_path: Path) -> None:
    rule = next(b for b in _blocks("yaml") if b.startswith("rules:"))
    pack = tmp_path / "pack"
    shutil.copytree(shipped_rules_dir(), pack)
    (pack / "readme_rule.yaml").write_text(rule, encoding="utf-8")
    kb = load_knowledge_base(pack)
    assert "varying_project_work" in [r.id for r in kb.rules]


def test_layered_pack_example_loads_on_core(tmp_path: Path) -> None:
    text = next(b for b in _blocks("yaml") if "extends: core" in b)
    pack = tmp_path / "acme"
    pack.mkdir()
    (pack / "acme.yaml").write_text(text, encoding="utf-8")
    kb = load_knowledge_base(pack)
    assert kb.layers == ("core", "acme")
    assert kb.settings.perspective_threshold == 0.15
    assert kb.models["balanced_scorecard"].name.fi == "Tasapainotettu mittaristo"
    assert "profitability_first" not in {r.id for r in kb.rules}


def test_views_example_is_valid(advisor: Advisor) -> None:
    organisation = next(yaml.safe_load(b) for b in _blocks("yaml") if "perspectives:" in b)
    advice = advisor.assess(organisation)
    assert advice.unit("company").perspectives["strategy"]["customer_service"] > 0.5
    assert advice.unit("housing").self_assessment is not None


def test_conflict_rule_example_loads_and_fires(tmp_path: Path, advisor: Advisor) -> None:
    rule = next(b for b in _blocks("yaml") if b.startswith("conflicts:"))
    pack = tmp_path / "pack"
    shutil.copytree(shipped_rules_dir(), pack)
    (pack / "readme_conflict.yaml").write_text(rule, encoding="utf-8")
    organisation = yaml.safe_load((ROOT / "examples" / "manufacturer.yaml").read_text("utf-8"))
    organisation["imposed_models"] = ["balanced_scorecard"]
    advice = Advisor(load_knowledge_base(pack)).assess(organisation)
    (found,) = [c for c in advice.conflicts if c.rule == "scorecard_on_a_project_unit"]
    assert found.units == ["rnd"]
    assert "Balanced scorecard" in found.explanation


@pytest.mark.slow
def test_feature_example_passes_through_the_plugin(pytester: pytest.Pytester) -> None:
    (feature,) = _blocks("gherkin")
    pytester.makefile(".feature", readme=feature)
    runner = ROOT / "tests" / "scripts" / "readme_feature.py"
    pytester.makepyfile(test_readme_feature=runner.read_text(encoding="utf-8"))
    # the plugin loads where a project asks for it: here by its top-level conftest
    pytester.makeconftest('pytest_plugins = ["modeadvisor.bdd"]')
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning"
    )
    result.assert_outcomes(passed=1)


def test_steps_documented_in_the_readme_exist() -> None:
    bdd = (ROOT / "src" / "modeadvisor" / "bdd" / "steps.py").read_text(encoding="utf-8")
    section = README.split("## Writing feature files")[1].split("## ")[0]
    for phrase in re.findall(r"`((?:Given|When|Then) [^`]+)`", section):
        pattern = re.sub(r'"[A-Z-]+"', '"{x}"', phrase.split(" ", 1)[1])
        pattern = pattern.replace(" N ", " {count:d} ")
        pattern = re.sub(r"\b\d+(\.\d+)?\b|\b[A-Z][A-Z-]+\b", "{n}", pattern)
        words = re.sub(r"\{[^}]*\}", "", pattern).split()
        assert all(word in bdd for word in words), phrase


def test_history_commands_run_and_say_what_the_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    section = README.split("\n## History\n")[1].split("\n## ")[0]
    commands = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)[0].splitlines()
    shown = re.findall(r"```text\n(.*?)```", section, re.DOTALL)[0]
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    outputs = []
    for line in commands:
        program, *args = shlex.split(line)
        assert program == "modeadvisor"
        assert main(args) == 0, line
        outputs.append(capsys.readouterr().out)
    history = outputs[2]
    for expected in shown.splitlines():  # every line but those with the moments of saving
        if " UTC" not in expected:
            assert expected in history.splitlines(), expected
    assert '<svg class="timeline" id="timeline-rnd"' in (tmp_path / "report.html").read_text(
        "utf-8"
    )
    assert outputs[-1] == "erased 2 saved assessments of Pohjolan Konepaja Oy\n"


@pytest.mark.slow  # starts a cluster of two worker processes
def test_dask_example_runs_on_a_local_cluster(tmp_path: Path) -> None:
    import subprocess
    import sys

    section = README.split("\n## Batches on Dask\n")[1].split("\n## ")[0]
    (code,) = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    script = tmp_path / "dask_example.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[1].split()[1:4] == ["plant", "ok", "1.0"], lines
    assert lines[2].split()[1:3] == ["lab", "ok"], lines
    assert lines[3].split()[1:3] == ["typo", "error"], lines
    assert "'cost_focus' is a scale (1-5), found 'lots'" in lines[3]
    assert lines[-1]  # the lab's first rule: its evidence came back through the handle


def test_the_consultants_path_from_questionnaire_to_report_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    section = README.split("## From people to an organisation file")[1].split("\n## ")[0]
    (block,) = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    commands = [shlex.split(line) for line in block.splitlines() if line.strip()]
    assert [c[1] for c in commands] == ["questionnaire", "collect", "assess", "report"]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    for command in commands:
        assert command[0] == "modeadvisor"
        args = [a for part in command[1:] for a in (sorted(glob.glob(part)) or [part])]
        assert main(args) == 0, capsys.readouterr().err
    assert "kysely.html" in {p.name for p in tmp_path.iterdir()}
    assert "Pohjolan Konepaja Oy" in (tmp_path / "raportti.html").read_text("utf-8")
    assert "Tuotantolähtöinen" in capsys.readouterr().out


def _section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_eval_example_prints_what_the_readme_shows(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    section = _section("JSON Lines on standard input: eval")
    command = section.split("```sh\n", 1)[1].split("\n```", 1)[0]
    shown = section.split("```text\n", 1)[1].split("\n```", 1)[0]
    words, _, given = command.partition(" < ")
    monkeypatch.chdir(ROOT)
    with (ROOT / given).open("rb") as stdin:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stdin))
        code = main(words.split()[1:])
    answers = capsys.readouterr().out.splitlines()
    assert code == 2  # its last line is refused, as the README says
    assert [("result" in json.loads(a)) for a in answers] == [True] * 4 + [False]
    assert [json.loads(a).get("op") for a in answers[:4]] == [
        "assess",
        "explain",
        "why-not",
        "what-if",
    ]
    assert answers[-1] == shown


@pytest.mark.slow
def test_the_serve_example_runs_as_written(tmp_path: Path) -> None:
    """The README's serve command, then its curl commands on the port it gave, as a shell runs
    them (the port changed to a free one, so the test never meets another server)."""
    commands = _section("The HTTP API: serve").split("```sh\n", 1)[1].split("\n```", 1)[0]
    serve, *requests = commands.splitlines()
    port = _free_port()
    args = serve.replace("--port 8000", f"--port {port}").split()[1:]
    with subprocess.Popen(
        [sys.executable, "-m", "modeadvisor.cli", *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    ) as server:
        try:
            _wait_for(port, server)
            answers = [
                subprocess.run(
                    ["bash", "-c", request.replace(":8000/", f":{port}/") + " --fail"],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=120,
                ).stdout
                for request in requests
            ]
        finally:
            server.terminate()
            server.wait(timeout=30)
    expected = Advisor.default(lang="fi").assess(ROOT / "examples" / "manufacturer.yaml")
    assert answers[0] == expected.to_json()
    assert json.loads(answers[1])["subject"] == "balanced_scorecard"
    assert "/assess" in json.loads(answers[2])["paths"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read() if server.stderr else ""
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not start within 60 s")


def _others() -> tuple[list[str], list[str]]:
    """The commands of `Running the server for others`: the tokens made, then the serving."""
    blocks = re.findall(r"```sh\n(.*?)```", _section("Running the server for others"), re.DOTALL)
    made, served = blocks
    return made.splitlines(), served.splitlines()


def _make_tokens(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[str]:
    """The README's token commands run in `folder`; what each printed."""
    monkeypatch.chdir(folder)
    printed = []
    for line in _others()[0]:
        program, *args = shlex.split(line)
        assert program == "modeadvisor"
        assert main(args) == 0, line
        printed.append(capsys.readouterr().out)
    return printed


def test_the_token_commands_run_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dashboard, operator, listed = _make_tokens(tmp_path, monkeypatch, capsys)
    assert dashboard.startswith("mdv_")
    assert operator.startswith("mdv_")
    text = (tmp_path / "tokens.yaml").read_text("utf-8")
    assert dashboard.strip() not in text
    assert operator.strip() not in text
    assert listed.splitlines() == [
        "dashboard  scopes: assess, history-read, history-write  sees: Pohjolan Konepaja Oy",
        "operator  scopes: admin  sees: every organisation",
    ]
    shown = next(b for b in _blocks("yaml") if b.startswith("tokens:"))
    assert yaml.safe_load(shown)["tokens"][0]["scopes"] == [
        "assess",
        "history-read",
        "history-write",
    ]


@pytest.mark.slow
def test_serving_others_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's serve command with its tokens, then its curl commands, as a shell runs them
    (the port changed to a free one)."""
    token = _make_tokens(tmp_path, monkeypatch, capsys)[0].strip()
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    serve, *requests = _others()[1]
    port = _free_port()
    args = serve.replace("--port 8000", f"--port {port}").split()[1:]
    with subprocess.Popen(
        [sys.executable, "-m", "modeadvisor.cli", *args],
        cwd=tmp_path,
        env={**os.environ, "MODEADVISOR_LANG": "en"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    ) as server:
        try:
            _wait_for(port, server)
            answers = [
                subprocess.run(
                    ["bash", "-c", request.replace(":8000/", f":{port}/")],
                    cwd=tmp_path,
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=120,
                    env={"PATH": "/usr/bin:/bin", "TOKEN": token},
                ).stdout
                for request in requests
            ]
        finally:
            server.terminate()
            server.wait(timeout=30)
    expected = Advisor.default().assess(ROOT / "examples" / "manufacturer.yaml")
    assert answers[0] == expected.to_json()
    assert json.loads(answers[1])["organisation"] == "pohjolan-konepaja-oy"
    assert answers[2] == "401\n"
    audit = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert [(e["operation"], e["who"], e["status"]) for e in audit] == [
        ("history-write", "dashboard", 200),
        ("history-read", "dashboard", 200),
        ("history-read", "anonymous", 401),
    ]
