"""What the benchmark commands share: timing, and a transaction that is always rolled back."""

import statistics
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields

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


@dataclass(frozen=True)
class Figure:
    """One line of the benchmark table: a measurement beside its baseline from the same run."""

    benchmark: str  # documents, alerts, load
    name: str  # "summary PDF", "scan, 1 hour due", "dashboard p95"
    value: float
    baseline: float
    unit: str  # "ms"
    target: float | None  # the ratio it must stay within; None: reported only
    baseline_name: str = ""
    limit: float | None = None  # and the value itself, in `unit` (the PDFs: 150 and 300 ms)

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.ratio <= self.target and (self.limit is None or self.value <= self.limit)

    def as_dict(self) -> dict:
        return asdict(self) | {"ratio": round(self.ratio, 2), "met": self.met}

    @classmethod
    def from_dict(cls, data: dict) -> "Figure":
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})
