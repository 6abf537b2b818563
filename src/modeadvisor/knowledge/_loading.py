"""The knowledge base: what a rule pack holds, and loading it with every mistake located.

A pack is a folder of YAML files. Each file may hold any of the sections `pack`, `sources`,
`archetypes`, `traits`, `rules`, `models`, `links`, `conflicts`; the loader merges the files (in
name order), validates each item with pydantic, then checks every cross-reference (trait,
archetype, model and source ids, condition types, fact fields and joins of conflict rules) and
reports all problems of the pack at once.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ValidationError,
)

from modeadvisor import conditions as cond
from modeadvisor._i18n import Message
from modeadvisor.errors import KnowledgeBaseError, Location, Problem, did_you_mean, display_path
from modeadvisor.facts import UNIT_FIELDS
from modeadvisor.knowledge._base import (
    ConflictRule,
    KnowledgeBase,
    Rule,
    _Placed,
    shipped_rules_dir,
)
from modeadvisor.knowledge._checks import (
    _ConflictChecker,
    _decimals,
    _in_condition,
    check_condition,
)
from modeadvisor.knowledge._documents import (
    Document,
    DocumentError,
    PathKey,
    WrittenFile,
    expect_mapping,
    load_document,
    type_name,
)
from modeadvisor.knowledge._located import ItemLocation, pydantic_problems
from modeadvisor.knowledge._shapes import (
    _ITEM_MODELS,
    _MAPPING_SECTIONS,
    NUMBER_DECIMALS,
    SECTIONS,
    Link,
    PackInfo,
    ScoringRule,
    Settings,
    Text,
    Trait,
)
from modeadvisor.limits import DEFAULT_LIMITS, Limits, how_to_raise

# --- loading ---------------------------------------------------------------------------------


def load_knowledge_base(*folders: Path | str, limits: Limits = DEFAULT_LIMITS) -> KnowledgeBase:
    """Load and validate packs; raises KnowledgeBaseError listing every problem.

    With several folders, each pack layers on the ones before it; a pack whose `extends` names
    a pack id not given (the shipped pack is `core`) gets the shipped pack below it. A layer
    adds items, replaces one of a lower pack marked `override: true`, leaves items out with
    `disable`, and may bring `translations`. Files are read in the order of their path inside
    their pack; a file a symbolic link leads outside its pack folder is refused unless
    `limits.allow_outside_pack`.
    """
    if not folders:
        raise KnowledgeBaseError([Problem(Location("<packs>"), Message("no pack folder given"))])
    loaders = [_read_pack(Path(folder), limits) for folder in folders]
    chain = _layer_order(loaders, limits)
    merged = chain[0]
    for overlay in chain[1:]:
        merged = merged.layered(overlay)
    return merged.finish()


def _read_pack(root: Path, limits: Limits) -> _PackLoader:
    name = display_path(root)
    if not root.is_dir():
        raise KnowledgeBaseError([Problem(Location(name), Message("not a folder of rule files"))])
    files = sorted(
        (p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()),
        key=lambda p: p.relative_to(root).as_posix(),
    )
    if not files:
        raise KnowledgeBaseError(
            [Problem(Location(name), Message("no .yaml rule files in this folder"))]
        )
    inside = root.resolve()
    outside = [p for p in files if not p.resolve().is_relative_to(inside)]
    if outside and not limits.allow_outside_pack:
        raise KnowledgeBaseError(
            [
                Problem(
                    Location(display_path(p)),
                    Message(
                        "this file leads outside the pack folder (to {resolve})",
                        resolve=p.resolve(),
                    ),
                    Message(
                        "copy it into the pack, or {how}", how=how_to_raise("allow_outside_pack")
                    ),
                )
                for p in outside
            ]
        )
    loader = _PackLoader(root, limits)
    for path in files:
        loader.read(path)
    return loader


def _layer_order(loaders: list[_PackLoader], limits: Limits) -> list[_PackLoader]:
    """The packs bottom first: parents before the packs that extend them, else as given."""
    by_id: dict[str, _PackLoader] = {}
    problems: list[Problem] = []
    for loader in loaders:
        if loader.pack_id is None and len(loaders) > 1 and not loader.problems:
            # a layer's items are told apart by its pack id: without one, none could be placed
            loader.problems.append(_no_pack(loader.root))
        if loader.pack_id is not None:
            if loader.pack_id in by_id:
                problems.append(
                    Problem(
                        Location(display_path(loader.root)),
                        (
                            Message(
                                "pack id '{pack_id}' is given twice (also {display_path})",
                                pack_id=loader.pack_id,
                                display_path=display_path(by_id[loader.pack_id].root),
                            )
                        ),
                    )
                )
            by_id.setdefault(loader.pack_id, loader)
    wanted = {loader.extends for loader in loaders if loader.extends is not None}
    if wanted - set(by_id):
        shipped = _read_pack(shipped_rules_dir(), limits)
        if shipped.pack_id is not None and shipped.pack_id not in by_id:
            by_id[shipped.pack_id] = shipped
            loaders = [shipped, *loaders]
    parents: dict[str, str] = {}  # a pack -> the pack it extends
    for loader in loaders:
        parent = loader.extends
        if loader.pack_id is None or parent is None:
            continue
        if parent not in by_id:
            problems.append(
                loader.pack_problem(
                    Message(
                        "extends unknown pack '{parent}'; known: {names}",
                        parent=parent,
                        names=", ".join(sorted(by_id)),
                    ),
                    did_you_mean(parent, by_id),
                    "extends",
                )
            )
        else:
            parents[loader.pack_id] = parent
    for cycle in layer_cycles(parents):
        problems.append(
            by_id[cycle[0]].pack_problem(
                Message("packs {names} extend each other in a cycle", names=" -> ".join(cycle)),
                None,
                "extends",
            )
        )
    if problems:
        raise KnowledgeBaseError(problems)
    given = [loader.pack_id for loader in loaders if loader.pack_id is not None]
    ids = parents_first(list(dict.fromkeys(given)), parents)
    return [by_id[pack] for pack in ids] + [loader for loader in loaders if loader.pack_id is None]


def layer_cycles(parents: Mapping[str, str]) -> list[list[str]]:
    """The cycles of packs that extend each other, each as its sorted pack ids, sorted. A pack
    extends at most one, so each pack is on at most one cycle, found by following `extends`."""
    cycles: list[list[str]] = []
    done: set[str] = set()
    for start in parents:
        path: list[str] = []
        node = start
        while node in parents and node not in done and node not in path:
            path.append(node)
            node = parents[node]
        if node in path:
            cycles.append(sorted(path[path.index(node) :]))
        done.update(path)
    return sorted(cycles)


def parents_first(ids: Sequence[str], parents: Mapping[str, str]) -> list[str]:
    """Pack ids with each after the pack it extends (no cycle: `layer_cycles` is empty), else
    in the order given: each time, the first pack given whose parent is already placed."""
    place = {pack: index for index, pack in enumerate(ids)}
    children: dict[str, list[int]] = {}
    for pack, parent in parents.items():
        children.setdefault(parent, []).append(place[pack])
    ready = [index for index, pack in enumerate(ids) if pack not in parents]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        pack = ids[heapq.heappop(ready)]
        ordered.append(pack)
        for child in children.get(pack, ()):
            heapq.heappush(ready, child)
    return ordered


def _no_pack(root: Path) -> Problem:
    return Problem(
        Location(display_path(root)),
        Message("no `pack:` section found"),
        Message("add a pack.yaml with `pack: {{id: ..., name: {{en: ...}}}}`"),
    )


def _key(section: str, item: Any) -> str:
    if section == "links":
        return f"{item.source_node} -> {item.target}"
    return str(item.id)


_WHAT = {
    "sources": "source",
    "archetypes": "archetype",
    "traits": "trait",
    "rules": "rule",
    "models": "model",
    "links": "link",
    "conflicts": "conflict rule",
    "kinds": "finding kind",
}
_TEXT_FIELDS = {
    "sources": ("text",),
    "archetypes": ("name", "tagline"),
    "traits": ("label", "description"),
    "rules": ("rationale",),
    "models": ("name", "description"),
    "links": ("reason",),
    "conflicts": ("explanation", "resolution", "detail"),
    "kinds": ("name",),
}


#: An item of a section by its key, and where it stands.
_Items = dict[str, tuple[Any, _Placed]]


class _Locator:
    """Makes the `ItemLocation`s of a finished pack, keeping one `WrittenFile` per file."""

    def __init__(self, pack_of: Callable[[_Placed], str]) -> None:
        self._pack_of = pack_of
        self._files: dict[tuple[Path, Path], WrittenFile] = {}

    def __call__(
        self, placed: _Placed, translations: Mapping[tuple[str, str], _Placed] | None = None
    ) -> ItemLocation:
        document = placed.document
        written = self._files.get((placed.root, document.path))
        if written is None:
            written = document.written(placed.root)
            self._files[placed.root, document.path] = written
        texts = {key: self(where) for key, where in (translations or {}).items()}
        return ItemLocation(self._pack_of(placed), written, placed.path, texts)


class _PackLoader:
    def __init__(self, root: Path, limits: Limits) -> None:
        self.root = root
        self.limits = limits
        self.problems: list[Problem] = []
        self.items: dict[str, list[tuple[Any, _Placed]]] = {s: [] for s in SECTIONS}
        self.roots: dict[str, Path] = {}  # pack id -> folder, bottom layer first
        self.hashes: dict[str, str] = {}  # pack id -> content hash, as `roots`
        #: the content hash of this pack's own files: each file's path in the pack and its text
        self._digest = hashlib.sha256()
        self.settings_at: dict[str, _Placed] = {}  # setting -> where the pack in effect sets it
        #: (section, item key) -> (text field, language) -> where a translation gives it
        self.translated: dict[tuple[str, str], dict[tuple[str, str], _Placed]] = {}

    @property
    def pack_id(self) -> str | None:
        return str(self.items["pack"][0][0].id) if self.items["pack"] else None

    @property
    def extends(self) -> str | None:
        return self.items["pack"][0][0].extends if self.items["pack"] else None

    def pack_problem(self, message: str, hint: str | None, *sub: str) -> Problem:
        if self.items["pack"]:
            return self.items["pack"][0][1].problem(message, hint, *sub)
        return Problem(Location(display_path(self.root)), message, hint)

    def read(self, path: Path) -> None:
        try:
            document = load_document(path, self.limits)
            self._hash(path, document)
            data = expect_mapping(document, "a mapping of sections (" + ", ".join(SECTIONS) + ")")
        except DocumentError as error:
            self.problems.extend(error.problems)
            return
        for key in data:
            if key not in SECTIONS:
                self.problems.append(
                    document.problem(
                        (key,),
                        Message(
                            "unknown section '{key}'; expected one of {names}",
                            key=key,
                            names=", ".join(SECTIONS),
                        ),
                        did_you_mean(key, SECTIONS),
                        key=True,
                    )
                )
        for section in SECTIONS:
            if section not in data:
                continue
            value = data[section]
            if section in _MAPPING_SECTIONS:
                self._validate(_MAPPING_SECTIONS[section], value, document, (section,), section)
                continue
            if section == "translations":
                self._translations(value, document)
                continue
            if not isinstance(value, list):
                self.problems.append(
                    document.problem(
                        (section,),
                        Message(
                            "'{section}' must be a list of items, found {type_name}",
                            section=section,
                            type_name=type_name(value),
                        ),
                    )
                )
                continue
            item_type = _ITEM_MODELS[section]
            for index, item in enumerate(value):
                self._validate(item_type, item, document, (section, index), section)

    def _hash(self, path: Path, document: Document) -> None:
        # files come in the order of their path in the pack; lines as the reader split them,
        # so the hash is of the content, whatever the line endings or a byte-order mark
        name = path.relative_to(self.root).as_posix()
        text = "\n".join(document.lines)
        for part in (name, text):
            encoded = part.encode("utf-8")
            self._digest.update(len(encoded).to_bytes(8, "big") + encoded)

    def _validate(
        self, model: type[BaseModel], value: Any, document: Document, path: PathKey, section: str
    ) -> None:
        try:
            item = model.model_validate(value)
        except ValidationError as error:
            self.problems.extend(pydantic_problems(error, document, path, model))
            if model is not PackInfo or (salvaged := _salvaged_header(value)) is None:
                return
            # reported once above; the rest of the pack is still checked against its layers
            item = salvaged
        self.items[section].append((item, _Placed(document, path, self.root)))
        if isinstance(item, PackInfo) and len(self.items["pack"]) == 1:  # a second is an error
            for name in sorted(item.settings.model_fields_set):
                self.settings_at[name] = _Placed(document, (*path, "settings", name), self.root)

    def _translations(self, value: Any, document: Document) -> None:
        """Shape: {lang: {section: {id: {field: text}}}}; ids are checked when layering."""
        if not isinstance(value, dict):
            self.problems.append(
                document.problem(
                    ("translations",),
                    (Message("expected {{fi: {{rules: {{RULE_ID: {{rationale: ...}}}}}}}}")),
                )
            )
            return
        for lang, sections in value.items():
            at: PathKey = ("translations", lang)
            if lang not in ("en", "fi"):
                self.problems.append(
                    document.problem(
                        at,
                        Message("unknown language '{lang}'; expected en or fi", lang=lang),
                        key=True,
                    )
                )
                continue
            if not isinstance(sections, dict):
                self.problems.append(
                    document.problem(at, Message("expected a mapping of sections"))
                )
                continue
            for section, items in sections.items():
                if section not in _TEXT_FIELDS:
                    self.problems.append(
                        document.problem(
                            (*at, section),
                            Message("unknown section '{section}' to translate", section=section),
                            did_you_mean(section, _TEXT_FIELDS),
                            key=True,
                        )
                    )
                    continue
                if not isinstance(items, dict):
                    self.problems.append(document.problem((*at, section), Message("expected ids")))
                    continue
                for item_id, fields in items.items():
                    where: PathKey = (*at, section, item_id)
                    if not isinstance(fields, dict) or not all(
                        isinstance(text, str) and text for text in fields.values()
                    ):
                        self.problems.append(
                            document.problem(
                                where, Message("expected {{field: text}} with non-empty texts")
                            )
                        )
                        continue
                    for name in fields:
                        if name not in _TEXT_FIELDS[section]:
                            self.problems.append(
                                document.problem(
                                    (*where, name),
                                    Message(
                                        "'{name}' is not a text of {section}; expected {names}",
                                        name=name,
                                        section=section,
                                        names=", ".join(_TEXT_FIELDS[section]),
                                    ),
                                    did_you_mean(name, _TEXT_FIELDS[section]),
                                    key=True,
                                )
                            )
                    self.items["translations"].append(
                        ((lang, section, str(item_id), fields), _Placed(document, where, self.root))
                    )

    # -- layering -------------------------------------------------------------------------

    def layered(self, overlay: _PackLoader) -> _PackLoader:
        """This pack with `overlay` on top: its disables, overrides, additions, translations."""
        if not self.roots:  # the bottom pack: its own duplicates, which merging would hide
            for section, what in _WHAT.items():
                if section != "links":
                    self._unique(section, what)
            self._duplicate_links(self.items["links"])
        merged = _PackLoader(overlay.root, overlay.limits)
        merged.problems = [*self.problems, *overlay.problems]
        merged.roots = {**self.roots_or_own(), **overlay.roots_or_own()}
        merged.hashes = {**self.hashes_or_own(), **overlay.hashes_or_own()}
        merged.settings_at = {**self.settings_at, **overlay.settings_at}  # as `_merged_info`
        below = self.pack_id or display_path(self.root)
        disabled = self._disabled(overlay, merged.problems)
        for section in _ITEM_MODELS:
            items: dict[str, tuple[Any, _Placed]] = {}
            for item, placed in self.items[section]:
                items.setdefault(_key(section, item), (item, placed))
            for key in disabled.get(section, ()):
                items.pop(key, None)
            for item, placed in overlay.items[section]:
                key = _key(section, item)
                if key in items and items[key][1].root == overlay.root:
                    merged.problems.append(
                        placed.problem(
                            Message(
                                "duplicate {value} '{key}'; first defined at {location}",
                                value=_WHAT[section],
                                key=key,
                                location=items[key][1].location,
                            )
                        )
                    )
                elif key in items and not item.override:
                    merged.problems.append(
                        placed.problem(
                            Message(
                                "{value} '{key}' is already defined by pack '{below}' at {location}",
                                value=_WHAT[section],
                                key=key,
                                below=below,
                                location=items[key][1].location,
                            ),
                            Message("add `override: true` to replace it"),
                        )
                    )
                elif key not in items and item.override:
                    merged.problems.append(
                        placed.problem(
                            Message(
                                "`override: true`, but no pack below defines {value} '{key}'",
                                value=_WHAT[section],
                                key=key,
                            ),
                            did_you_mean(key, items),
                        )
                    )
                else:
                    items[key] = (item, placed)
            merged.items[section] = list(items.values())
        merged.items["pack"] = (
            [self._merged_info(overlay)] if overlay.items["pack"] else self.items["pack"]
        )
        merged.items["translations"] = [*self.items["translations"], *overlay.items["translations"]]
        return merged

    def roots_or_own(self) -> dict[str, Path]:
        return self.roots or ({self.pack_id: self.root} if self.pack_id else {})

    def hashes_or_own(self) -> dict[str, str]:
        own = f"sha256:{self._digest.hexdigest()}"
        return self.hashes or ({self.pack_id: own} if self.pack_id else {})

    def _disabled(self, overlay: _PackLoader, problems: list[Problem]) -> dict[str, set[str]]:
        disabled: dict[str, set[str]] = {}
        for disable, placed in overlay.items["disable"]:
            for section in _ITEM_MODELS:
                known = {_key(section, item) for item, _ in self.items[section]}
                for index, ref in enumerate(getattr(disable, section)):
                    key = _key(section, ref) if section == "links" else str(ref)
                    if key not in known:
                        problems.append(
                            placed.problem(
                                Message(
                                    "cannot disable {value} '{key}': no pack below defines it",
                                    value=_WHAT[section],
                                    key=key,
                                ),
                                did_you_mean(key, known),
                                section,
                                index,
                            )
                        )
                    disabled.setdefault(section, set()).add(key)
        return disabled

    def _merged_info(self, overlay: _PackLoader) -> tuple[PackInfo, _Placed]:
        info, placed = overlay.items["pack"][0]
        if self.items["pack"] and "settings" not in info.model_fields_set:
            info = info.model_copy(update={"settings": self.items["pack"][0][0].settings})
        elif self.items["pack"]:
            inherited = self.items["pack"][0][0].settings.model_dump()
            own = {k: getattr(info.settings, k) for k in info.settings.model_fields_set}
            info = info.model_copy(update={"settings": Settings(**{**inherited, **own})})
        return info, placed

    def _translate(self) -> None:
        """Apply every translation to the merged items; an unknown id or field is a problem."""
        for (lang, section, item_id, fields), placed in self.items["translations"]:
            index = {_key(section, item): i for i, (item, _) in enumerate(self.items[section])}
            if item_id not in index:
                self.problems.append(
                    placed.problem(
                        Message(
                            "no {value} '{item_id}' to translate",
                            value=_WHAT[section],
                            item_id=item_id,
                        ),
                        did_you_mean(item_id, index),
                    )
                )
                continue
            item, where = self.items[section][index[item_id]]
            update = {}
            written = self.translated.setdefault((section, item_id), {})
            for name, text in fields.items():
                current = getattr(item, name, None)
                if name not in _TEXT_FIELDS[section]:
                    continue
                base = current.model_dump() if isinstance(current, Text) else {"en": text}
                update[name] = Text(**{**base, lang: text})
                written[name, lang] = _Placed(placed.document, (*placed.path, name), placed.root)
            self.items[section][index[item_id]] = (item.model_copy(update=update), where)

    # -- cross-checks ---------------------------------------------------------------------

    def finish(self) -> KnowledgeBase:
        """The knowledge base of the (layered) items, or every problem of the packs at once."""
        self._translate()
        if len(self.roots_or_own()) <= 1:  # a single pack: nothing below to override or disable
            self._nothing_below()
        packs = self._pack_sections()
        sources = self._unique("sources", "source")
        archetypes = self._unique("archetypes", "archetype")
        traits = self._unique("traits", "trait")
        models = self._unique("models", "model")
        rules = self._unique("rules", "rule")
        if not archetypes and not self.problems:
            self.problems.append(
                Problem(
                    Location(display_path(self.root)), Message("the pack defines no archetypes")
                )
            )
        self._overlap(archetypes, models, "archetype", "model")
        for archetype, placed in archetypes.values():
            self._cite(archetype.source, placed, "source", sources)
        for trait, placed in traits.values():
            self._cite(trait.observes, placed, "observes", sources)
        trait_map = {k: v[0] for k, v in traits.items()}
        checked = self._rules(rules, sources, archetypes, trait_map)
        links = self._links(sources, archetypes, models)
        self._reserved(traits)
        conflicts = self._unique("conflicts", "conflict rule")
        checked_conflicts = self._conflicts(conflicts, sources, trait_map, archetypes, models)
        kinds = self._unique("kinds", "finding kind")
        if self.problems:
            raise KnowledgeBaseError(self.problems)
        items = {
            "sources": sources,
            "archetypes": archetypes,
            "traits": traits,
            "rules": rules,
            "models": models,
            "conflicts": conflicts,
            "kinds": kinds,
        }
        return KnowledgeBase(
            info=packs[0][0],
            root=self.root,
            sources={k: v[0] for k, v in sources.items()},
            archetypes={k: v[0] for k, v in archetypes.items()},
            traits=trait_map,
            rules=tuple(checked),
            models={k: v[0] for k, v in models.items()},
            links=tuple(links),
            conflicts=tuple(checked_conflicts),
            kinds={k: v[0] for k, v in kinds.items()},
            roots=self.roots_or_own(),
            hashes=self.hashes_or_own(),
            locations=self._locations(packs[0][1], items),
        )

    def _nothing_below(self) -> None:
        """`override` and `disable` in a pack that layers on nothing."""
        for section in _ITEM_MODELS:
            for item, placed in self.items[section]:
                if item.override:
                    self.problems.append(
                        placed.problem(
                            Message(
                                "`override: true` needs a pack below: add `extends` to the pack"
                            ),
                            None,
                            "override",
                        )
                    )
        for _, placed in self.items["disable"]:
            self.problems.append(
                placed.problem(Message("`disable` needs a pack below: add `extends` to the pack"))
            )

    def _pack_sections(self) -> list[tuple[Any, _Placed]]:
        """The `pack:` sections: exactly one is expected."""
        packs = self.items["pack"]
        if not packs and not self.problems:
            self.problems.append(_no_pack(self.root))
        for _, placed in packs[1:]:
            self.problems.append(
                placed.problem(
                    Message(
                        "a second `pack:` section; the first is at {location}",
                        location=packs[0][1].location,
                    )
                )
            )
        return packs

    def _cite(self, ids: Sequence[str], placed: _Placed, field: str, sources: _Items) -> None:
        """Every source id an item cites is a source of the pack."""
        for i, sid in enumerate(ids):
            if sid not in sources:
                self.problems.append(
                    placed.problem(
                        Message("unknown source id '{sid}'", sid=sid),
                        did_you_mean(sid, sources),
                        field,
                        i,
                    )
                )

    def _rules(
        self, rules: _Items, sources: _Items, archetypes: _Items, traits: Mapping[str, Trait]
    ) -> list[Rule]:
        checked: list[Rule] = []
        for rule, placed in rules.values():
            self._cite(rule.source, placed, "source", sources)
            self._weights(rule, placed, archetypes)
            condition = self._condition(rule, placed, traits)
            if condition is not None:
                # weights in archetype order, whatever order they are written in: the advice
                # (and a pack's round trip through a spreadsheet) does not depend on it
                order = [a for a in archetypes if a in rule.weights]
                rule = rule.model_copy(update={"weights": {a: rule.weights[a] for a in order}})
                # origin relative to its pack, so explanations do not depend on where it lives
                checked.append(Rule(rule, condition, placed.origin, self._pack_of(placed)))
        return checked

    def _weights(self, rule: ScoringRule, placed: _Placed, archetypes: _Items) -> None:
        for archetype_id, weight in rule.weights.items():
            if _decimals(weight) > NUMBER_DECIMALS:
                self.problems.append(
                    placed.problem(
                        Message(
                            "weight {weight} has more than {NUMBER_DECIMALS} decimals",
                            weight=weight,
                            NUMBER_DECIMALS=NUMBER_DECIMALS,
                        ),
                        None,
                        "weights",
                        archetype_id,
                    )
                )
            if archetype_id not in archetypes:
                self.problems.append(
                    placed.problem(
                        Message(
                            "unknown archetype '{archetype_id}' in weights",
                            archetype_id=archetype_id,
                        ),
                        did_you_mean(archetype_id, archetypes),
                        "weights",
                        archetype_id,
                    )
                )

    def _links(self, sources: _Items, archetypes: _Items, models: _Items) -> list[Link]:
        links: list[Link] = []
        for link, placed in self.items["links"]:
            self._cite(link.source, placed, "source", sources)
            if _decimals(link.strength) > NUMBER_DECIMALS:
                self.problems.append(
                    placed.problem(
                        Message(
                            "strength {strength} has more than {NUMBER_DECIMALS} decimals",
                            strength=link.strength,
                            NUMBER_DECIMALS=NUMBER_DECIMALS,
                        ),
                        None,
                        "strength",
                    )
                )
            self._check_link(link, placed, archetypes, models)
            links.append(link)
        self._duplicate_links(self.items["links"])
        return links

    def _reserved(self, traits: _Items) -> None:
        """Trait ids that conflict rules would read as fields of unit facts."""
        for trait, placed in traits.values():
            if trait.id in UNIT_FIELDS:
                self.problems.append(
                    placed.problem(
                        Message(
                            "trait id '{id}' is reserved: conflict rules read it as a field of unit facts ({names})",
                            id=trait.id,
                            names=", ".join(sorted(UNIT_FIELDS)),
                        ),
                        None,
                        "id",
                    )
                )

    def _conflicts(
        self,
        conflicts: _Items,
        sources: _Items,
        traits: Mapping[str, Trait],
        archetypes: _Items,
        models: _Items,
    ) -> list[ConflictRule]:
        checked: list[ConflictRule] = []
        for spec, placed in conflicts.values():
            self._cite(spec.source, placed, "source", sources)
            checker = _ConflictChecker(
                spec, placed, traits, tuple(archetypes), tuple(models), self._pack_of(placed)
            )
            rule = checker.check()
            self.problems.extend(checker.problems)
            if rule is not None:
                checked.append(rule)
        return checked

    def _locations(
        self, header: _Placed, items: Mapping[str, _Items]
    ) -> dict[tuple[str, str], ItemLocation]:
        """Where every item in effect is written, from the positions read with its file."""
        locate = _Locator(self._pack_of)
        found = {("pack", ""): locate(header)}
        for name, placed in self.settings_at.items():
            found["settings", name] = locate(placed)
        for section, by_key in items.items():
            for key, (_, placed) in by_key.items():
                found[section, key] = locate(placed, self.translated.get((section, key), {}))
        for link, placed in self.items["links"]:
            key = _key("links", link)
            found["links", key] = locate(placed, self.translated.get(("links", key), {}))
        return found

    def _pack_of(self, placed: _Placed) -> str:
        for pack, root in self.roots_or_own().items():
            if root == placed.root:
                return pack
        return self.pack_id or ""

    def _unique(self, section: str, what: str) -> dict[str, tuple[Any, _Placed]]:
        seen: dict[str, tuple[Any, _Placed]] = {}
        for item, placed in self.items[section]:
            if item.id in seen:
                first = seen[item.id][1].document.location((*seen[item.id][1].path, "id"))
                self.problems.append(
                    placed.problem(
                        Message(
                            "duplicate {what} id '{id}'; first defined at {first}",
                            what=what,
                            id=item.id,
                            first=first,
                        ),
                        None,
                        "id",
                    )
                )
                continue
            seen[item.id] = (item, placed)
        return seen

    def _overlap(
        self, archetypes: Mapping[str, Any], models: Mapping[str, Any], a: str, b: str
    ) -> None:
        for shared in sorted(set(archetypes) & set(models)):
            placed = models[shared][1]
            self.problems.append(
                placed.problem(
                    Message(
                        "'{shared}' is both an {a} and a {b} id; graph node ids must be unique",
                        shared=shared,
                        a=a,
                        b=b,
                    ),
                    None,
                    "id",
                )
            )

    def _check_link(
        self, link: Link, placed: _Placed, archetypes: Mapping[str, Any], models: Mapping[str, Any]
    ) -> None:
        if link.source_node not in archetypes:
            self.problems.append(
                placed.problem(
                    Message(
                        "unknown archetype '{source_node}' (links start at an archetype)",
                        source_node=link.source_node,
                    ),
                    did_you_mean(link.source_node, archetypes),
                    "from",
                )
            )
        if link.relation == "evolves_to":
            if link.target not in archetypes:
                self.problems.append(
                    placed.problem(
                        Message(
                            "unknown archetype '{target}' (evolves_to links two archetypes)",
                            target=link.target,
                        ),
                        did_you_mean(link.target, archetypes),
                        "to",
                    )
                )
        elif link.target not in models:
            self.problems.append(
                placed.problem(
                    Message("unknown model '{target}'", target=link.target),
                    did_you_mean(link.target, models),
                    "to",
                )
            )

    def _duplicate_links(self, links: Iterable[tuple[Link, _Placed]]) -> None:
        seen: dict[tuple[str, str], _Placed] = {}
        for link, placed in links:
            key = (link.source_node, link.target)
            if key in seen:
                self.problems.append(
                    placed.problem(
                        Message(
                            "a second link from '{value}' to '{value2}'; the first is at {location}",
                            value=key[0],
                            value2=key[1],
                            location=seen[key].location,
                        ),
                        Message("one archetype has one relation to a model"),
                    )
                )
            else:
                seen[key] = placed

    def _condition(
        self, rule: ScoringRule, placed: _Placed, traits: Mapping[str, Trait]
    ) -> cond.Condition | None:
        when = (*placed.path, "when")
        try:
            parsed = cond.parse(rule.when)
        except cond.ConditionSyntaxError as error:
            self.problems.append(
                _in_condition(
                    placed.document,
                    when,
                    error.column,
                    Message("condition does not parse: {error}", error=error.message),
                )
            )
            return None
        found = check_condition(parsed, traits)
        for column, message, hint in found:
            self.problems.append(_in_condition(placed.document, when, column, message, hint))
        return None if found else cond.normalise(parsed)


def _salvaged_header(value: Any) -> PackInfo | None:
    """What a `pack:` header with mistakes still says, so that one mistake fails alone.

    A misspelt key (`extend`, `perspective_treshold`) is read as the key it is close to, when
    that one is not written too; a value that does not validate is left out; a missing name
    becomes the id. The mistakes are reported as they are written; this only keeps `id`,
    `extends` and the settings, so the rest of the pack is checked against the packs it extends
    rather than failing for every id they define. None when not even an id can be read.
    """
    if not isinstance(value, dict):
        return None
    data = _near_keys(dict(value), PackInfo.model_fields)
    if isinstance(data.get("settings"), dict):
        data["settings"] = _near_keys(dict(data["settings"]), Settings.model_fields)
    for _ in range(len(PackInfo.model_fields) + len(Settings.model_fields)):
        if isinstance(data.get("id"), str) and "name" not in data:
            data["name"] = {"en": data["id"]}
        try:
            return PackInfo.model_validate(data)
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                loc = detail["loc"]
                if detail["type"] == "missing" and loc == ("id",):
                    return None
                settings = data.get("settings")
                if loc[0] == "settings" and len(loc) > 1 and isinstance(settings, dict):
                    data["settings"] = {k: v for k, v in settings.items() if k != loc[1]}
                else:
                    data.pop(str(loc[0]), None)
    return None  # pragma: no cover - each round removes at least one field


def _near_keys(data: dict[str, Any], known: Mapping[str, Any]) -> dict[str, Any]:
    """Unknown keys renamed to the known key they are a likely typo of, where that is free."""
    for key in [k for k in data if k not in known]:
        hint = did_you_mean(str(key), known)
        near = hint.split("'")[1] if hint else None
        if near is not None and near not in data:
            data[near] = data.pop(key)
    return data
