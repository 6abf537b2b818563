"""modeadvisor: explained advice on how to manage and measure an organisation, from its mode.

The public API is re-exported here; everything else is internal and may change.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from modeadvisor.advice import (
        Advice,
        Anonymity,
        Conflict,
        Coverage,
        Direction,
        Evidence,
        Match,
        ModelAdvice,
        ModeRating,
        PackRef,
        Profile,
        Reason,
        SelfAssessment,
        UnitAdvice,
    )
    from modeadvisor.advisor import Advisor, Examination
    from modeadvisor.backends import Backend, BackendChoice
    from modeadvisor.errors import (
        BackendUnavailableError,
        EngineError,
        HistoryError,
        KnowledgeBaseError,
        LimitError,
        Location,
        ModeAdvisorError,
        OrganisationError,
        PackTooLargeError,
        Problem,
        UnknownOrganisationError,
        UnknownUnitError,
    )
    from modeadvisor.knowledge import KnowledgeBase, load_knowledge_base
    from modeadvisor.limits import Limits
    from modeadvisor.organisation import (
        Organisation,
        OrganisationText,
        Perspectives,
        Respondent,
        Unit,
        load_organisation,
    )
    from modeadvisor.settled import Settled, TraitPull
    from modeadvisor.survey import SurveyError, SurveyResult, read_survey
    from modeadvisor.tables import BatchResult, Table
    from modeadvisor.whatif import Change, FindingRef, Repair, WhatIf
    from modeadvisor.whynot import LinkCheck, ModeWeight, RuleCheck, RulePart, WhyNot

# The knowledge base's own types (Rule, Trait, Link, Settings, ...) are exported by the public
# sub-package `modeadvisor.knowledge`, the backends' by `modeadvisor.backends`.
__all__ = [
    "Advice",
    "Advisor",
    "Anonymity",
    "Backend",
    "BackendChoice",
    "BackendUnavailableError",
    "BatchResult",
    "Change",
    "Conflict",
    "Coverage",
    "Direction",
    "EngineError",
    "Evidence",
    "Examination",
    "FindingRef",
    "HistoryError",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "LimitError",
    "Limits",
    "LinkCheck",
    "Location",
    "Match",
    "ModeAdvisorError",
    "ModeRating",
    "ModeWeight",
    "ModelAdvice",
    "Organisation",
    "OrganisationError",
    "OrganisationText",
    "PackRef",
    "PackTooLargeError",
    "Perspectives",
    "Problem",
    "Profile",
    "Reason",
    "Repair",
    "Respondent",
    "RuleCheck",
    "RulePart",
    "SelfAssessment",
    "Settled",
    "SurveyError",
    "SurveyResult",
    "Table",
    "TraitPull",
    "Unit",
    "UnitAdvice",
    "UnknownOrganisationError",
    "UnknownUnitError",
    "WhatIf",
    "WhyNot",
    "load_knowledge_base",
    "load_organisation",
    "read_survey",
]

#: Where each public name lives. Nothing is imported until a name is first asked for: the
#: command line's `batch` needs numpy, pyarrow and the pack, not the assessment, the reports
#: or networkx, which were a third of its start-up (bench/batch.py measures it).
_WHERE = {
    "modeadvisor.advice": (
        "Advice",
        "Anonymity",
        "Conflict",
        "Coverage",
        "Direction",
        "Evidence",
        "Match",
        "ModelAdvice",
        "ModeRating",
        "PackRef",
        "Profile",
        "Reason",
        "SelfAssessment",
        "UnitAdvice",
    ),
    "modeadvisor.advisor": (
        "Advisor",
        "Examination",
    ),
    "modeadvisor.backends": (
        "Backend",
        "BackendChoice",
    ),
    "modeadvisor.errors": (
        "BackendUnavailableError",
        "EngineError",
        "HistoryError",
        "KnowledgeBaseError",
        "LimitError",
        "Location",
        "ModeAdvisorError",
        "OrganisationError",
        "PackTooLargeError",
        "Problem",
        "UnknownOrganisationError",
        "UnknownUnitError",
    ),
    "modeadvisor.knowledge": (
        "KnowledgeBase",
        "load_knowledge_base",
    ),
    "modeadvisor.limits": ("Limits",),
    "modeadvisor.organisation": (
        "Organisation",
        "OrganisationText",
        "Perspectives",
        "Respondent",
        "Unit",
        "load_organisation",
    ),
    "modeadvisor.settled": (
        "Settled",
        "TraitPull",
    ),
    "modeadvisor.survey": (
        "SurveyError",
        "SurveyResult",
        "read_survey",
    ),
    "modeadvisor.tables": (
        "BatchResult",
        "Table",
    ),
    "modeadvisor.whatif": (
        "Change",
        "FindingRef",
        "Repair",
        "WhatIf",
    ),
    "modeadvisor.whynot": (
        "LinkCheck",
        "ModeWeight",
        "RuleCheck",
        "RulePart",
        "WhyNot",
    ),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}


def __getattr__(name: str) -> Any:
    """A public name, imported from its module when first asked for (PEP 562); `__version__`
    read from the installed metadata, so pyproject.toml is its one source."""
    if name == "__version__":
        from importlib.metadata import version

        return version("modeadvisor")
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
