"""The one label table: every key in both languages with the same placeholders, and every key used
by some output — rendered end to end, not looked up in the source."""

from __future__ import annotations

import contextlib
import io
import json
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from modeadvisor import Advice, Advisor, KnowledgeBase, operations
from modeadvisor.cli import main
from modeadvisor.knowledge import Lang
from modeadvisor.people import collect_answers, questionnaire_html
from modeadvisor.people.collect import FORMAT
from modeadvisor.people.interview import run
from modeadvisor.reports import labels
from modeadvisor.reports._common import cap, count, integer, number, percent
from modeadvisor.reports.html import to_html
from modeadvisor.reports.labels import LABELS, Entry, label, plural
from modeadvisor.reports.markdown import to_markdown, write_markdown
from modeadvisor.reports.text import explain_text, survey_text, to_text
from modeadvisor.survey import ROLES, read_survey
from modeadvisor.whatif import Change, Repair, WhatIf

from .conftest import DATA, ROOT
from .histories import KEY, save_every_kind

EXAMPLES = (
    "manufacturer",
    "municipality",
    "service-company",
    "electricity-distribution",  # a self-assessment of three, shown
    "city-library",
)

#: Roles other than the shipped synthetic survey's, units, traits, a tie everywhere, no ratings.
ODD_SURVEY = """\
organisation,unit,role,production,development,sector,cost_focus
Tie Oy,north,other,3,3,public,2
Tie Oy,,,3,3,private,
Blank Oy,,expert,,,,
"""


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def _forms(entry: Entry) -> tuple[str, ...]:
    return (entry,) if isinstance(entry, str) else entry


@pytest.mark.parametrize("key", sorted(LABELS))
def test_every_label_has_both_languages_alike(key: str) -> None:
    entry = LABELS[key]
    assert set(entry) == {"en", "fi"}
    en, fi = entry["en"], entry["fi"]
    assert type(en) is type(fi), "both a phrase or both a counted noun"
    assert all(form.strip() for form in (*_forms(en), *_forms(fi)))
    for english, finnish in zip(_forms(en), _forms(fi), strict=True):
        assert _placeholders(english) == _placeholders(finnish)


def test_roles_are_named_in_the_survey_order() -> None:
    # the survey summary lists roles in the order of their names in the table
    roles = [key.removeprefix("role.") for key in LABELS if key.startswith("role.")]
    assert roles == [*ROLES, "unspecified"]


def test_a_phrase_and_a_counted_noun_are_not_mixed_up() -> None:
    with pytest.raises(TypeError, match="counted noun"):
        label("respondents", "en")
    with pytest.raises(TypeError, match="not a counted noun"):
        plural("mode", 2, "en")
    assert count("respondents", 1, "en") == "1 respondent"
    assert count("respondents", 1234, "fi") == "1\u00a0234 vastaajaa"


def test_numbers_follow_the_language() -> None:
    assert (integer(12345, "en"), integer(12345, "fi")) == ("12,345", "12\u00a0345")
    assert (number(0.5, "en"), number(0.5, "fi")) == ("0.50", "0,50")
    assert (percent(0.355, "en", 1), percent(0.355, "fi", 1)) == ("35.5%", "35,5 %")
    assert (percent(0.38, "en"), percent(0.38, "fi")) == ("38%", "38 %")
    assert cap("ristiriidat") == "Ristiriidat"
    assert cap("") == ""


class _Recording(dict[str, dict[Any, Entry]]):
    """The label table, noting every key an output looks up."""

    def __init__(self, table: dict[str, dict[Any, Entry]]) -> None:
        super().__init__(table)
        self.used: set[str] = set()

    def __getitem__(self, key: str) -> dict[Any, Entry]:
        self.used.add(key)
        return super().__getitem__(key)


