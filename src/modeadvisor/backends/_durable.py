"""The durable-rules adapter: the only module that imports the engine.

Each `DurableEngine` owns its own `Host` (never `durable.lang` and its module-level registry),
registers the compiled rules under names unique to it, and runs each assessment in a fresh
session (sid) that it deletes afterwards. Units (and, for conflict rules, the facts about them) go
in as *facts*, so every matching rule fires (events would be consumed by the first match), and
each firing comes back as the rule and the index of the fact bound to each alias. Engine failures
become `EngineError`.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from durable.engine import Host

from modeadvisor.backends._matching import count_bindings
from modeadvisor.backends._rulesets import (
    CompiledPack,
    Json,
    compile_conflicts,
    compile_pack,
    engine_fact,
)
from modeadvisor.conditions import TraitValue
from modeadvisor.errors import EngineError
from modeadvisor.facts import Fact, Firing
from modeadvisor.knowledge import KnowledgeBase

_engine_ids = itertools.count()
#: Matches handed to one action call. One Python call per firing is what makes the engine slow
#: (measured: 84,000 firings, 709 units/s one call each, 3,200 units/s with a cap of 1,000).
CAP = 1000
#: A session whose assert failed cannot be deleted safely (deleting it crashed the process,
#: measured), and a ruleset takes at most 1,024 live sessions; after this many failures the
#: engine starts over on a new host instead of running into that wall.
MAX_FAILED_SESSIONS = 500
#: Rules that match every fact of a kind: without them a fact that matches no rule would be
#: refused (MessageNotHandled), spoil a batch, and make `delete_state` segfault on its session.
_CATCH_ALL = "_catch_all_"


class _QuietHost(Host):  # type: ignore[misc]
    """A Host without the two re-arming timer threads: all our actions run synchronously."""

    def _run(self) -> None:
        return None


class DurableEngine:
    """Fires compiled rules over facts; an Advisor has one for scoring and one for conflicts."""

    def __init__(
        self,
        pack: CompiledPack,
        max_failed_sessions: int = MAX_FAILED_SESSIONS,
        *,
        naive: bool = False,
    ) -> None:
        # naive: no cap, one assert per fact: only the benchmark's baseline uses it
        self._naive = naive
        self._pack = pack
        self._lock = threading.Lock()
        self._ids = _FactIds()  # used under the lock
        self._sessions = itertools.count()
        self._firings: dict[str, list[Firing]] = {}
        self._max_failed = max_failed_sessions
        self._failed = 0
        self._build()

    def _build(self) -> None:
        """A fresh host with every ruleset registered under names never used before."""
        self._host = _QuietHost()
        prefix = f"modeadvisor{next(_engine_ids)}"  # unique per build: names cannot be reused
        self._names = [f"{prefix}_{i}" for i in range(len(self._pack.chunks))]
        try:
            for name, chunk in zip(self._names, self._pack.chunks, strict=True):
                definition: Json = {
                    rule.name: {
                        "all": [{alias: condition} for alias, condition in rule.patterns],
                        "run": self._action(rule.rule_id, rule.patterns[0][0]),
                        **({} if self._naive else {"cap": CAP}),
                    }
                    for rule in chunk
                }
                for kind in self._pack.kinds:
                    definition[_CATCH_ALL + kind] = {"all": [{"m": {"kind": kind}}], "run": _ignore}
                # the engine deletes `run` from the dicts it is given: built fresh, never reused
                self._host.register_rulesets({name: definition})
        except Exception as error:  # the C engine raises bare Exceptions with codes
            raise EngineError(f"the rule engine refused the compiled rules: {error}") from None

    def _action(self, rule_id: str, first_alias: str) -> Callable[[Any], None]:
        firings = self._firings

        def record(closure: Any) -> None:
            # with `cap`, one call brings a list of matches: the fact itself for a rule of one
            # alias, else each alias -> the fact it bound
            matches = closure.m if isinstance(closure.m, list) else [closure._m]
            found = firings[closure.s.sid]
            for match in matches:
                if "fid" in match:
                    found.append((rule_id, {first_alias: match["fid"]}))
                else:
                    found.append((rule_id, {a: fact["fid"] for a, fact in match.items()}))

        return record

    def fire(self, facts: Sequence[Mapping[str, Any]]) -> list[Firing]:
        """Assert the facts in a new session; return every firing with its facts' indexes."""
        if not facts:
            return []
        with self._lock:  # the C engine has no locks of its own
            sid = f"s{next(self._sessions)}"
            self._firings[sid] = []
            asserted: list[str] = []
            try:
                for name in self._names:
                    ids = self._ids.first(len(facts))
                    batch = [
                        {**fact, "sid": sid, "fid": i, "id": ids[i]} for i, fact in enumerate(facts)
                    ]
                    if self._naive:
                        for fact in batch:
                            self._host.assert_fact(name, fact)
                    else:
                        self._host.assert_facts(name, batch)
                    # only a session whose facts were taken may be deleted: deleting one after a
                    # failed assert crashes the process (measured), so a failure leaks one sid
                    asserted.append(name)
                    state = self._host.get_state(name, sid)
                    if "exception" in state:
                        raise EngineError(f"a rule action failed: {state['exception']}")
                return list(self._firings[sid])
            except Exception as error:
                if len(asserted) < len(self._names):
                    self._failed += 1  # at least one session of this sid stays alive
                if isinstance(error, EngineError):
                    raise
                # its message can quote the whole batch of facts (megabytes): the start says it
                raise EngineError(f"the rule engine failed: {str(error)[:300]}") from None
            finally:
                del self._firings[sid]
                for name in asserted:
                    with contextlib.suppress(Exception):  # cleanup must not hide the real error
                        self._host.delete_state(name, sid)
                if self._failed >= self._max_failed:
                    self._failed = 0
                    self._build()

    @property
    def ruleset_count(self) -> int:
        return len(self._names)


