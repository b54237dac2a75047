"""Backups: a consistent copy of the database while the site is writing, its manifest, restore, verify.

SQLite: SQLite's online backup API (`sqlite3.Connection.backup`, in one step) copies one committed
snapshot while other connections keep writing (WAL); the copy is switched to a rollback journal,
so it is one self-contained file. PostgreSQL: `pg_dump -Fc` reads a snapshot exported by our own
REPEATABLE READ transaction, so the row counts and hash checks in the manifest describe exactly
the rows in the dump. Connection parameters (the password too) reach pg_dump and pg_restore
through PG* environment variables (agreements/backup_database.py).

Beside each backup, `<backup>.json` (the manifest): the file's size and SHA-256, the row count of
every table, and what was verified (agreements/backup_checks.py).
"""

import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agreements.backup_checks import Verification, connection_verify, database_verify, integrity_problem
from agreements.backup_database import BackupError, Database

MANIFEST_FORMAT = 1
PG_BIN_FALLBACK = Path("/usr/lib/postgresql/15/bin")
NAME_PATTERN = re.compile(r"^vachan-\d{8}-\d{6}\.(sqlite3|dump)$")
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".dump"}

NO_DATABASE_FILE = _("The SQLite database %(path)s does not exist.")
EXISTS = _("%(path)s already exists.")
NO_PROGRAM = _("%(program)s was not found on PATH or in %(folder)s: install the PostgreSQL client programs.")
PROGRAM_FAILED = _("%(program)s failed: %(error)s")
NO_MANIFEST = _("%(path)s has no manifest beside it (%(manifest)s): it is not a finished Vachan backup.")
WRONG_ENGINE = _("%(path)s is a %(backup)s backup; the database is %(target)s.")
FILE_CHANGED = _("%(path)s does not match the SHA-256 in its manifest: the file has changed since the backup.")


@dataclasses.dataclass(frozen=True)
class Restored:
    safety_backup: Path | None
    verification: Verification


def default_backup_dir() -> Path:
    return Path(settings.BASE_DIR) / "var" / "backups"


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


def backup_verify(*, source: Path, manifest: dict | None = None) -> Verification:
    """Check a backup file: its SHA-256 against the manifest, then a SQLite copy is opened and
    checked throughout (agreements/backup_checks.py), a dump is listed by pg_restore. To check a
    database (a restored one against the manifest), use `database_verify`."""
    manifest = manifest if manifest is not None else manifest_read(source)
    verification = _source_check(source, manifest)
    if not verification.ok or manifest["engine"] != "sqlite":
        return verification
    with closing(Database.sqlite(source).connect(read_only=True)) as connection:
        return connection_verify(connection, "sqlite", manifest, integrity=False)  # _source_check ran it


def backup_restore(
    *, source: Path, now: datetime, database: Database | None = None, safety_dir: Path | None = None
) -> Restored:
    """Replace the database's contents with the backup, then verify them against its manifest.

    The backup file is checked first (`_source_check`: its SHA-256; SQLite: integrity_check; a dump:
    pg_restore --list); a damaged one is refused. With `safety_dir`, the database as it was is
    backed up there first. SQLite: copied in with the backup API, in one step, which keeps the
    target's WAL consistent. PostgreSQL: `pg_restore --clean --if-exists --no-owner --single-transaction`.
    The site must be stopped: sessions and pages open during a restore see the data change.
    """
    database = database or Database.configured()
    source = Path(source)
    manifest = manifest_read(source)
    if manifest["engine"] != database.vendor:
        raise BackupError(WRONG_ENGINE % {"path": source, "backup": manifest["engine"], "target": database.vendor})
    if problems := _source_check(source, manifest).problems:
        raise BackupError(problems[0])
    safety_backup = None
    if safety_dir is not None and (database.vendor != "sqlite" or Path(database.name).is_file()):
        safety_backup = backup_create(destination_dir=safety_dir, now=now, database=database)
    if database.vendor == "sqlite":
        with (
            closing(Database.sqlite(source).connect(read_only=True)) as copy,
            closing(database.connect()) as target,
        ):
            copy.backup(target)  # one step: readers see the old database or the new one
    else:
        _run("pg_restore", [
            "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
            # Restore into a database (not to a script); an empty dbname makes libpq read PGDATABASE.
            "--dbname=",
            str(source),
        ], env=database.pg_env())
    return Restored(safety_backup=safety_backup, verification=database_verify(database=database, manifest=manifest))


def backup_prune(*, directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups (named vachan-YYYYmmdd-HHMMSS.*) and their manifests."""
    backups = sorted(p for p in Path(directory).iterdir() if NAME_PATTERN.match(p.name))
    removed = backups[: max(0, len(backups) - keep)]
    for path in removed:
        path.unlink()
        manifest_path(path).unlink(missing_ok=True)
    return removed


# --- copying and checking files ---------------------------------------------------------------------


def _sqlite_copy(database: Database, destination: Path) -> Verification:
    if not Path(database.name).is_file():
        raise BackupError(NO_DATABASE_FILE % {"path": database.name})
    with closing(database.connect()) as source, closing(Database.sqlite(destination).connect()) as copy:
        source.backup(copy)  # pages=-1: the whole database from one read transaction
        copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    with closing(Database.sqlite(destination).connect(read_only=True)) as copy:
        if problem := integrity_problem(copy):
            raise BackupError(problem)
        return connection_verify(copy, "sqlite", None, integrity=False)  # just checked


def _pg_dump(database: Database, destination: Path) -> Verification:
    with closing(database.connect()) as connection:
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        (snapshot,) = connection.execute("SELECT pg_export_snapshot()").fetchone()
        _run("pg_dump", ["--format=custom", f"--snapshot={snapshot}", f"--file={destination}"], env=database.pg_env())
        verification = connection_verify(connection, "postgresql", None)  # the same snapshot as the dump
        connection.execute("COMMIT")
    _archive_entries(destination)  # pg_restore can read what pg_dump wrote
    return verification


def _source_check(source: Path, manifest: dict) -> Verification:
    """What a backup file must pass before anything reads its rows: its SHA-256 against the
    manifest, then SQLite's integrity_check, or for a dump pg_restore --list (which raises
    BackupError if it cannot read the archive; the entries it lists are counted)."""
    if _file_sha256(source) != manifest["sha256"]:
        return Verification(counts={}, checked={}, problems=[str(FILE_CHANGED % {"path": source})])
    if manifest["engine"] == "sqlite":
        with closing(Database.sqlite(source).connect(read_only=True)) as copy:
            problem = integrity_problem(copy)
        return Verification(counts={}, checked={}, problems=[problem] if problem else [])
    return Verification(counts={}, checked={"archive entries": _archive_entries(source)}, problems=[])


def _archive_entries(dump: Path) -> int:
    entries = _run("pg_restore", ["--list", str(dump)]).splitlines()
    return sum(1 for entry in entries if entry.strip() and not entry.startswith(";"))


def _file_sha256(path: Path) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _program(name: str) -> str:
    found = shutil.which(name) or (str(PG_BIN_FALLBACK / name) if (PG_BIN_FALLBACK / name).is_file() else None)
    if not found:
        raise BackupError(NO_PROGRAM % {"program": name, "folder": PG_BIN_FALLBACK})
    return found


def _run(name: str, args: list[str], *, env: dict[str, str] | None = None) -> str:
    """Run a PostgreSQL client program; `env` None: it inherits this process's environment."""
    result = subprocess.run([_program(name), *args], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(PROGRAM_FAILED % {"program": name, "error": result.stderr.strip() or result.returncode})
    return result.stdout
