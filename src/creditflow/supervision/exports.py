"""Writing a plan: JSON (with its digest), CSV (one row per inspection), and the three files.

The JSON and CSV files are the administration's full record; what the public sees is the
notice (:mod:`creditflow.supervision.notice`), in which persons are masked. The CSV file is
made to be opened in a spreadsheet: a cell that would start a formula is neutralised (see
:func:`write_csv` and ``docs/inspection-plans.md``). The JSON file, from which the digest is
computed and a plan is read back, holds every value as it is.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any, TextIO

from creditflow._limits import TOO_DEEP, json_too_deep
from creditflow._repr import a_type, shown
from creditflow._validation import ensure_instance
from creditflow.core.escaping import csv_cell
from creditflow.core.labels import Language
from creditflow.errors import InvalidInput
from creditflow.policy.model import Policy
from creditflow.supervision.notice import render_notice
from creditflow.supervision.plan import InspectionPlan

__all__ = [
    "CSV_COLUMNS",
    "PLAN_FILES",
    "plan_from_json",
    "plan_to_csv",
    "plan_to_json",
    "write_csv",
    "write_plan",
]

PLAN_FILES = ("plan.json", "plan.csv", "notice.md")
"""The files :func:`write_plan` writes into its folder."""

CSV_COLUMNS = (
    "period",
    "subject_id",
    "kind",
    "name",
    "region",
    "domain",
    "grade",
    "stratum",
    "visit",
    "inspectors",
    "key",
)
"""The columns of ``plan.csv``; ``inspectors`` holds inspector ids separated by ``;``."""


def plan_to_json(plan: InspectionPlan) -> str:
    """The plan as JSON: ``digest`` first, then :meth:`InspectionPlan.to_data`, indented."""
    ensure_instance(plan, InspectionPlan, "plan")
    return json.dumps({"digest": plan.digest, **plan.to_data()}, ensure_ascii=False, indent=1)


def plan_from_json(text: str | bytes) -> InspectionPlan:
    """Read a plan written by :func:`plan_to_json`; refuse it if its content no longer matches
    the digest it states (the file was altered after the draw)."""
    data = load_plan_json(text, "plan")
    plan = InspectionPlan.from_data(data)
    stated = data.get("digest")
    if stated != plan.digest:
        raise InvalidInput(
            f"plan: the stated digest {shown(stated)} is not the digest of its content "
            f"{shown(plan.digest)}: the plan was altered after it was drawn"
        )
    return plan


def load_plan_json(text: str | bytes, where: str) -> Any:
    """The parsed JSON of a plan file; ``where`` names it in errors. Text nested beyond the
    limit (:mod:`creditflow._limits`) is refused before it is parsed."""
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode(json.detect_encoding(text))
        except UnicodeDecodeError as error:
            raise InvalidInput(f"{where}: not valid UTF-8 (byte {error.start + 1})") from None
    if not isinstance(text, str):
        raise InvalidInput(f"text must be a str or bytes, got {shown(text)} that is {a_type(text)}")
    if json_too_deep(text):
        raise InvalidInput(f"{where}: {TOO_DEEP}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{where}: invalid JSON: {error.msg} at line {error.lineno}") from None


def write_csv(plan: InspectionPlan, out: TextIO) -> None:
    """Write the CSV of the plan to a text stream (open it with ``newline=""``).

    A cell that a spreadsheet would read as a formula gets a leading ``'``
    (:func:`creditflow.core.escaping.csv_cell`); a row with a carriage return in a cell is
    written with every cell quoted, so that it reads back as one row.
    """
    ensure_instance(plan, InspectionPlan, "plan")
    if not callable(getattr(out, "write", None)):
        raise InvalidInput(f"out must be a text stream with a write method, got {shown(out)}")
    plain = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    plain.writerow(CSV_COLUMNS)
    for i in plan.inspections:
        cells = [
            csv_cell(cell)
            for cell in (
                i.period,
                i.subject_id,
                i.kind,
                i.name,
                i.region,
                i.domain,
                i.grade,
                i.stratum,
                str(i.visit),
                ";".join(i.inspectors),
                i.key,
            )
        ]
        (quoted if any("\r" in cell for cell in cells) else plain).writerow(cells)


def plan_to_csv(plan: InspectionPlan) -> str:
    """The plan as CSV, one row per inspection, in plan order (:data:`CSV_COLUMNS`)."""
    ensure_instance(plan, InspectionPlan, "plan")
    out = io.StringIO()
    write_csv(plan, out)
    return out.getvalue()


def write_plan(
    plan: InspectionPlan,
    directory: str | os.PathLike[str],
    *,
    policy: Policy | None = None,
    lang: Language = "zh",
) -> tuple[Path, Path, Path]:
    """Write ``plan.json``, ``plan.csv`` and ``notice.md`` into ``directory`` (made if need be).

    ``policy`` gives the notice its domain labels; ``lang`` its language.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    json_path, csv_path, notice_path = (folder / name for name in PLAN_FILES)
    paths = (json_path, csv_path, notice_path)
    paths[0].write_text(plan_to_json(plan) + "\n", encoding="utf-8")
    with paths[1].open("w", encoding="utf-8", newline="") as out:
        write_csv(plan, out)
    paths[2].write_text(render_notice(plan, policy=policy, lang=lang), encoding="utf-8")
    return paths
