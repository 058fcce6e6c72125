"""The public surface of creditflow.supervision: complete, sorted and documented."""

from __future__ import annotations

import inspect

import creditflow.supervision as supervision


def _ruff_order(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions (ruff's RUF022 order)."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_all_is_sorted_and_every_name_exists() -> None:
    names = list(supervision.__all__)
    assert names == sorted(names, key=_ruff_order)
    assert len(set(names)) == len(names)
    for name in names:
        assert hasattr(supervision, name), name


def test_every_public_name_is_documented() -> None:
    for name in supervision.__all__:
        value = getattr(supervision, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name
