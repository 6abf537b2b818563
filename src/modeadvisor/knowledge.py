"""The knowledge base: what a rule pack holds, and loading it with every mistake located.

A pack is a folder of YAML files. Each file may hold any of the sections `pack`, `sources`,
`archetypes`, `traits`, `rules`, `models`, `links`; the loader merges the files (in name order),
validates each item with pydantic, then checks every cross-reference (trait, archetype, model and
source ids, condition types) and reports all problems of the pack at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from . import conditions as cond
from .documents import Document, DocumentError, PathKey, expect_mapping, load_document, type_name
from .errors import KnowledgeBaseError, Location, Problem, did_you_mean, display_path

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
ValueId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=30)]
SourceId = Annotated[str, StringConstraints(pattern=r"^S-[A-Z]+[0-9]+$")]
Lang = Literal["en", "fi"]
TraitType = Literal["scale", "bool", "category", "number", "set"]
ModelKind = Literal["management", "measurement"]
Relation = Literal["suits", "poor_fit", "evolves_to"]

SCALE_MIN, SCALE_MAX = 1, 5
#: Numbers are compared at this many decimals (the engine needs exact, exponent-free numbers).
NUMBER_DECIMALS = 6
NUMBER_LIMIT = 1e12


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Frozen):
    """A user-facing text in English and (ideally) Finnish."""

    en: Annotated[str, StringConstraints(min_length=1)]
    fi: Annotated[str, StringConstraints(min_length=1)] | None = None

    def get(self, lang: Lang = "en") -> str:
        return (self.fi or self.en) if lang == "fi" else self.en


class ProfileSettings(_Frozen):
    """How fired-rule weights become a profile: thresholds a pack can tune."""

    mixed_margin: float = Field(0.10, ge=0, le=1)
    min_evidence: int = Field(2, ge=1)
    min_coverage: float = Field(0.2, ge=0, le=1)
    recommend_min: float = Field(0.15, ge=0, le=1)
    avoid_min: float = Field(0.10, ge=0, le=1)


class PackInfo(_Frozen):
    id: Id
    name: Text
    version: str = "0"
    profile: ProfileSettings = ProfileSettings()


class Source(_Frozen):
    id: SourceId
    text: Text


class Archetype(_Frozen):
    id: Id
    name: Text
    tagline: Text
    source: tuple[SourceId, ...] = ()


class Trait(_Frozen):
    id: Id
    type: TraitType
    label: Text
    description: Text
    observes: tuple[SourceId, ...] = ()
    values: tuple[ValueId, ...] | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = None

    @model_validator(mode="after")
    def _shape_fits_type(self) -> Trait:
        has_values = self.type in ("category", "set")
        if has_values and not self.values:
            raise ValueError(f"a {self.type} trait needs `values`: the ids it can take")
        if not has_values and self.values is not None:
            raise ValueError(f"`values` is only for category and set traits, not {self.type}")
        if self.values and len(set(self.values)) != len(self.values):
            raise ValueError("`values` lists a value twice")
        if self.type != "number" and (self.min is not None or self.max is not None):
            raise ValueError("`min` and `max` are only for number traits")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("`min` is greater than `max`")
        return self

    def kind_text(self) -> str:
        """The type as a user reads it in messages."""
        match self.type:
            case "scale":
                return f"a scale ({SCALE_MIN}-{SCALE_MAX})"
            case "bool":
                return "true/false"
            case "number":
                return "a number"
        return f"a {self.type} of {', '.join(self.values or ())}"


class ScoringRule(_Frozen):
    id: Id
    when: Annotated[str, StringConstraints(min_length=1)]
    weights: dict[Id, Annotated[float, Field(gt=0, le=100)]] = Field(min_length=1)
    rationale: Text
    source: tuple[SourceId, ...] = ()


class Model(_Frozen):
    id: Id
    kind: ModelKind
    name: Text
    description: Text


class Link(_Frozen):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    source_node: Id = Field(alias="from")
    target: Id = Field(alias="to")
    relation: Relation
    strength: float = Field(gt=0, le=1)
    reason: Text
    source: tuple[SourceId, ...] = ()


class PackFile(_Frozen):
    """The shape of one file of a pack: any subset of the sections."""

    pack: PackInfo | None = None
    sources: tuple[Source, ...] = ()
    archetypes: tuple[Archetype, ...] = ()
    traits: tuple[Trait, ...] = ()
    rules: tuple[ScoringRule, ...] = ()
    models: tuple[Model, ...] = ()
    links: tuple[Link, ...] = ()


SECTIONS = tuple(PackFile.model_fields)
_ITEM_MODELS: dict[str, type[BaseModel]] = {
    "sources": Source, "archetypes": Archetype, "traits": Trait, "rules": ScoringRule,
    "models": Model, "links": Link,
}


@dataclass(frozen=True, slots=True)
class Rule:
    """A validated scoring rule with its parsed, normalised condition and where it was written."""

    spec: ScoringRule
    condition: cond.Condition
    origin: Location  # file relative to the pack folder

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Everything a pack says, validated and cross-checked. Immutable."""

    info: PackInfo
    root: Path
    sources: Mapping[str, Source]
    archetypes: Mapping[str, Archetype]
    traits: Mapping[str, Trait]
    rules: tuple[Rule, ...]
    models: Mapping[str, Model]
    links: tuple[Link, ...]

    @property
    def settings(self) -> ProfileSettings:
        return self.info.profile

    def archetype_ids(self) -> tuple[str, ...]:
        return tuple(self.archetypes)


