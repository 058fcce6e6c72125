"""Tests of the example licensing service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from licensing_service import LicensingService

import creditflow

D = dt.date
FIRM = creditflow.Actor("91350100M000100Y43", {"subject"})
OTHER = creditflow.Actor("91110000600037341L", {"subject"})
OFFICER = creditflow.Actor("officer-1", {"case_officer"})


@pytest.fixture
def book(tmp_path: Path) -> Iterator[creditflow.CreditBook]:
    with creditflow.CreditBook.open(tmp_path / "book.sqlite", policy="national-transport") as book:
        book.open_case("commitment.voluntary", OTHER.id, on=D(2026, 4, 1), actor=OTHER,
                       domain="road_transport", summary="诚信经营")  # fmt: skip
        yield book


@pytest.fixture
def service(book: creditflow.CreditBook) -> LicensingService:
    return LicensingService(book, "road_transport")


def test_a_new_applicant_is_approved_on_commitment(service: LicensingService) -> None:
    answer = service.apply(FIRM, "XK-1", on=D(2026, 6, 1), commit=True, first_application=True)
    assert (answer.route, answer.due) == ("on_commitment", D(2026, 7, 14))
    again = service.apply(FIRM, "XK-1", on=D(2026, 6, 1), commit=True, first_application=True)
    assert again.case_id == answer.case_id  # the retry wrote nothing new


def test_an_unknown_applicant_is_refused_unless_it_is_a_first_application(
    service: LicensingService,
) -> None:
    answer = service.apply(FIRM, "XK-1", on=D(2026, 6, 1), commit=True)
    assert answer.route == "refused"
    assert FIRM.id in answer.reasons[0]


def test_a_breach_revokes_and_the_next_application_is_reviewed(service: LicensingService) -> None:
    service.apply(FIRM, "XK-1", on=D(2026, 6, 1), commit=True, first_application=True)
    assert service.verify("XK-1", kept=False, on=D(2026, 6, 20), officer=OFFICER) == "XK-1"
    assert service.revoked("XK-1")
    answer = service.apply(FIRM, "XK-2", on=D(2026, 6, 21), commit=True)  # known by now
    assert answer.route == "normal_review"
    assert any("不适用告知承诺" in reason for reason in answer.reasons)


def test_a_restarted_service_finds_the_approval_in_the_book(
    book: creditflow.CreditBook, service: LicensingService
) -> None:
    service.apply(FIRM, "XK-1", on=D(2026, 6, 1), commit=True, first_application=True)
    restarted = LicensingService(book, "road_transport")  # no state but the book
    assert restarted.verify("XK-1", kept=True, on=D(2026, 6, 20), officer=OFFICER) is None
    assert creditflow.find_commitment(book, "XK-1").state == "fulfilled"
    assert not restarted.revoked("XK-1")


def test_a_poor_grade_gets_a_normal_review(book: creditflow.CreditBook) -> None:
    grades = creditflow.Evaluations(
        [creditflow.Evaluation(FIRM.id, "road_transport", 2026, 50, D(2026, 5, 1))]
    )
    service = LicensingService(book, "road_transport", grades)
    assert service.apply(FIRM, "XK-1", on=D(2026, 6, 1), commit=True).route == "normal_review"


def test_missing_documents_become_overdue(service: LicensingService) -> None:
    answer = service.apply(
        FIRM, "SQ-1", on=D(2026, 6, 1), missing=("营业执照副本",), first_application=True
    )
    assert (answer.route, answer.due) == ("missing_documents", D(2026, 7, 1))
    assert service.overdue(D(2026, 7, 1)) == []
    assert service.overdue(D(2026, 7, 2)) == ["SQ-1"]


def test_bad_input_is_refused_with_the_reason(service: LicensingService) -> None:
    answer = service.apply(FIRM, "XK-1", on=D(2026, 1, 1), commit=True, first_application=True)
    assert answer.route == "refused"
    assert "before the book's first event" in answer.reasons[0]
