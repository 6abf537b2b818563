"""Cross-checks of conditions and conflict rules: kinds, fields, types and joins, located."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal

from modeadvisor import conditions as cond
from modeadvisor._i18n import Message
from modeadvisor.errors import Location, Problem, did_you_mean
from modeadvisor.facts import FACT_KINDS, RESPONDENT_FIGURES, UNIT_FIELDS, FactField
from modeadvisor.knowledge._base import ConflictRule, Pattern, _Placed
from modeadvisor.knowledge._documents import (
    Document,
    PathKey,
)
from modeadvisor.knowledge._shapes import (
    FORM_NAMES,
    NUMBER_DECIMALS,
    NUMBER_LIMIT,
    SCALE_MAX,
    SCALE_MIN,
    ConflictRuleSpec,
    Settings,
    Severity,
    Text,
    Trait,
    TraitType,
)
from modeadvisor.knowledge._shapes import PLACEHOLDER as _PLACEHOLDER

_PATTERN = re.compile(r"\s*(?P<kind>\S+)\s*(?:\s(?:where|WHERE)\s+(?P<when>.*\S))?\s*", re.DOTALL)
#: How a field may be joined with another: only fields of one family compare meaningfully.
Family = tuple[str, tuple[str, ...]]


class _ConflictChecker:
    """Checks one conflict rule: its fact kinds, fields, literal types, joins and placeholders."""

    def __init__(
        self,
        spec: ConflictRuleSpec,
        placed: _Placed,
        traits: Mapping[str, Trait],
        archetypes: tuple[str, ...],
        models: tuple[str, ...],
        pack: str,
    ) -> None:
        self.spec, self.placed, self.traits, self.pack = spec, placed, traits, pack
        self.archetypes, self.models = archetypes, models
        self.problems: list[Problem] = []
        self.kinds: dict[str, str] = {}  # alias -> fact kind, for aliases that parsed

    def check(self) -> ConflictRule | None:
        patterns = [self._pattern(alias, text) for alias, text in self.spec.match.items()]
        for name in ("explanation", "resolution", "detail"):
            text = getattr(self.spec, name)
            for lang in ("en", "fi"):
                if text is not None and getattr(text, lang) is not None:
                    self._placeholders(getattr(text, lang), (name, lang))
        self._withheld()
        severity = self._severity()
        about = self._about()
        if self.problems or any(p is None for p in patterns):
            return None
        return ConflictRule(
            self.spec,
            tuple(p for p in patterns if p is not None),
            self.placed.origin,
            self.pack,
            severity,
            about,
        )

    def _severity(self) -> tuple[tuple[Severity, tuple[tuple[str, cond.Condition], ...]], ...]:
        """The severity ladder with each step's conditions checked against its alias's facts."""
        if isinstance(self.spec.severity, str):
            return ((self.spec.severity, ()),)
        steps = []
        for index, step in enumerate(self.spec.severity):
            conditions = []
            for alias, when in (step.when or {}).items():
                at: PathKey = (*self.placed.path, "severity", index, "when", alias)
                kind = self.kinds.get(alias)
                if kind is None:
                    if alias not in self.spec.match:
                        self.problems.append(
                            self.placed.document.problem(
                                at,
                                Message("'{alias}' names no alias of `match`", alias=alias),
                                did_you_mean(alias, self.spec.match),
                                key=True,
                            )
                        )
                    continue
                if self._joins_in_step(alias, when, at):
                    continue
                parsed = self._condition(alias, kind, when, at, 0, {})
                if parsed is not None:
                    conditions.append((alias, parsed))
            steps.append((step.level, tuple(conditions)))
        if not steps:
            self.problems.append(
                self.placed.problem(
                    Message("a severity ladder needs at least one step"),
                    Message(
                        "write a level (`severity: medium`) or steps ending with one that has only a `level`"
                    ),
                    "severity",
                )
            )
        elif self.spec.severity[-1].when:
            self.problems.append(
                self.placed.problem(
                    Message(
                        "the last step of a severity ladder needs no `when`: it is the level when no step above holds"
                    ),
                    Message("add a last step with only a `level`"),
                    "severity",
                    len(steps) - 1,
                )
            )
        return tuple(steps)

    def _joins_in_step(self, alias: str, when: str, at: PathKey) -> bool:
        """A step weighs the evidence of one matched fact: a join there is refused (it belongs
        in `match`). True when the step's condition names another fact."""
        try:
            parsed = cond.parse(when)
        except cond.ConditionSyntaxError:
            return False  # `_condition` reports it with its column
        for leaf in cond.comparisons(parsed):
            if isinstance(leaf, cond.Comparison) and isinstance(leaf.value, cond.Ref):
                ref = leaf.value
                self.problems.append(
                    _in_condition(
                        self.placed.document,
                        at,
                        leaf.column,
                        Message(
                            "`{render}`: a severity step weighs the fact bound to '{alias}' alone and cannot join '{alias2}.{field}'",
                            render=cond.render(leaf),
                            alias=alias,
                            alias2=ref.alias,
                            field=ref.field,
                        ),
                        Message(
                            "join the facts in `match`; compare here with a value or a $setting"
                        ),
                    )
                )
                return True
        return False

    def _about(self) -> tuple[tuple[str, str], ...]:
        """What a finding is about: `alias.field` of the matched facts, checked."""
        if self.spec.finding is None:
            return ()
        about = []
        for index, ref in enumerate(self.spec.finding.about):
            alias, field = ref.split(".", 1)
            at = ("finding", "about", index)
            if alias not in self.spec.match:
                self.problems.append(
                    self.placed.problem(
                        Message(
                            "'{ref}': '{alias}' names no alias of `match`", ref=ref, alias=alias
                        ),
                        did_you_mean(alias, self.spec.match),
                        *at,
                    )
                )
            elif alias in self.kinds and field not in self.fields(self.kinds[alias]):
                fields = self.fields(self.kinds[alias])
                self.problems.append(
                    self.placed.problem(
                        Message(
                            "'{ref}': {value} facts have no field '{field}' a finding can be about; fields: {names}",
                            ref=ref,
                            value=self.kinds[alias],
                            field=field,
                            names=", ".join(sorted(fields)),
                        ),
                        did_you_mean(field, fields),
                        *at,
                    )
                )
            else:
                about.append((alias, field))
        return tuple(about)

    def fields(self, kind: str) -> dict[str, FactField | Trait]:
        found: dict[str, FactField | Trait] = dict(FACT_KINDS[kind])
        if kind == "unit":
            found.update({k: t for k, t in self.traits.items() if k not in UNIT_FIELDS})
        return found

    def _pattern(self, alias: str, text: str) -> Pattern | None:
        at: PathKey = (*self.placed.path, "match", alias)
        document = self.placed.document
        matched = _PATTERN.fullmatch(text)
        if matched is None:
            self.problems.append(
                document.problem(
                    at,
                    Message(
                        "'{text}' is not a pattern; expected `KIND` or `KIND where CONDITION`",
                        text=text,
                    ),
                )
            )
            return None
        if matched["kind"] not in FACT_KINDS:
            kind = matched["kind"]
            self.problems.append(
                document.problem(
                    at,
                    Message(
                        "'{kind}' is not a kind of fact; expected one of {names}",
                        kind=kind,
                        names=", ".join(FACT_KINDS),
                    ),
                    did_you_mean(kind, FACT_KINDS),
                )
            )
            return None
        kind = matched["kind"]
        when = matched["when"]
        bound = dict(self.kinds)  # only aliases above this one can be referred to
        self.kinds[alias] = kind
        if when is None:
            return Pattern(alias, kind, None)
        normal = self._condition(alias, kind, when, at, matched.start("when"), bound)
        return None if normal is None else Pattern(alias, kind, normal)

    def _condition(
        self,
        alias: str,
        kind: str,
        when: str,
        at: PathKey,
        offset: int,
        bound: Mapping[str, str],
    ) -> cond.Condition | None:
        """A condition over one alias's facts, checked and normalised (None: its problems are
        recorded); `bound` are the aliases it may join with."""
        document = self.placed.document
        try:
            parsed = cond.parse(when)
        except cond.ConditionSyntaxError as error:
            self.problems.append(
                _in_condition(
                    document,
                    at,
                    offset + error.column,
                    Message("condition does not parse: {error}", error=error.message),
                )
            )
            return None
        found: list[tuple[int, str, str | None]] = []
        fields = self.fields(kind)
        for leaf in cond.comparisons(parsed):
            field = fields.get(leaf.trait)
            if field is None:
                found.append(
                    (
                        leaf.column,
                        f"unknown field '{leaf.trait}' of {kind} facts; "
                        f"fields: {', '.join(sorted(fields))}",
                        did_you_mean(leaf.trait, fields),
                    )
                )
                continue
            problem = self._leaf(leaf, alias, field, bound)
            if problem is not None:
                found.append((leaf.column, *problem))
        normal = cond.normalise(parsed)
        if not found:
            for leaf in cond.comparisons(normal):
                if (
                    isinstance(leaf, cond.Comparison)
                    and isinstance(leaf.value, cond.Ref)
                    and leaf.op != "=="
                ):
                    found.append(
                        (
                            leaf.column,
                            f"`{cond.render(leaf)}`: only == may join two "
                            "facts (the engine crashes on other comparisons "
                            "between facts)",
                            "compare each fact with a value, or join on another field",
                        )
                    )
        for column, message, hint in found:
            self.problems.append(_in_condition(document, at, offset + column, message, hint))
        return None if found else normal

    def _leaf(
        self,
        leaf: cond.Comparison | cond.Member | cond.Truthy,
        alias: str,
        field: FactField | Trait,
        bound: Mapping[str, str],
    ) -> tuple[str, str | None] | None:
        name = leaf.trait
        if isinstance(leaf, cond.Comparison) and isinstance(leaf.value, cond.Ref):
            ref = leaf.value
            if ref.alias not in bound:
                if ref.alias == alias or ref.alias in self.spec.match:
                    return (
                        f"'{ref.alias}' is not bound above '{alias}'; a join refers to an "
                        "alias listed earlier in `match`",
                        None,
                    )
                return f"unknown alias '{ref.alias}'", did_you_mean(ref.alias, bound)
            other_fields = self.fields(bound[ref.alias])
            other = other_fields.get(ref.field)
            if other is None:
                return (
                    f"unknown field '{ref.field}' of {bound[ref.alias]} facts",
                    did_you_mean(ref.field, other_fields),
                )
            mine, theirs = _family(field), _family(other)
            if mine is None or mine != theirs:
                return (
                    f"'{name}' ({_describe(field)}) cannot be joined with "
                    f"'{ref.alias}.{ref.field}' ({_describe(other)})",
                    None,
                )
            return None
        if isinstance(leaf, cond.Comparison) and isinstance(leaf.value, cond.Param):
            setting = leaf.value.name
            if setting not in Settings.model_fields:
                return (
                    f"unknown setting '${setting}'",
                    did_you_mean(setting, Settings.model_fields),
                )
            if _family(field) not in (("number", ()), ("scale", ())):
                return f"'{name}' is {_describe(field)}; a $setting is a number", None
            return None
        if isinstance(field, Trait):
            return _leaf_problem(leaf, field)
        if field.type == "unit":
            if (
                not isinstance(leaf, cond.Comparison)
                or not isinstance(leaf.value, str)
                or leaf.op not in ("==", "!=")
            ):
                return (
                    f"'{name}' is a unit id; compare it with == or != and a \"quoted id\", "
                    "or join it with another fact's unit id",
                    None,
                )
            return None
        return _leaf_problem(leaf, _as_trait(name, field, self.archetypes, self.models))

    def _figures(self, text: Text | None) -> list[str]:
        """The placeholders of a text that quote respondents' figures."""
        quoted = []
        for value in (text.en, text.fi) if text is not None else ():
            for alias, name, _ in _PLACEHOLDER.findall(value or ""):
                if name in RESPONDENT_FIGURES.get(self.kinds.get(alias, ""), ()):
                    quoted.append(f"{{{alias}.{name}}}")
        return list(dict.fromkeys(quoted))

    def _withheld(self) -> None:
        """Words without respondents' figures wherever the texts quote them, and only there."""
        withheld = self.spec.withheld
        for name in ("explanation", "detail"):
            quoted = self._figures(getattr(self.spec, name))
            words = getattr(withheld, name) if withheld is not None else None
            if quoted and words is None:
                self.problems.append(
                    self.placed.problem(
                        Message(
                            "the {name} quotes respondents' figures ({names}): give `withheld: {{{name}: ...}}`, the words shown when fewer respondents than the anonymity floor (min_respondents) gave them",
                            name=name,
                            names=", ".join(quoted),
                        ),
                        None,
                        name,
                    )
                )
        if withheld is None:
            return
        for name in ("explanation", "detail"):
            text = getattr(withheld, name)
            for lang in ("en", "fi"):
                if text is not None and getattr(text, lang) is not None:
                    self._placeholders(getattr(text, lang), ("withheld", name, lang))
            quoted = self._figures(text)
            if quoted:
                self.problems.append(
                    self.placed.problem(
                        Message(
                            "the withheld {name} quotes respondents' figures ({names}), which it is there to leave out",
                            name=name,
                            names=", ".join(quoted),
                        ),
                        None,
                        "withheld",
                        name,
                    )
                )

    def _form(self, alias: str, name: str, form: str, sub: tuple[str, ...]) -> None:
        """`{alias.field|form}`: a form a name can have, of a field that holds a name."""
        quoted = f"{{{alias}.{name}|{form}}}"
        if form not in FORM_NAMES:
            self.problems.append(
                self.placed.problem(
                    Message("'{quoted}': unknown form '{form}'", quoted=quoted, form=form),
                    did_you_mean(form, FORM_NAMES) or f"forms are {', '.join(FORM_NAMES)}",
                    *sub,
                )
            )
            return
        field = FACT_KINDS.get(self.kinds.get(alias, ""), {}).get(name)
        if field is not None and field.type not in ("archetype", "model"):
            self.problems.append(
                self.placed.problem(
                    Message(
                        "'{quoted}': only a mode's or a model's name has forms; {name} is a {type}",
                        quoted=quoted,
                        name=name,
                        type=field.type,
                    ),
                    Message("quote it without `|form`"),
                    *sub,
                )
            )

    def _placeholders(self, text: str, sub: tuple[str, ...]) -> None:
        for match in _PLACEHOLDER.finditer(text):
            alias, name, form = match.groups()
            if form is not None:
                self._form(alias, name, form, sub)
            if alias not in self.spec.match:
                self.problems.append(
                    self.placed.problem(
                        Message(
                            "'{{{alias}.{name}}}' names no alias of `match`", alias=alias, name=name
                        ),
                        did_you_mean(alias, self.spec.match),
                        *sub,
                    )
                )
            elif alias in self.kinds and name not in self.fields(self.kinds[alias]):
                self.problems.append(
                    self.placed.problem(
                        Message(
                            "'{{{alias}.{name}}}': {value} facts have no field '{name}'",
                            alias=alias,
                            name=name,
                            value=self.kinds[alias],
                        ),
                        did_you_mean(name, self.fields(self.kinds[alias])),
                        *sub,
                    )
                )


