"""Parse and check unified social credit codes (USCC) and resident IDs, strictly.

Parsing never normalises: no stripping, no upper-casing. Checks run from the outside in:
type, length, the characters allowed at each position, the check character at position 18,
then the inner parts (the organisation code check character at position 17 of a USCC, the
birth date of a resident ID). So a single wrong character anywhere, when it is a character
allowed at its position, is always reported at the check position 18: for a USCC the mod 31
check detects every such substitution, for a resident ID the MOD 11-2 check detects every
digit substitution.

A valid identifier is accepted at bulk speed, with table lookups (about 1 µs: a population
of millions is checked this way); only an identifier that fails that fast check goes through
the step-by-step diagnosis above, which names what is wrong. The two agree exactly (a
differential test holds them to it).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import struct
from collections.abc import Callable, Sequence
from typing import Literal

import attrs

from creditflow._validation import ensure_int
from creditflow.errors import InvalidIdentifier, InvalidInput

__all__ = [
    "ResidentId",
    "Uscc",
    "are_valid_resident_ids",
    "are_valid_usccs",
    "is_valid_resident_id",
    "is_valid_uscc",
    "organisation_code_check_character",
    "resident_id_check_character",
    "subject_id",
    "uscc_check_character",
]

_USCC = "unified social credit code"
_RESIDENT_ID = "resident ID"
_SUBJECT_ID = f"subject id ({_USCC} or {_RESIDENT_ID})"
_ORGANISATION_CODE = "organisation code"

_DIGITS = "0123456789"
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORGANISATION_ALPHABET = _DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_ID_CHECKS = "10X98765432"
_EARLIEST_BIRTH_DATE = dt.date(1800, 1, 1)
_RESIDENT_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")

# Says what is wrong with a character at a 1-based position, or None if it is allowed there.
_CharRule = Callable[[str, int], str | None]


# --- shared steps -----------------------------------------------------------------------------


def _text(kind: str, value: object, length: int, what: str = "") -> str:
    """``value`` if it is a str of ``length`` characters."""
    if not isinstance(value, str):
        raise InvalidIdentifier(kind, value, f"must be a str, not {type(value).__name__}")
    if len(value) != length:
        reason = f"{what}must be {length} characters long, got {len(value)}"
        raise InvalidIdentifier(kind, value, reason)
    return value


def _characters(kind: str, text: str, rule: _CharRule) -> None:
    """Raise for the first character that ``rule`` refuses."""
    for position, char in enumerate(text, start=1):
        problem = rule(char, position)
        if problem is not None:
            reason = f"character {char!r} is not allowed at position {position}: {problem}"
            raise InvalidIdentifier(kind, text, reason, position=position)


def _compare(kind: str, text: str, name: str, position: int, expected: str) -> None:
    """Raise if the character at ``position`` is not ``expected``."""
    found = text[position - 1]
    if found != expected:
        reason = f"{name} at position {position}: expected {expected!r}, found {found!r}"
        raise InvalidIdentifier(
            kind, text, reason, position=position, expected=expected, found=found
        )


def _letter_problem(char: str) -> str:
    """Why a character outside an identifier's alphabet is refused."""
    if char.isascii() and char.islower():
        return "lower case; use upper-case letters"
    return "not a digit or an upper-case letter"


# --- fast acceptance: the tables of is_valid_uscc and is_valid_resident_id ---------------------
#
# The weighted sums of the check characters, as one int() each. The weights are powers:
# - USCC position i (0-based) weighs 3**i mod 31, and 34 = 3 mod 31, so the sum mod 31 is the
#   first 17 characters, reversed, read as a base-34 number whose digits are the characters'
#   values in the GB 32100 alphabet;
# - organisation code character j (0-based) weighs 3 * 6**j mod 11; read in base 13 (13 = 2 =
#   1/6 mod 11) the 8 characters with digits (value mod 11) make 2**7 = 1/8 times the sum
#   over 3, so the sum mod 11 is 24 = 2 times that number;
# - resident ID position i (1-based) weighs 2**(18-i) mod 11, and 13 = 2 mod 11, so the sum
#   mod 11 is 2 times the first 17 digits read in base 13.

_BASE36_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_ORGANISATION_CHECKS = "0X987654321"  # indexed by the weighted sum mod 11


