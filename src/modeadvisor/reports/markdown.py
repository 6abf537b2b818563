"""Advice as Markdown: the report of `report --format markdown`, with SVG charts beside it, and
the same document without charts for `assess --format markdown`.

Every text taken from the advice (organisation, unit and model names, conflict texts, reasons) is
written as literal Markdown: no markup and no raw HTML gets through, and a line break cannot end
a table row. The fixed words come from `labels`, shared with the text and HTML outputs.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from modeadvisor.advice import Advice, ModelAdvice, UnitAdvice
from modeadvisor.knowledge import Lang
from modeadvisor.reports import svg
from modeadvisor.reports._common import (
    Index,
    archetype,
    build_index,
    cap,
    coverage,
    evidence_weights,
    finding_details,
    finding_kind,
    finding_units,
    link,
    matched,
    meta,
    mode_line,
    number,
    rating_cells,
    respondents,
    separator,
    signed,
    tree,
    verdict,
    view_label,
    weight_rows,
    working_copy,
)
from modeadvisor.reports.labels import label

__all__ = ["to_markdown", "to_markdown_report", "write_markdown"]

# `&`, `<` and `>` become entities rather than backslash escapes: every Markdown flavour decodes
# entities, while some would pass `\<img ...>` on as a tag
_MD_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: "\\" + c for c in "\\`*_{}[]|#~!"}}
)


#: what would start a list or underline a heading where a text opens a line: "- x", "+ x",
#: "= x", "1. x", "1) x" (leading blanks, which could start a code block, are stripped)
_BLOCK_START = re.compile(r"^(?:[-+=]|\d+(?=[.)]))")


def _md(text: object) -> str:
    """Text as literal Markdown: no markup, no raw HTML, one line (safe in table cells too), and
    no block started where it opens a line (as a conflict's explanation does)."""
    flat = " ".join(str(text).splitlines()).strip().translate(_MD_ESCAPES)
    marker = _BLOCK_START.match(flat)
    if marker is None:
        return flat
    # a backslash before the punctuation: "\- x", "1\. x"
    cut = marker.end() if flat[0].isdigit() else 0
    return f"{flat[:cut]}\\{flat[cut:]}"


def _h(key: str, lang: Lang) -> str:
    """A label as a heading or a column head."""
    return _md(cap(label(key, lang)))


def _code(text: object) -> str:
    # a code span cannot escape backticks: fence it with a longer run than any inside
    flat = " ".join(str(text).splitlines())
    fence = "`" * (max((len(run) for run in re.findall("`+", flat)), default=0) + 1)
    return f"{fence} {flat} {fence}" if "`" in flat else f"{fence}{flat}{fence}"


def _table(header: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> list[str]:
    align = ["---:" if numeric and k in numeric else "---" for k in range(len(header))]
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(align) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def to_markdown(advice: Advice) -> str:
    """The advice as Markdown (`assess --format markdown`): the report without chart links."""
    return to_markdown_report(advice)


def to_markdown_report(advice: Advice, chart_dir: str | None = None) -> str:
    """The report as Markdown; with `chart_dir`, each unit links its chart `<chart_dir>/<id>.svg`
    (a path relative to the Markdown file, written by `write_markdown`)."""
    lang, index = advice.language, build_index(advice)
    lines = [
        f"# {_md(advice.organisation)}",
        "",
        f"*{_md(label('title', lang))}*",
        "",
        _md(meta(advice)),
        "",
        *_md_working_copy(advice),
        *_md_overview(advice),
        *_md_conflicts(advice, index),
    ]
    for unit, _ in tree(advice):
        chart = f"{chart_dir}/{index.slugs[unit.id]}.svg" if chart_dir is not None else None
        lines += _md_unit(advice, unit, index, chart)
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_overview(advice: Advice) -> list[str]:
    """The unit tree with each unit's mode, then the profile weights of all units."""
    lang = advice.language
    lines = [f"## {_h('overview', lang)}", ""]
    for unit, depth in tree(advice):
        lines.append(
            f"{'  ' * depth}- **{_md(unit.name)}** {_code(unit.id)}: {_md(mode_line(advice, unit))}"
        )
    lines.append("")
    lines += _table(
        [
            _h("unit", lang),
            _h("mode", lang),
            *(_md(name) for name in advice.archetypes.values()),
        ],
        [
            [
                _md(unit.name),
                _md(mode_line(advice, unit)),
                *(number(unit.profile.weights.get(a, 0.0), lang) for a in advice.archetypes),
            ]
            for unit, _ in tree(advice)
        ],
        numeric=set(range(2, 2 + len(advice.archetypes))),
    )
    return [*lines, ""]


def _md_conflicts(advice: Advice, index: Index) -> list[str]:
    lang = advice.language
    lines = [f"## {_h('conflicts', lang)} ({len(advice.conflicts)})", ""]
    if not advice.conflicts:
        lines += [f"{_h('none_found', lang)}.", ""]
    for conflict in advice.conflicts:
        shown, more = finding_units(conflict, lang)
        named = [index.names.get(u, u) for u in shown]
        units = separator(named).join(_md(n) for n in named)
        units += f" {_md(more)}" if more else ""
        lines += [
            f"### {_md(label(f'severity.{conflict.severity}', lang).upper())}: "
            f"{_md(finding_kind(advice, conflict.kind))} — {units}",
            "",
            _md(conflict.explanation),
            "",
        ]
        details, rest = finding_details(conflict, lang)
        lines += [f"- {_md(detail)}" for detail in details]
        lines += [f"- {_md(rest)}"] if rest else []
        lines += [""] if conflict.details else []
        lines += [
            f"**{_h('resolution', lang)}:** {_md(conflict.resolution)}",
            "",
            f"{_h('rule', lang)} {_code(conflict.rule)} · {_h('source', lang)}: "
            f"{_md(', '.join(conflict.source))} · "
            f"{_code(f'{conflict.pack}:{conflict.origin}')}",
            "",
        ]
    return lines


def _md_unit(advice: Advice, unit: UnitAdvice, index: Index, chart: str | None) -> list[str]:
    lang = advice.language
    parent = (
        f" ({_md(label('part_of', lang))} {_md(index.names.get(unit.parent, unit.parent))})"
        if unit.parent
        else ""
    )
    lines = [
        f"## {_md(unit.name)} {_code(unit.id)}",
        "",
        f"**{_h('mode', lang)}:** {_md(mode_line(advice, unit))}{parent}",
        "",
        _md(cap(coverage(advice, unit))),
        "",
    ]
    if unit.profile.dominant is None:
        lines += [f"> {_md(label('no_chart', lang))}.", ""]
    if chart is not None:
        # percent-encoded, so a Markdown file name with spaces still links its charts
        lines += [f"![{_md(label('chart', lang, unit=unit.name))}]({quote(chart)})", ""]
    lines += _table(
        [_h("view", lang), *(_md(n) for n in advice.archetypes.values())],
        [
            [
                _md(cap(view_label(view, lang))),
                *(number(weights.get(a, 0.0), lang) for a in advice.archetypes),
            ]
            for view, weights in weight_rows(unit)
        ],
        numeric=set(range(1, 1 + len(advice.archetypes))),
    )
    lines.append("")
    for key, models in (("recommended", unit.recommendations), ("avoid", unit.avoid)):
        if models:
            lines += [f"### {_h(key, lang)}", "", *_md_models(advice, models), ""]
    if unit.direction:
        lines += [f"### {_h('direction', lang)}", ""]
        lines += [
            f"- → **{_md(archetype(advice, d.to))}**: {_md(d.reason)} "
            f"\\[{_md(', '.join(d.source))}\\]"
            for d in unit.direction
        ]
        lines.append("")
    lines += _md_self_assessment(advice, unit)
    if unit.notes:
        lines += [f"### {_h('notes', lang)}", "", *(f"- {_md(n)}" for n in unit.notes), ""]
    return lines + _md_evidence(advice, unit)


def _md_evidence(advice: Advice, unit: UnitAdvice) -> list[str]:
    """The explanation trail: every rule that fired, with what it matched and where it is."""
    lang = advice.language
    lines = [f"### {_md(label('why_profile', lang, n=len(unit.evidence)))}", ""]
    if not unit.evidence:
        return [*lines, f"{_h('no_rule', lang)}.", ""]
    keys = ("rule", "condition", "matched", "weights", "rationale", "source", "origin")
    lines += _table(
        [_h(key, lang) for key in keys],
        [
            [
                _code(ev.rule),
                _code(ev.condition),
                _md(matched(ev)),
                _md(evidence_weights(advice, ev)),
                _md(ev.rationale),
                _md(", ".join(ev.source)),
                _code(f"{ev.pack}:{ev.origin}"),
            ]
            for ev in unit.evidence
        ],
    )
    return [*lines, ""]


def _md_models(advice: Advice, models: list[ModelAdvice]) -> list[str]:
    lang = advice.language
    rows = []
    for m in models:
        because = "; ".join(
            f"**{_md(archetype(advice, r.archetype))}** "
            f"{_md(label(f'relation.{r.relation}', lang))} ({_md(link(advice, r))}): "
            f"{_md(r.reason)} \\[{_md(', '.join(r.source))}\\]"
            for r in m.because
        )
        rows.append(
            [
                _md(m.name),
                _md(label(f"kind.{m.kind}", lang)),
                signed(m.score, lang),
                _md(label("yes", lang)) if m.in_use else "",
                because,
            ]
        )
    return _table(
        [_h(key, lang) for key in ("model", "kind", "score", "in_use", "because")],
        rows,
        numeric={2},
    )


def _md_working_copy(advice: Advice) -> list[str]:
    banner = working_copy(advice)
    return [] if banner is None else [f"**{_md(banner)}**", ""]


def _md_self_assessment(advice: Advice, unit: UnitAdvice) -> list[str]:
    assessment = unit.self_assessment
    if assessment is None:
        return []
    lang = advice.language
    said = verdict(assessment)
    line = f"{_md(cap(respondents(advice, assessment)))}."
    if said is not None:
        flag = _md(cap(label(said, lang)) + ".")
        line += f" **{flag}**" if assessment.disputed else f" {flag}"
    lines = [f"### {_h('self', lang)}", "", line, ""]
    if not assessment.ratings:  # below the anonymity floor: not even which modes were rated
        return lines
    lines += _table(
        [_h(key, lang) for key in ("mode", "mean", "raters", "rwg", "consensus")],
        [
            [_md(archetype(advice, r.archetype)), *rating_cells(advice, r)]
            for r in assessment.ratings
        ],
        numeric={1, 2, 3, 4},
    )
    return [*lines, ""]


def write_markdown(advice: Advice, path: Path, charts: bool = True) -> list[Path]:
    """Write the Markdown report to `path` and, with `charts`, one SVG radar chart per unit to
    the folder `<stem>-charts/` beside it, linked relatively; returns the files written.

    Nothing is deleted: charts of units no longer in the advice stay until removed by hand.
    """
    path = Path(path)
    chart_dir = path.parent / f"{path.stem}-charts"
    written = [path]
    if charts:
        chart_dir.mkdir(parents=True, exist_ok=True)
        slugs = build_index(advice).slugs
        for unit in advice.units:
            svg_path = chart_dir / f"{slugs[unit.id]}.svg"
            svg_path.write_text(
                svg.draw(advice, unit, slugs[unit.id], standalone=True),
                encoding="utf-8",
                newline="\n",
            )
            written.append(svg_path)
    path.write_text(
        to_markdown_report(advice, chart_dir.name if charts else None),
        encoding="utf-8",
        newline="\n",
    )
    return written
