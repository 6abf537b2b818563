"""The server's answers about access (tokens, scopes, rates), in one place. They go out in the
HTTP API's problem documents, which stay English whatever the language (as every JSON answer
does); the command line's own words about tokens and the loopback rule are `Message`s where
they are said, so that they speak Finnish too."""

from __future__ import annotations

from typing import Final

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
