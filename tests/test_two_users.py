"""Two consultants on one team database (PostgreSQL): case numbers, drafts, who did it, the same task."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import URL

from tests.conftest import NOW, _admin
from tests.test_edit_conflicts import done_refused_while_open
from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.rules import Rules
from trivsel_tui.settings import Settings
from trivsel_tui.store.cases import EpisodeInput, add_task, load_draft, register_episode, save_draft
from trivsel_tui.store.dashboard import last_change
from trivsel_tui.store.drafts import has_draft
from trivsel_tui.store.queries import case_detail, save_workplace, search_cases
from trivsel_tui.store.store import Store

pytestmark = pytest.mark.postgres_only

DRAW_CASES = """
import sys
from datetime import datetime, UTC
from sqlalchemy.engine import make_url
from trivsel_tui.store.cases import EpisodeInput, register_episode
from trivsel_tui.store.store import Store

store = Store.open(make_url(sys.argv[1]), "ignored", lambda: datetime(2026, 11, 26, 9, tzinfo=UTC))
print("ready", flush=True)
sys.stdin.readline()  # both processes start drawing at the same moment
for _ in range(int(sys.argv[2])):
    register_episode(store, EpisodeInput(1, datetime(2026, 11, 20, tzinfo=UTC), "Person", "citizen"))
store.close()
"""


def test_two_processes_draw_case_numbers_without_collision(db_location: URL) -> None:
    store = Store.open(db_location, "tester", lambda: NOW)
    save_workplace(store, {"name": "Jobcentret"})
    url = db_location.render_as_string(hide_password=False)
    each = 15
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", DRAW_CASES, url, str(each)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for process in processes:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    refs = sorted(row.ref for row in search_cases(store, "", limit=100))
    assert refs == [f"2026-{n:04d}" for n in range(1, 2 * each + 1)]
    store.close()


@pytest.fixture
def logins(db_location: URL, postgres_server: URL) -> Iterator[tuple[URL, URL]]:
    """Two database roles with the app's privileges (roles belong to the server, so their names are unique)."""
    suffix = uuid.uuid4().hex[:8]
    names = (f"lene_{suffix}", f"bo_{suffix}")
    database = db_location.database
    for name in names:
        _admin(postgres_server, f"CREATE ROLE {name} LOGIN")
        grants = (
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}",
            f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {name}",
        )
        for grant in grants:
            _admin(db_location, grant)
    yield db_location.set(username=names[0]), db_location.set(username=names[1])
    _admin(postgres_server, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    for name in names:
        _admin(postgres_server, f"DROP ROLE IF EXISTS {name}")


def test_drafts_belong_to_the_user_who_typed_them(logins: tuple[URL, URL]) -> None:
    lene, bo = (Store.open(url, "same name in both settings files", lambda: NOW) for url in logins)
    save_draft(lene, "episode:new", {"affected_person": "Ida"})
    assert load_draft(lene, "episode:new") == {"affected_person": "Ida"} and has_draft(lene, "episode:")
    assert load_draft(bo, "episode:new") is None and not has_draft(bo, "episode:")
    lene.close()
    bo.close()


def test_the_audit_actor_is_the_database_login(logins: tuple[URL, URL]) -> None:
    lene = Store.open(logins[0], "Navn fra indstillingerne", lambda: NOW)
    workplace = save_workplace(lene, {"name": "Skolen"})
    register_episode(lene, EpisodeInput(workplace.id or 0, NOW, "Ida", "citizen"))
    with lene.connect() as connection:
        actors = set(connection.execute(text("SELECT actor FROM audit_entry")).scalars())
    assert actors == {logins[0].username}
    lene.close()


def test_the_dashboard_hears_of_another_users_change_without_asking(db_location: URL) -> None:
    lene, bo = Store.open(db_location, "x", lambda: NOW), Store.open(db_location, "x", lambda: NOW)
    first = last_change(lene)
    statements: list[str] = []
    event.listen(lene.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    assert [last_change(lene) for _ in range(3)] == [first] * 3
    assert statements == [], "while nothing changes, the 2-second check sends no query"
    save_workplace(bo, {"name": "Skolen"})
    deadline = time.monotonic() + 10
    while last_change(lene) == first and time.monotonic() < deadline:
        time.sleep(0.05)  # the server's notice is on its way; no UI is waiting here
    assert last_change(lene) > first
    lene.close()
    bo.close()


COMPLETE_TASK = """
import sys
from sqlalchemy.engine import make_url
from trivsel_tui.store.cases import complete_task
from trivsel_tui.store.store import Store

store = Store.open(make_url(sys.argv[1]), "ignored")
complete_task(store, int(sys.argv[2]), "Bo nåede det først")
store.close()
"""


async def test_a_task_saved_by_another_process_is_not_overwritten_and_the_text_stays(
    logins: tuple[URL, URL], settings: Settings, rules: Rules
) -> None:
    lene_url, bo_url = logins
    lene = Store.open(lene_url, "x", lambda: NOW)
    workplace = save_workplace(lene, {"name": "Plejecentret"})
    case_id, _episode = register_episode(lene, EpisodeInput(workplace.id or 0, NOW, "Ida", "citizen"))
    task_id = add_task(lene, case_id, "Tal med lederen", NOW + timedelta(days=3))
    app = TrivselApp(store=lene, settings=settings, rules=rules, clock=lambda: NOW)
    command = [sys.executable, "-c", COMPLETE_TASK, bo_url.render_as_string(hide_password=False), str(task_id)]

    def bo_saves() -> None:
        bo = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert bo.returncode == 0, bo.stderr

    async with app.run_test(size=(120, 40)) as pilot:
        await done_refused_while_open(app, pilot, case_id, bo_saves)
    detail = case_detail(lene, case_id)
    assert detail is not None and (detail.tasks[0].note, detail.tasks[0].done_by) == (
        "Bo nåede det først",
        bo_url.username,
    )
    lene.close()
