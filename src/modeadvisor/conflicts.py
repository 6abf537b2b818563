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
from modeadvisor.advice import Conflict, FactValue, ModeRating, Profile
from modeadvisor.agreement import consensus, rwg
from modeadvisor.conditions import TraitValue
from modeadvisor.facts import FACT_KINDS, UNIT_FIELDS, VIEWS, Fact, Firing
from modeadvisor.graph import ScoredModel
from modeadvisor.knowledge import NUMBER_DECIMALS, ConflictRule, KnowledgeBase, Lang, Rule
from modeadvisor.scoring import MICRO, micro

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\}")
_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_YES_NO = {"en": ("yes", "no"), "fi": ("kyllä", "ei")}


def summarise(
    kb: KnowledgeBase,
    firings: Sequence[Firing],
    facts: Sequence[Fact],
    unit_names: Mapping[str, str],
    lang: Lang,
) -> list[Conflict]:
    """Group firings into conflicts (one per rule and set of units), explained in `lang`.

    Matches of one conflict are kept once each and ordered by their canonical JSON. A fact is
    made public (and written as JSON) once per rule that reads it, not once per firing: a fact
    takes part in many firings, and a large organisation has hundreds of thousands of them.
    """
    rules = {rule.id: rule for rule in kb.conflicts}
    groups: dict[tuple[str, tuple[str, ...]], dict[str, dict[str, dict[str, FactValue]]]] = {}
    shown = {rule.id: _PublicFacts(facts, _fields_read(rule)) for rule in kb.conflicts}
    for rule_id, bound in firings:
        public = shown[rule_id]
        units = tuple(sorted({u for i in bound.values() if (u := public.uid(i)) is not None}))
        # json.dumps(match, sort_keys=True), put together from each fact's own JSON
        key = (
            "{"
            + ", ".join(f"{public.alias(a)}: {public.json(bound[a])}" for a in sorted(bound))
            + "}"
        )
        found = groups.setdefault((rule_id, units), {})
        if key not in found:
            found[key] = {alias: public.fact(index) for alias, index in bound.items()}
    conflicts = []
    text = _Texts(kb, unit_names, lang)
    for (rule_id, units), found in groups.items():
        rule = rules[rule_id]
        matches = [found[key] for key in sorted(found)]
        spec = rule.spec
        # built, not validated: every value comes typed from the facts and the pack (the tests
        # validate the JSON of generated organisations); saves a copy of every match
        conflicts.append(
            Conflict.model_construct(
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


class _PublicFacts:
    """The facts as one rule shows them (unit facts keep only the traits it reads), each built
    and written as JSON once."""

    def __init__(self, facts: Sequence[Fact], read: frozenset[str]) -> None:
        self.facts, self.read = facts, read
        self._shown: dict[int, tuple[dict[str, FactValue], str]] = {}
        self._aliases: dict[str, str] = {}

    def alias(self, alias: str) -> str:
        found = self._aliases.get(alias)
        if found is None:
            found = self._aliases[alias] = json.dumps(alias)
        return found

    def _get(self, index: int) -> tuple[dict[str, FactValue], str]:
        found = self._shown.get(index)
        if found is None:
            shown = _public(self.facts[index], self.read)
            found = self._shown[index] = (shown, json.dumps(shown, sort_keys=True))
        return found

    def fact(self, index: int) -> dict[str, FactValue]:
        return dict(self._get(index)[0])  # a copy: no two matches share a mutable dict

    def json(self, index: int) -> str:
        return self._get(index)[1]

    def uid(self, index: int) -> str | None:
        uid = self.facts[index].get("uid")
        return None if uid is None else str(uid)


def _public(fact: Fact, read: frozenset[str]) -> dict[str, FactValue]:
    kind = str(fact["kind"])
    shown: dict[str, FactValue] = {}
    for name, value in fact.items():
        if kind == "unit" and name not in UNIT_FIELDS and name not in read and name != "kind":
            continue
        shown[name] = sorted(value) if isinstance(value, frozenset) else value
    return shown


class _Texts:
    """Fills `{alias.field}` placeholders with readable values; never `str.format`.

    Each template is split into text and placeholders once per rule, and each value is shown
    once: a large organisation fills hundreds of thousands of texts from a few thousand values.
    """

    def __init__(self, kb: KnowledgeBase, unit_names: Mapping[str, str], lang: Lang) -> None:
        self.kb, self.unit_names, self.lang = kb, unit_names, lang
        self._templates: dict[tuple[str, str], list[str | _Slot]] = {}
        self._shown: dict[tuple[str, str], dict[object, str]] = {}

    def fill(
        self,
        template: str,
        matches: Sequence[Mapping[str, Mapping[str, FactValue]]],
        rule: ConflictRule,
    ) -> str:
        parts = self._templates.get((template, rule.id))
        if parts is None:
            parts = self._templates[(template, rule.id)] = self._compile(template, rule)
        if len(parts) == 1 and isinstance(parts[0], str):
            return parts[0]
        out = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
                continue
            alias, field, kind, cache = part
            shown = [
                self.show(kind, field, m[alias].get(field), cache) for m in matches if alias in m
            ]
            out.append(shown[0] if len(shown) == 1 else ", ".join(dict.fromkeys(shown)))
        return "".join(out)

    def _compile(self, template: str, rule: ConflictRule) -> list[str | _Slot]:
        kinds = {p.alias: p.kind for p in rule.patterns}
        parts: list[str | _Slot] = []
        for part in _split(template):
            if isinstance(part, str):
                parts.append(part)
            else:
                alias, field = part
                kind = kinds[alias]
                cache = self._shown.setdefault((kind, field), {})
                parts.append((alias, field, kind, cache))
        return parts

    def show(
        self, kind: str, field: str, value: FactValue, cache: dict[object, str] | None = None
    ) -> str:
        if cache is None or isinstance(value, list):
            return self._show(kind, field, value)
        key = value if isinstance(value, str) else (type(value), value)  # 1 == 1.0 == True
        found = cache.get(key)
        if found is None:
            found = cache[key] = self._show(kind, field, value)
        return found

    def _show(self, kind: str, field: str, value: FactValue) -> str:
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


#: A placeholder ready to fill: alias, field, the kind of fact bound to the alias, and the texts
#: already shown for values of that field.
_Slot = tuple[str, str, str, dict[object, str]]


def _split(template: str) -> list[str | tuple[str, str]]:
    """A template as its text and its `{alias.field}` placeholders, in order."""
    parts: list[str | tuple[str, str]] = []
    at = 0
    for placeholder in _PLACEHOLDER.finditer(template):
        parts.append(template[at : placeholder.start()])
        parts.append((placeholder[1], placeholder[2]))
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
    rules: tuple[Rule, ...]  # the scoring rules that fired, in pack order


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
            scores = {m.advice.model: m.micro for m in unit.scored}
            for model in sorted(set(scores) | unit.in_use | set(imposed)):
                score = scores.get(model, 0)
                fit: Fact = {
                    "kind": "fit",
                    "uid": unit.id,
                    "dominant": profile.dominant,
                    "model": model,
                    "model_kind": kb.models[model].kind,
                    "score": score / MICRO,
                    "in_use": model in unit.in_use,
                    "recommended": score >= micro(settings.recommend_min),
                    "avoid": score <= -micro(settings.avoid_min),
                }
                if unit.parent is not None:
                    fit["parent"] = unit.parent
                facts.append(fit)
        facts.extend(_views(unit.id, unit_views, tuple(kb.archetypes)))
        facts.extend(_ratings(unit.id, ratings.get(unit.id, ())))
    return facts


def _views(
    uid: str, views: Mapping[str, Mapping[str, float]], archetypes: Sequence[str]
) -> Iterable[Fact]:
    present = [view for view in VIEWS if view in views]
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
            }


def _ratings(uid: str, answers: Sequence[Mapping[str, int]]) -> Iterable[Fact]:
    for rating in mode_ratings(answers):
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
