"""Working days (工作日) of the Chinese calendar, and deadlines counted in them.

A working day is a Monday to Friday that is not a statutory holiday, or a weekend day that the
State Council's yearly arrangement (放假安排) turns into a make-up working day (调休). The
schedule is published year by year; a day in a year not yet published is answered only on
request (``provisional=True``) and the answer says so. See ``docs/calendar.md``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
from collections.abc import Callable, Iterable

import attrs
from dateutil.relativedelta import relativedelta

from creditflow._repr import a_type, shown
from creditflow._validation import ensure_date, ensure_int
from creditflow.calendar.periods import Period, PeriodUnit
from creditflow.errors import CalendarUnknown, InvalidInput

__all__ = ["CalendarDate", "WorkdayCalendar", "WorkdayCount"]

# A year's days off on weekdays and weekend days, and its weekend make-up working days.
_YearDays = tuple[frozenset[dt.date], frozenset[dt.date]]
_SATURDAY = 5


@attrs.frozen
class CalendarDate:
    """A date computed from the calendar; ``provisional`` when a year it needed is unpublished.

    A provisional date rests on the holidays package's guess for that year (weekends and the
    fixed statutory holidays, no make-up days) and may move once the State Council publishes.
    """

    date: dt.date
    provisional: bool


@attrs.frozen
class WorkdayCount:
    """A number of working days; ``provisional`` when a year it needed is unpublished."""

    count: int
    provisional: bool


@attrs.frozen(slots=True)
class _YearTable:
    """One year's working days as running totals: ``totals[k]`` = working days among days < k."""

    first: int  # ordinal of 1 January
    totals: tuple[int, ...]
    published: bool

    @property
    def size(self) -> int:
        """Number of days in the year."""
        return len(self.totals) - 1


def _year_table(year: int, days: _YearDays, published: bool) -> _YearTable:
    """Build the running totals of working days of ``year`` from its days off and make-up days."""
    off, make_up = days
    first = dt.date(year, 1, 1).toordinal()
    size = dt.date(year, 12, 31).toordinal() - first + 1
    flags = []
    for ordinal in range(first, first + size):
        day = dt.date.fromordinal(ordinal)
        flags.append(day in make_up or (day.weekday() < _SATURDAY and day not in off))
    return _YearTable(first, (0, *itertools.accumulate(flags)), published)