def _byte_table(digit: Callable[[str], str]) -> bytes:
    """A ``bytes.translate`` table: each USCC alphabet character to the digit it stands for,
    every other byte to ``!``, which no ``int()`` accepts."""
    table = bytearray(b"!" * 256)
    for char in _USCC_ALPHABET:
        table[ord(char)] = ord(digit(char))
    return bytes(table)


_USCC_BASE34 = _byte_table(lambda c: _BASE36_DIGITS[_USCC_ALPHABET.index(c)])
_ORGANISATION_BASE13 = _byte_table(lambda c: _BASE36_DIGITS[int(c, 36) % 11])


# The tables of are_valid_usccs: byte values to add up, a table per position (any byte out of
# the alphabet is refused before they are read); and each byte value modulo 31 or 11.


def _value_table(values: dict[str, int]) -> bytes:
    table = bytearray(256)
    for char, value in values.items():
        table[ord(char)] = value
    return bytes(table)


# The weighted values of the first 17 characters and the value of the check character: they
# add up to 0 mod 31 in a valid code.
_USCC_LANES = [
    _value_table({c: _USCC_ALPHABET.index(c) * weight % 31 for c in _USCC_ALPHABET})
    for weight in _USCC_WEIGHTS
] + [_value_table({c: _USCC_ALPHABET.index(c) for c in _USCC_ALPHABET})]
# The weighted values of the organisation code body, and the value its check character makes
# up to 0 mod 11 with them.
_ORGANISATION_LANES = [
    _value_table({c: int(c, 36) * weight % 11 for c in _USCC_ALPHABET})
    for weight in _ORGANISATION_WEIGHTS
] + [_value_table({c: -_ORGANISATION_CHECKS.index(c) % 11 for c in _ORGANISATION_CHECKS})]
_MOD_31 = bytes(value % 31 for value in range(256))
_MOD_11 = bytes(value % 11 for value in range(256))
_USCC_ALPHABET_BYTES = _USCC_ALPHABET.encode()
_ORGANISATION_CHECK_BYTES = _ORGANISATION_CHECKS.encode()
# The weighted digits of a resident ID and the value of its check character: they add up to
# 0 mod 11 in a valid ID.
_RESIDENT_ID_LANES = [
    _value_table({c: int(c) * weight % 11 for c in _DIGITS}) for weight in _RESIDENT_ID_WEIGHTS
] + [_value_table({c: -_RESIDENT_ID_CHECKS.index(c) % 11 for c in _RESIDENT_ID_CHECKS})]
_RESIDENT_ID_CHECKS_BYTES = _RESIDENT_ID_CHECKS.encode()
# Every month and day of a leap year, as (b"MMDD",).
_MONTH_DAYS = frozenset(
    ((dt.date(2000, 1, 1) + dt.timedelta(days=n)).strftime("%m%d").encode(),) for n in range(366)
)


# --- unified social credit code ---------------------------------------------------------------


def _uscc_rule(char: str, position: int) -> str | None:
    if 3 <= position <= 8:
        if char in _DIGITS:
            return None
        return "the region code (positions 3-8) is 6 digits"
    if char in _USCC_ALPHABET:
        return None
    if char in "IOSVZ":
        return "the letters I, O, S, V and Z are never used"
    return _letter_problem(char)


