"""Answers collected into one organisation file: questionnaire answer files (JSON) and the rows
of survey tables (CSV, read by the survey reader), merged per unit by `_aggregate`'s rules.

An answer file is what the questionnaire saves:

    {"format": "modeadvisor-answers", "version": 1, "organisation": "...", "unit": "rnd",
     "respondent": "...", "role": "expert", "ratings": {"production": 3, ...},
     "traits": {"experimentation": 5, "customer_value_basis": ["novel_solutions"], ...}}

Every mistake of every file is reported at once, each with its file, line and column, what was
expected and, for a misspelt id, a did-you-mean. A unit is named by an id or by a name (a survey
writes names: `Tuotekehitys, Espoo` becomes the id `tuotekehitys_espoo` with that name); answers
for no unit belong to the organisation as a whole, its top unit, and the other units are put
under it. A unit uses the models a majority of its respondents who answered that question name.
Each respondent's mode ratings become the `respondents` section, so the disagreement
and say-do conflicts read them; respondents are numbered there (`r1`, `r2`, ...), never named,
in an order that follows neither their names nor their files.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from modeadvisor._i18n import Message
from modeadvisor.conditions import TraitValue
from modeadvisor.errors import Location, ModeAdvisorError, Problem, did_you_mean, display_path
from modeadvisor.knowledge import KnowledgeBase, Lang
from modeadvisor.knowledge._documents import Document, DocumentError, PathKey, load_document
from modeadvisor.limits import DEFAULT_LIMITS, Limits
from modeadvisor.organisation import RATING_MAX, RATING_MIN
from modeadvisor.people._aggregate import aggregate
from modeadvisor.people._orgfile import dump
from modeadvisor.people._questions import plain, typed
from modeadvisor.reports.labels import label
from modeadvisor.survey import ROLES, SurveyError, read_survey
from modeadvisor.survey._reader import SurveyRow

__all__ = ["FORMAT", "AnswersError", "Collected", "TraitAgreement", "collect_answers"]

#: What an answer file says it is.
FORMAT = "modeadvisor-answers"
_KEYS = (
    "format",
    "version",
    "language",
    "organisation",
    "unit",
    "respondent",
    "role",
    "ratings",
    "models_in_use",
    "traits",
)
_UNIT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TOP = ""


class AnswersError(ModeAdvisorError, ValueError):
    """An answer file is unreadable or does not fit the knowledge base."""


@dataclass(frozen=True, slots=True)
class _Answer:
    """One respondent's answers, wherever they came from."""

    source: str  # file, and line for a survey row
    organisation: str
    unit: str  # as given ("" for the organisation as a whole)
    role: str
    respondent: str
    ratings: Mapping[str, int]
    traits: Mapping[str, TraitValue]
    models: frozenset[str] | None = None  # models in use; None: not answered


class TraitAgreement(BaseModel):
    """One trait of a unit, as collected."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    trait: str
    value: bool | int | float | str | list[str] | None  # None: a tie, left unobserved
    respondents: int
    agreement: float
    disagree: bool


class CollectedUnit(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str | None
    respondents: int
    traits: list[TraitAgreement]


class Collected(BaseModel):
    """Answers merged: the organisation file's data and how far respondents agreed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    organisation: dict[str, Any]
    units: list[CollectedUnit]
    respondents: int

    def disagreements(self) -> list[tuple[str, TraitAgreement]]:
        return [(u.id, t) for u in self.units for t in u.traits if t.disagree]

    def to_yaml(self, kb: KnowledgeBase, lang: Lang) -> str:
        notes = {
            u.id: {
                t.trait: label("people.agreement", lang, agreement=t.agreement, n=t.respondents)
                + (" " + label("people.disagree_mark", lang) if t.disagree else "")
                for t in u.traits
            }
            for u in self.units
        }
        header = [label("people.collected_header", lang, n=self.respondents)]
        disagreements = self.disagreements()
        if disagreements:
            header.append(label("people.disagreements", lang))
            header.extend(
                f"  {unit}: {kb.traits[t.trait].label.get(lang)} ({t.trait})"
                for unit, t in disagreements
            )
        return dump(self.organisation, kb, lang, header=header, notes=notes)

    def to_text(self, kb: KnowledgeBase, lang: Lang) -> str:
        lines = [label("people.collected_header", lang, n=self.respondents)]
        for unit in self.units:
            lines.append(
                f"  {unit.name or unit.id}: "
                + label("people.unit_summary", lang, n=unit.respondents, traits=len(unit.traits))
            )
        disagreements = self.disagreements()
        if disagreements:
            lines.append(label("people.disagreements", lang))
            lines.extend(
                f"  {unit}: {kb.traits[t.trait].label.get(lang)} "
                f"({label('people.agreement', lang, agreement=t.agreement, n=t.respondents)})"
                for unit, t in disagreements
            )
        return "\n".join(lines) + "\n"


