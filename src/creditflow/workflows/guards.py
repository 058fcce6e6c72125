"""Named guards: the policy's conditions on a transition. Each returns None or a Refusal.

Every guard has its addresses: the policy setting paths it refuses under (``{kind}`` is the
case's kind, ``{severity}`` and ``{list}`` a severity and a list kind of the pack), declared
with :func:`_guard` above it and listed in :data:`GUARD_PATHS`. It refuses only through
:func:`refuse`, which names the path and looks its basis up in the pack, so a refusal, the
handbook and the tests name the same path (``docs/rules.md``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from creditflow._repr import shown
from creditflow.calendar.periods import Period
from creditflow.calendar.workdays import WorkdayCalendar
from creditflow.core.severity import Severity
from creditflow.policy.model import Provision
from creditflow.policy.transition import Governing, governing, governing_fraud_ban
from creditflow.workflows.bans import fraud_ban, fraud_record_end, original_information
from creditflow.workflows.case import Case
from creditflow.workflows.context import Refusal, TransitionContext
from creditflow.workflows.definitions import RECORD
from creditflow.workflows.effects import FRAUD_WINDOW, OBJECTABLE, REPAIR_COMMITMENT
from creditflow.workflows.settings import basis_at

__all__ = ["GUARDS", "GUARD_PATHS", "Guard", "refuse"]

Guard = Callable[[TransitionContext], Refusal | None]

GUARDS: dict[str, Guard] = {}
"""Every guard by the name machines use."""

GUARD_PATHS: dict[str, tuple[str, ...]] = {}
"""The addresses of every guard: the policy setting paths it may refuse under."""


def _guard(*paths: str) -> Callable[[Guard], Guard]:
    """Register a guard under its function's name, with the paths it may refuse under."""

    def register(guard: Guard) -> Guard:
        GUARDS[guard.__name__] = guard
        GUARD_PATHS[guard.__name__] = paths
        return guard

    return register


def refuse(
    ctx: TransitionContext,
    path: str,
    reason: str,
    *,
    compared: dt.date | None = None,
    governed_by: Provision[Any] | None = None,
) -> Refusal:
    """The one way a guard refuses: under the policy setting at ``path`` (``{kind}`` is the
    case's kind), with the pack's basis at that path (see
    :func:`~creditflow.workflows.settings.basis_at`), or the basis of ``governed_by``, the
    setting of another version that the transitional rule made govern this case."""
    where = path.format(kind=ctx.kind)
    basis = governed_by.basis if governed_by is not None else basis_at(ctx.policy, where)
    return Refusal(reason, compared=compared, rule=where, basis=basis.text)


@_guard("domains")
def known_domain(ctx: TransitionContext) -> Refusal | None:
    """A case is opened in a business domain the policy declares: grades and checks are per
    domain, and a case in an unknown one would count in none."""
    domain = ctx.value("domain")
    if not isinstance(domain, str) or domain not in ctx.policy.domains:
        known = ", ".join(ctx.policy.domains)
        return refuse(
            ctx, "domains", f"unknown domain {shown(domain)}; the policy's domains: {known}"
        )
    return None


@_guard("commitments.{kind}.breach_consequences")
def approval_named(ctx: TransitionContext) -> Refusal | None:
    """A commitment whose breach revokes an approval names that approval (or the application
    it is given in), so that the licensing system knows which one to revoke."""
    kind = ctx.policy.commitments[ctx.kind]
    if "revoke_approval" in kind.breach_consequences and not ctx.value("approval_id"):
        return refuse(
            ctx,
            "commitments.{kind}.breach_consequences",
            f"a commitment of kind {ctx.kind!r} must name the approval it stands for "
            "(approval_id): its breach revokes that approval",
        )
    return None


@_guard("severities.{kind}.publication_max")
def decision_date(ctx: TransitionContext) -> Refusal | None:
    """A credit record is entered on or after the date of its decision, given as a date."""
    given = ctx.value("decided_on")
    decided = given if isinstance(given, dt.date) else _iso_date(given)
    path = "severities.{kind}.publication_max"  # publication runs from the decision
    if decided is None:
        return refuse(ctx, path, f"decided_on must be a date (YYYY-MM-DD), got {shown(given)}")
    if decided > ctx.on:
        return refuse(
            ctx,
            path,
            f"the decision ({decided.isoformat()}) is after the entry ({ctx.on.isoformat()})",
            compared=ctx.on,
        )
    return None


