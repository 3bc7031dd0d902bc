"""Statistics on a database with known counts: the SQL, `trivsel stats`, CSV, XLSX and the annual report
agree with each other and with the counts; small numbers stay hidden in everything meant for sharing."""

from __future__ import annotations

import csv
import io
import json
import stat
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from tests import statistics_data as known
from tests.conftest import NOW
from tests.suppression_oracle import recoverable
from trivsel_tui.domain.rules import Rules
from trivsel_tui.statistics_report import episode_table
from trivsel_tui.store.models import AuditEntry, Episode
from trivsel_tui.store.statistics import StatFilters, count_episodes, prevention_status, task_performance
from trivsel_tui.store.store import Store


@pytest.fixture
def data(store: Store, rules: Rules) -> dict[str, int]:
    return known.build(store, rules)


def trivsel(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trivsel_tui", *args], capture_output=True, text=True, timeout=120, encoding="utf-8"
    )


@pytest.mark.both_databases
def test_episodes_carry_their_counting_fields(data: dict[str, int], store: Store) -> None:
    with store.read() as session:
        episode = session.exec(select(Episode).where(Episode.perpetrator == "colleague")).first()
    assert episode is not None
    assert (episode.occurred_month, episode.categories, episode.types) == (
        202610,
        ",bullying_degrading,",
        ",degrading_treatment,",
    )
    assert episode.insurance_report is None and episode.police_relevant is False


@pytest.mark.both_databases
def test_sql_counts_match_the_known_database(data: dict[str, int], store: Store, rules: Rules) -> None:
    everything = StatFilters()
    by = {
        dims: {g.keys: g.episodes for g in count_episodes(store, dims, everything, tuple(rules.categories)).groups}
        for dims in (("workplace",), ("category",), ("month",))
    }
    assert by[("workplace",)] == {(k,): v for k, v in known.BY_WORKPLACE.items()}
    assert by[("category",)] == {(k,): v for k, v in known.BY_CATEGORY.items()}
    assert by[("month",)] == {(k,): v for k, v in known.BY_MONTH.items()}
    total = count_episodes(store, (), everything)
    assert (total.total, total.absence_days) == (known.TOTAL, known.ABSENCE_DAYS)


@pytest.mark.both_databases
def test_filters_narrow_the_counts(data: dict[str, int], store: Store) -> None:
    october = StatFilters(start=date(2026, 10, 1), end=date(2026, 10, 31))
    assert count_episodes(store, (), october).total == 13
    assert count_episodes(store, (), StatFilters(workplace_ids=(data[known.SKOLEN],))).total == 7
    assert count_episodes(store, (), StatFilters(categories=("sexual_harassment",))).total == 3
    assert count_episodes(store, (), StatFilters(perpetrators=("colleague",))).total == 7


@pytest.mark.both_databases
def test_change_per_month_and_the_shareable_table(data: dict[str, int], store: Store, rules: Rules) -> None:
    own = episode_table(store, rules, ("month",), StatFilters(), shareable=False)
    assert [(r.keys[0], own.cell(r), r.change) for r in own.rows] == [
        ("2026-09", 6, None),
        ("2026-10", 13, 7),
        ("2026-11", 3, -10),
    ]
    shared = episode_table(store, rules, ("workplace",), StatFilters(), shareable=True)
    assert {r.keys[0]: shared.cell(r) for r in shared.rows} == {
        known.JOBCENTER: 12,
        known.SKOLEN: "skjult",
        known.PLEJECENTER: "<5",
    }
    assert shared.total_cell() == known.TOTAL


@pytest.mark.both_databases
def test_deadline_performance_and_prevention(data: dict[str, int], store: Store) -> None:
    performance = {row.kind: row for row in task_performance(store, StatFilters(), NOW, "notat").kinds}
    insurance = performance["insurance_report"]
    # 12 violence + 3 sexual episodes get an Insubiz task; none is done in the test data.
    assert insurance.total == 15 and insurance.on_time == 0
    assert insurance.overdue + insurance.pending == 15
    prevention = {w.name: w for w in prevention_status(store)}
    assert prevention[known.JOBCENTER].violence_plan is True
    assert prevention[known.PLEJECENTER].violence_plan is False


def test_trivsel_stats_json_agrees_with_the_known_counts(data: dict[str, int], db_path: Path) -> None:
    result = trivsel("stats", "--db", str(db_path), "--by", "workplace", "--json")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert {r["workplace"]: r["episodes"] for r in printed["rows"]} == known.BY_WORKPLACE
    assert printed["total"] == {"episodes": known.TOTAL, "absence_days": known.ABSENCE_DAYS}
    assert printed["note"] == "Præcise tal – kun til eget brug"


