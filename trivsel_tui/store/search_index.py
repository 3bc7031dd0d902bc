"""The dashboard's substring index (migration 0020): which open tasks a search can match, found without
reading every open task.

A search that matches many rows fills the first page from the first few hundred open tasks in due order,
so the plain walk (every arm's LIKE over the stored search keys) is fast for it. A search that matches few
rows made that walk read all of them (~70,000 at 100k cases). For those, the task arm starts from the
candidates the index gives: open tasks whose title or owner contains the text, and the open tasks of
cases whose ref or affected person contains it or whose workplace's name does. The dashboard's own LIKE
still decides every row, so the index only narrows; the rows and their order are those of the walk.

The index is FTS5 with the trigram tokenizer on SQLite, narrow tables with pg_trgm GIN indexes on
PostgreSQL (without pg_trgm, the narrow tables alone). A trigram index cannot look up fewer than three
characters, and an SQLite without FTS5 trigram has no index: those searches walk, correct, only slower.
"""

from __future__ import annotations

from trivsel_tui.domain.danish_text import search_key
from trivsel_tui.store.dialect import is_postgres
from trivsel_tui.store.store import Store
from trivsel_tui.store.text_keys import LIKE_ESCAPE

SHORTEST = 3  # a trigram index looks up three characters or more
# Above this many candidates (open tasks, plus cases whose tasks are candidates) the walk in due order
# finds a page sooner than the candidates are gathered and sorted (measured at 100k cases: gathering
# 1,000 cases' tasks takes ~2.5 ms, the walk ~70 ms when almost nothing matches).
FEW = 2000

_LIKE = f"LIKE :f_search ESCAPE '{LIKE_ESCAPE}'"
_WORKPLACE_CASES = f"""SELECT c2.id FROM "case" c2 WHERE c2.workplace_id IN
    (SELECT w2.id FROM workplace w2 WHERE w2.name_search {_LIKE})"""
# Per database: the open tasks whose own keys contain the text, and the cases whose keys contain it. The
# index tables (migration 0020) hold each source row's keys under its id: FTS5 tables matched by phrase on
# SQLite, narrow tables with pg_trgm GIN indexes searched with the same LIKE on PostgreSQL.
_MATCHING = {
    "sqlite": (
        "SELECT rowid AS id FROM task_search_index WHERE task_search_index MATCH :f_phrase",
        "SELECT rowid AS id FROM case_search_index WHERE case_search_index MATCH :f_phrase",
    ),
    "postgresql": (
        f"SELECT id FROM task_search_index WHERE title_search {_LIKE} OR owner_search {_LIKE}",
        f"SELECT id FROM case_search_index WHERE ref {_LIKE} OR affected_person_search {_LIKE}",
    ),
}
PRESENT = {
    "sqlite": "SELECT 1 FROM sqlite_master WHERE name = 'task_search_index'",
    "postgresql": "SELECT 1 WHERE to_regclass('task_search_index') IS NOT NULL",
}


# `trivsel check`: the triggers that keep the index tables in step, and how many rows are out of step. SQLite's
# contentless FTS tables keep no values to compare, only which rows they hold (the _docsize table, by id).
INDEX_TABLES = ("task_search_index", "case_search_index")
TRIGGERS = {
    "sqlite": tuple(f"{name}_{event}" for name in INDEX_TABLES for event in ("insert", "update", "delete")),
    "postgresql": tuple(f"{name}_sync" for name in INDEX_TABLES),
}
_OPEN_TASKS = "SELECT id FROM task WHERE done_at IS NULL"
STALE_SQL = {
    "sqlite": f"""SELECT
        (SELECT count(*) FROM ({_OPEN_TASKS}) AS t WHERE id NOT IN (SELECT id FROM task_search_index_docsize))
        + (SELECT count(*) FROM task_search_index_docsize WHERE id NOT IN ({_OPEN_TASKS}))
        + (SELECT count(*) FROM "case" WHERE id NOT IN (SELECT id FROM case_search_index_docsize))
        + (SELECT count(*) FROM case_search_index_docsize WHERE id NOT IN (SELECT id FROM "case"))""",
    "postgresql": f"""SELECT
        (SELECT count(*) FROM task t LEFT JOIN task_search_index s ON s.id = t.id WHERE t.done_at IS NULL
            AND (s.id IS NULL OR s.title_search <> t.title_search OR s.owner_search <> t.owner_search))
        + (SELECT count(*) FROM task_search_index WHERE id NOT IN ({_OPEN_TASKS}))
        + (SELECT count(*) FROM "case" c LEFT JOIN case_search_index s ON s.id = c.id
            WHERE s.id IS NULL OR s.ref <> c.ref OR s.affected_person_search <> c.affected_person_search)
        + (SELECT count(*) FROM case_search_index WHERE id NOT IN (SELECT id FROM "case"))""",
}


def candidates_sql(dialect: str) -> str:
    """The ids of every open task the search can match in the dashboard's task arm (and maybe a few more)."""
    tasks, cases = _MATCHING[dialect]
    return f"""{tasks} UNION SELECT t4.id FROM task t4 WHERE t4.done_at IS NULL AND t4.case_id IN
        ({cases} UNION ALL {_WORKPLACE_CASES})"""


def narrows(store: Store, search: str, params: dict[str, object]) -> bool:
    """Whether the task arm should start from the index's candidates for `search`; if so, `params` gets
    the parameters candidates_sql needs (f_search, the LIKE pattern, must be there already)."""
    key = search_key(search.strip())
    if len(key) < SHORTEST or not has_index(store):
        return False
    dialect = "postgresql" if is_postgres(store.dialect_name) else "sqlite"
    params["f_phrase"] = '"' + key.replace('"', '""') + '"'  # FTS5: one phrase, every character literal
    tasks, cases = _MATCHING[dialect]
    capped = [f"(SELECT count(*) FROM ({part} LIMIT :few) AS capped)" for part in (tasks, cases, _WORKPLACE_CASES)]
    ((found,),) = store.fetch(f"SELECT {' + '.join(capped)}", {**params, "few": FEW})
    return int(found) < FEW


def has_index(store: Store) -> bool:
    """Whether migration 0020 could make the index here (asked once per store)."""
    if store.has_search_index is None:
        dialect = "postgresql" if is_postgres(store.dialect_name) else "sqlite"
        store.has_search_index = bool(store.fetch(PRESENT[dialect]))
    return store.has_search_index


def purge_deleted(store: Store) -> None:
    """Rewrite the SQLite index without the entries of deleted rows: FTS5 only marks a deleted row, and its
    trigrams would stay in the file until a merge (kassation must leave nothing). On PostgreSQL the
    triggers delete the index table's row, and VACUUM cleans it and its GIN index like any other."""
    if is_postgres(store.dialect_name) or not has_index(store):
        return
    from trivsel_tui.store.db import writer

    with writer(store.engine).begin() as connection:
        for table in ("task_search_index", "case_search_index"):
            connection.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('optimize')")
