"""``draw_plan``: the double-random inspection plan (双随机、一公开) of a population for a year.

The steps, each in its module: one pass over the population (:mod:`.selection`) keeps the
subjects with the smallest keys per stratum (:mod:`.strata`); the pools of inspectors are
checked (:mod:`.pools`); the overall cap is checked; the drawn subjects' visits are spread on
the periods (:mod:`.periods`); the inspectors are drawn (:mod:`.assignment`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import itemgetter

import attrs

from creditflow._gc import gc_paused
from creditflow._repr import shown
from creditflow._validation import ensure_iterable
from creditflow.errors import InfeasiblePlan, InvalidInput
from creditflow.rules.decision import format_ratio
from creditflow.rules.engine import Engine
from creditflow.supervision.assignment import pick_by_load
from creditflow.supervision.entries import Inspector, PopulationEntry
from creditflow.supervision.keys import check_seed, inspection_number
from creditflow.supervision.periods import period_labels, read_year, schedule
from creditflow.supervision.plan import Inspection, InspectionPlan, InspectorLoad, PlanSettings
from creditflow.supervision.pools import Pools
from creditflow.supervision.selection import Selection, select
from creditflow.supervision.strata import Kept, Stratum, StratumDraw

__all__ = [
    "LEGAL_MINIMUM_INSPECTORS",
    "Assigner",
    "PlanSetup",
    "assign_inspectors",
    "chosen_of",
    "draw_plan",
    "finish_plan",
    "setup_plan",
]

LEGAL_MINIMUM_INSPECTORS = 2
"""Law-enforcement inspections are carried out by at least two officers (国发〔2019〕5号)."""

# The subjects drawn per stratum, smallest key first.
_Chosen = dict[str, list[Kept]]
# One inspection before its inspectors: period index, 0 if some inspector must withdraw from the
# subject else 1, key, visit, subject, stratum index (not the stratum itself: a tuple of atoms
# is one the garbage collector stops tracking).
_Planned = tuple[int, int, bytes, int, Kept, int]
# An Inspection from its fields in order, without a Python-level __new__ call.
_new_inspection = tuple.__new__
_KEY = itemgetter(2)  # the key of a planned inspection


def draw_plan(
    population: Iterable[PopulationEntry],
    *,
    engine: Engine,
    period: int | str,
    seed: str | int,
    inspectors: Iterable[Inspector],
    quarters: bool = False,
    allow_over_cap: bool = False,
) -> InspectionPlan:
    """Draw the inspection plan of ``population`` for the year ``period``.

    Each entry's decision gives its sampling ratio (抽查比例) and inspections a year; per
    stratum (domain x grade x deciding rule) the subjects with the smallest keys
    ``SHA-256(seed|year|stratum|subject_id)`` are drawn, as many as the ratio times the stratum
    size rounded as the pack says; a ratio of 1 draws everyone. Each drawn subject is inspected
    ``max(min, 1)`` times in the year, spread over the quarters with ``quarters=True``. Each
    inspection gets the pack's ``inspectors_per_inspection`` officers drawn from those qualified
    for the subject's region and domain, never one with a declared conflict (回避).

    The result does not depend on the order of ``population`` or ``inspectors``. A plan the
    rules do not allow raises :class:`~creditflow.errors.InfeasiblePlan` with the reason:
    it is never weakened. Drawing more subjects than the pack's ``overall_cap`` raises too,
    unless ``allow_over_cap`` is true: then the plan is drawn in full and a note records it.
    """
    ensure_iterable(population, "population")
    # Millions of acyclic values live on through the draw (the ids read, the keys kept, the
    # plan): a full collection would walk them all again and again (a quarter of the time).
    # The one that follows the pause walks only the plan: the rest is freed by then.
    with gc_paused():
        return _draw(population, engine, period, seed, inspectors, quarters, allow_over_cap)


def _draw(
    population: Iterable[PopulationEntry],
    engine: Engine,
    period: int | str,
    seed: str | int,
    inspectors: Iterable[Inspector],
    quarters: bool,
    allow_over_cap: bool,
) -> InspectionPlan:
    setup = setup_plan(engine, period, seed, inspectors, quarters)
    selection, chosen = _select(population, engine, setup)
    return finish_plan(setup, engine, selection, chosen, allow_over_cap, assign_inspectors)


@attrs.frozen
class PlanSetup:
    """What a draw starts from, checked: the seed, the year, its periods, the pack's
    settings and the inspector pools."""

    seed: str
    year: int
    labels: tuple[str, ...]
    settings: PlanSettings
    pools: Pools


# Draws the inspectors of the inspections planned, in plan order: their indexes and the loads.
Assigner = Callable[
    [list["_Planned"], list[StratumDraw], PlanSetup], tuple[Iterable[list[int]], list[int]]
]


def setup_plan(
    engine: Engine,
    period: int | str,
    seed: str | int,
    inspectors: Iterable[Inspector],
    quarters: bool,
) -> PlanSetup:
    """Check the arguments of a draw and read the inspector directory into its pools."""
    ensure_iterable(inspectors, "inspectors")
    if not isinstance(engine, Engine):
        raise InvalidInput(f"engine must be a creditflow.Engine, got {shown(engine)}")
    checked, year = check_seed(seed), read_year(period)
    labels = period_labels(year, bool(quarters))
    settings = PlanSettings.of(engine.policy.inspection)
    _check_settings(settings)
    return PlanSetup(checked, year, labels, settings, Pools(inspectors, engine.policy))


def chosen_of(draws: list[StratumDraw], settings: PlanSettings) -> dict[str, list[Kept] | None]:
    """The subjects each stratum draws, smallest key first; None where too few keys were kept."""
    return {d.name: d.selected(d.count(settings.rounding)) for d in draws}


def finish_plan(
    setup: PlanSetup,
    engine: Engine,
    selection: Selection,
    chosen: _Chosen,
    allow_over_cap: bool,
    assign: Assigner,
) -> InspectionPlan:
    """The plan from the pass over the population: the pools checked, the overall cap, the
    visits spread on the periods, and the inspectors drawn by ``assign``."""
    settings, labels, pools = setup.settings, setup.labels, setup.pools
    pools.check(selection, settings.inspectors_per_inspection)
    notes = _cap_notes(settings, selection.size, chosen, allow_over_cap)
    planned = _planned(chosen, selection.draws, len(labels), pools.conflicted_ids)
    picks, loads = assign(planned, selection.draws, setup)
    inspections = _inspections(planned, selection.draws, labels, pools, picks)
    return InspectionPlan(
        seed=setup.seed,
        year=setup.year,
        periods=labels,
        policy_key=engine.policy.key,
        policy_digest=engine.policy.digest,
        settings=settings,
        population_size=selection.size,
        strata=_strata(selection.draws, chosen),
        inspections=tuple(inspections),
        inspectors=tuple(
            InspectorLoad(i.inspector_id, i.name, load)
            for i, load in zip(pools.inspectors, loads, strict=True)
        ),
        notes=notes,
    )


def _strata(draws: list[StratumDraw], chosen: _Chosen) -> tuple[Stratum, ...]:
    summaries = (d.summary(len(chosen[d.name])) for d in draws)
    return tuple(sorted(summaries, key=lambda s: s.name))


def _check_settings(settings: PlanSettings) -> None:
    count = settings.inspectors_per_inspection
    if count < LEGAL_MINIMUM_INSPECTORS:
        raise InfeasiblePlan(
            f"the pack sets inspectors_per_inspection={count}, below the legal minimum of "
            f"{LEGAL_MINIMUM_INSPECTORS} officers per inspection (国发〔2019〕5号)"
        )


def _select(
    population: Iterable[PopulationEntry], engine: Engine, setup: PlanSetup
) -> tuple[Selection, _Chosen]:
    """The pass over the population, and a second one, keeping everything, for any stratum
    whose running bound kept too few keys (a chance under 2e-14 per stratum, by Chernoff)."""
    keep_all: frozenset[str] = frozenset()
    conflicted = setup.pools.conflicted_ids
    while True:
        selection = select(population, engine, setup.seed, setup.year, conflicted, keep_all)
        chosen = chosen_of(selection.draws, setup.settings)
        short = frozenset(name for name, picked in chosen.items() if picked is None)
        if not short:
            return selection, {name: picked or [] for name, picked in chosen.items()}
        if keep_all or isinstance(population, Iterator):
            raise InvalidInput(
                f"strata {', '.join(sorted(short))} need a second pass over the population, "
                "which a one-shot iterator cannot give: draw again with the population in a list"
            )
        keep_all = short


def _cap_notes(settings: PlanSettings, size: int, chosen: _Chosen, allow: bool) -> tuple[str, ...]:
    """Check the overall cap: a note when it is exceeded and ``allow``, else InfeasiblePlan."""
    cap = settings.overall_cap
    drawn = sum(len(picked) for picked in chosen.values())
    if cap is None or drawn <= cap * size:
        return ()
    reason = (
        f"the pack's sampling ratios draw {drawn} of {size} subjects, more than the overall cap "
        f"of {format_ratio(cap)} ({math.floor(cap * size)} subjects)"
    )
    if not allow:
        raise InfeasiblePlan(reason + "; allow_over_cap=True draws it and records the excess")
    return (reason,)


def _planned(
    chosen: _Chosen, draws: list[StratumDraw], periods: int, conflicted: frozenset[str]
) -> list[_Planned]:
    """Every inspection in plan order: period; subjects some inspector must withdraw from
    first, as they have fewer candidates; subject key; visit."""
    # By period, then first or later: each sorted by key at the end (stably: the visits of a
    # subject stay in order), from the strata's runs already in key order.
    groups: list[list[list[_Planned]]] = [[[], []] for _ in range(periods)]
    for number, draw in enumerate(draws):
        offsets = list(enumerate(schedule(0, draw.visits, periods), start=1))
        for rank, kept in enumerate(chosen[draw.name]):
            key, subject_id = kept[0], kept[1]
            later = subject_id not in conflicted
            for visit, offset in offsets:
                index = (rank + offset) % periods
                groups[index][later].append((index, later, key, visit, kept, number))
    planned: list[_Planned] = []
    for group in (group for by_period in groups for group in by_period):
        group.sort(key=_KEY)  # keys are unique to a subject
        planned += group
    return planned


def assign_inspectors(
    planned: list[_Planned], draws: list[StratumDraw], setup: PlanSetup
) -> tuple[Iterable[list[int]], list[int]]:
    """Draw the inspectors of each inspection in plan order, in this process: the indexes of
    those drawn, in plan order, and every inspector's load."""
    count, tolerance = setup.settings.inspectors_per_inspection, setup.settings.load_tolerance
    seed, labels = setup.seed, setup.labels
    cells, conflicted, eligible = (
        setup.pools.cells,
        setup.pools.conflicted_ids,
        setup.pools.eligible,
    )
    domains = [d.decision.facts.domain for d in draws]
    loads = [0] * len(setup.pools.inspectors)
    # By cell, its inspectors and a getter of their loads (one call, not a loop, an inspection).
    getters = {cell: (pool, _loads_of(pool)) for cell, pool in cells.items()}
    picks: list[list[int]] = []
    add = picks.append
    values: Sequence[int]
    for index, _, _, visit, (_, subject_id, _, _, region), stratum in planned:
        domain = domains[stratum]
        if subject_id in conflicted:
            candidates = eligible(region, domain, subject_id)
            values = [loads[i] for i in candidates]
        else:
            candidates, getter = getters.get((region, domain), _NO_POOL)
            values = getter(loads)
        number = inspection_number(seed, labels[index], domain, subject_id, visit)
        chosen = pick_by_load(candidates, values, count, tolerance, number)
        for drawn in chosen:
            loads[drawn] += 1
        add(chosen)
    return picks, loads


