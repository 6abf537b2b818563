"""pyarrow where it is installed: the `arrow` extra.

Reading CSV at the speed of the file, Parquet, Arrow and JSON Lines, and writing Parquet and
Arrow need pyarrow; a plain install leaves it out (it is larger than the rest of modeadvisor
together) and still reads CSV files, rows and frames, on a slower path written in Python.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import numpy as np

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


# --- arrays made without pandas ---------------------------------------------------------------
# `pa.array` and `pa.scalar` (which pyarrow.compute calls on any Python value it is given) first
# ask whether their input is a pandas object, and so import pandas where it is installed: 0.2 to
# 0.3 s, a third of a batch's start-up, for a library a batch never uses. The columns a table's
# pipeline makes are built from their buffers instead.


def numbers(values: Any, missing: Any = None) -> Any:
    """A one-dimensional numpy array of numbers or truth values as an Arrow array, null where
    `missing` (a boolean array) is true."""
    pa = pyarrow()

    values = np.ascontiguousarray(values)
    size = len(values)
    valid = None if missing is None else pa.py_buffer(_bits(~np.asarray(missing, np.bool_)))
    if values.dtype == np.bool_:
        return pa.Array.from_buffers(pa.bool_(), size, [valid, pa.py_buffer(_bits(values))])
    kind = pa.from_numpy_dtype(values.dtype)
    return pa.Array.from_buffers(kind, size, [valid, pa.py_buffer(values)])


def _bits(flags: Any) -> Any:
    return np.packbits(flags, bitorder="little")


def utf8_buffers(values: Sequence[str], errors: str = "strict") -> tuple[Any, bytes]:
    """Python strings as one buffer of UTF-8 bytes and where each starts and ends in it (n + 1
    offsets, int64): an Arrow string array's layout, made without pyarrow."""
    encoded = [value.encode("utf-8", errors) for value in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), np.int64, len(encoded)), out=offsets[1:])
    return offsets, b"".join(encoded)


def texts(values: Sequence[str]) -> Any:
    """Python strings as an Arrow string array."""
    pa = pyarrow()

    offsets, data = utf8_buffers(values)
    large = offsets[-1] >= 2**31
    kind = pa.large_string() if large else pa.string()
    buffers = [None, pa.py_buffer(offsets if large else offsets.astype(np.int32))]
    return pa.Array.from_buffers(kind, len(values), [*buffers, pa.py_buffer(data)])


def text(value: str) -> Any:
    """A Python string as an Arrow scalar (for compute functions' arguments)."""
    return texts([value])[0]


def number(value: Any) -> Any:
    """A numpy number (of its own type) or truth value as an Arrow scalar."""
    return numbers(np.asarray([value]))[0]


def as_numpy(values: Any) -> Any:
    """An Arrow array of numbers or truth values as a numpy array, read from its buffers where
    it has no nulls (`Array.to_numpy` imports pandas too); with nulls, by `to_numpy`."""
    pa = pyarrow()

    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    kind, start, size = values.type, values.offset, len(values)
    if values.null_count or not (
        pa.types.is_boolean(kind) or pa.types.is_integer(kind) or pa.types.is_floating(kind)
    ):
        return values.to_numpy(zero_copy_only=False)
    if pa.types.is_boolean(kind):
        if not size:
            return np.zeros(0, dtype=np.bool_)
        bytes_ = np.frombuffer(values.buffers()[1], np.uint8)
        return np.unpackbits(bytes_, count=start + size, bitorder="little")[start:].astype(np.bool_)
    letter = "f" if pa.types.is_floating(kind) else "i" if pa.types.is_signed_integer(kind) else "u"
    dtype = np.dtype(f"={letter}{kind.bit_width // 8}")  # Arrow buffers are in native order
    if not size:
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(values.buffers()[1], dtype, count=size, offset=start * dtype.itemsize)
