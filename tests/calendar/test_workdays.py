"""Working days (工作日) of the China calendar and deadlines counted in them."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from concurrent.futures import ThreadPoolExecutor

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditflow.calendar.periods import Period
from creditflow.calendar.workdays import CalendarDate, WorkdayCalendar, WorkdayCount
from creditflow.errors import CalendarUnknown, InvalidDate, InvalidInput

D = dt.date
CHINA = WorkdayCalendar.china()
FIRST, LAST = CHINA.known_years

# The State Council's arrangement for 2026 (国办发明电〔2025〕7号), read by hand:
# the days off (放假) and the weekend days worked instead (调休上班).
DAYS_OFF_2026 = [
    (D(2026, 1, 1), D(2026, 1, 3)),  # New Year
    (D(2026, 2, 15), D(2026, 2, 23)),  # Spring Festival
    (D(2026, 4, 4), D(2026, 4, 6)),  # Qingming
    (D(2026, 5, 1), D(2026, 5, 5)),  # Labour Day
    (D(2026, 6, 19), D(2026, 6, 21)),  # Dragon Boat
    (D(2026, 9, 25), D(2026, 9, 27)),  # Mid-Autumn
    (D(2026, 10, 1), D(2026, 10, 7)),  # National Day
]
MAKE_UP_2026 = {
    D(2026, 1, 4),
    D(2026, 2, 14),
    D(2026, 2, 28),
    D(2026, 5, 9),
    D(2026, 9, 20),
    D(2026, 10, 10),
}

published_days = st.dates(D(FIRST, 1, 1), D(LAST, 12, 31))
# Far enough from the edges that a count of up to 300 working days stays in published years.
inner_days = st.dates(D(FIRST + 2, 1, 1), D(LAST - 2, 12, 31))
counts = st.integers(min_value=-300, max_value=300)
unpublished_days = st.dates(D(LAST + 1, 1, 1), D(LAST + 5, 12, 31))


@functools.cache
def _package_year(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("CN", years=(year, year + 1))


def _package_says_workday(day: dt.date) -> bool:
    """The holidays package's own answer, independent of WorkdayCalendar."""
    return bool(_package_year(day.year).is_working_day(day))


def _naive_add(cal: WorkdayCalendar, day: dt.date, n: int) -> dt.date:
    step = dt.timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while left:
        day += step
        left -= cal.is_workday(day)
    return day


# --- the published years -------------------------------------------------------------------


def test_known_years_come_from_the_installed_package() -> None:
    special = holidays.country_holidays("CN").special_public_holidays
    assert CHINA.known_years == (min(special), max(special))
    assert FIRST == 2001
    assert LAST >= 2026
    assert CHINA.is_published(2026)
    assert not CHINA.is_published(LAST + 1)
    assert not CHINA.is_published(2000)


def test_china_calendars_are_shared() -> None:
    assert WorkdayCalendar.china() is CHINA
    assert WorkdayCalendar.china(published_through=2030) is WorkdayCalendar.china(
        published_through=2030
    )


