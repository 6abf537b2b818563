"""Advice as a report for people: one self-contained HTML file.

The HTML needs nothing from outside — inline CSS, the system's fonts, charts as inline SVG,
folding by `<details>` instead of JavaScript — so it opens offline, as a mail attachment and on
locked-down intranets alike. Every text taken from the advice is escaped: unit, model and
organisation names come from user files. The same Advice always gives the same bytes: no
timestamps, fixed number formats, and the advice's own (already canonical) order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

from modeadvisor.advice import Advice, Conflict, ModelAdvice, Reason, UnitAdvice
from modeadvisor.knowledge import Lang
from modeadvisor.reports import svg
from modeadvisor.reports._common import (
    Index,
    archetype,
    build_index,
    cap,
    count,
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

if TYPE_CHECKING:
    from modeadvisor.advisor import Examination

__all__ = ["to_html"]


def _esc(text: object) -> str:
    return escape(str(text), quote=True)


def _h(key: str, lang: Lang) -> str:
    """A label as a heading or a column head, escaped."""
    return _esc(cap(label(key, lang)))


_CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: #1a1a1a; background: #fff; line-height: 1.45; margin: 0 auto;
  max-width: 72rem; padding: 1rem 1.5rem 3rem; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; }
h3 { margin-top: 1.4rem; } h4 { margin: 0.6rem 0 0.2rem; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: 0.9em; background: #f3f3f3; padding: 0 0.2em; border-radius: 3px; }
.meta, .src, .path, .coverage { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; margin: 0.5rem 0; }
.wide { overflow-x: auto; }  /* a table of long mode names scrolls, not the page */
th, td { border: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left;
  vertical-align: top; }
th { background: #f5f5f5; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
ul.tree, ul.tree ul { list-style: none; padding-left: 1.2rem; }
ul.tree { padding-left: 0; } ul.tree li { margin: 0.15rem 0; }
ul.tree ul { border-left: 1px solid #ccc; margin-left: 0.3rem; }
ul.because { margin: 0; padding-left: 1rem; }
.unit { border-top: 3px solid #0072B2; margin-top: 2.5rem; }
.mode { font-weight: 600; }
svg.radar, svg.timeline { max-width: 100%; height: auto; display: block; }
.insufficient, .disputed, .working-copy { background: #fff4e0; border-left: 5px solid #b36b00;
  padding: 0.4rem 0.7rem; }
.badge { display: inline-block; border-radius: 3px; padding: 0 0.4em; font-size: 0.85em;
  font-weight: 600; color: #fff; text-transform: uppercase; }
.sev-high .badge, .badge.sev-high { background: #b00020; }
.sev-medium .badge, .badge.sev-medium { background: #a35a00; }
.sev-low .badge, .badge.sev-low { background: #1d5e9e; }
.conflict { border-left: 6px solid; padding: 0.5rem 1rem; margin: 0.8rem 0; }
.conflict.sev-high { border-color: #b00020; background: #fdecea; }
.conflict.sev-medium { border-color: #a35a00; background: #fff4e0; }
.conflict.sev-low { border-color: #1d5e9e; background: #e8f1fb; }
.conflict h3 { margin: 0.2rem 0; font-size: 1.05rem; }
details.evidence { margin-top: 1rem; } details.evidence > summary { cursor: pointer;
  font-weight: 600; }
.evidence article { border-left: 3px solid #ddd; padding-left: 0.8rem; margin: 0.8rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 0.8rem; margin: 0; }
dt { color: #555; } dd { margin: 0; } dd code { overflow-wrap: anywhere; }
"""


#: A unit's weights at each of its saved assessments, oldest first (see `to_html`).
Timeline = Sequence[tuple[datetime, Mapping[str, float]]]


def to_html(
    advice: Advice,
    examined: Mapping[str, Examination] | None = None,
    history: Mapping[str, Timeline] | None = None,
) -> str:
    """The whole advice as one self-contained HTML document (no network, no JavaScript); with
    `examined` (`Advisor.examine`), each unit folds in how settled its answer is and why-not
    for the models it uses that are not recommended; with `history` (unit id -> its weights at
    each saved assessment), a unit with two or more draws its weights over time."""
    lang, index = advice.language, build_index(advice)
    title = f"{advice.organisation} — {label('title', lang)}"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_esc(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_esc(advice.organisation)}</h1>",
        f'<p class="subtitle">{_esc(label("title", lang))}</p>',
        f'<p class="meta">{_esc(meta(advice))}</p>',
        "</header>",
    ]
    banner = working_copy(advice)
    if banner is not None:
        parts.insert(-1, f'<p class="working-copy">{_esc(banner)}</p>')
    parts.extend(_html_overview(advice, index))
    parts.extend(_html_conflicts(advice, index))
    parts.append('<main id="units">')
    for unit, _ in tree(advice):
        parts.extend(_html_unit(advice, unit, index, examined, (history or {}).get(unit.id)))
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _unit_link(index: Index, unit_id: str) -> str:
    if unit_id not in index.slugs:
        return _esc(unit_id)
    return f'<a href="#unit-{_esc(index.slugs[unit_id])}">{_esc(index.names[unit_id])}</a>'


