"""How rules are run: one protocol, two implementations, and the choice between them.

- `durable`: durable-rules, the rule engine of the design card (`_durable`, the only module that
  imports it; `_rulesets` compiles the knowledge base's compiled form into its JSON rulesets
  within its measured limits).
- `vectorised`: numpy over columns for scoring rules (`_vectorised`) and an indexed hash-join
  matcher for conflict rules (`_matching`). It needs no compiler, so it runs where durable-rules
  cannot be built or imported.

Both read `KnowledgeBase.compiled` and give byte-identical advice (the differential tests hold
them to it, against the plain-Python reference matcher in `_reference`). `"python"` is an old
name of `vectorised` and is still accepted.
"""

from __future__ import annotations

import importlib
import sys
import warnings
from collections.abc import Mapping, Sequence
from typing import Literal, Protocol, get_args

import numpy as np
import numpy.typing as npt

from modeadvisor._i18n import Message
from modeadvisor.conditions import TraitValue
from modeadvisor.errors import (
    BackendUnavailableError,
    KnowledgeBaseError,
    Location,
    Problem,
    did_you_mean,
)
from modeadvisor.facts import Fact, Firing
from modeadvisor.knowledge import KnowledgeBase

BackendName = Literal["durable", "vectorised"]
#: What a user may ask for: a backend by name, `auto`, or the old alias `python`.
BackendChoice = Literal["auto", "durable", "vectorised", "python"]
CHOICES: tuple[str, ...] = get_args(BackendChoice)
_ALIASES: Mapping[str, BackendName] = {"python": "vectorised"}


class Backend(Protocol):
    """What an Advisor needs of a way to run a knowledge base's compiled rules."""

    @property
    def name(self) -> BackendName: ...

    def fired(self, values: Sequence[Mapping[str, TraitValue]]) -> npt.NDArray[np.bool_]:
        """Which scoring rules fire for which unit: shape (units, `kb.compiled.rules`)."""
        ...

    def match(self, facts: Sequence[Fact], *, limit: int) -> list[Firing]:
        """Every binding of every conflict rule over one assessment's facts; raises
        `BindingLimitError` before binding more than `limit` combinations for one rule."""
        ...


def check(kb: KnowledgeBase) -> None:
    """Refuse a pack no backend can run: rules whose conditions expand too far."""
    if kb.compiled.problems:
        raise KnowledgeBaseError(kb.compiled.problems)


def durable_unavailable() -> str | None:
    """Why durable-rules cannot be used here, or None when it can."""
    try:
        importlib.import_module("durable.engine")
    except ImportError as error:
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        return Message(
            "durable-rules cannot be imported on Python {version} ({error}); on Python 3.13 "
            "and later build it with CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject (see the "
            "README), or use the vectorised backend, which gives the same advice",
            version=version,
            error=str(error),
        )
    return None


def durable_available() -> bool:
    """Whether durable-rules can be used here."""
    return durable_unavailable() is None


def choose(kb: KnowledgeBase, choice: str = "auto") -> Backend:
    """The backend asked for, on this knowledge base.

    `auto` takes durable-rules where it can be imported, else the vectorised backend with a
    warning (Python's default filter shows it once per process: no state of ours). Asking for
    `durable` where it cannot run is a `BackendUnavailableError`.
    """
    if choice not in CHOICES:
        raise BackendUnavailableError(
            [
                Problem(
                    Location("<backend>"),
                    Message(
                        "unknown backend '{choice}'; choose one of auto, durable, vectorised",
                        choice=choice,
                    ),
                    did_you_mean(choice, CHOICES),
                )
            ]
        )
    check(kb)
    name = _ALIASES.get(choice, choice)
    if name == "vectorised":
        return _vectorised_backend(kb)
    reason = durable_unavailable()
    if reason is None:
        from modeadvisor.backends._durable import DurableBackend

        return DurableBackend(kb)
    if name == "durable":
        raise BackendUnavailableError([Problem(Location("<backend>"), reason)])
    warnings.warn(
        "durable-rules cannot be imported here; modeadvisor uses its vectorised backend, "
        "which gives the same advice",
        RuntimeWarning,
        stacklevel=2,  # one place for every advisor, so Python's default filter shows it once
    )
    return _vectorised_backend(kb)


def _vectorised_backend(kb: KnowledgeBase) -> Backend:
    from modeadvisor.backends._vectorised import VectorisedBackend

    return VectorisedBackend(kb)


__all__ = [
    "CHOICES",
    "Backend",
    "BackendChoice",
    "BackendName",
    "check",
    "choose",
    "durable_available",
    "durable_unavailable",
]
