"""The credit check (信用核查) a licensing, procurement or bidding system runs before deciding."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

from creditflow._validation import ensure_date, ensure_instance, ensure_str
from creditflow.book.book import CreditBook
from creditflow.book.status import CreditStatus
from creditflow.core.facts import Facts
from creditflow.core.identifiers import subject_id as checked_subject_id
from creditflow.core.labels import Label
from creditflow.core.privacy import masked_repr
from creditflow.errors import UnknownName, UnknownSubject
from creditflow.licensing._book import check_date, engine_for
from creditflow.licensing.evaluations import Evaluations
from creditflow.licensing.grades import GradeInForce, grade_on
from creditflow.policy.model import Basis, Policy, Purpose, PurposeRule
from creditflow.rules.decision import Decision

__all__ = ["Consequence", "CreditCheck", "check"]


@attrs.frozen
class Consequence:
    """A restriction (失信惩戒措施) or incentive (守信激励, "信易+") that applies to the matter.

    ``rule_id`` is the purpose rule, ``trigger`` what set it off (``"measure:fast_track"``,
    ``"list:serious"``, ``"flag:commitment_breached"``); ``normal`` is False when the matter
    may not proceed in the normal way under it.
    """

    measure: str
    effect: Literal["restriction", "incentive"]
    label: Label
    rule_id: str
    trigger: str
    normal: bool
    policy_version: str
    basis: Basis


@masked_repr
@attrs.frozen
class CreditCheck:
    """The result of :func:`check`: may the matter proceed normally, and with what.

    ``decision_rule`` / ``decision_basis`` name the row of the decision table the facts hit;
    ``policy_version`` (``name@version``) and ``policy_digest`` (its content digest) the exact
    pack that decided.
    """

    subject_id: str
    purpose: str
    on: dt.date
    domain: str
    proceed_normally: bool
    restrictions: tuple[Consequence, ...]
    incentives: tuple[Consequence, ...]
    grade: GradeInForce
    lists: frozenset[str]
    flags: frozenset[str]
    decision_rule: str
    decision_basis: str
    policy_version: str
    policy_digest: str

    def applies(self, measure: str) -> bool:
        """True if a restriction or incentive named ``measure`` applies."""
        return any(c.measure == measure for c in (*self.restrictions, *self.incentives))


def check(
    book: CreditBook,
    subject_id: str,
    *,
    purpose: str,
    on: dt.date,
    domain: str,
    evaluations: Evaluations | None = None,
    new_subject: bool = False,
) -> CreditCheck:
    """Check a subject's credit for ``purpose`` (licensing, procurement, bidding, subsidy,
    honours...) in ``domain`` on ``on``, by the pack in force on that date.

    Raises :class:`~creditflow.errors.UnknownName` for an unknown purpose or domain,
    :class:`~creditflow.errors.DateBeforeBook` for a date before the book's first event and
    :class:`~creditflow.errors.UnknownSubject` when the book has no case of the subject (on
    any date) and ``evaluations`` no evaluation of it (unless ``new_subject``: then it gets
    the new-subject grade).
    """
    ensure_instance(book, CreditBook, "book")
    ensure_str(domain, "domain")
    on = ensure_date(on, "on")
    subject = checked_subject_id(subject_id)
    policy = book.policy_on(on)
    chosen = _purpose(policy, purpose)
    check_date(book, on)
    status = book.status(subject, on=on, open_cases=False)  # they bear on nothing it reads
    if not new_subject and not _known(book, status, evaluations):
        raise UnknownSubject(subject)
    grade = grade_on(policy, status, evaluations, domain=domain, on=on)
    decision = engine_for(policy).decide(_facts(policy, status, grade))
    return _result(policy, chosen, status, grade, decision)


def _purpose(policy: Policy, purpose: object) -> Purpose:
    name = ensure_str(purpose, "purpose")
    if name not in policy.purposes:
        raise UnknownName("purpose", name, policy.purposes, where=f"policy {policy.key}")
    return policy.purposes[name]


def _known(book: CreditBook, status: CreditStatus, evaluations: Evaluations | None) -> bool:
    """Known: the book holds a case of the subject, or an evaluation of it is registered."""
    if status.records or status.listings or status.open_cases or status.flags:
        return True
    if evaluations is not None and evaluations.knows(status.subject_id):
        return True
    return book.knows(status.subject_id)


def _facts(policy: Policy, status: CreditStatus, grade: GradeInForce) -> Facts:
    lists = status.list_kinds & policy.lists.keys()
    flags = status.flags & policy.flags.keys()
    return Facts(domain=grade.domain, grade=grade.grade, lists=lists, flags=flags)


def _result(
    policy: Policy,
    purpose: Purpose,
    status: CreditStatus,
    grade: GradeInForce,
    decision: Decision,
) -> CreditCheck:
    found = _consequences(policy, purpose, decision, status)
    return CreditCheck(
        subject_id=status.subject_id,
        purpose=purpose.name,
        on=status.on,
        domain=grade.domain,
        proceed_normally=all(c.normal for c in found),
        restrictions=tuple(c for c in found if c.effect == "restriction"),
        incentives=tuple(c for c in found if c.effect == "incentive"),
        grade=grade,
        lists=decision.facts.lists,
        flags=decision.facts.flags,
        decision_rule=decision.rule_id,
        decision_basis=decision.basis,
        policy_version=policy.key,
        policy_digest=policy.digest,
    )


def _consequences(
    policy: Policy, purpose: Purpose, decision: Decision, status: CreditStatus
) -> list[Consequence]:
    """The purpose's rules that hold, in pack order, one per measure (the first rule wins)."""
    active = {"measure": decision.measures, "list": status.list_kinds, "flag": status.flags}
    found: dict[str, Consequence] = {}
    for rule in purpose.rules:
        if rule.name in active[rule.trigger] and rule.measure not in found:
            found[rule.measure] = _consequence(policy, rule)
    return list(found.values())


def _consequence(policy: Policy, rule: PurposeRule) -> Consequence:
    return Consequence(
        measure=rule.measure,
        effect=rule.effect,
        label=policy.measures[rule.measure].label,
        rule_id=rule.rule_id,
        trigger=f"{rule.trigger}:{rule.name}",
        normal=rule.normal,
        policy_version=policy.key,
        basis=rule.basis,
    )