def _ignore(closure: Any) -> None:
    del closure


class DurableBackend:
    """The `durable` backend: scoring and conflict rules each in their own engine."""

    name: Final = "durable"

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        self._pack = compile_pack(kb)  # refuses, located, what the engine cannot take
        self._scoring = DurableEngine(self._pack)
        self._conflicts = DurableEngine(compile_conflicts(kb))
        self._column = {rule.id: i for i, rule in enumerate(kb.compiled.rules)}

    def fired(self, values: Sequence[Mapping[str, TraitValue]]) -> npt.NDArray[np.bool_]:
        matrix = np.zeros((len(values), len(self._column)), dtype=np.bool_)
        facts = [self._pack.fact(str(row), unit) for row, unit in enumerate(values)]
        for rule_id, bound in self._scoring.fire(facts):
            matrix[bound["m"], self._column[rule_id]] = True
        return matrix

    def match(self, facts: Sequence[Fact], *, limit: int) -> list[Firing]:
        # counted first, in linear time: once the engine runs it cannot be stopped
        count_bindings(self._kb.compiled.conflicts, facts, limit=limit)
        return self._conflicts.fire([engine_fact(fact, self._kb.traits) for fact in facts])


def _fnv1a(text: str) -> int:
    """32-bit FNV-1a, the hash the engine files a fact under by its `id`."""
    value = 0x811C9DC5
    for byte in text.encode():
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


class _FactIds:
    """Fact ids whose 32-bit FNV-1a hashes all differ, grown as needed.

    Measured: the engine files a fact under the FNV-1a hash of its id and refuses a second
    fact whose id hashes like one already in the session (MessageObservedException); with ids
    of its own choosing an assessment of 5,000 units (87,000 facts) failed, and about 3 % of
    those of 1,000 units would. Ids that skip every colliding candidate cannot collide.
    """

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._hashes: set[int] = set()
        self._next = 0

    def first(self, count: int) -> list[str]:
        while len(self._ids) < count:
            text = f"f{self._next}"
            self._next += 1
            hashed = _fnv1a(text)
            if hashed not in self._hashes:
                self._hashes.add(hashed)
                self._ids.append(text)
        return self._ids[:count]
