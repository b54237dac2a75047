"""Backups: a consistent copy of the database while the site is writing, its manifest, restore, verify.

SQLite: SQLite's online backup API (`sqlite3.Connection.backup`, in one step) copies one committed
snapshot while other connections keep writing (WAL); the copy is switched to a rollback journal,
so it is one self-contained file. PostgreSQL: `pg_dump -Fc` reads a snapshot exported by our own
REPEATABLE READ transaction, so the row counts and hash checks in the manifest describe exactly
the rows in the dump. Connection parameters (the password too) reach pg_dump and pg_restore
through PG* environment variables, never on their command line, where `ps` would show them.

Beside each backup, `<backup>.json` (the manifest): the file's size and SHA-256, the row count of
every table, and what was verified. Verification re-hashes every stored document: each contract
version's HTML (`sha256`) and PDF (`pdf_sha256`), each summary's PDF, each acceptance's consent
text (and that it names its version's hashes) and each change decision's impact.
"""

import dataclasses
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import urllib.request
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connections
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from agreements.decisions import impact_sha256
from agreements.models import ChangeDecision, ContractAcceptance, ContractVersion, Project, SummarySnapshot
from agreements.models.contract import sha256_hex

MANIFEST_FORMAT = 1
PG_BIN_FALLBACK = Path("/usr/lib/postgresql/15/bin")
NAME_PATTERN = re.compile(r"^vachan-\d{8}-\d{6}\.(sqlite3|dump)$")
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".dump"}
# Connection OPTIONS that libpq also reads from the environment.
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}

UNSUPPORTED = _("Backups support SQLite and PostgreSQL, not %(vendor)s.")
IN_MEMORY = _("An in-memory SQLite database cannot be backed up.")
NO_DATABASE_FILE = _("The SQLite database %(path)s does not exist.")
EXISTS = _("%(path)s already exists.")
NO_PROGRAM = _("%(program)s was not found on PATH or in %(folder)s: install the PostgreSQL client programs.")
PROGRAM_FAILED = _("%(program)s failed: %(error)s")
NO_MANIFEST = _("%(path)s has no manifest beside it (%(manifest)s): it is not a finished Vachan backup.")
WRONG_ENGINE = _("%(path)s is a %(backup)s backup; the database is %(target)s.")
FILE_CHANGED = _("%(path)s does not match the SHA-256 in its manifest: the file has changed since the backup.")
INTEGRITY = _("integrity_check failed: %(result)s")
FOREIGN_KEYS = _("foreign_key_check: %(count)s rows refer to rows that do not exist")
COUNT_DIFFERS = _("Table %(table)s has %(actual)s rows; the backup had %(expected)s.")
TABLE_MISSING = _("Table %(table)s is missing; the backup had it, with %(expected)s rows.")
TABLE_EXTRA = _("Table %(table)s is not in the backup.")
VERSION_HTML = _(
    "Contract version %(number)s of “%(project)s” (project %(project_id)s, row %(pk)s): "
    "its agreement no longer matches its SHA-256."
)
VERSION_PDF = _(
    "Contract version %(number)s of “%(project)s” (project %(project_id)s, row %(pk)s): "
    "its PDF no longer matches its SHA-256."
)
SUMMARY_PDF = _("Summary snapshot %(pk)s of project %(project_id)s: its PDF no longer matches its SHA-256.")
ACCEPTANCE = _("Acceptance %(pk)s of contract version row %(version_id)s: its recorded SHA-256 values do not match.")
DECISION = _("Change decision %(pk)s: the impact it recorded no longer matches its SHA-256.")
# What Verification.checked counts, in the order the commands list it.
CHECKED = {
    "contract versions": ngettext_lazy("%(count)s contract version", "%(count)s contract versions", "count"),
    "summary snapshots": ngettext_lazy("%(count)s summary snapshot", "%(count)s summary snapshots", "count"),
    "contract acceptances": ngettext_lazy("%(count)s acceptance", "%(count)s acceptances", "count"),
    "change decisions": ngettext_lazy("%(count)s change decision", "%(count)s change decisions", "count"),
}


class BackupError(Exception):
    pass


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
        if connection.vendor not in SUFFIXES:
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
                connection = sqlite3.connect(uri, uri=True, timeout=30, autocommit=True)
            else:
                connection = sqlite3.connect(self.name, timeout=30, autocommit=True)
            connection.create_function("vachan_sha256", 1, _sql_sha256, deterministic=True)
            return connection
        params = {"dbname": self.name, "host": self.host, "port": self.port, "user": self.user,
                  "password": self.password, **dict(self.options)}
        return psycopg.connect(**{key: value for key, value in params.items() if value}, autocommit=True)


