"""The demo's report (运行报告): counts per state, deadlines, inspections per grade, invariants.

The invariants are checked against the book itself, not against the simulation's own counts:
the chain verifies, no listing left early without an approved repair, every published notice
lies within its window, and every inspection plan draws again the same.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from fractions import Fraction

import attrs

from creditflow.book.book import CreditBook
from creditflow.core.labels import Label
from creditflow.demo.simulation import Outcome
from creditflow.docs import extract_notices
from creditflow.policy.model import Policy
from creditflow.workflows import Case, DeadlineState

__all__ = ["DemoReport", "GradeRow", "Invariant", "build_report", "check_invariants"]

_AUTOMATIC = frozenset({"expiry", "publication_end"})
"""End dates, not time limits: the book ends these cases once the last day has passed."""


@attrs.frozen
class Invariant:
    """One property the finished book must have, and what was found."""

    name: str
    ok: bool
    detail: str


@attrs.frozen
class GradeRow:
    """Inspections of the year's plans for one grade: subjects, drawn, the policy's ratios."""

    grade: str
    subjects: int
    drawn: int
    ratios: tuple[Fraction, ...]


@attrs.frozen
class DemoReport:
    """Everything the demo prints, and the book's chain head for comparing runs: ``events``
    and ``head`` are the book's head (:meth:`CreditBook.head`), printed as :attr:`anchor`."""

    subjects: int
    seed: int
    events: int
    head: str
    states: dict[str, dict[str, int]]
    deadlines: dict[str, tuple[int, int, int]]
    grades: tuple[GradeRow, ...]
    tally: dict[str, int]
    grades_before: dict[str, int]
    grades_after: dict[str, int]
    invariants: tuple[Invariant, ...]
    seconds: float = 0.0
    grades_by_domain: dict[str, dict[str, int]] = attrs.field(factory=dict)
    """After the year-end evaluation: per domain, subjects per grade in scale order."""
    monthly: dict[str, tuple[int, ...]] = attrs.field(factory=dict)
    """Twelve counts per series: ``listings_published``, ``listings_removed``,
    ``repairs_approved``, ``deadlines_met``, ``deadlines_missed`` (by the month of the last
    day)."""
    quarters: tuple[tuple[str, int, int], ...] = ()
    """Per quarter: its label, the subjects its plan drew and the inspections in it."""
    labels: dict[str, Label] = attrs.field(factory=dict)
    """The policy's labels of what the report names: ``domain.<name>``, ``grade.<name>``,
    ``list.<kind>``, ``commitment.<kind>``, ``severity.<severity>``."""
    year: int = 2026
    sections: tuple[str, ...] = ()
    """More sections of text, printed before the anchor (collection and disclosure)."""

    @property
    def anchor(self) -> str:
        """The book anchor the report was made from: ``SEQ:HASH``."""
        return f"{self.events}:{self.head}"

    @property
    def ok(self) -> bool:
        """True if every invariant holds."""
        return all(i.ok for i in self.invariants)

    def to_text(self) -> str:
        """The report for people, labels in Chinese and English, tables aligned
        (:func:`creditflow.demo.report_text.report_text`)."""
        from creditflow.demo.report_text import report_text

        return report_text(self)


