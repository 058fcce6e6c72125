"""Public notices (信用信息公示) from a credit book, on a date: the extract and its model.

What is extracted is already fit for publication: a person's resident ID is masked here, as
subject and wherever it was typed into free text such as the basis (:mod:`creditflow.core.privacy`),
so no renderer can show it, and a listing is taken only while the book's status shows it active
on the date (:func:`creditflow.book.status.derive_status`), so a listing whose last day is D
appears on D and not on D+1 -- the notice never shows what the policy no longer publishes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import attrs

from creditflow._gc import gc_paused
from creditflow._validation import ensure_date, ensure_instance
from creditflow.book.book import CreditBook
from creditflow.book.encoding import GENESIS
from creditflow.book.status import ActiveListing, derive_status
from creditflow.calendar.periods import Period
from creditflow.calendar.workdays import WorkdayCalendar
from creditflow.core.labels import Label
from creditflow.core.privacy import mask_name, mask_resident_ids, public_id
from creditflow.errors import UnknownCase
from creditflow.policy.model import Policy
from creditflow.workflows.case import Case

__all__ = ["CommitmentNotice", "ListingNotice", "Notices", "RepairNotice", "extract_notices"]

_SHOWN_COMMITMENTS = frozenset({"made", "fulfilled", "breached"})
_NONE = Label("", "")


@attrs.frozen
class ListingNotice:
    """A listing in publication, as 国办发〔2020〕49号 has a listing decision state it: the
    party (``name`` and code ``subject``, both masked for a person), the list, the domain, the
    grounds (事由), basis (依据) and measures (惩戒措施), the decision's document number and
    authority where the book has them (else ""), the decision and publication dates, the last
    day of publication, the removal conditions and procedure, and the remedies."""

    case_id: str
    subject: str
    kind: Label
    domain: Label
    decided_on: dt.date
    published_on: dt.date
    last_day: dt.date
    basis: str
    name: str = ""
    grounds: str = ""
    measures: tuple[Label, ...] = ()
    removal_conditions: str = ""
    remedies: str = ""
    document_number: str = ""
    authority: str = ""


@attrs.frozen
class CommitmentNotice:
    """A commitment made public (信用承诺公示) and its state on the date of the notice; the
    party's ``name`` (masked for a person) where the book has it."""

    case_id: str
    subject: str
    kind: Label
    domain: Label
    made_on: dt.date
    state: str
    name: str = ""


@attrs.frozen
class RepairNotice:
    """A completed (approved) credit repair: the party (``name`` and code, masked for a person)
    and what was repaired (``repaired``: the list or the record's severity), not case ids;
    ``target`` is the repaired case's id, for developers."""

    case_id: str
    subject: str
    target: str
    approved_on: dt.date
    name: str = ""
    repaired: Label = attrs.field(factory=lambda: _NONE)


@attrs.frozen
class Notices:
    """Everything public on ``on`` under ``policy_key`` (the pack's ``name@version``; its
    content digest is ``policy_digest``), read from the book at ``head``.

    ``head`` is the book's head (:meth:`CreditBook.head <creditflow.book.CreditBook.head>`:
    the sequence number and hash of its last event) after the notices were read: printed as
    :attr:`anchor`, it lets anyone check later that the book still holds what was published.
    """

    on: dt.date
    policy_key: str
    listings: tuple[ListingNotice, ...]
    commitments: tuple[CommitmentNotice, ...]
    repairs: tuple[RepairNotice, ...]
    head: tuple[int, str] = (0, GENESIS)
    policy_digest: str = ""

    @property
    def anchor(self) -> str:
        """The head as published: ``SEQ:HASH`` (checked by ``creditflow verify --db BOOK
        --anchor SEQ:HASH``)."""
        seq, digest = self.head
        return f"{seq}:{digest}"


def extract_notices(
    book: CreditBook, on: dt.date, *, calendar: WorkdayCalendar | None = None
) -> Notices:
    """The notices of ``book`` on ``on``, under the policy in force that day."""
    ensure_instance(book, CreditBook, "book")
    on = ensure_date(on, "on")
    with gc_paused():  # many small acyclic objects: a full collection would walk them all
        return _extract(book, on, calendar)


def _extract(book: CreditBook, on: dt.date, calendar: WorkdayCalendar | None) -> Notices:
    """One pass over the cases for the names and the few listings and repairs, one over the
    commitments for their notices: no case is held but listings and repairs, so that a book
    of millions of cases is extracted in the memory its notices take."""
    policy = book.policy_on(on)
    names = _Names()
    kept: dict[str, list[Case]] = {"listing": [], "repair": []}
    for case in book.cases():
        if case.opened_on <= on:
            names.add(case)
            if case.machine in kept:
                kept[case.machine].append(case)
    days = calendar or WorkdayCalendar.china()
    listings = tuple(_listings(policy, kept["listing"], on, days, names))
    made = (c for c in book.cases(machine="commitment") if c.opened_on <= on)
    commitments = tuple(_commitments(policy, made, on, names))
    repairs = tuple(_repairs(policy, book, kept["repair"], on, names))
    # read last: the anchor covers every event the notices were made from
    head = book.head()
    return Notices(on, policy.key, listings, commitments, repairs, head, policy.digest)


