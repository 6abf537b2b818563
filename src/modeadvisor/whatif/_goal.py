"""What a what-if is asked to reach: a dominant mode, a recommended model, or a unit out of a
finding."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from modeadvisor._i18n import Message
from modeadvisor.errors import Location, OrganisationError, Problem, did_you_mean
from modeadvisor.knowledge import ConflictRule, KnowledgeBase
from modeadvisor.whatif._world import Finding

_WHERE = Location("<what-if>")


@dataclass(frozen=True)
class Goal:
    """`target`: the mode to make dominant. Otherwise the unit is to take part in no finding
    of `kind`, or (narrower) no finding with the id `finding` or with a match of `rule`."""

    target: str | None = None
    kind: str | None = None
    finding: str | None = None
    rule: str | None = None
    #: the model to make recommended for the unit (what why-not asks of a model)
    recommend: str | None = None

    @property
    def text(self) -> str:
        if self.target is not None:
            return f"dominant: {self.target}"
        if self.recommend is not None:
            return f"recommended: {self.recommend}"
        return f"clear: {self.finding or self.rule or self.kind}"

    @property
    def of_profile(self) -> bool:
        """A goal the unit's profile alone decides: no conflict rule, no model change."""
        return self.target is not None or self.recommend is not None

    def holds(self, unit: str, findings: Mapping[str, Finding]) -> bool:
        """Whether the unit is out of every finding the goal is about."""
        return not any(self.about(f) and unit in f.units for f in findings.values())

    def about(self, finding: Finding) -> bool:
        if self.finding is not None:
            return finding.id == self.finding
        if self.rule is not None:
            return self.rule in finding.rules
        return finding.kind == self.kind

    def rules(self, kb: KnowledgeBase) -> list[ConflictRule]:
        """The conflict rules that can make a finding of the goal."""
        return [rule for rule in kb.conflicts if rule.spec.kind == self.kind]


def goal(
    kb: KnowledgeBase,
    unit: str,
    findings: Mapping[str, Finding],
    target: str | None,
    clear: str | None,
) -> Goal:
    """The goal named by `target` (an archetype) or `clear` (a conflict kind, a finding id such
    as `measurement_misfit:balanced_scorecard`, or a conflict rule id); a located error with a
    did-you-mean otherwise."""
    if (target is None) == (clear is None):
        raise OrganisationError(
            [Problem(_WHERE, Message("give either a target archetype or a conflict to clear"))]
        )
    if target is not None:
        if target not in kb.archetypes:
            raise OrganisationError(
                [
                    Problem(
                        _WHERE,
                        Message("unknown archetype '{target}'", target=target),
                        did_you_mean(target, kb.archetypes),
                    )
                ]
            )
        return Goal(target=target)
    assert clear is not None
    kinds = {rule.spec.kind for rule in kb.conflicts}
    rules = {rule.id: rule.spec.kind for rule in kb.conflicts}
    own = sorted(f.id for f in findings.values() if unit in f.units)
    if clear in kinds:
        return Goal(kind=clear)
    if clear in rules:
        return Goal(kind=rules[clear], rule=clear)
    if clear in own:
        return Goal(kind=findings[clear].kind, finding=clear)
    raise OrganisationError([Problem(_WHERE, _unknown(clear, unit, own), _hint(clear, own, kinds))])


def _unknown(clear: str, unit: str, own: Collection[str]) -> str:
    if ":" in clear:
        return Message("no finding '{clear}' names unit '{unit}'", clear=clear, unit=unit)
    return Message(
        "'{clear}' is no conflict kind, conflict rule or finding of unit '{unit}'",
        clear=clear,
        unit=unit,
    )


def _hint(clear: str, own: Collection[str], kinds: Collection[str]) -> str:
    known = [*own, *sorted(kinds)]
    suggestion = did_you_mean(clear, known)
    if suggestion:
        return suggestion
    if own:
        return Message("the unit's findings: {names}", names=", ".join(own))
    return Message(
        "the unit takes part in no finding; conflict kinds: {names}", names=", ".join(sorted(kinds))
    )
