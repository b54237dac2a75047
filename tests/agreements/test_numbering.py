"""agreements/numbering.py: CR numbers and revision rounds never repeat, even at the same moment."""

import datetime
import threading

import pytest
from django.db import connection

from agreements.changes import change_request_create
from agreements.models import ChangeRequest, ScopeItem
from agreements.revisions import revision_request_create
from tests.factories import NOW, ContactFactory, ProjectFactory, ScopeItemFactory

WRITERS = 4


def at_once(work) -> list[BaseException]:
    """Run `work` in WRITERS threads released together; return what they raised."""
    barrier, errors = threading.Barrier(WRITERS), []

    def run():
        try:
            barrier.wait()
            work()
        except BaseException as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_requests_made_at_the_same_moment_get_distinct_numbers():
    project = ProjectFactory()
    contact = ContactFactory(client=project.client)

    errors = at_once(lambda: change_request_create(
        project=project, now=NOW, requested_by=contact, description="More", needed_by=datetime.date(2027, 1, 1),
    ))

    assert errors == []
    numbers = sorted(ChangeRequest.objects.filter(project=project).values_list("number", flat=True))
    assert numbers == list(range(1, WRITERS + 1))


@pytest.mark.django_db(transaction=True)
def test_rounds_requested_at_the_same_moment_get_distinct_numbers_and_fair_charges():
    item = ScopeItemFactory()

    errors = at_once(lambda: revision_request_create(
        scope_item=ScopeItem.objects.get(pk=item.pk), description="again", now=NOW,
    ))

    assert errors == []
    rounds = list(item.revisions.order_by("round_number").values_list("round_number", "charge"))
    assert [number for number, _ in rounds] == list(range(1, WRITERS + 1))
    assert [charge > 0 for _, charge in rounds] == [False, False, True, True]  # two free rounds
