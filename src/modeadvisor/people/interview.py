"""The adaptive interview: one trait question at a time, the next chosen by what could change the
advice most, until the unit's answer is settled or the interviewer stops.

The choice reads `settled` (exact bounds: could the unobserved traits still change the unit's
dominant mode or top recommendation?). While the answer is open, the next question is the
unobserved trait that pulls hardest towards the closest rival mode (`Settled.deciding`); when no
trait does (no mode named yet, or only the top recommendation is open), the one whose values
could change the unit's weights most, each value tried at once with the vectorised scorer; when
none can change anything and a mode is named, the interview of the unit is done. A unit whose
dominant mode and top recommendation cannot change is settled: no question is left to ask.

`Interview` is the state and the choice, without a terminal (the benchmark and the tests drive
it); `run` is the conversation, given a function that asks one line (`prompt_toolkit` in the
command, from the `interview` extra, imported only there).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from modeadvisor._i18n import render
from modeadvisor.advisor import Advisor
from modeadvisor.knowledge import KnowledgeBase, Lang, Trait
from modeadvisor.organisation import load_organisation
from modeadvisor.people._orgfile import dump
from modeadvisor.people._questions import choices, plain, question, read_answer, shown
from modeadvisor.reports.labels import label
from modeadvisor.settled import Settled

__all__ = ["Interview", "is_settled", "run", "valid_unit_id"]

_UNIT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_STOP = "q"


def valid_unit_id(text: str) -> bool:
    """Whether `text` can be a unit's id in an organisation file."""
    return _UNIT_ID.match(text) is not None


def is_settled(answer: Settled) -> bool:
    """The dominant mode cannot change, nor the top recommendation (when there is one)."""
    return answer.mode == "settled" and answer.recommendation in ("settled", None)


