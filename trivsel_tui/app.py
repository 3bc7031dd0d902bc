"""The Textual application: global keys, modes, command palette, theme."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, ClassVar, cast

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen

from trivsel_tui.commands import CaseProvider, palette, system_commands
from trivsel_tui.crash import CrashSafeApp
from trivsel_tui.domain.control_chars import strip_controls
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.home import HomeScreen
from trivsel_tui.settings import Settings
from trivsel_tui.store.errors import failure_text_key
from trivsel_tui.store.store import Store, utc_now
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import shown


def _screen(module: str, name: str) -> Screen[Any]:
    """Import a screen's module when it is first shown."""
    import importlib

    screen_class = getattr(importlib.import_module(f"trivsel_tui.screens.{module}"), name)
    return cast("Screen[Any]", screen_class())


FAILURE_NOTICE_SECONDS = 12  # long enough to read two sentences
BACKUP_NOTICE_SECONDS = 15

LETTER_ACTIONS = frozenset({"switch_mode", "new_episode", "quit"})


class TrivselApp(CrashSafeApp, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = t("app.title")
    COMMANDS = App.COMMANDS | {CaseProvider}
    # Only the dashboard is imported up front: the app must show its first rows within a second.
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        "home": HomeScreen,
        "cases": lambda: _screen("cases", "CasesScreen"),
        "workplaces": lambda: _screen("workplaces", "WorkplacesScreen"),
        "plans": lambda: _screen("plans", "PlansScreen"),
        "statistics": lambda: _screen("statistics", "StatisticsScreen"),
    }
    DEFAULT_MODE = "home"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "switch_mode('home')", t("keys.home"), id="home", tooltip=t("keys.home")),
        Binding("n", "new_episode", t("keys.new_episode"), id="new_episode", tooltip=t("keys.new_episode")),
        Binding("s", "switch_mode('cases')", t("keys.cases"), id="cases", tooltip=t("keys.cases")),
        Binding("a", "switch_mode('workplaces')", t("keys.workplaces"), id="workplaces", tooltip=t("keys.workplaces")),
        Binding("h", "switch_mode('plans')", t("keys.plans"), id="plans", tooltip=t("keys.plans")),
        Binding("v", "switch_mode('statistics')", t("keys.statistics"), id="statistics", tooltip=t("keys.statistics")),
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
        where = t("app.subtitle_demo") if demo else t("app.subtitle_db", path=store.path)
        # The footer may be too narrow for every key; the way to all of them is always in the header.
        self.sub_title = f"{where} · {t('app.help_hint')}"

    def on_mount(self) -> None:
        if self.store.backup_made:
            self.notify(t("app.backup_made", path=self.store.backup_made), timeout=BACKUP_NOTICE_SECONDS)
        self.remind_of_backup()

    @work(thread=True, exit_on_error=False)
    def remind_of_backup(self) -> None:
        """Off the UI thread: say so when recent data is in no backup (backup_reminder_days)."""
        from trivsel_tui.store.state import backup_reminder

        if reminder := backup_reminder(self.store, self.settings.backup_reminder_days, self.clock()):
            self.call_from_thread(
                self.notify, reminder, severity="warning", timeout=BACKUP_NOTICE_SECONDS, markup=False
            )

    def data_failed(self, error: Exception, during_write: bool) -> None:
        """The one handler for a failed store call (see seam.py): say what happened, in Danish."""
        key = failure_text_key(error)
        what = t(key, error=type(error).__name__)
        message = f"{what} {t('data_errors.kept')}" if during_write else t("data_errors.load_failed", reason=what)
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

    async def on_event(self, event: events.Event) -> None:
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
        # A form or the wizard owns the keyboard: no one-letter jumps away from what is being typed.
        if action in LETTER_ACTIONS and getattr(self.screen, "OWNS_KEYBOARD", False):
            return False
        # Grey out the key of the mode we are already in.
        if action == "switch_mode" and parameters and parameters[0] == self.current_mode:
            return None
        return True

    def action_help(self) -> None:
        from trivsel_tui.dialogs.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen())

    def action_new_episode(self) -> None:
        from trivsel_tui.screens.episode_form import EpisodeFormScreen

        if not isinstance(self.screen, EpisodeFormScreen):
            self.push_screen(EpisodeFormScreen())

    def open_case(self, case_id: int) -> None:
        from trivsel_tui.screens.case_view import CaseViewScreen

        self.push_screen(CaseViewScreen(case_id))
