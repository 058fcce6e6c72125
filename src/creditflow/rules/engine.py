"""The decision engine: facts in, decisions out, served from the compiled decision table."""

from __future__ import annotations

from collections.abc import Iterable

from creditflow._repr import a_type, shown
from creditflow.core.facts import Facts
from creditflow.errors import (
    CreditflowError,
    EngineFailure,
    InvalidFacts,
    InvalidInput,
    PolicyAnalysisError,
    UnknownName,
)
from creditflow.policy.model import Policy
from creditflow.rules.analysis import AnalysisReport
from creditflow.rules.decision import Decision
from creditflow.rules.table import DecisionTable, compile_table
from creditflow.rules.trace import Trace, trace_of

__all__ = ["Engine"]


class Engine:
    """Decides graded supervision for facts under one policy version.

    The table is computed through durable_rules once per policy version (see
    :mod:`creditflow.rules.table`); deciding is then a dictionary lookup. A pack whose table
    has gaps, unresolved overlaps, grade-order or direction violations is refused with
    :class:`~creditflow.errors.PolicyAnalysisError`. An engine is immutable and thread-safe.
    """

    __slots__ = ("_decisions", "policy", "table")

    def __init__(self, policy: Policy) -> None:
        if not isinstance(policy, Policy):
            raise InvalidInput(
                f"Engine needs a Policy (from creditflow.load_policy), got {shown(policy)}"
                f" that is {a_type(policy)}"
            )
        table = compile_table(policy)
        if not table.report.ok:
            raise PolicyAnalysisError(policy.origin, table.report)
        self.policy = policy
        self.table: DecisionTable = table
        self._decisions = table.decisions

    @property
    def report(self) -> AnalysisReport:
        """The analysis of the table (always ``ok`` for an engine that was built)."""
        return self.table.report

    def decide(self, facts: Facts) -> Decision:
        """The decision for one subject's facts."""
        try:
            return self._decisions[(facts.domain, facts.grade, facts.lists, facts.flags)]
        except (KeyError, AttributeError):
            raise self._why_undecided(facts) from None

    def trace(self, facts: Facts) -> Trace:
        """Why ``facts`` get their decision: every rule that matched, the conditions that held,
        and why the winner won under the pack's hit policy.

        Raises the same errors as :meth:`decide`; the trace's ``decision`` is what
        :meth:`decide` returns.
        """
        decision = self.decide(facts)
        return trace_of(self.policy, decision, self.table.matches[decision.facts.key])

    def decide_many(self, facts: Iterable[Facts]) -> list[Decision]:
        """Decisions for many facts, in order. Much faster than calling :meth:`decide` in a loop.

        A bad item raises the same error as :meth:`decide`, its message starting with
        ``decide_many item <index>:`` and its ``index`` set.
        """
        if isinstance(facts, str | bytes) or not isinstance(facts, Iterable):
            raise InvalidFacts(f"decide_many needs an iterable of Facts, got {shown(facts)}")
        items = facts if isinstance(facts, list | tuple) else list(facts)
        get = self._decisions.get
        try:
            out = [get((f.domain, f.grade, f.lists, f.flags)) for f in items]
        except AttributeError:
            out = [None]
        if None in out:
            self._raise_for_first_bad(items)
        return out  # type: ignore[return-value]

    def _raise_for_first_bad(self, items: Iterable[object]) -> None:
        # The table itself, not self.decide: coverage, while on, replaces decide and would
        # count the items before the bad one, whose decisions are never returned.
        for index, item in enumerate(items):
            try:
                key = (item.domain, item.grade, item.lists, item.flags)  # type: ignore[attr-defined]
                if key not in self._decisions:
                    raise KeyError(key)
            except (KeyError, AttributeError, TypeError):
                error = self._why_undecided(item)
                if not isinstance(error, CreditflowError):
                    raise error from None
                error.index = index
                error.message = f"decide_many item {index}: {error.message}"
                error.args = (error.message,)
                raise error from None

    def _why_undecided(self, facts: object) -> Exception:
        """The typed error for facts the table cannot decide."""
        if not isinstance(facts, Facts):
            return InvalidFacts(
                f"decide needs a creditflow.Facts, got {shown(facts)} that is {a_type(facts)}"
            )
        policy = self.policy
        domain = policy.domains.get(facts.domain)
        if domain is None:
            return UnknownName("domain", facts.domain, policy.domains, where=policy.key)
        if facts.grade not in domain.scale:
            where = f"domain {shown(facts.domain)} (scale {shown(domain.scale.name)})"
            return UnknownName("grade", facts.grade, domain.scale.names, where=where, ordered=True)
        for kind in sorted(facts.lists - policy.lists.keys()):
            return UnknownName("list kind", kind, policy.lists, where=policy.key)
        for flag in sorted(facts.flags - policy.flags.keys()):
            return UnknownName("flag", flag, policy.flags, where=policy.key)
        return EngineFailure(f"the analysed table of {policy.key} does not decide {shown(facts)}")