@_guard("catalogue.kinds.licensing")
def licence_dates(ctx: TransitionContext) -> Refusal | None:
    """A licence (行政许可) is entered on or after its decision date, and its validity, when
    given, ends on or after that date: both written YYYY-MM-DD."""
    path = "catalogue.kinds.licensing"
    given = ctx.value("decided_on")
    decided = _iso_date(given.isoformat() if isinstance(given, dt.date) else given)
    if decided is None:
        return refuse(ctx, path, f"decided_on must be a date (YYYY-MM-DD), got {shown(given)}")
    if decided > ctx.on:
        return refuse(
            ctx,
            path,
            f"the decision ({decided.isoformat()}) is after the entry ({ctx.on.isoformat()})",
            compared=ctx.on,
        )
    until = ctx.value("valid_until")
    if until is None:
        return None
    end = _iso_date(until.isoformat() if isinstance(until, dt.date) else until)
    if end is None or end < decided:
        return refuse(
            ctx, path, f"valid_until must be a date on or after the decision, got {shown(until)}"
        )
    return None


@_guard("catalogue.kinds.licensing")
def validity_over(ctx: TransitionContext) -> Refusal | None:
    """A licence expires only after the last day of its validity (``valid_until``)."""
    until = ctx.value("valid_until")
    end = _iso_date(until.isoformat() if isinstance(until, dt.date) else until)
    if end is None:
        return refuse(ctx, "catalogue.kinds.licensing", "the licence has no valid_until date")
    if ctx.on <= end:
        return refuse(
            ctx,
            "catalogue.kinds.licensing",
            f"the licence is valid until {end.isoformat()} inclusive",
            compared=ctx.on,
        )
    return None


@_guard("catalogue.kinds.licensing")
def breached_commitment(ctx: TransitionContext) -> Refusal | None:
    """A licence revoked for a breached commitment names a commitment case of the licence's
    subject that is breached (信用承诺失信: the licence it was given on is revoked)."""
    named = ctx.value("commitment_case")
    if named is None:
        return None
    commitment = ctx.lookup(str(named))
    if commitment is None or commitment.machine != "commitment":
        reason = f"commitment_case {shown(named)} is not a commitment case in the book"
    elif commitment.subject_id != ctx.subject_id:
        reason = f"commitment {commitment.case_id} is another subject's"
    elif commitment.state != "breached":
        reason = f"commitment {commitment.case_id} is {commitment.state}, not breached"
    else:
        return None
    return refuse(ctx, "catalogue.kinds.licensing", reason)


def _iso_date(text: object) -> dt.date | None:
    """``text`` as a date if it is one written YYYY-MM-DD (the form stored), else None."""
    try:
        day = dt.date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return day if day is not None and day.isoformat() == text else None


@_guard("lists.{kind}.statement_period")
def statement_required(ctx: TransitionContext) -> Refusal | None:
    """A notice (事先告知) is sent only for list kinds that have a statement period."""
    kind = ctx.policy.lists[ctx.kind]
    if kind.statement_period is None:
        reason = f"list kind {ctx.kind!r} has no statement step: decide directly"
        return refuse(ctx, "lists.{kind}.statement_period", reason)
    return None


@_guard("lists.{kind}.statement_period", "lists.{kind}.objection_window")
def statement_done(ctx: TransitionContext) -> Refusal | None:
    """A listing is decided only after the statement period and the objection window passed
    (陈述申辩), or the subject waived them."""
    kind = ctx.policy.lists[ctx.kind]
    if kind.statement_period is None:
        return None
    assert ctx.case is not None
    if ctx.case.state != "notified":
        return refuse(ctx, "lists.{kind}.statement_period", "the subject must be notified first")
    if ctx.case.data.get("statement_waived"):
        return None  # 放弃陈述申辩: the statement and the objection to the proposal
    for deadline, setting, provision in (
        ("statement", "statement_period", kind.statement_period),
        ("objection_window", "objection_window", kind.objection_window),
    ):
        period = ctx.case.deadline(deadline)
        if provision is not None and period is not None and ctx.on <= period.last_day:
            return refuse(
                ctx,
                f"lists.{{kind}}.{setting}",
                f"the {setting.replace('_', ' ')} runs until {period.last_day.isoformat()} "
                "and was not waived",
                compared=ctx.on,
            )
    return None


