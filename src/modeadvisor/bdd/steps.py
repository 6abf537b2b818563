"""The step library: Given, When and Then phrases for a consultant's feature files.

Loaded as a pytest plugin by `modeadvisor.bdd` (see there for how to switch it on). Every id a
step names - a model, mode, rule, source id, trait, conflict kind, severity or unit - is checked
against the pack (or the assessed organisation) first: an unknown one fails the scenario with a
did-you-mean, in negative steps too, so `"balanced_scorecrd" is not recommended` fails rather
than pass by naming nothing. Paths in steps are relative to the feature file.

    Given a unit "plant" with traits:
      | trait                        | value |
      | profitability_before_growth  | 5     |
    And the unit uses "balanced_scorecard"
    When the unit is assessed
    Then the dominant mode is "production"
    And "balanced_scorecard" is recommended
    And "milestone_project_followup" is to be avoided

Conflicts have their own steps: stated views (`the unit's desired mode is:` with an
| archetype | weight | table, or `the unit's strategy ranking is "a, b"`), respondents
(`respondents rate the unit:` with | respondent | production | ... |), `the organisation imposes
"m"`, and checks such as `there is a "unit_mode_conflict" conflict between "a" and "b"`.

Trait values in tables are read as YAML scalars (`5`, `true`, `[a, b]`, `cost`), safely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
import yaml
from pytest_bdd import given, parsers, then, when

from modeadvisor.advice import Conflict, ModelAdvice, UnitAdvice
from modeadvisor.advisor import Advisor
from modeadvisor.bdd._context import AdviceContext, check_known
from modeadvisor.errors import did_you_mean
from modeadvisor.knowledge import SEVERITIES
from modeadvisor.reports.labels import label
from modeadvisor.reports.text import to_text
from modeadvisor.settled import Settled
from modeadvisor.whatif import WhatIf
from modeadvisor.whynot import WhyNot


def _cell(text: str) -> Any:
    return yaml.safe_load(text) if text.strip() else None


# --- Given -----------------------------------------------------------------------------------


@given(parsers.re(r'yksikkö "(?P<unit>[^"]+)", jonka piirteet ovat:'))
@given(parsers.re(r'a unit "(?P<unit>[^"]+)" with traits:'))
def _unit_with_traits(
    modeadvisor_context: AdviceContext, unit: str, datatable: list[list[str]]
) -> None:
    header, *rows = datatable
    if [h.strip().lower() for h in header] not in (["trait", "value"], ["piirre", "arvo"]):
        raise AssertionError(
            "the trait table needs the header | trait | value | (or | piirre | arvo |)"
        )
    traits = {modeadvisor_context.trait(row[0].strip()): _cell(row[1]) for row in rows}
    modeadvisor_context.units.append({"id": unit, "traits": traits})


@given(
    parsers.re(
        r'yksikkö "(?P<unit>[^"]+)" yksikön "(?P<parent>[^"]+)" alla, '
        r"jonka piirteet ovat:"
    )
)
@given(parsers.re(r'a unit "(?P<unit>[^"]+)" under "(?P<parent>[^"]+)" with traits:'))
def _child_with_traits(
    modeadvisor_context: AdviceContext, unit: str, parent: str, datatable: list[list[str]]
) -> None:
    modeadvisor_context.described_unit(parent)
    _unit_with_traits(modeadvisor_context, unit, datatable)
    modeadvisor_context.current["parent"] = parent


@given(parsers.parse('yksikkö käyttää malleja "{models}"'))
@given(parsers.parse('the unit uses "{models}"'))
def _unit_uses(modeadvisor_context: AdviceContext, models: str) -> None:
    modeadvisor_context.current["models_in_use"] = modeadvisor_context.models(models)


@given(parsers.parse('organisaatiotiedosto "{path}"'))
@given(parsers.parse('the organisation file "{path}"'))
def _organisation_file(modeadvisor_context: AdviceContext, path: str) -> None:
    found = modeadvisor_context.path(path)
    if not found.is_file():
        raise AssertionError(
            f"no organisation file {found} (paths are relative to the feature file's folder, "
            f"{modeadvisor_context.base})"
        )
    modeadvisor_context.organisation_file = found


#: Finnish names of the stated views, as steps write them
_VIEWS_FI = {"tavoiteltu": "desired", "strategian mukainen": "strategy"}


@given(parsers.re(r"yksikön (?P<view>tavoiteltu|strategian mukainen) toimintatapa on:"))
@given(parsers.re(r"the unit's (?P<view>desired|strategy) mode is:"))
def _stated_weights(
    modeadvisor_context: AdviceContext, view: str, datatable: list[list[str]]
) -> None:
    view = _VIEWS_FI.get(view, view)
    header, *rows = datatable
    if [h.strip().lower() for h in header] not in (
        ["archetype", "weight"],
        ["toimintatapa", "paino"],
    ):
        raise AssertionError(
            "the view table needs the header | archetype | weight | (or | toimintatapa | paino |)"
        )
    perspectives = modeadvisor_context.current.setdefault("perspectives", {})
    perspectives[view] = {
        modeadvisor_context.archetype(row[0].strip()): _cell(row[1]) for row in rows
    }


@given(
    parsers.re(
        r"yksikön (?P<view>tavoiteltu|strategian mukainen) järjestys on \"(?P<ranking>[^\"]+)\""
    )
)
@given(parsers.re(r"the unit's (?P<view>desired|strategy) ranking is \"(?P<ranking>[^\"]+)\""))
def _stated_ranking(modeadvisor_context: AdviceContext, view: str, ranking: str) -> None:
    view = _VIEWS_FI.get(view, view)
    perspectives = modeadvisor_context.current.setdefault("perspectives", {})
    perspectives[view] = [modeadvisor_context.archetype(a.strip()) for a in ranking.split(",")]


@given("vastaajat arvioivat yksikön:")
@given("respondents rate the unit:")
def _respondents(modeadvisor_context: AdviceContext, datatable: list[list[str]]) -> None:
    header, *rows = datatable
    if not header or header[0].strip().lower() not in ("respondent", "vastaaja"):
        raise AssertionError(
            "the rating table needs the header | respondent | <archetype> ... | "
            "(or | vastaaja | ...)"
        )
    modes = [modeadvisor_context.archetype(h.strip()) for h in header[1:]]
    unit = modeadvisor_context.current["id"]
    respondents = modeadvisor_context.organisation.setdefault("respondents", [])
    for row in rows:
        ratings = {a: _cell(v) for a, v in zip(modes, row[1:], strict=True) if v.strip()}
        respondents.append({"id": row[0].strip(), "unit": unit, "ratings": ratings})


@given(parsers.parse("organisaatio lupaa vastaajilleen vähintään {n:d} vastaajan ryhmät"))
@given(parsers.parse("the organisation promises its respondents groups of at least {n:d}"))
def _anonymity_floor(modeadvisor_context: AdviceContext, n: int) -> None:
    modeadvisor_context.organisation["min_respondents"] = n


@given(parsers.parse('organisaatio edellyttää malleja "{models}"'))
@given(parsers.parse('the organisation imposes "{models}"'))
def _imposes(modeadvisor_context: AdviceContext, models: str) -> None:
    modeadvisor_context.organisation["imposed_models"] = modeadvisor_context.models(models)


@given(parsers.parse("the perspective threshold is {value:g}"))
def _threshold(modeadvisor_context: AdviceContext, value: float) -> None:
    modeadvisor_context.settings["perspective_threshold"] = value


@given(parsers.parse('paketin asetus "{name}" on "{value}"'))
@given(parsers.parse('the pack setting "{name}" is "{value}"'))
def _setting(modeadvisor_context: AdviceContext, name: str, value: str) -> None:
    read = _cell(value)
    if not isinstance(read, (int, float, str)) or isinstance(read, bool):
        raise AssertionError(f"setting '{name}': {value!r} is not a number or a word")
    modeadvisor_context.settings[modeadvisor_context.setting(name)] = read


# --- When ------------------------------------------------------------------------------------


def _advisor_for(context: AdviceContext, advisor: Advisor) -> Advisor:
    lang = "fi" if context.lang == "fi" else advisor.lang
    if not context.settings and lang == advisor.lang:
        return advisor
    return Advisor(advisor.knowledge_base.with_settings(**context.settings), lang=lang)


@when("yksikkö arvioidaan")
@when("yksiköt arvioidaan")
@when("the unit is assessed")
@when("the units are assessed")
def _assess_units(modeadvisor_context: AdviceContext, modeadvisor_advisor: Advisor) -> None:
    organisation = {
        "organisation": "scenario",
        "units": modeadvisor_context.units,
        **modeadvisor_context.organisation,
    }
    advisor = _advisor_for(modeadvisor_context, modeadvisor_advisor)
    modeadvisor_context.advice = advisor.assess(organisation)
    modeadvisor_context.assessed.append(modeadvisor_context.advice)


@when("yksikkö arvioidaan suomeksi")
@when("yksiköt arvioidaan suomeksi")
@when("the unit is assessed in Finnish")
@when("the units are assessed in Finnish")
def _assess_units_in_finnish(
    modeadvisor_context: AdviceContext, modeadvisor_advisor: Advisor
) -> None:
    modeadvisor_context.lang = "fi"
    _assess_units(modeadvisor_context, modeadvisor_advisor)


@when("organisaatio arvioidaan suomeksi")
@when("the organisation is assessed in Finnish")
def _assess_file_in_finnish(
    modeadvisor_context: AdviceContext, modeadvisor_advisor: Advisor
) -> None:
    modeadvisor_context.lang = "fi"
    _assess_file(modeadvisor_context, modeadvisor_advisor)


@when("organisaatio arvioidaan")
@when("the organisation is assessed")
def _assess_file(modeadvisor_context: AdviceContext, modeadvisor_advisor: Advisor) -> None:
    if modeadvisor_context.organisation_file is None:
        raise AssertionError('no organisation given: add Given the organisation file "..."')
    advisor = _advisor_for(modeadvisor_context, modeadvisor_advisor)
    modeadvisor_context.advice = advisor.assess(modeadvisor_context.organisation_file)
    modeadvisor_context.assessed.append(modeadvisor_context.advice)


# --- Then ------------------------------------------------------------------------------------


def _profile_text(unit: UnitAdvice) -> str:
    weights = ", ".join(f"{a} {w:.2f}" for a, w in unit.profile.weights.items())
    return f"{unit.id}: dominant {unit.profile.dominant} ({weights})"


@then(parsers.parse('hallitseva toimintatapa on "{archetype}"'))
@then(parsers.parse('the dominant mode is "{archetype}"'))
def _dominant(modeadvisor_context: AdviceContext, archetype: str) -> None:
    modeadvisor_context.archetype(archetype)
    unit = modeadvisor_context.unit_advice()
    assert unit.profile.dominant == archetype, _profile_text(unit)


@then(parsers.parse('yksikön "{unit}" hallitseva toimintatapa on "{archetype}"'))
@then(parsers.parse('the dominant mode of "{unit}" is "{archetype}"'))
def _dominant_of(modeadvisor_context: AdviceContext, unit: str, archetype: str) -> None:
    modeadvisor_context.archetype(archetype)
    advice = modeadvisor_context.unit_advice(unit)
    assert advice.profile.dominant == archetype, _profile_text(advice)


@then("profiili on sekaprofiili")
@then("the profile is mixed")
def _mixed(modeadvisor_context: AdviceContext) -> None:
    unit = modeadvisor_context.unit_advice()
    assert unit.profile.mixed, _profile_text(unit)


@then("profiili ei ole sekaprofiili")
@then("the profile is not mixed")
def _not_mixed(modeadvisor_context: AdviceContext) -> None:
    unit = modeadvisor_context.unit_advice()
    assert not unit.profile.mixed, _profile_text(unit)


@then("näyttö ei riitä toimintatavan nimeämiseen")
@then("there is too little evidence to name a mode")
def _insufficient(modeadvisor_context: AdviceContext) -> None:
    unit = modeadvisor_context.unit_advice()
    assert unit.profile.status == "insufficient_evidence", _profile_text(unit)
    assert unit.profile.dominant is None
    assert not unit.recommendations


def _names(models: list[ModelAdvice]) -> str:
    return ", ".join(f"{m.model} {m.score:+.2f}" for m in models) or "none"


def _check_listed(
    context: AdviceContext,
    model: str,
    which: str,
    *,
    listed: bool,
    unit_id: str | None = None,
    top: int | None = None,
) -> ModelAdvice | None:
    """Assert that `model` is (or is not) in a unit's recommendations or avoid list."""
    context.model(model)
    unit = context.unit_advice(unit_id)
    models: list[ModelAdvice] = getattr(unit, which)
    found = [m for m in models[:top] if m.model == model]
    label = "recommended" if which == "recommendations" else "avoid"
    assert bool(found) == listed, f"{label} for {unit.id}: {_names(models)}"
    return found[0] if found else None


