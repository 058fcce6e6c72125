"""The optional libraries of the ``dask`` extra, imported when first used."""

from __future__ import annotations

from types import ModuleType

from creditflow.errors import MissingExtra

__all__ = ["need"]


def need(module: str, purpose: str) -> ModuleType:
    """Import ``module`` (dask, distributed, pandas, pyarrow...), or raise MissingExtra."""
    import importlib

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        package = (error.name or module).partition(".")[0]
        raise MissingExtra("dask", package, purpose) from None
