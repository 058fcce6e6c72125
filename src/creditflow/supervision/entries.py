"""The directories a plan draws from: subjects (检查对象名录库) and inspectors (执法检查人员名录库).

Both are immutable. ``source`` and ``line`` say where a value was read (a file and its 1-based
line), so that every later error, a bad identifier, a duplicate or a missing inspector pool,
names the row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import attrs

from creditflow._repr import shown
from creditflow._validation import ensure_instance, ensure_str
from creditflow.core.facts import Facts
from creditflow.core.privacy import masked_repr
from creditflow.core.subjects import Subject, SubjectKind
from creditflow.errors import InvalidDate, InvalidInput, InvalidRow
from creditflow.supervision.ids import FAST_CHECKS, check_subject_id

__all__ = [
    "Inspector",
    "PopulationEntry",
    "check_entry",
    "check_name",
    "check_token",
    "row_error",
    "to_names",
]


_TOKEN = re.compile(r"[^\s|]+")


def check_token(value: object, name: str) -> str:
    """``value`` if it is a non-empty str without whitespace or ``|`` (the hash separator)."""
    text = ensure_str(value, name)
    if _TOKEN.fullmatch(text) is None:
        raise InvalidInput(f"{name} {shown(text)} must not contain whitespace or '|'")
    return text


def check_name(value: object, name: str = "name") -> str:
    """``value`` if it is a str that is not blank."""
    if not ensure_str(value, name).strip():
        raise InvalidInput(f"{name} must not be blank, got {shown(value)}")
    return value  # type: ignore[return-value]  # ensure_str checked the type


def to_names(value: object, name: str) -> frozenset[str]:
    """A frozenset of tokens from any iterable of them (a bare str is refused)."""
    if isinstance(value, frozenset) and all(isinstance(v, str) for v in value):
        items: Iterable[object] = value
    elif isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidInput(f"{name} must be a set of names, got {shown(value)}")
    else:
        items = value
    return frozenset(check_token(item, f"an item of {name}") for item in items)


def _token_field(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_token(value, attribute.name)


def _name_field(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_name(value, attribute.name)


def _regions(value: object) -> frozenset[str]:
    return to_names(value, "regions")


def _domains(value: object) -> frozenset[str]:
    return to_names(value, "domains")


def _conflicts(value: object) -> frozenset[str]:
    return to_names(value, "conflicts")


def _where(source: str | None, line: int | None) -> str | None:
    if source is None:
        return None
    return source if line is None else f"{source} line {line}"


@masked_repr
class PopulationEntry(NamedTuple):
    """One subject in one business domain: a row of the subject directory (检查对象名录库).

    ``region`` is the code of the area whose inspectors may inspect the subject (e.g. the
    county code ``"230123"``); ``facts`` are what the decision engine reads; ``last_inspected``
    is the date of the subject's last inspection in this domain, if any. A subject graded in
    several domains has one entry per domain.

    An entry is an immutable named tuple, because a plan reads millions of them; its fields
    are checked once, by :func:`check_entry`, when :func:`~creditflow.supervision.draw_plan`
    reads it (``subject_id`` as :class:`~creditflow.core.Subject` checks it for ``kind``).
    """

    kind: SubjectKind
    subject_id: str
    name: str
    region: str
    facts: Facts
    last_inspected: dt.date | None = None
    source: str | None = None
    line: int | None = None

    @classmethod
    def of(
        cls,
        subject: Subject,
        facts: Facts,
        region: str,
        last_inspected: dt.date | None = None,
    ) -> PopulationEntry:
        """The entry of a :class:`~creditflow.core.Subject` with its facts in one domain."""
        ensure_instance(subject, Subject, "subject")
        return cls(subject.kind, subject.id, subject.name, region, facts, last_inspected)

    @property
    def subject(self) -> Subject:
        """The subject (主体) of the entry."""
        return Subject(self.kind, self.subject_id, self.name)

    @property
    def where(self) -> str | None:
        """``"<source> line <n>"`` when the entry was read from a file, else None."""
        return _where(self.source, self.line)


def check_entry(entry: object) -> None:
    """Raise, naming the row and field, unless ``entry`` is a well-formed PopulationEntry.

    The region is left to the caller: :func:`check_token` once per distinct region will do.
    """
    if type(entry) is not PopulationEntry:
        raise InvalidInput(f"the population must hold PopulationEntry values, got {shown(entry)}")
    kind, subject_id, name, _region, facts, last = entry[:6]
    if (
        type(subject_id) is str
        and type(kind) is SubjectKind
        and FAST_CHECKS[kind._value_](subject_id)
        and "|" not in subject_id
        and type(name) is str
        and name.strip()
        and type(facts) is Facts
        and (last is None or type(last) is dt.date)
    ):
        return  # the common case, at full speed; otherwise find the field at fault
    checks: tuple[tuple[str, Callable[[], object]], ...] = (
        ("kind", lambda: _kind(kind)),
        ("subject_id", lambda: _subject_id(kind, subject_id)),
        ("name", lambda: check_name(name)),
        ("facts", lambda: _facts(facts)),
        ("last_inspected", lambda: _date(last)),
    )
    for field, check in checks:
        try:
            check()
        except InvalidInput as error:
            raise row_error(entry, str(error), field) from None


def _kind(value: object) -> None:
    if not isinstance(value, SubjectKind):
        raise InvalidInput(f"kind must be a SubjectKind, got {shown(value)}")


def _subject_id(kind: SubjectKind, value: object) -> None:
    check_subject_id(kind, value)
    if "|" in value:  # type: ignore[operator]  # a checked id is a str
        raise InvalidInput(f"subject_id {shown(value)} must not contain '|' (the hash separator)")


def _facts(value: object) -> None:
    if not isinstance(value, Facts):
        raise InvalidInput(f"facts must be a creditflow.Facts, got {shown(value)}")


def _date(value: object) -> None:
    if value is not None and (isinstance(value, dt.datetime) or not isinstance(value, dt.date)):
        raise InvalidDate("last_inspected", value)


@masked_repr
@attrs.frozen(slots=True)
class Inspector:
    """A law-enforcement officer (执法检查人员) who may be drawn to inspect.

    The inspector may inspect subjects of the ``regions`` in the ``domains`` they are qualified
    for, except the subjects listed in ``conflicts``: a declared conflict of interest, for
    which the inspector must withdraw (回避, recusal).
    """

    inspector_id: str = attrs.field(validator=_token_field)
    name: str = attrs.field(validator=_name_field)
    regions: frozenset[str] = attrs.field(converter=_regions)
    domains: frozenset[str] = attrs.field(converter=_domains)
    conflicts: frozenset[str] = attrs.field(default=frozenset(), converter=_conflicts)
    source: str | None = attrs.field(default=None, eq=False, kw_only=True)
    line: int | None = attrs.field(default=None, eq=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        for field in ("regions", "domains"):
            if not getattr(self, field):
                raise InvalidInput(
                    f"inspector {shown(self.inspector_id)} has no {field}: "
                    "an inspector with no eligible pool can never be drawn"
                )

    @property
    def where(self) -> str | None:
        """``"<source> line <n>"`` when the inspector was read from a file, else None."""
        return _where(self.source, self.line)

    @classmethod
    def _checked(
        cls,
        inspector_id: str,
        name: str,
        regions: frozenset[str],
        domains: frozenset[str],
        conflicts: frozenset[str],
        source: str,
        line: int,
    ) -> Inspector:
        """The inspector of values its reader has checked already as the fields check them
        (a directory holds thousands: checking each twice took most of the time). The slots
        are set through their descriptors: a third of the cost of ``object.__setattr__``."""
        inspector = _new_object(cls)
        _set_id(inspector, inspector_id)
        _set_name(inspector, name)
        _set_regions(inspector, regions)
        _set_domains(inspector, domains)
        _set_conflicts(inspector, conflicts)
        _set_source(inspector, source)
        _set_line(inspector, line)
        return inspector


_new_object = object.__new__
# Each slot's setter, by name (a frozen class refuses setattr; its slot descriptors do not).
_set_id, _set_name, _set_regions, _set_domains, _set_conflicts, _set_source, _set_line = (
    Inspector.__dict__[field].__set__
    for field in ("inspector_id", "name", "regions", "domains", "conflicts", "source", "line")
)


def row_error(
    item: PopulationEntry | Inspector, reason: str, field: str | None = None
) -> Exception:
    """The error for a bad entry: :class:`InvalidRow` naming its row when it was read from a
    file, else :class:`InvalidInput` naming the subject or inspector."""
    if item.source is not None and item.line is not None:
        return InvalidRow(item.source, item.line, reason, field=field)
    if isinstance(item, Inspector):
        return InvalidInput(f"inspector {item.inspector_id}: {reason}")
    return InvalidInput(f"subject {item.subject_id}: {reason}")
