"""A year of a transport bureau (交通运输执法机构), day by day on the working-day calendar.

Last years' listings and records are carried over first, so that the year sees listings
expire and records end; then each working day runs the acts due on the agenda and the day's
new business in one :meth:`~creditflow.book.CreditBook.batch`. Plans are drawn at each
quarter's first working day; grades are evaluated on the last day.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import random
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from fractions import Fraction

import attrs

from creditflow.book.book import CreditBook
from creditflow.calendar.workdays import WorkdayCalendar
from creditflow.demo.agenda import Agenda, SimulatedClock
from creditflow.demo.evaluations import MemberEvaluations
from creditflow.demo.flows import OFFICER, OFFICIAL, Bureau, decision
from creditflow.demo.inspections import (
    DrawnPlan,
    PlanSummary,
    build_inspectors,
    directory_on,
    draw_quarter,
)
from creditflow.demo.population import Member, Population
from creditflow.licensing import Evaluation, grade_on
from creditflow.policy.model import Policy
from creditflow.rules import Engine

__all__ = ["CARRY_CHUNK", "RATES", "Outcome", "Simulation"]

RATES = {"licensing": 1.5, "penalty": 0.4, "red": 0.03}
"""New business per subject and year: licence applications, penalties, red-list proposals."""

_PENALISED = {"AA": 0.2, "A": 0.5, "B": 1.0, "C": 4.0, "D": 8.0}
"""How much more often a subject of each grade is penalised than a B."""
_FINDING = {"AA": 0.02, "A": 0.05, "B": 0.10, "C": 0.25, "D": 0.40}
_WORKDAYS_PER_YEAR = 249

Progress = Callable[[dt.date], None]

CARRY_CHUNK = 5_000
"""Members whose carried-over cases are written per append (see :meth:`Simulation.carry_over`)."""


class _DryCase:
    __slots__ = ("case_id",)

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id


class _DryBook:
    """In place of the book in a dry run: every act is accepted and nothing is kept."""

    def __init__(self) -> None:
        self._opened = 0

    def open_case(self, kind: str, subject: str, **_: object) -> _DryCase:
        self._opened += 1
        return _DryCase(f"dry-{self._opened}")

    def fire(self, case_id: str, event: str, **_: object) -> _DryCase:
        return _DryCase(case_id)


@attrs.define
class Outcome:
    """What the simulation did, beside the book: counts, plans and grades."""

    year: int
    tally: Counter[str] = attrs.field(factory=Counter)
    plans: list[PlanSummary] = attrs.field(factory=list)
    """Each quarter's plan, summed up (the plans are given to ``on_plan`` when drawn)."""
    grades_before: Counter[str] = attrs.field(factory=Counter)
    grades_after: Counter[str] = attrs.field(factory=Counter)
    grades_by_domain: Counter[tuple[str, str]] = attrs.field(factory=Counter)
    """After the year-end evaluation: subjects per (domain, grade)."""

    @property
    def last_day(self) -> dt.date:
        """The last day simulated, 31 December."""
        return dt.date(self.year, 12, 31)


