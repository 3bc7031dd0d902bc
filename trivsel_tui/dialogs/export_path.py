"""Name the file an export is written to (modal); the file's ending picks the format."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal_t


class ExportPathDialog(Dialog[Path | None]):
    """Where to write an export; the file's ending picks the format."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "accept", t("keys.save"), priority=True),
    ]

    def __init__(self, title: str, path: Path, suffixes: tuple[str, ...]) -> None:
        super().__init__()
        self.title_text = title
        self.path = path
        self.suffixes = suffixes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide") as box:
            box.border_title = self.title_text
            yield Label(t("stats_export.path", suffixes=", ".join(self.suffixes)))
            yield Input(str(self.path), id="export-path")
            yield Static("", id="export-error", classes="field-error")
            yield Static(t("stats_export.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self) -> None:
        self.action_accept()

    def action_accept(self) -> None:
        path = Path(self.query_one(Input).value.strip()).expanduser()
        if path.suffix.lower() not in self.suffixes:
            self.query_one("#export-error", Static).update(
                t("stats_export.bad_suffix", suffixes=", ".join(self.suffixes))
            )
            return
        if not path.parent.is_dir():
            self.query_one("#export-error", Static).update(literal_t("stats_export.no_folder", folder=path.parent))
            return
        self.dismiss(path)
