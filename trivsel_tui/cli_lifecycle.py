"""The data's lifecycle on the command line: backup, restore, check, retention, hold, kassation, redaction.

Registered on the `trivsel` app by cli.py; backup, restore and check use a plain DB-API connection
(sqlite3, or sqlcipher3 for an encrypted file) and load neither Textual nor the ORM.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from trivsel_tui.cli import DbOption, _database_file, _existing_db, _first_line, _location, _open_store, cli
from trivsel_tui.domain.clock import danish_day
from trivsel_tui.quick import fail
from trivsel_tui.texts import t

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from trivsel_tui.store.check import Finding
    from trivsel_tui.store.retention import RetentionRow
    from trivsel_tui.store.store import Store


def _summary(counts: dict[str, int]) -> str:
    return t(
        "backup.summary",
        cases=counts.get("case", 0),
        episodes=counts.get("episode", 0),
        tasks=counts.get("task", 0),
        audit=counts.get("audit_entry", 0),
    )


@cli.command(help=t("cli_lifecycle_commands.backup"))
def backup(
    db: DbOption = None,
    to: Annotated[Path | None, typer.Option("--to", help=t("backup.to_help"))] = None,
) -> None:
    """Take a verified backup of the database, also while the app is running."""
    from trivsel_tui.passphrase import passphrase_for
    from trivsel_tui.progress import StderrProgress
    from trivsel_tui.store.backup import BackupError, backup_database, default_backup_path, record_backup, require_ours

    path = _database_file(db)
    key = passphrase_for(path)
    named = default_backup_path(path, datetime.now().astimezone())
    target = named if to is None else (to / named.name if to.is_dir() else to)
    if target.exists():
        fail(t("backup.exists", path=target), 2)
    try:
        require_ours(path, key)
        progress = StderrProgress()
        copied = backup_database(path, target, lambda _stage, done, total: progress("copy", done, total), key)
        progress.close()
        record_backup(path, datetime.now(UTC), key)
    except BackupError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(t("backup.cannot_write", path=target, error=exc.strerror))
    typer.echo(t("backup.made", path=copied.path, summary=_summary(copied.counts)))


@cli.command(help=t("cli_lifecycle_commands.restore"))
def restore(
    file: Annotated[Path, typer.Argument(help=t("backup.restore_file_help"), dir_okay=False)],
    db: DbOption = None,
) -> None:
    """Restore the database from a backup; the current one is kept first."""
    from alembic.script import ScriptDirectory

    from trivsel_tui.passphrase import passphrase_for
    from trivsel_tui.store.backup import BackupError, restore_database
    from trivsel_tui.store.cipher import looks_encrypted
    from trivsel_tui.store.migrate import _config

    path = _database_file(db, may_be_new=True)
    known = {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}
    key = passphrase_for(file if looks_encrypted(file) else path)
    try:
        result = restore_database(path, file, datetime.now().astimezone(), known, key)
    except BackupError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(t("backup.cannot_write", path=path, error=exc.strerror))
    store, _settings = _open_store(path, key)  # brings an older backup up to the current schema
    store.close()
    typer.echo(t("backup.restored", source=file, summary=_summary(result.restored.counts)))
    if result.kept:
        typer.echo(t("backup.kept_damaged" if result.kept_damaged else "backup.kept", path=result.kept))


@cli.command(help=t("cli_lifecycle_commands.encrypt"))
def encrypt(db: DbOption = None) -> None:
    """Encrypt the database with a passphrase (SQLCipher); the plain file is overwritten once the copy checks out."""
    from trivsel_tui.passphrase import new_passphrase
    from trivsel_tui.store.backup import BackupError, encrypt_database
    from trivsel_tui.store.cipher import available, looks_encrypted

    path = _database_file(db)
    if looks_encrypted(path):
        fail(t("encryption.already", path=path), 2)
    if not available():
        fail(t("encryption.not_installed"), 2)
    store, _settings = _open_store(path)  # ours, sound, and at the current schema before it is sealed
    store.close()
    key = new_passphrase(path)
    try:
        result = encrypt_database(path, key)
    except BackupError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(t("backup.cannot_write", path=path, error=exc.strerror))
    typer.echo(t("encryption.done", path=path, summary=_summary(result.counts)))


@cli.command(help=t("cli_lifecycle_commands.check"))
def check(db: DbOption = None) -> None:
    """Check integrity, the audit guards, references and that every row has its audit entry."""
    from trivsel_tui.passphrase import passphrase_for
    from trivsel_tui.store.backup import BackupError, require_ours
    from trivsel_tui.store.check import check_database
    from trivsel_tui.store.cipher import database_errors

    location = _location(db)
    if not isinstance(location, Path):
        findings = _check_team_database(location)
    else:
        path = _database_file(db)
        key = passphrase_for(path)
        try:
            require_ours(path, key)
            findings = check_database(path, key)
        except BackupError as exc:
            fail(str(exc))
        except database_errors() as exc:
            fail(t("backup.damaged", path=path, error=exc))
    for finding in findings:
        typer.echo(finding.line)
    healthy = all(finding.ok for finding in findings)
    typer.echo(t("check.all_ok" if healthy else "check.not_ok"))
    if not healthy:
        raise typer.Exit(1)


def _check_team_database(url: URL) -> list[Finding]:
    from sqlalchemy.exc import SQLAlchemyError

    from trivsel_tui.store.check import check_team_database
    from trivsel_tui.store.dialect import shown_url

    try:
        return check_team_database(url)
    except ModuleNotFoundError:
        fail(t("team_db.driver_missing"))
    except SQLAlchemyError as exc:
        fail(t("team_db.cannot_connect", url=shown_url(url), error=_first_line(exc)))


def _today() -> date:
    from trivsel_tui.domain.clock import LOCAL_TZ

    return datetime.now(LOCAL_TZ).date()


@cli.command(help=t("cli_lifecycle_commands.retention"))
def retention(
    db: DbOption = None,
    due: Annotated[bool, typer.Option("--due", help=t("retention.due_help"))] = False,
    as_json: Annotated[bool, typer.Option("--json", help=t("cli.json_help"))] = False,
) -> None:
    """Show each case's keep-until date and rule (data/retention.toml)."""
    from trivsel_tui.store.retention import retention_rows

    store, _settings = _open_store(_existing_db(db))
    try:
        rows = retention_rows(store, _today(), due_only=due)
    finally:
        store.close()
    if as_json:
        items = [
            {
                "case": row.ref,
                "status": row.status,
                "closed": row.closed_at.date().isoformat() if row.closed_at else None,
                "keep_until": row.until.isoformat() if row.until else None,
                "due": row.due,
                "rule": row.rule.code,
                "years": row.rule.years,
                "source": row.rule.source,
                "local_default": row.rule.local_default,
                "hold": {"kind": row.hold_kind, "reason": row.hold_reason} if row.hold_kind else None,
            }
            for row in rows
        ]
        typer.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    for row in rows:
        typer.echo(_retention_line(row))
    if not rows:
        typer.echo(t("retention.none_due" if due else "retention.no_cases"))


