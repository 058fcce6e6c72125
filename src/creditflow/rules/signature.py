"""The finite signature space of a policy: every combination of facts a decision can depend on."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from creditflow.core.facts import Facts
from creditflow.policy.model import Policy

__all__ = ["MAX_SIGNATURES", "message", "signature_count", "signatures"]

MAX_SIGNATURES = 200_000
"""A pack whose signature space is larger is refused: declare fewer flags or list kinds."""


def signature_count(policy: Policy) -> int:
    """domains x grades x 2^list kinds x 2^flags."""
    grades = sum(len(d.scale) for d in policy.domains.values())
    return grades << (len(policy.lists) + len(policy.flags))


def signatures(policy: Policy) -> Iterator[Facts]:
    """Every signature, in a stable order: domain, grade (best first), lists, flags."""
    list_sets = _subsets(sorted(policy.lists))
    flag_sets = _subsets(sorted(policy.flags))
    for domain in policy.domains.values():
        for grade in domain.scale.names:
            for lists in list_sets:
                for flags in flag_sets:
                    yield Facts(domain.name, grade, lists, flags)


def message(policy: Policy, facts: Facts) -> dict[str, Any]:
    """The fields a rule condition reads, for one signature."""
    fields: dict[str, Any] = {
        "domain": facts.domain,
        "grade": facts.grade,
        "grade_rank": policy.domains[facts.domain].scale.rank(facts.grade),
    }
    fields.update({f"list_{k}": k in facts.lists for k in policy.lists})
    fields.update({f"flag_{f}": f in facts.flags for f in policy.flags})
    return fields


def _subsets(names: list[str]) -> list[frozenset[str]]:
    return [
        frozenset(combo)
        for size in range(len(names) + 1)
        for combo in itertools.combinations(names, size)
    ]
