"""The `market` console script: `market subsidy ...` runs without loading Flask or the database layer."""

from __future__ import annotations

import sys


def main() -> None:
    """Dispatch to the subsidy tools directly, or to the Flask command group for everything else."""
    if len(sys.argv) > 1 and sys.argv[1] == "subsidy":
        from market.subsidy_cli import subsidy

        subsidy(args=sys.argv[2:], prog_name="market subsidy")
        return
    from market.cli import main as flask_main

    flask_main()
