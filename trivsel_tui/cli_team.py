"""The team database on the command line: `trivsel migrate-to URL` copies a SQLite file into it.

Registered on the `trivsel` app by cli.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trivsel_tui.cli import DbOption, _database_file, _open_store, cli
from trivsel_tui.cli_lifecycle import _summary
from trivsel_tui.quick import fail
from trivsel_tui.texts import t


@cli.command("migrate-to", help=t("team_db.migrate_to_help"))
def migrate_to(
    url: Annotated[str, typer.Argument(help=t("team_db.url_help"), metavar="URL")],
    db: DbOption = None,
) -> None:
    """Copy the SQLite database (--db or the usual one) into an empty team database on PostgreSQL."""
    from trivsel_tui.store.dialect import DatabaseUrlError, parse_url, shown_url
    from trivsel_tui.store.transfer import TransferError, copy_database

    path: Path = _database_file(db)
    try:
        target_url = parse_url(url)
    except DatabaseUrlError:
        fail(t("team_db.bad_url", url=url), 2)
    source, _settings = _open_store(path)
    try:
        target, _settings = _open_store(target_url)
        try:
            counts = copy_database(source, target)
        except TransferError as exc:
            fail(str(exc))
        finally:
            target.close()
    finally:
        source.close()
    typer.echo(t("team_db.migrated", path=path, url=shown_url(target_url), summary=_summary(counts)))