@dataclasses.dataclass(frozen=True)
class Verification:
    counts: dict[str, int]  # rows per table, as found
    checked: dict[str, int]  # records whose SHA-256 was recomputed, by kind
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclasses.dataclass(frozen=True)
class Restored:
    database: Database
    safety_backup: Path | None
    verification: Verification


def default_backup_dir() -> Path:
    return Path(settings.BASE_DIR) / "var" / "backups"


def verification_text(*, engine: str, counts: dict[str, int], checked: dict[str, int]) -> str:
    """One line saying what was verified, for the commands' output."""
    parts = [str(_("integrity_check ok") if engine == "sqlite" else _("pg_restore --list ok"))]
    if counts:
        rows = {"rows": sum(counts.values()), "tables": len(counts)}
        parts.append(str(_("%(rows)s rows in %(tables)s tables") % rows))
    hashed = [str(CHECKED[kind] % {"count": checked[kind]}) for kind in CHECKED if kind in checked]
    if hashed:
        parts.append(str(_("SHA-256 recomputed for %(records)s") % {"records": ", ".join(hashed)}))
    if "archive entries" in checked:
        parts.append(str(_("%(entries)s archive entries") % {"entries": checked["archive entries"]}))
    return "; ".join(parts)


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def manifest_read(backup: Path) -> dict:
    path = manifest_path(backup)
    if not path.is_file():
        raise BackupError(NO_MANIFEST % {"path": backup, "manifest": path.name})
    return json.loads(path.read_text(encoding="utf-8"))