def _html_overview(advice: Advice, index: Index) -> Iterator[str]:
    lang = advice.language
    yield '<section id="overview">'
    yield f"<h2>{_h('overview', lang)}</h2>"
    yield f"<h3>{_h('tree', lang)}</h3>"
    yield '<ul class="tree">'
    depth = 0
    for k, (unit, level) in enumerate(tree(advice)):
        # nest by the change in depth: opening and closing lists as the tree goes down and up
        if k:
            if level > depth:
                yield "<ul>" * (level - depth)
            else:
                yield "</li>" + "</ul></li>" * (depth - level)
        depth = level
        mine = [c for _, c in index.conflicts.get(unit.id, [])]
        n, worst = len(mine), _worst(mine)
        badge = (
            f' <a class="badge sev-{worst}" href="#conflicts" '
            f'title="{_esc(_conflicts_title(lang, n))}">{n}</a>'
            if worst
            else ""
        )
        yield (
            f'<li data-unit="{_esc(unit.id)}">{_unit_link(index, unit.id)} '
            f'<code>{_esc(unit.id)}</code> — <span class="mode">{_esc(mode_line(advice, unit))}'
            f"</span>{badge}"
        )
    if advice.units:
        yield "</li>" + "</ul></li>" * depth
    yield "</ul>"
    yield f"<h3>{_h('profiles', lang)}</h3>"
    yield '<div class="wide"><table class="profiles"><thead><tr>'
    yield (
        f"<th>{_h('unit', lang)}</th><th>{_h('mode', lang)}</th>"
        + "".join(f"<th>{_esc(name)}</th>" for name in advice.archetypes.values())
    )
    yield "</tr></thead><tbody>"
    for unit, _ in tree(advice):
        cells = "".join(
            f'<td class="num">{number(unit.profile.weights.get(a, 0.0), lang)}</td>'
            for a in advice.archetypes
        )
        yield (
            f"<tr><td>{_unit_link(index, unit.id)}</td>"
            f"<td>{_esc(mode_line(advice, unit))}</td>{cells}</tr>"
        )
    yield "</tbody></table></div>"
    yield "</section>"


def _conflicts_title(lang: Lang, n: int) -> str:
    return f"{cap(label('conflicts', lang))} ({n})"


def _worst(conflicts: list[Conflict]) -> str | None:
    order = ["low", "medium", "high"]
    return max((c.severity for c in conflicts), key=order.index, default=None)


def _html_conflicts(advice: Advice, index: Index) -> Iterator[str]:
    lang = advice.language
    yield '<section id="conflicts">'
    yield f"<h2>{_esc(_conflicts_title(lang, len(advice.conflicts)))}</h2>"
    if not advice.conflicts:
        yield f"<p>{_h('none_found', lang)}.</p>"
    for k, conflict in enumerate(advice.conflicts, 1):
        shown, more = finding_units(conflict, lang)
        units = separator(index.names.get(u, u) for u in shown).join(
            _unit_link(index, u) for u in shown
        )
        units += f" {_esc(more)}" if more else ""
        yield (
            f'<article class="conflict sev-{_esc(conflict.severity)}" id="conflict-{k}" '
            f'data-severity="{_esc(conflict.severity)}">'
        )
        yield (
            f'<h3><span class="badge">{_esc(label(f"severity.{conflict.severity}", lang))}'
            f"</span> {_esc(finding_kind(advice, conflict.kind))} — {units}</h3>"
        )
        yield f'<p class="explanation">{_esc(conflict.explanation)}</p>'
        details, rest = finding_details(conflict, lang)
        if details:
            yield (
                '<ul class="details">'
                + "".join(f"<li>{_esc(d)}</li>" for d in details)
                + (f'<li class="more">{_esc(rest)}</li>' if rest else "")
                + "</ul>"
            )
        yield (
            f'<p class="resolution"><strong>{_h("resolution", lang)}:</strong> '
            f"{_esc(conflict.resolution)}</p>"
        )
        yield (
            f'<p class="src">{_h("rule", lang)} <code>{_esc(conflict.rule)}</code> · '
            f"{_h('source', lang)}: {_esc(', '.join(conflict.source))} · "
            f"<code>{_esc(conflict.pack)}:{_esc(conflict.origin)}</code></p>"
        )
        yield "</article>"
    yield "</section>"


