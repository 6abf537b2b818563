"""Who may do what on one app: its tokens, its request rates, which organisations each token
sees, and the audit log of the history. Everything lives on the `Access` object that
`create_app` keeps; the token store, the buckets and the log are plain modules without FastAPI.

Each guarded operation takes a dependency made by `Access.requires(scope)`. It runs before the
request's parameters and body are read, in this order:

1. the caller is named: the token's name if a valid bearer token came, else the client's address;
2. one request is taken from the caller's bucket (429 with Retry-After when it is empty), so that
   guessing tokens is as slow as the rate (counted against the address);
3. on a server with tokens: no valid token is 401 (`WWW-Authenticate: Bearer`), a token without
   the scope 403.

An organisation a token may not see is answered exactly as one with nothing saved: the same 404,
its hint drawn only from the organisations the token sees, so that no answer (not its status,
body or hint) depends on what another organisation has saved. A token may not save an
organisation it does not see: 403, decided by the token alone, before anything is assessed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Send
from starlette.types import Scope as ASGIScope

from modeadvisor.errors import Location, Problem, UnknownOrganisationError, did_you_mean
from modeadvisor.history._models import organisation_key
from modeadvisor.server import _messages as say
from modeadvisor.server._audit import ANONYMOUS, AuditLog, Entry, Operation
from modeadvisor.server._problems import (
    MEDIA_TYPE,
    ForbiddenError,
    TooManyRequestsError,
    UnauthorisedError,
)
from modeadvisor.server._rates import Buckets
from modeadvisor.server._tokens import SCOPES, Scope, Token, Tokens

T = TypeVar("T")
_PROBLEM = {"model": None, "content": {MEDIA_TYPE: {"schema": {"type": "object"}}}}
#: Query values FastAPI reads as true, for `?save=` (an audited write is known before it runs).
_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})


class Access:
    """The access rules of one app: `tokens` None lets everyone in (a server on loopback),
    `buckets` None sets no rate, and every history operation goes to `audit`."""

    def __init__(self, tokens: Tokens | None, buckets: Buckets | None, audit: AuditLog) -> None:
        self.tokens = tokens
        self.buckets = buckets
        self.audit = audit
        self._bearer = HTTPBearer(
            auto_error=False,
            scheme_name="bearer",
            description="a token made by `modeadvisor token add`; scopes: " + ", ".join(SCOPES),
        )

    # --- the dependency each guarded operation takes -----------------------------------------

    def requires(self, scope: Scope, operation: Operation | None = None) -> Any:
        """The dependency of an operation that needs `scope`; with `operation`, an audited one."""

        async def admitted(request: Request) -> None:
            await self.admit(request, scope, operation)

        if self.tokens is None:
            return Depends(admitted)
        bearer = self._bearer  # declared, so that the OpenAPI document says how to authenticate

        async def authenticated(
            request: Request,
            _: HTTPAuthorizationCredentials | None = Depends(bearer),  # noqa: B008 (FastAPI's way)
        ) -> None:
            await self.admit(request, scope, operation)

        return Depends(authenticated)

    def responses(self) -> dict[int | str, dict[str, Any]]:
        """What a guarded operation may answer besides its own (for the OpenAPI document)."""
        found: dict[int | str, dict[str, Any]] = {}
        if self.tokens is not None:
            found[401] = {"description": "no valid bearer token", **_PROBLEM}
            found[403] = {"description": "the token's scopes do not allow this", **_PROBLEM}
        if self.buckets is not None:
            found[429] = {"description": "over the rate; Retry-After says when", **_PROBLEM}
        return found

    async def admit(self, request: Request, scope: Scope, operation: Operation | None) -> None:
        client = request.client.host if request.client else "unknown"
        if operation is None and scope == "assess" and _asks_to_save(request):
            operation = "history-write"
        entry = None
        if operation is not None:
            organisation = request.path_params.get("organisation")
            entry = Entry(operation, client=client, organisation=organisation)
            request.state.audit = entry
        token, presented = self._token(request)
        if entry is not None and token is not None:
            entry.who = token.name
        if self.buckets is not None:
            caller = f"token:{token.name}" if token is not None else f"address:{client}"
            wait = self.buckets.take(caller)
            if wait > 0:
                rate = self.buckets.rate
                raise TooManyRequestsError(wait, rate.requests, rate.seconds)
        if self.tokens is None:
            return
        if token is None:
            raise UnauthorisedError(say.BAD_TOKEN if presented else say.NO_TOKEN, presented)
        self.check(token, scope)
        request.state.token = token

    def _token(self, request: Request) -> tuple[Token | None, bool]:
        """The valid token the request presents (or None), and whether it presented any."""
        if self.tokens is None:
            return None, False
        header = request.headers.get("authorization")
        if header is None:
            return None, False
        kind, _, value = header.strip().partition(" ")
        value = value.strip()
        if kind.lower() != "bearer" or not value:
            return None, True
        return self.tokens.find(value), True

    @staticmethod
    def check(token: Token, scope: Scope) -> None:
        """A ForbiddenError (403) unless `token` has `scope`."""
        if not token.allows(scope):
            scopes = ", ".join(s for s in SCOPES if s in token.scopes)
            raise ForbiddenError(
                say.FORBIDDEN.format(name=token.name, scope=scope),
                say.FORBIDDEN_HINT.format(scopes=scopes, scope=scope),
                scope,
            )

    # --- inside an operation -------------------------------------------------------------------

    @staticmethod
    def token(request: Request) -> Token | None:
        """The token the request was admitted with (None on a server without tokens)."""
        found: Token | None = getattr(request.state, "token", None)
        return found

    @staticmethod
    def entry(request: Request) -> Entry | None:
        """The audit entry of the request, if its operation is audited."""
        found: Entry | None = getattr(request.state, "audit", None)
        return found

    def may_save(self, request: Request) -> Callable[[str], None]:
        """What `?save=true` checks once the organisation is read: the token has
        history-write (else 403) and sees the organisation (else 403, the token alone decides)."""
        token = self.token(request)
        if token is not None:
            self.check(token, "history-write")
        entry = self.entry(request)

        def check(name: str) -> None:
            if entry is not None:
                entry.organisation = organisation_key(name)
            if token is not None and not token.sees(name):
                raise ForbiddenError(
                    say.FORBIDDEN_SAVE.format(name=token.name),
                    say.FORBIDDEN_SAVE_HINT,
                    "organisations",
                )

        return check

    @staticmethod
    def within(request: Request, organisation: str, where: str, job: Callable[[], T]) -> T:
        """`job` on an organisation's history, if the request's token sees the organisation;
        else, and where nothing is saved of it, the same 404 (see the module's docstring)."""
        token = Access.token(request)
        keys = token.keys if token is not None else None
        if keys is None:
            return job()
        if organisation_key(organisation) in keys:
            try:
                return job()
            except UnknownOrganisationError:
                pass
        raise UnknownOrganisationError(
            [
                Problem(
                    Location(where),
                    say.NOT_SAVED.format(organisation=organisation),
                    did_you_mean(organisation_key(organisation), keys),
                )
            ]
        )


def _asks_to_save(request: Request) -> bool:
    return request.query_params.get("save", "").strip().lower() in _TRUE


class AuditMiddleware:
    """Writes the audit entry a request left (see `Access.admit`) once it is answered, with the
    status it was answered; a request that failed past every handler is logged as 500."""

    def __init__(self, app: ASGIApp, audit: AuditLog) -> None:
        self.app = app
        self.audit = audit

    async def __call__(self, scope: ASGIScope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            entry = scope.get("state", {}).get("audit")
            if isinstance(entry, Entry):
                self.audit.record(entry, status)


__all__ = ["ANONYMOUS", "Access", "AuditMiddleware"]