def test_published_through_replaces_the_last_year() -> None:
    newer = WorkdayCalendar.china(published_through=LAST + 1)
    assert newer.known_years == (FIRST, LAST + 1)
    assert newer.is_workday(D(LAST + 1, 1, 1)) is False  # New Year, no flag needed
    stricter = WorkdayCalendar.china(published_through=2025)
    with pytest.raises(CalendarUnknown, match="schedule for 2026 is not known"):
        stricter.is_workday(D(2026, 2, 14))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1999, "Cannot have published_through=1999 before the first published year 2001"),
        (True, "published_through must be an int, got True that is a bool"),
        ("2027", "published_through must be an int, got '2027' that is a str"),
    ],
)
def test_published_through_is_checked(value: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        WorkdayCalendar.china(published_through=value)  # type: ignore[arg-type]


# --- 2026, checked by hand against the State Council arrangement ---------------------------


def test_2026_matches_the_state_council_arrangement_day_by_day() -> None:
    day = D(2026, 1, 1)
    while day.year == 2026:
        off = any(start <= day <= end for start, end in DAYS_OFF_2026)
        expected = day in MAKE_UP_2026 or (day.weekday() < 5 and not off)
        assert CHINA.is_workday(day) is expected, day
        day += dt.timedelta(days=1)


def test_2026_facts() -> None:
    assert CHINA.is_workday(D(2026, 2, 14))  # Saturday, make-up day for the Spring Festival
    assert CHINA.is_workday(D(2026, 9, 20))  # Sunday, make-up day for National Day
    assert CHINA.is_workday(D(2026, 10, 10))  # Saturday, make-up day for National Day
    assert not any(CHINA.is_workday(D(2026, 10, day)) for day in range(1, 8))
    assert not CHINA.is_workday(D(2026, 2, 21))  # an ordinary Saturday inside the holiday
    assert CHINA.workdays_between(D(2025, 12, 31), D(2026, 12, 31)) == WorkdayCount(248, False)


@pytest.mark.parametrize(
    ("start", "n", "end"),
    [
        (D(2026, 3, 6), 1, D(2026, 3, 9)),  # Friday + 1: the start day is not counted
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Friday + 1: the make-up Saturday
        (D(2026, 2, 13), 2, D(2026, 2, 24)),  # across the Spring Festival
        (D(2026, 2, 12), 5, D(2026, 2, 26)),
        (D(2026, 2, 24), -1, D(2026, 2, 14)),
        (D(2026, 2, 24), -2, D(2026, 2, 13)),
        (D(2026, 9, 18), 1, D(2026, 9, 20)),  # Friday + 1: the make-up Sunday
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # across National Day
        (D(2026, 9, 29), 5, D(2026, 10, 12)),  # Sep 30, Oct 8, 9, 10 (Saturday), 12
        (D(2026, 10, 8), -1, D(2026, 9, 30)),
        (D(2026, 10, 3), 0, D(2026, 10, 3)),  # 0 returns the day, holiday or not
        (D(2025, 12, 31), 1, D(2026, 1, 4)),  # across the year, onto the make-up Sunday
        (D(2026, 1, 4), -1, D(2025, 12, 31)),
    ],
)
def test_add_workdays_2026(start: dt.date, n: int, end: dt.date) -> None:
    assert CHINA.add_workdays(start, n) == CalendarDate(end, False)
    if n:
        assert CHINA.workdays_between(start, end) == WorkdayCount(n, False)


# --- properties against the holidays package and a naive count -----------------------------


@settings(deadline=None)
@given(published_days)
def test_is_workday_agrees_with_the_holidays_package(day: dt.date) -> None:
    assert CHINA.is_workday(day) is _package_says_workday(day)


@settings(deadline=None)
@given(inner_days, counts)
def test_workdays_between_counts_back_what_add_workdays_added(day: dt.date, n: int) -> None:
    end = CHINA.add_workdays(day, n)
    assert not end.provisional
    assert CHINA.workdays_between(day, end.date) == WorkdayCount(n, False)


@given(inner_days, counts.filter(bool))
def test_add_workdays_lands_on_a_workday(day: dt.date, n: int) -> None:
    assert CHINA.is_workday(CHINA.add_workdays(day, n).date)


@given(inner_days, counts, counts)
def test_add_workdays_is_monotonic(day: dt.date, n: int, m: int) -> None:
    low, high = sorted((n, m))
    first, second = CHINA.add_workdays(day, low).date, CHINA.add_workdays(day, high).date
    assert first < second if low < high else first == second


@given(inner_days, st.integers(min_value=-40, max_value=40))
def test_add_workdays_matches_stepping_day_by_day(day: dt.date, n: int) -> None:
    assert CHINA.add_workdays(day, n).date == _naive_add(CHINA, day, n)


@given(inner_days, st.integers(min_value=-60, max_value=60))
def test_workdays_between_matches_a_naive_count(day: dt.date, offset: int) -> None:
    other = day + dt.timedelta(days=offset)
    low, high = sorted((day, other))
    days = [low + dt.timedelta(days=i) for i in range((high - low).days + 1)]
    inside = days[1:] if other >= day else days[:-1]  # (a, b] forwards, [b, a) backwards
    expected = sum(CHINA.is_workday(d) for d in inside)
    assert CHINA.workdays_between(day, other).count == (expected if other >= day else -expected)


# --- unpublished years ---------------------------------------------------------------------


@given(unpublished_days)
def test_an_unpublished_year_is_refused_with_the_year_named(day: dt.date) -> None:
    with pytest.raises(CalendarUnknown) as info:
        CHINA.is_workday(day)
    message = str(info.value)
    assert f"the holiday schedule for {day.year} is not known (known: {FIRST}-{LAST})" in message
    assert "pass provisional=True" in message
    assert info.value.day == day
    assert info.value.known_years == (FIRST, LAST)


def test_calendar_unknown_is_a_lookup_error_and_names_the_first_day_needed() -> None:
    with pytest.raises(LookupError, match=rf"needed for {LAST + 1}-01-01;"):
        CHINA.add_workdays(D(LAST, 12, 31), 1)
    with pytest.raises(CalendarUnknown, match="schedule for 2000 is not known"):
        CHINA.add_workdays(D(2001, 1, 1), -1)
    with pytest.raises(CalendarUnknown):
        CHINA.workdays_between(D(LAST, 12, 1), D(LAST + 1, 1, 5))


@settings(deadline=None)
@given(unpublished_days, st.integers(min_value=-30, max_value=30).filter(bool))
def test_provisional_results_say_so(day: dt.date, n: int) -> None:
    end = CHINA.add_workdays(day, n, provisional=True)
    # The start day is not examined: counting back from 1 January of an unpublished year can
    # land in the last published year without touching the unpublished one.
    first = day + dt.timedelta(days=1 if n > 0 else -1)
    years = range(min(first, end.date).year, max(first, end.date).year + 1)
    assert end.provisional == any(not CHINA.is_published(y) for y in years)
    assert CHINA.is_workday(end.date, provisional=True)
    count = CHINA.workdays_between(day, end.date, provisional=True)
    assert count.count == n


def test_provisional_across_the_last_published_year() -> None:
    end = CHINA.add_workdays(D(LAST, 12, 31), 1, provisional=True)
    assert end.provisional
    assert end.date.year == LAST + 1
    inside = CHINA.add_workdays(D(LAST, 12, 1), 1, provisional=True)
    assert not inside.provisional  # only published days were examined


def test_zero_workdays_needs_no_calendar() -> None:
    assert CHINA.add_workdays(D(LAST + 1, 5, 1), 0) == CalendarDate(D(LAST + 1, 5, 1), False)
    assert CHINA.workdays_between(D(LAST + 1, 5, 1), D(LAST + 1, 5, 1)) == WorkdayCount(0, False)


# --- periods (Civil Code Arts. 201-203) ----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "period", "end"),
    [
        (D(2026, 1, 31), Period.months(1), D(2026, 2, 28)),
        (D(2028, 1, 31), Period.months(1), D(2028, 2, 29)),  # unpublished, but needs no calendar
        (D(2028, 2, 29), Period.years(1), D(2029, 2, 28)),
        (D(2024, 2, 29), Period.years(1), D(2025, 2, 28)),
        (D(2026, 3, 31), Period.months(6), D(2026, 9, 30)),
        (D(2026, 9, 24), Period.days(7), D(2026, 10, 1)),
        (D(2026, 9, 17), Period.weeks(2), D(2026, 10, 1)),
        (D(2026, 9, 29), Period.workdays(5), D(2026, 10, 12)),
    ],
)
def test_add_period(start: dt.date, period: Period, end: dt.date) -> None:
    assert CHINA.add_period(start, period) == CalendarDate(end, False)


