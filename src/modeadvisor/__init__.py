"""modeadvisor: explained advice on how to manage and measure an organisation, from its mode.

The public API is re-exported here; everything else is internal and may change.
"""

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


def __getattr__(name: str) -> str:
    """`__version__` read from the installed metadata, so pyproject.toml is its one source."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import version

    return version("modeadvisor")
