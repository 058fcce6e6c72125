"""The store contract: the tests every :class:`~creditflow.book.store.EventStore` passes.

A store author (creditflow's memory, SQLite and PostgreSQL stores, or a third party writing
one for another database) subclasses :class:`StoreContract` in a pytest module, naming the
class ``Test...``, and provides two fixtures::

    import functools, pytest
    from creditflow.testing.store_contract import SharedStoreContract, SqlTamper

    class TestMyStore(SharedStoreContract):
        @pytest.fixture
        def opener(self, tmp_path):
            return functools.partial(MyStore.open, tmp_path / "book.db")

        @pytest.fixture
        def tamper(self, opener):
            return SqlTamper(functools.partial(my_driver.connect, ...), placeholder="%s")

``opener`` opens the book under test: ``opener(clock=clock)`` returns a store whose appends
record the time ``clock()`` gives. For a :class:`StoreContract` each call may give a new,
empty store (it is called once per test). A store that several processes share runs
:class:`SharedStoreContract`: its ``opener`` opens a *connection to one book*, empty the first
time, and every call after that is a second, third ... connection to the same book; it must
be picklable (a ``functools.partial`` of a module-level function, or an instance of a
module-level class), because the concurrency tests call it in child processes, where it is
called without ``clock``.

``tamper`` (a :class:`Tamper`) changes the stored rows behind the store's back, as an
insider with the database would, for the integrity tests; :class:`SqlTamper` does it for a
DB-API database whose tables are ``events`` and ``cases`` with the record columns
(:data:`EVENT_COLUMNS`, :data:`CASE_COLUMNS`).

``inject_failure(store, clock)`` makes the next append fail inside its transaction. The
default makes the contract's clock raise :class:`InjectedFailure` when the store reads it;
a store that can fail later in its append (after some rows are written, by a database
trigger for example) overrides it to test that nothing is half-written.

The contract needs pytest (the ``test`` extra); importing ``creditflow.testing`` does not
import this module.
"""

from __future__ import annotations

# The parts import pytest; this package is imported before any of them, and says what to install.
try:
    import pytest  # noqa: F401 (imported for its error; the parts use it)
except ModuleNotFoundError as error:
    raise ModuleNotFoundError(
        "creditflow.testing.store_contract needs pytest: pip install 'creditflow[test]'",
        name="pytest",
    ) from error

from creditflow.testing.store_contract._contract import StoreContract
from creditflow.testing.store_contract._kit import (
    CASE_COLUMNS,
    DAY,
    EVENT_COLUMNS,
    START,
    ContractClock,
    InjectedFailure,
    SqlTamper,
    StoreOpener,
    Tamper,
    case_row,
    fire,
    new_event,
    snapshot,
)
from creditflow.testing.store_contract._shared import SharedStoreContract

__all__ = [
    "CASE_COLUMNS",
    "DAY",
    "EVENT_COLUMNS",
    "START",
    "ContractClock",
    "InjectedFailure",
    "SharedStoreContract",
    "SqlTamper",
    "StoreContract",
    "StoreOpener",
    "Tamper",
    "case_row",
    "fire",
    "new_event",
    "snapshot",
]
