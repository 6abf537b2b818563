"""Survey answers counted and summarised: per organisation, per unit, and across organisations.

Only running counts are kept while the rows are read (`Tallies.add`), so memory grows with the
number of organisations and units, not of rows; sums of numbers are kept in millionths, exact in
any row order, so the same rows in any order give the same bytes.

Aggregation, per organisation and per unit (when given): respondents, roles, per mode the mean
rating, how many rated it and - with two or more - rwg and Tastle-Wierman consensus
(`agreement.py`), `dominant` (the single highest mean; when several modes share it, `dominant`
is None and `tied` lists them), `central` (mean >= 4, as the shipped say-do rule reads
"central") and `disputed` (rwg < 0.5 or consensus < 0.5 for some mode, the thresholds of the
shipped `respondents_disagree_on_mode` rule). Prevalence across organisations counts, per mode,
the organisations where it is the single dominant mode, those where it ties for the top (ties are
not split fractionally: a tied organisation counts for no mode's `dominant`) and those where it
is central; shares are of the organisations with at least one rating.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from modeadvisor._i18n import Message
from modeadvisor.advice import Anonymity, ModeRating
from modeadvisor.agreement import SCALE_HIGH, SCALE_LOW, consensus, rwg
from modeadvisor.anonymity import shown_groups
from modeadvisor.conditions import TraitValue
from modeadvisor.errors import Location, ModeAdvisorError, Problem, did_you_mean
from modeadvisor.knowledge import NUMBER_DECIMALS, KnowledgeBase, Trait, TraitType

__all__ = [
    "AGREEMENT_MIN",
    "CENTRAL_MIN",
    "ROLES",
    "SLOTS",
    "UNSPECIFIED_ROLE",
    "ArchetypeName",
    "GroupSummary",
    "ModePrevalence",
    "OrganisationSummary",
    "Prevalence",
    "SurveyError",
    "SurveyResult",
    "Tallies",
    "Thresholds",
    "TraitSummary",
    "UnitSummary",
]

#: A mode is central to a group when its mean rating is at least this (the say-do rule's "≥ 4").
CENTRAL_MIN = 4.0
#: Respondents disagree on a mode below this rwg or consensus (the shipped conflict rule's 0.5).
AGREEMENT_MIN = 0.5
#: Roles a respondent may give; an empty role counts as "unspecified".
ROLES = ("top_management", "middle_management", "expert", "other")
UNSPECIFIED_ROLE = "unspecified"
#: Counters per mode, one per rating 1-5: mode i rated r is counted at i * SLOTS + r - SCALE_LOW.
SLOTS = SCALE_HIGH - SCALE_LOW + 1

_MILLION = 10**NUMBER_DECIMALS


class SurveyError(ModeAdvisorError, ValueError):
    """A survey table is unreadable, malformed, or does not fit the knowledge base."""


# --- the result ------------------------------------------------------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ArchetypeName(_Out):
    """A mode of the knowledge base, with its names for the text output."""

    id: str
    en: str
    fi: str


class TraitSummary(_Out):
    """What the respondents of a group said of one trait."""

    trait: str
    type: TraitType
    respondents: int  # who gave a value
    mean: float | None  # scale and number traits; None too when withheld
    counts: dict[str, int]  # bool ("true"/"false"), category and set traits: respondents per value
    withheld: bool = False  # fewer gave a value than the anonymity floor: no mean, no counts


class GroupSummary(_Out):
    """The respondents of one organisation or unit, and how they rated the modes.

    `withheld`: the group has fewer respondents than the anonymity floor, or its figures could
    be recovered by subtracting others (`anonymity.shown_groups`): roles, ratings, the modes
    they make dominant or central, and trait answers are left out. A mode (or trait) answered
    by too few in a group that is shown has its figures None. Whether respondents disagree is
    a finding, not a figure, and is kept."""

    respondents: int
    roles: dict[str, int]  # role -> respondents; "unspecified" when the role was left empty
    ratings: list[ModeRating]  # per mode rated, sorted by archetype id
    dominant: str | None  # the single mode with the highest mean; None when tied or unrated
    tied: list[str]  # the modes sharing the highest mean, when there are several
    central: list[str]  # modes with mean >= CENTRAL_MIN
    disputed: bool  # some mode has rwg or consensus < AGREEMENT_MIN: the mean is no consensus
    disputed_modes: list[str]
    traits: list[TraitSummary]  # sorted by trait id
    withheld: bool = False


class UnitSummary(GroupSummary):
    unit: str


class OrganisationSummary(GroupSummary):
    """All respondents of an organisation (with or without a unit), and each unit apart."""

    organisation: str
    units: list[UnitSummary]  # sorted by name


class ModePrevalence(_Out):
    """How widespread one mode is across the organisations (and respondents) of the survey."""

    archetype: str
    dominant: int  # organisations where it alone has the highest mean
    dominant_share: float  # of the organisations with ratings
    tied: int  # organisations where it shares the highest mean with other modes
    central: int  # organisations where its mean is >= CENTRAL_MIN
    central_share: float
    respondents_central: int  # respondents who rated it 4 or 5
    respondents_central_share: float  # of all respondents


class Prevalence(_Out):
    organisations: int  # with at least one rating: the denominator of the shares
    tied: int  # organisations with no single dominant mode (a tie for the top)
    modes: list[ModePrevalence]  # sorted by archetype id
    most_prevalent: list[str]  # the mode(s) most often dominant; several when they tie


class Thresholds(_Out):
    central_mean: float
    agreement_min: float


class SurveyResult(_Out):
    """A survey aggregated. `to_json` is deterministic: the same rows in any order, same bytes."""

    respondents: int
    organisation_count: int
    unit_count: int
    roles: dict[str, int]
    archetypes: list[ArchetypeName]  # the pack's modes, in pack order (for display)
    thresholds: Thresholds
    prevalence: Prevalence  # over every organisation's figures: many groups, none exposed
    organisations: list[OrganisationSummary]  # sorted by name
    anonymity: Anonymity

    def organisation(self, name: str) -> OrganisationSummary:
        """One organisation's summary; raises SurveyError with a did-you-mean."""
        for summary in self.organisations:
            if summary.organisation == name:
                return summary
        names = [o.organisation for o in self.organisations]
        raise SurveyError(
            [
                Problem(
                    Location("<survey>"),
                    Message("no organisation '{name}' in the survey", name=name),
                    did_you_mean(name, names),
                )
            ]
        )

    def to_json(self) -> str:
        """Deterministic JSON with sorted keys; non-ASCII kept as UTF-8."""
        return (
            json.dumps(self.model_dump(mode="json"), indent=2, sort_keys=True, ensure_ascii=False)
            + "\n"
        )


