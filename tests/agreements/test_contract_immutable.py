"""agreements/models/immutable.py: an issued contract or sent summary can never be changed or deleted.

The model refuses; so does the database (a trigger on SQLite and PostgreSQL) when the model is
bypassed. Each refused statement runs in its own atomic block, so on PostgreSQL the test's own
transaction is still usable afterwards.
"""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from agreements.models.immutable import TRIGGER_MESSAGE, ImmutableRowError
from tests.factories import StoredContractVersionFactory, StoredSummarySnapshotFactory

FACTORIES = pytest.mark.parametrize(
    "factory", [StoredContractVersionFactory, StoredSummarySnapshotFactory], ids=["contract version", "summary"]
)


def as_stored(row) -> tuple:
    """Everything that must never change, read fresh from the database."""
    fresh = type(row).objects.get(pk=row.pk)
    return fresh.project_id, fresh.html, fresh.sha256, bytes(fresh.pdf)


def refused_by_the_database(statement) -> str:
    """Run a statement that must fail; the database error's message."""
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        statement()
    return str(refused.value)


@pytest.fixture
def stored(factory, project):
    return factory(project=project)


@FACTORIES
def test_the_model_refuses_to_save_changes_to_an_issued_document(stored):
    before = as_stored(stored)
    stored.html = "<p>Quietly improved terms</p>"

    with pytest.raises(ImmutableRowError):
        stored.save()
    with pytest.raises(ImmutableRowError):
        stored.save(update_fields=["html"])

    assert as_stored(stored) == before


@FACTORIES
def test_the_model_refuses_to_delete_an_issued_document(stored):
    before = as_stored(stored)

    with pytest.raises(ImmutableRowError):
        stored.delete()

    assert as_stored(stored) == before


@FACTORIES
def test_the_database_refuses_a_queryset_update(stored):
    before = as_stored(stored)
    model = type(stored)

    message = refused_by_the_database(lambda: model.objects.filter(pk=stored.pk).update(html="<p>Edited</p>"))

    assert TRIGGER_MESSAGE in message
    assert as_stored(stored) == before


@FACTORIES
def test_the_database_refuses_a_queryset_delete(stored):
    before = as_stored(stored)
    model = type(stored)

    message = refused_by_the_database(lambda: model.objects.filter(pk=stored.pk).delete())

    assert TRIGGER_MESSAGE in message
    assert as_stored(stored) == before


@FACTORIES
def test_the_database_refuses_raw_sql_update_and_delete(stored):
    before = as_stored(stored)
    table = connection.ops.quote_name(type(stored)._meta.db_table)
    pk = stored.pk

    def update():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET html = %s, sha256 = %s WHERE id = %s", ["<p>x</p>", "0" * 64, pk])

    def delete():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])

    assert TRIGGER_MESSAGE in refused_by_the_database(update)
    assert TRIGGER_MESSAGE in refused_by_the_database(delete)
    assert as_stored(stored) == before


@FACTORIES
def test_new_documents_can_still_be_added_after_a_refused_change(stored, project, factory):
    refused_by_the_database(lambda: type(stored).objects.filter(pk=stored.pk).update(html="<p>Edited</p>"))

    factory(project=project)

    assert type(stored).objects.filter(project=project).count() == 2


@FACTORIES
def test_deleting_the_project_is_refused_and_the_document_survives(stored, project):
    before = as_stored(stored)

    with pytest.raises(ProtectedError), transaction.atomic():
        project.delete()

    assert as_stored(stored) == before
    assert type(stored).objects.filter(project=project).count() == 1

