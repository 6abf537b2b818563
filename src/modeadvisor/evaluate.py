"""`modeadvisor eval`: JSON Lines in, JSON Lines out, one answer for every line.

Each input line is an organisation (assessed), or a request naming its question::

    {"op": "assess", "organisation": {...}}
    {"op": "explain", "organisation": {...}, "unit": "rnd"}
    {"op": "what-if", "organisation": {...}, "unit": "rnd", "target": "production"}
    {"op": "what-if", "organisation": {...}, "unit": "rnd", "clear": "KIND", "allow": ["cost"]}
    {"op": "why-not", "organisation": {...}, "unit": "rnd", "model": "balanced_scorecard"}

and each gives exactly one output line, in the same order: `{"line": N, "op": ..., "result":
...}` where it is answered, `{"line": N, "error": {"type": ..., "problems": [...]}}` where it is
not, every problem located at the input line and the column in it. A bad line (not JSON, not an
object, an unknown op or field, a bad organisation, a blank line, a line over the size limit) is
answered with its error and the next line is read: the stream never stops early.
"""

from __future__ import annotations

import dataclasses
import json
import os
import traceback
from collections.abc import Iterator, Mapping
from typing import IO, Any

from modeadvisor._i18n import Message
from modeadvisor.errors import (
    EngineError,
    Location,
    ModeAdvisorError,
    Problem,
    did_you_mean,
)
from modeadvisor.knowledge import Lang
from modeadvisor.knowledge._documents import DocumentError, decode
from modeadvisor.limits import how_to_raise
from modeadvisor.operations import (
    OPS,
    Advisors,
    assess,
    dumps,
    error_data,
    explain,
    what_if,
    why_not,
)
from modeadvisor.organisation import OrganisationText

STDIN = "<stdin>"
#: The fields of a request, by op (besides `op` and `organisation`).
FIELDS: Mapping[str, frozenset[str]] = {
    "assess": frozenset(),
    "explain": frozenset({"unit"}),
    "what-if": frozenset({"unit", "target", "clear", "allow"}),
    "why-not": frozenset({"unit", "model"}),
}
#: How much of a line over the limit is read at a time while it is skipped.
_SKIP_CHUNK = 1 << 20


class RequestError(ModeAdvisorError, ValueError):
    """A line that is not a request: not JSON, not an object, an unknown op or field."""


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    """How a run went: lines answered, lines refused, and internal errors (bugs)."""

    answered: int = 0
    refused: int = 0
    internal: int = 0


def run(
    advisors: Advisors,
    stdin: IO[bytes],
    stdout: IO[str],
    *,
    lang: Lang = "en",
    backend: Any = "auto",
) -> Outcome:
    """Answer every line of `stdin` on `stdout`, one JSON line each, flushed as it is written."""
    answered = refused = internal = 0
    most = advisors.limits.max_file_bytes
    for number, raw in _lines(stdin, most):
        try:
            op, result = _answer(advisors, number, raw, lang, backend)
        except EngineError as error:  # accepted rules failed: a bug, said on its line
            internal += 1
            out: dict[str, Any] = {"line": number, "error": _located(error, number)}
        except ModeAdvisorError as error:
            refused += 1
            out = {"line": number, "error": _located(error, number)}
        except Exception as error:  # never stop the stream, never a bare traceback
            internal += 1
            if os.environ.get("MODEADVISOR_DEBUG"):
                traceback.print_exc()
            message = f"internal error ({type(error).__name__}: {error}); this is a bug"
            out = {
                "line": number,
                "error": {
                    "type": "InternalError",
                    "problems": [
                        {"file": STDIN, "line": number, "column": None, "message": message}
                    ],
                },
            }
        else:
            answered += 1
            out = {"line": number, "op": op, "result": result}
        stdout.write(dumps(out) + "\n")
        stdout.flush()
    return Outcome(answered, refused, internal)


