"""Advice as text for a terminal and as Markdown for documents (JSON is `Advice.to_json`).

Both follow the advice's language: names, reasons and notes come translated in the advice, the
fixed words from `messages.label`.
"""

from __future__ import annotations

from collections.abc import Iterator

from modeadvisor.advice import Advice, Conflict, ModelAdvice, UnitAdvice
from modeadvisor.knowledge import Lang
from modeadvisor.reports.labels import label


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def _mode_line(advice: Advice, unit: UnitAdvice) -> str:
    lang = advice.language
    profile = unit.profile
    if profile.dominant is None:
        return label("no_mode", lang)
    name = advice.archetypes[profile.dominant]
    text = f"{name} ({profile.weights[profile.dominant]:.2f})"
    if profile.secondary:
        second = advice.archetypes[profile.secondary]
        text += f", {label('then', lang)} {second} ({profile.weights[profile.secondary]:.2f})"
    return text + (f" — {label('mixed', lang)}" if profile.mixed else "")


def _model_line(model: ModelAdvice, lang: Lang) -> str:
    use = f"  [{label('in_use', lang)}]" if model.in_use else ""
    return f"{model.score:+.2f}  {label(model.kind, lang):<12}  {model.name}{use}"


# --- text ------------------------------------------------------------------------------------


def to_text(advice: Advice) -> str:
    lang = advice.language
    lines = [
        f"{advice.organisation}  ({label('pack', lang)} {advice.pack.id} {advice.pack.version})",
        "",
    ]
    for unit in advice.units:
        lines.extend(_unit_text(advice, unit))
        lines.append("")
    lines.extend(_conflicts_text(advice.conflicts, lang))
    return "\n".join(lines)


def _conflicts_text(conflicts: list[Conflict], lang: Lang) -> Iterator[str]:
    if not conflicts:
        yield label("no_conflicts", lang)
        yield ""
        return
    yield f"{label('conflicts', lang)} ({len(conflicts)}):"
    for conflict in conflicts:
        yield (
            f"  [{label(conflict.severity, lang)}] {conflict.kind}: "
            f"{', '.join(conflict.units)}  ({conflict.rule}, {', '.join(conflict.source)})"
        )
        yield f"    {conflict.explanation}"
        yield from (f"      - {detail}" for detail in conflict.details)
        yield f"    {label('what_to_do', lang)}: {conflict.resolution}"
    yield ""


def _stated_text(advice: Advice, unit: UnitAdvice) -> Iterator[str]:
    lang = advice.language
    for view, weights in unit.perspectives.items():
        shown = "  ".join(f"{a} {w:.2f}" for a, w in weights.items())
        yield f"  {label(view, lang) + ':':<10} {shown}"
    assessment = unit.self_assessment
    if assessment is not None:
        rated = "  ".join(f"{r.archetype} {r.mean:.1f}" for r in assessment.ratings)
        verdict = label("disputed" if assessment.disputed else "mean_of", lang)
        yield f"  {label('self_rated', lang, n=assessment.respondents)}: {rated}  ({verdict})"


def _unit_text(advice: Advice, unit: UnitAdvice) -> Iterator[str]:
    lang = advice.language
    parent = f"  ({label('part_of', lang)} {unit.parent})" if unit.parent else ""
    yield f"{unit.name} [{unit.id}]{parent}"
    yield f"  {label('mode', lang) + ':':<10} {_mode_line(advice, unit)}"
    weights = "  ".join(f"{a} {w:.2f}" for a, w in unit.profile.weights.items())
    yield f"  {label('weights', lang) + ':':<10} {weights}"
    cov = unit.profile.coverage
    line = label(
        "evidence_line",
        lang,
        fired=cov.fired_rules,
        observed=cov.observed_traits,
        catalogue=cov.catalogue_traits,
    )
    yield f"  {label('evidence', lang) + ':':<10} {line}"
    yield from _stated_text(advice, unit)
    if unit.recommendations:
        yield f"  {label('recommended', lang)}:"
        yield from (f"    {_model_line(m, lang)}" for m in unit.recommendations)
    if unit.avoid:
        yield f"  {label('avoid', lang)}:"
        yield from (f"    {_model_line(m, lang)}" for m in unit.avoid)
    for direction in unit.direction:
        sources = ", ".join(direction.source)
        yield f"  {label('direction', lang)} {advice.archetypes[direction.to]} ({sources})"
    for note in unit.notes:
        yield f"  {label('note', lang)}: {note}"


