"""The one soundness check of a policy pack, which every entry point runs.

:func:`analyse_policy` is the only validation of a read pack: ``load_policy`` and
``check_policy`` (so ``creditflow check``), the :class:`~creditflow.CreditBook` and
``creditflow.testing.assert_policy_sound`` all call it, so none of them can pass a pack that
another refuses, and all of them name the same problems in the same words. It gathers

- the table analysis (:mod:`creditflow.rules.analysis`): gaps, unresolved overlaps, grade
  order and the direction of every list kind and flag;
- the content checks (:mod:`creditflow.policy.soundness`): positive periods, stated bases;
- what the workflows need of a policy: a role for every event of every machine (and no
  permission or separation of duties naming a workflow or event that does not exist), every
  deadline setting a machine names, and each machine's graph (every state reachable, and a path to a
  final state from every state).

Why it lives here: the check needs the machines, and the workflows layer is the lowest one that
sees both them and the layers below (policy, rules), so everything it reads is imported the
ordinary way, downwards. The loaders of the rules layer (``load_policy``, ``check_policy``) are
the one exception: a pack enters through them, so they import this module inside the function
that calls it. That keeps ``creditflow.rules`` importable without the workflows (the layers
stay separable) while no loader can skip the check. A registry that the workflows fill at
import was the alternative, and was refused: a pack loaded before ``creditflow.workflows`` was
first imported would have passed unchecked.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from creditflow._validation import ensure_instance
from creditflow.errors import PolicyProblem
from creditflow.policy.model import Policy
from creditflow.policy.soundness import content_problems
from creditflow.rules.analysis import AnalysisReport
from creditflow.rules.table import compile_table
from creditflow.workflows.definitions import MACHINES
from creditflow.workflows.effects import EFFECTS
from creditflow.workflows.guards import GUARDS
from creditflow.workflows.machine import Machine, machine_problems
from creditflow.workflows.settings import setting_problems

__all__ = ["analyse_policy", "workflow_problems"]


def analyse_policy(policy: Policy) -> AnalysisReport:
    """The analysis report of ``policy`` with every problem the one check finds: the table's
    (see :class:`~creditflow.rules.analysis.AnalysisReport`) and, in ``policy_problems``,
    non-positive periods, blank bases and what the workflows cannot run. ``ok`` is True when
    the pack may be served, decided with and run by a book."""
    ensure_instance(policy, Policy, "policy")
    report = compile_table(policy).report
    found = (*content_problems(policy), *workflow_problems(policy))
    return attrs.evolve(report, policy_problems=found) if found else report


def workflow_problems(
    policy: Policy, machines: Mapping[str, Machine] = MACHINES
) -> list[PolicyProblem]:
    """What ``machines`` need of ``policy`` and do not get: an event no role may fire, a
    deadline setting the policy cannot resolve, and any structural problem of a machine's
    graph (:func:`~creditflow.workflows.machine.machine_problems`)."""
    ensure_instance(policy, Policy, "policy")
    origin = policy.origin
    problems = [
        PolicyProblem(origin, f"workflows.{m.name}", p)
        for m in machines.values()
        for p in machine_problems(m, GUARDS, EFFECTS)
    ]
    problems += [PolicyProblem(origin, "workflows", p) for p in setting_problems(policy, machines)]
    problems += [
        PolicyProblem(origin, f"permissions.{machine.name}.{event}", "no role may fire it")
        for machine in machines.values()
        for event in machine.events
        if not policy.permissions.roles(machine.name, event)
    ]
    return problems + _unknown_duties(policy, machines)


def _unknown_duties(policy: Policy, machines: Mapping[str, Machine]) -> list[PolicyProblem]:
    """A permission or a separation of duties naming a workflow or an event that does not
    exist: a typo that would grant nothing, or separate nothing, without a word."""
    origin = policy.origin
    problems = []

    def unknown(path: str, machine_path: str, machine: str, events: tuple[str, ...]) -> None:
        if machine not in machines:
            known = ", ".join(machines)
            reason = f"no workflow {machine!r}; workflows: {known}"
            problems.append(PolicyProblem(origin, machine_path, reason))
            return
        for event in events:
            if event not in machines[machine].events:
                known = ", ".join(machines[machine].events)
                reason = f"{machine} has no event {event!r}; events: {known}"
                problems.append(PolicyProblem(origin, f"{path}.{event}", reason))

    for machine, grants in policy.permissions.events.items():
        unknown(f"permissions.{machine}", f"permissions.{machine}", machine, tuple(grants))
    for index, separation in enumerate(policy.separations):
        where = f"separation[{index}]"
        unknown(f"{where}.events", f"{where}.machine", separation.machine, separation.events)
    return problems
