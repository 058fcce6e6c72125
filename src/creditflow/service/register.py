"""The register of annual evaluations (信用评价) a service holds: read from a JSON lines file
exported by the grading system, one evaluation a line::

    {"subject_id": "91350100M000100Y43", "domain": "road_transport", "year": 2026,
     "score": 92, "evaluated_on": "2026-05-01"}
"""

from __future__ import annotations

import json
import os

from creditflow.errors import CreditflowError, InvalidRow
from creditflow.licensing import Evaluation, Evaluations
from creditflow.service.requests import parse_day

__all__ = ["read_evaluations"]

_KEYS = ("subject_id", "domain", "year", "score", "evaluated_on")


def read_evaluations(path: str | os.PathLike[str]) -> Evaluations:
    """The evaluations of the JSON lines file at ``path``; a wrong line is
    :class:`~creditflow.errors.InvalidRow` naming the file and the line."""
    source = os.fspath(path)
    register = Evaluations()
    try:
        with open(source, encoding="utf-8-sig") as file:
            for number, text in enumerate(file, start=1):
                if text.strip():
                    register.add(_evaluation(source, number, text))
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidRow(source, 0, f"cannot be read: {error}") from None
    return register


def _evaluation(source: str, line: int, text: str) -> Evaluation:
    try:
        row = json.loads(text)
    except (ValueError, RecursionError):
        raise InvalidRow(source, line, "not a JSON object") from None
    if not isinstance(row, dict) or sorted(row) != sorted(_KEYS):
        raise InvalidRow(source, line, f"expected the keys {', '.join(_KEYS)}")
    if isinstance(row["score"], float):
        raise InvalidRow(source, line, "score must be an integer or text", field="score")
    try:
        return Evaluation(
            row["subject_id"],
            row["domain"],
            row["year"],
            row["score"],
            parse_day(row["evaluated_on"], "evaluated_on"),
        )
    except CreditflowError as error:
        raise InvalidRow(source, line, str(error)) from None
