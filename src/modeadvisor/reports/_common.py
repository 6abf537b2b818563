"""What every output for people shares: numbers in the reader's language, counted nouns, the unit
tree, the views of a profile and the phrases built from an advice (mode line, coverage, links).

Each is written once here, so that text, Markdown, HTML and the charts cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from modeadvisor.advice import (
    Advice,
    Conflict,
    Evidence,
    JsonValue,
    ModeRating,
    Reason,
    SelfAssessment,
    UnitAdvice,
)
from modeadvisor.knowledge import Lang
from modeadvisor.reports.labels import LABELS, decimal, label, plural

# --- words and numbers -----------------------------------------------------------------------


def cap(text: str) -> str:
    """A label as a heading or the start of a sentence: its first letter upper case."""
    return text[:1].upper() + text[1:]


def integer(n: int, lang: Lang) -> str:
    # Finnish groups thousands with a (no-break) space, English with a comma
    return f"{n:,}".replace(",", "\u00a0") if lang == "fi" else f"{n:,}"


def number(value: float, lang: Lang, digits: int = 2) -> str:
    shown = f"{value:.{digits}f}"
    return shown.replace(".", ",") if lang == "fi" else shown


def signed(value: float, lang: Lang, digits: int = 2) -> str:
    """A score with its sign: +0.90, -0,39."""
    shown = f"{value:+.{digits}f}"
    return shown.replace(".", ",") if lang == "fi" else shown


def percent(share: float, lang: Lang, digits: int = 0) -> str:
    # Finnish puts a space before the percent sign
    shown = number(share * 100, lang, digits)
    return f"{shown} %" if lang == "fi" else f"{shown}%"


def moment(at: datetime, lang: Lang) -> str:
    """A moment in UTC as a reader writes it: 2026-03-01 12:05 UTC, 1.3.2026 klo 12.05 UTC."""
    if lang == "fi":
        return f"{at.day}.{at.month}.{at.year} klo {at.hour}.{at.minute:02d} UTC"
    return at.strftime("%Y-%m-%d %H:%M UTC")


def day(at: datetime, lang: Lang) -> str:
    """A day as a reader writes it: 2026-03-01, 1.3.2026."""
    return f"{at.day}.{at.month}.{at.year}" if lang == "fi" else at.strftime("%Y-%m-%d")


def count(key: str, n: int, lang: Lang) -> str:
    """`n` and the counted noun `key` in the form that follows it: "5 respondents"."""
    return f"{integer(n, lang)} {plural(key, n, lang)}"


def optional(figure: float | None, lang: Lang) -> str:
    """An agreement figure, or a dash where there is none (a single respondent)."""
    return "—" if figure is None else number(figure, lang)


def value(shown: JsonValue) -> str:
    """A trait value as the organisation file would write it."""
    if isinstance(shown, bool):
        return "true" if shown else "false"
    if isinstance(shown, list):
        return "[" + ", ".join(map(str, shown)) + "]"
    return str(shown)


# --- findings of many units -----------------------------------------------------------------

#: Units named in a finding's heading, and detail lines shown under it, before the rest are
#: counted: a parent of 2,000 units is one finding, and its heading stays one line.
SHOWN_UNITS = 8
SHOWN_DETAILS = 12


def finding_units(conflict: Conflict, lang: Lang) -> tuple[list[str], str | None]:
    """The units a finding's heading names, and "and N more" for the rest (None if none)."""
    shown = conflict.units[:SHOWN_UNITS]
    rest = len(conflict.units) - len(shown)
    return shown, label("more_units", lang, n=integer(rest, lang)) if rest else None


def separator(names: Iterable[str]) -> str:
    """What separates the names of a finding's units: a comma, or a semicolon where a name
    holds a comma itself ("Konsernin johto; Tuotekehitys, Espoo" is two units, not three)."""
    return "; " if any("," in name for name in names) else ", "


