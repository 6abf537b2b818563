"""Static verification of a loaded rule pack: what `modeadvisor lint` reports.

Loading a pack (`load_knowledge_base`) already refuses what is *malformed*: unknown ids, type
mismatches, conditions that do not parse. Linting looks for what is well-formed but *wrong or
doubtful*, in the spirit of DMN decision-table verification (gaps, overlaps, masked and subsumed
rules), adapted to how modeadvisor scores: every rule that fires adds its weights, so rules are
evidence that accumulates rather than rows of which one wins.

Every finding has a stable code, a severity, a location (file, line and, inside conditions, the
column of the trait concerned), a message and a hint. Severities: only what is certainly a defect
is an `error` (a CI gate may fail on it); what is probably a mistake but can be meant is a
`warning`; `info` is advice.

Errors:
- `unsatisfiable-condition`: a scoring rule, or a pattern of a conflict rule, that nothing can
  ever match;
- `duplicate-rule`: two rules with equivalent conditions and the same weights (one piece of
  evidence counted twice);
- `engine-limit`: a rule the rule engine would refuse (too many alternatives or trait
  properties), so no advisor could be built on the pack;
- `unreachable-archetype`: an archetype no rule that can fire gives weight: no unit can ever be
  in that mode;
- `missing-form`: a conflict rule's text quotes a name in a form (`{u.dominant|partitive}`) that
  some mode or model of the pack does not give (`forms: {fi: {partitive: ...}}`): its name
  would stand in the nominative where the sentence needs another case.

Warnings:
- `unsatisfiable-branch`: one alternative (`or` branch) of a rule can never hold, though the
  rule can fire;
- `subsumed-rule`: a rule whose condition implies another's with the same weights: whenever it
  fires the other fires too, so its units get the weights twice;
- `equivalent-conditions`: two rules with different weights fire for exactly the same units;
- `contradictory-overlap`: two rules that fire together for one trait pattern push towards
  different archetypes;
- `dominated-archetype`: an archetype that gets weight but can never be the dominant mode;
- `unused-trait`: a catalogue trait no scoring or conflict rule reads;
- `trait-without-kind`: a trait that does not say whether it is a `lever`, a `circumstance` or a
  `signal`: what-if changes only levers, so it never changes this trait unless told to;
- `missing-source`: a scoring rule, conflict rule or link that cites no source;
- `missing-rationale`: a scoring rule whose rationale is blank;
- `unreachable-model`: a model no archetype links to (`suits` or `poor_fit`);
- `missing-suits-link`: an archetype with no `suits` link to a model of a kind the pack has
  (management, measurement): its units get no recommendation of that kind;
- `unnamed-kind`: a conflict rule's `kind` that the pack does not name under `kinds:`: every
  output titles its findings with the id (with a did-you-mean where a named kind is close: a
  misspelt `kind`).

Info:
- `missing-translation`: an item with a text without Finnish (`fi`); Finnish output falls back
  to English.
- `case-ending-on-name`: a Finnish text glues an ending to a quoted name (`{a.archetype}n`,
  `{u.uid}:ssa`), which is right for some names and wrong for others: quote the name in a form
  (`|genitive`), or phrase the sentence so the name stands in the nominative ("yksikössä
  {u.uid}").

How conditions are reasoned about. A condition is expanded into alternatives (its disjunctive
form, as the engine runs it), each a conjunction of comparisons. A conjunction is a set of
values per trait: scale traits are the whole numbers 1..5, bool traits true/false, category
traits their values, each value of a set trait is present or absent, and number traits are the
multiples of 0.000001 (the precision observed numbers are rounded to and the engine compares at)
between the trait's `min` and `max` (else ±1e12). A comparison on a trait the unit did not
observe is false, so every trait a conjunction mentions must be observed. This makes the
reasoning exact within one conjunction: it is satisfiable iff no trait is left without a value;
conjunction A implies B iff B mentions no trait A does not and, trait by trait, A's values are
among B's. Rule A implies rule B when every unit matching an alternative of A matches some
alternative of B; this is decided exactly (`cost in [4, 5]` implies `cost >= 4`), by splitting
A's alternative into pieces until each lies inside one of B's, and after 2000 splits lint gives
up and claims nothing. Two rules *overlap substantially* when an alternative of each can hold
for one unit and either one implies the other or both test exactly the same traits (for set
traits: the same values); only then is a `contradictory-overlap` reported, with an example of
trait values. A rule pushes towards the archetypes it weighs most; two rules push towards
different archetypes when those sets do not meet.

Dominance is approximated soundly: an archetype is `unreachable-archetype` when no rule that can
fire weighs it (its weight is then always 0, and a unit with evidence always has some archetype
above 0), and `dominated-archetype` when one other archetype Y gets, from every rule that weighs
it, at least as much weight as it does — and strictly more in every such rule unless Y is listed
before it (ties go to the archetype listed first). Then Y always ranks above it.

Conflict rules are checked for unsatisfiable patterns with the same reasoning over fact fields
(joins with other aliases, `a.field`, are left out, which can only make a pattern look more
satisfiable, never less), and for missing sources and translations.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, Literal, TypeAlias

from modeadvisor import conditions as cond
from modeadvisor._i18n import Message, render
from modeadvisor.backends._rulesets import compile_conflicts, compile_pack
from modeadvisor.conditions import MAX_ALTERNATIVES, Leaf
from modeadvisor.errors import Location, ModeAdvisorError, did_you_mean, display_path
from modeadvisor.facts import FACT_KINDS, UNIT_FIELDS
from modeadvisor.knowledge import (
    NUMBER_DECIMALS,
    NUMBER_LIMIT,
    SCALE_MAX,
    SCALE_MIN,
    Archetype,
    ConflictRule,
    KnowledgeBase,
    Lang,
    Model,
    Rule,
    Text,
    Trait,
)
from modeadvisor.knowledge import PLACEHOLDER as _PLACEHOLDER
from modeadvisor.knowledge._compiled import Conjunction
from modeadvisor.knowledge._documents import PathKey
from modeadvisor.scoring import to_millionths

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}

#: Model kinds an archetype should have a `suits` link for (when the pack has such models).
MODEL_KINDS = ("management", "measurement")


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing lint found: a stable `code`, its severity, where, what and what to do.

    `message` and `hint` are `Message`s: English as `str` (and in `to_json`), said in another
    language by `to_text(findings, lang)`; ids, conditions and places are their arguments."""

    code: str
    severity: Severity
    location: Location
    message: str
    hint: str
    pack: str = ""  # the id of the pack (layer) the location belongs to

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message} [{self.code}]"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "message": self.message,
            "hint": self.hint,
            "pack": self.pack,
        }


