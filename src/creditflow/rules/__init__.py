"""The decision engine: decision tables computed through durable_rules, analysed, then served."""

from creditflow.rules.analysis import (
    AnalysisReport,
    DirectionViolation,
    Gap,
    OrderViolation,
    Overlap,
)
from creditflow.rules.decision import Decision, format_ratio
from creditflow.rules.engine import Engine
from creditflow.rules.loading import check_policy, load_policy
from creditflow.rules.table import DecisionTable, compile_table, reference_table
from creditflow.rules.trace import RuleMatch, Trace

__all__ = [
    "AnalysisReport",
    "Decision",
    "DecisionTable",
    "DirectionViolation",
    "Engine",
    "Gap",
    "OrderViolation",
    "Overlap",
    "RuleMatch",
    "Trace",
    "check_policy",
    "compile_table",
    "format_ratio",
    "load_policy",
    "reference_table",
]
