"""Workflows as data: commitment, listing, repair, objection and record machines.

The declarations are checked when this package is imported: every state reachable, every
non-final state with a way out, every guard and effect named exists. Whether a policy sets
every period a machine names is checked when a book binds the policy.
"""

from creditflow.workflows.addresses import Address, addresses
from creditflow.workflows.case import Actor, Case, DeadlineState, Effect, HistoryEntry
from creditflow.workflows.definitions import (
    COMMITMENT,
    LISTING,
    MACHINES,
    OBJECTION,
    RECORD,
    REPAIR,
)
from creditflow.workflows.effects import EFFECTS
from creditflow.workflows.guards import GUARDS
from creditflow.workflows.machine import DeadlineRule, Machine, Transition, machine_problems

_problems = [p for m in MACHINES.values() for p in machine_problems(m, GUARDS, EFFECTS)]
if _problems:  # a defect in the declarations above: fail loudly at import
    raise RuntimeError("invalid workflow declarations:\n" + "\n".join(_problems))

__all__ = [
    "COMMITMENT",
    "EFFECTS",
    "GUARDS",
    "LISTING",
    "MACHINES",
    "OBJECTION",
    "RECORD",
    "REPAIR",
    "Actor",
    "Address",
    "Case",
    "DeadlineRule",
    "DeadlineState",
    "Effect",
    "HistoryEntry",
    "Machine",
    "Transition",
    "addresses",
    "machine_problems",
]
