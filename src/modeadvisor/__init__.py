"""modeadvisor: explained advice on how to manage and measure an organisation, from its mode.

The public API is re-exported here; everything else is internal and may change.
"""

from modeadvisor.advice import Advice, Conflict, Evidence, ModelAdvice, Profile, UnitAdvice
from modeadvisor.advisor import Advisor
from modeadvisor.errors import (
    EngineError,
    KnowledgeBaseError,
    LimitError,
    ModeAdvisorError,
    OrganisationError,
    Problem,
    UnknownUnitError,
)
from modeadvisor.knowledge import KnowledgeBase, load_knowledge_base
from modeadvisor.limits import Limits
from modeadvisor.organisation import Organisation, Unit
from modeadvisor.survey import SurveyError, read_survey
from modeadvisor.tables import BatchResult
from modeadvisor.whatif import WhatIf

__all__ = [
    "Advice",
    "Advisor",
    "BatchResult",
    "Conflict",
    "EngineError",
    "Evidence",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "LimitError",
    "Limits",
    "ModeAdvisorError",
    "ModelAdvice",
    "Organisation",
    "OrganisationError",
    "Problem",
    "Profile",
    "SurveyError",
    "Unit",
    "UnitAdvice",
    "UnknownUnitError",
    "WhatIf",
    "load_knowledge_base",
    "read_survey",
]


def __getattr__(name: str) -> str:
    """`__version__` read from the installed metadata, so pyproject.toml is its one source."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import version

    return version("modeadvisor")
