"""A pack's scoring rules as DMN 1.3 decision tables: one per archetype, hit policy COLLECT SUM.

Each archetype's decision sums the weights of its rules that hold for a unit, exactly as
modeadvisor's raw score does; inputs are the traits the rules read, typed from the catalogue
(scale and number: number; bool: boolean; category: string; set: a collection of strings). A
trait a unit did not observe is `null`, and the entries keep modeadvisor's meaning that a test
on an unobserved trait is false, negated or not (`x != 3` is `not(null, 3)`).

DMN has no `or` inside a row, and COLLECT SUM adds every row that matches, so a rule of several
alternatives becomes rows that cannot match together: alternative k with every earlier one
negated, each negation split the same way (`not (a and b)` is `not a`, or `a and not b`). Two
tests on one trait in one row use two input columns on that trait. A set's membership is
`list contains(trait, "value")`. Each table ends with a row of `-` worth 0, so a unit no rule
holds for scores 0 rather than null. Each row's description names its rule.

What DMN cannot express here is reported, not dropped silently: a trait whose id is a FEEL
keyword, and a rule whose rows would pass `MAX_ROWS`. Proven by the tests with an independent
engine (pyDMNrules) on generated units: the same raw scores as modeadvisor.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from modeadvisor import conditions as cond
from modeadvisor.knowledge import KnowledgeBase, Rule, Trait

NAMESPACE = "https://www.omg.org/spec/DMN/20191111/MODEL/"
#: Rows one rule may take in a table; beyond, the rule is reported as not expressed.
MAX_ROWS = 256
#: Words FEEL reads as its own: a trait named so cannot be an input name.
FEEL_KEYWORDS = frozenset(
    [
        "and",
        "or",
        "not",
        "in",
        "between",
        "instance",
        "of",
        "true",
        "false",
        "null",
        "if",
        "then",
        "else",
        "for",
        "return",
        "some",
        "every",
        "satisfies",
        "function",
        "external",
        "date",
        "time",
        "duration",
    ]
)

Literal = tuple[cond.Leaf, bool]  # a test, and whether the row needs it to be false
Atom = tuple[str, str]  # (trait, one input entry)


@dataclass
class DmnReport:
    """What was written, and what could not be."""

    tables: int = 0
    rows: int = 0
    not_expressed: list[str] = field(default_factory=list)


def export_dmn(kb: KnowledgeBase, out: Path) -> DmnReport:
    """Write the scoring rules of `kb` as DMN 1.3 XML to `out`; returns what was written."""
    tree, report = dmn_tree(kb)
    ET.indent(tree, space="  ")
    out.write_bytes(ET.tostring(tree, encoding="utf-8", xml_declaration=True) + b"\n")
    return report


def dmn_tree(kb: KnowledgeBase) -> tuple[ET.Element, DmnReport]:
    report = DmnReport()
    ET.register_namespace("", NAMESPACE)
    root = _element(
        "definitions", id="modeadvisor", name="+".join(kb.layers), namespace=f"urn:{kb.info.id}"
    )
    usable = _usable(kb, report)
    read = sorted({t for rule in usable for t in cond.traits_of(rule.condition)})
    for trait in read:
        _item_definition(root, kb.traits[trait])
    for trait in read:
        data = _sub(root, "inputData", id=f"input_{trait}", name=trait)
        _sub(data, "variable", name=trait, typeRef=f"t_{trait}")
    for archetype in kb.archetypes:
        rules = [r for r in usable if r.spec.weights.get(archetype, 0) > 0]
        rows = [(rule, atoms) for rule in rules for atoms in rule_rows(rule)]
        _decision(root, kb, archetype, rows)
        report.tables += 1
        report.rows += len(rows)
    return root, report


def _usable(kb: KnowledgeBase, report: DmnReport) -> list[Rule]:
    usable = []
    for rule in kb.rules:
        keywords = [t for t in cond.traits_of(rule.condition) if t in FEEL_KEYWORDS]
        if keywords:
            report.not_expressed.append(
                f"rule '{rule.id}': trait '{keywords[0]}' is a FEEL keyword, not an input name"
            )
            continue
        if len(rule_rows(rule, MAX_ROWS + 1)) > MAX_ROWS:
            report.not_expressed.append(
                f"rule '{rule.id}': its alternatives take more than {MAX_ROWS} exclusive rows"
            )
            continue
        usable.append(rule)
    return usable


# --- rows: a rule's alternatives made exclusive ----------------------------------------------


def rule_rows(rule: Rule, limit: int | None = None) -> list[list[Atom]]:
    """The rule as rows that never match together, each a list of (trait, entry) atoms.

    With `limit`, stops once it has that many rows (the rule is then too wide to export).
    """
    alternatives = [tuple(dict.fromkeys(a)) for a in cond.disjunctive_form(rule.condition)]
    rows: list[list[Atom]] = []
    for index, alternative in enumerate(alternatives):
        positive = [(leaf, False) for leaf in alternative]
        negations = [_negated(earlier) for earlier in alternatives[:index]]
        for choice in itertools.product(*negations):
            literals = list(dict.fromkeys(positive + [lit for part in choice for lit in part]))
            if _contradicts(literals):
                continue
            for atoms in itertools.product(*(_atoms(leaf, neg) for leaf, neg in literals)):
                rows.append([atom for group in atoms for atom in group])
                if limit is not None and len(rows) >= limit:
                    return rows
    return rows


def _negated(conjunction: Sequence[cond.Leaf]) -> list[list[Literal]]:
    """`not (l1 and l2 and ...)` as exclusive parts: not l1; l1 and not l2; ..."""
    return [
        [(leaf, False) for leaf in conjunction[:index]] + [(conjunction[index], True)]
        for index in range(len(conjunction))
    ]


def _contradicts(literals: Sequence[Literal]) -> bool:
    seen = set(literals)
    return any((leaf, not negated) in seen for leaf, negated in literals)


def _atoms(leaf: cond.Leaf, negated: bool) -> list[list[Atom]]:
    """Exclusive ways a literal holds, each a list of entries on the leaf's trait."""
    trait = leaf.trait
    if isinstance(leaf, cond.Member):
        contains = f'list contains({trait}, "{leaf.value}")'
        holds_if_present = leaf.present != negated
        if not negated:
            return (
                [[(trait, contains)]]
                if leaf.present
                else [[(trait, "not(null)"), (trait, f"not({contains})")]]
            )
        if not holds_if_present:  # null, or observed without the value
            return [[(trait, f"not({contains})")]]
        return [[(trait, "null")], [(trait, contains)]]  # null, or observed with the value
    value = _literal(leaf.value)
    if not negated:
        match leaf.op:
            case "==":
                return [[(trait, value)]]
            case "!=":
                return [[(trait, f"not(null, {value})")]]
        return [[(trait, f"{leaf.op} {value}")]]
    match leaf.op:  # null, or the opposite comparison
        case "==":
            return [[(trait, f"not({value})")]]
        case "!=":
            return [[(trait, f"null, {value}")]]
    opposite = {">=": "<", "<=": ">", ">": "<=", "<": ">="}[leaf.op]
    return [[(trait, f"null, {opposite} {value}")]]


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, int | float):
        return _number(value)
    raise TypeError(f"no FEEL literal for {value!r}")  # pragma: no cover - conditions are checked


