"""The `trivsel` commands as a typer app (help, options, usage errors).

The console script enters through trivsel_tui.quick, which runs plain `classify` and `info` calls
without importing typer at all. Heavy imports (Textual, SQLModel, alembic) happen inside the
commands that need them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from trivsel_tui import __version__
from trivsel_tui.cli_danish import DanishTyper, run_in_danish
from trivsel_tui.quick import classify_file, fail, rules_or_fail, settings_or_fail, show_info
from trivsel_tui.texts import t

if TYPE_CHECKING:
    from trivsel_tui.domain.rules import Rules
    from trivsel_tui.settings import Settings
    from trivsel_tui.store.dashboard import DueRow
    from trivsel_tui.store.store import Location, Store

cli = DanishTyper(add_completion=False, pretty_exceptions_enable=False, help=t("cli_commands.main"))

DbOption = Annotated[
    Path | None, typer.Option("--db", help=t("cli.db_help"), metavar=t("cli_help.file"), dir_okay=False)
]
RulesOption = Annotated[
    Path | None, typer.Option("--rules", help=t("cli.rules_help"), metavar=t("cli_help.file"), dir_okay=False)
]
DEMO_CASES = 400


def _version(value: bool) -> None:
    if value:
        typer.echo(f"trivsel-tui {__version__}")
        raise typer.Exit()


_given: dict[str, str] = {}  # --db-url, given before the command (one command per process)


def _location(db: Location | None) -> Location:
    """The database the command works on: --db, --db-url (before the command), TRIVSEL_DB_URL, TRIVSEL_DB,
    db_url in the settings, the default file (store.dialect.resolve_location)."""
    from trivsel_tui.store.dialect import DatabaseUrlError, resolve_location

    if db is not None and not isinstance(db, Path):  # a URL already
        return db
    db_url = _given.get("db_url")
    if db and db_url:
        fail(t("team_db.db_and_url"), 2)
    try:
        return resolve_location(db, db_url, settings_or_fail().db_url)
    except DatabaseUrlError as exc:
        fail(t("team_db.bad_url", url=exc), 2)


def _open_store(db: Location | None, key: str | None = None) -> tuple[Store, Settings]:
    """Open and migrate the database, turning every known failure into a Danish message.

    An encrypted file's passphrase is asked for here (unless the caller has it as `key`)."""
    from trivsel_tui.passphrase import passphrase_for
    from trivsel_tui.progress import StderrProgress
    from trivsel_tui.store.cipher import CipherError
    from trivsel_tui.store.dialect import shown_url
    from trivsel_tui.store.guard import DatabaseRefusedError, SchemaTooNewError
    from trivsel_tui.store.store import Store

    location = _location(db)
    settings = settings_or_fail()
    progress = StderrProgress()
    if not isinstance(location, Path):
        from sqlalchemy.exc import DatabaseError, OperationalError

        try:
            return Store.open(location, settings.actor, progress=progress), settings
        except ModuleNotFoundError:
            fail(t("team_db.driver_missing"))
        except (DatabaseError, OperationalError) as exc:
            fail(t("team_db.cannot_connect", url=shown_url(location), error=_first_line(exc)))
        finally:
            progress.close()
    path = location
    key = key or passphrase_for(path)
    try:
        return Store.open(path, settings.actor, progress=progress, key=key), settings
    except (DatabaseRefusedError, SchemaTooNewError, CipherError) as exc:
        fail(str(exc), 2)
    except PermissionError as exc:
        fail(t("cli.no_access", path=path, error=exc.strerror))
    except _database_errors() as exc:
        error = getattr(exc, "orig", exc)
        if "locked" in str(error):
            fail(t("open_errors.locked", path=path))
        fail(t("cli.not_a_database", path=path, error=error))
    except OSError as exc:
        fail(t("cli.cannot_create", path=path, error=exc.strerror))
    finally:
        progress.close()


def _database_errors() -> tuple[type[Exception], ...]:
    """The drivers' errors, and SQLAlchemy's once it is loaded: opening a current file does not load it
    (it is loaded only to upgrade one), and `trivsel due` should not pay for its import."""
    from trivsel_tui.store.cipher import database_errors

    loaded = sys.modules.get("sqlalchemy.exc")
    return (*database_errors(), loaded.DatabaseError) if loaded else database_errors()


