"""Plain text for a terminal: the advice (`assess`), one unit's whole trail (`explain`) and the
aggregated survey (`survey`). JSON is `Advice.to_json` and `SurveyResult.to_json`.

Names, reasons and notes come translated in the advice; the fixed words from `labels`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from modeadvisor.advice import Advice, Conflict, ModelAdvice, UnitAdvice
from modeadvisor.knowledge import Lang
from modeadvisor.reports._common import (
    archetype,
    cap,
    count,
    coverage,
    finding_details,
    finding_kind,
    finding_units,
    integer,
    link,
    matched,
    mode_line,
    number,
    percent,
    rating_cells,
    respondents,
    separator,
    signed,
    verdict,
    view_label,
    weights_line,
    working_copy,
)
from modeadvisor.reports.labels import LABELS, decimal, label

if TYPE_CHECKING:
    from modeadvisor.survey import GroupSummary, SurveyResult

__all__ = ["explain_text", "survey_text", "to_text"]


# --- the advice ------------------------------------------------------------------------------


def to_text(advice: Advice) -> str:
    lang = advice.language
    width = _width(advice, advice.units)
    lines = [
        f"{advice.organisation}  ({label('pack', lang)} {advice.pack.id} {advice.pack.version})",
        "",
    ]
    banner = working_copy(advice)
    if banner is not None:
        lines[1:1] = [banner]
    for unit in advice.units:
        lines.extend(_unit_text(advice, unit, width))
        lines.append("")
    lines.extend(_conflicts_text(advice.conflicts, advice))
    return "\n".join(lines)


def _width(advice: Advice, units: Sequence[UnitAdvice]) -> int:
    """The width of the row names ("mode:", "weights:", ...), so that the rows' values line up:
    the longest name shown, with its colon and a space."""
    lang = advice.language
    names = [label(key, lang) for key in ("mode", "weights", "evidence")]
    names += [view_label(view, lang) for unit in units for view in unit.perspectives]
    return max(len(name) for name in names) + 1


def _row(name: str, text: str, width: int) -> str:
    return f"  {name + ':':<{width}} {text}"


def _model_line(model: ModelAdvice, lang: Lang) -> str:
    kinds = [label(f"kind.{kind}", lang) for kind in ("management", "measurement")]
    use = f"  [{label('in_use', lang)}]" if model.in_use else ""
    kind = label(f"kind.{model.kind}", lang)
    return f"{signed(model.score, lang)}  {kind:<{max(map(len, kinds)) + 1}}  {model.name}{use}"


def _conflicts_text(conflicts: list[Conflict], advice: Advice) -> Iterator[str]:
    lang = advice.language
    names = {unit.id: unit.name for unit in advice.units}
    title = cap(label("conflicts", lang))
    if not conflicts:
        yield f"{title}: {label('none_found', lang)}"
        yield ""
        return
    yield f"{title} ({len(conflicts)}):"
    for conflict in conflicts:
        units, more = finding_units(conflict, lang)
        shown = [names.get(u, u) for u in units]
        named = separator(shown).join(shown) + (f" {more}" if more else "")
        yield (
            f"  [{label(f'severity.{conflict.severity}', lang)}] "
            f"{finding_kind(advice, conflict.kind)}: {named}"
        )
        yield f"    {conflict.explanation}"
        details, rest = finding_details(conflict, lang)
        yield from (f"      - {detail}" for detail in details)
        if rest:
            yield f"      {rest}"
        yield f"    {label('resolution', lang)}: {conflict.resolution}"
        # the trail last, as the reports put it: a reader reads the finding, a consultant
        # looks the rule up
        yield (
            f"    {label('rule', lang)} {conflict.rule} · "
            f"{label('source', lang)}: {', '.join(conflict.source)}"
        )
    yield ""


def _stated_text(advice: Advice, unit: UnitAdvice, width: int) -> Iterator[str]:
    lang = advice.language
    for view, weights in unit.perspectives.items():
        yield _row(view_label(view, lang), weights_line(advice, weights), width)
    assessment = unit.self_assessment
    if assessment is not None:
        rated = "  ".join(
            f"{archetype(advice, r.archetype)} {rating_cells(advice, r)[0]}"
            for r in assessment.ratings
        )
        said = verdict(assessment)
        if not rated:  # the whole group is below the anonymity floor
            tail = f"; {label(said, lang)}" if said else ""
            yield f"  {label('self', lang)}: {respondents(advice, assessment)}{tail}"
            return
        tail = f"  ({label(said, lang)})" if said else ""
        yield (
            f"  {label('self', lang)}, {label('mean', lang)}, "
            f"{respondents(advice, assessment)}: {rated}{tail}"
        )


def _unit_text(advice: Advice, unit: UnitAdvice, width: int) -> Iterator[str]:
    lang = advice.language
    parent = ""
    if unit.parent:
        parent_name = next((u.name for u in advice.units if u.id == unit.parent), unit.parent)
        parent = f"  ({label('part_of', lang)} {parent_name})"
    yield f"{unit.name} [{unit.id}]{parent}"
    yield _row(label("mode", lang), mode_line(advice, unit), width)
    yield _row(label("weights", lang), weights_line(advice, unit.profile.weights), width)
    yield _row(label("evidence", lang), coverage(advice, unit), width)
    yield from _stated_text(advice, unit, width)
    for key, models in (("recommended", unit.recommendations), ("avoid", unit.avoid)):
        if models:
            yield f"  {label(key, lang)}:"
            yield from (f"    {_model_line(m, lang)}" for m in models)
    for direction in unit.direction:
        sources = ", ".join(direction.source)
        yield f"  {label('direction', lang)}: {direction.towards} ({sources})"
    for note in unit.notes:
        yield f"  {label('note', lang)}: {note}"


def explain_text(advice: Advice, unit_id: str) -> str:
    """The whole trail for one unit: fired rules, matched values, and each model's path."""
    lang = advice.language
    unit = advice.unit(unit_id)
    lines = list(_unit_text(advice, unit, _width(advice, [unit])))
    lines += ["", label("why_profile", lang, n=len(unit.evidence)) + ":"]
    if not unit.evidence:
        lines.append(f"  {label('no_rule', lang)}")
    for ev in unit.evidence:
        weights = ", ".join(
            f"{archetype(advice, a)} +{decimal(w, lang)}" for a, w in ev.weights.items()
        )
        lines += [
            f"  {ev.rule}: {weights}   [{', '.join(ev.source)}]  {ev.pack}:{ev.origin}",
            f"    {label('condition', lang)}: {ev.condition}",
            f"    {label('matched', lang)}: {matched(ev)}",
            f"    {ev.rationale}",
        ]
    for title, models in (("why_recommended", unit.recommendations), ("why_avoid", unit.avoid)):
        if not models:
            continue
        lines += ["", label(title, lang) + ":"]
        for model in models:
            lines.append(f"  {model.name} ({model.model}) {signed(model.score, lang)}")
            for r in model.because:
                lines.append(
                    f"    {' -> '.join(r.path)}: {label(f'relation.{r.relation}', lang)} "
                    f"({link(advice, r)})  [{', '.join(r.source)}]"
                )
                lines.append(f"      {r.reason}")
    conflicts = advice.conflicts_of(unit_id)
    if conflicts:
        lines += ["", *_conflicts_text(conflicts, advice)]
        for conflict in conflicts:
            lines.append(
                f"  {conflict.rule} {label('written_at', lang)} {conflict.pack}:{conflict.origin}"
            )
    return "\n".join(lines).rstrip("\n") + "\n"


