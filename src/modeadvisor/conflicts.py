"""The facts conflict rules see (`situation`), and from their firings the conflicts of an Advice.

A backend (durable-rules, or `backends._matching` on the vectorised one) reports each firing as a
rule and the facts bound to its aliases. Firings of one rule over the same units are one conflict
(so a symmetric tension between two units, found once from each side, is reported once), with
every match kept for the explanation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from modeadvisor import conditions as cond
from modeadvisor.advice import Conflict, FactValue, Match, ModeRating, Profile, Severity
from modeadvisor.agreement import consensus, rwg
from modeadvisor.conditions import TraitValue, resolve
from modeadvisor.facts import FACT_KINDS, RESPONDENT_FIGURES, UNIT_FIELDS, VIEWS, Fact, Firing
from modeadvisor.graph import ScoredModel, avoided, recommended
from modeadvisor.knowledge import NUMBER_DECIMALS, ConflictRule, KnowledgeBase, Lang, Text
from modeadvisor.knowledge import PLACEHOLDER as _PLACEHOLDER
from modeadvisor.reports._common import integer, number, view_label
from modeadvisor.reports.labels import label
from modeadvisor.scoring import MICRO

#: `[one|many]` in a text: the first form when every placeholder shows one value, else the second
#: ("whose [mode|modes]", "[yksikön|yksiköiden]"), so grammar follows the count.
_NUMBER = re.compile(r"\[([^\[\]|{}]*)\|([^\[\]|{}]*)\]")
_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_YES_NO = {"en": ("yes", "no"), "fi": ("kyllä", "ei")}
_AND = {"en": "and", "fi": "ja"}
_MORE = {"en": "{n} more", "fi": "{n} muuta"}
#: Values a text names at most when it quotes a field of many matches; the rest are counted.
_LISTED = 6


def summarise(
    kb: KnowledgeBase,
    firings: Sequence[Firing],
    facts: Sequence[Fact],
    unit_names: Mapping[str, str],
    lang: Lang,
    unit_order: Mapping[str, int] | None = None,
    min_respondents: int | None = None,
) -> list[Conflict]:
    """Fold firings into findings (one per topic and what it is about), explained in `lang`.

    With `min_respondents` (the anonymity floor), the figures of a group of fewer respondents
    are left out of the matches, and a rule that bound one speaks in its `withheld` words.

    A rule's `finding.about` names the fields that identify the root cause; without it, a
    finding is one rule over one set of units. Each firing is weighed by its rule's severity
    ladder; a finding is as severe as its most severe match, and its texts are those of the
    rule of that match. Everything is ordered canonically, so the firings' order (which differs
    between backends) never shows. A fact is made public (and written as JSON) once per rule.
    """
    rules = {rule.id: rule for rule in kb.conflicts}
    rank = {rule.id: i for i, rule in enumerate(kb.conflicts)}
    shown = {
        rule.id: _PublicFacts(facts, _fields_read(rule), min_respondents) for rule in kb.conflicts
    }
    ladders = {rule.id: _ladder(rule, kb) for rule in kb.conflicts}
    findings: dict[tuple[str, tuple[str, ...]], _Finding] = {}
    keys: dict[object, str] = {}  # each value's `_key`, written once
    for rule_id, bound in firings:
        rule, public = rules[rule_id], shown[rule_id]
        units = [str(u) for a in sorted(bound) if (u := facts[bound[a]].get("uid")) is not None]
        if rule.about:
            about = tuple(
                _cached_key(facts[bound[alias]].get(field), keys) for alias, field in rule.about
            )
        else:
            about = tuple(sorted(set(units)))
        key = (rule.topic, about)
        finding = findings.get(key)
        if finding is None:
            firsts = [str(facts[bound[a]].get(f)) for a, f in rule.about if _is_unit(rule, a, f)]
            finding = findings[key] = _Finding(key, firsts)
        match_key = public.key(bound)
        finding.add(
            rule_id, match_key, bound, public, units, _level(ladders[rule_id], bound, facts)
        )
    text = _Texts(kb, unit_names, lang)
    order = unit_order or {}
    conflicts = [
        finding.conflict(rules, rank, text, lang, order, min_respondents)
        for finding in findings.values()
    ]
    return sorted(
        conflicts, key=lambda c: (_SEVERITY_ORDER[c.severity], c.kind, c.units, c.rule, c.id)
    )


_Step = tuple[Severity, tuple[tuple[str, cond.Condition], ...]]


def _ladder(rule: ConflictRule, kb: KnowledgeBase) -> tuple[_Step, ...]:
    """A rule's severity ladder with its settings resolved."""
    return tuple(
        (level, tuple((alias, resolve(c, kb.settings)) for alias, c in conditions))
        for level, conditions in rule.severity
    ) or (("medium", ()),)


