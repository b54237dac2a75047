"""Restore a backup made by `manage.py backup`: `manage.py restore FILE --yes` (stop the site first)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.backup_checks import verification_text
from agreements.backup_database import Database
from agreements.backups import BackupError, backup_restore, default_backup_dir


class Command(BaseCommand):
    help = (
        "Replace everything in the configured database with a backup made by `manage.py backup`, after "
        "backing up the database as it is; then verify row counts and every stored document's SHA-256. "
        "Stop the site (web server, workers, timers) first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "backup_file", type=Path, help="A .sqlite3 or .dump file, with its .json manifest beside it."
        )
        parser.add_argument("--yes", action="store_true", help="Yes, replace the database's contents.")
        parser.add_argument(
            "--safety-dir", type=Path, default=None,
            help="Where the database as it was is backed up first (default: var/backups/).",
        )
        parser.add_argument(
            "--no-safety-backup", action="store_true", help="Do not back up the database as it was first."
        )

    def handle(self, *args, backup_file, yes=False, safety_dir=None, no_safety_backup=False, **options):
        try:
            database = Database.configured()
        except BackupError as error:
            raise CommandError(str(error)) from error
        if not backup_file.is_file():
            raise CommandError(_("%(path)s does not exist.") % {"path": backup_file})
        if not yes:
            raise CommandError(
                _("This replaces everything in %(database)s with %(file)s. Stop the site (web server, task "
                  "workers, timers) first, then run again with --yes.")
                % {"database": database.label, "file": backup_file}
            )
        self.stdout.write(
            _("Restoring %(file)s into %(database)s. The site must be stopped while this runs.")
            % {"file": backup_file, "database": database.label}
        )
        try:
            restored = backup_restore(
                source=backup_file, now=timezone.now(), database=database,
                safety_dir=None if no_safety_backup else (safety_dir or default_backup_dir()),
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        if restored.safety_backup:
            self.stdout.write(_("The database as it was: %(path)s") % {"path": restored.safety_backup})
        verification = restored.verification
        self.stdout.write(_("Restored %(file)s.") % {"file": backup_file})
        self.stdout.write(
            _("Verified: %(result)s")
            % {"result": verification_text(engine=database.vendor, counts=verification.counts,
                                           checked=verification.checked)}
        )
        self.report_migrations()
        if not verification.ok:
            for problem in verification.problems:
                self.stderr.write(problem)
            raise CommandError(
                _("Restored, but verification found %(count)s problems (listed above).")
                % {"count": len(verification.problems)}
            )
        self.stdout.write(_("Row counts match the manifest and every stored document matches its SHA-256."))

    def report_migrations(self):
        connection = connections["default"]
        connection.close()  # the tables were replaced underneath it
        executor = MigrationExecutor(connection)
        unknown = sorted(set(executor.loader.applied_migrations) - set(executor.loader.disk_migrations))
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if unknown:
            self.stdout.write(
                _("The backup comes from a newer Vachan: it has migrations this code does not know (%(names)s).")
                % {"names": ", ".join(f"{app}.{name}" for app, name in unknown)}
            )
        if pending:
            self.stdout.write(
                _("The backup is older than this code: run `manage.py migrate` (%(count)s migrations to apply).")
                % {"count": len(pending)}
            )
