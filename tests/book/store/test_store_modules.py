"""What the store modules may do. One event encoder: the documented one
(creditflow.book.encoding) is the only code of the book that hashes or writes JSON; every
store, and the rows' own hash, go through it. The stores know rows, not workflows."""

from __future__ import annotations

import ast
from pathlib import Path

import creditflow.book
from creditflow.book import encoding

BOOK = Path(creditflow.book.__file__).parent
ENCODERS = {"dumps", "dump", "JSONEncoder", "sha256", "sha1", "md5", "blake2b", "new"}


def _encoding_calls(path: Path) -> list[str]:
    """Imports of hashlib and uses of JSON encoders or hash functions in a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if "hashlib" in [*modules, getattr(node, "module", None)]:
                found.append(f"{path.name}:{node.lineno} imports hashlib")
        elif isinstance(node, ast.Attribute) and node.attr in ENCODERS:
            owner = ast.unparse(node.value)
            if owner.split(".")[-1] in ("json", "hashlib", "encoder"):
                found.append(f"{path.name}:{node.lineno} uses {owner}.{node.attr}")
    return found


def test_no_module_of_the_book_but_the_encoding_hashes_or_encodes_json() -> None:
    others = sorted(BOOK.rglob("*.py"))
    assert Path(encoding.__file__) in others
    found = [use for path in others if path.name != "encoding.py" for use in _encoding_calls(path)]
    assert not found, found


def test_the_scan_sees_a_hand_written_hash(tmp_path: Path) -> None:
    module = tmp_path / "store.py"
    module.write_text(
        "import hashlib, json\n"
        "def h(x):\n    return hashlib.sha256(json.dumps(x).encode()).hexdigest()\n",
        encoding="utf-8",
    )
    assert sorted(_encoding_calls(module)) == [
        "store.py:1 imports hashlib",
        "store.py:3 uses hashlib.sha256",
        "store.py:3 uses json.dumps",
    ]


def test_the_encoding_module_is_the_one_that_hashes() -> None:
    assert _encoding_calls(Path(encoding.__file__))


STORE_MODULES = (
    "store.py", "rows.py", "encoding.py", "anchors.py", "stores.py", "_chain.py", "_records.py",
    "memory_store.py", "sqlite_store.py",
)  # fmt: skip
"""The store interface, its values and the stores: below the book's parts."""

ALLOWED = ("creditflow.book.", "creditflow._", "creditflow.errors", "creditflow.core.")


BOOK_PARTS = {
    f"creditflow.book.{name}"
    for name in (
        "book", "status", "_commands", "_unit", "_queries", "_scheduler", "_log", "_repository",
        "_transitions", "_policies", "_cases",
    )
}  # fmt: skip
"""The book above the stores: the façade, its parts and the status (which names machines)."""


def test_the_stores_import_nothing_of_workflows_policies_or_the_book_parts() -> None:
    for name in STORE_MODULES:
        tree = ast.parse((BOOK / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("creditflow"):
                module = node.module or ""
                assert module.startswith(ALLOWED), f"{name}:{node.lineno} imports {module}"
                assert module not in BOOK_PARTS, f"{name}:{node.lineno} imports {module}"
