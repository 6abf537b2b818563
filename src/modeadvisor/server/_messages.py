"""Every message about access to the server (tokens, scopes, rates, the loopback rule) in one
place, in plain English, so that they can be translated together later."""

from __future__ import annotations

from typing import Final

# --- answers to requests ---------------------------------------------------------------------
NO_TOKEN: Final = "this server needs a bearer token: send `Authorization: Bearer TOKEN`"
BAD_TOKEN: Final = "the bearer token is not one this server knows"
TOKEN_HINT: Final = "ask the server's operator for a token (`modeadvisor token add`)"
UNAUTHORISED_TITLE: Final = "A valid bearer token is needed"
FORBIDDEN_TITLE: Final = "The token may not do this"
FORBIDDEN: Final = "token '{name}' has no '{scope}' scope"
FORBIDDEN_HINT: Final = "its scopes: {scopes}; ask for a token with '{scope}'"
FORBIDDEN_SAVE: Final = "token '{name}' may not save assessments of this organisation"
FORBIDDEN_SAVE_HINT: Final = "the organisations it may see are listed beside it in the token file"
TOO_MANY_TITLE: Final = "Too many requests"
TOO_MANY: Final = "more than {requests} requests in {seconds:g} s; try again in {wait} s"
TOO_MANY_HINT: Final = "send fewer requests, or ask the operator for a higher `serve --rate`"
NOT_SAVED: Final = "no saved assessments of '{organisation}'"

# --- the command line ------------------------------------------------------------------------
LOOPBACK_ONLY: Final = (
    "a server without tokens listens on loopback only (127.0.0.1, ::1 or localhost), "
    "not on '{host}'"
)
LOOPBACK_HINT: Final = (
    "give --tokens FILE to let others in (make a token with `modeadvisor token add`), and "
    "put a TLS-terminating proxy in front"
)
RATE_SYNTAX: Final = "a rate as REQUESTS/SECONDS (300/60) or 'off', not '{text}'"
TOKEN_SHOWN_ONCE: Final = (
    "token '{name}' added to {file}; it is shown only now (the file keeps its SHA-256 hash): "
    "give it to its holder"
)
TOKEN_REMOVED: Final = "token '{name}' removed from {file}"
CANNOT_APPEND: Final = "cannot append to the audit log {file}: {reason}"
TOKEN_LINE: Final = "{name}  scopes: {scopes}  sees: {seen}"
EVERY_ORGANISATION: Final = "every organisation"
SCOPE_HINT: Final = "scopes: {scopes}"
TOKENS_NONE: Final = "no tokens in {file}"
OTHERS_MAY_READ: Final = (
    "warning: {file} may be read or written by other users (mode {mode}); "
    "`chmod 600 {file}` makes it the server's own"
)

# --- the token file --------------------------------------------------------------------------
TOKENS_EXPECTED: Final = "a token file: a mapping with `tokens:`, a list of tokens"
UNKNOWN_KEY: Final = "unknown key '{key}'"
KEYS_HINT: Final = "expected one of: {keys}"
TOKEN_EXPECTED: Final = "a token: a mapping with name, sha256, scopes and optionally organisations"
LIST_EXPECTED: Final = "'tokens' is a list of tokens, found {found}"
MISSING: Final = "token without '{key}'"
NAME_EXPECTED: Final = (
    "a token's name is 1 to 100 letters, digits and . _ @ - (who holds it), not {found}"
)
NAME_TWICE: Final = "token name '{name}' is used twice (first on line {line})"
HASH_EXPECTED: Final = "sha256 is 64 hexadecimal digits (the token's hash), not {found}"
HASH_TWICE: Final = "this hash is given twice (first on line {line}): one token, two names"
HASH_HINT: Final = "write only what `modeadvisor token add` wrote; never the token itself"
SCOPES_EXPECTED: Final = "scopes is a non-empty list of: {scopes}"
UNKNOWN_SCOPE: Final = "unknown scope '{scope}'"
ORGANISATIONS_EXPECTED: Final = (
    "organisations is a non-empty list of organisation names or keys (leave it out for all)"
)
ADMIN_SEES_ALL: Final = "an admin token sees every organisation: organisations cannot narrow it"
ADMIN_HINT: Final = "leave out organisations, or give the token scopes other than admin"
NAME_TAKEN: Final = "a token named '{name}' is already in the file"
NAME_TAKEN_HINT: Final = "remove it first (`modeadvisor token remove {name}`) or choose another"
NO_SUCH_TOKEN: Final = "no token named '{name}' in the file"
CANNOT_WRITE: Final = "cannot write the file: {reason}"
