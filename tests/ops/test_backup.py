"""agreements/backups.py and `manage.py backup` / `restore`: a consistent copy while the site writes,
restored into a scratch database with the same row counts and every stored document's SHA-256.

Both engines: on SQLite the test database is a file (config/settings.py TEST NAME) copied with the
online backup API; on PostgreSQL (bin/test's throwaway cluster) pg_dump -Fc, restored into a scratch
database created on the same server and dropped afterwards. The data must be committed for another
connection (or pg_dump) to see it, hence `transaction=True`.
"""

import io
import json
import secrets
import sqlite3
import stat
import subprocess
import threading
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from agreements import backups
from agreements.acceptance import contract_accept
from agreements.backup_checks import (
    ACCEPTANCE,
    COUNT_DIFFERS,
    DECISION,
    FOREIGN_KEYS,
    INTEGRITY,
    SUMMARY_PDF,
    TABLE_EXTRA,
    TABLE_MISSING,
    VERSION_HTML,
    VERSION_PDF,
    database_verify,
)
from agreements.backup_database import Database
from agreements.backups import (
    EXISTS,
    FILE_CHANGED,
    WRONG_ENGINE,
    BackupError,
    backup_create,
    backup_prune,
    backup_restore,
    backup_verify,
    manifest_read,
)
from agreements.changes import change_request_quote
from agreements.contracts import contract_issue
from agreements.decisions import change_impact, change_request_decide, impact_sha256
from agreements.models import (
    ChangeDecision,
    ContractAcceptance,
    ContractVersion,
    Project,
    ScopeItem,
    SummarySnapshot,
)
from agreements.models.contract import sha256_hex
from agreements.models.immutable import TRIGGER_MESSAGE
from clients.models import Client, Contact
from clients.portal.evidence import RequestEvidence
from tests.factories import (
    NOW,
    ChangeRequestFactory,
    MilestoneFactory,
    ProjectFactory,
    ScopeItemFactory,
    StoredSummarySnapshotFactory,
)
from tests.immutable import flush_issued_documents

pytestmark = pytest.mark.django_db(transaction=True)

SQLITE_ONLY = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's copy is a database file; PostgreSQL's is a pg_dump archive"
)
POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump/pg_restore are PostgreSQL's; runs in bin/test's PostgreSQL phase",
)
SQLITE_FOREIGN_KEY_CHECK = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PRAGMA foreign_key_check is SQLite's (a SQLite connection may write with foreign keys off); "
    "PostgreSQL enforces them on every write, and backups.py checks them on SQLite only",
)


def later(seconds: int):
    return NOW.replace(second=seconds)


def execute(database: Database, sql: str, params=()):
    """Raw SQL on a database of our own (not Django's), with `?` placeholders on both engines."""
    raw = database.connect()
    try:
        cursor = raw.execute(sql.replace("?", "%s") if database.vendor == "postgresql" else sql, params)
        return cursor.fetchall() if cursor.description else None
    finally:
        raw.close()


