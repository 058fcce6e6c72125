"""The 双公示 feed: what is published on a date, Order 36 windows, persons masked, text escaped."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from _decisions import (
    LICENCE_COLUMNS,
    PENALTY_COLUMNS,
    PERSON,
    licence,
    penalty,
    write_csv,
)

from _people import ME, OFFICER, OFFICIAL, SUBJECT
from creditflow.book import CreditBook
from creditflow.disclosure import ingest
from creditflow.disclosure.feed import dual_publication_feed
from creditflow.docs.disclosure_pages import feed_page, render

HOSTILE = "<img src=x onerror=alert(1)> **bold** | cell"


def numbers(book: CreditBook, on: str) -> list[str]:
    feed = dual_publication_feed(book, on=dt.date.fromisoformat(on))
    return [{n: v for n, _, v in e.fields}["document_number"] for e in feed.entries]


def test_a_decision_is_in_the_feed_from_its_publication_until_its_window_ends(
    tmp_path: Path,
) -> None:
    rows = [
        penalty(1, decided_on="2026-05-06", published_on="2026-05-08"),  # general: 1 year
        penalty(2, decided_on="2026-05-06", published_on="", amount="200000"),  # not yet
        penalty(3, decided_on="2026-05-06", category="warning", amount=""),  # minor: never
    ]
    with CreditBook.memory(policy="national-transport") as book:
        ingest(book, write_csv(tmp_path / "p.csv", rows, PENALTY_COLUMNS), kind="penalty")
        assert numbers(book, "2026-05-07") == []
        assert numbers(book, "2026-05-08") == ["资交罚〔2026〕1号"]
        assert numbers(book, "2027-05-06") == ["资交罚〔2026〕1号"]  # the last day of the year
        assert numbers(book, "2027-05-07") == []
        entry = dual_publication_feed(book, on=dt.date(2026, 6, 1)).entries[0]
        assert (entry.severity, entry.published_until) == ("general", dt.date(2027, 5, 6))


def test_a_penalty_leaves_the_feed_when_its_repair_is_approved(tmp_path: Path) -> None:
    rows = [penalty(1, party=SUBJECT, decided_on="2026-05-06", published_on="2026-05-08")]
    with CreditBook.memory(policy="national-transport") as book:
        ingest(book, write_csv(tmp_path / "p.csv", rows, PENALTY_COLUMNS), kind="penalty")
        [record] = book.cases(machine="record")
        on = dt.date(2026, 9, 1)  # after the 3-month minimum of a general record
        promise = book.open_case("commitment.repair", SUBJECT, on=on, actor=ME,
                                 domain="road_transport", summary="承诺").case_id  # fmt: skip
        materials = list(book.policy_on(on).repair.materials.value)
        repair = book.open_case("repair", SUBJECT, on=on, actor=ME, target=record.case_id,
                                materials=materials, obligations_fulfilled=True,
                                commitment_case=promise).case_id  # fmt: skip
        book.fire(repair, "accept", on=on, actor=OFFICER)
        book.fire(repair, "approve", on=dt.date(2026, 9, 3), actor=OFFICIAL)
        assert book.get(record.case_id).state == "ended"
        assert numbers(book, "2026-09-03") == ["资交罚〔2026〕1号"]  # ended that day
        assert numbers(book, "2026-09-04") == []


def test_a_licence_is_listed_while_in_force(tmp_path: Path) -> None:
    rows = [
        licence(1, decided_on="2026-05-06", valid_from="", valid_until="2026-12-31",
                published_on="2026-05-07"),
        licence(2, decided_on="2026-05-06", published_on="2026-05-07"),
    ]  # fmt: skip
    with CreditBook.memory(policy="national-transport") as book:
        ingest(book, write_csv(tmp_path / "l.csv", rows, LICENCE_COLUMNS), kind="licensing")
        second = next(c for c in book.cases() if c.data["document_number"].endswith("2号"))
        book.fire(second.case_id, "revoke", on=dt.date(2026, 8, 3), actor=OFFICIAL,
                  summary="违诺撤销")  # fmt: skip
        assert numbers(book, "2026-08-03") == ["资交许〔2026〕1号", "资交许〔2026〕2号"]
        assert numbers(book, "2026-08-04") == ["资交许〔2026〕1号"]
        assert numbers(book, "2027-01-01") == []


def test_a_licence_amended_to_a_later_validity_stays_listed_with_it(tmp_path: Path) -> None:
    """The feed reads the validity the last amend left, not the decision first ingested."""
    rows = [licence(1, decided_on="2026-05-06", valid_until="2026-12-31",
                    published_on="2026-05-07")]  # fmt: skip
    with CreditBook.memory(policy="national-transport") as book:
        ingest(book, write_csv(tmp_path / "l.csv", rows, LICENCE_COLUMNS), kind="licensing")
        [case] = book.cases(machine="licence")
        assert numbers(book, "2027-01-10") == []
        book.fire(case.case_id, "amend", on=dt.date(2026, 12, 1), actor=OFFICER,
                  summary="延续有效期", valid_until="2027-06-30")  # fmt: skip
        assert numbers(book, "2027-01-10") == ["资交许〔2026〕1号"]
        assert numbers(book, "2027-07-01") == []
        [entry] = dual_publication_feed(book, on=dt.date(2027, 1, 10)).entries
        assert {n: v for n, _, v in entry.fields}["valid_until"] == "2027-06-30"


def test_persons_are_masked_and_text_escaped_in_every_form(tmp_path: Path) -> None:
    rows = [
        penalty(1, party=PERSON, party_name="张三丰", grounds=HOSTILE,
                result=f"对{PERSON}罚款", decided_on="2026-05-06", published_on="2026-05-08"),
    ]  # fmt: skip
    with CreditBook.memory(policy="national-transport") as book:
        ingest(book, write_csv(tmp_path / "p.csv", rows, PENALTY_COLUMNS), kind="penalty")
        feed = dual_publication_feed(book, on=dt.date(2026, 6, 1))
        anchor = str(book.anchor())
    fields = {n: v for n, _, v in feed.entries[0].fields}
    assert fields["party"] == "110105********002X"
    assert fields["party_name"] == "张**"
    assert "unit" not in fields and "domain" not in fields  # not published
    lines = feed.to_jsonl().splitlines()
    assert json.loads(lines[0])["anchor"] == anchor
    assert json.loads(lines[0])["grounds"] == HOSTILE
    pages = [render(feed_page(feed, lang), form, lang) for form in ("md", "html")
             for lang in ("zh", "en")]  # fmt: skip
    for text in (feed.to_jsonl(), *pages):
        assert PERSON not in text and "张三丰" not in text
        assert anchor in text
        assert "<img" not in text or text == feed.to_jsonl()  # JSON keeps text as data
    markdown = render(feed_page(feed, "zh"), "md", "zh")
    assert "&lt;img src=x onerror=alert(1)&gt; \\*\\*bold\\*\\* \\| cell" in markdown
    html = render(feed_page(feed, "en"), "html", "en")
    assert "&lt;img src=x onerror=alert(1)&gt; **bold** | cell" in html


def test_a_persons_name_is_masked_inside_the_other_published_fields(tmp_path: Path) -> None:
    rows = [
        penalty(1, party=PERSON, party_name="张三丰", grounds="张三丰驾驶车辆超限运输",
                result="对张三丰罚款200元", decided_on="2026-05-06", published_on="2026-05-08"),
        penalty(2, party_name="三丰运输有限公司", grounds="三丰运输有限公司超限运输",
                decided_on="2026-05-06", published_on="2026-05-08"),
    ]  # fmt: skip
    with CreditBook.memory(policy="national-transport") as book:
        ingest(book, write_csv(tmp_path / "p.csv", rows, PENALTY_COLUMNS), kind="penalty")
        feed = dual_publication_feed(book, on=dt.date(2026, 6, 1))
    person, firm = ({n: v for n, _, v in e.fields} for e in feed.entries)
    assert (person["grounds"], person["result"]) == ("张**驾驶车辆超限运输", "对张**罚款200元")
    assert "张三丰" not in feed.to_jsonl()
    assert firm["grounds"] == "三丰运输有限公司超限运输"  # an organisation's name is public
