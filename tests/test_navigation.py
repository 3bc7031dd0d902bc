"""Where the keys lead: global keys land on a screen's root, and the draft question cannot be typed away."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlmodel import select
from textual import events
from textual.widgets import Input

from tests.conftest import NOW, settle
from trivsel_tui.app import TrivselApp
from trivsel_tui.dialogs.draft_prompt import DraftPromptScreen
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.case_view import CaseViewScreen
from trivsel_tui.screens.cases import CasesScreen
from trivsel_tui.screens.episode_form import EpisodeFormScreen
from trivsel_tui.screens.home import HomeScreen
from trivsel_tui.screens.workplaces import WorkplacesScreen
from trivsel_tui.settings import Settings
from trivsel_tui.store.cases import load_draft, save_draft
from trivsel_tui.store.demo import generate_demo
from trivsel_tui.store.models import Case
from trivsel_tui.store.queries import save_workplace
from trivsel_tui.store.store import Store

SIZE = (120, 40)
DRAFT = {"workplace": "Jobcenter", "place": "venterum", "_saved_at": NOW.isoformat()}


def make_app(store: Store, settings: Settings, rules: Rules) -> TrivselApp:
    return TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)


async def test_global_keys_land_on_the_root_from_deep_inside_a_case(
    store: Store, settings: Settings, rules: Rules
) -> None:
    generate_demo(store, rules, 10, 1, NOW)
    with store.read() as session:
        case = session.exec(select(Case).order_by(Case.id)).first()
    assert case is not None and case.id is not None
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(app, pilot)
        app.open_case(case.id)  # a case opened from the case list …
        await settle(app, pilot)
        assert isinstance(app.screen, CaseViewScreen)
        await pilot.press("a")  # … then the workplaces …
        await settle(app, pilot)
        assert isinstance(app.screen, WorkplacesScreen)
        await pilot.press("s")  # … and back to the case list: its root, not the old case
        await settle(app, pilot)
        assert isinstance(app.screen, CasesScreen)
        assert len(app.screen_stack) == 1
        app.open_case(case.id)
        await settle(app, pilot)
        await pilot.press("escape")  # out of nothing typed: the case view goes back …
        await settle(app, pilot)
        app.open_case(case.id)
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, CasesScreen) and len(app.screen_stack) == 1


async def test_escape_leaves_the_case_search_so_the_global_keys_work(
    store: Store, settings: Settings, rules: Rules
) -> None:
    generate_demo(store, rules, 10, 1, NOW)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(app, pilot)
        await pilot.press(*"Ha")  # letters in the search box are a search
        assert app.screen.query_one("#filter", Input).value == "Ha"
        await pilot.press("escape", "a")
        await settle(app, pilot)
        assert isinstance(app.screen, WorkplacesScreen)


async def test_typing_fast_after_n_never_answers_the_draft_question(
    store: Store, settings: Settings, rules: Rules
) -> None:
    save_draft(store, "episode:new", DRAFT)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", *"Anne Nielsen", "tab", "enter")  # no pause: typed before the question shows
        await settle(app, pilot)
        assert isinstance(app.screen, EpisodeFormScreen), "Enter continues with the draft"
        assert app.screen.query_one("#workplace", Input).value == "Jobcenter"
        assert app.screen.query_one("#place", Input).value == "venterum"
    assert load_draft(store, "episode:new") is not None


async def test_escape_on_the_draft_question_keeps_the_draft(store: Store, settings: Settings, rules: Rules) -> None:
    save_draft(store, "episode:new", DRAFT)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, DraftPromptScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, DraftPromptScreen)
        await pilot.press("ctrl+k")  # only a deliberate key discards
        await settle(app, pilot)
        assert isinstance(app.screen, EpisodeFormScreen)
        assert app.screen.query_one("#place", Input).value == ""
    assert load_draft(store, "episode:new") is None


async def test_typing_right_after_n_without_a_draft_reaches_the_form(
    store: Store, settings: Settings, rules: Rules
) -> None:
    save_workplace(store, {"name": "Jobcenter"})
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", *"Jobc")
        await settle(app, pilot)
        assert app.screen.query_one("#workplace", Input).value == "Jobc"


async def test_letters_typed_while_the_form_reads_its_workplaces_are_kept(
    store: Store, settings: Settings, rules: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The form holds keys twice (reading its workplaces, then a possible draft): the second hold must not
    drop what the first one kept (a slow disk made the first read take long enough to type into)."""
    from trivsel_tui.screens import episode_form

    save_workplace(store, {"name": "Jobcenter"})
    read_may_finish = threading.Event()
    slow_start = episode_form.form_start

    def form_start(*args: object) -> object:
        read_may_finish.wait(10)
        return slow_start(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(episode_form, "form_start", form_start)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for key in "nJobc":
            app.post_message(events.Key(key, key))
        await pilot.pause()
        read_may_finish.set()
        await settle(app, pilot)
        assert app.screen.query_one("#workplace", Input).value == "Jobc"


async def test_n_in_the_dashboard_search_is_a_letter(store: Store, settings: Settings, rules: Rules) -> None:
    """`n` is a priority key (above): in a search field it must still be typed, not open the form."""
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"Ann")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#search", Input).value == "Ann"


