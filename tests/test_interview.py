"""The interview: the next question by what could change the advice most, stopping when settled;
driven as a conversation with scripted answers, and under a real pseudo-terminal (pexpect) in
English and Finnish."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

from modeadvisor import Advisor, KnowledgeBase, OrganisationError, load_organisation
from modeadvisor.people.interview import Interview, is_settled, run

from .conftest import ROOT


def _example_unit(unit_id: str) -> dict[str, object]:
    data = yaml.safe_load((ROOT / "examples" / "manufacturer.yaml").read_text("utf-8"))
    unit = next(u for u in data["units"] if u["id"] == unit_id)
    traits: dict[str, object] = unit["traits"]
    return traits


def test_asks_until_settled_and_never_asks_twice(shipped_kb: KnowledgeBase) -> None:
    truth = _example_unit("rnd")
    interview = Interview.new(shipped_kb, "en", "Acme")
    interview.add_unit("rnd")
    asked: list[str] = []
    skipped: set[str] = set()
    while (trait := interview.next_question("rnd", skipped)) is not None:
        assert trait.id not in asked
        asked.append(trait.id)
        if trait.id in truth:
            interview.values("rnd")[trait.id] = truth[trait.id]
        else:
            skipped.add(trait.id)
    assert len(asked) < len(shipped_kb.traits)
    status = interview.status("rnd")
    assert status.dominant == "development"


def test_a_settled_unit_gets_no_question(shipped_kb: KnowledgeBase, advisor: Advisor) -> None:
    truth = _example_unit("plant")
    interview = Interview.new(shipped_kb, "en", "Acme")
    interview.add_unit("plant")
    interview.values("plant").update(truth)
    status = interview.status("plant")
    if is_settled(status):
        assert interview.next_question("plant") is None
    else:
        question = interview.next_question("plant")
        assert question is None or question.id not in truth


def test_the_first_question_is_one_that_moves_the_weights(shipped_kb: KnowledgeBase) -> None:
    interview = Interview.new(shipped_kb, "en", "Acme")
    interview.add_unit("x")
    first = interview.next_question("x")
    assert first is not None
    read = {
        test.leaf.trait
        for rule in shipped_kb.compiled.rules
        for c in rule.alternatives
        for test in c
    }
    assert first.id in read


def test_a_scripted_conversation_writes_a_valid_commented_file(
    tmp_path: Path, shipped_kb: KnowledgeBase, advisor: Advisor
) -> None:
    script = iter(["Acme", "rnd", "R&D", "x", "5", "", "5", "q"])
    out = io.StringIO()
    path = tmp_path / "org.yaml"
    run(shipped_kb, "en", path, lambda prompt: next(script), out)
    text = path.read_text("utf-8")
    assert "Not understood" in out.getvalue()
    organisation = load_organisation(path)
    assert organisation.organisation == "Acme"
    assert organisation.units[0].name == "R&D"
    assert len(organisation.units[0].traits) == 2
    assert text.count("\n      # ") == 2  # one comment per question
    advisor.assess(path)  # schema-valid: checked against the catalogue too
    # --resume continues the saved file, with a second unit under the first
    more = iter(["plant", "", "rnd", "4", "q"])
    run(shipped_kb, "en", path, lambda prompt: next(more), out, resume=path)
    resumed = load_organisation(path)
    assert [u.id for u in resumed.units] == ["rnd", "plant"]
    assert resumed.units[1].parent == "rnd"
    assert len(resumed.units[0].traits) == 2
    assert len(resumed.units[1].traits) == 1


def test_end_of_input_saves_and_stops(tmp_path: Path, shipped_kb: KnowledgeBase) -> None:
    script = iter(["Acme", "u1", "", "5"])

    def ask(prompt: str) -> str:
        try:
            return next(script)
        except StopIteration:
            raise EOFError from None

    path = tmp_path / "org.yaml"
    run(shipped_kb, "fi", path, ask, io.StringIO())
    assert len(load_organisation(path).units[0].traits) == 1


def test_a_bad_unit_id_is_asked_again(tmp_path: Path, shipped_kb: KnowledgeBase) -> None:
    script = iter(["Acme", "bad id!", "good", "", "q"])
    out = io.StringIO()
    path = tmp_path / "org.yaml"
    run(shipped_kb, "en", path, lambda prompt: next(script), out)
    assert "a unit id is letters" in out.getvalue()
    assert load_organisation(path).units[0].id == "good"


def test_resuming_a_bad_file_is_a_located_error(tmp_path: Path, shipped_kb: KnowledgeBase) -> None:
    bad = tmp_path / "org.yaml"
    bad.write_text("organisation: Acme\nunits:\n  - id: u\n    traits: {cost_focuss: 4}\n", "utf-8")
    script = iter(["u", "5", "q"])
    with pytest.raises(OrganisationError) as raised:
        run(shipped_kb, "en", bad, lambda prompt: next(script), io.StringIO(), resume=bad)
    assert "org.yaml:4:" in str(raised.value)
    assert "did you mean 'cost_focus'?" in str(raised.value)
    missing = tmp_path / "missing.yaml"
    with pytest.raises(OrganisationError, match=r"missing\.yaml"):
        run(shipped_kb, "en", missing, lambda prompt: "q", io.StringIO(), resume=missing)


def test_a_bad_unit_on_the_command_line_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    from modeadvisor.cli import main

    assert main(["interview", "--unit", "no way"]) == 2
    assert "--unit: 'no way' is not a unit id" in capsys.readouterr().err


def test_import_modeadvisor_does_not_import_the_prompt_library() -> None:
    code = "import sys, modeadvisor, modeadvisor.cli; print('prompt_toolkit' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# --- under a real pseudo-terminal ------------------------------------------------------------


def _spawn(args: list[str], cwd: Path) -> pexpect.spawn[str]:
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "MODEADVISOR_LANG": "en"}
    command = [sys.executable, "-m", "modeadvisor.cli", "interview", *args]
    return pexpect.spawn(
        command[0], command[1:], cwd=str(cwd), env=env, encoding="utf-8", timeout=30
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "name", "first", "so_far", "saved"),
    [
        ("en", "Organisation's name", "Question 1", "So far", "Saved"),
        ("fi", "Organisaation nimi", "Kysymys 1", "Tähän asti", "Tallennettu"),
    ],
)
def test_in_a_terminal(
    tmp_path: Path, advisor: Advisor, lang: str, name: str, first: str, so_far: str, saved: str
) -> None:
    child = _spawn(["-o", "org.yaml", "--unit", "rnd", "--lang", lang], tmp_path)
    child.expect(name)
    child.sendline("Acme")
    child.expect("Enter")  # the unit's name, Enter for none
    child.sendline("")
    child.expect(first)
    child.expect(r"\] >")
    child.sendline("5")
    child.expect(so_far)  # the provisional mode and how settled it is
    child.expect(r"\] >")
    child.sendline("")  # Enter skips
    child.expect(so_far)
    child.expect(r"\] >")
    child.sendline("q")
    child.expect(saved)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    organisation = load_organisation(tmp_path / "org.yaml")
    assert organisation.organisation == "Acme"
    assert len(organisation.units[0].traits) == 1
    advisor.assess(tmp_path / "org.yaml")
    # --resume in the terminal: the same unit goes on where it stopped
    child = _spawn(["--resume", "org.yaml", "--unit", "rnd", "--lang", lang], tmp_path)
    child.expect(r"\] >")
    child.sendline("1")
    child.expect(so_far)
    child.expect(r"\] >")
    child.sendline("q")
    child.expect(pexpect.EOF)
    assert len(load_organisation(tmp_path / "org.yaml").units[0].traits) == 2
