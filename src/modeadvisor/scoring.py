"""Exact arithmetic shared by every backend, so they give the same advice to the last bit.

Pack weights, link strengths and thresholds have at most six decimals (checked on load), so
they are exact integers in millionths. Sums are taken over those integers (order-free); a share
is one integer divided by another (one correctly rounded division); a contribution of an
archetype to a model is rounded half-to-even to millionths. numpy performs each step with the
same IEEE operations as Python, so a vectorised backend reproduces these values exactly.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import numpy.typing as npt

#: Numbers are compared and summed at this many decimals: integers in millionths are exact,
#: exponent-free and finite, as the engine needs them.
NUMBER_DECIMALS = 6
MICRO = 1_000_000  # 10**NUMBER_DECIMALS, written out: mypy types int ** int as Any
#: Beyond this magnitude a float cannot hold every millionth: such numbers go through Decimal.
_EXACT_LIMIT = 2**52 / MICRO


def to_millionths(value: int | float) -> int:
    """A number in integer millionths, rounded half-to-even at the sixth decimal.

    The one conversion every backend, lint and the fact builder use: through the number's
    shortest decimal form, so 0.1 is 100000 exactly (never 100000.00000000001 rounded).
    """
    return int(Decimal(str(value)).scaleb(NUMBER_DECIMALS).to_integral_value())


def to_millionths_array(values: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """`to_millionths` for a column of floats, with the same result for every element.

    Below 2**52 millionths a float times a million, rounded half-to-even, is the decimal
    result (values were rounded to six decimals when read); beyond it, element by element.
    """
    encoded: npt.NDArray[np.int64] = np.rint(values * MICRO).astype(np.int64)
    for i in np.flatnonzero(np.abs(values) >= _EXACT_LIMIT).tolist():
        encoded[i] = to_millionths(float(values[i]))
    return encoded


def micro(value: float) -> int:
    """A pack constant (weight, strength, threshold: at most six decimals) in millionths."""
    return to_millionths(value)