@pytest.mark.parametrize(
    ("start", "period", "end"),
    [
        (D(2026, 1, 31), Period.months(1), D(2026, 2, 28)),  # Saturday, but a make-up day
        (D(2026, 9, 5), Period.months(1), D(2026, 10, 8)),  # Oct 5 is in National Day
        (D(2026, 9, 24), Period.days(7), D(2026, 10, 8)),
        (D(2026, 2, 7), Period.weeks(1), D(2026, 2, 14)),  # a make-up Saturday stays
        (D(2026, 2, 9), Period.weeks(1), D(2026, 2, 24)),  # Feb 16 is New Year's Eve
        (D(2026, 10, 3), Period.workdays(0), D(2026, 10, 8)),
    ],
)
def test_add_period_rolls_forward_to_a_workday(
    start: dt.date, period: Period, end: dt.date
) -> None:
    assert CHINA.add_period(start, period, roll_forward=True) == CalendarDate(end, False)


def test_roll_forward_in_an_unpublished_year_needs_provisional() -> None:
    through_2026 = WorkdayCalendar.china(published_through=2026)
    with pytest.raises(CalendarUnknown, match="schedule for 2028 is not known"):
        through_2026.add_period(D(2028, 1, 31), Period.months(1), roll_forward=True)
    end = through_2026.add_period(
        D(2028, 1, 31), Period.months(1), roll_forward=True, provisional=True
    )
    assert end == CalendarDate(D(2028, 2, 29), True)  # a Tuesday, but only a guess


