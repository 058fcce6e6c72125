"""A Dask client for the command line: a new LocalCluster of N worker processes, or a scheduler."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from creditflow._repr import shown
from creditflow.errors import InvalidInput
from creditflow.scale._imports import need

__all__ = ["local_client"]


@contextlib.contextmanager
def local_client(workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """A :class:`distributed.Client` of a scheduler at ``scheduler`` (``tcp://host:8786``),
    or of a new :class:`distributed.LocalCluster` of ``workers`` processes of one thread
    each (decisions hold the GIL: threads add nothing), closed on exit."""
    distributed = need("distributed", "running on Dask")
    if scheduler is not None:
        if not isinstance(scheduler, str) or "://" not in scheduler:
            raise InvalidInput(
                f"scheduler must be an address like tcp://host:8786, got {shown(scheduler)}"
            )
        with distributed.Client(scheduler) as client:
            yield client
        return
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InvalidInput(f"workers must be an int >= 1, got {shown(workers)}")
    with (
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # a free port: never a clash with another cluster
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client
