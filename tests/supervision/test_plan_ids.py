"""Subject ids of every kind are checked fast, and a bad one gets the core's error."""

from __future__ import annotations

import pytest
from supervision_builders import resident_id, uscc

from creditflow import ResidentId, SubjectKind, Uscc
from creditflow.errors import InvalidIdentifier, InvalidInput
from creditflow.supervision import check_subject_id, is_valid_subject_id


def test_a_bad_identifier_gets_the_core_error() -> None:
    bad = uscc(1)[:-1] + ("0" if uscc(1)[-1] != "0" else "1")
    with pytest.raises(InvalidIdentifier) as fast:
        check_subject_id(SubjectKind.ENTERPRISE, bad)
    with pytest.raises(InvalidIdentifier) as core:
        Uscc.parse(bad)
    assert str(fast.value) == str(core.value)
    with pytest.raises(InvalidIdentifier, match="must be a str"):
        check_subject_id(SubjectKind.PERSON, 230123)
    assert check_subject_id(SubjectKind.PERSON, resident_id(5)) == ResidentId(resident_id(5)).code


@pytest.mark.parametrize(
    ("kind", "value", "valid"),
    [
        (SubjectKind.VEHICLE, "粤B12345", True),
        (SubjectKind.VEHICLE, "粤B1234", False),
        (SubjectKind.VESSEL, "CN-2026-001", True),
        (SubjectKind.VESSEL, "CN 2026", False),
        (SubjectKind.VESSEL, "", False),
    ],
)
def test_plates_and_vessel_ids_are_checked_as_the_core_does(
    kind: SubjectKind, value: str, valid: bool
) -> None:
    assert is_valid_subject_id(kind, value) is valid


def test_the_kind_must_be_a_subject_kind() -> None:
    with pytest.raises(InvalidInput, match="kind must be a SubjectKind"):
        check_subject_id("enterprise", uscc(1))  # type: ignore[arg-type]
