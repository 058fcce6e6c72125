"""Named effects: what a transition changes in its own case, asks of other cases, or reports.

An effect function returns an :class:`EffectResult`: updates to the case's own data, follow-up
events on other cases (opened or fired by the ``system`` actor in the same transaction), and
:class:`~creditflow.workflows.case.Effect` values reported to the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from creditflow.workflows.case import Case, Effect
from creditflow.workflows.context import TransitionContext

__all__ = [
    "CASE_UPDATES",
    "EFFECTS",
    "EFFECT_PATHS",
    "FRAUD_WINDOW",
    "REPAIR_COMMITMENT",
    "EffectResult",
    "FollowUp",
    "record_id",
]

FRAUD_WINDOW = "repair.fraud_publication"
"""The policy path of how long a record of false materials in a repair is published."""

REPAIR_COMMITMENT = "repair"
"""The commitment kind a repair rests on (信用修复型承诺)."""


@attrs.frozen
class FollowUp:
    """An event the book fires as ``system`` in the same transaction.

    With ``kind`` set, a new case of ``machine`` and ``kind`` is opened for the same subject
    under ``case_id``, which is derived from the source case (``<source>.record``) so that a
    replay of the events finds it again without storing a link.
    """

    machine: str
    event: str
    data: Mapping[str, Any]
    case_id: str
    kind: str | None = None


@attrs.frozen
class EffectResult:
    """What one effect does."""

    updates: Mapping[str, Any] = attrs.field(factory=dict)
    follow_ups: tuple[FollowUp, ...] = ()
    reported: tuple[Effect, ...] = ()


Effector = Callable[[TransitionContext], EffectResult]

EFFECTS: dict[str, Effector] = {}
"""Every effect by the name machines use."""

EFFECT_PATHS: dict[str, tuple[str, ...]] = {}
"""The addresses of every effect: the policy setting paths it acts on (``{kind}`` is the
case's kind, ``{kinds}`` the policy table of the machine's kinds: ``lists``, ``severities``)."""


def _effect(*paths: str) -> Callable[[Effector], Effector]:
    """Register an effect under its function's name, with the paths it acts on."""

    def register(effect: Effector) -> Effector:
        EFFECTS[effect.__name__] = effect
        EFFECT_PATHS[effect.__name__] = paths
        return effect

    return register


@_effect("lists.{kind}.statement_period")
def mark_waived(ctx: TransitionContext) -> EffectResult:
    """The subject waived the statement period (放弃陈述申辩): a decision need not wait."""
    return EffectResult(updates={"statement_waived": True})


@_effect("lists.{kind}")
def mark_decided(ctx: TransitionContext) -> EffectResult:
    """The decision date: list periods run from the decision document."""
    return EffectResult(updates={"decided_on": ctx.on.isoformat()})


@_effect("{kinds}.{kind}")
def mark_published(ctx: TransitionContext) -> EffectResult:
    """The first day of publication; a restore keeps it and records the interruption it ends
    in ``gaps`` (``[ended_on, restored_on]`` pairs), so that a status on any past date reads
    what was published that day."""
    ended = ctx.case.data.get("ended_on") if ctx.case else None
    if ended is None:
        return EffectResult(updates={"published_on": ctx.on.isoformat(), "ended_on": None})
    assert ctx.case is not None
    gaps = [*ctx.case.data.get("gaps", ()), [ended, ctx.on.isoformat()]]
    return EffectResult(updates={"ended_on": None, "ended_by": None, "gaps": gaps})


_CAUSES = ("cause", "repair_case", "objection_case")
"""The data fields that name the case whose act ends a listing or record."""


@_effect("{kinds}.{kind}")
def mark_ended(ctx: TransitionContext) -> EffectResult:
    """The day publication ended, and ``ended_by``: the case whose act ended it (an approved
    repair, an upheld objection, the listing of a record), or None when it ran its course or
    the authority revoked it. Only undoing that act restores it."""
    cause = next((ctx.data[field] for field in _CAUSES if field in ctx.data), None)
    return EffectResult(updates={"ended_on": ctx.on.isoformat(), "ended_by": cause})


@_effect("repair.max_extensions")
def count_extension(ctx: TransitionContext) -> EffectResult:
    """One more extension of the repair decision deadline."""
    used = int(ctx.case.data.get("extensions", 0)) if ctx.case else 0
    return EffectResult(updates={"extensions": used + 1})


