"""Which policy governs an act: the book's one policy, or the pack version in force that day."""

from __future__ import annotations

import datetime as dt

from creditflow._validation import ensure_date
from creditflow.errors import PolicyAnalysisError
from creditflow.policy.model import Policy
from creditflow.workflows.soundness import analyse_policy

__all__ = ["Policies", "PolicySource"]

PolicySource = Policy | str | None
"""A :class:`Policy` used for every date, or a pack name (None: the default pack)."""


class Policies:
    """The policies of one book, resolved once per date and checked once per pack."""

    def __init__(self, source: PolicySource) -> None:
        self._source = source
        self._checked: set[str] = set()
        self._by_date: dict[dt.date, Policy] = {}

    def on(self, on: dt.date) -> Policy:
        """The policy that governs acts dated ``on`` (see :meth:`CreditBook.policy_on`)."""
        policy = self._by_date.get(on) if type(on) is dt.date else None  # a date: no check
        if policy is None:
            on = ensure_date(on, "on")
            from creditflow.rules.loading import load_policy

            fixed = self._source
            if not isinstance(fixed, Policy):
                policy = load_policy(fixed, on=on)
            else:
                policy = fixed
                if policy.digest not in self._checked:
                    _check_policy(policy)
                    self._checked.add(policy.digest)
            self._by_date[on] = policy
        return policy


def _check_policy(policy: Policy) -> None:
    """A policy the book runs passes the one soundness check, as ``load_policy`` does."""
    report = analyse_policy(policy)
    if not report.ok:
        raise PolicyAnalysisError(policy.origin, report)