@attrs.frozen(eq=False)
class WorkdayCalendar:
    """Which days are working days (工作日), and deadlines counted in them.

    Build one with :meth:`china` (the State Council schedule, through the ``holidays``
    package) or :meth:`from_days`. A calendar is immutable and safe to share between
    threads; each year's table is built on first use and kept. Calendars compare by identity.

    Counting follows the Civil Code: the start day is not counted (Art. 201), a period of
    months or years ends on the corresponding day or the month's last day (Art. 202), and an
    end day that is not a working day moves to the next working day (Art. 203).
    """

    known_years: tuple[int, int]
    _days_of: Callable[[int], _YearDays] = attrs.field(repr=False, alias="days_of")
    _tables: dict[int, _YearTable] = attrs.field(factory=dict, init=False, repr=False)

    @classmethod
    def china(cls, *, published_through: int | None = None) -> WorkdayCalendar:
        """The calendar of the People's Republic of China, from ``holidays.China``.

        The published years run from the first to the last year for which the installed
        ``holidays`` package holds the State Council's arrangement (special holidays and
        make-up days 调休). ``published_through`` replaces the last year, e.g. for a caller
        who knows the package's guess for a newer year is right, or who wants to be stricter.
        Calendars are shared: the same arguments give the same object.
        """
        if published_through is not None:
            ensure_int(published_through, "published_through")
        return _china_calendar(published_through)

    @classmethod
    def from_days(
        cls,
        *,
        holidays: Iterable[dt.date],
        make_up_days: Iterable[dt.date],
        known_years: tuple[int, int],
    ) -> WorkdayCalendar:
        """A calendar from explicit days off and weekend make-up working days (调休).

        ``known_years`` (first, last) are the published years; outside them the same days
        are used, but results are provisional and need ``provisional=True``.
        """
        years = _check_years(known_years)
        off = frozenset(_dates(holidays, "holidays"))
        make_up = frozenset(_dates(make_up_days, "make_up_days"))
        _check_make_up(off, make_up)
        return cls(years, days_of=functools.partial(_pick_year, off, make_up))

    def prepare(self, first: int, last: int) -> None:
        """Build the tables of the years ``first`` to ``last`` now, rather than on their first
        use (a year's table costs a few milliseconds, the first one far more: it loads the
        ``holidays`` package). Test sessions call it once, so that no single test (say, a
        Hypothesis example under its deadline) pays for it. Results do not change."""
        first, last = ensure_int(first, "first"), ensure_int(last, "last")
        if not (dt.MINYEAR <= first <= last <= dt.MAXYEAR and last - first < _PREPARE_SPAN):
            raise InvalidInput(
                f"Cannot have first={first}, last={last}: years must rise within "
                f"{dt.MINYEAR}..{dt.MAXYEAR}, at most {_PREPARE_SPAN} of them"
            )
        for year in range(first, last + 1):
            self._table(dt.date(year, 1, 1), provisional=True)

    def is_published(self, year: int) -> bool:
        """Whether the holiday schedule of ``year`` is known (published)."""
        first, last = self.known_years
        return first <= ensure_int(year, "year") <= last

    def is_workday(self, d: dt.date, *, provisional: bool = False) -> bool:
        """Whether ``d`` is a working day: Monday to Friday and not a holiday, or a make-up day.

        In an unpublished year this raises :class:`~creditflow.errors.CalendarUnknown`
        unless ``provisional=True``. A bool cannot say that it is a guess: a caller who
        passes ``provisional=True`` accepts one, and :meth:`is_published` tells which it is.
        """
        day = ensure_date(d, "d")
        table = self._table(day, provisional)
        index = day.toordinal() - table.first
        return table.totals[index + 1] > table.totals[index]

    def add_workdays(self, d: dt.date, n: int, *, provisional: bool = False) -> CalendarDate:
        """The ``n``-th working day after ``d`` (before it when ``n`` is negative).

        The start day is not counted (Civil Code Art. 201): one working day after a Friday is
        the next working day, normally Monday. ``n == 0`` returns ``d`` unchanged, working
        day or not. The result is provisional iff a day examined lies in an unpublished year.
        """
        day, count = ensure_date(d, "d"), ensure_int(n, "n")
        if count == 0:
            return CalendarDate(day, False)
        if count > 0:
            return self._forward(day.toordinal() + 1, count, provisional)
        return self._backward(day.toordinal() - 1, -count, provisional)

    def workdays_between(
        self, a: dt.date, b: dt.date, *, provisional: bool = False
    ) -> WorkdayCount:
        """The working days after ``a`` up to and including ``b``: the days in (a, b].

        When ``b`` is before ``a`` the count runs backwards and is negative: minus the working
        days in [b, a). So ``workdays_between(a, add_workdays(a, n).date).count == n`` for
        every ``n``.
        """
        start, end = ensure_date(a, "a").toordinal(), ensure_date(b, "b").toordinal()
        if start <= end:
            return self._count(start + 1, end, provisional)
        backwards = self._count(end, start - 1, provisional)
        return WorkdayCount(-backwards.count, backwards.provisional)

    def add_period(
        self,
        d: dt.date,
        period: Period,
        *,
        roll_forward: bool = False,
        provisional: bool = False,
    ) -> CalendarDate:
        """The last day of ``period`` counted from ``d`` (the start day is not counted).

        Working days go through :meth:`add_workdays`. Days and weeks are calendar days; months
        and years end on the corresponding day, or on the month's last day if there is none
        (Civil Code Art. 202: 31 January + 1 month = 28 or 29 February). With
        ``roll_forward`` an end day that is not a working day moves to the next working day
        (Art. 203), which needs the holiday schedule; without it a calendar period never
        does and is never provisional.
        """
        day = ensure_date(d, "d")
        if not isinstance(period, Period):
            raise InvalidInput(
                f"period must be a Period, got {shown(period)} that is {a_type(period)}; "
                "use Period.parse('3 months') or Period.months(3)"
            )
        if period.unit is PeriodUnit.WORKDAYS:
            end = self.add_workdays(day, period.amount, provisional=provisional)
        else:
            end = CalendarDate(_shift(day, period), False)
        return self._roll(end, provisional) if roll_forward else end

    def _roll(self, end: CalendarDate, provisional: bool) -> CalendarDate:
        """Move ``end`` to the next working day unless it is one (Civil Code Art. 203)."""
        table = self._table(end.date, provisional)
        guess = end.provisional or not table.published
        if self.is_workday(end.date, provisional=provisional):
            return CalendarDate(end.date, guess)
        later = self.add_workdays(end.date, 1, provisional=provisional)
        return CalendarDate(later.date, guess or later.provisional)

    def _table(self, day: dt.date, provisional: bool) -> _YearTable:
        """The table of ``day``'s year; refuse an unpublished year unless ``provisional``."""
        table = self._tables.get(day.year)
        if table is None:
            published = self.is_published(day.year)
            table = _year_table(day.year, self._days_of(day.year), published)
            table = self._tables.setdefault(day.year, table)
        if not (table.published or provisional):
            raise CalendarUnknown(day, self.known_years)
        return table

    def _forward(self, ordinal: int, n: int, provisional: bool) -> CalendarDate:
        """The ``n``-th working day on or after ``ordinal``."""
        guess = False
        while True:
            table = self._table(_from_ordinal(ordinal), provisional)
            guess = guess or not table.published
            index = ordinal - table.first
            target = table.totals[index] + n
            if target <= table.totals[-1]:
                found = bisect.bisect_left(table.totals, target) - 1
                return CalendarDate(dt.date.fromordinal(table.first + found), guess)
            n = target - table.totals[-1]
            ordinal = table.first + table.size

    def _backward(self, ordinal: int, n: int, provisional: bool) -> CalendarDate:
        """The ``n``-th working day on or before ``ordinal``, counting backwards."""
        guess = False
        while True:
            table = self._table(_from_ordinal(ordinal), provisional)
            guess = guess or not table.published
            index = ordinal - table.first
            target = table.totals[index + 1] - n
            if target >= 0:
                found = bisect.bisect_right(table.totals, target) - 1
                return CalendarDate(dt.date.fromordinal(table.first + found), guess)
            n = -target
            ordinal = table.first - 1

    def _count(self, low: int, high: int, provisional: bool) -> WorkdayCount:
        """The working days among the ordinals ``low`` to ``high``, both included."""
        count, guess = 0, False
        while low <= high:
            table = self._table(_from_ordinal(low), provisional)
            guess = guess or not table.published
            stop = min(high, table.first + table.size - 1)
            count += table.totals[stop - table.first + 1] - table.totals[low - table.first]
            low = stop + 1
        return WorkdayCount(count, guess)


