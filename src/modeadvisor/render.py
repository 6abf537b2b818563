"""Advice as text for a terminal and as Markdown for documents (JSON is `Advice.to_json`)."""

from __future__ import annotations

from collections.abc import Iterator

from .advice import Advice, Conflict, ModelAdvice, UnitAdvice


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def _mode_line(advice: Advice, unit: UnitAdvice) -> str:
    profile = unit.profile
    if profile.dominant is None:
        return "insufficient evidence: no mode named"
    name = advice.archetypes[profile.dominant]
    text = f"{name} ({profile.weights[profile.dominant]:.2f})"
    if profile.secondary:
        second = advice.archetypes[profile.secondary]
        text += f", then {second} ({profile.weights[profile.secondary]:.2f})"
    return text + (" — mixed" if profile.mixed else "")


def _model_line(model: ModelAdvice) -> str:
    use = "  [in use]" if model.in_use else ""
    return f"{model.score:+.2f}  {model.kind:<11}  {model.name}{use}"


# --- text ------------------------------------------------------------------------------------


def to_text(advice: Advice) -> str:
    lines = [f"{advice.organisation}  (pack {advice.pack.id} {advice.pack.version})", ""]
    for unit in advice.units:
        lines.extend(_unit_text(advice, unit))
        lines.append("")
    lines.extend(_conflicts_text(advice.conflicts))
    return "\n".join(lines)


def _conflicts_text(conflicts: list[Conflict]) -> Iterator[str]:
    if not conflicts:
        yield "Conflicts: none found"
        yield ""
        return
    yield f"Conflicts ({len(conflicts)}):"
    for conflict in conflicts:
        yield (f"  [{conflict.severity}] {conflict.kind}: {', '.join(conflict.units)}  "
               f"({conflict.rule}, {', '.join(conflict.source)})")
        yield f"    {conflict.explanation}"
        yield from (f"      - {detail}" for detail in conflict.details)
        yield f"    what to do: {conflict.resolution}"
    yield ""


def _stated_text(advice: Advice, unit: UnitAdvice) -> Iterator[str]:
    for view, weights in unit.perspectives.items():
        shown = "  ".join(f"{a} {w:.2f}" for a, w in weights.items())
        yield f"  {view + ':':<9} {shown}"
    assessment = unit.self_assessment
    if assessment is not None:
        rated = "  ".join(f"{r.archetype} {r.mean:.1f}" for r in assessment.ratings)
        verdict = "they disagree: no consensus" if assessment.disputed else "mean of 1-5"
        yield (f"  self-rated by {assessment.respondents}: {rated}  ({verdict})")


def _unit_text(advice: Advice, unit: UnitAdvice) -> Iterator[str]:
    parent = f"  (part of {unit.parent})" if unit.parent else ""
    yield f"{unit.name} [{unit.id}]{parent}"
    yield f"  mode:     {_mode_line(advice, unit)}"
    weights = "  ".join(f"{a} {w:.2f}" for a, w in unit.profile.weights.items())
    yield f"  weights:  {weights}"
    cov = unit.profile.coverage
    yield (f"  evidence: {cov.fired_rules} rules fired on {cov.observed_traits} of "
           f"{cov.catalogue_traits} traits observed")
    yield from _stated_text(advice, unit)
    if unit.recommendations:
        yield "  recommended:"
        yield from (f"    {_model_line(m)}" for m in unit.recommendations)
    if unit.avoid:
        yield "  avoid:"
        yield from (f"    {_model_line(m)}" for m in unit.avoid)
    for direction in unit.direction:
        sources = ", ".join(direction.source)
        yield f"  direction: towards {advice.archetypes[direction.to]} ({sources})"
    for note in unit.notes:
        yield f"  note: {note}"