@then(parsers.parse('"{model}" suositellaan'))
@then(parsers.parse('"{model}" is recommended'))
def _recommended(modeadvisor_context: AdviceContext, model: str) -> None:
    _check_listed(modeadvisor_context, model, "recommendations", listed=True)


@then(parsers.parse('"{model}" on {count:d} kärkisuosituksen joukossa'))
@then(parsers.parse('"{model}" is among the top {count:d} recommendations'))
def _top(modeadvisor_context: AdviceContext, model: str, count: int) -> None:
    _check_listed(modeadvisor_context, model, "recommendations", listed=True, top=count)


@then(parsers.parse('"{model}" ei suositella'))
@then(parsers.parse('"{model}" is not recommended'))
def _not_recommended(modeadvisor_context: AdviceContext, model: str) -> None:
    _check_listed(modeadvisor_context, model, "recommendations", listed=False)


@then(parsers.parse('"{model}" tulee välttää'))
@then(parsers.parse('"{model}" is to be avoided'))
def _avoided(modeadvisor_context: AdviceContext, model: str) -> None:
    _check_listed(modeadvisor_context, model, "avoid", listed=True)


@then(parsers.parse('"{model}" ei tarvitse välttää'))
@then(parsers.parse('"{model}" is not to be avoided'))
def _not_avoided(modeadvisor_context: AdviceContext, model: str) -> None:
    _check_listed(modeadvisor_context, model, "avoid", listed=False)


