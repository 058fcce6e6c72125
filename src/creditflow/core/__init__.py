"""Core values: identifiers, subjects, grades, severities, credit records and facts, and the
rule that masks persons' data (:mod:`creditflow.core.privacy`) and the escapers of what is
published (:mod:`creditflow.core.escaping`)."""

from creditflow.core.escaping import FORMULA_STARTS, csv_cell, escape_markdown, markdown_code
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
from creditflow.core.privacy import mask_name, mask_resident_id, mask_resident_ids, public_id
from creditflow.core.records import CreditRecord
from creditflow.core.severity import Severity
from creditflow.core.subjects import Subject, SubjectKind

__all__ = [
    "FORMULA_STARTS",
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
    "csv_cell",
    "escape_markdown",
    "is_valid_resident_id",
    "is_valid_uscc",
    "markdown_code",
    "mask_name",
    "mask_resident_id",
    "mask_resident_ids",
    "organisation_code_check_character",
    "public_id",
    "resident_id_check_character",
    "subject_id",
    "uscc_check_character",
]
