"""Facts for a decision: domain, grade, active list kinds and flags of one subject."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from creditflow.errors import InvalidFacts

__all__ = ["Facts"]


def _name(field: str) -> Callable[[object], str]:
    def convert(value: object) -> str:
        if not isinstance(value, str) or not value:
            raise InvalidFacts(
                f"Facts.{field} must be a non-empty str, got {value!r}"
                f" that is a {type(value).__name__}"
            )
        return value

    return convert


def _names(field: str) -> Callable[[object], frozenset[str]]:
    def convert(value: object) -> frozenset[str]:
        if isinstance(value, frozenset) and all(isinstance(v, str) for v in value):
            return value  # the fast path: already what we keep
        if isinstance(value, str | bytes) or not isinstance(value, Iterable):
            raise InvalidFacts(
                f"Facts.{field} must be a set of names, got {value!r}"
                f" that is a {type(value).__name__}"
                + (f"; write frozenset({{{value!r}}}) for one name" if isinstance(value, str) else "")
            )
        names = frozenset(value)
        for name in names:
            if not isinstance(name, str) or not name:
                raise InvalidFacts(f"Facts.{field} must hold non-empty str names, got {name!r}")
        return names

    return convert


@attrs.frozen(cache_hash=True)
class Facts:
    """What the decision engine reads about one subject in one business domain (业务领域).

    ``lists`` holds the active list kinds (``"serious"``, ``"watch"``, ``"red"``) and ``flags``
    the flags the policy declares (e.g. ``"commitment_breached"``). Names are checked against
    the policy when a decision is made, not here.
    """

    domain: str = attrs.field(converter=_name("domain"))
    grade: str = attrs.field(converter=_name("grade"))
    lists: frozenset[str] = attrs.field(default=frozenset(), converter=_names("lists"))
    flags: frozenset[str] = attrs.field(default=frozenset(), converter=_names("flags"))

    @property
    def key(self) -> tuple[str, str, frozenset[str], frozenset[str]]:
        """The signature under which the decision table stores this combination."""
        return (self.domain, self.grade, self.lists, self.flags)