def _first_line(error: BaseException) -> str:
    """The database's own message, without SQLAlchemy's statement and background link."""
    return str(getattr(error, "orig", error)).strip().splitlines()[0] if str(error).strip() else type(error).__name__


@cli.callback(invoke_without_command=True)
def main_command(
    ctx: typer.Context,
    db: DbOption = None,
    demo: Annotated[bool, typer.Option("--demo", help=t("cli.demo_help"))] = False,
    rules: RulesOption = None,
    db_url: Annotated[str | None, typer.Option("--db-url", help=t("team_db.db_url_help"), metavar="URL")] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=t("cli.version_help"))
    ] = False,
) -> None:
    """Without a command: open the workbench (full screen)."""
    if db_url:
        _given["db_url"] = db_url
    if ctx.invoked_subcommand is not None:
        if db is not None:
            _db_for_command(ctx, ctx.invoked_subcommand, db)
        return
    if demo and (db or db_url):
        fail(t("cli.demo_and_db"), 2)
    rule_set = rules_or_fail(rules)
    if demo:
        _run_demo_app(rule_set)
        return
    store, settings = _open_store(db)
    _run_app(store, settings, rule_set)


def _db_for_command(ctx: typer.Context, name: str, db: Path) -> None:
    """`trivsel --db X due` means `trivsel due --db X`: the command gets the file as its --db default.
    Refused when the command reads no database, or when --db is given on both sides."""
    group: Any = ctx.command  # a group of typer's own (possibly vendored) click
    command = group.get_command(ctx, name)
    if command is None or not any(param.name == "db" for param in command.params):
        fail(t("cli.db_not_for_command", command=name), 2)
    # The command's own arguments are not parsed yet; the command line says whether it has a --db too.
    if sum(arg == "--db" or arg.startswith("--db=") for arg in sys.argv[1:]) > 1:
        fail(t("cli.db_twice"), 2)
    ctx.default_map = {**(ctx.default_map or {}), name: {"db": str(db)}}


def _run_app(store: Store, settings: Settings, rules: Rules, demo: bool = False) -> None:
    from trivsel_tui.app import TrivselApp

    app = TrivselApp(store=store, settings=settings, rules=rules, demo=demo)
    try:
        app.run()
    finally:
        store.close()
    if app.crash_report:
        fail(app.crash_report, app.return_code or 1)


def _run_demo_app(rules: Rules) -> None:
    from datetime import UTC, datetime

    from trivsel_tui.demo_folder import demo_folder
    from trivsel_tui.store.demo import generate_demo
    from trivsel_tui.store.store import Store

    with demo_folder() as folder:
        store = Store.open(folder / "demo.sqlite3", "demo")
        generate_demo(store, rules, DEMO_CASES, seed=1, anchor=datetime.now(UTC))
        _run_app(store, settings_or_fail(), rules, demo=True)


@cli.command(help=t("cli_commands.info"))
def info(db: DbOption = None) -> None:
    """Where the database, settings and local adaptation live; the schema revision."""
    show_info(_location(db))


@cli.command(help=t("cli_commands.demo"))
def demo(
    db: DbOption = None,
    cases: Annotated[
        int, typer.Option("--cases", min=1, max=1_000_000, help=t("cli.cases_help"), metavar=t("cli_help.number"))
    ] = DEMO_CASES,
    seed: Annotated[int, typer.Option("--seed", help=t("cli.seed_help"), metavar=t("cli_help.integer"))] = 1,
) -> None:
    """Fill a database with deterministic sample data."""
    from datetime import UTC, datetime

    from trivsel_tui.domain.clock import LOCAL_TZ
    from trivsel_tui.store.demo import generate_demo

    rules = rules_or_fail(None)
    store, _settings = _open_store(db)
    # Anchored at the start of today: the same seed gives the same data all day.
    anchor = datetime.now(LOCAL_TZ).replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)

    def progress(done: int, total: int) -> None:
        typer.echo(
            "\r" + t("cli.demo_progress", done=f"{done:,}", total=f"{total:,}").replace(",", "."), nl=False, err=True
        )

    try:
        result = generate_demo(store, rules, cases, seed, anchor, progress if sys.stderr.isatty() else None)
    finally:
        store.close()
    if sys.stderr.isatty():
        typer.echo("", err=True)
    typer.echo(
        t(
            "cli.demo_done",
            cases=result.cases,
            episodes=result.episodes,
            tasks=result.tasks,
            workplaces=result.workplaces,
            path=store.path,
        )
    )


