"""A team database on PostgreSQL from the command line: --db-url, TRIVSEL_DB_URL, db_url, `trivsel info`."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import URL

from tests.conftest import NOW
from tests.test_cli import trivsel
from trivsel_tui.domain.rules import Rules
from trivsel_tui.store.cases import EpisodeInput, register_episode
from trivsel_tui.store.demo import generate_demo
from trivsel_tui.store.dialect import DatabaseUrlError, parse_url, resolve_location
from trivsel_tui.store.models import Workplace
from trivsel_tui.store.queries import case_detail, save_workplace, search_cases
from trivsel_tui.store.revisions import head_revision
from trivsel_tui.store.store import Store
from trivsel_tui.store.transfer import _tables


def test_a_url_that_is_not_postgresql_is_a_danish_usage_error() -> None:
    result = trivsel("--db-url", "mysql://lene@server/trivsel", "due")
    assert result.returncode == 2
    assert "er ikke en PostgreSQL-adresse" in result.stderr and "Traceback" not in result.stderr


def test_file_and_url_together_are_refused(tmp_path: Path) -> None:
    result = trivsel("--db-url", "postgresql://lene@server/trivsel", "due", "--db", str(tmp_path / "a.sqlite3"))
    assert result.returncode == 2 and "ikke begge" in result.stderr


def test_which_database_is_chosen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "a.sqlite3"
    team = "postgresql://lene@server/trivsel"
    assert resolve_location(file, team, team) == file
    assert resolve_location(None, team) == parse_url(team)
    assert resolve_location(None, None, team) == parse_url(team)
    monkeypatch.setenv("TRIVSEL_DB_URL", "postgresql://bo@andet/trivsel")
    assert resolve_location(None, None, team) == parse_url("postgresql://bo@andet/trivsel")
    monkeypatch.delenv("TRIVSEL_DB_URL")
    monkeypatch.setenv("TRIVSEL_DB", str(file))
    assert resolve_location(None, None, team) == file, "a file named in the environment beats the settings"
    assert parse_url("postgresql://x@y/z").drivername == "postgresql+psycopg"
    for bad in ("sqlite:///a.db", "not a url", "postgresql+asyncpg://x@y/z"):
        with pytest.raises(DatabaseUrlError):
            parse_url(bad)


def test_the_settings_file_may_name_the_team_database(tmp_path: Path) -> None:
    from trivsel_tui.settings import SettingsError, load_settings

    settings = tmp_path / "settings.toml"
    settings.write_text('db_url = "postgresql://lene@server/trivsel"\n', encoding="utf-8")
    assert load_settings(settings).db_url == "postgresql://lene@server/trivsel"
    settings.write_text("db_url = 5\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="db_url"):
        load_settings(settings)


@pytest.mark.postgres_only
def test_commands_work_on_the_team_database_and_info_hides_the_password(empty_postgres: URL) -> None:
    url = empty_postgres.set(password="hemmeligt-kodeord").render_as_string(hide_password=False)
    made = trivsel("--db-url", url, "demo", "--cases", "30")
    assert made.returncode == 0, made.stderr
    due = trivsel("due", "--json", env={"TRIVSEL_DB_URL": url})
    assert due.returncode == 0, due.stderr
    assert len(json.loads(due.stdout)) > 0
    info = trivsel("--db-url", url, "info")
    assert info.returncode == 0, info.stderr
    assert "Fælles database:" in info.stdout and head_revision() in info.stdout
    assert "hemmeligt" not in info.stdout + made.stdout + made.stderr
    backup = trivsel("--db-url", url, "backup")
    assert backup.returncode == 2 and "pg_dump" in backup.stderr and "hemmeligt" not in backup.stderr


def test_an_unreachable_server_is_one_danish_line(tmp_path: Path) -> None:
    result = trivsel("--db-url", f"postgresql://lene:hemmeligt@/trivsel?host={tmp_path}", "due")
    assert result.returncode == 1
    assert (
        result.stderr.startswith("trivsel: Kan ikke forbinde til den fælles database")
        and "Traceback" not in result.stderr
    )
    assert "hemmeligt" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.postgres_only
def test_migrate_to_copies_every_row_and_new_cases_get_fresh_numbers(
    tmp_path: Path, empty_postgres: URL, rules: Rules
) -> None:
    laptop = tmp_path / "laptop.sqlite3"
    store = Store.open(laptop, "Lene", lambda: NOW)
    generate_demo(store, rules, 120, 5, NOW)
    store.close()
    url = empty_postgres.render_as_string(hide_password=False)
    moved = trivsel("migrate-to", url, "--db", str(laptop))
    assert moved.returncode == 0, moved.stderr
    assert "120 sager" in moved.stdout and "kontrolleret" in moved.stdout

    lite, team = Store.open(laptop, "Lene", lambda: NOW), Store.open(empty_postgres, "x", lambda: NOW)
    with lite.connect() as a, team.connect() as b:
        for table in _tables():
            query = select(table).order_by(*table.primary_key)
            assert a.execute(query).all() == b.execute(query).all(), table.name
        # The tasks arrive with their episode's time (the statistics filter by it), filled by the demo's insert.
        unfilled = "SELECT count(*) FROM task WHERE episode_id IS NOT NULL AND episode_at IS NULL"
        assert b.execute(text(unfilled)).scalar_one() == 0
    # Sealed audit values open the same with the copied keys; new rows get fresh ids and case numbers.
    assert case_detail(team, 1) == case_detail(lite, 1)
    workplace = save_workplace(team, {"name": "Ny arbejdsplads efter flytningen"})
    case_id, _episode = register_episode(team, EpisodeInput(workplace.id or 0, NOW, "Ny", "citizen"))
    new = case_detail(team, case_id)
    assert new is not None and new.case.ref not in {row.ref for row in search_cases(lite, "", limit=500)}
    lite.close()
    team.close()

    again = trivsel("migrate-to", url, "--db", str(laptop))
    assert again.returncode == 1 and "ikke tom" in again.stderr


@pytest.mark.postgres_only
def test_no_backup_reminder_for_a_team_database(store: Store) -> None:
    from trivsel_tui.store.state import backup_reminder

    save_workplace(store, {"name": "Skolen"})
    assert backup_reminder(store, 1, NOW + timedelta(days=30)) is None


@pytest.mark.postgres_only
def test_compacting_after_kassation_runs_on_the_team_database(store: Store) -> None:
    from trivsel_tui.store.retention import compact

    save_workplace(store, {"name": "Skolen"})
    compact(store)  # VACUUM cannot run inside a transaction: it must get a connection of its own
    assert save_workplace(store, {"name": "Skolen 2"}).name == "Skolen 2"


@pytest.mark.postgres_only
def test_check_on_the_team_database_finds_a_missing_guard_and_an_unaudited_row(store: Store) -> None:
    assert store.url is not None
    url = store.url.render_as_string(hide_password=False)
    save_workplace(store, {"name": "Skolen"})
    healthy = trivsel("--db-url", url, "check")
    assert healthy.returncode == 0, healthy.stderr
    assert "pg_amcheck" in healthy.stdout and healthy.stdout.strip().endswith("Alt i orden.")
    with store.engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER audit_entry_no_delete ON audit_entry")
        connection.execute(Workplace.__table__.insert().values(name="Uden log", created_at=NOW, updated_at=NOW))  # type: ignore[attr-defined]
    broken = trivsel("--db-url", url, "check")
    assert broken.returncode == 1
    assert "audit_entry_no_delete" in broken.stdout and "workplace: 1" in broken.stdout
