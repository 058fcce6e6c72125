"""The JSON Schema of the pack format, shipped in the package for TOML editors."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["pack_schema_path"]

_FILE = "pack.schema.json"


def pack_schema_path() -> Path:
    """The path of ``pack.schema.json``, the JSON Schema (draft 2020-12) of the pack format.

    Point a TOML editor at it (taplo, Even Better TOML: see docs/policy-format.md) to have
    unknown keys, wrong types and malformed periods or ratios marked as a pack is typed. The
    schema checks shape only; :func:`creditflow.check_policy` has the last word.
    """
    return Path(str(resources.files("creditflow.policy").joinpath(_FILE)))
