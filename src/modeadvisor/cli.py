"""The `modeadvisor` command.

Exit codes scripts can rely on: 0 done; 1 `assess --fail-on` found conflicts of that severity,
`lint` found errors, or `test` had failing scenarios (or coverage under `--fail-under`);
2 bad input or usage (the message on stderr names the file and line); 3 an internal error (a bug
in modeadvisor; MODEADVISOR_DEBUG=1 shows the trace).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

import modeadvisor
from modeadvisor import _encodings as encodings
from modeadvisor._cli_language import Parser, cli_lang, localise, parser_tree
from modeadvisor._cli_language import lang_source as lang_source
from modeadvisor._i18n import Message, tr
from modeadvisor.authoring.features import MissingExtraError
from modeadvisor.errors import (
    EngineError,
    ModeAdvisorError,
)
from modeadvisor.history import _cli as history_cli
from modeadvisor.knowledge import KnowledgeBase, Lang, load_knowledge_base, shipped_rules_dir
from modeadvisor.limits import DEFAULT_LIMITS, Limits, limit_names, parse_limit
from modeadvisor.people import _cli as people_cli
from modeadvisor.reports.labels import label
from modeadvisor.server._cli import (
    access_of,
    add_serve_arguments,
    add_token_parser,
    serve,
    token_command,
)
from modeadvisor.tables import FORMATS as TABLE_FORMATS

if TYPE_CHECKING:
    from modeadvisor.advisor import Advisor

# Each command imports what it runs, in its handler: `modeadvisor batch` starts without the
# reports, the assessment, authoring or networkx (bench/batch.py measures the start-up).

EXIT_OK, EXIT_CONFLICTS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # the shell's convention for a program stopped by Ctrl-C (128 + SIGINT)
#: `--fail-on` levels: "conflict" is any conflict at all.
_FAIL_LEVELS = {"conflict": 0, "low": 0, "medium": 1, "high": 2}
_SEVERITY_LEVEL = {"low": 0, "medium": 1, "high": 2}


def _parser() -> argparse.ArgumentParser:
    """The command line's parser, in English; `localise` makes it speak another language."""
    parser = Parser(
        prog="modeadvisor",
        description="Explained advice on managing and measuring an organisation by its modes.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {modeadvisor.__version__}"
    )
    # sub-parsers are Parsers too (argparse makes them of the parent's class); the modules that
    # add their own commands take them as plain ArgumentParsers
    commands = cast(
        "argparse._SubParsersAction[argparse.ArgumentParser]",
        parser.add_subparsers(dest="command", required=True, metavar="COMMAND"),
    )

    def with_rules(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--pack",
            "--rules",
            dest="packs",
            type=Path,
            metavar="DIR",
            action="append",
            help="a rule pack folder; repeat to layer packs, each "
            "on the ones before (default: the shipped pack)",
        )
        with_lang(p)
        _with_limits(p)
        return p

    def with_lang(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        lang, source = lang_source()
        p.add_argument(
            "--lang",
            choices=("en", "fi"),
            default=lang,
            help=Message(
                "language of the advice and of the command line (default: MODEADVISOR_LANG, "
                "else the locale, else en; here {lang}, from {source})",
                lang=lang,
                source=source.replace("%", "%%"),
            ),
        )
        return p

    def with_settings(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        _with_backend(p)
        with_show_respondents(p)
        p.add_argument(
            "--perspective-threshold",
            type=float,
            metavar="X",
            help="weight gap between current, desired and strategy views that counts "
            "as a conflict (default: the pack's, 0.10)",
        )
        return p

    assess = with_settings(
        with_rules(commands.add_parser("assess", help="assess an organisation file"))
    )
    assess.add_argument("file", type=Path, help="organisation file (YAML or JSON)")
    assess.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    assess.add_argument(
        "--fail-on",
        choices=tuple(_FAIL_LEVELS),
        metavar="LEVEL",
        help="exit 1 when conflicts of at least this severity exist: conflict "
        "(any), low, medium or high",
    )
    history_cli.add_save(assess)

    explain = with_settings(
        with_rules(commands.add_parser("explain", help="the full explanation trail for one unit"))
    )
    explain.add_argument("file", type=Path, help="organisation file (YAML or JSON)")
    explain.add_argument("--unit", required=True, metavar="ID", help="the unit's id")
    explain.add_argument(
        "--why-not",
        metavar="MODEL_OR_MODE",
        help="why a model is not recommended, or a mode not dominant, and what would change it",
    )
    explain.add_argument("--format", choices=("text", "json"), default="text")

    validate = _with_limits(commands.add_parser("validate", help="load and check a rule pack"))
    validate.add_argument(
        "packs",
        type=Path,
        nargs="*",
        metavar="PACK_DIR",
        help="the pack folder (default: the shipped pack)",
    )

    traits = with_rules(commands.add_parser("traits", help="list the trait catalogue"))
    traits.add_argument("--format", choices=("text", "json"), default="text")

    schema = with_rules(
        commands.add_parser(
            "schema", help="JSON Schema of rule files or organisation files, for editors"
        )
    )
    schema.add_argument("kind", choices=("rules", "organisation"))

    report = with_settings(
        with_rules(commands.add_parser("report", help="an HTML or Markdown report with charts"))
    )
    report.add_argument("file", type=Path, help="organisation file (YAML or JSON)")
    report.add_argument("--format", choices=("html", "markdown"), default="html")
    report.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help="file to write (default: standard output)"
    )
    report.add_argument(
        "--no-charts",
        action="store_true",
        help="Markdown: write no SVG chart files beside the report",
    )
    history_cli.add_report(report)
    history_cli.add_history(commands, with_rules)

    survey = with_rules(
        commands.add_parser("survey", help="aggregate a survey table (CSV) of respondents' ratings")
    )
    survey.add_argument("file", type=Path, help="responses, one respondent per row (CSV)")
    survey.add_argument("--format", choices=("text", "json"), default="text")
    with_encoding(survey)
    with_show_respondents(survey)

    batch = with_rules(
        commands.add_parser(
            "batch", help="score a table of units, vectorised, written as it is read"
        )
    )
    batch.add_argument(
        "file",
        type=Path,
        help="units, one per row: unit, traits, models_in_use (CSV; Parquet, Arrow or JSON "
        "Lines by the extension .parquet, .arrow/.feather, .jsonl)",
    )
    batch.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT",
        help="file to write, in the format its extension names: .csv, .json, .jsonl, "
        ".parquet, .arrow (default: standard output)",
    )
    batch.add_argument(
        "--format", choices=TABLE_FORMATS, help="default: by OUT's extension, else csv"
    )
    with_encoding(batch)

    whatif = with_rules(
        commands.add_parser(
            "what-if",
            help="up to three repairs a manager can make (models first, then levers) that make "
            "a mode dominant or take a unit out of a finding",
        )
    )
    whatif.add_argument("file", type=Path, help="organisation file (YAML or JSON)")
    whatif.add_argument("--unit", required=True, metavar="ID")
    goal = whatif.add_mutually_exclusive_group(required=True)
    goal.add_argument("--target", metavar="ARCHETYPE", help="the mode to make dominant")
    goal.add_argument(
        "--clear",
        metavar="CONFLICT",
        help="take the unit out of a finding: a conflict kind, a finding id "
        "(measurement_misfit:balanced_scorecard) or a conflict rule id",
    )
    whatif.add_argument(
        "--allow",
        action="append",
        metavar="TRAIT",
        help="let a trait that is not a lever (a circumstance or a signal) change too; repeatable",
    )
    whatif.add_argument("--format", choices=("text", "json"), default="text")

    commands.add_parser("steps", help="every feature-file step phrase, with an example")

    test = commands.add_parser(
        "test",
        help="run feature files (no Python file needed); needs modeadvisor[bdd]",
    )
    test.add_argument(
        "features",
        type=Path,
        nargs="*",
        metavar="FEATURES",
        help="feature files or folders of them (default: features)",
    )
    test.add_argument(
        "--pack",
        "--rules",
        dest="packs",
        type=Path,
        metavar="DIR",
        action="append",
        help="a rule pack folder; repeat to layer packs (default: the shipped pack)",
    )
    test.add_argument(
        "--coverage",
        action="store_true",
        help="print which scoring rules, links and conflict rules the scenarios exercise, "
        "with a scenario for each one they miss",
    )
    test.add_argument("--coverage-json", type=Path, metavar="FILE", help="coverage as JSON")
    test.add_argument(
        "--coverage-html", type=Path, metavar="FILE", help="coverage as a self-contained page"
    )
    test.add_argument(
        "--fail-under",
        type=float,
        metavar="PERCENT",
        help="exit 1 when rule coverage is below PERCENT",
    )
    test.add_argument(
        "-k", dest="keyword", metavar="EXPR", help="only scenarios matching (as pytest -k)"
    )

    lint_cmd = _with_limits(
        commands.add_parser("lint", help="statically verify rule packs (exit 1 on errors)")
    )
    lint_cmd.add_argument(
        "packs",
        type=Path,
        nargs="*",
        metavar="PACK_DIR",
        help="packs to check, layered in order (default: the shipped pack)",
    )
    with_lang(lint_cmd)
    lint_cmd.add_argument("--format", choices=("text", "json"), default="text")
    lint_cmd.add_argument(
        "--features",
        type=Path,
        action="append",
        metavar="PATH",
        help="feature files or folders: add an info finding, with a scenario to start from, "
        "for every rule they do not exercise (repeat; needs modeadvisor[bdd])",
    )

    impact = _with_limits(
        commands.add_parser(
            "impact", help="what changing a pack does to the advice for a population"
        )
    )
    impact.add_argument("old", type=Path, metavar="OLD_PACK")
    impact.add_argument("new", type=Path, metavar="NEW_PACK")
    impact.add_argument(
        "--population",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="organisation files to assess (default: a generated sample)",
    )
    impact.add_argument(
        "--sample",
        type=int,
        default=400,
        metavar="N",
        help="units to generate from the catalogue (default: 400)",
    )
    impact.add_argument("--seed", type=int, default=1, help="seed of the generated sample")
    impact.add_argument("--format", choices=("text", "json"), default="text")
    _with_backend(impact)

    pack = commands.add_parser(
        "pack", help="a rule pack as a spreadsheet (.xlsx) or DMN decision tables, and back"
    )
    pack_commands = pack.add_subparsers(dest="pack_command", required=True, metavar="ACTION")
    export = _with_limits(
        pack_commands.add_parser(
            "export", help="write a pack as .xlsx (modeadvisor[spreadsheet]) or DMN 1.3"
        )
    )
    export.add_argument("folder", type=Path, metavar="DIR", help="the pack folder")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="OUT")
    export.add_argument(
        "--format",
        choices=("xlsx", "dmn"),
        default=None,
        help="default: from the output's suffix (.dmn or .xlsx)",
    )
    export.add_argument(
        "--pack",
        dest="below",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="a pack below this one (repeat; the shipped pack is found by `extends: core`)",
    )
    imported = _with_limits(
        pack_commands.add_parser(
            "import", help="read a .xlsx workbook into a pack folder (modeadvisor[spreadsheet])"
        )
    )
    imported.add_argument("workbook", type=Path, metavar="PACK.xlsx")
    imported.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
    imported.add_argument(
        "--pack",
        dest="below",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="a pack below this one (repeat; the shipped pack is found by `extends: core`)",
    )

    graph = with_rules(
        commands.add_parser("graph", help="the archetype-model graph as Mermaid or Graphviz DOT")
    )
    graph.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    people_cli.add_parsers(commands, with_rules, with_encoding)  # interview, questionnaire, collect

    with_settings(
        with_rules(
            commands.add_parser(
                "eval",
                help="JSON Lines in (organisations, or requests with an op), one JSON answer "
                "or located error per line out",
            )
        )
    )
    add_serve_arguments(
        with_rules(commands.add_parser("serve", help="the HTTP API; needs modeadvisor[server]"))
    )
    add_token_parser(commands)
    # every command speaks the command line's language, so every command takes --lang
    for command in parser_tree(parser):
        if command is not parser and not _has_subcommands(command) and "lang" not in {
            action.dest for action in command._actions
        }:
            with_lang(command)
    return parser


