"""The grade in force (有效信用等级) on a date, and how it was reached, by the dynamic rules."""

from __future__ import annotations

import datetime as dt
import functools
from fractions import Fraction
from typing import Literal

import attrs

from creditflow._validation import ensure_date, ensure_instance, ensure_str
from creditflow.book.status import CreditStatus
from creditflow.calendar.periods import Period
from creditflow.calendar.workdays import WorkdayCalendar
from creditflow.core.grades import GradeScale
from creditflow.errors import PolicyError, PolicyProblem, UnknownName
from creditflow.licensing.evaluations import Evaluation, Evaluations
from creditflow.policy.model import Basis, EvaluationSettings, Policy

__all__ = ["GradeInForce", "grade_on", "score_grade"]

How = Literal[
    "serious_list", "serious_breach", "evaluation", "capped_upgrade", "default", "default_record"
]


@attrs.frozen
class GradeInForce:
    """A grade (信用等级) in force in a domain on a date, with how it was reached.

    ``how``: ``serious_list`` (on the serious list), ``serious_breach`` (a serious record set
    the breach grade at once), ``evaluation`` (the score's grade), ``capped_upgrade`` (the
    score earned more than the yearly upgrade allows), ``default`` / ``default_record`` (no
    evaluation in force: a new subject without / with a record in publication). ``since`` and
    ``until`` bound the period the reason holds (``until`` None: open-ended); ``case_id`` names
    the listing or record behind a breach grade.
    """

    grade: str
    domain: str
    how: How
    since: dt.date | None
    until: dt.date | None
    basis: Basis
    policy_version: str
    evaluation: Evaluation | None = None
    case_id: str | None = None


def grade_on(
    policy: Policy,
    status: CreditStatus,
    evaluations: Evaluations | None,
    *,
    domain: str,
    on: dt.date,
) -> GradeInForce:
    """The grade of ``status.subject_id`` in ``domain`` on ``on``: a serious listing or a
    serious record within its breach period first, then the evaluation in force, then the
    default grade."""
    ensure_instance(policy, Policy, "policy")
    ensure_instance(status, CreditStatus, "status")
    ensure_str(domain, "domain")
    on = ensure_date(on, "on")
    settings = _settings(policy)
    if domain not in policy.domains:
        raise UnknownName("domain", domain, policy.domains)
    return (
        _by_breach(policy, settings, status, domain, on)
        or _by_evaluation(policy, settings, evaluations, status.subject_id, domain, on)
        or _by_default(policy, settings, status, domain)
    )


def _settings(policy: Policy) -> EvaluationSettings:
    if policy.evaluation is None:
        problem = PolicyProblem(policy.origin, "evaluation", "missing; grades need it")
        raise PolicyError(policy.origin, [problem])
    return policy.evaluation


@functools.cache
def _calendar() -> WorkdayCalendar:
    return WorkdayCalendar.china()


@functools.lru_cache(maxsize=4096)  # a pure function of its arguments; grading batches repeats them
def _last_day(start: dt.date, period: Period) -> dt.date:
    return _calendar().add_period(start, period, provisional=True).date


def _by_breach(
    policy: Policy, s: EvaluationSettings, status: CreditStatus, domain: str, on: dt.date
) -> GradeInForce | None:
    grade = s.serious_breach_grade
    for listing in status.listings:
        if listing.kind == "serious":
            return GradeInForce(grade.value, domain, "serious_list", listing.decided_on,
                                listing.last_day, grade.basis, policy.key,
                                case_id=listing.case_id)  # fmt: skip
    period = s.serious_breach_period
    for record in status.records:
        if record.severity == "serious" and record.domain == domain:
            until = _last_day(record.decided_on, period.value)
            if on <= until:
                return GradeInForce(grade.value, domain, "serious_breach", record.decided_on,
                                    until, period.basis, policy.key,
                                    case_id=record.case_id)  # fmt: skip
    return None


def _by_evaluation(
    policy: Policy,
    s: EvaluationSettings,
    evaluations: Evaluations | None,
    subject_id: str,
    domain: str,
    on: dt.date,
) -> GradeInForce | None:
    if evaluations is None:
        return None
    scale = policy.domains[domain].scale
    chain = [e for e in evaluations.of(subject_id, domain) if e.evaluated_on <= on]
    if not chain:
        return None
    latest = chain[-1]
    until = _last_day(latest.evaluated_on, s.validity.value)
    if on > until:
        return None
    grade, capped = _capped(scale, chain, s.max_upgrade_per_year.value)
    basis = s.max_upgrade_per_year.basis if capped else s.validity.basis
    how: How = "capped_upgrade" if capped else "evaluation"
    return GradeInForce(grade, domain, how, latest.evaluated_on, until, basis, policy.key,
                        evaluation=latest)  # fmt: skip


def _capped(scale: GradeScale, chain: list[Evaluation], step: int) -> tuple[str, bool]:
    """The grade of the last evaluation, each year at most ``step`` grades above the year
    before (consecutive years only); and whether the cap bit."""
    rank: int | None = None
    capped, year = False, None
    for evaluation in chain:
        earned = scale.rank(scale.grade_for(evaluation.score))
        follows = rank is not None and year == evaluation.year - 1
        floor: int | None = rank - step if rank is not None and follows else None
        capped = floor is not None and earned < floor
        rank, year = (max(earned, floor) if floor is not None else earned), evaluation.year
    assert rank is not None
    return scale.names[rank], capped


def _by_default(
    policy: Policy, s: EvaluationSettings, status: CreditStatus, domain: str
) -> GradeInForce:
    provision = s.default_grade_with_record if status.records else s.default_grade
    how: How = "default_record" if status.records else "default"
    return GradeInForce(provision.value, domain, how, None, None, provision.basis, policy.key)


def score_grade(policy: Policy, domain: str, score: int | Fraction) -> str:
    """The grade ``score`` earns on ``domain``'s scale (no dynamic rule applied)."""
    ensure_instance(policy, Policy, "policy")
    ensure_str(domain, "domain")
    if domain not in policy.domains:
        raise UnknownName("domain", domain, policy.domains)
    return policy.domains[domain].scale.grade_for(score)