def finding_details(conflict: Conflict, lang: Lang) -> tuple[list[str], str | None]:
    """The detail lines shown, and a line counting the rest (None if all are shown)."""
    shown = conflict.details[:SHOWN_DETAILS]
    rest = len(conflict.details) - len(shown)
    return shown, label("more_details", lang, n=integer(rest, lang)) if rest else None


# --- phrases built from an advice ------------------------------------------------------------


def archetype(advice: Advice, archetype_id: str) -> str:
    return advice.archetypes.get(archetype_id, archetype_id)


def finding_kind(advice: Advice, kind: str) -> str:
    """A finding's kind as the pack names it (its id where the pack gives it no name)."""
    return advice.kinds.get(kind, kind)


def weights_line(advice: Advice, weights: Mapping[str, float]) -> str:
    """Weights over the modes by name, in the reader's number format."""
    lang = advice.language
    return "  ".join(f"{archetype(advice, a)} {number(w, lang)}" for a, w in weights.items())


def mode_line(advice: Advice, unit: UnitAdvice) -> str:
    """The dominant mode with its weight, the secondary one, and whether the profile is mixed."""
    lang, profile = advice.language, unit.profile
    if profile.dominant is None:
        return label("no_mode", lang)
    text = (
        f"{archetype(advice, profile.dominant)} "
        f"({number(profile.weights.get(profile.dominant, 0), lang)})"
    )
    if profile.secondary:
        text += (
            f", {label('then', lang)} {archetype(advice, profile.secondary)} "
            f"({number(profile.weights.get(profile.secondary, 0), lang)})"
        )
    return text + (f" — {label('mixed', lang)}" if profile.mixed else "")


def coverage(advice: Advice, unit: UnitAdvice) -> str:
    cov = unit.profile.coverage
    return label(
        "coverage",
        advice.language,
        fired=cov.fired_rules,
        observed=cov.observed_traits,
        catalogue=cov.catalogue_traits,
        share=percent(cov.share, advice.language),
    )


def link(advice: Advice, reason: Reason) -> str:
    """The figures of one graph link: strength x weight = contribution to the model's score."""
    return label(
        "link",
        advice.language,
        strength=decimal(reason.strength, advice.language),
        weight=number(reason.archetype_weight, advice.language),
        contribution=signed(reason.contribution, advice.language),
    )


def matched(evidence: Evidence) -> str:
    return ", ".join(f"{trait} = {value(v)}" for trait, v in evidence.matched.items())


def evidence_weights(advice: Advice, evidence: Evidence) -> str:
    """A fired rule's weights, each with its share of the unit's profile."""
    share = label("share", advice.language)
    return ", ".join(
        f"{archetype(advice, a)} +{decimal(w, advice.language)} ({share} "
        f"{number(evidence.contribution.get(a, 0.0), advice.language)})"
        for a, w in evidence.weights.items()
    )


def meta(advice: Advice) -> str:
    """The line under a report's title: rule pack, number of units and of conflicts."""
    return label(
        "meta",
        advice.language,
        pack=advice.pack.id,
        version=advice.pack.version,
        units=len(advice.units),
        conflicts=len(advice.conflicts),
    )


def working_copy(advice: Advice) -> str | None:
    """The warning every output carries when the anonymity floor was lifted."""
    anonymity = advice.anonymity
    if not anonymity.figures_shown:
        return None
    return label("figures_shown", advice.language, n=anonymity.min_respondents)


def respondents(advice: Advice, assessment: SelfAssessment) -> str:
    """How many respondents a self-assessment rests on, and whether figures are withheld."""
    said = count("respondents", assessment.respondents, advice.language)
    if assessment.withheld:
        floor = advice.anonymity.min_respondents
        said += f" ({label('withheld_group', advice.language, n=floor)})"
    return said


def verdict(assessment: SelfAssessment) -> str | None:
    """The label saying whether respondents agree: `disputed` (a finding, said whatever the
    floor), `agreed` where two or more respondents' figures are shown, else nothing (one
    respondent agrees with no one; a withheld group's agreement is one of its figures)."""
    if assessment.disputed:
        return "disputed"
    if assessment.respondents < 2 or not assessment.ratings:
        return None
    return "agreed"