def explain_text(advice: Advice, unit_id: str) -> str:
    """The whole trail for one unit: fired rules, matched values, and each model's path."""
    lang = advice.language
    unit = advice.unit(unit_id)
    lines = list(_unit_text(advice, unit))
    lines += ["", label("why_profile", lang)]
    if not unit.evidence:
        lines.append(f"  {label('no_rule', lang)}")
    for ev in unit.evidence:
        weights = ", ".join(f"{a} +{w:g}" for a, w in ev.weights.items())
        matched = ", ".join(f"{t} = {_value(v)}" for t, v in ev.matched.items())
        lines += [
            f"  {ev.rule}: {weights}   [{', '.join(ev.source)}]  {ev.pack}:{ev.origin}",
            f"    {label('when', lang)} {ev.condition}",
            f"    {label('matched', lang)} {matched}",
            f"    {ev.rationale}",
        ]
    for title, models in (("why_recommended", unit.recommendations), ("why_avoid", unit.avoid)):
        if not models:
            continue
        lines += ["", label(title, lang)]
        for model in models:
            lines.append(f"  {model.name} ({model.model}) {model.score:+.2f}")
            for r in model.because:
                lines.append(
                    f"    {' -> '.join(r.path)}: {label(r.relation, lang)} "
                    f"{r.strength:g} x {label('weight', lang)} "
                    f"{r.archetype_weight:.2f} = {r.contribution:+.2f}  "
                    f"[{', '.join(r.source)}]"
                )
                lines.append(f"      {r.reason}")
    conflicts = advice.conflicts_of(unit_id)
    if conflicts:
        lines += ["", *_conflicts_text(conflicts, lang)]
        for conflict in conflicts:
            lines.append(
                f"  {conflict.rule} {label('written_at', lang)} {conflict.pack}:{conflict.origin}"
            )
    return "\n".join(lines).rstrip("\n") + "\n"


# --- Markdown --------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(advice: Advice) -> str:
    lang = advice.language
    lines = [
        f"# {_cell(advice.organisation)}",
        "",
        f"{label('advice_from', lang)} `{advice.pack.id}` {advice.pack.version}.",
        "",
    ]
    lines += [
        f"| {label('unit', lang)} | {label('mode_title', lang)} | "
        + " | ".join(_cell(n) for n in advice.archetypes.values())
        + " |",
        "|---|---|" + "---:|" * len(advice.archetypes),
    ]
    for unit in advice.units:
        weights = " | ".join(f"{unit.profile.weights[a]:.2f}" for a in advice.archetypes)
        lines.append(f"| {_cell(unit.name)} | {_cell(_mode_line(advice, unit))} | {weights} |")
    for unit in advice.units:
        lines += [
            "",
            f"## {_cell(unit.name)} (`{unit.id}`)",
            "",
            f"**{label('mode_title', lang)}:** {_cell(_mode_line(advice, unit))}",
            "",
        ]
        lines += _models_markdown(advice, unit)
        if unit.evidence:
            lines += [
                f"### {label('evidence_title', lang)}",
                "",
                f"| {label('rule', lang)} | {label('matched', lang)} | "
                f"{label('weights', lang)} | {label('source', lang)} |",
                "|---|---|---|---|",
            ]
            for ev in unit.evidence:
                matched = ", ".join(f"{t} = {_value(v)}" for t, v in ev.matched.items())
                weights = ", ".join(f"{a} +{w:g}" for a, w in ev.weights.items())
                lines.append(
                    f"| `{ev.rule}` | {_cell(matched)} | {weights} | {', '.join(ev.source)} |"
                )
        for note in unit.notes:
            lines += ["", f"> {_cell(note)}"]
    lines += ["", f"## {label('conflicts', lang)}", ""]
    if not advice.conflicts:
        lines.append(label("none_found", lang))
    for conflict in advice.conflicts:
        lines += [
            f"### {label(conflict.severity, lang).upper()}: {conflict.kind} — "
            f"{_cell(', '.join(conflict.units))}",
            "",
            _cell(conflict.explanation),
            "",
        ]
        lines += [f"- {_cell(detail)}" for detail in conflict.details]
        if conflict.details:
            lines.append("")
        lines += [
            f"**{label('what_to_do', lang).capitalize()}:** {_cell(conflict.resolution)}",
            "",
            f"{label('rule', lang)} `{conflict.rule}` ({', '.join(conflict.source)}), "
            f"`{conflict.pack}:{conflict.origin}`.",
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _models_markdown(advice: Advice, unit: UnitAdvice) -> list[str]:
    lang = advice.language
    lines: list[str] = []
    for title, models in (("recommended_title", unit.recommendations), ("avoid_title", unit.avoid)):
        if not models:
            continue
        lines += [
            f"### {label(title, lang)}",
            "",
            f"| {label('model', lang)} | {label('kind', lang)} | {label('score', lang)} | "
            f"{label('in_use', lang).capitalize()} | {label('because', lang)} |",
            "|---|---|---:|---|---|",
        ]
        for m in models:
            because = "; ".join(
                f"{advice.archetypes[r.archetype]} {label(r.relation, lang)} "
                f"({', '.join(r.source)}): {r.reason}"
                for r in m.because
            )
            lines.append(
                f"| {_cell(m.name)} | {label(m.kind, lang)} | {m.score:+.2f} | "
                f"{label('yes', lang) if m.in_use else ''} | {_cell(because)} |"
            )
        lines.append("")
    return lines