@then(parsers.parse('"{model}" tulee välttää, vaikka se on käytössä'))
@then(parsers.parse('"{model}" is to be avoided as it is in use'))
def _avoided_in_use(modeadvisor_context: AdviceContext, model: str) -> None:
    found = _check_listed(modeadvisor_context, model, "avoid", listed=True)
    assert found is not None
    assert found.in_use, f"'{model}' is avoided but not marked in use"


@then(parsers.parse('"{model}" is recommended for "{unit}"'))
def _recommended_for(modeadvisor_context: AdviceContext, model: str, unit: str) -> None:
    _check_listed(modeadvisor_context, model, "recommendations", listed=True, unit_id=unit)


@then(parsers.parse('"{model}" is not recommended for "{unit}"'))
def _not_recommended_for(modeadvisor_context: AdviceContext, model: str, unit: str) -> None:
    _check_listed(modeadvisor_context, model, "recommendations", listed=False, unit_id=unit)


@then(parsers.parse('"{model}" is to be avoided for "{unit}"'))
def _avoided_for(modeadvisor_context: AdviceContext, model: str, unit: str) -> None:
    _check_listed(modeadvisor_context, model, "avoid", listed=True, unit_id=unit)


@then(parsers.parse('"{model}" is not to be avoided for "{unit}"'))
def _not_avoided_for(modeadvisor_context: AdviceContext, model: str, unit: str) -> None:
    _check_listed(modeadvisor_context, model, "avoid", listed=False, unit_id=unit)


def _fired_rules(unit: UnitAdvice) -> list[str]:
    return [e.rule for e in unit.evidence]


@then(parsers.parse('sääntö "{rule}" täyttyi'))
@then(parsers.parse('the rule "{rule}" fired'))
def _fired(modeadvisor_context: AdviceContext, rule: str) -> None:
    modeadvisor_context.rule(rule)
    unit = modeadvisor_context.unit_advice()
    assert rule in _fired_rules(unit), f"fired: {', '.join(_fired_rules(unit)) or 'none'}"


@then(parsers.parse('the rule "{rule}" did not fire'))
def _not_fired(modeadvisor_context: AdviceContext, rule: str) -> None:
    modeadvisor_context.rule(rule)
    unit = modeadvisor_context.unit_advice()
    assert rule not in _fired_rules(unit), f"'{rule}' fired"


@then(parsers.parse('the rule "{rule}" fired for "{unit}"'))
def _fired_for(modeadvisor_context: AdviceContext, rule: str, unit: str) -> None:
    modeadvisor_context.rule(rule)
    advice = modeadvisor_context.unit_advice(unit)
    assert rule in _fired_rules(advice), f"fired: {', '.join(_fired_rules(advice)) or 'none'}"


