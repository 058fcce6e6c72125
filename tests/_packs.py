"""Built-in pack data for tests that derive packs of their own."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from typing import Any


def national_data() -> dict[str, Any]:
    """The parsed TOML of the built-in national pack (2026.1), a fresh copy each call."""
    text = (
        resources.files("creditflow.policy")
        .joinpath("packs", "national-transport-2026.toml")
        .read_text(encoding="utf-8")
    )
    return copy.deepcopy(tomllib.loads(text))
