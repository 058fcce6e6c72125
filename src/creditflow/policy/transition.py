"""The transitional rule between pack versions (从旧兼从轻): reading it, and the rules it
makes govern a record or listing decided under an older version.

A record decided under one version is often judged under a later one: its repair is
accepted, its status asked, on a date the later version is in force. Which version's rules
apply is the later version's ``[transition] rule``:

- ``new``: the later version's, as for any act of that date;
- ``old``: the version in force on the decision date;
- ``old_unless_lighter``: the old version's, item by item, unless the later version's is
  lighter for the party (Administrative Penalty Law 2021 Art. 37, applied by analogy).

Lighter, item by item (:func:`governing`): a period (minimum publication, maximum
publication, the fraud ban) is lighter when it ends earlier counted from the decision date
(for the fraud ban, from the revocation of the repair); not published
is lighter than published; repair once the obligations are fulfilled is lighter than repair
after the minimum period; a list of materials is lighter when it asks for fewer, that is a
strict subset of the other (two lists that differ otherwise are not comparable, and the old
one stays).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs

from creditflow.calendar.periods import Period
from creditflow.core.severity import Severity
from creditflow.policy.model import (
    TRANSITIONAL_RULES,
    Policy,
    Provision,
    TransitionalRule,
    TransitionSettings,
)
from creditflow.policy.reader import Reader

__all__ = [
    "Governing",
    "governing",
    "governing_fraud_ban",
    "lighter_period",
    "read_transition",
    "transitional_rule",
]

AddPeriod = Callable[[dt.date, Period], dt.date]


def read_transition(r: Reader, data: dict[str, Any]) -> TransitionSettings | None:
    """``[transition]`` (optional): ``rule`` is one of :data:`TRANSITIONAL_RULES`."""
    path = "transition"
    t = r.table(data, "", path, required=False)
    if t is None:
        return None
    r.only(t, path, ("rule", "basis", "source", "note"))
    basis = r.basis(t, path)

    def read(where: str, raw: object) -> TransitionalRule | None:
        if raw not in TRANSITIONAL_RULES:
            allowed = ", ".join(TRANSITIONAL_RULES)
            r.problem(where, f"must be one of {allowed}, got {raw!r}")
            return None
        return raw

    rule = r.provision(t, path, "rule", basis, read)
    if rule is None or basis is None:
        return None
    return TransitionSettings(rule, basis)


def transitional_rule(policy: Policy) -> TransitionalRule:
    """The transitional rule ``policy`` sets for records decided under older versions
    (``new`` when it sets none)."""
    return "new" if policy.transition is None else policy.transition.rule.value


@attrs.frozen
class Governing:
    """The rules that govern one record or listing judged on a date: each item is the old or
    the new version's, by the transitional rule."""

    published: bool
    publication_min: Provision[Period]
    publication_max: Provision[Period]
    repair_after: str
    materials: Provision[tuple[str, ...]]


def lighter_period(
    rule: TransitionalRule,
    old: Provision[Period] | None,
    new: Provision[Period],
    decided: dt.date,
    add: AddPeriod,
) -> Provision[Period]:
    """The period that governs: by ``rule``, the old (None: there was none), the new, or the
    old unless the new ends earlier counted from ``decided``."""
    if old is None or rule == "new" or old == new:
        return new
    if rule == "old":
        return old
    return new if add(decided, new.value) < add(decided, old.value) else old


def governing(
    old: Policy | None, new: Policy, severity: Severity, decided: dt.date, add: AddPeriod
) -> Governing:
    """The rules for a record of ``severity`` decided on ``decided`` under ``old`` (None: no
    version was in force then), judged under ``new`` (see the module docstring)."""
    now = new.severities[severity]
    if old is None or old is new or old == new:
        return Governing(
            now.published, now.publication_min, now.publication_max, now.repair_after,
            new.repair.materials,
        )  # fmt: skip
    rule = transitional_rule(new)
    then = old.severities[severity]
    choose_new = {
        "new": (True, True, True),
        "old": (False, False, False),
        "old_unless_lighter": (
            then.published and not now.published,
            then.repair_after == "minimum_period" and now.repair_after == "obligations_fulfilled",
            set(new.repair.materials.value) < set(old.repair.materials.value),
        ),
    }[rule]
    published, repair_after, materials = choose_new
    return Governing(
        published=now.published if published else then.published,
        publication_min=lighter_period(
            rule, then.publication_min, now.publication_min, decided, add
        ),
        publication_max=lighter_period(
            rule, then.publication_max, now.publication_max, decided, add
        ),
        repair_after=now.repair_after if repair_after else then.repair_after,
        materials=new.repair.materials if materials else old.repair.materials,
    )


def governing_fraud_ban(
    old: Policy | None, new: Policy, revoked: dt.date, add: AddPeriod
) -> Provision[Period]:
    """The fraud ban (``repair.fraud_ban``) that governs after a repair revoked on
    ``revoked`` under ``old`` (None: no version was in force then), judged under ``new``."""
    then = None if old is None else old.repair.fraud_ban
    return lighter_period(transitional_rule(new), then, new.repair.fraud_ban, revoked, add)
