"""Facts for a decision: domain, grade, active list kinds and flags of one subject."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from creditflow._repr import a_type, shown
from creditflow.errors import InvalidFacts

__all__ = ["Facts"]


def _checked_name(value: object, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidFacts(
            f"Facts.{field} must be a non-empty str, got {shown(value)} that is {a_type(value)}"
        )
    return value


def _checked_names(value: object, field: str) -> frozenset[str]:
    if isinstance(value, frozenset) and all(isinstance(v, str) and v for v in value):
        return value  # the fast path: already what we keep
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        hint = (
            f"; write frozenset({{{shown(value)}}}) for one name" if isinstance(value, str) else ""
        )
        raise InvalidFacts(
            f"Facts.{field} must be a set of names, got {shown(value)}"
            f" that is {a_type(value)}{hint}"
        )
    try:
        names = frozenset(value)
    except TypeError:  # an unhashable item: a list or a dict where a name is due
        raise InvalidFacts(
            f"Facts.{field} must hold non-empty str names, got {shown(value)}"
        ) from None
    for name in names:
        if not isinstance(name, str) or not name:
            raise InvalidFacts(f"Facts.{field} must hold non-empty str names, got {shown(name)}")
    return names


def _to_domain(value: object) -> str:
    return _checked_name(value, "domain")


def _to_grade(value: object) -> str:
    return _checked_name(value, "grade")


def _to_lists(value: object) -> frozenset[str]:
    return _checked_names(value, "lists")


def _to_flags(value: object) -> frozenset[str]:
    return _checked_names(value, "flags")


@attrs.frozen(cache_hash=True)
class Facts:
    """What the decision engine reads about one subject in one business domain (业务领域).

    ``lists`` holds the active list kinds (``"serious"``, ``"watch"``, ``"red"``) and ``flags``
    the flags the policy declares (e.g. ``"commitment_breached"``); any iterable of names is
    accepted and kept as a frozenset. Names are checked against the policy when a decision is
    made, not here.
    """

    domain: str = attrs.field(converter=_to_domain)
    grade: str = attrs.field(converter=_to_grade)
    lists: frozenset[str] = attrs.field(default=frozenset(), converter=_to_lists)
    flags: frozenset[str] = attrs.field(default=frozenset(), converter=_to_flags)

    @property
    def key(self) -> tuple[str, str, frozenset[str], frozenset[str]]:
        """The signature under which the decision table stores this combination."""
        return (self.domain, self.grade, self.lists, self.flags)
