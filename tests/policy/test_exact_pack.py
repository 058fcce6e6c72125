"""Decisions, credit checks, inspection plans and book events name the exact pack: its
``name@version`` and its content digest, so that two differently edited files of the same
version are told apart afterwards (issue 14 §5); ``repr(policy)`` is short."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from _packs import national_data
from _people import OFFICER, SUBJECT, published_listing
from creditflow.book.book import CreditBook
from creditflow.core.facts import Facts
from creditflow.core.subjects import SubjectKind
from creditflow.licensing import check
from creditflow.policy.loader import policy_from_data
from creditflow.policy.model import Policy
from creditflow.rules.engine import Engine
from creditflow.rules.loading import load_policy

D = dt.date
ON = D(2026, 6, 1)


@pytest.fixture(scope="module")
def edited() -> tuple[Policy, Policy]:
    """The national pack 2026.1 as shipped, and a copy of the same version with one
    figure edited (the grade B ratio, 5% -> 4%, which keeps the table sound: 6% would give a
    grade B firm more than a breach flag does, a direction violation)."""
    shipped = load_policy("national-transport@2026.1")
    data = national_data()
    rule = next(r for r in data["decisions"]["rules"] if r["id"] == "grade-b")
    rule["sampling_ratio"] = "4%"
    other = policy_from_data(data, "edited/national-transport-2026.toml")
    assert other.key == shipped.key and other.digest != shipped.digest
    return shipped, other


def test_a_decision_records_the_pack_digest(edited: tuple[Policy, Policy]) -> None:
    facts = Facts("road_transport", "A")  # decided alike by both packs
    first, second = (Engine(p).decide(facts) for p in edited)
    assert first.policy_version == second.policy_version == "national-transport@2026.1"
    assert first.policy_digest == edited[0].digest
    assert second.policy_digest == edited[1].digest
    assert first != second  # same figures, different packs: told apart
    assert first.to_dict()["policy_digest"] == edited[0].digest


def test_a_credit_check_records_the_pack_digest(edited: tuple[Policy, Policy]) -> None:
    results = []
    for policy in edited:
        book = CreditBook.memory(policy=policy)
        published_listing(book)
        results.append(check(book, SUBJECT, purpose="bidding", on=ON, domain="road_transport"))
    assert [r.policy_version for r in results] == ["national-transport@2026.1"] * 2
    assert [r.policy_digest for r in results] == [p.digest for p in edited]


def test_every_book_event_records_the_pack_that_governed_it(
    edited: tuple[Policy, Policy],
) -> None:
    tags = []
    for policy in edited:
        book = CreditBook.memory(policy=policy)
        published_listing(book)
        events = list(book.events())
        assert len(events) >= 5  # the listing's events and its record's follow-up
        assert {e.pack for e in events} == {f"{policy.key}#{policy.digest}"}
        assert all(e.data["_pack"] == e.pack for e in events)
        assert book.verify(deep=True).ok  # projections equal the replay
        assert all("_pack" not in c.data for c in book.replay().values())
        tags.append(events[0].pack)
    assert tags[0] != tags[1]


def test_a_book_over_two_versions_records_each_events_own_pack() -> None:
    book = CreditBook.memory(policy="national-transport")
    early = published_listing(book, on=D(2026, 3, 20))  # proposed under 2019.1
    events = list(book.events(case_id=early))
    versions = [e.pack.split("#")[0] for e in events if e.pack]
    assert versions[0] == "national-transport@2019.1"
    assert versions[-1] == "national-transport@2026.1"  # decided and published in April
    assert book.verify(deep=True).ok


def test_a_retried_event_returns_the_case_without_the_pack_in_its_data() -> None:
    book = CreditBook.memory(policy="national-transport")
    first = book.open_case(
        "listing.watch", SUBJECT, on=ON, actor=OFFICER, idempotency_key="k1",
        domain="road_transport", grounds="g", basis="b",
    )  # fmt: skip
    again = book.open_case(
        "listing.watch", SUBJECT, on=ON, actor=OFFICER, idempotency_key="k1",
        domain="road_transport", grounds="g", basis="b",
    )  # fmt: skip
    assert again.data == first.data and "_pack" not in again.data


def test_an_inspection_plan_records_the_pack_digest(edited: tuple[Policy, Policy]) -> None:
    from creditflow.supervision import Inspector, PopulationEntry, draw_plan

    facts = Facts("road_transport", "B")
    population = [PopulationEntry(SubjectKind.ENTERPRISE, SUBJECT, "甲公司", "230123", facts)]
    inspectors = [Inspector(f"i{n}", f"检查员{n}", {"230123"}, {"road_transport"}) for n in (1, 2)]
    plans = [
        draw_plan(population, engine=Engine(p), period=2026, seed="s", inspectors=inspectors)
        for p in edited
    ]
    assert [p.policy_key for p in plans] == ["national-transport@2026.1"] * 2
    assert [p.policy_digest for p in plans] == [p.digest for p in edited]
    assert plans[0].to_data()["policy"] == {"key": edited[0].key, "digest": edited[0].digest}


def test_the_repr_of_a_policy_is_short() -> None:
    policy = load_policy("national-transport@2026.1")
    text = repr(policy)
    assert len(text) < 200, len(text)
    assert text == (
        f"Policy('national-transport@2026.1', digest='{policy.digest[:12]}…', "
        "origin='builtin:national-transport-2026.toml')"
    )
    assert Fraction(1, 20) == Engine(policy).decide(Facts("road_transport", "B")).sampling_ratio
