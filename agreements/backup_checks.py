"""What a backup's verification finds in a database or a SQLite copy, and how the commands say it.

SQLite's integrity_check and foreign_key_check; every table's row count against the manifest; and
every stored document re-hashed: each contract version's HTML (`sha256`) and PDF (`pdf_sha256`),
each summary's PDF, each acceptance's consent text (and that it names its version's hashes) and
each change decision's impact.
"""

import dataclasses
import json
import sqlite3
from contextlib import closing

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from agreements.backup_database import Database
from agreements.decisions import impact_sha256
from agreements.models import ChangeDecision, ContractAcceptance, ContractVersion, Project, SummarySnapshot
from agreements.models.contract import sha256_hex

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


@dataclasses.dataclass(frozen=True)
class Verification:
    counts: dict[str, int]  # rows per table, as found
    checked: dict[str, int]  # records whose SHA-256 was recomputed, by kind
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


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


def database_verify(*, database: Database, manifest: dict | None = None) -> Verification:
    """Check a database: its row counts against `manifest` if given, and every stored document
    against its SHA-256 (on SQLite, integrity_check and foreign_key_check too)."""
    with closing(database.connect()) as connection:
        return connection_verify(connection, database.vendor, manifest)


def integrity_problem(connection) -> str | None:
    """SQLite's `PRAGMA integrity_check` on a sqlite3 connection: the problem (its first five
    findings, or the error that stopped it), or None when it says ok."""
    try:
        result = connection.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as error:  # damage that stops the check itself: "database disk image is malformed"
        return str(INTEGRITY % {"result": error})
    if result == [("ok",)]:
        return None
    return str(INTEGRITY % {"result": "; ".join(row[0] for row in result[:5])})


def connection_verify(connection, vendor: str, manifest: dict | None, *, integrity: bool = True) -> Verification:
    """The checks of `database_verify` on an open DB-API connection (`integrity=False`: the caller
    has just run integrity_check on it)."""
    counts = _table_counts(connection, vendor)
    problems: list[str] = []
    if vendor == "sqlite":
        if integrity and (problem := integrity_problem(connection)):
            problems.append(problem)
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


def _sql_sha256(value) -> str | None:
    """`vachan_sha256()` on SQLite: sha256_hex, as the documents were hashed when stored; NULL stays NULL."""
    return None if value is None else sha256_hex(value)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_counts(connection, vendor: str) -> dict[str, int]:
    if vendor == "sqlite":
        names_sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'"
    else:
        names_sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    names = sorted(row[0] for row in connection.execute(names_sql).fetchall())
    return {name: connection.execute(f"SELECT count(*) FROM {_q(name)}").fetchone()[0] for name in names}


def _sha_sql(vendor: str, column: str, *, text: bool) -> str:
    if vendor == "sqlite":
        return f"vachan_sha256({column})"
    data = f"convert_to({column}, 'UTF8')" if text else column
    return f"encode(sha256({data}), 'hex')"


def _verify_hashes(connection, vendor: str, problems: list[str], *, tables: set[str]) -> dict[str, int]:
    """Recompute every stored document's SHA-256 in the database (SQL on PostgreSQL, a function
    registered on the SQLite connection here), so no PDF travels to Python. A missing table is
    skipped here (the manifest comparison reports it)."""
    V, P, S, A, D = ContractVersion, Project, SummarySnapshot, ContractAcceptance, ChangeDecision
    if not {m._meta.db_table for m in (V, P, S, A, D)} <= tables:
        return {}
    if vendor == "sqlite":
        connection.create_function("vachan_sha256", 1, _sql_sha256, deterministic=True)

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
