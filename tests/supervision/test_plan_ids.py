"""The fast identifier checks accept exactly what the core parsers accept."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from supervision_builders import resident_id, uscc

from creditflow import ResidentId, SubjectKind, Uscc, is_valid_resident_id, is_valid_uscc
from creditflow.errors import InvalidIdentifier, InvalidInput
from creditflow.supervision import check_subject_id, is_valid_subject_id
from creditflow.supervision.ids import FAST_CHECKS

USCC_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY" + "IOSVZa_ +é\u0661"
ID_CHARACTERS = "0123456789Xx \u0661"


@st.composite
def near(draw: st.DrawFn, valid: st.SearchStrategy[str], characters: str) -> str:
    """A valid code with up to two characters replaced, one dropped or one added."""
    chars = list(draw(valid))
    for _ in range(draw(st.integers(0, 2))):
        chars[draw(st.integers(0, len(chars) - 1))] = draw(st.sampled_from(characters))
    change = draw(st.sampled_from(["keep", "drop", "add"]))
    if change == "drop":
        del chars[draw(st.integers(0, len(chars) - 1))]
    elif change == "add":
        chars.insert(draw(st.integers(0, len(chars))), draw(st.sampled_from(characters)))
    return "".join(chars)


uscc_codes = st.builds(uscc, st.integers(0, 99_999_999))
resident_ids = st.builds(resident_id, st.integers(0, 364_999))


@settings(max_examples=1500)
@given(near(uscc_codes, USCC_CHARACTERS))
@example("91230123000000019R")
@example("9123012300000001\ud800R")
def test_the_fast_uscc_check_agrees_with_the_core(code: str) -> None:
    assert FAST_CHECKS["enterprise"](code) == is_valid_uscc(code)


@settings(max_examples=1500)
@given(near(resident_ids, ID_CHARACTERS))
@example("230123180002300005")  # 30 February: not a date
@example("230123179912310000")  # before 1800
def test_the_fast_resident_id_check_agrees_with_the_core(code: str) -> None:
    assert FAST_CHECKS["person"](code) == is_valid_resident_id(code)


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
