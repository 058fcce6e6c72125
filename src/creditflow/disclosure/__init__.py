"""Collection and disclosure (归集与公开): the catalogue's ingest, the 双公示 feed, the three rates.

- :func:`ingest` checks licensing and penalty decisions (CSV, JSON lines, Parquet with
  ``pyarrow``) against the pack's catalogue and enters the valid ones into the book;
- :func:`dual_publication_feed` lists what is published on a date (Markdown, HTML, JSON lines),
  persons masked, text escaped, with the book's anchor;
- :func:`compute_rates` gives coverage, compliance, completeness and timeliness per reporting
  unit and period, each with its numerator, denominator and failing rows;
- :func:`assess` scores a pack's assessment table (信用交通市) for a period.

See docs/disclosure.md.
"""

from __future__ import annotations

from creditflow.disclosure.assessment import (
    AssessmentReport,
    CreditCheckEntry,
    Evidence,
    ItemResult,
    assess,
    read_credit_checks,
    read_evidence,
)
from creditflow.disclosure.feed import Feed, FeedEntry, dual_publication_feed
from creditflow.disclosure.ingest import (
    INGESTED_KINDS,
    IngestReport,
    RejectedRow,
    ingest,
    penalty_severity,
    read_rows,
)
from creditflow.disclosure.periods import ReportingPeriod
from creditflow.disclosure.rates import (
    RATE_NAMES,
    FailingRow,
    Rate,
    RatesReport,
    UnitRates,
    compute_rates,
    read_population_units,
    read_rejected,
)
from creditflow.disclosure.rows import INGEST_COLUMNS, CheckedRow, RowProblem, check_row

__all__ = [
    "INGESTED_KINDS",
    "INGEST_COLUMNS",
    "RATE_NAMES",
    "AssessmentReport",
    "CheckedRow",
    "CreditCheckEntry",
    "Evidence",
    "FailingRow",
    "Feed",
    "FeedEntry",
    "IngestReport",
    "ItemResult",
    "Rate",
    "RatesReport",
    "RejectedRow",
    "ReportingPeriod",
    "RowProblem",
    "UnitRates",
    "assess",
    "check_row",
    "compute_rates",
    "dual_publication_feed",
    "ingest",
    "penalty_severity",
    "read_credit_checks",
    "read_evidence",
    "read_population_units",
    "read_rejected",
    "read_rows",
]
