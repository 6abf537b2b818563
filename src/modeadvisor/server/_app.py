"""The FastAPI application: `create_app` makes one on a knowledge base; everything it keeps (the
advisors, the limits, the pool of threads the work runs in) lives on the app it returns."""

from __future__ import annotations

import io
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import anyio
import anyio.to_thread
from fastapi import FastAPI, Query, Request
from fastapi import Path as FastAPIPath
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.middleware.cors import CORSMiddleware

import modeadvisor
from modeadvisor import operations
from modeadvisor.authoring.schema import organisation_schema, rules_schema
from modeadvisor.backends._vectorised import VectorisedBackend
from modeadvisor.errors import Location, ModeAdvisorError, Problem
from modeadvisor.knowledge import KnowledgeBase
from modeadvisor.limits import DEFAULT_LIMITS, Limits
from modeadvisor.operations import Advisors
from modeadvisor.organisation import OrganisationText
from modeadvisor.server import _problems
from modeadvisor.server._access import Access, AuditMiddleware
from modeadvisor.server._audit import AuditLog
from modeadvisor.server._config import ServerConfig
from modeadvisor.server._problems import (
    BODY,
    BodyTooLargeError,
    NoHistoryError,
    RequestTimeoutError,
    ServerBusyError,
)
from modeadvisor.server._rates import Buckets, Rate
from modeadvisor.server._tokens import Tokens
from modeadvisor.tables import write_advice

if TYPE_CHECKING:  # the history extra may not be installed: a server without --db needs none
    from modeadvisor.history import HistoryStore

T = TypeVar("T")

#: The HTML report folds in how settled and why-not up to this many units (as `report` does).

LangQuery = Annotated[
    Literal["en", "fi"] | None,
    Query(description="language of the advice (default: the server's, `serve --lang`)"),
]
BackendQuery = Annotated[
    Literal["auto", "durable", "vectorised"],
    Query(description="how the rules run; the advice is the same"),
]
UnitQuery = Annotated[str, Query(min_length=1, max_length=100, description="the unit's id")]
OrganisationPath = Annotated[
    str,
    FastAPIPath(
        min_length=1,
        max_length=200,
        description="the organisation: its name or its key (`pohjolan-konepaja-oy`)",
    ),
]
_MEDIA = ("application/json", "application/yaml")
_PROBLEM = {"model": None, "content": {_problems.MEDIA_TYPE: {"schema": {"type": "object"}}}}
_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"description": "the body is over the limit", **_PROBLEM},
    422: {"description": "invalid input: every problem located", **_PROBLEM},
    503: {"description": "the request took longer than the limit", **_PROBLEM},
}
#: ... and where the history is read or written (`--db URL`)
_HISTORY_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    404: {"description": "no such organisation saved, or no history kept", **_PROBLEM},
    503: {
        "description": "the request took longer than the limit, or the history database "
        "cannot be used",
        **_PROBLEM,
    },
}


