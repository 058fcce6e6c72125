"""The fuzz suite's Hypothesis profile: small enough for CI by default, larger on demand.

``CREDITFLOW_FUZZ_EXAMPLES`` sets the examples per test (default 25: the suite then runs
in well under a minute on two cores); e.g. ``CREDITFLOW_FUZZ_EXAMPLES=500`` for a long run.
The examples are the same on every run (CI never flakes); ``CREDITFLOW_FUZZ_RANDOM=1`` draws
new ones.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "creditflow-fuzz",
    max_examples=int(os.environ.get("CREDITFLOW_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=os.environ.get("CREDITFLOW_FUZZ_RANDOM") is None,
)

FUZZ = settings.get_profile("creditflow-fuzz")
"""The settings every fuzz test runs with (a decorator)."""
