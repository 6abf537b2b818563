"""How a server runs: limits of a request and of the work done at once (no FastAPI here)."""

from __future__ import annotations

from dataclasses import dataclass

from modeadvisor.knowledge import Lang


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """What one server allows a request, and what it answers in when a request does not say."""

    #: Bytes of one request body; a larger one is refused (413) before it is read whole.
    max_body_bytes: int = 20_000_000
    #: Seconds one request may take before it is answered 503 (with a problem and Retry-After).
    timeout: float = 30.0
    #: Requests worked on at once (threads); more wait their turn, within their time.
    concurrency: int = 4
    #: The language of a request that does not give `?lang=`.
    lang: Lang = "en"
    #: The history database (`--db URL`) that `?save=true` writes to and `/history` reads;
    #: None: the server keeps no history (the history extra need not be installed).
    db: str | None = None
    #: The token file (`--tokens FILE`): every operation but /health and the OpenAPI document
    #: then needs a bearer token with its scope; None: everyone may do everything (loopback).
    tokens: str | None = None
    #: Origins a browser may call the server from (`--cors-origin`); none: CORS stays off.
    cors_origins: tuple[str, ...] = ()
    #: At most (requests, seconds) per token, or per client address without one (`--rate`);
    #: None: no rate.
    rate: tuple[int, float] | None = None
    #: A JSON Lines file every history read, write and erasure is appended to (`--audit-log`);
    #: the `modeadvisor.audit` logger has each entry either way.
    audit_log: str | None = None

    def __post_init__(self) -> None:
        if self.max_body_bytes < 0 or self.timeout <= 0 or self.concurrency < 1:
            raise ValueError(
                "max_body_bytes must be 0 or more, timeout above 0 and concurrency 1 or more"
            )
        # read back from JSON (a worker's configuration), lists are tuples again
        object.__setattr__(self, "cors_origins", tuple(self.cors_origins))
        if self.rate is not None:
            requests, seconds = self.rate
            object.__setattr__(self, "rate", (int(requests), float(seconds)))
