"""The demo's report (运行报告): counts per state, deadlines, inspections per grade, invariants.

The invariants are checked against the book itself, not against the simulation's own counts:
the chain verifies, no listing left early without an approved repair, every published notice
lies within its window, and every inspection plan draws again the same.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from fractions import Fraction

import attrs

from creditflow.book.book import CreditBook
from creditflow.demo.simulation import Outcome
from creditflow.docs import extract_notices
from creditflow.policy.model import Policy
from creditflow.rules.decision import format_ratio
from creditflow.workflows import Case

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
        """The report for people, in English with the Chinese terms."""
        lines = [f"creditflow demo: {self.subjects} subjects, seed {self.seed}, "
                 f"{self.events} events in {self.seconds:.1f} s"]  # fmt: skip
        lines += ["", "Cases per state (案件状态):"]
        for machine, states in self.states.items():
            shown = ", ".join(f"{state} {n}" for state, n in sorted(states.items()))
            lines.append(f"  {machine:<11} {shown}")
        lines += ["", "Deadlines (时限)       met   missed  open"]
        for name, (met, missed, pending) in sorted(self.deadlines.items()):
            lines.append(f"  {name:<19} {met:>6} {missed:>7} {pending:>5}")
        lines += ["", "Inspections per grade (抽查), Q4 plan against the policy's ratios:"]
        for row in self.grades:
            share = row.drawn / row.subjects if row.subjects else 0.0
            ratios = "/".join(format_ratio(r) for r in row.ratios)
            lines.append(f"  {row.grade:<3} {row.subjects:>6} subjects  {row.drawn:>5} drawn  "
                         f"{share:>6.1%}  (policy {ratios})")  # fmt: skip
        lines += ["", "Grades (信用等级) before -> after the year-end evaluation:"]
        for grade in dict.fromkeys([*self.grades_before, *self.grades_after]):
            before, after = self.grades_before.get(grade, 0), self.grades_after.get(grade, 0)
            lines.append(f"  {grade:<3} {before:>6} -> {after:>6}")
        lines += ["", "Activity:"]
        lines += [f"  {name:<40} {n:>7}" for name, n in sorted(self.tally.items())]
        lines += ["", "Invariants:"]
        lines += [f"  [{'ok' if i.ok else 'FAILED'}] {i.name}: {i.detail}" for i in self.invariants]
        lines += list(self.sections)
        lines += [
            "",
            f"Book anchor (账本锚点): {self.anchor}",
            f"  the head of the book this report was made from ({self.events} events); anyone "
            "can later check",
            f"  that the book still contains it: creditflow verify --anchor {self.anchor}",
        ]
        return "\n".join(lines)


def build_report(
    book: CreditBook, outcome: Outcome, *, subjects: int, seed: int, seconds: float = 0.0
) -> DemoReport:
    """The report of a finished simulation, read from ``book``."""
    cases = list(book.cases())
    invariants = check_invariants(book, cases, outcome)
    events, head = book.head()  # read last: the anchor covers everything reported
    order = _grade_order(book.policy_on(outcome.last_day))
    return DemoReport(
        subjects=subjects,
        seed=seed,
        events=events,
        head=head,
        states=_states(cases),
        deadlines=_deadlines(cases, outcome.last_day),
        grades=_grade_rows(outcome, order),
        tally=dict(outcome.tally),
        grades_before={
            g: outcome.grades_before[g] for g in sorted(outcome.grades_before, key=order)
        },
        grades_after={g: outcome.grades_after[g] for g in sorted(outcome.grades_after, key=order)},
        invariants=invariants,
        seconds=seconds,
    )


def _states(cases: list[Case]) -> dict[str, dict[str, int]]:
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for case in cases:
        found[case.machine][case.state] += 1
    return {machine: dict(found[machine]) for machine in sorted(found)}


def _deadlines(cases: list[Case], on: dt.date) -> dict[str, tuple[int, int, int]]:
    """Per ``machine.deadline``: met in time, missed (met late or overdue), still running."""
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for case in cases:
        for deadline in case.deadlines:
            if deadline.kind != "due":
                continue
            row = found[f"{case.machine}.{deadline.name}"]
            if deadline.met_on is not None:
                late = deadline.met_on > deadline.last_day and deadline.name not in _AUTOMATIC
                row[1 if late else 0] += 1
            else:
                row[1 if deadline.overdue(on) else 2] += 1
    return {name: (row[0], row[1], row[2]) for name, row in found.items()}


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
    plan = outcome.plans[-1].plan
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    ratios: dict[str, set[Fraction]] = defaultdict(set)
    for stratum in plan.strata:
        rows[stratum.grade][0] += stratum.size
        rows[stratum.grade][1] += stratum.drawn
        ratios[stratum.grade].add(stratum.sampling_ratio)
    return tuple(
        GradeRow(grade, rows[grade][0], rows[grade][1], tuple(sorted(ratios[grade])))
        for grade in sorted(rows, key=order)
    )


# ---------------------------------------------------------------------- invariants


def check_invariants(
    book: CreditBook, cases: list[Case], outcome: Outcome
) -> tuple[Invariant, ...]:
    """The properties the finished book must have."""
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


def _early_removals(book: CreditBook, cases: list[Case]) -> Invariant:
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
