"""Rule coverage: which rules of a pack the feature files exercise.

Counted over every advice the scenarios obtained:

- a **scoring rule** is covered when it fired for some unit;
- a **link** (`suits` or `poor_fit`) is covered when it was a reason for a recommendation (a
  `suits` link of a recommended model) or for an avoid (a `poor_fit` link of an avoided model);
  `evolves_to` links give directions, not recommendations, and are not counted;
- a **conflict rule** is covered when it had a match in a finding (leading it, or folded into
  the finding of a more severe rule of the same topic).

The report says which scenarios covered each item and, for every uncovered one, suggests a
scenario that would (`suggest`): trait values that satisfy a scoring rule's condition, or a
unit pushed towards a link's archetype. It needs no pytest: `modeadvisor.bdd` records the advice,
this module counts it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from html import escape
from typing import Literal

from pydantic import BaseModel, ConfigDict

from modeadvisor import conditions as cond
from modeadvisor._i18n import Message
from modeadvisor.advice import Advice
from modeadvisor.authoring.lint import Finding
from modeadvisor.errors import Location
from modeadvisor.knowledge import KnowledgeBase, Rule, Trait

Section = Literal["rules", "links", "conflicts"]
SECTIONS: tuple[Section, ...] = ("rules", "links", "conflicts")
_WHAT = {"rules": "scoring rules", "links": "links", "conflicts": "conflict rules"}
#: Scenarios named per covered item (the rest are counted, not listed).
NAMED = 5


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CoveredItem(_Out):
    section: Section
    id: str  # a rule id, or "archetype -> model" for a link
    where: str  # file:line
    scenarios: int  # how many scenarios covered it
    examples: list[str]  # the first few of them
    suggestion: str | None  # for an uncovered item: a scenario that would cover it


class Tally(_Out):
    covered: int
    total: int
    percent: float


class CoverageReport(_Out):
    pack: str
    scenarios: int
    sections: dict[str, Tally]
    total: Tally
    items: list[CoveredItem]

    @property
    def percent(self) -> float:
        return self.total.percent

    def reaches(self, floor: float) -> bool:
        """Whether coverage is at least `floor` percent (exactly, not rounded)."""
        return self.total.covered * 100 >= floor * self.total.total

    def uncovered(self) -> list[CoveredItem]:
        return [item for item in self.items if not item.scenarios]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"


def covered_by(advice: Advice) -> Iterator[tuple[Section, str]]:
    """The rules, links and conflict rules one advice exercised."""
    for unit in advice.units:
        for evidence in unit.evidence:
            yield "rules", evidence.rule
        for models, relation in ((unit.recommendations, "suits"), (unit.avoid, "poor_fit")):
            for model in models:
                for reason in model.because:
                    if reason.relation == relation:
                        yield "links", f"{reason.archetype} -> {model.model}"
    for conflict in advice.conflicts:
        for rule in conflict.rules:  # every rule with a match, not only the leading one
            yield "conflicts", rule


def measure(kb: KnowledgeBase, runs: Iterable[tuple[str, Sequence[Advice]]]) -> CoverageReport:
    """Coverage of `kb`'s rules by scenarios, each given by its name and the advice it obtained."""
    hits: dict[tuple[str, str], list[str]] = {}
    count = 0
    for scenario, advices in runs:
        count += 1
        seen = {key for advice in advices for key in covered_by(advice)}
        for key in sorted(seen):
            hits.setdefault(key, []).append(scenario)
    items = [
        CoveredItem(
            section=section,
            id=key,
            where=_where(kb, section, key),
            scenarios=len(hits.get((section, key), [])),
            examples=hits.get((section, key), [])[:NAMED],
            suggestion=None if (section, key) in hits else suggest(kb, section, key),
        )
        for section, key in _items(kb)
    ]
    sections = {
        section: _tally([item for item in items if item.section == section]) for section in SECTIONS
    }
    return CoverageReport(
        pack="+".join(kb.layers),
        scenarios=count,
        sections=sections,
        total=_tally(items),
        items=items,
    )


def _items(kb: KnowledgeBase) -> Iterator[tuple[Section, str]]:
    for rule in kb.rules:
        yield "rules", rule.id
    for link in kb.links:
        if link.relation != "evolves_to":
            yield "links", f"{link.source_node} -> {link.target}"
    for conflict in kb.conflicts:
        yield "conflicts", conflict.id


def _where(kb: KnowledgeBase, section: Section, key: str) -> str:
    located = kb.located(section, key)
    return str(located.at()) if located is not None else ""


def _tally(items: Sequence[CoveredItem]) -> Tally:
    covered = sum(1 for item in items if item.scenarios)
    percent = round(100.0 * covered / len(items), 1) if items else 100.0
    return Tally(covered=covered, total=len(items), percent=percent)


# --- suggestions -----------------------------------------------------------------------------


