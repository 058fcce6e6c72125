"""The demo (演示): a year in a transport bureau, end to end, on a synthetic population.

``creditflow demo`` builds subjects in the five domains with valid identifiers and published-
like grades, runs 2026 day by day on the working-day calendar (licensing with credit checks
and commit-and-approve, penalties, listings, objections, repair, quarterly inspection plans,
the year-end evaluation) on a SQLite credit book, then prints a report and writes the
documentation site, the public notices and the plans::

    from creditflow.demo import DemoSettings, run_demo

    report = run_demo(DemoSettings(subjects=500, seed=7, db=Path("demo.sqlite"), out=Path("out")))
    assert report.ok, report.to_text()

The same seed gives the same book: compare ``report.head``.
"""

from creditflow.demo.report import DemoReport, GradeRow, Invariant
from creditflow.demo.run import DEFAULT_BOOK, DemoSettings, run_demo

__all__ = ["DEFAULT_BOOK", "DemoReport", "DemoSettings", "GradeRow", "Invariant", "run_demo"]
