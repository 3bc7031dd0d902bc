"""Show a generated document (Markdown); save it as a file or copy it to the clipboard."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Markdown

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.domain.control_chars import strip_controls
from trivsel_tui.store.private import write_private_text
from trivsel_tui.texts import t


class DocumentScreen(Dialog[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "save", t("document.save")),
        Binding("c", "copy", t("document.copy")),
        Binding("escape", "dismiss", t("keys.close")),
    ]

    def __init__(self, title: str, markdown: str, path: Path) -> None:
        super().__init__()
        self.doc_title = title
        # Shown, saved and copied without control characters: the file may later be printed in a terminal.
        self.markdown = strip_controls(markdown, multiline=True)
        self.path = path

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide tall") as box:
            box.border_title = self.doc_title
            yield Markdown(self.markdown)
        yield Footer()

    def action_save(self) -> None:

        try:
            write_private_text(self.path, self.markdown)  # 0600 from the first byte: it holds personal data
        except OSError as exc:
            self.notify(t("document.save_failed", error=exc.strerror), severity="error")
            return
        self.notify(t("document.saved", path=self.path))

    def action_copy(self) -> None:

        self.app.copy_to_clipboard(self.markdown)
        self.notify(t("document.copied"))
