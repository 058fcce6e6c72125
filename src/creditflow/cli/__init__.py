"""The ``creditflow`` command line: decide, check and list policy packs from a shell.

Run ``creditflow --help`` (or ``python -m creditflow --help``); the commands are documented in
``docs/cli.md``. :func:`main` is the entry point, usable in-process too::

    from creditflow.cli import main
    exit_code = main(["decide", "--domain", "road_transport", "--grade", "B"])
"""

from creditflow.cli.main import main

__all__ = ["main"]