# --- counting ------------------------------------------------------------------------------


class _TraitTally:
    __slots__ = ("counts", "respondents", "total")

    def __init__(self) -> None:
        self.respondents = 0
        #: Sum of numbers in millionths (they have at most 6 decimals): exact in any row order.
        self.total = 0
        self.counts: dict[str, int] = {}


class _Tally:
    """Running counts of one group: bounded by the catalogue, whatever the number of rows."""

    __slots__ = ("ratings", "respondents", "roles", "traits")

    def __init__(self, modes: int) -> None:
        self.respondents = 0
        self.roles: dict[str, int] = {}
        self.ratings = [0] * (modes * SLOTS)  # respondents per mode and rating
        self.traits: dict[str, _TraitTally] = {}

    def add(
        self, role: str, cells: Sequence[int], traits: Sequence[tuple[Trait, TraitValue]]
    ) -> None:
        """Count one respondent; `cells` index `ratings` (mode i, rating r: i * 5 + r - 1)."""
        self.respondents += 1
        self.roles[role] = self.roles.get(role, 0) + 1
        ratings = self.ratings
        for cell in cells:
            ratings[cell] += 1
        for trait, value in traits:
            tally = self.traits.get(trait.id)
            if tally is None:
                tally = self.traits[trait.id] = _TraitTally()
            tally.respondents += 1
            counts = tally.counts
            if isinstance(value, str):
                counts[value] = counts.get(value, 0) + 1
            elif isinstance(value, bool):
                key = "true" if value else "false"
                counts[key] = counts.get(key, 0) + 1
            elif isinstance(value, int | float):
                tally.total += round(value * _MILLION)
            else:
                for item in value:
                    counts[item] = counts.get(item, 0) + 1