@cli.command("classify", help=t("cli_commands.classify"))
def classify_command(
    file: Annotated[str, typer.Argument(help=t("cli.file_help"), metavar=t("cli_help.file"))],
    rules: RulesOption = None,
) -> None:
    """Classify one episode's facts (JSON) and print the result as JSON."""
    classify_file(file, rules)


@cli.command(help=t("cli_commands.due"))
def due(
    db: DbOption = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help=t("cli.as_of_help"), metavar=t("cli_help.moment"))
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=t("cli.json_help"))] = False,
    rules: RulesOption = None,
    search: Annotated[str, typer.Option("--search", help=t("cli_due.search_help"))] = "",
    sort: Annotated[str, typer.Option("--sort", help=t("cli_due.sort_help"))] = "due",
) -> None:
    """Every open deadline, in the dashboard's order."""
    from datetime import UTC, datetime

    from trivsel_tui.domain.clock import (
        TimeParseError,
        danish_short,
        in_supported_years,
        iso_local,
        parse_instant,
        relative_days,
    )
    from trivsel_tui.domain.due import MARKERS, due_state
    from trivsel_tui.store.dashboard import DUE_SORTS, DueFilters, DueQuery, iter_due_rows

    try:
        now = datetime.now(UTC) if as_of is None else parse_instant(as_of)
        in_supported_years(now)
    except TimeParseError as exc:
        fail(f"--as-of: {exc}", 2)
    if sort not in DUE_SORTS:
        fail(t("cli_due.bad_sort", choices=", ".join(DUE_SORTS)), 2)
    rule_set = rules_or_fail(rules)
    path = _existing_db(db)
    store, settings = _open_store(path)
    soon = settings.due_soon_days
    out = sys.stdout
    try:
        # Rows are written as they are read, so memory stays flat however many deadlines there are.
        rows = iter_due_rows(store, DueQuery.from_rules(rule_set), DueFilters(search=search), sort)
        if as_json:

            def item(row: DueRow) -> dict[str, object]:  # 70,000 times at 100k cases: no imports in here
                return {
                    "due": iso_local(row.due),
                    "state": due_state(row.due, now, soon),
                    "kind": row.kind,
                    "title": row.title,
                    "case": row.ref,
                    "workplace": row.workplace,
                    "responsible": row.responsible or None,
                    "owner_role": row.owner_role,
                    "owner": row.responsible or None,
                    "legal": row.legal,
                    "reminder": iso_local(row.remind_at) if row.remind_at else None,
                    "case_closed": row.case_closed,
                    "categories": list(row.categories),
                }

            write_json_array(out, map(item, rows))
            return
        for row in rows:
            state = due_state(row.due, now, soon)
            where = f"{row.ref} · {row.workplace}" if row.ref else row.workplace
            when = f"{relative_days(row.due, now)} · {danish_short(row.due)}"
            out.write(f"{MARKERS[state]} {when:<32} {row.title}  [{where}]\n")
    finally:
        store.close()


def write_json_array(out: TextIO, items: Iterable[object]) -> None:
    """A JSON array written item by item, one item a line (never the whole list in memory)."""
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps builds one per item
    lines = (encode(item) for item in items)
    out.write("[")
    written = False
    while batch := list(islice(lines, 1000)):  # a thousand lines per write, never the whole list
        out.write(("," if written else "") + "\n  " + ",\n  ".join(batch))
        written = True
    out.write("\n]\n" if written else "]\n")


