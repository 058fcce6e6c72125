"""Compiled tables: the on-disk cache (checked before it is served) and the bounded memory cache."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from _packs import national_data
from creditflow.errors import EngineFailure
from creditflow.policy.loader import policy_from_data
from creditflow.policy.model import Policy
from creditflow.rules import durable_host, table, table_cache
from creditflow.rules.table import compile_table, reference_table


def pack(version: str = "1") -> Policy:
    data = national_data()
    data["pack"]["version"] = version
    return policy_from_data(data, f"cache-test-{version}.toml")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache directory of the test's own, and an empty memory cache before and after."""
    monkeypatch.setenv("CREDITFLOW_CACHE", str(tmp_path / "cache"))
    table._cache.clear()
    yield tmp_path / "cache"
    table._cache.clear()


@pytest.fixture
def posts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the durable_rules matchers built (one per compilation through the engine)."""
    built: list[str] = []
    real = durable_host.RuleMatcher.__init__

    def counting(self: durable_host.RuleMatcher, name: str, conditions: object) -> None:
        built.append(name)
        real(self, name, conditions)  # type: ignore[arg-type]

    monkeypatch.setattr(durable_host.RuleMatcher, "__init__", counting)
    return built


def cache_files(directory: Path) -> list[Path]:
    return sorted((directory / "tables").glob("*"))


def test_a_second_process_reads_the_table_from_disk(cache: Path, posts: list[str]) -> None:
    policy = pack()
    first = compile_table(policy)
    assert len(posts) == 1
    [file] = cache_files(cache)
    table._cache.clear()  # as a new process would start
    second = compile_table(policy)
    assert len(posts) == 1  # served from disk, not posted again
    assert second is not first
    assert second.rows() == first.rows() == reference_table(policy).rows()
    assert second.report == first.report
    assert cache_files(cache) == [file]


def test_the_cache_is_keyed_by_the_pack_digest(cache: Path, posts: list[str]) -> None:
    compile_table(pack("1"))
    compile_table(pack("2"))
    assert len(posts) == 2
    assert len(cache_files(cache)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[:-40], id="truncated"),
        pytest.param(lambda raw: raw.replace(b"[0", b"[1", 1), id="payload-changed"),
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: b"not a cache file\n{}", id="foreign"),
        pytest.param(lambda raw: raw.replace(b"creditflow-table-cache", b"x", 1), id="no-magic"),
    ],
)
def test_a_damaged_file_is_ignored_and_rewritten(
    cache: Path, posts: list[str], damage: object
) -> None:
    policy = pack()
    good = compile_table(policy)
    [file] = cache_files(cache)
    intact = file.read_bytes()
    file.write_bytes(damage(intact))  # type: ignore[operator]
    table._cache.clear()
    again = compile_table(policy)
    assert len(posts) == 2  # compiled again through durable_rules
    assert again.rows() == good.rows()
    assert file.read_bytes() == intact


def rewrite(file: Path, change: object) -> None:
    """Change the payload and give it a matching checksum: a file that is whole but wrong."""
    import hashlib

    head, _, payload = file.read_bytes().partition(b"\n")
    data = json.loads(payload)
    change(data)  # type: ignore[operator]
    payload = json.dumps(data).encode()
    magic = head.partition(b" ")[0]
    file.write_bytes(magic + b" " + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: d.update(digest="0" * 64), id="other-pack"),
        pytest.param(lambda d: d.update(creditflow="0.0.0"), id="other-creditflow"),
        pytest.param(lambda d: d.update(durable_rules="0.0"), id="other-durable-rules"),
        pytest.param(lambda d: d["matches"].pop(), id="one-signature-short"),
        pytest.param(lambda d: d["sets"].append([999]), id="rule-out-of-range"),
        pytest.param(lambda d: d["sets"].append([True]), id="not-an-index"),
        pytest.param(lambda d: d["matches"].__setitem__(0, 10_000), id="set-out-of-range"),
        pytest.param(lambda d: d.update(extra=1), id="unknown-field"),
        pytest.param(
            lambda d: d.update(matches=[(m + 1) % len(d["sets"]) for m in d["matches"]]),
            id="wrong-but-well-formed",
        ),
    ],
)
def test_a_whole_but_wrong_file_is_not_trusted(
    cache: Path, posts: list[str], change: object
) -> None:
    policy = pack()
    good = compile_table(policy)
    [file] = cache_files(cache)
    rewrite(file, change)
    table._cache.clear()
    again = compile_table(policy)
    assert len(posts) == 2
    assert again.rows() == good.rows()


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDITFLOW_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    table._cache.clear()
    assert table_cache.cache_dir() is None
    compile_table(pack())
    table._cache.clear()
    assert list(tmp_path.iterdir()) == []


def test_the_default_directory_is_the_user_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CREDITFLOW_CACHE", raising=False)
    monkeypatch.setattr(table_cache.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert table_cache.cache_dir() == tmp_path / "xdg" / "creditflow"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert table_cache.cache_dir() == tmp_path / "home" / ".cache" / "creditflow"
    monkeypatch.setenv("CREDITFLOW_CACHE", str(tmp_path / "moved"))
    assert table_cache.cache_dir() == tmp_path / "moved"


def test_an_unwritable_cache_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, posts: list[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("CREDITFLOW_CACHE", str(blocker))
    table._cache.clear()
    assert compile_table(pack()).report.ok
    table._cache.clear()
    assert compile_table(pack()).report.ok
    assert len(posts) == 2


def test_writes_leave_no_temporary_file(cache: Path) -> None:
    compile_table(pack())
    assert [f.suffix for f in cache_files(cache)] == [".json"]
    assert not list((cache / "tables").glob(".tmp-*"))


def test_the_memory_cache_keeps_the_most_recently_used(
    monkeypatch: pytest.MonkeyPatch, posts: list[str]
) -> None:
    monkeypatch.setenv("CREDITFLOW_CACHE", "off")
    monkeypatch.setattr(table, "TABLE_CACHE_SIZE", 2)
    table._cache.clear()
    one, two, three = pack("1"), pack("2"), pack("3")
    first = compile_table(one)
    compile_table(two)
    assert compile_table(one) is first  # one is now the most recently used
    compile_table(three)  # drops two
    assert len(table._cache) == 2
    assert compile_table(one) is first
    assert len(posts) == 3
    compile_table(two)
    assert len(posts) == 4
    table._cache.clear()


def test_an_engine_failure_is_not_cached(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: object, fields: object) -> frozenset[int]:
        raise EngineFailure("boom")

    monkeypatch.setattr(durable_host.RuleMatcher, "matches", fail)
    with pytest.raises(EngineFailure):
        compile_table(pack())
    assert cache_files(cache) == []


def test_writers_and_readers_at_the_same_time_never_see_half_a_file(cache: Path) -> None:
    import threading

    from creditflow.rules.signature import signatures

    policy = pack()
    good = compile_table(policy)
    space = list(signatures(policy))
    matches = table_cache.load_matches(policy, space)
    assert matches is not None
    seen: list[object] = []

    def write() -> None:
        for _ in range(20):
            table_cache.store_matches(policy, matches)

    def read() -> None:
        for _ in range(40):
            seen.append(table_cache.load_matches(policy, space))

    workers = [threading.Thread(target=f) for f in (write, write, read, read)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert seen and all(found == matches for found in seen)  # never None, never damaged
    assert not list((cache / "tables").glob(".tmp-*"))
    assert good.report.ok


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [
        ("darwin", {}, "home/Library/Caches/creditflow"),
        ("win32", {"LOCALAPPDATA": "local"}, "local/creditflow/Cache"),
        ("win32", {}, "home/AppData/Local/creditflow/Cache"),
    ],
)
def test_the_user_cache_directory_follows_the_platform(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    platform: str,
    env: dict[str, str],
    expected: str,
) -> None:
    monkeypatch.delenv("CREDITFLOW_CACHE", raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    monkeypatch.setattr(table_cache.sys, "platform", platform)
    monkeypatch.setattr(table_cache.Path, "home", lambda: tmp_path / "home")
    for key, value in env.items():
        monkeypatch.setenv(key, str(tmp_path / value))
    assert table_cache.cache_dir() == tmp_path / expected


def test_the_cache_directory_and_its_tables_are_its_owners_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made by creditflow: the cache directory and tables/ at 0700 (the folders above as
    usual)."""
    monkeypatch.setenv("CREDITFLOW_CACHE", str(tmp_path / "above" / "cache"))
    table._cache.clear()
    try:
        compile_table(pack("private"))
    finally:
        table._cache.clear()
    cache = tmp_path / "above" / "cache"
    assert cache_files(cache)
    assert (cache.stat().st_mode & 0o777, (cache / "tables").stat().st_mode & 0o777) == (
        0o700,
        0o700,
    )