def _lines(stream: IO[bytes], most: int) -> Iterator[tuple[int, bytes | None]]:
    """Each line with its number, None for a line over `most` bytes (skipped, not kept)."""
    number = 0
    while True:
        raw = stream.readline(most + 1)
        if not raw:
            return
        number += 1
        if len(raw) > most and not raw.endswith(b"\n"):
            while (rest := stream.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield number, None
            continue
        yield number, raw


def _read(raw: bytes | None, most: int) -> tuple[dict[str, Any], bytes]:
    """A line as a JSON object, or the RequestError saying why it is not one."""
    if raw is None:
        raise _refused(
            Message("line is over {most:,} bytes", most=most),
            Message("split it, or {how}", how=how_to_raise("max_file_bytes")),
        )
    try:
        text = decode(raw, STDIN)
    except DocumentError as error:
        raise RequestError(error.problems) from None
    if not text.strip():
        raise _refused(
            Message("blank line; expected an organisation or a request, as one JSON object")
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RequestError(
            [Problem(Location(STDIN, 1, error.colno), Message("not JSON: {msg}", msg=error.msg))]
        ) from None
    except RecursionError:
        raise _refused(Message("not JSON this program can read: it nests far too deeply")) from None
    if not isinstance(data, dict):
        raise _refused(Message("expected a JSON object: an organisation, or a request with `op`"))
    return data, raw


def _answer(
    advisors: Advisors, number: int, raw: bytes | None, lang: Lang, backend: Any
) -> tuple[str, Any]:
    data, raw = _read(raw, advisors.limits.max_file_bytes)
    if "op" not in data:
        return "assess", json.loads(
            assess(advisors.get(lang, backend), OrganisationText(raw, STDIN))
        )
    op = _op(data)
    given = OrganisationText(raw, STDIN, key="organisation")
    strings = {name: _text(data, name) for name in ("unit", "target", "clear", "model")}
    if op == "assess":
        return op, json.loads(assess(advisors.get(lang, backend), given))
    unit = strings["unit"]
    if unit is None:
        raise _refused(Message("`{op}` needs `unit`: the id of the unit to ask about", op=op))
    if op == "explain":
        return op, explain(advisors.get(lang, backend), given, unit)
    vectorised = advisors.get(lang, "vectorised")  # what-if and why-not search with it
    if op == "why-not":
        if strings["model"] is None:
            raise _refused(
                Message("`why-not` needs `model`: a model or a mode the unit is not given")
            )
        return op, why_not(vectorised, given, unit, strings["model"])
    target, clear = strings["target"], strings["clear"]
    if (target is None) == (clear is None):
        raise _refused(Message("`what-if` needs one of `target` (a mode) or `clear` (a finding)"))
    allow = data.get("allow", [])
    if not isinstance(allow, list) or not all(isinstance(a, str) for a in allow):
        raise _refused(Message("`allow` is a list of trait ids"))
    return op, what_if(vectorised, given, unit, target=target, clear=clear, allow=allow)


def _op(data: dict[str, Any]) -> str:
    """The request's op, its fields checked (an unknown one named, with a did-you-mean)."""
    op = data["op"]
    if op not in OPS:
        shown = op if isinstance(op, str) else json.dumps(op)
        hint = (did_you_mean(op, OPS) if isinstance(op, str) else None) or "ops: " + ", ".join(OPS)
        raise _refused(Message("unknown op '{shown}'", shown=shown), hint)
    known = FIELDS[op] | {"op", "organisation"}
    for name in data:
        if name not in known:
            fields = sorted(known)
            hint = did_you_mean(name, fields) or f"`{op}` takes {', '.join(fields)}"
            raise _refused(
                Message("unknown field '{name}' in a `{op}` request", name=name, op=op), hint
            )
    return str(op)


def _text(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise _refused(
            Message("`{name}` is text, not {value}", name=name, value=json.dumps(value)[:40])
        )
    return value


def _refused(message: str, hint: str | None = None) -> RequestError:
    return RequestError([Problem(Location(STDIN, 1), message, hint)])


def _located(error: ModeAdvisorError, number: int) -> dict[str, Any]:
    """The error as data, its problems in the input's lines (a line's text is its own line 1;
    a problem in no file, such as an unknown unit, is the line's)."""
    found = error_data(error)
    for problem in found["problems"]:
        if problem["file"] == STDIN or problem["file"].startswith("<"):  # not another file
            problem["file"], problem["line"] = STDIN, number
    return found
