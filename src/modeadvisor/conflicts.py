"""From conflict-rule firings to the conflicts an Advice reports; and the reference matcher.

The engine reports each firing as a rule and the facts bound to its aliases. Firings of one rule
over the same units are one conflict (so a symmetric tension between two units, found once from
each side, is reported once), with every match kept for the explanation. `match_reference` is a
plain-Python matcher with the engine's semantics (aliases bind distinct facts; a missing field
never matches); the engine is tested against it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

from modeadvisor import conditions as cond
from modeadvisor.advice import Conflict, FactValue
from modeadvisor.backends._rulesets import Firing, resolve
from modeadvisor.facts import FACT_KINDS, UNIT_FIELDS
from modeadvisor.knowledge import ConflictRule, KnowledgeBase, Lang, Settings
from modeadvisor.situation import Fact

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\}")
_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_YES_NO = {"en": ("yes", "no"), "fi": ("kyllä", "ei")}


def match_reference(
    rules: Sequence[ConflictRule], facts: Sequence[Fact], settings: Settings
) -> list[Firing]:
    """Every (rule, alias -> fact index) binding that satisfies a rule, in plain Python."""
    firings: list[Firing] = []
    for rule in rules:
        conditions = [
            (p.alias, p.kind, resolve(p.condition, settings) if p.condition else None)
            for p in rule.patterns
        ]
        for bound in _bindings(conditions, facts, {}):
            firings.append((rule.id, bound))
    return firings


def _bindings(
    patterns: Sequence[tuple[str, str, cond.Condition | None]],
    facts: Sequence[Fact],
    bound: dict[str, int],
) -> Iterator[dict[str, int]]:
    if not patterns:
        yield dict(bound)
        return
    (alias, kind, condition), rest = patterns[0], patterns[1:]
    taken = set(bound.values())
    others = {a: facts[i] for a, i in bound.items()}
    for index, fact in enumerate(facts):
        if index in taken or fact["kind"] != kind:
            continue
        if condition is None or cond.evaluate(condition, fact, others):
            bound[alias] = index
            yield from _bindings(rest, facts, bound)
            del bound[alias]


def binding_bounds(rules: Sequence[ConflictRule], facts: Sequence[Fact]) -> dict[str, int]:
    """For each rule, an upper bound of the bindings it can make over these facts.

    Each alias can bind at most the facts of its kind, and when its condition requires
    `field == other.field`, at most the largest group of such facts sharing one value of the
    field. The engine cannot be interrupted once it runs, so this is checked first.
    """
    kinds = Counter(str(fact["kind"]) for fact in facts)
    groups: Counter[tuple[str, str, object]] = Counter()
    for fact in facts:
        kind = str(fact["kind"])
        for name, value in fact.items():
            if not isinstance(value, frozenset):
                groups[(kind, name, value)] += 1
    largest: dict[tuple[str, str], int] = {}
    for (kind, name, _), count in groups.items():
        largest[(kind, name)] = max(largest.get((kind, name), 0), count)
    bounds = {}
    for rule in rules:
        bound = 1
        for pattern in rule.patterns:
            candidates = kinds[pattern.kind]
            for leaf in _required_leaves(pattern.condition):
                if isinstance(leaf, cond.Comparison) and isinstance(leaf.value, cond.Ref):
                    candidates = min(candidates, largest.get((pattern.kind, leaf.trait), 0))
            bound *= candidates
        bounds[rule.id] = bound
    return bounds


def _required_leaves(condition: cond.Condition | None) -> tuple[cond.Condition, ...]:
    """The leaves every match must satisfy: a top-level leaf or the leaves of a conjunction."""
    if condition is None or isinstance(condition, cond.AnyOf):
        return ()
    if isinstance(condition, cond.All):
        return tuple(t for t in condition.terms if not isinstance(t, cond.All | cond.AnyOf))
    return (condition,)


def summarise(
    kb: KnowledgeBase,
    firings: Sequence[Firing],
    facts: Sequence[Fact],
    unit_names: Mapping[str, str],
    lang: Lang,
) -> list[Conflict]:
    """Group firings into conflicts (one per rule and set of units), explained in `lang`."""
    rules = {rule.id: rule for rule in kb.conflicts}
    groups: dict[tuple[str, tuple[str, ...]], dict[str, dict[str, dict[str, FactValue]]]] = {}
    read_by = {rule.id: _fields_read(rule) for rule in kb.conflicts}
    for rule_id, bound in firings:
        units = tuple(sorted({str(facts[i]["uid"]) for i in bound.values() if "uid" in facts[i]}))
        read = read_by[rule_id]
        match = {alias: _public(facts[index], read) for alias, index in bound.items()}
        key = json.dumps(match, sort_keys=True)
        groups.setdefault((rule_id, units), {})[key] = match
    conflicts = []
    text = _Texts(kb, unit_names, lang)
    for (rule_id, units), found in groups.items():
        rule = rules[rule_id]
        matches = [found[key] for key in sorted(found)]
        spec = rule.spec
        conflicts.append(
            Conflict(
                kind=spec.kind,
                severity=spec.severity,
                units=list(units),
                explanation=text.fill(spec.explanation.get(lang), matches[:1], rule),
                resolution=text.fill(spec.resolution.get(lang), matches[:1], rule),
                details=[text.fill(spec.detail.get(lang), [m], rule) for m in matches]
                if spec.detail
                else [],
                rule=rule_id,
                source=list(spec.source),
                pack=rule.pack,
                origin=f"{rule.origin.file}:{rule.origin.line}",
                matches=matches,
            )
        )
    return sorted(conflicts, key=lambda c: (_SEVERITY_ORDER[c.severity], c.kind, c.units, c.rule))


def _fields_read(rule: ConflictRule) -> frozenset[str]:
    """The trait ids a rule reads or quotes: only those are kept of a unit fact's traits."""
    names: set[str] = set()
    for pattern in rule.patterns:
        if pattern.condition is not None:
            for leaf in cond.comparisons(pattern.condition):
                names.add(leaf.trait)
                if isinstance(leaf, cond.Comparison) and isinstance(leaf.value, cond.Ref):
                    names.add(leaf.value.field)
    for text in (rule.spec.explanation, rule.spec.resolution, rule.spec.detail):
        for value in (text.en, text.fi) if text else ():
            names.update(field for _, field in _PLACEHOLDER.findall(value or ""))
    return frozenset(names)


