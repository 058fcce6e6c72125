"""Disclosure speed: ingest of penalty decisions into a SQLite book, and the rates over them.

Run on demand (not in CI)::

    python benchmarks/disclosure.py                    # 1,000,000 penalty rows
    python benchmarks/disclosure.py --rows 50000       # a quicker look

The baseline, measured in the same run, is the book's own batch rate: the same penalties
entered with ``CreditBook.open_case`` (and ``fire("disclose")`` where published) in
``CreditBook.batch`` blocks of the same size, on a SQLite book, with the rows already parsed
and checked and the packs of every decision date loaded. ``ingest/book`` is the share of that
rate the ingest keeps while it also reads the CSV, checks every row against the catalogue,
keys it by document number and finds its severity. Then
:func:`~creditflow.disclosure.compute_rates` runs over the whole ingested book for the year
(target: under 30 s for 1,000,000 rows, issue 18), against the book's own scan of its cases
(``book.cases()``, which the rates cannot avoid: every decision is a case).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import tempfile
import time
from pathlib import Path

from creditflow.book import CreditBook
from creditflow.core.identifiers import organisation_code_check_character, uscc_check_character
from creditflow.disclosure import compute_rates, ingest, read_rows
from creditflow.disclosure.ingest import penalty_severity
from creditflow.workflows import Actor

COLUMNS = (
    "document_number", "title", "category", "grounds", "basis", "party", "party_name", "result",
    "amount", "decided_on", "authority", "unit", "domain", "published_on",
)  # fmt: skip
UNITS = ("bureau", "road_transport", "highway", "waterway", "enforcement")
ACTOR = Actor("benchmark", {"system"})


def subject(n: int) -> str:
    """A valid unified social credit code numbered ``n``."""
    organisation = f"M{n:07d}"
    body = f"91350100{organisation}{organisation_code_check_character(organisation)}"
    return body + uscc_check_character(body)


def write_rows(path: Path, rows: int, subjects: list[str], prefix: str) -> None:
    """``rows`` penalties of 2026 spread over the working days of May to November."""
    start = dt.date(2026, 5, 6)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for n in range(rows):
            decided = start + dt.timedelta(days=(n % 180))
            if decided.weekday() >= 5:
                decided -= dt.timedelta(days=decided.weekday() - 4)
            published = "" if n % 50 == 0 else (decided + dt.timedelta(days=2)).isoformat()
            amount = (1000, 5000, 20000, 150000)[n % 4]
            number = f"{prefix}{n // 500_000}〔2026〕{n % 500_000 + 1}号"
            party = subjects[n % len(subjects)]
            writer.writerow((
                number, "罚款", "fine", "超限运输", "《公路安全保护条例》", party, "某运输有限公司",
                f"罚款{amount}元", amount, decided.isoformat(), "某市交通运输局",
                UNITS[n % len(UNITS)], "road_transport", published,
            ))  # fmt: skip


def book_rate(path: Path, source: Path, chunk: int, policy: str) -> tuple[int, float]:
    """The book's own rate: the rows (parsed beforehand) entered in batches of ``chunk``."""
    with CreditBook.open(path, policy=policy) as book:
        catalogue = book.policy_on(dt.date(2026, 6, 1)).catalogue
        assert catalogue is not None
        rows = [row for _, row in read_rows(source)]
        prepared = []
        for row in rows:
            values = {k: str(v) for k, v in row.items() if v != ""}
            severity = penalty_severity(catalogue, values).value
            data = {"domain": "road_transport", "record_kind": "penalty",
                    "decided_on": values["decided_on"], "summary": values["result"],
                    "basis": values["basis"], "dual_publication": severity != "minor",
                    "decision": values}  # fmt: skip
            prepared.append((severity, values, data))
        for _, values, _ in prepared:  # the packs of every date, loaded before the clock
            book.policy_on(dt.date.fromisoformat(values["decided_on"]))
        started = time.perf_counter()
        for first in range(0, len(prepared), chunk):
            with book.batch():
                for severity, values, data in prepared[first : first + chunk]:
                    decided = dt.date.fromisoformat(values["decided_on"])
                    case = book.open_case(f"record.{severity}", values["party"], on=decided,
                                          actor=ACTOR, **data)  # fmt: skip
                    if "published_on" in values and data["dual_publication"]:
                        book.fire(case.case_id, "disclose", actor=ACTOR,
                                  on=dt.date.fromisoformat(values["published_on"]))  # fmt: skip
        return len(prepared), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--baseline-rows", type=int, default=50_000)
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=50_000)
    args = parser.parse_args()
    policy = "national-transport"
    subjects = [subject(n) for n in range(args.subjects)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base_csv, big_csv = folder / "base.csv", folder / "penalties.csv"
        write_rows(base_csv, args.baseline_rows, subjects, "基准罚")
        write_rows(big_csv, args.rows, subjects, "资交罚")
        entered, seconds = book_rate(folder / "baseline.sqlite", base_csv, args.chunk, policy)
        book_per_s = entered / seconds
        print(f"book (open_case + disclose in batches of {args.chunk}): {entered:,} rows in "
              f"{seconds:.1f} s = {book_per_s:,.0f} rows/s")  # fmt: skip
        with CreditBook.open(folder / "ingest.sqlite", policy=policy) as book:
            started = time.perf_counter()
            report = ingest(book, big_csv, kind="penalty", on=dt.date(2026, 12, 31),
                            chunk=args.chunk)  # fmt: skip
            seconds = time.perf_counter() - started
            per_s = report.rows / seconds
            print(f"ingest (read, check, key, enter): {report.rows:,} rows in {seconds:.1f} s = "
                  f"{per_s:,.0f} rows/s; entered {report.entered:,}, disclosed "
                  f"{report.disclosed:,}, rejected {len(report.rejected)}")  # fmt: skip
            print(f"ingest/book: {per_s / book_per_s:.2f}")
            for problem in report.problems[:3]:
                print(f"  rejected: {problem}")
            started = time.perf_counter()
            scanned = sum(1 for _ in book.cases())
            scan = time.perf_counter() - started
            print(f"the book's own scan of its {scanned:,} cases (book.cases()): {scan:.1f} s")
            population = dict.fromkeys(subjects, "")
            started = time.perf_counter()
            rates = compute_rates(book, population, "2026", on=dt.date(2026, 12, 31))
            seconds = time.perf_counter() - started
            region = rates.unit("").rates
            shown = ", ".join(f"{name} {r.percent()}" for name, r in region.items())
            verdict = "under" if seconds < 30 else "OVER"
            print(f"rates over {report.rows:,} rows: {seconds:.1f} s ({verdict} the 30 s target), "
                  f"rates/scan {seconds / scan:.2f}; {shown}")  # fmt: skip


if __name__ == "__main__":
    main()
