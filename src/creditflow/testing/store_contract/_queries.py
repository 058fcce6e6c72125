"""The contract of reads: events and cases, their filters and order, rebuilds, closing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from creditflow.book.rows import ClosedRows
from creditflow.book.store import EventStore
from creditflow.errors import InvalidInput
from creditflow.testing.store_contract._base import ContractBase
from creditflow.testing.store_contract._kit import (
    case_row,
    fire,
    new_event,
    snapshot,
)

__all__ = ["QueryContract"]

_REPLACEMENTS = [
    pytest.param([case_row("C1", 2)], "'C2' has events in the book but no row", id="missing"),
    pytest.param([case_row("C1", 1), case_row("C2", 1)], "must be 2", id="stale version"),
    pytest.param([case_row("C1", 2), case_row("C2", 1), case_row("C3", 1)],
                 "'C3' has no events", id="no events"),
    pytest.param([case_row("C1", 2), case_row("C1", 2), case_row("C2", 1)],
                 "has a row already", id="twice"),
]  # fmt: skip


class QueryContract(ContractBase):
    """Reading: ``events`` and ``cases`` (filters, order), ``replace_cases``, ``close``."""

    # -- queries and ordering ------------------------------------------------------------------

    def test_events_of_one_case_and_after_a_seq(self, store: EventStore) -> None:
        fire(store, "C1")
        fire(store, "C2", 2)
        fire(store, "C1")
        assert [e.seq for e in store.events(case_id="C1")] == [1, 4]
        assert [e.seq for e in store.events(case_id="C2", after=2)] == [3]
        assert [e.seq for e in store.events(after=2)] == [3, 4]
        assert list(store.events(after=4)) == []
        assert list(store.events(case_id="C9")) == []

    def test_events_stop_at_the_head_of_when_the_iteration_started(self, store: EventStore) -> None:
        fire(store, "C1", 2)
        iterator = store.events()
        assert next(iterator).seq == 1
        fire(store, "C1")
        assert [e.seq for e in iterator] == [2]
        assert [e.seq for e in store.events(case_id="C1", after=1)] == [2, 3]

    def test_many_events_and_cases_come_in_order(self, store: EventStore) -> None:
        ids = [f"C{n:03}" for n in range(120)]
        for start in range(0, 120, 40):
            chosen = ids[start : start + 40][::-1]  # appended out of id order
            store.append(
                [new_event(case_id, 1) for case_id in chosen],
                [case_row(case_id, 1) for case_id in chosen],
                expected=dict.fromkeys(chosen, 0),
            )
        fire(store, "C007", 2)
        assert [e.seq for e in store.events()] == list(range(1, 123))
        assert [e.seq for e in store.events(after=100)] == list(range(101, 123))
        assert [e.version for e in store.events(case_id="C007")] == [1, 2, 3]
        assert [row.case_id for row in store.cases()] == ids
        assert store.verify().events == 122

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            (lambda s: s.events(after=-1), "after=-1 must be an int in 0..9223372036854775807"),
            (lambda s: s.events(after=2**64), "must be an int in 0..9223372036854775807"),
            (lambda s: s.events(after="1"), "after='1' must be an int"),
            (lambda s: s.events(case_id=""), "case_id must not be empty"),
            (lambda s: s.cases(subject_id=""), "subject_id must not be empty"),
            (lambda s: s.cases(machine=3), "machine must be a str or None"),
            (lambda s: s.cases(open_only="x"), "open_only must be True or False"),
        ],
        ids=["after<0", "after>int64", "after-str", "case_id", "subject_id", "machine", "open"],
    )
    def test_a_bad_filter_is_invalid_input(
        self, store: EventStore, query: Callable[[EventStore], Iterator[Any]], message: str
    ) -> None:
        fire(store, "C1")
        with pytest.raises(InvalidInput, match=re.escape(message)):
            list(query(store))

    def test_cases_filter_by_subject_machine_and_open_state(self, store: EventStore) -> None:
        fire(store, "L2", subject="S1", machine="listing")
        fire(store, "C1", subject="S1", machine="commitment", closed=True)
        fire(store, "C3", subject="S2", machine="commitment")
        fire(store, "L1", subject="S2", machine="listing", closed=True)

        def ids(**filters: Any) -> list[str]:
            return [row.case_id for row in store.cases(**filters)]

        assert ids() == ["C1", "C3", "L1", "L2"]
        assert ids(subject_id="S1") == ["C1", "L2"]
        assert ids(machine="listing") == ["L1", "L2"]
        assert ids(open_only=True) == ["C3", "L2"]
        assert ids(subject_id="S2", machine="commitment", open_only=True) == ["C3"]
        assert ids(subject_id="S9") == []
        assert store.has_cases("S1")
        assert store.has_cases("S2")
        assert not store.has_cases("S9")

    def test_open_or_keeps_open_rows_and_only_the_closed_rows_it_names(
        self, store: EventStore
    ) -> None:
        on = dt.date(2026, 3, 10)
        early = dt.date(2026, 1, 1)
        fire(store, "A-open", last_on=early)
        fire(store, "B-closed-before", closed=True, last_on=dt.date(2026, 3, 9))
        fire(store, "C-closed-on", closed=True, last_on=on)
        fire(store, "D-closed-after", closed=True, last_on=dt.date(2026, 3, 11))
        fire(store, "E-kept-machine", machine="listing", closed=True, last_on=early)
        fire(store, "F-kept-state", state="breached", closed=True, last_on=early)
        fire(store, "G-other-subject", subject="S9", last_on=early)
        fire(store, "H-open-listing", machine="listing", last_on=early)

        def ids(open_or: ClosedRows, **filters: Any) -> list[str]:
            rows = store.cases(subject_id="S1", open_or=open_or, **filters)
            return [row.case_id for row in rows]

        named = ClosedRows(
            after=on, machines=frozenset({"listing"}), states=frozenset({"breached"})
        )
        assert ids(ClosedRows(after=on)) == ["A-open", "D-closed-after", "H-open-listing"]
        assert ids(named) == [
            "A-open", "D-closed-after", "E-kept-machine", "F-kept-state", "H-open-listing",
        ]  # fmt: skip
        assert ids(named, machine="listing") == ["E-kept-machine", "H-open-listing"]

    # -- replace_cases -------------------------------------------------------------------------

    def test_replace_cases_swaps_every_projection(self, store: EventStore) -> None:
        fire(store, "C1", 2)
        fire(store, "C2")
        rebuilt = [case_row("C1", 2, subject="S7"), case_row("C2", 1, closed=True)]
        store.replace_cases(rebuilt)
        assert list(store.cases()) == rebuilt

    @pytest.mark.parametrize(("rows", "message"), _REPLACEMENTS)
    def test_replace_cases_refuses_rows_that_do_not_match_the_events(
        self, store: EventStore, rows: Any, message: str
    ) -> None:
        fire(store, "C1", 2)
        fire(store, "C2")
        before = snapshot(store)
        with pytest.raises(InvalidInput, match=message):
            store.replace_cases(rows)
        assert snapshot(store) == before

    # -- closing -------------------------------------------------------------------------------

    def test_close_is_idempotent_and_a_closed_store_refuses_calls(self, store: EventStore) -> None:
        fire(store, "C1")
        store.close()
        store.close()
        with pytest.raises(InvalidInput, match="closed"):
            store.head()
        with pytest.raises(InvalidInput, match="closed"):
            fire(store, "C1")
        with pytest.raises(InvalidInput, match="closed"):
            list(store.events())
