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
import csv
import datetime as dt
from collections.abc import Iterable

import attrs

from creditflow.core.facts import Facts
from creditflow.core.subjects import SubjectKind
from creditflow.errors import InvalidInput, InvalidRow, UnknownName
from creditflow.rules.decision import Decision
from creditflow.rules.engine import Engine
from creditflow.supervision.entries import PopulationEntry, check_entry, check_token, row_error
from creditflow.supervision.ids import BULK_CHECKS, FAST_CHECKS, check_subject_id
from creditflow.supervision.readers import PopulationFile, PopulationFiles, PopulationRows
from creditflow.supervision.strata import StratumDraw, stratum_name

__all__ = ["Selection", "new_draw", "select"]

_BY_ID = 4096  # Facts objects remembered by id
_FIELDS = {"domain": "domain", "grade": "grade", "list kind": "lists", "flag": "flags"}

# What an entry's facts lead to: its stratum, the ids seen in its domain (a set: adding to it
# costs half what a dict does, more than a full collection walking it saves), and the first
# entry of each region of its domain.
_Slot = tuple[StratumDraw, set[str], dict[str, PopulationEntry]]


@attrs.define
class Selection:
    """What the pass found: the entries read, the strata, the regions of each domain with their
    first entry, the entries whose subject some inspector declared a conflict with, and the
    subject ids read in each domain."""

    size: int
    draws: list[StratumDraw]
    regions: dict[str, dict[str, PopulationEntry]]
    conflicted: list[PopulationEntry]
    ids: dict[str, set[str]] = attrs.field(factory=dict)


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
            draw = new_draw(self._engine, decision, self._seed, self._year, self._keep_all)
            self.by_name[name] = draw
        domain = entry.facts.domain
        slot = (draw, self.ids.setdefault(domain, set()), self.regions.setdefault(domain, {}))
        self.slots[entry.facts] = slot
        return slot


def new_draw(
    engine: Engine, decision: Decision, seed: str, year: int, keep_all: frozenset[str]
) -> StratumDraw:
    """The empty draw of the decision's stratum: low risk if its ratio is at or below the
    pack's ``low_risk_ratio``; keeping every key if its name is in ``keep_all``."""
    low_risk = engine.policy.inspection.low_risk_ratio
    low = low_risk is not None and decision.sampling_ratio <= low_risk.value
    keep = stratum_name(decision) in keep_all
    return StratumDraw(decision, seed, year, low, keep_all=keep)


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
    parts = population.parts() if isinstance(population, PopulationFiles) else (population,)
    for part in parts:
        _add_part(state, part)
    strata = state.strata
    return Selection(
        state.size, list(strata.by_name.values()), strata.regions, state.conflicted, strata.ids
    )


def _add_part(state: _Pass, population: Iterable[PopulationEntry]) -> None:
    """The pass over one population: a CSV file's rows read here, else its entries."""
    rows = population.rows() if isinstance(population, PopulationFile) else None
    with rows or contextlib.nullcontext() as table:
        if table is not None:
            _add_rows(state, table)
        else:
            add = state.add
            for entry in population:
                add(entry)


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
    """The pass over the lines of a CSV file, as :meth:`_Pass.add` of each row's entry would go.

    A line without quotes, split at its commas, is the row the ``csv`` module reads. A row
    like those already read (its kind known, its domain, grade, lists and flags met together,
    its region met in its domain, its date read) with a name and no duplicate is counted and
    hashed here, without making its entry (but for a subject some inspector declared a
    conflict with: its entry is kept for the check of the pools); its id is checked later,
    with others of its kind (:class:`_Ids`). Any other row is read by the ``csv`` module
    and goes through :meth:`_Pass.add` as its entry, which checks it field by field and
    names the row at fault; after it, the rows like it take the way here.
    """
    slots: dict[tuple[str, str, str, str], _Slot] = {}
    year, conflicted_ids = state.year, state.conflicted_ids
    width, in_order, values = rows.width, rows.in_order, rows.values
    days = _Days(rows.days, year)
    pending = _Ids(rows.name)
    adders, batch = pending.adders, _Ids.BATCH
    left = batch
    size = 0
    number = rows.line
    longest = csv.field_size_limit()  # a longer field is not valid CSV: the csv module says so
    try:
        for text in rows.lines:
            number += 1
            if (
                '"' not in text
                and len(text) <= longest
                and ("\r" not in text or _ends_in_cr(text))
                and len(row := text.split(",")) == width
            ):
                if in_order:  # the last value ends with the line: the dates say where
                    subject_id, kind, name, region, domain, grade, lists, flags, last = row
                else:
                    row[-1] = row[-1].rstrip("\r\n")
                    subject_id, kind, name, region, domain, grade, lists, flags, last = values(row)
                slot = slots.get((domain, grade, lists, flags))
                add = adders.get(kind)
                this_year = days.this_year.get(last)
                if (
                    slot is not None
                    and add is not None
                    and this_year is not None
                    and "|" not in subject_id
                    and name.strip()
                    and region in slot[2]
                    and subject_id not in slot[1]
                ):
                    add_id, add_line = add
                    add_id(subject_id)
                    add_line(number)
                    left -= 1
                    if not left:
                        pending.check()
                        left = batch
                    draw = slot[0]
                    slot[1].add(subject_id)
                    size += 1
                    if this_year and draw.low_risk:
                        draw.exempt += 1
                    else:  # draw.add, inlined: the loop's one call a row
                        key = draw.prefix.copy()
                        key.update(subject_id.encode())
                        if (digest := key.digest()) < draw.bound:
                            draw.kept.append((digest, subject_id, kind, name, region))
                        draw.size += 1
                        if draw.size == draw.checkpoint:
                            draw.shrink()
                    if subject_id in conflicted_ids:
                        _add_conflicted(state, rows, row, number)
                    continue
            row, number = rows.parse(text, number)
            entry = rows.entry(row, number)
            if entry is not None:
                slot = state.add(entry)
                _, _, _, _, domain, grade, lists, flags, _ = values(row)
                slots[domain, grade, lists, flags] = slot
                days.update()
    except Exception:
        pending.check()  # a bad id before the row at fault is named first
        raise
    pending.check()
    state.size += size


