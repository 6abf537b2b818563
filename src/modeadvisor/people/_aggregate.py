"""What several respondents said of one trait, as one value and how far they agree.

- a scale: the median (the lower middle answer when their number is even, so it stays a whole
  number on the scale); agreeing answers are within one step of it;
- a number: the median; agreeing answers are within a tenth of the trait's range of it (of the
  median's size when the trait has no range);
- true/false and a category: the answer given most often, when no other is given as often (a
  tie leaves the trait unobserved); agreeing answers are that answer;
- a set: the values a majority (more than half) of its respondents named; agreement is, over the
  trait's values, the mean share of respondents whose answer agrees with the result on it.

Every rule depends on the answers only, not on their order. Respondents disagree strongly on a
trait when at least two answered and at most half agree (or a tie left it unobserved).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from modeadvisor.conditions import TraitValue
from modeadvisor.knowledge import Trait

#: Respondents disagree strongly when no more than this share agrees with the result.
DISAGREE_AT = 0.5
_NUMBER_TOLERANCE = 0.1
_DECIMALS = 6


@dataclass(frozen=True, slots=True)
class Aggregate:
    value: TraitValue | None  # None: a tie, left unobserved
    respondents: int
    agreement: float  # 0..1

    @property
    def disagree(self) -> bool:
        return self.value is None or (self.respondents >= 2 and self.agreement <= DISAGREE_AT)


def aggregate(trait: Trait, answers: Sequence[TraitValue]) -> Aggregate:
    """The one value of a trait and its agreement (module docstring); `answers` not empty."""
    if not answers:
        raise ValueError("no answers to aggregate")
    n = len(answers)
    match trait.type:
        case "scale":
            middle = statistics.median_low(sorted(int(v) for v in answers))  # type: ignore[arg-type]
            near = sum(abs(int(v) - middle) <= 1 for v in answers)  # type: ignore[arg-type]
            return Aggregate(middle, n, _share(near, n))
        case "number":
            numbers = sorted(float(v) for v in answers)  # type: ignore[arg-type]
            median = round(statistics.median(numbers), _DECIMALS)
            span = (
                trait.max - trait.min
                if trait.min is not None and trait.max is not None and trait.max > trait.min
                else abs(median)
            )
            near = sum(abs(v - median) <= _NUMBER_TOLERANCE * span for v in numbers)
            value: TraitValue = int(median) if median.is_integer() else median
            return Aggregate(value, n, _share(near, n))
        case "set":
            return _members(trait, answers)
    counts = Counter(answers)
    ranked = counts.most_common()
    top, most = ranked[0]
    if len(ranked) > 1 and ranked[1][1] == most:
        return Aggregate(None, n, _share(most, n))
    return Aggregate(top, n, _share(most, n))


def _members(trait: Trait, answers: Sequence[TraitValue]) -> Aggregate:
    n = len(answers)
    named = Counter(v for answer in answers for v in answer)  # type: ignore[union-attr]
    chosen = frozenset(v for v, count in named.items() if 2 * count > n)
    values = trait.values or tuple(named)
    if not values:
        return Aggregate(chosen, n, 1.0)
    agreeing = sum(named[v] if v in chosen else n - named[v] for v in values)
    return Aggregate(chosen, n, _share(agreeing, n * len(values)))


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4)
