"""The console script's entry: `trivsel classify` and `trivsel info` run here without typer.

Typer (with click, and pydantic while it parses options) takes longer to import than these two commands
take to run. `main` serves their plain, well-formed calls itself and hands everything else — help,
unknown or odd options, every other command — to the typer app in cli.py, so that help texts and
usage errors stay in one place. The commands' bodies live here and cli.py calls the same functions.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from trivsel_tui import __version__
from trivsel_tui.texts import t

MAX_INPUT_BYTES = 1_000_000  # an episode's facts are a few hundred bytes

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from trivsel_tui.domain.rules import Rules
    from trivsel_tui.settings import Settings


def fail(message: str, code: int = 1) -> NoReturn:
    """One Danish line on stderr and a non-zero exit."""
    print(f"trivsel: {message}", file=sys.stderr)
    raise SystemExit(code)


def settings_or_fail() -> Settings:
    from trivsel_tui.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        fail(t("cli.settings", error=exc), 2)


def rules_or_fail(path: Path | None) -> Rules:
    from trivsel_tui.domain.rules import RulesError, load_rules

    adaptation = path or settings_or_fail().adaptation
    try:
        return load_rules(adaptation)
    except RulesError as exc:
        fail(t("cli.adaptation", error=exc), 2)


def classify_file(file: str, rules: Path | None) -> None:
    """Classify the facts in `file` (or stdin for "-") and print the result as JSON."""
    from trivsel_tui.domain.classify import classify
    from trivsel_tui.domain.facts import FactsError, parse_facts

    text = _read_input(file)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(json_error_text(exc), 2)
    except RecursionError:
        fail(t("cli.too_deep"), 2)
    except ValueError:  # an integer beyond Python's digit limit for str → int
        fail(t("cli.number_too_long"), 2)
    rule_set = rules_or_fail(rules)
    try:
        facts = parse_facts(obj, rule_set)
    except FactsError as exc:
        fail(str(exc), 2)
    print(json.dumps(classify(facts, rule_set).to_json(), ensure_ascii=False, indent=2))


# Python's JSON parser says what is wrong in English; the start of its message → our Danish text.
_JSON_PROBLEMS = {
    "Expecting value": "expecting_value",
    "Expecting property name": "expecting_property_name",
    "Expecting ':'": "expecting_colon",
    "Expecting ',' delimiter": "expecting_comma",
    "Extra data": "extra_data",
    "Unterminated string": "unterminated_string",
    "Invalid control character": "invalid_control_character",
    "Invalid \\": "invalid_escape",
    "Illegal trailing comma": "trailing_comma",
}
_KEY = re.compile(r'"((?:[^"\\\x00-\x1f]|\\.)*)"\s*:')


def json_error_text(exc: json.JSONDecodeError) -> str:
    """One Danish line: where the JSON breaks, after which field, and what is wrong there."""
    problem = next((key for start, key in _JSON_PROBLEMS.items() if exc.msg.startswith(start)), "other")
    keys = _KEY.findall(exc.doc, 0, exc.pos)
    near = t("cli.not_json_near", field=_field_name(keys[-1])) if keys and problem != "extra_data" else ""
    return t("cli.not_json", line=exc.lineno, column=exc.colno, near=near, problem=t(f"cli.json_problems.{problem}"))


def _field_name(quoted: str) -> str:
    from trivsel_tui.domain.control_chars import shown_value

    try:
        name = json.loads(f'"{quoted}"')
    except ValueError:
        name = quoted
    return name if name.isidentifier() and name.isascii() else shown_value(name)


def _read_input(file: str) -> str:
    """The whole input as text, refusing anything larger than an episode could be (think /dev/zero)."""
    try:
        if file == "-":
            binary = getattr(sys.stdin, "buffer", None)  # absent when stdin is replaced by a text stream
            data = binary.read(MAX_INPUT_BYTES + 1) if binary else sys.stdin.read(MAX_INPUT_BYTES + 1).encode()
        else:
            with open(file, "rb") as stream:
                data = stream.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        fail(t("cli.cannot_read", file=file, error=exc.strerror), 2)
    if len(data) > MAX_INPUT_BYTES:
        fail(t("cli.input_too_large", file=file, limit=MAX_INPUT_BYTES // 1_000_000), 2)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        fail(t("cli.not_utf8", file=file), 2)


def show_info(db: Path | URL | None) -> None:
    """Which database (a file, or a team database without its password), settings and local adaptation,
    and the database's schema revision."""
    from trivsel_tui.locations import settings_path
    from trivsel_tui.store.revisions import head_revision

    location = _info_location(db)
    print(f"trivsel-tui {__version__}")
    if isinstance(location, Path):
        print(t("info.database", path=location))
        print(_file_revision_line(location, head_revision()))
    else:
        from trivsel_tui.store.dialect import shown_url

        print(t("info.team_database", url=shown_url(location)))
        revision = _server_revision(location)
        print(t("info.revision", revision=revision, head=head_revision()))
    settings_file = settings_path()
    print(t("info.settings", path=settings_file, missing="" if settings_file.exists() else t("info.defaults")))
    print(_adaptation_line())


