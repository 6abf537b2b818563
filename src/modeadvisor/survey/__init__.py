"""Survey tables: respondents' ratings of each mode read, checked and aggregated per group.

`read_survey` reads a table (`_reader`: lines, encodings, columns, cells) into running counts
and returns a `SurveyResult` (`_aggregate`: means, rwg and consensus, prevalence).
"""

from modeadvisor.reports.text import survey_text as to_text
from modeadvisor.survey._aggregate import (
    AGREEMENT_MIN,
    CENTRAL_MIN,
    ROLES,
    ArchetypeName,
    GroupSummary,
    ModePrevalence,
    OrganisationSummary,
    Prevalence,
    SurveyError,
    SurveyResult,
    Thresholds,
    TraitSummary,
    UnitSummary,
)
from modeadvisor.survey._reader import read_survey

__all__ = [
    "AGREEMENT_MIN",
    "CENTRAL_MIN",
    "ROLES",
    "ArchetypeName",
    "GroupSummary",
    "ModePrevalence",
    "OrganisationSummary",
    "Prevalence",
    "SurveyError",
    "SurveyResult",
    "Thresholds",
    "TraitSummary",
    "UnitSummary",
    "read_survey",
    "to_text",
]