def _as_trait(
    name: str, field: FactField, archetypes: tuple[str, ...], models: tuple[str, ...]
) -> Trait:
    """A fact field as a trait, so literal checks and messages are shared with scoring rules."""
    kind: TraitType = (
        "number" if field.type == "number" else ("bool" if field.type == "bool" else "category")
    )
    values = {"archetype": archetypes, "model": models, "choice": field.values}.get(field.type)
    # model_construct: ids of archetypes and models may be longer than trait value ids
    return Trait.model_construct(
        id=name,
        type=kind,
        kind=None,
        label=Text(en=name),
        description=Text(en=field.description),
        observes=(),
        values=values,
        min=None,
        max=None,
        unit=None,
    )


def _family(field: FactField | Trait) -> Family | None:
    if isinstance(field, Trait):
        if field.type == "set":
            return None
        return (field.type, tuple(field.values or ()) if field.type == "category" else ())
    if field.type == "choice":
        return ("category", field.values)
    return (field.type, ())


def _describe(field: FactField | Trait) -> str:
    if isinstance(field, Trait):
        return field.kind_text()
    return {
        "unit": "a unit id",
        "archetype": "an archetype id",
        "model": "a model id",
        "number": "a number",
        "bool": "true/false",
    }.get(field.type, f"one of {', '.join(field.values)}")


