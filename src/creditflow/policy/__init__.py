"""Policy packs: the format, validation, built-in versions and diffs.

This layer reads and validates packs; :func:`creditflow.load_policy` also analyses the
decision table (the rules layer) before a pack is served.
"""

from creditflow.policy.assessment import Assessment, AssessmentItem
from creditflow.policy.catalogue import Catalogue, CatalogueField, RecordKind
from creditflow.policy.model import (
    Basis,
    Change,
    CommitmentKind,
    DecisionRule,
    DecisionRules,
    Domain,
    Flag,
    HitPolicy,
    InspectionSettings,
    ListKind,
    Measure,
    ObjectionSettings,
    Policy,
    Provision,
    RepairSettings,
    SeverityRule,
    Source,
)
from creditflow.policy.schema import pack_schema_path
from creditflow.policy.sources import DEFAULT_PACK, PackVersion, builtin_versions, read_policy

__all__ = [
    "DEFAULT_PACK",
    "Assessment",
    "AssessmentItem",
    "Basis",
    "Catalogue",
    "CatalogueField",
    "Change",
    "CommitmentKind",
    "DecisionRule",
    "DecisionRules",
    "Domain",
    "Flag",
    "HitPolicy",
    "InspectionSettings",
    "ListKind",
    "Measure",
    "ObjectionSettings",
    "PackVersion",
    "Policy",
    "Provision",
    "RecordKind",
    "RepairSettings",
    "SeverityRule",
    "Source",
    "builtin_versions",
    "pack_schema_path",
    "read_policy",
]
