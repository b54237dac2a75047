"""Per-parent sequence numbers (CR-1, CR-2 …; revision rounds 1, 2 …) that never repeat.

The next number is read and used inside one transaction, and a unique constraint backs it:
on SQLite, IMMEDIATE transactions serialise writers; on PostgreSQL a concurrent writer may
take the same number first, and then we count again.
"""

from collections.abc import Callable

from django.db import IntegrityError, transaction

ATTEMPTS = 3


def create_numbered[T](create: Callable[[], T]) -> T:
    """Run `create` (which reads the last number and saves the next) until its number is free."""
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return create()
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