def _level(ladder: tuple[_Step, ...], bound: Mapping[str, int], facts: Sequence[Fact]) -> Severity:
    """The first step of the ladder whose conditions hold for the facts bound (the evaluator's
    semantics: a missing field never holds)."""
    for level, conditions in ladder:
        if all(cond.evaluate(c, facts[bound[alias]]) for alias, c in conditions):
            return level
    return ladder[-1][0]


def _key(value: object) -> str:
    return json.dumps(sorted(value) if isinstance(value, frozenset) else value)


def _cached_key(value: object, keys: dict[object, str]) -> str:
    """`_key(value)`, looked up in `keys` (by type too: 1, 1.0 and true are written apart)."""
    at = value if value.__class__ is str else (type(value), value)
    found = keys.get(at)
    if found is None:
        found = keys[at] = _key(value)
    return found


def _is_unit(rule: ConflictRule, alias: str, field: str) -> bool:
    kind = next(p.kind for p in rule.patterns if p.alias == alias)
    spec = FACT_KINDS[kind].get(field)
    return spec is not None and spec.type == "unit"


def _first(match: Mapping[str, Mapping[str, FactValue]], place: Mapping[str, int]) -> int:
    """Where a match's first unit stands in its finding's order of units."""
    return min((place.get(str(f.get("uid")), len(place)) for f in match.values()), default=0)


class _Finding:
    """The matches of one finding as they come, by rule, with the most severe level seen."""

    def __init__(self, key: tuple[str, tuple[str, ...]], firsts: list[str]) -> None:
        self.key = key
        self.firsts = firsts  # units the finding is about: named first
        self.matches: dict[str, dict[str, dict[str, dict[str, FactValue]]]] = {}
        self.levels: dict[str, Severity] = {}  # rule -> its most severe level
        self.units: set[str] = set()
        self.rule_units: dict[str, set[str]] = {}  # rule -> the units its matches name

    def add(
        self,
        rule: str,
        match_key: str,
        bound: Mapping[str, int],
        public: _PublicFacts,
        units: Iterable[str],
        level: Severity,
    ) -> None:
        found = self.matches.setdefault(rule, {})
        if match_key not in found:
            found[match_key] = {alias: public.fact(index) for alias, index in bound.items()}
        seen = self.levels.get(rule)
        if seen is None or _SEVERITY_ORDER[level] < _SEVERITY_ORDER[seen]:
            self.levels[rule] = level
        units = set(units)
        self.units.update(units)
        self.rule_units.setdefault(rule, set()).update(units)

    def conflict(
        self,
        rules: Mapping[str, ConflictRule],
        rank: Mapping[str, int],
        text: _Texts,
        lang: Lang,
        order: Mapping[str, int],
        floor: int | None,
    ) -> Conflict:
        by_rule = sorted(self.matches, key=lambda r: (_SEVERITY_ORDER[self.levels[r]], rank[r]))
        # a rule that bound a group below the anonymity floor speaks without its figures
        hidden = {r for r in by_rule if any(withheld(m) for m in self.matches[r].values())}

        def words(rule: ConflictRule, name: str) -> Text | None:
            spec = rule.spec
            if rule.id in hidden and spec.withheld is not None:
                return getattr(spec.withheld, name) or getattr(spec, name)  # type: ignore[no-any-return]
            return getattr(spec, name)  # type: ignore[no-any-return]

        def explained(rule: ConflictRule) -> str:
            said = words(rule, "explanation")
            assert said is not None  # every rule, and its withheld words, has an explanation
            return said.get(lang)

        lead = rules[by_rule[0]]
        spec = lead.spec
        # the units the finding is about first (a parent before its children), then tree order
        firsts = list(dict.fromkeys(self.firsts))
        rest = sorted(self.units - set(firsts), key=lambda u: (order.get(u, len(order)), u))
        place = {unit: i for i, unit in enumerate(firsts + rest)}

        def ordered(rule_id: str) -> list[dict[str, dict[str, FactValue]]]:
            found = self.matches[rule_id]
            return [found[k] for k in sorted(found, key=lambda k: (_first(found[k], place), k))]

        in_order = {rule_id: ordered(rule_id) for rule_id in by_rule}
        lead_matches = in_order[lead.id]
        details: list[str] = []
        matches: list[Match] = []
        for rule_id in by_rule:
            rule = rules[rule_id]
            found = in_order[rule_id]
            matches.extend(
                Match.model_construct(Match.every_field, rule=rule_id, facts=m) for m in found
            )
            detail = words(rule, "detail")
            if detail:
                details.extend(text.fill(detail.get(lang), [m], rule) for m in found)
        details = list(dict.fromkeys(details))  # two matches that say the same show once
        # the lead rule's words, then those of each folded rule that names units the words
        # before have not: a reader learns from the text, not only the details, why a unit
        # is in the finding
        explanation = [text.fill(explained(lead), lead_matches, lead)]
        named = set(self.rule_units[lead.id])
        for rule_id in by_rule[1:]:
            if not self.rule_units[rule_id] <= named:
                rule = rules[rule_id]
                explanation.append(text.fill(explained(rule), ordered(rule_id), rule))
                named |= self.rule_units[rule_id]
        if hidden and floor is not None:
            explanation.append(label("withheld_note", lang, n=floor))
        topic, about = self.key
        # built, not validated: every value comes typed from the facts and the pack (the tests
        # validate the JSON of generated organisations); saves a copy of every match
        return Conflict.model_construct(
            id=":".join([topic, *(json.loads(v) if v.startswith('"') else v for v in about)]),
            kind=spec.kind,
            severity=self.levels[lead.id],
            units=firsts + rest,
            explanation=" ".join(dict.fromkeys(explanation)),
            resolution=text.fill(spec.resolution.get(lang), lead_matches, lead),
            details=details,
            rule=lead.id,
            rules=by_rule,
            source=list(dict.fromkeys(s for r in by_rule for s in rules[r].spec.source)),
            pack=lead.pack,
            origin=f"{lead.origin.file}:{lead.origin.line}",
            matches=matches,
        )


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
            names.update(field for _, field, _ in _PLACEHOLDER.findall(value or ""))
    return frozenset(names)