# --- locating the shipped pack ---------------------------------------------------------------


def shipped_rules_dir() -> Path:
    """The pack shipped with modeadvisor: inside the installed package, else the source tree."""
    packaged = resources.files("modeadvisor").joinpath("rules")
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    source_tree = Path(__file__).resolve().parents[2] / "rules"
    if source_tree.is_dir():
        return source_tree
    raise KnowledgeBaseError([Problem(Location(str(packaged)),
                                      "the shipped rules folder is missing from the install")])


# --- loading ---------------------------------------------------------------------------------


def load_knowledge_base(folder: Path | str) -> KnowledgeBase:
    """Load and validate the pack in `folder`; raises KnowledgeBaseError listing every problem."""
    root = Path(folder)
    name = display_path(root)
    if not root.is_dir():
        raise KnowledgeBaseError([Problem(Location(name), "not a folder of rule files")])
    files = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        raise KnowledgeBaseError([Problem(Location(name), "no .yaml rule files in this folder")])
    loader = _PackLoader(root)
    for path in files:
        loader.read(path)
    return loader.finish()


@dataclass(frozen=True, slots=True)
class _Placed:
    """An item and where it stands: its document and its path inside it."""

    document: Document
    path: PathKey

    def problem(self, message: str, hint: str | None = None, *sub: str | int) -> Problem:
        return self.document.problem((*self.path, *sub), message, hint)

    @property
    def location(self) -> Location:
        return self.document.location(self.path)


