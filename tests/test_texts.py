"""The text catalogue: every key the code asks for exists (a missing one would crash the app)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trivsel_tui.texts import _catalogue, t

PACKAGE = Path(__file__).parent.parent / "trivsel_tui"
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_]+\.[a-z0-9_.]+)["']""")


def keys_used_in_code() -> set[str]:
    return {key for path in PACKAGE.rglob("*.py") for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))}


def test_the_scan_finds_the_keys() -> None:
    assert len(keys_used_in_code()) > 200


def test_every_literal_key_exists() -> None:
    missing = sorted(keys_used_in_code() - set(_catalogue("da")))
    assert missing == []


def test_a_missing_key_fails_loudly() -> None:
    with pytest.raises(KeyError):
        t("no.such_key")


@pytest.mark.parametrize("key", ["keys.new_episode", "dashboard.summary", "documents.insubiz"])
def test_texts_are_danish_and_formattable(key: str) -> None:
    text = _catalogue("da")[key]
    assert text.strip()
    names = re.findall(r"{(\w+)", text)
    t(key, **dict.fromkeys(names, "x")) if names else t(key)


# Keys built at run time (t(f"audit.entity_{entity}") …) are walked from the enumerations that feed them.
DYNAMIC_KEY = re.compile(r"""\bt\(\s*f["']([a-z0-9_.]*)\{""")


def dynamic_keys() -> dict[str, set[str]]:
    from trivsel_tui.domain.due import MARKERS
    from trivsel_tui.domain.timeline import FIELD_LABELS
    from trivsel_tui.domain.wizard import CONDITIONS
    from trivsel_tui.quick import _JSON_PROBLEMS
    from trivsel_tui.store.audit import AUDITED, NOT_LOGGED
    from trivsel_tui.store.models import Episode

    return {
        "audit.entity_": {f"audit.entity_{model.__tablename__}" for model in AUDITED},
        "audit.": {f"audit.{action}" for action in ("create", "update", "delete")},
        "dashboard.state_": {f"dashboard.state_{state}" for state in MARKERS},
        "relative_days.": {"relative_days.today", "relative_days.tomorrow", "relative_days.days_over"},
        "cli.json_problems.": {f"cli.json_problems.{key}" for key in [*_JSON_PROBLEMS.values(), "other"]},
        "rules_graph.if_": {f"rules_graph.if_{condition}" for condition in CONDITIONS},
        # Every logged column of an episode (the facts and the classification) is named in the timeline.
        "audit_fields.": {
            f"audit_fields.episode.{column.name}"
            for column in Episode.__table__.columns  # type: ignore[attr-defined]
            if column.name not in NOT_LOGGED and column.name != "id"
        },
        "timeline_fields.": {f"timeline_fields.{field}" for field in FIELD_LABELS},
    }


def test_every_audited_entity_and_action_has_a_text() -> None:
    missing = sorted(key for keys in dynamic_keys().values() for key in keys if key not in _catalogue("da"))
    assert missing == []


def test_the_dynamic_prefixes_in_the_code_are_known() -> None:
    found = {prefix for path in PACKAGE.rglob("*.py") for prefix in DYNAMIC_KEY.findall(path.read_text("utf-8"))}
    assert {"audit.entity_", "audit.", "dashboard.state_"} <= found
    # Every other dynamic prefix must at least name a catalogue section that exists.
    sections = {key.rsplit(".", 1)[0] + "." for key in _catalogue("da")} | set(_catalogue("da"))
    unknown = sorted(p for p in found if not any(s.startswith(p) for s in sections))
    assert unknown == []
