"""Charts as SVG: a radar of a unit's profile (one axis per archetype, one polygon per view), and
a unit's weights over its saved assessments (one line per archetype).

The chart is drawn inline in the HTML report and written as standalone `.svg` files beside the
Markdown report. Every text in it is escaped and stripped of characters XML 1.0 forbids, and the
same advice always gives the same bytes (coordinates rounded to one decimal).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from html import escape

from modeadvisor.advice import Advice, UnitAdvice
from modeadvisor.knowledge import Lang
from modeadvisor.reports._common import (
    archetype,
    build_index,
    cap,
    day,
    moment,
    number,
    view_label,
    views,
)
from modeadvisor.reports.labels import decimal, label

__all__ = ["radar_svg", "timeline_svg"]

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
    return escape(_XML_INVALID.sub("", str(text)), quote=True)


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


def _grid(n: int, lang: Lang) -> Iterator[str]:
    for ring in (0.25, 0.5, 0.75, 1.0):
        points = " ".join(
            f"{_f(x)},{_f(y)}" for x, y in (_point(i, n, _R * ring) for i in range(n))
        )
        yield f'<polygon class="grid" points="{points}" fill="none" stroke="#ccc"/>'
        yield (
            f'<text class="ring" x="{_f(_CX + 3)}" y="{_f(_CY - _R * ring - 2)}" '
            f'font-size="9" fill="#888">{decimal(ring, lang)}</text>'
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
    name = cap(view_label(view, advice.language))
    values = ", ".join(
        f"{archetype(advice, a)} {number(weights.get(a, 0.0), advice.language)}" for a in archetypes
    )
    dots = "".join(
        f'<circle cx="{_f(x)}" cy="{_f(y)}" r="3.5" fill="{stroke}"/>'
        for (x, y), share in zip(points, shares, strict=True)
        if share > 0
    )
    return (
        f'<g class="view view-{_svg_text(view)}" data-view="{_svg_text(view)}">'
        f"<title>{_svg_text(name)}: {_svg_text(values)}</title>"
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
            f"{_svg_text(cap(view_label(view, advice.language)))}</text>"
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
    return draw(advice, unit, build_index(advice).slugs[unit.id], standalone=standalone)


def draw(advice: Advice, unit: UnitAdvice, slug: str, *, standalone: bool) -> str:
    """`radar_svg` for renderers that have already made the unit's slug."""
    lang = advice.language
    n = len(advice.archetypes)
    drawn = views(unit) if n else []
    legend_top = _CY + _R + 70.0
    note = unit.profile.dominant is None
    height = legend_top + (_LINE + 6 if note else 0) + 18 * len(drawn) + 10
    title = label("chart", lang, unit=unit.name)
    xmlns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    parts = [
        f'<svg{xmlns} class="radar" id="radar-{slug}" viewBox="0 0 {_WIDTH} {_f(height)}" '
        f'width="{_WIDTH}" height="{_f(height)}" role="img" '
        f'aria-labelledby="radar-{slug}-title" font-family="{_FONT}" font-size="12">',
        f'<title id="radar-{slug}-title">{_svg_text(title)}</title>',
        f'<rect width="{_WIDTH}" height="{_f(height)}" fill="#fff"/>',
    ]
    if n:
        parts.extend(_grid(n, lang))
        parts.extend(
            _axis_label(i, n, archetype(advice, a)) for i, a in enumerate(advice.archetypes)
        )
        parts.extend(_polygon(advice, view, weights, k) for k, (view, weights) in enumerate(drawn))
    if note:
        parts.append(
            f'<text class="no-chart" x="20" y="{_f(legend_top + 4)}" '
            f'font-style="italic" fill="#555">{_svg_text(label("no_chart", lang))}</text>'
        )
        legend_top += _LINE + 6
    parts.extend(_legend(advice, [view for view, _ in drawn], legend_top))
    parts.append("</svg>")
    svg = "\n".join(parts)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{svg}\n' if standalone else svg


# --- weights over time ----------------------------------------------------------------------

