"""The command line in Finnish: the catalogues, located errors, argparse's words and --help.

Issue 17, item 4: `--lang fi` (else MODEADVISOR_LANG, else the locale) makes `--help`, every
message of the command line and every located error Finnish, through gettext catalogues
looked up by language (no process state), with names the user wrote quoted as written.
"""

from __future__ import annotations

import argparse
import gettext
import importlib.util
import json
import pickle
import re
import string
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modeadvisor import Advisor, KnowledgeBase, ModeAdvisorError, OrganisationError
from modeadvisor._cli_language import Words, cli_lang, lang_source, localise
from modeadvisor._i18n import Message, fill, placeholders, render, tr, translations
from modeadvisor.authoring.coverage import lint_findings as coverage_findings
from modeadvisor.authoring.coverage import measure
from modeadvisor.authoring.lint import Finding, Severity, lint
from modeadvisor.authoring.lint import to_text as lint_text
from modeadvisor.cli import _parser, main
from modeadvisor.errors import Location, Problem, did_you_mean
from modeadvisor.knowledge import load_knowledge_base, shipped_rules_dir
from modeadvisor.limits import parse_limit

from .conftest import ROOT


def _messages_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("messages", ROOT / "scripts" / "messages.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


messages = _messages_script()

#: Words that make an English sentence; none may be left in a Finnish message once the names
#: the user wrote (quoted) and the caret lines are taken out.
_ENGLISH = re.compile(
    r"\b(the|is|are|not|unknown|expected|found|of|did you mean|must|missing|cannot|file|"
    r"line|column|value|required|out of range|between|problems?|usage|error|argument|"
    r"invalid|choose|options?)\b"
)


def _prose(text: str) -> str:
    """A rendered error without what is not prose: quoted names, source and caret lines,
    locations, `code`."""
    lines = [line for line in text.splitlines() if not line.startswith("    ")]
    kept = "\n".join(lines)
    kept = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`", "", kept)
    return re.sub(r"\S+\.(yaml|csv|json|py|sqlite3)(:\d+)*", "", kept)


def _assert_finnish(text: str) -> None:
    found = _ENGLISH.findall(_prose(text))
    assert not found, f"English words {found} in:\n{text}"


def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MODEADVISOR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


# --- messages ----------------------------------------------------------------------------------


def test_a_message_is_its_english_text_and_renders_in_finnish() -> None:
    said = Message("unknown trait '{name}'", name="cost_focuss")
    assert said == "unknown trait 'cost_focuss'"
    assert json.dumps({"message": said}) == '{"message": "unknown trait \'cost_focuss\'"}'
    assert said.render("fi") == "tuntematon piirre 'cost_focuss'"
    assert said.render("en") == said
    assert type(said.render("en")) is str


def test_names_the_user_wrote_are_never_translated() -> None:
    # a trait named like a message id stays as it is
    said = Message("unknown trait '{name}'", name="did you mean")
    assert said.render("fi") == "tuntematon piirre 'did you mean'"


def test_numbers_follow_the_finnish_convention() -> None:
    said = Message("{count:,} units; the limit is {max_units:,}", count=1234567, max_units=20000)
    assert str(said) == "1,234,567 units; the limit is 20,000"
    assert said.render("fi") == "1\u00a0234\u00a0567 yksikköä; raja on 20\u00a0000"
    total = Message(
        "the weights add up to {total:g}; they must add up to 1 (or to 100 points)", total=0.75
    )
    assert "0,75" in total.render("fi")
    assert "0.75" in total


def test_a_message_inside_a_message_is_rendered_in_the_same_language() -> None:
    hint = did_you_mean("cost_focuss", ["cost_focus", "autonomy"])
    assert hint is not None
    said = Message("unknown limit '{name}' ({hint})", name="x", hint=hint)
    assert said.render("fi") == "tuntematon raja 'x' (tarkoititko 'cost_focus'?)"


def test_a_message_survives_pickling_with_its_template() -> None:
    said = Message("unknown trait '{name}'", name="x")
    again = pickle.loads(pickle.dumps(said))
    assert again == said
    assert again.render("fi") == said.render("fi")


def test_a_message_without_a_translation_falls_back_to_english() -> None:
    assert Message("no such message {x}", x=1).render("fi") == "no such message 1"
    assert render("plain text", "fi") == "plain text"


def test_two_languages_in_one_process_without_process_state() -> None:
    before = (gettext.textdomain(), "_" in dir(__builtins__))
    said = Message("unknown model '{model}'", model="bsc")
    assert [said.render("fi"), said.render("en"), said.render("fi")] == [
        "tuntematon malli 'bsc'",
        "unknown model 'bsc'",
        "tuntematon malli 'bsc'",
    ]
    assert (gettext.textdomain(), "_" in dir(__builtins__)) == before
    assert isinstance(translations("en"), gettext.NullTranslations)


@given(st.text(alphabet=string.ascii_letters + string.digits + "_ -", min_size=1, max_size=30))
def test_any_name_goes_into_a_finnish_message_unchanged(name: str) -> None:
    assert f"'{name}'" in Message("unknown trait '{name}'", name=name).render("fi")


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_finnish_whole_numbers_read_back_to_the_same_value(number: int) -> None:
    shown = fill("{n:,}", {"n": number}, "fi")
    assert int(shown.replace("\u00a0", "")) == number


# --- the catalogues -----------------------------------------------------------------------------


@pytest.mark.parametrize("domain", ["modeadvisor", "argparse"])
def test_every_message_id_the_code_uses_is_translated(domain: str) -> None:
    assert messages.untranslated("fi", domain) == []


def test_every_message_template_is_a_literal() -> None:
    assert messages.unextractable() == []


def test_the_catalogue_holds_no_message_the_code_no_longer_uses() -> None:
    assert messages.unused("fi") == []


@pytest.mark.parametrize("domain", ["modeadvisor", "argparse"])
def test_the_compiled_catalogue_is_up_to_date_with_the_po(domain: str) -> None:
    # after editing a .po: .venv/bin/python scripts/messages.py compile
    assert messages.compiled_entries("fi", domain) == messages.po_entries("fi", domain)


def test_a_translation_keeps_the_placeholders_of_its_id() -> None:
    for msgid, translated in messages.po_entries("fi", "modeadvisor").items():
        assert placeholders(translated) == placeholders(msgid), msgid
    percent = re.compile(r"%(?:\(\w+\))?[srd]")
    for msgid, translated in messages.po_entries("fi", "argparse").items():
        assert sorted(percent.findall(translated)) == sorted(percent.findall(msgid)), msgid


def test_the_extraction_finds_messages_in_the_source(tmp_path: Path) -> None:
    module = tmp_path / "pkg" / "m.py"
    module.parent.mkdir()
    module.write_text(
        'from x import Message, tr\nMessage("one {a}", a=1)\ntr(lang, "two")\nMessage(variable)\n',
        encoding="utf-8",
    )
    assert set(messages.source_messages(module.parent)) == {"one {a}", "two"}
    assert messages.unextractable(module.parent) == ["m.py:4"]


# --- located errors in Finnish ------------------------------------------------------------------


def _organisation_error(tmp_path: Path) -> ModeAdvisorError:
    path = tmp_path / "org.yaml"
    path.write_text(
        "organisation: X\nunits:\n  - id: a\n    traits:\n      cost_focuss: 3\n"
        "      experimentation: 9\n    models_in_use: [balanced_scorcard]\n",
        encoding="utf-8",
    )
    with pytest.raises(OrganisationError) as caught:
        Advisor.default().assess(path)
    return caught.value


def _table_error(tmp_path: Path) -> ModeAdvisorError:
    path = tmp_path / "units.csv"
    path.write_text("unit;cost_focus;experimentaton\na;3;2\nb;7;2\n", encoding="utf-8")
    advisor = Advisor.default()
    with pytest.raises(ModeAdvisorError) as caught:
        advisor.assess_many(path)
    return caught.value


def _pack_error(tmp_path: Path) -> ModeAdvisorError:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "rules.yaml").write_text(
        "pack: {id: mine, name: {en: Mine}, extends: core}\nrulez: []\nrules:\n  - id: r1\n"
        "    when: cost_focuss >= 3\n    weights: {production: 1}\n    rationale: {en: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(ModeAdvisorError) as caught:
        load_knowledge_base(shipped_rules_dir(), pack)
    return caught.value


def _answers_error(tmp_path: Path) -> ModeAdvisorError:
    from modeadvisor.people.collect import collect_answers

    answers = json.loads((ROOT / "examples" / "answers").glob("*.json").__next__().read_text())
    answers["traits"] = {"experimentaton": 3}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers, indent=2), encoding="utf-8")
    with pytest.raises(ModeAdvisorError) as caught:
        collect_answers([path], Advisor.default().knowledge_base)
    return caught.value


def _survey_error(tmp_path: Path) -> ModeAdvisorError:
    from modeadvisor.survey import read_survey

    path = tmp_path / "survey.csv"
    path.write_text("organisation;role;production;developmnt\nX;staff;3;2\n", encoding="utf-8")
    with pytest.raises(ModeAdvisorError) as caught:
        read_survey(path, Advisor.default().knowledge_base)
    return caught.value


def _history_error(tmp_path: Path) -> ModeAdvisorError:
    from modeadvisor.history import HistoryStore

    with (
        pytest.raises(ModeAdvisorError) as caught,
        HistoryStore.open(f"sqlite:///{tmp_path / 'h.sqlite3'}") as store,
    ):
        store.history("Pohjolan Konepaja Oy")
    return caught.value


def _limit_error(tmp_path: Path) -> ModeAdvisorError:
    from modeadvisor import Limits

    path = tmp_path / "org.yaml"
    path.write_text(
        "organisation: X\nunits:\n  - id: a\n  - id: b\n    parent: a\n", encoding="utf-8"
    )
    advisor = Advisor(Advisor.default().knowledge_base, limits=Limits(max_units=1))
    with pytest.raises(ModeAdvisorError) as caught:
        advisor.assess(path)
    return caught.value


_KINDS = {
    "organisation file": (_organisation_error, "org.yaml:5:7", "tarkoititko 'cost_focus'?"),
    "table": (_table_error, "units.csv:1:", "tarkoititko 'experimentation'?"),
    "rule pack": (_pack_error, "rules.yaml:5:11", "tarkoititko 'cost_focus'?"),
    "answer file": (_answers_error, "answers.json:", "tarkoititko 'experimentation'?"),
    "survey table": (_survey_error, "survey.csv:1:4", "tarkoititko 'development'?"),
}


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (_history_error, "organisaatiosta 'Pohjolan Konepaja Oy' ei ole tallennettuja arviointeja"),
        (_limit_error, "2 yksikköä; raja on 1"),
    ],
    ids=["history", "limit"],
)
def test_history_and_limit_errors_in_finnish(
    make: Callable[[Path], ModeAdvisorError], said: str, tmp_path: Path
) -> None:
    finnish = make(tmp_path).render("fi")
    assert said in finnish
    _assert_finnish(finnish)


@pytest.mark.parametrize("kind", list(_KINDS))
def test_a_located_error_in_finnish_names_its_place_and_what_was_meant(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    make, where, meant = _KINDS[kind]
    error = make(tmp_path)
    finnish = error.render("fi")
    assert where in finnish
    assert meant in finnish
    _assert_finnish(finnish)
    assert str(error) == error.render("en")  # the English stays what the API and JSON show
    assert "did you mean" in str(error)


def test_the_caret_line_stays_under_the_mistake_in_finnish(tmp_path: Path) -> None:
    finnish = _pack_error(tmp_path).render("fi")
    assert "        when: cost_focuss >= 3\n              ^" in finnish


def test_a_problem_of_several_parts_renders_each_in_finnish() -> None:
    problem = Problem(
        Location("org.yaml", 3, 5),
        Message("unknown model '{model}'", model="bsc"),
        did_you_mean("bsc", ["bsc2"]),
    )
    assert problem.render("fi") == "org.yaml:3:5: tuntematon malli 'bsc' (tarkoititko 'bsc2'?)"
    two = ModeAdvisorError([problem, problem])
    assert two.render("fi").startswith("2 ongelmaa:\n")


def test_a_limit_refused_in_finnish() -> None:
    with pytest.raises(ValueError, match="unknown limit") as caught:
        parse_limit("max_unit=3")
    said = render(caught.value.args[0], "fi")
    assert said == "tuntematon raja 'max_unit' (tarkoititko 'max_units'?)"


# --- the command line ---------------------------------------------------------------------------


def test_the_language_is_known_before_the_parser_is_built() -> None:
    env = {"LANG": "fi_FI.UTF-8"}
    assert cli_lang(["assess", "x.yaml"], env) == "fi"
    assert cli_lang(["assess", "x.yaml", "--lang", "en"], env) == "en"
    assert cli_lang(["assess", "--lang=en", "x.yaml"], env) == "en"
    assert cli_lang(["assess", "--lang", "sv"], env) == "fi"  # left for the parser to refuse
    assert cli_lang(["assess", "--", "--lang", "en"], env) == "fi"
    assert cli_lang(["assess", "--lang", "fi"], {}) == "fi"
    assert cli_lang([], {"MODEADVISOR_LANG": "en", "LANG": "fi_FI"}) == "en"
    assert lang_source({}) == ("en", "no locale set")


def test_a_finnish_locale_without_lang_gives_finnish_and_lang_en_overrides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _clean_env(monkeypatch)
    monkeypatch.setenv("LANG", "fi_FI.UTF-8")
    bad = tmp_path / "org.yaml"
    bad.write_text("organisation: X\nunits:\n  - id: a\n    traits: {cost_focuss: 3}\n")
    assert main(["assess", str(bad)]) == 2
    finnish = capsys.readouterr().err
    assert "tuntematon piirre 'cost_focuss' (tarkoititko 'cost_focus'?)" in finnish
    assert main(["assess", str(bad), "--lang", "en"]) == 2
    assert "unknown trait 'cost_focuss' (did you mean 'cost_focus'?)" in capsys.readouterr().err


def test_argparse_refuses_in_finnish(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _clean_env(monkeypatch)
    monkeypatch.setenv("MODEADVISOR_LANG", "fi")
    assert main(["assess"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("käyttö: modeadvisor assess")
    assert "modeadvisor assess: virhe: seuraavat argumentit vaaditaan: file" in err
    assert main(["assess", "x.yaml", "--format", "htm"]) == 2
    err = capsys.readouterr().err
    assert "argumentti --format: virheellinen valinta: 'htm'" in err
    assert main(["asess"]) == 2
    assert "virheellinen valinta: 'asess'" in capsys.readouterr().err
    assert main(["assess", "x.yaml", "--limit", "max_unit=3"]) == 2
    err = capsys.readouterr().err
    assert "argumentti --limit: tuntematon raja 'max_unit' (tarkoititko 'max_units'?)" in err


@given(
    st.text(alphabet=string.ascii_lowercase + "-_", min_size=1, max_size=12),
    st.text(alphabet=string.ascii_letters + string.digits + ".,", min_size=1, max_size=12),
)
def test_argparse_messages_keep_what_argparse_filled_in(option: str, value: str) -> None:
    english = f"argument --{option}: invalid choice: {value!r} (choose from 'a', 'b')"
    finnish = Words("fi").message(english)
    assert (
        finnish
        == f"argumentti --{option}: virheellinen valinta: {value!r} (valitse jokin näistä: 'a', 'b')"
    )


def _percent_filled(template: str, parts: list[str]) -> str:
    given = iter(parts)
    return re.sub(r"%(?:\(\w+\))?[srd]", lambda _: next(given), template.replace("%%", "%"))


@given(st.data())
def test_every_argparse_message_is_said_again_in_finnish(data: st.DataObject) -> None:
    entries = sorted(messages.po_entries("fi", "argparse").items())
    msgid, translated = data.draw(st.sampled_from(entries))
    names = re.findall(r"%(?:\((\w+)\))?[srd]", msgid)
    parts = data.draw(
        st.lists(
            st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True),
            min_size=len(names),
            max_size=len(names),
        )
    )
    by_name = dict(zip([n or f"#{i}" for i, n in enumerate(names)], parts, strict=True))
    order = re.findall(r"%(?:\((\w+)\))?[srd]", translated)
    positional = iter(p for n, p in by_name.items() if n.startswith("#"))
    expected = _percent_filled(translated, [by_name[n] if n else next(positional) for n in order])
    assert Words("fi").message(_percent_filled(msgid, parts)) == expected


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    yield path
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name))


#: Text of a help line that is not prose: option names, metavars, choices, ids, numbers.
_NOT_PROSE = re.compile(r"\{[^}]*\}|\[[^\]]*\]|\S*[-_=./:0-9A-Z@]\S*")


def _prose_words(line: str) -> list[str]:
    return re.findall(r"[a-zäö]{2,}(?:\s+[a-zäö]{2,})+", _NOT_PROSE.sub(" ", line))


def _help(command: tuple[str, ...], lang: str, capsys: pytest.CaptureFixture[str]) -> str:
    parser = _parser()
    localise(parser, lang)
    with pytest.raises(SystemExit):
        parser.parse_args([*command, "--help"])
    return capsys.readouterr().out


@pytest.mark.parametrize("command", list(_commands(_parser())), ids=" ".join)
def test_help_of_every_command_is_finnish(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    english = _help(command, "en", capsys)
    finnish = _help(command, "fi", capsys)
    assert finnish.startswith("käyttö: ")
    same = set(english.splitlines()) & set(finnish.splitlines())
    untranslated = [line for line in same if _prose_words(line)]
    assert untranslated == [], f"untranslated help lines of {' '.join(command)}"


def test_help_says_which_language_is_in_force_in_finnish(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _clean_env(monkeypatch)
    monkeypatch.setenv("LANG", "fi_FI.UTF-8")
    assert main(["assess", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "tässä fi, lähde LANG=fi_FI.UTF-8" in out


def test_command_line_messages_in_finnish(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _clean_env(monkeypatch)
    monkeypatch.setenv("MODEADVISOR_LANG", "fi")
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert ": kunnossa — " in out
    assert " arkkityyppiä, " in out
    assert tr("fi", "{file}: written", file="a.xlsx") == "a.xlsx: kirjoitettu"


def test_python_versions_words_are_all_in_the_argparse_catalogue() -> None:
    # CI runs 3.11 and 3.13; the catalogue holds the words of both
    assert set(messages.argparse_messages()) <= set(messages.po_entries("fi", "argparse"))
    assert sys.version_info >= (3, 11)


def test_a_missing_file_is_refused_in_finnish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _clean_env(monkeypatch)
    missing = tmp_path / "eiole.yaml"
    assert main(["assess", str(missing), "--lang", "fi"]) == 2
    err = capsys.readouterr().err
    assert err.strip().endswith("eiole.yaml: tiedostoa ei voi lukea: tiedostoa tai kansiota ei ole")
    assert main(["assess", str(missing), "--lang", "en"]) == 2
    assert "cannot read file: No such file or directory" in capsys.readouterr().err


def test_the_systems_own_words_stay_where_there_is_no_translation() -> None:
    from modeadvisor.errors import os_reason

    assert render(os_reason(FileNotFoundError(2, "No such file or directory")), "fi") == (
        "tiedostoa tai kansiota ei ole"
    )
    odd = OSError(5, "Input/output error")
    assert render(os_reason(odd), "fi") == "Input/output error"
    # a system that words it otherwise keeps its own words in both languages
    assert render(os_reason(FileNotFoundError(2, "Datei nicht gefunden")), "fi") == (
        "Datei nicht gefunden"
    )


# --- lint --------------------------------------------------------------------------------------

#: Every code `modeadvisor lint` reports (the lint module's docstring lists them), and the codes
#: of the coverage findings `--features` adds.
_LINT_CODES = {
    "unsatisfiable-condition",
    "duplicate-rule",
    "engine-limit",
    "unreachable-archetype",
    "missing-form",
    "unsatisfiable-branch",
    "subsumed-rule",
    "equivalent-conditions",
    "contradictory-overlap",
    "dominated-archetype",
    "unused-trait",
    "trait-without-kind",
    "missing-source",
    "missing-rationale",
    "unreachable-model",
    "missing-suits-link",
    "unnamed-kind",
    "missing-translation",
    "case-ending-on-name",
}
_COVERAGE_CODES = {"uncovered-rule", "uncovered-link", "uncovered-conflict"}


def _layer(folder: Path) -> Path:
    from .test_lint import LAYER

    for name, text in LAYER.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _lint_packs(tmp_path: Path) -> list[Path]:
    """Packs whose findings, together, are of every code lint has (the defects of test_lint)."""
    from .conftest import write_pack
    from .test_forms import _pack
    from .test_lint import CLEAN, EXTRA, PUB, READ, SIZE, _rules

    huge = (
        " and ".join(f"(cost >= {i} or project_share < {i})" for i in range(1, 6))
        + ' and (risky or sector == "public") and ("loyalty" in focus or cost <= 2)'
    )
    extras = [
        _rules(("narrow", "cost >= 5", "{prod: 2}")),  # subsumed
        _rules(("twin", "cost > 3", "{prod: 1}")),  # equivalent conditions
        _rules(("same", "cost > 3", "{dev: 2}")),  # overlap: exactly the same units
        _rules(("wider", "cost >= 3", "{dev: 2}")),  # overlap: whenever one fires
        _rules(("other", "cost <= 4", "{dev: 2}")),  # overlap: both fire
        PUB,  # an archetype no rule weighs
        PUB + _rules(("dead", "cost > 5", "{pub: 2}")).replace("rules:", "\nrules:"),
        PUB
        + _rules(("public", 'sector == "public"', "{pub: 1, prod: 1}")).replace(
            "rules:", "\nrules:"
        ),  # dominated
        SIZE.replace("    kind: lever\n", "") + READ,  # a trait without a kind
        _rules(("huge", huge, "{prod: 1}")),  # beyond the engine
    ]
    packs = [_layer(tmp_path / "mine")]
    packs += [
        write_pack(tmp_path / f"mini{i}", {**CLEAN, EXTRA: extra}) for i, extra in enumerate(extras)
    ]
    glued = _pack(tmp_path / "glued", "conflicts.yaml", "Yksikön {r.uid} vastaajat", "{r.uid}:n")
    return [*packs, glued]


def _lint_prose(text: str) -> str:
    """Lint's text output as prose: no `[code]`, the hints' lines unindented (they are prose)."""
    return re.sub(r"\[[a-z-]+\]$", "", text.replace("\n    ", "\n"), flags=re.MULTILINE)


def _assert_finnish_lint(findings: list[Finding]) -> str:
    text = lint_text(findings, "fi")
    lines = text.splitlines()
    assert len(lines) == 2 * len(findings) + 1
    for finding, said, hint in zip(findings, lines[::2], lines[1::2], strict=False):
        assert said.startswith(f"{finding.location}: "), said  # file:line:column, as in English
        assert said.endswith(f" [{finding.code}]"), said
        assert finding.location.line is not None, finding  # every finding names its line
        assert hint.startswith("    vihje: "), hint
    assert re.fullmatch(r"\d+ virhet?t?ä?, \d+ varoitus(ta)?, \d+ huomio(ta)?", lines[-1])
    _assert_finnish(_lint_prose(text))
    return text


def test_lint_findings_of_every_code_are_finnish_and_keep_their_places(tmp_path: Path) -> None:
    found: set[str] = set()
    for pack in _lint_packs(tmp_path):
        findings = lint(load_knowledge_base(pack))
        assert findings, pack
        _assert_finnish_lint(findings)
        # the English is what it was: str(), the default text and the JSON
        assert lint_text(findings, "en") == lint_text(findings)
        assert lint_text(findings).splitlines()[::2][:-1] == [str(f) for f in findings]
        # every message and hint can be said again in another language
        assert all(isinstance(text, Message) for f in findings for text in (f.message, f.hint))
        found |= {f.code for f in findings}
    assert found == _LINT_CODES


def test_coverage_findings_are_finnish(shipped_kb: KnowledgeBase) -> None:
    findings = coverage_findings(shipped_kb, measure(shipped_kb, []))
    assert {f.code for f in findings} == _COVERAGE_CODES
    text = _assert_finnish_lint(findings)
    assert "mikään skenaario ei kokeile pisteytyssääntöä 'cost_leadership'" in text
    # the step to write stays the feature files' English, in backticks
    assert '; `Then the rule "cost_leadership" fired`' in text


def test_every_lint_message_has_a_finnish_translation_without_english() -> None:
    """Each template of lint, coverage findings and fact fields, also those no pack above
    reaches (a dominated mode outweighed by a later one, more than three rules quoting a form)."""
    catalogue = translations("fi")
    used = [
        template
        for template, places in messages.source_messages().items()
        if any(
            p.startswith(("authoring/lint.py", "authoring/coverage.py", "facts.py")) for p in places
        )
    ]
    assert len(used) > 100
    for template in used:
        said = catalogue.gettext(template)
        assert said != template, template
        _assert_finnish(re.sub(r"\{[^{}]*\}", "", said))


def test_lint_totals_count_in_finnish() -> None:
    def finding(severity: Severity) -> Finding:
        return Finding("c", severity, Location("a.yaml", 1, 1), Message("pack"), "h")

    findings = [finding("error"), finding("warning"), finding("warning")]
    assert lint_text(findings, "fi").splitlines()[-1] == "1 virhe, 2 varoitusta, 0 huomiota"
    assert lint_text(findings).splitlines()[-1] == "1 error, 2 warnings, 0 infos"
    assert lint_text([], "fi") == "0 virhettä, 0 varoitusta, 0 huomiota\n"
    assert lint_text([finding("info")] * 1234, "fi").endswith(", 1234 huomiota\n")
    assert lint_text(findings, "fi").splitlines()[0] == "a.yaml:1:1: virhe: paketti [c]"


def test_modeadvisor_lint_speaks_the_command_lines_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _clean_env(monkeypatch)
    mine = _layer(tmp_path / "mine")
    assert main(["lint", str(mine), "--lang", "fi"]) == 1  # it has errors
    finnish = capsys.readouterr().out
    assert "virhe: sääntö 'cost_ok' ei voi koskaan laueta: " in finnish
    assert "rules.yaml:3:12: " in finnish
    assert "[unsatisfiable-condition]" in finnish
    _assert_finnish(_lint_prose(finnish))
    monkeypatch.setenv("MODEADVISOR_LANG", "fi")
    assert main(["lint", str(mine)]) == 1
    assert capsys.readouterr().out == finnish
    assert main(["lint", str(mine), "--lang", "en"]) == 1
    english = capsys.readouterr().out
    assert "error: rule 'cost_ok' can never fire: " in english
    assert english.splitlines()[-1].endswith(" infos")
    # JSON is for programs: English whatever the language
    assert main(["lint", str(mine), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    kb = load_knowledge_base(mine)
    own = [f for f in lint(kb) if f.pack == "mine"]
    assert [f["message"] for f in data["findings"]] == [f.message for f in own]
    assert [f["hint"] for f in data["findings"]] == [f.hint for f in own]
    assert data["summary"] == {"error": 5, "warning": 11, "info": 8}


@pytest.mark.parametrize("command", list(_commands(_parser())), ids=" ".join)
def test_every_command_takes_lang(command: tuple[str, ...]) -> None:
    """Every command speaks the command line's language, so each one takes --lang (a command
    with sub-commands takes it on each of them)."""
    parser = _parser()
    for name in command:
        (found,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        parser = found.choices[name]
    if any(isinstance(a, argparse._SubParsersAction) for a in parser._actions):
        return
    assert "lang" in {a.dest for a in parser._actions}, command