def suggest(kb: KnowledgeBase, section: Section, key: str) -> str:
    """A scenario (Gherkin) that would cover an uncovered item, for the consultant to finish."""
    if section == "rules":
        rule = next(r for r in kb.rules if r.id == key)
        traits = satisfying_traits(kb, rule)
        if traits is None:
            return f"# no trait values satisfy the condition of '{key}': see `modeadvisor lint`"
        return _scenario(
            f"Rule {key} fires", traits, [f'Then the rule "{key}" fired'], rule.spec.rationale.en
        )
    if section == "links":
        archetype, model = key.split(" -> ")
        link = next(x for x in kb.links if (x.source_node, x.target) == (archetype, model))
        traits = pushing_traits(kb, archetype)
        verb = "is recommended" if link.relation == "suits" else "is to be avoided"
        checks = [f'Then the dominant mode is "{archetype}"', f'And "{model}" {verb}']
        return _scenario(f"A {archetype} unit: {model}", traits, checks, link.reason.en)
    conflict = next(c for c in kb.conflicts if c.id == key)
    kinds = ", ".join(sorted({p.kind for p in conflict.patterns}))
    return "\n".join(
        [
            f"Scenario: a {conflict.spec.kind} conflict by the rule {key}",
            f"  # describe units (and {kinds}) that match: {', '.join(conflict.spec.match.values())}",
            "  Given ...",
            "  When the units are assessed",
            f'  Then there is a "{conflict.spec.kind}" conflict',
        ]
    )


def _scenario(
    title: str, traits: Mapping[str, cond.TraitValue], checks: list[str], why: str
) -> str:
    width = max([len("trait"), *(len(t) for t in traits)])
    values = {t: _gherkin_value(v) for t, v in traits.items()}
    value_width = max([len("value"), *(len(v) for v in values.values())])
    lines = [f"Scenario: {title}", f"  # {why}", '  Given a unit "unit" with traits:']
    lines.append(f"    | {'trait'.ljust(width)} | {'value'.ljust(value_width)} |")
    lines += [f"    | {t.ljust(width)} | {v.ljust(value_width)} |" for t, v in values.items()]
    lines.append("  When the unit is assessed")
    lines += [f"  {check}" for check in checks]
    return "\n".join(lines)


def _gherkin_value(value: cond.TraitValue) -> str:
    if isinstance(value, frozenset):
        return "[" + ", ".join(sorted(value)) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def satisfying_traits(kb: KnowledgeBase, rule: Rule) -> dict[str, cond.TraitValue] | None:
    """Trait values under which the rule's condition holds (its first satisfiable branch)."""
    for alternative in cond.disjunctive_form(rule.condition):
        found = _satisfy(kb.traits, alternative)
        if found is not None:
            return found
    return None


def pushing_traits(kb: KnowledgeBase, archetype: str) -> dict[str, cond.TraitValue]:
    """Trait values that fire the rules weighing only towards `archetype` (where they agree)."""
    chosen: dict[str, cond.TraitValue] = {}
    for rule in kb.rules:
        if set(rule.spec.weights) != {archetype}:
            continue
        found = satisfying_traits(kb, rule)
        if found is None or any(chosen.get(t, v) != v for t, v in found.items()):
            continue
        chosen.update(found)
    return chosen


def _satisfy(
    traits: Mapping[str, Trait], conjunction: tuple[cond.Leaf, ...]
) -> dict[str, cond.TraitValue] | None:
    by_trait: dict[str, list[cond.Leaf]] = {}
    for leaf in conjunction:
        by_trait.setdefault(leaf.trait, []).append(leaf)
    chosen: dict[str, cond.TraitValue] = {}
    for trait, leaves in by_trait.items():
        test = cond.All(tuple(leaves)) if len(leaves) > 1 else leaves[0]
        value = next(
            (v for v in _candidates(traits[trait], leaves) if cond.evaluate(test, {trait: v})),
            None,
        )
        if value is None:
            return None
        chosen[trait] = value
    return chosen


def _candidates(trait: Trait, leaves: Sequence[cond.Leaf]) -> Iterator[cond.TraitValue]:
    """Values of the trait's type to try, the ones nearest the literals first."""
    match trait.type:
        case "scale":
            yield from (5, 4, 1, 2, 3)
        case "bool":
            yield from (True, False)
        case "category":
            yield from trait.values or ()
        case "number":
            literals = [leaf.value for leaf in leaves if isinstance(leaf, cond.Comparison)]
            numbers = [
                v for v in literals if isinstance(v, int | float) and not isinstance(v, bool)
            ]
            for number in numbers:
                yield from (number, number + 1, number - 1)
            yield from (0, trait.max if trait.max is not None else 100)
        case "set":
            values = tuple(trait.values or ())
            wanted = frozenset(
                leaf.value for leaf in leaves if isinstance(leaf, cond.Member) and leaf.present
            )
            yield wanted
            for size in range(len(values) + 1):
                yield from (frozenset(c) for c in itertools.combinations(values, size))


# --- text and HTML ---------------------------------------------------------------------------


