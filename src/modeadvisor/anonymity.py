"""The anonymity floor: which groups of respondents may have their figures shown.

Surveys promise respondents that no one can tell what they answered. A group's ratings, means,
agreement, roles and trait answers are shown only when at least `min_respondents` (a pack
setting, raised per organisation) gave them, and only where no smaller group can be recovered
by subtraction: an organisation's figures minus those of its units shown leave the figures of
the respondents who named no unit (or a unit whose figures are withheld), so that remainder too
must be empty or at least the floor. Where it is not, the smallest of the groups subtracted is
withheld as well, until every remainder is safe (complementary suppression, as statistical
offices do for tables of counts).

Groups nest as a tree (each group's respondents include those of the groups below it), and
groups with the same parent do not overlap; the guard is applied to the respondents of a
group, and again to those who rated each mode (or gave each trait), since a mode rated by fewer
than the floor is as telling as a group of that size.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from typing import TypeVar

__all__ = ["shown_groups"]

Group = TypeVar("Group", bound=Hashable)


def shown_groups(
    sizes: Mapping[Group, int],
    parents: Mapping[Group, Group | None],
    floor: int,
    allowed: Collection[Group] | None = None,
) -> set[Group]:
    """The groups whose figures may be shown.

    `sizes[g]`: the respondents of group g (its subgroups' included); `parents[g]`: the group
    it is part of (None at the top); `allowed`: the groups that may be shown at all (those whose
    respondents' figures are shown, when the guard runs again for one mode). A group is shown
    when it has at least `floor` respondents and, for every group shown, its respondents minus
    those of the groups shown nearest below it are none or at least `floor`: no subtraction of
    figures shown exposes a smaller group.
    """
    shown = {
        group
        for group, size in sizes.items()
        if size >= floor and (allowed is None or group in allowed)
    }
    children: dict[Group, list[Group]] = {}
    for group, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(group)
    changed = True
    while changed:
        changed = False
        for group in sorted(shown, key=repr):  # a fixed order: the same groups every run
            if group not in shown:  # withheld earlier in this round
                continue
            below = _nearest_shown(group, children, shown)
            rest = sizes[group] - sum(sizes[g] for g in below)
            if 0 < rest < floor:
                smallest = min(below, key=lambda g: (sizes[g], repr(g)))
                shown.discard(smallest)  # its respondents join the remainder
                changed = True
    return shown


def _nearest_shown(
    group: Group, children: Mapping[Group, list[Group]], shown: set[Group]
) -> list[Group]:
    """The shown groups below `group` with no shown group between: those one subtracts."""
    found: list[Group] = []
    stack = list(children.get(group, ()))
    while stack:
        below = stack.pop()
        if below in shown:
            found.append(below)
        else:
            stack.extend(children.get(below, ()))
    return found
