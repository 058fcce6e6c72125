"""Public notices from a book: what is in publication on the date, persons masked."""

from __future__ import annotations

import datetime as dt

import pytest
from _docbook import FIRM, PERSON, PERSON_MASKED, D, sample_book

from creditflow.book.book import CreditBook
from creditflow.docs import extract_notices, notice_page, page_html, page_markdown
from creditflow.docs.html import STYLESHEET as FILTER_STYLES

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
    assert f"creditflow verify --db 账本文件 --anchor {seq}:{head}" in zh.replace("\\", "")
    assert f"creditflow verify --db BOOK --anchor {seq}:{head}" in en.replace("\\", "")
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


def _regulator_book() -> tuple[CreditBook, str, str]:
    """A firm and a person listed with names, a document number and an authority; the firm's
    listing then repaired."""
    from _docbook import OFFICER, OFFICIAL

    from creditflow.workflows import Actor

    book = CreditBook.memory(policy="national-transport")
    cases = {}
    for subject, name in ((FIRM, "福州华华运输有限公司"), (PERSON, "张三丰")):
        case = book.open_case(
            "listing.serious", subject, on=D(2026, 5, 6), actor=OFFICER,
            domain="road_transport", grounds="多次严重违法", basis="交政研发〔2018〕181号",
            subject_name=name,
        )  # fmt: skip
        book.fire(case.case_id, "notify", on=D(2026, 5, 6), actor=OFFICER)
        book.fire(
            case.case_id, "decide", on=D(2026, 5, 20), actor=OFFICIAL,
            measures=["key_supervision", "no_commit_and_approve"],
            removal_conditions="期满3年自动移出；满1年可申请信用修复",
            remedies="可在60日内申请行政复议或6个月内提起行政诉讼",
            document_number="闽交信决〔2026〕7号", authority="福州市交通运输局",
        )  # fmt: skip
        book.fire(case.case_id, "publish", on=D(2026, 5, 21), actor=OFFICER)
        cases[subject] = case.case_id
    me = Actor(FIRM, {"subject"})
    promise = book.open_case(
        "commitment.repair", FIRM, on=D(2027, 5, 20), actor=me, domain="road_transport",
        summary="信用修复承诺",
    )  # fmt: skip
    repair = book.open_case(
        "repair", FIRM, on=D(2027, 5, 20), actor=me, target=cases[FIRM],
        materials=["correction_proof", "commitment_letter"], obligations_fulfilled=True,
        commitment_case=promise.case_id,
    ).case_id  # fmt: skip
    book.fire(repair, "accept", on=D(2027, 5, 21), actor=OFFICER)
    book.fire(repair, "approve", on=D(2027, 5, 21), actor=OFFICIAL)
    return book, cases[FIRM], repair


def test_a_listing_notice_states_what_a_listing_decision_must_state() -> None:
    """国办发〔2020〕49号: grounds, basis, measures, removal conditions and procedure, remedies;
    the party by name (masked for a person) and code, the document and authority, the dates."""
    book, _, _ = _regulator_book()
    notices = extract_notices(book, D(2026, 6, 1))
    firm, person = sorted(notices.listings, key=lambda n: n.subject != FIRM)
    assert (firm.name, person.name, person.subject) == (
        "福州华华运输有限公司",
        "张**",
        PERSON_MASKED,
    )
    page = page_markdown(notice_page(notices, "zh"))
    for shown in ("福州华华运输有限公司（91350100M000100Y43）", "列入事由: 多次严重违法",
                  "依据: 交政研发〔2018〕181号", "惩戒措施: 重点监管", "不适用告知承诺",
                  "决定文书号: 闽交信决〔2026〕7号", "决定机关: 福州市交通运输局",
                  "决定日期: 2026-05-20", "公示日期: 2026-05-21", "公示截止日期: 2029-05-20",
                  "移出条件和程序: 期满3年自动移出；满1年可申请信用修复",
                  "救济途径: 可在60日内申请行政复议或6个月内提起行政诉讼"):  # fmt: skip
        assert shown in page, shown
    assert "张三丰" not in page and "张\\*\\*" in page and PERSON not in page


def test_a_repair_is_published_by_the_party_s_name_not_by_case_ids() -> None:
    book, listing, repair = _regulator_book()
    notices = extract_notices(book, D(2027, 5, 21))
    (done,) = notices.repairs
    assert (done.name, done.repaired.zh) == ("福州华华运输有限公司", "严重失信主体名单")
    for lang in ("zh", "en"):
        page = page_markdown(notice_page(notices, lang))
        assert "福州华华运输有限公司" in page.split("## ")[-1]
        assert listing not in page and repair not in page


def test_commitment_states_are_in_the_page_language(book: CreditBook) -> None:
    notices = extract_notices(book, D(2026, 6, 1))
    assert "状态: 已承诺" in page_markdown(notice_page(notices, "zh"))
    assert "State: made" in page_markdown(notice_page(notices, "en"))


def test_the_html_notice_page_has_search_and_filters_and_every_entry_without_script() -> None:
    book, _, _ = _regulator_book()
    html = page_html(notice_page(extract_notices(book, D(2026, 6, 1)), "zh"), lang="zh")
    form = html.split('<form class="filters"')[1].split("</form>")[0]
    assert " hidden>" in form and 'type="search"' in form  # shown by the script only
    assert '<select data-facet="kind"><option value="">全部</option>' in form
    assert '<option value="道路运输">道路运输</option>' in form and 'type="date"' in form
    assert html.count('<article class="entry" data-kind="严重失信主体名单"') == 2
    assert "<noscript>" in html and "<script>" in html and "src=" not in html
    assert "@media print" in FILTER_STYLES
