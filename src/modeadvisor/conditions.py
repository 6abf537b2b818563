"""The condition language of scoring rules: parsing, type checking, evaluation.

A condition is a small boolean expression over trait ids, e.g.
`profitability_before_growth >= 4 and not "loyalty" in customer_metrics`. It is parsed by a lark
grammar into an immutable tree — never `eval` — and checked against the trait catalogue.
Conflict rules use the same language over fact fields, plus two right-hand sides: `a.model` (the
field of the fact bound to another alias: a join) and `$perspective_threshold` (a pack setting).

Semantics: a comparison on a trait the unit did not observe is false, and `not` is pushed down to
the comparisons (De Morgan) before anything runs, so a negated comparison on an unobserved trait
is false too. A rule therefore fires only on what was observed. The engine adapter compiles the
same normalised tree, and `evaluate` here is the reference the engine is tested against.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, TypeAlias

import lark

from modeadvisor._i18n import Message

Op = Literal["==", "!=", ">=", "<=", ">", "<"]
Scalar: TypeAlias = bool | int | float | str
TraitValue: TypeAlias = bool | int | float | str | frozenset[str]

#: The one table of comparison operators: the reference evaluator applies it to two values,
#: the vectorised backend to a column and a literal, and the durable compiler names the same
#: operators for the engine. Which values may be compared at all (an unobserved trait fails
#: every test, negated or not) is decided before it is applied.
COMPARE: Mapping[Op, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}

_NEGATED: dict[Op, Op] = {"==": "!=", "!=": "==", ">=": "<", "<=": ">", ">": "<=", "<": ">="}

_GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr ("or" and_expr)*
?and_expr: not_expr ("and" not_expr)*
?not_expr: "not" not_expr   -> negation
         | atom
?atom: "(" or_expr ")"
     | NAME OP literal                        -> compare
     | NAME OP REF                            -> compare_ref
     | NAME "in" "[" literal ("," literal)* "]" -> one_of
     | literal "in" NAME                      -> contains
     | NAME                                   -> truthy
literal: NUMBER | STRING | TRUE | FALSE | PARAM
REF: /[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*/
PARAM: /-?\$[a-z][a-z0-9_]*/
TRUE.2: "true"
FALSE.2: "false"
OP: "==" | "!=" | ">=" | "<=" | ">" | "<"
NAME: /(?!(and|or|not|in|true|false)\b)[A-Za-z_][A-Za-z0-9_]*/
NUMBER: /-?\d+(\.\d+)?/
STRING: /"[^"\\\n]*"/
%import common.WS
%ignore WS
"""


# --- the tree --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ref:
    """`alias.field` on the right of a comparison: a field of the fact bound to another alias."""

    alias: str
    field: str


@dataclass(frozen=True, slots=True)
class Param:
    """`$name` (or `-$name`) on the right of a comparison: a pack setting, resolved before
    anything runs."""

    name: str
    negative: bool = False


@dataclass(frozen=True, slots=True)
class Comparison:
    """`trait op value`; `column` is where the trait name stands in the condition text."""

    trait: str
    op: Op
    value: Scalar | Ref | Param
    column: int = 0


@dataclass(frozen=True, slots=True)
class Member:
    """`"value" in trait` for a set trait; `present=False` is its negation."""

    trait: str
    value: str
    present: bool = True
    column: int = 0


@dataclass(frozen=True, slots=True)
class Truthy:
    """A bare bool trait before type checking turns it into `trait == true`."""

    trait: str
    column: int = 0


@dataclass(frozen=True, slots=True)
class All:
    terms: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    terms: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    term: Condition


Condition: TypeAlias = Comparison | Member | Truthy | All | AnyOf | Not


