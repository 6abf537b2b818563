"""The audit log: every read, write and erasure of the history, who asked, when and how it ended
— and never the advice, the organisation file or its respondents. No FastAPI here.

Each entry is one JSON object: `at` (UTC, ISO 8601), `who` (the token's name, or `anonymous` on a
server without tokens), `client` (the address it came from), `operation` (`history-read`,
`history-write`, `history-delete`), `organisation` (as asked, or the key saved under; null where
a refused save was never read), `records` (assessments read, saved or erased; null if none were)
and `status` (the HTTP status answered). Entries go to the `modeadvisor.audit` logger (INFO) and,
with `serve --audit-log FILE`, appended to that file as JSON Lines.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

Operation = Literal["history-read", "history-write", "history-delete"]
ANONYMOUS = "anonymous"
LOGGER = "modeadvisor.audit"


@dataclass(slots=True)
class Entry:
    """What one request did to the history, filled in as it is answered."""

    operation: Operation
    who: str = ANONYMOUS
    client: str | None = None
    organisation: str | None = None
    records: int | None = None


def _now() -> datetime:
    return datetime.now(UTC)


class AuditLog:
    """Where entries go: the `modeadvisor.audit` logger, and a JSON Lines file if given."""

    def __init__(self, path: Path | None = None, clock: Callable[[], datetime] = _now) -> None:
        self.path = path
        self._clock = clock
        self._logger = logging.getLogger(LOGGER)
        self._lock = threading.Lock()

    def check(self) -> None:
        """Open the file for appending once, so that one that cannot be written is said at
        start (an OSError), not on the first request."""
        if self.path is not None:
            with self.path.open("a", encoding="utf-8"):
                pass

    def record(self, entry: Entry, status: int) -> str:
        """Log one entry with the status it was answered; returns the line written."""
        at = self._clock().astimezone(UTC).isoformat(timespec="milliseconds")
        line = json.dumps({"at": at, **asdict(entry), "status": status}, ensure_ascii=False)
        self._logger.info("%s", line)
        if self.path is not None:
            with self._lock, self.path.open("a", encoding="utf-8") as stream:
                stream.write(line + "\n")
        return line
