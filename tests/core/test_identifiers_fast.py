"""The fast checks of identifiers accept exactly what the step-by-step diagnosis accepts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from hypothesis import example, given, settings
from hypothesis import strategies as st

from creditflow.core.identifiers import (
    _diagnose_resident_id,
    _diagnose_uscc,
    are_valid_resident_ids,
    are_valid_usccs,
    is_valid_resident_id,
    is_valid_uscc,
    organisation_code_check_character,
    resident_id_check_character,
    uscc_check_character,
)
from creditflow.errors import InvalidInput

USCC_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY" + "IOSVZa_ +-é\u0661"
ID_CHARACTERS = "0123456789Xx _+\u0661"


def uscc(number: int) -> str:
    body = f"{number:08d}"
    first = f"91230123{body}{organisation_code_check_character(body)}"
    return first + uscc_check_character(first)


def resident_id(number: int) -> str:
    born = dt.date(1980, 1, 1) + dt.timedelta(days=number % 3650)
    first = f"230123{born:%Y%m%d}{number // 3650:03d}"
    return first + resident_id_check_character(first)


def diagnosed_valid(diagnose: Callable[[object], str], code: str) -> bool:
    try:
        diagnose(code)
    except InvalidInput:
        return False
    return True


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
@example("91230123I00000019R")
def test_the_fast_uscc_check_agrees_with_the_diagnosis(code: str) -> None:
    assert is_valid_uscc(code) == diagnosed_valid(_diagnose_uscc, code)


@settings(max_examples=1500)
@given(near(resident_ids, ID_CHARACTERS))
@example("230123180002300005")  # 30 February: not a date
@example("230123179912310000")  # before 1800
def test_the_fast_resident_id_check_agrees_with_the_diagnosis(code: str) -> None:
    assert is_valid_resident_id(code) == diagnosed_valid(_diagnose_resident_id, code)


@settings(max_examples=1500)
@given(st.lists(st.one_of(uscc_codes, near(uscc_codes, USCC_CHARACTERS)), max_size=6))
@example([])
@example(["91230123000000019R", 91230123000000019])
@example(["91230123000000019R" + "0", "91230123000000019"])  # 19 + 17 characters
def test_the_bulk_uscc_check_agrees_with_one_by_one(codes: list[str]) -> None:
    assert are_valid_usccs(codes) == all(map(is_valid_uscc, codes))


@given(st.lists(uscc_codes, min_size=1, max_size=300), st.data())
def test_one_bad_code_among_many_is_found(codes: list[str], data: st.DataObject) -> None:
    assert are_valid_usccs(codes)
    at = data.draw(st.integers(0, len(codes) - 1))
    bad = data.draw(near(st.just(codes[at]), USCC_CHARACTERS))
    assert are_valid_usccs([*codes[:at], bad, *codes[at + 1 :]]) == is_valid_uscc(bad)


def with_check(first17: str) -> str:
    return first17 + resident_id_check_character(first17)


@settings(max_examples=1500)
@given(st.lists(st.one_of(resident_ids, near(resident_ids, ID_CHARACTERS)), max_size=6))
@example([])
@example([with_check("23012320000229001"), with_check("23012319000229001")])  # 1900: no leap
@example([with_check("23012318000101001"), with_check("23012317991231001")])
@example([with_check("23012320001301001"), with_check("23012320000100001")])
@example(["23012320000229001X" + "0", "23012320000229001"])  # 19 + 17 characters
@example([with_check("10229023012320001")])  # 0229 where the date is not
def test_the_bulk_resident_id_check_agrees_with_one_by_one(codes: list[str]) -> None:
    assert are_valid_resident_ids(codes) == all(map(is_valid_resident_id, codes))


@given(st.lists(resident_ids, min_size=1, max_size=300), st.data())
def test_one_bad_id_among_many_is_found(codes: list[str], data: st.DataObject) -> None:
    assert are_valid_resident_ids(codes)
    at = data.draw(st.integers(0, len(codes) - 1))
    bad = data.draw(near(st.just(codes[at]), ID_CHARACTERS))
    assert are_valid_resident_ids([*codes[:at], bad, *codes[at + 1 :]]) == is_valid_resident_id(bad)


@given(st.dates(dt.date(1700, 1, 1), dt.date(2400, 12, 31)), st.integers(0, 999))
def test_every_birth_date_is_checked_in_bulk_as_one_by_one(born: dt.date, number: int) -> None:
    code = with_check(f"230123{born:%Y%m%d}{number:03d}")
    assert are_valid_resident_ids([resident_id(1), code]) == is_valid_resident_id(code)
