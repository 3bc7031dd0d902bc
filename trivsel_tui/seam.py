"""The one seam between the UI and the store: every screen and dialog reads and writes through it.

A screen or dialog mixes in `StoreAccess` (listed before the Screen class) and calls

    self.read("rows", self._show, due_rows, query, filters)     # later: self._show(due_rows(store, query, filters))
    self.write(self._saved, add_note, case_id, text)             # later: self._saved(add_note(store, case_id, text))
    self.save_and_dismiss(value, save)                           # a dialog: dismiss(value) once save(store, value) ran
    self.write_once(self._saved, save_workplace, values)         # a dialog's own save: one at a time
    rows = await read_awaited(app, find_cases, query)            # code that awaits its answer (the palette)

What the seam guarantees:
- The store call runs in a thread, never on the UI thread, so a slow query or a locked database
  never freezes the keyboard.
- Reads are named by purpose. A newer read for the same purpose makes older ones stale, and a stale
  result is dropped (Textual's `exclusive=True` only *marks* an old thread worker as cancelled; it
  still delivers). A result for a screen that has been closed is dropped too.
- A failure goes to the App's one handler (`TrivselApp.data_failed`), which tells the user in Danish.
  The `then` callback runs only on success: a dialog that dismisses in it stays open with everything
  typed when a write fails (locked database, constraint), and Ctrl+S again retries.
- A write runs to its end even if its screen closes meanwhile, and its failure is still reported.
- One save at a time per dialog: a repeated Ctrl+S while the save is under way is ignored, so a
  note is never saved twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar, cast

from textual.dom import DOMNode
from textual.screen import Screen

from trivsel_tui.store.store import Store

if TYPE_CHECKING:
    from trivsel_tui.app import TrivselApp

P = ParamSpec("P")
T = TypeVar("T")
V = TypeVar("V")

# What a dialog is given to store its value before it closes: save(store, value).
Save = Callable[[Store, V], object]


async def read_awaited(
    app: TrivselApp, call: Callable[Concatenate[Store, P], T], *args: P.args, **kwargs: P.kwargs
) -> T | None:
    """For code that awaits its answer itself, like the palette's search (which Textual cancels when a
    newer search starts): the call runs off the UI thread, and a failure goes to the app's one handler
    and gives None."""
    try:
        return await asyncio.to_thread(call, app.store, *args, **kwargs)
    except Exception as error:  # every store failure goes to the one handler
        app.data_failed(error, False)
        return None


class StoreAccess:
    """Mixin for screens and dialogs: typed access to the app, and the read/write seam."""

    _seam_tokens: dict[str, int]
    _seam_saving: bool = False

    @property
    def trivsel(self) -> TrivselApp:
        return cast("TrivselApp", self._as_screen.app)

    @property
    def _as_screen(self) -> Screen[Any]:
        return cast("Screen[Any]", self)

    def _seam_screen_alive(self) -> bool:
        """Still on the app and not being taken down: while a screen is removed (closed, or the app
        shutting down) Textual marks it at once but removes its widgets later, so a result arriving
        in between found its widgets gone (NoMatches) and stopped the app."""
        screen = self._as_screen
        return screen.is_attached and not (screen._closing or screen._closed or screen._pruning)

    def read(
        self,
        purpose: str,
        then: Callable[[T], object],
        call: Callable[Concatenate[Store, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> None:
        """Run call(store, ...) off the UI thread and hand the result to `then`, unless a newer read
        for the same purpose was asked for meanwhile or the screen is gone."""
        tokens: dict[str, int] = self.__dict__.setdefault("_seam_tokens", {})
        token = tokens[purpose] = tokens.get(purpose, 0) + 1

        def current() -> bool:
            return tokens.get(purpose) == token

        self._seam_run(f"read:{purpose}", partial(call, self.trivsel.store, *args, **kwargs), then, current, False)

    def write(
        self,
        then: Callable[[T], object],
        call: Callable[Concatenate[Store, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> None:
        """Run call(store, ...) off the UI thread; `then` gets the result only if it succeeded."""
        self._seam_run("write", partial(call, self.trivsel.store, *args, **kwargs), then, lambda: True, True)

    def save_and_dismiss(self, value: V, save: Save[V] | None) -> None:
        """For a dialog: store `value` with `save` (if given), then close with it. On failure stay open."""
        if save is None:
            self._as_screen.dismiss(value)
            return
        self.write_once(lambda _result: self._as_screen.dismiss(value), save, value)

    def write_once(
        self,
        then: Callable[[T], object],
        call: Callable[Concatenate[Store, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> None:
        """A dialog's save: like `write`, but ignored while the previous one is under way (Ctrl+S twice
        saves once). `then` runs only on success; on failure the dialog stays as it was, for a retry."""
        if self._seam_saving:
            return
        self._seam_saving = True

        def over() -> None:
            self._seam_saving = False  # the next Ctrl+S may retry

        def saved(result: T) -> None:
            over()
            then(result)

        self._seam_run("write", partial(call, self.trivsel.store, *args, **kwargs), saved, lambda: True, True, over)

    def _seam_run(
        self,
        group: str,
        call: Callable[[], T],
        then: Callable[[T], object],
        current: Callable[[], bool],
        is_write: bool,
        failed: Callable[[], object] = lambda: None,
    ) -> None:
        async def run() -> None:
            try:
                result = await asyncio.to_thread(call)
            except Exception as error:  # every store failure goes to the one handler
                failed()
                if is_write or (current() and self._seam_screen_alive()):
                    self.trivsel.data_failed(error, is_write)
                return
            if current() and self._seam_screen_alive():
                then(result)

        # A read belongs to its screen: closing the screen cancels it, so nothing arrives afterwards.
        # A write belongs to the app: it finishes, and a failure is reported, even if the screen closed.
        owner: DOMNode = self.trivsel if is_write else cast(DOMNode, self)
        owner.run_worker(run(), group=group, exit_on_error=True)
