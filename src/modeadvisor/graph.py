"""The graph of archetypes and models (networkx), and scoring models for a profile through it.

Nodes are archetypes and management/measurement models; edges are the pack's links: `suits` and
`poor_fit` from an archetype to a model (with strength, reason, source), and `evolves_to` between
archetypes (S-G3). A model's score for a unit is the sum over the unit's archetype weights of
weight x strength, positive for `suits` and negative for `poor_fit`, so a unit that is half
production and half development gets no push for the balanced scorecard either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeVar

import networkx as nx
import numpy as np
import numpy.typing as npt
import pydot

from modeadvisor.advice import Direction, ModelAdvice, Reason
from modeadvisor.knowledge import KnowledgeBase, Lang, Link, Settings
from modeadvisor.profile import Profiles
from modeadvisor.scoring import MICRO, micro

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

SCORE_DECIMALS = 4


@dataclass(frozen=True, slots=True)
class ScoredModel:
    """A model's advice and its exact score in millionths (what decisions compare)."""

    advice: ModelAdvice
    micro: int


Score = TypeVar("Score", int, IntArray)


def recommended(score: Score, settings: Settings) -> Any:
    """Whether a model with this score (millionths; one or an array) is recommended: the one
    threshold every stage reads (advice, conflict facts, tables, what-if)."""
    return score >= micro(settings.recommend_min)


def avoided(score: Score, settings: Settings) -> Any:
    """Whether a model with this score (millionths; one or an array) is to be avoided."""
    return score <= -micro(settings.avoid_min)


