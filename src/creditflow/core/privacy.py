"""Persons' data kept out of what is published, raised or printed: the one masking rule.

Information about natural persons is in principle not published (NDRC Order 36). Every public
output (notices, the plan notice), every exception message and every ``repr()`` of a value that
can hold a person's id goes through :func:`mask_resident_ids`; the rule is:

- A resident ID (居民身份证号码) shows its first 6 characters (the region code) and its last 4,
  the 8 between them as ``*``: ``11010519491231002X`` -> ``110105********002X``, the form of
  :meth:`~creditflow.core.ResidentId.masked` and of the plan notice.
- In text, every run of 17 digits and a digit or ``X``/``x`` that touches no ASCII letter or
  digit on either side is taken for a resident ID and masked, whether its check character is
  right or not (a mistyped ID is still a person's). The one exception is a valid unified social
  credit code that is not also a valid resident ID: credit codes of enterprises are public.
  A run inside a longer token (a hash, a longer number) is left alone.
- A value typed for a resident ID that is not 18 characters long (echoed by
  :class:`~creditflow.errors.InvalidIdentifier`) keeps its first 6 and last 4 characters when it
  has at least 14, and is all ``*`` when shorter.
- A person's name shows its first character only: ``张三`` -> ``张*``.

Credit codes (USCC) of enterprises, plates, vessel ids and the ids of officials acting in their
public office are shown as they are, unless they look like a resident ID.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from creditflow._validation import ensure_instance
from creditflow.core.identifiers import is_valid_resident_id, is_valid_uscc

__all__ = [
    "KEEP_END",
    "KEEP_START",
    "mask_name",
    "mask_resident_id",
    "mask_resident_ids",
    "masked_repr",
    "public_id",
]

KEEP_START = 6
"""Leading characters of a resident ID left visible: the region code (行政区划代码)."""
KEEP_END = 4
"""Trailing characters of a resident ID left visible: the sequence code and check character."""

_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")

_T = TypeVar("_T")


def mask_resident_id(code: str) -> str:
    """``code`` (a resident ID, or what was typed for one) masked by the rule above."""
    ensure_instance(code, str, "code")
    size = len(code)
    if size < KEEP_START + KEEP_END + 4:
        return "*" * size
    return code[:KEEP_START] + "*" * (size - KEEP_START - KEEP_END) + code[size - KEEP_END :]


def _masked_run(match: re.Match[str]) -> str:
    run = match.group()
    if is_valid_uscc(run) and not is_valid_resident_id(run):
        return run
    return mask_resident_id(run)


def mask_resident_ids(text: str) -> str:
    """``text`` with every resident ID in it masked (see the module docstring for the rule)."""
    ensure_instance(text, str, "text")
    return _RUN.sub(_masked_run, text)


def public_id(subject_id: str, kind: str | None = None) -> str:
    """A subject id fit for publication: a person's resident ID masked, other ids as they are.

    With ``kind`` ``"person"`` the id is masked whatever it looks like; with ``kind`` None (a
    book case does not say) any id that looks like a resident ID is taken for a person's:
    masking an enterprise by mistake hides nothing that must be public, while showing a
    person's ID would break the rule.
    """
    ensure_instance(subject_id, str, "subject_id")
    if kind == "person":
        return mask_resident_id(subject_id)
    return mask_resident_ids(subject_id)


def mask_name(name: str) -> str:
    """A person's name with every character but the first as ``*``: ``张三`` -> ``张*``."""
    ensure_instance(name, str, "name")
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else "*"


def masked_repr(cls: type[_T]) -> type[_T]:
    """Class decorator: the class's ``repr()`` with every resident ID in it masked.

    Put it above ``@attrs.frozen`` (or on a named tuple); the fields keep their values, only
    the text is masked.
    """
    plain: Callable[[_T], str] = cls.__repr__

    def __repr__(self: _T) -> str:
        return mask_resident_ids(plain(self))

    __repr__.__qualname__ = f"{cls.__qualname__}.__repr__"
    cls.__repr__ = __repr__  # type: ignore[assignment,method-assign]
    return cls
