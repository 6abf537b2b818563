"""The anonymity floor: no output shows the figures of fewer respondents than `min_respondents`,
directly or by subtracting one group's figures from another's; findings still fire."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from modeadvisor import Advice, Advisor, KnowledgeBase, KnowledgeBaseError, OrganisationError
from modeadvisor.anonymity import shown_groups
from modeadvisor.cli import main
from modeadvisor.knowledge import load_knowledge_base, shipped_rules_dir
from modeadvisor.reports.html import to_html
from modeadvisor.reports.markdown import to_markdown
from modeadvisor.reports.text import explain_text, survey_text, to_text
from modeadvisor.survey import read_survey

from .conftest import ROOT

MANUFACTURER = ROOT / "examples" / "manufacturer.yaml"
MODES = "production,development,customer_service,public_administration"


# --- the guard, over generated trees -------------------------------------------------------


@st.composite
def _trees(draw: st.DrawFn) -> tuple[dict[int, int], dict[int, int | None]]:
    """A forest of groups: each group's own respondents, and its parent (an earlier group)."""
    count = draw(st.integers(1, 9))
    parents: dict[int, int | None] = {0: None}
    for group in range(1, count):
        parents[group] = draw(st.one_of(st.none(), st.integers(0, group - 1)))
    own = {group: draw(st.integers(0, 7)) for group in range(count)}
    sizes = dict(own)
    for group in sorted(parents, reverse=True):  # children first: a group includes its own
        parent = parents[group]
        if parent is not None:
            sizes[parent] += sizes[group]
    return sizes, parents


def _below(group: int, parents: dict[int, int | None]) -> set[int]:
    found = set()
    for other in parents:
        at = parents[other]
        while at is not None:
            if at == group:
                found.add(other)
                break
            at = parents[at]
    return found


def _nested(a: int, b: int, parents: dict[int, int | None]) -> bool:
    return a in _below(b, parents) or b in _below(a, parents)


@settings(max_examples=400, deadline=None)
@given(tree=_trees(), floor=st.integers(1, 6))
def test_no_subtraction_of_groups_shown_exposes_a_smaller_group(
    tree: tuple[dict[int, int], dict[int, int | None]], floor: int
) -> None:
    sizes, parents = tree
    shown = shown_groups(sizes, parents, floor)
    assert all(sizes[group] >= floor for group in shown)
    for group in shown:  # every set of disjoint shown groups inside it, subtracted from it
        inside = sorted(g for g in _below(group, parents) if g in shown)
        for k in range(1, len(inside) + 1):
            for taken in itertools.combinations(inside, k):
                if any(_nested(a, b, parents) for a, b in itertools.combinations(taken, 2)):
                    continue  # overlapping groups: not a subtraction of disjoint figures
                rest = sizes[group] - sum(sizes[g] for g in taken)
                assert rest == 0 or rest >= floor, (group, taken, rest)


@settings(max_examples=200, deadline=None)
@given(tree=_trees(), floor=st.integers(1, 6))
def test_a_group_is_withheld_only_when_it_must_be(
    tree: tuple[dict[int, int], dict[int, int | None]], floor: int
) -> None:
    """Groups of the floor are all shown when no remainder is exposed; and the guard only ever
    withholds groups, never shows a smaller one."""
    sizes, parents = tree
    shown = shown_groups(sizes, parents, floor)
    large = {g for g, size in sizes.items() if size >= floor}
    assert shown <= large
    exposed = False
    for group in large:
        below = [g for g in _below(group, parents) if g in large]
        nearest = [g for g in below if not any(g in _below(o, parents) for o in below)]
        rest = sizes[group] - sum(sizes[g] for g in nearest)
        exposed = exposed or 0 < rest < floor
    if not exposed:
        assert shown == large


def test_a_unit_is_withheld_when_its_organisation_would_expose_the_rest() -> None:
    sizes = {"org": 4, "a": 3}  # one respondent named no unit
    parents: dict[str, str | None] = {"org": None, "a": "org"}
    assert shown_groups(sizes, parents, 3) == {"org"}
    assert shown_groups({"org": 6, "a": 3}, parents, 3) == {"org", "a"}


# --- advice ---------------------------------------------------------------------------------


