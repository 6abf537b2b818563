"""modeadvisor: explained advice on how to manage and measure an organisation, from its mode.

The public API is re-exported here; everything else is internal and may change.
"""

from .advice import Advice, Conflict, Evidence, ModelAdvice, Profile, UnitAdvice
from .advisor import Advisor
from .batch import BatchResult
from .errors import (
    EngineError,
    KnowledgeBaseError,
    LimitError,
    ModeAdvisorError,
    OrganisationError,
    Problem,
    UnknownUnitError,
)
from .knowledge import KnowledgeBase, load_knowledge_base
from .limits import Limits
from .organisation import Organisation, Unit
from .survey import SurveyError, read_survey
from .whatif import WhatIf

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
