"""The kit's strategies: valid ones draw only valid values, invalid ones only refused strings."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import creditflow
from creditflow import Facts, ResidentId, Subject, SubjectKind, Uscc
from creditflow.errors import CreditflowError, InvalidIdentifier
from creditflow.testing import strategies as cst
from creditflow.workflows import MACHINES
from creditflow.workflows.machine import Machine

POLICY = creditflow.load_policy("national-transport", on=dt.date(2026, 6, 1))


@given(cst.usccs())
def test_usccs_parse(code: str) -> None:
    assert Uscc.parse(code).code == code


@given(cst.invalid_usccs())
def test_invalid_usccs_are_refused(code: str) -> None:
    with pytest.raises(InvalidIdentifier):
        Uscc.parse(code)


@given(cst.resident_ids())
def test_resident_ids_parse(code: str) -> None:
    assert ResidentId.parse(code).code == code


@given(cst.invalid_resident_ids())
def test_invalid_resident_ids_are_refused(code: str) -> None:
    with pytest.raises(InvalidIdentifier):
        ResidentId.parse(code)


@pytest.mark.parametrize("kind", [None, *SubjectKind, "vehicle"])
@settings(max_examples=30)
@given(data=st.data())
def test_subjects_are_valid_and_of_the_kind_asked(
    kind: SubjectKind | str | None, data: st.DataObject
) -> None:
    subject = data.draw(cst.subjects(kind))
    assert Subject(subject.kind, subject.id, subject.name) == subject
    if kind is not None:
        assert subject.kind is SubjectKind(kind)


@given(data=st.data())
def test_grades_belong_to_the_scale(data: st.DataObject) -> None:
    scale = data.draw(st.sampled_from([d.scale for d in POLICY.domains.values()]))
    assert data.draw(cst.grades(scale)) in scale


@given(cst.facts(POLICY))
def test_facts_name_only_what_the_policy_declares(facts: Facts) -> None:
    assert facts.domain in POLICY.domains
    assert facts.grade in POLICY.domains[facts.domain].scale
    assert facts.lists <= POLICY.lists.keys()
    assert facts.flags <= POLICY.flags.keys()
    creditflow.Engine(POLICY).decide(facts)  # and the engine decides them


AROUND = dt.date(2027, 3, 31)


@given(cst.credit_records(POLICY, around=AROUND, spread=2))
def test_credit_records_are_decided_near_a_publication_boundary(
    record: creditflow.CreditRecord,
) -> None:
    assert record.domain in POLICY.domains
    assert Uscc.parse(record.subject_id)
    rule = POLICY.severities[record.severity]
    starts = [AROUND, AROUND - _approx(rule.publication_min.value)]
    starts.append(AROUND - _approx(rule.publication_max.value))
    assert min(abs((record.decided_on - s).days) for s in starts) <= 2 + 3  # month lengths


def _approx(period: creditflow.Period) -> dt.timedelta:
    per_unit = {"days": 1, "workdays": 1.4, "weeks": 7, "months": 30.4, "years": 365.25}
    return dt.timedelta(days=round(period.amount * per_unit[period.unit.value]))


def test_strategies_refuse_wrong_arguments() -> None:
    with pytest.raises(TypeError, match="scale must be a GradeScale"):
        cst.grades("AA")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="policy must be a Policy"):
        cst.facts("national-transport")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="spread=-1 < 0"):
        cst.credit_records(POLICY, around=AROUND, spread=-1)


@given(
    st.from_type(Uscc),
    st.from_type(ResidentId),
    st.from_type(Subject),
    st.from_type(Facts),
)
def test_from_type_draws_the_public_value_types(
    uscc: Uscc, resident: ResidentId, subject: Subject, facts: Facts
) -> None:
    assert isinstance(uscc, Uscc) and isinstance(resident, ResidentId)
    assert isinstance(subject, Subject)
    default = creditflow.load_policy()
    assert facts.domain in default.domains


def test_the_setup_hook_registers_and_may_run_twice() -> None:
    from creditflow.testing import _hypothesis_setup_hook

    _hypothesis_setup_hook()
    _hypothesis_setup_hook()
    drawn: list[object] = []

    @given(st.from_type(Uscc))
    def draw(uscc: Uscc) -> None:
        drawn.append(uscc)

    draw()
    assert drawn and all(isinstance(u, Uscc) for u in drawn)


def _walk(machine: Machine, events: tuple[str, ...]) -> tuple[str, list[bool]]:
    """The state the events lead to, and whether each was allowed where it fired."""
    state = machine.opening.target or ""
    allowed = []
    for event in events:
        transition = machine.transition(event)
        assert transition is not None
        allowed.append(state in transition.sources)
        state = transition.target or state
    return state, allowed


@pytest.mark.parametrize("name", sorted(MACHINES))
@given(data=st.data())
def test_event_sequences_follow_the_state_graph(name: str, data: st.DataObject) -> None:
    events = data.draw(cst.event_sequences(name, max_size=6))
    assert len(events) <= 6
    assert all(_walk(MACHINES[name], events)[1])


@pytest.mark.parametrize("name", sorted(MACHINES))
@given(data=st.data())
def test_broken_event_sequences_end_with_a_refused_event(name: str, data: st.DataObject) -> None:
    events = data.draw(cst.event_sequences(MACHINES[name], broken=True, max_size=6))
    allowed = _walk(MACHINES[name], events)[1]
    assert allowed[:-1] == [True] * (len(events) - 1) and allowed[-1] is False


@settings(max_examples=20, deadline=None)
@given(cst.event_sequences("listing", broken=True, max_size=1))
def test_the_book_refuses_a_broken_sequence(events: tuple[str, ...]) -> None:
    officer = creditflow.Actor("officer-1", {"case_officer", "approving_official"})
    with creditflow.CreditBook.memory(policy=POLICY) as book:
        case = book.open_case(
            "listing.serious",
            "91350100M000100Y43",
            on=dt.date(2026, 6, 1),
            actor=officer,
            domain="road_transport",
            grounds="g",
            basis="b",
        )
        with pytest.raises(CreditflowError):
            book.fire(case.case_id, events[0], on=dt.date(2026, 6, 2), actor=officer)
