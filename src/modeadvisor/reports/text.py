"""Advice as text for a terminal and as Markdown for documents (JSON is `Advice.to_json`).

Both follow the advice's language: names, reasons and notes come translated in the advice, the
fixed words from `messages.label`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from modeadvisor.advice import Advice, Conflict, ModelAdvice, UnitAdvice
from modeadvisor.knowledge import Lang
from modeadvisor.reports.labels import label

if TYPE_CHECKING:
    from modeadvisor.survey._reader import GroupSummary, SurveyResult


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


# --- survey ----------------------------------------------------------------------------------

_ROLE_NAMES: dict[Lang, dict[str, str]] = {
    "en": {
        "top_management": "top management",
        "middle_management": "middle management",
        "expert": "expert",
        "other": "other",
        "unspecified": "role not given",
    },
    "fi": {
        "top_management": "ylin johto",
        "middle_management": "keskijohto",
        "expert": "asiantuntija",
        "other": "muu",
        "unspecified": "rooli ei tiedossa",
    },
}

#: Texts by key; a (singular, plural) pair where a count decides; column heads of prevalence.
_TEXTS: dict[Lang, dict[str, str | tuple[str, ...]]] = {
    "en": {
        "survey": "Survey: {respondents} from {organisations}",
        "respondents": ("respondent", "respondents"),
        "organisations_from": ("organisation", "organisations"),
        "units": "; {units} named in {with_units} of them",
        "unit_count": ("unit", "units"),
        "roles": "Roles",
        "prevalence": "Prevalence across {organisations} with ratings (a tie for the top is "
        "counted apart, not split):",
        "organisations_in": ("organisation", "organisations"),
        "heads": ("dominant", "tied", "central (mean ≥ 4)", "rated 4-5 by"),
        "no_single": "no single dominant mode (a tie)",
        "most": "Most prevalent: {modes} — dominant in {count} of {total} organisations ({share})",
        "most_none": "Most prevalent: none (no organisation has a single dominant mode)",
        "organisations": "Organisations",
        "dash": "—",
        "dominant": "dominant: {mode}",
        "tied": "tied for the top: {modes}",
        "central": "central: {modes}",
        "central_none": "central: none",
        "unrated": "no ratings",
        "raters": ("rater", "raters"),
        "consensus": "consensus",
        "disputed": "respondents disagree on: {modes} — the mean is no consensus",
        "traits": "traits",
        "mean": "mean",
        "unit": "unit {name}",
    },
    "fi": {
        "survey": "Kysely: {respondents} {organisations}",
        "respondents": ("vastaaja", "vastaajaa"),
        "organisations_from": ("organisaatiosta", "organisaatiosta"),
        "units": "; {with_units} organisaatiossa nimetty yhteensä {units}",
        "unit_count": ("yksikkö", "yksikköä"),
        "roles": "Roolit",
        "prevalence": "Toimintatapojen yleisyys {organisations}, jo{ssa} on arvioita "
        "(kärkisijan tasapeli lasketaan erikseen, ei jaettuna):",
        "organisations_in": ("organisaatiossa", "organisaatiossa"),
        "heads": ("vallitseva", "tasan", "keskeinen (ka ≥ 4)", "antoi 4-5"),
        "no_single": "ei yhtä vallitsevaa (tasapeli)",
        "most": "Yleisin: {modes} \u2013 vallitseva {count}/{total} organisaatiossa ({share})",
        "most_none": "Yleisin: ei mikään (yhdelläkään organisaatiolla ei ole yhtä vallitsevaa "
        "toimintatapaa)",
        "organisations": "Organisaatiot",
        "dash": "\u2013",
        "dominant": "vallitseva: {mode}",
        "tied": "kärjessä tasan: {modes}",
        "central": "keskeiset: {modes}",
        "central_none": "keskeiset: ei yhtään",
        "unrated": "ei arvioita",
        "raters": ("arvioija", "arvioijaa"),
        "consensus": "konsensus",
        "disputed": "vastaajat ovat eri mieltä: {modes} \u2013 keskiarvo ei ole yhteinen näkemys",
        "traits": "piirteet",
        "mean": "ka",
        "unit": "yksikkö {name}",
    },
}


def survey_text(result: SurveyResult, lang: Lang = "en") -> str:
    """The aggregated survey as plain text for a terminal, in English or Finnish."""
    return "\n".join(_TextRenderer(result, lang).lines()) + "\n"


class _TextRenderer:
    def __init__(self, result: SurveyResult, lang: Lang) -> None:
        self.result = result
        self.lang = lang
        self.texts = _TEXTS[lang]
        self.names = {a.id: (a.fi if lang == "fi" else a.en) for a in result.archetypes}
        self.order = {a.id: i for i, a in enumerate(result.archetypes)}
        self.width = max([len(self.text("no_single")), *map(len, self.names.values())])

    # -- words and numbers ----------------------------------------------------------------

    def text(self, key: str, **values: object) -> str:
        entry = self.texts[key]
        assert isinstance(entry, str)
        return entry.format(**values)

    def count(self, n: int, key: str) -> str:
        entry = self.texts[key]
        assert isinstance(entry, tuple)
        return f"{self.integer(n)} {entry[0] if n == 1 else entry[1]}"

    def integer(self, n: int) -> str:
        return f"{n:,}".replace(",", "\u00a0") if self.lang == "fi" else f"{n:,}"

    def number(self, value: float, digits: int = 2) -> str:
        shown = f"{value:.{digits}f}"
        return shown.replace(".", ",") if self.lang == "fi" else shown

    def percent(self, value: float) -> str:
        shown = self.number(value * 100, 1)
        return f"{shown} %" if self.lang == "fi" else f"{shown}%"

    def mode(self, mode: str) -> str:
        return self.names.get(mode, mode)

    def modes(self, modes: Sequence[str]) -> str:
        return ", ".join(self.mode(m) for m in sorted(modes, key=self.position))

    def position(self, mode: str) -> tuple[int, str]:
        return (self.order.get(mode, len(self.order)), mode)

    def roles(self, roles: dict[str, int], total: int | None = None) -> str:
        shown = []
        for role, n in sorted(roles.items(), key=lambda item: _role_position(item[0])):
            share = f" ({self.percent(n / total)})" if total else ""
            shown.append(f"{_ROLE_NAMES[self.lang].get(role, role)} {self.integer(n)}{share}")
        return ", ".join(shown)

    # -- sections -------------------------------------------------------------------------

    def lines(self) -> Iterator[str]:
        result = self.result
        head = self.text(
            "survey",
            respondents=self.count(result.respondents, "respondents"),
            organisations=self.count(result.organisation_count, "organisations_from"),
        )
        if result.unit_count:
            with_units = sum(1 for o in result.organisations if o.units)
            head += self.text(
                "units",
                units=self.count(result.unit_count, "unit_count"),
                with_units=self.integer(with_units),
            )
        yield head
        if result.roles:
            yield f"{self.text('roles')}: {self.roles(result.roles, result.respondents)}"
        yield ""
        yield from self.prevalence()
        yield ""
        yield f"{self.text('organisations')}:"
        for organisation in result.organisations:
            yield from self.group(organisation.organisation, organisation, "  ")
            for unit in organisation.units:
                yield from self.group(self.text("unit", name=unit.unit), unit, "    ")

    def prevalence(self) -> Iterator[str]:
        prevalence = self.result.prevalence
        total = prevalence.organisations
        yield self.text(
            "prevalence",
            organisations=self.count(total, "organisations_in"),
            ssa="ssa" if total == 1 else "issa",
        )
        heads = self.texts["heads"]
        assert isinstance(heads, tuple)
        dominant, tied, central, rated = heads
        yield (f"  {'':<{self.width}}  {dominant:>14}  {tied:>5}  {central:>18}  {rated:>13}")
        by_mode = {m.archetype: m for m in prevalence.modes}
        for mode in sorted(by_mode, key=self.position):
            m = by_mode[mode]
            yield (
                f"  {self.mode(mode):<{self.width}}  {self.integer(m.dominant):>6} "
                f"{self.percent(m.dominant_share):>7}  {self.integer(m.tied):>5}  "
                f"{self.integer(m.central):>10} {self.percent(m.central_share):>7}  "
                f"{self.integer(m.respondents_central):>5} "
                f"{self.percent(m.respondents_central_share):>7}"
            )
        tie_share = prevalence.tied / total if total else 0.0
        yield (
            f"  {self.text('no_single'):<{self.width}}  {self.integer(prevalence.tied):>6} "
            f"{self.percent(tie_share):>7}"
        )
        if prevalence.most_prevalent:
            top = by_mode[prevalence.most_prevalent[0]]
            yield self.text(
                "most",
                modes=self.modes(prevalence.most_prevalent),
                count=self.integer(top.dominant),
                total=self.integer(total),
                share=self.percent(top.dominant_share),
            )
        else:
            yield self.text("most_none")

    def group(self, title: str, group: GroupSummary, indent: str) -> Iterator[str]:
        yield (
            f"{indent}{title} {self.text('dash')} "
            f"{self.count(group.respondents, 'respondents')} ({self.roles(group.roles)})"
        )
        indent += "  "
        if not group.ratings:
            yield f"{indent}{self.text('unrated')}"
            return
        if group.dominant is not None:
            verdict = self.text("dominant", mode=self.mode(group.dominant))
        else:
            verdict = self.text("tied", modes=self.modes(group.tied))
        central = (
            self.text("central", modes=self.modes(group.central))
            if group.central
            else self.text("central_none")
        )
        yield f"{indent}{verdict}; {central}"
        for rating in sorted(group.ratings, key=lambda r: self.position(r.archetype)):
            line = (
                f"{indent}  {self.mode(rating.archetype):<{self.width}}  "
                f"{self.number(rating.mean)}  {self.count(rating.respondents, 'raters')}"
            )
            if rating.rwg is not None and rating.consensus is not None:
                line += (
                    f"  rwg {self.number(rating.rwg)}  {self.text('consensus')} "
                    f"{self.number(rating.consensus)}"
                )
            yield line
        if group.disputed:
            yield f"{indent}{self.text('disputed', modes=self.modes(group.disputed_modes))}"
        if group.traits:
            shown = []
            for trait in group.traits:
                if trait.mean is not None:
                    shown.append(
                        f"{trait.trait} {self.text('mean')} {self.number(trait.mean)} "
                        f"(n={trait.respondents})"
                    )
                else:
                    values = ", ".join(f"{value} {n}" for value, n in trait.counts.items())
                    shown.append(f"{trait.trait} {values}")
            yield f"{indent}{self.text('traits')}: " + "; ".join(shown)


def _role_position(role: str) -> tuple[int, str]:
    # imported here, not at the top: the survey reader imports this module to re-export
    # `survey_text` as `modeadvisor.survey.to_text`
    from modeadvisor.survey._reader import ROLES, UNSPECIFIED_ROLE

    known = (*ROLES, UNSPECIFIED_ROLE)
    return (known.index(role) if role in known else len(known), role)
