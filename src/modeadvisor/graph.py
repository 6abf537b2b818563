"""The graph of archetypes and models (networkx), and scoring models for a profile through it.

Nodes are archetypes and management/measurement models; edges are the pack's links: `suits` and
`poor_fit` from an archetype to a model (with strength, reason, source), and `evolves_to` between
archetypes (S-G3). A model's score for a unit is the sum over the unit's archetype weights of
weight x strength, positive for `suits` and negative for `poor_fit`, so a unit that is half
production and half development gets no push for the balanced scorecard either way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import numpy as np
import numpy.typing as npt

from modeadvisor.advice import Direction, ModelAdvice, Reason
from modeadvisor.knowledge import KnowledgeBase, Lang, Link, Settings
from modeadvisor.profile import Profiles
from modeadvisor.reports.labels import label
from modeadvisor.scoring import MICRO, NUMBER_DECIMALS, micro

if TYPE_CHECKING:  # imported where a graph is built: scoring a table needs neither
    import networkx as nx
    import pydot

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

SCORE_DECIMALS = 4


@dataclass(frozen=True, slots=True)
class Push:
    """One link's push on one unit's score of its model."""

    link: Link
    relation: Literal["suits", "poor_fit"]  # the link's (a scoring link's) relation
    micro: int  # weight x strength, signed, in millionths
    weight: float  # the unit's weight of the link's archetype, rounded for reading


@dataclass(frozen=True, slots=True)
class ScoredModel:
    """A model some archetype of a unit's profile links to: its exact score in millionths (what
    decisions compare), the verdicts on that score, and each link's push, largest first."""

    model: str
    micro: int
    recommended: bool
    avoided: bool
    in_use: bool
    pushes: tuple[Push, ...]

    @property
    def cause(self) -> tuple[str, float] | None:
        """The mode whose link pushes the score down most (as the advice shows the pushes: a
        push that rounds to 0 pushes nothing), and its share of the profile."""
        worst: tuple[float, str, float] | None = None
        for push in self.pushes:
            contribution = round(push.micro / MICRO, SCORE_DECIMALS)
            if contribution < 0:
                candidate = (contribution, push.link.source_node, push.weight)
                worst = candidate if worst is None else min(worst, candidate)
        return None if worst is None else (worst[1], round(worst[2], NUMBER_DECIMALS))


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
        import networkx as nx

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
        #: Per archetype, its `evolves_to` links by target: read for every unit's direction.
        self._evolves: dict[str, list[Link]] = {
            archetype: [
                data["link"]
                for _, _, data in sorted(graph.out_edges(archetype, data=True))
                if data["relation"] == "evolves_to"
            ]
            for archetype in kb.archetypes
        }

    def score_models(
        self, found: Profiles, scores: ModelScores, in_use: Sequence[frozenset[str]]
    ) -> list[list[ScoredModel]]:
        """Per unit, every model some archetype of its profile links to, scored, best first.

        The figures are `model_scores`' own, read off unit by unit: one arithmetic for the
        advice, its explanation, the conflict facts and every backend. Units whose profile is
        not ok reach no model.
        """
        links = [link for link, _, _ in scores.pushes]
        size = found.weights.shape[0]
        found_rows: list[list[ScoredModel]] = [[] for _ in range(size)]
        if not links:
            return found_rows
        active = np.stack([a for _, _, a in scores.pushes], axis=1)
        pushed = np.stack([p for _, p, _ in scores.pushes], axis=1)
        rows, columns = np.nonzero(active)  # row by row, links in pack order
        bounds = np.searchsorted(rows, np.arange(size + 1)).tolist()
        pushes, columns_list = pushed[rows, columns].tolist(), columns.tolist()
        weights = found.weights.tolist()
        archetype_of = [list(self.kb.archetypes).index(link.source_node) for link in links]
        model_of = [list(self.kb.models).index(link.target) for link in links]
        kinds = {model: spec.kind for model, spec in self.kb.models.items()}
        relations: list[Literal["suits", "poor_fit"]] = [
            "suits" if link.relation == "suits" else "poor_fit" for link in links
        ]
        for row in range(size):
            start, end = bounds[row], bounds[row + 1]
            if start == end:
                continue
            rounded = [round(w, SCORE_DECIMALS) for w in weights[row]]
            reached: dict[int, list[Push]] = {}
            for column, push in zip(columns_list[start:end], pushes[start:end], strict=True):
                reached.setdefault(model_of[column], []).append(
                    Push(links[column], relations[column], push, rounded[archetype_of[column]])
                )
            totals = scores.micro[row].tolist()
            good, bad = scores.recommended[row].tolist(), scores.avoided[row].tolist()
            scored = []
            for model, model_pushes in reached.items():
                target = model_pushes[0].link.target
                model_pushes.sort(key=lambda p: (-abs(p.micro), p.link.source_node))
                scored.append(
                    ScoredModel(
                        model=target,
                        micro=totals[model],
                        recommended=good[model],
                        avoided=bad[model],
                        in_use=target in in_use[row],
                        pushes=tuple(model_pushes),
                    )
                )
            scored.sort(key=lambda m: (-m.micro, kinds[m.model], m.model))
            found_rows[row] = scored
        return found_rows

    def advice(self, unit_id: str, scored: ScoredModel, lang: Lang) -> ModelAdvice:
        """A scored model as the advice shows it: its score and the path behind each push."""
        spec = self.kb.models[scored.model]
        return ModelAdvice.model_construct(
            ModelAdvice.every_field,
            model=scored.model,
            name=spec.name.get(lang),
            kind=spec.kind,
            score=round(scored.micro / MICRO, SCORE_DECIMALS),
            in_use=scored.in_use,
            because=[
                Reason.model_construct(
                    Reason.every_field,
                    path=[unit_id, push.link.source_node, scored.model],
                    archetype=push.link.source_node,
                    relation=push.relation,
                    archetype_weight=push.weight,
                    strength=push.link.strength,
                    contribution=round(push.micro / MICRO, SCORE_DECIMALS),
                    reason=push.link.reason.get(lang),
                    source=list(push.link.source),
                )
                for push in scored.pushes
            ],
        )

    def directions(self, archetype: str, lang: Lang) -> list[Direction]:
        """The `evolves_to` links out of an archetype."""
        return [
            Direction.model_construct(
                Direction.every_field,
                to=link.target,
                towards=self._towards(link.target, lang),
                reason=link.reason.get(lang),
                source=list(link.source),
            )
            for link in self._evolves[archetype]
        ]

    def _towards(self, archetype: str, lang: Lang) -> str:
        mode = self.kb.archetypes[archetype]
        form = mode.forms.get(lang, {}).get("partitive" if lang == "fi" else "nominative")
        if form is None:
            return label("towards", lang, mode=mode.name.get(lang))
        return label("towards_form", lang, mode=form)

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
        import networkx as nx

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
    recommended: BoolArray  # by the score alone: `recommended`, `avoided`
    avoided: BoolArray
    #: per scoring link (suits or poor_fit): its push on each unit in millionths, and where it
    #: pushes at all (the unit's profile is ok and gives the link's archetype some weight)
    pushes: tuple[tuple[Link, IntArray, BoolArray], ...]


