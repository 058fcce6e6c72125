"""The self-assessment (自评) of a city's credit work by a pack's indicator table.

:func:`assess` scores each computable item of :class:`~creditflow.policy.assessment.Assessment`
for a period from the book, the rates, the log of credit checks and dated evidence, and lists
the attested items with the evidence officers gave. How each measure scores:

- ``rate``: all the item's points when the region's rate has a denominator and reaches the
  target, else none;
- ``evidence_count``: all points when the period has at least ``min_count`` pieces of evidence
  for the item and each of its months at least ``per_month``, else none;
- ``repairs``: the points shared equally among ``domains``, a domain's share earned when at
  least ``per_domain`` repairs of records or listings in it were approved in the period;
- ``credit_checks``: ``points_per_domain`` for each of ``domains`` in which a credit check for
  one of ``purposes`` was made in the period, at most the item's points;
- ``listings``: all points when at least ``min_count`` listings of ``kinds`` were published in
  the period, else none.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

import attrs

from creditflow._repr import shown
from creditflow._validation import ensure_instance, ensure_iterable
from creditflow.book import CreditBook
from creditflow.core.labels import Label
from creditflow.errors import InvalidInput, InvalidRow, UnknownCase
from creditflow.policy.assessment import AssessmentItem
from creditflow.policy.model import Policy
from creditflow.supervision.readers import Source, _lines, _name
from creditflow.workflows.case import Case

from .ingest import RejectedRow
from .periods import ReportingPeriod
from .rates import Rate, RateName, compute_rates

__all__ = [
    "AssessmentReport",
    "CreditCheckEntry",
    "Evidence",
    "ItemResult",
    "assess",
    "read_credit_checks",
    "read_evidence",
]


@attrs.frozen
class Evidence:
    """A dated piece of evidence an officer gives for an item (a news item, minutes, a plan)."""

    item: str
    on: dt.date
    text: str
    officer: str


@attrs.frozen
class CreditCheckEntry:
    """One credit check of the decision log: its purpose, domain and date."""

    purpose: str
    domain: str
    on: dt.date


@attrs.frozen
class ItemResult:
    """An item's result: the score (None for an attested item), what was found, and the
    evidence given for it."""

    item: AssessmentItem
    score: Fraction | None
    found: str
    evidence: tuple[Evidence, ...] = ()
    found_zh: str = ""
    """What was found, in Chinese (for the zh pages; ``""``: as ``found``)."""


@attrs.frozen
class AssessmentReport:
    """The self-assessment of ``period`` by ``policy_key``'s table, from the book at
    ``anchor``: every item's result, in the table's order."""

    title: Label
    period: ReportingPeriod
    policy_key: str
    anchor: str
    results: tuple[ItemResult, ...]

    @property
    def score(self) -> Fraction:
        """The points the computable items earned."""
        return sum((r.score for r in self.results if r.score is not None), Fraction(0))

    @property
    def computable_points(self) -> int:
        """The points the computable items can earn."""
        return sum(r.item.points.value for r in self.results if r.item.computed)

    @property
    def attested_points(self) -> int:
        """The points of the attested items (scored by the assessors, not here)."""
        return sum(r.item.points.value for r in self.results if not r.item.computed)


def assess(
    book: CreditBook,
    policy: Policy,
    period: ReportingPeriod | str,
    *,
    population: Mapping[str, str],
    rejected: Iterable[RejectedRow] = (),
    evidence: Iterable[Evidence] = (),
    checks: Iterable[CreditCheckEntry] = (),
) -> AssessmentReport:
    """Score ``policy``'s assessment table for ``period`` (see the module docstring)."""
    ensure_instance(book, CreditBook, "book")
    ensure_instance(policy, Policy, "policy")
    evidence = [
        ensure_instance(e, Evidence, "evidence") for e in ensure_iterable(evidence, "evidence")
    ]
    checks = [
        ensure_instance(c, CreditCheckEntry, "check") for c in ensure_iterable(checks, "checks")
    ]
    table = policy.assessment
    if table is None:
        raise InvalidInput(f"{policy.key} has no [assessment] table; use a pack that has one "
                           "(ziyang-transport)")  # fmt: skip
    if not isinstance(period, ReportingPeriod):
        period = ReportingPeriod.parse(period)
    known = {item.item_id for item in table.items}
    given = [e for e in evidence if e.on in period]
    for e in given:
        if e.item not in known:
            raise InvalidInput(f"evidence for unknown item {shown(e.item)}; items: {sorted(known)}")
    rates = compute_rates(book, population, period, rejected=rejected)
    anchor = rates.anchor
    # only the region's figures are scored: their failing rows (at a province's size, most of
    # the population) are let go before the cases are read
    region = {name: attrs.evolve(r, failing=()) for name, r in rates.unit("").rates.items()}
    del rates
    # the measures read listings and repairs (and what each repair repaired), asked of the
    # store by machine: every case of the book would take GBs at a province's size
    cases = [*book.cases(machine="listing"), *book.cases(machine="repair")]
    cases += _repaired(book, cases)
    in_period = [c for c in checks if c.on in period]
    results = tuple(
        _result(item, period, region, cases, in_period,
                tuple(e for e in given if e.item == item.item_id), policy)
        for item in table.items
    )  # fmt: skip
    return AssessmentReport(table.title, period, policy.key, anchor, results)


