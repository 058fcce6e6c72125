"""Grades, scales, severities, labels and credit records."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import creditflow
from creditflow import CreditRecord, Severity
from creditflow.core.grades import to_fraction
from creditflow.errors import InvalidDate, InvalidInput, UnknownName


@pytest.fixture(scope="module")
def scale(policy: creditflow.Policy) -> creditflow.GradeScale:
    return policy.domains["highway_construction"].scale


@pytest.mark.parametrize(
    ("score", "grade"),
    [(100, "AA"), (95, "AA"), (94.99, "A"), (85, "A"), (Decimal("84.5"), "B"), (75, "B"),
     (Fraction(149, 2), "C"), (60, "C"), (59.999, "D"), (0, "D"), (-5, "D")],
)  # fmt: skip
def test_scores_map_to_grades_by_inclusive_cut_offs(
    scale: creditflow.GradeScale, score: object, grade: str
) -> None:
    assert scale.grade_for(score) == grade  # type: ignore[arg-type]


@functools.cache
def _road_scale() -> creditflow.GradeScale:
    return creditflow.load_policy("national-transport@2026.1").domains["road_transport"].scale


@given(st.integers(0, 100), st.integers(0, 100))
def test_a_higher_score_never_gets_a_worse_grade(a: int, b: int) -> None:
    scale = _road_scale()  # loaded once: a load inside an example can pass the deadline
    low, high = sorted((a, b))
    assert scale.rank(scale.grade_for(high)) <= scale.rank(scale.grade_for(low))


def test_ranks_and_order(scale: creditflow.GradeScale) -> None:
    assert scale.names == ("AA", "A", "B", "C", "D")
    assert [scale.rank(g) for g in scale.names] == [0, 1, 2, 3, 4]
    assert scale.is_worse("C", "B") and not scale.is_worse("B", "C")
    assert "AA" in scale and "E" not in scale and len(scale) == 5
    assert [] not in scale and None not in scale  # a damaged pack's value: no TypeError
    with pytest.raises(UnknownName, match="unknown grade 'E' in scale 'construction'; known: "):
        scale.rank("E")


@pytest.mark.parametrize("bad", [True, "95", float("nan"), float("inf"), None])
def test_scores_must_be_finite_numbers(scale: creditflow.GradeScale, bad: object) -> None:
    with pytest.raises(InvalidInput, match="score must be a"):
        scale.grade_for(bad)  # type: ignore[arg-type]


def test_floats_are_read_as_their_decimal_text() -> None:
    assert to_fraction(0.1, "x") == Fraction(1, 10)
    assert to_fraction(Decimal("92.50"), "x") == Fraction(185, 2)


def test_severities_are_ordered_and_parsed() -> None:
    assert Severity.MINOR < Severity.GENERAL < Severity.SERIOUS
    assert max(Severity) is Severity.SERIOUS
    assert Severity.parse("general") is Severity.GENERAL
    with pytest.raises(
        UnknownName, match="unknown severity 'grave'; known: general, minor, serious"
    ):
        Severity.parse("grave")


def test_credit_records_validate_their_fields() -> None:
    record = CreditRecord("r1", "91350100M000100Y43", "road_transport", "penalty", "serious",
                          dt.date(2026, 5, 1))  # fmt: skip
    assert record.severity is Severity.SERIOUS
    with pytest.raises(
        InvalidDate, match="decided_on must be a datetime.date, got a naive datetime"
    ):
        CreditRecord("r1", "s", "d", "penalty", "minor", dt.datetime(2026, 5, 1))
    with pytest.raises(InvalidInput, match="record_id must not be empty"):
        CreditRecord("", "s", "d", "penalty", "minor", dt.date(2026, 5, 1))


def test_labels_give_each_language() -> None:
    label = creditflow.Label("道路运输", "Road transport")
    assert label.get("zh") == "道路运输" and label.get("en") == "Road transport"
    with pytest.raises(InvalidInput, match="lang must be 'zh' or 'en', got 'de'"):
        label.get("de")  # type: ignore[arg-type]


def test_a_scale_with_a_declared_range_refuses_scores_outside_it(
    scale: creditflow.GradeScale,
) -> None:
    import attrs

    bounded = attrs.evolve(scale, score_range=(Fraction(0), Fraction(100)))
    assert bounded.grade_for(100) == "AA" and bounded.grade_for(0) == "D"
    for bad in (-5, 100.5, 101):
        with pytest.raises(
            InvalidInput, match=r"score .* is outside the range 0 to 100 of scale 'construction'"
        ):
            bounded.grade_for(bad)
    assert scale.grade_for(-5) == "D"  # no range declared: every score has a grade
