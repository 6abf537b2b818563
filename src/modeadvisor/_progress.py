"""Progress on long runs: a bar on a terminal, nothing at all when output is not a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from tqdm import tqdm


@contextmanager
def progress_bar(
    description: str, unit: str, total: int | None = None, stream: TextIO | None = None
) -> Iterator[Callable[[int], None]]:
    """A callback that takes the count done so far and moves a bar (on stderr by default)."""
    out = stream if stream is not None else sys.stderr
    bar = tqdm(
        total=total,
        desc=description,
        unit=unit,
        file=out,
        leave=False,
        disable=not out.isatty(),
        dynamic_ncols=True,
    )

    def advance(done: int) -> None:
        bar.update(done - bar.n)

    try:
        yield advance
    finally:
        bar.close()
