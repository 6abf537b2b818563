"""Agreement among respondents who rated one item on a 1-5 scale.

An averaged rating hides whether people agree. Two measures, both standard:
- rwg (James, Demaree & Wolf 1984): 1 - observed variance / variance of a uniform null,
  (A^2 - 1) / 12 for A options; 1 is full agreement, 0 no more than chance. The sample variance
  can exceed the null's (respondents split to the ends); rwg is then set to 0, as is usual.
- consensus (Tastle & Wierman 2007): 1 + sum p_i log2(1 - |x_i - mean| / width); 1 when all
  answer alike, 0 when they split into two camps at the ends — it detects camps that a mean of 3
  would present as a lukewarm consensus.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

SCALE_LOW, SCALE_HIGH = 1, 5


def rwg(ratings: Sequence[int], low: int = SCALE_LOW, high: int = SCALE_HIGH) -> float:
    """Within-group agreement against a uniform null; needs two or more ratings."""
    n = len(ratings)
    if n < 2:
        raise ValueError("agreement needs two or more ratings")
    mean = sum(ratings) / n
    variance = sum((r - mean) ** 2 for r in ratings) / (n - 1)
    options = high - low + 1
    null_variance = (options**2 - 1) / 12
    return max(0.0, 1 - variance / null_variance)


def consensus(ratings: Sequence[int], low: int = SCALE_LOW, high: int = SCALE_HIGH) -> float:
    """Tastle-Wierman consensus of ordinal ratings; needs one or more ratings."""
    n = len(ratings)
    if n < 1:
        raise ValueError("consensus needs one or more ratings")
    width = high - low
    mean = sum(ratings) / n
    total = 0.0
    for value, count in Counter(ratings).items():
        distance = abs(value - mean) / width
        total += (count / n) * math.log2(1 - distance) if distance < 1 else -math.inf
    return max(0.0, min(1.0, 1 + total))
