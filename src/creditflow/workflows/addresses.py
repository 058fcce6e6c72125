"""One address per rule: every guard, deadline and effect of every machine by its policy path.

The address of a rule is the path of the policy setting it rests on (``lists.serious.duration``,
``repair.fraud_ban``, ``commitments.approval_substitute.breach_consequences``), as a pack
writes it. A refusal names it (``TransitionRefused.path``), the handbook lists it with its
basis, and the tests are named by it: see ``docs/rules.md``.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Iterator
from typing import Literal

import attrs

from creditflow._validation import ensure_instance
from creditflow.policy.model import Basis, Policy
from creditflow.workflows.definitions import MACHINES
from creditflow.workflows.effects import EFFECT_PATHS
from creditflow.workflows.guards import GUARD_PATHS
from creditflow.workflows.machine import Machine
from creditflow.workflows.settings import basis_at, case_kinds

__all__ = ["Address", "addresses"]

Part = Literal["guard", "deadline", "effect"]


@attrs.frozen
class Address:
    """A rule at its address: the policy ``path`` (``template`` with the pack's names filled
    in), the ``machine`` and the ``part`` (guard, deadline or effect) named ``name`` that
    runs it on ``events``, the ``code`` that does (a dotted name to import), and the pack's
    ``basis`` at the path."""

    path: str
    template: str
    machine: str
    part: Part
    name: str
    events: tuple[str, ...]
    code: str
    basis: Basis


def addresses(policy: Policy, path: str | None = None) -> tuple[Address, ...]:
    """Every guard, deadline and effect of every machine at its address in ``policy`` (or
    only those at ``path``), in the machines' order."""
    ensure_instance(policy, Policy, "policy")
    if path is not None:
        ensure_instance(path, str, "path")
    found = [a for m in MACHINES.values() for a in _machine(policy, m)]
    return tuple(a for a in found if path is None or a.path == path)


def _machine(policy: Policy, machine: Machine) -> Iterator[Address]:
    seen = set()
    for part, name, events, templates, code in _rules(machine):
        for template in templates:
            for path in _expand(policy, machine, template):
                if (part, name, path) not in seen:
                    seen.add((part, name, path))
                    basis = basis_at(policy, path)
                    yield Address(path, template, machine.name, part, name, events, code, basis)


Rule = tuple[Part, str, tuple[str, ...], tuple[str, ...], str]


def _rules(machine: Machine) -> list[Rule]:
    """Each guard, effect and deadline of ``machine``: part, name, events, paths, code."""
    events: dict[tuple[Part, str], list[str]] = {}
    for t in machine.transitions:
        for name in t.guards:
            events.setdefault(("guard", name), []).append(t.event)
        for name in t.effects:
            events.setdefault(("effect", name), []).append(t.event)
    rules: list[Rule] = [
        (part, name, tuple(on), (GUARD_PATHS if part == "guard" else EFFECT_PATHS)[name],
         f"creditflow.workflows.{part}s.{name}")
        for (part, name), on in events.items()
    ]  # fmt: skip
    code = f"creditflow.workflows.definitions.{machine.name.upper()}"
    rules += [
        ("deadline", d.name, (d.starts, *d.until),
         (d.setting, *filter(None, (d.extension, d.restarted_if))), code)
        for d in machine.deadlines
    ]  # fmt: skip
    return rules


def _expand(policy: Policy, machine: Machine, template: str) -> Iterator[str]:
    """``template`` with every combination of the pack's names for its placeholders."""
    fields = [f for _, f, _, _ in string.Formatter().parse(template) if f]
    choices = {
        "kind": case_kinds(policy, machine.kinds),
        "kinds": (machine.kinds,),
        "severity": case_kinds(policy, "severities"),
        "list": tuple(policy.lists),
    }
    for values in itertools.product(*(choices[f] for f in fields)):
        yield template.format(**dict(zip(fields, values, strict=True)))
