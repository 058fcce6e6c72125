"""Decision speed: Engine.decide_many against a plain dict lookup and direct durable_rules posts.

Run on demand (not in CI)::

    python benchmarks/decide.py            # 1,000,000 facts
    python benchmarks/decide.py --facts 200000 --direct 50000

It prints decisions per second for three paths measured in the same run, on the same facts:
``decide_many``; a plain dict lookup of the same table with prebuilt keys (the floor); and
posting each fact to durable_rules directly (what the engine avoids). Targets (issue 2):
``decide_many`` within 3x of the dict lookup, at least 50x faster than direct posting, and
``import creditflow`` under 0.3 s.

It also prints the time to compile a pack of 51,200 signatures (the national pack with 7 more
flags, 8 in all), each run in a fresh process: with the on-disk cache off (the baseline,
measured in the same run), cold (an empty cache directory) and warm (the cache the cold run
wrote), as seconds and as ratios against the baseline. Targets (issue 14): warm under 0.5 s;
cold no slower than the baseline (a ratio within 1.05, the noise of the machine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import creditflow
from creditflow import Facts
from creditflow.rules.signature import message


def realistic_facts(policy: creditflow.Policy, count: int, seed: int) -> list[Facts]:
    """Facts shaped like a province: most subjects graded A or B, few on any list."""
    rng = random.Random(seed)
    domains = sorted(policy.domains)
    grade_weights = [0.10, 0.40, 0.35, 0.10, 0.05]
    facts = []
    for _ in range(count):
        domain = rng.choice(domains)
        grades = policy.domains[domain].scale.names
        grade = rng.choices(grades, weights=grade_weights[: len(grades)])[0]
        lists = frozenset(
            k for k, p in (("serious", 0.01), ("watch", 0.03), ("red", 0.05)) if rng.random() < p
        )
        flags = frozenset({"commitment_breached"}) if rng.random() < 0.02 else frozenset()
        facts.append(Facts(domain, grade, lists & policy.lists.keys(), flags & policy.flags.keys()))
    return facts


def rate(count: int, run: Callable[[], object]) -> float:
    """Decisions per second of the best of three runs."""
    best = min(_timed(run) for _ in range(3))
    return count / best


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def direct_posting(policy: creditflow.Policy, facts: list[Facts]) -> float:
    """Post each fact as an event to a durable_rules host holding the pack's rules."""
    from durable import engine

    class Host(engine.Host):  # type: ignore[misc]
        def _run(self) -> None:  # no timer threads, as durable-rules.md measured
            pass

    def action(c: Any) -> None:
        c.s.decision = c.m.id

    host = Host()
    rules = {
        f"r{i}": {"all": [{"m": dict(r.when)}], "run": action}
        for i, r in enumerate(policy.decisions.rules)
    }
    host.set_rulesets({"bench": rules})
    messages = [dict(message(policy, f), id=i, sid="bench") for i, f in enumerate(facts)]

    def post_all() -> None:
        for m in messages:
            host.post("bench", m)

    return len(messages) / _timed(post_all)


def import_seconds(runs: int = 5) -> float:
    """Median wall time of ``import creditflow`` in a fresh interpreter."""
    code = "import time; t = time.perf_counter(); import creditflow; print(time.perf_counter() - t)"
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return statistics.median(times)


EXTRA_FLAGS = 7
"""Flags added to the national pack's one: 25 grades x 2^3 lists x 2^8 flags = 51,200."""

COMPILE = (
    "import sys, time; from creditflow.policy import read_policy;"
    " from creditflow.rules import compile_table; p = read_policy(sys.argv[1]);"
    " t = time.perf_counter(); compile_table(p); print(time.perf_counter() - t)"
)


