"""What the history store gives back: saved assessments and how each unit changed between them.

Pure data (pydantic, JSON out) and pure functions from an `Advice`; nothing here touches a
database, so the server and the tests read the same models the store returns.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from modeadvisor.advice import Advice, ProfileStatus, Severity
from modeadvisor.knowledge import KnowledgeBase, Lang

#: Weight changes are rounded to this many decimals: the weights themselves carry six.
DECIMALS = 6


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PackHash(_Model):
    """One layer of the knowledge base an assessment was made with, and its content hash."""

    id: str
    hash: str  # "sha256:<hex>" of the layer's files (`KnowledgeBase.hashes`)


class FindingSnapshot(_Model):
    id: str
    kind: str
    severity: Severity
    units: list[str]


class UnitSnapshot(_Model):
    """A unit as one assessment saw it: what `changes` compares."""

    id: str
    name: str
    parent: str | None
    status: ProfileStatus
    dominant: str | None
    mixed: bool
    weights: dict[str, float]
    recommendations: list[str]  # model ids, best first
    findings: list[str]  # ids of the findings the unit is in


class Assessment(_Model):
    """One saved assessment: who, when, with which packs, and each unit's outcome."""

    id: int
    organisation: str  # the organisation's key (`organisation_key` of its name)
    name: str  # the organisation's name as its file gives it
    assessed_at: datetime  # UTC
    language: Lang
    packs: list[PackHash]
    archetypes: dict[str, str]  # id -> name, in the assessment's language
    kinds: dict[str, str] = {}  # kinds of finding, id -> name, in the assessment's language
    units: list[UnitSnapshot]
    findings: list[FindingSnapshot]


class StoredAssessment(_Model):
    """A saved assessment in full: the organisation as given, and the advice as it was."""

    assessment: Assessment
    input: dict[str, Any]
    advice: Advice


class WeightChange(_Model):
    archetype: str
    before: float
    after: float
    change: float  # after - before


class FindingChange(_Model):
    """A finding that appeared (`before` None), cleared (`after` None) or changed severity."""

    id: str
    kind: str
    before: Severity | None
    after: Severity | None


class UnitChange(_Model):
    """How one unit changed from one assessment to the next."""

    unit: str
    name: str
    presence: Literal["both", "added", "removed"]
    dominant_before: str | None
    dominant_after: str | None
    weights: list[WeightChange]  # every mode either assessment weighs, in the pack's order
    recommended_added: list[str]
    recommended_removed: list[str]
    findings: list[FindingChange]  # the unit's findings that appeared, cleared or changed

    @property
    def changed(self) -> bool:
        return (
            self.presence != "both"
            or self.dominant_before != self.dominant_after
            or any(w.change != 0 for w in self.weights)
            or bool(self.recommended_added or self.recommended_removed or self.findings)
        )


class AssessmentChange(_Model):
    """What changed between two consecutive assessments of an organisation."""

    before: int  # assessment ids
    after: int
    before_at: datetime
    after_at: datetime
    packs_changed: list[str]  # layers added, removed or with another content hash
    units: list[UnitChange]
    findings: list[FindingChange]  # every finding of the organisation that changed


class History(_Model):
    """An organisation's saved assessments, oldest first, and the changes between them."""

    organisation: str
    name: str
    unit: str | None  # the one unit asked for, or None for all
    units: dict[str, str]  # every unit of the saved assessments: id -> its latest name
    assessments: list[Assessment]
    changes: list[AssessmentChange]


# --- building them ---------------------------------------------------------------------------


