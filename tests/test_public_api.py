"""The public surface: __all__ is complete, sorted and documented, in every public package."""

from __future__ import annotations

import importlib
import inspect

import pytest

import creditflow

PACKAGES = [
    "creditflow",
    "creditflow.core",
    "creditflow.calendar",
    "creditflow.policy",
    "creditflow.rules",
    "creditflow.errors",
    "creditflow.book",
    "creditflow.workflows",
    "creditflow.supervision",
    "creditflow.licensing",
    "creditflow.disclosure",
    "creditflow.testing",
    "creditflow.scale",
    "creditflow.service",
]


def _isort_order(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions and modules (ruff's RUF022 order)."""
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return (kind, name)


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_every_name_exists(name: str) -> None:
    module = importlib.import_module(name)
    names = list(module.__all__)
    assert names == sorted(names, key=_isort_order)
    assert len(set(names)) == len(names)
    for public in names:
        assert hasattr(module, public), f"{name}.{public}"


@pytest.mark.parametrize("name", PACKAGES)
def test_every_public_name_is_documented(name: str) -> None:
    module = importlib.import_module(name)
    for public in module.__all__:
        value = getattr(module, public)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{name}.{public} has no docstring"


def test_public_names_are_exported_at_the_top() -> None:
    for needed in ("load_policy", "Engine", "Facts", "WorkdayCalendar", "is_valid_uscc", "errors"):
        assert needed in creditflow.__all__


def test_every_error_is_a_creditflow_error_and_a_builtin() -> None:
    from creditflow import errors

    for name in errors.__all__:
        error = getattr(errors, name)
        if name == "PolicyProblem":
            continue
        assert issubclass(error, errors.CreditflowError)
        assert error is errors.CreditflowError or any(
            issubclass(error, b)
            for b in (ValueError, LookupError, TypeError, RuntimeError, ImportError)
        ), name
        assert error.code, name