def _html_examined(advice: Advice, found: Examination | None) -> Iterator[str]:
    """Folded answers: why not each model in use that is not recommended, how settled."""
    if found is None:
        return
    lang = advice.language
    for answer in found.why_not:
        name = answer.names.get(answer.subject, answer.subject)
        yield (
            f'<details class="examined why-not"><summary>'
            f"{_esc(label('examined.why_not', lang, model=name))}</summary>"
            f"<pre>{_esc(answer.to_text())}</pre></details>"
        )
    yield (
        f'<details class="examined settled"><summary>{_esc(label("examined.settled", lang))}'
        f"</summary><pre>{_esc(found.settled.to_text())}</pre></details>"
    )


def _html_unit(
    advice: Advice,
    unit: UnitAdvice,
    index: Index,
    examined: Mapping[str, Examination] | None,
    timeline: Timeline | None,
) -> Iterator[str]:
    lang = advice.language
    slug = index.slugs[unit.id]
    yield f'<section class="unit" id="unit-{_esc(slug)}">'
    parent = (
        f' <span class="meta">({_esc(label("part_of", lang))} '
        f"{_unit_link(index, unit.parent)})</span>"
        if unit.parent
        else ""
    )
    yield f"<h2>{_esc(unit.name)} <code>{_esc(unit.id)}</code>{parent}</h2>"
    yield (
        f"<p><strong>{_h('mode', lang)}:</strong> "
        f'<span class="mode">{_esc(mode_line(advice, unit))}</span></p>'
    )
    yield f'<p class="coverage">{_esc(cap(coverage(advice, unit)))}</p>'
    if unit.profile.dominant is None:
        yield f'<p class="insufficient">{_esc(label("no_chart", lang))}.</p>'
    yield '<figure class="chart">'
    yield svg.draw(advice, unit, slug, standalone=False)
    yield "</figure>"
    if timeline is not None and len(timeline) >= 2:
        yield f"<h3>{_h('history.over_time', lang)}</h3>"
        yield '<figure class="chart timeline">'
        note = label(
            "history.chart_note", lang, count=count("history.assessments", len(timeline), lang)
        )
        yield svg.timeline_svg(unit.name, slug, advice.archetypes, timeline, lang, note)
        yield "</figure>"
    yield from _html_weights(advice, unit)
    yield from _html_unit_conflicts(advice, index.conflicts.get(unit.id, []))
    yield from _html_models(advice, "recommended", unit.recommendations)
    yield from _html_models(advice, "avoid", unit.avoid)
    yield from _html_examined(advice, examined.get(unit.id) if examined else None)
    if unit.direction:
        yield f"<h3>{_h('direction', lang)}</h3>"
        yield (
            '<ul class="direction">'
            + "".join(
                f"<li>→ <strong>{_esc(archetype(advice, d.to))}</strong>: {_esc(d.reason)} "
                f'<span class="src">[{_esc(", ".join(d.source))}]</span></li>'
                for d in unit.direction
            )
            + "</ul>"
        )
    yield from _html_self_assessment(advice, unit)
    if unit.notes:
        yield f"<h3>{_h('notes', lang)}</h3>"
        yield '<ul class="notes">' + "".join(f"<li>{_esc(n)}</li>" for n in unit.notes) + "</ul>"
    yield from _html_evidence(advice, unit)
    yield "</section>"


def _html_weights(advice: Advice, unit: UnitAdvice) -> Iterator[str]:
    # the chart's figures as a table too: exact values, and readable without the picture
    lang = advice.language
    yield '<div class="wide"><table class="views"><thead><tr>'
    yield f"<th>{_h('view', lang)}</th>" + "".join(
        f"<th>{_esc(name)}</th>" for name in advice.archetypes.values()
    )
    yield "</tr></thead><tbody>"
    for view, weights in weight_rows(unit):
        yield (
            f"<tr><td>{_esc(cap(view_label(view, lang)))}</td>"
            + "".join(
                f'<td class="num">{number(weights.get(a, 0.0), lang)}</td>'
                for a in advice.archetypes
            )
            + "</tr>"
        )
    yield "</tbody></table></div>"


