"""Control characters are removed where text is stored, and made visible where old text is shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.conftest import NOW
from trivsel_tui.domain.control_chars import strip_controls, visible_controls
from trivsel_tui.store import audit as store_audit
from trivsel_tui.store.cases import EpisodeInput, add_note, load_draft, register_episode, save_draft
from trivsel_tui.store.models import AuditEntry, CaseNote, Episode, Workplace
from trivsel_tui.store.queries import save_workplace
from trivsel_tui.store.store import Store

OSC52 = "\x1b]52;c;SGFjaw==\x07"


def test_strip_keeps_line_breaks_only_where_the_field_is_multiline() -> None:
    assert strip_controls(f"A{OSC52}B\x9b2J\x7f", multiline=False) == "A]52;c;SGFjaw==B2J"
    assert strip_controls("linje 1\r\nlinje 2\rlinje 3\ttab", multiline=True) == "linje 1\nlinje 2\nlinje 3\ttab"
    assert strip_controls("linje 1\nlinje 2\ttab", multiline=False) == "linje 1 linje 2 tab"
    assert (
        strip_controls("Pia/Ole [AMR] 👩\u200d👩\u200d👧 שלום", multiline=False)
        == "Pia/Ole [AMR] 👩\u200d👩\u200d👧 שלום"
    )


def test_visible_controls_keeps_length_and_layout() -> None:
    shown = visible_controls(f"a{OSC52}b\x9bc\n\td")
    assert shown == "a␛]52;c;SGFjaw==␇b\ufffdc\n\td"
    assert len(shown) == len(f"a{OSC52}b\x9bc\n\td")


@pytest.mark.both_databases
def test_every_write_through_the_store_is_cleaned(store: Store) -> None:
    workplace = save_workplace(store, {"name": f"Skolen{OSC52}", "leader_name": "Ib\nHansen"})
    assert workplace.id is not None
    case_id, _ = register_episode(
        store,
        EpisodeInput(workplace.id, NOW - timedelta(hours=1), "Ida\x1b[2J", "citizen", description=f"Slag\r\n{OSC52}"),
    )
    add_note(store, case_id, "note\x9b31m\nlinje 2")
    save_draft(store, "episode:new", {"description": f"kladde{OSC52}", "nested": ["x\x1by"]})
    with store.read() as session:
        stored = session.get(Workplace, workplace.id)
        episode = session.exec(select(Episode)).one()
        note = session.exec(select(CaseNote).where(CaseNote.kind == "note")).one()
        audit = store_audit.opened_changes(session, list(session.exec(select(AuditEntry))))
    assert stored is not None
    assert (stored.name, stored.leader_name) == ("Skolen]52;c;SGFjaw==", "Ib Hansen")
    assert episode.description == "Slag\n]52;c;SGFjaw=="
    assert note.text == "note31m\nlinje 2"
    assert load_draft(store, "episode:new") == {"description": "kladde]52;c;SGFjaw==", "nested": ["xy"]}
    assert not any(char in repr(audit) for char in ("\x1b", "\\x1b", "\\u001b", "\x9b")), "the audit log is clean too"
