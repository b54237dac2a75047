"""agreements/models/immutable.py: an issued document or a piece of evidence can never be changed or deleted.

Every model that subclasses ImmutableModel is tested here, found with `apps.get_models()`: issued
contract versions, sent summaries, and what a client contact did in the portal (an acceptance, a
decision on a change). A new immutable model fails these tests until it has a factory below, and
then until its table has the database trigger.

The model refuses; so does the database (a trigger on SQLite and PostgreSQL) when the model is
bypassed. Each refused statement runs in its own atomic block, so on PostgreSQL the test's own
transaction is still usable afterwards.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from agreements.models import ChangeDecision, ContractAcceptance, ContractVersion, SummarySnapshot
from agreements.models.immutable import TRIGGER_MESSAGE, ImmutableModel, ImmutableRowError
from tests.factories import (
    ChangeDecisionFactory,
    ContractAcceptanceFactory,
    StoredContractVersionFactory,
    StoredSummarySnapshotFactory,
)


@dataclass(frozen=True)
class Immutable:
    """How to make one row under a project, what a forger would edit, and how to find the project's rows."""

    make: Callable
    edits: dict
    of_project: str


IMMUTABLE = {
    ContractVersion: Immutable(
        make=lambda project: StoredContractVersionFactory(project=project),
        edits={"html": "<p>Quietly improved terms</p>", "sha256": "0" * 64},
        of_project="project",
    ),
    SummarySnapshot: Immutable(
        make=lambda project: StoredSummarySnapshotFactory(project=project),
        edits={"html": "<p>Edited</p>", "sha256": "0" * 64},
        of_project="project",
    ),
    ContractAcceptance: Immutable(
        make=lambda project: ContractAcceptanceFactory(version__project=project),
        edits={"typed_name": "Someone Else"},
        of_project="version__project",
    ),
    ChangeDecision: Immutable(
        make=lambda project: ChangeDecisionFactory(change_request__project=project),
        edits={"decision": ChangeDecision.Decision.APPROVED, "note": "Approved after all."},
        of_project="change_request__project",
    ),
}

IMMUTABLE_MODELS = sorted(
    (model for model in apps.get_models() if issubclass(model, ImmutableModel)), key=lambda m: m._meta.label
)
MODELS = pytest.mark.parametrize("model", IMMUTABLE_MODELS, ids=lambda model: model._meta.label)


def test_every_immutable_model_is_tested_here():
    assert set(IMMUTABLE_MODELS) == set(IMMUTABLE)


def as_stored(row) -> dict:
    """Every column of the row, read fresh from the database."""
    fresh = type(row).objects.get(pk=row.pk)
    values = {field.attname: getattr(fresh, field.attname) for field in type(row)._meta.concrete_fields}
    return {name: bytes(value) if isinstance(value, memoryview) else value for name, value in values.items()}


def refused_by_the_database(statement) -> str:
    """Run a statement that must fail; the database error's message."""
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        statement()
    return str(refused.value)


@pytest.fixture
def spec(model) -> Immutable:
    if model not in IMMUTABLE:
        pytest.fail(f"{model._meta.label} is immutable but has no factory in IMMUTABLE here: add one")
    return IMMUTABLE[model]


@pytest.fixture
def stored(spec, project):
    return spec.make(project)


@MODELS
def test_the_model_refuses_to_save_changes(stored, spec):
    before = as_stored(stored)
    for name, value in spec.edits.items():
        setattr(stored, name, value)

    with pytest.raises(ImmutableRowError):
        stored.save()
    with pytest.raises(ImmutableRowError):
        stored.save(update_fields=list(spec.edits))

    assert as_stored(stored) == before


@MODELS
def test_the_model_refuses_to_delete(stored):
    before = as_stored(stored)

    with pytest.raises(ImmutableRowError):
        stored.delete()

    assert as_stored(stored) == before


@MODELS
def test_the_database_refuses_a_queryset_update(stored, spec):
    before = as_stored(stored)
    rows = type(stored).objects.filter(pk=stored.pk)

    message = refused_by_the_database(lambda: rows.update(**spec.edits))

    assert TRIGGER_MESSAGE in message
    assert as_stored(stored) == before


@MODELS
def test_the_database_refuses_a_queryset_delete(stored):
    before = as_stored(stored)
    rows = type(stored).objects.filter(pk=stored.pk)

    assert TRIGGER_MESSAGE in refused_by_the_database(lambda: rows.delete())
    # The raw delete skips Django's collector (and its signals): one DELETE statement.
    assert TRIGGER_MESSAGE in refused_by_the_database(lambda: rows._raw_delete(rows.db))
    assert as_stored(stored) == before


@MODELS
def test_the_database_refuses_raw_sql_update_and_delete(stored, spec):
    before = as_stored(stored)
    meta = type(stored)._meta
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(f"{connection.ops.quote_name(meta.get_field(name).column)} = %s" for name in spec.edits)
    pk = stored.pk

    def update():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {columns} WHERE id = %s", [*spec.edits.values(), pk])

    def delete():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])

    assert TRIGGER_MESSAGE in refused_by_the_database(update)
    assert TRIGGER_MESSAGE in refused_by_the_database(delete)
    assert as_stored(stored) == before


@MODELS
def test_new_rows_can_still_be_added_after_a_refused_change(stored, spec, project):
    model = type(stored)
    refused_by_the_database(lambda: model.objects.filter(pk=stored.pk).update(**spec.edits))

    spec.make(project)

    assert model.objects.filter(**{spec.of_project: project}).count() == 2


@MODELS
def test_deleting_the_project_is_refused_and_the_row_survives(stored, spec, project):
    before = as_stored(stored)

    with pytest.raises(ProtectedError), transaction.atomic():
        project.delete()

    assert as_stored(stored) == before
    assert type(stored).objects.filter(**{spec.of_project: project}).count() == 1