@then(parsers.parse('neuvo viittaa lähteeseen "{source}"'))
@then(parsers.parse('the advice cites "{source}"'))
def _cites(modeadvisor_context: AdviceContext, source: str) -> None:
    modeadvisor_context.source(source)
    unit = modeadvisor_context.unit_advice()
    cited = {s for e in unit.evidence for s in e.source}
    cited |= {s for m in unit.recommendations + unit.avoid for r in m.because for s in r.source}
    assert source in cited, f"cited: {', '.join(sorted(cited))}"


# --- conflicts -------------------------------------------------------------------------------


def _conflicts(context: AdviceContext) -> list[Conflict]:
    return context.assessed_advice().conflicts


def _conflict_list(conflicts: list[Conflict]) -> str:
    return (
        "; ".join(f"{c.kind} [{c.severity}] {', '.join(c.units)} ({c.rule})" for c in conflicts)
        or "none"
    )


def _one_conflict(context: AdviceContext, kind: str, units: list[str] | None = None) -> Conflict:
    context.conflict_kind(kind)
    if units is not None:
        context.assessed_units(units)
    conflicts = _conflicts(context)
    found = [
        c
        for c in conflicts
        if c.kind == kind and (units is None or sorted(units) == sorted(c.units))
    ]
    assert found, f"conflicts: {_conflict_list(conflicts)}"
    assert len(found) == 1, f"{len(found)} such conflicts: {_conflict_list(found)}"
    return found[0]


@then(parsers.parse('havaitaan ristiriita "{kind}"'))
@then(parsers.parse('there is a "{kind}" conflict'))
def _conflict(modeadvisor_context: AdviceContext, kind: str) -> None:
    modeadvisor_context.conflict_kind(kind)
    conflicts = _conflicts(modeadvisor_context)
    assert any(c.kind == kind for c in conflicts), f"conflicts: {_conflict_list(conflicts)}"


@then(parsers.parse('there is one "{kind}" conflict between "{first}" and "{second}"'))
def _conflict_between(
    modeadvisor_context: AdviceContext, kind: str, first: str, second: str
) -> None:
    _one_conflict(modeadvisor_context, kind, [first, second])


@then(parsers.parse('there is one "{kind}" conflict for "{unit}"'))
def _conflict_for(modeadvisor_context: AdviceContext, kind: str, unit: str) -> None:
    _one_conflict(modeadvisor_context, kind, [unit])


@then(parsers.parse('ristiriitaa "{kind}" ei havaita'))
@then(parsers.parse('there is no "{kind}" conflict'))
def _no_conflict_of(modeadvisor_context: AdviceContext, kind: str) -> None:
    modeadvisor_context.conflict_kind(kind)
    conflicts = _conflicts(modeadvisor_context)
    assert not any(c.kind == kind for c in conflicts), f"conflicts: {_conflict_list(conflicts)}"


@then(parsers.parse('there is no "{kind}" conflict for "{unit}"'))
def _no_conflict_for(modeadvisor_context: AdviceContext, kind: str, unit: str) -> None:
    modeadvisor_context.conflict_kind(kind)
    modeadvisor_context.assessed_units([unit])
    conflicts = [c for c in _conflicts(modeadvisor_context) if c.kind == kind]
    assert not any(unit in c.units for c in conflicts), f"conflicts: {_conflict_list(conflicts)}"


@then("ristiriitoja ei havaita")
@then("there are no conflicts")
def _no_conflicts(modeadvisor_context: AdviceContext) -> None:
    conflicts = _conflicts(modeadvisor_context)
    assert not conflicts, f"conflicts: {_conflict_list(conflicts)}"


@then(parsers.parse('the "{kind}" conflict is of {severity} severity'))
def _severity(modeadvisor_context: AdviceContext, kind: str, severity: str) -> None:
    modeadvisor_context.severity(severity)
    conflict = _one_conflict(modeadvisor_context, kind)
    assert conflict.severity == severity, _conflict_list([conflict])


@then(parsers.parse('the "{kind}" conflict mentions "{text}"'))
def _mentions(modeadvisor_context: AdviceContext, kind: str, text: str) -> None:
    conflict = _one_conflict(modeadvisor_context, kind)
    said = "\n".join([conflict.explanation, *conflict.details])
    assert text in said, said


@then(parsers.parse('a "{kind}" conflict mentions "{text}"'))
def _any_mentions(modeadvisor_context: AdviceContext, kind: str, text: str) -> None:
    """Where a unit raises several conflicts of one kind: one of them says `text`."""
    modeadvisor_context.conflict_kind(kind)
    found = [c for c in _conflicts(modeadvisor_context) if c.kind == kind]
    said = ["\n".join([c.explanation, *c.details]) for c in found]
    assert any(text in one for one in said), "\n---\n".join(said) or "no such conflict"


@then(parsers.parse('neuvo kuuluu: "{text}"'))
@then(parsers.parse('the advice reads: "{text}"'))
def _advice_reads(modeadvisor_context: AdviceContext, text: str) -> None:
    """The advice as its reader reads it (the text report, in the language assessed in)
    holds `text`: the words, case forms and numbers a consultant checks."""
    said = to_text(modeadvisor_context.assessed_advice())
    assert text in said, said


@then(parsers.parse('the "{kind}" conflict cites "{source}"'))
def _conflict_cites(modeadvisor_context: AdviceContext, kind: str, source: str) -> None:
    modeadvisor_context.source(source)
    conflict = _one_conflict(modeadvisor_context, kind)
    assert source in conflict.source, f"cited: {', '.join(conflict.source)}"


