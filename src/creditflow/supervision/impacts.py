"""The impact of switching packs: what changes for real subjects if NEW replaces OLD.

:func:`impact` puts in one report the analysis of the new pack, its diff against the old one
(:meth:`Policy.diff <creditflow.Policy.diff>`) and, given a population (the entries
``creditflow plan`` reads), how many subjects of each domain and grade get another sampling
ratio, other inspections a year or other measures, and how the year's plan changes: the
subjects drawn and the inspections, counted per stratum as :func:`draw_plan
<creditflow.supervision.draw_plan>` counts them.

It lives here, not in :mod:`creditflow.rules`, because it counts plans as this layer does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import attrs

from creditflow._repr import shown
from creditflow._validation import ensure_instance, ensure_iterable
from creditflow.errors import InvalidInput
from creditflow.policy.model import Change, Policy
from creditflow.rules.analysis import AnalysisReport
from creditflow.rules.decision import Decision, format_setting
from creditflow.rules.table import Key, compile_table
from creditflow.supervision.entries import PopulationEntry
from creditflow.supervision.strata import round_count, stratum_name, visits_per_year

__all__ = ["GroupImpact", "ImpactReport", "PlanCount", "impact"]

_UNRANKED = 1 << 30  # a grade neither pack's scale knows sorts last in its domain


@attrs.frozen
class GroupImpact:
    """The subjects of one domain and grade, and how many the switch changes.

    A subject counts in ``ratio_raised`` or ``ratio_lowered`` when its sampling ratio goes up
    or down, in ``inspections_changed`` when its inspections a year (minimum or maximum)
    change, in ``measures_changed`` when its measures do, and in ``changed`` when any of the
    three does. ``undecided_old`` and ``undecided_new`` count the subjects a pack cannot
    decide (a grade, list or flag it does not declare, or a gap in its table).
    """

    domain: str
    grade: str
    subjects: int
    ratio_raised: int = 0
    ratio_lowered: int = 0
    inspections_changed: int = 0
    measures_changed: int = 0
    changed: int = 0
    undecided_old: int = 0
    undecided_new: int = 0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return attrs.asdict(self)


@attrs.frozen
class PlanCount:
    """What a year's plan of the population draws under one pack, before low-risk exemptions
    (which depend on the plan's year and each subject's last inspection): subjects drawn, and
    inspections (each drawn subject's visits)."""

    drawn: int
    inspections: int


@attrs.frozen
class ImpactReport:
    """The analysis of ``new``, its changes from ``old``, and (given a population) what the
    switch does to it. ``population`` is the number of entries, None without a population."""

    new_key: str
    old_key: str
    new_digest: str
    old_digest: str
    analysis: AnalysisReport
    changes: tuple[Change, ...]
    population: int | None = None
    groups: tuple[GroupImpact, ...] = ()
    old_plan: PlanCount | None = None
    new_plan: PlanCount | None = None

    @property
    def changed(self) -> int:
        """Subjects whose ratio, inspections or measures change."""
        return sum(g.changed for g in self.groups)

    def to_text(self) -> str:
        """The report for people: analysis, changes, then the effect on the population."""
        lines = [self.analysis.to_text(), ""]
        lines.append(f"changes from {self.old_key} to {self.new_key}: {len(self.changes)}")
        lines += [
            f"  {c.path}: {format_setting(c.old, c.path)} -> {format_setting(c.new, c.path)}"
            for c in self.changes
        ]
        if self.population is None or self.old_plan is None or self.new_plan is None:
            return "\n".join(lines)
        lines += ["", f"population: {self.population} subjects, {self.changed} changed"]
        lines += _table(self.groups)
        old, new = self.old_plan, self.new_plan
        lines.append(
            f"the year's plan: {old.drawn} -> {new.drawn} subjects drawn "
            f"({new.drawn - old.drawn:+d}), {old.inspections} -> {new.inspections} inspections "
            f"({new.inspections - old.inspections:+d})"
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        data: dict[str, object] = {
            "new": {"policy": self.new_key, "digest": self.new_digest},
            "old": {"policy": self.old_key, "digest": self.old_digest},
            "analysis": self.analysis.to_dict(),
            "changes": [{"path": c.path, "old": c.old, "new": c.new} for c in self.changes],
        }
        if self.population is not None and self.old_plan and self.new_plan:
            data["population"] = {
                "subjects": self.population,
                "changed": self.changed,
                "groups": [g.to_dict() for g in self.groups],
                "plan": {"old": attrs.asdict(self.old_plan), "new": attrs.asdict(self.new_plan)},
            }
        return data


_HEADER = ("domain", "grade", "subjects", "ratio up", "ratio down", "inspections", "measures")


def _table(groups: tuple[GroupImpact, ...]) -> list[str]:
    """Aligned rows: names left, counts right; undecided subjects in a last column if any."""
    undecided = any(g.undecided_old or g.undecided_new for g in groups)
    rows: list[tuple[str, ...]] = [(*_HEADER, "undecided old/new") if undecided else _HEADER]
    for g in groups:
        counts = (g.ratio_raised, g.ratio_lowered, g.inspections_changed, g.measures_changed)
        row = (g.domain, g.grade, str(g.subjects), *map(str, counts))
        rows.append((*row, f"{g.undecided_old}/{g.undecided_new}") if undecided else row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  "
        + "  ".join(
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]


def impact(
    new: Policy, old: Policy, population: Iterable[PopulationEntry] | None = None
) -> ImpactReport:
    """What switching from ``old`` to ``new`` changes: the analysis of ``new``, the settings
    that differ, and, given a population, its subjects per domain and grade whose ratio,
    inspections or measures change and the year's plan under each pack.

    ``new`` may be unsound (its analysis says so): subjects it cannot decide are counted as
    undecided. The population is read once, so a file of any size streams through.
    """
    ensure_instance(new, Policy, "new")
    ensure_instance(old, Policy, "old")
    new_table, old_table = compile_table(new), compile_table(old)
    report = ImpactReport(
        new_key=new.key,
        old_key=old.key,
        new_digest=new.digest,
        old_digest=old.digest,
        analysis=new_table.report,
        changes=old.diff(new),
    )
    if population is None:
        return report
    ensure_iterable(population, "population")
    counts = _signatures(population)
    groups = _groups(new, old, counts, new_table.decisions, old_table.decisions)
    return attrs.evolve(
        report,
        population=sum(counts.values()),
        groups=groups,
        old_plan=_plan(old, counts, old_table.decisions),
        new_plan=_plan(new, counts, new_table.decisions),
    )


def _signatures(population: Iterable[PopulationEntry]) -> Counter[Key]:
    """How many entries have each signature."""
    counts: Counter[Key] = Counter()
    for index, entry in enumerate(population):
        if not isinstance(entry, PopulationEntry):
            raise InvalidInput(
                f"population item {index} must be a PopulationEntry, got {shown(entry)}"
            )
        counts[entry.facts.key] += 1
    return counts


def _groups(
    new: Policy,
    old: Policy,
    counts: Mapping[Key, int],
    new_decisions: Mapping[Key, Decision],
    old_decisions: Mapping[Key, Decision],
) -> tuple[GroupImpact, ...]:
    tallies: dict[tuple[str, str], Counter[str]] = {}
    for key, count in counts.items():
        tally = tallies.setdefault((key[0], key[1]), Counter())
        tally["subjects"] += count
        before, after = old_decisions.get(key), new_decisions.get(key)
        tally["undecided_old"] += count if before is None else 0
        tally["undecided_new"] += count if after is None else 0
        if before is None or after is None:
            continue
        for field, differs in _differences(before, after).items():
            tally[field] += count if differs else 0
    ordered = sorted(tallies, key=lambda group: _order(new, old, *group))
    return tuple(GroupImpact(domain, grade, **tallies[domain, grade]) for domain, grade in ordered)


def _differences(before: Decision, after: Decision) -> dict[str, bool]:
    ratio, inspections = after.sampling_ratio, after.inspections_per_year
    differs = {
        "ratio_raised": ratio > before.sampling_ratio,
        "ratio_lowered": ratio < before.sampling_ratio,
        "inspections_changed": inspections != before.inspections_per_year,
        "measures_changed": after.measures != before.measures,
    }
    differs["changed"] = any(differs.values())
    return differs


def _order(new: Policy, old: Policy, domain: str, grade: str) -> tuple[int, str, int, str]:
    """Domains in the new pack's order (then the old's, then by name); grades best first."""
    domains = [*new.domains, *(d for d in old.domains if d not in new.domains)]
    place = domains.index(domain) if domain in domains else len(domains)
    rank = _UNRANKED
    for policy in (new, old):
        found = policy.domains.get(domain)
        if found is not None and grade in found.scale:
            rank = found.scale.rank(grade)
            break
    return (place, domain, rank, grade)


def _plan(
    policy: Policy, counts: Mapping[Key, int], decisions: Mapping[Key, Decision]
) -> PlanCount:
    """Subjects drawn and inspections, stratum by stratum, as draw_plan counts them."""
    sizes: Counter[str] = Counter()
    strata: dict[str, Decision] = {}
    for key, count in counts.items():
        decision = decisions.get(key)
        if decision is not None:
            name = stratum_name(decision)
            strata.setdefault(name, decision)
            sizes[name] += count
    rounding = policy.inspection.rounding.value
    drawn = inspections = 0
    for name, decision in strata.items():
        visits = visits_per_year(decision)
        count = round_count(decision.sampling_ratio, sizes[name], rounding) if visits else 0
        drawn += count
        inspections += count * visits
    return PlanCount(drawn, inspections)