def table_names(database: Database) -> list[str]:
    if database.vendor == "sqlite":
        if not Path(database.name).exists():
            return []
        return [row[0] for row in execute(database, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    return [row[0] for row in execute(database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]


@pytest.fixture(autouse=True)
def _issued_documents_flushed(transactional_db):
    """The flush after each test must get past the immutability triggers (tests/immutable.py)."""
    yield
    flush_issued_documents()


@pytest.fixture
def scratch(tmp_path):
    """An empty database of the test's engine: a new SQLite file, or a new database on the test server."""
    configured = Database.configured()
    if configured.vendor == "sqlite":
        yield Database.sqlite(tmp_path / "scratch.sqlite3")
        return
    name = f"vachan_scratch_{secrets.token_hex(4)}"
    execute(configured.with_name("postgres"), f'CREATE DATABASE "{name}"')
    try:
        yield configured.with_name(name)
    finally:
        execute(configured.with_name("postgres"), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def records(project, freelancer, approver, seed_text):
    """alice's project in Marathi, with every kind of record that carries a SHA-256: two issued
    contract versions (real HTML and PDF), Rahul's acceptance of version 1, his decision on a
    change (which issued version 2), and a summary snapshot."""
    marathi = seed_text("003")
    Project.objects.filter(pk=project.pk).update(
        title="Diwali packaging: " + marathi.split(".")[0], status=Project.Status.DRAFT
    )
    project.refresh_from_db()
    ScopeItemFactory(project=project, title=seed_text("002").splitlines()[0])  # Nepali
    MilestoneFactory(project=project, title="अंतिम डिझाइन")
    first = contract_issue(project=project, issued_by=freelancer, now=NOW)
    Project.objects.filter(pk=project.pk).update(status=Project.Status.PROPOSED)
    evidence = RequestEvidence(at=NOW, ip="203.0.113.7", user_agent="Firefox", language="mr")
    contract_accept(
        version=first, contact=approver, typed_name="राहुल देशपांडे", consent_given=True,
        document_sha256=first.pdf_sha256, evidence=evidence,
    )
    change = ChangeRequestFactory(project=project, price_delta=Decimal("12000"), description=marathi[:300])
    change_request_quote(change_request=change, now=NOW)
    change.refresh_from_db()
    change_request_decide(
        change_request=change, contact=approver, approve=True, note="ठीक आहे",
        seen_sha256=impact_sha256(change_impact(change)), evidence=evidence,
    )
    StoredSummarySnapshotFactory(project=project, html=f"<p>{marathi[:200]}</p>", text=marathi[:200])
    assert ContractVersion.objects.filter(project=project).count() == 2
    project.refresh_from_db()
    return project


# The copy, restored -------------------------------------------------------------------------------


def test_a_backup_restored_into_a_scratch_database_has_the_same_rows_and_every_document_verifies(
    records, scratch, tmp_path
):
    path = backup_create(destination_dir=tmp_path / "backups", now=NOW)
    manifest = manifest_read(path)
    live = database_verify(database=Database.configured())

    assert path.name == "vachan-20261123-090000" + {"sqlite": ".sqlite3", "postgresql": ".dump"}[connection.vendor]
    assert manifest["sha256"] == sha256_hex(path.read_bytes())
    assert manifest["size"] == path.stat().st_size
    assert manifest["tables"] == live.counts
    assert manifest["tables"]["agreements_contractversion"] == 2
    assert manifest["problems"] == []
    assert backup_verify(source=path).ok
    for private in (path, path.with_name(path.name + ".json")):  # it holds password hashes and contracts
        assert stat.S_IMODE(private.stat().st_mode) == 0o600

    restored = backup_restore(source=path, now=later(5), database=scratch)

    assert restored.verification.problems == []
    assert restored.verification.counts == manifest["tables"]
    assert restored.verification.checked == {
        "contract versions": 2, "summary snapshots": 1, "contract acceptances": 1, "change decisions": 1,
    }
    copied = dict(execute(scratch, "SELECT number, pdf FROM agreements_contractversion"))
    originals = {v.number: bytes(v.pdf) for v in ContractVersion.objects.all()}
    assert {number: bytes(pdf) for number, pdf in copied.items()} == originals
    assert execute(scratch, "SELECT title FROM agreements_project") == [(records.title,)]  # Devanagari intact


def one_byte_changed(value: bytes | memoryview | str) -> bytes | str:
    """The value with one bit of its middle byte flipped; text stays valid UTF-8 (an ASCII letter
    or digit at or after the middle is the byte changed)."""
    if isinstance(value, str):
        data = bytearray(value.encode("utf-8"))
        at = next(i for i in range(len(data) // 2, len(data)) if data[i] < 0x80 and chr(data[i]).isalnum())
        data[at] ^= 0x01
        return data.decode("utf-8")
    data = bytearray(value)
    data[len(data) // 2] ^= 0x01
    return bytes(data)


def price_changed_by_one_rupee(impact: dict) -> str:
    """The impact the client saw, as JSON, with one byte of its price changed (12000.00 → 12001.00)."""
    assert impact["price_delta"] == "12000.00"
    return json.dumps(impact | {"price_delta": "12001.00"})


def version_params(version: ContractVersion) -> dict:
    return {"number": version.number, "project": version.project.title, "project_id": version.project_id,
            "pk": version.pk}


# Each kind of stored document: which row, which column, how it is changed, the problem expected,
# and how that problem reads in English.
STORED_DOCUMENTS = [
    pytest.param(
        lambda: ContractVersion.objects.get(number=1), "pdf", one_byte_changed,
        lambda v: VERSION_PDF % version_params(v),
        lambda v: f"Contract version 1 of “{v.project.title}” (project {v.project_id}, row {v.pk}): its PDF",
        id="contract-version-pdf",
    ),
    pytest.param(
        lambda: ContractVersion.objects.get(number=1), "html", one_byte_changed,
        lambda v: VERSION_HTML % version_params(v),
        lambda v: f"Contract version 1 of “{v.project.title}” (project {v.project_id}, row {v.pk}): its agreement",
        id="contract-version-html",
    ),
    pytest.param(
        lambda: SummarySnapshot.objects.get(), "pdf", one_byte_changed,
        lambda s: SUMMARY_PDF % {"pk": s.pk, "project_id": s.project_id},
        lambda s: f"Summary snapshot {s.pk} of project {s.project_id}: its PDF",
        id="summary-snapshot-pdf",
    ),
    pytest.param(
        lambda: ContractAcceptance.objects.get(), "consent_text", one_byte_changed,
        lambda a: ACCEPTANCE % {"pk": a.pk, "version_id": a.version_id},
        lambda a: f"Acceptance {a.pk} of contract version row {a.version_id}: its recorded SHA-256",
        id="contract-acceptance-consent-text",
    ),
    pytest.param(
        lambda: ChangeDecision.objects.get(), "impact_seen", price_changed_by_one_rupee,
        lambda d: DECISION % {"pk": d.pk},
        lambda d: f"Change decision {d.pk}: the impact it recorded",
        id="change-decision-impact-seen",
    ),
]


def drop_immutability_trigger(database: Database, table: str) -> None:
    """Let raw SQL change an issued document's row (agreements/models/immutable.py), by the
    trigger's exact name: a wrong name fails here rather than passing silently."""
    if database.vendor == "sqlite":
        execute(database, f"DROP TRIGGER {table}_no_update")
    else:
        execute(database, f"DROP TRIGGER {table}_immutable ON {table}")


@pytest.mark.parametrize(("row", "field", "tamper", "problem", "reads"), STORED_DOCUMENTS)
def test_a_stored_document_changed_by_one_byte_after_restoring_fails_verification_naming_it(
    records, scratch, tmp_path, row, field, tamper, problem, reads
):
    path = backup_create(destination_dir=tmp_path, now=NOW)
    backup_restore(source=path, now=later(5), database=scratch)
    record = row()
    model = type(record)
    table, column = model._meta.db_table, model._meta.get_field(field).column
    changed = tamper(getattr(record, field))
    placeholder = "CAST(? AS jsonb)" if field == "impact_seen" and scratch.vendor == "postgresql" else "?"
    update = f"UPDATE {table} SET {column} = {placeholder} WHERE id = ?"

    # The immutability triggers came back with the tables: raw SQL is refused until one is dropped.
    with pytest.raises(Exception, match=TRIGGER_MESSAGE):
        execute(scratch, update, (changed, record.pk))
    drop_immutability_trigger(scratch, table)
    execute(scratch, update, (changed, record.pk))

    verification = database_verify(database=scratch, manifest=manifest_read(path))

    assert not verification.ok
    assert verification.problems == [str(problem(record))]
    assert verification.problems[0].startswith(reads(record))
    if model is ContractVersion:
        assert f"Contract version 1 of “{records.title}”" in verification.problems[0]
    assert verification.counts == manifest_read(path)["tables"]  # nothing else differs
    assert database_verify(database=Database.configured()).ok  # the live database was not touched


def test_a_row_missing_after_restoring_fails_verification_naming_the_table(records, scratch, tmp_path):
    path = backup_create(destination_dir=tmp_path, now=NOW)
    backup_restore(source=path, now=later(5), database=scratch)
    execute(scratch, "DELETE FROM agreements_milestone WHERE title = ?", ("अंतिम डिझाइन",))

    verification = database_verify(database=scratch, manifest=manifest_read(path))

    expected = manifest_read(path)["tables"]["agreements_milestone"]
    assert verification.problems == [
        str(COUNT_DIFFERS % {"table": "agreements_milestone", "actual": expected - 1, "expected": expected})
    ]


def test_a_table_dropped_after_restoring_fails_verification_naming_it_and_its_rows(records, scratch, tmp_path):
    path = backup_create(destination_dir=tmp_path, now=NOW)
    backup_restore(source=path, now=later(5), database=scratch)
    expected = manifest_read(path)["tables"]["agreements_projectclause"]  # no table refers to it
    assert expected > 0
    execute(scratch, "DROP TABLE agreements_projectclause")

    verification = database_verify(database=scratch, manifest=manifest_read(path))

    assert verification.problems == [
        str(TABLE_MISSING % {"table": "agreements_projectclause", "expected": expected})
    ]
    assert verification.problems[0] == (
        f"Table agreements_projectclause is missing; the backup had it, with {expected} rows."
    )
    assert "agreements_projectclause" not in verification.counts


def test_a_table_the_backup_did_not_have_fails_verification_naming_it(records, scratch, tmp_path):
    path = backup_create(destination_dir=tmp_path, now=NOW)
    backup_restore(source=path, now=later(5), database=scratch)
    execute(scratch, "CREATE TABLE vachan_stray (id integer)")

    verification = database_verify(database=scratch, manifest=manifest_read(path))

    assert verification.problems == [str(TABLE_EXTRA % {"table": "vachan_stray"})]
    assert verification.problems[0] == "Table vachan_stray is not in the backup."
    assert verification.counts["vachan_stray"] == 0


@SQLITE_FOREIGN_KEY_CHECK
def test_a_row_whose_parent_does_not_exist_fails_verification_and_is_listed_in_a_copys_manifest(
    records, scratch, tmp_path
):
    path = backup_create(destination_dir=tmp_path / "backups", now=NOW)
    backup_restore(source=path, now=later(5), database=scratch)

    with closing(scratch.connect()) as raw:
        cursor = raw.execute("SELECT * FROM agreements_projectclause ORDER BY id LIMIT 1")
        columns = [d[0] for d in cursor.description]
        orphan = dict(zip(columns, cursor.fetchone(), strict=True))
        (top,) = raw.execute("SELECT max(id) FROM agreements_projectclause").fetchone()
        orphan |= {"id": top + 1, "project_id": records.pk + 1000}  # no such project
        insert = (
            f"INSERT INTO agreements_projectclause ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        )
        raw.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):  # it is an orphan
            raw.execute(insert, list(orphan.values()))
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute(insert, list(orphan.values()))

    verification = database_verify(database=scratch, manifest=manifest_read(path))

    expected = manifest_read(path)["tables"]["agreements_projectclause"]
    assert verification.problems == [
        str(FOREIGN_KEYS % {"count": 1}),
        str(COUNT_DIFFERS % {"table": "agreements_projectclause", "actual": expected + 1, "expected": expected}),
    ]
    assert verification.problems[0] == "foreign_key_check: 1 rows refer to rows that do not exist"
    # A copy of that database is kept (faithful to it), and its manifest and its check name the problem.
    copy = backup_create(destination_dir=tmp_path / "copies", now=later(10), database=scratch)
    assert manifest_read(copy)["problems"] == [str(FOREIGN_KEYS % {"count": 1})]
    assert backup_verify(source=copy).problems == [str(FOREIGN_KEYS % {"count": 1})]


def test_a_second_backup_with_the_same_time_is_refused_and_the_first_is_left_as_it_was(
    records, tmp_path
):
    path = backup_create(destination_dir=tmp_path, now=NOW)
    manifest_text = path.with_name(path.name + ".json").read_text(encoding="utf-8")
    digest = sha256_hex(path.read_bytes())
    ProjectFactory(owner=records.owner, title="After the first backup")  # a copy now would differ

    with pytest.raises(BackupError) as refused:
        backup_create(destination_dir=tmp_path, now=NOW)

    assert str(refused.value) == str(EXISTS % {"path": path})
    assert str(refused.value) == f"{path} already exists."
    assert sha256_hex(path.read_bytes()) == digest
    assert manifest_read(path)["sha256"] == digest
    assert path.with_name(path.name + ".json").read_text(encoding="utf-8") == manifest_text
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name, path.name + ".json"]  # no partial left

    # A manifest left on its own still holds the name: the copy it describes is not written over it.
    path.unlink()
    with pytest.raises(BackupError, match="already exists"):
        backup_create(destination_dir=tmp_path, now=NOW)
    assert path.with_name(path.name + ".json").read_text(encoding="utf-8") == manifest_text
    assert not path.exists()


def test_a_backup_file_changed_after_it_was_written_is_refused_and_the_database_is_left_alone(
    records, scratch, tmp_path
):
    path = backup_create(destination_dir=tmp_path, now=NOW)
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01
    path.write_bytes(bytes(data))

    assert backup_verify(source=path).problems == [str(FILE_CHANGED % {"path": path})]
    with pytest.raises(BackupError) as refused:
        backup_restore(source=path, now=later(5), database=scratch)
    assert str(refused.value) == str(FILE_CHANGED % {"path": path})
    assert table_names(scratch) == []  # nothing was restored


def test_a_backup_of_the_other_engine_is_refused(records, scratch, tmp_path):
    path = backup_create(destination_dir=tmp_path, now=NOW)
    other = "postgresql" if scratch.vendor == "sqlite" else "sqlite"
    manifest = manifest_read(path) | {"engine": other}
    (tmp_path / (path.name + ".json")).write_text(json.dumps(manifest), encoding="utf-8")

    with pytest.raises(BackupError) as refused:
        backup_restore(source=path, now=later(5), database=scratch)

    assert str(refused.value) == str(WRONG_ENGINE % {"path": path, "backup": other, "target": scratch.vendor})


# One bit flipped in a SQLite copy: which b-tree's root page, which byte of it, and how integrity_check reads it.
SQLITE_DAMAGE = [
    pytest.param(
        "index", -1, "integrity_check failed: row {pk} missing from index {name}",
        id="the-last-byte-of-an-index-page",  # the row id in its last entry: integrity_check lists it
    ),
    pytest.param(
        "table", 0, "integrity_check failed: database disk image is malformed",
        id="the-type-byte-of-a-table-page",  # no b-tree page type: integrity_check itself stops
    ),
]


@SQLITE_ONLY
@pytest.mark.parametrize(("kind", "at", "reads"), SQLITE_DAMAGE)
def test_a_damaged_sqlite_copy_whose_manifest_was_made_to_match_is_refused_naming_the_integrity_check(
    records, scratch, tmp_path, kind, at, reads
):
    """Damage only integrity_check can see: one bit of the copy flipped on disk, then its manifest's
    SHA-256 and size rewritten to match, as if the copy had been damaged before it was hashed."""
    path = backup_create(destination_dir=tmp_path, now=NOW)
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as copy:
        (page_size,) = copy.execute("PRAGMA page_size").fetchone()
        name, root = copy.execute(
            "SELECT name, rootpage FROM sqlite_master WHERE type = ? AND tbl_name = 'agreements_milestone' "
            "ORDER BY name LIMIT 1",
            (kind,),
        ).fetchone()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size + at % page_size] ^= 0x01
    path.write_bytes(bytes(data))
    manifest = manifest_read(path) | {"sha256": sha256_hex(bytes(data)), "size": len(data)}
    (tmp_path / (path.name + ".json")).write_text(json.dumps(manifest), encoding="utf-8")

    verification = backup_verify(source=path)
    with pytest.raises(BackupError) as refused:
        backup_restore(source=path, now=later(5), database=scratch)

    (problem,) = verification.problems
    expected = reads.format(pk=records.milestones.get().pk, name=name)
    assert problem == expected
    assert problem == str(INTEGRITY % {"result": expected.removeprefix("integrity_check failed: ")})
    assert str(refused.value) == problem
    assert table_names(scratch) == []  # nothing was restored


# While the site is writing ------------------------------------------------------------------------


class PairWriter(threading.Thread):
    """Another connection writing linked rows, two to a transaction: a client and its contact.

    `pause_after_half` stops it once, inside a transaction, with the client written and the contact
    not yet. `committed` is the number of pairs committed so far.
    """

    def __init__(self, owner_id: int, *, pause_after_half: bool):
        super().__init__(daemon=True)
        self.owner_id = owner_id
        self.committed = 0
        self.half_written = threading.Event()
        self.go_on = threading.Event()
        self.stop = threading.Event()
        self.pause = pause_after_half
        self.error: BaseException | None = None

    def run(self):
        try:
            while not self.stop.is_set():
                with transaction.atomic():
                    client = Client.objects.create(owner_id=self.owner_id, name=f"Writer {self.committed}")
                    if self.pause:
                        self.pause = False
                        self.half_written.set()
                        assert self.go_on.wait(60), "the test never let the writer go on"
                    else:
                        self.stop.wait(0.002)  # a transaction that stays open a little
                    Contact.objects.create(client=client, name="लेखक", email=f"w{self.committed}@example.com")
                self.committed += 1
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            self.error = error
            self.half_written.set()
        finally:
            connection.close()


def writer_pairs(counts: dict[str, int], before: dict[str, int]) -> tuple[int, int]:
    """(clients, contacts) the writer added, in a copy's table counts."""
    return (
        counts["clients_client"] - before["clients_client"],
        counts["clients_contact"] - before["clients_contact"],
    )


def test_backups_taken_while_another_connection_writes_hold_only_whole_transactions(
    records, freelancer, scratch, tmp_path
):
    """A backup taken while another connection writes restores to exactly the rows its manifest
    counted, and each copy holds the pairs committed during its own call.

    The real checks are the restores: `restored.verification.ok` (the restored row counts match the
    manifest) and the restored pairs equal to the manifest's, and `committed_before <= clients <=
    committed_after`. Two assertions cannot fail on either engine and are kept as statements of
    what a copy holds: `(0, 0)` for the copy taken mid-transaction (no connection ever sees another's
    uncommitted rows) and `clients == contacts` (the backup API and pg_dump each read one snapshot).
    """
    before = database_verify(database=Database.configured()).counts
    writer = PairWriter(freelancer.pk, pause_after_half=True)
    writer.start()
    try:
        assert writer.half_written.wait(30)
        assert writer.error is None
        # A transaction is open with the client written and its contact not yet.
        during = backup_create(destination_dir=tmp_path, now=NOW)
        writer.go_on.set()
        copies = []
        for second in (10, 20):  # while the writer keeps committing pairs
            committed_before = writer.committed
            copies.append((committed_before, backup_create(destination_dir=tmp_path, now=later(second))))
            copies[-1] += (writer.committed,)
    finally:
        writer.go_on.set()
        writer.stop.set()
        writer.join(30)
    assert writer.error is None
    assert writer.committed > 0

    manifest = manifest_read(during)
    assert writer_pairs(manifest["tables"], before) == (0, 0)  # not the half-written pair (cannot fail)
    restored = backup_restore(source=during, now=later(30), database=scratch)
    assert restored.verification.ok, restored.verification.problems
    for committed_before, path, committed_after in copies:
        assert backup_verify(source=path).ok
        clients, contacts = writer_pairs(manifest_read(path)["tables"], before)
        # Cannot fail (one snapshot); the restores below are the real check.
        assert clients == contacts, f"{path.name} holds half a transaction: {clients} clients, {contacts} contacts"
        assert committed_before <= clients <= committed_after
        restored = backup_restore(source=path, now=later(40), database=scratch)
        assert restored.verification.ok, restored.verification.problems
        assert writer_pairs(restored.verification.counts, before) == (clients, contacts)


# Engine by engine -----------------------------------------------------------------------------------


@SQLITE_ONLY
def test_a_sqlite_copy_is_one_private_self_contained_file_that_passes_integrity_check(records, tmp_path):
    path = backup_create(destination_dir=tmp_path / "backups", now=NOW)

    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT count(*) FROM agreements_contractversion").fetchone() == (2,)
    assert path.read_bytes()[18:20] == b"\x01\x01"  # rollback journal: no -wal file is needed
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, path.name + ".json"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@POSTGRESQL_ONLY
def test_pg_dump_and_pg_restore_get_the_connection_from_the_environment_and_the_archive_lists_every_table(
    records, scratch, tmp_path, monkeypatch
):
    calls = []
    run = subprocess.run

    def recording_run(args, **kwargs):
        calls.append((args, kwargs.get("env") or {}))
        return run(args, **kwargs)

    monkeypatch.setattr(backups.subprocess, "run", recording_run)
    configured = Database.configured()

    path = backup_create(destination_dir=tmp_path / "backups", now=NOW)
    backup_restore(source=path, now=later(5), database=scratch)

    programs = [Path(args[0]).name for args, env in calls]
    assert programs == ["pg_dump", "pg_restore", "pg_restore", "pg_restore"]  # dump, check it; check, restore
    assert calls[0][1]["PGDATABASE"] == configured.name  # pg_dump reads the configured database
    assert calls[-1][1]["PGDATABASE"] == scratch.name  # pg_restore writes into the scratch one
    for args, env in calls[:1] + calls[-1:]:
        assert env["PGHOST"] == configured.host
        assert not any(env["PGDATABASE"] in arg or configured.host in arg for arg in args), args
    assert path.read_bytes()[:5] == b"PGDMP"
    listing = subprocess.run(
        [backups._program("pg_restore"), "--list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE DATA public agreements_contractversion" in listing
    assert "TRIGGER public agreements_contractversion agreements_contractversion_immutable" in listing


# The commands -------------------------------------------------------------------------------------


def test_the_backup_command_prints_the_path_size_and_verification(records, tmp_path):
    out = io.StringIO()

    call_command("backup", "--to", str(tmp_path), stdout=out)

    (path,) = [p for p in tmp_path.iterdir() if p.suffix in (".sqlite3", ".dump")]
    text = out.getvalue()
    assert f"Backup: {path} (" in text
    assert f"SHA-256 of the file: {sha256_hex(path.read_bytes())}" in text
    assert "Verified: " in text
    assert "2 contract versions" in text
    assert "1 acceptance," in text


def test_the_backup_command_with_keep_deletes_the_older_backups_and_their_manifests(records, tmp_path):
    oldest = backup_create(destination_dir=tmp_path, now=NOW)
    older = backup_create(destination_dir=tmp_path, now=later(10))
    (tmp_path / "notes.txt").write_text("mine")
    out = io.StringIO()

    with time_machine.travel(later(20), tick=False):
        call_command("backup", "--to", str(tmp_path), "--keep", "2", stdout=out)

    newest = tmp_path / older.name.replace("090010", "090020")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["notes.txt", older.name, older.name + ".json", newest.name, newest.name + ".json"]
    )
    text = out.getvalue()
    assert f"Backup: {newest} (" in text
    assert f"Deleted the older backup {oldest}" in text
    assert text.count("Deleted the older backup") == 1
    assert backup_verify(source=older).ok and backup_verify(source=newest).ok  # the kept ones are whole


def test_restore_refuses_without_yes_and_changes_nothing(records, tmp_path):
    path = backup_create(destination_dir=tmp_path, now=NOW)
    ProjectFactory(owner=records.owner, title="After the backup")

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(path), stdout=io.StringIO())

    assert Project.objects.filter(title="After the backup").exists()


def test_restore_brings_the_backup_back_after_saving_the_database_as_it_was(records, tmp_path):
    path = backup_create(destination_dir=tmp_path / "backups", now=NOW)
    ProjectFactory(owner=records.owner, title="After the backup")
    ScopeItem.objects.filter(project=records).delete()
    out = io.StringIO()

    call_command("restore", str(path), "--yes", "--safety-dir", str(tmp_path / "safety"), stdout=out)

    text = out.getvalue()
    assert "Row counts match the manifest and every stored document matches its SHA-256." in text
    assert not Project.objects.filter(title="After the backup").exists()
    assert ScopeItem.objects.filter(project=records).exists()
    assert ContractVersion.objects.filter(project=records).count() == 2
    (safety,) = [p for p in (tmp_path / "safety").iterdir() if p.suffix in (".sqlite3", ".dump")]
    assert f"The database as it was: {safety}" in text
    tables = manifest_read(path)["tables"]
    assert manifest_read(safety)["tables"]["agreements_project"] == tables["agreements_project"] + 1


def test_restoring_a_backup_taken_before_the_newest_migration_says_to_run_migrate(records, tmp_path):
    recorder = MigrationRecorder(connection)
    (newest,) = MigrationLoader(connection).graph.leaf_nodes("agreements")
    recorder.record_unapplied(*newest)  # the database as it was before that migration
    try:
        path = backup_create(destination_dir=tmp_path, now=NOW)
        recorder.record_applied(*newest)  # then `migrate` ran
        out = io.StringIO()

        call_command("restore", str(path), "--yes", "--no-safety-backup", stdout=out)

        text = out.getvalue()
        assert "The backup is older than this code: run `manage.py migrate` (1 migrations to apply)." in text
        assert "newer Vachan" not in text
        assert "Row counts match the manifest and every stored document matches its SHA-256." in text
        assert newest not in MigrationRecorder(connection).applied_migrations()  # the backup's history came back
    finally:
        if newest not in MigrationRecorder(connection).applied_migrations():
            MigrationRecorder(connection).record_applied(*newest)  # the test database is shared by later tests


def test_prune_keeps_the_newest_backups_and_their_manifests_only(tmp_path):
    names = ["vachan-20261121-090000.sqlite3", "vachan-20261122-090000.sqlite3", "vachan-20261123-090000.dump"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
        (tmp_path / (name + ".json")).write_text("{}")
    (tmp_path / "notes.txt").write_text("mine")

    removed = backup_prune(directory=tmp_path, keep=2)

    assert [p.name for p in removed] == [names[0]]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["notes.txt", *names[1:], *(n + ".json" for n in names[1:])]
    )
