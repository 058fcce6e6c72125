"""The credit book: cases of every workflow on an event-sourced, hash-chained store."""

from creditflow.book.anchors import Anchor
from creditflow.book.book import SYSTEM, CreditBook
from creditflow.book.memory_store import MemoryStore
from creditflow.book.overdue import Overdue
from creditflow.book.rows import CaseRow, ClosedRows, NewEvent, StoredEvent
from creditflow.book.sqlite_store import SqliteStore
from creditflow.book.status import ActiveListing, CreditStatus, PublishedRecord, RepairEligibility
from creditflow.book.store import ChainReport, EventStore
from creditflow.book.stores import open_store

__all__ = [
    "SYSTEM",
    "ActiveListing",
    "Anchor",
    "CaseRow",
    "ChainReport",
    "ClosedRows",
    "CreditBook",
    "CreditStatus",
    "EventStore",
    "MemoryStore",
    "NewEvent",
    "Overdue",
    "PublishedRecord",
    "RepairEligibility",
    "SqliteStore",
    "StoredEvent",
    "open_store",
]
