"""Subjects of credit supervision: enterprises, persons, vehicles and vessels, with checked IDs."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable

import attrs

from creditflow._repr import a_type, shown
from creditflow._validation import ensure_str
from creditflow.core.identifiers import ResidentId, Uscc
from creditflow.core.privacy import masked_repr, public_id
from creditflow.errors import InvalidInput

__all__ = ["PLATE_PATTERN", "Subject", "SubjectKind"]


class SubjectKind(enum.Enum):
    """The kind of a subject: 市场主体 enterprise, 从业人员 person, 车辆 vehicle, 船舶 vessel."""

    ENTERPRISE = "enterprise"
    PERSON = "person"
    VEHICLE = "vehicle"
    VESSEL = "vessel"


_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_LETTER = "A-HJ-NP-Z"  # upper case, no I or O
_ALNUM = f"0-9{_LETTER}"

PLATE_PATTERN = re.compile(
    f"[{_PROVINCES}][{_LETTER}](?:[{_ALNUM}]{{5}}|[{_ALNUM}]{{4}}[挂学警港澳]|[{_ALNUM}]{{6}})"
)
"""A Chinese licence plate (车牌号) as one string without separator, matched whole.

A province abbreviation (京, 沪, 粤, ...), a letter for the issuing office, then 5 letters
or digits (``粤B12345``), or 4 and a final 挂 trailer / 学 learner / 警 police / 港 Hong Kong /
澳 Macao (``鲁B1234挂``), or 6 for a new-energy plate (``粤BD12345``). Letters are upper case
without I and O. This checks the shape only; embassy (使, 领) and military plates are refused.
"""


def _check_plate(value: object) -> None:
    text = ensure_str(value, "vehicle plate")
    if PLATE_PATTERN.fullmatch(text) is None:
        raise InvalidInput(
            f"vehicle plate {shown(text)} is not a licence plate: "
            "expected a province abbreviation, "
            "a letter (not I or O), then 5 letters or digits, or 4 and one of 挂学警港澳, "
            "or 6 for a new-energy plate, with no separator"
        )


def _check_vessel_id(value: object) -> None:
    text = ensure_str(value, "vessel id")
    if any(char.isspace() for char in text):
        raise InvalidInput(f"vessel id {shown(text)} must not contain whitespace")


_ID_CHECKS: dict[SubjectKind, Callable[[object], object]] = {
    SubjectKind.ENTERPRISE: Uscc.parse,
    SubjectKind.PERSON: ResidentId.parse,
    SubjectKind.VEHICLE: _check_plate,
    SubjectKind.VESSEL: _check_vessel_id,
}


def _check_kind(_instance: Subject, _attribute: object, value: SubjectKind) -> None:
    if not isinstance(value, SubjectKind):
        raise InvalidInput(
            f"kind must be a SubjectKind, got {shown(value)} that is {a_type(value)}"
        )


def _check_id(instance: Subject, _attribute: object, value: str) -> None:
    _ID_CHECKS[instance.kind](value)


def _check_name(_instance: Subject, _attribute: object, value: str) -> None:
    if not ensure_str(value, "name").strip():
        raise InvalidInput(f"name must not be blank, got {shown(value)}")


@masked_repr
@attrs.frozen
class Subject:
    """A subject (主体) of credit supervision: its kind, its identifier and its name.

    ``id`` is checked for the kind: a unified social credit code for an enterprise, a resident
    ID for a person (both raise :class:`~creditflow.errors.InvalidIdentifier`), a licence plate
    (:data:`PLATE_PATTERN`) for a vehicle. No national format for vessel ids is in our sources,
    so a vessel id is only checked for shape: a non-empty str without whitespace.
    """

    kind: SubjectKind = attrs.field(validator=_check_kind)
    id: str = attrs.field(validator=_check_id)
    name: str = attrs.field(validator=_check_name)

    @classmethod
    def enterprise(cls, uscc: str | Uscc, name: str) -> Subject:
        """An enterprise (市场主体) identified by its unified social credit code."""
        return cls(SubjectKind.ENTERPRISE, uscc.code if isinstance(uscc, Uscc) else uscc, name)

    @classmethod
    def person(cls, resident_id: str | ResidentId, name: str) -> Subject:
        """A person (从业人员, e.g. a driver) identified by a resident ID."""
        code = resident_id.code if isinstance(resident_id, ResidentId) else resident_id
        return cls(SubjectKind.PERSON, code, name)

    @classmethod
    def vehicle(cls, plate: str, name: str) -> Subject:
        """A vehicle (车辆) identified by its licence plate, e.g. ``'粤B12345'``."""
        return cls(SubjectKind.VEHICLE, plate, name)

    @classmethod
    def vessel(cls, vessel_id: str, name: str) -> Subject:
        """A vessel (船舶) identified by an id that is only checked for shape."""
        return cls(SubjectKind.VESSEL, vessel_id, name)

    @property
    def public_id(self) -> str:
        """The id fit for publication: a person's resident ID masked, other ids unchanged."""
        return public_id(self.id, self.kind.value)
