"""Issue 12's small things: --db before or after the command, risk checkboxes readable without colour,
the description's cursor at the end of restored text, singular and plural counts, long wizard lists
numbered and chosen by number, and the Insubiz summary's reporting deadline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Checkbox, OptionList, Static, TextArea

from tests.conftest import NOW, settle
from tests.test_legal_deadlines import make_app, violent_case
from trivsel_tui.dialogs.document import DocumentScreen
from trivsel_tui.dialogs.draft_prompt import DraftPromptScreen
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.wizard import WizardScreen
from trivsel_tui.settings import Settings
from trivsel_tui.store.cases import EpisodeInput, register_episode
from trivsel_tui.store.queries import save_workplace
from trivsel_tui.store.revisions import head_revision
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t

SIZE = (120, 40)


def trivsel(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "trivsel_tui", *args], capture_output=True, text=True, timeout=60)


def test_db_works_before_and_after_the_command(store: Store, rules: Rules, db_path: Path) -> None:
    violent_case(store, rules)
    store.close()
    after = trivsel("due", "--db", str(db_path), "--json", "--as-of", NOW.isoformat())
    before = trivsel("--db", str(db_path), "due", "--json", "--as-of", NOW.isoformat())
    assert before.returncode == after.returncode == 0, before.stderr
    assert json.loads(before.stdout) == json.loads(after.stdout) != []
    info = trivsel("--db", str(db_path), "info")
    assert str(db_path) in info.stdout and head_revision() in info.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("classify", "-"), "bruges ikke af »trivsel classify«"),
        (("rules", "table"), "bruges ikke af »trivsel rules«"),
        (("due", "--db", "other.sqlite3"), "både før og efter"),
    ],
)
def test_db_where_it_cannot_apply_is_refused_clearly(db_path: Path, args: tuple[str, ...], says: str) -> None:
    result = trivsel("--db", str(db_path), *args)
    assert result.returncode == 2
    assert says in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


async def test_risk_checkboxes_read_without_colour(store: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press("plus")
        await settle(app, pilot)
        violence, sexual = app.screen.query(Checkbox).results(Checkbox)
        violence.focus()
        await pilot.press("space")
        await pilot.pause()
        assert violence.value and not sexual.value
        # The glyphs, not the colours: what a NO_COLOR terminal or a projector shows.
        assert "X" in violence.render().plain and "X" not in sexual.render().plain


async def test_restored_description_continues_where_it_ends(store: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#description", TextArea).focus()
        await pilot.press(*"Slag mod")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, DraftPromptScreen)
        await pilot.press("enter")
        await pilot.pause()
        area = app.screen.query_one("#description", TextArea)
        area.focus()
        await pilot.press(*" armen")
        assert area.text == "Slag mod armen"


def test_counts_take_the_singular_for_one() -> None:
    assert t("cases.count", shown=1) == "1 sag vist"
    assert t("cases.count", shown=2) == "2 sager vist"
    summary = t("dashboard.summary", overdue=1, week=1, days=1, total=1, open_cases=1, gaps=1)
    assert "inden for 1 dag · 1 frist i alt · 1 åben sag · 1 arbejdsplads mangler handleplan" in summary
    assert "1.234 arbejdspladser" in t(
        "dashboard.summary", overdue=0, week=0, days=7, total=0, open_cases=0, gaps="1.234"
    )
    assert t("close_case.open_tasks", count=1) == "Sagen har 1 åben opgave:"


async def test_case_list_says_one_case(store: Store, settings: Settings, rules: Rules) -> None:
    violent_case(store, rules)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(app, pilot)
        shown = " ".join(str(s.content) for s in app.screen.query(Static).results(Static))
        assert "1 sag vist" in shown


async def test_long_wizard_lists_are_numbered_and_chosen_by_two_digits(
    store: Store, settings: Settings, rules: Rules
) -> None:
    workplace = save_workplace(store, {"name": "Lyngbo"})
    assert workplace.id is not None
    _case, episode_id = register_episode(store, EpisodeInput(workplace.id, NOW, "Mette", "citizen"))
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(WizardScreen(episode_id))
        await settle(app, pilot)
        await pilot.press("1", "enter")  # physical violence: the next list has 13 behaviours
        await pilot.pause()
        answers = app.screen.query_one("#wizard-answers", OptionList)
        assert answers.option_count == 13
        prompts = [str(answers.get_option_at_index(i).prompt) for i in range(13)]
        assert prompts[11].startswith("☐ 12. ") and prompts[0].startswith("☐  1. "), "numbers beyond 9, aligned"
        await pilot.press("5")  # no second digit can follow 5: ticked at once, and highlighted
        assert answers.highlighted == 4 and "☑" in str(answers.get_option_at_index(4).prompt)
        await pilot.press("1", "2")  # 12
        assert answers.highlighted == 11 and "☑" in str(answers.get_option_at_index(11).prompt)
        assert "☐" in str(answers.get_option_at_index(0).prompt), "the 1 of 12 is not ticked"
        await pilot.press("1")  # could become 10–13: only highlighted ...
        assert answers.highlighted == 0 and "☐" in str(answers.get_option_at_index(0).prompt)
        await pilot.press("space")  # ... and ticked with Space
        assert "☑" in str(answers.get_option_at_index(0).prompt)
        assert isinstance(app.screen, WizardScreen)


async def test_the_insubiz_summary_shows_its_reporting_deadline(store: Store, settings: Settings, rules: Rules) -> None:
    case_id = violent_case(store, rules)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        app.open_case(case_id)
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, DocumentScreen)
        assert "*Anmeldelsesfrist:* onsdag 9. december 2026 kl. 23:59 (lovbestemt frist)" in app.screen.markdown
