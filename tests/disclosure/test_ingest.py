"""Ingest: valid rows entered, bad rows reported, idempotent by document number, atomic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _decisions import (
    PENALTY_COLUMNS,
    PERSON,
    licence,
    penalty,
    write_csv,
    write_jsonl,
)

from creditflow.book import CreditBook
from creditflow.disclosure import (
    IngestReport,
    RejectedRow,
    dual_publication_feed,
    ingest,
    read_rejected,
)
from creditflow.errors import InvalidInput, MissingExtra

ON = dt.date(2026, 10, 20)


@pytest.fixture(params=["memory", "sqlite"])
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CreditBook]:
    if request.param == "memory":
        opened = CreditBook.memory(policy="national-transport")
    else:
        opened = CreditBook.open(tmp_path / "book.sqlite", policy="national-transport")
    with opened:
        yield opened


def penalties(tmp_path: Path, rows: list[dict[str, Any]], name: str = "p.csv") -> Path:
    return write_csv(tmp_path / name, rows, PENALTY_COLUMNS)


def test_penalties_become_records_of_the_packs_severity(book: CreditBook, tmp_path: Path) -> None:
    rows = [
        penalty(1),  # a fine of 5000: general
        penalty(2, category="warning", amount="", result="警告"),  # minor
        penalty(3, amount="200000"),  # a very large fine: serious
        penalty(4, category="licence_revocation", amount=""),  # serious
    ]
    report = ingest(book, penalties(tmp_path, rows), kind="penalty", on=ON)
    assert (report.rows, report.entered, report.already, report.rejected) == (4, 4, 0, ())
    cases = sorted(
        book.cases(machine="record"), key=lambda c: c.data["decision"]["document_number"]
    )
    assert [c.kind for c in cases] == ["general", "minor", "serious", "serious"]
    first = cases[0]
    assert first.data["decided_on"] == "2026-09-28" and first.opened_on == dt.date(2026, 9, 28)
    assert first.data["record_kind"] == "penalty"
    assert first.data["decision"]["unit"] == "enforcement"
    # every penalty decision is published within 7 working days (双公示), a minor one too
    assert cases[1].deadline("disclosure").met_on == dt.date(2026, 10, 9)  # type: ignore[union-attr]
    assert first.deadline("disclosure").met_on == dt.date(2026, 10, 9)  # type: ignore[union-attr]
    assert report.disclosed == 4


def test_a_minor_penalty_is_due_overdue_and_in_the_feed(book: CreditBook, tmp_path: Path) -> None:
    rows = [
        penalty(1, category="warning", amount="", result="警告", published_on=""),
        penalty(2, amount="2000", result="罚款2000元", published_on="2026-10-09"),
    ]
    report = ingest(book, penalties(tmp_path, rows), kind="penalty", on=ON)
    assert report.entered == 2 and report.disclosed == 1
    late = [case.data["decision"]["document_number"]
            for case, _ in book.overdue(on=dt.date(2026, 10, 16))]  # fmt: skip
    assert late == ["资交罚〔2026〕1号"]
    feed = dual_publication_feed(book, on=dt.date(2026, 10, 16))
    assert [(e.case_id, e.severity) for e in feed.entries] == [
        (c.case_id, "minor")
        for c in book.cases(machine="record")
        if c.data["decision"].get("amount")
    ]


def test_licences_become_licence_cases_disclosed_on_their_date(
    book: CreditBook, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "l.jsonl", [licence(1), licence(2, published_on="")])
    report = ingest(book, path, kind="licensing", on=ON)
    assert (report.entered, report.disclosed) == (2, 1)
    cases = sorted(book.cases(machine="licence"), key=lambda c: c.case_id)
    assert [(c.kind, c.state) for c in cases] == [("ordinary", "granted")] * 2
    assert cases[0].data["valid_until"] == "2030-09-27"
    assert cases[0].deadline("disclosure").met_on == dt.date(2026, 9, 30)  # type: ignore[union-attr]
    assert cases[1].deadline("disclosure").met_on is None  # type: ignore[union-attr]


def test_ingesting_the_same_file_again_enters_nothing(book: CreditBook, tmp_path: Path) -> None:
    path = penalties(tmp_path, [penalty(1), penalty(2, published_on="")])
    ingest(book, path, kind="penalty", on=ON)
    head = book.head()
    again = ingest(book, path, kind="penalty", on=ON)
    assert (again.entered, again.already, again.disclosed, again.rejected) == (0, 2, 0, ())
    assert book.head() == head


def test_a_later_file_adds_the_publication_date_of_a_known_decision(
    book: CreditBook, tmp_path: Path
) -> None:
    ingest(book, penalties(tmp_path, [penalty(1, published_on="")]), kind="penalty", on=ON)
    later = ingest(book, penalties(tmp_path, [penalty(1)], "later.csv"), kind="penalty", on=ON)
    assert (later.entered, later.already, later.disclosed) == (0, 1, 1)
    [case] = book.cases(machine="record")
    assert case.deadline("disclosure").met_on == dt.date(2026, 10, 9)  # type: ignore[union-attr]


def test_a_known_decision_with_its_amount_written_otherwise_is_the_same_decision(
    book: CreditBook, tmp_path: Path
) -> None:
    ingest(book, penalties(tmp_path, [penalty(1, amount="5000")]), kind="penalty", on=ON)
    head = book.head()
    for amount in ("5000.00", "5e3", " 5000.0 "):
        again = penalties(tmp_path, [penalty(1, amount=amount)], "again.csv")
        report = ingest(book, again, kind="penalty", on=ON)
        assert (report.entered, report.already, report.problems) == (0, 1, ()), amount
    assert book.head() == head


def test_a_known_document_number_with_other_content_is_a_problem(
    book: CreditBook, tmp_path: Path
) -> None:
    ingest(book, penalties(tmp_path, [penalty(1)]), kind="penalty", on=ON)
    head = book.head()
    changed = penalties(tmp_path, [penalty(1, amount="6000")], "changed.csv")
    report = ingest(book, changed, kind="penalty", on=ON)
    assert report.entered == 0
    [problem] = report.problems
    assert (problem.line, problem.field, problem.rule) == (2, "document_number", "changed")
    assert book.head() == head
    other_party = penalties(tmp_path, [penalty(1, party=PERSON, party_name="张三")], "o.csv")
    [problem] = ingest(book, other_party, kind="penalty", on=ON).problems
    assert problem.rule == "changed" and PERSON not in problem.message
    other_kind = penalties(tmp_path, [penalty(1, amount="200000")], "serious.csv")
    [problem] = ingest(book, other_kind, kind="penalty", on=ON).problems
    assert problem.rule == "changed"
    assert book.head() == head


def test_bad_rows_are_reported_with_file_line_field_rule_and_the_rest_entered(
    book: CreditBook, tmp_path: Path
) -> None:
    rows = [penalty(1), penalty(2, amount="abc", unit="nowhere"), penalty(3), penalty(1)]
    path = penalties(tmp_path, rows)
    report = ingest(book, path, kind="penalty", on=ON)
    assert report.entered == 2
    found = [(p.source, p.line, p.field, p.rule) for p in report.problems]
    assert found == [
        (str(path), 3, "amount", "type.amount"),
        (str(path), 3, "unit", "type.unit"),
        (str(path), 5, "document_number", "duplicate"),
    ]
    bad = report.rejected[0]
    assert (bad.key, bad.unit, bad.decided_on, bad.required, bad.present) == (
        "资交罚〔2026〕2号", "", dt.date(2026, 9, 28), 12, 12,
    )  # fmt: skip
    assert {c.data["decision"]["document_number"] for c in book.cases()} == {
        "资交罚〔2026〕1号", "资交罚〔2026〕3号",
    }  # fmt: skip


def test_a_row_the_reader_cannot_split_is_a_problem_of_its_line(
    book: CreditBook, tmp_path: Path
) -> None:
    path = tmp_path / "p.jsonl"
    write_jsonl(path, [penalty(1)])
    with path.open("a", encoding="utf-8") as out:
        out.write("{not json\n[1, 2]\n")
    report = ingest(book, path, kind="penalty", on=ON)
    assert report.entered == 1
    assert [(p.line, p.rule) for p in report.problems] == [(2, "format"), (3, "format")]
    short = tmp_path / "short.csv"
    short.write_text("document_number,title\n资交罚〔2026〕9号\n", encoding="utf-8")
    assert [(p.line, p.rule) for p in ingest(book, short, kind="penalty").problems] == [
        (2, "format")
    ]


def test_a_csv_record_the_reader_cannot_parse_is_a_problem_of_its_line_and_the_rest_read(
    book: CreditBook, tmp_path: Path
) -> None:
    """Bad quoting is a format problem of the record's first line, not an error that stops
    the ingest (an unterminated quote at the end runs to the end of the file)."""
    path = penalties(tmp_path, [penalty(1), penalty(2)])
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = ['"资交罚〔2026〕7号"x,' + lines[1].split(",", 1)[1], '"unterminated,1\n']
    path.write_text("".join([lines[0], lines[1], bad[0], lines[2], bad[1]]), encoding="utf-8")
    report = ingest(book, path, kind="penalty", on=ON)
    assert (report.rows, report.entered) == (4, 2)
    problems = [(p.line, p.rule) for p in report.problems]
    assert problems == [(3, "format"), (5, "format")]
    assert "not valid CSV" in report.problems[0].message


def test_a_row_the_book_refuses_leaves_no_trace_and_is_reported(tmp_path: Path) -> None:
    from _packs import national_data
    from creditflow.policy.loader import policy_from_data

    data = national_data()
    data["permissions"]["record"]["enter"] = ["case_officer"]  # the ingest acts as system
    policy = policy_from_data(data, "officers-only.toml")
    with CreditBook.memory(policy=policy) as book:
        report = ingest(book, penalties(tmp_path, [penalty(1)]), kind="penalty", on=ON)
        assert report.entered == 0 and book.head()[0] == 0
        [problem] = report.problems
        assert (problem.line, problem.rule) == (2, "refused")
        assert "system" in problem.message or "role" in problem.message


def test_ingest_is_atomic_a_failure_leaves_nothing(tmp_path: Path) -> None:
    path = penalties(tmp_path, [penalty(n) for n in range(1, 6)])
    with CreditBook.open(tmp_path / "b.sqlite", policy="national-transport") as book:
        real = book.open_case
        calls = 0

        def failing(*args: Any, **kwargs: Any) -> Any:
            nonlocal calls
            calls += 1
            if calls == 4:
                raise OSError("disk full")
            return real(*args, **kwargs)

        book.open_case = failing  # type: ignore[method-assign]
        with pytest.raises(OSError, match="disk full"):
            ingest(book, path, kind="penalty", on=ON)
        assert book.head()[0] == 0
        book.open_case = real  # type: ignore[method-assign]
        report = ingest(book, path, kind="penalty", on=ON)
        assert report.entered == 5


def test_with_chunks_a_failure_leaves_whole_chunks_and_a_rerun_completes(tmp_path: Path) -> None:
    path = penalties(tmp_path, [penalty(n, published_on="") for n in range(1, 8)])
    with CreditBook.memory(policy="national-transport") as book:
        real = book.open_case
        calls = 0

        def failing(*args: Any, **kwargs: Any) -> Any:
            nonlocal calls
            calls += 1
            if calls == 6:
                raise OSError("disk full")
            return real(*args, **kwargs)

        book.open_case = failing  # type: ignore[method-assign]
        with pytest.raises(OSError, match="disk full"):
            ingest(book, path, kind="penalty", on=ON, chunk=3)
        assert len(list(book.cases())) == 3
        book.open_case = real  # type: ignore[method-assign]
        report = ingest(book, path, kind="penalty", on=ON, chunk=3)
        assert (report.entered, report.already) == (4, 3)


def test_rejected_rows_round_trip_through_json_lines_with_persons_masked(
    book: CreditBook, tmp_path: Path
) -> None:
    path = penalties(tmp_path, [penalty(1, party=PERSON, party_name="张三", amount="x")])
    report = ingest(book, path, kind="penalty", on=ON)
    out = tmp_path / "rejected.jsonl"
    report.write_rejected(out)
    assert PERSON not in out.read_text(encoding="utf-8")
    assert read_rejected(out) == list(report.rejected)
    assert isinstance(report, IngestReport) and isinstance(report.rejected[0], RejectedRow)


def test_only_licensing_and_penalty_decisions_are_ingested(
    book: CreditBook, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput, match="only licensing, penalty"):
        ingest(book, penalties(tmp_path, [penalty(1)]), kind="repair")
    with pytest.raises(InvalidInput, match="cannot tell the format"):
        ingest(book, tmp_path / "rows.txt", kind="penalty")
    with pytest.raises(InvalidInput, match="chunk"):
        ingest(book, penalties(tmp_path, [penalty(1)]), kind="penalty", chunk=0)


def test_parquet_without_pyarrow_names_the_extra(
    book: CreditBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(MissingExtra, match=r"pip install 'creditflow\[dask\]'") as info:
        ingest(book, tmp_path / "p.parquet", kind="penalty")
    assert (info.value.extra, info.value.module) == ("dask", "pyarrow")


def test_a_decision_before_any_pack_is_a_problem_of_its_line(
    book: CreditBook, tmp_path: Path
) -> None:
    old = penalty(2, decided_on="2018-05-07", document_number="资交罚〔2018〕2号")
    report = ingest(book, penalties(tmp_path, [penalty(1), old]), kind="penalty", on=ON)
    assert report.entered == 1
    [problem] = report.problems
    assert (problem.line, problem.field, problem.rule) == (3, "decided_on", "no_policy")


def test_parquet_is_read_with_the_dask_extra(book: CreditBook, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [penalty(1), penalty(2, amount="abc")]
    table = pa.table({column: [row[column] for row in rows] for column in PENALTY_COLUMNS})
    pq.write_table(table, tmp_path / "p.parquet")
    report = ingest(book, tmp_path / "p.parquet", kind="penalty", on=ON)
    assert (report.rows, report.entered) == (2, 1)
    assert [(p.line, p.field, p.rule) for p in report.problems] == [(2, "amount", "type.amount")]


def test_parquet_date_and_number_columns_are_read_as_their_values(
    book: CreditBook, tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [penalty(1, amount="5000"), penalty(2, amount="")]
    columns: dict[str, Any] = {c: [row[c] for row in rows] for c in PENALTY_COLUMNS}
    for name in ("decided_on", "published_on"):
        columns[name] = pa.array([dt.date.fromisoformat(v) for v in columns[name]], pa.date32())
    columns["amount"] = pa.array([5000, None], pa.int64())
    pq.write_table(pa.table(columns), tmp_path / "p.parquet")
    report = ingest(book, tmp_path / "p.parquet", kind="penalty", on=ON)
    assert (report.rows, report.entered, report.problems) == (2, 2, ())
    [first] = [c for c in book.cases(machine="record") if c.data["decision"].get("amount")]
    assert first.data["decision"]["decided_on"] == rows[0]["decided_on"]
    assert first.data["decision"]["amount"] == "5000"


def test_a_date_after_the_ingest_is_a_problem(book: CreditBook, tmp_path: Path) -> None:
    rows = [
        penalty(1, decided_on="2026-10-21", published_on=""),  # decided after ON
        penalty(2, published_on="2026-10-21"),  # published after ON
        penalty(3, decided_on="2026-10-20", published_on="2026-10-20"),  # on ON: fine
    ]
    report = ingest(book, penalties(tmp_path, rows), kind="penalty", on=ON)
    assert report.entered == 1
    assert [(p.line, p.field, p.rule) for p in report.problems] == [
        (2, "decided_on", "future"),
        (3, "published_on", "future"),
    ]