def _organisation(ratings: list[dict[str, int]], **extra: Any) -> dict[str, Any]:
    data = yaml.safe_load(MANUFACTURER.read_text(encoding="utf-8"))
    data["respondents"] = [
        {"id": f"r{i}", "unit": "rnd", "role": "expert", "ratings": r}
        for i, r in enumerate(ratings)
    ]
    data.update(extra)
    return dict(data)


def _outputs(advice: Advice) -> dict[str, str]:
    return {
        "json": advice.to_json(),
        "text": to_text(advice),
        "explain": explain_text(advice, "rnd"),
        "markdown": to_markdown(advice),
        "html": re.sub(r"<style>.*?</style>", "", to_html(advice), flags=re.DOTALL),
    }


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_two_respondents_figures_are_in_no_output(shipped_kb: KnowledgeBase, lang: str) -> None:
    # means 4.5 and 1.5, found nowhere else in the advice; a finding of each kind fires
    ratings = [{"customer_service": 5, "development": 2}, {"customer_service": 4, "development": 1}]
    advice = Advisor(shipped_kb, lang=lang).assess(_organisation(ratings))  # type: ignore[arg-type]
    assessment = advice.unit("rnd").self_assessment
    assert assessment is not None
    assert assessment.withheld
    assert assessment.ratings == []
    assert assessment.respondents == 2
    kinds = {c.kind for c in advice.conflicts_of("rnd")}
    assert "say_do_mismatch" in kinds
    for name, shown in _outputs(advice).items():
        for figure in ("4.5", "4,5", "1.5", "1,5", 'customer_service": 5'):
            assert figure not in shown, (name, figure)
    for conflict in advice.conflicts:
        for match in conflict.matches:
            for fact in match.facts.values():
                if fact.get("kind") in ("rating", "agreement"):
                    assert fact.get("rating") is None
                    assert fact.get("rwg") is None
    note = {"en": "withheld to protect their anonymity", "fi": "nimettömyyden suojaamiseksi"}
    said = [c for c in advice.conflicts if c.kind == "say_do_mismatch"]
    assert said
    assert all(note[lang] in c.explanation for c in said)


def test_a_mode_rated_by_too_few_in_a_group_that_is_shown_is_withheld(advisor: Advisor) -> None:
    ratings = [
        {"development": 5, "production": 1},
        {"development": 4},
        {"development": 5},
    ]
    assessment = advisor.assess(_organisation(ratings)).unit("rnd").self_assessment
    assert assessment is not None
    by_mode = {r.archetype: r for r in assessment.ratings}
    assert by_mode["development"].mean == pytest.approx(4.67, abs=0.01)
    assert by_mode["production"].mean is None
    assert by_mode["production"].respondents == 1
    assert assessment.withheld


def test_the_working_copy_shows_figures_and_says_so_in_every_output(
    shipped_kb: KnowledgeBase,
) -> None:
    ratings = [{"customer_service": 5}, {"customer_service": 4}]
    advice = Advisor(shipped_kb, show_respondents=True).assess(_organisation(ratings))
    assert advice.anonymity.figures_shown
    for name, shown in _outputs(advice).items():
        if name == "json":
            assert json.loads(shown)["anonymity"] == {"min_respondents": 3, "figures_shown": True}
        elif name != "explain":
            assert "WORKING COPY" in shown, name
    assert "4.5" in to_text(advice)


def test_an_organisation_may_raise_the_floor_never_lower_it(
    advisor: Advisor, tmp_path: Path
) -> None:
    ratings = [{"customer_service": 5}, {"customer_service": 4}, {"customer_service": 5}]
    raised = advisor.assess(_organisation(ratings, min_respondents=4))
    assert raised.anonymity.min_respondents == 4
    assert raised.unit("rnd").self_assessment.withheld  # type: ignore[union-attr]
    assert not advisor.assess(_organisation(ratings)).unit("rnd").self_assessment.withheld  # type: ignore[union-attr]
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(_organisation(ratings, min_respondents=2)), encoding="utf-8")
    with pytest.raises(OrganisationError) as error:
        advisor.assess(path)
    (problem,) = error.value.problems
    assert problem.location.line is not None
    assert "below the pack's anonymity floor of 3" in problem.message