def flag_pack(directory: str) -> str:
    """Write the 51,200-signature pack (extends the national pack) and return its path."""
    flags = "".join(
        f'\n[flags.extra_{i}]\nlabel = {{ zh = "附加标记{i}", en = "Extra flag {i}" }}\n'
        'direction = { value = "adverse", basis = "benchmark", source = "configurable" }\n'
        for i in range(EXTRA_FLAGS)
    )
    text = (
        'format = 1\n\n[pack]\nname = "bench-flags"\nversion = "1"\n'
        'extends = "national-transport@2026.1"\neffective_from = 2026-04-01\n' + flags
    )
    path = os.path.join(directory, "bench-flags.toml")
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(text)
    return path


def compile_seconds(pack: str, cache: str) -> float:
    """Seconds to compile ``pack`` in a fresh process with ``CREDITFLOW_CACHE=cache``."""
    env = {**os.environ, "CREDITFLOW_CACHE": cache}
    done = subprocess.run(
        [sys.executable, "-c", COMPILE, pack], capture_output=True, text=True, check=True, env=env
    )
    return float(done.stdout)


def compile_times(runs: int) -> tuple[float, float, float]:
    """Best of ``runs`` each: cache off (baseline), cold (empty cache) and warm."""
    with tempfile.TemporaryDirectory() as work:
        pack = flag_pack(work)
        baseline = min(compile_seconds(pack, "off") for _ in range(runs))
        colds, warms = [], []
        for run in range(runs):
            cache = os.path.join(work, f"cache-{run}")
            colds.append(compile_seconds(pack, cache))
            warms.append(compile_seconds(pack, cache))
        return baseline, min(colds), min(warms)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--facts", type=int, default=1_000_000, help="facts to decide")
    parser.add_argument(
        "--direct", type=int, default=None, help="facts posted to durable_rules (default: all)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--compile-runs", type=int, default=3, help="fresh processes per compile measure"
    )
    args = parser.parse_args()

    policy = creditflow.load_policy(on=dt.date(2026, 6, 1))
    engine = creditflow.Engine(policy)
    facts = realistic_facts(policy, args.facts, args.seed)
    keys = [f.key for f in facts]
    table = dict(engine.table.decisions)

    engine_rate = rate(len(facts), lambda: engine.decide_many(facts))
    dict_rate = rate(len(keys), lambda: [table[k] for k in keys])
    direct_count = args.direct or len(facts)
    direct_rate = direct_posting(policy, facts[:direct_count])
    seconds = import_seconds()

    print(f"policy {policy.key}, {len(facts):,} facts ({direct_count:,} posted directly)")
    print(f"{'path':<34}{'decisions/s':>16}")
    print(f"{'Engine.decide_many':<34}{engine_rate:>16,.0f}")
    print(f"{'dict lookup, prebuilt keys':<34}{dict_rate:>16,.0f}")
    print(f"{'durable_rules Host.post per fact':<34}{direct_rate:>16,.0f}")
    slower = dict_rate / engine_rate
    faster = engine_rate / direct_rate
    verdict = {True: "PASS", False: "FAIL"}
    print(f"decide_many is {slower:.2f}x slower than the dict lookup (target <= 3x): "
          f"{verdict[slower <= 3]}")  # fmt: skip
    print(f"decide_many is {faster:,.0f}x faster than direct posting (target >= 50x): "
          f"{verdict[faster >= 50]}")  # fmt: skip
    print(f"import creditflow: {seconds:.3f} s (target < 0.3 s): {verdict[seconds < 0.3]}")

    baseline, cold, warm = compile_times(args.compile_runs)
    print(f"compile a 51,200-signature pack (best of {args.compile_runs} fresh processes each)")
    print(f"{'cache':<34}{'seconds':>10}{'vs baseline':>14}")
    for name, took in (("off (baseline)", baseline), ("cold", cold), ("warm", warm)):
        print(f"{name:<34}{took:>10.3f}{took / baseline:>13.2f}x")
    print(f"warm compile: {warm:.3f} s (target < 0.5 s): {verdict[warm < 0.5]}")
    print(f"cold compile: {cold / baseline:.2f}x the baseline (target <= 1.05x): "
          f"{verdict[cold / baseline <= 1.05]}")  # fmt: skip


if __name__ == "__main__":
    main()
