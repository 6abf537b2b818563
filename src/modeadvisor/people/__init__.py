"""From people to an organisation file: what respondents and interviewees say, as observations.

- `_questions`: the trait catalogue as questions: themes, choices with their words, answers read;
- `_orgfile`: an organisation file written as YAML with a comment naming each question;
- `interview`: the adaptive interview, asking next what could change the advice most
  (`modeadvisor interview`; the terminal needs the `interview` extra);
- `questionnaire`: one self-contained HTML form respondents fill in a browser;
- `collect`: answer files and survey rows merged into one organisation file;
- `_cli`: the three commands' arguments and handlers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from modeadvisor.people.collect import Collected, collect_answers
    from modeadvisor.people.questionnaire import questionnaire_html

__all__ = ["Collected", "collect_answers", "questionnaire_html"]


def __getattr__(name: str) -> Any:
    """The public names, imported when first asked for: the command line registers the three
    commands (`_cli`) without loading what they run."""
    if name in ("Collected", "collect_answers"):
        from modeadvisor.people import collect

        return getattr(collect, name)
    if name == "questionnaire_html":
        from modeadvisor.people.questionnaire import questionnaire_html

        return questionnaire_html
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