class Interview:
    """An organisation being filled in, and the next question for each unit."""

    def __init__(self, kb: KnowledgeBase, lang: Lang, organisation: Mapping[str, Any]) -> None:
        self.kb = kb
        self.lang: Lang = lang
        self.advisor = Advisor(kb, lang=lang, backend="vectorised")
        #: The last answer of `status`, per unit, with the values it was computed on.
        self._status: dict[str, tuple[str, Settled]] = {}
        self.data: dict[str, Any] = {
            **organisation,
            "units": [dict(u) for u in organisation.get("units", ())],
        }

    @classmethod
    def new(cls, kb: KnowledgeBase, lang: Lang, name: str) -> Interview:
        return cls(kb, lang, {"organisation": name, "units": []})

    @classmethod
    def resume(cls, kb: KnowledgeBase, lang: Lang, path: Path) -> Interview:
        """Continue a saved file, checked against the catalogue first, so that a mistake in
        it is located in the file (an OrganisationError naming its line)."""
        loaded = load_organisation(path)
        interview = cls(kb, lang, loaded.model_dump(mode="json", exclude_defaults=True))
        interview.advisor.assess(path)
        return interview

    # -- units ------------------------------------------------------------------------------

    def unit(self, unit_id: str) -> dict[str, Any] | None:
        return next((u for u in self.data["units"] if u["id"] == unit_id), None)

    def add_unit(self, unit_id: str, name: str | None = None, parent: str | None = None) -> None:
        entry: dict[str, Any] = {"id": unit_id, "traits": {}}
        if name:
            entry["name"] = name
        if parent:
            entry["parent"] = parent
        self.data["units"].append(entry)

    def values(self, unit_id: str) -> dict[str, Any]:
        unit = self.unit(unit_id)
        if unit is None:
            raise KeyError(unit_id)
        traits: dict[str, Any] = unit.setdefault("traits", {})
        return traits

    def answer(self, unit_id: str, trait: Trait, value: Any) -> None:
        self.values(unit_id)[trait.id] = plain(value)

    # -- the choice -------------------------------------------------------------------------

    def status(self, unit_id: str) -> Settled:
        """How settled the unit's answer is (computed again only when its values changed)."""
        key = json.dumps(self.values(unit_id), sort_keys=True)
        known = self._status.get(unit_id)
        if known is not None and known[0] == key:
            return known[1]
        answer = self.advisor.settled(self.data, unit_id)
        self._status[unit_id] = (key, answer)
        return answer

    def next_question(
        self, unit_id: str, skipped: frozenset[str] | set[str] = frozenset()
    ) -> Trait | None:
        """The question that could change the advice most; None when the unit is settled or
        no question left could change it."""
        answer = self.status(unit_id)
        if is_settled(answer):
            return None
        asked = set(self.values(unit_id)) | set(skipped)
        for pull in answer.deciding:
            if pull.trait not in asked:
                return self.kb.traits[pull.trait]
        moving = self.moving_most(unit_id, asked)
        if moving is not None:
            return moving
        left = [t for t in self.kb.traits.values() if t.id not in asked]
        return left[0] if left and answer.dominant is None else None

    def moving_most(self, unit_id: str, asked: set[str] | frozenset[str]) -> Trait | None:
        """The trait not yet asked whose values could change the unit's weights most; None
        when no value of any could change them."""
        left = [t for t in self.kb.traits.values() if t.id not in asked]
        if not left:
            return None
        changes = self._largest_changes(unit_id, left)
        best = max(changes, key=lambda i: (changes[i], -i), default=None)
        return left[best] if best is not None and changes[best] > 0 else None

    def _largest_changes(self, unit_id: str, left: list[Trait]) -> dict[int, float]:
        """Per trait left (by index), the largest change of the unit's weights one of its
        values could make (the sum of the changes over the modes)."""
        base = dict(self.values(unit_id))
        rows: list[dict[str, Any]] = [{**base, "unit": "0"}]  # one id a row, as a table needs
        owners: list[int] = []
        for index, trait in enumerate(left):
            for value in _probes(trait):
                rows.append({**base, trait.id: value, "unit": str(len(rows))})
                owners.append(index)
        weights = np.asarray(self.advisor.assess_many(rows).weights, dtype=float)
        moved = np.abs(weights[1:] - weights[0]).sum(axis=1)
        changes: dict[int, float] = {}
        for row, index in enumerate(owners):
            changes[index] = max(changes.get(index, 0.0), float(moved[row]))
        return changes

    def to_yaml(self) -> str:
        header = [label("people.interview_header", self.lang)]
        return dump(self.data, self.kb, self.lang, header=header)

    def save(self, path: Path) -> None:
        """Write the file whole or not at all (a temporary file renamed over it)."""
        if not self.data["units"]:
            return
        text = self.to_yaml()
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8", newline="\n")
        temporary.replace(path)


def _probes(trait: Trait) -> list[Any]:
    """Values tried for a trait: every choice; a set's single values; a number's ends and
    middle (its range, or 0-100)."""
    fixed = trait.choices()
    if fixed is not None:
        return list(fixed)
    if trait.type == "set":
        return [[v] for v in trait.values or ()]
    low = trait.min if trait.min is not None else 0.0
    high = trait.max if trait.max is not None else max(low, 0.0) + 100.0
    return [low, (low + high) / 2, high]


# --- the conversation ------------------------------------------------------------------------

Ask = Callable[[str], str]


class _StopAskingError(Exception):
    """The interviewer typed q (or closed the input): save and stop."""


def _ask(ask: Ask, prompt: str) -> str:
    try:
        text = ask(prompt)
    except (EOFError, KeyboardInterrupt):
        raise _StopAskingError from None
    if text.strip().casefold() == _STOP:
        raise _StopAskingError
    return text.strip()


def _show_question(out: TextIO, trait: Trait, lang: Lang, n: int, unit: str) -> str:
    """Print the question; returns the hint on what an answer is."""
    out.write("\n" + label("people.question_head", lang, n=n, unit=unit) + "\n")
    out.write(question(trait, lang) + "\n")
    options = choices(trait, lang)
    if trait.type == "scale":
        return label("people.scale_hint", lang, low=options[0][0], high=options[-1][0])
    if trait.type == "number":
        return label(
            "people.number_range",
            lang,
            low="-∞" if trait.min is None else f"{trait.min:g}",
            high="∞" if trait.max is None else f"{trait.max:g}",
        )
    for i, (_, text) in enumerate(options, start=1):
        out.write(f"  {i}. {text}\n")
    return label("people.pick_many" if trait.type == "set" else "people.pick_one", lang)


