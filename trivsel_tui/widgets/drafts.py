"""Keeping what a user types in a form as a draft in the database, and offering it back.

A form screen mixes this in and provides `draft_key`, `form_values()` and `fill_form(values)`.
Call `start_drafts()` in on_mount, `draft_changed()` on every change, `discard_draft()` after saving.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen
from textual.timer import Timer

from trivsel_tui.dialogs.confirm import ConfirmScreen
from trivsel_tui.domain.clock import danish_long
from trivsel_tui.domain.control_chars import strip_controls
from trivsel_tui.store.cases import delete_draft, load_draft, save_draft
from trivsel_tui.texts import t
from trivsel_tui.widgets.app_access import UsesTrivselApp

if TYPE_CHECKING:
    pass

DRAFT_DELAY = 0.3


class DraftKeeping(UsesTrivselApp):
    """Mixin for a Screen or ModalScreen (listed before it in the bases)."""

    draft_key = ""
    _draft_timer: Timer | None = None
    _drafts_ready = False  # no draft writes until a possible restore is decided

    def form_values(self) -> dict[str, Any]:
        raise NotImplementedError

    def fill_form(self, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def has_user_input(self, values: dict[str, Any]) -> bool:
        return any(str(v).strip() for v in values.values() if v is not None)

    @property
    def _screen(self) -> Screen[Any]:
        return cast("Screen[Any]", self)

    def start_drafts(self) -> None:
        draft = load_draft(self.trivsel.store, self.draft_key)
        if not draft:
            self._drafts_ready = True
            return
        when = draft.get("_saved_at", "")
        question = t("episode_form.restore_title", when=danish_long(datetime.fromisoformat(when)) if when else "?")
        self.trivsel.push_screen(ConfirmScreen(question), lambda yes: self._restore(draft if yes else None))

    def _restore(self, draft: dict[str, Any] | None) -> None:
        if draft is None:
            delete_draft(self.trivsel.store, self.draft_key)
            self._screen.notify(t("episode_form.draft_discarded"))
        else:
            # An old draft row may hold control characters; the form's fields must not.
            self.fill_form(
                {k: strip_controls(v, multiline=True) if isinstance(v, str) else v for k, v in draft.items()}
            )
            self._screen.notify(t("episode_form.restored"))
        self._drafts_ready = True

    def draft_changed(self) -> None:
        if not self._drafts_ready:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self._screen.set_timer(DRAFT_DELAY, self.save_draft_now)

    def save_draft_now(self) -> bool:
        """Write the draft at once (if anything was typed). Returns whether a draft exists."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if not self._drafts_ready:
            return False
        values = self.form_values()
        if not self.has_user_input(values):
            return False
        values["_saved_at"] = self.trivsel.clock().isoformat()
        save_draft(self.trivsel.store, self.draft_key, values)
        return True

    def discard_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        delete_draft(self.trivsel.store, self.draft_key)