def _decimals(value: float) -> int:
    exponent = Decimal(str(value)).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _in_condition(
    document: Document, path: PathKey, column: int, message: str, hint: str | None = None
) -> Problem:
    """A problem at a column inside a condition string, mapped to its place in the file."""
    location = document.location(path)
    line_text = document.source_line(location.line) or ""
    start = location.column or 1
    if line_text[start - 1 : start] in ("'", '"'):
        start += 1  # a quoted scalar: the text starts after the quote
    place = Location(location.file, location.line, start + max(column, 1) - 1)
    return Problem(place, message, hint, line_text if location.line else None)


def check_condition(
    condition: cond.Condition, traits: Mapping[str, Trait]
) -> list[tuple[int, str, str | None]]:
    """Type-check a parsed condition against the catalogue: (column, message, hint) per problem."""
    found: list[tuple[int, str, str | None]] = []
    for leaf in cond.comparisons(condition):
        trait = traits.get(leaf.trait)
        if trait is None:
            found.append(
                (
                    leaf.column,
                    Message("unknown trait '{trait}'", trait=leaf.trait),
                    did_you_mean(leaf.trait, traits),
                )
            )
            continue
        problem = _leaf_problem(leaf, trait)
        if problem is not None:
            found.append((leaf.column, *problem))
    return found


