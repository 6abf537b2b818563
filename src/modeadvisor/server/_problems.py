"""RFC 9457 problem responses (`application/problem+json`): every error a request meets, with
every located problem the library found, and never a traceback."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from modeadvisor.errors import (
    BackendUnavailableError,
    EngineError,
    HistoryError,
    KnowledgeBaseError,
    LimitError,
    ModeAdvisorError,
    OrganisationError,
    UnknownOrganisationError,
    UnknownUnitError,
)
from modeadvisor.operations import problem_data
from modeadvisor.server import _messages as say

MEDIA_TYPE = "application/problem+json"
#: The body of a request, as a located problem names it.
BODY = "request body"


#: A problem's `type`, title and status by the error that gave it (the first that matches).
class NoHistoryError(ModeAdvisorError):
    """A request for the history of a server started without one (`--db URL`)."""


_KINDS: Sequence[tuple[type[ModeAdvisorError], str, str, int]] = (
    (EngineError, "engine-error", "The rule engine failed (a bug in modeadvisor)", 500),
    (UnknownUnitError, "unknown-unit", "No such unit in the organisation", 422),
    (LimitError, "over-limit", "The input is beyond a limit", 422),
    (KnowledgeBaseError, "invalid-pack", "The rule pack cannot take this request", 422),
    (OrganisationError, "invalid-organisation", "The organisation is not valid", 422),
    (BackendUnavailableError, "backend-unavailable", "The backend cannot run here", 422),
    (NoHistoryError, "no-history", "This server keeps no history", 404),
    (UnknownOrganisationError, "unknown-organisation", "No such organisation in the history", 404),
    (HistoryError, "history-unavailable", "The history database cannot be used", 503),
    (ModeAdvisorError, "invalid-request", "The request is not valid", 422),
)

_log = logging.getLogger("modeadvisor.server")


class BodyTooLargeError(Exception):
    """A request body over the server's limit (found before it was read whole)."""

    def __init__(self, most: int, length: int | None) -> None:
        self.most = most
        self.length = length
        super().__init__(f"body over {most:,} bytes")


