"""Unified social credit codes and resident IDs: real codes, corruptions, error messages.

The check characters are recomputed here by reference functions written from the standards'
definitions (weights as powers, not the library's tables), so the tests can disagree with the
library. Real codes used (all pass both checks by hand computation):

* ``91350100M000100Y43``: the worked example of GB 32100-2015.
* ``91110000600037341L``, ``914403001922038216``, ``91440300708461136T``,
  ``91110000710925462X``, ``911000001000013428``: codes of large enterprises as publicly listed
  (Huawei, Tencent, PetroChina, Bank of China, as recalled; their checksums are verified here).
* ``11010519491231002X`` and ``440524188001010014``: the worked examples of GB 11643-1999.

Decision (documented in ``creditflow.core.identifiers``): a single substitution by a character
allowed at its position is reported at the check position 18, never at the mutated position.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditflow.core.identifiers import (
    ResidentId,
    Uscc,
    is_valid_resident_id,
    is_valid_uscc,
    organisation_code_check_character,
    resident_id_check_character,
    subject_id,
    uscc_check_character,
)
from creditflow.errors import InvalidIdentifier, InvalidInput

DIGITS = "0123456789"
USCC_ALPHABET = "".join(c for c in DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in "IOSVZ")


# --- reference implementations ----------------------------------------------------------------


def ref_uscc_check(first17: str) -> str:
    """GB 32100: weight of position i is 3**(i-1) mod 31; the total with the check is 0 mod 31."""
    total = sum(USCC_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return USCC_ALPHABET[-total % 31]


def ref_org_check(body: str) -> str:
    """GB 11714: letters count 10..35, weights 3 7 9 10 5 8 4 2, check = 11 - total mod 11."""
    values = [DIGITS.index(c) if c in DIGITS else ord(c) - ord("A") + 10 for c in body]
    check = 11 - sum(v * w for v, w in zip(values, [3, 7, 9, 10, 5, 8, 4, 2], strict=True)) % 11
    return "0123456789X0"[check]


def ref_resident_check(first17: str) -> str:
    """ISO 7064 MOD 11-2: weight of position i is 2**(18-i) mod 11; 'X' stands for 10."""
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(first17))
    return "0123456789X"[(12 - total % 11) % 11]


Substitution = tuple[str, int, str]  # valid code, 1-based position, corrupted code


def uscc_allowed(position: int) -> str:
    return DIGITS if 3 <= position <= 8 else USCC_ALPHABET


def resident_allowed(position: int) -> str:
    return DIGITS + "X" if position == 18 else DIGITS


# --- strategies -------------------------------------------------------------------------------


@st.composite
def usccs(draw: st.DrawFn) -> str:
    first16 = "".join(draw(st.sampled_from(uscc_allowed(p))) for p in range(1, 17))
    first17 = first16 + ref_org_check(first16[8:])
    return first17 + ref_uscc_check(first17)


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    region = draw(st.from_regex(r"[0-9]{6}", fullmatch=True))
    born = draw(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2999, 12, 31)))
    sequence = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    first17 = region + born.strftime("%Y%m%d") + sequence
    return first17 + ref_resident_check(first17)


@st.composite
def substitutions(
    draw: st.DrawFn, codes: st.SearchStrategy[str], allowed: Callable[[int], str]
) -> Substitution:
    """A valid code, a position and the code with another allowed character there."""
    code = draw(codes)
    position = draw(st.integers(1, 18))
    choices = [c for c in allowed(position) if c != code[position - 1]]
    replacement = draw(st.sampled_from(choices))
    return code, position, code[: position - 1] + replacement + code[position:]


def raised(parse: Callable[[object], object], text: object) -> InvalidIdentifier:
    with pytest.raises(InvalidIdentifier) as info:
        parse(text)
    return info.value


# --- unified social credit code: real codes ---------------------------------------------------

REAL_USCCS = [
    "91350100M000100Y43",
    "91110000600037341L",
    "914403001922038216",
    "91440300708461136T",
    "91110000710925462X",
    "911000001000013428",
]


@pytest.mark.parametrize("code", REAL_USCCS)
def test_real_uscc_is_valid(code: str) -> None:
    uscc = Uscc.parse(code)
    assert str(uscc) == code
    assert is_valid_uscc(code)
    assert uscc_check_character(code[:17]) == code[17] == ref_uscc_check(code[:17])
    assert organisation_code_check_character(code[8:16]) == code[16] == ref_org_check(code[8:16])


def test_uscc_parts() -> None:
    uscc = Uscc.parse("91350100M000100Y43")
    assert uscc.registration_authority == "9"
    assert uscc.organisation_type == "1"
    assert uscc.region_code == "350100"
    assert uscc.organisation_code == "M000100Y4"
    assert uscc.check_character == "3"


def test_uscc_is_frozen_and_comparable() -> None:
    uscc = Uscc.parse("91350100M000100Y43")
    assert uscc == Uscc("91350100M000100Y43")
    assert len({uscc, Uscc.parse("91350100M000100Y43")}) == 1
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        uscc.code = "91110000600037341L"  # type: ignore[misc]


def test_uscc_constructor_checks_too() -> None:
    with pytest.raises(InvalidIdentifier, match="check character at position 18"):
        Uscc("91350100M000100Y44")


# --- unified social credit code: properties ---------------------------------------------------


@given(usccs())
def test_generated_uscc_is_valid(code: str) -> None:
    assert Uscc.parse(code).code == code
    assert uscc_check_character(code[:17]) == code[17]


@given(substitutions(usccs(), uscc_allowed))
def test_every_single_substitution_is_reported_at_position_18(case: Substitution) -> None:
    code, position, corrupted = case
    error = raised(Uscc.parse, corrupted)
    assert error.position == 18
    assert error.found == corrupted[17]
    assert error.expected == ref_uscc_check(corrupted[:17])
    if position == 18:
        assert error.expected == code[17]
    assert error.expected != error.found
    assert not is_valid_uscc(corrupted)


@given(usccs(), st.integers(1, 17))
def test_adjacent_transposition_is_detected(code: str, position: int) -> None:
    i = position - 1
    swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
    if swapped == code:
        return  # equal neighbours: nothing to detect
    bad = [p for p in range(1, 19) if swapped[p - 1] not in uscc_allowed(p)]
    error = raised(Uscc.parse, swapped)
    assert error.position == (bad[0] if bad else 18)


def test_transposition_example() -> None:
    error = raised(Uscc.parse, "91350100M000100Y34")
    assert (error.position, error.expected, error.found) == (18, "0", "4")


# --- unified social credit code: error messages ----------------------------------------------


@pytest.mark.parametrize("text", ["91350100M000100Y4", "91350100M000100Y433", ""])
def test_uscc_wrong_length(text: str) -> None:
    error = raised(Uscc.parse, text)
    assert f"must be 18 characters long, got {len(text)}" in error.reason
    assert error.position is None
    assert error.kind == "unified social credit code"


@pytest.mark.parametrize(
    ("text", "position", "reason"),
    [
        ("91350100m000100Y43", 9, "'m' is not allowed at position 9: lower case"),
        ("91350100M000100y43", 16, "'y' is not allowed at position 16: lower case"),
        ("I1350100M000100Y43", 1, "'I' is not allowed at position 1: the letters I, O, S, V"),
        ("91350100O000100Y43", 9, "'O' is not allowed at position 9: the letters I, O, S, V"),
        ("9S350100M000100Y43", 2, "'S' is not allowed at position 2: the letters I, O, S, V"),
        (
            "91350100M000100V43",
            16,
            "'V' is not allowed at position 16: the letters I, O, S, V and Z",
        ),
        (
            "91350100M000100Y4Z",
            18,
            "'Z' is not allowed at position 18: the letters I, O, S, V and Z",
        ),
        ("913501A0M000100Y43", 7, "'A' is not allowed at position 7: the region code"),
        ("9135010AM000100Y43", 8, "'A' is not allowed at position 8: the region code"),
        ("91B50100M000100Y43", 3, "'B' is not allowed at position 3: the region code"),
        ("91350100M000100Y4-", 18, "'-' is not allowed at position 18: not a digit or an upper"),
        ("913501００M000100Y43", 7, "the region code"),  # full-width digits
    ],
)
def test_uscc_character_not_allowed(text: str, position: int, reason: str) -> None:
    with pytest.raises(InvalidIdentifier, match=reason) as info:
        Uscc.parse(text)
    assert info.value.position == position
    assert info.value.expected is None
    assert info.value.found is None


def test_uscc_wrong_check_character() -> None:
    with pytest.raises(
        InvalidIdentifier, match=r"check character at position 18: expected '3', found '4'"
    ) as info:
        Uscc.parse("91350100M000100Y44")
    assert (info.value.position, info.value.expected, info.value.found) == (18, "3", "4")
    assert str(info.value).startswith("invalid unified social credit code '91350100M000100Y44'")


def test_uscc_wrong_organisation_code_check_character() -> None:
    first17 = "91350100M000100Y5"  # the organisation code check character should be 4
    code = first17 + ref_uscc_check(first17)
    with pytest.raises(
        InvalidIdentifier,
        match=r"organisation code check character at position 17: expected '4', found '5'",
    ) as info:
        Uscc.parse(code)
    assert (info.value.position, info.value.expected, info.value.found) == (17, "4", "5")


@pytest.mark.parametrize(
    "text", [" 91350100M000100Y43", "91350100M000100Y43\n", "91350100m000100y43"]
)
def test_uscc_is_not_normalised(text: str) -> None:
    assert not is_valid_uscc(text)
    with pytest.raises(InvalidIdentifier):
        Uscc.parse(text)


@pytest.mark.parametrize(
    ("value", "type_name"), [(913501, "int"), (b"91350100M000100Y43", "bytes"), (None, "NoneType")]
)
def test_uscc_not_a_str(value: object, type_name: str) -> None:
    with pytest.raises(InvalidInput, match=f"must be a str, not {type_name}"):
        Uscc.parse(value)


@pytest.mark.parametrize("value", [None, 1.5, object(), ["91350100M000100Y43"], "", "x" * 18])
def test_is_valid_uscc_never_raises(value: object) -> None:
    assert is_valid_uscc(value) is False


def test_uscc_check_character_refuses_bad_input() -> None:
    with pytest.raises(InvalidIdentifier, match="first 17 characters must be 17 characters"):
        uscc_check_character("91350100M000100Y43")
    with pytest.raises(InvalidIdentifier, match="position 9: lower case"):
        uscc_check_character("91350100m000100Y4")


def test_organisation_code_check_character() -> None:
    assert organisation_code_check_character("M000100Y") == "4"
    assert organisation_code_check_character("70846113") == "6"
    assert organisation_code_check_character("71092546") == "2"
    with pytest.raises(InvalidIdentifier, match="position 1: lower case"):
        organisation_code_check_character("m000100Y")


@given(st.text(alphabet=DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=8, max_size=8))
def test_organisation_code_check_matches_reference(body: str) -> None:
    assert organisation_code_check_character(body) == ref_org_check(body)


# --- resident ID ------------------------------------------------------------------------------

REAL_RESIDENT_IDS = [
    # code, region, birth date, sequence, sex
    ("11010519491231002X", "110105", dt.date(1949, 12, 31), "002", "female"),
    ("440524188001010014", "440524", dt.date(1880, 1, 1), "001", "male"),
]


@pytest.mark.parametrize(("code", "region", "born", "sequence", "sex"), REAL_RESIDENT_IDS)
def test_standard_resident_id_is_valid(
    code: str, region: str, born: dt.date, sequence: str, sex: str
) -> None:
    rid = ResidentId.parse(code)
    assert (rid.region, rid.birth_date, rid.sequence, rid.sex) == (region, born, sequence, sex)
    assert rid.check_character == code[17]
    assert str(rid) == code
    assert resident_id_check_character(code[:17]) == code[17] == ref_resident_check(code[:17])
    assert is_valid_resident_id(code)


@given(resident_ids())
def test_generated_resident_id_is_valid(code: str) -> None:
    assert ResidentId.parse(code).code == code
    assert resident_id_check_character(code[:17]) == code[17]


@given(substitutions(resident_ids(), resident_allowed))
def test_every_resident_id_substitution_is_reported_at_position_18(case: Substitution) -> None:
    code, position, corrupted = case
    error = raised(ResidentId.parse, corrupted)
    assert error.position == 18
    assert error.found == corrupted[17]
    assert error.expected == ref_resident_check(corrupted[:17])
    if position == 18:
        assert error.expected == code[17]
    assert not is_valid_resident_id(corrupted)


def test_resident_id_wrong_check_character() -> None:
    with pytest.raises(
        InvalidIdentifier, match=r"check character at position 18: expected 'X', found '1'"
    ) as info:
        ResidentId.parse("110105194912310021")
    assert (info.value.position, info.value.expected, info.value.found) == (18, "X", "1")
    assert info.value.kind == "resident ID"


def test_resident_id_lower_case_x() -> None:
    with pytest.raises(InvalidIdentifier, match="lower case; use upper-case 'X'") as info:
        ResidentId.parse("11010519491231002x")
    assert info.value.position == 18
    assert not is_valid_resident_id("11010519491231002x")


def test_resident_id_x_only_at_the_end() -> None:
    with pytest.raises(InvalidIdentifier, match="only allowed as the check character") as info:
        ResidentId.parse("1101051949123100X2")
    assert info.value.position == 17


@pytest.mark.parametrize(
    ("birth", "reason"),
    [
        ("19490230", "birth date 19490230 at positions 7-14 is not a real date"),
        ("19491301", "birth date 19491301 at positions 7-14 is not a real date"),
        ("19490100", "birth date 19490100 at positions 7-14 is not a real date"),
        ("19010229", "birth date 19010229 at positions 7-14 is not a real date"),
        ("00000101", "birth date 00000101 at positions 7-14 is not a real date"),
        ("17991231", "birth date 17991231 at positions 7-14 is before 1800-01-01"),
    ],
)
def test_resident_id_impossible_birth_date(birth: str, reason: str) -> None:
    first17 = "110105" + birth + "002"
    code = first17 + ref_resident_check(first17)
    with pytest.raises(InvalidIdentifier, match=reason) as info:
        ResidentId.parse(code)
    assert info.value.position == 7


def test_resident_id_leap_day_and_earliest_date() -> None:
    for birth in ("20000229", "18000101"):
        first17 = "110105" + birth + "002"
        assert is_valid_resident_id(first17 + ref_resident_check(first17))


@pytest.mark.parametrize(
    ("text", "match", "position"),
    [
        ("11010519491231002", "must be 18 characters long, got 17", None),
        ("110105194912310021X", "must be 18 characters long, got 19", None),
        ("1101051949123100 X", "' ' is not allowed at position 17: positions 1-17 are digits", 17),
        ("11010519491231002A", "position 18: the check character is a digit or 'X'", 18),
    ],
)
def test_resident_id_shape_errors(text: str, match: str, position: int | None) -> None:
    with pytest.raises(InvalidIdentifier, match=match) as info:
        ResidentId.parse(text)
    assert info.value.position == position


def test_resident_id_not_a_str() -> None:
    with pytest.raises(InvalidInput, match="must be a str, not int"):
        ResidentId.parse(110105194912310020)
    assert is_valid_resident_id(None) is False


def test_resident_id_check_character_refuses_bad_input() -> None:
    with pytest.raises(InvalidIdentifier, match="first 17 characters must be 17"):
        resident_id_check_character("1101051949123100")


# --- masking ----------------------------------------------------------------------------------


def test_masked_default_keeps_region_and_last_four() -> None:
    assert ResidentId.parse("11010519491231002X").masked() == "110105********002X"


@pytest.mark.parametrize(
    ("keep_start", "keep_end", "expected"),
    [
        (3, 2, "110*************2X"),
        (0, 0, "*" * 18),
        (0, 1, "*" * 17 + "X"),
        (17, 0, "11010519491231002*"),
    ],
)
def test_masked_custom(keep_start: int, keep_end: int, expected: str) -> None:
    assert ResidentId.parse("11010519491231002X").masked(keep_start, keep_end) == expected


@pytest.mark.parametrize(("keep_start", "keep_end"), [(-1, 4), (6, -1), (10, 8), (18, 0)])
def test_masked_refuses_keeping_too_much(keep_start: int, keep_end: int) -> None:
    with pytest.raises(InvalidInput, match="cannot mask"):
        ResidentId.parse("11010519491231002X").masked(keep_start, keep_end)


def test_masked_refuses_non_int() -> None:
    with pytest.raises(InvalidInput, match="keep_start must be an int"):
        ResidentId.parse("11010519491231002X").masked(True, 4)


# --- subject ids: one check for every entry point -----------------------------------------------


@pytest.mark.parametrize("code", ["91350100M000100Y43", "11010519491231002X", "440524188001010014"])
def test_a_subject_id_is_a_valid_uscc_or_resident_id(code: str) -> None:
    assert subject_id(code) == code


@pytest.mark.parametrize(
    ("text", "kind", "position"),
    [
        ("91350100M000100Y44", "unified social credit code", 18),  # wrong check character
        ("11010519491231002Y", "unified social credit code", 18),  # Y: a USCC character
        ("110105194912310021", "resident ID", 18),  # digits, a real birth date
        ("440524188001010015", "resident ID", 18),
        ("11010519491231003X", "resident ID", 18),  # ends in X
        ("11010519491231002x", "resident ID", 18),  # ends in a lower-case x
        ("110105194913310020", "unified social credit code", 18),  # digits, no date there
    ],
)
def test_a_bad_subject_id_is_named_by_the_kind_it_resembles(
    text: str, kind: str, position: int
) -> None:
    """Digits with a birth date at positions 7-14, or a final X, read as a resident ID."""
    with pytest.raises(InvalidIdentifier) as info:
        subject_id(text)
    assert (info.value.kind, info.value.position) == (kind, position), str(info.value)


@pytest.mark.parametrize("text", ["", "9135010", 91350100, None])
def test_a_subject_id_of_the_wrong_length_or_type_names_both_kinds(text: object) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        subject_id(text)
    assert info.value.kind == "subject id (unified social credit code or resident ID)"
