"""The credit book: every transition and refusal of every machine, on a real store."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import attrs
import pytest

import creditflow
from _people import (
    DECISION,
    ME,
    OFFICER,
    OFFICER_2,
    OFFICER_AND_OFFICIAL,
    OFFICIAL,
    OTHER,
    REVIEWER,
    SUBJECT,
    D,
    entered_record,
    proposed_listing,
    published_listing,
    repair_application,
)
from creditflow.book import SYSTEM, CreditBook, MemoryStore, Overdue
from creditflow.calendar.periods import Period
from creditflow.errors import (
    Conflict,
    IdempotencyKeyReused,
    InvalidDate,
    InvalidIdentifier,
    InvalidInput,
    NotPermitted,
    TransitionRefused,
    UnknownCase,
    UnknownName,
)
from creditflow.policy.model import Basis, Provision, Source
from creditflow.workflows import Actor

CALENDAR_YEAR = D(2026, 5, 6)


def snapshot(book: CreditBook) -> tuple[object, ...]:
    return (book.verify().head, tuple(c.to_body().items() for c in book.cases()))


# ---------------------------------------------------------------- listing


def test_a_listing_runs_its_whole_procedure(book: CreditBook) -> None:
    case_id = published_listing(book)
    case = book.get(case_id)
    assert case.state == "published"
    assert [h.event for h in case.history] == ["propose", "notify", "decide", "publish"]
    assert [h.actor for h in case.history] == ["officer-1", "officer-1", "official-1", "officer-1"]
    assert case.deadline("publication").met_on == D(2026, 5, 21)
    assert case.deadline("expiry").last_day == D(2029, 5, 20)  # 3 years from the decision
    status = book.status(SUBJECT, on=D(2026, 6, 1))
    assert status.list_kinds == {"serious"}
    assert [r.record_kind for r in status.records] == ["listing"]
    assert book.status(SUBJECT, on=D(2026, 5, 20)).list_kinds == frozenset()  # not yet published


def test_a_decision_waits_for_the_statement_period_or_a_waiver(book: CreditBook) -> None:
    case = book.open_case(
        "listing.watch",
        SUBJECT,
        on=D(2026, 5, 6),
        actor=OFFICER,
        domain="road_transport",
        grounds="g",
        basis="b",
    )
    book.fire(case.case_id, "notify", on=D(2026, 5, 6), actor=OFFICER)
    with pytest.raises(TransitionRefused) as info:
        book.fire(case.case_id, "decide", on=D(2026, 5, 12), actor=OFFICIAL, **DECISION)
    error = info.value
    assert (error.case_id, error.event, error.state, error.guard) == (
        case.case_id,
        "decide",
        "notified",
        "statement_done",
    )
    assert error.on == D(2026, 5, 12)
    assert error.rule == "lists.watch.statement_period"
    # 5 working days from Wednesday 6 May 2026, Saturday 9 May being a make-up working day
    assert "the statement period runs until 2026-05-12" in str(error)
    book.fire(case.case_id, "waive", on=D(2026, 5, 8), actor=ME)
    decided = book.fire(case.case_id, "decide", on=D(2026, 5, 8), actor=OFFICIAL, **DECISION)
    assert decided.state == "decided"


def test_objections_within_the_window(book: CreditBook) -> None:
    case = book.open_case(
        "listing.serious",
        SUBJECT,
        on=D(2026, 5, 6),
        actor=OFFICER,
        domain="road_transport",
        grounds="g",
        basis="b",
    )
    book.fire(case.case_id, "notify", on=D(2026, 5, 6), actor=OFFICER)
    objected = book.fire(case.case_id, "object", on=D(2026, 5, 12), actor=ME, summary="事实有误")
    assert objected.state == "objected"
    back = book.fire(case.case_id, "dismiss_objection", on=D(2026, 5, 14), actor=REVIEWER)
    assert back.state == "notified"
    with pytest.raises(TransitionRefused, match="the objection window closed on 2026-05-12"):
        book.fire(case.case_id, "object", on=D(2026, 5, 15), actor=ME, summary="again")
    again = book.open_case(
        "listing.serious",
        SUBJECT,
        on=D(2026, 5, 6),
        actor=OFFICER,
        domain="road_transport",
        grounds="g",
        basis="b",
    )
    book.fire(again.case_id, "notify", on=D(2026, 5, 6), actor=OFFICER)
    book.fire(again.case_id, "object", on=D(2026, 5, 7), actor=ME, summary="s")
    dropped = book.fire(again.case_id, "accept_objection", on=D(2026, 5, 8), actor=REVIEWER)
    assert dropped.state == "dropped"
    assert dropped.closed


def test_an_objection_to_a_proposal_is_answered_in_time(book: CreditBook) -> None:
    listing = book.open_case(
        "listing.serious", SUBJECT, on=D(2026, 5, 6), actor=OFFICER, domain="road_transport",
        grounds="g", basis="b",
    ).case_id  # fmt: skip
    book.fire(listing, "notify", on=D(2026, 5, 6), actor=OFFICER)
    objected = book.fire(listing, "object", on=D(2026, 5, 7), actor=ME, summary="事实有误")
    answer = objected.deadline("objection_answer")
    assert answer is not None and answer.last_day == D(2026, 5, 15)  # 7 workdays, 9 May worked
    assert [d.name for c, d in book.overdue(on=D(2026, 5, 16))] == ["objection_answer"]
    book.fire(listing, "dismiss_objection", on=D(2026, 5, 18), actor=REVIEWER)
    assert book.overdue(on=D(2026, 5, 18)) == []


def test_a_decision_waits_for_the_objection_window_unless_waived() -> None:
    national = creditflow.load_policy("national-transport@2026.1")
    serious = national.lists["serious"]
    assert serious.objection_window is not None
    longer = attrs.evolve(serious.objection_window, value=Period.parse("15 workdays"))
    policy = attrs.evolve(
        national,
        lists={**national.lists, "serious": attrs.evolve(serious, objection_window=longer)},
    )
    book = CreditBook.memory(policy=policy)

    def notified() -> str:
        case = book.open_case(
            "listing.serious",
            SUBJECT,
            on=D(2026, 5, 6),
            actor=OFFICER,
            domain="road_transport",
            grounds="g",
            basis="b",
        )
        book.fire(case.case_id, "notify", on=D(2026, 5, 6), actor=OFFICER)
        return case.case_id

    case_id = notified()  # statement period to 2026-05-12, objection window to 2026-05-26
    with pytest.raises(TransitionRefused, match="objection window runs until 2026-05-26") as info:
        book.fire(case_id, "decide", on=D(2026, 5, 13), actor=OFFICIAL, **DECISION)
    assert info.value.rule == "lists.serious.objection_window"
    book.fire(case_id, "object", on=D(2026, 5, 26), actor=ME, summary="事实有误")
    waived = notified()
    book.fire(waived, "waive", on=D(2026, 5, 7), actor=ME)
    assert book.fire(waived, "decide", on=D(2026, 5, 7), actor=OFFICIAL, **DECISION).state == (
        "decided"
    )


def test_the_red_list_has_no_statement_step(book: CreditBook) -> None:
    case = book.open_case(
        "listing.red",
        SUBJECT,
        on=D(2026, 5, 6),
        actor=OFFICER,
        domain="road_transport",
        grounds="守信",
        basis="b",
    )
    with pytest.raises(TransitionRefused, match="has no statement step: decide directly"):
        book.fire(case.case_id, "notify", on=D(2026, 5, 6), actor=OFFICER)
    book.fire(case.case_id, "decide", on=D(2026, 5, 7), actor=OFFICIAL, **DECISION)
    published = book.fire(case.case_id, "publish", on=D(2026, 5, 8), actor=OFFICER)
    assert published.effects == ()  # a red listing is no credit record
    assert book.status(SUBJECT, on=D(2026, 5, 8)).list_kinds == {"red"}


def test_expiry_only_after_the_duration_and_automatically(book: CreditBook) -> None:
    case_id = published_listing(book, "watch")
    with pytest.raises(TransitionRefused, match="the listing runs until 2027-05-20"):
        book.fire(case_id, "expire", on=D(2027, 5, 20), actor=SYSTEM)
    assert book.status(SUBJECT, on=D(2027, 5, 20)).list_kinds == {"watch"}
    assert book.status(SUBJECT, on=D(2027, 5, 21)).list_kinds == frozenset()
    assert [(c.case_id, d.name) for c, d in book.overdue(on=D(2027, 5, 21))][:1] == [
        (case_id, "expiry"),
    ]
    fired = book.run_due(on=D(2027, 5, 21))
    assert fired[0].case_id == case_id
    assert book.get(case_id).state == "removed"
    assert book.get(f"{case_id}.record").state == "ended"


def test_run_due_passes_over_a_listing_never_published_and_ends_the_rest(
    book: CreditBook,
) -> None:
    record = entered_record(book, D(2026, 6, 1), D(2026, 5, 29))
    listing = book.open_case(
        "listing.watch",
        SUBJECT,
        on=D(2026, 5, 6),
        actor=OFFICER,
        domain="road_transport",
        grounds="g",
        basis="b",
    )
    book.fire(listing.case_id, "notify", on=D(2026, 5, 6), actor=OFFICER)
    book.fire(listing.case_id, "decide", on=D(2026, 5, 20), actor=OFFICIAL, **DECISION)
    fired = book.run_due(on=D(2027, 6, 1))
    assert [c.case_id for c in fired] == [record]
    assert book.get(listing.case_id).state == "decided"
    assert {d.name for c, d in book.overdue(on=D(2027, 6, 1))} == {"publication", "expiry"}


def test_early_removal_needs_an_approved_repair(book: CreditBook) -> None:
    case_id = published_listing(book)
    with pytest.raises(NotPermitted, match="holds none of the roles"):
        book.fire(case_id, "remove_early", on=D(2027, 6, 1), actor=OFFICIAL, repair_case="x")
    with pytest.raises(TransitionRefused, match="early removal needs an approved repair"):
        book.fire(case_id, "remove_early", on=D(2027, 6, 1), actor=SYSTEM, repair_case="x")


def test_separation_of_duties_in_listing(book: CreditBook) -> None:
    case = book.open_case(
        "listing.serious",
        SUBJECT,
        on=D(2026, 5, 6),
        actor=OFFICER_AND_OFFICIAL,
        domain="road_transport",
        grounds="g",
        basis="b",
    )
    book.fire(case.case_id, "notify", on=D(2026, 5, 6), actor=OFFICER)
    with pytest.raises(NotPermitted) as info:
        book.fire(case.case_id, "decide", on=D(2026, 5, 20), actor=OFFICER_AND_OFFICIAL, **DECISION)
    assert info.value.rule == "separation listing:propose/decide"
    assert "fired 'propose' in this case and may not fire 'decide'" in str(info.value)
    assert not isinstance(info.value, OSError)  # a refusal, not a system error


# ---------------------------------------------------------------- commitments


def test_a_breached_commitment_records_and_tells_the_licensing_system(book: CreditBook) -> None:
    made = book.open_case(
        "commitment.approval_substitute",
        SUBJECT,
        on=D(2026, 6, 1),
        actor=ME,
        domain="road_transport",
        summary="承诺符合条件",
        approval_id="XK-1",
    )
    # 30 working days after Monday 1 June 2026, the Dragon Boat Festival (19 June) excluded
    assert made.deadline("verification").last_day == D(2026, 7, 14)
    breached = book.fire(
        made.case_id, "breach", on=D(2026, 6, 10), actor=OFFICER, summary="承诺不实"
    )
    effects = {e.name: e for e in breached.effects}
    assert effects["revoke_approval"].external
    assert effects["revoke_approval"].data == {"approval_id": "XK-1"}
    assert effects["credit_record"].data == {"severity": "general"}
    status = book.status(SUBJECT, on=D(2026, 6, 10))
    assert status.flags == {"commitment_breached"}
    assert [(r.severity, r.record_kind) for r in status.records] == [
        ("general", "commitment_breach"),
    ]


def test_a_commitment_whose_breach_revokes_an_approval_names_it(book: CreditBook) -> None:
    with pytest.raises(TransitionRefused, match="must name the approval it stands for") as info:
        book.open_case(
            "commitment.approval_substitute", SUBJECT, on=D(2026, 6, 1), actor=ME,
            domain="road_transport", summary="承诺符合条件",
        )  # fmt: skip
    assert (info.value.guard, info.value.rule) == (
        "approval_named",
        "commitments.approval_substitute.breach_consequences",
    )
    assert book.head()[0] == 0
    voluntary = book.open_case(  # no approval rests on it
        "commitment.voluntary", SUBJECT, on=D(2026, 6, 1), actor=ME, domain="road_transport",
        summary="主动公示",
    )  # fmt: skip
    assert voluntary.state == "made"


def test_a_time_limit_ending_on_a_holiday_moves_to_the_next_working_day(
    book: CreditBook,
) -> None:
    """Civil Code Art. 203: one month from 1 September 2026 ends on 1 October, a holiday."""
    made = book.open_case(
        "commitment.missing_documents", SUBJECT, on=D(2026, 9, 1), actor=ME,
        domain="road_transport", summary="容缺承诺", approval_id="SQ-1",
    )  # fmt: skip
    verification = made.deadline("verification")
    assert verification is not None and verification.last_day == D(2026, 10, 8)
    assert book.overdue(on=D(2026, 10, 8)) == []
    record = entered_record(book, D(2025, 10, 1), D(2025, 10, 1))  # a length does not move
    end = book.get(record).deadline("publication_end")
    assert end is not None and end.last_day == D(2026, 10, 1)


def test_commitments_fulfilled_withdrawn_and_overdue(book: CreditBook) -> None:
    kept = book.open_case(
        "commitment.missing_documents",
        SUBJECT,
        on=D(2026, 6, 1),
        actor=ME,
        domain="road_transport",
        summary="补齐材料",
    )
    late = book.open_case(
        "commitment.missing_documents",
        SUBJECT,
        on=D(2026, 6, 1),
        actor=ME,
        domain="road_transport",
        summary="补齐材料",
    )
    gone = book.open_case(
        "commitment.voluntary",
        SUBJECT,
        on=D(2026, 6, 1),
        actor=ME,
        domain="road_transport",
        summary="主动公示",
    )
    assert book.fire(kept.case_id, "fulfil", on=D(2026, 6, 20), actor=OFFICER).state == "fulfilled"
    assert book.fire(gone.case_id, "withdraw", on=D(2026, 6, 2), actor=ME).state == "withdrawn"
    overdue = book.overdue(on=D(2026, 7, 2))
    assert [(c.case_id, d.name, d.last_day) for c, d in overdue] == [
        (late.case_id, "verification", D(2026, 7, 1)),
    ]
    assert book.overdue(on=D(2026, 7, 1)) == []
    (item,) = overdue  # a named record that still unpacks as the pair it used to be
    assert isinstance(item, Overdue) and item == (item.case, item.deadline)
    assert (item.case.case_id, item.deadline.name) == (late.case_id, "verification")


def test_overdue_on_a_past_date_lists_what_was_overdue_that_day(book: CreditBook) -> None:
    """A repair applied on Thursday 2027-05-20 must be accepted within 3 working days, by
    Tuesday 2027-05-25; accepted late on 2027-06-01, it was overdue from 2027-05-26 to
    2027-05-31, and an audit as of those days still sees it."""
    listing = published_listing(book)
    repair = repair_application(book, listing, D(2027, 5, 20))
    book.fire(repair, "accept", on=D(2027, 6, 1), actor=OFFICER)  # late, and then approved
    book.fire(repair, "approve", on=D(2027, 6, 1), actor=OFFICIAL)

    def overdue(on: dt.date) -> list[tuple[str, str]]:
        return [(c.case_id, d.name) for c, d in book.overdue(on=on) if c.case_id == repair]

    assert overdue(D(2027, 5, 25)) == []  # the last day
    assert overdue(D(2027, 5, 26)) == [(repair, "acceptance")]
    assert overdue(D(2027, 5, 31)) == [(repair, "acceptance")]
    assert overdue(D(2027, 6, 1)) == []  # met that day
    assert overdue(D(2027, 5, 19)) == []  # before the case
    ((_, deadline),) = [i for i in book.overdue(on=D(2027, 5, 26)) if i[0].case_id == repair]
    assert deadline.met_on == D(2027, 6, 1)  # as recorded: met late


def test_overdue_on_a_past_date_skips_a_deadline_not_yet_started(book: CreditBook) -> None:
    """The decision deadline starts at the acceptance: before it, nothing is due."""
    listing = published_listing(book)
    repair = repair_application(book, listing, D(2027, 5, 21))
    book.fire(repair, "accept", on=D(2027, 5, 21), actor=OFFICER)
    book.fire(repair, "approve", on=D(2027, 7, 1), actor=OFFICIAL)  # late
    names = [d.name for c, d in book.overdue(on=D(2027, 6, 15)) if c.case_id == repair]
    assert names == ["decision"]
    assert [d.name for c, d in book.overdue(on=D(2027, 5, 20)) if c.case_id == repair] == []


# ---------------------------------------------------------------- repair


def test_repair_of_a_listing_after_the_minimum_removes_it_and_fraud_restores_it(
    book: CreditBook,
) -> None:
    listing = published_listing(book)
    early = repair_application(book, listing, D(2027, 5, 20))
    with pytest.raises(TransitionRefused) as info:  # the minimum's last day: not yet over
        book.fire(early, "accept", on=D(2027, 5, 20), actor=OFFICER)
    assert info.value.guard == "repair_eligible"
    assert "ends on 2027-05-20" in str(info.value)
    assert info.value.rule == "severities.serious.publication_min"
    repair = repair_application(book, listing, D(2027, 5, 21))
    book.fire(repair, "accept", on=D(2027, 5, 21), actor=OFFICER)
    approved = book.fire(repair, "approve", on=D(2027, 5, 21), actor=OFFICIAL)
    assert approved.state == "approved"
    assert book.get(listing).state == "removed"
    assert book.status(SUBJECT, on=D(2027, 5, 21)).list_kinds == frozenset()
    revoked = book.fire(repair, "revoke", on=D(2027, 6, 1), actor=OFFICIAL, summary="材料造假")
    assert {e.name for e in revoked.effects} >= {"publication_restored", "repair_barred"}
    status = book.status(SUBJECT, on=D(2027, 6, 1))
    assert status.list_kinds == {"serious"}
    assert {r.record_kind for r in status.records} == {"listing", "repair_fraud"}
    again = repair_application(book, listing, D(2027, 6, 2))
    with pytest.raises(TransitionRefused, match="repair is barred until 2030-06-01"):
        book.fire(again, "accept", on=D(2027, 6, 2), actor=OFFICER)


def test_false_materials_bar_the_repair_of_what_they_were_for_only(book: CreditBook) -> None:
    """Order 36: no repair of the original information for 3 years. The ban bars the listing
    whose repair was revoked (and so its record); another record of the subject is repaired as
    usual; the record of the false materials is never repaired."""
    listing = published_listing(book)
    record = entered_record(book, D(2027, 1, 4), D(2027, 1, 4), "general")
    repair = repair_application(book, listing, D(2027, 5, 21))
    book.fire(repair, "accept", on=D(2027, 5, 21), actor=OFFICER)
    book.fire(repair, "approve", on=D(2027, 5, 21), actor=OFFICIAL)
    revoked = book.fire(repair, "revoke", on=D(2027, 6, 1), actor=OFFICIAL, summary="材料造假")
    barred = next(e for e in revoked.effects if e.name == "repair_barred")
    assert barred.data == {"for": "3 years", "target": listing}
    other = repair_application(book, record, D(2027, 6, 2))
    assert book.fire(other, "accept", on=D(2027, 6, 2), actor=OFFICER).state == "accepted"
    assert book.fire(other, "approve", on=D(2027, 6, 2), actor=OFFICIAL).state == "approved"
    again = repair_application(book, listing, D(2028, 6, 2))  # its minimum over, the ban not
    with pytest.raises(TransitionRefused) as info:
        book.fire(again, "accept", on=D(2028, 6, 2), actor=OFFICER)
    assert (info.value.guard, info.value.rule) == ("repair_eligible", "repair.fraud_ban")
    assert "repair is barred until 2030-06-01" in str(info.value)
    fraud = repair_application(book, f"{repair}.fraud", D(2028, 6, 2))
    with pytest.raises(TransitionRefused) as info:
        book.fire(fraud, "accept", on=D(2028, 6, 2), actor=OFFICER)
    assert (info.value.guard, info.value.rule) == ("repair_eligible", "repair.fraud_publication")
    assert "published for its whole window, until 2030-06-01" in str(info.value)
    assert book.replay() == {c.case_id: c for c in book.cases()}


def test_the_record_of_a_listing_is_repaired_through_the_listing(book: CreditBook) -> None:
    listing = published_listing(book)
    repair = repair_application(book, f"{listing}.record", D(2027, 5, 21))
    with pytest.raises(TransitionRefused, match="repair the listing, which ends both"):
        book.fire(repair, "accept", on=D(2027, 5, 21), actor=OFFICER)
    assert book.get(f"{listing}.record").state == "published"


def test_a_false_repair_commitment_revokes_the_repairs_resting_on_it(book: CreditBook) -> None:
    """domain.md: a false commitment in a repair has the consequences of false materials."""
    listing = published_listing(book)
    record = entered_record(book, D(2027, 1, 4), D(2027, 1, 4), "general")
    repairs = [repair_application(book, t, D(2027, 5, 21)) for t in (listing, record)]
    for repair in repairs:
        book.fire(repair, "accept", on=D(2027, 5, 21), actor=OFFICER)
        book.fire(repair, "approve", on=D(2027, 5, 21), actor=OFFICIAL)
    promise = book.get(repairs[0]).data["commitment_case"]

    def refused(**data: str) -> str:
        before = snapshot(book)
        with pytest.raises(TransitionRefused) as info:
            book.fire(repairs[1], "revoke", on=D(2027, 6, 1), actor=SYSTEM, summary="s", **data)
        assert (info.value.guard, info.value.rule) == ("revocation_grounds", "repair")
        assert snapshot(book) == before
        return str(info.value)

    assert "only for a breach of the commitment it rests on" in refused()
    assert "not the breached commitment" in refused(commitment_case=promise)
    breached = book.fire(promise, "breach", on=D(2027, 6, 1), actor=OFFICER, summary="承诺虚假")
    assert {"credit_record", "publication_restored", "repair_barred"} <= {
        e.name for e in breached.effects
    }
    assert [book.get(r).state for r in repairs] == ["revoked", "approved"]
    assert book.get(listing).state == "published"
    status = book.status(SUBJECT, on=D(2027, 6, 1))
    assert status.list_kinds == {"serious"}
    assert sorted(r.record_kind for r in status.records) == ["commitment_breach", "listing"]
    assert book.get(f"{promise}.record").data["window"] == "repair.fraud_publication"
    again = repair_application(book, listing, D(2027, 6, 2))
    with pytest.raises(TransitionRefused, match="repair is barred until 2030-06-01"):
        book.fire(again, "accept", on=D(2027, 6, 2), actor=OFFICER)
    assert book.replay() == {c.case_id: c for c in book.cases()}


def test_a_listing_is_restored_only_through_the_revocation_of_its_repair(
    book: CreditBook,
) -> None:
    """Even the system may not put a removed listing back on the list without a cause."""
    listing = published_listing(book)
    other = published_listing(book, "watch")
    repair = repair_application(book, listing, D(2027, 5, 21))
    book.fire(repair, "accept", on=D(2027, 5, 21), actor=OFFICER)
    book.fire(repair, "approve", on=D(2027, 5, 21), actor=OFFICIAL)
    book.fire(other, "expire", on=D(2027, 6, 1), actor=SYSTEM)

    def refused(case_id: str, named: str) -> str:
        before = book.head()
        with pytest.raises(TransitionRefused) as info:
            book.fire(case_id, "restore", on=D(2027, 6, 1), actor=SYSTEM, repair_case=named)
        assert (info.value.guard, info.value.rule) == ("repair_revoked", "repair")
        assert book.head() == before
        return str(info.value)

    assert "restored only when its repair is revoked" in refused(listing, repair)  # approved
    assert "restored only when its repair is revoked" in refused(listing, "x")
    book.fire(repair, "revoke", on=D(2027, 6, 1), actor=OFFICIAL, summary="材料造假")
    restored = book.get(listing)
    assert (restored.state, restored.data["ended_by"]) == ("published", None)
    assert f"repair {repair} is not a repair of this listing" in refused(other, repair)
    book.fire(listing, "revoke", on=D(2027, 6, 1), actor=OFFICIAL, summary="撤销列入")
    assert "was not ended by repair" in refused(listing, repair)  # that repair is spent


def test_a_status_on_a_past_date_reads_publication_as_it_was_that_day(book: CreditBook) -> None:
    """Published on 2026-05-22, removed by a repair on 2027-05-21, restored on 2027-06-01."""
    listing = published_listing(book)
    repair = repair_application(book, listing, D(2027, 5, 21))
    book.fire(repair, "accept", on=D(2027, 5, 21), actor=OFFICER)
    book.fire(repair, "approve", on=D(2027, 5, 21), actor=OFFICIAL)
    book.fire(repair, "revoke", on=D(2027, 6, 1), actor=OFFICIAL, summary="材料造假")
    record = f"{listing}.record"

    def shown(on: dt.date) -> tuple[frozenset[str], set[str]]:
        status = book.status(SUBJECT, on=on)
        return status.list_kinds, {r.case_id for r in status.records}

    published = book.get(listing).data["published_on"]
    assert shown(D.fromisoformat(published)) == ({"serious"}, {record})
    assert shown(D(2027, 5, 20)) == ({"serious"}, {record})  # before the repair
    assert shown(D(2027, 5, 21)) == (frozenset(), set())  # removed that day
    assert shown(D(2027, 5, 31)) == (frozenset(), set())  # still removed
    assert shown(D(2027, 6, 1)) == ({"serious"}, {record, f"{repair}.fraud"})  # restored
    assert book.get(listing).data["gaps"] == [["2027-05-21", "2027-06-01"]]


def test_repair_decision_deadline_extends_once(book: CreditBook) -> None:
    listing = published_listing(book)
    repair = repair_application(book, listing, D(2027, 5, 21))
    accepted = book.fire(repair, "accept", on=D(2027, 5, 21), actor=OFFICER)
    first = accepted.deadline("decision")
    assert first is not None
    extended = book.fire(repair, "extend", on=D(2027, 5, 24), actor=OFFICIAL, summary="复杂")
    second = extended.deadline("decision")
    assert second is not None
    assert second.extended
    assert second.last_day > first.last_day
    with pytest.raises(TransitionRefused, match="already extended 1 time"):
        book.fire(repair, "extend", on=D(2027, 5, 25), actor=OFFICIAL, summary="again")
    assert (
        book.fire(repair, "deny", on=D(2027, 5, 26), actor=OFFICIAL, summary="不符合").state
        == "denied"
    )


def test_a_late_repair_decision_cannot_be_extended(book: CreditBook) -> None:
    listing = published_listing(book)
    repair = repair_application(book, listing, D(2027, 5, 21))
    deadline = book.fire(repair, "accept", on=D(2027, 5, 21), actor=OFFICER).deadline("decision")
    assert deadline is not None
    late = deadline.last_day + dt.timedelta(days=1)
    with pytest.raises(TransitionRefused, match="decision deadline passed") as info:
        book.fire(repair, "extend", on=late, actor=OFFICIAL, summary="复杂")
    assert (info.value.guard, info.value.on) == ("extension_available", late)
    assert [d.name for c, d in book.overdue(on=late) if c.case_id == repair] == ["decision"]
    on_time = book.fire(repair, "extend", on=deadline.last_day, actor=OFFICIAL, summary="复杂")
    extended = on_time.deadline("decision")
    assert extended is not None and extended.extended


def test_repair_needs_obligations_commitment_and_materials(book: CreditBook) -> None:
    listing = published_listing(book)
    repair = book.open_case(
        "repair",
        SUBJECT,
        on=D(2027, 5, 20),
        actor=ME,
        target=listing,
        materials=["correction_proof"],
        obligations_fulfilled=True,
        commitment_case="commitment-404",
    )
    with pytest.raises(TransitionRefused, match="a repair commitment"):
        book.fire(repair.case_id, "accept", on=D(2027, 5, 21), actor=OFFICER)
    assert (
        book.fire(
            repair.case_id, "reject", on=D(2027, 5, 21), actor=OFFICER, summary="材料不全"
        ).state
        == "rejected"
    )


def test_an_applicant_never_approves_its_own_repair(book: CreditBook) -> None:
    listing = published_listing(book)
    repair = repair_application(book, listing, D(2027, 5, 21))
    book.fire(repair, "accept", on=D(2027, 5, 21), actor=OFFICER)
    with pytest.raises(NotPermitted, match="holds none of the roles"):
        book.fire(repair, "approve", on=D(2027, 5, 21), actor=ME)
    subject_official = Actor(SUBJECT, {"approving_official", "subject"})
    other = book.open_case(
        "commitment.repair",
        SUBJECT,
        on=D(2027, 5, 20),
        actor=ME,
        domain="road_transport",
        summary="s",
    )
    own = book.open_case(
        "repair",
        SUBJECT,
        on=D(2027, 5, 20),
        actor=subject_official,
        target=listing,
        materials=["correction_proof", "commitment_letter"],
        obligations_fulfilled=True,
        commitment_case=other.case_id,
    )
    book.fire(own.case_id, "accept", on=D(2027, 5, 21), actor=OFFICER)
    with pytest.raises(NotPermitted, match="separation|may not fire 'approve'"):
        book.fire(own.case_id, "approve", on=D(2027, 5, 21), actor=subject_official)


# ---------------------------------------------------------------- objections and records


def test_an_upheld_objection_ends_the_record(book: CreditBook) -> None:
    record = entered_record(book, D(2026, 6, 1), D(2026, 5, 30))
    deadline = book.get(record).deadline("publication_end")
    assert deadline is not None and deadline.last_day == D(2027, 5, 30)
    objection = book.open_case(
        "objection", SUBJECT, on=D(2026, 6, 2), actor=ME, target=record, summary="非本单位"
    )
    assert objection.kind == "record"
    assert objection.deadline("forwarding").last_day == D(2026, 6, 3)
    book.fire(objection.case_id, "forward", on=D(2026, 6, 3), actor=OFFICER)
    upheld = book.fire(
        objection.case_id, "uphold", on=D(2026, 6, 5), actor=REVIEWER, summary="核实有误"
    )
    assert upheld.state == "upheld"
    assert book.get(record).state == "ended"
    assert book.status(SUBJECT, on=D(2026, 6, 4)).records[0].case_id == record
    assert book.status(SUBJECT, on=D(2026, 6, 5)).records == ()


def test_an_upheld_objection_annuls_the_listing_and_its_record(book: CreditBook) -> None:
    listing = published_listing(book)
    objection = book.open_case(
        "objection", SUBJECT, on=D(2026, 6, 1), actor=ME, target=listing, summary="列入依据错误"
    ).case_id
    book.fire(objection, "forward", on=D(2026, 6, 2), actor=OFFICER)
    before = book.head()
    with pytest.raises(TransitionRefused) as info:  # the system, without an upheld objection
        book.fire(listing, "annul", on=D(2026, 6, 3), actor=SYSTEM, objection_case=objection)
    assert (info.value.guard, info.value.rule) == ("objection_upheld", "objections")
    assert book.head() == before
    upheld = book.fire(objection, "uphold", on=D(2026, 6, 4), actor=REVIEWER, summary="依据错误")
    assert "record_annulled" in {e.name for e in upheld.effects}
    annulled = book.get(listing)
    assert (annulled.state, annulled.data["ended_on"]) == ("removed", "2026-06-04")
    assert annulled.history[-1].actor == "system"
    assert book.get(f"{listing}.record").state == "ended"
    assert book.status(SUBJECT, on=D(2026, 6, 4)).list_kinds == frozenset()


def test_an_objection_is_about_a_decided_or_published_case_that_exists_on_its_date(
    book: CreditBook,
) -> None:
    proposed = proposed_listing(book, "watch")
    listing = published_listing(book)  # decided 2026-05-20, its record entered 2026-05-21
    cases = {
        proposed: (D(2026, 5, 7), "is proposed; objections are taken only against a listing"),
        f"{listing}.record": (D(2026, 6, 1), "credit record of listing"),
        listing: (D(2026, 5, 20), "became published on 2026-05-21"),
    }
    for target, (on, reason) in cases.items():
        before = book.head()
        with pytest.raises(TransitionRefused, match=reason) as info:
            book.open_case("objection", SUBJECT, on=on, actor=ME, target=target, summary="异议")
        assert info.value.guard == "objection_target"
        assert book.head() == before
    filed = book.open_case(
        "objection", SUBJECT, on=D(2026, 5, 21), actor=ME, target=listing, summary="异议"
    )
    assert filed.state == "filed"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"domain": "parking"}, "unknown domain 'parking'; the policy's domains: highway"),
        ({"domain": ["road_transport"]}, r"unknown domain \['road_transport'\]"),
        ({"decided_on": "yesterday"}, "decided_on must be a date .YYYY-MM-DD., got 'yesterday'"),
        ({"decided_on": "20260501"}, "decided_on must be a date .YYYY-MM-DD., got '20260501'"),
        ({"decided_on": 20260501}, "decided_on must be a date .YYYY-MM-DD., got 20260501"),
        ({"decided_on": D(2026, 6, 2)}, r"the decision \(2026-06-02\) is after the entry"),
    ],
)
def test_a_record_is_entered_in_a_known_domain_after_its_decision(
    book: CreditBook, change: dict[str, object], reason: str
) -> None:
    data: dict[str, object] = {
        "domain": "road_transport", "record_kind": "penalty", "decided_on": D(2026, 5, 30),
        "summary": "罚款",
    }  # fmt: skip
    with pytest.raises(TransitionRefused, match=reason):
        book.open_case(
            "record.general", SUBJECT, on=D(2026, 6, 1), actor=OFFICER, **(data | change)
        )
    assert book.head()[0] == 0


def test_a_second_objection_is_upheld_after_the_first_annulled_the_listing(
    book: CreditBook,
) -> None:
    listing = published_listing(book)
    objections = [
        book.open_case(
            "objection", SUBJECT, on=D(2026, 6, 1), actor=ME, target=listing, summary=summary
        ).case_id
        for summary in ("依据错误", "事实有误")
    ]
    for objection in objections:
        book.fire(objection, "forward", on=D(2026, 6, 2), actor=OFFICER)
    book.fire(objections[0], "uphold", on=D(2026, 6, 3), actor=REVIEWER, summary="s")
    second = book.fire(objections[1], "uphold", on=D(2026, 6, 4), actor=REVIEWER, summary="s")
    assert (second.state, second.effects) == ("upheld", ())  # nothing left to annul
    assert book.get(listing).data["ended_by"] == objections[0]


def test_a_minor_record_is_never_shown(book: CreditBook) -> None:
    entered_record(book, D(2026, 6, 1), D(2026, 6, 1), "minor", record_kind="warning")
    assert book.status(SUBJECT, on=D(2026, 6, 1)).records == ()


def test_a_record_leaves_publication_after_its_maximum(book: CreditBook) -> None:
    entered_record(book, D(2026, 6, 1), D(2026, 5, 30))
    assert len(book.status(SUBJECT, on=D(2027, 5, 30)).records) == 1
    assert book.status(SUBJECT, on=D(2027, 5, 31)).records == ()


def test_a_record_ends_early_only_for_a_cause_it_names(book: CreditBook) -> None:
    """Publication runs to the maximum; earlier only through an approved repair of the record,
    an objection upheld against it or the end of its listing, each named as ``cause``."""
    serious = entered_record(book, D(2026, 6, 1), D(2026, 6, 1), "serious")
    general = entered_record(book, D(2026, 6, 1), D(2026, 6, 1), "general")
    listing = published_listing(book)
    objection = book.open_case(
        "objection", SUBJECT, on=D(2026, 6, 2), actor=ME, target=general, summary="非本单位"
    ).case_id
    book.fire(objection, "forward", on=D(2026, 6, 3), actor=OFFICER)
    repair = repair_application(book, general, D(2026, 9, 2))
    book.fire(repair, "accept", on=D(2026, 9, 2), actor=OFFICER)

    def refused(case_id: str, rule: str, **data: str) -> str:
        before = snapshot(book)
        with pytest.raises(TransitionRefused) as info:
            book.fire(case_id, "end", on=D(2026, 9, 2), actor=SYSTEM, reason="r", **data)
        assert (info.value.guard, info.value.rule) == ("publication_over", rule)
        assert info.value.basis
        assert snapshot(book) == before
        return str(info.value)

    assert "publication runs until 2029-06-01" in refused(
        serious, "severities.serious.publication_max"
    )
    assert "is forwarded, not upheld" in refused(general, "objections", cause=objection)
    assert "is not about this record" in refused(serious, "objections", cause=objection)
    assert "repair" in refused(general, "repair", cause=repair)  # accepted, not approved
    listed = refused(f"{listing}.record", "lists.serious", cause=listing)
    assert "is published, not removed" in listed
    assert "no cause" in refused(serious, "severities.serious.publication_max", cause="x-1")
    book.fire(repair, "approve", on=D(2026, 9, 2), actor=OFFICIAL)
    assert book.get(general).data["ended_by"] == repair
    assert "not a repair of this record" in refused(serious, "repair", cause=repair)
    book.run_due(on=D(2029, 6, 2))
    assert book.get(serious).state == "ended"
    assert book.get(serious).data["ended_by"] is None


def test_a_record_is_restored_only_when_what_ended_it_is_undone(book: CreditBook) -> None:
    """An upheld objection is final; a revoked repair restores the record it ended, no other."""
    annulled = entered_record(book, D(2026, 6, 1), D(2026, 6, 1), "general")
    repaired = entered_record(book, D(2026, 6, 1), D(2026, 6, 1), "general")
    objection = book.open_case(
        "objection", SUBJECT, on=D(2026, 6, 2), actor=ME, target=annulled, summary="非本单位"
    ).case_id
    book.fire(objection, "forward", on=D(2026, 6, 3), actor=OFFICER)
    book.fire(objection, "uphold", on=D(2026, 6, 5), actor=REVIEWER, summary="核实有误")
    repair = repair_application(book, repaired, D(2026, 9, 2))
    book.fire(repair, "accept", on=D(2026, 9, 2), actor=OFFICER)
    book.fire(repair, "approve", on=D(2026, 9, 2), actor=OFFICIAL)

    def refused(case_id: str, cause: str) -> str:
        before = snapshot(book)
        with pytest.raises(TransitionRefused) as info:
            book.fire(case_id, "restore", on=D(2026, 9, 3), actor=SYSTEM, reason="r", cause=cause)
        assert info.value.guard == "end_undone"
        assert info.value.rule and info.value.basis
        assert snapshot(book) == before
        return str(info.value)

    assert "is no cause to restore a record" in refused(annulled, objection)  # final
    assert "only when what ended it" in refused(annulled, repair)
    assert "repair" in refused(repaired, repair)  # approved, not revoked
    with pytest.raises(TransitionRefused, match="missing data"):
        book.fire(annulled, "restore", on=D(2026, 9, 3), actor=SYSTEM, reason="r")
    book.fire(repair, "revoke", on=D(2026, 9, 3), actor=OFFICIAL, summary="材料造假")
    assert book.get(repaired).state == "published"
    assert book.get(annulled).state == "ended"
    assert book.replay() == {c.case_id: c for c in book.cases()}


# ---------------------------------------------------------------- the book's promises


def test_idempotent_fire_returns_the_same_case_without_a_second_event(book: CreditBook) -> None:
    case = book.open_case(
        "listing.serious",
        SUBJECT,
        on=D(2026, 5, 6),
        actor=OFFICER,
        domain="road_transport",
        grounds="g",
        basis="b",
    )
    first = book.fire(
        case.case_id, "notify", on=D(2026, 5, 6), actor=OFFICER, idempotency_key="notify-1"
    )
    head = book.verify().head
    again = book.fire(
        case.case_id, "notify", on=D(2026, 5, 6), actor=OFFICER, idempotency_key="notify-1"
    )
    assert book.verify().head == head
    assert (again.state, again.version) == (first.state, first.version)
    assert [h.event for h in again.history] == ["propose", "notify"]


def test_a_key_used_for_another_act_is_refused_and_nothing_is_written(book: CreditBook) -> None:
    def listing(subject: str = SUBJECT, key: str | None = None) -> creditflow.Case:
        return book.open_case("listing.serious", subject, on=D(2026, 5, 6), actor=OFFICER,
                              idempotency_key=key, domain="road_transport", grounds="g",
                              basis="b")  # fmt: skip

    case, other = listing(key="open-1"), listing()
    book.fire(case.case_id, "notify", on=D(2026, 5, 6), actor=OFFICER, idempotency_key="n-1")
    head = book.head()
    with pytest.raises(IdempotencyKeyReused) as reused:  # another case
        book.fire(other.case_id, "notify", on=D(2026, 5, 6), actor=OFFICER, idempotency_key="n-1")
    assert (reused.value.key, reused.value.case_id, reused.value.event) == (
        "n-1", case.case_id, "notify")  # fmt: skip
    assert reused.value.code == "idempotency_key_reused"
    with pytest.raises(IdempotencyKeyReused, match="'propose' on case listing-1"):
        book.fire(case.case_id, "notify", on=D(2026, 5, 6), actor=OFFICER,
                  idempotency_key="open-1")  # fmt: skip  # an opening, not this event
    with pytest.raises(IdempotencyKeyReused):  # a case of another kind
        book.open_case("commitment.voluntary", SUBJECT, on=D(2026, 5, 6), actor=ME,
                       idempotency_key="open-1", domain="road_transport", summary="s")  # fmt: skip
    with pytest.raises(IdempotencyKeyReused):  # another subject's case
        listing(OTHER, key="open-1")
    with book.batch():  # a key used earlier in the same unit of work
        listing(key="open-2")
        with pytest.raises(IdempotencyKeyReused):
            book.fire(other.case_id, "notify", on=D(2026, 5, 6), actor=OFFICER,
                      idempotency_key="open-2")  # fmt: skip
    assert book.head()[0] == head[0] + 1  # only the batch's opening
    assert listing(key="open-1").case_id == case.case_id  # the same act, retried


def test_a_stale_expected_version_conflicts(book: CreditBook) -> None:
    case = book.open_case(
        "listing.serious",
        SUBJECT,
        on=D(2026, 5, 6),
        actor=OFFICER,
        domain="road_transport",
        grounds="g",
        basis="b",
    )
    book.fire(case.case_id, "notify", on=D(2026, 5, 6), actor=OFFICER, expected_version=1)
    with pytest.raises(Conflict, match="is at version 2, not the expected 1"):
        book.fire(case.case_id, "drop", on=D(2026, 5, 7), actor=OFFICIAL, expected_version=1)


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_case_moved_by_another_book_is_read_afresh(store: str, tmp_path: Path) -> None:
    """Each book keeps recent cases decoded; another writer on the same store moves one."""
    if store == "memory":
        shared = MemoryStore()
        first = CreditBook(shared, policy="national-transport")
        second = CreditBook(shared, policy="national-transport")
    else:
        first = CreditBook.open(tmp_path / "book.sqlite", policy="national-transport")
        second = CreditBook.open(tmp_path / "book.sqlite", policy="national-transport")
    case = first.open_case(
        "listing.serious",
        SUBJECT,
        on=D(2026, 5, 6),
        actor=OFFICER,
        domain="road_transport",
        grounds="g",
        basis="b",
    )
    assert second.get(case.case_id).version == 1  # the second book now remembers version 1
    first.fire(case.case_id, "notify", on=D(2026, 5, 6), actor=OFFICER)

    dropped = second.fire(case.case_id, "drop", on=D(2026, 5, 7), actor=OFFICIAL)
    assert (dropped.version, dropped.state) == (3, "dropped")  # not a Conflict: read afresh
    assert first.get(case.case_id).version == 3  # a read is never behind
    assert second.verify().ok
    first.close(), second.close()


def test_dates_before_the_last_event_are_refused(book: CreditBook) -> None:
    case = book.open_case(
        "listing.serious",
        SUBJECT,
        on=D(2026, 5, 6),
        actor=OFFICER,
        domain="road_transport",
        grounds="g",
        basis="b",
    )
    with pytest.raises(TransitionRefused, match=r"before the case's last event \(2026-05-06\)"):
        book.fire(case.case_id, "notify", on=D(2026, 5, 5), actor=OFFICER)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda b, c: b.fire("listing-999", "notify", on=D(2026, 5, 7), actor=OFFICER),
            UnknownCase,
            "no case 'listing-999'",
        ),
        (
            lambda b, c: b.fire(c, "fly", on=D(2026, 5, 7), actor=OFFICER),
            TransitionRefused,
            "listing has no event 'fly'",
        ),
        (
            lambda b, c: b.fire(c, "decide", on=D(2026, 5, 30), actor=OFFICIAL),
            TransitionRefused,
            "missing data ['measures', 'removal_conditions', 'remedies']",
        ),
        (
            lambda b, c: b.fire(c, "notify", on=D(2026, 5, 7), actor=OFFICER, colour="red"),
            TransitionRefused,
            "unknown data ['colour']",
        ),
        (
            lambda b, c: b.fire(c, "notify", on=dt.datetime(2026, 5, 7, 9), actor=OFFICER),
            InvalidDate,
            "on must be a datetime.date, got a naive datetime",
        ),
        (
            lambda b, c: b.fire(c, "notify", on=D(2026, 5, 7), actor=REVIEWER),
            NotPermitted,
            "holds none of the roles ['case_officer']",
        ),
        (
            lambda b, c: b.fire(c, "notify", on=D(2026, 5, 7), actor="officer-1"),
            InvalidInput,
            "actor must be a creditflow.workflows.Actor",
        ),
        (
            lambda b, c: b.open_case(
                "commitment.voluntary",
                SUBJECT,
                on=D(2026, 5, 7),
                actor=Actor(OTHER, {"subject"}),
                domain="road_transport",
                summary="s",
            ),
            NotPermitted,
            "acts as the subject but is not",
        ),
        (
            lambda b, c: b.open_case(
                "listing.serious",
                "91350100M000100Y44",
                on=D(2026, 5, 7),
                actor=OFFICER,
                domain="road_transport",
                grounds="g",
                basis="b",
            ),
            InvalidIdentifier,
            "check character at position 18",
        ),
        (
            lambda b, c: b.open_case(
                "listing.grey",
                SUBJECT,
                on=D(2026, 5, 7),
                actor=OFFICER,
                domain="road_transport",
                grounds="g",
                basis="b",
            ),
            UnknownName,
            "unknown listing kind 'grey'",
        ),
        (
            lambda b, c: b.open_case("parking", SUBJECT, on=D(2026, 5, 7), actor=OFFICER),
            UnknownName,
            "unknown case kind 'parking'",
        ),
    ],
)
def test_bad_input_is_a_typed_error_and_writes_nothing(
    book: CreditBook, call: object, error: type[Exception], message: str
) -> None:
    case = book.open_case(
        "listing.serious",
        SUBJECT,
        on=D(2026, 5, 6),
        actor=OFFICER,
        domain="road_transport",
        grounds="g",
        basis="b",
    )
    before = snapshot(book)
    with pytest.raises(error, match=message.replace("[", r"\[").replace("(", r"\(")):
        call(book, case.case_id)  # type: ignore[operator]
    assert snapshot(book) == before


def test_replay_reproduces_every_projection_and_rebuild_changes_nothing(book: CreditBook) -> None:
    listing = published_listing(book)
    repair = repair_application(book, listing, D(2027, 5, 21))
    book.fire(repair, "accept", on=D(2027, 5, 21), actor=OFFICER)
    book.fire(repair, "approve", on=D(2027, 5, 21), actor=OFFICIAL)
    stored = {c.case_id: c for c in book.cases()}
    replayed = book.replay()
    assert replayed == stored
    before = snapshot(book)
    assert book.rebuild() == len(stored)
    assert snapshot(book) == before
    assert book.verify().ok


def test_the_opening_event_carries_its_case_identity(book: CreditBook) -> None:
    case = book.open_case(
        "listing.watch",
        SUBJECT,
        on=D(2026, 5, 6),
        actor=OFFICER_2,
        domain="road_transport",
        grounds="g",
        basis="b",
    )
    (event,) = list(book.events(case_id=case.case_id))
    assert event.data["_machine"] == "listing"
    assert event.data["_kind"] == "watch"
    assert event.data["_subject"] == SUBJECT
    assert attrs.asdict(book.get(case.case_id).history[0])["actor"] == "officer-2"


def restored_listing(book: CreditBook) -> str:
    """A serious listing published 2026-05-22, removed by a repair on 2027-05-21 and restored
    on 2027-06-01 when the repair was revoked for false materials."""
    listing = published_listing(book)
    repair = repair_application(book, listing, D(2027, 5, 21))
    book.fire(repair, "accept", on=D(2027, 5, 21), actor=OFFICER)
    book.fire(repair, "approve", on=D(2027, 5, 21), actor=OFFICIAL)
    book.fire(repair, "revoke", on=D(2027, 6, 1), actor=OFFICIAL, summary="材料造假")
    return listing


def test_a_restored_listing_runs_its_whole_duration_again(book: CreditBook) -> None:
    """The built-in packs follow SAMR Order 44: the period restarts from the restore."""
    listing = restored_listing(book)
    expiry = book.get(listing).deadline("expiry")
    assert expiry is not None
    assert (expiry.started_on, expiry.last_day, expiry.met_on) == (
        D(2027, 6, 1),
        D(2030, 6, 1),
        None,
    )
    early = book.get(listing).deadline("early_removal")  # the minimum runs again too
    assert early is not None
    assert (early.started_on, early.last_day, early.met_on) == (D(2027, 6, 1), D(2028, 6, 1), None)
    book.run_due(on=D(2029, 5, 21))  # the first expiry has passed: still listed
    assert book.get(listing).state == "published"
    book.run_due(on=D(2030, 6, 2))
    assert book.get(listing).state == "removed"
    assert book.get(f"{listing}.record").state == "ended"


def test_the_record_of_a_restored_listing_stays_within_its_maximum(book: CreditBook) -> None:
    """Order 36: a serious record is published for at most 3 years from the decision
    (2026-05-20), so until 2029-05-20, even though its listing, restored on 2027-06-01, runs
    anew until 2030-06-01 (restarts_on_restore, after SAMR Order 44)."""
    listing = restored_listing(book)
    record = f"{listing}.record"
    assert book.get(record).state == "published"
    window = book.get(record).deadline("publication_end")
    assert window is not None
    assert (window.started_on, window.last_day, window.met_on) == (
        D(2026, 5, 20),
        D(2029, 5, 20),
        None,
    )
    assert record in {r.case_id for r in book.status(SUBJECT, on=D(2029, 5, 20)).records}
    book.run_due(on=D(2029, 5, 21))
    status = book.status(SUBJECT, on=D(2029, 5, 21))
    assert status.list_kinds == {"serious"}  # the listing runs on
    assert record not in {r.case_id for r in status.records}
    assert [book.get(c).state for c in (listing, record)] == ["published", "ended"]
    assert book.replay() == {c.case_id: c for c in book.cases()}
    book.run_due(on=D(2030, 6, 2))
    assert book.get(listing).state == "removed"


def test_a_pack_may_let_the_record_of_a_restored_listing_run_anew() -> None:
    """Only a pack that says so explicitly, with its basis, publishes the record beyond its
    maximum from the decision: anew from the restore with its listing."""
    national = creditflow.load_policy("national-transport@2026.1")
    anew = Provision(
        True, Basis("某地示例：恢复列入的，信用记录公示期重新计算", Source.CONFIGURABLE)
    )
    policy = attrs.evolve(
        national,
        lists={
            k: attrs.evolve(v, record_restarts_on_restore=anew) for k, v in national.lists.items()
        },
    )
    book = CreditBook.memory(policy=policy)
    listing = restored_listing(book)
    record = f"{listing}.record"
    window = book.get(record).deadline("publication_end")
    assert window is not None
    assert (window.started_on, window.last_day) == (D(2027, 6, 1), D(2030, 6, 1))
    book.run_due(on=D(2029, 6, 1))
    assert record in {r.case_id for r in book.status(SUBJECT, on=D(2029, 6, 1)).records}
    assert book.replay() == {c.case_id: c for c in book.cases()}
    book.run_due(on=D(2030, 6, 2))
    assert [book.get(c).state for c in (listing, record)] == ["removed", "ended"]
    assert book.get(record).data["ended_by"] == listing


def test_a_pack_may_keep_the_first_expiry_of_a_restored_listing() -> None:
    national = creditflow.load_policy("national-transport@2026.1")
    keeps = attrs.evolve(
        national,
        lists={k: attrs.evolve(v, restarts_on_restore=None) for k, v in national.lists.items()},
    )
    book = CreditBook.memory(policy=keeps)
    listing = restored_listing(book)
    expiry = book.get(listing).deadline("expiry")
    assert expiry is not None
    assert (expiry.started_on, expiry.met_on) == (D(2026, 5, 20), None)  # the decision's
    early = book.get(listing).deadline("early_removal")
    assert early is not None
    assert (early.started_on, early.met_on) == (D(2026, 5, 20), None)
    window = book.get(f"{listing}.record").deadline("publication_end")
    assert window is not None
    assert (window.started_on, window.met_on) == (D(2026, 5, 20), None)  # its record's too
    book.run_due(on=D(2029, 5, 21))
    assert book.get(listing).state == "removed"
    assert book.get(f"{listing}.record").state == "ended"


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_false_materials_are_published_for_the_packs_fraud_window(
    store: str, tmp_path: Path
) -> None:
    """``repair.fraud_publication``, not the serious maximum, sets the fraud record's window."""
    national = creditflow.load_policy("national-transport@2026.1")
    five_years = attrs.evolve(national.repair.fraud_publication, value=Period.years(5))
    policy = attrs.evolve(
        national, repair=attrs.evolve(national.repair, fraud_publication=five_years)
    )
    if store == "memory":
        book = CreditBook.memory(policy=policy)
    else:
        book = CreditBook.open(tmp_path / "book.sqlite", policy=policy)
    with book:
        restored_listing(book)  # its repair revoked for false materials on 2027-06-01
        (fraud,) = [c for c in book.cases(machine="record") if c.case_id.endswith(".fraud")]
        window = fraud.deadline("publication_end")
        assert window is not None
        assert window.last_day == D(2032, 6, 1)
        book.run_due(on=D(2030, 6, 2))  # the serious maximum has passed, the fraud window not
        assert book.get(fraud.case_id).state == "published"
        with pytest.raises(TransitionRefused) as info:
            book.fire(fraud.case_id, "end", on=D(2030, 6, 2), actor=SYSTEM, reason="r")
        assert info.value.rule == "repair.fraud_publication"
        before = snapshot(book)
        with pytest.raises(TransitionRefused) as info:
            entered_record(
                book, D(2030, 6, 2), D(2030, 6, 2), "serious", window="repair.fraud_publication"
            )
        assert (info.value.guard, info.value.rule) == (
            "publication_window",
            "repair.fraud_publication",
        )
        assert snapshot(book) == before
        assert book.replay() == {c.case_id: c for c in book.cases()}
        book.run_due(on=D(2032, 6, 2))
        assert book.get(fraud.case_id).state == "ended"


