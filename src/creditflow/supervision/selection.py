"""One pass over the population: decide, stratify, check, and keep the subjects that may be drawn.

The pass reads each entry once and keeps, per stratum, only the keys that can still be among
the smallest (see :class:`~creditflow.supervision.strata.StratumDraw`); memory follows the
number of subjects drawn plus one set of ids per domain (to refuse duplicates).
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from creditflow.core.facts import Facts
from creditflow.errors import InvalidInput, UnknownName
from creditflow.rules.engine import Engine
from creditflow.supervision.entries import PopulationEntry, check_entry, check_token, row_error
from creditflow.supervision.strata import StratumDraw, stratum_name

__all__ = ["Selection", "select"]

_BY_ID = 4096  # Facts objects remembered by id
_FIELDS = {"domain": "domain", "grade": "grade", "list kind": "lists", "flag": "flags"}

# What an entry's facts lead to: its stratum, the ids seen in its domain (a dict of str to None,
# which, unlike a set, the garbage collector leaves untracked: a full collection would otherwise
# visit a million strings), and the first entry of each region of its domain.
_Slot = tuple[StratumDraw, dict[str, None], dict[str, PopulationEntry]]


@attrs.define
class Selection:
    """What the pass found: the entries read, the strata, the regions of each domain with their
    first entry, and the entries whose subject some inspector declared a conflict with."""

    size: int
    draws: list[StratumDraw]
    regions: dict[str, dict[str, PopulationEntry]]
    conflicted: list[PopulationEntry]


class _Strata:
    """The strata met so far, made on first sight of each combination of facts."""

    def __init__(self, engine: Engine, seed: str, year: int, keep_all: frozenset[str]) -> None:
        self._engine = engine
        self._seed = seed
        self._year = year
        self._keep_all = keep_all
        self._low_risk = engine.policy.inspection.low_risk_ratio
        self.slots: dict[Facts, _Slot] = {}
        # The same slots by id() of the Facts objects met (a reader shares one per combination):
        # a lookup that needs no Facts.__hash__ call. Each value holds its Facts, so no id is
        # reused while the dict lives.
        self.by_id: dict[int, tuple[Facts, _Slot]] = {}
        self.by_name: dict[str, StratumDraw] = {}
        self.regions: dict[str, dict[str, PopulationEntry]] = {}
        self.ids: dict[str, dict[str, None]] = {}

    def slot(self, entry: PopulationEntry) -> _Slot:
        """The slot of the entry's facts (remembered by id); unknown names raise naming the row."""
        slot = self.slots.get(entry.facts) or self._new_slot(entry)
        if len(self.by_id) < _BY_ID:
            self.by_id[id(entry.facts)] = (entry.facts, slot)
        return slot

    def _new_slot(self, entry: PopulationEntry) -> _Slot:
        try:
            decision = self._engine.decide(entry.facts)
        except UnknownName as error:
            raise row_error(entry, str(error), _FIELDS.get(error.kind)) from None
        name = stratum_name(decision)
        draw = self.by_name.get(name)
        if draw is None:
            low = self._low_risk is not None and decision.sampling_ratio <= self._low_risk.value
            keep_all = name in self._keep_all
            draw = StratumDraw(decision, self._seed, self._year, low, keep_all=keep_all)
            self.by_name[name] = draw
        domain = entry.facts.domain
        slot = (draw, self.ids.setdefault(domain, {}), self.regions.setdefault(domain, {}))
        self.slots[entry.facts] = slot
        return slot


def _region(entry: PopulationEntry) -> str:
    try:
        return check_token(entry.region, "region")
    except InvalidInput as error:
        raise row_error(entry, str(error), "region") from None


def select(
    population: Iterable[PopulationEntry],
    engine: Engine,
    seed: str,
    year: int,
    conflicted_ids: frozenset[str],
    keep_all: frozenset[str] = frozenset(),
) -> Selection:
    """Read the population once, checking every entry; refuse a duplicate subject in a domain.

    Low-risk subjects (ratio at or below the pack's ``low_risk_ratio``) last inspected in
    ``year`` are counted as exempt and not drawn. ``keep_all`` names strata whose every
    subject is kept (the second pass after a shortfall).
    """
    strata = _Strata(engine, seed, year, keep_all)
    by_id = strata.by_id
    conflicted: list[PopulationEntry] = []
    size = 0
    for entry in population:
        size += 1
        check_entry(entry)
        known = by_id.get(id(entry.facts))
        draw, seen, regions = known[1] if known is not None else strata.slot(entry)
        subject_id = entry.subject_id
        if subject_id in seen:
            domain = entry.facts.domain
            reason = f"duplicate subject id {subject_id}: it is already in domain {domain}"
            raise row_error(entry, reason, "subject_id")
        seen[subject_id] = None
        if entry.region not in regions:
            regions[_region(entry)] = entry
        if subject_id in conflicted_ids:
            conflicted.append(entry)
        last = entry.last_inspected
        if draw.low_risk and last is not None and last.year == year:
            draw.exempt += 1
            continue
        draw.size += 1
        state = draw.prefix.copy()
        state.update(subject_id.encode())
        key = state.digest()
        if key < draw.bound:
            draw.kept.append((key, subject_id, entry.kind.value, entry.name, entry.region))
        if draw.size == draw.checkpoint:
            draw.shrink()
    return Selection(size, list(strata.by_name.values()), strata.regions, conflicted)