@_effect("commitments.{kind}.breach_severity")
def breach_record(ctx: TransitionContext) -> EffectResult:
    """A breached commitment (违诺) enters a credit record of the kind's breach severity; a
    false repair commitment is published for ``repair.fraud_publication``, as false
    materials are."""
    severity = ctx.policy.commitments[ctx.kind].breach_severity
    window = FRAUD_WINDOW if ctx.kind == REPAIR_COMMITMENT else None
    follow = _record(ctx, severity.value, "commitment_breach", suffix="record", window=window)
    return EffectResult(
        follow_ups=(follow,),
        reported=(Effect("credit_record", {"severity": severity.value}),),
    )


@_effect("commitments.{kind}.breach_consequences")
def breach_consequences(ctx: TransitionContext) -> EffectResult:
    """The consequences the commitment kind names; ``revoke_approval`` is for the caller."""
    reported = []
    for name in ctx.policy.commitments[ctx.kind].breach_consequences:
        if name == "credit_record":
            continue  # entered by breach_record
        data = {"approval_id": ctx.value("approval_id")} if name == "revoke_approval" else {}
        external = name in ("revoke_approval", "watch_list")
        reported.append(Effect(name, data, external=external))
    return EffectResult(reported=tuple(reported))


@_effect(f"commitments.{REPAIR_COMMITMENT}")
def revoke_repairs(ctx: TransitionContext) -> EffectResult:
    """A breached repair commitment is a false commitment in a repair: the repairs approved on
    it are revoked as for false materials (restoring what they removed, barring repair)."""
    assert ctx.case is not None
    if ctx.kind != REPAIR_COMMITMENT:
        return EffectResult()
    promise = ctx.case.case_id
    data = {
        "summary": f"commitment {promise} breached: a false commitment",
        "commitment_case": promise,
    }
    return EffectResult(
        follow_ups=tuple(
            FollowUp("repair", "revoke", data, repair.case_id)
            for repair in ctx.subject_cases(ctx.subject_id)
            if repair.machine == "repair"
            and repair.state == "approved"
            and repair.data.get("commitment_case") == promise
        )
    )


@_effect("lists.{kind}.severity")
def listing_record(ctx: TransitionContext) -> EffectResult:
    """A published listing of a kind with a severity is also a credit record."""
    severity = ctx.policy.lists[ctx.kind].severity
    if severity is None:
        return EffectResult()
    return EffectResult(
        follow_ups=(_record(ctx, severity.value, "listing", suffix="record"),),
        reported=(Effect("credit_record", {"severity": severity.value}),),
    )


@_effect("lists.{kind}")
def end_listing_record(ctx: TransitionContext) -> EffectResult:
    """The listing's record ends publication with it."""
    assert ctx.case is not None
    record = ctx.lookup(record_id(ctx.case.case_id))
    if record is None or record.state != "published":
        return EffectResult()
    return EffectResult(follow_ups=(_on_record(ctx, "end", f"listing {ctx.event}", record),))


@_effect("lists.{kind}.record_restarts_on_restore")
def restore_listing_record(ctx: TransitionContext) -> EffectResult:
    """A restored listing restores its record, if the listing's end had ended it, within the
    record's first window: a record is never published beyond its severity's maximum from
    the decision (Order 36), although the listing may run anew from the restore
    (``lists.<kind>.restarts_on_restore``). Only a pack that says so explicitly
    (``lists.<kind>.record_restarts_on_restore``) publishes the record anew from the restore
    too, for its own maximum."""
    assert ctx.case is not None
    record = ctx.lookup(record_id(ctx.case.case_id))
    if record is None or record.state != "ended" or record.data.get("ended_by") != ctx.case.case_id:
        return EffectResult()
    restarts = ctx.policy.lists[ctx.kind].record_restarts_on_restore
    anew = {"restart": True} if restarts is not None and restarts.value is True else {}
    return EffectResult(
        follow_ups=(_on_record(ctx, "restore", "listing restored", record, **anew),)
    )


def _on_record(
    ctx: TransitionContext, event: str, reason: str, record: Case, **data: Any
) -> FollowUp:
    """``event`` on a record, naming this case as its cause."""
    assert ctx.case is not None
    return FollowUp(
        "record", event, {"reason": reason, "cause": ctx.case.case_id, **data}, record.case_id
    )