class ModeGraph:
    """Archetype → model graph of one knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        graph: nx.DiGraph[str] = nx.DiGraph()
        for archetype in kb.archetypes.values():
            graph.add_node(archetype.id, type="archetype")
        for model in kb.models.values():
            graph.add_node(model.id, type="model", kind=model.kind)
        for link in kb.links:
            graph.add_edge(
                link.source_node,
                link.target,
                relation=link.relation,
                strength=link.strength,
                link=link,
            )
        self.graph: nx.DiGraph[str] = nx.freeze(graph)

    def score_models(
        self,
        unit_id: str,
        row: int,
        found: Profiles,
        scores: ModelScores,
        in_use: frozenset[str],
        lang: Lang,
    ) -> list[ScoredModel]:
        """Every model some archetype of unit `row`'s profile links to, with its reasons.

        The figures are `model_scores`' own, read off for one unit: one arithmetic for the
        advice, its explanation and every backend.
        """
        archetypes = list(self.kb.archetypes)
        reasons: dict[str, list[tuple[Reason, int]]] = {}
        for link, pushed, active in scores.pushes:
            if not active[row]:
                continue
            archetype = link.source_node
            push = int(pushed[row])
            weight = float(found.weights[row, archetypes.index(archetype)])
            reasons.setdefault(link.target, []).append(
                (
                    Reason(
                        path=[unit_id, archetype, link.target],
                        archetype=archetype,
                        relation=link.relation,
                        archetype_weight=round(weight, SCORE_DECIMALS),
                        strength=link.strength,
                        contribution=round(push / MICRO, SCORE_DECIMALS),
                        reason=link.reason.get(lang),
                        source=list(link.source),
                    ),
                    push,
                )
            )
        scored = []
        for model_id, pairs in reasons.items():
            spec = self.kb.models[model_id]
            pairs.sort(key=lambda pair: (-abs(pair[1]), pair[0].archetype))
            total = sum(push for _, push in pairs)
            advice = ModelAdvice(
                model=model_id,
                name=spec.name.get(lang),
                kind=spec.kind,
                score=round(total / MICRO, SCORE_DECIMALS),
                in_use=model_id in in_use,
                because=[r for r, _ in pairs],
            )
            scored.append(ScoredModel(advice, total))
        return sorted(scored, key=lambda m: (-m.micro, m.advice.kind, m.advice.model))

    def directions(self, archetype: str, lang: Lang) -> list[Direction]:
        """The `evolves_to` links out of an archetype."""
        return [
            Direction(
                to=target, reason=data["link"].reason.get(lang), source=list(data["link"].source)
            )
            for _, target, data in sorted(self.graph.out_edges(archetype, data=True))
            if data["relation"] == "evolves_to"
        ]

    # -- export ---------------------------------------------------------------------------

    def to_mermaid(self, lang: Lang = "en") -> str:
        """A Mermaid flowchart: archetypes as rounded nodes, models by kind, links labelled."""
        lines = ["flowchart LR"]
        for node in sorted(self.graph.nodes):
            data = self.graph.nodes[node]
            label = _mermaid_text(self._label(node, lang))
            if data["type"] == "archetype":
                lines.append(f'  {node}(["{label}"])')
            elif data["kind"] == "management":
                lines.append(f'  {node}["{label}"]')
            else:
                lines.append(f'  {node}[/"{label}"/]')
        for source, target in sorted(self.graph.edges):
            edge = self.graph.edges[source, target]
            text = f"{edge['relation']} {edge['strength']:g}"
            arrow = {"suits": "-->", "poor_fit": "-.->", "evolves_to": "==>"}[edge["relation"]]
            lines.append(f"  {source} {arrow}|{text}| {target}")
        return "\n".join(lines) + "\n"

    def to_dot(self, lang: Lang = "en") -> str:
        """Graphviz DOT, through pydot (which does the quoting and escaping)."""
        export: nx.DiGraph[str] = nx.DiGraph(name="modeadvisor")
        for node in sorted(self.graph.nodes):
            data = self.graph.nodes[node]
            shape = (
                "ellipse"
                if data["type"] == "archetype"
                else ("box" if data["kind"] == "management" else "parallelogram")
            )
            export.add_node(node, label=self._label(node, lang), shape=shape)
        styles = {"suits": "solid", "poor_fit": "dashed", "evolves_to": "bold"}
        for source, target in sorted(self.graph.edges):
            edge = self.graph.edges[source, target]
            export.add_edge(
                source,
                target,
                label=f"{edge['relation']} {edge['strength']:g}",
                style=styles[edge["relation"]],
            )
        dot: pydot.Dot = nx.nx_pydot.to_pydot(export)
        return str(dot.to_string())

    def _label(self, node: str, lang: Lang) -> str:
        if node in self.kb.archetypes:
            return self.kb.archetypes[node].name.get(lang)
        return self.kb.models[node].name.get(lang)


def _mermaid_text(text: str) -> str:
    """Mermaid labels in quotes take anything but a double quote; use its entity code."""
    return re.sub(r'"', "#quot;", text)


@dataclass(frozen=True)
class ModelScores:
    """Every unit's model scores, and each link's push that makes them up."""

    micro: IntArray  # (units, models)
    reached: BoolArray
    #: per scoring link (suits or poor_fit): its push on each unit in millionths, and where it
    #: pushes at all (the unit's profile is ok and gives the link's archetype some weight)
    pushes: tuple[tuple[Link, IntArray, BoolArray], ...]


def model_scores(kb: KnowledgeBase, found: Profiles) -> ModelScores:
    """Every unit's score of every model at once: sign x archetype weight x link strength,
    rounded half-to-even to millionths per link, then summed — the one model arithmetic."""
    archetypes, models = list(kb.archetypes), list(kb.models)
    size = found.weights.shape[0]
    score = np.zeros((size, len(models)), dtype=np.int64)
    reached = np.zeros((size, len(models)), dtype=np.bool_)
    pushes = []
    for link in kb.links:
        if link.relation == "evolves_to":
            continue
        sign = 1.0 if link.relation == "suits" else -1.0
        weight = found.weights[:, archetypes.index(link.source_node)]
        active = found.ok & (weight > 0)
        pushed = np.rint(sign * weight * link.strength * MICRO).astype(np.int64)
        column = models.index(link.target)
        pushed = np.where(active, pushed, 0)
        score[:, column] += pushed
        reached[:, column] |= active
        pushes.append((link, pushed, active))
    return ModelScores(score, reached, tuple(pushes))
