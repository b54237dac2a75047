"""Rows that, once written, are never changed or deleted: contract versions, sent summaries.

Three layers refuse a change. The model refuses `save()` of an existing row and `delete()`;
the admin shows them read-only; and a database trigger (installed by the migration that creates
the table, on SQLite and PostgreSQL) refuses any UPDATE or DELETE that bypasses the model:
`QuerySet.update()`, `QuerySet.delete()`, raw SQL.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

IMMUTABLE = _("An issued document is a permanent record: it cannot be changed or deleted.")

# The message the triggers raise, matched by tests (kept in English: it is a database error).
TRIGGER_MESSAGE = "vachan: issued documents are immutable"


class ImmutableRowError(Exception):
    pass


class ImmutableModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRowError(str(IMMUTABLE))
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRowError(str(IMMUTABLE))


def _sqlite_sql(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{TRIGGER_MESSAGE}'); END"
        for verb in ("UPDATE", "DELETE")
    ]


def _postgresql_sql(table: str) -> list[str]:
    return [
        "CREATE OR REPLACE FUNCTION vachan_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{TRIGGER_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; END $$",
        f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION vachan_refuse_change()",
    ]


def _drop_sql(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_{verb}" for verb in ("update", "delete")]
    return [f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}"]


def install_triggers(schema_editor, table: str) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _sqlite_sql, "postgresql": _postgresql_sql}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"No immutability trigger for {vendor}")
    for sql in statements(table):
        schema_editor.execute(sql)


def drop_triggers(schema_editor, table: str) -> None:
    for sql in _drop_sql(schema_editor.connection.vendor, table):
        schema_editor.execute(sql)


def immutable_table(model_label: str):
    """A migration operation installing the triggers for one model's table (reversible)."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        install_triggers(schema_editor, apps.get_model(model_label)._meta.db_table)

    def backwards(apps, schema_editor):
        drop_triggers(schema_editor, apps.get_model(model_label)._meta.db_table)

    return migrations.RunPython(forwards, backwards, elidable=False)
