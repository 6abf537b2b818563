"""Survey tables: respondents' ratings of each mode read, checked and aggregated per group."""

from ._reader import SurveyError, SurveyResult, read_survey, to_text

__all__ = ["SurveyError", "SurveyResult", "read_survey", "to_text"]
