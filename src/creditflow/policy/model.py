"""The policy pack model: frozen values for every setting a regulation makes, with its basis."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import attrs

from creditflow._validation import ensure_date, ensure_instance
from creditflow.calendar.periods import Period
from creditflow.core.grades import GradeScale
from creditflow.core.labels import Label
from creditflow.core.severity import Severity

__all__ = [
    "DIRECTIONS",
    "TRANSITIONAL_RULES",
    "Basis",
    "Change",
    "CommitmentKind",
    "DecisionRule",
    "DecisionRules",
    "Direction",
    "Domain",
    "EvaluationSettings",
    "Flag",
    "HitPolicy",
    "InspectionSettings",
    "ListKind",
    "Measure",
    "ObjectionSettings",
    "Permissions",
    "Policy",
    "Provision",
    "Purpose",
    "PurposeRule",
    "RepairSettings",
    "Role",
    "Rounding",
    "Separation",
    "SeverityRule",
    "Source",
    "TransitionSettings",
    "TransitionalRule",
]

T = TypeVar("T")

if TYPE_CHECKING:
    from creditflow.policy.assessment import Assessment
    from creditflow.policy.catalogue import Catalogue


class Source(enum.Enum):
    """How sure we are of a figure, as tagged in ``domain.md``.

    ``full``: the full legal text was read; ``copy``: a copy or news item of an official
    document; ``exam``: an exam-bank paraphrase; ``configurable``: no regulation was found and
    the value is a local choice that a pack author is expected to set.
    """

    FULL = "full"
    COPY = "copy"
    EXAM = "exam"
    CONFIGURABLE = "configurable"


@attrs.frozen
class Basis:
    """The legal basis (依据) of a rule or setting, and how sure we are of it."""

    text: str
    source: Source
    note: str = ""

    @property
    def configurable(self) -> bool:
        """True when no regulation sets the value: the pack author chooses it."""
        return self.source is Source.CONFIGURABLE


@attrs.frozen
class Provision(Generic[T]):
    """A value that a regulation (or a pack author) sets, with its basis."""

    value: T
    basis: Basis


class HitPolicy(enum.Enum):
    """How a decision table resolves several matching rules.

    ``unique``: exactly one rule may match; ``first``: the first matching rule in file order
    wins; ``priority``: the matching rule with the highest ``priority`` wins (a tie is an
    unresolved overlap).
    """

    UNIQUE = "unique"
    FIRST = "first"
    PRIORITY = "priority"


Rounding = Literal["ceil", "floor", "half_up"]


@attrs.frozen
class Measure:
    """A supervision measure (监管措施) or incentive a decision may name."""

    name: str
    label: Label
    kind: Literal["restriction", "incentive", "supervision"]


Direction = Literal["adverse", "favourable"]
"""Which way a list kind or flag must move supervision when a subject has it.

