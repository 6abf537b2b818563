"""`modeadvisor serve`: its arguments and how it starts (uvicorn is imported only to serve, so
that a bare install lists the command and says which extra it needs)."""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from modeadvisor.authoring.features import MissingExtraError
from modeadvisor.knowledge import KnowledgeBase, Lang, load_knowledge_base, shipped_rules_dir
from modeadvisor.limits import Limits
from modeadvisor.server._config import ServerConfig

if TYPE_CHECKING:
    from modeadvisor.history import HistoryStore

#: The environment variable that carries the configuration to each worker process.
CONFIG_VARIABLE = "MODEADVISOR_SERVE_CONFIG"
_DEFAULT = ServerConfig()


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
        "--concurrency",
        type=_positive,
        default=_DEFAULT.concurrency,
        metavar="N",
        help=f"requests worked on at once in each worker (default: {_DEFAULT.concurrency})",
    )


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
) -> int:
    """Load the packs (a mistake in them stops here, located), then serve until stopped."""
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
        ),
    )
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


def _history(url: str | None) -> HistoryStore | None:
    """The history database the server keeps, opened once per process; None without `--db`."""
    if url is None:
        return None
    try:
        from modeadvisor.history import HistoryStore
    except ImportError as error:
        raise MissingExtraError("history", error.name or "sqlalchemy") from None
    return HistoryStore.open(url)
