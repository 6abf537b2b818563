"""A rule pack as a spreadsheet (.xlsx, through openpyxl: the `spreadsheet` extra), and back.

One sheet per part of the pack, one row per item, the columns of `_columns`:

- `Pack`: key | value rows: id, name.en, name.fi, version, extends and each setting the pack
  sets (`settings.min_observed`); settings it does not set stay inherited;
- `Sources`, `Archetypes`, `Traits`, `Models`, `Conflicts`: one row per item;
- `Rules`: a decision table, one row per scoring rule: its condition, one weight column per
  archetype, the rationale in each language, sources;
- `Links`: a matrix, archetypes down and models (and archetypes, for `evolves_to`) across, each
  cell `suits 0.8`, `poor_fit 0.6` or `evolves_to 0.5`; `Link details`: each link's reason and
  sources, one row per link in the pack's order;
- `Disable` (section | id) and `Translations` (lang | section | id | field | text) for layers.

Importing reads every sheet, reports every mistake at once located as `Rules!C7`, writes the
pack's YAML to a temporary folder, loads it (with the packs below) and, only when it loads,
moves it into place. A mistake the loader finds in the written YAML (an unknown trait in a
condition, say) is mapped back to the sheet cell it came from. Round trip: export, import, and
the pack loads to the same items and gives the same advice (tests/test_spreadsheet.py).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ValidationError

from modeadvisor._i18n import Message
from modeadvisor.authoring._columns import (
    WEIGHT,
    Cell,
    CellError,
    Field,
    fields,
    from_cells,
    headers,
    to_cells,
)
from modeadvisor.errors import KnowledgeBaseError, Location, Problem, did_you_mean, display_path
from modeadvisor.knowledge import KnowledgeBase, load_knowledge_base
from modeadvisor.knowledge._loading import _read_pack
from modeadvisor.knowledge._located import pydantic_message
from modeadvisor.knowledge._shapes import (
    _ITEM_MODELS,
    Disable,
    Link,
    PackInfo,
    Settings,
)
from modeadvisor.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

#: Sheet of each item section, in the order they are written.
SHEETS = {
    "sources": "Sources",
    "archetypes": "Archetypes",
    "traits": "Traits",
    "rules": "Rules",
    "models": "Models",
    "conflicts": "Conflicts",
    "kinds": "Kinds",
}
LINKS, DETAILS, PACK, DISABLE, TRANSLATIONS = (
    "Links",
    "Link details",
    "Pack",
    "Disable",
    "Translations",
)
RELATIONS = ("suits", "poor_fit", "evolves_to")
_DETAIL_SKIP = ("relation", "strength")


def _openpyxl() -> Any:
    from modeadvisor.authoring.features import MissingExtraError

    try:
        import openpyxl
    except ImportError:
        raise MissingExtraError("spreadsheet", "openpyxl") from None
    return openpyxl


# --- export ----------------------------------------------------------------------------------


def export_workbook(
    folder: Path, out: Path, *, below: Sequence[Path] = (), limits: Limits = DEFAULT_LIMITS
) -> None:
    """Write the pack in `folder` (layered on `below`, if it extends them) as an .xlsx file."""
    openpyxl = _openpyxl()
    kb = load_knowledge_base(*below, folder, limits=limits)  # only a pack that loads is exported
    loader = _read_pack(folder, limits)
    own: dict[str, list[Any]] = {s: [item for item, _ in loader.items[s]] for s in loader.items}
    book = openpyxl.Workbook()
    book.remove(book.active)
    _pack_sheet(book.create_sheet(PACK), own["pack"][0])
    archetypes = _archetype_order(kb, own["rules"])
    for section, title in SHEETS.items():
        layout = fields(_ITEM_MODELS[section])
        _rows(book.create_sheet(title), headers(layout, archetypes), own[section], layout)
    _links(book, kb, own["links"])
    _disable_sheet(book.create_sheet(DISABLE), own["disable"])
    _translation_sheet(book.create_sheet(TRANSLATIONS), own["translations"])
    book.save(out)


def _archetype_order(kb: KnowledgeBase, rules: Sequence[Any]) -> list[str]:
    order = list(kb.archetypes)
    for rule in rules:
        order += [a for a in rule.weights if a not in order]
    return order


def _rows(sheet: Worksheet, names: list[str], items: Sequence[Any], layout: list[Field]) -> None:
    _append(sheet, names)
    for item in items:
        cells = to_cells(item, layout)
        _append(sheet, [cells.get(name) for name in names])
    _widths(sheet)


def _append(sheet: Worksheet, values: Sequence[Cell]) -> None:
    """A row of cells; a text starting with `=` stays a text, not a formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def _widths(sheet: Worksheet) -> None:
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        widest = max((len(str(v)) for v in column if v is not None), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest, 8) + 2, 60)
    sheet.freeze_panes = "B2"