def _info_location(db: Path | URL | None) -> Path | URL:
    """--db or --db-url as given, else what the environment and the settings say (store.dialect)."""
    from trivsel_tui.locations import resolve_db_target
    from trivsel_tui.settings import SettingsError, load_settings

    if db is not None and not isinstance(db, Path):
        return db
    try:
        configured = load_settings().db_url
    except SettingsError:
        configured = ""
    target = resolve_db_target(db, None, configured)
    if isinstance(target, Path):
        return target  # a file: no SQLAlchemy for `trivsel info`
    from trivsel_tui.store.dialect import DatabaseUrlError, parse_url

    try:
        return parse_url(target)
    except DatabaseUrlError:
        fail(t("team_db.bad_url", url=target), 2)


def _file_revision_line(path: Path, head: str) -> str:
    import sqlite3

    from trivsel_tui.store.cipher import looks_encrypted

    if looks_encrypted(path):
        return t("encryption.info_encrypted", head=head)
    if not path.is_file():
        return t("info.no_database")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = str(row[0]) if row else t("info.no_revision")
    except sqlite3.Error:
        revision = t("info.unknown_revision")
    return t("info.revision", revision=revision, head=head)


def _server_revision(url: URL) -> str:
    from sqlalchemy.exc import SQLAlchemyError

    from trivsel_tui.store.dialect import make_postgres_engine
    from trivsel_tui.store.migrate import current_revision

    engine = make_postgres_engine(url)
    try:
        return current_revision(engine) or t("info.no_revision")
    except (SQLAlchemyError, ModuleNotFoundError) as exc:
        return t("info.unreachable", error=str(getattr(exc, "orig", exc)).strip().splitlines()[0])
    finally:
        engine.dispose()


def _adaptation_line() -> str:
    """Which local adaptation applies: the one the settings name, else the default file if it exists."""
    from trivsel_tui.locations import default_adaptation_path
    from trivsel_tui.settings import SettingsError, load_settings

    try:
        configured = load_settings().adaptation
    except SettingsError as exc:
        return t("info.settings_error", error=exc)
    default = default_adaptation_path()
    if configured and configured != default:
        return t("info.adaptation", path=configured, missing=t("info.configured"))
    return t("info.adaptation", path=default, missing="" if default.exists() else t("info.missing"))


def _options(args: list[str], allowed: set[str]) -> tuple[list[str], dict[str, Path]] | None:
    """Positional arguments and `--name VALUE` / `--name=VALUE` file options, or None for anything else
    (help, unknown options, a folder where a file is expected): typer then answers as usual."""
    positional: list[str] = []
    options: dict[str, Path] = {}
    rest = iter(args)
    for arg in rest:
        name, equals, value = arg.partition("=")
        if name in allowed and name not in options:
            value = value if equals else next(rest, "")
            if not value or value.startswith("-") or Path(value).is_dir():
                return None
            options[name] = Path(value)
        elif arg == "-" or not arg.startswith("-"):
            positional.append(arg)
        else:
            return None
    return positional, options


def quick_command(args: list[str]) -> Callable[[], None] | None:
    """The call to make without typer, if `args` are a plain `classify FILE` or `info`."""
    if not args or args[0] not in ("classify", "info"):
        return None
    parsed = _options(args[1:], {"--rules"} if args[0] == "classify" else {"--db"})
    if parsed is None:
        return None
    positional, options = parsed
    if args[0] == "classify" and len(positional) == 1:
        return lambda: classify_file(positional[0], options.get("--rules"))
    if args[0] == "info" and not positional:
        return lambda: show_info(options.get("--db"))
    return None


def main() -> None:
    from trivsel_tui.crash import reported

    with reported():  # an unexpected error: one Danish line and a private log, never a traceback
        command = quick_command(sys.argv[1:])
        if command is not None:
            command()
            return
        from trivsel_tui.cli import main as typer_main

        typer_main()
