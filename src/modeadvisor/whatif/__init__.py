"""What-if: repairs a manager can make, so that a mode becomes dominant or a unit is out of a
finding.

- `_moves`: the single changes (models in use, exemptions from imposed models, levers, traits
  the caller allows, a stated view) and their costs;
- `_world`: the unit in its organisation, every variant assessed with its neighbours;
- `_goal`: what to reach, named by the caller and checked;
- `_search`: singles, then pairs and triples of the most promising; ranked and made distinct;
- `_result`: the answer (`WhatIf`, `Repair`, `Change`) and its text in English and Finnish.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from modeadvisor._i18n import Message
from modeadvisor.backends._vectorised import Scorer
from modeadvisor.conflicts import UnitState
from modeadvisor.errors import Location, OrganisationError, Problem, UnknownUnitError, did_you_mean
from modeadvisor.graph import ModeGraph
from modeadvisor.knowledge import KnowledgeBase, Lang
from modeadvisor.whatif._goal import Goal, goal
from modeadvisor.whatif._result import Change, FindingRef, Repair, WhatIf, names
from modeadvisor.whatif._search import MAX_CHANGES, Search
from modeadvisor.whatif._world import World

__all__ = ["MAX_CHANGES", "Change", "FindingRef", "Goal", "Repair", "WhatIf", "names", "what_if"]


def what_if(
    kb: KnowledgeBase,
    scorer: Scorer,
    graph: ModeGraph,
    states: Sequence[UnitState],
    imposed: Sequence[str],
    views: Mapping[str, Mapping[str, Mapping[str, float]]],
    ratings: Mapping[str, Sequence[Mapping[str, int]]],
    unit_id: str,
    *,
    target: str | None = None,
    clear: str | None = None,
    allow: Collection[str] = (),
    recommend: str | None = None,
    lang: Lang = "en",
    limit: int,
) -> WhatIf:
    """Up to three repairs of unit `unit_id` of an assessed organisation (its unit states,
    imposed models, stated views and ratings) towards `target` or clearing `clear`, or (for
    why-not) making the model `recommend` recommended."""
    ids = [s.id for s in states]
    if unit_id not in ids:
        raise UnknownUnitError(
            [
                Problem(
                    Location("<what-if>"),
                    Message("no unit '{unit_id}'", unit_id=unit_id),
                    did_you_mean(unit_id, ids) or Message("units: {names}", names=", ".join(ids)),
                )
            ]
        )
    unknown = [t for t in allow if t not in kb.traits]
    if unknown:
        raise OrganisationError(
            [
                Problem(
                    Location("<what-if>"),
                    Message("--allow names no trait '{t}'", t=t),
                    did_you_mean(t, kb.traits) or Message("trait ids: see `modeadvisor traits`"),
                )
                for t in unknown
            ]
        )
    world = World(kb, scorer, graph, states, imposed, views, ratings, unit_id, lang, limit)
    before = world.outcomes([world.base])[0]
    assert before.findings is not None
    if recommend is not None:
        wanted = Goal(recommend=recommend)
    else:
        wanted = goal(kb, unit_id, before.findings, target, clear)
    return Search(world, before, wanted, allow).run()
