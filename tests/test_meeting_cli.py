"""`trivsel meeting agenda|list|minutes`: Danish output, one-line Danish errors, exit codes, files 0600."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader

from tests.conftest import NOW
from tests.meeting_data import AFFECTED, AMR, WITNESS, build, case_ref
from tests.test_cli import trivsel
from trivsel_tui.domain.rules import Rules
from trivsel_tui.store.meeting_view import meeting_detail
from trivsel_tui.store.meetings import DecisionInput, create_meeting, record_decision
from trivsel_tui.store.store import Store


def test_agenda_prints_items_and_withholds_a_party_without_naming_the_case(store: Store, rules: Rules) -> None:
    data = build(store, rules)
    citizen_ref = case_ref(store, data.citizen_case)
    db = str(store.path)
    base = ["meeting", "agenda", "--db", db, "--body", "arbejdsmiljoegruppe", "--workplace", "Børnehuset Solsikken"]
    result = trivsel(*base)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Dagsorden – Arbejdsmiljøgruppen Børnehuset Solsikken\n")
    assert f"Sag {citizen_ref} – ikke drøftet i organet før, opfølgning er overskredet" in result.stdout
    withheld = trivsel(*base, "--attendee", WITNESS, "--json")
    assert withheld.returncode == 0, withheld.stderr
    items = json.loads(withheld.stdout)["items"]
    assert items[0] == {
        "kind": "withheld",
        "title": "1 sag holdes uden for mødet",
        "reasons": ["party_attends"],
        "case": None,
        "workplace": None,
    }
    assert citizen_ref not in withheld.stdout and AFFECTED not in withheld.stdout


def test_meeting_cli_errors_are_one_danish_line(store: Store, rules: Rules) -> None:
    build(store, rules)
    db = str(store.path)
    cases = [
        (
            ["meeting", "agenda", "--db", db, "--body", "bestyrelse", "--workplace", "x"],
            "Ukendt mødeorgan »bestyrelse«",
        ),
        (["meeting", "agenda", "--db", db, "--body", "triogruppe"], "Angiv mindst én arbejdsplads"),
        (["meeting", "agenda", "--db", db, "--body", "triogruppe", "--workplace", "[b]Nej"], "»[b]Nej« findes ikke"),
        (["meeting", "minutes", "--db", db, "42"], "Mødet 42 findes ikke."),
    ]
    for args, message in cases:
        result = trivsel(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_minutes_export_as_markdown_and_pdf(store: Store, rules: Rules, tmp_path: Path) -> None:
    data = build(store, rules)
    meeting_id = create_meeting(store, rules, data.body, NOW.date(), data.attendees, NOW)
    detail = meeting_detail(store, rules, meeting_id, NOW)
    assert detail is not None
    first_case = next(s for s in detail.slides if s.heading == f"Sag {case_ref(store, data.citizen_case)}")
    record_decision(
        store, first_case.item_id, DecisionInput(f"{AFFECTED} tilbydes samtale – «tryghed» på ældreområdet", AMR)
    )
    pdf = tmp_path / "ud" / "referat.pdf"
    md = tmp_path / "ud" / "referat.md"
    result = trivsel("meeting", "minutes", "--db", str(store.path), str(meeting_id), "--pdf", str(pdf), "--md", str(md))
    assert result.returncode == 0, result.stderr
    assert f"Referatet er gemt: {pdf}" in result.stdout
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Medarbejder A tilbydes samtale – «tryghed» på ældreområdet" in text
    markdown = md.read_text(encoding="utf-8")
    assert "Medarbejder A tilbydes samtale" in markdown and AFFECTED not in markdown and "Mette" not in markdown
    assert pdf.stat().st_mode & 0o777 == 0o600 and md.stat().st_mode & 0o777 == 0o600
    default = trivsel("meeting", "minutes", "--db", str(store.path), str(meeting_id), env={"HOME": str(tmp_path)})
    assert default.returncode == 0, default.stderr
    written = Path(default.stdout.split(": ", 1)[1].strip())
    assert (
        written
        == tmp_path / "Documents" / "trivsel-tui" / "referat-arbejdsmiljøgruppen-børnehuset-solsikken-2026-11-26.md"
    )
    listing = trivsel("meeting", "list", "--db", str(store.path))
    assert f"{meeting_id:>4}  26-11-2026  åbent" in listing.stdout