@pytest.mark.parametrize("between_keys", [0, 0.05], ids=["one read", "a fast typist"])
async def test_letters_typed_with_n_reach_the_form_in_order(
    store: Store, settings: Settings, rules: Rules, between_keys: float
) -> None:
    """Seen in tmux: `nJobc` in one read left the field empty (the letters reached the dashboard's list),
    and keys 50 ms apart gave 'bc' or even 'boc' (sent to the form before anything in it had focus)."""
    save_workplace(store, {"name": "Jobcenter"})
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for key in "nJobc":
            app.post_message(events.Key(key, key))
            await asyncio.sleep(between_keys)  # the typist's pace, not a wait for the UI
        await settle(app, pilot)
        assert app.screen.query_one("#workplace", Input).value == "Jobc"


async def test_the_dashboard_says_when_a_draft_waits(store: Store, settings: Settings, rules: Rules) -> None:
    save_workplace(store, {"name": "Jobcenter"})
    save_draft(store, "episode:new", DRAFT)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        note = app.screen.query_one("#draft-waiting")
        assert note.display
        assert "kladde" in str(note.render())


async def test_letters_typed_in_the_episode_form_stay_in_the_form(
    store: Store, settings: Settings, rules: Rules
) -> None:
    """o, a, s and h are global keys everywhere else; in a form they are letters of a word."""
    save_workplace(store, {"name": "Jobcenter"})
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press(*"Hos sao")
        await settle(app, pilot)
        assert isinstance(app.screen, EpisodeFormScreen)
        assert app.screen.query_one("#workplace", Input).value == "Hos sao"


async def test_s_lands_in_the_case_search_even_after_the_list_had_the_focus(
    store: Store, settings: Settings, rules: Rules
) -> None:
    """Found in tmux: back on the case list the table kept the focus, so typing a name after `s` ran
    the letters as global keys ('o' left for the dashboard, 'n' opened a new episode)."""
    generate_demo(store, rules, 10, 1, NOW)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(app, pilot)
        await pilot.press("escape")  # into the list
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("s", *"Lone")
        await settle(app, pilot)
        assert isinstance(app.screen, CasesScreen)
        assert app.screen.query_one("#filter", Input).value == "Lone"


async def test_tab_takes_the_grey_workplace_completion_and_moves_on(
    store: Store, settings: Settings, rules: Rules
) -> None:
    """Found in tmux: "jobc" showed "Jobcenter" in grey, Tab moved on and left "jobc", an unknown workplace."""
    save_workplace(store, {"name": "Jobcenter"})
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press(*"jobc")
        await settle(app, pilot)
        await pilot.press("tab")
        await settle(app, pilot)
        assert app.screen.query_one("#workplace", Input).value == "Jobcenter"
        assert app.focused is not None and app.focused.id == "occurred"
        await pilot.press("shift+tab")
        app.screen.query_one("#workplace", Input).value = "Nyt sted"
        await pilot.press("tab")  # nothing to complete: Tab only moves on
        await settle(app, pilot)
        assert app.screen.query_one("#workplace", Input).value == "Nyt sted"
        assert app.focused is not None and app.focused.id == "occurred"