class RequestTimeoutError(Exception):
    """A request that took longer than the server allows."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"over {seconds:g} s")


class ServerBusyError(RequestTimeoutError):
    """New work refused while requests given up on past their time still run."""


class UnauthorisedError(Exception):
    """A request without a valid bearer token, to a server that has tokens (401)."""

    def __init__(self, message: str, presented: bool) -> None:
        self.message = message
        self.presented = presented  # a token was sent, but is not one the server knows
        super().__init__(message)


class ForbiddenError(Exception):
    """A valid token asking for what its scopes do not allow (403)."""

    def __init__(self, message: str, hint: str, scope: str) -> None:
        self.message = message
        self.hint = hint
        self.scope = scope
        super().__init__(message)


class TooManyRequestsError(Exception):
    """A caller over its rate (429)."""

    def __init__(self, wait: float, requests: int, seconds: float) -> None:
        self.wait = max(1, math.ceil(wait))
        self.requests = requests
        self.seconds = seconds
        super().__init__(f"retry in {self.wait} s")


def problem(
    status: int,
    kind: str,
    title: str,
    detail: str,
    instance: str,
    problems: Sequence[dict[str, Any]] = (),
    headers: dict[str, str] | None = None,
) -> Response:
    """One problem response: type, title, status, detail, instance and the located problems."""
    body = {
        "type": f"urn:modeadvisor:problem:{kind}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        "problems": list(problems),
    }
    text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    return Response(text, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def install(app: FastAPI) -> None:
    """Answer every error with a problem: the library's, FastAPI's own and any other."""

    async def library(request: Request, error: Exception) -> Response:
        assert isinstance(error, ModeAdvisorError)
        kind, title, status = next((k, t, s) for c, k, t, s in _KINDS if isinstance(error, c))
        if status >= 500:
            _log.error("%s %s: %s", request.method, request.url.path, error)
        found = [problem_data(p) for p in error.problems]
        for each in found:  # in no file (an unknown unit, a model asked about): the query's
            if each["file"].startswith("<"):
                each["file"] = "query"
        summary = f"{len(found)} problems" if len(found) > 1 else error.problems[0].message
        return problem(status, kind, title, summary, request.url.path, found)

    async def invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        found = [_validation_problem(e) for e in error.errors()]
        summary = f"{len(found)} problems" if len(found) > 1 else found[0]["message"]
        return problem(
            422, "invalid-request", "The request is not valid", summary, request.url.path, found
        )

    async def too_large(request: Request, error: Exception) -> Response:
        assert isinstance(error, BodyTooLargeError)
        size = f"{error.length:,} bytes" if error.length is not None else "more"
        detail = f"the body is {size}; the limit is {error.most:,} bytes"
        found = [
            {
                "file": BODY,
                "line": None,
                "column": None,
                "message": detail,
                "hint": "send it in parts, or start the server with a higher "
                "--limit max_file_bytes=N",
            }
        ]
        return problem(
            413, "body-too-large", "The body is too large", detail, request.url.path, found
        )

    async def too_slow(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestTimeoutError)
        detail = f"the request took longer than the server's limit of {error.seconds:g} s"
        if isinstance(error, ServerBusyError):
            detail = "the server is still working on requests that took longer than its limit"
        return problem(
            503,
            "timeout",
            "The request took too long",
            detail,
            request.url.path,
            headers={"Retry-After": str(max(1, round(error.seconds)))},
        )

    async def http(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        return problem(
            error.status_code,
            "http",
            str(error.detail),
            str(error.detail),
            request.url.path,
            headers=dict(error.headers or {}),
        )

    async def internal(request: Request, error: Exception) -> Response:
        _log.exception("%s %s: internal error", request.method, request.url.path)
        return problem(
            500,
            "internal-error",
            "Internal error (a bug in modeadvisor)",
            f"{type(error).__name__}; the server's log has the trace",
            request.url.path,
        )

    app.add_exception_handler(ModeAdvisorError, library)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(BodyTooLargeError, too_large)
    app.add_exception_handler(RequestTimeoutError, too_slow)
    _install_access(app)
    app.add_exception_handler(HTTPException, http)
    app.add_exception_handler(Exception, internal)


def _install_access(app: FastAPI) -> None:
    """Answer refusals with a problem: no valid token (401), outside its scopes (403), over the
    rate (429)."""

    async def unauthorised(request: Request, error: Exception) -> Response:
        assert isinstance(error, UnauthorisedError)
        challenge = 'Bearer realm="modeadvisor"'
        if error.presented:
            challenge += ', error="invalid_token"'
        found = [_request_problem("Authorization", error.message, say.TOKEN_HINT)]
        return problem(
            401,
            "unauthorised",
            say.UNAUTHORISED_TITLE,
            error.message,
            request.url.path,
            found,
            headers={"WWW-Authenticate": challenge},
        )

    async def forbidden(request: Request, error: Exception) -> Response:
        assert isinstance(error, ForbiddenError)
        found = [_request_problem("Authorization", error.message, error.hint)]
        return problem(
            403,
            "forbidden",
            say.FORBIDDEN_TITLE,
            error.message,
            request.url.path,
            found,
            headers={
                "WWW-Authenticate": f'Bearer realm="modeadvisor", error="insufficient_scope", '
                f'scope="{error.scope}"'
            },
        )

    async def too_many(request: Request, error: Exception) -> Response:
        assert isinstance(error, TooManyRequestsError)
        detail = say.TOO_MANY.format(
            requests=error.requests, seconds=error.seconds, wait=error.wait
        )
        return problem(
            429,
            "too-many-requests",
            say.TOO_MANY_TITLE,
            detail,
            request.url.path,
            [_request_problem("request", detail, say.TOO_MANY_HINT)],
            headers={"Retry-After": str(error.wait)},
        )

    app.add_exception_handler(UnauthorisedError, unauthorised)
    app.add_exception_handler(ForbiddenError, forbidden)
    app.add_exception_handler(TooManyRequestsError, too_many)


def _request_problem(where: str, message: str, hint: str | None) -> dict[str, Any]:
    """A problem with the request as a whole (a header), as located problems are written."""
    return {"file": where, "line": None, "column": None, "message": message, "hint": hint}


def _validation_problem(error: Any) -> dict[str, Any]:
    """One of FastAPI's validation errors as a located problem: where (the query parameter)."""
    where = [str(part) for part in error.get("loc", ())]
    place = where[0] if where else "request"
    name = ".".join(where[1:])
    message = str(error.get("msg", "invalid"))
    return {
        "file": place if place != "body" else BODY,
        "line": None,
        "column": None,
        "message": f"{name}: {message}" if name else message,
        "hint": _expected(error),
    }


def _expected(error: Any) -> str | None:
    context = error.get("ctx") or {}
    expected = context.get("expected")
    return f"expected {expected}" if expected else None
