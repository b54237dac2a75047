"""What the benchmark commands share: timing, and a transaction that is always rolled back."""

import statistics
import time
from contextlib import contextmanager

from django.db import transaction


class Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    """Run the block in a transaction (a savepoint, if nested) that is rolled back at the end."""
    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


def timed(action) -> float:
    """Seconds `action()` took."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_ms(action, runs: int) -> float:
    """The median, in milliseconds, of `runs` timings of `action()`."""
    return median_of_ms(lambda: timed(action), runs)


def median_of_ms(seconds, runs: int) -> float:
    """The median, in milliseconds, of `runs` calls of `seconds()`, which times itself."""
    return statistics.median(seconds() for _ in range(runs)) * 1000