def test_roll_forward_with_a_local_calendar() -> None:
    local = WorkdayCalendar.from_days(
        holidays=[D(2028, 2, 29)], make_up_days=[D(2028, 3, 4)], known_years=(2028, 2028)
    )
    end = local.add_period(D(2028, 1, 31), Period.months(1), roll_forward=True)
    assert end == CalendarDate(D(2028, 3, 1), False)
    assert local.add_workdays(D(2028, 3, 3), 1) == CalendarDate(D(2028, 3, 4), False)


@given(st.dates(D(1900, 1, 1), D(2200, 12, 31)), st.integers(min_value=0, max_value=240))
def test_months_end_on_the_corresponding_day_or_the_last_day(day: dt.date, months: int) -> None:
    end = CHINA.add_period(day, Period.months(months))
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    assert end == CalendarDate(D(year, month + 1, min(day.day, last)), False)


# --- arguments -----------------------------------------------------------------------------

NAIVE = dt.datetime(2026, 2, 14, 9, 30)
AWARE = dt.datetime(2026, 2, 14, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
CALLS = {
    "is_workday": lambda v: CHINA.is_workday(v),
    "add_workdays": lambda v: CHINA.add_workdays(v, 1),
    "add_period": lambda v: CHINA.add_period(v, Period.months(1)),
    "workdays_between": lambda v: CHINA.workdays_between(v, D(2026, 3, 1)),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_a_naive_datetime_is_refused(call: object) -> None:
    with pytest.raises(InvalidDate) as info:
        call(NAIVE)  # type: ignore[operator]
    assert "must be a datetime.date, got a" in str(info.value)
    assert str(info.value).endswith(
        " naive datetime datetime.datetime(2026, 2, 14, 9, 30): a naive datetime has no "
        "time zone; pass value.date() if it is Beijing time"
    )


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_an_aware_datetime_is_refused(call: object) -> None:
    with pytest.raises(TypeError, match=r"must be a datetime\.date, got an aware datetime") as info:
        call(AWARE)  # type: ignore[operator]
    assert "value.astimezone(ZoneInfo('Asia/Shanghai')).date()" in str(info.value)


def test_the_argument_at_fault_is_named() -> None:
    with pytest.raises(InvalidDate, match=r"^b must be a datetime\.date") as info:
        CHINA.workdays_between(D(2026, 1, 1), NAIVE)
    assert info.value.name == "b"
    with pytest.raises(InvalidDate, match=r"^d must be a datetime\.date, got '2026-02-14' that is"):
        CHINA.is_workday("2026-02-14")  # type: ignore[arg-type]


@pytest.mark.parametrize("n", [1.0, True, "1", None])
def test_n_must_be_an_int(n: object) -> None:
    with pytest.raises(InvalidInput, match=r"^n must be an int, got "):
        CHINA.add_workdays(D(2026, 1, 5), n)  # type: ignore[arg-type]


def test_period_must_be_a_period() -> None:
    with pytest.raises(
        InvalidInput, match=r"period must be a Period, got '3 months' that is a str"
    ):
        CHINA.add_period(D(2026, 1, 5), "3 months")  # type: ignore[arg-type]


def test_the_range_of_dates_is_respected() -> None:
    with pytest.raises(InvalidInput, match=r"runs past the range of datetime\.date"):
        CHINA.add_period(D(9999, 12, 1), Period.months(1))
    local = WorkdayCalendar.from_days(holidays=[], make_up_days=[], known_years=(9999, 9999))
    with pytest.raises(InvalidInput, match=r"run past the range of datetime\.date"):
        local.add_workdays(D(9999, 12, 31), 1)


# --- local calendars -----------------------------------------------------------------------


def test_from_days_uses_the_given_days() -> None:
    local = WorkdayCalendar.from_days(
        holidays=[D(2030, 1, 1)], make_up_days=[D(2030, 1, 5)], known_years=(2030, 2030)
    )
    assert local.known_years == (2030, 2030)
    assert not local.is_workday(D(2030, 1, 1))
    assert local.is_workday(D(2030, 1, 5))
    assert not local.is_workday(D(2030, 1, 6))
    assert local.add_workdays(D(2029, 12, 31), 1) == CalendarDate(D(2030, 1, 2), False)
    with pytest.raises(CalendarUnknown, match="known: 2030-2030"):
        local.is_workday(D(2031, 1, 1))
    assert local.is_workday(D(2031, 1, 1), provisional=True)  # weekends alone: a guess


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"make_up_days": [D(2030, 1, 7)]}, "make-up day 2030-01-07 is not a Saturday or Sunday"),
        (
            {"holidays": [D(2030, 1, 5)], "make_up_days": [D(2030, 1, 5)]},
            "2030-01-05 cannot be both a holiday and a make-up day",
        ),
        ({"holidays": [NAIVE]}, r"holidays\[0\] must be a datetime.date"),
        ({"known_years": (2031, 2030)}, r"Cannot have known_years=\(2031, 2030\) with 2030 < 2031"),
        ({"known_years": [2030, 2030]}, "known_years must be a"),
    ],
)
def test_from_days_checks_its_arguments(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "holidays": [],
        "make_up_days": [],
        "known_years": (2030, 2030),
        **kwargs,
    }
    with pytest.raises(InvalidInput, match=message):
        WorkdayCalendar.from_days(**arguments)  # type: ignore[arg-type]


def test_a_calendar_is_frozen_and_safe_to_share_between_threads() -> None:
    local = WorkdayCalendar.from_days(holidays=[], make_up_days=[], known_years=(2000, 2101))
    with pytest.raises(AttributeError):
        local.known_years = (2000, 2300)  # type: ignore[misc]
    starts = [D(2000 + i % 100, 1 + i % 12, 1) for i in range(400)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda d: local.add_workdays(d, 300).date, starts))
    assert results == [_naive_add(local, d, 300) for d in starts]


def test_prepare_builds_the_tables_and_changes_no_result() -> None:
    calendar = WorkdayCalendar.from_days(
        holidays=[dt.date(2026, 10, 1)], make_up_days=[], known_years=(2026, 2026)
    )
    calendar.prepare(2025, 2027)
    assert {2025, 2026, 2027} <= set(calendar._tables)
    assert not calendar.is_workday(dt.date(2026, 10, 1))
    with pytest.raises(InvalidInput, match="first=2027, last=2025"):
        calendar.prepare(2027, 2025)
    with pytest.raises(InvalidInput, match="at most 200"):
        calendar.prepare(1, 9999)
