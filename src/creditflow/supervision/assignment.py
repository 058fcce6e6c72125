"""Drawing the inspectors of each inspection: at random, with recusal (回避) and balanced loads.

Inspections are taken in plan order: by period; within a period, first the subjects some
inspector declared a conflict with (they have fewer candidates), then the others; each group
by subject key, then visit. For each inspection, the candidates are
the inspectors qualified for the subject's region and domain who declared no conflict with the
subject, in the order of their ids. With ``low`` the smallest load among them and ``t`` the
pack's ``load_tolerance``, a candidate's *tier* is ``max(0, load - low - t + 1)``: tier 0
holds every candidate whose load is below ``low + t``.

The inspection's number ``r`` is its key ``SHA-256(seed|period|domain|subject_id|visit)`` read
as a 256-bit big-endian integer. Inspectors are drawn tier by tier, lowest first: from the
``n`` candidates left in the tier (in id order), the one at index ``r mod n`` is drawn and
removed, and ``r`` becomes ``r // n``; until ``inspectors_per_inspection`` are drawn.

So the draw is uniform among the least loaded, and the balance rule holds at every draw: no
inspector is drawn while a candidate left out has ``max(t, 1)`` or more fewer inspections. Two
inspectors with the same qualification therefore end at most ``max(t, 1)`` apart, unless a
declared conflict kept one of them out of some draws: recusal (回避) comes before balance.
"""

from __future__ import annotations

from collections.abc import Sequence

from creditflow.supervision.entries import Inspector
from creditflow.supervision.keys import inspection_number

__all__ = ["Draw", "pick", "pick_by_load"]


class Draw:
    """The running state of the inspector draw: every inspector's load so far."""

    def __init__(self, inspectors: Sequence[Inspector], seed: str, tolerance: int) -> None:
        self.inspectors = inspectors
        self.loads = [0] * len(inspectors)
        self.seed = seed
        self.tolerance = tolerance

    def take(
        self,
        candidates: Sequence[int],
        count: int,
        period: str,
        domain: str,
        subject_id: str,
        visit: int,
    ) -> list[int]:
        """Draw ``count`` of ``candidates`` (indexes in id order) and add to their loads."""
        number = inspection_number(self.seed, period, domain, subject_id, visit)
        chosen = pick(candidates, self.loads, count, self.tolerance, number)
        for index in chosen:
            self.loads[index] += 1
        return chosen


def pick(
    candidates: Sequence[int], loads: Sequence[int], count: int, tolerance: int, number: int
) -> list[int]:
    """``count`` candidates, tier by tier, each at index ``number mod n`` of those left."""
    return pick_by_load(candidates, [loads[i] for i in candidates], count, tolerance, number)


def pick_by_load(
    candidates: Sequence[int], values: Sequence[int], count: int, tolerance: int, number: int
) -> list[int]:
    """:func:`pick` with the candidates' loads given: ``values[k]`` is ``candidates[k]``'s."""
    limit = min(values) + tolerance  # tier 0: loads below it; tier k > 0: loads limit + k - 1
    left = [i for i, load in zip(candidates, values, strict=True) if load < limit]
    chosen: list[int] = []
    while True:
        while left and len(chosen) < count:
            number, at = divmod(number, len(left))
            chosen.append(left.pop(at))
        if len(chosen) == count or limit > max(values):
            return chosen
        left = [i for i, load in zip(candidates, values, strict=True) if load == limit]
        limit += 1
