"""Arguments and event data of the wrong type are refused with InvalidInput, naming them, before
anything reads them: never a TypeError, a sqlite3 error or an OverflowError from inside."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from _people import ME, OFFICER, SUBJECT, published_listing, repair_application
from creditflow.book import CreditBook, MemoryStore, SqliteStore
from creditflow.errors import InvalidInput

D = dt.date
APPLIED_ON = D(2027, 6, 1)


def apply_for_repair(book: CreditBook, **change: Any) -> None:
    target = published_listing(book)
    promise = book.open_case(
        "commitment.repair", SUBJECT, on=APPLIED_ON, actor=ME, domain="road_transport",
        summary="信用修复承诺",
    )  # fmt: skip
    data = {
        "target": target,
        "materials": ["correction_proof", "commitment_letter"],
        "obligations_fulfilled": True,
        "commitment_case": promise.case_id,
    }
    book.open_case("repair", SUBJECT, on=APPLIED_ON, actor=ME, **(data | change))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"materials": -1}, "data materials=-1 must be a list of names"),
        ({"materials": "correction_proof"}, "data materials='correction_proof' must be a list"),
        ({"materials": [1]}, r"data materials=\[1\] must be a list of names"),
        ({"materials": ["correction_proof", ""]}, "must be a list of names"),
        ({"obligations_fulfilled": 1}, "data obligations_fulfilled=1 must be True or False"),
        ({"commitment_case": [1]}, r"data commitment_case=\[1\] must be a case id"),
    ],
)
def test_repair_data_of_the_wrong_kind_is_refused_at_apply(
    book: CreditBook, change: dict[str, Any], message: str
) -> None:
    before = len(list(book.events()))
    with pytest.raises(InvalidInput, match=message):
        apply_for_repair(book, **change)
    assert len(list(book.events())) == before + 6  # the listing and the promise only


def test_a_long_wrong_value_is_shortened_in_the_message(book: CreditBook) -> None:
    with pytest.raises(InvalidInput) as caught:
        apply_for_repair(book, materials="x" * 10_000)
    assert len(str(caught.value)) < 200


def test_materials_minus_one_no_longer_breaks_accept(book: CreditBook) -> None:
    """The reviewer's case: accepted at apply, then a TypeError at accept."""
    with pytest.raises(InvalidInput):
        apply_for_repair(book, materials=-1)
    target = next(c.case_id for c in book.cases(machine="listing"))
    repair = repair_application(book, target, APPLIED_ON)
    assert book.get(repair).state == "applied"


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"subject_id": (SUBJECT,)}, r"invalid subject id .*: must be a str, not tuple"),
        ({"subject_id": ""}, "invalid subject id .*: must be 18 characters long, got 0"),
        ({"machine": 1}, "machine must be a str or None, got 1"),
        ({"open_only": "yes"}, "open_only must be True or False, got 'yes'"),
    ],
)
def test_case_filters_of_the_wrong_type(
    book: CreditBook, filters: dict[str, Any], message: str
) -> None:
    published_listing(book)
    with pytest.raises(InvalidInput, match=message):
        list(book.cases(**filters))


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"after": 2**64}, f"after={2**64} must be an int in 0..{2**63 - 1}"),
        ({"after": 2**63}, f"after={2**63} must be an int in 0..{2**63 - 1}"),
        ({"after": -1}, "after=-1 must be an int in 0.."),
        ({"after": "1"}, "after='1' must be an int in 0.."),
        ({"after": 1.5}, "after=1.5 must be an int in 0.."),
        ({"after": True}, "after=True must be an int in 0.."),
        ({"case_id": ("listing-1",)}, r"case_id must be a str or None, got \('listing-1',\)"),
    ],
)
def test_event_filters_of_the_wrong_type(
    book: CreditBook, filters: dict[str, Any], message: str
) -> None:
    published_listing(book)
    with pytest.raises(InvalidInput, match=message):
        book.events(**filters)


def test_the_largest_after_is_accepted(book: CreditBook) -> None:
    published_listing(book)
    assert list(book.events(after=2**63 - 1)) == []


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_the_stores_check_their_filters_too(kind: str, tmp_path: Path) -> None:
    opened = MemoryStore() if kind == "memory" else SqliteStore.open(tmp_path / "book.sqlite")
    with pytest.raises(InvalidInput, match="after="):
        list(opened.events(after=2**64))
    with pytest.raises(InvalidInput, match="subject_id must be a str or None"):
        list(opened.cases(subject_id=("x",)))
    opened.close()


@pytest.mark.parametrize("version", ["1", -1, 1.0, True])
def test_expected_version_of_the_wrong_type(book: CreditBook, version: Any) -> None:
    listing = published_listing(book)
    with pytest.raises(InvalidInput, match="expected_version="):
        book.fire(listing, "expire", on=D(2027, 1, 1), actor=OFFICER, expected_version=version)


def test_every_data_field_of_every_machine_has_a_kind() -> None:
    from creditflow.workflows import MACHINES
    from creditflow.workflows.fields import FIELD_KINDS

    fields = {
        f for m in MACHINES.values() for t in m.transitions for f in (*t.required, *t.optional)
    }
    assert fields - FIELD_KINDS.keys() == {"domain", "decided_on"}  # checked by their guards
