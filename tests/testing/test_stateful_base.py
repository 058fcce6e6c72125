"""The stateful base: its built-in invariants catch a book whose projections drift."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import rule, run_state_machine_as_test

from creditflow.testing import (
    BookStateMachine,
    CommitmentStateMachine,
    ListingStateMachine,
    ObjectionStateMachine,
    RepairStateMachine,
)

FAST = settings(
    max_examples=5,
    stateful_step_count=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


class Plain(BookStateMachine):
    policy = "national-transport"


class DriftingProjections(BookStateMachine):
    """A seeded defect: one step rewrites a case's projection, the events still say otherwise."""

    @rule()
    def rewrite_a_projection(self) -> None:
        rows = list(self.store.cases())
        if rows:
            rows[0] = attrs.evolve(rows[0], state="forged")
            self.store.replace_cases(rows)


def test_a_plain_subclass_runs() -> None:
    run_state_machine_as_test(Plain, settings=FAST)


def test_the_replay_invariant_catches_drifting_projections() -> None:
    with pytest.raises(AssertionError):
        run_state_machine_as_test(DriftingProjections, settings=settings(FAST, max_examples=50))


@pytest.mark.parametrize(
    "base",
    [ListingStateMachine, CommitmentStateMachine, RepairStateMachine, ObjectionStateMachine],
)
def test_each_workflow_base_fires_only_its_workflows(base: type[BookStateMachine]) -> None:
    fired: list[str] = []

    class Recording(base):  # type: ignore[valid-type,misc]
        policy = "national-transport"

        def teardown(self) -> None:
            fired.extend(c.machine for c in self.book.cases())

    run_state_machine_as_test(Recording, settings=settings(FAST, max_examples=10))
    assert fired
    assert set(fired) <= base.machines
