"""One public: verify_plan confirms a true plan and refutes a tampered one; JSON round trips."""

from __future__ import annotations

import json

import attrs
import pytest
from supervision_builders import enterprise, officers, person, stratum, uscc, with_inspection

import creditflow
from creditflow.errors import InvalidInput
from creditflow.supervision import (
    InspectionPlan,
    PopulationEntry,
    draw_plan,
    first_difference,
    plan_from_json,
    plan_to_json,
    verify_plan,
)

SEED = "20260105"


@pytest.fixture(scope="module")
def population() -> list[PopulationEntry]:
    return [*stratum(40, "C"), *stratum(5, "D", start=100, lists={"serious"}), person(3, grade="D")]


@pytest.fixture(scope="module")
def plan(engine: creditflow.Engine, population: list[PopulationEntry]) -> InspectionPlan:
    return draw_plan(
        population, engine=engine, period=2026, seed=SEED, inspectors=officers(5), quarters=True
    )


def replace_inspection(plan: InspectionPlan, index: int, **changes: object) -> InspectionPlan:
    inspections = list(plan.inspections)
    inspections[index] = inspections[index]._replace(**changes)
    return attrs.evolve(plan, inspections=tuple(inspections))


def test_a_true_plan_is_confirmed(plan: InspectionPlan, population: list[PopulationEntry]) -> None:
    result = verify_plan(plan, reversed(population), officers(5)[::-1])
    assert result
    assert (result.confirmed, result.difference, result.digest) == (True, None, plan.digest)


def test_a_changed_subject_is_refuted(
    plan: InspectionPlan, population: list[PopulationEntry]
) -> None:
    drawn = {i.subject_id for i in plan.inspections}
    other = next(e.subject_id for e in population if e.subject_id not in drawn)
    tampered = replace_inspection(plan, 0, subject_id=other)
    result = verify_plan(tampered, population, officers(5))
    assert not result
    assert result.difference == (
        f"plan.inspections[0].subject_id: {other!r} published, "
        f"{plan.inspections[0].subject_id!r} drawn again"
    )
    assert result.digest == plan.digest


def test_a_changed_inspector_is_refuted(
    plan: InspectionPlan, population: list[PopulationEntry]
) -> None:
    first = plan.inspections[3]
    swapped = next(f"ZF00{n}" for n in range(5) if f"ZF00{n}" not in first.inspectors)
    tampered = replace_inspection(plan, 3, inspectors=(swapped, first.inspectors[1]))
    result = verify_plan(tampered, population, officers(5))
    assert not result
    assert result.difference is not None
    assert result.difference.startswith("plan.inspections[3].inspectors[0]: ")


def test_a_changed_seed_is_refuted(plan: InspectionPlan, population: list[PopulationEntry]) -> None:
    result = verify_plan(attrs.evolve(plan, seed="20260106"), population, officers(5))
    assert not result
    assert result.difference is not None
    assert result.difference.startswith("plan.inspections[0].")


def test_a_changed_population_or_directory_is_refuted(
    plan: InspectionPlan, population: list[PopulationEntry]
) -> None:
    assert not verify_plan(plan, population[1:], officers(5))
    assert not verify_plan(plan, population, officers(6))
    removed = verify_plan(plan, population[:-1], officers(5))
    assert removed.difference == "plan.population_size: 46 published, 45 drawn again"


def test_a_plan_under_another_policy_is_refuted(
    plan: InspectionPlan, population: list[PopulationEntry], policy: creditflow.Policy
) -> None:
    other = creditflow.Engine(with_inspection(policy, rounding="floor"))
    result = verify_plan(plan, population, officers(5), engine=other)
    assert not result
    assert result.difference is not None
    assert result.difference.startswith("policy: the plan was drawn under national-transport@")
    assert verify_plan(plan, population, officers(5), engine=creditflow.Engine(policy))


def test_a_plan_that_cannot_be_drawn_again_is_refuted(
    plan: InspectionPlan, population: list[PopulationEntry]
) -> None:
    result = verify_plan(plan, population, officers(1))
    assert not result
    assert result.digest is None
    assert result.difference is not None
    assert "the plan cannot be drawn again: infeasible plan: " in result.difference


def test_json_round_trips_and_keeps_the_digest(plan: InspectionPlan) -> None:
    text = plan_to_json(plan)
    data = json.loads(text)
    assert next(iter(data)) == "digest"
    assert data["digest"] == plan.digest
    again = plan_from_json(text)
    assert again == plan
    assert again.digest == plan.digest


def test_a_json_plan_altered_after_the_draw_is_refused(plan: InspectionPlan) -> None:
    data = json.loads(plan_to_json(plan))
    data["inspections"][0]["inspectors"].reverse()
    with pytest.raises(InvalidInput, match="the plan was altered after it was drawn"):
        plan_from_json(json.dumps(data))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "plan: invalid JSON"),
        ('{"format": 2}', "plan format 2 is not 1"),
        ('{"format": 1}', "not an inspection plan: KeyError: 'settings'"),
        ("[]", "not an inspection plan: AttributeError"),
    ],
)
def test_what_is_not_a_plan_is_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        plan_from_json(text)


def test_the_digest_is_the_sha256_of_the_canonical_json(plan: InspectionPlan) -> None:
    import hashlib

    canonical = json.dumps(
        plan.to_data(), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")
    assert plan.digest == hashlib.sha256(canonical).hexdigest()


def canonical_digest(plan: InspectionPlan) -> str:
    import hashlib

    text = json.dumps(plan.to_data(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"name": '企业 "引号" \\ 反斜杠\n\t\u0001 é 🚚'},
        {"visit": True},
        {"visit": 2.5},
        {"visit": 2**70},
        {"name": 7},
        {"inspectors": ("ZF1", None)},
        {"inspectors": []},
        {"inspectors": "AB"},
    ],
    ids=repr,
)
def test_the_digest_is_hashed_in_batches_as_the_canonical_json_of_any_values(
    plan: InspectionPlan, changes: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("creditflow.supervision.plan._BATCH", 3)
    assert len(plan.inspections) > 6  # several batches
    changed = replace_inspection(plan, 4, **changes)
    assert changed.digest == canonical_digest(changed)
    assert (changed.digest == plan.digest) == (not changes)


def test_first_difference_walks_keys_then_items() -> None:
    assert first_difference({"a": [1, 2]}, {"a": [1, 2]}) is None
    assert first_difference({"a": [1, 2]}, {"a": [1, 3]}) == "plan.a[1]: 2 published, 3 drawn again"
    assert first_difference({"a": [1]}, {"a": [1, 2]}) == "plan.a: 1 items published, 2 drawn again"
    assert first_difference({"a": 1}, {"b": 1}) == "plan.a: present in only one of the plans"
    assert first_difference({"a": 1}, {"a": True}) == "plan.a: 1 published, True drawn again"


def test_verify_reads_the_population_once_per_call(
    engine: creditflow.Engine, plan: InspectionPlan, population: list[PopulationEntry]
) -> None:
    assert verify_plan(plan, iter(population), iter(officers(5)), engine=engine)
    assert enterprise(0).subject_id == uscc(0)
