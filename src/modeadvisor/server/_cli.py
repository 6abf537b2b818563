"""`modeadvisor serve`: its arguments and how it starts (uvicorn is imported only to serve, so
that a bare install lists the command and says which extra it needs)."""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import ipaddress
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from modeadvisor._i18n import Message
from modeadvisor.authoring.features import MissingExtraError
from modeadvisor.errors import Location, ModeAdvisorError, Problem, did_you_mean, display_path
from modeadvisor.knowledge import KnowledgeBase, Lang, load_knowledge_base, shipped_rules_dir
from modeadvisor.limits import Limits
from modeadvisor.server._audit import AuditLog
from modeadvisor.server._config import ServerConfig
from modeadvisor.server._rates import Rate
from modeadvisor.server._tokens import SCOPES, Tokens, open_to_others

if TYPE_CHECKING:
    from modeadvisor.history import HistoryStore

#: The environment variable that carries the configuration to each worker process.
CONFIG_VARIABLE = "MODEADVISOR_SERVE_CONFIG"
_DEFAULT = ServerConfig()
#: `serve --rate` when not given: 300 requests a minute, each token (or address) its own.
DEFAULT_RATE = Rate(300, 60)


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """`serve`'s own arguments (the packs, language and limits are added with every command's)."""
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument(
        "--workers",
        type=_positive,
        default=1,
        metavar="N",
        help="worker processes, each with the packs loaded once (default: 1)",
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=_DEFAULT.timeout,
        metavar="SECONDS",
        help=f"time one request may take before it is answered 503 (default: {_DEFAULT.timeout:g})",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="keep a history: ?save=true saves each assessment and /history/{organisation} "
        "reads and erases them (a path or sqlite:///FILE, or postgresql://...; the history "
        "extra); without it the server keeps none",
    )
    parser.add_argument(
        "--tokens",
        type=Path,
        metavar="FILE",
        help="bearer tokens (made by `modeadvisor token add`): every request but /health and "
        "/openapi.json then needs one with its scope; without it the server listens on "
        "loopback only",
    )
    parser.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="an origin a browser may call the server from, as https://host[:port] (repeat); "
        "without it CORS stays off",
    )
    parser.add_argument(
        "--rate",
        type=_rate,
        default=DEFAULT_RATE,
        metavar="N/SECONDS",
        help=f"at most N requests in SECONDS per token, or per client address without one; "
        f"more are answered 429 with Retry-After; 'off' for none (default: {DEFAULT_RATE})",
    )
    parser.add_argument(
        "--audit-log",
        type=Path,
        metavar="FILE",
        help="append every history read, write and erasure (who, what, when, status; never "
        "the advice) to FILE as JSON Lines; the modeadvisor.audit logger has them either way",
    )
    parser.add_argument(
        "--concurrency",
        type=_positive,
        default=_DEFAULT.concurrency,
        metavar="N",
        help=f"requests worked on at once in each worker (default: {_DEFAULT.concurrency})",
    )


def _rate(text: str) -> Rate | None:
    try:
        return Rate.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"a whole number of 1 or more, not '{text}'")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"a number of seconds above 0, not '{text}'")
    return value