class _PackLoader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.items: dict[str, list[tuple[Any, _Placed]]] = {s: [] for s in SECTIONS}

    def read(self, path: Path) -> None:
        try:
            document = load_document(path)
            data = expect_mapping(document, "a mapping of sections (" + ", ".join(SECTIONS) + ")")
        except DocumentError as error:
            self.problems.extend(error.problems)
            return
        for key in data:
            if key not in SECTIONS:
                self.problems.append(document.problem(
                    (key,), f"unknown section '{key}'; expected one of {', '.join(SECTIONS)}",
                    did_you_mean(key, SECTIONS), key=True))
        for section in SECTIONS:
            if section not in data:
                continue
            value = data[section]
            if section == "pack":
                self._validate(PackInfo, value, document, (section,), section)
                continue
            if not isinstance(value, list):
                self.problems.append(document.problem(
                    (section,), f"'{section}' must be a list of items, found {type_name(value)}"))
                continue
            item_type = _ITEM_MODELS[section]
            for index, item in enumerate(value):
                self._validate(item_type, item, document, (section, index), section)

    def _validate(self, model: type[BaseModel], value: Any, document: Document,
                  path: PathKey, section: str) -> None:
        try:
            item = model.model_validate(value)
        except ValidationError as error:
            self.problems.extend(pydantic_problems(error, document, path, model))
            return
        self.items[section].append((item, _Placed(document, path)))

    # -- cross-checks ---------------------------------------------------------------------

    def finish(self) -> KnowledgeBase:
        packs = self.items["pack"]
        if not packs and not self.problems:
            self.problems.append(Problem(Location(display_path(self.root)),
                                         "no `pack:` section found",
                                         "add a pack.yaml with `pack: {id: ..., name: {en: ...}}`"))
        for _, placed in packs[1:]:
            self.problems.append(placed.problem(
                f"a second `pack:` section; the first is at {packs[0][1].location}"))
        sources = self._unique("sources", "source")
        archetypes = self._unique("archetypes", "archetype")
        traits = self._unique("traits", "trait")
        models = self._unique("models", "model")
        rules = self._unique("rules", "rule")
        if not archetypes and not self.problems:
            self.problems.append(Problem(Location(display_path(self.root)),
                                         "the pack defines no archetypes"))
        self._overlap(archetypes, models, "archetype", "model")

        def check_sources(ids: Sequence[str], placed: _Placed, field: str) -> None:
            for i, sid in enumerate(ids):
                if sid not in sources:
                    self.problems.append(placed.problem(
                        f"unknown source id '{sid}'", did_you_mean(sid, sources), field, i))

        for archetype, placed in archetypes.values():
            check_sources(archetype.source, placed, "source")
        for trait, placed in traits.values():
            check_sources(trait.observes, placed, "observes")
        compiled: list[Rule] = []
        for rule, placed in rules.values():
            check_sources(rule.source, placed, "source")
            for archetype_id in rule.weights:
                if archetype_id not in archetypes:
                    self.problems.append(placed.problem(
                        f"unknown archetype '{archetype_id}' in weights",
                        did_you_mean(archetype_id, archetypes), "weights", archetype_id))
            checked = self._condition(rule, placed, {k: v[0] for k, v in traits.items()})
            if checked is not None:
                where = placed.document.location((*placed.path, "id"))
                # origin relative to the pack, so explanations do not depend on where it lives
                relative = placed.document.path.relative_to(self.root).as_posix()
                compiled.append(Rule(rule, checked, Location(relative, where.line, where.column)))
        links: list[Link] = []
        for link, placed in self.items["links"]:
            check_sources(link.source, placed, "source")
            self._check_link(link, placed, archetypes, models)
            links.append(link)
        self._duplicate_links(self.items["links"])
        if self.problems:
            raise KnowledgeBaseError(self.problems)
        return KnowledgeBase(
            info=packs[0][0], root=self.root,
            sources={k: v[0] for k, v in sources.items()},
            archetypes={k: v[0] for k, v in archetypes.items()},
            traits={k: v[0] for k, v in traits.items()},
            rules=tuple(compiled),
            models={k: v[0] for k, v in models.items()},
            links=tuple(links),
        )

    def _unique(self, section: str, what: str) -> dict[str, tuple[Any, _Placed]]:
        seen: dict[str, tuple[Any, _Placed]] = {}
        for item, placed in self.items[section]:
            if item.id in seen:
                first = seen[item.id][1].document.location((*seen[item.id][1].path, "id"))
                self.problems.append(placed.problem(
                    f"duplicate {what} id '{item.id}'; first defined at {first}", None, "id"))
                continue
            seen[item.id] = (item, placed)
        return seen

    def _overlap(self, archetypes: Mapping[str, Any], models: Mapping[str, Any],
                 a: str, b: str) -> None:
        for shared in sorted(set(archetypes) & set(models)):
            placed = models[shared][1]
            self.problems.append(placed.problem(
                f"'{shared}' is both an {a} and a {b} id; graph node ids must be unique",
                None, "id"))

    def _check_link(self, link: Link, placed: _Placed,
                    archetypes: Mapping[str, Any], models: Mapping[str, Any]) -> None:
        if link.source_node not in archetypes:
            self.problems.append(placed.problem(
                f"unknown archetype '{link.source_node}' (links start at an archetype)",
                did_you_mean(link.source_node, archetypes), "from"))
        if link.relation == "evolves_to":
            if link.target not in archetypes:
                self.problems.append(placed.problem(
                    f"unknown archetype '{link.target}' (evolves_to links two archetypes)",
                    did_you_mean(link.target, archetypes), "to"))
        elif link.target not in models:
            self.problems.append(placed.problem(
                f"unknown model '{link.target}'", did_you_mean(link.target, models), "to"))

    def _duplicate_links(self, links: Iterable[tuple[Link, _Placed]]) -> None:
        seen: dict[tuple[str, str], _Placed] = {}
        for link, placed in links:
            key = (link.source_node, link.target)
            if key in seen:
                self.problems.append(placed.problem(
                    f"a second link from '{key[0]}' to '{key[1]}'; the first is at "
                    f"{seen[key].location}", "one archetype has one relation to a model"))
            else:
                seen[key] = placed

    def _condition(self, rule: ScoringRule, placed: _Placed,
                   traits: Mapping[str, Trait]) -> cond.Condition | None:
        when = (*placed.path, "when")
        try:
            parsed = cond.parse(rule.when)
        except cond.ConditionSyntaxError as error:
            self.problems.append(_in_condition(placed.document, when, error.column,
                                               f"condition does not parse: {error}"))
            return None
        found = check_condition(parsed, traits)
        for column, message, hint in found:
            self.problems.append(_in_condition(placed.document, when, column, message, hint))
        return None if found else cond.normalise(parsed)