# --- the survey ------------------------------------------------------------------------------


def survey_text(result: SurveyResult, lang: Lang = "en") -> str:
    """The aggregated survey as plain text for a terminal, in English or Finnish."""
    return "\n".join(_SurveyText(result, lang).lines()) + "\n"


class _SurveyText:
    def __init__(self, result: SurveyResult, lang: Lang) -> None:
        self.result = result
        self.lang = lang
        self.names = {a.id: (a.fi if lang == "fi" else a.en) for a in result.archetypes}
        self.order = {a.id: i for i, a in enumerate(result.archetypes)}
        self.width = max([len(self.text("survey.no_single")), *map(len, self.names.values())])

    # -- words and numbers ----------------------------------------------------------------

    def text(self, key: str, **values: object) -> str:
        return label(key, self.lang, **values)

    def count(self, n: int, key: str) -> str:
        return count(key, n, self.lang)

    def integer(self, n: int) -> str:
        return integer(n, self.lang)

    def number(self, value: float) -> str:
        return number(value, self.lang)

    def percent(self, value: float) -> str:
        return percent(value, self.lang, 1)

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
            key = f"role.{role}"
            name = self.text(key) if key in LABELS else role
            shown.append(f"{name} {self.integer(n)}{share}")
        return ", ".join(shown)

    # -- sections -------------------------------------------------------------------------

    def lines(self) -> Iterator[str]:
        result = self.result
        head = self.text(
            "survey.head",
            respondents=self.count(result.respondents, "respondents"),
            organisations=self.count(result.organisation_count, "survey.organisations_from"),
        )
        if result.unit_count:
            with_units = sum(1 for o in result.organisations if o.units)
            head += self.text(
                "survey.units",
                units=self.count(result.unit_count, "survey.unit_count"),
                with_units=self.integer(with_units),
            )
        yield head
        if result.anonymity.figures_shown:
            yield self.text("figures_shown", n=result.anonymity.min_respondents)
        if result.roles:
            yield f"{self.text('survey.roles')}: {self.roles(result.roles, result.respondents)}"
        yield ""
        yield from self.prevalence()
        yield ""
        yield f"{self.text('survey.organisations')}:"
        for organisation in result.organisations:
            yield from self.group(organisation.organisation, organisation, "  ")
            for unit in organisation.units:
                yield from self.group(f"{self.text('unit')} {unit.unit}", unit, "    ")

    def prevalence(self) -> Iterator[str]:
        prevalence = self.result.prevalence
        total = prevalence.organisations
        yield self.text(
            "survey.prevalence",
            organisations=self.count(total, "survey.rated_organisations"),
        )
        dominant, tied, central, rated = (
            self.text(f"survey.head_{head}") for head in ("dominant", "tied", "central", "rated")
        )
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
            f"  {self.text('survey.no_single'):<{self.width}}  "
            f"{self.integer(prevalence.tied):>6} {self.percent(tie_share):>7}"
        )
        if prevalence.most_prevalent:
            top = by_mode[prevalence.most_prevalent[0]]
            yield self.text(
                "survey.most",
                modes=self.modes(prevalence.most_prevalent),
                count=self.integer(top.dominant),
                total=self.integer(total),
                share=self.percent(top.dominant_share),
            )
        else:
            yield self.text("survey.most_none")

    def group(self, title: str, group: GroupSummary, indent: str) -> Iterator[str]:
        floor = self.result.anonymity.min_respondents
        said = self.text("withheld_group", n=floor) if group.withheld else ""
        roles = self.roles(group.roles) if group.roles else said
        yield (
            f"{indent}{title} {self.text('survey.dash')} "
            f"{self.count(group.respondents, 'respondents')} ({roles})"
        )
        indent += "  "
        if not group.ratings:
            if not group.withheld:
                yield f"{indent}{self.text('survey.unrated')}"
            elif group.disputed:
                yield f"{indent}{self.text('survey.disputed', modes=self.modes(group.disputed_modes))}"
            return
        if group.dominant is not None:
            verdict = self.text("survey.dominant", mode=self.mode(group.dominant))
        elif group.tied:
            verdict = self.text("survey.tied", modes=self.modes(group.tied))
        else:  # a mode's figures are withheld: which leads is not said
            verdict = self.text("survey.lead_withheld", n=floor)
        central = (
            self.text("survey.central", modes=self.modes(group.central))
            if group.central
            else self.text("survey.central_none")
        )
        yield f"{indent}{verdict}; {central}"
        for rating in sorted(group.ratings, key=lambda r: self.position(r.archetype)):
            mean = self.text("withheld") if rating.mean is None else self.number(rating.mean)
            line = (
                f"{indent}  {self.mode(rating.archetype):<{self.width}}  "
                f"{mean}  {self.count(rating.respondents, 'survey.raters')}"
            )
            if rating.rwg is not None and rating.consensus is not None:
                line += (
                    f"  rwg {self.number(rating.rwg)}  {self.text('consensus')} "
                    f"{self.number(rating.consensus)}"
                )
            yield line
        if group.disputed:
            yield f"{indent}{self.text('survey.disputed', modes=self.modes(group.disputed_modes))}"
        if group.traits:
            shown = []
            for trait in group.traits:
                if trait.withheld:
                    shown.append(f"{trait.trait} {self.text('withheld')} (n={trait.respondents})")
                elif trait.mean is not None:
                    shown.append(
                        f"{trait.trait} {self.text('survey.mean')} {self.number(trait.mean)} "
                        f"(n={trait.respondents})"
                    )
                else:
                    values = ", ".join(f"{value} {n}" for value, n in trait.counts.items())
                    shown.append(f"{trait.trait} {values}")
            yield f"{indent}{self.text('survey.traits')}: " + "; ".join(shown)


#: Roles in the order the survey lists them (`survey.ROLES`, then "unspecified"): the order of
#: their names in the label table.
_ROLE_ORDER = [key.removeprefix("role.") for key in LABELS if key.startswith("role.")]


def _role_position(role: str) -> tuple[int, str]:
    return (_ROLE_ORDER.index(role) if role in _ROLE_ORDER else len(_ROLE_ORDER), role)
