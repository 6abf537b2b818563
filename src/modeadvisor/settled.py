"""How settled an answer is: could the unobserved traits change a unit's dominant mode, or its
top recommendation, once they are observed?

Exact, by this argument. A rule that fired holds on observed traits only (a test on a trait the
unit did not observe is false, negated or not), so observing more never stops it; what can change
is which other rules start to fire. Join the unobserved traits that one rule reads together into
groups: each rule that could start depends on one group, so the raw weights (millionths per mode)
are the current ones plus one change per group, and a group's change depends on its traits only.
A trait's values are taken one per class of values no test of a rule tells apart (and "still not
observed"), so every group is enumerated whole, with the vectorised scorer. Then:

- mode B can overtake the dominant mode A iff the current lead of A over B is at most the sum,
  over the groups, of the largest gain of B over A a group can give (ties go to the mode listed
  first, as in the profile);
- model M' can overtake the top recommendation M iff the smallest value of the sum over modes of
  (M's link weight minus M''s) x raw weight can fall below zero; M can stop being recommended iff
  the sum of (M's link weight - recommend_min) x raw weight can (a score is a ratio of raw
  weights with one denominator, so both are linear in them). Link pushes are rounded to
  millionths in the scores, so a tie within a millionth may go either way.

A unit without enough evidence for a mode is open: observing more can name one. A group with
more than `MAX_ROWS` combinations is not enumerated: the answer is then `open` and says it is
not exact.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from modeadvisor import conditions as cond
from modeadvisor.backends._vectorised import Scorer, rule_weights, variants
from modeadvisor.conflicts import UnitState
from modeadvisor.graph import recommended
from modeadvisor.knowledge import KnowledgeBase, Lang, Trait
from modeadvisor.reports.labels import decimal, label
from modeadvisor.scoring import MICRO

IntArray = npt.NDArray[np.int64]
#: The most combinations of one group of traits enumerated.
MAX_ROWS = 200_000
#: Traits named as the ones that could change the answer most.
DECIDING = 3
_STEP = 1e-6


class TraitPull(BaseModel):
    """An unobserved trait, the value that pulls hardest towards another answer, and how hard
    (raw weight of the rival over the current answer)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    trait: str
    value: bool | int | float | str | list[str]
    towards: str
    gain: float
    shown: str = ""  # the value as a reader reads it, in the language of the answer


class Settled(BaseModel):
    """Whether a unit's dominant mode and top recommendation could change."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: str
    unobserved: int
    exact: bool
    dominant: str | None
    mode: Literal["settled", "open"]
    could_lead: list[str]  # modes that could become dominant
    top: str | None  # the top recommendation
    recommendation: Literal["settled", "open"] | None
    could_top: list[str]  # models that could overtake it
    top_could_drop: bool  # it could fall below recommend_min
    deciding: list[TraitPull]
    language: Lang = "en"
    names: dict[str, str] = {}

    def to_text(self) -> str:
        lang, name = self.language, self._name
        key = "settled.mode_" + ("insufficient" if self.dominant is None else self.mode)
        lines = [
            label(key, lang, mode=name(self.dominant or "-"), n=self.unobserved),
        ]
        if self.could_lead:
            modes = ", ".join(name(m) for m in self.could_lead)
            lines.append("  " + label("settled.could_lead", lang, modes=modes))
        if self.top is not None:
            key = "settled.top_" + (self.recommendation or "open")
            lines.append(label(key, lang, model=name(self.top)))
            if self.could_top:
                models = ", ".join(name(m) for m in self.could_top)
                lines.append("  " + label("settled.could_top", lang, models=models))
            if self.top_could_drop:
                lines.append("  " + label("settled.could_drop", lang))
        if self.deciding:
            pulls = "; ".join(
                f"{name(p.trait)} = {p.shown or p.value} "
                f"({name(p.towards)} +{decimal(p.gain, lang, '.2f')})"
                for p in self.deciding
            )
            lines.append("  " + label("settled.deciding", lang, pulls=pulls))
        if not self.exact:
            lines.append("  " + label("settled.not_exact", lang))
        return "\n".join(lines) + "\n"

    def _name(self, key: str) -> str:
        return self.names.get(key, key)


def _shown(trait: Trait, value: object, lang: Lang) -> str:
    """A value as a reader reads it: yes or no, a number with the reader's decimal mark, a
    category or set value by its label."""
    if isinstance(value, bool):
        return label("yes" if value else "whatif.no", lang)
    if isinstance(value, list):
        return "{" + ", ".join(trait.value_label(str(v), lang) for v in value) + "}"
    if isinstance(value, float | int):
        return decimal(value, lang)
    return trait.value_label(str(value), lang)


def settled(
    kb: KnowledgeBase, scorer: Scorer, state: UnitState, lang: Lang, names: dict[str, str]
) -> Settled:
    """How settled the unit's dominant mode and top recommendation are (module docstring)."""
    values = state.values
    unobserved = [t for t in kb.traits.values() if t.id not in values]
    groups, exact = _groups(kb, values, unobserved)
    base = _raw(kb, scorer, values, [{}])[0]
    changes = [_group_changes(kb, scorer, values, base, group) for group in groups]
    profile = state.profile
    archetypes = list(kb.archetypes)
    ok = profile.status == "ok" and profile.dominant is not None
    could_lead: list[str] = []
    pulls: list[TraitPull] = []
    if ok:
        assert profile.dominant is not None
        lead = archetypes.index(profile.dominant)
        could_lead, rival = _rivals(archetypes, base, changes, lead)
        pulls = _pulls(kb, scorer, values, base, unobserved, lead, rival)
    top = next((m for m in state.scored if recommended(m.micro, kb.settings)), None)
    could_top: list[str] = []
    drop = False
    if ok and top is not None:
        could_top, drop = _top(kb, state, base, changes, top.model)
    open_mode = not ok or bool(could_lead) or not exact
    return Settled(
        unit=state.id,
        unobserved=len(unobserved),
        exact=exact,
        dominant=profile.dominant if ok else None,
        mode="open" if open_mode else "settled",
        could_lead=could_lead,
        top=top.model if top is not None and ok else None,
        recommendation=(
            None
            if top is None or not ok
            else ("open" if could_top or drop or not exact else "settled")
        ),
        could_top=could_top,
        top_could_drop=drop,
        deciding=[
            p.model_copy(update={"shown": _shown(kb.traits[p.trait], p.value, lang)}) for p in pulls
        ],
        language=lang,
        names=names,
    )


