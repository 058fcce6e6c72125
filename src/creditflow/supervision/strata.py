"""Strata (domain x grade x deciding rule): how many each draws, and who has the smallest keys.

Every subject of a stratum has the same decision, so the same sampling ratio (抽查比例) and
the same inspections a year. A stratum draws ``round(ratio x size)`` subjects, rounded as the
pack's ``inspection.rounding`` says, exactly (with fractions): the subjects with the smallest
keys (:mod:`creditflow.supervision.keys`).
"""

from __future__ import annotations

import hashlib
import math
from fractions import Fraction
from operator import itemgetter

import attrs

from creditflow._repr import shown
from creditflow.errors import InfeasiblePlan, InvalidInput
from creditflow.policy.model import Rounding
from creditflow.rules.decision import Decision, format_ratio
from creditflow.supervision.keys import subject_prefix

__all__ = ["Kept", "Stratum", "StratumDraw", "round_count", "stratum_name", "visits_per_year"]

MARGIN_SIGMAS = 8.0
"""How generous the running bound of :class:`StratumDraw` is, in standard deviations."""
_FIRST_CHECKPOINT = 1024
_KEEP_ALL = b"\xff" * 33  # greater than every 32-byte key
_KEY = itemgetter(0)  # the key of a kept subject: unique in its stratum


def round_count(ratio: Fraction, size: int, rounding: Rounding) -> int:
    """How many of ``size`` subjects a ratio draws: ``ceil``, ``floor`` or ``half_up``, exactly.

    ``half_up`` rounds a half away from zero: 2.5 -> 3.
    """
    if isinstance(ratio, bool) or not isinstance(ratio, Fraction | int) or not 0 <= ratio <= 1:
        raise InvalidInput(f"ratio must be a Fraction from 0 to 1, got {shown(ratio)}")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise InvalidInput(f"size must be an int >= 0, got {shown(size)}")
    exact = ratio * size
    if rounding == "ceil":
        return math.ceil(exact)
    if rounding == "floor":
        return math.floor(exact)
    if rounding == "half_up":
        return math.floor(exact + Fraction(1, 2))
    raise InvalidInput(f"rounding must be 'ceil', 'floor' or 'half_up', got {shown(rounding)}")


def stratum_name(decision: Decision) -> str:
    """``domain/grade/rule_id``, e.g. ``"road_transport/B/grade-b"``."""
    facts = decision.facts
    parts = (facts.domain, facts.grade, decision.rule_id)
    for part in parts:
        if "|" in part or "/" in part:
            raise InvalidInput(
                f"the name {shown(part)} of the policy cannot name a stratum: '|' or '/'"
            )
    return "/".join(parts)


def visits_per_year(decision: Decision) -> int:
    """How many times a year a drawn subject is inspected: ``max(min, 1)``, or 0 if ``max`` is 0.

    A ratio above zero with at most 0 inspections a year contradicts itself: InfeasiblePlan.
    """
    low, high = decision.inspections_per_year
    if high == 0:
        if decision.sampling_ratio > 0:
            raise InfeasiblePlan(
                f"rule {decision.rule_id} sets sampling ratio "
                f"{format_ratio(decision.sampling_ratio)} but at most 0 inspections a year",
                stratum=stratum_name(decision),
            )
        return 0
    return max(low, 1)


Kept = tuple[bytes, str, str, str, str]
"""A subject a stratum's draw keeps: key, subject id, kind value, name, region.

A plain tuple of bytes and strings: the garbage collector stops tracking such a tuple (not a
named tuple), so that a full collection need not visit every subject kept.
"""


@attrs.frozen
class Stratum:
    """One stratum of a plan: its decision and its counts.

    ``size`` counts the subjects that could be drawn, ``exempt`` the low-risk subjects left
    out because they were inspected this year, ``drawn`` the subjects drawn and ``visits`` the
    inspections each drawn subject gets in the plan's year.
    """

    name: str
    domain: str
    grade: str
    rule_id: str
    sampling_ratio: Fraction
    inspections_per_year: tuple[int, int | None]
    visits: int
    size: int
    exempt: int
    drawn: int


class StratumDraw:
    """The running draw of one stratum while the population streams past.

    It keeps every subject whose key is below a running bound (well above the share the
    ratio needs, :data:`MARGIN_SIGMAS` standard deviations more), so memory follows the number
    drawn, not the population. Only the k smallest keys are ever drawn, so the bound changes
    memory, never the result; :meth:`selected` says so when the bound kept too few (a chance
    under 2e-14 by a Chernoff bound), and the caller then keeps everything in a second pass.
    """

    __slots__ = (
        "bound",
        "checkpoint",
        "decision",
        "exempt",
        "kept",
        "low_risk",
        "name",
        "prefix",
        "size",
        "visits",
    )

    def __init__(
        self, decision: Decision, seed: str, year: int, low_risk: bool, keep_all: bool
    ) -> None:
        self.decision = decision
        self.name = stratum_name(decision)
        self.visits = visits_per_year(decision)
        self.prefix: hashlib._Hash = subject_prefix(seed, year, self.name)
        self.low_risk = low_risk
        self.size = 0
        self.exempt = 0
        self.kept: list[Kept] = []
        self.bound = _KEEP_ALL
        self.checkpoint = 0 if keep_all else _FIRST_CHECKPOINT

    def add(self, subject_id: str, kind: str, name: str, region: str) -> None:
        """Count a subject that may be drawn, and keep it if its key is below the bound.

        The pass over a CSV file's rows does the same inline (``selection._add_rows``): a
        change here is a change there."""
        self.size += 1
        state = self.prefix.copy()
        state.update(subject_id.encode())
        key = state.digest()
        if key < self.bound:
            self.kept.append((key, subject_id, kind, name, region))
        if self.size == self.checkpoint:
            self.shrink()

    def shrink(self) -> None:
        """At a checkpoint: lower the bound for the size seen so far and drop keys above it."""
        self.checkpoint *= 2
        bound = _bound(self.decision.sampling_ratio, self.size)
        if bound < self.bound:
            self.bound = bound
            self.kept = [item for item in self.kept if item[0] < bound]

    def count(self, rounding: Rounding) -> int:
        """How many subjects the stratum draws."""
        return round_count(self.decision.sampling_ratio, self.size, rounding) if self.visits else 0

    def selected(self, count: int) -> list[Kept] | None:
        """The ``count`` subjects with the smallest keys, smallest first; None if too few kept."""
        if len(self.kept) < count:
            return None
        return sorted(self.kept, key=_KEY)[:count]

    def summary(self, drawn: int) -> Stratum:
        """The frozen :class:`Stratum` of the plan."""
        d = self.decision
        return Stratum(
            name=self.name,
            domain=d.facts.domain,
            grade=d.facts.grade,
            rule_id=d.rule_id,
            sampling_ratio=d.sampling_ratio,
            inspections_per_year=d.inspections_per_year,
            visits=self.visits,
            size=self.size,
            exempt=self.exempt,
            drawn=drawn,
        )


def _bound(ratio: Fraction, size: int) -> bytes:
    """Keys below this are kept: ratio + z * sd + z^2 / size of the share, as a 32-byte key."""
    r = float(ratio)
    share = r + MARGIN_SIGMAS * math.sqrt(r * (1 - r) / size) + MARGIN_SIGMAS**2 / size
    if share >= 1:
        return _KEEP_ALL
    return int(max(share, 0.0) * 2**256).to_bytes(32, "big")
