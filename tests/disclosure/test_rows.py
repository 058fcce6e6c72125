"""Every rule a submitted row is checked by, named with its field and line."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from _decisions import FIRM, PERSON, licence, penalty

import creditflow
from creditflow.disclosure import check_row
from creditflow.policy.catalogue import Catalogue

POLICY = creditflow.load_policy("national-transport@2026.1")
CATALOGUE: Catalogue = POLICY.catalogue  # type: ignore[assignment]


def check(kind: str, row: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    checked, problems = check_row(
        CATALOGUE.kinds[kind], row, source="in.csv", line=7, units=frozenset(CATALOGUE.units),
        domains=frozenset(POLICY.domains),
    )  # fmt: skip
    assert all(p.source == "in.csv" and p.line == 7 for p in problems)
    return checked, {p.field: p.rule for p in problems}


def test_a_valid_row_passes_with_its_values_as_text() -> None:
    checked, problems = check("penalty", penalty(1, amount=5000))
    assert problems == {}
    assert checked.values["amount"] == "5000"
    assert checked.published_on.isoformat() == "2026-10-09"


def test_a_date_field_may_be_a_date_as_a_parquet_date_column_gives_it() -> None:
    row = penalty(1, decided_on=dt.date(2026, 9, 28), published_on=dt.date(2026, 9, 30))
    checked, problems = check("penalty", row)
    assert problems == {}
    assert checked.values["decided_on"] == "2026-09-28"
    assert checked.published_on == dt.date(2026, 9, 30)


def test_an_optional_field_may_be_left_out_and_a_person_may_be_the_party() -> None:
    row = penalty(1, party=PERSON, party_name="张三")
    del row["amount"]
    del row["published_on"]
    checked, problems = check("penalty", row)
    assert problems == {}
    assert "amount" not in checked.values and checked.published_on is None


@pytest.mark.parametrize(
    ("kind", "changes", "field", "rule"),
    [
        ("penalty", {"grounds": ""}, "grounds", "required"),
        ("penalty", {"grounds": "   "}, "grounds", "required"),
        ("penalty", {"grounds": None}, "grounds", "required"),
        ("penalty", {"grounds": ["x"]}, "grounds", "type.text"),
        ("penalty", {"grounds": True}, "grounds", "type.text"),
        ("penalty", {"document_number": {"n": 1}}, "document_number", "type.text"),
        ("penalty", {"amount": True}, "amount", "type.amount"),
        ("penalty", {"amount": [5000]}, "amount", "type.amount"),
        ("penalty", {"decided_on": dt.datetime(2026, 9, 28, 9)}, "decided_on", "type.date"),
        ("penalty", {"party": dt.date(2026, 9, 28)}, "party", "type.party"),
        ("penalty", {"published_on": dt.datetime(2026, 9, 30)}, "published_on", "type.date"),
        ("penalty", {"colour": "red"}, "colour", "unknown_field"),
        ("penalty", {"decided_on": "2026-9-28"}, "decided_on", "type.date"),
        ("penalty", {"decided_on": "2026-02-30"}, "decided_on", "type.date"),
        ("penalty", {"party": "91350100M000100Y44"}, "party", "type.party"),
        ("penalty", {"party": "110105194912310021"}, "party", "type.party"),
        ("penalty", {"category": "scolding"}, "category", "type.enum"),
        ("penalty", {"amount": "-1"}, "amount", "type.amount"),
        ("penalty", {"amount": "NaN"}, "amount", "type.amount"),
        ("penalty", {"amount": "5千"}, "amount", "type.amount"),
        ("penalty", {"unit": "nowhere"}, "unit", "type.unit"),
        ("penalty", {"domain": "aviation"}, "domain", "type.domain"),
        ("penalty", {"document_number": "资交罚2026-3"}, "document_number", "pattern"),
        ("penalty", {"document_number": "资交罚〔26〕3号"}, "document_number", "pattern"),
        ("penalty", {"title": "x" * 201}, "title", "max_length"),
        ("penalty", {"published_on": "2026-09-27"}, "published_on", "order"),
        ("penalty", {"published_on": "soon"}, "published_on", "type.date"),
        ("licensing", {"valid_until": "2026-09-01", "valid_from": ""}, "valid_until", "order"),
        (
            "licensing",
            {"valid_until": "2027-01-01", "valid_from": "2027-02-01"},
            "valid_until",
            "order",
        ),
        ("licensing", {"category": "special"}, "category", "type.enum"),
        ("licensing", {"item": ""}, "item", "required"),
    ],
)
def test_each_rule_names_the_field(
    kind: str, changes: dict[str, Any], field: str, rule: str
) -> None:
    row = (penalty if kind == "penalty" else licence)(1, **changes)
    checked, problems = check(kind, row)
    assert checked is None
    assert problems == {field: rule}


def test_every_problem_of_a_row_is_reported_at_once() -> None:
    _, problems = check("penalty", penalty(1, party="x", amount="?", unit="", domain="sea"))
    assert problems == {"party": "type.party", "amount": "type.amount", "unit": "required",
                        "domain": "type.domain"}  # fmt: skip


def test_a_problem_never_shows_a_persons_whole_id() -> None:
    bad = PERSON[:-1] + "5"  # a wrong check character: still a person's id
    _, problems = check_row(
        CATALOGUE.kinds["penalty"], penalty(1, party=bad), source="in.csv", line=2,
        units=frozenset(CATALOGUE.units), domains=frozenset(POLICY.domains),
    )  # fmt: skip
    assert problems and all(bad not in str(p) for p in problems)
    assert "110105********0025" in problems[0].message
    assert FIRM not in str(problems)


def test_a_date_after_the_day_of_the_check_is_in_the_future() -> None:
    import datetime as dt

    _, problems = check_row(
        CATALOGUE.kinds["penalty"], penalty(1), source="in.csv", line=2,
        units=frozenset(CATALOGUE.units), domains=frozenset(POLICY.domains),
        on=dt.date(2026, 9, 27),
    )  # fmt: skip
    assert {p.field: p.rule for p in problems} == {"decided_on": "future", "published_on": "future"}