@dataclasses.dataclass(frozen=True, slots=True)
class Served:
    """What a worker needs to make the app: the packs, the limits and the server's config."""

    packs: tuple[str, ...]
    limits: Limits
    config: ServerConfig

    def to_json(self) -> str:
        return json.dumps(
            {
                "packs": list(self.packs),
                "limits": dataclasses.asdict(self.limits),
                "config": dataclasses.asdict(self.config),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Served:
        data = json.loads(text)
        return cls(tuple(data["packs"]), Limits(**data["limits"]), ServerConfig(**data["config"]))

    def knowledge_base(self) -> KnowledgeBase:
        return load_knowledge_base(*self.packs, limits=self.limits)


def serve(
    packs: Sequence[Path] | None,
    lang: Lang,
    limits: Limits,
    host: str,
    port: int,
    workers: int,
    timeout: float,
    concurrency: int,
    db: str | None = None,
    access: Access | None = None,
) -> int:
    """Load the packs (a mistake in them stops here, located), then serve until stopped."""
    access = access or Access()
    if access.tokens is None and not loopback(host):
        raise ModeAdvisorError(
            [
                Problem(
                    Location("--host"),
                    Message(
                        "a server without tokens listens on loopback only (127.0.0.1, ::1 or localhost), not on '{host}'",
                        host=host,
                    ),
                    Message(
                        "give --tokens FILE to let others in (make a token with `modeadvisor token add`), and put a TLS-terminating proxy in front"
                    ),
                )
            ]
        )
    missing = [name for name in ("fastapi", "uvicorn") if importlib.util.find_spec(name) is None]
    if missing:
        raise MissingExtraError("server", missing[0])
    import uvicorn

    from modeadvisor.server._app import create_app

    served = Served(
        tuple(str(p) for p in (packs or [shipped_rules_dir()])),
        limits,
        ServerConfig(
            max_body_bytes=limits.max_file_bytes,
            timeout=timeout,
            concurrency=concurrency,
            lang=lang,
            db=db,
            tokens=str(access.tokens) if access.tokens is not None else None,
            cors_origins=access.cors_origins,
            rate=(access.rate.requests, access.rate.seconds) if access.rate else None,
            audit_log=str(access.audit_log) if access.audit_log is not None else None,
        ),
    )
    access.check(lang)  # a mistake in the token file or an audit log that cannot be written
    kb = served.knowledge_base()
    store = _history(db)  # a database that cannot be used stops here, before serving
    if workers == 1:
        app = create_app(kb, limits=limits, config=served.config, store=store)
        uvicorn.run(app, host=host, port=port, log_level="info")
        return 0
    # worker processes each make their app from the configuration in the environment
    os.environ[CONFIG_VARIABLE] = served.to_json()
    uvicorn.run(
        "modeadvisor.server._cli:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )
    return 0


def app_from_environment() -> object:
    """The app of one worker process, from the configuration `serve` left in the environment."""
    from modeadvisor.server._app import create_app

    served = Served.from_json(os.environ[CONFIG_VARIABLE])
    return create_app(
        served.knowledge_base(),
        limits=served.limits,
        config=served.config,
        store=_history(served.config.db),
    )


@dataclasses.dataclass(frozen=True, slots=True)
class Access:
    """`serve`'s options on who may do what: `--tokens`, `--cors-origin`, `--rate`, `--audit-log`."""

    tokens: Path | None = None
    cors_origins: tuple[str, ...] = ()
    rate: Rate | None = DEFAULT_RATE
    audit_log: Path | None = None

    def check(self, lang: Lang = "en") -> None:
        """Read the token file (every mistake located) and say if others may read it; make
        sure the audit log can be appended to. Before serving, so that nothing fails later."""
        if self.tokens is not None:
            Tokens.read(self.tokens)
            warning = open_to_others(self.tokens)
            if warning:
                print(f"modeadvisor: {warning.render(lang)}", file=sys.stderr)
        if self.audit_log is not None:
            try:
                AuditLog(self.audit_log).check()
            except OSError as error:
                message = Message(
                    "cannot append to the audit log {file}: {reason}",
                    file=display_path(self.audit_log),
                    reason=error.strerror or error,
                )
                raise ModeAdvisorError([Problem(Location("--audit-log"), message)]) from None


def access_of(args: argparse.Namespace) -> Access:
    """`serve`'s access options, as parsed."""
    return Access(args.tokens, tuple(args.cors_origin), args.rate, args.audit_log)


def loopback(host: str) -> bool:
    """Whether `host` is a loopback address (127.0.0.0/8, ::1) or `localhost`; any other name
    or address (0.0.0.0 and :: included) may be reached from elsewhere."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _history(url: str | None) -> HistoryStore | None:
    """The history database the server keeps, opened once per process; None without `--db`."""
    if url is None:
        return None
    try:
        from modeadvisor.history import HistoryStore
    except ImportError as error:
        raise MissingExtraError("history", error.name or "sqlalchemy") from None
    return HistoryStore.open(url)


# --- `modeadvisor token`: the token file of `serve --tokens` -------------------------------


def add_token_parser(commands: Any) -> None:
    """The `token` command (add, list, remove), on the command line's sub-parsers."""
    token = commands.add_parser(
        "token",
        help="make, list and remove the bearer tokens of `serve --tokens FILE`",
        description="A token is shown once, when it is made; the file keeps only its SHA-256 "
        "hash. To rotate one: add a new one, give it to its holder, restart the server, remove "
        "the old one and restart again.",
    )
    actions = token.add_subparsers(dest="token_action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="make a token, print it once and keep its hash")
    add.add_argument("name", metavar="NAME", help="who holds it (letters, digits, . _ @ -)")
    add.add_argument(
        "--scope",
        action="append",
        required=True,
        type=_scope,
        help=f"what it may do (repeat): {', '.join(SCOPES)}",
    )
    add.add_argument(
        "--organisation",
        action="append",
        metavar="ORG",
        help="an organisation it may see (repeat; default: every one)",
    )
    listed = actions.add_parser("list", help="the tokens of the file: names, scopes, organisations")
    removed = actions.add_parser("remove", help="remove a token: it stops working at restart")
    removed.add_argument("name", metavar="NAME")
    for each in (add, listed, removed):
        each.add_argument(
            "--tokens", type=Path, required=True, metavar="FILE", help="the token file"
        )


def _scope(text: str) -> str:
    if text in SCOPES:
        return text
    hint = did_you_mean(text, SCOPES) or Message("scopes: {scopes}", scopes=", ".join(SCOPES))
    raise argparse.ArgumentTypeError(
        Message("unknown scope '{scope}' ({hint})", scope=text, hint=hint)
    )


def token_command(args: argparse.Namespace, out: TextIO) -> int:
    """`modeadvisor token add|list|remove`: the token file changed (or shown); exit 0."""
    path: Path = args.tokens
    shown, lang = display_path(path), args.ui_lang
    tokens = Tokens.read(path) if args.token_action != "add" or path.exists() else Tokens()
    if args.token_action == "list":
        if not len(tokens):
            print(Message("no tokens in {file}", file=shown).render(lang), file=sys.stderr)
        for token in tokens:
            seen = ", ".join(token.organisations or [Message("every organisation").render(lang)])
            scopes = ", ".join(scope for scope in SCOPES if scope in token.scopes)
            out.write(
                Message(
                    "{name}  scopes: {scopes}  sees: {seen}",
                    name=token.name,
                    scopes=scopes,
                    seen=seen,
                ).render(lang)
                + "\n"
            )
        return 0
    if args.token_action == "remove":
        tokens.removed(args.name).write(path)
        print(
            Message("token '{name}' removed from {file}", name=args.name, file=shown).render(lang),
            file=sys.stderr,
        )
        return 0
    made, secret = tokens.added(args.name, args.scope, args.organisation)
    made.write(path)
    out.write(secret + "\n")
    print(
        Message(
            "token '{name}' added to {file}; it is shown only now (the file keeps its SHA-256 hash): give it to its holder",
            name=args.name,
            file=shown,
        ).render(lang),
        file=sys.stderr,
    )
    return 0