def _has_subcommands(parser: argparse.ArgumentParser) -> bool:
    return any(isinstance(a, argparse._SubParsersAction) for a in parser._actions)


def with_show_respondents(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """`--show-respondents`, on every command whose output holds respondents' figures."""
    p.add_argument(
        "--show-respondents",
        action="store_true",
        help="show respondents' figures even for groups smaller than the anonymity floor "
        "(the pack's min_respondents): for your own working copy only; the output says so",
    )
    return p


def with_encoding(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """`--encoding`, on every command that reads a CSV table."""
    p.add_argument(
        "--encoding",
        type=_encoding,
        metavar="NAME",
        help="the CSV file's encoding (default: UTF-8, a byte order mark allowed); for "
        "example cp1252, as Excel saves 'CSV (comma delimited)' on Windows, or mac-roman",
    )
    return p


def _encoding(text: str) -> str:
    try:
        return encodings.checked(text)
    except ValueError as error:  # argparse shows only this type's message, then exits 2
        raise argparse.ArgumentTypeError(str(error)) from None


def _with_backend(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument(
        "--backend",
        choices=("auto", "durable", "vectorised"),
        default="auto",
        help="how the rules run: durable-rules, or numpy and hash joins (same advice); auto "
        "takes durable-rules where it can be imported (default: auto)",
    )
    return p


def _with_limits(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """`--limit NAME=VALUE`, on every command that reads input."""
    names = ", ".join(
        f"{name} ({str(value).lower() if isinstance(value, bool) else value})"
        for name, value in limit_names().items()
    )
    p.add_argument(
        "--limit",
        dest="limits",
        type=_limit_setting,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=Message(
            "raise (or lower) a bound of size or work; repeatable. NAME (default): {names}",
            names=names,
        ),
    )
    return p


def _limit_setting(text: str) -> tuple[str, int | bool]:
    try:
        return parse_limit(text)
    except ValueError as error:  # argparse shows only this type's message, then exits 2
        raise argparse.ArgumentTypeError(str(error)) from None


def _limits(args: argparse.Namespace) -> Limits:
    return dataclasses.replace(DEFAULT_LIMITS, **dict(args.limits))  # a later setting wins


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    given = list(sys.argv[1:] if argv is None else argv)
    lang = cli_lang(given)  # known before the parser is built: its help and errors speak it
    parser = _parser()
    localise(parser, lang)
    try:
        args = parser.parse_args(given)
    except SystemExit as stop:  # argparse has printed its usage message
        return int(stop.code or 0) if not isinstance(stop.code, str) else EXIT_INPUT
    args.ui_lang = getattr(args, "lang", lang)
    try:
        return _run(args, sys.stdout)
    except EngineError as error:
        print(
            tr(lang, "modeadvisor: engine error: {error}", error=error.render(lang)),
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    except ModeAdvisorError as error:
        print(f"modeadvisor: {error.render(args.ui_lang)}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:  # Ctrl-C: stopped as asked, a file being written left out
        print(tr(args.ui_lang, "modeadvisor: interrupted"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # never a bare traceback for a user
        if os.environ.get("MODEADVISOR_DEBUG"):
            traceback.print_exc()
        print(
            tr(
                args.ui_lang,
                "modeadvisor: internal error ({kind}: {error}); this is a bug in modeadvisor; "
                "set MODEADVISOR_DEBUG=1 to see the trace",
                kind=type(error).__name__,
                error=str(error),
            ),
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def default_lang(environ: Mapping[str, str] = os.environ) -> Lang:
    return lang_source(environ)[0]


def _knowledge_base(
    args: argparse.Namespace, folders: Sequence[Path] | None = None
) -> KnowledgeBase:
    chosen = folders if folders is not None else args.packs
    return load_knowledge_base(*(chosen or [shipped_rules_dir()]), limits=_limits(args))


def _advisor(args: argparse.Namespace) -> Advisor:
    from modeadvisor.advisor import Advisor

    kb = _knowledge_base(args)
    if args.perspective_threshold is not None:
        kb = kb.with_settings(perspective_threshold=args.perspective_threshold)
    return Advisor(
        kb,
        lang=args.lang,
        limits=_limits(args),
        backend=args.backend,
        show_respondents=args.show_respondents,
    )


def _run(args: argparse.Namespace, out: TextIO) -> int:
    return _COMMANDS[args.command](args, out)


def _assess(args: argparse.Namespace, out: TextIO) -> int:
    from modeadvisor.reports.markdown import to_markdown
    from modeadvisor.reports.text import to_text

    advisor = _advisor(args)
    advice = advisor.assess(args.file)
    if args.save:
        try:
            history_cli.save(args, advice, advisor.knowledge_base)
        except MissingExtraError as error:
            return _missing_extra("assess --save", error.extra, error, args.ui_lang)
    render = {"json": lambda a: a.to_json(), "text": to_text, "markdown": to_markdown}[args.format]
    out.write(render(advice))
    worst = advice.worst_severity()
    if (
        args.fail_on is not None
        and worst is not None
        and _SEVERITY_LEVEL[worst] >= _FAIL_LEVELS[args.fail_on]
    ):
        return EXIT_CONFLICTS
    return EXIT_OK


def _explain(args: argparse.Namespace, out: TextIO) -> int:
    from modeadvisor import operations
    from modeadvisor.advisor import Advisor
    from modeadvisor.reports.text import explain_text

    if args.why_not is not None:
        advisor = Advisor(
            _knowledge_base(args), lang=args.lang, limits=_limits(args), backend="vectorised"
        )  # why-not reads the rules with the vectorised scorer, as what-if does
        answer = advisor.why_not(args.file, args.unit, args.why_not)
        out.write(
            answer.model_dump_json(indent=2) + "\n" if args.format == "json" else answer.to_text()
        )
        return EXIT_OK
    advisor = _advisor(args)
    if args.format == "json":
        unit = operations.explain(advisor, args.file, args.unit)
        out.write(json.dumps(unit, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    advice = advisor.assess(args.file)
    advice.unit(args.unit)  # an unknown unit is refused before anything is written
    how = advisor.settled(args.file, args.unit)
    out.write(explain_text(advice, args.unit))
    out.write("\n" + label("settled.head", args.lang) + "\n" + how.to_text())
    return EXIT_OK


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    kb = _knowledge_base(args)
    layers = tr(args.ui_lang, " on ").join(reversed(kb.layers))
    out.write(
        tr(
            args.ui_lang,
            "{layers} ({root}): ok — {archetypes} archetypes, {traits} traits, {rules} rules, "
            "{models} models, {links} links, {conflicts} conflict rules",
            layers=layers,
            root=str(kb.root),
            archetypes=len(kb.archetypes),
            traits=len(kb.traits),
            rules=len(kb.rules),
            models=len(kb.models),
            links=len(kb.links),
            conflicts=len(kb.conflicts),
        )
        + "\n"
    )
    return EXIT_OK


def _traits(args: argparse.Namespace, out: TextIO) -> int:
    kb = _knowledge_base(args)
    if args.format == "json":
        rows = [trait.model_dump(mode="json", exclude_none=True) for trait in kb.traits.values()]
        out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    for trait in kb.traits.values():
        kind = label(f"trait_kind.{trait.kind or 'none'}", args.lang)
        out.write(f"{trait.id}  ({trait.kind_text()}; {kind})  [{', '.join(trait.observes)}]\n")
        out.write(f"    {trait.label.get(args.lang)}: {trait.description.get(args.lang)}\n")
    return EXIT_OK


def _impact(args: argparse.Namespace, out: TextIO) -> int:
    from modeadvisor._progress import progress_bar
    from modeadvisor.advisor import Advisor
    from modeadvisor.authoring.impact import compare, sample_population
    from modeadvisor.authoring.impact import to_text as impact_text

    limits = _limits(args)
    old = Advisor.from_path(args.old, limits=limits, backend=args.backend)
    new = Advisor.from_path(args.new, limits=limits, backend=args.backend)
    population: list[Any] = list(args.population or []) or sample_population(
        old.knowledge_base, new.knowledge_base, args.sample, args.seed
    )
    total = None if args.population else args.sample
    with progress_bar("impact", tr(args.ui_lang, "units"), total) as progress:
        result = compare(old, new, population, progress)
    out.write(result.to_json() if args.format == "json" else impact_text(result))
    return EXIT_OK


def _lint(args: argparse.Namespace, out: TextIO) -> int:
    from modeadvisor.authoring.coverage import CoverageReport
    from modeadvisor.authoring.coverage import lint_findings as coverage_findings
    from modeadvisor.authoring.features import measure_features
    from modeadvisor.authoring.lint import has_errors, lint
    from modeadvisor.authoring.lint import to_json as lint_json
    from modeadvisor.authoring.lint import to_text as lint_text

    kb = _knowledge_base(args)
    given = {p.resolve() for p in args.packs or [shipped_rules_dir()]}
    own = {pack for pack, root in kb.roots.items() if root.resolve() in given}
    findings = lint(kb, packs=own or None)  # a layer below is linted on its own
    if args.features:
        try:
            _, measured = measure_features(args.features, args.packs or ())
        except MissingExtraError as error:
            return _missing_extra("lint --features", error.extra, error, args.ui_lang)
        report = CoverageReport.model_validate_json(measured)
        uncovered = [f for f in coverage_findings(kb, report) if not own or f.pack in own]
        findings = sorted(
            [*findings, *uncovered],
            key=lambda f: (f.location.file, f.location.line or 0, f.location.column or 0),
        )
    out.write(lint_json(findings) if args.format == "json" else lint_text(findings, args.ui_lang))
    return EXIT_CONFLICTS if has_errors(findings) else EXIT_OK


def _report(args: argparse.Namespace, out: TextIO) -> int:
    from modeadvisor import operations
    from modeadvisor.reports.markdown import to_markdown_report, write_markdown

    advisor = _advisor(args)
    advice = advisor.assess(args.file)  # from the file, so a mistake is located in it
    if args.format == "markdown" and args.output is not None:
        write_markdown(advice, args.output, charts=not args.no_charts)
        return EXIT_OK
    if args.format == "html":
        try:
            history = history_cli.timelines(args, advice)
        except MissingExtraError as error:
            return _missing_extra("report --db", error.extra, error, args.ui_lang)
        text, examined = operations.report_html(advisor, args.file, advice, history)
        if not examined:
            n = operations.EXAMINED_UNITS
            print(label("examined.left_out", args.lang, n=n), file=sys.stderr)
    else:
        text = to_markdown_report(advice)
    if args.output is None:
        out.write(text)
    else:
        args.output.write_text(text, encoding="utf-8", newline="\n")
    return EXIT_OK


def _survey(args: argparse.Namespace, out: TextIO) -> int:
    from modeadvisor._progress import progress_bar
    from modeadvisor.survey import read_survey
    from modeadvisor.survey import to_text as survey_text

    kb = _knowledge_base(args)
    with progress_bar("survey", tr(args.ui_lang, "rows")) as progress:
        summary = read_survey(
            args.file,
            kb,
            limits=_limits(args),
            progress=progress,
            encoding=args.encoding,
            show_respondents=args.show_respondents,
        )
    out.write(summary.to_json() if args.format == "json" else survey_text(summary, args.lang))
    return EXIT_OK


def _batch(args: argparse.Namespace, out: TextIO) -> int:
    from modeadvisor._progress import progress_bar
    from modeadvisor.tables import open_table, output_format, output_stream, write_advice

    _arrow_memory_pool()
    kb, limits = _knowledge_base(args), _limits(args)
    kind = output_format(args.output, args.format)
    # the header checked before anything is written
    table = open_table(kb, args.file, limits, encoding=args.encoding)
    with (
        progress_bar("batch", tr(args.ui_lang, "units"), table.total) as progress,
        output_stream(args.output, out, kind) as stream,
    ):
        write_advice(kb, table, stream, kind, limits=limits, progress=progress)
    return EXIT_OK


def _arrow_memory_pool() -> None:
    """pyarrow's jemalloc pool for this process, where the wheel has it and the user has not
    chosen one (ARROW_DEFAULT_MEMORY_POOL): against its default, mimalloc, a 10,000,000-row
    Parquet batch peaked at 767-771 MB instead of 837-846 and spent 1.2-1.4 s of system time
    instead of 1.9-2.6 (three runs each). The command line owns its process; the library leaves
    the pool as the program using it set it."""
    from modeadvisor.tables._arrow import arrow

    pa = arrow()
    if pa is None or "ARROW_DEFAULT_MEMORY_POOL" in os.environ:
        return
    with contextlib.suppress(NotImplementedError):  # a build without jemalloc: default stays
        pa.set_memory_pool(pa.jemalloc_memory_pool())


def _what_if(args: argparse.Namespace, out: TextIO) -> int:
    from modeadvisor.advisor import Advisor

    advisor = Advisor(
        _knowledge_base(args), lang=args.lang, limits=_limits(args), backend="vectorised"
    )  # what-if searches with the vectorised scorer whatever the backend
    found = advisor.what_if(
        args.unit,
        organisation=args.file,
        target=args.target,
        clear=args.clear,
        allow=args.allow or (),
    )
    out.write(found.model_dump_json(indent=2) + "\n" if args.format == "json" else found.to_text())
    return EXIT_OK


def _missing_extra(command: str, extra: str, error: ImportError, lang: str = "en") -> int:
    """An optional part is not installed: say which extra brings it (exit 2)."""
    print(
        tr(
            lang,
            "modeadvisor: `modeadvisor {command}` needs the {extra} extra, which is not "
            "installed here ({error}); install it with: pip install 'modeadvisor[{extra}]'",
            command=command,
            extra=extra,
            error=str(error),
        ),
        file=sys.stderr,
    )
    return EXIT_INPUT


def _history(args: argparse.Namespace, out: TextIO) -> int:
    try:
        return history_cli.run(args, out)
    except MissingExtraError as error:
        return _missing_extra("history", error.extra, error, args.ui_lang)


def _test(args: argparse.Namespace, out: TextIO) -> int:
    from modeadvisor.authoring.features import run_features

    try:
        code = run_features(
            args.features or [Path("features")],
            args.packs or (),
            coverage=args.coverage,
            coverage_json=args.coverage_json,
            coverage_html=args.coverage_html,
            fail_under=args.fail_under,
            extra=["-k", args.keyword] if args.keyword else (),
        )
    except MissingExtraError as error:
        return _missing_extra("test", error.extra, error, args.ui_lang)
    except FileNotFoundError as error:
        print(tr(args.ui_lang, "modeadvisor: {error}", error=str(error)), file=sys.stderr)
        return EXIT_INPUT
    # pytest: 0 passed, 1 failures (or coverage under --fail-under), 5 no scenarios found
    return {0: EXIT_OK, 1: EXIT_CONFLICTS}.get(code, EXIT_INPUT if code in (2, 4, 5) else code)


def _steps(args: argparse.Namespace, out: TextIO) -> int:
    try:
        from modeadvisor.bdd import step_catalogue  # pytest-bdd: the bdd extra
    except ImportError as error:
        return _missing_extra("steps", "bdd", error, args.ui_lang)

    lang = None
    for doc in step_catalogue():
        if doc.lang != lang:
            lang = doc.lang
            out.write("# English\n" if lang == "en" else "\n# language: fi\n")
        example = tr(args.ui_lang, "e.g. {step}", step=f"{doc.keyword} {doc.example}")
        out.write(f"{doc.keyword} {doc.phrase}\n    {example}\n")
    return EXIT_OK


def _pack(args: argparse.Namespace, out: TextIO) -> int:
    from modeadvisor.authoring.dmn import export_dmn
    from modeadvisor.authoring.spreadsheet import export_workbook

    if args.pack_command == "import":
        return _pack_import(args, out)
    fmt = args.format or ("dmn" if args.output.suffix.lower() == ".dmn" else "xlsx")
    if fmt == "dmn":
        kb = load_knowledge_base(*args.below, args.folder, limits=_limits(args))
        report = export_dmn(kb, args.output)
        for line in report.not_expressed:
            print(
                tr(args.ui_lang, "modeadvisor: not in the DMN: {what}", what=line), file=sys.stderr
            )
        said = tr(
            args.ui_lang,
            "{file}: {tables} decision tables, {rows} rules",
            file=str(args.output),
            tables=report.tables,
            rows=report.rows,
        )
        out.write(said + "\n")
        return EXIT_OK
    try:
        export_workbook(args.folder, args.output, below=args.below, limits=_limits(args))
    except MissingExtraError as error:
        return _missing_extra("pack export", error.extra, error, args.ui_lang)
    out.write(tr(args.ui_lang, "{file}: written", file=str(args.output)) + "\n")
    return EXIT_OK


def _pack_import(args: argparse.Namespace, out: TextIO) -> int:
    from modeadvisor.authoring.lint import has_errors, lint
    from modeadvisor.authoring.lint import to_text as lint_text
    from modeadvisor.authoring.spreadsheet import import_workbook

    try:
        kb = import_workbook(args.workbook, args.output, below=args.below, limits=_limits(args))
    except MissingExtraError as error:
        return _missing_extra("pack import", error.extra, error, args.ui_lang)
    own = {pack for pack, root in kb.roots.items() if root.resolve() == args.output.resolve()}
    findings = lint(kb, packs=own or None)  # the imported pack is linted as it stands
    said = tr(
        args.ui_lang,
        "{file}: {rules} rules, {links} links",
        file=str(args.output),
        rules=len(kb.rules),
        links=len(kb.links),
    )
    out.write(said + "\n")
    out.write(lint_text(findings, args.ui_lang))  # its findings in the same language
    return EXIT_CONFLICTS if has_errors(findings) else EXIT_OK


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    from modeadvisor.authoring.schema import organisation_schema, rules_schema

    kb = _knowledge_base(args)
    made = organisation_schema(kb) if args.kind == "organisation" else rules_schema(kb)
    out.write(json.dumps(made, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def _graph(args: argparse.Namespace, out: TextIO) -> int:
    from modeadvisor.graph import ModeGraph

    graph = ModeGraph(_knowledge_base(args))  # no rules run: no backend to build
    out.write(graph.to_mermaid(args.lang) if args.format == "mermaid" else graph.to_dot(args.lang))
    return EXIT_OK


def _eval(args: argparse.Namespace, out: TextIO) -> int:
    from modeadvisor.evaluate import run as run_eval
    from modeadvisor.operations import Advisors

    kb = _knowledge_base(args)
    if args.perspective_threshold is not None:
        kb = kb.with_settings(perspective_threshold=args.perspective_threshold)
    advisors = Advisors(kb, _limits(args), show_respondents=args.show_respondents)
    advisors.get(args.lang, args.backend)  # a backend that cannot run: said once, exit 2
    done = run_eval(advisors, sys.stdin.buffer, out, lang=args.lang, backend=args.backend)
    return EXIT_INTERNAL if done.internal else EXIT_INPUT if done.refused else EXIT_OK


def _serve(args: argparse.Namespace, out: TextIO) -> int:
    try:
        return serve(
            args.packs,
            args.lang,
            _limits(args),
            args.host,
            args.port,
            args.workers,
            args.timeout,
            args.concurrency,
            args.db,
            access_of(args),
        )
    except MissingExtraError as error:
        return _missing_extra("serve", error.extra, error, args.ui_lang)


#: Each sub-command's handler: the parsed arguments and standard output in, the exit code out.
_COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "assess": _assess,
    "explain": _explain,
    "validate": _validate,
    "traits": _traits,
    "schema": _schema,
    "report": _report,
    "survey": _survey,
    "batch": _batch,
    "what-if": _what_if,
    "steps": _steps,
    "test": _test,
    "pack": _pack,
    "lint": _lint,
    "impact": _impact,
    "graph": _graph,
    "history": _history,
    "eval": _eval,
    "serve": _serve,
    "token": token_command,
    **people_cli.COMMANDS,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
