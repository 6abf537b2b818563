"""Reading ahead: a table's batches read and encoded by a thread of their own while the caller
scores and writes the ones before, so both processor cores work (pyarrow, numpy and the file
system let go of Python's lock while they work). At most `depth` batches wait: memory stays
that of a few batches."""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from typing import TypeVar

T = TypeVar("T")
#: How long the reader waits, at most, before looking again whether it should stop.
_PATIENCE = 0.05


def ahead(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """The items of `items`, in order, made by another thread up to `depth` ahead of the one
    taken; an exception it raises is raised here, where its item would have been."""
    waiting: queue.Queue[tuple[bool, T | BaseException | None]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple[bool, T | BaseException | None]) -> bool:
        while not stop.is_set():
            try:
                waiting.put(entry, timeout=_PATIENCE)
            except queue.Full:
                continue
            return True
        return False

    def run() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
            put((False, None))
        except BaseException as error:  # handed to the caller, raised there
            put((False, error))
        finally:
            if isinstance(items, Generator):
                items.close()

    reader = threading.Thread(target=run, name="modeadvisor-table-reader", daemon=True)
    reader.start()
    try:
        while True:
            more, found = waiting.get()
            if not more:
                if isinstance(found, BaseException):
                    raise found
                return
            yield found  # type: ignore[misc]
    finally:
        stop.set()
        reader.join()
