"""Credit checks by purpose: every restriction and incentive of the built-in packs, with basis,
and the exact days on which a check changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from _licensing_world import (
    ROAD,
    SUBJECT,
    D,
    approved_repair,
    breach,
    commitment,
    listing,
    new_book,
    record,
)

from creditflow import load_policy
from creditflow.book.book import CreditBook
from creditflow.licensing import CreditCheck, Evaluation, Evaluations, check

DAY = D(2026, 6, 1)
Scenario = Callable[[CreditBook], tuple[dt.date, Evaluations | None]]


def _grade(score: int) -> Scenario:
    def build(book: CreditBook) -> tuple[dt.date, Evaluations | None]:
        commitment(book, DAY)
        return DAY, Evaluations([Evaluation(SUBJECT, ROAD, 2026, score, DAY)])

    return build


def _listed(kind: str) -> Scenario:
    def build(book: CreditBook) -> tuple[dt.date, Evaluations | None]:
        return listing(book, kind, DAY)[1], None

    return build


def _breached(book: CreditBook) -> tuple[dt.date, Evaluations | None]:
    breach(book, DAY)
    return DAY, None


# Each rule of the built-in packs' purposes, and a world in which it applies.
SCENARIOS: dict[str, tuple[str, Scenario]] = {
    "licensing-serious-list": ("licensing", _listed("serious")),
    "licensing-no-commit": ("licensing", _breached),
    "licensing-no-missing-documents": ("licensing", _breached),
    "licensing-key-supervision": ("licensing", _listed("watch")),
    "licensing-commit": ("licensing", _grade(85)),
    "licensing-missing-documents": ("licensing", _grade(85)),
    "licensing-fast-track": ("licensing", _grade(95)),
    "licensing-fewer-checks": ("licensing", _grade(95)),
    "procurement-weighed": ("procurement", _listed("serious")),
    "bidding-weighed": ("bidding", _listed("serious")),
    "subsidy-serious-list": ("subsidy", _listed("serious")),
    "subsidy-red-list": ("subsidy", _listed("red")),
    "honours-serious-list": ("honours", _listed("serious")),
    "honours-watch-list": ("honours", _listed("watch")),
    "honours-breach": ("honours", _breached),
    "honours-red-list": ("honours", _listed("red")),
}


def _run(rule_id: str) -> CreditCheck:
    purpose, scenario = SCENARIOS[rule_id]
    book = new_book()
    on, evaluations = scenario(book)
    return check(book, SUBJECT, purpose=purpose, on=on, domain=ROAD, evaluations=evaluations)


@pytest.mark.parametrize(
    ("pack", "on"),
    [
        ("national-transport", D(2025, 6, 1)),
        ("national-transport", DAY),
        ("lindian-transport", DAY),
    ],
)
def test_every_purpose_rule_of_the_builtin_packs_has_a_scenario(pack: str, on: dt.date) -> None:
    policy = load_policy(pack, on=on)
    rules = {r.rule_id for p in policy.purposes.values() for r in p.rules}
    assert rules == set(SCENARIOS)
    assert set(policy.purposes) >= {"licensing", "procurement", "bidding", "subsidy", "honours"}


@pytest.mark.parametrize("rule_id", sorted(SCENARIOS))
def test_each_restriction_and_incentive_applies_with_its_rule_and_basis(rule_id: str) -> None:
    result = _run(rule_id)
    policy = load_policy("national-transport", on=result.on)
    purpose = policy.purposes[result.purpose]
    rule = next(r for r in purpose.rules if r.rule_id == rule_id)
    found = {c.rule_id: c for c in (*result.restrictions, *result.incentives)}
    assert rule_id in found, f"{rule_id} did not apply: {sorted(found)}"
    consequence = found[rule_id]
    assert consequence.measure == rule.measure
    assert consequence.effect == rule.effect
    assert consequence.basis == rule.basis and consequence.basis.text
    assert consequence.policy_version == "national-transport@2026.1"
    assert consequence.label == policy.measures[rule.measure].label
    listed = result.restrictions if rule.effect == "restriction" else result.incentives
    assert consequence in listed
    assert result.proceed_normally is all(c.normal for c in found.values())


def test_a_serious_listing_stops_procurement_and_bidding_from_proceeding_normally() -> None:
    result = _run("procurement-weighed")
    assert not result.proceed_normally
    assert [c.measure for c in result.restrictions] == ["weighed_in_procurement"]
    assert result.grade.how == "serious_list" and result.grade.grade == "D"
    assert result.decision_rule == "serious-list"


def test_a_good_grade_proceeds_normally_with_incentives_only() -> None:
    result = _run("licensing-fast-track")
    assert result.proceed_normally and result.restrictions == ()
    assert [c.measure for c in result.incentives] == [
        "commit_and_approve",
        "missing_documents",
        "fast_track",
        "no_onsite_check",
    ]
    assert result.grade.grade == "AA" and result.grade.how == "evaluation"


# ---------------------------------------------------------------- the exact day


def test_the_check_changes_on_the_day_the_listing_is_published() -> None:
    book = new_book()
    _, published = listing(book, "serious", DAY)
    before = check(book, SUBJECT, purpose="bidding", on=published - dt.timedelta(days=1),
                   domain=ROAD)  # fmt: skip
    after = check(book, SUBJECT, purpose="bidding", on=published, domain=ROAD)
    assert before.proceed_normally and before.restrictions == ()
    assert not after.proceed_normally
    assert [c.rule_id for c in after.restrictions] == ["bidding-weighed"]


def test_the_check_changes_on_the_day_a_repair_is_approved() -> None:
    book = new_book()
    committed = breach(book, DAY)
    approved = approved_repair(book, f"{committed}.record", D(2026, 9, 2))
    before = check(book, SUBJECT, purpose="licensing", on=approved - dt.timedelta(days=1),
                   domain=ROAD)  # fmt: skip
    after = check(book, SUBJECT, purpose="licensing", on=approved, domain=ROAD)
    assert before.flags == {"commitment_breached"}
    assert {c.measure for c in before.restrictions} == {
        "no_commit_and_approve",
        "no_missing_documents",
    }
    assert after.flags == frozenset() and after.restrictions == ()
    assert after.applies("commit_and_approve")


def test_the_check_changes_the_day_after_a_serious_breach_grade_ends() -> None:
    book = new_book()
    record(book, SUBJECT, "serious", DAY)
    last = D(2027, 6, 1)  # 1 year from the decision, the start day not counted
    during = check(book, SUBJECT, purpose="licensing", on=last, domain=ROAD)
    after = check(book, SUBJECT, purpose="licensing", on=last + dt.timedelta(days=1), domain=ROAD)
    assert (during.grade.grade, during.grade.how, during.grade.until) == (
        "D",
        "serious_breach",
        last,
    )
    assert during.applies("no_commit_and_approve")
    assert (after.grade.grade, after.grade.how) == ("B", "default_record")  # still published
    assert after.restrictions == () and after.incentives == ()


def test_the_check_changes_the_day_after_an_evaluation_expires() -> None:
    book = new_book()
    commitment(book, DAY)
    grades = Evaluations([Evaluation(SUBJECT, ROAD, 2026, 96, DAY)])
    last = D(2027, 6, 1)
    during = check(book, SUBJECT, purpose="licensing", on=last, domain=ROAD, evaluations=grades)
    after = check(book, SUBJECT, purpose="licensing", on=last + dt.timedelta(days=1), domain=ROAD,
                  evaluations=grades)  # fmt: skip
    assert during.grade.grade == "AA" and during.applies("fast_track")
    assert (after.grade.grade, after.grade.how) == ("A", "default")
    assert not after.applies("fast_track") and after.applies("commit_and_approve")
