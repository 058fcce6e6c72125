"""Public notices from a book: what is in publication on the date, persons masked."""

from __future__ import annotations

import datetime as dt

import pytest
from _docbook import FIRM, PERSON, PERSON_MASKED, D, sample_book

from creditflow.book.book import CreditBook
from creditflow.docs import extract_notices, notice_page, page_html, page_markdown

LAST_DAY = D(2029, 5, 20)  # decided 2026-05-20, serious list for 3 years


@pytest.fixture(scope="module")
def book() -> CreditBook:
    return sample_book()


def test_a_listing_appears_on_its_last_day_and_not_on_the_day_after(book: CreditBook) -> None:
    assert {n.last_day for n in extract_notices(book, LAST_DAY).listings} == {LAST_DAY}
    assert len(extract_notices(book, LAST_DAY).listings) == 2
    assert extract_notices(book, LAST_DAY + dt.timedelta(days=1)).listings == ()


def test_a_listing_appears_from_its_publication_day(book: CreditBook) -> None:
    assert extract_notices(book, D(2026, 5, 20)).listings == ()  # decided, not yet published
    assert len(extract_notices(book, D(2026, 5, 21)).listings) == 2


def test_the_page_leaves_out_what_is_no_longer_public(book: CreditBook) -> None:
    on_last_day = page_markdown(notice_page(extract_notices(book, LAST_DAY), "en"))
    after = page_markdown(notice_page(extract_notices(book, D(2029, 5, 21)), "en"))
    assert FIRM in on_last_day and "2029-05-20" in on_last_day
    assert FIRM not in after.split("## Commitments")[0]


def test_a_person_s_resident_id_is_masked_everywhere(book: CreditBook) -> None:
    notices = extract_notices(book, D(2026, 6, 1))
    assert {n.subject for n in notices.listings} == {FIRM, PERSON_MASKED}
    for lang in ("zh", "en"):
        page = page_markdown(notice_page(notices, lang))
        assert PERSON not in page
        assert PERSON_MASKED.replace("*", "\\*") in page


def test_commitments_made_by_the_date_are_public(book: CreditBook) -> None:
    assert extract_notices(book, D(2026, 5, 31)).commitments == ()
    (made,) = extract_notices(book, D(2026, 6, 1)).commitments
    assert (made.subject, made.state, made.kind.en) == (FIRM, "made", "Commit-and-approve")


def test_an_approved_repair_is_public_and_ends_the_listing() -> None:
    from _docbook import OFFICER, OFFICIAL, published_listing

    from creditflow.workflows import Actor

    book = CreditBook.memory(policy="national-transport")
    listing = published_listing(book, FIRM)
    me = Actor(FIRM, {"subject"})
    promise = book.open_case(
        "commitment.repair", FIRM, on=D(2027, 5, 20), actor=me, domain="road_transport",
        summary="信用修复承诺",
    )  # fmt: skip
    repair = book.open_case(
        "repair", FIRM, on=D(2027, 5, 20), actor=me, target=listing,
        materials=["correction_proof", "commitment_letter"], obligations_fulfilled=True,
        commitment_case=promise.case_id,
    ).case_id  # fmt: skip
    book.fire(repair, "accept", on=D(2027, 5, 21), actor=OFFICER)
    book.fire(repair, "approve", on=D(2027, 5, 21), actor=OFFICIAL)
    assert extract_notices(book, D(2027, 5, 20)).repairs == ()
    assert len(extract_notices(book, D(2027, 5, 20)).listings) == 1
    notices = extract_notices(book, D(2027, 5, 21))
    assert [(r.target, r.approved_on) for r in notices.repairs] == [(listing, D(2027, 5, 21))]
    assert notices.listings == ()


def test_the_notice_prints_the_book_anchor_it_was_made_from(book: CreditBook) -> None:
    seq, head = book.head()
    notices = extract_notices(book, D(2026, 6, 1))
    assert notices.head == (seq, head) and notices.anchor == f"{seq}:{head}"
    zh = page_markdown(notice_page(notices, "zh"))
    en = page_markdown(notice_page(notices, "en"))
    assert f"- 账本锚点: {seq}:{head}\n" in zh
    assert f"- Book anchor: {seq}:{head}\n" in en
    for page in (zh, en):
        assert f"creditflow verify --anchor {seq}:{head}" in page.replace("\\", "")
    html = page_html(notice_page(notices, "en"), lang="en")
    assert f"{seq}:{head}" in html


def test_the_notice_names_the_exact_pack(book: CreditBook) -> None:
    on = D(2026, 6, 1)
    policy = book.policy_on(on)
    notices = extract_notices(book, on)
    assert (notices.policy_key, notices.policy_digest) == (policy.key, policy.digest)
    zh = page_markdown(notice_page(notices, "zh"))
    en = page_markdown(notice_page(notices, "en"))
    assert f"- 规则包摘要（SHA-256）: {policy.digest}\n" in zh
    assert f"- Policy digest (SHA-256): {policy.digest}\n" in en
