"""Bounds on what modeadvisor reads and computes, so no input can exhaust memory or time.

Every bound is refused with a clear, located error (never a crash or a hang) and can be raised
or lowered by passing a `Limits` to the loaders or the `Advisor`, or on the command line with
`--limit NAME=VALUE` (read by `parse_limit`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from modeadvisor._i18n import Message
from modeadvisor.errors import did_you_mean


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one file, one organisation and one assessment may hold."""

    #: Bytes of one rule or organisation file.
    max_file_bytes: int = 20_000_000
    #: Values (scalars, lists, mappings) built from one file: stops alias bombs early.
    max_values: int = 1_000_000
    #: Values reached again through YAML aliases (`*name`): a "billion laughs" bomb is all
    #: aliases, so it is refused after this many, in milliseconds.
    max_alias_values: int = 10_000
    #: Nesting levels of one file.
    max_depth: int = 100
    #: Characters of one text value (a name, a condition, a description).
    max_text: int = 20_000
    #: Units of one organisation.
    max_units: int = 20_000
    #: Bindings one conflict rule could make in one assessment, estimated before the engine
    #: runs from the facts and the rule's equality joins (the engine cannot be stopped midway).
    max_conflict_bindings: int = 5_000_000
    #: Rows of one table scored at once (`Advisor.assess_many`, `modeadvisor batch`): a row is
    #: one unit without a tree or conflicts between units, so far lighter than an organisation's.
    max_table_rows: int = 1_000_000
    #: Pack files may lie outside the pack folder (through symbolic links) only when allowed.
    allow_outside_pack: bool = False

    def with_settings(self, settings: Iterable[str]) -> Limits:
        """These limits with `NAME=VALUE` settings applied in order (a later one wins)."""
        changes: dict[str, Any] = dict(parse_limit(text) for text in settings)
        return dataclasses.replace(self, **changes)


DEFAULT_LIMITS = Limits()

_BOOLEANS = {"true": True, "false": False}


def limit_names() -> dict[str, int | bool]:
    """Every limit's name with its default, in declaration order."""
    return {field.name: getattr(DEFAULT_LIMITS, field.name) for field in dataclasses.fields(Limits)}


def how_to_raise(name: str) -> str:
    """The words a hint uses to say how to raise limit `name`, from Python and from the CLI.

    A switch (`allow_outside_pack`) is turned on rather than raised.
    """
    if isinstance(limit_names()[name], bool):
        return Message(
            "set Limits.{name}=True (on the command line: --limit {name}=true)", name=name
        )
    return Message("raise Limits.{name} (on the command line: --limit {name}=N)", name=name)


def parse_limit(setting: str) -> tuple[str, int | bool]:
    """One `NAME=VALUE` setting as `--limit` takes it: a known limit and a value of its type.

    Whole numbers may group digits with `_` or `,` (`20,000`); booleans are `true` or `false`.
    Raises ValueError saying what is wrong and, for a misspelt name or boolean, what was meant.
    """
    defaults = limit_names()
    name, equals, value = (part.strip() for part in setting.partition("="))
    if not equals or not name:
        example = f"{name}={defaults[name]}" if name in defaults else "max_units=50000"
        raise ValueError(
            Message(
                "'{setting}' is not NAME=VALUE, e.g. {example}", setting=setting, example=example
            )
        )
    if name not in defaults:
        hint = did_you_mean(name, defaults) or Message(
            "the limits are {names}", names=", ".join(defaults)
        )
        raise ValueError(Message("unknown limit '{name}' ({hint})", name=name, hint=hint))
    if isinstance(defaults[name], bool):
        if value.lower() not in _BOOLEANS:
            meant = did_you_mean(value.lower(), _BOOLEANS)
            said = Message("{name} takes true or false, not '{value}'", name=name, value=value)
            if meant:
                said = Message("{message} ({hint})", message=said, hint=meant)
            raise ValueError(said)
        return name, _BOOLEANS[value.lower()]
    digits = value.replace("_", "").replace(",", "")
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(
            Message(
                "{name} takes a whole number of 0 or more, not '{value}' "
                "(e.g. {name}={twice}; the default is {default})",
                name=name,
                value=value,
                twice=str(defaults[name] * 2),
                default=str(defaults[name]),
            )
        )
    return name, int(digits)


#: How much `read_at_most` asks of a stream at a time.
READ_CHUNK = 1 << 20


def read_at_most(stream: IO[bytes], most: int) -> bytes:
    """The stream's bytes up to `most`, read a megabyte at a time: `read(most)` would set
    aside `most` bytes at once, and a bound raised to a terabyte cannot be set aside."""
    chunks: list[bytes] = []
    left = most
    while left > 0 and (chunk := stream.read(min(left, READ_CHUNK))):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
