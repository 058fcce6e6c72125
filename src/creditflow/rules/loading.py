"""Loading a policy for use: read and validate the pack, then analyse its decision table."""

from __future__ import annotations

import datetime as dt
import os

from creditflow.errors import PolicyAnalysisError, PolicyError
from creditflow.policy.model import Policy
from creditflow.policy.sources import read_policy
from creditflow.rules.analysis import AnalysisReport
from creditflow.rules.table import compile_table

__all__ = ["check_policy", "load_policy"]

Source = str | os.PathLike[str] | None


def load_policy(source: Source = None, *, on: dt.date | None = None) -> Policy:
    """Load a policy pack ready for deciding; refuse it if its decision table is unsound.

    ``source`` is None (the built-in default pack in force on ``on``, today if omitted), a
    built-in name (``"national-transport"``, optionally ``"name@version"``) or a path to a
    ``.toml`` file. Raises :class:`~creditflow.errors.PolicyError` naming the file, key path
    and reason of every problem, or :class:`~creditflow.errors.PolicyAnalysisError` with the
    full report when the table has gaps, unresolved overlaps or order violations.
    """
    policy = read_policy(source, on=on)
    report = compile_table(policy).report
    if not report.ok:
        raise PolicyAnalysisError(policy.origin, report)
    return policy


def check_policy(source: Source = None, *, on: dt.date | None = None) -> AnalysisReport:
    """The analysis report of a pack, problems included, instead of an exception.

    Errors in naming the pack (an unknown built-in name, no version in force) still raise.
    """
    try:
        policy = read_policy(source, on=on)
        return compile_table(policy).report
    except PolicyAnalysisError as error:
        return error.report
    except PolicyError as error:
        return AnalysisReport(
            source=error.source, policy_key=None, signatures=0, schema_problems=error.problems
        )
