"""Reading who may do what: roles, permissions per workflow event, separation of duties."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from creditflow._repr import shown
from creditflow.policy.model import Basis, Permissions, Role, Separation
from creditflow.policy.reader import Reader

__all__ = ["read_permissions", "read_roles", "read_separations"]


def read_roles(r: Reader, data: dict[str, Any]) -> Mapping[str, Role]:
    """``[roles.<name>]`` tables, each with a label."""

    def build(table: dict[str, Any], path: str, name: str) -> Role | None:
        r.only(table, path, ("label",))
        label = r.label(table, path)
        return Role(name, label) if label else None

    return r.named_tables(data, "roles", build, required=False)


def read_permissions(
    r: Reader, data: dict[str, Any], roles: list[str], default: Basis | None
) -> Permissions | None:
    """``[permissions]``: ``<machine> = { <event> = [roles...] }`` plus basis and source.

    Which machines and events exist is the workflows' business: the one soundness check
    (:func:`creditflow.workflows.soundness.analyse_policy`, run by ``load_policy``, ``check``,
    the book and the kit) refuses a pack that leaves any event of any machine without a role.
    A pack without the table grants nothing, under the pack's own basis, and so is refused.
    """
    table = r.table(data, "", "permissions", required=False) or {}
    basis = r.basis(table, "permissions") if table else default
    events: dict[str, Mapping[str, frozenset[str]]] = {}
    for machine, grants in table.items():
        if machine in ("basis", "source", "note"):
            continue
        path = f"permissions.{machine}"
        if not r.check_name(path, machine):
            continue
        if not isinstance(grants, dict):
            r.problem(path, f"must be a table of event = [roles], got {shown(grants)}")
            continue
        events[machine] = MappingProxyType(
            {
                event: frozenset(allowed)
                for event in grants
                if r.check_name(f"{path}.{event}", event)
                and (allowed := r.names(grants, path, event, roles)) is not None
            }
        )
    return None if basis is None else Permissions(MappingProxyType(events), basis)


def read_separations(r: Reader, data: dict[str, Any]) -> tuple[Separation, ...]:
    """``[[separation]]`` rows: ``machine``, ``events = [first, second]``, basis, source."""
    rows = r.get(data, "", "separation", list, required=False) or []
    found: list[Separation] = []
    for i, row in enumerate(rows):
        path = f"separation[{i}]"
        if not isinstance(row, dict):
            r.problem(path, f"must be a table, got {shown(row)}")
            continue
        r.only(row, path, ("machine", "events", "basis", "source", "note"))
        machine = r.name(row, path, "machine")
        pair = r.names(row, path, "events")
        basis = r.basis(row, path)
        if pair is not None and len(pair) != 2:
            r.problem(f"{path}.events", f"names exactly two events, got {list(pair)}")
        elif machine and pair and basis:
            found.append(Separation(machine, (pair[0], pair[1]), basis))
    return tuple(found)
