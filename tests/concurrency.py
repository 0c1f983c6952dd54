"""Running the same work in several threads released at one moment, for the concurrency tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any


def all_at_once(work: Callable[..., Any], arguments: Sequence[tuple]) -> list:
    """Run work(*args) for each args in threads released together by a barrier; their results, in the order
    they finished. Any exception in a thread fails the test here."""
    barrier = threading.Barrier(len(arguments))
    results: list = []
    errors: list[BaseException] = []

    def run(*args: Any) -> None:
        try:
            barrier.wait()
            results.append(work(*args))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=args) for args in arguments]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    return results