def _leaf_problem(
    leaf: cond.Comparison | cond.Member | cond.Truthy, trait: Trait
) -> tuple[str, str | None] | None:
    """What is wrong with one test of a trait in a scoring rule, with a hint, or None."""
    if isinstance(leaf, cond.Truthy):
        if trait.type == "bool":
            return None
        return (
            Message(
                "'{id}' is {kind_text}, not true/false; compare it with a value",
                id=trait.id,
                kind_text=trait.kind_text(),
            ),
            _example(trait),
        )
    if isinstance(leaf, cond.Member):
        return _member_problem(leaf, trait)
    if isinstance(leaf.value, cond.Ref | cond.Param):
        return (
            Message(
                "`{render}`: references to other facts and $settings are for conflict rules; a scoring rule compares a trait with a value",
                render=cond.render(leaf),
            ),
            _example(trait),
        )
    return _COMPARED[trait.type](leaf, leaf.value, trait)


def _member_problem(leaf: cond.Member, trait: Trait) -> tuple[str, str | None] | None:
    if trait.type != "set":
        return (
            Message(
                "'{id}' is {kind_text}; membership tests (\"value\" in trait) are for set traits",
                id=trait.id,
                kind_text=trait.kind_text(),
            ),
            _example(trait),
        )
    if leaf.value not in (trait.values or ()):
        return (
            Message(
                "'{value}' is not a value of '{id}' ({names})",
                value=leaf.value,
                id=trait.id,
                names=", ".join(trait.values or ()),
            ),
            did_you_mean(leaf.value, trait.values or ()),
        )
    return None


