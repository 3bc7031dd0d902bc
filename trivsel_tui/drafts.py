"""Keeping what a user types in a form as a draft in the database, and offering it back.

A form screen or dialog mixes this in (before the Screen class) and provides `draft_key`,
`form_values()` and `fill_form(values)`. It calls `start_drafts()` in on_mount, `draft_changed()` on
every change, `save_draft_now()` when leaving, and `hold_draft()` before saving with a save wrapped
in `forgetting_draft`, so the draft goes only once the save has succeeded.

The form takes no input until it is known whether a draft waits: the question comes first, so
typing fast after opening the form can never answer it. The question has no one-letter answers,
and Escape on it keeps the draft and leaves the form.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from textual.timer import Timer
from textual.widgets import Input

from trivsel_tui.dialogs.draft_prompt import CONTINUE, DISCARD, DraftPromptScreen
from trivsel_tui.domain.clock import danish_long
from trivsel_tui.domain.control_chars import strip_controls
from trivsel_tui.seam import StoreAccess
from trivsel_tui.store.cases import delete_draft, load_draft, save_draft
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t

T = TypeVar("T")
V = TypeVar("V")

DRAFT_DELAY = 0.3  # seconds of quiet typing before the draft is written


class DraftKeeping(StoreAccess):
    """Mixin for a Screen or ModalScreen (listed before it in the bases)."""

    AUTO_FOCUS: ClassVar[str | None] = (
        ""  # nothing takes input before the draft question is settled; form_ready() focuses
    )
    draft_key = ""
    _draft_timer: Timer | None = None
    _drafts_ready = False  # no draft writes until a possible restore is decided

    def form_values(self) -> dict[str, Any]:
        raise NotImplementedError

    def fill_form(self, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def first_field(self) -> Input:
        """The field that gets the focus once the form takes input (after the draft question, if any)."""
        raise NotImplementedError

    def has_user_input(self, values: dict[str, Any]) -> bool:
        return any(str(v).strip() for v in values.values() if v is not None)

    def start_drafts(self) -> None:
        self.hold_keys()
        self.read("draft", self._draft_found, load_draft, self.draft_key)

    def hold_keys(self) -> None:
        """Nothing typed reaches a field before the draft question is settled: the keys wait, in order."""
        self._as_screen.disabled = True
        self.trivsel.hold_keys_for(self._as_screen)

    def _draft_found(self, draft: dict[str, Any] | None) -> None:
        if not draft:
            self._take_input()
            self.trivsel.release_keys()
            return
        self.trivsel.release_keys(replay=False)  # the question comes first; what was typed cannot answer it
        when = draft.get("_saved_at", "")
        question = t("drafts.question", when=danish_long(datetime.fromisoformat(when)) if when else "?")
        self.trivsel.push_screen(DraftPromptScreen(question), lambda answer: self._answered(answer, draft))

    def _answered(self, answer: str | None, draft: dict[str, Any]) -> None:
        if answer == CONTINUE:
            # An old draft row may hold control characters; the form's fields must not.
            self.fill_form(
                {k: strip_controls(v, multiline=True) if isinstance(v, str) else v for k, v in draft.items()}
            )
            self._as_screen.notify(t("episode_form.restored"))
        elif answer == DISCARD:
            self.write(
                lambda _: self._as_screen.notify(t("episode_form.draft_discarded")), delete_draft, self.draft_key
            )
        else:  # Escape: not now. The draft stays for next time, and the form closes.
            self._as_screen.notify(t("drafts.kept_for_later"))
            self._as_screen.dismiss(None)
            return
        self._take_input()

    def _discarded(self, _result: None) -> None:
        self._as_screen.notify(t("episode_form.draft_discarded"))

    def _take_input(self) -> Input:
        self._as_screen.disabled = False
        self._drafts_ready = True
        field = self.first_field()
        field.focus()
        return field

    def draft_changed(self) -> None:
        if not self._drafts_ready:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self._as_screen.set_timer(DRAFT_DELAY, self.save_draft_now)

    def save_draft_now(self) -> bool:
        """Write the draft (if anything was typed). Returns whether there is something to keep."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if not self._drafts_ready:
            return False
        values = self.form_values()
        if not self.has_user_input(values):
            return False
        values["_saved_at"] = self.trivsel.clock().isoformat()
        self.write(lambda _: None, save_draft, self.draft_key, values)
        return True

    def hold_draft(self) -> None:
        """The form is being saved: no pending draft write (typing again after a failed save restarts it)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()

    def action_leave(self) -> None:
        """Escape: what was typed stays as a draft (said so), and the form closes."""
        if self.save_draft_now():
            self._as_screen.notify(t("episode_form.draft_kept"))
        self._as_screen.dismiss(None)

    def save_and_forget_draft(self, value: V, save: Callable[[Store, V], object] | None) -> None:
        """A dialog's save: store `value`, then drop its draft, then close; on failure both stay."""
        self.hold_draft()
        self.save_and_dismiss(value, forgetting_draft(save, self.draft_key) if save else None)


def forgetting_draft(save: Callable[[Store, V], T], key: str) -> Callable[[Store, V], T]:
    """`save`, and then, in the same background step, drop the draft the form kept while typing."""

    def save_then_forget(store: Store, value: V) -> T:
        result = save(store, value)
        delete_draft(store, key)
        return result

    return save_then_forget
