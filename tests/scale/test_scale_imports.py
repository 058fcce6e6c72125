"""The dask extra is optional: nothing imports it until it is used, and its absence is typed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from creditflow.errors import MissingExtra
from creditflow.scale._imports import need


def test_importing_creditflow_and_its_scale_layer_imports_no_dask() -> None:
    code = (
        "import sys, creditflow, creditflow.scale, creditflow.supervision.partitions, "
        "creditflow.licensing.batches, creditflow.demo.files, creditflow.cli.main\n"
        "found = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'dask', 'distributed', 'pandas', 'pyarrow', 'numpy'})\n"
        "print(found)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_missing_library_says_which_extra_to_install() -> None:
    with pytest.raises(MissingExtra) as caught:
        need("creditflow_no_such_library", "drawing a plan on Dask")
    assert isinstance(caught.value, ImportError)
    assert caught.value.extra == "dask" and caught.value.module == "creditflow_no_such_library"
    assert str(caught.value) == (
        "drawing a plan on Dask needs creditflow_no_such_library, which is not installed: "
        "pip install 'creditflow[dask]'"
    )