@then(parsers.re(r'havaitaan (?P<count>\d+) ristiriita(?:a)? "(?P<kind>[^"]+)"'))
@then(parsers.re(r'there (?:is|are) (?P<count>\d+) "(?P<kind>[^"]+)" conflicts?'))
def _conflict_count(modeadvisor_context: AdviceContext, count: str, kind: str) -> None:
    modeadvisor_context.conflict_kind(kind)
    found = [c for c in _conflicts(modeadvisor_context) if c.kind == kind]
    assert len(found) == int(count), f"{len(found)}: {_conflict_list(found)}"


# A finding is named by its id (`topic:what it is about`, e.g.
# `units_split_on_model:group:balanced_scorecard`): the same in every run and every language.


def _finding(context: AdviceContext, name: str) -> Conflict:
    context.finding(name)
    conflicts = _conflicts(context)
    found = [c for c in conflicts if c.id == name]
    if not found:
        hint = did_you_mean(name, [c.id for c in conflicts])
        raise AssertionError(
            f"no finding '{name}'"
            + (f" ({hint})" if hint else "")
            + f"; findings: {', '.join(c.id for c in conflicts) or 'none'}"
        )
    return found[0]


@then(parsers.parse('löytyy havainto "{finding}"'))
@then(parsers.parse('there is a finding "{finding}"'))
def _finding_found(modeadvisor_context: AdviceContext, finding: str) -> None:
    _finding(modeadvisor_context, finding)


@then(parsers.parse('havaintoa "{finding}" ei löydy'))
@then(parsers.parse('there is no finding "{finding}"'))
def _no_finding(modeadvisor_context: AdviceContext, finding: str) -> None:
    modeadvisor_context.finding(finding)
    conflicts = _conflicts(modeadvisor_context)
    assert not any(c.id == finding for c in conflicts), _conflict_list(conflicts)


@then(parsers.parse('havainto "{finding}" nimeää yksiköt "{units}"'))
@then(parsers.parse('the finding "{finding}" names "{units}"'))
def _finding_names(modeadvisor_context: AdviceContext, finding: str, units: str) -> None:
    """The units in the order the finding names them (what it is about first)."""
    expected = modeadvisor_context.assessed_units([u.strip() for u in units.split(",")])
    named = _finding(modeadvisor_context, finding).units
    assert named == expected, f"named: {', '.join(named)}"


#: Finnish severities as the reports write them, for Finnish steps
_SEVERITIES_FI = {label(f"severity.{level}", "fi"): level for level in SEVERITIES}


@then(parsers.parse('havainnon "{finding}" vakavuus on {severity}'))
@then(parsers.parse('the finding "{finding}" is of {severity} severity'))
def _finding_severity(modeadvisor_context: AdviceContext, finding: str, severity: str) -> None:
    level = modeadvisor_context.severity(_SEVERITIES_FI.get(severity, severity))
    conflict = _finding(modeadvisor_context, finding)
    assert conflict.severity == level, _conflict_list([conflict])


@then(parsers.parse('havainto "{finding}" mainitsee "{text}"'))
@then(parsers.parse('the finding "{finding}" mentions "{text}"'))
def _finding_mentions(modeadvisor_context: AdviceContext, finding: str, text: str) -> None:
    conflict = _finding(modeadvisor_context, finding)
    said = "\n".join([conflict.explanation, *conflict.details, conflict.resolution])
    assert text in said, said


@then(parsers.parse('havainto "{finding}" viittaa lähteeseen "{source}"'))
@then(parsers.parse('the finding "{finding}" cites "{source}"'))
def _finding_cites(modeadvisor_context: AdviceContext, finding: str, source: str) -> None:
    modeadvisor_context.source(source)
    conflict = _finding(modeadvisor_context, finding)
    assert source in conflict.source, f"cited: {', '.join(conflict.source)}"


def _check_disputed(context: AdviceContext, unit: str | None, *, disputed: bool) -> None:
    assessment = context.unit_advice(unit).self_assessment
    assert assessment is not None, "no respondents rated the unit"
    assert assessment.disputed == disputed, assessment.model_dump_json()


@then("itsearvio on kiistanalainen")
@then("the self-assessment is disputed")
def _disputed(modeadvisor_context: AdviceContext) -> None:
    _check_disputed(modeadvisor_context, None, disputed=True)


@then("itsearvio ei ole kiistanalainen")
@then("the self-assessment is not disputed")
def _undisputed(modeadvisor_context: AdviceContext) -> None:
    _check_disputed(modeadvisor_context, None, disputed=False)


@then(parsers.parse('the self-assessment of "{unit}" is disputed'))
def _disputed_of(modeadvisor_context: AdviceContext, unit: str) -> None:
    _check_disputed(modeadvisor_context, unit, disputed=True)


@then(parsers.parse('the self-assessment of "{unit}" is not disputed'))
def _undisputed_of(modeadvisor_context: AdviceContext, unit: str) -> None:
    _check_disputed(modeadvisor_context, unit, disputed=False)


@then("itsearvion luvut jätetään näyttämättä")
@then("the self-assessment's figures are withheld")
def _withheld(modeadvisor_context: AdviceContext) -> None:
    assessment = modeadvisor_context.unit_advice(None).self_assessment
    assert assessment is not None, "no respondents rated the unit"
    assert assessment.withheld, assessment.model_dump_json()
    assert all(r.mean is None for r in assessment.ratings), assessment.model_dump_json()


@then("itsearvion luvut näytetään")
@then("the self-assessment's figures are shown")
def _shown(modeadvisor_context: AdviceContext) -> None:
    assessment = modeadvisor_context.unit_advice(None).self_assessment
    assert assessment is not None, "no respondents rated the unit"
    assert not assessment.withheld, assessment.model_dump_json()


