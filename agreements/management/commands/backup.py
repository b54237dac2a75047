"""Back up the database while the site runs: `manage.py backup [--to DIR] [--keep N]` (cron, systemd timer)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.backup_checks import verification_text
from agreements.backups import (
    BackupError,
    backup_create,
    backup_prune,
    default_backup_dir,
    manifest_path,
    manifest_read,
)


class Command(BaseCommand):
    help = (
        "Copy the database (SQLite: the online backup API; PostgreSQL: pg_dump -Fc) while the site keeps "
        "running, verify the copy, and write a manifest (row counts, SHA-256) beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, default=None, help="Folder for the backup (default: var/backups/).")
        parser.add_argument(
            "--keep", type=int, default=None, help="Afterwards, delete all but the newest N backups in that folder."
        )

    def handle(self, *args, to=None, keep=None, **options):
        if keep is not None and keep < 1:
            raise CommandError(_("--keep must be at least 1."))
        destination = to or default_backup_dir()
        try:
            path = backup_create(destination_dir=destination, now=timezone.now())
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = manifest_read(path)
        self.stdout.write(_("Backup: %(path)s (%(size)s)") % {"path": path, "size": filesizeformat(manifest["size"])})
        self.stdout.write(_("Manifest: %(path)s") % {"path": manifest_path(path)})
        self.stdout.write(_("SHA-256 of the file: %(sha256)s") % {"sha256": manifest["sha256"]})
        self.stdout.write(
            _("Verified: %(result)s")
            % {"result": verification_text(engine=manifest["engine"], counts=manifest["tables"],
                                           checked=manifest["checked"])}
        )
        if keep is not None:
            for removed in backup_prune(directory=destination, keep=keep):
                self.stdout.write(_("Deleted the older backup %(path)s") % {"path": removed})
        if manifest["problems"]:
            for problem in manifest["problems"]:
                self.stderr.write(problem)
            raise CommandError(
                _("The backup was written, but the database has %(count)s problems (listed above).")
                % {"count": len(manifest["problems"])}
            )