def model_scores(kb: KnowledgeBase, found: Profiles) -> ModelScores:
    """Every unit's score of every model at once: sign x archetype weight x link strength,
    rounded half-to-even to millionths per link, then summed — the one model arithmetic."""
    archetypes, models = list(kb.archetypes), list(kb.models)
    size = found.weights.shape[0]
    links = [link for link in kb.links if link.relation != "evolves_to"]
    # a row per archetype or link, a column per unit: each row contiguous
    active = found.ok[None, :] & (found.weights.T > 0)  # a link pushes where its source weighs
    weight = np.where(active, found.weights.T, 0.0)
    sources = [archetypes.index(link.source_node) for link in links]
    # (sign x weight) x strength is weight x (sign x strength) to the bit: a sign only negates
    factors = [(1.0 if link.relation == "suits" else -1.0) * link.strength for link in links]
    pushed = np.empty((len(links), size), dtype=np.int64)
    score = np.zeros((len(models), size), dtype=np.int64)
    reached = np.zeros((len(models), size), dtype=np.bool_)
    each = np.empty(size)  # one link's push at a time, kept in the processor's cache
    for row, (link, source, factor) in enumerate(zip(links, sources, factors, strict=True)):
        np.multiply(weight[source], factor, out=each)
        each *= MICRO
        pushed[row] = np.rint(each, out=each)  # half to even, then exact as an integer
        column = models.index(link.target)
        score[column] += pushed[row]
        reached[column] |= active[source]
    pushes = tuple(
        (link, pushed[row], active[source])
        for row, (link, source) in enumerate(zip(links, sources, strict=True))
    )
    score, reached = np.ascontiguousarray(score.T), np.ascontiguousarray(reached.T)
    return ModelScores(
        score,
        reached,
        recommended(score, kb.settings),
        avoided(score, kb.settings),
        tuple(pushes),
    )
