"""Advice as a report for people: one self-contained HTML file, or Markdown with SVG charts.

The HTML needs nothing from outside — inline CSS, the system's fonts, charts as inline SVG,
folding by `<details>` instead of JavaScript — so it opens offline, as a mail attachment and on
locked-down intranets alike. Every text taken from the advice is escaped: unit, model and
organisation names come from user files. The same Advice always gives the same bytes: no
timestamps, fixed number formats, and the advice's own (already canonical) order.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote

from modeadvisor.advice import (
    Advice,
    Conflict,
    Evidence,
    JsonValue,
    ModelAdvice,
    Reason,
    UnitAdvice,
)
from modeadvisor.knowledge import Lang
from modeadvisor.reports.labels import label

__all__ = ["radar_svg", "to_html", "to_markdown_report", "write_markdown"]

# --- fixed texts -----------------------------------------------------------------------------

_LABELS: dict[str, dict[Lang, str]] = {
    "title": {
        "en": "Advice on management and measurement models",
        "fi": "Johtamis- ja mittausmallisuositukset",
    },
    "meta": {
        "en": "Rule pack: {pack} {version} · units: {units} · conflicts: {conflicts}",
        "fi": "Sääntöpaketti: {pack} {version} · yksiköitä: {units} · ristiriitoja: {conflicts}",
    },
    "overview": {"en": "Overview", "fi": "Yleiskuva"},
    "tree": {"en": "Units and their modes", "fi": "Yksiköt ja niiden toimintatavat"},
    "profiles": {"en": "Profile weights", "fi": "Profiilin painot"},
    "mode": {"en": "Mode", "fi": "Toimintatapa"},
    "part_of": {"en": "part of", "fi": "yläyksikkö:"},
    "no_mode": {"en": "none named (insufficient evidence)", "fi": "ei nimetty (näyttö ei riitä)"},
    "then": {"en": "then", "fi": "toisena"},
    "coverage": {
        "en": "Rules fired: {fired} · traits observed: {observed} of {catalogue} ({share})",
        "fi": "Täyttyneitä sääntöjä: {fired} · havaittuja piirteitä: "
        "{observed}/{catalogue} ({share})",
    },
    "chart": {"en": "Mode profile: {unit}", "fi": "Toimintatapaprofiili: {unit}"},
    "no_chart": {
        "en": "Too little evidence to chart the observed profile",
        "fi": "Näyttö ei riitä havaitun profiilin piirtämiseen",
    },
    "view": {"en": "View", "fi": "Näkymä"},
    "view.current": {"en": "Current (observed)", "fi": "Nykyinen (havaittu)"},
    "view.desired": {"en": "Desired", "fi": "Tavoiteltu"},
    "view.strategy": {"en": "Strategy-chosen", "fi": "Strategian mukainen"},
    "recommended": {"en": "Recommended models", "fi": "Suositellut mallit"},
    "avoid": {"en": "Models to avoid", "fi": "Vältettävät mallit"},
    "kind.management": {"en": "management", "fi": "johtamismalli"},
    "kind.measurement": {"en": "measurement", "fi": "mittausmalli"},
    "in_use": {"en": "In use", "fi": "Käytössä"},
    "because": {"en": "Because", "fi": "Perustelut"},
    "poor_fit": {"en": "fits poorly", "fi": "sopii huonosti"},
    "link": {
        "en": "strength {strength} x weight {weight} = {contribution}",
        "fi": "vahvuus {strength} x paino {weight} = {contribution}",
    },
    "direction": {"en": "Direction of development", "fi": "Kehityssuunta"},
    "self": {"en": "Self-assessment", "fi": "Itsearvio"},
    "respondents": {"en": "Respondents: {n}", "fi": "Vastaajia: {n}"},
    "mean": {"en": "Mean (1-5)", "fi": "Keskiarvo (1-5)"},
    "answered": {"en": "Answers", "fi": "Vastauksia"},
    "rwg": {"en": "Agreement (rwg)", "fi": "Yksimielisyys (rwg)"},
    "consensus": {"en": "Consensus", "fi": "Konsensus"},
    "disputed": {
        "en": "Disputed: the respondents disagree, so the mean is no shared view.",
        "fi": "Kiistanalainen: vastaajat ovat eri mieltä, joten keskiarvo ei kuvaa "
        "yhteistä näkemystä.",
    },
    "agreed": {
        "en": "The respondents broadly agree.",
        "fi": "Vastaajat ovat pääosin samaa mieltä.",
    },
    "notes": {"en": "Notes", "fi": "Huomiot"},
    "evidence": {
        "en": "Explanation trail: rules that fired ({n})",
        "fi": "Perustelupolku: täyttyneet säännöt ({n})",
    },
    "no_evidence": {"en": "No rule fired.", "fi": "Yksikään sääntö ei täyttynyt."},
    "condition": {"en": "Condition", "fi": "Ehto"},
    "matched": {"en": "Matched traits", "fi": "Täsmänneet piirteet"},
    "weights": {"en": "Weights", "fi": "Painot"},
    "share": {"en": "share", "fi": "osuus"},
    "rationale": {"en": "Rationale", "fi": "Perustelu"},
    "origin": {"en": "Origin", "fi": "Sijainti"},
    "conflicts": {"en": "Conflicts ({n})", "fi": "Ristiriidat ({n})"},
    "unit_conflicts": {"en": "Conflicts of this unit", "fi": "Yksikön ristiriidat"},
    "no_conflicts": {"en": "None found.", "fi": "Ristiriitoja ei löytynyt."},
    "resolution": {"en": "What to do", "fi": "Toimenpide-ehdotus"},
    "severity.high": {"en": "high", "fi": "vakava"},
    "severity.medium": {"en": "medium", "fi": "kohtalainen"},
    "severity.low": {"en": "low", "fi": "lievä"},
}


def _t(lang: Lang, key: str, **values: object) -> str:
    """A fixed text of the report; words the other renderings share come from `messages`."""
    if key not in _LABELS:
        return label(key, lang, **values)
    text = _LABELS[key][lang]
    return text.format(**values) if values else text


# --- shared helpers --------------------------------------------------------------------------

_VIEW_ORDER = ("current", "desired", "strategy")


def _esc(text: object) -> str:
    return escape(str(text), quote=True)


def _share(value: float, lang: Lang) -> str:
    # Finnish puts a space before the percent sign
    return f"{value * 100:.0f} %" if lang == "fi" else f"{value * 100:.0f}%"


def _value(value: JsonValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    return str(value)


def _arch(advice: Advice, archetype: str) -> str:
    return advice.archetypes.get(archetype, archetype)


def _mode(advice: Advice, unit: UnitAdvice) -> str:
    lang, profile = advice.language, unit.profile
    if profile.dominant is None:
        return _t(lang, "no_mode")
    text = f"{_arch(advice, profile.dominant)} ({profile.weights.get(profile.dominant, 0):.2f})"
    if profile.secondary:
        text += (
            f", {_t(lang, 'then')} {_arch(advice, profile.secondary)} "
            f"({profile.weights.get(profile.secondary, 0):.2f})"
        )
    return text + (f" — {_t(lang, 'mixed')}" if profile.mixed else "")


def _coverage(advice: Advice, unit: UnitAdvice) -> str:
    cov = unit.profile.coverage
    return _t(
        advice.language,
        "coverage",
        fired=cov.fired_rules,
        observed=cov.observed_traits,
        catalogue=cov.catalogue_traits,
        share=_share(cov.share, advice.language),
    )


def _view_label(lang: Lang, view: str) -> str:
    key = f"view.{view}"
    return _t(lang, key) if key in _LABELS else view


def _views(unit: UnitAdvice) -> list[tuple[str, Mapping[str, float]]]:
    """The views a chart draws: the observed profile (only when it names a mode), then the stated
    ones — desired and strategy first, any others by name, so the order never depends on input."""
    views: list[tuple[str, Mapping[str, float]]] = []
    if unit.profile.dominant is not None:
        views.append(("current", unit.profile.weights))
    stated = sorted(
        unit.perspectives,
        key=lambda v: (_VIEW_ORDER.index(v) if v in _VIEW_ORDER else len(_VIEW_ORDER), v),
    )
    views.extend((view, unit.perspectives[view]) for view in stated)
    return views


@dataclass(frozen=True, slots=True)
class _Index:
    """Look-ups made once per report, so that a large organisation renders in linear time."""

    slugs: dict[str, str]  # unit id -> safe id for HTML ids and chart file names
    names: dict[str, str]  # unit id -> display name
    conflicts: dict[str, list[tuple[int, Conflict]]]  # unit id -> its conflicts, numbered


def _index(advice: Advice) -> _Index:
    """Slugs: ids from an organisation file are already safe, but an Advice read from other JSON
    need not be, and a '/' in a file name would write outside the chart folder. They are kept
    unique without regard to case, as macOS and Windows file systems ignore it."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for unit in advice.units:
        base = re.sub(r"[^A-Za-z0-9_.-]", "_", unit.id).lstrip("._-") or "unit"
        slug, n = base, 2
        while slug.lower() in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug.lower())
        slugs.setdefault(unit.id, slug)
    conflicts: dict[str, list[tuple[int, Conflict]]] = {}
    for k, conflict in enumerate(advice.conflicts, 1):
        for unit_id in dict.fromkeys(conflict.units):
            conflicts.setdefault(unit_id, []).append((k, conflict))
    return _Index(slugs, {unit.id: unit.name for unit in advice.units}, conflicts)


