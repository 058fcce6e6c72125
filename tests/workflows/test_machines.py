"""The machine declarations: structure, the checks that run at import, policy coverage."""

from __future__ import annotations

import pytest

import creditflow
from creditflow.workflows import EFFECTS, GUARDS, MACHINES, Machine, Transition, machine_problems
from creditflow.workflows.machine import DeadlineRule, due_when_closed
from creditflow.workflows.settings import setting_problems


def test_the_built_in_machines_have_no_structural_problem() -> None:
    for machine in MACHINES.values():
        assert machine_problems(machine, GUARDS, EFFECTS) == []


def test_the_machines_of_the_design_table() -> None:
    assert MACHINES["commitment"].states == ("made", "fulfilled", "breached", "withdrawn")
    assert set(MACHINES["listing"].events) >= {
        "propose",
        "notify",
        "object",
        "dismiss_objection",
        "accept_objection",
        "decide",
        "publish",
        "expire",
        "remove_early",
        "revoke",
        "drop",
    }
    assert set(MACHINES["repair"].events) == {
        "apply",
        "accept",
        "reject",
        "extend",
        "approve",
        "deny",
        "revoke",
    }
    assert MACHINES["objection"].states == ("filed", "forwarded", "upheld", "dismissed")


def test_unreachable_states_and_dead_ends_are_found() -> None:
    broken = Machine(
        name="broken",
        kinds="lists",
        states=("a", "b", "c", "d"),
        finals=frozenset({"c"}),
        transitions=(
            Transition("open", (), "a"),
            Transition("go", ("a",), "b", guards=("no_such_guard",)),
            Transition("stay", ("b",), None, effects=("no_such_effect",)),
        ),
    )
    problems = machine_problems(broken, GUARDS, EFFECTS)
    assert "broken.go: unknown guard 'no_such_guard'" in problems
    assert "broken.stay: unknown effect 'no_such_effect'" in problems
    assert "broken: state 'c' is unreachable" in problems
    assert "broken: state 'd' is unreachable" in problems
    assert "broken: state 'b' is not final and has no way out" in problems


@pytest.mark.parametrize("key", [v.key for v in creditflow.builtin_versions()])
def test_every_built_in_pack_sets_what_the_machines_name(key: str) -> None:
    policy = creditflow.load_policy(key)
    assert setting_problems(policy, MACHINES) == []
    for machine in MACHINES.values():
        for event in machine.events:
            assert policy.permissions.roles(machine.name, event), f"{machine.name}.{event}"


def test_a_cycle_with_no_way_to_a_final_state_is_found() -> None:
    """Each state has a way out, but none leads to a final state (graph search backwards)."""
    trapped = Machine(
        name="trapped",
        kinds="lists",
        states=("a", "b", "done"),
        finals=frozenset({"done"}),
        transitions=(
            Transition("open", (), "a"),
            Transition("there", ("a",), "b"),
            Transition("back", ("b",), "a"),
            Transition("finish", ("done",), "a"),
        ),
    )
    problems = machine_problems(trapped, GUARDS, EFFECTS)
    assert "trapped: state 'a' has no path to a final state" in problems
    assert "trapped: state 'b' has no path to a final state" in problems
    assert not any("'done'" in p and "final" in p for p in problems)


def test_only_records_and_licences_may_close_with_a_due_deadline_unmet() -> None:
    found = {name: due_when_closed(machine) for name, machine in MACHINES.items()}
    assert {name: sorted(names) for name, names in found.items() if names} == {
        "record": ["disclosure"],  # ended, revoked or expired before the 双公示 disclosure
        "licence": ["disclosure"],
    }


def test_a_deadline_met_on_one_way_to_a_final_state_but_not_the_other_is_named() -> None:
    machine = Machine(
        "m", "kinds", ("open", "done", "dropped"), frozenset({"done", "dropped"}),
        (Transition("make", (), "open"), Transition("finish", ("open",), "done"),
         Transition("drop", ("open",), "dropped")),
        (DeadlineRule("answer", "make", "answer_period", ("finish",)),
         DeadlineRule("cooling", "make", "cooling_period", ("finish", "drop"), kind="wait")),
    )  # fmt: skip
    assert due_when_closed(machine) == {"answer"}  # "drop" leaves it running; a wait is no due
