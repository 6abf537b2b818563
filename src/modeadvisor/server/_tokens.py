"""The bearer tokens of a server (`serve --tokens FILE`): who holds each, what it may do and
which organisations it may see. No FastAPI here: the store is plain data, tested on its own.

The file keeps each token's SHA-256 hash, never the token. A token is 32 random bytes from
`secrets` (256 bits, written `mdv_` and 43 base64url characters), so its hash cannot be reversed
by guessing: a slow key-derivation function (scrypt, Argon2) earns its cost only for secrets a
person chose, which can be guessed from a list. Here it would only make each request dearer:
`bench/bench_tokens.py` measures one SHA-256 check against one scrypt check. A request's token is
hashed once and compared with every stored hash by `hmac.compare_digest`, all of them every time,
so how long the check takes says nothing about which hash came close.

    tokens:
    - name: dashboard              # who holds it: in the audit log and in 403 answers
      sha256: 5e88...              # what `modeadvisor token add` wrote
      scopes: [assess, history-read]
      organisations: [Pohjolan Konepaja Oy]   # optional: the only ones it sees (absent: all)

Scopes: `assess` (every question and the catalogue), `history-read` (`GET /history/...`),
`history-write` (`POST /assess?save=true`), `admin` (everything, every organisation; the only
scope that may erase, `DELETE /history/...`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast, get_args

import yaml

from modeadvisor._i18n import Message
from modeadvisor.errors import Location, ModeAdvisorError, Problem, did_you_mean, display_path
from modeadvisor.history._models import organisation_key
from modeadvisor.knowledge._documents import Document, DocumentError, load_document, type_name

Scope = Literal["assess", "history-read", "history-write", "admin"]
SCOPES: tuple[Scope, ...] = get_args(Scope)
#: What every token starts with: a token found in a log or a paste is recognisable as one.
PREFIX = "mdv_"
_NAME = re.compile(r"[A-Za-z0-9._@-]{1,100}")
_HASH = re.compile(r"[0-9a-f]{64}")
_KEYS = ("name", "sha256", "scopes", "organisations")
#: Where `modeadvisor token add` takes each field from.
_OPTIONS = {"name": "NAME", "scopes": "--scope", "organisations": "--organisation"}
_HEADER = (
    "# modeadvisor serve --tokens: who may use the server. Each token is kept as its SHA-256\n"
    "# hash; the token itself was shown once, when `modeadvisor token add` made it.\n"
)


class TokenFileError(ModeAdvisorError, ValueError):
    """A token file that cannot be used: every mistake located (file, line, did-you-mean)."""


@dataclass(frozen=True, slots=True)
class Token:
    """One token as the file keeps it: its holder, its hash, its scopes and, if narrowed, the
    keys of the organisations it may see."""

    name: str
    sha256: str
    scopes: frozenset[Scope]
    organisations: tuple[str, ...] | None = None  # as written; None: every organisation

    def allows(self, scope: Scope) -> bool:
        """Whether it may do what `scope` names (admin may do everything)."""
        return "admin" in self.scopes or scope in self.scopes

    @property
    def keys(self) -> frozenset[str] | None:
        """The history keys of the organisations it may see; None: every one."""
        if self.organisations is None or "admin" in self.scopes:
            return None
        return frozenset(organisation_key(name) for name in self.organisations)

    def sees(self, organisation: str) -> bool:
        """Whether it may see `organisation` (its name or key, compared by key)."""
        keys = self.keys
        return keys is None or organisation_key(organisation) in keys


def digest(token: str) -> str:
    """The SHA-256 of a token, as the file keeps it."""
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


def new_token() -> str:
    """A new token: 256 random bits."""
    return PREFIX + secrets.token_urlsafe(32)


class Tokens:
    """The tokens of one file, looked up by the token a request presents."""

    def __init__(self, tokens: Iterable[Token] = ()) -> None:
        self._tokens = tuple(tokens)
        self._hashes = tuple(bytes.fromhex(token.sha256) for token in self._tokens)

    def __iter__(self) -> Iterator[Token]:
        return iter(self._tokens)

    def __len__(self) -> int:
        return len(self._tokens)

    def find(self, presented: str) -> Token | None:
        """The token presented, or None; every stored hash is compared, in constant time."""
        wanted = bytes.fromhex(digest(presented))
        found = None
        for token, stored in zip(self._tokens, self._hashes, strict=True):
            if hmac.compare_digest(wanted, stored):
                found = token
        return found

    def added(
        self, name: str, scopes: Sequence[Scope], organisations: Sequence[str] | None = None
    ) -> tuple[Tokens, str]:
        """These tokens and a new one; the new token itself (to be shown once)."""
        if any(token.name == name for token in self._tokens):
            raise TokenFileError(
                [
                    Problem(
                        Location("NAME"),
                        Message("a token named '{name}' is already in the file", name=name),
                        Message(
                            "remove it first (`modeadvisor token remove {name}`) or choose another",
                            name=name,
                        ),
                    )
                ]
            )
        secret = new_token()
        made = Token(
            name,
            digest(secret),
            frozenset(scopes),
            tuple(organisations) if organisations else None,
        )
        problems = _token_problems(made)
        if problems:
            raise TokenFileError([Problem(Location(_OPTIONS[f]), m, h) for f, m, h in problems])
        return Tokens([*self._tokens, made]), secret

    def removed(self, name: str) -> Tokens:
        """These tokens without the one named `name`."""
        kept = [token for token in self._tokens if token.name != name]
        if len(kept) == len(self._tokens):
            names = [token.name for token in self._tokens]
            raise TokenFileError(
                [
                    Problem(
                        Location("NAME"),
                        Message("no token named '{name}' in the file", name=name),
                        did_you_mean(name, names),
                    )
                ]
            )
        return Tokens(kept)

    @classmethod
    def read(cls, path: Path) -> Tokens:
        """The tokens of a file; every mistake in it raised at once, located."""
        try:
            document = load_document(path)
        except DocumentError as error:
            raise TokenFileError(error.problems) from None
        return cls(_Reader(document).read())

    def write(self, path: Path) -> None:
        """Write the file whole (replacing it at once), readable by its owner only."""
        entries: list[dict[str, Any]] = []
        for token in self._tokens:
            entry: dict[str, Any] = {
                "name": token.name,
                "sha256": token.sha256,
                "scopes": [scope for scope in SCOPES if scope in token.scopes],
            }
            if token.organisations is not None:
                entry["organisations"] = list(token.organisations)
            entries.append(entry)
        text = _HEADER + yaml.safe_dump(
            {"tokens": entries}, allow_unicode=True, sort_keys=False, default_flow_style=None
        )
        folder = path.parent if str(path.parent) else Path(".")
        try:
            handle, temporary = tempfile.mkstemp(prefix=".tokens-", dir=folder)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    stream.write(text)
                os.chmod(temporary, 0o600)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            raise TokenFileError(
                [
                    Problem(
                        Location(display_path(path)),
                        Message("cannot write the file: {reason}", reason=error.strerror or error),
                    )
                ]
            ) from None


def open_to_others(path: Path) -> Message | None:
    """A warning if users other than the file's owner may read or write it, else None."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if not mode & (stat.S_IRWXO | stat.S_IWGRP):
        return None
    shown = display_path(path)
    return Message(
        "warning: {file} may be read or written by other users (mode {mode}); `chmod 600 {file}` makes it the server's own",
        file=shown,
        mode=oct(stat.S_IMODE(mode))[2:],
    )