def _result(
    item: AssessmentItem,
    period: ReportingPeriod,
    region: Mapping[RateName, Rate],
    cases: Sequence[Case],
    checks: Sequence[CreditCheckEntry],
    evidence: tuple[Evidence, ...],
    policy: Policy,
) -> ItemResult:
    points = Fraction(item.points.value)
    if item.measure == "attested":
        return ItemResult(item, None, f"{len(evidence)} evidence", evidence,
                          f"证明材料{len(evidence)}份")  # fmt: skip
    if item.measure == "rate":
        rate = region[item.rate]  # type: ignore[index]
        met = rate.value is not None and item.target is not None and rate.value >= item.target
        found = f"{rate.numerator}/{rate.denominator} = {rate.percent()}"
        return ItemResult(item, points if met else Fraction(0), found, evidence, found)
    if item.measure == "evidence_count":
        return _evidence_count(item, period, evidence, points)
    if item.measure == "repairs":
        return _repairs(item, period, cases, points, evidence, policy)
    if item.measure == "credit_checks":
        domains = sorted({c.domain for c in checks if c.purpose in item.purposes}
                         & set(item.domains))  # fmt: skip
        score = min(points, Fraction(item.points_per_domain * len(domains)))
        zh = f"{len(domains)}个领域：{'、'.join(_domain(policy, d) for d in domains) or '-'}"
        return ItemResult(item, score, f"{len(domains)} domains: {', '.join(domains) or '-'}",
                          evidence, zh)  # fmt: skip
    published = [c for c in cases if c.machine == "listing" and c.kind in item.kinds
                 and _met_in(c, "publication", period)]  # fmt: skip
    met = len(published) >= item.min_count
    return ItemResult(item, points if met else Fraction(0), f"{len(published)} published",
                      evidence, f"公示{len(published)}个")  # fmt: skip


def _repaired(book: CreditBook, cases: Sequence[Case]) -> list[Case]:
    """The cases the repairs among ``cases`` target, other than those in ``cases``."""
    have = {c.case_id for c in cases}
    targets = {str(c.data.get("target")) for c in cases if c.machine == "repair"}
    found = []
    for case_id in sorted(targets - have):
        try:
            found.append(book.get(case_id))
        except (UnknownCase, InvalidInput):  # no such case: the repair counts for no domain
            continue
    return found


