"""Bounds on what modeadvisor reads and computes, so no input can exhaust memory or time.

Every bound is refused with a clear, located error (never a crash or a hang) and can be raised
or lowered by passing a `Limits` to the loaders or the `Advisor`.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    #: Pack files may lie outside the pack folder (through symbolic links) only when allowed.
    allow_outside_pack: bool = False


DEFAULT_LIMITS = Limits()