def _components(schema: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A JSON Schema made for files, split for an OpenAPI document: the schema itself, and its
    definitions as components (`#/$defs/X` becomes `#/components/schemas/X`, since a reference
    in the document is read from the document's root)."""

    def moved(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: (
                    item.replace("#/$defs/", "#/components/schemas/", 1)
                    if key == "$ref" and isinstance(item, str)
                    else moved(item)
                )
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [moved(item) for item in value]
        return value

    body = {k: v for k, v in schema.items() if k not in ("$defs", "$schema")}
    return moved(body), moved(schema.get("$defs", {}))


def _with_components(app: FastAPI, components: dict[str, Any]) -> None:
    """The app's OpenAPI document with these component schemas beside FastAPI's own."""
    made = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = made()
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            clashing = set(schemas) & set(components)
            if clashing:  # a name of the organisation schema taken by FastAPI's own
                raise ValueError(f"OpenAPI components named twice: {sorted(clashing)}")
            schemas.update(components)
        return app.openapi_schema or made()

    app.openapi = openapi  # type: ignore[method-assign]


def _organisation_body(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI request body of an organisation: JSON (with its schema) or YAML."""
    return {
        "requestBody": {
            "required": True,
            "description": "the organisation, as an organisation file holds it (JSON or YAML)",
            "content": {
                "application/json": {"schema": schema},
                "application/yaml": {"schema": {"type": "string"}},
            },
        }
    }


def create_app(
    kb: KnowledgeBase,
    *,
    limits: Limits = DEFAULT_LIMITS,
    config: ServerConfig | None = None,
    store: HistoryStore | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> FastAPI:
    """The HTTP API on one knowledge base, its advisors made once here (for each language, the
    default backend and the vectorised one) and reused by every request.

    With `store` (a history database opened once for the server), `POST /assess?save=true`
    saves each assessment and `GET`/`DELETE /history/{organisation}` read and erase them.
    `config` says who may do what (its tokens, CORS origins, rate and audit log: see
    `server._access`); `clock` (seconds) is the rate's.
    """
    config = config or ServerConfig(max_body_bytes=limits.max_file_bytes)
    access = _access(config, clock)
    advisors = Advisors(kb, limits)
    advisors.warm()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # made in the event loop that serves the app: the requests worked on at once
        app.state.limiter = anyio.CapacityLimiter(config.concurrency)
        yield

    app = FastAPI(
        title="modeadvisor",
        version=modeadvisor.__version__,
        description="Explained advice on managing and measuring an organisation by its modes "
        f"of operation, on the {kb.info.id} pack {kb.info.version}.",
        lifespan=lifespan,
    )
    app.state.advisors = advisors
    app.state.config = config
    app.state.store = store
    app.state.running = Running(2 * config.concurrency)
    app.state.access = access
    _problems.install(app)
    schema, components = _components(organisation_schema(kb))
    org_body = _organisation_body(schema)
    _with_components(app, components)
    _add_questions(app, advisors, config, org_body, access)
    _add_history(app, store, access)
    _add_tables(app, kb, limits, advisors, config, access)
    _add_catalogue(app, kb, access)
    app.add_middleware(AuditMiddleware, audit=access.audit)
    if config.cors_origins:  # the outermost: refusals (401, 429) carry its headers too
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            expose_headers=["Location", "Retry-After", "WWW-Authenticate"],
            max_age=600,
        )
    return app


def _access(config: ServerConfig, clock: Callable[[], float]) -> Access:
    """The app's access rules from its configuration (a mistake in the token file is located;
    an audit log that cannot be written is an OSError), read once."""
    tokens = Tokens.read(Path(config.tokens)) if config.tokens is not None else None
    buckets = Buckets(Rate(*config.rate), clock) if config.rate is not None else None
    audit = AuditLog(Path(config.audit_log) if config.audit_log is not None else None)
    audit.check()
    return Access(tokens, buckets, audit)


class Running:
    """How many jobs are running in worker threads, those given up on past their time included:
    a thread cannot be stopped, so one given up on goes on until it ends, and new work is
    refused (503) while as many such threads run as the server works on at once."""

    def __init__(self, most: int) -> None:
        self.most = most
        self.count = 0
        self._lock = threading.Lock()

    def guarded(self, job: Callable[[], T]) -> Callable[[], T]:
        def run() -> T:
            with self._lock:
                self.count += 1
            try:
                return job()
            finally:
                with self._lock:
                    self.count -= 1

        return run


async def _work(request: Request, job: Callable[[], T]) -> T:
    """`job` run in a worker thread, within the server's time per request."""
    config: ServerConfig = request.app.state.config
    running: Running = request.app.state.running
    if running.count >= running.most:
        raise ServerBusyError(config.timeout)
    try:
        with anyio.fail_after(config.timeout):
            return await anyio.to_thread.run_sync(
                running.guarded(job), abandon_on_cancel=True, limiter=request.app.state.limiter
            )
    except TimeoutError:
        raise RequestTimeoutError(config.timeout) from None


async def _organisation(request: Request) -> OrganisationText:
    """The organisation in the body, named as its located problems name it."""
    config: ServerConfig = request.app.state.config
    return OrganisationText(await _body(request, config.max_body_bytes), BODY)


def _add_questions(
    app: FastAPI,
    advisors: Advisors,
    config: ServerConfig,
    org_body: dict[str, Any],
    access: Access,
) -> None:
    """The questions about one organisation: assess, explain, what-if, why-not and the report."""
    organisation, work = _organisation, _work
    guard = [access.requires("assess")]
    errors = {**_ERRORS, **access.responses()}

    def lang_of(lang: str | None) -> Any:
        return lang or config.lang

    @app.post(
        "/assess",
        summary="Assess an organisation",
        description="The advice for every unit, as `modeadvisor assess --format json` gives it.",
        openapi_extra=org_body,
        responses={
            200: {"content": {"application/json": {}}},
            **_HISTORY_ERRORS,
            **access.responses(),
        },
        response_class=Response,
        dependencies=guard,
    )
    async def assess(
        request: Request,
        lang: LangQuery = None,
        backend: BackendQuery = "auto",
        save: Annotated[
            bool, Query(description="also save the assessment in the server's history")
        ] = False,
    ) -> Response:
        may_save = access.may_save(request) if save else None  # 403 before the body is read
        given = await organisation(request)
        advisor = advisors.get(lang_of(lang), backend)
        if may_save is None:
            text = await work(request, lambda: operations.assess(advisor, given))
            return Response(text, media_type="application/json")
        store: HistoryStore | None = request.app.state.store
        if store is None:
            raise NoHistoryError(
                [
                    Problem(
                        Location("query"),
                        "save=true: this server keeps no history",
                        "start it with `modeadvisor serve --db URL`",
                    )
                ]
            )
        text, key = await work(
            request, lambda: operations.assess_and_save(advisor, given, store, may_save)
        )
        entry = access.entry(request)
        if entry is not None:
            entry.records = 1
        headers = {"Location": f"/history/{key}"}
        return Response(text, media_type="application/json", headers=headers)

    @app.post(
        "/explain",
        summary="The whole trail for one unit, its conflicts and how settled it is",
        openapi_extra=org_body,
        responses=errors,
        dependencies=guard,
    )
    async def explain(
        request: Request, unit: UnitQuery, lang: LangQuery = None, backend: BackendQuery = "auto"
    ) -> JSONResponse:
        given = await organisation(request)
        advisor = advisors.get(lang_of(lang), backend)
        found = await work(request, lambda: operations.explain(advisor, given, unit))
        return JSONResponse(found)

    @app.post(
        "/what-if",
        summary="Up to three repairs that make a mode dominant or take a unit out of a finding",
        description="Give `target` (a mode) or `clear` (a conflict kind, finding id or conflict "
        "rule id), not both.",
        openapi_extra=org_body,
        responses=errors,
        dependencies=guard,
    )
    async def what_if(
        request: Request,
        unit: UnitQuery,
        target: Annotated[str | None, Query(max_length=200)] = None,
        clear: Annotated[str | None, Query(max_length=200)] = None,
        allow: Annotated[list[str] | None, Query(max_length=100)] = None,
        lang: LangQuery = None,
    ) -> JSONResponse:
        if (target is None) == (clear is None):
            raise ModeAdvisorError(
                [
                    Problem(
                        Location("query"),
                        "give one of `target` (a mode) or `clear` (a finding)",
                    )
                ]
            )
        given = await organisation(request)
        advisor = advisors.get(lang_of(lang), "vectorised")  # what-if searches with it
        found = await work(
            request,
            lambda: operations.what_if(
                advisor, given, unit, target=target, clear=clear, allow=allow or ()
            ),
        )
        return JSONResponse(found)

    @app.post(
        "/why-not",
        summary="Why a model is not recommended for a unit, or a mode not its dominant one",
        openapi_extra=org_body,
        responses=errors,
        dependencies=guard,
    )
    async def why_not(
        request: Request,
        unit: UnitQuery,
        model: Annotated[str, Query(min_length=1, max_length=200, description="model or mode")],
        lang: LangQuery = None,
    ) -> JSONResponse:
        given = await organisation(request)
        advisor = advisors.get(lang_of(lang), "vectorised")  # as what-if
        found = await work(request, lambda: operations.why_not(advisor, given, unit, model))
        return JSONResponse(found)

    @app.post(
        "/report",
        summary="The HTML report: one self-contained page",
        openapi_extra=org_body,
        responses={200: {"content": {"text/html": {}}}, **errors},
        response_class=HTMLResponse,
        dependencies=guard,
    )
    async def report(
        request: Request, lang: LangQuery = None, backend: BackendQuery = "auto"
    ) -> HTMLResponse:
        given = await organisation(request)
        advisor = advisors.get(lang_of(lang), backend)

        def page() -> str:
            return operations.report_html(advisor, given, advisor.assess(given))[0]

        return HTMLResponse(await work(request, page))


def _add_history(app: FastAPI, store: HistoryStore | None, access: Access) -> None:
    """An organisation's saved assessments: how its units changed, and their erasure."""

    def kept() -> HistoryStore:
        if store is None:
            raise NoHistoryError(
                [
                    Problem(
                        Location("query"),
                        "this server keeps no history",
                        "start it with `modeadvisor serve --db URL`",
                    )
                ]
            )
        return store

    @app.get(
        "/history/{organisation}",
        summary="How an organisation's units changed between its saved assessments",
        responses={**_HISTORY_ERRORS, **access.responses()},
        dependencies=[access.requires("history-read", "history-read")],
    )
    async def history(
        request: Request,
        organisation: OrganisationPath,
        unit: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    ) -> JSONResponse:
        def read() -> dict[str, Any]:
            history = kept()
            found = access.within(
                request, organisation, history.where, lambda: history.history(organisation, unit)
            )
            entry = access.entry(request)
            if entry is not None:
                entry.records = len(found.assessments)
            return found.model_dump(mode="json")

        return JSONResponse(await _work(request, read))

    @app.delete(
        "/history/{organisation}",
        summary="Erase an organisation's saved assessments (those made before a moment)",
        responses={**_HISTORY_ERRORS, **access.responses()},
        dependencies=[access.requires("admin", "history-delete")],
    )
    async def erase(
        request: Request,
        organisation: OrganisationPath,
        before: Annotated[
            str | None,
            Query(
                min_length=1,
                max_length=40,
                description="a day (2026-03-12, midnight UTC) or a moment (ISO 8601)",
            ),
        ] = None,
    ) -> JSONResponse:
        moment = operations.moment(before) if before is not None else None

        def erase() -> int:
            history = kept()
            return access.within(
                request, organisation, history.where, lambda: history.delete(organisation, moment)
            )

        removed = await _work(request, erase)
        entry = access.entry(request)
        if entry is not None:
            entry.records = removed
        return JSONResponse({"organisation": organisation, "deleted": removed})


def _add_tables(
    app: FastAPI,
    kb: KnowledgeBase,
    limits: Limits,
    advisors: Advisors,
    config: ServerConfig,
    access: Access,
) -> None:
    """A table of units scored, as `modeadvisor batch` scores one."""

    @app.post(
        "/batch",
        summary="Score a table of units (CSV, or JSON Lines), as `modeadvisor batch` does",
        openapi_extra={
            "requestBody": {
                "required": True,
                "description": "units, one per row: unit, trait ids, models_in_use",
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    "application/x-ndjson": {"schema": {"type": "string"}},
                },
            }
        },
        responses={
            200: {"content": {"application/json": {}, "text/csv": {}}},
            **_ERRORS,
            **access.responses(),
        },
        response_class=Response,
        dependencies=[access.requires("assess")],
    )
    async def batch(
        request: Request,
        format: Annotated[
            Literal["json", "jsonl", "csv"], Query(description="the answer's format")
        ] = "json",
    ) -> Response:
        raw = await _body(request, config.max_body_bytes)
        kind = request.headers.get("content-type", "")
        suffix = ".jsonl" if "json" in kind else ".csv"
        advisor = advisors.get(config.lang, "vectorised")
        scorer = advisor.backend.scorer if isinstance(advisor.backend, VectorisedBackend) else None
        text = await _work(request, lambda: _batch(kb, limits, raw, suffix, format, scorer))
        media = {"json": "application/json", "jsonl": "application/x-ndjson", "csv": "text/csv"}
        return Response(text, media_type=media[format])


def _add_catalogue(app: FastAPI, kb: KnowledgeBase, access: Access) -> None:
    """What the pack holds (for tokens with `assess`) and whether the server answers (open)."""
    guard = [access.requires("assess")]
    errors = {**_ERRORS, **access.responses()}

    @app.get("/traits", summary="The trait catalogue", responses=errors, dependencies=guard)
    async def traits() -> JSONResponse:
        rows = [trait.model_dump(mode="json", exclude_none=True) for trait in kb.traits.values()]
        return JSONResponse(rows)

    @app.get(
        "/schema/rules",
        summary="JSON Schema of rule files, for editors",
        responses=access.responses(),
        dependencies=guard,
    )
    async def schema_rules() -> JSONResponse:
        return JSONResponse(rules_schema(kb))

    @app.get(
        "/schema/organisation",
        summary="JSON Schema of organisation files, for editors",
        responses=access.responses(),
        dependencies=guard,
    )
    async def schema_organisation() -> JSONResponse:
        return JSONResponse(organisation_schema(kb))

    @app.get("/health", summary="Whether the server answers, and on which pack")
    async def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "version": modeadvisor.__version__,
            "pack": {"id": kb.info.id, "version": kb.info.version, "layers": list(kb.layers)},
        }


async def _body(request: Request, most: int) -> bytes:
    """The request's body, refused (413) as soon as it is known to be over `most` bytes: by
    its Content-Length before anything is read, else as it streams in."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > most):
        raise BodyTooLargeError(most, int(length) if length.isdigit() else None)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > most:
            raise BodyTooLargeError(most, None)
        chunks.append(chunk)
    return b"".join(chunks)


def _batch(
    kb: KnowledgeBase, limits: Limits, raw: bytes, suffix: str, kind: str, scorer: Any
) -> bytes:
    """A table in a body scored as `modeadvisor batch` scores a file; its mistakes located in
    the request body."""
    with tempfile.TemporaryDirectory(prefix="modeadvisor-batch-") as folder:
        path = Path(folder) / f"units{suffix}"
        path.write_bytes(raw)
        out = io.BytesIO()
        try:
            write_advice(kb, path, out, kind, limits=limits, scorer=scorer)
        except ModeAdvisorError as error:
            moved = [
                Problem(
                    Location(BODY, p.location.line, p.location.column),
                    p.message,
                    p.hint,
                )
                if p.location.file == str(path)
                else p
                for p in error.problems
            ]
            raise type(error)(moved) from None
    return out.getvalue()