def to_text(report: CoverageReport, *, suggestions: bool = True) -> str:
    """A summary line per section, then every uncovered item (with a scenario that covers it)."""
    lines = [
        f"rule coverage of {report.pack} by {report.scenarios} scenarios: "
        f"{report.total.covered}/{report.total.total} ({report.total.percent:.1f}%)"
    ]
    for section in SECTIONS:
        tally = report.sections[section]
        lines.append(f"  {_WHAT[section]}: {tally.covered}/{tally.total} ({tally.percent:.1f}%)")
    uncovered = report.uncovered()
    if uncovered:
        lines.append("")
        lines.append(f"not covered ({len(uncovered)}):")
        for item in uncovered:
            lines.append(f"  {item.where}: {_WHAT[item.section][:-1]} {item.id}")
            if suggestions and item.suggestion:
                lines += ["    " + line for line in item.suggestion.splitlines()]
    return "\n".join(lines) + "\n"


_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; max-width: 70rem; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2rem; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
tr.miss { background: #fdecea; } tr.hit { background: #eef8ee; }
.bar { background: #ddd; height: .8rem; width: 12rem; display: inline-block; }
.bar span { background: #2e7d32; height: 100%; display: block; }
pre { background: #f6f6f6; padding: .5rem; margin: .3rem 0 0; font-size: .85rem; }
code { font-size: .9rem; }
"""


def to_html(report: CoverageReport) -> str:
    """One self-contained page (no scripts, fonts or network): totals and every item."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Rule coverage: {escape(report.pack)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Rule coverage of {escape(report.pack)}</h1>",
        f"<p>{report.scenarios} scenarios; {report.total.covered} of {report.total.total} "
        f"items covered ({report.total.percent:.1f}%).</p>",
        "<table><tr><th>section</th><th>covered</th><th></th></tr>",
    ]
    for section in SECTIONS:
        tally = report.sections[section]
        parts.append(
            f"<tr><td>{_WHAT[section]}</td><td>{tally.covered}/{tally.total} "
            f"({tally.percent:.1f}%)</td><td><span class='bar'>"
            f"<span style='width:{tally.percent:.1f}%'></span></span></td></tr>"
        )
    parts.append("</table>")
    for section in SECTIONS:
        parts.append(f"<h2>{_WHAT[section].capitalize()}</h2>")
        parts.append("<table><tr><th>id</th><th>where</th><th>covered by</th></tr>")
        for item in (i for i in report.items if i.section == section):
            parts.append(_html_row(item))
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_row(item: CoveredItem) -> str:
    if item.scenarios:
        more = item.scenarios - len(item.examples)
        names = "<br>".join(escape(name) for name in item.examples)
        if more > 0:
            names += f"<br>and {more} more"
        return (
            f"<tr class='hit'><td><code>{escape(item.id)}</code></td>"
            f"<td>{escape(item.where)}</td><td>{names}</td></tr>"
        )
    suggestion = f"<pre>{escape(item.suggestion)}</pre>" if item.suggestion else ""
    return (
        f"<tr class='miss'><td><code>{escape(item.id)}</code></td><td>{escape(item.where)}</td>"
        f"<td>not covered; a scenario that would cover it:{suggestion}</td></tr>"
    )


# --- as lint findings ------------------------------------------------------------------------


def lint_findings(kb: KnowledgeBase, report: CoverageReport) -> list[Finding]:
    """An info finding per item no scenario exercises, its hint a scenario that would."""
    findings = []
    for item in report.uncovered():
        located = kb.located(item.section, item.id)
        where = located.at() if located is not None else Location(str(kb.root))
        findings.append(
            Finding(
                code=f"uncovered-{item.section.removesuffix('s')}",
                severity="info",
                location=where,
                message=_unexercised(item),
                hint=_short_hint(kb, item),
                pack=located.pack if located is not None else "",
            )
        )
    return findings


def _unexercised(item: CoveredItem) -> Message:
    if item.section == "rules":
        return Message("scoring rule '{id}' is exercised by no scenario", id=item.id)
    if item.section == "links":
        return Message("link '{id}' is exercised by no scenario", id=item.id)
    return Message("conflict rule '{id}' is exercised by no scenario", id=item.id)


def _short_hint(kb: KnowledgeBase, item: CoveredItem) -> str:
    """One line: the trait values of the suggested scenario and what it checks (the step is
    the feature files' English in every language)."""
    if item.section == "rules":
        rule = next(r for r in kb.rules if r.id == item.id)
        traits = satisfying_traits(kb, rule) or {}
        values = ", ".join(f"{t} {_gherkin_value(v)}" for t, v in traits.items())
        return Message(
            "add a scenario: a unit with {values}; {step}",
            values=values,
            step=f'Then the rule "{item.id}" fired',
        )
    if item.section == "links":
        archetype, model = item.id.split(" -> ")
        return Message(
            'add a scenario with a unit whose mode is {archetype} that checks "{model}" '
            "(modeadvisor test --coverage prints one to start from)",
            archetype=archetype,
            model=model,
        )
    kind = next(c.spec.kind for c in kb.conflicts if c.id == item.id)
    return Message(
        "add a scenario whose units match it; {step}", step=f'Then there is a "{kind}" conflict'
    )
