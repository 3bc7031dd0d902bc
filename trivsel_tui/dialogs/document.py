"""Show a generated document (Markdown); save it as a file in a folder the user chooses, or copy it.

`s` asks for the folder (the remembered one filled in), Enter saves there as a 0600 file named by the
case reference, Escape puts the question away. Every save and copy can be recorded (`record`): what,
where, by whom and when; and the folder chosen can be remembered as the next default (`remember`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Input, Label, Markdown, Static

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.domain.control_chars import strip_controls
from trivsel_tui.seam import Save
from trivsel_tui.store.private import write_private_text
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal, literal_t, shown


@dataclass(frozen=True)
class DocumentEvent:
    action: str  # export | copy
    what: str
    path: str = ""


class DocumentScreen(Dialog[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "save", t("document.save")),
        Binding("c", "copy", t("document.copy")),
        Binding("escape", "close", t("keys.close")),
    ]

    def __init__(
        self,
        title: str,
        markdown: str,
        path: Path,
        record: Save[DocumentEvent] | None = None,
        remember: Callable[[Path], object] | None = None,
    ) -> None:
        super().__init__()
        self.doc_title = title
        # Shown, saved and copied without control characters: the file may later be printed in a terminal.
        self.markdown = strip_controls(markdown, multiline=True)
        self.path = path
        self.record = record
        self.remember = remember

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide tall") as box:
            box.border_title = self.doc_title
            yield Markdown(self.markdown)
            with Vertical(id="save-to"):
                yield Label(literal_t("document_folder.label", name=self.path.name))
                yield Input(shown(self.path.parent), id="save-folder")
                yield Static("", id="save-error", classes="field-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#save-to").display = False

    def action_save(self) -> None:
        row = self.query_one("#save-to")
        row.display = True
        self.query_one("#save-folder", Input).focus()

    def action_close(self) -> None:
        row = self.query_one("#save-to")
        if row.display:
            row.display = False
            return
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "save-folder":
            return
        folder = Path(event.value.strip()).expanduser()
        error = self.query_one("#save-error", Static)
        if not event.value.strip() or not folder.is_absolute():
            error.update(t("document_folder.absolute"))
            return
        path = folder / self.path.name
        try:
            write_private_text(path, self.markdown)  # 0600 from the first byte: it holds personal data
        except OSError as exc:
            error.update(literal(t("document.save_failed", error=exc.strerror or exc)))
            return
        error.update("")
        self.query_one("#save-to").display = False
        self.notify(t("document.saved", path=path))
        if self.remember is not None:
            self.remember(folder)
        self._record(DocumentEvent("export", self.doc_title, str(path)))

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.markdown)
        self.notify(t("document.copied"))
        self._record(DocumentEvent("copy", self.doc_title))

    def _record(self, event: DocumentEvent) -> None:
        if self.record is not None:
            self.write(lambda _result: None, self.record, event)
