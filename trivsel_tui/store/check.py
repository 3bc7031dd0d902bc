"""`trivsel check`: is the file sound, are the audit log's guards in place, does every row have its history?"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trivsel_tui.store.append_only import GUARDS
from trivsel_tui.store.backup import closing, connect
from trivsel_tui.texts import t

# Rows that must have a "create" entry in the audit log (every table the audit hook covers).
AUDITED_TABLES = (
    "workplace",
    "case",
    "episode",
    "task",
    "case_note",
    "action_plan",
    "plan_cause",
    "action_item",
    "meeting",
    "meeting_item",
    "meeting_action",
    "meeting_minutes",
)


@dataclass(frozen=True)
class Finding:
    ok: bool
    line: str  # Danish, one line


def check_database(path: Path, key: str | None = None) -> list[Finding]:
    with closing(connect(path, readonly=True, key=key)) as connection:
        return [
            _integrity(connection),
            _guards(connection),
            _foreign_keys(connection),
            _unaudited(connection),
        ]


def _integrity(connection: Any) -> Finding:
    rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if rows == ["ok"]:
        return Finding(True, t("check.integrity_ok"))
    return Finding(False, t("check.integrity_bad", count=len(rows), first=rows[0]))


def _guards(connection: Any) -> Finding:
    present = {
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entry'"
        )
    }
    missing = [name for name in GUARDS if name not in present]
    if not missing:
        return Finding(True, t("check.guards_ok"))
    return Finding(False, t("check.guards_missing", names=", ".join(missing)))


def _foreign_keys(connection: Any) -> Finding:
    broken = connection.execute("PRAGMA foreign_key_check").fetchall()
    if not broken:
        return Finding(True, t("check.foreign_keys_ok"))
    tables = ", ".join(sorted({row[0] for row in broken}))
    return Finding(False, t("check.foreign_keys_bad", count=len(broken), tables=tables))


def _unaudited(connection: Any) -> Finding:
    missing: dict[str, int] = {}
    for table in AUDITED_TABLES:
        count = connection.execute(
            f'SELECT count(*) FROM "{table}" AS row WHERE NOT EXISTS (SELECT 1 FROM audit_entry AS a'
            " WHERE a.entity = ? AND a.entity_id = row.id AND a.action = 'create')",
            (table,),
        ).fetchone()[0]
        if count:
            missing[table] = count
    if not missing:
        return Finding(True, t("check.audit_ok"))
    detail = ", ".join(f"{table}: {count}" for table, count in missing.items())
    return Finding(False, t("check.audit_missing", count=sum(missing.values()), detail=detail))