def _retention_line(row: RetentionRow) -> str:
    until = danish_day(row.until) if row.until else t("retention.open")
    state = t("retention.state_hold", reason=row.hold_reason) if row.hold_kind else ""
    state = state or (t("retention.state_due") if row.due else "")
    local = t("retention.local_default") if row.rule.local_default else ""
    return t(
        "retention.line", ref=row.ref, until=until, label=row.rule.label, years=row.rule.years, local=local, state=state
    )


ReasonOption = Annotated[str, typer.Option("--reason", help=t("retention.reason_help"))]
T = TypeVar("T")


def _change_case(db: Path | None, change: Callable[[Store], T]) -> T:
    """Open the store, make one change, close it; a refused change is one Danish line and exit 1."""
    from trivsel_tui.store.retention import RetentionError

    store, _settings = _open_store(_existing_db(db))
    try:
        return change(store)
    except RetentionError as exc:
        fail(str(exc))
    finally:
        store.close()


@cli.command(help=t("cli_lifecycle_commands.hold"))
def hold(
    case: Annotated[str, typer.Argument(help=t("retention.case_help"))],
    kind: Annotated[str, typer.Option("--kind", help=t("retention.kind_help"))],
    reason: ReasonOption,
    db: DbOption = None,
) -> None:
    """Put a case on hold: it is never discarded until released."""
    from trivsel_tui.store.retention import set_hold

    _change_case(db, lambda store: set_hold(store, case, kind, reason))
    typer.echo(t("retention.held", ref=case))


@cli.command(help=t("cli_lifecycle_commands.release"))
def release(
    case: Annotated[str, typer.Argument(help=t("retention.case_help"))], reason: ReasonOption, db: DbOption = None
) -> None:
    """Release a case from hold."""
    from trivsel_tui.store.retention import release_hold

    _change_case(db, lambda store: release_hold(store, case, reason))
    typer.echo(t("retention.released", ref=case))


@cli.command(help=t("cli_lifecycle_commands.discard"))
def discard(
    case: Annotated[str, typer.Argument(help=t("retention.case_help"))],
    reason: ReasonOption,
    db: DbOption = None,
    early: Annotated[bool, typer.Option("--before-due", help=t("retention.early_help"))] = False,
) -> None:
    """Discard a closed case for good: its rows and its values in the audit log."""
    from trivsel_tui.store.retention import compact, discard_case

    typer.echo(t("retention.confirm_intro", ref=case), err=True)
    answer = typer.prompt(t("retention.confirm_prompt"), default="", show_default=False, err=True)
    if answer.strip() != case:
        fail(t("retention.not_confirmed", ref=case))

    def discard_and_compact(store: Store) -> None:
        discard_case(store, case, reason, _today(), early=early)
        compact(store)

    _change_case(db, discard_and_compact)
    typer.echo(t("retention.discarded", ref=case))


@cli.command("redact-cpr", help=t("cli_lifecycle_commands.redact_cpr"))
def redact_cpr_command(
    case: Annotated[str, typer.Argument(help=t("retention.case_help"))], db: DbOption = None
) -> None:
    """Remove CPR numbers from a case's free text and its whole audit history."""
    from trivsel_tui.store.retention import compact, redact_cpr

    def redact_and_compact(store: Store) -> int:
        count = redact_cpr(store, case)
        compact(store)
        return count

    count = _change_case(db, redact_and_compact)
    typer.echo(t("retention.redacted", ref=case, count=count))


@cli.command("export-person", help=t("cli_lifecycle_commands.export_person"))
def export_person(
    name: Annotated[str, typer.Argument(help=t("person_export.name_help"))],
    db: DbOption = None,
    out: Annotated[Path | None, typer.Option("--out", help=t("person_export.out_help"), file_okay=False)] = None,
) -> None:
    """Export everything the database holds about one person (right of access)."""
    from trivsel_tui.locations import documents_dir
    from trivsel_tui.store.person_export import PersonExportError, write_person_export

    store, _settings = _open_store(_existing_db(db))
    stamp = datetime.now().astimezone().strftime("%Y-%m-%d_%H%M%S")
    try:
        markdown, as_json, export = write_person_export(store, name, out or documents_dir(), stamp)
    except PersonExportError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(t("backup.cannot_write", path=out or documents_dir(), error=exc.strerror))
    finally:
        store.close()
    typer.echo(t("person_export.written", name=name, markdown=markdown, json=as_json, cases=len(export.case_refs)))