def test_a_retry_racing_its_first_try_returns_what_the_first_did(tmp_path: Path) -> None:
    """Two servers receive the same request (same key) at once: one writes, the other finds
    the key after its append conflicts and returns the same act, never a Conflict."""
    path = tmp_path / "book.sqlite"
    with CreditBook.open(path, policy="national-transport") as book:
        cases = [proposed_listing(book, "watch") for _ in range(20)]
    barrier = threading.Barrier(2, timeout=30)  # a server that fails breaks it: no hang

    def server(_: int) -> list[tuple[str, int | str]]:
        done: list[tuple[str, int | str]] = []
        with CreditBook.open(path, policy="national-transport") as book:  # its own connection
            for case_id in cases:
                barrier.wait()
                case = book.fire(case_id, "notify", on=D(2026, 5, 6), actor=OFFICER,
                                 idempotency_key=f"notify-{case_id}")  # fmt: skip
                done.append((case.state, case.version))
            barrier.wait()
            opened = book.open_case("listing.watch", SUBJECT, on=D(2026, 5, 6), actor=OFFICER,
                                    idempotency_key="open-once", domain="road_transport",
                                    grounds="g", basis="b")  # fmt: skip
            done.append((opened.state, opened.case_id))
        return done

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(server, (1, 2))
    assert first == second
    assert first[:-1] == [("notified", 2)] * len(cases)
    with CreditBook.open(path, policy="national-transport") as book:
        assert [e.event for e in book.events()].count("notify") == len(cases)
        assert len(list(book.cases(subject_id=SUBJECT))) == len(cases) + 1
