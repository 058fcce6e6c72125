"""One pass over the population: decide, stratify, check, and keep the subjects that may be drawn.

The pass reads each entry once and keeps, per stratum, only the keys that can still be among
the smallest (see :class:`~creditflow.supervision.strata.StratumDraw`); memory follows the
number of subjects drawn plus one set of ids per domain (to refuse duplicates).

From a CSV file (:func:`~creditflow.supervision.read_population`) the pass reads the rows
itself: a row like those before it is checked, counted and hashed without an entry being made
of it; any other row is made an entry and goes the way of every entry, which names the row
and field at fault. A test holds the two ways to the same plans and the same errors.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

import attrs

from creditflow.core.facts import Facts
from creditflow.core.identifiers import are_valid_usccs
from creditflow.core.subjects import SubjectKind
from creditflow.errors import InvalidInput, InvalidRow, UnknownName
from creditflow.rules.engine import Engine
from creditflow.supervision.entries import PopulationEntry, check_entry, check_token, row_error
from creditflow.supervision.ids import FAST_CHECKS, check_subject_id
from creditflow.supervision.readers import PopulationFile, PopulationRows
from creditflow.supervision.strata import StratumDraw, stratum_name

__all__ = ["Selection", "select"]

_BY_ID = 4096  # Facts objects remembered by id
_FIELDS = {"domain": "domain", "grade": "grade", "list kind": "lists", "flag": "flags"}

# What an entry's facts lead to: its stratum, the ids seen in its domain (a set: adding to it
# costs half what a dict does, more than a full collection walking it saves), and the first
# entry of each region of its domain.
_Slot = tuple[StratumDraw, set[str], dict[str, PopulationEntry]]


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
        self.ids: dict[str, set[str]] = {}

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
        slot = (draw, self.ids.setdefault(domain, set()), self.regions.setdefault(domain, {}))
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
    state = _Pass(_Strata(engine, seed, year, keep_all), year, conflicted_ids)
    rows = population.rows() if isinstance(population, PopulationFile) else None
    with rows or contextlib.nullcontext() as table:
        if table is not None:
            _add_rows(state, table)
        else:
            add = state.add
            for entry in population:
                add(entry)
    strata = state.strata
    return Selection(state.size, list(strata.by_name.values()), strata.regions, state.conflicted)


class _Pass:
    """The state of the pass: the strata, the entries read, the entries with a conflict."""

    def __init__(self, strata: _Strata, year: int, conflicted_ids: frozenset[str]) -> None:
        self.strata = strata
        self.year = year
        self.conflicted_ids = conflicted_ids
        self.conflicted: list[PopulationEntry] = []
        self.size = 0

    def add(self, entry: PopulationEntry) -> _Slot:
        """Check the entry, count it and hash it into its stratum; its slot."""
        self.size += 1
        check_entry(entry)
        known = self.strata.by_id.get(id(entry.facts))
        slot = known[1] if known is not None else self.strata.slot(entry)
        draw, seen, regions = slot
        subject_id = entry.subject_id
        if subject_id in seen:
            domain = entry.facts.domain
            reason = f"duplicate subject id {subject_id}: it is already in domain {domain}"
            raise row_error(entry, reason, "subject_id")
        seen.add(subject_id)
        if entry.region not in regions:
            regions[_region(entry)] = entry
        if subject_id in self.conflicted_ids:
            self.conflicted.append(entry)
        last = entry.last_inspected
        if draw.low_risk and last is not None and last.year == self.year:
            draw.exempt += 1
        else:
            draw.add(subject_id, entry.kind.value, entry.name, entry.region)
        return slot


def _add_rows(state: _Pass, rows: PopulationRows) -> None:
    """The pass over the rows of a CSV file, as :meth:`_Pass.add` of each row's entry would go.

    A row like those already read (its kind known, its domain, grade, lists and flags met
    together, its region met in its domain, its date read) with a valid id, a name, and no
    duplicate or conflict is checked, counted and hashed here, without making its entry. Any
    other row goes through :meth:`_Pass.add` as its entry, which checks it field by field and
    names the row at fault; after it, the rows like it take the way here. The codes of
    enterprises taken here are checked a batch at a time (:class:`_Codes`).
    """
    slots: dict[tuple[str, str, str, str], _Slot] = {}
    checks, days, year = FAST_CHECKS, rows.days, state.year
    conflicted_ids = state.conflicted_ids
    reader, values, width = rows.reader, rows.values, rows.width
    codes = _Codes(rows.name)
    later, pending, batch = _Codes.CHECK, codes.codes, _Codes.BATCH
    add_code, add_line = pending.append, codes.lines.append
    size = 0
    try:
        for row in reader:
            if len(row) == width:
                subject_id, kind, name, region, domain, grade, lists, flags, last = values(row)
                slot = slots.get((domain, grade, lists, flags))
                check = checks.get(kind)
                if (
                    slot is not None
                    and check is not None
                    and (check is later or check(subject_id))
                    and "|" not in subject_id
                    and name.strip()
                    and (not last or last in days)
                    and region in slot[2]
                    and subject_id not in slot[1]
                    and subject_id not in conflicted_ids
                ):
                    if check is later:
                        add_code(subject_id)
                        add_line(reader.line_num)
                        if len(pending) == batch:
                            codes.check()
                    draw = slot[0]
                    slot[1].add(subject_id)
                    size += 1
                    if last and draw.low_risk and days[last].year == year:
                        draw.exempt += 1
                    else:
                        draw.add(subject_id, kind, name, region)
                    continue
            codes.check()
            entry = rows.entry(row)
            if entry is not None:
                slot = state.add(entry)
                _, _, _, _, domain, grade, lists, flags, _ = values(row)
                slots[domain, grade, lists, flags] = slot
    except Exception:
        codes.check()  # a bad code before the row at fault is named first
        raise
    codes.check()
    state.size += size


class _Codes:
    """The codes of enterprises taken the fast way and not checked yet, with their lines.

    :func:`~creditflow.core.identifiers.are_valid_usccs` checks them :data:`BATCH` at a time,
    and before any other row is made an entry, any error raised, and the end: so a bad code
    is named with its row before anything that comes after it, as one by one.
    """

    BATCH = 4096
    CHECK = FAST_CHECKS[SubjectKind.ENTERPRISE.value]  # the one-by-one check left for later

    def __init__(self, name: str) -> None:
        self.name = name
        self.codes: list[str] = []
        self.lines: list[int] = []

    def check(self) -> None:
        """Raise InvalidRow for the first bad code, as the check of its entry would; clear."""
        if self.codes and not are_valid_usccs(self.codes):
            for code, line in zip(self.codes, self.lines, strict=True):
                try:
                    check_subject_id(SubjectKind.ENTERPRISE, code)
                except InvalidInput as error:
                    raise InvalidRow(self.name, line, str(error), field="subject_id") from None
        self.codes.clear()
        self.lines.clear()
