"""Run the demo: a population, a year on a fresh SQLite book, the report and the output folder."""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

import attrs

from creditflow.book.book import CreditBook
from creditflow.demo.agenda import SimulatedClock
from creditflow.demo.charts import draw_charts
from creditflow.demo.disclosure import DisclosureSection, run_disclosure
from creditflow.demo.inspections import DrawnPlan
from creditflow.demo.population import build_population
from creditflow.demo.report import DemoReport, build_report
from creditflow.demo.report_labels import both, label
from creditflow.demo.report_page import report_page
from creditflow.demo.simulation import Outcome, Progress, Simulation
from creditflow.docs import extract_notices, notice_page, site_pages, write_site
from creditflow.docs.document import Page
from creditflow.docs.markdown import page_markdown_parts
from creditflow.errors import InvalidInput
from creditflow.policy.model import Policy
from creditflow.rules import load_policy
from creditflow.supervision import write_plan

__all__ = ["DEFAULT_BOOK", "DemoSettings", "run_demo"]

DEFAULT_BOOK = "creditflow-demo.sqlite"
YEAR = 2026


@attrs.frozen
class DemoSettings:
    """What to simulate and where to write: ``db`` is the book, ``out`` the output folder."""

    subjects: int = 10_000
    seed: int = 2026
    db: Path = Path(DEFAULT_BOOK)
    out: Path = Path("creditflow-demo")
    force: bool = False


def run_demo(settings: DemoSettings, progress: Progress | None = None) -> DemoReport:
    """Simulate a year on a new book at ``settings.db`` and write the output folder.

    An existing book is never appended to: it is refused unless ``force``, which replaces it,
    so that a seed always gives the same chain head.
    """
    if settings.subjects < 10:
        raise InvalidInput(f"--subjects must be at least 10, got {settings.subjects}")
    _make_room(settings.db, settings.force)
    started = time.perf_counter()
    policy = load_policy("national-transport", on=dt.date(YEAR, 12, 31))
    members = build_population(policy, settings.subjects, random.Random(f"pop-{settings.seed}"))
    clock = SimulatedClock(dt.date(YEAR, 1, 1))
    with CreditBook.open(settings.db, policy=policy, clock=clock) as book:

        def write(drawn: DrawnPlan) -> None:
            write_plan(drawn.plan, settings.out / "plans" / drawn.label, policy=policy)

        simulation = Simulation(book, policy, members, seed=settings.seed, clock=clock, year=YEAR,
                                on_plan=write)  # fmt: skip
        outcome = simulation.run(progress)
        disclosure = run_disclosure(book, members, seed=settings.seed, year=YEAR,
                                    out=settings.out)  # fmt: skip
        del simulation, members  # the population is not needed past here: let it go
        # the report before the pages: the book's verification and the site's pages are the
        # largest things the run holds, and they are never held at once
        report = build_report(book, outcome, subjects=settings.subjects, seed=settings.seed)
        pages = _write_outputs(book, policy, outcome, settings.out)
    report = attrs.evolve(report, seconds=time.perf_counter() - started,
                          sections=(disclosure.to_text(),))  # fmt: skip
    (settings.out / "report.txt").write_text(report.to_text() + "\n", encoding="utf-8")
    _write_report_site(report, pages, settings.out / "site", disclosure)
    return report


def _write_report_site(
    report: DemoReport, pages: list[Page], site: Path, disclosure: DisclosureSection
) -> None:
    """The HTML site: the report page with its charts and its disclosure section first, the
    rates and assessment pages, then the handbook and notices.

    Without matplotlib (the ``demo`` extra) the charts are left out, said on stderr and on
    the page, and everything else is written."""
    try:
        charts = [f"charts/{p.name}" for p in draw_charts(report, site / "charts")]
        note = ""
    except ModuleNotFoundError as error:
        if error.name != "matplotlib":
            raise
        charts, note = [], both(label("notes.charts_missing"))
        sys.stderr.write(f"creditflow: note: {error}\n")
    first = report_page(report, charts, note, more=(disclosure.section(),))
    write_site([first, *disclosure.pages(), *pages], site, "html", "zh")


def _make_room(db: Path, force: bool) -> None:
    """Refuse an existing book, or remove it (and its journal files) with ``force``."""
    if not db.exists():
        return
    if not force:
        raise InvalidInput(f"{db} exists: the demo writes a new book; use --force to replace it")
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")):
        path.unlink(missing_ok=True)


def _write_outputs(book: CreditBook, policy: Policy, outcome: Outcome, out: Path) -> list[Page]:
    """The documentation site (Markdown) with the book's notices and the notices alone (the
    plans were written when drawn); the pages, for the HTML site. The notices are extracted
    once for all of them (``site_pages(..., book=book)`` would extract them again)."""
    on = outcome.last_day
    notices = extract_notices(book, on)
    pages = [*site_pages(policy, "zh"), notice_page(notices, "zh")]
    write_site(pages, out / "site", "md", "zh")
    (out / "notices").mkdir(parents=True, exist_ok=True)
    for lang in ("zh", "en"):
        path = out / "notices" / f"notices-{on.isoformat()}.{lang}.md"
        with path.open("w", encoding="utf-8") as file:
            file.writelines(page_markdown_parts(notice_page(notices, lang)))
    return pages