class _PublicFacts:
    """The facts as one rule shows them (unit facts keep only the traits it reads), each built
    and written as JSON once."""

    def __init__(self, facts: Sequence[Fact], read: frozenset[str], floor: int | None) -> None:
        self.facts, self.read, self.floor = facts, read, floor
        self._shown: dict[int, tuple[dict[str, FactValue], str]] = {}
        self._aliases: dict[tuple[str, ...], list[tuple[str, str]]] = {}

    def _get(self, index: int) -> tuple[dict[str, FactValue], str]:
        found = self._shown.get(index)
        if found is None:
            shown = _public(self.facts[index], self.read, self.floor)
            found = self._shown[index] = (shown, json.dumps(shown, sort_keys=True))
        return found

    def fact(self, index: int) -> dict[str, FactValue]:
        return dict(self._get(index)[0])  # a copy: no two matches share a mutable dict

    def key(self, bound: Mapping[str, int]) -> str:
        """`json.dumps(match, sort_keys=True)`, put together from each fact's own JSON."""
        aliases = self._aliases.get(tuple(bound))
        if aliases is None:  # each alias with its JSON, sorted, once per rule
            aliases = self._aliases[tuple(bound)] = [(a, json.dumps(a)) for a in sorted(bound)]
        return "{" + ", ".join([f"{name}: {self._get(bound[a])[1]}" for a, name in aliases]) + "}"


def _public(fact: Fact, read: frozenset[str], floor: int | None) -> dict[str, FactValue]:
    kind = str(fact["kind"])
    shown: dict[str, FactValue] = {}
    for name, value in fact.items():
        if kind == "unit" and name not in UNIT_FIELDS and name not in read and name != "kind":
            continue
        shown[name] = sorted(value) if isinstance(value, frozenset) else value
    private = RESPONDENT_FIGURES.get(kind)
    if private and floor is not None and int(fact["respondents"]) < floor:  # type: ignore[arg-type]
        shown.update(dict.fromkeys(private))  # withheld: the anonymity floor
    return shown


def withheld(match: Mapping[str, Mapping[str, FactValue]]) -> bool:
    """Whether a match bound a group's figures that the anonymity floor withholds."""
    for fact in match.values():
        private = RESPONDENT_FIGURES.get(str(fact.get("kind")), ())
        if any(fact.get(name) is None for name in private):
            return True
    return False


