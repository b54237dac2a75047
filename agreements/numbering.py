"""Per-parent sequence numbers (CR-1, CR-2 …; revision rounds 1, 2 …) that never repeat.

The next number is read and used inside one transaction that first locks the parent row, and a
unique constraint backs it. On PostgreSQL the row lock queues writers of the same parent; on
SQLite (where row locks do nothing) IMMEDIATE transactions serialise all writers. Should a
number still be taken meanwhile, the constraint refuses it and we count again.
"""

from collections.abc import Callable

from django.db import IntegrityError, models, transaction

ATTEMPTS = 3


def create_numbered[T](parent: models.Model, create: Callable[[], T]) -> T:
    """Run `create` (which reads the last number and saves the next) with `parent` locked."""
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                type(parent).objects.select_for_update().filter(pk=parent.pk).exists()
                return create()
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
