"""The data's lifecycle on the command line: backup, restore, check.

Registered on the `trivsel` app by cli.py; these commands use plain sqlite3 and load neither
Textual nor the ORM.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from trivsel_tui.cli import DbOption, _existing_db, _open_store, cli
from trivsel_tui.quick import fail
from trivsel_tui.texts import t


def _summary(counts: dict[str, int]) -> str:
    return t(
        "backup.summary",
        cases=counts.get("case", 0),
        episodes=counts.get("episode", 0),
        tasks=counts.get("task", 0),
        audit=counts.get("audit_entry", 0),
    )


@cli.command()
def backup(
    db: DbOption = None,
    to: Annotated[Path | None, typer.Option("--to", help=t("backup.to_help"))] = None,
) -> None:
    """Tag en kontrolleret sikkerhedskopi af databasen – også mens programmet kører."""
    from trivsel_tui.store.backup import BackupError, backup_database, default_backup_path, record_backup, require_ours

    path = _existing_db(db)
    named = default_backup_path(path, datetime.now().astimezone())
    target = named if to is None else (to / named.name if to.is_dir() else to)
    if target.exists():
        fail(t("backup.exists", path=target), 2)
    try:
        require_ours(path)
        result = backup_database(path, target)
        record_backup(path, datetime.now(UTC))
    except BackupError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(t("backup.cannot_write", path=target, error=exc.strerror))
    typer.echo(t("backup.made", path=result.path, summary=_summary(result.counts)))


@cli.command()
def restore(
    file: Annotated[Path, typer.Argument(help=t("backup.restore_file_help"), dir_okay=False)],
    db: DbOption = None,
) -> None:
    """Gendan databasen fra en sikkerhedskopi; den nuværende gemmes først."""
    from alembic.script import ScriptDirectory

    from trivsel_tui.store.backup import BackupError, restore_database
    from trivsel_tui.store.migrate import _config
    from trivsel_tui.store.paths import resolve_db_path

    path = resolve_db_path(db)
    known = {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}
    try:
        result = restore_database(path, file, datetime.now().astimezone(), known)
    except BackupError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(t("backup.cannot_write", path=path, error=exc.strerror))
    store, _settings = _open_store(path)  # brings an older backup up to the current schema
    store.close()
    typer.echo(t("backup.restored", source=file, summary=_summary(result.restored.counts)))
    if result.kept:
        typer.echo(t("backup.kept_damaged" if result.kept_damaged else "backup.kept", path=result.kept))


@cli.command()
def check(db: DbOption = None) -> None:
    """Kontrollér filen, auditloggens beskyttelse, henvisninger og at alle rækker har en auditpost."""
    import sqlite3

    from trivsel_tui.store.backup import BackupError, require_ours
    from trivsel_tui.store.check import check_database

    path = _existing_db(db)
    try:
        require_ours(path)
        findings = check_database(path)
    except BackupError as exc:
        fail(str(exc))
    except sqlite3.DatabaseError as exc:
        fail(t("backup.damaged", path=path, error=exc))
    for finding in findings:
        typer.echo(finding.line)
    healthy = all(finding.ok for finding in findings)
    typer.echo(t("check.all_ok" if healthy else "check.not_ok"))
    if not healthy:
        raise typer.Exit(1)