class Tallies:
    """The running counts of a whole survey, and the result built from them."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.modes = tuple(kb.archetypes)
        self.by_id = sorted(enumerate(self.modes), key=lambda mode: mode[1])  # output order
        self.respondents = 0
        self.organisations: dict[str, _Tally] = {}
        self.units: dict[tuple[str, str], _Tally] = {}
        self.all_roles: dict[str, int] = {}
        self.all_ratings = [0] * (len(self.modes) * SLOTS)

    def add(
        self,
        organisation: str,
        unit: str,
        role: str,
        cells: Sequence[int],
        traits: Sequence[tuple[Trait, TraitValue]],
    ) -> None:
        """Count one respondent of an organisation (and of a unit, when not empty)."""
        self.respondents += 1
        modes = len(self.modes)
        tally = self.organisations.get(organisation)
        if tally is None:
            tally = self.organisations[organisation] = _Tally(modes)
        tally.add(role, cells, traits)
        if unit:
            unit_tally = self.units.get((organisation, unit))
            if unit_tally is None:
                unit_tally = self.units[(organisation, unit)] = _Tally(modes)
            unit_tally.add(role, cells, traits)
        self.all_roles[role] = self.all_roles.get(role, 0) + 1
        counts = self.all_ratings
        for cell in cells:
            counts[cell] += 1

    def result(self, min_respondents: int | None = None, show: bool = False) -> SurveyResult:
        """The survey summarised; each group's figures withheld below the anonymity floor
        (`min_respondents`, default the pack's), unless `show` lifts it (a working copy)."""
        floor = max(min_respondents or 0, self.kb.info.settings.min_respondents)
        guard = None if show else _Guard(self, floor)
        units_of: dict[str, list[UnitSummary]] = {}
        for (organisation, unit), tally in self.units.items():
            units_of.setdefault(organisation, []).append(
                UnitSummary(unit=unit, **self._group(tally))
            )
        organisations = [
            OrganisationSummary(
                organisation=name,
                **self._group(tally),
                units=sorted(units_of.get(name, []), key=lambda u: _order(u.unit)),
            )
            for name, tally in self.organisations.items()
        ]
        organisations.sort(key=lambda o: _order(o.organisation))
        prevalence = self._prevalence(organisations)  # before any group is withheld
        if guard is not None:
            organisations = [guard.organisation(o) for o in organisations]
        return SurveyResult(
            respondents=self.respondents,
            organisation_count=len(organisations),
            unit_count=len(self.units),
            roles=_sorted(self.all_roles),
            archetypes=[
                ArchetypeName(id=a.id, en=a.name.get("en"), fi=a.name.get("fi"))
                for a in self.kb.archetypes.values()
            ],
            thresholds=Thresholds(central_mean=CENTRAL_MIN, agreement_min=AGREEMENT_MIN),
            prevalence=prevalence,
            organisations=organisations,
            anonymity=Anonymity(min_respondents=floor, figures_shown=show),
        )

    def _group(self, tally: _Tally) -> dict[str, Any]:
        """The fields of a GroupSummary."""
        counts = tally.ratings
        ratings = [
            rating
            for mode, name in self.by_id
            if (rating := _mode_rating(name, tuple(counts[mode * SLOTS : (mode + 1) * SLOTS])))
        ]
        top = max((r.mean for r in ratings if r.mean is not None), default=None)
        leaders = [r.archetype for r in ratings if r.mean == top]
        disputed = [
            r.archetype
            for r in ratings
            if r.rwg is not None
            and r.consensus is not None
            and (r.rwg < AGREEMENT_MIN or r.consensus < AGREEMENT_MIN)
        ]
        traits = []
        for trait_id in sorted(tally.traits):
            trait_tally = tally.traits[trait_id]
            kind = self.kb.traits[trait_id].type
            numeric = kind in ("scale", "number")
            traits.append(
                TraitSummary(
                    trait=trait_id,
                    type=kind,
                    respondents=trait_tally.respondents,
                    mean=_round(trait_tally.total / _MILLION / trait_tally.respondents)
                    if numeric
                    else None,
                    counts=_sorted(trait_tally.counts),
                )
            )
        return {
            "respondents": tally.respondents,
            "roles": _sorted(tally.roles),
            "ratings": ratings,
            "dominant": leaders[0] if len(leaders) == 1 else None,
            "tied": leaders if len(leaders) > 1 else [],
            "central": [
                r.archetype for r in ratings if r.mean is not None and r.mean >= CENTRAL_MIN
            ],
            "disputed": bool(disputed),
            "disputed_modes": disputed,
            "traits": traits,
        }

    def _prevalence(self, organisations: Sequence[OrganisationSummary]) -> Prevalence:
        rated = [o for o in organisations if o.ratings]
        n = len(rated)
        modes = []
        for index, mode in self.by_id:
            dominant = sum(o.dominant == mode for o in rated)
            central = sum(mode in o.central for o in rated)
            counts = self.all_ratings[index * SLOTS : (index + 1) * SLOTS]
            high = sum(counts[int(CENTRAL_MIN) - SCALE_LOW :])
            modes.append(
                ModePrevalence(
                    archetype=mode,
                    dominant=dominant,
                    dominant_share=_share(dominant, n),
                    tied=sum(mode in o.tied for o in rated),
                    central=central,
                    central_share=_share(central, n),
                    respondents_central=high,
                    respondents_central_share=_share(high, self.respondents),
                )
            )
        most = max((m.dominant for m in modes), default=0)
        return Prevalence(
            organisations=n,
            tied=sum(bool(o.tied) for o in rated),
            modes=modes,
            most_prevalent=[m.archetype for m in modes if most > 0 and m.dominant == most],
        )


@functools.lru_cache(maxsize=4096)
def _mode_rating(archetype: str, counts: tuple[int, ...]) -> ModeRating | None:
    """What `situation.mode_ratings` gives for ratings counted per value 1-5; None if none.

    Cached: small groups repeat the same counts, and the frozen result can be shared.
    """
    values: list[int] = []
    for i, count in enumerate(counts):
        values.extend([SCALE_LOW + i] * count)
    if not values:
        return None
    several = len(values) >= 2
    return ModeRating(
        archetype=archetype,
        mean=_round(sum(values) / len(values)),
        respondents=len(values),
        rwg=_round(rwg(values)) if several else None,
        consensus=_round(consensus(values)) if several else None,
    )


def _round(value: float) -> float:
    return round(value, NUMBER_DECIMALS)


def _share(count: int, total: int) -> float:
    return _round(count / total) if total else 0.0


def _sorted(counts: dict[str, int]) -> dict[str, int]:
    return {key: counts[key] for key in sorted(counts)}


def _order(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


# --- the anonymity floor ---------------------------------------------------------------------

_Key = tuple[str, ...]  # (organisation,) or (organisation, unit)


class _Guard:
    """Which groups, and which of their modes and traits, may show their figures: each of at
    least `floor` respondents, and none recoverable by subtracting a unit from its organisation
    (`anonymity.shown_groups`, run for the respondents, then for each mode and trait)."""

    def __init__(self, tallies: Tallies, floor: int) -> None:
        self.floor = floor
        tallied: dict[_Key, _Tally] = {(name,): t for name, t in tallies.organisations.items()}
        tallied.update(dict(tallies.units.items()))
        parents: dict[_Key, _Key | None] = {
            key: key[:1] if len(key) > 1 else None for key in tallied
        }
        self.groups = shown_groups({k: t.respondents for k, t in tallied.items()}, parents, floor)
        self.modes: dict[str, set[_Key]] = {}
        for index, mode in enumerate(tallies.modes):
            raters = {
                k: sum(t.ratings[index * SLOTS : (index + 1) * SLOTS]) for k, t in tallied.items()
            }
            self.modes[mode] = shown_groups(raters, parents, floor, self.groups)
        self.traits: dict[str, set[_Key]] = {}
        for trait in {t for tally in tallied.values() for t in tally.traits}:
            answered = {
                k: (t.traits[trait].respondents if trait in t.traits else 0)
                for k, t in tallied.items()
            }
            self.traits[trait] = shown_groups(answered, parents, floor, self.groups)

    def organisation(self, summary: OrganisationSummary) -> OrganisationSummary:
        key = (summary.organisation,)
        units = [
            UnitSummary.model_validate(
                {"unit": u.unit, **self._fields(u, (summary.organisation, u.unit))}
            )
            for u in summary.units
        ]
        return OrganisationSummary.model_validate(
            {"organisation": summary.organisation, "units": units, **self._fields(summary, key)}
        )

    def _fields(self, group: GroupSummary, key: _Key) -> dict[str, Any]:
        kept: dict[str, Any] = {"respondents": group.respondents, "disputed": group.disputed}
        kept["disputed_modes"] = group.disputed_modes
        if key not in self.groups:
            return {
                **kept,
                "roles": {},
                "ratings": [],
                "dominant": None,
                "tied": [],
                "central": [],
                "traits": [],
                "withheld": True,
            }
        ratings = [
            r
            if key in self.modes[r.archetype]
            else ModeRating(
                archetype=r.archetype,
                mean=None,
                respondents=r.respondents,
                rwg=None,
                consensus=None,
            )
            for r in group.ratings
        ]
        traits = [
            t
            if key in self.traits[t.trait]
            else TraitSummary(
                trait=t.trait,
                type=t.type,
                respondents=t.respondents,
                mean=None,
                counts={},
                withheld=True,
            )
            for t in group.traits
        ]
        hidden = any(r.mean is None for r in ratings)
        return {
            **kept,
            "roles": group.roles,
            "ratings": ratings,
            # which mode leads is read off every mode's mean: not said when one is withheld
            "dominant": None if hidden else group.dominant,
            "tied": [] if hidden else group.tied,
            "central": [
                r.archetype for r in ratings if r.mean is not None and r.archetype in group.central
            ],
            "traits": traits,
            "withheld": hidden or any(t.withheld for t in traits),
        }