def _domain(policy: Policy, name: str) -> str:
    """A business domain in Chinese words (its label), else its name."""
    domain = policy.domains.get(name)
    return name if domain is None else domain.label.zh


def _met_in(case: Case, deadline: str, period: ReportingPeriod) -> bool:
    state = case.deadline(deadline)
    return state is not None and state.met_on is not None and state.met_on in period


def _evidence_count(
    item: AssessmentItem, period: ReportingPeriod, evidence: tuple[Evidence, ...], points: Fraction
) -> ItemResult:
    months = Counter((e.on.year, e.on.month) for e in evidence)
    short = []
    if item.per_month:
        day = period.start
        while day <= period.end:
            if months[day.year, day.month] < item.per_month:
                short.append(f"{day.year}-{day.month:02d}")
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    met = len(evidence) >= item.min_count and not short
    found = f"{len(evidence)} (at least {item.min_count})"
    zh = f"{len(evidence)}条（至少{item.min_count}条）"
    if short:
        found += f"; months short: {', '.join(short)}"
        zh += f"；不足的月份：{'、'.join(short)}"
    return ItemResult(item, points if met else Fraction(0), found, evidence, zh)


def _repairs(
    item: AssessmentItem,
    period: ReportingPeriod,
    cases: Sequence[Case],
    points: Fraction,
    evidence: tuple[Evidence, ...],
    policy: Policy,
) -> ItemResult:
    by_id = {c.case_id: c for c in cases}
    counts: Counter[str] = Counter()
    for case in cases:
        if case.machine != "repair" or case.state not in ("approved", "revoked"):
            continue
        if not _met_in(case, "decision", period):
            continue
        target = by_id.get(str(case.data.get("target")))
        if target is not None:
            counts[str(target.data.get("domain"))] += 1
    reached = [d for d in item.domains if counts[d] >= item.per_domain]
    score = points * len(reached) / len(item.domains)
    found = ", ".join(f"{d} {counts[d]}" for d in item.domains)
    zh = "；".join(f"{_domain(policy, d)}{counts[d]}条" for d in item.domains)
    return ItemResult(item, score, found, evidence, zh)


def read_evidence(source: Source) -> list[Evidence]:
    """Evidence from JSON lines: ``{"item", "on" (YYYY-MM-DD), "evidence", "officer"}``."""
    return [
        Evidence(
            str(row["item"]), _day(name, line, row, "on"), str(row["evidence"]), str(row["officer"])
        )
        for name, line, row in _json_lines(source, ("item", "on", "evidence", "officer"))
    ]


def read_credit_checks(source: Source) -> list[CreditCheckEntry]:
    """The decision log of credit checks from JSON lines: ``{"purpose", "domain", "on"}`` per
    check (other keys, as a :class:`~creditflow.licensing.CreditCheck` has, are ignored)."""
    return [
        CreditCheckEntry(str(row["purpose"]), str(row["domain"]), _day(name, line, row, "on"))
        for name, line, row in _json_lines(source, ("purpose", "domain", "on"))
    ]


def _json_lines(
    source: Source, keys: tuple[str, ...]
) -> Iterable[tuple[str, int, Mapping[str, object]]]:
    name = _name(source)
    rows = []
    with _lines(source) as lines:
        for line, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                row = json.loads(text)
            except json.JSONDecodeError as error:
                raise InvalidRow(name, line, f"invalid JSON: {error.msg}") from None
            if not isinstance(row, dict):
                raise InvalidRow(name, line, "expected a JSON object")
            for key in keys:
                if not isinstance(row.get(key), str) or not row[key]:
                    raise InvalidRow(name, line, f"{key} must be a non-empty string", field=key)
            rows.append((name, line, row))
    return rows


def _day(name: str, line: int, row: Mapping[str, object], key: str) -> dt.date:
    text = str(row[key])
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or day.isoformat() != text:
        raise InvalidRow(name, line, f"{shown(text)} is not a date YYYY-MM-DD", field=key)
    return day
