"""Migrations form one chain: unique revision ids, each down_revision exists, one head.

Two engineers once landed two different migrations both named "0007"; alembic silently kept one.
"""

from __future__ import annotations

import re
from pathlib import Path

VERSIONS = Path(__file__).parent.parent / "trivsel_tui" / "store" / "migrations" / "versions"


def test_migrations_form_one_chain() -> None:
    revisions: dict[str, str | None] = {}
    for path in sorted(VERSIONS.glob("[0-9]*.py")):
        text = path.read_text(encoding="utf-8")
        revision = re.search(r'^revision = "(\w+)"', text, re.M)
        down = re.search(r'^down_revision = (?:"(\w+)"|None)', text, re.M)
        assert revision and down, path.name
        assert revision.group(1) not in revisions, f"revision {revision.group(1)} twice ({path.name})"
        assert path.name.startswith(revision.group(1)), f"{path.name} holds revision {revision.group(1)}"
        revisions[revision.group(1)] = down.group(1)
    downs = [d for d in revisions.values() if d is not None]
    assert set(downs) <= set(revisions), "a down_revision points at nothing"
    assert len(downs) == len(set(downs)), "two migrations branch from the same revision"
    assert len(set(revisions) - set(downs)) == 1, "more than one head"
