"""The base of the contract's parts: what a store author provides, and the fixtures."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from creditflow.book.store import EventStore
from creditflow.testing.store_contract._kit import ContractClock, StoreOpener, Tamper

__all__ = ["ContractBase"]


class ContractBase:
    """The fixtures and hooks every part of the contract uses (see the package's documentation)."""

    # -- what a store author provides ----------------------------------------------------------

    @pytest.fixture
    def opener(self) -> StoreOpener:
        """Override: the opener of the store under test."""
        raise NotImplementedError(f"{type(self).__name__} must define the opener fixture")

    @pytest.fixture
    def tamper(self, opener: StoreOpener) -> Tamper:
        """Override: a :class:`Tamper` of the book ``opener`` opens."""
        raise NotImplementedError(f"{type(self).__name__} must define the tamper fixture")

    @contextlib.contextmanager
    def inject_failure(self, store: EventStore, clock: ContractClock) -> Iterator[None]:
        """While the block runs, the next append of ``store`` fails inside its transaction.

        By default the clock fails when the store reads it; override to fail later."""
        clock.fail_next = True
        try:
            yield
        finally:
            clock.fail_next = False

    # -- the contract's fixtures ---------------------------------------------------------------

    @pytest.fixture
    def clock(self) -> ContractClock:
        return ContractClock()

    @pytest.fixture
    def store(self, opener: StoreOpener, clock: ContractClock) -> Iterator[EventStore]:
        """The store under test, empty, with the contract's clock; closed after the test."""
        opened = opener(clock=clock)
        try:
            yield opened
        finally:
            opened.close()