def lint(kb: KnowledgeBase, *, packs: Collection[str] | None = None) -> list[Finding]:
    """Every finding on a knowledge base, in a deterministic order (file, line, column, ...).

    `packs` keeps only the findings located in those packs (layers), e.g. only the top pack's.
    """
    findings = _Linter(kb).run()
    if packs is not None:
        findings = [f for f in findings if f.pack in packs]
    return sorted(findings, key=_order)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def summary(findings: Iterable[Finding]) -> dict[Severity, int]:
    """How many findings of each severity."""
    counts: dict[Severity, int] = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def to_text(findings: Sequence[Finding], lang: str = "en") -> str:
    """One line per finding (`file:line:column: severity: message [code]`), its hint, a total;
    the words in `lang` (codes, names and places as they are)."""
    lines = []
    for finding in findings:
        said = render(finding.message, lang)
        lines.append(
            f"{finding.location}: {_SEVERITY[finding.severity].render(lang)}: {said} "
            f"[{finding.code}]"
        )
        lines.append("    " + Message("hint: {hint}", hint=finding.hint).render(lang))
    counts = summary(findings)
    lines.append(", ".join(_counted(severity, n).render(lang) for severity, n in counts.items()))
    return "\n".join(lines) + "\n"


#: The severities as the text output says them.
_SEVERITY: Mapping[Severity, Message] = {
    "error": Message("error"),
    "warning": Message("warning"),
    "info": Message("info"),
}


def _counted(severity: Severity, count: int) -> Message:
    """ "1 error", "2 warnings": the total of a severity."""
    one = count == 1
    if severity == "error":
        return (
            Message("{count} error", count=count) if one else Message("{count} errors", count=count)
        )
    if severity == "warning":
        return (
            Message("{count} warning", count=count)
            if one
            else Message("{count} warnings", count=count)
        )
    return Message("{count} info", count=count) if one else Message("{count} infos", count=count)


def to_json(findings: Sequence[Finding]) -> str:
    """`{"findings": [{code, severity, file, line, column, message, hint, pack}], "summary":
    {"error": n, "warning": n, "info": n}}`, deterministic."""
    data = {"findings": [f.to_dict() for f in findings], "summary": summary(findings)}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _order(finding: Finding) -> tuple[str, int, int, int, str, str]:
    loc = finding.location
    return (
        loc.file,
        loc.line or 0,
        loc.column or 0,
        _RANK[finding.severity],
        finding.code,
        finding.message,
    )


# --- value domains ---------------------------------------------------------------------------

_GRID: int = 10**NUMBER_DECIMALS  # numbers are reasoned about in millionths
_FAR = int(NUMBER_LIMIT) * _GRID
_OTHER = "\x00another"  # a unit id different from every one a pattern names
Value: TypeAlias = bool | int | str
Var: TypeAlias = tuple[str, str | None]  # (trait or field, value of a set trait or None)


@dataclass(frozen=True, slots=True)
class _Finite:
    """The values still possible, in the order of the trait's values."""

    values: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class _Grid:
    """Numbers, in millionths: every whole number from lo to hi except the holes."""

    lo: int
    hi: int
    holes: frozenset[int] = frozenset()


Domain: TypeAlias = _Finite | _Grid


def _millionths(value: cond.Scalar) -> int:
    assert isinstance(value, int | float)
    assert not isinstance(value, bool)
    return to_millionths(value)


def _restrict(domain: Domain, op: cond.Op, value: cond.Scalar) -> Domain:
    """The values of `domain` for which `trait op value` holds (the evaluator's semantics)."""
    if isinstance(domain, _Finite):
        return _Finite(
            tuple(
                v for v in domain.values if cond.evaluate(cond.Comparison("v", op, value), {"v": v})
            )
        )
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _Grid(0, -1)  # a number never equals a non-number (the loader refuses these)
    c = _millionths(value)
    lo, hi, holes = domain.lo, domain.hi, domain.holes
    match op:
        case "==":
            lo, hi = max(lo, c), min(hi, c)
        case "!=":
            holes = holes | {c}
        case ">=":
            lo = max(lo, c)
        case ">":
            lo = max(lo, c + 1)
        case "<=":
            hi = min(hi, c)
        case "<":
            hi = min(hi, c - 1)
    return _Grid(lo, hi, frozenset(h for h in holes if lo <= h <= hi))


def _meet(a: Domain, b: Domain) -> Domain:
    if isinstance(a, _Finite) and isinstance(b, _Finite):
        return _Finite(tuple(v for v in a.values if _has(b, v)))
    assert isinstance(a, _Grid)
    assert isinstance(b, _Grid)
    lo, hi = max(a.lo, b.lo), min(a.hi, b.hi)
    return _Grid(lo, hi, frozenset(h for h in a.holes | b.holes if lo <= h <= hi))


def _has(domain: Domain, value: Value) -> bool:
    if isinstance(domain, _Finite):
        return any(type(v) is type(value) and v == value for v in domain.values)
    return isinstance(value, int) and domain.lo <= value <= domain.hi and value not in domain.holes


def _ends(grid: _Grid) -> tuple[int, int] | None:
    """The smallest and largest number left, or None when none is (holes are few)."""
    low = grid.lo
    while low <= grid.hi and low in grid.holes:
        low += 1
    if low > grid.hi:
        return None
    high = grid.hi
    while high in grid.holes:
        high -= 1
    return low, high


def _empty(domain: Domain) -> bool:
    return not domain.values if isinstance(domain, _Finite) else _ends(domain) is None


def _within(a: Domain, b: Domain) -> bool:
    """Every value of `a` is a value of `b`."""
    if isinstance(a, _Finite):
        return all(_has(b, v) for v in a.values)
    assert isinstance(b, _Grid)
    ends = _ends(a)
    if ends is None:
        return True
    return b.lo <= ends[0] and ends[1] <= b.hi and not any(_has(a, h) for h in b.holes)