def _rivals(
    archetypes: Sequence[str], base: IntArray, changes: Sequence[IntArray], lead: int
) -> tuple[list[str], int]:
    """The modes that could overtake the dominant one, and the closest rival."""
    could, closest, best = [], -1, None
    for other in range(len(archetypes)):
        if other == lead:
            continue
        gain = sum(int(np.max(c[:, other] - c[:, lead])) for c in changes)
        margin = int(base[lead] - base[other])
        if gain > margin or (gain == margin and other < lead):
            could.append(archetypes[other])
        if best is None or gain - margin > best:
            closest, best = other, gain - margin
    return could, closest


def _top(
    kb: KnowledgeBase,
    state: UnitState,
    base: IntArray,
    changes: Sequence[IntArray],
    top: str,
) -> tuple[list[str], bool]:
    """The models that could overtake the top recommendation, and whether it could drop
    below recommend_min; each test is the smallest value of a linear form of raw weights."""
    coefficients = _coefficients(kb)
    mine = coefficients[top]

    def lowest(form: npt.NDArray[np.float64]) -> float:
        return float(base @ form) + sum(float(np.min(c @ form)) for c in changes)

    order = {m.model: (kb.models[m.model].kind, m.model) for m in state.scored}
    could = []
    for model, theirs in coefficients.items():
        if model == top:
            continue
        low = lowest(mine - theirs)
        key = (kb.models[model].kind, model)
        if low < 0 or (low == 0 and key < order.get(top, (kb.models[top].kind, top))):
            could.append(model)
    drop = lowest(mine - kb.settings.recommend_min) < 0
    return sorted(could), drop


def _coefficients(kb: KnowledgeBase) -> dict[str, npt.NDArray[np.float64]]:
    """Each model's score per unit of each mode's weight: the signed strengths of its links."""
    archetypes = list(kb.archetypes)
    found = {m: np.zeros(len(archetypes)) for m in kb.models}
    for link in kb.links:
        if link.relation == "evolves_to":
            continue
        sign = 1.0 if link.relation == "suits" else -1.0
        found[link.target][archetypes.index(link.source_node)] += sign * link.strength
    return found


def _pulls(
    kb: KnowledgeBase,
    scorer: Scorer,
    values: Mapping[str, cond.TraitValue],
    base: IntArray,
    unobserved: Sequence[Trait],
    lead: int,
    rival: int,
) -> list[TraitPull]:
    """The unobserved traits that, observed alone, pull hardest towards the closest rival."""
    if rival < 0:
        return []
    rows: list[dict[str, cond.TraitValue]] = []
    owners: list[Trait] = []
    for trait in unobserved:
        for value in _classes(kb, trait):
            if value is not None:
                rows.append({trait.id: value})
                owners.append(trait)
    if not rows:
        return []
    raw = _raw(kb, scorer, values, rows)
    gain = (raw[:, rival] - base[rival]) - (raw[:, lead] - base[lead])
    best: dict[str, tuple[int, cond.TraitValue]] = {}
    for row, trait in enumerate(owners):
        if gain[row] > 0 and gain[row] > best.get(trait.id, (0, None))[0]:
            best[trait.id] = (int(gain[row]), rows[row][trait.id])
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:DECIDING]
    rival_id = list(kb.archetypes)[rival]
    return [
        TraitPull(trait=t, value=_plain(v), towards=rival_id, gain=round(g / MICRO, 4))
        for t, (g, v) in ranked
    ]