def collect_answers(
    paths: Sequence[Path | str],
    kb: KnowledgeBase,
    *,
    organisation: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    encoding: str | None = None,
) -> Collected:
    """Merge answer files (JSON) and survey tables (`.csv`, in `encoding`, default UTF-8) into
    one organisation; raises AnswersError listing every mistake of every file."""
    answers: list[_Answer] = []
    problems: list[Problem] = []
    for path in map(Path, paths):
        if path.suffix.lower() == ".csv":
            try:
                read_survey(
                    path,
                    kb,
                    limits=limits,
                    encoding=encoding,
                    rows=_rows(answers, display_path(path)),
                )
            except SurveyError as error:
                problems.extend(error.problems)
        else:
            answer = _read_answer_file(path, kb, limits, problems)
            if answer is not None:
                answers.append(answer)
    if problems:
        raise AnswersError(problems)
    if not answers:
        raise AnswersError([Problem(Location("<collect>"), Message("no answers given"))])
    name = organisation or _organisation_name(answers)
    return _merge(kb, name, answers)


def _rows(answers: list[_Answer], name: str) -> Callable[[SurveyRow], None]:
    def add(row: SurveyRow) -> None:
        answers.append(
            _Answer(
                source=f"{name}:{row.line}",
                organisation=row.organisation,
                unit=row.unit,
                role=row.role if row.role in ROLES else "",
                respondent=row.respondent or f"{Path(name).stem}-{row.line}",
                ratings=dict(row.ratings),
                traits=dict(row.traits),
            )
        )

    return add


def _organisation_name(answers: Sequence[_Answer]) -> str:
    names = sorted({a.organisation for a in answers if a.organisation})
    if len(names) > 1:
        first = {n: next(a.source for a in answers if a.organisation == n) for n in names}
        raise AnswersError(
            [
                Problem(
                    Location(first[n]),
                    Message(
                        "answers name {count} organisations ({names}): this one names '{n}'",
                        count=len(names),
                        names=", ".join(names),
                        n=n,
                    ),
                    Message("collect one organisation at a time, or name it with --organisation"),
                )
                for n in names
            ]
        )
    return names[0] if names else label("people.unnamed_organisation", "en")


# --- answer files ------------------------------------------------------------------------


def _read_answer_file(
    path: Path, kb: KnowledgeBase, limits: Limits, problems: list[Problem]
) -> _Answer | None:
    try:
        document = load_document(path, limits)
    except DocumentError as error:
        problems.extend(error.problems)
        return None
    reader = _AnswerReader(document, kb)
    answer = reader.read()
    problems.extend(reader.problems)
    return answer if not reader.problems else None


