"""What a zh page may not show outside code: the identifiers of the workflows and the pack."""

from __future__ import annotations

import re

from creditflow.calendar.periods import PeriodUnit
from creditflow.policy.model import Policy
from creditflow.workflows.definitions import MACHINES
from creditflow.workflows.settings import case_kinds

SNAKE = re.compile(r"(?<![\w.@/-])[a-z]+(?:_[a-z]+)+(?![\w.@/-])")


def identifiers(policy: Policy) -> set[str]:
    """Every name a zh page could leak: the workflows' and the pack's."""
    names = {u.value for u in PeriodUnit}
    for machine in MACHINES.values():
        names |= {machine.name, *machine.states, *case_kinds(policy, machine.kinds)}
        for t in machine.transitions:
            names |= {t.event, *t.guards, *t.effects, *t.required, *t.optional}
            names |= set(policy.permissions.roles(machine.name, t.event))
        names |= {d.name for d in machine.deadlines}
    names |= set(policy.domains) | set(policy.lists) | set(policy.commitments)
    names |= {rule.rule_id for rule in policy.decisions.rules} | set(policy.measures)
    names |= set(policy.purposes) | set(policy.flags)
    return {n for n in names if len(n) > 2}


def leaked(text: str, policy: Policy) -> list[str]:
    """The identifiers in ``text`` (prose: code already taken out)."""
    found = set(SNAKE.findall(text))
    for name in identifiers(policy):
        if re.search(rf"(?<![\w.@/-]){re.escape(name)}(?![\w.@/-])", text):
            found.add(name)
    return sorted(found)
