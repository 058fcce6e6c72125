"""The book's trusted append (``append_trusted``): what ``prepare`` makes, faster, and the
same errors, records and hashes as ``append`` for anything unusual (issue 20)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditflow.book._chain import prepare, prepare_trusted
from creditflow.book.book import CreditBook
from creditflow.book.encoding import MAX_DATA_BYTES
from creditflow.book.memory_store import MemoryStore
from creditflow.book.rows import CaseRow, NewEvent, StoredEvent
from creditflow.book.sqlite_store import SqliteStore
from creditflow.errors import Conflict, InvalidInput
from creditflow.workflows import Actor

ON = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
texts = st.text(st.characters(exclude_categories=["Cs"]))
values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)


def _event(case_id: str, version: int, data: Mapping[str, Any], **fields: Any) -> NewEvent:
    given = {"event": "make", "on": ON, "actor": "officer", "idempotency_key": None, **fields}
    return NewEvent(case_id, version, data=data, **given)


def _row(case_id: str, version: int, body: Mapping[str, Any] | None = None) -> CaseRow:
    body = {"note": "文字", "n": version} if body is None else body
    return CaseRow(case_id, "m", "k", "s", "st", version, False, ON, body)


@given(st.dictionaries(texts, values, max_size=4), st.none() | texts.filter(bool))
def test_prepare_trusted_makes_what_prepare_makes(data: dict[str, Any], key: str | None) -> None:
    events = [_event("C1", 1, data, idempotency_key=key), _event("C1", 2, {"x": 1})]
    rows = [_row("C1", 2)]
    assert prepare_trusted(events, rows, {"C1": 0}) == prepare(events, rows, {"C1": 0})


@pytest.mark.parametrize(
    ("fields", "data"),
    [
        ({"actor": "\ud800"}, {}),  # a lone surrogate: not hashable
        ({"idempotency_key": ""}, {}),
        ({}, {"text": "\udfff"}),
        ({}, {"day": ON}),  # not JSON
        ({}, {"big": "x" * MAX_DATA_BYTES}),
        ({}, {"nan": float("nan")}),
    ],
)
def test_prepare_trusted_refuses_what_prepare_refuses(
    fields: dict[str, Any], data: dict[str, Any]
) -> None:
    events, rows = [_event("C1", 1, data, **fields)], [_row("C1", 1)]
    with pytest.raises(InvalidInput) as expected:
        prepare(events, rows, {"C1": 0})
    with pytest.raises(InvalidInput) as trusted:
        prepare_trusted(events, rows, {"C1": 0})
    assert trusted.value.message == expected.value.message


@pytest.mark.parametrize(
    ("events", "rows", "expected"),
    [
        ([_event("C1", 2, {})], [_row("C1", 2)], {"C1": 0}),  # a version skipped
        ([_event("C1", 1, {}), _event("C1", 1, {})], [_row("C1", 1)], {"C1": 0}),  # twice
        ([_event("C2", 1, {})], [_row("C2", 1)], {"C1": 0}),  # not in expected
        ([_event("C1", True, {})], [_row("C1", 1)], {"C1": 0}),  # a bool is not a version
        ([_event("C1", 1, {})], [_row("C1", 2)], {"C1": 0}),  # a row at another version
        ([_event("C1", 1, {})], [], {"C1": 0}),  # a touched case without a row
        ([_event("C1", 1, {})], [_row("C1", 1), _row("C2", 1)], {"C1": 0}),  # an untouched row
        ([_event("C1", 1, {})], [_row("C1", 1), _row("C1", 1)], {"C1": 0}),  # two rows
        ([_event("C1", 1, {}, idempotency_key="k"), _event("C2", 1, {}, idempotency_key="k")],
         [_row("C1", 1), _row("C2", 1)], {"C1": 0, "C2": 0}),  # a key twice
        ([_event("C1", 1, {})], [_row("C1", 1)], {"C1": "0"}),  # not a version
        (["C1"], [_row("C1", 1)], {"C1": 0}),  # not an event
    ],
)  # fmt: skip
def test_prepare_trusted_refuses_a_shape_prepare_refuses(
    events: list[Any], rows: list[Any], expected: dict[str, Any]
) -> None:
    """What the unit of work vouches for is checked as well: a direct caller of
    ``append_trusted`` cannot write a book ``append`` would refuse."""
    with pytest.raises(InvalidInput) as plain:
        prepare(events, rows, expected)
    with pytest.raises(InvalidInput) as trusted:
        prepare_trusted(events, rows, expected)
    assert trusted.value.message == plain.value.message


def _stores(
    tmp_path: Path,
) -> Iterator[tuple[MemoryStore | SqliteStore, MemoryStore | SqliteStore]]:
    clock: Callable[[], dt.datetime] = lambda: NOW  # noqa: E731
    yield MemoryStore(clock=clock), MemoryStore(clock=clock)
    yield (
        SqliteStore(tmp_path / "a.sqlite", clock=clock),
        SqliteStore(tmp_path / "b.sqlite", clock=clock),
    )


def test_a_trusted_append_stores_what_an_append_stores(tmp_path: Path) -> None:
    appends = [
        ([_event("C1", 1, {"a": "文"}), _event("C2", 1, {}, idempotency_key="k1")],
         [_row("C1", 1), _row("C2", 1)], {"C1": 0, "C2": 0}),
        ([_event("C1", 2, {"b": [1, 2]}), _event("C1", 3, {})], [_row("C1", 3)], {"C1": 1}),
    ]  # fmt: skip
    for plain, trusted in _stores(tmp_path):
        with plain, trusted:
            for events, rows, expected in appends:
                plain.append(events, rows, expected=expected)
                assert trusted.append_trusted(events, rows, expected=expected) is None
            assert list(trusted.events()) == list(plain.events())
            assert list(trusted.cases()) == list(plain.cases())
            assert trusted.verify().ok
            with pytest.raises(Conflict):  # a stale version
                trusted.append_trusted([_event("C1", 3, {})], [_row("C1", 3)], expected={"C1": 2})
            with pytest.raises(Conflict):  # a key already used
                trusted.append_trusted(
                    [_event("C3", 1, {}, idempotency_key="k1")], [_row("C3", 1)], expected={"C3": 0}
                )
            assert trusted.head() == plain.head()


class Watching(MemoryStore):
    """A store that watches its appends by overriding ``append``."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[int] = []

    def append(
        self, events: Sequence[NewEvent], cases: Sequence[CaseRow], *, expected: Mapping[str, int]
    ) -> list[StoredEvent]:
        self.seen.append(len(events))
        return super().append(events, cases, expected=expected)


def test_a_store_that_overrides_append_sees_the_books_appends() -> None:
    store = Watching()
    book = CreditBook(store, policy="national-transport")
    officer = Actor("officer", {"case_officer"})
    book.open_case(
        "listing.watch", "91350100M00000019W", on=ON, actor=officer, domain="road_transport",
        grounds="g", basis="b",
    )  # fmt: skip
    assert store.seen == [1]
