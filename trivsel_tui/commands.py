"""The command palette (Ctrl+P): jump to a case by reference, person or workplace; Danish system commands.

Hits show user text literally: a prompt given as a str would be parsed as markup (a person named
`[@click=app.quit]` would quit the app when clicked), so prompts are rich Text and help is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from rich.align import Align
from rich.text import Text
from textual.app import App, SystemCommand
from textual.command import CommandList, CommandPalette, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import Screen
from textual.widgets.option_list import Option

from trivsel_tui.domain.danish_text import closeness
from trivsel_tui.seam import read_awaited
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import shown

if TYPE_CHECKING:
    from trivsel_tui.app import TrivselApp

MAX_HITS = 20


def markup_escaped(value: object) -> str:
    """User text inside a string that Textual will parse as markup: every bracket literal."""
    return shown(value).replace("\\", "\\\\").replace("[", "\\[")


class CaseProvider(Provider):
    async def search(self, query: str) -> Hits:
        app = cast("TrivselApp", self.app)
        if len(query.strip()) < 2:
            return
        from trivsel_tui.store.queries import find_cases  # the ORM loads on the first search, not at start

        rows = await read_awaited(app, find_cases, query, MAX_HITS) or []
        matcher = self.matcher(query)
        for row in rows:
            text = shown(f"{row.ref}  {row.person}")
            # Textual's matcher only knows letters in order; a hit with a typo ranks by how close it is.
            typo_score = max(closeness(query, row.person), closeness(query, row.workplace)) / 2
            score = matcher.match(text) or matcher.match(row.workplace) or typo_score
            yield Hit(
                score,
                _highlighted(matcher, text),
                partial(app.open_case, row.id),
                text=t("palette.open_case", ref=shown(row.ref)),
                help=t(
                    "palette.case_help",
                    workplace=markup_escaped(row.workplace),
                    person=markup_escaped(row.person),
                    status=t(f"status.{row.status}"),
                ),
            )


def _highlighted(matcher: Matcher, text: str) -> Content:
    """What Matcher.highlight does, without parsing the text as markup first."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets if score else ():
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def system_commands(app: App[Any], screen: Screen[Any]) -> Iterable[SystemCommand]:
    """The palette's own commands, in Danish. No screenshot: it would write personal data to a file."""
    yield SystemCommand(t("palette.help"), t("palette.help_help"), partial(app.run_action, "help"))
    yield SystemCommand(t("palette.quit"), t("palette.quit_help"), app.action_quit)
    if screen.maximized is not None:
        yield SystemCommand(t("palette.minimize"), t("palette.minimize_help"), screen.action_minimize)
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield SystemCommand(t("palette.maximize"), t("palette.maximize_help"), screen.action_maximize)


class DanishCommandPalette(CommandPalette):
    """Textual's palette; its one hard-coded English sentence ("No matches found") in Danish."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            self._list_visible = bool(search_value)
            if search_value:
                message = Align.center(Text(t("palette.no_matches"), style="not bold"))
                self.query_one(CommandList).add_option(Option(message, disabled=True, id=self._NO_MATCHES))

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def palette() -> CommandPalette:
    return DanishCommandPalette(placeholder=t("palette.placeholder"), id="--command-palette")