def _from_ordinal(ordinal: int) -> dt.date:
    """The date of ``ordinal``; a count running past year 1 or 9999 is refused."""
    if not dt.date.min.toordinal() <= ordinal <= dt.date.max.toordinal():
        raise InvalidInput("the working days run past the range of datetime.date (years 1-9999)")
    return dt.date.fromordinal(ordinal)


def _shift(day: dt.date, period: Period) -> dt.date:
    """``day`` moved by a calendar period; relativedelta clips to the month's last day."""
    step = {
        PeriodUnit.DAYS: relativedelta(days=period.amount),
        PeriodUnit.WEEKS: relativedelta(weeks=period.amount),
        PeriodUnit.MONTHS: relativedelta(months=period.amount),
        PeriodUnit.YEARS: relativedelta(years=period.amount),
    }[period.unit]
    try:
        result: dt.date = day + step
    except (OverflowError, ValueError):
        raise InvalidInput(
            f"{day.isoformat()} + {period} runs past the range of datetime.date (years 1-9999)"
        ) from None
    return result


_PREPARE_SPAN = 200
"""The most years :meth:`WorkdayCalendar.prepare` builds in one call."""


@functools.cache
def _china_calendar(published_through: int | None) -> WorkdayCalendar:
    """The shared China calendar for ``published_through`` (None: what the package knows)."""
    first, last = _china_published_years()
    if published_through is not None:
        if published_through < first:
            raise InvalidInput(
                f"Cannot have published_through={published_through} before the first "
                f"published year {first}"
            )
        last = published_through
    return WorkdayCalendar((first, last), days_of=_china_year)


@functools.lru_cache(maxsize=1)
def _china_published_years() -> tuple[int, int]:
    """First and last year of the State Council arrangements held by ``holidays.China``."""
    import holidays

    years = sorted(getattr(holidays.country_holidays("CN"), "special_public_holidays", {}))
    if not years:
        raise RuntimeError("holidays.China holds no State Council arrangement; upgrade holidays")
    return years[0], years[-1]


@functools.cache
def _china_year(year: int) -> _YearDays:
    """Days off and make-up days of ``year`` in ``holidays.China``.

    ``weekend_workdays`` of a ``holidays.China`` object gathers make-up days of other years
    too, and a year's make-up days may come from the next year's arrangement (2001-12-29
    made up for New Year 2002), so both years are loaded and only ``year`` is kept.
    """
    import holidays

    years = (year, year + 1) if year < dt.MAXYEAR else (year,)
    table = holidays.country_holidays("CN", years=years)
    off = frozenset(d for d in table if d.year == year)
    make_up = frozenset(d for d in table.weekend_workdays if d.year == year)
    return off, make_up


def _pick_year(off: frozenset[dt.date], make_up: frozenset[dt.date], year: int) -> _YearDays:
    """The days of ``year`` among explicit days off and make-up days."""
    return (
        frozenset(d for d in off if d.year == year),
        frozenset(d for d in make_up if d.year == year),
    )


def _dates(values: Iterable[dt.date], name: str) -> list[dt.date]:
    """Every value checked to be a plain date."""
    return [ensure_date(value, f"{name}[{i}]") for i, value in enumerate(values)]


def _check_years(known_years: tuple[int, int]) -> tuple[int, int]:
    """``known_years`` as (first, last) with first <= last."""
    if not isinstance(known_years, tuple) or len(known_years) != 2:
        raise InvalidInput(f"known_years must be a (first, last) tuple, got {shown(known_years)}")
    first = ensure_int(known_years[0], "known_years[0]")
    last = ensure_int(known_years[1], "known_years[1]")
    if last < first:
        raise InvalidInput(f"Cannot have known_years=({first}, {last}) with {last} < {first}")
    return first, last


def _check_make_up(off: frozenset[dt.date], make_up: frozenset[dt.date]) -> None:
    """Make-up days fall on weekends and are not days off."""
    for day in sorted(make_up):
        if day.weekday() < _SATURDAY:
            raise InvalidInput(f"make-up day {day.isoformat()} is not a Saturday or Sunday")
        if day in off:
            raise InvalidInput(f"{day.isoformat()} cannot be both a holiday and a make-up day")