def _pack_sheet(sheet: Worksheet, info: PackInfo) -> None:
    _append(sheet, ["key", "value"])
    _append(sheet, ["id", info.id])
    _append(sheet, ["name.en", info.name.en])
    _append(sheet, ["name.fi", info.name.fi])
    _append(sheet, ["version", info.version])
    _append(sheet, ["extends", info.extends])
    for name in Settings.model_fields:  # only what the pack sets: the rest is inherited
        if name in info.settings.model_fields_set:
            _append(sheet, [f"settings.{name}", getattr(info.settings, name)])
    _widths(sheet)


def _links(book: Workbook, kb: KnowledgeBase, links: Sequence[Link]) -> None:
    sources = list(kb.archetypes) + sorted({x.source_node for x in links} - set(kb.archetypes))
    targets = list(kb.models) + [a for a in kb.archetypes if any(x.target == a for x in links)]
    targets += sorted({x.target for x in links} - set(targets))
    matrix = book.create_sheet(LINKS)
    _append(matrix, ["from \\ to", *targets])
    cells = {(x.source_node, x.target): f"{x.relation} {x.strength:g}" for x in links}
    for source in sources:
        _append(matrix, [source, *(cells.get((source, t)) for t in targets)])
    _widths(matrix)
    layout = fields(Link, skip=_DETAIL_SKIP)
    _rows(book.create_sheet(DETAILS), headers(layout, []), links, layout)


def _disable_sheet(sheet: Worksheet, disables: Sequence[Disable]) -> None:
    _append(sheet, ["section", "id"])
    for disable in disables:
        for section in Disable.model_fields:
            for ref in getattr(disable, section):
                key = f"{ref.source_node} -> {ref.target}" if section == "links" else ref
                _append(sheet, [section, key])
    _widths(sheet)


def _translation_sheet(sheet: Worksheet, translations: Sequence[Any]) -> None:
    _append(sheet, ["lang", "section", "id", "field", "text"])
    for lang, section, item_id, texts in translations:
        for name, text in texts.items():
            _append(sheet, [lang, section, item_id, name, text])
    _widths(sheet)


# --- import ----------------------------------------------------------------------------------


@dataclass
class _Cell:
    """Where a value stands: a sheet and a cell (`Rules!C7`)."""

    sheet: str
    row: int
    column: int = 1

    def __str__(self) -> str:
        from openpyxl.utils import get_column_letter

        return f"{self.sheet}!{get_column_letter(self.column)}{self.row}"


@dataclass
class _Reader:
    path: Path
    problems: list[Problem] = field(default_factory=list)

    def problem(self, where: _Cell, message: str, hint: str | None = None) -> None:
        self.problems.append(
            Problem(
                Location(display_path(self.path)),
                Message("{where}: {message}", where=where, message=message),
                hint,
            )
        )


@dataclass
class _Written:
    """An item to write and the sheet row it came from, with the column of each of its keys."""

    data: Any
    row: _Cell
    columns: dict[str, int]


def import_workbook(
    workbook: Path, out: Path, *, below: Sequence[Path] = (), limits: Limits = DEFAULT_LIMITS
) -> KnowledgeBase:
    """Read a workbook into a pack folder `out` (created; must not hold rule files yet).

    Every mistake is reported at once as a KnowledgeBaseError located as `Sheet!B7`; nothing is
    written unless the pack loads (layered on `below`).
    """
    openpyxl = _openpyxl()
    reader = _Reader(workbook)
    try:
        book = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a file that is no workbook
        where = Location(display_path(workbook))
        raise KnowledgeBaseError(
            [Problem(where, Message("not an .xlsx workbook: {error}", error=error))]
        ) from None
    sheets = {name: _table(book[name]) for name in book.sheetnames}
    known = [PACK, *SHEETS.values(), LINKS, DETAILS, DISABLE, TRANSLATIONS]
    for name in sheets:
        if name not in known:
            reader.problem(
                _Cell(name, 1),
                Message("unknown sheet '{name}'", name=name),
                did_you_mean(name, known),
            )
    files: dict[str, list[tuple[str, list[_Written]]]] = {}
    header = _read_pack_sheet(reader, sheets.get(PACK))
    files["pack.yaml"] = [("pack", header)] if header else []
    files["pack.yaml"] += _read_disable(reader, sheets.get(DISABLE))
    files["pack.yaml"] += _read_translations(reader, sheets.get(TRANSLATIONS))
    for section, title in SHEETS.items():
        files[f"{section}.yaml"] = [
            (section, _read_items(reader, title, sheets.get(title), section))
        ]
    files["links.yaml"] = [("links", _read_links(reader, sheets.get(LINKS), sheets.get(DETAILS)))]
    if reader.problems:
        raise KnowledgeBaseError(reader.problems)
    return _write_checked(reader, files, out, below, limits)


