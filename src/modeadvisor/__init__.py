"""modeadvisor: explained advice on how to manage and measure an organisation, from its mode.

The public API is re-exported here; everything else is internal and may change.
"""

from .advice import Advice, Evidence, ModelAdvice, Profile, UnitAdvice
from .advisor import Advisor
from .errors import (
    EngineError,
    KnowledgeBaseError,
    ModeAdvisorError,
    OrganisationError,
    Problem,
    UnknownUnitError,
)
from .knowledge import KnowledgeBase, load_knowledge_base
from .organisation import Organisation, Unit

__all__ = [
    "Advice",
    "Advisor",
    "EngineError",
    "Evidence",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "ModeAdvisorError",
    "ModelAdvice",
    "Organisation",
    "OrganisationError",
    "Problem",
    "Profile",
    "Unit",
    "UnitAdvice",
    "UnknownUnitError",
    "load_knowledge_base",
]