def _number(value: float) -> str:
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- XML ---------------------------------------------------------------------------------


def _element(tag: str, **attributes: str) -> ET.Element:
    return ET.Element(f"{{{NAMESPACE}}}{tag}", attributes)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    child = ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attributes)
    if text is not None:
        child.text = text
    return child


_TYPES = {"scale": "number", "number": "number", "bool": "boolean", "category": "string"}


def _item_definition(root: ET.Element, trait: Trait) -> None:
    definition = _sub(root, "itemDefinition", name=f"t_{trait.id}", label=trait.label.en)
    if trait.type == "set":
        definition.set("isCollection", "true")
        _sub(definition, "typeRef", "string")
    else:
        _sub(definition, "typeRef", _TYPES[trait.type])
    allowed = _allowed(trait)
    if allowed is not None:
        _sub(_sub(definition, "allowedValues"), "text", allowed)


def _allowed(trait: Trait) -> str | None:
    if trait.type == "scale":
        return "[1..5]"
    if trait.values:
        return ", ".join(f'"{v}"' for v in trait.values)
    if trait.type == "number" and trait.min is not None and trait.max is not None:
        return f"[{_number(trait.min)}..{_number(trait.max)}]"
    return None


def _decision(
    root: ET.Element, kb: KnowledgeBase, archetype: str, rows: Sequence[tuple[Rule, list[Atom]]]
) -> None:
    name = kb.archetypes[archetype].name.en
    decision = _sub(root, "decision", id=f"decision_{archetype}", name=archetype, label=name)
    _sub(decision, "variable", name=archetype, typeRef="number")
    columns = _columns(rows)
    for trait in dict.fromkeys(trait for trait, _ in columns):
        requirement = _sub(decision, "informationRequirement", id=f"need_{archetype}_{trait}")
        _sub(requirement, "requiredInput", href=f"#input_{trait}")
    table = _sub(
        decision, "decisionTable", id=f"table_{archetype}", hitPolicy="COLLECT", aggregation="SUM"
    )
    for index, (trait, _) in enumerate(columns):
        # a second column on a trait has the same label: it reads the same input
        clause = _sub(table, "input", id=f"in_{archetype}_{index}", label=trait)
        _sub(_sub(clause, "inputExpression", typeRef=f"t_{trait}"), "text", trait)
    _sub(table, "output", id=f"out_{archetype}", name=archetype, typeRef="number")
    for number, (rule, atoms) in enumerate(rows):
        weight = _number(rule.spec.weights[archetype])
        _row(table, f"{archetype}_{number}", columns, atoms, weight, rule.id)
    _row(table, f"{archetype}_none", columns, [], "0", "no rule holds: the sum is 0, not null")


def _columns(rows: Sequence[tuple[Rule, list[Atom]]]) -> list[tuple[str, int]]:
    """(trait, n-th column on it), as many per trait as one row has entries on it."""
    widest: dict[str, int] = {}
    for _, atoms in rows:
        for trait in {t for t, _ in atoms}:
            widest[trait] = max(widest.get(trait, 0), sum(1 for t, _ in atoms if t == trait))
    return [(trait, nth) for trait in sorted(widest) for nth in range(widest[trait])]


def _row(
    table: ET.Element,
    row_id: str,
    columns: Sequence[tuple[str, int]],
    atoms: Sequence[Atom],
    weight: str,
    note: str,
) -> None:
    row = _sub(table, "rule", id=f"row_{row_id}")
    _sub(row, "description", note)  # not an annotation column: pyDMNrules 1.4.5 fails on those
    entries = dict(_placed(atoms))
    for column in columns:
        _sub(_sub(row, "inputEntry"), "text", entries.get(column, "-"))
    _sub(_sub(row, "outputEntry"), "text", weight)


def _placed(atoms: Sequence[Atom]) -> Iterator[tuple[tuple[str, int], str]]:
    seen: dict[str, int] = {}
    for trait, entry in atoms:
        nth = seen.get(trait, 0)
        seen[trait] = nth + 1
        yield (trait, nth), entry
