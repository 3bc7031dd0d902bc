"""Stored search and sort keys beside the texts people search and sort by.

Every field named in KEYED has two sibling columns, `<field>_search` (case-folded) and
`<field>_sort` (Danish order, see domain.danish_text). They are computed in Python when a row
is written — by the ORM hook below or, for bulk inserts, by `with_keys` — so a query only
compares stored strings (a Python function called from SQL per row took 8 s at 100k cases).
"""

from __future__ import annotations

from typing import Any

from trivsel_tui.domain.danish_text import search_key, sort_key

KEYED: dict[str, tuple[str, ...]] = {
    "workplace": ("name", "leader_name"),
    "case": ("affected_person", "consultant"),
    "task": ("title", "owner"),
    "action_item": ("measure", "responsible"),
}
KEY_COLUMNS = frozenset(
    f"{field}_{kind}" for fields in KEYED.values() for field in fields for kind in ("search", "sort")
)


def __getattr__(name: str) -> Any:
    """SORT_KEY_TYPE, made on first use: the dashboard's first rows use this module without SQLAlchemy."""
    if name == "SORT_KEY_TYPE":
        from sqlalchemy import String

        # Byte order is the Danish order only if the database compares bytes: PostgreSQL needs "C" collation.
        return String().with_variant(String(collation="C"), "postgresql")
    raise AttributeError(name)


LIKE_ESCAPE = "\\"


def keys_for(table: str, values: dict[str, Any]) -> dict[str, str]:
    """The key columns for `values` (a row of `table`); only for the keyed fields present."""
    keys = {}
    for field in KEYED.get(table, ()):
        if field in values:
            text = values[field] or ""
            keys[f"{field}_search"] = search_key(text)
            keys[f"{field}_sort"] = sort_key(text)
    return keys


def with_keys(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A row for a bulk insert, with its keys added."""
    return {**row, **keys_for(table, row)}


def _fill_keys(_mapper: Any, _connection: Any, target: Any) -> None:
    table = target.__tablename__
    for column, value in keys_for(table, {f: getattr(target, f) for f in KEYED[table]}).items():
        setattr(target, column, value)


def install(models: list[type[Any]]) -> None:
    """Keep the keys current on every ORM insert and update of the keyed tables."""
    from sqlalchemy import event

    for model in models:
        event.listen(model, "before_insert", _fill_keys)
        event.listen(model, "before_update", _fill_keys)


def like_escape(text: str) -> str:
    """`text` with LIKE's wildcards taken literally (use with ESCAPE LIKE_ESCAPE)."""
    return text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


def contains_pattern(text: str) -> str:
    """A LIKE pattern for a `_search` column: the folded text anywhere, wildcards taken literally."""
    return f"%{like_escape(search_key(text.strip()))}%"


def typo_patterns(text: str) -> list[str]:
    """LIKE patterns that tolerate one typo: the letters in order with gaps allowed (a missing
    letter), and the same with any one letter left out (an extra or wrong letter)."""
    folded = search_key(text.strip())
    variants = {folded} | {folded[:i] + folded[i + 1 :] for i in range(len(folded))} if len(folded) >= 4 else set()
    return sorted("%" + "%".join(like_escape(char) for char in variant) + "%" for variant in variants)