def _table(sheet: Worksheet) -> list[tuple[int, list[Cell]]]:
    """Rows with their 1-based numbers, empty rows left out (texts are kept as written)."""
    rows = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells: list[Cell] = [_plain_cell(v) for v in row]
        if any(v is not None for v in cells):
            rows.append((number, cells))
    return rows


def _plain_cell(value: object) -> Cell:
    """A cell's value as a pack file would hold it: empty is None, a date or rich text a text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _columns(
    reader: _Reader,
    title: str,
    rows: list[tuple[int, list[Cell]]],
    allowed: Sequence[str],
    *,
    weights: bool = False,
) -> dict[int, str] | None:
    """The header row: column index -> name, every unknown or repeated name a problem."""
    if not rows:
        return None
    number, names = rows[0]
    found: dict[int, str] = {}
    for index, name in enumerate(names):
        if name is None:
            continue
        text = str(name)
        where = _Cell(title, number, index + 1)
        if text in found.values():
            reader.problem(where, Message("column '{text}' is given twice", text=text))
        elif text not in allowed and not (weights and text.startswith(WEIGHT)):
            reader.problem(
                where,
                Message(
                    "unknown column '{text}'; expected {names}", text=text, names=", ".join(allowed)
                ),
                did_you_mean(text, allowed),
            )
        else:
            found[index] = text
    return found


def _read_items(
    reader: _Reader, title: str, rows: list[tuple[int, list[Cell]]] | None, section: str
) -> list[_Written]:
    model = _ITEM_MODELS[section]
    layout = fields(model)
    return _read_rows(reader, title, rows, model, layout)


def _read_rows(
    reader: _Reader,
    title: str,
    rows: list[tuple[int, list[Cell]]] | None,
    model: type[BaseModel],
    layout: list[Field],
    checked: Mapping[str, Any] | None = None,
) -> list[_Written]:
    if not rows:
        return []
    weights = any(f.kind == "weights" for f in layout)
    columns = _columns(reader, title, rows, headers(layout, []), weights=weights)
    if columns is None:
        return []
    index_of = {name: index + 1 for index, name in columns.items()}
    written = []
    for number, values in rows[1:]:
        cells = {columns[i]: v for i, v in enumerate(values) if i in columns and v is not None}
        where = _Cell(title, number)
        try:
            data = from_cells(cells, layout)
        except CellError as error:
            reader.problem(_Cell(title, number, index_of.get(error.column, 1)), str(error))
            continue
        try:
            model.model_validate({**data, **(checked or {})})
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                column = _column_of(detail["loc"], index_of)
                reader.problem(_Cell(title, number, column), _message(detail))
            continue
        keys = {key: _key_column(key, index_of) for key in data}
        written.append(_Written(data, where, keys))
    return written


def _column_of(loc: tuple[int | str, ...], index_of: Mapping[str, int]) -> int:
    if not loc:
        return 1
    head = str(loc[0])
    if head == "weights" and len(loc) > 1:
        return index_of.get(f"{WEIGHT}{loc[1]}", 1)
    if len(loc) > 1 and f"{head}.{loc[1]}" in index_of:
        return index_of[f"{head}.{loc[1]}"]
    return _key_column(head, index_of)


def _key_column(key: str, index_of: Mapping[str, int]) -> int:
    for name in (key, f"{key}.en"):
        if name in index_of:
            return index_of[name]
    weights = [i for name, i in index_of.items() if name.startswith(WEIGHT)]
    return min(weights) if key == "weights" and weights else 1


def _message(detail: Any) -> str:
    loc = ".".join(str(part) for part in detail["loc"])
    if detail["type"] == "missing":
        return f"'{loc}' is required"
    message = pydantic_message(detail)
    message = message if isinstance(message, Message) else message.removeprefix("Value error, ")
    return f"'{loc}': {message}" if loc else message


def _read_pack_sheet(reader: _Reader, rows: list[tuple[int, list[Cell]]] | None) -> list[_Written]:
    if not rows:
        reader.problem(_Cell(PACK, 1), Message("no Pack sheet: it gives the pack's id and name"))
        return []
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    allowed = ["id", "name.en", "name.fi", "version", "extends"]
    allowed += [f"settings.{name}" for name in Settings.model_fields]
    for number, values in rows[1:]:
        key, value = ([*values, None, None])[:2]
        if key is None:
            reader.problem(_Cell(PACK, number), Message("a value without a key"))
            continue
        text = str(key)
        if text not in allowed:
            reader.problem(
                _Cell(PACK, number),
                Message("unknown key '{text}'", text=text),
                did_you_mean(text, allowed),
            )
            continue
        if value is None:
            continue
        lines[text.split(".")[0]] = number
        if text.startswith("settings."):
            data.setdefault("settings", {})[text.removeprefix("settings.")] = value
        elif text.startswith("name."):
            data.setdefault("name", {})[text.removeprefix("name.")] = str(value)
        else:
            data[text] = str(value)
    try:
        PackInfo.model_validate(data)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            head = str(detail["loc"][0]) if detail["loc"] else "id"
            reader.problem(_Cell(PACK, lines.get(head, 1), 2), _message(detail))
        return []
    return [_Written(data, _Cell(PACK, 2), dict.fromkeys(data, 2))]


def _read_disable(
    reader: _Reader, rows: list[tuple[int, list[Cell]]] | None
) -> list[tuple[str, list[_Written]]]:
    if not rows or len(rows) < 2:
        return []
    data: dict[str, list[Any]] = {}
    for number, values in rows[1:]:
        section, key = ([*values, None, None])[:2]
        if section not in Disable.model_fields or key is None:
            reader.problem(
                _Cell(DISABLE, number),
                Message(
                    "expected a section ({names}) and an id", names=", ".join(Disable.model_fields)
                ),
                did_you_mean(str(section), Disable.model_fields),
            )
            continue
        if section == "links":
            source, _, target = str(key).partition(" -> ")
            data.setdefault("links", []).append({"from": source, "to": target})
        else:
            data.setdefault(str(section), []).append(str(key))
    return [("disable", [_Written(data, _Cell(DISABLE, 2), {})])] if data else []


def _read_translations(
    reader: _Reader, rows: list[tuple[int, list[Cell]]] | None
) -> list[tuple[str, list[_Written]]]:
    if not rows or len(rows) < 2:
        return []
    data: dict[str, dict[str, dict[str, dict[str, str]]]] = {}
    for number, values in rows[1:]:
        lang, section, item_id, name, text = (values + [None] * 5)[:5]
        if None in (lang, section, item_id, name, text):
            reader.problem(
                _Cell(TRANSLATIONS, number), Message("expected lang, section, id, field, text")
            )
            continue
        texts = data.setdefault(str(lang), {}).setdefault(str(section), {})
        texts.setdefault(str(item_id), {})[str(name)] = str(text)
    return [("translations", [_Written(data, _Cell(TRANSLATIONS, 2), {})])]


def _read_links(
    reader: _Reader,
    matrix: list[tuple[int, list[Cell]]] | None,
    details: list[tuple[int, list[Cell]]] | None,
) -> list[_Written]:
    found: dict[tuple[str, str], tuple[str, float, _Cell]] = {}
    if matrix:
        _, targets = matrix[0]
        for number, values in matrix[1:]:
            source = values[0]
            for index, value in enumerate(values[1:], start=2):
                if value is None:
                    continue
                where = _Cell(LINKS, number, index)
                target = targets[index - 1] if index - 1 < len(targets) else None
                parsed = _relation(str(value))
                if source is None or target is None:
                    reader.problem(
                        where, Message("a link needs an archetype in column A and a header")
                    )
                elif parsed is None:
                    reader.problem(
                        where,
                        Message(
                            "'{value}' is not a link; write a relation and a strength: suits 0.8, poor_fit 0.6 or evolves_to 0.5",
                            value=value,
                        ),
                    )
                else:
                    found[str(source), str(target)] = (*parsed, where)
    layout = fields(Link, skip=_DETAIL_SKIP)
    rows: list[_Written] = []
    checked = {"relation": "suits", "strength": 1}  # those are the matrix's: checked there
    for item in _read_rows(reader, DETAILS, details, Link, layout, checked):
        key = (str(item.data.get("from")), str(item.data.get("to")))
        if key not in found:
            reader.problem(
                item.row,
                Message(
                    "no cell in {LINKS} for {value} -> {value2}",
                    LINKS=LINKS,
                    value=key[0],
                    value2=key[1],
                ),
            )
            continue
        relation, strength, where = found.pop(key)
        item.data = {**item.data, "relation": relation, "strength": strength}
        rows.append(item)
    for (source, target), (*_, where) in found.items():
        reader.problem(
            where,
            Message(
                "no row in '{DETAILS}' for {source} -> {target} (its reason)",
                DETAILS=DETAILS,
                source=source,
                target=target,
            ),
        )
    return rows


def _relation(text: str) -> tuple[str, float] | None:
    parts = text.split()
    if len(parts) != 2 or parts[0] not in RELATIONS:
        return None
    try:
        return parts[0], float(parts[1])
    except ValueError:
        return None


# --- writing, then loading what was written ---------------------------------------------------


def _write_checked(
    reader: _Reader,
    files: Mapping[str, list[tuple[str, list[_Written]]]],
    out: Path,
    below: Sequence[Path],
    limits: Limits,
) -> KnowledgeBase:
    if out.exists() and any(out.rglob("*.y*ml")):
        raise KnowledgeBaseError(
            [Problem(Location(display_path(out)), Message("the folder holds rule files already"))]
        )
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "pack"
        folder.mkdir()
        origins: dict[tuple[str, int], _Cell] = {}
        for name, sections in files.items():
            text = "".join(_section_text(name, s, items, origins) for s, items in sections)
            if text:
                (folder / name).write_text(text, encoding="utf-8")
        try:
            load_knowledge_base(*below, folder, limits=limits)
        except KnowledgeBaseError as error:
            raise KnowledgeBaseError(
                [_back_to_sheet(reader, p, folder, origins) for p in error.problems]
            ) from None
        out.mkdir(parents=True, exist_ok=True)
        for written in folder.iterdir():
            shutil.copy2(written, out / written.name)
    return load_knowledge_base(*below, out, limits=limits)


#: A plain scalar some YAML reader takes for a number, bool or null: written quoted.
_NOT_PLAIN = re.compile(
    r"^([-+]?(\.?[0-9]|\.(inf|nan))|(true|false|yes|no|on|off|y|n|null|~)$)", re.IGNORECASE
)


class _Dumper(yaml.SafeDumper):
    """Texts that could read back as something else (`0E0`, `no`, `~`) are quoted."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if text == "" or _NOT_PLAIN.match(text) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def _dump(value: Any, width: int = 100) -> str:
    return yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=width)


