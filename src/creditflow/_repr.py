"""How a value a caller gave is shown in an error message: short, and safe for any value.

``repr()`` of a list nested thousands of levels deep raises ``RecursionError``, and that of a
megabyte string makes a megabyte message; :func:`shown` cuts both, and leaves every ordinary
value (a name, a date, a short list) exactly as ``repr`` shows it.
"""

from __future__ import annotations

import reprlib

__all__ = ["a_type", "shown"]

_REPR = reprlib.Repr()
_REPR.maxlevel = 4
_REPR.maxstring = 80
_REPR.maxlong = 60
_REPR.maxother = 120
_REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxfrozenset = 12
_REPR.maxdict = 12


def shown(value: object) -> str:
    """``repr(value)``, cut to a readable length; never raises for depth."""
    try:
        return _REPR.repr(value)
    except Exception:  # a __repr__ that fails: name the type instead
        return f"<{type(value).__name__} object>"


def a_type(value: object) -> str:
    """The type of ``value`` with its article, for messages: ``"a str"``, ``"an int"``."""
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"
