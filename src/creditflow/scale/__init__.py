"""creditflow at national scale: deciding, grading and drawing plans on Dask (the ``dask`` extra).

The work is written as pure functions over a partition of rows, with no Dask import
(:mod:`creditflow.supervision.partitions`, :mod:`creditflow.rules.batches`); this package
wires them to Dask, on a :class:`distributed.LocalCluster` or a real cluster::

    from distributed import Client
    from creditflow.scale import draw_plan

    with Client("tcp://scheduler:8786") as client:
        plan = draw_plan("population/", engine=engine, period=2026, seed="20260105",
                         inspectors=read_inspectors("inspectors.csv"), client=client)

The plan is the plan one process draws from the same rows, byte for byte (same digest), for
any number and order of partitions. See ``docs/scale.md``. Importing this package imports no
Dask: the libraries are imported when a function needs them, and a missing one raises
:class:`~creditflow.errors.MissingExtra` (``pip install 'creditflow[dask]'``).
"""

from creditflow.licensing.batches import GRADE_COLUMNS, GRADE_INPUT_COLUMNS
from creditflow.scale.clusters import local_client
from creditflow.scale.plans import Progress, draw_plan, verify_plan
from creditflow.scale.tables import TableResult, decide_table, grade_table, write_parquet
from creditflow.supervision.partitions import DECISION_COLUMNS

__all__ = [
    "DECISION_COLUMNS",
    "GRADE_COLUMNS",
    "GRADE_INPUT_COLUMNS",
    "Progress",
    "TableResult",
    "decide_table",
    "draw_plan",
    "grade_table",
    "local_client",
    "verify_plan",
    "write_parquet",
]
