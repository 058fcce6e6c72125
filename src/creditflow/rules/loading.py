"""Loading a policy for use: read and validate the pack, then run the one soundness check.

The check, :func:`creditflow.workflows.soundness.analyse_policy`, lives at the workflows layer
(it needs the machines); these loaders import it inside the function, the one call from this
layer upwards, so that ``creditflow.rules`` stays importable on its own and no pack is loaded
unchecked. See that module for why.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import cast

from creditflow.errors import PolicyAnalysisError, PolicyError
from creditflow.policy.model import Policy
from creditflow.policy.sources import read_policy
from creditflow.rules.analysis import AnalysisReport

__all__ = ["check_policy", "load_policy"]

Source = str | os.PathLike[str] | None


def load_policy(source: Source = None, *, on: dt.date | None = None) -> Policy:
    """Load a policy pack ready for deciding and for the book; refuse it unless it is sound.

    ``source`` is None (the built-in default pack in force on ``on``, today if omitted), a
    built-in name (``"national-transport"``, optionally ``"name@version"``) or a path to a
    ``.toml`` file. Raises :class:`~creditflow.errors.PolicyError` naming the file, key path
    and reason of every problem, or :class:`~creditflow.errors.PolicyAnalysisError` with the
    full report when the one soundness check finds a problem: a gap, an unresolved overlap, a
    grade-order or direction violation in the table, a period that is not positive, a blank
    basis, an event no role may fire, a deadline setting the workflows cannot resolve.
    """
    policy = read_policy(source, on=on)
    report = _analyse(policy)
    if not report.ok:
        raise PolicyAnalysisError(policy.origin, report)
    return policy


def check_policy(source: Source = None, *, on: dt.date | None = None) -> AnalysisReport:
    """The analysis report of a pack, problems included, instead of an exception.

    Errors in naming the pack (an unknown built-in name, no version in force) still raise.
    """
    try:
        policy = read_policy(source, on=on)
        return _analyse(policy)
    except PolicyAnalysisError as error:
        return cast(AnalysisReport, error.report)  # errors (core) cannot name the type
    except PolicyError as error:
        return AnalysisReport(
            source=error.source, policy_key=None, signatures=0, schema_problems=error.problems
        )


def _analyse(policy: Policy) -> AnalysisReport:
    from creditflow.workflows.soundness import analyse_policy

    return analyse_policy(policy)
