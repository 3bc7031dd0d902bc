"""Correcting a closed meeting's minutes: a new, audited version from the meeting screen (k) or the
command line (`trivsel meeting correct`), the typed text kept as a draft, and every old version still
readable and exportable (v on the meeting, `trivsel meeting minutes ID --version N`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select
from textual.widgets import DataTable, Input, TextArea

from tests.conftest import NOW, settle
from tests.meeting_data import AFFECTED, build
from tests.test_cli import trivsel
from tests.test_meeting_screen import make_app, screen_text
from trivsel_tui.domain.rules import Rules
from trivsel_tui.meeting_minutes import minutes_for
from trivsel_tui.messages import OpenMeeting
from trivsel_tui.settings import Settings
from trivsel_tui.store.meeting_view import CorrectionError, correct_minutes, meeting_detail, minutes_versions
from trivsel_tui.store.meetings import DecisionInput, close_meeting, create_meeting, record_decision
from trivsel_tui.store.models import AuditEntry, MeetingMinutes
from trivsel_tui.store.store import Store

WRONG_DUE = "frist: 15-12-2026"
RIGHT_DUE = "frist: 15-01-2027"


def closed_meeting(store: Store, rules: Rules, close: bool = True) -> tuple[int, str]:
    """A meeting with one decision whose new action item got the wrong due date; closed: version 1."""
    data = build(store, rules)
    meeting_id = create_meeting(store, rules, data.body, NOW.date(), data.attendees, NOW)
    detail = meeting_detail(store, rules, meeting_id, NOW)
    assert detail is not None
    decision = DecisionInput(
        "Tryghedsvandring", "AMR", True, "Alarm i gangen", "Lene", NOW.date().replace(month=12, day=15)
    )
    record_decision(store, detail.slides[0].item_id, decision)
    markdown, _detail = minutes_for(store, rules, meeting_id, NOW)  # type: ignore[misc]
    assert WRONG_DUE in markdown
    if close:
        close_meeting(store, meeting_id, markdown)
    return meeting_id, markdown


def screen_all(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join("".join(s.text for s in strip) for strip in app.screen._compositor.render_strips())


async def test_correct_closed_minutes_from_the_meeting_screen_and_export_the_old_version(
    store: Store, settings: Settings, rules: Rules, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "eksport"
    monkeypatch.setattr("trivsel_tui.screens.meeting.documents_dir", lambda: folder)
    meeting_id, first = closed_meeting(store, rules)
    corrected = first.replace(WRONG_DUE, RIGHT_DUE)
    app = make_app(store, settings, rules)
    async with app.run_test(size=(80, 24)) as pilot:
        app.post_message(OpenMeeting(meeting_id))
        await settle(app, pilot)
        footer = screen_all(app).splitlines()[-1]  # a closed meeting offers its minutes' keys, not decisions
        assert "Ret referat" in footer and "Versioner" in footer and "Beslutning" not in footer
        await pilot.press("question_mark")
        await settle(app, pilot)
        help_text = screen_all(app)
        assert "Ret referat" in help_text and "Versioner" in help_text
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("k")
        await settle(app, pilot)
        assert app.screen.query_one(TextArea).text == first
        assert "Ctrl+S gemmer som version 2" in screen_all(app)
        # Unchanged text and no reason: both say what is wrong, nothing is saved.
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        errors = screen_all(app)
        assert "Skriv hvorfor referatet rettes" in errors and "Teksten er den samme som version 1" in errors
        app.screen.query_one("#reason", Input).value = "Forkert frist for alarmen"
        app.screen.query_one(TextArea).text = corrected
        await settle(app, pilot)
        await pilot.press("escape")  # leaves, keeping what was typed as a draft
        await settle(app, pilot)
        assert type(app.screen).__name__ == "MeetingScreen"
        await pilot.press("k")
        await settle(app, pilot)
        await pilot.press("enter")  # continue the draft
        await settle(app, pilot)
        assert app.screen.query_one(TextArea).text == corrected
        assert app.screen.query_one("#reason", Input).value == "Forkert frist for alarmen"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "MeetingScreen"
        assert "REFERAT VERSION 2" in screen_text(app, "#meeting-position")
        await pilot.press("v")
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        assert app.screen.query_one(TextArea).text == corrected  # the newest first
        await pilot.press("down")
        await settle(app, pilot)
        assert app.screen.query_one(TextArea).text == first  # the old version, still readable
        await pilot.press("e")
        await settle(app, pilot)
        await pilot.press("e")  # and the newest, from the meeting screen
        await settle(app, pilot)
    with store.read() as session:
        versions = session.exec(select(MeetingMinutes).order_by(col(MeetingMinutes.version))).all()
        audited = session.exec(
            select(AuditEntry).where(AuditEntry.entity == "meeting_minutes", AuditEntry.action == "create")
        ).all()
    assert [(v.version, v.reason) for v in versions] == [(1, ""), (2, "Forkert frist for alarmen")]
    assert versions[0].markdown == first and versions[1].markdown == corrected
    assert audited[-1].actor == "tester" and audited[-1].changes["reason"] == [None, "Forkert frist for alarmen"]
    names = sorted(f.name for f in folder.iterdir())
    stem = "referat-arbejdsmiljøgruppen-børnehuset-solsikken-2026-11-26"
    assert names == [f"{stem}-version-1.md", f"{stem}-version-1.pdf", f"{stem}.md", f"{stem}.pdf"]
    assert (folder / f"{stem}-version-1.md").read_text(encoding="utf-8") == first
    assert (folder / f"{stem}.md").read_text(encoding="utf-8") == corrected
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in folder.iterdir())


async def test_an_open_meeting_has_no_minutes_to_correct(store: Store, settings: Settings, rules: Rules) -> None:
    meeting_id, _markdown = closed_meeting(store, rules, close=False)
    app = make_app(store, settings, rules)
    async with app.run_test(size=(80, 24)) as pilot:
        app.post_message(OpenMeeting(meeting_id))
        await settle(app, pilot)
        footer = screen_all(app).splitlines()[-1]
        assert "Beslutning" in footer and "Ret referat" not in footer
        for key in ("k", "v"):  # an open meeting has no stored minutes: nothing opens
            await pilot.press(key)
            await settle(app, pilot)
            assert type(app.screen).__name__ == "MeetingScreen"
        assert any("ingen gemte versioner" in str(n.message) for n in app._notifications)
    with pytest.raises(CorrectionError, match="er ikke lukket"):
        correct_minutes(store, meeting_id, "# Nyt", "Fordi")
    assert minutes_versions(store, meeting_id) == []


def test_correct_and_read_versions_on_the_command_line(store: Store, rules: Rules, tmp_path: Path) -> None:
    meeting_id, first = closed_meeting(store, rules)
    db = str(store.path)
    fixed = tmp_path / "rettet.md"
    fixed.write_text(first.replace(WRONG_DUE, RIGHT_DUE), encoding="utf-8")
    result = trivsel(
        "meeting", "correct", str(meeting_id), "--file", str(fixed), "--reason", "Forkert frist", "--db", db
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Referatet er rettet: version 2 af møde {meeting_id} er gemt.\n"
    listed = trivsel("meeting", "versions", str(meeting_id), "--db", db)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) == 2 and lines[0].endswith("Som mødet blev lukket") and lines[1].endswith("Forkert frist")
    old = tmp_path / "v1.md"
    exported = trivsel("meeting", "minutes", str(meeting_id), "--version", "1", "--md", str(old), "--db", db)
    assert exported.returncode == 0, exported.stderr
    assert old.read_text(encoding="utf-8") == first
    newest = tmp_path / "v2.md"
    assert trivsel("meeting", "minutes", str(meeting_id), "--md", str(newest), "--db", db).returncode == 0
    assert RIGHT_DUE in newest.read_text(encoding="utf-8")


def test_meeting_correct_errors_are_one_danish_line(store: Store, rules: Rules, tmp_path: Path) -> None:
    meeting_id, first = closed_meeting(store, rules)
    db = str(store.path)
    same = tmp_path / "same.md"
    same.write_text(first, encoding="utf-8")
    binary = tmp_path / "bin.md"
    binary.write_bytes(b"\xff\xfe\x00 ikke tekst")
    base = ["meeting", "correct", "--db", db]
    cases = [
        ([*base, str(meeting_id), "--file", str(same), "--reason", "x"], "Teksten er den samme som version 1"),
        ([*base, str(meeting_id), "--file", str(same), "--reason", "  "], "Skriv hvorfor referatet rettes"),
        ([*base, str(meeting_id), "--file", str(binary), "--reason", "x"], "er ikke en tekstfil i UTF-8"),
        ([*base, str(meeting_id), "--file", str(tmp_path / "nej.md"), "--reason", "x"], "Kan ikke læse"),
        ([*base, "42", "--file", str(same), "--reason", "x"], "Mødet 42 findes ikke."),
        (["meeting", "minutes", "--db", db, str(meeting_id), "--version", "7"], "har ingen referat-version 7"),
    ]
    for args, message in cases:
        result = trivsel(*args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert message in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert [v.version for v in minutes_versions(store, meeting_id)] == [1]
    assert AFFECTED not in first
