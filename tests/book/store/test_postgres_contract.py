"""The store contract (:mod:`creditflow.testing.store_contract`) run by the PostgreSQL store,
on a fresh database of the session's own server for each test."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from creditflow.book import EventStore, open_store
from creditflow.book import postgres_store as postgres_store_module
from creditflow.testing.store_contract import (
    ContractClock,
    SharedStoreContract,
    SqlTamper,
    StoreOpener,
    Tamper,
    fire,
)


def attacker(url: str) -> psycopg.Connection[Any]:
    """A connection as an insider with the database has one: foreign keys not enforced."""
    db = psycopg.connect(url)
    db.execute("SET session_replication_role = replica")
    return db


class TestPostgresStore(SharedStoreContract):
    @pytest.fixture
    def opener(self, postgres_url: str) -> StoreOpener:
        return functools.partial(open_store, postgres_url)

    @pytest.fixture
    def tamper(self, postgres_url: str) -> Tamper:
        return SqlTamper(
            functools.partial(attacker, postgres_url),
            placeholder="%s",
            events="creditflow_events",
            cases="creditflow_cases",
        )

    @contextlib.contextmanager
    def inject_failure(self, store: EventStore, clock: ContractClock) -> Iterator[None]:
        """A trigger aborts the insert of the append's second event: the first event is
        written by then, inside the transaction."""
        seq = store.head()[0] + 2
        url = store._conninfo  # type: ignore[attr-defined]
        with psycopg.connect(url, autocommit=True) as db:
            db.execute(
                "CREATE FUNCTION injected() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'injected failure'; END $$"
            )
            db.execute(
                "CREATE TRIGGER injected BEFORE INSERT ON creditflow_events FOR EACH ROW "
                f"WHEN (NEW.seq = {seq}) EXECUTE FUNCTION injected()"
            )
        try:
            yield
        finally:
            with psycopg.connect(url, autocommit=True) as db:
                db.execute("DROP TRIGGER injected ON creditflow_events")
                db.execute("DROP FUNCTION injected()")

    def test_long_results_are_read_page_by_page(
        self, store: EventStore, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(postgres_store_module, "_PAGE", 3)
        for number in range(10):
            fire(store, f"C{number:02}", 2)
        assert [e.seq for e in store.events()] == list(range(1, 21))
        assert [e.seq for e in store.events(after=5)] == list(range(6, 21))
        assert [e.seq for e in store.events(case_id="C04")] == [9, 10]
        assert [row.case_id for row in store.cases()] == [f"C{n:02}" for n in range(10)]
        assert store.verify().events == 20


class TestPostgresStoreGrouped(TestPostgresStore):
    """The same contract with grouped commits (``?commit=grouped``): the chain lock released
    at each commit, the flush waited for before the append returns."""

    @pytest.fixture
    def opener(self, postgres_url: str) -> StoreOpener:
        return functools.partial(open_store, f"{postgres_url}?commit=grouped")