def _add_conflicted(state: _Pass, rows: PopulationRows, row: list[str], line: int) -> None:
    """Keep the entry of a row whose subject some inspector declared a conflict with, as
    :meth:`_Pass.add` does: the pools are checked for it once the pass is over. ``row`` is
    the line split at its commas, as the ``csv`` module reads it but for the line's end."""
    row[-1] = row[-1].rstrip("\r\n")
    entry = rows.entry(row, line)
    assert entry is not None  # the row was read: it is not blank
    state.conflicted.append(entry)


def _ends_in_cr(text: str) -> bool:
    """Whether the only carriage return of a line is its end (``\\r`` or ``\\r\\n``)."""
    at = text.find("\r")
    return at == len(text) - 1 or (at == len(text) - 2 and text[-1] == "\n")


class _Days:
    """For each ``last_inspected`` value read so far, also with the end of its line (a line's
    last value): whether its date is in the plan's year. An empty value is read: false."""

    ENDS = ("", "\n", "\r\n", "\r")

    def __init__(self, days: dict[str, dt.date], year: int) -> None:
        self.days = days
        self.year = year
        self.this_year: dict[str, bool] = {}
        self.known = -1
        self.update()

    def update(self) -> None:
        """Take the dates read since the last time."""
        if len(self.days) == self.known:
            return
        self.known = len(self.days)
        dates = [("", False), *((text, day.year == self.year) for text, day in self.days.items())]
        self.this_year = {text + end: flag for text, flag in dates for end in self.ENDS}


class _Ids:
    """The ids taken the fast way and not checked yet, by kind, with their lines.

    :data:`~creditflow.supervision.ids.BULK_CHECKS` checks them (:data:`BATCH` at a time at
    most), before any error is raised and at the end: so a bad id is named with its row
    before any fault that comes after it, as one by one.
    """

    BATCH = 4096

    def __init__(self, name: str) -> None:
        self.name = name
        self.ids: dict[str, tuple[list[str], list[int]]] = {k: ([], []) for k in BULK_CHECKS}
        # By kind value: add an id, add its line.
        self.adders = {kind: (ids.append, lines.append) for kind, (ids, lines) in self.ids.items()}

    def check(self) -> None:
        """Raise InvalidRow for the first bad id, as the check of its entry would; clear."""
        first: tuple[int, str, str] | None = None
        for kind, (ids, lines) in self.ids.items():
            if ids and not BULK_CHECKS[kind](ids):
                for subject_id, line in zip(ids, lines, strict=True):
                    if not FAST_CHECKS[kind](subject_id):
                        first = min(first or (line, kind, subject_id), (line, kind, subject_id))
                        break
            ids.clear()
            lines.clear()
        if first is not None:
            line, kind, subject_id = first
            try:
                check_subject_id(SubjectKind(kind), subject_id)
            except InvalidInput as error:
                raise InvalidRow(self.name, line, str(error), field="subject_id") from None
