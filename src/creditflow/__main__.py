"""``python -m creditflow``: the command line (see :mod:`creditflow.cli`)."""

from creditflow.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