class _Names:
    """The party's name by subject, from the ``subject_name`` any of its cases was given,
    masked for a person (:func:`creditflow.core.privacy.mask_name`): the first of its cases
    of the first workflow seen to give one."""

    def __init__(self) -> None:
        self._by_machine: dict[str, dict[str, str]] = {}

    def add(self, case: Case) -> None:
        names = self._by_machine.setdefault(case.machine, {})
        name = case.data.get("subject_name")
        if isinstance(name, str) and name.strip():
            names.setdefault(case.subject_id, name.strip())

    def of(self, subject_id: str) -> str:
        name = next((n[subject_id] for n in self._by_machine.values() if subject_id in n), "")
        if name and public_id(subject_id) != subject_id:  # a person: the ID was masked
            return mask_name(name)
        return mask_resident_ids(name)


def _text(case: Case, field: str) -> str:
    """A text field of the case's data, persons masked ("" when absent)."""
    return mask_resident_ids(str(case.data.get(field, "") or ""))


def _label(labels: dict[str, Label], name: str) -> Label:
    return labels.get(name, Label(name, name))


def _domains(policy: Policy) -> dict[str, Label]:
    return {name: d.label for name, d in policy.domains.items()}


def _listings(
    policy: Policy, cases: list[Case], on: dt.date, days: WorkdayCalendar, names: _Names
) -> list[ListingNotice]:
    def add(day: dt.date, period: Period) -> dt.date:
        return days.add_period(day, period, provisional=True).date

    by_subject: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_subject[case.subject_id].append(case)
    by_id = {c.case_id: c for c in cases}
    found = []
    for subject_id, subject_cases in by_subject.items():
        status = derive_status(policy, subject_id, subject_cases, on, add)
        found += [_listing(policy, by_id[x.case_id], x, names) for x in status.listings]
    return sorted(found, key=lambda n: (n.published_on, n.case_id))


def _listing(policy: Policy, case: Case, active: ActiveListing, names: _Names) -> ListingNotice:
    kinds = {name: k.label for name, k in policy.lists.items()}
    measures = {name: m.label for name, m in policy.measures.items()}
    chosen = case.data.get("measures") or ()
    return ListingNotice(
        case_id=case.case_id,
        subject=public_id(case.subject_id),
        kind=_label(kinds, case.kind),
        domain=_label(_domains(policy), str(case.data.get("domain", ""))),
        decided_on=active.decided_on,
        published_on=dt.date.fromisoformat(str(case.data["published_on"])),
        last_day=active.last_day,
        basis=_text(case, "basis"),
        name=names.of(case.subject_id),
        grounds=_text(case, "grounds"),
        measures=tuple(_label(measures, str(m)) for m in chosen),
        removal_conditions=_text(case, "removal_conditions"),
        remedies=_text(case, "remedies"),
        document_number=_text(case, "document_number"),
        authority=_text(case, "authority"),
    )


def _commitments(
    policy: Policy, cases: Iterable[Case], on: dt.date, names: _Names
) -> list[CommitmentNotice]:
    """Commitments made by ``on``; a commitment changed after ``on`` was still ``made``."""
    kinds = {name: k.label for name, k in policy.commitments.items()}
    domains = _domains(policy)
    days: dict[dt.date, dt.date] = {}  # the days and states many notices repeat, kept once
    states: dict[str, str] = {}
    found = []
    for case in cases:
        state = case.state if case.last_on <= on else "made"
        if state in _SHOWN_COMMITMENTS:
            found.append(
                CommitmentNotice(
                    case_id=case.case_id,
                    subject=public_id(case.subject_id),
                    kind=_label(kinds, case.kind),
                    domain=_label(domains, str(case.data.get("domain", ""))),
                    made_on=days.setdefault(case.opened_on, case.opened_on),
                    state=states.setdefault(state, state),
                    name=names.of(case.subject_id),
                )
            )
    found.sort(key=lambda n: (n.made_on, n.case_id))
    return found


def _repairs(
    policy: Policy, book: CreditBook, cases: Iterable[Case], on: dt.date, names: _Names
) -> list[RepairNotice]:
    """Repairs approved by ``on`` and not revoked since (approval is their last event)."""
    found = []
    for case in cases:
        if case.state != "approved" or case.last_on > on:
            continue
        target = str(case.data.get("target", ""))
        found.append(
            RepairNotice(
                case_id=case.case_id,
                subject=public_id(case.subject_id),
                target=mask_resident_ids(target),
                approved_on=case.last_on,
                name=names.of(case.subject_id),
                repaired=_repaired(policy, book, target),
            )
        )
    return sorted(found, key=lambda n: (n.approved_on, n.case_id))


def _repaired(policy: Policy, book: CreditBook, target: str) -> Label:
    """What a repair repaired, for people: the list, or the severity of the credit record."""
    try:
        case = book.get(target)
    except UnknownCase:
        return _NONE
    if case.machine == "listing" and case.kind in policy.lists:
        return policy.lists[case.kind].label
    severities = {s.value: rule.label for s, rule in policy.severities.items()}
    return severities.get(case.kind, Label(case.kind, case.kind))