def test_the_cli_marks_the_working_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(
        yaml.safe_dump(_organisation([{"customer_service": 5}, {"customer_service": 4}])),
        encoding="utf-8",
    )
    assert main(["assess", str(path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "WORKING COPY" not in out
    assert "withheld to protect their anonymity" in out
    assert main(["assess", str(path), "--lang", "fi", "--show-respondents"]) == 0
    assert "TYÖKAPPALE" in capsys.readouterr().out


# --- the pack's texts -----------------------------------------------------------------------


def _pack_without(tmp_path: Path, old: str, new: str) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(shipped_rules_dir(), pack)
    conflicts = pack / "conflicts.yaml"
    text = conflicts.read_text(encoding="utf-8")
    assert old in text
    conflicts.write_text(text.replace(old, new, 1), encoding="utf-8")
    return pack


def test_a_rule_quoting_a_rating_needs_words_without_it(tmp_path: Path) -> None:
    text = (shipped_rules_dir() / "conflicts.yaml").read_text(encoding="utf-8")
    start = text.index("    withheld:\n", text.index("id: dominant_in_traits_not_in_words"))
    end = text.index("    resolution:", start)
    pack = _pack_without(tmp_path, text[start:end], "")
    with pytest.raises(KnowledgeBaseError) as error:
        load_knowledge_base(pack)
    (problem,) = error.value.problems
    assert "quotes respondents' figures ({r.rating})" in problem.message
    assert problem.location.line is not None


def test_words_for_withheld_figures_may_not_quote_them(tmp_path: Path) -> None:
    pack = _pack_without(
        tmp_path,
        'en: "{r.archetype}: rated central by {r.respondents}, weight',
        'en: "{r.archetype}: rated {r.rating} by {r.respondents}, weight',
    )
    with pytest.raises(KnowledgeBaseError, match="which it is there to leave out"):
        load_knowledge_base(pack)


# --- the survey -----------------------------------------------------------------------------


def test_the_survey_withholds_small_groups_and_keeps_prevalence(shipped_kb: KnowledgeBase) -> None:
    synthetic = ROOT / "examples" / "survey-synthetic.csv"
    kept, shown = (
        read_survey(synthetic, shipped_kb),
        read_survey(synthetic, shipped_kb, show_respondents=True),
    )
    assert kept.prevalence == shown.prevalence
    assert kept.anonymity.min_respondents == 3
    for organisation in kept.organisations:
        if organisation.respondents < 3:
            assert organisation.withheld
            assert organisation.ratings == []
            assert organisation.roles == {}
    assert any(o.withheld for o in kept.organisations)
    assert not any(o.withheld for o in shown.organisations)
    assert "WORKING COPY" in survey_text(shown, "en")
    assert "WORKING COPY" not in survey_text(kept, "en")


def test_the_survey_withholds_a_unit_its_organisation_would_expose(
    shipped_kb: KnowledgeBase, tmp_path: Path
) -> None:
    rows = ["A,plant,5,1,1,1", "A,plant,4,1,2,1", "A,plant,5,2,1,1", "A,,1,5,1,1"]
    path = tmp_path / "survey.csv"
    path.write_text(f"organisation,unit,{MODES}\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (organisation,) = read_survey(path, shipped_kb).organisations
    (plant,) = organisation.units
    assert not organisation.withheld  # four respondents
    assert plant.withheld  # three, but the organisation's four minus these three is one person
    assert plant.ratings == []
    path.write_text(
        f"organisation,unit,{MODES}\n" + "\n".join([*rows, "A,,2,4,1,1", "A,,1,4,1,2"]) + "\n",
        encoding="utf-8",
    )
    (organisation,) = read_survey(path, shipped_kb).organisations
    assert not organisation.units[0].withheld  # now three named no unit: both groups shown


def test_the_survey_cli_takes_show_respondents(capsys: pytest.CaptureFixture[str]) -> None:
    synthetic = str(ROOT / "examples" / "survey-synthetic.csv")
    assert main(["survey", synthetic, "--lang", "en", "--show-respondents"]) == 0
    assert "WORKING COPY" in capsys.readouterr().out
    assert main(["survey", synthetic, "--lang", "fi"]) == 0
    assert "lukuja ei näytetä" in capsys.readouterr().out