class Simulation:
    """The simulation of one year on ``book`` for ``members``, fixed by ``seed``; each
    quarter's plan is given to ``on_plan`` (to write it) when drawn, and then let go."""

    def __init__(
        self,
        book: CreditBook,
        policy: Policy,
        members: Population,
        *,
        seed: int,
        clock: SimulatedClock,
        year: int = 2026,
        on_plan: Callable[[DrawnPlan], object] | None = None,
    ) -> None:
        self.book, self.policy, self.members = book, policy, members
        self.on_plan = on_plan
        self.seed, self.clock = seed, clock
        self.rng = random.Random(f"creditflow-demo-{seed}-acts")
        self.calendar = WorkdayCalendar.china()
        self.agenda = Agenda(self.calendar)
        self.evaluations = MemberEvaluations(members, year)
        self.outcome = Outcome(year)
        self.bureau = Bureau(book, self.agenda, self.rng, self.evaluations, self.outcome.tally)
        self.inspectors = build_inspectors()
        self.last_inspected: dict[str, dt.date] = {}
        weights = (_PENALISED.get(members.grade(i), 1.0) for i in range(len(members)))
        self._penalised = array("d", itertools.accumulate(weights))
        best = array("l", (i for i in range(len(members)) if members.grade(i) == "AA"))
        self._best: Sequence[int] = best or range(len(members))

    def run(self, progress: Progress | None = None) -> Outcome:
        """Carry over last years' cases, simulate every day of the year, evaluate the grades."""
        self.carry_over()
        day = dt.date(self.outcome.year, 1, 1)
        while day.year == self.outcome.year:
            if self.calendar.is_workday(day):
                self.work_day(day)
            if progress is not None:
                progress(day)
            day += dt.timedelta(days=1)
        self.evaluate(self.outcome.last_day)
        return self.outcome

    # ------------------------------------------------------------------ carried over

    def carry_over(self) -> None:
        """Listings decided and records entered before the year, still in publication.

        They are one transaction in the book's history, recorded on the last of their days;
        they are written :data:`CARRY_CHUNK` members at a time, so that the transaction is
        never held whole: a dry run of the same draws first finds that last day, and the clock
        shows it for every part (the chain is the one a single append makes)."""
        state = self.rng.getstate()
        last = self._dry_carry_over()
        self.rng.setstate(state)
        self.clock.pinned = last
        try:
            for start in range(0, len(self.members), CARRY_CHUNK):
                with self.book.batch():
                    for index in range(start, min(start + CARRY_CHUNK, len(self.members))):
                        self._carry(self.members[index])
        finally:
            self.clock.pinned = None

    def _dry_carry_over(self) -> dt.date:
        """The day the clock shows after the carry-over, from its draws alone: the same
        acts on a book, agenda and counts that keep nothing (the rng is left as it ends)."""
        dry = copy.copy(self)
        dry.book = _DryBook()  # type: ignore[assignment]
        dry.clock = SimulatedClock(self.clock.day)
        dry.agenda = Agenda(self.calendar)
        dry.outcome = Outcome(self.outcome.year)
        dry.bureau = Bureau(dry.book, dry.agenda, self.rng, self.evaluations, dry.outcome.tally)
        for member in self.members:
            dry._carry(member)
        return dry.clock.day

    def _carry(self, member: Member) -> None:
        year = self.outcome.year
        roll = self.rng.random()
        if member.grade == "D" and roll < 0.3:
            self._carried_listing(member, "serious", self._day_in(year - 3, year - 2))
        elif member.grade in ("C", "D") and roll < 0.5:
            self._carried_listing(member, "watch", self._day_in(year - 1, year - 1))
        elif member.grade == "AA" and roll < 0.05:
            self._carried_listing(member, "red", self._day_in(year - 1, year - 1))
        elif roll < 0.04:
            self._carried_record(member, self._day_in(year - 1, year - 1))

    def _day_in(self, first: int, last: int) -> dt.date:
        start = dt.date(first, 1, 5).toordinal()
        end = dt.date(last, 12, 20).toordinal()
        return self.agenda.workdays_after(dt.date.fromordinal(self.rng.randint(start, end)), 1)

    def _carried_listing(self, member: Member, kind: str, proposed: dt.date) -> None:
        self.clock.day = proposed
        case = self.book.open_case(f"listing.{kind}", member.subject.id, on=proposed,
                                   actor=OFFICER, domain=member.domain, grounds="上年度失信行为",
                                   basis="交政研发〔2018〕181号",
                                   subject_name=member.subject.name)  # fmt: skip
        if kind != "red":
            self.book.fire(case.case_id, "notify", on=proposed, actor=OFFICER)
        decided = self.agenda.workdays_after(proposed, 8)
        self.clock.day = decided
        self.book.fire(case.case_id, "decide", on=decided, actor=OFFICIAL,
                       **decision(case.case_id, decided))  # fmt: skip
        published = self.agenda.workdays_after(decided, 2)
        self.clock.day = published
        self.book.fire(case.case_id, "publish", on=published, actor=OFFICER)
        self.outcome.tally[f"carried.listing.{kind}"] += 1
        if kind != "red" and self.rng.random() < 0.25:
            self._plan_repair(member, case.case_id, decided, kind)

    def _carried_record(self, member: Member, day: dt.date) -> None:
        self.clock.day = day
        severity = "general" if self.rng.random() < 0.7 else "minor"
        case_id = self.bureau.penalty(member, day, severity)
        self.outcome.tally["carried.record"] += 1
        if severity == "general" and self.rng.random() < 0.2:
            self._plan_repair(member, case_id, day, "general")

    def _plan_repair(self, member: Member, target: str, decided: dt.date, severity: str) -> None:
        """Apply for repair a little after the minimum publication, if that is within the year."""
        minimum = {"serious": 366, "watch": 93, "general": 93}[severity]
        when = decided + dt.timedelta(days=minimum + self.rng.randint(5, 90))
        if when.year == self.outcome.year:
            self.agenda.at(when, lambda d: self.bureau.apply_for_repair(member, target, d))

    # ------------------------------------------------------------------ one working day

    def work_day(self, day: dt.date) -> None:
        """Plans at a quarter's start, automatic ends weekly, then the day's acts in a batch."""
        self.clock.day = day
        if day.month in (1, 4, 7, 10) and self._first_workday_of_month(day):
            self.draw(day)
        if self._first_workday_of_week(day) or day == self.outcome.last_day:
            with self.book.batch():
                for case in self.book.run_due(on=day):
                    self.outcome.tally[f"ended.{case.machine}.{case.kind}"] += 1
        with self.book.batch():
            for task in self.agenda.due(day):
                task(day)
            self._new_business(day)

    def _first_workday_of_week(self, day: dt.date) -> bool:
        previous = self.agenda.workdays_after(day, -1)
        return previous.isocalendar()[:2] != day.isocalendar()[:2]

    def _first_workday_of_month(self, day: dt.date) -> bool:
        previous = self.agenda.workdays_after(day, -1)
        return previous.month != day.month

    def _new_business(self, day: dt.date) -> None:
        for _ in range(self._count(RATES["licensing"])):
            self.bureau.licensing_application(self.rng.choice(self.members), day)
        for _ in range(self._count(RATES["penalty"])):
            self._penalty(self.rng.choices(self.members, cum_weights=self._penalised)[0], day)
        best = self._best
        for _ in range(self._count(RATES["red"] * len(best) / len(self.members))):
            self.bureau.propose_listing(self.members[self.rng.choice(best)], "red", day)

    def _count(self, per_subject_year: float) -> int:
        expected = per_subject_year * len(self.members) / _WORKDAYS_PER_YEAR
        whole = int(expected)
        return whole + (1 if self.rng.random() < expected - whole else 0)

    def _penalty(self, member: Member, day: dt.date) -> None:
        poor = member.grade in ("C", "D")
        roll = self.rng.random()
        severity = (
            "serious" if roll < (0.08 if poor else 0.02) else "general" if roll < 0.5 else "minor"
        )
        case_id = self.bureau.penalty(member, day, severity)
        if severity == "serious" and self.rng.random() < 0.6:
            self._propose_later(member, "serious", day)
        elif severity == "general" and poor and self.rng.random() < 0.4:
            self._propose_later(member, "watch", day)
        if severity == "general" and self.rng.random() < 0.3:
            self._plan_repair(member, case_id, day, "general")

    def _propose_later(self, member: Member, kind: str, day: dt.date) -> None:
        """A listing proposal some working days after the penalty that grounds it."""
        when = self.agenda.workdays_after(day, self.rng.randint(5, 15))
        self.agenda.at(when, lambda d: self.bureau.propose_listing(member, kind, d))

    # ------------------------------------------------------------------ inspections

    def draw(self, day: dt.date) -> None:
        """Draw the quarter's plan from the directory of the day and plan its inspections."""
        directory = directory_on(self.book, self.policy, self.members, self.evaluations, day,
                                 self.last_inspected)  # fmt: skip
        drawn = draw_quarter(Engine(self.policy), directory, self.inspectors,
                             quarter=(day.month + 2) // 3, on=day, seed=str(self.seed))  # fmt: skip
        if self.on_plan is not None:
            self.on_plan(drawn)
        self.outcome.plans.append(drawn.summary())
        for inspection in drawn.this_quarter():
            index = self.members.index_of(inspection.subject_id)
            assert index is not None, "a plan draws from the population only"
            member = self.members[index]
            when = day + dt.timedelta(days=self.rng.randint(0, 80))
            self.agenda.at(when, self._inspection(member, inspection.grade))

    def _inspection(self, member: Member, grade: str) -> Callable[[dt.date], None]:
        return lambda day: self._inspect(member, grade, day)

    def _inspect(self, member: Member, grade: str, day: dt.date) -> None:
        self.last_inspected[member.subject.id] = day
        self.outcome.tally["inspection.done"] += 1
        if self.rng.random() < _FINDING.get(grade, 0.1):
            self.outcome.tally["inspection.finding"] += 1
            self.bureau.penalty(member, day, "general" if self.rng.random() < 0.3 else "minor")

    # ------------------------------------------------------------------ year end

    def evaluate(self, on: dt.date) -> None:
        """The annual evaluation (年度信用评价): each subject's score for the year from its
        starting score, its records of the year and chance; grades before and after."""
        for member in self.members:
            # open commitments, repairs and objections bear on nothing read here: left out
            status = self.book.status(member.subject.id, on=on, open_cases=False)
            before = grade_on(self.policy, status, self.evaluations, domain=member.domain, on=on)
            self.outcome.grades_before[before.grade] += 1
            penalty = sum({"general": 8, "serious": 25}.get(r.severity, 2) for r in status.records)
            score = max(0, min(100, int(member.score) - penalty + self.rng.randint(-4, 4)))
            self.evaluations.add(Evaluation(member.subject.id, member.domain, on.year,
                                            Fraction(score), on))  # fmt: skip
            after = grade_on(self.policy, status, self.evaluations, domain=member.domain, on=on)
            self.outcome.grades_after[after.grade] += 1
            self.outcome.grades_by_domain[member.domain, after.grade] += 1
