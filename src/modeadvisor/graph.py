"""The graph of archetypes and models (networkx), and scoring models for a profile through it.

Nodes are archetypes and management/measurement models; edges are the pack's links: `suits` and
`poor_fit` from an archetype to a model (with strength, reason, source), and `evolves_to` between
archetypes (S-G3). A model's score for a unit is the sum over the unit's archetype weights of
weight x strength, positive for `suits` and negative for `poor_fit`, so a unit that is half
production and half development gets no push for the balanced scorecard either way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import pydot

from modeadvisor.advice import Direction, ModelAdvice, Reason
from modeadvisor.knowledge import KnowledgeBase, Lang
from modeadvisor.scoring import MICRO, contribution

SCORE_DECIMALS = 4


@dataclass(frozen=True, slots=True)
class ScoredModel:
    """A model's advice and its exact score in millionths (what decisions compare)."""

    advice: ModelAdvice
    micro: int


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
        self, unit_id: str, weights: Mapping[str, float], in_use: frozenset[str], lang: Lang
    ) -> list[ScoredModel]:
        """Every model some archetype of the profile links to, scored with its reasons.

        `weights` are the exact profile weights; scores are summed in millionths
        (`scoring.contribution`), so every backend computes the same.
        """
        reasons: dict[str, list[tuple[Reason, int]]] = {}
        for archetype, weight in weights.items():
            if weight <= 0:
                continue
            for _, model, data in sorted(self.graph.out_edges(archetype, data=True)):
                relation = data["relation"]
                if relation == "evolves_to":
                    continue
                sign = 1.0 if relation == "suits" else -1.0
                link = data["link"]
                pushed = contribution(sign, weight, link.strength)
                reasons.setdefault(model, []).append(
                    (
                        Reason(
                            path=[unit_id, archetype, model],
                            archetype=archetype,
                            relation=relation,
                            archetype_weight=round(weight, SCORE_DECIMALS),
                            strength=link.strength,
                            contribution=round(pushed / MICRO, SCORE_DECIMALS),
                            reason=link.reason.get(lang),
                            source=list(link.source),
                        ),
                        pushed,
                    )
                )
        scored = []
        for model_id, pairs in reasons.items():
            spec = self.kb.models[model_id]
            pairs.sort(key=lambda pair: (-abs(pair[1]), pair[0].archetype))
            total = sum(pushed for _, pushed in pairs)
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