def _token_problems(token: Token) -> list[tuple[str, str, str | None]]:
    """What is wrong with a token made on the command line: (field, message, hint)."""
    found: list[tuple[str, str, str | None]] = []
    if not _NAME.fullmatch(token.name):
        found.append(
            (
                "name",
                Message(
                    "a token's name is 1 to 100 letters, digits and . _ @ - (who holds it), not {found}",
                    found=repr(token.name),
                ),
                None,
            )
        )
    if not token.scopes:
        found.append(
            (
                "scopes",
                Message("scopes is a non-empty list of: {scopes}", scopes=", ".join(SCOPES)),
                None,
            )
        )
    if token.organisations is not None and not all(name.strip() for name in token.organisations):
        found.append(
            (
                "organisations",
                Message(
                    "organisations is a non-empty list of organisation names or keys (leave it out for all)"
                ),
                None,
            )
        )
    if token.organisations is not None and "admin" in token.scopes:
        found.append(
            (
                "organisations",
                Message("an admin token sees every organisation: organisations cannot narrow it"),
                Message("leave out organisations, or give the token scopes other than admin"),
            )
        )
    return found


class _Reader:
    """A token file's document read into tokens, every mistake collected."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.problems: list[Problem] = []

    def problem(
        self, at: tuple[str | int, ...], message: str, hint: str | None = None, *, key: bool = False
    ) -> None:
        self.problems.append(self.document.problem(at, message, hint, key=key))

    def read(self) -> list[Token]:
        data = self.document.data
        if data is None:  # an empty file: no tokens (everyone is refused)
            return []
        if not isinstance(data, dict) or "tokens" not in data:
            self.problem((), Message("a token file: a mapping with `tokens:`, a list of tokens"))
            raise TokenFileError(self.problems)
        for key in data:
            if key != "tokens":
                self.problem(
                    (key,),
                    Message("unknown key '{key}'", key=key),
                    did_you_mean(key, ["tokens"]),
                    key=True,
                )
        entries = data["tokens"] or []
        if not isinstance(entries, list):
            self.problem(
                ("tokens",),
                Message("'tokens' is a list of tokens, found {found}", found=type_name(entries)),
            )
            entries = []
        tokens = [self.token(index, entry) for index, entry in enumerate(entries)]
        self.unique(entries)
        if self.problems:
            raise TokenFileError(self.problems)
        return [token for token in tokens if token is not None]

    def token(self, index: int, entry: object) -> Token | None:
        at: tuple[str | int, ...] = ("tokens", index)
        if not isinstance(entry, dict):
            self.problem(
                at,
                Message(
                    "a token: a mapping with name, sha256, scopes and optionally organisations"
                ),
            )
            return None
        before = len(self.problems)
        for key in entry:
            if key not in _KEYS:
                hint = did_you_mean(str(key), _KEYS) or Message(
                    "expected one of: {keys}", keys=", ".join(_KEYS)
                )
                self.problem((*at, key), Message("unknown key '{key}'", key=key), hint, key=True)
        for key in ("name", "sha256", "scopes"):
            if key not in entry:
                self.problem(
                    at,
                    Message("token without '{key}'", key=key),
                    Message(
                        "a token: a mapping with name, sha256, scopes and optionally organisations"
                    ),
                )
        name, sha256 = entry.get("name"), entry.get("sha256")
        if "name" in entry and not (isinstance(name, str) and _NAME.fullmatch(name)):
            self.problem(
                (*at, "name"),
                Message(
                    "a token's name is 1 to 100 letters, digits and . _ @ - (who holds it), not {found}",
                    found=_shown(name),
                ),
            )
        if "sha256" in entry and not (isinstance(sha256, str) and _HASH.fullmatch(sha256)):
            self.problem(
                (*at, "sha256"),
                Message(
                    "sha256 is 64 hexadecimal digits (the token's hash), not {found}",
                    found=_shown(sha256),
                ),
                Message("write only what `modeadvisor token add` wrote; never the token itself"),
            )
        scopes = self.scopes(at, entry.get("scopes")) if "scopes" in entry else frozenset()
        organisations = self.organisations(at, entry, scopes)
        if len(self.problems) > before:
            return None
        return Token(cast(str, name), cast(str, sha256), scopes, organisations)

    def scopes(self, at: tuple[str | int, ...], given: object) -> frozenset[Scope]:
        expected = Message("scopes is a non-empty list of: {scopes}", scopes=", ".join(SCOPES))
        if not isinstance(given, list) or not given:
            self.problem((*at, "scopes"), expected)
            return frozenset()
        found: set[Scope] = set()
        for position, scope in enumerate(given):
            if scope in SCOPES:
                found.add(cast(Scope, scope))
            else:
                hint = did_you_mean(str(scope), SCOPES) or expected
                self.problem(
                    (*at, "scopes", position), Message("unknown scope '{scope}'", scope=scope), hint
                )
        return frozenset(found)

    def organisations(
        self, at: tuple[str | int, ...], entry: Mapping[str, Any], scopes: frozenset[Scope]
    ) -> tuple[str, ...] | None:
        if "organisations" not in entry:
            return None
        given = entry["organisations"]
        where = (*at, "organisations")
        if (
            not isinstance(given, list)
            or not given
            or not all(isinstance(name, str) and name.strip() for name in given)
        ):
            self.problem(
                where,
                Message(
                    "organisations is a non-empty list of organisation names or keys (leave it out for all)"
                ),
            )
            return None
        if "admin" in scopes:
            self.problem(
                where,
                Message("an admin token sees every organisation: organisations cannot narrow it"),
                Message("leave out organisations, or give the token scopes other than admin"),
                key=True,
            )
        return tuple(given)

    def unique(self, entries: list[object]) -> None:
        """No name and no hash twice: each is who the audit log says, and one token is one."""
        seen: dict[tuple[str, str], int] = {}
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            for field in ("name", "sha256"):
                value = entry.get(field)
                if not isinstance(value, str):
                    continue
                first = seen.setdefault((field, value), index)
                if first != index:
                    line = self.document.location(("tokens", first, field)).line
                    self.problem(("tokens", index, field), _twice(field, value, line))


def _twice(field: str, value: str, line: int | None) -> Message:
    """A name or a hash given a second time, and the line of the first."""
    if field == "name":
        return Message(
            "token name '{name}' is used twice (first on line {line})", name=value, line=line
        )
    return Message(
        "this hash is given twice (first on line {line}): one token, two names", line=line
    )


def _shown(value: object) -> str:
    return repr(value) if isinstance(value, str) else type_name(value)