@_guard("lists.{kind}.objection_window")
def within_objection_window(ctx: TransitionContext) -> Refusal | None:
    """An objection to a proposed listing is taken within the objection window only."""
    window = ctx.case.deadline("objection_window") if ctx.case else None
    path = "lists.{kind}.objection_window"
    if window is None or ctx.policy.lists[ctx.kind].objection_window is None:
        return refuse(ctx, path, f"list kind {ctx.kind!r} has no objection window")
    if ctx.on > window.last_day:
        closed = f"the objection window closed on {window.last_day.isoformat()}"
        return refuse(ctx, path, closed, compared=ctx.on)
    return None


@_guard("lists.{kind}.duration")
def expiry_reached(ctx: TransitionContext) -> Refusal | None:
    """A listing expires only after the last day of its duration."""
    return _after("expiry", ctx, "lists.{kind}.duration", "the listing runs until")


@_guard("lists.{kind}.early_removal_after")
def minimum_listing_passed(ctx: TransitionContext) -> Refusal | None:
    """Early removal only after the minimum period of the list kind."""
    path = "lists.{kind}.early_removal_after"
    if ctx.policy.lists[ctx.kind].early_removal_after is None:
        return refuse(ctx, path, f"list kind {ctx.kind!r} allows no early removal")
    return _after("early_removal", ctx, path, "early removal is possible after")


def _after(deadline: str, ctx: TransitionContext, path: str, text: str) -> Refusal | None:
    assert ctx.case is not None
    period = ctx.case.deadline(deadline)
    if period is None or ctx.on <= period.last_day:
        last = period.last_day.isoformat() if period else "(not started)"
        return refuse(ctx, path, f"{text} {last}", compared=ctx.on)
    return None


@_guard("repair")
def repair_approved(ctx: TransitionContext) -> Refusal | None:
    """Early removal only through an approved repair of this listing."""
    return _own_repair(ctx, "approved", "early removal needs an approved repair")


@_guard("repair")
def repair_revoked(ctx: TransitionContext) -> Refusal | None:
    """A listing is restored only because the repair that ended it was revoked (false
    materials found after approval)."""
    refusal = _own_repair(ctx, "revoked", "a listing is restored only when its repair is revoked")
    assert ctx.case is not None
    data = ctx.case.data
    if refusal is None and data.get("ended_by") != ctx.value("repair_case"):
        return refuse(
            ctx,
            "repair",
            f"the listing was not ended by repair {ctx.value('repair_case')} "
            f"(it was ended by {data.get('ended_by') or 'its expiry or a revocation'})",
        )
    return refusal


def _own_repair(
    ctx: TransitionContext, state: str, reason: str, key: str = "repair_case"
) -> Refusal | None:
    """The event's ``key`` must name a repair of this case, in ``state``."""
    repair = ctx.lookup(str(ctx.value(key)))
    assert ctx.case is not None
    if repair is None or repair.machine != "repair" or repair.state != state:
        return refuse(ctx, "repair", reason)
    if repair.data.get("target") != ctx.case.case_id:
        reason = f"repair {repair.case_id} is not a repair of this {ctx.machine}"
        return refuse(ctx, "repair", reason)
    return None


@_guard("objections")
def objection_upheld(ctx: TransitionContext) -> Refusal | None:
    """A listing is annulled only because an objection against it was upheld."""
    objection = ctx.lookup(str(ctx.value("objection_case")))
    assert ctx.case is not None
    if objection is None or objection.machine != "objection" or objection.state != "upheld":
        return refuse(ctx, "objections", "a listing is annulled only by an upheld objection")
    if objection.data.get("target") != ctx.case.case_id:
        reason = f"objection {objection.case_id} is not about this listing"
        return refuse(ctx, "objections", reason)
    return None


