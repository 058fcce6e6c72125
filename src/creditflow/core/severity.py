"""Severity of dishonest conduct (失信行为): minor, general, serious (NDRC Order 36 classes)."""

from __future__ import annotations

import enum

from creditflow.errors import UnknownName

__all__ = ["Severity"]


class Severity(enum.Enum):
    """Severity class of a credit record: 轻微 minor, 一般 general, 严重 serious.

    Members compare by gravity: ``Severity.MINOR < Severity.SERIOUS``.
    """

    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"

    @property
    def rank(self) -> int:
        """0 for minor, 1 for general, 2 for serious."""
        return _ORDER.index(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    @classmethod
    def parse(cls, value: object) -> Severity:
        """The member for ``"minor"``, ``"general"`` or ``"serious"`` (or a member itself)."""
        if isinstance(value, Severity):
            return value
        for member in cls:
            if member.value == value:
                return member
        raise UnknownName("severity", value, [m.value for m in cls])


_ORDER = (Severity.MINOR, Severity.GENERAL, Severity.SERIOUS)
