"""durable_rules behind a safe wrapper: a private, dispatcher-less host per policy version.

The traps this avoids are measured in ``docs/engine.md``: the global registry of
``durable.lang``, the timer threads of every ``Host`` (which can run an action in place of the
caller's post and make it return None), state per sid, exceptions swallowed into the state,
``MessageNotHandledException`` (after which ``delete_state`` has crashed the process), and
duplicate messages. Conditions are restricted to a safe subset by
:mod:`creditflow.policy.conditions` before they get here.
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from creditflow.errors import EngineFailure

__all__ = ["RuleMatcher"]

_SID = "creditflow"
_PROBE_FIELD = "cf_probe"
_PROBE_RULE = "cf_probe_rule"


class RuleMatcher:
    """Which rules of one decision table match a message, as decided by durable_rules.

    Messages are asserted as facts (an event would be consumed by the first rule only) into
    one private sid that is deleted after every call. A probe rule matches every message, so
    the engine never reports "not handled" and a missing probe means the engine failed.
    """

    def __init__(self, name: str, conditions: Iterable[Mapping[str, Any]]) -> None:
        from durable import engine

        class _PrivateHost(engine.Host):  # type: ignore[misc]
            def _run(self) -> None:
                """No dispatcher threads: decisions are stateless and need no timers."""

        self._engine = engine
        self._ruleset = f"cf_{name}"
        rules: dict[str, Any] = {
            f"r{i}": {"all": [{"m": copy.deepcopy(dict(c))}], "run": _recorder(i)}
            for i, c in enumerate(conditions)
        }
        rules[_PROBE_RULE] = {"all": [{"m": {_PROBE_FIELD: 1}}], "run": _recorder(-1)}
        self._host = _PrivateHost()
        try:
            self._host.set_rulesets({self._ruleset: rules})
        except Exception as error:  # durable raises bare Exception for bad rulesets
            raise EngineFailure(f"durable_rules refused the decision table: {error}") from error
        self._ids = itertools.count()
        self._lock = threading.Lock()  # one sid: calls must not interleave

    def matches(self, fields: Mapping[str, Any]) -> frozenset[int]:
        """Indexes of the rules whose condition ``fields`` satisfies."""
        with self._lock:
            msg = dict(fields, sid=_SID, id=next(self._ids), **{_PROBE_FIELD: 1})
            try:
                state = self._host.assert_fact(self._ruleset, msg)
            except Exception as error:
                raise EngineFailure(f"durable_rules failed on {dict(fields)}: {error!r}") from error
            finally:
                self._delete_state()
        return _read_hits(state, fields)

    def _delete_state(self) -> None:
        try:
            self._host.delete_state(self._ruleset, _SID)
        except Exception as error:
            raise EngineFailure(f"durable_rules could not reset its state: {error!r}") from error


def _recorder(index: int) -> Callable[[Any], None]:
    """A one-argument action (two arguments would make durable treat it as async)."""

    def record(c: Any) -> None:
        c.s.hits = [*(c.s.hits or []), index]

    return record


def _read_hits(state: object, fields: Mapping[str, Any]) -> frozenset[int]:
    if not isinstance(state, dict):
        raise EngineFailure(
            f"durable_rules returned {state!r} instead of a state for {dict(fields)}"
        )
    if "exception" in state:
        raise EngineFailure(f"a rule action failed inside durable_rules: {state['exception']}")
    hits = state.get("hits")
    if not isinstance(hits, list) or -1 not in hits:
        raise EngineFailure(f"durable_rules did not run the probe rule for {dict(fields)}")
    return frozenset(i for i in hits if i >= 0)