_CAUSE_PATHS = (
    "severities.{kind}.publication_max",
    "repair.fraud_publication",
    "repair",
    "objections",
    "lists.{list}",
)
"""Where a record's end or restore is refused: its window, or the case named as its cause."""


@_guard(*_CAUSE_PATHS)
def publication_over(ctx: TransitionContext) -> Refusal | None:
    """A record's publication ends at its maximum (``publication_end``), or earlier only for the
    ``cause`` the event names: an approved repair of the record, an objection upheld against it,
    or the end of the listing it was entered for."""
    if ctx.data.get("cause") is not None:
        wanted = {"repair": "approved", "objection": "upheld", "listing": "removed"}
        return _cause_holds(ctx, wanted)
    assert ctx.case is not None
    period = ctx.case.deadline("publication_end")
    if period is not None and ctx.on > period.last_day:
        return None
    last = period.last_day.isoformat() if period else "(not started)"
    return _window_refusal(
        ctx,
        f"publication runs until {last}; it ends earlier only for a cause: an approved repair, "
        "an upheld objection or the end of its listing",
        compared=ctx.on,
    )


@_guard(*_CAUSE_PATHS)
def end_undone(ctx: TransitionContext) -> Refusal | None:
    """A record is restored only when what ended it (``ended_by``) is undone and named as
    ``cause``: its repair revoked (false materials) or its listing restored. An upheld
    objection, or the end of the maximum, is final."""
    assert ctx.case is not None
    ended_by = ctx.case.data.get("ended_by")
    if ended_by is None or ctx.data.get("cause") != ended_by:
        return _window_refusal(
            ctx,
            f"a record is restored only when what ended it ({ended_by or 'its maximum'}) is undone",
        )
    return _cause_holds(ctx, {"repair": "revoked", "listing": "published"})


def _cause_holds(ctx: TransitionContext, wanted: dict[str, str]) -> Refusal | None:
    """The case named as ``cause`` is a repair, objection or listing of this record, in the
    state ``wanted`` for its workflow."""
    assert ctx.case is not None
    named = str(ctx.data["cause"])
    cause = ctx.lookup(named)
    if cause is None or cause.machine not in wanted:
        causes = ", ".join(wanted)
        return _window_refusal(
            ctx, f"{shown(named)} is no cause to {ctx.event} a record ({causes})"
        )
    state = wanted[cause.machine]
    if cause.machine == "repair":
        return _own_repair(ctx, state, f"repair {named} is not {state}", key="cause")
    if cause.machine == "objection":
        path = "objections"
        ours = cause.data.get("target") == ctx.case.case_id
    else:
        path = f"lists.{cause.kind}"
        ours = ctx.case.data.get("source_case") == named
    if not ours:
        return refuse(ctx, path, f"{cause.machine} {named} is not about this record")
    if cause.state != state:
        return refuse(ctx, path, f"{cause.machine} {named} is {cause.state}, not {state}")
    return None


_PUBLICATION = next(d for d in RECORD.deadlines if d.name == "publication_end")


def _window_refusal(
    ctx: TransitionContext, reason: str, compared: dt.date | None = None
) -> Refusal:
    """A refusal under the record's publication window (its severity's maximum, or the
    setting its ``window`` names)."""
    assert ctx.case is not None
    return refuse(ctx, _PUBLICATION.setting_for(ctx.case.data), reason, compared=compared)


@_guard(FRAUD_WINDOW)
def publication_window(ctx: TransitionContext) -> Refusal | None:
    """A record is published for its severity's maximum; only a record of false materials or a
    false commitment in a repair names ``window`` ``repair.fraud_publication``."""
    window = ctx.data.get("window")
    if window is None:
        return None
    source = ctx.lookup(str(ctx.data.get("source_case")))
    if window == FRAUD_WINDOW and source is not None and _false_in_repair(source):
        return None
    return refuse(
        ctx,
        FRAUD_WINDOW,
        f"window {shown(window)}: only a record of false materials or a false commitment in a "
        "repair (a revoked repair or a breached repair commitment as source_case) is published "
        f"for {FRAUD_WINDOW}",
    )