def test_trivsel_stats_shareable_hides_small_numbers_and_their_complement(data: dict[str, int], db_path: Path) -> None:
    result = trivsel("stats", "--db", str(db_path), "--by", "workplace", "--json", "--shareable")
    assert result.returncode == 0, result.stderr
    rows = {r["workplace"]: r["episodes"] for r in json.loads(result.stdout)["rows"]}
    assert rows == {known.JOBCENTER: 12, known.SKOLEN: "skjult", known.PLEJECENTER: "<5"}
    shown = [v for v in rows.values() if isinstance(v, int)]
    assert known.TOTAL - sum(shown) == 10, "the total minus the shown cells is the sum of two hidden cells, not 3"


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Danish Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_csv_and_xlsx_exports_agree_with_json_and_are_private_and_audited(
    data: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    csv_path, xlsx_path = tmp_path / "statistik.csv", tmp_path / "statistik.xlsx"
    for path in (csv_path, xlsx_path):
        result = trivsel("stats", "--db", str(db_path), "--by", "category,month", "--out", str(path))
        assert result.returncode == 0, result.stderr
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    printed = json.loads(trivsel("stats", "--db", str(db_path), "--by", "category,month", "--json").stdout)
    expected = [[r["category_label"], r["month_label"], r["episodes"]] for r in printed["rows"]]

    rows = read_csv(csv_path.read_bytes())
    assert rows[0] == ["Kategori", "Måned", "Episoder", "Fraværsdage", "Ændring"]
    assert [[r[0], r[1], int(r[2])] for r in rows[1:-1]] == expected
    assert rows[-1][:3] == ["I alt", "", str(known.TOTAL)]

    sheet = load_workbook(xlsx_path).active
    assert sheet is not None
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert [[r[0], r[1], r[2]] for r in cells[1:-1]] == expected
    assert ("Vold og trusler", "2026-10", 6) in {tuple(r) for r in expected}

    engine_store = Store(db_path, "tester")
    with engine_store.read() as session:
        exports = session.exec(select(AuditEntry).where(AuditEntry.entity == "export")).all()
    engine_store.engine.dispose()
    assert sorted(e.changes["what"][1] for e in exports) == ["stats.csv", "stats.xlsx"]
    assert all(e.changes["path"][1].startswith(str(tmp_path)) for e in exports)


def test_stats_errors_are_danish_one_liners(data: dict[str, int], db_path: Path, tmp_path: Path) -> None:
    cases: list[tuple[list[str], str]] = [
        (["--by", "colour"], "ukendt opdeling colour"),
        (["--by", "category,type"], "kan ikke kombineres"),
        (["--from", "32-01-2026"], "--from"),
        (["--workplace", "Findes ikke"], "ingen arbejdsplads hedder"),
        (["--category", "violence"], "--category: ukendt værdi"),
        (["--out", str(tmp_path / "x.docx")], "--out: filen skal ende på"),
        (["--out", str(tmp_path / "no-such-folder" / "x.csv")], "kan ikke skrive"),
        (["--json", "--csv"], "enten --json eller --csv"),
    ]
    for args, message in cases:
        result = trivsel("stats", "--db", str(db_path), *args)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr


def test_annual_report_pdf_and_markdown_hold_the_tables(data: dict[str, int], db_path: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    pdf_path, md_path = tmp_path / "årsrapport.pdf", tmp_path / "årsrapport.md"
    for path in (pdf_path, md_path):
        result = trivsel("report", "--db", str(db_path), "--year", "2026", "--out", str(path))
        assert result.returncode == 0, result.stderr
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = " ".join(page.extract_text() for page in PdfReader(pdf_path).pages)
    markdown = md_path.read_text(encoding="utf-8")
    for document in (text, markdown):
        assert "Årsrapport 2026" in document
        assert "Episoder pr. arbejdsplads" in document
        assert known.JOBCENTER in document and "Plejecenter Åbrinken" in document
        assert "Vold og trusler" in document and "Uønsket seksuel opmærksomhed" in document
        assert "<5" in document and "skjult" in document
        assert "–" in document and "æ" in document and "ø" in document
    assert f"| {known.JOBCENTER} | 12 |" in markdown
    assert "| Plejecenter Åbrinken | <5 | <5 |" in markdown
    assert "| Skolen | skjult |" in markdown
    assert "3" not in _row(markdown, "Plejecenter Åbrinken | <5"), "the small count itself is nowhere in its row"


def _row(markdown: str, start: str) -> str:
    return next(line for line in markdown.splitlines() if line.startswith(f"| {start}"))


def test_markdown_report_keeps_hostile_workplace_names_literal(store: Store, rules: Rules, db_path: Path) -> None:
    from trivsel_tui.store.queries import save_workplace

    hostile = "<script>|**fed**|[link](x)"
    workplace = save_workplace(store, {"name": hostile})
    for day in range(6):
        known.add_episode(store, rules, workplace.id or 0, datetime(2026, 3, 1 + day, tzinfo=UTC), "blow", "citizen")
    result = trivsel("report", "--db", str(db_path), "--year", "2026")
    assert result.returncode == 0, result.stderr
    line = _row(result.stdout, "\\<script")
    assert line.count(" | ") == 2, "the name's | cannot add columns"
    assert "\\*\\*fed\\*\\*" in line and "\\[link\\]" in line


def test_migration_fills_the_counting_fields_of_existing_episodes(tmp_path: Path) -> None:
    import sqlite3

    from trivsel_tui.store.migrate import upgrade

    path = tmp_path / "old.sqlite3"
    old = Store(path, "tester")
    upgrade(old.engine, "0005")
    old.engine.dispose()
    raw = sqlite3.connect(path)
    raw.execute(
        "INSERT INTO workplace (id, name, unit, med_level, risk_violence_citizens, risk_sexual_citizens,"
        " leader_name, amr_name, tr_name, local_adaptation_decision, created_at, updated_at)"
        " VALUES (1, 'W', '', '', 0, 0, '', '', '', '', '2026-01-01', '2026-01-01')"
    )
    raw.execute(
        'INSERT INTO "case" (id, ref, workplace_id, affected_person, affected_job, consultant, status,'
        " close_reason, created_at, updated_at) VALUES (1, 'R', 1, 'P', '', '', 'open', '', '2026-01-01',"
        " '2026-01-01')"
    )
    classification = {
        "types": ["threat"],
        "categories": ["violence_threats"],
        "insurance_report": "violation",
        "police_report": {"relevant": False, "deadline": None},
    }
    for episode_id, occurred, result in (
        (1, "2026-10-31 23:30:00.000000", json.dumps(classification)),  # 1 November in Copenhagen
        (2, "2026-03-01 12:00:00.000000", None),  # not classified yet
    ):
        raw.execute(
            "INSERT INTO episode (id, case_id, occurred_at, place, description, behaviours, perpetrator, injury,"
            " grounds, witnesses, reported_by, classification, override_reason, created_at, updated_at)"
            " VALUES (?, 1, ?, '', '', '[]', 'citizen', 'none', '[]', '', '', ?, '', '2026-01-01', '2026-01-01')",
            (episode_id, occurred, result),
        )
    raw.commit()
    raw.close()
    upgraded = Store.open(path, "tester", lambda: NOW)
    with upgraded.read() as session:
        rows = [
            (e.occurred_month, e.categories, e.types, e.insurance_report, e.police_relevant)
            for e in session.exec(select(Episode).order_by(Episode.id))
        ]
    upgraded.close()
    assert rows == [(202611, ",violence_threats,", ",threat,", "violation", False), (202603, "", "", None, None)]


@pytest.mark.both_databases
def test_open_tasks_by_owner_role_follow_the_engines_rule(data: dict[str, int], store: Store, rules: Rules) -> None:
    from trivsel_tui.statistics_report import load_owners
    from trivsel_tui.store.models import Task

    with store.read() as session:
        open_tasks = session.exec(select(Task).where(Task.done_at == None)).all()  # noqa: E711
    owners = {o.owner: o for o in load_owners(store, rules, StatFilters(), NOW)}
    assert sum(o.open for o in owners.values()) == len(open_tasks)
    assert set(owners) <= set(rules.owners)
    assert "next_leader" not in owners, "no case is about a leader yet"
    known.add_episode(store, rules, data[known.SKOLEN], datetime(2026, 11, 20, 9, tzinfo=UTC), "ridicule", "manager")
    after = {o.owner: o for o in load_owners(store, rules, StatFilters(), NOW)}
    leader_tasks = after.get("leader")
    assert "next_leader" in after, "the leader's tasks in a case about the leader go to the leader's leader"
    assert (leader_tasks.open if leader_tasks else 0) == (owners["leader"].open if "leader" in owners else 0)


def test_shareable_tables_of_one_selection_cannot_be_subtracted_from_each_other(
    data: dict[str, int], db_path: Path
) -> None:
    """`--by workplace,quarter --shareable` beside the workplace, unit and quarter tables (the screen's and
    the report's): the old per-table protection hid Plejecenter's K4 (3) with Jobcenter's K3 and K4, but the
    quarter table's K3 = 6 is Jobcenter's only K3 cell, the workplace table's Jobcenter = 12 then gives its K4,
    and K4 = 16 minus Jobcenter's 6 and Skolen's 7 gives Plejecenter's 3."""
    published: dict[tuple[str, ...], dict[tuple[str, ...], str]] = {}
    for by in ("workplace,quarter", "workplace", "quarter", "unit", "month"):
        result = trivsel("stats", "--db", str(db_path), "--by", by, "--json", "--shareable")
        assert result.returncode == 0, result.stderr
        printed = json.loads(result.stdout)
        dims = tuple(printed["by"])
        published[dims] = {tuple(r[d] for d in dims): r["episodes"] for r in printed["rows"] if r["episodes"] in HIDDEN}
        published[()] = {(): printed["total"]["episodes"]} if printed["total"]["episodes"] in HIDDEN else {}
    assert published[("workplace", "quarter")][(known.PLEJECENTER, "2026-K4")] == "<5"
    assert recoverable(known.BY_WORKPLACE_AND_MONTH, known.UNITS, published) == []


HIDDEN = ("<5", "skjult")
