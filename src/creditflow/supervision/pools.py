"""The inspector directory indexed by region and domain, and the checks that every pool suffices."""

from __future__ import annotations

from collections.abc import Iterable

from creditflow._repr import shown
from creditflow.errors import InfeasiblePlan, InvalidInput
from creditflow.policy.model import Policy
from creditflow.supervision.entries import Inspector, PopulationEntry, row_error
from creditflow.supervision.selection import Selection

__all__ = ["Pools"]


class Pools:
    """Inspectors by (region, domain): the officers qualified to inspect a subject there.

    ``inspectors`` are sorted by id; a pool lists indexes into it. A duplicate inspector id or
    a domain the policy does not declare raises, naming the row.
    """

    def __init__(self, inspectors: Iterable[Inspector], policy: Policy) -> None:
        self.inspectors = sorted(_checked(inspectors, policy), key=lambda i: i.inspector_id)
        self.cells: dict[tuple[str, str], list[int]] = {}
        # By subject id, the inspectors who declared a conflict with it.
        self.withdrawing: dict[str, set[int]] = {}
        for index, inspector in enumerate(self.inspectors):
            for region in inspector.regions:
                for domain in inspector.domains:
                    self.cells.setdefault((region, domain), []).append(index)
            for subject_id in inspector.conflicts:
                self.withdrawing.setdefault(subject_id, set()).add(index)
        self.conflicted_ids = frozenset(self.withdrawing)

    def eligible(self, region: str, domain: str, subject_id: str) -> list[int]:
        """The inspectors qualified for the region and domain who declared no conflict with the
        subject (回避), in id order."""
        pool = self.cells.get((region, domain), [])
        withdrawing = self.withdrawing.get(subject_id)
        if withdrawing is None:
            return pool
        return [i for i in pool if i not in withdrawing]

    def check(self, selection: Selection, needed: int) -> None:
        """Raise InfeasiblePlan, naming a row, if a subject anywhere in the population could not
        get ``needed`` inspectors: whatever the seed, every pool must suffice."""
        for domain, regions in sorted(selection.regions.items()):
            for region, entry in sorted(regions.items()):
                count = len(self.cells.get((region, domain), []))
                if count < needed:
                    raise _short(entry, f"{count} qualified inspector(s)", needed)
        for entry in selection.conflicted:
            count = len(self.eligible(entry.region, entry.facts.domain, entry.subject_id))
            if count < needed:
                raise _short(entry, f"{count} qualified inspector(s) without a conflict", needed)


def _short(entry: PopulationEntry, have: str, needed: int) -> InfeasiblePlan:
    where = entry.where or f"subject {entry.subject_id}"
    return InfeasiblePlan(
        f"{where}: no eligible pool in region {entry.region}, domain {entry.facts.domain}: "
        f"{have}, {needed} needed for each inspection"
    )


def _checked(inspectors: Iterable[Inspector], policy: Policy) -> list[Inspector]:
    seen: set[str] = set()
    out: list[Inspector] = []
    known = frozenset(policy.domains)
    for inspector in inspectors:
        if not isinstance(inspector, Inspector):
            raise InvalidInput(f"inspectors must hold Inspector values, got {shown(inspector)}")
        if inspector.inspector_id in seen:
            raise row_error(
                inspector, f"duplicate inspector id {inspector.inspector_id}", "inspector_id"
            )
        seen.add(inspector.inspector_id)
        if not inspector.domains <= known:
            domain = min(inspector.domains - known)
            names = ", ".join(sorted(known))
            raise row_error(inspector, f"unknown domain {shown(domain)}; known: {names}", "domains")
        out.append(inspector)
    return out