def _false_in_repair(source: Case) -> bool:
    """The source of a record of false materials or a false commitment in a repair: the
    repair revoked for them, or the breached repair commitment."""
    if source.machine == "commitment":
        return source.kind == REPAIR_COMMITMENT and source.state == "breached"
    return source.machine == "repair" and source.state == "revoked"


@_guard("repair")
def revocation_grounds(ctx: TransitionContext) -> Refusal | None:
    """A repair is revoked for false materials an official found, or, by the system, because
    the commitment it rests on was breached (a false commitment), named as
    ``commitment_case``."""
    assert ctx.case is not None
    named = ctx.data.get("commitment_case")
    if named is None:
        if ctx.actor.roles - {"system"}:
            return None
        reason = "the system revokes a repair only for a breach of the commitment it rests on"
        return refuse(ctx, "repair", reason)
    commitment = ctx.lookup(str(named))
    if (
        named != ctx.case.data.get("commitment_case")
        or commitment is None
        or commitment.state != "breached"
    ):
        reason = f"commitment {named} is not the breached commitment this repair rests on"
        return refuse(ctx, "repair", reason)
    return None


@_guard(
    "repair",
    FRAUD_WINDOW,
    "severities.{severity}.publication_min",
    "repair.materials",
    "repair.fraud_ban",
)
def repair_eligible(ctx: TransitionContext) -> Refusal | None:
    """Repair (信用修复) conditions: minimum publication, obligations, commitment, materials,
    no fraud ban."""
    for check in (_target_publishable, _obligations_and_commitment, _materials, _no_fraud_ban):
        refusal = check(ctx)
        if refusal is not None:
            return refusal
    return None


def _target_refusal(
    ctx: TransitionContext, target: Case | None, path: str, instead: str
) -> Refusal | None:
    """Why ``target`` cannot be what a repair or objection is about: it is no case of the
    subject of the right kind, or the record of a listing (``instead`` says what to do)."""
    if target is None or target.subject_id != ctx.subject_id or target.machine != ctx.kind:
        return refuse(ctx, path, f"no {ctx.kind} {shown(ctx.value('target'))} of this subject")
    if target.machine == "record" and target.data.get("record_kind") == "listing":
        return refuse(
            ctx,
            path,
            f"record {target.case_id} is the credit record of listing "
            f"{target.data.get('source_case')}: {instead}",
        )
    return None


def _target_publishable(ctx: TransitionContext) -> Refusal | None:
    target = ctx.lookup(str(ctx.value("target")))
    refusal = _target_refusal(ctx, target, "repair", "repair the listing, which ends both")
    if refusal is not None:
        return refusal
    assert target is not None
    if target.state != "published":
        return refuse(ctx, "repair", f"{target.machine} {target.case_id} is not in publication")
    never = fraud_record_end(target)
    if never is not None:
        return refuse(ctx, FRAUD_WINDOW, never)
    rules = _governing(ctx, target)
    if rules is None:
        reason = f"{target.machine} {target.case_id} cannot be repaired (no severity)"
        return refuse(ctx, "repair", reason)
    if rules.repair_after == "obligations_fulfilled":
        return None
    decided = dt.date.fromisoformat(str(target.data["decided_on"]))
    minimum = rules.publication_min
    last_day = ctx.calendar.add_period(decided, minimum.value, provisional=True).date
    if ctx.on <= last_day:  # over only once its last day has passed, as every period here
        severity = _severity_of(ctx, target)
        assert severity is not None
        return refuse(
            ctx,
            f"severities.{severity.value}.publication_min",
            f"the minimum publication period of {minimum.value} from "
            f"{decided.isoformat()} ends on {last_day.isoformat()}",
            compared=ctx.on,
            governed_by=minimum,
        )
    return None


def _governing(ctx: TransitionContext, target: Case) -> Governing | None:
    """The rules that govern the repair of ``target`` today: by the policy's transitional
    rule, the version in force on its decision date or today's (None: it has no severity)."""
    severity = _severity_of(ctx, target)
    decided = target.data.get("decided_on")
    if severity is None or decided is None:
        return None
    day = dt.date.fromisoformat(str(decided))
    old = ctx.policy_at(day)
    return governing(old, ctx.policy, severity, day, functools.partial(_last_day, ctx.calendar))