#: Line colours of the modes over time (Okabe-Ito), with a dash each for greyscale print.
_MODE_STYLES = (
    ("#0072B2", ""),
    ("#D55E00", "6 4"),
    ("#009E73", "2 3"),
    ("#CC79A7", "8 3 2 3"),
    ("#E69F00", "1 2"),
    ("#56B4E9", "10 2"),
    ("#000000", "4 2"),
)
_T_LEFT, _T_TOP, _T_WIDTH, _T_HEIGHT = 50, 40, 520, 200
#: Dates written under the axis at most: the others are in each point's tooltip.
_T_DATES = 6


def timeline_svg(
    unit_name: str,
    slug: str,
    modes: Mapping[str, str],
    points: Sequence[tuple[datetime, Mapping[str, float]]],
    lang: Lang,
    note: str = "",
) -> str:
    """A unit's weight of each mode (`modes`: id -> name, in order) over its saved assessments,
    oldest first, evenly spaced: one line per mode with a dot per assessment (its date and
    weight in a tooltip), the dates under the axis, a legend. Inline SVG for the HTML report."""
    n = len(points)
    step = _T_WIDTH / (n - 1) if n > 1 else 0.0

    def x(i: int) -> float:
        return _T_LEFT + (i * step if n > 1 else _T_WIDTH / 2)

    def y(weight: float) -> float:
        return _T_TOP + _T_HEIGHT * (1 - min(max(weight, 0.0), 1.0))

    legend_top = _T_TOP + _T_HEIGHT + 44
    height = legend_top + 18 * len(modes) + (_LINE + 6 if note else 0) + 10
    title = label("history.chart", lang, unit=unit_name)
    parts = [
        f'<svg class="timeline" id="timeline-{slug}" viewBox="0 0 {_WIDTH} {_f(height)}" '
        f'width="{_WIDTH}" height="{_f(height)}" role="img" '
        f'aria-labelledby="timeline-{slug}-title" font-family="{_FONT}" font-size="12">',
        f'<title id="timeline-{slug}-title">{_svg_text(title)}</title>',
        f'<rect width="{_WIDTH}" height="{_f(height)}" fill="#fff"/>',
    ]
    for ring in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            f'<line class="grid" x1="{_T_LEFT}" y1="{_f(y(ring))}" x2="{_T_LEFT + _T_WIDTH}" '
            f'y2="{_f(y(ring))}" stroke="#ddd"/>'
            f'<text x="{_T_LEFT - 6}" y="{_f(y(ring) + 4)}" text-anchor="end" font-size="10" '
            f'fill="#666">{number(ring, lang)}</text>'
        )
    every = max(1, math.ceil(n / _T_DATES))
    for i, (at, _) in enumerate(points):
        if i % every == 0 or i == n - 1:
            parts.append(
                f'<text class="date" x="{_f(x(i))}" y="{_T_TOP + _T_HEIGHT + 18}" '
                f'text-anchor="middle" font-size="10" fill="#444">{_svg_text(day(at, lang))}</text>'
            )
    for k, (mode, name) in enumerate(modes.items()):
        colour, dash = _MODE_STYLES[k % len(_MODE_STYLES)]
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        line = " ".join(f"{_f(x(i))},{_f(y(w.get(mode, 0.0)))}" for i, (_, w) in enumerate(points))
        dots = "".join(
            f'<circle cx="{_f(x(i))}" cy="{_f(y(w.get(mode, 0.0)))}" r="3.5" fill="{colour}">'
            f"<title>{_svg_text(moment(at, lang))}: {_svg_text(name)} "
            f"{number(w.get(mode, 0.0), lang)}</title></circle>"
            for i, (at, w) in enumerate(points)
        )
        parts.append(
            f'<g class="mode" data-mode="{_svg_text(mode)}">'
            f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"{dashes}/>'
            f"{dots}</g>"
        )
        top = legend_top + 18 * k
        parts.append(
            f'<line x1="20" y1="{top + 6}" x2="42" y2="{top + 6}" stroke="{colour}" '
            f'stroke-width="2"{dashes}/><text x="50" y="{top + 10}" fill="#222">'
            f"{_svg_text(name)}</text>"
        )
    if note:
        parts.append(
            f'<text class="note" x="20" y="{_f(legend_top + 18 * len(modes) + 10)}" '
            f'font-style="italic" fill="#555">{_svg_text(note)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
