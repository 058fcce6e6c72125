"""Subjects: constructors, the checks on their ids and names, and the public id."""

from __future__ import annotations

import attrs
import pytest

from creditflow.core.identifiers import ResidentId, Uscc
from creditflow.core.subjects import Subject, SubjectKind
from creditflow.errors import InvalidIdentifier, InvalidInput

USCC = "91350100M000100Y43"  # the worked example of GB 32100-2015
RESIDENT_ID = "11010519491231002X"  # the worked example of GB 11643-1999


def test_kinds() -> None:
    assert [k.value for k in SubjectKind] == ["enterprise", "person", "vehicle", "vessel"]


@pytest.mark.parametrize("as_object", [False, True])
def test_enterprise(as_object: bool) -> None:
    uscc = Uscc.parse(USCC) if as_object else USCC
    subject = Subject.enterprise(uscc, "福州某运输有限公司")
    assert subject == Subject(SubjectKind.ENTERPRISE, USCC, "福州某运输有限公司")
    assert subject.id == USCC
    assert subject.public_id == USCC


@pytest.mark.parametrize("as_object", [False, True])
def test_person_id_is_masked_in_public(as_object: bool) -> None:
    resident_id = ResidentId.parse(RESIDENT_ID) if as_object else RESIDENT_ID
    subject = Subject.person(resident_id, "张三")
    assert subject.kind is SubjectKind.PERSON
    assert subject.id == RESIDENT_ID
    assert subject.public_id == "110105********002X"


def test_bad_uscc_propagates() -> None:
    with pytest.raises(InvalidIdentifier, match="check character at position 18") as info:
        Subject.enterprise("91350100M000100Y44", "某公司")
    assert info.value.kind == "unified social credit code"
    assert info.value.position == 18


def test_bad_resident_id_propagates() -> None:
    with pytest.raises(InvalidIdentifier, match="use upper-case 'X'") as info:
        Subject.person("11010519491231002x", "张三")
    assert info.value.kind == "resident ID"


def test_plain_constructor_checks_the_id_for_its_kind() -> None:
    with pytest.raises(InvalidIdentifier, match="resident ID"):
        Subject(SubjectKind.PERSON, USCC, "张三")
    with pytest.raises(InvalidInput, match="is not a licence plate"):
        Subject(SubjectKind.VEHICLE, USCC, "某车")


@pytest.mark.parametrize("kind", ["enterprise", None, 1])
def test_kind_must_be_a_subject_kind(kind: object) -> None:
    with pytest.raises(InvalidInput, match=r"kind must be a SubjectKind, got .* that is a"):
        Subject(kind, USCC, "某公司")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "plate",
    [
        "粤B12345",
        "京AF0236",
        "沪AD12345",  # new energy, 6 after the letter
        "苏E1234D",
        "鲁B1234挂",
        "京A1234学",
        "京A0001警",
        "粤Z1234港",
        "粤Z1234澳",
    ],
)
def test_vehicle_plates(plate: str) -> None:
    subject = Subject.vehicle(plate, "某车")
    assert (subject.kind, subject.id, subject.public_id) == (SubjectKind.VEHICLE, plate, plate)


@pytest.mark.parametrize(
    "plate",
    [
        "粤b12345",  # lower case
        "粤I12345",  # I is not used
        "粤B12O45",  # O is not used
        "粤B1234",  # too short
        "粤B1234567",  # too long
        "AB12345",  # no province
        "港B12345",  # not a province abbreviation
        "粤B·12345",  # separator
        " 粤B12345",  # not stripped
        "粤B12345挂",  # the suffix replaces the fifth character
        "粤B123挂5",  # the suffix only at the end
    ],
)
def test_bad_vehicle_plates(plate: str) -> None:
    with pytest.raises(InvalidInput, match=r"vehicle plate .* is not a licence plate"):
        Subject.vehicle(plate, "某车")


def test_vehicle_plate_not_a_str() -> None:
    with pytest.raises(InvalidInput, match="vehicle plate must be a str"):
        Subject.vehicle(12345, "某车")  # type: ignore[arg-type]


def test_vessel() -> None:
    subject = Subject.vessel("CN20181234567", "长江货轮")
    assert (subject.kind, subject.public_id) == (SubjectKind.VESSEL, "CN20181234567")


@pytest.mark.parametrize(
    ("vessel_id", "match"),
    [
        ("", "vessel id must not be empty"),
        ("CN 2018", "must not contain whitespace"),
        ("CN2018\n", "must not contain whitespace"),
        (2018, "vessel id must be a str"),
    ],
)
def test_bad_vessel_id(vessel_id: object, match: str) -> None:
    with pytest.raises(InvalidInput, match=match):
        Subject.vessel(vessel_id, "某船")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "match"),
    [("", "name must not be empty"), ("  ", "name must not be blank"), (None, "must be a str")],
)
def test_bad_name(name: object, match: str) -> None:
    with pytest.raises(InvalidInput, match=match):
        Subject.enterprise(USCC, name)  # type: ignore[arg-type]


def test_subject_is_frozen() -> None:
    subject = Subject.enterprise(USCC, "某公司")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        subject.name = "别的公司"  # type: ignore[misc]