def _severity_of(ctx: TransitionContext, target: Case) -> Severity | None:
    if target.machine == "record":
        return Severity(target.kind)
    return ctx.policy.lists[target.kind].severity if target.kind in ctx.policy.lists else None


def _obligations_and_commitment(ctx: TransitionContext) -> Refusal | None:
    if ctx.value("obligations_fulfilled") is not True:
        return refuse(ctx, "repair", "the obligations of the decision are not fulfilled")
    commitment = ctx.lookup(str(ctx.value("commitment_case")))
    if (
        commitment is None
        or commitment.machine != "commitment"
        or commitment.kind != REPAIR_COMMITMENT
        or commitment.subject_id != ctx.subject_id
        or commitment.state not in ("made", "fulfilled")
    ):
        return refuse(ctx, "repair", "a repair commitment (信用承诺书) of this subject is required")
    return None


def _materials(ctx: TransitionContext) -> Refusal | None:
    """The materials of the version that governs the target (the transitional rule)."""
    target = ctx.lookup(str(ctx.value("target")))
    assert target is not None  # _target_publishable found it
    rules = _governing(ctx, target)
    materials = rules.materials if rules is not None else ctx.policy.repair.materials
    needed = set(materials.value)
    given = set(ctx.value("materials") or ())
    if needed - given:
        missing = f"materials missing: {', '.join(sorted(needed - given))}"
        return refuse(ctx, "repair.materials", missing, governed_by=materials)
    return None


def _no_fraud_ban(ctx: TransitionContext) -> Refusal | None:
    """No ban on repairing the original information this repair is about (the ban of the
    version that governs the revocation, by the transitional rule)."""
    target = ctx.lookup(str(ctx.value("target")))
    assert target is not None  # _target_publishable found it
    cases = ctx.subject_cases(ctx.subject_id)
    add = functools.partial(_last_day, ctx.calendar)

    def ban(revoked: dt.date) -> Period:
        return governing_fraud_ban(ctx.policy_at(revoked), ctx.policy, revoked, add).value

    found = fraud_ban(ban, cases, ctx.on, add, original_information(target))
    if found is None:
        return None
    return refuse(ctx, "repair.fraud_ban", found.reason, compared=ctx.on)


def _last_day(calendar: WorkdayCalendar, day: dt.date, period: Period) -> dt.date:
    return calendar.add_period(day, period, provisional=True).date


@_guard("repair.max_extensions", "repair.decision_deadline")
def extension_available(ctx: TransitionContext) -> Refusal | None:
    """The decision deadline is extended at most ``max_extensions`` times, each time before
    it has passed: an extension does not excuse a decision already late."""
    assert ctx.case is not None
    used = int(ctx.case.data.get("extensions", 0))
    allowed = ctx.policy.repair.max_extensions
    if used >= allowed.value:
        reason = f"the decision deadline was already extended {used} time(s)"
        return refuse(ctx, "repair.max_extensions", reason)
    deadline = ctx.case.deadline("decision")
    if deadline is not None and ctx.on > deadline.last_day:
        return refuse(
            ctx,
            "repair.decision_deadline",
            f"the decision deadline passed on {deadline.last_day.isoformat()}: it is overdue",
            compared=ctx.on,
        )
    return None


@_guard("objections")
def objection_target(ctx: TransitionContext) -> Refusal | None:
    """An objection is about a decided or published listing, or a published credit record, of
    the subject, dated on or after the day it came to be so."""
    target = ctx.lookup(str(ctx.value("target")))
    refusal = _target_refusal(ctx, target, "objections", "object to the listing")
    if refusal is not None:
        return refusal
    assert target is not None
    if target.state not in OBJECTABLE[target.machine]:
        allowed = " or ".join(OBJECTABLE[target.machine])
        return refuse(
            ctx,
            "objections",
            f"{target.machine} {target.case_id} is {target.state}; objections are taken only "
            f"against a {target.machine} {allowed}",
        )
    if ctx.on < target.last_on:
        return refuse(
            ctx,
            "objections",
            f"{target.machine} {target.case_id} became {target.state} on "
            f"{target.last_on.isoformat()}",
            compared=ctx.on,
        )
    return None
