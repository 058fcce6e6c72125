"""Tests of the Riverside pack, written only with creditflow's testing kit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant

import creditflow
from creditflow.testing import BookStateMachine, assert_monotone, assert_policy_sound
from creditflow.testing import strategies as cst

PACK = Path(__file__).resolve().parents[1] / "packs" / "riverside-transport.toml"
NATIONAL = creditflow.Engine(creditflow.load_policy("national-transport@2026.1"))
"""The national pack's engine, built once: loading a pack in every example would be slow."""


def test_the_pack_is_sound(creditflow_policy: creditflow.Policy) -> None:
    assert creditflow_policy.key == "riverside-transport@2026.1"
    assert_policy_sound(creditflow_policy)


@pytest.mark.parametrize("measure", ["sampling_ratio", "inspections_min", "inspections_max"])
def test_a_worse_grade_is_never_inspected_less(
    creditflow_policy: creditflow.Policy, measure: str
) -> None:
    assert_monotone(creditflow_policy, measure)  # type: ignore[arg-type]


def test_objections_are_checked_in_five_workdays(creditflow_policy: creditflow.Policy) -> None:
    assert str(creditflow_policy.objections.check_deadline.value) == "5 workdays"


@pytest.mark.parametrize(
    ("facts", "rule_id"),
    [
        (creditflow.Facts("road_transport", "AA", lists={"serious"}), "serious-list"),
        (creditflow.Facts("road_transport", "C", lists={"watch"}), "watch-list"),
        (
            creditflow.Facts("road_transport", "A", flags={"commitment_breached"}),
            "breach-good-grade",
        ),
        (creditflow.Facts("road_transport", "C", flags={"commitment_breached"}), "breach-grade-c"),
        (creditflow.Facts("road_transport", "A", lists={"red"}), "red-list"),
        (creditflow.Facts("road_transport", "AA"), "grade-aa"),
        (creditflow.Facts("road_transport", "A"), "grade-a"),
        (creditflow.Facts("road_transport", "B"), "grade-b"),
        (creditflow.Facts("road_transport", "C"), "grade-c"),
        (creditflow.Facts("road_transport", "D", lists={"red"}), "grade-d"),
    ],
)
def test_every_rule_decides_in_some_test(
    creditflow_policy: creditflow.Policy, facts: creditflow.Facts, rule_id: str
) -> None:
    # --creditflow-coverage (in pyproject.toml) shows no rule left unhit; the trace says why
    trace = creditflow.Engine(creditflow_policy).trace(facts)
    assert trace.decision.rule_id == rule_id, trace.to_text()


@given(data=st.data())
def test_the_local_pack_decides_like_the_national_one(
    creditflow_policy: creditflow.Policy, data: st.DataObject
) -> None:
    facts = data.draw(cst.facts(creditflow_policy))
    ours = creditflow.Engine(creditflow_policy).decide(facts)
    theirs = NATIONAL.decide(facts)
    assert (ours.sampling_ratio, ours.rule_id) == (theirs.sampling_ratio, theirs.rule_id)


@given(subject=cst.subjects("enterprise"))
def test_a_new_subject_has_a_clean_status(
    creditflow_policy: creditflow.Policy, subject: creditflow.Subject
) -> None:
    with creditflow.CreditBook.memory(policy=creditflow_policy) as book:
        status = book.status(subject.id, on=dt.date(2026, 6, 1))
        assert not status.records


def test_a_listing_proposal_opens_a_case(memory_book: creditflow.CreditBook) -> None:
    officer = creditflow.Actor("officer-1", {"case_officer"})
    case = memory_book.open_case(
        "listing.watch",
        "91350100M000100Y43",
        on=dt.date(2026, 6, 1),
        actor=officer,
        domain="road_transport",
        grounds="多次违法",
        basis="交政研发〔2018〕181号",
    )
    assert case.state == "proposed"
    assert memory_book.verify().ok


def test_the_sqlite_book_keeps_its_chain(sqlite_book: creditflow.CreditBook) -> None:
    assert sqlite_book.verify().ok


class RiversideHistories(BookStateMachine):
    """Random histories under the Riverside pack, with one invariant of our own."""

    policy = str(PACK)

    @invariant()
    def every_case_is_about_our_subject(self) -> None:
        assert all(c.subject_id == self.subject for c in self.book.cases())


RiversideHistories.TestCase.settings = settings(
    max_examples=10,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
test_riverside_histories = RiversideHistories.TestCase
