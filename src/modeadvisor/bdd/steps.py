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
from dataclasses import dataclass
from typing import Any

import yaml
from pytest_bdd import given, parsers, then, when

from modeadvisor.advice import Conflict, ModelAdvice, UnitAdvice
from modeadvisor.advisor import Advisor
from modeadvisor.bdd._context import AdviceContext
from modeadvisor.errors import did_you_mean
from modeadvisor.knowledge import SEVERITIES
from modeadvisor.reports.labels import label


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


@then("the self-assessment is disputed")
def _disputed(modeadvisor_context: AdviceContext) -> None:
    _check_disputed(modeadvisor_context, None, disputed=True)


@then("the self-assessment is not disputed")
def _undisputed(modeadvisor_context: AdviceContext) -> None:
    _check_disputed(modeadvisor_context, None, disputed=False)


@then(parsers.parse('the self-assessment of "{unit}" is disputed'))
def _disputed_of(modeadvisor_context: AdviceContext, unit: str) -> None:
    _check_disputed(modeadvisor_context, unit, disputed=True)


@then(parsers.parse('the self-assessment of "{unit}" is not disputed'))
def _undisputed_of(modeadvisor_context: AdviceContext, unit: str) -> None:
    _check_disputed(modeadvisor_context, unit, disputed=False)


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
    r"sääntö|neuvo|ristiri|havain|vastaaj|paketin"
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
