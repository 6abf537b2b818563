"""The HTTP API: `modeadvisor serve`, or `create_app(kb)` for any ASGI server (the `server` extra:
FastAPI and uvicorn).

Nothing here is imported by `import modeadvisor`; this package imports FastAPI only when
`create_app` is asked for, so that the command line can offer `serve` on a bare install and say
which extra it needs.

Endpoints (the OpenAPI document at `/openapi.json` describes each): `POST /assess`, `/explain`,
`/what-if`, `/why-not`, `/report` (an organisation as JSON or YAML in the body, the question in
the query), `POST /batch` (a table of units as CSV or JSON Lines), `GET /traits`,
`/schema/rules`, `/schema/organisation`, `/health`. Bad input is answered with an RFC 9457
problem (`application/problem+json`) listing every located problem: 422 for invalid input, 413
for a body over the limit (refused before it is read whole), 503 for a request over its time.

Who may do what (`ServerConfig.tokens`, `cors_origins`, `rate`, `audit_log`): `_tokens` (the
token file, hashed; no FastAPI), `_rates` (a token bucket per caller), `_audit` (the audit log)
and `_access` (the dependency each operation takes: 401, 403, 429, and an organisation a token may
not see answered as one never saved). Every message about access is in `_messages`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from modeadvisor.server._config import ServerConfig

if TYPE_CHECKING:
    from modeadvisor.server._app import create_app

__all__ = ["ServerConfig", "create_app"]


def __getattr__(name: str) -> Any:
    """`create_app`, imported (with FastAPI) when first asked for."""
    if name == "create_app":
        from modeadvisor.server._app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