def _status_line(answer: Settled) -> str:
    return " / ".join(
        line.strip() for line in answer.to_text().splitlines() if not line.startswith("  ")
    )


def _interview_unit(
    interview: Interview, unit_id: str, ask: Ask, out: TextIO, save: Callable[[], None]
) -> None:
    lang = interview.lang
    unit = interview.unit(unit_id) or {}
    title = unit.get("name") or unit_id
    skipped: set[str] = set()
    n = 0
    while True:
        trait = interview.next_question(unit_id, skipped)
        if trait is None:
            done = is_settled(interview.status(unit_id))
            key = "people.unit_settled" if done else "people.unit_exhausted"
            out.write(label(key, lang, unit=title) + "\n")
            return
        n += 1
        hint = _show_question(out, trait, lang, n, title)
        while True:
            text = _ask(ask, f"[{hint}] > ")
            if not text:
                skipped.add(trait.id)
                break
            value, message = read_answer(trait, text)
            if message is None and value is not None:
                interview.answer(unit_id, trait, value)
                save()
                out.write(f"  = {shown(trait, value, lang)}\n")
                break
            said = render(message or hint, lang)
            out.write(label("people.not_understood", lang, message=said) + "\n")
        out.write(
            label("people.provisional", lang, status=_status_line(interview.status(unit_id))) + "\n"
        )


def _new_unit(interview: Interview, ask: Ask, out: TextIO, unit_id: str) -> None:
    lang = interview.lang
    name = _ask(ask, label("people.ask_unit_name", lang) + ": ")
    others = [u["id"] for u in interview.data["units"]]
    parent = None
    while others:
        parent = _ask(ask, label("people.ask_parent", lang, units=", ".join(others)) + ": ") or None
        if parent is None or parent in others:
            break
        out.write(label("people.not_understood", lang, message=", ".join(others)) + "\n")
    interview.add_unit(unit_id, name or None, parent)


def _next_unit_id(interview: Interview, ask: Ask, out: TextIO) -> str | None:
    while True:
        unit_id = _ask(ask, label("people.ask_unit", interview.lang) + ": ")
        if not unit_id:
            return None
        if valid_unit_id(unit_id):
            return unit_id
        out.write(
            label(
                "people.not_understood",
                interview.lang,
                message=label("people.bad_unit", interview.lang),
            )
            + "\n"
        )


def run(
    kb: KnowledgeBase,
    lang: Lang,
    output: Path,
    ask: Ask,
    out: TextIO,
    *,
    unit: str | None = None,
    resume: Path | None = None,
) -> Interview:
    """The interview in a terminal: `ask` shows a prompt and returns the line typed."""
    out.write(label("people.keys", lang) + "\n")
    interview: Interview | None = Interview.resume(kb, lang, resume) if resume else None

    def save() -> None:
        assert interview is not None
        interview.save(output)

    try:
        if interview is None:
            name = _ask(ask, label("people.ask_organisation", lang) + ": ")
            interview = Interview.new(kb, lang, name or label("people.unnamed_organisation", lang))
        unit_id = unit if unit is not None else _next_unit_id(interview, ask, out)
        while unit_id is not None:
            if interview.unit(unit_id) is None:
                _new_unit(interview, ask, out, unit_id)
                save()
            _interview_unit(interview, unit_id, ask, out, save)
            unit_id = _next_unit_id(interview, ask, out)
    except _StopAskingError:
        pass
    if interview is not None and interview.data["units"]:
        save()
        out.write(
            label("people.saved", lang, file=str(output), units=len(interview.data["units"])) + "\n"
        )
    return interview or Interview.new(kb, lang, "")
