"""Emptying a test database that holds issued documents (contract versions, decisions …)."""

from django.apps import apps
from django.core.management import call_command
from django.db import connection

from agreements.models.immutable import ImmutableModel, drop_triggers, install_triggers


def flush_issued_documents() -> None:
    """Flush every table with the immutability triggers off, then install them again.

    A transactional test ends by flushing every table (SQLite flushes with DELETE), which the
    triggers on issued documents (agreements/models/immutable.py) refuse. Fixtures that run before
    that flush call this; the tests themselves run with the triggers in force.
    """
    tables = [model._meta.db_table for model in apps.get_models() if issubclass(model, ImmutableModel)]
    with connection.schema_editor() as editor:
        for table in tables:
            drop_triggers(editor, table)
    try:
        call_command("flush", verbosity=0, interactive=False)
    finally:
        with connection.schema_editor() as editor:
            for table in tables:
                install_triggers(editor, table)