def explain_text(advice: Advice, unit_id: str) -> str:
    """The whole trail for one unit: fired rules, matched values, and each model's path."""
    unit = advice.unit(unit_id)
    lines = list(_unit_text(advice, unit))
    lines += ["", "Why this profile (rules that fired):"]
    if not unit.evidence:
        lines.append("  no rule fired")
    for ev in unit.evidence:
        weights = ", ".join(f"{a} +{w:g}" for a, w in ev.weights.items())
        matched = ", ".join(f"{t} = {_value(v)}" for t, v in ev.matched.items())
        lines += [f"  {ev.rule}: {weights}   [{', '.join(ev.source)}]  {ev.origin}",
                  f"    when {ev.condition}",
                  f"    matched {matched}",
                  f"    {ev.rationale}"]
    for title, models in (("Why these recommendations:", unit.recommendations),
                          ("Why avoid:", unit.avoid)):
        if not models:
            continue
        lines += ["", title]
        for model in models:
            lines.append(f"  {model.name} ({model.model}) {model.score:+.2f}")
            for r in model.because:
                lines.append(f"    {' -> '.join(r.path)}: {r.relation} {r.strength:g} x weight "
                             f"{r.archetype_weight:.2f} = {r.contribution:+.2f}  "
                             f"[{', '.join(r.source)}]")
                lines.append(f"      {r.reason}")
    conflicts = advice.conflicts_of(unit_id)
    if conflicts:
        lines += ["", *_conflicts_text(conflicts)]
        for conflict in conflicts:
            lines.append(f"  {conflict.rule} is written at {conflict.pack}:{conflict.origin}")
    return "\n".join(lines).rstrip("\n") + "\n"


# --- Markdown --------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(advice: Advice) -> str:
    lines = [f"# {_cell(advice.organisation)}", "",
             f"Advice from modeadvisor, pack `{advice.pack.id}` {advice.pack.version}.", ""]
    lines += ["| Unit | Mode | " + " | ".join(_cell(n) for n in advice.archetypes.values()) + " |",
              "|---|---|" + "---:|" * len(advice.archetypes)]
    for unit in advice.units:
        weights = " | ".join(f"{unit.profile.weights[a]:.2f}" for a in advice.archetypes)
        lines.append(f"| {_cell(unit.name)} | {_cell(_mode_line(advice, unit))} | {weights} |")
    for unit in advice.units:
        lines += ["", f"## {_cell(unit.name)} (`{unit.id}`)", "",
                  f"**Mode:** {_cell(_mode_line(advice, unit))}", ""]
        for title, models in (("Recommended", unit.recommendations), ("Avoid", unit.avoid)):
            if not models:
                continue
            lines += [f"### {title}", "", "| Model | Kind | Score | In use | Because |",
                      "|---|---|---:|---|---|"]
            for m in models:
                because = "; ".join(
                    f"{advice.archetypes[r.archetype]} {r.relation.replace('_', ' ')} "
                    f"({', '.join(r.source)}): {r.reason}" for r in m.because)
                lines.append(f"| {_cell(m.name)} | {m.kind} | {m.score:+.2f} | "
                             f"{'yes' if m.in_use else ''} | {_cell(because)} |")
            lines.append("")
        if unit.evidence:
            lines += ["### Evidence", "", "| Rule | Matched | Weights | Source |",
                      "|---|---|---|---|"]
            for ev in unit.evidence:
                matched = ", ".join(f"{t} = {_value(v)}" for t, v in ev.matched.items())
                weights = ", ".join(f"{a} +{w:g}" for a, w in ev.weights.items())
                lines.append(f"| `{ev.rule}` | {_cell(matched)} | {weights} | "
                             f"{', '.join(ev.source)} |")
        for note in unit.notes:
            lines += ["", f"> {_cell(note)}"]
    lines += ["", "## Conflicts", ""]
    if not advice.conflicts:
        lines.append("None found.")
    for conflict in advice.conflicts:
        lines += [f"### {conflict.severity.upper()}: {conflict.kind} — "
                  f"{_cell(', '.join(conflict.units))}", "",
                  _cell(conflict.explanation), ""]
        lines += [f"- {_cell(detail)}" for detail in conflict.details]
        if conflict.details:
            lines.append("")
        lines += [f"**What to do:** {_cell(conflict.resolution)}", "",
                  f"Rule `{conflict.rule}` ({', '.join(conflict.source)}), "
                  f"`{conflict.pack}:{conflict.origin}`.", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
