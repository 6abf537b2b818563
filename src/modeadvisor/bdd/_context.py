"""What a scenario has said so far, and the checks that every id a step names is known."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modeadvisor.advice import Advice, UnitAdvice
from modeadvisor.errors import did_you_mean
from modeadvisor.knowledge import SEVERITIES, KnowledgeBase, Settings


class UnknownNameError(AssertionError):
    """A step names an id the pack (or the scenario) does not know: the scenario fails.

    An `AssertionError`, so pytest reports it as a failed check, not an error in the plugin;
    it fails positive and negative steps alike, so `"balanced_scorecrd" is not recommended`
    cannot pass by naming nothing.
    """


def check_known(what: str, name: str, known: Iterable[str], where: str = "the pack") -> None:
    """Fail the scenario when `name` is not one of `known`, with a did-you-mean."""
    ids = sorted(set(known))
    if name in ids:
        return
    hint = did_you_mean(name, ids)
    listed = ", ".join(ids[:12]) + (", ..." if len(ids) > 12 else "")
    raise UnknownNameError(
        f"unknown {what} '{name}' in {where}" + (f": {hint}" if hint else f"; known: {listed}")
    )


@dataclass
class AdviceContext:
    """What a scenario has said so far: the units described and the advice obtained.

    `kb` is the pack the scenario runs against (every id a step names is checked in it);
    `base` is the folder of the feature file, which paths in steps are relative to.
    """

    kb: KnowledgeBase = field(repr=False)
    base: Path = field(default_factory=Path.cwd)
    units: list[dict[str, Any]] = field(default_factory=list)
    organisation: dict[str, Any] = field(default_factory=dict)  # imposed models, respondents
    settings: dict[str, float | str] = field(default_factory=dict)
    #: the language the advice is written in (`When ... assessed in Finnish` sets fi)
    lang: str | None = None
    organisation_file: Path | None = None
    advice: Advice | None = field(default=None, repr=False)
    #: every advice the scenario obtained, for rule coverage
    assessed: list[Advice] = field(default_factory=list, repr=False)

    @property
    def current(self) -> dict[str, Any]:
        if not self.units:
            raise AssertionError('no unit described yet: start with Given a unit "..." ...')
        return self.units[-1]

    # -- ids named by steps, checked against the pack -------------------------------------

    def model(self, name: str) -> str:
        check_known("model", name, self.kb.models)
        return name

    def models(self, names: str) -> list[str]:
        return [self.model(m.strip()) for m in names.split(",")]

    def archetype(self, name: str) -> str:
        check_known("mode (archetype)", name, self.kb.archetypes)
        return name

    def rule(self, name: str) -> str:
        check_known("scoring rule", name, (r.id for r in self.kb.rules))
        return name

    def source(self, name: str) -> str:
        check_known("source id", name, self.kb.sources)
        return name

    def trait(self, name: str) -> str:
        check_known("trait", name, self.kb.traits)
        return name

    def conflict_kind(self, name: str) -> str:
        check_known("conflict kind", name, (c.spec.kind for c in self.kb.conflicts))
        return name

    def severity(self, name: str) -> str:
        check_known("severity", name, SEVERITIES, "the severities")
        return name

    def finding(self, name: str) -> str:
        """A finding id (`topic:about:...`) whose topic a conflict rule of the pack has."""
        check_known("finding topic", name.split(":", 1)[0], (c.topic for c in self.kb.conflicts))
        return name

    def setting(self, name: str) -> str:
        check_known("setting", name, Settings.model_fields, "the pack settings")
        return name

    def described_unit(self, name: str) -> str:
        """A unit described earlier in the scenario (a parent, say)."""
        check_known("unit", name, (str(u["id"]) for u in self.units), "this scenario")
        return name

    def unit_advice(self, unit_id: str | None = None) -> UnitAdvice:
        """The advice of a unit the assessment knows (the last one described by default)."""
        advice = self.assessed_advice()
        if unit_id is None:
            unit_id = str(self.current["id"]) if self.units else advice.units[-1].id
        check_known("unit", unit_id, units_of(advice), "the assessed organisation")
        return advice.unit(unit_id)

    def assessed_advice(self) -> Advice:
        if self.advice is None:
            raise AssertionError("nothing assessed yet: add a When step")
        return self.advice

    def assessed_units(self, names: Collection[str]) -> list[str]:
        advice = self.assessed_advice()
        for name in names:
            check_known("unit", name, units_of(advice), "the assessed organisation")
        return list(names)

    def path(self, written: str) -> Path:
        """A path written in a step, relative to the feature file's folder."""
        return (self.base / written).resolve()


def units_of(advice: Advice) -> list[str]:
    return [unit.id for unit in advice.units]
