"""The JSON Schema of the pack format: shipped, in step with the loader, and true of every pack."""

from __future__ import annotations

import json
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from _json_schema import errors, unknown_keywords

from _packs import national_data
from creditflow.policy import pack_schema_path
from creditflow.policy import sources as pack_sources
from creditflow.policy.loader import _TOP, policy_from_data
from creditflow.policy.reader import Reader

ROOT = Path(__file__).resolve().parents[2]
DOCS_COPY = ROOT / "docs" / "pack.schema.json"
BUILTIN = sorted(
    e.name for e in resources.files("creditflow.policy").joinpath("packs").iterdir()
    if e.name.endswith(".toml")
)  # fmt: skip
OTHER_PACKS = [
    ROOT / "tests" / "policy" / "data" / "minimal.toml",
    ROOT / "examples" / "policy-tests" / "packs" / "riverside-transport.toml",
]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(pack_schema_path().read_text(encoding="utf-8"))


def builtin_text(file: str) -> str:
    return resources.files("creditflow.policy").joinpath("packs", file).read_text(encoding="utf-8")


def test_the_schema_is_shipped_and_published_the_same(schema: dict[str, Any]) -> None:
    assert pack_schema_path().is_file()
    assert pack_schema_path().read_bytes() == DOCS_COPY.read_bytes()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_schema_uses_only_keywords_the_test_validator_knows(schema: dict[str, Any]) -> None:
    assert list(unknown_keywords(schema)) == []


@pytest.mark.parametrize("file", BUILTIN)
def test_every_builtin_pack_is_valid(schema: dict[str, Any], file: str) -> None:
    assert errors(schema, tomllib.loads(builtin_text(file))) == []


@pytest.mark.parametrize("path", OTHER_PACKS, ids=lambda p: p.name)
def test_the_packs_of_the_tests_and_examples_are_valid(schema: dict[str, Any], path: Path) -> None:
    assert errors(schema, tomllib.loads(path.read_text(encoding="utf-8"))) == []


def test_the_packs_in_the_format_page_are_valid(schema: dict[str, Any]) -> None:
    page = (ROOT / "docs" / "policy-format.md").read_text(encoding="utf-8")
    packs = [
        block
        for block in re.findall(r"```toml\n(.*?)```", page, re.DOTALL)
        if block.startswith("format = 1")
    ]
    assert packs
    for block in packs:
        assert errors(schema, tomllib.loads(block)) == []


def broken(change: Any) -> dict[str, Any]:
    data = national_data()
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["decisions"]["rules"][0].update(sampling_ration="5%"), "sampling_ration"),
        (lambda d: d["decisions"]["rules"][0].update(sampling_ratio=0.05), "sampling_ratio"),
        (lambda d: d["decisions"]["rules"][0].update(sampling_ratio="5 %"), "sampling_ratio"),
        (lambda d: d["lists"]["watch"].update(duration="2 yeers"), "lists.watch.duration"),
        (lambda d: d["lists"]["watch"].update(duration={"basis": "x"}), "lists.watch.duration"),
        (lambda d: d["measures"]["fast_track"].update(kind="bonus"), "measures.fast_track.kind"),
        (lambda d: d["pack"].pop("basis"), "pack"),
        (lambda d: d.pop("repair"), "(top)"),
        (lambda d: d["flags"].update({"Bad-Name": {"label": {"zh": "x", "en": "x"}}}), "Bad-Name"),
        (lambda d: d["measures"]["fast_track"]["label"].pop("en"), "fast_track.label"),
        (lambda d: d.update(format=2), "format"),
        (lambda d: d["decisions"]["rules"][0].update(when={"grade": "A", "domain": "x"}), "when"),
        (lambda d: d["pack"].update(effective_from="2026-04-01T00:00:00"), "effective_from"),
    ],
)
def test_mistakes_are_marked_where_they_are(
    schema: dict[str, Any], change: Any, where: str
) -> None:
    found = errors(schema, broken(change))
    assert found
    assert any(where in error for error in found), found


def test_an_extending_pack_needs_only_its_identity(schema: dict[str, Any]) -> None:
    text = builtin_text("lindian-transport-2026.toml")
    data = tomllib.loads(text)
    assert "measures" not in data
    assert errors(schema, data) == []
    del data["pack"]["effective_from"]
    assert any("effective_from" in e for e in errors(schema, data))


def test_a_date_time_is_not_a_date(schema: dict[str, Any]) -> None:
    data = tomllib.loads(builtin_text("national-transport-2026.toml").replace(
        "effective_from = 2026-04-01", "effective_from = 2026-04-01T00:00:00", 1))  # fmt: skip
    assert any("effective_from" in e for e in errors(schema, data))


# ---------------------------------------------------------------- in step with the loader


def declared_keys(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str]]:
    """The keys the loader allows at each key path it reads, over every pack there is."""
    seen: dict[str, set[str]] = {}
    real = Reader.only

    def recording(self: Reader, table: dict[str, Any], path: str, allowed: Any) -> None:
        allowed = list(allowed)
        seen.setdefault(path, set()).update(allowed)
        real(self, table, path, allowed)

    monkeypatch.setattr(Reader, "only", recording)
    for file in BUILTIN:
        policy_from_data(pack_sources._builtin_data(file), file)
    for path in OTHER_PACKS:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        policy_from_data(pack_sources._resolve_extends(data, path.name), path.name)
    return seen


def node_at(schema: dict[str, Any], path: str) -> dict[str, Any]:
    """The schema of the table at a loader key path (``decisions.rules[0]``, ``lists.watch``)."""
    node: Any = schema
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        node = resolved(schema, node)
        if index:
            node = node["items"]
        elif name in node.get("properties", {}):
            node = node["properties"][name]
        else:
            node = node["additionalProperties"]
    node = resolved(schema, node)
    if "anyOf" in node:  # a setting: bare, or as a table with its own basis
        forms = [resolved(schema, n) for n in node["anyOf"]]
        [node] = [form for form in forms if form.get("type") == "object"]
    return node  # type: ignore[no-any-return]


def resolved(schema: dict[str, Any], node: Any) -> Any:
    """``node``, or what its ``$ref`` points to (local references only)."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = schema
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_the_schema_allows_exactly_the_keys_the_loader_reads(
    schema: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert set(schema["properties"]) == set(_TOP)
    seen = declared_keys(monkeypatch)
    assert len(seen) > 30  # every kind of table was read
    for path, allowed in sorted(seen.items()):
        if path == "":
            continue
        node = node_at(schema, path)
        assert set(node.get("properties", {})) == allowed, path
        assert node.get("additionalProperties") is False, path


def test_a_score_range_is_part_of_the_schema(schema: dict[str, Any]) -> None:
    data = national_data()
    data["scales"]["construction"]["score_range"] = {"min": 0, "max": 100}
    assert errors(schema, data) == []
    data["scales"]["construction"]["score_range"] = {"min": 0, "top": 100}
    assert any("score_range" in e for e in errors(schema, data))


@pytest.mark.parametrize("table", ["lists.serious", "flags.commitment_breached"])
def test_a_complete_pack_without_a_direction_fails_the_schema_as_it_fails_the_loader(
    schema: dict[str, Any], table: str
) -> None:
    """Found by review: the loader requires every list kind and flag to declare its
    direction, and the editor's schema let a pack without one pass."""
    data = national_data()
    group, name = table.split(".")
    del data[group][name]["direction"]
    assert any("direction" in e for e in errors(schema, data))
