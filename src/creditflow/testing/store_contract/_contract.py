"""The contract of one store used by one process: its parts together."""

from __future__ import annotations

from creditflow.testing.store_contract._appends import AppendContract
from creditflow.testing.store_contract._integrity import IntegrityContract
from creditflow.testing.store_contract._queries import QueryContract

__all__ = ["StoreContract"]


class StoreContract(AppendContract, QueryContract, IntegrityContract):
    """The contract of one store used by one process (see the package documentation)."""
