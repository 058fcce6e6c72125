"""Tests of the example licensing service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from licensing_service import LicensingService

import creditflow

D = dt.date
FIRM = creditflow.Actor("91350100M000100Y43", {"subject"})
OTHER = creditflow.Actor("91110000600037341L", {"subject"})
OFFICER = creditflow.Actor("officer-1", {"case_officer"})


@pytest.fixture
def service() -> Iterator[LicensingService]:
    with creditflow.CreditBook.memory(policy="national-transport") as book:
        book.open_case("commitment.voluntary", OTHER.id, on=D(2026, 4, 1), actor=OTHER,
                       domain="road_transport", summary="诚信经营")  # fmt: skip
        yield LicensingService(book, "road_transport")


def test_a_new_applicant_is_approved_on_commitment(service: LicensingService) -> None:
    answer = service.apply(FIRM, "XK-1", on=D(2026, 6, 1), commit=True)
    assert (answer.route, answer.due) == ("on_commitment", D(2026, 7, 14))
    again = service.apply(FIRM, "XK-1", on=D(2026, 6, 1), commit=True)
    assert again.case_id == answer.case_id  # the retry wrote nothing new


def test_a_breach_revokes_and_the_next_application_is_reviewed(service: LicensingService) -> None:
    service.apply(FIRM, "XK-1", on=D(2026, 6, 1), commit=True)
    service.verify("XK-1", kept=False, on=D(2026, 6, 20), officer=OFFICER)
    assert service.revoked == {"XK-1"}
    answer = service.apply(FIRM, "XK-2", on=D(2026, 6, 21), commit=True)
    assert answer.route == "normal_review"
    assert any("不适用告知承诺" in reason for reason in answer.reasons)


def test_a_poor_grade_gets_a_normal_review(service: LicensingService) -> None:
    service.evaluations.add(creditflow.Evaluation(FIRM.id, "road_transport", 2026, 50,
                                                  D(2026, 5, 1)))  # fmt: skip
    assert service.apply(FIRM, "XK-1", on=D(2026, 6, 1), commit=True).route == "normal_review"


def test_missing_documents_become_overdue(service: LicensingService) -> None:
    answer = service.apply(FIRM, "SQ-1", on=D(2026, 6, 1), missing=("营业执照副本",))
    assert (answer.route, answer.due) == ("missing_documents", D(2026, 7, 1))
    assert service.overdue(D(2026, 7, 1)) == []
    assert service.overdue(D(2026, 7, 2)) == ["SQ-1"]


def test_bad_input_is_refused_with_the_reason(service: LicensingService) -> None:
    answer = service.apply(FIRM, "XK-1", on=D(2026, 1, 1), commit=True)
    assert answer.route == "refused"
    assert "before the book's first event" in answer.reasons[0]