def build_report(
    book: CreditBook, outcome: Outcome, *, subjects: int, seed: int, seconds: float = 0.0
) -> DemoReport:
    """The report of a finished simulation, read from ``book`` in one pass over its cases and
    one over its events: nothing is held per case but the ids of listings and repairs."""
    totals = _Totals(outcome.year)
    for case in book.cases():
        totals.add(case)
    invariants = check_invariants(book, book.cases(machine="listing"), outcome)
    events, head = book.head()  # read last: the anchor covers everything reported
    policy = book.policy_on(outcome.last_day)
    order = _grade_order(policy)
    return DemoReport(
        subjects=subjects,
        seed=seed,
        events=events,
        head=head,
        states={machine: dict(totals.states[machine]) for machine in sorted(totals.states)},
        deadlines={name: (row[0], row[1], row[2]) for name, row in totals.deadlines.items()},
        grades=_grade_rows(outcome, order),
        tally=dict(outcome.tally),
        grades_before={
            g: outcome.grades_before[g] for g in sorted(outcome.grades_before, key=order)
        },
        grades_after={g: outcome.grades_after[g] for g in sorted(outcome.grades_after, key=order)},
        invariants=invariants,
        seconds=seconds,
        grades_by_domain=_by_domain(outcome, order, policy),
        monthly=_monthly(book, totals),
        quarters=tuple((p.label, p.drawn, p.inspections) for p in outcome.plans),
        labels=_labels(policy),
        year=outcome.year,
    )


def _labels(policy: Policy) -> dict[str, Label]:
    labels = {f"domain.{name}": d.label for name, d in policy.domains.items()}
    labels |= {f"list.{name}": k.label for name, k in policy.lists.items()}
    labels |= {f"commitment.{name}": k.label for name, k in policy.commitments.items()}
    labels |= {f"severity.{s.value}": rule.label for s, rule in policy.severities.items()}
    for domain in policy.domains.values():
        for grade in domain.scale.grades:
            labels.setdefault(f"grade.{grade.name}", grade.label)
    return labels


def _by_domain(
    outcome: Outcome, order: Callable[[str], tuple[int, str]], policy: Policy
) -> dict[str, dict[str, int]]:
    counts = outcome.grades_by_domain
    return {
        domain: {
            g: counts[domain, g] for g in sorted({g for d, g in counts if d == domain}, key=order)
        }
        for domain in policy.domains
        if any(d == domain for d, _ in counts)
    }


_REMOVED = frozenset({"expire", "remove_early", "revoke", "annul"})
_SERIES = ("listings_published", "listings_removed", "repairs_approved", "deadlines_met",
           "deadlines_missed")  # fmt: skip


class _Totals:
    """What the report counts of the cases, added one case at a time: cases per state,
    deadlines met, missed and open, deadlines per month, and the ids of listings and repairs
    (for counting their events by month)."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.end = dt.date(year, 12, 31)
        self.states: dict[str, Counter[str]] = defaultdict(Counter)
        self.deadlines: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.monthly: dict[str, list[int]] = {name: [0] * 12 for name in _SERIES}
        self.machines: dict[str, set[str]] = {"listing": set(), "repair": set()}

    def add(self, case: Case) -> None:
        """Count ``case``."""
        self.states[case.machine][case.state] += 1
        if case.machine in self.machines:
            self.machines[case.machine].add(case.case_id)
        for deadline in case.deadlines:
            if deadline.kind != "due":
                continue
            self._deadline(f"{case.machine}.{deadline.name}", deadline)

    def _deadline(self, name: str, d: DeadlineState) -> None:
        """Per ``machine.deadline``: met in time, missed (met late or overdue), still running;
        and, for those whose last day is in the year, met or missed by month."""
        row = self.deadlines[name]
        if d.met_on is not None:
            row[1 if d.met_on > d.last_day and d.name not in _AUTOMATIC else 0] += 1
        else:
            row[1 if d.overdue(self.end) else 2] += 1
        if d.name in _AUTOMATIC or d.last_day.year != self.year:
            return
        if d.met_on is not None and d.met_on <= d.last_day:
            self.monthly["deadlines_met"][d.last_day.month - 1] += 1
        elif d.met_on is not None or d.overdue(self.end):
            self.monthly["deadlines_missed"][d.last_day.month - 1] += 1


def _monthly(book: CreditBook, totals: _Totals) -> dict[str, tuple[int, ...]]:
    """Twelve counts per series, from the events of the book and the deadlines counted."""
    series, year = totals.monthly, totals.year
    listings, repairs = totals.machines["listing"], totals.machines["repair"]
    for event in book.events():
        if event.on.year != year:
            continue
        if event.event == "publish" and event.case_id in listings:
            series["listings_published"][event.on.month - 1] += 1
        elif event.event in _REMOVED and event.case_id in listings:
            series["listings_removed"][event.on.month - 1] += 1
        elif event.event == "approve" and event.case_id in repairs:
            series["repairs_approved"][event.on.month - 1] += 1
    return {name: tuple(counts) for name, counts in series.items()}


def _grade_order(policy: Policy) -> Callable[[str], tuple[int, str]]:
    """A sort key: grades in scale order (best first), as the policy's scales rank them."""
    ranks: dict[str, int] = {}
    for domain in policy.domains.values():
        for rank, name in enumerate(domain.scale.names):
            ranks[name] = min(rank, ranks.get(name, rank))
    return lambda grade: (ranks.get(grade, len(ranks)), grade)


