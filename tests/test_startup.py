"""What start-up must not load: the ORM before the dashboard's first rows, typer for classify and info.

Not timed (timings are the benchmarks' job); these guard the import structure the timings rest on.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from trivsel_tui.store.store import Store


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_classify_and_info_run_without_typer_or_the_database_libraries(tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(
        json.dumps(
            {
                "occurred_at": "2026-03-02T10:00:00+01:00",
                "behaviours": ["kick"],
                "perpetrator": "citizen",
                "injury": "physical",
            }
        ),
        encoding="utf-8",
    )
    for args in (["classify", str(facts)], ["info", "--db", str(tmp_path / "none.sqlite3")]):
        code = (
            "import sys\n"
            f"sys.argv = ['trivsel', *{args!r}]\n"
            "from trivsel_tui.quick import main\n"
            "main()\n"
            "heavy = sorted(m for m in ('typer', 'click', 'pydantic', 'sqlalchemy', 'alembic') if m in sys.modules)\n"
            "print('HEAVY', heavy)\n"
        )
        result = run_python(code)
        assert result.returncode == 0, result.stderr
        assert "HEAVY []" in result.stdout, (args, result.stdout[-300:])


def test_unusual_calls_still_get_typers_help_and_errors() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "trivsel_tui", "classify", "--nope", "x"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2 and "--nope" in result.stderr


def test_dashboard_first_rows_need_no_orm_and_on_sqlite_no_sqlalchemy(store: Store) -> None:
    store.close()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from trivsel_tui.domain.rules import load_rules\n"
        "from trivsel_tui.screens.home import first_page\n"
        "from trivsel_tui.store.dashboard import DueFilters, DueQuery\n"
        "from trivsel_tui.store.store import Store\n"
        "import trivsel_tui.app\n"
        f"store = Store.open(Path({str(store.path)!r}), 'tester')\n"
        "first_page(store, DueQuery.from_rules(load_rules()), DueFilters(), 'due', False)\n"
        "print('ORM', sorted(m for m in ('sqlmodel', 'sqlalchemy', 'alembic') if m in sys.modules))\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert "ORM []" in result.stdout, result.stdout[-300:]


def test_due_on_a_current_file_loads_no_sqlalchemy(store: Store) -> None:
    """`trivsel due --json` streams the driver's rows: SQLAlchemy's import alone was a sixth of its time."""
    store.close()
    code = (
        "import sys, io\n"
        f"sys.argv = ['trivsel', 'due', '--json', '--db', {str(store.path)!r}]\n"
        "from trivsel_tui.quick import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print('HEAVY', sorted(m for m in ('sqlalchemy', 'sqlmodel', 'alembic') if m in sys.modules))\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("[") and "HEAVY []" in result.stdout, result.stdout[-300:]