def _html_unit_conflicts(advice: Advice, numbered: list[tuple[int, Conflict]]) -> Iterator[str]:
    lang = advice.language
    if not numbered:
        return
    yield f"<h3>{_h('unit_conflicts', lang)}</h3>"
    yield (
        '<ul class="unit-conflicts">'
        + "".join(
            f'<li class="sev-{_esc(c.severity)}"><span class="badge">'
            f"{_esc(label(f'severity.{c.severity}', lang))}</span> "
            f'<a href="#conflict-{k}">{_esc(finding_kind(advice, c.kind))}</a>: '
            f"{_esc(c.explanation)}</li>"
            for k, c in numbered
        )
        + "</ul>"
    )


def _reason_html(advice: Advice, reason: Reason) -> str:
    return (
        f"<li><strong>{_esc(archetype(advice, reason.archetype))}</strong> "
        f"{_esc(label(f'relation.{reason.relation}', advice.language))} "
        f"({_esc(link(advice, reason))}): "
        f'{_esc(reason.reason)} <span class="src">[{_esc(", ".join(reason.source))}]</span> '
        f'<code class="path">{_esc(" → ".join(reason.path))}</code></li>'
    )


def _html_models(advice: Advice, key: str, models: list[ModelAdvice]) -> Iterator[str]:
    # key: "recommended" or "avoid", the heading's label and the table's class
    if not models:
        return
    lang = advice.language
    yield f"<h3>{_h(key, lang)}</h3>"
    yield (
        f'<table class="models {key}"><thead><tr>'
        + "".join(
            f"<th>{_h(key, lang)}</th>" for key in ("model", "kind", "score", "in_use", "because")
        )
        + "</tr></thead><tbody>"
    )
    for m in models:
        because = "".join(_reason_html(advice, r) for r in m.because)
        yield (
            f'<tr data-model="{_esc(m.model)}"><td>{_esc(m.name)}</td>'
            f"<td>{_esc(label(f'kind.{m.kind}', lang))}</td>"
            f'<td class="num">{signed(m.score, lang)}</td>'
            f"<td>{_esc(label('yes', lang)) if m.in_use else ''}</td>"
            f'<td><ul class="because">{because}</ul></td></tr>'
        )
    yield "</tbody></table>"


def _html_self_assessment(advice: Advice, unit: UnitAdvice) -> Iterator[str]:
    assessment = unit.self_assessment
    if assessment is None:
        return
    lang = advice.language
    yield '<div class="self-assessment">'
    yield f"<h3>{_h('self', lang)}</h3>"
    yield f"<p>{_esc(respondents(advice, assessment))}</p>"
    flag = verdict(assessment)
    if flag is not None:
        yield f'<p class="{flag}">{_h(flag, lang)}.</p>'
    if not assessment.ratings:  # below the anonymity floor: not even which modes were rated
        yield "</div>"
        return
    yield (
        "<table><thead><tr>"
        + "".join(
            f"<th>{_h(key, lang)}</th>" for key in ("mode", "mean", "raters", "rwg", "consensus")
        )
        + "</tr></thead><tbody>"
    )
    for r in assessment.ratings:
        cells = "".join(f'<td class="num">{_esc(cell)}</td>' for cell in rating_cells(advice, r))
        yield f"<tr><td>{_esc(archetype(advice, r.archetype))}</td>{cells}</tr>"
    yield "</tbody></table></div>"


def _html_evidence(advice: Advice, unit: UnitAdvice) -> Iterator[str]:
    lang = advice.language
    yield '<details class="evidence">'
    yield f"<summary>{_esc(label('why_profile', lang, n=len(unit.evidence)))}</summary>"
    if not unit.evidence:
        yield f"<p>{_h('no_rule', lang)}.</p>"
    for ev in unit.evidence:
        rows = [
            ("condition", f"<code>{_esc(ev.condition)}</code>"),
            ("matched", _esc(matched(ev))),
            ("weights", _esc(evidence_weights(advice, ev))),
            ("rationale", _esc(ev.rationale)),
            ("source", _esc(", ".join(ev.source))),
            ("origin", f"<code>{_esc(ev.pack)}:{_esc(ev.origin)}</code>"),
        ]
        yield f'<article data-rule="{_esc(ev.rule)}"><h4><code>{_esc(ev.rule)}</code></h4><dl>'
        yield "".join(f"<dt>{_h(key, lang)}</dt><dd>{value}</dd>" for key, value in rows)
        yield "</dl></article>"
    yield "</details>"