def uscc_check_character(first17: str) -> str:
    """The check character (position 18) of a unified social credit code, from its first 17.

    GB 32100-2015: mod 31 over ``0-9 A-H J-N P-R T-U W-Y`` with weights ``3**i mod 31``.
    Raises :class:`InvalidIdentifier` if ``first17`` is not 17 allowed characters.
    """
    text = _text(_USCC, first17, 17, "the first 17 characters ")
    _characters(_USCC, text, _uscc_rule)
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(text, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def organisation_code_check_character(body: str) -> str:
    """The check character of an organisation code (组织机构代码, GB 11714) from its 8-char body.

    In a unified social credit code the body is positions 9-16 and the check character is
    position 17. ``'X'`` stands for 10. Raises :class:`InvalidIdentifier` on a malformed body.
    """
    text = _text(_ORGANISATION_CODE, body, 8)
    _characters(
        _ORGANISATION_CODE,
        text,
        lambda c, _p: None if c in _ORGANISATION_ALPHABET else _letter_problem(c),
    )
    total = sum(int(c, 36) * w for c, w in zip(text, _ORGANISATION_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _check_uscc(value: object) -> str:
    """``value`` if it is a valid unified social credit code, else raise saying why."""
    if isinstance(value, str) and is_valid_uscc(value):
        return value
    return _diagnose_uscc(value)


def _diagnose_uscc(value: object) -> str:
    """:func:`_check_uscc` step by step, to say what is wrong."""
    text = _text(_USCC, value, 18)
    _characters(_USCC, text, _uscc_rule)
    _compare(_USCC, text, "check character", 18, uscc_check_character(text[:17]))
    expected = organisation_code_check_character(text[8:16])
    _compare(_USCC, text, "organisation code check character", 17, expected)
    return text


@attrs.frozen
class Uscc:
    """A unified social credit code (统一社会信用代码, GB 32100-2015) of 18 characters.

    Build it with :meth:`parse`; the plain constructor checks the same way.
    """

    code: str = attrs.field(validator=lambda _i, _a, value: _check_uscc(value))

    @classmethod
    def parse(cls, text: object) -> Uscc:
        """The code in ``text``; raises :class:`InvalidIdentifier` saying what is wrong.

        A wrong character that is allowed at its position is reported at position 18 (see the
        module docstring).
        """
        return cls(_check_uscc(text))

    @property
    def registration_authority(self) -> str:
        """Position 1: the registration authority code (登记管理部门代码), e.g. ``'9'``."""
        return self.code[0]

    @property
    def organisation_type(self) -> str:
        """Position 2: the organisation type code (机构类别代码), e.g. ``'1'`` for a company."""
        return self.code[1]

    @property
    def region_code(self) -> str:
        """Positions 3-8: the region code (行政区划代码, GB/T 2260) of the registering office."""
        return self.code[2:8]

    @property
    def organisation_code(self) -> str:
        """Positions 9-17: the organisation code (组织机构代码, GB 11714) with its check."""
        return self.code[8:17]

    @property
    def check_character(self) -> str:
        """Position 18: the mod 31 check character."""
        return self.code[17]

    def __str__(self) -> str:
        return self.code


def is_valid_uscc(code: object) -> bool:
    """Whether ``code`` is a valid unified social credit code; never raises.

    Fast (about 1 µs, with table lookups): fit for checking millions of codes.
    """
    if not isinstance(code, str) or len(code) != 18 or not code.isascii():
        return False
    raw = code.encode("ascii")
    if not raw[2:8].isdigit():
        return False
    try:
        total = int(raw[16::-1].translate(_USCC_BASE34), 34)
    except ValueError:  # a character outside the alphabet
        return False
    if _USCC_ALPHABET[-total % 31] != code[17]:
        return False
    total = 2 * int(raw[8:16].translate(_ORGANISATION_BASE13), 13)
    return _ORGANISATION_CHECKS[total % 11] == code[16]


def _joined(codes: Sequence[str]) -> bytes | bool:
    """``codes`` joined as ASCII bytes when every one is 18 ASCII characters; otherwise the
    answer the batch checks give at once: True for no codes, False for anything else."""
    count = len(codes)
    try:
        text = "".join(codes)
    except TypeError:  # a value that is not a str
        return False
    if not count or len(text) != 18 * count or not text.isascii():
        return not count
    if max(map(len, codes)) != 18:
        return False
    return text.encode("ascii")


def are_valid_usccs(codes: Sequence[str]) -> bool:
    """Whether every one of ``codes`` is a valid unified social credit code; never raises.

    The answer of ``all(map(is_valid_uscc, codes))``, for many codes at a time: about 0.15 µs
    a code for a few thousand. Each step runs over all the codes at once: the characters of
    one position in every code are a strided slice of the codes' joined bytes, translated to
    their weighted values and read as one integer with a byte for each code, so that adding
    the integers of a few positions adds up the values of every code at once, each in its own
    byte (six values below 31, or nine below 11, never carry into the next).
    """
    raw = _joined(codes)
    if isinstance(raw, bool):
        return raw
    count = len(codes)
    if raw.translate(None, _USCC_ALPHABET_BYTES) or raw[16::18].translate(
        None, _ORGANISATION_CHECK_BYTES
    ):
        return False
    if not all(raw[position::18].isdigit() for position in range(2, 8)):
        return False
    zeros = bytes(count)
    total = 0
    for group in (range(0, 6), range(6, 12), range(12, 18)):
        sums = sum(_lane(raw, position, _USCC_LANES[position]) for position in group)
        total += int.from_bytes(sums.to_bytes(count, "little").translate(_MOD_31), "little")
    if total.to_bytes(count, "little").translate(_MOD_31) != zeros:
        return False
    sums = sum(_lane(raw, position, _ORGANISATION_LANES[position - 8]) for position in range(8, 17))
    return sums.to_bytes(count, "little").translate(_MOD_11) == zeros


def _lane(raw: bytes, position: int, table: bytes) -> int:
    """The values of the characters at ``position`` of 18-character codes, a byte for each."""
    return int.from_bytes(raw[position::18].translate(table), "little")


# --- resident ID ------------------------------------------------------------------------------


def _resident_id_rule(char: str, position: int) -> str | None:
    if char in _DIGITS:
        return None
    if position == 18:
        if char == "X":
            return None
        if char == "x":
            return "lower case; use upper-case 'X'"
        return "the check character is a digit or 'X'"
    if char in "Xx":
        return "'X' is only allowed as the check character at position 18"
    return "positions 1-17 are digits"


def resident_id_check_character(first17: str) -> str:
    """The check character (position 18) of a resident ID from its first 17 digits.

    ISO 7064 MOD 11-2 as in GB 11643-1999; ``'X'`` stands for 10.
    Raises :class:`InvalidIdentifier` if ``first17`` is not 17 digits.
    """
    text = _text(_RESIDENT_ID, first17, 17, "the first 17 characters ")
    _characters(_RESIDENT_ID, text, _resident_id_rule)
    total = sum(int(c) * w for c, w in zip(text, _RESIDENT_ID_WEIGHTS, strict=True))
    return _RESIDENT_ID_CHECKS[total % 11]


def _birth_date(text: str) -> dt.date:
    """The birth date in positions 7-14 of a resident ID, or raise."""
    digits = text[6:14]
    try:
        born = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        reason = f"birth date {digits} at positions 7-14 is not a real date"
        raise InvalidIdentifier(_RESIDENT_ID, text, reason, position=7) from None
    if born < _EARLIEST_BIRTH_DATE:
        reason = f"birth date {digits} at positions 7-14 is before 1800-01-01"
        raise InvalidIdentifier(_RESIDENT_ID, text, reason, position=7)
    return born


def _check_resident_id(value: object) -> str:
    """``value`` if it is a valid resident ID, else raise saying why."""
    if isinstance(value, str) and is_valid_resident_id(value):
        return value
    return _diagnose_resident_id(value)


def _diagnose_resident_id(value: object) -> str:
    """:func:`_check_resident_id` step by step, to say what is wrong."""
    text = _text(_RESIDENT_ID, value, 18)
    _characters(_RESIDENT_ID, text, _resident_id_rule)
    _compare(_RESIDENT_ID, text, "check character", 18, resident_id_check_character(text[:17]))
    _birth_date(text)
    return text


@attrs.frozen
class ResidentId:
    """A resident ID (居民身份证号码, GB 11643-1999) of 18 characters, last one a digit or 'X'.

    Build it with :meth:`parse`; the plain constructor checks the same way. A birth date in
    the future is not refused: pure code has no clock.
    """

    code: str = attrs.field(validator=lambda _i, _a, value: _check_resident_id(value))

    @classmethod
    def parse(cls, text: object) -> ResidentId:
        """The ID in ``text``; raises :class:`InvalidIdentifier` saying what is wrong.

        Only an upper-case ``'X'`` is accepted. A wrong digit is reported at position 18 (see
        the module docstring); a checked ID with an impossible birth date at position 7.
        """
        return cls(_check_resident_id(text))

    @property
    def region(self) -> str:
        """Positions 1-6: the region code (行政区划代码) where the ID was issued."""
        return self.code[:6]

    @property
    def birth_date(self) -> dt.date:
        """Positions 7-14: the birth date."""
        return _birth_date(self.code)

    @property
    def sequence(self) -> str:
        """Positions 15-17: the sequence code (顺序码)."""
        return self.code[14:17]

    @property
    def sex(self) -> Literal["male", "female"]:
        """``'male'`` if position 17 is odd, else ``'female'``."""
        return "male" if int(self.code[16]) % 2 else "female"

    @property
    def check_character(self) -> str:
        """Position 18: the MOD 11-2 check character."""
        return self.code[17]

    def masked(self, keep_start: int = 6, keep_end: int = 4) -> str:
        """The ID with all but the first ``keep_start`` and last ``keep_end`` characters as '*'.

        The defaults (6 and 4) are the rule every public output, message and repr of creditflow
        follows (:func:`creditflow.core.privacy.mask_resident_id`).
        """
        start = ensure_int(keep_start, "keep_start")
        end = ensure_int(keep_end, "keep_end")
        if start < 0 or end < 0 or start + end >= len(self.code):
            raise InvalidInput(
                f"cannot mask with keep_start={start}, keep_end={end}: both must be >= 0 and "
                f"keep_start + keep_end < {len(self.code)} so that something is masked"
            )
        hidden = len(self.code) - start - end
        return self.code[:start] + "*" * hidden + self.code[len(self.code) - end :]

    def __str__(self) -> str:
        return self.code

    def __repr__(self) -> str:
        """Masked, as every repr that can hold a person's ID (:mod:`creditflow.core.privacy`)."""
        return f"ResidentId(code={self.masked()!r})"


def is_valid_resident_id(code: object) -> bool:
    """Whether ``code`` is a valid resident ID; never raises.

    Fast (about 1 µs, with table lookups): fit for checking millions of IDs.
    """
    if not isinstance(code, str) or _RESIDENT_ID_SHAPE.fullmatch(code) is None:
        return False
    if _RESIDENT_ID_CHECKS[2 * int(code[:17], 13) % 11] != code[17]:
        return False
    try:
        born = dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return False
    return born >= _EARLIEST_BIRTH_DATE


def are_valid_resident_ids(codes: Sequence[str]) -> bool:
    """Whether every one of ``codes`` is a valid resident ID; never raises.

    The answer of ``all(map(is_valid_resident_id, codes))``, for many IDs at a time, the way
    :func:`are_valid_usccs` checks codes; the birth dates as a set of month-days and the least
    year, with 29 February looked at one by one.
    """
    raw = _joined(codes)
    if isinstance(raw, bool):
        return raw
    count = len(codes)
    if raw.translate(None, _RESIDENT_ID_CHECKS_BYTES) or raw.count(b"X") != raw[17::18].count(b"X"):
        return False  # not 17 digits and a digit or X
    sums = sum(_lane(raw, position, _RESIDENT_ID_LANES[position]) for position in range(18))
    if sums.to_bytes(count, "little").translate(_MOD_11) != bytes(count):
        return False
    if not _MONTH_DAYS.issuperset(struct.iter_unpack("10x4s4x", raw)):
        return False
    if min(struct.iter_unpack("6x4s8x", raw)) < (b"1800",):
        return False
    at = raw.find(b"0229")
    while at != -1:  # 29 February, in a leap year only
        if at % 18 == 10 and not calendar.isleap(int(raw[at - 4 : at])):
            return False
        at = raw.find(b"0229", at + 1)
    return True


# --- subject ids ------------------------------------------------------------------------------

_RESIDENT_ID_LOOK = re.compile(r"[0-9]{17}[0-9Xx]")


def subject_id(text: object) -> str:
    """``text`` if it identifies an enterprise or a person: a valid unified social credit code
    (统一社会信用代码) or resident ID (居民身份证号码). Every entry point that takes a subject id
    checks it with this function.

    Raises :class:`InvalidIdentifier` when it is neither, for the kind ``text`` resembles: a
    resident ID when it is 17 digits and a digit or ``X`` with a real birth date from 1800 at
    positions 7-14, or 17 digits and ``X`` (``x``); otherwise a unified social credit code.
    Text that is not a str of 18 characters is refused as a ``subject id``.
    """
    if isinstance(text, str) and (is_valid_uscc(text) or is_valid_resident_id(text)):
        return text
    checked = _text(_SUBJECT_ID, text, 18)
    if _looks_like_resident_id(checked):
        return _diagnose_resident_id(checked)
    return _diagnose_uscc(checked)


def _looks_like_resident_id(text: str) -> bool:
    """17 digits then a digit or X, and either the X or a real birth date at positions 7-14."""
    if _RESIDENT_ID_LOOK.fullmatch(text) is None:
        return False
    if text[17] in "Xx":
        return True
    try:
        _birth_date(text)
    except InvalidIdentifier:
        return False
    return True
