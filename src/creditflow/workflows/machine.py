"""State machines as data: states, events, guards, deadlines and effects, checked as a graph."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from creditflow._validation import ensure_instance, ensure_iterable

__all__ = ["DeadlineRule", "Machine", "Transition", "machine_problems"]


@attrs.frozen
class Transition:
    """An event of a machine: the states it fires from, where it leads, what it checks and does.

    ``sources`` is empty for the event that opens a case. ``target`` None keeps the state.
    ``guards`` and ``effects`` are names (see :mod:`creditflow.workflows.guards` and
    :mod:`creditflow.workflows.effects`); ``required`` and ``optional`` name the data fields
    the event takes. ``system`` events are fired by the book itself as effects of others.
    """

    event: str
    sources: tuple[str, ...]
    target: str | None
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    required_fields: frozenset[str] = attrs.field(init=False, repr=False, eq=False)
    accepted_fields: frozenset[str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "required_fields", frozenset(self.required))
        object.__setattr__(self, "accepted_fields", frozenset((*self.required, *self.optional)))


@attrs.frozen
class DeadlineRule:
    """A named period a machine runs: started by an event, its length set by the policy.

    ``setting`` is a policy path (``{kind}`` is the case's kind, ``{severity}`` its severity):
    ``lists.{kind}.publication_deadline``. A ``due`` deadline is a time limit for the
    authority: overdue when none of ``until`` has happened by its last day. A ``wait`` period
    must pass before something may happen (a guard reads it). ``base`` names a data field
    holding the start date instead of the starting event's date (periods that run from a
    decision document). ``setting_field`` names a data field that may hold another policy
    path for the length (a record of false materials in a repair runs for
    ``repair.fraud_publication``). ``extended_by`` names an event that adds ``extension`` once;
    ``reopened_by`` names events that make a met deadline run again (a restored listing), to
    its first last day, or, where the flag at policy path ``restarted_if`` is true, for its
    whole length again from the reopening event's date, as it also does where the reopening
    event's data field ``restarted_by`` is true (a record restarting with its listing).
    ``when`` names a data field of the starting event: the deadline runs only for a case whose
    data holds it true (a record entered from a penalty decision published under 双公示 has its
    publication due; a record entered by a breach has not).
    A time limit for an act ``rolls``: a last day that is not a working day moves to the next
    working day (Civil Code Art. 203). A length of time (how long a listing or a publication
    lasts, a minimum before a step) does not: rolling it would hold the subject longer.
    """

    name: str
    starts: str
    setting: str
    until: tuple[str, ...]
    kind: Literal["due", "wait"] = "due"
    base: str | None = None
    extended_by: str | None = None
    extension: str | None = None
    reopened_by: tuple[str, ...] = ()
    restarted_if: str | None = None
    restarted_by: str | None = None
    setting_field: str | None = None
    rolls: bool = True
    when: str | None = None

    def setting_for(self, data: Mapping[str, Any]) -> str:
        """The policy path of the length for a case with ``data``."""
        named = data.get(self.setting_field) if self.setting_field else None
        return str(named) if named else self.setting


@attrs.frozen
class Machine:
    """A workflow: its states (the first is where the opening event leads), final states,
    events and deadlines. ``kinds`` is the policy table whose names are the case kinds."""

    name: str
    kinds: str
    states: tuple[str, ...]
    finals: frozenset[str]
    transitions: tuple[Transition, ...]
    deadlines: tuple[DeadlineRule, ...] = ()
    _by_event: dict[str, Transition] = attrs.field(init=False, repr=False, eq=False)
    _deadlines_of: dict[str, tuple[DeadlineRule, ...]] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_event", {t.event: t for t in self.transitions})
        concerned = {
            event: tuple(d for d in self.deadlines if event in _events_of(d))
            for event in self._by_event
        }
        object.__setattr__(self, "_deadlines_of", concerned)

    @property
    def opening(self) -> Transition:
        """The event that opens a case (the one without source states)."""
        return next(t for t in self.transitions if not t.sources)

    def transition(self, event: str) -> Transition | None:
        """The declaration of ``event``, or None if the machine has no such event."""
        if not isinstance(event, str):
            return None
        return self._by_event.get(event)

    def deadlines_of(self, event: str) -> tuple[DeadlineRule, ...]:
        """The deadlines ``event`` starts, meets, reopens or extends (in declaration order)."""
        if not isinstance(event, str):
            return ()
        return self._deadlines_of.get(event, ())

    @property
    def events(self) -> tuple[str, ...]:
        """Every event name, in declaration order."""
        return tuple(t.event for t in self.transitions)


def _events_of(rule: DeadlineRule) -> tuple[str, ...]:
    """Every event a deadline rule names."""
    return (rule.starts, *rule.until, *rule.reopened_by, *filter(None, [rule.extended_by]))


def machine_problems(machine: Machine, guards: Iterable[str], effects: Iterable[str]) -> list[str]:
    """Every structural problem of a machine: unknown states, guards or effects, unreachable
    states, non-final states with no way out, states with no path to a final state (a cycle
    of non-final states), deadlines on unknown events. Plain graph search, forwards from the
    opening event and backwards from the final states."""
    ensure_instance(machine, Machine, "machine")
    ensure_iterable(guards, "guards")
    ensure_iterable(effects, "effects")
    known_guards = {g for g in guards if isinstance(g, str)}
    known_effects = {e for e in effects if isinstance(e, str)}
    states = set(machine.states)
    problems = []
    openings = [t.event for t in machine.transitions if not t.sources]
    if len(openings) != 1:
        problems.append(f"{machine.name}: needs exactly one opening event, has {openings}")
    for t in machine.transitions:
        for state in (*t.sources, *([t.target] if t.target else [])):
            if state not in states:
                problems.append(f"{machine.name}.{t.event}: unknown state {state!r}")
        problems += [
            f"{machine.name}.{t.event}: unknown guard {g!r}"
            for g in t.guards
            if g not in known_guards
        ]
        problems += [
            f"{machine.name}.{t.event}: unknown effect {e!r}"
            for e in t.effects
            if e not in known_effects
        ]
    problems += _graph_problems(machine)
    events = set(machine.events)
    for d in machine.deadlines:
        for event in _events_of(d):
            if event not in events:
                problems.append(f"{machine.name}: deadline {d.name} names unknown event {event!r}")
    return problems


def _graph_problems(machine: Machine) -> list[str]:
    edges: dict[str, set[str]] = {s: set() for s in machine.states}
    for t in machine.transitions:
        for source in t.sources:
            edges.setdefault(source, set()).add(t.target or source)
    start = machine.opening.target if machine.transitions else None
    reached = _reachable(start, edges) if start else set()
    problems = [
        f"{machine.name}: state {s!r} is unreachable" for s in machine.states if s not in reached
    ]
    dead_ends = {s for s in machine.states if s not in machine.finals and not edges[s] - {s}}
    problems += [f"{machine.name}: state {s!r} is not final and has no way out" for s in dead_ends]
    backwards: dict[str, set[str]] = {s: set() for s in edges}
    for source, targets in edges.items():
        for target in targets:
            backwards.setdefault(target, set()).add(source)
    finishing = set().union(*(_reachable(f, backwards) for f in machine.finals))
    problems += [
        f"{machine.name}: state {s!r} has no path to a final state"
        for s in machine.states
        if s not in finishing and s not in dead_ends
    ]
    return problems


def _reachable(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        for nxt in edges.get(queue.popleft(), set()) - seen:
            seen.add(nxt)
            queue.append(nxt)
    return seen


def due_when_closed(machine: Machine) -> frozenset[str]:
    """The due deadlines a case of ``machine`` may still hold unmet in a final state (a credit
    record ended before its 双公示 disclosure, say): a search of every path from the opening
    event over the states and the deadlines running in each, a deadline counted as started
    whenever an event may start or reopen it.

    A closed case of any other machine met every due deadline by its last event, so it is
    overdue on no day after it (what lets ``CreditBook.overdue`` read only the open cases,
    those closed after the day and those of the machines named here)."""
    due = tuple(rule for rule in machine.deadlines if rule.kind == "due")
    opening = machine.opening
    start = (opening.target or machine.states[0], _running(due, opening.event, frozenset()))
    seen, todo = {start}, [start]
    while todo:
        state, running = todo.pop()
        for transition in machine.transitions:
            if state not in transition.sources:
                continue
            after = (transition.target or state, _running(due, transition.event, running))
            if after not in seen:
                seen.add(after)
                todo.append(after)
    return frozenset(name for state, running in seen if state in machine.finals for name in running)


def _running(
    rules: tuple[DeadlineRule, ...], event: str, running: frozenset[str]
) -> frozenset[str]:
    """The due deadlines that may be running after ``event`` (as the transition updates them:
    started, met, reopened)."""
    now = set(running)
    for rule in rules:
        if event == rule.starts or event in rule.reopened_by:
            now.add(rule.name)
        elif event in rule.until:
            now.discard(rule.name)
    return frozenset(now)
