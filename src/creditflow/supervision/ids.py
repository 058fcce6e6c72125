"""Checking subject identifiers of any kind at bulk speed, exact to :mod:`creditflow.core`.

:func:`check_subject_id` accepts a valid identifier fast (a unified social credit code or a
resident ID with the table lookups of :func:`~creditflow.core.is_valid_uscc` and
:func:`~creditflow.core.is_valid_resident_id`, about 1 µs) and hands anything else to the core
parser, whose error names the position or check character at fault.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from creditflow._repr import shown
from creditflow.core.identifiers import (
    ResidentId,
    Uscc,
    are_valid_resident_ids,
    are_valid_usccs,
    is_valid_resident_id,
    is_valid_uscc,
)
from creditflow.core.subjects import PLATE_PATTERN, Subject, SubjectKind
from creditflow.errors import InvalidInput

__all__ = ["BULK_CHECKS", "FAST_CHECKS", "check_subject_id", "is_valid_subject_id"]


def _fast_plate(plate: str) -> bool:
    return PLATE_PATTERN.fullmatch(plate) is not None


def _fast_vessel(vessel_id: str) -> bool:
    return bool(vessel_id) and not any(char.isspace() for char in vessel_id)


FAST_CHECKS: dict[str, Callable[[str], bool]] = {
    SubjectKind.ENTERPRISE.value: is_valid_uscc,
    SubjectKind.PERSON.value: is_valid_resident_id,
    SubjectKind.VEHICLE.value: _fast_plate,
    SubjectKind.VESSEL.value: _fast_vessel,
}
"""By kind value (an Enum member hashes in Python, its value in C), a check of a str id that is
true only for a valid id; false: :func:`check_subject_id` says why."""


def _plates(plates: Sequence[str]) -> bool:
    return all(map(_fast_plate, plates))


def _vessels(vessel_ids: Sequence[str]) -> bool:
    return all(map(_fast_vessel, vessel_ids))


BULK_CHECKS: dict[str, Callable[[Sequence[str]], bool]] = {
    SubjectKind.ENTERPRISE.value: are_valid_usccs,
    SubjectKind.PERSON.value: are_valid_resident_ids,
    SubjectKind.VEHICLE.value: _plates,
    SubjectKind.VESSEL.value: _vessels,
}
"""By kind value, a check of many str ids at once: true only if every one is valid, as
:data:`FAST_CHECKS` would say one by one."""


def is_valid_subject_id(kind: SubjectKind, subject_id: object) -> bool:
    """Whether ``subject_id`` is a valid identifier for ``kind``; never raises.

    The same answer as :class:`~creditflow.core.Subject` gives, several times faster: no
    Subject is built.
    """
    try:
        check_subject_id(kind, subject_id)
    except InvalidInput:
        return False
    return True


def check_subject_id(kind: SubjectKind, subject_id: object) -> str:
    """``subject_id`` if it is valid for ``kind``; else the core's error saying what is wrong.

    Raises :class:`~creditflow.errors.InvalidIdentifier` for a unified social credit code
    (统一社会信用代码) or a resident ID (居民身份证号码), and
    :class:`~creditflow.errors.InvalidInput` for a licence plate or vessel id.
    """
    if not isinstance(kind, SubjectKind):
        raise InvalidInput(f"kind must be a SubjectKind, got {shown(kind)}")
    if isinstance(subject_id, str) and FAST_CHECKS[kind.value](subject_id):
        return subject_id
    if kind is SubjectKind.ENTERPRISE:
        return Uscc.parse(subject_id).code
    if kind is SubjectKind.PERSON:
        return ResidentId.parse(subject_id).code
    return Subject(kind, subject_id, "-").id  # type: ignore[arg-type]  # raises for a bad id
