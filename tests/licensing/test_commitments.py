"""Commit-and-approve and missing-documents acceptance, as a licensing system runs them."""

from __future__ import annotations

import datetime as dt

import pytest
from _licensing_world import ME, OFFICER, ROAD, SUBJECT, D, breach, commitment, new_book

from creditflow.errors import InvalidInput, TransitionRefused
from creditflow.licensing import (
    Evaluation,
    Evaluations,
    accept_with_missing_documents,
    approve_on_commitment,
    overdue_commitments,
    verify_commitment,
)

DAY = D(2026, 6, 1)


def test_an_approval_on_commitment_returns_what_the_licensing_system_needs() -> None:
    book = new_book()
    commitment(book, D(2026, 5, 1))
    made = approve_on_commitment(book, SUBJECT, on=DAY, actor=ME, approval_id="XK-7", domain=ROAD)
    assert made.approval_id == "XK-7" and made.kind == "approval_substitute"
    assert made.due == D(2026, 7, 14)  # 30 working days, the Dragon Boat Festival excluded
    assert not made.due_provisional
    assert "国办发〔2020〕42号" in made.basis.text and made.period_basis.configurable
    case = book.get(made.case_id)
    assert (case.state, case.data["approval_id"]) == ("made", "XK-7")


def test_a_breach_tells_the_licensing_system_to_revoke() -> None:
    book = new_book()
    commitment(book, D(2026, 5, 1))
    made = approve_on_commitment(book, SUBJECT, on=DAY, actor=ME, approval_id="XK-7", domain=ROAD)
    result = verify_commitment(book, made.case_id, fulfilled=False, on=D(2026, 6, 20),
                               actor=OFFICER, summary="承诺不实")  # fmt: skip
    assert (result.state, result.revoke_approval) == ("breached", "XK-7")
    assert {e.name for e in result.effects} >= {"revoke_approval", "no_commit_and_approve"}
    missing_documents = accept_with_missing_documents(
        book, SUBJECT, on=D(2026, 5, 2), actor=ME, application_id="SQ-1", domain=ROAD,
        missing=["a"],
    )  # fmt: skip
    kept = verify_commitment(book, missing_documents.case_id, fulfilled=False,
                             on=D(2026, 6, 20), actor=OFFICER, summary="未补齐")  # fmt: skip
    assert kept.state == "breached" and kept.revoke_approval is None
    with pytest.raises(TransitionRefused) as info:
        approve_on_commitment(book, SUBJECT, on=D(2026, 6, 21), actor=ME, approval_id="XK-8",
                              domain=ROAD)  # fmt: skip
    assert info.value.rule == "national-transport@2026.1:licensing-no-commit"
    assert info.value.basis and "42号" in info.value.basis


def test_a_fulfilled_commitment_asks_nothing_and_a_retry_writes_nothing() -> None:
    book = new_book()
    commitment(book, D(2026, 5, 1))
    made = approve_on_commitment(book, SUBJECT, on=DAY, actor=ME, approval_id="XK-7", domain=ROAD,
                                 idempotency_key="approve-XK-7")  # fmt: skip
    again = approve_on_commitment(book, SUBJECT, on=DAY, actor=ME, approval_id="XK-7",
                                  domain=ROAD, idempotency_key="approve-XK-7")  # fmt: skip
    assert again.case_id == made.case_id
    first = verify_commitment(book, made.case_id, fulfilled=True, on=D(2026, 7, 1), actor=OFFICER,
                              idempotency_key="verify-XK-7")  # fmt: skip
    head = book.head()
    retry = verify_commitment(book, made.case_id, fulfilled=True, on=D(2026, 7, 1), actor=OFFICER,
                              idempotency_key="verify-XK-7")  # fmt: skip
    assert book.head() == head
    assert first.state == retry.state == "fulfilled"
    assert first.revoke_approval is None


def test_a_retried_breach_still_says_to_revoke() -> None:
    book = new_book()
    commitment(book, D(2026, 5, 1))
    made = approve_on_commitment(book, SUBJECT, on=DAY, actor=ME, approval_id="XK-7", domain=ROAD)
    args = {"fulfilled": False, "on": D(2026, 6, 20), "actor": OFFICER, "summary": "不实"}
    first = verify_commitment(book, made.case_id, idempotency_key="v-XK-7", **args)  # type: ignore[arg-type]
    head = book.head()
    retry = verify_commitment(book, made.case_id, idempotency_key="v-XK-7", **args)  # type: ignore[arg-type]
    assert book.head() == head
    assert first.revoke_approval == retry.revoke_approval == "XK-7"


def test_an_average_grade_is_not_eligible() -> None:
    book = new_book()
    commitment(book, D(2026, 5, 1))
    average = Evaluations([Evaluation(SUBJECT, ROAD, 2026, 70, D(2026, 5, 1))])
    with pytest.raises(TransitionRefused) as info:
        approve_on_commitment(book, SUBJECT, on=DAY, actor=ME, approval_id="XK-1", domain=ROAD,
                              evaluations=average)  # fmt: skip
    assert info.value.rule == "national-transport@2026.1:grade-b"
    assert "grade B" in str(info.value)


def test_missing_documents_get_a_deadline_and_overdue_is_reported() -> None:
    book = new_book()
    commitment(book, D(2026, 5, 1))
    late = accept_with_missing_documents(book, SUBJECT, on=DAY, actor=ME, application_id="SQ-1",
                                         domain=ROAD, missing=["营业执照副本"])  # fmt: skip
    kept = accept_with_missing_documents(book, SUBJECT, on=DAY, actor=ME, application_id="SQ-2",
                                         domain=ROAD, missing=["安全生产制度"])  # fmt: skip
    assert late.due == D(2026, 7, 1) and late.kind == "missing_documents"
    assert "营业执照副本" in book.get(late.case_id).data["summary"]
    verify_commitment(book, kept.case_id, fulfilled=True, on=D(2026, 6, 20), actor=OFFICER)
    assert overdue_commitments(book, on=late.due) == []
    overdue = overdue_commitments(
        book, on=late.due + dt.timedelta(days=1), kind="missing_documents"
    )
    assert [(c.case_id, d.name) for c, d in overdue] == [(late.case_id, "verification")]


def test_missing_documents_are_refused_after_a_breach_and_bad_lists_are_refused() -> None:
    book = new_book()
    breach(book, DAY)
    with pytest.raises(TransitionRefused, match="not eligible for missing_documents"):
        accept_with_missing_documents(book, SUBJECT, on=DAY, actor=ME, application_id="SQ-1",
                                      domain=ROAD, missing=["a"])  # fmt: skip
    with pytest.raises(InvalidInput, match="missing must be"):
        accept_with_missing_documents(book, SUBJECT, on=DAY, actor=ME, application_id="SQ-1",
                                      domain=ROAD, missing="a")  # fmt: skip
    with pytest.raises(InvalidInput, match="fulfilled must be a bool"):
        verify_commitment(book, "commitment-1", fulfilled=1, on=DAY, actor=OFFICER)  # type: ignore[arg-type]
