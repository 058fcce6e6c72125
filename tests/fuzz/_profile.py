"""The fuzz suite's Hypothesis profile: small enough for CI by default, larger on demand.

``CREDITFLOW_FUZZ_EXAMPLES`` sets the examples per test (default 15: the suite then runs
in well under a minute on two cores); e.g. ``CREDITFLOW_FUZZ_EXAMPLES=500`` for a long run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "creditflow-fuzz",
    max_examples=int(os.environ.get("CREDITFLOW_FUZZ_EXAMPLES", "15")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=os.environ.get("CREDITFLOW_FUZZ_RANDOM") is None,
)

FUZZ = settings.get_profile("creditflow-fuzz")
"""The settings every fuzz test runs with (a decorator)."""