_Found = tuple[str, str | None] | None


def _bool_compared(leaf: cond.Comparison, value: cond.Scalar, trait: Trait) -> _Found:
    name = trait.id
    if not isinstance(value, bool):
        return (
            Message(
                "'{name}' is true/false, compared with {value}",
                name=name,
                value=cond.render(leaf).split()[-1],
            ),
            Message("write `{name}` or `not {name}`", name=name),
        )
    if leaf.op not in ("==", "!="):
        return Message("'{name}' is true/false: only == and != apply", name=name), Message(
            "write `{name}`", name=name
        )
    return None


def _scale_compared(leaf: cond.Comparison, value: cond.Scalar, trait: Trait) -> _Found:
    if isinstance(value, bool) or not isinstance(value, int):
        return (
            Message(
                "'{id}' is {kind_text}; compare it with a whole number",
                id=trait.id,
                kind_text=trait.kind_text(),
            ),
            _example(trait),
        )
    if not SCALE_MIN <= value <= SCALE_MAX:
        return Message(
            "{value} is outside the scale of '{id}' ({SCALE_MIN}-{SCALE_MAX})",
            value=value,
            id=trait.id,
            SCALE_MIN=SCALE_MIN,
            SCALE_MAX=SCALE_MAX,
        ), None
    return None