def _odd_advices(shipped: Advisor, mini: Advisor) -> Iterator[Advice]:
    """What the examples do not show: no conflicts, a low severity, a mixed profile, a unit no
    rule fired for, all three views of a profile, and a finding of many units."""
    thin = mini.assess(
        {
            "organisation": "Odd",
            "units": [
                {"id": "mixed", "traits": {"cost": 4, "risky": True, "focus": []}},
                {"id": "bare", "parent": "mixed", "traits": {}},
            ],
        }
    )
    assert not thin.conflicts
    yield thin
    viewed = shipped.assess(
        {
            "organisation": "Views",
            "units": [
                {
                    "id": "hq",
                    "traits": {"goal_clarity": 4, "cost_focus": 5, "own_business_followup": 4},
                    "perspectives": {
                        "desired": {"development": 0.7, "customer_service": 0.3},
                        "strategy": ["customer_service", "development"],
                    },
                }
            ],
        }
    )
    assert viewed.conflicts
    low = viewed.conflicts[0].model_copy(update={"severity": "low"})
    # a finding of more units and details than an output lists: the rest are counted
    many = low.model_copy(update={"units": ["hq"] * 20, "details": ["a match"] * 20})
    yield viewed.model_copy(update={"conflicts": [*viewed.conflicts, low, many]})


def _render_everything(advice: Advice, folder: Path) -> None:
    to_text(advice)
    to_markdown(advice)
    to_html(advice)
    write_markdown(advice, folder / f"{advice.language}.md")
    for unit in advice.units:
        explain_text(advice, unit.id)


def _run_history(lang: Lang, kb: KnowledgeBase, folder: Path) -> None:
    """`history` over every kind of change, one assessment alone, saving, the report's chart
    and erasing."""
    from modeadvisor.history import HistoryStore

    folder.mkdir()
    db = str(folder / "history.sqlite3")
    with HistoryStore.open(db) as store:
        save_every_kind(store, kb, folder)
    example = str(ROOT / "examples" / "city-library.yaml")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["history", KEY, "--db", db, "--lang", lang]) == 0
        assert main(["assess", example, "--save", "--db", db, "--lang", lang]) == 0
        assert main(["history", "Järvelän kaupunginkirjasto", "--db", db, "--lang", lang]) == 0
        manufacturer = str(ROOT / "examples" / "manufacturer.yaml")
        assert main(["report", manufacturer, "--db", db, "--lang", lang]) == 0
        assert main(["history", "delete", KEY, "--db", db, "--lang", lang]) == 0


def _people(shipped: KnowledgeBase, mini: KnowledgeBase, lang: Lang, tmp_path: Path) -> None:
    """The questionnaire (a pack with kinds and one without), collect (respondents who
    disagree, no organisation named) and an interview: a unit all skipped, then one given an
    answer to every question until it is settled."""
    for kb in (shipped, mini):
        questionnaire_html(kb, lang)
    files = []
    for n, value in enumerate((True, False)):
        path = tmp_path / f"answers-{n}.json"
        path.write_text(
            json.dumps({"format": FORMAT, "unit": "u", "traits": {"risk_taking_accepted": value}}),
            encoding="utf-8",
        )
        files.append(path)
    collected = collect_answers(files, shipped)
    collected.to_yaml(shipped, lang)
    collected.to_text(shipped, lang)

    ask_unit, ask_name = label("people.ask_unit", lang), label("people.ask_unit_name", lang)
    ask_parent = label("people.ask_parent", lang, units="u1")
    scripted = iter(["", "bad id!", "u1"])  # no organisation name; a bad unit id; the first unit
    units = iter(["u2", ""])  # after the first unit: a second one, then done
    current = ["u1"]

    def answers(prompt: str) -> str:
        for reply in scripted:
            return reply
        if prompt.startswith(ask_unit):
            current[0] = next(units)
            return current[0]
        if prompt.startswith(ask_name):
            return ""
        if prompt.startswith(ask_parent):
            return "u1"
        if current[0] == "u1":
            return ""  # every question of the first unit skipped
        return "5" if "5]" in prompt else "1"  # a scale's top, else the first choice

    run(shipped, lang, tmp_path / "interview.yaml", answers, io.StringIO())


