"""Arrow arrays made from, and read back into, numpy buffers (`tables._arrow`): the same arrays
pyarrow's own constructors make, for every numeric type, offset and null mask."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

pa = pytest.importorskip("pyarrow")

from modeadvisor.tables._arrow import as_numpy, number, numbers, text, texts  # noqa: E402

_DTYPES = st.sampled_from(
    [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint32, np.float32, np.float64]
)


@st.composite
def _arrays(draw: st.DrawFn) -> np.ndarray:
    dtype = np.dtype(draw(_DTYPES))
    # NaN is not equal to itself, so two equal arrays holding one would compare unequal
    elements = hnp.from_dtype(dtype, allow_nan=False) if dtype.kind == "f" else None
    return draw(hnp.arrays(dtype, st.integers(0, 40), elements=elements))


# no deadline: a first call of pyarrow's constructors can take a quarter second on a busy machine
@settings(deadline=None)
@given(values=_arrays(), skip=st.integers(0, 9), data=st.data())
def test_numbers_are_the_arrays_pyarrow_makes_and_read_back_as_they_were(
    values: np.ndarray, skip: int, data: st.DataObject
) -> None:
    made = numbers(values)
    assert made.equals(pa.array(values))
    start = min(skip, len(values))
    back = as_numpy(made.slice(start))
    assert back.dtype == values.dtype
    np.testing.assert_array_equal(back, values[start:])
    missing = data.draw(hnp.arrays(np.bool_, len(values)))
    assert numbers(values, missing=missing).equals(pa.array(values, mask=missing))
    assert numbers(values[::2]).equals(pa.array(values[::2]))  # not contiguous


@settings(deadline=None)
@given(values=st.lists(st.text().filter(lambda t: not any(0xD800 <= ord(c) < 0xE000 for c in t))))
def test_texts_are_the_string_arrays_pyarrow_makes(values: list[str]) -> None:
    assert texts(values).equals(pa.array(values, pa.string()))
    if values:
        assert text(values[0]).equals(pa.scalar(values[0], pa.string()))


def test_scalars_and_arrays_with_nulls() -> None:
    assert number(np.int8(-1)).equals(pa.scalar(-1, pa.int8()))
    assert number(False).equals(pa.scalar(False))
    with_null = pa.array([1.5, None])
    np.testing.assert_array_equal(as_numpy(with_null), np.array([1.5, np.nan]))
    assert as_numpy(pa.chunked_array([[1, 2], [3]])).tolist() == [1, 2, 3]
