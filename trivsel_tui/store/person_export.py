"""The person's right of access (GDPR art. 15): everything the database holds about one person.

A person has no row of their own: they appear by name – as the affected employee a case is about,
as a party to a case (another affected employee, the person the case is about, a witness), as the
employee of an individual talk, as a witness, as the one who reported an episode, named in a text,
as a workplace's leader, AMR or TR, or as the user who made changes. The export finds every row
whose text names them (case and accent-insensitive for letters: casefold), with each case's opened
audit history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from trivsel_tui.store import audit, text_keys
from trivsel_tui.store.models import (
    ActionItem,
    ActionPlan,
    AuditEntry,
    Case,
    CaseNote,
    CaseParty,
    Episode,
    EpisodeOutcome,
    IndividualTalk,
    Task,
    Workplace,
)
from trivsel_tui.store.private import write_private_text
from trivsel_tui.store.session import StoreSession
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t

CASE_ROLES = {"affected_person": "affected", "consultant": "consultant"}
EPISODE_ROLES = {"witnesses": "witness", "reported_by": "reported_by"}
PARTY_ROLES = {"affected": "affected", "subject": "subject", "witness": "witness"}
TALK_ROLES = {"employee": "talk"}
WORKPLACE_ROLES = {"leader_name": "leader", "amr_name": "amr", "tr_name": "tr"}
# The engine's reasoning is not data about the person; search keys only repeat the names.
NOT_EXPORTED = frozenset({"classification", "version"})  # version: an edit counter, no data about them


class PersonExportError(ValueError):
    """Nothing to export, or a name too short to search for; the message is Danish."""


@dataclass(frozen=True)
class PersonExport:
    data: dict[str, Any]
    case_refs: tuple[str, ...]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj: Any) -> dict[str, Any]:
    return {
        name: _plain(value)
        for name, value in obj.model_dump().items()
        if name not in NOT_EXPORTED and name not in text_keys.KEY_COLUMNS
    }


def _names(text: object, needle: str) -> bool:
    return isinstance(text, str) and needle in text.casefold()


def _mentions(obj: Any, needle: str) -> list[str]:
    return [name for name, value in _row(obj).items() if _names(value, needle)]


def _role(row: Any, field: str, roles_by_field: dict[str, str]) -> str:
    if isinstance(row, CaseParty) and field == "name":
        return PARTY_ROLES.get(row.role, "mentioned")
    return roles_by_field.get(field, "mentioned")


def collect_person(store: Store, name: str) -> PersonExport:
    needle = name.strip().casefold()
    if len(needle) < 3:
        raise PersonExportError(t("person_export.too_short"))
    with store.read() as session:
        roles: dict[int, set[str]] = {}
        for case in session.exec(select(Case)):
            found = {CASE_ROLES.get(field, "mentioned") for field in _mentions(case, needle)}
            if found:
                roles.setdefault(case.id or 0, set()).update(found)
        row: Any
        searched: tuple[tuple[type[Any], dict[str, str]], ...] = (
            (Episode, EPISODE_ROLES),
            (CaseNote, {}),
            (Task, {}),
            (IndividualTalk, TALK_ROLES),
            (CaseParty, {}),
        )
        for model, roles_by_field in searched:
            for row in session.exec(select(model)):
                found = {_role(row, field, roles_by_field) for field in _mentions(row, needle)}
                if found and row.case_id is not None:
                    roles.setdefault(row.case_id, set()).update(found)
        cases = [_case_export(session, case_id, sorted(found)) for case_id, found in sorted(roles.items())]
        workplaces = [
            {"name": workplace.name, "roles": sorted(WORKPLACE_ROLES.get(f, "mentioned") for f in mentioned)}
            for workplace in session.exec(select(Workplace))
            if (mentioned := _mentions(workplace, needle))
        ]
        acted = [entry for entry in session.exec(select(AuditEntry)) if entry.actor.casefold() == needle]
    if not cases and not workplaces and not acted:
        raise PersonExportError(t("person_export.nothing", name=name))
    data = {
        "person": name,
        "cases": cases,
        "workplaces": workplaces,
        "changes_made_by_person": len(acted),
    }
    return PersonExport(data, tuple(case["case"]["ref"] for case in cases))


def _case_export(session: StoreSession, case_id: int, roles: list[str]) -> dict[str, Any]:
    case = session.get(Case, case_id)
    assert case is not None
    plans = session.exec(select(ActionPlan).where(ActionPlan.case_id == case_id)).all()
    items = session.exec(select(ActionItem).where(col(ActionItem.plan_id).in_([p.id for p in plans]))).all()
    entries = audit.case_entries(session, case_id)
    history = [
        {"at": _plain(e.at), "actor": e.actor, "entity": e.entity, "action": e.action, "changes": values}
        for e, values in zip(entries, audit.opened_changes(session, entries), strict=True)
    ]
    return {
        "roles": roles,
        "case": _row(case),
        "episodes": [_row(e) for e in session.exec(select(Episode).where(Episode.case_id == case_id))],
        "notes": [_row(n) for n in session.exec(select(CaseNote).where(CaseNote.case_id == case_id))],
        "tasks": [_row(task) for task in session.exec(select(Task).where(Task.case_id == case_id))],
        "parties": [_row(p) for p in session.exec(select(CaseParty).where(CaseParty.case_id == case_id))],
        "talks": [_row(k) for k in session.exec(select(IndividualTalk).where(IndividualTalk.case_id == case_id))],
        "outcomes": [_row(o) for o in session.exec(select(EpisodeOutcome).where(EpisodeOutcome.case_id == case_id))],
        "plan_items": [_row(item) for item in items],
        "history": history,
    }


SECTIONS = {
    "case": "person_export.section_case",
    "episodes": "person_export.section_episodes",
    "notes": "person_export.section_notes",
    "tasks": "person_export.section_tasks",
    "parties": "person_export.section_parties",
    "talks": "person_export.section_talks",
    "outcomes": "person_export.section_outcomes",
    "plan_items": "person_export.section_plan_items",
}


def to_markdown(export: PersonExport, made_at: str) -> str:
    data = export.data
    lines = [f"# {t('person_export.title', name=data['person'])}", "", t("person_export.intro", at=made_at), ""]
    for case in data["cases"]:
        roles = ", ".join(t(f"person_export.role_{role}") for role in case["roles"])
        lines += [f"## {t('person_export.case', ref=case['case']['ref'], roles=roles)}", ""]
        for section, heading in SECTIONS.items():
            rows = case[section] if isinstance(case[section], list) else [case[section]]
            if rows:
                lines += [f"### {t(heading)}", ""]
                for row in rows:
                    lines += [f"- **{key}**: {_md(value)}" for key, value in row.items() if value not in (None, "", [])]
                    lines.append("")
        lines += [f"### {t('person_export.section_history')}", ""]
        for entry in case["history"]:
            shown = t("person_export.erased") if entry["changes"] is None else _md(entry["changes"])
            lines.append(f"- {entry['at']} · {_md(entry['actor'])} · {entry['entity']} {entry['action']}: {shown}")
        lines.append("")
    if data["workplaces"]:
        lines += [f"## {t('person_export.workplaces')}", ""]
        for workplace in data["workplaces"]:
            roles = ", ".join(t(f"person_export.role_{role}") for role in workplace["roles"])
            lines.append(f"- {_md(workplace['name'])}: {roles}")
        lines.append("")
    lines.append(t("person_export.actor", count=data["changes_made_by_person"]))
    return "\n".join(lines) + "\n"


def _md(value: Any) -> str:
    """A value as one Markdown line: no line breaks, and Markdown's own characters shown literally."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return "".join(f"\\{char}" if char in "\\`*_[]<>#|" else char for char in text)


def write_person_export(store: Store, name: str, folder: Path, stamp: str) -> tuple[Path, Path, PersonExport]:
    """Markdown and JSON, 0600, named by time only (the file name must not carry the name); audited."""
    export = collect_person(store, name)
    markdown = write_private_text(folder / f"indsigt-{stamp}.md", to_markdown(export, stamp))
    as_json = write_private_text(
        folder / f"indsigt-{stamp}.json", json.dumps(export.data, ensure_ascii=False, indent=2)
    )
    with store.write() as session:
        # Unsealed and without the name: it says that an access request was answered, not for whom.
        session.add(
            AuditEntry(
                at=store.clock(),
                actor=store.actor,
                entity="export",
                entity_id=0,
                action="export_person",
                changes={"cases": [None, list(export.case_refs)], "path": [None, str(markdown)]},
            )
        )
    return markdown, as_json, export
