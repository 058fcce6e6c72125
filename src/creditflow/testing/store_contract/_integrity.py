"""The contract of integrity: ``verify`` finds what was changed behind the store."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from creditflow.book.encoding import GENESIS, canonical_json
from creditflow.book.store import EventStore
from creditflow.testing.store_contract._base import ContractBase
from creditflow.testing.store_contract._kit import (
    Tamper,
    book_of_five,
    case_row,
    fire,
    new_event,
    row_digest,
)

__all__ = ["IntegrityContract"]

_EVENT_EDITS = [
    ("actor", "someone-else"), ("on_date", "2026-05-31"), ("case_id", "C2"), ("event", "x"),
    ("recorded_at", "2026-06-01T08:30:16.123457+00:00"), ("idempotency_key", "k"),
]  # fmt: skip

_CASE_EDITS = [
    ("state", "removed"), ("closed", 1), ("body", '{"forged":true}'), ("subject_id", "S9"),
    ("last_on", "2027-01-01"), ("machine", "record"), ("kind", "k2"),
]  # fmt: skip


class IntegrityContract(ContractBase):
    """Verifying: the chain, the projections and anchors, against rows changed by ``tamper``."""

    # -- verify: the chain ---------------------------------------------------------------------

    def test_verify_reports_the_head_of_a_whole_chain(self, store: EventStore) -> None:
        book_of_five(store)
        report = store.verify()
        assert (report.ok, report.events, report.head) == (True, 5, store.head()[1])
        assert (report.broken_at, report.reason) == (None, None)

    def test_verify_finds_data_rewritten_to_equal_json(
        self, store: EventStore, tamper: Tamper
    ) -> None:
        book_of_five(store)
        original = list(store.events())[2]
        tamper.update(3, data=" " + canonical_json(original.data))
        assert next(store.events(after=2)) == original
        report = store.verify()
        assert (report.ok, report.broken_at) == (False, 3)

    def test_verify_finds_changed_data(self, store: EventStore, tamper: Tamper) -> None:
        book_of_five(store)
        tamper.update(3, data='{"n":1,"note":"forged"}')
        report = store.verify()
        assert (report.ok, report.broken_at, report.events) == (False, 3, 2)
        assert report.reason is not None
        assert "hash does not match" in report.reason
        assert report.head == list(store.events())[1].hash

    @pytest.mark.parametrize(("column", "value"), _EVENT_EDITS)
    def test_verify_finds_any_changed_field(
        self, store: EventStore, tamper: Tamper, column: str, value: str
    ) -> None:
        book_of_five(store)
        tamper.update(4, **{column: value})
        report = store.verify()
        assert (report.ok, report.broken_at) == (False, 4)

    def test_verify_finds_a_deleted_event(self, store: EventStore, tamper: Tamper) -> None:
        book_of_five(store)
        tamper.delete(2)
        report = store.verify()
        assert (report.ok, report.broken_at, report.events) == (False, 2, 1)
        assert report.reason == "event 2 is missing (the next is 3)"

    def test_verify_finds_a_rewritten_hash_at_the_next_link(
        self, store: EventStore, tamper: Tamper
    ) -> None:
        book_of_five(store)
        forged = attrs.evolve(list(store.events())[2], data={"forged": True})
        tamper.update(3, data='{"forged":true}', hash=forged.computed_hash())
        report = store.verify()
        assert (report.ok, report.broken_at) == (False, 4)
        assert report.reason is not None
        assert "is not the hash of event 3" in report.reason

    def test_verify_finds_a_version_jump(self, store: EventStore, tamper: Tamper) -> None:
        book_of_five(store)
        event = attrs.evolve(list(store.events())[3], version=4)  # C1: 1, 2, 3 -> 1, 2, 4
        event = attrs.evolve(event, hash=event.computed_hash())
        tamper.update(4, version=4, hash=event.hash)
        tamper.update(5, prev_hash=event.hash)
        report = store.verify()
        assert (report.ok, report.broken_at) == (False, 4)
        assert report.reason == "case 'C1' goes from version 2 to 4"

    @pytest.mark.parametrize(
        ("column", "value"), [("on_date", "the first of June"), ("data", "{not json")]
    )
    def test_verify_reports_an_unreadable_event(
        self, store: EventStore, tamper: Tamper, column: str, value: str
    ) -> None:
        book_of_five(store)
        tamper.update(5, **{column: value})
        report = store.verify()
        assert (report.ok, report.broken_at, report.events) == (False, 5, 4)
        assert report.reason is not None
        assert report.reason.startswith("the event cannot be read")

    # -- verify: projections and anchors -------------------------------------------------------

    def test_each_event_records_the_projection_it_produced(self, store: EventStore) -> None:
        """The last event of a case in an append carries its row's digest; earlier ones None."""
        events = [new_event("C1", 1), new_event("C2", 1), new_event("C1", 2)]
        stored = store.append(
            events, [case_row("C1", 2), case_row("C2", 1)], expected={"C1": 0, "C2": 0}
        )
        digests = {row.case_id: row_digest(row) for row in store.cases()}
        assert [e.projection for e in stored] == [None, digests["C2"], digests["C1"]]
        assert [e.projection for e in store.events()] == [None, digests["C2"], digests["C1"]]
        assert store.verify().projections == 2

    @pytest.mark.parametrize(("column", "value"), _CASE_EDITS)
    def test_verify_finds_an_edited_projection(
        self, store: EventStore, tamper: Tamper, column: str, value: Any
    ) -> None:
        book_of_five(store)
        tamper.update_case("C1", **{column: value})
        report = store.verify()
        assert (report.ok, report.case_id, report.broken_at, report.events) == (
            False, "C1", None, 5,
        )  # fmt: skip
        assert report.reason is not None
        assert "not the one event 4 recorded" in report.reason

    def test_verify_finds_a_deleted_projection(self, store: EventStore, tamper: Tamper) -> None:
        book_of_five(store)
        tamper.delete_case("C2")
        report = store.verify()
        assert (report.ok, report.case_id) == (False, "C2")
        assert report.reason == "case 'C2' has events (the last is 5) but no projection"

    def test_verify_finds_a_projection_without_events(
        self, store: EventStore, tamper: Tamper
    ) -> None:
        book_of_five(store)
        tamper.copy_case("C1", "C0")
        report = store.verify()
        assert (report.ok, report.case_id) == (False, "C0")
        assert report.reason == "case 'C0' has a projection but no events"

    def test_verify_finds_a_truncated_tail_by_its_projections(
        self, store: EventStore, tamper: Tamper
    ) -> None:
        book_of_five(store)
        tamper.truncate(after=3)
        report = store.verify()
        assert (report.ok, report.case_id, report.events) == (False, "C1", 3)
        assert report.reason == (
            "the projection of case 'C1' is at version 3, but its last event (seq 2) makes "
            "version 2"
        )

    def test_an_anchor_holds_while_its_event_is_unchanged(self, store: EventStore) -> None:
        fire(store, "C1")
        anchor = store.head()
        book_of_five(store)
        report = store.verify(anchors={anchor[0]: anchor[1], 0: GENESIS})
        assert (report.ok, report.anchors) == (True, 2)

    def test_an_anchor_beyond_the_head_is_a_removed_tail(
        self, store: EventStore, tamper: Tamper
    ) -> None:
        book_of_five(store)
        seq, head = store.head()
        tamper.truncate(after=4)
        tamper.update_case("C2", version=1)  # even with a projection made to match ...
        report = store.verify(anchors={seq: head})
        assert (report.ok, report.broken_at) == (False, 5)
        assert report.reason is not None
        assert "lies beyond the head (event 4)" in report.reason

    def test_an_anchor_finds_a_rewritten_history(self, store: EventStore, tamper: Tamper) -> None:
        """Every hash recomputed after a change: the chain is whole, the anchor is not."""
        book_of_five(store)
        seq, head = store.head()
        events = list(store.events())
        prev = events[1].hash
        for event in events[2:]:
            forged = attrs.evolve(event, actor="forger", prev_hash=prev)
            forged = attrs.evolve(forged, hash=forged.computed_hash())
            tamper.update(event.seq, actor="forger", prev_hash=prev, hash=forged.hash)
            prev = forged.hash
        assert store.verify().ok
        report = store.verify(anchors={seq: head})
        assert (report.ok, report.broken_at) == (False, 5)
        assert report.reason is not None
        assert "does not hold" in report.reason