def rating_cells(advice: Advice, rating: ModeRating) -> tuple[str, str, str, str]:
    """A mode's mean, raters, rwg and consensus as a table shows them; withheld ones said so."""
    lang = advice.language
    if rating.mean is None:
        withheld = label("withheld", lang)
        return withheld, integer(rating.respondents, lang), withheld, withheld
    return (
        number(rating.mean, lang, 1),
        integer(rating.respondents, lang),
        optional(rating.rwg, lang),
        optional(rating.consensus, lang),
    )


# --- views of a profile ----------------------------------------------------------------------

VIEW_ORDER = ("current", "desired", "strategy")


def view_label(view: str, lang: Lang) -> str:
    key = f"view.{view}"
    return label(key, lang) if key in LABELS else view


def views(unit: UnitAdvice) -> list[tuple[str, Mapping[str, float]]]:
    """The views a chart draws: the observed profile (only when it names a mode), then the stated
    ones — desired and strategy first, any others by name, so the order never depends on input."""
    shown: list[tuple[str, Mapping[str, float]]] = []
    if unit.profile.dominant is not None:
        shown.append(("current", unit.profile.weights))
    stated = sorted(
        unit.perspectives,
        key=lambda v: (VIEW_ORDER.index(v) if v in VIEW_ORDER else len(VIEW_ORDER), v),
    )
    shown.extend((view, unit.perspectives[view]) for view in stated)
    return shown


def weight_rows(unit: UnitAdvice) -> list[tuple[str, Mapping[str, float]]]:
    """The rows of a unit's weight table: the observed profile always (a table, unlike a chart,
    can show a profile that names no mode), then the stated views."""
    return [("current", unit.profile.weights), *((v, w) for v, w in views(unit) if v != "current")]


# --- the unit tree ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Index:
    """Look-ups made once per report, so that a large organisation renders in linear time."""

    slugs: dict[str, str]  # unit id -> safe id for HTML ids and chart file names
    names: dict[str, str]  # unit id -> display name
    conflicts: dict[str, list[tuple[int, Conflict]]]  # unit id -> its conflicts, numbered


def build_index(advice: Advice) -> Index:
    """Slugs: ids from an organisation file are already safe, but an Advice read from other JSON
    need not be, and a '/' in a file name would write outside the chart folder. They are kept
    unique without regard to case, as macOS and Windows file systems ignore it."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for unit in advice.units:
        base = re.sub(r"[^A-Za-z0-9_.-]", "_", unit.id).lstrip("._-") or "unit"
        slug, n = base, 2
        while slug.lower() in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug.lower())
        slugs.setdefault(unit.id, slug)
    conflicts: dict[str, list[tuple[int, Conflict]]] = {}
    for k, conflict in enumerate(advice.conflicts, 1):
        for unit_id in dict.fromkeys(conflict.units):
            conflicts.setdefault(unit_id, []).append((k, conflict))
    return Index(slugs, {unit.id: unit.name for unit in advice.units}, conflicts)


def tree(advice: Advice) -> list[tuple[UnitAdvice, int]]:
    """Units top-down with their depth, siblings in the advice's order.

    Iterative, as a deep tree must not hit the recursion limit; a unit whose parent is not in
    the advice counts as a top unit, and each unit is visited once even if parents loop.
    """
    ids = {unit.id for unit in advice.units}
    children: dict[str | None, list[UnitAdvice]] = {}
    for unit in advice.units:
        parent = unit.parent if unit.parent in ids and unit.parent != unit.id else None
        children.setdefault(parent, []).append(unit)
    order: list[tuple[UnitAdvice, int]] = []
    seen: set[str] = set()
    stack = [(unit, 0) for unit in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        if unit.id in seen:
            continue
        seen.add(unit.id)
        order.append((unit, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(unit.id, [])))
    # units only reachable through a loop of parents: list them at the top, not lose them
    order.extend((unit, 0) for unit in advice.units if unit.id not in seen)
    return order