def record_id(source_case: str, suffix: str = "record") -> str:
    """The id of the credit record a case enters (``L-12.record``, ``R-7.fraud``)."""
    return f"{source_case}.{suffix}"


@_effect("repair")
def repair_target(ctx: TransitionContext) -> EffectResult:
    """An approved repair ends the record's publication, or removes the listing early."""
    target, case = _target(ctx)
    if target.machine == "listing":
        data: dict[str, Any] = {"repair_case": case.case_id}
        follow = FollowUp("listing", "remove_early", data, target.case_id)
    else:
        follow = _on_record(ctx, "end", f"repair {case.case_id} approved", target)
    return EffectResult(follow_ups=(follow,), reported=(Effect("publication_ended"),))


@_effect("repair")
def restore_target(ctx: TransitionContext) -> EffectResult:
    """A revoked repair (false materials) restores the listing or record it ended."""
    target, case = _target(ctx)
    if target.machine == "listing":
        data = {"repair_case": case.case_id}
        follow = FollowUp("listing", "restore", data, case_id=target.case_id)
    else:
        follow = _on_record(ctx, "restore", f"repair {case.case_id} revoked", target)
    return EffectResult(follow_ups=(follow,), reported=(Effect("publication_restored"),))


@_effect(FRAUD_WINDOW, "repair.fraud_ban")
def fraud_record(ctx: TransitionContext) -> EffectResult:
    """False materials in a repair are recorded as serious dishonesty, published for
    ``repair.fraud_publication``, and bar repair of the repair's target (``repair_barred``
    names it). A repair revoked for its breached
    commitment is not recorded again: the breach entered the record."""
    ban = {"for": str(ctx.policy.repair.fraud_ban.value), "target": str(ctx.value("target"))}
    barred = (Effect("repair_barred", ban),)
    if ctx.data.get("commitment_case") is not None:
        return EffectResult(reported=barred)
    target = ctx.lookup(str(ctx.value("target")))
    domain = target.data.get("domain") if target else None
    follow = _record(
        ctx, "serious", "repair_fraud", suffix="fraud", domain=domain, window=FRAUD_WINDOW
    )
    return EffectResult(follow_ups=(follow,), reported=barred)


OBJECTABLE = {"listing": ("decided", "published"), "record": ("published",)}
"""The states a listing or record can be objected to in: those an upheld objection ends."""


@_effect("objections")
def annul_target(ctx: TransitionContext) -> EffectResult:
    """An upheld objection ends the record's publication or annuls the listing, unless it
    has ended meanwhile (another objection upheld, a repair, its maximum reached)."""
    target, case = _target(ctx)
    if target.state not in OBJECTABLE[target.machine]:
        return EffectResult()
    if target.machine == "listing":
        data = {"objection_case": case.case_id}
        follow = FollowUp("listing", "annul", data, case_id=target.case_id)
    else:
        follow = _on_record(ctx, "end", f"objection {case.case_id} upheld", target)
    return EffectResult(follow_ups=(follow,), reported=(Effect("record_annulled"),))


def _target(ctx: TransitionContext) -> tuple[Case, Case]:
    """The case a repair or objection is about (its guard made sure it exists), and the case."""
    target = ctx.lookup(str(ctx.value("target")))
    assert target is not None, "guarded by repair_eligible / objection_target"
    assert ctx.case is not None
    return target, ctx.case


def _record(
    ctx: TransitionContext,
    severity: str,
    record_kind: str,
    *,
    suffix: str,
    domain: object = None,
    window: str | None = None,
) -> FollowUp:
    data = {
        "domain": domain or ctx.value("domain"),
        "record_kind": record_kind,
        "decided_on": str(ctx.value("decided_on") or ctx.on.isoformat()),
        "summary": str(ctx.value("summary") or ctx.value("grounds") or record_kind),
        "source_case": ctx.case.case_id if ctx.case else None,
    }
    if window is not None:
        data["window"] = window
    assert ctx.case is not None
    return FollowUp("record", "enter", data, record_id(ctx.case.case_id, suffix), kind=severity)


CASE_UPDATES = frozenset(
    {
        "mark_waived",
        "mark_decided",
        "count_extension",
        "mark_published",
        "mark_ended",
    }
)
"""The effects that change their own case's data: the only ones a replay must run (the
others open or fire other cases, whose events are recorded on their own)."""
