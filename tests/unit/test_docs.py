"""The repository's copy of the subsidy rules is the shared contract, word for word."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "SUBSIDY.md"


@pytest.mark.skipif(not SHARED.exists(), reason="the shared spec is not beside this checkout")
def test_docs_subsidy_md_is_the_shared_spec():
    copy = (ROOT / "docs" / "SUBSIDY.md").read_text(encoding="utf-8")
    assert copy.split("\n", 2)[2] == SHARED.read_text(encoding="utf-8")
