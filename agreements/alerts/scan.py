"""Thresholds crossed → Alert rows, exactly once.

Reads only the plan rows whose time has come (an indexed range on `fire_at`), so a scan costs in
proportion to the alerts due, not to the milestones on record. Each due plan row becomes an Alert
(the unique constraint on (milestone, kind, threshold) makes a repeated or concurrent scan add
nothing) and is deleted, in one transaction. If a scan was missed and several warnings for one
deadline are due at once, only the nearest to the deadline is raised.
"""

import uuid

from django.db import transaction

from agreements.models import Alert, AlertKind, AlertPlan

SUPERSEDED_KINDS = (AlertKind.DUE_SOON, AlertKind.CLIENT_DUE)
FIELDS = ("pk", "owner_id", "milestone_id", "kind", "threshold", "detail")


def alerts_scan(*, now) -> list[int]:
    """Raise the alerts whose time has come; returns the ids of those this scan created."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        due = list(AlertPlan.objects.filter(fire_at__lte=now).values_list(*FIELDS))
        if not due:
            return []
        latest = {}
        for pk, owner_id, milestone_id, kind, threshold, detail in due:
            key = (milestone_id, kind) if kind in SUPERSEDED_KINDS else (milestone_id, kind, threshold, owner_id)
            if key not in latest or threshold > latest[key][4]:
                latest[key] = (pk, owner_id, milestone_id, kind, threshold, detail)
        Alert.objects.bulk_create(
            [
                Alert(owner_id=owner_id, milestone_id=milestone_id, kind=kind, threshold=threshold, detail=detail,
                      created_at=now, scan=token, next_attempt_at=now)
                for _pk, owner_id, milestone_id, kind, threshold, detail in latest.values()
            ],
            ignore_conflicts=True, batch_size=500,
        )
        AlertPlan.objects.filter(pk__in=[row[0] for row in due]).delete()
    # bulk_create(ignore_conflicts=True) returns every row passed: ask the table what is new.
    return list(Alert.objects.filter(scan=token).values_list("pk", flat=True))
