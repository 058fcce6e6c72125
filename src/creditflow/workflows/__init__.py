"""Workflows as data: commitment, listing, repair, objection, record and licence machines.

The declarations are checked when this package is imported: every state reachable, a path
to a final state from every state, every guard and effect named exists. What the machines need
of a policy (a role for every event, every deadline setting they name) is part of the one
soundness check of a pack, :func:`analyse_policy`, which every entry point runs.
"""

from creditflow.workflows.addresses import Address, addresses
from creditflow.workflows.case import Actor, Case, DeadlineState, Effect, HistoryEntry
from creditflow.workflows.definitions import (
    COMMITMENT,
    LICENCE,
    LISTING,
    MACHINES,
    OBJECTION,
    RECORD,
    REPAIR,
)
from creditflow.workflows.effects import EFFECTS
from creditflow.workflows.guards import GUARDS
from creditflow.workflows.machine import DeadlineRule, Machine, Transition, machine_problems
from creditflow.workflows.soundness import analyse_policy

_problems = [p for m in MACHINES.values() for p in machine_problems(m, GUARDS, EFFECTS)]
if _problems:  # a defect in the declarations above: fail loudly at import
    raise RuntimeError("invalid workflow declarations:\n" + "\n".join(_problems))

__all__ = [
    "COMMITMENT",
    "EFFECTS",
    "GUARDS",
    "LICENCE",
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
    "analyse_policy",
    "machine_problems",
]
