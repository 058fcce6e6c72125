"""Supervision: double-random inspection plans (双随机、一公开) drawn from graded decisions.

A plan draws the subjects to inspect at random, per stratum and with the sampling ratio
(抽查比例) the decision engine gives each subject; draws at least two inspectors for each
inspection from those qualified, never one who must withdraw (回避); and is published with
its seed and digest so that anyone can draw it again and compare::

    from creditflow.supervision import (draw_plan, read_inspectors, read_population,
                                        verify_plan, write_plan)

    plan = draw_plan(read_population("population.csv"), engine=engine, period=2026,
                     seed="20260105", inspectors=read_inspectors("inspectors.csv"))
    write_plan(plan, "out", policy=engine.policy)     # plan.json, plan.csv, notice.md
    verify_plan(plan, read_population("population.csv"), read_inspectors("inspectors.csv"))

The algorithm, byte by byte, is in ``docs/inspection-plans.md``. This layer depends on core,
calendar, policy and rules only.
"""

from creditflow.supervision.draw import LEGAL_MINIMUM_INSPECTORS, draw_plan
from creditflow.supervision.entries import Inspector, PopulationEntry, check_entry
from creditflow.supervision.exports import (
    CSV_COLUMNS,
    plan_from_json,
    plan_to_csv,
    plan_to_json,
    write_csv,
    write_plan,
)
from creditflow.supervision.ids import check_subject_id, is_valid_subject_id
from creditflow.supervision.impacts import GroupImpact, ImpactReport, PlanCount, impact
from creditflow.supervision.notice import mask_name, public_subject, render_notice
from creditflow.supervision.plan import Inspection, InspectionPlan, InspectorLoad, PlanSettings
from creditflow.supervision.readers import (
    INSPECTOR_COLUMNS,
    POPULATION_COLUMNS,
    PopulationFiles,
    read_inspectors,
    read_partitions,
    read_population,
)
from creditflow.supervision.strata import Stratum, round_count
from creditflow.supervision.verify import PlanVerification, first_difference, verify_plan

__all__ = [
    "CSV_COLUMNS",
    "INSPECTOR_COLUMNS",
    "LEGAL_MINIMUM_INSPECTORS",
    "POPULATION_COLUMNS",
    "GroupImpact",
    "ImpactReport",
    "Inspection",
    "InspectionPlan",
    "Inspector",
    "InspectorLoad",
    "PlanCount",
    "PlanSettings",
    "PlanVerification",
    "PopulationEntry",
    "PopulationFiles",
    "Stratum",
    "check_entry",
    "check_subject_id",
    "draw_plan",
    "first_difference",
    "impact",
    "is_valid_subject_id",
    "mask_name",
    "plan_from_json",
    "plan_to_csv",
    "plan_to_json",
    "public_subject",
    "read_inspectors",
    "read_partitions",
    "read_population",
    "render_notice",
    "round_count",
    "verify_plan",
    "write_csv",
    "write_plan",
]

Verification = PlanVerification
"""Deprecated name of :class:`PlanVerification` (kept for existing imports)."""
