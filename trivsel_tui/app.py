"""The Textual application: global keys, modes, command palette, theme, and navigation.

This is the only module that imports screens: screens ask for the next screen with a message
(messages.py), and the handlers below decide how to show it. Store failures from any screen end
in `data_failed` (see seam.py).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from datetime import datetime
from typing import Any, ClassVar, cast

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, TextArea

from trivsel_tui.commands import CaseProvider, palette, system_commands
from trivsel_tui.crash import CrashSafeApp
from trivsel_tui.domain.control_chars import strip_controls
from trivsel_tui.domain.rules import Rules
from trivsel_tui.messages import (
    ClassifyEpisode,
    DashboardShown,
    EditWorkplace,
    Landing,
    NewHandleplan,
    OpenCase,
    OpenCaseRecords,
    OpenMeeting,
    OpenPlan,
    OwnsKeyboard,
    RegisterEpisode,
)
from trivsel_tui.screens.home import FirstPage, HomeScreen, ask_ahead
from trivsel_tui.settings import Settings
from trivsel_tui.store.errors import failure_text_key
from trivsel_tui.store.store import Store, utc_now
from trivsel_tui.store.views import WorkplaceView
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import shown

# Only the dashboard is imported up front: the app must show its first rows fast. The other
# screens are imported when first shown, here and only here.


def freeze_what_start_up_made() -> None:
    """Once per process, after the first rows and the ORM's import: what start-up made lives as long as the
    app, and Python's full collections walked all of it again and again (~200 ms in the middle of a
    dashboard keystroke at 100k cases). Frozen, they walk only what was made since."""
    if not gc.get_freeze_count():
        gc.freeze()


def _cases() -> Screen[None]:
    from trivsel_tui.screens.cases import CasesScreen

    return CasesScreen()


def _workplaces() -> Screen[None]:
    from trivsel_tui.screens.workplaces import WorkplacesScreen

    return WorkplacesScreen()


def _plans() -> Screen[None]:
    from trivsel_tui.screens.plans import PlansScreen

    return PlansScreen()


def _retention() -> Screen[None]:
    from trivsel_tui.screens.retention import RetentionScreen

    return RetentionScreen()


def _meetings() -> Screen[None]:
    from trivsel_tui.screens.meetings import MeetingsScreen

    return MeetingsScreen()


def _statistics() -> Screen[None]:
    from trivsel_tui.screens.statistics import StatisticsScreen

    return StatisticsScreen()


FAILURE_NOTICE_SECONDS = 12  # long enough to read two sentences
BACKUP_NOTICE_SECONDS = 15

LETTER_ACTIONS = frozenset({"go", "new_episode", "quit"})


class TrivselApp(CrashSafeApp, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = t("app.title")
    COMMANDS = App.COMMANDS | {CaseProvider}
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        "home": HomeScreen,
        "cases": _cases,
        "workplaces": _workplaces,
        "plans": _plans,
        "statistics": _statistics,
        "retention": _retention,
        "meetings": _meetings,
    }
    DEFAULT_MODE = "home"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "go('home')", t("keys.home"), id="home", tooltip=t("keys.home")),
        # A priority key: the app opens the form in its own turn, so letters that arrive with `n` wait for the
        # form instead of reaching the list below it (check_action leaves `n` to a focused text field).
        Binding(
            "n", "new_episode", t("keys.new_episode"), id="new_episode", tooltip=t("keys.new_episode"), priority=True
        ),
        Binding("s", "go('cases')", t("keys.cases"), id="cases", tooltip=t("keys.cases")),
        Binding("a", "go('workplaces')", t("keys.workplaces"), id="workplaces", tooltip=t("keys.workplaces")),
        Binding("h", "go('plans')", t("keys.plans"), id="plans", tooltip=t("keys.plans")),
        Binding("v", "go('statistics')", t("keys.statistics"), id="statistics", tooltip=t("keys.statistics")),
        Binding("m", "go('meetings')", t("keys.meetings"), id="meetings", tooltip=t("keys.meetings")),
        Binding("b", "go('retention')", t("keys.retention"), id="retention", tooltip=t("keys.retention")),
        Binding("question_mark", "help", t("keys.help"), id="help", key_display="?", tooltip=t("keys.help")),
        Binding("q", "quit", t("keys.quit"), id="quit", tooltip=t("keys.quit")),
        Binding(
            "ctrl+p", "command_palette", t("palette.key"), show=False, priority=True, tooltip=t("palette.key_tooltip")
        ),
    ]

    def __init__(
        self,
        store: Store,
        settings: Settings,
        rules: Rules,
        clock: Callable[[], datetime] = utc_now,
        demo: bool = False,
    ) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.rules = rules
        self.clock = clock
        self._keys_held_for: Screen[Any] | None = None
        self._held_keys: list[events.Key] = []
        self.page_ahead: Future[FirstPage] | None = None
        where = t("app.subtitle_demo") if demo else t("app.subtitle_db", path=store.where)
        # The footer may be too narrow for every key; the way to all of them is always in the header.
        self.sub_title = f"{where} · {t('app.help_hint')}"

    def on_load(self) -> None:
        # Before Textual composes anything: the dashboard's first page is read meanwhile (home.ask_ahead).
        self.page_ahead = ask_ahead(self.store, self.rules) if self.current_mode == "home" else None

    def on_mount(self) -> None:
        if self.store.backup_made:
            self.notify(t("app.backup_made", path=self.store.backup_made), timeout=BACKUP_NOTICE_SECONDS)

    def on_dashboard_shown(self, _message: DashboardShown) -> None:
        # Not at mount: the reminder's ORM import would compete with the first rows for the one
        # interpreter lock.
        self.remind_of_backup()

    @work(thread=True, exit_on_error=False)
    def remind_of_backup(self) -> None:
        """Off the UI thread: say so when recent data is in no backup (backup_reminder_days)."""
        from trivsel_tui.store.state import backup_reminder

        if reminder := backup_reminder(self.store, self.settings.backup_reminder_days, self.clock()):
            self.call_from_thread(
                self.notify, reminder, severity="warning", timeout=BACKUP_NOTICE_SECONDS, markup=False
            )
        freeze_what_start_up_made()

    def data_failed(self, error: Exception, during_write: bool) -> None:
        """The one handler for a failed store call (see seam.py): say what happened, in Danish."""
        key = failure_text_key(error)
        what = t(key, error=type(error).__name__)
        retry = during_write and key != "data_errors.edit_conflict"  # saving again would be refused again
        message = (
            f"{what} {t('data_errors.kept')}"
            if retry
            else what
            if during_write
            else t("data_errors.load_failed", reason=what)
        )
        self.log.error(f"store call failed: {error!r}")
        self.notify(message, severity="error", timeout=FAILURE_NOTICE_SECONDS, markup=False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # Messages quote what users typed: never markup, never control characters.
        super().notify(shown(message), title=shown(title), severity=severity, timeout=timeout, markup=False)

    def hold_keys_for(self, screen: Screen[Any]) -> None:
        """Keys typed while `screen` is on top and getting ready wait for it (a fast typist's first letters
        used to reach a screen with nothing focused, and were lost). Escape is never held. Holding again for
        the same screen (its next read) keeps what is already held."""
        if self._keys_held_for is not screen:
            self._keys_held_for, self._held_keys = screen, []

    def release_keys(self, *, replay: bool = True) -> None:
        held, self._keys_held_for, self._held_keys = self._held_keys, None, []
        for key in held if replay else ():
            self.post_message(events.Key(key.key, key.character))

    def _holds(self, event: events.Event) -> bool:
        held = isinstance(event, events.Key) and not event.is_forwarded and event.key != "escape"
        return held and self._keys_held_for is self.screen

    async def on_event(self, event: events.Event) -> None:
        if self._holds(event):
            self._held_keys.append(cast(events.Key, event))
            return
        # A paste (an e-mail, a web page) may carry terminal escapes; no field ever sees them.
        if isinstance(event, events.Paste):
            event.text = strip_controls(event.text, multiline=True)
        await super().on_event(event)

    def format_title(self, title: str, sub_title: str) -> Content:
        return super().format_title(shown(title), shown(sub_title))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        return system_commands(self, screen)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(palette())

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        # Built-in, reachable by markup such as [@click=app.screenshot(...)]: it would write personal data anywhere.
        self.notify(t("palette.screenshot_off"), severity="warning")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A form, the wizard or a dialog owns the keyboard: no one-letter jumps away from what is being typed.
        if action in LETTER_ACTIONS and isinstance(self.screen, ModalScreen | OwnsKeyboard):
            return False
        if action == "new_episode" and isinstance(self.focused, Input | TextArea):
            return False  # a letter in a search field
        # Grey out the key of the screen we are already on.
        if action == "go" and parameters and parameters[0] == self.current_mode and len(self.screen_stack) == 1:
            return None
        return True

    def action_go(self, mode: str) -> None:
        """Land on the root screen of `mode`, from wherever we are (also from deep inside a case).

        Whatever was opened on top of the current root is closed first, so every mode's stack is just
        its root when we arrive: a key never shows an old case screen left behind in another mode.
        """
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if mode != self.current_mode:
            self.switch_mode(mode)
        if isinstance(self.screen, Landing):
            self.call_after_refresh(self.screen.landed)

    def action_help(self) -> None:
        from trivsel_tui.dialogs.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen())

    async def action_new_episode(self) -> None:
        await self.on_register_episode(RegisterEpisode())  # at once: keys typed right after `n` belong to the form

    # --- navigation: the one place that knows every screen --------------------------------

    def open_case(self, case_id: int) -> None:
        self.post_message(OpenCase(case_id))

    def on_open_case(self, message: OpenCase) -> None:
        from trivsel_tui.screens.case_view import CaseViewScreen

        self._show(CaseViewScreen(message.case_id), message.instead_of_current)

    def on_open_case_records(self, message: OpenCaseRecords) -> None:
        from trivsel_tui.screens.case_records import CaseRecordsScreen

        self.push_screen(CaseRecordsScreen(message.case_id))

    def on_open_plan(self, message: OpenPlan) -> None:
        from trivsel_tui.screens.plan_editor import PlanEditorScreen

        self.push_screen(PlanEditorScreen(message.plan_id))

    def on_open_meeting(self, message: OpenMeeting) -> None:
        from trivsel_tui.screens.meeting import MeetingScreen

        self.push_screen(MeetingScreen(message.meeting_id))

    async def on_register_episode(self, message: RegisterEpisode) -> None:
        from trivsel_tui.screens.episode_form import EpisodeFormScreen

        if not isinstance(self.screen, EpisodeFormScreen):
            # The keys behind `n` wait until the form is mounted (the form keeps what is typed while it loads).
            await self.push_screen(EpisodeFormScreen(message.case_id))

    def on_classify_episode(self, message: ClassifyEpisode) -> None:
        from trivsel_tui.screens.wizard import WizardScreen

        self._show(WizardScreen(message.episode_id), message.instead_of_current)

    def on_edit_workplace(self, message: EditWorkplace) -> None:
        from trivsel_tui.dialogs.workplace_form import WorkplaceFormScreen

        def saved(workplace: WorkplaceView | None) -> None:
            if workplace is not None:
                self.notify(t("notice.saved"))

        self.push_screen(WorkplaceFormScreen(message.workplace), saved)

    def on_new_handleplan(self, message: NewHandleplan) -> None:
        """Create a prevention handleplan (the dialog asks which workplace and kind), then open it."""
        from trivsel_tui.dialogs.plan_new import NewPlanScreen

        def created(plan_id: int | None) -> None:
            if plan_id is not None:
                self.post_message(OpenPlan(plan_id))

        self.push_screen(NewPlanScreen(message.workplace_id), created)

    def _show(self, screen: Screen[Any], instead_of_current: bool) -> None:
        if instead_of_current:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
