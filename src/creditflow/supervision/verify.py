"""``verify_plan``: draw a published plan again from its seed and inputs, and compare.

This is the "one public" (一公开) half of 双随机、一公开: anyone holding the published seed,
the policy pack, the population and the inspector directory can confirm the plan or find
where it departs from the draw the rules give.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from creditflow._repr import shown
from creditflow._validation import ensure_instance, ensure_iterable
from creditflow.errors import InfeasiblePlan
from creditflow.rules.engine import Engine
from creditflow.rules.loading import load_policy
from creditflow.supervision.draw import draw_plan
from creditflow.supervision.entries import Inspector, PopulationEntry
from creditflow.supervision.periods import period_labels
from creditflow.supervision.plan import InspectionPlan

__all__ = ["PlanVerification", "first_difference", "verify_plan", "verify_with"]


@attrs.frozen
class PlanVerification:
    """The outcome of :func:`verify_plan`: ``confirmed``, or the first ``difference`` found.

    ``digest`` is the digest of the plan drawn again (None when it could not be drawn). A
    verification is true when the plan is confirmed.
    """

    confirmed: bool
    difference: str | None = None
    digest: str | None = None

    def __bool__(self) -> bool:
        return self.confirmed


def verify_plan(
    plan: InspectionPlan,
    population: Iterable[PopulationEntry],
    inspectors: Iterable[Inspector],
    *,
    engine: Engine | None = None,
) -> PlanVerification:
    """Re-draw ``plan`` from its seed, year and periods with these inputs, and compare.

    ``engine`` defaults to the built-in pack the plan names (``policy_key``); a plan drawn
    under a pack read from a file needs the engine of that pack. A pack whose content differs
    from the plan's (``policy_digest``) refutes the plan.
    """
    ensure_iterable(population, "population")
    ensure_iterable(inspectors, "inspectors")

    def again(engine: Engine, quarters: bool) -> InspectionPlan:
        return draw_plan(
            population,
            engine=engine,
            period=plan.year,
            seed=plan.seed,
            inspectors=inspectors,
            quarters=quarters,
            allow_over_cap=bool(plan.notes),
        )

    return verify_with(plan, engine, again)


def verify_with(
    plan: InspectionPlan,
    engine: Engine | None,
    draw: Callable[[Engine, bool], InspectionPlan],
) -> PlanVerification:
    """:func:`verify_plan` with the plan drawn again by ``draw(engine, quarters)`` (in this
    process, or on a cluster: :func:`creditflow.scale.verify_plan`)."""
    ensure_instance(plan, InspectionPlan, "plan")
    engine = engine if engine is not None else Engine(load_policy(plan.policy_key))
    if engine.policy.digest != plan.policy_digest:
        return PlanVerification(False, _policy_difference(plan, engine))
    quarters = plan.periods == period_labels(plan.year, True)
    if not quarters and plan.periods != period_labels(plan.year, False):
        return PlanVerification(
            False, f"periods: {list(plan.periods)} are not a year or its quarters"
        )
    try:
        again = draw(engine, quarters)
    except InfeasiblePlan as error:
        return PlanVerification(False, f"the plan cannot be drawn again: {error}")
    difference = first_difference(plan.to_data(), again.to_data())
    return PlanVerification(difference is None, difference, again.digest)


def first_difference(published: object, drawn: object, path: str = "plan") -> str | None:
    """Where two plans' data first differ, as ``path: published value, drawn value``."""
    if isinstance(published, dict) and isinstance(drawn, dict):
        for key in [*published, *(k for k in drawn if k not in published)]:
            if key not in published or key not in drawn:
                return f"{path}.{key}: present in only one of the plans"
            found = first_difference(published[key], drawn[key], f"{path}.{key}")
            if found is not None:
                return found
        return None
    if isinstance(published, list) and isinstance(drawn, list):
        for index, (a, b) in enumerate(zip(published, drawn, strict=False)):
            found = first_difference(a, b, f"{path}[{index}]")
            if found is not None:
                return found
        if len(published) != len(drawn):
            return f"{path}: {len(published)} items published, {len(drawn)} drawn again"
        return None
    if published != drawn or type(published) is not type(drawn):
        return f"{path}: {shown(published)} published, {shown(drawn)} drawn again"
    return None


def _policy_difference(plan: InspectionPlan, engine: Engine) -> str:
    return (
        f"policy: the plan was drawn under {plan.policy_key} with digest {plan.policy_digest}, "
        f"not {engine.policy.key} with digest {engine.policy.digest}"
    )
