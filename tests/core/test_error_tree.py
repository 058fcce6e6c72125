"""The exception tree drawn in creditflow.errors' docstring is the real class tree."""

from __future__ import annotations

import inspect
import re
import textwrap

import pytest

from creditflow import errors

_LINE = re.compile(r"^(?P<indent>[ │├└─]*)(?P<name>[A-Z]\w+)\s+(?:\((?P<builtins>[A-Za-z, ]+)\))?")


def _drawn() -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """Each class drawn: its drawn parent (None for the root) and the builtins beside it."""
    text = inspect.getdoc(errors) or ""
    block = textwrap.dedent(text.split("::\n\n", 1)[1].split("\n\n", 1)[0])
    drawn: dict[str, tuple[str | None, tuple[str, ...]]] = {}
    stack: list[str] = []
    for line in block.splitlines():
        match = _LINE.match(line)
        assert match, f"cannot read the drawn line {line!r}"
        depth = len(match["indent"]) // 4
        del stack[depth:]
        builtins = tuple(b.strip() for b in (match["builtins"] or "").split(",") if b.strip())
        drawn[match["name"]] = (stack[-1] if stack else None, builtins)
        stack.append(match["name"])
    return drawn


def _errors() -> dict[str, type[BaseException]]:
    return {
        name: value
        for name in errors.__all__
        if inspect.isclass(value := getattr(errors, name)) and issubclass(value, BaseException)
    }


def test_every_error_is_drawn_and_every_drawn_class_exists() -> None:
    assert set(_drawn()) == set(_errors())


@pytest.mark.parametrize("name", sorted(_errors()))
def test_each_error_subclasses_what_the_drawing_shows(name: str) -> None:
    parent, builtins = _drawn()[name]
    cls = _errors()[name]
    own = [b for b in cls.__bases__ if issubclass(b, errors.CreditflowError)]
    if parent is None:
        assert own == []
        assert cls is errors.CreditflowError
    else:
        assert [b.__name__ for b in own] == [parent], f"{name} subclasses {own}"
    others = [b.__name__ for b in cls.__bases__ if not issubclass(b, errors.CreditflowError)]
    assert others == list(builtins), f"{name} subclasses {others}, the drawing shows {builtins}"


def test_a_refusal_is_no_os_error() -> None:
    """``except OSError`` around a book's I/O must not catch a permission refusal."""
    assert not issubclass(errors.NotPermitted, OSError)
    assert issubclass(errors.NotPermitted, errors.TransitionRefused)


def test_an_invalid_pack_is_not_invalid_input() -> None:
    """``except InvalidInput`` (a malformed value) does not swallow a pack's problem list."""
    assert not issubclass(errors.PolicyError, errors.InvalidInput)
    assert issubclass(errors.PolicyAnalysisError, errors.PolicyError)
    assert issubclass(errors.PolicyError, ValueError)
