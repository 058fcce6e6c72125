"""No package of creditflow imports a layer above it (design: "dependencies point down only").

Every import in src/creditflow is read with ``ast``: module level, inside functions, and under
``if TYPE_CHECKING:`` alike. A type-only import is a dependency too (a lower layer's signatures
would name a higher layer's types, and its type check would need that layer), and the design
makes no exception for it, so it is held to the same order.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import creditflow

LAYERS = (
    "core", "calendar", "policy", "rules", "workflows", "book", "supervision", "licensing",
    "disclosure", "testing", "docs", "scale", "demo", "service", "cli",
)  # fmt: skip
"""The layers, lowest first, as the design draws them (top to bottom there)."""

CORE_MODULES = {"errors", "_validation", "_limits", "_repr", "_gc"}
"""Modules directly under src/creditflow that belong to the core layer."""

EXCEPTIONS = {
    ("creditflow.rules.loading", "creditflow.workflows.soundness"): (
        "a pack enters through the loaders, which run the one soundness check; imported inside "
        "the function that calls it (creditflow/workflows/soundness.py says why)"
    ),
}
"""Upward imports the design accepts, each with its reason; every one must still exist."""

NARROWER = {
    "supervision": {"core", "calendar", "policy", "rules", "supervision"},
}
"""Layers held to fewer layers below them than the order allows, and which: supervision
decides and draws plans from facts and the pack alone, and reads no book (licensing does)."""

SRC = Path(creditflow.__file__).parent


def _layer(module: str) -> str:
    """The layer of a module of creditflow (the package itself: the highest layer it imports,
    since importing it imports every layer its ``__init__`` re-exports)."""
    parts = module.split(".")
    if len(parts) == 1:
        return _package_layer()
    name = parts[1]
    if name in CORE_MODULES:
        return "core"
    if name in ("__init__", "__main__"):
        return "cli"
    assert name in LAYERS, f"{module}: {name} is no layer; add it to LAYERS in the design order"
    return name


def _package_layer() -> str:
    imported = {
        _layer(target)
        for target, _ in _imports(SRC / "__init__.py", "creditflow")
        if target != "creditflow"
    }
    return max(imported, key=LAYERS.index)


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module: str) -> list[tuple[str, int]]:
    """``(imported creditflow module, line)`` for every import in the file, nested included."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base == "creditflow":  # from creditflow import book, errors ...
                found += [(f"creditflow.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((base, node.lineno))
    return [(name, line) for name, line in found if name.split(".")[0] == "creditflow"]


def _upward_imports() -> dict[tuple[str, str], str]:
    upward = {}
    for path in sorted(SRC.rglob("*.py")):
        module = _module_name(path)
        if module == "creditflow" or (path.name == "__main__.py" and path.parent == SRC):
            continue  # the façade re-exports every layer; `python -m creditflow` is the CLI
        mine = _layer(module)
        for target, line in _imports(path, module):
            if target == "creditflow.__version__" or target == "creditflow":
                continue  # the version string: no layer
            theirs = _layer(target)
            if LAYERS.index(theirs) > LAYERS.index(mine):
                upward[(module, target)] = f"{path.relative_to(SRC.parent)}:{line}"
    return upward


def test_no_layer_imports_a_layer_above_it() -> None:
    upward = {pair: where for pair, where in _upward_imports().items() if pair not in EXCEPTIONS}
    assert not upward, "imports of a higher layer: " + "; ".join(
        f"{where} ({low} imports {high})" for (low, high), where in sorted(upward.items())
    )


@pytest.mark.parametrize("layer", sorted(NARROWER))
def test_a_narrower_layer_imports_only_its_own_layers(layer: str) -> None:
    for path in sorted((SRC / layer).rglob("*.py")):
        module = _module_name(path)
        for target, line in _imports(path, module):
            assert _layer(target) in NARROWER[layer], f"{path.name}:{line} imports {target}"


def test_every_accepted_exception_is_still_needed() -> None:
    assert set(EXCEPTIONS) <= set(_upward_imports())


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from creditflow.book.book import CreditBook", "creditflow.book.book"),
        ("import creditflow.cli.main", "creditflow.cli.main"),
        ("def f():\n    from creditflow.demo import run", "creditflow.demo"),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from creditflow.licensing import check",
            "creditflow.licensing",
        ),
        ("from creditflow import docs", "creditflow.docs"),
        ("from ..book import rows", "creditflow.book"),
    ],
)
def test_every_kind_of_import_is_read(tmp_path: Path, source: str, expected: str) -> None:
    path = tmp_path / "module.py"
    path.write_text(source, encoding="utf-8")
    assert [name for name, _ in _imports(path, "creditflow.rules.module")] == [expected]