# --- what-if, why-not and how settled -----------------------------------------------------------


@dataclass
class Answers:
    """What-if, why-not and how-settled answers a scenario asked for, and what what-if may
    change beyond the levers."""

    allow: list[str] = field(default_factory=list)
    what_if: WhatIf | None = None
    why_not: WhyNot | None = None
    settled: Settled | None = None


@pytest.fixture
def modeadvisor_answers() -> Answers:
    return Answers()


def _organisation(context: AdviceContext) -> Any:
    if context.organisation_file is not None:
        return context.organisation_file
    if not context.units:
        raise AssertionError('no organisation: add Given the organisation file "..." or a unit')
    return {"organisation": "scenario", "units": context.units, **context.organisation}


def _unit_named(context: AdviceContext, advisor: Advisor, unit: str) -> str:
    ids = [u.id for u in advisor.assess(_organisation(context)).units]
    check_known("unit", unit, ids, "the organisation")
    return unit


@given(parsers.parse('kysymys saa muuttaa myös piirteitä "{traits}"'))
@given(parsers.parse('what-if may also change "{traits}"'))
def _allow(modeadvisor_context: AdviceContext, modeadvisor_answers: Answers, traits: str) -> None:
    modeadvisor_answers.allow = [modeadvisor_context.trait(t.strip()) for t in traits.split(",")]


@when(parsers.parse('kysytään, mikä veisi yksikön "{unit}" pois havainnosta "{goal}"'))
@when(parsers.parse('what-if asks what would take "{unit}" out of "{goal}"'))
def _what_if_clear(
    modeadvisor_context: AdviceContext,
    modeadvisor_advisor: Advisor,
    modeadvisor_answers: Answers,
    unit: str,
    goal: str,
) -> None:
    if ":" in goal:
        modeadvisor_context.finding(goal)
    else:
        modeadvisor_context.conflict_kind(goal)
    advisor = _advisor_for(modeadvisor_context, modeadvisor_advisor)
    modeadvisor_answers.what_if = advisor.what_if(
        _unit_named(modeadvisor_context, advisor, unit),
        organisation=_organisation(modeadvisor_context),
        clear=goal,
        allow=modeadvisor_answers.allow,
    )


@when(
    parsers.parse(
        'kysytään, mikä tekisi toimintatavasta "{archetype}" yksikön "{unit}" hallitsevan'
    )
)
@when(parsers.parse('what-if asks what would make "{archetype}" the dominant mode of "{unit}"'))
def _what_if_target(
    modeadvisor_context: AdviceContext,
    modeadvisor_advisor: Advisor,
    modeadvisor_answers: Answers,
    archetype: str,
    unit: str,
) -> None:
    advisor = _advisor_for(modeadvisor_context, modeadvisor_advisor)
    modeadvisor_answers.what_if = advisor.what_if(
        _unit_named(modeadvisor_context, advisor, unit),
        organisation=_organisation(modeadvisor_context),
        target=modeadvisor_context.archetype(archetype),
        allow=modeadvisor_answers.allow,
    )


@when(parsers.parse('kysytään, miksi "{subject}" ei käy yksikölle "{unit}"'))
@when(parsers.parse('why-not asks about "{subject}" for "{unit}"'))
def _why_not(
    modeadvisor_context: AdviceContext,
    modeadvisor_advisor: Advisor,
    modeadvisor_answers: Answers,
    subject: str,
    unit: str,
) -> None:
    kb = modeadvisor_context.kb
    check_known("model or mode", subject, [*kb.models, *kb.archetypes])
    advisor = _advisor_for(modeadvisor_context, modeadvisor_advisor)
    organisation = _organisation(modeadvisor_context)
    unit = _unit_named(modeadvisor_context, advisor, unit)
    modeadvisor_answers.why_not = advisor.why_not(organisation, unit, subject)


@when(parsers.parse('tarkistetaan, kuinka vakiintunut yksikön "{unit}" tulos on'))
@when(parsers.parse('the settledness of "{unit}" is checked'))
def _settled(
    modeadvisor_context: AdviceContext,
    modeadvisor_advisor: Advisor,
    modeadvisor_answers: Answers,
    unit: str,
) -> None:
    advisor = _advisor_for(modeadvisor_context, modeadvisor_advisor)
    organisation = _organisation(modeadvisor_context)
    unit = _unit_named(modeadvisor_context, advisor, unit)
    modeadvisor_answers.settled = advisor.settled(organisation, unit)


def _repairs(answers: Answers) -> WhatIf:
    if answers.what_if is None:
        raise AssertionError("no what-if asked yet: add When what-if asks ...")
    return answers.what_if


def _listed_changes(found: WhatIf) -> str:
    return (
        "; ".join(
            ", ".join(f"{c.action} {c.subject} {c.before}->{c.after}" for c in r.changes)
            for r in found.repairs
        )
        or "no repair"
    )


def _has_change(found: WhatIf, first: bool, test: Any) -> None:
    repairs = found.repairs[:1] if first else found.repairs
    if not any(test(c) for r in repairs for c in r.changes):
        where = "the first repair does not have" if first else "no repair has"
        raise AssertionError(f"{where} that change; the repairs: {_listed_changes(found)}")


@then(parsers.parse('ensimmäinen korjaus korvaa mallin "{model}" mallilla "{other}"'))
@then(parsers.parse('the first repair replaces "{model}" with "{other}"'))
def _replaces(
    modeadvisor_context: AdviceContext, modeadvisor_answers: Answers, model: str, other: str
) -> None:
    model, other = modeadvisor_context.model(model), modeadvisor_context.model(other)
    _has_change(
        _repairs(modeadvisor_answers),
        True,
        lambda c: (c.action, c.subject, c.after) == ("replace", model, other),
    )


