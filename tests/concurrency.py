"""Run work in many threads released at the same instant by a barrier (PostgreSQL only).

Each thread has its own database connection (Django's are per thread) and closes it at the
end, so the test database can be dropped afterwards.
"""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def run_at_once(n: int, prepare: Callable[[int], Any], work: Callable[[int, Any], Any]) -> list[Any]:
    """``prepare(i)`` runs in thread i before the barrier (e.g. load its own instance); then all
    threads call ``work(i, prepared)`` together. Returns each result or the exception raised."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def target(i: int) -> None:
        try:
            prepared = prepare(i)
            barrier.wait(timeout=60)
            results[i] = work(i, prepared)
        except BaseException as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,), name=f"worker-{i}") for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker thread hung"
    return results
