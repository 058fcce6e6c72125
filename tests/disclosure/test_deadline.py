"""The 7-working-day 双公示 deadline, counted on the calendar with its make-up days, and
book.overdue() listing the late publications.

Hand-counted (the start day is not counted; make-up days count; holidays do not):

- Spring Festival 2026 (holiday Feb 15-23, make-up Sat Feb 14 and Sat Feb 28): a decision on
  Fri Feb 13 -> Feb 14 (1), 24, 25, 26, 27 (5), Feb 28 (6), Mon Mar 2 (7).
- National Day 2026 (holiday Oct 1-7, make-up Sat Oct 10): a decision on Wed Sep 30 ->
  Oct 8, 9 (2), Oct 10 (3), 12, 13, 14, 15 (7).
- Spring Festival 2025 under the 2019 pack (holiday Jan 28 - Feb 4, make-up Sun Jan 26 and
  Sat Feb 8): a decision on Fri Jan 24 -> Jan 26 (1), 27 (2), Feb 5, 6, 7 (5), Feb 8 (6),
  Mon Feb 10 (7).
- Ordinary weeks: Mon 2026-06-01 -> Wed 2026-06-10 (Jun 2-5, 8, 9, 10; no holiday).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _decisions import LICENCE_COLUMNS, PENALTY_COLUMNS, licence, penalty, write_csv

from creditflow.book import CreditBook
from creditflow.disclosure import ingest


@pytest.mark.parametrize(
    ("decided", "last_day"),
    [
        ("2026-02-13", "2026-03-02"),
        ("2026-09-30", "2026-10-15"),
        ("2025-01-24", "2025-02-10"),
        ("2026-06-01", "2026-06-10"),
    ],
)
@pytest.mark.parametrize("kind", ["penalty", "licensing"])
def test_the_publication_is_due_seven_working_days_after_the_decision(
    tmp_path: Path, kind: str, decided: str, last_day: str
) -> None:
    year = decided[:4]
    if kind == "penalty":
        row = penalty(1, decided_on=decided, published_on="",
                      document_number=f"资交罚〔{year}〕1号")  # fmt: skip
        path = write_csv(tmp_path / "in.csv", [row], PENALTY_COLUMNS)
    else:
        row = licence(1, decided_on=decided, published_on="", valid_from="",
                      document_number=f"资交许〔{year}〕1号")  # fmt: skip
        path = write_csv(tmp_path / "in.csv", [row], LICENCE_COLUMNS)
    with CreditBook.memory(policy="national-transport") as book:
        assert ingest(book, path, kind=kind).entered == 1
        [case] = book.cases()
        deadline = case.deadline("disclosure")
        assert deadline is not None
        assert deadline.last_day == dt.date.fromisoformat(last_day)
        last = dt.date.fromisoformat(last_day)
        assert book.overdue(on=last) == []
        [(late, due)] = book.overdue(on=last + dt.timedelta(days=1))
        assert (late.case_id, due.name) == (case.case_id, "disclosure")


def test_a_publication_made_late_is_listed_for_the_days_it_was_late(tmp_path: Path) -> None:
    rows = [
        penalty(1, decided_on="2026-09-30", published_on="2026-10-15"),  # on its last day
        penalty(2, decided_on="2026-09-30", published_on="2026-10-19"),  # 2 working days late
        penalty(3, decided_on="2026-09-30", published_on=""),  # never published
    ]
    with CreditBook.memory(policy="national-transport") as book:
        ingest(book, write_csv(tmp_path / "in.csv", rows, PENALTY_COLUMNS), kind="penalty")
        late = {
            day: sorted(c.data["decision"]["document_number"] for c, d in book.overdue(on=day)
                        if d.name == "disclosure")
            for day in (dt.date(2026, 10, 15), dt.date(2026, 10, 16), dt.date(2026, 10, 30))
        }  # fmt: skip
    assert late[dt.date(2026, 10, 15)] == []
    assert late[dt.date(2026, 10, 16)] == ["资交罚〔2026〕2号", "资交罚〔2026〕3号"]
    assert late[dt.date(2026, 10, 30)] == ["资交罚〔2026〕3号"]


def test_a_minor_penalty_is_due_and_a_breach_record_is_not(tmp_path: Path) -> None:
    rows = [penalty(1, category="warning", amount="", published_on="")]
    with CreditBook.memory(policy="national-transport") as book:
        ingest(book, write_csv(tmp_path / "in.csv", rows, PENALTY_COLUMNS), kind="penalty")
        from _people import OFFICER, SUBJECT

        breach = book.open_case("record.general", SUBJECT, on=dt.date(2026, 6, 1), actor=OFFICER,
                                domain="road_transport", record_kind="breach",
                                decided_on="2026-06-01", summary="违诺")  # fmt: skip
        assert breach.deadline("disclosure") is None
        overdue = book.overdue(on=dt.date(2026, 12, 31))
        late = [c.case_id for c, d in overdue if d.name == "disclosure"]
        assert late == [c.case_id for c in book.cases() if c.kind == "minor"] and late


def test_a_record_ended_before_its_publication_stays_overdue(tmp_path: Path) -> None:
    row = penalty(1, decided_on="2025-03-03", published_on="", category="warning", amount="",
                  document_number="资交罚〔2025〕1号", result="警告")  # fmt: skip
    with CreditBook.memory(policy="national-transport") as book:
        ingest(book, write_csv(tmp_path / "in.csv", [row], PENALTY_COLUMNS), kind="penalty",
               on=dt.date(2026, 6, 1))  # fmt: skip
        ended = book.run_due(on=dt.date(2026, 6, 1))  # its publication window is over
        [case] = book.cases()
        assert [c.case_id for c in ended] == [case.case_id] and case.closed
        later = book.overdue(on=dt.date(2026, 12, 31))  # a closed case is read all the same
    assert [(c.case_id, d.name) for c, d in later] == [(case.case_id, "disclosure")]