def _ordered(counts: Counter[str], order: Callable[[str], tuple[int, str]]) -> dict[str, int]:
    return {grade: counts[grade] for grade in sorted(counts, key=order)}


def _grade_rows(outcome: Outcome, order: Callable[[str], tuple[int, str]]) -> tuple[GradeRow, ...]:
    if not outcome.plans:
        return ()
    last = outcome.plans[-1]
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    ratios: dict[str, set[Fraction]] = defaultdict(set)
    for stratum in last.strata:
        rows[stratum.grade][0] += stratum.size
        rows[stratum.grade][1] += stratum.drawn
        ratios[stratum.grade].add(stratum.sampling_ratio)
    return tuple(
        GradeRow(grade, rows[grade][0], rows[grade][1], tuple(sorted(ratios[grade])))
        for grade in sorted(rows, key=order)
    )


# ---------------------------------------------------------------------- invariants


def check_invariants(
    book: CreditBook, cases: Iterable[Case], outcome: Outcome
) -> tuple[Invariant, ...]:
    """The properties the finished book must have; ``cases`` are the book's cases (its
    listings will do), read once."""
    chain = book.verify()
    plans = [p for p in outcome.plans if not p.verified]
    return (
        Invariant(
            "chain verifies",
            chain.ok,
            f"{chain.events} events"
            if chain.ok
            else f"broken at seq {chain.broken_at}: {chain.reason}",
        ),
        _early_removals(book, cases),
        _notices_in_window(book, outcome.last_day),
        Invariant(
            "inspection plans verify",
            not plans,
            f"{len(outcome.plans)} plans drawn again identically"
            if not plans
            else f"refuted: {[p.label for p in plans]}",
        ),
    )


def _early_removals(book: CreditBook, cases: Iterable[Case]) -> Invariant:
    """Every listing removed before its expiry was removed on an approved repair (or revoked)."""
    early, bad = 0, []
    for case in cases:
        if case.machine != "listing" or case.state != "removed":
            continue
        last = book.get(case.case_id).history[-1]
        if last.event == "expire" or last.event == "revoke":
            continue
        early += 1
        repair = book.get(str(last.data.get("repair_case", "")))
        if last.event != "remove_early" or repair.state not in ("approved", "revoked"):
            bad.append(case.case_id)
    detail = f"{early} removed early, each on an approved repair" if not bad else f"bad: {bad[:5]}"
    return Invariant("no listing removed early without an approved repair", not bad, detail)


def _notices_in_window(book: CreditBook, on: dt.date) -> Invariant:
    """Every listing in the public notices of ``on`` is published and within its window."""
    notices = extract_notices(book, on)
    bad = [
        n.case_id
        for n in notices.listings
        if not (n.decided_on <= n.published_on <= on <= n.last_day)
        or book.get(n.case_id).state != "published"
    ]
    detail = f"{len(notices.listings)} listings in publication on {on}" if not bad else f"{bad[:5]}"
    return Invariant("published notices within their windows", not bad, detail)