def _run_commands(lang: Lang) -> None:
    """The commands that write words of their own: the trait catalogue (a pack with kinds and
    one written before them) and what-if (each kind of change and answer)."""
    examples = ROOT / "examples"
    what_ifs = [
        ["manufacturer", "rnd", "--clear", "measurement_misfit"],  # a replacement, a drop
        ["manufacturer", "rnd", "--target", "production"],  # none found: what was held
        ["manufacturer", "rnd", "--target", "development"],  # already there
        ["manufacturer", "plant", "--clear", "perspective_conflict"],  # in no such finding
        ["electricity-distribution", "digital-team", "--clear", "measurement_misfit"],
        ["city-library", "library", "--clear", "perspective_conflict"],  # views
        ["municipality", "central-administration", "--clear", "unit_mode_conflict"],
        ["manufacturer", "rnd", "--clear", "unit_mode_conflict"],
    ]
    allowed = ["--target", "production", "--allow", "project_work_share"]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["traits", "--lang", lang]) == 0
        assert main(["traits", "--lang", lang, "--rules", str(DATA / "mini")]) == 0
        for name, unit, *goal in what_ifs:
            file = str(examples / f"{name}.yaml")
            assert main(["what-if", file, "--unit", unit, *goal, "--lang", lang]) == 0
        file = str(DATA / "what-if-works.yaml")
        assert main(["what-if", file, "--unit", "works", *allowed, "--lang", lang]) == 0
    why_nots = [
        ["manufacturer", "rnd", "balanced_scorecard"],  # links, rivals, every part, no repair
        ["manufacturer", "rnd", "milestone_project_followup"],  # a model that holds
        ["manufacturer", "rnd", "development"],  # a mode that holds
        ["municipality", "social-health", "customer_service"],  # a mode, and its repair
        ["city-library", "branch-asema", "milestone_project_followup"],  # a model's repair
    ]
    with contextlib.redirect_stdout(io.StringIO()):
        for name, unit, subject in why_nots:
            file = str(examples / f"{name}.yaml")
            args = ["explain", file, "--unit", unit, "--why-not", subject, "--lang", lang]
            assert main(args) == 0
        for name, unit in [("manufacturer", "plant"), ("electricity-distribution", "group")]:
            file = str(examples / f"{name}.yaml")  # settled; open, the top could drop
            assert main(["explain", file, "--unit", unit, "--lang", lang]) == 0
        # the report folds in why-not and how settled, or says it left them out
        report = ["report", str(examples / "manufacturer.yaml"), "--lang", lang]
        assert main(report) == 0
        with (
            contextlib.redirect_stderr(io.StringIO()),
            mock.patch.object(operations, "EXAMINED_UNITS", 1),
        ):
            assert main(report) == 0
    sparse = {"organisation": "o", "units": [{"id": "u", "traits": {"cost_focus": 5}}]}
    plain = Advisor.default(lang=lang, backend="vectorised")
    plain.why_not(sparse, "u", "production").to_text()
    plain.settled(sparse, "u").to_text()
    not_exact = plain.settled(examples / "manufacturer.yaml", "rnd")
    not_exact.model_copy(update={"exact": False}).to_text()
    top = {"recommendation": "settled", "could_top": []}
    not_exact.model_copy(update=top).to_text()
    every_change = [
        Change(action="add", subject="customer_feedback_system"),
        Change(action="trait", subject="experimentation", after=4, trait_kind="lever"),
        Change(action="trait", subject="risk_taking_accepted", before=True, after=False),
    ]
    effects = Repair(
        changes=every_change,
        dominant_before="development",
        dominant_after="production",
        weights_after={},
        rules_start=["established_ways"],
        rules_stop=[],
        cleared=[],
        created=["measurement_misfit:customer_feedback_system"],
    )
    WhatIf(
        unit="u",
        goal="dominant: production",
        found=True,
        already=False,
        repairs=[effects],
        dominant_before="development",
        allowed=[],
        held=[],
        candidates_tried=1,
        language=lang,
    ).to_text()
    recommended = {"unit": "u", "found": True, "allowed": [], "held": [], "candidates_tried": 0}
    WhatIf(
        **recommended,
        goal="recommended: okr",
        already=True,
        repairs=[],
        dominant_before=None,
        language=lang,
    ).to_text()


