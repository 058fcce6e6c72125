"""The HTTP service under load: checks/second and p50/p99 latency at 1, 16 and 64 clients.

Run on demand (not in CI)::

    python benchmarks/serve.py                          # 10,000 subjects, 3,000 checks a level
    python benchmarks/serve.py --subjects 2000 --requests 1000

Builds a SQLite book as ``benchmarks/check.py`` does, measures the in-process
``creditflow.check`` rate on it (the baseline), then starts ``creditflow serve`` on 127.0.0.1
(a free port, with a decision log) and drives ``POST /checks`` for random subjects and purposes
from 1, 16 and 64 concurrent keep-alive connections, each level bounded in requests and time.
The load generator is a few lines of asyncio speaking HTTP/1.1 on raw streams: on a 2-core
machine a full HTTP client library would spend more CPU per request than the server and the
figures would measure the client. Any answer but 200 counts as an error.
Targets (issue 17): >= 1,000 checks/s at 16 clients, p99 < 50 ms, no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from check import CHECK_ON, PURPOSES, ROAD, build, checks_per_second, subject
from creditflow.service import hash_token

TOKEN = "bench-token"
LEVELS = (1, 16, 64)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(book: Path, folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    auth = folder / "auth.toml"
    auth.write_text(
        f'[limits]\nrate = 1000000\nburst = 1000000\n\n[[tokens]]\nactor = "bench"\n'
        f'roles = ["case_officer"]\nsha256 = "{hash_token(TOKEN)}"\n',
        encoding="utf-8",
    )
    port = free_port()
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    command = [
        sys.executable,
        "-m",
        "creditflow",
        "serve",
        "--book",
        str(book),
        "--auth",
        str(auth),
        "--port",
        str(port),
        "--decision-log",
        str(folder / "decisions.jsonl"),
    ]
    server = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=1):
                return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not become ready in 60 s")


def request_bytes(rng: random.Random, subjects: int) -> bytes:
    body = json.dumps(
        {
            "subject_id": subject(rng.randrange(subjects)),
            "on": CHECK_ON.isoformat(),
            "purpose": rng.choice(PURPOSES),
            "domain": ROAD,
        }
    ).encode()
    head = (
        f"POST /checks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def one_client(
    port: int, requests: list[bytes], latencies: list[float], errors: list[int], stop: float
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while requests and time.monotonic() < stop:
            payload = requests.pop()
            started = time.perf_counter()
            writer.write(payload)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors.append(status)
    finally:
        writer.close()


async def drive(port: int, clients: int, count: int, subjects: int, seconds: float) -> dict:
    rng = random.Random(clients)
    requests = [request_bytes(rng, subjects) for _ in range(count)]
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    stop = time.monotonic() + seconds
    await asyncio.gather(
        *(one_client(port, requests, latencies, errors, stop) for _ in range(clients))
    )
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rate": len(latencies) / elapsed,
        "p50": latencies[len(latencies) // 2] * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "done": len(latencies),
        "errors": len(errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subjects", type=int, default=10_000, help="subjects in the book")
    parser.add_argument("--requests", type=int, default=3_000, help="checks per level")
    parser.add_argument("--seconds", type=float, default=60.0, help="time bound per level")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    book, evaluations = build(folder / "book.sqlite", args.subjects)
    baseline = checks_per_second(book, evaluations, range(args.subjects), args.requests)
    book.close()
    print(
        f"in-process creditflow.check: {baseline:,.0f} checks/s "
        f"({args.subjects:,} subjects, SQLite)"
    )
    server, port = start_server(folder / "book.sqlite", folder)
    try:
        asyncio.run(drive(port, 4, 200, args.subjects, args.seconds))  # warm up
        print("clients  checks/s  vs in-process  p50 ms  p99 ms  errors")
        for clients in LEVELS:
            got = asyncio.run(drive(port, clients, args.requests, args.subjects, args.seconds))
            print(
                f"{clients:>7}  {got['rate']:>8,.0f}  {got['rate'] / baseline:>12.2f}x"
                f"  {got['p50']:>6.2f}  {got['p99']:>6.2f}  {got['errors']:>6}"
                + ("" if got["done"] == args.requests else f"  (time bound: {got['done']})")
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("targets: >= 1,000 checks/s at 16 clients, p99 < 50 ms, no errors")


if __name__ == "__main__":
    main()
