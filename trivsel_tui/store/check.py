"""`trivsel check`: is the file sound, are the audit log's guards in place, does every row have its history?

On a team database the same questions, asked through SQLAlchemy; the server itself answers for its pages
(data checksums, pg_amcheck) and always enforces its foreign keys, so those two lines say so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trivsel_tui.store import append_only, search_index, task_episode
from trivsel_tui.store.backup import closing, connect
from trivsel_tui.texts import t

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

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
        triggers = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        return [
            _integrity(connection),
            _guards(triggers),
            _foreign_keys(connection),
            _unaudited(lambda sql, table: connection.execute(sql, {"entity": table}).fetchone()[0]),
            _search_index(
                bool(connection.execute(search_index.PRESENT["sqlite"]).fetchone()),
                triggers,
                search_index.TRIGGERS["sqlite"],
                lambda: int(connection.execute(search_index.STALE_SQL["sqlite"]).fetchone()[0]),
            ),
            _task_copies(
                triggers, task_episode.TRIGGERS["sqlite"], connection.execute(task_episode.STALE_SQL).fetchone()[0]
            ),
        ]


def check_team_database(url: URL) -> list[Finding]:
    from sqlalchemy import text

    from trivsel_tui.store.dialect import make_postgres_engine

    engine = make_postgres_engine(url)
    try:
        with engine.connect() as connection:
            triggers = {row[0] for row in connection.execute(text("SELECT tgname FROM pg_trigger"))}
            return [
                Finding(True, t("check.integrity_server")),
                _guards(append_only.present(connection)),
                Finding(True, t("check.foreign_keys_server")),
                _unaudited(lambda sql, table: connection.execute(text(sql), {"entity": table}).scalar_one()),
                _search_index(
                    bool(connection.execute(text(search_index.PRESENT["postgresql"])).first()),
                    triggers,
                    search_index.TRIGGERS["postgresql"],
                    lambda: int(connection.execute(text(search_index.STALE_SQL["postgresql"])).scalar_one()),
                ),
                _task_copies(
                    triggers,
                    task_episode.TRIGGERS["postgresql"],
                    connection.execute(text(task_episode.STALE_SQL)).scalar_one(),
                ),
            ]
    finally:
        engine.dispose()


def _integrity(connection: Any) -> Finding:
    rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if rows == ["ok"]:
        return Finding(True, t("check.integrity_ok"))
    return Finding(False, t("check.integrity_bad", count=len(rows), first=rows[0]))


def _guards(present: set[str]) -> Finding:
    missing = [name for name in append_only.GUARDS if name not in present]
    if not missing:
        return Finding(True, t("check.guards_ok"))
    return Finding(False, t("check.guards_missing", names=", ".join(missing)))


def _foreign_keys(connection: Any) -> Finding:
    broken = connection.execute("PRAGMA foreign_key_check").fetchall()
    if not broken:
        return Finding(True, t("check.foreign_keys_ok"))
    tables = ", ".join(sorted({row[0] for row in broken}))
    return Finding(False, t("check.foreign_keys_bad", count=len(broken), tables=tables))


def _unaudited(count: Callable[[str, str], int]) -> Finding:
    """`count(sql, table)` runs the query with :entity bound to the table's name."""
    missing: dict[str, int] = {}
    for table in AUDITED_TABLES:
        count_sql = (
            f'SELECT count(*) FROM "{table}" AS row WHERE NOT EXISTS (SELECT 1 FROM audit_entry AS a'
            " WHERE a.entity = :entity AND a.entity_id = row.id AND a.action = 'create')"
        )
        count_of = count(count_sql, table)
        if count_of:
            missing[table] = count_of
    if not missing:
        return Finding(True, t("check.audit_ok"))
    detail = ", ".join(f"{table}: {count}" for table, count in missing.items())
    return Finding(False, t("check.audit_missing", count=sum(missing.values()), detail=detail))


def _search_index(present: bool, triggers: set[str], expected: tuple[str, ...], stale: Callable[[], int]) -> Finding:
    """The dashboard's search finds a row only through the search index tables (store/search_index.py)."""
    if not present:
        return Finding(True, t("check.search_index_absent"))
    return _kept_in_step(
        triggers, expected, stale(), ("search_triggers_missing", "search_index_stale", "search_index_ok")
    )


def _task_copies(triggers: set[str], expected: tuple[str, ...], stale: int) -> Finding:
    """The statistics' task views read each task's copy of its episode's fields (store/task_episode.py)."""
    return _kept_in_step(triggers, expected, stale, ("task_triggers_missing", "task_copies_stale", "task_copies_ok"))


def _kept_in_step(triggers: set[str], expected: tuple[str, ...], stale: int, keys: tuple[str, str, str]) -> Finding:
    """Derived rows kept by triggers: every trigger in place, and no row out of step with what it is derived from."""
    missing_key, stale_key, ok_key = keys
    missing = [name for name in expected if name not in triggers]
    if missing:
        return Finding(False, t(f"check.{missing_key}", names=", ".join(missing), count=stale))
    if stale:
        return Finding(False, t(f"check.{stale_key}", count=stale))
    return Finding(True, t(f"check.{ok_key}"))