def _public(fact: Fact, read: frozenset[str]) -> dict[str, FactValue]:
    kind = str(fact["kind"])
    shown: dict[str, FactValue] = {}
    for name, value in fact.items():
        if kind == "unit" and name not in UNIT_FIELDS and name not in read and name != "kind":
            continue
        shown[name] = sorted(value) if isinstance(value, frozenset) else value
    return shown


class _Texts:
    """Fills `{alias.field}` placeholders with readable values; never `str.format`."""

    def __init__(self, kb: KnowledgeBase, unit_names: Mapping[str, str], lang: Lang) -> None:
        self.kb, self.unit_names, self.lang = kb, unit_names, lang

    def fill(
        self,
        template: str,
        matches: Sequence[Mapping[str, Mapping[str, FactValue]]],
        rule: ConflictRule,
    ) -> str:
        kinds = {p.alias: p.kind for p in rule.patterns}

        def replace(placeholder: re.Match[str]) -> str:
            alias, field = placeholder.groups()
            shown = [
                self.show(kinds[alias], field, m[alias].get(field)) for m in matches if alias in m
            ]
            return ", ".join(dict.fromkeys(shown))

        return _PLACEHOLDER.sub(replace, template)

    def show(self, kind: str, field: str, value: FactValue) -> str:
        if value is None:
            return "-"
        spec = FACT_KINDS[kind].get(field)
        kind_of_value = spec.type if spec is not None else None
        if kind_of_value == "unit":
            return self.unit_names.get(str(value), str(value))
        if kind_of_value == "archetype" and str(value) in self.kb.archetypes:
            return self.kb.archetypes[str(value)].name.get(self.lang)
        if kind_of_value == "model" and str(value) in self.kb.models:
            return self.kb.models[str(value)].name.get(self.lang)
        if isinstance(value, bool):
            return _YES_NO[self.lang][0 if value else 1]
        if isinstance(value, float | int):
            return f"{round(value, 2):g}"
        if isinstance(value, list):
            return ", ".join(value)
        return str(value)
