"""Core values: identifiers, subjects, grades, severities, credit records and facts."""

from creditflow.core.facts import Facts
from creditflow.core.grades import Grade, GradeScale
from creditflow.core.identifiers import (
    ResidentId,
    Uscc,
    is_valid_resident_id,
    is_valid_uscc,
    organisation_code_check_character,
    resident_id_check_character,
    subject_id,
    uscc_check_character,
)
from creditflow.core.labels import Label
from creditflow.core.records import CreditRecord
from creditflow.core.severity import Severity
from creditflow.core.subjects import Subject, SubjectKind

__all__ = [
    "CreditRecord",
    "Facts",
    "Grade",
    "GradeScale",
    "Label",
    "ResidentId",
    "Severity",
    "Subject",
    "SubjectKind",
    "Uscc",
    "is_valid_resident_id",
    "is_valid_uscc",
    "organisation_code_check_character",
    "resident_id_check_character",
    "subject_id",
    "uscc_check_character",
]