class _Texts:
    """Fills `{alias.field}` placeholders with readable values; never `str.format`.

    Each template is split into text and placeholders once per rule, and each value is shown
    once: a large organisation fills hundreds of thousands of texts from a few thousand values.
    """

    def __init__(self, kb: KnowledgeBase, unit_names: Mapping[str, str], lang: Lang) -> None:
        self.kb, self.unit_names, self.lang = kb, unit_names, lang
        self._templates: dict[tuple[str, str], _Template] = {}
        self._shown: dict[tuple[str, str, str | None], dict[object, str]] = {}

    def fill(
        self,
        template: str,
        matches: Sequence[Mapping[str, Mapping[str, FactValue]]],
        rule: ConflictRule,
    ) -> str:
        compiled = self._templates.get((template, rule.id))
        if compiled is None:
            compiled = self._templates[(template, rule.id)] = self._compile(template, rule)
        one, many, slots = compiled
        if not slots:
            return "".join(one)
        out, several = one.copy(), False
        for at, alias, field, kind, form, cache in slots:
            shown = []
            for match in matches:
                if alias in match:
                    value = match[alias].get(field)
                    text = cache.get(value) if value.__class__ is str else None
                    if text is None:
                        text = self.show(kind, field, value, cache, form)
                    shown.append(text)
            values = list(dict.fromkeys(shown))
            several = several or len(values) > 1
            out[at] = values[0] if len(values) == 1 else self.listing(values)
        if several and many is not one:  # the plural forms of the text around the values
            holes = {slot[0] for slot in slots}
            out = [part if i in holes else many[i] for i, part in enumerate(out)]
        return "".join(out)

    def listing(self, items: list[str]) -> str:
        """Several values as one phrase: "A, B and C", at most `_LISTED` named, then a count."""
        if len(items) == 1:
            return items[0]
        if len(items) > _LISTED:
            rest = len(items) - _LISTED + 1
            items = [*items[: _LISTED - 1], _MORE[self.lang].format(n=integer(rest, self.lang))]
        return f"{', '.join(items[:-1])} {_AND[self.lang]} {items[-1]}"

    def _compile(self, template: str, rule: ConflictRule) -> _Template:
        """The template's text with a hole for each placeholder (in its one and its many form),
        and what fills each hole."""
        kinds = {p.alias: p.kind for p in rule.patterns}
        parts: list[str] = []
        slots: list[_Slot] = []
        for part in _split(template):
            if isinstance(part, str):
                parts.append(part)
            else:
                alias, field, form = part
                kind = kinds[alias]
                cache = self._shown.setdefault((kind, field, form), {})
                slots.append((len(parts), alias, field, kind, form, cache))
                parts.append("")
        one = [_NUMBER.sub(r"\1", part) for part in parts]
        many = [_NUMBER.sub(r"\2", part) for part in parts] if one != parts else one
        return one, many, tuple(slots)

    def show(
        self,
        kind: str,
        field: str,
        value: FactValue,
        cache: dict[object, str] | None = None,
        form: str | None = None,
    ) -> str:
        if cache is None or isinstance(value, list):
            return self._show(kind, field, value, form)
        key = value if isinstance(value, str) else (type(value), value)  # 1 == 1.0 == True
        found = cache.get(key)
        if found is None:
            found = cache[key] = self._show(kind, field, value, form)
        return found

    def _show(self, kind: str, field: str, value: FactValue, form: str | None = None) -> str:
        if value is None:
            return "-"
        spec = FACT_KINDS[kind].get(field)
        kind_of_value = spec.type if spec is not None else None
        if kind_of_value == "unit":
            return self.unit_names.get(str(value), str(value))
        if kind_of_value == "archetype" and str(value) in self.kb.archetypes:
            return self.kb.archetypes[str(value)].form(self.lang, form)
        if kind_of_value == "model" and str(value) in self.kb.models:
            return self.kb.models[str(value)].form(self.lang, form)
        if spec is not None and spec.values == VIEWS:  # current, desired, strategy: as reports say
            return view_label(str(value), self.lang)
        if isinstance(value, bool):
            return _YES_NO[self.lang][0 if value else 1]
        if isinstance(value, int):
            return integer(value, self.lang)  # a count
        if isinstance(value, float):
            return number(value, self.lang)  # two decimals everywhere, a comma in Finnish
        if isinstance(value, list):
            return ", ".join(value)
        return str(value)


