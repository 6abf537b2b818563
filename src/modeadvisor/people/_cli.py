"""The `interview`, `questionnaire` and `collect` commands: their arguments and handlers, kept
apart from `modeadvisor.cli`, which registers them."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from modeadvisor._i18n import Message, tr
from modeadvisor.errors import Location, ModeAdvisorError, Problem

Handler = Callable[[argparse.Namespace, TextIO], int]
Options = Callable[[argparse.ArgumentParser], argparse.ArgumentParser]


def add_parsers(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    with_rules: Options,
    with_encoding: Options,
) -> None:
    interview = with_rules(
        commands.add_parser(
            "interview",
            help="ask trait questions in the terminal, the next by what could change the advice "
            "most, into an organisation file; needs modeadvisor[interview]",
        )
    )
    interview.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="ORG.yaml",
        help="file to write (default: the --resume file, else organisation.yaml)",
    )
    interview.add_argument("--unit", metavar="ID", help="the first unit to ask about")
    interview.add_argument("--resume", type=Path, metavar="ORG.yaml", help="continue a saved file")

    form = with_rules(
        commands.add_parser(
            "questionnaire",
            help="a self-contained HTML questionnaire respondents fill in a browser",
        )
    )
    form.add_argument("-o", "--output", type=Path, required=True, metavar="FORM.html")
    form.add_argument(
        "--unit",
        action="append",
        default=[],
        metavar="ID",
        help="a unit respondents choose from (repeat; default: they type it)",
    )
    form.add_argument(
        "--organisation", metavar="NAME", help="the organisation's name, carried into the answers"
    )

    collect = with_rules(
        commands.add_parser(
            "collect",
            help="merge questionnaire answer files and survey CSVs into an organisation file",
        )
    )
    collect.add_argument(
        "answers",
        type=Path,
        nargs="+",
        metavar="ANSWERS",
        help="answer files (JSON) and survey tables (.csv)",
    )
    collect.add_argument("-o", "--output", type=Path, required=True, metavar="ORG.yaml")
    collect.add_argument(
        "--organisation",
        metavar="NAME",
        help="the organisation's name (default: the one the answers give)",
    )
    with_encoding(collect)


def _interview(args: argparse.Namespace, out: TextIO) -> int:
    from modeadvisor.cli import _knowledge_base, _missing_extra
    from modeadvisor.people.interview import run, valid_unit_id

    try:
        from prompt_toolkit import PromptSession  # the interview extra
    except ImportError as error:
        return _missing_extra("interview", "interview", error)
    if args.unit is not None and not valid_unit_id(args.unit):
        raise ModeAdvisorError(
            [
                Problem(
                    Location("--unit"),
                    Message("'{unit}' is not a unit id", unit=args.unit),
                    Message("letters, digits, '_', '.' or '-', starting with a letter or digit"),
                )
            ]
        )
    kb = _knowledge_base(args)
    output = args.output or args.resume or Path("organisation.yaml")
    session: PromptSession[str] = PromptSession()
    run(kb, args.lang, output, session.prompt, out, unit=args.unit, resume=args.resume)
    return 0


def _questionnaire(args: argparse.Namespace, out: TextIO) -> int:
    from modeadvisor.cli import _knowledge_base
    from modeadvisor.people.questionnaire import questionnaire_html

    kb = _knowledge_base(args)
    text = questionnaire_html(kb, args.lang, units=args.unit, organisation=args.organisation)
    args.output.write_text(text, encoding="utf-8", newline="\n")
    out.write(tr(args.lang, "{file}: written", file=str(args.output)) + "\n")
    return 0


def _collect(args: argparse.Namespace, out: TextIO) -> int:
    from modeadvisor.cli import _knowledge_base, _limits
    from modeadvisor.people.collect import collect_answers

    kb = _knowledge_base(args)
    collected = collect_answers(
        args.answers,
        kb,
        organisation=args.organisation,
        limits=_limits(args),
        encoding=args.encoding,
    )
    args.output.write_text(collected.to_yaml(kb, args.lang), encoding="utf-8", newline="\n")
    out.write(collected.to_text(kb, args.lang))
    out.write(tr(args.lang, "{file}: written", file=str(args.output)) + "\n")
    return 0


COMMANDS: dict[str, Handler] = {
    "interview": _interview,
    "questionnaire": _questionnaire,
    "collect": _collect,
}