def _plain(value: cond.TraitValue | None) -> Any:
    return sorted(value) if isinstance(value, frozenset) else value


def _raw(
    kb: KnowledgeBase,
    scorer: Scorer,
    values: Mapping[str, cond.TraitValue],
    rows: Sequence[Mapping[str, cond.TraitValue]],
) -> IntArray:
    """Raw weights (millionths per mode) of the unit with each row's traits set."""
    fired = scorer.fired(variants(kb, values, rows))
    raw: IntArray = fired.astype(np.int64) @ rule_weights(kb)
    return raw


def _group_changes(
    kb: KnowledgeBase,
    scorer: Scorer,
    values: Mapping[str, cond.TraitValue],
    base: IntArray,
    group: Sequence[Trait],
) -> IntArray:
    """Every change of the raw weights the group's traits can make: one row per combination."""
    classes = [_classes(kb, trait) for trait in group]
    rows = [
        {t.id: v for t, v in zip(group, combo, strict=True) if v is not None}
        for combo in itertools.product(*classes)
    ]
    changed: IntArray = _raw(kb, scorer, values, rows) - base
    return changed


def _groups(
    kb: KnowledgeBase, values: Mapping[str, cond.TraitValue], unobserved: Sequence[Trait]
) -> tuple[list[list[Trait]], bool]:
    """The unobserved traits that rules which could still start read together, in groups;
    False when a group has too many combinations to enumerate."""
    missing = {t.id for t in unobserved}
    parent = {t: t for t in missing}

    def root(t: str) -> str:
        while parent[t] != t:
            parent[t] = parent[parent[t]]
            t = parent[t]
        return t

    touched: set[str] = set()
    for rule in kb.compiled.rules:
        # a rule adds its weight once however many of its branches hold: the traits of all its
        # branches that could still start are one group (per branch, two branches on different
        # traits would each add the weight, and the bound would count it twice)
        needed: set[str] = set()
        for conjunction in rule.alternatives:
            leaves = [test.leaf for test in conjunction]
            if any(
                leaf.trait not in missing and not cond.evaluate(leaf, values) for leaf in leaves
            ):
                continue  # an observed test fails: this branch cannot start
            needed.update(leaf.trait for leaf in leaves if leaf.trait in missing)
        ordered = sorted(needed)
        touched.update(ordered)
        for other in ordered[1:]:
            parent[root(other)] = root(ordered[0])
    by_root: dict[str, list[Trait]] = {}
    for trait in unobserved:
        if trait.id in touched:
            by_root.setdefault(root(trait.id), []).append(trait)
    groups, exact = [], True
    for group in by_root.values():
        size = 1
        for trait in group:
            size *= len(_classes(kb, trait))
        if size > MAX_ROWS:
            exact = False
            continue
        groups.append(group)
    return groups, exact


def _classes(kb: KnowledgeBase, trait: Trait) -> list[cond.TraitValue | None]:
    """One value per class of values no rule's test tells apart, and None (still unobserved)."""
    leaves = [
        test.leaf
        for rule in kb.compiled.rules
        for conjunction in rule.alternatives
        for test in conjunction
        if test.leaf.trait == trait.id
    ]
    seen: dict[tuple[bool, ...], cond.TraitValue] = {}
    for value in _candidates(trait, leaves):
        signature = tuple(cond.evaluate(leaf, {trait.id: value}) for leaf in leaves)
        seen.setdefault(signature, value)
    return [None, *seen.values()]


def _candidates(trait: Trait, leaves: Sequence[cond.Leaf]) -> list[cond.TraitValue]:
    choices = trait.choices()
    if choices is not None:
        return list(choices)
    match trait.type:
        case "set":
            tested = sorted({leaf.value for leaf in leaves if isinstance(leaf, cond.Member)})
            return [
                frozenset(combo)
                for size in range(len(tested) + 1)
                for combo in itertools.combinations(tested, size)
            ]
    numbers: set[float] = set()
    for leaf in leaves:
        if isinstance(leaf, cond.Comparison) and isinstance(leaf.value, int | float):
            point = float(leaf.value)
            numbers |= {round(point + d, 6) for d in (-_STEP, 0.0, _STEP)}
    low = trait.min if trait.min is not None else -float("inf")
    high = trait.max if trait.max is not None else float("inf")
    inside: list[cond.TraitValue] = sorted(n for n in numbers if low <= n <= high)
    return inside or [trait.min if trait.min is not None else 0.0]