def _in_condition(document: Document, path: PathKey, column: int, message: str,
                  hint: str | None = None) -> Problem:
    """A problem at a column inside a condition string, mapped to its place in the file."""
    location = document.location(path)
    line_text = document.source_line(location.line) or ""
    start = location.column or 1
    if line_text[start - 1:start] in ("'", '"'):
        start += 1  # a quoted scalar: the text starts after the quote
    place = Location(location.file, location.line, start + max(column, 1) - 1)
    return Problem(place, message, hint, line_text if location.line else None)


def check_condition(condition: cond.Condition,
                    traits: Mapping[str, Trait]) -> list[tuple[int, str, str | None]]:
    """Type-check a parsed condition against the catalogue: (column, message, hint) per problem."""
    found: list[tuple[int, str, str | None]] = []
    for leaf in cond.comparisons(condition):
        trait = traits.get(leaf.trait)
        if trait is None:
            found.append((leaf.column, f"unknown trait '{leaf.trait}'",
                          did_you_mean(leaf.trait, traits)))
            continue
        problem = _leaf_problem(leaf, trait)
        if problem is not None:
            found.append((leaf.column, *problem))
    return found


def _leaf_problem(leaf: cond.Comparison | cond.Member | cond.Truthy,
                  trait: Trait) -> tuple[str, str | None] | None:
    name = trait.id
    if isinstance(leaf, cond.Truthy):
        if trait.type == "bool":
            return None
        return (f"'{name}' is {trait.kind_text()}, not true/false; compare it with a value",
                _example(trait))
    if isinstance(leaf, cond.Member):
        if trait.type != "set":
            return (f"'{name}' is {trait.kind_text()}; membership tests (\"value\" in trait) are "
                    "for set traits", _example(trait))
        if leaf.value not in (trait.values or ()):
            return (f"'{leaf.value}' is not a value of '{name}' ({', '.join(trait.values or ())})",
                    did_you_mean(leaf.value, trait.values or ()))
        return None
    value, op = leaf.value, leaf.op
    match trait.type:
        case "bool":
            if not isinstance(value, bool):
                return (f"'{name}' is true/false, compared with {cond.render(leaf).split()[-1]}",
                        f"write `{name}` or `not {name}`")
            if op not in ("==", "!="):
                return f"'{name}' is true/false: only == and != apply", f"write `{name}`"
        case "scale":
            if isinstance(value, bool) or not isinstance(value, int):
                return (f"'{name}' is {trait.kind_text()}; compare it with a whole number",
                        _example(trait))
            if not SCALE_MIN <= value <= SCALE_MAX:
                return (f"{value} is outside the scale of '{name}' ({SCALE_MIN}-{SCALE_MAX})",
                        None)
        case "number":
            if isinstance(value, bool) or not isinstance(value, int | float):
                return f"'{name}' is a number; compare it with a number", _example(trait)
            digits = Decimal(str(value)).as_tuple().exponent
            if isinstance(digits, int) and -digits > NUMBER_DECIMALS:
                return f"{value} has more than {NUMBER_DECIMALS} decimals", None
            if abs(value) > NUMBER_LIMIT:
                return f"{value} is too large; numbers are compared up to ±1e12", None
        case "category":
            if not isinstance(value, str):
                return f"'{name}' is {trait.kind_text()}; compare it with a \"quoted value\"", \
                    _example(trait)
            if op not in ("==", "!="):
                return f"'{name}' is a category: only ==, != and `in [...]` apply", None
            if value not in (trait.values or ()):
                return (f"'{value}' is not a value of '{name}' ({', '.join(trait.values or ())})",
                        did_you_mean(value, trait.values or ()))
        case "set":
            return (f"'{name}' is {trait.kind_text()}; test membership instead",
                    _example(trait))
    return None


