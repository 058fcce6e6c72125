"""A real Dask cluster for the scale tests: 2 worker processes, started once and closed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def client() -> Iterator[Any]:
    """A client of a LocalCluster of 2 worker processes with one thread each."""
    from creditflow.scale import local_client

    with local_client(2) as dask_client:
        yield dask_client
