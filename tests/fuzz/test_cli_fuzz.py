"""The command line, in process, with fuzzed arguments, stdin and files: it exits with a
documented code and never prints a traceback.

``demo`` (seconds per run) and ``verify`` (the book's integrity check, reworked in issue 13 by
the lead) are not fuzzed here; ``docs --book`` is given only paths that are no book.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import _world as w
from _profile import FUZZ
from hypothesis import event, given
from hypothesis import strategies as st

from creditflow.cli import main
from creditflow.supervision import plan_to_json

EXIT_CODES = {0, 1, 2, 130, 141}
"""docs/cli.md, "Errors and exit codes"."""

COMMANDS = ("decide", "check", "policies", "plan", "docs")
OPTIONS = (
    "--policy", "--on", "--domain", "--grade", "--list", "--flag", "--format", "--explain",
    "--chunk-size", "--population", "--inspectors", "--seed", "--period", "--quarters",
    "--accept-over-cap", "--lang", "-o", "--verify", "--diff-from", "--book", "--progress",
    "--help", "--version",
)  # fmt: skip
VALUES = (
    "road_transport", "work_safety", "B", "E", "serious", "national-transport",
    "national-transport@2019.1", "nowhere", "2026-06-01", "2010-01-01", "2026-02-30",
    "pack.toml", "population.csv", "population.jsonl", "inspectors.csv", "plan.json",
    "missing.toml", "out", "out/x", "", "-", "0", "-1", "99999999999999999999", "zh", "en", "md",
    "html", "jsonl", "table", "json", "text", "2026", "\udcff", "\u202e", "a\nb",
)  # fmt: skip
DEEP = "[" * 5000
PACK = (
    'format = 1\n[pack]\nname = "fuzzed"\nversion = "1"\n'
    'extends = "national-transport@2026.1"\neffective_from = 2026-04-01\n'
)
HEADER = "subject_id,kind,name,region,domain,grade\n"

texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
hostile_text = st.one_of(
    texts.map(lambda t: t[:200]),
    st.sampled_from(["", DEEP, "x = " + DEEP, "{" * 5000, "\ufeff", "\r\n\r\n", "a" * 100_000]),
)
file_bytes = st.one_of(
    hostile_text.map(lambda t: t.encode("utf-8")),
    st.binary(max_size=50),
    st.sampled_from([b"\xff\xfe\x00x", b"\x00" * 10]),
)


@st.composite
def pack_file(draw: st.DrawFn) -> bytes:
    tail = draw(st.sampled_from(["", "x = 1\n", "[repair]\nmax_extensions = -1\n", "x = " + DEEP]))
    return draw(st.one_of(st.just((PACK + tail).encode()), file_bytes))


@st.composite
def population_file(draw: st.DrawFn) -> bytes:
    rows = "".join(
        f"{e.subject_id},enterprise,{e.name},230123,road_transport,B\n" for e in w.population()
    )
    row = draw(hostile_text.map(lambda t: t.replace("\n", " ")[:300]))
    return draw(st.one_of(st.just((HEADER + rows + row + "\n").encode()), file_bytes))


@st.composite
def plan_file(draw: st.DrawFn) -> bytes:
    valid = plan_to_json(w.plan())
    cut = draw(st.integers(0, len(valid)))
    return draw(
        st.one_of(
            st.just(valid.encode()),
            st.just(valid[:cut].encode()),
            st.just(valid.replace('"B"', '"C"', 1).encode()),
            file_bytes,
        )
    )


@st.composite
def arguments(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(COMMANDS))
    tokens = draw(
        st.lists(
            st.one_of(
                st.sampled_from(OPTIONS), st.sampled_from(VALUES), texts.map(lambda t: t[:30])
            ),
            max_size=8,
        )
    )
    if command == "plan" and draw(st.booleans()):
        tokens = ["--population", "population.csv", "--inspectors", "inspectors.csv", *tokens]
    if command == "docs":
        tokens = ["-o", "out", *(t for t in tokens if t != "--book"), "--book", "pack.toml"]
    return [command, *tokens]


@contextlib.contextmanager
def console(stdin: bytes) -> Iterator[tuple[io.BytesIO, io.BytesIO]]:
    """sys.stdin, sys.stdout and sys.stderr as byte buffers (UTF-8 text on top), restored after."""
    saved = sys.stdin, sys.stdout, sys.stderr
    out, err = io.BytesIO(), io.BytesIO()
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    try:
        yield out, err
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


@contextlib.contextmanager
def workdir(files: dict[str, bytes]) -> Iterator[Path]:
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
        os.chdir(tmp)
        try:
            yield Path(tmp)
        finally:
            os.chdir(here)


def run(argv: list[str], stdin: bytes, files: dict[str, bytes]) -> tuple[int, str]:
    with workdir(files), console(stdin) as (_, err):
        code = main(argv)
        return code, err.getvalue().decode("utf-8", "replace")


def assert_documented(code: int, err: str) -> None:
    event(f"exit {code}")
    assert code in EXIT_CODES, (code, err)
    assert "Traceback" not in err, err


inspectors_csv = b"inspector_id,name,regions,domains\n" + b"".join(
    f"ZF{n},i{n},230123,road_transport\n".encode() for n in range(4)
)


@FUZZ
@given(
    argv=arguments(),
    stdin=file_bytes,
    pack=pack_file(),
    population=population_file(),
    plan=plan_file(),
)
def test_any_arguments_and_files_give_a_documented_exit(
    argv: list[str], stdin: bytes, pack: bytes, population: bytes, plan: bytes
) -> None:
    files = {
        "pack.toml": pack,
        "population.csv": population,
        "population.jsonl": population,
        "inspectors.csv": inspectors_csv,
        "plan.json": plan,
    }
    assert_documented(*run(argv, stdin, files))


DECIDE_OPTIONS = ["--format", "table", "--explain", "en", "--chunk-size", "1"]
PACK_COMMANDS = [
    ["check", "pack.toml"],
    ["check", "--format", "json", "pack.toml"],
    ["--policy", "pack.toml", "decide", "--domain", "road_transport", "--grade", "B"],
]

json_lines = st.lists(
    st.one_of(
        st.just('{"domain": "road_transport", "grade": "B"}'),
        st.just('{"domain": "road_transport", "grade": "B", "lists": ' + DEEP + "}"),
        st.just("{" * 100_000),
        st.just('{"domain": "' + "x" * 2_000_000 + '"}'),
        st.builds(
            lambda d, g, lists, extra: (
                "{"
                + f'"domain": {d}, "grade": {g}, "lists": {lists}'
                + (f", {extra}" if extra else "")
                + "}"
            ),
            st.sampled_from(['"road_transport"', "1", "null", '""', '"\\ud800"', "[]", "{}"]),
            st.sampled_from(['"B"', '"E"', "true", "1e999", "NaN", "-0"]),
            st.sampled_from(["[]", '["serious"]', '[""]', "[[]]", '"serious"', "[1]"]),
            st.sampled_from(["", '"id": 1', '"id": {"a": []}', '"x": 1', '"flags": null']),
        ),
        texts.map(lambda t: t.replace("\n", " ")[:100]),
    ),
    max_size=6,
)


@FUZZ
@given(lines=json_lines, options=st.lists(st.sampled_from(DECIDE_OPTIONS), max_size=4))
def test_decide_reads_any_stdin_with_a_documented_exit(
    lines: list[str], options: list[str]
) -> None:
    stdin = "\n".join(lines).encode("utf-8", "surrogatepass")
    assert_documented(*run(["--on", "2026-06-01", "decide", *options], stdin, {}))


@FUZZ
@given(pack=pack_file(), command=st.sampled_from(PACK_COMMANDS))
def test_any_pack_file_gives_a_documented_exit(pack: bytes, command: list[str]) -> None:
    assert_documented(*run(command, b"", {"pack.toml": pack}))