def _tree(advice: Advice) -> list[tuple[UnitAdvice, int]]:
    """Units top-down with their depth, siblings in the advice's order.

    Iterative, as a deep tree must not hit the recursion limit; a unit whose parent is not in
    the advice counts as a top unit, and each unit is visited once even if parents loop.
    """
    ids = {unit.id for unit in advice.units}
    children: dict[str | None, list[UnitAdvice]] = {}
    for unit in advice.units:
        parent = unit.parent if unit.parent in ids and unit.parent != unit.id else None
        children.setdefault(parent, []).append(unit)
    order: list[tuple[UnitAdvice, int]] = []
    seen: set[str] = set()
    stack = [(unit, 0) for unit in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        if unit.id in seen:
            continue
        seen.add(unit.id)
        order.append((unit, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(unit.id, [])))
    # units only reachable through a loop of parents: list them at the top, not lose them
    order.extend((unit, 0) for unit in advice.units if unit.id not in seen)
    return order


# --- radar chart -----------------------------------------------------------------------------

_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
_WIDTH, _CX, _CY, _R = 600, 300, 200, 140
_LINE = 14  # height of one label line
_LABEL_CHARS = 20  # wrap axis labels at this many characters
#: colour (Okabe-Ito, safe for colour blindness), fill opacity and dash pattern per view; the
#: dashes keep the views apart in greyscale print too
_STYLES = {
    "current": ("#0072B2", "0.25", ""),
    "desired": ("#009E73", "0.12", "6 4"),
    "strategy": ("#D55E00", "0.12", "2 3"),
}
_EXTRA_STYLES = (
    ("#CC79A7", "0.1", "8 3 2 3"),
    ("#E69F00", "0.1", "1 2"),
    ("#56B4E9", "0.1", "10 2"),
)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _svg_text(text: object) -> str:
    # characters XML 1.0 forbids would make a standalone SVG file unreadable
    return _esc(_XML_INVALID.sub("", str(text)))


def _f(x: float) -> str:
    return f"{round(x, 1) + 0.0:.1f}"  # + 0.0: no "-0.0"


def _angle(i: int, n: int) -> float:
    return -math.pi / 2 + 2 * math.pi * i / n  # the first axis straight up, then clockwise


def _point(i: int, n: int, radius: float) -> tuple[float, float]:
    return _CX + radius * math.cos(_angle(i, n)), _CY + radius * math.sin(_angle(i, n))


def _wrap(text: str) -> list[str]:
    """Break a long archetype name after spaces, slashes or hyphens."""
    lines = [""]
    for token in re.findall(r"[^ /-]*[ /-]*", text):
        if lines[-1] and len(lines[-1]) + len(token.rstrip()) > _LABEL_CHARS:
            lines.append("")
        lines[-1] += token
    return [line.strip() for line in lines if line.strip()]


def _axis_label(i: int, n: int, name: str) -> str:
    x, y = _point(i, n, _R + 12)
    cos, sin = math.cos(_angle(i, n)), math.sin(_angle(i, n))
    anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
    lines = _wrap(name)
    if sin < -0.3:  # above the chart: the block ends at the axis
        top = y - (len(lines) - 1) * _LINE
    elif sin > 0.3:  # below: it starts there
        top = y + _LINE - 4
    else:
        top = y - (len(lines) - 1) * _LINE / 2 + 4
    spans = "".join(
        f'<tspan x="{_f(x)}" y="{_f(top + k * _LINE)}">{_svg_text(line)}</tspan>'
        for k, line in enumerate(lines)
    )
    return f'<text class="axis-label" text-anchor="{anchor}" fill="#222">{spans}</text>'


def _grid(n: int) -> Iterator[str]:
    for ring in (0.25, 0.5, 0.75, 1.0):
        points = " ".join(
            f"{_f(x)},{_f(y)}" for x, y in (_point(i, n, _R * ring) for i in range(n))
        )
        yield f'<polygon class="grid" points="{points}" fill="none" stroke="#ccc"/>'
        yield (
            f'<text class="ring" x="{_f(_CX + 3)}" y="{_f(_CY - _R * ring - 2)}" '
            f'font-size="9" fill="#888">{ring:g}</text>'
        )
    for i in range(n):
        x, y = _point(i, n, _R)
        yield (
            f'<line class="axis" x1="{_CX}" y1="{_CY}" x2="{_f(x)}" y2="{_f(y)}" stroke="#bbb"/>'
        )


def _style(view: str, index: int) -> tuple[str, str, str]:
    return _STYLES.get(view) or _EXTRA_STYLES[index % len(_EXTRA_STYLES)]


def _polygon(advice: Advice, view: str, weights: Mapping[str, float], index: int) -> str:
    """One view: its polygon, and a dot on each axis it reaches — a profile on one axis, or on
    two opposite ones, is a polygon without area, and the dots keep it visible."""
    archetypes = list(advice.archetypes)
    n = len(archetypes)
    # weights outside 0..1 would only come from a hand-made Advice: keep them inside the chart
    shares = [min(max(weights.get(a, 0.0), 0.0), 1.0) for a in archetypes]
    points = [_point(i, n, _R * share) for i, share in enumerate(shares)]
    stroke, opacity, dash = _style(view, index)
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    label = _view_label(advice.language, view)
    values = ", ".join(f"{_arch(advice, a)} {weights.get(a, 0.0):.2f}" for a in archetypes)
    dots = "".join(
        f'<circle cx="{_f(x)}" cy="{_f(y)}" r="3.5" fill="{stroke}"/>'
        for (x, y), share in zip(points, shares, strict=True)
        if share > 0
    )
    return (
        f'<g class="view view-{_svg_text(view)}" data-view="{_svg_text(view)}">'
        f"<title>{_svg_text(label)}: {_svg_text(values)}</title>"
        f'<polygon data-view="{_svg_text(view)}" '
        f'points="{" ".join(f"{_f(x)},{_f(y)}" for x, y in points)}" fill="{stroke}" '
        f'fill-opacity="{opacity}" stroke="{stroke}" stroke-width="2"{dashes}/>{dots}</g>'
    )


def _legend(advice: Advice, views: list[str], top: float) -> Iterator[str]:
    yield f'<g class="legend" transform="translate(20 {_f(top)})">'
    for k, view in enumerate(views):
        stroke, opacity, dash = _style(view, k)
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        y = k * 18
        yield (
            f'<rect x="0" y="{y}" width="22" height="12" fill="{stroke}" '
            f'fill-opacity="{opacity}" stroke="{stroke}" stroke-width="2"{dashes}/>'
        )
        yield (
            f'<text x="30" y="{y + 10}" fill="#222">'
            f"{_svg_text(_view_label(advice.language, view))}</text>"
        )
    yield "</g>"


def radar_svg(advice: Advice, unit: UnitAdvice | str, *, standalone: bool = False) -> str:
    """A radar chart of a unit's profile weights over the archetypes, as SVG.

    One polygon per view: the observed profile (left out when the evidence names no mode, with a
    note in its place) and each stated view (desired, strategy), with a legend. `standalone`
    adds the XML declaration and namespace that an .svg file needs; inline in HTML5 neither is
    wanted (and the namespace is the one URL the HTML report would otherwise contain).
    """
    if isinstance(unit, str):
        unit = advice.unit(unit)
    return _radar(advice, unit, _index(advice).slugs[unit.id], standalone)


def _radar(advice: Advice, unit: UnitAdvice, slug: str, standalone: bool) -> str:
    lang = advice.language
    n = len(advice.archetypes)
    views = _views(unit) if n else []
    legend_top = _CY + _R + 70.0
    note = unit.profile.dominant is None
    height = legend_top + (_LINE + 6 if note else 0) + 18 * len(views) + 10
    title = _t(lang, "chart", unit=unit.name)
    xmlns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    parts = [
        f'<svg{xmlns} class="radar" id="radar-{slug}" viewBox="0 0 {_WIDTH} {_f(height)}" '
        f'width="{_WIDTH}" height="{_f(height)}" role="img" '
        f'aria-labelledby="radar-{slug}-title" font-family="{_FONT}" font-size="12">',
        f'<title id="radar-{slug}-title">{_svg_text(title)}</title>',
        f'<rect width="{_WIDTH}" height="{_f(height)}" fill="#fff"/>',
    ]
    if n:
        parts.extend(_grid(n))
        parts.extend(_axis_label(i, n, _arch(advice, a)) for i, a in enumerate(advice.archetypes))
        parts.extend(_polygon(advice, view, weights, k) for k, (view, weights) in enumerate(views))
    if note:
        parts.append(
            f'<text class="no-chart" x="20" y="{_f(legend_top + 4)}" '
            f'font-style="italic" fill="#555">{_svg_text(_t(lang, "no_chart"))}</text>'
        )
        legend_top += _LINE + 6
    parts.extend(_legend(advice, [view for view, _ in views], legend_top))
    parts.append("</svg>")
    svg = "\n".join(parts)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{svg}\n' if standalone else svg


# --- HTML ------------------------------------------------------------------------------------

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
th, td { border: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left;
  vertical-align: top; }
th { background: #f5f5f5; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
ul.tree, ul.tree ul { list-style: none; padding-left: 1.2rem; }
ul.tree { padding-left: 0; } ul.tree li { margin: 0.15rem 0; }
ul.tree ul { border-left: 1px solid #ccc; margin-left: 0.3rem; }
ul.because { margin: 0; padding-left: 1rem; }
.unit { border-top: 3px solid #0072B2; margin-top: 2.5rem; }
.mode { font-weight: 600; }
svg.radar { max-width: 100%; height: auto; display: block; }
.insufficient, .disputed { background: #fff4e0; border-left: 5px solid #b36b00;
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


def _meta(advice: Advice) -> str:
    return _t(
        advice.language,
        "meta",
        pack=advice.pack.id,
        version=advice.pack.version,
        units=len(advice.units),
        conflicts=len(advice.conflicts),
    )


def to_html(advice: Advice) -> str:
    """The whole advice as one self-contained HTML document (no network, no JavaScript)."""
    lang, index = advice.language, _index(advice)
    title = f"{advice.organisation} — {_t(lang, 'title')}"
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
        f'<p class="subtitle">{_esc(_t(lang, "title"))}</p>',
        f'<p class="meta">{_esc(_meta(advice))}</p>',
        "</header>",
    ]
    parts.extend(_html_overview(advice, index))
    parts.extend(_html_conflicts(advice, index))
    parts.append('<main id="units">')
    for unit, _ in _tree(advice):
        parts.extend(_html_unit(advice, unit, index))
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _unit_link(index: _Index, unit_id: str) -> str:
    if unit_id not in index.slugs:
        return _esc(unit_id)
    return f'<a href="#unit-{_esc(index.slugs[unit_id])}">{_esc(index.names[unit_id])}</a>'


def _html_overview(advice: Advice, index: _Index) -> Iterator[str]:
    lang = advice.language
    yield '<section id="overview">'
    yield f"<h2>{_esc(_t(lang, 'overview'))}</h2>"
    yield f"<h3>{_esc(_t(lang, 'tree'))}</h3>"
    yield '<ul class="tree">'
    depth = 0
    for k, (unit, level) in enumerate(_tree(advice)):
        # nest by the change in depth: opening and closing lists as the tree goes down and up
        if k:
            if level > depth:
                yield "<ul>" * (level - depth)
            else:
                yield "</li>" + "</ul></li>" * (depth - level)
        depth = level
        mine = [c for _, c in index.conflicts.get(unit.id, [])]
        count, worst = len(mine), _worst(mine)
        badge = (
            f' <a class="badge sev-{worst}" href="#conflicts" '
            f'title="{_esc(_t(lang, "conflicts", n=count))}">{count}</a>'
            if worst
            else ""
        )
        yield (
            f'<li data-unit="{_esc(unit.id)}">{_unit_link(index, unit.id)} '
            f'<code>{_esc(unit.id)}</code> — <span class="mode">{_esc(_mode(advice, unit))}'
            f"</span>{badge}"
        )
    if advice.units:
        yield "</li>" + "</ul></li>" * depth
    yield "</ul>"
    yield f"<h3>{_esc(_t(lang, 'profiles'))}</h3>"
    yield '<table class="profiles"><thead><tr>'
    yield (
        f"<th>{_esc(_t(lang, 'unit'))}</th><th>{_esc(_t(lang, 'mode'))}</th>"
        + "".join(f"<th>{_esc(name)}</th>" for name in advice.archetypes.values())
    )
    yield "</tr></thead><tbody>"
    for unit, _ in _tree(advice):
        cells = "".join(
            f'<td class="num">{unit.profile.weights.get(a, 0.0):.2f}</td>'
            for a in advice.archetypes
        )
        yield (
            f"<tr><td>{_unit_link(index, unit.id)}</td>"
            f"<td>{_esc(_mode(advice, unit))}</td>{cells}</tr>"
        )
    yield "</tbody></table>"
    yield "</section>"


def _worst(conflicts: list[Conflict]) -> str | None:
    order = ["low", "medium", "high"]
    return max((c.severity for c in conflicts), key=order.index, default=None)


def _html_conflicts(advice: Advice, index: _Index) -> Iterator[str]:
    lang = advice.language
    yield '<section id="conflicts">'
    yield f"<h2>{_esc(_t(lang, 'conflicts', n=len(advice.conflicts)))}</h2>"
    if not advice.conflicts:
        yield f"<p>{_esc(_t(lang, 'no_conflicts'))}</p>"
    for k, conflict in enumerate(advice.conflicts, 1):
        units = ", ".join(_unit_link(index, u) for u in conflict.units)
        yield (
            f'<article class="conflict sev-{_esc(conflict.severity)}" id="conflict-{k}" '
            f'data-severity="{_esc(conflict.severity)}">'
        )
        yield (
            f'<h3><span class="badge">{_esc(_t(lang, f"severity.{conflict.severity}"))}'
            f"</span> <code>{_esc(conflict.kind)}</code> — {units}</h3>"
        )
        yield f'<p class="explanation">{_esc(conflict.explanation)}</p>'
        if conflict.details:
            yield (
                '<ul class="details">'
                + "".join(f"<li>{_esc(d)}</li>" for d in conflict.details)
                + "</ul>"
            )
        yield (
            f'<p class="resolution"><strong>{_esc(_t(lang, "resolution"))}:</strong> '
            f"{_esc(conflict.resolution)}</p>"
        )
        yield (
            f'<p class="src">{_esc(_t(lang, "rule"))} <code>{_esc(conflict.rule)}</code> · '
            f"{_esc(_t(lang, 'source'))}: {_esc(', '.join(conflict.source))} · "
            f"<code>{_esc(conflict.pack)}:{_esc(conflict.origin)}</code></p>"
        )
        yield "</article>"
    yield "</section>"


def _html_unit(advice: Advice, unit: UnitAdvice, index: _Index) -> Iterator[str]:
    lang = advice.language
    slug = index.slugs[unit.id]
    yield f'<section class="unit" id="unit-{_esc(slug)}">'
    parent = (
        f' <span class="meta">({_esc(_t(lang, "part_of"))} {_unit_link(index, unit.parent)})</span>'
        if unit.parent
        else ""
    )
    yield f"<h2>{_esc(unit.name)} <code>{_esc(unit.id)}</code>{parent}</h2>"
    yield (
        f"<p><strong>{_esc(_t(lang, 'mode'))}:</strong> "
        f'<span class="mode">{_esc(_mode(advice, unit))}</span></p>'
    )
    yield f'<p class="coverage">{_esc(_coverage(advice, unit))}</p>'
    if unit.profile.dominant is None:
        yield f'<p class="insufficient">{_esc(_t(lang, "no_chart"))}.</p>'
    yield '<figure class="chart">'
    yield _radar(advice, unit, slug, standalone=False)
    yield "</figure>"
    yield from _html_weights(advice, unit)
    yield from _html_unit_conflicts(advice, index.conflicts.get(unit.id, []))
    yield from _html_models(advice, _t(lang, "recommended"), "recommended", unit.recommendations)
    yield from _html_models(advice, _t(lang, "avoid"), "avoid", unit.avoid)
    if unit.direction:
        yield f"<h3>{_esc(_t(lang, 'direction'))}</h3>"
        yield (
            '<ul class="direction">'
            + "".join(
                f"<li>→ <strong>{_esc(_arch(advice, d.to))}</strong>: {_esc(d.reason)} "
                f'<span class="src">[{_esc(", ".join(d.source))}]</span></li>'
                for d in unit.direction
            )
            + "</ul>"
        )
    yield from _html_self_assessment(advice, unit)
    if unit.notes:
        yield f"<h3>{_esc(_t(lang, 'notes'))}</h3>"
        yield '<ul class="notes">' + "".join(f"<li>{_esc(n)}</li>" for n in unit.notes) + "</ul>"
    yield from _html_evidence(advice, unit)
    yield "</section>"


def _html_weights(advice: Advice, unit: UnitAdvice) -> Iterator[str]:
    # the chart's figures as a table too: exact values, and readable without the picture
    lang = advice.language
    rows = [("current", unit.profile.weights), *((v, w) for v, w in _views(unit) if v != "current")]
    yield '<table class="views"><thead><tr>'
    yield f"<th>{_esc(_t(lang, 'view'))}</th>" + "".join(
        f"<th>{_esc(name)}</th>" for name in advice.archetypes.values()
    )
    yield "</tr></thead><tbody>"
    for view, weights in rows:
        yield (
            f"<tr><td>{_esc(_view_label(lang, view))}</td>"
            + "".join(f'<td class="num">{weights.get(a, 0.0):.2f}</td>' for a in advice.archetypes)
            + "</tr>"
        )
    yield "</tbody></table>"


def _html_unit_conflicts(advice: Advice, numbered: list[tuple[int, Conflict]]) -> Iterator[str]:
    lang = advice.language
    if not numbered:
        return
    yield f"<h3>{_esc(_t(lang, 'unit_conflicts'))}</h3>"
    yield (
        '<ul class="unit-conflicts">'
        + "".join(
            f'<li class="sev-{_esc(c.severity)}"><span class="badge">'
            f"{_esc(_t(lang, f'severity.{c.severity}'))}</span> "
            f'<a href="#conflict-{k}">{_esc(c.kind)}</a>: {_esc(c.explanation)}</li>'
            for k, c in numbered
        )
        + "</ul>"
    )


def _figures(advice: Advice, reason: Reason) -> str:
    return _t(
        advice.language,
        "link",
        strength=f"{reason.strength:g}",
        weight=f"{reason.archetype_weight:.2f}",
        contribution=f"{reason.contribution:+.2f}",
    )


def _reason_html(advice: Advice, reason: Reason) -> str:
    return (
        f"<li><strong>{_esc(_arch(advice, reason.archetype))}</strong> "
        f"{_esc(_t(advice.language, reason.relation))} ({_esc(_figures(advice, reason))}): "
        f'{_esc(reason.reason)} <span class="src">[{_esc(", ".join(reason.source))}]</span> '
        f'<span class="path">{_esc(" → ".join(reason.path))}</span></li>'
    )


def _html_models(advice: Advice, title: str, css: str, models: list[ModelAdvice]) -> Iterator[str]:
    if not models:
        return
    lang = advice.language
    yield f"<h3>{_esc(title)}</h3>"
    yield (
        f'<table class="models {css}"><thead><tr>'
        + "".join(
            f"<th>{_esc(_t(lang, key))}</th>"
            for key in ("model", "kind", "score", "in_use", "because")
        )
        + "</tr></thead><tbody>"
    )
    for m in models:
        because = "".join(_reason_html(advice, r) for r in m.because)
        yield (
            f'<tr data-model="{_esc(m.model)}"><td>{_esc(m.name)}</td>'
            f"<td>{_esc(_t(lang, f'kind.{m.kind}'))}</td>"
            f'<td class="num">{m.score:+.2f}</td>'
            f"<td>{_esc(_t(lang, 'yes')) if m.in_use else ''}</td>"
            f'<td><ul class="because">{because}</ul></td></tr>'
        )
    yield "</tbody></table>"


def _html_self_assessment(advice: Advice, unit: UnitAdvice) -> Iterator[str]:
    assessment = unit.self_assessment
    if assessment is None:
        return
    lang = advice.language
    yield '<div class="self-assessment">'
    yield f"<h3>{_esc(_t(lang, 'self'))}</h3>"
    yield f"<p>{_esc(_t(lang, 'respondents', n=assessment.respondents))}</p>"
    flag = "disputed" if assessment.disputed else "agreed"
    yield f'<p class="{flag}">{_esc(_t(lang, flag))}</p>'
    yield (
        "<table><thead><tr>"
        + "".join(
            f"<th>{_esc(_t(lang, key))}</th>"
            for key in ("mode", "mean", "answered", "rwg", "consensus")
        )
        + "</tr></thead><tbody>"
    )
    for r in assessment.ratings:
        yield (
            f"<tr><td>{_esc(_arch(advice, r.archetype))}</td>"
            f'<td class="num">{r.mean:.1f}</td><td class="num">{r.respondents}</td>'
            f'<td class="num">{_opt(r.rwg)}</td><td class="num">{_opt(r.consensus)}</td>'
            "</tr>"
        )
    yield "</tbody></table></div>"


def _opt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _evidence_weights(advice: Advice, ev: Evidence) -> str:
    share = _t(advice.language, "share")
    return ", ".join(
        f"{_arch(advice, a)} +{w:g} ({share} {ev.contribution.get(a, 0.0):.2f})"
        for a, w in ev.weights.items()
    )


def _matched(ev: Evidence) -> str:
    return ", ".join(f"{trait} = {_value(v)}" for trait, v in ev.matched.items())


def _html_evidence(advice: Advice, unit: UnitAdvice) -> Iterator[str]:
    lang = advice.language
    yield '<details class="evidence">'
    yield f"<summary>{_esc(_t(lang, 'evidence', n=len(unit.evidence)))}</summary>"
    if not unit.evidence:
        yield f"<p>{_esc(_t(lang, 'no_evidence'))}</p>"
    for ev in unit.evidence:
        rows = [
            ("condition", f"<code>{_esc(ev.condition)}</code>"),
            ("matched", _esc(_matched(ev))),
            ("weights", _esc(_evidence_weights(advice, ev))),
            ("rationale", _esc(ev.rationale)),
            ("source", _esc(", ".join(ev.source))),
            ("origin", f"<code>{_esc(ev.pack)}:{_esc(ev.origin)}</code>"),
        ]
        yield f'<article data-rule="{_esc(ev.rule)}"><h4><code>{_esc(ev.rule)}</code></h4><dl>'
        yield "".join(f"<dt>{_esc(_t(lang, key))}</dt><dd>{value}</dd>" for key, value in rows)
        yield "</dl></article>"
    yield "</details>"


# --- Markdown --------------------------------------------------------------------------------

# `&`, `<` and `>` become entities rather than backslash escapes: every Markdown flavour decodes
# entities, while some would pass `\<img ...>` on as a tag
_MD_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: "\\" + c for c in "\\`*_{}[]|#~!"}}
)


def _md(text: object) -> str:
    """Text as literal Markdown: no markup, no raw HTML, one line (safe in table cells too)."""
    return " ".join(str(text).splitlines()).translate(_MD_ESCAPES)


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


def to_markdown_report(advice: Advice, chart_dir: str | None = None) -> str:
    """The report as Markdown; with `chart_dir`, each unit links its chart `<chart_dir>/<id>.svg`
    (a path relative to the Markdown file, written by `write_markdown`)."""
    lang, index = advice.language, _index(advice)
    lines = [
        f"# {_md(advice.organisation)}",
        "",
        f"*{_md(_t(lang, 'title'))}*",
        "",
        _md(_meta(advice)),
        "",
        f"## {_md(_t(lang, 'overview'))}",
        "",
    ]
    for unit, depth in _tree(advice):
        lines.append(
            f"{'  ' * depth}- **{_md(unit.name)}** {_code(unit.id)}: {_md(_mode(advice, unit))}"
        )
    lines.append("")
    lines += _table(
        [
            _md(_t(lang, "unit")),
            _md(_t(lang, "mode")),
            *(_md(name) for name in advice.archetypes.values()),
        ],
        [
            [
                _md(unit.name),
                _md(_mode(advice, unit)),
                *(f"{unit.profile.weights.get(a, 0.0):.2f}" for a in advice.archetypes),
            ]
            for unit, _ in _tree(advice)
        ],
        numeric=set(range(2, 2 + len(advice.archetypes))),
    )
    lines += ["", f"## {_md(_t(lang, 'conflicts', n=len(advice.conflicts)))}", ""]
    if not advice.conflicts:
        lines += [_md(_t(lang, "no_conflicts")), ""]
    for conflict in advice.conflicts:
        units = ", ".join(_md(index.names.get(u, u)) for u in conflict.units)
        lines += [
            f"### {_md(_t(lang, f'severity.{conflict.severity}').upper())}: "
            f"{_code(conflict.kind)} — {units}",
            "",
            _md(conflict.explanation),
            "",
        ]
        lines += [f"- {_md(detail)}" for detail in conflict.details]
        lines += [""] if conflict.details else []
        lines += [
            f"**{_md(_t(lang, 'resolution'))}:** {_md(conflict.resolution)}",
            "",
            f"{_md(_t(lang, 'rule'))} {_code(conflict.rule)} · {_md(_t(lang, 'source'))}: "
            f"{_md(', '.join(conflict.source))} · "
            f"{_code(f'{conflict.pack}:{conflict.origin}')}",
            "",
        ]
    for unit, _ in _tree(advice):
        chart = f"{chart_dir}/{index.slugs[unit.id]}.svg" if chart_dir is not None else None
        lines += _md_unit(advice, unit, index, chart)
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_unit(advice: Advice, unit: UnitAdvice, index: _Index, chart: str | None) -> list[str]:
    lang = advice.language
    parent = (
        f" ({_md(_t(lang, 'part_of'))} {_md(index.names.get(unit.parent, unit.parent))})"
        if unit.parent
        else ""
    )
    lines = [
        f"## {_md(unit.name)} {_code(unit.id)}",
        "",
        f"**{_md(_t(lang, 'mode'))}:** {_md(_mode(advice, unit))}{parent}",
        "",
        _md(_coverage(advice, unit)),
        "",
    ]
    if unit.profile.dominant is None:
        lines += [f"> {_md(_t(lang, 'no_chart'))}.", ""]
    if chart is not None:
        # percent-encoded, so a Markdown file name with spaces still links its charts
        lines += [f"![{_md(_t(lang, 'chart', unit=unit.name))}]({quote(chart)})", ""]
    rows = [("current", unit.profile.weights), *((v, w) for v, w in _views(unit) if v != "current")]
    lines += _table(
        [_md(_t(lang, "view")), *(_md(n) for n in advice.archetypes.values())],
        [
            [
                _md(_view_label(lang, view)),
                *(f"{weights.get(a, 0.0):.2f}" for a in advice.archetypes),
            ]
            for view, weights in rows
        ],
        numeric=set(range(1, 1 + len(advice.archetypes))),
    )
    lines.append("")
    for key, models in (("recommended", unit.recommendations), ("avoid", unit.avoid)):
        if models:
            lines += [f"### {_md(_t(lang, key))}", "", *_md_models(advice, models), ""]
    if unit.direction:
        lines += [f"### {_md(_t(lang, 'direction'))}", ""]
        lines += [
            f"- → **{_md(_arch(advice, d.to))}**: {_md(d.reason)} \\[{_md(', '.join(d.source))}\\]"
            for d in unit.direction
        ]
        lines.append("")
    lines += _md_self_assessment(advice, unit)
    if unit.notes:
        lines += [f"### {_md(_t(lang, 'notes'))}", "", *(f"- {_md(n)}" for n in unit.notes), ""]
    lines += [f"### {_md(_t(lang, 'evidence', n=len(unit.evidence)))}", ""]
    if not unit.evidence:
        lines += [_md(_t(lang, "no_evidence")), ""]
    else:
        lines += _table(
            [
                _md(_t(lang, key))
                for key in (
                    "rule",
                    "condition",
                    "matched",
                    "weights",
                    "rationale",
                    "source",
                    "origin",
                )
            ],
            [
                [
                    _code(ev.rule),
                    _code(ev.condition),
                    _md(_matched(ev)),
                    _md(_evidence_weights(advice, ev)),
                    _md(ev.rationale),
                    _md(", ".join(ev.source)),
                    _code(f"{ev.pack}:{ev.origin}"),
                ]
                for ev in unit.evidence
            ],
        )
        lines.append("")
    return lines


def _md_models(advice: Advice, models: list[ModelAdvice]) -> list[str]:
    lang = advice.language
    rows = []
    for m in models:
        because = "; ".join(
            f"**{_md(_arch(advice, r.archetype))}** {_md(_t(lang, r.relation))} "
            f"({_md(_figures(advice, r))}): {_md(r.reason)} \\[{_md(', '.join(r.source))}\\]"
            for r in m.because
        )
        rows.append(
            [
                _md(m.name),
                _md(_t(lang, f"kind.{m.kind}")),
                f"{m.score:+.2f}",
                _md(_t(lang, "yes")) if m.in_use else "",
                because,
            ]
        )
    return _table(
        [_md(_t(lang, key)) for key in ("model", "kind", "score", "in_use", "because")],
        rows,
        numeric={2},
    )


def _md_self_assessment(advice: Advice, unit: UnitAdvice) -> list[str]:
    assessment = unit.self_assessment
    if assessment is None:
        return []
    lang = advice.language
    flag = _t(lang, "disputed" if assessment.disputed else "agreed")
    lines = [
        f"### {_md(_t(lang, 'self'))}",
        "",
        f"{_md(_t(lang, 'respondents', n=assessment.respondents))}. "
        + (f"**{_md(flag)}**" if assessment.disputed else _md(flag)),
        "",
    ]
    lines += _table(
        [_md(_t(lang, key)) for key in ("mode", "mean", "answered", "rwg", "consensus")],
        [
            [
                _md(_arch(advice, r.archetype)),
                f"{r.mean:.1f}",
                str(r.respondents),
                _opt(r.rwg),
                _opt(r.consensus),
            ]
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
        slugs = _index(advice).slugs
        for unit in advice.units:
            svg_path = chart_dir / f"{slugs[unit.id]}.svg"
            svg_path.write_text(
                _radar(advice, unit, slugs[unit.id], standalone=True),
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
