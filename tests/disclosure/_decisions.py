"""Rows of licensing and penalty decisions for the disclosure tests, and files of them."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FIRM = "91350100M000100Y43"  # a valid unified social credit code
PERSON = "11010519491231002X"  # a valid resident ID
OTHER_FIRM = "91110000600037341L"  # another valid code

PENALTY_COLUMNS = (
    "document_number", "title", "category", "grounds", "basis", "party", "party_name", "result",
    "amount", "decided_on", "authority", "unit", "domain", "published_on",
)  # fmt: skip
LICENCE_COLUMNS = (
    "document_number", "item", "category", "content", "party", "party_name", "decided_on",
    "valid_from", "valid_until", "authority", "unit", "domain", "published_on",
)  # fmt: skip


def penalty(number: int, **changes: Any) -> dict[str, Any]:
    """A valid penalty row (a general fine of 5000 yuan), ``changes`` applied."""
    row: dict[str, Any] = {
        "document_number": f"资交罚〔2026〕{number}号",
        "title": "超限运输",
        "category": "fine",
        "grounds": "车辆超限运输",
        "basis": "《公路安全保护条例》第六十四条",
        "party": FIRM,
        "party_name": "某运输有限公司",
        "result": "罚款5000元",
        "amount": "5000",
        "decided_on": "2026-09-28",
        "authority": "某市交通运输局",
        "unit": "enforcement",
        "domain": "road_transport",
        "published_on": "2026-10-09",
    }
    row.update(changes)
    return row


def licence(number: int, **changes: Any) -> dict[str, Any]:
    """A valid licensing row (an ordinary road transport licence), ``changes`` applied."""
    row: dict[str, Any] = {
        "document_number": f"资交许〔2026〕{number}号",
        "item": "道路货物运输经营许可",
        "category": "ordinary",
        "content": "准予从事普通货运",
        "party": FIRM,
        "party_name": "某运输有限公司",
        "decided_on": "2026-09-28",
        "valid_from": "2026-09-28",
        "valid_until": "2030-09-27",
        "authority": "某市交通运输局",
        "unit": "road_transport",
        "domain": "road_transport",
        "published_on": "2026-09-30",
    }
    row.update(changes)
    return row


def write_csv(path: Path, rows: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path