@then(parsers.parse('jokin korjaus luopuu mallista "{model}"'))
@then(parsers.parse('a repair stops using "{model}"'))
def _drops(modeadvisor_context: AdviceContext, modeadvisor_answers: Answers, model: str) -> None:
    model = modeadvisor_context.model(model)
    _has_change(
        _repairs(modeadvisor_answers), False, lambda c: (c.action, c.subject) == ("drop", model)
    )


@then(parsers.parse('ensimmäinen korjaus vapauttaa yksikön mallista "{model}"'))
@then(parsers.parse('the first repair exempts the unit from "{model}"'))
def _exempts(modeadvisor_context: AdviceContext, modeadvisor_answers: Answers, model: str) -> None:
    model = modeadvisor_context.model(model)
    _has_change(
        _repairs(modeadvisor_answers), True, lambda c: (c.action, c.subject) == ("exempt", model)
    )


@then(
    parsers.re(
        r'jokin korjaus siirtää näkymän "(?P<view>tavoiteltu|strategian mukainen)" '
        r'toimintatapaan "(?P<archetype>[^"]+)"'
    )
)
@then(parsers.re(r'a repair moves the "(?P<view>desired|strategy)" view to "(?P<archetype>[^"]+)"'))
def _moves_view(
    modeadvisor_context: AdviceContext, modeadvisor_answers: Answers, view: str, archetype: str
) -> None:
    view = _VIEWS_FI.get(view, view)
    archetype = modeadvisor_context.archetype(archetype)
    _has_change(
        _repairs(modeadvisor_answers),
        False,
        lambda c: (c.action, c.subject, c.after) == ("view", view, archetype),
    )


@then(parsers.parse('jokin korjaus muuttaa piirteen "{trait}" arvoon "{value}"'))
@then(parsers.parse('a repair changes "{trait}" to "{value}"'))
def _changes_trait(
    modeadvisor_context: AdviceContext, modeadvisor_answers: Answers, trait: str, value: str
) -> None:
    trait, wanted = modeadvisor_context.trait(trait), _cell(value)
    _has_change(
        _repairs(modeadvisor_answers),
        False,
        lambda c: (c.action, c.subject, c.after) == ("trait", trait, wanted),
    )


@then(parsers.parse('mikään korjaus ei muuta piirrettä "{trait}"'))
@then(parsers.parse('no repair changes "{trait}"'))
def _keeps_trait(
    modeadvisor_context: AdviceContext, modeadvisor_answers: Answers, trait: str
) -> None:
    trait = modeadvisor_context.trait(trait)
    found = _repairs(modeadvisor_answers)
    if any(c.subject == trait for r in found.repairs for c in r.changes if c.action == "trait"):
        raise AssertionError(f"a repair changes '{trait}': {_listed_changes(found)}")


@then("jokainen korjaus muuttaa vain ohjauskeinoja ja malleja")
@then("every repair changes only levers and models")
def _only_levers(modeadvisor_answers: Answers) -> None:
    found = _repairs(modeadvisor_answers)
    if not found.repairs:
        raise AssertionError("no repair was found, so none can be checked")
    for repair in found.repairs:
        for change in repair.changes:
            if change.action == "trait" and change.trait_kind != "lever":
                raise AssertionError(f"'{change.subject}' is a {change.trait_kind}, not a lever")


@then(parsers.parse('jokainen korjaus poistaa havainnon "{finding}"'))
@then(parsers.parse('every repair clears "{finding}"'))
def _clears(modeadvisor_context: AdviceContext, modeadvisor_answers: Answers, finding: str) -> None:
    finding = modeadvisor_context.finding(finding)
    found = _repairs(modeadvisor_answers)
    if not found.repairs or any(finding not in r.cleared for r in found.repairs):
        raise AssertionError(f"not every repair clears '{finding}': {_listed_changes(found)}")


@then(parsers.parse('ensimmäinen korjaus synnyttää havainnon "{finding}"'))
@then(parsers.parse('the first repair creates "{finding}"'))
def _creates(
    modeadvisor_context: AdviceContext, modeadvisor_answers: Answers, finding: str
) -> None:
    finding = modeadvisor_context.finding(finding)
    found = _repairs(modeadvisor_answers)
    if not found.repairs or finding not in found.repairs[0].created:
        created = ", ".join(found.repairs[0].created) if found.repairs else "no repair"
        raise AssertionError(f"the first repair does not create '{finding}': {created}")


@then("korjausta ei löydy")
@then("no repair is found")
def _no_repair(modeadvisor_answers: Answers) -> None:
    found = _repairs(modeadvisor_answers)
    if found.found:
        raise AssertionError(f"a repair was found: {_listed_changes(found)}")


def _answer(answers: Answers) -> WhyNot:
    if answers.why_not is None:
        raise AssertionError("no why-not asked yet: add When why-not asks about ...")
    return answers.why_not


@then(
    parsers.parse(
        'vastauksen mukaan sääntö "{rule}" ei täyttynyt, koska piirteen "{trait}" ehto ei täyty'
    )
)
@then(parsers.parse('the answer names "{rule}" as not fired because "{trait}" fails'))
def _rule_fails(
    modeadvisor_context: AdviceContext, modeadvisor_answers: Answers, rule: str, trait: str
) -> None:
    _rule_part(modeadvisor_context, modeadvisor_answers, rule, trait, "failed")


@then(parsers.parse('vastauksen mukaan säännön "{rule}" piirrettä "{trait}" ei ole havaittu'))
@then(parsers.parse('the answer names "{trait}" as not observed in "{rule}"'))
def _rule_unobserved(
    modeadvisor_context: AdviceContext, modeadvisor_answers: Answers, rule: str, trait: str
) -> None:
    _rule_part(modeadvisor_context, modeadvisor_answers, rule, trait, "not_observed")


