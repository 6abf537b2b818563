"""pyarrow where it is installed: the `arrow` extra.

Reading CSV at the speed of the file, Parquet, Arrow and JSON Lines, and writing Parquet and
Arrow need pyarrow; a plain install leaves it out (it is larger than the rest of modeadvisor
together) and still reads CSV files, rows and frames, on a slower path written in Python.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any

from modeadvisor._i18n import Message
from modeadvisor.errors import Location, ModeAdvisorError, Problem

#: What to install for the columnar paths.
INSTALL = "pip install 'modeadvisor[arrow]'"


class ArrowMissingError(ModeAdvisorError, ImportError):
    """What was asked for needs pyarrow, the `arrow` extra, which is not installed (exit 2)."""

    extra = "arrow"
    missing = "pyarrow"


def _module(name: str) -> ModuleType:
    """A module, imported once: then taken from sys.modules, which costs a dictionary look-up
    where importlib.import_module costs 20 µs (some 6,000 calls a million rows)."""
    module = sys.modules.get(name)
    return module if module is not None else importlib.import_module(name)


def arrow() -> ModuleType | None:
    """The pyarrow module, or None where it is not installed."""
    try:
        return pyarrow()  # type: ignore[no-any-return]
    except ImportError:
        return None


def pyarrow(name: str = "") -> Any:
    """pyarrow (or its module `name`: compute, csv, parquet, json, ipc), untyped: the
    published stubs are incomplete, and these modules are called only where pyarrow is.

    pyarrow.compute is always loaded first: since pyarrow 22 its functions are registered only
    when it is imported, and reading a Parquet file's dictionaries needs `cast` (pandas, where
    installed, used to import it by chance; without, the read failed)."""
    _module("pyarrow.compute")
    return _module(f"pyarrow.{name}" if name else "pyarrow")


def require_arrow(what: str, source: str = "<table>") -> Any:
    """pyarrow, or ArrowMissingError saying that `what` needs it and how to install it."""
    module = arrow()
    if module is None:
        raise ArrowMissingError(
            [
                Problem(
                    Location(source),
                    Message("{what} needs pyarrow, which is not installed", what=what),
                    Message("install the arrow extra: {INSTALL}", INSTALL=INSTALL),
                )
            ]
        )
    return module