#: A placeholder ready to fill: where it stands among the parts, alias, field, the kind of fact
#: bound to the alias, the form of the name asked for, and the texts already shown.
_Slot = tuple[int, str, str, str, str | None, dict[object, str]]
#: A compiled template: its parts with `[one|many]` resolved each way, and its placeholders.
_Template = tuple[list[str], list[str], tuple[_Slot, ...]]


def _split(template: str) -> list[str | tuple[str, str, str | None]]:
    """A template as its text and its `{alias.field|form}` placeholders, in order."""
    parts: list[str | tuple[str, str, str | None]] = []
    at = 0
    for placeholder in _PLACEHOLDER.finditer(template):
        parts.append(template[at : placeholder.start()])
        parts.append((placeholder[1], placeholder[2], placeholder[3]))
        at = placeholder.end()
    parts.append(template[at:])
    return [part for part in parts if part != ""]


# --- the facts of one assessment ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitState:
    """What the conflict stage needs to know of one assessed unit."""

    id: str
    parent: str | None
    values: Mapping[str, TraitValue]
    profile: Profile
    scored: Sequence[ScoredModel]  # every model the profile reaches, with its score
    in_use: frozenset[str]
    rules: tuple[int, ...]  # the scoring rules that fired: indexes, in pack order


def _round(value: float) -> float:
    return round(value, NUMBER_DECIMALS)


def situation(
    kb: KnowledgeBase,
    units: Sequence[UnitState],
    imposed: Iterable[str],
    views: Mapping[str, Mapping[str, Mapping[str, float]]],
    ratings: Mapping[str, Sequence[Mapping[str, int]]],
) -> list[Fact]:
    """Every conflict-stage fact of one assessment, in a deterministic order."""
    facts: list[Fact] = []
    settings = kb.settings
    imposed = tuple(dict.fromkeys(imposed))
    unscored_recommended = bool(recommended(0, settings))  # a model no archetype links to
    unscored_avoided = bool(avoided(0, settings))
    kinds = {model: spec.kind for model, spec in kb.models.items()}
    archetypes = tuple(kb.archetypes)
    for model in imposed:
        facts.append({"kind": "imposed", "model": model, "model_kind": kb.models[model].kind})
    for unit in units:
        profile = unit.profile
        fact: Fact = {
            "kind": "unit",
            "uid": unit.id,
            "status": profile.status,
            "mixed": profile.mixed,
        }
        if unit.parent is not None:
            fact["parent"] = unit.parent
        if profile.dominant is not None:
            fact["dominant"] = profile.dominant
        if profile.secondary is not None:
            fact["secondary"] = profile.secondary
        facts.append({**fact, **unit.values})
        unit_views: dict[str, Mapping[str, float]] = dict(views.get(unit.id, {}))
        if profile.status == "ok" and profile.dominant is not None:
            unit_views["current"] = profile.weights
            scored = {m.model: m for m in unit.scored}
            for model in sorted(set(scored) | unit.in_use | set(imposed)):
                found = scored.get(model)
                fit: Fact = {
                    "kind": "fit",
                    "uid": unit.id,
                    "dominant": profile.dominant,
                    "model": model,
                    "model_kind": kinds[model],
                    "score": (0 if found is None else found.micro) / MICRO,
                    "in_use": model in unit.in_use,
                    "recommended": unscored_recommended if found is None else found.recommended,
                    "avoid": unscored_avoided if found is None else found.avoided,
                }
                if unit.parent is not None:
                    fit["parent"] = unit.parent
                cause = None if found is None else found.cause
                if cause is not None:
                    fit["cause"], fit["cause_share"] = cause
                facts.append(fit)
        facts.extend(_views(unit.id, unit_views, archetypes))
        facts.extend(_ratings(unit.id, ratings.get(unit.id, ())))
    facts.extend(_splits(kb, facts, imposed))
    return facts


