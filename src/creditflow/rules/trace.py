"""The trace of a decision: every rule that matched, why, and why the winner won.

The rules that match a signature are kept by the table compiler (they are what durable_rules
found); the conditions that held are read again from each matched rule's condition with the
reference evaluator, which the differential tests hold equal to durable_rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from creditflow.policy.conditions import evaluate
from creditflow.policy.model import DecisionRule, HitPolicy, Policy
from creditflow.rules.analysis import describe
from creditflow.rules.decision import Decision
from creditflow.rules.signature import message

__all__ = ["RuleMatch", "Trace", "trace_of"]

_OPERATORS = {"$neq": "!=", "$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">="}


@attrs.frozen
class RuleMatch:
    """One rule whose condition the facts satisfy.

    ``position`` is the rule's place in the pack (1 for the first rule); ``conditions`` are
    the conditions that held, each with the value the facts gave it, e.g.
    ``"grade_rank <= 3 (is 2)"``; ``won`` is true for the rule that decided.
    """

    rule_id: str
    position: int
    priority: int
    conditions: tuple[str, ...]
    won: bool

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "rule_id": self.rule_id,
            "position": self.position,
            "priority": self.priority,
            "conditions": list(self.conditions),
            "won": self.won,
        }


@attrs.frozen
class Trace:
    """Why a decision is what it is: ``Engine.trace(facts)``.

    ``matches`` lists every rule that matched, in file order; ``reason`` says why the
    winner won under ``hit_policy``; ``decision`` is what :meth:`Engine.decide
    <creditflow.rules.Engine.decide>` returns for the same facts.
    """

    decision: Decision
    hit_policy: HitPolicy
    matches: tuple[RuleMatch, ...]
    reason: str

    def to_text(self) -> str:
        """A few lines for people: the facts, each matched rule, the verdict."""
        d = self.decision
        lines = [
            f"{describe(d.facts)} under {d.policy_version} (hit policy {self.hit_policy.value})"
        ]
        for m in self.matches:
            mark = "*" if m.won else " "
            lines.append(f"  {mark} {m.rule_id} (rule {m.position}, priority {m.priority})")
            lines += [f"      {c}" for c in m.conditions]
        lines.append(f"  decided by {d.rule_id}: {self.reason}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "hit_policy": self.hit_policy.value,
            "matches": [m.to_dict() for m in self.matches],
            "winner": self.decision.rule_id,
            "reason": self.reason,
        }


def trace_of(policy: Policy, decision: Decision, matched: tuple[int, ...]) -> Trace:
    """The trace of ``decision``, from the indexes of the rules that matched its signature."""
    rules, hit_policy = policy.decisions.rules, policy.decisions.hit_policy
    fields = message(policy, decision.facts)
    winner = next(i for i in matched if rules[i].rule_id == decision.rule_id)
    matches = tuple(
        RuleMatch(
            rule_id=rules[i].rule_id,
            position=i + 1,
            priority=rules[i].priority,
            conditions=tuple(_held(rules[i].when, fields)),
            won=i == winner,
        )
        for i in matched
    )
    return Trace(decision, hit_policy, matches, _reason(hit_policy, rules, matched, winner))


def _held(condition: Mapping[str, Any], fields: Mapping[str, Any]) -> list[str]:
    """The atomic conditions of a satisfied ``condition`` that held, with the values read.

    Under ``$and`` every part held; under ``$or``, only the parts that held are listed.
    """
    ((key, body),) = condition.items()
    if key in ("$and", "$or"):
        return [text for part in body if evaluate(part, fields) for text in _held(part, fields)]
    if key.startswith("$"):
        ((name, value),) = body.items()
        return [f"{name} {_OPERATORS[key]} {_show(value)} (is {_show(fields[name])})"]
    return [f"{key} = {_show(body)}"]


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def _reason(
    hit_policy: HitPolicy, rules: tuple[DecisionRule, ...], matched: tuple[int, ...], winner: int
) -> str:
    others = [rules[i].rule_id for i in matched if i != winner]
    if not others:
        return f"the only rule that matches (hit policy {hit_policy.value})"
    if hit_policy is HitPolicy.FIRST:
        return (
            f"the first matching rule in file order (hit policy first), before {', '.join(others)}"
        )
    top = rules[winner].priority
    below = ", ".join(f"{rules[i].rule_id} ({rules[i].priority})" for i in matched if i != winner)
    return (
        f"the highest priority, {top}, of the matching rules (hit policy priority); above {below}"
    )