def _example(trait: Trait) -> str:
    match trait.type:
        case "scale":
            return f"e.g. `{trait.id} >= 4`"
        case "bool":
            return f"e.g. `{trait.id}` or `not {trait.id}`"
        case "number":
            return f"e.g. `{trait.id} > 10`"
        case "category":
            return f'e.g. `{trait.id} == "{(trait.values or ("value",))[0]}"`'
    return f'e.g. `"{(trait.values or ("value",))[0]}" in {trait.id}`'


# --- pydantic errors, located ----------------------------------------------------------------


def pydantic_problems(error: ValidationError, document: Document, base: PathKey,
                      model: type[BaseModel]) -> Iterator[Problem]:
    """Turn pydantic's errors into located problems, with a did-you-mean for unknown keys."""
    details = error.errors(include_url=False)
    item_locs = [d["loc"] for d in details if d["type"] != "too_short"]
    for detail in details:
        loc = tuple(part for part in detail["loc"] if not _is_union_tag(part))
        if detail["type"] == "too_short" and any(
                other[:len(detail["loc"])] == detail["loc"] for other in item_locs):
            continue  # pydantic also counts the invalid items out; their own errors say more
        path = (*base, *loc)
        kind = detail["type"]
        where = ".".join(str(p) for p in loc)
        if kind == "extra_forbidden":
            key = str(loc[-1]) if loc else ""
            allowed = _fields_at(model, loc[:-1])
            yield document.problem(path, f"unknown key '{key}'; expected one of "
                                         f"{', '.join(allowed)}", did_you_mean(key, allowed),
                                   key=True)
        elif kind == "missing":
            yield document.problem(path[:-1], f"missing required key '{loc[-1]}'")
        else:
            message = detail["msg"]
            if message.startswith("Value error, "):
                message = message.removeprefix("Value error, ")
            if kind == "string_pattern_mismatch":
                pattern = str((detail.get("ctx") or {}).get("pattern", ""))
                message = _pattern_message(detail.get("input"), loc, pattern)
            shown = f"'{where}': " if where else ""
            yield document.problem(path, f"{shown}{message}")


def _is_union_tag(part: str | int) -> bool:
    return isinstance(part, str) and ("[" in part or part in {"float", "int", "str", "bool"})


_PATTERN_WORDS = {
    "^[a-z][a-z0-9_]*$": "lower-case letters, digits and _, starting with a letter",
    "^[a-z0-9][a-z0-9_]*$": "lower-case letters, digits and _",
    "^[A-Za-z0-9][A-Za-z0-9_.-]*$": "letters, digits, _ . and -, no spaces",
}


def _pattern_message(value: object, loc: tuple[str | int, ...], pattern: str) -> str:
    if "source" in loc or "observes" in loc:
        return f"'{value}' is not a source id; expected the form S-P3"
    return f"'{value}' is not a valid id; use {_PATTERN_WORDS.get(pattern, pattern)}"


def _fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The field names allowed at `loc` inside `model` (for unknown-key suggestions)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
    fields = getattr(current, "model_fields", {})
    return [info.alias or name for name, info in fields.items()]


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