def organisation_key(name: str) -> str:
    """The key an organisation's history is kept under: its name in lower case ASCII, words
    joined by hyphens ("Pohjolan Konepaja Oy" -> "pohjolan-konepaja-oy"; "ä" -> "a"). A name
    with no letter or digit at all gets "org-" and a hash of it. Safe in a URL path."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    key = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:100].strip("-")
    if key:
        return key
    return "org-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


def pack_hashes(knowledge_base: KnowledgeBase) -> list[PackHash]:
    """Every layer of the knowledge base with its content hash, bottom first."""
    return [
        PackHash(id=pack, hash=knowledge_base.hashes.get(pack, ""))
        for pack in knowledge_base.layers
    ]


def unit_snapshots(advice: Advice) -> list[UnitSnapshot]:
    findings: dict[str, list[str]] = {}
    for conflict in advice.conflicts:
        for unit in conflict.units:
            findings.setdefault(unit, []).append(conflict.id)
    return [
        UnitSnapshot(
            id=unit.id,
            name=unit.name,
            parent=unit.parent,
            status=unit.profile.status,
            dominant=unit.profile.dominant,
            mixed=unit.profile.mixed,
            weights=dict(unit.profile.weights),
            recommendations=[m.model for m in unit.recommendations],
            findings=findings.get(unit.id, []),
        )
        for unit in advice.units
    ]


def finding_snapshots(advice: Advice) -> list[FindingSnapshot]:
    return [
        FindingSnapshot(id=c.id, kind=c.kind, severity=c.severity, units=list(c.units))
        for c in advice.conflicts
    ]


def compare(before: Assessment, after: Assessment, unit: str | None = None) -> AssessmentChange:
    """What changed from `before` to `after`: every unit (or only `unit`), and the findings."""
    old = {u.id: u for u in before.units}
    new = {u.id: u for u in after.units}
    order = [u.id for u in after.units] + [u.id for u in before.units if u.id not in new]
    if unit is not None:
        order = [u for u in order if u == unit]
    modes = list(after.archetypes) + [a for a in before.archetypes if a not in after.archetypes]
    old_findings = {f.id: f for f in before.findings}
    new_findings = {f.id: f for f in after.findings}
    changed = _finding_changes(old_findings, new_findings, _always)
    units = [
        _unit_change(old.get(uid), new.get(uid), modes, old_findings, new_findings) for uid in order
    ]
    if unit is not None:
        mine = {f.id for u in units for f in u.findings}
        changed = [f for f in changed if f.id in mine]
    return AssessmentChange(
        before=before.id,
        after=after.id,
        before_at=before.assessed_at,
        after_at=after.assessed_at,
        packs_changed=_packs_changed(before.packs, after.packs),
        units=units,
        findings=changed,
    )


def _always(finding: FindingSnapshot) -> bool:
    return True


def _finding_changes(
    old: dict[str, FindingSnapshot],
    new: dict[str, FindingSnapshot],
    counts: Callable[[FindingSnapshot], bool],
) -> list[FindingChange]:
    """Findings that appeared, cleared or changed severity; `counts` says whether a finding
    counts as there (for a unit: whether it names the unit)."""
    ids = list(new) + [f for f in old if f not in new]
    found = []
    for fid in ids:
        before = old[fid] if fid in old and counts(old[fid]) else None
        after = new[fid] if fid in new and counts(new[fid]) else None
        either = after or before
        if either is None or (before and after and before.severity == after.severity):
            continue
        found.append(
            FindingChange(
                id=fid,
                kind=either.kind,
                before=before.severity if before else None,
                after=after.severity if after else None,
            )
        )
    return found


def _unit_change(
    before: UnitSnapshot | None,
    after: UnitSnapshot | None,
    modes: Sequence[str],
    old_findings: dict[str, FindingSnapshot],
    new_findings: dict[str, FindingSnapshot],
) -> UnitChange:
    either = after or before
    assert either is not None  # the unit is in one of them
    old_w = before.weights if before else {}
    new_w = after.weights if after else {}
    weighed = [m for m in modes if m in old_w or m in new_w]
    weighed += sorted((set(old_w) | set(new_w)) - set(weighed))
    old_r = before.recommendations if before else []
    new_r = after.recommendations if after else []

    def names_it(finding: FindingSnapshot) -> bool:
        return either.id in finding.units

    return UnitChange(
        unit=either.id,
        name=either.name,
        presence="both" if before and after else ("added" if after else "removed"),
        dominant_before=before.dominant if before else None,
        dominant_after=after.dominant if after else None,
        weights=[
            WeightChange(
                archetype=m,
                before=old_w.get(m, 0.0),
                after=new_w.get(m, 0.0),
                change=round(new_w.get(m, 0.0) - old_w.get(m, 0.0), DECIMALS) + 0.0,
            )
            for m in weighed
        ],
        recommended_added=[m for m in new_r if m not in old_r],
        recommended_removed=[m for m in old_r if m not in new_r],
        findings=_finding_changes(old_findings, new_findings, names_it),
    )


def _packs_changed(before: Sequence[PackHash], after: Sequence[PackHash]) -> list[str]:
    old = {p.id: p.hash for p in before}
    new = {p.id: p.hash for p in after}
    ids = [p.id for p in after] + [p.id for p in before if p.id not in new]
    return [pack for pack in ids if old.get(pack) != new.get(pack)]