def backup_create(*, destination_dir: Path, now: datetime, database: Database | None = None) -> Path:
    """Copy the database to `destination_dir/vachan-YYYYmmdd-HHMMSS.<sqlite3|dump>`, verify the copy,
    and write its manifest beside it. Refuses to overwrite; a failed copy leaves no file behind.

    A copy whose stored documents no longer match their hashes is still kept (it is faithful to
    the database): the manifest lists the problems.
    """
    database = database or Database.configured()
    destination_dir = Path(destination_dir)
    destination_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = destination_dir / f"vachan-{now.astimezone(UTC):%Y%m%d-%H%M%S}{SUFFIXES[database.vendor]}"
    if path.exists() or manifest_path(path).exists():
        raise BackupError(EXISTS % {"path": path})
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # private from the start
    try:
        if database.vendor == "sqlite":
            verification = _sqlite_copy(database, partial)
        else:
            verification = _pg_dump(database, partial)
        manifest = {
            "format": MANIFEST_FORMAT, "engine": database.vendor, "created_at": now.astimezone(UTC).isoformat(),
            "file": path.name, "size": partial.stat().st_size, "sha256": _file_sha256(partial),
            "tables": verification.counts, "checked": verification.checked, "problems": verification.problems,
        }
        partial_manifest = partial.with_name(partial.name + ".json")
        fd = os.open(partial_manifest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(manifest, out, ensure_ascii=False, indent=2, sort_keys=True)
        partial.replace(path)
        partial_manifest.replace(manifest_path(path))
    finally:
        partial.unlink(missing_ok=True)
        partial.with_name(partial.name + ".json").unlink(missing_ok=True)
    return path


def backup_verify(
    *, source: Path | None = None, database: Database | None = None, manifest: dict | None = None
) -> Verification:
    """Check a backup file (`source`: its SHA-256 against the manifest; a SQLite copy is opened and
    checked throughout, a dump is listed by pg_restore) or a database (`database`: its row counts
    against `manifest` if given, and every stored document against its SHA-256)."""
    if (source is None) == (database is None):
        raise TypeError("backup_verify() takes source or database")
    if database is not None:
        with closing(database.connect()) as connection:
            return _verify_connection(connection, database.vendor, manifest)
    manifest = manifest if manifest is not None else manifest_read(source)
    if _file_sha256(source) != manifest["sha256"]:
        return Verification(counts={}, checked={}, problems=[str(FILE_CHANGED % {"path": source})])
    if manifest["engine"] == "sqlite":
        with closing(Database.sqlite(source).connect(read_only=True)) as connection:
            return _verify_connection(connection, "sqlite", manifest)
    entries = _run("pg_restore", ["--list", str(source)], env=dict(os.environ)).splitlines()
    listed = sum(1 for entry in entries if entry.strip() and not entry.startswith(";"))
    return Verification(counts={}, checked={"archive entries": listed}, problems=[])


def backup_restore(
    *, source: Path, now: datetime, database: Database | None = None, safety_dir: Path | None = None
) -> Restored:
    """Replace the database's contents with the backup, then verify them against its manifest.

    The backup file is checked first (its SHA-256; SQLite: integrity_check; a dump: pg_restore
    --list); a damaged one is refused. With `safety_dir`, the database as it was is backed up
    there first. SQLite: copied in with the backup API, in one step, which keeps the target's WAL
    consistent. PostgreSQL: `pg_restore --clean --if-exists --no-owner --single-transaction`.
    The site must be stopped: sessions and pages open during a restore see the data change.
    """
    database = database or Database.configured()
    source = Path(source)
    manifest = manifest_read(source)
    if manifest["engine"] != database.vendor:
        raise BackupError(WRONG_ENGINE % {"path": source, "backup": manifest["engine"], "target": database.vendor})
    if _file_sha256(source) != manifest["sha256"]:
        raise BackupError(FILE_CHANGED % {"path": source})
    safety_backup = None
    if database.vendor == "sqlite":
        with closing(Database.sqlite(source).connect(read_only=True)) as copy:
            result = copy.execute("PRAGMA integrity_check").fetchall()
            if result != [("ok",)]:
                raise BackupError(INTEGRITY % {"result": "; ".join(row[0] for row in result[:5])})
            if safety_dir is not None and Path(database.name).is_file():
                safety_backup = backup_create(destination_dir=safety_dir, now=now, database=database)
            with closing(database.connect()) as target:
                copy.backup(target)  # one step: readers see the old database or the new one
    else:
        _run("pg_restore", ["--list", str(source)], env=dict(os.environ))
        if safety_dir is not None:
            safety_backup = backup_create(destination_dir=safety_dir, now=now, database=database)
        _run("pg_restore", [
            "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
            # Restore into a database (not to a script); an empty dbname makes libpq read PGDATABASE.
            "--dbname=",
            str(source),
        ], env=database.pg_env())
    return Restored(
        database=database, safety_backup=safety_backup,
        verification=backup_verify(database=database, manifest=manifest),
    )


def backup_prune(*, directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups (named vachan-YYYYmmdd-HHMMSS.*) and their manifests."""
    backups = sorted(p for p in Path(directory).iterdir() if NAME_PATTERN.match(p.name))
    removed = backups[: max(0, len(backups) - keep)]
    for path in removed:
        path.unlink()
        manifest_path(path).unlink(missing_ok=True)
    return removed


# --- copying --------------------------------------------------------------------------------------


def _sqlite_copy(database: Database, destination: Path) -> Verification:
    if not Path(database.name).is_file():
        raise BackupError(NO_DATABASE_FILE % {"path": database.name})
    with closing(database.connect()) as source, closing(sqlite3.connect(destination, autocommit=True)) as copy:
        source.backup(copy)  # pages=-1: the whole database from one read transaction
        copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    with closing(Database.sqlite(destination).connect(read_only=True)) as copy:
        result = copy.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise BackupError(INTEGRITY % {"result": "; ".join(row[0] for row in result[:5])})
        return _verify_connection(copy, "sqlite", None, integrity=False)  # just checked


def _pg_dump(database: Database, destination: Path) -> Verification:
    with closing(database.connect()) as connection:
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        (snapshot,) = connection.execute("SELECT pg_export_snapshot()").fetchone()
        _run("pg_dump", ["--format=custom", f"--snapshot={snapshot}", f"--file={destination}"], env=database.pg_env())
        verification = _verify_connection(connection, "postgresql", None)  # the same snapshot as the dump
        connection.execute("COMMIT")
    _run("pg_restore", ["--list", str(destination)], env=dict(os.environ))
    return verification


def _program(name: str) -> str:
    found = shutil.which(name) or (str(PG_BIN_FALLBACK / name) if (PG_BIN_FALLBACK / name).is_file() else None)
    if not found:
        raise BackupError(NO_PROGRAM % {"program": name, "folder": PG_BIN_FALLBACK})
    return found


def _run(name: str, args: list[str], *, env: dict[str, str]) -> str:
    result = subprocess.run([_program(name), *args], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(PROGRAM_FAILED % {"program": name, "error": result.stderr.strip() or result.returncode})
    return result.stdout


# --- verifying ------------------------------------------------------------------------------------


def _sql_sha256(value) -> str | None:
    """`vachan_sha256()` on SQLite: sha256_hex, as the documents were hashed when stored; NULL stays NULL."""
    return None if value is None else sha256_hex(value)


def _file_sha256(path: Path) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_counts(connection, vendor: str) -> dict[str, int]:
    if vendor == "sqlite":
        names_sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'"
    else:
        names_sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    names = sorted(row[0] for row in connection.execute(names_sql).fetchall())
    return {name: connection.execute(f"SELECT count(*) FROM {_q(name)}").fetchone()[0] for name in names}


def _verify_connection(connection, vendor: str, manifest: dict | None, *, integrity: bool = True) -> Verification:
    counts = _table_counts(connection, vendor)
    problems: list[str] = []
    if vendor == "sqlite":
        if integrity and (result := connection.execute("PRAGMA integrity_check").fetchall()) != [("ok",)]:
            problems.append(str(INTEGRITY % {"result": "; ".join(row[0] for row in result[:5])}))
        if orphans := connection.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(str(FOREIGN_KEYS % {"count": len(orphans)}))
    if manifest is not None:
        expected = manifest["tables"]
        for table, rows in sorted(expected.items()):
            if table not in counts:
                problems.append(str(TABLE_MISSING % {"table": table, "expected": rows}))
            elif counts[table] != rows:
                problems.append(str(COUNT_DIFFERS % {"table": table, "actual": counts[table], "expected": rows}))
        problems += [str(TABLE_EXTRA % {"table": table}) for table in sorted(set(counts) - set(expected))]
    checked = _verify_hashes(connection, vendor, problems, tables=set(counts))
    return Verification(counts=counts, checked=checked, problems=problems)


def _sha_sql(vendor: str, column: str, *, text: bool) -> str:
    if vendor == "sqlite":
        return f"vachan_sha256({column})"
    data = f"convert_to({column}, 'UTF8')" if text else column
    return f"encode(sha256({data}), 'hex')"


def _verify_hashes(connection, vendor: str, problems: list[str], *, tables: set[str]) -> dict[str, int]:
    """Recompute every stored document's SHA-256 in the database (SQL on PostgreSQL, a function
    registered on the SQLite connection), so no PDF travels to Python. A missing table is
    skipped here (the manifest comparison reports it)."""
    V, P, S, A, D = ContractVersion, Project, SummarySnapshot, ContractAcceptance, ChangeDecision
    if not {m._meta.db_table for m in (V, P, S, A, D)} <= tables:
        return {}

    def table(model) -> str:
        return _q(model._meta.db_table)

    def column(model, field: str) -> str:
        return _q(model._meta.get_field(field).column)

    sha = _sha_sql
    checked = dict.fromkeys(CHECKED, 0)
    with closing(connection.execute(
        f"SELECT v.{column(V, 'id')}, v.{column(V, 'number')}, v.{column(V, 'project')}, p.{column(P, 'title')}, "
        f"{sha(vendor, 'v.' + column(V, 'html'), text=True)} = v.{column(V, 'sha256')}, "
        f"{sha(vendor, 'v.' + column(V, 'pdf'), text=False)} = v.{column(V, 'pdf_sha256')} "
        f"FROM {table(V)} v JOIN {table(P)} p ON p.{column(P, 'id')} = v.{column(V, 'project')} "
        f"ORDER BY v.{column(V, 'id')}"
    )) as rows:
        for pk, number, project_id, title, html_ok, pdf_ok in rows:
            checked["contract versions"] += 1
            params = {"number": number, "project": title, "project_id": project_id, "pk": pk}
            if not html_ok:
                problems.append(str(VERSION_HTML % params))
            if not pdf_ok:
                problems.append(str(VERSION_PDF % params))
    with closing(connection.execute(
        f"SELECT {column(S, 'id')}, {column(S, 'project')}, {sha(vendor, column(S, 'pdf'), text=False)} = "
        f"{column(S, 'sha256')} FROM {table(S)} ORDER BY {column(S, 'id')}"
    )) as rows:
        for pk, project_id, ok in rows:
            checked["summary snapshots"] += 1
            if not ok:
                problems.append(str(SUMMARY_PDF % {"pk": pk, "project_id": project_id}))
    with closing(connection.execute(
        f"SELECT a.{column(A, 'id')}, a.{column(A, 'version')}, "
        f"a.{column(A, 'document_sha256')} = v.{column(V, 'pdf_sha256')} "
        f"AND a.{column(A, 'agreement_sha256')} = v.{column(V, 'sha256')} "
        f"AND {sha(vendor, 'a.' + column(A, 'consent_text'), text=True)} = a.{column(A, 'consent_sha256')} "
        f"FROM {table(A)} a JOIN {table(V)} v ON v.{column(V, 'id')} = a.{column(A, 'version')} "
        f"ORDER BY a.{column(A, 'id')}"
    )) as rows:
        for pk, version_id, ok in rows:
            checked["contract acceptances"] += 1
            if not ok:
                problems.append(str(ACCEPTANCE % {"pk": pk, "version_id": version_id}))
    with closing(connection.execute(
        f"SELECT {column(D, 'id')}, {column(D, 'impact_seen')}, {column(D, 'impact_sha256')} "
        f"FROM {table(D)} ORDER BY {column(D, 'id')}"
    )) as rows:
        for pk, impact, expected in rows:
            checked["change decisions"] += 1
            if impact_sha256(json.loads(impact) if isinstance(impact, str) else impact) != expected:
                problems.append(str(DECISION % {"pk": pk}))
    return checked
