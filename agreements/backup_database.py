"""Where the database that backups copy from and restore into is, and how to reach it.

`Database` is plain data read from Django's settings (or made for a backup file or a scratch
database); it opens DB-API connections of its own, not Django's, and hands pg_dump and pg_restore
the connection in PG* environment variables, never on their command line, where `ps` would show them.
"""

import dataclasses
import os
import sqlite3
import urllib.request
from pathlib import Path

import psycopg
from django.db import connections
from django.utils.translation import gettext_lazy as _

VENDORS = ("sqlite", "postgresql")
# Connection OPTIONS that libpq also reads from the environment.
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}

UNSUPPORTED = _("Backups support SQLite and PostgreSQL, not %(vendor)s.")
IN_MEMORY = _("An in-memory SQLite database cannot be backed up.")


class BackupError(Exception):
    """A backup or restore that cannot go on; its message is for the person running the command.

    Defined here, the module every other backup module imports, because `Database.configured()`
    raises it; `agreements.backups` imports it, so `agreements.backups.BackupError` is this class.
    """


@dataclasses.dataclass(frozen=True)
class Database:
    """Where a database is: a SQLite file, or a PostgreSQL database and how to reach it."""

    vendor: str  # "sqlite" or "postgresql"
    name: str  # the SQLite file's path, or the PostgreSQL database name
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = dataclasses.field(default="", repr=False)
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def configured(cls, using: str = "default") -> "Database":
        connection = connections[using]
        settings_dict = connection.settings_dict
        if connection.vendor not in VENDORS:
            raise BackupError(UNSUPPORTED % {"vendor": connection.vendor})
        name = str(settings_dict["NAME"])
        if connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name):
            raise BackupError(IN_MEMORY)
        if connection.vendor == "sqlite":
            return cls.sqlite(Path(name))
        options = tuple(
            (key, str(value)) for key, value in (settings_dict.get("OPTIONS") or {}).items() if key in PG_OPTION_ENV
        )
        return cls(
            vendor=connection.vendor, name=name, host=settings_dict.get("HOST") or "",
            port=str(settings_dict.get("PORT") or ""), user=settings_dict.get("USER") or "",
            password=settings_dict.get("PASSWORD") or "", options=options,
        )

    @classmethod
    def sqlite(cls, path: Path) -> "Database":
        return cls(vendor="sqlite", name=str(path))

    def with_name(self, name: str) -> "Database":
        return dataclasses.replace(self, name=name)

    @property
    def label(self) -> str:
        if self.vendor == "sqlite":
            return self.name
        return f"PostgreSQL database {self.name}" + (f" on {self.host}" if self.host else "")

    def pg_env(self) -> dict[str, str]:
        """The environment for pg_dump/pg_restore, the connection in PG* variables."""
        values = {
            "PGHOST": self.host, "PGPORT": self.port, "PGUSER": self.user, "PGPASSWORD": self.password,
            "PGDATABASE": self.name, **{PG_OPTION_ENV[key]: value for key, value in self.options},
        }
        return {**os.environ, **{key: value for key, value in values.items() if value}}

    def connect(self, *, read_only: bool = False):
        """A DB-API connection of its own (not Django's): sqlite3 or psycopg, autocommit."""
        if self.vendor == "sqlite":
            if read_only:
                uri = "file:" + urllib.request.pathname2url(self.name) + "?mode=ro"
                return sqlite3.connect(uri, uri=True, timeout=30, autocommit=True)
            return sqlite3.connect(self.name, timeout=30, autocommit=True)
        params = {"dbname": self.name, "host": self.host, "port": self.port, "user": self.user,
                  "password": self.password, **dict(self.options)}
        return psycopg.connect(**{key: value for key, value in params.items() if value}, autocommit=True)
