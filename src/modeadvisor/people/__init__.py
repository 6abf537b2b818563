"""From people to an organisation file: what respondents and interviewees say, as observations.

- `_questions`: the trait catalogue as questions: themes, choices with their words, answers read;
- `_orgfile`: an organisation file written as YAML with a comment naming each question;
- `interview`: the adaptive interview, asking next what could change the advice most
  (`modeadvisor interview`; the terminal needs the `interview` extra);
- `questionnaire`: one self-contained HTML form respondents fill in a browser;
- `collect`: answer files and survey rows merged into one organisation file;
- `_cli`: the three commands' arguments and handlers.
"""

from modeadvisor.people.collect import Collected, collect_answers
from modeadvisor.people.questionnaire import questionnaire_html

__all__ = ["Collected", "collect_answers", "questionnaire_html"]
