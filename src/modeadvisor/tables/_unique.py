"""Unit ids seen so far in a table read in batches, so that an id given twice is found.

A table of 10,000,000 units cannot keep its ids as Python strings (a gigabyte), so each id is
kept as a 64-bit hash with the row it first appeared on: 12 or 16 bytes an id, in sorted runs
that are merged as they grow, up to a bound (the runs double in size, so an id is merged
O(log n) times). A filter of hash prefixes tells most new ids apart at once: only an id whose
bit is set is looked up in the runs (O(log n) of them, plus one per 2 million ids).

The ids are hashed as columns, from their UTF-8 bytes (an Arrow array's own buffers, with no
Python string made): eight bytes at a time, each step a bijection of 64 bits (splitmix64's
finaliser) started from a random salt, so ids cannot be chosen to collide. Two different
ids take the same hash with a chance of about n²/2⁶⁵: one in 30 million for a table of a
million units. The hashes live only while one table is read."""

from __future__ import annotations

import secrets
from typing import Any

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import as_strided

from modeadvisor.tables._arrow import pyarrow, utf8_buffers
from modeadvisor.tables._encoding import Cells

IntArray = npt.NDArray[np.int64]
WordArray = npt.NDArray[np.uint64]
ByteArray = npt.NDArray[np.uint8]
#: Ids a run holds at most: 2 million ids are 32 MB, and a merge's temporaries about twice
#: that; a table of 10,000,000 ids is then five runs and a few small ones.
MERGED_AT_MOST = 1 << 21
#: Bits of the filter of hashes seen (16 MB at most): an id whose bit is not set was not seen,
#: and only the rest are looked up in the runs. Filled to 7% at 10,000,000 ids, it spares
#: the runs' binary searches (random reads over hundreds of megabytes) for all but 7% of them.
FILTER_BITS = 1 << 27
#: Ids longer than this (in UTF-8 bytes) are hashed one by one: a pass over the columns costs
#: a step for every eight bytes of the longest id, which a stray long cell would make costly.
LONG_ID = 256
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _mix(words: WordArray) -> WordArray:
    """splitmix64's finaliser: a bijection of 64 bits, each bit of the input reaching all."""
    words = (words ^ (words >> np.uint64(30))) * _M1
    words = (words ^ (words >> np.uint64(27))) * _M2
    return words ^ (words >> np.uint64(31))


def utf8_columns(ids: Cells) -> tuple[IntArray, ByteArray]:
    """Texts as one buffer of UTF-8 bytes and the offsets of each text in it (n + 1 of them):
    an Arrow string array's own buffers, or a list of strings encoded."""
    if isinstance(ids, list | tuple):
        offsets, data = utf8_buffers(ids, "surrogatepass")  # hashed only, never decoded
        return offsets, np.frombuffer(data, dtype=np.uint8)
    width = np.int64 if pyarrow().types.is_large_string(ids.type) else np.int32
    _, offsets, data = ids.buffers()[:3]
    found = np.frombuffer(offsets, dtype=width)[ids.offset : ids.offset + len(ids) + 1]
    text = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    return found.astype(np.int64), text


def id_hashes(offsets: IntArray, data: ByteArray, salt: int) -> WordArray:
    """Each text's 64-bit hash (its bytes `data[offsets[i]:offsets[i + 1]]`), keyed by `salt`:
    the length first, then eight bytes at a time (little-endian, the last word zero-padded),
    each word folded in by a bijection, for every text at once."""
    starts, lengths = offsets[:-1], np.diff(offsets)
    hashes = _mix(np.uint64(salt) ^ lengths.astype(np.uint64))
    long = lengths > LONG_ID
    padded = np.concatenate([data, np.zeros(8, dtype=np.uint8)])
    windows = as_strided(padded, shape=(len(data) + 1, 8), strides=(1, 1), writeable=False)
    rows = np.flatnonzero(~long & (lengths > 0))
    step = 0
    while len(rows := rows[lengths[rows] > step]):
        words = windows[starts[rows] + step].view("<u8").reshape(-1).astype(np.uint64)
        left = np.minimum(lengths[rows] - step, 8).astype(np.uint64)
        words &= np.where(left == 8, ~np.uint64(0), (np.uint64(1) << left * np.uint64(8)) - 1)
        hashes[rows] = _mix(hashes[rows] ^ words)
        step += 8
    for row in np.flatnonzero(long).tolist():
        text = data[offsets[row] : offsets[row + 1]].tobytes()
        hashes[row] = _mix(hashes[row : row + 1] ^ np.uint64(hash(text) & (2**64 - 1)))[0]
    return hashes