def _loads_of(pool: list[int]) -> Callable[[list[int]], Sequence[int]]:
    """A function from every inspector's load to the loads of ``pool``'s, in its order."""
    if len(pool) == 1:
        only = pool[0]
        return lambda loads: [loads[only]]
    return itemgetter(*pool)  # a tuple of two or more


_NO_POOL: tuple[list[int], Callable[[list[int]], Sequence[int]]] = ([], lambda loads: [])


def _inspections(
    planned: list[_Planned],
    draws: list[StratumDraw],
    labels: tuple[str, ...],
    pools: Pools,
    picks: Iterable[list[int]],
) -> list[Inspection]:
    """The inspections of the plan, in plan order, with the inspectors ``picks`` drew."""
    inspections = []
    ids = [i.inspector_id for i in pools.inspectors]
    strata = [(d.decision.facts.domain, d.decision.facts.grade, d.name) for d in draws]
    for item, chosen in zip(planned, picks, strict=True):
        index, _, key, visit, (_, subject_id, kind, name, region), number = item
        domain, grade, stratum = strata[number]
        inspectors = tuple([ids[i] for i in chosen])
        inspections.append(
            _new_inspection(
                Inspection,
                (
                    labels[index],
                    subject_id,
                    kind,
                    name,
                    region,
                    domain,
                    grade,
                    stratum,
                    visit,
                    key.hex(),
                    inspectors,
                ),
            )
        )
    return inspections
