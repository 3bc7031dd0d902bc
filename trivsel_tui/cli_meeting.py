"""Meetings on the command line: `trivsel meeting agenda` prints the agenda a body's next meeting would
start from; `trivsel meeting minutes ID` exports a meeting's minutes (Markdown, or PDF with --pdf).

Registered on the `trivsel` app by cli.py.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from trivsel_tui.cli import DbOption, RulesOption, _existing_db, _open_store, cli
from trivsel_tui.cli_danish import DanishTyper
from trivsel_tui.quick import fail, rules_or_fail
from trivsel_tui.texts import t

if TYPE_CHECKING:
    from trivsel_tui.domain.meetings import Body
    from trivsel_tui.store.store import Store

meeting_cli = DanishTyper(help=t("cli_meeting.group"))
cli.add_typer(meeting_cli, name="meeting")


def _body(store: Store, kind: str, workplaces: list[str], name: str | None) -> Body:
    from trivsel_tui.domain.meetings import BODY_KINDS, Body
    from trivsel_tui.store.meetings import workplace_ids_by_name

    if kind not in BODY_KINDS:
        fail(t("meeting_errors.bad_body", body=kind), 2)
    if not workplaces:
        fail(t("meeting_errors.no_workplace"), 2)
    ids, missing = workplace_ids_by_name(store, workplaces)
    if missing:
        fail(t("meeting_errors.unknown_workplace", name=missing[0]), 2)
    return Body(kind, name or ", ".join(workplaces), tuple(ids))


@meeting_cli.command("agenda", help=t("cli_meeting.agenda"))
def agenda_command(
    body: Annotated[
        str, typer.Option("--body", help=t("cli_meeting.body_help"), metavar=t("cli_meeting.body_metavar"))
    ],
    workplace: Annotated[
        list[str] | None,
        typer.Option("--workplace", help=t("cli_meeting.workplace_help"), metavar=t("cli_meeting.name")),
    ] = None,
    attendee: Annotated[
        list[str] | None, typer.Option("--attendee", help=t("cli_meeting.attendee_help"), metavar=t("cli_meeting.name"))
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=t("cli_meeting.json_help"))] = False,
    db: DbOption = None,
    rules: RulesOption = None,
) -> None:
    from trivsel_tui.domain.meetings import Attendee
    from trivsel_tui.store.meeting_view import agenda_lines
    from trivsel_tui.store.meetings import known_people, preview_agenda

    rule_set = rules_or_fail(rules)
    store, _settings = _open_store(_existing_db(db))
    try:
        chosen = _body(store, body, list(workplace or ()), None)
        # A named attendee who is a known person keeps that person's role (a leader stays a leader).
        known = {p.name.casefold(): p for p in known_people(store, chosen.workplace_ids)}
        people = [known.get(name.strip().casefold(), Attendee(name.strip())) for name in attendee or ()]
        lines = agenda_lines(store, preview_agenda(store, rule_set, chosen, people, datetime.now(UTC)))
    finally:
        store.close()
    if as_json:
        items = [
            {
                "kind": line.kind,
                "title": line.heading,
                "reasons": list(line.reasons),
                "case": line.case,
                "workplace": line.workplace,
            }
            for line in lines
        ]
        json.dump(
            {"body": chosen.kind, "workplaces": list(workplace or ()), "items": items},
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
        return
    sys.stdout.write(t("cli_meeting.agenda_title", body=t(f"meeting_bodies.{chosen.kind}"), name=chosen.name) + "\n")
    for number, line in enumerate(lines, 1):
        why = ", ".join(t(f"meeting_reasons.{r}") for r in line.reasons if line.kind == "case")
        if line.kind == "withheld":
            why = t(f"meeting_withheld.{line.reasons[0]}")
        sys.stdout.write(f"{number:>3}. {line.heading}" + (f" – {why}" if why else "") + "\n")
    if not lines:
        sys.stdout.write(t("cli_meeting.agenda_empty") + "\n")


@meeting_cli.command("list", help=t("cli_meeting.list"))
def list_command(db: DbOption = None) -> None:
    from trivsel_tui.domain.clock import danish_day
    from trivsel_tui.store.meetings import list_meetings

    store, _settings = _open_store(_existing_db(db))
    try:
        rows = list_meetings(store)
    finally:
        store.close()
    for row in rows:
        status = t(f"meeting_status.{row.status}")
        body = t(f"meeting_bodies.{row.body_kind}")
        sys.stdout.write(f"{row.id:>4}  {danish_day(row.held_on)}  {status:<7} {body} {row.body_name}\n")


@meeting_cli.command("minutes", help=t("cli_meeting.minutes"))
def minutes_command(
    meeting_id: Annotated[int, typer.Argument(metavar="ID", help=t("cli_meeting.id_help"))],
    pdf: Annotated[Path | None, typer.Option("--pdf", help=t("cli_meeting.pdf_help"), dir_okay=False)] = None,
    md: Annotated[Path | None, typer.Option("--md", help=t("cli_meeting.md_help"), dir_okay=False)] = None,
    version: Annotated[
        int | None, typer.Option("--version", help=t("cli_meeting_correct.version_help"), metavar="N")
    ] = None,
    db: DbOption = None,
    rules: RulesOption = None,
) -> None:
    from trivsel_tui.locations import documents_dir
    from trivsel_tui.meeting_minutes import minutes_for, minutes_name, minutes_title, write_minutes

    rule_set = rules_or_fail(rules)
    store, _settings = _open_store(_existing_db(db))
    try:
        found = minutes_for(store, rule_set, meeting_id, datetime.now(UTC), version)
        exists = found is not None or _meeting_exists(store, meeting_id)
    finally:
        store.close()
    if found is None:
        missing = t("cli_meeting_correct.no_version", id=meeting_id, version=version)
        fail(missing if exists else t("meeting_errors.not_found", id=meeting_id), 2)
    markdown, detail = found
    default = documents_dir() / minutes_name(detail, "md", version)
    targets = [p for p in (pdf, md) if p is not None] or [default]
    for target in targets:
        as_pdf = target == pdf
        path = target.with_suffix(".pdf") if as_pdf and target.suffix.lower() != ".pdf" else target
        try:
            write_minutes(markdown, minutes_title(detail), path, as_pdf=as_pdf)
        except OSError as exc:
            fail(t("meeting_errors.cannot_write", path=path, error=exc.strerror or exc), 1)
        sys.stdout.write(t("cli_meeting.written", path=path) + "\n")


def _meeting_exists(store: Store, meeting_id: int) -> bool:
    from trivsel_tui.store.models import Meeting

    with store.read() as session:
        return session.get(Meeting, meeting_id) is not None


@meeting_cli.command("versions", help=t("cli_meeting_correct.versions"))
def versions_command(
    meeting_id: Annotated[int, typer.Argument(metavar="ID", help=t("cli_meeting.id_help"))],
    db: DbOption = None,
) -> None:
    from trivsel_tui.domain.clock import local
    from trivsel_tui.store.meeting_view import minutes_versions

    store, _settings = _open_store(_existing_db(db))
    try:
        exists = _meeting_exists(store, meeting_id)
        versions = minutes_versions(store, meeting_id)
    finally:
        store.close()
    if not exists:
        fail(t("meeting_errors.not_found", id=meeting_id), 2)
    if not versions:
        fail(t("cli_meeting_correct.no_versions", id=meeting_id), 2)
    for v in versions:
        made = local(v.made_at).strftime("%d-%m-%Y %H:%M")
        reason = " ".join(v.reason.split()) or t("meeting_versions.as_closed")
        sys.stdout.write(t("cli_meeting_correct.line", version=v.version, made=made, reason=reason) + "\n")


MAX_MINUTES_BYTES = 5 * 1024 * 1024  # minutes are text; anything larger is the wrong file


def _read_markdown(path: Path) -> str:
    """The corrected minutes from a file (or standard input for -), as text, or one Danish line and exit 2."""
    try:
        if str(path) == "-":
            raw = sys.stdin.buffer.read(MAX_MINUTES_BYTES + 1)
        else:
            with path.open("rb") as file:
                raw = file.read(MAX_MINUTES_BYTES + 1)
    except OSError as exc:
        fail(t("cli_meeting_correct.unreadable", path=path, error=exc.strerror or exc), 2)
    if len(raw) > MAX_MINUTES_BYTES:
        fail(t("cli_meeting_correct.too_big", path=path, limit=MAX_MINUTES_BYTES // (1024 * 1024)), 2)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        fail(t("cli_meeting_correct.not_text", path=path), 2)
    if "\x00" in text:
        fail(t("cli_meeting_correct.not_text", path=path), 2)
    return text


@meeting_cli.command("correct", help=t("cli_meeting_correct.correct"))
def correct_command(
    meeting_id: Annotated[int, typer.Argument(metavar="ID", help=t("cli_meeting.id_help"))],
    file: Annotated[
        Path, typer.Option("--file", help=t("cli_meeting_correct.file_help"), metavar=t("cli_meeting_correct.file"))
    ],
    reason: Annotated[
        str,
        typer.Option("--reason", help=t("cli_meeting_correct.reason_help"), metavar=t("cli_meeting_correct.reason")),
    ],
    db: DbOption = None,
) -> None:
    from trivsel_tui.store.meeting_view import CorrectionError, correct_minutes

    markdown = _read_markdown(file)
    store, _settings = _open_store(_existing_db(db))
    try:
        version = correct_minutes(store, meeting_id, markdown, reason)
    except LookupError:
        fail(t("meeting_errors.not_found", id=meeting_id), 2)
    except CorrectionError as exc:
        fail(str(exc), 2)
    finally:
        store.close()
    sys.stdout.write(t("cli_meeting_correct.corrected", version=version, id=meeting_id) + "\n")