def _section_text(
    name: str, section: str, items: list[_Written], origins: dict[tuple[str, int], _Cell]
) -> str:
    """A section's YAML, remembering the sheet cell each line comes from."""
    if not items:
        return ""
    if section in ("pack", "disable", "translations"):
        (item,) = items
        return _dump({section: item.data})
    lines = [f"{section}:"]
    for item in items:
        dumped = _dump([item.data])
        key = ""
        for line in dumped.splitlines():
            stripped = line.removeprefix("- ").lstrip()
            if not line.startswith("    ") and ":" in stripped:
                key = stripped.split(":", 1)[0]
            column = item.columns.get(key, 1)
            lines.append("  " + line)
            origins[name, len(lines)] = _Cell(item.row.sheet, item.row.row, column)
    return "\n".join(lines) + "\n"


def _back_to_sheet(
    reader: _Reader, problem: Problem, folder: Path, origins: Mapping[tuple[str, int], _Cell]
) -> Problem:
    location = problem.location
    path = Path(location.file)
    if path.resolve().is_relative_to(folder.resolve()):
        found = origins.get((path.name, location.line)) if location.line else None
        cell = found or _Cell(_sheet_of(path.name), 1)
        where = Location(display_path(reader.path))
        return Problem(
            where, Message("{cell}: {message}", cell=cell, message=problem.message), problem.hint
        )
    return problem


def _sheet_of(file_name: str) -> str:
    section = file_name.removesuffix(".yaml")
    return SHEETS.get(section, DETAILS if section == "links" else PACK)


def sheets_of(kb: KnowledgeBase) -> Iterator[str]:
    """The sheets an export of a pack has (for documentation and tests)."""
    del kb
    yield PACK
    yield from SHEETS.values()
    yield from (LINKS, DETAILS, DISABLE, TRANSLATIONS)