def _splits(kb: KnowledgeBase, facts: Sequence[Fact], imposed: Sequence[str]) -> Iterable[Fact]:
    """Per unit with units under it and per model: how many of the group (the unit and those
    directly under it) the model is recommended for, how many should avoid it and how many use
    it. One fact per parent and model, so a rule on camps needs no pair of units: linear in the
    units."""
    groups: dict[tuple[str, str], list[Fact]] = {}
    own: dict[tuple[str, str], Fact] = {}
    parents = {str(f["parent"]) for f in facts if f["kind"] == "unit" and "parent" in f}
    for fact in facts:
        if fact["kind"] != "fit":
            continue
        uid, model = str(fact["uid"]), str(fact["model"])
        if "parent" in fact:
            groups.setdefault((str(fact["parent"]), model), []).append(fact)
        if uid in parents:
            own[(uid, model)] = fact
            groups.setdefault((uid, model), [])
    for (parent, model), children in sorted(groups.items()):
        mine = own.get((parent, model))
        members = [*children, *([mine] if mine is not None else [])]
        side = "neutral"
        if mine is not None and mine["recommended"]:
            side = "recommended"
        elif mine is not None and mine["avoid"]:
            side = "avoid"
        yield {
            "kind": "split",
            "parent": parent,
            "model": model,
            "model_kind": kb.models[model].kind,
            "units": len(members),
            "recommended": sum(1 for f in members if f["recommended"]),
            "avoid": sum(1 for f in members if f["avoid"]),
            "in_use": sum(1 for f in members if f["in_use"]),
            "imposed": model in imposed,
            "parent_side": side,
        }


def _views(
    uid: str, views: Mapping[str, Mapping[str, float]], archetypes: Sequence[str]
) -> Iterable[Fact]:
    present = [view for view in VIEWS if view in views]
    leads = {view: _lead(views[view], archetypes) for view in present}
    for view in present:
        weights = views[view]
        top = max(weights.values(), default=0.0)
        for archetype in archetypes:
            weight = _round(weights.get(archetype, 0.0))
            yield {
                "kind": "view",
                "uid": uid,
                "view": view,
                "archetype": archetype,
                "weight": weight,
                "top": top > 0 and weight == _round(top),
            }
    for first, second in combinations(present, 2):
        for archetype in archetypes:
            a = _round(views[first].get(archetype, 0.0))
            b = _round(views[second].get(archetype, 0.0))
            yield {
                "kind": "gap",
                "uid": uid,
                "first": first,
                "second": second,
                "archetype": archetype,
                "first_weight": a,
                "second_weight": b,
                "gap": _round(abs(a - b)),
                **_leads(leads[first], leads[second]),
            }


def _lead(weights: Mapping[str, float], archetypes: Sequence[str]) -> str | None:
    """The mode that leads a view (the first in pack order on a tie); None when all are 0."""
    top = max((_round(weights.get(a, 0.0)) for a in archetypes), default=0.0)
    if top <= 0:
        return None
    return next(a for a in archetypes if _round(weights.get(a, 0.0)) == top)


def _leads(first: str | None, second: str | None) -> Fact:
    found: Fact = {"crossing": first is not None and second is not None and first != second}
    if first is not None:
        found["first_lead"] = first
    if second is not None:
        found["second_lead"] = second
    return found


def _ratings(uid: str, answers: Sequence[Mapping[str, int]]) -> Iterable[Fact]:
    for rating in mode_ratings(answers):
        assert rating.mean is not None  # not withheld yet
        assert rating.respondents is not None
        yield {
            "kind": "rating",
            "uid": uid,
            "archetype": rating.archetype,
            "rating": rating.mean,
            "respondents": rating.respondents,
        }
        if rating.rwg is not None and rating.consensus is not None:
            yield {
                "kind": "agreement",
                "uid": uid,
                "archetype": rating.archetype,
                "respondents": rating.respondents,
                "rwg": rating.rwg,
                "consensus": rating.consensus,
            }


def mode_ratings(answers: Sequence[Mapping[str, int]]) -> list[ModeRating]:
    """Per archetype rated: the mean, the count, and agreement when two or more answered."""
    by_mode: dict[str, list[int]] = {}
    for answer in answers:
        for archetype, value in answer.items():
            by_mode.setdefault(archetype, []).append(value)
    result = []
    for archetype in sorted(by_mode):
        values = by_mode[archetype]
        several = len(values) >= 2
        result.append(
            ModeRating(
                archetype=archetype,
                mean=_round(sum(values) / len(values)),
                respondents=len(values),
                rwg=_round(rwg(values)) if several else None,
                consensus=_round(consensus(values)) if several else None,
            )
        )
    return result


def withheld_ratings(ratings: Sequence[ModeRating], floor: int) -> list[ModeRating]:
    """The ratings as the anonymity floor lets them be shown: a mode rated by fewer than
    `floor` respondents keeps its name and count, its figures withheld (None)."""
    return [
        r
        if r.respondents >= floor
        else ModeRating(
            archetype=r.archetype, mean=None, respondents=r.respondents, rwg=None, consensus=None
        )
        for r in ratings
    ]