class ConditionSyntaxError(ValueError):
    """The text does not parse; `column` is 1-based within the condition text."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message  # a Message: said again in the reader's language
        self.column = column


# --- parsing ---------------------------------------------------------------------------------

_parser = lark.Lark(_GRAMMAR, parser="lalr", propagate_positions=True)


def parse(text: str) -> Condition:
    """Parse a condition; raises ConditionSyntaxError with a column and what was expected."""
    if not text.strip():
        raise ConditionSyntaxError(Message("condition is empty"), 1)
    try:
        tree = _parser.parse(text)
    except lark.exceptions.UnexpectedCharacters as error:
        raise ConditionSyntaxError(
            Message(
                "unexpected character {value!r}{expected}",
                value=text[error.pos_in_stream or 0],
                expected=_expected(error.allowed),
            ),
            error.column,
        ) from None
    except lark.exceptions.UnexpectedEOF as error:
        raise ConditionSyntaxError(
            "condition ends too early" + _expected({t.type for t in error.expected}), len(text) + 1
        ) from None
    except lark.exceptions.UnexpectedToken as error:
        token = error.token
        if token.type == "$END":
            raise ConditionSyntaxError(
                Message("condition ends too early{expected}", expected=_expected(error.expected)),
                len(text) + 1,
            ) from None
        raise ConditionSyntaxError(
            Message(
                "unexpected {str!r}{expected}", str=str(token), expected=_expected(error.expected)
            ),
            token.column or 1,
        ) from None
    try:
        return _Build().transform(tree)
    except lark.exceptions.VisitError as error:  # lark wraps what our callbacks raise
        if isinstance(error.orig_exc, ConditionSyntaxError):
            raise error.orig_exc from None
        raise


_TERMINAL_WORDS = {
    "NAME": "a trait name",
    "NUMBER": "a number",
    "STRING": 'a "quoted value"',
    "TRUE": "true",
    "FALSE": "false",
    "REF": "alias.field",
    "PARAM": "a $setting",
    "OP": "a comparison (== != >= <= > <)",
    "LPAR": "'('",
    "RPAR": "')'",
    "LSQB": "'['",
    "RSQB": "']'",
    "COMMA": "','",
    "AND": "'and'",
    "OR": "'or'",
    "NOT": "'not'",
    "IN": "'in'",
    "$END": "the end",
}


def _expected(names: set[str] | frozenset[str] | None) -> str:
    if not names:
        return ""
    words = sorted({_TERMINAL_WORDS.get(name, name.lower()) for name in names})
    return Message("; expected {names}", names=", ".join(words))


class _Build(lark.Transformer[lark.Token, Condition]):
    def or_expr(self, items: list[Condition]) -> Condition:
        return AnyOf(tuple(items))

    def and_expr(self, items: list[Condition]) -> Condition:
        return All(tuple(items))

    def negation(self, items: list[Condition]) -> Condition:
        return Not(items[0])

    def literal(self, items: list[lark.Token]) -> Scalar | Param:
        token = items[0]
        match token.type:
            case "PARAM":
                text = str(token)
                return Param(text.lstrip("-")[1:], negative=text.startswith("-"))
            case "TRUE":
                return True
            case "FALSE":
                return False
            case "STRING":
                return str(token)[1:-1]
        text = str(token)
        return float(text) if "." in text else int(text)

    def compare(self, items: list[lark.Token | Scalar]) -> Condition:
        name, op, value = items
        assert isinstance(name, lark.Token)
        return Comparison(str(name), str(op), value, name.column or 0)  # type: ignore[arg-type]

    def compare_ref(self, items: list[lark.Token]) -> Condition:
        name, op, ref = items
        alias, field = str(ref).split(".", 1)
        return Comparison(
            str(name),
            str(op),  # type: ignore[arg-type]
            Ref(alias, field),
            name.column or 0,
        )

    def one_of(self, items: list[lark.Token | Scalar]) -> Condition:
        name, *values = items
        assert isinstance(name, lark.Token)
        column = name.column or 0
        return AnyOf(
            tuple(
                Comparison(str(name), "==", v, column)
                for v in values
                if not isinstance(v, lark.Token)
            )
        )

    def contains(self, items: list[lark.Token | Scalar]) -> Condition:
        value, name = items
        assert isinstance(name, lark.Token)
        if not isinstance(value, str):
            raise ConditionSyntaxError(
                Message("a membership test takes a \"quoted value\" before 'in'"), name.column or 1
            )
        return Member(str(name), value, True, name.column or 0)

    def truthy(self, items: list[lark.Token]) -> Condition:
        return Truthy(str(items[0]), items[0].column or 0)


# --- normalisation and evaluation ------------------------------------------------------------


def normalise(condition: Condition) -> Condition:
    """Push every `not` down to comparisons and flatten nested and/or; no Truthy or Not remain."""
    return _push(condition, negate=False)


def _push(condition: Condition, *, negate: bool) -> Condition:
    match condition:
        case Not(term):
            return _push(term, negate=not negate)
        case All(terms) | AnyOf(terms):
            parts = tuple(_push(term, negate=negate) for term in terms)
            conjunction = isinstance(condition, All) != negate
            cls: type[All] | type[AnyOf] = All if conjunction else AnyOf
            flat: list[Condition] = []
            for part in parts:
                flat.extend(part.terms if isinstance(part, cls) else (part,))
            return flat[0] if len(flat) == 1 else cls(tuple(flat))
        case Truthy(trait, column):
            return Comparison(trait, "==", not negate, column)
        case Comparison(trait, op, value, column):
            return Comparison(trait, _NEGATED[op] if negate else op, value, column)
        case Member(trait, value, present, column):
            return Member(trait, value, present != negate, column)
    raise TypeError(condition)  # pragma: no cover - the union is exhaustive


def comparisons(condition: Condition) -> Iterator[Comparison | Member | Truthy]:
    """Every leaf of the tree, left to right."""
    match condition:
        case All(terms) | AnyOf(terms):
            for term in terms:
                yield from comparisons(term)
        case Not(term):
            yield from comparisons(term)
        case _:
            yield condition


def traits_of(condition: Condition) -> tuple[str, ...]:
    """The trait ids a condition reads, in order of first appearance."""
    return tuple(dict.fromkeys(leaf.trait for leaf in comparisons(condition)))


def evaluate(
    condition: Condition,
    traits: Mapping[str, TraitValue],
    bound: Mapping[str, Mapping[str, TraitValue]] | None = None,
) -> bool:
    """Reference evaluation of a *normalised* condition against observed trait values.

    `bound` holds the facts bound to other aliases, for `alias.field` references; a reference to
    a field the other fact lacks is false, like a comparison on an unobserved trait.
    """
    match condition:
        case All(terms):
            return all(evaluate(term, traits, bound) for term in terms)
        case AnyOf(terms):
            return any(evaluate(term, traits, bound) for term in terms)
        case Member(trait, value, present):
            observed = traits.get(trait)
            if not isinstance(observed, frozenset):
                return False
            return (value in observed) == present
        case Comparison(trait, op, value):
            if trait not in traits:
                return False
            if isinstance(value, Ref):
                other = (bound or {}).get(value.alias, {}).get(value.field)
                if other is None or isinstance(other, frozenset):
                    return False
                value = other
            if isinstance(value, Param):
                raise TypeError(f"unresolved setting ${value.name}")
            return _compare(traits[trait], op, value)
    raise TypeError(f"not a normalised condition: {condition!r}")


def _compare(observed: TraitValue, op: Op, value: Scalar) -> bool:
    if isinstance(observed, frozenset):
        return False
    if op == "==":
        return _equal(observed, value)
    if op == "!=":
        return _comparable(observed, value) and not _equal(observed, value)
    if not _both_numbers(observed, value):
        return False
    return bool(COMPARE[op](Decimal(str(observed)), Decimal(str(value))))


def _both_numbers(a: object, b: object) -> bool:
    return (
        isinstance(a, int | float)
        and not isinstance(a, bool)
        and isinstance(b, int | float)
        and not isinstance(b, bool)
    )


def _comparable(a: object, b: object) -> bool:
    return _both_numbers(a, b) or type(a) is type(b)


def _equal(a: object, b: object) -> bool:
    if _both_numbers(a, b):
        return Decimal(str(a)) == Decimal(str(b))
    return type(a) is type(b) and a == b


def render(condition: Condition) -> str:
    """Text of a condition in the rule language (used in explanations and errors)."""
    match condition:
        case All(terms):
            return " and ".join(_wrap(term) for term in terms)
        case AnyOf(terms):
            return " or ".join(_wrap(term) for term in terms)
        case Not(term):
            return f"not {_wrap(term)}"
        case Truthy(trait):
            return trait
        case Member(trait, value, present):
            text = f'"{value}" in {trait}'
            return text if present else f"not {text}"
        case Comparison(trait, op, value):
            return f"{trait} {op} {_literal(value)}"
    raise TypeError(condition)  # pragma: no cover


def _wrap(condition: Condition) -> str:
    text = render(condition)
    return f"({text})" if isinstance(condition, All | AnyOf) else text


def _literal(value: Scalar | Ref | Param) -> str:
    if isinstance(value, Ref):
        return f"{value.alias}.{value.field}"
    if isinstance(value, Param):
        return f"{'-' if value.negative else ''}${value.name}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, float):  # never an exponent: `1e-06` would not parse back
        return format(Decimal(repr(value)), "f")
    return repr(value)


# --- forms every backend reads ------------------------------------------------------------

#: Alternatives one rule may expand to; a rule beyond this is refused as too complex.
MAX_ALTERNATIVES = 64

Leaf = Comparison | Member


def disjunctive_form(condition: Condition) -> list[tuple[Leaf, ...]]:
    """A normalised condition as a list of conjunctions of leaves (duplicates removed)."""
    match condition:
        case All(terms):
            result: list[tuple[Leaf, ...]] = [()]
            for term in terms:
                result = [left + right for left in result for right in disjunctive_form(term)]
                if len(result) > MAX_ALTERNATIVES:  # stop early: it is refused anyway
                    return result
            return list(dict.fromkeys(result))
        case AnyOf(terms):
            alternatives = [conj for term in terms for conj in disjunctive_form(term)]
            return list(dict.fromkeys(alternatives))
        case Comparison() | Member():
            return [(dataclasses.replace(condition, column=0),)]  # equal leaves compare equal
    raise ValueError(f"cannot expand {condition!r}: conditions must be normalised first")


def resolve(condition: Condition, settings: object) -> Condition:
    """A condition with every `$setting` replaced by the setting's value."""
    match condition:
        case All(terms):
            return All(tuple(resolve(t, settings) for t in terms))
        case AnyOf(terms):
            return AnyOf(tuple(resolve(t, settings) for t in terms))
        case Comparison(value=Param(name, negative)):
            value = getattr(settings, name)
            return dataclasses.replace(condition, value=-value if negative else value)
    return condition