def _rule_part(context: AdviceContext, answers: Answers, rule: str, trait: str, state: str) -> None:
    rule, trait = context.rule(rule), context.trait(trait)
    answer = _answer(answers)
    checks = [c for c in answer.rules if c.rule == rule]
    if not checks:
        raise AssertionError(f"the answer does not name the rule '{rule}'")
    if checks[0].fired:
        raise AssertionError(f"'{rule}' fired")
    parts = [p for branch in checks[0].alternatives for p in branch if p.trait == trait]
    if not any(p.state == state for p in parts):
        shown = ", ".join(f"{p.test}: {p.state}" for p in parts) or "no test of it"
        raise AssertionError(f"in '{rule}', '{trait}' is not {state}: {shown}")


@then(parsers.parse('vastauksen mukaan toimintatapa "{archetype}" painaa enemmän'))
@then(parsers.parse('the answer says "{archetype}" outweighs it'))
def _outweighs(
    modeadvisor_context: AdviceContext, modeadvisor_answers: Answers, archetype: str
) -> None:
    archetype = modeadvisor_context.archetype(archetype)
    answer = _answer(modeadvisor_answers)
    if archetype not in [r.archetype for r in answer.rivals]:
        rivals = ", ".join(r.archetype for r in answer.rivals) or "none"
        raise AssertionError(f"'{archetype}' does not outweigh it; the rivals: {rivals}")


def _how_settled(answers: Answers) -> Settled:
    if answers.settled is None:
        raise AssertionError('nothing checked yet: add When the settledness of "..." is checked')
    return answers.settled


@then("hallitseva toimintatapa on vakiintunut")
@then("the dominant mode is settled")
def _is_settled(modeadvisor_answers: Answers) -> None:
    answer = _how_settled(modeadvisor_answers)
    if answer.mode != "settled":
        raise AssertionError(f"it is open: {', '.join(answer.could_lead)} could lead")


@then(
    parsers.parse('hallitseva toimintatapa on avoin, ja "{archetype}" voisi nousta hallitsevaksi')
)
@then(parsers.parse('the dominant mode is open, and "{archetype}" could lead'))
def _is_open(
    modeadvisor_context: AdviceContext, modeadvisor_answers: Answers, archetype: str
) -> None:
    archetype = modeadvisor_context.archetype(archetype)
    answer = _how_settled(modeadvisor_answers)
    if answer.mode != "open" or archetype not in answer.could_lead:
        could = ", ".join(answer.could_lead) or "no mode"
        raise AssertionError(f"it is {answer.mode}; could lead: {could}")


# --- the catalogue `modeadvisor steps` prints --------------------------------------------------

_SAMPLES = {
    "unit": "plant",
    "parent": "group",
    "models": "balanced_scorecard",
    "path": "../examples/manufacturer.yaml",
    "view": "desired",
    "ranking": "customer_service, development",
    "value": "0.2",
    "archetype": "production",
    "model": "balanced_scorecard",
    "count": "3",
    "rule": "cost_leadership",
    "source": "S-P6",
    "kind": "unit_mode_conflict",
    "first": "plant",
    "second": "rnd",
    "severity": "high",
    "text": "Balanced scorecard",
    "finding": "units_split_on_model:group:balanced_scorecard",
    "units": "group, plant, rnd",
    "name": "misfit_high",
    "other": "milestone_project_followup",
    "goal": "measurement_misfit",
    "subject": "balanced_scorecard",
    "trait": "project_kill_readiness",
    "traits": "project_work_share",
}
_TABLES = {
    "traits:": "| trait | value |",
    "ovat:": "| piirre | arvo |",
    "mode is:": "| archetype | weight |",
    "the unit:": "| respondent | production | development |",
    "toimintatapa on:": "| toimintatapa | paino |",
    "yksikön:": "| vastaaja | production | development |",
}


_FINNISH = re.compile(
    r"yksik|organisaatio|toimintatapa|profiili|näyttö|suositel|välttää|"
    r"sääntö|neuvo|ristiri|havain|vastaaj|paketin|korja|kysy|vastau|tarkistetaan"
)
_FINNISH_KEYWORDS = {"Given": "Oletetaan", "When": "Kun", "Then": "Niin"}


@dataclass(frozen=True)
class StepDoc:
    lang: str  # en, or fi for files starting `# language: fi`
    keyword: str  # Given, When or Then (Oletetaan, Kun, Niin)
    phrase: str  # with {placeholders}
    example: str


def step_catalogue() -> list[StepDoc]:
    """Every step this plugin defines, with a filled-in example, Finnish ones included."""
    from pytest_bdd.steps import step_function_context_registry

    docs = []
    for context in step_function_context_registry.values():
        if context.step_func.__module__ != __name__:
            continue
        phrase = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", context.parser.name).replace('\\"', '"')
        phrase = re.sub(r"\{(\w+)(:[^}]*)?\}", r"{\1}", phrase)
        example = re.sub(r"\{(\w+)\}", lambda m: _SAMPLES.get(m.group(1), m.group(1)), phrase)
        table = next((t for end, t in _TABLES.items() if phrase.endswith(end)), None)
        if table:
            example += "\n      " + table
        keyword = (context.type or "given").capitalize()
        lang = "fi" if _FINNISH.search(phrase) else "en"
        if lang == "fi":
            keyword = _FINNISH_KEYWORDS[keyword]
        docs.append(StepDoc(lang, keyword, phrase, example))
    order = ["Given", "When", "Then", "Oletetaan", "Kun", "Niin"]
    return sorted(set(docs), key=lambda d: (d.lang, order.index(d.keyword), d.phrase))