``adverse`` (the serious and watch lists, a breach flag): never less supervision -- never a
lower sampling ratio, minimum or maximum of inspections; ``favourable`` (the red list): never
more (国发〔2019〕5号: higher ratio and frequency for bad credit, lower for good; SAMR Order 44:
listed subjects get key supervision with more frequent checks)."""

DIRECTIONS: tuple[Direction, ...] = ("adverse", "favourable")
"""The directions a list kind or flag may declare (see :data:`Direction`)."""


@attrs.frozen
class Flag:
    """A yes/no fact about a subject that the decision rules may read, with its direction."""

    name: str
    label: Label
    direction: Provision[Direction]


@attrs.frozen
class Domain:
    """A business domain (业务领域) with the grade scale evaluations use in it."""

    name: str
    label: Label
    scale: GradeScale
    basis: Basis


@attrs.frozen
class DecisionRule:
    """One row of the decision table.

    ``when`` is a durable_rules condition (the body of ``{"m": ...}``) over the signature
    fields: ``domain``, ``grade``, ``grade_rank``, ``list_<kind>`` and ``flag_<name>``.
    """

    rule_id: str
    when: Mapping[str, Any]
    sampling_ratio: Fraction
    inspections_per_year: tuple[int, int | None]
    measures: frozenset[str]
    basis: Basis
    priority: int = 0
    reason: Label | None = None


@attrs.frozen
class DecisionRules:
    """The decision table: rules and the hit policy that resolves overlaps."""

    hit_policy: HitPolicy
    rules: tuple[DecisionRule, ...]


@attrs.frozen
class ListKind:
    """A kind of list (名单): ``serious`` (black list), ``watch`` (重点关注) or ``red``.

    Periods are None where the procedure has no such step (a red list has no statement
    period, for instance).
    """

    name: str
    label: Label
    severity: Severity | None
    statement_period: Provision[Period] | None
    objection_window: Provision[Period] | None
    publication_deadline: Provision[Period]
    duration: Provision[Period]
    early_removal_after: Provision[Period] | None
    basis: Basis
    direction: Provision[Direction]
    """Whether being on the list must raise supervision (``adverse``) or lower it
    (``favourable``); the table analysis proves it for every signature."""
    restarts_on_restore: Provision[bool] | None = None
    """Whether a listing restored after a revoked repair runs its whole duration and its
    minimum period before early removal again from the restore (SAMR Order 44) or keeps its
    first expiry and minimum (None: keeps them)."""
    objection_answer: Provision[Period] | None = None
    """The time to answer an objection to a proposed listing (None: no time limit is kept)."""
    record_restarts_on_restore: Provision[bool] | None = None
    """Whether the credit record of a listing restored after a revoked repair is published
    anew from the restore for its severity's maximum, beyond that maximum from the decision
    (None or false: never beyond it, Order 36)."""


@attrs.frozen
class SeverityRule:
    """Publication window (公示期) and repair condition of records of one severity."""

    severity: Severity
    label: Label
    published: bool
    publication_min: Provision[Period]
    publication_max: Provision[Period]
    repair_after: Literal["obligations_fulfilled", "minimum_period"]
    basis: Basis


@attrs.frozen
class RepairSettings:
    """Credit repair (信用修复): deadlines in working days, materials, and the fraud ban."""

    acceptance_deadline: Provision[Period]
    decision_deadline: Provision[Period]
    extension: Provision[Period]
    max_extensions: Provision[int]
    materials: Provision[tuple[str, ...]]
    fraud_ban: Provision[Period]
    fraud_publication: Provision[Period]
    basis: Basis


@attrs.frozen
class ObjectionSettings:
    """Objections (异议): how fast they are forwarded and checked."""

    forward_deadline: Provision[Period]
    check_deadline: Provision[Period]
    basis: Basis


@attrs.frozen
class CommitmentKind:
    """A kind of credit commitment (信用承诺) and what a breach entails."""

    name: str
    label: Label
    verification_period: Provision[Period]
    breach_severity: Severity
    breach_consequences: tuple[str, ...]
    basis: Basis


TransitionalRule = Literal["new", "old", "old_unless_lighter"]

TRANSITIONAL_RULES: tuple[TransitionalRule, ...] = ("new", "old", "old_unless_lighter")
"""The transitional rules a pack may set (see :class:`TransitionSettings`)."""


@attrs.frozen
class TransitionSettings:
    """The transitional rule (过渡规则) between pack versions: which version's rules govern a
    record or listing decided under an older version and judged under this one.

    ``new``: this version's, on every date; ``old``: the version in force on the decision
    date; ``old_unless_lighter``: the old version's, item by item, unless this version's is
    lighter for the party (从旧兼从轻, Administrative Penalty Law Art. 37, by analogy).
    """

    rule: Provision[TransitionalRule]
    basis: Basis


@attrs.frozen
class InspectionSettings:
    """Settings for double-random inspection plans (双随机、一公开).

    ``rounding``: how ratio x stratum size becomes a whole number of subjects.
    ``overall_cap``: the largest share of the population one plan may draw (None: no cap).
    ``inspectors_per_inspection``: officers sent to each inspection (at least two by law).
    ``load_tolerance``: the most inspections by which two inspectors' loads may differ.
    ``low_risk_ratio``: subjects whose sampling ratio is at or below it are low risk: once
    inspected in a year they are not drawn again that year (None: no such exemption).
    """

    rounding: Provision[Rounding]
    overall_cap: Provision[Fraction] | None
    inspectors_per_inspection: Provision[int]
    load_tolerance: Provision[int]
    low_risk_ratio: Provision[Fraction] | None
    basis: Basis


@attrs.frozen
class Role:
    """A role an actor may hold (case officer, reviewer, approving official, the subject...)."""

    name: str
    label: Label


@attrs.frozen
class Permissions:
    """Which roles may fire which event of which workflow: ``events[machine][event]``."""

    events: Mapping[str, Mapping[str, frozenset[str]]]
    basis: Basis

    def roles(self, machine: str, event: str) -> frozenset[str]:
        """The roles allowed to fire ``event`` of ``machine`` (empty when none is)."""
        return self.events.get(machine, {}).get(event, frozenset())


@attrs.frozen
class Separation:
    """Separation of duties: in one case, no actor may fire both ``events`` of ``machine``."""

    machine: str
    events: tuple[str, str]
    basis: Basis


@attrs.frozen
class PurposeRule:
    """One row of a purpose's table: when ``trigger`` ``name`` holds (a measure the decision
    gives, an active list kind, a flag), the restriction or incentive ``measure`` applies.

    ``normal`` says whether the matter may still proceed normally under it.
    """

    rule_id: str
    trigger: Literal["measure", "list", "flag"]
    name: str
    effect: Literal["restriction", "incentive"]
    measure: str
    normal: bool
    basis: Basis


@attrs.frozen
class Purpose:
    """A purpose of a credit check (信用核查): licensing (行政许可), procurement (政府采购),
    bidding (招标投标), subsidy, honours... with the rules that map a decision to it."""

    name: str
    label: Label
    rules: tuple[PurposeRule, ...]
    basis: Basis


@attrs.frozen
class EvaluationSettings:
    """Dynamic evaluation (动态评价): default grades, the serious-breach downgrade, upgrade limit.

    ``default_grade`` is a new subject's grade with no bad record, ``default_grade_with_record``
    with one in publication; a serious record sets ``serious_breach_grade`` for
    ``serious_breach_period`` from its decision; an evaluation is valid for ``validity`` and
    may raise the grade by at most ``max_upgrade_per_year`` grades over the year before.
    """

    default_grade: Provision[str]
    default_grade_with_record: Provision[str]
    serious_breach_grade: Provision[str]
    serious_breach_period: Provision[Period]
    max_upgrade_per_year: Provision[int]
    validity: Provision[Period]
    basis: Basis


@attrs.frozen(eq=False)
class Policy:
    """One version of a policy pack, validated. Build it with :func:`creditflow.load_policy`.

    Two policies are equal when their content is (``digest``), wherever they were read from.
    """

    name: str
    version: str
    title: Label
    effective_from: dt.date
    effective_to: dt.date | None
    basis: Basis
    measures: Mapping[str, Measure]
    flags: Mapping[str, Flag]
    scales: Mapping[str, Provision[GradeScale]]
    domains: Mapping[str, Domain]
    decisions: DecisionRules
    lists: Mapping[str, ListKind]
    severities: Mapping[Severity, SeverityRule]
    repair: RepairSettings
    objections: ObjectionSettings
    commitments: Mapping[str, CommitmentKind]
    inspection: InspectionSettings
    roles: Mapping[str, Role]
    permissions: Permissions
    separations: tuple[Separation, ...]
    purposes: Mapping[str, Purpose] = attrs.field(factory=dict)
    evaluation: EvaluationSettings | None = None
    transition: TransitionSettings | None = None
    catalogue: Catalogue | None = None
    """The credit information catalogue (信用信息目录), see :mod:`creditflow.policy.catalogue`."""
    assessment: Assessment | None = None
    """The assessment table (评价指标), see :mod:`creditflow.policy.assessment`."""
    origin: str = attrs.field(default="<memory>")
    _digest: str = attrs.field(init=False, repr=False)
    _hash: int = attrs.field(init=False, repr=False)  # policies key many caches

    def __attrs_post_init__(self) -> None:
        text = json.dumps(self.to_data(), sort_keys=True, ensure_ascii=False)
        object.__setattr__(self, "_digest", hashlib.sha256(text.encode()).hexdigest())
        object.__setattr__(self, "_hash", hash(self._digest))

    @property
    def key(self) -> str:
        """``name@version``, the identifier decisions carry."""
        return f"{self.name}@{self.version}"

    def in_force(self, on: dt.date) -> bool:
        """True if this version is in force on ``on``."""
        on = ensure_date(on, "on")
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def to_data(self) -> dict[str, Any]:
        """The content as plain JSON-ready data (also what :meth:`diff` compares)."""
        from creditflow.policy.export import policy_to_data

        return policy_to_data(self)

    @property
    def digest(self) -> str:
        """SHA-256 of the canonical content; equal content gives an equal digest."""
        return self._digest

    def diff(self, other: Policy) -> tuple[Change, ...]:
        """What changed from this version to ``other``, setting by setting."""
        ensure_instance(other, Policy, "other")
        from creditflow.policy.diff import diff_policies

        return diff_policies(self, other)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Policy):
            return NotImplemented
        return self.digest == other.digest

    def __repr__(self) -> str:
        """``Policy('name@version', digest='3f2a5c…', origin='...')``: short, for logs and
        test reports (:meth:`to_data` gives the content)."""
        return f"Policy({self.key!r}, digest='{self.digest[:12]}…', origin={self.origin!r})"

    def __hash__(self) -> int:
        return self._hash


@attrs.frozen
class Change:
    """One difference between two policy versions: the setting's path and both values."""

    path: str
    old: Any
    new: Any

    @property
    def kind(self) -> Literal["added", "removed", "changed"]:
        """Whether the setting was added, removed or changed."""
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"

    def __str__(self) -> str:
        return f"{self.path}: {self.old!r} -> {self.new!r}"
