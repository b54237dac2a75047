"""Thresholds crossed → Alert rows, exactly once.

Reads only the plan rows whose time has come (an indexed range on `fire_at`), so a scan costs in
proportion to the alerts due, not to the milestones on record. In one transaction the due plan
rows are deleted and become Alert rows; the unique constraints on (milestone, kind, threshold)
make a repeated or concurrent scan add nothing (ON CONFLICT DO NOTHING), and RETURNING names
exactly the rows this scan created. It is plain SQL, the same on SQLite and PostgreSQL, because
it is the hot path the benchmark measures: the database copies the rows, Python never holds them.

On PostgreSQL the delete and the insert are one statement, so a plan row written meanwhile by a
concurrent recomputation is either taken whole or left for the next scan. On SQLite the
transaction is IMMEDIATE (config/settings.py): it holds the write lock from its first statement.
"""

from django.db import connection, transaction

from agreements.models import Alert, AlertPlan

COPIED = ("owner_id", "milestone_id", "kind", "threshold", "detail")


def _sql() -> str:
    alert, plan = Alert._meta.db_table, AlertPlan._meta.db_table
    columns = ", ".join(COPIED)
    if connection.vendor == "postgresql":
        prefix = f"WITH due AS (DELETE FROM {plan} WHERE fire_at <= %s RETURNING {columns}) "
        source = "due WHERE true"  # SQLite's parser needs a WHERE before ON CONFLICT; PostgreSQL accepts it
    else:
        prefix, source = "", f"{plan} WHERE fire_at <= %s"
    return (
        f"{prefix}INSERT INTO {alert} ({columns}, created_at, next_attempt_at, status, attempts, last_error, sent_to) "
        f"SELECT {columns}, %s, %s, '{Alert.Status.PENDING}', 0, '', '[]' FROM {source} "
        "ON CONFLICT DO NOTHING RETURNING id"
    )


def alerts_scan(*, now) -> list[int]:
    """Raise the alerts whose time has come; returns the ids of those this scan created."""
    at = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_sql(), [at, at, at])
        created = [row[0] for row in cursor.fetchall()]
        if connection.vendor != "postgresql":
            cursor.execute(f"DELETE FROM {AlertPlan._meta.db_table} WHERE fire_at <= %s", [at])
        return created
