"""The transition function: (case, event, policy, calendar) -> (case', effects, follow-ups).

Pure: it reads other cases only through the context and writes nothing. Every refusal is a
:class:`~creditflow.errors.TransitionRefused` (or :class:`~creditflow.errors.NotPermitted`)
naming the case, event, state, guard, date and rule.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from creditflow._validation import MAX_JSON_DEPTH, MAX_JSON_INTEGER, ensure_json
from creditflow.calendar.periods import Period
from creditflow.calendar.workdays import CalendarDate, WorkdayCalendar
from creditflow.errors import InvalidDate, NotPermitted, TransitionRefused
from creditflow.policy.model import Provision
from creditflow.policy.transition import lighter_period, transitional_rule
from creditflow.workflows.case import Case, DeadlineState, Effect, copied
from creditflow.workflows.context import TransitionContext
from creditflow.workflows.definitions import MACHINES
from creditflow.workflows.effects import CASE_UPDATES, EFFECTS, FollowUp
from creditflow.workflows.fields import check_fields, fields_fit
from creditflow.workflows.guards import GUARDS
from creditflow.workflows.machine import DeadlineRule, Machine, Transition
from creditflow.workflows.settings import resolve

__all__ = ["Outcome", "apply"]


@attrs.frozen
class Outcome:
    """The result of one transition: the new case, what it reports, what it asks of others."""

    case: Case
    effects: tuple[Effect, ...]
    follow_ups: tuple[FollowUp, ...]


def apply(ctx: TransitionContext, case_id: str, *, replay: bool = False) -> Outcome:
    """Apply ``ctx.event`` to ``ctx.case`` (or open case ``case_id`` with the opening event).

    ``replay=True`` re-applies a recorded event: it was checked when it was written, so the
    permission, date and guard checks are skipped (the actor's roles are not recorded).
    """
    machine = MACHINES[ctx.machine]
    transition = _transition(machine, ctx, case_id)
    if replay:
        return _outcome(machine, transition, ctx, case_id, replay=True)
    _check_data(transition, ctx, case_id)
    _check_permission(machine, transition, ctx, case_id)
    if ctx.case is not None and ctx.on < ctx.case.last_on:
        raise _refused(
            ctx,
            case_id,
            f"the date is before the case's last event ({ctx.case.last_on.isoformat()})",
            compared=ctx.on,
        )
    for name in transition.guards:
        refusal = GUARDS[name](ctx)
        if refusal is not None:
            raise _refused(
                ctx,
                case_id,
                refusal.reason,
                guard=name,
                compared=refusal.compared,
                rule=refusal.rule,
                basis=refusal.basis,
                path=refusal.rule,
            )
    return _outcome(machine, transition, ctx, case_id)


def _transition(machine: Machine, ctx: TransitionContext, case_id: str) -> Transition:
    transition = machine.transition(ctx.event)
    if transition is None:
        raise _refused(
            ctx,
            case_id,
            f"{machine.name} has no event {ctx.event!r}; events: {', '.join(machine.events)}",
        )
    if ctx.case is None and transition.sources:
        raise _refused(ctx, case_id, f"a {machine.name} case opens with {machine.opening.event!r}")
    if ctx.case is not None and ctx.case.state not in transition.sources:
        allowed = ", ".join(transition.sources) or "(opening only)"
        raise _refused(ctx, case_id, f"{ctx.event!r} fires only from {allowed}")
    return transition


def _check_data(transition: Transition, ctx: TransitionContext, case_id: str) -> None:
    given = ctx.data.keys()
    if not (transition.required_fields <= given <= transition.accepted_fields):
        missing = [f for f in transition.required if f not in given]
        extra = [f for f in given if f not in transition.accepted_fields]
        parts = ([f"missing data {missing}"] if missing else []) + (
            [f"unknown data {extra}; it takes {[*transition.required, *transition.optional]}"]
            if extra
            else []
        )
        raise _refused(ctx, case_id, "; ".join(parts))
    if not fields_fit(ctx.data):
        check_fields(ctx.data, f"{ctx.machine} {ctx.event} ({case_id})")
    for key, value in ctx.data.items():
        if type(value) is not str and isinstance(value, dt.datetime):
            raise InvalidDate(f"data {key!r}", value)


_SUBJECT_ONLY = frozenset({"subject"})


def _check_permission(
    machine: Machine, transition: Transition, ctx: TransitionContext, case_id: str
) -> None:
    permissions = ctx.policy.permissions
    allowed = permissions.roles(machine.name, transition.event)
    held = ctx.actor.roles & allowed
    if not held:
        raise _not_permitted(
            ctx,
            case_id,
            f"actor {ctx.actor.id!r} holds none of the roles {sorted(allowed)}",
            f"permissions.{machine.name}.{transition.event}",
            permissions.basis.text,
        )
    if held == _SUBJECT_ONLY and ctx.actor.id != ctx.subject_id:
        raise _not_permitted(
            ctx,
            case_id,
            f"actor {ctx.actor.id!r} acts as the subject but is not {ctx.subject_id!r}",
            f"permissions.{machine.name}.{transition.event}",
            permissions.basis.text,
        )
    if ctx.case is None:
        return  # nobody has fired anything in this case yet
    history = ctx.case.data.get("actors", {})
    for separation in ctx.policy.separations:
        first, second = separation.events
        if (
            transition.event == second
            and separation.machine == machine.name
            and (ctx.actor.id in history.get(first, ()))
        ):
            raise _not_permitted(
                ctx,
                case_id,
                f"actor {ctx.actor.id!r} fired {first!r} in this case and may not fire {second!r}",
                f"separation {machine.name}:{first}/{second}",
                separation.basis.text,
            )


def _outcome(
    machine: Machine,
    transition: Transition,
    ctx: TransitionContext,
    case_id: str,
    *,
    replay: bool = False,
) -> Outcome:
    before = ctx.case
    data = copied(before.data) if before else {}
    data.update(ctx.data if replay else _plain_data(ctx.data))
    actors = dict(data.get("actors", {}))  # who fired each event, for separation of duties
    actors[transition.event] = [*actors.get(transition.event, ()), ctx.actor.id]
    data["actors"] = actors
    reported: list[Effect] = []
    follow_ups: list[FollowUp] = []
    for name in transition.effects:
        if replay and name not in CASE_UPDATES:
            continue  # its follow-ups are recorded events of their own
        result = EFFECTS[name](ctx)
        data.update(result.updates)
        reported += result.reported
        follow_ups += result.follow_ups
    state = transition.target or (before.state if before else machine.states[0])
    case = Case(  # positional, in field order: a third cheaper than keywords, once per event
        case_id,
        machine.name,
        ctx.kind,
        ctx.subject_id,
        state,
        (before.version if before else 0) + 1,  # version
        before.opened_on if before else ctx.on,  # opened_on
        ctx.on,  # last_on
        MappingProxyType(data),
        _deadlines(machine, ctx, data),
        state in machine.finals,  # closed
    )
    return Outcome(case, tuple(reported), tuple(follow_ups))


def _deadlines(
    machine: Machine, ctx: TransitionContext, data: Mapping[str, Any]
) -> tuple[DeadlineState, ...]:
    previous = ctx.case.deadlines if ctx.case else ()
    rules = machine.deadlines_of(ctx.event)
    if not rules:
        return previous
    current = {d.name: d for d in previous}
    for rule in rules:
        existing = current.get(rule.name)
        if rule.starts == ctx.event:
            started = _start(rule, ctx, data)
            if started is not None:
                current[rule.name] = started
        elif existing is not None and existing.met_on is None and ctx.event in rule.until:
            current[rule.name] = _met(existing, ctx.on)
        elif existing is not None and ctx.event in rule.reopened_by:
            current[rule.name] = _reopened(rule, existing, ctx, data)
        elif existing is not None and ctx.event == rule.extended_by and rule.extension:
            current[rule.name] = _extend(rule, existing, ctx)
    return tuple(current.values())


def _reopened(
    rule: DeadlineRule, existing: DeadlineState, ctx: TransitionContext, data: Mapping[str, Any]
) -> DeadlineState:
    """A met deadline running again: to its first last day, or anew from today where the
    policy says so (``restarted_if``) or the event does (``restarted_by``)."""
    restart = resolve(ctx.policy, rule.restarted_if, ctx.kind) if rule.restarted_if else None
    anew = (restart is not None and restart.value is True) or (
        rule.restarted_by is not None and ctx.data.get(rule.restarted_by) is True
    )
    setting = resolve(ctx.policy, rule.setting_for(data), ctx.kind)
    if anew and setting is not None:
        return _started(ctx.calendar, rule.name, rule.kind, rule.rolls, ctx.on, setting.value)
    return attrs.evolve(existing, met_on=None)


def _start(
    rule: DeadlineRule, ctx: TransitionContext, data: Mapping[str, Any]
) -> DeadlineState | None:
    if rule.when is not None and data.get(rule.when) is not True:
        return None
    path = rule.setting_for(data)
    setting = resolve(ctx.policy, path, ctx.kind)
    if setting is None:
        return None
    if rule.base is None:
        return _started(ctx.calendar, rule.name, rule.kind, rule.rolls, ctx.on, setting.value)
    base = dt.date.fromisoformat(str(data[rule.base]))
    period = _transitional(ctx, rule, path, setting, base).value
    return _started(ctx.calendar, rule.name, rule.kind, rule.rolls, base, period)


def _transitional(
    ctx: TransitionContext,
    rule: DeadlineRule,
    path: str,
    setting: Provision[Period],
    base: dt.date,
) -> Provision[Period]:
    """A period that runs from an earlier date (a record's decision) under the version in
    force then or today's, by today's transitional rule (:func:`lighter_period`)."""
    then = ctx.policy_at(base)
    if then is None or then == ctx.policy:
        return setting
    try:
        old = resolve(then, path, ctx.kind)
    except LookupError:  # the older version has no such setting
        old = None

    def last_day(day: dt.date, period: Period) -> dt.date:
        return _period_end(ctx.calendar, day, period, rule.rolls).date

    return lighter_period(transitional_rule(ctx.policy), old, setting, base, last_day)


@functools.lru_cache(maxsize=65536)
def _started(
    calendar: WorkdayCalendar, name: str, kind: str, rolls: bool, base: dt.date, period: Period
) -> DeadlineState:
    """A deadline started on ``base``; many cases start the same ones on the same days."""
    end = _period_end(calendar, base, period, rolls)
    return DeadlineState(name, kind, base, end.date, end.provisional)


@functools.lru_cache(maxsize=65536)
def _met(deadline: DeadlineState, on: dt.date) -> DeadlineState:
    """``deadline`` met on ``on``; shared like the started ones."""
    return DeadlineState(
        deadline.name,
        deadline.kind,
        deadline.started_on,
        deadline.last_day,
        deadline.provisional,
        on,
        deadline.extended,
    )


@functools.lru_cache(maxsize=65536)
def _period_end(
    calendar: WorkdayCalendar, base: dt.date, period: Period, rolls: bool
) -> CalendarDate:
    """The last day of a period, moved to the next working day if it ``rolls`` and is none;
    business dates repeat, so the answers are kept."""
    return calendar.add_period(base, period, provisional=True, roll_forward=rolls)


def _extend(rule: DeadlineRule, existing: DeadlineState, ctx: TransitionContext) -> DeadlineState:
    assert rule.extension is not None
    setting = resolve(ctx.policy, rule.extension, ctx.kind)
    if setting is None:
        return existing
    end = _period_end(ctx.calendar, existing.last_day, setting.value, rule.rolls)
    return attrs.evolve(
        existing,
        last_day=end.date,
        provisional=existing.provisional or end.provisional,
        extended=True,
    )


class _NotJson(Exception):
    """Raised inside :func:`_plain` for data a book does not keep; the caller then names it."""


def _plain_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """Event data kept as JSON values: dates as ISO text, tuples and sets as lists (sorted);
    :class:`InvalidInput` naming the part a book does not keep (see
    :func:`creditflow._validation.ensure_json`)."""
    try:
        return {  # ASCII text, most of the data, is kept as it is without a call
            key: value if type(value) is str and value.isascii() else _plain(value, 2)
            for key, value in data.items()
        }
    except _NotJson:
        ensure_json(dict(data), "data", dates=True)  # raises, naming the part
        raise AssertionError("unreachable: ensure_json refuses what _plain refuses") from None


def _plain(value: object, depth: int) -> Any:
    kind = type(value)
    if kind is str:
        if not value.isascii():  # type: ignore[attr-defined]
            _unicode(value)  # type: ignore[arg-type]
        return value
    if value is None or kind is bool or (kind is float and math.isfinite(value)):  # type: ignore[arg-type]
        return value
    if kind is int and -MAX_JSON_INTEGER <= value <= MAX_JSON_INTEGER:  # type: ignore[operator]
        return value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if depth > MAX_JSON_DEPTH:
        raise _NotJson
    if isinstance(value, tuple | list):
        return [_plain(item, depth + 1) for item in value]
    if isinstance(value, set | frozenset):
        try:
            return [_plain(item, depth + 1) for item in sorted(value)]
        except TypeError:
            raise _NotJson from None
    if isinstance(value, Mapping) and all(type(key) is str for key in value):
        return {key: _plain(item, depth + 1) for key, item in value.items()}
    return _plain_base(value)


def _plain_base(value: object) -> Any:
    """A subclass of str, int or float (an enum member, say) as its base value, as JSON
    writes it; :class:`_NotJson` for anything else (the base types themselves come here only
    when :func:`_plain` refused them: NaN, an infinity, an integer out of bounds)."""
    if type(value) in (int, float):
        raise _NotJson
    if isinstance(value, str):
        return _plain(str.__str__(value), 1)
    if isinstance(value, int) and not isinstance(value, bool):
        return _plain(int(value), 1)
    if isinstance(value, float):
        return _plain(float(value), 1)
    raise _NotJson


def _unicode(text: str) -> None:
    try:
        text.encode()
    except UnicodeEncodeError:
        raise _NotJson from None


def _refused(
    ctx: TransitionContext,
    case_id: str,
    reason: str,
    *,
    guard: str | None = None,
    compared: dt.date | None = None,
    rule: str | None = None,
    basis: str | None = None,
    path: str | None = None,
) -> TransitionRefused:
    state = ctx.case.state if ctx.case else None
    return TransitionRefused(
        reason,
        case_id=case_id,
        event=ctx.event,
        state=state,
        guard=guard,
        on=compared,
        rule=rule,
        basis=basis,
        path=path,
    )


def _not_permitted(
    ctx: TransitionContext, case_id: str, reason: str, rule: str, basis: str
) -> NotPermitted:
    """Refused by the roles (``rule`` is the path ``permissions.<machine>.<event>``) or by a
    separation of duties (no path: separations are a list)."""
    state = ctx.case.state if ctx.case else None
    path = rule if rule.startswith("permissions.") else None
    return NotPermitted(
        reason, case_id=case_id, event=ctx.event, state=state, rule=rule, basis=basis, path=path
    )