def test_every_label_is_used_by_some_output(
    shipped_kb: KnowledgeBase,
    mini_kb: KnowledgeBase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recording = _Recording(LABELS)
    monkeypatch.setattr(labels, "LABELS", recording)
    survey_file = tmp_path / "odd.csv"
    survey_file.write_text(ODD_SURVEY, encoding="utf-8")
    for lang in ("en", "fi"):
        # assessing writes the notes of the advice (labels `note.*`) in its language
        shipped, mini = Advisor(shipped_kb, lang=lang), Advisor(mini_kb, lang=lang)
        for name in EXAMPLES:
            _render_everything(shipped.assess(ROOT / "examples" / f"{name}.yaml"), tmp_path)
        for advice in _odd_advices(shipped, mini):
            _render_everything(advice, tmp_path)
        for survey in (ROOT / "examples" / "survey-synthetic.csv", survey_file):
            for shown in (False, True):  # the anonymity floor kept, and lifted
                survey_text(read_survey(survey, shipped_kb, show_respondents=shown), lang)
        _run_commands(lang)
        _run_history(lang, shipped_kb, tmp_path / lang)
        _people(shipped_kb, mini_kb, lang, tmp_path)
    assert set(LABELS) - recording.used == set(), "labels no output uses"
    assert recording.used <= set(LABELS)


# --- no catalogue id in the prose ----------------------------------------------------------------


def _prose(text: str) -> list[str]:
    """The words of an output a reader reads: without the unit ids in brackets after each unit's
    name (there for `--unit`) and the trail line naming a finding's rule and sources."""
    import re

    kept = []
    for line in text.splitlines():
        if line.strip().startswith(("rule ", "sääntö ")):
            continue
        kept.append(re.sub(r"\[[^\]]*\]", " ", line))
    return re.findall(r"[A-Za-z][A-Za-z0-9_-]*", "\n".join(kept))


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_assessing_every_example_shows_no_catalogue_id_in_the_prose(
    shipped_kb: KnowledgeBase, lang: Lang
) -> None:
    """Traits, modes, models and the kinds of finding appear by name, never by id, in the text
    and in the HTML's own words (ids stay in code spans, attributes and bracketed unit ids)."""
    import re

    catalogue = {
        *shipped_kb.traits,
        *shipped_kb.archetypes,
        *shipped_kb.models,
        *(rule.spec.kind for rule in shipped_kb.conflicts),
    }
    if lang == "en":  # 'production', 'development': English words as well as ids
        catalogue = {item for item in catalogue if "_" in item}
    advisor = Advisor(shipped_kb, lang=lang)
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        advice = advisor.assess(path)
        units = {unit.id for unit in advice.units}
        found = (set(_prose(to_text(advice))) & catalogue) - units
        assert not found, (path.name, sorted(found))
        page = re.sub(r"<(code|pre|details)[^>]*>.*?</\1>", " ", to_html(advice), flags=re.S)
        page = re.sub(r"<[^>]+>", " ", page)  # tags and their attributes
        found = (set(_prose(page)) & catalogue) - units
        assert not found, (path.name, "html", sorted(found))


def test_unit_names_with_commas_are_separated_by_semicolons() -> None:
    from modeadvisor.reports._common import separator

    assert separator(["Konsernin johto", "Tampereen tehdas"]) == ", "
    assert separator(["Konsernin johto", "Tuotekehitys, Espoo"]) == "; "
    assert separator([]) == ", "


# --- numbers in the reader's convention --------------------------------------------------------


def _dotted_numbers(text: str) -> list[str]:
    """Numbers written with a decimal point, outside what names a place: a rule's file and line
    (`scoring/development.yaml:66:9`), a pack's version (`core 1.0`), a code span."""
    import re

    text = re.sub(r"<(code|pre|style)[^>]*>.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\S+\.ya?ml:\d+(:\d+)?", " ", text)
    text = re.sub(r"\b(core|paketti|pack)\s+\d+(\.\d+)+", " ", text)
    text = re.sub(r"\(sääntöpaketti [^)]*\)", " ", text)
    return re.findall(r"(?<![\w.])\d+\.\d+", text)


def test_finnish_outputs_write_numbers_with_a_decimal_comma(shipped_kb: KnowledgeBase) -> None:
    """Every Finnish output of every example: the assessment in text, Markdown and HTML, each
    unit's explanation (with why-not and how settled it is) and a what-if of each unit."""
    finnish = Advisor(shipped_kb, lang="fi")
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        advice = finnish.assess(path)
        outputs = [to_text(advice), to_markdown(advice), to_html(advice)]
        for unit in advice.units:
            outputs.append(explain_text(advice, unit.id))
            for model in unit.avoid[:1]:
                outputs.append(finnish.why_not(path, unit.id, model.model).to_text())
            outputs.append(finnish.settled(path, unit.id).to_text())
            for kind in sorted({c.kind for c in advice.conflicts_of(unit.id)}):
                outputs.append(finnish.what_if(unit.id, organisation=path, clear=kind).to_text())
        found = [n for text in outputs for n in _dotted_numbers(text)]
        assert not found, (path.name, found[:10])
