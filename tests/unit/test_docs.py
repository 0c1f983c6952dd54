"""The repository's copy of the subsidy rules is the shared contract, word for word."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "SUBSIDY.md"


def in_ci() -> bool:
    """Whether this run is CI's (CI=true), where a missing shared spec is an error, not a skip."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def test_docs_subsidy_md_is_the_shared_spec():
    if not SHARED.exists():
        if in_ci():
            pytest.fail(f"CI=true but the shared spec {SHARED} is missing: docs/SUBSIDY.md cannot be checked")
        pytest.skip("the shared spec is not beside this checkout")
    copy = (ROOT / "docs" / "SUBSIDY.md").read_text(encoding="utf-8")
    assert copy.split("\n", 2)[2] == SHARED.read_text(encoding="utf-8")
