"""A subject's credit status on a date, derived from its cases (never stored twice)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping

import attrs

from creditflow.calendar.periods import Period
from creditflow.core.privacy import masked_repr
from creditflow.core.severity import Severity
from creditflow.policy.model import Policy
from creditflow.policy.transition import Governing, governing, governing_fraud_ban
from creditflow.workflows.bans import (
    FraudBan,
    fraud_ban,
    fraud_record_end,
    original_information,
)
from creditflow.workflows.case import Case
from creditflow.workflows.effects import record_id

AddPeriod = Callable[[dt.date, Period], dt.date]
Rules = Callable[[Severity, dt.date], Governing]  # the rules governing a record, by decision
_DAY = dt.timedelta(days=1)

_WITHDRAWN = "no_commit_and_approve"  # the breach consequence the flag stands for

__all__ = ["ActiveListing", "CreditStatus", "PublishedRecord", "RepairEligibility"]

BEARING_MACHINES = frozenset({"listing", "record"})
"""Machines whose cases bear on a status even when closed (an ended record, a removed listing)."""

BEARING_STATES = frozenset({"breached", "revoked"})
"""Final states that bear on a status: a breached commitment (its flag), a repair revoked for
false materials (the fraud ban)."""


@masked_repr
@attrs.frozen
class PublishedRecord:
    """A credit record in publication on the date asked: its window and what it records.

    ``repairable_from`` is the first day a repair may be granted as far as time goes: the day
    after the minimum publication period (the decision date when fulfilling the obligations
    suffices), or after a fraud ban on it if that ends later; None for the record of false
    materials or a false commitment, which is never repaired. The other conditions (a
    commitment, the materials) are in :attr:`CreditStatus.repair`.
    """

    case_id: str
    severity: str
    record_kind: str
    domain: str
    decided_on: dt.date
    publication_ends: dt.date
    repairable_from: dt.date | None
    summary: str


@attrs.frozen
class ActiveListing:
    """A listing in force on the date asked."""

    case_id: str
    kind: str
    decided_on: dt.date
    last_day: dt.date
    early_removal_from: dt.date | None


@attrs.frozen
class RepairEligibility:
    """Whether a record or listing may be repaired on the date asked, and why not."""

    target: str
    eligible: bool
    reasons: tuple[str, ...]


@masked_repr
@attrs.frozen
class CreditStatus:
    """What the book says of a subject on a date: records in publication with their windows,
    active listings, open cases, flags for the decision engine and repair eligibility."""

    subject_id: str
    on: dt.date
    records: tuple[PublishedRecord, ...]
    listings: tuple[ActiveListing, ...]
    open_cases: tuple[Case, ...]
    flags: frozenset[str]
    repair: tuple[RepairEligibility, ...]

    @property
    def list_kinds(self) -> frozenset[str]:
        """The kinds of the active listings (what :class:`creditflow.Facts` takes as lists)."""
        return frozenset(listing.kind for listing in self.listings)


def derive_status(
    policy: Policy,
    subject_id: str,
    cases: Iterable[Case],
    on: dt.date,
    add: AddPeriod,
    policy_at: Callable[[dt.date], Policy | None] | None = None,
) -> CreditStatus:
    """The status on ``on`` from the subject's cases (``add`` adds a policy period to a date)
    under ``policy``, in force on ``on``. ``policy_at`` gives the version in force on an
    earlier date: a record or listing decided under another version is judged by the rules
    the transitional rule of ``policy`` makes govern (:mod:`creditflow.policy.transition`);
    without it, by ``policy`` alone."""
    cases = [c for c in cases if c.opened_on <= on]

    @functools.cache
    def rules(severity: Severity, decided: dt.date) -> Governing:
        old = policy_at(decided) if policy_at is not None else None
        return governing(old, policy, severity, decided, add)

    records = tuple(r for c in cases if (r := _record(rules, c, on, add)) is not None)
    listings = tuple(x for c in cases if (x := _listing(c, on)) is not None)
    open_cases = tuple(c for c in cases if _open_on(c, on))
    by_id = {c.case_id: c for c in cases}

    def ban(revoked: dt.date) -> Period:
        old = policy_at(revoked) if policy_at is not None else None
        return governing_fraud_ban(old, policy, revoked, add).value

    def ban_on(target: str) -> FraudBan | None:
        return fraud_ban(ban, cases, on, add, original_information(by_id[target]))

    return CreditStatus(
        subject_id=subject_id,
        on=on,
        records=tuple(_barred(r, by_id[r.case_id], ban_on) for r in records),
        listings=listings,
        open_cases=open_cases,
        flags=_flags(policy, rules, cases, on),
        repair=_repair(policy, rules, records, listings, by_id, ban_on, on, add),
    )


def _barred(
    record: PublishedRecord, case: Case, ban_on: Callable[[str], FraudBan | None]
) -> PublishedRecord:
    """``record`` with ``repairable_from`` moved past a fraud ban on it, or None for the
    record of false materials, which is never repaired."""
    if record.record_kind == "listing":
        return record  # repaired through its listing
    if fraud_record_end(case) is not None:
        return attrs.evolve(record, repairable_from=None)
    ban, earliest = ban_on(record.case_id), record.repairable_from
    if ban is None or earliest is None or ban.until < earliest:
        return record
    return attrs.evolve(record, repairable_from=ban.until + _DAY)


def _off_on(case: Case, on: dt.date) -> bool:
    """True if the case's publication had ended by ``on``, or was interrupted that day (ended,
    later restored: a gap)."""
    ended = case.data.get("ended_on")
    if ended is not None and dt.date.fromisoformat(str(ended)) <= on:
        return True
    return case.interrupted_on(on)


def _open_on(case: Case, on: dt.date) -> bool:
    """True if the case was open on ``on`` (it was opened by then). No event leaves a final
    state but to reopen the case, so a closed case closed on its last event's date, and one
    reopened was closed in its ``gaps``."""
    return not (case.closed and case.last_on <= on) and not case.interrupted_on(on)


def _in_publication(rules: Rules, record: Case, on: dt.date) -> bool:
    """True if the credit record was published on ``on``: a published severity, within its
    window from the decision, and not ended (or interrupted) by then."""
    window = record.deadline("publication_end")
    decided = dt.date.fromisoformat(str(record.data["decided_on"]))
    return (
        rules(Severity(record.kind), decided).published
        and window is not None
        and decided <= on <= window.last_day
        and not _off_on(record, on)
    )


def _record(rules: Rules, case: Case, on: dt.date, add: AddPeriod) -> PublishedRecord | None:
    if case.machine != "record" or not _in_publication(rules, case, on):
        return None
    window = case.deadline("publication_end")
    assert window is not None  # in publication
    decided = dt.date.fromisoformat(str(case.data["decided_on"]))
    rule = rules(Severity(case.kind), decided)
    return PublishedRecord(
        case_id=case.case_id,
        severity=case.kind,
        record_kind=str(case.data["record_kind"]),
        domain=str(case.data["domain"]),
        decided_on=decided,
        publication_ends=window.last_day,
        repairable_from=_repairable_from(rule, decided, add),
        summary=str(case.data.get("summary", "")),
    )


def _repairable_from(rule: Governing, decided: dt.date, add: AddPeriod) -> dt.date:
    """The first day a record governed by ``rule`` decided on ``decided`` may be repaired:
    the day after the last day of its minimum publication period, unless fulfilling the
    obligations suffices."""
    if rule.repair_after == "obligations_fulfilled":
        return decided
    return add(decided, rule.publication_min.value) + _DAY


def _listing(case: Case, on: dt.date) -> ActiveListing | None:
    if case.machine != "listing" or "published_on" not in case.data:
        return None
    published = dt.date.fromisoformat(str(case.data["published_on"]))
    expiry = case.deadline("expiry")
    if published > on or expiry is None or on > expiry.last_day or _off_on(case, on):
        return None
    if case.state not in ("published", "removed"):
        return None
    early = case.deadline("early_removal")
    return ActiveListing(
        case_id=case.case_id,
        kind=case.kind,
        decided_on=dt.date.fromisoformat(str(case.data["decided_on"])),
        last_day=expiry.last_day,
        early_removal_from=early.last_day + _DAY if early else None,
    )


def _flags(policy: Policy, rules: Rules, cases: list[Case], on: dt.date) -> frozenset[str]:
    """``commitment_breached``: a breach of a commitment kind whose consequences withdraw
    commit-and-approve, whose credit record is in publication on ``on``."""
    records = {c.case_id: c for c in cases if c.machine == "record"}
    for case in cases:
        if case.machine != "commitment" or case.state != "breached" or case.last_on > on:
            continue
        kind = policy.commitments.get(case.kind)
        if kind is None or _WITHDRAWN not in kind.breach_consequences:
            continue
        record = records.get(record_id(case.case_id))
        if record is not None and _in_publication(rules, record, on):
            return frozenset({"commitment_breached"})
    return frozenset()


def _repair(
    policy: Policy,
    rules: Rules,
    records: tuple[PublishedRecord, ...],
    listings: tuple[ActiveListing, ...],
    by_id: Mapping[str, Case],
    ban_on: Callable[[str], FraudBan | None],
    on: dt.date,
    add: AddPeriod,
) -> tuple[RepairEligibility, ...]:
    """Eligibility for repair of each record in publication and each listing in force that
    records dishonesty (a listing is repaired by its early removal, which ends its record:
    the record of a listing has no entry of its own). ``ban_on`` gives the fraud ban on
    repairing a case, if any; the record of false materials is never repaired."""
    found = []
    for r in records:
        if r.record_kind == "listing":
            continue
        never = fraud_record_end(by_id[r.case_id])
        if never is not None:
            found.append(RepairEligibility(r.case_id, False, (never,)))
            continue
        period, earliest = "minimum publication period", r.repairable_from
        assert earliest is not None  # only a fraud record has none, and it is never repaired
        found.append(_eligibility(r.case_id, earliest, period, ban_on(r.case_id), on))
    for listing in listings:
        kind = policy.lists.get(listing.kind)
        if kind is None or kind.severity is None:
            continue  # a red listing: nothing to repair
        if listing.early_removal_from is None:
            reason = f"list kind {listing.kind!r} allows no early removal"
            found.append(RepairEligibility(listing.case_id, False, (reason,)))
            continue
        # The repair guard also holds the listing to its severity's minimum publication.
        governed = rules(kind.severity, listing.decided_on)
        record_min = _repairable_from(governed, listing.decided_on, add)
        earliest = max(listing.early_removal_from, record_min)
        ban = ban_on(listing.case_id)
        found.append(_eligibility(listing.case_id, earliest, "minimum listing period", ban, on))
    return tuple(found)


def _eligibility(
    target: str, earliest: dt.date, period: str, ban: FraudBan | None, on: dt.date
) -> RepairEligibility:
    reasons = []
    if on < earliest:
        reasons.append(f"the {period} runs until {(earliest - _DAY).isoformat()}")
    if ban is not None:
        reasons.append(ban.reason)
    if reasons:
        return RepairEligibility(target, False, tuple(reasons))
    return RepairEligibility(
        target, True, ("also needs: obligations fulfilled, a repair commitment, the materials",)
    )