@dataclass
class _AnswerReader:
    document: Document
    kb: KnowledgeBase
    problems: list[Problem] = field(default_factory=list)

    def problem(
        self, at: PathKey, message: str, hint: str | None = None, *, key: bool = False
    ) -> None:
        self.problems.append(self.document.problem(at, message, hint, key=key))

    def read(self) -> _Answer | None:
        data = self.document.data
        if not isinstance(data, dict):
            self.problem(
                (),
                Message('an answer file is a JSON object with "format": "{FORMAT}"', FORMAT=FORMAT),
            )
            return None
        if data.get("format") != FORMAT:
            self.problem(
                ("format",) if "format" in data else (),
                Message('not an answer file: expected "format": "{FORMAT}"', FORMAT=FORMAT),
                Message("save it from the questionnaire (modeadvisor questionnaire)"),
            )
            return None
        for key in data:
            if key not in _KEYS:
                self.problem(
                    (key,),
                    Message("unknown field '{key}'", key=key),
                    did_you_mean(str(key), _KEYS) or f"fields: {', '.join(_KEYS)}",
                    key=True,
                )
        texts = {k: self.text(data, k) for k in ("organisation", "unit", "respondent", "role")}
        role = texts["role"]
        if role and role not in ROLES:
            self.problem(
                ("role",),
                Message("unknown role '{role}'", role=role),
                did_you_mean(role, ROLES) or Message("roles are {names}", names=", ".join(ROLES)),
            )
        return _Answer(
            source=self.document.name,
            organisation=" ".join(texts["organisation"].split()),
            unit=" ".join(texts["unit"].split()),
            role=role,
            respondent=texts["respondent"] or Path(self.document.name).stem,
            ratings=self.ratings(data.get("ratings")),
            traits=self.traits(data.get("traits")),
            models=self.models(data.get("models_in_use")),
        )

    def text(self, data: Mapping[str, Any], key: str) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(
                (key,),
                Message("'{key}' is {name}; expected text", key=key, name=type(value).__name__),
            )
            return ""
        return value.strip()

    def mapping(self, value: Any, key: str) -> Mapping[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(
                (key,),
                Message(
                    "'{key}' is {name}; expected an object", key=key, name=type(value).__name__
                ),
            )
            return {}
        return value

    def ratings(self, value: Any) -> dict[str, int]:
        found: dict[str, int] = {}
        for mode, rating in self.mapping(value, "ratings").items():
            at: PathKey = ("ratings", mode)
            if mode not in self.kb.archetypes:
                self.problem(
                    at,
                    Message("unknown mode '{mode}'", mode=mode),
                    did_you_mean(mode, self.kb.archetypes),
                    key=True,
                )
            elif rating is None:
                continue
            elif (
                isinstance(rating, bool)
                or not isinstance(rating, int)
                or not RATING_MIN <= rating <= RATING_MAX
            ):
                self.problem(
                    at,
                    Message(
                        "rating {rating!r} of '{mode}' is not a whole number from {RATING_MIN} (not central) to {RATING_MAX} (central)",
                        rating=rating,
                        mode=mode,
                        RATING_MIN=RATING_MIN,
                        RATING_MAX=RATING_MAX,
                    ),
                )
            else:
                found[mode] = rating
        return found

    def models(self, value: Any) -> frozenset[str] | None:
        if value is None:
            return None
        if not isinstance(value, list):
            self.problem(
                ("models_in_use",),
                Message(
                    "'models_in_use' is {name}; expected a list of model ids",
                    name=type(value).__name__,
                ),
            )
            return None
        found = set()
        for index, model in enumerate(value):
            if not isinstance(model, str) or model not in self.kb.models:
                self.problem(
                    ("models_in_use", index),
                    Message("unknown model {model!r}", model=model),
                    did_you_mean(str(model), self.kb.models),
                )
            else:
                found.add(model)
        return frozenset(found)

    def traits(self, value: Any) -> dict[str, TraitValue]:
        found: dict[str, TraitValue] = {}
        for trait_id, raw in self.mapping(value, "traits").items():
            at: PathKey = ("traits", trait_id)
            trait = self.kb.traits.get(trait_id)
            if trait is None:
                self.problem(
                    at,
                    Message("unknown trait '{trait_id}'", trait_id=trait_id),
                    did_you_mean(trait_id, self.kb.traits),
                    key=True,
                )
                continue
            if raw is None:
                continue  # skipped
            parsed, message = typed(trait, raw)
            if message is not None:
                self.problem(at, message)
            elif parsed is not None:
                found[trait_id] = parsed
        return found


# --- merging ------------------------------------------------------------------------------


def _unit_ids(answers: Sequence[_Answer], organisation: str) -> dict[str, tuple[str, str | None]]:
    """Each unit as given -> (id, name): an id stays; a name gets an id made of it."""
    found: dict[str, tuple[str, str | None]] = {}
    taken: set[str] = set()
    given = sorted({a.unit for a in answers})
    for unit in given:  # ids first, so a made id never takes one given
        if unit != _TOP and _UNIT_ID.match(unit) and len(unit) <= 100:
            found[unit] = (unit, None)
            taken.add(unit)
    for unit in given:
        if unit in found:
            continue
        name = unit or organisation
        base = _slug(name) or "organisation"
        made, n = base, 2
        while made in taken:
            made, n = f"{base}_{n}", n + 1
        taken.add(made)
        found[unit] = (made, name)
    return found


def _in_use(group: Sequence[_Answer]) -> list[str]:
    """The models a majority of the respondents who said which models are in use named."""
    said = [a.models for a in group if a.models is not None]
    named = Counter(m for models in said for m in models)
    return sorted(m for m, count in named.items() if 2 * count > len(said))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")[:60]


def _merge(kb: KnowledgeBase, name: str, answers: Sequence[_Answer]) -> Collected:
    ids = _unit_ids(answers, name)
    by_unit: dict[str, list[_Answer]] = {}
    for answer in answers:
        by_unit.setdefault(answer.unit, []).append(answer)
    top = ids[_TOP][0] if _TOP in ids else None
    units: list[dict[str, Any]] = []
    collected: list[CollectedUnit] = []
    order = sorted(by_unit, key=lambda u: (u != _TOP, ids[u][0]))
    for unit in order:
        unit_id, unit_name = ids[unit]
        group = by_unit[unit]
        agreements = []
        for trait_id in kb.traits:
            said = [a.traits[trait_id] for a in group if trait_id in a.traits]
            if not said:
                continue
            result = aggregate(kb.traits[trait_id], said)
            agreements.append(
                TraitAgreement(
                    trait=trait_id,
                    value=None if result.value is None else plain(result.value),
                    respondents=result.respondents,
                    agreement=result.agreement,
                    disagree=result.disagree,
                )
            )
        entry: dict[str, Any] = {"id": unit_id}
        if unit_name is not None:
            entry["name"] = unit_name
        if top is not None and unit_id != top:
            entry["parent"] = top
        entry["traits"] = {t.trait: t.value for t in agreements if t.value is not None}
        used = _in_use(group)
        if used:
            entry["models_in_use"] = used
        units.append(entry)
        collected.append(
            CollectedUnit(id=unit_id, name=unit_name, respondents=len(group), traits=agreements)
        )
    # respondents stay anonymous in the file too: numbered in an order that follows neither
    # their names nor the files' (by unit, then by what they answered), never named
    rated = sorted(
        (a for a in answers if a.ratings),
        key=lambda a: (ids[a.unit][0], sorted(a.ratings.items()), a.role or ""),
    )
    respondents = [
        {
            "id": f"r{number}",
            "unit": ids[a.unit][0],
            **({"role": a.role} if a.role else {}),
            "ratings": dict(sorted(a.ratings.items())),
        }
        for number, a in enumerate(rated, start=1)
    ]
    data: dict[str, Any] = {"organisation": name, "units": units}
    if respondents:
        data["respondents"] = respondents
    return Collected(organisation=data, units=collected, respondents=len(answers))
