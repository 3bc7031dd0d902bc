"""The schema revisions this version knows, read from the migration files' text (no alembic, no SQLAlchemy),
so that `trivsel info` and opening a current file stay cheap."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

# `revision = "0005"`, `down_revision: str | None = "0004"` or `= None`, as alembic writes them.
_REVISION = re.compile(r"""^(down_revision|revision)\s*(?::[^=\n]*)?=\s*(?:["']([^"']*)["']|None)\s*$""", re.MULTILINE)


@cache
def revisions() -> dict[str, str | None]:
    """Each migration's revision and the one it follows, read from the files without importing them."""
    graph: dict[str, str | None] = {}
    for file in resources.files("trivsel_tui.store.migrations").joinpath("versions").iterdir():
        if file.name.endswith(".py") and not file.name.startswith("__"):
            found = {key: value or None for key, value in _REVISION.findall(file.read_text(encoding="utf-8"))}
            graph[str(found["revision"])] = found.get("down_revision")
    return graph


def head_revision() -> str:
    graph = revisions()
    (head,) = set(graph) - set(graph.values())
    return head
