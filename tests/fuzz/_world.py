"""Valid values for every parameter the fuzz suite keeps valid while it makes another hostile.

Built once per process (they are immutable) except the book, which :func:`book` opens afresh
with one published listing, since a fuzzed call may write to it.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from pathlib import Path
from typing import Any

import creditflow
from _people import OFFICER, SUBJECT, published_listing
from creditflow import Engine, Facts, SubjectKind
from creditflow.book.book import CreditBook
from creditflow.core import organisation_code_check_character, uscc_check_character
from creditflow.docs import extract_handbook, extract_notices, handbook_pages
from creditflow.supervision import Inspector, PopulationEntry, draw_plan

ON = dt.date(2026, 6, 1)
LISTED_ON = dt.date(2026, 5, 6)


@functools.cache
def policy() -> creditflow.Policy:
    return creditflow.load_policy("national-transport", on=ON)


@functools.cache
def old_policy() -> creditflow.Policy:
    return creditflow.load_policy("national-transport@2019.1")


@functools.cache
def engine() -> Engine:
    return Engine(policy())


def book() -> CreditBook:
    """A fresh book in memory holding one published serious listing (``listing-1``)."""
    opened = CreditBook.memory(policy=policy())
    published_listing(opened)
    return opened


@functools.cache
def _status_book() -> CreditBook:
    return book()


def status() -> creditflow.CreditStatus:
    return _status_book().status(SUBJECT, on=ON)


def uscc(number: int) -> str:
    body = f"{number:08d}"
    first = f"91230123{body}{organisation_code_check_character(body)}"
    return first + uscc_check_character(first)


@functools.cache
def population() -> tuple[PopulationEntry, ...]:
    return tuple(
        PopulationEntry(
            SubjectKind.ENTERPRISE, uscc(n), f"企业{n}", "230123", Facts("road_transport", "B")
        )
        for n in range(20)
    )


@functools.cache
def inspectors() -> tuple[Inspector, ...]:
    return tuple(
        Inspector(f"ZF{n:03d}", f"执法{n}", ("230123",), ("road_transport",)) for n in range(4)
    )


@functools.cache
def plan() -> Any:
    return draw_plan(population(), engine=engine(), period=2026, seed="s", inspectors=inspectors())


@functools.cache
def handbook() -> Any:
    return extract_handbook(policy())


@functools.cache
def page() -> Any:
    return handbook_pages(handbook(), "zh")[0]


@functools.cache
def notices() -> Any:
    return extract_notices(_status_book(), ON)


@functools.cache
def _folder() -> Path:
    """A directory for the run's files, removed at exit."""
    import atexit
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="creditflow-fuzz-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def population_folder() -> str:
    """A directory holding the population as one CSV file."""
    folder = _folder() / "population"
    if not folder.exists():
        folder.mkdir()
        (folder / "part-0.csv").write_text(population_csv().getvalue(), encoding="utf-8")
    return str(folder)


def parquet_path() -> str:
    """A path for a Parquet file."""
    return str(_folder() / "out.parquet")


def population_csv() -> io.StringIO:
    rows = "".join(
        f"{e.subject_id},enterprise,{e.name},230123,road_transport,B\n" for e in population()
    )
    return io.StringIO("subject_id,kind,name,region,domain,grade\n" + rows)


OFFICER_ACTOR = OFFICER


PENALTY_CSV = (
    "document_number,title,category,grounds,basis,party,party_name,result,amount,decided_on,"
    "authority,unit,domain,published_on\n"
    "资交罚〔2026〕1号,超限运输,fine,超限,《公路法》,91350100M000100Y43,某公司,罚款,5000,"
    "2026-05-06,某局,enforcement,road_transport,2026-05-08\n"
)


def penalties_csv() -> io.StringIO:
    """A CSV file of one valid penalty decision."""
    return io.StringIO(PENALTY_CSV)


def penalty_row() -> dict[str, str]:
    """The valid penalty row of :data:`PENALTY_CSV` as a mapping."""
    header, row = PENALTY_CSV.splitlines()
    return dict(zip(header.split(","), row.split(","), strict=True))