def _pick(domain: Domain) -> Value:
    """A value of a non-empty domain to show: the first, or a round number if there is one."""
    if isinstance(domain, _Finite):
        return domain.values[0]
    if domain.lo > -_FAR:
        start, step = -(-domain.lo // _GRID) * _GRID, _GRID
    elif domain.hi < _FAR:
        start, step = (domain.hi // _GRID) * _GRID, -_GRID
    else:
        start, step = 0, _GRID
    for tries in range(len(domain.holes) + 2):
        candidate = start + tries * step
        if _has(domain, candidate):
            return candidate
    ends = _ends(domain)
    assert ends is not None
    return ends[0]


def _full_trait(trait: Trait) -> Domain:
    match trait.type:
        case "scale":
            return _Finite(tuple(range(SCALE_MIN, SCALE_MAX + 1)))
        case "bool" | "set":
            return _Finite((True, False))
        case "category":
            return _Finite(tuple(trait.values or ()))
    low = (
        -_FAR
        if trait.min is None
        else int((Decimal(str(trait.min)) * _GRID).to_integral_value(ROUND_CEILING))
    )
    high = (
        _FAR
        if trait.max is None
        else int((Decimal(str(trait.max)) * _GRID).to_integral_value(ROUND_FLOOR))
    )
    return _Grid(max(low, -_FAR), min(high, _FAR))


# --- conjunctions as regions -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Region:
    """One conjunction of leaves as the values it leaves to each variable it reads."""

    leaves: tuple[Leaf, ...]
    domains: Mapping[Var, Domain]
    empty: Var | None  # a variable left without any value: the conjunction can never hold

    @property
    def traits(self) -> frozenset[str]:
        return frozenset(var[0] for var in self.domains)


def _var(leaf: Leaf) -> Var:
    return (leaf.trait, leaf.value) if isinstance(leaf, cond.Member) else (leaf.trait, None)


def _region(leaves: tuple[Leaf, ...], full: Callable[[Var], Domain]) -> _Region:
    domains: dict[Var, Domain] = {}
    empty: Var | None = None
    for leaf in leaves:
        if isinstance(leaf, cond.Comparison) and isinstance(leaf.value, cond.Ref | cond.Param):
            continue  # a join with another fact: left out (only ever more satisfiable)
        var = _var(leaf)
        domain = domains[var] if var in domains else full(var)
        if isinstance(leaf, cond.Member):
            domain = _restrict(domain, "==", leaf.present)
        else:
            assert not isinstance(leaf.value, cond.Ref | cond.Param)
            domain = _restrict(domain, leaf.op, leaf.value)
        domains[var] = domain
        if empty is None and _empty(domain):
            empty = var
    return _Region(leaves, domains, empty)


def _implies(a: _Region, b: _Region, full: Callable[[Var], Domain]) -> bool:
    if a.empty is not None:
        return True
    if b.empty is not None or not b.traits <= a.traits:
        return False
    return all(
        _within(a.domains[var] if var in a.domains else full(var), domain)
        for var, domain in b.domains.items()
    )


def _both(a: _Region, b: _Region) -> _Region:
    domains = dict(a.domains)
    empty = a.empty or b.empty
    for var, domain in b.domains.items():
        met = _meet(domains[var], domain) if var in domains else domain
        domains[var] = met
        if empty is None and _empty(met):
            empty = var
    return _Region(a.leaves + b.leaves, domains, empty)


def _minus(domain: Domain, other: Domain) -> list[Domain]:
    """The values of `domain` that are not values of `other`, as non-empty pieces."""
    if isinstance(domain, _Finite):
        rest = _Finite(tuple(v for v in domain.values if not _has(other, v)))
        return [rest] if rest.values else []
    assert isinstance(other, _Grid)
    pieces = [
        _meet(domain, _Grid(domain.lo, other.lo - 1)),
        _meet(domain, _Grid(other.hi + 1, domain.hi)),
    ]
    pieces += [_Grid(h, h) for h in sorted(other.holes) if _has(domain, h)]
    return [piece for piece in pieces if not _empty(piece)]


def _narrowed(region: _Region, var: Var, domain: Domain) -> _Region:
    return _Region(
        region.leaves,
        {**region.domains, var: domain},
        region.empty or (var if _empty(domain) else None),
    )


#: Region splits one implication check may make before it gives up (and claims nothing).
_SPLIT_BUDGET = 2000


def _covered(
    region: _Region, others: Sequence[_Region], full: Callable[[Var], Domain], budget: list[int]
) -> bool:
    """Every unit in `region` is in one of `others` (exact, by splitting `region`).

    Gives False when the budget of splits runs out: no implication is claimed then.
    """
    if region.empty is not None:
        return True
    budget[0] -= 1
    if budget[0] < 0:
        return False
    meeting = [o for o in others if o.empty is None and _both(region, o).empty is None]
    if any(_implies(region, o, full) for o in meeting):
        return True
    for other in meeting:
        extra = sorted(other.traits - region.traits)
        if extra:  # units that did not observe it are covered only by regions not reading it
            trait = extra[0]
            if not _covered(region, [o for o in meeting if trait not in o.traits], full, budget):
                return False
            var = next(v for v in other.domains if v[0] == trait)
            return _covered(_narrowed(region, var, full(var)), meeting, full, budget)
    if not meeting:
        return False
    for var, domain in meeting[0].domains.items():
        mine = region.domains[var] if var in region.domains else full(var)
        if not _within(mine, domain):
            pieces = [_meet(mine, domain), *_minus(mine, domain)]
            return all(
                _covered(_narrowed(region, var, piece), meeting, full, budget) for piece in pieces
            )
    return True  # pragma: no cover - within on every variable is implication, found above


# --- where things are written ----------------------------------------------------------------

_WHERE = re.compile(r"\s(?:where|WHERE)\s+")


class _Places:
    """Where items are written, as the knowledge base keeps it: lint reads no file."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def has(self, section: str, key: str) -> bool:
        return self.kb.located(section, key) is not None

    def of(self, section: str, key: str, *sub: str | int) -> tuple[Location, str]:
        """Where an item (or a field of it) is written, and the pack it belongs to."""
        found = self.kb.located(section, key)
        if found is None:
            return Location(display_path(self.kb.root)), self.kb.info.id
        return found.at(*sub), found.pack

    def rule(self, rule: Rule | ConflictRule) -> Location:
        """Where a (conflict) rule's id is written: its origin, as the user opens it."""
        return self.kb.where(rule.pack, rule.origin)

    def in_text(self, section: str, key: str, sub: PathKey, offset: int, column: int) -> Location:
        """The place of a 1-based `column` of a condition starting at `offset` of a value."""
        found = self.kb.located(section, key)
        if found is None:
            return self.of(section, key)[0]
        return found.in_text(sub, offset, column)


# --- the linter ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Scored:
    """A scoring rule as lint sees it."""

    rule: Rule
    index: int
    regions: list[_Region]
    complex: bool  # beyond the engine's alternatives: not analysed further
    columns: dict[Leaf, int]

    @property
    def live(self) -> list[_Region]:
        return [r for r in self.regions if r.empty is None]

    @property
    def can_fire(self) -> bool:
        return self.complex or bool(self.live)

    @property
    def tops(self) -> frozenset[str]:
        weights = self.rule.spec.weights
        most = max(weights.values())
        return frozenset(a for a, w in weights.items() if w == most)


class _Linter:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.places = _Places(kb)
        self.findings: list[Finding] = []
        layers = {pack: i for i, pack in enumerate(kb.layers)}
        ordered = sorted(
            kb.rules,
            key=lambda r: (
                layers.get(r.pack, len(layers)),
                r.origin.file,
                r.origin.line or 0,
                r.origin.column or 0,
                r.id,
            ),
        )
        self._compiled = {compiled.id: compiled for compiled in kb.compiled.rules}
        self.rules = [self._scored(rule, i) for i, rule in enumerate(ordered)]

    def add(
        self, code: str, severity: Severity, where: tuple[Location, str], message: str, hint: str
    ) -> None:
        self.findings.append(Finding(code, severity, where[0], message, hint, where[1]))

    def run(self) -> list[Finding]:
        self._conditions()
        self._pairs()
        self._archetypes()
        self._conflict_patterns()
        self._engine()
        self._unused_traits()
        self._trait_kinds()
        self._sources()
        self._graph()
        self._translations()
        self._forms()
        self._kinds()
        return self.findings

    # -- scoring rules, one by one ----------------------------------------------------------

    def _full(self, var: Var) -> Domain:
        return _full_trait(self.kb.traits[var[0]])

    def _scored(self, rule: Rule, index: int) -> _Scored:
        compiled = self._compiled[rule.id]
        alternatives = [tuple(test.leaf for test in c) for c in compiled.alternatives]
        columns = _columns(compiled.alternatives)
        if len(alternatives) > MAX_ALTERNATIVES:
            return _Scored(rule, index, [], True, columns)
        return _Scored(rule, index, [_region(a, self._full) for a in alternatives], False, columns)

    def _rule_where(self, scored: _Scored) -> tuple[Location, str]:
        rule = scored.rule
        return self.places.rule(rule), rule.pack or self.kb.info.id

    def _conditions(self) -> None:
        for scored in self.rules:
            rule = scored.rule
            if scored.complex:
                self.add(
                    "engine-limit",
                    "error",
                    self._rule_where(scored),
                    Message(
                        "the condition of rule '{rule}' expands to more than {limit} "
                        "alternatives; the engine takes at most {limit}",
                        rule=rule.id,
                        limit=MAX_ALTERNATIVES,
                    ),
                    Message("split it into several rules"),
                )
                continue
            dead = [r for r in scored.regions if r.empty is not None]
            if not dead:
                continue
            first = dead[0]
            where = self._leaf_where(scored, first)
            if len(dead) == len(scored.regions):
                reason = self._why(first, self.kb.traits)
                if len(dead) > 1:
                    reason = Message(
                        "none of its {count} alternatives can hold (e.g. {reason})",
                        count=len(dead),
                        reason=reason,
                    )
                self.add(
                    "unsatisfiable-condition",
                    "error",
                    where,
                    Message("rule '{rule}' can never fire: {reason}", rule=rule.id, reason=reason),
                    Message(
                        "a comparison on a trait the unit did not observe is false, so no unit "
                        "matches; fix the bounds or the values compared"
                    ),
                )
                continue
            for region in dead:
                self.add(
                    "unsatisfiable-branch",
                    "warning",
                    self._leaf_where(scored, region),
                    Message(
                        "rule '{rule}': the alternative `{alternative}` can never hold: {reason}",
                        rule=rule.id,
                        alternative=_render(region.leaves),
                        reason=self._why(region, self.kb.traits),
                    ),
                    Message(
                        "remove the alternative or fix its bounds; the rest of the rule still fires"
                    ),
                )

    def _leaf_where(self, scored: _Scored, region: _Region) -> tuple[Location, str]:
        leaf = next(x for x in region.leaves if _var(x) == region.empty)
        column = scored.columns.get(dataclasses.replace(leaf, column=0), 0)
        rule = scored.rule
        if not self.places.has("rules", rule.id):
            return self._rule_where(scored)
        pack = rule.pack or self.kb.info.id
        return self.places.in_text("rules", rule.id, ("when",), 0, column), pack

    @staticmethod
    def _why(
        region: _Region, traits: Mapping[str, Trait], describe: Callable[[str], str] | None = None
    ) -> str:
        var = region.empty
        assert var is not None
        leaves = [x for x in region.leaves if _var(x) == var]
        name = var[0]
        if describe is not None:
            kind = describe(name)
        elif name in traits:
            kind = _kind(traits[name])
        else:
            kind = Message("a field")
        return Message(
            "no value of '{name}' ({kind}) satisfies `{condition}`",
            name=name,
            kind=kind,
            condition=_render(tuple(leaves)),
        )

    # -- scoring rules, in pairs ------------------------------------------------------------

    def _pairs(self) -> None:
        by_trait: dict[str, set[int]] = {}
        for scored in self.rules:
            if scored.complex or not scored.live:
                continue
            for region in scored.live:
                for trait in region.traits:
                    by_trait.setdefault(trait, set()).add(scored.index)
        pairs = sorted(
            {(i, j) for indices in by_trait.values() for i in indices for j in indices if i < j}
        )
        for i, j in pairs:
            self._pair(self.rules[i], self.rules[j])

    def _rule_implies(self, a: _Scored, b: _Scored) -> bool:
        budget = [_SPLIT_BUDGET]
        return all(_covered(x, b.live, self._full, budget) for x in a.live)

    def _pair(self, first: _Scored, second: _Scored) -> None:
        forward = self._rule_implies(first, second)
        backward = self._rule_implies(second, first)
        same = first.rule.spec.weights == second.rule.spec.weights
        weights = _weights(first.rule.spec.weights)
        if same and forward and backward:
            self.add(
                "duplicate-rule",
                "error",
                self._rule_where(second),
                Message(
                    "rule '{rule}' duplicates rule '{other}' ({where}): their conditions hold for "
                    "exactly the same units and both give {weights}",
                    rule=second.rule.id,
                    other=first.rule.id,
                    where=str(self.places.rule(first.rule)),
                    weights=weights,
                ),
                Message(
                    "the same evidence is counted twice (and as two fired rules towards "
                    "min_evidence); delete one, or merge their sources into the other"
                ),
            )
            return
        if same and (forward or backward):
            narrow, wide = (first, second) if forward else (second, first)
            self.add(
                "subsumed-rule",
                "warning",
                self._rule_where(narrow),
                Message(
                    "rule '{rule}' is subsumed by rule '{wide}' ({where}): whenever it fires, "
                    "'{wide}' fires too, with the same weights {weights}",
                    rule=narrow.rule.id,
                    wide=wide.rule.id,
                    where=str(self.places.rule(wide.rule)),
                    weights=weights,
                ),
                Message(
                    "weights add up, so its units get the weights twice (and two fired rules "
                    "towards min_evidence); delete it, or give it its own weights if it is meant "
                    "as extra evidence on top of the other"
                ),
            )
            return
        if not first.tops & second.tops:
            self._overlap(first, second, forward, backward)
            return
        if forward and backward:
            self.add(
                "equivalent-conditions",
                "warning",
                self._rule_where(second),
                Message(
                    "rules '{rule}' and '{other}' ({where}) fire for exactly the same units, with "
                    "weights {weights} and {other_weights}",
                    rule=second.rule.id,
                    other=first.rule.id,
                    where=str(self.places.rule(first.rule)),
                    weights=_weights(second.rule.spec.weights),
                    other_weights=weights,
                ),
                Message(
                    "one observation counted as two rules (also towards min_evidence); merge them "
                    "into one rule with the combined weights, unless separate sources justify them"
                ),
            )

    def _overlap(self, first: _Scored, second: _Scored, forward: bool, backward: bool) -> None:
        example = None
        for x in first.live:
            for y in second.live:
                both = _both(x, y)
                if both.empty is not None:
                    continue
                # when one rule implies the other, any shared region is an example of it
                if (
                    forward
                    or backward
                    or set(x.domains) == set(y.domains)
                    or _implies(x, y, self._full)
                    or _implies(y, x, self._full)
                ):
                    example = both
                    break
            if example is not None:
                break
        if example is None:
            return
        values = _example(example, self.kb.traits)
        towards = {s.rule.id: ", ".join(sorted(s.tops)) for s in (first, second)}
        at, other = (first, second) if forward and not backward else (second, first)
        said = {
            "rule": at.rule.id,
            "towards": towards[at.rule.id],
            "other": other.rule.id,
            "where": str(self.places.rule(other.rule)),
            "other_towards": towards[other.rule.id],
            "values": values,
        }
        if forward != backward:
            message = Message(
                "whenever rule '{rule}' (towards {towards}) fires, rule '{other}' ({where}, "
                "towards {other_towards}) fires too, e.g. for {values}: one trait pattern "
                "pushes towards different modes",
                **said,
            )
        elif forward:
            message = Message(
                "rules '{rule}' (towards {towards}) and '{other}' ({where}, towards "
                "{other_towards}) fire for exactly the same units, e.g. for {values}: one trait "
                "pattern pushes towards different modes",
                **said,
            )
        else:
            message = Message(
                "rules '{rule}' (towards {towards}) and '{other}' ({where}, towards "
                "{other_towards}) both fire, e.g. for {values}: one trait pattern pushes towards "
                "different modes",
                **said,
            )
        self.add(
            "contradictory-overlap",
            "warning",
            self._rule_where(at),
            message,
            Message(
                "make the conditions exclusive (e.g. split the shared range), or, if one rule "
                "deliberately corrects the other, say so in its rationale"
            ),
        )

    # -- archetypes -------------------------------------------------------------------------

    def _archetypes(self) -> None:
        order = list(self.kb.archetypes)
        for position, archetype in enumerate(order):
            where = self.places.of("archetypes", archetype, "id")
            giving = [s for s in self.rules if archetype in s.rule.spec.weights]
            firing = [s for s in giving if s.can_fire]
            if not firing:
                self.add(
                    "unreachable-archetype",
                    "error",
                    where,
                    Message(
                        "archetype '{archetype}' gets weight from no rule that can fire (only "
                        "rules that can never fire weigh it: {rules}), so no unit can ever be in "
                        "this mode",
                        archetype=archetype,
                        rules=", ".join(s.rule.id for s in giving),
                    )
                    if giving
                    else Message(
                        "archetype '{archetype}' gets weight from no rule that can fire, so no "
                        "unit can ever be in this mode",
                        archetype=archetype,
                    ),
                    Message(
                        "write scoring rules that weigh it (`weights: {{{archetype}: 2}}`), or "
                        "remove the archetype and its links",
                        archetype=archetype,
                    ),
                )
                continue
            for rival in order:
                if rival == archetype:
                    continue
                earlier = order.index(rival) < position
                if all(
                    s.rule.spec.weights.get(rival, 0.0) > s.rule.spec.weights[archetype]
                    or (
                        earlier
                        and s.rule.spec.weights.get(rival, 0.0) >= s.rule.spec.weights[archetype]
                    )
                    for s in firing
                ):
                    said = {
                        "archetype": archetype,
                        "rules": ", ".join(s.rule.id for s in firing),
                        "rival": rival,
                    }
                    self.add(
                        "dominated-archetype",
                        "warning",
                        where,
                        Message(
                            "archetype '{archetype}' can never be a unit's dominant mode: every "
                            "rule that weighs it ({rules}) gives at least as much (and it is "
                            "listed first, winning ties) to '{rival}'",
                            **said,
                        )
                        if earlier
                        else Message(
                            "archetype '{archetype}' can never be a unit's dominant mode: every "
                            "rule that weighs it ({rules}) gives more to '{rival}'",
                            **said,
                        ),
                        Message(
                            "write rules that are evidence for '{archetype}' more than for "
                            "'{rival}'",
                            archetype=archetype,
                            rival=rival,
                        ),
                    )
                    break

    # -- conflict rules ---------------------------------------------------------------------

    def _conflict_patterns(self) -> None:
        for rule, compiled in zip(self.kb.conflicts, self.kb.compiled.conflicts, strict=True):
            pack = rule.pack or self.kb.info.id
            count = compiled.combinations
            for pattern, compiled_pattern in zip(rule.patterns, compiled.patterns, strict=True):
                if pattern.condition is None:
                    continue
                alternatives = [tuple(t.leaf for t in c) for c in compiled_pattern.alternatives]
                if len(alternatives) > MAX_ALTERNATIVES:
                    continue
                full = self._field_domains(pattern.kind, alternatives)
                regions = [_region(a, full) for a in alternatives]
                if any(r.empty is None for r in regions):
                    continue
                fields = FACT_KINDS[pattern.kind]

                def describe(name: str, fields: Mapping[str, Any] = fields) -> str:
                    if name in fields:
                        described: str = fields[name].description
                        return described
                    return _kind(self.kb.traits[name])

                reason = self._why(regions[0], self.kb.traits, describe)
                if len(regions) > 1:
                    reason = Message(
                        "none of its {count} alternatives can hold (e.g. {reason})",
                        count=len(regions),
                        reason=reason,
                    )
                self.add(
                    "unsatisfiable-condition",
                    "error",
                    (
                        self._pattern_where(
                            rule, pattern.alias, regions[0], _columns(compiled_pattern.alternatives)
                        ),
                        pack,
                    ),
                    Message(
                        "conflict rule '{rule}' can never match: the pattern of '{alias}' fits "
                        "no {kind} fact: {reason}",
                        rule=rule.id,
                        alias=pattern.alias,
                        kind=pattern.kind,
                        reason=reason,
                    ),
                    Message(
                        "a field the fact lacks matches nothing, so the rule can never report "
                        "a conflict; fix the bounds or the values compared"
                    ),
                )
            if count > MAX_ALTERNATIVES:
                self.add(
                    "engine-limit",
                    "error",
                    (self.places.rule(rule), pack),
                    Message(
                        "the patterns of conflict rule '{rule}' expand to {count} alternatives; "
                        "the engine takes at most {limit}",
                        rule=rule.id,
                        count=count,
                        limit=MAX_ALTERNATIVES,
                    ),
                    Message("split it into several rules"),
                )

    def _pattern_where(
        self, rule: ConflictRule, alias: str, region: _Region, columns: Mapping[Leaf, int]
    ) -> Location:
        if not self.places.has("conflicts", rule.id):
            return self.places.rule(rule)
        found = _WHERE.search(rule.spec.match[alias])
        if found is None:
            return self.places.of("conflicts", rule.id, "match", alias)[0]
        leaf = next(x for x in region.leaves if _var(x) == region.empty)
        column = columns.get(dataclasses.replace(leaf, column=0), 0)
        return self.places.in_text("conflicts", rule.id, ("match", alias), found.end(), column)

    def _field_domains(
        self, kind: str, alternatives: Sequence[tuple[Leaf, ...]]
    ) -> Callable[[Var], Domain]:
        fields = FACT_KINDS[kind]
        named: dict[str, list[str]] = {}
        for leaf in (leaf for conjunction in alternatives for leaf in conjunction):
            if isinstance(leaf, cond.Comparison) and isinstance(leaf.value, str):
                named.setdefault(leaf.trait, []).append(leaf.value)

        def full(var: Var) -> Domain:
            name = var[0]
            if kind == "unit" and name not in UNIT_FIELDS:
                return _full_trait(self.kb.traits[name])
            field = fields[name]
            match field.type:
                case "number":
                    return _Grid(-_FAR, _FAR)
                case "bool":
                    return _Finite((True, False))
                case "choice":
                    return _Finite(field.values)
                case "archetype":
                    return _Finite(tuple(self.kb.archetypes))
                case "model":
                    return _Finite(tuple(self.kb.models))
            return _Finite((*dict.fromkeys(named.get(name, ())), _OTHER))

        return full

    # -- engine limits ----------------------------------------------------------------------

    def _engine(self) -> None:
        if any(f.code == "engine-limit" for f in self.findings):
            return  # the compilers would stop at the same place
        for compile_ in (compile_pack, compile_conflicts):
            try:
                compile_(self.kb)
            except ModeAdvisorError as error:
                for problem in error.problems:
                    location = problem.location
                    if location.line is None:
                        location = Location(display_path(self.kb.root))
                    self.add(
                        "engine-limit",
                        "error",
                        (location, self.kb.info.id),
                        problem.message,
                        problem.hint or Message("simplify the pack"),
                    )

    # -- traits -----------------------------------------------------------------------------

    def _unused_traits(self) -> None:
        read: set[str] = set()
        for rule in self.kb.rules:
            read.update(cond.traits_of(rule.condition))
        for conflict in self.kb.conflicts:
            units = {p.alias for p in conflict.patterns if p.kind == "unit"}
            for pattern in conflict.patterns:
                for leaf in cond.comparisons(pattern.condition) if pattern.condition else ():
                    if pattern.kind == "unit" and leaf.trait not in UNIT_FIELDS:
                        read.add(leaf.trait)
                    if (
                        isinstance(leaf, cond.Comparison)
                        and isinstance(leaf.value, cond.Ref)
                        and leaf.value.alias in units
                    ):
                        read.add(leaf.value.field)
            spec = conflict.spec
            for text in (spec.explanation, spec.resolution, spec.detail):
                for value in (text.en, text.fi) if text is not None else ():
                    for alias, name, _ in _PLACEHOLDER.findall(value or ""):
                        if alias in units:
                            read.add(name)
        for trait in self.kb.traits:
            if trait not in read:
                self.add(
                    "unused-trait",
                    "warning",
                    self.places.of("traits", trait, "id"),
                    Message(
                        "trait '{trait}' is read by no scoring or conflict rule: observing it "
                        "changes no advice",
                        trait=trait,
                    ),
                    Message(
                        "write a rule that reads it, or remove it from the catalogue (observed, "
                        "it still counts towards a unit's coverage)"
                    ),
                )

    def _trait_kinds(self) -> None:
        for trait in self.kb.traits.values():
            if trait.kind is None:
                self.add(
                    "trait-without-kind",
                    "warning",
                    self.places.of("traits", trait.id, "id"),
                    Message(
                        "trait '{trait}' has no `kind`: what-if treats it as a circumstance "
                        "and never proposes changing it",
                        trait=trait.id,
                    ),
                    Message(
                        "add `kind: lever` (a practice the organisation can change), `kind: "
                        "circumstance` (sector, law, market, customers, the nature of the work) "
                        "or `kind: signal` (what shows how things are going)"
                    ),
                )

    # -- sources and rationales -------------------------------------------------------------

    def _sources(self) -> None:
        cite = Message(
            "add `source: [S-..]` with the points of the source document it rests on, so "
            "readers can trace the advice"
        )
        for scored in self.rules:
            spec = scored.rule.spec
            if not spec.source:
                self.add(
                    "missing-source",
                    "warning",
                    self._rule_where(scored),
                    Message("rule '{rule}' cites no source", rule=spec.id),
                    cite,
                )
            if not spec.rationale.en.strip() or (
                spec.rationale.fi is not None and not spec.rationale.fi.strip()
            ):
                self.add(
                    "missing-rationale",
                    "warning",
                    self.places.of("rules", spec.id, "rationale"),
                    Message("rule '{rule}' has a blank rationale", rule=spec.id),
                    Message(
                        "say in a sentence why the condition is evidence for its archetypes; "
                        "the advice shows it to readers"
                    ),
                )
        for conflict in self.kb.conflicts:
            if not conflict.spec.source:
                self.add(
                    "missing-source",
                    "warning",
                    (self.places.rule(conflict), conflict.pack or self.kb.info.id),
                    Message("conflict rule '{rule}' cites no source", rule=conflict.id),
                    cite,
                )
        for link in self.kb.links:
            if not link.source:
                key = f"{link.source_node} -> {link.target}"
                self.add(
                    "missing-source",
                    "warning",
                    self.places.of("links", key),
                    Message(
                        "link {link} ({relation}) cites no source", link=key, relation=link.relation
                    ),
                    cite,
                )

    # -- the graph --------------------------------------------------------------------------

    def _graph(self) -> None:
        linked = {link.target for link in self.kb.links if link.relation != "evolves_to"}
        for model in self.kb.models:
            if model not in linked:
                self.add(
                    "unreachable-model",
                    "warning",
                    self.places.of("models", model, "id"),
                    Message(
                        "model '{model}' is linked from no archetype (no suits or poor_fit "
                        "link), so it is never recommended nor advised against",
                        model=model,
                    ),
                    Message(
                        "link an archetype to it (`{{from: ARCHETYPE, to: {model}, relation: "
                        "suits, ...}}`), or remove it",
                        model=model,
                    ),
                )
        kinds = [k for k in MODEL_KINDS if any(m.kind == k for m in self.kb.models.values())]
        for archetype in self.kb.archetypes:
            suited = {
                self.kb.models[link.target].kind
                for link in self.kb.links
                if link.source_node == archetype
                and link.relation == "suits"
                and link.target in self.kb.models
            }
            for kind in kinds:
                if kind not in suited:
                    self.add(
                        "missing-suits-link",
                        "warning",
                        self.places.of("archetypes", archetype, "id"),
                        *_no_suits(kind, archetype),
                    )

    # -- translations -----------------------------------------------------------------------

    def _translations(self) -> None:
        kb = self.kb
        items: list[tuple[str, str, str, Mapping[str, Text | None]]] = [
            ("pack", "", Message("pack"), {"name": kb.info.name})
        ]
        items += [
            ("sources", k, Message("source '{id}'", id=k), {"text": s.text})
            for k, s in kb.sources.items()
        ]
        items += [
            (
                "archetypes",
                k,
                Message("archetype '{id}'", id=k),
                {"name": a.name, "tagline": a.tagline},
            )
            for k, a in kb.archetypes.items()
        ]
        items += [
            (
                "traits",
                k,
                Message("trait '{id}'", id=k),
                {"label": t.label, "description": t.description},
            )
            for k, t in kb.traits.items()
        ]
        items += [
            (
                "rules",
                s.rule.id,
                Message("rule '{id}'", id=s.rule.id),
                {"rationale": s.rule.spec.rationale},
            )
            for s in self.rules
        ]
        items += [
            (
                "models",
                k,
                Message("model '{id}'", id=k),
                {"name": m.name, "description": m.description},
            )
            for k, m in kb.models.items()
        ]
        items += [
            (
                "links",
                f"{k.source_node} -> {k.target}",
                Message("link {link}", link=f"{k.source_node} -> {k.target}"),
                {"reason": k.reason},
            )
            for k in kb.links
        ]
        items += [
            (
                "conflicts",
                c.id,
                Message("conflict rule '{id}'", id=c.id),
                {
                    "explanation": c.spec.explanation,
                    "resolution": c.spec.resolution,
                    "detail": c.spec.detail,
                },
            )
            for c in kb.conflicts
        ]
        for section, key, what, texts in items:
            missing = [name for name, text in texts.items() if text is not None and text.fi is None]
            if missing:
                where = (
                    self.places.of(section, key, "name")
                    if section == "pack"
                    else self.places.of(section, key, missing[0])
                )
                self.add(
                    "missing-translation",
                    "info",
                    where,
                    Message(
                        "{what}: no Finnish (fi) text for {fields}",
                        what=what,
                        fields=", ".join(missing),
                    ),
                    Message(
                        "add `fi:` beside `en:` (or a `translations: {{fi: ...}}` section); "
                        "until then Finnish output shows the English text"
                    ),
                )

    def _forms(self) -> None:
        """Every form a text quotes, given by every name it can quote; no ending glued on."""
        names: dict[str, Mapping[str, Archetype | Model]] = {
            "archetype": self.kb.archetypes,
            "model": self.kb.models,
        }
        #: (type of name, language, form) -> the rules whose texts quote it
        needed: dict[tuple[str, Lang, str], list[str]] = {}
        for conflict in self.kb.conflicts:
            kinds = {p.alias: p.kind for p in conflict.patterns}
            for where, lang, text in _texts(conflict):
                for match in _PLACEHOLDER.finditer(text):
                    alias, field, form = match.groups()
                    glued = _GLUED.match(text, match.end()) if lang == "fi" else None
                    if glued is not None:
                        self.add(
                            "case-ending-on-name",
                            "info",
                            self.places.of("conflicts", conflict.id, *where),
                            Message(
                                "conflict rule '{rule}': '{name}' has an ending glued on "
                                "('{ending}')",
                                rule=conflict.id,
                                name=match[0],
                                ending=glued[0],
                            ),
                            Message(
                                "quote the name in the form the sentence needs (`|genitive`), "
                                "or phrase it so the name stands in the nominative"
                            ),
                        )
                    spec = FACT_KINDS.get(kinds.get(alias, ""), {}).get(field)
                    if form is not None and spec is not None and spec.type in names:
                        rules = needed.setdefault((spec.type, lang, form), [])
                        rules += [] if conflict.id in rules else [conflict.id]
        for kind, items in names.items():
            section = "archetypes" if kind == "archetype" else "models"
            for key, item in items.items():
                for lang in ("en", "fi"):
                    wanted = {
                        form: rules
                        for (of, said, form), rules in sorted(needed.items())
                        if of == kind and said == lang and form not in item.forms.get(lang, {})
                    }
                    if not wanted:
                        continue
                    rules = list(dict.fromkeys(r for found in wanted.values() for r in found))
                    forms = list(wanted)
                    said = {"key": key, "lang": lang, "forms": _or(forms), "rules": _listed(rules)}
                    self.add(
                        "missing-form",
                        "error",
                        self.places.of(section, key, "name"),
                        Message(
                            "archetype '{key}' has no {lang} {forms} form, which the texts of "
                            "{rules} quote: its name would stand in the nominative",
                            **said,
                        )
                        if kind == "archetype"
                        else Message(
                            "model '{key}' has no {lang} {forms} form, which the texts of "
                            "{rules} quote: its name would stand in the nominative",
                            **said,
                        ),
                        Message(
                            "add `forms: {{{lang}: {{{form}: ...}}}}` beside its name",
                            lang=lang,
                            form=forms[0],
                        ),
                    )

    def _kinds(self) -> None:
        """Every kind a conflict rule raises is named under `kinds:`."""
        named, raised = set(self.kb.kinds), {c.spec.kind for c in self.kb.conflicts}
        reported: set[str] = set()
        for conflict in self.kb.conflicts:
            kind = conflict.spec.kind
            if kind in named or kind in reported:
                continue
            reported.add(kind)
            self.add(
                "unnamed-kind",
                "warning",
                self.places.of("conflicts", conflict.id, "kind"),
                Message(
                    "kind '{kind}' of conflict rule '{rule}' has no name: every output titles "
                    "its findings with the id",
                    kind=kind,
                    rule=conflict.id,
                ),
                did_you_mean(kind, named - raised)
                or Message(
                    "name it under `kinds:` (`- id: {kind}` with `name: {{en: ..., fi: ...}}`)",
                    kind=kind,
                ),
            )


def _no_suits(kind: str, archetype: str) -> tuple[Message, Message]:
    """The message and hint of an archetype without a `suits` link to a model of `kind`."""
    if kind == "management":
        return (
            Message(
                "archetype '{archetype}' has no `suits` link to a management model: units in "
                "this mode get no management recommendation",
                archetype=archetype,
            ),
            Message("link it to the management models that fit it, with `relation: suits`"),
        )
    return (
        Message(
            "archetype '{archetype}' has no `suits` link to a measurement model: units in "
            "this mode get no measurement recommendation",
            archetype=archetype,
        ),
        Message("link it to the measurement models that fit it, with `relation: suits`"),
    )


def _or(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return Message("{first} or {last}", first=", ".join(items[:-1]), last=items[-1])


def _listed(rules: list[str]) -> str:
    named = ", ".join(repr(rule) for rule in rules[:3])
    if len(rules) == 1:
        return Message("rule {named}", named=named)
    if len(rules) > 3:
        return Message("rules {named} and {more} more", named=named, more=len(rules) - 3)
    return Message("rules {named}", named=named)


def _texts(conflict: ConflictRule) -> Iterator[tuple[tuple[str, ...], Lang, str]]:
    """A conflict rule's texts: where each is written, its language and its words."""
    spec = conflict.spec
    texts: list[tuple[tuple[str, ...], Text | None]] = [
        (("explanation",), spec.explanation),
        (("resolution",), spec.resolution),
        (("detail",), spec.detail),
    ]
    if spec.withheld is not None:
        texts += [
            (("withheld", "explanation"), spec.withheld.explanation),
            (("withheld", "detail"), spec.withheld.detail),
        ]
    langs: tuple[Lang, ...] = ("en", "fi")
    for where, text in texts:
        for lang in langs:
            said = getattr(text, lang) if text is not None else None
            if said:
                yield (*where, lang), lang, said


#: Letters (or `:` and letters) right after a quoted name: a case ending glued on.
_GLUED = re.compile(r":?[a-zåäö]+")


# --- small helpers ---------------------------------------------------------------------------


def _columns(alternatives: tuple[Conjunction, ...]) -> dict[Leaf, int]:
    """Each compiled test's leaf -> where its field stands in the condition text."""
    return {test.leaf: test.column for conjunction in alternatives for test in conjunction}


def _render(leaves: tuple[Leaf, ...]) -> str:
    return " and ".join(cond.render(leaf) for leaf in leaves)


def _kind(trait: Trait) -> str:
    if trait.type == "number" and (trait.min is not None or trait.max is not None):
        low = "…" if trait.min is None else f"{trait.min:g}"
        high = "…" if trait.max is None else f"{trait.max:g}"
        return Message("a number from {low} to {high}", low=low, high=high)
    return trait.kind_text()


def _weights(weights: Mapping[str, float]) -> str:
    return "{" + ", ".join(f"{a}: {w:g}" for a, w in weights.items()) + "}"


def _example(region: _Region, traits: Mapping[str, Trait]) -> str:
    """Trait values for which every leaf of a satisfiable region holds, as `trait=value`."""
    shown: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for (name, value), domain in region.domains.items():
        pick = _pick(domain)
        if value is not None:
            members.setdefault(name, [])
            shown.setdefault(name, "")
            if pick is True:
                members[name].append(value)
            continue
        trait = traits.get(name)
        if trait is not None and trait.type == "number":
            assert isinstance(pick, int)
            shown[name] = format(Decimal(pick).scaleb(-NUMBER_DECIMALS).normalize(), "f")
        elif isinstance(pick, bool):
            shown[name] = "true" if pick else "false"
        else:
            shown[name] = str(pick)
    for name, values in members.items():
        shown[name] = "[" + ", ".join(values) + "]"
    return ", ".join(f"{name}={text}" for name, text in shown.items())