def _number_compared(leaf: cond.Comparison, value: cond.Scalar, trait: Trait) -> _Found:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return Message("'{id}' is a number; compare it with a number", id=trait.id), _example(trait)
    if _decimals(value) > NUMBER_DECIMALS:
        return Message(
            "{value} has more than {NUMBER_DECIMALS} decimals",
            value=value,
            NUMBER_DECIMALS=NUMBER_DECIMALS,
        ), None
    if abs(value) > NUMBER_LIMIT:
        return Message("{value} is too large; numbers are compared up to ±1e12", value=value), None
    return None


def _category_compared(leaf: cond.Comparison, value: cond.Scalar, trait: Trait) -> _Found:
    name = trait.id
    if not isinstance(value, str):
        return (
            Message(
                "'{name}' is {kind_text}; compare it with a \"quoted value\"",
                name=name,
                kind_text=trait.kind_text(),
            ),
            _example(trait),
        )
    if leaf.op not in ("==", "!="):
        return Message("'{name}' is a category: only ==, != and `in [...]` apply", name=name), None
    if value not in (trait.values or ()):
        return (
            Message(
                "'{value}' is not a value of '{name}' ({names})",
                value=value,
                name=name,
                names=", ".join(trait.values or ()),
            ),
            did_you_mean(value, trait.values or ()),
        )
    return None


def _set_compared(leaf: cond.Comparison, value: cond.Scalar, trait: Trait) -> _Found:
    return Message(
        "'{id}' is {kind_text}; test membership instead", id=trait.id, kind_text=trait.kind_text()
    ), _example(trait)


#: How a comparison `trait op value` is checked, by the trait's type.
_COMPARED: Mapping[TraitType, Callable[[cond.Comparison, cond.Scalar, Trait], _Found]] = {
    "bool": _bool_compared,
    "scale": _scale_compared,
    "number": _number_compared,
    "category": _category_compared,
    "set": _set_compared,
}


def _example(trait: Trait) -> str:
    match trait.type:
        case "scale":
            return Message("e.g. `{id} >= 4`", id=trait.id)
        case "bool":
            return Message("e.g. `{id}` or `not {id}`", id=trait.id)
        case "number":
            return Message("e.g. `{id} > 10`", id=trait.id)
        case "category":
            return Message(
                'e.g. `{id} == "{value}"`', id=trait.id, value=(trait.values or ("value",))[0]
            )
    return Message('e.g. `"{value}" in {id}`', value=(trait.values or ("value",))[0], id=trait.id)