@cli.command("stats")
def stats_command(
    db: DbOption = None,
    start: Annotated[str | None, typer.Option("--from", help=t("cli.stats_from_help"))] = None,
    end: Annotated[str | None, typer.Option("--to", help=t("cli.stats_to_help"))] = None,
    by: Annotated[str, typer.Option("--by", help=t("cli.stats_by_help"))] = "category",
    workplace: Annotated[list[str] | None, typer.Option("--workplace", help=t("cli.stats_workplace_help"))] = None,
    category: Annotated[list[str] | None, typer.Option("--category", help=t("cli.stats_category_help"))] = None,
    perpetrator: Annotated[
        list[str] | None, typer.Option("--perpetrator", help=t("cli.stats_perpetrator_help"))
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=t("cli.stats_json_help"))] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help=t("cli.stats_csv_help"))] = False,
    shareable: Annotated[bool, typer.Option("--shareable", help=t("cli.stats_shareable_help"))] = False,
    out: Annotated[Path | None, typer.Option("--out", help=t("cli.stats_out_help"), dir_okay=False)] = None,
    rules: RulesOption = None,
) -> None:
    """Tæl episoder – samme tal som statistikskærmen."""
    from trivsel_tui.statistics_cli import StatsOptions, run_stats
    from trivsel_tui.statistics_report import StatsRequestError

    if as_json and as_csv:
        fail(t("cli.stats_json_and_csv"), 2)
    rule_set = rules_or_fail(rules)
    path = _existing_db(db)
    options = StatsOptions(start, end, by, tuple(workplace or ()), tuple(category or ()), tuple(perpetrator or ()))
    store, _settings = _open_store(path)
    try:
        run_stats(store, rule_set, options, "json" if as_json else "csv" if as_csv else "text", shareable, out)
    except StatsRequestError as exc:
        fail(str(exc), 2)
    finally:
        store.close()


@cli.command("report")
def report_command(
    db: DbOption = None,
    year: Annotated[int | None, typer.Option("--year", min=2000, max=2100, help=t("cli.report_year_help"))] = None,
    workplace: Annotated[list[str] | None, typer.Option("--workplace", help=t("cli.stats_workplace_help"))] = None,
    out: Annotated[Path | None, typer.Option("--out", help=t("cli.report_out_help"), dir_okay=False)] = None,
    rules: RulesOption = None,
) -> None:
    """Årsrapport til MED-udvalget (Markdown eller PDF) – altid med små tal skjult."""
    from trivsel_tui.statistics_cli import run_report
    from trivsel_tui.statistics_report import StatsRequestError

    rule_set = rules_or_fail(rules)
    path = _existing_db(db)
    store, _settings = _open_store(path)
    try:
        run_report(store, rule_set, year, tuple(workplace or ()), out)
    except StatsRequestError as exc:
        fail(str(exc), 2)
    finally:
        store.close()


def _existing_db(db: Path | None) -> Location:
    """`due` reads an existing database; it does not create an empty one by accident."""
    location = _location(db)
    if isinstance(location, Path) and not location.exists():
        fail(t("cli.db_missing", path=location))
    return location


def _database_file(db: Path | None, may_be_new: bool = False) -> Path:
    """Backups, restore and the file check work on a SQLite file, not on a team database."""
    from trivsel_tui.store.dialect import shown_url

    location = _location(db)
    if not isinstance(location, Path):
        fail(t("team_db.file_only", url=shown_url(location)), 2)
    if not may_be_new and not location.exists():
        fail(t("cli.db_missing", path=location))
    return location


rules_cli = DanishTyper(help=t("cli_commands.rules"))
cli.add_typer(rules_cli, name="rules")


@rules_cli.command("graph", help=t("cli_commands.rules_graph"))
def rules_graph() -> None:
    """The question tree as Graphviz dot, for review by a MED committee."""
    from trivsel_tui.domain.wizard import load_tree, to_dot

    typer.echo(to_dot(load_tree()), nl=False)


@rules_cli.command("table", help=t("cli_commands.rules_table"))
def rules_table_command(rules: RulesOption = None) -> None:
    """Which actions and notices follow from which facts, and who owns them, in Danish."""
    from trivsel_tui.domain.rules_table import rules_table

    typer.echo(rules_table(rules_or_fail(rules)), nl=False)


# The lifecycle commands (backup, restore, check, ...) live in their own module and register on `cli`.
from trivsel_tui import cli_lifecycle, cli_meeting, cli_team  # noqa: E402, F401


def main() -> None:
    run_in_danish(cli, prog_name="trivsel")
