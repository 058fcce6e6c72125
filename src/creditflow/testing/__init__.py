"""creditflow.testing: a testing kit for policy authors (install with the ``test`` extra).

Hypothesis strategies (:mod:`creditflow.testing.strategies`), policy checks as test helpers
(:func:`assert_policy_sound`, :func:`assert_monotone`), a stateful base over the credit book
(:class:`BookStateMachine`), coverage of a pack by the tests (:func:`record_coverage`) and a
pytest plugin (:mod:`creditflow.testing.plugin`)::

    from hypothesis import given
    from creditflow.testing import assert_policy_sound, strategies as cst

    def test_my_pack_is_sound(creditflow_policy):
        assert_policy_sound(creditflow_policy)

Importing this package imports Hypothesis when it is installed; the checks and the plugin
work without it. ``import creditflow`` never imports Hypothesis.
"""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    """Hypothesis calls this at import, through the ``hypothesis`` entry point of creditflow,
    so that ``st.from_type(Subject)`` works in any test once creditflow is installed."""
    import sys

    # When this package is what imported Hypothesis, its strategies module is still loading:
    # the package registers at the end of its own import instead.
    module = sys.modules.get("creditflow.testing.strategies")
    if module is None:
        import creditflow.testing.strategies as module
    register = getattr(module, "register", None)
    if register is not None:
        register()


from typing import Any  # noqa: E402

from creditflow.testing.checks import assert_monotone, assert_policy_sound  # noqa: E402
from creditflow.testing.coverage import Coverage, CoverageReport, record_coverage  # noqa: E402

# The pytest plugin and the checks work without Hypothesis: the plugin's entry point is
# installed with creditflow itself, and must not break pytest where the `test` extra is not.
try:
    from creditflow.testing import strategies
    from creditflow.testing.stateful import (
        BookStateMachine,
        CommitmentStateMachine,
        ListingStateMachine,
        ObjectionStateMachine,
        RepairStateMachine,
    )
except ModuleNotFoundError as error:
    if error.name != "hypothesis":
        raise
    _MISSING = error
else:
    strategies.register()


def __getattr__(name: str) -> Any:
    if name in ("strategies", *_STATEFUL):
        raise ModuleNotFoundError(
            f"creditflow.testing.{name} needs Hypothesis: pip install 'creditflow[test]'",
            name="hypothesis",
        ) from _MISSING
    raise AttributeError(f"module 'creditflow.testing' has no attribute {name!r}")


_STATEFUL = (
    "BookStateMachine",
    "CommitmentStateMachine",
    "ListingStateMachine",
    "ObjectionStateMachine",
    "RepairStateMachine",
)

__all__ = [
    "BookStateMachine",
    "CommitmentStateMachine",
    "Coverage",
    "CoverageReport",
    "ListingStateMachine",
    "ObjectionStateMachine",
    "RepairStateMachine",
    "assert_monotone",
    "assert_policy_sound",
    "record_coverage",
    "strategies",
]
