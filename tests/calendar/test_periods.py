"""Period values and their text form ("3 months", "5 workdays")."""

from __future__ import annotations

import operator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditflow.calendar.periods import Period, PeriodUnit
from creditflow.errors import InvalidInput, InvalidPeriod

periods = st.builds(Period, st.integers(min_value=0, max_value=10**6), st.sampled_from(PeriodUnit))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 months", Period.months(3)),
        ("1 month", Period.months(1)),
        ("1 year", Period.years(1)),
        ("2 years", Period.years(2)),
        ("5 workdays", Period.workdays(5)),
        ("1 workday", Period.workdays(1)),
        ("5 working days", Period.workdays(5)),
        ("1 working day", Period.workdays(1)),
        ("10 days", Period.days(10)),
        ("1 day", Period.days(1)),
        ("2 weeks", Period.weeks(2)),
        ("0 days", Period.days(0)),
        ("1 days", Period.days(1)),
    ],
)
def test_parse_reads_the_documented_forms(text: str, expected: Period) -> None:
    assert Period.parse(text) == expected


@pytest.mark.parametrize(
    ("period", "text"),
    [
        (Period.years(1), "1 year"),
        (Period.months(3), "3 months"),
        (Period.workdays(5), "5 workdays"),
        (Period.workdays(1), "1 workday"),
        (Period.days(0), "0 days"),
        (Period.weeks(2), "2 weeks"),
    ],
)
def test_str_is_the_canonical_text(period: Period, text: str) -> None:
    assert str(period) == text


@given(periods)
def test_parse_reads_back_what_str_writes(period: Period) -> None:
    assert Period.parse(str(period)) == period


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-3 months", "amount '-3' is not a non-negative whole number"),
        ("3.5 days", "amount '3.5' is not a non-negative whole number"),
        ("three days", "amount 'three' is not a non-negative whole number"),
        ("\u0663 days", "is not a non-negative whole number"),
        ("3 fortnights", "unknown unit 'fortnights'; expected one of day, days, month"),
        ("3 Months", "write the unit in lower case: 'months'"),
        ("3  months", "expected '<amount> <unit>' with one space"),
        (" 3 months", "expected '<amount> <unit>' with one space"),
        ("3 months ", "expected '<amount> <unit>' with one space"),
        ("3months", "expected '<amount> <unit>' with one space"),
        ("", "expected '<amount> <unit>' with one space"),
        ("5 working  days", "expected '<amount> <unit>' with one space"),
    ],
)
def test_parse_refuses_other_text_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidPeriod, match="invalid period") as info:
        Period.parse(text)
    assert reason in info.value.reason
    assert info.value.text == text
    assert str(info.value) == f"invalid period {text!r}: {info.value.reason}"


@pytest.mark.parametrize("value", [3, None, b"3 months", Period.months(3)])
def test_parse_refuses_what_is_not_a_str(value: object) -> None:
    with pytest.raises(InvalidPeriod, match="must be a str, not "):
        Period.parse(value)


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(InvalidPeriod, match=r"amount=-1 must not be negative"):
        Period.months(-1)


@pytest.mark.parametrize("amount", [True, 1.0, "3"])
def test_amount_must_be_an_int(amount: object) -> None:
    with pytest.raises(InvalidPeriod, match="amount must be an int"):
        Period(amount, PeriodUnit.DAYS)  # type: ignore[arg-type]


def test_unit_may_be_given_by_name_and_is_checked() -> None:
    assert Period(3, "months") == Period.months(3)
    with pytest.raises(InvalidPeriod, match="unknown unit 'hours'"):
        Period(3, "hours")


def test_invalid_period_is_an_invalid_input_and_a_value_error() -> None:
    with pytest.raises(InvalidInput):
        Period.parse("x")
    with pytest.raises(ValueError, match="invalid period"):
        Period.parse("x")


def test_is_calendar_is_false_only_for_workdays() -> None:
    assert not Period.workdays(5).is_calendar
    assert all(Period(1, unit).is_calendar for unit in PeriodUnit if unit != PeriodUnit.WORKDAYS)


def test_periods_are_values_but_not_ordered() -> None:
    assert Period.months(3) == Period.parse("3 months")
    assert hash(Period.months(3)) == hash(Period.parse("3 months"))
    assert Period.months(1) != Period.days(30)
    with pytest.raises(TypeError):
        operator.lt(Period.months(1), Period.days(31))


def test_periods_are_frozen() -> None:
    period = Period.months(3)
    with pytest.raises(AttributeError):
        period.amount = 4  # type: ignore[misc]
