"""The engine on a worker: the client's pack sent as its source, read once per worker process.

A :class:`~creditflow.Policy` holds read-only mappings that do not pickle; its source does.
A worker reads the pack again from its source and refuses one whose digest differs from the
client's (an edited file, another creditflow), so that every partition is decided by the
pack the plan names.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from creditflow.errors import InvalidInput
from creditflow.policy.loader import parse_policy_text, policy_from_data
from creditflow.policy.model import Policy
from creditflow.policy.sources import _read_builtin_file, _resolve_extends
from creditflow.rules.engine import Engine

__all__ = ["PackTicket", "engine_of", "ticket_of"]

_BUILTIN = "builtin:"
_ENGINES: dict[str, Engine] = {}  # by pack digest, in each worker process


@attrs.frozen
class PackTicket:
    """What a worker needs to read the client's pack: its origin, the text of a pack file,
    and the digest it must have."""

    origin: str
    digest: str
    text: str | None = None


def ticket_of(policy: Policy) -> PackTicket:
    """The ticket of a built-in pack or of a pack read from a file (its text, read now)."""
    origin = policy.origin
    if origin.startswith(_BUILTIN):
        return PackTicket(origin, policy.digest)
    path = Path(origin)
    if not path.is_file():
        raise InvalidInput(
            f"the pack {policy.key} was not read from a file or a built-in pack "
            f"(origin {origin!r}): workers cannot read it again"
        )
    return PackTicket(origin, policy.digest, path.read_text(encoding="utf-8"))


def engine_of(ticket: PackTicket) -> Engine:
    """The engine of the ticket's pack, made once per process and checked by digest."""
    engine = _ENGINES.get(ticket.digest)
    if engine is None:
        policy = _policy(ticket)
        if policy.digest != ticket.digest:
            raise InvalidInput(
                f"the pack {ticket.origin} read on a worker has digest {policy.digest}, "
                f"not the client's {ticket.digest}: install the same creditflow everywhere"
            )
        engine = _ENGINES[ticket.digest] = Engine(policy)
    return engine


def _policy(ticket: PackTicket) -> Policy:
    if ticket.text is None:
        return _read_builtin_file(ticket.origin.removeprefix(_BUILTIN))
    data = parse_policy_text(ticket.text, ticket.origin)
    return policy_from_data(_resolve_extends(data, ticket.origin), ticket.origin)
