"""Docs speed: the handbook of every built-in pack, and notices of a book of many listings.

Run on demand (not in CI)::

    python benchmarks/docs.py                  # 100,000 listings
    python benchmarks/docs.py --listings 10000

Targets (issue 6): the handbooks of every built-in pack (both languages, Markdown and HTML)
under 2 s; the notices of 100,000 published listings (extract, render Markdown and HTML)
under 30 s. The book is built in memory with ``CreditBook.batch()``; building it is timed
apart and is not part of the target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from creditflow.book.book import CreditBook
from creditflow.core.identifiers import organisation_code_check_character, uscc_check_character
from creditflow.docs import (
    extract_handbook,
    extract_notices,
    handbook_pages,
    notice_page,
    page_html,
    page_markdown,
)
from creditflow.policy import builtin_versions
from creditflow.rules.loading import load_policy
from creditflow.workflows import Actor

OFFICER = Actor("officer", {"case_officer"})
OFFICIAL = Actor("official", {"approving_official"})
DECISION = {"measures": ["key_supervision"], "removal_conditions": "c", "remedies": "r"}
ON = dt.date(2026, 5, 6)


def subject(n: int) -> str:
    """A valid unified social credit code numbered ``n``."""
    organisation = f"M{n:07d}"
    body = f"91350100{organisation}{organisation_code_check_character(organisation)}"
    return body + uscc_check_character(body)


def handbooks() -> tuple[float, float]:
    """Seconds to load (read, compile, analyse) every built-in pack, and to extract and render
    its handbook in both languages and formats."""
    start = time.perf_counter()
    policies = [load_policy(v.key) for v in builtin_versions()]
    loaded = time.perf_counter()
    for policy in policies:
        handbook = extract_handbook(policy)
        for lang in ("zh", "en"):
            for page in handbook_pages(handbook, lang):
                page_markdown(page)
                page_html(page, lang=lang)
    return loaded - start, time.perf_counter() - loaded


def book_of(listings: int) -> CreditBook:
    """A memory book with ``listings`` published red listings (3 transitions each)."""
    book = CreditBook.memory(policy="national-transport")
    with book.batch():
        for n in range(listings):
            case = book.open_case(
                "listing.red", subject(n), on=ON, actor=OFFICER, domain="road_transport",
                grounds="g", basis="b",
            )  # fmt: skip
            book.fire(case.case_id, "decide", on=ON, actor=OFFICIAL, **DECISION)
            book.fire(case.case_id, "publish", on=ON + dt.timedelta(days=1), actor=OFFICER)
    return book


def notices(book: CreditBook, expected: int) -> float:
    """Seconds to extract the notices and render them as Markdown and HTML, in Chinese."""
    start = time.perf_counter()
    extracted = extract_notices(book, ON + dt.timedelta(days=30))
    page = notice_page(extracted, "zh")
    page_markdown(page)
    page_html(page, lang="zh")
    elapsed = time.perf_counter() - start
    assert len(extracted.listings) == expected, len(extracted.listings)
    return elapsed


def main() -> None:
    """Run both benchmarks and print their figures against the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=100_000)
    args = parser.parse_args()
    loading, rendering = handbooks()
    count = len(builtin_versions())
    print(f"handbooks of {count} pack versions: {rendering:.2f} s (target < 2 s)")
    print(f"  (loading the packs first, in a fresh process: {loading:.2f} s)")
    start = time.perf_counter()
    book = book_of(args.listings)
    print(f"built a book of {args.listings:,} listings in {time.perf_counter() - start:.1f} s")
    seconds = notices(book, args.listings)
    print(f"notices of {args.listings:,} listings: {seconds:.2f} s (target < 30 s)")


if __name__ == "__main__":
    main()
