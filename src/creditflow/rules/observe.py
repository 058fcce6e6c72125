"""Observing the decisions engines make, for test coverage: free when nobody observes.

While at least one observer is registered, :meth:`Engine.decide` and :meth:`Engine.decide_many`
are replaced on the class by versions that also hand their decisions to every observer; the
last observer to leave puts the plain methods back. Deciding thus costs a dictionary lookup
when nobody observes, whatever the number of engines.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence

from creditflow.core.facts import Facts
from creditflow.policy.model import Policy
from creditflow.rules.decision import Decision
from creditflow.rules.engine import Engine

__all__ = ["Observer", "observe"]

Observer = Callable[[Policy, Sequence[Decision]], None]
"""Called with the engine's policy and the decisions of each ``decide`` or ``decide_many``."""

_observers: list[Observer] = []
_lock = threading.Lock()
_plain_decide = Engine.decide
_plain_decide_many = Engine.decide_many


def _observed_decide(self: Engine, facts: Facts) -> Decision:
    decision = _plain_decide(self, facts)
    for observer in tuple(_observers):
        observer(self.policy, (decision,))
    return decision


def _observed_decide_many(self: Engine, facts: Iterable[Facts]) -> list[Decision]:
    decisions = _plain_decide_many(self, facts)
    for observer in tuple(_observers):
        observer(self.policy, decisions)
    return decisions


_observed_decide.__doc__ = _plain_decide.__doc__
_observed_decide_many.__doc__ = _plain_decide_many.__doc__


@contextlib.contextmanager
def observe(observer: Observer) -> Iterator[None]:
    """Hand ``observer`` every decision any engine makes inside the ``with`` block."""
    with _lock:
        _observers.append(observer)
        if len(_observers) == 1:
            setattr(Engine, "decide", _observed_decide)  # noqa: B010
            setattr(Engine, "decide_many", _observed_decide_many)  # noqa: B010
    try:
        yield
    finally:
        with _lock:
            _observers.remove(observer)
            if not _observers:
                setattr(Engine, "decide", _plain_decide)  # noqa: B010
                setattr(Engine, "decide_many", _plain_decide_many)  # noqa: B010