class SeenIds:
    """The ids of the rows read so far, as sorted runs of (hash, first row); rows are kept in
    32 bits where the table cannot have more rows than that (12 bytes an id, not 16)."""

    def __init__(self, most_rows: int = 2**62) -> None:
        self._runs: list[tuple[IntArray, IntArray]] = []
        self._rows: type[np.signedinteger[Any]] = np.int32 if most_rows < 2**31 else np.int64
        # a bit per hash prefix, 16 bits for each row the table may have (up to FILTER_BITS)
        bits = min(FILTER_BITS, max(1 << 16, 1 << (16 * most_rows - 1).bit_length()))
        self._shift = 64 - (bits.bit_length() - 1)  # a hash's top bits choose its bit
        self._filter = np.zeros(bits // 8, dtype=np.uint8)
        self._salt = secrets.randbits(64)

    def add(self, ids: Cells, start: int) -> tuple[IntArray, IntArray]:
        """A batch's ids (its first row is row `start` of the table; empty ids are left out):
        the rows of the batch whose id was seen before, and the table row it was first seen
        on, for each."""
        offsets, data = utf8_columns(ids)
        hashes = id_hashes(offsets, data, self._salt).view(np.int64)
        given = np.flatnonzero(np.diff(offsets) > 0)
        hashes, rows = hashes[given], given + start
        order = np.argsort(hashes)
        hashes, rows = hashes[order], rows[order]
        heads = np.flatnonzero(np.diff(hashes, prepend=hashes[:1] - 1) != 0)  # one per id
        earliest = np.minimum.reduceat(rows, heads) if len(rows) else rows
        unique = hashes[heads]
        before = np.full(len(heads), -1, dtype=np.int64)  # each id's row in an earlier batch
        slots = (unique >> self._shift) + (1 << (63 - self._shift))  # sorted as the hashes
        byte, bit = slots >> 3, (slots & 7).astype(np.uint8)
        maybe = np.flatnonzero((self._filter[byte] >> bit) & 1)  # the others were not seen
        for run_hashes, run_rows in self._runs:
            wanted = unique[maybe]
            at = np.minimum(np.searchsorted(run_hashes, wanted), len(run_hashes) - 1)
            found = run_hashes[at] == wanted
            before[maybe[found]] = run_rows[at[found]]
        marks = np.left_shift(np.uint8(1), bit)
        firsts = np.flatnonzero(np.diff(byte, prepend=-1) != 0)  # bytes are sorted: one each
        if len(byte):
            self._filter[byte[firsts]] |= np.bitwise_or.reduceat(marks, firsts)
        new = before < 0
        self._keep(unique[new], earliest[new].astype(self._rows))
        first = np.where(new, earliest, before)[
            np.repeat(np.arange(len(heads)), _sizes(heads, len(rows)))
        ]
        repeated = rows != first
        back = np.argsort(rows[repeated])
        return rows[repeated][back] - start, first[repeated][back]

    def _keep(self, hashes: IntArray, rows: IntArray) -> None:
        """New ids (sorted by hash) as a run; runs of like size merged, up to MERGED_AT_MOST
        ids a run, so that a merge's temporary arrays stay small whatever the table's size."""
        if not len(hashes):
            return
        self._runs.append((hashes, rows))
        while len(self._runs) > 1:
            (older, _), (newer, _) = self._runs[-2], self._runs[-1]
            if len(older) > 2 * len(newer) or len(older) + len(newer) > MERGED_AT_MOST:
                break
            newest = self._runs.pop()
            self._runs.append(_merged(self._runs.pop(), newest))


def _merged(
    older: tuple[IntArray, IntArray], newer: tuple[IntArray, IntArray]
) -> tuple[IntArray, IntArray]:
    """Two runs as one, sorted by hash, without sorting again: each hash of the newer run goes
    where it belongs among the older (no hash is in both: a run holds only ids not seen)."""
    (h1, r1), (h2, r2) = older, newer
    at = np.searchsorted(h1, h2) + np.arange(len(h2))
    hashes, rows = np.empty(len(h1) + len(h2), np.int64), np.empty(len(h1) + len(h2), r1.dtype)
    kept = np.ones(len(hashes), dtype=np.bool_)
    kept[at] = False
    hashes[at], rows[at] = h2, r2
    hashes[kept], rows[kept] = h1, r1
    return hashes, rows


def _sizes(heads: IntArray, total: int) -> IntArray:
    """The length of each run of equal values that starts at `heads`."""
    return np.diff(heads, append=total)
